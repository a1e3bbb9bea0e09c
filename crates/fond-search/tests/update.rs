//! The index updated in place: a changed document is found by its new
//! words and no longer by its old ones, a removed one is gone, the others
//! are untouched, the segments of the first build stay (no rebuild), and
//! an open index sees the change once reloaded.

use fond_model::{DocKind, Document};
use fond_search::{BuildOptions, SearchIndex, SearchOptions};

fn letter(id: &str, from: &str, words: &str) -> Document {
    let mut d = Document::new(id, "c", DocKind::Letter);
    d.title = format!("Letter {id}");
    d.senders = vec![from.to_string()];
    d.body = vec![fond_model::Block {
        kind: fond_model::BlockKind::Paragraph,
        inlines: vec![fond_model::Inline::Text {
            text: words.to_string(),
        }],
        line: 1,
    }];
    d
}

fn ids(index: &SearchIndex, q: &str) -> Vec<String> {
    let mut v: Vec<String> = index
        .search(q, &SearchOptions::default())
        .expect("search")
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    v.sort();
    v
}

fn segment_files(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".idx"))
        .collect();
    v.sort();
    v
}

#[test]
fn an_update_replaces_one_document_and_keeps_the_rest() {
    let docs = vec![
        letter("c/1", "Humboldt", "the harvest is good"),
        letter("c/2", "Kunth", "the harvest failed"),
        letter("c/3", "Humboldt", "a harvest again"),
    ];
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("search");
    let open = SearchIndex::build(&dir, &docs).expect("index");
    let before = segment_files(&dir);
    assert!(!before.is_empty());

    let mut changed = docs[1].clone();
    changed.body[0].inlines = vec![fond_model::Inline::Text {
        text: "the zqxcorrected harvest".into(),
    }];
    changed.senders = vec!["Bonpland".into()];
    let opts = BuildOptions {
        files: vec![("stamp".into(), "after\n".into())],
        ..BuildOptions::default()
    };
    let done = SearchIndex::update(&dir, [(changed, Vec::new())], &["c/3".to_string()], &opts)
        .expect("update");
    assert_eq!((done.replaced, done.removed), (1, 1));
    assert_eq!(
        std::fs::read_to_string(dir.join("stamp")).expect("stamp"),
        "after\n"
    );
    // A segment of the first build is still there: updated, not rebuilt
    // (a rebuild writes every segment anew; small ones may be merged).
    let after = segment_files(&dir);
    assert!(
        before.iter().any(|s| after.contains(s)),
        "{before:?} {after:?}"
    );

    // The handle opened before sees the old index until it reloads.
    assert_eq!(ids(&open, "zqxcorrected"), Vec::<String>::new());
    open.reload().expect("reload");
    for index in [&open, &SearchIndex::open(&dir).expect("open")] {
        assert_eq!(ids(index, "zqxcorrected"), ["c/2"]);
        assert_eq!(ids(index, "failed"), Vec::<String>::new());
        assert_eq!(ids(index, "harvest"), ["c/1", "c/2"]);
        assert_eq!(ids(index, "from:Bonpland"), ["c/2"]);
        assert_eq!(ids(index, "from:Kunth"), Vec::<String>::new());
        assert_eq!(index.num_docs(), 2);
    }
}

#[test]
fn a_span_from_the_columns_is_the_span_of_the_documents() {
    let mut docs = vec![
        letter("c/1", "A", "x"),
        letter("c/2", "B", "y"),
        letter("c/3", "C", "z"),
    ];
    docs[0].date.interval = fond_model::HistDate::parse_edtf("1925-07-12").ok();
    docs[1].date.interval = fond_model::HistDate::parse_edtf("../1931-02").ok();
    docs[2].kind = DocKind::EditorialText;
    docs[2].date.interval = fond_model::HistDate::parse_edtf("1990").ok();
    let spans = fond_search::schema::collection_spans(&docs);
    let ends = docs.iter().map(|d| {
        let h = d.date.interval.as_ref();
        (d.kind, h.and_then(|h| h.earliest), h.and_then(|h| h.latest))
    });
    let span = fond_search::schema::collection_span(ends);
    assert_eq!(spans.get("c").copied(), span);
    let (lo, hi) = span.expect("a span");
    assert_eq!(
        (lo.iso(), hi.iso()),
        ("1925-01-01".into(), "1931-12-31".into())
    );
}
