//! What the reading room's router tests share: a small archive with
//! accounts, a desk that keeps its writes in memory (visibility settings
//! and review decisions, as the binary's desk would), and requests sent
//! through the router with `oneshot`.

// Each test file uses part of these.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use fond_model::visibility::{Level, Role, Rules, Setting, Target};
use fond_model::{Day, DocKind, Document};
use fond_model::{Finding, FindingKind};
use fond_store::{Archive, Decision, QueueFilter, QueueItem, Review};
use fond_web::{Desk, DeskError, Site};
use std::sync::{Arc, Mutex};
use tower::ServiceExt;

pub const PASSWORD: &str = "a long enough password";

/// The settings written, as the binary's desk would keep them.
#[derive(Default)]
pub struct TestDesk {
    pub settings: Mutex<Vec<Setting>>,
    pub writes: Mutex<usize>,
    /// The review queue: the findings with the decision in force.
    pub queue: Mutex<Vec<QueueItem>>,
    /// The corrections asked for, with who asked.
    pub corrections: Mutex<Vec<(String, fond_web::CorrectionRequest)>>,
    /// The reverts asked for: (who, correction, why).
    pub reverts: Mutex<Vec<(String, String, String)>>,
}

impl TestDesk {
    fn write(&self, s: Setting) -> Result<Rules, DeskError> {
        let mut all = self.settings.lock().map_err(|_| DeskError::Busy)?;
        all.push(s);
        *self.writes.lock().map_err(|_| DeskError::Busy)? += 1;
        Ok(Rules::new(all.clone(), vec![]))
    }

    pub fn writes(&self) -> usize {
        self.writes.lock().map(|w| *w).unwrap_or(0)
    }
}

pub fn setting(
    doc: &str,
    level: Level,
    until: Option<Day>,
    readers: &[&str],
    who: &str,
) -> Setting {
    Setting {
        target: Target::Document(doc.into()),
        level,
        until,
        readers: readers.iter().map(|r| r.to_string()).collect(),
        who: who.into(),
        when: "2026-12-06T09:00:00Z".into(),
        why: "test".into(),
        profile: None,
    }
}

impl Desk for TestDesk {
    fn restrict(
        &self,
        by: &str,
        document: &str,
        until: Option<Day>,
        readers: &[String],
        _why: &str,
    ) -> Result<Rules, DeskError> {
        let level = if until.is_some() {
            Level::Embargoed
        } else {
            Level::Restricted
        };
        let readers: Vec<&str> = readers.iter().map(String::as_str).collect();
        self.write(setting(document, level, until, &readers, by))
    }

    fn release(&self, by: &str, document: &str, _why: &str) -> Result<Rules, DeskError> {
        self.write(setting(document, Level::Public, None, &[], by))
    }

    fn queue(&self, filter: &QueueFilter) -> Result<Vec<QueueItem>, DeskError> {
        let items = self.queue.lock().map_err(|_| DeskError::Busy)?;
        Ok(items
            .iter()
            .filter(|i| {
                filter
                    .kind
                    .as_ref()
                    .is_none_or(|k| i.finding.kind.as_str() == k)
            })
            .filter(|i| filter.collection.is_none() || i.collection == filter.collection)
            .filter(|i| filter.reviewed.is_none_or(|r| r == i.review.is_some()))
            .cloned()
            .collect())
    }

    /// The binary's rules in short: a known key, a reason to dismiss.
    fn decide(&self, by: &str, key: &str, decision: Decision, why: &str) -> Result<(), DeskError> {
        let mut items = self.queue.lock().map_err(|_| DeskError::Busy)?;
        let Some(item) = items.iter_mut().find(|i| i.key == key) else {
            return Err(DeskError::Refused(format!("no finding with key \"{key}\"")));
        };
        if decision == Decision::Dismiss && why.trim().is_empty() {
            return Err(DeskError::Refused(
                "say why the finding is dismissed: it goes into the review's record".into(),
            ));
        }
        item.review = (decision != Decision::Reopen).then(|| Review {
            key: key.to_string(),
            kind: item.finding.kind.as_str().to_string(),
            document: item.finding.document.clone(),
            message: item.finding.message.clone(),
            decision,
            why: why.to_string(),
            who: by.to_string(),
            at: "2026-12-06T10:00:00Z".into(),
        });
        *self.writes.lock().map_err(|_| DeskError::Busy)? += 1;
        Ok(())
    }

    /// The binary's rules in short: a reason, a field it knows.
    fn correct(
        &self,
        by: &str,
        req: &fond_web::CorrectionRequest,
    ) -> Result<fond_web::Corrected, DeskError> {
        if req.why.trim().is_empty() {
            return Err(DeskError::Refused("say why the value changes".into()));
        }
        if fond_model::correction::Field::parse(&req.field).is_err() && req.field != "text" {
            return Err(DeskError::Refused(format!(
                "unknown field \"{}\"",
                req.field
            )));
        }
        self.corrections
            .lock()
            .map_err(|_| DeskError::Busy)?
            .push((by.to_string(), req.clone()));
        *self.writes.lock().map_err(|_| DeskError::Busy)? += 1;
        Ok(fond_web::Corrected {
            changed: fond_web::Changed::Documents(vec![req.document.clone()]),
            search: fond_web::SearchChange::Reload,
            written: None,
        })
    }

    fn revert(&self, by: &str, id: &str, why: &str) -> Result<fond_web::Corrected, DeskError> {
        self.reverts.lock().map_err(|_| DeskError::Busy)?.push((
            by.to_string(),
            id.to_string(),
            why.to_string(),
        ));
        *self.writes.lock().map_err(|_| DeskError::Busy)? += 1;
        Ok(fond_web::Corrected {
            changed: fond_web::Changed::Whole,
            search: fond_web::SearchChange::Reload,
            written: None,
        })
    }

    /// One correction of c/1's date, so the history shows.
    fn history(&self, document: &str) -> Result<Vec<fond_store::CorrectionRow>, DeskError> {
        if document != "c/1" {
            return Ok(Vec::new());
        }
        use fond_model::correction::{Action, Correction, Field, State, Status, Target, Value};
        Ok(vec![fond_store::CorrectionRow {
            correction: Correction {
                id: "c0123456789".into(),
                action: Action::Set,
                target: Target {
                    document: "c/1".into(),
                    field: Field::Date,
                },
                recovered: Value::None,
                value: Value::Text("1925-08-21".into()),
                by: "ed".into(),
                at: "2026-12-06T10:00:00Z".into(),
                why: "the postmark <i>reads</i> so".into(),
                status: Status::Active,
                reverts: None,
            },
            state: Some(State::Applied),
            now: None,
        }])
    }
}

/// A finding of the queue, waiting.
pub fn item(key: &str, kind: FindingKind, document: Option<&str>, message: &str) -> QueueItem {
    QueueItem {
        key: key.into(),
        finding: Finding {
            kind,
            source: "c.md".into(),
            line: 7,
            document: document.map(String::from),
            message: message.into(),
        },
        collection: document.map(|_| "c".to_string()),
        review: None,
    }
}

pub struct Room {
    pub _tmp: tempfile::TempDir,
    pub dir: std::path::PathBuf,
    pub site: Arc<Site>,
    pub desk: Arc<TestDesk>,
}

/// Letters c/1–c/3, c/2 restricted with the reader "rita" named; the
/// accounts ada (admin), ed (editor), rita and rob (readers); three
/// findings in the review queue (two `no-date` in collection c, one
/// `other` of no document).
pub fn room(private: bool) -> Room {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().to_path_buf();
    let mut archive = Archive::open(&dir).expect("archive");
    for (name, role) in [
        ("ada", Role::Admin),
        ("ed", Role::Editor),
        ("rita", Role::Reader),
        ("rob", Role::Reader),
    ] {
        archive
            .add_user(name, role, PASSWORD, "test", "2026-12-06T09:00:00Z")
            .expect("user");
    }
    let docs: Vec<Document> = (1..=3)
        .map(|n| {
            let mut d = Document::new(format!("c/{n}"), "c", DocKind::Letter);
            d.order = n;
            d.title = format!("Letter {n}");
            d
        })
        .collect();
    let desk = Arc::new(TestDesk::default());
    *desk.queue.lock().expect("queue") = vec![
        item(
            "f000000000001",
            FindingKind::NoDate,
            Some("c/1"),
            "no date <b>found</b>",
        ),
        item(
            "f000000000002",
            FindingKind::NoDate,
            Some("c/3"),
            "no date either",
        ),
        item("f000000000003", FindingKind::Other, None, "a frame line"),
    ];
    desk.settings.lock().expect("settings").push(setting(
        "c/2",
        Level::Restricted,
        None,
        &["rita"],
        "ed",
    ));
    let rules = Rules::new(desk.settings.lock().expect("settings").clone(), vec![]);
    let site = Site::new("T".into(), docs, vec![], vec![])
        .with_rules(rules)
        .with_accounts(&dir, private, false)
        .expect("accounts")
        .with_desk(desk.clone());
    Room {
        _tmp: tmp,
        dir,
        site: Arc::new(site),
        desk,
    }
}

pub struct Answer {
    pub status: StatusCode,
    pub cookies: Vec<String>,
    pub location: String,
    pub retry_after: Option<String>,
    pub body: String,
}

impl Answer {
    /// The value a `Set-Cookie` gives a cookie.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.iter().find_map(|c| {
            let first = c.split(';').next()?;
            let (k, v) = first.split_once('=')?;
            (k == name).then(|| v.to_string())
        })
    }

    /// The first form token of the page.
    pub fn csrf(&self) -> String {
        let at = self
            .body
            .find("name=\"csrf\" value=\"")
            .unwrap_or_else(|| panic!("no csrf field in {}", self.body));
        let rest = &self.body[at + 19..];
        rest[..rest.find('"').unwrap_or(0)].to_string()
    }
}

pub async fn send(site: &Arc<Site>, method: &str, uri: &str, cookie: &str, form: &str) -> Answer {
    let mut req = Request::builder().method(method).uri(uri);
    if !cookie.is_empty() {
        req = req.header(header::COOKIE, cookie);
    }
    if method == "POST" {
        req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    }
    let res = fond_web::router(site.clone())
        .oneshot(req.body(Body::from(form.to_string())).expect("request"))
        .await
        .expect("response");
    let h = res.headers();
    let cookies = h
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(String::from)
        .collect();
    let location = h
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let retry_after = h
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .expect("body");
    Answer {
        status,
        cookies,
        location,
        retry_after,
        body: String::from_utf8_lossy(&bytes).to_string(),
    }
}

/// A login attempt through the form, with `extra` cookies sent along with
/// the post (a session cookie from before the login).
pub async fn try_login(site: &Arc<Site>, name: &str, password: &str, extra: &str) -> Answer {
    let form = send(site, "GET", "/login", "", "").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let pre = form
        .cookie(fond_web::PRE_COOKIE)
        .expect("pre-session cookie");
    let mut cookie = format!("{}={pre}", fond_web::PRE_COOKIE);
    if !extra.is_empty() {
        cookie = format!("{cookie}; {extra}");
    }
    let body = format!(
        "name={name}&password={}&csrf={}",
        password.replace(' ', "+"),
        form.csrf()
    );
    send(site, "POST", "/login", &cookie, &body).await
}

/// Logs in; the session cookie to send.
pub async fn login(site: &Arc<Site>, name: &str) -> String {
    let a = try_login(site, name, PASSWORD, "").await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let token = a.cookie(fond_web::SESSION_COOKIE).expect("session cookie");
    format!("{}={token}", fond_web::SESSION_COOKIE)
}

/// The CSRF token of the session's forms (the header's log-out form).
pub async fn csrf(site: &Arc<Site>, cookie: &str) -> String {
    send(site, "GET", "/", cookie, "").await.csrf()
}
