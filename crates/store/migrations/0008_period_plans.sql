-- NăngLực: the province's period plans (kế hoạch ĐTBD 5 năm) kept as
-- versioned documents. Each version is the plan file's whole TOML text, as
-- the engine reads it (the engine stays the one judge of the format: it checks
-- a text before it is saved and again when it is loaded). A version is never
-- overwritten: an edit, an import or a restore adds one, with who, when, why.

-- A plan, by its key (the `[plan] id` of its text).
CREATE TABLE period_plans (
    id {pk},
    plan_key TEXT NOT NULL UNIQUE,
    -- The version in force (period_plan_versions.version of this plan).
    in_force BIGINT NOT NULL,
    -- The plan the application follows (its dashboard, needs, documents):
    -- one at a time.
    followed {bool} NOT NULL,
    created_at {ts} NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE period_plan_versions (
    id {pk},
    plan_id BIGINT NOT NULL REFERENCES period_plans (id),
    -- 1, 2, 3… within the plan.
    version BIGINT NOT NULL,
    text TEXT NOT NULL,
    saved_at {ts} NOT NULL,
    -- The account name (or "nangluc serve" for an import at start).
    saved_by TEXT NOT NULL,
    -- imported, edited, restored.
    action TEXT NOT NULL,
    -- The version the editor started from; for a restore, the version restored.
    based_on BIGINT,
    comment TEXT,
    UNIQUE (plan_id, version)
);
