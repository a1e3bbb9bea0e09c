//! CMIF, the Correspondence Metadata Interchange Format of the TEI
//! Correspondence SIG (what correspSearch harvests): one TEI file whose
//! header holds a `correspDesc` per letter — who sent it, where and when,
//! who received it — and a `bibl` per edition the letters are printed in.
//!
//! Decisions, and why:
//!
//! - **Which documents.** Only documents with at least one sender and one
//!   addressee, and never the editors' own texts: CMIF describes acts of
//!   correspondence, and its Schematron requires both a `sent` and a
//!   `received` action. [`Cmif::skipped`] says what was left out and why.
//! - **Dates.** The editors' corrected interval (the model's
//!   `date.interval`), else the author's dateline read as a date; written
//!   with [`crate::tei::dates::interval_attrs`] (`@when`, or
//!   `@notBefore`/`@notAfter`, open on one side for "No earlier than").
//!   An undetermined date is left out, as CMIF asks ("unknown date should
//!   be skipped"), because every `date` must carry a dating attribute
//!   (E0004). The CMIF schema allows only `cert="low"`, so that is written
//!   for approximate dates only; the TEI export keeps the fuller
//!   `@cert`/`@evidence`.
//! - **Letters that came in as CMIF go out as they came.** A
//!   metadata-only letter whose witness is a `correspDesc` of a CMIF file
//!   the archive holds is written back verbatim, with that file's `bibl`
//!   for its `@source` ([`CmifMeta::source_bibls`]): the same parties and
//!   authority URIs, key, dates, places and `@ref` as the edition that
//!   published it, rather than fond's reading of them. An exchange format
//!   round-trips; fond adds nothing it did not read.
//! - **`@ref` on names.** The authority file is built from the edition's
//!   Glossary of Names and has no external identifiers (no VIAF, GND or
//!   Wikidata). Neither the CMIF schema nor its Schematron require `@ref`,
//!   and correspSearch matches people by authority URI, so a made-up URI
//!   would be worse than none. `@ref` is therefore written only when the
//!   caller says where the edition is published ([`CmifMeta::base_url`]):
//!   then it is the person's (or body's) page in the reading room
//!   (`{base}/person/{id}`), a stable fond URI — the same id `fond person`
//!   and the TEI personography use. Otherwise names are plain, as CMIF's
//!   own example does for a person without an authority record.
//! - **`bibl/@xml:id`.** CMIF recommends a static UUID (W0001) beginning
//!   with a letter (an `xml:id` is an NCName). fond derives it from the
//!   edition's identity ([`stable_uuid`]), so it never changes between
//!   exports and needs no registry of ids.
//! - **`correspDesc/@key`** is the letter's number in the print edition;
//!   `@ref` is the document's page in the reading room when a base URL is
//!   given.

use crate::tei::dates::interval_attrs;
use crate::tei::{PrintEdition, TEI_NS};
use crate::xml::XmlWriter;
use crate::{EntityKind, Field, Mention};
use fond_model::{DocKind, Document, HistDate, Qualifier, Source};
use std::collections::BTreeMap;

/// What the header says about the CMIF file itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmifMeta {
    /// `titleStmt/title`.
    pub title: String,
    /// `titleStmt/editor` (at least one is required; the editors of the
    /// print editions are used when this is empty).
    pub editors: Vec<String>,
    /// `publicationStmt/publisher`.
    pub publisher: String,
    /// `publicationStmt/idno[@type='url']`: where the CMIF file is (or
    /// will be) published.
    pub url: String,
    /// `publicationStmt/date/@when`: the day of the export (`YYYY-MM-DD`).
    pub date: String,
    /// `availability/licence/@target`.
    pub licence_target: String,
    /// `availability/licence` text.
    pub licence: String,
    /// Where the edition is published (the reading room), without a
    /// trailing slash; names and letters get `@ref`s into it when set.
    pub base_url: Option<String>,
    /// The `bibl`s of the CMIF files the archive holds: letters imported
    /// from them are written back verbatim, citing these.
    pub source_bibls: Vec<SourceBibl>,
    /// Make the letters written back verbatim conform to
    /// `cmi-customization.rng` (see [`conform`]); off, they go out exactly
    /// as their publishers wrote them.
    pub conform: bool,
}

impl CmifMeta {
    /// The header fond writes by default: CC BY 4.0 on the metadata (CMIF
    /// aggregators require an open licence for the correspondence
    /// metadata; the texts keep their own rights and are not in the file).
    pub fn new(url: &str, date: &str) -> CmifMeta {
        CmifMeta {
            title: "Correspondence metadata of the fond edition".into(),
            editors: Vec::new(),
            publisher: "fond".into(),
            url: url.into(),
            date: date.into(),
            licence_target: "https://creativecommons.org/licenses/by/4.0/".into(),
            licence: "The correspondence metadata in this file is licensed under the terms of \
                      the Creative Commons Licence CC BY 4.0. The texts of the letters are not \
                      part of it."
                .into(),
            base_url: None,
            source_bibls: Vec::new(),
            conform: false,
        }
    }
}

/// A `bibl` of a CMIF file the archive holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceBibl {
    /// The source file's name in the archive.
    pub file: String,
    /// Its `xml:id`.
    pub id: String,
    /// The element as the file writes it.
    pub xml: String,
}

/// The `correspDesc` a letter was imported from, verbatim, and the `bibl`
/// of its file it cites: the first witness that holds exactly one such
/// element whose `@source` names a `bibl` of that file. A letter known by
/// its metadata has it as its only witness; a letter held in full has it
/// when a catalogue entry was joined to it.
fn imported_corresp_desc<'d, 'b>(
    d: &'d Document,
    bibls: &'b [SourceBibl],
) -> Option<(&'d str, &'b SourceBibl)> {
    d.witnesses
        .iter()
        .find_map(|w| corresp_desc_of(&w.source, w.text.trim(), bibls))
}

fn corresp_desc_of<'d, 'b>(
    source: &str,
    text: &'d str,
    bibls: &'b [SourceBibl],
) -> Option<(&'d str, &'b SourceBibl)> {
    if !text.starts_with("<correspDesc") || !text.ends_with("</correspDesc>") {
        return None;
    }
    // One element, not two run together on a line span.
    if text.matches("<correspDesc").count() != 1 {
        return None;
    }
    let open_end = text.find('>')?;
    let open = &text[..open_end];
    // The attribute itself, not one whose name ends in it (`resource=`).
    let at = open
        .match_indices("source=")
        .map(|(i, _)| i)
        .find(|&i| open[..i].ends_with(char::is_whitespace))?;
    let rest = &open[at + "source=".len()..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = rest[1..].split(quote).next()?;
    let id = value.trim().trim_start_matches('#');
    let bibl = bibls.iter().find(|b| b.file == source && b.id == id)?;
    Some((text, bibl))
}

/// What making imported letters conform changed, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Conformed {
    /// `@sameAs` attributes left out.
    pub same_as: usize,
    /// `@cert` values other than `low` written `low` (`medium`, `unknown`).
    pub cert_low: usize,
    /// `@cert="high"` left out (certain is the default).
    pub cert_high: usize,
}

/// A `correspDesc` as it came, changed only where `cmi-customization.rng`
/// forbids what its publisher wrote: `@sameAs` (not an attribute of the
/// CMIF elements) is left out; `@cert` may only be `low`, so `high` is
/// left out and any other value (`medium`, `unknown`) becomes `low`.
/// Everything else — text, other attributes, layout — is kept byte for
/// byte.
pub fn conform(xml: &str, counts: &mut Conformed) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let Some(gt) = tag_end(rest) else {
            break;
        };
        let tag = &rest[..=gt];
        rest = &rest[gt + 1..];
        if tag.starts_with("</") || tag.starts_with("<!") || tag.starts_with("<?") {
            out.push_str(tag);
            continue;
        }
        out.push_str(&conform_tag(tag, counts));
    }
    out.push_str(rest);
    out
}

/// The index of the `>` that ends the tag `s` starts with, quotes
/// respected.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// One start tag with its forbidden attributes changed; a tag it cannot
/// read as `<name attr="value" …>` is kept as it is from there on.
fn conform_tag(tag: &str, counts: &mut Conformed) -> String {
    let ends_name = |c: char| c.is_whitespace() || c == '/' || c == '>' || c == '=';
    let name_end = tag[1..].find(ends_name).map_or(tag.len(), |k| k + 1);
    let mut out = String::with_capacity(tag.len());
    out.push_str(&tag[..name_end]);
    let mut rest = &tag[name_end..];
    loop {
        let attr = rest.trim_start();
        let space = &rest[..rest.len() - attr.len()];
        let n = attr.find(ends_name).unwrap_or(attr.len());
        let value = attr[n..]
            .trim_start()
            .strip_prefix('=')
            .map(str::trim_start)
            .and_then(|v| {
                let q = v.chars().next().filter(|c| *c == '"' || *c == '\'')?;
                let close = v[1..].find(q)?;
                Some((q, &v[1..1 + close], v.len() - close - 2))
            });
        let Some((q, value, left)) = value.filter(|_| n > 0) else {
            // The tag's end (`>`, `/>`), or something not an attribute.
            out.push_str(rest);
            return out;
        };
        let whole = &rest[..rest.len() - left];
        match &attr[..n] {
            "sameAs" => counts.same_as += 1,
            "cert" if value == "high" => counts.cert_high += 1,
            "cert" if value != "low" => {
                counts.cert_low += 1;
                out.push_str(space);
                out.push_str(&format!("cert={q}low{q}"));
            }
            _ => out.push_str(whole),
        }
        rest = &rest[rest.len() - left..];
    }
}

/// Why a document is not in the CMIF file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipReason {
    /// Introductions, front and back matter: not correspondence.
    EditorialText,
    /// No sender recorded.
    NoSender,
    /// No addressee recorded.
    NoAddressee,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::EditorialText => "editorial text, not correspondence",
            SkipReason::NoSender => "no sender recorded",
            SkipReason::NoAddressee => "no addressee recorded",
        }
    }
}

/// A CMIF file and what it left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Cmif {
    pub xml: String,
    /// What [`CmifMeta::conform`] changed in the letters written back.
    pub conformed: Conformed,
    /// Documents described.
    pub described: usize,
    /// Documents without a dating attribute (date undetermined).
    pub undated: usize,
    /// Documents left out, with why, in edition order.
    pub skipped: Vec<(String, SkipReason)>,
}

impl Cmif {
    /// How many documents were left out for each reason.
    pub fn skipped_by_reason(&self) -> BTreeMap<SkipReason, usize> {
        let mut m = BTreeMap::new();
        for (_, r) in &self.skipped {
            *m.entry(*r).or_insert(0) += 1;
        }
        m
    }
}

/// Whether a document belongs in CMIF, and if not, why.
pub fn skip_reason(doc: &Document) -> Option<SkipReason> {
    if doc.kind == DocKind::EditorialText {
        Some(SkipReason::EditorialText)
    } else if doc.senders.is_empty() {
        Some(SkipReason::NoSender)
    } else if doc.addressees.is_empty() {
        Some(SkipReason::NoAddressee)
    } else {
        None
    }
}

/// A UUID that depends only on `name`: two FNV-1a 64-bit hashes with
/// different offsets give 128 bits, marked as RFC 9562 version 8
/// (vendor-defined) with the RFC variant. The first hex digit is forced
/// into `a`–`f` so the UUID is a valid `xml:id`, as the CMIF schema asks.
/// Not cryptographic; it only has to be stable and distinct per edition.
pub fn stable_uuid(name: &str) -> String {
    fn fnv(seed: u64, s: &str) -> u64 {
        let mut h = seed;
        for b in s.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h
    }
    let hi = fnv(0xcbf2_9ce4_8422_2325, name);
    let lo = fnv(0x6c62_272e_07bb_0142, name);
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&hi.to_be_bytes());
    b[8..].copy_from_slice(&lo.to_be_bytes());
    b[0] = (0xa + (b[0] >> 4) % 6) << 4 | (b[0] & 0x0f);
    b[6] = 0x80 | (b[6] & 0x0f);
    b[8] = 0x80 | (b[8] & 0x3f);
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// One `bibl` of `sourceDesc`: an edition the described letters are in.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Bibl {
    id: String,
    /// `print` or `online` (the values the CMIF schema allows, beside
    /// `hybrid`).
    kind: &'static str,
    text: String,
}

fn print_bibl(e: &PrintEdition) -> Bibl {
    let mut text = format!("{}, ed. {}", e.title, e.editors.join(", "));
    if let Some(t) = &e.translator {
        text.push_str(&format!(", trans. {t}"));
    }
    text.push_str(&format!(". {}: {}, {}", e.place, e.publisher, e.year));
    if let Some(s) = &e.series {
        text.push_str(&format!(" ({s})"));
    }
    text.push('.');
    Bibl {
        id: stable_uuid(&format!("fond:print-edition:{}", e.title)),
        kind: "print",
        text,
    }
}

fn online_bibl(s: &Source) -> Bibl {
    Bibl {
        id: stable_uuid(&format!("fond:online-source:{}", s.name)),
        kind: "online",
        text: format!("{} (web transcription, {})", s.title, s.name),
    }
}

/// The CMIF file of `docs`. `sources` are the archive's sources (for the
/// `bibl` of documents no print edition holds); `editions` the print
/// editions fond knows; `mentions` supply the parties' authority ids.
pub fn cmif(
    docs: &[Document],
    sources: &[Source],
    editions: &[PrintEdition],
    mentions: &[Mention],
    meta: &CmifMeta,
) -> Cmif {
    let sources: BTreeMap<&str, &Source> = sources.iter().map(|s| (s.name.as_str(), s)).collect();
    // The parties' resolved entities, by document, field and index.
    let mut parties: Parties<'_> = BTreeMap::new();
    for m in mentions {
        if matches!(m.field, Field::Sender | Field::Addressee) {
            parties
                .entry((m.doc_id.as_str(), m.field, m.start))
                .or_insert((m.entity.kind(), m.entity.id(), m.resolved));
        }
    }
    let mut skipped = Vec::new();
    let mut described: Vec<(&Document, usize)> = Vec::new();
    // Letters written back as they came, and the source bibls they cite
    // (each written once, in the order first cited).
    let mut verbatim: Vec<&str> = Vec::new();
    let mut cited_bibls: Vec<&SourceBibl> = Vec::new();
    let mut bibls: Vec<Bibl> = Vec::new();
    let mut bibl_of = |b: Bibl| -> usize {
        match bibls.iter().position(|x| x.id == b.id) {
            Some(i) => i,
            None => {
                bibls.push(b);
                bibls.len() - 1
            }
        }
    };
    for d in docs {
        if let Some((xml, bibl)) = imported_corresp_desc(d, &meta.source_bibls) {
            // Two files may give one id to different editions: only the
            // first keeps it; the other's letters are described afresh.
            let clash = cited_bibls
                .iter()
                .any(|b| b.id == bibl.id && b.xml != bibl.xml);
            if !clash {
                if !cited_bibls.iter().any(|b| b.id == bibl.id) {
                    cited_bibls.push(bibl);
                }
                verbatim.push(xml);
                continue;
            }
        }
        if let Some(r) = skip_reason(d) {
            skipped.push((d.id.clone(), r));
            continue;
        }
        let edition = editions.iter().find(|e| e.collection == d.collection);
        // A document of a print edition cites the edition; otherwise its
        // first witness, a web transcription.
        let bibl = match edition {
            Some(e) => print_bibl(e),
            None => match d
                .witnesses
                .first()
                .and_then(|w| sources.get(w.source.as_str()))
            {
                Some(s) => online_bibl(s),
                None => Bibl {
                    id: stable_uuid(&format!("fond:collection:{}", d.collection)),
                    kind: "online",
                    text: format!("fond collection {}", d.collection),
                },
            },
        };
        described.push((d, bibl_of(bibl)));
    }

    let mut w = XmlWriter::with_capacity(4096 + described.len() * 700);
    w.block("TEI", &[("xmlns", TEI_NS)]);
    write_header(&mut w, meta, editions, &cited_bibls, &mut bibls);
    w.block("profileDesc", &[]);
    let mut conformed = Conformed::default();
    for xml in &verbatim {
        if meta.conform {
            w.raw_block(&conform(xml, &mut conformed));
        } else {
            w.raw_block(xml);
        }
    }
    let mut undated = 0;
    for (d, bi) in &described {
        let source = format!("#{}", bibls[*bi].id);
        if !write_corresp_desc(&mut w, d, &source, &parties, meta) {
            undated += 1;
        }
    }
    w.close();
    w.close();
    // CMIF carries no text; the schema asks for a body with an empty p.
    w.block("text", &[]);
    w.block("body", &[]);
    w.empty_block("p", &[]);
    w.close();
    w.close();
    Cmif {
        xml: w.finish(),
        conformed,
        described: described.len() + verbatim.len(),
        undated,
        skipped,
    }
}

/// The `teiHeader` up to `profileDesc`: title, editors (the file's, else
/// the editions', else the publisher, as the schema needs one),
/// publication, licence, and every `bibl` the letters cite.
fn write_header(
    w: &mut XmlWriter,
    meta: &CmifMeta,
    editions: &[PrintEdition],
    cited_bibls: &[&SourceBibl],
    bibls: &mut Vec<Bibl>,
) {
    w.block("teiHeader", &[]);
    w.block("fileDesc", &[]);
    w.block("titleStmt", &[]);
    w.leaf("title", &[], &meta.title);
    let mut editors = meta.editors.clone();
    if editors.is_empty() {
        for e in editions {
            for ed in &e.editors {
                if !editors.contains(ed) {
                    editors.push(ed.clone());
                }
            }
        }
    }
    if editors.is_empty() {
        // The schema needs one; the publisher is responsible then.
        editors.push(meta.publisher.clone());
    }
    for e in &editors {
        w.leaf("editor", &[], e);
    }
    w.close();
    w.block("publicationStmt", &[]);
    w.leaf("publisher", &[], &meta.publisher);
    w.leaf("idno", &[("type", "url")], &meta.url);
    w.empty_block("date", &[("when", &meta.date)]);
    w.block("availability", &[]);
    w.leaf(
        "licence",
        &[("target", &meta.licence_target)],
        &meta.licence,
    );
    w.close();
    w.close();
    w.block("sourceDesc", &[]);
    for b in cited_bibls {
        w.raw_block(&b.xml);
    }
    if bibls.is_empty() && cited_bibls.is_empty() {
        // The schema needs a bibl even when nothing is described.
        bibls.push(Bibl {
            id: stable_uuid("fond:empty"),
            kind: "online",
            text: "fond archive (no correspondence described)".into(),
        });
    }
    for b in bibls.iter() {
        w.leaf("bibl", &[("type", b.kind), ("xml:id", &b.id)], &b.text);
    }
    w.close();
    w.close();
}

/// The parties' resolved entities, by document, field and index.
type Parties<'m> = BTreeMap<(&'m str, Field, usize), (EntityKind, &'m str, bool)>;

/// One letter fond describes: a `correspDesc` citing `source`, both
/// sides, the place and date of sending. False when it has no date to
/// give.
fn write_corresp_desc(
    w: &mut XmlWriter,
    d: &Document,
    source: &str,
    parties: &Parties<'_>,
    meta: &CmifMeta,
) -> bool {
    let mut dated = true;
    let key = d.number.map(|n| n.to_string());
    let doc_ref = meta.base_url.as_ref().map(|b| format!("{b}/doc/{}", d.id));
    let mut attrs: Vec<(&str, &str)> = Vec::new();
    if let Some(k) = &key {
        attrs.push(("key", k));
    }
    if let Some(r) = &doc_ref {
        attrs.push(("ref", r));
    }
    attrs.push(("source", source));
    w.block("correspDesc", &attrs);
    for (kind, field, names) in [
        ("sent", Field::Sender, &d.senders),
        ("received", Field::Addressee, &d.addressees),
    ] {
        w.block("correspAction", &[("type", kind)]);
        for (i, name) in names.iter().enumerate() {
            let party = parties.get(&(d.id.as_str(), field, i)).copied();
            let element = match party {
                Some((EntityKind::Person, _, _)) | None => "persName",
                Some(_) => "orgName",
            };
            let r = match (party, &meta.base_url) {
                (Some((EntityKind::Person, id, true)), Some(b)) => Some(format!("{b}/person/{id}")),
                (Some((EntityKind::Body, id, true)), Some(b)) => Some(format!("{b}/body/{id}")),
                _ => None,
            };
            match &r {
                Some(r) => w.leaf(element, &[("ref", r)], name),
                None => w.leaf(element, &[], name),
            }
        }
        if field == Field::Sender {
            if let Some(p) = &d.place {
                w.leaf("placeName", &[], p);
            }
            match dating(d) {
                Some(h) => {
                    let mut attrs = interval_attrs(h);
                    if h.qualifier == Qualifier::Approximate {
                        attrs.push(("cert", "low".into()));
                    }
                    let attrs: Vec<(&str, &str)> =
                        attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    w.leaf("date", &attrs, &h.text);
                }
                None => dated = false,
            }
        }
        w.close();
    }
    w.close();
    dated
}

/// The interval to date a letter by: the editors' corrected date, else
/// the author's dateline, whichever has at least one known end.
fn dating(d: &Document) -> Option<&HistDate> {
    let known = |h: &&HistDate| h.earliest.is_some() || h.latest.is_some();
    d.date
        .interval
        .as_ref()
        .filter(known)
        .or(d.date.written_interval.as_ref().filter(known))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conforming_changes_only_what_the_schema_forbids() {
        let xml = "<correspDesc source=\"#b\" key=\"1\" sameAs=\"x\">\n  <correspAction type='sent'>\n    <persName ref=\"https://d-nb.info/gnd/1\" cert=\"medium\" evidence=\"conjecture\">A, B</persName>\n    <date when=\"1906-05-08\" cert=\"high\"/>\n    <placeName cert=\"low\">Wien &gt; Baden</placeName>\n  </correspAction>\n</correspDesc>";
        let mut c = Conformed::default();
        let out = conform(xml, &mut c);
        assert_eq!(
            out,
            "<correspDesc source=\"#b\" key=\"1\">\n  <correspAction type='sent'>\n    <persName ref=\"https://d-nb.info/gnd/1\" cert=\"low\" evidence=\"conjecture\">A, B</persName>\n    <date when=\"1906-05-08\"/>\n    <placeName cert=\"low\">Wien &gt; Baden</placeName>\n  </correspAction>\n</correspDesc>"
        );
        assert_eq!(
            c,
            Conformed {
                same_as: 1,
                cert_low: 1,
                cert_high: 1
            }
        );
        // Nothing to change: the same bytes.
        let mut c = Conformed::default();
        assert_eq!(conform(&out, &mut c), out);
        assert_eq!(c, Conformed::default());
    }

    #[test]
    fn uuids_are_stable_versioned_and_valid_ids() {
        let a = stable_uuid("fond:print-edition:Stalin's Letters to Molotov, 1925–1936");
        assert_eq!(
            a,
            stable_uuid("fond:print-edition:Stalin's Letters to Molotov, 1925–1936")
        );
        assert_eq!(a.len(), 36);
        assert!(matches!(a.as_bytes()[0], b'a'..=b'f'));
        assert_eq!(&a[14..15], "8");
        assert!(matches!(a.as_bytes()[19], b'8'..=b'9' | b'a'..=b'b'));
        assert_ne!(a, stable_uuid("fond:online-source:x"));
    }

    #[test]
    fn an_empty_archive_still_makes_a_complete_header() {
        let out = cmif(
            &[],
            &[],
            &[],
            &[],
            &CmifMeta::new("file:///x.xml", "2026-01-01"),
        );
        assert_eq!(out.described, 0);
        // titleStmt needs an editor, sourceDesc a bibl, even with no letters.
        assert!(out.xml.contains("<editor>fond</editor>"));
        assert!(out.xml.contains("<bibl type=\"online\" xml:id=\""));
        assert!(out.xml.contains("<date when=\"2026-01-01\"/>"));
    }

    fn imported(id: &str, file: &str, corresp: &str) -> Document {
        Document {
            senders: vec!["A".into()],
            addressees: vec!["B".into()],
            witnesses: vec![fond_model::Witness {
                source: file.into(),
                first_line: 1,
                last_line: 1,
                label: String::new(),
                text: corresp.into(),
                markup: fond_model::Markup::Plain,
            }],
            metadata_only: true,
            ..Document::new(id, "c", fond_model::DocKind::Letter)
        }
    }

    #[test]
    fn imported_letters_go_out_verbatim_citing_their_own_files_bibl() {
        let one = r##"<correspDesc key="1" resource="#no" source="#e"><correspAction type="sent"><persName ref="https://d-nb.info/gnd/1">A</persName></correspAction></correspDesc>"##;
        let two = r##"<correspDesc source="#e"><correspAction type="sent"><persName>A</persName></correspAction></correspDesc>"##;
        let mut meta = CmifMeta::new("file:///x.xml", "2026-01-01");
        meta.source_bibls = vec![
            SourceBibl {
                file: "one.xml".into(),
                id: "e".into(),
                xml: r#"<bibl type="print" xml:id="e">Edition one</bibl>"#.into(),
            },
            SourceBibl {
                file: "two.xml".into(),
                id: "e".into(),
                xml: r#"<bibl type="print" xml:id="e">Edition two</bibl>"#.into(),
            },
        ];
        let docs = [
            imported("c/1", "one.xml", one),
            imported("c/2", "two.xml", two),
        ];
        let out = cmif(&docs, &[], &[], &[], &meta);
        assert_eq!(out.described, 2);
        // The first file's letter and bibl, as written.
        assert!(out.xml.contains(one), "{}", out.xml);
        assert!(out.xml.contains("Edition one"));
        // The second file gives the same id to another edition: its letter
        // is described afresh, never made to cite edition one.
        assert!(!out.xml.contains(two), "{}", out.xml);
        assert!(!out.xml.contains("Edition two"));
    }
}
