//! A proposed plan: the people in [`Needs`] grouped into classes, scheduled
//! over the years left to the horizon, priced, and chosen under a budget
//! ceiling. The proposal is a draft that people edit ([`Proposal::move_seat`],
//! [`Proposal::check`]), not a decision.
//!
//! ## Grouping and scheduling ([`propose`])
//! * People needing a programme are taken in priority order (E overdue, E
//!   pending by deadline, succession planning, targets at risk, others) and cut
//!   into `k = ⌈N / max⌉` classes of balanced sizes (they differ by at most one),
//!   all within `[min, max]` (40–50 by default). When `N < k × min` the last
//!   `N − (k − 1) × max` people (the lowest priority) are left unplaced, "not
//!   enough for a class", rather than opening a class below the minimum.
//! * Institutions give a number of class slots per year (their capacity,
//!   shared by the programmes they run), spread over the year; in the first
//!   year only over the months from the earliest start, pro rata.
//! * Classes are scheduled earliest deadline first: a class holding E people
//!   takes the earliest free slot that ends on or before its earliest deadline
//!   (else the earliest free slot, and its late seats are reported); the other
//!   classes of a programme are spread evenly over the years to the horizon.
//!
//! ## Choosing under a ceiling ([`fund`])
//! A class closes `gap_units`: the (person, target) pairs it trains within the
//! targets' needs. Choosing the classes that close the most gap for at most the
//! ceiling is a 0/1 knapsack. It is solved exactly by dynamic programming over
//! the integer gap closed ([`best_subset`]): for every total gap `v`, the
//! cheapest set of classes closing exactly `v` (ties: more E people). Time and
//! memory are O(n × V) for n classes and V the total gap (a province: a few
//! hundred classes × a few ten thousand units, a few MB of bits). Costs stay
//! exact integers in đồng, the optimum is exact, and a larger ceiling can only
//! admit more sets, so the gap closed never shrinks as the ceiling grows. An
//! integer-programming solver (good_lp) would add a floating-point LP
//! whose tolerances could break both "cost ≤ ceiling" to the đồng and that
//! monotonicity, and a heavier build on shared 2-core machines, for a problem
//! with one constraint (or one per year, which splits into independent
//! knapsacks) that this DP solves exactly.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use nangluc_core::code_enum;
use nangluc_core::time::add_months;
use nangluc_core::training::StudyForm;

use crate::budget::{CostInput, CostNorms, Estimate, estimate, format_dong};
use crate::needs::{Needs, PersonNeed, Priority};

/// How a programme is run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeOffer {
    pub code: String,
    pub name: String,
    pub form: StudyForm,
    /// Teaching sessions (buổi).
    pub sessions: u32,
    /// Days of study (meals, lodging).
    pub study_days: u32,
    /// Calendar days from the first to the last day of a class.
    pub duration_days: u32,
    /// Institutions that run it, preferred first.
    pub institutions: Vec<String>,
}

/// A training institution and the classes it can run a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionCapacity {
    pub code: String,
    pub name: String,
    /// The province whose cost norms apply.
    pub province: Option<String>,
    pub classes_per_year: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalSettings {
    /// No class starts before this day.
    pub earliest_start: NaiveDate,
    /// The last year of the plan.
    pub horizon: i32,
    pub class_min: u32,
    pub class_max: u32,
    /// Province for cost norms when the institution has none.
    pub province: Option<String>,
    /// Also place people beyond what the targets need.
    pub include_beyond_need: bool,
}

impl ProposalSettings {
    /// Classes of 40–50 from `earliest_start` to the end of `horizon`.
    pub fn new(earliest_start: NaiveDate, horizon: i32) -> Self {
        ProposalSettings {
            earliest_start,
            horizon,
            class_min: 40,
            class_max: 50,
            province: None,
            include_beyond_need: false,
        }
    }
}

/// A person in a proposed class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    pub person_id: i64,
    pub name: String,
    pub unit_code: Option<String>,
    pub unit: Option<String>,
    pub priority: Priority,
    pub deadline: Option<NaiveDate>,
    /// Targets whose need this seat closes.
    pub targets: Vec<String>,
    pub gap_units: u32,
}

/// A proposed class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedClass {
    pub code: String,
    pub programme: String,
    pub programme_name: String,
    pub institution: String,
    pub institution_name: String,
    pub year: i32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub form: StudyForm,
    pub sessions: u32,
    pub study_days: u32,
    pub province: Option<String>,
    pub seats: Vec<Seat>,
    pub estimate: Estimate,
}

impl ProposedClass {
    pub fn size(&self) -> u32 {
        self.seats.len() as u32
    }
    pub fn cost(&self) -> i64 {
        self.estimate.total
    }
    pub fn gap_units(&self) -> u32 {
        self.seats.iter().map(|s| s.gap_units).sum()
    }
    /// Seats of people with an E deadline (overdue or pending).
    pub fn e_people(&self) -> u32 {
        self.seats
            .iter()
            .filter(|s| matches!(s.priority, Priority::EOverdue | Priority::EPending))
            .count() as u32
    }
    /// The earliest E deadline of the class.
    pub fn deadline(&self) -> Option<NaiveDate> {
        self.seats.iter().filter_map(|s| s.deadline).min()
    }
    /// Seats whose deadline falls before the class ends.
    pub fn late_seats(&self) -> impl Iterator<Item = &Seat> {
        self.seats
            .iter()
            .filter(|s| s.deadline.is_some_and(|d| self.ends_on > d))
    }

    /// Prices the class again (after an edit, or with other norms).
    pub fn reprice(&mut self, norms: &CostNorms) {
        self.estimate = estimate(
            norms,
            &CostInput {
                form: self.form,
                province: self.province.clone(),
                on: self.starts_on,
                learners: self.size(),
                sessions: self.sessions,
                study_days: self.study_days,
            },
        );
    }
}

code_enum! {
    pub enum UnplacedReason {
        TooFew => ("khong_du_si_so", "Không đủ sĩ số tối thiểu để mở thêm lớp"),
        NoCapacity => ("het_nang_luc", "Cơ sở đào tạo không còn chỗ đến hết kỳ kế hoạch"),
        NoOffer => ("chua_co_co_so", "Chưa có cơ sở đào tạo tổ chức chương trình này"),
        BeyondNeed => ("ngoai_nhu_cau", "Ngoài số người cần để đạt chỉ tiêu"),
        Dropped => ("lop_da_bo", "Lớp đề xuất đã bị bỏ khi chỉnh sửa dự thảo"),
    }
}

/// A person needing a programme left out of every class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unplaced {
    pub person_id: i64,
    pub name: String,
    pub unit_code: Option<String>,
    pub programme: String,
    pub priority: Priority,
    pub deadline: Option<NaiveDate>,
    pub gap_units: u32,
    pub reason: UnplacedReason,
}

/// The draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub plan_id: String,
    pub as_of: NaiveDate,
    pub settings: ProposalSettings,
    /// By first day, then programme.
    pub classes: Vec<ProposedClass>,
    pub unplaced: Vec<Unplaced>,
    /// Per target: the people within its need (from [`Needs`]).
    pub gap_by_target: BTreeMap<String, u32>,
    /// Capacity per institution and year, to check edits against.
    pub capacity: BTreeMap<String, u32>,
}

/// An edit that cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ProposalError {
    #[error("không có lớp {0}")]
    NoClass(String),
    #[error("người có mã {person_id} không có trong lớp {class}")]
    NotInClass { person_id: i64, class: String },
    #[error("lớp {to} thuộc chương trình khác với lớp {from}")]
    OtherProgramme { from: String, to: String },
}

fn seat(p: &PersonNeed) -> Seat {
    Seat {
        person_id: p.person_id,
        name: p.name.clone(),
        unit_code: p.unit_code.clone(),
        unit: p.unit.clone(),
        priority: p.priority,
        deadline: p.deadline,
        targets: p
            .reasons
            .iter()
            .filter(|r| r.within_need)
            .map(|r| r.target_id.clone())
            .collect(),
        gap_units: p.gap_units,
    }
}

fn unplaced(p: &PersonNeed, reason: UnplacedReason) -> Unplaced {
    Unplaced {
        person_id: p.person_id,
        name: p.name.clone(),
        unit_code: p.unit_code.clone(),
        programme: p.programme.clone(),
        priority: p.priority,
        deadline: p.deadline,
        gap_units: p.gap_units,
        reason,
    }
}

/// Sizes of the classes for `n` people: balanced, within bounds; the people
/// beyond them (at the end of the order) are left over.
pub fn class_sizes(n: u32, min: u32, max: u32) -> (Vec<u32>, u32) {
    if n == 0 || max == 0 {
        return (vec![], n);
    }
    let mut k = n.div_ceil(max);
    let placed = if n >= k * min {
        n
    } else {
        k -= 1;
        k * max
    };
    let sizes = (0..k)
        .map(|i| placed / k + u32::from(i < placed % k))
        .collect();
    (sizes, n - placed)
}

struct Slot {
    institution: usize,
    year: i32,
    starts_on: NaiveDate,
    used: bool,
}

/// Groups the needs into classes, schedules and prices them.
pub fn propose(
    needs: &Needs,
    offers: &[ProgrammeOffer],
    institutions: &[InstitutionCapacity],
    norms: &CostNorms,
    settings: &ProposalSettings,
) -> Proposal {
    let first_year = settings.earliest_start.year();
    let years = (settings.horizon - first_year + 1).max(0);

    // Slots, per institution and year, spread over the months available.
    let mut slots: Vec<Slot> = Vec::new();
    for (ii, inst) in institutions.iter().enumerate() {
        for year in first_year..=settings.horizon {
            let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid date");
            let from = jan1.max(settings.earliest_start);
            let months = 12 - from.month0();
            let cap = if year == first_year {
                (inst.classes_per_year * months).div_ceil(12)
            } else {
                inst.classes_per_year
            };
            for s in 0..cap {
                let starts_on = add_months(from, (s * months / cap.max(1)) as i32);
                slots.push(Slot {
                    institution: ii,
                    year,
                    starts_on,
                    used: false,
                });
            }
        }
    }
    slots.sort_by_key(|s| (s.starts_on, s.institution));

    // Chunks of people per programme.
    struct Chunk<'a> {
        offer: usize,
        people: Vec<&'a PersonNeed>,
        preferred_year: i32,
    }
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut left: Vec<Unplaced> = Vec::new();
    let programmes: BTreeSet<&str> = needs.people.iter().map(|p| p.programme.as_str()).collect();
    for prog in programmes {
        let mut people: Vec<&PersonNeed> = needs.for_programme(prog).collect();
        people.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        let (take, beyond): (Vec<&PersonNeed>, Vec<&PersonNeed>) = people
            .into_iter()
            .partition(|p| settings.include_beyond_need || p.gap_units > 0);
        left.extend(
            beyond
                .into_iter()
                .map(|p| unplaced(p, UnplacedReason::BeyondNeed)),
        );
        let Some(oi) = offers
            .iter()
            .position(|o| o.code == prog && !o.institutions.is_empty())
        else {
            left.extend(
                take.into_iter()
                    .map(|p| unplaced(p, UnplacedReason::NoOffer)),
            );
            continue;
        };
        let (sizes, rest) = class_sizes(take.len() as u32, settings.class_min, settings.class_max);
        let mut it = take.into_iter();
        let mut spread_index = 0u32;
        let mut built = Vec::new();
        for size in sizes {
            let people: Vec<&PersonNeed> = it.by_ref().take(size as usize).collect();
            built.push(people);
        }
        let n_undated = built
            .iter()
            .filter(|c| c.iter().all(|p| p.deadline.is_none()))
            .count() as u32;
        for people in built {
            let preferred_year = if people.iter().any(|p| p.deadline.is_some()) {
                first_year
            } else {
                let y = first_year
                    + (spread_index as i64 * years as i64 / n_undated.max(1) as i64) as i32;
                spread_index += 1;
                y
            };
            chunks.push(Chunk {
                offer: oi,
                people,
                preferred_year,
            });
        }
        debug_assert_eq!(it.len() as u32, rest);
        left.extend(it.map(|p| unplaced(p, UnplacedReason::TooFew)));
    }

    // Earliest deadline first, then priority, then programme and order.
    let mut order: Vec<usize> = (0..chunks.len()).collect();
    let chunk_key = |c: &Chunk| {
        let d = c
            .people
            .iter()
            .filter_map(|p| p.deadline)
            .min()
            .unwrap_or(NaiveDate::MAX);
        let pr = c
            .people
            .iter()
            .map(|p| p.priority)
            .min()
            .unwrap_or(Priority::Other);
        (d, pr, c.preferred_year)
    };
    order.sort_by(|&a, &b| {
        chunk_key(&chunks[a])
            .cmp(&chunk_key(&chunks[b]))
            .then(a.cmp(&b))
    });

    let inst_index: BTreeMap<&str, usize> = institutions
        .iter()
        .enumerate()
        .map(|(i, x)| (x.code.as_str(), i))
        .collect();
    let mut classes: Vec<ProposedClass> = Vec::new();
    for ci in order {
        let chunk = &chunks[ci];
        let offer = &offers[chunk.offer];
        let pref: Vec<usize> = offer
            .institutions
            .iter()
            .filter_map(|c| inst_index.get(c.as_str()).copied())
            .collect();
        let ends = |s: &Slot| s.starts_on + Days::new(offer.duration_days.saturating_sub(1) as u64);
        let free = |s: &Slot| !s.used && pref.contains(&s.institution);
        let rank = |s: &Slot| {
            pref.iter()
                .position(|&i| i == s.institution)
                .unwrap_or(usize::MAX)
        };
        let deadline = chunk.people.iter().filter_map(|p| p.deadline).min();
        let pick = match deadline {
            Some(d) => slots
                .iter()
                .enumerate()
                .filter(|(_, s)| free(s) && ends(s) <= d)
                .min_by_key(|(_, s)| (s.starts_on, rank(s)))
                .or_else(|| {
                    slots
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| free(s))
                        .min_by_key(|(_, s)| (s.starts_on, rank(s)))
                }),
            None => slots
                .iter()
                .enumerate()
                .filter(|(_, s)| free(s))
                .min_by_key(|(_, s)| (s.year < chunk.preferred_year, s.starts_on, rank(s))),
        }
        .map(|(i, _)| i);
        let Some(si) = pick else {
            left.extend(
                chunk
                    .people
                    .iter()
                    .map(|p| unplaced(p, UnplacedReason::NoCapacity)),
            );
            continue;
        };
        slots[si].used = true;
        let slot = &slots[si];
        let inst = &institutions[slot.institution];
        let mut class = ProposedClass {
            code: String::new(),
            programme: offer.code.clone(),
            programme_name: offer.name.clone(),
            institution: inst.code.clone(),
            institution_name: inst.name.clone(),
            year: slot.year,
            starts_on: slot.starts_on,
            ends_on: ends(slot),
            form: offer.form,
            sessions: offer.sessions,
            study_days: offer.study_days,
            province: inst.province.clone().or_else(|| settings.province.clone()),
            seats: chunk.people.iter().map(|p| seat(p)).collect(),
            estimate: Estimate::default(),
        };
        class.reprice(norms);
        classes.push(class);
    }

    classes.sort_by(|a, b| {
        (a.starts_on, &a.programme, &a.institution).cmp(&(
            b.starts_on,
            &b.programme,
            &b.institution,
        ))
    });
    let mut seq: BTreeMap<(String, i32), u32> = BTreeMap::new();
    for c in &mut classes {
        let n = seq.entry((c.programme.clone(), c.year)).or_default();
        *n += 1;
        c.code = format!("{}-{}-{:02}", c.programme, c.year, n);
    }
    left.sort_by(|a, b| {
        (&a.programme, a.priority, a.deadline, a.person_id).cmp(&(
            &b.programme,
            b.priority,
            b.deadline,
            b.person_id,
        ))
    });
    let capacity = institutions
        .iter()
        .map(|i| (i.code.clone(), i.classes_per_year))
        .collect();
    Proposal {
        plan_id: needs.plan_id.clone(),
        as_of: needs.as_of,
        settings: settings.clone(),
        classes,
        unplaced: left,
        gap_by_target: needs.gap_by_target.clone(),
        capacity,
    }
}

impl Proposal {
    pub fn class(&self, code: &str) -> Option<&ProposedClass> {
        self.classes.iter().find(|c| c.code == code)
    }

    /// Moves a person from one class to another of the same programme (an edit
    /// of the draft). Reprice the two classes afterwards.
    pub fn move_seat(&mut self, person_id: i64, from: &str, to: &str) -> Result<(), ProposalError> {
        let fi = self
            .classes
            .iter()
            .position(|c| c.code == from)
            .ok_or_else(|| ProposalError::NoClass(from.into()))?;
        let ti = self
            .classes
            .iter()
            .position(|c| c.code == to)
            .ok_or_else(|| ProposalError::NoClass(to.into()))?;
        if self.classes[fi].programme != self.classes[ti].programme {
            return Err(ProposalError::OtherProgramme {
                from: from.into(),
                to: to.into(),
            });
        }
        let si = self.classes[fi]
            .seats
            .iter()
            .position(|s| s.person_id == person_id)
            .ok_or_else(|| ProposalError::NotInClass {
                person_id,
                class: from.into(),
            })?;
        let seat = self.classes[fi].seats.remove(si);
        self.classes[ti].seats.push(seat);
        Ok(())
    }

    /// Drops a class from the draft (an edit): its people go to the unplaced
    /// list, "dropped", so the gap they leave stays visible.
    pub fn drop_class(&mut self, code: &str) -> Result<ProposedClass, ProposalError> {
        let i = self
            .classes
            .iter()
            .position(|c| c.code == code)
            .ok_or_else(|| ProposalError::NoClass(code.into()))?;
        let class = self.classes.remove(i);
        self.unplaced.extend(class.seats.iter().map(|s| Unplaced {
            person_id: s.person_id,
            name: s.name.clone(),
            unit_code: s.unit_code.clone(),
            programme: class.programme.clone(),
            priority: s.priority,
            deadline: s.deadline,
            gap_units: s.gap_units,
            reason: UnplacedReason::Dropped,
        }));
        Ok(class)
    }

    /// Prices every class again under `norms` (after edits, or new norms).
    pub fn reprice(&mut self, norms: &CostNorms) {
        for c in &mut self.classes {
            c.reprice(norms);
        }
    }

    /// What the draft breaks, in Vietnamese: class sizes out of bounds, people
    /// placed after their deadline, institutions over capacity.
    pub fn check(&self) -> Vec<String> {
        let mut out = Vec::new();
        let (min, max) = (self.settings.class_min, self.settings.class_max);
        let mut per_year: BTreeMap<(&str, i32), u32> = BTreeMap::new();
        for c in &self.classes {
            if c.size() < min || c.size() > max {
                out.push(format!(
                    "Lớp {} có {} học viên, ngoài giới hạn {}–{}",
                    c.code,
                    c.size(),
                    min,
                    max
                ));
            }
            for s in c.late_seats() {
                out.push(format!(
                    "{} (lớp {}) phải hoàn thành trước ngày {} nhưng lớp kết thúc ngày {}",
                    s.name,
                    c.code,
                    s.deadline
                        .map(|d| d.format("%d/%m/%Y").to_string())
                        .unwrap_or_default(),
                    c.ends_on.format("%d/%m/%Y")
                ));
            }
            *per_year
                .entry((c.institution.as_str(), c.year))
                .or_default() += 1;
        }
        for ((inst, year), n) in per_year {
            if let Some(&cap) = self.capacity.get(inst).filter(|&&cap| n > cap) {
                out.push(format!(
                    "Cơ sở {inst} có {n} lớp trong năm {year}, vượt năng lực {cap} lớp/năm"
                ));
            }
        }
        out
    }

    pub fn total_cost(&self) -> i64 {
        self.classes.iter().map(|c| c.cost()).sum()
    }
}

/// A budget ceiling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Ceiling {
    Unlimited,
    /// One ceiling for the whole plan.
    Total {
        amount: i64,
    },
    /// One ceiling per year (a year not listed has none: nothing funded).
    PerYear {
        #[serde(with = "year_keys")]
        amounts: BTreeMap<i32, i64>,
    },
}

/// Years as the keys of a JSON object ("2027"). serde_json reads integer
/// keys from strings only when it deserialises the map itself, not through
/// the buffer of an internally tagged enum such as [`Ceiling`].
mod year_keys {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(m: &BTreeMap<i32, i64>, s: S) -> Result<S::Ok, S::Error> {
        m.iter()
            .map(|(y, a)| (y.to_string(), *a))
            .collect::<BTreeMap<String, i64>>()
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<i32, i64>, D::Error> {
        BTreeMap::<String, i64>::deserialize(d)?
            .into_iter()
            .map(|(y, a)| {
                y.parse()
                    .map(|y| (y, a))
                    .map_err(|_| serde::de::Error::custom(format!("năm không hợp lệ: {y}")))
            })
            .collect()
    }
}

/// One item for [`best_subset`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    pub value: u32,
    pub cost: i64,
    /// Tie-break: among the cheapest sets of the best value, the most urgent.
    pub urgency: u32,
}

/// The exact 0/1 knapsack: indices of items of the greatest total value with
/// total cost at most `ceiling`; among those, the least cost, then the
/// greatest urgency. Dynamic programming over the total value (see the module
/// documentation).
pub fn best_subset(items: &[Item], ceiling: i64) -> Vec<usize> {
    let total: usize = items.iter().map(|i| i.value as usize).sum();
    // best[v] = (cost, -urgency) of the best set closing exactly v.
    let mut best: Vec<Option<(i64, i64)>> = vec![None; total + 1];
    best[0] = Some((0, 0));
    let words = (total + 1).div_ceil(64);
    let mut took: Vec<Vec<u64>> = Vec::with_capacity(items.len());
    let mut reach = 0usize;
    for it in items {
        let mut bits = vec![0u64; words];
        let w = it.value as usize;
        if w > 0 && it.cost >= 0 && it.cost <= ceiling {
            for v in (w..=reach + w).rev() {
                if let Some((c, u)) = best[v - w] {
                    let cand = (c + it.cost, u - it.urgency as i64);
                    if cand.0 <= ceiling && best[v].is_none_or(|b| cand < b) {
                        best[v] = Some(cand);
                        bits[v / 64] |= 1 << (v % 64);
                    }
                }
            }
            reach += w;
        }
        took.push(bits);
    }
    let Some(mut v) = (0..=total).rev().find(|&v| best[v].is_some()) else {
        return vec![];
    };
    let mut chosen = Vec::new();
    for i in (0..items.len()).rev() {
        if v > 0 && took[i][v / 64] >> (v % 64) & 1 == 1 {
            chosen.push(i);
            v -= items[i].value as usize;
        }
    }
    chosen.reverse();
    chosen
}

/// A class left unfunded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnfundedClass {
    pub code: String,
    pub programme: String,
    pub year: i32,
    pub size: u32,
    pub cost: i64,
    pub gap_units: u32,
    pub e_people: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearFunding {
    pub year: i32,
    pub ceiling: Option<i64>,
    pub classes: u32,
    pub funded_classes: u32,
    pub cost: i64,
    pub funded_cost: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetFunding {
    pub target_id: String,
    /// People within the target's need.
    pub gap: u32,
    /// Of them, placed in a proposed class.
    pub proposed: u32,
    /// Of them, in a funded class.
    pub funded: u32,
}

/// The classes chosen under a ceiling, and what is left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funding {
    pub ceiling: Ceiling,
    pub funded: Vec<String>,
    pub unfunded: Vec<UnfundedClass>,
    pub cost_funded: i64,
    pub cost_unfunded: i64,
    /// Gap units of all proposed classes, of the funded ones, of the rest.
    pub gap_proposed: u32,
    pub gap_closed: u32,
    pub gap_unfunded: u32,
    /// Gap units of people placed in no class.
    pub gap_unplaced: u32,
    pub people_funded: u32,
    pub people_unfunded: u32,
    pub people_unplaced: u32,
    pub by_year: Vec<YearFunding>,
    pub by_target: Vec<TargetFunding>,
    /// One sentence for the page (Vietnamese).
    pub summary: String,
}

/// Chooses the classes that close the most gap under the ceiling.
pub fn fund(proposal: &Proposal, ceiling: &Ceiling) -> Funding {
    let classes = &proposal.classes;
    let item = |c: &ProposedClass| Item {
        value: c.gap_units(),
        cost: c.cost(),
        urgency: c.e_people(),
    };
    let mut chosen: BTreeSet<usize> = BTreeSet::new();
    match ceiling {
        Ceiling::Unlimited => {
            chosen.extend((0..classes.len()).filter(|&i| classes[i].gap_units() > 0))
        }
        Ceiling::Total { amount } => {
            let items: Vec<Item> = classes.iter().map(item).collect();
            chosen.extend(best_subset(&items, *amount));
        }
        Ceiling::PerYear { amounts } => {
            let years: BTreeSet<i32> = classes.iter().map(|c| c.year).collect();
            for y in years {
                let idx: Vec<usize> = (0..classes.len())
                    .filter(|&i| classes[i].year == y)
                    .collect();
                let items: Vec<Item> = idx.iter().map(|&i| item(&classes[i])).collect();
                let cap = amounts.get(&y).copied().unwrap_or(0);
                chosen.extend(best_subset(&items, cap).into_iter().map(|k| idx[k]));
            }
        }
    }

    let mut f = Funding {
        ceiling: ceiling.clone(),
        funded: Vec::new(),
        unfunded: Vec::new(),
        cost_funded: 0,
        cost_unfunded: 0,
        gap_proposed: 0,
        gap_closed: 0,
        gap_unfunded: 0,
        gap_unplaced: proposal.unplaced.iter().map(|u| u.gap_units).sum(),
        people_funded: 0,
        people_unfunded: 0,
        people_unplaced: proposal.unplaced.len() as u32,
        by_year: Vec::new(),
        by_target: Vec::new(),
        summary: String::new(),
    };
    let mut years: BTreeMap<i32, YearFunding> = BTreeMap::new();
    let mut targets: BTreeMap<String, TargetFunding> = proposal
        .gap_by_target
        .iter()
        .map(|(t, g)| {
            (
                t.clone(),
                TargetFunding {
                    target_id: t.clone(),
                    gap: *g,
                    proposed: 0,
                    funded: 0,
                },
            )
        })
        .collect();
    for (i, c) in classes.iter().enumerate() {
        let funded = chosen.contains(&i);
        let y = years.entry(c.year).or_insert_with(|| YearFunding {
            year: c.year,
            ceiling: match ceiling {
                Ceiling::PerYear { amounts } => Some(amounts.get(&c.year).copied().unwrap_or(0)),
                _ => None,
            },
            classes: 0,
            funded_classes: 0,
            cost: 0,
            funded_cost: 0,
        });
        y.classes += 1;
        y.cost += c.cost();
        f.gap_proposed += c.gap_units();
        for s in &c.seats {
            for t in &s.targets {
                let e = targets.entry(t.clone()).or_insert_with(|| TargetFunding {
                    target_id: t.clone(),
                    gap: 0,
                    proposed: 0,
                    funded: 0,
                });
                e.proposed += 1;
                if funded {
                    e.funded += 1;
                }
            }
        }
        if funded {
            y.funded_classes += 1;
            y.funded_cost += c.cost();
            f.funded.push(c.code.clone());
            f.cost_funded += c.cost();
            f.gap_closed += c.gap_units();
            f.people_funded += c.size();
        } else {
            f.cost_unfunded += c.cost();
            f.gap_unfunded += c.gap_units();
            f.people_unfunded += c.size();
            f.unfunded.push(UnfundedClass {
                code: c.code.clone(),
                programme: c.programme.clone(),
                year: c.year,
                size: c.size(),
                cost: c.cost(),
                gap_units: c.gap_units(),
                e_people: c.e_people(),
            });
        }
    }
    f.by_year = years.into_values().collect();
    f.by_target = targets.into_values().collect();
    f.summary = format!(
        "Bố trí kinh phí cho {} lớp ({} học viên, {} đồng); còn {} lớp chưa có kinh phí ({} học viên, {} đồng) và {} người chưa xếp được lớp",
        f.funded.len(),
        format_dong(i64::from(f.people_funded)),
        format_dong(f.cost_funded),
        f.unfunded.len(),
        format_dong(i64::from(f.people_unfunded)),
        format_dong(f.cost_unfunded),
        format_dong(i64::from(f.people_unplaced))
    );
    f
}
