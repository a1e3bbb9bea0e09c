//! TEI text fidelity on two real editions (`../shared/external`): the
//! Schnitzler letters (space, long s as `<c>`, letterhead segments, line
//! breaks inside words) and the Humboldt letters. Every word of a letter's
//! reading text must be a word of the edition's own text, as an
//! independent tokenisation of the file reads it (regular expressions
//! over the raw XML: `lb` with `break="no"` joins, other line breaks,
//! `space` and block ends separate, page breaks separate words where the
//! edition marks breaks inside words and are transparent where it never
//! does, the
//! regular reading of `choice` is kept, notes, deletions and forme work
//! left out): a word
//! fond glued to its neighbour or split is a word that tokenisation never
//! produces. Skips when the data is absent; fails then under
//! `FOND_REQUIRE_CORPUS=1`.

use fond_ingest::read_source;
use regex::Regex;
use std::collections::HashSet;
use std::path::PathBuf;

fn words(text: &str) -> Vec<String> {
    // The editors' brackets around a supplied part of a word (`[ha]ben`)
    // are marks, not word boundaries.
    let text = text.replace(['[', ']'], "");
    text.split(|c: char| !c.is_alphanumeric() && c != 'ſ')
        .filter(|w| w.chars().count() >= 2)
        .map(|w| w.to_lowercase())
        .collect()
}

/// The edition's own words, read from the raw XML without fond's parser.
fn expected_words(xml: &str) -> HashSet<String> {
    let body_start = xml.find("<body").unwrap_or(0);
    let body_end = xml.rfind("</body>").unwrap_or(xml.len());
    let mut t = xml[body_start..body_end].to_string();
    let drop = |t: &str, re: &str| Regex::new(re).unwrap().replace_all(t, " ").to_string();
    // Notes, deletions and forme work sit at a point of the text: they
    // neither join nor separate its words.
    let gone = |t: &str, re: &str| Regex::new(re).unwrap().replace_all(t, "").to_string();
    for el in ["note", "del", "fw", "figure", "metamark"] {
        t = gone(&t, &format!(r"(?s)<{el}\b[^>]*/>"));
        t = gone(&t, &format!(r"(?s)<{el}\b[^>]*>.*?</{el}>"));
    }
    // An edition that marks breaks inside words (`break="no"`) breaks
    // pages between words everywhere else; one that never marks them
    // breaks pages inside words too.
    let page_break = if xml.contains("break=\"no\"") {
        " "
    } else {
        ""
    };
    // A choice reads as its regular form alone (the markup's own
    // indentation inside `choice` is no space of the text).
    let choice = Regex::new(r"(?s)<choice\b[^>]*>(.*?)</choice>").unwrap();
    let reading = Regex::new(r"(?s)<(reg|expan|corr)\b[^>]*>(.*?)</(?:reg|expan|corr)>").unwrap();
    t = choice
        .replace_all(&t, |c: &regex::Captures| {
            reading
                .captures(&c[1])
                .map_or(String::new(), |r| r[2].to_string())
        })
        .to_string();
    // Line breaks inside a word join it; page and column breaks are
    // transparent (the edition's own white space around them decides).
    // (up to its next letters, the markup between is layout: white
    // space and page breaks go, other tags stay for what they mean).
    let page_tag = Regex::new(r"<(?:pb|cb)\b[^>]*/>").unwrap();
    t = Regex::new(r#"<lb\b[^>]*break="no"[^>]*/>((?:\s|<[^>]+>)*)"#)
        .unwrap()
        .replace_all(&t, |c: &regex::Captures| {
            page_tag
                .replace_all(&c[1], "")
                .chars()
                .filter(|ch| !ch.is_whitespace())
                .collect::<String>()
        })
        .to_string();
    t = Regex::new(r"<(?:pb|cb)\b[^>]*/>")
        .unwrap()
        .replace_all(&t, page_break)
        .to_string();
    t = drop(&t, r"<(?:lb|space)\b[^>]*/?>");
    // Blocks and the parts of a letter's opening and closing stand apart.
    t = drop(
        &t,
        r"</?(?:p|seg|div|head|opener|closer|salute|dateline|signed|address|addrLine|postscript|item|ab|l|lg|list|table|row|cell)\b[^>]*>",
    );
    t = Regex::new(r"<[^>]+>")
        .unwrap()
        .replace_all(&t, "")
        .to_string();
    let t = t
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'");
    words(&t).into_iter().collect()
}

fn check(folder: &str) -> Option<(usize, usize, Vec<String>)> {
    let dir = fond_test_support::external(folder);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        fond_test_support::available(dir.display(), false);
        return None;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    let (mut letters, mut total) = (0, 0);
    let mut bad = Vec::new();
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&f).unwrap();
        let xml = String::from_utf8_lossy(&bytes).to_string();
        let want = expected_words(&xml);
        let r = read_source(&name, &bytes, "").unwrap_or_else(|e| panic!("{e}"));
        for d in &r.parsed.documents {
            letters += 1;
            let body = d.body_text();
            for w in words(&body) {
                total += 1;
                if !want.contains(&w) {
                    let lower = body.to_lowercase();
                    let at = lower.find(&w).unwrap_or(0);
                    let from = lower[..at].char_indices().rev().nth(30).map_or(0, |x| x.0);
                    let to = lower[at..]
                        .char_indices()
                        .nth(w.chars().count() + 30)
                        .map_or(lower.len(), |x| at + x.0);
                    bad.push(format!(
                        "{name}: \"{w}\" in …{}…",
                        &lower[from..to].replace('\n', " ")
                    ));
                }
            }
        }
    }
    Some((letters, total, bad))
}

#[test]
fn schnitzler_letters_read_as_printed() {
    let Some((letters, total, bad)) = check("schnitzler-briefe-tei") else {
        return;
    };
    println!(
        "Schnitzler: {letters} letters, {total} words, {} glued or split",
        bad.len()
    );
    assert_eq!(letters, 100);
    assert!(
        bad.is_empty(),
        "{}",
        bad.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn humboldt_letters_read_as_printed() {
    let Some((letters, total, bad)) = check("humboldt-letters") else {
        return;
    };
    println!(
        "Humboldt: {letters} letters, {total} words, {} glued or split",
        bad.len()
    );
    assert!(letters >= 440);
    assert!(
        bad.is_empty(),
        "{}",
        bad.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}

/// The Schnitzler letters are named by their edition (the series title),
/// not by the handle server in their URLs; their notes are the editors'
/// by name; a note's pointer to a diary entry keeps its target; the
/// letterhead's segments and encoded spaces stand apart.
#[test]
fn a_schnitzler_letter_keeps_its_edition_editors_and_pointers() {
    let f = fond_test_support::external("schnitzler-briefe-tei/L00001.xml");
    let Ok(bytes) = std::fs::read(&f) else {
        fond_test_support::available(f.display(), false);
        return;
    };
    let r = read_source("L00001.xml", &bytes, "").expect("reads");
    let d = &r.parsed.documents[0];
    assert_eq!(
        d.collection,
        "arthur-schnitzler-briefwechsel-mit-autorinnen-und-autoren"
    );
    assert!(!d.id.contains("hdl-handle-net"), "{}", d.id);
    // The letter's own title (`level="a"`), not the series'.
    assert_eq!(d.title, "Fedor Mamroth an Arthur Schnitzler, 2. 8. 1889");
    assert!(!d.notes.is_empty());
    for n in &d.notes {
        assert!(n.by.label().contains("Müller, Martin Anton"), "{:?}", n.by);
        assert!(!n.text.contains("()"), "an empty pointer: {}", n.text);
    }
    assert!(
        d.notes
            .iter()
            .any(|n| n.text.contains("schnitzler-tagebuch: 1889-09-08")),
        "{:?}",
        d.notes.iter().map(|n| &n.text).collect::<Vec<_>>()
    );
    let body = d.body_text();
    assert!(body.contains("Handelsblatt. Redaction."), "{body}");
    assert!(body.contains("düster, so"), "{body}");
}
