//! Logins: the session cookie, the CSRF tokens of every form, the login
//! and logout pages, and [`scope_of`], the one place where a request's
//! viewer is decided.
//!
//! A session is a random token in the `fond_session` cookie (`HttpOnly`,
//! `SameSite=Strict`, `Path=/`, `Secure` behind HTTPS); the archive keeps
//! its hash (`fond_store::Archive::open_session`). Every login opens a new
//! session and ends the one the browser came with, so a token planted
//! before the login is never the session after it (session fixation).
//! Every form carries a CSRF token checked on its POST: a session's forms
//! its secret; the login form, before there is a session, a token signed
//! with a key of this process over a random `fond_pre` cookie (so a page
//! elsewhere can neither read nor forge it). Login attempts are counted
//! per account and per address and refused for a growing time after
//! repeated failures (`fond_store::LoginLimit`), with 429 and a page that
//! says when to try again.

use crate::html::{self, esc};
use crate::{Scope, Site};
use axum::extract::{Query, State};
use axum::http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use fond_store::{Archive, SessionUser, StoreError};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The session cookie.
pub const SESSION_COOKIE: &str = "fond_session";
/// The login form's pre-session cookie.
pub const PRE_COOKIE: &str = "fond_pre";
/// How long a session lasts (seconds).
pub const SESSION_SECONDS: i64 = 12 * 60 * 60;
/// Connections to the archive kept open for the accounts.
const POOL: usize = 4;

/// The accounts of the archive the reading room serves.
pub(crate) struct Accounts {
    dir: PathBuf,
    pool: Mutex<Vec<Archive>>,
    /// Every page and API call needs a login (`fond serve --private`).
    pub(crate) private: bool,
    /// The cookie is sent over HTTPS only.
    secure: bool,
    /// Signs the login form's token; new every start (a login form of an
    /// earlier run is refused, and asks to be loaded again).
    key: [u8; 32],
}

impl std::fmt::Debug for Accounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accounts")
            .field("dir", &self.dir)
            .field("private", &self.private)
            .field("secure", &self.secure)
            .finish_non_exhaustive()
    }
}

impl Accounts {
    pub(crate) fn open(
        dir: &Path,
        private: bool,
        secure: bool,
    ) -> Result<Accounts, crate::WebError> {
        let first = Archive::open_existing(dir)?;
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| crate::WebError::Random(e.to_string()))?;
        Ok(Accounts {
            dir: dir.to_path_buf(),
            pool: Mutex::new(vec![first]),
            private,
            secure,
            key,
        })
    }

    /// Runs `f` on a connection of the pool (a new one when all are in
    /// use), so that a slow password check holds up no one else.
    pub(crate) fn with<R>(
        &self,
        f: impl FnOnce(&mut Archive) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        let taken = self.pool.lock().ok().and_then(|mut p| p.pop());
        let mut archive = match taken {
            Some(a) => a,
            None => Archive::open_existing(&self.dir)?,
        };
        let r = f(&mut archive);
        if let Ok(mut p) = self.pool.lock() {
            if p.len() < POOL {
                p.push(archive);
            }
        }
        r
    }

    fn sign(&self, pre: &str) -> String {
        let mut h = Sha256::new();
        h.update(self.key);
        h.update(b"login form\0");
        h.update(pre.as_bytes());
        hex(&h.finalize())
    }

    fn cookie(&self, name: &str, value: &str, max_age: i64) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        let v =
            format!("{name}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}");
        HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn random_hex(n: usize) -> String {
    let mut b = vec![0u8; n];
    // A failing random source leaves the value empty: a form with an
    // empty token is refused, never accepted.
    if getrandom::fill(&mut b).is_err() {
        return String::new();
    }
    hex(&b)
}

/// Now, Unix seconds.
pub(crate) fn now() -> i64 {
    fond_model::clock::unix_time()
}

/// A cookie's value from the request (the first of that name).
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

/// Compares two tokens in time independent of where they differ.
pub(crate) fn same_token(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    if a.is_empty() || a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The account of the request's session, if it has a live one.
pub(crate) fn current_user(site: &Site, headers: &HeaderMap) -> Option<SessionUser> {
    let accounts = site.accounts.as_ref()?;
    let token = cookie(headers, SESSION_COOKIE)?;
    accounts.with(|a| a.session(&token, now())).ok().flatten()
}

/// The request's scope: its session's account and the viewer its role
/// reads as, else the reading room's anonymous viewer; under `--private`
/// a request without a session is sent to log in (pages) or answered 401
/// (the API).
pub(crate) fn scope_of(site: &Site, parts: &Parts) -> Result<Scope, Box<Response>> {
    let user = current_user(site, &parts.headers);
    let private = site.accounts.as_ref().is_some_and(|a| a.private);
    if user.is_none() && private && !site.viewer().sees_restricted() {
        return Err(Box::new(login_required(parts.uri.path())));
    }
    let viewer = match &user {
        Some(u) => u.role.viewer(&u.name),
        None => site.viewer(),
    };
    let mut scope = site.scope(viewer);
    scope.user = user.map(Arc::new);
    Ok(scope)
}

fn login_required(path: &str) -> Response {
    if path.starts_with("/api/") {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(serde_json::json!({"error": {"status": 401,
                "message": "this reading room is private: log in at /login first"}})),
        )
            .into_response();
    }
    redirect(&format!("/login?next={}", html::url_id(path)))
}

/// 303 See Other to a path of the reading room.
pub(crate) fn redirect(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

/// A page that refuses (403 and the like), saying why.
pub(crate) fn refusal(site: &Site, status: StatusCode, title: &str, why: &str) -> Response {
    let body = format!("<h1>{}</h1><p>{}</p>", esc(title), esc(why));
    (status, Html(html::page(&site.title, title, &body))).into_response()
}

/// The header's account part: who is logged in, with the log-out form, or
/// a link to log in; for an editor, the review queue; for an admin, the
/// accounts.
pub(crate) fn header(scope: &Scope) -> String {
    match &scope.user {
        Some(u) => format!(
            "<span class=\"account\"><span class=\"who\">{} ({})</span>{}{}\
             <form class=\"logout\" method=\"post\" action=\"/logout\">{}<button>Log out</button></form></span>",
            esc(&u.name),
            u.role.as_str(),
            if u.role.edits() && scope.desk {
                " <a href=\"/review\">Review</a>"
            } else {
                ""
            },
            if u.role == fond_model::visibility::Role::Admin {
                " <a href=\"/admin/users\">Accounts</a>"
            } else {
                ""
            },
            csrf_field(&u.csrf)
        ),
        None if scope.logins => "<span class=\"account\"><a href=\"/login\">Log in</a></span>".into(),
        None => String::new(),
    }
}

/// The hidden field that carries a form's CSRF token.
pub(crate) fn csrf_field(token: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(token)
    )
}

/// Whether a form's token is its session's.
pub(crate) fn csrf_ok(user: &SessionUser, given: &str) -> bool {
    same_token(&user.csrf, given)
}

/// A local path to go on to after logging in: never another site (`//`,
/// `/\\`), never a character a `Location` header cannot carry.
fn local(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && n.len() < 500
                && n.chars().all(|c| c.is_ascii_graphic() && c != '\\') =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct NextQuery {
    pub next: Option<String>,
}

fn login_form(pre_token: &str, next: &str, message: &str) -> String {
    format!(
        "<h1>Log in</h1>{message}<form class=\"login\" method=\"post\" action=\"/login\">{}\
         <input type=\"hidden\" name=\"next\" value=\"{}\">\
         <p><label>Name <input name=\"name\" autocomplete=\"username\" required></label></p>\
         <p><label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label></p>\
         <p><button>Log in</button></p></form>",
        csrf_field(pre_token),
        esc(next)
    )
}

/// `GET /login`: the form, with a new pre-session cookie and the token
/// signed over it.
pub async fn login_page(
    State(site): State<Arc<Site>>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Response {
    let Some(accounts) = &site.accounts else {
        return refusal(
            &site,
            StatusCode::NOT_FOUND,
            "No logins",
            "This reading room has no accounts.",
        );
    };
    if let Some(u) = current_user(&site, &headers) {
        let body = format!(
            "<h1>Logged in</h1><p>You are logged in as {} ({}).</p>\
             <form class=\"logout\" method=\"post\" action=\"/logout\">{}<button>Log out</button></form>",
            esc(&u.name),
            u.role.as_str(),
            csrf_field(&u.csrf)
        );
        return Html(html::page(&site.title, "Log in", &body)).into_response();
    }
    let pre = random_hex(16);
    let body = login_form(&accounts.sign(&pre), &local(q.next.as_deref()), "");
    let mut res = Html(html::page(&site.title, "Log in", &body)).into_response();
    res.headers_mut()
        .append(header::SET_COOKIE, accounts.cookie(PRE_COOKIE, &pre, 3600));
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub csrf: String,
    pub next: Option<String>,
}

/// The client's address, as the accept loop recorded it (`unknown` when
/// the request did not come through it: in-process tests).
fn address(headers_ext: &axum::http::Extensions) -> String {
    headers_ext
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// What a checked login came to.
enum Outcome {
    Wait(i64),
    Wrong,
    In(fond_store::NewSession),
}

/// `POST /login`.
pub async fn login(
    State(site): State<Arc<Site>>,
    req_parts: axum::http::request::Parts,
    Form(form): Form<LoginForm>,
) -> Response {
    let Some(accounts) = &site.accounts else {
        return refusal(
            &site,
            StatusCode::NOT_FOUND,
            "No logins",
            "This reading room has no accounts.",
        );
    };
    let headers = &req_parts.headers;
    let pre = cookie(headers, PRE_COOKIE).unwrap_or_default();
    if pre.is_empty() || !same_token(&accounts.sign(&pre), &form.csrf) {
        return refusal(
            &site,
            StatusCode::FORBIDDEN,
            "The form has expired",
            "The login form was not this reading room's, or is from before it restarted; load the login page again and log in.",
        );
    }
    let next = local(form.next.as_deref());
    let address = address(&req_parts.extensions);
    let old = cookie(headers, SESSION_COOKIE);
    let site2 = site.clone();
    let name = form.name.trim().chars().take(100).collect::<String>();
    let password = form.password;
    // Argon2 takes tens of milliseconds: off the async workers.
    let outcome = tokio::task::spawn_blocking(move || {
        let Some(accounts) = &site2.accounts else {
            return Ok(Outcome::Wrong);
        };
        accounts.with(|a| {
            let t = now();
            if let Some(wait) = a.login_wait(&name, &address, t)? {
                return Ok(Outcome::Wait(wait));
            }
            let ok = a.check_password(&name, &password)?.is_some();
            a.record_login(&name, &address, ok, t)?;
            if !ok {
                return Ok(Outcome::Wrong);
            }
            // A new session every login; the one the browser came with
            // (if any, whoever planted it) ends here.
            if let Some(old) = &old {
                a.close_session(old)?;
            }
            Ok(Outcome::In(a.open_session(&name, t, SESSION_SECONDS)?))
        })
    })
    .await;
    match outcome {
        Ok(Ok(Outcome::In(s))) => {
            let mut res = redirect(&next);
            let h = res.headers_mut();
            h.append(
                header::SET_COOKIE,
                accounts.cookie(SESSION_COOKIE, &s.token, SESSION_SECONDS),
            );
            h.append(header::SET_COOKIE, accounts.cookie(PRE_COOKIE, "", 0));
            res
        }
        Ok(Ok(Outcome::Wrong)) => {
            let body = login_form(
                &accounts.sign(&pre),
                &next,
                "<p class=\"error\" role=\"alert\">Wrong name or password.</p>",
            );
            (
                StatusCode::UNAUTHORIZED,
                Html(html::page(&site.title, "Log in", &body)),
            )
                .into_response()
        }
        Ok(Ok(Outcome::Wait(secs))) => too_many(&site, secs),
        Ok(Err(e)) => refusal(
            &site,
            StatusCode::INTERNAL_SERVER_ERROR,
            "Cannot log in",
            &format!("The archive's accounts could not be read ({e}); try again later."),
        ),
        Err(_) => refusal(
            &site,
            StatusCode::INTERNAL_SERVER_ERROR,
            "Cannot log in",
            "Try again later.",
        ),
    }
}

/// 429: too many failed logins, with when to try again.
fn too_many(site: &Site, secs: i64) -> Response {
    let minutes = (secs + 59) / 60;
    let at = now() + secs;
    let (h, m) = ((at % 86_400) / 3600, (at % 3600) / 60);
    let body = format!(
        "<h1>Too many failed logins</h1><p role=\"alert\">Logins of this account or from this address \
         failed too often. Try again in {minutes} minute{} (at {h:02}:{m:02} UTC); until then no \
         login is checked, even with the right password.</p>",
        if minutes == 1 { "" } else { "s" }
    );
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, secs.to_string())],
        Html(html::page(&site.title, "Too many failed logins", &body)),
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

/// `POST /logout`: ends the session (its token opens nothing any more).
pub async fn logout(
    State(site): State<Arc<Site>>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    let (Some(accounts), Some(token)) = (&site.accounts, cookie(&headers, SESSION_COOKIE)) else {
        return redirect("/");
    };
    let Some(user) = current_user(&site, &headers) else {
        let mut res = redirect("/");
        res.headers_mut()
            .append(header::SET_COOKIE, accounts.cookie(SESSION_COOKIE, "", 0));
        return res;
    };
    if !csrf_ok(&user, &form.csrf) {
        return refusal(
            &site,
            StatusCode::FORBIDDEN,
            "The form has expired",
            "The log-out form was not this session's; load the page again.",
        );
    }
    if let Err(e) = accounts.with(|a| a.close_session(&token)) {
        return refusal(
            &site,
            StatusCode::INTERNAL_SERVER_ERROR,
            "Cannot log out",
            &format!("The session could not be ended ({e}); try again."),
        );
    }
    let mut res = redirect("/");
    res.headers_mut()
        .append(header::SET_COOKIE, accounts.cookie(SESSION_COOKIE, "", 0));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_tokens_and_next_paths() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; fond_session=abc ; b=2"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "none"), None);
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd") && !same_token("abc", "ab") && !same_token("", ""));
        assert_eq!(local(Some("/doc/x")), "/doc/x");
        assert_eq!(local(Some("//evil.example/")), "/");
        assert_eq!(local(Some("https://evil.example/")), "/");
        assert_eq!(local(None), "/");
        assert_eq!(local(Some("/x\r\nSet-Cookie: a=b")), "/");
        assert_eq!(local(Some("/\\evil.example")), "/");
    }
}
