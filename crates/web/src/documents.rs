//! The documents to sign, assembled from what is stored: the province's
//! annual plan (its annexes from the aggregated plan, the ledger and the
//! engine's evaluation of the period plan) and the mid-term and final review
//! reports. The browser downloads them; `nangluc report` writes them.

use chrono::{Datelike, NaiveDate};
use nangluc_core::training::FundingSource;
use nangluc_core::{AsOf, Fact, Table};
use nangluc_engine::{Plan, PlanResult};
use nangluc_io::docx::{
    AnnualPlanDoc, BudgetLine, DocumentHeader, InclusionRow, InclusionTable, ProgrammeClasses,
    ReviewDoc, ReviewKind, Signer, TextSection,
};
use nangluc_io::export::{Table as Sheet, Value as Cell};
use nangluc_store::Store;

use crate::error::AppError;

/// The issuing body from the root unit of the tree ("UBND tỉnh Lâm Đồng"):
/// the two header lines, its name in running text and the place.
fn issuer(store: &mut Store, on: NaiveDate) -> Result<(Vec<String>, String, String), AppError> {
    let root = store
        .as_of(Table::Units, &AsOf::date(on))?
        .into_iter()
        .filter_map(|r| match r.data {
            Fact::Unit(u) if u.parent_id.is_none() => Some((r.id, u.name)),
            _ => None,
        })
        .min_by_key(|(id, _)| *id)
        .map(|(_, n)| n)
        .unwrap_or_else(|| "UBND tỉnh".to_string());
    // "UBND tỉnh Lâm Đồng", "Ủy ban nhân dân tỉnh Lâm Đồng" → "tỉnh Lâm Đồng".
    let province = ["UBND ", "Ủy ban nhân dân ", "ỦY BAN NHÂN DÂN "]
        .iter()
        .find_map(|p| root.strip_prefix(p))
        .unwrap_or(&root)
        .trim()
        .to_string();
    let place = ["tỉnh ", "thành phố ", "Tỉnh ", "Thành phố "]
        .iter()
        .find_map(|p| province.strip_prefix(p))
        .unwrap_or(&province)
        .to_string();
    Ok((
        vec!["ỦY BAN NHÂN DÂN".to_string(), province.to_uppercase()],
        format!("Ủy ban nhân dân {province}"),
        place,
    ))
}

fn header(store: &mut Store, on: NaiveDate, number: &str) -> Result<DocumentHeader, AppError> {
    let (lines, name, place) = issuer(store, on)?;
    Ok(DocumentHeader {
        issuer: lines,
        issuer_name: name,
        number: format!("      /{number}"),
        place,
        date: on,
        signer: Signer::vice_chair(""),
        recipients: vec![
            "Bộ Nội vụ".into(),
            "TT. Tỉnh ủy, TT. HĐND tỉnh".into(),
            "Chủ tịch, các Phó Chủ tịch UBND tỉnh".into(),
            "Các sở, ban, ngành tỉnh".into(),
            "Sở Nội vụ, Sở Tài chính".into(),
            "Lưu: VT".into(),
        ],
    })
}

/// The province's annual plan for `year` as a Word file: Annex I from the
/// evaluation `result` of the period plan, Annex II from the aggregated
/// plan's classes and person-times, Annex III from its cost by source (with
/// what the ledger has allocated), and the duties of the responsibility
/// matrix under "TỔ CHỨC THỰC HIỆN".
pub fn annual_plan(
    store: &mut Store,
    plan: &Plan,
    result: PlanResult,
    year: i32,
    on: NaiveDate,
) -> Result<Vec<u8>, AppError> {
    let province = store.province_plan(year)?.ok_or_else(|| {
        AppError::BadRequest(format!(
            "Chưa có kế hoạch năm {year} của tỉnh: Sở Nội vụ cần tổng hợp kế hoạch của các đơn vị trước."
        ))
    })?;
    let names: std::collections::BTreeMap<String, String> = store
        .latest(Table::Programmes)?
        .into_iter()
        .filter_map(|r| match r.data {
            Fact::Programme(p) => Some((p.code, p.name)),
            _ => None,
        })
        .collect();
    let programmes = province
        .lines
        .iter()
        .map(|l| ProgrammeClasses {
            programme: names
                .get(&l.programme)
                .cloned()
                .unwrap_or_else(|| l.programme.clone()),
            audience: String::new(),
            year,
            classes: l.classes.max(0) as u64,
            person_times: l.person_times.max(0) as u64,
        })
        .collect();
    let ledger = store.ledger(Some(year))?;
    let budget = FundingSource::ALL
        .iter()
        .map(|s| {
            let amount: i64 = province
                .lines
                .iter()
                .map(|l| match s {
                    FundingSource::StateBudget => l.costs.state_budget,
                    FundingSource::Unit => l.costs.unit,
                    FundingSource::Learner => l.costs.learner,
                    FundingSource::Sponsor => l.costs.sponsor,
                })
                .sum();
            let allocated: i64 = ledger
                .allocations
                .iter()
                .filter(|a| a.source == s.code())
                .map(|a| a.amount)
                .sum();
            BudgetLine {
                source: s.label().to_string(),
                amount: amount.max(0) as u64,
                note: if allocated > 0 {
                    format!("Đã phân bổ {} đồng", crate::fmt::number(allocated))
                } else {
                    String::new()
                },
            }
        })
        .collect();
    let duties = store.duties()?;
    let mut sections = Vec::new();
    if !duties.is_empty() {
        sections.push(TextSection {
            heading: "TỔ CHỨC THỰC HIỆN".into(),
            paragraphs: duties
                .iter()
                .map(|d| {
                    format!(
                        "- {} chủ trì: {} (thời hạn: {}).",
                        d.duty.lead, d.duty.task, d.duty.when_text
                    )
                })
                .collect(),
        });
    }
    let mut basis = vec![format!("Căn cứ {}", plan.name)];
    if let Some(decision) = &province.decision {
        basis.push(format!(
            "Căn cứ Quyết định số {decision} phê duyệt kế hoạch năm {year}"
        ));
    }
    let doc = AnnualPlanDoc {
        header: header(store, on, "KH-UBND")?,
        year,
        legal_basis: basis,
        purpose: vec![format!(
            "Tổng hợp nhu cầu đào tạo, bồi dưỡng năm {year} của {} cơ quan, đơn vị; bảo đảm thực hiện các chỉ tiêu của {}.",
            store
                .annual_plans(Some(year))?
                .iter()
                .filter(|p| p.province_plan_id == Some(province.id))
                .count(),
            plan.name
        )],
        result,
        groups: plan.groups.clone(),
        programmes,
        budget,
        sections,
        closing: None,
    };
    nangluc_io::docx::annual_plan_to_bytes(&doc).map_err(|e| AppError::Internal(e.to_string()))
}

/// The mid-term or final review of the period plan, from its evaluation at
/// the review date.
pub fn review(
    store: &mut Store,
    plan: &Plan,
    result: PlanResult,
    kind: ReviewKind,
    on: NaiveDate,
) -> Result<Vec<u8>, AppError> {
    let (from, to) = plan.period;
    let mut sections = vec![TextSection {
        heading: "ĐÁNH GIÁ CHUNG".into(),
        paragraphs: vec![format!(
            "Đến ngày {}, {} trên {} chỉ tiêu đã đạt.",
            on.format("%d/%m/%Y"),
            result
                .targets
                .iter()
                .filter(|t| t.holds == Some(true))
                .count(),
            result.targets.len()
        )],
    }];
    let approved: Vec<i32> = (from..=to.min(on.year() + 1))
        .filter(|y| {
            store
                .province_plan(*y)
                .ok()
                .flatten()
                .is_some_and(|p| p.status == "approved")
        })
        .collect();
    if !approved.is_empty() {
        sections.push(TextSection {
            heading: "KẾ HOẠCH HẰNG NĂM".into(),
            paragraphs: approved
                .iter()
                .map(|y| format!("- Kế hoạch năm {y} đã được phê duyệt."))
                .collect(),
        });
    }
    let start = NaiveDate::from_ymd_opt(from, 1, 1).unwrap_or(on);
    let doc = ReviewDoc {
        header: header(store, on, "BC-UBND")?,
        kind,
        plan_title: format!("{} giai đoạn {from} - {to}", plan.name),
        result,
        groups: plan.groups.clone(),
        inclusion: vec![inclusion(store, start, on)?],
        sections,
        unit_depth: Some(1),
        closing: None,
    };
    nangluc_io::docx::review_report_to_bytes(&doc).map_err(|e| AppError::Internal(e.to_string()))
}

/// Person-times trained (completed enrolments ending in `[from, to]`) by
/// programme: women, ethnic minorities, and people working in ethnic-minority
/// areas, as the review reports count them.
fn inclusion(
    store: &mut Store,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<InclusionTable, AppError> {
    use nangluc_core::person::Sex;
    use nangluc_core::training::EnrolmentStatus;
    use std::collections::{BTreeMap, HashMap, HashSet};
    let mut people: HashMap<i64, (bool, bool)> = HashMap::new();
    for r in store.latest(Table::People)? {
        if let Fact::Person(p) = r.data {
            people.insert(r.id, (p.sex == Sex::Female, p.ethnicity.is_minority()));
        }
    }
    let remote: HashSet<i64> = store
        .latest(Table::Employments)?
        .into_iter()
        .filter_map(|r| match r.data {
            Fact::Employment(e) if e.minority_area => Some(e.person_id),
            _ => None,
        })
        .collect();
    let names: HashMap<i64, String> = store
        .latest(Table::Programmes)?
        .into_iter()
        .filter_map(|r| match r.data {
            Fact::Programme(p) => Some((r.id, p.name)),
            _ => None,
        })
        .collect();
    let mut rows: BTreeMap<String, InclusionRow> = BTreeMap::new();
    for r in store.latest(Table::Enrolments)? {
        let Fact::Enrolment(e) = r.data else { continue };
        if e.status != EnrolmentStatus::Completed || e.ends_on < from || e.ends_on > to {
            continue;
        }
        let label = names
            .get(&e.programme_id)
            .cloned()
            .unwrap_or_else(|| format!("Chương trình {}", e.programme_id));
        let row = rows.entry(label.clone()).or_insert_with(|| InclusionRow {
            label,
            total: 0,
            women: 0,
            ethnic_minority: 0,
            remote_area: 0,
        });
        let (woman, minority) = people.get(&e.person_id).copied().unwrap_or((false, false));
        row.total += 1;
        row.women += u64::from(woman);
        row.ethnic_minority += u64::from(minority);
        row.remote_area += u64::from(remote.contains(&e.person_id));
    }
    let mut rows: Vec<InclusionRow> = rows.into_values().collect();
    rows.sort_by(|a, b| nangluc_core::text::compare(&a.label, &b.label));
    Ok(InclusionTable {
        caption: format!(
            "Số lượt cán bộ, công chức, viên chức hoàn thành đào tạo, bồi dưỡng từ {} đến {}, theo chương trình",
            from.format("%d/%m/%Y"),
            to.format("%d/%m/%Y")
        ),
        label_heading: "Chương trình".into(),
        rows,
    })
}

/// The review's figures as sheets (for `--xlsx` and the download): each
/// target against its threshold, the breakdown by unit, and the person-times
/// trained counted for women, ethnic minorities and remote areas — the same
/// tables as the Word report.
pub fn review_sheets(
    store: &mut Store,
    plan: &Plan,
    result: &PlanResult,
    on: NaiveDate,
) -> Result<Vec<Sheet>, AppError> {
    let start = NaiveDate::from_ymd_opt(plan.period.0, 1, 1).unwrap_or(on);
    let table = inclusion(store, start, on)?;
    let share = |part: u64, total: u64| {
        if total == 0 { Cell::Empty } else { Cell::Percent(part as f64 / total as f64) }
    };
    let line = |r: &InclusionRow| {
        vec![
            Cell::text(r.label.clone()),
            Cell::Int(r.total as i64),
            Cell::Int(r.women as i64),
            share(r.women, r.total),
            Cell::Int(r.ethnic_minority as i64),
            share(r.ethnic_minority, r.total),
            Cell::Int(r.remote_area as i64),
            share(r.remote_area, r.total),
        ]
    };
    let total = InclusionRow {
        label: "Tổng cộng".into(),
        total: table.rows.iter().map(|r| r.total).sum(),
        women: table.rows.iter().map(|r| r.women).sum(),
        ethnic_minority: table.rows.iter().map(|r| r.ethnic_minority).sum(),
        remote_area: table.rows.iter().map(|r| r.remote_area).sum(),
    };
    let mut rows: Vec<Vec<Cell>> = table.rows.iter().map(line).collect();
    rows.push(line(&total));
    let columns = [
        (table.label_heading.as_str(), 44.0),
        ("Tổng số lượt", 12.0),
        ("Nữ", 10.0),
        ("Tỷ lệ nữ", 10.0),
        ("Dân tộc thiểu số", 12.0),
        ("Tỷ lệ DTTS", 10.0),
        ("Vùng sâu, vùng xa, vùng ĐBKK", 14.0),
        ("Tỷ lệ vùng ĐBKK", 12.0),
    ];
    Ok(vec![
        nangluc_io::results::targets_table(result),
        nangluc_io::results::units_table(result),
        Sheet {
            sheet: "Nhóm ưu tiên".into(),
            title: table.caption.clone(),
            subtitle: format!("{} — đến ngày {}", plan.name, on.format("%d/%m/%Y")),
            columns: columns.iter().map(|(h, w)| (h.to_string(), *w)).collect(),
            text_columns: vec![],
            rows,
        },
    ])
}

/// The annual plan's figures as sheets (for `--xlsx` and the download): the
/// targets and their need per year (annex I), the province's plan by programme, the unit plans with their status and
/// lateness, and the budget variance by unit, source and programme.
pub fn annual_plan_sheets(
    store: &mut Store,
    result: &PlanResult,
    year: i32,
    on: NaiveDate,
) -> Result<Vec<Sheet>, AppError> {
    let units: std::collections::HashMap<i64, String> = store
        .as_of(Table::Units, &AsOf::date(on))?
        .into_iter()
        .filter_map(|r| match r.data {
            Fact::Unit(u) => Some((r.id, u.name)),
            _ => None,
        })
        .collect();
    let names: std::collections::BTreeMap<String, String> = store
        .latest(Table::Programmes)?
        .into_iter()
        .filter_map(|r| match r.data {
            Fact::Programme(p) => Some((p.code, p.name)),
            _ => None,
        })
        .collect();
    let cols = |c: &[(&str, f64)]| {
        c.iter()
            .map(|(h, w)| (h.to_string(), *w))
            .collect::<Vec<_>>()
    };
    let money_cols = [
        ("Ngân sách nhà nước (đ)", 18.0),
        ("Đơn vị (đ)", 16.0),
        ("Người học (đ)", 16.0),
        ("Tài trợ (đ)", 16.0),
    ];
    let mut province_cols = vec![
        ("Mã chương trình", 14.0),
        ("Chương trình", 40.0),
        ("Số đơn vị", 10.0),
        ("Số lớp", 10.0),
        ("Lượt người", 12.0),
    ];
    province_cols.extend(money_cols);
    let province = store.province_plan(year)?;
    let province_rows = province
        .as_ref()
        .map(|p| {
            p.lines
                .iter()
                .map(|l| {
                    vec![
                        Cell::text(l.programme.clone()),
                        Cell::text(names.get(&l.programme).cloned().unwrap_or_default()),
                        Cell::Int(l.units),
                        Cell::Int(l.classes),
                        Cell::Int(l.person_times),
                        Cell::Int(l.costs.state_budget),
                        Cell::Int(l.costs.unit),
                        Cell::Int(l.costs.learner),
                        Cell::Int(l.costs.sponsor),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    let status = province.as_ref().map_or("chưa tổng hợp".to_string(), |p| {
        match p.status.as_str() {
            "approved" => format!(
                "đã phê duyệt{}",
                p.decision
                    .as_deref()
                    .map(|d| format!(", Quyết định số {d}"))
                    .unwrap_or_default()
            ),
            _ => "đã tổng hợp, chờ phê duyệt".to_string(),
        }
    });
    let mut unit_rows = Vec::new();
    for p in store.annual_plans(Some(year))? {
        let lines = store.plan_lines(p.id)?;
        let st = nangluc_planning::annual::PlanStatus::from_code(&p.status)
            .map_or(p.status.clone(), |s| s.label().to_string());
        unit_rows.push(vec![
            Cell::text(
                units
                    .get(&p.unit_id)
                    .cloned()
                    .unwrap_or_else(|| p.unit_id.to_string()),
            ),
            Cell::text(st),
            p.submitted_at.map_or(Cell::Empty, |t| {
                Cell::Date(t.with_timezone(&crate::fmt::vietnam()).date_naive())
            }),
            Cell::text(if p.late { "Trễ hạn" } else { "" }),
            Cell::Int(lines.iter().map(|l| l.classes).sum()),
            Cell::Int(lines.iter().map(|l| l.person_times).sum()),
            Cell::Int(lines.iter().map(|l| l.costs.total()).sum()),
        ]);
    }
    let ledger = crate::annual::ledger(store, year)?;
    use nangluc_planning::budget::{VarianceBy, variance};
    let mut variance_rows = Vec::new();
    for (by, what) in [
        (VarianceBy::UNIT, "Đơn vị"),
        (VarianceBy::SOURCE, "Nguồn"),
        (VarianceBy::PROGRAMME, "Chương trình"),
    ] {
        for r in variance(&ledger, by) {
            let label = match (&r.key.unit, r.key.source, &r.key.programme) {
                (Some(u), _, _) => u
                    .parse::<i64>()
                    .ok()
                    .and_then(|id| units.get(&id).cloned())
                    .unwrap_or_else(|| u.clone()),
                (_, Some(s), _) => s.label().to_string(),
                (_, _, Some(p)) => names.get(p).cloned().unwrap_or_else(|| p.clone()),
                _ => "Chưa gắn chương trình".to_string(),
            };
            variance_rows.push(vec![
                Cell::text(what),
                Cell::text(label),
                Cell::Int(r.allocated),
                Cell::Int(r.committed),
                Cell::Int(r.spent),
                Cell::Int(r.released),
                Cell::Int(r.available),
                Cell::Int(r.variance),
            ]);
        }
    }
    Ok(vec![
        nangluc_io::results::targets_table(result),
        nangluc_io::results::annex_table(result),
        Sheet {
            sheet: "Kế hoạch của tỉnh".into(),
            title: format!("KẾ HOẠCH ĐÀO TẠO, BỒI DƯỠNG NĂM {year} CỦA TỈNH"),
            subtitle: format!("Tổng hợp kế hoạch của các đơn vị — {status}"),
            columns: cols(&province_cols),
            text_columns: vec![0],
            rows: province_rows,
        },
        Sheet {
            sheet: "Kế hoạch các đơn vị".into(),
            title: format!("KẾ HOẠCH NĂM {year} CỦA CÁC ĐƠN VỊ"),
            subtitle: format!(
                "Hạn gửi: {}",
                nangluc_planning::annual::submission_deadline(year).format("%d/%m/%Y")
            ),
            columns: cols(&[
                ("Đơn vị", 40.0),
                ("Trạng thái", 28.0),
                ("Ngày gửi", 12.0),
                ("Trễ hạn", 10.0),
                ("Số lớp", 10.0),
                ("Lượt người", 12.0),
                ("Kinh phí (đ)", 18.0),
            ]),
            text_columns: vec![],
            rows: unit_rows,
        },
        Sheet {
            sheet: "Kinh phí".into(),
            title: format!("KINH PHÍ ĐÀO TẠO, BỒI DƯỠNG NĂM {year}"),
            subtitle: "Phân bổ, cam kết, đã chi, hoàn lại, còn lại và chênh lệch (chi − cam kết)"
                .into(),
            columns: cols(&[
                ("Theo", 14.0),
                ("", 40.0),
                ("Phân bổ (đ)", 18.0),
                ("Cam kết (đ)", 18.0),
                ("Đã chi (đ)", 18.0),
                ("Hoàn lại (đ)", 16.0),
                ("Còn lại (đ)", 18.0),
                ("Chênh lệch (đ)", 16.0),
            ]),
            text_columns: vec![],
            rows: variance_rows,
        },
    ])
}
