//! The TEI reader: small hand-written letters for each rule, and hostile
//! input (DTDs, entity bombs, deep nesting, huge attributes and files).

use super::*;
use crate::{read_source, IngestError};
use fond_model::SourceShape;

fn letter(header_extra: &str, body: &str) -> String {
    format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="L1">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Humboldt an Kunth, Berlin, [26. Mai 1848]</title></titleStmt>
      <publicationStmt>
        <publisher>Akademie</publisher>
        <availability><licence target="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA 4.0</licence></availability>
        <idno type="URLWeb">https://edition-humboldt.de/v11/L1</idno>
      </publicationStmt>
      <sourceDesc><msDesc><msIdentifier><institution>Biblioteka Jagiellońska</institution><idno><idno type="shelfmark">A. von Humboldt</idno></idno></msIdentifier></msDesc></sourceDesc>
    </fileDesc>
    <profileDesc>
      <correspDesc>
        <correspAction type="sent">
          <persName ref="https://edition-humboldt.de/H0012069 http://d-nb.info/gnd/118554700">Humboldt, Alexander von</persName>
          <placeName ref="https://www.geonames.org/2950159">Berlin</placeName>
          {header_extra}
        </correspAction>
        <correspAction type="received">
          <persName ref="http://d-nb.info/gnd/115674667">Kunth, Carl Sigismund</persName>
          <orgName>Akademie der Wissenschaften</orgName>
        </correspAction>
      </correspDesc>
    </profileDesc>
  </teiHeader>
  <text><body><div type="writingSession">{body}</div></body></text>
</TEI>
"##
    )
}

fn read_one(name: &str, xml: &str) -> Result<Document, IngestError> {
    let r = read_source(name, xml.as_bytes(), "")?;
    assert_eq!(r.source.shape, SourceShape::Tei);
    Ok(r.parsed.documents.into_iter().next().expect("one document"))
}

#[test]
fn detection_is_by_root_element_and_namespace() {
    let xml = letter(r#"<date when="1848-05-26"/>"#, "<p>x</p>");
    assert!(detect(&xml));
    assert!(!detect("<TEI><teiHeader/></TEI>"), "no TEI namespace");
    assert!(!detect(
        r#"<html xmlns="http://www.tei-c.org/ns/1.0"><TEI/></html>"#
    ));
    assert!(detect(
        r#"<!-- c --><tei:TEI xmlns:tei="http://www.tei-c.org/ns/1.0"><tei:text/></tei:TEI>"#
    ));
    assert!(!detect("# Contents\n\nLetter 1\n"));
}

#[test]
fn parties_places_and_exact_dates_come_from_corresp_desc() {
    let xml = letter(
        r#"<date when="1848-05-26" cert="high"/>"#,
        "<p>Ich habe die grosse Freude</p>",
    );
    let d = read_one("H1.xml", &xml).unwrap();
    assert_eq!(d.senders, vec!["Humboldt, Alexander von"]);
    assert_eq!(
        d.addressees,
        vec!["Kunth, Carl Sigismund", "Akademie der Wissenschaften"]
    );
    assert_eq!(d.place.as_deref(), Some("Berlin"));
    let i = d.date.interval.clone().unwrap();
    assert_eq!(i.earliest, Day::new(1848, 5, 26));
    assert_eq!(i.latest, Day::new(1848, 5, 26));
    assert_eq!(i.precision, Precision::Day);
    assert_eq!(i.qualifier, Qualifier::Exact);
    assert_eq!(d.id, "edition-humboldt-de/L1");
    assert_eq!(d.collection, "edition-humboldt-de");
    assert_eq!(d.title, "Humboldt an Kunth, Berlin, [26. Mai 1848]");
    assert!(d.witnesses[0].label.contains("CC BY-SA 4.0"));
    assert!(d.witnesses[0]
        .label
        .contains("https://creativecommons.org/licenses/by-sa/4.0/"));
    let ms = d.archival_refs();
    assert_eq!(ms, vec!["Biblioteka Jagiellońska f. A. von Humboldt"]);
    let note = d.notes.last().unwrap();
    assert_eq!(
        note.text,
        "Manuscript: Biblioteka Jagiellońska, A. von Humboldt."
    );
    assert_eq!(
        note.archival_refs[0].text,
        "Biblioteka Jagiellońska, A. von Humboldt"
    );
}

#[test]
fn intervals_bounds_and_low_certainty() {
    let cases = [
        (
            r#"<date notBefore="1848-05" notAfter="1848-06-10" cert="low"/>"#,
            (1848, 5, 1),
            Some((1848, 6, 10)),
            Precision::Range,
            Qualifier::Approximate,
        ),
        (
            r#"<date from="1801" to="1802"/>"#,
            (1801, 1, 1),
            Some((1802, 12, 31)),
            Precision::Range,
            Qualifier::Exact,
        ),
        (
            r#"<date notBefore="1830-08-06"/>"#,
            (1830, 8, 6),
            None,
            Precision::OpenEnded,
            Qualifier::NotBefore,
        ),
        (
            r#"<date when="1848-05">Mai 1848</date>"#,
            (1848, 5, 1),
            Some((1848, 5, 31)),
            Precision::Month,
            Qualifier::Exact,
        ),
        // Both bounds the same day: that day, as `@when` would give it
        // (so that fond's export, which writes `@when`, reads back alike).
        (
            r#"<date notBefore="1844-10-31" notAfter="1844-10-31" cert="high"/>"#,
            (1844, 10, 31),
            Some((1844, 10, 31)),
            Precision::Day,
            Qualifier::Exact,
        ),
    ];
    for (date, lo, hi, precision, qualifier) in cases {
        let d = read_one("H.xml", &letter(date, "<p>x</p>")).unwrap();
        let i = d.date.interval.expect(date);
        assert_eq!(i.earliest, Day::new(lo.0, lo.1, lo.2), "{date}");
        assert_eq!(
            i.latest,
            hi.and_then(|(y, m, d)| Day::new(y, m, d)),
            "{date}"
        );
        assert_eq!(i.precision, precision, "{date}");
        assert_eq!(i.qualifier, qualifier, "{date}");
    }
    let d = read_one(
        "H.xml",
        &letter(r#"<date when="1848-05">Mai 1848</date>"#, "<p/>"),
    )
    .unwrap();
    assert_eq!(d.date.editorial.as_deref(), Some("Mai 1848"));
}

#[test]
fn a_bad_date_value_is_a_finding_not_a_failure() {
    let r = read_source(
        "H.xml",
        letter(r#"<date when="26.5.1848"/>"#, "<p>x</p>").as_bytes(),
        "",
    )
    .unwrap();
    assert!(r.parsed.documents[0].date.interval.is_none());
    assert!(r
        .parsed
        .findings
        .iter()
        .any(|f| f.kind == FindingKind::UnparsedDate && f.message.contains("26.5.1848")));
}

#[test]
fn an_emendation_keeps_the_print_beside_the_reading() {
    let body = r##"<p>The <choice><sic>harvset</sic><corr resp="#change-c1">harvest</corr></choice> is good;
         <choice><orig>Fur</orig><reg>Für</reg></choice> now.</p>"##;
    let d = read_one("E.xml", &letter(r#"<date when="1848-05-26"/>"#, body)).unwrap();
    let p = &d.body[0];
    assert!(
        p.inlines.iter().any(|i| matches!(
            i,
            Inline::Emended { sic, text, .. } if sic == "harvset" && text == "harvest"
        )),
        "{:?}",
        p.inlines
    );
    assert_eq!(p.plain_text(), "The harvest is good; Für now.");
    assert_eq!(
        p.text_as(fond_model::Reading::Printed),
        "The harvset is good; Für now."
    );
}

#[test]
fn body_blocks_inlines_and_notes() {
    let body = r##"
      <opener><dateline>Berlin den 26. Mai</dateline><salute>Theurer Freund,</salute></opener>
      <pb n="1r"/>
      <p>Ich habe die <hi rendition="#u">grosse</hi> Freude <lb/>zu melden<supplied>.</supplied>
         <choice><orig>Fur</orig><reg>Für</reg></choice> Sie <del>nicht</del> war der
         <persName ref="x">König</persName><note n="3" resp="#ed">Friedrich Wilhelm IV.</note>
         <hi rend="double-underline">sehr</hi> <unknownThing>froh</unknownThing>.</p>
      <closer><salute>Ihr</salute><signed>AlHumboldt</signed></closer>
      <postscript><p>Nachschrift.</p></postscript>
      <note type="comment" resp="#molotov"><p>Agreed.</p></note>"##;
    let d = read_one("H.xml", &letter(r#"<date when="1848-05-26"/>"#, body)).unwrap();
    let kinds: Vec<&BlockKind> = d.body.iter().map(|b| &b.kind).collect();
    assert_eq!(
        kinds,
        vec![
            &BlockKind::Dateline,
            &BlockKind::Salutation,
            &BlockKind::Paragraph,
            &BlockKind::Closing,
            &BlockKind::Signature,
            &BlockKind::Postscript,
            &BlockKind::Comment {
                by: Some("molotov".into())
            },
        ]
    );
    let p = &d.body[2];
    assert_eq!(
        p.plain_text(),
        "Ich habe die grosse Freude\nzu melden[.] Für Sie war der König sehr froh."
    );
    assert!(p.inlines.contains(&Inline::Emph {
        level: 1,
        text: "grosse".into()
    }));
    assert!(p.inlines.contains(&Inline::Emph {
        level: 2,
        text: "sehr".into()
    }));
    assert!(p.inlines.contains(&Inline::NoteCall { n: 3 }));
    let note = d.notes.iter().find(|n| n.n == 3).unwrap();
    assert_eq!(note.text, "Friedrich Wilhelm IV.");
    assert_eq!(note.by, NoteAuthor::other("ed"));
    assert_eq!(note.call_block, Some(2));
    assert!(
        !d.body_text().contains("Friedrich Wilhelm"),
        "no note text in a body"
    );
    assert_eq!(d.date.written.as_deref(), Some("Berlin den 26. Mai"));
}

#[test]
fn fonds_own_encoding_reads_back() {
    let xml = r##"<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="letters-to-molotov.57" xml:lang="en">
  <teiHeader><fileDesc>
      <titleStmt><title type="main">Letter 57</title>
        <respStmt xml:id="russian-editors"><resp>notes without attribution</resp><name>Russian editors</name></respStmt>
        <respStmt xml:id="us-editor"><resp>signed notes</resp><resp>bracketed insertions</resp><name>Lars T. Lih</name></respStmt></titleStmt>
      <publicationStmt><publisher>fond</publisher><idno type="fond">letters-to-molotov/57</idno></publicationStmt>
      <sourceDesc>
        <bibl xml:id="edition" type="print-edition"><title level="m">Letters</title>, <biblScope unit="letter" n="57">letter 57</biblScope></bibl>
        <listWit><witness xml:id="wit-book">printed edition: <bibl><title>Stalin's Letters to Molotov</title>, <idno type="file">book.md</idno>, <biblScope unit="line" from="3828" to="3873">lines 3828–3873</biblScope></bibl></witness></listWit>
      </sourceDesc></fileDesc>
    <profileDesc><correspDesc>
        <correspAction type="sent"><persName ref="persons.xml#stalin-j">Stalin</persName>
          <date notBefore="1930-08-06" cert="medium" evidence="external">No earlier than 6 August 1930</date>
          <date type="dateline" when="1930-08-06">8/6/30</date></correspAction>
        <correspAction type="received"><persName ref="persons.xml#molotov-v-m">Molotov</persName></correspAction>
    </correspDesc></profileDesc></teiHeader>
  <text><body><div type="letter">
    <list><item n="1">1) Against <supplied resp="#us-editor">it</supplied>.<note xml:id="note-2" n="2" resp="#russian-editors" place="foot"><p>On 21 August (<bibl type="archival"><orgName type="archive">RTsKhIDNI</orgName> f. <idno type="fond">17</idno>, op. <idno type="opis">3</idno>, d. <idno type="delo">793</idno>, <idno type="sheets">l. 17</idno></bibl>).</p></note></item></list>
    <p><add>Addition.</add></p>
    <note xml:id="note-5" n="5" resp="#us-editor" place="foot" type="unanchored"><p>Lost <bibl type="archival"><choice><orig>ibid., l. 12</orig><reg><orgName type="archive">RTsKhIDNI</orgName> f. <idno type="fond">17</idno>, op. <idno type="opis">3</idno>, d. <idno type="delo">793</idno>, <idno type="sheets">ll. 11, 32</idno></reg></choice></bibl>.</p></note>
  </div></body></text></TEI>"##;
    let d = read_one("letters-to-molotov.57.xml", xml).unwrap();
    assert_eq!(d.id, "letters-to-molotov/57");
    assert_eq!(d.collection, "letters-to-molotov");
    assert_eq!(d.number, Some(57));
    assert_eq!(d.kind, DocKind::Letter);
    assert_eq!(
        d.date.editorial.as_deref(),
        Some("No earlier than 6 August 1930")
    );
    assert_eq!(d.date.written.as_deref(), Some("8/6/30"));
    assert_eq!(
        d.date.interval.as_ref().map(|i| i.qualifier),
        Some(Qualifier::NotBefore)
    );
    assert_eq!(d.body[0].kind, BlockKind::Point { label: "1".into() });
    assert_eq!(d.body[1].kind, BlockKind::Addition);
    assert_eq!(d.witnesses[0].source, "book.md");
    assert_eq!(d.witnesses[0].first_line, 3828);
    assert_eq!(d.witnesses[0].label, "printed edition");
    let n2 = d.notes.iter().find(|n| n.n == 2).unwrap();
    assert_eq!(n2.by, NoteAuthor::new(NoteRole::Editors, "Russian editors"));
    assert_eq!(
        n2.archival_refs[0].normalized(),
        "RTsKhIDNI f. 17, op. 3, d. 793, l. 17"
    );
    let n5 = d.notes.iter().find(|n| n.n == 5).unwrap();
    assert_eq!(n5.by, NoteAuthor::new(NoteRole::Editor, "Lars T. Lih"));
    assert!(n5.call_block.is_none());
    assert!(n5.archival_refs[0].ibid);
    assert_eq!(n5.archival_refs[0].text, "ibid., l. 12");
    assert_eq!(
        n5.archival_refs[0].normalized(),
        "RTsKhIDNI f. 17, op. 3, d. 793, ll. 11, 32"
    );
}

#[test]
fn a_personography_reads_as_no_documents() {
    let xml = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>People</title></titleStmt></fileDesc></teiHeader><standOff><listPerson><person xml:id="a"><persName>A</persName></person></listPerson></standOff></TEI>"#;
    let r = read_source("persons.xml", xml.as_bytes(), "").unwrap();
    assert!(r.parsed.documents.is_empty());
    assert_eq!(r.source.title, "People");
}

// ----------------------------------------------------------- hostile input

fn refused(xml: &[u8]) -> (u32, String) {
    match read_source("bad.xml", xml, "") {
        Err(IngestError::Xml {
            file,
            line,
            problem,
        }) => {
            assert_eq!(file, "bad.xml");
            (line, problem)
        }
        other => panic!("expected an XML refusal, got {other:?}"),
    }
}

const HEAD: &str = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body>"#;
const TAIL: &str = "</body></text></TEI>";

#[test]
fn external_entities_are_refused_with_the_line() {
    let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE TEI SYSTEM \"file:///etc/passwd\">\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body><p>&xxe;</p></body></text></TEI>";
    let (line, problem) = refused(xml.as_bytes());
    assert_eq!(line, 2);
    assert!(problem.contains("DTD"), "{problem}");
    let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE TEI [\n<!ENTITY % ext SYSTEM \"http://example.invalid/x.dtd\"> %ext;\n]>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"/>";
    let (line, problem) = refused(xml.as_bytes());
    assert_eq!(line, 2);
    assert!(problem.contains("external entities"), "{problem}");
}

#[test]
fn billion_laughs_is_refused() {
    let mut xml = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE TEI [\n<!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        xml.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!(
                "&lol{};",
                if i == 1 {
                    String::new()
                } else {
                    (i - 1).to_string()
                }
            )
            .repeat(10)
        ));
    }
    xml.push_str("]>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body><p>&lol9;</p></body></text></TEI>");
    let (line, problem) = refused(xml.as_bytes());
    assert_eq!(line, 2);
    assert!(problem.contains("DTD"), "{problem}");
}

#[test]
fn roxmltree_itself_stops_entity_bombs_and_external_entities() {
    // Defence in depth, checked rather than trusted: even with DTDs
    // allowed, the parser refuses a billion laughs and does not read
    // external entities.
    let mut dtd = String::from("<!DOCTYPE r [\n<!ENTITY a \"aaaaaaaaaa\">\n");
    let mut prev = "a".to_string();
    for i in 0..9 {
        let name = format!("e{i}");
        dtd.push_str(&format!(
            "<!ENTITY {name} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
        prev = name;
    }
    dtd.push_str("]>");
    let xml = format!("{dtd}<r>&{prev};</r>");
    let opts = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let r = roxmltree::Document::parse_with_options(&xml, opts);
    assert!(r.is_err(), "entity bomb parsed");
    let xml = "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>";
    let opts = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    // Either refused or read without the file's content.
    if let Ok(d) = roxmltree::Document::parse_with_options(xml, opts) {
        assert!(!d.root_element().text().unwrap_or("").contains("root:"));
    }
}

#[test]
fn deep_nesting_is_refused() {
    let depth = 100_000;
    let mut xml = String::with_capacity(depth * 8 + 200);
    xml.push_str(HEAD);
    for _ in 0..depth {
        xml.push_str("<hi>");
    }
    xml.push('x');
    for _ in 0..depth {
        xml.push_str("</hi>");
    }
    xml.push_str(TAIL);
    let (_, problem) = refused(xml.as_bytes());
    assert!(problem.contains("nested deeper"), "{problem}");
}

#[test]
fn huge_attributes_are_refused() {
    let big = "a".repeat(MAX_ATTRIBUTE + 1);
    let xml = format!("{HEAD}\n<p rend=\"{big}\">x</p>{TAIL}");
    let (line, problem) = refused(xml.as_bytes());
    assert_eq!(line, 2);
    assert!(problem.contains("attribute rend"), "{problem}");
    // 50 MB: over the file limit before any parsing.
    let big = "a".repeat(50 * 1024 * 1024);
    let xml = format!("{HEAD}<p rend=\"{big}\">x</p>{TAIL}");
    let (line, problem) = refused(xml.as_bytes());
    assert_eq!(line, 1);
    assert!(problem.contains("refused"), "{problem}");
}

#[test]
fn huge_files_and_too_many_nodes_are_refused() {
    let mut xml = String::from(HEAD);
    let para = "<p>Ich habe die grosse Freude Ihnen zu melden.</p>\n";
    while xml.len() <= MAX_BYTES {
        xml.push_str(para);
    }
    xml.push_str(TAIL);
    let (line, problem) = refused(xml.as_bytes());
    assert_eq!(line, 1);
    assert!(problem.contains("bytes"), "{problem}");
    // Under the size limit but past the node limit.
    let mut xml = String::from(HEAD);
    while xml.len() < MAX_BYTES - 100 {
        xml.push_str("<lb/>");
    }
    xml.push_str(TAIL);
    let (_, problem) = refused(xml.as_bytes());
    assert!(problem.contains("nodes"), "{problem}");
}

#[test]
fn malformed_xml_names_the_line() {
    let xml = format!("{HEAD}\n<p>one\n<p>two</p>\n{TAIL}");
    let (line, problem) = refused(xml.as_bytes());
    assert!(line >= 3, "{line}");
    assert!(problem.contains("not well-formed"), "{problem}");
}

/// A letter with `n` notes, one per line, in one paragraph.
fn letter_with_notes(n: usize) -> String {
    let mut body = String::from("<p>text");
    for i in 0..n {
        body.push_str(&format!("<note>n{i}\n</note>"));
    }
    body.push_str("</p>");
    letter(r#"<date when="1848-05-26"/>"#, &body)
}

/// 16,000 notes took 10 s: each note's line was found by scanning from
/// the start of the file. 10× the notes must cost no more than ~10× the
/// counted work of finding lines (a count, not a clock).
#[test]
fn notes_are_read_in_linear_time() {
    let mut counted = Vec::new();
    for n in [20_000, 200_000] {
        let xml = letter_with_notes(n);
        let before = line_work::count();
        let d = read_one("many.xml", &xml).expect("reads");
        counted.push(line_work::count() - before);
        assert!(d.notes.len() >= n, "{}", d.notes.len());
    }
    let ratio = counted[1] as f64 / counted[0] as f64;
    assert!(
        ratio <= 10.5,
        "10× the notes cost {ratio:.1}× the work ({counted:?})"
    );
}

/// Text left out of the reading (deletions, gaps) is said, once per
/// letter, as a finding `fond check` lists.
#[test]
fn deletions_and_gaps_left_out_are_findings() {
    let xml = letter(
        r#"<date when="1848-05-26"/>"#,
        "<p>kept <del>struck out</del> text <gap/> and <del>more</del></p>",
    );
    let r = read_source("del.xml", xml.as_bytes(), "").expect("reads");
    let d = &r.parsed.documents[0];
    assert!(!d.body_text().contains("struck out"));
    let f: Vec<&Finding> = r
        .parsed
        .findings
        .iter()
        .filter(|f| f.message.contains("left out of the reading text"))
        .collect();
    assert_eq!(f.len(), 1, "{:?}", r.parsed.findings);
    assert!(
        f[0].message.contains("2 deleted passage(s)"),
        "{}",
        f[0].message
    );
    assert!(f[0].message.contains("1 gap(s)"), "{}", f[0].message);
}
