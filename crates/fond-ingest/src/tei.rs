//! TEI P5 letters: a file whose root is `TEI` in the TEI namespace, read
//! from its `correspDesc` (parties, places, dates with their certainty),
//! its header (title, archival location, witnesses, licence) and its body
//! (paragraphs, opener and closer, postscripts, emphasis, insertions,
//! notes at their calls).
//!
//! The parser is `roxmltree`, which never resolves external entities. On
//! top of it the reader refuses, before building anything, what could make
//! a file cost more than its size: any DTD (external entities could read
//! local files, internal ones can expand without bound), files over
//! [`MAX_BYTES`], more than [`MAX_NODES`] nodes, elements nested deeper
//! than [`MAX_DEPTH`] (the walk below recurses, so the depth bound is also
//! its stack bound) and attribute values over [`MAX_ATTRIBUTE`]. Each
//! refusal is an [`IngestError::Xml`] naming the file, the line and the
//! problem.
//!
//! Everything fond's own TEI export writes reads back: the `fond` idno
//! gives the document's id and collection, `div/@type` its kind,
//! `respStmt`s name who wrote the notes, `bibl type="archival"` inside a
//! note its archival references, `listWit` the witnesses, and
//! `date type="dateline"` the author's own date beside the editors'.

mod body;
mod cmif;
mod dates;
mod dialect;
mod header;
mod parties;
mod personography;
mod xml;

// The parts see each other through these (each starts `use super::*`).
use body::*;
use dates::*;
use header::*;
use parties::*;
use xml::*;

pub use parties::{for_export, Correspondence, ForExport, Party};

pub use personography::{
    personography, Affiliation, ListedDate, ListedOrg, ListedPeriodical, ListedPerson, ListedYear,
    Personography,
};

use crate::{IngestError, Parsed, ReadContext};
use fond_model::authority::{MentionField, NameElement, NameRef};
use fond_model::{
    ArchivalRef, Block, BlockKind, CallForm, CrossRef, Day, DocDate, DocKind, Document, Finding,
    FindingKind, HistDate, Inline, Marginal, Note, NoteAuthor, NoteRole, Precision, Qualifier,
    Sheets, Source, SourceShape, Witness,
};
use roxmltree::{Node, NodeType, ParsingOptions};
use std::collections::BTreeMap;

/// The TEI namespace.
pub const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";
/// Largest TEI file read (the largest letter of the Humboldt edition is
/// about 110 KB; a whole book's glossary exported by fond under 1 MB).
pub const MAX_BYTES: usize = 16 * 1024 * 1024;
/// Most XML nodes (elements, text runs, comments) in one file.
pub const MAX_NODES: u32 = 500_000;
/// Deepest element nesting (TEI letters nest a dozen levels or so).
pub const MAX_DEPTH: usize = 256;
/// Longest attribute value.
pub const MAX_ATTRIBUTE: usize = 64 * 1024;

fn xml_error(file: &str, line: u32, problem: impl Into<String>) -> IngestError {
    IngestError::Xml {
        file: file.to_string(),
        line,
        problem: problem.into(),
    }
}

/// Whether the text is a TEI document: its first element is `TEI` (any
/// prefix) and the TEI namespace is declared on it.
pub(crate) fn detect(text: &str) -> bool {
    let t = text.trim_start();
    if !t.starts_with('<') {
        return false;
    }
    let Some(pos) = root_tag_start(t) else {
        return false;
    };
    let tag_end = t[pos..].find('>').map_or(t.len(), |e| pos + e);
    t[pos..tag_end].contains(TEI_NS)
}

/// Where the root element's start tag begins, if the root is `TEI`: every
/// `<` before it opens a declaration, comment or processing instruction.
fn root_tag_start(t: &str) -> Option<usize> {
    let bytes = t.as_bytes();
    let mut i = 0;
    while let Some(off) = t[i..].find('<') {
        let p = i + off;
        match bytes.get(p + 1) {
            Some(b'?') | Some(b'!') => {
                // Skip past this declaration's end; a DTD's internal subset
                // has nested `<!…>`, which the loop skips in turn.
                i = p + 2;
                continue;
            }
            Some(b']') => {
                i = p + 1;
                continue;
            }
            _ => {}
        }
        let name: String = t[p + 1..]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
            .collect();
        let local = name.rsplit(':').next().unwrap_or("");
        return (local == "TEI").then_some(p);
    }
    None
}

fn line_at(text: &str, pos: usize) -> u32 {
    text.as_bytes()[..pos.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u32
        + 1
}

/// Parses a TEI text under the limits above.
fn parse<'a>(file: &str, text: &'a str) -> Result<roxmltree::Document<'a>, IngestError> {
    if text.len() > MAX_BYTES {
        return Err(xml_error(
            file,
            1,
            format!(
                "the file is {} bytes; TEI files over {} bytes are refused",
                text.len(),
                MAX_BYTES
            ),
        ));
    }
    // roxmltree would refuse a DTD too (`allow_dtd: false`), but without a
    // line; saying which declaration and why helps whoever sent the file.
    for marker in ["<!DOCTYPE", "<!ENTITY"] {
        if let Some(p) = text.find(marker) {
            return Err(xml_error(
                file,
                line_at(text, p),
                format!(
                    "a DTD ({marker}) is refused: external entities could read local files and \
                     entity expansion has no bound; TEI P5 needs no DTD"
                ),
            ));
        }
    }
    let opts = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, opts).map_err(|e| {
        let line = match e {
            roxmltree::Error::NodesLimitReached => 1,
            _ => e.pos().row,
        };
        let problem = match e {
            roxmltree::Error::NodesLimitReached => {
                format!("more than {MAX_NODES} XML nodes (or nesting beyond any bound); refused")
            }
            other => format!("not well-formed XML: {other}"),
        };
        xml_error(file, line, problem)
    })?;
    // Depth and attribute sizes, walked without recursion (an explicit
    // stack of (node, depth)).
    let mut stack = vec![(doc.root(), 0usize)];
    while let Some((n, depth)) = stack.pop() {
        if n.is_element() {
            if depth > MAX_DEPTH {
                return Err(xml_error(
                    file,
                    doc.text_pos_at(n.range().start).row,
                    format!("elements nested deeper than {MAX_DEPTH} levels; refused"),
                ));
            }
            for a in n.attributes() {
                if a.value().len() > MAX_ATTRIBUTE {
                    return Err(xml_error(
                        file,
                        doc.text_pos_at(n.range().start).row,
                        format!(
                            "attribute {} of <{}> is {} bytes long; over {} bytes is refused",
                            a.name(),
                            n.tag_name().name(),
                            a.value().len(),
                            MAX_ATTRIBUTE
                        ),
                    ));
                }
            }
        }
        for c in n.children().filter(|c| c.is_element()) {
            stack.push((c, depth + 1));
        }
    }
    let root = doc.root_element();
    if root.tag_name().name() != "TEI" || root.tag_name().namespace() != Some(TEI_NS) {
        return Err(xml_error(
            file,
            1,
            format!(
                "the root element is <{}> in namespace {}; expected <TEI> in {TEI_NS}",
                root.tag_name().name(),
                root.tag_name().namespace().unwrap_or("(none)")
            ),
        ));
    }
    Ok(doc)
}

// ------------------------------------------------------------------- read

fn kind_of(root: Node<'_, '_>, body: Option<Node<'_, '_>>) -> DocKind {
    if let Some(t) = body
        .and_then(|b| children(b, "div").next())
        .and_then(|d| d.attribute("type"))
    {
        if t == "editorial" {
            return DocKind::EditorialText;
        }
        if let Some(k) = DocKind::parse(t) {
            return k;
        }
    }
    let terms: Vec<String> = root
        .descendants()
        .filter(|n| is(*n, "term"))
        .map(reading_text)
        .collect();
    terms
        .iter()
        .find_map(|t| DocKind::parse(&t.to_lowercase()))
        .unwrap_or(DocKind::Letter)
}

/// Reads one TEI file. A file that breaks a limit or is not well-formed
/// is an error; a letter without `correspDesc` or a date reads with a
/// finding.
pub(crate) fn read(ctx: &ReadContext<'_>) -> Result<Parsed, IngestError> {
    let doc = parse(ctx.name, ctx.text)?;
    // A CMIF file describes many letters and holds none of their texts.
    if cmif::is_cmif(doc.root_element()) {
        return Ok(cmif::read(ctx, &doc));
    }
    read_letter(ctx, &doc)
}

/// Reads one parsed TEI letter, with the names it links by `@ref` as the
/// document's [`Document::name_refs`].
fn read_letter(
    ctx: &ReadContext<'_>,
    doc: &roxmltree::Document<'_>,
) -> Result<Parsed, IngestError> {
    let root = doc.root_element();
    let h = child(root, "teiHeader");
    let head = header(ctx, root, h);
    let mut parsed = Parsed {
        title: head.title.clone(),
        ..Parsed::default()
    };
    let body = path(root, &["text", "body"]);
    // A personography (fond's persons.xml) or other file without a text:
    // nothing to add as a document.
    if body.is_none() {
        parsed.title = if head.title.is_empty() {
            "TEI file without a text".into()
        } else {
            head.title.clone()
        };
        return Ok(parsed);
    }
    let (corresp, sent_date) = correspondence(h);
    let finding = |kind, line, message: String| Finding {
        kind,
        source: ctx.name.to_string(),
        line,
        document: Some(head.id.clone()),
        message,
    };
    let date_line = |d: Node<'_, '_>| doc.text_pos_at(d.range().start).row;
    let mut date = sending_date(sent_date, &head, date_line, &mut |line, why| {
        parsed
            .findings
            .push(finding(FindingKind::UnparsedDate, line, why))
    });
    let kind = kind_of(root, body);
    let corresp = authors_as_senders(corresp, h);
    let default_author = default_note_author(&head);
    let mut br = body_reader(ctx, doc, &head, default_author);
    if let Some(b) = body {
        br.container(b, Container::Plain);
        if let Some((line, message)) = left_out(b, &br.lines) {
            parsed
                .findings
                .push(finding(FindingKind::Other, line, message));
        }
    }
    // Notes in the header's correspDesc (the editors' dating note).
    if let Some(cd) = h.and_then(|h| path(h, &["profileDesc", "correspDesc"])) {
        for n in children(cd, "note") {
            br.note(n, None);
        }
    }
    // fond's "unanchored" notes sit at the end of the body: their call was
    // lost in the source.
    for n in br.notes.iter_mut() {
        if n.call_block.is_some_and(|b| b as usize >= br.blocks.len()) {
            n.call_block = None;
            n.call = CallForm::Lost;
        }
    }
    let BodyReader {
        blocks,
        notes,
        block_names,
        note_names,
        ..
    } = br;
    let names = letter_names(&corresp, &blocks, block_names, note_names);
    if date.written.is_none() {
        if let Some(dl) = blocks.iter().find(|b| b.kind == BlockKind::Dateline) {
            date.written = Some(dl.plain_text());
        }
    }
    if date.interval.is_none() && kind != DocKind::EditorialText {
        parsed.findings.push(finding(
            FindingKind::NoDate,
            1,
            "the TEI header gives no date of sending".into(),
        ));
    }
    let witnesses = letter_witnesses(ctx, &head);
    let mut notes = notes;
    manuscript_note(&head, &mut notes);
    parsed.documents.push(Document {
        id: head.id.clone(),
        kind,
        collection: head.collection.clone(),
        number: head.number,
        chapter: None,
        title: head.title.clone(),
        date,
        place: corresp.place.clone(),
        senders: corresp.senders.iter().map(|p| p.name.clone()).collect(),
        addressees: corresp.addressees.iter().map(|p| p.name.clone()).collect(),
        body: blocks,
        notes,
        witnesses,
        marginalia: head.marginalia.clone(),
        order: 0,
        name_refs: names,
        ..Document::new("", "", DocKind::Letter)
    });
    Ok(parsed)
}

/// The date of sending from `correspDesc`, and fond's own export's dateline
/// beside it; a date that does not read is reported through `unread`
/// (its line, why).
fn sending_date(
    sent_date: Option<Node<'_, '_>>,
    head: &Header,
    line_of: impl Fn(Node<'_, '_>) -> u32,
    unread: &mut dyn FnMut(u32, String),
) -> DocDate {
    let mut date = DocDate::default();
    if let Some(d) = sent_date {
        let text = reading_text(d);
        match hist_date(d, &text) {
            Ok(Some(hd)) => {
                date.editorial = Some(hd.text.clone());
                // fond's export marks the editors' dating with @cert and
                // @evidence; without them, its date is the author's own.
                if head.fond && d.attribute("cert").is_none() && d.attribute("evidence").is_none() {
                    date.written = Some(hd.text.clone());
                    date.written_interval = Some(hd.clone());
                }
                date.interval = Some(hd);
            }
            // fond writes an undetermined date as a bare `<date>`.
            Ok(None) if head.fond => {
                let mut hd = HistDate::undetermined(&text);
                hd.text = text.clone();
                date.editorial = Some(text.clone());
                date.interval = Some(hd);
            }
            Ok(None) => {}
            Err(why) => unread(line_of(d), why),
        }
        // fond's export writes the author's own date beside the editors'.
        if let Some(dl) = d
            .parent()
            .and_then(|a| children(a, "date").find(|x| x.attribute("type") == Some("dateline")))
        {
            let text = reading_text(dl);
            date.written = Some(text.clone());
            date.written_interval = hist_date(dl, &text).ok().flatten();
            if let (Some(a), Some(b)) = (&date.interval, &date.written_interval) {
                date.disagreement = !a.overlaps(b);
            }
        }
    }
    date
}

/// Without a correspDesc (fond writes none for editorial texts), the
/// title statement's authors are the senders.
fn authors_as_senders(mut corresp: Correspondence, h: Option<Node<'_, '_>>) -> Correspondence {
    if corresp.senders.is_empty() && corresp.addressees.is_empty() {
        if let Some(t) = h.and_then(|h| path(h, &["fileDesc", "titleStmt"])) {
            corresp.senders = children(t, "author")
                .map(|a| Party {
                    name: reading_text(a),
                    refs: Vec::new(),
                    element: NameElement::Person,
                    certain: true,
                })
                .filter(|p| !p.name.is_empty())
                .collect();
        }
    }
    corresp
}

/// A reader of the body: exact for fond's own export (its text and
/// layout come back as written), tidied for other editions.
fn body_reader<'h>(
    ctx: &ReadContext<'_>,
    doc: &roxmltree::Document<'_>,
    head: &'h Header,
    default_author: NoteAuthor,
) -> BodyReader<'h> {
    BodyReader {
        blocks: Vec::new(),
        notes: Vec::new(),
        resp: &head.resp,
        default_author,
        exact: head.fond,
        lines: LineIndex::new(doc.input_text()),
        note_numbers: std::collections::HashSet::new(),
        max_note: 0,
        block_names: Vec::new(),
        note_names: Vec::new(),
        joining: false,
        breaks_separate: ctx.text.contains("break=\"no\"") || ctx.text.contains("break='no'"),
    }
}

/// Who wrote the notes nobody signed: fond's own export names them; else
/// the edition's editors by name, where its header names them.
fn default_note_author(head: &Header) -> NoteAuthor {
    if let Some((name, _)) = head
        .resp
        .values()
        .find(|(_, role)| head.fond && *role == Some(NoteRole::Editors))
    {
        // fond's own export names the authors of unsigned notes.
        NoteAuthor::new(NoteRole::Editors, name.clone())
    } else if !head.editors.is_empty() && !head.fond {
        // The edition's editors by name, where its header names them.
        NoteAuthor::new(
            NoteRole::Editors,
            format!("{} (eds.)", head.editors.join("; ")),
        )
    } else {
        NoteAuthor::new(NoteRole::Editors, format!("editors ({})", head.collection))
    }
}

/// What the reading text leaves out of a body, for the editor to see:
/// deletions (their text is not read) and gaps (shown as `[…]`); blank
/// pages are no gap in the text. The line and the message, if any.
fn left_out(b: Node<'_, '_>, lines: &LineIndex) -> Option<(u32, String)> {
    let (mut deleted, mut gaps) = (0usize, 0usize);
    for n in b.descendants() {
        if n.tag_name().namespace() == Some(TEI_NS) {
            match n.tag_name().name() {
                "del" => deleted += 1,
                "gap"
                    if !matches!(
                        n.attribute("reason"),
                        Some("no-text" | "empty" | "blank" | "note-lost")
                    ) =>
                {
                    gaps += 1
                }
                _ => {}
            }
        }
    }
    (deleted + gaps > 0).then(|| {
            (
                lines.line(b.range().start),
                format!(
                    "left out of the reading text: {deleted} deleted passage(s) (<del>); shown as […]: {gaps} gap(s) (<gap>)"
                ),
            )
        })
}

/// The names a letter links by `@ref`: parties by index, then spans of the
/// body text (blocks joined by a blank line, as `Document::body_text`
/// joins them) and the notes.
fn letter_names(
    corresp: &Correspondence,
    blocks: &[Block],
    block_names: Vec<(u32, NameRef)>,
    note_names: Vec<NameRef>,
) -> Vec<NameRef> {
    let mut names = party_refs(MentionField::Sender, &corresp.senders, 0);
    names.extend(party_refs(MentionField::Addressee, &corresp.addressees, 0));
    let mut offsets = Vec::with_capacity(blocks.len());
    let mut off = 0;
    for b in blocks {
        offsets.push(off);
        off += b.plain_text().len() + 2;
    }
    let body_text: String = blocks
        .iter()
        .map(Block::plain_text)
        .collect::<Vec<_>>()
        .join("\n\n");
    for (b, mut name) in block_names {
        let Some(base) = offsets.get(b as usize) else {
            continue;
        };
        name.start += base;
        name.end += base;
        if let Some(surface) = body_text.get(name.start..name.end) {
            name.surface = surface.to_string();
            names.push(name);
        }
    }
    names.extend(note_names);
    names
}

/// The letter's witnesses: those fond's export lists, else the file
/// itself with the edition's attribution.
fn letter_witnesses(ctx: &ReadContext<'_>, head: &Header) -> Vec<Witness> {
    let mut witnesses = head.witnesses.clone();
    if witnesses.is_empty() {
        let label = if head.attribution.is_empty() {
            "TEI file".to_string()
        } else {
            format!("TEI file; {}", head.attribution)
        };
        witnesses.push(Witness {
            source: ctx.name.to_string(),
            first_line: 1,
            last_line: line_at(ctx.text, ctx.text.len()),
            label,
            text: String::new(),
            markup: fond_model::Markup::Plain,
        });
    }
    witnesses
}

/// The archival location of the letter itself (`msIdentifier`): recorded
/// on a note of its own so that `fond list` and the exports cite it like
/// any reference the editors give.
fn manuscript_note(head: &Header, notes: &mut Vec<Note>) {
    if let Some(r) = &head.archival {
        if !notes.iter().any(|n| n.archival_refs.contains(r)) && !head.fond {
            let n = notes.iter().map(|x| x.n).max().unwrap_or(0) + 1;
            notes.push(Note {
                n,
                call: CallForm::Lost,
                call_block: None,
                text: format!("Manuscript: {}.", r.text),
                by: NoteAuthor::other("msIdentifier"),
                archival_refs: vec![r.clone()],
                cross_refs: Vec::new(),
                special_file: false,
                relocated: false,
                line: 1,
            });
        }
    }
}

#[cfg(test)]
#[path = "tei_tests.rs"]
mod tests;
