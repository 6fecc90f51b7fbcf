//! The documents to sign, assembled from what is stored: the province's
//! annual plan (its annexes from the aggregated plan, the ledger and the
//! engine's evaluation of the period plan) and the mid-term and final review
//! reports. The browser downloads them; `nangluc report` writes them.

use chrono::{Datelike, NaiveDate};
use nangluc_core::training::FundingSource;
use nangluc_core::{AsOf, Fact, Table};
use nangluc_engine::{Plan, PlanResult};
use nangluc_io::docx::{
    AnnualPlanDoc, BudgetLine, DocumentHeader, ProgrammeClasses, ReviewDoc, ReviewKind, Signer, TextSection,
};
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
            programme: names.get(&l.programme).cloned().unwrap_or_else(|| l.programme.clone()),
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
            let allocated: i64 = ledger.allocations.iter().filter(|a| a.source == s.code()).map(|a| a.amount).sum();
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
                .map(|d| format!("- {} chủ trì: {} (thời hạn: {}).", d.duty.lead, d.duty.task, d.duty.when_text))
                .collect(),
        });
    }
    let mut basis = vec![format!("Căn cứ {}", plan.name)];
    if let Some(decision) = &province.decision {
        basis.push(format!("Căn cứ Quyết định số {decision} phê duyệt kế hoạch năm {year}"));
    }
    let doc = AnnualPlanDoc {
        header: header(store, on, "KH-UBND")?,
        year,
        legal_basis: basis,
        purpose: vec![format!(
            "Tổng hợp nhu cầu đào tạo, bồi dưỡng năm {year} của {} cơ quan, đơn vị; bảo đảm thực hiện các chỉ tiêu của {}.",
            store.annual_plans(Some(year))?.iter().filter(|p| p.province_plan_id == Some(province.id)).count(),
            plan.name
        )],
        result,
        groups: plan.groups.clone(),
        programmes,
        budget,
        sections,
        closing: None,
    };
    Ok(nangluc_io::docx::annual_plan_to_bytes(&doc).map_err(|e| AppError::Internal(e.to_string()))?)
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
            result.targets.iter().filter(|t| t.holds == Some(true)).count(),
            result.targets.len()
        )],
    }];
    let approved: Vec<i32> = (from..=to.min(on.year() + 1))
        .filter(|y| store.province_plan(*y).ok().flatten().is_some_and(|p| p.status == "approved"))
        .collect();
    if !approved.is_empty() {
        sections.push(TextSection {
            heading: "KẾ HOẠCH HẰNG NĂM".into(),
            paragraphs: approved.iter().map(|y| format!("- Kế hoạch năm {y} đã được phê duyệt.")).collect(),
        });
    }
    let doc = ReviewDoc {
        header: header(store, on, "BC-UBND")?,
        kind,
        plan_title: format!("{} giai đoạn {from} - {to}", plan.name),
        result,
        groups: plan.groups.clone(),
        inclusion: Vec::new(),
        sections,
        unit_depth: Some(1),
        closing: None,
    };
    Ok(nangluc_io::docx::review_report_to_bytes(&doc).map_err(|e| AppError::Internal(e.to_string()))?)
}
