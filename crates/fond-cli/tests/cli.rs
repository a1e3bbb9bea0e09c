//! The `fond` binary as a user runs it: ingest, re-ingest, interrupted
//! ingest, bad input, list, show, check.

mod common;

use common::{corpus, db_bytes, fixture, fond, fond_command, mini_archive, stderr, stdout};
use std::path::PathBuf;
use std::process::Command;

#[test]
fn the_small_edition_reads_as_printed() {
    let (_tmp, a) = mini_archive();
    let list = stdout(&fond(&a, &["list", "--json"]));
    let docs: Vec<serde_json::Value> = list
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    let ids: Vec<&str> = docs.iter().filter_map(|d| d["id"].as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "letters-to-petrov/front-matter",
            "letters-to-petrov/preface",
            "letters-to-petrov/chapter/1925",
            "letters-to-petrov/1",
            "letters-to-petrov/2",
            "letters-to-petrov/glossary-of-names"
        ]
    );
    let one = &docs[3];
    assert_eq!(one["date"]["editorial"], "12 July 1925");
    assert_eq!(one["date"]["written"], "Rostov 7/12");
    assert_eq!(one["date"]["earliest"], "1925-07-12");
    assert_eq!(one["place"], "Rostov");
    assert_eq!(one["senders"], serde_json::json!(["Ivanov"]));
    assert_eq!(one["addressees"], serde_json::json!(["Petrov"]));
    assert_eq!(one["note_count"], 2);
    assert_eq!(
        one["archival_refs"],
        serde_json::json!(["RTsKhIDNI f. 17, op. 162, d. 2, l. 3"])
    );
    let two = &docs[4];
    assert_eq!(two["date"]["edtf"], "1925-08-06/..");
    assert_eq!(two["date"]["latest"], serde_json::Value::Null);
    assert_eq!(two["date"]["disagreement"], true);
    assert_eq!(two["addressees"], serde_json::json!(["Petrov", "Sidorov"]));

    let show: serde_json::Value = serde_json::from_str(&stdout(&fond(
        &a,
        &["show", "letters-to-petrov/1", "--json"],
    )))
    .expect("show json");
    let body = show["body_text"].as_str().unwrap_or_default();
    assert!(
        body.contains("The harvest is good and very good [1.8 tons]."),
        "{body}"
    );
    assert!(!body.contains("notation by Petrov"));
    assert_eq!(show["notes"][0]["by"], "editors");
    assert_eq!(show["notes"][1]["special_file"], true);
    assert_eq!(show["notes"][1]["cross_refs"][0]["letter"], 2);
    let roles: Vec<&str> = show["body"]
        .as_array()
        .map(|b| b.iter().filter_map(|x| x["role"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        roles,
        vec![
            "dateline",
            "salutation",
            "point",
            "point",
            "closing",
            "signature",
            "postscript"
        ]
    );
    let emph: Vec<u64> = show["body"][2]["inlines"]
        .as_array()
        .map(|v| v.iter().filter_map(|i| i["level"].as_u64()).collect())
        .unwrap_or_default();
    assert_eq!(emph, vec![1, 2]);

    let intro: serde_json::Value = serde_json::from_str(&stdout(&fond(
        &a,
        &["show", "letters-to-petrov/chapter/1925", "--json"],
    )))
    .expect("json");
    assert_eq!(
        intro["body_text"]
            .as_str()
            .map(|s| s.contains("The matter went on to the Politburo.")),
        Some(true)
    );
    assert_eq!(
        intro["notes"][1]["archival_refs"][0],
        "RTsKhIDNI f. 17, op. 3, d. 6, ll. 2-3"
    );
    assert_eq!(intro["notes"][0]["relocated"], true);

    let check = stdout(&fond(&a, &["check"]));
    assert!(
        check.contains("repeats a reference made before this document"),
        "{check}"
    );
    assert!(check.contains("date-disagreement"), "{check}");
    assert!(check.contains("repaired-page-break"), "{check}");

    let shown = stdout(&fond(&a, &["show", "1"]));
    insta::assert_snapshot!("show_letter_1_of_the_small_edition", shown);

    // The JSON contract (`fond_web::contract`, shared with the API): the
    // whole document and a list line, field by field.
    let json = stdout(&fond(&a, &["show", "1", "--json"]));
    insta::assert_snapshot!("show_json_letter_1_of_the_small_edition", json);
    let line = list
        .lines()
        .find(|l| l.contains("\"letters-to-petrov/1\""))
        .unwrap_or_default();
    insta::assert_snapshot!("list_json_letter_1_of_the_small_edition", line);
    // A person, in the same contract `fond person --json` and the API start
    // from.
    let people = stdout(&fond(&a, &["people", "--json"]));
    let first = people.lines().next().unwrap_or_default();
    insta::assert_snapshot!("people_json_first_person_of_the_small_edition", first);
}

#[test]
fn bad_input_is_named_and_the_rest_goes_in() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let args: Vec<String> = [
        "mini-edition.md",
        "empty.txt",
        "latin1.txt",
        "binary.bin",
        "unknown-shape.txt",
    ]
    .iter()
    .map(|f| fixture(f).display().to_string())
    .collect();
    let mut all = vec!["ingest"];
    all.extend(args.iter().map(|s| s.as_str()));
    let o = fond(&a, &all);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a failed file makes the exit code say so"
    );
    let err = stderr(&o);
    assert!(err.contains("empty.txt: the file is empty"), "{err}");
    assert!(err.contains("latin1.txt:1: not UTF-8"), "{err}");
    assert!(err.contains("binary.bin:1: binary data"), "{err}");
    // A UTF-8 text with no letter in it is never refused: it is kept
    // whole, and the editor is told why.
    assert!(!err.contains("unknown-shape.txt"), "{err}");
    let list = stdout(&fond(&a, &["list", "--json"]));
    assert_eq!(list.lines().count(), 7, "the good files went in");
    assert!(list.contains("\"kind\":\"text\""), "{list}");
    let check = stdout(&fond(&a, &["check"]));
    assert!(check.contains("kept whole as one text"), "{check}");
    let o = fond(&a, &["list", "--kind", "letterz"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("unknown kind \"letterz\""));
    let o = fond(&tmp.path().join("nowhere"), &["list"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("fond ingest"), "{}", stderr(&o));
}

#[test]
fn reingest_changes_nothing_byte_for_byte() {
    let Some(c) = corpus() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let c = c.display().to_string();
    let o = fond(&a, &["ingest", &c]);
    assert!(o.status.success(), "{}", stderr(&o));
    let db1 = db_bytes(&a);
    let list1 = stdout(&fond(&a, &["list", "--json"]));
    let show1 = stdout(&fond(&a, &["show", "letters-to-molotov/31", "--json"]));
    let o = fond(&a, &["ingest", &c]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("unchanged"));
    assert_eq!(db_bytes(&a), db1, "the archive file is byte-identical");
    assert_eq!(stdout(&fond(&a, &["list", "--json"])), list1);
    assert_eq!(
        stdout(&fond(&a, &["show", "letters-to-molotov/31", "--json"])),
        show1
    );
    // A fresh archive from the same sources gives the same output too.
    let b = tmp.path().join("again");
    assert!(fond(&b, &["ingest", &c]).status.success());
    assert_eq!(stdout(&fond(&b, &["list", "--json"])), list1);
}

#[test]
fn an_interrupted_ingest_loses_nothing() {
    let Some(c) = corpus() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let book = c
        .join("letters-to-molotov-1925-1936.book.md")
        .display()
        .to_string();
    assert!(fond(&a, &["ingest", &book]).status.success());
    let before = stdout(&fond(&a, &["list", "--json"]));
    let check_before = stdout(&fond(&a, &["check", "--json"]));
    // Adding the web transcription changes the edition; kill the process
    // inside the write transaction.
    let web = c
        .join("letters-to-molotov-31-38.web.txt")
        .display()
        .to_string();
    let o = fond_command(&a, &["ingest", &web])
        .env("FOND_FAULT_ABORT_AFTER", "40")
        .output()
        .expect("run");
    assert!(!o.status.success(), "the process was aborted mid-write");
    assert_eq!(
        stdout(&fond(&a, &["list", "--json"])),
        before,
        "the previous archive is intact"
    );
    assert_eq!(stdout(&fond(&a, &["check", "--json"])), check_before);
    // And the next run completes the work.
    assert!(fond(&a, &["ingest", &web]).status.success());
    let after = stdout(&fond(&a, &["list", "--json"]));
    assert_ne!(after, before);
    assert!(after.contains("letters-to-molotov-31-38.web.txt"));
}

#[test]
fn list_filters() {
    let Some(c) = corpus() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    assert!(fond(&a, &["ingest", &c.display().to_string()])
        .status
        .success());
    let count = |args: &[&str]| stdout(&fond(&a, args)).lines().count();
    assert_eq!(
        count(&[
            "list",
            "--json",
            "--kind",
            "coded-telegram",
            "--year",
            "1926"
        ]),
        7
    );
    assert_eq!(count(&["list", "--json", "--to", "Bukharin"]), 4);
    assert!(count(&["list", "--json", "--year", "1930", "--kind", "letter"]) >= 15);
    let table = stdout(&fond(&a, &["list", "--from", "Tovstukha"]));
    assert!(table.contains("letters-to-molotov/18"), "{table}");
}

#[test]
fn an_archive_from_a_newer_fond_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let edition = fixture("mini-edition.md").display().to_string();
    assert!(fond(&a, &["ingest", &edition]).status.success());
    {
        let conn = rusqlite::Connection::open(a.join("fond.sqlite")).expect("open");
        conn.pragma_update(None, "user_version", 99).expect("bump");
    }
    let before = db_bytes(&a);
    for args in [vec!["list"], vec!["ingest", edition.as_str()]] {
        let o = fond(&a, &args);
        assert!(!o.status.success(), "{args:?} must refuse");
        let err = stderr(&o);
        assert!(err.contains("upgrade fond"), "{err}");
        assert!(err.contains("99"), "{err}");
    }
    assert_eq!(db_bytes(&a), before, "the newer archive is not touched");
}

/// Issue 3 through the command line: people by any spelling, the members
/// of a body at a date as the book's Institutional Background gives them,
/// and every letter's parties linked to people.
#[test]
fn people_bodies_and_parties() {
    let Some(c) = corpus() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let o = fond(&a, &["ingest", &c.display().to_string()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("linked:"), "{}", stdout(&o));

    let people: Vec<serde_json::Value> = stdout(&fond(&a, &["people", "--json"]))
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert!(people.len() >= 257, "{} people", people.len());
    for key in [
        "id",
        "name",
        "born",
        "died",
        "repressed",
        "offices",
        "mentions",
    ] {
        assert!(people[0].get(key).is_some(), "people --json lacks {key}");
    }
    let bukharin = people
        .iter()
        .find(|p| p["id"] == "bukharin-n-i")
        .expect("Bukharin");
    assert_eq!(bukharin["repressed"], true);
    assert_eq!(bukharin["offices"][0]["body"], "politburo");
    assert!(bukharin["mentions"].as_u64().unwrap_or(0) > 50);

    for (query, id) in [
        ("Зиновьев", "zinoviev-g-ye"),
        ("Zinovyev", "zinoviev-g-ye"),
        ("Yaroslavsky", "yaroslavskii-ye-m"),
        ("Ярославский", "yaroslavskii-ye-m"),
        ("Dzerzhinskii", "dzerzhinsky-f-ye"),
        ("Sergo", "ordzhonikidze-g-k"),
    ] {
        let v: serde_json::Value =
            serde_json::from_str(&stdout(&fond(&a, &["person", query, "--json"])))
                .unwrap_or_else(|e| panic!("{query}: {e}"));
        assert_eq!(v["id"], id, "{query}");
    }

    let who = |on: &str| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(&stdout(&fond(
            &a,
            &["who", "--body", "Politburo", "--on", on, "--json"],
        )))
        .expect("json");
        let mut ids: Vec<String> = v
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| {
                        p["id"]
                            .as_str()
                            .map(|s| s.split('-').next().unwrap_or("").to_string())
                    })
                    .collect()
            })
            .unwrap_or_default();
        ids.sort();
        ids
    };
    assert_eq!(
        who("1925-07-01"),
        ["bukharin", "kamenev", "rykov", "stalin", "tomskii", "trotsky", "zinoviev"]
    );
    assert_eq!(
        who("1930-09-01"),
        [
            "kaganovich",
            "kalinin",
            "kirov",
            "kosior",
            "kuibyshev",
            "molotov",
            "rudzutak",
            "rykov",
            "stalin",
            "voroshilov"
        ]
    );

    // Every letter's senders and addressees link to people (the seven are
    // a body, not a person).
    let (mut parties, mut linked) = (0, 0);
    for n in 1..=86 {
        let v: serde_json::Value =
            serde_json::from_str(&stdout(&fond(&a, &["show", &n.to_string(), "--json"])))
                .expect("json");
        for p in v["sender_ids"]
            .as_array()
            .into_iter()
            .chain(v["addressee_ids"].as_array())
            .flatten()
        {
            if p["name"] == "the seven" {
                continue;
            }
            parties += 1;
            if p["person"].is_string() {
                linked += 1;
            } else {
                println!("letter {n}: {} not linked", p["name"]);
            }
        }
    }
    println!("letter parties linked to people: {linked}/{parties}");
    assert_eq!(linked, parties);

    let gexf = stdout(&fond(&a, &["network", "--format", "gexf"]));
    assert!(gexf.contains("<node id=\"stalin"), "{gexf}");
    let csv = stdout(&fond(
        &a,
        &["network", "--format", "csv", "--graph", "mentions"],
    ));
    assert!(csv.lines().count() > 100);
    let check = stdout(&fond(&a, &["check", "--kind", "unresolved-mention"]));
    assert!(check.contains("could be any of"), "{check}");
}

/// Issue 6 through the command line: letters 31–38 and the 1939 telegram
/// show their variant apparatus.
#[test]
fn witnesses_are_collated() {
    let Some(c) = corpus() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    assert!(fond(&a, &["ingest", &c.display().to_string()])
        .status
        .success());
    for n in 31..=38 {
        let o = fond(&a, &["collate", &n.to_string(), "--json"]);
        assert!(o.status.success(), "letter {n}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
        assert!(
            v.to_string().contains("\"variant\""),
            "letter {n} has an apparatus"
        );
    }
    let tei = stdout(&fond(
        &a,
        &["collate", "stalin-archive/1939-01-10", "--format", "tei"],
    ));
    assert!(tei.contains("<app"), "{tei}");
    assert!(tei.contains("<rdg wit=\"#B\">"), "{tei}");
    let text = stdout(&fond(
        &a,
        &["collate", "stalin-archive/1939-01-10", "--hide-trivial"],
    ));
    assert!(text.contains("sullied"), "{text}");
    let o = fond(&a, &["collate", "1"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("needs two or more"));
}

/// `fond serve` as a user starts it: ingests, opens on loopback, answers
/// over a real socket; the test stops it.
#[test]
fn the_reading_room_serves_over_loopback() {
    use std::io::{BufRead, BufReader, Read, Write};
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let mut child = fond_command(
        &a,
        &[
            "serve",
            fixture("mini-edition.md").to_str().unwrap_or_default(),
            "--addr",
            "127.0.0.1:0",
        ],
    )
    .stderr(std::process::Stdio::piped())
    .stdout(std::process::Stdio::null())
    .spawn()
    .expect("spawn");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("open at http://").nth(1) {
                let _ = tx.send(rest.trim_end_matches('/').to_string());
            }
        }
    });
    let addr = rx.recv_timeout(std::time::Duration::from_secs(30));
    let get = |addr: &str, path: &str| -> String {
        let mut s = std::net::TcpStream::connect(addr).expect("connect");
        s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .expect("timeout");
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .expect("write");
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    };
    let result = addr.map(|addr| {
        (
            get(&addr, "/doc/letters-to-petrov/1"),
            get(&addr, "/api/v1/documents"),
            get(&addr, "/doc/../../etc/passwd"),
        )
    });
    let _ = child.kill();
    let _ = child.wait();
    let (doc, api, escape) = result.expect("the server said where it listens");
    assert!(doc.starts_with("HTTP/1.1 200"), "{doc}");
    assert!(doc.contains("[12 July 1925]"));
    assert!(api.contains("\"total\":6"), "{api}");
    assert!(escape.starts_with("HTTP/1.1 404"), "{escape}");
}

/// `fond export`: every document to TEI that jing accepts against
/// tei_all.rng (when jing is installed), and the tables.
#[test]
fn exports_tei_and_tables() {
    let Some(c) = corpus() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    assert!(fond(&a, &["ingest", &c.display().to_string()])
        .status
        .success());
    let tei = tmp.path().join("tei");
    let o = fond(
        &a,
        &[
            "export",
            "--format",
            "tei",
            "--out",
            tei.to_str().unwrap_or_default(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let files: Vec<PathBuf> = std::fs::read_dir(&tei)
        .expect("tei dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    assert_eq!(files.len(), 108, "107 documents and the personography");
    let letter = std::fs::read_to_string(tei.join("letters-to-molotov.57.xml")).expect("letter 57");
    assert!(letter.contains("notBefore=\"1930-08-06\""), "{letter}");
    let schema = c.join("../schemas/tei/tei_all.rng");
    match Command::new("jing").arg(&schema).args(&files).output() {
        Ok(v) => {
            let report = String::from_utf8_lossy(&v.stdout);
            assert!(v.status.success(), "jing rejects the export:\n{report}");
        }
        Err(e) => {
            fond_test_support::available(format!("jing ({e})"), false);
        }
    }
    let csv = tmp.path().join("csv");
    let o = fond(
        &a,
        &[
            "export",
            "--format",
            "csv",
            "--out",
            csv.to_str().unwrap_or_default(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for t in ["documents", "notes", "archival_refs", "people", "mentions"] {
        let text = std::fs::read_to_string(csv.join(format!("{t}.csv"))).expect("table");
        assert!(text.lines().count() > 10, "{t}.csv has rows");
    }
    // CMIF: one file, what was left out said, valid against the CMIF
    // schema.
    let cmif = tmp.path().join("out/cmif.xml");
    let o = fond(
        &a,
        &[
            "export",
            "--format",
            "cmif",
            "--out",
            cmif.to_str().unwrap_or_default(),
            "--base-url",
            "https://example.org/fond/",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(
        said.contains("left out 17 documents: editorial text"),
        "{said}"
    );
    assert!(said.contains("MB/s"), "{said}");
    let xml = std::fs::read_to_string(&cmif).expect("cmif file");
    assert!(xml.contains("<idno type=\"url\">https://example.org/fond/cmif.xml</idno>"));
    assert!(xml.contains("<persName ref=\"https://example.org/fond/person/"));
    let schema = c.join("../schemas/cmif/cmi-customization.rng");
    match Command::new("jing").arg(&schema).arg(&cmif).output() {
        Ok(v) => {
            let report = String::from_utf8_lossy(&v.stdout);
            assert!(v.status.success(), "jing rejects the CMIF:\n{report}");
        }
        Err(e) => {
            fond_test_support::available(format!("jing ({e})"), false);
        }
    }
}
