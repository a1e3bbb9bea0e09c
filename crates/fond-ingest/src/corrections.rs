//! Applying the editors' corrections to a freshly derived edition.
//!
//! Runs after the profiles and the joining of witnesses, on what the
//! engine recovered: the edition is that recovery plus the corrections.
//! A pure pass: the same edition and corrections give the same result.
//!
//! The rule: a correction applies when the freshly recovered value still
//! equals the value it recorded as recovered (or already equals its new
//! value). Otherwise the recovery moved under it (the source changed, a
//! reader improved), and applying it blindly could undo a better reading:
//! it is not applied, and becomes a `correction-conflict` finding that
//! `fond check` lists until an editor settles it. A correction whose
//! document (or note) is gone is a conflict too. Nothing is dropped.

use crate::dates;
use fond_model::correction::{Correction, Field, Outcome, State, Status, Target, Value};
use fond_model::{DocKind, Document, Edition, Finding, FindingKind, HistDate};
use std::collections::HashMap;

/// The value the document gives the field now; `None` when the field is a
/// note's and the document has no such note.
pub fn current(doc: &Document, field: &Field) -> Option<Value> {
    let text = |t: &Option<String>| t.clone().map(Value::Text).unwrap_or(Value::None);
    Some(match field {
        Field::Date => doc
            .date
            .interval
            .as_ref()
            .map(|i| Value::Text(i.edtf.clone()))
            .unwrap_or(Value::None),
        Field::Dateline => text(&doc.date.written),
        Field::Place => text(&doc.place),
        Field::Senders => Value::Names(doc.senders.clone()),
        Field::Addressees => Value::Names(doc.addressees.clone()),
        Field::Kind => Value::Text(doc.kind.as_str().to_string()),
        Field::Number => doc.number.map(Value::Number).unwrap_or(Value::None),
        Field::NoteText { note } => {
            Value::Text(doc.notes.iter().find(|n| n.n == *note)?.text.clone())
        }
        Field::NoteAuthor { note } => {
            Value::Author(doc.notes.iter().find(|n| n.n == *note)?.by.clone())
        }
    })
}

/// Gives the field the value. The value was checked against its field
/// when the correction was made or imported; one that does not fit
/// (an archive edited by hand) changes nothing.
fn set(doc: &mut Document, field: &Field, v: &Value) {
    match (field, v) {
        (Field::Date, Value::Text(t)) => {
            if let Ok(h) = HistDate::parse_edtf(t) {
                doc.date.editorial = Some(h.text.clone());
                doc.date.interval = Some(h);
                redo_disagreement(doc);
            }
        }
        (Field::Dateline, Value::None) => {
            let from_dateline = doc.date.editorial.is_none();
            doc.date.written = None;
            doc.date.written_interval = None;
            if from_dateline {
                doc.date.interval = None;
            }
            redo_disagreement(doc);
        }
        (Field::Dateline, Value::Text(t)) => {
            // Read as the readers read a dateline, so the interval follows
            // the corrected text; where the edition's date came from the
            // dateline (no editorial date), it follows too.
            let year = doc.date.interval.as_ref().and_then(HistDate::year);
            let read = dates::parse_dateline(t, year).map(|(_, h)| h);
            doc.date.written = Some(t.clone());
            doc.date.written_interval = read.clone();
            if doc.date.editorial.is_none() {
                doc.date.interval = read;
            }
            redo_disagreement(doc);
        }
        (Field::Place, Value::None) => doc.place = None,
        (Field::Place, Value::Text(t)) => doc.place = Some(t.clone()),
        (Field::Senders, Value::Names(ns)) => doc.senders = ns.clone(),
        (Field::Addressees, Value::Names(ns)) => doc.addressees = ns.clone(),
        (Field::Kind, Value::Text(t)) => {
            if let Some(k) = DocKind::parse(t) {
                doc.kind = k;
            }
        }
        (Field::Number, Value::None) => doc.number = None,
        (Field::Number, Value::Number(n)) => doc.number = Some(*n),
        (Field::NoteText { note }, Value::Text(t)) => {
            if let Some(n) = doc.notes.iter_mut().find(|n| n.n == *note) {
                n.text = t.clone();
            }
        }
        (Field::NoteAuthor { note }, Value::Author(a)) => {
            if let Some(n) = doc.notes.iter_mut().find(|n| n.n == *note) {
                n.by = a.clone();
            }
        }
        _ => {}
    }
}

/// The editors' and the author's dates disagree when both are there and
/// do not overlap (the readers' rule).
fn redo_disagreement(doc: &mut Document) {
    doc.date.disagreement = match (&doc.date.interval, &doc.date.written_interval) {
        (Some(e), Some(w)) => doc.date.editorial.is_some() && !e.overlaps(w),
        _ => false,
    };
}

/// Applies `corrections` (in the order of the history) to the edition;
/// returns what became of each, in the same order, and adds a
/// `correction-conflict` finding for each one that waits for an editor.
/// Linear: documents are found through a map, each field's recovered value
/// is read once.
pub fn apply(edition: &mut Edition, corrections: &[Correction]) -> Vec<Outcome> {
    // Most archives hold none: no index to build.
    if corrections.is_empty() {
        return Vec::new();
    }
    let index: HashMap<String, usize> = edition
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.clone(), i))
        .collect();
    // The engine's value of each field touched, read before any
    // correction changed it: every correction is judged against the
    // recovery, never against another correction.
    let mut fresh: HashMap<(usize, Field), Option<Value>> = HashMap::new();
    // The earlier corrections of each target still standing (outcome
    // indexes): a later one that applies supersedes them, in conflict or
    // not — correcting the field again is how an editor settles a
    // conflict.
    let mut standing: HashMap<&Target, Vec<usize>> = HashMap::new();
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(corrections.len());
    let mut findings: Vec<Option<Finding>> = Vec::with_capacity(corrections.len());
    for c in corrections {
        let outcome = |state: State, now: Option<Value>| Outcome {
            id: c.id.clone(),
            state,
            now,
        };
        if c.status == Status::Reverted {
            outcomes.push(outcome(State::Reverted, None));
            findings.push(None);
            continue;
        }
        if !c.sets() {
            outcomes.push(outcome(State::Revert, None));
            findings.push(None);
            continue;
        }
        let field = &c.target.field;
        let mine = outcomes.len();
        let Some(&di) = index.get(&c.target.document) else {
            findings.push(Some(conflict_finding(None, c, None)));
            outcomes.push(outcome(State::MissingDocument, None));
            standing.entry(&c.target).or_default().push(mine);
            continue;
        };
        let key = (di, field.clone());
        let now = fresh
            .entry(key)
            .or_insert_with(|| current(&edition.documents[di], field))
            .clone();
        let Some(now) = now else {
            findings.push(Some(conflict_finding(
                Some(&edition.documents[di]),
                c,
                None,
            )));
            outcomes.push(outcome(State::MissingNote, None));
            standing.entry(&c.target).or_default().push(mine);
            continue;
        };
        let Some(state) = judge(&now, c) else {
            findings.push(Some(conflict_finding(
                Some(&edition.documents[di]),
                c,
                Some(&now),
            )));
            outcomes.push(outcome(State::Conflict, Some(now)));
            standing.entry(&c.target).or_default().push(mine);
            continue;
        };
        put(&mut edition.documents[di], c, state);
        let earlier = standing.entry(&c.target).or_default();
        for before in earlier.drain(..) {
            outcomes[before].state = State::Superseded;
            findings[before] = None;
        }
        earlier.push(mine);
        outcomes.push(outcome(state, Some(now)));
        findings.push(None);
    }
    edition.findings.extend(findings.into_iter().flatten());
    outcomes
}

/// Whether a correction applies to the field's recovered value `now`:
/// `Applied` while the engine recovers what it replaced, `Agrees` when the
/// engine recovers its value itself; `None`: a conflict.
fn judge(now: &Value, c: &Correction) -> Option<State> {
    if *now == c.recovered {
        Some(State::Applied)
    } else if *now == c.value {
        Some(State::Agrees)
    } else {
        None
    }
}

/// Gives the document the correction's value, and lists the field among
/// the corrected ones when the value is the editors' (not the engine's).
fn put(doc: &mut Document, c: &Correction, state: State) {
    set(doc, &c.target.field, &c.value);
    let name = c.target.field.name();
    if state == State::Applied && !doc.corrected.contains(&name) {
        doc.corrected.push(name);
    }
}

/// What [`apply_next`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Next {
    /// The new correction's outcome.
    pub outcome: Outcome,
    /// Its `correction-conflict` finding, when it waits for an editor.
    pub finding: Option<Finding>,
    /// The earlier corrections of its target it supersedes (their state
    /// becomes `superseded`, their conflict findings go).
    pub superseded: Vec<String>,
}

/// The value the engine recovers for the field of a document the history
/// was already applied to, as the corrections pass judges a correction
/// appended to that history: the value the pass recorded for the
/// target's earlier corrections (`earlier`, their outcomes: it reads a
/// field once, before any correction of it), else the document's own.
/// `None`: the note is not there. What a new correction records as the
/// value it replaces.
pub fn recovered(doc: &Document, field: &Field, earlier: &[Outcome]) -> Option<Value> {
    let read = earlier.iter().find_map(|o| match o.state {
        State::Applied | State::Agrees | State::Superseded | State::Conflict => Some(o.now.clone()),
        State::MissingNote => Some(None),
        _ => None,
    });
    match read {
        Some(now) => now,
        None => current(doc, field),
    }
}

/// One more correction at the end of the history, applied to a document
/// the earlier history was already applied to (as the archive stores it):
/// what [`apply`] over the whole history gives that document, without
/// the rest of the edition. `earlier`: what the last pass recorded for
/// the earlier corrections of the same target, in the history's order.
/// The pass reads a field's recovered value once, at the first correction
/// of it, before any correction of it changed the document, and records
/// it in every outcome; it is read back from there, else from the
/// document (no correction of the field has touched it yet).
pub fn apply_next(doc: Option<&mut Document>, c: &Correction, earlier: &[Outcome]) -> Next {
    let done = |state: State, now: Option<Value>, finding: Option<Finding>| Next {
        outcome: Outcome {
            id: c.id.clone(),
            state,
            now,
        },
        finding,
        superseded: Vec::new(),
    };
    if c.status == Status::Reverted {
        return done(State::Reverted, None, None);
    }
    if !c.sets() {
        return done(State::Revert, None, None);
    }
    let Some(doc) = doc else {
        return done(
            State::MissingDocument,
            None,
            Some(conflict_finding(None, c, None)),
        );
    };
    let Some(now) = recovered(doc, &c.target.field, earlier) else {
        let f = conflict_finding(Some(&*doc), c, None);
        return done(State::MissingNote, None, Some(f));
    };
    let Some(state) = judge(&now, c) else {
        let f = conflict_finding(Some(&*doc), c, Some(&now));
        return done(State::Conflict, Some(now), Some(f));
    };
    put(doc, c, state);
    let mut next = done(state, Some(now), None);
    // The pass's standing corrections of the target: every earlier one
    // not reverted, not an entry of its own, not superseded already.
    next.superseded = earlier
        .iter()
        .filter(|o| {
            matches!(
                o.state,
                State::Applied
                    | State::Agrees
                    | State::Conflict
                    | State::MissingNote
                    | State::MissingDocument
            )
        })
        .map(|o| o.id.clone())
        .collect();
    next
}

/// The finding that lists a correction waiting for an editor, placed at
/// the document's first witness when there is one.
fn conflict_finding(doc: Option<&Document>, c: &Correction, now: Option<&Value>) -> Finding {
    let field = c.target.field.name();
    let message = match (doc, now) {
        (None, _) => format!(
            "correction {} of {} in {}: the document is no longer in the edition; not applied (correction {}, made by {} at {}); revert it or correct the document it now is",
            c.id,
            field,
            c.target.document,
            c.value.shown(),
            c.by,
            c.at
        ),
        (Some(_), None) => format!(
            "correction {} of {field}: the note is no longer in the document; not applied (correction {}, made by {} at {}); revert it or correct the note it now is",
            c.id,
            c.value.shown(),
            c.by,
            c.at
        ),
        (Some(_), Some(now)) => format!(
            "correction {} of {field}: recorded as recovered {}, now recovered {}, corrected to {}; not applied (made by {} at {}); correct the field again or revert it",
            c.id,
            c.recovered.shown(),
            now.shown(),
            c.value.shown(),
            c.by,
            c.at
        ),
    };
    let (source, line) = doc
        .and_then(|d| d.witnesses.first())
        .map(|w| (w.source.clone(), w.first_line))
        .unwrap_or_else(|| ("corrections".to_string(), 0));
    Finding {
        kind: FindingKind::CorrectionConflict,
        source,
        line,
        document: Some(c.target.document.clone()),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fond_model::correction::Action;
    use fond_model::{CallForm, Note, NoteAuthor, NoteRole};

    fn edition() -> Edition {
        let mut d = Document::new("c/1", "c", DocKind::Letter);
        d.number = Some(1);
        d.place = Some("Sochi".into());
        d.senders = vec!["Ivanov".into()];
        d.date.editorial = Some("12 July 1925".into());
        d.date.interval = dates::parse_editorial("12 July 1925");
        d.notes.push(Note {
            n: 1,
            call: CallForm::Superscript,
            call_block: None,
            text: "A note.".into(),
            by: NoteAuthor::editors(),
            archival_refs: vec![],
            cross_refs: vec![],
            special_file: false,
            relocated: false,
            line: 3,
        });
        Edition {
            documents: vec![d],
            ..Edition::default()
        }
    }

    fn corr(id: &str, doc: &str, field: Field, recovered: Value, value: Value) -> Correction {
        Correction {
            id: id.into(),
            action: Action::Set,
            target: Target {
                document: doc.into(),
                field,
            },
            recovered,
            value,
            by: "ed".into(),
            at: "2026-12-06T06:00:00Z".into(),
            why: "checked the facsimile".into(),
            status: Status::Active,
            reverts: None,
        }
    }

    fn text(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn a_correction_holds_while_the_recovery_is_what_it_replaced() {
        let mut e = edition();
        let cs = [
            corr(
                "a",
                "c/1",
                Field::Date,
                text("1925-07-12"),
                text("1925-07-15"),
            ),
            corr("b", "c/1", Field::Place, text("Sochi"), text("Moscow")),
            corr(
                "c",
                "c/1",
                Field::NoteAuthor { note: 1 },
                Value::Author(NoteAuthor::editors()),
                Value::Author(NoteAuthor::new(NoteRole::Translator, "C. F.")),
            ),
            corr("d", "c/1", Field::Number, Value::Number(1), Value::None),
        ];
        let out = apply(&mut e, &cs);
        assert!(out.iter().all(|o| o.state == State::Applied), "{out:?}");
        let d = &e.documents[0];
        assert_eq!(
            d.date.interval.as_ref().map(|i| i.edtf.as_str()),
            Some("1925-07-15")
        );
        assert_eq!(d.date.editorial.as_deref(), Some("1925-07-15"));
        assert_eq!(d.place.as_deref(), Some("Moscow"));
        assert_eq!(d.notes[0].by.role, NoteRole::Translator);
        assert_eq!(d.number, None);
        assert_eq!(d.corrected, ["date", "place", "note:1:author", "number"]);
        assert!(e.findings.is_empty());
        // Applying again to the corrected edition: every correction agrees.
        let again = apply(&mut e, &cs);
        assert!(again.iter().all(|o| o.state == State::Agrees), "{again:?}");
    }

    #[test]
    fn a_moved_recovery_is_a_conflict_and_nothing_changes() {
        let mut e = edition();
        let cs = [corr(
            "a",
            "c/1",
            Field::Place,
            text("Sotchi"),
            text("Moscow"),
        )];
        let out = apply(&mut e, &cs);
        assert_eq!(out[0].state, State::Conflict);
        assert_eq!(out[0].now, Some(text("Sochi")));
        assert_eq!(e.documents[0].place.as_deref(), Some("Sochi"));
        assert!(e.documents[0].corrected.is_empty());
        assert_eq!(e.findings.len(), 1);
        let f = &e.findings[0];
        assert_eq!(f.kind, FindingKind::CorrectionConflict);
        assert_eq!(f.document.as_deref(), Some("c/1"));
        for part in ["\"Sotchi\"", "\"Sochi\"", "\"Moscow\"", "place"] {
            assert!(f.message.contains(part), "{}", f.message);
        }
    }

    #[test]
    fn a_missing_document_or_note_is_a_conflict() {
        let mut e = edition();
        let cs = [
            corr("a", "c/9", Field::Place, Value::None, text("Moscow")),
            corr(
                "b",
                "c/1",
                Field::NoteText { note: 7 },
                text("x"),
                text("y"),
            ),
        ];
        let out = apply(&mut e, &cs);
        assert_eq!(out[0].state, State::MissingDocument);
        assert_eq!(out[1].state, State::MissingNote);
        assert_eq!(e.findings.len(), 2);
        assert!(e.findings[0].message.contains("no longer in the edition"));
    }

    #[test]
    fn the_last_correction_of_a_field_wins_and_reverted_ones_rest() {
        let mut e = edition();
        let mut first = corr("a", "c/1", Field::Place, text("Sochi"), text("Moscow"));
        let second = corr("b", "c/1", Field::Place, text("Sochi"), text("Tiflis"));
        let out = apply(&mut e, &[first.clone(), second.clone()]);
        assert_eq!(out[0].state, State::Superseded);
        assert_eq!(out[1].state, State::Applied);
        assert_eq!(e.documents[0].place.as_deref(), Some("Tiflis"));

        let mut e = edition();
        let mut taken_back = second.clone();
        taken_back.status = Status::Reverted;
        first.id = "a".into();
        let out = apply(&mut e, &[first, taken_back]);
        assert_eq!(out[1].state, State::Reverted);
        assert_eq!(e.documents[0].place.as_deref(), Some("Moscow"));
    }

    #[test]
    fn correcting_again_settles_a_conflict() {
        let mut e = edition();
        let stale = corr("a", "c/1", Field::Place, text("Sotchi"), text("Moscow"));
        let again = corr("b", "c/1", Field::Place, text("Sochi"), text("Moscow"));
        let out = apply(&mut e, &[stale, again]);
        assert_eq!(out[0].state, State::Superseded);
        assert_eq!(out[1].state, State::Applied);
        assert!(e.findings.is_empty());
    }

    /// `apply_next` on the document as the earlier history left it gives
    /// what `apply` over the whole history gives: the document, every
    /// outcome, the findings (histories with conflicts, superseding,
    /// reverted entries, a missing note, date and dateline together).
    #[test]
    fn the_next_correction_alone_agrees_with_the_whole_pass() {
        let mut reverted = corr("r", "c/1", Field::Place, text("Sochi"), text("Kiev"));
        reverted.status = Status::Reverted;
        let history = vec![
            corr("a", "c/1", Field::Place, text("Sotchi"), text("Moscow")),
            corr(
                "b",
                "c/1",
                Field::Dateline,
                Value::None,
                text("Sochi 7/28/25"),
            ),
            reverted,
            corr("c", "c/1", Field::Place, text("Sochi"), text("Tiflis")),
            corr(
                "d",
                "c/1",
                Field::Date,
                text("1925-07-12"),
                text("1925-07-15"),
            ),
            corr(
                "e",
                "c/1",
                Field::NoteText { note: 4 },
                text("x"),
                text("y"),
            ),
            corr("f", "c/1", Field::Place, text("Sochi"), text("Sochi")),
            corr(
                "g",
                "c/1",
                Field::Date,
                text("1925-07-01"),
                text("1925-07-02"),
            ),
            corr(
                "h",
                "c/1",
                Field::NoteText { note: 1 },
                text("A note."),
                text("B."),
            ),
            corr("i", "c/2", Field::Place, Value::None, text("Moscow")),
            corr(
                "j",
                "c/1",
                Field::Date,
                text("1925-07-12"),
                text("1925-07-20"),
            ),
            corr(
                "k",
                "c/1",
                Field::NoteText { note: 4 },
                text("x"),
                text("z"),
            ),
        ];
        for n in 1..=history.len() {
            let (before, last) = (&history[..n - 1], &history[n - 1]);
            let mut whole = edition();
            let all = apply(&mut whole, &history[..n]);
            let mut step = edition();
            let earlier_all = apply(&mut step, before);
            let earlier: Vec<Outcome> = before
                .iter()
                .zip(&earlier_all)
                .filter(|(c, _)| c.target == last.target)
                .map(|(_, o)| o.clone())
                .collect();
            let next = apply_next(
                step.documents
                    .iter_mut()
                    .find(|d| d.id == last.target.document),
                last,
                &earlier,
            );
            let mut outcomes = earlier_all.clone();
            for o in outcomes.iter_mut() {
                if next.superseded.contains(&o.id) {
                    o.state = State::Superseded;
                }
            }
            outcomes.push(next.outcome.clone());
            assert_eq!(outcomes, all, "outcomes after {}", last.id);
            assert_eq!(
                step.documents, whole.documents,
                "document after {}",
                last.id
            );
            let conflicts = |os: &[Outcome]| -> Vec<String> {
                os.iter()
                    .filter(|o| o.state.is_conflict())
                    .map(|o| o.id.clone())
                    .collect()
            };
            assert_eq!(
                whole.findings.len(),
                conflicts(&all).len(),
                "one finding per conflict after {}",
                last.id
            );
            if let Some(f) = &next.finding {
                assert_eq!(whole.findings.last(), Some(f), "after {}", last.id);
            }
        }
    }

    #[test]
    fn a_corrected_dateline_is_read_again() {
        let mut e = edition();
        e.documents[0].date.editorial = None;
        e.documents[0].date.interval = None;
        let cs = [corr(
            "a",
            "c/1",
            Field::Dateline,
            Value::None,
            text("Sochi 7/28/25"),
        )];
        apply(&mut e, &cs);
        let d = &e.documents[0];
        assert_eq!(d.date.written.as_deref(), Some("Sochi 7/28/25"));
        assert_eq!(
            d.date.interval.as_ref().map(|i| i.edtf.as_str()),
            Some("1925-07-28")
        );
    }
}
