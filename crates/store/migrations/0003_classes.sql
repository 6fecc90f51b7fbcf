-- Classes and nominations: who a class is for (an expression of the target
-- engine, checked when the class is proposed) and why a person was sent
-- despite a warning. Both are fact columns, so history and the audit trail
-- keep them like any other; rows written before this migration have none.
-- Sign-up requests are enrolments with the status 'requested' (a code, no
-- schema change). Without assigned quotas, seats are shared among units in
-- proportion to their nominations when demand exceeds seats (computed).

ALTER TABLE classes ADD COLUMN target_group TEXT;
-- Seats assigned to nominating units by the Sở Nội vụ, as `unit:seats`
-- pairs separated by ';' (a class has a handful); NULL: none assigned.
ALTER TABLE classes ADD COLUMN unit_quotas TEXT;
ALTER TABLE enrolments ADD COLUMN note TEXT;
