//! Letters read from TEI are searchable: their body text reaches the
//! index. Uses a real letter of *edition humboldt digital* (CC BY-SA 4.0)
//! when `../shared/external/humboldt-letters` is beside the repository,
//! and says it skipped that part otherwise.

use fond_search::{SearchIndex, SearchOptions};

const LETTER: &str = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="K1">
  <teiHeader><fileDesc><titleStmt><title>An Kunth</title></titleStmt>
    <publicationStmt><idno>https://edition-humboldt.de/v11/K1</idno></publicationStmt>
    <sourceDesc><p/></sourceDesc></fileDesc>
    <profileDesc><correspDesc><correspAction type="sent"><persName>Humboldt</persName><date when="1848-05-26"/></correspAction></correspDesc></profileDesc>
  </teiHeader>
  <text><body><p>Der Kartoffelacker ist <choice><orig>gepflugt</orig><reg>gepflügt</reg></choice>.</p></body></text>
</TEI>"#;

fn ids(index: &SearchIndex, q: &str) -> Vec<String> {
    index
        .search(q, &SearchOptions::default())
        .expect("search")
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn a_german_word_of_a_tei_letter_is_found() {
    let r = fond_ingest::read_source("K1.xml", LETTER.as_bytes(), "").expect("reads");
    let mut docs = r.parsed.documents;
    let humboldt = fond_test_support::external("humboldt-letters/H0000003.xml");
    match std::fs::read(&humboldt) {
        Ok(bytes) => {
            let r = fond_ingest::read_source("H0000003.xml", &bytes, "").expect("reads");
            docs.extend(r.parsed.documents);
        }
        Err(e) => {
            // Only the hand-written letter is searched then.
            fond_test_support::available(format!("{} ({e})", humboldt.display()), false);
        }
    }
    let dir = tempfile::tempdir().expect("tmp");
    let index = SearchIndex::build(dir.path(), &docs).expect("index");
    assert_eq!(
        ids(&index, "Kartoffelacker"),
        vec!["edition-humboldt-de/K1"]
    );
    // The regularised reading is what is indexed.
    assert_eq!(ids(&index, "gepflügt"), vec!["edition-humboldt-de/K1"]);
    if docs.len() > 1 {
        assert_eq!(
            ids(&index, "Mitscherlich"),
            vec!["edition-humboldt-de/H0000003"]
        );
    }
}
