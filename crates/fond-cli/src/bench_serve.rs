//! `fond bench serve`: the reading room under load from `wrk`, beside
//! nginx serving the same rendered page as a static file in the same run
//! (the floor for answering a request with that many bytes on loopback).

use anyhow::{bail, Context, Result};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::Duration;

struct Load {
    rps: f64,
    p50: String,
    p99: String,
    /// Responses other than 2xx/3xx (503s from a full pool).
    non_2xx: u64,
}

fn run_wrk(wrk: &str, url: &str, seconds: u32, connections: u32) -> Result<Load> {
    let out = Command::new(wrk)
        .args([
            "-t2",
            &format!("-c{connections}"),
            &format!("-d{seconds}s"),
            "--latency",
            url,
        ])
        .output()
        .with_context(|| format!("running {wrk} (apt-get install wrk)"))?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let field = |prefix: &str| -> Option<String> {
        text.lines()
            .map(str::trim)
            .find(|l| l.starts_with(prefix))
            .and_then(|l| l.split_whitespace().last().map(str::to_string))
    };
    let rps = field("Requests/sec:").and_then(|v| v.parse::<f64>().ok());
    match rps {
        Some(rps) => Ok(Load {
            rps,
            p50: field("50%").unwrap_or_else(|| "?".into()),
            p99: field("99%").unwrap_or_else(|| "?".into()),
            non_2xx: field("Non-2xx or 3xx responses:")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
        }),
        None => bail!("wrk said nothing usable about {url}: {text}"),
    }
}

fn http_get(addr: &str, path: &str) -> Result<String> {
    let mut s = std::net::TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok(body)
}

/// The search under load: a name in any spelling, a word, a year, with
/// facets and snippets, as the search page asks for it.
const SEARCH_PATH: &str = "/api/v1/search?q=mentions%3ABukharin+grain+year%3A1929";

/// An expensive search for the abuse run: prefixes and near spellings
/// that expand to many terms, every facet.
const EXPENSIVE_PATH: &str =
    "/api/v1/search?q=%28a*+OR+e*+OR+o*+OR+s*+OR+t*%29+%28Molotov~2+OR+Stalin~2+OR+grain~2%29&limit=100";

/// The abuse beside the load: one client holding `idle` half-open
/// connections (re-opened as the header timeout closes them) and
/// `searches` expensive searches always in flight. Stops when `stop` is set.
fn abuse(
    addr: std::net::SocketAddr,
    idle: usize,
    searches: usize,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> Vec<std::thread::JoinHandle<()>> {
    use std::sync::atomic::Ordering;
    let mut threads = Vec::new();
    let flag = stop.clone();
    threads.push(std::thread::spawn(move || {
        while !flag.load(Ordering::Relaxed) {
            let mut held = Vec::with_capacity(idle);
            for _ in 0..idle {
                if let Ok(mut s) =
                    std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(1))
                {
                    let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
                    held.push(s);
                }
            }
            // Hold them a while, then open a fresh set (the server closes
            // them at its header timeout).
            for _ in 0..50 {
                if flag.load(Ordering::Relaxed) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }));
    for _ in 0..searches {
        let flag = stop.clone();
        threads.push(std::thread::spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                if http_get(&addr.to_string(), EXPENSIVE_PATH).is_err() {
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        }));
    }
    threads
}

pub fn bench(
    archive: &Path,
    doc: &str,
    wrk: &str,
    nginx: &str,
    seconds: u32,
    connections: u32,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let store = fond_store::Archive::open_existing(archive).with_context(|| {
        format!(
            "{}: no archive; run `fond ingest ../shared/corpus` first",
            archive.display()
        )
    })?;
    let site = fond_web::Site::load(archive, crate::restrict::profile_settings(&store)?)?;
    let site = site.with_search(crate::search::open_index(archive, &store)?);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
        let _ = fond_web::serve(site, addr, |bound| {
            let _ = tx.send(bound);
        });
    });
    let fond_addr = rx
        .recv_timeout(Duration::from_secs(30))
        .context("the reading room did not start")?;
    let page_path = format!("/doc/{doc}");
    let page = http_get(&fond_addr.to_string(), &page_path)?;
    if page.is_empty() {
        bail!("{page_path} answered nothing");
    }

    // nginx serving the same bytes from a file.
    let dir = std::env::temp_dir().join(format!("fond-bench-serve-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("logs"))?;
    std::fs::write(dir.join("doc.html"), &page)?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let conf = format!(
        "worker_processes 2;\ndaemon off;\npid {d}/nginx.pid;\nerror_log {d}/logs/error.log;\n\
         events {{ worker_connections 1024; }}\nhttp {{ access_log off; \
         client_body_temp_path {d}; proxy_temp_path {d}; fastcgi_temp_path {d}; uwsgi_temp_path {d}; scgi_temp_path {d};\n\
         server {{ listen 127.0.0.1:{port}; root {d}; location / {{ default_type text/html; }} }} }}\n",
        d = dir.display()
    );
    std::fs::write(dir.join("nginx.conf"), conf)?;
    let mut peer = Command::new(nginx)
        .args([
            "-p",
            &dir.display().to_string(),
            "-c",
            &dir.join("nginx.conf").display().to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {nginx} (apt-get install nginx-light)"))?;
    std::thread::sleep(Duration::from_millis(500));

    writeln!(
        out,
        "fond bench serve — wrk -t2 -c{connections} -d{seconds}s on loopback; peer: nginx serving the same page as a file"
    )?;
    writeln!(out, "page: {page_path} ({} bytes)", page.len())?;
    let results = (|| -> Result<Vec<(String, Load)>> {
        Ok(vec![
            (
                "fond: document page".into(),
                run_wrk(
                    wrk,
                    &format!("http://{fond_addr}{page_path}"),
                    seconds,
                    connections,
                )?,
            ),
            (
                "fond: document API".into(),
                run_wrk(
                    wrk,
                    &format!("http://{fond_addr}/api/v1/documents/{doc}"),
                    seconds,
                    connections,
                )?,
            ),
            (
                "fond: search API".into(),
                run_wrk(
                    wrk,
                    &format!("http://{fond_addr}{SEARCH_PATH}"),
                    seconds,
                    connections,
                )?,
            ),
            (
                "fond: search page".into(),
                run_wrk(
                    wrk,
                    &format!(
                        "http://{fond_addr}{}",
                        SEARCH_PATH.replace("/api/v1/search", "/search")
                    ),
                    seconds,
                    connections,
                )?,
            ),
            {
                // The abuse run: the same page while another client holds
                // 1,000 half-open connections and 32 expensive searches
                // are in flight.
                let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
                let threads = abuse(fond_addr, 1000, 32, stop.clone());
                std::thread::sleep(Duration::from_millis(500));
                let load = run_wrk(
                    wrk,
                    &format!("http://{fond_addr}{page_path}"),
                    seconds,
                    connections,
                );
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
                for t in threads {
                    let _ = t.join();
                }
                ("fond: page under abuse".into(), load?)
            },
            (
                "nginx: the same page".into(),
                run_wrk(
                    wrk,
                    &format!("http://127.0.0.1:{port}/doc.html"),
                    seconds,
                    connections,
                )?,
            ),
        ])
    })();
    // `nginx -s quit` lets the master take its workers down with it; a
    // killed master would leave them running.
    let stopped = Command::new(nginx)
        .args([
            "-p",
            &dir.display().to_string(),
            "-c",
            &dir.join("nginx.conf").display().to_string(),
            "-s",
            "quit",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !stopped {
        let _ = peer.kill();
    }
    let _ = peer.wait();
    let _ = std::fs::remove_dir_all(&dir);
    let results = results?;
    writeln!(
        out,
        "{:<24} {:>12} {:>10} {:>10} {:>10} {:>10}",
        "run", "req/s", "2xx/s", "p50", "p99", "non-2xx"
    )?;
    for (name, l) in &results {
        writeln!(
            out,
            "{:<24} {:>12.0} {:>10.0} {:>10} {:>10} {:>10}",
            name,
            l.rps,
            (l.rps - l.non_2xx as f64 / f64::from(seconds.max(1))).max(0.0),
            l.p50,
            l.p99,
            l.non_2xx
        )?;
    }
    writeln!(
        out,
        "fond's page at {:.0}% of nginx's rate (targets: ≥ 3,000 req/s for pages, p99 < 50 ms); \
         under abuse (1,000 half-open connections, 32 expensive searches in flight) at {:.0}% of its quiet rate",
        100.0 * results[0].1.rps / results[5].1.rps.max(1.0),
        100.0 * results[4].1.rps / results[0].1.rps.max(1.0)
    )?;
    writeln!(
        out,
        "search: {SEARCH_PATH} (targets: ≥ 1,000 req/s, p99 < 50 ms)"
    )?;
    Ok(ExitCode::SUCCESS)
}
