//! Joining letters known by their metadata (a CMIF entry) with the same
//! letters held in full.
//!
//! A union catalogue describes letters other editions hold; when the
//! archive also holds one of them in full (its TEI file, the book's text),
//! the two are one letter. The letter held in full keeps its id, its text
//! and its witnesses, and takes the entry as one more witness (the
//! metadata and the link to the text online stay with it, and the CMIF
//! export gives the entry back as it came); the entry's own document goes.
//!
//! Two rules decide that an entry and a letter are the same, tried in
//! this order:
//!
//! 1. **Same edition and key**: the same collection and the same number
//!    (an entry's key becomes its number when its file cites one edition;
//!    a profile can give both sources one collection).
//! 2. **Same parties and day**: the same senders and the same addressees
//!    (by a shared authority URI where both give one, else by surname) and
//!    the same date to the day.
//!
//! An entry that fits several letters is joined to none, with a finding; a
//! join is a finding too, so an editor sees every one. Work is linear:
//! candidates are looked up by (collection, number) and by day.

use fond_model::authority::{MentionField, NameRef};
use fond_model::{DocKind, Document, Finding, FindingKind, Precision};
use std::collections::HashMap;

/// Joins every metadata-only document of `docs` that describes a letter
/// held in full into that letter. Returns the findings.
pub(crate) fn join_entries(docs: &mut Vec<Document>) -> Vec<Finding> {
    let held = |d: &Document| !d.metadata_only && d.kind != DocKind::EditorialText;
    let mut by_number: HashMap<(&str, u32), Vec<usize>> = HashMap::new();
    let mut by_day: HashMap<(i32, u8, u8), Vec<usize>> = HashMap::new();
    for (i, d) in docs.iter().enumerate().filter(|(_, d)| held(d)) {
        if let Some(n) = d.number {
            by_number
                .entry((d.collection.as_str(), n))
                .or_default()
                .push(i);
        }
        if let Some(day) = exact_day(d) {
            by_day.entry(day).or_default().push(i);
        }
    }
    // (entry, letter, rule) for each join decided; entries fitting several
    // letters as findings.
    let mut joins: Vec<(usize, usize, &'static str)> = Vec::new();
    let mut findings = Vec::new();
    for (e, entry) in docs.iter().enumerate().filter(|(_, d)| d.metadata_only) {
        let same_key: Vec<usize> = entry
            .number
            .and_then(|n| by_number.get(&(entry.collection.as_str(), n)))
            .cloned()
            .unwrap_or_default();
        let (found, rule) = if !same_key.is_empty() {
            (same_key, "the same collection and number")
        } else {
            let same_day = exact_day(entry)
                .and_then(|day| by_day.get(&day))
                .map(|c| {
                    c.iter()
                        .copied()
                        .filter(|&f| same_parties(entry, &docs[f]))
                        .collect()
                })
                .unwrap_or_default();
            (same_day, "the same parties and day")
        };
        match found.as_slice() {
            [] => {}
            [f] => joins.push((e, *f, rule)),
            several => {
                let ids: Vec<&str> = several.iter().map(|&f| docs[f].id.as_str()).collect();
                findings.push(finding(
                    entry,
                    None,
                    format!(
                        "this entry fits {} letters held in full ({}): joined to none; an editor decides",
                        several.len(),
                        ids.join(", ")
                    ),
                ));
            }
        }
    }
    if joins.is_empty() {
        return findings;
    }
    let mut gone = vec![false; docs.len()];
    for &(e, f, rule) in &joins {
        let entry = docs[e].clone();
        findings.push(finding(
            &entry,
            Some(&docs[f].id),
            format!(
                "the catalogue entry {} describes this letter ({rule}): joined, the entry kept as a witness",
                entry.id
            ),
        ));
        absorb(&mut docs[f], entry);
        gone[e] = true;
    }
    let mut k = 0;
    docs.retain(|_| {
        k += 1;
        !gone[k - 1]
    });
    findings
}

/// The day a document is dated to, when its date is exactly one day.
fn exact_day(d: &Document) -> Option<(i32, u8, u8)> {
    let i = d.date.interval.as_ref()?;
    match (i.precision, i.earliest, i.latest) {
        (Precision::Day, Some(a), Some(b)) if a == b => Some((a.year, a.month, a.day)),
        _ => None,
    }
}

/// Whether two documents have the same senders and the same addressees.
fn same_parties(a: &Document, b: &Document) -> bool {
    let side = |field: MentionField, pa: &[String], pb: &[String]| {
        !pa.is_empty()
            && pa.len() == pb.len()
            && pa.iter().enumerate().all(|(i, name)| {
                (0..pb.len()).any(|j| same_person(a, b, field, i, j, name, &pb[j]))
            })
    };
    side(MentionField::Sender, &a.senders, &b.senders)
        && side(MentionField::Addressee, &a.addressees, &b.addressees)
}

/// Whether party `i` of `a` and party `j` of `b` (both of `field`) are one
/// person: by a shared URI when both give URIs, else by surname.
fn same_person(
    a: &Document,
    b: &Document,
    field: MentionField,
    i: usize,
    j: usize,
    name_a: &str,
    name_b: &str,
) -> bool {
    let refs = |d: &Document, k: usize| -> Option<Vec<String>> {
        d.name_refs
            .iter()
            .find(|r| r.field == field && r.start == k)
            .map(|r| r.refs.clone())
    };
    match (refs(a, i), refs(b, j)) {
        (Some(x), Some(y)) => x.iter().any(|u| y.contains(u)),
        _ => {
            let (ka, kb) = (surname_key(name_a), surname_key(name_b));
            !ka.is_empty() && ka == kb
        }
    }
}

/// A name's surname, folded: `Beispiel, Anna`, `Anna Beispiel` and
/// `A. BEISPIEL` give `beispiel`. Life dates in parentheses are left
/// out.
fn surname_key(name: &str) -> String {
    let bare = name.split(" (").next().unwrap_or(name).trim();
    let surname = match bare.split_once(',') {
        Some((s, _)) => s.trim(),
        None => bare.rsplit(char::is_whitespace).next().unwrap_or(bare),
    };
    fond_text::slug_any_script(&[surname])
}

/// The letter held in full takes the entry's witnesses, its link to the
/// text online, and the URIs of its parties where the letter has none.
fn absorb(letter: &mut Document, entry: Document) {
    letter.witnesses.extend(entry.witnesses);
    if letter.online.is_none() {
        letter.online = entry.online;
    }
    let same_sides = letter.senders.len() == entry.senders.len()
        && letter.addressees.len() == entry.addressees.len();
    if same_sides {
        let missing: Vec<NameRef> = entry
            .name_refs
            .into_iter()
            .filter(|r| r.field.is_party())
            .filter(|r| {
                !letter
                    .name_refs
                    .iter()
                    .any(|l| l.field == r.field && l.start == r.start)
            })
            .collect();
        letter.name_refs.extend(missing);
    }
}

fn finding(entry: &Document, letter: Option<&str>, message: String) -> Finding {
    let (source, line) = entry
        .witnesses
        .first()
        .map(|w| (w.source.clone(), w.first_line))
        .unwrap_or_default();
    Finding {
        kind: FindingKind::CatalogueEntry,
        source,
        line,
        document: Some(letter.unwrap_or(&entry.id).to_string()),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fond_model::{Day, HistDate, Qualifier, Witness};

    fn day(y: i32, m: u8, d: u8) -> HistDate {
        let x = Day::new(y, m, d).expect("a day");
        HistDate {
            text: x.iso(),
            edtf: x.iso(),
            earliest: Some(x),
            latest: Some(x),
            precision: Precision::Day,
            qualifier: Qualifier::Exact,
            calendar: "gregorian".into(),
        }
    }

    fn letter(id: &str, from: &str, to: &str, date: HistDate, metadata_only: bool) -> Document {
        let mut d = Document::new(id, "c", DocKind::Letter);
        d.senders = vec![from.into()];
        d.addressees = vec![to.into()];
        d.date.interval = Some(date);
        d.metadata_only = metadata_only;
        d.witnesses.push(Witness {
            source: format!("{id}.xml"),
            first_line: 7,
            last_line: 9,
            label: "w".into(),
            text: String::new(),
            markup: fond_model::Markup::Plain,
        });
        d
    }

    #[test]
    fn an_entry_joins_the_letter_of_the_same_parties_and_day() {
        let mut entry = letter(
            "cmif/1",
            "Freud, Sigmund",
            "Schnitzler, Arthur",
            day(1906, 5, 8),
            true,
        );
        entry.online = Some("https://example.org/1".into());
        entry.collection = "catalogue".into();
        let held = letter(
            "ed/L1",
            "Sigmund Freud",
            "A. Schnitzler",
            day(1906, 5, 8),
            false,
        );
        let other_day = letter(
            "ed/L2",
            "Sigmund Freud",
            "A. Schnitzler",
            day(1906, 5, 9),
            false,
        );
        let mut docs = vec![held, other_day, entry];
        let findings = join_entries(&mut docs);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].witnesses.len(), 2);
        assert_eq!(docs[0].online.as_deref(), Some("https://example.org/1"));
        assert!(!docs[0].metadata_only);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].document.as_deref(), Some("ed/L1"));
        assert_eq!(
            (findings[0].source.as_str(), findings[0].line),
            ("cmif/1.xml", 7)
        );
    }

    #[test]
    fn different_uris_keep_them_apart_even_with_one_surname() {
        let uri = |d: &mut Document, u: &str| {
            d.name_refs.push(NameRef {
                field: MentionField::Sender,
                start: 0,
                end: 0,
                refs: vec![u.into()],
                surface: d.senders[0].clone(),
                certain: true,
                element: fond_model::authority::NameElement::Person,
            })
        };
        let mut entry = letter("cmif/1", "Mann, Heinrich", "X, Y", day(1910, 1, 2), true);
        uri(&mut entry, "https://d-nb.info/gnd/1");
        let mut held = letter("ed/1", "Thomas Mann", "Y X", day(1910, 1, 2), false);
        uri(&mut held, "https://d-nb.info/gnd/2");
        let mut docs = vec![held, entry];
        assert!(join_entries(&mut docs).is_empty());
        assert_eq!(docs.len(), 2);
    }

    #[test]
    fn an_entry_that_fits_two_letters_joins_neither() {
        let entry = letter("cmif/1", "A, B", "C, D", day(1900, 1, 1), true);
        let one = letter("ed/1", "B A", "D C", day(1900, 1, 1), false);
        let two = letter("ed/2", "B A", "D C", day(1900, 1, 1), false);
        let mut docs = vec![one, two, entry];
        let findings = join_entries(&mut docs);
        assert_eq!(docs.len(), 3);
        assert_eq!(findings.len(), 1);
        assert!(
            findings[0].message.contains("ed/1, ed/2"),
            "{}",
            findings[0].message
        );
    }

    #[test]
    fn the_same_collection_and_number_is_the_same_letter() {
        let mut entry = letter("c/12", "A, B", "C, D", day(1900, 1, 1), true);
        entry.number = Some(12);
        // The letter held in full dates it otherwise: the key decides.
        let mut held = letter("c/letter-12", "Someone", "Else", day(1900, 2, 1), false);
        held.number = Some(12);
        let mut docs = vec![held, entry];
        let findings = join_entries(&mut docs);
        assert_eq!(docs.len(), 1);
        assert!(findings[0].message.contains("same collection and number"));
    }

    #[test]
    fn an_interval_or_a_month_is_not_enough_to_join() {
        let mut month = day(1900, 1, 1);
        month.precision = Precision::Month;
        let entry = letter("cmif/1", "A, B", "C, D", month.clone(), true);
        let held = letter("ed/1", "B A", "D C", month, false);
        let mut docs = vec![held, entry];
        assert!(join_entries(&mut docs).is_empty());
        assert_eq!(docs.len(), 2);
    }
}
