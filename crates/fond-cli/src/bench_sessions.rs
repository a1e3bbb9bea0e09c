//! `fond bench sessions`: what logins cost the reading room, in-process
//! (the router driven directly, no sockets), on a copy of the archive
//! given by `--archive` (an account `bench` is added to the copy only).
//! The peer is the same document page asked for anonymously in the same
//! run: a logged-in page costs the session's lookup on top, a login the
//! Argon2id check.

use anyhow::{Context, Result};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;
use tower::ServiceExt;

const PASSWORD: &str = "the bench's own password";

async fn ask(
    site: &Arc<fond_web::Site>,
    method: &str,
    uri: &str,
    cookie: &str,
    form: &str,
) -> Result<axum::response::Response> {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/x-www-form-urlencoded");
    if !cookie.is_empty() {
        req = req.header("cookie", cookie);
    }
    let res = fond_web::router(site.clone())
        .oneshot(req.body(Body::from(form.to_string()))?)
        .await?;
    Ok(res)
}

fn set_cookie(res: &axum::response::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| c.split(';').next()?.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| format!("{k}={v}", k = name))
}

/// One login through the form; the session cookie.
async fn login(site: &Arc<fond_web::Site>) -> Result<String> {
    let form = ask(site, "GET", "/login", "", "").await?;
    let pre = set_cookie(&form, fond_web::PRE_COOKIE).context("no pre-session cookie")?;
    let body = axum::body::to_bytes(form.into_body(), 1 << 20).await?;
    let body = String::from_utf8_lossy(&body);
    let at = body
        .find("name=\"csrf\" value=\"")
        .context("no token in the login form")?;
    let token: String = body[at + 19..].chars().take_while(|c| *c != '"').collect();
    let res = ask(
        site,
        "POST",
        "/login",
        &pre,
        &format!(
            "name=bench&password={}&csrf={token}",
            PASSWORD.replace(' ', "+")
        ),
    )
    .await?;
    anyhow::ensure!(
        res.status() == StatusCode::SEE_OTHER,
        "the bench's login failed ({})",
        res.status()
    );
    set_cookie(&res, fond_web::SESSION_COOKIE).context("no session cookie")
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// Runs the benchmark: `runs` page requests each way, `logins` logins.
pub fn bench(
    archive: &Path,
    doc: &str,
    runs: usize,
    logins: usize,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let copy = std::env::temp_dir().join(format!("fond-bench-sessions-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&copy);
    std::fs::create_dir_all(&copy)?;
    std::fs::copy(
        archive.join(fond_store::DB_FILE),
        copy.join(fond_store::DB_FILE),
    )
    .with_context(|| {
        format!(
            "{}: no archive to copy (`fond ingest` first)",
            archive.display()
        )
    })?;
    let result = (|| -> Result<String> {
        let mut store = fond_store::Archive::open_existing(&copy)?;
        store.add_user(
            "bench",
            fond_model::visibility::Role::Editor,
            PASSWORD,
            "bench",
            "now",
        )?;
        let profiles = crate::restrict::profile_settings(&store)?;
        drop(store);
        let site =
            Arc::new(fond_web::Site::load(&copy, profiles)?.with_accounts(&copy, false, false)?);
        let uri = format!("/doc/{doc}");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async {
            let cookie = login(&site).await?;
            let (mut anon, mut signed, mut logs) = (Vec::new(), Vec::new(), Vec::new());
            for _ in 0..runs {
                // Alternated, so both see the same conditions.
                for (cookie, times) in [("", &mut anon), (cookie.as_str(), &mut signed)] {
                    let t = Instant::now();
                    let res = ask(&site, "GET", &uri, cookie, "").await?;
                    anyhow::ensure!(res.status() == StatusCode::OK, "{uri}: {}", res.status());
                    axum::body::to_bytes(res.into_body(), 1 << 24).await?;
                    times.push(t.elapsed().as_secs_f64());
                }
            }
            for _ in 0..logins {
                let t = Instant::now();
                login(&site).await?;
                logs.push(t.elapsed().as_secs_f64());
            }
            let (a, s, l) = (median(&mut anon), median(&mut signed), median(&mut logs));
            Ok(format!(
                "fond bench sessions — {uri}, in-process, median of {runs}: anonymous {:.0} µs (the peer), \
                 logged in {:.0} µs ({:.2}× the peer: the session looked up by its token's hash); \
                 a login through the form (Argon2id, 19 MiB, 2 passes) {:.1} ms, median of {logins} ({:.0}× the peer)",
                a * 1e6,
                s * 1e6,
                s / a.max(1e-9),
                l * 1e3,
                l / a.max(1e-9)
            ))
        })
    })();
    let _ = std::fs::remove_dir_all(&copy);
    writeln!(out, "{}", result?)?;
    Ok(ExitCode::SUCCESS)
}
