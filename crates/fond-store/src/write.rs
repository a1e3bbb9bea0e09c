//! Writing an edition: everything replaced in one transaction.
//!
//! Why replace rather than update: fond re-derives the whole edition from
//! all stored sources on every ingest (a new source can add witnesses to old
//! documents), so the edition is a function of the sources and the simplest
//! correct write is "delete all, insert all" inside a single transaction.
//! SQLite's rollback journal then guarantees that a failure, a panic or a
//! killed process at any point leaves the previous edition exactly as it
//! was: the next open rolls the hot journal back.
//!
//! Rows are inserted in the order the edition gives, from cached prepared
//! statements, and nothing here depends on hash order, time or randomness:
//! the same edition always yields the same rows with the same rowids.

use crate::error::{encode, Fail};
use crate::StoredSource;
use fond_model::{ArchivalRef, Edition, Note, Sheets};
use rusqlite::{params, Connection, TransactionBehavior};
use std::collections::{HashMap, HashSet};

/// Checks the input before the transaction starts, so that the common
/// mistakes give a precise message rather than a constraint error.
fn validate<'a>(
    sources: &'a [StoredSource],
    edition: &Edition,
) -> Result<HashMap<&'a str, &'a StoredSource>, Fail> {
    let mut by_name: HashMap<&str, &StoredSource> = HashMap::with_capacity(sources.len());
    for s in sources {
        if by_name.insert(s.source.name.as_str(), s).is_some() {
            return Err(crate::StoreError::DuplicateSource {
                name: s.source.name.clone(),
            }
            .into());
        }
    }
    let mut listed: HashSet<&str> = HashSet::with_capacity(edition.sources.len());
    for src in &edition.sources {
        if !listed.insert(src.name.as_str()) {
            return Err(crate::StoreError::DuplicateSource {
                name: src.name.clone(),
            }
            .into());
        }
        match by_name.get(src.name.as_str()) {
            None => {
                return Err(crate::StoreError::SourceMismatch {
                    name: src.name.clone(),
                    why: "the edition was derived from it but its text was not given to store".into(),
                }
                .into())
            }
            Some(stored) if stored.source != *src => {
                return Err(crate::StoreError::SourceMismatch {
                    name: src.name.clone(),
                    why: "the record given with its text differs from the edition's (another version of the file?)"
                        .into(),
                }
                .into())
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = sources
        .iter()
        .find(|s| !listed.contains(s.source.name.as_str()))
    {
        return Err(crate::StoreError::SourceMismatch {
            name: extra.source.name.clone(),
            why: "its text was given to store but the edition does not list it".into(),
        }
        .into());
    }
    let mut ids: HashSet<&str> = HashSet::with_capacity(edition.documents.len());
    for d in &edition.documents {
        if !ids.insert(d.id.as_str()) {
            return Err(crate::StoreError::DuplicateDocument { id: d.id.clone() }.into());
        }
    }
    Ok(by_name)
}

/// 1-based position for `seq` columns.
fn seq(i: usize) -> Result<i64, Fail> {
    i64::try_from(i)
        .ok()
        .and_then(|i| i.checked_add(1))
        .ok_or_else(|| {
            crate::StoreError::TooLarge {
                what: format!("position {i}"),
            }
            .into()
        })
}

// Long: the one transaction, its statements in the order they run; split,
// what happens inside the transaction would no longer read in one place.
pub(crate) fn replace_edition(
    conn: &mut Connection,
    sources: &[StoredSource],
    edition: &Edition,
    fingerprint: &str,
    derived_from: Option<Option<&str>>,
    outcomes: Option<&[fond_model::correction::Outcome]>,
    on_document: &mut dyn FnMut(usize),
) -> Result<(), Fail> {
    let stored = validate(sources, edition)?;

    // IMMEDIATE: take the write lock now, so a concurrent writer is told
    // before any work is done rather than at commit.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // The lost-update check, inside the transaction: the edition was
    // derived from the stored sources under the fingerprint the caller
    // read; if another writer committed since, this edition lacks its
    // sources and must not replace them.
    if let Some(expected) = derived_from {
        if crate::read::fingerprint(&tx)?.as_deref() != expected {
            return Err(Fail::Changed);
        }
    }
    // The corrections table is not touched: corrections are the editors',
    // not derived, and outlive every edition.
    // Children first, so that a historian who enabled foreign keys in their
    // own session would still see a consistent file at every step.
    tx.execute_batch(
        "DELETE FROM mentions;
         DELETE FROM offices;
         DELETE FROM entity_names;
         DELETE FROM entities;
         DELETE FROM meta WHERE key = 'links_fingerprint';
         DELETE FROM archival_refs;
         DELETE FROM notes;
         DELETE FROM witnesses;
         DELETE FROM findings;
         DELETE FROM documents;
         DELETE FROM sources;",
    )?;

    {
        let mut ins = tx.prepare_cached(
            "INSERT INTO sources (name, seq, sha256, shape, title, bytes, lines, text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        // The edition's order, with each source's text from the stored list
        // (validate has checked that the two name the same sources).
        for (i, src) in edition.sources.iter().enumerate() {
            let text = stored
                .get(src.name.as_str())
                .map(|s| s.text.as_str())
                .unwrap_or_default();
            let bytes = i64::try_from(src.bytes).map_err(|_| crate::StoreError::TooLarge {
                what: format!("source \"{}\": size", src.name),
            })?;
            ins.execute(params![
                src.name,
                seq(i)?,
                src.sha256,
                src.shape.as_str(),
                src.title,
                bytes,
                src.lines,
                text
            ])?;
        }
    }

    {
        let held: HashSet<&str> = stored.keys().copied().collect();
        let mut rows = DocRows::prepare(&tx)?;
        for (i, d) in edition.documents.iter().enumerate() {
            rows.insert(d, &held)?;
            // After the document and everything hanging from it: the count
            // is of documents fully written. A panic here unwinds through
            // `tx`, whose drop rolls back; an abort leaves a hot journal
            // that the next open rolls back.
            on_document(i + 1);
        }
    }

    {
        let mut ins = tx.prepare_cached(
            "INSERT INTO findings (seq, kind, source, line, document, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (i, f) in edition.findings.iter().enumerate() {
            ins.execute(params![
                seq(i)?,
                f.kind.as_str(),
                f.source,
                f.line,
                f.document,
                f.message
            ])?;
        }
    }

    if let Some(outcomes) = outcomes {
        crate::corrections::write_outcomes(&tx, outcomes)?;
    }

    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('fingerprint', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [fingerprint],
    )?;
    tx.commit()?;
    Ok(())
}

/// The statements that write one document and what hangs from it (notes,
/// archival references, witnesses): one home for the rows of a document,
/// whether the whole edition is written or only some documents.
struct DocRows<'t> {
    doc: rusqlite::CachedStatement<'t>,
    note: rusqlite::CachedStatement<'t>,
    archival_ref: rusqlite::CachedStatement<'t>,
    witness: rusqlite::CachedStatement<'t>,
}

impl<'t> DocRows<'t> {
    fn prepare(tx: &'t Connection) -> Result<DocRows<'t>, Fail> {
        Ok(DocRows {
            doc: tx.prepare_cached(
                "INSERT INTO documents (id, ord, kind, collection, number, chapter, title,
                     date_written, date_editorial, date_edtf, date_earliest, date_latest, date_disagreement,
                     place, senders, addressees, quoted_in, model)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
                 ON CONFLICT (id) DO UPDATE SET ord = excluded.ord, kind = excluded.kind,
                     collection = excluded.collection, number = excluded.number,
                     chapter = excluded.chapter, title = excluded.title,
                     date_written = excluded.date_written, date_editorial = excluded.date_editorial,
                     date_edtf = excluded.date_edtf, date_earliest = excluded.date_earliest,
                     date_latest = excluded.date_latest, date_disagreement = excluded.date_disagreement,
                     place = excluded.place, senders = excluded.senders,
                     addressees = excluded.addressees, quoted_in = excluded.quoted_in,
                     model = excluded.model",
            )?,
            note: tx.prepare_cached(
                "INSERT INTO notes (doc_id, n, by_role, by_name, call_form, special_file, relocated, text)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?,
            archival_ref: tx.prepare_cached(
                "INSERT INTO archival_refs (doc_id, note_n, seq, archive, fond, opis, delo, sheets, printed, ibid, normalized)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?,
            witness: tx.prepare_cached(
                "INSERT INTO witnesses (doc_id, seq, source, first_line, last_line, label)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?,
        })
    }

    /// Writes `d`; `held`: the sources the archive stores (their
    /// witnesses' texts are not stored twice).
    fn insert(&mut self, d: &fond_model::Document, held: &HashSet<&str>) -> Result<(), Fail> {
        // A witness's text is a line span of its source, stored once
        // in `sources`; the model column carries the span only (reads
        // cut the text out again). A witness whose source the archive
        // does not hold (one described by an imported TEI file, its
        // text rebuilt from the file's collation) keeps its text here.
        let model = serde_json::to_string(&WithoutWitnessText(d, held))
            .map_err(|e| encode(format!("document \"{}\"", d.id), e))?;
        let senders = serde_json::to_string(&d.senders)
            .map_err(|e| encode(format!("senders of \"{}\"", d.id), e))?;
        let addressees = serde_json::to_string(&d.addressees)
            .map_err(|e| encode(format!("addressees of \"{}\"", d.id), e))?;
        let interval = d.date.interval.as_ref();
        self.doc.execute(params![
            d.id,
            d.order,
            d.kind.as_str(),
            d.collection,
            d.number,
            d.chapter,
            d.title,
            d.date.written,
            d.date.editorial,
            interval.map(|h| h.edtf.as_str()),
            interval.and_then(|h| h.earliest).map(|day| day.iso()),
            interval.and_then(|h| h.latest).map(|day| day.iso()),
            d.date.disagreement,
            d.place,
            senders,
            addressees,
            d.quoted_in,
            model,
        ])?;
        for note in &d.notes {
            let (role, name) = note_author(note);
            self.note.execute(params![
                d.id,
                note.n,
                role,
                name,
                call_form(note),
                note.special_file,
                note.relocated,
                note.text,
            ])?;
            for (k, r) in note.archival_refs.iter().enumerate() {
                self.archival_ref.execute(params![
                    d.id,
                    note.n,
                    seq(k)?,
                    r.archive,
                    r.fond,
                    r.opis,
                    r.delo,
                    r.sheets.as_ref().map(render_sheets),
                    r.text,
                    r.ibid,
                    ArchivalRef::normalized(r),
                ])?;
            }
        }
        for (k, w) in d.witnesses.iter().enumerate() {
            self.witness.execute(params![
                d.id,
                seq(k)?,
                w.source,
                w.first_line,
                w.last_line,
                w.label
            ])?;
        }
        Ok(())
    }
}

/// What [`replace_documents`] writes: some documents of the edition
/// replaced (the rest as they are), with everything a correction of them
/// changes.
#[derive(Debug, Clone, Copy)]
pub struct DocumentsUpdate<'a> {
    /// Documents replaced, whole: each must be in the archive already.
    pub documents: &'a [fond_model::Document],
    /// Every `correction-conflict` finding of the edition, in its order
    /// (they close the findings; the others stay as they are).
    pub conflicts: &'a [fond_model::Finding],
    /// Outcomes of corrections that changed.
    pub outcomes: &'a [fond_model::correction::Outcome],
    /// New entries of the history, stored in the same transaction (the
    /// correction and the edition it changes are written together, or
    /// neither is).
    pub corrections: &'a [fond_model::correction::Correction],
    /// The edition's new fingerprint: what a full re-derivation would
    /// record for the same sources and corrections.
    pub fingerprint: &'a str,
    /// The mentions of these documents, linked again, and the links'
    /// fingerprint: written in the same transaction, each document's in
    /// the place its old ones held, so the mentions read back in the order
    /// a full linking gives. `None`: the links are left to be rebuilt
    /// (their stamp no longer matches).
    pub mentions: Option<(&'a [fond_model::authority::Mention], &'a str)>,
}

/// Whether the links were written with the documents.
pub(crate) fn replace_documents(
    conn: &mut Connection,
    derived_from: Option<&str>,
    u: &DocumentsUpdate<'_>,
) -> Result<bool, Fail> {
    crate::corrections::validate(u.corrections)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if crate::read::fingerprint(&tx)?.as_deref() != derived_from {
        return Err(Fail::Changed);
    }
    crate::corrections::add_in(&tx, u.corrections)?;
    let names: Vec<String> = tx
        .prepare_cached("SELECT name FROM sources")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let held: HashSet<&str> = names.iter().map(String::as_str).collect();
    {
        // The document's row is updated where it is (mentions point at
        // it); what hangs from it is written anew.
        let mut held_ids = HashSet::new();
        for d in u.documents {
            let there: bool = tx
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM documents WHERE id = ?1)")?
                .query_row([&d.id], |r| r.get(0))?;
            if there {
                held_ids.insert(d.id.as_str());
            }
            for sql in [
                "DELETE FROM archival_refs WHERE doc_id = ?1",
                "DELETE FROM notes WHERE doc_id = ?1",
                "DELETE FROM witnesses WHERE doc_id = ?1",
            ] {
                tx.prepare_cached(sql)?.execute([&d.id])?;
            }
        }
        if held_ids.len() != u.documents.len() {
            return Err(crate::StoreError::SourceMismatch {
                name: "documents".into(),
                why: "a document to replace is not in the archive (or given twice); re-derive the edition with `fond ingest`".into(),
            }
            .into());
        }
        let mut rows = DocRows::prepare(&tx)?;
        for d in u.documents {
            rows.insert(d, &held)?;
        }
    }
    // Conflict findings close the edition's findings (the corrections
    // pass appends them), so the others keep their places.
    tx.execute(
        "DELETE FROM findings WHERE kind = 'correction-conflict'",
        [],
    )?;
    let last: i64 = tx.query_row("SELECT coalesce(max(seq), 0) FROM findings", [], |r| {
        r.get(0)
    })?;
    {
        let mut ins = tx.prepare_cached(
            "INSERT INTO findings (seq, kind, source, line, document, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (i, f) in u.conflicts.iter().enumerate() {
            ins.execute(params![
                last + i as i64 + 1,
                f.kind.as_str(),
                f.source,
                f.line,
                f.document,
                f.message
            ])?;
        }
    }
    crate::corrections::write_outcomes(&tx, u.outcomes)?;
    let linked = match u.mentions {
        Some((mentions, fp)) => crate::links::replace_mentions_of(&tx, u.documents, mentions, fp)?,
        None => false,
    };
    if !linked {
        tx.execute("DELETE FROM meta WHERE key = 'links_fingerprint'", [])?;
    }
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('fingerprint', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [u.fingerprint],
    )?;
    tx.commit()?;
    Ok(linked)
}

/// The note author's role and name, as the model serialises them.
fn note_author(note: &Note) -> (String, Option<String>) {
    let name = Some(note.by.name.clone()).filter(|n| !n.is_empty());
    (note.by.role.as_str().to_string(), name)
}

/// The call form as the model serialises it (`superscript`, `glued`, `lost`).
fn call_form(note: &Note) -> String {
    match serde_json::to_value(note.call) {
        Ok(serde_json::Value::String(s)) => s,
        _ => format!("{:?}", note.call).to_lowercase(),
    }
}

/// The sheets as the normalised reference prints them. `Sheets::render` is
/// private to the model, so this mirrors it; a test checks the two agree
/// through `ArchivalRef::normalized`.
pub(crate) fn render_sheets(s: &Sheets) -> String {
    match s {
        Sheets::Single { sheet } => format!("l. {sheet}"),
        Sheets::List { items } => format!("ll. {}", items.join(", ")),
        Sheets::Range { from, to } => format!("ll. {from}-{to}"),
    }
}

/// Serialises a document with empty texts for the witnesses whose source
/// is stored.
struct WithoutWitnessText<'a>(&'a fond_model::Document, &'a HashSet<&'a str>);

impl serde::Serialize for WithoutWitnessText<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut slim = self.0.clone();
        for w in &mut slim.witnesses {
            if self.1.contains(w.source.as_str()) {
                w.text = String::new();
            }
        }
        slim.serialize(s)
    }
}
