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
    let (mut alone, mut tei) = (0, 0);
    // Every seventh document: letters of the book, its web copies and
    // the TEI letters alike.
    for d in edition.documents.iter().step_by(7) {
        match relink(std::slice::from_ref(d), &sources) {
            Some(mentions) => {
                let want: Vec<_> = whole
                    .mentions
                    .iter()
                    .filter(|m| m.doc_id == d.id)
                    .cloned()
                    .collect();
                assert_eq!(mentions, want, "{}", d.id);
                alone += 1;
            }
            None => tei += 1,
        }
    }
    assert!(alone > 50, "{alone} documents relinked alone");
    assert!(tei > 10, "{tei} TEI documents left to the whole linking");
}
