//! From a parsed query to a tantivy query.
//!
//! A free-text word becomes a disjunction over the text fields (stemmed)
//! and the key fields (romanisation keys, boosted lower, so that the exact
//! spelling ranks first and other spellings still match). A Cyrillic word
//! is also looked for in its Library of Congress romanisation, which is how
//! a Cyrillic query finds the English letters. Field restrictions that only
//! select (kind, dates, reference, collection, number, id) score nothing,
//! so they do not disturb the ranking of the words.

use crate::analysis::{
    fold, is_cyrillic, key_analyzer, pre_reform, roman_key, russian_surname_forms, terms,
    text_analyzer, ScriptStemmer,
};
use crate::names::NameVariants;
use crate::query::{DayRange, Filter, Node, ParsedQuery, Scope, TextTerm};
use crate::schema::{self, day_number, Fields};
use std::ops::Bound;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, FuzzyTermQuery, Occur,
    PhrasePrefixQuery, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

/// Most terms one prefix may expand to, per field. Bounds the work of a
/// short prefix on a large dictionary; the rarest expansions beyond it are
/// not searched.
const MAX_PREFIX_EXPANSIONS: u32 = 1_000;

pub struct Compiler<'a> {
    pub fields: &'a Fields,
    pub variants: &'a dyn NameVariants,
    text: TextAnalyzer,
    key: TextAnalyzer,
    stemmer: ScriptStemmer,
}

type Q = Box<dyn Query>;

fn boost(q: Q, b: f32) -> Q {
    if (b - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, b))
    }
}

fn any(mut clauses: Vec<Q>) -> Option<Q> {
    match clauses.len() {
        0 => None,
        1 => clauses.pop(),
        _ => Some(Box::new(BooleanQuery::new(
            clauses.into_iter().map(|c| (Occur::Should, c)).collect(),
        ))),
    }
}

fn all(clauses: Vec<Q>) -> Q {
    Box::new(BooleanQuery::new(
        clauses.into_iter().map(|c| (Occur::Must, c)).collect(),
    ))
}

/// Selects without scoring.
fn filter(q: Q) -> Q {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

fn term_query(field: Field, text: &str) -> Q {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

/// A sequence of terms on one field: a term query for one, a phrase for
/// more (or, on a field without positions, all of them anywhere).
fn seq_query(field: Field, seq: &[String], slop: u32, positions: bool) -> Option<Q> {
    match seq.len() {
        0 => None,
        1 => Some(term_query(field, &seq[0])),
        _ if positions => {
            let mut pq = PhraseQuery::new(
                seq.iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect(),
            );
            pq.set_slop(slop);
            Some(Box::new(pq))
        }
        _ => Some(all(seq.iter().map(|t| term_query(field, t)).collect())),
    }
}

impl<'a> Compiler<'a> {
    pub fn new(fields: &'a Fields, variants: &'a dyn NameVariants) -> Compiler<'a> {
        Compiler {
            fields,
            variants,
            text: text_analyzer(),
            key: key_analyzer(),
            stemmer: ScriptStemmer::default(),
        }
    }

    /// Text fields of the scope with their boosts.
    fn text_fields(&self, scope: Scope) -> Vec<(Field, f32)> {
        let f = self.fields;
        match scope {
            Scope::All => vec![
                (f.title, 2.0),
                (f.names, 1.5),
                (f.body, 1.0),
                (f.notes, 0.8),
                (f.chapter, 0.5),
            ],
            Scope::Body => vec![(f.body, 1.0)],
            Scope::Notes => vec![(f.notes, 1.0)],
            Scope::Title => vec![(f.title, 1.0)],
            Scope::Names => vec![(f.names, 1.0)],
        }
    }

    /// Key fields of the scope: boost, and whether they have positions.
    fn key_fields(&self, scope: Scope) -> Vec<(Field, f32, bool)> {
        let f = self.fields;
        match scope {
            Scope::All => vec![
                (f.names_key, 0.6, true),
                (f.body_key, 0.4, false),
                (f.notes_key, 0.3, false),
            ],
            Scope::Body => vec![(f.body_key, 0.4, false)],
            Scope::Notes => vec![(f.notes_key, 0.4, false)],
            Scope::Title => vec![],
            Scope::Names => vec![(f.names_key, 0.6, true)],
        }
    }

    pub fn compile(&mut self, q: &ParsedQuery) -> Q {
        self.node(&q.root, q.scope)
            .unwrap_or_else(|| Box::new(EmptyQuery))
    }

    fn node(&mut self, n: &Node, scope: Scope) -> Option<Q> {
        match n {
            Node::Text(t, _) => self.text_term(t, scope),
            Node::Filter(f, _) => Some(self.filter(f)),
            Node::Not(inner) => {
                // A negation on its own: everything but the inner matches.
                let inner = self.node(inner, scope)?;
                Some(Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery) as Q),
                    (Occur::MustNot, inner),
                ])))
            }
            Node::Or(parts) => {
                let clauses: Vec<Q> = parts.iter().filter_map(|p| self.node(p, scope)).collect();
                any(clauses)
            }
            Node::And(parts) => {
                let mut clauses: Vec<(Occur, Q)> = Vec::new();
                let mut positive = false;
                for p in parts {
                    match p {
                        Node::Not(inner) => {
                            if let Some(q) = self.node(inner, scope) {
                                clauses.push((Occur::MustNot, q));
                            }
                        }
                        other => {
                            if let Some(q) = self.node(other, scope) {
                                clauses.push((Occur::Must, q));
                                positive = true;
                            }
                        }
                    }
                }
                if clauses.is_empty() {
                    return None;
                }
                if !positive {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
        }
    }

    fn text_term(&mut self, t: &TextTerm, scope: Scope) -> Option<Q> {
        let text_fields = self.text_fields(scope);
        let key_fields = self.key_fields(scope);
        let mut clauses: Vec<Q> = Vec::new();
        match t {
            TextTerm::Word(w) | TextTerm::Phrase { text: w, .. } => {
                let slop = match t {
                    TextTerm::Phrase { slop, .. } => *slop,
                    _ => 0,
                };
                let mut stem_seqs = vec![terms(&mut self.text, w)];
                let mut key_seqs = vec![terms(&mut self.key, w)];
                if w.chars().any(is_cyrillic) {
                    // The LC romanisation of the word (and, for a single
                    // word, of the nominatives an oblique case may stand
                    // for) in the English text and in the keys.
                    let forms = if w.split_whitespace().count() == 1 {
                        russian_surname_forms(w.trim())
                    } else {
                        vec![w.to_string()]
                    };
                    for form in forms {
                        let lat =
                            fond_text::translit::transliterate_lc_ascii(&pre_reform(&fold(&form)));
                        stem_seqs.push(terms(&mut self.text, &lat));
                        key_seqs.push(terms(&mut self.key, &form));
                    }
                }
                dedup(&mut stem_seqs);
                dedup(&mut key_seqs);
                for seq in &stem_seqs {
                    for &(f, b) in &text_fields {
                        if let Some(q) = seq_query(f, seq, slop, true) {
                            clauses.push(boost(q, b));
                        }
                    }
                }
                for seq in &key_seqs {
                    for &(f, b, positions) in &key_fields {
                        // A phrase (or a hyphenated word) on a field without
                        // positions would be a bag of words: only the names
                        // keep phrases.
                        if seq.len() > 1 && !positions {
                            continue;
                        }
                        if let Some(q) = seq_query(f, seq, slop, positions) {
                            clauses.push(boost(q, b));
                        }
                    }
                }
            }
            TextTerm::Prefix(p) => {
                let folded = pre_reform(&fold(p));
                let key = roman_key(&folded);
                // The text fields hold stems: `hostage*` must also reach
                // `hostag` (the stem of hostage, hostages).
                let stemmed = self.stemmer.stem(&folded);
                for &(f, b) in &text_fields {
                    clauses.push(boost(prefix_query(f, &folded), b));
                    if stemmed != folded && stemmed.chars().count() >= 2 {
                        clauses.push(boost(prefix_query(f, &stemmed), b));
                    }
                }
                if !key.is_empty() {
                    for &(f, b, _) in &key_fields {
                        clauses.push(boost(prefix_query(f, &key), b));
                    }
                }
            }
            TextTerm::Fuzzy { word, distance } => {
                let stems = terms(&mut self.text, word);
                let keys = terms(&mut self.key, word);
                for s in &stems {
                    for &(f, b) in &text_fields {
                        clauses.push(boost(
                            Box::new(FuzzyTermQuery::new(
                                Term::from_field_text(f, s),
                                *distance,
                                true,
                            )),
                            b,
                        ));
                    }
                }
                for k in &keys {
                    for &(f, b, _) in &key_fields {
                        clauses.push(boost(
                            Box::new(FuzzyTermQuery::new(
                                Term::from_field_text(f, k),
                                *distance,
                                true,
                            )),
                            b,
                        ));
                    }
                }
            }
        }
        any(clauses)
    }

    /// The key sequences of a name, through the name variants.
    fn name_keys(&mut self, name: &str) -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = Vec::new();
        for k in self.variants.keys(name) {
            let seq = terms(&mut self.key, &k);
            if !seq.is_empty() && !out.contains(&seq) {
                out.push(seq);
            }
        }
        out
    }

    fn filter(&mut self, f: &Filter) -> Q {
        let fl = *self.fields;
        match f {
            Filter::From(name) | Filter::To(name) => {
                let field = if matches!(f, Filter::From(_)) {
                    fl.senders_key
                } else {
                    fl.addressees_key
                };
                let clauses = self
                    .name_keys(name)
                    .iter()
                    .filter_map(|seq| seq_query(field, seq, 0, true))
                    .collect();
                filter(any(clauses).unwrap_or_else(|| Box::new(EmptyQuery)))
            }
            Filter::Mentions(name) => {
                // Scored: a document that names the person often ranks
                // above one that names them once.
                let mut clauses = Vec::new();
                for key in self.variants.entities(name) {
                    clauses.push(boost(term_query(fl.entities, &key), 1.5));
                }
                for seq in self.name_keys(name) {
                    for (field, b, positions) in [
                        (fl.names_key, 1.0, true),
                        (fl.body_key, 1.0, false),
                        (fl.notes_key, 0.8, false),
                    ] {
                        if let Some(q) = seq_query(field, &seq, 0, positions) {
                            clauses.push(boost(q, b));
                        }
                    }
                }
                any(clauses).unwrap_or_else(|| Box::new(EmptyQuery))
            }
            Filter::Kind(k) => filter(term_query(fl.kind, k.as_str())),
            Filter::Collection(c) => filter(term_query(fl.collection, c)),
            Filter::Id(id) => filter(term_query(fl.id, id)),
            Filter::Number(n) => filter(Box::new(TermQuery::new(
                Term::from_field_u64(fl.number, u64::from(*n)),
                IndexRecordOption::Basic,
            ))),
            Filter::Date(r) => filter(self.date_overlap(r)),
            Filter::Ref(norm) => {
                let exact = term_query(fl.refs, norm);
                let longer = Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_text(fl.refs, &format!("{norm} "))),
                    Bound::Excluded(Term::from_field_text(fl.refs, &format!("{norm}!"))),
                ));
                filter(any(vec![exact, longer]).unwrap_or_else(|| Box::new(EmptyQuery)))
            }
        }
    }

    /// Documents whose interval `[earliest, latest]` overlaps the range:
    /// `earliest ≤ to` and `latest ≥ from`. Open document ends are stored as
    /// the extreme values, so they overlap whatever lies on their side.
    fn date_overlap(&self, r: &DayRange) -> Q {
        let f = self.fields;
        let mut clauses: Vec<Q> = Vec::new();
        if let Some(to) = r.to {
            clauses.push(Box::new(RangeQuery::new(
                Bound::Unbounded,
                Bound::Included(Term::from_field_i64(f.earliest, day_number(to))),
            )));
        }
        if let Some(from) = r.from {
            clauses.push(Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_i64(f.latest, day_number(from))),
                Bound::Unbounded,
            )));
        }
        // A bounded range starts from the documents of its months (and
        // those whose months are not listed); the range clauses above
        // keep the overlap exact to the day.
        if let (Some(from), Some(to)) = (r.from, r.to) {
            if schema::month_count(from, to) <= schema::MAX_INDEXED_MONTHS {
                let mut months: Vec<Q> = schema::months(from, to)
                    .map(|(y, m)| term_raw(f.months, &schema::month_key(y, m)))
                    .collect();
                months.push(term_raw(f.months, schema::OPEN_MONTHS));
                if let Some(q) = any(months) {
                    clauses.insert(0, q);
                }
            }
        }
        match clauses.len() {
            0 => Box::new(AllQuery),
            1 => clauses.pop().unwrap_or_else(|| Box::new(AllQuery)),
            _ => all(clauses),
        }
    }
}

/// A term of a raw (untokenized) field, no frequencies.
fn term_raw(field: Field, text: &str) -> Q {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::Basic,
    ))
}

fn prefix_query(field: Field, prefix: &str) -> Q {
    let mut q = PhrasePrefixQuery::new(vec![Term::from_field_text(field, prefix)]);
    q.set_max_expansions(MAX_PREFIX_EXPANSIONS);
    Box::new(q)
}

fn dedup(seqs: &mut Vec<Vec<String>>) {
    let mut out: Vec<Vec<String>> = Vec::new();
    for s in seqs.drain(..) {
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    }
    *seqs = out;
}
