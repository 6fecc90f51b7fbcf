//! Budget: cost norms, class estimates and the ledger.
//!
//! * [`CostNorms`]: a dated rate table (Circular 36/2018/TT-BTC, amended by
//!   06/2023/TT-BTC) by cost item and form of study, with provincial overrides.
//!   The national figures in [`CostNorms::placeholder`] are placeholders
//!   flagged `unverified`: the province configures its own.
//! * [`estimate`]: what a class costs under the norms in force on its first day.
//! * The ledger: [`Allocation`]s per unit, source and year; [`Commitment`]s
//!   when a class is approved ([`commit_class`] splits the estimate over the
//!   units sending learners); [`Spending`]s as they are paid; [`settle`] when
//!   the class ends; [`variance`] by unit, source, programme and year.
//!
//! Amounts are whole đồng (`i64`), never floating point.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use nangluc_core::code_enum;
use nangluc_core::training::{FundingSource, StudyForm};

code_enum! {
    /// What training money pays for (Circular 36/2018/TT-BTC).
    pub enum CostItem {
        LecturerPay => ("thu_lao_giang_vien", "Thù lao giảng viên, báo cáo viên"),
        Materials => ("tai_lieu", "Tài liệu học tập"),
        Meals => ("ho_tro_tien_an", "Hỗ trợ tiền ăn"),
        Accommodation => ("cho_o", "Chỗ ở cho học viên"),
        Travel => ("di_lai", "Đi lại của học viên"),
        Organisation => ("to_chuc_lop", "Chi phí tổ chức lớp (hội trường, khai giảng, bế giảng)"),
        Tuition => ("hoc_phi", "Học phí"),
        Certificate => ("chung_chi", "Cấp chứng chỉ"),
    }
}

code_enum! {
    /// What a rate is counted on.
    pub enum CostBasis {
        PerSession => ("buoi", "đồng/buổi"),
        PerLearner => ("hoc_vien", "đồng/học viên"),
        PerLearnerDay => ("hoc_vien_ngay", "đồng/học viên/ngày"),
        PerClass => ("lop", "đồng/lớp"),
        PerClassDay => ("lop_ngay", "đồng/lớp/ngày"),
    }
}

/// One line of the rate table, valid over `[from, to)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostRate {
    pub item: CostItem,
    pub basis: CostBasis,
    /// Đồng per unit of the basis.
    pub amount: i64,
    /// `None`: every form of study.
    pub form: Option<StudyForm>,
    /// `None`: the national norm; `Some(code)`: a province's override.
    pub province: Option<String>,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    /// The text that sets the rate ("Thông tư 36/2018/TT-BTC", "Nghị quyết …/NQ-HĐND").
    pub source: String,
    /// A placeholder figure not checked against the text.
    pub unverified: bool,
}

impl CostRate {
    fn valid_on(&self, on: NaiveDate) -> bool {
        self.from <= on && self.to.is_none_or(|t| on < t)
    }
}

/// The rate table.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CostNorms {
    pub rates: Vec<CostRate>,
}

/// What an estimate is made for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostInput {
    pub form: StudyForm,
    pub province: Option<String>,
    /// The class's first day: the norms in force that day apply.
    pub on: NaiveDate,
    pub learners: u32,
    /// Teaching sessions (buổi, half days).
    pub sessions: u32,
    /// Days of study (for meals and lodging).
    pub study_days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstimateLine {
    pub item: CostItem,
    pub label: String,
    pub basis: CostBasis,
    pub quantity: i64,
    pub rate: i64,
    pub amount: i64,
    pub source: String,
    pub province_override: bool,
    pub unverified: bool,
}

/// A class's estimate (dự toán).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Estimate {
    pub lines: Vec<EstimateLine>,
    pub total: i64,
    /// Some rate used is a placeholder.
    pub unverified: bool,
}

impl CostNorms {
    /// The rate for an item on a day: among the rates in force, a province's
    /// override beats the national norm and a rate for the form beats one for
    /// every form; among equals the latest `from` wins.
    pub fn rate(
        &self,
        item: CostItem,
        form: StudyForm,
        province: Option<&str>,
        on: NaiveDate,
    ) -> Option<&CostRate> {
        self.rates
            .iter()
            .filter(|r| r.item == item && r.valid_on(on))
            .filter(|r| r.form.is_none_or(|f| f == form))
            .filter(|r| r.province.as_deref().is_none_or(|p| Some(p) == province))
            .max_by_key(|r| (r.province.is_some(), r.form.is_some(), r.from))
    }

    /// Placeholder national norms (figures unverified; the province sets its
    /// own within the national limits). Lecturer pay rises with Circular
    /// 06/2023/TT-BTC; online and distance classes pay no lodging, meals or travel.
    pub fn placeholder() -> CostNorms {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("valid date");
        let c36 = "Thông tư 36/2018/TT-BTC";
        let c06 = "Thông tư 06/2023/TT-BTC";
        let r = |item, basis, amount, form, from, to, source: &str| CostRate {
            item,
            basis,
            amount,
            form,
            province: None,
            from,
            to,
            source: source.to_string(),
            unverified: true,
        };
        let mut rates = vec![
            r(
                CostItem::LecturerPay,
                CostBasis::PerSession,
                1_000_000,
                None,
                d(2018, 5, 14),
                Some(d(2023, 3, 17)),
                c36,
            ),
            r(
                CostItem::LecturerPay,
                CostBasis::PerSession,
                1_500_000,
                None,
                d(2023, 3, 17),
                None,
                c06,
            ),
            r(
                CostItem::Materials,
                CostBasis::PerLearner,
                200_000,
                None,
                d(2018, 5, 14),
                None,
                c36,
            ),
            r(
                CostItem::Organisation,
                CostBasis::PerClass,
                5_000_000,
                None,
                d(2018, 5, 14),
                None,
                c36,
            ),
            r(
                CostItem::Meals,
                CostBasis::PerLearnerDay,
                50_000,
                None,
                d(2018, 5, 14),
                None,
                c36,
            ),
            r(
                CostItem::Accommodation,
                CostBasis::PerLearnerDay,
                150_000,
                None,
                d(2018, 5, 14),
                None,
                c36,
            ),
            r(
                CostItem::Travel,
                CostBasis::PerLearner,
                200_000,
                None,
                d(2018, 5, 14),
                None,
                c36,
            ),
            r(
                CostItem::Certificate,
                CostBasis::PerLearner,
                20_000,
                None,
                d(2018, 5, 14),
                None,
                c36,
            ),
        ];
        for form in [StudyForm::Online, StudyForm::Distance] {
            for item in [CostItem::Meals, CostItem::Accommodation, CostItem::Travel] {
                rates.push(r(
                    item,
                    CostBasis::PerLearner,
                    0,
                    Some(form),
                    d(2018, 5, 14),
                    None,
                    c36,
                ));
            }
        }
        CostNorms { rates }
    }
}

fn quantity(basis: CostBasis, input: &CostInput) -> i64 {
    let (l, s, d) = (
        input.learners as i64,
        input.sessions as i64,
        input.study_days as i64,
    );
    match basis {
        CostBasis::PerSession => s,
        CostBasis::PerLearner => l,
        CostBasis::PerLearnerDay => l * d,
        CostBasis::PerClass => 1,
        CostBasis::PerClassDay => d,
    }
}

/// A class's estimate under the norms in force on `input.on`: one line per
/// cost item that has a rate (items without one are not paid).
pub fn estimate(norms: &CostNorms, input: &CostInput) -> Estimate {
    let mut est = Estimate::default();
    for &item in CostItem::ALL {
        let Some(rate) = norms.rate(item, input.form, input.province.as_deref(), input.on) else {
            continue;
        };
        let q = quantity(rate.basis, input);
        let amount = q * rate.amount;
        est.unverified |= rate.unverified;
        est.total += amount;
        est.lines.push(EstimateLine {
            item,
            label: item.label().to_string(),
            basis: rate.basis,
            quantity: q,
            rate: rate.amount,
            amount,
            source: rate.source.clone(),
            province_override: rate.province.is_some(),
            unverified: rate.unverified,
        });
    }
    est
}

/// Money set aside for a unit from a source for a year (phân bổ dự toán).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    pub year: i32,
    pub unit: String,
    pub source: FundingSource,
    /// Earmarked for a programme, if any.
    pub programme: Option<String>,
    pub amount: i64,
}

/// Money committed when a class is approved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commitment {
    pub class_code: String,
    pub programme: String,
    pub year: i32,
    pub unit: String,
    pub source: FundingSource,
    pub on: NaiveDate,
    pub amount: i64,
}

/// Money paid (thanh toán).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spending {
    pub class_code: String,
    pub programme: String,
    pub year: i32,
    pub unit: String,
    pub source: FundingSource,
    pub on: NaiveDate,
    pub amount: i64,
    pub document: Option<String>,
}

/// Splits `total` over units in proportion to their learners, in whole đồng
/// (largest remainder; ties to the unit listed first), so the parts add up to
/// the total exactly.
pub fn split_by_learners(total: i64, learners: &[(String, u32)]) -> Vec<(String, i64)> {
    let n: i64 = learners.iter().map(|(_, k)| *k as i64).sum();
    if n == 0 {
        return learners.iter().map(|(u, _)| (u.clone(), 0)).collect();
    }
    let mut parts: Vec<(String, i64, i64)> = learners
        .iter()
        .map(|(u, k)| {
            let x = total as i128 * *k as i128;
            (u.clone(), (x / n as i128) as i64, (x % n as i128) as i64)
        })
        .collect();
    let mut left = total - parts.iter().map(|p| p.1).sum::<i64>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| parts[b].2.cmp(&parts[a].2).then(a.cmp(&b)));
    for i in order {
        if left <= 0 {
            break;
        }
        parts[i].1 += 1;
        left -= 1;
    }
    parts.into_iter().map(|(u, a, _)| (u, a)).collect()
}

/// The commitments of an approved class: its estimate split over the units
/// sending learners, from one source.
pub fn commit_class(
    class_code: &str,
    programme: &str,
    year: i32,
    on: NaiveDate,
    source: FundingSource,
    total: i64,
    learners_by_unit: &[(String, u32)],
) -> Vec<Commitment> {
    split_by_learners(total, learners_by_unit)
        .into_iter()
        .map(|(unit, amount)| Commitment {
            class_code: class_code.to_string(),
            programme: programme.to_string(),
            year,
            unit,
            source,
            on,
            amount,
        })
        .collect()
}

/// Splits `total` in proportion to weights, in whole đồng (largest
/// remainder; ties to the one listed first), so the parts add up to the total
/// exactly. All weights 0: everything to the first.
pub fn split_in_proportion<K: Clone>(total: i64, weights: &[(K, i64)]) -> Vec<(K, i64)> {
    let n: i128 = weights.iter().map(|(_, w)| (*w).max(0) as i128).sum();
    if n == 0 {
        return weights
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (k.clone(), if i == 0 { total } else { 0 }))
            .collect();
    }
    let mut parts: Vec<(K, i64, i128)> = weights
        .iter()
        .map(|(k, w)| {
            let x = total as i128 * (*w).max(0) as i128;
            (k.clone(), (x / n) as i64, x % n)
        })
        .collect();
    let mut left = total - parts.iter().map(|p| p.1).sum::<i64>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| parts[b].2.cmp(&parts[a].2).then(a.cmp(&b)));
    for i in order {
        if left <= 0 {
            break;
        }
        parts[i].1 += 1;
        left -= 1;
    }
    parts.into_iter().map(|(k, a, _)| (k, a)).collect()
}

/// The commitments of an approved class whose cost is shared by several
/// sources (ngân sách nhà nước, đơn vị, người học, tài trợ): each source's
/// amount split over the units sending learners in proportion to their
/// learners. Sources with 0 commit nothing; the lines of one source add up to
/// its amount exactly.
pub fn commit_class_by_source(
    class_code: &str,
    programme: &str,
    year: i32,
    on: NaiveDate,
    by_source: &[(FundingSource, i64)],
    learners_by_unit: &[(String, u32)],
) -> Vec<Commitment> {
    by_source
        .iter()
        .filter(|(_, amount)| *amount != 0)
        .flat_map(|&(source, amount)| {
            commit_class(
                class_code,
                programme,
                year,
                on,
                source,
                amount,
                learners_by_unit,
            )
        })
        .collect()
}

/// What one source committed and spent for a class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceSettlement {
    pub source: FundingSource,
    pub committed: i64,
    pub spent: i64,
    pub released: i64,
    pub overrun: i64,
}

/// A class's settlement by funding source, in the order of [`FundingSource`]:
/// what each source committed against what it paid. A class committed from one
/// source (every class before the split) reads as one line.
pub fn settle_by_source(
    class_code: &str,
    commitments: &[Commitment],
    spendings: &[Spending],
) -> Vec<SourceSettlement> {
    let mut sums: BTreeMap<usize, (i64, i64)> = BTreeMap::new();
    let index = |s: FundingSource| FundingSource::ALL.iter().position(|x| *x == s).unwrap_or(0);
    for c in commitments.iter().filter(|c| c.class_code == class_code) {
        sums.entry(index(c.source)).or_default().0 += c.amount;
    }
    for s in spendings.iter().filter(|s| s.class_code == class_code) {
        sums.entry(index(s.source)).or_default().1 += s.amount;
    }
    sums.into_iter()
        .map(|(i, (committed, spent))| SourceSettlement {
            source: FundingSource::ALL[i],
            committed,
            spent,
            released: (committed - spent).max(0),
            overrun: (spent - committed).max(0),
        })
        .collect()
}

/// A class's settlement (quyết toán) when it ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settlement {
    pub class_code: String,
    pub settled_on: NaiveDate,
    pub committed: i64,
    pub spent: i64,
    /// Committed but not spent: given back to the allocations.
    pub released: i64,
    /// Spent beyond the commitment.
    pub overrun: i64,
    pub message: String,
}

/// Settles a class: what was committed against what was paid.
pub fn settle(
    class_code: &str,
    settled_on: NaiveDate,
    commitments: &[Commitment],
    spendings: &[Spending],
) -> Settlement {
    let committed: i64 = commitments
        .iter()
        .filter(|c| c.class_code == class_code)
        .map(|c| c.amount)
        .sum();
    let spent: i64 = spendings
        .iter()
        .filter(|s| s.class_code == class_code)
        .map(|s| s.amount)
        .sum();
    let released = (committed - spent).max(0);
    let overrun = (spent - committed).max(0);
    let message = if overrun > 0 {
        format!(
            "Lớp {class_code}: chi vượt dự toán {} đồng",
            format_dong(overrun)
        )
    } else {
        format!(
            "Lớp {class_code}: quyết toán {} đồng, hoàn lại {} đồng",
            format_dong(spent),
            format_dong(released)
        )
    };
    Settlement {
        class_code: class_code.to_string(),
        settled_on,
        committed,
        spent,
        released,
        overrun,
        message,
    }
}

/// Everything the ledger holds.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Ledger {
    pub allocations: Vec<Allocation>,
    pub commitments: Vec<Commitment>,
    pub spendings: Vec<Spending>,
    pub settlements: Vec<Settlement>,
}

/// Which dimensions a variance report groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VarianceBy {
    pub unit: bool,
    pub source: bool,
    pub programme: bool,
    pub year: bool,
}

impl VarianceBy {
    pub const UNIT: VarianceBy = VarianceBy {
        unit: true,
        source: false,
        programme: false,
        year: false,
    };
    pub const SOURCE: VarianceBy = VarianceBy {
        unit: false,
        source: true,
        programme: false,
        year: false,
    };
    pub const PROGRAMME: VarianceBy = VarianceBy {
        unit: false,
        source: false,
        programme: true,
        year: false,
    };
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct VarianceKey {
    pub unit: Option<String>,
    pub source: Option<FundingSource>,
    /// With `programme` grouping, allocations not earmarked fall under `None`.
    pub programme: Option<String>,
    pub year: Option<i32>,
}

/// One row of a variance report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VarianceRow {
    pub key: VarianceKey,
    pub allocated: i64,
    pub committed: i64,
    pub spent: i64,
    /// Commitments of settled classes not spent, given back.
    pub released: i64,
    /// Commitments still open: committed − released − spent on unsettled classes, at least 0.
    pub open_commitments: i64,
    /// allocated − spent − open commitments.
    pub available: i64,
    /// spent − committed: above 0 means spending beyond the commitments.
    pub variance: i64,
}

/// The variance by the chosen dimensions, rows in key order.
pub fn variance(ledger: &Ledger, by: VarianceBy) -> Vec<VarianceRow> {
    let key = |unit: &str, source: FundingSource, programme: Option<&str>, year: i32| VarianceKey {
        unit: by.unit.then(|| unit.to_string()),
        source: by.source.then_some(source),
        programme: if by.programme {
            programme.map(str::to_string)
        } else {
            None
        },
        year: by.year.then_some(year),
    };
    #[derive(Default)]
    struct Acc {
        allocated: i64,
        committed: i64,
        spent: i64,
        // Per class, for open commitments and releases.
        classes: BTreeMap<String, (i64, i64)>,
    }
    let mut rows: BTreeMap<VarianceKey, Acc> = BTreeMap::new();
    for a in &ledger.allocations {
        rows.entry(key(&a.unit, a.source, a.programme.as_deref(), a.year))
            .or_default()
            .allocated += a.amount;
    }
    for c in &ledger.commitments {
        let acc = rows
            .entry(key(&c.unit, c.source, Some(&c.programme), c.year))
            .or_default();
        acc.committed += c.amount;
        acc.classes.entry(c.class_code.clone()).or_default().0 += c.amount;
    }
    for s in &ledger.spendings {
        let acc = rows
            .entry(key(&s.unit, s.source, Some(&s.programme), s.year))
            .or_default();
        acc.spent += s.amount;
        acc.classes.entry(s.class_code.clone()).or_default().1 += s.amount;
    }
    let settled: std::collections::BTreeSet<&str> = ledger
        .settlements
        .iter()
        .map(|s| s.class_code.as_str())
        .collect();
    rows.into_iter()
        .map(|(key, acc)| {
            let mut released = 0;
            let mut open = 0;
            for (class, (c, s)) in &acc.classes {
                if settled.contains(class.as_str()) {
                    released += (c - s).max(0);
                } else {
                    open += (c - s).max(0);
                }
            }
            VarianceRow {
                key,
                allocated: acc.allocated,
                committed: acc.committed,
                spent: acc.spent,
                released,
                open_commitments: open,
                available: acc.allocated - acc.spent - open,
                variance: acc.spent - acc.committed,
            }
        })
        .collect()
}

/// Đồng with dots between thousands, as Vietnamese documents write them: 1.500.000.
pub fn format_dong(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if amount < 0 { format!("-{out}") } else { out }
}
