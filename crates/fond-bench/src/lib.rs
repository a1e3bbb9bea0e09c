//! The benchmarks behind `fond bench`, each against a named peer run in the
//! same process or on the same machine:
//!
//! - [`search`]: the search index against SQLite FTS5 on a synthetic
//!   archive of any size;
//! - [`collate`]: fond's aligner against CollateX on witness pairs cut
//!   from the reference corpus;
//! - [`link`]: the authority's linker against a naive one (a regex per
//!   name variant).
//!
//! They live here, not in the library crates, so that those crates carry
//! no peer, no benchmark error variant and no benchmark-only dependency
//! (rusqlite, tempfile): a library's API answers to the edition. Nothing
//! here asserts a time; timing belongs to the command, never to tests.

pub mod collate;
pub mod link;
pub mod search;

pub use search::{run_bench, synthetic_archive, BenchConfig};

/// Why a benchmark could not give its figures.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// The search index failed (building or querying).
    #[error(transparent)]
    Search(#[from] fond_search::SearchError),

    /// The peer (SQLite FTS5) failed.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),

    /// A file or folder the benchmark needs.
    #[error("{path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },

    /// Writing the report failed.
    #[error("writing output: {0}")]
    Output(#[source] std::io::Error),

    /// The benchmark was asked something it cannot do.
    #[error("benchmark: {0}")]
    Config(String),
}

impl BenchError {
    pub(crate) fn io(path: impl Into<std::path::PathBuf>, source: std::io::Error) -> BenchError {
        BenchError::Io {
            path: path.into(),
            source,
        }
    }
}
