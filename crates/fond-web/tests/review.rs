//! The review queue in the reading room, driven through the router: only
//! editors find it (anyone else gets the missing page's answer, and no
//! link), the progress line, the filters, accept and dismiss through the
//! forms, CSRF, and a dismissal without a reason refused.

mod common;

use axum::http::StatusCode;
use common::*;

/// The decision form's post for `key`, with the session's token.
fn decision(key: &str, decision: &str, why: &str, token: &str) -> String {
    format!("key={key}&decision={decision}&why={why}&csrf={token}")
}

#[tokio::test]
async fn the_public_and_readers_find_no_queue_and_no_link_to_it() {
    let r = room(false);
    let missing = send(&r.site, "GET", "/no-such-page", "", "").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let reader = login(&r.site, "rob").await;
    for cookie in ["", reader.as_str()] {
        for uri in ["/review", "/review?reviewed=1", "/review?kind=no-date"] {
            let a = send(&r.site, "GET", uri, cookie, "").await;
            assert_eq!(a.status, StatusCode::NOT_FOUND, "{uri} as {cookie:?}");
            assert_eq!(a.body, missing.body, "{uri}: the missing page's answer");
        }
        let home = send(&r.site, "GET", "/", cookie, "").await;
        assert!(!home.body.contains("/review"), "{}", home.body);
        let post = send(
            &r.site,
            "POST",
            "/review/decide",
            cookie,
            "key=f000000000001",
        )
        .await;
        assert_eq!(post.status, StatusCode::NOT_FOUND);
        assert_eq!(post.body, missing.body);
    }
    assert_eq!(r.desk.writes(), 0);
}

#[tokio::test]
async fn an_editor_sees_the_queue_with_its_progress_and_filters() {
    let r = room(false);
    let ed = login(&r.site, "ed").await;
    let home = send(&r.site, "GET", "/", &ed, "").await;
    assert!(
        home.body.contains("<a href=\"/review\">Review</a>"),
        "{}",
        home.body
    );
    let page = send(&r.site, "GET", "/review", &ed, "").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("3 findings, 0 reviewed"),
        "{}",
        page.body
    );
    // The corpus's text is escaped; the document is a link to its page.
    assert!(page.body.contains("no date &lt;b&gt;found&lt;/b&gt;"));
    assert!(!page.body.contains("<b>found"));
    assert!(page.body.contains("href=\"/doc/c/1\""));
    assert!(page.body.contains("a frame line"));
    assert!(page.body.contains("action=\"/review/decide\""));
    let kind = send(&r.site, "GET", "/review?kind=no-date", &ed, "").await;
    assert!(
        kind.body.contains("2 findings, 0 reviewed"),
        "{}",
        kind.body
    );
    assert!(!kind.body.contains("a frame line"));
    let none = send(&r.site, "GET", "/review?collection=x", &ed, "").await;
    assert!(
        none.body.contains("0 findings, 0 reviewed"),
        "{}",
        none.body
    );
    let long = format!("/review?kind={}", "k".repeat(500));
    let a = send(&r.site, "GET", &long, &ed, "").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn accept_and_dismiss_through_the_forms_move_findings_out_of_the_queue() {
    let r = room(false);
    let ed = login(&r.site, "ed").await;
    let token = send(&r.site, "GET", "/review", &ed, "").await.csrf();
    let a = send(
        &r.site,
        "POST",
        "/review/decide",
        &ed,
        &format!(
            "{}&kind=no-date",
            decision("f000000000001", "accept", "", &token)
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(
        a.location, "/review?kind=no-date",
        "back with the same filter"
    );
    let page = send(&r.site, "GET", "/review", &ed, "").await;
    assert!(
        page.body.contains("3 findings, 1 reviewed"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("f000000000001"), "no longer waiting");
    let form = decision("f000000000003", "dismiss", "the+frame+is+no+letter", &token);
    let a = send(&r.site, "POST", "/review/decide", &ed, &form).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(a.location, "/review");
    let page = send(&r.site, "GET", "/review", &ed, "").await;
    assert!(
        page.body.contains("3 findings, 2 reviewed"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("a frame line"));
    // The decided ones, with who and why, and a form to reopen them.
    let done = send(&r.site, "GET", "/review?reviewed=1", &ed, "").await;
    assert!(done.body.contains("dismissed by ed"), "{}", done.body);
    assert!(done.body.contains("the frame is no letter"));
    assert!(done.body.contains("accepted by ed"));
    assert!(done.body.contains("value=\"reopen\""));
    let form = format!(
        "{}&reviewed=1",
        decision("f000000000003", "reopen", "", &token)
    );
    let a = send(&r.site, "POST", "/review/decide", &ed, &form).await;
    assert_eq!(a.location, "/review?reviewed=1");
    let page = send(&r.site, "GET", "/review", &ed, "").await;
    assert!(
        page.body.contains("3 findings, 1 reviewed"),
        "{}",
        page.body
    );
    assert!(page.body.contains("a frame line"));
    assert_eq!(r.desk.writes(), 3);
}

#[tokio::test]
async fn a_decision_without_the_csrf_token_is_refused_and_writes_nothing() {
    let r = room(false);
    let ed = login(&r.site, "ed").await;
    for token in ["", "0123"] {
        let form = decision("f000000000001", "accept", "", token);
        let a = send(&r.site, "POST", "/review/decide", &ed, &form).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{form}");
    }
    let a = send(
        &r.site,
        "POST",
        "/review/decide",
        &ed,
        "key=f000000000001&decision=accept",
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(r.desk.writes(), 0);
    let page = send(&r.site, "GET", "/review", &ed, "").await;
    assert!(
        page.body.contains("3 findings, 0 reviewed"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn a_dismissal_without_a_reason_is_refused_with_a_message() {
    let r = room(false);
    let ed = login(&r.site, "ed").await;
    let token = send(&r.site, "GET", "/review", &ed, "").await.csrf();
    for why in ["", "+++"] {
        let form = decision("f000000000002", "dismiss", why, &token);
        let a = send(&r.site, "POST", "/review/decide", &ed, &form).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
        assert!(a.body.contains("say why"), "{}", a.body);
    }
    let form = decision("f000000000002", "shrug", "x", &token);
    let a = send(&r.site, "POST", "/review/decide", &ed, &form).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.desk.writes(), 0);
    let page = send(&r.site, "GET", "/review", &ed, "").await;
    assert!(
        page.body.contains("3 findings, 0 reviewed"),
        "{}",
        page.body
    );
}
