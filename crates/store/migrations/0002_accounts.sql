-- NăngLực: accounts of the web application, their sessions and failed logins.
-- Not facts: they carry no valid time and are not part of the audit trail of
-- the workforce (changes made by an account are, with its name as actor).

CREATE TABLE accounts (
    id {pk},
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    -- Argon2 PHC string.
    password_hash TEXT NOT NULL,
    -- admin, unit_hr, institution, finance, leader, employee (the web's list).
    role TEXT NOT NULL,
    -- The unit whose subtree a unit HR officer manages.
    unit_id BIGINT,
    -- The person an employee account is.
    person_id BIGINT,
    -- The training institution an institution account works for.
    institution_id BIGINT,
    active {bool} NOT NULL,
    created_at {ts} NOT NULL
);

-- Sessions (browser cookies and API bearer tokens): only a hash of the token
-- is kept, so a copy of the database does not open sessions.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    -- browser or api.
    kind TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at {ts} NOT NULL,
    expires_at {ts} NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Failed logins, for throttling: counted per account name and per address
-- over a sliding window.
CREATE TABLE login_failures (
    id {pk},
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    at {ts} NOT NULL
);
CREATE INDEX login_failures_user ON login_failures (username, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);

-- The audit log lists rows by the change that recorded or superseded them.
CREATE INDEX units_change ON units (change_id);
CREATE INDEX people_change ON people (change_id);
CREATE INDEX employments_change ON employments (change_id);
CREATE INDEX qualifications_change ON qualifications (change_id);
CREATE INDEX enrolments_change ON enrolments (change_id);
CREATE INDEX units_superseded_change ON units (superseded_change_id) WHERE superseded_change_id IS NOT NULL;
CREATE INDEX people_superseded_change ON people (superseded_change_id) WHERE superseded_change_id IS NOT NULL;
CREATE INDEX employments_superseded_change ON employments (superseded_change_id) WHERE superseded_change_id IS NOT NULL;
CREATE INDEX qualifications_superseded_change ON qualifications (superseded_change_id) WHERE superseded_change_id IS NOT NULL;
CREATE INDEX enrolments_superseded_change ON enrolments (superseded_change_id) WHERE superseded_change_id IS NOT NULL;
CREATE INDEX changes_actor ON changes (actor, id);
