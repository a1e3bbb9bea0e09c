//! Editors' corrections: a layer over what the engine recovered.
//!
//! The edition is the engine's recovery plus the corrections. A correction
//! names what it replaced (the value the engine had recovered when the
//! editor made it), so that when a later re-derivation recovers something
//! else (the source changed, a reader improved) the correction is not
//! applied blindly: it waits for an editor as a conflict. Corrections are
//! never deleted; taking one back is a new entry of the history
//! ([`Action::Revert`]).
//!
//! Plain serde types: `fond-ingest` applies them, `fond-store` keeps them,
//! the CLI makes them.

use crate::{DocKind, HistDate, NoteAuthor, NoteRole};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a correction is about: one field of one document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Target {
    /// The document's id.
    pub document: String,
    #[serde(flatten)]
    pub field: Field,
}

/// The fields an editor can correct. The kinds that name a place in the
/// text (a span, a name as written) carry their anchor: the quote as
/// printed with the text before and after it (the Web Annotation
/// `TextQuoteSelector`), found again by `fond_text::quote::find` over the
/// text as printed ([`crate::Reading::Printed`]), whitespace folded.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "field", rename_all = "kebab-case")]
pub enum Field {
    /// The editorial date: the interval the edition gives the document.
    Date,
    /// The author's dateline as printed.
    Dateline,
    Place,
    Senders,
    Addressees,
    Kind,
    /// The number the print edition gives it.
    Number,
    /// A note's text.
    NoteText {
        note: u32,
    },
    /// Who wrote a note.
    NoteAuthor {
        note: u32,
    },
    /// A span of the reading text: an emendation. `exact` is the span as
    /// printed, `prefix`/`suffix` its context; the value is the edition's
    /// reading of it (the printed one is kept beside it).
    Text {
        exact: String,
        prefix: String,
        suffix: String,
    },
    /// Which person, body or periodical a name as written is. `place` is
    /// where the name stands (`body`, `note:N`, `sender`, `addressee`:
    /// the linking stage's `MentionField`), `exact` the name as written
    /// and `prefix`/`suffix` its context (empty for a party). The value is
    /// the entity (`person:ID`) or none (the name is no one's); what the
    /// linker made of it is the recovered value: the entity, the list of
    /// candidates when it could not decide, or none.
    Mention {
        place: String,
        exact: String,
        prefix: String,
        suffix: String,
    },
    /// Where a note's call stands: after the words `exact` as printed
    /// (with their context). The value is those words; the recovered
    /// value is the text the call followed (its last characters), or none
    /// when the call was lost.
    NoteCall {
        note: u32,
        exact: String,
        prefix: String,
        suffix: String,
    },
    /// The document is a witness of another document's work: its
    /// witnesses join that document and it leaves the edition. The value
    /// is the other document's id.
    WitnessOf,
    /// The document's witness from `source` was wrongly joined: it
    /// becomes a document of its own. The value is the source's name.
    Split {
        source: String,
    },
}

/// Why a field name or a value was not understood, in words that say what
/// to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError(pub String);

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ValueError {}

/// The field names as typed, for messages.
pub const FIELD_NAMES: &str =
    "date, dateline, place, senders, addressees, kind, number, note:N:text, note:N:author, note:N:call, text, mention, witness-of, split";

impl Field {
    /// The name as an editor types it and as `corrected` lists it: `date`,
    /// `note:3:text`.
    pub fn name(&self) -> String {
        match self {
            Field::Date => "date".into(),
            Field::Dateline => "dateline".into(),
            Field::Place => "place".into(),
            Field::Senders => "senders".into(),
            Field::Addressees => "addressees".into(),
            Field::Kind => "kind".into(),
            Field::Number => "number".into(),
            Field::NoteText { note } => format!("note:{note}:text"),
            Field::NoteAuthor { note } => format!("note:{note}:author"),
            Field::Text { .. } => "text".into(),
            Field::Mention { .. } => "mention".into(),
            Field::NoteCall { note, .. } => format!("note:{note}:call"),
            Field::WitnessOf => "witness-of".into(),
            Field::Split { source } => format!("split:{source}"),
        }
    }

    /// Whether the field names a place in the text by quote and context
    /// (its name alone does not say which: [`Field::parse`] cannot read
    /// it back, the correction's record has it).
    pub fn is_anchored(&self) -> bool {
        matches!(
            self,
            Field::Text { .. } | Field::Mention { .. } | Field::NoteCall { .. }
        )
    }

    /// The span a text or mention field is anchored by: quote, prefix,
    /// suffix.
    pub fn anchor(&self) -> Option<(&str, &str, &str)> {
        match self {
            Field::Text {
                exact,
                prefix,
                suffix,
            }
            | Field::Mention {
                exact,
                prefix,
                suffix,
                ..
            }
            | Field::NoteCall {
                exact,
                prefix,
                suffix,
                ..
            } => Some((exact, prefix, suffix)),
            _ => None,
        }
    }

    /// Reads a field name ([`Field::name`]'s form; `note:N:by` is taken for
    /// the author too). `text` and `mention` need their anchor, which a
    /// name does not carry: they are refused here with what to write.
    pub fn parse(s: &str) -> Result<Field, ValueError> {
        let s = s.trim();
        if matches!(s, "text" | "mention") {
            return Err(ValueError(format!(
                "the field {s} is anchored by a quote and its context: write `fond correct ID {s} 'AS PRINTED→{}' [--before TEXT] [--after TEXT]`",
                if s == "text" { "READING" } else { "person:ID or none" }
            )));
        }
        let simple = match s {
            "witness-of" => Some(Field::WitnessOf),
            "date" => Some(Field::Date),
            "dateline" => Some(Field::Dateline),
            "place" => Some(Field::Place),
            "senders" | "sender" => Some(Field::Senders),
            "addressees" | "addressee" => Some(Field::Addressees),
            "kind" => Some(Field::Kind),
            "number" => Some(Field::Number),
            _ => None,
        };
        if let Some(f) = simple {
            return Ok(f);
        }
        if let Some(source) = s.strip_prefix("split:").filter(|x| !x.trim().is_empty()) {
            return Ok(Field::Split {
                source: source.trim().to_string(),
            });
        }
        let unknown = || {
            ValueError(format!(
                "unknown field \"{s}\"; the fields are: {FIELD_NAMES} (N: the note's number)"
            ))
        };
        let rest = s.strip_prefix("note:").ok_or_else(unknown)?;
        let (n, part) = rest.split_once(':').ok_or_else(unknown)?;
        let note: u32 = n.parse().map_err(|_| {
            ValueError(format!(
                "\"{s}\": \"{n}\" is not a note number (write note:3:text)"
            ))
        })?;
        match part {
            "call" => Err(ValueError(format!(
                "the field {s} is anchored by a quote and its context: write `fond correct ID {s} 'WORDS THE CALL FOLLOWS' [--before TEXT] [--after TEXT]`"
            ))),
            "text" => Ok(Field::NoteText { note }),
            "author" | "by" => Ok(Field::NoteAuthor { note }),
            _ => Err(unknown()),
        }
    }

    /// Reads a value for this field as typed on the command line. Dates
    /// are EDTF (`1929-08-21`, `1929-08/1929-09`); names are separated by
    /// `;`; an empty value clears a field that may be empty (dateline,
    /// place, number, senders, addressees); a note's author is `ROLE` or
    /// `ROLE:NAME` (roles: editors, editor, translator, other).
    pub fn parse_value(&self, s: &str) -> Result<Value, ValueError> {
        let t = s.trim();
        let v = match self {
            Field::Date => Value::Text(t.to_string()),
            Field::Dateline | Field::Place => {
                if t.is_empty() {
                    Value::None
                } else {
                    Value::Text(t.to_string())
                }
            }
            Field::Senders | Field::Addressees => Value::Names(
                t.split(';')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(String::from)
                    .collect(),
            ),
            Field::Kind => Value::Text(t.to_string()),
            Field::Number => {
                if t.is_empty() {
                    Value::None
                } else {
                    Value::Number(t.parse().map_err(|_| {
                        ValueError(format!(
                            "\"{t}\" is not a document number (a whole number from 0; empty for none)"
                        ))
                    })?)
                }
            }
            Field::NoteText { .. }
            | Field::WitnessOf
            | Field::NoteCall { .. }
            | Field::Split { .. } => Value::Text(t.to_string()),
            // An emendation may read a printed word as nothing.
            Field::Text { .. } => Value::Text(s.to_string()),
            Field::Mention { .. } => match t {
                "" | "none" => Value::None,
                _ => Value::Text(t.to_string()),
            },
            Field::NoteAuthor { .. } => {
                let (role, name) = match t.split_once(':') {
                    Some((r, n)) => (r.trim(), n.trim()),
                    None => (t, ""),
                };
                let role = NoteRole::ALL
                    .into_iter()
                    .find(|r| r.as_str() == role)
                    .ok_or_else(|| {
                        ValueError(format!(
                            "\"{t}\" is not a note author; write ROLE or ROLE:NAME, ROLE one of editors, editor, translator, other (editor:Lars T. Lih)"
                        ))
                    })?;
                Value::Author(NoteAuthor::new(role, name))
            }
        };
        self.check(&v)?;
        Ok(v)
    }

    /// Whether `v` is a value this field can take (what an import checks
    /// before storing a correction).
    pub fn check(&self, v: &Value) -> Result<(), ValueError> {
        let name = self.name();
        let wrong = |want: &str| {
            ValueError(format!(
                "the value {} does not fit the field {name}: {want}",
                v.shown()
            ))
        };
        match (self, v) {
            (Field::Date, Value::Text(t)) => HistDate::parse_edtf(t)
                .map(|_| ())
                .map_err(|e| ValueError(e.to_string())),
            (Field::Date, _) => Err(wrong("a date (1929-08-21, 1929-08/1929-09)")),
            (Field::Dateline | Field::Place, Value::None) => Ok(()),
            (Field::Dateline | Field::Place, Value::Text(t)) if !t.trim().is_empty() => Ok(()),
            (Field::Dateline | Field::Place, _) => Err(wrong("a text, or none")),
            (Field::Senders | Field::Addressees, Value::Names(_)) => Ok(()),
            (Field::Senders | Field::Addressees, _) => Err(wrong("a list of names")),
            (Field::Kind, Value::Text(t)) if DocKind::parse(t).is_some() => Ok(()),
            (Field::Kind, _) => Err(ValueError(format!(
                "{} is not a kind of document; the kinds are: {}",
                v.shown(),
                DocKind::ALL.map(|k| k.as_str()).join(", ")
            ))),
            (Field::Number, Value::None | Value::Number(_)) => Ok(()),
            (Field::Number, _) => Err(wrong("a whole number, or none")),
            (Field::NoteText { .. }, Value::Text(t)) if !t.trim().is_empty() => Ok(()),
            (Field::NoteText { .. }, _) => Err(wrong("a text that is not empty")),
            (Field::NoteAuthor { .. }, Value::Author(_)) => Ok(()),
            (Field::NoteAuthor { .. }, _) => Err(wrong("a role and a name")),
            (Field::Text { exact, .. }, Value::Text(_)) if !exact.trim().is_empty() => Ok(()),
            (Field::Text { .. }, Value::Text(_)) => Err(ValueError(
                "an emendation needs the words as printed (the quote is empty)".into(),
            )),
            (Field::Text { .. }, _) => Err(wrong("the reading of the span (a text)")),
            (Field::Mention { exact, place, .. }, _)
                if exact.trim().is_empty()
                    || crate::authority::MentionField::parse(place).is_none() =>
            {
                Err(ValueError(format!(
                    "a mention is a name as written (not empty) in body, note:N, sender or addressee (not \"{place}\")"
                )))
            }
            (Field::Mention { .. }, Value::None) => Ok(()),
            (Field::Mention { .. }, Value::Text(t))
                if crate::authority::Entity::parse(t).is_some() =>
            {
                Ok(())
            }
            (Field::Mention { .. }, _) => Err(wrong(
                "an entity as kind:id (person:stalin-i-v, body:politburo), or none",
            )),
            (Field::NoteCall { exact, .. }, Value::Text(t))
                if !exact.trim().is_empty() && !t.trim().is_empty() =>
            {
                Ok(())
            }
            (Field::NoteCall { .. }, _) => Err(wrong("the words the call follows")),
            (Field::Split { source }, Value::Text(t)) if t == source => Ok(()),
            (Field::Split { .. }, _) => Err(wrong("the name of the witness's source")),
            (Field::WitnessOf, Value::Text(t)) if !t.trim().is_empty() => Ok(()),
            (Field::WitnessOf, _) => Err(wrong("the id of the document it is a witness of")),
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// A field's value, recovered or corrected. Its shape follows the field:
/// a date is its EDTF text, a kind its name, names a list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// Nothing: no place, no number, no date.
    None,
    Number(u32),
    Text(String),
    Names(Vec<String>),
    Author(NoteAuthor),
}

/// Read by the JSON type of the value, in one pass: every re-derivation
/// reads every correction, and serde's untagged enums buffer the value and
/// try each variant in turn (building an error for each miss).
impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("null, a number, a text, a list of names or a note author")
            }
            fn visit_unit<E>(self) -> Result<Value, E> {
                Ok(Value::None)
            }
            fn visit_none<E>(self) -> Result<Value, E> {
                Ok(Value::None)
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
                d.deserialize_any(V)
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Value, E> {
                u32::try_from(n)
                    .map(Value::Number)
                    .map_err(|_| E::custom(format!("{n} is too large for a number")))
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Value, E> {
                u32::try_from(n)
                    .map(Value::Number)
                    .map_err(|_| E::custom(format!("{n} is not a number from 0")))
            }
            fn visit_str<E>(self, s: &str) -> Result<Value, E> {
                Ok(Value::Text(s.to_string()))
            }
            fn visit_string<E>(self, s: String) -> Result<Value, E> {
                Ok(Value::Text(s))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
                let mut names = Vec::with_capacity(a.size_hint().unwrap_or(0));
                while let Some(n) = a.next_element::<String>()? {
                    names.push(n);
                }
                Ok(Value::Names(names))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, a: A) -> Result<Value, A::Error> {
                NoteAuthor::deserialize(serde::de::value::MapAccessDeserializer::new(a))
                    .map(Value::Author)
            }
        }
        d.deserialize_any(V)
    }
}

impl Value {
    /// The value as a reader sees it in a message or a table.
    pub fn shown(&self) -> String {
        match self {
            Value::None => "(none)".into(),
            Value::Number(n) => n.to_string(),
            Value::Text(t) => format!("\"{t}\""),
            Value::Names(ns) if ns.is_empty() => "(no one)".into(),
            Value::Names(ns) => ns.join("; "),
            Value::Author(a) if a.name.is_empty() => a.role.as_str().to_string(),
            Value::Author(a) => format!("{}:{}", a.role.as_str(), a.name),
        }
    }
}

/// What an entry of the history does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Gives the field a new value.
    Set,
    /// Takes back the correction named by `reverts`: its value and
    /// recovered value are the other's, swapped.
    Revert,
}

/// Whether a correction is in force, as the editors decided (whether it
/// applies to the current recovery is the re-derivation's to say).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Active,
    /// A later entry of the history took it back.
    Reverted,
}

/// One entry of the editors' history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// Stable and unique across archives (minted from what the entry
    /// says and when), so that two editors' exports can be merged.
    pub id: String,
    pub action: Action,
    pub target: Target,
    /// The value the engine had recovered when the correction was made.
    pub recovered: Value,
    /// The value the editor gave.
    pub value: Value,
    /// Who.
    pub by: String,
    /// When, UTC, RFC 3339 (`2026-12-06T06:14:32Z`).
    pub at: String,
    /// Why, in the editor's words.
    pub why: String,
    pub status: Status,
    /// For a revert: the correction it takes back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverts: Option<String>,
}

impl Correction {
    /// Whether this entry, when in force, gives its field a value (a revert
    /// records a taking back; it sets nothing itself).
    pub fn sets(&self) -> bool {
        self.action == Action::Set && self.status == Status::Active
    }

    /// Checks that the entry is one fond can keep: an id, a reason, and
    /// values that fit the field.
    pub fn validate(&self) -> Result<(), ValueError> {
        if self.id.trim().is_empty() {
            return Err(ValueError("the correction has no id".into()));
        }
        if self.target.document.trim().is_empty() {
            return Err(ValueError("the correction names no document".into()));
        }
        if self.why.trim().is_empty() {
            return Err(ValueError(format!(
                "correction {}: no reason is given (why)",
                self.id
            )));
        }
        if self.by.trim().is_empty() {
            return Err(ValueError(format!(
                "correction {}: it does not say who made it (by)",
                self.id
            )));
        }
        if !is_utc_time(&self.at) {
            return Err(ValueError(format!(
                "correction {}: \"{}\" is not a time as RFC 3339 writes it (at: 2026-12-06T06:14:32Z)",
                self.id, self.at
            )));
        }
        if self.action == Action::Revert && self.reverts.is_none() {
            return Err(ValueError(format!(
                "correction {}: a revert must name the correction it takes back (reverts)",
                self.id
            )));
        }
        if self.action == Action::Set {
            self.target.field.check(&self.value)?;
        }
        Ok(())
    }
}

/// Whether `s` is a time as RFC 3339 writes it: `2026-12-06T06:14:32Z`,
/// with optional fractions of a second and a `+01:00` offset instead of
/// `Z`. What the TEI export's `@when` may carry.
pub fn is_utc_time(s: &str) -> bool {
    let Some((day, time)) = s.split_once('T') else {
        return false;
    };
    if day.len() != 10 || crate::Day::parse_iso(day).is_none() {
        return false;
    }
    let b = time.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    if !(digits(0..2)
        && b.get(2) == Some(&b':')
        && digits(3..5)
        && b.get(5) == Some(&b':')
        && digits(6..8))
    {
        return false;
    }
    let mut rest = &time[8..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest.as_bytes() {
        [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// What became of a correction at a re-derivation. Derived: recomputed
/// each time the edition is, and stored beside the correction so that
/// `fond corrections list` can say it without re-deriving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// The engine still recovers the value the correction replaced: the
    /// correction's value is the edition's.
    Applied,
    /// The engine now recovers the corrected value itself.
    Agrees,
    /// A later correction of the same field applied over it.
    Superseded,
    /// The engine now recovers another value than the one the correction
    /// replaced: not applied, waiting for an editor.
    Conflict,
    /// The document is no longer in the edition: not applied, waiting.
    MissingDocument,
    /// The note is no longer in the document: not applied, waiting.
    MissingNote,
    /// The quoted span or name is no longer found with its context: not
    /// applied, waiting.
    NotFound,
    /// The quote with its context fits several places: not applied,
    /// waiting (a longer context settles it).
    Ambiguous,
    /// Taken back by a later entry.
    Reverted,
    /// An entry that takes another back: nothing of its own to apply.
    Revert,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Agrees => "agrees",
            State::Superseded => "superseded",
            State::Conflict => "conflict",
            State::MissingDocument => "missing-document",
            State::MissingNote => "missing-note",
            State::NotFound => "not-found",
            State::Ambiguous => "ambiguous",
            State::Reverted => "reverted",
            State::Revert => "revert",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        [
            State::Applied,
            State::Agrees,
            State::Superseded,
            State::Conflict,
            State::MissingDocument,
            State::MissingNote,
            State::NotFound,
            State::Ambiguous,
            State::Reverted,
            State::Revert,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }

    /// Whether the correction waits for an editor (listed by `fond check`).
    pub fn is_conflict(self) -> bool {
        matches!(
            self,
            State::Conflict
                | State::MissingDocument
                | State::MissingNote
                | State::NotFound
                | State::Ambiguous
        )
    }
}

/// A correction's [`State`] at one re-derivation, with the value the
/// engine recovered there (absent when the document or note is gone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub id: String,
    pub state: State,
    pub now: Option<Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_read_back() {
        for f in [
            Field::Date,
            Field::Dateline,
            Field::Place,
            Field::Senders,
            Field::Addressees,
            Field::Kind,
            Field::Number,
            Field::NoteText { note: 3 },
            Field::NoteAuthor { note: 12 },
        ] {
            assert_eq!(Field::parse(&f.name()), Ok(f));
        }
        let e = Field::parse("weather").err().map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.contains("note:N:text")));
        assert!(Field::parse("note:x:text").is_err());
    }

    #[test]
    fn values_read_by_their_field() {
        assert_eq!(
            Field::Senders.parse_value("Stalin; Molotov "),
            Ok(Value::Names(vec!["Stalin".into(), "Molotov".into()]))
        );
        assert_eq!(Field::Place.parse_value(""), Ok(Value::None));
        assert_eq!(Field::Number.parse_value("57"), Ok(Value::Number(57)));
        assert!(Field::Number.parse_value("fifty").is_err());
        assert!(Field::Date.parse_value("21 August 1929").is_err());
        assert!(Field::Date.parse_value("1929-08/1929-09").is_ok());
        assert!(Field::Kind.parse_value("telegram").is_err());
        assert_eq!(
            Field::NoteAuthor { note: 1 }.parse_value("translator:C. F."),
            Ok(Value::Author(NoteAuthor::new(
                NoteRole::Translator,
                "C. F."
            )))
        );
        assert!(Field::NoteAuthor { note: 1 }
            .parse_value("Lars T. Lih")
            .is_err());
        assert!(Field::NoteText { note: 1 }.parse_value(" ").is_err());
    }

    #[test]
    fn times_are_rfc_3339() {
        for good in ["2026-12-06T06:14:32Z", "2026-12-06T06:14:32.5+01:00"] {
            assert!(is_utc_time(good), "{good}");
        }
        for bad in [
            "2026-12-06",
            "2026-12-06 06:14:32Z",
            "2026-13-06T06:14:32Z",
            "2026-12-06T6:14:32Z",
            "2026-12-06T06:14:32",
            "yesterday",
        ] {
            assert!(!is_utc_time(bad), "{bad}");
        }
    }

    #[test]
    fn a_correction_is_json_with_its_target_flat() {
        let c = Correction {
            id: "c1".into(),
            action: Action::Set,
            target: Target {
                document: "x/1".into(),
                field: Field::NoteText { note: 2 },
            },
            recovered: Value::Text("a".into()),
            value: Value::Text("b".into()),
            by: "ed".into(),
            at: "2026-12-06T06:00:00Z".into(),
            why: "typo".into(),
            status: Status::Active,
            reverts: None,
        };
        let j = serde_json::to_string(&c).unwrap_or_default();
        assert!(
            j.contains(r#""target":{"document":"x/1","field":"note-text","note":2}"#),
            "{j}"
        );
        let back: Correction = serde_json::from_str(&j).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, c);
        for v in [
            Value::None,
            Value::Number(57),
            Value::Text("Sochi".into()),
            Value::Names(vec!["A".into(), "B".into()]),
            Value::Names(vec![]),
            Value::Author(NoteAuthor::new(NoteRole::Translator, "C. F.")),
            Value::Author(NoteAuthor::editors()),
        ] {
            let j = serde_json::to_string(&v).unwrap_or_default();
            let back: Value = serde_json::from_str(&j).unwrap_or_else(|e| panic!("{j}: {e}"));
            assert_eq!(back, v, "{j}");
        }
        assert!(serde_json::from_str::<Value>("-3").is_err());
        assert!(serde_json::from_str::<Value>("[1]").is_err());
    }
}
