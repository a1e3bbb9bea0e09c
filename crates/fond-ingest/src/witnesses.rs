//! Deciding that two transcriptions are the same document.
//!
//! Texts are compared by their sets of character 5-grams over letters only,
//! lowercased: glued words (`CentralControl`), lost line breaks, changed
//! punctuation and footnote digits run into the text barely move such a
//! set, while a different letter shares little of it. Containment (shared
//! grams over the smaller set) tolerates a witness that lacks a postscript
//! or carries its notes elsewhere.

use fond_model::{DocKind, Document, Finding, FindingKind};
use std::collections::HashSet;

/// Above this containment two texts are one document.
pub const SAME_DOCUMENT: f64 = 0.6;
/// Between this and [`SAME_DOCUMENT`] the pair is listed as a near miss.
pub const NEAR_MISS: f64 = 0.3;

/// The 5-gram fingerprint of a text.
pub fn shingles(text: &str) -> HashSet<u64> {
    let letters: Vec<char> = text
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(|c| c.to_lowercase())
        .collect();
    let mut out = HashSet::with_capacity(letters.len());
    for w in letters.windows(5) {
        // FNV-1a over the five chars: stable across runs and platforms.
        let mut h: u64 = 0xcbf29ce484222325;
        for c in w {
            h ^= *c as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        out.insert(h);
    }
    out
}

/// Containment of the smaller fingerprint in the larger, 0.0–1.0.
pub fn similarity(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return 0.0;
    }
    let shared = small.iter().filter(|h| large.contains(h)).count();
    shared as f64 / small.len() as f64
}

/// Adds `incoming` documents to `docs`: each that matches an existing
/// document's text joins it as further witnesses; the others are added,
/// with a fresh id if theirs is taken.
pub fn merge(docs: &mut Vec<Document>, incoming: Vec<Document>, findings: &mut Vec<Finding>) {
    let mut prints: Vec<Option<HashSet<u64>>> = vec![None; docs.len()];
    for doc in incoming {
        if doc.kind == DocKind::EditorialText || docs.is_empty() {
            push_unique(docs, doc);
            prints.push(None);
            continue;
        }
        let mine = shingles(&doc.body_text());
        let same_collection = docs.iter().any(|d| d.collection == doc.collection);
        let mut best: Option<(usize, f64)> = None;
        for (i, other) in docs.iter().enumerate() {
            if other.kind == DocKind::EditorialText || (same_collection && other.collection != doc.collection) {
                continue;
            }
            if prints[i].is_none() {
                prints[i] = Some(shingles(&other.body_text()));
            }
            let s = prints[i].as_ref().map(|p| similarity(&mine, p)).unwrap_or(0.0);
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((i, s));
            }
        }
        let first_line = doc.witnesses.first().map(|w| w.first_line).unwrap_or(0);
        let source = doc.witnesses.first().map(|w| w.source.clone()).unwrap_or_default();
        match best {
            Some((i, s)) if s >= SAME_DOCUMENT => {
                let target = &mut docs[i];
                if doc.number.is_some() && target.number.is_some() && doc.number != target.number {
                    findings.push(Finding {
                        kind: FindingKind::WitnessNearMiss,
                        source: source.clone(),
                        line: first_line,
                        document: Some(target.id.clone()),
                        message: format!(
                            "joined as a witness by its text ({:.0}% shared) although it is numbered {} and the document {}",
                            s * 100.0,
                            doc.number.unwrap_or(0),
                            target.number.unwrap_or(0)
                        ),
                    });
                }
                target.witnesses.extend(doc.witnesses);
            }
            other => {
                if let Some((i, s)) = other.filter(|(_, s)| *s >= NEAR_MISS) {
                    findings.push(Finding {
                        kind: FindingKind::WitnessNearMiss,
                        source: source.clone(),
                        line: first_line,
                        document: Some(doc.id.clone()),
                        message: format!(
                            "shares {:.0}% of its text with {}: below the {:.0}% needed to count as the same document",
                            s * 100.0,
                            docs[i].id,
                            SAME_DOCUMENT * 100.0
                        ),
                    });
                }
                push_unique(docs, doc);
                prints.push(None);
            }
        }
    }
}

fn push_unique(docs: &mut Vec<Document>, mut doc: Document) {
    if docs.iter().any(|d| d.id == doc.id) {
        let base = doc.id.clone();
        let mut k = 2;
        while docs.iter().any(|d| d.id == format!("{base}~{k}")) {
            k += 1;
        }
        doc.id = format!("{base}~{k}");
    }
    docs.push(doc);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glued_words_and_digits_barely_move_the_fingerprint() {
        let a = shingles("the transcript of the Central Control Commission session on the Zinoviev and Trotsky affair");
        let b = shingles("the transcript of the CentralControl Commission session2 on the Zinoviev and Trotsky affair");
        assert!(similarity(&a, &b) > 0.95);
        let c = shingles("We need, furthermore, to expand our agricultural machinery factories");
        assert!(similarity(&a, &c) < 0.2);
    }

    #[test]
    fn empty_text_matches_nothing() {
        assert_eq!(similarity(&shingles(""), &shingles("abcdefgh")), 0.0);
    }
}
