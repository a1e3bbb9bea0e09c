//! The archive's schema and its migrations.
//!
//! The schema is versioned so that an archive outlives the fond that wrote
//! it: each migration is one step of SQL, applied in its own transaction
//! together with the version bump, so a crash between steps leaves an
//! archive at a well-defined earlier version that the next open simply
//! carries forward. The version is recorded twice, in `meta.schema_version`
//! (readable by anyone with `sqlite3`) and in `PRAGMA user_version` (in the
//! file header, readable even when the tables are not what we expect); the
//! higher of the two counts, so that neither can talk us into "migrating" an
//! archive from the future.
//!
//! To change the schema: append a step to [`MIGRATIONS`] and bump
//! [`SCHEMA_VERSION`]; never edit a step that has shipped. If the change
//! alters what the `model` column holds (the serde form of
//! `fond_model::Document`), the step must rewrite those rows or empty the
//! `meta.fingerprint` so that the next ingest rebuilds from the stored
//! sources.

use crate::error::Fail;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: u32 = 7;

/// `PRAGMA application_id`: "fond" in ASCII, so that `file(1)` and other
/// tools can tell a fond archive from any other SQLite file.
pub const APPLICATION_ID: i32 = 0x666f_6e64;

/// Step `i` (0-based) takes the schema from version `i` to version `i + 1`.
const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7];

// A forgotten bump (or a forgotten step) would make fresh archives claim a
// version whose tables they lack; refuse to compile instead.
const _: () = assert!(MIGRATIONS.len() == SCHEMA_VERSION as usize);

/// Version 1. Column order matters a little: SQLite reads a row's columns in
/// order, so the big `text` and `model` columns come last and reading the
/// small ones never walks their overflow pages.
///
/// `documents.model` is the full serde JSON of the document and is what
/// fond reads back; every other table is a projection of it for people who
/// open the file with `sqlite3`. `seq` columns keep the edition's order
/// explicitly rather than trusting rowids, which `VACUUM` may renumber.
/// Foreign keys are declared for readers and tools; fond writes consistent
/// rows itself and does not turn enforcement on.
const V1: &str = "
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE sources (
    name   TEXT PRIMARY KEY,
    seq    INTEGER NOT NULL,          -- position in the edition's source list
    sha256 TEXT NOT NULL,
    shape  TEXT NOT NULL,             -- edition-markdown, web-letters, ...
    title  TEXT NOT NULL,
    bytes  INTEGER NOT NULL,
    lines  INTEGER NOT NULL,
    text   TEXT NOT NULL              -- the whole decoded text
);

CREATE TABLE documents (
    id                TEXT PRIMARY KEY,
    ord               INTEGER NOT NULL,  -- the edition's order
    kind              TEXT NOT NULL,     -- letter, note, coded-telegram, ...
    collection        TEXT NOT NULL,
    number            INTEGER,
    chapter           TEXT,
    title             TEXT NOT NULL,
    date_written      TEXT,              -- author's dateline as printed
    date_editorial    TEXT,              -- editors' bracketed date as printed
    date_edtf         TEXT,              -- NULL when there is no interval at all
    date_earliest     TEXT,              -- YYYY-MM-DD, NULL when open
    date_latest       TEXT,              -- YYYY-MM-DD, NULL when open
    date_disagreement INTEGER NOT NULL,  -- 0/1
    place             TEXT,
    senders           TEXT NOT NULL,     -- JSON array of names
    addressees        TEXT NOT NULL,     -- JSON array of names
    quoted_in         TEXT,
    model             TEXT NOT NULL      -- serde JSON of the whole Document
);
CREATE INDEX documents_kind ON documents(kind);
CREATE INDEX documents_date_earliest ON documents(date_earliest);
CREATE INDEX documents_order ON documents(ord, id);

CREATE TABLE notes (
    doc_id       TEXT NOT NULL REFERENCES documents(id),
    n            INTEGER NOT NULL,
    by_role      TEXT NOT NULL,       -- editors, editor, translator, other
    by_name      TEXT,                -- the name the edition gives them, if any
    call_form    TEXT NOT NULL,       -- superscript, glued, lost
    special_file INTEGER NOT NULL,    -- 0/1: the Politburo's Special File
    relocated    INTEGER NOT NULL,    -- 0/1: put back after a page break
    text         TEXT NOT NULL
);
CREATE INDEX notes_doc ON notes(doc_id);

CREATE TABLE archival_refs (
    doc_id     TEXT NOT NULL REFERENCES documents(id),
    note_n     INTEGER NOT NULL,
    seq        INTEGER NOT NULL,      -- 1-based position within the note
    archive    TEXT NOT NULL,
    fond       TEXT NOT NULL,
    opis       TEXT,
    delo       TEXT,
    sheets     TEXT,                  -- 'l. 5', 'll. 1, 2', 'll. 8-23'
    printed    TEXT NOT NULL,         -- the reference as printed
    ibid       INTEGER NOT NULL,      -- 0/1: printed as 'Ibid.', completed
    normalized TEXT NOT NULL          -- 'RTsKhIDNI f. 17, op. 3, d. 510, l. 5'
);
CREATE INDEX archival_refs_normalized ON archival_refs(normalized);
CREATE INDEX archival_refs_doc ON archival_refs(doc_id);

CREATE TABLE witnesses (
    doc_id     TEXT NOT NULL REFERENCES documents(id),
    seq        INTEGER NOT NULL,      -- 1-based position within the document
    source     TEXT NOT NULL,         -- sources.name
    first_line INTEGER NOT NULL,
    last_line  INTEGER NOT NULL,
    label      TEXT NOT NULL          -- the text: lines first_line..last_line of sources.text
);
CREATE INDEX witnesses_doc ON witnesses(doc_id);

CREATE TABLE findings (
    seq      INTEGER PRIMARY KEY,     -- 1-based, the edition's order
    kind     TEXT NOT NULL,           -- no-date, note-without-call, ...
    source   TEXT NOT NULL,
    line     INTEGER NOT NULL,
    document TEXT,
    message  TEXT NOT NULL
);
";

/// Version 2: the linking stage's output. `entities` holds the authority
/// records (people, bodies, periodicals) as their full serde JSON beside
/// the columns one queries by; `mentions` holds every link from a span of
/// a document's text (or a note's, or a party of the document) to an
/// entity. Both are derived from the documents and rebuilt whenever the
/// edition changes (`meta.links_fingerprint`).
const V2: &str = "
CREATE TABLE entities (
    kind   TEXT NOT NULL,             -- person, body, periodical
    id     TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    name   TEXT NOT NULL,             -- as printed
    record TEXT NOT NULL,             -- full serde JSON of the record
    PRIMARY KEY (kind, id)
);

CREATE TABLE mentions (
    doc_id      TEXT NOT NULL REFERENCES documents(id),
    field       TEXT NOT NULL,        -- body, note:N, sender, addressee
    seq         INTEGER NOT NULL,
    entity_kind TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    start       INTEGER NOT NULL,     -- byte span in the field's text
    end         INTEGER NOT NULL,
    surface     TEXT NOT NULL,
    confidence  REAL NOT NULL,
    resolved    INTEGER NOT NULL,     -- 0 when several entities share the name
    how         TEXT NOT NULL,
    candidates  TEXT NOT NULL         -- JSON array of kind:id
);
CREATE INDEX mentions_entity ON mentions(entity_kind, entity_id);
CREATE INDEX mentions_doc ON mentions(doc_id);
";

/// Version 3: the authority records' names and offices as tables of their
/// own, so that SQL users can ask who held what and which spellings a
/// person goes by without reading the records' JSON. Derived like the
/// rest of the links: the step clears `links_fingerprint`, so the next
/// open relinks and fills them.
const V3: &str = "
CREATE TABLE entity_names (
    kind    TEXT NOT NULL,            -- person, body, periodical
    id      TEXT NOT NULL,            -- entities.id
    seq     INTEGER NOT NULL,         -- 1 for the name as printed
    name    TEXT NOT NULL,
    variant TEXT NOT NULL,            -- printed, real-name, pseudonym, other-name, cross-reference,
                                      -- index-spelling, forename, alias, abbreviation, russian, translation
    PRIMARY KEY (kind, id, seq)
);
CREATE INDEX entity_names_name ON entity_names(name);

CREATE TABLE offices (
    person_id    TEXT NOT NULL,       -- entities.id of a person
    seq          INTEGER NOT NULL,
    body_id      TEXT,                -- entities.id of a body, when the authority has it
    body_text    TEXT NOT NULL,       -- the body as the text names it
    jurisdiction TEXT,
    role         TEXT,
    date_from    TEXT,                -- ISO 8601 at the precision the text gives
    date_to      TEXT,
    approximate  INTEGER NOT NULL,    -- 1: the text dates it roughly (early 1930)
    assumed_only INTEGER NOT NULL,    -- 1: one date, the end unknown
    source       TEXT NOT NULL,       -- glossary, institutional-background
    text         TEXT NOT NULL,       -- the sentence it was read from
    PRIMARY KEY (person_id, seq)
);
CREATE INDEX offices_body ON offices(body_id);

DELETE FROM meta WHERE key = 'links_fingerprint';
";

/// Version 4: the editors' corrections. Not derived data: nothing but an
/// editor writes or takes back a correction, and replacing the edition
/// leaves the table alone (every re-derivation applies it again). Rows are
/// only added, never deleted: a revert is a row of its own, and the row it
/// takes back has its `status` set to `reverted`, so the table is the
/// history. `record` is the whole `fond_model::correction::Correction` as
/// serde JSON, for `sqlite3` users and tools; fond reads the columns back
/// (every re-derivation reads the whole table, and decoding the columns is
/// cheaper than the record's flattened, untagged JSON). `state` and `now`
/// are derived: what became of the correction at the last re-derivation
/// (applied, conflict, ...) and the value the engine recovered there,
/// JSON. `doc_id` is no foreign key: a correction outlives its document,
/// as a conflict.
const V4: &str = "
CREATE TABLE corrections (
    seq     INTEGER PRIMARY KEY,      -- 1-based, the history's order
    id      TEXT NOT NULL UNIQUE,
    action  TEXT NOT NULL,            -- set, revert
    doc_id  TEXT NOT NULL,
    field   TEXT NOT NULL,            -- date, place, note:3:text, ...
    recovered TEXT NOT NULL,          -- JSON: the value the engine had recovered
    value   TEXT NOT NULL,            -- JSON: the value the editor gave
    by_name TEXT NOT NULL,
    at      TEXT NOT NULL,            -- UTC, RFC 3339
    why     TEXT NOT NULL,
    status  TEXT NOT NULL,            -- active, reverted
    reverts TEXT,                     -- for a revert: the id it takes back
    state   TEXT,                     -- derived: applied, agrees, conflict, ...
    now     TEXT,                     -- derived: JSON of the value recovered then
    record  TEXT NOT NULL             -- serde JSON of the whole correction
);
CREATE INDEX corrections_doc ON corrections(doc_id);
";

/// Version 5: who may read what. Visibility is the editors' data, not
/// derived from the sources, so no ingest touches this table (it is not
/// among the tables `replace_edition` clears). Rows are never updated:
/// each setting is appended, and the latest row per target is the one in
/// force, so the table is also the history (who, when, why) of every
/// restriction and release.
const V5: &str = "
CREATE TABLE visibility (
    seq         INTEGER PRIMARY KEY,
    target_kind TEXT NOT NULL,        -- document, collection, source
    target      TEXT NOT NULL,        -- its id (a source by its name)
    level       TEXT NOT NULL,        -- public, restricted, embargoed
    until       TEXT,                 -- YYYY-MM-DD: first public day of an embargo
    readers     TEXT NOT NULL,        -- JSON array of named readers (accounts to come)
    who         TEXT NOT NULL,
    at          TEXT NOT NULL,        -- RFC 3339 UTC
    why         TEXT NOT NULL
);
CREATE INDEX visibility_target ON visibility(target_kind, target, seq);
";

/// Version 6: the reading room's accounts. Not derived, untouched by any
/// ingest. `users.hash` is an Argon2id PHC string (never the password);
/// a session is keyed by the SHA-256 of its random token (the cookie
/// holds the token, the archive only its hash, so a copy of the file
/// opens no session), with its CSRF secret; `login_attempts` is what the
/// rate limit counts, per account and per address. Times are Unix
/// seconds.
const V6: &str = "
CREATE TABLE users (
    name       TEXT PRIMARY KEY,
    role       TEXT NOT NULL,         -- reader, editor, admin
    hash       TEXT NOT NULL,         -- Argon2id, PHC string format
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL          -- RFC 3339 UTC
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,      -- hex SHA-256 of the cookie's token
    user       TEXT NOT NULL REFERENCES users(name),
    created    INTEGER NOT NULL,
    expires    INTEGER NOT NULL,
    csrf       TEXT NOT NULL          -- the secret every form of the session carries
);
CREATE INDEX sessions_user ON sessions(user);

CREATE TABLE login_attempts (
    seq     INTEGER PRIMARY KEY,
    account TEXT NOT NULL,            -- the name given, held or not
    address TEXT NOT NULL,            -- the client's IP address
    at      INTEGER NOT NULL,
    ok      INTEGER NOT NULL          -- 1: the password was right
);
CREATE INDEX login_attempts_account ON login_attempts(account, at);
CREATE INDEX login_attempts_address ON login_attempts(address, at);
";

/// Version 7: the review queue's decisions, and an index for the
/// documents of one collection.
///
/// A review is an editor's decision on a finding of `fond check`: accept
/// (the engine's guess is confirmed), dismiss (with a reason), or reopen
/// (the decision taken back). Like corrections and visibility settings,
/// reviews are the editors' data, not derived: no ingest touches the
/// table, rows are appended and never updated, and the latest row per key
/// is the decision in force. `key` says what the finding is about — its
/// kind, its document, its message and the text of the source line it
/// points at (`fond_store::finding_key`) — so re-deriving the same sources
/// gives the same key and the decision holds, while a change of what the
/// finding concerns gives another key and the finding comes back.
/// `kind`, `document` and `message` are what the finding said when it was
/// decided, for `fond review list` and `sqlite3` users.
///
/// `documents_collection`: a correction made in place reads the dates of
/// its document's collection (the span that closes open date ends in the
/// search index) without a scan of every document.
const V7: &str = "
CREATE TABLE reviews (
    seq      INTEGER PRIMARY KEY,
    key      TEXT NOT NULL,           -- what the finding is about (f + 12 hex)
    kind     TEXT NOT NULL,           -- the finding's kind: no-date, unresolved-mention, ...
    document TEXT,                    -- the finding's document
    message  TEXT NOT NULL,           -- the finding's message when decided
    decision TEXT NOT NULL,           -- accept, dismiss, reopen
    why      TEXT NOT NULL,           -- required for a dismissal
    who      TEXT NOT NULL,
    at       TEXT NOT NULL            -- RFC 3339 UTC
);
CREATE INDEX reviews_key ON reviews(key, seq);
CREATE INDEX documents_collection ON documents(collection);
";

/// The schema version of an open database: 0 for a new, empty file.
pub(crate) fn read_version(conn: &Connection) -> Result<u32, Fail> {
    let user: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let user =
        u32::try_from(user).map_err(|_| Fail::Corrupt(format!("PRAGMA user_version is {user}")))?;
    let has_meta: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta')",
        [],
        |r| r.get(0),
    )?;
    let meta = if has_meta {
        // Read the raw value: someone fixing an archive by hand may well
        // have written an integer where fond writes text.
        conn.query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get::<_, Value>(0),
        )
        .optional()?
    } else {
        None
    };
    let meta: Option<u32> = match meta {
        None | Some(Value::Null) => Some(0),
        Some(Value::Integer(i)) => u32::try_from(i).ok(),
        Some(Value::Text(s)) => s.trim().parse().ok(),
        Some(Value::Real(_) | Value::Blob(_)) => None,
    };
    match meta {
        Some(m) => Ok(m.max(user)),
        // An unreadable meta value from the future is still the future:
        // let the header speak before calling the archive damaged.
        None if user > SCHEMA_VERSION => Ok(user),
        None => Err(Fail::Corrupt("meta.schema_version is not a number".into())),
    }
}

/// Whether a version-0 database already holds tables of its own: then it
/// is another program's database, not a fond archive waiting to be set up.
pub(crate) fn has_foreign_tables(conn: &Connection) -> Result<bool, Fail> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name NOT LIKE 'sqlite_%')",
        [],
        |r| r.get(0),
    )?)
}

/// Applies every migration step above the database's version. Returns
/// without writing anything when the schema is current, so that opening an
/// up-to-date archive leaves the file byte for byte as it was.
///
/// The caller has already refused versions newer than [`SCHEMA_VERSION`].
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), Fail> {
    for (i, step) in MIGRATIONS.iter().enumerate() {
        let target = i as u32 + 1;
        if read_version(conn)? >= target {
            continue;
        }
        // IMMEDIATE takes the write lock before re-reading the version, so
        // two processes opening a new archive at once cannot both apply the
        // same step: the second waits, then sees the step done.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if read_version(&tx)? >= target {
            continue;
        }
        tx.execute_batch(step)?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [target.to_string()],
        )?;
        tx.pragma_update(None, "user_version", target)?;
        if target == 1 {
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        tx.commit()?;
    }
    Ok(())
}
