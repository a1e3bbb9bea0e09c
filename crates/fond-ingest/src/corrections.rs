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
//!
//! Text corrections (emendations) are anchored by their quote as printed
//! and its context, found again over the body's text as printed
//! ([`Reading::Printed`]: what emended runs printed, so one emendation
//! never moves the anchor of another) with `fond_text::quote::find`. A
//! quote no longer found, or found at several places, is a conflict.
//! Mention decisions are judged here only for their anchor (the document
//! and the name in its place); the linking stage applies them, since the
//! links are derived after the edition is stored.

use crate::dates;
use fond_model::authority::MentionField;
use fond_model::correction::{Correction, Field, Outcome, State, Status, Target, Value};
use fond_model::{
    Block, DocKind, Document, Edition, Finding, FindingKind, HistDate, Inline, Reading,
};
use fond_text::quote::{self, Found};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Why a field has no value to read in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Miss {
    /// The note the field names is not in the document.
    NoNote,
    /// The quote (a span, a name) with its context is not found.
    NotFound,
    /// The quote with its context fits this many places.
    Ambiguous(usize),
}

impl Miss {
    fn state(self) -> State {
        match self {
            Miss::NoNote => State::MissingNote,
            Miss::NotFound => State::NotFound,
            Miss::Ambiguous(_) => State::Ambiguous,
        }
    }
}

/// The value the document gives the field now; `None` when the field is a
/// note's and the document has no such note, or a span's that is not
/// found once ([`recovered`] says which).
pub fn current(doc: &Document, field: &Field) -> Option<Value> {
    recovered(doc, field).ok()
}

/// Where a quote lies in a document's body as printed: the block and the
/// byte range in that block's printed text. A quote across two blocks is
/// not found (an emendation is written inside one block).
pub fn locate(
    doc: &Document,
    exact: &str,
    prefix: &str,
    suffix: &str,
) -> Result<(usize, Range<usize>), Miss> {
    let text = doc.body_text_as(Reading::Printed);
    in_blocks(doc, quote::find(&text, exact, prefix, suffix))
}

/// The block of a range of the body's text (blocks joined by a blank
/// line, as [`Document::body_text_as`] joins them).
fn in_blocks(doc: &Document, found: Found) -> Result<(usize, Range<usize>), Miss> {
    let r = match found {
        Found::At(r) => r,
        Found::Missing => return Err(Miss::NotFound),
        Found::Ambiguous(n) => return Err(Miss::Ambiguous(n)),
    };
    let mut start = 0;
    for (i, b) in doc.body.iter().enumerate() {
        let end = start
            + b.inlines
                .iter()
                .map(|x| x.len_as(Reading::Printed))
                .sum::<usize>();
        if r.start >= start && r.end <= end {
            return Ok((i, r.start - start..r.end - start));
        }
        start = end + 2;
    }
    Err(Miss::NotFound)
}

/// The text a mention decision is anchored on: the body as printed (so
/// an emendation nearby does not move the anchor; [`reading_range`] gives
/// the span the linker counts in), a note's text, or for a party the
/// names in order.
fn mention_place<'d>(doc: &'d Document, place: &str) -> Result<std::borrow::Cow<'d, str>, Miss> {
    match MentionField::parse(place) {
        Some(MentionField::Body) => Ok(doc.body_text_as(Reading::Printed).into()),
        Some(MentionField::Note(n)) => doc
            .notes
            .iter()
            .find(|x| x.n == n)
            .map(|x| x.text.as_str().into())
            .ok_or(Miss::NoNote),
        Some(MentionField::Sender) => Ok(doc.senders.join("\n").into()),
        Some(MentionField::Addressee) => Ok(doc.addressees.join("\n").into()),
        None => Err(Miss::NotFound),
    }
}

/// Where a mention decision's name stands in its place's text (the byte
/// range the linker's spans are counted in; for a party, the party's
/// index as `i..i`).
pub fn locate_mention(doc: &Document, field: &Field) -> Result<Range<usize>, Miss> {
    let Field::Mention {
        place,
        exact,
        prefix,
        suffix,
    } = field
    else {
        return Err(Miss::NotFound);
    };
    if let Some(party @ (MentionField::Sender | MentionField::Addressee)) =
        MentionField::parse(place)
    {
        let names = if party == MentionField::Sender {
            &doc.senders
        } else {
            &doc.addressees
        };
        let found: Vec<usize> = (0..names.len())
            .filter(|&i| quote::fold_space(names[i].trim()) == quote::fold_space(exact.trim()))
            .collect();
        return match found.as_slice() {
            [] => Err(Miss::NotFound),
            [i] => Ok(*i..*i),
            more => Err(Miss::Ambiguous(more.len())),
        };
    }
    let text = mention_place(doc, place)?;
    match quote::find(&text, exact, prefix, suffix) {
        Found::At(r) if MentionField::parse(place) == Some(MentionField::Body) => {
            Ok(reading_range(doc, r))
        }
        Found::At(r) => Ok(r),
        Found::Missing => Err(Miss::NotFound),
        Found::Ambiguous(n) => Err(Miss::Ambiguous(n)),
    }
}

/// A range of the body as printed, in the reading text
/// ([`Document::body_text`]): the same outside emendations; an end inside
/// an emended run goes to the run's edge.
pub fn reading_range(doc: &Document, r: Range<usize>) -> Range<usize> {
    let (mut printed, mut reading) = (0, 0);
    let mut out = (None, None);
    'blocks: for (bi, b) in doc.body.iter().enumerate() {
        if bi > 0 {
            printed += 2;
            reading += 2;
        }
        for inl in &b.inlines {
            let (p, q) = (inl.len_as(Reading::Printed), inl.len_as(Reading::Edition));
            let emended = matches!(inl, Inline::Emended { .. });
            for (slot, at) in [(&mut out.0, r.start), (&mut out.1, r.end)] {
                if slot.is_none() && at >= printed && at <= printed + p {
                    *slot = Some(match (emended, at == printed + p) {
                        (false, _) => reading + (at - printed),
                        (true, true) => reading + q,
                        (true, false) if at == printed => reading,
                        (true, false) => reading + q,
                    });
                }
            }
            printed += p;
            reading += q;
            if out.1.is_some() {
                break 'blocks;
            }
        }
    }
    let start = out.0.unwrap_or(r.start);
    start..out.1.unwrap_or(r.end).max(start)
}

/// A text correction's field for the words `exact` as printed in `doc`,
/// told apart from their other occurrences by `before`/`after` (a few
/// words just before or after them, may be empty), with the context
/// [`fond_text::quote::context`] records. Words across two blocks are
/// not found.
pub fn anchor_text(doc: &Document, exact: &str, before: &str, after: &str) -> Result<Field, Miss> {
    let text = doc.body_text_as(Reading::Printed);
    let (bi, r) = in_blocks(doc, quote::find(&text, exact, before, after))?;
    let start: usize = doc.body[..bi]
        .iter()
        .map(|b| {
            b.inlines
                .iter()
                .map(|x| x.len_as(Reading::Printed))
                .sum::<usize>()
                + 2
        })
        .sum();
    let span = start + r.start..start + r.end;
    let (prefix, suffix) = quote::context(&text, span.clone(), quote::CONTEXT_CHARS);
    Ok(Field::Text {
        exact: quote::fold_space(&text[span]),
        prefix,
        suffix,
    })
}

/// A mention decision's field for the name `exact` as written in `place`
/// (`body`, `note:N`, `sender`, `addressee`), told apart as
/// [`anchor_text`] does; a party needs no context.
pub fn anchor_mention(
    doc: &Document,
    place: &str,
    exact: &str,
    before: &str,
    after: &str,
) -> Result<Field, Miss> {
    let party = Field::Mention {
        place: place.to_string(),
        exact: exact.trim().to_string(),
        prefix: String::new(),
        suffix: String::new(),
    };
    if matches!(
        MentionField::parse(place),
        Some(MentionField::Sender | MentionField::Addressee)
    ) {
        return locate_mention(doc, &party).map(|_| party);
    }
    let text = mention_place(doc, place)?;
    let r = match quote::find(&text, exact, before, after) {
        Found::At(r) => r,
        Found::Missing => return Err(Miss::NotFound),
        Found::Ambiguous(n) => return Err(Miss::Ambiguous(n)),
    };
    let (prefix, suffix) = quote::context(&text, r.clone(), quote::CONTEXT_CHARS);
    Ok(Field::Mention {
        place: place.to_string(),
        exact: quote::fold_space(&text[r]),
        prefix,
        suffix,
    })
}

/// The value the document gives the field now, or why there is none.
/// A text span's value is its quote as printed where it is found once; a
/// mention's (judged here for its anchor only) is none, the linking stage
/// gives the linker's; a witness's link is none (the document stands on
/// its own).
pub fn recovered(doc: &Document, field: &Field) -> Result<Value, Miss> {
    let text = |t: &Option<String>| t.clone().map(Value::Text).unwrap_or(Value::None);
    Ok(match field {
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
        Field::NoteText { note } => Value::Text(
            doc.notes
                .iter()
                .find(|n| n.n == *note)
                .ok_or(Miss::NoNote)?
                .text
                .clone(),
        ),
        Field::NoteAuthor { note } => Value::Author(
            doc.notes
                .iter()
                .find(|n| n.n == *note)
                .ok_or(Miss::NoNote)?
                .by
                .clone(),
        ),
        Field::Text {
            exact,
            prefix,
            suffix,
        } => {
            locate(doc, exact, prefix, suffix)?;
            Value::Text(exact.clone())
        }
        Field::Mention { .. } => {
            locate_mention(doc, field)?;
            Value::None
        }
        Field::NoteCall { note, .. } => {
            if !doc.notes.iter().any(|n| n.n == *note) {
                return Err(Miss::NoNote);
            }
            call_context(doc, *note).map_or(Value::None, Value::Text)
        }
        Field::WitnessOf => Value::None,
        // Joined while the document holds that witness beside another.
        // A source that gave the document two witnesses (an alternate
        // translation) does not say which: ambiguous.
        Field::Split { source } => {
            let of_source = doc.witnesses.iter().filter(|w| &w.source == source).count();
            if doc.witnesses.len() < 2 || of_source == 0 {
                return Err(Miss::NotFound);
            }
            if of_source > 1 {
                return Err(Miss::Ambiguous(of_source));
            }
            Value::None
        }
    })
}

/// The document a witness split off becomes: the document's metadata,
/// the witness's words (its markup taken away) as paragraphs, the
/// witness; its id is the document's with the source's slug.
fn split_off(doc: &mut Document, source: &str) -> Option<Document> {
    let k = doc.witnesses.iter().position(|w| w.source == source)?;
    let w = doc.witnesses.remove(k);
    let mut d = Document::new(
        format!("{}/{}", doc.id, fond_text::slug_ascii(source)),
        doc.collection.clone(),
        doc.kind,
    );
    d.title = format!("{} ({})", doc.title, w.label);
    d.date = doc.date.clone();
    d.place = doc.place.clone();
    d.senders = doc.senders.clone();
    d.addressees = doc.addressees.clone();
    d.order = doc.order;
    d.body = w
        .reading_text()
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| Block {
            kind: fond_model::BlockKind::Paragraph,
            inlines: vec![Inline::Text {
                text: p.to_string(),
            }],
            line: w.first_line,
        })
        .collect();
    d.witnesses.push(w);
    d.corrected.push(format!("split:{source}"));
    Some(d)
}

/// The text a note's (first) call follows, as printed: the last
/// [`quote::CONTEXT_CHARS`] characters before it, whitespace folded; `None`
/// when no call of the note stands in the body.
pub fn call_context(doc: &Document, note: u32) -> Option<String> {
    let mut before = String::new();
    for (bi, b) in doc.body.iter().enumerate() {
        if bi > 0 {
            before.push_str("\n\n");
        }
        for inl in &b.inlines {
            if matches!(inl, Inline::NoteCall { n } if *n == note) {
                let (prefix, _) =
                    quote::context(&before, before.len()..before.len(), quote::CONTEXT_CHARS);
                return Some(prefix);
            }
            before.push_str(&printed_of(inl));
        }
    }
    None
}

/// One run's text as printed (a run of [`Block::text_as`]).
fn printed_of(inl: &Inline) -> String {
    match inl {
        Inline::Text { text } | Inline::Emph { text, .. } => text.clone(),
        Inline::Supplied { text } => format!("[{text}]"),
        Inline::NoteCall { .. } => String::new(),
        Inline::LineBreak => "\n".into(),
        Inline::Emended { sic, .. } => sic.clone(),
    }
}

/// Moves a note's call to the end of `range` of block `bi`'s printed
/// text (every call of the note leaves its place: the corrected call is
/// its one call). `false` when the place is inside an insertion or an
/// emendation.
fn move_call(doc: &mut Document, note: u32, bi: usize, at: usize) -> bool {
    let Some(block) = doc.body.get(bi) else {
        return false;
    };
    let mut pos = 0;
    let mut split: Option<(usize, usize)> = None;
    for (k, inl) in block.inlines.iter().enumerate() {
        let len = inl.len_as(Reading::Printed);
        if at == pos + len || (at > pos && at < pos + len) {
            match inl {
                _ if at == pos + len => split = Some((k + 1, 0)),
                Inline::Text { text } | Inline::Emph { text, .. }
                    if text.is_char_boundary(at - pos) =>
                {
                    split = Some((k, at - pos))
                }
                _ => return false,
            }
            break;
        }
        pos += len;
    }
    let Some((k, cut)) = split else {
        return false;
    };
    let call = Inline::NoteCall { n: note };
    let block = &mut doc.body[bi];
    let mut inlines: Vec<Inline> = Vec::with_capacity(block.inlines.len() + 2);
    for (j, inl) in block.inlines.iter().enumerate() {
        if j == k && cut > 0 {
            let (head, tail) = match inl {
                Inline::Text { text } | Inline::Emph { text, .. } => text.split_at(cut),
                _ => return false,
            };
            let like = |t: &str| match inl {
                Inline::Emph { level, .. } => Inline::Emph {
                    level: *level,
                    text: t.to_string(),
                },
                _ => Inline::Text {
                    text: t.to_string(),
                },
            };
            inlines.push(like(head));
            inlines.push(call.clone());
            inlines.push(like(tail));
            continue;
        }
        if j == k {
            inlines.push(call.clone());
        }
        if inl != &call {
            inlines.push(inl.clone());
        }
    }
    if k == block.inlines.len() {
        inlines.push(call.clone());
    }
    // The call leaves every other place in the body.
    for (j, b) in doc.body.iter_mut().enumerate() {
        if j != bi {
            b.inlines.retain(|i| i != &call);
        }
    }
    doc.body[bi].inlines = inlines;
    for n in doc.notes.iter_mut().filter(|n| n.n == note) {
        n.call_block = u32::try_from(bi).ok();
        if n.call == fond_model::CallForm::Lost {
            n.call = fond_model::CallForm::Superscript;
        }
    }
    true
}

/// Replaces the runs of `block` that cover `range` of its printed text
/// with one emended run (printed: what they printed; read: `reading`).
/// Runs cut at the range's edges keep their outer parts; note calls
/// inside it follow the emended run. A range that cuts through an
/// insertion or an earlier emendation cannot be emended: `false`, and
/// nothing changes.
pub fn emend(block: &mut Block, range: Range<usize>, reading: &str, resp: &str) -> bool {
    let (start, end) = (range.start, range.end);
    let mut before: Vec<Inline> = Vec::new();
    let mut after: Vec<Inline> = Vec::new();
    let mut calls: Vec<Inline> = Vec::new();
    let mut sic = String::new();
    let mut at = 0;
    for inl in &block.inlines {
        let (a, b) = (at, at + inl.len_as(Reading::Printed));
        at = b;
        if a == b {
            match a {
                x if x <= start => before.push(inl.clone()),
                x if x >= end => after.push(inl.clone()),
                _ => calls.push(inl.clone()),
            }
            continue;
        }
        if b <= start {
            before.push(inl.clone());
            continue;
        }
        if a >= end {
            after.push(inl.clone());
            continue;
        }
        match inl {
            Inline::Text { text } | Inline::Emph { text, .. } => {
                let (s0, e0) = (start.saturating_sub(a), end.min(b) - a);
                let (Some(head), Some(mid), Some(tail)) =
                    (text.get(..s0), text.get(s0..e0), text.get(e0..))
                else {
                    return false;
                };
                let like = |t: &str| match inl {
                    Inline::Emph { level, .. } => Inline::Emph {
                        level: *level,
                        text: t.to_string(),
                    },
                    _ => Inline::Text {
                        text: t.to_string(),
                    },
                };
                if !head.is_empty() {
                    before.push(like(head));
                }
                sic.push_str(mid);
                if !tail.is_empty() {
                    after.push(like(tail));
                }
            }
            Inline::LineBreak => sic.push('\n'),
            Inline::Supplied { text } if a >= start && b <= end => {
                sic.push('[');
                sic.push_str(text);
                sic.push(']');
            }
            Inline::Emended { sic: printed, .. } if a >= start && b <= end => sic.push_str(printed),
            _ => return false,
        }
    }
    before.push(Inline::Emended {
        sic,
        text: reading.to_string(),
        resp: resp.to_string(),
    });
    before.extend(calls);
    before.extend(after);
    block.inlines = before;
    true
}

/// Gives the field the value. The value was checked against its field
/// when the correction was made or imported; one that does not fit
/// (an archive edited by hand) changes nothing. `false` when the value
/// cannot be given: a span that cuts through an insertion or another
/// emendation. Mention decisions and witness joins are not fields of the
/// document (the linking stage and [`apply`] give them).
fn set(doc: &mut Document, field: &Field, v: &Value, id: &str) -> bool {
    match (field, v) {
        (Field::Date, Value::Text(t)) => {
            if let Ok(h) = HistDate::parse_edtf(t) {
                // The editors' date as a reader reads it, not as EDTF.
                doc.date.editorial =
                    Some(fond_text::date_words::edtf_in_words(t).unwrap_or_else(|| h.text.clone()));
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
        (
            Field::Text {
                exact,
                prefix,
                suffix,
            },
            Value::Text(t),
        ) => {
            let Ok((bi, range)) = locate(doc, exact, prefix, suffix) else {
                return false;
            };
            return emend(&mut doc.body[bi], range, t, id);
        }
        (
            Field::NoteCall {
                note,
                exact,
                prefix,
                suffix,
            },
            Value::Text(_),
        ) => {
            let Ok((bi, range)) = locate(doc, exact, prefix, suffix) else {
                return false;
            };
            return move_call(doc, *note, bi, range.end);
        }
        _ => {}
    }
    true
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
    let mut run = Run {
        index: edition
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect(),
        fresh: HashMap::new(),
        standing: HashMap::new(),
        outcomes: Vec::with_capacity(corrections.len()),
        findings: Vec::with_capacity(corrections.len()),
        joined: HashSet::new(),
    };
    for c in corrections {
        run.one(edition, c);
    }
    let Run {
        outcomes,
        findings,
        joined,
        ..
    } = run;
    edition.findings.extend(findings.into_iter().flatten());
    if !joined.is_empty() {
        edition.documents.retain(|d| !joined.contains(&d.id));
    }
    outcomes
}

/// The state of one pass of [`apply`].
struct Run<'c> {
    index: HashMap<String, usize>,
    /// The engine's value of each field touched, read before any
    /// correction changed it: every correction is judged against the
    /// recovery, never against another correction.
    fresh: HashMap<(usize, Field), Result<Value, Miss>>,
    /// The earlier corrections of each target still standing (outcome
    /// indexes): a later one that applies supersedes them, in conflict or
    /// not — correcting the field again is how an editor settles a
    /// conflict.
    standing: HashMap<&'c Target, Vec<usize>>,
    outcomes: Vec<Outcome>,
    findings: Vec<Option<Finding>>,
    /// Documents joined to another as its witnesses: they leave the
    /// edition at the end of the pass.
    joined: HashSet<String>,
}

impl<'c> Run<'c> {
    fn push(&mut self, c: &Correction, state: State, now: Option<Value>, f: Option<Finding>) {
        self.outcomes.push(Outcome {
            id: c.id.clone(),
            state,
            now,
        });
        self.findings.push(f);
    }

    /// Records a correction that waits for an editor.
    fn wait(
        &mut self,
        c: &'c Correction,
        doc: Option<&Document>,
        state: State,
        now: Option<Value>,
    ) {
        let mine = self.outcomes.len();
        let f = conflict_finding(doc, c, state, now.as_ref());
        self.push(c, state, now, Some(f));
        self.standing.entry(&c.target).or_default().push(mine);
    }

    fn one(&mut self, edition: &mut Edition, c: &'c Correction) {
        if c.status == Status::Reverted {
            return self.push(c, State::Reverted, None, None);
        }
        if !c.sets() {
            return self.push(c, State::Revert, None, None);
        }
        let field = &c.target.field;
        let Some(&di) = self.index.get(&c.target.document) else {
            return self.wait(c, None, State::MissingDocument, None);
        };
        let now = self
            .fresh
            .entry((di, field.clone()))
            .or_insert_with(|| recovered(&edition.documents[di], field))
            .clone();
        let doc = &edition.documents[di];
        let now = match now {
            Ok(now) => now,
            // An emendation the engine now reads itself: the reading is
            // found where the quote was.
            Err(Miss::NotFound) if agrees_in_text(doc, c) => c.value.clone(),
            Err(miss) => return self.wait(c, Some(doc), miss.state(), None),
        };
        // A mention decision's anchor holds: the linking stage judges it
        // against what the linker makes of the name.
        let now = if matches!(field, Field::Mention { .. }) {
            c.recovered.clone()
        } else {
            now
        };
        let Some(state) = judge(&now, c) else {
            return self.wait(c, Some(doc), State::Conflict, Some(now));
        };
        if state == State::Applied && !self.give(edition, di, c) {
            let doc = &edition.documents[di];
            return self.wait(c, Some(doc), State::Conflict, Some(now));
        }
        let mine = self.outcomes.len();
        let earlier = self.standing.entry(&c.target).or_default();
        for before in earlier.drain(..) {
            self.outcomes[before].state = State::Superseded;
            self.findings[before] = None;
        }
        earlier.push(mine);
        self.push(c, state, Some(now), None);
    }

    /// Gives the document the correction's value; `false` when it cannot
    /// be given (see [`set`]; a witness join whose other document is
    /// gone).
    fn give(&mut self, edition: &mut Edition, di: usize, c: &Correction) -> bool {
        let field = &c.target.field;
        match (field, &c.value) {
            // Judged here for its anchor; the linking stage applies it.
            (Field::Mention { .. }, _) => true,
            (Field::Split { source }, _) => {
                let Some(new) = split_off(&mut edition.documents[di], source) else {
                    return false;
                };
                if self.index.contains_key(&new.id) {
                    edition.documents[di].witnesses.extend(new.witnesses);
                    return false;
                }
                let name = field.name();
                let doc = &mut edition.documents[di];
                if !doc.corrected.contains(&name) {
                    doc.corrected.push(name);
                }
                self.index.insert(new.id.clone(), edition.documents.len());
                edition.documents.push(new);
                true
            }
            (Field::WitnessOf, Value::Text(other)) => {
                let Some(&oi) = self.index.get(other) else {
                    return false;
                };
                if oi == di || self.joined.contains(other) {
                    return false;
                }
                let moved = std::mem::take(&mut edition.documents[di].witnesses);
                edition.documents[oi].witnesses.extend(moved);
                let name = format!("witness:{}", c.target.document);
                if !edition.documents[oi].corrected.contains(&name) {
                    edition.documents[oi].corrected.push(name);
                }
                self.joined.insert(c.target.document.clone());
                true
            }
            _ => {
                let doc = &mut edition.documents[di];
                if !set(doc, field, &c.value, &c.id) {
                    return false;
                }
                let name = field.name();
                if !doc.corrected.contains(&name) {
                    doc.corrected.push(name);
                }
                true
            }
        }
    }
}

/// Whether an emendation's reading stands where its quote was (the source
/// or a reader now gives the corrected words).
fn agrees_in_text(doc: &Document, c: &Correction) -> bool {
    match (&c.target.field, &c.value) {
        (Field::Text { prefix, suffix, .. }, Value::Text(reading))
            if !reading.trim().is_empty() =>
        {
            locate(doc, reading, prefix, suffix).is_ok()
        }
        _ => false,
    }
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

/// Gives the document an applied correction's value and lists the field
/// among the corrected ones, as the pass's `give` does for the fields
/// that stay within their document; `false` when the value cannot be
/// given (a conflict). A correction the engine agrees with changes
/// nothing.
fn put(doc: &mut Document, c: &Correction, state: State) -> bool {
    if state != State::Applied {
        return true;
    }
    if !set(doc, &c.target.field, &c.value, &c.id) {
        return false;
    }
    let name = c.target.field.name();
    if !doc.corrected.contains(&name) {
        doc.corrected.push(name);
    }
    true
}

/// Takes an applied correction back from a document it was applied to,
/// when it stood alone on its field and the field is one whose recovered
/// value it recorded whole (a place, the parties, the kind, the number, a
/// note's text or author): the field gets `c.recovered` back and leaves
/// the corrected ones, which is what a pass without the correction gives.
/// `false`, the document untouched, for the other fields: a date's or a
/// dateline's printed text, a span of the text, a name or a witness
/// cannot be rebuilt from what the correction recorded.
pub fn undo_alone(doc: &mut Document, c: &Correction) -> bool {
    let plain = matches!(
        c.target.field,
        Field::Place
            | Field::Senders
            | Field::Addressees
            | Field::Kind
            | Field::Number
            | Field::NoteText { .. }
            | Field::NoteAuthor { .. }
    );
    if !plain || current(doc, &c.target.field).as_ref() != Some(&c.value) {
        return false;
    }
    if !set(doc, &c.target.field, &c.recovered, "") {
        return false;
    }
    let name = c.target.field.name();
    doc.corrected.retain(|f| *f != name);
    true
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
pub fn recovered_before(doc: &Document, field: &Field, earlier: &[Outcome]) -> Option<Value> {
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
            Some(conflict_finding(None, c, State::MissingDocument, None)),
        );
    };
    let Some(now) = recovered_before(doc, &c.target.field, earlier) else {
        let f = conflict_finding(Some(&*doc), c, State::MissingNote, None);
        return done(State::MissingNote, None, Some(f));
    };
    let Some(state) = judge(&now, c) else {
        let f = conflict_finding(Some(&*doc), c, State::Conflict, Some(&now));
        return done(State::Conflict, Some(now), Some(f));
    };
    if !put(doc, c, state) {
        let f = conflict_finding(Some(&*doc), c, State::Conflict, Some(&now));
        return done(State::Conflict, Some(now), Some(f));
    }
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
fn conflict_finding(
    doc: Option<&Document>,
    c: &Correction,
    state: State,
    now: Option<&Value>,
) -> Finding {
    let field = c.target.field.name();
    let made = format!("made by {} at {}", c.by, c.at);
    let what = match &c.target.field {
        Field::Text { exact, .. } | Field::Mention { exact, .. } => {
            format!("\"{exact}\" → {}", c.value.shown())
        }
        _ => c.value.shown(),
    };
    let message = match (doc, state, now) {
        (None, _, _) => format!(
            "correction {} of {} in {}: the document is no longer in the edition; not applied (correction {what}, {made}); revert it or correct the document it now is",
            c.id, field, c.target.document,
        ),
        (Some(_), State::MissingNote, _) => format!(
            "correction {} of {field}: the note is no longer in the document; not applied (correction {what}, {made}); revert it or correct the note it now is",
            c.id,
        ),
        (Some(_), State::NotFound, _) => format!(
            "correction {} of {field}: the words it is anchored on are no longer found with their context; not applied ({what}, {made}); correct the place again or revert it",
            c.id,
        ),
        (Some(_), State::Ambiguous, _) => format!(
            "correction {} of {field}: the words it is anchored on now fit several places; not applied ({what}, {made}); correct it again with a longer context (--before, --after) or revert it",
            c.id,
        ),
        (Some(_), _, Some(now)) if now == &c.recovered => format!(
            "correction {} of {field}: cannot be given where it stands (it cuts through an insertion or another emendation, or the document it joins is gone); not applied ({what}, {made}); correct it again or revert it",
            c.id,
        ),
        (Some(_), _, now) => format!(
            "correction {} of {field}: recorded as recovered {}, now recovered {}, corrected to {}; not applied ({made}); correct the field again or revert it",
            c.id,
            c.recovered.shown(),
            now.map(Value::shown).unwrap_or_else(|| "(nothing)".into()),
            c.value.shown(),
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
        assert_eq!(d.date.editorial.as_deref(), Some("15 July 1925"));
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

    fn para(inlines: Vec<Inline>) -> Block {
        Block {
            kind: fond_model::BlockKind::Paragraph,
            inlines,
            line: 5,
        }
    }

    fn t(s: &str) -> Inline {
        Inline::Text { text: s.into() }
    }

    /// A letter of two paragraphs, the second with a line break, an
    /// underlined word and a note call.
    fn letter() -> Edition {
        let mut e = edition();
        e.documents[0].body = vec![
            para(vec![t("The plenum in Moskow went well.")]),
            para(vec![
                t("In Moskow"),
                Inline::LineBreak,
                t("again the "),
                Inline::Emph {
                    level: 1,
                    text: "Plenum".into(),
                },
                Inline::NoteCall { n: 1 },
                t(" sat."),
            ]),
        ];
        e
    }

    fn span(exact: &str, prefix: &str, suffix: &str) -> Field {
        Field::Text {
            exact: exact.into(),
            prefix: prefix.into(),
            suffix: suffix.into(),
        }
    }

    #[test]
    fn an_emendation_is_found_by_its_context_and_keeps_the_print() {
        let mut e = letter();
        let f = span("Moskow", "The plenum in ", " went well.");
        let out = apply(
            &mut e,
            &[corr("a", "c/1", f, text("Moskow"), text("Moscow"))],
        );
        assert_eq!(out[0].state, State::Applied, "{out:?}");
        let d = &e.documents[0];
        assert_eq!(
            d.body[0].inlines,
            [
                t("The plenum in "),
                Inline::Emended {
                    sic: "Moskow".into(),
                    text: "Moscow".into(),
                    resp: "a".into()
                },
                t(" went well.")
            ]
        );
        assert!(d.body_text().starts_with("The plenum in Moscow went well."));
        assert!(d
            .body_text_as(Reading::Printed)
            .starts_with("The plenum in Moskow"));
        assert_eq!(d.printed_readings(), "Moskow\n");
        // The second Moskow is untouched: the context told them apart.
        assert!(d.body_text().contains("In Moskow"));
        assert_eq!(d.corrected, ["text"]);
    }

    #[test]
    fn an_emendation_survives_reflowed_lines_and_renumbered_blocks() {
        // Recorded over the letter as it is read now...
        let e = letter();
        let printed = e.documents[0].body_text_as(Reading::Printed);
        let at = printed.find("Moskow\nagain").unwrap_or(0);
        let (prefix, suffix) = fond_text::quote::context(&printed, at..at + 23, 32);
        let f = span("Moskow again the Plenum", &prefix, &suffix);
        // ...and applied to a reader that joins the paragraphs and puts
        // the lines together: one block, no line break.
        let mut e = letter();
        let d = &mut e.documents[0];
        d.body = vec![para(vec![
            t("The plenum in Moskow went well. In Moskow again the "),
            Inline::Emph {
                level: 1,
                text: "Plenum".into(),
            },
            Inline::NoteCall { n: 1 },
            t(" sat."),
        ])];
        let c = corr(
            "a",
            "c/1",
            f,
            text("Moskow again the Plenum"),
            text("Moscow again the plenum"),
        );
        let out = apply(&mut e, &[c]);
        assert_eq!(out[0].state, State::Applied, "{out:?}");
        let d = &e.documents[0];
        assert_eq!(
            d.body_text(),
            "The plenum in Moskow went well. In Moscow again the plenum sat."
        );
        // The note call inside the span follows it; nothing is lost.
        assert!(d.body[0]
            .inlines
            .iter()
            .any(|i| matches!(i, Inline::NoteCall { n: 1 })));
        assert_eq!(
            d.body_text_as(Reading::Printed),
            "The plenum in Moskow went well. In Moskow again the Plenum sat."
        );
    }

    #[test]
    fn an_ambiguous_or_missing_quote_is_a_conflict() {
        let mut e = letter();
        let before = e.documents[0].body.clone();
        let cs = [
            corr(
                "a",
                "c/1",
                span("Moskow", "", ""),
                text("Moskow"),
                text("Moscow"),
            ),
            corr(
                "b",
                "c/1",
                span("Moskva", "The plenum in ", ""),
                text("Moskva"),
                text("Moscow"),
            ),
        ];
        let out = apply(&mut e, &cs);
        assert_eq!(out[0].state, State::Ambiguous);
        assert_eq!(out[1].state, State::NotFound);
        assert!(out.iter().all(|o| o.state.is_conflict()));
        assert_eq!(e.documents[0].body, before);
        assert_eq!(e.findings.len(), 2);
        assert!(e.findings[0].message.contains("several places"));
        assert!(e.findings[1].message.contains("no longer found"));
    }

    #[test]
    fn an_emendation_the_source_now_makes_agrees_and_a_second_one_replaces_the_first() {
        let mut e = letter();
        let f = span("Moskow", "The plenum in ", " went well.");
        let first = corr("a", "c/1", f.clone(), text("Moskow"), text("Moscow"));
        let second = corr("b", "c/1", f.clone(), text("Moskow"), text("Moskva"));
        let out = apply(&mut e, &[first.clone(), second]);
        assert_eq!(out[0].state, State::Superseded);
        assert_eq!(out[1].state, State::Applied);
        assert!(e.documents[0]
            .body_text()
            .starts_with("The plenum in Moskva"));
        assert_eq!(
            e.documents[0].body_text_as(Reading::Printed),
            letter().documents[0].body_text_as(Reading::Printed)
        );
        // The source corrected: the reading stands where the quote was.
        let mut e = letter();
        e.documents[0].body[0] = para(vec![t("The plenum in Moscow went well.")]);
        let out = apply(&mut e, &[first]);
        assert_eq!(out[0].state, State::Agrees);
        assert!(e.findings.is_empty());
    }

    #[test]
    fn a_span_through_an_insertion_is_not_emended() {
        let mut b = para(vec![
            t("went "),
            Inline::Supplied { text: "to".into() },
            t(" Moskow"),
        ]);
        // "went [to" cuts the insertion: refused, unchanged.
        let before = b.clone();
        assert!(!emend(&mut b, 0..8, "x", "a"));
        assert_eq!(b, before);
        // The whole insertion inside: taken into the print.
        assert!(emend(&mut b, 0..9, "went to", "a"));
        assert_eq!(
            b.inlines[0],
            Inline::Emended {
                sic: "went [to]".into(),
                text: "went to".into(),
                resp: "a".into()
            }
        );
    }

    #[test]
    fn a_mention_decision_is_judged_here_for_its_anchor_only() {
        let mut e = letter();
        let field = |exact: &str| Field::Mention {
            place: "body".into(),
            exact: exact.into(),
            prefix: "The plenum in ".into(),
            suffix: String::new(),
        };
        let cs = [
            corr(
                "a",
                "c/1",
                field("Moskow"),
                Value::Names(vec!["body:x".into()]),
                text("body:moscow"),
            ),
            corr("b", "c/1", field("Leningrad"), Value::None, Value::None),
        ];
        let out = apply(&mut e, &cs);
        assert_eq!(out[0].state, State::Applied);
        assert_eq!(out[1].state, State::NotFound);
        assert!(e.documents[0].corrected.is_empty());
        let party = Field::Mention {
            place: "sender".into(),
            exact: "Ivanov".into(),
            prefix: String::new(),
            suffix: String::new(),
        };
        assert_eq!(locate_mention(&e.documents[0], &party), Ok(0..0));
    }

    #[test]
    fn a_document_joined_as_a_witness_leaves_the_edition() {
        let mut e = letter();
        let mut copy = Document::new("web/1", "web", DocKind::Letter);
        copy.witnesses.push(fond_model::Witness {
            source: "web.txt".into(),
            first_line: 1,
            last_line: 9,
            label: "web transcription".into(),
            text: "The plenum".into(),
            markup: fond_model::Markup::Plain,
        });
        e.documents.push(copy);
        let cs = [
            corr("a", "web/1", Field::WitnessOf, Value::None, text("c/1")),
            corr("b", "c/9", Field::WitnessOf, Value::None, text("c/1")),
        ];
        let out = apply(&mut e, &cs);
        assert_eq!(out[0].state, State::Applied);
        assert_eq!(out[1].state, State::MissingDocument);
        assert_eq!(e.documents.len(), 1);
        assert_eq!(e.documents[0].witnesses.len(), 1);
        assert_eq!(e.documents[0].witnesses[0].source, "web.txt");
        // Joined to a document that is gone: a conflict, nothing moves.
        let mut e = letter();
        let mut copy = Document::new("web/1", "web", DocKind::Letter);
        copy.title = "copy".into();
        e.documents.push(copy);
        let out = apply(
            &mut e,
            &[corr(
                "a",
                "web/1",
                Field::WitnessOf,
                Value::None,
                text("c/7"),
            )],
        );
        assert_eq!(out[0].state, State::Conflict);
        assert_eq!(e.documents.len(), 2);
    }

    #[test]
    fn a_name_is_anchored_on_the_print_and_found_in_the_reading() {
        let mut e = letter();
        // Emend the word before the second "Moskow"; a decision on that
        // Moskow recorded before the emendation still finds it, at its
        // place in the reading text.
        let f = span("again", "", " the ");
        let c = corr("a", "c/1", f, text("again"), text("once more"));
        apply(&mut e, &[c]);
        let d = &e.documents[0];
        let name = Field::Mention {
            place: "body".into(),
            exact: "Moskow".into(),
            prefix: "In ".into(),
            suffix: " again the".into(),
        };
        let r = locate_mention(d, &name).unwrap_or(0..0);
        assert_eq!(&d.body_text()[r], "Moskow");
        let after = Field::Mention {
            place: "body".into(),
            exact: "Plenum".into(),
            prefix: "again the ".into(),
            suffix: String::new(),
        };
        let r = locate_mention(d, &after).unwrap_or(0..0);
        assert_eq!(&d.body_text()[r], "Plenum");
    }

    #[test]
    fn a_note_call_moves_after_the_words_and_waits_when_they_are_gone() {
        let mut e = letter();
        let d = &e.documents[0];
        assert_eq!(
            call_context(d, 1).as_deref(),
            Some("well. In Moskow again the Plenum")
        );
        let f = Field::NoteCall {
            note: 1,
            exact: "went well".into(),
            prefix: "The plenum in Moskow ".into(),
            suffix: ". In".into(),
        };
        let was = text("well. In Moskow again the Plenum");
        let c = corr("a", "c/1", f.clone(), was.clone(), text("went well"));
        let out = apply(&mut e, std::slice::from_ref(&c));
        assert_eq!(out[0].state, State::Applied, "{out:?}");
        let d = &e.documents[0];
        assert_eq!(
            d.body[0].inlines,
            [
                t("The plenum in Moskow went well"),
                Inline::NoteCall { n: 1 },
                t(".")
            ]
        );
        assert!(!d.body[1]
            .inlines
            .iter()
            .any(|i| matches!(i, Inline::NoteCall { .. })));
        assert_eq!(d.notes[0].call_block, Some(0));
        assert_eq!(d.body_text(), letter().documents[0].body_text());
        // The source now prints the call elsewhere: a conflict.
        let mut e = letter();
        e.documents[0].body[1].inlines.pop();
        e.documents[0].body[1].inlines.pop();
        e.documents[0].body[1].inlines.push(t(" sat."));
        e.documents[0].body[1]
            .inlines
            .push(Inline::NoteCall { n: 1 });
        let out = apply(&mut e, &[c]);
        assert_eq!(out[0].state, State::Conflict);
    }

    #[test]
    fn a_witness_split_off_becomes_a_document_and_waits_when_gone() {
        let mut e = letter();
        let w = |source: &str| fond_model::Witness {
            source: source.into(),
            first_line: 1,
            last_line: 3,
            label: "web transcription".into(),
            text: "First words.\n\nSecond words.".into(),
            markup: fond_model::Markup::Plain,
        };
        e.documents[0].witnesses = vec![w("book.md"), w("web.txt")];
        let f = Field::Split {
            source: "web.txt".into(),
        };
        assert_eq!(Field::parse(&f.name()), Ok(f.clone()));
        let c = corr("a", "c/1", f, Value::None, text("web.txt"));
        let out = apply(&mut e, std::slice::from_ref(&c));
        assert_eq!(out[0].state, State::Applied, "{out:?}");
        assert_eq!(e.documents.len(), 2);
        assert_eq!(e.documents[0].witnesses.len(), 1);
        let new = &e.documents[1];
        assert_eq!(new.id, "c/1/web-txt");
        assert_eq!(new.witnesses[0].source, "web.txt");
        assert_eq!(new.body_text(), "First words.\n\nSecond words.");
        // The witness is no longer joined there: a conflict, nothing moves.
        let mut e = letter();
        let out = apply(&mut e, &[c]);
        assert_eq!(out[0].state, State::NotFound);
        assert_eq!(e.documents.len(), 1);
    }
}
