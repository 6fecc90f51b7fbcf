//! The workforce in figures as of a reading: counts of the people employed on
//! the date by unit level, category, unit kind, sex, ethnicity and
//! qualifications, plus table sizes and enrolments by year.

use std::collections::{BTreeMap, HashMap};

use nangluc_core::employment::Category;
use nangluc_core::person::{Ethnicity, Sex};
use nangluc_core::qualification::{Level, QualificationKind};
use nangluc_core::unit::{UnitKind, UnitLevel};
use nangluc_core::{AsOf, Table};

use crate::backend::{Backend, Result};
use crate::value::Value;
use crate::{Params, known_filter, seen_filter};

/// One block of figures: a title and labelled counts, in display order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsSection {
    /// Stable name for programs: `total`, `unit_level`, `category`, `unit_kind`,
    /// `sex`, `ethnicity`, `ethnic_groups`, `education`, `political_theory`,
    /// `foreign_language`, `enrolments_by_year`, `tables`.
    pub key: &'static str,
    /// Vietnamese title shown to users.
    pub title: String,
    pub rows: Vec<(String, i64)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    pub as_of: AsOf,
    /// People with an employment seen by the reading.
    pub employed: i64,
    pub sections: Vec<StatsSection>,
}

impl Stats {
    pub fn section(&self, key: &str) -> Option<&StatsSection> {
        self.sections.iter().find(|s| s.key == key)
    }

    /// The count on a labelled row of a section (0 if the row is absent).
    pub fn count(&self, key: &str, label: &str) -> i64 {
        self.section(key).and_then(|s| s.rows.iter().find(|(l, _)| l == label)).map_or(0, |(_, n)| *n)
    }
}

/// Runs a `SELECT key, COUNT(…) … GROUP BY key` query.
fn grouped(db: &mut dyn Backend, sql: &str, params: &[Value]) -> Result<Vec<(Value, i64)>> {
    let mut out = Vec::new();
    for row in db.query(sql, params)? {
        out.push((row.get(0).clone(), row.get_i64(1)?));
    }
    Ok(out)
}

/// Counts of coded values in the order of their list, with labels; unknown
/// codes (none expected) keep their code.
fn coded<T: Copy>(
    counts: Vec<(Value, i64)>,
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, i64)> {
    let mut by_code: HashMap<String, i64> = HashMap::new();
    for (k, n) in counts {
        let k = match k {
            Value::Text(s) => s,
            other => format!("{other:?}"),
        };
        *by_code.entry(k).or_default() += n;
    }
    let mut rows: Vec<(String, i64)> =
        all.iter().filter_map(|&v| by_code.remove(code(v)).map(|n| (label(v).to_string(), n))).collect();
    let mut rest: Vec<_> = by_code.into_iter().collect();
    rest.sort();
    rows.extend(rest);
    rows
}

fn section(key: &'static str, title: &str, rows: Vec<(String, i64)>) -> StatsSection {
    StatsSection { key, title: title.to_string(), rows }
}

fn table_label(t: Table) -> &'static str {
    match t {
        Table::Units => "Đơn vị",
        Table::UnitChanges => "Thay đổi tổ chức",
        Table::People => "Người",
        Table::Employments => "Quá trình công tác",
        Table::Roles => "Vai trò",
        Table::Qualifications => "Trình độ, chứng chỉ",
        Table::JobPositions => "Vị trí việc làm",
        Table::PositionRequirements => "Khung năng lực",
        Table::Programmes => "Chương trình",
        Table::Institutions => "Cơ sở đào tạo",
        Table::Lecturers => "Giảng viên",
        Table::Classes => "Lớp",
        Table::Enrolments => "Lượt học",
    }
}

/// Per person, the highest level held on each scale that the figures show.
#[derive(Default)]
struct Highest {
    education: Option<Level>,
    political_theory: Option<Level>,
    foreign_language: Option<Level>,
}

#[derive(Default)]
struct QualificationCounts {
    education: HashMap<&'static str, i64>,
    political_theory: HashMap<&'static str, i64>,
    language_3: i64,
    language_4: i64,
}

impl QualificationCounts {
    fn add(&mut self, h: &Highest) {
        if let Some(l) = h.education {
            *self.education.entry(l.code).or_default() += 1;
        }
        if let Some(l) = h.political_theory {
            *self.political_theory.entry(l.code).or_default() += 1;
        }
        if let Some(l) = h.foreign_language {
            self.language_3 += i64::from(l.rank >= 3);
            self.language_4 += i64::from(l.rank >= 4);
        }
    }

    /// Rows in scale order, then the people with none.
    fn rows(counts: &HashMap<&'static str, i64>, kind: QualificationKind, employed: i64) -> Vec<(String, i64)> {
        let mut rows: Vec<(String, i64)> =
            kind.levels().filter_map(|l| counts.get(l.code).map(|n| (l.name().to_string(), *n))).collect();
        let with: i64 = counts.values().sum();
        rows.push(("Chưa có".to_string(), employed - with));
        rows
    }
}

fn higher(held: Option<Level>, new: Level) -> Option<Level> {
    match held {
        Some(h) if h.rank >= new.rank => Some(h),
        _ => Some(new),
    }
}

pub(crate) fn compute(db: &mut dyn Backend, as_of: &AsOf) -> Result<Stats> {
    let mut sections = Vec::new();

    let mut p = Params::default();
    let seen_e = seen_filter(&mut p, "e", as_of);
    let employed = db
        .query_one(&format!("SELECT COUNT(DISTINCT e.person_id) FROM employments e WHERE {seen_e}"), &p.0)?
        .get_i64(0)?;
    sections.push(section("total", "Tổng số", vec![("Người đang công tác".to_string(), employed)]));

    // By the unit each person works in.
    for (key, title, column) in
        [("unit_level", "Theo cấp đơn vị", "level"), ("unit_kind", "Theo loại cơ quan, đơn vị", "kind")]
    {
        let mut p = Params::default();
        let seen_e = seen_filter(&mut p, "e", as_of);
        let seen_u = seen_filter(&mut p, "u", as_of);
        let sql = format!(
            "SELECT u.{column}, COUNT(DISTINCT e.person_id) FROM employments e JOIN units u ON u.id = e.unit_id
             WHERE {seen_e} AND {seen_u} GROUP BY u.{column}"
        );
        let counts = grouped(db, &sql, &p.0)?;
        let rows = if column == "level" {
            coded(counts, UnitLevel::ALL, UnitLevel::code, UnitLevel::label)
        } else {
            coded(counts, UnitKind::ALL, UnitKind::code, UnitKind::label)
        };
        sections.push(section(key, title, rows));
    }

    let mut p = Params::default();
    let seen_e = seen_filter(&mut p, "e", as_of);
    let counts = grouped(
        db,
        &format!("SELECT e.category, COUNT(DISTINCT e.person_id) FROM employments e WHERE {seen_e} GROUP BY e.category"),
        &p.0,
    )?;
    sections.push(section(
        "category",
        "Theo loại cán bộ, công chức, viên chức",
        coded(counts, Category::ALL, Category::code, Category::label),
    ));

    // By personal details of the people employed.
    let employed_people = |column: &str| {
        let mut p = Params::default();
        let seen_p = seen_filter(&mut p, "p", as_of);
        let seen_e = seen_filter(&mut p, "e", as_of);
        let sql = format!(
            "SELECT p.{column}, COUNT(DISTINCT p.id) FROM people p
             WHERE {seen_p} AND p.id IN (SELECT e.person_id FROM employments e WHERE {seen_e})
             GROUP BY p.{column}"
        );
        (sql, p.0)
    };
    let (sql, params) = employed_people("sex");
    let counts = grouped(db, &sql, &params)?;
    sections.push(section("sex", "Theo giới tính", coded(counts, Sex::ALL, Sex::code, Sex::label)));

    let (sql, params) = employed_people("ethnicity");
    let mut groups: Vec<(Ethnicity, i64)> = Vec::new();
    for (code, n) in grouped(db, &sql, &params)? {
        let ethnicity = match code {
            Value::Int(c) => u8::try_from(c).ok().and_then(Ethnicity::from_code),
            _ => None,
        };
        if let Some(e) = ethnicity {
            groups.push((e, n));
        }
    }
    let kinh: i64 = groups.iter().filter(|(e, _)| !e.is_minority()).map(|(_, n)| n).sum();
    let minority: i64 = groups.iter().filter(|(e, _)| e.is_minority()).map(|(_, n)| n).sum();
    sections.push(section(
        "ethnicity",
        "Theo dân tộc",
        vec![("Kinh".to_string(), kinh), ("Dân tộc thiểu số".to_string(), minority)],
    ));
    groups.retain(|(e, _)| e.is_minority());
    groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    sections.push(section(
        "ethnic_groups",
        "Các dân tộc thiểu số đông nhất",
        groups.into_iter().take(10).map(|(e, n)| (e.name().to_string(), n)).collect(),
    ));

    // Highest levels per person, folded in person order so that memory stays
    // bounded whatever the size of the workforce.
    let mut p = Params::default();
    let seen_q = seen_filter(&mut p, "q", as_of);
    let seen_e = seen_filter(&mut p, "e", as_of);
    let sql = format!(
        "SELECT q.person_id, q.kind, q.level FROM qualifications q
         WHERE {seen_q} AND q.kind IN ('education', 'political_theory', 'foreign_language')
           AND q.person_id IN (SELECT e.person_id FROM employments e WHERE {seen_e})
         ORDER BY q.person_id"
    );
    let mut counts = QualificationCounts::default();
    let mut current: Option<(i64, Highest)> = None;
    db.query_each(&sql, &p.0, &mut |row| {
        let person = row.get_i64(0)?;
        let (Ok(kind), level) = (row.get_str(1)?.parse::<QualificationKind>(), row.get_str(2)?) else {
            return Ok(());
        };
        if current.as_ref().is_some_and(|(id, _)| *id != person) {
            let (_, h) = current.take().expect("checked above");
            counts.add(&h);
        }
        let (_, h) = current.get_or_insert_with(|| (person, Highest::default()));
        if let Some(l) = Level::from_code(kind, level) {
            match kind {
                QualificationKind::Education => h.education = higher(h.education, l),
                QualificationKind::PoliticalTheory => h.political_theory = higher(h.political_theory, l),
                QualificationKind::ForeignLanguage => h.foreign_language = higher(h.foreign_language, l),
                _ => {}
            }
        }
        Ok(())
    })?;
    if let Some((_, h)) = current {
        counts.add(&h);
    }
    sections.push(section(
        "education",
        "Theo trình độ chuyên môn cao nhất",
        QualificationCounts::rows(&counts.education, QualificationKind::Education, employed),
    ));
    sections.push(section(
        "political_theory",
        "Theo trình độ lý luận chính trị",
        QualificationCounts::rows(&counts.political_theory, QualificationKind::PoliticalTheory, employed),
    ));
    sections.push(section(
        "foreign_language",
        "Ngoại ngữ",
        vec![
            ("Bậc 3 (B1) trở lên".to_string(), counts.language_3),
            ("Bậc 4 (B2) trở lên".to_string(), counts.language_4),
        ],
    ));

    // Enrolments known at the reading, by the year their course started.
    let mut p = Params::default();
    let known = known_filter(&mut p, "", as_of.known_at);
    let mut by_year: BTreeMap<i32, i64> = BTreeMap::new();
    for row in db.query(&format!("SELECT starts_on, COUNT(*) FROM enrolments WHERE {known} GROUP BY starts_on"), &p.0)? {
        use chrono::Datelike;
        *by_year.entry(row.get_date(0)?.year()).or_default() += row.get_i64(1)?;
    }
    sections.push(section(
        "enrolments_by_year",
        "Lượt đào tạo, bồi dưỡng theo năm bắt đầu",
        by_year.into_iter().map(|(y, n)| (y.to_string(), n)).collect(),
    ));

    let mut rows = Vec::new();
    for t in Table::ALL {
        let n = db.query_one(&format!("SELECT COUNT(*) FROM {}", t.name()), &[])?.get_i64(0)?;
        rows.push((format!("{} ({})", table_label(t), t.name()), n));
    }
    let n = db.query_one("SELECT COUNT(*) FROM changes", &[])?.get_i64(0)?;
    rows.push(("Lượt thay đổi (changes)".to_string(), n));
    sections.push(section("tables", "Số bản ghi theo bảng (mọi phiên bản)", rows));

    Ok(Stats { as_of: *as_of, employed, sections })
}
