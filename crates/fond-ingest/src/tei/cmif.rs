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
    let several_editions = bibls.len() > 1;
    let licence = path(
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
    .filter(|t| !t.is_empty());
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
    // Datelines printed only as text take their century from the file's
    // machine-readable dates.
    let years: Vec<i32> = profile
        .descendants()
        .filter(|n| n.has_tag_name("date"))
        .filter_map(|n| {
            n.attribute("when")
                .and_then(|w| w.get(..4))
                .and_then(|y| y.parse().ok())
        })
        .collect();
    let reference_year = years.get(years.len() / 2).copied();
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
        let id = match (key, several_editions, bibl) {
            (Some(key), true, Some(b)) => {
                format!(
                    "{collection}/{}-{}",
                    b.index + 1,
                    fond_text::slug_ascii(key)
                )
            }
            (Some(key), _, _) => format!("{collection}/{}", fond_text::slug_ascii(key)),
            (None, _, _) => format!("{collection}/n{}", k + 1),
        };
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
        if senders.is_empty() {
            parsed.findings.push(finding(
                FindingKind::Other,
                "correspDesc without a sender: kept with its other metadata".into(),
                &id,
            ));
        }
        if addressees.is_empty() {
            parsed.findings.push(finding(
                FindingKind::Other,
                "correspDesc without an addressee: kept with its other metadata".into(),
                &id,
            ));
        }
        if let Some(key) = key {
            if !seen.insert((source.clone(), key.to_string())) {
                parsed.findings.push(finding(
                    FindingKind::Other,
                    format!("the edition #{source} lists key {key} twice: both entries kept, the second under a new id"),
                    &id,
                ));
            }
        }
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
                            parsed.findings.push(finding(
                                FindingKind::UnparsedDate,
                                format!("date \"{printed}\" has no machine-readable value; read from its text as {}", f.date.edtf),
                                &id,
                            ));
                            date.interval = Some(f.date);
                        }
                        None => parsed.findings.push(finding(
                            FindingKind::UnparsedDate,
                            format!("date \"{printed}\" has no machine-readable value and fond cannot read its text: kept as printed"),
                            &id,
                        )),
                    }
                }
                Ok(None) => {}
                Err(why) => {
                    date.editorial = Some(printed.clone()).filter(|p| !p.is_empty());
                    parsed
                        .findings
                        .push(finding(FindingKind::UnparsedDate, why, &id));
                }
            }
        }
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
        let mut label = String::from("metadata only (CMIF)");
        if let Some(b) = bibl {
            label.push_str(": ");
            label.push_str(&b.text);
        }
        if let Some(l) = &licence {
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
