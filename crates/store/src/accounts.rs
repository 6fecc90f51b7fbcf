//! Accounts of the web application, their sessions and failed logins.
//!
//! The store keeps them and knows nothing of what a role allows: the web crate
//! decides. Passwords arrive already hashed (Argon2 PHC strings) and session
//! tokens as hashes, so nothing secret is stored in the clear.

use chrono::{DateTime, Utc};

use crate::backend::Backend;
use crate::value::{Row, Value, truncate_micros};
use crate::{Result, Store, StoreError};

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    /// Argon2 PHC string.
    pub password_hash: String,
    /// Role code (the web crate's list).
    pub role: String,
    pub unit_id: Option<i64>,
    pub person_id: Option<i64>,
    pub institution_id: Option<i64>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

/// An account to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub unit_id: Option<i64>,
    pub person_id: Option<i64>,
    pub institution_id: Option<i64>,
}

/// A session (browser cookie or API bearer token), found by its token's hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub token_hash: String,
    pub account_id: i64,
    /// `browser` or `api`.
    pub kind: String,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Something an administrator did to an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountEvent {
    pub id: i64,
    pub account_id: i64,
    pub actor: String,
    pub at: DateTime<Utc>,
    /// `created`, `locked`, `unlocked`, `password_reset`.
    pub action: String,
    pub detail: String,
}

/// A change an administrator makes to an account, recorded with the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountChange {
    Create(NewAccount),
    SetActive { id: i64, active: bool },
    /// A new Argon2 PHC string.
    SetPassword { id: i64, hash: String },
}

/// Failed logins counted over a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FailureCounts {
    /// For this account name from this address.
    pub user_from_ip: i64,
    /// For any account name from this address.
    pub ip: i64,
}

const ACCOUNT_COLUMNS: &str = "id, username, display_name, password_hash, role, unit_id, person_id, institution_id, active, created_at";

fn account(r: &Row) -> Result<Account> {
    Ok(Account {
        id: r.get_i64(0)?,
        username: r.get_str(1)?.to_owned(),
        display_name: r.get_str(2)?.to_owned(),
        password_hash: r.get_str(3)?.to_owned(),
        role: r.get_str(4)?.to_owned(),
        unit_id: r.opt_i64(5)?,
        person_id: r.opt_i64(6)?,
        institution_id: r.opt_i64(7)?,
        active: r.get_bool(8)?,
        created_at: r.get_ts(9)?,
    })
}

fn insert_account(db: &mut dyn Backend, a: &NewAccount, now: DateTime<Utc>) -> Result<i64> {
    db.query_one(
        "INSERT INTO accounts (username, display_name, password_hash, role, unit_id, person_id, institution_id, active, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        &[
            a.username.as_str().into(),
            a.display_name.as_str().into(),
            a.password_hash.as_str().into(),
            a.role.as_str().into(),
            a.unit_id.into(),
            a.person_id.into(),
            a.institution_id.into(),
            true.into(),
            now.into(),
        ],
    )?
    .get_i64(0)
}

impl Store {
    /// Creates an account; gives its id. Account names are unique.
    pub fn create_account(&mut self, a: &NewAccount) -> Result<i64> {
        insert_account(self.db.as_mut(), a, truncate_micros(Utc::now()))
    }

    pub fn account_count(&mut self) -> Result<i64> {
        self.db
            .query_one("SELECT COUNT(*) FROM accounts", &[])?
            .get_i64(0)
    }

    pub fn account_by_username(&mut self, username: &str) -> Result<Option<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE username = $1");
        self.db
            .query_opt(&sql, &[username.into()])?
            .map(|r| account(&r))
            .transpose()
    }

    pub fn account(&mut self, id: i64) -> Result<Option<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1");
        self.db
            .query_opt(&sql, &[id.into()])?
            .map(|r| account(&r))
            .transpose()
    }

    /// Every account, by name.
    pub fn accounts(&mut self) -> Result<Vec<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY username");
        self.db.query(&sql, &[])?.iter().map(account).collect()
    }

    pub fn set_account_password(&mut self, id: i64, password_hash: &str) -> Result<()> {
        match self.db.execute(
            "UPDATE accounts SET password_hash = $1 WHERE id = $2",
            &[password_hash.into(), id.into()],
        )? {
            0 => Err(StoreError::EntityNotFound {
                table: "accounts",
                id,
            }),
            _ => Ok(()),
        }
    }

    pub fn set_account_active(&mut self, id: i64, active: bool) -> Result<()> {
        match self.db.execute(
            "UPDATE accounts SET active = $1 WHERE id = $2",
            &[active.into(), id.into()],
        )? {
            0 => Err(StoreError::EntityNotFound {
                table: "accounts",
                id,
            }),
            _ => Ok(()),
        }
    }

    /// Makes an administrator's change to an account and records it, with who
    /// made it and what it was, in one transaction. Locking an account or
    /// resetting its password also ends its sessions. Gives the account's id.
    pub fn change_account(&mut self, actor: &str, change: &AccountChange, detail: &str) -> Result<i64> {
        let now = truncate_micros(Utc::now());
        self.transaction(|db| {
            let (id, action) = match change {
                AccountChange::Create(a) => {
                    let id = insert_account(db, a, now)?;
                    (id, "created")
                }
                &AccountChange::SetActive { id, active } => {
                    if db.execute("UPDATE accounts SET active = $1 WHERE id = $2", &[active.into(), id.into()])? == 0 {
                        return Err(StoreError::EntityNotFound { table: "accounts", id });
                    }
                    if !active {
                        db.execute("DELETE FROM sessions WHERE account_id = $1", &[id.into()])?;
                    }
                    (id, if active { "unlocked" } else { "locked" })
                }
                AccountChange::SetPassword { id, hash } => {
                    let id = *id;
                    if db.execute("UPDATE accounts SET password_hash = $1 WHERE id = $2", &[hash.as_str().into(), id.into()])? == 0 {
                        return Err(StoreError::EntityNotFound { table: "accounts", id });
                    }
                    db.execute("DELETE FROM sessions WHERE account_id = $1", &[id.into()])?;
                    (id, "password_reset")
                }
            };
            db.execute(
                "INSERT INTO account_events (account_id, actor, at, action, detail) VALUES ($1, $2, $3, $4, $5)",
                &[id.into(), actor.into(), now.into(), action.into(), detail.into()],
            )?;
            Ok(id)
        })
    }

    /// What was done to accounts, newest first: of one account, or of all.
    pub fn account_events(&mut self, account_id: Option<i64>, limit: i64) -> Result<Vec<AccountEvent>> {
        let cols = "id, account_id, actor, at, action, detail";
        let rows = match account_id {
            Some(a) => self.db.query(
                &format!("SELECT {cols} FROM account_events WHERE account_id = $1 ORDER BY id DESC LIMIT $2"),
                &[a.into(), limit.into()],
            )?,
            None => self.db.query(&format!("SELECT {cols} FROM account_events ORDER BY id DESC LIMIT $1"), &[limit.into()])?,
        };
        rows.iter()
            .map(|r| {
                Ok(AccountEvent {
                    id: r.get_i64(0)?,
                    account_id: r.get_i64(1)?,
                    actor: r.get_str(2)?.to_owned(),
                    at: r.get_ts(3)?,
                    action: r.get_str(4)?.to_owned(),
                    detail: r.get_str(5)?.to_owned(),
                })
            })
            .collect()
    }

    /// Stores a new session.
    pub fn create_session(&mut self, s: &Session) -> Result<()> {
        self.db.execute(
            "INSERT INTO sessions (token_hash, account_id, kind, csrf_token, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                s.token_hash.as_str().into(),
                s.account_id.into(),
                s.kind.as_str().into(),
                s.csrf_token.as_str().into(),
                truncate_micros(s.created_at).into(),
                truncate_micros(s.expires_at).into(),
            ],
        )?;
        Ok(())
    }

    /// The session of a token hash and its account, if the session has not
    /// expired at `now` and the account is active.
    pub fn session(
        &mut self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(Session, Account)>> {
        let cols: Vec<String> = ACCOUNT_COLUMNS
            .split(", ")
            .map(|c| format!("a.{c}"))
            .collect();
        let sql = format!(
            "SELECT {}, s.token_hash, s.kind, s.csrf_token, s.created_at, s.expires_at
             FROM sessions s JOIN accounts a ON a.id = s.account_id
             WHERE s.token_hash = $1 AND s.expires_at > $2",
            cols.join(", ")
        );
        let Some(r) = self
            .db
            .query_opt(&sql, &[token_hash.into(), truncate_micros(now).into()])?
        else {
            return Ok(None);
        };
        let account = account(&r)?;
        if !account.active {
            return Ok(None);
        }
        let session = Session {
            token_hash: r.get_str(10)?.to_owned(),
            account_id: account.id,
            kind: r.get_str(11)?.to_owned(),
            csrf_token: r.get_str(12)?.to_owned(),
            created_at: r.get_ts(13)?,
            expires_at: r.get_ts(14)?,
        };
        Ok(Some((session, account)))
    }

    /// Ends a session (logout).
    pub fn delete_session(&mut self, token_hash: &str) -> Result<()> {
        self.db.execute(
            "DELETE FROM sessions WHERE token_hash = $1",
            &[token_hash.into()],
        )?;
        Ok(())
    }

    /// Forgets expired sessions and failed logins older than `failures_before`.
    pub fn purge_sessions(
        &mut self,
        now: DateTime<Utc>,
        failures_before: DateTime<Utc>,
    ) -> Result<u64> {
        let n = self.db.execute(
            "DELETE FROM sessions WHERE expires_at <= $1",
            &[truncate_micros(now).into()],
        )?;
        self.db.execute(
            "DELETE FROM login_failures WHERE at < $1",
            &[truncate_micros(failures_before).into()],
        )?;
        Ok(n)
    }

    pub fn record_login_failure(
        &mut self,
        username: &str,
        ip: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.db.execute(
            "INSERT INTO login_failures (username, ip, at) VALUES ($1, $2, $3)",
            &[username.into(), ip.into(), truncate_micros(at).into()],
        )?;
        Ok(())
    }

    /// Failed logins since `since`, for the name from the address and for the address.
    pub fn login_failures(
        &mut self,
        username: &str,
        ip: &str,
        since: DateTime<Utc>,
    ) -> Result<FailureCounts> {
        let since: Value = truncate_micros(since).into();
        let user_from_ip = self
            .db
            .query_one(
                "SELECT COUNT(*) FROM login_failures WHERE username = $1 AND ip = $2 AND at >= $3",
                &[username.into(), ip.into(), since.clone()],
            )?
            .get_i64(0)?;
        let ip = self
            .db
            .query_one(
                "SELECT COUNT(*) FROM login_failures WHERE ip = $1 AND at >= $2",
                &[ip.into(), since],
            )?
            .get_i64(0)?;
        Ok(FailureCounts { user_from_ip, ip })
    }

    /// A successful login forgets the name's failures from that address.
    pub fn clear_login_failures(&mut self, username: &str, ip: &str) -> Result<()> {
        self.db.execute(
            "DELETE FROM login_failures WHERE username = $1 AND ip = $2",
            &[username.into(), ip.into()],
        )?;
        Ok(())
    }
}
