//! The whole reference corpus through the exports: every TEI file valid
//! against TEI P5 (jing, when installed), letter 1 and others checked
//! element by element, the text of every document unchanged by the
//! markup, and the tables read back by a real CSV parser.

mod common;

use common::{corpus, jing_available, scratch};
use fond_export::tei::{self, TeiContext};
use fond_export::{tabular, Field};
use fond_model::Document;

fn ctx() -> TeiContext {
    let c = corpus();
    TeiContext::for_sources(&c.edition.sources)
        .with_mentions(c.mentions.iter().cloned())
        .with_edition(common::reference_edition())
}

fn doc(id: &str) -> &'static Document {
    corpus()
        .edition
        .documents
        .iter()
        .find(|d| d.id == id)
        .unwrap_or_else(|| panic!("{id} in the corpus"))
}

fn tei_of(id: &str) -> String {
    tei::document(doc(id), &ctx())
}

/// The part of `xml` from the first `from` to the following `to`.
fn between<'a>(xml: &'a str, from: &str, to: &str) -> &'a str {
    let a = xml.find(from).unwrap_or_else(|| panic!("{from} in\n{xml}"));
    let rest = &xml[a..];
    let b = rest.find(to).map_or(rest.len(), |b| b + to.len());
    &rest[..b]
}

/// Documents the corpus does not have but a reader could produce: no
/// body, a signature with no text, only notes whose calls were lost,
/// hostile characters everywhere, an editorial text that starts without a
/// heading.
fn edge_documents() -> Vec<Document> {
    use fond_model::{Block, BlockKind, CallForm, DocKind, Inline, Marginal, Note, NoteAuthor};
    let block = |kind: BlockKind, text: &str| Block {
        kind,
        inlines: vec![Inline::Text { text: text.into() }],
        line: 1,
    };
    let note = |n: u32, text: &str| Note {
        n,
        call: CallForm::Lost,
        call_block: None,
        text: text.into(),
        by: NoteAuthor::other("Grover Furr"),
        archival_refs: vec![],
        cross_refs: vec![],
        special_file: false,
        relocated: false,
        line: 1,
    };
    let base = doc("letters-to-molotov/1").clone();
    let mut out = Vec::new();
    let mut d = base.clone();
    d.id = "edge/empty".into();
    d.body.clear();
    d.notes.clear();
    d.witnesses.clear();
    d.senders.clear();
    d.addressees.clear();
    d.date = Default::default();
    d.collection = "edge".into();
    d.marginalia = vec![Marginal {
        by: "Molotov".into(),
        text: "?".into(),
        place: None,
        note: 1,
    }];
    out.push(d);
    let mut d = base.clone();
    d.id = "edge/signature-only".into();
    d.body = vec![
        block(BlockKind::Salutation, "Dear Viacheslav,"),
        block(BlockKind::Signature, "Stalin"),
        block(BlockKind::Comment { by: None }, "Agreed."),
        block(BlockKind::Heading, "A heading after the end"),
        block(BlockKind::Postscript, "P.S."),
    ];
    d.notes = vec![
        note(1, "First.\n\nSecond paragraph."),
        note(1, "Same number."),
    ];
    out.push(d);
    let evil =
        "</p><x>&amp;\u{1}\u{FFFE} ]]> <!DOCTYPE x [<!ENTITY y SYSTEM \"file:///etc/passwd\">]>&y;";
    let mut d = base.clone();
    d.id = "edge/hostile <id>&".into();
    d.title = evil.into();
    d.place = Some(evil.into());
    d.senders = vec![evil.into()];
    d.body = vec![
        block(BlockKind::Address, evil),
        block(BlockKind::Point { label: evil.into() }, evil),
        block(
            BlockKind::Comment {
                by: Some(evil.into()),
            },
            evil,
        ),
        block(BlockKind::Addition, evil),
    ];
    d.notes = vec![note(1, evil)];
    // Two witnesses whose texts are hostile: the collation in `back`
    // must stay well-formed and valid.
    let wit = |source: &str, text: &str| fond_model::Witness {
        source: source.into(),
        first_line: 1,
        last_line: 2,
        label: evil.into(),
        text: text.into(),
        markup: fond_model::Markup::Plain,
    };
    d.witnesses = vec![
        wit("a.web.txt", &format!("{evil} one <sup>1</sup> & two")),
        wit("b.web.txt", &format!("{evil} one & three \u{2}")),
    ];
    out.push(d);
    let mut d = base;
    d.id = "edge/editorial".into();
    d.kind = DocKind::EditorialText;
    d.number = None;
    d.body = vec![
        block(BlockKind::Paragraph, "Before any heading."),
        block(BlockKind::Heading, "Section"),
        block(BlockKind::Point { label: "a)".into() }, "a) point"),
    ];
    out.push(d);
    out
}

#[test]
fn every_document_is_valid_tei_p5() {
    if !common::present() {
        return;
    }
    let c = corpus();
    let mut docs = c.edition.documents.clone();
    docs.extend(edge_documents());
    let files =
        tei::edition_files(&docs, &ctx(), &c.people, &c.orgs, &c.periodicals).expect("export");
    assert_eq!(files.len(), docs.len() + 1);
    for (name, xml) in &files {
        xml_text::check_well_formed(xml).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    assert!(
        files
            .iter()
            .any(|(n, x)| n.contains("hostile") && x.contains("<app type=")),
        "the hostile witnesses are collated"
    );
    let dir = scratch("tei");
    tei::write_files(&dir, &files).expect("write");
    if !jing_available() {
        return;
    }
    let paths: Vec<std::path::PathBuf> = files.iter().map(|(n, _)| dir.join(n)).collect();
    common::assert_jing_accepts(&common::schema("tei/tei_all.rng"), &paths);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn letter_1_keeps_what_the_edition_prints() {
    if !common::present() {
        return;
    }
    let x = tei_of("letters-to-molotov/1");
    // Salutation underlined once, with the Russian editors' note 1 at its
    // call inside it.
    let opener = between(&x, "<opener>", "</opener>");
    assert!(
        opener.contains("<dateline>Rostov 7/12</dateline>"),
        "{opener}"
    );
    // The name sits inside the underlined run.
    assert!(
        opener.contains(r##"<salute><hi rend="underline"><persName ref="persons.xml#molotov-v-m">Com. Molotov</persName>,</hi><note"##),
        "{opener}"
    );
    assert!(
        opener.contains(r##"<note xml:id="note-1" n="1" resp="#russian-editors" place="foot"><p>In the upper right-hand corner"##),
        "{opener}"
    );
    // Numbered points with the translator's note 2 at its call, then the
    // U.S. editor's bracketed insertion.
    let list = between(&x, "<list>", "</list>");
    assert!(
        list.contains(r#"<item n="1">1) The fellows from "#),
        "{list}"
    );
    assert!(list.contains(r#"<item n="2">2) It is apparent"#), "{list}");
    assert!(
        list.contains(r##"500 million poods<note xml:id="note-2" n="2" resp="#catherine-a-fitzpatrick" place="foot"><p>A pood is 36 pounds"##),
        "{list}"
    );
    assert!(
        list.contains(r##"</note> <supplied resp="#lars-t-lih">1.8 tons</supplied>, that is"##),
        "{list}"
    );
    assert!(
        list.contains(r#"<hi rend="underline">abroad</hi>"#),
        "{list}"
    );
    // Closing, signature, postscript.
    let closer = between(&x, "<closer>", "</closer>");
    assert!(closer.starts_with("<closer>\n"), "{closer}");
    assert!(
        closer.contains("<salute>Regards,<note xml:id=\"note-4\""),
        "{closer}"
    );
    assert!(closer.contains("<signed>"), "{closer}");
    assert!(closer.contains("J. Stalin</"), "{closer}");
    assert!(x.contains("<postscript>\n"), "{x}");
    assert!(x.contains("P.S. I'm leaving for Sochi today.</p>"));
    // Every note is at its call: none left for the end.
    assert!(!between(&x, "<text>", "</text>").contains("unanchored"));
    // Who the @resp values name.
    let title = between(&x, "<titleStmt>", "</titleStmt>");
    assert!(
        title.contains(r#"<respStmt xml:id="catherine-a-fitzpatrick">"#),
        "{title}"
    );
    assert!(
        title.contains("<name>Catherine A. Fitzpatrick</name>"),
        "{title}"
    );
    assert!(
        title.contains(r#"<respStmt xml:id="lars-t-lih">"#),
        "{title}"
    );
    assert!(
        title.contains("<resp>bracketed insertions</resp>"),
        "{title}"
    );
    // Header: edition, location from the Note on the Documents, Molotov's
    // and Bukharin's marks, the one witness.
    assert!(x.contains(r#"<bibl xml:id="edition" type="print-edition"><title level="m">Stalin's Letters to Molotov, 1925–1936</title>, <editor>Lars T. Lih</editor>"#));
    assert!(x.contains(r#"<biblScope unit="letter" n="1">letter 1</biblScope>"#));
    let ms = between(&x, "<msIdentifier", "</msIdentifier>");
    assert!(ms.contains(r##"source="#edition""##), "{ms}");
    for part in [
        "<settlement>Moscow</settlement>",
        "<repository>RTsKhIDNI</repository>",
        r#"<idno type="fond">558</idno>"#,
        r#"<idno type="opis">1</idno>"#,
        r#"<idno type="delo">5388</idno>"#,
    ] {
        assert!(ms.contains(part), "{part} in {ms}");
    }
    assert!(x.contains(
        r##"Molotov, upper right-hand corner: “1925=?” (<ref target="#note-1">note 1</ref>)"##
    ));
    assert!(
        x.contains(r#"<witness xml:id="wit-letters-to-molotov-1925-1936.book">printed edition: "#)
    );
    assert!(x.contains("Copyright © 1995 by Yale University."));
    // Correspondence: the author's dateline agrees, so no @cert.
    let corresp = between(&x, "<correspDesc>", "</correspDesc>");
    assert!(
        corresp.contains(r#"<persName ref="persons.xml#stalin-j">Stalin</persName>"#),
        "{corresp}"
    );
    assert!(
        corresp.contains("<placeName>Rostov</placeName>"),
        "{corresp}"
    );
    assert!(
        corresp.contains(r#"<date when="1925-07-12">12 July 1925</date>"#),
        "{corresp}"
    );
    assert!(
        corresp.contains(r#"<correspAction type="received">"#)
            && corresp.contains(">Molotov</persName>"),
        "{corresp}"
    );
}

#[test]
fn corrected_dates_carry_bounds_certainty_and_evidence() {
    if !common::present() {
        return;
    }
    // "No earlier than 6 August 1930".
    let x = tei_of("letters-to-molotov/57");
    let sent = between(&x, r#"<correspAction type="sent">"#, "</correspAction>");
    assert!(
        sent.contains(r#"<date notBefore="1930-08-06" cert="medium" evidence="external">"#),
        "{sent}"
    );
    // "Late August–Early September 1930".
    let x = tei_of("letters-to-molotov/61");
    assert!(x.contains(r#"notBefore="1930-08-21" notAfter="1930-09-10""#));
    // A month: one value.
    let x = tei_of("letters-to-molotov/5");
    assert!(
        x.contains(r#"<date when="1925-07" cert="high" evidence="external">"#),
        "{}",
        between(&x, "<correspDesc>", "</correspDesc>")
    );
    // Stalin dated letter 31 1926; the editors, 1927: both are kept.
    let x = tei_of("letters-to-molotov/31");
    let sent = between(&x, r#"<correspAction type="sent">"#, "</correspAction>");
    assert!(
        sent.contains(r#"<date when="1927-06-23" cert="high" evidence="external">"#),
        "{sent}"
    );
    assert!(
        sent.contains(r#"<date type="dateline" when="1926-06-23">"#),
        "{sent}"
    );
}

#[test]
fn underlining_levels_stay_distinct() {
    if !common::present() {
        return;
    }
    // Every run underlined twice in the model is a double-underline `hi`
    // (a name inside one may split it, so at least as many).
    let ctx = ctx();
    for d in &corpus().edition.documents {
        let twice = d
            .body
            .iter()
            .flat_map(|b| &b.inlines)
            .filter(|i| matches!(i, fond_model::Inline::Emph { level: 2.., .. }))
            .count();
        let x = tei::document(d, &ctx);
        assert!(
            x.matches(r#"<hi rend="double-underline">"#).count() >= twice,
            "{}",
            d.id
        );
    }
    let x = tei_of("letters-to-molotov/4");
    assert!(x.contains(r#"<hi rend="double-underline">"#));
}

#[test]
fn notes_whose_call_was_lost_stand_at_the_end() {
    if !common::present() {
        return;
    }
    let d = doc("letters-to-molotov/55");
    let lost: Vec<u32> = d
        .notes
        .iter()
        .filter(|n| n.call_block.is_none())
        .map(|n| n.n)
        .collect();
    assert!(!lost.is_empty());
    let x = tei::document(d, &ctx());
    for n in lost {
        let open = format!(r#"<note xml:id="note-{n}" n="{n}" type="unanchored""#);
        let at = x.find(&open).unwrap_or_else(|| panic!("{open} in\n{x}"));
        // After the last of the text's closers.
        assert!(at > x.rfind("</closer>").unwrap_or(0), "{x}");
    }
}

#[test]
fn locations_come_from_the_telegram_notes_or_the_series() {
    if !common::present() {
        return;
    }
    // The editors attach the location to the telegram's heading.
    let x = tei_of("letters-to-molotov/15");
    let ms = between(&x, "<msIdentifier", "</msIdentifier>");
    assert!(ms.contains(r##"source="#note-1""##), "{ms}");
    assert!(ms.contains(r#"<idno type="delo">3263</idno>"#), "{ms}");
    assert!(ms.contains(r#"<idno type="sheets">l. 1</idno>"#), "{ms}");
    // Letter 31's first note cites the Control Commission's file, not the
    // letter's: the letter is where all of Stalin's letters are.
    let x = tei_of("letters-to-molotov/31");
    let ms = between(&x, "<msIdentifier", "</msIdentifier>");
    assert!(ms.contains(r#"<idno type="delo">5388</idno>"#), "{ms}");
    // Letter 2's notes cite Politburo minutes only.
    let x = tei_of("letters-to-molotov/2");
    assert!(between(&x, "<msIdentifier", "</msIdentifier>").contains("5388"));
    // A web compilation has no known location.
    let x = tei_of("stalin-archive/1939-01-10");
    assert!(!x.contains("<msIdentifier"));
}

#[test]
fn witnesses_are_listed_with_their_lines() {
    if !common::present() {
        return;
    }
    let x = tei_of("letters-to-molotov/31");
    let wits = between(&x, "<listWit>", "</listWit>");
    assert_eq!(wits.matches("<witness ").count(), 2, "{wits}");
    assert!(wits.contains(r#"<idno type="file">letters-to-molotov-31-38.web.txt</idno>"#));
    assert!(wits.contains(r#"<biblScope unit="line" from=""#));
    // Two translations in one file get distinct ids.
    let x = tei_of("stalin-archive/1939-01-10");
    let wits = between(&x, "<listWit>", "</listWit>");
    assert_eq!(wits.matches("<witness ").count(), 2, "{wits}");
    assert!(x.contains("rights as stated by the web source; not recorded by fond"));
}

#[test]
fn readers_comments_are_notes_with_their_signatures() {
    if !common::present() {
        return;
    }
    let x = tei_of("letters-to-molotov/23");
    let molotov = between(
        &x,
        r##"<note type="comment" resp="#resp-molotov">"##,
        r##"<note type="comment" resp="#resp-tomskii">"##,
    );
    assert!(
        molotov.contains(r#"<floatingText type="comment">"#),
        "{molotov}"
    );
    assert!(
        molotov.contains(
            r##"<signed><persName ref="persons.xml#molotov-v-m">Molotov</persName></signed>"##
        ),
        "{molotov}"
    );
    assert!(
        molotov.contains("<dateline>1 September</dateline>"),
        "{molotov}"
    );
    assert!(x.contains(r##"<note type="comment" resp="#resp-tomskii">"##));
    let title = between(&x, "<titleStmt>", "</titleStmt>");
    assert!(
        title.contains(r#"<persName ref="persons.xml#molotov-v-m">Molotov</persName>"#),
        "{title}"
    );
}

#[test]
fn archival_references_in_notes_are_marked_up() {
    if !common::present() {
        return;
    }
    let x = tei_of("letters-to-molotov/2");
    let bibl = between(&x, r#"<bibl type="archival">"#, "</bibl>");
    assert!(bibl.contains(r#"<orgName type="archive">RTsKhIDNI</orgName> f. <idno type="fond">17</idno>, op. <idno type="opis">3</idno>, d. <idno type="delo">510</idno>, <idno type="sheets">l. 5</idno>"#), "{bibl}");
    // OCR damage and Ibid. keep the printed form beside the regular one.
    let x = tei_of("letters-to-molotov/13");
    assert!(x.contains("<choice><orig>RTsKhIDNif. 82, op. 1, d. 144, l. 1</orig><reg>"));
    let x = tei_of("letters-to-molotov/5");
    assert!(x.contains("<choice><orig>ibid., f. 17, op. 3, d. 523, l. 4</orig>"));
}

/// The body of every document, with markup and notes removed, is its
/// body text character for character (whitespace aside): names, splits
/// of emphasis and the structure lose nothing and add nothing.
#[test]
fn markup_never_changes_the_text() {
    if !common::present() {
        return;
    }
    let c = corpus();
    let ctx = ctx();
    let mut names = 0;
    let mut body_mentions = 0;
    for d in &c.edition.documents {
        let mut x = tei::document(d, &ctx);
        // The edition's text only: the collation in `back` holds every
        // witness's text.
        if let (Some(a), Some(b)) = (x.find("<back>"), x.find("</back>")) {
            x.replace_range(a..b + "</back>".len(), "");
        }
        let text = between(&x, "<text>", "</text>");
        // Whitespace aside: blocks are joined by blank lines in the model
        // and by indentation in the file.
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert_eq!(
            squeeze(&xml_text::body_text(text)),
            squeeze(&d.body_text()),
            "{}",
            d.id
        );
        names += ["<persName ref", "<orgName ref", "<title level=\"j\" ref"]
            .iter()
            .map(|n| text.matches(n).count())
            .sum::<usize>();
        body_mentions += c
            .mentions
            .iter()
            .filter(|m| m.doc_id == d.id && matches!(m.field, Field::Body | Field::Note(_)))
            .count();
    }
    // Names laid over the runs: nearly all mentions become elements (the
    // rest overlap another or cut a bracket).
    println!("{names} of {body_mentions} mentions tagged");
    assert!(body_mentions > 1000, "{body_mentions}");
    assert!(
        names * 100 >= body_mentions * 97,
        "{names} of {body_mentions}"
    );
}

#[test]
fn personography_holds_what_the_documents_point_to() {
    if !common::present() {
        return;
    }
    let c = corpus();
    let p = tei::personography(&c.people, &c.orgs, &c.periodicals).expect("personography");
    let ids: std::collections::BTreeSet<&str> = p
        .match_indices("xml:id=\"")
        .map(|(i, m)| {
            let rest = &p[i + m.len()..];
            &rest[..rest.find('"').unwrap_or(0)]
        })
        .collect();
    let ctx = ctx();
    let mut dangling = Vec::new();
    for d in &c.edition.documents {
        let x = tei::document(d, &ctx);
        for (i, m) in x.match_indices("ref=\"persons.xml#") {
            let rest = &x[i + m.len()..];
            let id = &rest[..rest.find('"').unwrap_or(0)];
            if !ids.contains(id) {
                dangling.push(format!("{}: {id}", d.id));
            }
        }
    }
    assert!(dangling.is_empty(), "{dangling:?}");
    assert!(p.contains(r#"<person xml:id="bukharin-n-i">"#));
    assert!(p.contains(r#"<org xml:id="org-politburo""#));
    assert!(p.contains(r#"<bibl xml:id="bibl-pravda" type="periodical">"#));
    assert!(p.contains(r#"<affiliation role="member""#));
}

#[test]
fn csv_tables_read_back_with_a_csv_parser() {
    if !common::present() {
        return;
    }
    let c = corpus();
    let docs = &c.edition.documents;

    let mut buf = Vec::new();
    tabular::documents_csv(&mut buf, docs).expect("documents");
    assert!(buf.starts_with("\u{FEFF}id,kind,".as_bytes()));
    let mut r = csv::Reader::from_reader(buf.as_slice());
    let headers = r.headers().expect("headers").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.expect("record")).collect();
    assert_eq!(rows.len(), docs.len());
    for (row, d) in rows.iter().zip(docs) {
        assert_eq!(&row[col("id")], d.id);
        assert_eq!(&row[col("title")], d.title);
        assert_eq!(row[col("senders")], d.senders.join("; "));
        assert_eq!(row[col("note_count")], d.notes.len().to_string());
        assert_eq!(
            &row[col("date_edtf")],
            d.date.interval.as_ref().map_or("", |i| i.edtf.as_str())
        );
    }
    let l57 = rows
        .iter()
        .find(|r| &r[0] == "letters-to-molotov/57")
        .expect("57");
    assert_eq!(&l57[col("date_earliest")], "1930-08-06");
    assert_eq!(&l57[col("date_latest")], "");
    assert_eq!(&l57[col("date_qualifier")], "not-before");

    // Notes: multi-line texts with quotes and commas come back exactly.
    let mut buf = Vec::new();
    tabular::notes_csv(&mut buf, docs).expect("notes");
    let mut r = csv::Reader::from_reader(buf.as_slice());
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.expect("record")).collect();
    let notes: Vec<(&str, &fond_model::Note)> = docs
        .iter()
        .flat_map(|d| d.notes.iter().map(move |n| (d.id.as_str(), n)))
        .collect();
    assert_eq!(rows.len(), notes.len());
    assert!(notes
        .iter()
        .any(|(_, n)| n.text.contains('"') && n.text.contains('\n')));
    for (row, (id, n)) in rows.iter().zip(&notes) {
        assert_eq!(
            (&row[0], &row[2], &row[10]),
            (*id, n.n.to_string().as_str(), n.text.as_str())
        );
    }

    let mut buf = Vec::new();
    tabular::mentions_csv(&mut buf, &c.mentions).expect("mentions");
    let mut r = csv::Reader::from_reader(buf.as_slice());
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.expect("record")).collect();
    assert_eq!(rows.len(), c.mentions.len());
    for (row, m) in rows.iter().zip(&c.mentions) {
        assert_eq!(&row[1], m.field.to_string());
        assert_eq!(&row[6], m.surface);
        assert_eq!(row[4].parse::<usize>().ok(), Some(m.start));
    }

    let mut buf = Vec::new();
    tabular::people_csv(&mut buf, &c.people, &c.mentions).expect("people");
    let mut r = csv::Reader::from_reader(buf.as_slice());
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.expect("record")).collect();
    assert_eq!(rows.len(), c.people.len());
    let bukharin = rows
        .iter()
        .find(|r| &r[0] == "bukharin-n-i")
        .expect("bukharin");
    assert!(
        bukharin[11].parse::<usize>().unwrap_or(0) > 20,
        "{bukharin:?}"
    );
    assert!(
        bukharin[10].contains("member, Politburo (1924–1929)"),
        "{bukharin:?}"
    );

    let mut buf = Vec::new();
    tabular::archival_refs_csv(&mut buf, docs).expect("refs");
    let mut r = csv::Reader::from_reader(buf.as_slice());
    let n_refs: usize = docs
        .iter()
        .flat_map(|d| &d.notes)
        .map(|n| n.archival_refs.len())
        .sum();
    assert_eq!(r.records().count(), n_refs);
}

#[test]
fn jsonl_tables_have_one_object_per_row() {
    if !common::present() {
        return;
    }
    let c = corpus();
    let docs = &c.edition.documents;
    let mut buf = Vec::new();
    tabular::documents_jsonl(&mut buf, docs).expect("documents");
    let lines: Vec<serde_json::Value> = std::str::from_utf8(&buf)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines.len(), docs.len());
    assert_eq!(lines[0]["id"], docs[0].id.as_str());
    let l13 = lines.iter().find(|l| l["number"] == 13).expect("13");
    assert_eq!(l13["senders"], serde_json::json!(["Molotov", "Bukharin"]));
    let mut buf = Vec::new();
    tabular::notes_jsonl(&mut buf, docs).expect("notes");
    let n: usize = docs.iter().map(|d| d.notes.len()).sum();
    assert_eq!(buf.iter().filter(|b| **b == b'\n').count(), n);
    let mut buf = Vec::new();
    tabular::archival_refs_jsonl(&mut buf, docs).expect("refs");
    let n: usize = docs
        .iter()
        .flat_map(|d| &d.notes)
        .map(|n| n.archival_refs.len())
        .sum();
    assert_eq!(buf.iter().filter(|b| **b == b'\n').count(), n);
    let mut buf = Vec::new();
    tabular::people_jsonl(&mut buf, &c.people, &c.mentions).expect("people");
    let first: serde_json::Value = serde_json::from_str(
        std::str::from_utf8(&buf)
            .expect("utf-8")
            .lines()
            .next()
            .expect("a person"),
    )
    .expect("json");
    assert!(first["offices"].is_array());
}

/// Just enough XML reading for the tests: well-formedness (tags balance,
/// entities known) and the body's text without notes.
mod xml_text {
    /// Tags balance and every `&` starts a known entity.
    pub fn check_well_formed(xml: &str) -> Result<(), String> {
        let mut stack: Vec<&str> = Vec::new();
        let mut rest = xml;
        while let Some(i) = rest.find('<') {
            check_entities(&rest[..i])?;
            let after = &rest[i + 1..];
            let end = after.find('>').ok_or("unclosed tag")?;
            let tag = &after[..end];
            rest = &after[end + 1..];
            if tag.starts_with('?') {
                continue;
            }
            if let Some(name) = tag.strip_prefix('/') {
                let open = stack
                    .pop()
                    .ok_or_else(|| format!("</{name}> without open"))?;
                if open != name {
                    return Err(format!("<{open}> closed by </{name}>"));
                }
            } else if !tag.ends_with('/') {
                stack.push(tag.split_whitespace().next().unwrap_or(""));
            }
        }
        match stack.last() {
            None => Ok(()),
            Some(open) => Err(format!("<{open}> never closed")),
        }
    }

    fn check_entities(text: &str) -> Result<(), String> {
        for (i, _) in text.match_indices('&') {
            let e = &text[i..];
            let known = ["&lt;", "&gt;", "&amp;", "&quot;", "&#13;", "&#9;", "&#10;"];
            if !known.iter().any(|k| e.starts_with(k)) {
                return Err(format!("bad entity at {}", &e[..e.len().min(10)]));
            }
        }
        Ok(())
    }

    /// Text of `<text>…</text>` without editorial notes (other readers'
    /// comments are text); `supplied` gets its brackets back and `lb` is a
    /// line break, as in the model's plain text.
    pub fn body_text(xml: &str) -> String {
        let mut out = String::new();
        let mut in_note = 0usize;
        // For each open note: is it an editorial note (skipped)?
        let mut notes: Vec<bool> = Vec::new();
        let mut rest = xml;
        while let Some(i) = rest.find('<') {
            if in_note == 0 {
                out.push_str(&unescape(&rest[..i]));
            }
            let after = &rest[i + 1..];
            let Some(end) = after.find('>') else { break };
            let tag = &after[..end];
            rest = &after[end + 1..];
            let name = tag
                .trim_start_matches('/')
                .split([' ', '/'])
                .next()
                .unwrap_or("");
            let closing = tag.starts_with('/');
            let empty = tag.ends_with('/');
            match name {
                "note" if !empty => {
                    if closing {
                        if notes.pop() == Some(true) {
                            in_note -= 1;
                        }
                    } else {
                        let editorial = !tag.contains("type=\"comment\"");
                        notes.push(editorial);
                        in_note += usize::from(editorial);
                    }
                }
                "supplied" if in_note == 0 => out.push(if closing { ']' } else { '[' }),
                "lb" if in_note == 0 => out.push('\n'),
                _ => {}
            }
        }
        out
    }

    fn unescape(s: &str) -> String {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#13;", "\r")
            .replace("&amp;", "&")
    }
}

/// Documents with several witnesses carry the collation in `back`
/// (parallel segmentation), every `@wit` pointing at a witness of the
/// header's `listWit`; documents with one witness carry none.
#[test]
fn multi_witness_documents_carry_their_collation() {
    if !common::present() {
        return;
    }
    let c = corpus();
    let ctx = ctx();
    let mut collated = 0;
    for d in &c.edition.documents {
        let x = tei::document(d, &ctx);
        if d.witnesses.len() < 2 {
            assert!(!x.contains("<back>"), "{}", d.id);
            continue;
        }
        collated += 1;
        let back = between(&x, "<back>", "</back>");
        assert!(back.contains("<div type=\"collation\">"), "{}", d.id);
        assert!(
            back.contains("<app type=\""),
            "{}: no variant at all?",
            d.id
        );
        let ids: Vec<&str> = x
            .match_indices("<witness xml:id=\"")
            .filter_map(|(i, m)| {
                let rest = &x[i + m.len()..];
                rest.find('"').map(|e| &rest[..e])
            })
            .collect();
        assert_eq!(ids.len(), d.witnesses.len(), "{}", d.id);
        for (i, m) in back.match_indices("wit=\"") {
            let rest = &back[i + m.len()..];
            let value = &rest[..rest.find('"').expect("closing quote")];
            for w in value.split_whitespace() {
                let id = w.strip_prefix('#').expect("a local pointer");
                assert!(ids.contains(&id), "{}: {w} is not in listWit", d.id);
            }
        }
    }
    // Letters 31–38 (book and web) and the 1939 telegram (two
    // translations).
    assert_eq!(collated, 9);
}
