-- NăngLực: what the proposed training plan needs as configuration, and the
-- drafts people edit. Not facts: configuration and workflow records, each row
-- with who recorded it and when.

-- Cost norms (định mức chi): one rate per cost item, basis and form of study,
-- dated, because a province changes its norms by a resolution of its
-- People's Council. `issuer` is the province code whose resolution sets the
-- rate (NULL: the national norm); `form` a StudyForm code (NULL: every form);
-- `item` and `basis` planning's CostItem and CostBasis codes.
CREATE TABLE cost_norms (
    id {pk},
    issuer TEXT,
    form TEXT,
    item TEXT NOT NULL,
    basis TEXT NOT NULL,
    amount BIGINT NOT NULL,
    valid_from {date} NOT NULL,
    valid_to {date},
    -- The text that sets it ("Nghị quyết 12/2024/NQ-HĐND").
    source TEXT NOT NULL,
    -- A placeholder figure not checked against its text.
    unverified {bool} NOT NULL,
    recorded_at {ts} NOT NULL,
    recorded_by TEXT NOT NULL
);

-- How a programme is run when proposed: form, teaching sessions, days of
-- study, calendar length, and the institutions that run it (codes, preferred
-- first, separated by commas).
CREATE TABLE programme_offers (
    programme TEXT PRIMARY KEY,
    form TEXT NOT NULL,
    sessions BIGINT NOT NULL,
    study_days BIGINT NOT NULL,
    duration_days BIGINT NOT NULL,
    institutions TEXT NOT NULL,
    recorded_at {ts} NOT NULL,
    recorded_by TEXT NOT NULL
);

-- How many classes an institution can run a year, and the province whose
-- cost norms apply to its classes.
CREATE TABLE institution_capacity (
    institution TEXT PRIMARY KEY,
    classes_per_year BIGINT NOT NULL,
    province TEXT,
    recorded_at {ts} NOT NULL,
    recorded_by TEXT NOT NULL
);

-- Which programme closes which target of a period plan, where the plan file
-- does not name one (its person targets rarely do).
CREATE TABLE target_programmes (
    plan_id TEXT NOT NULL,
    target_id TEXT NOT NULL,
    programme TEXT NOT NULL,
    recorded_at {ts} NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (plan_id, target_id)
);

-- A proposed plan: a draft people edit. `draft` is the web's JSON (the
-- proposal, its funding, what was adopted); the store does not read it.
-- `version` grows with every edit, and an edit names the version it saw, so
-- two people editing the same draft cannot overwrite each other.
CREATE TABLE proposals (
    id {pk},
    plan_id TEXT NOT NULL,
    year BIGINT NOT NULL,
    horizon BIGINT NOT NULL,
    draft TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at {ts} NOT NULL,
    created_by TEXT NOT NULL,
    updated_at {ts} NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX proposals_year ON proposals (year);

-- Every edit of a draft: created, seat moved, class dropped, funded again,
-- adopted; with a sentence saying what.
CREATE TABLE proposal_events (
    id {pk},
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    at {ts} NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX proposal_events_proposal ON proposal_events (proposal_id, id);
