//! Evaluation of a plan over a snapshot as of a date.
//!
//! Person targets are grouped by evaluation date; for each date one pass over
//! the people computes each person's state once and runs every target's
//! compiled population and criterion on it. Results break down by unit along
//! the unit tree of the evaluation date.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use nangluc_core::time::add_months;
use nangluc_core::training::{ClassStatus, EnrolmentStatus, InstitutionKind, Topic};

use crate::block::{self, BLOCK, Bits, Program};
use crate::expr::check::{Node, Pred};
use crate::expr::compile::{self, Explainer, Frame, PersonAt, Test, eval_lecturer};
use crate::expr::{Event, Expr};
use crate::forecast;
use crate::need;
use crate::plan::{ClassCount, CountRange, EnrolmentFilter, Horizon, Kind, Plan, QuotaCount, Target};
use crate::result::*;
use crate::snapshot::{ClassRow, Day, IdHasher, NONE, ProgRow, Snapshot, TreeCache, UnitTree, date, day};

/// What to compute besides the figures.
#[derive(Debug, Clone)]
pub struct Options {
    /// Only this unit (by code, on the evaluation date) and the units below it.
    pub unit: Option<String>,
    /// List the people who do not meet each target, with the reason.
    pub missing: bool,
    /// Evaluate 12 months earlier too, for the pace and the forecast year.
    pub pace: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { unit: None, missing: true, pace: true }
    }
}

/// Evaluates every target of `plan` as of `as_of`, for the whole province or
/// the subtree of the unit with code `unit`. A date after the snapshot's
/// `today` is a forecast.
pub fn evaluate(plan: &Plan, snap: &Snapshot, as_of: NaiveDate, unit: Option<&str>) -> PlanResult {
    evaluate_with(plan, snap, as_of, &Options { unit: unit.map(str::to_string), ..Options::default() })
}

pub(crate) struct Ctx<'s> {
    pub snap: &'s Snapshot,
    trees: RefCell<TreeCache>,
    /// Class sizes on the date (enrolments not withdrawn or waitlisted), shared by the C targets.
    sizes: RefCell<Option<Arc<Vec<u64>>>>,
    /// The classes as they stand on the date, shared by the C targets.
    classes: RefCell<Option<Arc<Vec<&'s ClassRow>>>>,
    pub as_of: NaiveDate,
    pub tree: Arc<UnitTree>,
    unit_code: Option<u32>,
    pub opts: Options,
}

impl<'s> Ctx<'s> {
    pub fn new(snap: &'s Snapshot, as_of: NaiveDate, opts: &Options) -> Self {
        let mut cache = TreeCache::default();
        let tree = cache.get(snap, day(as_of));
        let unit_code = opts.unit.as_deref().map(|c| snap.strings.get(c));
        Ctx { snap, trees: RefCell::new(cache), sizes: RefCell::new(None), classes: RefCell::new(None), as_of, tree, unit_code, opts: opts.clone() }
    }

    pub fn frame(&self, d: NaiveDate) -> Frame<'s> {
        let tree = self.trees.borrow_mut().get(self.snap, day(d));
        Frame::new(self.snap, d, tree)
    }

    /// The number of people in each class as of the date, by the class's
    /// dense index (counted in the walk of the enrolments for the quotas).
    fn class_sizes(&self) -> Arc<Vec<u64>> {
        if self.sizes.borrow().is_none() {
            let none = Tests::default().compiled(Vec::new());
            let (_, sizes) = count_quotas(self, &none, &[], true);
            *self.sizes.borrow_mut() = sizes.map(Arc::new);
        }
        self.sizes.borrow().clone().unwrap_or_default()
    }

    /// Each class as it stands on the date.
    fn classes(&self) -> Arc<Vec<&'s ClassRow>> {
        self.classes.borrow_mut().get_or_insert_with(|| Arc::new(self.snap.classes_at(day(self.as_of)))).clone()
    }
}

fn inside(unit_code: Option<u32>, tree: &UnitTree, unit: Option<u32>) -> bool {
    match unit_code {
        None => true,
        Some(code) => unit.is_some_and(|u| tree.ancestors(u).any(|a| tree.units[a as usize].code == code)),
    }
}

fn unit_label(snap: &Snapshot, tree: &UnitTree, unit: Option<u32>) -> (Option<String>, Option<String>) {
    match unit {
        Some(u) => {
            let tu = &tree.units[u as usize];
            (Some(snap.strings.name(tu.code).to_string()), Some(tu.name.clone()))
        }
        None => (None, None),
    }
}

/// The targets of one or more plans, compiled. Each distinct population and
/// criterion (keyed by its checked expression, so `within: window` of two
/// kinds stays two tests) is compiled once, and evaluated at most once per
/// person and date however many targets share it.
pub(crate) struct Compiled<'p> {
    tests: Vec<Test>,
    /// The same tests as trees of bit-set operations, for blocks of people.
    program: Program,
    /// Test index → its node in [`Compiled::program`].
    top: Vec<usize>,
    targets: Vec<CTarget<'p>>,
}

pub(crate) struct CTarget<'p> {
    plan: &'p Plan,
    t: &'p Target,
    /// Who is counted: a test of [`Compiled::tests`].
    pop: usize,
    /// What they must meet.
    crit: Option<usize>,
    /// The criterion compiled for the reasons of the missing lists.
    why: Option<Explainer<'p>>,
}

/// Distinct tests by key.
#[derive(Default)]
struct Tests {
    keys: HashMap<String, usize>,
    tests: Vec<Test>,
    program: Program,
    top: Vec<usize>,
}

impl Tests {
    fn add(&mut self, key: String, make: impl FnOnce() -> Test, node: impl FnOnce(&mut Program) -> usize) -> usize {
        if let Some(&i) = self.keys.get(&key) {
            return i;
        }
        self.tests.push(make());
        self.top.push(node(&mut self.program));
        self.keys.insert(key, self.tests.len() - 1);
        self.tests.len() - 1
    }

    fn node(&mut self, node: &Node, snap: &Snapshot) -> usize {
        self.add(format!("{:?}", node.pred), || compile::compile(node, snap), |pg| pg.node(node, snap))
    }

    fn compiled<'p>(self, targets: Vec<CTarget<'p>>) -> Compiled<'p> {
        Compiled { tests: self.tests, program: self.program, top: self.top, targets }
    }
}

fn compile_target<'p>(plan: &'p Plan, t: &'p Target, snap: &Snapshot, tests: &mut Tests) -> CTarget<'p> {
    let lecturer = t.kind == Kind::LecturerRatio;
    let population = t.population.as_ref().filter(|_| !lecturer);
    let pop = if t.posts.is_empty() {
        match population {
            Some(e) => tests.node(&e.node, snap),
            None => tests.add("everyone".into(), || Box::new(|_, _| true), |pg| pg.constant(true)),
        }
    } else {
        // P: the holders of the posts (and the population, if any).
        let posts = Node { pred: Pred::Post { codes: t.posts.clone() }, src: String::new() };
        let key = format!("{:?} and {:?}", posts.pred, population.map(|e| &e.node.pred));
        tests.add(key, || {
            let posts_test = compile::compile(&posts, snap);
            let inner: Test = match population {
                Some(e) => compile::compile(&e.node, snap),
                None => Box::new(|_, _| true),
            };
            Box::new(move |f, p| posts_test(f, p) && inner(f, p))
        }, |pg| {
            let posts = pg.node(&posts, snap);
            match population {
                Some(e) => {
                    let inner = pg.node(&e.node, snap);
                    pg.all(vec![posts, inner])
                }
                None => posts,
            }
        })
    };
    let criterion = t.criterion.as_ref().filter(|_| !lecturer);
    let crit = criterion.map(|e| tests.node(&e.node, snap));
    let why = criterion.map(|e: &Expr| Explainer::new(&e.node, snap));
    CTarget { plan, t, pop, crit, why }
}

/// Compiles every target of the plans, in order.
pub(crate) fn compile_all<'p>(plans: &[&'p Plan], snap: &Snapshot) -> Compiled<'p> {
    let mut tests = Tests::default();
    let targets = plans.iter().flat_map(|&plan| plan.targets.iter().map(move |t| (plan, t))).map(|(plan, t)| compile_target(plan, t, snap, &mut tests)).collect();
    tests.compiled(targets)
}

/// The answers of the tests for one person on one date, each computed on
/// first use.
struct Memo(Vec<u8>);

impl Memo {
    fn new(c: &Compiled) -> Self {
        Memo(vec![0; c.tests.len()])
    }
    fn clear(&mut self) {
        self.0.fill(0);
    }
    #[inline]
    fn test(&mut self, c: &Compiled, i: usize, f: &Frame, pa: &PersonAt) -> bool {
        match self.0[i] {
            0 => {
                let r = (c.tests[i])(f, pa);
                self.0[i] = 1 + r as u8;
                r
            }
            m => m == 2,
        }
    }
}

#[derive(Clone, Copy)]
enum Mode {
    Plain,
    Event { event: Event, months: i32, from: Day },
}

struct Job {
    target: usize,
    date: NaiveDate,
    detail: bool,
    mode: Mode,
}

/// Counts of one job: totals and, with detail, per unit ([pop, met, overdue, pending]).
#[derive(Default)]
struct JobOut {
    pop: u64,
    met: u64,
    overdue: u64,
    pending: u64,
    own: Vec<[u64; 4]>,
    tree: Option<Arc<UnitTree>>,
    missing: Vec<Missing>,
    holders: Vec<Holder>,
    members: Vec<u32>,
}

/// What a worker thread needs of the context (the context itself holds a
/// `RefCell` and stays on the calling thread).
#[derive(Clone, Copy)]
struct View<'s> {
    snap: &'s Snapshot,
    unit_code: Option<u32>,
    missing: bool,
}

/// Below this many people a date is evaluated on the calling thread only.
const PARALLEL_MIN_PEOPLE: usize = 20_000;

fn workers(people: usize) -> usize {
    if people < PARALLEL_MIN_PEOPLE {
        return 1;
    }
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 16).min(people / (PARALLEL_MIN_PEOPLE / 2))
}

fn run_jobs(ctx: &Ctx, cts: &Compiled, jobs: &[Job], members: bool) -> Vec<JobOut> {
    let mut dates: Vec<NaiveDate> = jobs.iter().map(|j| j.date).collect();
    dates.sort();
    dates.dedup();
    let frames: Vec<Frame> = dates.iter().map(|&d| ctx.frame(d)).collect();
    let groups: Vec<Vec<usize>> = dates.iter().map(|d| (0..jobs.len()).filter(|&j| jobs[j].date == *d).collect()).collect();
    let v = View { snap: ctx.snap, unit_code: ctx.unit_code, missing: ctx.opts.missing };
    let n = ctx.snap.people() as u32;
    // People are split into contiguous ranges, one per worker; the parts are
    // merged in order, so lists come out as from a single pass.
    let w = workers(n as usize) as u32;
    let parts: Vec<Vec<JobOut>> = if w <= 1 {
        vec![scan(v, &frames, &groups, cts, jobs, members, 0..n)]
    } else {
        let step = n.div_ceil(w);
        std::thread::scope(|s| {
            let (frames, groups) = (&frames, &groups);
            let handles: Vec<_> = (0..w)
                .map(|i| {
                    let range = (i * step).min(n)..((i + 1) * step).min(n);
                    s.spawn(move || scan(v, frames, groups, cts, jobs, members, range))
                })
                .collect();
            handles.into_iter().map(|h| h.join().expect("evaluation worker")).collect()
        })
    };
    let mut parts = parts.into_iter();
    let mut outs = parts.next().unwrap_or_default();
    for (g, here) in groups.iter().enumerate() {
        for &j in here {
            if jobs[j].detail {
                outs[j].tree = Some(frames[g].tree.clone());
            }
        }
    }
    for part in parts {
        for (out, o) in outs.iter_mut().zip(part) {
            out.pop += o.pop;
            out.met += o.met;
            out.overdue += o.overdue;
            out.pending += o.pending;
            for (a, b) in out.own.iter_mut().zip(&o.own) {
                for i in 0..4 {
                    a[i] += b[i];
                }
            }
            out.missing.extend(o.missing);
            out.holders.extend(o.holders);
            out.members.extend(o.members);
        }
    }
    outs
}

/// The jobs of one date, grouped by population test: a population is
/// evaluated once for all its jobs, and its criteria only on its members.
struct PopGroup {
    pop: usize,
    jobs: Vec<JobSpec>,
}

struct JobSpec {
    j: usize,
    crit: Option<usize>,
    holder: bool,
}

fn date_groups(cts: &Compiled, jobs: &[Job], here: &[usize]) -> Vec<PopGroup> {
    let mut groups: Vec<PopGroup> = Vec::new();
    for &j in here {
        let ct = &cts.targets[jobs[j].target];
        let spec = JobSpec { j, crit: ct.crit, holder: ct.t.kind == Kind::PostHolder };
        match groups.iter_mut().find(|g| g.pop == ct.pop) {
            Some(g) => g.jobs.push(spec),
            None => groups.push(PopGroup { pop: ct.pop, jobs: vec![spec] }),
        }
    }
    groups
}

/// One worker's pass over a range of people for all the jobs, grouped by
/// date (`groups[g]`: the jobs of `frames[g]`'s date). The people are taken a
/// block at a time through every date in turn, while their rows are in the
/// cache; on each date the tests run over the whole block as bit sets.
fn scan(v: View, frames: &[Frame], groups: &[Vec<usize>], cts: &Compiled, jobs: &[Job], members: bool, range: std::ops::Range<u32>) -> Vec<JobOut> {
    let mut outs: Vec<JobOut> = jobs.iter().map(|_| JobOut::default()).collect();
    for (g, here) in groups.iter().enumerate() {
        for &j in here {
            if jobs[j].detail {
                outs[j].own = vec![[0; 4]; frames[g].tree.len() + 1];
            }
        }
    }
    let by_date: Vec<Vec<PopGroup>> = groups.iter().map(|here| date_groups(cts, jobs, here)).collect();
    let mut memo = block::Memo::new(&cts.program);
    let mut people = block::People::new();
    let mut start = range.start;
    while start < range.end {
        let end = (start + BLOCK as u32).min(range.end);
        memo.next_block();
        for (g, frame) in frames.iter().enumerate() {
            people.clear();
            let mut base = Bits::EMPTY;
            for p in start..end {
                let pa = frame.person(p);
                if frame.in_base(&pa) && inside(v.unit_code, &frame.tree, pa.unit) {
                    base.set((p - start) as usize);
                }
                people.push(v.snap, &frame.tree, pa);
            }
            if base.is_empty() {
                continue;
            }
            memo.next_date();
            let block = Block { start, people: &people, base };
            scan_date(v, frame, &by_date[g], cts, jobs, members, &block, &mut memo, &mut outs);
        }
        start = end;
    }
    outs
}

/// A block of people on one date: the first person's index, each person's
/// state, and those in the workforce (and the unit asked for) on the date.
struct Block<'a, 's> {
    start: u32,
    people: &'a block::People<'s>,
    base: Bits,
}

/// The jobs of one date for a block of people.
#[allow(clippy::too_many_arguments)]
fn scan_date(v: View, frame: &Frame, groups: &[PopGroup], cts: &Compiled, jobs: &[Job], members: bool, b: &Block, memo: &mut block::Memo, outs: &mut [JobOut]) {
    let d = frame.date;
    let pg = &cts.program;
    for group in groups {
        let pop = memo.eval(pg, cts.top[group.pop], &b.base, frame, b.people);
        if pop.is_empty() {
            continue;
        }
        for js in &group.jobs {
            let job = &jobs[js.j];
            let met = match js.crit {
                Some(c) => memo.eval(pg, cts.top[c], &pop, frame, b.people),
                None => Bits::EMPTY,
            };
            let out = &mut outs[js.j];
            if matches!(job.mode, Mode::Plain) && !members && !js.holder {
                // Met or not: counted on the bit sets, then by unit.
                let (n, m) = (pop.count(), met.count());
                out.pop += n;
                out.met += m;
                out.overdue += n - m;
                if job.detail {
                    let not = pop.without(&met);
                    let slot = |i: usize| b.people.pas[i].unit.map(|u| u as usize).unwrap_or(frame.tree.len());
                    for i in pop.ones() {
                        out.own[slot(i)][0] += 1;
                    }
                    for i in met.ones() {
                        out.own[slot(i)][1] += 1;
                    }
                    for i in not.ones() {
                        out.own[slot(i)][2] += 1;
                    }
                    if v.missing {
                        for i in not.ones() {
                            let pa = &b.people.pas[i];
                            let reason = cts.targets[job.target].why.as_ref().map(|why| why.explain(frame, pa).join("; ")).unwrap_or_default();
                            out.missing.push(missing_row(v, frame, pa, reason, None, None));
                        }
                    }
                }
                continue;
            }
            for i in pop.ones() {
                let (pa, p, met) = (&b.people.pas[i], b.start + i as u32, met.get(i));
                let slot = pa.unit.map(|u| u as usize).unwrap_or(frame.tree.len());
                let (status, deadline) = match job.mode {
                    Mode::Plain => (if met { EventStatus::Met } else { EventStatus::Overdue }, None),
                    Mode::Event { event, months, from } => match frame.event_day(pa, event) {
                        Some(ev) if ev < from => continue,
                        Some(ev) => {
                            let dl = add_months(date(ev), months);
                            let s = if met {
                                EventStatus::Met
                            } else if d > dl {
                                EventStatus::Overdue
                            } else {
                                EventStatus::Pending
                            };
                            (s, Some(dl))
                        }
                        None => (if met { EventStatus::Met } else { EventStatus::NoEvent }, None),
                    },
                };
                out.pop += 1;
                if members {
                    out.members.push(p);
                }
                let k = match status {
                    EventStatus::Met => {
                        out.met += 1;
                        1
                    }
                    EventStatus::Overdue => {
                        out.overdue += 1;
                        2
                    }
                    EventStatus::Pending => {
                        out.pending += 1;
                        3
                    }
                    EventStatus::NoEvent => 4,
                };
                if !job.detail {
                    continue;
                }
                out.own[slot][0] += 1;
                if k < 4 {
                    out.own[slot][k] += 1;
                }
                if js.holder {
                    let (_, unit) = unit_label(v.snap, &frame.tree, pa.unit);
                    let post = pa.emp.and_then(|e| e.post).map(|p| v.snap.strings.name(p.code).to_string()).unwrap_or_default();
                    out.holders.push(Holder { person_id: v.snap.person_ids[p as usize], name: name_of(v.snap, pa), post, unit, meets: met });
                }
                if !met && v.missing {
                    let reason = match (status, &cts.targets[job.target].why) {
                        (EventStatus::NoEvent, _) => match job.mode {
                            Mode::Event { event, .. } => format!("không có {} trong dữ liệu", event.label()),
                            Mode::Plain => String::new(),
                        },
                        (_, Some(why)) => why.explain(frame, pa).join("; "),
                        _ => String::new(),
                    };
                    let is_event = matches!(job.mode, Mode::Event { .. });
                    out.missing.push(missing_row(v, frame, pa, reason, deadline, is_event.then_some(status)));
                }
            }
        }
    }
}

/// A row of a missing list: the person as of the frame's date.
fn missing_row(v: View, frame: &Frame, pa: &PersonAt, reason: String, deadline: Option<NaiveDate>, status: Option<EventStatus>) -> Missing {
    let (unit_code, unit) = unit_label(v.snap, &frame.tree, pa.unit);
    Missing { person_id: v.snap.person_ids[pa.p as usize], name: name_of(v.snap, pa), unit_code, unit, reason, deadline, status }
}

fn name_of(snap: &Snapshot, pa: &PersonAt) -> String {
    pa.det.map(|d| snap.name(d).to_string()).unwrap_or_default()
}

/// Per-unit rows: own counts, then each unit's subtree totals. The rows of
/// the top units plus the unplaced row sum to the whole.
fn breakdown(ctx: &Ctx, tree: &UnitTree, own: &[[u64; 4]], min: Option<crate::plan::Percent>, event: bool) -> Vec<UnitBreakdown> {
    let n = tree.len();
    let mut agg = own.to_vec();
    for (u, counts) in own.iter().enumerate().take(n) {
        for a in tree.ancestors(u as u32).skip(1) {
            for (total, c) in agg[a as usize].iter_mut().zip(counts) {
                *total += c;
            }
        }
    }
    let row = |i: usize| -> Option<UnitBreakdown> {
        let [pop, met, overdue, pending] = agg[i];
        if pop == 0 {
            return None;
        }
        let den = if event { met + overdue } else { pop };
        let (unit_id, code, name, parent_id) = if i < n {
            let u = &tree.units[i];
            (Some(u.entity), ctx.snap.strings.name(u.code).to_string(), u.name.clone(), u.parent.map(|p| tree.units[p as usize].entity))
        } else {
            (None, String::new(), "Không thuộc đơn vị nào".to_string(), None)
        };
        Some(UnitBreakdown {
            unit_id,
            code,
            name,
            parent_id,
            own_population: own[i][0],
            own_met: own[i][1],
            population: pop,
            met,
            share: Ratio::of(met, den),
            needed: min.map(|m| need::needed(m, den, met)).unwrap_or(0),
            overdue,
            pending,
        })
    };
    (0..=n).filter_map(row).collect()
}

fn active_horizon(t: &Target, as_of: NaiveDate) -> Option<Horizon> {
    t.horizons.iter().find(|h| h.by >= as_of.year()).or(t.horizons.last()).copied()
}

fn horizon_results(t: &Target, den: u64, met: u64, as_of: NaiveDate) -> Vec<HorizonResult> {
    t.horizons
        .iter()
        .map(|h| {
            let needed = need::needed(h.min, den, met);
            let first = as_of.year().min(h.by);
            HorizonResult {
                by: h.by,
                min: h.min,
                stretch: h.stretch,
                required: need::required(h.min, den),
                needed,
                holds: den > 0 && need::holds(h.min, den, met),
                stretch_holds: h.stretch.map(|s| den > 0 && need::holds(s, den, met)),
                need_by_year: need::split(needed, first, h.by).into_iter().map(|(year, count)| YearNeed { year, count }).collect(),
            }
        })
        .collect()
}

fn blank(t: &Target) -> TargetResult {
    TargetResult {
        id: t.id.clone(),
        group: t.group.clone(),
        wording: t.wording.clone(),
        kind: t.kind,
        letter: t.kind.letter(),
        threshold: None,
        horizons: Vec::new(),
        population: 0,
        met: 0,
        share: None,
        holds: None,
        needed: 0,
        need_by_year: Vec::new(),
        overdue: None,
        pending: None,
        by_unit: Vec::new(),
        missing: Vec::new(),
        holders: Vec::new(),
        per_year: Vec::new(),
        sub_quotas: Vec::new(),
        classes: Vec::new(),
        class_count: None,
        status: Status::NotApplicable,
        forecast_year: None,
        stated_need: t.annex.as_ref().map(|a| a.need.iter().map(|(year, count)| YearNeed { year: *year, count: *count }).collect()).unwrap_or_default(),
        notes: Vec::new(),
    }
}

fn year_end(y: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(NaiveDate::MAX)
}

fn event_mode(t: &Target, plan: &Plan) -> Mode {
    match (t.kind, t.event, t.months) {
        (Kind::AfterEvent, Some(event), Some(months)) => {
            let from = t.events_from.unwrap_or_else(|| NaiveDate::from_ymd_opt(plan.period.0, 1, 1).unwrap_or(NaiveDate::MIN));
            Mode::Event { event, months, from: day(from) }
        }
        _ => Mode::Plain,
    }
}

/// Evaluates with options (unit filter, missing lists, pace).
pub fn evaluate_with(plan: &Plan, snap: &Snapshot, as_of: NaiveDate, opts: &Options) -> PlanResult {
    evaluate_plans(&[plan], snap, as_of, opts).pop().expect("one result per plan")
}

/// Evaluates several plans together, with the same results as evaluating
/// each alone: the passes over the people (one per date), the walk of the
/// enrolments for the quotas, the appointments of the before-event targets and
/// the class sizes are shared by all their targets.
pub fn evaluate_plans(plans: &[&Plan], snap: &Snapshot, as_of: NaiveDate, opts: &Options) -> Vec<PlanResult> {
    let ctx = Ctx::new(snap, as_of, opts);
    let mut warnings = Vec::new();
    if let (Some(code), Some(c)) = (&opts.unit, ctx.unit_code)
        && (c == NONE || !ctx.tree.units.iter().any(|u| u.code == c))
    {
        warnings.push(format!("không có đơn vị mã '{code}' vào ngày {}", as_of.format("%d/%m/%Y")));
    }
    let cts = compile_all(plans, snap);
    let mut results = evaluate_targets(&ctx, &cts, false).0.into_iter();
    plans
        .iter()
        .map(|plan| PlanResult {
            plan_id: plan.id.clone(),
            plan_name: plan.name.clone(),
            as_of,
            today: snap.today,
            known_at: snap.known_at,
            forecast: as_of > snap.today,
            unit: opts.unit.clone(),
            targets: results.by_ref().take(plan.targets.len()).collect(),
            duties: plan.duties.len(),
            warnings: warnings.clone(),
        })
        .collect()
}

/// Evaluates all targets; with `members`, also returns the population of each
/// person target as of the date (for diffs).
pub(crate) fn evaluate_targets(ctx: &Ctx, cts: &Compiled, members: bool) -> (Vec<TargetResult>, Vec<Vec<u32>>) {
    let as_of = ctx.as_of;
    let mut jobs = Vec::new();
    // (target index) -> (main job, pace job, yearly jobs)
    let mut main: HashMap<usize, usize> = HashMap::new();
    let mut pace: HashMap<usize, usize> = HashMap::new();
    let mut yearly: HashMap<usize, Vec<(i32, usize)>> = HashMap::new();
    for (i, ct) in cts.targets.iter().enumerate() {
        let (t, plan) = (ct.t, ct.plan);
        match t.kind {
            Kind::Ratio | Kind::Window | Kind::Term | Kind::AfterEvent | Kind::PostHolder => {
                let mode = event_mode(t, plan);
                main.insert(i, jobs.len());
                jobs.push(Job { target: i, date: as_of, detail: true, mode });
                if ctx.opts.pace {
                    pace.insert(i, jobs.len());
                    jobs.push(Job { target: i, date: add_months(as_of, -12), detail: false, mode });
                }
            }
            Kind::Yearly => {
                let (y0, y1) = t.years.unwrap_or(plan.period);
                let last = y1.min(as_of.year());
                let mut v = Vec::new();
                for y in y0..=last {
                    let d = year_end(y).min(as_of);
                    v.push((y, jobs.len()));
                    jobs.push(Job { target: i, date: d, detail: y == last, mode: Mode::Plain });
                }
                if v.is_empty() && members {
                    main.insert(i, jobs.len());
                    jobs.push(Job { target: i, date: as_of, detail: false, mode: Mode::Plain });
                }
                if let Some((_, j)) = v.last() {
                    main.insert(i, *j);
                }
                yearly.insert(i, v);
            }
            _ => {}
        }
    }
    let mut outs = run_jobs(ctx, cts, &jobs, members);
    let quota_targets: Vec<usize> = (0..cts.targets.len()).filter(|&i| cts.targets[i].t.kind == Kind::Quota && cts.targets[i].t.quota.is_some()).collect();
    // The class sizes are counted in the same walk of the enrolments, when a class target needs them.
    let want_sizes = cts.targets.iter().any(|ct| ct.t.kind == Kind::Classes && ct.t.classes.is_some()) && ctx.sizes.borrow().is_none();
    let (counts, sizes) = count_quotas(ctx, cts, &quota_targets, want_sizes);
    if let Some(sizes) = sizes {
        *ctx.sizes.borrow_mut() = Some(Arc::new(sizes));
    }
    let mut quota_counts: HashMap<usize, QuotaCounts> = quota_targets.iter().copied().zip(counts).collect();
    let before_targets: Vec<usize> = (0..cts.targets.len()).filter(|&i| cts.targets[i].t.kind == Kind::BeforeEvent).collect();
    let mut before_counts: HashMap<usize, BeforeCounts> = before_targets.iter().copied().zip(count_before_events(ctx, cts, &before_targets)).collect();
    let mut results = Vec::new();
    let mut pops = Vec::new();
    for (i, ct) in cts.targets.iter().enumerate() {
        let (t, plan) = (ct.t, ct.plan);
        let mut r = blank(t);
        let mut members_of = Vec::new();
        match t.kind {
            Kind::Ratio | Kind::Window | Kind::Term | Kind::AfterEvent | Kind::PostHolder => {
                let out = std::mem::take(&mut outs[main[&i]]);
                let event = t.kind == Kind::AfterEvent;
                let den = if event { out.met + out.overdue } else { out.pop };
                let h = active_horizon(t, as_of);
                r.threshold = h;
                r.population = out.pop;
                r.met = out.met;
                r.share = Ratio::of(out.met, den);
                r.holds = h.filter(|_| den > 0).map(|h| need::holds(h.min, den, out.met));
                r.horizons = horizon_results(t, den, out.met, as_of);
                if let Some(hr) = r.horizons.iter().find(|x| Some(x.by) == h.map(|h| h.by)) {
                    r.needed = hr.needed;
                    r.need_by_year = hr.need_by_year.clone();
                }
                if event {
                    r.overdue = Some(out.overdue);
                    r.pending = Some(out.pending);
                }
                if let Some(tree) = &out.tree {
                    r.by_unit = breakdown(ctx, tree, &out.own, h.map(|h| h.min), event);
                }
                r.missing = out.missing;
                r.holders = out.holders;
                let before = pace.get(&i).map(|&j| {
                    let o = &outs[j];
                    let den = if event { o.met + o.overdue } else { o.pop };
                    h.map(|h| need::needed(h.min, den, o.met)).unwrap_or(0)
                });
                let (s, y) = forecast::ratio_status(den, r.needed, before, as_of, h.map(|h| h.by).unwrap_or(plan.period.1));
                r.status = s;
                r.forecast_year = y;
                members_of = out.members;
            }
            Kind::Yearly => {
                let h = active_horizon(t, as_of);
                r.threshold = h;
                let min = h.map(|h| h.min).unwrap_or(crate::plan::Percent::FULL);
                for &(y, j) in yearly.get(&i).map(Vec::as_slice).unwrap_or(&[]) {
                    let o = &outs[j];
                    let d = year_end(y).min(as_of);
                    r.per_year.push(YearResult {
                        year: y,
                        as_of: d,
                        population: o.pop,
                        met: o.met,
                        share: Ratio::of(o.met, o.pop),
                        min: None,
                        max: None,
                        holds: (o.pop > 0).then(|| need::holds(min, o.pop, o.met)),
                        above_max: false,
                        needed: need::needed(min, o.pop, o.met),
                    });
                }
                if let Some(&j) = main.get(&i) {
                    let out = std::mem::take(&mut outs[j]);
                    r.population = out.pop;
                    r.met = out.met;
                    r.share = Ratio::of(out.met, out.pop);
                    r.holds = (out.pop > 0).then(|| need::holds(min, out.pop, out.met));
                    r.needed = need::needed(min, out.pop, out.met);
                    let y = r.per_year.last().map(|p| p.year).unwrap_or(as_of.year());
                    r.need_by_year = vec![YearNeed { year: y, count: r.needed }];
                    r.horizons = horizon_results(t, out.pop, out.met, as_of);
                    if let Some(tree) = &out.tree {
                        r.by_unit = breakdown(ctx, tree, &out.own, Some(min), false);
                    }
                    r.missing = out.missing;
                    let (s, fy) = forecast::yearly_status(out.pop, out.met, min, as_of.min(year_end(y)), year_end(y));
                    r.status = s;
                    r.forecast_year = fy;
                    members_of = out.members;
                } else {
                    r.notes.push("chưa đến năm đầu của chỉ tiêu hằng năm".into());
                }
            }
            Kind::BeforeEvent => before_event(ctx, plan, t, before_counts.remove(&i).unwrap_or_default(), &mut r),
            Kind::Quota => quota(ctx, t, quota_counts.remove(&i).unwrap_or_default(), &mut r),
            Kind::Classes => classes(ctx, t, &mut r),
            Kind::LecturerRatio => lecturers(ctx, t, &mut r),
        }
        results.push(r);
        pops.push(members_of);
    }
    (results, pops)
}

/// B: the counts of one before-event target.
#[derive(Default)]
pub(crate) struct BeforeCounts {
    pop: u64,
    met: u64,
    /// Year of the event → (population, met).
    years: HashMap<i32, (u64, u64)>,
    own: Vec<[u64; 4]>,
    missing: Vec<Missing>,
}

/// The events a before-event target counts: its event, from `events_from`
/// (default: 1 January of its first year) to the date or the end of its last year.
fn before_range(ctx: &Ctx, plan: &Plan, t: &Target) -> (i32, Day, Day) {
    let (y0, y1) = t.years.unwrap_or(plan.period);
    let from = t.events_from.unwrap_or_else(|| NaiveDate::from_ymd_opt(y0, 1, 1).unwrap_or(NaiveDate::MIN));
    (y0, day(from), day(ctx.as_of.min(year_end(y1))))
}

/// B targets (`which`), in one pass over the people's events: each event is
/// looked at once, as of its day, for every target that counts it.
fn count_before_events(ctx: &Ctx, cts: &Compiled, which: &[usize]) -> Vec<BeforeCounts> {
    let tree = ctx.tree.clone();
    let specs: Vec<(Event, Day, Day)> = which
        .iter()
        .map(|&i| {
            let ct = &cts.targets[i];
            let (_, from, to) = before_range(ctx, ct.plan, ct.t);
            (ct.t.event.unwrap_or(Event::Appointment), from, to)
        })
        .collect();
    let blank = || -> Vec<BeforeCounts> { which.iter().map(|_| BeforeCounts { own: vec![[0u64; 4]; tree.len() + 1], ..BeforeCounts::default() }).collect() };
    if which.is_empty() {
        return blank();
    }
    let (snap, unit_code, missing) = (ctx.snap, ctx.unit_code, ctx.opts.missing);
    // People are split into ranges, one per worker, each with its own unit
    // trees (the context's cache is behind a RefCell); parts merge in order.
    let run = |range: std::ops::Range<u32>| -> Vec<BeforeCounts> {
        let mut outs = blank();
        let mut trees = TreeCache::default();
        let mut memo = Memo::new(cts);
        for p in range {
            for ev in snap.events.of(p) {
                let mut seen: Option<(Frame, PersonAt)> = None;
                for (k, &i) in which.iter().enumerate() {
                    let (event, from, to) = specs[k];
                    if ev.kind != event || ev.day < from || ev.day > to {
                        continue;
                    }
                    let (frame, pa) = seen.get_or_insert_with(|| {
                        memo.clear();
                        let frame = Frame::new(snap, date(ev.day), trees.get(snap, ev.day));
                        let pa = frame.person(p);
                        (frame, pa)
                    });
                    let ct = &cts.targets[i];
                    if !frame.in_base(pa) || !inside(unit_code, &frame.tree, pa.unit) || !memo.test(cts, ct.pop, frame, pa) {
                        continue;
                    }
                    let ok = ct.crit.is_some_and(|c| memo.test(cts, c, frame, pa));
                    let d = date(ev.day);
                    let out = &mut outs[k];
                    out.pop += 1;
                    let y = out.years.entry(d.year()).or_default();
                    y.0 += 1;
                    let slot = pa.emp.and_then(|e| tree.place_index(e)).map(|u| u as usize).unwrap_or(tree.len());
                    out.own[slot][0] += 1;
                    if ok {
                        out.met += 1;
                        y.1 += 1;
                        out.own[slot][1] += 1;
                    } else if missing {
                        let reason = ct.why.as_ref().map(|w| w.explain(frame, pa).join("; ")).unwrap_or_default();
                        let (unit_code, unit) = unit_label(snap, &tree, pa.emp.and_then(|e| tree.place_index(e)));
                        out.missing.push(Missing {
                            person_id: snap.person_ids[p as usize],
                            name: name_of(snap, pa),
                            unit_code,
                            unit,
                            reason: format!("{} {}: {reason}", event.label(), d.format("%d/%m/%Y")),
                            deadline: Some(d),
                            status: None,
                        });
                    }
                }
            }
        }
        outs
    };
    let n = snap.people() as u32;
    let w = workers(n as usize) as u32;
    let parts: Vec<Vec<BeforeCounts>> = if w <= 1 {
        vec![run(0..n)]
    } else {
        let step = n.div_ceil(w);
        let run = &run;
        std::thread::scope(|s| {
            let hs: Vec<_> = (0..w).map(|i| s.spawn(move || run((i * step).min(n)..((i + 1) * step).min(n)))).collect();
            hs.into_iter().map(|h| h.join().expect("before-event worker")).collect()
        })
    };
    let mut parts = parts.into_iter();
    let mut outs = parts.next().unwrap_or_else(blank);
    for part in parts {
        for (out, o) in outs.iter_mut().zip(part) {
            out.pop += o.pop;
            out.met += o.met;
            for (y, (a, b)) in o.years {
                let e = out.years.entry(y).or_default();
                e.0 += a;
                e.1 += b;
            }
            for (a, b) in out.own.iter_mut().zip(&o.own) {
                for i in 0..4 {
                    a[i] += b[i];
                }
            }
            out.missing.extend(o.missing);
        }
    }
    outs
}

/// B: over the appointments (events) of the period up to the date, the share
/// whose criterion held on the day of the event, evaluated as of that day.
fn before_event(ctx: &Ctx, plan: &Plan, t: &Target, counts: BeforeCounts, r: &mut TargetResult) {
    if t.event.is_none() {
        return;
    }
    let (y0, _, to) = before_range(ctx, plan, t);
    let to = date(to);
    let tree = ctx.tree.clone();
    let BeforeCounts { pop, met, years, own, missing } = counts;
    r.missing = missing;
    let h = active_horizon(t, ctx.as_of);
    let min = h.map(|h| h.min).unwrap_or(crate::plan::Percent::FULL);
    r.threshold = h;
    r.population = pop;
    r.met = met;
    r.share = Ratio::of(met, pop);
    r.holds = (pop > 0).then(|| need::holds(min, pop, met));
    r.needed = need::needed(min, pop, met);
    r.horizons = horizon_results(t, pop, met, ctx.as_of);
    r.by_unit = breakdown(ctx, &tree, &own, Some(min), false);
    for y in y0..=to.year() {
        let (p, m) = years.get(&y).copied().unwrap_or_default();
        r.per_year.push(YearResult {
            year: y,
            as_of: year_end(y).min(ctx.as_of),
            population: p,
            met: m,
            share: Ratio::of(m, p),
            min: None,
            max: None,
            holds: (p > 0).then(|| need::holds(min, p, m)),
            above_max: false,
            needed: need::needed(min, p, m),
        });
    }
    r.status = if pop == 0 {
        Status::NotApplicable
    } else if r.holds == Some(true) {
        Status::Met
    } else {
        Status::AtRisk
    };
}

/// Does a programme pass a filter's programme conditions (codes, topics,
/// training kind, granted level and field)? The `abroad` condition and the
/// population part are checked by the caller.
fn programme_matches(snap: &Snapshot, f: &EnrolmentFilter, prog: Option<&ProgRow>) -> bool {
    if !f.programmes.is_empty() && !prog.is_some_and(|p| f.programmes.iter().any(|c| snap.strings.get(c) == p.code)) {
        return false;
    }
    if !f.topics.is_empty() && !prog.is_some_and(|p| f.topics.contains(&p.topic)) {
        return false;
    }
    if f.training.is_some() && prog.map(|p| p.kind) != f.training {
        return false;
    }
    if !f.levels.is_empty() && !prog.and_then(|p| p.grants).is_some_and(|g| f.levels.iter().any(|l| l == g.level)) {
        return false;
    }
    if !f.fields.is_empty() && !prog.and_then(|p| p.grants).is_some_and(|g| f.fields.iter().any(|x| snap.strings.get(x) == g.field && g.field != NONE)) {
        return false;
    }
    true
}

/// An enrolment filter's programme part resolved once per target: which
/// programmes pass (by dense index, instead of comparing codes for every
/// enrolment), and whether the course must be abroad (the programme's topic
/// is "abroad", or the class is taught at an institution abroad).
struct ProgFilter {
    /// Programme index → (passes the programme conditions, its topic is "abroad").
    progs: Vec<(bool, bool)>,
    /// A programme without a row passes only when there are no programme conditions.
    unknown: bool,
    abroad: bool,
}

impl ProgFilter {
    fn new(snap: &Snapshot, f: &EnrolmentFilter) -> Self {
        let progs = snap.progs.iter().map(|p| (programme_matches(snap, f, p.as_ref()), p.as_ref().is_some_and(|p| p.topic == Topic::Abroad))).collect();
        ProgFilter { progs, unknown: programme_matches(snap, f, None), abroad: f.abroad }
    }

    /// Does a course of programme `prog` (index) pass? `class_abroad`: its
    /// class is taught at an institution abroad (asked only when it matters).
    #[inline]
    fn matches(&self, prog: u32, class_abroad: impl FnOnce() -> bool) -> bool {
        let (ok, topic_abroad) = self.progs.get(prog as usize).copied().unwrap_or((self.unknown, false));
        if !ok {
            return false;
        }
        !self.abroad || topic_abroad || class_abroad()
    }
}

/// Q: the counts of one quota target (person-times by year).
#[derive(Default)]
pub(crate) struct QuotaCounts {
    per_year: HashMap<i32, u64>,
    /// Per sub-quota, person-times by year.
    sub_year: Vec<HashMap<i32, u64>>,
    own: Vec<[u64; 4]>,
    /// Person-times of the last 12 months (the pace).
    recent: u64,
}

impl QuotaCounts {
    fn add(&mut self, o: QuotaCounts) {
        for (y, c) in o.per_year {
            *self.per_year.entry(y).or_default() += c;
        }
        for (k, m) in o.sub_year.into_iter().enumerate() {
            for (y, c) in m {
                *self.sub_year[k].entry(y).or_default() += c;
            }
        }
        for (a, b) in self.own.iter_mut().zip(&o.own) {
            for i in 0..4 {
                a[i] += b[i];
            }
        }
        self.recent += o.recent;
    }
}

/// A quota target resolved for the walk: its filters and counted days.
struct QuotaSpec<'q> {
    q: &'q crate::plan::Quota,
    filter: ProgFilter,
    /// The population part of the filter (who counts, as of the day the course starts).
    pop: Option<usize>,
    subs: Vec<(ProgFilter, Option<usize>)>,
    /// Counted days: in the period's years and not after the date.
    lo: Day,
    hi: Day,
}

/// Q targets (`which`), in one walk of the enrolments as they stand on the
/// date: each enrolment is matched against every quota's filter, and the
/// person is looked at once, as of the day the course starts, for all the
/// quotas it counts in. People are split into ranges, one per worker, each
/// with its own frames (the context's tree cache is behind a RefCell); the
/// counts are summed.
fn count_quotas(ctx: &Ctx, cts: &Compiled, which: &[usize], sizes: bool) -> (Vec<QuotaCounts>, Option<Vec<u64>>) {
    let snap = ctx.snap;
    let tree = ctx.tree.clone();
    let as_of = ctx.as_of;
    let cut = day(as_of);
    let last12 = day(add_months(as_of, -12));
    // The population tests of the quota filters join the compiled tests.
    let mut tests = Tests::default();
    let specs: Vec<QuotaSpec> = which
        .iter()
        .filter_map(|&i| cts.targets[i].t.quota.as_ref())
        .map(|q| QuotaSpec {
            q,
            filter: ProgFilter::new(snap, &q.filter),
            pop: q.filter.population.as_ref().map(|e| tests.node(&e.node, snap)),
            subs: q.sub_quotas.iter().map(|s| (ProgFilter::new(snap, &s.filter), s.filter.population.as_ref().map(|e| tests.node(&e.node, snap)))).collect(),
            lo: day(NaiveDate::from_ymd_opt(q.period.0, 1, 1).unwrap_or(NaiveDate::MIN)),
            hi: day(year_end(q.period.1)).min(cut),
        })
        .collect();
    let qc = tests.compiled(Vec::new());
    let blank = || -> Vec<QuotaCounts> {
        specs.iter().map(|s| QuotaCounts { sub_year: vec![HashMap::new(); s.q.sub_quotas.len()], own: vec![[0u64; 4]; tree.len() + 1], ..QuotaCounts::default() }).collect()
    };
    if specs.is_empty() && !sizes {
        return (Vec::new(), None);
    }
    // Class index → taught at an institution abroad (for the `abroad` filters).
    let abroad: Vec<bool> = if specs.iter().any(|s| s.filter.abroad || s.subs.iter().any(|(f, _)| f.abroad)) {
        snap.class_ids.iter().map(|&c| snap.class(c).and_then(|c| snap.institutions.get(&c.institution)).is_some_and(|i| i.kind == InstitutionKind::Abroad)).collect()
    } else {
        Vec::new()
    };
    let abroad_class = |c: Option<u32>| c.is_some_and(|c| abroad.get(c as usize).copied().unwrap_or(false));
    // Programme index → the quotas whose programme conditions it passes (a
    // bit set of `words` words), so that an enrolment is matched only against those.
    let words = specs.len().div_ceil(64);
    let mut passing = vec![0u64; snap.progs.len() * words];
    for (k, s) in specs.iter().enumerate() {
        for (i, &(ok, _)) in s.filter.progs.iter().enumerate() {
            if ok {
                passing[i * words + k / 64] |= 1 << (k % 64);
            }
        }
    }
    let unit_code = ctx.unit_code;
    let n_classes = if sizes { snap.class_ids.len() } else { 0 };
    let run = |range: std::ops::Range<u32>| -> (Vec<QuotaCounts>, Vec<u64>) {
        let mut parts = blank();
        let mut class_sizes = vec![0u64; n_classes];
        let mut trees = TreeCache::default();
        let mut frames: HashMap<Day, Frame, std::hash::BuildHasherDefault<IdHasher>> = HashMap::default();
        let mut memo = Memo::new(&qc);
        // The quotas that count one enrolment, and the day counted.
        let mut hits: Vec<(usize, Day)> = Vec::new();
        // Per quota, person-times by year of the period (the first day of
        // each year, and the counts), then per sub-quota: counted in arrays,
        // moved into the maps of the result at the end.
        let year_starts: Vec<Vec<Day>> = specs.iter().map(|s| (s.q.period.0..=s.q.period.1).filter_map(|y| NaiveDate::from_ymd_opt(y, 1, 1)).map(day).collect()).collect();
        let mut years: Vec<Vec<u64>> = year_starts.iter().map(|ys| vec![0; ys.len()]).collect();
        let mut sub_years: Vec<Vec<Vec<u64>>> = specs.iter().zip(&year_starts).map(|(s, ys)| vec![vec![0; ys.len()]; s.subs.len()]).collect();
        let forecast = as_of > snap.today;
        for p in range {
            snap.for_enrolments_at(p, cut, |e| {
                if sizes
                    && let Some(cl) = e.class()
                    && !matches!(e.status, EnrolmentStatus::Withdrawn | EnrolmentStatus::Waitlisted | EnrolmentStatus::Requested | EnrolmentStatus::Declined)
                {
                    class_sizes[cl as usize] += 1;
                }
                // The day counted: the start of a course the person was sent
                // to, the end of one completed (in a forecast: or enrolled).
                let sent = matches!(e.status, EnrolmentStatus::Nominated | EnrolmentStatus::Enrolled | EnrolmentStatus::Completed | EnrolmentStatus::Failed).then_some(e.starts);
                let completed = (e.status == EnrolmentStatus::Completed || (forecast && e.status == EnrolmentStatus::Enrolled)).then_some(e.ends);
                if sent.is_none() && completed.is_none() {
                    return;
                }
                hits.clear();
                let i = e.prog() as usize;
                for (w, &bits) in passing[i * words..(i + 1) * words].iter().enumerate() {
                    let mut bits = bits;
                    while bits != 0 {
                        let k = w * 64 + bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        let s = &specs[k];
                        let counted = match s.q.count {
                            QuotaCount::Sent => sent,
                            QuotaCount::Completed => completed,
                        };
                        if let Some(d) = counted
                            && d >= s.lo
                            && d <= s.hi
                            && s.filter.matches(e.prog(), || abroad_class(e.class()))
                        {
                            hits.push((k, d));
                        }
                    }
                }
                if hits.is_empty() {
                    return;
                }
                // The person as of the day the course starts.
                let fd = e.starts.min(cut);
                let frame = frames.entry(fd).or_insert_with(|| Frame::new(snap, date(fd), trees.get(snap, fd)));
                let pa = frame.person(p);
                if !inside(unit_code, &frame.tree, pa.unit) {
                    return;
                }
                memo.clear();
                let slot = pa.emp.and_then(|e| tree.place_index(e)).map(|u| u as usize).unwrap_or(tree.len());
                for &(k, d) in &hits {
                    let s = &specs[k];
                    if !s.pop.is_none_or(|t| memo.test(&qc, t, frame, &pa)) {
                        continue;
                    }
                    let part = &mut parts[k];
                    let y = year_starts[k].partition_point(|&start| start <= d).saturating_sub(1);
                    years[k][y] += 1;
                    if d > last12 {
                        part.recent += 1;
                    }
                    part.own[slot][0] += 1;
                    part.own[slot][1] += 1;
                    for (j, (sf, sub_pop)) in s.subs.iter().enumerate() {
                        if sf.matches(e.prog(), || abroad_class(e.class())) && sub_pop.is_none_or(|t| memo.test(&qc, t, frame, &pa)) {
                            sub_years[k][j][y] += 1;
                        }
                    }
                }
            });
        }
        for (k, part) in parts.iter_mut().enumerate() {
            let year = |i: usize| specs[k].q.period.0 + i as i32;
            part.per_year.extend(years[k].iter().enumerate().filter(|(_, c)| **c > 0).map(|(i, c)| (year(i), *c)));
            for (j, counts) in sub_years[k].iter().enumerate() {
                part.sub_year[j].extend(counts.iter().enumerate().filter(|(_, c)| **c > 0).map(|(i, c)| (year(i), *c)));
            }
        }
        (parts, class_sizes)
    };
    let n = snap.people() as u32;
    let w = workers(n as usize) as u32;
    let parts: Vec<(Vec<QuotaCounts>, Vec<u64>)> = if w <= 1 {
        vec![run(0..n)]
    } else {
        let step = n.div_ceil(w);
        let run = &run;
        std::thread::scope(|s| {
            let hs: Vec<_> = (0..w).map(|i| s.spawn(move || run((i * step).min(n)..((i + 1) * step).min(n)))).collect();
            hs.into_iter().map(|h| h.join().expect("quota worker")).collect()
        })
    };
    let mut total = blank();
    let mut class_sizes = vec![0u64; n_classes];
    for (part, cs) in parts {
        for (t, o) in total.iter_mut().zip(part) {
            t.add(o);
        }
        for (a, b) in class_sizes.iter_mut().zip(cs) {
            *a += b;
        }
    }
    (total, sizes.then_some(class_sizes))
}

/// Q: person-times (enrolments, not people) per year of the period.
fn quota(ctx: &Ctx, t: &Target, counts: QuotaCounts, r: &mut TargetResult) {
    let Some(q) = &t.quota else { return };
    let as_of = ctx.as_of;
    let tree = ctx.tree.clone();
    let QuotaCounts { per_year, sub_year, own, recent } = counts;
    let years: Vec<i32> = (q.period.0..=q.period.1.min(as_of.year())).collect();
    let n_years = (q.period.1 - q.period.0 + 1).max(1) as u64;
    let year_range = |y: i32| -> CountRange {
        if let Some((_, n)) = q.by_year.iter().find(|(yy, _)| *yy == y) {
            return CountRange { min: Some(*n), max: None };
        }
        match (q.per_year, q.average) {
            (Some(r), false) => r,
            _ => CountRange::default(),
        }
    };
    let mut total = 0;
    for &y in &years {
        let c = per_year.get(&y).copied().unwrap_or(0);
        total += c;
        let rg = year_range(y);
        r.per_year.push(YearResult {
            year: y,
            as_of: year_end(y).min(as_of),
            population: 0,
            met: c,
            share: None,
            min: rg.min,
            max: rg.max,
            holds: rg.min.map(|m| c >= m),
            above_max: rg.max.is_some_and(|m| c > m),
            needed: rg.min.map(|m| m.saturating_sub(c)).unwrap_or(0),
        });
    }
    let total_min = q
        .total
        .and_then(|t| t.min)
        .or_else(|| q.per_year.and_then(|r| r.min).map(|m| m * n_years))
        .or_else(|| (!q.by_year.is_empty()).then(|| q.by_year.iter().map(|(_, n)| n).sum()))
        .unwrap_or(0);
    r.met = total;
    r.needed = total_min.saturating_sub(total);
    r.holds = Some(total >= total_min);
    let first = as_of.year().max(q.period.0).min(q.period.1);
    r.need_by_year = need::split(r.needed, first, q.period.1).into_iter().map(|(year, count)| YearNeed { year, count }).collect();
    r.by_unit = breakdown(ctx, &tree, &own, None, false);
    for (k, s) in q.sub_quotas.iter().enumerate() {
        let per: Vec<YearNeed> = years.iter().map(|y| YearNeed { year: *y, count: sub_year.get(k).and_then(|m| m.get(y)).copied().unwrap_or(0) }).collect();
        let total: u64 = per.iter().map(|y| y.count).sum();
        let holds = if q.total.is_some() && q.per_year.is_none() {
            s.range.min.is_none_or(|m| total >= m)
        } else {
            per.iter().all(|y| s.range.min.is_none_or(|m| y.count >= m))
        };
        r.sub_quotas.push(SubQuotaResult { name: s.name.clone(), min: s.range.min, max: s.range.max, per_year: per, total, holds });
    }
    let (s, y) = forecast::count_status(total, total_min, recent, as_of, q.period.1);
    r.status = s;
    r.forecast_year = y;
}

/// C: classes per year (by start year) and their sizes.
fn classes(ctx: &Ctx, t: &Target, r: &mut TargetResult) {
    let Some(c) = &t.classes else { return };
    let snap = ctx.snap;
    r.class_count = Some(c.count);
    let sizes = ctx.class_sizes();
    let filter = ProgFilter::new(snap, &c.filter);
    let mut per_year: HashMap<i32, u64> = HashMap::new();
    for &cl in ctx.classes().iter() {
        let y = Snapshot::year_of(cl.starts);
        if y < c.period.0 || y > c.period.1 || y > ctx.as_of.year() {
            continue;
        }
        let counted = match c.count {
            ClassCount::Planned => cl.status != ClassStatus::Cancelled,
            ClassCount::Opened => matches!(cl.status, ClassStatus::Open | ClassStatus::InProgress | ClassStatus::Finished),
            ClassCount::Finished => cl.status == ClassStatus::Finished,
        };
        let prog = snap.programme_index.get(&cl.programme).copied().unwrap_or(u32::MAX);
        let abroad = || snap.institutions.get(&cl.institution).is_some_and(|i| i.kind == InstitutionKind::Abroad);
        if !counted || !filter.matches(prog, abroad) {
            continue;
        }
        let size = snap.class_ix(cl.entity).map(|i| sizes[i as usize]).unwrap_or(0);
        let size_ok = c.size.min.is_none_or(|m| size >= m) && c.size.max.is_none_or(|m| size <= m);
        *per_year.entry(y).or_default() += 1;
        r.classes.push(ClassInfo { class_id: cl.entity, code: cl.code.clone(), year: y, size, size_ok, status: cl.status.code().to_string() });
    }
    r.classes.sort_by(|a, b| (a.year, &a.code).cmp(&(b.year, &b.code)));
    let mut all_past_ok = true;
    for y in c.period.0..=c.period.1.min(ctx.as_of.year()) {
        let n = per_year.get(&y).copied().unwrap_or(0);
        let holds = c.per_year.min.is_none_or(|m| n >= m);
        if y < ctx.as_of.year() && !holds {
            all_past_ok = false;
        }
        r.per_year.push(YearResult {
            year: y,
            as_of: year_end(y).min(ctx.as_of),
            population: 0,
            met: n,
            share: None,
            min: c.per_year.min,
            max: c.per_year.max,
            holds: Some(holds),
            above_max: c.per_year.max.is_some_and(|m| n > m),
            needed: c.per_year.min.map(|m| m.saturating_sub(n)).unwrap_or(0),
        });
    }
    let current = r.per_year.last().cloned();
    r.met = current.as_ref().map(|y| y.met).unwrap_or(0);
    r.needed = current.as_ref().map(|y| y.needed).unwrap_or(0);
    r.holds = current.as_ref().and_then(|y| y.holds);
    if let Some(y) = &current {
        r.need_by_year = vec![YearNeed { year: y.year, count: y.needed }];
    }
    let bad_size = r.classes.iter().filter(|c| !c.size_ok).count();
    if bad_size > 0 {
        r.notes.push(format!("{bad_size} lớp có sĩ số ngoài khoảng quy định"));
    }
    r.status = match current {
        None => Status::NotApplicable,
        Some(y) if y.holds == Some(true) && all_past_ok => Status::Met,
        Some(y) if all_past_ok && y.as_of < year_end(y.year) => Status::OnTrack,
        _ => Status::AtRisk,
    };
}

/// L: a share of the lecturers of training institutions on the date.
fn lecturers(ctx: &Ctx, t: &Target, r: &mut TargetResult) {
    let snap = ctx.snap;
    let d = day(ctx.as_of);
    let (mut pop, mut met) = (0u64, 0u64);
    for l in snap.lecturers.iter().filter(|l| l.from <= d && d < l.to) {
        if !t.population.as_ref().is_none_or(|e| eval_lecturer(&e.node, l, snap)) {
            continue;
        }
        pop += 1;
        if t.criterion.as_ref().is_some_and(|e| eval_lecturer(&e.node, l, snap)) {
            met += 1;
        } else if ctx.opts.missing {
            let inst = snap.institutions.get(&l.institution).map(|i| i.name.clone());
            r.missing.push(Missing {
                person_id: l.entity,
                name: l.name.clone(),
                unit_code: snap.institutions.get(&l.institution).map(|i| i.code.clone()),
                unit: inst,
                reason: format!("không thỏa «{}»", t.criterion.as_ref().map(|e| e.src.as_str()).unwrap_or("")),
                deadline: None,
                status: None,
            });
        }
    }
    let h = active_horizon(t, ctx.as_of);
    r.threshold = h;
    r.population = pop;
    r.met = met;
    r.share = Ratio::of(met, pop);
    r.holds = h.filter(|_| pop > 0).map(|h| need::holds(h.min, pop, met));
    r.horizons = horizon_results(t, pop, met, ctx.as_of);
    r.needed = r.horizons.iter().find(|x| Some(x.by) == h.map(|h| h.by)).map(|x| x.needed).unwrap_or(0);
    r.status = if pop == 0 {
        Status::NotApplicable
    } else if r.holds == Some(true) {
        Status::Met
    } else {
        Status::AtRisk
    };
    r.notes.push("tính trên giảng viên của các cơ sở đào tạo, bồi dưỡng; không chia theo đơn vị".into());
}


