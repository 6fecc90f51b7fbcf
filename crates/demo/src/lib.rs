//! A deterministic demo province for NăngLực: the public workforce of today's
//! Tỉnh Tây Ninh (old Long An and old Tây Ninh merged on 1 July 2025), its
//! history since hiring, and its training since 2019, generated from a seed.
//!
//! [`generate`] streams rows: reference data first (units, unit changes,
//! programmes, institutions, lecturers, job positions, requirements), then one
//! person at a time with their employments, roles, qualifications and
//! enrolments. Classes are opened lazily, each emitted just before the first
//! enrolment that uses it, so memory does not grow with the number of people.

pub mod catalogue;
pub mod geography;
pub mod names;
mod people;
mod training;

#[cfg(test)]
mod tests;

use std::collections::VecDeque;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use nangluc_core::employment::REFORM_2025;
use nangluc_core::{Fact, Validity};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::catalogue::{Institutions, Positions, Prog};
use crate::geography::Geography;

/// The generator's rows are the store's bulk-load rows.
pub use nangluc_core::BulkRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoConfig {
    /// About how many people (exactly this many person entities).
    pub people: u64,
    pub seed: u64,
    /// The day the data ends: classes after it are planned, not held. Expected
    /// on or after 1 July 2025 (the reform is part of the story).
    pub today: NaiveDate,
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self { people: 40_000, seed: 2025, today: date(2026, 11, 23) }
    }
}

/// The demo rows, streamed. Same config, same rows in the same order.
pub fn generate(config: &DemoConfig) -> impl Iterator<Item = BulkRow> + use<> {
    Generator::new(config.clone())
}

/// The day the system went live: rows about earlier facts were migrated that day.
pub fn go_live() -> NaiveDate {
    date(2023, 3, 1)
}

pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// Index drawn with probability proportional to its weight.
pub(crate) fn pick_weighted<R: Rng, I>(rng: &mut R, weights: I) -> usize
where
    I: IntoIterator<Item = u32>,
    I::IntoIter: Clone,
{
    let it = weights.into_iter();
    let total: u32 = it.clone().sum();
    let mut x = rng.random_range(0..total.max(1));
    for (i, w) in it.enumerate() {
        if x < w {
            return i;
        }
        x -= w;
    }
    0
}

/// Decides when rows were recorded: facts before go-live arrived with the
/// migration; later ones a few days after they happened, never after today.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    pub today: NaiveDate,
    migration: DateTime<Utc>,
    latest: DateTime<Utc>,
}

impl Clock {
    fn new(today: NaiveDate) -> Self {
        let migration = go_live().and_hms_opt(1, 0, 0).unwrap().and_utc();
        let latest = today.and_hms_opt(10, 0, 0).unwrap().and_utc().max(migration);
        Self { today, migration, latest }
    }

    /// When a fact that happened on `event` was recorded.
    pub fn at<R: Rng>(&self, rng: &mut R, event: NaiveDate) -> DateTime<Utc> {
        if event < go_live() {
            return self.migration;
        }
        let days = rng.random_range(1..=7);
        let secs = rng.random_range(0..9 * 3600);
        let t = (event + Duration::days(days)).and_hms_opt(1, 0, 0).unwrap().and_utc() + Duration::seconds(secs);
        t.min(self.latest).max(self.migration)
    }

    /// Reference data: recorded a fixed two days after the event.
    pub fn fixed(&self, event: NaiveDate) -> DateTime<Utc> {
        if event < go_live() {
            return self.migration;
        }
        ((event + Duration::days(2)).and_hms_opt(2, 0, 0).unwrap().and_utc()).min(self.latest)
    }

    /// Later than usual: for back-dated rows and corrections.
    pub fn late<R: Rng>(&self, rng: &mut R, event: NaiveDate, min_days: i64, max_days: i64) -> DateTime<Utc> {
        let e = event.max(go_live());
        let t = (e + Duration::days(rng.random_range(min_days..=max_days))).and_hms_opt(2, 0, 0).unwrap().and_utc();
        t.min(self.latest)
    }
}

/// Rows of a fact that ended: before the end was known the row was open; when
/// it ended, the open row was superseded by the closed one.
pub(crate) fn ended_rows(clock: &Clock, id: i64, valid: Validity, fact: Fact, out: &mut Vec<BulkRow>) {
    match valid.to {
        Some(to) if to <= clock.today => {
            let opened = clock.fixed(valid.from);
            let closed = clock.fixed(to);
            if opened < closed {
                out.push(BulkRow { id, valid: Validity::since(valid.from), fact: fact.clone(), recorded_at: opened, superseded_at: Some(closed) });
            }
            out.push(BulkRow { id, valid, fact, recorded_at: closed, superseded_at: None });
        }
        _ => out.push(BulkRow { id, valid, fact, recorded_at: clock.fixed(valid.from), superseded_at: None }),
    }
}

/// Everything the people generator reads: fixed once built.
pub(crate) struct World {
    pub config: DemoConfig,
    pub clock: Clock,
    pub geo: Geography,
    pub progs: Vec<Prog>,
    pub insts: Institutions,
    pub positions: Positions,
    pub pools: people::Pools,
}

impl World {
    pub fn prog(&self, code: &str) -> usize {
        self.progs.iter().position(|p| p.code == code).unwrap_or_else(|| panic!("no programme {code}"))
    }
}

struct Generator {
    world: World,
    reference: std::vec::IntoIter<BulkRow>,
    people: people::PeopleState,
    buffer: VecDeque<BulkRow>,
    rng: ChaCha8Rng,
}

impl Generator {
    fn new(config: DemoConfig) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
        let clock = Clock::new(config.today);
        let geo = Geography::build();
        let progs = catalogue::programmes();
        let insts = Institutions::build();
        let positions = Positions::build();
        let mut reference = Vec::new();

        for u in &geo.units {
            for (valid, v) in &u.versions {
                ended_rows(&clock, u.id, *valid, Fact::Unit(v.clone()), &mut reference);
            }
        }
        for (i, c) in geo.changes.iter().enumerate() {
            reference.push(BulkRow { id: i as i64 + 1, valid: Validity::since(c.date), fact: Fact::UnitChange(c.clone()), recorded_at: clock.fixed(c.date), superseded_at: None });
        }
        for (i, p) in progs.iter().enumerate() {
            let valid = Validity { from: date(2015, 1, 1), to: p.runs_to.filter(|t| *t == REFORM_2025) };
            ended_rows(&clock, i as i64 + 1, valid, Fact::Programme(p.to_programme()), &mut reference);
        }
        for (id, valid, inst) in &insts.rows {
            ended_rows(&clock, *id, *valid, Fact::Institution(inst.clone()), &mut reference);
        }
        for (id, valid, l) in insts.lecturers(&mut rng) {
            ended_rows(&clock, id, valid, Fact::Lecturer(l), &mut reference);
        }
        for (id, valid, p) in &positions.positions {
            ended_rows(&clock, *id, *valid, Fact::JobPosition(p.clone()), &mut reference);
        }
        for (id, valid, r) in &positions.requirements {
            ended_rows(&clock, *id, *valid, Fact::PositionRequirement(r.clone()), &mut reference);
        }

        let pools = people::Pools::build(&geo);
        let world = World { config, clock, geo, progs, insts, positions, pools };
        let people = people::PeopleState::new(&world, &mut rng);
        Generator { world, reference: reference.into_iter(), people, buffer: VecDeque::new(), rng }
    }
}

impl Iterator for Generator {
    type Item = BulkRow;

    fn next(&mut self) -> Option<BulkRow> {
        if let Some(r) = self.reference.next() {
            return Some(r);
        }
        loop {
            if let Some(r) = self.buffer.pop_front() {
                return Some(r);
            }
            if !self.people.next_person(&self.world, &mut self.rng, &mut self.buffer) {
                return None;
            }
        }
    }
}
