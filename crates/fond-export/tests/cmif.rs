//! The CMIF export: the whole corpus valid against the CMIF schema (jing)
//! and every rule of its Schematron (`cmif.sch`), each rule's checker
//! shown to fail on a document that breaks it, and the writer's logic on
//! small hand-written letters (interval and missing dates, hostile text).
//!
//! There is no Schematron processor at hand, so each rule of
//! `../shared/schemas/cmif/cmif.sch` is written out below over a small
//! XML tree, named by its id and message.

mod common;

use common::{corpus, jing_available, scratch};
use fond_export::cmif::{cmif, CmifMeta, SkipReason};
use fond_export::tei::TeiContext;
use fond_model::{
    Block, BlockKind, Day, DocDate, DocKind, Document, HistDate, Inline, Precision, Qualifier,
    Witness,
};

// ---------------------------------------------------------------------
// A minimal XML reader: elements, attributes, text, entities. Enough for
// the files the writer produces and for the rules below; it rejects what
// it does not understand rather than guess.

#[derive(Debug, Clone)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

#[derive(Debug, Clone)]
enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// Every element below this one (and itself), in document order.
    fn descendants(&self) -> Vec<&Element> {
        let mut out = vec![self];
        for c in self.elements() {
            out.extend(c.descendants());
        }
        out
    }

    fn text(&self) -> String {
        let mut s = String::new();
        for c in &self.children {
            match c {
                Node::Text(t) => s.push_str(t),
                Node::Element(e) => s.push_str(&e.text()),
            }
        }
        s
    }
}

fn unescape(s: &str) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after.find(';').ok_or("unterminated entity")?;
        let name = &after[..end];
        let c = match name {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(h) = name.strip_prefix("#x") {
                    u32::from_str_radix(h, 16).map_err(|e| e.to_string())?
                } else if let Some(d) = name.strip_prefix('#') {
                    d.parse::<u32>().map_err(|e| e.to_string())?
                } else {
                    return Err(format!("unknown entity &{name};"));
                };
                char::from_u32(code).ok_or("bad character reference")?
            }
        };
        out.push(c);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn parse(xml: &str) -> Result<Element, String> {
    let mut stack: Vec<Element> = vec![Element {
        name: String::new(),
        attrs: vec![],
        children: vec![],
    }];
    let mut rest = xml;
    while !rest.is_empty() {
        let Some(i) = rest.find('<') else {
            if !rest.trim().is_empty() && stack.len() == 1 {
                return Err("text after the root".into());
            }
            let t = unescape(rest)?;
            if let Some(top) = stack.last_mut() {
                top.children.push(Node::Text(t));
            }
            break;
        };
        if i > 0 {
            let t = unescape(&rest[..i])?;
            if stack.len() > 1 {
                if let Some(top) = stack.last_mut() {
                    top.children.push(Node::Text(t));
                }
            } else if !t.trim().is_empty() {
                return Err("text outside the root".into());
            }
        }
        rest = &rest[i..];
        if let Some(r) = rest.strip_prefix("<?") {
            let end = r.find("?>").ok_or("unclosed processing instruction")?;
            rest = &r[end + 2..];
            continue;
        }
        if let Some(r) = rest.strip_prefix("<!--") {
            let end = r.find("-->").ok_or("unclosed comment")?;
            rest = &r[end + 3..];
            continue;
        }
        if rest.starts_with("<!") {
            return Err("DOCTYPE or CDATA not supported".into());
        }
        let end = rest.find('>').ok_or("unclosed tag")?;
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let done = stack.pop().ok_or("close without open")?;
            if done.name != name.trim() || stack.is_empty() {
                return Err(format!("<{}> closed by </{}>", done.name, name));
            }
            if let Some(top) = stack.last_mut() {
                top.children.push(Node::Element(done));
            }
            continue;
        }
        let empty = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let name_end = tag.find(char::is_whitespace).unwrap_or(tag.len());
        let mut el = Element {
            name: tag[..name_end].to_string(),
            attrs: vec![],
            children: vec![],
        };
        let mut a = tag[name_end..].trim_start();
        while !a.is_empty() {
            let eq = a.find('=').ok_or("attribute without value")?;
            let key = a[..eq].trim().to_string();
            let v = a[eq + 1..].trim_start();
            let q = v.chars().next().ok_or("attribute without value")?;
            if q != '"' && q != '\'' {
                return Err("unquoted attribute".into());
            }
            let close = v[1..].find(q).ok_or("unclosed attribute")?;
            let raw = &v[1..1 + close];
            if raw.contains('<') {
                return Err("< in an attribute value".into());
            }
            if el.attrs.iter().any(|(k, _)| *k == key) {
                return Err(format!("duplicate attribute {key}"));
            }
            el.attrs.push((key, unescape(raw)?));
            a = v[close + 2..].trim_start();
        }
        if empty {
            if let Some(top) = stack.last_mut() {
                top.children.push(Node::Element(el));
            }
        } else {
            stack.push(el);
        }
    }
    if stack.len() != 1 {
        return Err("elements left open".into());
    }
    let doc = stack.pop().ok_or("no document")?;
    let mut roots = doc.children.into_iter().filter_map(|n| match n {
        Node::Element(e) => Some(e),
        Node::Text(_) => None,
    });
    let root = roots.next().ok_or("no root element")?;
    if roots.next().is_some() {
        return Err("two root elements".into());
    }
    Ok(root)
}

// ---------------------------------------------------------------------
// The rules of cmif.sch, one function each, returning the violations.
// The Schematron's contexts are in the TEI namespace; the test below
// checks the root declares it, so matching local names is the same.

const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";

/// Pattern `uuid`, rule `tei:bibl`: `matches(@xml:id,
/// '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}')`
/// (unanchored, as XPath `matches` is).
fn w0001_bibl_uuid(tei: &Element) -> Vec<String> {
    fn has_uuid(s: &str) -> bool {
        let b = s.as_bytes();
        let groups = [8, 4, 4, 4, 12];
        (0..b.len()).any(|start| {
            let mut i = start;
            for (g, n) in groups.iter().enumerate() {
                if g > 0 {
                    if b.get(i) != Some(&b'-') {
                        return false;
                    }
                    i += 1;
                }
                for _ in 0..*n {
                    match b.get(i) {
                        Some(c) if c.is_ascii_digit() || (b'a'..=b'f').contains(c) => i += 1,
                        _ => return false,
                    }
                }
            }
            true
        })
    }
    tei.descendants()
        .into_iter()
        .filter(|e| e.name == "bibl")
        .filter(|e| !has_uuid(e.attr("xml:id").unwrap_or("")))
        .map(|e| {
            format!(
                "[W0001] It is recommended to use an UUID for bibl/@xml. ({:?})",
                e.attr("xml:id")
            )
        })
        .collect()
}

fn corresp_descs(tei: &Element) -> Vec<&Element> {
    tei.descendants()
        .into_iter()
        .filter(|e| e.name == "correspDesc")
        .collect()
}

fn has_action(cd: &Element, kind: &str) -> bool {
    cd.elements()
        .any(|a| a.name == "correspAction" && a.attr("type") == Some(kind))
}

/// Pattern `correspDesc`, rule `tei:correspDesc`:
/// `tei:correspAction[@type='sent']`.
fn e0001_sent_present(tei: &Element) -> Vec<String> {
    corresp_descs(tei)
        .into_iter()
        .filter(|cd| !has_action(cd, "sent"))
        .map(|cd| {
            format!(
                "[E0001] Element \"<correspAction type=\"sent\"/>\" must be present. (key {:?})",
                cd.attr("key")
            )
        })
        .collect()
}

/// Pattern `correspDesc`, rule `tei:correspDesc`:
/// `tei:correspAction[@type='received']`.
fn e0002_received_present(tei: &Element) -> Vec<String> {
    corresp_descs(tei)
        .into_iter()
        .filter(|cd| !has_action(cd, "received"))
        .map(|cd| {
            format!(
                "[E0002] Element \"<correspAction type=\"received\"/>\" must be present. (key {:?})",
                cd.attr("key")
            )
        })
        .collect()
}

/// Pattern `correspDesc`, rule `tei:correspDesc/@source`:
/// `substring-after(., '#') = ancestor::tei:TEI//tei:bibl/@xml:id`
/// (general comparison: equal to any of them; `substring-after` of a
/// value without `#` is the empty string).
fn e0003_source_is_a_bibl(tei: &Element) -> Vec<String> {
    let ids: Vec<&str> = tei
        .descendants()
        .into_iter()
        .filter(|e| e.name == "bibl")
        .filter_map(|e| e.attr("xml:id"))
        .collect();
    corresp_descs(tei)
        .into_iter()
        .filter_map(|cd| cd.attr("source"))
        .filter(|s| {
            let after = s.split_once('#').map_or("", |(_, a)| a);
            !ids.contains(&after)
        })
        .map(|s| {
            format!("[E0003] correspDesc/@source does not correspond to a bibl/@xml:id. ({s})")
        })
        .collect()
}

/// Pattern `date`, rule `tei:date`: `@when or @from or @to or @notBefore
/// or @notAfter`.
fn e0004_date_has_dating_attribute(tei: &Element) -> Vec<String> {
    tei.descendants()
        .into_iter()
        .filter(|e| e.name == "date")
        .filter(|e| {
            !["when", "from", "to", "notBefore", "notAfter"]
                .iter()
                .any(|a| e.attr(a).is_some())
        })
        .map(|e| {
            format!(
                "[E0004] At least one dating attribute (@when, @from etc.) must be present. ({:?})",
                e.text()
            )
        })
        .collect()
}

type Rule = (&'static str, fn(&Element) -> Vec<String>);

/// Every rule of cmif.sch, by id.
const RULES: [Rule; 5] = [
    ("W0001", w0001_bibl_uuid),
    ("E0001", e0001_sent_present),
    ("E0002", e0002_received_present),
    ("E0003", e0003_source_is_a_bibl),
    ("E0004", e0004_date_has_dating_attribute),
];

fn violations(xml: &str) -> Vec<String> {
    let tei = parse(xml).unwrap_or_else(|e| panic!("not well-formed: {e}"));
    assert_eq!(tei.name, "TEI");
    assert_eq!(tei.attr("xmlns"), Some(TEI_NS), "root in the TEI namespace");
    RULES.iter().flat_map(|(_, rule)| rule(&tei)).collect()
}

// ---------------------------------------------------------------------
// Hand-written letters.

fn day(y: i32, m: u8, d: u8) -> Option<Day> {
    Day::new(y, m, d)
}

fn hd(text: &str, earliest: Option<Day>, latest: Option<Day>, p: Precision) -> HistDate {
    HistDate {
        text: text.into(),
        edtf: String::new(),
        earliest,
        latest,
        precision: p,
        qualifier: Qualifier::Exact,
        calendar: "gregorian".into(),
    }
}

fn letter(id: &str, number: Option<u32>, date: DocDate) -> Document {
    Document {
        id: format!("test/{id}"),
        kind: DocKind::Letter,
        collection: "test".into(),
        number,
        chapter: None,
        title: format!("Letter {id}"),
        date,
        place: None,
        senders: vec!["Stalin".into()],
        addressees: vec!["Molotov".into()],
        body: vec![Block {
            kind: BlockKind::Paragraph,
            inlines: vec![Inline::Text {
                text: "Hello.".into(),
            }],
            line: 1,
        }],
        notes: vec![],
        witnesses: vec![Witness {
            source: "test.web.txt".into(),
            first_line: 1,
            last_line: 3,
            label: "web transcription".into(),
            text: "Hello.".into(),
            markup: fond_model::Markup::Plain,
        }],
        marginalia: vec![],
        order: number.unwrap_or(0),
        ..Document::new("", "", fond_model::DocKind::Letter)
    }
}

fn dated(i: HistDate) -> DocDate {
    DocDate {
        editorial: Some(i.text.clone()),
        interval: Some(i),
        ..Default::default()
    }
}

fn meta() -> CmifMeta {
    CmifMeta::new("https://example.org/fond/cmif.xml", "2026-11-23")
}

fn fixtures() -> Vec<Document> {
    let evil = "</persName><x>&amp;\u{1} \"quoted\" ]]> <!-- c --> &y;";
    let mut hostile = letter(
        "hostile",
        Some(3),
        dated(hd(evil, day(1930, 8, 6), None, Precision::OpenEnded)),
    );
    hostile.senders = vec![evil.into()];
    hostile.addressees = vec![evil.into()];
    hostile.place = Some(evil.into());
    let mut note = letter("note", None, DocDate::default());
    note.kind = DocKind::EditorialText;
    let mut unaddressed = letter("unaddressed", None, DocDate::default());
    unaddressed.addressees.clear();
    let mut unsigned = letter("unsigned", None, DocDate::default());
    unsigned.senders.clear();
    let mut dateline_only = letter("dateline", Some(5), DocDate::default());
    dateline_only.date.written = Some("7/28/25".into());
    dateline_only.date.written_interval = Some(hd(
        "7/28/25",
        day(1925, 7, 28),
        day(1925, 7, 28),
        Precision::Day,
    ));
    vec![
        letter(
            "interval",
            Some(1),
            dated(hd(
                "Late August–Early September 1930",
                day(1930, 8, 21),
                day(1930, 9, 10),
                Precision::Range,
            )),
        ),
        letter("undated", Some(2), DocDate::default()),
        hostile,
        note,
        unaddressed,
        unsigned,
        dateline_only,
    ]
}

fn corresp_by_key<'a>(tei: &'a Element, key: &str) -> &'a Element {
    corresp_descs(tei)
        .into_iter()
        .find(|c| c.attr("key") == Some(key))
        .unwrap_or_else(|| panic!("correspDesc key {key}"))
}

fn sent_date(cd: &Element) -> Option<&Element> {
    cd.elements()
        .find(|a| a.attr("type") == Some("sent"))
        .and_then(|a| a.elements().find(|e| e.name == "date"))
}

#[test]
fn interval_dates_become_not_before_and_not_after() {
    let out = cmif(&fixtures(), &[], &[], &[], &meta());
    let tei = parse(&out.xml).expect("well-formed");
    let d = sent_date(corresp_by_key(&tei, "1")).expect("a date");
    assert_eq!(d.attr("notBefore"), Some("1930-08-21"));
    assert_eq!(d.attr("notAfter"), Some("1930-09-10"));
    assert_eq!(d.attr("when"), None);
    // Open-ended: only the known bound.
    let d = sent_date(corresp_by_key(&tei, "3")).expect("a date");
    assert_eq!(d.attr("notBefore"), Some("1930-08-06"));
    assert_eq!(d.attr("notAfter"), None);
    // No editorial date: the author's dateline.
    let d = sent_date(corresp_by_key(&tei, "5")).expect("a date");
    assert_eq!(d.attr("when"), Some("1925-07-28"));
}

#[test]
fn a_missing_date_is_left_out_not_written_empty() {
    let out = cmif(&fixtures(), &[], &[], &[], &meta());
    let tei = parse(&out.xml).expect("well-formed");
    let cd = corresp_by_key(&tei, "2");
    assert!(
        sent_date(cd).is_none(),
        "no date element for an undated letter"
    );
    assert!(has_action(cd, "sent") && has_action(cd, "received"));
    assert_eq!(out.undated, 1);
    // An undetermined interval counts as no date too.
    let mut d = letter("u", Some(9), dated(HistDate::undetermined("n.d.")));
    d.date.written_interval = None;
    let out = cmif(&[d], &[], &[], &[], &meta());
    assert!(!out.xml.contains("<date>") && out.undated == 1);
    assert!(violations(&out.xml).is_empty());
}

#[test]
fn markup_like_text_is_escaped_and_read_back_unchanged() {
    let out = cmif(&fixtures(), &[], &[], &[], &meta());
    let tei = parse(&out.xml).expect("well-formed");
    let cd = corresp_by_key(&tei, "3");
    let sent = cd
        .elements()
        .find(|a| a.attr("type") == Some("sent"))
        .expect("sent");
    let name = sent
        .elements()
        .find(|e| e.name == "persName")
        .expect("persName");
    // The forbidden control character becomes U+FFFD; everything else
    // survives as text.
    assert_eq!(
        name.text(),
        "</persName><x>&amp;\u{FFFD} \"quoted\" ]]> <!-- c --> &y;"
    );
    let place = sent
        .elements()
        .find(|e| e.name == "placeName")
        .expect("place");
    assert_eq!(place.text(), name.text());
    assert!(!out.xml.contains("<x>"));
}

#[test]
fn only_letters_with_both_parties_are_described_and_the_rest_is_accounted_for() {
    let out = cmif(&fixtures(), &[], &[], &[], &meta());
    assert_eq!(out.described, 4);
    let reasons: Vec<(String, SkipReason)> = out.skipped.clone();
    assert_eq!(
        reasons,
        vec![
            ("test/note".to_string(), SkipReason::EditorialText),
            ("test/unaddressed".to_string(), SkipReason::NoAddressee),
            ("test/unsigned".to_string(), SkipReason::NoSender),
        ]
    );
    assert!(
        violations(&out.xml).is_empty(),
        "{:?}",
        violations(&out.xml)
    );
}

#[test]
fn names_get_fond_uris_only_when_the_edition_is_published() {
    use fond_export::{EntityKind, Field, Mention};
    let m = Mention {
        doc_id: "test/interval".into(),
        field: Field::Sender,
        entity: fond_model::authority::Entity::new(EntityKind::Person, "stalin-j"),
        start: 0,
        end: 0,
        surface: "Stalin".into(),
        confidence: 1.0,
        resolved: true,
        how: "party".into(),
        candidates: vec![],
    };
    let docs = fixtures();
    let plain = cmif(&docs, &[], &[], std::slice::from_ref(&m), &meta());
    assert!(!plain.xml.contains(" ref="));
    let mut published = meta();
    published.base_url = Some("https://example.org/fond".into());
    let out = cmif(&docs, &[], &[], &[m], &published);
    assert!(out
        .xml
        .contains("<persName ref=\"https://example.org/fond/person/stalin-j\">Stalin</persName>"));
    assert!(out
        .xml
        .contains("ref=\"https://example.org/fond/doc/test/interval\""));
}

#[test]
fn bibl_ids_are_static_uuids_that_start_with_a_letter() {
    let a = fond_export::cmif::stable_uuid("fond:print-edition:x");
    assert_eq!(a, fond_export::cmif::stable_uuid("fond:print-edition:x"));
    assert_ne!(a, fond_export::cmif::stable_uuid("fond:print-edition:y"));
    for i in 0..200 {
        let u = fond_export::cmif::stable_uuid(&i.to_string());
        assert!(matches!(u.as_bytes()[0], b'a'..=b'f'), "{u}");
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "8", "version 8: {u}");
    }
}

// ---------------------------------------------------------------------
// Each rule's checker fails on a document that breaks it.

fn small_valid() -> String {
    let docs = fixtures();
    let out = cmif(&docs[..2], &[], &[], &[], &meta());
    assert!(violations(&out.xml).is_empty());
    out.xml
}

#[test]
fn every_rule_catches_a_document_that_breaks_it() {
    let xml = small_valid();
    let first_bibl = {
        let a = xml.find("xml:id=\"").expect("bibl id") + 8;
        let b = a + xml[a..].find('"').expect("end");
        xml[a..b].to_string()
    };
    let broken: [(&str, String); 5] = [
        ("W0001", xml.replace(&first_bibl, "edition")),
        (
            "E0001",
            xml.replacen(
                "correspAction type=\"sent\"",
                "correspAction type=\"received\"",
                1,
            ),
        ),
        (
            "E0002",
            xml.replacen(
                "correspAction type=\"received\"",
                "correspAction type=\"sent\"",
                1,
            ),
        ),
        (
            "E0003",
            xml.replacen(
                &format!("source=\"#{first_bibl}\""),
                "source=\"#nowhere\"",
                1,
            ),
        ),
        (
            "E0004",
            xml.replacen(
                "notBefore=\"1930-08-21\" notAfter=\"1930-09-10\"",
                "n=\"1\"",
                1,
            ),
        ),
    ];
    for (id, doc) in &broken {
        let tei = parse(doc).expect("still well-formed");
        let (_, rule) = RULES.iter().find(|(r, _)| r == id).expect("rule");
        let v = rule(&tei);
        assert!(!v.is_empty(), "{id} did not catch its broken document");
        assert!(v.iter().all(|m| m.starts_with(&format!("[{id}]"))));
        // The other rules still pass: each breakage is only its own.
        for (other, rule) in RULES.iter().filter(|(r, _)| r != id) {
            assert!(rule(&tei).is_empty(), "{other} fired on {id}'s document");
        }
    }
    // A @source without '#' is empty after substring-after: an error.
    let no_hash = xml.replacen(
        &format!("source=\"#{first_bibl}\""),
        &format!("source=\"{first_bibl}\""),
        1,
    );
    assert!(!e0003_source_is_a_bibl(&parse(&no_hash).expect("xml")).is_empty());
    // The header's date is a tei:date too.
    let header = xml.replacen("<date when=\"2026-11-23\"/>", "<date/>", 1);
    assert!(!e0004_date_has_dating_attribute(&parse(&header).expect("xml")).is_empty());
}

#[test]
fn the_reader_rejects_what_is_not_xml() {
    for bad in [
        "<a><b></a></b>",
        "<a x=1/>",
        "<a>&nope;</a>",
        "<a></a><b/>",
        "<a>",
    ] {
        assert!(parse(bad).is_err(), "{bad}");
    }
    let e = parse("<?xml version=\"1.0\"?><a k='v &amp; w'><!-- c -->x&#x41;<b/></a>").expect("ok");
    assert_eq!(e.attr("k"), Some("v & w"));
    assert_eq!(e.text(), "xA");
}

// ---------------------------------------------------------------------
// The real corpus, and jing.

fn run_jing(schema: &std::path::Path, file: &std::path::Path) {
    common::assert_jing_accepts(schema, &[file.to_path_buf()]);
}

fn cmif_schema() -> Option<std::path::PathBuf> {
    let schema = common::schema("cmif/cmi-customization.rng");
    if !fond_test_support::path_available(&schema) || !jing_available() {
        return None;
    }
    Some(schema)
}

#[test]
fn hand_written_letters_are_valid_cmif() {
    let Some(schema) = cmif_schema() else { return };
    let mut m = meta();
    m.base_url = Some("https://example.org/fond".into());
    let out = cmif(&fixtures(), &[], &[common::reference_edition()], &[], &m);
    let dir = scratch("cmif-fixtures");
    let file = dir.join("cmif.xml");
    std::fs::write(&file, &out.xml).expect("write");
    run_jing(&schema, &file);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_corpus_is_valid_cmif_and_meets_every_schematron_rule() {
    if !common::present() {
        return;
    }
    let c = corpus();
    let ctx = TeiContext::for_sources(&c.edition.sources).with_edition(common::reference_edition());
    let mut m = meta();
    m.base_url = Some("https://example.org/fond".into());
    let out = cmif(
        &c.edition.documents,
        &c.edition.sources,
        ctx.editions(),
        &c.mentions,
        &m,
    );
    // Every letter and telegram with both parties is there; the rest is
    // accounted for.
    assert_eq!(out.described + out.skipped.len(), c.edition.documents.len());
    assert!(out.described >= 80, "{} described", out.described);
    let tei = parse(&out.xml).expect("well-formed");
    for (id, rule) in RULES {
        let v = rule(&tei);
        assert!(
            v.is_empty(),
            "{id}: {} violations:\n{}",
            v.len(),
            v.join("\n")
        );
    }
    // Letter numbers are the keys; letter 1 is Stalin to Molotov from
    // Rostov, 12 July 1925.
    let l1 = corresp_by_key(&tei, "1");
    assert_eq!(
        sent_date(l1).and_then(|d| d.attr("when")),
        Some("1925-07-12")
    );
    assert!(l1
        .descendants()
        .iter()
        .any(|e| e.name == "placeName" && e.text() == "Rostov"));
    // The book's letters cite the print edition.
    let print = tei
        .descendants()
        .into_iter()
        .find(|e| e.name == "bibl" && e.attr("type") == Some("print"))
        .and_then(|e| e.attr("xml:id"))
        .expect("print bibl");
    assert_eq!(l1.attr("source"), Some(format!("#{print}").as_str()));
    let Some(schema) = cmif_schema() else { return };
    let dir = scratch("cmif-corpus");
    let file = dir.join("cmif.xml");
    std::fs::write(&file, &out.xml).expect("write");
    run_jing(&schema, &file);
    let _ = std::fs::remove_dir_all(&dir);
}
