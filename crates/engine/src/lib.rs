//! # NăngLực target engine
//!
//! Plans as data: a plan file (TOML, see `docs/plan-format.md`) states the
//! targets (chỉ tiêu) of a training plan; the engine evaluates them over the
//! workforce as of any date, for the province or one unit's subtree, and says
//! how far each is from its threshold, who is missing, and — for a future
//! date — whether it is on track.
//!
//! The engine depends only on `nangluc-core`: no database, no files. The
//! caller reads the store and passes what it knew at a moment.
//!
//! ```text
//! let plan = Plan::parse(&text, "tay-ninh-2021-2025.toml")?;   // Vec<PlanError> on failure
//! let snap = Snapshot::build(&knowledge, today);                 // or stream rows into SnapshotBuilder
//! let result = evaluate(&plan, &snap, as_of, Some("80"));        // PlanResult (serde::Serialize)
//! let changes = diff(&old_plan, &new_plan, &snap, as_of);        // PlanDiff
//! ```
//!
//! * [`Plan::parse`] reads and type-checks a plan; every error carries the
//!   file's line and column and a Vietnamese message (with a suggestion for a
//!   misspelt name).
//! * [`Snapshot`] is a compact image of a [`nangluc_core::Knowledge`]: people
//!   by u32 index, dates as i32 day numbers, codes interned, per-person rows
//!   contiguous. Rows not known at the knowledge's `known_at` are dropped.
//! * [`evaluate`] / [`evaluate_with`] give a [`PlanResult`]: per target the
//!   population, the count meeting it, the exact share ([`Ratio`], `None` for
//!   an empty population), the threshold, the need in whole people split by
//!   year, the breakdown by unit, the people missing with the reason, the
//!   status and the forecast year. Dates after the snapshot's `today` are a
//!   forecast (retirements, enrolled courses counted as done).
//! * [`diff`] compares two versions of a plan; [`edit`] changes a plan's text
//!   in place (a target's keys, a target added or removed) for the browser's editor.
//!
//! Modules: [`plan`] (format), [`expr`] (lexer, parser, checker, compiler),
//! [`snapshot`], [`eval`], [`need`], [`forecast`], [`diff`](mod@diff), [`result`].

mod block;
pub mod diff;
pub mod edit;
pub mod error;
pub mod eval;
pub mod expr;
pub mod forecast;
pub mod need;
pub mod plan;
pub mod result;
pub mod snapshot;

pub use diff::{PlanDiff, TargetDiff, diff};
pub use error::PlanError;
pub use eval::{Options, evaluate, evaluate_plans, evaluate_with};
pub use plan::{Kind, Percent, Plan, Target};
pub use result::{PlanResult, Ratio, Status, TargetResult};
pub use snapshot::{Snapshot, SnapshotBuilder};
