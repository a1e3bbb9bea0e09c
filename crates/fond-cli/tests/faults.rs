//! Operational faults (issue #14, "nothing lost, nothing down"): two
//! writers, readers during writes, crashes between stages, a file that
//! yields no authority, files that are not regular files, names that are
//! not safe to print. Each test reproduces the fault first reported.

mod common;

use common::*;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

fn spawn(archive: &Path, args: &[&str]) -> std::process::Child {
    fond_command(archive, args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn fond")
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

fn ids(archive: &Path) -> Vec<String> {
    stdout(&fond(archive, &["list", "--json"]))
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["id"].as_str().map(str::to_string))
        .collect()
}

fn leftovers(archive: &Path) -> Vec<String> {
    std::fs::read_dir(archive)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n.starts_with("search.") || n.contains(".building"))
                .collect()
        })
        .unwrap_or_default()
}

/// Two `fond ingest` runs into one archive at once used to lose one
/// source. With the write lock the second waits; both are there, every
/// time.
#[test]
fn two_concurrent_ingests_keep_both_sources() {
    let tmp = tempfile::tempdir().expect("tmp");
    for round in 0..6 {
        let a = tmp.path().join(format!("archive{round}"));
        let x = tmp.path().join(format!("x{round}.xml"));
        let y = tmp.path().join(format!("y{round}.xml"));
        write(&x, &tei_letter(&format!("X{round}"), "first letter"));
        write(&y, &tei_letter(&format!("Y{round}"), "second letter"));
        // The first ingest of an archive and later ones race alike: half
        // the rounds start from an archive that already holds something.
        if round % 2 == 1 {
            let o = fond(
                &a,
                &["ingest", fixture("mini-edition.md").to_str().unwrap_or("")],
            );
            assert!(o.status.success(), "{}", stderr(&o));
        }
        let p1 = spawn(&a, &["ingest", x.to_str().unwrap_or("")]);
        let p2 = spawn(&a, &["ingest", y.to_str().unwrap_or("")]);
        let o1 = p1.wait_with_output().expect("wait");
        let o2 = p2.wait_with_output().expect("wait");
        assert!(o1.status.success(), "{}", stderr(&o1));
        assert!(o2.status.success(), "{}", stderr(&o2));
        let ids = ids(&a);
        assert!(
            ids.contains(&format!("example-org/X{round}")),
            "round {round}: {ids:?}"
        );
        assert!(
            ids.contains(&format!("example-org/Y{round}")),
            "round {round}: {ids:?}"
        );
    }
}

/// A second writer is told why it waits, and `--no-wait` fails at once.
#[test]
fn a_second_writer_waits_with_a_message_or_fails_with_no_wait() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let x = tmp.path().join("x.xml");
    write(&x, &tei_letter("X", "words"));
    assert!(fond(&a, &["ingest", x.to_str().unwrap_or("")])
        .status
        .success());
    // Hold the lock as another fond would.
    let held = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(a.join("fond.lock"))
        .expect("lock file");
    held.lock().expect("lock");
    let o = fond(&a, &["--no-wait", "ingest", x.to_str().unwrap_or("")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("another fond is writing"),
        "{}",
        stderr(&o)
    );
    // Readers do not wait.
    assert_eq!(ids(&a), vec!["example-org/X".to_string()]);
    let mut waiting = spawn(&a, &["ingest", x.to_str().unwrap_or("")]);
    let err = waiting.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let first = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("a message while waiting");
    assert!(
        first.contains("waiting for the archive: another fond is writing"),
        "{first}"
    );
    drop(held);
    assert!(waiting.wait().expect("wait").success());
}

/// `fond search` rebuilding an outdated index while ingests swap theirs
/// used to leave `search.old` / `search.building` behind, after which
/// search failed. Now every search answers and nothing is left.
#[test]
fn searches_during_ingests_leave_no_leftovers() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let mini = fixture("mini-edition.md");
    assert!(fond(&a, &["ingest", mini.to_str().unwrap_or("")])
        .status
        .success());
    let mut searches = 0;
    for round in 0..8 {
        let x = tmp.path().join(format!("r{round}.xml"));
        write(&x, &tei_letter(&format!("R{round}"), "grain and bread"));
        let writer = spawn(&a, &["ingest", x.to_str().unwrap_or("")]);
        // Readers meanwhile: each must answer, whatever state it catches.
        for _ in 0..3 {
            let o = fond(&a, &["search", "grain OR Petrov", "--json"]);
            assert!(o.status.success(), "round {round}: {}", stderr(&o));
            searches += 1;
        }
        let o = writer.wait_with_output().expect("wait");
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert_eq!(searches, 24);
    assert!(leftovers(&a).is_empty(), "{:?}", leftovers(&a));
    let o = fond(&a, &["search", "grain", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["total"], 8, "every ingested letter is searchable");
}

/// Leftovers of a build killed mid-way (no marker, tantivy's files) are
/// recognised and cleared by the next run, never fatal.
#[test]
fn leftovers_of_an_interrupted_index_build_are_cleared() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let mini = fixture("mini-edition.md");
    assert!(fond(&a, &["ingest", mini.to_str().unwrap_or("")])
        .status
        .success());
    write(&a.join("search.building/.tantivy-writer.lock"), "");
    write(&a.join("search.building/meta.json"), "{");
    write(&a.join("search.old/junk.idx"), "x");
    // And an index whose stamp is gone (a crash before the stamp).
    std::fs::remove_file(a.join("search/fond-archive.stamp")).expect("stamp");
    let o = fond(&a, &["search", "Petrov", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = fond(&a, &["index"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(leftovers(&a).is_empty(), "{:?}", leftovers(&a));
}

/// A crash after the edition's transaction, before its links: the next
/// command brings links and index back into agreement.
#[test]
fn a_crash_between_edition_and_links_is_repaired_at_the_next_open() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let mini = fixture("mini-edition.md");
    let o = fond_command(&a, &["ingest", mini.to_str().unwrap_or("")])
        .env("FOND_FAULT_ABORT_AT", "links")
        .output()
        .expect("run");
    assert!(!o.status.success(), "aborted after the edition");
    let o = fond(&a, &["people", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).trim().is_empty(), "the people are back");
    let o = fond(&a, &["search", "Petrov", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert!(v["total"].as_u64().unwrap_or(0) > 0, "{v}");
}

/// A book-shaped file without a Glossary of Names used to take the
/// authority away from the archive (linking failed, exit 2, people gone).
#[test]
fn a_small_markdown_file_does_not_poison_the_archive() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let mini = fixture("mini-edition.md");
    assert!(fond(&a, &["ingest", mini.to_str().unwrap_or("")])
        .status
        .success());
    let people_before = stdout(&fond(&a, &["people", "--json"]));
    assert!(!people_before.trim().is_empty());
    // Named to sort first, as the reported file did.
    let md = tmp.path().join("a.md");
    write(&md, "# Contents\n\nLetter 1\n\nhello\n");
    let o = fond(&a, &["ingest", md.to_str().unwrap_or("")]);
    assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = fond(&a, &["people", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), people_before, "the authority is intact");
    assert!(fond(&a, &["search", "Petrov"]).status.success());
    // And the file can be taken out again.
    let o = fond(&a, &["remove", "a.md"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&fond(&a, &["list", "--json"])).contains("\"a.md\""));
}

/// The reported case, beside the reference corpus.
#[test]
fn a_tiny_markdown_file_beside_the_corpus() {
    let Some(c) = corpus() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    assert!(fond(&a, &["ingest", c.to_str().unwrap_or("")])
        .status
        .success());
    let md = tmp.path().join("a.md");
    write(&md, "# Contents\n\nLetter 1\n\nhello\n");
    let o = fond(&a, &["ingest", md.to_str().unwrap_or("")]);
    assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = fond(&a, &["person", "Bukharin"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Bukharin"));
    let o = fond(&a, &["search", "mentions:Bukharin grain", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert!(v["total"].as_u64().unwrap_or(0) > 0);
    assert!(fond(&a, &["kwic", "Bukharin"]).status.success());
}

/// Files of one name in two folders are two sources; re-ingesting a
/// changed file replaces that file only; `fond remove` takes one out.
#[test]
fn same_name_files_in_two_folders_are_two_sources() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let root = tmp.path().join("letters");
    write(&root.join("a/x.xml"), &tei_letter("A1", "from folder a"));
    write(&root.join("b/x.xml"), &tei_letter("B1", "from folder b"));
    let o = fond(&a, &["ingest", root.to_str().unwrap_or(""), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("a/x.xml (tei)") && out.contains("b/x.xml (tei)"),
        "{out}"
    );
    assert_eq!(ids(&a), vec!["example-org/A1", "example-org/B1"]);
    // A changed file replaces itself only.
    write(&root.join("b/x.xml"), &tei_letter("B2", "changed"));
    assert!(fond(&a, &["ingest", root.to_str().unwrap_or("")])
        .status
        .success());
    assert_eq!(ids(&a), vec!["example-org/A1", "example-org/B2"]);
    let o = fond(&a, &["remove", "a/x.xml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(ids(&a), vec!["example-org/B2"]);
    // An archive that holds a file under its bare name (as folders were
    // named before) gets it under its folder name, not twice.
    let b = tmp.path().join("older");
    let ax = root.join("a/x.xml");
    assert!(fond(&b, &["ingest", ax.to_str().unwrap_or("")])
        .status
        .success());
    assert!(fond(&b, &["ingest", root.to_str().unwrap_or("")])
        .status
        .success());
    assert_eq!(ids(&b), vec!["example-org/A1", "example-org/B2"]);
    let o = fond(&a, &["remove", "nothing.xml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("b/x.xml"), "{}", stderr(&o));
}

/// A FIFO used to hang the ingest; `/dev/zero` passed the size check
/// (its size reads 0); a symlink out of the folder was followed and its
/// first line echoed.
#[cfg(unix)]
#[test]
fn only_regular_files_inside_the_root_are_read() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let root = tmp.path().join("in");
    write(&root.join("good.xml"), &tei_letter("G", "fine"));
    let fifo = root.join("pipe.txt");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let secret = tmp.path().join("outside.txt");
    write(&secret, "SECRET-FIRST-LINE\n");
    std::os::unix::fs::symlink(&secret, root.join("link.txt")).expect("symlink");
    std::os::unix::fs::symlink("/dev/zero", root.join("zero.txt")).expect("symlink");
    let o = fond(&a, &["ingest", root.to_str().unwrap_or("")]);
    let err = stderr(&o);
    let out = stdout(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.contains("pipe.txt: a named pipe (FIFO)"), "{out}");
    assert!(
        out.contains("link.txt: a symbolic link to outside"),
        "{out}"
    );
    assert!(
        out.contains("zero.txt: a symbolic link to outside"),
        "{out}"
    );
    assert!(!out.contains("SECRET") && !err.contains("SECRET"));
    assert_eq!(ids(&a), vec!["example-org/G"]);
    // Named directly, a device is skipped too, and never read.
    let o = fond(&a, &["ingest", "/dev/zero"]);
    assert!(stdout(&o).contains("/dev/zero: a device"), "{}", stdout(&o));
}

/// Control characters in a file name are escaped in every message.
#[test]
fn control_characters_in_names_are_escaped() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let bad = tmp.path().join("evil\u{1b}]0;pwned\u{7}.txt");
    write(&bad, "\u{1b}[2J not a known shape\n");
    let o = fond(&a, &["ingest", bad.to_str().unwrap_or("")]);
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(!all.contains('\u{1b}') && !all.contains('\u{7}'), "{all:?}");
    assert!(all.contains("evil\\u{1b}]0;pwned\\u{7}.txt"), "{all}");
}

/// A TEI file with no text gave 0 documents, exit 0 and no word.
#[test]
fn a_tei_file_without_text_is_reported() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let f = tmp.path().join("empty.xml");
    write(
        &f,
        r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Nothing</title></titleStmt></fileDesc></teiHeader></TEI>"#,
    );
    let o = fond(&a, &["ingest", f.to_str().unwrap_or("")]);
    assert!(
        stderr(&o).contains("empty.xml: no document found in it"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("warnings: 1"), "{}", stdout(&o));
}

/// The reading room, started on the fixture edition under `prlimit` with
/// `nofile` descriptors; its address and the child.
#[cfg(target_os = "linux")]
fn serve_limited(archive: &Path, nofile: u32) -> Option<(String, std::process::Child)> {
    if !fond_test_support::program_available("prlimit", "--version") {
        return None;
    }
    let mini = fixture("mini-edition.md");
    assert!(fond(archive, &["ingest", mini.to_str().unwrap_or("")])
        .status
        .success());
    let mut child = Command::new("prlimit")
        .arg(format!("--nofile={nofile}:{nofile}"))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_fond"))
        .arg("--archive")
        .arg(archive)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env_remove("FOND_ARCHIVE")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let err = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("open at http://").nth(1) {
                let _ = tx.send(rest.trim_end_matches('/').to_string());
            }
        }
    });
    match rx.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(addr) => Some((addr, child)),
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the reading room did not start");
        }
    }
}

#[cfg(target_os = "linux")]
fn http_get(addr: &str, path: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

/// ~1,000 idle half-sent requests under `ulimit -n 1024` used to kill the
/// reading room (`accept` failed with EMFILE, the back-off needed timers
/// the runtime did not have: a panic). Here 1,100 half-open connections
/// against a process allowed 256 descriptors: it stays up, and serves a
/// normal request after.
#[cfg(target_os = "linux")]
#[test]
fn the_reading_room_survives_running_out_of_descriptors() {
    use std::io::Write;
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let Some((addr, mut child)) = serve_limited(&a, 256) else {
        return;
    };
    let sock: std::net::SocketAddr = addr.parse().expect("address");
    let mut held = Vec::new();
    for _ in 0..1100 {
        if let Ok(mut s) =
            std::net::TcpStream::connect_timeout(&sock, std::time::Duration::from_secs(2))
        {
            let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            held.push(s);
        }
    }
    let alive_while_flooded = child.try_wait().ok().flatten().is_none();
    drop(held);
    // Served again once the flood is gone (the server may still be
    // closing what it had accepted: a few tries).
    let mut page = None;
    for _ in 0..60 {
        if let Some(p) = http_get(&addr, "/doc/letters-to-petrov/1") {
            if p.starts_with("HTTP/1.1 200") {
                page = Some(p);
                break;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    let alive_after = child.try_wait().ok().flatten().is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(alive_while_flooded, "the server died under the flood");
    assert!(alive_after, "the server died after the flood");
    let page = page.expect("a normal request is served after the flood");
    assert!(page.contains("x-content-type-options: nosniff"), "{page}");
}

/// A half-sent request does not hold its connection: the header-read
/// timeout closes it.
#[cfg(target_os = "linux")]
#[test]
fn a_half_sent_request_is_closed_by_the_header_timeout() {
    use std::io::{Read, Write};
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let Some((addr, mut child)) = serve_limited(&a, 1024) else {
        return;
    };
    let mut s = std::net::TcpStream::connect(&addr).expect("connect");
    s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .expect("write");
    // Far longer than the header timeout: the read ends because the
    // server closed, not because this one gave up.
    s.set_read_timeout(Some(std::time::Duration::from_secs(120)))
        .expect("timeout");
    let mut buf = Vec::new();
    let r = s.read_to_end(&mut buf);
    // And a foreign Host is refused while the reading room answers its own.
    let foreign = {
        let mut s = std::net::TcpStream::connect(&addr).expect("connect");
        let _ = write!(
            s,
            "GET / HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n"
        );
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    };
    let _ = child.kill();
    let _ = child.wait();
    assert!(r.is_ok(), "the server closed the connection: {r:?}");
    assert!(foreign.starts_with("HTTP/1.1 421"), "{foreign}");
}

/// Binding a non-loopback address is said out loud.
#[test]
fn a_non_loopback_address_is_warned_about() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let mini = fixture("mini-edition.md");
    assert!(fond(&a, &["ingest", mini.to_str().unwrap_or("")])
        .status
        .success());
    let mut child = spawn(&a, &["serve", "--addr", "0.0.0.0:0"]);
    let err = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            let open = line.contains("open at http://");
            let _ = tx.send(line);
            if open {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    while let Ok(l) = rx.recv_timeout(std::time::Duration::from_secs(60)) {
        let open = l.contains("open at http://");
        lines.push(l);
        if open {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let all = lines.join("\n");
    assert!(all.contains("not a loopback address"), "{all}");
    assert!(all.contains("open at http://"), "{all}");
}

/// `kill -9` at 50 pseudo-random points of an ingest (reading, the
/// edition's transaction, linking, indexing, the index swap): after each,
/// the next command works, and edition, links and index agree — every
/// letter the edition holds is found by the search, none that it does not,
/// and the people of the glossary are linked.
#[test]
fn kill_9_at_random_points_of_ingest_loses_nothing() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let mini = fixture("mini-edition.md");
    assert!(fond(&a, &["ingest", mini.to_str().unwrap_or("")])
        .status
        .success());
    let people = stdout(&fond(&a, &["people", "--json"])).lines().count();
    assert!(people > 0);
    // How long one such ingest takes on this machine now: the kills fall
    // at fractions of it, so they land inside the work however fast or
    // loaded the machine is.
    let cal = tmp.path().join("calibration.xml");
    write(&cal, &tei_letter("Kcal", "grain quota"));
    let t0 = std::time::Instant::now();
    assert!(fond(&a, &["ingest", cal.to_str().unwrap_or("")])
        .status
        .success());
    let span_ms = (t0.elapsed().as_millis() as u64).max(20);
    // A fixed sequence of fractions, so a failure can be replayed.
    let mut seed: u64 = 0x5eed_f00d;
    let mut next_delay = || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        // 0 to 1.2 times the measured span.
        ((seed >> 33) % 1200) * span_ms / 1000
    };
    let mut killed_midway = 0;
    for round in 0..50 {
        let x = tmp.path().join(format!("k{round}.xml"));
        write(&x, &tei_letter(&format!("K{round}"), "grain quota"));
        let mut child = spawn(&a, &["ingest", x.to_str().unwrap_or("")]);
        std::thread::sleep(std::time::Duration::from_millis(next_delay()));
        if child.try_wait().ok().flatten().is_none() {
            killed_midway += 1;
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        // The next command works (and repairs what the kill left).
        let o = fond(&a, &["search", "grain", "--json", "--limit", "1000"]);
        assert!(o.status.success(), "round {round}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
        let mut found: Vec<String> = v["hits"]
            .as_array()
            .map(|h| {
                h.iter()
                    .filter_map(|x| x["id"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        found.sort();
        let mut held: Vec<String> = ids(&a)
            .into_iter()
            .filter(|id| id.starts_with("example-org/"))
            .collect();
        held.sort();
        assert_eq!(found, held, "round {round}: index and edition disagree");
        assert_eq!(
            stdout(&fond(&a, &["people", "--json"])).lines().count(),
            people,
            "round {round}: the links are whole"
        );
        assert!(
            leftovers(&a).is_empty(),
            "round {round}: {:?}",
            leftovers(&a)
        );
    }
    // The delays reach into the work, not only before or after it.
    assert!(killed_midway > 10, "{killed_midway} of 50 killed midway");
}

/// Between a writer's edition and its links the people are missing; a
/// reader that needs them waits for the writer (saying so) instead of
/// seeing that, and then finds them.
#[test]
fn a_reader_waits_for_the_links_instead_of_seeing_none() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let mini = fixture("mini-edition.md");
    // An edition written, its links not yet.
    let o = fond_command(&a, &["ingest", mini.to_str().unwrap_or("")])
        .env("FOND_FAULT_ABORT_AT", "links")
        .output()
        .expect("run");
    assert!(!o.status.success());
    // A writer at work (this test holds its lock).
    let held = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(a.join("fond.lock"))
        .expect("lock file");
    held.lock().expect("lock");
    let mut reader = fond_command(&a, &["people", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let err = reader.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let first = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("a message while waiting");
    assert!(first.contains("waiting for the archive"), "{first}");
    assert!(reader.try_wait().ok().flatten().is_none(), "it waits");
    drop(held);
    let out = reader.wait_with_output().expect("wait");
    assert!(out.status.success());
    assert!(
        !String::from_utf8_lossy(&out.stdout).trim().is_empty(),
        "the people, once the links are made"
    );
}
