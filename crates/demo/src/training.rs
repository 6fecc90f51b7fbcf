//! Classes and enrolments. A class is opened when the first learner of its
//! (programme, year, zone) bucket needs a seat, emitted right then, and filled
//! with the next learners of the bucket; only the open class of each bucket is
//! held, so memory does not grow with the number of people.

use std::collections::{HashMap, VecDeque};

use chrono::{Datelike, Duration, NaiveDate};
use nangluc_core::employment::REFORM_2025;
use nangluc_core::qualification::Qualification;
use nangluc_core::training::{Class, ClassStatus, Enrolment, EnrolmentStatus, FundingSource, StudyForm};
use nangluc_core::{Fact, Validity};
use rand::Rng;

use crate::{date, BulkRow, World};

#[derive(Clone, Copy)]
struct OpenClass {
    id: i64,
    starts: NaiveDate,
    ends: NaiveDate,
    seats_left: u32,
}

#[derive(Default)]
struct Bucket {
    open: Option<OpenClass>,
    seq: u32,
}

/// The classes being filled, one per bucket.
#[derive(Default)]
pub struct ClassBook {
    buckets: HashMap<(usize, i32, u8), Bucket>,
    next_id: i64,
}

/// Where a learner goes: a class or, for individual study, just dates.
pub struct Seat {
    pub class_id: Option<i64>,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
}

/// The window in which classes of `prog` may start in `year`, if any.
pub fn window(world: &World, prog: usize, year: i32) -> Option<(NaiveDate, NaiveDate)> {
    let p = &world.progs[prog];
    let today = world.clock.today;
    let mut from = date(year, 1, 5).max(p.runs_from);
    // Next year's classes are planned for its first half only.
    let mut to = if year > today.year() { date(year, 6, 30) } else { date(year, 12, 20) };
    if let Some(end) = p.runs_to {
        to = to.min(end - Duration::days(1));
    }
    if year < 2019 {
        from = from.max(date(2019, 1, 1));
    }
    (from <= to).then_some((from, to))
}

fn place(inst_key: &str, zone: u8, on: NaiveDate, form: StudyForm) -> String {
    if form == StudyForm::Online {
        return "Trực tuyến (hệ thống học tập trực tuyến của tỉnh)".into();
    }
    let local = match (on >= REFORM_2025, zone) {
        (false, 0) => "Phường 3, Thành phố Tây Ninh, tỉnh Tây Ninh",
        (false, _) => "Phường 6, Thành phố Tân An, tỉnh Long An",
        (true, 0) => "Phường Tân Ninh, tỉnh Tây Ninh",
        (true, _) => "Phường Long An, tỉnh Tây Ninh",
    };
    match inst_key {
        "TCT" => format!("Trường Chính trị, {local}"),
        "SNV" | "SGD" | "SYT" => format!("Hội trường {}", local),
        "BCHQS" => format!("Trường Quân sự tỉnh, {local}"),
        "CDTN" => "Trường Cao đẳng Tây Ninh, Phường Ninh Sơn".into(),
        "HVHC" => "Phân viện Học viện Hành chính tại Thành phố Hồ Chí Minh".into(),
        "HVCT2" => "Học viện Chính trị khu vực II, Thành phố Hồ Chí Minh".into(),
        "GDQP" => "Trung tâm Giáo dục quốc phòng và an ninh, Thành phố Hồ Chí Minh".into(),
        "NUS" => "Singapore".into(),
        _ => format!("Lớp mở tại địa phương, {local}"),
    }
}

impl ClassBook {
    #[cfg(test)]
    pub fn buckets(&self) -> usize {
        self.buckets.len()
    }

    /// A seat in a class of `prog` starting in `year` for a learner from `zone`;
    /// emits the class when it opens.
    #[allow(clippy::too_many_arguments)]
    pub fn seat<R: Rng>(&mut self, world: &World, rng: &mut R, prog: usize, year: i32, zone: u8, out: &mut VecDeque<BulkRow>) -> Option<Seat> {
        let (from, to) = window(world, prog, year)?;
        let p = &world.progs[prog];
        let span = (to - from).num_days().max(0);
        if !p.classed {
            let starts = from + Duration::days(rng.random_range(0..=span));
            return Some(Seat { class_id: None, starts, ends: starts + Duration::days(p.days()) });
        }
        let bucket = self.buckets.entry((prog, year, zone)).or_default();
        if bucket.open.is_none_or(|c| c.seats_left == 0) {
            self.next_id += 1;
            let id = self.next_id;
            bucket.seq += 1;
            let starts = from + Duration::days(rng.random_range(0..=span));
            let ends = starts + Duration::days(p.days());
            let institution = world.insts.resolve(p.inst, zone, starts);
            let max_size: i64 = [40, 45, 50][rng.random_range(0..3)];
            let seats = (max_size - rng.random_range(0..8)) as u32;
            let class = Class {
                code: format!("{}-{}-{}{:03}", p.code, year, ["TN", "LA"][zone as usize], bucket.seq),
                programme_id: prog as i64 + 1,
                institution_id: institution,
                starts_on: starts,
                ends_on: ends,
                place: place(p.inst, zone, starts, p.form),
                form: p.form,
                min_size: 25,
                max_size,
                status: ClassStatus::Proposed,
                planned_cost: p.cost * max_size,
                target_group: None,
                unit_quotas: Vec::new(),
            };
            emit_class(world, rng, id, class, out);
            // Now and then a planned class of the bucket was cancelled.
            if rng.random_bool(0.01) && starts < world.clock.today {
                self.next_id += 1;
                bucket.seq += 1;
                let c = Class {
                    code: format!("{}-{}-{}{:03}", p.code, year, ["TN", "LA"][zone as usize], bucket.seq),
                    programme_id: prog as i64 + 1,
                    institution_id: institution,
                    starts_on: starts + Duration::days(14),
                    ends_on: ends + Duration::days(14),
                    place: place(p.inst, zone, starts, p.form),
                    form: p.form,
                    min_size: 25,
                    max_size,
                    status: ClassStatus::Cancelled,
                    planned_cost: p.cost * max_size,
                target_group: None,
                unit_quotas: Vec::new(),
                };
                emit_class(world, rng, self.next_id, c, out);
            }
            bucket.open = Some(OpenClass { id, starts, ends, seats_left: seats });
        }
        let c = bucket.open.as_mut().unwrap();
        c.seats_left -= 1;
        Some(Seat { class_id: Some(c.id), starts: c.starts, ends: c.ends })
    }
}

/// A class's rows: planned, running, finished (or cancelled), each status over
/// its own validity.
fn emit_class<R: Rng>(world: &World, rng: &mut R, id: i64, class: Class, out: &mut VecDeque<BulkRow>) {
    let clock = &world.clock;
    let today = clock.today;
    let planned = (class.starts_on - Duration::days(rng.random_range(30..=90))).min(today - Duration::days(2));
    let mut push = |valid: Validity, status: ClassStatus, superseded: Option<NaiveDate>, rng: &mut R| {
        let recorded_at = clock.fixed(valid.from.min(today));
        let superseded_at = superseded.map(|s| clock.fixed(s));
        let _ = rng;
        out.push_back(BulkRow { id, valid, fact: Fact::Class(Class { status, ..class.clone() }), recorded_at, superseded_at });
    };
    if class.status == ClassStatus::Cancelled {
        let cancelled = class.starts_on - Duration::days(7);
        push(Validity::between(planned, cancelled), ClassStatus::Approved, None, rng);
        push(Validity::since(cancelled), ClassStatus::Cancelled, None, rng);
        return;
    }
    if class.starts_on > today {
        let status = match (class.starts_on - today).num_days() {
            0..=45 => ClassStatus::Open,
            46..=150 => ClassStatus::Approved,
            _ => ClassStatus::Proposed,
        };
        push(Validity::since(planned), status, None, rng);
        return;
    }
    push(Validity::between(planned, class.starts_on), ClassStatus::Approved, None, rng);
    if class.ends_on > today {
        push(Validity::since(class.starts_on), ClassStatus::InProgress, None, rng);
    } else {
        push(Validity::between(class.starts_on, class.ends_on), ClassStatus::InProgress, None, rng);
        push(Validity::since(class.ends_on), ClassStatus::Finished, None, rng);
    }
}

/// What a finished enrolment gave: whether it completed (and when).
pub struct Outcome {
    pub completed_on: Option<NaiveDate>,
}

/// Emits an enrolment (and the qualification it grants) for a seat.
#[allow(clippy::too_many_arguments)]
pub fn enrol<R: Rng>(
    world: &World,
    rng: &mut R,
    enrolment_id: i64,
    qualification_id: &mut i64,
    person_id: i64,
    prog: usize,
    seat: &Seat,
    unit_id: i64,
    out: &mut VecDeque<BulkRow>,
) -> Outcome {
    let p = &world.progs[prog];
    let clock = &world.clock;
    let today = clock.today;
    let (status, valid_from, recorded_at) = if seat.starts > today {
        let nominated = (seat.starts - Duration::days(rng.random_range(10..=40))).min(today - Duration::days(rng.random_range(0..5)));
        (EnrolmentStatus::Nominated, nominated, clock.at(rng, nominated))
    } else if seat.ends > today {
        (EnrolmentStatus::Enrolled, seat.starts, clock.at(rng, seat.starts))
    } else {
        let x: f64 = rng.random();
        let status = if x < 0.94 { EnrolmentStatus::Completed } else if x < 0.965 { EnrolmentStatus::Failed } else { EnrolmentStatus::Withdrawn };
        let event = if status == EnrolmentStatus::Withdrawn { seat.starts + (seat.ends - seat.starts) / 3 } else { seat.ends };
        (status, seat.starts, clock.at(rng, event))
    };
    let (attendance, result) = match status {
        EnrolmentStatus::Completed => {
            let r = ["Xuất sắc", "Giỏi", "Giỏi", "Khá", "Khá", "Khá", "Khá", "Đạt", "Đạt", "Trung bình"][rng.random_range(0..10)];
            (Some(rng.random_range(85..=100)), Some(r.to_string()))
        }
        EnrolmentStatus::Failed => (Some(rng.random_range(55..=90)), Some("Không đạt".to_string())),
        EnrolmentStatus::Withdrawn => (Some(rng.random_range(5..=40)), None),
        _ => (None, None),
    };
    let certificate = (status == EnrolmentStatus::Completed).then(|| format!("{:05}/{}/{}", rng.random_range(1..99_999), seat.ends.year(), p.inst));
    let funding = match p.code {
        "NN_NGOAI" => if rng.random_bool(0.6) { FundingSource::Sponsor } else { FundingSource::StateBudget },
        _ if !p.classed => [FundingSource::StateBudget, FundingSource::StateBudget, FundingSource::Unit, FundingSource::Learner][rng.random_range(0..4)],
        _ => {
            let x: f64 = rng.random();
            if x < 0.75 { FundingSource::StateBudget } else if x < 0.95 { FundingSource::Unit } else { FundingSource::Learner }
        }
    };
    let cost = (p.cost as f64 * rng.random_range(0.9..1.1) / 1000.0).round() as i64 * 1000;
    let enrolment = Enrolment {
        person_id,
        programme_id: prog as i64 + 1,
        class_id: seat.class_id,
        nominated_by: Some(unit_id),
        status,
        starts_on: seat.starts,
        ends_on: seat.ends,
        attendance_pct: attendance,
        result,
        certificate: certificate.clone(),
        cost,
        funding,
        note: None,
    };
    out.push_back(BulkRow { id: enrolment_id, valid: Validity::since(valid_from), fact: Fact::Enrolment(enrolment), recorded_at, superseded_at: None });
    if status != EnrolmentStatus::Completed {
        return Outcome { completed_on: None };
    }
    if let Some((kind, level, field, language)) = p.grant {
        *qualification_id += 1;
        let q = Qualification {
            person_id,
            kind,
            level: level.into(),
            field: field.map(Into::into),
            language: language.map(Into::into),
            obtained_on: seat.ends,
            evidence: certificate,
            enrolment_id: Some(enrolment_id),
        };
        // About 1 % of certificates reach the system long after the course.
        let recorded = if rng.random_bool(0.01) { clock.late(rng, seat.ends, 120, 700).max(recorded_at) } else { recorded_at };
        out.push_back(BulkRow { id: *qualification_id, valid: Validity::since(seat.ends), fact: Fact::Qualification(q), recorded_at: recorded, superseded_at: None });
    }
    Outcome { completed_on: Some(seat.ends) }
}
