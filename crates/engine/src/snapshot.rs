//! A compact, read-only image of what the system knows, built once and
//! evaluated many times: people by index (u32), dates as day numbers (i32),
//! codes as small enums, strings interned, every per-person table stored
//! contiguously (offsets + rows) and sorted by person then valid-from.
//!
//! Rows keep their valid time, so one snapshot answers "as of" any date.
//! Rows are filtered by the knowledge time when they come in, so a snapshot
//! built from a reading "as known at" a day sees nothing recorded later.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use nangluc_core::change::Fact;
use nangluc_core::employment::{Category, Employment, PostRank};
use nangluc_core::knowledge::{Knowledge, KnowledgeSink};
use nangluc_core::law::RetirementSchedule;
use nangluc_core::person::{PersonDetails, Sex};
use nangluc_core::position::{JobPosition, PositionGroup, PositionRequirement};
use nangluc_core::qualification::{Level, Qualification, QualificationKind};
use nangluc_core::role::{Role, RoleKind, term_years};
use nangluc_core::time::{Recording, Validity, Versioned};
use nangluc_core::training::{Class, ClassStatus, Enrolment, EnrolmentStatus, Institution, InstitutionKind, Lecturer, Programme, Topic, TrainingKind};
use nangluc_core::unit::{Sector, UnitChange, UnitKind, UnitLevel, UnitVersion};

use crate::expr::Event;

/// A fast hasher for entity ids (i64) and small keys: a multiply-rotate
/// hash (as rustc's FxHash). The ids are not chosen by an attacker.
#[derive(Debug, Default, Clone, Copy)]
pub struct IdHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(SEED);
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(SEED);
    }
    fn write_i64(&mut self, i: i64) {
        self.write_u64(i as u64);
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(i as u64);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
}

/// A map keyed by entity id.
pub type IdMap<V> = HashMap<i64, V, std::hash::BuildHasherDefault<IdHasher>>;

/// A date as a day number (days from 1 January of year 1).
pub type Day = i32;
/// The end of an open validity.
pub const OPEN: Day = i32::MAX;
/// "No string": an interned id that matches nothing.
pub const NONE: u32 = u32::MAX;

pub fn day(d: NaiveDate) -> Day {
    d.num_days_from_ce()
}

pub fn date(d: Day) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(d).unwrap_or(NaiveDate::MAX)
}

fn span(v: &Validity) -> (Day, Day) {
    (day(v.from), v.to.map(day).unwrap_or(OPEN))
}

/// Interned strings: codes that are compared often become u32 ids.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    map: HashMap<String, u32>,
    names: Vec<String>,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.map.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(s.to_string());
        self.map.insert(s.to_string(), i);
        i
    }
    fn opt(&mut self, s: Option<&str>) -> u32 {
        s.map(|s| self.intern(s)).unwrap_or(NONE)
    }
    /// The id of a string, or [`NONE`] if no row uses it.
    pub fn get(&self, s: &str) -> u32 {
        self.map.get(s).copied().unwrap_or(NONE)
    }
    pub fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map(String::as_str).unwrap_or("")
    }
}

/// Rows of a per-person table: `rows[start[p]..start[p+1]]` belong to person `p`.
#[derive(Debug, Clone, Default)]
pub struct Csr<T> {
    start: Vec<u32>,
    rows: Vec<T>,
}

impl<T> Csr<T> {
    /// `rows`: (person, arrival number, row). Sorted in place by person, key
    /// and arrival (the order a stable sort gives, without its buffer of
    /// half the rows: the arrival number sits in the tuple's padding).
    fn build(people: usize, mut rows: Vec<(u32, u32, T)>, key: impl Fn(&T) -> (i64, Day)) -> Self {
        rows.sort_unstable_by_key(|(p, seq, r)| (*p, key(r), *seq));
        let mut start = vec![0u32; people + 1];
        for (p, _, _) in &rows {
            start[*p as usize + 1] += 1;
        }
        for i in 0..people {
            start[i + 1] += start[i];
        }
        let mut rows: Vec<T> = rows.into_iter().map(|(_, _, r)| r).collect();
        // The collect reuses the tuples' allocation: give back its tail.
        rows.shrink_to_fit();
        Self { start, rows }
    }
    pub fn of(&self, p: u32) -> &[T] {
        let (a, b) = (self.start[p as usize] as usize, self.start[p as usize + 1] as usize);
        &self.rows[a..b]
    }
    pub fn len(&self) -> usize {
        self.rows.len()
    }
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
    /// Bytes used on the heap (rows and offsets; not what the rows point to).
    pub fn heap_bytes(&self) -> usize {
        self.start.len() * size_of::<u32>() + self.rows.len() * size_of::<T>()
    }
}

#[derive(Debug, Clone)]
pub struct UnitRow {
    pub entity: i64,
    pub from: Day,
    pub to: Day,
    pub code: u32,
    pub name: String,
    pub level: UnitLevel,
    pub kind: UnitKind,
    pub sector: Sector,
    pub parent: Option<i64>,
    pub minority_area: bool,
}

#[derive(Debug, Clone)]
pub struct PersonRow {
    pub from: Day,
    pub to: Day,
    pub birth: NaiveDate,
    pub sex: Sex,
    pub ethnicity: u8,
    /// The full name: a span of [`Snapshot::names`] (one arena for all the
    /// names instead of a `String` per row); read it with [`Snapshot::name`].
    name_len: u16,
    name_at: u32,
    /// The day the person reaches statutory retirement age.
    pub retire: Day,
}

#[derive(Debug, Clone, Copy)]
pub struct PostRow {
    pub code: u32,
    pub rank: PostRank,
    pub appointed: Option<Day>,
    pub elected: Option<Day>,
    pub head: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct EmpRow {
    pub from: Day,
    pub to: Day,
    pub unit: i64,
    /// The unit's dense index ([`Snapshot::unit_ids`]), for [`UnitTree::place_index`].
    pub unit_ix: u32,
    pub category: Category,
    pub rank: u32,
    /// First day of the unbroken run of rows with this rank.
    pub rank_since: Day,
    pub job_position: Option<i64>,
    pub post: Option<PostRow>,
    pub minority_area: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct RoleRow {
    pub from: Day,
    pub to: Day,
    pub kind: RoleKind,
    pub term: u32,
    pub level: Option<UnitLevel>,
    pub post: u32,
    pub approved: Option<Day>,
}

#[derive(Debug, Clone, Copy)]
pub struct QualRow {
    /// The later of valid-from and the day obtained.
    pub from: Day,
    pub to: Day,
    pub kind: QualificationKind,
    pub rank: u8,
    pub level: &'static str,
    pub language: u32,
    pub field: u32,
}

/// An i64 id stored as two u32 halves: 4-byte alignment, so rows that hold
/// ids pack without padding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PackedId([u32; 2]);

impl PackedId {
    pub fn new(i: i64) -> Self {
        let u = i as u64;
        PackedId([u as u32, (u >> 32) as u32])
    }
    pub fn get(self) -> i64 {
        (self.0[0] as u64 | ((self.0[1] as u64) << 32)) as i64
    }
}

const _: () = assert!(size_of::<EnrolRow>() == 36);

/// The class index that stands for "no class".
const NO_CLASS: u32 = u32::MAX;

/// One version of an enrolment: 36 bytes (the id packed at 4-byte alignment,
/// the programme as its dense index in [`Snapshot::progs`], the class as its
/// dense index in [`Snapshot::class_ids`]).
#[derive(Debug, Clone, Copy)]
pub struct EnrolRow {
    entity_id: PackedId,
    pub from: Day,
    pub to: Day,
    prog: u32,
    class_ix: u32,
    pub starts: Day,
    pub ends: Day,
    pub status: EnrolmentStatus,
}

impl EnrolRow {
    #[allow(clippy::too_many_arguments)]
    pub fn new(entity: i64, from: Day, to: Day, prog: u32, class: Option<u32>, status: EnrolmentStatus, starts: Day, ends: Day) -> Self {
        EnrolRow {
            entity_id: PackedId::new(entity),
            from,
            to,
            prog,
            class_ix: class.unwrap_or(NO_CLASS),
            starts,
            ends,
            status,
        }
    }
    #[inline]
    pub fn entity(&self) -> i64 {
        self.entity_id.get()
    }
    /// The programme's dense index ([`Snapshot::prog`], [`Snapshot::programme_ids`]).
    #[inline]
    pub fn prog(&self) -> u32 {
        self.prog
    }
    /// The class's dense index ([`Snapshot::class_ids`]).
    #[inline]
    pub fn class(&self) -> Option<u32> {
        (self.class_ix != NO_CLASS).then_some(self.class_ix)
    }
}

/// A dated event of a person's career, for "before the event" targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventRow {
    pub kind: Event,
    pub day: Day,
}

#[derive(Debug, Clone, Copy)]
pub struct Grant {
    pub kind: QualificationKind,
    pub rank: u8,
    pub level: &'static str,
    pub language: u32,
    pub field: u32,
}

#[derive(Debug, Clone)]
pub struct ProgRow {
    pub code: u32,
    pub name: String,
    pub kind: TrainingKind,
    pub topic: Topic,
    pub grants: Option<Grant>,
}

#[derive(Debug, Clone)]
pub struct ClassRow {
    pub entity: i64,
    pub from: Day,
    pub to: Day,
    pub code: String,
    pub programme: i64,
    pub institution: i64,
    pub starts: Day,
    pub ends: Day,
    pub status: ClassStatus,
    pub min_size: i64,
    pub max_size: i64,
}

#[derive(Debug, Clone, Copy)]
pub struct ReqRow {
    pub from: Day,
    pub to: Day,
    pub kind: QualificationKind,
    pub min_rank: u8,
    pub field: u32,
}

#[derive(Debug, Clone)]
pub struct LecturerRow {
    pub entity: i64,
    pub from: Day,
    pub to: Day,
    pub institution: i64,
    pub name: String,
    pub guest: bool,
    pub management_years: i64,
}

#[derive(Debug, Clone)]
pub struct InstitutionRow {
    pub code: String,
    pub name: String,
    pub kind: InstitutionKind,
}

/// The compact image. Build it with [`Snapshot::build`] or stream rows into a
/// [`SnapshotBuilder`].
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The day the knowledge stands for ("today"): evaluating after it is a forecast.
    pub today: NaiveDate,
    pub known_at: Option<DateTime<Utc>>,
    pub strings: Interner,
    pub units: Vec<UnitRow>,
    /// Unit → its successors (mergers, splits, renames).
    pub successors: IdMap<Vec<i64>>,
    unit_bounds: Vec<Day>,
    /// Unit ids by dense index (the index employment rows hold).
    pub unit_ids: Vec<i64>,
    pub person_ids: Vec<i64>,
    pub person_index: IdMap<u32>,
    pub details: Csr<PersonRow>,
    /// The people's full names, end to end ([`Snapshot::name`]).
    names: String,
    pub employments: Csr<EmpRow>,
    pub roles: Csr<RoleRow>,
    pub qualifications: Csr<QualRow>,
    pub enrolments: Csr<EnrolRow>,
    pub events: Csr<EventRow>,
    pub programmes: IdMap<ProgRow>,
    /// Programmes by dense index (the index enrolments hold): the entity id
    /// and the row (`None`: a programme id without a programme row).
    pub programme_ids: Vec<i64>,
    pub progs: Vec<Option<ProgRow>>,
    /// Programme entity → dense index.
    pub programme_index: IdMap<u32>,
    pub classes: Vec<ClassRow>,
    /// Class ids by dense index (the index enrolments hold), sorted: every
    /// class of [`Snapshot::classes`] and every class an enrolment names.
    pub class_ids: Vec<i64>,
    /// Job position entity → (code id, group).
    pub positions: IdMap<(u32, PositionGroup)>,
    pub requirements: IdMap<Vec<ReqRow>>,
    pub lecturers: Vec<LecturerRow>,
    pub institutions: IdMap<InstitutionRow>,
}

/// Collects rows (from a [`Knowledge`] or streamed through [`KnowledgeSink`])
/// and turns them into a [`Snapshot`].
pub struct SnapshotBuilder {
    known_at: Option<DateTime<Utc>>,
    schedule: RetirementSchedule,
    strings: Interner,
    person_ids: Vec<i64>,
    person_index: IdMap<u32>,
    units: Vec<UnitRow>,
    successors: IdMap<Vec<i64>>,
    details: Vec<(u32, u32, PersonRow)>,
    names: String,
    employments: Vec<(u32, u32, EmpRow)>,
    roles: Vec<(u32, u32, RoleRow)>,
    qualifications: Vec<(u32, u32, QualRow)>,
    enrolments: Vec<(u32, u32, EnrolRow)>,
    programmes: IdMap<(Day, ProgRow)>,
    prog_ids: Vec<i64>,
    prog_index: IdMap<u32>,
    unit_ids: Vec<i64>,
    unit_index: IdMap<u32>,
    classes: Vec<ClassRow>,
    /// Class ids named by enrolments, by arrival (sorted at the end).
    class_ids: Vec<i64>,
    class_index: IdMap<u32>,
    positions: IdMap<(Day, u32, PositionGroup)>,
    requirements: IdMap<Vec<ReqRow>>,
    lecturers: Vec<LecturerRow>,
    institutions: IdMap<(Day, InstitutionRow)>,
}

impl SnapshotBuilder {
    /// `known_at`: rows not known at that moment are skipped (`None`: rows
    /// not superseded).
    pub fn new(known_at: Option<DateTime<Utc>>) -> Self {
        Self::with_schedule(known_at, RetirementSchedule::default())
    }

    pub fn with_schedule(known_at: Option<DateTime<Utc>>, schedule: RetirementSchedule) -> Self {
        Self {
            known_at,
            schedule,
            strings: Interner::default(),
            person_ids: Vec::new(),
            person_index: IdMap::default(),
            units: Vec::new(),
            successors: IdMap::default(),
            details: Vec::new(),
            names: String::new(),
            employments: Vec::new(),
            roles: Vec::new(),
            qualifications: Vec::new(),
            enrolments: Vec::new(),
            programmes: IdMap::default(),
            prog_ids: Vec::new(),
            prog_index: IdMap::default(),
            unit_ids: Vec::new(),
            unit_index: IdMap::default(),
            classes: Vec::new(),
            class_ids: Vec::new(),
            class_index: IdMap::default(),
            positions: IdMap::default(),
            requirements: IdMap::default(),
            lecturers: Vec::new(),
            institutions: IdMap::default(),
        }
    }

    fn knows(&self, r: &Recording) -> bool {
        match self.known_at {
            Some(at) => r.known_at(at),
            None => r.superseded_at.is_none(),
        }
    }

    /// The dense index of a programme id.
    fn prog(&mut self, id: i64) -> u32 {
        if let Some(&i) = self.prog_index.get(&id) {
            return i;
        }
        let i = self.prog_ids.len() as u32;
        self.prog_ids.push(id);
        self.prog_index.insert(id, i);
        i
    }

    fn person(&mut self, id: i64) -> u32 {
        if let Some(&p) = self.person_index.get(&id) {
            return p;
        }
        let p = self.person_ids.len() as u32;
        self.person_ids.push(id);
        self.person_index.insert(id, p);
        p
    }

    /// Adds one row of any table.
    pub fn add(&mut self, id: i64, valid: &Validity, recording: &Recording, fact: &Fact) {
        if !self.knows(recording) || valid.is_empty() {
            return;
        }
        let (from, to) = span(valid);
        match fact {
            Fact::Unit(u) => self.unit(id, from, to, u),
            Fact::UnitChange(c) => self.unit_change(c),
            Fact::Person(d) => self.details(id, from, to, d),
            Fact::Employment(e) => self.employment(from, to, e),
            Fact::Role(r) => self.role(from, to, r),
            Fact::Qualification(q) => self.qualification(from, to, q),
            Fact::JobPosition(j) => self.job_position(id, from, j),
            Fact::PositionRequirement(r) => self.requirement(from, to, r),
            Fact::Programme(p) => self.programme(id, from, p),
            Fact::Institution(i) => self.institution(id, from, i),
            Fact::Lecturer(l) => self.lecturer(id, from, to, l),
            Fact::Class(c) => self.class(id, from, to, c),
            Fact::Enrolment(e) => self.enrolment(id, from, to, e),
        }
    }

    /// The dense index of a unit id.
    fn unit_ix(&mut self, id: i64) -> u32 {
        if let Some(&i) = self.unit_index.get(&id) {
            return i;
        }
        let i = self.unit_ids.len() as u32;
        self.unit_ids.push(id);
        self.unit_index.insert(id, i);
        i
    }

    fn unit(&mut self, id: i64, from: Day, to: Day, u: &UnitVersion) {
        let code = self.strings.intern(&u.code);
        self.units.push(UnitRow {
            entity: id,
            from,
            to,
            code,
            name: u.name.clone(),
            level: u.level,
            kind: u.kind,
            sector: u.sector,
            parent: u.parent_id,
            minority_area: u.minority_area,
        });
    }

    fn unit_change(&mut self, c: &UnitChange) {
        if let Some(s) = c.successor_id {
            self.successors.entry(c.unit_id).or_default().push(s);
        }
    }

    fn details(&mut self, id: i64, from: Day, to: Day, d: &PersonDetails) {
        let p = self.person(id);
        let retire = day(self.schedule.retirement_date(d.birth_date, d.sex));
        let name = d.full_name();
        let name = &name[..name.floor_char_boundary(u16::MAX as usize)];
        let name_at = self.names.len() as u32;
        self.names.push_str(name);
        let name_len = name.len() as u16;
        self.details.push((p, self.details.len() as u32, PersonRow { from, to, birth: d.birth_date, sex: d.sex, ethnicity: d.ethnicity.code(), name_len, name_at, retire }));
    }

    fn employment(&mut self, from: Day, to: Day, e: &Employment) {
        let p = self.person(e.person_id);
        let rank = self.strings.opt(e.rank.as_deref());
        let post = e.post.as_ref().map(|post| PostRow {
            code: self.strings.intern(&post.code),
            rank: post.rank,
            appointed: post.appointed_on.map(day),
            elected: post.elected_on.map(day),
            head: post.is_head(),
        });
        let unit_ix = self.unit_ix(e.unit_id);
        self.employments.push((
            p,
            self.employments.len() as u32,
            EmpRow { from, to, unit: e.unit_id, unit_ix, category: e.category, rank, rank_since: from, job_position: e.job_position_id, post, minority_area: e.minority_area },
        ));
    }

    fn role(&mut self, from: Day, to: Day, r: &Role) {
        let p = self.person(r.person_id);
        let term = self.strings.opt(r.term.as_deref());
        let post = self.strings.opt(r.post.as_deref());
        self.roles.push((p, self.roles.len() as u32, RoleRow { from, to, kind: r.kind, term, level: r.level, post, approved: r.approved_on.map(day) }));
    }

    fn qualification(&mut self, from: Day, to: Day, q: &Qualification) {
        let Some(level) = q.level() else { return };
        let p = self.person(q.person_id);
        let language = self.strings.opt(q.language.as_deref());
        let field = self.strings.opt(q.field.as_deref());
        let from = from.max(day(q.obtained_on));
        if from >= to {
            return;
        }
        self.qualifications.push((p, self.qualifications.len() as u32, QualRow { from, to, kind: q.kind, rank: level.rank, level: level.code, language, field }));
    }

    fn job_position(&mut self, id: i64, from: Day, j: &JobPosition) {
        let code = self.strings.intern(&j.code);
        // Keep the latest version: codes and groups rarely change.
        let e = self.positions.entry(id).or_insert((from, code, j.group));
        if from >= e.0 {
            *e = (from, code, j.group);
        }
    }

    fn requirement(&mut self, from: Day, to: Day, r: &PositionRequirement) {
        let Some(min) = Level::from_code(r.kind, &r.min_level) else { return };
        let field = self.strings.opt(r.field.as_deref());
        self.requirements.entry(r.position_id).or_default().push(ReqRow { from, to, kind: r.kind, min_rank: min.rank, field });
    }

    fn programme(&mut self, id: i64, from: Day, p: &Programme) {
        let code = self.strings.intern(&p.code);
        let grants = p.grants.as_ref().and_then(|g| {
            let level = Level::from_code(g.kind, &g.level)?;
            Some(Grant {
                kind: g.kind,
                rank: level.rank,
                level: level.code,
                language: self.strings.opt(g.language.as_deref()),
                field: self.strings.opt(g.field.as_deref()),
            })
        });
        let row = ProgRow { code, name: p.name.clone(), kind: p.kind, topic: p.topic, grants };
        match self.programmes.get(&id) {
            Some((f, _)) if *f > from => {}
            _ => {
                self.programmes.insert(id, (from, row));
            }
        }
    }

    fn institution(&mut self, id: i64, from: Day, i: &Institution) {
        let row = InstitutionRow { code: i.code.clone(), name: i.name.clone(), kind: i.kind };
        match self.institutions.get(&id) {
            Some((f, _)) if *f > from => {}
            _ => {
                self.institutions.insert(id, (from, row));
            }
        }
    }

    fn lecturer(&mut self, id: i64, from: Day, to: Day, l: &Lecturer) {
        self.lecturers.push(LecturerRow {
            entity: id,
            from,
            to,
            institution: l.institution_id,
            name: l.full_name.clone(),
            guest: l.guest,
            management_years: l.management_years,
        });
    }

    fn class(&mut self, id: i64, from: Day, to: Day, c: &Class) {
        self.classes.push(ClassRow {
            entity: id,
            from,
            to,
            code: c.code.clone(),
            programme: c.programme_id,
            institution: c.institution_id,
            starts: day(c.starts_on),
            ends: day(c.ends_on),
            status: c.status,
            min_size: c.min_size,
            max_size: c.max_size,
        });
    }

    fn enrolment(&mut self, id: i64, from: Day, to: Day, e: &Enrolment) {
        let p = self.person(e.person_id);
        let prog = self.prog(e.programme_id);
        let class = e.class_id.map(|c| match self.class_index.get(&c) {
            Some(&i) => i,
            None => {
                let i = self.class_ids.len() as u32;
                self.class_ids.push(c);
                self.class_index.insert(c, i);
                i
            }
        });
        self.enrolments.push((
            p,
            self.enrolments.len() as u32,
            EnrolRow::new(id, from, to, prog, class, e.status, day(e.starts_on), day(e.ends_on)),
        ));
    }

    /// Finishes the snapshot. `today`: the day the knowledge stands for.
    pub fn finish(self, today: NaiveDate) -> Snapshot {
        let n = self.person_ids.len();
        let mut employments = Csr::build(n, self.employments, |r| (0, r.from));
        let mut events: Vec<(u32, EventRow)> = Vec::new();
        for p in 0..n as u32 {
            let a = employments.start[p as usize] as usize;
            let b = employments.start[p as usize + 1] as usize;
            let rows = &mut employments.rows[a..b];
            for i in 0..rows.len() {
                if i > 0 && rows[i].rank == rows[i - 1].rank {
                    rows[i].rank_since = rows[i - 1].rank_since;
                } else if i > 0 && rows[i].rank != NONE && rows[i - 1].rank != NONE {
                    events.push((p, EventRow { kind: Event::RankAppointment, day: rows[i].from }));
                }
                if let Some(post) = rows[i].post {
                    if let Some(d) = post.appointed {
                        events.push((p, EventRow { kind: Event::Appointment, day: d }));
                    }
                    if let Some(d) = post.elected {
                        events.push((p, EventRow { kind: Event::Election, day: d }));
                    }
                    if let Some(d) = post.appointed.max(post.elected) {
                        events.push((p, EventRow { kind: Event::AppointmentOrElection, day: d }));
                    }
                }
            }
        }
        for (p, _, r) in &self.roles {
            if let (RoleKind::SuccessionPlanning, Some(d)) = (r.kind, r.approved) {
                events.push((*p, EventRow { kind: Event::PlanningApproval, day: d }));
            }
        }
        events.sort_by_key(|(p, e)| (*p, e.day, e.kind as u8));
        events.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        let events: Vec<(u32, u32, EventRow)> = events.into_iter().enumerate().map(|(i, (p, e))| (p, i as u32, e)).collect();

        let mut units = self.units;
        units.sort_by_key(|u| (u.entity, u.from));
        let mut bounds: Vec<Day> = units.iter().flat_map(|u| [u.from, u.to]).filter(|d| *d != OPEN).collect();
        bounds.sort_unstable();
        bounds.dedup();
        let mut classes = self.classes;
        classes.sort_by_key(|c| (c.entity, c.from));
        // Class indexes in id order, so that an id's index is a binary search.
        drop(self.class_index);
        let mut class_ids: Vec<i64> = self.class_ids.iter().copied().chain(classes.iter().map(|c| c.entity)).collect();
        class_ids.sort_unstable();
        class_ids.dedup();
        class_ids.shrink_to_fit();
        let remap: Vec<u32> = self.class_ids.iter().map(|c| class_ids.partition_point(|x| x < c) as u32).collect();
        drop(self.class_ids);
        let mut enrolments = self.enrolments;
        for (_, _, e) in enrolments.iter_mut() {
            if e.class_ix != NO_CLASS {
                e.class_ix = remap[e.class_ix as usize];
            }
        }
        drop(remap);
        let mut lecturers = self.lecturers;
        lecturers.sort_by_key(|l| (l.entity, l.from));
        let mut prog_ids = self.prog_ids;
        let mut prog_index = self.prog_index;
        for &id in self.programmes.keys() {
            if let std::collections::hash_map::Entry::Vacant(v) = prog_index.entry(id) {
                v.insert(prog_ids.len() as u32);
                prog_ids.push(id);
            }
        }
        let programmes: IdMap<ProgRow> = self.programmes.into_iter().map(|(k, (_, v))| (k, v)).collect();
        let progs = prog_ids.iter().map(|id| programmes.get(id).cloned()).collect();

        Snapshot {
            today,
            known_at: self.known_at,
            strings: self.strings,
            units,
            successors: self.successors,
            unit_bounds: bounds,
            unit_ids: self.unit_ids,
            details: Csr::build(n, self.details, |r| (0, r.from)),
            names: {
                let mut names = self.names;
                names.shrink_to_fit();
                names
            },
            employments,
            roles: Csr::build(n, self.roles, |r| (0, r.from)),
            qualifications: Csr::build(n, self.qualifications, |r| (r.kind as i64, r.from)),
            enrolments: Csr::build(n, enrolments, |r| (r.entity(), r.from)),
            events: Csr::build(n, events, |_| (0, 0)),
            person_ids: self.person_ids,
            person_index: self.person_index,
            programmes,
            programme_ids: prog_ids,
            programme_index: prog_index,
            progs,
            classes,
            class_ids,
            positions: self.positions.into_iter().map(|(k, (_, c, g))| (k, (c, g))).collect(),
            requirements: self.requirements,
            lecturers,
            institutions: self.institutions.into_iter().map(|(k, (_, v))| (k, v)).collect(),
        }
    }
}

impl KnowledgeSink for SnapshotBuilder {
    fn row(&mut self, row: Versioned<Fact>) {
        self.add(row.id, &row.valid, &row.recording, &row.data);
    }
}

/// One unit of the tree as of a date.
#[derive(Debug, Clone)]
pub struct TreeUnit {
    pub entity: i64,
    pub code: u32,
    pub name: String,
    pub level: UnitLevel,
    pub kind: UnitKind,
    pub sector: Sector,
    pub parent: Option<u32>,
    pub minority_area: bool,
}

/// The unit tree as of a date. Units are indexed 0..len; parents come from the
/// versions valid that day.
#[derive(Debug, Clone, Default)]
pub struct UnitTree {
    pub units: Vec<TreeUnit>,
    by_entity: IdMap<u32>,
    successors: IdMap<Vec<i64>>,
    /// [`UnitTree::place`] of each unit by dense index ([`NONE`]: nowhere).
    placed: Vec<u32>,
}

impl UnitTree {
    pub fn index(&self, entity: i64) -> Option<u32> {
        self.by_entity.get(&entity).copied()
    }

    /// Where a unit's people are counted on this tree's date: the unit itself,
    /// or the successor it was merged or renamed into.
    pub fn place(&self, entity: i64) -> Option<u32> {
        let mut e = entity;
        for _ in 0..16 {
            if let Some(i) = self.index(e) {
                return Some(i);
            }
            e = *self.successors.get(&e)?.first()?;
        }
        None
    }

    /// [`UnitTree::place`] of an employment row's unit, by its dense index.
    #[inline]
    pub fn place_index(&self, e: &EmpRow) -> Option<u32> {
        match self.placed.get(e.unit_ix as usize) {
            Some(&u) => (u != NONE).then_some(u),
            None => self.place(e.unit),
        }
    }

    pub fn ancestors(&self, u: u32) -> impl Iterator<Item = u32> + '_ {
        let mut cur = Some(u);
        let mut steps = 0;
        std::iter::from_fn(move || {
            let c = cur?;
            steps += 1;
            cur = if steps > 64 { None } else { self.units[c as usize].parent };
            Some(c)
        })
    }

    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }
}

impl Snapshot {
    /// Builds the snapshot from a reading of the store. `today`: the day the
    /// knowledge stands for; evaluating later dates is a forecast.
    pub fn build(k: &Knowledge, today: NaiveDate) -> Snapshot {
        Self::build_with(k, today, RetirementSchedule::default())
    }

    pub fn build_with(k: &Knowledge, today: NaiveDate, schedule: RetirementSchedule) -> Snapshot {
        let mut b = SnapshotBuilder::with_schedule(k.known_at, schedule);
        macro_rules! feed {
            ($field:ident, $variant:ident) => {
                for r in &k.$field {
                    if b.knows(&r.recording) && !r.valid.is_empty() {
                        #[allow(unused_variables)]
                        let (from, to) = span(&r.valid);
                        feed!(@one b, r, from, to, $variant);
                    }
                }
            };
            (@one $b:ident, $r:ident, $from:ident, $to:ident, Unit) => { $b.unit($r.id, $from, $to, &$r.data) };
            (@one $b:ident, $r:ident, $from:ident, $to:ident, UnitChange) => { $b.unit_change(&$r.data) };
            (@one $b:ident, $r:ident, $from:ident, $to:ident, Person) => { $b.details($r.id, $from, $to, &$r.data) };
            (@one $b:ident, $r:ident, $from:ident, $to:ident, Employment) => { $b.employment($from, $to, &$r.data) };
            (@one $b:ident, $r:ident, $from:ident, $to:ident, Role) => { $b.role($from, $to, &$r.data) };
            (@one $b:ident, $r:ident, $from:ident, $to:ident, Qualification) => { $b.qualification($from, $to, &$r.data) };
            (@one $b:ident, $r:ident, $from:ident, $to:ident, JobPosition) => { $b.job_position($r.id, $from, &$r.data) };
            (@one $b:ident, $r:ident, $from:ident, $to:ident, PositionRequirement) => { $b.requirement($from, $to, &$r.data) };
            (@one $b:ident, $r:ident, $from:ident, $to:ident, Programme) => { $b.programme($r.id, $from, &$r.data) };
            (@one $b:ident, $r:ident, $from:ident, $to:ident, Institution) => { $b.institution($r.id, $from, &$r.data) };
            (@one $b:ident, $r:ident, $from:ident, $to:ident, Lecturer) => { $b.lecturer($r.id, $from, $to, &$r.data) };
            (@one $b:ident, $r:ident, $from:ident, $to:ident, Class) => { $b.class($r.id, $from, $to, &$r.data) };
            (@one $b:ident, $r:ident, $from:ident, $to:ident, Enrolment) => { $b.enrolment($r.id, $from, $to, &$r.data) };
        }
        feed!(units, Unit);
        feed!(unit_changes, UnitChange);
        feed!(people, Person);
        feed!(employments, Employment);
        feed!(roles, Role);
        feed!(qualifications, Qualification);
        feed!(job_positions, JobPosition);
        feed!(position_requirements, PositionRequirement);
        feed!(programmes, Programme);
        feed!(institutions, Institution);
        feed!(lecturers, Lecturer);
        feed!(classes, Class);
        feed!(enrolments, Enrolment);
        b.finish(today)
    }

    /// A person's full name as a details row records it.
    pub fn name(&self, r: &PersonRow) -> &str {
        let a = r.name_at as usize;
        self.names.get(a..a + r.name_len as usize).unwrap_or("")
    }

    pub fn people(&self) -> usize {
        self.person_ids.len()
    }

    /// The programme row of a dense programme index.
    #[inline]
    pub fn prog(&self, i: u32) -> Option<&ProgRow> {
        self.progs.get(i as usize).and_then(Option::as_ref)
    }

    /// An estimate of the memory the snapshot holds: its tables, the person
    /// index and the strings (names), not counting allocator overhead.
    pub fn heap_bytes(&self) -> usize {
        fn map<K, V, S>(m: &HashMap<K, V, S>) -> usize {
            // hashbrown: one control byte per bucket, buckets a power of two above 8/7 of the entries.
            m.len() * 8 / 7 * (size_of::<(K, V)>() + 1)
        }
        let names = self.names.len();
        let strings: usize = self.strings.names.iter().map(|s| 2 * s.len() + 2 * size_of::<String>() + 8).sum();
        self.details.heap_bytes()
            + names
            + self.employments.heap_bytes()
            + self.roles.heap_bytes()
            + self.qualifications.heap_bytes()
            + self.enrolments.heap_bytes()
            + self.events.heap_bytes()
            + self.person_ids.len() * size_of::<i64>()
            + map(&self.person_index)
            + strings
            + self.units.len() * size_of::<UnitRow>()
            + self.classes.len() * size_of::<ClassRow>()
            + self.classes.iter().map(|c| c.code.len()).sum::<usize>()
            + self.class_ids.len() * size_of::<i64>()
            + map(&self.programmes)
            + map(&self.requirements)
            + map(&self.positions)
            + map(&self.institutions)
    }

    /// The unit tree as of `d` (see [`TreeCache`] to share trees between dates).
    pub fn tree_at(&self, d: Day) -> UnitTree {
        let mut t = UnitTree { successors: self.successors.clone(), ..Default::default() };
        let mut parents = Vec::new();
        for u in self.units.iter().filter(|u| u.from <= d && d < u.to) {
            let i = t.units.len() as u32;
            t.by_entity.insert(u.entity, i);
            parents.push(u.parent);
            t.units.push(TreeUnit {
                entity: u.entity,
                code: u.code,
                name: u.name.clone(),
                level: u.level,
                kind: u.kind,
                sector: u.sector,
                parent: None,
                minority_area: u.minority_area,
            });
        }
        for (i, p) in parents.into_iter().enumerate() {
            t.units[i].parent = p.and_then(|p| t.by_entity.get(&p).copied());
        }
        t.placed = self.unit_ids.iter().map(|&u| t.place(u).unwrap_or(NONE)).collect();
        t
    }

    /// Trees change only on unit-version boundaries: the epoch of a day.
    fn epoch(&self, d: Day) -> usize {
        self.unit_bounds.partition_point(|b| *b <= d)
    }

    pub fn details_at(&self, p: u32, d: Day) -> Option<&PersonRow> {
        self.details.of(p).iter().rev().find(|r| r.from <= d && d < r.to)
    }

    pub fn employment_at(&self, p: u32, d: Day) -> Option<&EmpRow> {
        self.employments.of(p).iter().rev().find(|r| r.from <= d && d < r.to)
    }

    pub fn has_role_at(&self, p: u32, d: Day) -> bool {
        self.roles.of(p).iter().any(|r| r.from <= d && d < r.to)
    }

    /// Calls `f` with each enrolment as it stands on `d`: for each enrolment,
    /// the latest version starting on or before `d`. A version that ended
    /// before `d` still counts if it records a completion (a completion stays
    /// a fact of the past); otherwise the enrolment is not seen.
    pub fn for_enrolments_at(&self, p: u32, d: Day, mut f: impl FnMut(&EnrolRow)) {
        let rows = self.enrolments.of(p);
        let mut i = 0;
        while i < rows.len() {
            let e = rows[i].entity_id;
            let mut cur: Option<&EnrolRow> = None;
            while i < rows.len() && rows[i].entity_id == e {
                if rows[i].from <= d {
                    cur = Some(&rows[i]);
                }
                i += 1;
            }
            if let Some(r) = cur
                && (d < r.to || r.status == EnrolmentStatus::Completed)
            {
                f(r);
            }
        }
    }

    /// The dense index of a class id ([`Snapshot::class_ids`]).
    pub fn class_ix(&self, entity: i64) -> Option<u32> {
        self.class_ids.binary_search(&entity).ok().map(|i| i as u32)
    }

    /// The first version of a class (classes are sorted by entity, then valid-from).
    pub fn class(&self, entity: i64) -> Option<&ClassRow> {
        let i = self.classes.partition_point(|c| c.entity < entity);
        self.classes.get(i).filter(|c| c.entity == entity)
    }

    /// Each class as it stands on `d` (latest version starting on or before `d`).
    pub fn classes_at(&self, d: Day) -> Vec<&ClassRow> {
        let mut out: Vec<&ClassRow> = Vec::new();
        for c in &self.classes {
            if c.from > d {
                continue;
            }
            match out.last_mut() {
                Some(last) if last.entity == c.entity => *last = c,
                _ => out.push(c),
            }
        }
        out.retain(|c| d < c.to || matches!(c.status, ClassStatus::Finished));
        out
    }

    pub fn year_of(d: Day) -> i32 {
        date(d).year()
    }

    /// Distinct unit codes that exist on a day, for messages.
    pub fn unit_codes_at(&self, d: Day) -> Vec<&str> {
        self.units.iter().filter(|u| u.from <= d && d < u.to).map(|u| self.strings.name(u.code)).collect()
    }

    /// The retirement schedule is applied when the snapshot is built; exposed
    /// for tests.
    pub fn retirement_day(&self, p: u32, d: Day) -> Option<Day> {
        self.details_at(p, d).map(|r| r.retire)
    }

    /// The term of a role id as years.
    pub fn term_years(&self, term: u32) -> Option<(i32, i32)> {
        term_years(self.strings.name(term))
    }
}

/// Unit trees by epoch, so that evaluating many dates builds each tree once.
#[derive(Default)]
pub struct TreeCache {
    trees: HashMap<usize, Arc<UnitTree>>,
}

impl TreeCache {
    pub fn get(&mut self, snap: &Snapshot, d: Day) -> Arc<UnitTree> {
        let e = snap.epoch(d);
        self.trees.entry(e).or_insert_with(|| Arc::new(snap.tree_at(d))).clone()
    }
}
