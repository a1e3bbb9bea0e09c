//! A correction made in place: the edition changed where the correction
//! changes it, rather than re-derived from every source.
//!
//! The edition is the recovery plus the corrections, and a correction of
//! a document's field changes that document only. So when the archive is
//! current (its fingerprint is the one the stored sources and corrections
//! give, every correction's outcome recorded), a new correction is judged
//! and applied to the stored document by the corrections pass's own rule
//! (`fond_ingest::corrections::apply_next`, which agrees with `apply` over
//! the whole history), the document and what the correction changes (its
//! outcome, those it supersedes, the conflict findings) are written in
//! one transaction with the correction itself that moves the fingerprint to what a full
//! re-derivation would record, the document alone is linked again when
//! the linking stage allows it (`fond_link::relink`), and the search index
//! is updated in place. A later full re-derivation gives the same stored
//! edition. Whatever the fast path cannot vouch for (an archive not
//! current, a kind of correction it does not know to be local, a
//! document the archive does not hold) goes the full way.

use crate::search::IndexWay;
use anyhow::{Context, Result};
use fond_model::correction::{Action, Correction, Field, Outcome, State, Status, Target, Value};
use fond_model::{Document, Finding, FindingKind};
use fond_store::{Archive, CorrectionRow, DocumentsUpdate};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// A correction as an editor asks for it: the rest (its id, when, the
/// value it replaces) is filled in when it is stored.
#[derive(Debug, Clone)]
pub struct Request {
    /// The document's id as the archive holds it.
    pub document: String,
    pub field: Field,
    pub value: Value,
    pub by: String,
    pub why: String,
}

/// How the links followed a correction made in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relinked {
    /// The changed document alone, in the same transaction.
    Document,
    /// The whole edition (a TEI letter shares its people with the others,
    /// or its mentions had no place yet).
    Whole,
}

/// How the edition, its links and its index followed a correction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "way", rename_all = "kebab-case")]
pub enum Way {
    /// The document replaced in place.
    InPlace {
        relinked: Relinked,
        /// `None`: the index could not follow (see the problems); the
        /// next command rebuilds it.
        index: Option<IndexWay>,
    },
    /// The whole edition re-derived from the stored sources.
    Rederived,
}

/// What storing a correction did.
#[derive(Debug, Clone, Serialize)]
pub struct Done {
    /// The correction as stored.
    pub correction: Correction,
    /// What became of it (`applied`, `conflict`, ...).
    pub state: Option<State>,
    /// What the edition gave the field before.
    pub before: Option<Value>,
    pub way: Way,
    /// The documents written in place (empty when the edition was
    /// re-derived whole).
    pub changed: Vec<String>,
    /// Derived stages that failed (their previous output stays in use).
    pub problems: Vec<String>,
    /// The archive's fingerprints around the write (filled in by
    /// `correct::apply_one`, under the write lock).
    #[serde(skip)]
    pub around: Around,
}

/// The archive's fingerprints around one write, read under its write
/// lock: what a reading room that read the archive at `before` has, once
/// it read the written documents, seen all of (`after`, `links_after`).
#[derive(Debug, Clone, Default)]
pub struct Around {
    pub before: Option<String>,
    pub after: Option<String>,
    pub links_after: Option<String>,
}

impl Around {
    /// `before` and what the archive holds now.
    pub fn read(archive: &Archive, before: Option<String>) -> Result<Around> {
        Ok(Around {
            before,
            after: archive.fingerprint()?,
            links_after: archive.links_fingerprint()?,
        })
    }
}

/// Whether the fast path knows the field to change its document alone.
/// Kinds it does not list (joining witnesses touches several documents)
/// go the full way.
fn local(field: &Field) -> bool {
    matches!(
        field,
        Field::Date
            | Field::Dateline
            | Field::Place
            | Field::Senders
            | Field::Addressees
            | Field::Kind
            | Field::Number
            | Field::NoteText { .. }
            | Field::NoteAuthor { .. }
    )
}

/// The edition's conflict findings, each with the correction it lists:
/// a document's conflict findings are its corrections in conflict, in the
/// history's order (the corrections pass appends them so). `None` when
/// the two do not pair up (an archive edited by hand): the full way then.
fn conflicts_by_correction(
    findings: &[Finding],
    rows: &[CorrectionRow],
) -> Option<Vec<(String, Finding)>> {
    let mut waiting: HashMap<&str, std::collections::VecDeque<&str>> = HashMap::new();
    for r in rows {
        if r.state.is_some_and(State::is_conflict) {
            waiting
                .entry(r.correction.target.document.as_str())
                .or_default()
                .push_back(r.correction.id.as_str());
        }
    }
    let mut out = Vec::new();
    for f in findings
        .iter()
        .filter(|f| f.kind == FindingKind::CorrectionConflict)
    {
        let id = waiting.get_mut(f.document.as_deref()?)?.pop_front()?;
        out.push((id.to_string(), f.clone()));
    }
    waiting.values().all(|q| q.is_empty()).then_some(out)
}

/// The corrections pass run on from the archive's state, in memory: the
/// documents it touched (loaded from the archive as it goes), every
/// correction with its outcome, the conflict findings, the outcomes that
/// changed. Written in one step ([`Pass::write`]).
struct Pass {
    /// Touched documents, in the order first touched.
    docs: Vec<Document>,
    rows: Vec<CorrectionRow>,
    conflicts: Vec<(String, Finding)>,
    changed: Vec<Outcome>,
    sources: Vec<fond_model::Source>,
}

/// Reads what the fast path needs, or `None` when it cannot vouch for the
/// result: the archive is not current (its fingerprint is not the one its
/// sources and corrections give, an outcome is not recorded, the links
/// lag), or its conflict findings do not pair with its corrections.
fn ready(archive: &Archive, derived_from: Option<&str>) -> Result<Option<Pass>> {
    let rows = archive.correction_rows(None)?;
    if rows.iter().any(|r| r.state.is_none()) {
        return Ok(None);
    }
    let sources = archive.sources()?;
    let corrections: Vec<Correction> = rows.iter().map(|r| r.correction.clone()).collect();
    let fp = crate::ingest::fingerprint_of(sources.iter(), &corrections);
    if derived_from != Some(fp.as_str()) || !crate::people::links_current(archive)? {
        return Ok(None);
    }
    let Some(conflicts) = conflicts_by_correction(&archive.findings()?, &rows) else {
        return Ok(None);
    };
    Ok(Some(Pass {
        docs: Vec::new(),
        rows,
        conflicts,
        changed: Vec::new(),
        sources,
    }))
}

impl Pass {
    /// The document as the pass has it; `None` when the archive does not
    /// hold it.
    fn doc(&mut self, archive: &Archive, id: &str) -> Result<Option<usize>> {
        if let Some(i) = self.docs.iter().position(|d| d.id == id) {
            return Ok(Some(i));
        }
        Ok(archive.document(id)?.map(|d| {
            self.docs.push(d);
            self.docs.len() - 1
        }))
    }

    /// What the pass recorded for the target's corrections, in order.
    fn earlier(&self, target: &Target) -> Vec<Outcome> {
        self.rows
            .iter()
            .filter(|r| r.correction.target == *target)
            .filter_map(|r| {
                Some(Outcome {
                    id: r.correction.id.clone(),
                    state: r.state?,
                    now: r.now.clone(),
                })
            })
            .collect()
    }

    /// Records a correction's new outcome.
    fn record(&mut self, o: Outcome) {
        if let Some(r) = self.rows.iter_mut().find(|r| r.correction.id == o.id) {
            r.state = Some(o.state);
            r.now = o.now.clone();
        }
        self.changed.retain(|c| c.id != o.id);
        self.changed.push(o);
    }

    /// Applies a new correction at the end of the history; `false` (the
    /// pass is then of no use) when it is not one the fast path can vouch
    /// for.
    fn add(&mut self, archive: &Archive, c: &Correction) -> Result<bool> {
        if !c.sets() || !local(&c.target.field) {
            return Ok(false);
        }
        let Some(i) = self.doc(archive, &c.target.document)? else {
            return Ok(false);
        };
        let earlier = self.earlier(&c.target);
        let next = fond_ingest::corrections::apply_next(Some(&mut self.docs[i]), c, &earlier);
        self.rows.push(CorrectionRow {
            correction: c.clone(),
            state: None,
            now: None,
        });
        self.record(next.outcome);
        for id in &next.superseded {
            let now = self
                .rows
                .iter()
                .find(|r| r.correction.id == *id)
                .and_then(|r| r.now.clone());
            self.record(Outcome {
                id: id.clone(),
                state: State::Superseded,
                now,
            });
        }
        self.conflicts
            .retain(|(id, _)| !next.superseded.contains(id));
        if let Some(f) = next.finding {
            self.conflicts.push((c.id.clone(), f));
        }
        Ok(true)
    }

    /// Takes a correction back when no other correction of its field
    /// stands (so no other outcome depends on it) and either it was not
    /// applied (in conflict, its document or note gone: every document
    /// stays as it is) or it was applied to a field whose recovered value
    /// it recorded whole (`fond_ingest::corrections::undo_alone`: the
    /// document gets it back). `false` otherwise (the full way then).
    fn revert(&mut self, archive: &Archive, entry: &Correction) -> Result<bool> {
        let Some(of) = entry.reverts.as_deref() else {
            return Ok(false);
        };
        let Some(r) = self.rows.iter().find(|r| r.correction.id == of) else {
            return Ok(false);
        };
        let target = r.correction.target.clone();
        let alone = self
            .rows
            .iter()
            .filter(|o| o.correction.target == target && o.correction.sets())
            .count()
            == 1;
        if !alone {
            return Ok(false);
        }
        if r.state == Some(State::Applied) {
            // Other corrections of the document that read the fields of
            // their document (a name's decision is anchored on the
            // parties or a note's text; a split copies the parties, the
            // place and the kind into its new document) were judged on
            // the corrected value: the full way then, which judges them
            // again.
            let reads_fields = self.rows.iter().any(|o| {
                o.correction.sets()
                    && o.correction.target.document == target.document
                    && o.correction.id != of
                    && !local(&o.correction.target.field)
            });
            if reads_fields {
                return Ok(false);
            }
            let taken = r.correction.clone();
            let Some(i) = self.doc(archive, &target.document)? else {
                return Ok(false);
            };
            if !fond_ingest::corrections::undo_alone(&mut self.docs[i], &taken) {
                return Ok(false);
            }
        } else if !r.state.is_some_and(State::is_conflict) {
            return Ok(false);
        }
        self.record(Outcome {
            id: of.to_string(),
            state: State::Reverted,
            now: None,
        });
        self.conflicts.retain(|(id, _)| id != of);
        self.rows.push(CorrectionRow {
            correction: entry.clone(),
            state: None,
            now: None,
        });
        self.record(Outcome {
            id: entry.id.clone(),
            state: State::Revert,
            now: None,
        });
        Ok(true)
    }

    /// The outcome the pass gives a correction.
    fn state_of(&self, id: &str) -> Option<State> {
        self.rows
            .iter()
            .find(|r| r.correction.id == id)
            .and_then(|r| r.state)
    }

    /// Stores the new entries and writes what the pass changed, in place;
    /// links and index follow.
    fn write(
        self,
        archive_dir: &Path,
        archive: &mut Archive,
        derived_from: Option<&str>,
        entries: &[Correction],
    ) -> Result<(Way, Vec<String>)> {
        let changed = self.docs;
        let mentions = crate::people::relink(archive, &changed)?;
        let index_was_current = crate::search::index_current(archive_dir, archive);
        let spans_before = crate::search::collection_spans_of(archive, &changed)?;
        // The history as it will be stored: the pass's rows hold the new
        // entries at the end, and a revert marks what it takes back. The
        // entries are stored with the documents, in one transaction.
        let mut history: Vec<Correction> = self.rows.iter().map(|r| r.correction.clone()).collect();
        for taken in entries.iter().filter_map(|e| e.reverts.as_deref()) {
            if let Some(c) = history.iter_mut().find(|c| c.id == taken) {
                c.status = Status::Reverted;
            }
        }
        let fingerprint = crate::ingest::fingerprint_of(self.sources.iter(), &history);
        let links_fp = crate::people::links_stamp_for(&fingerprint);
        let findings: Vec<Finding> = self.conflicts.into_iter().map(|(_, f)| f).collect();
        let linked = archive.replace_documents_from(
            derived_from,
            &DocumentsUpdate {
                documents: &changed,
                conflicts: &findings,
                outcomes: &self.changed,
                corrections: entries,
                fingerprint: &fingerprint,
                mentions: mentions.as_deref().map(|m| (m, links_fp.as_str())),
            },
        )?;
        let (relinked, index, problems) = follow(
            archive_dir,
            archive,
            &changed,
            linked,
            index_was_current,
            &spans_before,
        );
        Ok((Way::InPlace { relinked, index }, problems))
    }
}

/// Stores the correction and changes the edition in place, or `None`
/// (nothing stored) when it must go the full way. The caller holds the
/// write lock; `derived_from` is the fingerprint it read.
pub fn try_in_place(
    archive_dir: &Path,
    archive: &mut Archive,
    derived_from: Option<&str>,
    req: &Request,
) -> Result<Option<Done>> {
    if !local(&req.field) {
        return Ok(None);
    }
    let Some(mut pass) = ready(archive, derived_from)? else {
        return Ok(None);
    };
    let Some(i) = pass.doc(archive, &req.document)? else {
        return Ok(None);
    };
    let target = Target {
        document: req.document.clone(),
        field: req.field.clone(),
    };
    let doc = &pass.docs[i];
    let earlier = pass.earlier(&target);
    let recovered = fond_ingest::corrections::recovered_before(doc, &req.field, &earlier)
        .with_context(|| crate::correct::no_such_note(doc, &req.field))?;
    let before = fond_ingest::corrections::current(doc, &req.field);
    crate::correct::refuse_unchanged(&doc.id, &req.field, before.as_ref(), &req.value)?;
    let c = crate::correct::new_correction(target, recovered, req);
    if !pass.add(archive, &c)? {
        return Ok(None);
    }
    let state = pass.state_of(&c.id);
    let changed = pass.docs.iter().map(|d| d.id.clone()).collect();
    let (way, problems) =
        pass.write(archive_dir, archive, derived_from, std::slice::from_ref(&c))?;
    Ok(Some(Done {
        correction: c,
        state,
        before,
        way,
        changed,
        problems,
        around: Around::default(),
    }))
}

/// What an import in place did: each entry's outcome, the way, problems.
pub type Imported = (Vec<Outcome>, Way, Vec<String>);

/// Entries of an imported history, in place when every one is a new
/// correction of a document the archive holds, of a field the fast path
/// knows: their outcomes (what the pass gives each at the end), how the
/// edition followed and the problems. `None`, nothing stored: the full
/// way.
pub fn try_import(
    archive_dir: &Path,
    archive: &mut Archive,
    derived_from: Option<&str>,
    entries: &[Correction],
) -> Result<Option<Imported>> {
    let Some(mut pass) = ready(archive, derived_from)? else {
        return Ok(None);
    };
    for c in entries {
        if pass.rows.iter().any(|r| r.correction.id == c.id) || !pass.add(archive, c)? {
            return Ok(None);
        }
    }
    let outcomes: Vec<Outcome> = entries
        .iter()
        .filter_map(|c| {
            let r = pass.rows.iter().find(|r| r.correction.id == c.id)?;
            Some(Outcome {
                id: c.id.clone(),
                state: r.state?,
                now: r.now.clone(),
            })
        })
        .collect();
    let (way, problems) = pass.write(archive_dir, archive, derived_from, entries)?;
    Ok(Some((outcomes, way, problems)))
}

/// A revert in place when the pass can take the correction back alone
/// (see `Pass::revert`); `None`, nothing stored: the full way.
pub fn try_revert(
    archive_dir: &Path,
    archive: &mut Archive,
    derived_from: Option<&str>,
    entry: &Correction,
) -> Result<Option<(Way, Vec<String>)>> {
    let Some(mut pass) = ready(archive, derived_from)? else {
        return Ok(None);
    };
    if !pass.revert(archive, entry)? {
        return Ok(None);
    }
    Ok(Some(pass.write(
        archive_dir,
        archive,
        derived_from,
        std::slice::from_ref(entry),
    )?))
}

/// Links and index after the documents were written: the whole edition
/// linked again when the documents' mentions could not be written with
/// them, then the index updated in place (rebuilt when it must be).
/// Never fails: a stage that fails says why and leaves its stamp stale,
/// so the next command repairs it.
fn follow(
    archive_dir: &Path,
    archive: &mut Archive,
    changed: &[Document],
    linked: bool,
    index_was_current: bool,
    spans_before: &std::collections::BTreeMap<String, Option<(fond_model::Day, fond_model::Day)>>,
) -> (Relinked, Option<IndexWay>, Vec<String>) {
    let mut problems = Vec::new();
    let relinked = if linked {
        Relinked::Document
    } else {
        match crate::people::link_archive(archive) {
            Ok((_, notes)) => problems.extend(notes),
            Err(e) => {
                problems.push(format!(
                    "linking failed, the previous links stay in use: {e:#}"
                ));
                return (Relinked::Whole, None, problems);
            }
        }
        Relinked::Whole
    };
    let index = match crate::search::follow_documents(
        archive_dir,
        archive,
        changed,
        index_was_current,
        spans_before,
    ) {
        Ok(way) => Some(way),
        Err(e) => {
            problems.push(format!(
                "the search index could not follow, the next command rebuilds it: {e:#}"
            ));
            None
        }
    };
    (relinked, index, problems)
}

/// A correction stored and applied the full way: the recovery re-derived
/// from the stored sources, the correction recorded against it, the
/// edition written with every correction applied, links and index
/// following through their stamps. The caller holds the write lock.
pub fn rederived(
    archive_dir: &Path,
    archive: &mut Archive,
    derived_from: Option<&str>,
    req: &Request,
) -> Result<Done> {
    // The value the engine recovers, without any correction: what this
    // correction replaces, and what a later re-derivation is checked
    // against.
    let (stored, recovery) = crate::ingest::recover(archive.stored_sources()?, Vec::new(), "")?;
    let doc = recovery
        .documents
        .iter()
        .find(|d| d.id == req.document)
        .with_context(|| {
            format!(
                "no document \"{}\" in the archive; `fond list` shows the ids",
                crate::render::clean(&req.document)
            )
        })?;
    // A name is judged as the linker reads it in the edition; everything
    // else as the engine recovers it.
    let shown = archive.document(&doc.id)?;
    let recovered = match &req.field {
        Field::Mention { .. } => {
            crate::people::linked_value(archive, shown.as_ref().unwrap_or(doc), &req.field)?
        }
        Field::Split { source } => fond_ingest::corrections::current(doc, &req.field)
            .with_context(|| {
                format!(
                    "{} has no witness from {source} beside another (or two from it: a split cannot say which); `fond show {}` lists its witnesses",
                    doc.id, doc.id
                )
            })?,
        _ => fond_ingest::corrections::current(doc, &req.field)
            .with_context(|| crate::correct::no_such_note(doc, &req.field))?,
    };
    let before = match &req.field {
        Field::Mention { .. } => Some(recovered.clone()),
        _ => shown
            .as_ref()
            .and_then(|d| fond_ingest::corrections::current(d, &req.field)),
    };
    crate::correct::refuse_unchanged(&doc.id, &req.field, before.as_ref(), &req.value)?;
    let target = Target {
        document: doc.id.clone(),
        field: req.field.clone(),
    };
    let c = crate::correct::new_correction(target, recovered, req);
    archive.add_corrections(std::slice::from_ref(&c))?;
    let w = crate::ingest::write_recovered(archive, derived_from, &stored, recovery, None)?;
    let derived = crate::writer::derive(archive_dir, archive);
    let state = w.outcomes.iter().find(|o| o.id == c.id).map(|o| o.state);
    Ok(Done {
        correction: c,
        state,
        before,
        way: Way::Rederived,
        changed: Vec::new(),
        problems: derived.problems,
        around: Around::default(),
    })
}

/// A new entry of the history for the request, minted now.
pub fn entry(
    target: Target,
    recovered: Value,
    req: &Request,
    at: String,
    id: String,
) -> Correction {
    Correction {
        id,
        action: Action::Set,
        target,
        recovered,
        value: req.value.clone(),
        by: req.by.clone(),
        at,
        why: req.why.clone(),
        status: Status::Active,
        reverts: None,
    }
}
