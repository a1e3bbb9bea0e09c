//! The archive: fond's source of truth.
//!
//! An archive is a directory holding one SQLite file, [`DB_FILE`]. It keeps
//! every source with its full text, so that the whole edition can always be
//! re-derived from the archive alone, and the edition derived from them:
//! each document as the full serde JSON of [`fond_model::Document`] (what
//! fond reads back) plus relational projections (documents, notes, archival
//! references, witnesses, findings) for historians who open the file with
//! `sqlite3`.
//!
//! Writes replace the whole edition in one transaction
//! ([`Archive::replace_edition`]); a failure, a panic or a killed process
//! leaves the previous edition intact. Opening an up-to-date archive writes
//! nothing, so commands that only read leave the file byte for byte as it
//! was.

mod accounts;
mod corrections;
mod error;
mod links;
mod lock;
mod read;
mod reviews;
mod schema;
mod visibility;
mod write;

#[cfg(test)]
mod tests;

pub use accounts::{LoginLimit, NewSession, SessionUser, User, MIN_PASSWORD};
pub use corrections::{Added, CorrectionRow};
pub use error::StoreError;
pub use lock::{Wait, WriteLock, LOCK_FILE};
pub use read::ListRow;
pub use reviews::{finding_key, Decision, QueueFilter, QueueItem, Review};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};
pub use write::DocumentsUpdate;

use error::Fail;
use fond_model::authority::{Entity, EntityKind, Mention, Record};
use fond_model::correction::{Correction, Outcome};
use fond_model::{DocKind, Document, Edition, Finding, Source};
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The database file inside an archive directory.
pub const DB_FILE: &str = "fond.sqlite";

/// How long to wait for another process's lock before giving up with
/// [`StoreError::Locked`]. Long enough to ride out a reader, short enough
/// not to look hung behind a long ingest.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A source together with its full decoded text, as the archive keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSource {
    pub source: Source,
    pub text: String,
}

/// A document's kind and the ends of its date interval (absent when open
/// or undated).
pub type DateEnds = (DocKind, Option<fond_model::Day>, Option<fond_model::Day>);

/// Which documents [`Archive::documents`] returns. Every field that is set
/// must match; the default matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocFilter {
    /// Documents whose date interval overlaps this calendar year (an open
    /// end reaches indefinitely). Documents with no interval at all never
    /// match.
    pub year: Option<i32>,
    pub kind: Option<DocKind>,
    /// Case-insensitive substring of any sender.
    pub from: Option<String>,
    /// Case-insensitive substring of any addressee.
    pub to: Option<String>,
    /// Exact collection name.
    pub collection: Option<String>,
}

/// What an archive holds, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Documents per kind; kinds without documents are absent.
    pub documents: BTreeMap<DocKind, usize>,
    pub notes: usize,
    pub archival_refs: usize,
    pub witnesses: usize,
    /// Documents with more than one witness.
    pub multi_witness_documents: usize,
    pub findings: usize,
    pub sources: usize,
}

impl Counts {
    /// Documents of every kind together.
    pub fn total_documents(&self) -> usize {
        self.documents.values().sum()
    }
}

/// An open archive. Holds one SQLite connection; not `Sync`, open one per
/// thread if needed.
#[derive(Debug)]
pub struct Archive {
    dir: PathBuf,
    db: PathBuf,
    conn: Connection,
}

impl Archive {
    /// Creates the directory if needed, opens or creates [`DB_FILE`] and
    /// brings its schema up to [`SCHEMA_VERSION`].
    ///
    /// Refuses, without touching the file, an archive whose schema is newer
    /// ([`StoreError::NewerSchema`]) and a file that is not a fond archive
    /// ([`StoreError::NotAnArchive`]).
    pub fn open(dir: &Path) -> Result<Archive, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
            path: dir.to_path_buf(),
            source,
        })?;
        Archive::connect(
            dir,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )
    }

    /// Opens an archive that already exists: [`StoreError::NotFound`] when
    /// the directory has no [`DB_FILE`], so that reading commands never
    /// leave an empty archive behind a mistyped path.
    pub fn open_existing(dir: &Path) -> Result<Archive, StoreError> {
        if !dir.join(DB_FILE).is_file() {
            return Err(StoreError::NotFound {
                path: dir.to_path_buf(),
            });
        }
        // Without CREATE: should the file vanish after the check above,
        // SQLite fails rather than creating an empty one.
        Archive::connect(dir, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(|e| match e {
            StoreError::Database { source, .. }
                if source.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen) =>
            {
                StoreError::NotFound {
                    path: dir.to_path_buf(),
                }
            }
            e => e,
        })
    }

    fn connect(dir: &Path, flags: OpenFlags) -> Result<Archive, StoreError> {
        let db = dir.join(DB_FILE);
        let flags = flags | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn =
            Connection::open_with_flags(&db, flags).map_err(|e| Fail::from(e).at(&db))?;
        Archive::prepare(&mut conn, &db).map_err(|e| e.at(&db))?;
        Ok(Archive {
            dir: dir.to_path_buf(),
            db,
            conn,
        })
    }

    /// Connection settings, version checks and migrations.
    fn prepare(conn: &mut Connection, db: &Path) -> Result<(), Fail> {
        // Connection-level settings only: none of them writes to the file.
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Room for the statements of a write plus the filter variants of
        // `documents`.
        conn.set_prepared_statement_cache_capacity(32);
        // A bigger page cache (32 MiB, allocated only as used) lets a large
        // edition be written without spilling to the file mid-transaction.
        conn.pragma_update(None, "cache_size", -32768)?;

        // Both questions in one read transaction, hence one snapshot: another
        // process setting up the same new archive at this moment cannot make
        // a half-seen fond schema look like a foreign database. The
        // transaction only reads; dropping it writes nothing.
        let (found, foreign) = {
            let snapshot = conn.transaction()?;
            let found = schema::read_version(&snapshot)?;
            (found, found == 0 && schema::has_foreign_tables(&snapshot)?)
        };
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: db.to_path_buf(),
                found,
                supported: SCHEMA_VERSION,
            }
            .into());
        }
        if foreign {
            return Err(StoreError::NotAnArchive {
                path: db.to_path_buf(),
                why: "it is an SQLite database with tables of its own but no fond schema version"
                    .into(),
            }
            .into());
        }
        schema::migrate(conn)
    }

    /// The archive directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The database file (`<dir>/fond.sqlite`).
    pub fn db_path(&self) -> &Path {
        &self.db
    }

    /// The schema version of the open archive (equal to [`SCHEMA_VERSION`]
    /// once opened, unless another process changed it since).
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        schema::read_version(&self.conn).map_err(|e| e.at(&self.db))
    }

    /// Sources kept with their full text, in the edition's order, so that
    /// the whole edition can be re-derived from the archive alone.
    pub fn stored_sources(&self) -> Result<Vec<StoredSource>, StoreError> {
        read::stored_sources(&self.conn).map_err(|e| e.at(&self.db))
    }

    /// The fingerprint recorded by the last successful
    /// [`replace_edition`](Archive::replace_edition); `None` on a new
    /// archive.
    pub fn fingerprint(&self) -> Result<Option<String>, StoreError> {
        read::fingerprint(&self.conn).map_err(|e| e.at(&self.db))
    }

    /// Replaces everything — sources with their text, documents, notes,
    /// archival references, witnesses, findings and the fingerprint — in
    /// one transaction. If anything fails, nothing changes.
    ///
    /// `sources` must name exactly the sources of `edition.sources`, with
    /// identical records ([`StoreError::SourceMismatch`] otherwise);
    /// document ids must be unique. Rows are written in the order given, so
    /// the same edition always gives the same rows.
    ///
    /// `on_document(i)` is called after each document and its notes,
    /// references and witnesses are written, `i` counting from 1. It runs
    /// inside the transaction: if it panics the transaction is rolled back
    /// as the panic unwinds; if it aborts the process, the next open rolls
    /// the journal back. Either way the previous edition survives.
    pub fn replace_edition(
        &mut self,
        sources: &[StoredSource],
        edition: &Edition,
        fingerprint: &str,
        on_document: &mut dyn FnMut(usize),
    ) -> Result<(), StoreError> {
        write::replace_edition(
            &mut self.conn,
            sources,
            edition,
            fingerprint,
            None,
            None,
            on_document,
        )
        .map_err(|e| e.at(&self.db))
    }

    /// [`replace_edition`](Archive::replace_edition), checked against lost
    /// updates: `derived_from` is the fingerprint the caller read before it
    /// read the stored sources (`None` for a new archive). If the archive's
    /// fingerprint is no longer that when the write transaction starts,
    /// another writer committed in between, nothing is written and the
    /// error is [`StoreError::Changed`].
    pub fn replace_edition_from(
        &mut self,
        derived_from: Option<&str>,
        sources: &[StoredSource],
        edition: &Edition,
        fingerprint: &str,
        on_document: &mut dyn FnMut(usize),
    ) -> Result<(), StoreError> {
        write::replace_edition(
            &mut self.conn,
            sources,
            edition,
            fingerprint,
            Some(derived_from),
            None,
            on_document,
        )
        .map_err(|e| e.at(&self.db))
    }

    /// [`replace_edition_from`](Archive::replace_edition_from) for an
    /// edition the stored corrections were applied to: `outcomes` (what
    /// became of corrections, those that changed since the last
    /// re-derivation at least) are recorded in the same transaction. The
    /// corrections themselves are not touched.
    pub fn replace_corrected_edition_from(
        &mut self,
        derived_from: Option<&str>,
        sources: &[StoredSource],
        edition: &Edition,
        fingerprint: &str,
        outcomes: &[Outcome],
        on_document: &mut dyn FnMut(usize),
    ) -> Result<(), StoreError> {
        write::replace_edition(
            &mut self.conn,
            sources,
            edition,
            fingerprint,
            Some(derived_from),
            Some(outcomes),
            on_document,
        )
        .map_err(|e| e.at(&self.db))
    }

    /// Replaces some documents of the edition (a correction of them made
    /// in place), in one transaction checked against lost updates like
    /// [`replace_edition_from`](Archive::replace_edition_from): their rows,
    /// the edition's conflict findings, the outcomes that changed, the
    /// fingerprint, and, when given, their mentions. Everything else stays
    /// as it is. Returns whether the links were written (else their stamp
    /// is cleared and the caller links again).
    pub fn replace_documents_from(
        &mut self,
        derived_from: Option<&str>,
        update: &DocumentsUpdate<'_>,
    ) -> Result<bool, StoreError> {
        write::replace_documents(&mut self.conn, derived_from, update).map_err(|e| e.at(&self.db))
    }

    /// The kind and date ends of every document of a collection (what
    /// the search index's span of the collection is computed from).
    pub fn collection_dates(&self, collection: &str) -> Result<Vec<DateEnds>, StoreError> {
        read::collection_dates(&self.conn, collection).map_err(|e| e.at(&self.db))
    }

    /// The names of some authority records, as the links store them.
    pub fn entity_names(
        &self,
        entities: &[Entity],
    ) -> Result<std::collections::HashMap<Entity, String>, StoreError> {
        links::names(&self.conn, entities).map_err(|e| e.at(&self.db))
    }

    /// The review queue: the stored findings and `extra` ones derived
    /// elsewhere (the names the linker could not decide), filtered by
    /// kind, collection and whether they are decided, each with its key
    /// and the decision in force.
    pub fn review_queue(
        &self,
        extra: Vec<Finding>,
        filter: &QueueFilter,
    ) -> Result<Vec<QueueItem>, StoreError> {
        let findings = self.findings()?;
        reviews::queue(&self.conn, findings, extra, filter).map_err(|e| e.at(&self.db))
    }

    /// Records an editor's decision on a finding (appended; the latest
    /// per key is in force). [`StoreError::BadSetting`] for a dismissal
    /// without a reason.
    pub fn decide(&mut self, review: &Review) -> Result<(), StoreError> {
        reviews::decide(&mut self.conn, review).map_err(|e| e.at(&self.db))
    }

    /// The decisions in force, oldest first.
    pub fn reviews(&self) -> Result<Vec<Review>, StoreError> {
        reviews::current(&self.conn).map_err(|e| e.at(&self.db))
    }

    /// Every decision ever recorded, oldest first.
    pub fn review_history(&self) -> Result<Vec<Review>, StoreError> {
        reviews::history(&self.conn).map_err(|e| e.at(&self.db))
    }

    /// Records what became of corrections at a stage after the edition
    /// (the linking stage judges the editors' mention decisions), in one
    /// transaction.
    pub fn record_outcomes(&mut self, outcomes: &[Outcome]) -> Result<(), StoreError> {
        let run = |conn: &mut rusqlite::Connection| -> Result<(), Fail> {
            let tx = conn.transaction()?;
            corrections::write_outcomes(&tx, outcomes)?;
            tx.commit()?;
            Ok(())
        };
        run(&mut self.conn).map_err(|e| e.at(&self.db))
    }

    /// The editors' corrections, in the history's order, with what became
    /// of each at the last re-derivation; only one document's when `doc`
    /// is given.
    pub fn correction_rows(&self, doc: Option<&str>) -> Result<Vec<CorrectionRow>, StoreError> {
        corrections::corrections(&self.conn, doc).map_err(|e| e.at(&self.db))
    }

    /// The editors' corrections, in the history's order: what every
    /// re-derivation applies.
    pub fn corrections(&self) -> Result<Vec<Correction>, StoreError> {
        Ok(self
            .correction_rows(None)?
            .into_iter()
            .map(|r| r.correction)
            .collect())
    }

    /// Adds entries to the history, in one transaction (all or none). An
    /// entry already held exactly is left as it is; a revert marks the
    /// correction it names as reverted. Entries that cannot be kept are
    /// refused with what is wrong ([`StoreError::InvalidCorrection`],
    /// [`StoreError::CorrectionIdTaken`], [`StoreError::NoSuchCorrection`],
    /// [`StoreError::RevertOfRevert`]). The edition is not re-derived
    /// here: the caller does that, with the corrections applied.
    pub fn add_corrections(&mut self, entries: &[Correction]) -> Result<Added, StoreError> {
        corrections::add(&mut self.conn, entries).map_err(|e| e.at(&self.db))
    }

    /// The sources, without their text, in the edition's order.
    pub fn sources(&self) -> Result<Vec<Source>, StoreError> {
        read::sources(&self.conn).map_err(|e| e.at(&self.db))
    }

    /// The documents matching `filter`, by `order` then id.
    pub fn documents(&self, filter: &DocFilter) -> Result<Vec<Document>, StoreError> {
        read::documents(&self.conn, filter).map_err(|e| e.at(&self.db))
    }

    /// What `fond list` shows of the documents matching `filter`, in the
    /// same order as [`documents`](Archive::documents), without decoding
    /// them (a year filter excepted).
    pub fn list(&self, filter: &DocFilter) -> Result<Vec<ListRow>, StoreError> {
        read::list(&self.conn, filter).map_err(|e| e.at(&self.db))
    }

    /// One document by id.
    pub fn document(&self, id: &str) -> Result<Option<Document>, StoreError> {
        read::document(&self.conn, id).map_err(|e| e.at(&self.db))
    }

    /// The QA findings, in the edition's order.
    pub fn findings(&self) -> Result<Vec<Finding>, StoreError> {
        read::findings(&self.conn).map_err(|e| e.at(&self.db))
    }

    /// Replaces the linking stage's output — authority records and
    /// mentions — in one transaction, recording `fingerprint` (the edition
    /// and the linker it was linked with). Replacing the edition clears
    /// them, so links never outlive the documents they point into.
    pub fn replace_links(
        &mut self,
        records: &[Record],
        mentions: &[Mention],
        fingerprint: &str,
    ) -> Result<(), StoreError> {
        links::replace_links(&mut self.conn, records, mentions, fingerprint, None)
            .map_err(|e| e.at(&self.db))
    }

    /// [`replace_links`](Archive::replace_links), written only if the
    /// edition is still the one with fingerprint `edition` (the one the
    /// links were derived from); [`StoreError::Changed`] otherwise.
    pub fn replace_links_for(
        &mut self,
        edition: &str,
        records: &[Record],
        mentions: &[Mention],
        fingerprint: &str,
    ) -> Result<(), StoreError> {
        links::replace_links(
            &mut self.conn,
            records,
            mentions,
            fingerprint,
            Some(edition),
        )
        .map_err(|e| e.at(&self.db))
    }

    /// The fingerprint the current links were made for.
    pub fn links_fingerprint(&self) -> Result<Option<String>, StoreError> {
        links::links_fingerprint(&self.conn).map_err(|e| e.at(&self.db))
    }

    /// Authority records, of one kind or all, in the order written.
    pub fn entities(&self, kind: Option<EntityKind>) -> Result<Vec<Record>, StoreError> {
        links::entities(&self.conn, kind).map_err(|e| e.at(&self.db))
    }

    /// Mentions of one entity.
    pub fn mentions_of(&self, entity: &Entity) -> Result<Vec<Mention>, StoreError> {
        links::mentions(&self.conn, Some(entity), None, false).map_err(|e| e.at(&self.db))
    }

    /// Mentions in one document (body, notes and parties).
    pub fn mentions_in(&self, doc_id: &str) -> Result<Vec<Mention>, StoreError> {
        links::mentions(&self.conn, None, Some(doc_id), false).map_err(|e| e.at(&self.db))
    }

    /// Every mention, or only those the linker could not resolve.
    pub fn all_mentions(&self, unresolved_only: bool) -> Result<Vec<Mention>, StoreError> {
        links::mentions(&self.conn, None, None, unresolved_only).map_err(|e| e.at(&self.db))
    }

    /// The whole edition as stored: equal to the edition last written when
    /// its documents were in `order`-then-id order (as
    /// `fond_ingest::build_edition` leaves them).
    pub fn edition(&self) -> Result<Edition, StoreError> {
        Ok(Edition {
            sources: self.sources()?,
            documents: self.documents(&DocFilter::default())?,
            findings: self.findings()?,
        })
    }

    /// Records a visibility setting (a restriction, an embargo, a
    /// release). The target must exist: [`StoreError::UnknownTarget`]
    /// otherwise, and [`StoreError::BadSetting`] for an embargo without its
    /// day, a day on anything else, or no reason. Appended, never
    /// overwriting: the earlier settings stay as the target's history.
    pub fn set_visibility(
        &mut self,
        setting: &fond_model::visibility::Setting,
    ) -> Result<(), StoreError> {
        visibility::set(&mut self.conn, setting).map_err(|e| e.at(&self.db))
    }

    /// The editors' visibility settings in force (the latest per target).
    pub fn visibility(&self) -> Result<Vec<fond_model::visibility::Setting>, StoreError> {
        visibility::current(&self.conn).map_err(|e| e.at(&self.db))
    }

    /// Every visibility setting ever recorded, oldest first.
    pub fn visibility_history(&self) -> Result<Vec<fond_model::visibility::Setting>, StoreError> {
        visibility::history(&self.conn).map_err(|e| e.at(&self.db))
    }

    /// The editors' setting in force for one target.
    pub fn visibility_of(
        &self,
        target: &fond_model::visibility::Target,
    ) -> Result<Option<fond_model::visibility::Setting>, StoreError> {
        visibility::of(&self.conn, target).map_err(|e| e.at(&self.db))
    }

    /// Counts of what the archive holds.
    pub fn counts(&self) -> Result<Counts, StoreError> {
        read::counts(&self.conn).map_err(|e| e.at(&self.db))
    }

    /// Adds an account (`by` and `when`: who created it, RFC 3339 UTC).
    /// [`StoreError::UserExists`] for a name held,
    /// [`StoreError::BadAccount`] for a name or password that cannot be.
    pub fn add_user(
        &mut self,
        name: &str,
        role: fond_model::visibility::Role,
        password: &str,
        by: &str,
        when: &str,
    ) -> Result<(), StoreError> {
        accounts::add(&mut self.conn, name, role, password, by, when).map_err(|e| e.at(&self.db))
    }

    /// Sets an account's password and ends its sessions.
    pub fn set_password(&mut self, name: &str, password: &str) -> Result<(), StoreError> {
        accounts::passwd(&mut self.conn, name, password).map_err(|e| e.at(&self.db))
    }

    /// Changes an account's role (at once, for its open sessions too);
    /// [`StoreError::LastAdmin`] for the only admin.
    pub fn set_role(
        &mut self,
        name: &str,
        role: fond_model::visibility::Role,
    ) -> Result<(), StoreError> {
        accounts::set_role(&mut self.conn, name, role).map_err(|e| e.at(&self.db))
    }

    /// Removes an account and ends its sessions; not the only admin.
    pub fn remove_user(&mut self, name: &str) -> Result<(), StoreError> {
        accounts::remove(&mut self.conn, name).map_err(|e| e.at(&self.db))
    }

    /// The accounts by name, with their sessions open at `now` (Unix
    /// seconds).
    pub fn users(&self, now: i64) -> Result<Vec<User>, StoreError> {
        accounts::list(&self.conn, now).map_err(|e| e.at(&self.db))
    }

    /// The account's role when `password` is its password; `None` for a
    /// wrong password or an account not held (alike, and as slow).
    pub fn check_password(
        &self,
        name: &str,
        password: &str,
    ) -> Result<Option<fond_model::visibility::Role>, StoreError> {
        accounts::check(&self.conn, name, password).map_err(|e| e.at(&self.db))
    }

    /// Opens a session for `name` lasting `ttl` seconds from `now`: a new
    /// random token every time (the archive keeps its hash only).
    pub fn open_session(
        &mut self,
        name: &str,
        now: i64,
        ttl: i64,
    ) -> Result<NewSession, StoreError> {
        accounts::open_session(&mut self.conn, name, now, ttl).map_err(|e| e.at(&self.db))
    }

    /// The account of a live session token.
    pub fn session(&self, token: &str, now: i64) -> Result<Option<SessionUser>, StoreError> {
        accounts::session(&self.conn, token, now).map_err(|e| e.at(&self.db))
    }

    /// Ends a session (logging out): its token opens nothing any more.
    pub fn close_session(&self, token: &str) -> Result<(), StoreError> {
        accounts::close_session(&self.conn, token).map_err(|e| e.at(&self.db))
    }

    /// Records a checked login attempt for the rate limit.
    pub fn record_login(
        &self,
        account: &str,
        address: &str,
        ok: bool,
        now: i64,
    ) -> Result<(), StoreError> {
        accounts::record_attempt(&self.conn, account, address, ok, now).map_err(|e| e.at(&self.db))
    }

    /// Seconds before a login of `account` from `address` is checked
    /// again ([`LoginLimit`]); `None`: now.
    pub fn login_wait(
        &self,
        account: &str,
        address: &str,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        accounts::login_wait(&self.conn, account, address, now).map_err(|e| e.at(&self.db))
    }
}
