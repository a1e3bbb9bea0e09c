//! What can go wrong with an archive, said so that a historian at a terminal
//! knows what to do next.
//!
//! Public errors carry the path of the archive they concern. Inside the
//! crate the code works with [`Fail`], which has no path: the functions that
//! touch SQLite do not know (and should not have to be told) which file they
//! are on, and the public methods of [`crate::Archive`] attach it once, on
//! the way out.

use crate::DB_FILE;
use rusqlite::ErrorCode;
use std::path::{Path, PathBuf};

/// Why an archive could not be opened, read or written.
///
/// Underlying causes (SQLite, JSON, I/O) are exposed through
/// [`std::error::Error::source`] rather than repeated in the message, so that
/// `anyhow`'s `{:#}` prints each cause once.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// `open_existing` found no database file in the directory.
    #[error("{}: no fond archive here (no {DB_FILE}); run `fond ingest` on your sources to create one", .path.display())]
    NotFound { path: PathBuf },

    /// The archive was written by a newer fond. Opening it would risk
    /// misreading (or, worse, "migrating") a schema this build does not know.
    #[error(
        "{}: the archive has schema version {found}, newer than this fond supports (up to {supported}); upgrade fond to open it",
        .path.display()
    )]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },

    /// The file exists but is not a fond archive (not SQLite at all, or
    /// another program's database). It is left untouched.
    #[error("{}: not a fond archive: {why}", .path.display())]
    NotAnArchive { path: PathBuf, why: String },

    /// The archive directory could not be created.
    #[error("{}: cannot create the archive directory", .path.display())]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Another process holds the write lock for longer than we wait.
    #[error("{}: the archive is locked by another process (another `fond ingest`?); try again when it has finished", .path.display())]
    Locked { path: PathBuf },

    /// Another fond holds the archive's write lock and `--no-wait` was
    /// given.
    #[error("{}: waiting for the archive: another fond is writing it; run again when it has finished, or without --no-wait to wait", .path.display())]
    Busy { path: PathBuf },

    /// The write lock file could not be opened or locked.
    #[error("{}: cannot take the archive's write lock (is the folder writable?)", .path.display())]
    LockFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The archive changed between reading the state a write was derived
    /// from and the write: writing would lose the other change.
    #[error("{}: the archive changed while this command was working (another fond wrote to it); nothing was written; run the command again", .path.display())]
    Changed { path: PathBuf },

    /// Any other failure reported by SQLite (disk full, I/O error, a
    /// constraint or trigger a user added by hand...).
    #[error("{}: database error", .path.display())]
    Database {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    /// The archive opened but what it holds does not decode: damaged by
    /// hand, or written by a fond whose model differs from this one.
    #[error("{}: the archive is damaged or was written by another version of fond ({detail}); rebuild it with `fond ingest`", .path.display())]
    Corrupt { path: PathBuf, detail: String },

    /// A value of the edition could not be turned into JSON.
    #[error("cannot encode {what} as JSON")]
    Encode {
        what: String,
        #[source]
        source: serde_json::Error,
    },

    /// Two documents of the edition share an id: ids are the archive's
    /// primary key and what `fond show` looks up.
    #[error("the edition has two documents with id \"{id}\"; document ids must be unique")]
    DuplicateDocument { id: String },

    /// Two sources share a name.
    #[error("two sources are named \"{name}\"; source names must be unique")]
    DuplicateSource { name: String },

    /// The sources handed in with their text do not match the sources the
    /// edition says it was derived from. Storing them anyway would break the
    /// promise that the edition can be re-derived from the archive alone.
    #[error("source \"{name}\": {why}")]
    SourceMismatch { name: String, why: String },

    /// A correction that cannot be kept (no reason, a value that does not
    /// fit its field, ...). Nothing of the batch was stored.
    #[error("correction {id}: {why}; nothing was stored")]
    InvalidCorrection { id: String, why: String },

    /// Another correction already has this id.
    #[error("a different correction with id \"{id}\" is already in the archive; nothing was stored (`fond history DOC` shows it; give the new entry another id)")]
    CorrectionIdTaken { id: String },

    /// A revert names a correction the archive does not hold.
    #[error("no correction \"{id}\" in the archive; `fond corrections list` shows the ids")]
    NoSuchCorrection { id: String },

    /// A revert names another revert.
    #[error("\"{id}\" is itself a revert and cannot be taken back; to restore the value, correct the field again (`fond correct`)")]
    RevertOfRevert { id: String },

    /// A visibility setting names a document, collection or source the
    /// archive does not hold: restricting a mistyped id must not look as
    /// if it had worked.
    #[error("no {kind} \"{id}\" in the archive; {hint}")]
    UnknownTarget {
        kind: &'static str,
        id: String,
        hint: &'static str,
    },

    /// A visibility setting that cannot be stored as given (an embargo
    /// without its day, a day on a setting that is not an embargo, no
    /// reason).
    #[error("{0}")]
    BadSetting(String),

    /// An account that cannot be kept as given (a name that cannot be one,
    /// an empty, short or guessable password).
    #[error("{0}")]
    BadAccount(String),

    /// `fond user add` of a name already held.
    #[error("there is already an account \"{name}\"; `fond user passwd {name}` sets its password, `fond user list` shows the accounts")]
    UserExists { name: String },

    /// An account the archive does not hold.
    #[error("no account \"{name}\"; `fond user list` shows the accounts")]
    UnknownUser { name: String },

    /// Removing or demoting the only admin would leave no one to manage
    /// the accounts in the reading room.
    #[error("\"{name}\" is the only admin; make another account admin first (`fond user add NAME --role admin`)")]
    LastAdmin { name: String },

    /// A number does not fit SQLite's signed 64-bit integers.
    #[error("{what} is too large to store")]
    TooLarge { what: String },
}

/// A failure inside the crate, before the archive path is known.
#[derive(Debug)]
pub(crate) enum Fail {
    Db(rusqlite::Error),
    /// The stored data does not decode.
    Corrupt(String),
    /// Already a complete public error (input validation, encoding).
    Store(StoreError),
    /// The archive changed under a checked write.
    Changed,
}

impl From<rusqlite::Error> for Fail {
    fn from(e: rusqlite::Error) -> Fail {
        Fail::Db(e)
    }
}

impl From<StoreError> for Fail {
    fn from(e: StoreError) -> Fail {
        Fail::Store(e)
    }
}

impl Fail {
    /// The public error, naming the database file `path`.
    pub(crate) fn at(self, path: &Path) -> StoreError {
        let path = path.to_path_buf();
        match self {
            Fail::Db(e) => match e.sqlite_error_code() {
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                    StoreError::Locked { path }
                }
                Some(ErrorCode::NotADatabase) => StoreError::NotAnArchive {
                    path,
                    why: "the file is not an SQLite database".into(),
                },
                _ => StoreError::Database { path, source: e },
            },
            Fail::Corrupt(detail) => StoreError::Corrupt { path, detail },
            Fail::Changed => StoreError::Changed { path },
            Fail::Store(e) => e,
        }
    }
}

/// A JSON encoding failure of one of the edition's values. Takes the
/// description already built: callers build it only on the error path
/// (`map_err(|e| encode(format!(..), e))`).
pub(crate) fn encode(what: String, source: serde_json::Error) -> Fail {
    Fail::Store(StoreError::Encode { what, source })
}
