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

mod cmif;
mod personography;

pub use personography::{
    personography, Affiliation, ListedDate, ListedOrg, ListedPeriodical, ListedPerson, ListedYear,
    Personography,
};

use crate::{IngestError, Parsed, ReadContext};
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

// ---------------------------------------------------------------- helpers

fn is(n: Node<'_, '_>, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(TEI_NS)
}

fn child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| is(*c, name))
}

fn children<'a, 'i>(n: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    n.children().filter(move |c| is(*c, name))
}

fn path<'a, 'i>(n: Node<'a, 'i>, names: &[&str]) -> Option<Node<'a, 'i>> {
    let mut cur = n;
    for name in names {
        cur = child(cur, name)?;
    }
    Some(cur)
}

/// `text/back/div[@type='collation']/ab[@type='collation']`, the collation
/// fond's export writes for a document with several witnesses.
fn collation_ab<'a, 'i>(root: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    children(path(root, &["text", "back"])?, "div")
        .find(|d| d.attribute("type") == Some("collation"))
        .and_then(|d| children(d, "ab").find(|a| a.attribute("type") == Some("collation")))
}

/// One witness's text in a parallel segmentation: the shared text, and in
/// each `app` the `rdg` whose `@wit` names the witness (none: it lacks the
/// passage).
fn witness_reading(ab: Node<'_, '_>, id: &str) -> String {
    let target = format!("#{id}");
    let mut out = String::new();
    for c in ab.children() {
        if c.is_text() {
            out.push_str(c.text().unwrap_or(""));
        } else if is(c, "app") {
            if let Some(r) = children(c, "rdg").find(|r| {
                r.attribute("wit")
                    .is_some_and(|w| w.split_whitespace().any(|x| x == target))
            }) {
                out.push_str(&raw_text(r));
            }
        } else if c.is_element() {
            out.push_str(&raw_text(c));
        }
    }
    out
}

/// Text with every run of white space as one space, trimmed.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of an element as a reader sees it: `choice` by its regular
/// reading, deletions, forme work and figures left out.
fn reading_text(n: Node<'_, '_>) -> String {
    let mut s = String::new();
    collect_text(n, &mut s);
    squash(&s)
}

/// The reading text of an element with its white space as it stands.
fn raw_text(n: Node<'_, '_>) -> String {
    let mut s = String::new();
    collect_text(n, &mut s);
    s
}

fn collect_text(n: Node<'_, '_>, out: &mut String) {
    collect(n, out, &mut None);
}

/// Where [`collect`] notes the names with a `@ref` it passes: the list,
/// and the field their spans are in.
type NameSink<'s> = Option<(&'s mut Vec<NameRef>, &'s str)>;

/// Appends the reading text of `n` to `out`: `choice` by its regular
/// reading (an archival reference by its printed form), `lb` as a space,
/// skipped elements left out; with a sink, the byte span of each name
/// with a `@ref` too.
fn collect(n: Node<'_, '_>, out: &mut String, names: &mut NameSink<'_>) {
    let mut joining = false;
    for c in n.children() {
        match c.node_type() {
            NodeType::Text => {
                let t = c.text().unwrap_or("");
                // After a line break inside a word, the layout's white
                // space is not a space of the text.
                let t = if joining { t.trim_start() } else { t };
                if !t.is_empty() {
                    joining = false;
                }
                out.push_str(t);
            }
            NodeType::Element => {
                if skipped(c) {
                    continue;
                }
                if is(c, "choice") {
                    // An archival reference keeps its printed form
                    // (`ibid., l. 12`) in the text; the resolved one is
                    // read into the note's references.
                    let printed = n.attribute("type") == Some("archival") && is(n, "bibl");
                    let pick = if printed {
                        child(c, "orig").or_else(|| choice_pick(c))
                    } else {
                        choice_pick(c)
                    };
                    if let Some(pick) = pick {
                        collect(pick, out, names);
                    }
                    continue;
                }
                if is(c, "lb") {
                    // A line break inside a word (`break="no"`) joins it.
                    if c.attribute("break") == Some("no") {
                        joining = true;
                    } else {
                        out.push(' ');
                    }
                    continue;
                }
                if is(c, "space") {
                    out.push(' ');
                    continue;
                }
                // A pointer with no text of its own (a diary entry a note
                // cites) shows its type and target.
                if is(c, "ref") && c.text().is_none() && !c.has_children() {
                    if let Some(target) = c.attribute("target") {
                        match c.attribute("type") {
                            Some(t) => out.push_str(&format!("{t}: {target}")),
                            None => out.push_str(&format!("→ {target}")),
                        }
                        continue;
                    }
                }
                let start = out.len();
                collect(c, out, names);
                if let (Some((names, field)), Some(target)) = (names.as_mut(), name_ref(c)) {
                    names.push(NameRef {
                        field: field.to_string(),
                        start,
                        end: out.len(),
                        target: target.to_string(),
                        surface: out[start..].to_string(),
                        certain: c.attribute("cert") != Some("low"),
                        element: c.tag_name().name().to_string(),
                    });
                }
            }
            _ => {}
        }
    }
}

fn ends_with_space(out: &[Inline]) -> bool {
    match out.last() {
        None | Some(Inline::LineBreak) => true,
        Some(Inline::Text { text }) | Some(Inline::Emph { text, .. }) => {
            text.ends_with(char::is_whitespace)
        }
        _ => false,
    }
}

/// Elements whose content is not part of the reading text.
fn skipped(n: Node<'_, '_>) -> bool {
    let name = n.tag_name().name();
    n.tag_name().namespace() == Some(TEI_NS)
        && matches!(
            name,
            "del" | "fw" | "figure" | "pb" | "cb" | "milestone" | "gap" | "metamark"
        )
}

/// The reading of a `choice`: the regularised, expanded or corrected one.
fn choice_pick<'a, 'i>(n: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    ["reg", "expan", "corr"]
        .iter()
        .find_map(|name| child(n, name))
        .or_else(|| n.children().find(|c| c.is_element()))
}

// ------------------------------------------------------------------ dates

/// A TEI date value (`1848`, `1848-05`, `1848-05-26`) as its first and
/// last day.
fn date_value(v: &str) -> Option<(Day, Day, Precision)> {
    let v = v.trim();
    let parts: Vec<&str> = v.split('-').collect();
    let year: i32 = parts.first()?.parse().ok()?;
    if parts.first()?.len() != 4 {
        return None;
    }
    match parts.len() {
        1 => Some((
            Day::first_of_month(year, 1),
            Day::last_of_month(year, 12),
            Precision::Year,
        )),
        2 => {
            let m: u8 = parts[1].parse().ok()?;
            Day::new(year, m, 1)?;
            Some((
                Day::first_of_month(year, m),
                Day::last_of_month(year, m),
                Precision::Month,
            ))
        }
        3 => {
            let d = Day::new(year, parts[1].parse().ok()?, parts[2].parse().ok()?)?;
            Some((d, d, Precision::Day))
        }
        _ => None,
    }
}

/// A `date` element as a [`HistDate`]: `@when`, `@notBefore`/`@notAfter`
/// or `@from`/`@to` give the interval, `@cert="low"` makes it approximate.
/// `None` when no attribute gives a readable value.
fn hist_date(n: Node<'_, '_>, text: &str) -> Result<Option<HistDate>, String> {
    let attr = |k: &str| n.attribute(k).map(str::trim).filter(|v| !v.is_empty());
    let read = |k: &str| -> Result<Option<(Day, Day, Precision)>, String> {
        match attr(k) {
            None => Ok(None),
            Some(v) => date_value(v).map(Some).ok_or_else(|| {
                format!("date @{k}=\"{v}\" is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
            }),
        }
    };
    let when = read("when")?;
    let lo = read("notBefore")?.or(read("from")?);
    let hi = read("notAfter")?.or(read("to")?);
    let approximate = attr("cert") == Some("low");
    let (earliest, latest, precision, qualifier, edtf) = if let Some((a, b, p)) = when {
        let v = attr("when").unwrap_or_default().to_string();
        (Some(a), Some(b), p, Qualifier::Exact, v)
    } else {
        match (lo, hi) {
            // Both bounds on the same day (month, year): the date is that
            // day, as precise as `@when` would make it.
            (Some(l), Some(h)) if l == h => {
                let v = attr("notBefore").or(attr("from")).unwrap_or_default();
                (Some(l.0), Some(l.1), l.2, Qualifier::Exact, v.to_string())
            }
            (Some((a, _, _)), Some((_, b, _))) => (
                Some(a),
                Some(b),
                Precision::Range,
                Qualifier::Exact,
                format!("{}/{}", a.iso(), b.iso()),
            ),
            (Some((a, _, _)), None) => (
                Some(a),
                None,
                Precision::OpenEnded,
                Qualifier::NotBefore,
                format!("{}/..", a.iso()),
            ),
            (None, Some((_, b, _))) => (
                None,
                Some(b),
                Precision::OpenEnded,
                Qualifier::NotAfter,
                format!("../{}", b.iso()),
            ),
            (None, None) => return Ok(None),
        }
    };
    if let (Some(a), Some(b)) = (earliest, latest) {
        if a > b {
            return Err(format!("date ends ({b}) before it begins ({a})"));
        }
    }
    let (qualifier, edtf) = if approximate {
        (Qualifier::Approximate, format!("{edtf}~"))
    } else {
        (qualifier, edtf)
    };
    let calendar = match attr("calendar") {
        Some(c) if c.contains("julian") => "julian",
        _ => "gregorian",
    };
    Ok(Some(HistDate {
        text: if text.is_empty() {
            edtf.clone()
        } else {
            text.to_string()
        },
        edtf,
        earliest,
        latest,
        precision,
        qualifier,
        calendar: calendar.into(),
    }))
}

// ---------------------------------------------------------------- parties

/// A party of a `correspAction`: the name as printed and its authority
/// URIs (`@ref`, space-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub name: String,
    pub refs: Vec<String>,
    /// `persName` or `orgName`.
    pub element: String,
    /// False when marked `cert="low"`.
    pub certain: bool,
}

fn parties(action: Node<'_, '_>) -> Vec<Party> {
    action
        .children()
        .filter(|c| is(*c, "persName") || is(*c, "orgName") || is(*c, "name"))
        .map(|c| Party {
            name: reading_text(c),
            refs: c
                .attribute("ref")
                .map(|r| r.split_whitespace().map(str::to_string).collect())
                .unwrap_or_default(),
            element: c.tag_name().name().to_string(),
            certain: c.attribute("cert") != Some("low"),
        })
        .filter(|p| !p.name.is_empty())
        .collect()
}

/// What `correspDesc` says, read on its own (also used by the CLI's
/// linking stage for the parties' URIs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Correspondence {
    pub senders: Vec<Party>,
    pub addressees: Vec<Party>,
    pub place: Option<String>,
}

fn correspondence<'a, 'i>(header: Option<Node<'a, 'i>>) -> (Correspondence, Option<Node<'a, 'i>>) {
    let mut c = Correspondence::default();
    let mut sent_date = None;
    let Some(cd) = header.and_then(|h| path(h, &["profileDesc", "correspDesc"])) else {
        return (c, None);
    };
    for action in children(cd, "correspAction") {
        match action.attribute("type") {
            Some("sent") => {
                c.senders.extend(parties(action));
                if c.place.is_none() {
                    c.place = child(action, "placeName")
                        .map(reading_text)
                        .filter(|p| !p.is_empty());
                }
                if sent_date.is_none() {
                    sent_date =
                        children(action, "date").find(|d| d.attribute("type") != Some("dateline"));
                }
            }
            Some("received") => c.addressees.extend(parties(action)),
            _ => {}
        }
    }
    (c, sent_date)
}

/// A name with its authority reference (`@ref`) in a TEI letter: a party
/// of `correspDesc` (`field` `sender`/`addressee`, `start` = its index),
/// or a name in the body or a note of a file of fond's own export
/// (`body`, `note:N`; a byte span of `Document::body_text` or the note's
/// text, the coordinates of the store's mentions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRef {
    pub field: String,
    pub start: usize,
    pub end: usize,
    /// `@ref` as written: one or more URIs, space-separated.
    pub target: String,
    pub surface: String,
    /// False when the file marks the reference `cert="low"`.
    pub certain: bool,
    /// `persName`, `orgName`, `title`, `name`.
    pub element: String,
}

/// Every letter of a TEI source, by id, with its names that carry an
/// authority reference: what the linking stage needs to key people by
/// URI and to keep the names fond's export linked. One for a TEI letter,
/// one per `correspDesc` for a CMIF file, none for a file without letters
/// (a personography). Errors are the reader's.
pub fn letters_names(file: &str, text: &str) -> Result<Vec<(String, Vec<NameRef>)>, IngestError> {
    let ctx = ReadContext {
        name: file,
        text,
        collection_suffix: "",
    };
    // Parsed once: a CMIF file gives a letter per `correspDesc`, any other
    // TEI file its one letter (or none).
    let doc = parse(file, text)?;
    if cmif::is_cmif(doc.root_element()) {
        return Ok(cmif::letters_names(&ctx, &doc));
    }
    let (parsed, names) = read_letter(&ctx, &doc)?;
    Ok(parsed
        .documents
        .into_iter()
        .next()
        .map(|d| (d.id, names))
        .into_iter()
        .collect())
}

/// The editions a CMIF file cites (`sourceDesc/bibl` with an `xml:id`),
/// each as its id and its XML exactly as the file writes it: what a CMIF
/// export gives back beside the `correspDesc`s it imported verbatim. Empty
/// for a TEI file that is not CMIF.
pub fn cmif_bibls(file: &str, text: &str) -> Result<Vec<(String, String)>, IngestError> {
    let doc = parse(file, text)?;
    let root = doc.root_element();
    if !cmif::is_cmif(root) {
        return Ok(Vec::new());
    }
    Ok(path(root, &["teiHeader", "fileDesc", "sourceDesc"])
        .into_iter()
        .flat_map(|sd| children(sd, "bibl"))
        .filter_map(|b| {
            let id = b.attribute(("http://www.w3.org/XML/1998/namespace", "id"))?;
            Some((id.to_string(), text.get(b.range())?.to_string()))
        })
        .collect())
}

/// Appends the reading text of `n` to `out`, noting the byte span of each
/// name with a `@ref` (fond's export: `persName`, `orgName`, `title`).
fn collect_with_names(n: Node<'_, '_>, out: &mut String, names: &mut Vec<NameRef>, field: &str) {
    collect(n, out, &mut Some((names, field)));
}

/// `@ref` of a name element.
fn name_ref<'a>(n: Node<'a, '_>) -> Option<&'a str> {
    if ["persName", "orgName", "title", "name"]
        .iter()
        .any(|k| is(n, k))
    {
        n.attribute("ref").filter(|r| !r.trim().is_empty())
    } else {
        None
    }
}

/// Byte length of a block's runs as `Block::plain_text` renders them.
fn plain_len(v: &[Inline]) -> usize {
    v.iter().map(Inline::plain_len).sum()
}

/// The sources a file of fond's own export describes (its `listWit`: file
/// name and title; web sources are those its `availability` says state
/// their own rights). An archive that holds the export but not those
/// sources keeps their descriptions this way, so that exporting it again
/// describes them alike. Other files describe none. Size, bytes and hash
/// are unknown (zero, empty).
pub fn described_sources(file: &str, text: &str) -> Result<Vec<Source>, IngestError> {
    let doc = parse(file, text)?;
    let root = doc.root_element();
    let Some(fd) = path(root, &["teiHeader", "fileDesc"]) else {
        return Ok(Vec::new());
    };
    let pub_stmt = child(fd, "publicationStmt");
    let fond = pub_stmt
        .into_iter()
        .flat_map(|p| children(p, "idno"))
        .any(|i| i.attribute("type") == Some("fond"));
    if !fond {
        return Ok(Vec::new());
    }
    let web_marker = ": rights as stated by the web source; not recorded by fond.";
    let web: Vec<String> = pub_stmt
        .and_then(|p| child(p, "availability"))
        .into_iter()
        .flat_map(|a| children(a, "p"))
        .map(raw_text)
        .filter_map(|t| {
            let head = t.strip_suffix(web_marker)?;
            let name = head.rsplit_once(" (")?.1.strip_suffix(')')?;
            Some(name.to_string())
        })
        .collect();
    let mut out = Vec::new();
    for w in path(fd, &["sourceDesc", "listWit"])
        .into_iter()
        .flat_map(|l| children(l, "witness"))
    {
        let Some(bibl) = child(w, "bibl") else {
            continue;
        };
        let Some(name) = children(bibl, "idno")
            .find(|i| i.attribute("type") == Some("file"))
            .map(raw_text)
        else {
            continue;
        };
        let title = child(bibl, "title").map(raw_text).unwrap_or_default();
        let shape = if web.contains(&name) {
            SourceShape::WebLetters
        } else {
            SourceShape::EditionMarkdown
        };
        if !out.iter().any(|s: &Source| s.name == name) {
            out.push(Source {
                name,
                sha256: String::new(),
                shape,
                title,
                bytes: 0,
                lines: 0,
            });
        }
    }
    Ok(out)
}

// ----------------------------------------------------------------- header

struct Header {
    id: String,
    collection: String,
    title: String,
    number: Option<u32>,
    /// `respStmt/@xml:id` → name, and the note role its `resp` names in
    /// fond's own dialect.
    resp: BTreeMap<String, (String, Option<NoteRole>)>,
    witnesses: Vec<Witness>,
    attribution: String,
    archival: Option<ArchivalRef>,
    marginalia: Vec<Marginal>,
    /// Written by fond's own export.
    fond: bool,
    /// The editors the title statement names (who wrote its notes).
    editors: Vec<String>,
}

/// Persistent-identifier resolvers: their host names no edition.
fn is_resolver(u: &str) -> bool {
    [
        "hdl.handle.net",
        "doi.org",
        "dx.doi.org",
        "n2t.net",
        "purl.org",
        "nbn-resolving.org",
        "nbn-resolving.de",
        "w3id.org",
    ]
    .iter()
    .any(|h| url_host(u) == Some(*h))
}

fn url_host(u: &str) -> Option<&str> {
    let rest = u.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    Some(host.strip_prefix("www.").unwrap_or(host)).filter(|h| !h.is_empty())
}

fn header(ctx: &ReadContext<'_>, root: Node<'_, '_>, h: Option<Node<'_, '_>>) -> Header {
    let file_desc = h.and_then(|h| child(h, "fileDesc"));
    let title_stmt = file_desc.and_then(|f| child(f, "titleStmt"));
    let title = title_stmt
        .and_then(|t| {
            children(t, "title")
                .find(|x| x.attribute("type") == Some("main"))
                .or_else(|| child(t, "title"))
        })
        .map(reading_text)
        .unwrap_or_default();
    let mut resp = BTreeMap::new();
    if let Some(t) = title_stmt {
        for r in children(t, "respStmt") {
            if let Some(id) = r.attribute(("http://www.w3.org/XML/1998/namespace", "id")) {
                let name = r
                    .children()
                    .find(|c| is(*c, "name") || is(*c, "persName") || is(*c, "orgName"))
                    .map(reading_text)
                    .unwrap_or_else(|| id.to_string());
                let role = children(r, "resp").find_map(|x| {
                    let what = reading_text(x);
                    NoteRole::ALL
                        .into_iter()
                        .find(|k| k.responsibility() == what)
                });
                resp.insert(id.to_string(), (name, role));
            }
        }
    }
    let pub_stmt = file_desc.and_then(|f| child(f, "publicationStmt"));
    let fond_id = pub_stmt
        .and_then(|p| children(p, "idno").find(|i| i.attribute("type") == Some("fond")))
        .map(reading_text)
        .filter(|s| !s.is_empty());
    let xml_id = root
        .attribute(("http://www.w3.org/XML/1998/namespace", "id"))
        .map(str::to_string)
        .unwrap_or_else(|| {
            ctx.name
                .rsplit_once('.')
                .map_or(ctx.name, |(s, _)| s)
                .to_string()
        });
    let (id, collection) = match &fond_id {
        Some(fid) => {
            let coll = fid.split('/').next().unwrap_or(fid).to_string();
            (fid.clone(), coll)
        }
        None => {
            // The edition names itself: the series title of the title
            // statement or the series statement. Failing that, the
            // publisher's site names the edition the letters come from
            // (a resolver such as a handle server names nothing).
            let series = file_desc
                .and_then(|f| child(f, "titleStmt"))
                .into_iter()
                .flat_map(|t| children(t, "title"))
                .find(|t| t.attribute("level") == Some("s"))
                .or_else(|| {
                    file_desc
                        .and_then(|f| child(f, "seriesStmt"))
                        .and_then(|s| child(s, "title"))
                })
                .map(reading_text)
                .filter(|t| !t.is_empty());
            let host = series.or_else(|| {
                pub_stmt
                    .into_iter()
                    .flat_map(|p| children(p, "idno"))
                    .filter_map(|n| n.text())
                    .filter(|u| !is_resolver(u))
                    .find_map(url_host)
                    .map(str::to_string)
            });
            let base = host
                .or_else(|| {
                    pub_stmt
                        .and_then(|p| child(p, "publisher"))
                        .map(reading_text)
                })
                .map(|s| fond_text::slug(&s))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "tei".into());
            let coll = ctx.collection_for(&base);
            (format!("{coll}/{xml_id}"), coll)
        }
    };
    let id = match (&fond_id, ctx.collection_suffix.is_empty()) {
        (Some(_), false) => id.replacen(&collection, &ctx.collection_for(&collection), 1),
        _ => id,
    };
    let collection = if fond_id.is_some() {
        ctx.collection_for(&collection)
    } else {
        collection
    };
    let source_desc = file_desc.and_then(|f| child(f, "sourceDesc"));
    let number = source_desc
        .into_iter()
        .flat_map(|s| s.descendants())
        .find(|n| is(*n, "biblScope") && n.attribute("unit") == Some("letter"))
        .and_then(|n| n.attribute("n"))
        .and_then(|n| n.parse().ok());
    // Witnesses fond wrote (`listWit` with the file and line span).
    let mut witnesses = Vec::new();
    let mut witness_ids: Vec<Option<String>> = Vec::new();
    // Other editions' `listWit` describe manuscripts, not spans of files
    // fond holds.
    if let Some(lw) = source_desc
        .and_then(|s| child(s, "listWit"))
        .filter(|_| fond_id.is_some())
    {
        for w in children(lw, "witness") {
            let bibl = child(w, "bibl");
            let file = bibl
                .and_then(|b| children(b, "idno").find(|i| i.attribute("type") == Some("file")))
                .map(reading_text);
            let scope = bibl.and_then(|b| {
                children(b, "biblScope").find(|s| s.attribute("unit") == Some("line"))
            });
            let label: String = w
                .children()
                .filter(|c| c.is_text())
                .filter_map(|c| c.text())
                .collect::<String>();
            let label = squash(&label).trim_end_matches(':').trim().to_string();
            let line = |k: &str| {
                scope
                    .and_then(|s| s.attribute(k))
                    .and_then(|v| v.parse().ok())
            };
            witness_ids.push(
                w.attribute(("http://www.w3.org/XML/1998/namespace", "id"))
                    .map(str::to_string),
            );
            witnesses.push(Witness {
                source: file.unwrap_or_else(|| ctx.name.to_string()),
                first_line: line("from").unwrap_or(1),
                last_line: line("to").unwrap_or(1),
                label: if label.is_empty() {
                    reading_text(w)
                } else {
                    label
                },
                text: String::new(),
                markup: fond_model::Markup::Plain,
            });
        }
    }
    // The witnesses' texts, from the collation fond wrote in `back`: each
    // is the text between the variants plus its own readings, so that the
    // witnesses can be read and collated again after an import.
    // A transcription fond wrote beside the collation is the witness as
    // it stood; failing that, the collation's readings give its words.
    let back = path(root, &["text", "back"]);
    for (w, id) in witnesses.iter_mut().zip(&witness_ids) {
        let Some(id) = id else { continue };
        let corresp = format!("#{id}");
        let transcription = back.and_then(|b| {
            children(b, "div").find(|d| {
                d.attribute("type") == Some("transcription")
                    && d.attribute("corresp") == Some(corresp.as_str())
            })
        });
        if let Some(ab) = transcription.and_then(|d| child(d, "ab")) {
            w.text = ab.text().unwrap_or("").to_string();
            if transcription.and_then(|d| d.attribute("subtype")) == Some("markdown") {
                w.markup = fond_model::Markup::Markdown;
            }
        } else if let Some(ab) = collation_ab(root) {
            w.text = witness_reading(ab, id);
        }
    }
    // The licence and how to cite: kept with every document, because the
    // licence (CC BY-SA for the Humboldt letters) requires attribution
    // wherever the text is shown.
    let mut attribution = Vec::new();
    if let Some(ed) = file_desc.and_then(|f| child(f, "editionStmt")) {
        let t = reading_text(ed);
        if !t.is_empty() {
            attribution.push(t);
        }
    }
    if let Some(av) = pub_stmt.and_then(|p| child(p, "availability")) {
        for l in av.children().filter(|c| c.is_element()) {
            let t = reading_text(l);
            let target = l.attribute("target").unwrap_or("");
            match (t.is_empty(), target.is_empty()) {
                (false, false) => attribution.push(format!("Licence: {t} ({target})")),
                (false, true) => attribution.push(t),
                (true, false) => attribution.push(format!("Licence: {target}")),
                (true, true) => {}
            }
        }
    }
    let archival = source_desc
        .and_then(|s| path(s, &["msDesc", "msIdentifier"]))
        .and_then(ms_identifier);
    // Readers' marks as fond writes them: `by[, place]: “text” (note N)`.
    let marginalia = source_desc
        .and_then(|s| path(s, &["msDesc", "physDesc", "additions"]))
        .into_iter()
        .flat_map(|a| children(a, "p"))
        .filter_map(|p| {
            let note = p
                .descendants()
                .find(|r| is(*r, "ref"))
                .and_then(|r| r.attribute("target"))
                .and_then(|t| t.strip_prefix("#note-"))
                .and_then(|n| n.parse().ok())?;
            let t: String = p
                .children()
                .filter(|c| !is(*c, "ref"))
                .map(|c| {
                    if c.is_text() {
                        c.text().unwrap_or("").to_string()
                    } else {
                        reading_text(c)
                    }
                })
                .collect();
            let t = t.trim().strip_suffix("()").unwrap_or(t.trim()).trim_end();
            let (head, quoted) = t.split_once(": “")?;
            let text = quoted.strip_suffix('”').unwrap_or(quoted);
            let (by, place) = match head.split_once(", ") {
                Some((b, p)) => (b.to_string(), Some(p.to_string())),
                None => (head.to_string(), None),
            };
            Some(Marginal {
                by,
                text: text.to_string(),
                place,
                note,
            })
        })
        .collect();
    Header {
        id,
        collection,
        title,
        number,
        resp,
        witnesses,
        attribution: attribution.join(" "),
        archival,
        marginalia,
        fond: fond_id.is_some(),
        editors: title_stmt
            .into_iter()
            .flat_map(|t| children(t, "editor"))
            .flat_map(|e| {
                let names: Vec<String> = children(e, "name")
                    .chain(children(e, "persName"))
                    .map(reading_text)
                    .filter(|n| !n.is_empty())
                    .collect();
                if names.is_empty() {
                    vec![reading_text(e)]
                } else {
                    names
                }
            })
            .filter(|n| !n.is_empty())
            .collect(),
    }
}

/// `msIdentifier` as an archival reference: repository (or institution)
/// and the `idno`s, typed as fond writes them or one shelfmark.
fn ms_identifier(ms: Node<'_, '_>) -> Option<ArchivalRef> {
    let archive = child(ms, "repository")
        .or_else(|| child(ms, "institution"))
        .map(reading_text)
        .unwrap_or_default();
    let typed = |t: &str| {
        ms.descendants()
            .find(|n| is(*n, "idno") && n.attribute("type") == Some(t))
            .map(reading_text)
    };
    let fond = typed("fond").or_else(|| typed("shelfmark")).or_else(|| {
        children(ms, "idno")
            .map(reading_text)
            .find(|s| !s.is_empty())
    })?;
    if archive.is_empty() && fond.is_empty() {
        return None;
    }
    let sheets = typed("sheets").map(|s| sheets(&s));
    let r = ArchivalRef {
        text: String::new(),
        archive,
        fond,
        opis: typed("opis"),
        delo: typed("delo"),
        sheets,
        ibid: false,
    };
    // As printed: fond's own reference, else the location's parts in
    // order (institution, repository, collection, shelfmark), which reads
    // better for a library than the Russian `f.` convention.
    let parts: Vec<String> = ms
        .descendants()
        .filter(|n| {
            ["institution", "repository", "collection"]
                .iter()
                .any(|k| is(*n, k))
                || (is(*n, "idno") && !n.children().any(|c| is(c, "idno")))
        })
        .map(reading_text)
        .filter(|t| !t.is_empty())
        .collect();
    let printed = typed("reference").unwrap_or_else(|| parts.join(", "));
    Some(ArchivalRef { text: printed, ..r })
}

/// Sheets as printed (`l. 5`, `ll. 8-23`, `ll. 11, 32`).
fn sheets(s: &str) -> Sheets {
    let t = s
        .trim()
        .trim_start_matches("ll.")
        .trim_start_matches("l.")
        .trim();
    if let Some((a, b)) = t.split_once('-') {
        if !t.contains(',') {
            return Sheets::Range {
                from: a.trim().into(),
                to: b.trim().into(),
            };
        }
    }
    if t.contains(',') || s.trim().starts_with("ll.") {
        return Sheets::List {
            items: t.split(',').map(|x| x.trim().to_string()).collect(),
        };
    }
    Sheets::Single { sheet: t.into() }
}

// ------------------------------------------------------------------- body

/// Line numbers of byte offsets, by binary search over the line starts
/// found once. `roxmltree`'s `text_pos_at` scans from the start of the
/// document on every call, so asking it for every note of a file made
/// reading quadratic in the notes (16,000 notes: 10 s).
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text).map(|i| i + 1));
        line_work::add(text.len() as u64);
        LineIndex { starts }
    }

    /// The 1-based line of byte offset `pos`.
    fn line(&self, pos: usize) -> u32 {
        line_work::add(1);
        let i = self.starts.partition_point(|&s| s <= pos);
        u32::try_from(i.max(1)).unwrap_or(u32::MAX)
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i)
}

/// A per-thread count of the work of finding line numbers (bytes indexed,
/// lookups): the linear-work test compares it across input sizes.
pub(crate) mod line_work {
    use std::cell::Cell;

    thread_local! {
        static WORK: Cell<u64> = const { Cell::new(0) };
    }

    pub(crate) fn add(n: u64) {
        WORK.with(|w| w.set(w.get().saturating_add(n)));
    }

    #[cfg(test)]
    pub(crate) fn count() -> u64 {
        WORK.with(|w| w.get())
    }
}

struct BodyReader<'h> {
    blocks: Vec<Block>,
    notes: Vec<Note>,
    resp: &'h BTreeMap<String, (String, Option<NoteRole>)>,
    default_author: NoteAuthor,
    /// fond's own export writes inline text exactly as the model holds
    /// it (only the space between block elements is layout), so its files
    /// are read without squashing white space.
    exact: bool,
    /// Line numbers of positions in the document's text.
    lines: LineIndex,
    /// The numbers of the notes read so far, and the highest.
    note_numbers: std::collections::HashSet<u32>,
    max_note: u32,
    /// Names with `@ref` in blocks: (block, name) with the span inside
    /// the block's plain text (fond's own files only).
    block_names: Vec<(u32, NameRef)>,
    /// Names with `@ref` in notes, spans in the note's text.
    note_names: Vec<NameRef>,
    /// Inside a word that a line break (`lb break="no"`) splits: the
    /// white space up to its next letters is the file's layout.
    joining: bool,
    /// The file marks breaks inside words (`break="no"`), so its other
    /// page and column breaks fall between words (`we<pb/>were`); a file
    /// that never marks them breaks pages inside words too
    /// (`Liebens<pb/>würdigkeit`).
    breaks_separate: bool,
}

/// Where a block comes from: its role is decided by the element and the
/// container it is in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Container {
    Plain,
    Opener,
    Closer,
    Postscript,
}

impl<'h> BodyReader<'h> {
    fn line(&self, n: Node<'_, '_>) -> u32 {
        self.lines.line(n.range().start)
    }

    fn author(&self, n: Node<'_, '_>) -> NoteAuthor {
        let Some(r) = n.attribute("resp").or_else(|| n.attribute("hand")) else {
            return self.default_author.clone();
        };
        let key = r.trim().trim_start_matches('#');
        match self.resp.get(key) {
            // fond's own export says the role in the statement's `resp`.
            Some((name, Some(role))) if self.exact => NoteAuthor::new(*role, name.clone()),
            Some((name, _)) => NoteAuthor::other(name.clone()),
            // A hand or responsibility the header does not name: its last
            // path segment (`#author`, `…/addressee`) says whose it is.
            None => {
                let last = key.rsplit(['/', '#']).next().unwrap_or(key);
                NoteAuthor::other(if last.is_empty() { r.trim() } else { last })
            }
        }
    }

    /// Walks a container of blocks (body, div, opener, list, …).
    fn container(&mut self, n: Node<'_, '_>, role: Container) {
        let mut loose: Vec<Inline> = Vec::new();
        let mut loose_line = self.line(n);
        let mut postscript_started = false;
        for c in n.children() {
            let block_role = if c.is_element() && c.tag_name().namespace() == Some(TEI_NS) {
                block_kind(c, role)
            } else {
                None
            };
            match block_role {
                Some(BlockRole::Block(kind)) => {
                    self.flush(&mut loose, loose_line, role);
                    // A postscript starts with its first paragraph; what
                    // follows in it is text of the postscript (fond writes
                    // a new `postscript` for each "P.S.").
                    let kind = if kind == BlockKind::Postscript && postscript_started {
                        BlockKind::Paragraph
                    } else {
                        kind
                    };
                    let before = self.blocks.len();
                    self.block(c, kind);
                    postscript_started |=
                        role == Container::Postscript && self.blocks.len() > before;
                }
                Some(BlockRole::Container(inner)) => {
                    self.flush(&mut loose, loose_line, role);
                    self.container(c, inner);
                }
                Some(BlockRole::Comment) => {
                    self.flush(&mut loose, loose_line, role);
                    let by = Some(self.author(c).label());
                    let start = self.blocks.len();
                    self.container(c, Container::Plain);
                    // The comment's own closer (signature, date) keeps its
                    // role; fond writes it as the comment's closer.
                    for b in &mut self.blocks[start..] {
                        if !matches!(
                            b.kind,
                            BlockKind::Closing | BlockKind::Signature | BlockKind::Dateline
                        ) {
                            b.kind = BlockKind::Comment { by: by.clone() };
                        }
                    }
                }
                Some(BlockRole::Skip) => {}
                None => {
                    if loose.is_empty() {
                        loose_line = self.line(c);
                    }
                    let at = self.blocks.len() as u32;
                    self.inline(c, &mut loose, 0, at);
                }
            }
        }
        self.flush(&mut loose, loose_line, role);
    }

    /// Text and inline elements met between blocks become a block of
    /// their own (unknown elements keep their text).
    fn flush(&mut self, loose: &mut Vec<Inline>, line: u32, role: Container) {
        let inlines = self.tidy(std::mem::take(loose));
        if inlines.is_empty() {
            return;
        }
        let kind = match role {
            Container::Postscript => BlockKind::Postscript,
            _ => BlockKind::Paragraph,
        };
        self.blocks.push(Block {
            kind,
            inlines,
            line,
        });
    }

    fn block(&mut self, n: Node<'_, '_>, kind: BlockKind) {
        let at = self.blocks.len() as u32;
        let mut inlines = Vec::new();
        // A paragraph that is wholly an addition (`<p><add>…</add></p>`)
        // is fond's encoding of the author's addition.
        let elements: Vec<Node<'_, '_>> = n.children().filter(|c| c.is_element()).collect();
        let only_add = elements.len() == 1
            && is(elements[0], "add")
            && n.children()
                .filter(|c| c.is_text())
                .all(|c| c.text().unwrap_or("").trim().is_empty());
        let kind = if only_add && matches!(kind, BlockKind::Paragraph | BlockKind::Postscript) {
            BlockKind::Addition
        } else {
            kind
        };
        for c in n.children() {
            self.inline(c, &mut inlines, 0, at);
        }
        let inlines = self.tidy(inlines);
        if inlines.is_empty() {
            return;
        }
        self.blocks.push(Block {
            kind,
            inlines,
            line: self.line(n),
        });
    }

    /// Inline content. `emph` is the emphasis level around it.
    fn inline(&mut self, n: Node<'_, '_>, out: &mut Vec<Inline>, emph: u8, at: u32) {
        match n.node_type() {
            NodeType::Text => {
                let mut t = n.text().unwrap_or("");
                // After a line break inside a word, the markup's own line
                // end and indentation are not a space.
                if self.joining {
                    t = t.trim_start();
                    if !t.is_empty() {
                        self.joining = false;
                    }
                }
                if self.exact {
                    push_exact(out, t, emph);
                } else {
                    push_text(out, t, emph);
                }
                return;
            }
            NodeType::Element => {}
            _ => return,
        }
        let lost_call = is(n, "gap") && n.attribute("reason") == Some("note-lost");
        if (is(n, "pb") || is(n, "cb"))
            && self.breaks_separate
            && n.attribute("break") != Some("no")
            && !self.exact
            && !self.joining
        {
            if !ends_with_space(out) {
                push_text(out, " ", emph);
            }
            return;
        }
        // Another edition's gaps are shown; fond's own marks are read below.
        // (Blank pages are no gap in the text.)
        let shown_gap = is(n, "gap")
            && !self.exact
            && !matches!(n.attribute("reason"), Some("no-text" | "empty" | "blank"));
        if n.tag_name().namespace() != Some(TEI_NS) || (skipped(n) && !lost_call && !shown_gap) {
            return;
        }
        match n.tag_name().name() {
            // A line break inside a word (`break="no"`) joins it.
            "lb" if n.attribute("break") == Some("no") => self.joining = true,
            "lb" => out.push(Inline::LineBreak),
            // Space the edition encodes as an element.
            "space" => push_text(out, " ", emph),
            // Segments of a letterhead or address, and a signature or
            // salutation run into a paragraph, stand apart.
            "seg" | "signed" | "salute" | "dateline" | "addrLine" | "address" if !self.exact => {
                if !ends_with_space(out) {
                    push_text(out, " ", emph);
                }
                for c in n.children() {
                    self.inline(c, out, emph, at);
                }
                push_text(out, " ", emph);
            }
            // A pointer with no text of its own (a diary entry a note
            // cites) shows its type and target, never an empty place.
            "ref" if reading_text(n).is_empty() && n.attribute("target").is_some() => {
                let target = n.attribute("target").unwrap_or_default();
                let label = match n.attribute("type") {
                    Some(t) => format!("{t}: {target}"),
                    None => format!("→ {target}"),
                };
                push_text(out, &label, emph);
            }
            // A gap in the text is shown as one.
            "gap" if shown_gap && !lost_call => push_text(out, "[…]", emph),
            "note" => {
                if n.attribute("type") == Some("unanchored") {
                    // fond's notes whose call was lost in the source.
                    self.note(n, None);
                } else if n.attribute("type") == Some("comment") {
                    // A comment inside a paragraph: keep its text in place.
                    for c in n.children() {
                        self.inline(c, out, emph, at);
                    }
                } else {
                    let num = self.note(n, Some(at));
                    out.push(Inline::NoteCall { n: num });
                }
            }
            "choice" => {
                if let Some(pick) = choice_pick(n) {
                    for c in pick.children() {
                        self.inline(c, out, emph, at);
                    }
                }
            }
            "gap" if n.attribute("reason") == Some("note-lost") => {
                // fond's mark of a note call whose note the source lost.
                if let Some(num) = n.attribute("n").and_then(|v| v.parse().ok()) {
                    out.push(Inline::NoteCall { n: num });
                }
            }
            "supplied" => {
                let t = if self.exact {
                    // Names inside the brackets keep their spans: one past
                    // the opening bracket.
                    let base = plain_len(out) + 1;
                    let mut t = String::new();
                    let mut names = Vec::new();
                    collect_with_names(n, &mut t, &mut names, "body");
                    for mut name in names {
                        name.start += base;
                        name.end += base;
                        self.block_names.push((at, name));
                    }
                    t
                } else {
                    reading_text(n)
                };
                if !t.is_empty() {
                    out.push(Inline::Supplied { text: t });
                }
            }
            "hi" => {
                let how = format!(
                    "{} {}",
                    n.attribute("rend").unwrap_or(""),
                    n.attribute("rendition").unwrap_or("")
                );
                let level = if how.contains("double-underline") || how.contains("#uu") {
                    2
                } else if how.contains("underline") || how.contains("#u") {
                    1
                } else {
                    emph
                };
                for c in n.children() {
                    self.inline(c, out, level.max(emph), at);
                }
            }
            _ => {
                // persName, placeName, orgName, add, unclear, foreign, ref,
                // bibl, … and unknown elements: their text, in place.
                let start = plain_len(out);
                for c in n.children() {
                    self.inline(c, out, emph, at);
                }
                if let (true, Some(target)) = (self.exact, name_ref(n)) {
                    self.block_names.push((
                        at,
                        NameRef {
                            field: "body".into(),
                            start,
                            end: plain_len(out),
                            target: target.to_string(),
                            surface: String::new(),
                            certain: n.attribute("cert") != Some("low"),
                            element: n.tag_name().name().to_string(),
                        },
                    ));
                }
            }
        }
    }

    /// Tidies a block's runs: white space squashed for other editions'
    /// files; for fond's own, only layout between blocks is dropped.
    fn tidy(&self, v: Vec<Inline>) -> Vec<Inline> {
        if !self.exact {
            return tidy(v);
        }
        let layout = v.iter().all(|i| match i {
            Inline::Text { text } => text.trim().is_empty(),
            _ => false,
        });
        if layout {
            Vec::new()
        } else {
            v
        }
    }

    /// Reads a note, returns its number.
    fn note(&mut self, n: Node<'_, '_>, call_block: Option<u32>) -> u32 {
        // The numbers taken and the highest are kept as notes are read:
        // looking them up in the notes read so far made a file of many
        // notes quadratic.
        let num = n
            .attribute("n")
            .and_then(|v| v.trim().parse().ok())
            .filter(|v| !self.note_numbers.contains(v))
            .unwrap_or(self.max_note + 1);
        self.note_numbers.insert(num);
        self.max_note = self.max_note.max(num);
        let ps: Vec<Node<'_, '_>> = children(n, "p").collect();
        let read = |x: Node<'_, '_>| {
            if self.exact {
                raw_text(x)
            } else {
                reading_text(x)
            }
        };
        let text = if self.exact {
            let field = format!("note:{num}");
            let mut text = String::new();
            let parts: Vec<Node<'_, '_>> = if ps.is_empty() { vec![n] } else { ps.clone() };
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    text.push_str("\n\n");
                }
                collect_with_names(*p, &mut text, &mut self.note_names, &field);
            }
            text
        } else if ps.is_empty() {
            read(n)
        } else {
            ps.iter().map(|p| read(*p)).collect::<Vec<_>>().join("\n\n")
        };
        let mut archival_refs = Vec::new();
        for b in n
            .descendants()
            .filter(|d| is(*d, "bibl") && d.attribute("type") == Some("archival"))
        {
            if let Some(r) = archival_bibl(b) {
                archival_refs.push(r);
            }
        }
        // fond's cross references: `ref` to another letter's file and
        // note (`edition.26.xml#note-2`) or to a note here.
        let cross_refs = n
            .descendants()
            .filter(|r| is(*r, "ref"))
            .filter_map(|r| {
                let target = r.attribute("target")?;
                let (file, frag) = match target.split_once('#') {
                    Some((f, x)) => (f, Some(x)),
                    None => (target, None),
                };
                let note = frag
                    .and_then(|x| x.strip_prefix("note-"))
                    .and_then(|x| x.parse().ok());
                let letter = file
                    .strip_suffix(".xml")
                    .and_then(|f| f.rsplit('.').next())
                    .and_then(|x| x.parse().ok());
                (note.is_some() || letter.is_some()).then(|| CrossRef {
                    text: read(r),
                    letter,
                    note,
                })
            })
            .collect();
        self.notes.push(Note {
            n: num,
            call: if call_block.is_some() {
                CallForm::Superscript
            } else {
                CallForm::Lost
            },
            call_block,
            text,
            by: self.author(n),
            archival_refs,
            cross_refs,
            special_file: false,
            relocated: false,
            line: self.line(n),
        });
        num
    }
}

/// `bibl type="archival"` as fond writes it: archive, fond, opis, delo,
/// sheets as typed `idno`s; an `Ibid.` as `choice` of the printed form and
/// the resolved one.
fn archival_bibl(b: Node<'_, '_>) -> Option<ArchivalRef> {
    let choice = child(b, "choice");
    let (scope, printed, ibid) = match choice {
        Some(c) => (
            child(c, "reg").unwrap_or(c),
            child(c, "orig").map(reading_text),
            true,
        ),
        None => (b, None, false),
    };
    let typed = |t: &str| {
        scope
            .descendants()
            .find(|n| is(*n, "idno") && n.attribute("type") == Some(t))
            .map(reading_text)
    };
    let archive = scope
        .descendants()
        .find(|n| is(*n, "orgName") && n.attribute("type") == Some("archive"))
        .map(reading_text)?;
    Some(ArchivalRef {
        text: printed.unwrap_or_else(|| reading_text(b)),
        archive,
        fond: typed("fond")?,
        opis: typed("opis"),
        delo: typed("delo"),
        sheets: typed("sheets").map(|s| sheets(&s)),
        ibid,
    })
}

enum BlockRole {
    Block(BlockKind),
    Container(Container),
    Comment,
    Skip,
}

/// How an element of a container reads: a block, a container of blocks,
/// something to leave out, or (`None`) inline content.
fn block_kind(n: Node<'_, '_>, role: Container) -> Option<BlockRole> {
    let name = n.tag_name().name();
    Some(match name {
        "p" | "ab" | "l" | "quote" if role == Container::Postscript => {
            BlockRole::Block(BlockKind::Postscript)
        }
        "p" | "ab" | "l" => BlockRole::Block(BlockKind::Paragraph),
        "head" => BlockRole::Block(BlockKind::Heading),
        "item" => BlockRole::Block(BlockKind::Point {
            label: n.attribute("n").unwrap_or("").to_string(),
        }),
        "dateline" => BlockRole::Block(BlockKind::Dateline),
        "addrLine" => BlockRole::Block(BlockKind::Address),
        "salute" if role == Container::Closer => BlockRole::Block(BlockKind::Closing),
        "salute" => BlockRole::Block(BlockKind::Salutation),
        "signed" => BlockRole::Block(BlockKind::Signature),
        "opener" => BlockRole::Container(Container::Opener),
        "closer" => BlockRole::Container(Container::Closer),
        "postscript" => BlockRole::Container(Container::Postscript),
        "note" if n.attribute("type") == Some("comment") => BlockRole::Comment,
        "div" | "body" | "floatingText" | "list" | "lg" | "address" | "table" | "row" | "cell"
        | "listBibl" | "sp" | "epigraph" | "argument" | "byline" | "docAuthor" | "trailer"
        | "front" | "back" | "group" | "text" => BlockRole::Container(role),
        "fw" | "figure" | "pb" | "cb" | "milestone" | "gap" | "del" | "metamark" => BlockRole::Skip,
        _ => return None,
    })
}

/// Appends text with white space squashed, joining runs of one kind.
fn push_text(out: &mut Vec<Inline>, t: &str, emph: u8) {
    if t.is_empty() {
        return;
    }
    let mut s = String::with_capacity(t.len());
    let mut space = false;
    for c in t.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                s.push(' ');
                space = false;
            }
            s.push(c);
        }
    }
    if space {
        s.push(' ');
    }
    match (out.last_mut(), emph) {
        (Some(Inline::Text { text }), 0) => push_squashed(text, &s),
        (Some(Inline::Emph { level, text }), l) if *level == l => push_squashed(text, &s),
        (_, 0) => out.push(Inline::Text { text: s }),
        (_, l) => out.push(Inline::Emph { level: l, text: s }),
    }
}

/// Appends text as it stands, joining runs of one kind.
fn push_exact(out: &mut Vec<Inline>, t: &str, emph: u8) {
    if t.is_empty() {
        return;
    }
    match (out.last_mut(), emph) {
        (Some(Inline::Text { text }), 0) => text.push_str(t),
        (Some(Inline::Emph { level, text }), l) if *level == l => text.push_str(t),
        (_, 0) => out.push(Inline::Text { text: t.into() }),
        (_, l) => out.push(Inline::Emph {
            level: l,
            text: t.into(),
        }),
    }
}

/// Appends without doubling a space where the two runs meet (text on
/// both sides of a left-out deletion).
fn push_squashed(text: &mut String, s: &str) {
    if text.ends_with(' ') {
        text.push_str(s.strip_prefix(' ').unwrap_or(s));
    } else {
        text.push_str(s);
    }
}

/// Squashes spaces across runs, trims the block's ends and drops empty
/// runs.
fn tidy(v: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(v.len());
    let mut prev_space = true; // at the start, leading space is dropped
    for i in v {
        match i {
            Inline::Text { text } | Inline::Emph { text, level: 0 } => {
                let t = squash_edge(&text, &mut prev_space);
                if !t.is_empty() {
                    if let Some(Inline::Text { text }) = out.last_mut() {
                        text.push_str(&t);
                    } else {
                        out.push(Inline::Text { text: t });
                    }
                }
            }
            Inline::Emph { level, text } => {
                let t = squash_edge(&text, &mut prev_space);
                if !t.is_empty() {
                    out.push(Inline::Emph { level, text: t });
                }
            }
            Inline::LineBreak => {
                // Drop the space before a break: the break is the space.
                if let Some(Inline::Text { text } | Inline::Emph { text, .. }) = out.last_mut() {
                    if text.ends_with(' ') {
                        text.pop();
                    }
                }
                out.push(Inline::LineBreak);
                prev_space = true;
            }
            other => {
                prev_space = false;
                out.push(other);
            }
        }
    }
    // Trailing spaces and breaks at the end of the block.
    loop {
        match out.last_mut() {
            Some(Inline::LineBreak) => {
                out.pop();
            }
            Some(Inline::Text { text } | Inline::Emph { text, .. }) if text.ends_with(' ') => {
                let t = text.trim_end().to_string();
                if t.is_empty() {
                    out.pop();
                } else {
                    *text = t;
                    break;
                }
            }
            _ => break,
        }
    }
    if out.iter().all(|i| matches!(i, Inline::LineBreak)) {
        out.clear();
    }
    out
}

/// Drops a leading space when the previous run ended in one.
fn squash_edge(t: &str, prev_space: &mut bool) -> String {
    let t = if *prev_space { t.trim_start() } else { t };
    if !t.is_empty() {
        *prev_space = t.ends_with(' ');
    }
    t.to_string()
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
    read_with_names(ctx).map(|(p, _)| p)
}

/// Reads one TEI file and the names with `@ref` in it (see [`NameRef`]).
fn read_with_names(ctx: &ReadContext<'_>) -> Result<(Parsed, Vec<NameRef>), IngestError> {
    let doc = parse(ctx.name, ctx.text)?;
    // A CMIF file describes many letters and holds none of their texts.
    if cmif::is_cmif(doc.root_element()) {
        return Ok((cmif::read(ctx, &doc), Vec::new()));
    }
    read_letter(ctx, &doc)
}

/// Reads one parsed TEI letter and the names with `@ref` in it.
fn read_letter(
    ctx: &ReadContext<'_>,
    doc: &roxmltree::Document<'_>,
) -> Result<(Parsed, Vec<NameRef>), IngestError> {
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
        return Ok((parsed, Vec::new()));
    }
    let (corresp, sent_date) = correspondence(h);
    let finding = |kind, line, message: String| Finding {
        kind,
        source: ctx.name.to_string(),
        line,
        document: Some(head.id.clone()),
        message,
    };
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
            Err(why) => parsed.findings.push(finding(
                FindingKind::UnparsedDate,
                doc.text_pos_at(d.range().start).row,
                why,
            )),
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
    let kind = kind_of(root, body);
    // Without a correspDesc (fond writes none for editorial texts), the
    // title statement's authors are the senders.
    let mut corresp = corresp;
    if corresp.senders.is_empty() && corresp.addressees.is_empty() {
        if let Some(t) = h.and_then(|h| path(h, &["fileDesc", "titleStmt"])) {
            corresp.senders = children(t, "author")
                .map(|a| Party {
                    name: reading_text(a),
                    refs: Vec::new(),
                    element: "author".into(),
                    certain: true,
                })
                .filter(|p| !p.name.is_empty())
                .collect();
        }
    }
    let default_author = if let Some((name, _)) = head
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
    };
    let mut br = BodyReader {
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
    };
    if let Some(b) = body {
        br.container(b, Container::Plain);
        // Deletions carry text the reading text leaves out, and gaps mark
        // text missing (shown as `[…]`): both are choices the editor should
        // see. Blank pages are no gap in the text.
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
        if deleted + gaps > 0 {
            parsed.findings.push(finding(
                FindingKind::Other,
                br.lines.line(b.range().start),
                format!(
                    "left out of the reading text: {deleted} deleted passage(s) (<del>); shown as […]: {gaps} gap(s) (<gap>)"
                ),
            ));
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
    // Names: parties by index, then spans of the body text (blocks joined
    // by a blank line, as `Document::body_text` joins them) and the notes.
    let mut names: Vec<NameRef> = Vec::new();
    for (field, parties) in [
        ("sender", &corresp.senders),
        ("addressee", &corresp.addressees),
    ] {
        for (i, p) in parties.iter().enumerate() {
            if !p.refs.is_empty() {
                names.push(NameRef {
                    field: field.into(),
                    start: i,
                    end: i,
                    target: p.refs.join(" "),
                    surface: p.name.clone(),
                    certain: p.certain,
                    element: p.element.clone(),
                });
            }
        }
    }
    let mut offsets = Vec::with_capacity(blocks.len());
    let mut off = 0;
    for b in &blocks {
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
    let mut notes = notes;
    if let Some(r) = &head.archival {
        // The archival location of the letter itself: recorded on a note
        // of its own so that `fond list` and the exports cite it like any
        // reference the editors give.
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
        quoted_in: None,
        quotes: Vec::new(),
        marginalia: head.marginalia.clone(),
        order: 0,
        metadata_only: false,
        online: None,
        corrected: Vec::new(),
    });
    Ok((parsed, names))
}

#[cfg(test)]
#[path = "tei_tests.rs"]
mod tests;
