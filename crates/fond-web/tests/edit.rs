//! The edit view, driven through the router: an editor finds the
//! correction form and the history on a document's page and posts to the
//! desk; anyone else sees no form and gets the missing page's answer for a
//! post; a form without the session's token is refused; the review
//! queue's "correct" opens the view at the finding's field; a refresh swaps
//! the edition while a request under way keeps the one it began with.

mod common;

use axum::http::StatusCode;
use common::*;

fn post_body(id: &str, field: &str, value: &str, why: &str, token: &str) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    format!(
        "id={}&field={}&value={}&before=&after=&why={}&csrf={token}",
        enc(id),
        enc(field),
        enc(value),
        enc(why)
    )
}

#[tokio::test]
async fn an_editor_corrects_from_the_page_and_sees_the_history() {
    let r = room(false);
    let ed = login(&r.site, "ed").await;
    let page = send(&r.site, "GET", "/doc/c/1", &ed, "").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("action=\"/edit/correct\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("<option value=\"date\""));
    // The history: escaped, with a revert form for the correction in force.
    assert!(page.body.contains("c0123456789"), "{}", page.body);
    assert!(page
        .body
        .contains("the postmark &lt;i&gt;reads&lt;/i&gt; so"));
    assert!(!page.body.contains("<i>reads"));
    assert!(page.body.contains("action=\"/edit/revert\""));
    let token = page.csrf();
    let a = send(
        &r.site,
        "POST",
        "/edit/correct",
        &ed,
        &post_body("c/1", "date", "1925-08-21", "the postmark", &token),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(a.location, "/doc/c/1#correct");
    let asked = r.desk.corrections.lock().expect("corrections").clone();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].0, "ed");
    assert_eq!(asked[0].1.document, "c/1");
    assert_eq!(asked[0].1.field, "date");
    assert_eq!(asked[0].1.value, "1925-08-21");
    assert_eq!(asked[0].1.before, None, "an empty context is none");
    let back = send(
        &r.site,
        "POST",
        "/edit/revert",
        &ed,
        &format!("id=c0123456789&document=c%2F1&why=wrong&csrf={token}"),
    )
    .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.body);
    assert_eq!(
        r.desk.reverts.lock().expect("reverts")[0],
        (
            "ed".to_string(),
            "c0123456789".to_string(),
            "wrong".to_string()
        )
    );
}

#[tokio::test]
async fn the_desk_refusal_is_shown_and_nothing_else_is_written() {
    let r = room(false);
    let ed = login(&r.site, "ed").await;
    let token = csrf(&r.site, &ed).await;
    let a = send(
        &r.site,
        "POST",
        "/edit/correct",
        &ed,
        &post_body("c/1", "colour", "red", "because", &token),
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body.contains("unknown field"), "{}", a.body);
    // A document the editor cannot find is the missing one.
    let gone = send(
        &r.site,
        "POST",
        "/edit/correct",
        &ed,
        &post_body("c/9", "date", "1925", "because", &token),
    )
    .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(r.desk.writes(), 0);
}

#[tokio::test]
async fn no_one_else_sees_the_form_or_may_post() {
    let r = room(false);
    let missing = send(&r.site, "GET", "/no-such-page", "", "").await;
    let reader = login(&r.site, "rob").await;
    let ed = login(&r.site, "ed").await;
    let token = csrf(&r.site, &ed).await;
    for cookie in ["", reader.as_str()] {
        let page = send(&r.site, "GET", "/doc/c/1", cookie, "").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("/edit/correct"), "{}", page.body);
        assert!(!page.body.contains("c0123456789"), "no history");
        for uri in ["/edit/correct", "/edit/revert"] {
            let a = send(
                &r.site,
                "POST",
                uri,
                cookie,
                &post_body("c/1", "date", "1925", "x", &token),
            )
            .await;
            assert_eq!(a.status, StatusCode::NOT_FOUND, "{uri} as {cookie:?}");
            assert_eq!(a.body, missing.body);
        }
    }
    // An editor's post without this session's token.
    for token in ["", "forged"] {
        let a = send(
            &r.site,
            "POST",
            "/edit/correct",
            &ed,
            &post_body("c/1", "date", "1925", "x", token),
        )
        .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(r.desk.writes(), 0);
}

#[tokio::test]
async fn the_queue_opens_the_edit_view_at_the_findings_field() {
    let r = room(false);
    let ed = login(&r.site, "ed").await;
    let queue = send(&r.site, "GET", "/review", &ed, "").await;
    assert!(
        queue
            .body
            .contains("href=\"/doc/c/1?correct=date#correct\""),
        "{}",
        queue.body
    );
    let page = send(&r.site, "GET", "/doc/c/1?correct=date", &ed, "").await;
    assert!(
        page.body.contains("<option value=\"date\" selected>"),
        "{}",
        page.body
    );
    // A query that does not parse leaves the page as it is.
    let odd = send(&r.site, "GET", "/doc/c/1?correct=%ZZ", &ed, "").await;
    assert_eq!(odd.status, StatusCode::OK);
}

/// The archive of `titles` (documents c/1, c/2, … in that order).
fn write_edition(dir: &std::path::Path, titles: &[&str]) {
    let docs = titles
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut d =
                fond_model::Document::new(format!("c/{}", i + 1), "c", fond_model::DocKind::Letter);
            d.order = i as u32 + 1;
            d.title = t.to_string();
            d
        })
        .collect();
    let edition = fond_model::Edition {
        documents: docs,
        ..fond_model::Edition::default()
    };
    fond_store::Archive::open(dir)
        .expect("archive")
        .replace_edition(&[], &edition, "", &mut |_| {})
        .expect("write");
}

#[test]
fn a_refresh_swaps_the_edition_and_a_request_under_way_keeps_its_own() {
    use fond_model::visibility::Viewer;
    use fond_web::{Changed, SearchChange};
    let tmp = tempfile::tempdir().expect("tmp");
    write_edition(tmp.path(), &["Before", "Other"]);
    let site = fond_web::Site::load(tmp.path(), vec![]).expect("site");
    let under_way = site.scope(Viewer::Public);
    write_edition(tmp.path(), &["After", "Other"]);
    site.refresh(
        &Changed::Documents(vec!["c/1".into()]),
        SearchChange::Unavailable,
        None,
    )
    .expect("refresh");
    let title = |scope: &fond_web::Scope| {
        site.document(scope, "c/1")
            .map(|d| d.title.clone())
            .unwrap_or_default()
    };
    assert_eq!(title(&under_way), "Before", "the request keeps its edition");
    assert_eq!(title(&site.scope(Viewer::Public)), "After");
    // A document added is beyond a refresh of documents: the whole is read.
    write_edition(tmp.path(), &["After", "Other", "New"]);
    site.refresh(
        &Changed::Documents(vec!["c/3".into()]),
        SearchChange::Unavailable,
        None,
    )
    .expect("refresh");
    let now = site.scope(Viewer::Public);
    assert_eq!(site.visible(&now).count(), 3);
    assert_eq!(
        site.neighbours(&now, "c/2").1.map(|d| d.id.as_str()),
        Some("c/3")
    );
}
