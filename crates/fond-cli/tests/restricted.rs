//! Restricted material leaves no trace: the canary crawl.
//!
//! An archive of the small fixture edition and TEI letters written here;
//! one letter restricted and one under embargo each carry a word found
//! nowhere else (a canary), a party found nowhere else, and a year found
//! nowhere else. The reading room runs in-process; every link reachable
//! from `/` is followed, every API endpoint and the OpenAPI document are
//! read, and every document and person id the editors know is asked for
//! directly — as the public, then as an editor. The public must see no
//! canary, no restricted id, no party of theirs, no count that includes
//! them; a restricted id must answer exactly as a missing one. The editor
//! must see everything. An embargo whose day has passed shows. Then the
//! same crawls through logins: a reader whose name no setting gives sees
//! what the public sees (no trace), an editor logged in sees everything.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{fond, stderr, stdout};
use fond_model::visibility::Viewer;
use fond_web::Site;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;
use std::sync::Arc;
use tower::ServiceExt;

/// Most addresses one crawl reads; reaching it fails the test (the crawl
/// must end by itself, having read every link).
const CRAWL_LIMIT: usize = 20_000;
const SECRET: &str = "zqxsecretcanary";
const EMBARGOED: &str = "zqxembargocanary";
const LAPSED: &str = "zqxlapsedword";
/// The parties only the closed letters name.
const SECRET_PARTY: &str = "Canarius";
const EMBARGO_PARTY: &str = "Embargius";

/// A TEI letter of collection `example-org` with its own sender (a URI
/// makes them a person of the authority file), year and words.
fn letter(id: &str, sender: &str, year: u32, words: &str) -> String {
    let key = sender.to_lowercase();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{id}">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Letter {id} from {sender}</title></titleStmt>
      <publicationStmt><publisher>Example</publisher><idno type="URLWeb">https://example.org/{id}</idno></publicationStmt>
      <sourceDesc><p>test</p></sourceDesc>
    </fileDesc>
    <profileDesc>
      <correspDesc>
        <correspAction type="sent"><persName ref="https://example.org/person/{key}">{sender}, Anna</persName><date when="{year}-05-26"/></correspAction>
        <correspAction type="received"><persName ref="https://example.org/person/kunth">Kunth, Carl</persName></correspAction>
      </correspDesc>
    </profileDesc>
  </teiHeader>
  <text><body><p>{words}</p></body></text>
</TEI>
"#
    )
}

fn build(dir: &Path) -> std::path::PathBuf {
    let src = dir.join("sources");
    std::fs::create_dir_all(&src).expect("mkdir");
    std::fs::copy(
        common::fixture("mini-edition.md"),
        src.join("mini-edition.md"),
    )
    .expect("fixture");
    let letters = [
        ("P1", "Humboldt", 1848, "The harvest is good this year."),
        ("P2", "Humboldt", 1849, "Another harvest, and the river."),
        (
            "R1",
            SECRET_PARTY,
            1611,
            "The harvest and the zqxsecretcanary, not for the public.",
        ),
        (
            "E1",
            EMBARGO_PARTY,
            1612,
            "The harvest and the zqxembargocanary under embargo.",
        ),
        (
            "L1",
            "Humboldt",
            1850,
            "The harvest and the zqxlapsedword, embargoed once.",
        ),
    ];
    for (id, from, year, words) in letters {
        std::fs::write(src.join(format!("{id}.xml")), letter(id, from, year, words))
            .expect("write");
    }
    let archive = dir.join("archive");
    let o = fond(&archive, &["ingest", src.to_str().expect("utf-8 path")]);
    assert!(o.status.success(), "ingest: {}", stderr(&o));
    for args in [
        vec![
            "restrict",
            "example-org/R1",
            "--why",
            "a living person",
            "--by",
            "tester",
        ],
        vec![
            "restrict",
            "example-org/E1",
            "--until",
            "2999-01-01",
            "--why",
            "rights not cleared",
        ],
        vec![
            "restrict",
            "example-org/L1",
            "--until",
            "2000-01-01",
            "--why",
            "an embargo long over",
        ],
    ] {
        let o = fond(&archive, &args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    let mut store = fond_store::Archive::open_existing(&archive).expect("archive");
    for (name, role) in [
        ("rob", fond_model::visibility::Role::Reader),
        ("ed", fond_model::visibility::Role::Editor),
    ] {
        store
            .add_user(name, role, PASSWORD, "test", "2026-12-06T09:00:00Z")
            .expect("account");
    }
    archive
}

/// The password of the crawl's accounts.
const PASSWORD: &str = "crawl password 1848";

/// The reading room's desk for the crawl: a review queue of one finding,
/// on the restricted letter and naming its canary (the queue is the
/// editors': the public and readers must not reach it). It writes nothing.
struct CanaryDesk;

impl fond_web::Desk for CanaryDesk {
    fn restrict(
        &self,
        _: &str,
        _: &str,
        _: Option<fond_model::Day>,
        _: &[String],
        _: &str,
    ) -> Result<fond_model::visibility::Rules, fond_web::DeskError> {
        Err(fond_web::DeskError::Refused(
            "the crawl writes nothing".into(),
        ))
    }

    fn release(
        &self,
        _: &str,
        _: &str,
        _: &str,
    ) -> Result<fond_model::visibility::Rules, fond_web::DeskError> {
        Err(fond_web::DeskError::Refused(
            "the crawl writes nothing".into(),
        ))
    }

    fn queue(
        &self,
        _: &fond_store::QueueFilter,
    ) -> Result<Vec<fond_store::QueueItem>, fond_web::DeskError> {
        Ok(vec![fond_store::QueueItem {
            key: "f0000000000c1".into(),
            finding: fond_model::Finding {
                kind: fond_model::FindingKind::Other,
                source: "R1.xml".into(),
                line: 1,
                document: Some("example-org/R1".into()),
                message: format!("a doubt about {SECRET}"),
            },
            collection: Some("example-org".into()),
            review: None,
        }])
    }

    fn decide(
        &self,
        _: &str,
        _: &str,
        _: fond_store::Decision,
        _: &str,
    ) -> Result<(), fond_web::DeskError> {
        Err(fond_web::DeskError::Refused(
            "the crawl writes nothing".into(),
        ))
    }

    fn correct(
        &self,
        _: &str,
        _: &fond_web::CorrectionRequest,
    ) -> Result<fond_web::Corrected, fond_web::DeskError> {
        Err(fond_web::DeskError::Refused(
            "the crawl writes nothing".into(),
        ))
    }

    fn revert(
        &self,
        _: &str,
        _: &str,
        _: &str,
    ) -> Result<fond_web::Corrected, fond_web::DeskError> {
        Err(fond_web::DeskError::Refused(
            "the crawl writes nothing".into(),
        ))
    }

    fn history(&self, _: &str) -> Result<Vec<fond_store::CorrectionRow>, fond_web::DeskError> {
        Ok(Vec::new())
    }
}

fn site(archive: &Path, viewer: Viewer) -> Arc<Site> {
    let store = fond_store::Archive::open_existing(archive).expect("archive");
    let stored = store.stored_sources().expect("sources");
    let profiles = fond_ingest::profile::visibility_settings(
        stored
            .iter()
            .filter(|s| s.source.shape == fond_model::SourceShape::Profile)
            .map(|s| (s.source.name.as_str(), s.text.as_str())),
    );
    let index = fond_search::SearchIndex::open(&archive.join("search")).expect("index");
    Arc::new(
        Site::load(archive, profiles)
            .expect("site")
            .with_search(index)
            .with_viewer(viewer)
            .with_accounts(archive, false, false)
            .expect("accounts")
            .with_desk(Arc::new(CanaryDesk)),
    )
}

async fn get(site: &Arc<Site>, uri: &str) -> (StatusCode, String) {
    get_as(site, uri, "").await
}

/// A request with a cookie (a session's), or none when `cookie` is empty.
async fn send(
    site: &Arc<Site>,
    method: &str,
    uri: &str,
    cookie: &str,
    form: &str,
) -> axum::response::Response {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header("host", "127.0.0.1")
        .header("content-type", "application/x-www-form-urlencoded");
    if !cookie.is_empty() {
        req = req.header("cookie", cookie);
    }
    fond_web::router(site.clone())
        .oneshot(req.body(Body::from(form.to_string())).expect("request"))
        .await
        .expect("response")
}

async fn get_as(site: &Arc<Site>, uri: &str, cookie: &str) -> (StatusCode, String) {
    let res = send(site, "GET", uri, cookie, "").await;
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .expect("body");
    (status, String::from_utf8_lossy(&bytes).to_string())
}

/// The value a response sets a cookie to.
fn set_cookie(res: &axum::response::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| c.split(';').next()?.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Logs in through the login form; the session cookie to send.
async fn login(site: &Arc<Site>, name: &str) -> String {
    let form = send(site, "GET", "/login", "", "").await;
    let pre = set_cookie(&form, fond_web::PRE_COOKIE).expect("pre-session cookie");
    let bytes = axum::body::to_bytes(form.into_body(), 1 << 20)
        .await
        .expect("body");
    let body = String::from_utf8_lossy(&bytes).to_string();
    let csrf = regex::Regex::new(r#"name="csrf" value="([0-9a-f]+)""#)
        .expect("regex")
        .captures(&body)
        .map(|c| c[1].to_string())
        .expect("the login form's token");
    let res = send(
        site,
        "POST",
        "/login",
        &format!("{}={pre}", fond_web::PRE_COOKIE),
        &format!(
            "name={name}&password={}&csrf={csrf}",
            PASSWORD.replace(' ', "+")
        ),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{name} logs in");
    let token = set_cookie(&res, fond_web::SESSION_COOKIE).expect("session");
    format!("{}={token}", fond_web::SESSION_COOKIE)
}

/// Every page and answer the viewer can reach: the links from `/`
/// followed to the end, the API's endpoints, searches for common and
/// canary words, and every document and person id in `probe_docs` and
/// `probe_people` asked for directly.
async fn crawl(
    site: &Arc<Site>,
    cookie: &str,
    probe_docs: &[String],
    probe_people: &[String],
) -> BTreeMap<String, (StatusCode, String)> {
    let href = regex::Regex::new(r#"href="(/[^"]*)""#).expect("regex");
    let mut seen: BTreeMap<String, (StatusCode, String)> = BTreeMap::new();
    let mut queue: VecDeque<String> = VecDeque::from([
        "/".to_string(),
        "/browse".into(),
        "/api/v1/documents".into(),
        "/api/v1/people".into(),
        "/api/v1/openapi.json".into(),
        "/review".into(),
        "/review?reviewed=1".into(),
    ]);
    for q in [
        "harvest",
        SECRET,
        EMBARGOED,
        LAPSED,
        "year:1611",
        "year:1612",
    ] {
        for base in ["/search?q=", "/api/v1/search?limit=100&q="] {
            queue.push_back(format!("{base}{q}"));
        }
    }
    for id in probe_docs {
        for base in ["/doc/", "/witnesses/", "/api/v1/documents/"] {
            queue.push_back(format!("{base}{id}"));
        }
    }
    for id in probe_people {
        for base in ["/person/", "/body/", "/api/v1/people/"] {
            queue.push_back(format!("{base}{}", segment(id)));
        }
    }
    while let Some(uri) = queue.pop_front() {
        if seen.contains_key(&uri) || seen.len() >= CRAWL_LIMIT {
            continue;
        }
        let (status, body) = get_as(site, &uri, cookie).await;
        let mut next: Vec<String> = href
            .captures_iter(&body)
            .filter_map(|c| c.get(1))
            .map(|m| m.as_str().replace("&amp;", "&"))
            .collect();
        // The API lists ids rather than links: follow them too.
        if uri.starts_with("/api/v1/documents") || uri.starts_with("/api/v1/people") {
            if let Ok(v) = serde_json::from_str::<Value>(&body) {
                for d in v["documents"].as_array().into_iter().flatten() {
                    if let Some(id) = d["id"].as_str() {
                        next.push(format!("/api/v1/documents/{id}"));
                    }
                }
                for p in v["people"].as_array().into_iter().flatten() {
                    if let Some(id) = p["id"].as_str() {
                        next.push(format!("/api/v1/people/{}", segment(id)));
                    }
                }
            }
        }
        seen.insert(uri, (status, body));
        // Facet links add a clause to the query, and a page of results
        // offers the facets again: refinements of more than two clauses
        // are the same counts over fewer documents, and without a bound
        // the crawl would never end.
        let deep = |u: &String| u.starts_with("/search?") && u.matches('+').count() > 2;
        queue.extend(
            next.into_iter()
                .filter(|u| !seen.contains_key(u) && !deep(u)),
        );
    }
    seen
}

/// An id as one path segment, as the reading room links it (people of TEI
/// letters are keyed by URIs).
fn segment(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// No canary, closed id, closed source, closed party or closed year in
/// any page `who` read.
fn no_trace(seen: &BTreeMap<String, (StatusCode, String)>, who: &str) {
    for (uri, (status, body)) in seen {
        for needle in [
            SECRET,
            EMBARGOED,
            "example-org/R1",
            "example-org/E1",
            "R1.xml",
            "E1.xml",
            SECRET_PARTY,
            EMBARGO_PARTY,
            "canarius",
            "embargius",
            "1611",
            "1612",
        ] {
            // A search page echoes the query asked, and a probe by id
            // names the id in its address; what they answer is checked
            // below (no hits, the missing page).
            if uri.contains(needle) {
                continue;
            }
            assert!(
                !body.contains(needle),
                "{who} sees {needle:?} in {uri} ({status})"
            );
        }
    }
}

/// The review queue is not there for `who`: it answers as a missing page
/// does, and no page links to it.
fn no_queue(seen: &BTreeMap<String, (StatusCode, String)>, missing: (StatusCode, &str), who: &str) {
    for uri in ["/review", "/review?reviewed=1"] {
        let (status, body) = &seen[uri];
        assert_eq!((*status, body.as_str()), missing, "{who} at {uri}");
    }
    for (uri, (_, body)) in seen {
        assert!(!body.contains("/review"), "{who}: {uri} names /review");
    }
}

/// Every canary, closed id and party, and the closed people's pages.
fn everything(seen: &BTreeMap<String, (StatusCode, String)>, secret_people: &[&String]) {
    let everything: String = seen.values().map(|(_, b)| b.as_str()).collect();
    for needle in [
        SECRET,
        EMBARGOED,
        LAPSED,
        "example-org/R1",
        "example-org/E1",
        SECRET_PARTY,
        EMBARGO_PARTY,
    ] {
        assert!(everything.contains(needle), "the editor misses {needle:?}");
    }
    assert_eq!(seen["/doc/example-org/R1"].0, StatusCode::OK);
    for p in secret_people {
        assert_eq!(seen[&format!("/person/{}", segment(p))].0, StatusCode::OK);
    }
}

fn total(pages: &BTreeMap<String, (StatusCode, String)>, uri: &str) -> u64 {
    let body = &pages.get(uri).unwrap_or_else(|| panic!("{uri} was read")).1;
    let v: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{uri}: {e}: {body}"));
    v["total"]
        .as_u64()
        .unwrap_or_else(|| panic!("{uri}: no total"))
}

fn json(pages: &BTreeMap<String, (StatusCode, String)>, uri: &str) -> Value {
    serde_json::from_str(&pages[uri].1).unwrap_or(Value::Null)
}

// Long: one crawl as the public and one as an editor over the same
// archive, each followed by every assertion the issue lists, so that what
// the public misses is compared with what the editor sees in one place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restricted_documents_leave_no_trace_for_the_public() {
    let tmp = tempfile::tempdir().expect("tmp");
    let archive = build(tmp.path());

    // A restricted id that does not exist is a clear error.
    let o = fond(&archive, &["restrict", "example-org/NOPE", "--why", "x"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no document \"example-org/NOPE\""),
        "{}",
        stderr(&o)
    );
    let o = fond(&archive, &["restrictions", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let listed: Vec<Value> = stdout(&o)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert_eq!(listed.len(), 3, "{}", stdout(&o));
    assert!(listed
        .iter()
        .any(|s| s["id"] == "example-org/R1" && s["level"] == "restricted" && s["closes"] == 1));
    assert!(listed
        .iter()
        .any(|s| s["id"] == "example-org/L1" && s["closes"] == 0));

    let editor = site(&archive, Viewer::Editor);
    let public = site(&archive, Viewer::Public);
    let all = editor.scope(Viewer::Editor);
    let all_docs: Vec<String> = editor.visible(&all).map(|d| d.id.clone()).collect();
    let all_people: Vec<String> = editor.people_for(&all).map(|p| p.id.clone()).collect();
    assert!(all_docs.iter().any(|d| d == "example-org/R1"));
    let secret_people: Vec<&String> = all_people
        .iter()
        .filter(|p| p.contains("canarius") || p.contains("embargius"))
        .collect();
    assert_eq!(secret_people.len(), 2, "{all_people:?}");

    let seen = crawl(&public, "", &all_docs, &all_people).await;
    assert!(seen.len() > 40, "the crawl reached {} pages", seen.len());
    assert!(seen.len() < CRAWL_LIMIT, "the crawl ended at its limit");
    let (missing_status, missing_body) = get(&public, "/doc/example-org/NOPE").await;
    let (missing_api_status, missing_api_body) =
        get(&public, "/api/v1/documents/example-org/NOPE").await;
    let (missing_wit_status, missing_wit_body) = get(&public, "/witnesses/example-org/NOPE").await;
    no_trace(&seen, "the public");
    no_queue(&seen, (missing_status, &missing_body), "the public");
    // A closed id answers exactly as a missing one.
    for id in ["example-org/R1", "example-org/E1"] {
        assert_eq!(
            seen[&format!("/doc/{id}")],
            (missing_status, missing_body.clone())
        );
        assert_eq!(
            seen[&format!("/api/v1/documents/{id}")],
            (missing_api_status, missing_api_body.clone())
        );
        assert_eq!(
            seen[&format!("/witnesses/{id}")],
            (missing_wit_status, missing_wit_body.clone())
        );
    }
    for p in &secret_people {
        assert_eq!(
            seen[&format!("/person/{}", segment(p))].0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            seen[&format!("/api/v1/people/{}", segment(p))].0,
            StatusCode::NOT_FOUND
        );
    }
    // The lapsed embargo shows.
    assert!(seen.contains_key("/doc/example-org/L1"));
    assert_eq!(seen["/doc/example-org/L1"].0, StatusCode::OK);
    assert!(seen["/doc/example-org/L1"].1.contains(LAPSED));

    let editor_seen = crawl(&editor, "", &all_docs, &all_people).await;
    assert!(
        editor_seen.len() < CRAWL_LIMIT,
        "the crawl ended at its limit"
    );
    eprintln!(
        "canary crawl: the public read {} addresses ({} answered 200), the editor {} ({} answered 200); 0 traces",
        seen.len(),
        seen.values().filter(|(s, _)| *s == StatusCode::OK).count(),
        editor_seen.len(),
        editor_seen.values().filter(|(s, _)| *s == StatusCode::OK).count()
    );
    // Counts: the public's are the editor's without the two closed letters.
    let n = all_docs.len() as u64;
    assert_eq!(total(&editor_seen, "/api/v1/documents"), n);
    assert_eq!(total(&seen, "/api/v1/documents"), n - 2);
    let harvest = "/api/v1/search?limit=100&q=harvest";
    // Five TEI letters and the fixture edition's letter 1 name the harvest.
    assert_eq!(total(&editor_seen, harvest), 6);
    assert_eq!(total(&seen, harvest), 4);
    let facets = json(&seen, harvest);
    let editor_letters = json(&editor_seen, harvest)["facets"]["kind"]["letter"]
        .as_u64()
        .unwrap_or(0);
    assert_eq!(
        facets["facets"]["kind"]["letter"].as_u64(),
        Some(editor_letters - 2),
        "{facets}"
    );
    assert!(facets["facets"]["year"].get("1611").is_none());
    let editor_facets = json(&editor_seen, harvest);
    assert_eq!(editor_facets["facets"]["year"]["1611"], 1);
    for q in [SECRET, EMBARGOED, "year:1611", "year:1612"] {
        assert_eq!(total(&seen, &format!("/api/v1/search?limit=100&q={q}")), 0);
        assert!(seen[&format!("/search?q={q}")]
            .1
            .contains("No documents match"));
        assert_eq!(
            total(&editor_seen, &format!("/api/v1/search?limit=100&q={q}")),
            1
        );
    }
    assert_eq!(
        total(&seen, &format!("/api/v1/search?limit=100&q={LAPSED}")),
        1
    );
    assert_eq!(
        total(&seen, "/api/v1/people") + 2,
        total(&editor_seen, "/api/v1/people")
    );
    let count = |pages: &BTreeMap<String, (StatusCode, String)>, uri: &str| {
        let body = &pages[uri].1;
        regex::Regex::new(r"<p>(\d+) documents</p>")
            .expect("regex")
            .captures(body)
            .and_then(|c| c[1].parse::<u64>().ok())
            .unwrap_or_else(|| panic!("{uri}: no count"))
    };
    assert_eq!(count(&seen, "/browse"), n - 2);
    assert_eq!(count(&editor_seen, "/browse"), n);
    let kunth = all_people
        .iter()
        .find(|p| p.contains("kunth"))
        .expect("Kunth is a person");
    let public_kunth = json(&seen, &format!("/api/v1/people/{}", segment(kunth)));
    let editor_kunth = json(&editor_seen, &format!("/api/v1/people/{}", segment(kunth)));
    assert_eq!(
        public_kunth["documents"].as_array().map(Vec::len),
        Some(3),
        "{public_kunth}"
    );
    assert_eq!(editor_kunth["documents"].as_array().map(Vec::len), Some(5));
    let kunth_page = format!("/person/{}", segment(kunth));
    assert!(seen[&kunth_page].1.contains("Correspondence (3 letters"));
    assert!(seen[&kunth_page].1.contains("Documents (3)"));
    assert!(editor_seen[&kunth_page]
        .1
        .contains("Correspondence (5 letters"));
    // The home page counts each collection's documents.
    let collection = |pages: &BTreeMap<String, (StatusCode, String)>| {
        regex::Regex::new(r">example-org</a> — (\d+) documents")
            .expect("regex")
            .captures(&pages["/"].1)
            .and_then(|c| c[1].parse::<u64>().ok())
            .unwrap_or(0)
    };
    assert_eq!(collection(&editor_seen), 5);
    assert_eq!(collection(&seen), 3);

    // The editor sees everything.
    everything(&editor_seen, &secret_people);
    // Reachable from the home page, not only when asked by id.
    let home_reach: BTreeSet<&String> = editor_seen
        .keys()
        .filter(|k| k.starts_with("/doc/"))
        .collect();
    assert!(home_reach.contains(&"/doc/example-org/E1".to_string()));

    // Through logins: a reader no setting names sees what the public
    // sees; an editor logged in (the reading room's anonymous viewer being
    // the public) sees everything.
    let reader = login(&public, "rob").await;
    let reader_seen = crawl(&public, &reader, &all_docs, &all_people).await;
    assert!(
        reader_seen["/"].1.contains("rob (reader)"),
        "the crawl was logged in"
    );
    no_trace(&reader_seen, "a reader without the grant");
    no_queue(
        &reader_seen,
        (missing_status, &missing_body),
        "a reader without the grant",
    );
    assert_eq!(total(&reader_seen, "/api/v1/documents"), n - 2);
    assert_eq!(total(&reader_seen, harvest), 4);
    let editor_login = login(&public, "ed").await;
    let logged_editor = crawl(&public, &editor_login, &all_docs, &all_people).await;
    assert!(logged_editor["/"].1.contains("ed (editor)"));
    everything(&logged_editor, &secret_people);
    // The editor's header links the review queue, which lists the finding.
    assert!(logged_editor["/"].1.contains("href=\"/review\""));
    assert_eq!(logged_editor["/review"].0, StatusCode::OK);
    assert!(logged_editor["/review"]
        .1
        .contains("1 findings, 0 reviewed"));
    assert!(logged_editor["/review"].1.contains(SECRET));
    assert_eq!(total(&logged_editor, "/api/v1/documents"), n);
    assert_eq!(total(&logged_editor, harvest), 6);
    eprintln!(
        "logged in: the reader read {} addresses, 0 traces; the editor {}",
        reader_seen.len(),
        logged_editor.len()
    );
}

/// A day passed lets an embargo lapse without re-ingest; an export leaves
/// closed documents out unless told, and says how many.
#[test]
fn embargoes_lapse_and_exports_leave_closed_documents_out() {
    let tmp = tempfile::tempdir().expect("tmp");
    let archive = build(tmp.path());
    let site = Site::load(&archive, Vec::new()).expect("site");
    let store = fond_store::Archive::open_existing(&archive).expect("archive");
    let rules = fond_model::visibility::Rules::new(store.visibility().expect("settings"), vec![]);
    let all = site.scope(Viewer::Editor);
    let e1 = site.document(&all, "example-org/E1").expect("E1");
    let day = |s: &str| fond_model::Day::parse_iso(s).expect("day");
    assert!(rules.hidden(e1, &Viewer::Public, day("2998-12-31")));
    assert!(!rules.hidden(e1, &Viewer::Public, day("2999-01-01")));
    let later = Site::load(&archive, Vec::new())
        .expect("site")
        .with_today(day("2999-01-01"));
    let scope = later.scope(Viewer::Public);
    assert!(later.document(&scope, "example-org/E1").is_some());
    assert!(later.document(&scope, "example-org/R1").is_none());

    let out = tmp.path().join("jsonl");
    let o = fond(
        &archive,
        &[
            "export",
            "--format",
            "jsonl",
            "--out",
            out.to_str().expect("utf-8"),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("left out 2 restricted or embargoed documents"));
    let docs = std::fs::read_to_string(out.join("documents.jsonl")).expect("documents");
    assert!(!docs.contains("example-org/R1") && !docs.contains(SECRET));
    assert!(docs.contains("example-org/L1"));
    let people = std::fs::read_to_string(out.join("people.jsonl")).expect("people");
    assert!(!people.contains(SECRET_PARTY), "{people}");
    let out = tmp.path().join("all");
    let o = fond(
        &archive,
        &[
            "export",
            "--format",
            "tei",
            "--include-restricted",
            "--out",
            out.to_str().expect("utf-8"),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains("left out"));
    let all: String = std::fs::read_dir(&out)
        .expect("tei")
        .filter_map(|e| e.ok())
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    assert!(all.contains(SECRET) && all.contains(EMBARGOED));

    // Release: public again, recorded.
    let o = fond(
        &archive,
        &[
            "release",
            "example-org/R1",
            "--why",
            "cleared by the family",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let site = Site::load(&archive, Vec::new()).expect("site");
    let scope = site.scope(Viewer::Public);
    assert!(site.document(&scope, "example-org/R1").is_some());
}

/// An edition profile embargoes its collection; an editor's setting for
/// the same collection wins; `--editor` refuses an address that is not
/// loopback, `--private` an archive without accounts.
#[test]
fn a_profile_embargoes_a_collection_and_editors_override_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).expect("mkdir");
    std::fs::write(src.join("P9.xml"), letter("P9", "Humboldt", 1848, "words")).expect("write");
    std::fs::write(
        src.join("p9.profile.toml"),
        "[profile]\nsource = \"P9.xml\"\ncollection = \"example-org\"\nembargo_until = \"2999-01-01\"\n",
    )
    .expect("write");
    let archive = tmp.path().join("archive");
    let o = fond(&archive, &["ingest", src.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = fond(&archive, &["restrictions"]);
    assert!(
        stdout(&o).contains("collection example-org"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("embargoed until 2999-01-01"),
        "{}",
        stdout(&o)
    );
    let o = fond(
        &archive,
        &[
            "export",
            "--format",
            "jsonl",
            "--out",
            tmp.path().join("x").to_str().expect("utf-8"),
        ],
    );
    assert!(stdout(&o).contains("left out 1 "), "{}", stdout(&o));
    let o = fond(
        &archive,
        &[
            "release",
            "--collection",
            "example-org",
            "--why",
            "the rights holder agreed",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = fond(
        &archive,
        &[
            "export",
            "--format",
            "jsonl",
            "--out",
            tmp.path().join("y").to_str().expect("utf-8"),
        ],
    );
    assert!(!stdout(&o).contains("left out"), "{}", stdout(&o));
    let o = fond(&archive, &["serve", "--editor", "--addr", "0.0.0.0:0"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("loopback"), "{}", stderr(&o));
    // A private reading room without accounts could let no one in.
    let o = fond(&archive, &["serve", "--private", "--addr", "127.0.0.1:0"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("no accounts"), "{}", stderr(&o));
}

/// `fond user` and `fond restrict --reader`: accounts made at the
/// terminal (password on standard input), a reader named in a setting
/// sees that document in the reading room and another reader does not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_from_the_command_line_and_a_named_reader() {
    let tmp = tempfile::tempdir().expect("tmp");
    let archive = build(tmp.path());
    let user = |args: &[&str], stdin: &str| {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fond"))
            .arg("--archive")
            .arg(&archive)
            .arg("user")
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run fond");
        if let Some(mut input) = child.stdin.take() {
            input.write_all(stdin.as_bytes()).expect("stdin");
        }
        child.wait_with_output().expect("fond")
    };
    let pw = format!("{PASSWORD}\n");
    let o = user(
        &["add", "rita", "--role", "reader", "--password-stdin"],
        &pw,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("rita: added as reader"));
    for (args, input, says) in [
        (
            vec!["add", "rita", "--role", "reader", "--password-stdin"],
            pw.as_str(),
            "already an account",
        ),
        (
            vec!["add", "x", "--role", "root", "--password-stdin"],
            pw.as_str(),
            "unknown role \"root\"",
        ),
        (
            vec!["add", "x", "--role", "reader", "--password-stdin"],
            "\n",
            "password is empty",
        ),
        (
            vec!["add", "x", "--role", "reader", "--password-stdin"],
            "short\n",
            "too short",
        ),
        (vec!["remove", "nobody"], "", "no account \"nobody\""),
    ] {
        let o = user(&args, input);
        assert!(!o.status.success(), "{args:?}");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
    let o = fond(
        &archive,
        &[
            "restrict",
            "example-org/P1",
            "--reader",
            "rita",
            "--why",
            "for rita's study",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("restricted (editors and rita)"),
        "{}",
        stdout(&o)
    );
    let o = fond(&archive, &["restrictions"]);
    assert!(stdout(&o).contains("restricted +rita"), "{}", stdout(&o));

    let site = site(&archive, Viewer::Public);
    let rita = login(&site, "rita").await;
    let rob = login(&site, "rob").await;
    assert_eq!(
        get_as(&site, "/doc/example-org/P1", &rita).await.0,
        StatusCode::OK
    );
    assert_eq!(
        get_as(&site, "/doc/example-org/P1", &rob).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&site, "/doc/example-org/P1").await.0,
        StatusCode::NOT_FOUND
    );
    // rita sees no more than that: R1 stays closed to her.
    assert_eq!(
        get_as(&site, "/doc/example-org/R1", &rita).await.0,
        StatusCode::NOT_FOUND
    );

    let o = user(&["list", "--json"], "");
    let listed: Vec<Value> = stdout(&o)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let rita_row = listed
        .iter()
        .find(|u| u["name"] == "rita")
        .expect("rita listed");
    assert_eq!(rita_row["role"], "reader");
    assert_eq!(rita_row["sessions"], 1);
    // A new password ends her sessions; so does removing the account.
    let o = user(
        &["passwd", "rita", "--password-stdin"],
        "another long password\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        get_as(&site, "/doc/example-org/P1", &rita).await.0,
        StatusCode::NOT_FOUND
    );
    let o = user(&["remove", "rob"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!get_as(&site, "/", &rob).await.1.contains("rob (reader)"));
    let o = user(&["list"], "");
    assert!(!stdout(&o).contains("rob"), "{}", stdout(&o));
}
