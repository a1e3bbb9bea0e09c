//! The index schema and how a document becomes an index document.

use crate::analysis::{
    key_analyzer, text_analyzer, Fold, MapFilter, PreReform, RomanKey, TokenMap, WordTokenizer,
    KEY_ANALYZER, TEXT_ANALYZER,
};
use fond_model::{Day, Document};
use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
    STORED, STRING,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, TantivyDocument};

/// Bumped whenever the schema or an analyzer changes what is indexed: an
/// index of another version is refused and must be rebuilt.
pub const SCHEMA_VERSION: &str = "fond-search-7";

/// The key analyzer for running text: only words that begin with a capital
/// letter get a key. Names are capitalised in both scripts, and keeping the
/// key fields to them keeps the cross-spelling match precise (a lower-case
/// word folded by the name rules is noise) and the index small.
pub const CAPS_KEY_ANALYZER: &str = "fond_key_caps";

/// Drops words that do not begin with an upper-case letter.
#[derive(Clone, Default)]
pub struct CapitalisedOnly;

impl TokenMap for CapitalisedOnly {
    fn map(&mut self, text: &mut String) -> bool {
        text.chars().next().is_some_and(char::is_uppercase)
    }
}

pub fn caps_key_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(MapFilter(CapitalisedOnly))
        .filter(MapFilter(Fold::default()))
        .filter(MapFilter(PreReform))
        .filter(MapFilter(RomanKey::default()))
        .build()
}

/// The fields of the index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub collection: Field,
    pub kind: Field,
    /// One facet field for all facets: `/year/1929`, `/kind/letter`,
    /// `/from/Stalin`, `/to/Molotov`. One collector pass counts them all.
    pub facets: Field,
    /// First and last possible day as day numbers (days since 1970-01-01);
    /// an open end is `i64::MIN` / `i64::MAX`; a document with no date at all
    /// has neither, so no date query matches it.
    pub earliest: Field,
    pub latest: Field,
    /// Every month the (closed) interval overlaps (`1929-06`), or
    /// [`OPEN_MONTHS`] when an end stays open or the interval is longer
    /// than [`MAX_INDEXED_MONTHS`]. A coarse index: a date query starts
    /// from the few documents of its months instead of walking the range
    /// columns of all of them, and still checks the exact overlap on
    /// `earliest`/`latest`.
    pub months: Field,
    pub number: Field,
    /// The edition order (`Document::order`), for concordances in reading
    /// order.
    pub order: Field,
    /// The EDTF value, for display.
    pub date: Field,
    pub title: Field,
    pub chapter: Field,
    pub body: Field,
    /// One value per note.
    pub notes: Field,
    /// Senders, addressees, and the readers whose marks the notes report.
    pub names: Field,
    pub senders_key: Field,
    pub addressees_key: Field,
    pub names_key: Field,
    pub body_key: Field,
    pub notes_key: Field,
    /// Normalised archival references, each as every suffix that starts at
    /// a part (see [`crate::refs`]).
    pub refs: Field,
    /// The people and bodies the linking stage found in the document, by
    /// key (`person:bukharin-n-i`): what `mentions:` looks for first.
    pub entities: Field,
}

/// A person or body the linking stage found in a document. The index
/// stays independent of the authority: the caller hands these in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedEntity {
    /// The record; indexed in its written form (`person:petrov-i-i`,
    /// `body:council`), what [`crate::NameVariants::entities`] returns
    /// for a name.
    pub entity: fond_model::authority::Entity,
    /// The name the `people` facet shows.
    pub name: String,
    /// Counted in the `people` facet: a person named in the text or the
    /// notes (not only as a sender or addressee).
    pub in_people_facet: bool,
}

fn text(analyzer: &str, record: IndexRecordOption, stored: bool) -> TextOptions {
    let o = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(record),
    );
    if stored {
        o.set_stored()
    } else {
        o
    }
}

pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let pos = IndexRecordOption::WithFreqsAndPositions;
    // The key fields of running text need no positions: phrases are
    // matched in the text fields; the keys answer single names.
    let freqs = IndexRecordOption::WithFreqs;
    let day = NumericOptions::default().set_indexed().set_fast();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        collection: b.add_text_field("collection", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        facets: b.add_facet_field("facets", FacetOptions::default()),
        earliest: b.add_i64_field("earliest", day.clone()),
        latest: b.add_i64_field("latest", day),
        months: b.add_text_field("months", STRING),
        number: b.add_u64_field(
            "number",
            NumericOptions::default().set_indexed().set_stored(),
        ),
        order: b.add_u64_field("order", NumericOptions::default().set_stored().set_fast()),
        date: b.add_text_field("date", STORED),
        title: b.add_text_field("title", text(TEXT_ANALYZER, pos, true)),
        chapter: b.add_text_field("chapter", text(TEXT_ANALYZER, pos, true)),
        body: b.add_text_field("body", text(TEXT_ANALYZER, pos, true)),
        notes: b.add_text_field("notes", text(TEXT_ANALYZER, pos, true)),
        names: b.add_text_field("names", text(TEXT_ANALYZER, pos, false)),
        senders_key: b.add_text_field("senders_key", text(KEY_ANALYZER, pos, false)),
        addressees_key: b.add_text_field("addressees_key", text(KEY_ANALYZER, pos, false)),
        names_key: b.add_text_field("names_key", text(KEY_ANALYZER, pos, false)),
        body_key: b.add_text_field("body_key", text(CAPS_KEY_ANALYZER, freqs, false)),
        notes_key: b.add_text_field("notes_key", text(CAPS_KEY_ANALYZER, freqs, false)),
        refs: b.add_text_field("refs", STRING),
        entities: b.add_text_field("entities", STRING),
    };
    (b.build(), fields)
}

/// Registers the analyzers the schema names. Must be done on every opened
/// index: tantivy keeps only their names.
pub fn register_analyzers(index: &Index) {
    let m = index.tokenizers();
    m.register(TEXT_ANALYZER, text_analyzer());
    m.register(KEY_ANALYZER, key_analyzer());
    m.register(CAPS_KEY_ANALYZER, caps_key_analyzer());
}

/// Days since 1970-01-01 of a day: the range columns' unit
/// ([`Day::days_since_epoch`]).
pub fn day_number(d: Day) -> i64 {
    d.days_since_epoch()
}

/// Longest interval whose every month is indexed in `months`.
pub const MAX_INDEXED_MONTHS: i64 = 480;

/// The `months` term of a document whose months are not listed: every
/// date query must consider it.
pub const OPEN_MONTHS: &str = "open";

/// The `months` term of a month.
pub fn month_key(year: i32, month: u8) -> String {
    format!("{year:04}-{month:02}")
}

/// Months from `a`'s to `b`'s, both counted (0 when `b` is before `a`).
pub fn month_count(a: Day, b: Day) -> i64 {
    let n = |d: Day| i64::from(d.year) * 12 + i64::from(d.month) - 1;
    (n(b) - n(a) + 1).max(0)
}

/// Every (year, month) from `a`'s to `b`'s, in order.
pub fn months(a: Day, b: Day) -> impl Iterator<Item = (i32, u8)> {
    let start = i64::from(a.year) * 12 + i64::from(a.month) - 1;
    (0..month_count(a, b)).map(move |k| {
        let n = start + k;
        (n.div_euclid(12) as i32, (n.rem_euclid(12) + 1) as u8)
    })
}

/// Longest interval whose every year is listed in the year facet; a
/// longer one is listed under its first year only.
const MAX_FACET_YEARS: i32 = 30;

/// The span of each collection's dated documents (editorial texts left
/// out: a book's own date is not its letters'), used to close the open end
/// of an uncertain date. A letter dated "before 15 September 1930" in a
/// collection of 1925–1936 is then searched and counted as 1925 to
/// 15 September 1930, not as any day since the beginning of time, so that
/// `year:2007` does not find it and the year facet and the `year:` query
/// always agree.
pub fn collection_spans<'a>(
    docs: impl IntoIterator<Item = &'a Document>,
) -> std::collections::BTreeMap<String, (Day, Day)> {
    let mut spans: std::collections::BTreeMap<String, (Day, Day)> = Default::default();
    for d in docs {
        let h = d.date.interval.as_ref();
        let span = spans.get(&d.collection).copied();
        let (earliest, latest) = (h.and_then(|h| h.earliest), h.and_then(|h| h.latest));
        if let Some(s) = widen(span, d.kind, earliest, latest) {
            spans.insert(d.collection.clone(), s);
        }
    }
    spans
}

/// [`collection_spans`] of one collection, from each document's kind and
/// date ends alone (what the archive's columns hold): the span an update
/// in place gives the documents it indexes again.
pub fn collection_span(
    ends: impl IntoIterator<Item = (fond_model::DocKind, Option<Day>, Option<Day>)>,
) -> Option<(Day, Day)> {
    ends.into_iter()
        .fold(None, |span, (kind, earliest, latest)| {
            widen(span, kind, earliest, latest)
        })
}

/// The span widened by one document's date ends (whole years); editorial
/// texts and undated documents leave it as it is.
fn widen(
    span: Option<(Day, Day)>,
    kind: fond_model::DocKind,
    earliest: Option<Day>,
    latest: Option<Day>,
) -> Option<(Day, Day)> {
    if kind == fond_model::DocKind::EditorialText {
        return span;
    }
    let mut out = span;
    for day in [earliest, latest].into_iter().flatten() {
        let first = Day::first_of_month(day.year, 1);
        let last = Day::last_of_month(day.year, 12);
        out = Some(match out {
            Some((lo, hi)) => (lo.min(first), hi.max(last)),
            None => (first, last),
        });
    }
    out
}

/// The index document of a model document and the entities linked in it.
/// `span` closes an open end of its date (see [`collection_spans`]).
pub fn to_index_doc(
    f: &Fields,
    d: &Document,
    linked: &[LinkedEntity],
    span: Option<(Day, Day)>,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &d.id);
    doc.add_text(f.collection, &d.collection);
    doc.add_text(f.kind, d.kind.as_str());
    doc.add_facet(f.facets, facet(&["kind", d.kind.as_str()]));
    if let Some(n) = d.number {
        doc.add_u64(f.number, u64::from(n));
    }
    doc.add_u64(f.order, u64::from(d.order));
    doc.add_text(f.title, &d.title);
    if let Some(c) = &d.chapter {
        doc.add_text(f.chapter, c);
    }
    doc.add_text(f.body, d.body_text());
    doc.add_text(f.body_key, d.body_text());
    // Where the editors emended the text, the words as printed are found
    // too: a value of their own after the reading (a snippet that marks
    // only a printed word shows it there).
    let printed = d.printed_readings();
    if !printed.is_empty() {
        doc.add_text(f.body, printed);
    }
    for n in &d.notes {
        doc.add_text(f.notes, &n.text);
        doc.add_text(f.notes_key, &n.text);
    }
    for s in &d.senders {
        doc.add_text(f.senders_key, s);
        doc.add_text(f.names, s);
        doc.add_text(f.names_key, s);
        doc.add_facet(f.facets, facet(&["from", s]));
    }
    for a in &d.addressees {
        doc.add_text(f.addressees_key, a);
        doc.add_text(f.names, a);
        doc.add_text(f.names_key, a);
        doc.add_facet(f.facets, facet(&["to", a]));
    }
    for m in &d.marginalia {
        doc.add_text(f.names, &m.by);
        doc.add_text(f.names_key, &m.by);
    }
    let interval = d.date.interval.as_ref();
    match interval {
        Some(h) if h.earliest.is_some() || h.latest.is_some() => {
            let earliest = h.earliest.or(span.map(|s| s.0));
            // The span never closes an interval the wrong way round.
            let earliest = earliest.filter(|e| h.latest.is_none_or(|l| *e <= l));
            let latest = h.latest.or(span.map(|s| s.1));
            let latest = latest.filter(|l| h.earliest.is_none_or(|e| e <= *l));
            doc.add_i64(f.earliest, earliest.map_or(i64::MIN, day_number));
            doc.add_i64(f.latest, latest.map_or(i64::MAX, day_number));
            match (earliest, latest) {
                (Some(e), Some(l)) if month_count(e, l) <= MAX_INDEXED_MONTHS => {
                    for (y, m) in months(e, l) {
                        doc.add_text(f.months, month_key(y, m));
                    }
                }
                _ => doc.add_text(f.months, OPEN_MONTHS),
            }
            doc.add_text(f.date, &h.edtf);
            // Every year the (closed) interval overlaps, as `year:` finds
            // it; an end still open lists the known end's year only.
            let (from, to) = match (earliest, latest) {
                (Some(e), Some(l)) if l.year - e.year < MAX_FACET_YEARS => (e.year, l.year),
                (Some(e), _) => (e.year, e.year),
                (None, Some(l)) => (l.year, l.year),
                (None, None) => (0, -1),
            };
            for y in from..=to {
                doc.add_facet(f.facets, facet(&["year", &y.to_string()]));
            }
        }
        _ => {
            doc.add_facet(f.facets, facet(&["year", "undated"]));
        }
    }
    let mut people: Vec<&str> = Vec::new();
    for e in linked {
        doc.add_text(f.entities, e.entity.to_string());
        if e.in_people_facet && !people.contains(&e.name.as_str()) {
            people.push(&e.name);
            doc.add_facet(f.facets, facet(&["people", &e.name]));
        }
    }
    let mut seen = Vec::new();
    for r in d.archival_refs() {
        for suffix in crate::refs::suffixes(&crate::refs::normalize_ref(&r)) {
            if !seen.contains(&suffix) {
                doc.add_text(f.refs, &suffix);
                seen.push(suffix);
            }
        }
    }
    doc
}

fn facet(path: &[&str]) -> tantivy::schema::Facet {
    tantivy::schema::Facet::from_path(path.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_are_days_since_the_epoch() {
        let d = |y, m, dd| Day::new(y, m, dd).map(day_number);
        assert_eq!(d(1970, 1, 1), Some(0));
        assert_eq!(d(1970, 1, 2), Some(1));
        assert_eq!(d(1969, 12, 31), Some(-1));
        assert_eq!(d(2000, 3, 1), Some(11_017));
        // 1930-08-06 .. 1930-08-31 is 25 days; leap day 1932.
        assert_eq!(
            d(1930, 8, 31).zip(d(1930, 8, 6)).map(|(a, b)| a - b),
            Some(25)
        );
        assert_eq!(
            d(1932, 3, 1).zip(d(1932, 2, 28)).map(|(a, b)| a - b),
            Some(2)
        );
    }

    #[test]
    fn capitalised_only_keeps_names() {
        let t = crate::analysis::terms(
            &mut caps_key_analyzer(),
            "the Bukharin group and Yaroslavsky",
        );
        assert_eq!(t, vec!["buharin", "iaroslavski"]);
    }
}
