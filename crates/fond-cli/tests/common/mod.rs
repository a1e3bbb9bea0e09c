//! What the CLI test files share: running the binary, the fixtures, the
//! corpus (skipped with a message when absent), a reading room served
//! on loopback with an editor logged in.
#![allow(dead_code)] // Each test file uses its own part.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// The binary on an archive, with nothing of the caller's environment that
/// would change what it does (an archive named elsewhere, a planted fault).
pub fn fond_command(archive: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_fond"));
    c.arg("--archive")
        .arg(archive)
        .args(args)
        .env_remove("FOND_ARCHIVE")
        .env_remove("FOND_FAULT_ABORT_AFTER")
        .env_remove("FOND_FAULT_ABORT_AT");
    c
}

pub fn fond(archive: &Path, args: &[&str]) -> Output {
    fond_command(archive, args).output().expect("run fond")
}

/// A new archive with the small edition (`tests/fixtures/mini-edition.md`)
/// ingested, in a temporary folder kept as long as the `TempDir` lives.
pub fn mini_archive() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let o = fond(
        &a,
        &[
            "ingest",
            fixture("mini-edition.md").to_str().unwrap_or_default(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    (tmp, a)
}

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn corpus() -> Option<PathBuf> {
    let p = fond_test_support::corpus("");
    fond_test_support::path_available(&p.join("letters-to-molotov-1925-1936.book.md")).then_some(p)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

pub fn db_bytes(archive: &Path) -> Vec<u8> {
    std::fs::read(archive.join("fond.sqlite")).expect("archive file")
}

/// A small TEI letter of its own collection (`example-org/ID`), with
/// `words` as its text.
pub fn tei_letter(id: &str, words: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{id}">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Letter {id}</title></titleStmt>
      <publicationStmt><publisher>Example</publisher><idno type="URLWeb">https://example.org/{id}</idno></publicationStmt>
      <sourceDesc><p>test</p></sourceDesc>
    </fileDesc>
    <profileDesc>
      <correspDesc>
        <correspAction type="sent"><persName>Humboldt, Alexander von</persName><date when="1848-05-26"/></correspAction>
        <correspAction type="received"><persName>Kunth, Carl</persName></correspAction>
      </correspDesc>
    </profileDesc>
  </teiHeader>
  <text><body><p>{words}</p></body></text>
</TEI>
"#
    )
}

/// A `fond serve` started by the test, stopped when dropped (a failing
/// assertion too).
pub struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `fond serve` on a free loopback port; the server and its address.
pub fn serve(archive: &Path) -> (Server, String) {
    let mut child = fond_command(archive, &["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn fond serve");
    let err = child.stderr.take().expect("stderr");
    let server = Server(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("open at http://").nth(1) {
                let _ = tx.send(rest.trim_end_matches('/').to_string());
            }
        }
    });
    let addr = rx
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("the reading room starts");
    (server, addr)
}

/// One HTTP/1.1 exchange: the status, the headers (names in lower case)
/// and the body.
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    cookie: &str,
    form: &str,
) -> (u16, Vec<(String, String)>, String) {
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .expect("timeout");
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if !cookie.is_empty() {
        req.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if method == "POST" {
        req.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            form.len()
        ));
    }
    req.push_str("\r\n");
    req.push_str(form);
    s.write_all(req.as_bytes()).expect("send");
    let mut raw = String::new();
    s.read_to_string(&mut raw).expect("answer");
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, body.to_string())
}

/// The value the answer sets the cookie `name` to.
pub fn set_cookie(headers: &[(String, String)], name: &str) -> String {
    headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .filter_map(|(_, v)| v.split(';').next()?.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .unwrap_or_else(|| panic!("no {name} cookie in {headers:?}"))
}

/// The first form token of a page.
pub fn csrf(body: &str) -> String {
    regex::Regex::new(r#"name="csrf" value="([0-9a-f]+)""#)
        .expect("regex")
        .captures(body)
        .map(|c| c[1].to_string())
        .unwrap_or_else(|| panic!("no form token in {body}"))
}

/// The password of the editors' accounts the tests add.
pub const EDITOR_PASSWORD: &str = "queue password 1848";

/// Adds an editor's account (`fond user add NAME --role editor`).
pub fn add_editor(archive: &Path, name: &str) {
    let mut add = fond_command(
        archive,
        &["user", "add", name, "--role", "editor", "--password-stdin"],
    )
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("fond user add");
    if let Some(mut input) = add.stdin.take() {
        writeln!(input, "{EDITOR_PASSWORD}").expect("password");
    }
    let o = add.wait_with_output().expect("fond user add");
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Logs an account of [`add_editor`] in at the reading room: the session
/// cookie to send.
pub fn log_in(addr: &str, name: &str) -> String {
    let (_, headers, body) = http(addr, "GET", "/login", "", "");
    let pre = format!(
        "{}={}",
        fond_web::PRE_COOKIE,
        set_cookie(&headers, fond_web::PRE_COOKIE)
    );
    let form = format!(
        "name={name}&password={}&csrf={}",
        EDITOR_PASSWORD.replace(' ', "+"),
        csrf(&body)
    );
    let (status, headers, _) = http(addr, "POST", "/login", &pre, &form);
    assert_eq!(status, 303, "{name} logs in");
    format!(
        "{}={}",
        fond_web::SESSION_COOKIE,
        set_cookie(&headers, fond_web::SESSION_COOKIE)
    )
}
