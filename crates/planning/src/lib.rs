//! # NăngLực planning
//!
//! The pure part of planning: no I/O, no database, no web. Every type
//! serialises with serde so the store and the web can keep and show it.
//!
//! * [`needs`]: from a [`nangluc_engine::PlanResult`] and the plan's programme
//!   mapping, who needs which programme, by priority (E overdue, E pending by
//!   deadline, succession planning, targets at risk).
//! * [`proposal`]: those people grouped into classes of 40–50 per programme,
//!   institution and year within the institutions' capacity, spread over the
//!   years to the horizon, E deadlines first; priced; the classes that close
//!   the most gap chosen under a budget ceiling (exact knapsack), the rest
//!   reported unfunded. A draft that people edit.
//! * [`budget`]: dated cost norms by form of study with provincial overrides,
//!   class estimates, the allocation / commitment / spending / settlement
//!   ledger and the variance by unit, source, programme and year.
//! * [`commitment`]: the service commitment of state-funded postgraduate
//!   training and the compensation owed on leaving early, under the rule in
//!   force for the person's category and posting date (Decree 101/2017 + 89/2021,
//!   Decree 171/2025), parameters as dated configuration.
//! * [`nomination`]: a class's life and who may move it, its target group,
//!   the warnings of a nomination, seats with unit quotas and a waiting list
//!   by need.
//! * [`annual`]: a unit's annual plan: its life (draft → submitted →
//!   returned or accepted → aggregated → approved, who may move it), the
//!   31 August deadline and late flag, the check against the targets for the
//!   unit's own people, the province's aggregation by programme and source.
//! * [`duty`]: the responsibility matrix: deadlines read from Vietnamese text,
//!   next deadlines, reminders and the overdue list from status updates.
//!
//! ```text
//! let needs = compute_needs(&plan_result, &ProgrammeMap::from_plan(&plan), &succession);
//! let draft = propose(&needs, &offers, &institutions, &CostNorms::placeholder(), &settings);
//! let funding = fund(&draft, &Ceiling::Total { amount: 2_000_000_000 });
//! ```

pub mod annual;
pub mod budget;
pub mod commitment;
pub mod duty;
pub mod needs;
pub mod nomination;
pub mod proposal;

pub use annual::{
    Actor, PlanAction, PlanStatus, TargetCheck, aggregate, check_against_targets, is_late,
    transition,
};
pub use budget::{
    CostNorms, CostRate, Estimate, Ledger, VarianceBy, VarianceRow, estimate, variance,
};
pub use commitment::{Compensation, RuleBook, ServiceCommitment, compensation};
pub use duty::{DueRule, Duty, StatusUpdate, overdue, parse_due, reminders};
pub use needs::{Needs, PersonNeed, Priority, ProgrammeMap, compute_needs};
pub use proposal::{Ceiling, Funding, Proposal, ProposalSettings, fund, propose};
