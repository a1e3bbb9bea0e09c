//! Exports of a fond edition in the formats the field exchanges: TEI P5
//! (one file per document, plus a personography the documents point
//! into), CMIF (one file of correspondence metadata, see [`cmif`]) and
//! flat tables (CSV and JSON Lines) for spreadsheets and pandas.
//!
//! Everything here is a pure function of the edition model and a few
//! records of its own ([`PersonEntry`], [`OrgEntry`], [`Mention`], …), so
//! the crate depends on `fond-model` only: the CLI converts the authority
//! file's records and the store's mention rows into these types (see the
//! tests for the conversion from `fond-authority`). The only I/O is
//! writing to a caller's `std::io::Write` or to files in a directory the
//! caller names.
//!
//! ```no_run
//! # fn demo(edition: &fond_model::Edition) -> Result<(), fond_export::ExportError> {
//! use fond_export::{tabular, tei};
//! let ctx = tei::TeiContext::for_sources(&edition.sources);
//! let files = tei::edition_files(&edition.documents, &ctx, &[], &[], &[])?;
//! tei::write_files(std::path::Path::new("out/tei"), &files)?;
//! let mut csv = Vec::new();
//! tabular::documents_csv(&mut csv, &edition.documents)?;
//! # Ok(()) }
//! ```

pub mod cmif;
mod records;
pub mod tabular;
pub mod tei;
mod xml;

pub use fond_model::authority::{EntityKind, Mention, MentionField as Field};
pub use records::{LifeDate, OfficeEntry, OrgEntry, PartialDate, PeriodicalEntry, PersonEntry};

use std::path::PathBuf;

/// Why an export failed. Building TEI and tables cannot fail (every input
/// is escaped, every id made valid); writing them and reading the
/// caller's records can.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A file or directory of the export could not be written.
    #[error("{path}: cannot write: {source}")]
    WriteFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The writer a table was being written to failed.
    #[error("writing the {table} table: {source}")]
    WriteTable {
        table: &'static str,
        #[source]
        source: std::io::Error,
    },
    /// A record could not be serialised as JSON (a bug: every record
    /// type here serialises).
    #[error("writing the {table} table as JSON Lines: {source}")]
    Json {
        table: &'static str,
        #[source]
        source: serde_json::Error,
    },
    /// Two records of the personography would get the same `xml:id`.
    #[error("personography: {first} and {second} would share the xml:id {id}")]
    DuplicateId {
        id: String,
        first: String,
        second: String,
    },
    /// Two documents would be written to the same file.
    #[error("documents {first} and {second} would both be written to {file}")]
    DuplicateFile {
        file: String,
        first: String,
        second: String,
    },
}
