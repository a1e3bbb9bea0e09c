//! Whole-data test of CMIF input on the four real CMIF files in
//! `../shared/external/cmif-samples` (3,004 letters): every
//! `correspDesc` becomes one metadata-only document, whose senders,
//! addressees and date agree with an independent extraction of the files
//! (regular expressions over the raw XML, not the reader's parser).
//! Skips with a message when the files are absent; fails then under
//! `FOND_REQUIRE_CORPUS=1`.

use fond_ingest::{build_edition, read_source};
use fond_model::{Day, Document};
use regex::Regex;
use std::path::PathBuf;

fn dir() -> PathBuf {
    fond_test_support::external("cmif-samples")
}

#[derive(Debug, PartialEq)]
struct Entry {
    senders: Vec<String>,
    addressees: Vec<String>,
    earliest: Option<String>,
    latest: Option<String>,
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
}

fn squash(s: &str) -> String {
    unescape(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A bound as the interval's day: `YYYY` → first or last day of the year,
/// `YYYY-MM` → of the month.
fn bound(v: &str, last: bool) -> String {
    let p: Vec<&str> = v.split('-').collect();
    let y: i32 = p[0].parse().expect("year");
    match p.len() {
        1 => {
            if last {
                format!("{y}-12-31")
            } else {
                format!("{y}-01-01")
            }
        }
        2 => {
            let m: u8 = p[1].parse().expect("month");
            if last {
                Day::last_of_month(y, m).iso()
            } else {
                Day::first_of_month(y, m).iso()
            }
        }
        _ => v.to_string(),
    }
}

fn expected(file: &str) -> Vec<Entry> {
    let cd = Regex::new(r"(?s)<correspDesc\b[^>]*>(.*?)</correspDesc>").unwrap();
    let action =
        Regex::new(r#"(?s)<correspAction\b[^>]*type="(sent|received)"[^>]*>(.*?)</correspAction>"#)
            .unwrap();
    let name = Regex::new(r"(?s)<(persName|orgName)\b[^>]*>(.*?)</(?:persName|orgName)>").unwrap();
    let date = Regex::new(r"(?s)<date\b([^>]*?)(?:/>|>(.*?)</date>)").unwrap();
    let tag = Regex::new(r"<[^>]+>").unwrap();
    let attr_re = Regex::new(r#"\b([A-Za-z]+)="([^"]*)""#).unwrap();
    let attr = |attrs: &str, k: &str| -> Option<String> {
        attr_re
            .captures_iter(attrs)
            .find(|c| &c[1] == k)
            .map(|c| c[2].trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let mut out = Vec::new();
    for c in cd.captures_iter(file) {
        let mut e = Entry {
            senders: Vec::new(),
            addressees: Vec::new(),
            earliest: None,
            latest: None,
        };
        let mut dated = false;
        for a in action.captures_iter(&c[1]) {
            let names: Vec<String> = name
                .captures_iter(&a[2])
                .map(|n| squash(&tag.replace_all(&n[2], "")))
                .filter(|n| !n.is_empty())
                .collect();
            if &a[1] == "sent" {
                e.senders.extend(names);
                if !dated {
                    if let Some(d) = date.captures(&a[2]) {
                        dated = true;
                        let at = &d[1];
                        if let Some(w) = attr(at, "when") {
                            e.earliest = Some(bound(&w, false));
                            e.latest = Some(bound(&w, true));
                        } else {
                            e.earliest = attr(at, "notBefore")
                                .or_else(|| attr(at, "from"))
                                .map(|v| bound(&v, false));
                            e.latest = attr(at, "notAfter")
                                .or_else(|| attr(at, "to"))
                                .map(|v| bound(&v, true));
                        }
                    }
                }
            } else {
                e.addressees.extend(names);
            }
        }
        out.push(e);
    }
    out
}

#[test]
fn every_cmif_letter_agrees_with_the_file() {
    let Ok(entries) = std::fs::read_dir(dir()) else {
        fond_test_support::available(dir().display(), false);
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    let mut total = 0;
    let (mut senders, mut addressees, mut dates, mut text_dates) = (0, 0, 0, 0);
    let mut mismatches = Vec::new();
    let mut read = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(f).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        let r = read_source(&name, &bytes, "").unwrap_or_else(|e| panic!("{e}"));
        let docs: Vec<&Document> = r.parsed.documents.iter().collect();
        let want = expected(&text);
        assert_eq!(
            docs.len(),
            want.len(),
            "{name}: one document per correspDesc"
        );
        for (d, e) in docs.iter().zip(&want) {
            total += 1;
            assert!(d.metadata_only, "{name}: {} is metadata only", d.id);
            senders += usize::from(d.senders == e.senders);
            addressees += usize::from(d.addressees == e.addressees);
            let i = d.date.interval.as_ref();
            let got = (
                i.and_then(|i| i.earliest).map(|x| x.iso()),
                i.and_then(|i| i.latest).map(|x| x.iso()),
            );
            if got == (e.earliest.clone(), e.latest.clone()) {
                dates += 1;
            } else if e.earliest.is_none() && e.latest.is_none() && got.0.is_some() {
                // A date the file gives only as text, read from it (a finding).
                text_dates += 1;
            } else {
                mismatches.push(format!(
                    "{name} {}: date {got:?}, file {:?}",
                    d.id,
                    (&e.earliest, &e.latest)
                ));
            }
            if d.senders != e.senders || d.addressees != e.addressees {
                mismatches.push(format!(
                    "{name} {}: {:?} → {:?}, file {:?} → {:?}",
                    d.id, d.senders, d.addressees, e.senders, e.addressees
                ));
            }
        }
        read.push(r);
    }
    println!(
        "CMIF: {total} letters; senders {senders}/{total}, addressees {addressees}/{total}, dates {dates}/{total} (+{text_dates} read from text)"
    );
    assert_eq!(total, 3004, "the four files describe 3,004 letters");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    // The duplicate (source, key) of the Spener file is reported, and both
    // entries stay.
    let ed = build_edition(read);
    assert_eq!(ed.documents.len(), 3004, "no entry dropped or merged");
    assert!(
        ed.findings
            .iter()
            .any(|f| f.message.contains("lists key 144 twice")),
        "the duplicate key is a finding"
    );
    // Text-only dates are findings, read where fond can.
    assert!(ed
        .findings
        .iter()
        .any(|f| f.message.contains("\"Juli 1925\"")));
}
