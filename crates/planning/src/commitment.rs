//! Postgraduate training funded by the state: the learner's commitment to
//! serve afterwards, and the compensation owed on leaving early.
//!
//! The rule depends on the person's category and the date the person was sent
//! to study (the day the commitment is made), kept as dated configuration
//! ([`RuleBook`]):
//! * Decree 101/2017/NĐ-CP as amended by 89/2021/NĐ-CP: serve ≥ 2 × the
//!   training duration; first postgraduate posting at ≤ 40; compensation
//!   reduced by 1 % per year of earlier service (1,5 % for women and
//!   ethnic-minority staff) — the reduction figures are unverified.
//! * Decree 171/2025/NĐ-CP, for civil servants sent from 1 July 2025: serve
//!   ≥ 3 × the duration; age ≤ 45; dismissal for discipline also owes; whether
//!   the reductions remain is unverified (off by default, a parameter).
//!
//! Compensation: 100 % of the cost F on quitting during the course or getting
//! no degree; otherwise S = F / T1 × (T1 − T2), T1 the months committed, T2
//! the whole months served since the course ended. Amounts in whole đồng,
//! rounded half up.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use nangluc_core::code_enum;
use nangluc_core::employment::{Category, REFORM_2025};
use nangluc_core::time::add_months;

code_enum! {
    pub enum CompensationRule {
        Decree101 => ("nd_101_2017", "Nghị định 101/2017/NĐ-CP (sửa đổi bởi Nghị định 89/2021/NĐ-CP)"),
        Decree171 => ("nd_171_2025", "Nghị định 171/2025/NĐ-CP"),
    }
}

/// The parameters of one rule (configuration, dated by [`DatedRule`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleParams {
    /// T1 = multiplier × the training duration (2 or 3).
    pub commitment_multiplier: u32,
    /// Oldest age at the first postgraduate posting.
    pub max_first_postgraduate_age: u32,
    /// Years of service before (probation excluded).
    pub min_service_years: u32,
    /// Latest years rated "hoàn thành tốt nhiệm vụ" or better.
    pub good_rating_years: u32,
    /// Whether the compensation is reduced per year of earlier service.
    pub reductions_apply: bool,
    /// Reduction per year of earlier service, in basis points (100 = 1 %).
    pub reduction_bp_per_year: u32,
    /// For women and ethnic-minority staff.
    pub reduction_bp_per_year_priority: u32,
    /// Dismissal for discipline owes compensation.
    pub dismissal_owes: bool,
    /// Which of these figures are not checked against the text (Vietnamese).
    pub unverified: Vec<String>,
}

impl RuleParams {
    pub fn decree_101() -> RuleParams {
        RuleParams {
            commitment_multiplier: 2,
            max_first_postgraduate_age: 40,
            min_service_years: 3,
            good_rating_years: 2,
            reductions_apply: true,
            reduction_bp_per_year: 100,
            reduction_bp_per_year_priority: 150,
            dismissal_owes: false,
            unverified: vec![
                "Mức giảm 1%/năm công tác (1,5% với nữ và người dân tộc thiểu số) chưa được đối chiếu văn bản".into(),
                "Trường hợp bị kỷ luật buộc thôi việc chưa được đối chiếu văn bản".into(),
            ],
        }
    }

    pub fn decree_171() -> RuleParams {
        RuleParams {
            commitment_multiplier: 3,
            max_first_postgraduate_age: 45,
            min_service_years: 3,
            good_rating_years: 2,
            reductions_apply: false,
            reduction_bp_per_year: 100,
            reduction_bp_per_year_priority: 150,
            dismissal_owes: true,
            unverified: vec![
                "Chưa rõ Nghị định 171/2025/NĐ-CP có giữ mức giảm theo số năm công tác hay không"
                    .into(),
            ],
        }
    }
}

/// A rule for some categories over `[from, to)` (by the posting date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedRule {
    pub rule: CompensationRule,
    pub categories: Vec<Category>,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    pub params: RuleParams,
}

/// The rules by category and date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleBook {
    pub rules: Vec<DatedRule>,
}

impl Default for RuleBook {
    /// Decree 101/2017 for everyone from its effect (15 October 2017), until
    /// 30 June 2025 for civil servants; Decree 171/2025 for civil servants from
    /// 1 July 2025. Public employees and cadres stay on 101/2017 until the
    /// province configures the next rule (a 2026 decree on public employees is
    /// reported, unverified).
    fn default() -> Self {
        let start = NaiveDate::from_ymd_opt(2017, 10, 15).expect("valid date");
        let civil = vec![Category::CivilServant, Category::CommuneCivilServant];
        let others = vec![
            Category::Cadre,
            Category::CommuneCadre,
            Category::PublicEmployee,
            Category::NonProfessional,
        ];
        RuleBook {
            rules: vec![
                DatedRule {
                    rule: CompensationRule::Decree101,
                    categories: civil.clone(),
                    from: start,
                    to: Some(REFORM_2025),
                    params: RuleParams::decree_101(),
                },
                DatedRule {
                    rule: CompensationRule::Decree101,
                    categories: others,
                    from: start,
                    to: None,
                    params: RuleParams::decree_101(),
                },
                DatedRule {
                    rule: CompensationRule::Decree171,
                    categories: civil,
                    from: REFORM_2025,
                    to: None,
                    params: RuleParams::decree_171(),
                },
            ],
        }
    }
}

impl RuleBook {
    /// The rule for a category on a day. From 1 July 2025 commune civil
    /// servants and cadres are read as civil servants and cadres.
    pub fn rule_for(&self, category: Category, on: NaiveDate) -> Option<&DatedRule> {
        let category = if on >= REFORM_2025 {
            category.after_reform_2025()
        } else {
            category
        };
        self.rules
            .iter()
            .filter(|r| {
                r.categories.contains(&category) && r.from <= on && r.to.is_none_or(|t| on < t)
            })
            .max_by_key(|r| r.from)
    }
}

/// Why a rule could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum CommitmentError {
    #[error("không có quy định về cam kết phục vụ cho {category} vào ngày {on}")]
    NoRule { category: String, on: NaiveDate },
    #[error("thời gian đào tạo phải lớn hơn 0 tháng")]
    NoDuration,
}

/// A learner's commitment to serve, made when sent to study.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCommitment {
    pub person_id: i64,
    pub category: Category,
    pub rule: CompensationRule,
    /// The parameters in force on the posting date, kept with the commitment.
    pub params: RuleParams,
    /// Day of the decision sending the person (cử đi học).
    pub posted_on: NaiveDate,
    /// Training duration in months.
    pub training_months: u32,
    /// The last day of the course.
    pub course_ends_on: NaiveDate,
    /// T1: months of service committed.
    pub months_committed: u32,
    /// The day the commitment is fulfilled.
    pub serve_until: NaiveDate,
    /// F: the cost paid for this person (tuition and course costs, not salary), đồng.
    pub cost: i64,
    /// Full years of service before the posting (for the reduction).
    pub prior_service_years: u32,
    pub female: bool,
    pub ethnic_minority: bool,
}

impl ServiceCommitment {
    /// Records a commitment under the rule in force for the category on the posting date.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        book: &RuleBook,
        person_id: i64,
        category: Category,
        posted_on: NaiveDate,
        training_months: u32,
        course_ends_on: NaiveDate,
        cost: i64,
        prior_service_years: u32,
        female: bool,
        ethnic_minority: bool,
    ) -> Result<ServiceCommitment, CommitmentError> {
        if training_months == 0 {
            return Err(CommitmentError::NoDuration);
        }
        let rule = book
            .rule_for(category, posted_on)
            .ok_or_else(|| CommitmentError::NoRule {
                category: category.label().to_string(),
                on: posted_on,
            })?;
        let months_committed = rule.params.commitment_multiplier * training_months;
        Ok(ServiceCommitment {
            person_id,
            category,
            rule: rule.rule,
            params: rule.params.clone(),
            posted_on,
            training_months,
            course_ends_on,
            months_committed,
            serve_until: add_months(course_ends_on, months_committed as i32),
            cost,
            prior_service_years,
            female,
            ethnic_minority,
        })
    }
}

code_enum! {
    pub enum DepartureReason {
        QuitDuringTraining => ("bo_hoc", "Tự ý bỏ học, thôi việc trong thời gian đào tạo"),
        NoDegree => ("khong_cap_bang", "Không được cấp bằng tốt nghiệp"),
        DisciplineDismissal => ("buoc_thoi_viec", "Bị kỷ luật buộc thôi việc"),
        LeftEarly => ("thoi_viec_truoc_han", "Thôi việc, chuyển công tác khi chưa phục vụ đủ thời gian cam kết"),
        Resigned => ("xin_thoi_viec", "Tự ý bỏ việc hoặc xin thôi việc khi chưa phục vụ đủ thời gian cam kết"),
        TransferredOut => ("chuyen_ra_ngoai", "Chuyển công tác ra ngoài khu vực nhà nước khi chưa phục vụ đủ thời gian cam kết"),
    }
}

impl DepartureReason {
    /// Leaving the service before the commitment ends (the pro rata formula
    /// once the course is over), as opposed to failing the course itself.
    pub fn is_leaving_service(self) -> bool {
        matches!(
            self,
            DepartureReason::LeftEarly
                | DepartureReason::Resigned
                | DepartureReason::TransferredOut
        )
    }
}

/// The training duration in months from the course's first and last day: the
/// whole months, a started month counted as one (the commitment errs on the
/// side of the state, and a course ending the day before its anniversary is
/// the full year).
pub fn course_months(starts_on: NaiveDate, ends_on: NaiveDate) -> u32 {
    let Some(after) = ends_on.succ_opt() else {
        return 0;
    };
    if after <= starts_on {
        return 0;
    }
    let whole = whole_months(starts_on, after);
    if add_months(starts_on, whole as i32) < after {
        whole + 1
    } else {
        whole
    }
}

/// Full years from `from` to `to` (0 if `to` is before `from`).
pub fn whole_years(from: NaiveDate, to: NaiveDate) -> u32 {
    whole_months(from, to) / 12
}

/// Whether an education level is postgraduate (master's, doctorate and the
/// medical specialist levels), the training a service commitment follows.
pub fn is_postgraduate(level: &str) -> bool {
    matches!(
        level,
        "thac_si" | "tien_si" | "chuyen_khoa_1" | "chuyen_khoa_2"
    )
}

/// What is owed, with the working shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compensation {
    pub rule: CompensationRule,
    pub reason: DepartureReason,
    /// F.
    pub cost: i64,
    /// T1 and T2, in months (T2 is 0 when the whole cost is owed).
    pub months_committed: u32,
    pub months_served: u32,
    /// Before the reduction.
    pub gross: i64,
    pub reduction_bp: u32,
    pub amount: i64,
    /// The computation in words (Vietnamese), line by line.
    pub working: Vec<String>,
    pub unverified: Vec<String>,
}

/// Whole months from `from` to `to` (0 if `to` is before `from`).
pub fn whole_months(from: NaiveDate, to: NaiveDate) -> u32 {
    let mut m = 0;
    while add_months(from, m as i32 + 1) <= to {
        m += 1;
    }
    m
}

fn div_round(num: i128, den: i128) -> i64 {
    ((2 * num + den) / (2 * den)) as i64
}

/// The compensation owed by a person leaving on `left_on` for `reason`.
pub fn compensation(
    c: &ServiceCommitment,
    left_on: NaiveDate,
    reason: DepartureReason,
) -> Compensation {
    use crate::budget::format_dong;
    let p = &c.params;
    let mut working = vec![format!("Áp dụng {}", c.rule.label())];
    let during_course = left_on <= c.course_ends_on;
    let full = match reason {
        DepartureReason::QuitDuringTraining | DepartureReason::NoDegree => true,
        DepartureReason::DisciplineDismissal => during_course,
        DepartureReason::LeftEarly
        | DepartureReason::Resigned
        | DepartureReason::TransferredOut => during_course,
    };
    let owes = reason != DepartureReason::DisciplineDismissal || p.dismissal_owes;
    let t1 = c.months_committed;
    let (t2, gross) = if !owes {
        working.push(
            "Trường hợp bị kỷ luật buộc thôi việc không phải đền bù theo quy định này".into(),
        );
        (0, 0)
    } else if full {
        working.push(format!(
            "Đền bù 100% chi phí đào tạo: {} đồng",
            format_dong(c.cost)
        ));
        (0, c.cost)
    } else {
        let served_from = c.course_ends_on.succ_opt().unwrap_or(c.course_ends_on);
        let t2 = whole_months(served_from, left_on).min(t1);
        let s = div_round(c.cost as i128 * (t1 - t2) as i128, t1 as i128);
        working.push(format!(
            "S = F / T1 × (T1 − T2) = {} / {t1} × ({t1} − {t2}) = {} đồng",
            format_dong(c.cost),
            format_dong(s)
        ));
        (t2, s)
    };
    let mut reduction_bp = 0;
    if p.reductions_apply && gross > 0 && c.prior_service_years > 0 {
        let per_year = if c.female || c.ethnic_minority {
            p.reduction_bp_per_year_priority
        } else {
            p.reduction_bp_per_year
        };
        reduction_bp = (per_year * c.prior_service_years).min(10_000);
        working.push(format!(
            "Giảm {},{:02}% cho {} năm công tác trước khi được cử đi học",
            reduction_bp / 100,
            reduction_bp % 100,
            c.prior_service_years
        ));
    }
    let amount = div_round(gross as i128 * (10_000 - reduction_bp) as i128, 10_000);
    working.push(format!("Số tiền phải đền bù: {} đồng", format_dong(amount)));
    Compensation {
        rule: c.rule,
        reason,
        cost: c.cost,
        months_committed: t1,
        months_served: t2,
        gross,
        reduction_bp,
        amount,
        working,
        unverified: p.unverified.clone(),
    }
}

/// Checks the conditions for a first postgraduate posting; returns what fails (Vietnamese).
pub fn eligibility(
    params: &RuleParams,
    age_at_posting: u32,
    service_years: u32,
    good_rating_years: u32,
) -> Vec<String> {
    let mut out = Vec::new();
    if service_years < params.min_service_years {
        out.push(format!(
            "Chưa đủ {} năm công tác (không kể thời gian tập sự)",
            params.min_service_years
        ));
    }
    if good_rating_years < params.good_rating_years {
        out.push(format!(
            "Chưa đủ {} năm liền kề được xếp loại hoàn thành tốt nhiệm vụ trở lên",
            params.good_rating_years
        ));
    }
    if age_at_posting > params.max_first_postgraduate_age {
        out.push(format!(
            "Quá {} tuổi khi được cử đi đào tạo sau đại học lần đầu",
            params.max_first_postgraduate_age
        ));
    }
    out
}

fn day(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The whole working of a compensation, as the decision states it (Vietnamese,
/// one step a line): the rule and who it applies to, the reason, F, T1, T2
/// with the days counted, then the formula, any reduction, the amount and how
/// it is rounded.
pub fn working(c: &ServiceCommitment, k: &Compensation, left_on: NaiveDate) -> Vec<String> {
    use crate::budget::format_dong;
    let mut out = vec![
        format!(
            "Áp dụng {} (đối tượng: {}, cử đi học ngày {})",
            c.rule.label(),
            c.category.label(),
            day(c.posted_on)
        ),
        format!("Lý do: {} (ngày {})", k.reason.label(), day(left_on)),
        format!(
            "F (chi phí đào tạo do Nhà nước chi trả) = {} đồng",
            format_dong(c.cost)
        ),
        format!(
            "T1 (thời gian cam kết phục vụ) = {} × {} tháng đào tạo = {} tháng, đến hết ngày {}",
            c.params.commitment_multiplier,
            c.training_months,
            c.months_committed,
            day(c.serve_until)
        ),
    ];
    // T2 counts only where the pro rata formula applies.
    if k.working.iter().any(|l| l.starts_with("S = ")) {
        let from = c.course_ends_on.succ_opt().unwrap_or(c.course_ends_on);
        out.push(format!(
            "T2 (thời gian đã phục vụ sau khi học xong, tính tròn tháng từ ngày {} đến ngày {}) = {} tháng",
            day(from),
            day(left_on),
            k.months_served
        ));
    }
    out.extend(k.working.iter().skip(1).cloned());
    out.push("Số tiền tính đến đồng; phần lẻ từ 0,5 đồng trở lên làm tròn lên 1 đồng".into());
    out
}
