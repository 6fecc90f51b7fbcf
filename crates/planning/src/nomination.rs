//! Classes and nominations (cử đi học): a class's life and who may move it,
//! who the class is for, whether a person fits, and who gets the seats.
//!
//! * [`transition`] / [`may`]: proposed → approved (Sở Nội vụ) → open for
//!   nominations (Sở Nội vụ) → in progress → finished (Sở Nội vụ or the
//!   class's institution), or cancelled (Sở Nội vụ) before it finishes.
//! * [`check_target_group`]: the class's target group is an expression of
//!   the target engine (`category == civil_servant and post_rank >= department`),
//!   checked when the class is proposed, errors in Vietnamese.
//! * [`eligibility`]: the warnings shown to the nominator — not in the
//!   target group ("không đúng đối tượng"), already holds what the programme
//!   grants or completed it, double-booked. They are warnings, not refusals:
//!   the unit knows things the data does not (a post about to change, an
//!   exemption), so it may still send the person, but must write why; the
//!   reason is kept on the enrolment and in the audit trail.
//! * [`allocate`]: seats up to the class's maximum; when demand exceeds the
//!   seats each nominating unit gets a quota proportional to its demand
//!   (largest remainders), its people seated by need; the rest wait, in the
//!   order of need ([`NeedKey`]: overdue E-kind training first, then the
//!   nearest deadline, then people of a target at risk, then nomination order).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use nangluc_core::code_enum;
use nangluc_core::qualification::{Level, QualificationKind};
use nangluc_core::training::{ClassStatus, EnrolmentStatus, Programme};
use nangluc_engine::expr::compile::{Explainer, compile};
use nangluc_engine::expr::{Context, Expr, Frame, Node, Pred, Scope, parse_expr};
use nangluc_engine::plan::Kind;
use nangluc_engine::result::{EventStatus, PlanResult, Status};
use nangluc_engine::snapshot::{NONE, day};
use nangluc_engine::{Plan, Snapshot};

// ---------------------------------------------------------------- life of a class

code_enum! {
    /// What may be done to a class.
    pub enum ClassAction {
        Approve => ("approve", "Phê duyệt"),
        Open => ("open", "Mở chiêu sinh"),
        Start => ("start", "Khai giảng"),
        Finish => ("finish", "Kết thúc lớp"),
        Cancel => ("cancel", "Hủy lớp"),
    }
}

/// Who acts, as far as classes are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The Sở Nội vụ's administrator: everything.
    HomeAffairs,
    /// A training institution; `own`: the class is one of its own.
    Institution {
        own: bool,
    },
    UnitHr,
    Finance,
    Leader,
    Employee,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClassError {
    #[error("Không thể {action} lớp đang ở trạng thái \"{status}\".")]
    NotAllowedNow {
        action: &'static str,
        status: &'static str,
    },
    #[error("Tài khoản này không được {action} lớp.")]
    NotYours { action: &'static str },
}

/// The status a class moves to, or why it cannot.
pub fn transition(from: ClassStatus, action: ClassAction) -> Result<ClassStatus, ClassError> {
    use ClassAction as A;
    use ClassStatus as S;
    let to = match (from, action) {
        (S::Proposed, A::Approve) => S::Approved,
        (S::Approved, A::Open) => S::Open,
        (S::Open, A::Start) => S::InProgress,
        (S::InProgress, A::Finish) => S::Finished,
        (S::Proposed | S::Approved | S::Open | S::InProgress, A::Cancel) => S::Cancelled,
        _ => {
            return Err(ClassError::NotAllowedNow {
                action: action_verb(action),
                status: from.label(),
            });
        }
    };
    Ok(to)
}

fn action_verb(a: ClassAction) -> &'static str {
    match a {
        ClassAction::Approve => "phê duyệt",
        ClassAction::Open => "mở chiêu sinh cho",
        ClassAction::Start => "khai giảng",
        ClassAction::Finish => "kết thúc",
        ClassAction::Cancel => "hủy",
    }
}

/// Whether the actor may take the action: the Sở Nội vụ approves, opens and
/// cancels; the class's own institution also starts and finishes it (it
/// keeps the roster, attendance and results).
pub fn may(actor: Actor, action: ClassAction) -> bool {
    match actor {
        Actor::HomeAffairs => true,
        Actor::Institution { own: true } => {
            matches!(action, ClassAction::Start | ClassAction::Finish)
        }
        _ => false,
    }
}

/// Checks both: the actor's right, then the class's status.
pub fn act(
    actor: Actor,
    from: ClassStatus,
    action: ClassAction,
) -> Result<ClassStatus, ClassError> {
    if !may(actor, action) {
        return Err(ClassError::NotYours {
            action: action_verb(action),
        });
    }
    transition(from, action)
}

/// Who may propose a class for an institution: the Sở Nội vụ for any, an
/// institution for itself.
pub fn may_propose(actor: Actor) -> bool {
    matches!(actor, Actor::HomeAffairs | Actor::Institution { own: true })
}

/// Who may record attendance and results: while the class is in progress,
/// the Sở Nội vụ or the class's institution.
pub fn may_record_results(actor: Actor) -> bool {
    matches!(actor, Actor::HomeAffairs | Actor::Institution { own: true })
}

/// Attendance below this share of the sessions cannot be assessed as passed
/// (the usual condition for a certificate of an in-service programme).
pub const MIN_ATTENDANCE_PCT: i64 = 80;

/// The result written on the certificate when the learner did not pass.
pub const FAILED_RESULT: &str = "Không đạt";

/// The results a learner may get, best first.
pub const RESULTS: [&str; 5] = ["Xuất sắc", "Giỏi", "Khá", "Đạt", FAILED_RESULT];

/// How an enrolment ends when its class finishes, from its recorded
/// attendance, result and certificate; or why it cannot end yet.
pub fn outcome(
    attendance_pct: Option<i64>,
    result: Option<&str>,
    certificate: Option<&str>,
) -> Result<EnrolmentStatus, String> {
    let Some(result) = result.map(str::trim).filter(|r| !r.is_empty()) else {
        return Err("chưa có kết quả".into());
    };
    if !RESULTS.contains(&result) {
        return Err(format!(
            "kết quả \"{result}\" không thuộc {}",
            RESULTS.join(", ")
        ));
    }
    let Some(att) = attendance_pct else {
        return Err("chưa có tỷ lệ chuyên cần".into());
    };
    if !(0..=100).contains(&att) {
        return Err(format!("tỷ lệ chuyên cần {att} % phải từ 0 đến 100"));
    }
    if result == FAILED_RESULT {
        return Ok(EnrolmentStatus::Failed);
    }
    if att < MIN_ATTENDANCE_PCT {
        return Err(format!(
            "tham dự {att} % thời gian, dưới {MIN_ATTENDANCE_PCT} % thì không thể đánh giá \"{result}\""
        ));
    }
    if certificate.map(str::trim).is_none_or(str::is_empty) {
        return Err("đạt nhưng chưa có số chứng chỉ".into());
    }
    Ok(EnrolmentStatus::Completed)
}

// ---------------------------------------------------------------- target group

/// Reads a class's target group: `None` for an empty text (anyone in the
/// workforce), else the checked expression, or every error in Vietnamese with
/// the position (1-based character) where it is.
pub fn check_target_group(src: &str) -> Result<Option<Expr>, String> {
    let src = src.trim();
    if src.is_empty() {
        return Ok(None);
    }
    parse_expr(
        src,
        Scope {
            context: Context::Person,
            window: None,
        },
    )
    .map(Some)
    .map_err(|errors| {
        let parts: Vec<String> = errors
            .iter()
            .map(|e| {
                let at = src[..e.span.0.min(src.len())].chars().count() + 1;
                format!("ký tự thứ {at}: {}", e.message)
            })
            .collect();
        format!("Đối tượng của lớp không hợp lệ — {}", parts.join("; "))
    })
}

/// Whether a person fits a class's target group on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "fit", content = "reasons", rename_all = "snake_case")]
pub enum GroupFit {
    Fits,
    /// The conditions the person fails, in Vietnamese.
    DoesNotFit(Vec<String>),
    /// Not in the workforce on the date (no employment or role known).
    NotInWorkforce,
}

/// Evaluates a target group for people on a date, compiled once.
pub struct GroupCheck<'s> {
    snap: &'s Snapshot,
    frame: Frame<'s>,
    explainer: Option<Explainer<'s>>,
    node: Option<&'s Node>,
}

impl<'s> GroupCheck<'s> {
    pub fn new(snap: &'s Snapshot, group: Option<&'s Expr>, on: NaiveDate) -> Self {
        let tree = Arc::new(snap.tree_at(day(on)));
        GroupCheck {
            snap,
            frame: Frame::new(snap, on, tree),
            explainer: group.map(|g| Explainer::new(&g.node, snap)),
            node: group.map(|g| &g.node),
        }
    }

    pub fn person(&self, person_id: i64) -> GroupFit {
        let Some(&p) = self.snap.person_index.get(&person_id) else {
            return GroupFit::NotInWorkforce;
        };
        let pa = self.frame.person(p);
        if !self.frame.in_base(&pa) {
            return GroupFit::NotInWorkforce;
        }
        let (Some(node), Some(ex)) = (self.node, &self.explainer) else {
            return GroupFit::Fits;
        };
        if compile(node, self.snap)(&self.frame, &pa) {
            GroupFit::Fits
        } else {
            let mut why = ex.explain(&self.frame, &pa);
            if why.is_empty() {
                why.push(node.src.clone());
            }
            GroupFit::DoesNotFit(why)
        }
    }

    /// The highest level the person holds on the date in a kind (and language).
    fn held(&self, person_id: i64, kind: QualificationKind, language: Option<&str>) -> u8 {
        let Some(&p) = self.snap.person_index.get(&person_id) else {
            return 0;
        };
        let lang = language.map_or(NONE, |l| self.snap.strings.get(l));
        if language.is_some() && lang == NONE {
            return 0;
        }
        nangluc_engine::expr::compile::held_rank(&self.frame, p, kind, lang)
    }
}

// ---------------------------------------------------------------- eligibility

/// Another class a person is booked on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Booking {
    pub enrolment_id: i64,
    pub class_id: Option<i64>,
    pub class_code: String,
    pub programme_id: i64,
    pub status: EnrolmentStatus,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// A warning about a nomination. The nominator may still nominate, with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum Flag {
    /// "Không đúng đối tượng": fails the class's target group.
    NotInTargetGroup {
        reasons: Vec<String>,
    },
    NotInWorkforce,
    /// Already holds the qualification the programme grants (or higher).
    HoldsQualification {
        level: String,
    },
    /// Already completed this programme.
    CompletedProgramme {
        ends_on: NaiveDate,
        class_code: String,
    },
    /// Booked on another class whose dates overlap.
    DoubleBooked {
        class_code: String,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
    },
}

impl Flag {
    pub fn code(&self) -> &'static str {
        match self {
            Flag::NotInTargetGroup { .. } => "not_in_target_group",
            Flag::NotInWorkforce => "not_in_workforce",
            Flag::HoldsQualification { .. } => "holds_qualification",
            Flag::CompletedProgramme { .. } => "completed_programme",
            Flag::DoubleBooked { .. } => "double_booked",
        }
    }

    /// The warning as the nominator reads it.
    pub fn message(&self) -> String {
        let d = |x: &NaiveDate| x.format("%d/%m/%Y").to_string();
        match self {
            Flag::NotInTargetGroup { reasons } => {
                format!("Không đúng đối tượng: {}", reasons.join("; "))
            }
            Flag::NotInWorkforce => {
                "Không đúng đối tượng: không còn trong danh sách cán bộ, công chức, viên chức"
                    .into()
            }
            Flag::HoldsQualification { level } => {
                format!("Đã có trình độ mà chương trình cấp: {level}")
            }
            Flag::CompletedProgramme {
                ends_on,
                class_code,
            } => {
                format!(
                    "Đã hoàn thành chương trình này (lớp {class_code}, kết thúc {})",
                    d(ends_on)
                )
            }
            Flag::DoubleBooked {
                class_code,
                starts_on,
                ends_on,
            } => {
                format!(
                    "Trùng lịch với lớp {class_code} ({} – {})",
                    d(starts_on),
                    d(ends_on)
                )
            }
        }
    }
}

/// Bookings that hold a seat or ask for one.
fn books(s: EnrolmentStatus) -> bool {
    matches!(
        s,
        EnrolmentStatus::Requested | EnrolmentStatus::Nominated | EnrolmentStatus::Enrolled
    )
}

/// Whether two periods of days (both ends included) share a day.
pub fn overlaps(a: (NaiveDate, NaiveDate), b: (NaiveDate, NaiveDate)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

/// The class being nominated for, as eligibility needs it.
#[derive(Debug, Clone, Copy)]
pub struct ClassDates {
    pub class_id: i64,
    pub programme_id: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// The warnings for nominating a person: target group (from `fit`), what the
/// programme grants (from `check`), a completed run of the programme and
/// overlapping bookings (from the person's other `bookings`; this class's own
/// enrolments are ignored).
pub fn eligibility(
    class: ClassDates,
    programme: &Programme,
    fit: GroupFit,
    check: &GroupCheck,
    person_id: i64,
    bookings: &[Booking],
) -> Vec<Flag> {
    let mut flags = Vec::new();
    match fit {
        GroupFit::Fits => {}
        GroupFit::DoesNotFit(reasons) => flags.push(Flag::NotInTargetGroup { reasons }),
        GroupFit::NotInWorkforce => flags.push(Flag::NotInWorkforce),
    }
    if let Some(g) = &programme.grants
        && let Some(level) = Level::from_code(g.kind, &g.level)
        && check.held(person_id, g.kind, g.language.as_deref()) >= level.rank
    {
        flags.push(Flag::HoldsQualification {
            level: format!("{} {}", g.kind.label(), level.name()),
        });
    }
    let others = bookings
        .iter()
        .filter(|b| b.class_id != Some(class.class_id));
    if let Some(done) = others
        .clone()
        .filter(|b| b.programme_id == class.programme_id && b.status == EnrolmentStatus::Completed)
        .max_by_key(|b| b.ends_on)
    {
        flags.push(Flag::CompletedProgramme {
            ends_on: done.ends_on,
            class_code: done.class_code.clone(),
        });
    }
    for b in others.filter(|b| {
        books(b.status) && overlaps((b.starts_on, b.ends_on), (class.starts_on, class.ends_on))
    }) {
        flags.push(Flag::DoubleBooked {
            class_code: b.class_code.clone(),
            starts_on: b.starts_on,
            ends_on: b.ends_on,
        });
    }
    flags
}

// ---------------------------------------------------------------- need

/// How urgently a person needs a class, from the targets its programme helps
/// close. Sorts most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct NeedKey {
    /// 0: overdue for an E-kind target; 1: an E-kind deadline ahead;
    /// 2: missing a target at risk; 3: no pressing need.
    pub rank: u8,
    /// The nearest deadline (for rank 0 the oldest overdue one).
    pub deadline: Option<NaiveDate>,
}

code_enum! {
    pub enum NeedRank {
        Overdue => ("e_qua_han", "Quá hạn bồi dưỡng sau bổ nhiệm, bầu cử"),
        Deadline => ("e_trong_han", "Có hạn bồi dưỡng sắp tới"),
        AtRisk => ("chi_tieu_nguy_co", "Thuộc chỉ tiêu có nguy cơ không đạt"),
        Unpressed => ("khong", "Không có nhu cầu cấp bách"),
    }
}

impl NeedKey {
    pub const NONE: NeedKey = NeedKey {
        rank: 3,
        deadline: None,
    };

    pub fn label(&self) -> NeedRank {
        match self.rank {
            0 => NeedRank::Overdue,
            1 => NeedRank::Deadline,
            2 => NeedRank::AtRisk,
            _ => NeedRank::Unpressed,
        }
    }
}

/// Whether completing the programme can satisfy a criterion: it names a
/// completed training of the programme's topic, code or kind, or the
/// qualification kind the programme grants.
pub fn programme_serves(node: &Node, programme: &Programme) -> bool {
    match &node.pred {
        Pred::And { items } | Pred::Or { items } => {
            items.iter().any(|n| programme_serves(n, programme))
        }
        Pred::Not { item } => programme_serves(item, programme),
        Pred::Completed { filter } => {
            (filter.topics.is_empty() || filter.topics.contains(&programme.topic))
                && (filter.programmes.is_empty() || filter.programmes.contains(&programme.code))
                && filter.kind.is_none_or(|k| k == programme.kind)
        }
        Pred::Qual { kind, .. } | Pred::Has { kind, .. } => {
            programme.grants.as_ref().is_some_and(|g| g.kind == *kind)
        }
        _ => false,
    }
}

/// Each missing person's need for a class of the programme, from the plan's
/// results: only the targets the programme serves count. People not listed
/// have no pressing need ([`NeedKey::NONE`]).
pub fn needs_for(plan: &Plan, result: &PlanResult, programme: &Programme) -> HashMap<i64, NeedKey> {
    let serving: HashMap<&str, &nangluc_engine::Target> = plan
        .targets
        .iter()
        .filter(|t| {
            t.criterion
                .as_ref()
                .is_some_and(|c| programme_serves(&c.node, programme))
        })
        .map(|t| (t.id.as_str(), t))
        .collect();
    let mut out: HashMap<i64, NeedKey> = HashMap::new();
    for tr in &result.targets {
        let Some(t) = serving.get(tr.id.as_str()) else {
            continue;
        };
        for m in &tr.missing {
            let key = match (t.kind, m.status) {
                (Kind::AfterEvent, Some(EventStatus::Overdue)) => NeedKey {
                    rank: 0,
                    deadline: m.deadline,
                },
                (Kind::AfterEvent, Some(EventStatus::Pending)) => NeedKey {
                    rank: 1,
                    deadline: m.deadline,
                },
                _ if tr.status == Status::AtRisk => NeedKey {
                    rank: 2,
                    deadline: None,
                },
                _ => NeedKey::NONE,
            };
            let e = out.entry(m.person_id).or_insert(NeedKey::NONE);
            *e = (*e).min(key);
        }
    }
    out
}

// ---------------------------------------------------------------- seats

/// A nomination competing for a seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// The enrolment's id: ids are allocated in order, so it is the
    /// nomination order.
    pub enrolment_id: i64,
    /// The unit that nominated the person (the unit whose quota it uses).
    pub unit_id: i64,
    pub need: NeedKey,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Allocation {
    /// Enrolments given a seat, in the order of need.
    pub seated: Vec<i64>,
    /// The waiting list, in the order seats are offered when one frees up.
    pub waiting: Vec<i64>,
    /// Seats per nominating unit; empty when every nomination has a seat.
    pub quotas: BTreeMap<i64, usize>,
}

fn by_need(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    (a.need, a.enrolment_id).cmp(&(b.need, b.enrolment_id))
}

/// Gives the seats. Demand within the seats: everybody sits. Beyond, with
/// seats `assigned` to units by the Sở Nội vụ: each such unit seats up to its
/// quota of its own people by need, and the seats left (unassigned, or
/// unused by a unit) go to everyone else by need. Beyond, without: each unit
/// gets `seats × its demand ÷ all demand` seats rounded down, the seats left
/// go one each to the largest remainders (ties: the unit whose next person
/// needs it most), and each unit seats its own people by need. Everyone else
/// waits, ordered by need then nomination.
pub fn allocate(
    seats: usize,
    candidates: &[Candidate],
    assigned: &BTreeMap<i64, usize>,
) -> Allocation {
    let mut all: Vec<Candidate> = candidates.to_vec();
    all.sort_by(by_need);
    if all.len() <= seats {
        return Allocation {
            seated: all.iter().map(|c| c.enrolment_id).collect(),
            ..Allocation::default()
        };
    }
    let total = all.len();
    let mut per_unit: BTreeMap<i64, Vec<Candidate>> = BTreeMap::new();
    for c in &all {
        per_unit.entry(c.unit_id).or_default().push(*c);
    }
    if !assigned.is_empty() {
        let mut seated = Vec::new();
        let mut rest = Vec::new();
        for (u, cs) in &per_unit {
            let q = assigned.get(u).copied().unwrap_or(0).min(cs.len());
            seated.extend(cs[..q].iter().copied());
            rest.extend(cs[q..].iter().copied());
        }
        // Quotas beyond the seats are cut in unit order (the service refuses them).
        seated.sort_by(by_need);
        seated.truncate(seats);
        rest.sort_by(by_need);
        let free = seats - seated.len();
        let waiting = rest.split_off(free.min(rest.len()));
        seated.extend(rest);
        seated.sort_by(by_need);
        return Allocation {
            seated: seated.iter().map(|c| c.enrolment_id).collect(),
            waiting: waiting.iter().map(|c| c.enrolment_id).collect(),
            quotas: assigned.clone(),
        };
    }
    let mut quotas: BTreeMap<i64, usize> = per_unit
        .iter()
        .map(|(u, cs)| (*u, seats * cs.len() / total))
        .collect();
    let given: usize = quotas.values().sum();
    let mut order: Vec<(usize, Candidate, i64)> = per_unit
        .iter()
        .map(|(u, cs)| (seats * cs.len() % total, cs[quotas[u]], *u))
        .collect();
    // Largest remainder first; among equals, the unit whose next person needs it most.
    order.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| by_need(&a.1, &b.1)));
    for (_, _, u) in order.into_iter().take(seats - given) {
        *quotas.get_mut(&u).expect("unit has a quota") += 1;
    }
    let mut seated = Vec::new();
    let mut waiting = Vec::new();
    for (u, cs) in &per_unit {
        let q = quotas[u];
        seated.extend(cs[..q].iter().copied());
        waiting.extend(cs[q..].iter().copied());
    }
    seated.sort_by(by_need);
    waiting.sort_by(by_need);
    Allocation {
        seated: seated.iter().map(|c| c.enrolment_id).collect(),
        waiting: waiting.iter().map(|c| c.enrolment_id).collect(),
        quotas,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use nangluc_core::employment::{Category, Employment, Post, PostRank};
    use nangluc_core::person::{Ethnicity, PersonDetails, Sex};
    use nangluc_core::qualification::Qualification;
    use nangluc_core::training::{Grant, Topic, TrainingKind};
    use nangluc_core::unit::{Sector, UnitKind, UnitLevel, UnitVersion};
    use nangluc_core::{Knowledge, Recording, Validity, Versioned};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn v<T>(id: i64, from: NaiveDate, data: T) -> Versioned<T> {
        Versioned {
            row_id: id,
            id,
            valid: Validity::since(from),
            recording: Recording {
                recorded_at: Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap(),
                superseded_at: None,
                change_id: 1,
            },
            data,
        }
    }

    fn person(given: &str) -> PersonDetails {
        PersonDetails {
            identity_number: format!("0680850000{given}"),
            family_name: "Nguyễn".into(),
            middle_name: "Văn".into(),
            given_name: given.into(),
            birth_date: d(1980, 1, 1),
            sex: Sex::Male,
            ethnicity: Ethnicity::KINH,
        }
    }

    fn job(person_id: i64, category: Category, post: Option<PostRank>) -> Employment {
        Employment {
            person_id,
            unit_id: 1,
            category,
            rank: None,
            job_position_id: None,
            post: post.map(|rank| Post {
                code: "giam_doc".into(),
                rank,
                appointed_on: Some(d(2020, 1, 1)),
                elected_on: None,
            }),
            minority_area: false,
        }
    }

    fn programme() -> Programme {
        Programme {
            code: "LLCT-TC".into(),
            name: "Trung cấp lý luận chính trị".into(),
            kind: TrainingKind::Training,
            topic: Topic::PoliticalTheory,
            legal_basis: String::new(),
            duration_periods: 800,
            grants: Some(Grant {
                kind: QualificationKind::PoliticalTheory,
                level: "trung_cap".into(),
                field: None,
                language: None,
            }),
        }
    }

    /// Person 1: a civil servant heading a department, holding political
    /// theory trung cấp. Person 2: a public employee without post. Person 3:
    /// known, but left the workforce in 2023.
    fn snapshot() -> Snapshot {
        let since = d(2015, 1, 1);
        let mut k = Knowledge::default();
        k.units.push(v(
            1,
            since,
            UnitVersion {
                code: "SNV".into(),
                name: "Sở Nội vụ".into(),
                level: UnitLevel::Province,
                kind: UnitKind::State,
                sector: Sector::General,
                parent_id: None,
                minority_area: false,
            },
        ));
        for (id, name) in [(1, "An"), (2, "Bình"), (3, "Cường")] {
            k.people.push(v(id, since, person(name)));
        }
        k.employments.push(v(
            1,
            since,
            job(1, Category::CivilServant, Some(PostRank::Department)),
        ));
        k.employments
            .push(v(2, since, job(2, Category::PublicEmployee, None)));
        let mut left = v(3, since, job(3, Category::CivilServant, None));
        left.valid = Validity::between(since, d(2023, 1, 1));
        k.employments.push(left);
        k.qualifications.push(v(
            1,
            d(2018, 6, 1),
            Qualification {
                person_id: 1,
                kind: QualificationKind::PoliticalTheory,
                level: "trung_cap".into(),
                field: None,
                language: None,
                obtained_on: d(2018, 6, 1),
                evidence: None,
                enrolment_id: None,
            },
        ));
        k.programmes.push(v(1, since, programme()));
        Snapshot::build(&k, d(2025, 6, 1))
    }

    #[test]
    fn a_class_moves_only_along_its_life() {
        use ClassAction as A;
        use ClassStatus as S;
        assert_eq!(transition(S::Proposed, A::Approve), Ok(S::Approved));
        assert_eq!(transition(S::Approved, A::Open), Ok(S::Open));
        assert_eq!(transition(S::Open, A::Start), Ok(S::InProgress));
        assert_eq!(transition(S::InProgress, A::Finish), Ok(S::Finished));
        for s in [S::Proposed, S::Approved, S::Open, S::InProgress] {
            assert_eq!(transition(s, A::Cancel), Ok(S::Cancelled));
        }
        let e = transition(S::Proposed, A::Start).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Không thể khai giảng lớp đang ở trạng thái \"Đề xuất\"."
        );
        assert!(transition(S::Finished, A::Cancel).is_err());
        assert!(transition(S::Cancelled, A::Open).is_err());
        assert!(transition(S::Open, A::Approve).is_err());
    }

    #[test]
    fn who_may_move_a_class() {
        use ClassAction as A;
        for a in A::ALL {
            assert!(may(Actor::HomeAffairs, *a));
            assert!(!may(Actor::Institution { own: false }, *a));
            for other in [
                Actor::UnitHr,
                Actor::Finance,
                Actor::Leader,
                Actor::Employee,
            ] {
                assert!(!may(other, *a), "{other:?} {a:?}");
            }
        }
        let own = Actor::Institution { own: true };
        assert!(may(own, A::Start) && may(own, A::Finish));
        assert!(!may(own, A::Approve) && !may(own, A::Open) && !may(own, A::Cancel));
        assert_eq!(
            act(own, ClassStatus::Proposed, A::Approve)
                .unwrap_err()
                .to_string(),
            "Tài khoản này không được phê duyệt lớp."
        );
        assert!(
            may_propose(own)
                && !may_propose(Actor::Institution { own: false })
                && !may_propose(Actor::UnitHr)
        );
    }

    #[test]
    fn a_target_group_is_checked_when_proposed() {
        assert_eq!(check_target_group("  ").unwrap(), None);
        let g = check_target_group("category == civil_servant and post_rank >= department")
            .unwrap()
            .unwrap();
        assert_eq!(
            g.src,
            "category == civil_servant and post_rank >= department"
        );
        let e = check_target_group("category == civil_servent").unwrap_err();
        assert!(
            e.starts_with("Đối tượng của lớp không hợp lệ — ký tự thứ 13:"),
            "{e}"
        );
        assert!(e.contains("có phải 'civil_servant'"), "{e}");
        // A window needs a target: a class has none.
        assert!(check_target_group("completed(topic: it, within: window)").is_err());
    }

    #[test]
    fn eligibility_flags_who_does_not_fit_holds_the_grant_or_is_double_booked() {
        let snap = snapshot();
        let group =
            check_target_group("category == civil_servant and post_rank >= department").unwrap();
        let on = d(2025, 6, 1);
        let check = GroupCheck::new(&snap, group.as_ref(), on);
        assert_eq!(check.person(1), GroupFit::Fits);
        let GroupFit::DoesNotFit(why) = check.person(2) else {
            panic!("{:?}", check.person(2))
        };
        assert!(!why.is_empty());
        assert_eq!(check.person(3), GroupFit::NotInWorkforce, "left in 2023");
        assert_eq!(check.person(99), GroupFit::NotInWorkforce, "unknown");

        let class = ClassDates {
            class_id: 10,
            programme_id: 1,
            starts_on: d(2025, 9, 1),
            ends_on: d(2025, 9, 30),
        };
        let booking = |class_id: i64, status, from, to| Booking {
            enrolment_id: class_id * 100,
            class_id: Some(class_id),
            class_code: format!("L{class_id}"),
            programme_id: if class_id == 7 { 1 } else { 2 },
            status,
            starts_on: from,
            ends_on: to,
        };
        // Person 1 fits but holds trung cấp already (the programme grants it).
        let f1 = eligibility(class, &programme(), check.person(1), &check, 1, &[]);
        assert_eq!(
            f1,
            vec![Flag::HoldsQualification {
                level: "Lý luận chính trị Trung cấp".into()
            }]
        );
        // Person 2: not in the group; booked on 30/09 (overlap on the last day);
        // a withdrawn overlapping booking and a later one do not count; a
        // completed run of the same programme does; this class's own row is ignored.
        let bookings = [
            booking(
                5,
                EnrolmentStatus::Nominated,
                d(2025, 9, 30),
                d(2025, 10, 15),
            ),
            booking(
                6,
                EnrolmentStatus::Withdrawn,
                d(2025, 9, 10),
                d(2025, 9, 12),
            ),
            booking(8, EnrolmentStatus::Enrolled, d(2025, 10, 1), d(2025, 10, 5)),
            booking(7, EnrolmentStatus::Completed, d(2021, 3, 1), d(2021, 6, 30)),
            booking(
                10,
                EnrolmentStatus::Nominated,
                d(2025, 9, 1),
                d(2025, 9, 30),
            ),
        ];
        let f2 = eligibility(class, &programme(), check.person(2), &check, 2, &bookings);
        let codes: Vec<&str> = f2.iter().map(Flag::code).collect();
        assert_eq!(
            codes,
            [
                "not_in_target_group",
                "completed_programme",
                "double_booked"
            ]
        );
        assert!(
            f2[0].message().starts_with("Không đúng đối tượng: "),
            "{}",
            f2[0].message()
        );
        assert_eq!(
            f2[1].message(),
            "Đã hoàn thành chương trình này (lớp L7, kết thúc 30/06/2021)"
        );
        assert_eq!(
            f2[2].message(),
            "Trùng lịch với lớp L5 (30/09/2025 – 15/10/2025)"
        );
        // Without a target group everyone in the workforce fits.
        let open = GroupCheck::new(&snap, None, on);
        assert_eq!(open.person(2), GroupFit::Fits);
        assert_eq!(open.person(3), GroupFit::NotInWorkforce);
    }

    #[test]
    fn a_programme_serves_the_criteria_it_can_satisfy() {
        let p = programme();
        let expr = |s: &str| {
            parse_expr(
                s,
                Scope {
                    context: Context::Person,
                    window: None,
                },
            )
            .unwrap()
        };
        assert!(programme_serves(
            &expr("political_theory >= trung_cap").node,
            &p
        ));
        assert!(programme_serves(
            &expr("completed(topic: political_theory)").node,
            &p
        ));
        assert!(programme_serves(
            &expr("education >= dai_hoc or completed(programme: \"LLCT-TC\")").node,
            &p
        ));
        assert!(!programme_serves(&expr("completed(topic: it)").node, &p));
        assert!(!programme_serves(
            &expr("completed(programme: \"KHAC\")").node,
            &p
        ));
        assert!(!programme_serves(
            &expr("category == civil_servant").node,
            &p
        ));
    }

    fn c(enrolment_id: i64, unit_id: i64, rank: u8, deadline: Option<NaiveDate>) -> Candidate {
        Candidate {
            enrolment_id,
            unit_id,
            need: NeedKey { rank, deadline },
        }
    }

    #[test]
    fn within_the_seats_everybody_sits_in_the_order_of_need() {
        let a = allocate(
            5,
            &[
                c(1, 10, 3, None),
                c(2, 10, 2, None),
                c(3, 20, 1, Some(d(2025, 9, 1))),
                c(4, 20, 0, Some(d(2024, 1, 1))),
            ],
            &BTreeMap::from([(10, 1)]),
        );
        assert_eq!(
            a.seated,
            [4, 3, 2, 1],
            "assigned quotas do not limit a class that is not full"
        );
        assert!(a.waiting.is_empty() && a.quotas.is_empty());
    }

    #[test]
    fn beyond_the_seats_units_get_quotas_by_largest_remainder() {
        // 4 seats, demand A 3, B 2, C 1 (6 in all): A 4·3/6 = 2, B 4·2/6 = 1 rem 2,
        // C 4·1/6 = 0 rem 4 → the seat left goes to C.
        let (a, b, cc) = (10, 20, 30);
        let cands = [
            c(1, a, 3, None),
            c(2, a, 2, None),
            c(3, a, 1, Some(d(2025, 12, 1))),
            c(4, b, 3, None),
            c(5, b, 0, Some(d(2024, 1, 1))),
            c(6, cc, 3, None),
        ];
        let x = allocate(4, &cands, &BTreeMap::new());
        assert_eq!(x.quotas, BTreeMap::from([(a, 2), (b, 1), (cc, 1)]));
        // A seats 3 (deadline) and 2 (at risk); B seats 5 (overdue); C seats 6.
        assert_eq!(x.seated, [5, 3, 2, 6]);
        // Waiting: 4 and 1 have the same need; the earlier nomination first.
        assert_eq!(x.waiting, [1, 4]);
    }

    #[test]
    fn waiting_list_puts_overdue_first_then_nearest_deadline_then_at_risk() {
        // One unit, 1 seat: the most urgent sits, the others wait in order.
        let cands = [
            c(1, 10, 3, None),
            c(2, 10, 2, None),
            c(3, 10, 1, Some(d(2026, 3, 1))),
            c(4, 10, 1, Some(d(2025, 12, 1))),
            c(5, 10, 0, Some(d(2025, 1, 1))),
            c(6, 10, 0, Some(d(2024, 6, 1))),
        ];
        let x = allocate(1, &cands, &BTreeMap::new());
        assert_eq!(x.seated, [6]);
        assert_eq!(x.waiting, [5, 4, 3, 2, 1]);
        assert_eq!(x.quotas, BTreeMap::from([(10, 1)]));
    }

    #[test]
    fn equal_remainders_go_to_the_unit_whose_next_person_needs_it_most() {
        // 1 seat, two units of one person each: remainders equal (1 of 2 each).
        let x = allocate(1, &[c(1, 10, 3, None), c(2, 20, 2, None)], &BTreeMap::new());
        assert_eq!(x.seated, [2]);
        assert_eq!(x.quotas, BTreeMap::from([(10, 0), (20, 1)]));
    }

    #[test]
    fn a_class_ends_for_each_learner_by_attendance_result_and_certificate() {
        assert_eq!(
            outcome(Some(95), Some("Giỏi"), Some("CC-1")),
            Ok(EnrolmentStatus::Completed)
        );
        assert_eq!(
            outcome(Some(80), Some("Đạt"), Some("CC-2")),
            Ok(EnrolmentStatus::Completed)
        );
        assert_eq!(
            outcome(Some(40), Some(FAILED_RESULT), None),
            Ok(EnrolmentStatus::Failed)
        );
        assert_eq!(
            outcome(Some(79), Some("Đạt"), Some("CC-3")).unwrap_err(),
            "tham dự 79 % thời gian, dưới 80 % thì không thể đánh giá \"Đạt\""
        );
        assert_eq!(
            outcome(Some(90), Some("Khá"), Some(" ")).unwrap_err(),
            "đạt nhưng chưa có số chứng chỉ"
        );
        assert_eq!(
            outcome(Some(90), None, None).unwrap_err(),
            "chưa có kết quả"
        );
        assert_eq!(
            outcome(None, Some("Khá"), Some("CC")).unwrap_err(),
            "chưa có tỷ lệ chuyên cần"
        );
        assert!(outcome(Some(120), Some("Khá"), Some("CC")).is_err());
        assert!(outcome(Some(90), Some("Tốt"), Some("CC")).is_err());
    }

    /// Leaders appointed on different days under a 24-month after-appointment
    /// target, and a target over everybody whose status the engine decides.
    #[test]
    fn need_puts_overdue_e_kind_first_then_the_nearest_deadline() {
        let since = d(2015, 1, 1);
        let mut k = Knowledge::default();
        k.units.push(v(
            1,
            since,
            UnitVersion {
                code: "SNV".into(),
                name: "Sở Nội vụ".into(),
                level: UnitLevel::Province,
                kind: UnitKind::State,
                sector: Sector::General,
                parent_id: None,
                minority_area: false,
            },
        ));
        // 1 appointed 01/01/2020 (window closed 31/12/2021), 2 on 01/09/2024,
        // 3 on 01/01/2025 (both still open), 4 holds no post.
        let appointed = [
            (1, Some(d(2020, 1, 1))),
            (2, Some(d(2024, 9, 1))),
            (3, Some(d(2025, 1, 1))),
            (4, None),
        ];
        for (id, on) in appointed {
            k.people.push(v(id, since, person(&format!("P{id}"))));
            let mut e = job(id, Category::CivilServant, on.map(|_| PostRank::Department));
            if let Some(p) = e.post.as_mut() {
                p.appointed_on = on;
            }
            k.employments.push(v(id, since, e));
        }
        k.programmes.push(v(1, since, programme()));
        let snap = Snapshot::build(&k, d(2025, 6, 1));
        let plan = Plan::parse(
            r#"
[plan]
id = "t"
name = "Thử"
issuer = "UBND tỉnh"
period = [2021, 2026]

[[groups]]
id = "g"
name = "Nhóm"

[[groups.targets]]
id = "E1"
wording = "Lãnh đạo được bồi dưỡng lý luận chính trị trong 24 tháng sau bổ nhiệm"
kind = "after_event"
event = "appointment"
months = 24
events_from = 2019-01-01
population = "is_leader"
criterion = "completed(topic: political_theory, within: window)"

[[groups.targets]]
id = "R1"
wording = "Công chức được bồi dưỡng tin học"
kind = "ratio"
population = "category == civil_servant"
criterion = "completed(topic: it)"
min = 100
by = 2026
"#,
            "t.toml",
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        let result = nangluc_engine::evaluate_with(
            &plan,
            &snap,
            d(2025, 6, 1),
            &nangluc_engine::Options {
                unit: None,
                missing: true,
                pace: true,
            },
        );
        let needs = needs_for(&plan, &result, &programme());
        // The engine's deadline: the appointment plus 24 months.
        assert_eq!(
            needs[&1],
            NeedKey {
                rank: 0,
                deadline: Some(d(2022, 1, 1))
            },
            "{needs:?}"
        );
        assert_eq!(
            needs[&2],
            NeedKey {
                rank: 1,
                deadline: Some(d(2026, 9, 1))
            }
        );
        assert_eq!(
            needs[&3],
            NeedKey {
                rank: 1,
                deadline: Some(d(2027, 1, 1))
            }
        );
        // The IT target is not served by a political theory programme.
        assert!(!needs.contains_key(&4), "{needs:?}");
        // Nominated in the reverse order, one seat: the overdue leader sits and
        // the nearer deadline waits first.
        let cands: Vec<Candidate> = [4, 3, 2, 1]
            .iter()
            .enumerate()
            .map(|(i, p)| Candidate {
                enrolment_id: i as i64 + 1,
                unit_id: 1,
                need: needs.get(p).copied().unwrap_or(NeedKey::NONE),
            })
            .collect();
        let a = allocate(1, &cands, &BTreeMap::new());
        assert_eq!(a.seated, [4], "person 1's enrolment");
        assert_eq!(a.waiting, [3, 2, 1], "persons 2, 3, then 4");
    }

    #[test]
    fn assigned_quotas_seat_each_unit_then_the_rest_by_need() {
        // 4 seats; the Sở Nội vụ gave unit 10 one seat and unit 20 two; unit 30 none.
        let cands = [
            c(1, 10, 3, None),
            c(2, 10, 0, Some(d(2024, 1, 1))),
            c(3, 10, 3, None),
            c(4, 20, 3, None),
            c(5, 30, 1, Some(d(2026, 1, 1))),
            c(6, 30, 3, None),
        ];
        let assigned = BTreeMap::from([(10, 1), (20, 2)]);
        let x = allocate(4, &cands, &assigned);
        // Unit 10 seats 2 (overdue); unit 20 has one person for two seats: 4.
        // The two seats left go by need: 5 (deadline), then 1 (earliest of the rest).
        assert_eq!(x.seated, [2, 5, 1, 4]);
        assert_eq!(x.waiting, [3, 6]);
        assert_eq!(x.quotas, assigned);
    }
}
