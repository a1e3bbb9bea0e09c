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
    /// Ids taken, each with the next `~k` suffix to try for it.
    ids: HashMap<String, u32>,
    /// Documents by collection, then by the source that brought them: a
    /// document is compared only with other sources' documents, so a
    /// source of many documents costs nothing against itself.
    by_collection: HashMap<String, Vec<(String, Vec<usize>)>>,
    /// Numbered documents by collection and number: the same-numbered
    /// document is tried first, and when the texts agree no other is.
    by_collection_number: HashMap<(String, u32), Vec<usize>>,
    /// Numbered documents by number, across collections: a source that
    /// does not name its collection (a web page saved without its title)
    /// still finds the edition's letter of the same number.
    by_number: HashMap<u32, Vec<usize>>,
    prints: HashMap<usize, Vec<u64>>,
    /// Texts compared so far (the work the linearity test counts).
    #[cfg(test)]
    compared: usize,
}

fn first_source(d: &Document) -> &str {
    d.witnesses.first().map_or("", |w| w.source.as_str())
}

impl Joiner {
    /// Adds documents that are never joined to others by their text: a
    /// TEI file states which document it is (its id), and two letters of
    /// one correspondence can share most of their words (a draft and the
    /// letter sent). Later sources may still join them.
    pub fn add_unjoined(&mut self, docs: &mut Vec<Document>, incoming: Vec<Document>) {
        for doc in incoming {
            self.push_unique(docs, doc);
        }
    }

    /// Adds `incoming` documents to `docs`: each that matches an existing
    /// document's text joins it as further witnesses; the others are
    /// added, with a fresh id if theirs is taken. `look_across`: the
    /// source names no collection of its own, so its numbered documents
    /// are also compared with the same-numbered documents of every
    /// collection.
    pub fn add(
        &mut self,
        docs: &mut Vec<Document>,
        incoming: Vec<Document>,
        findings: &mut Vec<Finding>,
        look_across: bool,
    ) {
        for doc in incoming {
            let source = first_source(&doc).to_string();
            let first_line = doc.witnesses.first().map(|w| w.first_line).unwrap_or(0);
            if doc.kind == DocKind::EditorialText {
                self.push_unique(docs, doc);
                continue;
            }
            let mut best: Option<(usize, f64)> = None;
            let mut cross: HashSet<usize> = HashSet::new();
            // The documents of the same number first (in the collection,
            // and across collections for a source that names none): when
            // the texts agree, the others need not be fingerprinted at all.
            let mut first: Vec<usize> = Vec::new();
            if let Some(n) = doc.number {
                first.extend(
                    self.by_collection_number
                        .get(&(doc.collection.clone(), n))
                        .into_iter()
                        .flatten()
                        .copied(),
                );
                if look_across {
                    for &i in self.by_number.get(&n).into_iter().flatten() {
                        if docs[i].collection != doc.collection {
                            cross.insert(i);
                            first.push(i);
                        }
                    }
                }
            }
            // Fingerprint this text only when some other source could hold
            // it (most documents of an edition have no candidate at all).
            let usable = |i: &usize| {
                docs[*i].kind != DocKind::EditorialText
                    && docs[*i].witnesses.iter().all(|w| w.source != source)
            };
            first.retain(usable);
            let other_sources = self
                .by_collection
                .get(&doc.collection)
                .is_some_and(|l| l.iter().any(|(src, _)| *src != source));
            if first.is_empty() && !other_sources {
                self.push_unique(docs, doc);
                continue;
            }
            let mine = shingles(&doc.body_text());
            self.compare(docs, &mine, first.iter().copied(), &source, &mut best);
            if best.is_none_or(|(_, s)| s < SAME_DOCUMENT) {
                let others: Vec<usize> = self
                    .by_collection
                    .get(&doc.collection)
                    .into_iter()
                    .flatten()
                    .filter(|(src, _)| *src != source)
                    .flat_map(|(_, v)| v.iter().copied())
                    .filter(|i| !first.contains(i))
                    .collect();
                self.compare(docs, &mine, others, &source, &mut best);
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
                    self.push_unique(docs, doc);
                }
            }
        }
    }

    /// Compares a text with candidates, keeping the best match. A
    /// candidate counts when it is not an editorial text and this source
    /// has not joined it already.
    fn compare(
        &mut self,
        docs: &[Document],
        mine: &[u64],
        candidates: impl IntoIterator<Item = usize>,
        source: &str,
        best: &mut Option<(usize, f64)>,
    ) {
        for i in candidates {
            let d = &docs[i];
            if d.kind == DocKind::EditorialText || d.witnesses.iter().any(|w| w.source == source) {
                continue;
            }
            let p = self
                .prints
                .entry(i)
                .or_insert_with(|| shingles(&d.body_text()));
            let s = similarity(mine, p);
            #[cfg(test)]
            {
                self.compared += 1;
            }
            if best.is_none_or(|(_, b)| s > b) {
                *best = Some((i, s));
            }
        }
    }

    /// How many pairs of texts were compared.
    #[cfg(test)]
    pub fn compared(&self) -> usize {
        self.compared
    }

    /// Adds a document under an id no other has (`~2`, `~3`, … after a
    /// taken one), and indexes it.
    fn push_unique(&mut self, docs: &mut Vec<Document>, mut doc: Document) {
        if let Some(next) = self.ids.get(&doc.id).copied() {
            let base = doc.id.clone();
            let mut k = next.max(2);
            while self.ids.contains_key(&format!("{base}~{k}")) {
                k += 1;
            }
            doc.id = format!("{base}~{k}");
            self.ids.insert(base, k + 1);
        }
        self.ids.insert(doc.id.clone(), 2);
        let at = docs.len();
        let source = first_source(&doc).to_string();
        let lists = self
            .by_collection
            .entry(doc.collection.clone())
            .or_default();
        match lists.iter_mut().find(|(s, _)| *s == source) {
            Some((_, v)) => v.push(at),
            None => lists.push((source, vec![at])),
        }
        if let Some(n) = doc.number.filter(|_| doc.kind != DocKind::EditorialText) {
            self.by_number.entry(n).or_default().push(at);
            self.by_collection_number
                .entry((doc.collection.clone(), n))
                .or_default()
                .push(at);
        }
        docs.push(doc);
    }
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

    fn letter(n: u32, source: &str, text: &str) -> Document {
        Document {
            id: format!("c/{}", n % 7),
            kind: DocKind::Letter,
            collection: "c".into(),
            number: Some(n),
            chapter: None,
            title: String::new(),
            date: Default::default(),
            place: None,
            senders: Vec::new(),
            addressees: Vec::new(),
            body: vec![fond_model::Block {
                kind: fond_model::BlockKind::Paragraph,
                inlines: vec![fond_model::Inline::Text {
                    text: text.to_string(),
                }],
                line: 1,
            }],
            notes: Vec::new(),
            witnesses: vec![fond_model::Witness {
                source: source.into(),
                first_line: n,
                last_line: n,
                label: String::new(),
                text: String::new(),
                markup: fond_model::Markup::Plain,
            }],
            marginalia: Vec::new(),
            order: n,
            ..Document::new("", "", DocKind::Letter)
        }
    }

    /// A book of n letters (ids colliding, as a book with repeated
    /// markers makes them) and a web copy of each: the texts compared and
    /// the work grow with n, not its square.
    fn join_work(n: u32) -> (usize, usize) {
        let text = |k: u32| {
            format!(
                "letter number {k} says {} and more",
                "x".repeat((k % 13) as usize)
            )
        };
        let book: Vec<Document> = (1..=n).map(|k| letter(k, "book", &text(k))).collect();
        let web: Vec<Document> = (1..=n).map(|k| letter(k, "web", &text(k))).collect();
        let mut j = Joiner::default();
        let mut docs = Vec::new();
        let mut findings = Vec::new();
        j.add(&mut docs, book, &mut findings, false);
        j.add(&mut docs, web, &mut findings, false);
        assert_eq!(docs.len(), n as usize, "every copy joined its letter");
        let ids: HashSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids.len(), n as usize, "ids unique");
        (j.compared(), docs.len())
    }

    #[test]
    fn joining_is_linear_in_the_documents() {
        let (small, _) = join_work(2_000);
        let (large, _) = join_work(20_000);
        assert!(small >= 2_000, "{small}");
        assert!(
            large <= small * 11,
            "2,000 letters: {small} comparisons; 20,000: {large}"
        );
    }

    #[test]
    fn empty_text_matches_nothing() {
        assert_eq!(similarity(&shingles(""), &shingles("abcdefgh")), 0.0);
    }
}
