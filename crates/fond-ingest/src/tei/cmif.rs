//! CMIF (Correspondence Metadata Interchange Format): the field's union
//! catalogue of letters. A CMIF file is a TEI file whose `profileDesc`
//! holds one `correspDesc` per letter and whose text is empty; each
//! `correspDesc` becomes one document known by its metadata only —
//! senders and addressees (with their authority URIs kept in the witness
//! description for the linking stage), the place sent from, the date as an
//! interval, the edition that holds the letter (`@source` → the file's
//! `bibl`), its number there (`@key`) and where its text is online
//! (`@ref`).
//!
//! Nothing is dropped in silence: a `correspDesc` without a sender or an
//! addressee, a date fond can only read from its text or not at all, and a
//! (source, key) pair that occurs twice are findings; every entry still
//! becomes a document.

use super::{children, hist_date, parties, party_refs, path, reading_text, Party};
use crate::plain::datefind::{self, DateContext};
use crate::{Parsed, ReadContext};
use fond_model::authority::MentionField;
use fond_model::{DocDate, DocKind, Document, Finding, FindingKind, Witness};
use roxmltree::Node;
use std::collections::{HashMap, HashSet};

/// Whether a TEI file is a CMIF file: correspondence descriptions in its
/// header and no text of its own (or more than one letter described).
pub(crate) fn is_cmif(root: Node<'_, '_>) -> bool {
    let Some(profile) = path(root, &["teiHeader", "profileDesc"]) else {
        return false;
    };
    let described = children(profile, "correspDesc").count();
    if described == 0 {
        return false;
    }
    let body_text = path(root, &["text", "body"]).map_or(String::new(), reading_text);
    described > 1 || body_text.trim().is_empty()
}

struct Bibl {
    text: String,
    index: usize,
}

fn names(ps: &[Party]) -> Vec<String> {
    ps.iter().map(|p| p.name.clone()).collect()
}

pub(crate) fn read(ctx: &ReadContext<'_>, doc: &roxmltree::Document<'_>) -> Parsed {
    let root = doc.root_element();
    let title = path(root, &["teiHeader", "fileDesc", "titleStmt", "title"])
        .map(reading_text)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| ctx.name.to_string());
    let collection = ctx.collection_for(&fond_text::slug_ascii(&title));
    let bibls = file_bibls(root);
    let several_editions = bibls.len() > 1;
    let licence = file_licence(root);
    let mut parsed = Parsed {
        title: title.clone(),
        ..Parsed::default()
    };
    let Some(profile) = path(root, &["teiHeader", "profileDesc"]) else {
        return parsed;
    };
    // Line numbers from a table of line starts: `text_pos_at` counts from
    // the file's start each time, which would make thousands of entries
    // cost the square of the file.
    let starts: Vec<usize> = std::iter::once(0)
        .chain(ctx.text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |pos: usize| starts.partition_point(|&s| s <= pos) as u32;
    let mut seen: HashSet<(String, String)> = HashSet::new();
    let lines: Vec<&str> = ctx.text.lines().collect();
    let reference_year = reference_year(profile);
    for (k, cd) in children(profile, "correspDesc").enumerate() {
        let first = line_of(cd.range().start);
        let last = line_of(cd.range().end.saturating_sub(1));
        let finding = |kind, message: String, id: &str| Finding {
            kind,
            source: ctx.name.to_string(),
            line: first,
            document: Some(id.to_string()),
            message,
        };
        let key = cd.attribute("key").map(str::trim).filter(|k| !k.is_empty());
        let source = cd
            .attribute("source")
            .map(|s| s.trim().trim_start_matches('#').to_string())
            .unwrap_or_default();
        let bibl = bibls.get(&source);
        let id = entry_id(&collection, key, several_editions, bibl, k);
        let Sides {
            senders,
            addressees,
            name_refs,
            place,
            sent_date,
        } = sides(cd);
        let mut what = Vec::new();
        if senders.is_empty() {
            what.push("correspDesc without a sender: kept with its other metadata".to_string());
        }
        if addressees.is_empty() {
            what.push("correspDesc without an addressee: kept with its other metadata".to_string());
        }
        if let Some(key) = key.filter(|k| !seen.insert((source.clone(), k.to_string()))) {
            what.push(format!("the edition #{source} lists key {key} twice: both entries kept, the second under a new id"));
        }
        for message in what {
            parsed
                .findings
                .push(finding(FindingKind::Other, message, &id));
        }
        let date = entry_date(sent_date, reference_year, &mut |kind, message| {
            parsed.findings.push(finding(kind, message, &id))
        });
        let when = date
            .editorial
            .clone()
            .or_else(|| date.interval.as_ref().map(|i| i.edtf.clone()))
            .unwrap_or_else(|| "undated".into());
        let who = |ps: &[Party]| {
            if ps.is_empty() {
                "?".to_string()
            } else {
                names(ps).join(", ")
            }
        };
        let label = entry_label(bibl, licence.as_deref(), &senders, &addressees);
        parsed.documents.push(Document {
            id,
            kind: DocKind::Letter,
            collection: collection.clone(),
            number: key
                .filter(|_| !several_editions)
                .and_then(|k| k.parse().ok()),
            chapter: None,
            title: format!("{} → {}, {when}", who(&senders), who(&addressees)),
            date,
            place,
            senders: names(&senders),
            addressees: names(&addressees),
            body: Vec::new(),
            notes: Vec::new(),
            witnesses: vec![Witness {
                source: ctx.name.to_string(),
                first_line: first,
                last_line: last,
                label,
                text: lines
                    .get(first as usize - 1..(last as usize).min(lines.len()))
                    .map(|l| l.join("\n"))
                    .unwrap_or_default(),
                markup: fond_model::Markup::Plain,
            }],
            marginalia: Vec::new(),
            order: k as u32,
            metadata_only: true,
            online: cd.attribute("ref").map(str::to_string),
            name_refs,
            ..Document::new("", "", DocKind::Letter)
        });
    }
    parsed
}

/// The year in the middle of the file's machine-readable dates: datelines
/// printed only as text take their century from it.
fn reference_year(profile: Node<'_, '_>) -> Option<i32> {
    let years: Vec<i32> = profile
        .descendants()
        .filter(|n| n.has_tag_name("date"))
        .filter_map(|n| {
            n.attribute("when")
                .and_then(|w| w.get(..4))
                .and_then(|y| y.parse().ok())
        })
        .collect();
    years.get(years.len() / 2).copied()
}

/// An entry's id: its key in its collection (with the edition's place when
/// the file cites several, whose keys restart), else its place in the
/// file.
fn entry_id(
    collection: &str,
    key: Option<&str>,
    several_editions: bool,
    bibl: Option<&Bibl>,
    k: usize,
) -> String {
    match (key, several_editions, bibl) {
        (Some(key), true, Some(b)) => {
            format!(
                "{collection}/{}-{}",
                b.index + 1,
                fond_text::slug_ascii(key)
            )
        }
        (Some(key), _, _) => format!("{collection}/{}", fond_text::slug_ascii(key)),
        (None, _, _) => format!("{collection}/n{}", k + 1),
    }
}

/// The editions a CMIF file cites, by `xml:id`, with their text and place.
fn file_bibls(root: Node<'_, '_>) -> HashMap<String, Bibl> {
    let mut bibls: HashMap<String, Bibl> = HashMap::new();
    if let Some(sd) = path(root, &["teiHeader", "fileDesc", "sourceDesc"]) {
        for (index, b) in children(sd, "bibl").enumerate() {
            if let Some(id) = b.attribute(("http://www.w3.org/XML/1998/namespace", "id")) {
                bibls.insert(
                    id.to_string(),
                    Bibl {
                        text: reading_text(b),
                        index,
                    },
                );
            }
        }
    }
    bibls
}

/// The file's licence, with its URL where the text does not give it.
fn file_licence(root: Node<'_, '_>) -> Option<String> {
    path(
        root,
        &[
            "teiHeader",
            "fileDesc",
            "publicationStmt",
            "availability",
            "licence",
        ],
    )
    .map(|l| {
        let t = reading_text(l);
        match l.attribute("target") {
            Some(u) if !t.contains(u) => format!("{t} ({u})"),
            _ => t,
        }
    })
    .filter(|t| !t.is_empty())
}

/// The two sides of a `correspDesc`: parties (with their URIs as the
/// model's name references, indexed in their lists), the place and the
/// date element of sending.
struct Sides<'a, 'i> {
    senders: Vec<Party>,
    addressees: Vec<Party>,
    name_refs: Vec<fond_model::authority::NameRef>,
    place: Option<String>,
    sent_date: Option<Node<'a, 'i>>,
}

fn sides<'a, 'i>(cd: Node<'a, 'i>) -> Sides<'a, 'i> {
    let mut senders = Vec::new();
    let mut addressees = Vec::new();
    let mut name_refs = Vec::new();
    let mut place = None;
    let mut sent_date = None;
    for action in children(cd, "correspAction") {
        match action.attribute("type") {
            Some("sent") => {
                let these = parties(action);
                name_refs.extend(party_refs(MentionField::Sender, &these, senders.len()));
                senders.extend(these);
                if place.is_none() {
                    place = children(action, "placeName")
                        .map(reading_text)
                        .find(|p| !p.is_empty());
                }
                if sent_date.is_none() {
                    sent_date = children(action, "date").next();
                }
            }
            Some("received") => {
                let these = parties(action);
                name_refs.extend(party_refs(
                    MentionField::Addressee,
                    &these,
                    addressees.len(),
                ));
                addressees.extend(these);
            }
            _ => {}
        }
    }
    Sides {
        senders,
        addressees,
        name_refs,
        place,
        sent_date,
    }
}

/// The date of sending: the attributes, else the printed date read from
/// its text (its century from the file's other dates), either way a
/// finding when not machine-readable; kept as printed when unreadable.
fn entry_date(
    sent_date: Option<Node<'_, '_>>,
    reference_year: Option<i32>,
    report: &mut dyn FnMut(FindingKind, String),
) -> DocDate {
    let mut date = DocDate::default();
    if let Some(d) = sent_date {
        let printed = reading_text(d);
        match hist_date(d, &printed) {
            Ok(Some(h)) => {
                date.editorial = Some(h.text.clone());
                date.interval = Some(h);
            }
            Ok(None) if !printed.is_empty() => {
                date.editorial = Some(printed.clone());
                let dctx = DateContext {
                    reference_year,
                    ..DateContext::default()
                };
                match datefind::find(&printed, &dctx).filter(|f| f.year_printed) {
                    Some(f) => {
                        report(
                            FindingKind::UnparsedDate,
                            format!("date \"{printed}\" has no machine-readable value; read from its text as {}", f.date.edtf),
                        );
                        date.interval = Some(f.date);
                    }
                    None => report(
                        FindingKind::UnparsedDate,
                        format!("date \"{printed}\" has no machine-readable value and fond cannot read its text: kept as printed"),
                    ),
                }
            }
            Ok(None) => {}
            Err(why) => {
                date.editorial = Some(printed.clone()).filter(|p| !p.is_empty());
                report(FindingKind::UnparsedDate, why);
            }
        }
    }
    date
}

/// The witness's label: metadata only, the edition cited, the licence,
/// the parties' URIs.
fn entry_label(
    bibl: Option<&Bibl>,
    licence: Option<&str>,
    senders: &[Party],
    addressees: &[Party],
) -> String {
    let mut label = String::from("metadata only (CMIF)");
    if let Some(b) = bibl {
        label.push_str(": ");
        label.push_str(&b.text);
    }
    if let Some(l) = licence {
        label.push_str(" · ");
        label.push_str(l);
    }
    let refs: Vec<String> = senders
        .iter()
        .chain(addressees.iter())
        .flat_map(|p| p.refs.iter().map(move |r| format!("{} = {r}", p.name)))
        .collect();
    if !refs.is_empty() {
        label.push_str(" · ");
        label.push_str(&refs.join("; "));
    }
    label
}
