//! `relink` over the reference corpus: each document linked alone gets
//! exactly the mentions linking the whole edition gives it.

use fond_link::{link, relink, SourceText};

#[test]
fn a_document_relinked_alone_gets_the_mentions_the_whole_edition_gives_it() {
    let Some(files) = fond_test_support::corpus_files() else {
        return;
    };
    let inputs: Vec<fond_ingest::SourceInput<'_>> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice(), ""))
        .collect();
    let read: Vec<fond_ingest::ReadSource> = fond_ingest::read_sources(&inputs)
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    let read = fond_ingest::apply_profiles(read);
    let texts: Vec<(String, fond_model::SourceShape, String)> = read
        .iter()
        .map(|r| (r.source.name.clone(), r.source.shape, r.text.clone()))
        .collect();
    let sources: Vec<SourceText<'_>> = texts
        .iter()
        .map(|(name, shape, text)| SourceText {
            name,
            shape: *shape,
            text,
        })
        .collect();
    let edition = fond_ingest::build_edition(read);
    let whole = link(&edition.documents, &sources).unwrap_or_else(|e| panic!("{e}"));
    let auth = fond_link::authority(&sources);
    let mut alone = 0;
    // Every document: the book's letters and texts, their web copies
    // (a TEI letter, linked by its own references, gives `None`).
    for d in &edition.documents {
        let Some(mentions) =
            fond_link::relink_with(auth.as_ref(), std::slice::from_ref(d), &sources)
        else {
            continue;
        };
        let want: Vec<_> = whole
            .mentions
            .iter()
            .filter(|m| m.doc_id == d.id)
            .cloned()
            .collect();
        assert_eq!(mentions, want, "{}", d.id);
        alone += 1;
    }
    assert!(alone > 50, "{alone} documents relinked alone");
    // `relink` builds the same authority itself.
    let d = &edition.documents[edition.documents.len() / 2];
    assert_eq!(
        relink(std::slice::from_ref(d), &sources),
        fond_link::relink_with(auth.as_ref(), std::slice::from_ref(d), &sources)
    );
}
