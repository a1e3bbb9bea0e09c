//! The review queue at the terminal: a finding accepted or dismissed
//! leaves `fond check` (which counts it as reviewed) and stays out across
//! re-ingest — even when the source changes elsewhere and its line moves
//! — until what the finding is about changes; then it is back. And the
//! same queue in the reading room: a decision made at `/review` goes
//! through the binary's desk, and `fond check` no longer lists it.

mod common;

use common::{add_editor, csrf, fixture, fond, http, log_in, mini_archive, serve, stderr, stdout};
use serde_json::Value;
use std::path::Path;

fn ok(o: &std::process::Output) -> String {
    assert!(o.status.success(), "{}\n{}", stdout(o), stderr(o));
    stdout(o)
}

fn findings(a: &Path, all: bool) -> Vec<Value> {
    let mut args = vec!["check", "--json"];
    if all {
        args.push("--all");
    }
    ok(&fond(a, &args))
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

fn key_of(fs: &[Value], kind: &str) -> String {
    fs.iter()
        .find(|f| f["kind"] == kind)
        .and_then(|f| f["key"].as_str())
        .unwrap_or_else(|| panic!("no {kind} finding in {fs:?}"))
        .to_string()
}

#[test]
fn a_reviewed_finding_stays_reviewed_until_what_it_is_about_changes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let book = tmp.path().join("mini-edition.md");
    let original = std::fs::read_to_string(fixture("mini-edition.md")).expect("fixture");
    std::fs::write(&book, &original).expect("copy");
    let a = tmp.path().join("archive");
    let book_arg = book.to_str().unwrap_or_default();
    ok(&fond(&a, &["ingest", book_arg]));
    let before = findings(&a, false);
    assert_eq!(before.len(), 4, "{before:?}");
    let dates = key_of(&before, "date-disagreement");
    let ibid = key_of(&before, "other");
    // The same sources in another archive give the same keys.
    let again = tmp.path().join("again");
    ok(&fond(&again, &["ingest", book_arg]));
    let keys = |fs: &[Value]| -> Vec<String> {
        fs.iter()
            .map(|f| f["key"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(keys(&findings(&again, false)), keys(&before));

    let said = ok(&fond(&a, &["review", "accept", &dates, "--by", "T. Ester"]));
    assert!(
        said.contains("accept (date-disagreement, letters-to-petrov/2)"),
        "{said}"
    );
    // A dismissal needs its reason; an unknown key is refused.
    let o = fond(&a, &["review", "dismiss", &ibid, "--why", " "]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("say why"), "{}", stderr(&o));
    let o = fond(&a, &["review", "accept", "f000000000000"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("fond check --all"), "{}", stderr(&o));
    ok(&fond(
        &a,
        &[
            "review",
            "dismiss",
            &ibid,
            "--why",
            "the reference is right",
            "--by",
            "T. Ester",
        ],
    ));
    let o = fond(&a, &["review", "accept", &dates]);
    assert!(stderr(&o).contains("already accepted"), "{}", stderr(&o));

    let check = ok(&fond(&a, &["check"]));
    assert!(check.contains("4 findings, 2 reviewed"), "{check}");
    assert!(!check.contains(&dates) && !check.contains(&ibid), "{check}");
    let all = ok(&fond(&a, &["check", "--all"]));
    assert!(
        all.contains(&dates) && all.contains("accept by T. Ester"),
        "{all}"
    );
    assert!(all.contains("dismiss by T. Ester at"), "{all}");
    assert!(all.contains(": the reference is right"), "{all}");
    let listed = ok(&fond(&a, &["review", "list"]));
    assert!(listed.contains("2 decisions"), "{listed}");
    assert_eq!(findings(&a, true).len(), 4);
    let collection = ok(&fond(&a, &["check", "--collection", "no-such-collection"]));
    assert!(
        collection.contains("0 findings, 0 reviewed"),
        "{collection}"
    );

    // The source changed elsewhere (a paragraph added to the preface: the
    // lines below move): re-derived, the same findings keep their keys and
    // their decisions.
    let moved = original.replace(
        "This small edition exists to test fond.",
        "This small edition exists to test fond.\n\nIt has two letters.",
    );
    std::fs::write(&book, &moved).expect("write");
    let said = ok(&fond(&a, &["ingest", book_arg]));
    assert!(said.contains("updated"), "{said}");
    let check = ok(&fond(&a, &["check"]));
    assert!(check.contains("4 findings, 2 reviewed"), "{check}");
    let lines: Vec<i64> = findings(&a, true)
        .iter()
        .filter(|f| f["key"] == dates.as_str())
        .filter_map(|f| f["line"].as_i64())
        .collect();
    assert_eq!(
        lines,
        [54],
        "the finding moved two lines down, its key held"
    );

    // What the finding is about changes (the author's dateline): it is
    // back, under a new key; the other stays reviewed.
    std::fs::write(&book, moved.replace("8/6/24", "8/6/23")).expect("write");
    ok(&fond(&a, &["ingest", book_arg]));
    let waiting = findings(&a, false);
    let back = key_of(&waiting, "date-disagreement");
    assert_ne!(back, dates);
    assert!(waiting.iter().all(|f| f["key"] != ibid.as_str()));
    let check = ok(&fond(&a, &["check"]));
    assert!(check.contains("4 findings, 1 reviewed"), "{check}");
}

#[test]
fn a_decision_in_the_reading_room_goes_through_the_archives_desk() {
    let (_tmp, a) = mini_archive();
    add_editor(&a, "ed");
    let dates = key_of(&findings(&a, false), "date-disagreement");
    let (_server, addr) = serve(&a);
    let ed = log_in(&addr, "ed");
    let (status, _, page) = http(&addr, "GET", "/review", &ed, "");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("4 findings, 0 reviewed"), "{page}");
    assert!(page.contains(&dates), "{page}");
    let token = csrf(&page);
    // The archive's rule: a dismissal needs its reason.
    let (status, _, refused) = http(
        &addr,
        "POST",
        "/review/decide",
        &ed,
        &format!("key={dates}&decision=dismiss&why=&csrf={token}"),
    );
    assert_eq!(status, 400, "{refused}");
    assert!(refused.contains("say why"), "{refused}");
    let (status, headers, _) = http(
        &addr,
        "POST",
        "/review/decide",
        &ed,
        &format!("key={dates}&decision=accept&why=checked+in+the+print&csrf={token}"),
    );
    assert_eq!(status, 303);
    assert!(
        headers
            .iter()
            .any(|(k, v)| k == "location" && v == "/review"),
        "{headers:?}"
    );
    let (_, _, page) = http(&addr, "GET", "/review", &ed, "");
    assert!(page.contains("4 findings, 1 reviewed"), "{page}");
    assert!(!page.contains(&dates), "{page}");

    // `fond check` reads the same decision.
    let waiting = findings(&a, false);
    assert!(
        waiting.iter().all(|f| f["key"] != dates.as_str()),
        "{waiting:?}"
    );
    let all = ok(&fond(&a, &["check", "--all"]));
    assert!(all.contains("accept by ed"), "{all}");
    assert!(all.contains(": checked in the print"), "{all}");
}
