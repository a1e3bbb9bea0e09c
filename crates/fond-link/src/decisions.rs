//! The editors' mention decisions, applied to what the linker found.
//!
//! A decision says which person (body, periodical) a name as written is,
//! or that it is no one's. The links are derived and rebuilt whenever the
//! edition changes, so the decisions are applied after every linking,
//! by the rule every correction follows: a decision applies while the
//! linker still makes of the name what it made when the editor decided
//! (the entity, the list of candidates, or nothing), or already makes the
//! decided entity of it; otherwise it waits for an editor as a conflict.
//! A name no longer found with its context was already judged when the
//! corrections were applied to the edition (`fond_ingest::corrections`);
//! here it is not applied and keeps that state.

use fond_ingest::corrections::locate_mention;
use fond_model::authority::{Entity, Mention, MentionField};
use fond_model::correction::{Correction, Field, Outcome, State, Value};
use fond_model::Document;
use std::collections::HashMap;
use std::ops::Range;

/// How the linking stage names a link an editor decided.
pub const HOW: &str = "editor";

/// What a mention says of its name, as a decision records it: the entity
/// when resolved, else the candidates (the likeliest when none are
/// listed).
pub fn value_of(m: &Mention) -> Value {
    if m.resolved {
        return Value::Text(m.entity.to_string());
    }
    let mut names: Vec<String> = m.candidates.iter().map(Entity::to_string).collect();
    if names.is_empty() {
        names.push(m.entity.to_string());
    }
    Value::Names(names)
}

/// Where a decision's name stands: its place and the span (a party: its
/// index as `i..i`), or `None` when it is not found once.
fn place_of(doc: &Document, field: &Field) -> Option<(MentionField, Range<usize>)> {
    let Field::Mention { place, .. } = field else {
        return None;
    };
    let at = MentionField::parse(place)?;
    Some((at, locate_mention(doc, field).ok()?))
}

/// The mention of `mentions` at a decision's name, if the linker made one.
fn index_at(
    mentions: &[Option<Mention>],
    doc: &str,
    at: MentionField,
    r: &Range<usize>,
) -> Option<usize> {
    mentions.iter().position(|m| {
        m.as_ref().is_some_and(|m| {
            m.doc_id == doc && m.field == at && m.start == r.start && m.end == r.end
        })
    })
}

/// What the linker makes of a decision's name in `mentions` (before any
/// decision): what `fond correct` records as the recovered value.
pub fn linked_value(mentions: &[Mention], doc: &Document, field: &Field) -> Value {
    let Some((at, r)) = place_of(doc, field) else {
        return Value::None;
    };
    mentions
        .iter()
        .find(|m| m.doc_id == doc.id && m.field == at && m.start == r.start && m.end == r.end)
        .map(value_of)
        .unwrap_or(Value::None)
}

/// Applies the mention decisions among `corrections` (in the order of the
/// history) to the linker's `mentions`; returns the outcome of each
/// decision whose name was found (the others keep the state the edition
/// gave them). A later decision of the same name supersedes an earlier.
pub fn apply(
    mentions: &mut Vec<Mention>,
    documents: &[Document],
    corrections: &[Correction],
) -> Vec<Outcome> {
    let decisions: Vec<&Correction> = corrections
        .iter()
        .filter(|c| c.sets() && matches!(c.target.field, Field::Mention { .. }))
        .collect();
    if decisions.is_empty() {
        return Vec::new();
    }
    let docs: HashMap<&str, &Document> = documents.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut slots: Vec<Option<Mention>> = std::mem::take(mentions).into_iter().map(Some).collect();
    // The linker's value at each name, read before any decision.
    let mut raw: HashMap<(String, MentionField, usize, usize), Value> = HashMap::new();
    // The earlier decisions of each name still standing (outcome
    // indexes): a later one that applies supersedes them.
    let mut standing: HashMap<&fond_model::correction::Target, Vec<usize>> = HashMap::new();
    let mut out: Vec<Outcome> = Vec::new();
    for c in decisions {
        let Some(doc) = docs.get(c.target.document.as_str()) else {
            continue;
        };
        let Some((at, r)) = place_of(doc, &c.target.field) else {
            continue;
        };
        let key = (doc.id.clone(), at, r.start, r.end);
        let i = index_at(&slots, &doc.id, at, &r);
        let now = raw
            .entry(key)
            .or_insert_with(|| {
                i.and_then(|i| slots[i].as_ref())
                    .map(value_of)
                    .unwrap_or(Value::None)
            })
            .clone();
        let state = if now == c.recovered {
            State::Applied
        } else if now == c.value {
            State::Agrees
        } else {
            standing.entry(&c.target).or_default().push(out.len());
            out.push(Outcome {
                id: c.id.clone(),
                state: State::Conflict,
                now: Some(now),
            });
            continue;
        };
        if state == State::Applied {
            decide(&mut slots, i, doc, at, &r, c);
        }
        let earlier = standing.entry(&c.target).or_default();
        for before in earlier.drain(..) {
            out[before].state = State::Superseded;
        }
        earlier.push(out.len());
        out.push(Outcome {
            id: c.id.clone(),
            state,
            now: Some(now),
        });
    }
    *mentions = slots.into_iter().flatten().collect();
    out
}

/// Gives the name the decided entity (a mention of its own when the
/// linker made none), or takes its link away.
fn decide(
    slots: &mut Vec<Option<Mention>>,
    i: Option<usize>,
    doc: &Document,
    at: MentionField,
    r: &Range<usize>,
    c: &Correction,
) {
    let entity = match &c.value {
        Value::Text(t) => Entity::parse(t),
        _ => None,
    };
    let Some(entity) = entity else {
        if let Some(i) = i {
            slots[i] = None;
        }
        return;
    };
    let surface = match &c.target.field {
        Field::Mention { exact, .. } => exact.clone(),
        _ => String::new(),
    };
    match i.and_then(|i| slots[i].as_mut()) {
        Some(m) => {
            m.entity = entity;
            m.resolved = true;
            m.confidence = 1.0;
            m.how = HOW.to_string();
        }
        None => slots.push(Some(Mention {
            doc_id: doc.id.clone(),
            field: at,
            entity,
            start: r.start,
            end: r.end,
            surface,
            confidence: 1.0,
            resolved: true,
            how: HOW.to_string(),
            candidates: Vec::new(),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fond_model::authority::EntityKind;
    use fond_model::correction::{Action, Status, Target};
    use fond_model::{Block, BlockKind, DocKind, Inline};

    fn doc() -> Document {
        let mut d = Document::new("c/1", "c", DocKind::Letter);
        d.body.push(Block {
            kind: BlockKind::Paragraph,
            inlines: vec![Inline::Text {
                text: "Tell Ivanov that Ivanov is wrong.".into(),
            }],
            line: 1,
        });
        d
    }

    fn mention(start: usize, id: &str, resolved: bool) -> Mention {
        Mention {
            doc_id: "c/1".into(),
            field: MentionField::Body,
            entity: Entity::new(EntityKind::Person, id),
            start,
            end: start + 6,
            surface: "Ivanov".into(),
            confidence: 0.5,
            resolved,
            how: "surname".into(),
            candidates: vec![
                Entity::new(EntityKind::Person, "ivanov-a"),
                Entity::new(EntityKind::Person, "ivanov-b"),
            ],
        }
    }

    fn decision(id: &str, prefix: &str, recovered: Value, value: Value) -> Correction {
        Correction {
            id: id.into(),
            action: Action::Set,
            target: Target {
                document: "c/1".into(),
                field: Field::Mention {
                    place: "body".into(),
                    exact: "Ivanov".into(),
                    prefix: prefix.into(),
                    suffix: String::new(),
                },
            },
            recovered,
            value,
            by: "ed".into(),
            at: "2026-12-06T06:00:00Z".into(),
            why: "the facsimile".into(),
            status: Status::Active,
            reverts: None,
        }
    }

    fn both() -> Value {
        Value::Names(vec!["person:ivanov-a".into(), "person:ivanov-b".into()])
    }

    #[test]
    fn a_decision_resolves_unlinks_or_links_a_name() {
        let d = doc();
        let mut ms = vec![
            mention(5, "ivanov-a", false),
            mention(17, "ivanov-a", false),
        ];
        let first = decision("a", "Tell ", both(), Value::Text("person:ivanov-b".into()));
        let second = decision("b", "that ", both(), Value::None);
        assert_eq!(linked_value(&ms, &d, &first.target.field), both());
        let out = apply(&mut ms, std::slice::from_ref(&d), &[first, second]);
        assert_eq!(out.len(), 2);
        assert!(out.iter().all(|o| o.state == State::Applied), "{out:?}");
        assert_eq!(ms.len(), 1);
        assert_eq!(ms[0].entity.id(), "ivanov-b");
        assert!(ms[0].resolved);
        assert_eq!(ms[0].how, HOW);
        // A name the linker did not find becomes a mention of its own.
        let mut none = Vec::new();
        let link = decision("c", "Tell ", Value::None, Value::Text("person:x".into()));
        let out = apply(&mut none, std::slice::from_ref(&d), &[link]);
        assert_eq!(out[0].state, State::Applied);
        assert_eq!((none[0].start, none[0].end), (5, 11));
    }

    #[test]
    fn a_name_the_linker_now_reads_otherwise_is_a_conflict() {
        let d = doc();
        // Decided while the linker could not choose; it now chooses
        // ivanov-a itself.
        let mut ms = vec![mention(5, "ivanov-a", true)];
        let c = decision("a", "Tell ", both(), Value::Text("person:ivanov-b".into()));
        let out = apply(&mut ms, std::slice::from_ref(&d), &[c]);
        assert_eq!(out[0].state, State::Conflict);
        assert_eq!(out[0].now, Some(Value::Text("person:ivanov-a".into())));
        assert_eq!(ms[0].entity.id(), "ivanov-a");
        // Now chooses what the editor decided: agrees.
        let mut ms = vec![mention(5, "ivanov-b", true)];
        let c = decision("a", "Tell ", both(), Value::Text("person:ivanov-b".into()));
        let out = apply(&mut ms, std::slice::from_ref(&d), &[c]);
        assert_eq!(out[0].state, State::Agrees);
    }

    #[test]
    fn a_name_not_found_keeps_the_editions_state() {
        let d = doc();
        let mut ms = vec![mention(5, "ivanov-a", false)];
        let c = decision("a", "", both(), Value::None);
        // "Ivanov" stands twice: ambiguous, judged by the edition's pass.
        let out = apply(&mut ms, std::slice::from_ref(&d), &[c]);
        assert!(out.is_empty());
        assert_eq!(ms.len(), 1);
    }
}
