//! NăngLực's files: Excel and CSV templates, imports checked against the model
//! and planned as one all-or-nothing change set, and exports that read back.
//!
//! - [`sheet`]: any file (xlsx, xls, ods, csv) into rows of cells with positions.
//! - [`header`]: finding the header row and matching columns, however written.
//! - [`parse`]: cells into typed values, with Vietnamese errors.
//! - [`kinds`]: one module per kind of sheet: its column table, checks, facts.
//! - [`plan`]: upsert against a [`directory::Directory`] into a `ChangeSet`.
//! - [`template`], [`export`], [`format`]: files out, and Vietnamese numbers.
//! - [`docx`]: Word documents in the Decree 30/2020 layout (annual plan, review reports).

pub mod directory;
pub mod docx;
pub mod error;
pub mod export;
pub mod format;
pub mod header;
pub mod kinds;
pub mod parse;
pub mod plan;
pub mod results;
pub mod sheet;
pub mod store_directory;
pub mod template;

pub use directory::{Current, Directory, MemoryDirectory, Wanted};
pub use error::{ImportError, WriteError};
pub use kinds::SheetKind;
pub use plan::{ImportPlan, ImportReport, Tally, data_row_count, plan_file, plan_import, plan_import_with_progress};
pub use sheet::{Workbook, read, read_bytes};
pub use store_directory::StoreDirectory;
