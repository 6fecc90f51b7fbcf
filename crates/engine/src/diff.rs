//! Comparing two versions of a plan over the same snapshot: for each changed
//! target, who enters or leaves its population and how the result moves.

use chrono::NaiveDate;
use serde::Serialize;

use crate::eval::{Ctx, Options, compile_all, evaluate_targets};
use crate::plan::{Plan, Target};
use crate::result::{Ratio, TargetResult};
use crate::snapshot::Snapshot;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonRef {
    pub person_id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub population: u64,
    pub met: u64,
    pub share: Option<Ratio>,
    pub holds: Option<bool>,
    pub needed: u64,
}

impl From<&TargetResult> for Summary {
    fn from(r: &TargetResult) -> Self {
        Summary { population: r.population, met: r.met, share: r.share, holds: r.holds, needed: r.needed }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetDiff {
    pub id: String,
    /// The keys whose value changed (population, criterion, horizons…).
    pub changed: Vec<&'static str>,
    pub entered: Vec<PersonRef>,
    pub left: Vec<PersonRef>,
    pub before: Summary,
    pub after: Summary,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanDiff {
    pub as_of: NaiveDate,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<TargetDiff>,
}

fn changes(a: &Target, b: &Target) -> Vec<&'static str> {
    let src = |e: &Option<crate::expr::Expr>| e.as_ref().map(|e| e.src.split_whitespace().collect::<Vec<_>>().join(" "));
    let mut out = Vec::new();
    if a.kind != b.kind {
        out.push("kind");
    }
    if a.wording != b.wording {
        out.push("wording");
    }
    if src(&a.population) != src(&b.population) || a.posts != b.posts {
        out.push("population");
    }
    if src(&a.criterion) != src(&b.criterion) {
        out.push("criterion");
    }
    if a.horizons != b.horizons {
        out.push("horizons");
    }
    if (a.months, a.term, a.event, a.events_from, a.years) != (b.months, b.term, b.event, b.events_from, b.years) {
        out.push("window");
    }
    if a.quota != b.quota {
        out.push("quota");
    }
    if a.classes != b.classes {
        out.push("classes");
    }
    out
}

/// Compares `old` and `new` as of `as_of`. Targets are matched by id.
pub fn diff(old: &Plan, new: &Plan, snap: &Snapshot, as_of: NaiveDate) -> PlanDiff {
    let added = new.targets.iter().filter(|t| old.target(&t.id).is_none()).map(|t| t.id.clone()).collect();
    let removed = old.targets.iter().filter(|t| new.target(&t.id).is_none()).map(|t| t.id.clone()).collect();
    let pairs: Vec<(&Target, &Target, Vec<&'static str>)> = old
        .targets
        .iter()
        .filter_map(|a| new.target(&a.id).map(|b| (a, b, changes(a, b))))
        .filter(|(_, _, c)| !c.is_empty())
        .collect();
    let only = |p: &Plan, side: usize| {
        let mut q = p.clone();
        q.targets = pairs.iter().map(|x| if side == 0 { x.0.clone() } else { x.1.clone() }).collect();
        q
    };
    let (po, pn) = (only(old, 0), only(new, 1));
    let opts = Options { unit: None, missing: false, pace: false };
    let ctx = Ctx::new(snap, as_of, &opts);
    let (ro, mo) = evaluate_targets(&ctx, &compile_all(&[&po], snap), true);
    let (rn, mn) = evaluate_targets(&ctx, &compile_all(&[&pn], snap), true);
    let frame = ctx.frame(as_of);
    let person = |p: u32| PersonRef {
        person_id: snap.person_ids[p as usize],
        name: frame.person(p).det.map(|d| snap.name(d).to_string()).unwrap_or_default(),
    };
    let changed = pairs
        .iter()
        .enumerate()
        .map(|(i, (a, _, c))| {
            let (old_m, new_m) = (&mo[i], &mn[i]);
            let entered = new_m.iter().filter(|p| old_m.binary_search(p).is_err()).map(|p| person(*p)).collect();
            let left = old_m.iter().filter(|p| new_m.binary_search(p).is_err()).map(|p| person(*p)).collect();
            TargetDiff { id: a.id.clone(), changed: c.clone(), entered, left, before: (&ro[i]).into(), after: (&rn[i]).into() }
        })
        .collect();
    PlanDiff { as_of, added, removed, changed }
}
