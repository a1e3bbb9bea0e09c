//! Whole-corpus tests: read `../shared/corpus` and count, letter by
//! letter, what was recovered against the gold file written by hand from
//! the book (`tests/gold/letters.tsv`). They skip, with a message, when the
//! corpus is not beside the repository.

mod common;

use fond_ingest::{build_edition, read_source};
use fond_model::{Document, Edition};
use std::collections::BTreeSet;
use std::sync::OnceLock;

const BOOK: &str = "letters-to-molotov-1925-1936.book.md";

fn edition() -> Option<&'static Edition> {
    static ED: OnceLock<Option<Edition>> = OnceLock::new();
    ED.get_or_init(|| {
        let files = fond_test_support::corpus_files()?;
        let read = files
            .iter()
            .map(|(n, b)| read_source(n, b, "").unwrap_or_else(|e| panic!("{e}")))
            .collect();
        Some(build_edition(read))
    })
    .as_ref()
}

struct Gold {
    number: u32,
    editorial: String,
    earliest: String,
    latest: String,
    senders: BTreeSet<String>,
    addressees: BTreeSet<String>,
    notes: usize,
}

fn gold() -> Vec<Gold> {
    let text = include_str!("gold/letters.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let set = |s: &str| {
                s.split(',')
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect()
            };
            Gold {
                number: f[0].parse().expect("gold number"),
                editorial: f[1].to_string(),
                earliest: f[2].to_string(),
                latest: f[3].to_string(),
                senders: set(f[4]),
                addressees: set(f[5]),
                notes: f[6].parse().expect("gold notes"),
            }
        })
        .collect()
}

fn letter(ed: &Edition, n: u32) -> Option<&Document> {
    ed.documents
        .iter()
        .find(|d| d.number == Some(n) && d.witnesses.iter().any(|w| w.source == BOOK))
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        100.0
    } else {
        a as f64 * 100.0 / b as f64
    }
}

#[test]
fn every_letter_of_the_book_is_recovered_with_date_parties_and_notes() {
    let Some(ed) = edition() else { return };
    let gold = gold();
    assert_eq!(gold.len(), 86);
    let (mut found, mut date_ok, mut addr_ok, mut send_ok, mut notes_ok) = (0, 0, 0, 0, 0);
    for g in &gold {
        let Some(d) = letter(ed, g.number) else {
            println!("letter {:>2}: NOT FOUND", g.number);
            continue;
        };
        found += 1;
        let iv = d.date.interval.as_ref();
        let e = iv
            .and_then(|i| i.earliest)
            .map(|x| x.iso())
            .unwrap_or_default();
        let l = iv
            .and_then(|i| i.latest)
            .map(|x| x.iso())
            .unwrap_or_default();
        let ed_text = d.date.editorial.clone().unwrap_or_default();
        let date_right = ed_text == g.editorial && e == g.earliest && l == g.latest;
        let addr: BTreeSet<String> = d.addressees.iter().cloned().collect();
        let send: BTreeSet<String> = d.senders.iter().cloned().collect();
        let mut bad = Vec::new();
        if date_right {
            date_ok += 1;
        } else {
            bad.push(format!(
                "date [{ed_text}] {e}..{l}, want [{}] {}..{}",
                g.editorial, g.earliest, g.latest
            ));
        }
        if addr == g.addressees {
            addr_ok += 1;
        } else {
            bad.push(format!("addressees {addr:?}, want {:?}", g.addressees));
        }
        if send == g.senders {
            send_ok += 1;
        } else {
            bad.push(format!("senders {send:?}, want {:?}", g.senders));
        }
        if d.notes.len() == g.notes {
            notes_ok += 1;
        } else {
            bad.push(format!("notes {}, want {}", d.notes.len(), g.notes));
        }
        if !bad.is_empty() {
            println!("letter {:>2}: {}", g.number, bad.join("; "));
        }
    }
    let n = gold.len();
    println!("letters found:         {found}/{n}");
    println!(
        "editorial date right:  {date_ok}/{n} ({:.1}%)",
        pct(date_ok, n)
    );
    println!(
        "addressees right:      {addr_ok}/{n} ({:.1}%)",
        pct(addr_ok, n)
    );
    println!(
        "senders right:         {send_ok}/{n} ({:.1}%)",
        pct(send_ok, n)
    );
    println!(
        "note count right:      {notes_ok}/{n} ({:.1}%)",
        pct(notes_ok, n)
    );
    assert_eq!(found, n, "every letter must be found");
    for (what, ok) in [
        ("date", date_ok),
        ("addressees", addr_ok),
        ("notes", notes_ok),
        ("senders", send_ok),
    ] {
        assert!(pct(ok, n) >= 98.0, "{what}: {ok}/{n} is under 98%");
    }
}

/// The archival references printed in the letters' notes, counted
/// independently of the parser: every `f. N` (also glued to the archive's
/// name) and every `Ibid.` that goes on to a `d.`, `l.` or `ll.`.
#[test]
fn archival_references_in_the_letters_notes_are_recovered() {
    let Some(ed) = edition() else { return };
    let Some(files) = fond_test_support::corpus_files() else {
        return;
    };
    let book = String::from_utf8_lossy(&files[0].1).to_string();
    let lines: Vec<&str> = book.lines().collect();
    let fond = regex::Regex::new(r"(?:\b|[A-Z])f\.\s*\d+").expect("regex");
    let ibid = regex::Regex::new(r"(?i)\bibid\.\*?,\s*(?:d|ll?)\.\s*\d").expect("regex");
    let mut printed = 0;
    let mut recovered = 0;
    for d in ed.documents.iter().filter(|d| d.number.is_some()) {
        let Some(w) = d.witnesses.iter().find(|w| w.source == BOOK) else {
            continue;
        };
        let region = lines[(w.first_line - 1) as usize..w.last_line as usize].join("\n");
        let here = fond.find_iter(&region).count() + ibid.find_iter(&region).count();
        let got: usize = d.notes.iter().map(|n| n.archival_refs.len()).sum();
        if got < here {
            println!(
                "letter {:>2}: {got} of {here} references",
                d.number.unwrap_or(0)
            );
        }
        printed += here;
        recovered += got.min(here);
    }
    println!(
        "archival references recovered: {recovered}/{printed} ({:.1}%)",
        pct(recovered, printed)
    );
    assert!(pct(recovered, printed) >= 95.0);
}

/// No note may remain in any body: every printed line that opens a note and
/// reads like one (cites an archive, ibid., or is signed by the translator
/// or the U.S. editor) must be absent from every document's body text.
#[test]
fn no_note_text_inside_any_body() {
    let Some(ed) = edition() else { return };
    let Some(files) = fond_test_support::corpus_files() else {
        return;
    };
    let book = String::from_utf8_lossy(&files[0].1).to_string();
    let note_line = regex::Regex::new(r"^\d{1,2}\.\s+(.{30,})").expect("regex");
    let note_like =
        regex::Regex::new(r"RTsKhIDNI|Ibid\.|ibid\.|—Trans\.|—U\.S\. Ed\.").expect("regex");
    let bodies: Vec<(String, String)> = ed
        .documents
        .iter()
        .map(|d| (d.id.clone(), d.body_text()))
        .collect();
    let mut checked = 0;
    let mut leaks = Vec::new();
    for line in book.lines() {
        let Some(c) = note_line.captures(line) else {
            continue;
        };
        if !note_like.is_match(line) {
            continue;
        }
        let probe: String = fond_ingest_plain(&c[1]).chars().take(60).collect();
        checked += 1;
        for (id, body) in &bodies {
            if body.contains(&probe) {
                leaks.push(format!("{id}: {probe}"));
            }
        }
    }
    println!(
        "note openings checked: {checked}; found in a body: {}",
        leaks.len()
    );
    for l in &leaks {
        println!("  {l}");
    }
    assert!(checked > 150);
    assert!(leaks.is_empty());
}

fn fond_ingest_plain(s: &str) -> String {
    s.replace("<sup>", "")
        .replace("</sup>", "")
        .replace('*', "")
}

#[test]
fn letters_31_to_38_have_the_web_transcription_as_second_witness() {
    let Some(ed) = edition() else { return };
    let mut ok = 0;
    for n in 31..=38 {
        let d = letter(ed, n).expect("letter");
        let sources: Vec<&str> = d.witnesses.iter().map(|w| w.source.as_str()).collect();
        println!("letter {n}: witnesses {sources:?}");
        if sources == [BOOK, "letters-to-molotov-31-38.web.txt"] {
            ok += 1;
        }
    }
    println!("letters 31-38 with two witnesses: {ok}/8");
    assert_eq!(ok, 8);
    // No web letter stands alone: all eight joined the book's letters.
    let alone = ed
        .documents
        .iter()
        .filter(|d| {
            d.witnesses
                .iter()
                .all(|w| w.source == "letters-to-molotov-31-38.web.txt")
        })
        .count();
    assert_eq!(alone, 0);
}

/// Further letters of the same web site, saved without the site's
/// navigation and title (the first marker indented by a non-breaking
/// space), still join the book's letters as witnesses: the shape is
/// recognised by its `Letter N` markers with bracketed dates, and a source
/// that does not name its collection is matched by number and text.
#[test]
fn a_web_copy_without_its_header_joins_the_books_letters() {
    let Some(files) = fond_test_support::corpus_files() else {
        return;
    };
    let web = files
        .iter()
        .find(|(n, _)| n == "letters-to-molotov-31-38.web.txt")
        .map(|(_, b)| String::from_utf8_lossy(b).to_string())
        .expect("web file");
    let lines: Vec<&str> = web.lines().collect();
    let first = lines
        .iter()
        .position(|l| l.trim() == "Letter 31")
        .expect("first marker");
    let mut copy = format!("\u{a0}{}\n", lines[first].trim());
    copy.push_str(&lines[first + 1..].join("\n"));
    let name = "more-letters.txt";
    let book = files.iter().find(|(n, _)| n == BOOK).expect("book");
    let read = vec![
        read_source(BOOK, &book.1, "").expect("book reads"),
        read_source(name, copy.as_bytes(), "").expect("copy reads"),
    ];
    assert_eq!(read[1].source.shape, fond_model::SourceShape::WebLetters);
    let ed = build_edition(read);
    let mut joined = 0;
    for n in 31..=38 {
        let d = letter(&ed, n).expect("letter");
        if d.witnesses.iter().any(|w| w.source == name) {
            joined += 1;
        }
    }
    println!("headerless web copy: {joined}/8 letters joined as witnesses");
    assert_eq!(joined, 8);
    let alone = ed
        .documents
        .iter()
        .filter(|d| d.witnesses.iter().all(|w| w.source == name))
        .count();
    assert_eq!(alone, 0, "no letter of the copy stands alone");
}

#[test]
fn the_1939_telegram_has_its_two_translations_as_witnesses() {
    let Some(ed) = edition() else { return };
    let d = ed
        .documents
        .iter()
        .find(|d| {
            d.date
                .interval
                .as_ref()
                .is_some_and(|i| i.edtf == "1939-01-10")
        })
        .expect("the telegram of 10 January 1939");
    println!("{}: {} witnesses", d.id, d.witnesses.len());
    assert_eq!(d.witnesses.len(), 2);
    assert!(
        d.witnesses[1].label.contains("Grover Furr"),
        "{}",
        d.witnesses[1].label
    );
    assert!(d.witnesses[0].text.contains("The VKP CC affirms"));
    assert!(d.witnesses[1]
        .text
        .contains("explains that use of physical"));
    assert!(!d.witnesses[1].text.contains("Dr. Furr expounds"));
    assert!(d.notes.iter().any(|n| n.text.contains("Dr. Furr expounds")));
}

#[test]
fn the_other_sources_yield_their_documents() {
    let Some(ed) = edition() else { return };
    let draft = ed
        .documents
        .iter()
        .find(|d| {
            d.witnesses
                .iter()
                .any(|w| w.source == "to-all-party-organisations-1920.web.txt")
        })
        .expect("the 1920 draft letter");
    assert_eq!(
        draft.date.interval.as_ref().map(|i| i.edtf.as_str()),
        Some("1920-07")
    );
    assert_eq!(draft.notes.len(), 1);
    assert!(draft.notes[0].text.contains("Lenin wrote on this draft"));
    let telegram_1936 = ed
        .documents
        .iter()
        .find(|d| d.addressees.iter().any(|a| a == "Kaganovich"))
        .expect("the 1936 cipher telegram");
    assert_eq!(telegram_1936.kind, fond_model::DocKind::CodedTelegram);
    assert!(telegram_1936
        .body_text()
        .contains("Pravda fell flat on its face"));
    let intro = ed
        .documents
        .iter()
        .find(|d| d.title.contains("Meeting of Voters"))
        .expect("the 1937 introduction");
    assert_eq!(intro.kind, fond_model::DocKind::EditorialText);
    assert_eq!(intro.notes.len(), 2);
    assert!(!intro.body_text().contains("Pravda, Dec. 12, 1937"));
}

#[test]
fn the_memorandum_of_17_june_1925_is_a_document_linked_to_its_introduction() {
    let Some(ed) = edition() else { return };
    let m = ed
        .documents
        .iter()
        .find(|d| d.kind == fond_model::DocKind::Memorandum)
        .expect("the memorandum");
    println!("{} — {}", m.id, m.title);
    assert_eq!(
        m.date.interval.as_ref().map(|i| i.edtf.as_str()),
        Some("1925-06-17")
    );
    let host = m.quoted_in.as_deref().expect("quoted in");
    let intro = ed.documents.iter().find(|d| d.id == host).expect("host");
    assert!(intro.quotes.contains(&m.id));
    assert!(m.body_text().contains("PROPOSE TO COM. TROTSKY"));
}

#[test]
fn dates_that_disagree_are_flagged() {
    let Some(ed) = edition() else { return };
    // Stalin wrote 1926 on letters of 1927 (31–38 among them).
    let flagged: Vec<u32> = ed
        .documents
        .iter()
        .filter(|d| d.date.disagreement && d.witnesses.iter().any(|w| w.source == BOOK))
        .filter_map(|d| d.number)
        .collect();
    println!("letters whose dateline and editorial date disagree: {flagged:?}");
    for n in [31, 32, 33, 35, 36, 38] {
        assert!(flagged.contains(&n), "letter {n} must be flagged");
    }
}

#[test]
fn editorial_texts_cover_the_book() {
    let Some(ed) = edition() else { return };
    let titles: Vec<&str> = ed
        .documents
        .iter()
        .filter(|d| d.kind == fond_model::DocKind::EditorialText)
        .map(|d| d.title.as_str())
        .collect();
    println!("{titles:#?}");
    for want in [
        "Foreword",
        "Preface",
        "Introduction",
        "Glossary of Names",
        "Index",
        "1925: introduction",
        "Appendix",
    ] {
        assert!(titles.iter().any(|t| t.contains(want)), "missing {want}");
    }
}

#[test]
fn readers_marks_remarks_and_additions_are_recovered() {
    let Some(ed) = edition() else { return };
    let one = letter(ed, 1).expect("letter 1");
    let marks: Vec<(&str, &str, Option<&str>)> = one
        .marginalia
        .iter()
        .map(|m| (m.by.as_str(), m.text.as_str(), m.place.as_deref()))
        .collect();
    assert_eq!(
        marks[0],
        ("Molotov", "1925=?", Some("upper right-hand corner"))
    );
    assert_eq!(marks[1].0, "Bukharin");
    assert_eq!(marks[1].2, Some("upper left-hand corner"));
    let with_marks = ed
        .documents
        .iter()
        .filter(|d| !d.marginalia.is_empty())
        .count();
    println!("documents with readers' marks reported in their notes: {with_marks}");

    let comments_by = |n: u32| -> BTreeSet<String> {
        letter(ed, n)
            .map(|d| {
                d.body
                    .iter()
                    .filter_map(|b| match &b.kind {
                        fond_model::BlockKind::Comment { by } => by.clone(),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        comments_by(23),
        ["Molotov", "Tomskii"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    assert_eq!(
        comments_by(55),
        ["Molotov"].iter().map(|s| s.to_string()).collect()
    );
    // Signed "Koba", Stalin's nickname: his own letter, not a comment.
    assert!(comments_by(30).is_empty(), "{:?}", comments_by(30));
    assert_eq!(
        letter(ed, 55).map(|d| d.kind),
        Some(fond_model::DocKind::Note)
    );
    let additions = letter(ed, 27)
        .map(|d| {
            d.body
                .iter()
                .filter(|b| b.kind == fond_model::BlockKind::Addition)
                .count()
        })
        .unwrap_or(0);
    assert!(additions >= 5, "letter 27's addition: {additions} blocks");
}

/// Damaged copies of the real sources — cut short anywhere, lines dropped,
/// lines doubled — must never panic a reader: they read, or they are
/// refused with an error.
#[test]
fn damaged_sources_never_panic_the_readers() {
    let Some(files) = fond_test_support::corpus_files() else {
        return;
    };
    let mut tried = 0;
    for (name, bytes) in &files {
        let text = String::from_utf8_lossy(bytes).to_string();
        let lines: Vec<&str> = text.lines().collect();
        for k in 1..=20 {
            // Cut at a fraction of the lines, lines dropped, lines doubled.
            for copy in common::damaged(&lines, k, k as f64 / 20.0) {
                common::never_fails(name, copy.as_bytes());
                tried += 1;
            }
        }
    }
    println!("damaged copies read without a panic: {tried}");
}
