-- NăngLực: commitments to serve after state-funded postgraduate training
-- (cam kết phục vụ), the compensation owed on leaving early (đền bù chi phí
-- đào tạo) and its payment; comments of a duty's partners.
-- Workflow records, not facts: each is written once with who and when; the
-- rule and its parameters are frozen at recording, so a later change of the
-- rule book does not rewrite what was committed.

CREATE TABLE service_commitments (
    id {pk},
    person_id BIGINT NOT NULL,
    -- The unit that sent the person (the person's unit on the posting day):
    -- whose HR officers keep the commitment.
    unit_id BIGINT,
    -- Employment category code on the posting day (the rule depends on it).
    category TEXT NOT NULL,
    -- The class the person was sent to, if it is one of the province's.
    class_id BIGINT,
    -- The course: the programme's or class's name, or free text.
    course TEXT NOT NULL,
    institution TEXT NOT NULL,
    -- Education level code of the degree (thac_si, tien_si…).
    degree_level TEXT NOT NULL,
    -- The decision sending the person (cử đi học) and its day.
    decision TEXT,
    posted_on {date} NOT NULL,
    course_starts_on {date} NOT NULL,
    course_ends_on {date} NOT NULL,
    training_months BIGINT NOT NULL,
    -- F: the cost paid by the state for this person, đồng.
    cost BIGINT NOT NULL,
    -- NULL: not known yet (course running).
    degree_obtained {bool},
    prior_service_years BIGINT NOT NULL,
    female {bool} NOT NULL,
    ethnic_minority {bool} NOT NULL,
    -- The rule (CompensationRule code) and its parameters as JSON, frozen.
    rule TEXT NOT NULL,
    params TEXT NOT NULL,
    -- T1 and the day the commitment is fulfilled.
    months_committed BIGINT NOT NULL,
    serve_until {date} NOT NULL,
    note TEXT,
    recorded_at {ts} NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX service_commitments_person ON service_commitments (person_id);
-- A learner of a class commits once for it.
CREATE UNIQUE INDEX service_commitments_class ON service_commitments (class_id, person_id)
    WHERE class_id IS NOT NULL;

-- What a person leaving early owes: once per commitment, with the working
-- shown to the person; paid_on is set when finance records the payment.
CREATE TABLE compensations (
    id {pk},
    commitment_id BIGINT NOT NULL UNIQUE REFERENCES service_commitments (id),
    left_on {date} NOT NULL,
    -- DepartureReason code.
    reason TEXT NOT NULL,
    months_served BIGINT NOT NULL,
    gross BIGINT NOT NULL,
    reduction_bp BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    -- The computation in Vietnamese, one line per step.
    working TEXT NOT NULL,
    note TEXT,
    recorded_at {ts} NOT NULL,
    recorded_by TEXT NOT NULL,
    paid_on {date},
    paid_document TEXT,
    paid_recorded_at {ts},
    paid_by TEXT
);

-- A partner agency's comment on a duty: read with the status updates, it
-- never changes the duty's state.
CREATE TABLE duty_comments (
    id {pk},
    duty_id BIGINT NOT NULL REFERENCES duties (id),
    note TEXT NOT NULL,
    recorded_at {ts} NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX duty_comments_duty ON duty_comments (duty_id, id);
