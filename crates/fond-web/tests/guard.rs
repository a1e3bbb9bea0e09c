//! What every request passes and what bounds the expensive ones: security
//! headers, the `Host` check, permalinks from `--public-url`, the bounded
//! pool for collations and searches (503 with `Retry-After` past it,
//! `partial` when the time ran out waiting). Built from the small fixture
//! edition, so these run without the corpus.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use fond_web::pool::Pool;
use fond_web::Site;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};
use tower::ServiceExt;

fn fixture_site(pool: Pool) -> (Site, tempfile::TempDir) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fond-cli/tests/fixtures/mini-edition.md");
    let bytes = std::fs::read(&path).expect("fixture");
    let read = fond_ingest::read_source("mini-edition.md", &bytes, "").expect("reads");
    let ed = fond_ingest::build_edition(vec![read]);
    let tmp = tempfile::tempdir().expect("tmp");
    let index =
        fond_search::SearchIndex::build(&tmp.path().join("search"), &ed.documents).expect("index");
    let site = Site::new("Letters to Petrov".into(), ed.documents, vec![], vec![])
        .with_search(index)
        .with_pool(pool);
    (site, tmp)
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn get(site: &Arc<Site>, uri: &str, host: Option<&str>) -> Answer {
    let mut req = Request::builder().uri(uri);
    if let Some(h) = host {
        req = req.header("host", h);
    }
    let res = fond_web::router(site.clone())
        .oneshot(req.body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .expect("body");
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).to_string(),
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let (site, _tmp) = fixture_site(Pool::new(2, 4));
    let site = Arc::new(site);
    for uri in [
        "/",
        "/doc/letters-to-petrov/1",
        "/doc/nothing",
        "/api/v1/documents",
        "/style.css",
        "/search?q=Petrov",
    ] {
        let a = get(&site, uri, Some("127.0.0.1:7700")).await;
        let h = |name: &str| {
            a.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        assert_eq!(h("x-content-type-options"), "nosniff", "{uri}");
        assert!(
            h("content-security-policy").contains("frame-ancestors 'none'"),
            "{uri}"
        );
        assert!(
            h("content-security-policy").contains("default-src 'none'"),
            "{uri}"
        );
        assert_eq!(h("x-frame-options"), "DENY", "{uri}");
        assert_eq!(h("referrer-policy"), "no-referrer", "{uri}");
    }
}

#[tokio::test]
async fn foreign_hosts_are_refused_and_permalinks_use_the_public_url() {
    let (site, _tmp) = fixture_site(Pool::new(2, 4));
    let site = Arc::new(site);
    let evil = get(&site, "/doc/letters-to-petrov/1", Some("evil.example:7700")).await;
    assert_eq!(evil.status, StatusCode::MISDIRECTED_REQUEST);
    assert!(!evil.body.contains("evil.example"));
    for host in ["localhost:7700", "127.0.0.1", "[::1]:7700"] {
        let a = get(&site, "/doc/letters-to-petrov/1", Some(host)).await;
        assert_eq!(a.status, StatusCode::OK, "{host}");
    }
    let (site, _tmp2) = fixture_site(Pool::new(2, 4));
    let site = Arc::new(
        site.with_public_url("https://archive.example.org/fond")
            .expect("url"),
    );
    let a = get(
        &site,
        "/doc/letters-to-petrov/1",
        Some("archive.example.org"),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        a.body
            .contains("https://archive.example.org/fond/doc/letters-to-petrov/1"),
        "the permalink is the published one"
    );
    assert_eq!(
        get(&site, "/", Some("evil.example")).await.status,
        StatusCode::MISDIRECTED_REQUEST
    );
    assert!(Site::new("t".into(), vec![], vec![], vec![])
        .with_public_url("javascript:alert(1)")
        .is_err());
}

/// A gate the blocking jobs wait at until the test opens it.
type Gate = Arc<(Mutex<bool>, Condvar)>;

fn wait_at(gate: &Gate) {
    let (open, cv) = &**gate;
    let mut g = open.lock().unwrap_or_else(|e| e.into_inner());
    while !*g {
        g = cv.wait(g).unwrap_or_else(|e| e.into_inner());
    }
}

fn open(gate: &Gate) {
    let (o, cv) = &**gate;
    *o.lock().unwrap_or_else(|e| e.into_inner()) = true;
    cv.notify_all();
}

/// With every worker busy and the queue full, collations and searches are
/// answered 503 with `Retry-After` at once, while pages are served as
/// ever; once the pool drains they run again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_pool_answers_503_and_pages_stay_served() {
    let (site, _tmp) = fixture_site(Pool::new(1, 2));
    let site = Arc::new(site);
    let gate: Gate = Default::default();
    let mut held = Vec::new();
    for _ in 0..3 {
        let (site, gate) = (site.clone(), gate.clone());
        held.push(tokio::spawn(async move {
            site.pool().run(None, move || wait_at(&gate)).await
        }));
    }
    while site.pool().stats().peak_admitted < 3 || site.pool().stats().peak_running < 1 {
        tokio::task::yield_now().await;
    }
    for uri in [
        "/api/v1/search?q=Petrov",
        "/search?q=Petrov",
        "/witnesses/letters-to-petrov/1",
    ] {
        let a = get(&site, uri, None).await;
        assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE, "{uri}");
        assert_eq!(
            a.headers.get("retry-after").and_then(|v| v.to_str().ok()),
            Some("1"),
            "{uri}"
        );
    }
    // Pages do not queue behind the pool.
    for uri in [
        "/",
        "/doc/letters-to-petrov/1",
        "/api/v1/documents",
        "/browse",
    ] {
        assert_eq!(get(&site, uri, None).await.status, StatusCode::OK, "{uri}");
    }
    open(&gate);
    for h in held {
        assert!(h.await.is_ok());
    }
    let a = get(&site, "/api/v1/search?q=Petrov", None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let s = site.pool().stats();
    assert_eq!(s.peak_running, 1);
    assert_eq!(s.peak_admitted, 3, "never more than workers + queue");
    assert_eq!(s.refused, 3);
}

/// The time limit covers the wait for a worker: a search that waited past
/// it answers at once, empty and marked partial, rather than running late.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_search_whose_time_ran_out_in_the_queue_is_marked_partial() {
    let (site, _tmp) = fixture_site(Pool::new(1, 4));
    let site = Arc::new(site);
    let gate: Gate = Default::default();
    let blocker = {
        let (site, gate) = (site.clone(), gate.clone());
        tokio::spawn(async move { site.pool().run(None, move || wait_at(&gate)).await })
    };
    while site.pool().stats().peak_running < 1 {
        tokio::task::yield_now().await;
    }
    let a = get(&site, "/api/v1/search?q=Petrov", None).await;
    open(&gate);
    assert!(blocker.await.is_ok());
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let v: serde_json::Value = serde_json::from_str(&a.body).expect("json");
    assert_eq!(v["partial"], true, "{v}");
    // A query longer than the limit is searched cut, and says so.
    let long = format!("/api/v1/search?q={}", "Petrovxxxxxxxxx+".repeat(40));
    let a = get(&site, &long, None).await;
    let v: serde_json::Value = serde_json::from_str(&a.body).expect("json");
    assert_eq!(v["query_cut"], true, "{v}");
}
