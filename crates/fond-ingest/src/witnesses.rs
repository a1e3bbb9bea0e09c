//! Deciding that two transcriptions are the same document.
//!
//! Texts are compared by their sets of character 5-grams over letters only,
//! lowercased: glued words (`CentralControl`), lost line breaks, changed
//! punctuation and footnote digits run into the text barely move such a
//! set, while a different letter shares little of it. Containment (shared
//! grams over the smaller set) tolerates a witness that lacks a postscript
//! or carries its notes elsewhere.

use fond_model::{DocKind, Document, Finding, FindingKind};
use std::collections::{HashMap, HashSet};

/// Above this containment two texts are one document.
pub const SAME_DOCUMENT: f64 = 0.6;
/// Between this and [`SAME_DOCUMENT`] the pair is listed as a near miss.
pub const NEAR_MISS: f64 = 0.3;

/// The 5-gram fingerprint of a text: sorted, without duplicates (a sorted
/// vector intersects by merging, several times faster than hash sets).
pub fn shingles(text: &str) -> Vec<u64> {
    let letters: Vec<char> = text
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(|c| c.to_lowercase())
        .collect();
    let mut out = Vec::with_capacity(letters.len());
    for w in letters.windows(5) {
        // FNV-1a over the five chars: stable across runs and platforms.
        let mut h: u64 = 0xcbf29ce484222325;
        for c in w {
            h ^= *c as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        out.push(h);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Containment of the smaller fingerprint in the larger, 0.0–1.0.
pub fn similarity(a: &[u64], b: &[u64]) -> f64 {
    let small = a.len().min(b.len());
    if small == 0 {
        return 0.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared as f64 / small as f64
}

/// Joins documents source by source, keeping its indexes between sources
/// so that the work grows with the number of documents, not its square.
#[derive(Default)]
pub struct Joiner {
    ids: HashSet<String>,
    by_collection: HashMap<String, Vec<usize>>,
    /// Numbered documents by number, across collections: a source that
    /// does not name its collection (a web page saved without its title)
    /// still finds the edition's letter of the same number.
    by_number: HashMap<u32, Vec<usize>>,
    prints: HashMap<usize, Vec<u64>>,
}

impl Joiner {
    /// Adds `incoming` documents to `docs`: each that matches an existing
    /// document's text joins it as further witnesses; the others are
    /// added, with a fresh id if theirs is taken.
    /// Adds documents that are never joined to others by their text: a
    /// TEI file states which document it is (its id), and two letters of
    /// one correspondence can share most of their words (a draft and the
    /// letter sent). Later sources may still join them.
    pub fn add_unjoined(&mut self, docs: &mut Vec<Document>, incoming: Vec<Document>) {
        for doc in incoming {
            push_unique(
                docs,
                doc,
                &mut self.ids,
                &mut self.by_collection,
                &mut self.by_number,
            );
        }
    }

    /// `look_across`: the source names no collection of its own, so its
    /// numbered documents are also compared with the same-numbered
    /// documents of every collection.
    pub fn add(
        &mut self,
        docs: &mut Vec<Document>,
        incoming: Vec<Document>,
        findings: &mut Vec<Finding>,
        look_across: bool,
    ) {
        let Joiner {
            ids,
            by_collection,
            by_number,
            prints,
        } = self;
        for doc in incoming {
            let source = doc
                .witnesses
                .first()
                .map(|w| w.source.clone())
                .unwrap_or_default();
            let first_line = doc.witnesses.first().map(|w| w.first_line).unwrap_or(0);
            let mut candidates: Vec<usize> = by_collection
                .get(&doc.collection)
                .cloned()
                .unwrap_or_default();
            candidates.retain(|&i| docs[i].witnesses.iter().all(|w| w.source != source));
            let same_collection = candidates.len();
            // Only a source that names no collection looks across
            // collections, by number: a web page saved without its title.
            // (Two editions that name themselves are kept apart, and asking
            // every collection would make joining grow with the square of
            // the editions of one numbering.)
            if let Some(n) = doc.number.filter(|_| look_across) {
                candidates.extend(
                    by_number
                        .get(&n)
                        .into_iter()
                        .flatten()
                        .copied()
                        .filter(|&i| docs[i].collection != doc.collection),
                );
            }
            let cross: HashSet<usize> = candidates[same_collection..].iter().copied().collect();
            let candidates: Vec<usize> = candidates
                .into_iter()
                .filter(|&i| {
                    docs[i].kind != DocKind::EditorialText
                        && docs[i].witnesses.iter().all(|w| w.source != source)
                })
                .collect();
            if doc.kind == DocKind::EditorialText || candidates.is_empty() {
                push_unique(docs, doc, ids, by_collection, by_number);
                continue;
            }
            let mine = shingles(&doc.body_text());
            let mut best: Option<(usize, f64)> = None;
            // The document of the same number is tried first: when the texts
            // agree, the others need not be fingerprinted at all.
            let mut candidates = candidates;
            if let Some(k) = candidates
                .iter()
                .position(|&i| doc.number.is_some() && docs[i].number == doc.number)
            {
                let i = candidates.remove(k);
                let p = prints
                    .entry(i)
                    .or_insert_with(|| shingles(&docs[i].body_text()));
                let s = similarity(&mine, p);
                best = Some((i, s));
                if s >= SAME_DOCUMENT {
                    candidates.clear();
                }
            }
            for i in candidates {
                let p = prints
                    .entry(i)
                    .or_insert_with(|| shingles(&docs[i].body_text()));
                let s = similarity(&mine, p);
                if best.is_none_or(|(_, b)| s > b) {
                    best = Some((i, s));
                }
            }
            match best {
                Some((i, s)) if s >= SAME_DOCUMENT => {
                    let target = &mut docs[i];
                    if doc.number.is_some()
                        && target.number.is_some()
                        && doc.number != target.number
                    {
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
                    // Near misses are reported within a collection only:
                    // two editions' letters of one number are expected to
                    // differ.
                    if let Some((i, s)) =
                        other.filter(|(i, s)| *s >= NEAR_MISS && !cross.contains(i))
                    {
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
                    push_unique(docs, doc, ids, by_collection, by_number);
                }
            }
        }
    }
}

fn push_unique(
    docs: &mut Vec<Document>,
    mut doc: Document,
    ids: &mut HashSet<String>,
    by_collection: &mut HashMap<String, Vec<usize>>,
    by_number: &mut HashMap<u32, Vec<usize>>,
) {
    if ids.contains(&doc.id) {
        let base = doc.id.clone();
        let mut k = 2;
        while ids.contains(&format!("{base}~{k}")) {
            k += 1;
        }
        doc.id = format!("{base}~{k}");
    }
    ids.insert(doc.id.clone());
    by_collection
        .entry(doc.collection.clone())
        .or_default()
        .push(docs.len());
    if let Some(n) = doc.number.filter(|_| doc.kind != DocKind::EditorialText) {
        by_number.entry(n).or_default().push(docs.len());
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
