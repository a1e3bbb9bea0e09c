//! Documents a reader may not see are excluded inside the query: the
//! total, the facets and the pages are computed without them.

use fond_model::{DocKind, Document};
use fond_search::{SearchIndex, SearchOptions};

fn letter(id: &str, from: &str, words: &str) -> Document {
    let mut d = Document::new(id, "c", DocKind::Letter);
    d.title = format!("Letter {id}");
    d.senders = vec![from.to_string()];
    d.addressees = vec!["Kunth".to_string()];
    d.body = vec![fond_model::Block {
        kind: fond_model::BlockKind::Paragraph,
        inlines: vec![fond_model::Inline::Text {
            text: words.to_string(),
        }],
        line: 1,
    }];
    d
}

#[test]
fn excluded_documents_leave_no_count() {
    let docs = vec![
        letter("c/1", "Humboldt", "the harvest is good"),
        letter("c/2", "Secretus", "the harvest and the zqxcanary"),
        letter("c/3", "Humboldt", "a harvest again"),
    ];
    let tmp = tempfile::tempdir().expect("tmp");
    let index = SearchIndex::build(&tmp.path().join("search"), &docs).expect("index");
    let all = index
        .search("harvest", &SearchOptions::default())
        .expect("search");
    assert_eq!(all.total, 3);
    assert_eq!(all.facets.from.get("Secretus"), Some(&1));
    let opts = SearchOptions {
        exclude_ids: vec!["c/2".into()],
        ..SearchOptions::default()
    };
    let some = index.search("harvest", &opts).expect("search");
    assert_eq!(some.total, 2);
    assert!(some.hits.iter().all(|h| h.id != "c/2"));
    assert_eq!(some.facets.kind.get("letter"), Some(&2));
    assert!(
        !some.facets.from.contains_key("Secretus"),
        "{:?}",
        some.facets
    );
    for q in ["zqxcanary", "id:\"c/2\"", "from:Secretus", "NOT harvest"] {
        let r = index.search(q, &opts).expect("search");
        assert!(r.hits.iter().all(|h| h.id != "c/2"), "{q}");
        assert!(r.total == 0 || q == "NOT harvest", "{q}: {}", r.total);
    }
}
