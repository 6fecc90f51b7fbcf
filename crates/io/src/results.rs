//! The target engine's results as a workbook: the per-target table, the need
//! list (who is missing, in which unit, why), the breakdown by unit, and an
//! annex like the source plans' (threshold, current count and share, need,
//! need per year).

use std::collections::BTreeSet;
use std::path::Path;

use nangluc_core::text::name_sort_key;
use nangluc_engine::PlanResult;
use nangluc_engine::result::{EventStatus, Ratio};

use crate::error::WriteError;
use crate::export::{Table, Value, write_tables};
use crate::format::date_vi;

fn share(r: Option<Ratio>) -> Value {
    r.map(|r| Value::Percent(r.num as f64 / r.den as f64)).unwrap_or_else(|| Value::text("không áp dụng"))
}

fn count(n: u64) -> Value {
    Value::Int(n as i64)
}

fn subtitle(r: &PlanResult) -> String {
    let mut s = format!("Đánh giá tại ngày {}", date_vi(r.as_of));
    if r.forecast {
        s.push_str(" (dự báo)");
    }
    if let Some(k) = r.known_at {
        s.push_str(&format!(", theo dữ liệu ghi nhận đến {}", k.format("%d/%m/%Y")));
    }
    if let Some(u) = &r.unit {
        s.push_str(&format!(", đơn vị {u}"));
    }
    s
}

fn columns(cols: &[(&str, f64)]) -> Vec<(String, f64)> {
    cols.iter().map(|(h, w)| (h.to_string(), *w)).collect()
}

/// One row per target.
pub fn targets_table(r: &PlanResult) -> Table {
    Table {
        sheet: "Chỉ tiêu".into(),
        title: format!("KẾT QUẢ THỰC HIỆN CHỈ TIÊU — {}", r.plan_name.to_uppercase()),
        subtitle: subtitle(r),
        columns: columns(&[
            ("Mã", 8.0),
            ("Nhóm", 24.0),
            ("Chỉ tiêu", 60.0),
            ("Loại", 6.0),
            ("Ngưỡng", 10.0),
            ("Đến năm", 9.0),
            ("Đối tượng", 11.0),
            ("Đạt", 10.0),
            ("Tỉ lệ", 10.0),
            ("Còn thiếu", 11.0),
            ("Trạng thái", 18.0),
            ("Dự báo năm đạt", 10.0),
        ]),
        text_columns: vec![0],
        rows: r
            .targets
            .iter()
            .map(|t| {
                let ratio = t.kind.is_ratio();
                vec![
                    Value::text(&t.id),
                    Value::text(&t.group),
                    Value::text(&t.wording),
                    Value::text(t.letter),
                    t.threshold.map(|h| Value::text(h.min.to_string())).unwrap_or(Value::Empty),
                    t.threshold.map(|h| Value::Int(h.by.into())).unwrap_or(Value::Empty),
                    if ratio { count(t.population) } else { Value::Empty },
                    count(t.met),
                    if ratio { share(t.share) } else { Value::Empty },
                    count(t.needed),
                    Value::text(t.status.label()),
                    t.forecast_year.map(|y| Value::Int(y.into())).unwrap_or(Value::Empty),
                ]
            })
            .collect(),
    }
}

fn event_status(s: EventStatus) -> &'static str {
    match s {
        EventStatus::Met => "Đã đạt",
        EventStatus::Overdue => "Quá hạn",
        EventStatus::Pending => "Còn trong hạn",
        EventStatus::NoEvent => "Chưa có ngày sự kiện",
    }
}

/// The people who do not meet each target, sorted by target then the
/// Vietnamese order of names (given name first).
pub fn need_table(r: &PlanResult) -> Table {
    let mut rows: Vec<(usize, Vec<u8>, Vec<Value>)> = Vec::new();
    for (i, t) in r.targets.iter().enumerate() {
        for m in &t.missing {
            let words: Vec<&str> = m.name.split_whitespace().collect();
            let key = match words.as_slice() {
                [] => Vec::new(),
                [given] => name_sort_key("", "", given),
                [family, middle @ .., given] => name_sort_key(family, &middle.join(" "), given),
            };
            rows.push((
                i,
                key,
                vec![
                    Value::text(&t.id),
                    Value::text(&m.name),
                    Value::opt_text(m.unit_code.as_deref()),
                    Value::opt_text(m.unit.as_deref()),
                    Value::text(&m.reason),
                    Value::opt_date(m.deadline),
                    Value::opt_text(m.status.map(event_status)),
                ],
            ));
        }
    }
    rows.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    Table {
        sheet: "Cần đào tạo".into(),
        title: "DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC CHƯA ĐẠT CHỈ TIÊU".into(),
        subtitle: subtitle(r),
        columns: columns(&[
            ("Mã chỉ tiêu", 10.0),
            ("Họ và tên", 28.0),
            ("Mã đơn vị", 12.0),
            ("Đơn vị", 40.0),
            ("Lý do", 50.0),
            ("Hạn", 12.0),
            ("Tình trạng", 16.0),
        ]),
        text_columns: vec![0, 2],
        rows: rows.into_iter().map(|(_, _, v)| v).collect(),
    }
}

/// Every target's figures by unit along the tree.
pub fn units_table(r: &PlanResult) -> Table {
    Table {
        sheet: "Theo đơn vị".into(),
        title: "KẾT QUẢ THEO ĐƠN VỊ".into(),
        subtitle: subtitle(r),
        columns: columns(&[
            ("Mã chỉ tiêu", 10.0),
            ("Mã đơn vị", 12.0),
            ("Đơn vị", 44.0),
            ("Đối tượng", 11.0),
            ("Đạt", 10.0),
            ("Tỉ lệ", 10.0),
            ("Còn thiếu", 11.0),
        ]),
        text_columns: vec![0, 1],
        rows: r
            .targets
            .iter()
            .flat_map(|t| {
                t.by_unit.iter().map(move |u| {
                    vec![
                        Value::text(&t.id),
                        Value::text(&u.code),
                        Value::text(&u.name),
                        count(u.population),
                        count(u.met),
                        share(u.share),
                        count(u.needed),
                    ]
                })
            })
            .collect(),
    }
}

/// The annex: per target and horizon, the threshold, the current count and
/// share, the need and the need of each year left.
pub fn annex_table(r: &PlanResult) -> Table {
    let years: BTreeSet<i32> =
        r.targets.iter().flat_map(|t| t.horizons.iter().flat_map(|h| h.need_by_year.iter().map(|n| n.year))).collect();
    let mut cols = columns(&[
        ("Mã", 8.0),
        ("Chỉ tiêu", 60.0),
        ("Ngưỡng", 10.0),
        ("Đến năm", 9.0),
        ("Đối tượng", 11.0),
        ("Hiện có", 10.0),
        ("Tỉ lệ", 10.0),
        ("Cần thêm", 10.0),
    ]);
    cols.extend(years.iter().map(|y| (format!("Năm {y}"), 9.0)));
    let mut rows = Vec::new();
    for t in r.targets.iter().filter(|t| t.kind.is_ratio()) {
        for h in &t.horizons {
            let mut row = vec![
                Value::text(&t.id),
                Value::text(&t.wording),
                Value::text(h.min.to_string()),
                Value::Int(h.by.into()),
                count(t.population),
                count(t.met),
                share(t.share),
                count(h.needed),
            ];
            row.extend(years.iter().map(|y| {
                h.need_by_year.iter().find(|n| n.year == *y).map(|n| count(n.count)).unwrap_or(Value::Empty)
            }));
            rows.push(row);
        }
    }
    Table {
        sheet: "Phụ lục".into(),
        title: "PHỤ LỤC: THỰC TRẠNG VÀ NHU CẦU ĐÀO TẠO, BỒI DƯỠNG THEO CHỈ TIÊU".into(),
        subtitle: subtitle(r),
        columns: cols,
        text_columns: vec![0],
        rows,
    }
}

/// Writes the four sheets of a plan's results.
pub fn write_plan_result(r: &PlanResult, path: impl AsRef<Path>) -> Result<(), WriteError> {
    write_tables(&[targets_table(r), annex_table(r), need_table(r), units_table(r)], path)
}
