//! The authority file assembled from a book: people from the glossary,
//! the index and the Institutional Background; bodies and periodicals from
//! the tables; name variants; `lookup` and `who`.

use crate::background::{self, Change};
use crate::bodies::{builtin_bodies, builtin_periodicals, Body, BodyId, Periodical};
use crate::glossary::{self, initials_of, split_name, Entry};
use crate::index::{self, HeadingKind};
use crate::keys::{key_of, search_keys};
use crate::link::Linker;
use crate::offices::OfficeReader;
use crate::person::{Alias, AliasKind, Office, OfficeSource, Origin, Person, PersonId, Point};
use crate::AuthorityError;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// The complete list of a body's full members at some time in a year, as
/// the Institutional Background states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster {
    pub body: BodyId,
    pub year: i32,
    pub members: Vec<PersonId>,
    pub text: String,
}

/// An index heading that names a person, and the record it maps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexPerson {
    pub heading: String,
    pub line: u32,
    pub person: PersonId,
}

/// How a name variant relates to the person; sets the base confidence of
/// a match and which checks apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VariantKind {
    /// Initials or forenames with the surname (`N. I. Bukharin`, `Lev
    /// Kamenev`, `Bukharin, N. I.`), or a forename with the patronymic
    /// (`Lev Davidovich`).
    FullName,
    /// `Com. Trotsky`.
    ComSurname,
    Surname,
    Pseudonym,
    RealName,
    /// A cross-reference alias (`Grisha`, `Koba`).
    CrossReference,
    /// A forename alone (`Viacheslav`).
    Forename,
    BodyName,
    Abbreviation,
    Periodical,
}

impl VariantKind {
    pub fn confidence(self) -> f32 {
        match self {
            VariantKind::FullName => 0.97,
            VariantKind::ComSurname => 0.93,
            VariantKind::Surname => 0.9,
            VariantKind::Pseudonym => 0.92,
            VariantKind::RealName => 0.85,
            VariantKind::CrossReference => 0.88,
            VariantKind::Forename => 0.7,
            VariantKind::BodyName => 0.95,
            VariantKind::Abbreviation => 0.9,
            VariantKind::Periodical => 0.9,
        }
    }
    fn lookup_score(self) -> f32 {
        match self {
            VariantKind::FullName => 1.0,
            VariantKind::Surname | VariantKind::Pseudonym => 0.9,
            VariantKind::ComSurname => 0.9,
            VariantKind::RealName | VariantKind::CrossReference => 0.85,
            VariantKind::Forename => 0.6,
            _ => 0.5,
        }
    }
}

/// Forenames, patronymics and real names of the principal figures that
/// the glossary does not carry (Stalin, Molotov and Lenin are not in it;
/// the others are there with initials only). From the standard reference
/// works on the Soviet leadership; each is checked against the edition's
/// own usage (`Lev Davidovich [Trotsky]`, `Vladimir Ilich`, `Josef
/// Vissarionovich`).
/// Surname, forenames, patronymic, real name.
type Principal = (
    &'static str,
    &'static [&'static str],
    Option<&'static str>,
    Option<&'static str>,
);

const PRINCIPALS: &[Principal] = &[
    (
        "Stalin",
        &["Iosif", "Joseph", "Josef"],
        Some("Vissarionovich"),
        Some("Dzhugashvili"),
    ),
    (
        "Molotov",
        &["Viacheslav"],
        Some("Mikhailovich"),
        Some("Skriabin"),
    ),
    ("Lenin", &["Vladimir"], Some("Ilich"), Some("Ulianov")),
    (
        "Trotsky",
        &["Lev", "Leon"],
        Some("Davidovich"),
        Some("Bronshtein"),
    ),
    (
        "Zinoviev",
        &["Grigorii"],
        Some("Evseevich"),
        Some("Radomyslskii"),
    ),
    ("Bukharin", &["Nikolai"], Some("Ivanovich"), None),
    ("Rykov", &["Aleksei"], Some("Ivanovich"), None),
    ("Kalinin", &["Mikhail"], Some("Ivanovich"), None),
    ("Voroshilov", &["Kliment"], Some("Efremovich"), None),
];

/// Words that stand before a surname but are not forenames.
const NOT_FORENAMES: &[&str] = &[
    "Com",
    "Comrade",
    "Comrades",
    "Coms",
    "Dear",
    "The",
    "And",
    "But",
    "For",
    "Hello",
    "Greetings",
    "Mr",
    "General",
    "Marshal",
    "Professor",
    "Great",
    "Prince",
    "Grand",
    "Letter",
    "Lenin",
    "Stalin",
    "Molotov",
    "Soviet",
    "Party",
    "Central",
    "Moscow",
    "Leningrad",
    "When",
    "After",
    "Before",
    "Since",
    "With",
    "From",
    "That",
    "This",
    "What",
    "Then",
    "Also",
    "Both",
    "Only",
    "Even",
    "Yours",
    "Your",
];

static PAIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([A-Z][a-z]{2,11}) \[?([A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?)\b")
        .expect("static regex")
});

/// One name variant of an entity, as the linker and lookup use it.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The surface form it was made from (`N. I. Bukharin`).
    pub form: String,
    pub kind: VariantKind,
}

/// The authority file.
#[derive(Debug, Clone)]
pub struct Authority {
    pub(crate) people: Vec<Person>,
    pub(crate) bodies: Vec<Body>,
    pub(crate) periodicals: Vec<Periodical>,
    pub(crate) rosters: Vec<Roster>,
    index_people: Vec<IndexPerson>,
    /// Search key → (person index, variant kind).
    person_keys: BTreeMap<String, Vec<(usize, VariantKind)>>,
    /// Search key → body index.
    body_keys: BTreeMap<String, usize>,
    pub(crate) linker: Linker,
}

/// Folded first letter of an initial or forename (`Ye` → `e`, `Jan` →
/// `i`), for comparing initials across romanisations.
pub(crate) fn initial_key(s: &str) -> Option<char> {
    key_of(s).chars().next()
}

fn initials_compatible(a: &[String], b: &[String]) -> bool {
    match (a.first(), b.first()) {
        (Some(x), Some(y)) => {
            if initial_key(x) != initial_key(y) {
                return false;
            }
            match (a.get(1), b.get(1)) {
                (Some(x), Some(y)) => initial_key(x) == initial_key(y),
                _ => true,
            }
        }
        _ => true,
    }
}

/// Same initials, compared whole (`Er.` is not `Ye.`).
fn initials_equal(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| key_of(x) == key_of(y))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Is this a Chinese-style name (`Chiang Kai-shek`): the surname alone
/// does not name the person in running text.
fn chinese_style(p: &Person) -> bool {
    !p.name.contains(',')
        && p.forenames.as_deref().is_some_and(|f| {
            f.split(' ').any(|w| {
                w.split_once('-')
                    .is_some_and(|(_, b)| b.chars().next().is_some_and(char::is_lowercase))
            })
        })
}

/// A glossary cross-reference entry: (alias, target, line, text).
type GlossaryAlias = (String, String, u32, String);

struct Builder {
    people: Vec<Person>,
    /// Per person: surname keys (with index spellings) and the key of the
    /// whole printed name; kept in step with `people`.
    keys: Vec<(Vec<String>, String)>,
}

impl Builder {
    /// The glossary's entries: every person a record, the cross-reference
    /// entries (`X. See Y`) returned for after the index.
    fn read_glossary(
        &mut self,
        book: &str,
        reader: &OfficeReader,
    ) -> Result<Vec<GlossaryAlias>, AuthorityError> {
        let b = self;
        let mut glossary_aliases = Vec::new();
        for raw in glossary::raw_entries(book)? {
            match glossary::read_entry(&raw, reader) {
                Some(Entry::Person(p)) => {
                    let mut p = *p;
                    while b.people.iter().any(|q| q.id == p.id) {
                        p.id.0.push_str("-x");
                    }
                    b.push(p);
                }
                Some(Entry::Alias {
                    alias,
                    target,
                    line,
                    text,
                }) => glossary_aliases.push((alias, target, line, text)),
                None => {}
            }
        }

        Ok(glossary_aliases)
    }

    /// The index: the people it names, matched to glossary records or
    /// made records of their own, with their index spellings and
    /// forenames.
    fn read_index(&mut self, headings: &[index::Heading]) -> Vec<IndexPerson> {
        let b = self;
        // Person headings by the index's rule, and headings without a
        // comma that spell a glossary name whole (`Roy Manabendra Nat`).
        let glossary_names: BTreeSet<String> = b.keys.iter().map(|k| k.1.clone()).collect();
        let person_headings: Vec<&index::Heading> = headings
            .iter()
            .filter(|h| {
                h.kind == HeadingKind::Person
                    || (h.kind == HeadingKind::Other
                        && h.see.is_none()
                        && !h.text.contains(['*', ','])
                        && glossary_names.contains(&key_of(&h.text)))
            })
            .collect();
        let mut surname_count: BTreeMap<String, usize> = BTreeMap::new();
        for h in &person_headings {
            *surname_count
                .entry(key_of(&split_name(&h.text).0))
                .or_default() += 1;
        }
        let mut index_people = Vec::new();
        // Headings that match a glossary record exactly go first, so a
        // looser match cannot take a record another heading names exactly.
        let mut order: Vec<&index::Heading> = person_headings.clone();
        order.sort_by_key(|h| {
            let (s, f) = split_name(&h.text);
            let ini = f.as_deref().map(initials_of).unwrap_or_default();
            let sk = key_of(&s);
            let exact = b
                .people
                .iter()
                .zip(&b.keys)
                .any(|(p, k)| k.0.first() == Some(&sk) && initials_equal(&p.initials, &ini));
            (!exact, h.line)
        });
        let mut claimed: BTreeSet<usize> = BTreeSet::new();
        for h in order {
            let strict = surname_count
                .get(&key_of(&split_name(&h.text).0))
                .copied()
                .unwrap_or(0)
                > 1;
            let found = if strict {
                b.find_excluding(&h.text, true, &claimed)
            } else {
                b.find(&h.text, false)
            };
            let i = match found {
                Some(i) => {
                    let spelled = split_name(&h.text).0;
                    let source = format!("Index, line {}", h.line);
                    if key_of(&spelled) != key_of(&b.people[i].surname) && h.text.contains(',') {
                        b.add_alias(i, &spelled, AliasKind::IndexSpelling, source);
                    }
                    i
                }
                None => b.new_person(
                    &h.text,
                    Origin::Index {
                        heading: h.text.clone(),
                        line: h.line,
                    },
                ),
            };
            claimed.insert(i);
            if let Some(f) = split_name(&h.text).1 {
                for w in f
                    .split(' ')
                    .filter(|w| w.chars().count() > 2 && !["Great", "Prince"].contains(w))
                {
                    if w.chars().next().is_some_and(char::is_uppercase) && !w.ends_with('.') {
                        b.add_forename(i, w);
                    }
                }
            }
            b.people[i]
                .evidence
                .push(format!("Index: {}, {}", h.text, h.rest));
            index_people.push(IndexPerson {
                heading: h.text.clone(),
                line: h.line,
                person: b.people[i].id.clone(),
            });
        }
        index_people.sort_by_key(|p| p.line);
        index_people
    }

    /// The glossary's own cross-references (`Grisha. See …`).
    fn glossary_cross_references(&mut self, aliases: Vec<GlossaryAlias>) {
        let b = self;
        // The glossary's own cross-references.
        for (alias, target, line, text) in aliases {
            let i = match b.find(&target, false) {
                Some(i) => i,
                None => b.new_person(
                    &target,
                    Origin::GlossaryReference {
                        entry: text.clone(),
                        line,
                    },
                ),
            };
            b.add_alias(
                i,
                &alias,
                AliasKind::CrossReference,
                format!("Glossary of Names, line {line}"),
            );
            b.people[i].evidence.push(format!("Glossary: {text}"));
        }
    }

    /// The index's cross-references to people: other names and spellings.
    fn index_cross_references(&mut self, headings: &[index::Heading]) {
        let b = self;
        for h in headings
            .iter()
            .filter(|h| h.kind == HeadingKind::PersonAlias)
        {
            let Some(target) = &h.see else { continue };
            let Some(i) = b.find(target, false) else {
                continue;
            };
            let source = format!("Index, line {}", h.line);
            if h.text.contains(',') {
                // `Ulianov, Vladimir. See Lenin, Vladimir`: another name.
                let (s, _) = split_name(&h.text);
                if b.people[i].real_name.is_none() {
                    b.people[i].real_name = Some(h.text.clone());
                }
                b.add_alias(i, &s, AliasKind::CrossReference, source);
            } else {
                b.add_alias(i, &h.text, AliasKind::CrossReference, source);
            }
        }
    }

    /// Forenames, patronymics, real names of the principal figures.
    fn principal_figures(&mut self) {
        let b = self;
        // Forenames, patronymics, real names of the principal figures.
        for (surname, forenames, patronymic, real) in PRINCIPALS {
            let key = key_of(surname);
            let matching: Vec<usize> = (0..b.people.len())
                .filter(|&i| key_of(&b.people[i].surname) == key)
                .collect();
            // Only where the surname is one person's.
            let [i] = matching[..] else { continue };
            for f in *forenames {
                b.add_forename(i, f);
            }
            let p = &mut b.people[i];
            if p.patronymic.is_none() {
                p.patronymic = patronymic.map(str::to_string);
            }
            if p.real_name.is_none() {
                p.real_name = real.map(str::to_string);
            }
        }
    }

    /// The Institutional Background: who sat on a body in a given year,
    /// who joined or left it, and full names.
    // Long: rosters, changes and full names share one memory of the names
    // already resolved (`seen`); one function keeps it in one place.
    fn read_background(
        &mut self,
        book: &str,
        bodies: &[Body],
    ) -> Result<Vec<Roster>, AuthorityError> {
        let b = self;
        let mut rosters = Vec::new();
        let body_id = |name: &str| -> Option<BodyId> {
            let k = key_of(name);
            bodies
                .iter()
                .find(|b| b.names().any(|n| key_of(n) == k))
                .map(|b| b.id.clone())
        };
        match background::read(book) {
            Ok(bg) => {
                let mut seen: BTreeMap<String, usize> = BTreeMap::new();
                let mut resolve = |b: &mut Builder, name: &str| -> usize {
                    let surname_key = key_of(name.rsplit(' ').next().unwrap_or(name));
                    if !name.contains(' ') {
                        if let Some(&i) = seen.get(&surname_key) {
                            return i;
                        }
                    }
                    let i = match b.find(name, false) {
                        Some(i) => i,
                        None => b.new_person(
                            name,
                            Origin::InstitutionalBackground {
                                text: name.to_string(),
                            },
                        ),
                    };
                    if let Some((f, _)) = name.rsplit_once(' ') {
                        b.add_forename(i, f);
                    }
                    seen.insert(surname_key, i);
                    i
                };
                for r in &bg.rosters {
                    let Some(body) = body_id(&r.body) else {
                        continue;
                    };
                    let members: Vec<PersonId> = r
                        .names
                        .iter()
                        .map(|n| {
                            let i = resolve(b, n);
                            b.people[i]
                                .evidence
                                .push(format!("Institutional Background: {}", r.text));
                            b.people[i].id.clone()
                        })
                        .collect();
                    rosters.push(Roster {
                        body,
                        year: r.year,
                        members,
                        text: r.text.clone(),
                    });
                }
                for (body_name, change, text) in &bg.changes {
                    let Some(body) = body_id(body_name) else {
                        continue;
                    };
                    let office = |role: &str, from: Option<Point>, to: Option<Point>| Office {
                        body: Some(body.clone()),
                        body_text: body_name.clone(),
                        jurisdiction: None,
                        role: Some(role.to_string()),
                        from,
                        to,
                        assumed_only: false,
                        date_shared: false,
                        text: text.clone(),
                        source: OfficeSource::InstitutionalBackground,
                    };
                    let point = |year: i32, month: Option<u8>, approximate: bool| Point {
                        year,
                        month,
                        day: None,
                        approximate,
                    };
                    match change {
                        Change::Joined { name, year, month } => {
                            let i = resolve(b, name);
                            b.people[i].offices.push(office(
                                "member",
                                Some(point(*year, *month, false)),
                                None,
                            ));
                        }
                        Change::Demoted { name, year, month } => {
                            let i = resolve(b, name);
                            b.people[i].offices.push(office(
                                "member",
                                None,
                                Some(point(*year, *month, false)),
                            ));
                            b.people[i].offices.push(office(
                                "candidate member",
                                Some(point(*year, *month, false)),
                                None,
                            ));
                        }
                        Change::Removed { name, year, month } => {
                            let i = resolve(b, name);
                            b.people[i].offices.push(office(
                                "member",
                                None,
                                Some(point(*year, *month, true)),
                            ));
                        }
                    }
                }
                for (f, s) in &bg.full_names {
                    let name = format!("{f} {s}");
                    if NOT_FORENAMES.contains(&f.as_str()) {
                        continue;
                    }
                    if let Some(i) = b.find(&name, true) {
                        b.add_forename(i, f);
                    }
                }
            }
            Err(AuthorityError::MissingSection { .. }) => {}
            Err(e) => return Err(e),
        }

        Ok(rosters)
    }

    /// Forenames the whole book pairs with surnames: known forenames, and
    /// aliases when a forename pairs with one person only.
    fn paired_forenames(&mut self, book: &str) {
        let b = self;
        // Forenames the whole book pairs with surnames ("Viacheslav
        // Molotov", "Mikhail [Tomskii]"): known forenames, and aliases
        // when a forename pairs with one person only.
        let mut pairs: BTreeMap<String, BTreeMap<usize, usize>> = BTreeMap::new();
        let surnames: BTreeSet<String> = b.keys.iter().flat_map(|k| k.0.iter().cloned()).collect();
        for line in book.lines() {
            for c in PAIR.captures_iter(line) {
                let (f, s) = (&c[1], &c[2]);
                if NOT_FORENAMES.contains(&f)
                    || !surnames.contains(&key_of(s))
                    || surnames.contains(&key_of(f))
                {
                    continue;
                }
                if let Some(i) = b.find(&format!("{f} {s}"), true) {
                    *pairs
                        .entry(f.to_string())
                        .or_default()
                        .entry(i)
                        .or_default() += 1;
                }
            }
        }
        for (f, by_person) in &pairs {
            for &i in by_person.keys() {
                b.add_forename(i, f);
            }
        }
        for (f, by_person) in &pairs {
            let total: usize = by_person.values().sum();
            let (Some((&i, _)), 1) = (by_person.iter().next(), by_person.len()) else {
                continue;
            };
            let elsewhere =
                b.people.iter().enumerate().any(|(j, p)| {
                    j != i && p.known_forenames.iter().any(|k| key_of(k) == key_of(f))
                });
            if total >= 2 && !elsewhere {
                b.add_alias(
                    i,
                    f,
                    AliasKind::Forename,
                    format!(
                        "the texts pair \"{f} {}\" {total} times",
                        b.people[i].surname
                    ),
                );
            }
        }
    }

    fn push(&mut self, p: Person) -> usize {
        self.keys.push((Self::surname_keys(&p), key_of(&p.name)));
        self.people.push(p);
        self.people.len() - 1
    }

    fn surname_keys(p: &Person) -> Vec<String> {
        let mut keys = vec![key_of(&p.surname)];
        for a in &p.aliases {
            if a.kind == AliasKind::IndexSpelling {
                keys.push(key_of(&a.name));
            }
        }
        keys
    }

    /// Finds the person a printed name (`Zinoviev, G. Ye.`, `Lev
    /// Kamenev`, `Stalin`) refers to. `strict` asks for compatible
    /// initials even when the surname is unique.
    fn find(&self, name: &str, strict: bool) -> Option<usize> {
        self.find_excluding(name, strict, &BTreeSet::new())
    }

    /// `find`, leaving out records other headings already claimed.
    fn find_excluding(&self, name: &str, strict: bool, claimed: &BTreeSet<usize>) -> Option<usize> {
        let (surname, forenames) = if name.contains(',') {
            split_name(name)
        } else {
            // `Lev Kamenev`: the last word is the surname.
            match name.rsplit_once(' ') {
                Some((f, s)) => (s.to_string(), Some(f.to_string())),
                None => (name.to_string(), None),
            }
        };
        let initials = forenames.as_deref().map(initials_of).unwrap_or_default();
        let key = key_of(&surname);
        let full_key = key_of(name);
        // A name printed without a comma (`Chiang Kai-shek`) is matched
        // whole.
        if let Some(i) = self.keys.iter().position(|k| k.1 == full_key) {
            return Some(i);
        }
        let same: Vec<usize> = (0..self.people.len())
            .filter(|&i| !claimed.contains(&i))
            .filter(|&i| self.keys[i].0.contains(&key))
            .collect();
        let compatible: Vec<usize> = same
            .iter()
            .copied()
            .filter(|&i| initials_compatible(&self.people[i].initials, &initials))
            .collect();
        match (same.len(), compatible.len()) {
            (1, _) if !strict => return same.first().copied(),
            (_, 1) => return compatible.first().copied(),
            (_, n) if n > 1 => {
                let exact: Vec<usize> = compatible
                    .iter()
                    .copied()
                    .filter(|&i| initials_equal(&self.people[i].initials, &initials))
                    .collect();
                if exact.len() == 1 {
                    return exact.first().copied();
                }
                return None;
            }
            _ => {}
        }
        if !same.is_empty() {
            return None;
        }
        // A misprinted surname (`Slepikov` for Slepko): close spelling and
        // the same initials.
        if key.chars().count() >= 6 && !initials.is_empty() {
            let close: Vec<usize> = (0..self.people.len())
                .filter(|&i| {
                    let p = &self.people[i];
                    self.keys[i]
                        .0
                        .first()
                        .is_some_and(|s| edit_distance(s, &key) <= 2)
                        && initials_equal(&p.initials, &initials)
                })
                .collect();
            if close.len() == 1 {
                return close.first().copied();
            }
        }
        None
    }

    fn add_alias(&mut self, i: usize, name: &str, kind: AliasKind, source: String) {
        let p = &mut self.people[i];
        if key_of(name) == key_of(&p.surname)
            || p.aliases.iter().any(|a| key_of(&a.name) == key_of(name))
        {
            return;
        }
        p.aliases.push(Alias {
            name: name.to_string(),
            kind,
            source,
        });
        if kind == AliasKind::IndexSpelling {
            self.keys[i].0.push(key_of(name));
        }
    }

    fn add_forename(&mut self, i: usize, forename: &str) {
        let p = &mut self.people[i];
        if !p
            .known_forenames
            .iter()
            .any(|f| key_of(f) == key_of(forename))
        {
            p.known_forenames.push(forename.to_string());
        }
    }

    fn new_person(&mut self, name: &str, origin: Origin) -> usize {
        let (surname, forenames) = if name.contains(',') {
            split_name(name)
        } else if name.contains(' ') {
            match name.rsplit_once(' ') {
                // `Joseph Stalin` from the background.
                Some((f, s)) if matches!(origin, Origin::InstitutionalBackground { .. }) => {
                    (s.to_string(), Some(f.to_string()))
                }
                _ => split_name(name),
            }
        } else {
            (name.to_string(), None)
        };
        let initials = forenames.as_deref().map(initials_of).unwrap_or_default();
        let known_forenames: Vec<String> = forenames
            .as_deref()
            .map(|f| {
                f.split(' ')
                    .map(|w| w.trim_end_matches('.'))
                    .filter(|w| {
                        w.chars().count() > 2 && w.chars().next().is_some_and(char::is_uppercase)
                    })
                    .filter(|w| !["Great", "Prince"].contains(w))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let parts: Vec<&str> = std::iter::once(surname.as_str())
            .chain(initials.iter().map(String::as_str))
            .collect();
        let mut id = fond_text::slug_any_script(&parts);
        while self.people.iter().any(|p| p.id.0 == id) {
            id.push_str("-x");
        }
        self.push(Person {
            initials,
            known_forenames,
            ..Person::named(PersonId(id), name, surname, forenames, origin)
        })
    }
}

impl Authority {
    /// Builds the authority file from a book in Markdown: its Glossary of
    /// Names (required), its Index and its Institutional Background (used
    /// when present). Each phase is a method of the builder, in the order
    /// they must run: the glossary's records first, then what the index,
    /// the cross-references, the Institutional Background and the texts'
    /// pairs of forename and surname add to them.
    pub fn from_book(book: &str) -> Result<Authority, AuthorityError> {
        let bodies = builtin_bodies();
        let periodicals = builtin_periodicals();
        let reader = OfficeReader::new(&bodies);
        let mut b = Builder {
            people: Vec::new(),
            keys: Vec::new(),
        };
        let glossary_aliases = b.read_glossary(book, &reader)?;
        // The index: people it names, matched to glossary records or made
        // records of their own.
        let headings = match index::headings(book) {
            Ok(h) => h,
            Err(AuthorityError::MissingSection { .. }) => Vec::new(),
            Err(e) => return Err(e),
        };
        let index_people = b.read_index(&headings);
        b.glossary_cross_references(glossary_aliases);
        b.index_cross_references(&headings);
        b.principal_figures();
        let rosters = b.read_background(book, &bodies)?;
        b.paired_forenames(book);
        let people = b.people;
        let (person_keys, body_keys) = search_indexes(&people, &bodies);
        let linker = Linker::build(&people, &bodies, &periodicals)?;
        Ok(Authority {
            people,
            bodies,
            periodicals,
            rosters,
            index_people,
            person_keys,
            body_keys,
            linker,
        })
    }

    pub fn people(&self) -> &[Person] {
        &self.people
    }
    pub fn bodies(&self) -> &[Body] {
        &self.bodies
    }
    pub fn periodicals(&self) -> &[Periodical] {
        &self.periodicals
    }
    pub fn rosters(&self) -> &[Roster] {
        &self.rosters
    }
    /// The index's person headings and the records they map to.
    pub fn index_people(&self) -> &[IndexPerson] {
        &self.index_people
    }
    pub fn person(&self, id: &PersonId) -> Option<&Person> {
        self.people.iter().find(|p| &p.id == id)
    }
    pub fn body(&self, id: &BodyId) -> Option<&Body> {
        self.bodies.iter().find(|b| &b.id == id)
    }

    /// The body a name stands for (`Politburo`, `STO`, `Совнарком`).
    pub fn find_body(&self, name: &str) -> Option<&Body> {
        search_keys(name)
            .iter()
            .find_map(|k| self.body_keys.get(k))
            .and_then(|&i| self.bodies.get(i))
    }

    /// People a name may stand for, best first, with a score in 0..=1.
    /// Any romanisation or the Cyrillic form finds the same record; a
    /// surname shared by several people returns them all with the score
    /// divided among them; initials narrow it (`S. S. Kamenev`).
    pub fn lookup(&self, query: &str) -> Vec<(PersonId, f32)> {
        let mut scores: BTreeMap<usize, f32> = BTreeMap::new();
        for k in search_keys(query) {
            let k = k.strip_prefix("com ").unwrap_or(&k).to_string();
            if let Some(hits) = self.person_keys.get(&k) {
                let persons: BTreeSet<usize> = hits.iter().map(|(i, _)| *i).collect();
                let n = persons.len() as f32;
                for (i, kind) in hits {
                    let s = kind.lookup_score() / n;
                    let e = scores.entry(*i).or_insert(0.0);
                    *e = e.max(s);
                }
            }
        }
        if scores.is_empty() {
            // Surname with initials in another order, or a near spelling.
            let words: Vec<String> = search_keys(query)
                .first()
                .map(|k| k.split(' ').map(str::to_string).collect())
                .unwrap_or_default();
            if let Some(surname) = words.iter().max_by_key(|w| w.len()) {
                let initials: Vec<char> = words
                    .iter()
                    .filter(|w| *w != surname)
                    .filter_map(|w| w.chars().next())
                    .collect();
                for (i, p) in self.people.iter().enumerate() {
                    let sk = key_of(&p.surname);
                    let d = edit_distance(&sk, surname);
                    let close = d == 0 || (sk.len() >= 5 && d <= 1) || (sk.len() >= 8 && d <= 2);
                    if !close {
                        continue;
                    }
                    let pk: Vec<char> = p.initials.iter().filter_map(|x| initial_key(x)).collect();
                    if !initials.is_empty() && pk.first() != initials.first() {
                        continue;
                    }
                    let s = if d == 0 { 0.8 } else { 0.5 };
                    let e = scores.entry(i).or_insert(0.0);
                    *e = e.max(s);
                }
            }
        }
        let mut out: Vec<(PersonId, f32)> = scores
            .into_iter()
            .filter_map(|(i, s)| self.people.get(i).map(|p| (p.id.clone(), s)))
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }

    /// Full members of a body on a day, from the offices the glossary and
    /// the Institutional Background give. An office dated by years only
    /// may or may not cover the day; where the Background gives the
    /// body's complete roster for the day's year, those whose membership
    /// is only possible and who are not on it are left out, and those on
    /// it are in unless an office ends before the day.
    pub fn who(&self, body: &str, on: (i32, u8, u8)) -> Vec<PersonId> {
        self.who_from(body, on, true)
    }

    /// `who` from the glossary's offices alone (no Background statements):
    /// for checking the two sources against each other.
    pub fn who_from_glossary(&self, body: &str, on: (i32, u8, u8)) -> Vec<PersonId> {
        self.who_from(body, on, false)
    }

    fn who_from(&self, body: &str, on: (i32, u8, u8), background: bool) -> Vec<PersonId> {
        let Some(body) = self.find_body(body) else {
            return Vec::new();
        };
        let mut certain: BTreeSet<usize> = BTreeSet::new();
        let mut possible: BTreeSet<usize> = BTreeSet::new();
        let mut ended: BTreeSet<usize> = BTreeSet::new();
        for (i, p) in self.people.iter().enumerate() {
            for o in &p.offices {
                if o.body.as_ref() != Some(&body.id) || o.role.as_deref() != Some("member") {
                    continue;
                }
                if !background && o.source == OfficeSource::InstitutionalBackground {
                    continue;
                }
                match coverage(o, p, on) {
                    Coverage::Certain => {
                        certain.insert(i);
                    }
                    Coverage::Possible => {
                        possible.insert(i);
                    }
                    Coverage::No => {
                        if o.to.is_some_and(|t| t.latest() < on) {
                            ended.insert(i);
                        }
                    }
                }
            }
        }
        let roster = background
            .then(|| {
                self.rosters
                    .iter()
                    .find(|r| r.body == body.id && r.year == on.0)
            })
            .flatten();
        let mut members: BTreeSet<usize> = certain.clone();
        match roster {
            Some(r) => {
                for id in &r.members {
                    if let Some(i) = self.people.iter().position(|p| &p.id == id) {
                        let contradicted =
                            ended.contains(&i) && !possible.contains(&i) && !certain.contains(&i);
                        if !contradicted {
                            members.insert(i);
                        }
                    }
                }
            }
            None => members.extend(possible),
        }
        let mut out: Vec<&Person> = members.iter().filter_map(|&i| self.people.get(i)).collect();
        out.sort_by(|a, b| a.surname.cmp(&b.surname).then_with(|| a.id.cmp(&b.id)));
        out.into_iter().map(|p| p.id.clone()).collect()
    }

    /// The person a document's sender or addressee names (`Molotov`,
    /// `J. V. Stalin`). Where several people share the name equally, the
    /// one holding a central office in the document's years (`date`) is
    /// taken, as the linker does.
    pub fn resolve_party(&self, name: &str, date: Option<(i32, i32)>) -> Option<PersonId> {
        let hits = self.lookup(name);
        let best = hits.first()?.1;
        let tied: Vec<usize> = hits
            .iter()
            .filter(|h| h.1 >= best)
            .filter_map(|h| self.people.iter().position(|p| p.id == h.0))
            .collect();
        match tied[..] {
            [i] => self.people.get(i).map(|p| p.id.clone()),
            _ => {
                let central: Vec<usize> = tied
                    .iter()
                    .copied()
                    .filter(|&i| date.is_some() && self.central_offices(i, date) > 0)
                    .collect();
                if let [i] = central[..] {
                    return self.people.get(i).map(|p| p.id.clone());
                }
                // Undated: the one whose offices were central at all,
                // when only one was.
                let ever: Vec<usize> = tied
                    .iter()
                    .copied()
                    .filter(|&i| self.central_offices(i, None) > 0)
                    .collect();
                match ever[..] {
                    [i] => self.people.get(i).map(|p| p.id.clone()),
                    _ => None,
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Coverage {
    Certain,
    Possible,
    No,
}

/// Does an office cover a day? Year-only bounds make it possible rather
/// than certain; an open end is bounded by the death year.
fn coverage(o: &Office, p: &Person, on: (i32, u8, u8)) -> Coverage {
    if let Some(f) = o.from {
        if f.earliest() > on {
            return Coverage::No;
        }
    }
    if let Some(t) = o.to {
        if t.latest() < on {
            return Coverage::No;
        }
    }
    if let Some(d) = p.died.as_ref().and_then(|d| d.latest()) {
        if d < on.0 {
            return Coverage::No;
        }
    }
    let start_sure = o.from.is_some_and(|f| f.latest() <= on);
    let end_sure = o.to.is_some_and(|t| t.earliest() >= on && !t.approximate);
    if start_sure && end_sure {
        Coverage::Certain
    } else {
        Coverage::Possible
    }
}

/// Every variant a person is found under.
pub fn person_variants(p: &Person) -> Vec<Variant> {
    let mut out: Vec<Variant> = Vec::new();
    let mut add = |form: String, kind: VariantKind| {
        if !form.trim().is_empty() && !out.iter().any(|v| v.form == form) {
            out.push(Variant { form, kind });
        }
    };
    let chinese = chinese_style(p);
    let mut surnames: Vec<String> = vec![p.surname.clone()];
    for a in &p.aliases {
        if a.kind == AliasKind::IndexSpelling {
            surnames.push(a.name.clone());
        }
    }
    if chinese {
        add(p.name.clone(), VariantKind::FullName);
        // Wade-Giles syllables are also printed joined (`Ts'ai Yunshan`).
        add(p.name.replace('-', ""), VariantKind::FullName);
    } else if !p.name.contains(',') && p.forenames.is_some() {
        // `Kasumov Mir Bashir Fattakh ogly`.
        add(p.name.clone(), VariantKind::FullName);
    }
    for s in &surnames {
        if !chinese {
            add(s.clone(), VariantKind::Surname);
            add(format!("Com. {s}"), VariantKind::ComSurname);
            add(format!("Comrade {s}"), VariantKind::ComSurname);
        }
        if !p.initials.is_empty() {
            let all: String = p.initials.iter().map(|i| format!("{i}. ")).collect();
            add(format!("{all}{s}"), VariantKind::FullName);
            add(format!("{s}, {}", all.trim()), VariantKind::FullName);
            if let Some(first) = p.initials.first() {
                add(format!("{first}. {s}"), VariantKind::FullName);
            }
        }
        for f in &p.known_forenames {
            add(format!("{f} {s}"), VariantKind::FullName);
            if let Some(pat) = &p.patronymic {
                add(format!("{f} {pat} {s}"), VariantKind::FullName);
            }
        }
    }
    if let Some(pat) = &p.patronymic {
        for f in &p.known_forenames {
            add(format!("{f} {pat}"), VariantKind::FullName);
        }
    }
    for ps in &p.pseudonyms {
        add(ps.clone(), VariantKind::Pseudonym);
        add(format!("Com. {ps}"), VariantKind::Pseudonym);
        add(format!("{ps} {}", p.surname), VariantKind::FullName);
    }
    for n in p.real_name.iter().chain(&p.other_names) {
        let (s, _) = split_name(n);
        let surname = if n.contains(',') {
            s
        } else {
            n.rsplit(' ').next().unwrap_or(n).to_string()
        };
        if key_of(&surname) != key_of(&p.surname) && !surname.is_empty() {
            add(surname, VariantKind::RealName);
        }
        if n.contains(' ') {
            add(n.clone(), VariantKind::RealName);
        }
        // `Ulianov, Vladimir` is also `Vladimir Ulianov`.
        if let Some((s, f)) = n.split_once(", ") {
            add(format!("{f} {s}"), VariantKind::RealName);
        }
    }
    for a in &p.aliases {
        match a.kind {
            AliasKind::CrossReference => {
                add(a.name.clone(), VariantKind::CrossReference);
                add(format!("Com. {}", a.name), VariantKind::CrossReference);
            }
            AliasKind::Forename => add(a.name.clone(), VariantKind::Forename),
            AliasKind::IndexSpelling => {}
        }
    }
    out
}

/// The lookup tables: every search key of every person's variants (with
/// the closest kind of variant per person) and of every body's names.
type SearchIndexes = (
    BTreeMap<String, Vec<(usize, VariantKind)>>,
    BTreeMap<String, usize>,
);

fn search_indexes(people: &[Person], bodies: &[Body]) -> SearchIndexes {
    let mut person_keys: BTreeMap<String, Vec<(usize, VariantKind)>> = BTreeMap::new();
    for (i, p) in people.iter().enumerate() {
        for v in person_variants(p) {
            for k in search_keys(&v.form) {
                let e = person_keys.entry(k).or_default();
                if !e.iter().any(|(j, kind)| *j == i && *kind <= v.kind) {
                    e.retain(|(j, _)| *j != i);
                    e.push((i, v.kind));
                }
            }
        }
    }
    let mut body_keys = BTreeMap::new();
    for (i, body) in bodies.iter().enumerate() {
        for n in body.names() {
            for k in search_keys(n) {
                body_keys.entry(k).or_insert(i);
            }
        }
    }
    (person_keys, body_keys)
}
