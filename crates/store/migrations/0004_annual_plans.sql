-- NăngLực: annual training plans (kế hoạch ĐTBD hằng năm) of units and of the
-- province, the budget ledger, and the responsibility matrix (duties).
-- Not facts: workflow records. Every state change is kept with who and when
-- (annual_plan_events, budget rows' recorded_by/at, duty_updates), so the
-- history of a plan or a ledger is read, never reconstructed.

-- The province's annual plan for a year: the Sở Nội vụ aggregates the
-- accepted unit plans into it; the chair of the People's Committee approves it.
CREATE TABLE province_plans (
    id {pk},
    year BIGINT NOT NULL UNIQUE,
    -- aggregated, approved.
    status TEXT NOT NULL,
    aggregated_at {ts} NOT NULL,
    aggregated_by TEXT NOT NULL,
    approved_at {ts},
    approved_by TEXT,
    -- The approval decision's number ("125/QĐ-UBND"), if given.
    decision TEXT
);

-- Its lines: the accepted unit plans summed by programme (frozen at aggregation).
CREATE TABLE province_plan_lines (
    id {pk},
    province_plan_id BIGINT NOT NULL REFERENCES province_plans (id),
    programme TEXT NOT NULL,
    units BIGINT NOT NULL,
    classes BIGINT NOT NULL,
    person_times BIGINT NOT NULL,
    cost_state_budget BIGINT NOT NULL,
    cost_unit BIGINT NOT NULL,
    cost_learner BIGINT NOT NULL,
    cost_sponsor BIGINT NOT NULL
);
CREATE INDEX province_plan_lines_plan ON province_plan_lines (province_plan_id);

-- A unit's annual plan for a year: one per unit and year.
CREATE TABLE annual_plans (
    id {pk},
    unit_id BIGINT NOT NULL,
    year BIGINT NOT NULL,
    -- draft, submitted, returned, accepted, aggregated, approved.
    status TEXT NOT NULL,
    -- The last submission, and whether it came after the deadline (31/8 of
    -- the year before): kept once set, a late plan stays flagged.
    submitted_at {ts},
    late {bool} NOT NULL,
    province_plan_id BIGINT REFERENCES province_plans (id),
    created_at {ts} NOT NULL,
    created_by TEXT NOT NULL,
    updated_at {ts} NOT NULL,
    UNIQUE (unit_id, year)
);
CREATE INDEX annual_plans_year ON annual_plans (year, status);

-- What a unit asks for, by programme: classes, person-times and the cost by
-- funding source (the four sources of FundingSource, in đồng).
CREATE TABLE annual_plan_lines (
    id {pk},
    plan_id BIGINT NOT NULL REFERENCES annual_plans (id),
    programme TEXT NOT NULL,
    -- The period plan's target the line serves, when the programme alone does not say.
    target_id TEXT,
    classes BIGINT NOT NULL,
    person_times BIGINT NOT NULL,
    cost_state_budget BIGINT NOT NULL,
    cost_unit BIGINT NOT NULL,
    cost_learner BIGINT NOT NULL,
    cost_sponsor BIGINT NOT NULL,
    note TEXT
);
CREATE INDEX annual_plan_lines_plan ON annual_plan_lines (plan_id);

-- The people a unit intends to send on a line.
CREATE TABLE annual_plan_people (
    line_id BIGINT NOT NULL REFERENCES annual_plan_lines (id),
    person_id BIGINT NOT NULL,
    PRIMARY KEY (line_id, person_id)
);

-- Every change of a unit plan: created, edited, submitted, returned (with the
-- comments), accepted, aggregated, approved.
CREATE TABLE annual_plan_events (
    id {pk},
    plan_id BIGINT NOT NULL REFERENCES annual_plans (id),
    at {ts} NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    comment TEXT
);
CREATE INDEX annual_plan_events_plan ON annual_plan_events (plan_id, id);

-- The budget ledger. Units are unit ids, sources FundingSource codes,
-- programmes programme codes, classes class ids.
CREATE TABLE budget_allocations (
    id {pk},
    year BIGINT NOT NULL,
    unit_id BIGINT NOT NULL,
    source TEXT NOT NULL,
    -- Earmarked for a programme, if any.
    programme TEXT,
    amount BIGINT NOT NULL,
    note TEXT,
    recorded_at {ts} NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX budget_allocations_year ON budget_allocations (year, unit_id);

-- Money set aside when a class is approved, split over the units sending learners.
CREATE TABLE budget_commitments (
    id {pk},
    class_id BIGINT NOT NULL,
    programme TEXT NOT NULL,
    year BIGINT NOT NULL,
    unit_id BIGINT NOT NULL,
    source TEXT NOT NULL,
    on_day {date} NOT NULL,
    amount BIGINT NOT NULL,
    recorded_at {ts} NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX budget_commitments_class ON budget_commitments (class_id);
CREATE INDEX budget_commitments_year ON budget_commitments (year);

-- Money paid (thanh toán), recorded with the settlement.
CREATE TABLE budget_spendings (
    id {pk},
    class_id BIGINT NOT NULL,
    programme TEXT NOT NULL,
    year BIGINT NOT NULL,
    unit_id BIGINT NOT NULL,
    source TEXT NOT NULL,
    on_day {date} NOT NULL,
    amount BIGINT NOT NULL,
    -- The voucher or decision paid against.
    document TEXT,
    recorded_at {ts} NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX budget_spendings_class ON budget_spendings (class_id);
CREATE INDEX budget_spendings_year ON budget_spendings (year);

-- A class's settlement (quyết toán): once per class.
CREATE TABLE budget_settlements (
    class_id BIGINT PRIMARY KEY,
    year BIGINT NOT NULL,
    settled_on {date} NOT NULL,
    committed BIGINT NOT NULL,
    spent BIGINT NOT NULL,
    released BIGINT NOT NULL,
    overrun BIGINT NOT NULL,
    message TEXT NOT NULL,
    recorded_at {ts} NOT NULL,
    recorded_by TEXT NOT NULL
);

-- The responsibility matrix: one row per task.
CREATE TABLE duties (
    id {pk},
    -- The row's number in the matrix ("1.2"); unique.
    code TEXT NOT NULL UNIQUE,
    task TEXT NOT NULL,
    lead TEXT NOT NULL,
    -- Partners, one per line.
    partners TEXT NOT NULL,
    products TEXT,
    -- The deadline as the document words it, and its rules (planning's
    -- DueRule list as JSON: the store does not interpret it).
    when_text TEXT NOT NULL,
    due_rules TEXT NOT NULL,
    created_at {ts} NOT NULL,
    created_by TEXT NOT NULL
);

-- Status updates, for one deadline (occurrence) or the whole duty.
CREATE TABLE duty_updates (
    id {pk},
    duty_id BIGINT NOT NULL REFERENCES duties (id),
    deadline {date},
    -- planning's DutyState code.
    state TEXT NOT NULL,
    on_day {date} NOT NULL,
    note TEXT,
    recorded_at {ts} NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX duty_updates_duty ON duty_updates (duty_id, id);

-- Files attached to a duty (a decision, a report): kept in the database, so
-- that one backup, one transaction and both engines cover them and no shared
-- disk is needed between servers. They are small office documents; the web
-- limits their size.
CREATE TABLE duty_files (
    id {pk},
    duty_id BIGINT NOT NULL REFERENCES duties (id),
    update_id BIGINT REFERENCES duty_updates (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    content {bytes} NOT NULL,
    uploaded_at {ts} NOT NULL,
    uploaded_by TEXT NOT NULL
);
CREATE INDEX duty_files_duty ON duty_files (duty_id);
