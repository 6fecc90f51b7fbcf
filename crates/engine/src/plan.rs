//! The plan file: TOML read by hand (not by serde derive) so that every
//! error — unknown key, wrong type, bad expression — points at the line and
//! column of the file and is said in Vietnamese. See docs/plan-format.md.

use std::ops::Range as Span;

use chrono::NaiveDate;
use nangluc_core::training::{Topic, TrainingKind};
use serde::Serialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::error::{Lines, PlanError, hint};
use crate::expr::{Context, Event, Expr, Scope, Window, parse_expr};

/// A share as basis points (1 % = 100): exact, no floating point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Percent(pub u32);

impl Percent {
    pub const FULL: Percent = Percent(10_000);

    /// "25", "17,08", "17.08%", "100 %".
    pub fn parse(s: &str) -> Option<Percent> {
        let s = s.trim().trim_end_matches('%').trim().replace(',', ".");
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let whole: u32 = int.parse().ok()?;
        let frac: u32 = format!("{frac:0<2}").parse().ok()?;
        let bp = whole.checked_mul(100)?.checked_add(frac)?;
        (bp <= 10_000).then_some(Percent(bp))
    }
}

impl std::fmt::Display for Percent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_multiple_of(100) {
            write!(f, "{}%", self.0 / 100)
        } else {
            write!(f, "{},{:02}%", self.0 / 100, self.0 % 100).map(|_| ())
        }
    }
}

/// The nine kinds of targets of the source plans, and the lecturer ratio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// R: by a date, at least X % of a population meets a criterion.
    Ratio,
    /// Y: every calendar year, at least X % trained (one result per year).
    Yearly,
    /// W: everyone retrained at least once every N months.
    Window,
    /// T: everyone trained at least once during a term.
    Term,
    /// E: everyone trained within N months after an event.
    AfterEvent,
    /// B: the appointments of a period met their standard before the event.
    BeforeEvent,
    /// Q: a quota of person-times (enrolments) per year or in total.
    Quota,
    /// C: a number of classes per year, each of a size.
    Classes,
    /// P: the holders of named posts hold a qualification by a date.
    PostHolder,
    /// Institution level: a share of the lecturers of training institutions.
    LecturerRatio,
}

impl Kind {
    pub const NAMES: &'static [(&'static str, &'static str, Kind)] = &[
        ("ratio", "R", Kind::Ratio),
        ("yearly", "Y", Kind::Yearly),
        ("window", "W", Kind::Window),
        ("term", "T", Kind::Term),
        ("after_event", "E", Kind::AfterEvent),
        ("before_event", "B", Kind::BeforeEvent),
        ("quota", "Q", Kind::Quota),
        ("classes", "C", Kind::Classes),
        ("post_holder", "P", Kind::PostHolder),
        ("lecturer_ratio", "L", Kind::LecturerRatio),
    ];

    pub fn parse(s: &str) -> Option<Kind> {
        Self::NAMES.iter().find(|(n, l, _)| *n == s || *l == s).map(|x| x.2)
    }

    pub fn letter(self) -> &'static str {
        Self::NAMES.iter().find(|x| x.2 == self).map(|x| x.1).unwrap_or("?")
    }

    pub fn name(self) -> &'static str {
        Self::NAMES.iter().find(|x| x.2 == self).map(|x| x.0).unwrap_or("?")
    }

    /// Kinds measured as a share of people (or lecturers).
    pub fn is_ratio(self) -> bool {
        !matches!(self, Kind::Quota | Kind::Classes)
    }
}

/// A threshold at a horizon: at least `min` by the end of year `by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Horizon {
    pub by: i32,
    pub min: Percent,
    pub stretch: Option<Percent>,
}

/// A count range: at least `min`, at most `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct CountRange {
    pub min: Option<u64>,
    pub max: Option<u64>,
}

/// Which enrolments count for a quota.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct EnrolmentFilter {
    pub programmes: Vec<String>,
    pub topics: Vec<Topic>,
    pub training: Option<TrainingKind>,
    /// Levels of the qualification the programme grants (`thac_si`, `tien_si`…).
    pub levels: Vec<String>,
    /// Fields of the qualification the programme grants.
    pub fields: Vec<String>,
    /// Only programmes at institutions abroad.
    pub abroad: bool,
    /// Who counts, as of the day the enrolment starts.
    pub population: Option<Expr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuotaCount {
    /// Enrolments sent in the year (nominated, enrolled, completed or failed), by start year.
    Sent,
    /// Completions, by the year the course ended.
    Completed,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubQuota {
    pub name: String,
    pub range: CountRange,
    pub filter: EnrolmentFilter,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quota {
    pub period: (i32, i32),
    pub count: QuotaCount,
    pub per_year: Option<CountRange>,
    pub total: Option<CountRange>,
    /// Quotas stated year by year (annexes).
    pub by_year: Vec<(i32, u64)>,
    /// `per_year` is an average over the period ("bình quân mỗi năm").
    pub average: bool,
    pub filter: EnrolmentFilter,
    /// Sub-quotas: "of which at least 3 doctors". Checked over the same years as the quota.
    pub sub_quotas: Vec<SubQuota>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassCount {
    /// Every class not cancelled.
    Planned,
    /// Classes open, in progress or finished.
    Opened,
    Finished,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassSpec {
    pub period: (i32, i32),
    pub per_year: CountRange,
    pub size: CountRange,
    pub count: ClassCount,
    pub filter: EnrolmentFilter,
}

/// Figures an annex states (current status and yearly need), kept to show
/// beside the computed ones.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Annex {
    pub baseline: Option<u64>,
    pub baseline_share: Option<String>,
    pub need: Vec<(i32, u64)>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    pub id: String,
    pub group: String,
    pub wording: String,
    pub kind: Kind,
    pub line: usize,
    pub population: Option<Expr>,
    pub criterion: Option<Expr>,
    pub horizons: Vec<Horizon>,
    /// W and E: the window in months.
    pub months: Option<i32>,
    /// T: the term's years.
    pub term: Option<(i32, i32)>,
    /// E and B: the event.
    pub event: Option<Event>,
    /// E and B: only events on or after this day count (default: the start of the plan period).
    pub events_from: Option<NaiveDate>,
    /// Y: the years evaluated (default: the plan period).
    pub years: Option<(i32, i32)>,
    pub quota: Option<Quota>,
    pub classes: Option<ClassSpec>,
    pub posts: Vec<String>,
    pub annex: Option<Annex>,
    pub note: Option<String>,
}

impl Target {
    /// The target's own window, which `within: window` names.
    pub fn window(&self) -> Option<Window> {
        match self.kind {
            Kind::Yearly => Some(Window::ThisYear),
            Kind::Window => self.months.map(|months| Window::LastMonths { months }),
            Kind::Term => self.term.map(|(from, to)| Window::Term { from, to }),
            Kind::AfterEvent => Some(Window::MonthsAfter { event: self.event?, months: self.months? }),
            Kind::BeforeEvent => Some(Window::Before { event: self.event? }),
            _ => None,
        }
    }
}

/// When a duty is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Deadline {
    /// Before a fixed date.
    Date { date: NaiveDate },
    /// Every year before a day (31/8 for next year's plan).
    Yearly { month: u32, day: u32 },
    /// Twice a year.
    HalfYearly,
    /// Every year within a quarter.
    YearlyInQuarter { quarter: u32 },
    /// During a year (mid-term review in 2023).
    InYear { year: i32 },
    /// Within a quarter of a year (final review in Q4/2025).
    InQuarter { year: i32, quarter: u32 },
    /// Ongoing (thường xuyên).
    Continuous,
}

/// One row of a responsibility matrix. Parsed and validated; followed up by a later issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duty {
    pub id: String,
    pub task: String,
    pub lead: String,
    pub coordinating: Vec<String>,
    pub products: Option<String>,
    pub deadlines: Vec<Deadline>,
    /// The deadline as the document words it.
    pub when: Option<String>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub id: String,
    pub name: String,
}

/// A parsed and type-checked plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub file: String,
    pub id: String,
    pub name: String,
    pub issuer: String,
    pub decision: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub period: (i32, i32),
    pub orientation: Option<i32>,
    pub note: Option<String>,
    pub groups: Vec<Group>,
    pub targets: Vec<Target>,
    pub duties: Vec<Duty>,
}

impl Plan {
    /// Parses and type-checks a plan file. Returns every error found, each
    /// with its line and column, or the plan.
    pub fn parse(source: &str, file_name: &str) -> Result<Plan, Vec<PlanError>> {
        let mut w = Walker { src: source, file: file_name.to_string(), lines: Lines::new(source), errors: Vec::new() };
        let (doc, errs) = DeTable::parse_recoverable(source);
        for e in errs {
            let at = e.span().map(|s| s.start).unwrap_or(0);
            let msg = e.message().trim().to_string();
            w.error(at..at, format!("lỗi cú pháp TOML: {msg}"));
        }
        if !w.errors.is_empty() {
            return Err(w.errors);
        }
        let plan = w.plan(doc.get_ref());
        if w.errors.is_empty() { Ok(plan) } else { Err(w.errors) }
    }

    /// Type-checks again (already done by [`Plan::parse`]); kept so that a
    /// caller holding a plan built in code can check it.
    pub fn check(&self) -> Vec<PlanError> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for t in &self.targets {
            if !seen.insert(t.id.as_str()) {
                out.push(PlanError { file: self.file.clone(), line: t.line, column: 1, message: format!("mã chỉ tiêu '{}' bị trùng", t.id) });
            }
        }
        out
    }

    pub fn target(&self, id: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.id == id)
    }
}

type V<'a> = Spanned<DeValue<'a>>;

struct Walker<'a> {
    src: &'a str,
    file: String,
    lines: Lines<'a>,
    errors: Vec<PlanError>,
}

fn type_name(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "chuỗi",
        DeValue::Integer(_) => "số nguyên",
        DeValue::Float(_) => "số thập phân",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "ngày",
        DeValue::Array(_) => "danh sách",
        DeValue::Table(_) => "bảng",
    }
}

impl<'a> Walker<'a> {
    fn error(&mut self, span: Span<usize>, message: impl Into<String>) {
        let (line, column) = self.lines.position(span.start);
        self.errors.push(PlanError { file: self.file.clone(), line, column, message: message.into() });
    }

    fn line(&self, span: &Span<usize>) -> usize {
        self.lines.position(span.start).0
    }

    fn get<'t>(t: &'t DeTable<'a>, key: &str) -> Option<&'t V<'a>> {
        t.iter().find(|(k, _)| k.get_ref().as_ref() == key).map(|(_, v)| v)
    }

    fn known_keys(&mut self, t: &DeTable<'a>, allowed: &[&str], place: &str) {
        for (k, _) in t.iter() {
            let name = k.get_ref().as_ref();
            if !allowed.contains(&name) {
                let h = hint(name, allowed.iter().copied());
                self.error(k.span(), format!("không biết khóa '{name}' trong {place}{h}"));
            }
        }
    }

    fn str_of(&mut self, v: &V<'a>, what: &str) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                self.error(v.span(), format!("{what} phải là chuỗi, gặp {}", type_name(other)));
                None
            }
        }
    }

    fn str_(&mut self, t: &DeTable<'a>, key: &str, required: Option<(&str, Span<usize>)>) -> Option<String> {
        match Self::get(t, key) {
            Some(v) => self.str_of(v, &format!("'{key}'")),
            None => {
                if let Some((place, span)) = required {
                    self.error(span, format!("thiếu khóa '{key}' trong {place}"));
                }
                None
            }
        }
    }

    fn int_of(&mut self, v: &V<'a>, what: &str) -> Option<i64> {
        match v.get_ref() {
            DeValue::Integer(i) if i.radix() == 10 => i.as_str().replace('_', "").parse().ok(),
            other => {
                self.error(v.span(), format!("{what} phải là số nguyên, gặp {}", type_name(other)));
                None
            }
        }
    }

    fn int(&mut self, t: &DeTable<'a>, key: &str) -> Option<i64> {
        Self::get(t, key).and_then(|v| self.int_of(v, &format!("'{key}'")))
    }

    fn year_of(&mut self, v: &V<'a>, what: &str) -> Option<i32> {
        let y = self.int_of(v, what)?;
        if !(1990..=2100).contains(&y) {
            self.error(v.span(), format!("{what}: năm {y} không hợp lệ"));
            return None;
        }
        Some(y as i32)
    }

    fn bool_(&mut self, t: &DeTable<'a>, key: &str) -> Option<bool> {
        let v = Self::get(t, key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                self.error(v.span(), format!("'{key}' phải là true hoặc false, gặp {}", type_name(other)));
                None
            }
        }
    }

    fn date_of(&mut self, v: &V<'a>, what: &str) -> Option<NaiveDate> {
        let d = match v.get_ref() {
            DeValue::Datetime(dt) => dt.date.and_then(|d| NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32)),
            DeValue::String(s) => crate::expr::check::parse_date(s),
            _ => None,
        };
        if d.is_none() {
            self.error(v.span(), format!("{what} phải là một ngày, ví dụ 2023-06-05"));
        }
        d
    }

    fn percent_of(&mut self, v: &V<'a>, what: &str) -> Option<Percent> {
        let text = match v.get_ref() {
            DeValue::Integer(i) => i.as_str().to_string(),
            DeValue::Float(f) => f.as_str().to_string(),
            DeValue::String(s) => s.to_string(),
            other => {
                self.error(v.span(), format!("{what} phải là một tỷ lệ phần trăm như 80 hoặc \"17,08%\", gặp {}", type_name(other)));
                return None;
            }
        };
        let p = Percent::parse(&text);
        if p.is_none() {
            self.error(v.span(), format!("{what}: '{text}' không phải tỷ lệ phần trăm từ 0 đến 100 với tối đa hai chữ số thập phân"));
        }
        p
    }

    fn strings(&mut self, t: &DeTable<'a>, key: &str) -> Vec<String> {
        let Some(v) = Self::get(t, key) else { return Vec::new() };
        match v.get_ref() {
            DeValue::Array(items) => items.iter().filter_map(|i| self.str_of(i, &format!("phần tử của '{key}'"))).collect(),
            DeValue::String(s) => vec![s.to_string()],
            other => {
                self.error(v.span(), format!("'{key}' phải là danh sách chuỗi, gặp {}", type_name(other)));
                Vec::new()
            }
        }
    }

    fn table_of<'t>(&mut self, v: &'t V<'a>, what: &str) -> Option<&'t DeTable<'a>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                self.error(v.span(), format!("{what} phải là một bảng, gặp {}", type_name(other)));
                None
            }
        }
    }

    fn tables<'t>(&mut self, t: &'t DeTable<'a>, key: &str) -> Vec<&'t V<'a>> {
        let Some(v) = Self::get(t, key) else { return Vec::new() };
        match v.get_ref() {
            DeValue::Array(items) => items.iter().collect(),
            other => {
                self.error(v.span(), format!("'{key}' phải là danh sách bảng ([[{key}]]), gặp {}", type_name(other)));
                Vec::new()
            }
        }
    }

    fn years(&mut self, t: &DeTable<'a>, key: &str) -> Option<(i32, i32)> {
        let v = Self::get(t, key)?;
        match v.get_ref() {
            DeValue::Array(items) if items.len() == 2 => {
                let a = self.year_of(&items[0], &format!("'{key}'"))?;
                let b = self.year_of(&items[1], &format!("'{key}'"))?;
                if a > b {
                    self.error(v.span(), format!("'{key}': năm đầu {a} sau năm cuối {b}"));
                    return None;
                }
                Some((a, b))
            }
            _ => {
                self.error(v.span(), format!("'{key}' viết dạng [năm đầu, năm cuối], ví dụ [2021, 2025]"));
                None
            }
        }
    }

    fn range(&mut self, t: &DeTable<'a>, key: &str) -> Option<CountRange> {
        let v = Self::get(t, key)?;
        match v.get_ref() {
            DeValue::Integer(_) => {
                let n = self.int_of(v, &format!("'{key}'"))?;
                Some(CountRange { min: Some(n.max(0) as u64), max: None })
            }
            DeValue::Table(r) => {
                self.known_keys(r, &["min", "max"], &format!("'{key}'"));
                let min = self.int(r, "min").map(|n| n.max(0) as u64);
                let max = self.int(r, "max").map(|n| n.max(0) as u64);
                if let (Some(a), Some(b)) = (min, max)
                    && a > b
                {
                    self.error(v.span(), format!("'{key}': min {a} lớn hơn max {b}"));
                }
                if min.is_none() && max.is_none() {
                    self.error(v.span(), format!("'{key}' cần min hoặc max"));
                }
                Some(CountRange { min, max })
            }
            other => {
                self.error(v.span(), format!("'{key}' viết dạng {{ min = 30, max = 50 }} hoặc một số, gặp {}", type_name(other)));
                None
            }
        }
    }

    fn year_counts(&mut self, t: &DeTable<'a>, key: &str) -> Vec<(i32, u64)> {
        let Some(v) = Self::get(t, key) else { return Vec::new() };
        let Some(tab) = self.table_of(v, &format!("'{key}'")) else { return Vec::new() };
        let mut out = Vec::new();
        for (k, n) in tab.iter() {
            let Ok(y) = k.get_ref().parse::<i32>() else {
                self.error(k.span(), format!("khóa của '{key}' phải là năm, ví dụ 2023 = 15"));
                continue;
            };
            if let Some(n) = self.int_of(n, &format!("'{key}'")) {
                out.push((y, n.max(0) as u64));
            }
        }
        out.sort();
        out
    }

    /// Where an expression's text starts in the file (after the quotes).
    fn content_start(&self, span: &Span<usize>) -> usize {
        let raw = &self.src[span.start.min(self.src.len())..];
        if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
            let after = &raw[3..];
            let skip = if after.starts_with("\r\n") { 2 } else if after.starts_with('\n') { 1 } else { 0 };
            span.start + 3 + skip
        } else {
            span.start + 1
        }
    }

    fn expr(&mut self, t: &DeTable<'a>, key: &str, scope: Scope) -> Option<Expr> {
        let v = Self::get(t, key)?;
        let src = self.str_of(v, &format!("'{key}'"))?;
        match parse_expr(&src, scope) {
            Ok(e) => Some(e),
            Err(errs) => {
                let base = self.content_start(&v.span());
                for e in errs {
                    let at = base + e.span.0;
                    self.error(at..at, format!("{key}: {}", e.message));
                }
                None
            }
        }
    }

    fn plan(&mut self, doc: &DeTable<'a>) -> Plan {
        self.known_keys(doc, &["plan", "groups", "duties"], "tệp kế hoạch");
        let whole = 0..0;
        let mut plan = Plan {
            file: self.file.clone(),
            id: String::new(),
            name: String::new(),
            issuer: String::new(),
            decision: None,
            decision_date: None,
            period: (0, 0),
            orientation: None,
            note: None,
            groups: Vec::new(),
            targets: Vec::new(),
            duties: Vec::new(),
        };
        match Self::get(doc, "plan") {
            Some(v) => {
                if let Some(p) = self.table_of(v, "[plan]") {
                    let place = ("[plan]", v.span());
                    self.known_keys(p, &["id", "name", "issuer", "decision", "decision_date", "period", "orientation", "note"], "[plan]");
                    plan.id = self.str_(p, "id", Some(place.clone())).unwrap_or_default();
                    plan.name = self.str_(p, "name", Some(place.clone())).unwrap_or_default();
                    plan.issuer = self.str_(p, "issuer", Some(place.clone())).unwrap_or_default();
                    plan.decision = self.str_(p, "decision", None);
                    plan.decision_date = Self::get(p, "decision_date").and_then(|v| self.date_of(v, "'decision_date'"));
                    plan.period = match self.years(p, "period") {
                        Some(y) => y,
                        None => {
                            if Self::get(p, "period").is_none() {
                                self.error(v.span(), "thiếu khóa 'period' trong [plan], ví dụ period = [2021, 2025]");
                            }
                            (2000, 2000)
                        }
                    };
                    plan.orientation = Self::get(p, "orientation").and_then(|v| self.year_of(v, "'orientation'"));
                    plan.note = self.str_(p, "note", None);
                }
            }
            None => self.error(whole, "thiếu bảng [plan] (tên, cơ quan ban hành, giai đoạn)"),
        }
        for g in self.tables(doc, "groups") {
            let Some(gt) = self.table_of(g, "[[groups]]") else { continue };
            self.known_keys(gt, &["id", "name", "targets"], "[[groups]]");
            let place = ("[[groups]]", g.span());
            let gid = self.str_(gt, "id", Some(place.clone())).unwrap_or_default();
            let gname = self.str_(gt, "name", Some(place)).unwrap_or_default();
            for tv in self.tables(gt, "targets") {
                if let Some(t) = self.target(tv, &gid, &plan) {
                    if plan.targets.iter().any(|x| x.id == t.id) {
                        self.error(tv.span(), format!("mã chỉ tiêu '{}' bị trùng", t.id));
                    }
                    plan.targets.push(t);
                }
            }
            plan.groups.push(Group { id: gid, name: gname });
        }
        for dv in self.tables(doc, "duties") {
            if let Some(d) = self.duty(dv) {
                plan.duties.push(d);
            }
        }
        plan
    }

    fn filter(&mut self, t: &DeTable<'a>) -> EnrolmentFilter {
        let mut f = EnrolmentFilter { programmes: self.strings(t, "programmes"), ..Default::default() };
        for (i, code) in self.strings(t, "topics").into_iter().enumerate() {
            match Topic::from_code(&code) {
                Some(tp) => f.topics.push(tp),
                None => {
                    let span = Self::get(t, "topics").map(|v| v.span()).unwrap_or(0..0);
                    let h = hint(&code, Topic::ALL.iter().map(|t| t.code()));
                    self.error(span, format!("topics[{i}]: không biết chủ đề '{code}'{h}"));
                }
            }
        }
        if let Some(v) = Self::get(t, "training") {
            let s = self.str_of(v, "'training'").unwrap_or_default();
            f.training = TrainingKind::from_code(&s);
            if f.training.is_none() {
                self.error(v.span(), format!("'training' phải là \"dao_tao\" hoặc \"boi_duong\", gặp '{s}'"));
            }
        }
        f.levels = self.strings(t, "levels");
        let all_levels: Vec<&'static str> = nangluc_core::qualification::QualificationKind::ALL.iter().flat_map(|k| k.levels().map(|l| l.code)).collect();
        for l in &f.levels {
            if !all_levels.contains(&l.as_str()) {
                let span = Self::get(t, "levels").map(|v| v.span()).unwrap_or(0..0);
                let h = hint(l, all_levels.iter().copied());
                self.error(span, format!("'levels': không biết trình độ '{l}'{h}"));
            }
        }
        f.fields = self.strings(t, "fields");
        f.abroad = self.bool_(t, "abroad").unwrap_or(false);
        f.population = self.expr(t, "population", Scope { context: Context::Person, window: None });
        f
    }

    fn target(&mut self, tv: &V<'a>, group: &str, plan: &Plan) -> Option<Target> {
        let t = self.table_of(tv, "[[groups.targets]]")?;
        let span = tv.span();
        const KEYS: &[&str] = &[
            "id", "wording", "kind", "population", "criterion", "min", "stretch", "by", "horizons", "months", "term", "event",
            "events_from", "years", "period", "per_year", "total", "by_year", "average", "count", "programmes", "topics",
            "training", "levels", "fields", "abroad", "sub_quotas", "class_size", "posts", "annex", "note",
        ];
        self.known_keys(t, KEYS, "chỉ tiêu");
        let place = ("chỉ tiêu", span.clone());
        let id = self.str_(t, "id", Some(place.clone()))?;
        let wording = self.str_(t, "wording", Some(place.clone())).unwrap_or_default();
        let kind_v = Self::get(t, "kind");
        let kind = match kind_v {
            None => {
                self.error(span.clone(), format!("chỉ tiêu '{id}': thiếu khóa 'kind'"));
                return None;
            }
            Some(v) => {
                let s = self.str_of(v, "'kind'")?;
                match Kind::parse(&s) {
                    Some(k) => k,
                    None => {
                        let h = hint(&s, Kind::NAMES.iter().map(|x| x.0));
                        let all: Vec<&str> = Kind::NAMES.iter().map(|x| x.0).collect();
                        self.error(v.span(), format!("không biết loại chỉ tiêu '{s}'{h} (các loại: {})", all.join(", ")));
                        return None;
                    }
                }
            }
        };
        let mut target = Target {
            id: id.clone(),
            group: group.to_string(),
            wording,
            kind,
            line: self.line(&span),
            population: None,
            criterion: None,
            horizons: Vec::new(),
            months: self.int(t, "months").map(|m| m as i32),
            term: None,
            event: None,
            events_from: Self::get(t, "events_from").and_then(|v| self.date_of(v, "'events_from'")),
            years: self.years(t, "years"),
            quota: None,
            classes: None,
            posts: self.strings(t, "posts"),
            annex: None,
            note: self.str_(t, "note", None),
        };
        if let Some(v) = Self::get(t, "term") {
            let s = self.str_of(v, "'term'").unwrap_or_default();
            target.term = nangluc_core::role::term_years(&s);
            if target.term.is_none() {
                self.error(v.span(), format!("nhiệm kỳ '{s}' phải viết dạng \"2021-2026\""));
            }
        }
        if let Some(v) = Self::get(t, "event") {
            let s = self.str_of(v, "'event'").unwrap_or_default();
            target.event = Event::parse(&s);
            if target.event.is_none() {
                let h = hint(&s, Event::NAMES.iter().map(|x| x.0));
                self.error(v.span(), format!("không biết sự kiện '{s}'{h}"));
            }
        }
        let need = |w: &mut Self, ok: bool, key: &str, example: &str| {
            if !ok {
                w.error(span.clone(), format!("chỉ tiêu '{id}' loại {} cần khóa '{key}', ví dụ {example}", kind.name()));
            }
        };
        match kind {
            Kind::Window => need(self, target.months.is_some(), "months", "months = 24"),
            Kind::Term => need(self, target.term.is_some() || Self::get(t, "term").is_some(), "term", "term = \"2021-2026\""),
            Kind::AfterEvent => {
                need(self, target.event.is_some() || Self::get(t, "event").is_some(), "event", "event = \"appointment\"");
                need(self, target.months.is_some(), "months", "months = 24");
            }
            Kind::BeforeEvent => need(self, target.event.is_some() || Self::get(t, "event").is_some(), "event", "event = \"appointment\""),
            Kind::PostHolder => need(self, !target.posts.is_empty() || Self::get(t, "population").is_some(), "posts", "posts = [\"hieu_truong_cao_dang\"]"),
            _ => {}
        }
        if let Some(m) = target.months
            && m <= 0
        {
            self.error(span.clone(), "'months' phải lớn hơn 0");
        }
        let context = if kind == Kind::LecturerRatio { Context::Lecturer } else { Context::Person };
        let scope = Scope { context, window: target.window() };
        if kind.is_ratio() {
            target.population = self.expr(t, "population", Scope { context, window: None });
            target.criterion = self.expr(t, "criterion", scope);
            if Self::get(t, "criterion").is_none() {
                self.error(span.clone(), format!("chỉ tiêu '{id}': thiếu khóa 'criterion' (điều kiện cần đạt)"));
            }
            target.horizons = self.horizons(t, &id, kind, plan, &span);
        }
        match kind {
            Kind::Quota => target.quota = self.quota(t, &id, plan, &span),
            Kind::Classes => target.classes = self.classes(t, plan, &span),
            _ => {}
        }
        if let Some(v) = Self::get(t, "annex")
            && let Some(a) = self.table_of(v, "'annex'")
        {
            self.known_keys(a, &["baseline", "baseline_share", "need", "note"], "'annex'");
            target.annex = Some(Annex {
                baseline: self.int(a, "baseline").map(|n| n.max(0) as u64),
                baseline_share: self.str_(a, "baseline_share", None),
                need: self.year_counts(a, "need"),
                note: self.str_(a, "note", None),
            });
        }
        Some(target)
    }

    fn horizons(&mut self, t: &DeTable<'a>, id: &str, kind: Kind, plan: &Plan, span: &Span<usize>) -> Vec<Horizon> {
        let default_by = plan.period.1;
        let mut out = Vec::new();
        if let Some(v) = Self::get(t, "horizons") {
            for (i, h) in self.tables(t, "horizons").into_iter().enumerate() {
                let Some(ht) = self.table_of(h, "phần tử của 'horizons'") else { continue };
                self.known_keys(ht, &["by", "min", "stretch"], "'horizons'");
                let by = Self::get(ht, "by").and_then(|v| self.year_of(v, "'by'")).unwrap_or(default_by);
                let Some(min) = Self::get(ht, "min").and_then(|v| self.percent_of(v, "'min'")) else {
                    if Self::get(ht, "min").is_none() {
                        self.error(h.span(), format!("horizons[{i}]: thiếu 'min'"));
                    }
                    continue;
                };
                let stretch = Self::get(ht, "stretch").and_then(|v| self.percent_of(v, "'stretch'"));
                out.push(Horizon { by, min, stretch });
            }
            if Self::get(t, "min").is_some() {
                self.error(v.span(), "viết 'min' trong 'horizons' hoặc ở chỉ tiêu, không cả hai");
            }
        } else {
            let min = match Self::get(t, "min") {
                Some(v) => self.percent_of(v, "'min'"),
                None if matches!(kind, Kind::Ratio | Kind::Yearly | Kind::PostHolder | Kind::LecturerRatio) => {
                    self.error(span.clone(), format!("chỉ tiêu '{id}': thiếu 'min' (tỷ lệ cần đạt, ví dụ min = 80)"));
                    None
                }
                None => Some(Percent::FULL),
            };
            let by = Self::get(t, "by").and_then(|v| self.year_of(v, "'by'")).unwrap_or(default_by);
            let stretch = Self::get(t, "stretch").and_then(|v| self.percent_of(v, "'stretch'"));
            if let Some(min) = min {
                out.push(Horizon { by, min, stretch });
            }
        }
        for h in &out {
            if let Some(s) = h.stretch
                && s < h.min
            {
                self.error(span.clone(), format!("chỉ tiêu '{id}': mức phấn đấu {s} thấp hơn mức tối thiểu {}", h.min));
            }
        }
        out.sort_by_key(|h| h.by);
        out
    }

    fn quota(&mut self, t: &DeTable<'a>, id: &str, plan: &Plan, span: &Span<usize>) -> Option<Quota> {
        let period = self.years(t, "period").unwrap_or(plan.period);
        let count = match self.str_(t, "count", None).as_deref() {
            None | Some("sent") => QuotaCount::Sent,
            Some("completed") => QuotaCount::Completed,
            Some(other) => {
                let v = Self::get(t, "count").map(|v| v.span()).unwrap_or(span.clone());
                self.error(v, format!("'count' của chỉ tiêu lượt là \"sent\" (cử đi học) hoặc \"completed\" (hoàn thành), gặp '{other}'"));
                QuotaCount::Sent
            }
        };
        let per_year = self.range(t, "per_year");
        let total = self.range(t, "total");
        let by_year = self.year_counts(t, "by_year");
        if per_year.is_none() && total.is_none() && by_year.is_empty() {
            self.error(span.clone(), format!("chỉ tiêu '{id}' loại quota cần 'per_year', 'total' hoặc 'by_year'"));
        }
        let filter = self.filter(t);
        let mut sub_quotas = Vec::new();
        for sv in self.tables(t, "sub_quotas") {
            let Some(st) = self.table_of(sv, "'sub_quotas'") else { continue };
            self.known_keys(st, &["name", "min", "max", "programmes", "topics", "training", "levels", "fields", "abroad", "population"], "'sub_quotas'");
            let name = self.str_(st, "name", Some(("'sub_quotas'", sv.span()))).unwrap_or_default();
            let range = CountRange { min: self.int(st, "min").map(|n| n.max(0) as u64), max: self.int(st, "max").map(|n| n.max(0) as u64) };
            let filter = self.filter(st);
            sub_quotas.push(SubQuota { name, range, filter });
        }
        Some(Quota { period, count, per_year, total, by_year, average: self.bool_(t, "average").unwrap_or(false), filter, sub_quotas })
    }

    fn classes(&mut self, t: &DeTable<'a>, plan: &Plan, span: &Span<usize>) -> Option<ClassSpec> {
        let period = self.years(t, "period").unwrap_or(plan.period);
        let per_year = self.range(t, "per_year");
        if per_year.is_none() {
            self.error(span.clone(), "chỉ tiêu loại classes cần 'per_year', ví dụ per_year = { min = 7, max = 10 }");
        }
        let count = match self.str_(t, "count", None).as_deref() {
            None | Some("planned") => ClassCount::Planned,
            Some("opened") => ClassCount::Opened,
            Some("finished") => ClassCount::Finished,
            Some(other) => {
                let s = Self::get(t, "count").map(|v| v.span()).unwrap_or(span.clone());
                self.error(s, format!("'count' của chỉ tiêu số lớp là \"planned\", \"opened\" hoặc \"finished\", gặp '{other}'"));
                ClassCount::Planned
            }
        };
        Some(ClassSpec { period, per_year: per_year.unwrap_or_default(), size: self.range(t, "class_size").unwrap_or_default(), count, filter: self.filter(t) })
    }

    fn duty(&mut self, dv: &V<'a>) -> Option<Duty> {
        let d = self.table_of(dv, "[[duties]]")?;
        self.known_keys(d, &["id", "task", "lead", "coordinating", "products", "deadline", "when"], "[[duties]]");
        let place = ("[[duties]]", dv.span());
        let mut deadlines = Vec::new();
        match Self::get(d, "deadline") {
            None => self.error(dv.span(), "nhiệm vụ thiếu 'deadline'"),
            Some(v) => {
                let items: Vec<&V<'a>> = match v.get_ref() {
                    DeValue::Array(a) => a.iter().collect(),
                    _ => vec![v],
                };
                for item in items {
                    if let Some(x) = self.deadline(item) {
                        deadlines.push(x);
                    }
                }
            }
        }
        Some(Duty {
            id: self.str_(d, "id", Some(place.clone())).unwrap_or_default(),
            task: self.str_(d, "task", Some(place.clone())).unwrap_or_default(),
            lead: self.str_(d, "lead", Some(place)).unwrap_or_default(),
            coordinating: self.strings(d, "coordinating"),
            products: self.str_(d, "products", None),
            deadlines,
            when: self.str_(d, "when", None),
            line: self.line(&dv.span()),
        })
    }

    fn deadline(&mut self, v: &V<'a>) -> Option<Deadline> {
        if let DeValue::Datetime(_) = v.get_ref() {
            return self.date_of(v, "'deadline'").map(|date| Deadline::Date { date });
        }
        if let DeValue::String(s) = v.get_ref()
            && s.as_ref() == "continuous"
        {
            return Some(Deadline::Continuous);
        }
        let t = self.table_of(v, "'deadline'")?;
        self.known_keys(t, &["every", "by", "quarter", "year"], "'deadline'");
        let every = self.str_(t, "every", None);
        let quarter = self.int(t, "quarter").map(|q| q as u32);
        let year = Self::get(t, "year").and_then(|y| self.year_of(y, "'year'"));
        if let Some(q) = quarter
            && !(1..=4).contains(&q)
        {
            self.error(v.span(), "'quarter' phải từ 1 đến 4");
            return None;
        }
        let r = match (every.as_deref(), year, quarter) {
            (Some("year"), None, Some(quarter)) => Deadline::YearlyInQuarter { quarter },
            (Some("year"), None, None) => {
                let by = self.str_(t, "by", None).unwrap_or_default();
                let parts: Vec<u32> = by.split(['/', '-']).filter_map(|x| x.parse().ok()).collect();
                match parts.as_slice() {
                    [day, month] if NaiveDate::from_ymd_opt(2024, *month, *day).is_some() => Deadline::Yearly { month: *month, day: *day },
                    _ => {
                        self.error(v.span(), "hạn hằng năm viết { every = \"year\", by = \"31/8\" } (ngày/tháng)");
                        return None;
                    }
                }
            }
            (Some("half_year"), None, None) => Deadline::HalfYearly,
            (None, Some(year), Some(quarter)) => Deadline::InQuarter { year, quarter },
            (None, Some(year), None) => Deadline::InYear { year },
            _ => {
                self.error(v.span(), "hạn không hợp lệ: dùng một ngày (2021-03-31), \"continuous\", { every = \"year\", by = \"31/8\" }, { every = \"half_year\" }, { every = \"year\", quarter = 4 }, { year = 2023 } hoặc { year = 2025, quarter = 4 }");
                return None;
            }
        };
        Some(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents_are_exact() {
        assert_eq!(Percent::parse("17,08%"), Some(Percent(1708)));
        assert_eq!(Percent::parse("25"), Some(Percent(2500)));
        assert_eq!(Percent::parse("100 %"), Some(Percent(10_000)));
        assert_eq!(Percent::parse("0.5"), Some(Percent(50)));
        assert_eq!(Percent::parse("101"), None);
        assert_eq!(Percent::parse("1.234"), None);
        assert_eq!(Percent(1708).to_string(), "17,08%");
    }
}
