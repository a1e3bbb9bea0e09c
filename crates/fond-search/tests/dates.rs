//! Date queries answer by interval overlap, exact to the day, whichever
//! way the index reaches the documents: through the months it lists for a
//! short interval, or through its `open` mark for an open or very long
//! one (and for a query range too long for the months, without them).

use fond_search::{SearchIndex, SearchOptions};

/// A TEI letter dated by the attributes of its `date`.
fn letter(id: &str, date: &str) -> String {
    format!(
        r#"<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{id}">
  <teiHeader><fileDesc><titleStmt><title>{id}</title></titleStmt>
    <publicationStmt><idno>https://example.org/{id}</idno></publicationStmt>
    <sourceDesc><p/></sourceDesc></fileDesc>
    <profileDesc><correspDesc><correspAction type="sent"><persName>A</persName><date {date}/></correspAction></correspDesc></profileDesc>
  </teiHeader>
  <text><body><p>Grain.</p></body></text>
</TEI>"#
    )
}

fn ids(index: &SearchIndex, q: &str) -> Vec<String> {
    let mut v: Vec<String> = index
        .search(q, &SearchOptions::default())
        .expect("search")
        .hits
        .into_iter()
        .map(|h| h.id.rsplit('/').next().unwrap_or_default().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn date_ranges_overlap_to_the_day_through_months_and_open_marks() {
    let letters = [
        ("A", r#"when="1929-07-15""#),
        // 61 years: longer than the months the index lists.
        ("B", r#"notBefore="1900-01-01" notAfter="1960-12-31""#),
        // An end left open (closed by the collection's span).
        ("C", r#"notBefore="1929-09-30""#),
        ("D", r#"when="1931-01-01""#),
        // Across a year's end.
        ("E", r#"notBefore="1929-12-20" notAfter="1930-01-10""#),
    ];
    let mut docs = Vec::new();
    for (id, date) in letters {
        let r = fond_ingest::read_source(&format!("{id}.xml"), letter(id, date).as_bytes(), "")
            .expect("reads");
        docs.extend(r.parsed.documents);
    }
    let dir = tempfile::tempdir().expect("tmp");
    let index = SearchIndex::build(dir.path(), &docs).expect("index");
    assert_eq!(ids(&index, "grain date:1929-06..1929-09"), ["A", "B", "C"]);
    assert_eq!(ids(&index, "date:1929-09-30"), ["B", "C"]);
    assert_eq!(ids(&index, "date:1929-09-29"), ["B"]);
    assert_eq!(ids(&index, "date:1929-07-15"), ["A", "B"]);
    assert_eq!(ids(&index, "date:1930-01"), ["B", "C", "E"]);
    assert_eq!(ids(&index, "date:1929-12-31"), ["B", "C", "E"]);
    assert_eq!(ids(&index, "date:1930-01-11..1930-12-31"), ["B", "C"]);
    // C's open end is closed by the span of its collection's dates
    // (1900–1960), as the year facet counts it.
    assert_eq!(ids(&index, "date:1960-12"), ["B", "C"]);
    assert_eq!(ids(&index, "date:1961"), Vec::<String>::new());
    // Longer than the listed months: the range alone decides.
    assert_eq!(ids(&index, "date:1800..2100"), ["A", "B", "C", "D", "E"]);
    assert_eq!(ids(&index, "date:..1929-07-14"), ["B"]);
    assert_eq!(ids(&index, "date:1931.."), ["B", "C", "D"]);
}
