//! Compiles typed predicates into closures over the snapshot. A person's
//! state on the date (details, employment, unit) is looked up once and shared
//! by every closure evaluated for that person and date.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use nangluc_core::employment::Category;
use nangluc_core::qualification::QualificationKind;
use nangluc_core::time::{add_months, age_on};
use nangluc_core::training::{EnrolmentStatus, Topic};
use nangluc_core::unit::{Sector, UnitKind, UnitLevel};

use super::check::{Event, Node, Pred, TrainingFilter, Window};
use crate::snapshot::{Day, EmpRow, LecturerRow, NONE, PersonRow, Snapshot, UnitTree, date, day};

/// The point of view of one evaluation: a date, and whether it is a forecast.
pub struct Frame<'s> {
    pub snap: &'s Snapshot,
    pub day: Day,
    pub date: NaiveDate,
    /// The date is after the knowledge's "today": people retire on their
    /// statutory date and enrolled courses that end by the date count as done.
    pub forecast: bool,
    pub tree: Arc<UnitTree>,
    /// 1 January of the date's year.
    year_start: Day,
    /// The day `m` months before the date, for `m` up to [`MONTHS_BACK`]
    /// (filled on first use: `last_months(m)` windows ask for it per person).
    months_back: std::sync::OnceLock<Vec<Day>>,
}

const MONTHS_BACK: i32 = 120;

impl<'s> Frame<'s> {
    pub fn new(snap: &'s Snapshot, d: NaiveDate, tree: Arc<UnitTree>) -> Self {
        let year_start = NaiveDate::from_ymd_opt(d.year(), 1, 1).map(day).unwrap_or(Day::MIN);
        Frame { snap, day: day(d), date: d, forecast: d > snap.today, tree, year_start, months_back: std::sync::OnceLock::new() }
    }

    /// The day `m` months before the date.
    #[inline]
    pub fn months_back(&self, m: i32) -> Day {
        if (0..=MONTHS_BACK).contains(&m) {
            self.months_back.get_or_init(|| (0..=MONTHS_BACK).map(|m| day(add_months(self.date, -m))).collect())[m as usize]
        } else {
            day(add_months(self.date, -m))
        }
    }

    /// A person's state on the frame's date.
    pub fn person(&self, p: u32) -> PersonAt<'s> {
        let det = self.snap.details_at(p, self.day);
        let mut emp = self.snap.employment_at(p, self.day);
        if self.forecast && det.is_some_and(|d| d.retire <= self.day) {
            emp = None;
        }
        let unit = emp.and_then(|e| self.tree.place_index(e));
        PersonAt { p, det, emp, unit, done: None }
    }

    /// In the workforce on the date: known details and an employment or a
    /// role (a People's Council delegate may hold no employment).
    pub fn in_base(&self, pa: &PersonAt) -> bool {
        pa.det.is_some() && (pa.emp.is_some() || self.snap.has_role_at(pa.p, self.day))
    }

    /// The day of an event in the person's career as seen on the date.
    pub fn event_day(&self, pa: &PersonAt, e: Event) -> Option<Day> {
        let post = pa.emp.and_then(|e| e.post);
        match e {
            Event::Appointment => post?.appointed,
            Event::Election => post?.elected,
            Event::AppointmentOrElection => {
                let p = post?;
                p.appointed.max(p.elected)
            }
            Event::PlanningApproval => self
                .snap
                .roles
                .of(pa.p)
                .iter()
                .filter(|r| r.from <= self.day && self.day < r.to && r.kind == nangluc_core::role::RoleKind::SuccessionPlanning)
                .filter_map(|r| r.approved)
                .min(),
            Event::RankAppointment => pa.emp.filter(|e| e.rank != NONE).map(|e| e.rank_since),
        }
    }
}

/// A person as of a frame's date.
#[derive(Clone, Copy)]
pub struct PersonAt<'s> {
    pub p: u32,
    pub det: Option<&'s PersonRow>,
    pub emp: Option<&'s EmpRow>,
    /// The unit on the frame's tree.
    pub unit: Option<u32>,
    /// The courses done as of the date, when the caller listed them once for
    /// all the tests of this person and date ([`done_courses`]); `None`: each
    /// `completed(...)` walks the enrolments itself.
    pub done: Option<&'s [Done]>,
}

/// A course done (completed, or in a forecast enrolled): the day it ends, its
/// programme index, and the days `[from, until)` on which it is seen done
/// (a list made for one date: all days).
#[derive(Clone, Copy)]
pub struct Done {
    pub ends: Day,
    pub prog: u32,
    pub from: Day,
    pub until: Day,
}

fn is_done(f: &Frame, e: &crate::snapshot::EnrolRow) -> bool {
    e.status == EnrolmentStatus::Completed || (f.forecast && e.status == EnrolmentStatus::Enrolled)
}

/// Lists the courses person `p` has done as of the frame's date into `out`.
pub fn done_courses(f: &Frame, p: u32, out: &mut Vec<Done>) {
    out.clear();
    f.snap.for_enrolments_at(p, f.day, |e| {
        if is_done(f, e) {
            out.push(Done { ends: e.ends, prog: e.prog(), from: Day::MIN, until: Day::MAX });
        }
    });
}

/// Lists into `out` the courses person `p` has completed, each with the days
/// on which it is seen completed: [`Snapshot::for_enrolments_at`] on day `d`
/// sees the latest version starting on or before `d`, so a completed version
/// counts from its start until the next version starts. One list serves every
/// date that is not a forecast.
pub fn completed_courses(snap: &Snapshot, p: u32, out: &mut Vec<Done>) {
    out.clear();
    let rows = snap.enrolments.of(p);
    for (i, e) in rows.iter().enumerate() {
        if e.status != EnrolmentStatus::Completed {
            continue;
        }
        let until = rows.get(i + 1).filter(|n| n.entity() == e.entity()).map_or(Day::MAX, |n| n.from);
        if e.from < until {
            out.push(Done { ends: e.ends, prog: e.prog(), from: e.from, until });
        }
    }
}

pub type Test = Box<dyn Fn(&Frame, &PersonAt) -> bool + Send + Sync>;

fn mask<T: Copy + PartialEq>(all: &[T], set: &[T]) -> u64 {
    all.iter().enumerate().filter(|(_, x)| set.contains(x)).fold(0u64, |m, (i, _)| m | (1 << i))
}

fn bit<T: Copy + PartialEq>(all: &[T], x: T) -> u64 {
    all.iter().position(|y| *y == x).map(|i| 1u64 << i).unwrap_or(0)
}

/// [`bit`] for the coded enums, whose `ALL` lists the values in declaration
/// order: the position is the discriminant (no search per person).
macro_rules! bit_of {
    ($x:expr) => {
        1u64 << ($x as u32 & 63)
    };
}

fn ids(snap: &Snapshot, codes: &[String]) -> Vec<u32> {
    codes.iter().map(|c| snap.strings.get(c)).filter(|i| *i != NONE).collect()
}

/// The highest rank held in a qualification kind on the frame's date
/// (0: none), counting in a forecast the grants of courses that will be done.
pub fn held_rank(f: &Frame, p: u32, kind: QualificationKind, language: u32) -> u8 {
    let mut best = 0u8;
    for q in f.snap.qualifications.of(p) {
        if q.kind == kind && q.from <= f.day && f.day < q.to && (language == NONE || q.language == language) {
            best = best.max(q.rank);
        }
    }
    if f.forecast {
        f.snap.for_enrolments_at(p, f.day, |e| {
            if e.status == EnrolmentStatus::Enrolled
                && e.ends <= f.day
                && let Some(g) = f.snap.prog(e.prog()).and_then(|p| p.grants)
                && g.kind == kind
                && (language == NONE || g.language == language)
            {
                best = best.max(g.rank);
            }
        });
    }
    best
}

/// The requirements of the person's job position that the qualifications
/// held on the date do not meet; `None` without a job position.
pub fn unmet_requirements(f: &Frame, pa: &PersonAt) -> Option<Vec<(QualificationKind, u8)>> {
    let pos = pa.emp?.job_position?;
    let reqs = f.snap.requirements.get(&pos).map(Vec::as_slice).unwrap_or(&[]);
    let quals = f.snap.qualifications.of(pa.p);
    Some(
        reqs.iter()
            .filter(|r| r.from <= f.day && f.day < r.to)
            .filter(|r| {
                !quals.iter().any(|q| {
                    q.kind == r.kind && q.from <= f.day && f.day < q.to && q.rank >= r.min_rank && (r.field == NONE || q.field == r.field)
                })
            })
            .map(|r| (r.kind, r.min_rank))
            .collect(),
    )
}

/// The window `[from, to]` (day numbers) in which a completion counts for a
/// person on the frame's date; `None` if the event it hangs on is unknown.
pub fn window_bounds(f: &Frame, pa: &PersonAt, w: Window) -> Option<(Day, Day)> {
    let d = f.day;
    Some(match w {
        Window::Ever => (Day::MIN, d),
        Window::ThisYear => (f.year_start, d),
        Window::LastMonths { months } => (f.months_back(months), d),
        Window::Term { from, to } => (day(NaiveDate::from_ymd_opt(from, 1, 1)?), d.min(day(NaiveDate::from_ymd_opt(to, 12, 31)?))),
        Window::MonthsAfter { event, months } => {
            let e = f.event_day(pa, event)?;
            (e, d.min(day(add_months(date(e), months))))
        }
        Window::Before { event } => (Day::MIN, d.min(f.event_day(pa, event)?)),
        Window::Since { from } => (day(from), d),
        Window::Between { from, to } => (day(from), d.min(day(to))),
    })
}

/// A programme's bit in a 64-bit summary of programmes (exact up to 64
/// programmes, a superset beyond).
#[inline]
pub fn programme_bit(prog: u32) -> u64 {
    1 << (prog % 64)
}

/// A training filter resolved once: which programmes (by dense index) match.
pub struct Filter {
    /// No topic, programme or kind condition: every programme matches.
    any: bool,
    /// Programme index → matches the topic, programme and kind conditions.
    pass: Vec<bool>,
    window: Window,
    /// The window's bounds when they depend on neither the person nor the
    /// date: (first day, last day before capping at the date).
    fixed: Option<(Day, Day)>,
    /// Bit `i % 64` for each matching programme `i` (see [`Filter::programme_bits`]).
    bits: u64,
}

impl Filter {
    pub fn new(snap: &Snapshot, t: &TrainingFilter) -> Self {
        let codes = ids(snap, &t.programmes);
        let topics = mask(Topic::ALL, &t.topics);
        let any = t.topics.is_empty() && t.programmes.is_empty() && t.kind.is_none();
        let pass: Vec<bool> = snap
            .progs
            .iter()
            .map(|prog| {
                let topic_ok = t.topics.is_empty() || prog.as_ref().is_some_and(|p| topics & bit(Topic::ALL, p.topic) != 0);
                let prog_ok = t.programmes.is_empty() || prog.as_ref().is_some_and(|p| codes.contains(&p.code));
                let kind_ok = t.kind.is_none() || prog.as_ref().is_some_and(|p| Some(p.kind) == t.kind);
                topic_ok && prog_ok && kind_ok
            })
            .collect();
        let ymd = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).map(day);
        let fixed = match t.window {
            Window::Ever => Some((Day::MIN, Day::MAX)),
            Window::Term { from, to } => ymd(from, 1, 1).zip(ymd(to, 12, 31)),
            Window::Since { from } => Some((day(from), Day::MAX)),
            Window::Between { from, to } => Some((day(from), day(to))),
            _ => None,
        };
        let bits = if any { u64::MAX } else { pass.iter().enumerate().filter(|(_, ok)| **ok).fold(0, |m, (i, _)| m | programme_bit(i as u32)) };
        Filter { any, pass, window: t.window, fixed, bits }
    }

    /// The window's bounds on the frame's date when they are the same for
    /// every person (all windows but those hanging on a person's event).
    pub fn common_bounds(&self, f: &Frame) -> Option<(Day, Day)> {
        match (self.fixed, self.window) {
            (Some((lo, hi)), _) => Some((lo, f.day.min(hi))),
            (None, Window::ThisYear) => Some((f.year_start, f.day)),
            (None, Window::LastMonths { months }) => Some((f.months_back(months), f.day)),
            _ => None,
        }
    }

    /// [`window_bounds`] of the filter's window.
    #[inline]
    fn bounds(&self, f: &Frame, pa: &PersonAt) -> Option<(Day, Day)> {
        self.common_bounds(f).or_else(|| window_bounds(f, pa, self.window))
    }

    /// A quick refusal: a person whose courses' [`programme_bit`]s miss
    /// these has no matching course.
    #[inline]
    pub fn programme_bits(&self) -> u64 {
        self.bits
    }

    #[inline]
    pub fn passes(&self, prog: u32) -> bool {
        self.any || self.pass.get(prog as usize).copied().unwrap_or(false)
    }
}

/// The last day, within the window, on which the person completed a
/// matching training (in a forecast: or will have completed an enrolled one).
pub fn completion(f: &Frame, pa: &PersonAt, t: &TrainingFilter) -> Option<Day> {
    let filter = Filter::new(f.snap, t);
    completion_with(f, pa, &filter)
}

fn completion_with(f: &Frame, pa: &PersonAt, filter: &Filter) -> Option<Day> {
    let (lo, hi) = filter.bounds(f, pa)?;
    let mut found = None;
    let mut see = |ends: Day, prog: u32| {
        if ends >= lo && ends <= hi && filter.passes(prog) {
            found = Some(found.map_or(ends, |x: Day| x.max(ends)));
        }
    };
    match pa.done {
        Some(list) => list.iter().filter(|d| d.from <= f.day && f.day < d.until).for_each(|d| see(d.ends, d.prog)),
        None => f.snap.for_enrolments_at(pa.p, f.day, |e| {
            if is_done(f, e) {
                see(e.ends, e.prog());
            }
        }),
    }
    found
}

/// What a compiled condition becomes: a test of one person ([`One`]), or a
/// test of many people at once (the evaluation's blocks), with the
/// condition's code inlined in the loop over them.
pub trait Emit {
    type Out;
    fn emit<F: Fn(&Frame, &PersonAt) -> bool + Send + Sync + 'static>(f: F) -> Self::Out;
}

/// A condition as a test of one person.
pub struct One;

impl Emit for One {
    type Out = Test;
    fn emit<F: Fn(&Frame, &PersonAt) -> bool + Send + Sync + 'static>(f: F) -> Test {
        Box::new(f)
    }
}

/// Compiles a person predicate.
pub fn compile(node: &Node, snap: &Snapshot) -> Test {
    match &node.pred {
        Pred::Const { value } => {
            let v = *value;
            Box::new(move |_, _| v)
        }
        Pred::And { items } => {
            let ts: Vec<Test> = items.iter().map(|n| compile(n, snap)).collect();
            Box::new(move |f, p| ts.iter().all(|t| t(f, p)))
        }
        Pred::Or { items } => {
            let ts: Vec<Test> = items.iter().map(|n| compile(n, snap)).collect();
            Box::new(move |f, p| ts.iter().any(|t| t(f, p)))
        }
        Pred::Not { item } => {
            let t = compile(item, snap);
            Box::new(move |f, p| !t(f, p))
        }
        _ => compile_condition::<One>(node, snap),
    }
}

/// Compiles a predicate that is a single condition (not `and`, `or`, `not`
/// or a constant: those are compiled as a whole by [`compile`]).
pub fn compile_condition<E: Emit>(node: &Node, snap: &Snapshot) -> E::Out {
    match &node.pred {
        Pred::Const { .. } | Pred::And { .. } | Pred::Or { .. } | Pred::Not { .. } => {
            let t = compile(node, snap);
            E::emit(move |f, p| t(f, p))
        }
        Pred::Category { set } => {
            let m = mask(Category::ALL, set);
            E::emit(move |_, p| p.emp.is_some_and(|e| m & bit_of!(e.category) != 0))
        }
        Pred::Level { set } => {
            let m = mask(UnitLevel::ALL, set);
            E::emit(move |f, p| p.unit.is_some_and(|u| m & bit_of!(f.tree.units[u as usize].level) != 0))
        }
        Pred::UnitKind { set } => {
            let m = mask(UnitKind::ALL, set);
            E::emit(move |f, p| p.unit.is_some_and(|u| m & bit_of!(f.tree.units[u as usize].kind) != 0))
        }
        Pred::Sector { set } => {
            let m = mask(Sector::ALL, set);
            E::emit(move |f, p| p.unit.is_some_and(|u| m & bit_of!(f.tree.units[u as usize].sector) != 0))
        }
        Pred::Within { codes } => {
            let want = ids(snap, codes);
            E::emit(move |f, p| p.unit.is_some_and(|u| f.tree.ancestors(u).any(|a| want.contains(&f.tree.units[a as usize].code))))
        }
        Pred::Sex { sex } => {
            let s = *sex;
            E::emit(move |_, p| p.det.is_some_and(|d| d.sex == s))
        }
        Pred::Ethnicity { code } => {
            let c = *code;
            E::emit(move |_, p| p.det.is_some_and(|d| d.ethnicity == c))
        }
        Pred::Minority => E::emit(|_, p| p.det.is_some_and(|d| d.ethnicity != 1)),
        Pred::Age { cmp, years } => {
            let (c, y) = (*cmp, *years);
            E::emit(move |f, p| p.det.is_some_and(|d| c.test(age_on(d.birth, f.date), y)))
        }
        Pred::MinorityArea => E::emit(|f, p| {
            p.emp.is_some_and(|e| e.minority_area) || p.unit.is_some_and(|u| f.tree.units[u as usize].minority_area)
        }),
        Pred::PostRank { cmp, rank } => {
            let (c, r) = (*cmp, *rank);
            E::emit(move |_, p| p.emp.and_then(|e| e.post).is_some_and(|post| c.test(post.rank, r)))
        }
        Pred::Post { codes } => {
            let want = ids(snap, codes);
            E::emit(move |_, p| p.emp.and_then(|e| e.post).is_some_and(|post| want.contains(&post.code)))
        }
        Pred::IsLeader => E::emit(|_, p| p.emp.is_some_and(|e| e.post.is_some())),
        Pred::IsHead => E::emit(|_, p| p.emp.and_then(|e| e.post).is_some_and(|post| post.head)),
        Pred::Rank { codes } => {
            let want = ids(snap, codes);
            E::emit(move |_, p| p.emp.is_some_and(|e| want.contains(&e.rank)))
        }
        Pred::JobPosition { codes } => {
            let want = ids(snap, codes);
            E::emit(move |f, p| {
                p.emp.and_then(|e| e.job_position).and_then(|j| f.snap.positions.get(&j)).is_some_and(|(c, _)| want.contains(c))
            })
        }
        Pred::PositionGroup { set } => {
            let set = set.clone();
            E::emit(move |f, p| {
                p.emp.and_then(|e| e.job_position).and_then(|j| f.snap.positions.get(&j)).is_some_and(|(_, g)| set.contains(g))
            })
        }
        Pred::Role { kind, term, post, level } => {
            let (kind, level) = (*kind, *level);
            let term = term.as_deref().map(|t| snap.strings.get(t));
            let post = post.as_deref().map(|t| snap.strings.get(t));
            E::emit(move |f, p| {
                f.snap.roles.of(p.p).iter().any(|r| {
                    r.from <= f.day
                        && f.day < r.to
                        && r.kind == kind
                        && term.is_none_or(|t| r.term == t)
                        && post.is_none_or(|t| r.post == t)
                        && level.is_none_or(|l| r.level == Some(l))
                })
            })
        }
        Pred::Qual { kind, cmp, rank, language, .. } => {
            let (k, c, r) = (*kind, *cmp, *rank);
            let lang = language.as_deref().map(|l| snap.strings.get(l)).unwrap_or(NONE);
            let lang_missing = language.is_some() && lang == NONE;
            E::emit(move |f, p| {
                let held = if lang_missing { 0 } else { held_rank(f, p.p, k, lang) };
                held > 0 && c.test(held, r) || held == 0 && matches!(c, super::Cmp::Lt | super::Cmp::Le | super::Cmp::Ne)
            })
        }
        Pred::Has { kind, language } => {
            let k = *kind;
            let lang = language.as_deref().map(|l| snap.strings.get(l)).unwrap_or(NONE);
            let lang_missing = language.is_some() && lang == NONE;
            E::emit(move |f, p| !lang_missing && held_rank(f, p.p, k, lang) > 0)
        }
        Pred::FitsPosition => E::emit(|f, p| unmet_requirements(f, p).is_some_and(|u| u.is_empty())),
        Pred::Completed { filter } => {
            let fl = Filter::new(snap, filter);
            E::emit(move |f, p| completion_with(f, p, &fl).is_some())
        }
        Pred::ManagementYears { .. } | Pred::Guest | Pred::InstitutionKind { .. } => E::emit(|_, _| false),
    }
}

/// Evaluates a lecturer predicate (few rows: interpreted, not compiled).
pub fn eval_lecturer(node: &Node, l: &LecturerRow, snap: &Snapshot) -> bool {
    match &node.pred {
        Pred::Const { value } => *value,
        Pred::And { items } => items.iter().all(|n| eval_lecturer(n, l, snap)),
        Pred::Or { items } => items.iter().any(|n| eval_lecturer(n, l, snap)),
        Pred::Not { item } => !eval_lecturer(item, l, snap),
        Pred::ManagementYears { cmp, years } => cmp.test(l.management_years, *years),
        Pred::Guest => l.guest,
        Pred::InstitutionKind { set } => snap.institutions.get(&l.institution).is_some_and(|i| set.contains(&i.kind)),
        _ => false,
    }
}

/// Why a person fails a predicate: the failing conditions, in Vietnamese.
/// Compiles the predicate on every call: to explain many people, build an
/// [`Explainer`] once.
pub fn explain(node: &Node, f: &Frame, pa: &PersonAt, snap: &Snapshot) -> Vec<String> {
    Explainer::new(node, snap).explain(f, pa)
}

/// A predicate compiled once for explanations: each node with its test, so
/// that the reason of each person missing a target costs no compilation.
pub struct Explainer<'n> {
    node: &'n Node,
    /// The node's own test (used when it is an item of an `and`).
    test: Test,
    kids: Vec<Explainer<'n>>,
    /// The language of a `Qual` node, interned.
    lang: u32,
}

impl<'n> Explainer<'n> {
    pub fn new(node: &'n Node, snap: &Snapshot) -> Self {
        let kids = match &node.pred {
            Pred::And { items } | Pred::Or { items } => items.iter().map(|n| Explainer::new(n, snap)).collect(),
            _ => Vec::new(),
        };
        let lang = match &node.pred {
            Pred::Qual { language, .. } => language.as_deref().map(|l| snap.strings.get(l)).unwrap_or(NONE),
            _ => NONE,
        };
        Explainer { node, test: compile(node, snap), kids, lang }
    }

    /// Why the person fails the predicate: the failing conditions, in Vietnamese.
    pub fn explain(&self, f: &Frame, pa: &PersonAt) -> Vec<String> {
        let node = self.node;
        match &node.pred {
            Pred::And { .. } => self.kids.iter().filter(|k| !(k.test)(f, pa)).flat_map(|k| k.explain(f, pa)).collect(),
            Pred::Or { .. } => {
                let parts: Vec<String> = self.kids.iter().flat_map(|k| k.explain(f, pa)).collect();
                vec![parts.join(" và ")]
            }
            Pred::Qual { kind, .. } => {
                let held = held_rank(f, pa.p, *kind, self.lang);
                let now = kind.levels().find(|l| l.rank == held).map(|l| l.name().to_string()).unwrap_or_else(|| "chưa có".into());
                vec![format!("chưa đạt «{}» (hiện có: {now})", node.src)]
            }
            Pred::FitsPosition => match unmet_requirements(f, pa) {
                None => vec!["chưa được xác định vị trí việc làm".into()],
                Some(u) => {
                    let parts: Vec<String> = u
                        .iter()
                        .map(|(k, r)| {
                            let lvl = k.levels().find(|l| l.rank == *r).map(|l| l.name()).unwrap_or("?");
                            format!("{} từ {} trở lên", k.label().to_lowercase(), lvl.to_lowercase())
                        })
                        .collect();
                    vec![format!("trình độ chưa phù hợp vị trí việc làm: thiếu {}", parts.join(", "))]
                }
            },
            Pred::Completed { filter } => {
                if window_bounds(f, pa, filter.window).is_none() {
                    let ev = match filter.window {
                        Window::MonthsAfter { event, .. } | Window::Before { event } => event.label(),
                        _ => "sự kiện",
                    };
                    vec![format!("không có {ev} trong dữ liệu nên không xét được «{}»", node.src)]
                } else {
                    vec![format!("chưa hoàn thành «{}»", node.src)]
                }
            }
            Pred::Age { .. } => {
                let age = pa.det.map(|d| age_on(d.birth, f.date)).unwrap_or(0);
                vec![format!("không thỏa «{}» ({age} tuổi)", node.src)]
            }
            _ => vec![format!("không thỏa «{}»", node.src)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `bit_of!` relies on each coded enum's `ALL` being in discriminant order.
    #[test]
    fn coded_enums_list_their_values_in_discriminant_order() {
        fn check<T: Copy + PartialEq + std::fmt::Debug>(all: &[T], disc: impl Fn(T) -> u32) {
            assert!(all.len() <= 64);
            for (i, x) in all.iter().enumerate() {
                assert_eq!(disc(*x), i as u32, "{x:?}");
                assert_eq!(bit(all, *x), 1u64 << i);
            }
        }
        check(Category::ALL, |x| x as u32);
        check(UnitLevel::ALL, |x| x as u32);
        check(UnitKind::ALL, |x| x as u32);
        check(Sector::ALL, |x| x as u32);
        check(Topic::ALL, |x| x as u32);
    }
}
