//! Whole-data test of the TEI reader on the 549 real letters of *edition
//! humboldt digital* (BBAW, CC BY-SA 4.0) in
//! `../shared/external/humboldt-letters`: every letter's senders,
//! addressees, date interval and place are compared with what a separate,
//! deliberately small extraction in this file reads from the letter's
//! `correspDesc` (regular expressions over the XML text: not the reader's
//! code path, not even its parser). Skips, with a message, when the data
//! is not beside the repository.

use fond_ingest::{build_edition, read_source};
use fond_model::{Day, Document, Edition};
use regex::Regex;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn data_dir() -> PathBuf {
    fond_test_support::external("humboldt-letters")
}

fn files() -> Option<Vec<(String, Vec<u8>)>> {
    let dir = data_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        fond_test_support::available(dir.display(), false);
        return None;
    };
    let mut out: Vec<(String, Vec<u8>)> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    Some(out)
}

/// What the test reads from a `correspDesc` on its own.
#[derive(Debug, Default, PartialEq)]
struct Expected {
    senders: Vec<String>,
    addressees: Vec<String>,
    place: Option<String>,
    earliest: Option<Day>,
    latest: Option<Day>,
}

fn plain(xml: &str) -> String {
    let tags = Regex::new(r"<[^>]*>").unwrap();
    let t = tags.replace_all(xml, "");
    let t = t
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn bound(v: &str, last: bool) -> Day {
    let p: Vec<i32> = v.split('-').map(|x| x.parse().unwrap()).collect();
    match (p.len(), last) {
        (1, false) => Day::new(p[0], 1, 1).unwrap(),
        (1, true) => Day::new(p[0], 12, 31).unwrap(),
        (2, false) => Day::new(p[0], p[1] as u8, 1).unwrap(),
        (2, true) => Day::last_of_month(p[0], p[1] as u8),
        _ => Day::new(p[0], p[1] as u8, p[2] as u8).unwrap(),
    }
}

fn expected(xml: &str) -> Expected {
    let action =
        Regex::new(r#"(?s)<correspAction type="(sent|received)">(.*?)</correspAction>"#).unwrap();
    let name = Regex::new(r#"(?s)<(persName|orgName)\b[^>]*>(.*?)</(persName|orgName)>"#).unwrap();
    let place = Regex::new(r#"(?s)<placeName\b[^>]*>(.*?)</placeName>"#).unwrap();
    let date = Regex::new(r#"<date\b([^>]*)/?>"#).unwrap();
    let attr = |attrs: &str, k: &str| {
        Regex::new(&format!(r#"\b{k}="([^"]*)""#))
            .unwrap()
            .captures(attrs)
            .map(|c| c[1].to_string())
    };
    let mut e = Expected::default();
    for a in action.captures_iter(xml) {
        let names: Vec<String> = name.captures_iter(&a[2]).map(|c| plain(&c[2])).collect();
        if &a[1] == "sent" {
            e.senders.extend(names);
            if e.place.is_none() {
                e.place = place.captures(&a[2]).map(|c| plain(&c[1]));
            }
            if let Some(d) = date.captures(&a[2]) {
                let attrs = &d[1];
                if let Some(w) = attr(attrs, "when") {
                    e.earliest = Some(bound(&w, false));
                    e.latest = Some(bound(&w, true));
                } else {
                    e.earliest = attr(attrs, "notBefore")
                        .or_else(|| attr(attrs, "from"))
                        .map(|v| bound(&v, false));
                    e.latest = attr(attrs, "notAfter")
                        .or_else(|| attr(attrs, "to"))
                        .map(|v| bound(&v, true));
                }
            }
        } else {
            e.addressees.extend(names);
        }
    }
    e
}

#[test]
fn every_humboldt_letter_agrees_with_its_corresp_desc() {
    let Some(files) = files() else { return };
    // 440 letters were given first, 109 more later: every one is checked.
    let n = files.len();
    assert!(n >= 440, "the data set has at least 440 letters, found {n}");
    let mut read = Vec::new();
    let mut failed = Vec::new();
    for (name, bytes) in &files {
        match read_source(name, bytes, "") {
            Ok(r) => read.push(r),
            Err(e) => failed.push(e.to_string()),
        }
    }
    assert!(failed.is_empty(), "refused: {failed:#?}");
    let edition: Edition = build_edition(read);
    assert_eq!(edition.documents.len(), n);
    let by_source: BTreeMap<&str, &Document> = edition
        .documents
        .iter()
        .map(|d| (d.witnesses[0].source.as_str(), d))
        .collect();
    let (mut senders, mut addressees, mut dates, mut places, mut texts) = (0, 0, 0, 0, 0);
    let mut mismatches = Vec::new();
    for (name, bytes) in &files {
        let xml = std::str::from_utf8(bytes).unwrap();
        let e = expected(xml);
        let d = by_source[name.as_str()];
        let i = d.date.interval.as_ref();
        let got = Expected {
            senders: d.senders.clone(),
            addressees: d.addressees.clone(),
            place: d.place.clone(),
            earliest: i.and_then(|i| i.earliest),
            latest: i.and_then(|i| i.latest),
        };
        senders += usize::from(got.senders == e.senders);
        addressees += usize::from(got.addressees == e.addressees);
        dates += usize::from((got.earliest, got.latest) == (e.earliest, e.latest));
        places += usize::from(got.place == e.place);
        texts += usize::from(!d.body_text().trim().is_empty());
        if got != e {
            mismatches.push(format!("{name}: read {got:?}, expected {e:?}"));
        }
        assert!(
            d.witnesses[0].label.contains("CC BY-SA 4.0"),
            "{name}: attribution kept"
        );
    }
    eprintln!(
        "Humboldt letters: senders {senders}/{n}, addressees {addressees}/{n}, dates {dates}/{n}, \
         places {places}/{n}, body text {texts}/{n}"
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    assert_eq!(texts, n, "every letter has its text");
}

#[test]
fn spot_checked_texts_are_in_the_archive() {
    let Some(files) = files() else { return };
    let checks = [
        (
            "H0000003.xml",
            "Ich habe die grosse Freude Ihnen zu melden, mein theurer Freund",
        ),
        ("H0000699.xml", "When about to set off from Paris"),
        ("H0002733.xml", "Je vous supplie de"),
    ];
    for (name, phrase) in checks {
        let (_, bytes) = files.iter().find(|(n, _)| n == name).unwrap();
        let r = read_source(name, bytes, "").unwrap();
        let body = r.parsed.documents[0].body_text();
        let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(phrase), "{name}: {flat}");
        assert!(!flat.contains("gewahlt"), "{name}: the regularised reading");
    }
}
