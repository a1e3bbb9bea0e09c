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
//! one transaction that moves the fingerprint to what a full
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
    /// Derived stages that failed (their previous output stays in use).
    pub problems: Vec<String>,
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

/// What the fast path read before it writes anything.
struct Ready {
    doc: Document,
    rows: Vec<CorrectionRow>,
    sources: Vec<fond_model::Source>,
    conflicts: Vec<(String, Finding)>,
}

/// Reads what the fast path needs, or `None` when it cannot vouch for the
/// result (the archive is not current, the field is not local, the
/// document is not held).
fn ready(archive: &Archive, derived_from: Option<&str>, req: &Request) -> Result<Option<Ready>> {
    if !local(&req.field) {
        return Ok(None);
    }
    let Some(doc) = archive.document(&req.document)? else {
        return Ok(None);
    };
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
    Ok(Some(Ready {
        doc,
        rows,
        sources,
        conflicts,
    }))
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
    let Some(Ready {
        mut doc,
        rows,
        sources,
        conflicts,
    }) = ready(archive, derived_from, req)?
    else {
        return Ok(None);
    };
    let target = Target {
        document: doc.id.clone(),
        field: req.field.clone(),
    };
    let earlier: Vec<Outcome> = rows
        .iter()
        .filter(|r| r.correction.target == target)
        .filter_map(|r| {
            Some(Outcome {
                id: r.correction.id.clone(),
                state: r.state?,
                now: r.now.clone(),
            })
        })
        .collect();
    let recovered = fond_ingest::corrections::recovered(&doc, &req.field, &earlier)
        .with_context(|| crate::correct::no_such_note(&doc, &req.field))?;
    let before = fond_ingest::corrections::current(&doc, &req.field);
    crate::correct::refuse_unchanged(&doc.id, &req.field, before.as_ref(), &req.value)?;
    let c = crate::correct::new_correction(target, recovered, req);
    let next = fond_ingest::corrections::apply_next(Some(&mut doc), &c, &earlier);
    let mut outcomes = vec![next.outcome.clone()];
    for r in &rows {
        if next.superseded.contains(&r.correction.id) {
            outcomes.push(Outcome {
                id: r.correction.id.clone(),
                state: State::Superseded,
                now: r.now.clone(),
            });
        }
    }
    let mut findings: Vec<Finding> = conflicts
        .into_iter()
        .filter(|(id, _)| !next.superseded.contains(id))
        .map(|(_, f)| f)
        .collect();
    findings.extend(next.finding.clone());
    let mut all: Vec<Correction> = rows.into_iter().map(|r| r.correction).collect();
    all.push(c.clone());
    let fingerprint = crate::ingest::fingerprint_of(sources.iter(), &all);
    let changed = std::slice::from_ref(&doc);
    let mentions = crate::people::relink(archive, changed)?;
    let links_fp = crate::people::links_stamp_for(&fingerprint);
    let index_was_current = crate::search::index_current(archive_dir, archive);
    let spans_before = crate::search::collection_spans_of(archive, changed)?;
    archive.add_corrections(std::slice::from_ref(&c))?;
    let linked = archive.replace_documents_from(
        derived_from,
        &DocumentsUpdate {
            documents: changed,
            conflicts: &findings,
            outcomes: &outcomes,
            fingerprint: &fingerprint,
            mentions: mentions.as_deref().map(|m| (m, links_fp.as_str())),
        },
    )?;
    let (relinked, index, problems) = follow(
        archive_dir,
        archive,
        changed,
        linked,
        index_was_current,
        &spans_before,
    );
    Ok(Some(Done {
        correction: c,
        state: Some(next.outcome.state),
        before,
        way: Way::InPlace { relinked, index },
        problems,
    }))
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
    let recovered = fond_ingest::corrections::current(doc, &req.field)
        .with_context(|| crate::correct::no_such_note(doc, &req.field))?;
    let before = archive
        .document(&doc.id)?
        .and_then(|d| fond_ingest::corrections::current(&d, &req.field));
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
        problems: derived.problems,
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
