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
