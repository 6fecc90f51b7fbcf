//! Duties: the responsibility matrix (phân công trách nhiệm) as data.
//!
//! Each row names a task, the lead agency (chủ trì), the partners (phối hợp),
//! the products and a deadline written the way the documents write it:
//! "Trước ngày 31/8 hằng năm", "Trong quý IV hằng năm", "02 lần/năm",
//! "Trước 31/3/2021", "Năm 2023", "Thường xuyên". [`parse_due`] turns that text
//! into [`DueRule`]s; [`DueRule::next_due`] gives the next deadline on or after
//! a day; [`overdue`] and [`reminders`] read the status updates (plain values,
//! [`StatusUpdate`]) and list what is late and what is coming.
//!
//! Conventions (documented, since the documents do not say):
//! * "trước ngày D" is read as "by D": D itself is the last day on time.
//! * "hai lần một năm" / "6 tháng một lần": deadlines 30/6 and 31/12.
//! * "quý IV hằng năm": the last day of the quarter, every year.
//! * "năm 2023": 31/12/2023; "hằng năm" with no day: 31/12 each year.
//! * "thường xuyên" (ongoing) has no deadline and is never overdue.

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use nangluc_core::code_enum;
use nangluc_core::text::search_key;

/// When a duty is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DueRule {
    /// By a fixed date ("trước 31/3/2021").
    Date { date: NaiveDate },
    /// Every year by a day ("trước ngày 31/8 hằng năm").
    Yearly { month: u32, day: u32 },
    /// Twice a year: by 30/6 and by 31/12.
    HalfYearly,
    /// Every year within a quarter ("quý IV hằng năm"): by its last day.
    YearlyInQuarter { quarter: u32 },
    /// During one year ("năm 2023"): by 31/12 of that year.
    InYear { year: i32 },
    /// Within a quarter of a year ("quý IV/2025").
    InQuarter { year: i32, quarter: u32 },
    /// Ongoing ("thường xuyên"): no deadline.
    Continuous,
}

fn last_day_of_month(year: i32, month: u32) -> NaiveDate {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).expect("valid month") - Days::new(1)
}

/// The day `day`/`month` in `year`, clamped to the month's last day (29/2 in a
/// common year is 28/2).
fn day_in_year(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or_else(|| last_day_of_month(year, month))
}

fn quarter_end(year: i32, quarter: u32) -> NaiveDate {
    last_day_of_month(year, quarter * 3)
}

fn roman(q: u32) -> &'static str {
    match q {
        1 => "I",
        2 => "II",
        3 => "III",
        _ => "IV",
    }
}

impl DueRule {
    /// The deadlines of this rule falling in `year`, in order.
    pub fn deadlines_in_year(&self, year: i32) -> Vec<NaiveDate> {
        match *self {
            DueRule::Date { date } => {
                if date.year() == year {
                    vec![date]
                } else {
                    vec![]
                }
            }
            DueRule::Yearly { month, day } => vec![day_in_year(year, month, day)],
            DueRule::HalfYearly => vec![day_in_year(year, 6, 30), day_in_year(year, 12, 31)],
            DueRule::YearlyInQuarter { quarter } => vec![quarter_end(year, quarter)],
            DueRule::InYear { year: y } => {
                if y == year {
                    vec![day_in_year(y, 12, 31)]
                } else {
                    vec![]
                }
            }
            DueRule::InQuarter { year: y, quarter } => {
                if y == year {
                    vec![quarter_end(y, quarter)]
                } else {
                    vec![]
                }
            }
            DueRule::Continuous => vec![],
        }
    }

    /// The first deadline on or after `on`; `None` for an ongoing duty or a
    /// one-off deadline already past.
    pub fn next_due(&self, on: NaiveDate) -> Option<NaiveDate> {
        match *self {
            DueRule::Continuous => None,
            DueRule::Date { date } => (date >= on).then_some(date),
            DueRule::InYear { year } => Some(day_in_year(year, 12, 31)).filter(|d| *d >= on),
            DueRule::InQuarter { year, quarter } => {
                Some(quarter_end(year, quarter)).filter(|d| *d >= on)
            }
            _ => (on.year()..=on.year() + 1)
                .flat_map(|y| self.deadlines_in_year(y))
                .find(|d| *d >= on),
        }
    }

    /// Every deadline in `[from, to]`, in order.
    pub fn deadlines_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        if to < from {
            return vec![];
        }
        (from.year()..=to.year())
            .flat_map(|y| self.deadlines_in_year(y))
            .filter(|d| *d >= from && *d <= to)
            .collect()
    }

    /// The rule in words, in Vietnamese.
    pub fn label(&self) -> String {
        match *self {
            DueRule::Date { date } => format!("Trước ngày {}", date.format("%d/%m/%Y")),
            DueRule::Yearly { month, day } => format!("Trước ngày {day}/{month} hằng năm"),
            DueRule::HalfYearly => "Hai lần mỗi năm (trước ngày 30/6 và 31/12)".into(),
            DueRule::YearlyInQuarter { quarter } => {
                format!("Trong quý {} hằng năm", roman(quarter))
            }
            DueRule::InYear { year } => format!("Trong năm {year}"),
            DueRule::InQuarter { year, quarter } => format!("Trong quý {}/{year}", roman(quarter)),
            DueRule::Continuous => "Thường xuyên".into(),
        }
    }
}

impl From<&nangluc_engine::plan::Deadline> for DueRule {
    fn from(d: &nangluc_engine::plan::Deadline) -> Self {
        use nangluc_engine::plan::Deadline as D;
        match *d {
            D::Date { date } => DueRule::Date { date },
            D::Yearly { month, day } => DueRule::Yearly { month, day },
            D::HalfYearly => DueRule::HalfYearly,
            D::YearlyInQuarter { quarter } => DueRule::YearlyInQuarter { quarter },
            D::InYear { year } => DueRule::InYear { year },
            D::InQuarter { year, quarter } => DueRule::InQuarter { year, quarter },
            D::Continuous => DueRule::Continuous,
        }
    }
}

/// A deadline text that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum DueParseError {
    #[error(
        "không hiểu thời hạn «{0}»: hãy ghi một ngày (trước 31/3/2021), một năm (năm 2023), «trước ngày 31/8 hằng năm», «quý IV hằng năm», «hai lần một năm» hoặc «thường xuyên»"
    )]
    Unrecognised(String),
    #[error("ngày không hợp lệ «{0}»")]
    BadDate(String),
    #[error("quý không hợp lệ «{0}»: chỉ có quý I đến quý IV")]
    BadQuarter(String),
    #[error("thời hạn trống")]
    Empty,
}

/// Splits a deadline text into clauses: on ";", new lines, " và ", and list
/// markers "a)", "b)"… Each clause is returned as written (trimmed) and as its
/// search key (no case, no diacritics), char for char.
fn clauses(text: &str) -> Vec<(String, String)> {
    let orig: Vec<char> = nangluc_core::text::nfc(text).chars().collect();
    let key: Vec<char> = orig
        .iter()
        .map(|c| {
            let k = search_key(&c.to_string());
            let mut it = k.chars();
            match (it.next(), it.next()) {
                (Some(k), None) => k,
                _ => *c,
            }
        })
        .collect();
    // Cut points: (start of the separator, length of the separator).
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < key.len() {
        let c = key[i];
        let at_word_start = i == 0 || key[i - 1].is_whitespace();
        if c == ';' || c == '\n' {
            cuts.push((i, 1));
        } else if at_word_start && c.is_ascii_lowercase() && key.get(i + 1) == Some(&')') {
            cuts.push((i, 2));
            i += 1;
        } else if c == ' ' && key.get(i..i + 4) == Some(&[' ', 'v', 'a', ' ']) {
            cuts.push((i, 4));
            i += 3;
        }
        i += 1;
    }
    let mut out = Vec::new();
    let mut from = 0;
    for (at, len) in cuts.into_iter().chain(std::iter::once((key.len(), 0))) {
        let o: String = orig[from..at].iter().collect();
        let k: String = key[from..at].iter().collect();
        if !k.trim().is_empty() {
            out.push((o.trim().to_string(), k.trim().to_string()));
        }
        from = at + len;
    }
    out
}

fn quarter_number(s: &str) -> Option<u32> {
    match s {
        "i" | "1" | "01" => Some(1),
        "ii" | "2" | "02" => Some(2),
        "iii" | "3" | "03" => Some(3),
        "iv" | "4" | "04" => Some(4),
        _ => None,
    }
}

fn parse_year(s: &str) -> Option<i32> {
    (s.len() == 4 && s.chars().all(|c| c.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn parse_clause(original: &str, clause: &str) -> Result<Option<DueRule>, DueParseError> {
    // Normalise: punctuation to spaces (keeping '/' inside dates), "lần/năm".
    let mut s: String = clause
        .chars()
        .map(|c| {
            if matches!(c, ',' | ':' | '(' | ')' | '"' | '«' | '»') {
                ' '
            } else {
                c
            }
        })
        .collect();
    s = s
        .replace("lan/nam", "lan mot nam")
        .replace("thang/lan", "thang mot lan")
        .replace("thang/1 lan", "thang mot lan");
    let s = s.trim_end_matches('.').to_string();
    let tokens: Vec<&str> = s
        .split_whitespace()
        .map(|t| t.trim_end_matches('.'))
        .collect();
    let text = format!(" {} ", tokens.join(" "));
    let yearly = [" hang nam ", " moi nam ", " hang nam", " thuong nien "]
        .iter()
        .any(|p| text.contains(p));

    // Quarter: "quý IV", "quý IV/2025", "quý 4 năm 2025".
    let looks_like_quarter = |t: &str| {
        let q = t.split('/').next().unwrap_or("");
        !q.is_empty()
            && q.chars()
                .all(|c| matches!(c, 'i' | 'v' | 'x') || c.is_ascii_digit())
    };
    if let Some(i) = tokens
        .iter()
        .position(|t| *t == "quy" || *t == "q")
        .filter(|&i| tokens.get(i + 1).is_some_and(|t| looks_like_quarter(t)))
    {
        let next = tokens.get(i + 1).copied().unwrap_or("");
        let (q, y) = match next.split_once('/') {
            Some((q, y)) => (q, parse_year(y)),
            None => {
                let y = match (tokens.get(i + 2), tokens.get(i + 3)) {
                    (Some(&"nam"), Some(y)) => parse_year(y),
                    _ => None,
                };
                (next, y)
            }
        };
        let quarter =
            quarter_number(q).ok_or_else(|| DueParseError::BadQuarter(original.to_string()))?;
        return match y {
            Some(year) => Ok(Some(DueRule::InQuarter { year, quarter })),
            None if yearly => Ok(Some(DueRule::YearlyInQuarter { quarter })),
            None => Err(DueParseError::Unrecognised(original.to_string())),
        };
    }

    // Twice a year.
    const HALF: [&str; 14] = [
        " 6 thang mot lan ",
        " 06 thang mot lan ",
        " sau thang mot lan ",
        " nua nam mot lan ",
        " hai lan mot nam ",
        " hai lan moi nam ",
        " 2 lan mot nam ",
        " 02 lan mot nam ",
        " 2 lan moi nam ",
        " 02 lan moi nam ",
        " hai lan trong nam ",
        " 2 lan trong nam ",
        " 02 lan trong nam ",
        " 6 thang 1 lan ",
    ];
    if HALF.iter().any(|p| text.contains(p)) {
        return Ok(Some(DueRule::HalfYearly));
    }

    // A date: d/m/yyyy, or d/m with "hằng năm".
    for t in &tokens {
        let parts: Vec<&str> = t.split('/').collect();
        if parts.len() < 2
            || !parts
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        {
            continue;
        }
        let day: u32 = parts[0]
            .parse()
            .map_err(|_| DueParseError::BadDate(t.to_string()))?;
        let month: u32 = parts[1]
            .parse()
            .map_err(|_| DueParseError::BadDate(t.to_string()))?;
        match parts.get(2) {
            Some(y) => {
                let mut year: i32 = y
                    .parse()
                    .map_err(|_| DueParseError::BadDate(t.to_string()))?;
                if y.len() == 2 {
                    year += 2000;
                }
                let date = NaiveDate::from_ymd_opt(year, month, day)
                    .ok_or_else(|| DueParseError::BadDate(t.to_string()))?;
                return Ok(Some(DueRule::Date { date }));
            }
            None => {
                // Check the day exists in a leap year (29/2 allowed).
                NaiveDate::from_ymd_opt(2024, month, day)
                    .ok_or_else(|| DueParseError::BadDate(t.to_string()))?;
                return if yearly {
                    Ok(Some(DueRule::Yearly { month, day }))
                } else {
                    Err(DueParseError::Unrecognised(original.to_string()))
                };
            }
        }
    }

    // "năm 2023".
    let year = tokens
        .iter()
        .position(|t| *t == "nam")
        .and_then(|i| tokens.get(i + 1))
        .and_then(|y| parse_year(y));
    if let Some(year) = year {
        return Ok(Some(DueRule::InYear { year }));
    }
    if text.contains(" thuong xuyen ") {
        return Ok(Some(DueRule::Continuous));
    }
    if yearly {
        return Ok(Some(DueRule::Yearly { month: 12, day: 31 }));
    }
    Err(DueParseError::Unrecognised(original.to_string()))
}

/// Reads a deadline as the documents write it. A text may hold several
/// deadlines ("Sơ kết trong năm 2023 và tổng kết trong quý IV/2025",
/// "a) Trước 31/3/2021 b) Trước 31/8 hàng năm"): one rule per clause, in order,
/// without repeats.
pub fn parse_due(text: &str) -> Result<Vec<DueRule>, DueParseError> {
    let parts = clauses(text);
    if parts.is_empty() {
        return Err(DueParseError::Empty);
    }
    let mut out = Vec::new();
    for (original, key) in &parts {
        match parse_clause(original, key)? {
            Some(rule) if !out.contains(&rule) => out.push(rule),
            _ => {}
        }
    }
    if out.is_empty() {
        return Err(DueParseError::Unrecognised(text.trim().to_string()));
    }
    Ok(out)
}

/// Like [`parse_due`], but keeps what it can: the rules of the clauses it
/// reads, and the clauses it cannot ("Theo quy định của Bộ…") for a person to
/// fill in.
pub fn parse_due_lenient(text: &str) -> (Vec<DueRule>, Vec<String>) {
    let mut rules = Vec::new();
    let mut rest = Vec::new();
    for (original, key) in clauses(text) {
        match parse_clause(&original, &key) {
            Ok(Some(r)) => {
                if !rules.contains(&r) {
                    rules.push(r);
                }
            }
            _ => rest.push(original),
        }
    }
    (rules, rest)
}

/// One row of the responsibility matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duty {
    pub id: String,
    /// Nội dung thực hiện.
    pub task: String,
    /// Cơ quan, đơn vị chủ trì.
    pub lead: String,
    /// Cơ quan, đơn vị phối hợp.
    pub partners: Vec<String>,
    /// Các hoạt động, sản phẩm.
    pub products: Option<String>,
    /// The deadline as the document words it.
    pub when: String,
    pub due: Vec<DueRule>,
}

impl Duty {
    /// A duty whose deadline is read from its text.
    pub fn from_text(
        id: impl Into<String>,
        task: impl Into<String>,
        lead: impl Into<String>,
        partners: Vec<String>,
        products: Option<String>,
        when: &str,
    ) -> Result<Duty, DueParseError> {
        Ok(Duty {
            id: id.into(),
            task: task.into(),
            lead: lead.into(),
            partners,
            products,
            when: when.trim().to_string(),
            due: parse_due(when)?,
        })
    }

    /// A duty read from a plan file's `[[duties]]` row.
    pub fn from_plan(d: &nangluc_engine::plan::Duty) -> Duty {
        let due: Vec<DueRule> = d.deadlines.iter().map(DueRule::from).collect();
        let when = d.when.clone().unwrap_or_else(|| {
            due.iter()
                .map(DueRule::label)
                .collect::<Vec<_>>()
                .join("; ")
        });
        Duty {
            id: d.id.clone(),
            task: d.task.clone(),
            lead: d.lead.clone(),
            partners: d.coordinating.clone(),
            products: d.products.clone(),
            when,
            due,
        }
    }

    /// The next deadline on or after `on`, over all the duty's rules.
    pub fn next_due(&self, on: NaiveDate) -> Option<NaiveDate> {
        self.due.iter().filter_map(|r| r.next_due(on)).min()
    }

    /// Every deadline in `[from, to]`, in order, without repeats.
    pub fn deadlines_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        let mut v: Vec<NaiveDate> = self
            .due
            .iter()
            .flat_map(|r| r.deadlines_between(from, to))
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

code_enum! {
    /// Where a duty stands for one deadline.
    pub enum DutyState {
        NotStarted => ("chua_thuc_hien", "Chưa thực hiện"),
        InProgress => ("dang_thuc_hien", "Đang thực hiện"),
        Done => ("hoan_thanh", "Đã hoàn thành"),
        Cancelled => ("khong_thuc_hien", "Không thực hiện (đã được cho phép)"),
    }
}

/// A status update, as a value: the store keeps them, this module reads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusUpdate {
    pub duty_id: String,
    /// The deadline (occurrence) the update is about; `None`: the duty as a
    /// whole (every occurrence), as for one-off duties.
    pub deadline: Option<NaiveDate>,
    pub state: DutyState,
    /// The day of the update.
    pub on: NaiveDate,
    pub by: Option<String>,
    pub note: Option<String>,
}

/// The state of one occurrence: the latest update about it or about the whole
/// duty (by day; on the same day, the later in the list), made on or before
/// `today`.
pub fn state_of(
    duty_id: &str,
    deadline: NaiveDate,
    updates: &[StatusUpdate],
    today: NaiveDate,
) -> DutyState {
    updates
        .iter()
        .enumerate()
        .filter(|(_, u)| {
            u.duty_id == duty_id && u.on <= today && u.deadline.is_none_or(|d| d == deadline)
        })
        .max_by_key(|(i, u)| (u.on, *i))
        .map(|(_, u)| u.state)
        .unwrap_or(DutyState::NotStarted)
}

/// A deadline missed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overdue {
    pub duty_id: String,
    pub task: String,
    pub lead: String,
    pub deadline: NaiveDate,
    pub days_late: i64,
    pub state: DutyState,
    pub message: String,
}

/// A deadline coming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    pub duty_id: String,
    pub task: String,
    pub lead: String,
    pub deadline: NaiveDate,
    pub days_left: i64,
    pub state: DutyState,
    pub message: String,
}

fn open(state: DutyState) -> bool {
    matches!(state, DutyState::NotStarted | DutyState::InProgress)
}

/// What is overdue on `today`: every deadline from `since` to the day before
/// `today` not done (nor cancelled), oldest first.
pub fn overdue(
    duties: &[Duty],
    updates: &[StatusUpdate],
    since: NaiveDate,
    today: NaiveDate,
) -> Vec<Overdue> {
    let Some(yesterday) = today.pred_opt() else {
        return vec![];
    };
    let mut out = Vec::new();
    for d in duties {
        for deadline in d.deadlines_between(since, yesterday) {
            let state = state_of(&d.id, deadline, updates, today);
            if open(state) {
                let days_late = (today - deadline).num_days();
                out.push(Overdue {
                    duty_id: d.id.clone(),
                    task: d.task.clone(),
                    lead: d.lead.clone(),
                    deadline,
                    days_late,
                    state,
                    message: format!(
                        "Quá hạn {days_late} ngày (hạn {}): {} — chủ trì: {}",
                        deadline.format("%d/%m/%Y"),
                        d.task,
                        d.lead
                    ),
                });
            }
        }
    }
    out.sort_by(|a, b| {
        a.deadline
            .cmp(&b.deadline)
            .then_with(|| a.duty_id.cmp(&b.duty_id))
    });
    out
}

/// Reminders on `today`: deadlines from `today` to `today + days_before` not
/// yet done, soonest first.
pub fn reminders(
    duties: &[Duty],
    updates: &[StatusUpdate],
    today: NaiveDate,
    days_before: u32,
) -> Vec<Reminder> {
    let until = today + Days::new(days_before as u64);
    let mut out = Vec::new();
    for d in duties {
        for deadline in d.deadlines_between(today, until) {
            let state = state_of(&d.id, deadline, updates, today);
            if open(state) {
                let days_left = (deadline - today).num_days();
                let when = if days_left == 0 {
                    "Hôm nay là hạn".to_string()
                } else {
                    format!("Còn {days_left} ngày")
                };
                out.push(Reminder {
                    duty_id: d.id.clone(),
                    task: d.task.clone(),
                    lead: d.lead.clone(),
                    deadline,
                    days_left,
                    state,
                    message: format!(
                        "{when} (hạn {}): {} — chủ trì: {}",
                        deadline.format("%d/%m/%Y"),
                        d.task,
                        d.lead
                    ),
                });
            }
        }
    }
    out.sort_by(|a, b| {
        a.deadline
            .cmp(&b.deadline)
            .then_with(|| a.duty_id.cmp(&b.duty_id))
    });
    out
}

// ---------------------------------------------------------------- agencies

/// The agencies a cell of the matrix names: one per line or separated by
/// `;` ("Sở Nội vụ; Sở Tài chính"). Commas stay inside a name, since
/// collective names use them ("Các Sở, Ban ngành").
pub fn agency_names(text: &str) -> Vec<String> {
    text.split([';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

fn words(s: &str) -> Vec<String> {
    search_key(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether a name stands for a group of agencies rather than one ("Các Sở,
/// Ban ngành", "UBND các huyện, thị xã, thành phố", "các cơ quan, đơn vị"):
/// such a row is followed by the Sở Nội vụ, no single unit answers for it.
pub fn is_collective(name: &str) -> bool {
    words(name).iter().any(|w| w == "cac")
}

/// Whether the unit called `unit_name` is the agency the matrix calls
/// `agency`: the same words (no case, no diacritics, no punctuation), or the
/// agency's name followed by the province's ("Sở Nội vụ" is "Sở Nội vụ tỉnh
/// Tây Ninh"). A collective name is no single unit.
pub fn is_agency(agency: &str, unit_name: &str) -> bool {
    if is_collective(agency) {
        return false;
    }
    let (a, u) = (words(agency), words(unit_name));
    if a.is_empty() {
        return false;
    }
    u == a || (u.len() > a.len() && u[..a.len()] == a[..] && u[a.len()] == "tinh")
}
