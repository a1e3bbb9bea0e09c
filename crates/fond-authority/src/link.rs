//! Finding mentions of people, bodies and periodicals in a text.
//!
//! Every variant of every name is folded into search keys (see
//! [`crate::translit`]) and all of them go into one Aho-Corasick automaton.
//! The text is folded the same way, word by word, into a haystack where
//! each word is wrapped in `\x01…\x02` and strong punctuation (a sentence
//! end, `;`, `:`, a line break, brackets of a parenthesis) leaves a
//! `\x03`. A pattern is a run of wrapped words, so every match starts and
//! ends on word boundaries, never crosses a sentence, and leftmost-longest
//! matching prefers `Komsomolskaia pravda` to `Pravda` and `S. S.
//! Kamenev` to `Kamenev`. Because the haystack is folded, every
//! romanisation and the Cyrillic spelling of a name match the same
//! pattern, and a span maps back to the original bytes through the words.
//!
//! A match is then checked against what the folding threw away: case (a
//! surname must be capitalised, an abbreviation in capitals), and for a
//! few names that are also ordinary words, their neighbours (`the seven`
//! only before punctuation or a function word; *Bolshevik* only where it
//! cannot be the adjective). A surname that several people share is
//! resolved by the initials or forename before it, by an earlier resolved
//! mention in the same text, by the bodies named around it that one of
//! them served in, and by who held a central office at the document's
//! date; otherwise it is kept with low confidence, marked unresolved, with
//! its candidates.

use crate::authority::{initial_key, person_variants, Authority, VariantKind};
use crate::bodies::{Body, BodyId, BodyKind, Periodical};
use crate::keys::{fold_word, words};
use crate::person::Person;
use crate::AuthorityError;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};
pub use fond_model::authority::{Entity, Mention, MentionField};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Person(usize),
    Body(usize),
    Periodical(usize),
}

/// What the original spelling of a pattern word must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Any,
    /// Capitalised (names).
    Capital,
    /// At least two capitals, or one capital letter alone (`CCC`, `TsK`).
    Abbreviation,
}

/// Extra checks on the neighbours of a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    None,
    /// A forename or nickname alone: not when a capitalised word follows
    /// (`Nikolai Yezhov` is not Bukharin).
    NotBeforeName,
    /// A title that is also an ordinary word (`Bolshevik`): only before
    /// punctuation or a function word, not after an article.
    Title,
    /// A phrase of ordinary words (`the seven`): only before punctuation
    /// or a function word.
    Phrase,
}

#[derive(Debug, Clone)]
struct Candidate {
    target: Target,
    kind: VariantKind,
    case: Vec<Case>,
    gate: Gate,
}

#[derive(Debug, Clone, Default)]
struct Pattern {
    candidates: Vec<Candidate>,
}

/// The compiled automaton over all name variants.
#[derive(Debug, Clone)]
pub struct Linker {
    ac: AhoCorasick,
    patterns: Vec<Pattern>,
    by_key: HashMap<String, usize>,
}

/// Words after which `the seven` or *Bolshevik* is still the name.
const FUNCTION_WORDS: &[&str] = &[
    "and",
    "or",
    "but",
    "after",
    "before",
    "in",
    "at",
    "to",
    "of",
    "on",
    "for",
    "that",
    "which",
    "who",
    "was",
    "were",
    "had",
    "has",
    "have",
    "is",
    "are",
    "will",
    "would",
    "should",
    "could",
    "may",
    "about",
    "with",
    "without",
    "by",
    "as",
    "existed",
    "decided",
    "agreed",
    "met",
    "meeting",
    "no",
    "article",
    "articles",
    "journal",
    "magazine",
    "editorial",
    "issue",
    "itself",
    "then",
];
/// Words before *Bolshevik* that make it the adjective or the noun.
const NOT_BEFORE_TITLE: &[&str] = &["a", "an", "old", "fellow", "true", "real", "good", "every"];
/// Capitalised words before a central body that still mean the all-Union
/// one.
const ALL_UNION_BEFORE: &[&str] = &[
    "the",
    "usr",
    "ussr",
    "all",
    "union",
    "party",
    "soviet",
    "communist",
    "of",
    "and",
    "a",
    "our",
    "its",
    "their",
    "to",
];
/// Abbreviations that stay abbreviations after a full stop.
const ABBREVIATIONS: &[&str] = &[
    "com", "coms", "st", "mr", "dr", "no", "nos", "ed", "eds", "vol", "cf", "ibid", "op", "d", "f",
    "l", "ll",
];

fn case_of(word: &str) -> Case {
    let upper = word.chars().filter(|c| c.is_uppercase()).count();
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if letters >= 2 && upper >= 2 {
        Case::Abbreviation
    } else if upper >= 1 {
        Case::Capital
    } else {
        Case::Any
    }
}

fn case_ok(req: Case, tok: &Token) -> bool {
    match req {
        Case::Any => true,
        Case::Capital => tok.capital,
        Case::Abbreviation => tok.uppers >= 2 || (tok.uppers == 1 && tok.letters == 1),
    }
}

/// One word of the text.
#[derive(Debug, Clone)]
struct Token {
    start: usize,
    end: usize,
    key: String,
    capital: bool,
    uppers: u8,
    letters: u8,
    /// Strong punctuation between this word and the one before.
    barrier_before: bool,
    /// Only spaces, a full stop or an editor's bracket between this word
    /// and the one before (`N. I. Bukharin`, `Mikhail [Tomskii]`).
    joined_before: bool,
    /// A full stop directly after the word.
    stop_after: bool,
}

fn tokenize(text: &str) -> Vec<Token> {
    let spans = words(text);
    let mut out: Vec<Token> = Vec::with_capacity(spans.len());
    let mut prev_end = 0;
    for (s, e) in spans {
        let w = &text[s..e];
        let key = fold_word(w);
        let gap = &text[prev_end..s];
        // A paragraph break is a barrier; a line break inside a
        // paragraph is not.
        let mut barrier = out.is_empty()
            || gap.contains("\n\n")
            || gap.contains([';', ':', '!', '?', '(', ')', '"', '“', '”', '—', '|']);
        let joined = gap
            .chars()
            .all(|c| c.is_whitespace() || c == '.' || c == '[' || c == ']')
            && gap.matches('.').count() <= 1;
        if gap.contains('.') {
            if let Some(prev) = out.last() {
                // A full stop after an initial or an abbreviation is not a
                // sentence end.
                let short = prev.letters <= 2 && prev.capital;
                if !short && !ABBREVIATIONS.contains(&prev.key.as_str()) {
                    barrier = true;
                }
            }
        }
        let uppers = w.chars().filter(|c| c.is_uppercase()).count().min(255) as u8;
        let letters = w.chars().filter(|c| c.is_alphabetic()).count().min(255) as u8;
        out.push(Token {
            start: s,
            end: e,
            capital: w.chars().next().is_some_and(char::is_uppercase),
            uppers,
            letters,
            barrier_before: barrier,
            joined_before: joined && !barrier,
            stop_after: text[e..].starts_with('.'),
            key,
        });
        prev_end = e;
    }
    out.retain(|t| !t.key.is_empty());
    out
}

/// A variant's words: (key, case) per word.
fn variant_words(form: &str) -> Vec<(String, Case)> {
    words(form)
        .into_iter()
        .map(|(s, e)| (&form[s..e], fold_word(&form[s..e])))
        .filter(|(_, k)| !k.is_empty())
        .map(|(w, k)| (k, case_of(w)))
        .collect()
}

fn hay_key(keys: &[&str]) -> String {
    let mut s = String::new();
    for k in keys {
        s.push('\x01');
        s.push_str(k);
        s.push('\x02');
    }
    s
}

impl Linker {
    pub(crate) fn build(
        people: &[Person],
        bodies: &[Body],
        periodicals: &[Periodical],
    ) -> Result<Linker, AuthorityError> {
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut add = |form: &str, target: Target, kind: VariantKind, gate: Gate| {
            let ws = variant_words(form);
            if ws.is_empty() {
                return;
            }
            let key: Vec<&str> = ws.iter().map(|(k, _)| k.as_str()).collect();
            let key = key.join(" ");
            let case: Vec<Case> = ws.iter().map(|(_, c)| *c).collect();
            let idx = *by_key.entry(key).or_insert_with(|| {
                patterns.push(Pattern::default());
                patterns.len() - 1
            });
            if let Some(p) = patterns.get_mut(idx) {
                if let Some(c) = p.candidates.iter_mut().find(|c| c.target == target) {
                    // Keep the strongest kind of one target.
                    if kind < c.kind {
                        c.kind = kind;
                        c.case = case;
                        c.gate = gate;
                    }
                } else {
                    p.candidates.push(Candidate {
                        target,
                        kind,
                        case,
                        gate,
                    });
                }
            }
        };
        for (i, p) in people.iter().enumerate() {
            for v in person_variants(p) {
                let gate = match v.kind {
                    VariantKind::Forename
                    | VariantKind::CrossReference
                    | VariantKind::Pseudonym
                        if !v.form.contains(' ') =>
                    {
                        Gate::NotBeforeName
                    }
                    _ => Gate::None,
                };
                add(&v.form, Target::Person(i), v.kind, gate);
            }
        }
        for (i, b) in bodies.iter().enumerate() {
            for n in std::iter::once(&b.name).chain(&b.aliases).chain(&b.russian) {
                let gate = if n == "the seven" {
                    Gate::Phrase
                } else {
                    Gate::None
                };
                add(n, Target::Body(i), VariantKind::BodyName, gate);
            }
            for a in &b.abbreviations {
                add(a, Target::Body(i), VariantKind::Abbreviation, Gate::None);
            }
        }
        for (i, p) in periodicals.iter().enumerate() {
            for n in p.names() {
                // A one-word title that is also an English word.
                let gate = if n == "Bolshevik" || n == "Bol'shevik" {
                    Gate::Title
                } else {
                    Gate::None
                };
                add(n, Target::Periodical(i), VariantKind::Periodical, gate);
            }
        }
        let mut keyed: Vec<(String, usize)> = by_key.iter().map(|(k, v)| (k.clone(), *v)).collect();
        keyed.sort_by_key(|(_, v)| *v);
        let hay_patterns: Vec<String> = keyed
            .iter()
            .map(|(k, _)| hay_key(&k.split(' ').collect::<Vec<_>>()))
            .collect();
        // Building fails only past the automaton's size limits.
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&hay_patterns)
            .map_err(|e| AuthorityError::Automaton {
                reason: e.to_string(),
            })?;
        Ok(Linker {
            ac,
            patterns,
            by_key,
        })
    }
}

/// A raw match before resolution.
struct Raw {
    ti: usize,
    tj: usize,
    candidates: Vec<Candidate>,
}

/// A document's span of years (first, last) from its normalised date, for
/// the linker's date rule.
pub fn document_years(doc: &fond_model::Document) -> Option<(i32, i32)> {
    let i = doc.date.interval.as_ref()?;
    match (i.earliest, i.latest) {
        (Some(a), Some(b)) => Some((a.year, b.year)),
        (Some(a), None) => Some((a.year, a.year)),
        (None, Some(b)) => Some((b.year, b.year)),
        (None, None) => None,
    }
}

impl Authority {
    /// Links a document's texts: its body (spans in
    /// [`Document::body_text`]) and each note (spans in the note's text).
    ///
    /// [`Document::body_text`]: fond_model::Document::body_text
    pub fn link_document(&self, doc: &fond_model::Document) -> Vec<Mention> {
        let years = document_years(doc);
        let mut out = self.link(&doc.id, MentionField::Body, &doc.body_text(), years);
        for n in &doc.notes {
            out.extend(self.link(&doc.id, MentionField::Note(n.n), &n.text, years));
        }
        out
    }

    /// Finds every mention of a person, body or periodical in `text`, the
    /// `field` of document `doc_id`. `date` is the document's span of
    /// years (first, last), used to prefer whoever held a central office
    /// then.
    pub fn link(
        &self,
        doc_id: &str,
        field: MentionField,
        text: &str,
        date: Option<(i32, i32)>,
    ) -> Vec<Mention> {
        let tokens = tokenize(text);
        let mut hay = String::with_capacity(text.len() + tokens.len() * 3);
        let mut starts: Vec<usize> = Vec::with_capacity(tokens.len());
        for t in &tokens {
            if t.barrier_before {
                hay.push('\x03');
            }
            starts.push(hay.len());
            hay.push('\x01');
            hay.push_str(&t.key);
            hay.push('\x02');
        }
        let linker = &self.linker;
        let mut raws: Vec<Raw> = Vec::new();
        let mut pos = 0;
        while pos < hay.len() {
            let Some(m) = linker.ac.find(Input::new(&hay).span(pos..hay.len())) else {
                break;
            };
            let Ok(ti) = starts.binary_search(&m.start()) else {
                pos = m.start() + 1;
                continue;
            };
            let n = hay[m.start()..m.end()].matches('\x01').count();
            let mut accepted = None;
            for k in (1..=n).rev() {
                let keys: Vec<&str> = tokens[ti..ti + k].iter().map(|t| t.key.as_str()).collect();
                let Some(&pi) = linker.by_key.get(&keys.join(" ")) else {
                    continue;
                };
                let Some(pattern) = linker.patterns.get(pi) else {
                    continue;
                };
                let valid: Vec<Candidate> = pattern
                    .candidates
                    .iter()
                    .filter(|c| self.candidate_ok(c, &tokens, ti, ti + k - 1))
                    .cloned()
                    .collect();
                if !valid.is_empty() {
                    accepted = Some((k, valid));
                    break;
                }
            }
            match accepted {
                Some((k, candidates)) => {
                    raws.push(Raw {
                        ti,
                        tj: ti + k - 1,
                        candidates,
                    });
                    pos = starts.get(ti + k).copied().unwrap_or(hay.len());
                }
                None => pos = starts.get(ti + 1).copied().unwrap_or(hay.len()),
            }
        }
        self.resolve(doc_id, field, text, &tokens, raws, date)
    }

    fn candidate_ok(&self, c: &Candidate, tokens: &[Token], ti: usize, tj: usize) -> bool {
        if c.case.len() != tj - ti + 1 {
            return false;
        }
        if !c
            .case
            .iter()
            .zip(&tokens[ti..=tj])
            .all(|(r, t)| case_ok(*r, t))
        {
            return false;
        }
        let next = tokens.get(tj + 1).filter(|t| !t.barrier_before);
        let prev = if tokens[ti].barrier_before {
            None
        } else {
            ti.checked_sub(1).and_then(|i| tokens.get(i))
        };
        let ends_sentence = tokens[tj].stop_after;
        match c.gate {
            Gate::None => {}
            Gate::NotBeforeName => {
                if next.is_some_and(|n| n.capital) && !ends_sentence {
                    return false;
                }
            }
            Gate::Phrase | Gate::Title => {
                if let Some(n) = next {
                    if !ends_sentence && !FUNCTION_WORDS.contains(&n.key.as_str()) {
                        return false;
                    }
                }
                if c.gate == Gate::Title
                    && prev.is_some_and(|p| NOT_BEFORE_TITLE.contains(&p.key.as_str()))
                {
                    return false;
                }
            }
        }
        if let Target::Body(bi) = c.target {
            if let Some(b) = self.bodies.get(bi) {
                if self.qualified_elsewhere(b, tokens, ti, tj) {
                    return false;
                }
            }
        }
        true
    }

    /// `Ukrainian Central Committee`, `Central Committee of Rail Workers'
    /// Union`, `RSFSR Council of Commissars`: a republic's or an
    /// organisation's body, not the all-Union one.
    fn qualified_elsewhere(&self, b: &Body, tokens: &[Token], ti: usize, tj: usize) -> bool {
        let national = matches!(
            b.kind,
            BodyKind::Party | BodyKind::State | BodyKind::TradeUnion
        ) && !["party", "semerka", "ogpu", "cheka"].contains(&b.id.0.as_str());
        if !national {
            return false;
        }
        if !tokens[ti].barrier_before {
            if let Some(p) = ti.checked_sub(1).and_then(|i| tokens.get(i)) {
                if p.capital && !ALL_UNION_BEFORE.contains(&p.key.as_str()) && p.letters > 1 {
                    return true;
                }
            }
        }
        if let (Some(of), Some(next)) = (tokens.get(tj + 1), tokens.get(tj + 2)) {
            if of.key == "of" && !of.barrier_before && !next.barrier_before && next.capital {
                let allowed = [
                    "all",
                    "usr",
                    "ussr",
                    "russian",
                    "the",
                    "soviets",
                    "soviet",
                    "labor",
                    "commissars",
                    "central",
                    "people",
                    "peoples",
                ];
                if !allowed.contains(&next.key.as_str()) {
                    return true;
                }
            }
        }
        false
    }

    fn entity_of(&self, t: Target) -> Option<Entity> {
        Some(match t {
            Target::Person(i) => Entity::Person(self.people.get(i)?.id.clone()),
            Target::Body(i) => Entity::Body(self.bodies.get(i)?.id.clone()),
            Target::Periodical(i) => Entity::Periodical(self.periodicals.get(i)?.id.clone()),
        })
    }

    /// How central a person's offices make them at a year span (for the
    /// date rule) or at all (for the fallback).
    pub(crate) fn central_offices(&self, i: usize, span: Option<(i32, i32)>) -> usize {
        const CENTRAL: &[&str] = &[
            "politburo",
            "central-committee",
            "orgburo",
            "secretariat",
            "sovnarkom",
            "sto",
            "ccc",
            "ecci",
        ];
        let Some(p) = self.people.get(i) else {
            return 0;
        };
        let in_roster = self.rosters.iter().filter(|r| {
            r.members.contains(&p.id) && span.is_none_or(|(a, b)| r.year >= a && r.year <= b)
        });
        let offices = p.offices.iter().filter(|o| {
            let central = o
                .body
                .as_ref()
                .is_some_and(|b| CENTRAL.contains(&b.0.as_str()));
            let at = match span {
                None => true,
                Some((a, b)) => {
                    let from = o.from.map(|f| f.year).unwrap_or(i32::MIN);
                    let to =
                        o.to.map(|t| t.year)
                            .or_else(|| p.died.as_ref().and_then(|d| d.latest()))
                            .unwrap_or(i32::MAX);
                    from <= b && to >= a
                }
            };
            central && at
        });
        offices.count() + in_roster.count()
    }

    /// Decides each surface found in one field's text: a body or
    /// periodical by its name; a person by its name when one person has it,
    /// else by the rules of `decide_among`. Bodies are found
    /// first, because the person rules look at the bodies around.
    fn resolve(
        &self,
        doc_id: &str,
        field: MentionField,
        text: &str,
        tokens: &[Token],
        raws: Vec<Raw>,
        date: Option<(i32, i32)>,
    ) -> Vec<Mention> {
        let body_spans = self.body_spans(tokens, &raws);
        let mut out = Vec::with_capacity(raws.len());
        let mut resolved_here: Vec<usize> = Vec::new();
        for r in raws {
            let start = tokens[r.ti].start;
            let end = tokens[r.tj].end;
            let mention = |target: Target,
                           confidence: f32,
                           resolved: bool,
                           candidates: Vec<Entity>,
                           how: &'static str| {
                self.entity_of(target).map(|entity| Mention {
                    doc_id: doc_id.to_string(),
                    field,
                    entity,
                    start,
                    end,
                    surface: text[start..end].to_string(),
                    confidence: f64::from(confidence),
                    resolved,
                    candidates,
                    how: how.to_string(),
                })
            };
            let persons: Vec<(usize, VariantKind)> = r
                .candidates
                .iter()
                .filter_map(|c| match c.target {
                    Target::Person(i) => Some((i, c.kind)),
                    _ => None,
                })
                .collect();
            if persons.is_empty() {
                if let Some(c) = r.candidates.first() {
                    out.extend(mention(
                        c.target,
                        c.kind.confidence(),
                        true,
                        Vec::new(),
                        "name",
                    ));
                }
                continue;
            }
            let idx: Vec<usize> = persons.iter().map(|(i, _)| *i).collect();
            let kind = persons
                .iter()
                .map(|(_, k)| *k)
                .min()
                .unwrap_or(VariantKind::Surname);
            let before = NameBefore::of(tokens, r.ti);
            let d = match idx[..] {
                [i] => self.decide_one(i, kind, before.initial),
                _ => {
                    let near: Vec<&BodyId> = body_spans
                        .iter()
                        .filter(|(s, _)| s.abs_diff(start) <= 400)
                        .map(|(_, b)| b)
                        .collect();
                    let around = Around {
                        name_before: before.name,
                        resolved_here: &resolved_here,
                        bodies_near: &near,
                        date,
                    };
                    self.decide_among(&idx, &around)
                }
            };
            let Some(i) = d.person else { continue };
            if d.resolved {
                resolved_here.push(i);
            }
            let candidates = if idx.len() > 1 {
                idx.iter()
                    .filter_map(|&i| self.entity_of(Target::Person(i)))
                    .collect()
            } else {
                Vec::new()
            };
            out.extend(mention(
                Target::Person(i),
                d.confidence,
                d.resolved,
                candidates,
                d.how,
            ));
        }
        out
    }

    /// Where the text names a body, by the first body among each
    /// surface's candidates.
    fn body_spans(&self, tokens: &[Token], raws: &[Raw]) -> Vec<(usize, BodyId)> {
        let mut body_spans = Vec::new();
        for r in raws {
            if let Some(c) = r
                .candidates
                .iter()
                .find(|c| matches!(c.target, Target::Body(_)))
            {
                if let Some(Entity::Body(b)) = self.entity_of(c.target) {
                    body_spans.push((tokens[r.ti].start, b));
                }
            }
        }
        body_spans
    }

    /// One person has the name. Initials before a surname that are not the
    /// person's leave it unresolved — only where the record knows the
    /// initials (a forename alone says nothing of the middle one: `Robert
    /// C. Tucker`).
    fn decide_one(&self, i: usize, kind: VariantKind, initial: Option<&Token>) -> Decision {
        if let (Some(pi), VariantKind::Surname) = (initial, kind) {
            let ok = self.people.get(i).is_some_and(|p| {
                p.initials.len() < 2
                    || p.initials
                        .iter()
                        .any(|x| initial_key(x) == pi.key.chars().next())
            });
            if !ok {
                return Decision::unresolved(i, 0.4, "initials disagree");
            }
        }
        Decision::resolved(i, kind.confidence(), "name")
    }

    /// Several people have the name: in order, (1) an initial or forename
    /// before the surname, (2) an earlier resolved mention in the same
    /// text, (3) bodies named around that one of them served in, (4) a
    /// central office at the document's date decide it when they leave one
    /// person; otherwise the most central of them, unresolved, with low
    /// confidence.
    fn decide_among(&self, idx: &[usize], around: &Around<'_>) -> Decision {
        let one = |keep: &dyn Fn(usize) -> bool| -> Option<usize> {
            match idx.iter().copied().filter(|&i| keep(i)).collect::<Vec<_>>()[..] {
                [i] => Some(i),
                _ => None,
            }
        };
        if let Some(p) = around.name_before {
            let k = p.key.chars().next();
            let by_initial = one(&|i| {
                self.people.get(i).is_some_and(|q| {
                    q.initials.first().and_then(|x| initial_key(x)) == k
                        || q.known_forenames
                            .iter()
                            .any(|f| crate::keys::key_of(f) == p.key)
                })
            });
            if let Some(i) = by_initial {
                return Decision::resolved(i, 0.85, "initial before");
            }
        }
        if let Some(i) = one(&|i| around.resolved_here.contains(&i)) {
            return Decision::resolved(i, 0.8, "earlier in text");
        }
        if !around.bodies_near.is_empty() {
            let served = one(&|i| {
                self.people.get(i).is_some_and(|p| {
                    p.offices.iter().any(|o| {
                        o.body
                            .as_ref()
                            .is_some_and(|b| around.bodies_near.contains(&b))
                    })
                })
            });
            if let Some(i) = served {
                return Decision::resolved(i, 0.7, "office in context");
            }
        }
        if let Some(span) = around.date {
            if let Some(i) = one(&|i| self.central_offices(i, Some(span)) > 0) {
                return Decision::resolved(i, 0.65, "office at date");
            }
        }
        let best = idx.iter().copied().max_by_key(|&i| {
            (
                self.central_offices(i, None),
                self.people.get(i).map(|p| p.offices.len()).unwrap_or(0),
                std::cmp::Reverse(i),
            )
        });
        Decision {
            person: best,
            confidence: 0.3,
            resolved: false,
            how: "unresolved",
        }
    }
}

/// How the linker decided one surface that names a person.
struct Decision {
    person: Option<usize>,
    confidence: f32,
    resolved: bool,
    /// The rule that decided it, kept with the mention.
    how: &'static str,
}

impl Decision {
    fn resolved(i: usize, confidence: f32, how: &'static str) -> Decision {
        Decision {
            person: Some(i),
            confidence,
            resolved: true,
            how,
        }
    }

    fn unresolved(i: usize, confidence: f32, how: &'static str) -> Decision {
        Decision {
            person: Some(i),
            confidence,
            resolved: false,
            how,
        }
    }
}

/// What stands around a surface that several people's names fit.
struct Around<'a> {
    /// An initial or forename right before it.
    name_before: Option<&'a Token>,
    /// The people already resolved earlier in the same text.
    resolved_here: &'a [usize],
    /// The bodies named within 400 bytes of it.
    bodies_near: &'a [&'a BodyId],
    /// The document's span of years.
    date: Option<(i32, i32)>,
}

/// The word before a surface, when it is a name: an initial or a forename
/// (not `Comrade`, not `the`), and as an initial only when it is one (two
/// letters at most, a stop after it, and not the S of `P.S.`).
struct NameBefore<'t> {
    name: Option<&'t Token>,
    initial: Option<&'t Token>,
}

impl<'t> NameBefore<'t> {
    fn of(tokens: &'t [Token], ti: usize) -> NameBefore<'t> {
        let prev = if tokens[ti].joined_before {
            ti.checked_sub(1).and_then(|i| tokens.get(i))
        } else {
            None
        };
        let name = prev
            .filter(|p| p.capital && !["com", "coms", "comrade", "the"].contains(&p.key.as_str()));
        // `P.S. Rudzutak`: the S of a postscript is no initial.
        let postscript = prev.is_some_and(|p| p.key == "s")
            && ti >= 2
            && tokens
                .get(ti - 2)
                .is_some_and(|q| q.key == "p" && tokens[ti - 1].joined_before);
        let initial = name.filter(|p| p.letters <= 2 && p.stop_after && !postscript);
        NameBefore { name, initial }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_fold_and_barriers() {
        let t = tokenize("Com. Rykov's report. Зиновьев; N. I. Bukharin");
        let keys: Vec<&str> = t.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(
            keys,
            vec!["com", "rykov", "report", "zinovev", "n", "i", "buharin"]
        );
        let barriers: Vec<bool> = t.iter().map(|t| t.barrier_before).collect();
        assert_eq!(barriers, vec![true, false, false, true, true, false, false]);
    }
}
