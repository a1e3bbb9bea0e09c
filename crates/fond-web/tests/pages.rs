//! The reading room's routes on the real corpus, called in-process.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use fond_model::authority::{
    Entity, EntityKind, Mention, MentionField, Origin, Person, PersonId, Record,
};
use fond_web::Site;
use std::sync::Arc;
use tower::ServiceExt;

fn site() -> Option<Arc<Site>> {
    corpus_site(false).map(|(s, _)| s)
}

/// The corpus as a site; with `search`, with a search index built in a
/// temporary folder (returned, so it lives as long as the site).
fn corpus_site(search: bool) -> Option<(Arc<Site>, Option<tempfile::TempDir>)> {
    let read = fond_test_support::corpus_files()?
        .iter()
        .map(|(n, bytes)| fond_ingest::read_source(n, bytes, "").expect("reads"))
        .collect();
    let ed = fond_ingest::build_edition(read);
    let mut tmp = None;
    let index = if search {
        let t = tempfile::tempdir().expect("tmp");
        let index = fond_search::SearchIndex::build(&t.path().join("search"), &ed.documents)
            .expect("index builds");
        tmp = Some(t);
        Some(index)
    } else {
        None
    };
    let mut site = Site::new(
        "Stalin's Letters to Molotov".into(),
        ed.documents,
        vec![],
        vec![],
    );
    if let Some(index) = index {
        site = site.with_search(index);
    }
    Some((Arc::new(site), tmp))
}

async fn get(site: &Arc<Site>, uri: &str) -> (StatusCode, String) {
    let res = fond_web::router(site.clone())
        .oneshot(
            Request::builder()
                .uri(uri)
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .expect("body");
    (status, String::from_utf8_lossy(&bytes).to_string())
}

#[tokio::test]
async fn home_browse_and_a_document_read_as_the_edition() {
    let Some(site) = site() else { return };
    let (s, home) = get(&site, "/").await;
    assert_eq!(s, StatusCode::OK);
    assert!(home.contains("<svg"), "the timeline");
    assert!(home.contains("/doc/letters-to-molotov/chapter/1925"));

    let (s, browse) = get(&site, "/browse?year=1930&kind=letter").await;
    assert_eq!(s, StatusCode::OK);
    assert!(browse.contains("/doc/letters-to-molotov/57"));
    assert!(!browse.contains("/doc/letters-to-molotov/1\""));

    let (s, one) = get(&site, "/doc/letters-to-molotov/1").await;
    assert_eq!(s, StatusCode::OK);
    assert!(one.contains("[12 July 1925]"));
    assert!(one.contains("Rostov 7/12"));
    assert!(one.contains("class=\"u1\""), "single underlining");
    assert!(one.contains("class=\"pop\""), "a note opens in place");
    assert!(one.contains("id=\"note-2\""));
    assert!(one.contains("A pood is 36 pounds"));
    assert!(
        one.contains("Catherine A. Fitzpatrick"),
        "the translator by name"
    );
    assert!(one.contains("@misc{letters-to-molotov-1"), "BibTeX");
    assert!(one.contains("/doc/letters-to-molotov/2"), "next");

    let (s, four) = get(&site, "/doc/letters-to-molotov/4").await;
    assert_eq!(s, StatusCode::OK);
    assert!(four.contains("class=\"u2\""), "double underlining");
}

#[tokio::test]
async fn the_corpus_markup_is_escaped_and_paths_do_not_escape() {
    let Some(site) = site() else { return };
    let editor = site.scope(fond_model::visibility::Viewer::Editor);
    for d in site.visible(&editor) {
        let (s, html) = get(&site, &format!("/doc/{}", fond_web_url(&d.id))).await;
        assert_eq!(s, StatusCode::OK, "{}", d.id);
        assert!(
            !html.contains("<sup>1</sup>."),
            "{}: raw corpus markup",
            d.id
        );
        assert!(!html.contains("<script"), "{}", d.id);
    }
    for bad in [
        "/doc/../../etc/passwd",
        "/doc/%2e%2e/%2e%2e/etc/passwd",
        "/person/..%2f..%2fetc",
        "/nowhere",
    ] {
        let (s, _) = get(&site, bad).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{bad}");
    }
    let long = format!("/browse?from={}", "x".repeat(5000));
    let (s, _) = get(&site, &long).await;
    assert_eq!(s, StatusCode::OK);
}

fn fond_web_url(id: &str) -> String {
    id.replace(' ', "%20")
}

#[tokio::test]
async fn the_api_answers_in_json_with_json_errors() {
    let Some(site) = site() else { return };
    let (s, list) = get(&site, "/api/v1/documents?kind=coded-telegram").await;
    assert_eq!(s, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&list).expect("json");
    assert_eq!(v["total"], 9);
    let (s, one) = get(&site, "/api/v1/documents/letters-to-molotov/57").await;
    assert_eq!(s, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&one).expect("json");
    assert_eq!(v["date"]["edtf"], "1930-08-06/..");
    assert!(v["body_text"]
        .as_str()
        .is_some_and(|t| t.contains("Received your letter of 8/6")));
    let (s, err) = get(&site, "/api/v1/documents/nope").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let v: serde_json::Value = serde_json::from_str(&err).expect("json error");
    assert_eq!(v["error"]["status"], 404);
    let (s, oa) = get(&site, "/api/v1/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&oa).expect("openapi");
    assert_eq!(v["openapi"], "3.1.0");
    assert!(v["paths"]["/api/v1/documents/{id}"].is_object());
}

#[tokio::test]
async fn search_page_with_facets_snippets_and_paging() {
    let Some((site, _index)) = corpus_site(true) else {
        return;
    };
    let (s, page) = get(&site, "/search").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("How to search"), "syntax help");

    let (s, page) = get(&site, "/search?q=grain").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("value=\"grain\""),
        "the query stays in the box"
    );
    assert!(page.contains("<mark>grain</mark>"), "highlighted snippets");
    assert!(page.contains("data-facet=\"year\""), "facets");
    // A facet link narrows the query, which stays in the URL.
    assert!(
        page.contains("href=\"/search?q=grain+year%3A1929\""),
        "year facet link"
    );
    assert!(
        page.contains("href=\"/search?q=grain&amp;page=2\""),
        "next page"
    );

    let (s, second) = get(&site, "/search?q=grain&page=2").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        second.contains("<ol class=\"hits\" start=\"11\">"),
        "page 2 starts at 11"
    );
    assert!(second.contains("aria-current=\"page\">2<"));

    // Markup in the query is escaped, never executed.
    let (s, evil) = get(&site, "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert_eq!(s, StatusCode::OK);
    assert!(!evil.contains("<script>alert(1)"));
    assert!(evil.contains("&lt;script&gt;"));

    // A query that does not parse: 400, the message in the page.
    let (s, bad) = get(&site, "/search?q=grain+AND+(").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(bad.contains("never closed"), "{bad}");
}

#[tokio::test]
async fn search_api_keeps_the_cli_contract() {
    let Some((site, _index)) = corpus_site(true) else {
        return;
    };
    let (s, body) = get(&site, "/api/v1/search?q=mentions:Bukharin&limit=5&page=2").await;
    assert_eq!(s, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert!(v["total"].as_u64().is_some_and(|t| t > 10), "{v}");
    assert_eq!(v["hits"].as_array().map(Vec::len), Some(5));
    for k in ["id", "score", "snippet"] {
        assert!(!v["hits"][0][k].is_null(), "hits[0].{k}");
    }
    assert!(v["facets"]["year"].is_object());
    assert_eq!(v["page"], 2);

    let (s, body) = get(&site, "/api/v1/search?q=%22unclosed").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let v: serde_json::Value = serde_json::from_str(&body).expect("json error");
    assert_eq!(v["error"]["status"], 400);
    let (s, _) = get(&site, "/api/v1/search").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    // Without an index the API says so rather than failing obscurely.
    let Some(plain) = crate::site() else {
        return;
    };
    let (s, body) = get(&plain, "/api/v1/search?q=grain").await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains("fond index"), "{body}");
}

#[tokio::test]
async fn witnesses_side_by_side() {
    let Some(site) = site() else { return };
    let (s, doc) = get(&site, "/doc/letters-to-molotov/33").await;
    assert_eq!(s, StatusCode::OK);
    assert!(doc.contains("href=\"/witnesses/letters-to-molotov/33\""));
    let (s, page) = get(&site, "/witnesses/letters-to-molotov/33").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<table class=\"sbs\">"));
    assert!(page.contains("A: printed edition") && page.contains("B: web transcription"));
    // The book prints "resolution about"; the web copy runs the words together.
    assert!(
        page.contains("title=\"spacing\""),
        "a trivial difference marked"
    );
    let (_, text_only) = get(&site, "/witnesses/letters-to-molotov/33?trivial=hide").await;
    assert!(!text_only.contains("title=\"spacing\""));
    // The 1939 telegram: two translations, differences of text.
    let editor = site.scope(fond_model::visibility::Viewer::Editor);
    let telegram = site
        .visible(&editor)
        .find(|d| d.witnesses.len() > 1 && d.collection != "letters-to-molotov")
        .map(|d| d.id.clone())
        .expect("the telegram with two translations");
    let (s, page) = get(&site, &format!("/witnesses/{telegram}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("class=\"var sub\""),
        "differences of text marked"
    );
    let (s, _) = get(&site, "/witnesses/no/such/document").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

/// Letters known by their metadata only (a CMIF file) are marked on their
/// page, and browse separates them from the letters held in full.
#[tokio::test]
async fn metadata_only_letters_are_marked_and_filtered() {
    let f =
        fond_test_support::external("cmif-samples/schnitzler-cmif_1955_Freud_an_Schnitzler.xml");
    let Ok(bytes) = std::fs::read(&f) else {
        fond_test_support::available(f.display(), false);
        return;
    };
    let r = fond_ingest::read_source("freud.xml", &bytes, "").expect("reads");
    let ed = fond_ingest::build_edition(vec![r]);
    let id = ed.documents[0].id.clone();
    let site = Arc::new(Site::new("CMIF".into(), ed.documents, vec![], vec![]));
    let (s, meta) = get(&site, "/browse?held=metadata").await;
    assert_eq!(s, StatusCode::OK);
    assert!(meta.contains("<p>10 documents</p>"), "{meta}");
    let (_, full) = get(&site, "/browse?held=full").await;
    assert!(full.contains("<p>0 documents</p>"), "{full}");
    let (s, page) = get(&site, &format!("/doc/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert!(page.contains("known by its metadata only"), "{page}");
}

/// A correspondent's page shows their letters as a timeline by year and by
/// correspondent, letters known by metadata counted apart.
#[tokio::test]
async fn a_correspondents_letters_by_year_and_by_correspondent() {
    let f =
        fond_test_support::external("cmif-samples/schnitzler-cmif_1955_Freud_an_Schnitzler.xml");
    let Ok(bytes) = std::fs::read(&f) else {
        fond_test_support::available(f.display(), false);
        return;
    };
    let r = fond_ingest::read_source("freud.xml", &bytes, "").expect("reads");
    let ed = fond_ingest::build_edition(vec![r]);
    let party = |doc: &str, field: &str, who: &str, name: &str| Mention {
        doc_id: doc.into(),
        field: MentionField::parse(field).expect("a field"),
        entity: Entity::new(EntityKind::Person, who),
        start: 0,
        end: 0,
        surface: name.into(),
        confidence: 1.0,
        resolved: true,
        how: "party".into(),
        candidates: vec![],
    };
    let mut mentions = Vec::new();
    for d in &ed.documents {
        mentions.push(party(&d.id, "sender", "freud", "Freud, Sigmund"));
        mentions.push(party(
            &d.id,
            "addressee",
            "schnitzler",
            "Schnitzler, Arthur",
        ));
    }
    let person = |id: &str, name: &str| {
        fond_web::PersonPage::from(Record::Person(Person::named(
            PersonId(id.into()),
            name,
            name.into(),
            None,
            Origin::Tei { refs: Vec::new() },
        )))
    };
    let people = vec![
        person("freud", "Freud, Sigmund"),
        person("schnitzler", "Schnitzler, Arthur"),
    ];
    let site = Arc::new(Site::new("CMIF".into(), ed.documents, people, mentions));
    let (s, page) = get(&site, "/person/schnitzler").await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert!(
        page.contains("Correspondence (10 letters: 0 held in full, 10 known by metadata)"),
        "{page}"
    );
    // The file's letters run from 1906 to 1931, two of them in 1922.
    assert!(page.contains("<tr><td>1906</td><td>1</td>"), "{page}");
    assert!(page.contains("<tr><td>1922</td><td>2</td>"), "{page}");
    assert!(page.contains("from Freud, Sigmund"), "{page}");
    assert!(
        page.contains("<tr><td>Freud, Sigmund</td><td>10</td><td>1906–1931</td></tr>"),
        "{page}"
    );
    let (_, sender) = get(&site, "/person/freud").await;
    assert!(sender.contains("to Schnitzler, Arthur"), "{sender}");
}

#[tokio::test]
async fn a_corrected_document_says_which_fields_the_editors_set() {
    let mut d = fond_model::Document::new("c/1", "c", fond_model::DocKind::Letter);
    d.title = "Letter 1".into();
    d.place = Some("Taganrog".into());
    d.corrected = vec!["place".into(), "note:1:text".into()];
    let site = Arc::new(Site::new("C".into(), vec![d], vec![], vec![]));
    let (s, page) = get(&site, "/doc/c/1").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("<dt>Corrected</dt><dd>place, note:1:text</dd>"),
        "{page}"
    );
    let (_, api) = get(&site, "/api/v1/documents/c/1").await;
    assert!(
        api.contains(r#""corrected":["place","note:1:text"]"#),
        "{api}"
    );
}
