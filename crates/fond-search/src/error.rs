//! The one error type of the crate.

use crate::query::QueryError;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query does not parse; the error points at the place.
    #[error("{0}")]
    Query(#[from] QueryError),

    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),

    #[error("cannot open the search index directory {path}: {source}")]
    OpenDirectory {
        path: PathBuf,
        #[source]
        source: tantivy::directory::error::OpenDirectoryError,
    },

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The directory exists and holds something that is not a fond search
    /// index: building would delete it, so we refuse.
    #[error("{0} exists and is not a fond search index; refusing to replace it")]
    NotAnIndex(PathBuf),

    /// The index was built by another version of the schema or analyzers:
    /// it must be rebuilt (it is derived, so nothing is lost).
    #[error("the search index at {path} is version {found}, this build reads version {expected}; rebuild it with `fond index`")]
    Stale {
        path: PathBuf,
        found: String,
        expected: String,
    },

    #[error("no document with id {0} in the search index")]
    UnknownDocument(String),

    /// Writing CSV output failed.
    #[error("writing output: {0}")]
    Output(#[source] std::io::Error),
}

impl SearchError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> SearchError {
        SearchError::Io {
            path: path.into(),
            source,
        }
    }
}
