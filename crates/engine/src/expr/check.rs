//! Type-checking: turns the untyped tree into a typed predicate, resolving
//! every name and coded value, and collecting all errors at once.

use chrono::NaiveDate;
use nangluc_core::employment::{Category, POSTS, PostRank};
use nangluc_core::person::{Ethnicity, Sex};
use nangluc_core::position::PositionGroup;
use nangluc_core::qualification::{Level, QualificationKind};
use nangluc_core::role::{RoleKind, term_years};
use nangluc_core::training::{InstitutionKind, Topic, TrainingKind};
use nangluc_core::unit::{Sector, UnitKind, UnitLevel};
use serde::Serialize;

use super::parse::{Arg, Ast, Atom, Cmp, ExprError, Span, Test, Value};
use crate::error::hint;

/// What an expression is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Context {
    /// A person as of a date (populations and criteria of person targets).
    Person,
    /// A lecturer of a training institution (kind `lecturer_ratio`).
    Lecturer,
}

/// The event a deadline or a "before" counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// Appointment (bổ nhiệm) to the leadership post held on the date.
    Appointment,
    /// Election (bầu cử) to the post held on the date.
    Election,
    /// The later of appointment and election: taking up the post.
    AppointmentOrElection,
    /// Approval of the succession-planning decision (quy hoạch).
    PlanningApproval,
    /// Appointment to the civil-service rank (ngạch) or professional title
    /// held on the date: the first day of the employment row with that rank.
    RankAppointment,
}

impl Event {
    pub const NAMES: &'static [(&'static str, Event)] = &[
        ("appointment", Event::Appointment),
        ("election", Event::Election),
        ("appointment_or_election", Event::AppointmentOrElection),
        ("planning_approval", Event::PlanningApproval),
        ("rank_appointment", Event::RankAppointment),
    ];

    pub fn parse(s: &str) -> Option<Event> {
        Self::NAMES.iter().find(|(n, _)| *n == s).map(|(_, e)| *e)
    }

    pub fn label(self) -> &'static str {
        match self {
            Event::Appointment => "ngày bổ nhiệm",
            Event::Election => "ngày bầu cử",
            Event::AppointmentOrElection => "ngày bổ nhiệm hoặc bầu cử",
            Event::PlanningApproval => "ngày phê duyệt quy hoạch",
            Event::RankAppointment => "ngày bổ nhiệm ngạch, chức danh nghề nghiệp",
        }
    }
}

/// The time window in which a completed training counts. All bounds are
/// inclusive and no completion after the evaluation date ever counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "window", rename_all = "snake_case")]
pub enum Window {
    /// Any time up to the date.
    Ever,
    /// In the calendar year of the date.
    ThisYear,
    /// On or after the same day `months` months before the date.
    LastMonths { months: i32 },
    /// From 1 January of the term's first year to 31 December of its last.
    Term { from: i32, to: i32 },
    /// From the event to the same day `months` months later, both included.
    MonthsAfter { event: Event, months: i32 },
    /// On or before the day of the event.
    Before { event: Event },
    Since { from: NaiveDate },
    Between { from: NaiveDate, to: NaiveDate },
}

/// Which trainings count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainingFilter {
    pub topics: Vec<Topic>,
    pub programmes: Vec<String>,
    pub kind: Option<TrainingKind>,
    pub window: Window,
}

/// A typed predicate node with the source text it came from (for reasons).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    pub pred: Pred,
    pub src: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Pred {
    Const { value: bool },
    And { items: Vec<Node> },
    Or { items: Vec<Node> },
    Not { item: Box<Node> },
    Category { set: Vec<Category> },
    Level { set: Vec<UnitLevel> },
    UnitKind { set: Vec<UnitKind> },
    Sector { set: Vec<Sector> },
    /// The person's unit is one of these units (by code) or below one.
    Within { codes: Vec<String> },
    Sex { sex: Sex },
    Ethnicity { code: u8 },
    Minority,
    Age { cmp: Cmp, years: i32 },
    MinorityArea,
    PostRank { cmp: Cmp, rank: PostRank },
    Post { codes: Vec<String> },
    IsLeader,
    IsHead,
    Rank { codes: Vec<String> },
    JobPosition { codes: Vec<String> },
    PositionGroup { set: Vec<PositionGroup> },
    Role { kind: RoleKind, term: Option<String>, post: Option<String>, level: Option<UnitLevel> },
    Qual { kind: QualificationKind, cmp: Cmp, rank: u8, level: String, language: Option<String> },
    Has { kind: QualificationKind, language: Option<String> },
    FitsPosition,
    Completed { filter: TrainingFilter },
    ManagementYears { cmp: Cmp, years: i64 },
    Guest,
    InstitutionKind { set: Vec<InstitutionKind> },
}

/// What the checker knows about the target an expression belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub context: Context,
    /// The target's own window, which `within: window` refers to.
    pub window: Option<Window>,
}

const PERSON_ATTRS: &[&str] = &[
    "category", "level", "unit_kind", "sector", "unit", "sex", "ethnicity", "minority", "age",
    "minority_area", "post_rank", "post", "is_leader", "is_head", "rank", "job_position",
    "position_group", "council_delegate", "standing_committee_managed", "planned_for",
    "party_executive_member", "party_cell_secretary", "education", "political_theory",
    "state_management", "language_level", "it", "minority_language", "defence_security",
    "title_standard", "leadership_training", "has", "qualification_fits_position", "completed",
    "true", "false",
];
const LECTURER_ATTRS: &[&str] = &["management_years", "guest", "institution_kind", "true", "false"];

fn qual_attr(name: &str) -> Option<QualificationKind> {
    Some(match name {
        "education" => QualificationKind::Education,
        "political_theory" => QualificationKind::PoliticalTheory,
        "state_management" => QualificationKind::StateManagement,
        "language_level" | "foreign_language" => QualificationKind::ForeignLanguage,
        "it" => QualificationKind::It,
        "minority_language" => QualificationKind::MinorityLanguage,
        "defence_security" => QualificationKind::DefenceSecurity,
        "title_standard" => QualificationKind::TitleStandard,
        "leadership_training" | "leadership" => QualificationKind::Leadership,
        _ => return None,
    })
}

fn role_attr(name: &str) -> Option<RoleKind> {
    Some(match name {
        "council_delegate" => RoleKind::CouncilDelegate,
        "standing_committee_managed" => RoleKind::StandingCommitteeManaged,
        "planned_for" => RoleKind::SuccessionPlanning,
        "party_executive_member" => RoleKind::PartyExecutiveMember,
        "party_cell_secretary" => RoleKind::PartyCellSecretary,
        _ => return None,
    })
}

struct Checker<'a> {
    src: &'a str,
    scope: Scope,
    errors: Vec<ExprError>,
}

/// Checks a parsed expression. On success every name is resolved.
pub fn check(src: &str, ast: &Ast, scope: Scope) -> Result<Node, Vec<ExprError>> {
    let mut c = Checker { src, scope, errors: Vec::new() };
    let node = c.node(ast);
    if c.errors.is_empty() { Ok(node) } else { Err(c.errors) }
}

impl Checker<'_> {
    fn text(&self, s: Span) -> String {
        self.src[s.0..s.1].to_string()
    }

    fn error(&mut self, span: Span, msg: impl Into<String>) {
        self.errors.push(ExprError { span, message: msg.into() });
    }

    fn node(&mut self, ast: &Ast) -> Node {
        let src = self.text(ast.span());
        let pred = match ast {
            Ast::And(items, _) => Pred::And { items: items.iter().map(|a| self.node(a)).collect() },
            Ast::Or(items, _) => Pred::Or { items: items.iter().map(|a| self.node(a)).collect() },
            Ast::Not(inner, _) => Pred::Not { item: Box::new(self.node(inner)) },
            Ast::Atom(a) => return self.atom(a),
        };
        Node { pred, src }
    }

    fn atom(&mut self, a: &Atom) -> Node {
        let src = self.text(a.span);
        let pred = match self.scope.context {
            Context::Person => self.person_atom(a),
            Context::Lecturer => self.lecturer_atom(a),
        };
        let pred = pred.unwrap_or(Pred::Const { value: false });
        // `x != v` on a set attribute is `not (x == v)`.
        if let (Some(Test::Cmp(Cmp::Ne, _)), true) = (&a.test, negatable(&pred)) {
            return Node { pred: Pred::Not { item: Box::new(Node { pred, src: src.clone() }) }, src };
        }
        Node { pred, src }
    }

    fn no_args(&mut self, a: &Atom) {
        if let Some(args) = &a.args
            && !args.is_empty()
        {
            self.error(a.name_span, format!("thuộc tính '{}' không nhận tham số", a.name));
        }
    }

    fn bare(&mut self, a: &Atom, pred: Pred) -> Option<Pred> {
        self.no_args(a);
        if let Some(t) = &a.test {
            let span = test_span(t);
            self.error(span, format!("'{}' là điều kiện đúng/sai, không so sánh được; viết '{}' hoặc 'not {}'", a.name, a.name, a.name));
            return None;
        }
        Some(pred)
    }

    /// The values of `x == v`, `x != v` or `x in [v, ...]`.
    fn set_values<'v>(&mut self, a: &'v Atom, example: &str) -> Option<Vec<&'v Value>> {
        self.no_args(a);
        match &a.test {
            Some(Test::Cmp(Cmp::Eq | Cmp::Ne, v)) => Some(vec![v]),
            Some(Test::In(Value::List(items, _))) => Some(items.iter().collect()),
            Some(Test::In(v)) => {
                self.error(v.span(), format!("sau 'in' cần một danh sách trong ngoặc vuông, ví dụ {example}"));
                None
            }
            Some(t) => {
                self.error(test_span(t), format!("'{}' chỉ so sánh bằng '==', '!=' hoặc 'in [...]', ví dụ {example}", a.name));
                None
            }
            None => {
                self.error(a.span, format!("'{}' cần một phép so sánh, ví dụ {example}", a.name));
                None
            }
        }
    }

    fn code_set<T: Copy>(&mut self, a: &Atom, example: &str, all: &[T], code: fn(T) -> &'static str) -> Option<Vec<T>> {
        let values = self.set_values(a, example)?;
        let mut out = Vec::new();
        for v in values {
            let Some(word) = word(v) else {
                self.error(v.span(), format!("giá trị của '{}' phải là một mã, gặp {}", a.name, v.describe()));
                continue;
            };
            match all.iter().find(|x| code(**x) == word) {
                Some(x) => out.push(*x),
                None => {
                    let codes: Vec<&str> = all.iter().map(|x| code(*x)).collect();
                    let h = hint(word, codes.iter().copied());
                    let list = if h.is_empty() { format!(" (các giá trị: {})", codes.join(", ")) } else { String::new() };
                    self.error(v.span(), format!("không biết giá trị '{word}' của '{}'{h}{list}", a.name));
                }
            }
        }
        Some(out)
    }

    fn strings(&mut self, a: &Atom, example: &str) -> Option<Vec<String>> {
        let values = self.set_values(a, example)?;
        let mut out = Vec::new();
        for v in values {
            match v {
                Value::Str(s, _) | Value::Ident(s, _) => out.push(s.clone()),
                other => self.error(other.span(), format!("giá trị của '{}' phải là một chuỗi, gặp {}", a.name, other.describe())),
            }
        }
        Some(out)
    }

    fn cmp_number(&mut self, a: &Atom, example: &str) -> Option<(Cmp, i64)> {
        self.no_args(a);
        match &a.test {
            Some(Test::Cmp(c, Value::Num(n, _))) => Some((*c, *n)),
            Some(Test::Cmp(_, v)) => {
                self.error(v.span(), format!("'{}' so sánh với một số, gặp {}", a.name, v.describe()));
                None
            }
            _ => {
                self.error(a.span, format!("'{}' cần một phép so sánh với số, ví dụ {example}", a.name));
                None
            }
        }
    }

    fn person_atom(&mut self, a: &Atom) -> Option<Pred> {
        let name = a.name.as_str();
        if let Some(kind) = qual_attr(name) {
            return self.qual(a, kind);
        }
        if let Some(kind) = role_attr(name) {
            return self.role(a, kind);
        }
        match name {
            "true" | "false" => self.bare(a, Pred::Const { value: name == "true" }),
            "category" => self.code_set(a, "category in [cadre, civil_servant]", Category::ALL, Category::code).map(|set| Pred::Category { set }),
            "level" => self.code_set(a, "level in [province, district]", UnitLevel::ALL, UnitLevel::code).map(|set| Pred::Level { set }),
            "unit_kind" => self.code_set(a, "unit_kind == public_service", UnitKind::ALL, UnitKind::code).map(|set| Pred::UnitKind { set }),
            "sector" => self.code_set(a, "sector in [health, science]", Sector::ALL, Sector::code).map(|set| Pred::Sector { set }),
            "position_group" => self.code_set(a, "position_group == leadership", PositionGroup::ALL, PositionGroup::code).map(|set| Pred::PositionGroup { set }),
            "sex" => {
                let set = self.code_set(a, "sex == female", Sex::ALL, Sex::code)?;
                if set.len() != 1 {
                    self.error(a.span, "'sex' so sánh với đúng một giá trị: sex == female");
                    return None;
                }
                Some(Pred::Sex { sex: set[0] })
            }
            "unit" => {
                self.no_args(a);
                let v = match &a.test {
                    Some(Test::Within(v)) => v,
                    _ => {
                        self.error(a.span, "'unit' dùng với 'within', ví dụ unit within \"80-SNV\"");
                        return None;
                    }
                };
                let items: Vec<&Value> = match v {
                    Value::List(items, _) => items.iter().collect(),
                    v => vec![v],
                };
                let mut codes = Vec::new();
                for v in items {
                    match v {
                        Value::Str(s, _) => codes.push(s.clone()),
                        Value::Num(n, s) => {
                            let _ = n;
                            codes.push(self.text(*s));
                        }
                        other => self.error(other.span(), format!("mã đơn vị viết trong dấu nháy, ví dụ \"80\"; gặp {}", other.describe())),
                    }
                }
                Some(Pred::Within { codes })
            }
            "ethnicity" => {
                let values = self.set_values(a, "ethnicity == khmer")?;
                let mut preds = Vec::new();
                for v in values {
                    let Some(w) = word(v) else {
                        self.error(v.span(), format!("giá trị của 'ethnicity' phải là tên dân tộc, gặp {}", v.describe()));
                        continue;
                    };
                    if w == "minority" {
                        preds.push(Node { pred: Pred::Minority, src: "minority".into() });
                    } else if let Some(e) = Ethnicity::from_name(&w.replace('_', " ")) {
                        preds.push(Node { pred: Pred::Ethnicity { code: e.code() }, src: self.text(v.span()) });
                    } else {
                        self.error(v.span(), format!("không biết dân tộc '{w}'; viết tên không dấu như 'kinh', 'khmer', 'hmong', hoặc 'minority'"));
                    }
                }
                if preds.len() == 1 {
                    preds.pop().map(|n| n.pred)
                } else {
                    Some(Pred::Or { items: preds })
                }
            }
            "minority" => self.bare(a, Pred::Minority),
            "minority_area" => self.bare(a, Pred::MinorityArea),
            "is_leader" => self.bare(a, Pred::IsLeader),
            "is_head" => self.bare(a, Pred::IsHead),
            "qualification_fits_position" => self.bare(a, Pred::FitsPosition),
            "age" => {
                let (cmp, n) = self.cmp_number(a, "age < 40")?;
                Some(Pred::Age { cmp, years: n as i32 })
            }
            "post_rank" => {
                self.no_args(a);
                match &a.test {
                    Some(Test::Cmp(cmp, v)) => {
                        let w = word(v).unwrap_or_default();
                        match PostRank::from_code(w) {
                            Some(rank) => Some(Pred::PostRank { cmp: *cmp, rank }),
                            None => {
                                let h = hint(w, PostRank::ALL.iter().map(|r| r.code()));
                                self.error(v.span(), format!("không biết cấp chức vụ '{}'{h} (division, department, province)", v.describe()));
                                None
                            }
                        }
                    }
                    Some(Test::In(_)) => self.code_set(a, "", PostRank::ALL, PostRank::code).map(|set| {
                        Pred::Or { items: set.into_iter().map(|r| Node { pred: Pred::PostRank { cmp: Cmp::Eq, rank: r }, src: r.code().into() }).collect() }
                    }),
                    _ => {
                        self.error(a.span, "'post_rank' cần một phép so sánh, ví dụ post_rank >= division");
                        None
                    }
                }
            }
            "post" => {
                let codes = self.strings(a, "post in [chu_tich_ubnd_xa, pho_chu_tich_ubnd_xa]")?;
                let known: Vec<&str> = POSTS.iter().map(|p| p.0).collect();
                for c in &codes {
                    if !known.contains(&c.as_str()) {
                        let h = hint(c, known.iter().copied());
                        self.error(a.test.as_ref().map(test_span).unwrap_or(a.span), format!("không biết chức vụ '{c}'{h}"));
                    }
                }
                Some(Pred::Post { codes })
            }
            "rank" => self.strings(a, "rank == \"01.002\"").map(|codes| Pred::Rank { codes }),
            "job_position" => self.strings(a, "job_position == \"CV-TCCB\"").map(|codes| Pred::JobPosition { codes }),
            "has" => self.has(a),
            "completed" => self.completed(a),
            _ => {
                let h = hint(name, PERSON_ATTRS.iter().copied());
                let msg = if LECTURER_ATTRS.contains(&name) {
                    format!("thuộc tính '{name}' chỉ dùng cho chỉ tiêu về giảng viên (kind = \"lecturer_ratio\")")
                } else {
                    format!("không biết thuộc tính '{name}'{h}")
                };
                self.error(a.name_span, msg);
                None
            }
        }
    }

    fn lecturer_atom(&mut self, a: &Atom) -> Option<Pred> {
        match a.name.as_str() {
            "true" | "false" => self.bare(a, Pred::Const { value: a.name == "true" }),
            "guest" => self.bare(a, Pred::Guest),
            "management_years" => {
                let (cmp, years) = self.cmp_number(a, "management_years >= 5")?;
                Some(Pred::ManagementYears { cmp, years })
            }
            "institution_kind" => self
                .code_set(a, "institution_kind == political_school", InstitutionKind::ALL, InstitutionKind::code)
                .map(|set| Pred::InstitutionKind { set }),
            name => {
                let h = hint(name, LECTURER_ATTRS.iter().copied());
                self.error(a.name_span, format!("không biết thuộc tính giảng viên '{name}'{h} (management_years, guest, institution_kind)"));
                None
            }
        }
    }

    /// Keyword arguments: each key at most once, from a known list.
    fn kwargs<'v>(&mut self, fname: &str, args: &'v [Arg], known: &[&str]) -> Vec<(&'v str, &'v Value)> {
        let mut out: Vec<(&str, &Value)> = Vec::new();
        for arg in args {
            let Some((k, ks)) = &arg.key else {
                self.error(arg.value.span(), format!("tham số của '{fname}' phải có tên, ví dụ {}: …", known[0]));
                continue;
            };
            if !known.contains(&k.as_str()) {
                let h = hint(k, known.iter().copied());
                self.error(*ks, format!("'{fname}' không có tham số '{k}'{h} (có: {})", known.join(", ")));
                continue;
            }
            if out.iter().any(|(x, _)| x == k) {
                self.error(*ks, format!("tham số '{k}' được viết hai lần"));
                continue;
            }
            out.push((k.as_str(), &arg.value));
        }
        out
    }

    fn str_arg(&mut self, v: &Value, what: &str) -> Option<String> {
        match v {
            Value::Str(s, _) | Value::Ident(s, _) => Some(s.clone()),
            other => {
                self.error(other.span(), format!("{what} phải là một chuỗi, gặp {}", other.describe()));
                None
            }
        }
    }

    fn qual(&mut self, a: &Atom, kind: QualificationKind) -> Option<Pred> {
        let mut language = None;
        if let Some(args) = &a.args {
            for (k, v) in self.kwargs(&a.name, args, &["language"]) {
                if k == "language" {
                    language = self.str_arg(v, "ngôn ngữ");
                }
            }
        }
        let Some(test) = &a.test else {
            return Some(Pred::Has { kind, language });
        };
        let Test::Cmp(cmp, v) = test else {
            self.error(test_span(test), format!("'{}' so sánh theo thang bậc, ví dụ {} >= {}", a.name, a.name, example_level(kind)));
            return None;
        };
        let text = match v {
            Value::Ident(s, _) | Value::Str(s, _) => s.clone(),
            Value::Num(n, _) => n.to_string(),
            other => {
                self.error(other.span(), format!("mức của '{}' không hợp lệ: {}", a.name, other.describe()));
                return None;
            }
        };
        match Level::parse(kind, &text) {
            Some(level) => Some(Pred::Qual { kind, cmp: *cmp, rank: level.rank, level: level.code.to_string(), language }),
            None => {
                let codes: Vec<&str> = kind.levels().map(|l| l.code).collect();
                let h = hint(&text, codes.iter().copied());
                self.error(v.span(), format!("'{text}' không phải một mức của thang {} {h} (các mức: {})", kind.label().to_lowercase(), codes.join(", ")));
                None
            }
        }
    }

    fn role(&mut self, a: &Atom, kind: RoleKind) -> Option<Pred> {
        if let Some(t) = &a.test {
            self.error(test_span(t), format!("'{}' là điều kiện đúng/sai, không so sánh được", a.name));
            return None;
        }
        let (mut term, mut post, mut level) = (None, None, None);
        if let Some(args) = &a.args {
            for (k, v) in self.kwargs(&a.name, args, &["term", "post", "level"]) {
                match k {
                    "term" => {
                        term = self.str_arg(v, "nhiệm kỳ");
                        if let Some(t) = &term
                            && term_years(t).is_none()
                        {
                            self.error(v.span(), format!("nhiệm kỳ '{t}' phải viết dạng \"2021-2026\""));
                        }
                    }
                    "post" => post = self.str_arg(v, "chức danh"),
                    "level" => {
                        let w = word(v).unwrap_or_default();
                        level = UnitLevel::from_code(w);
                        if level.is_none() {
                            let h = hint(w, UnitLevel::ALL.iter().map(|l| l.code()));
                            self.error(v.span(), format!("không biết cấp '{}'{h}", v.describe()));
                        }
                    }
                    _ => {}
                }
            }
        }
        Some(Pred::Role { kind, term, post, level })
    }

    fn has(&mut self, a: &Atom) -> Option<Pred> {
        if let Some(t) = &a.test {
            self.error(test_span(t), "'has(...)' là điều kiện đúng/sai, không so sánh được");
            return None;
        }
        let args = a.args.as_deref().unwrap_or(&[]);
        let mut kind = None;
        let mut language = None;
        for arg in args {
            match (&arg.key, &arg.value) {
                (None, v) => {
                    let w = word(v).unwrap_or_default();
                    kind = QualificationKind::from_code(w).or_else(|| qual_attr(w));
                    if kind.is_none() {
                        let h = hint(w, QualificationKind::ALL.iter().map(|k| k.code()));
                        self.error(v.span(), format!("không biết loại trình độ '{}'{h}", v.describe()));
                        return None;
                    }
                }
                (Some((k, _)), v) if k == "language" => language = self.str_arg(v, "ngôn ngữ"),
                (Some((k, ks)), _) => {
                    self.error(*ks, format!("'has' không có tham số '{k}' (có: language)"));
                }
            }
        }
        match kind {
            Some(kind) => Some(Pred::Has { kind, language }),
            None => {
                self.error(a.span, "'has' cần một loại trình độ, ví dụ has(minority_language)");
                None
            }
        }
    }

    fn completed(&mut self, a: &Atom) -> Option<Pred> {
        if let Some(t) = &a.test {
            self.error(test_span(t), "'completed(...)' là điều kiện đúng/sai, không so sánh được");
            return None;
        }
        let mut f = TrainingFilter { topics: Vec::new(), programmes: Vec::new(), kind: None, window: Window::Ever };
        let args = a.args.as_deref().unwrap_or(&[]);
        for (k, v) in self.kwargs("completed", args, &["topic", "programme", "kind", "within"]) {
            let items: Vec<&Value> = match v {
                Value::List(items, _) => items.iter().collect(),
                v => vec![v],
            };
            match k {
                "topic" => {
                    for v in items {
                        let w = word(v).unwrap_or_default();
                        match Topic::from_code(w) {
                            Some(t) => f.topics.push(t),
                            None => {
                                let h = hint(w, Topic::ALL.iter().map(|t| t.code()));
                                self.error(v.span(), format!("không biết chủ đề bồi dưỡng '{}'{h}", v.describe()));
                            }
                        }
                    }
                }
                "programme" => {
                    for v in items {
                        if let Some(s) = self.str_arg(v, "mã chương trình") {
                            f.programmes.push(s);
                        }
                    }
                }
                "kind" => {
                    let w = word(v).unwrap_or_default();
                    f.kind = TrainingKind::from_code(w);
                    if f.kind.is_none() {
                        self.error(v.span(), format!("loại đào tạo '{}' phải là dao_tao hoặc boi_duong", v.describe()));
                    }
                }
                "within" => {
                    if let Some(w) = self.window(v) {
                        f.window = w;
                    }
                }
                _ => {}
            }
        }
        Some(Pred::Completed { filter: f })
    }

    fn window(&mut self, v: &Value) -> Option<Window> {
        let bad = |c: &mut Self, span: Span, msg: &str| {
            c.error(span, msg.to_string());
            None
        };
        match v {
            Value::Ident(w, s) => match w.as_str() {
                "ever" => Some(Window::Ever),
                "this_year" => Some(Window::ThisYear),
                "window" => match self.scope.window {
                    Some(w) => Some(w),
                    None => bad(self, *s, "'within: window' chỉ dùng được khi chỉ tiêu có cửa sổ thời gian (loại Y, W, T, E, B)"),
                },
                other => {
                    let h = hint(other, ["ever", "this_year", "window", "last_months", "term", "months_after", "before", "since", "between"]);
                    bad(self, *s, &format!("không biết khoảng thời gian '{other}'{h}"))
                }
            },
            Value::Call(name, args, s) => {
                let pos: Vec<&Value> = args.iter().map(|a| &a.value).collect();
                match (name.as_str(), pos.as_slice()) {
                    ("last_months", [Value::Num(n, _)]) if *n > 0 => Some(Window::LastMonths { months: *n as i32 }),
                    ("term", [Value::Str(t, ts)]) => match term_years(t) {
                        Some((from, to)) => Some(Window::Term { from, to }),
                        None => bad(self, *ts, "nhiệm kỳ phải viết dạng \"2021-2026\""),
                    },
                    ("months_after", [e, Value::Num(n, _)]) if *n > 0 => {
                        self.event(e).map(|event| Window::MonthsAfter { event, months: *n as i32 })
                    }
                    ("before", [e]) => self.event(e).map(|event| Window::Before { event }),
                    ("since", [Value::Str(d, ds)]) => match parse_date(d) {
                        Some(from) => Some(Window::Since { from }),
                        None => bad(self, *ds, "ngày phải viết dạng \"2023-01-01\""),
                    },
                    ("between", [Value::Str(a, as_), Value::Str(b, bs)]) => match (parse_date(a), parse_date(b)) {
                        (Some(from), Some(to)) => Some(Window::Between { from, to }),
                        (None, _) => bad(self, *as_, "ngày phải viết dạng \"2023-01-01\""),
                        _ => bad(self, *bs, "ngày phải viết dạng \"2023-01-01\""),
                    },
                    ("last_months" | "term" | "months_after" | "before" | "since" | "between", _) => bad(
                        self,
                        *s,
                        &format!(
                            "tham số của '{name}' không đúng; viết last_months(24), term(\"2021-2026\"), months_after(appointment, 24), before(appointment), since(\"2023-01-01\") hoặc between(\"2023-01-01\", \"2025-12-31\")"
                        ),
                    ),
                    (other, _) => {
                        let h = hint(other, ["last_months", "term", "months_after", "before", "since", "between"]);
                        bad(self, *s, &format!("không biết khoảng thời gian '{other}'{h}"))
                    }
                }
            }
            other => bad(self, other.span(), "khoảng thời gian viết như this_year, last_months(24), term(\"2021-2026\")…"),
        }
    }

    fn event(&mut self, v: &Value) -> Option<Event> {
        let w = word(v).unwrap_or_default();
        let e = Event::parse(w);
        if e.is_none() {
            let h = hint(w, Event::NAMES.iter().map(|(n, _)| *n));
            self.error(v.span(), format!("không biết sự kiện '{}'{h}", v.describe()));
        }
        e
    }
}

fn negatable(p: &Pred) -> bool {
    matches!(
        p,
        Pred::Category { .. }
            | Pred::Level { .. }
            | Pred::UnitKind { .. }
            | Pred::Sector { .. }
            | Pred::Sex { .. }
            | Pred::Ethnicity { .. }
            | Pred::Minority
            | Pred::Or { .. }
            | Pred::Post { .. }
            | Pred::Rank { .. }
            | Pred::JobPosition { .. }
            | Pred::PositionGroup { .. }
            | Pred::InstitutionKind { .. }
    )
}

fn word(v: &Value) -> Option<&str> {
    match v {
        Value::Ident(s, _) | Value::Str(s, _) => Some(s),
        _ => None,
    }
}

fn test_span(t: &Test) -> Span {
    match t {
        Test::Cmp(_, v) | Test::In(v) | Test::Within(v) => v.span(),
    }
}

fn example_level(kind: QualificationKind) -> &'static str {
    kind.levels().last().map(|l| l.code).unwrap_or("…")
}

pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok().or_else(|| NaiveDate::parse_from_str(s.trim(), "%d/%m/%Y").ok())
}

/// Whether the expression uses a training window relative to an event.
pub fn uses_event(node: &Node) -> bool {
    match &node.pred {
        Pred::And { items } | Pred::Or { items } => items.iter().any(uses_event),
        Pred::Not { item } => uses_event(item),
        Pred::Completed { filter } => matches!(filter.window, Window::MonthsAfter { .. } | Window::Before { .. }),
        _ => false,
    }
}
