//! NăngLực's domain: the public workforce (units, people, employment, roles,
//! qualifications, job positions) and its training (programmes, classes,
//! enrolments), every fact with its two times.
//!
//! This crate does no I/O: storage, files and the web build on it.

pub mod codes;
pub mod change;
pub mod employment;
pub mod knowledge;
pub mod law;
pub mod person;
pub mod position;
pub mod qualification;
pub mod role;
pub mod text;
pub mod time;
pub mod training;
pub mod unit;

pub use change::{Applied, BulkRow, ChangeSet, Entity, Fact, Op, Table};
pub use knowledge::{Knowledge, KnowledgeSink};
pub use time::{AsOf, Recording, Validity, Versioned};
