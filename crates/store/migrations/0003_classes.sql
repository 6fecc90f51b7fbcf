-- Classes and nominations: who a class is for (an expression of the target
-- engine, checked when the class is proposed) and why a person was sent
-- despite a warning. Both are fact columns, so history and the audit trail
-- keep them like any other; rows written before this migration have none.
-- Sign-up requests are enrolments with the status 'requested' (a code, no
-- schema change); per-unit seat quotas are computed from the nominations
-- when demand exceeds seats, so they need no table.

ALTER TABLE classes ADD COLUMN target_group TEXT;
ALTER TABLE enrolments ADD COLUMN note TEXT;
