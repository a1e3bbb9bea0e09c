//! Small fixtures for the plain-text letter reader, written for these
//! tests (the whole collections are scored in `tests/letters_dev.rs`).

use super::*;

fn read_str(text: &str) -> Parsed {
    let ctx = ReadContext {
        name: "fixture.txt",
        text,
        collection_suffix: "",
    };
    read(&ctx, &Hints::default())
}

fn letters(p: &Parsed) -> Vec<&Document> {
    p.documents
        .iter()
        .filter(|d| d.kind == DocKind::Letter)
        .collect()
}

const NUMBERED: &str = "\
Letters of Anna Example

CONTENTS

1. To Bertha
2. To the Same
3. To Carl
4. To Dora

PREFACE

These letters were found in a trunk.


1.

TO BERTHA.

London, March 3, 1850.

My dear Bertha,

I write in haste.[1] The weather is fine.

Your friend,

ANNA.

[Footnote 1: She rarely wrote otherwise.]


2.

TO BERTHA.

DEAR B.,--The parcel came today.

A. E.


3.

TO CARL.

Paris, 12 April 1851.

Sir,

Your letter arrived.

ANNA EXAMPLE.


4.

TO DORA.

Nothing more to say.

ANNA.


INDEX.

Bertha, 1, 2.
";

#[test]
fn numbered_letters_past_a_table_of_contents() {
    let p = read_str(NUMBERED);
    let l = letters(&p);
    assert_eq!(
        l.iter().map(|d| d.number).collect::<Vec<_>>(),
        vec![Some(1), Some(2), Some(3), Some(4)]
    );
    assert!(p
        .findings
        .iter()
        .any(|f| f.message.contains("table of contents")));
    assert_eq!(l[0].addressees, vec!["Bertha".to_string()]);
    assert_eq!(l[0].senders, vec!["Anna Example".to_string()]);
    assert_eq!(
        l[0].date.interval.as_ref().map(|d| d.edtf.as_str()),
        Some("1850-03-03")
    );
    assert_eq!(l[0].notes.len(), 1);
    assert!(l[0].notes[0].text.starts_with("She rarely"));
    assert!(!l[0].body_text().contains("rarely"));
    assert_eq!(
        l[2].date.interval.as_ref().map(|d| d.edtf.as_str()),
        Some("1851-04-12")
    );
    // The run-in salutation is its own block.
    assert!(l[1]
        .body
        .iter()
        .any(|b| b.kind == BlockKind::Salutation && b.plain_text() == "DEAR B.,--"));
    // The index after the last letter is the editors' text, not letter 4.
    assert!(!l[3].body_text().contains("Bertha, 1, 2."));
    assert!(p
        .documents
        .iter()
        .any(|d| d.kind == DocKind::EditorialText && d.body_text().contains("Bertha, 1, 2.")));
    // Nothing lost: the preface is kept too.
    assert!(p
        .documents
        .iter()
        .any(|d| d.body_text().contains("found in a trunk")));
}

const HEADED: &str = "\
The Life and Letters of Example

Some narrative about his youth.


JOHN DOE TO R. ROE. London, June 1 [1850].

My dear Roe,

It is done.

Yours ever, J. DOE.


[The next summer he travelled, and wrote to his sister--
more narrative here.]


JOHN DOE TO MISS M. DOE. Paris, July 2, 1851.

Dear Mary,

Arrived.

J. D.
";

#[test]
fn headed_letters_inside_a_narrative() {
    let p = read_str(HEADED);
    let l = letters(&p);
    assert_eq!(l.len(), 2);
    assert_eq!(l[0].senders, vec!["John Doe".to_string()]);
    assert_eq!(l[0].addressees, vec!["R. Roe".to_string()]);
    assert_eq!(
        l[0].date.interval.as_ref().map(|d| d.edtf.as_str()),
        Some("1850-06-01")
    );
    assert_eq!(l[1].addressees, vec!["Miss M. Doe".to_string()]);
    // The bracketed narrative is the editors' text.
    assert!(!l[0].body_text().contains("travelled"));
    assert!(p
        .documents
        .iter()
        .any(|d| d.kind == DocKind::EditorialText && d.body_text().contains("travelled")));
}

#[test]
fn colon_headings_and_inline_notes() {
    let text = "\
The Letters of Sam Example


To Mrs. Moffett, in St. Louis:

                                   NEW YORK, Oct. 26, 1853.

MY DEAR SISTER,--I have not written--[Not for a month.]--since.

                              Your Brother,

                                        SAM.



To Orion Clemens:

                                   PHILADELPHIA, Nov. 2, 1853.

DEAR BROTHER,--More news.

                                        SAM.
";
    let p = read_str(text);
    let l = letters(&p);
    assert_eq!(l.len(), 2);
    assert_eq!(l[0].addressees, vec!["Mrs. Moffett".to_string()]);
    assert_eq!(l[0].senders, vec!["Sam Example".to_string()]);
    assert_eq!(l[0].notes.len(), 1);
    assert_eq!(l[0].notes[0].text, "Not for a month.");
    assert_eq!(
        l[1].date.interval.as_ref().map(|d| d.edtf.as_str()),
        Some("1853-11-02")
    );
}

#[test]
fn no_letters_no_boundaries() {
    let p = read_str("Just some prose.\n\nAnd more prose.\n");
    assert!(letters(&p).is_empty());
    assert_eq!(fit("Just some prose.\n").letters, 0);
}

#[test]
fn title_parties_in_several_languages() {
    assert_eq!(
        title_parties("Letters of John Keats to His Family and Friends"),
        (Some("John Keats".into()), None)
    );
    assert_eq!(
        title_parties("Beethoven's Letters 1790-1826 Vol. 2").0,
        Some("Beethoven".into())
    );
    assert_eq!(
        title_parties("Briefe von Goethe an Lavater"),
        (Some("Goethe".into()), Some("Lavater".into()))
    );
    assert_eq!(
        title_parties("The Life and Letters of Charles Darwin, Volume I (of II)").0,
        Some("Charles Darwin".into())
    );
    assert_eq!(
        title_parties("The Letters Of Mark Twain, Volume 1, 1853-1866").0,
        Some("Mark Twain".into())
    );
}

#[test]
fn sequences_skip_strays() {
    let members = vec![0, 1, 2, 3, 4, 5];
    let numbers = [1, 2, 7, 3, 4, 6];
    let chain = longest_sequence(&members, |i| numbers[i]);
    assert_eq!(
        chain.iter().map(|&i| numbers[i]).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 6]
    );
}

#[test]
fn a_web_page_of_letters() {
    let html =
        "<!DOCTYPE html><html><head><title>Briefe an Charlotte von Stein</title></head><body>\
        <nav><a href='/'>Start</a></nav><h1>Briefe von Goethe an Charlotte von Stein</h1>\
        <h3>12. An Frau von Stein</h3><p align=\"right\">Weimar, den 12. März 1776.</p>\
        <p>Liebe Frau, ich schicke Ihnen die Blumen<sup>1</sup> und einen Gruß.</p>\
        <p align=\"right\">G.</p><p class=\"note\">1 Aus dem Garten.</p>\
        <h3>13. An Frau von Stein</h3><p align=\"right\">Weimar, den 14. März 1776.</p>\
        <p>Ich komme heute Abend.</p><p align=\"right\">G.</p>\
        <h3>14. An Frau von Stein</h3><p align=\"right\">Ilmenau, 2. Mai 1776.</p>\
        <p>Hier regnet es seit drei Tagen.</p><p align=\"right\">G.</p></body></html>";
    let r = crate::read_source("stein.html", html.as_bytes(), "").expect("reads");
    assert_eq!(r.source.shape, fond_model::SourceShape::PlainLetters);
    let l = letters(&r.parsed);
    assert_eq!(
        l.iter().map(|d| d.number).collect::<Vec<_>>(),
        vec![Some(12), Some(13), Some(14)]
    );
    assert_eq!(l[0].addressees, vec!["Frau von Stein".to_string()]);
    assert_eq!(l[0].senders, vec!["Goethe".to_string()]);
    assert_eq!(
        l[2].date.interval.as_ref().map(|d| d.edtf.as_str()),
        Some("1776-05-02")
    );
    assert_eq!(l[2].place.as_deref(), Some("Ilmenau"));
    assert!(l[0].body.iter().any(|b| b.kind == BlockKind::Signature));
    assert_eq!(l[0].notes.len(), 1, "{:?}", l[0].notes);
    assert_eq!(l[0].notes[0].text, "Aus dem Garten.");
}

#[test]
fn page_furniture_of_an_ocr_is_left_out_and_split_sentences_rejoined() {
    let mut text = String::from("Briefe an Lavater\n\n");
    for n in 1..=6 {
        text.push_str(&format!(
            "\n{n}.\n\nZürich, den {n}. März 1776.\n\nLieber Bruder, ich schreibe dir heute und\n\n{p}\n\nBRIEFE AN LAVATER\n\nmorgen wieder, zum {n}. Mal.\n\nG.\n\n",
            p = 10 + n
        ));
    }
    let p = read_str(&text);
    let l = letters(&p);
    assert_eq!(l.len(), 6);
    let body = l[2].body_text();
    assert!(!body.contains("BRIEFE AN LAVATER"), "{body}");
    assert!(!body.contains("13"), "{body}");
    assert!(body.contains("heute und morgen wieder"), "{body}");
}

#[test]
fn calls_fused_to_words_count_when_the_note_exists() {
    let text = "Letters of A\n\n\n1.\n\nTO B.\n\nLondon, May 1, 1850.\n\nI saw the house1 and the garden.\n\nA.\n\n[Footnote 1: The old house.]\n\n\n2.\n\nTO B.\n\nLondon, May 2, 1850.\n\nIn 1850 we had 12 cats.\n\nA.\n\n\n3.\n\nTO B.\n\nParis, June 1, 1850.\n\nNothing.\n\nA.\n";
    let p = read_str(text);
    let l = letters(&p);
    assert_eq!(l.len(), 3);
    assert!(l[0]
        .body
        .iter()
        .flat_map(|b| &b.inlines)
        .any(|i| matches!(i, Inline::NoteCall { n: 1 })));
    assert!(l[1].body_text().contains("12 cats"));
}

#[test]
fn a_file_of_one_letter() {
    let text = "Briefwechsel online · Startseite\n\nGoethe an Charlotte von Stein\n\n                              Weimar, den 10. Juni 1776.\n\nLiebe Frau,\n\nich war heute im Garten und dachte an Sie.\n\n                                        G.\n";
    let p = read_str(text);
    let l = letters(&p);
    assert_eq!(
        l.len(),
        1,
        "{:?}",
        p.documents.iter().map(|d| &d.title).collect::<Vec<_>>()
    );
    assert_eq!(l[0].senders, vec!["Goethe".to_string()]);
    assert_eq!(l[0].addressees, vec!["Charlotte von Stein".to_string()]);
    assert_eq!(
        l[0].date.interval.as_ref().map(|d| d.edtf.as_str()),
        Some("1776-06-10")
    );
    // The page's own line before the letter is kept as the editors' text.
    assert!(p
        .documents
        .iter()
        .any(|d| d.kind == DocKind::EditorialText && d.body_text().contains("Startseite")));
    // Prose with neither opening nor closing stays no letter.
    assert!(letters(&read_str("A note.\n\nIt rained all day in 1850.\n")).is_empty());
}

#[test]
fn superscript_calls_and_notes_after_the_letter() {
    let text = "Briefe an Frau von Stein\n\n\nNr. 1.\n\nWeimar, den 1. Mai 1776.\n\nLiebe Frau, die Blumen¹ sind da.\n\nG.\n\n¹ Aus dem Garten am Stern.\n\n\nNr. 2.\n\nWeimar, den 3. Mai 1776.\n\nLiebe Frau, heute nichts.\n\nG.\n\n\nNr. 3.\n\nWeimar, den 5. Mai 1776.\n\nLiebe Frau, morgen mehr.\n\nG.\n";
    let p = read_str(text);
    let l = letters(&p);
    assert_eq!(l.len(), 3);
    assert_eq!(l[0].notes.len(), 1, "{:?}", l[0].body);
    assert_eq!(l[0].notes[0].text, "Aus dem Garten am Stern.");
    assert!(l[0]
        .body
        .iter()
        .flat_map(|b| &b.inlines)
        .any(|i| matches!(i, Inline::NoteCall { n: 1 })));
}
