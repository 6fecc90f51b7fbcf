-- NăngLực: what administrators do to accounts (created, role or scope
-- changed, locked, unlocked, password reset), with who did it and when; the
-- audit log of the workforce's facts is `changes`, this is its counterpart
-- for accounts, which are not facts.

CREATE TABLE account_events (
    id {pk},
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    -- The account name of whoever made the change.
    actor TEXT NOT NULL,
    at {ts} NOT NULL,
    -- created, locked, unlocked, password_reset.
    action TEXT NOT NULL,
    -- Before and after, in words ("vai trò: Lãnh đạo; đơn vị: —").
    detail TEXT NOT NULL
);
CREATE INDEX account_events_account ON account_events (account_id, id);
