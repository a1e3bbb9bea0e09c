//! Editors' corrections as a user makes them: `fond correct`, the history,
//! revert, export and import, and the rule that decides whether a
//! correction still applies after a re-derivation (it holds while the
//! engine recovers what it replaced; otherwise it is a conflict that
//! `fond check` lists — never dropped).

mod common;

use common::{corpus, fixture, fond, stderr, stdout};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;

fn ok(o: &std::process::Output) -> String {
    assert!(o.status.success(), "{}\n{}", stdout(o), stderr(o));
    stdout(o)
}

fn show(a: &Path, id: &str) -> Value {
    serde_json::from_str(&ok(&fond(a, &["show", id, "--json"]))).expect("show json")
}

fn rows(a: &Path) -> Vec<Value> {
    ok(&fond(a, &["corrections", "list", "--json"]))
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

fn correct(a: &Path, id: &str, field: &str, value: &str) -> String {
    ok(&fond(
        a,
        &[
            "correct",
            id,
            field,
            value,
            "--why",
            "read again in print",
            "--by",
            "T. Ester",
        ],
    ))
}

fn small_archive(tmp: &Path) -> std::path::PathBuf {
    let a = tmp.join("archive");
    ok(&fond(
        &a,
        &[
            "ingest",
            fixture("mini-edition.md").to_str().unwrap_or_default(),
        ],
    ));
    a
}

#[test]
fn a_correction_shows_everywhere_and_survives_re_ingest() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = small_archive(tmp.path());
    let said = correct(&a, "1", "date", "1925-07-15");
    assert!(
        said.contains("\"1925-07-12\" → \"1925-07-15\" (applied)"),
        "{said}"
    );
    correct(&a, "1", "place", "Taganrog");
    correct(&a, "letters-to-petrov/1", "addressees", "Petrov; Sidorov");
    correct(&a, "1", "note:1:text", "The harvest figure is in poods.");
    correct(&a, "1", "note:2:author", "translator:C. F.");
    correct(&a, "2", "kind", "memorandum");
    correct(&a, "2", "number", "12");
    correct(&a, "2", "dateline", "Rostov, 7 August 1925");
    correct(&a, "2", "senders", "");
    // A letter is found by the number the editors gave it.
    correct(&a, "12", "place", "Azov");

    let check = |a: &Path| {
        let one = show(a, "letters-to-petrov/1");
        assert_eq!(one["date"]["edtf"], "1925-07-15");
        assert_eq!(one["date"]["earliest"], "1925-07-15");
        assert_eq!(one["place"], "Taganrog");
        assert_eq!(one["addressees"], json!(["Petrov", "Sidorov"]));
        assert_eq!(one["notes"][0]["text"], "The harvest figure is in poods.");
        assert_eq!(one["notes"][1]["by"], "C. F.");
        assert_eq!(one["notes"][1]["by_role"], "translator");
        assert_eq!(
            one["corrected"],
            json!([
                "date",
                "place",
                "addressees",
                "note:1:text",
                "note:2:author"
            ])
        );
        let two = show(a, "letters-to-petrov/2");
        assert_eq!(two["kind"], "memorandum");
        assert_eq!(two["number"], 12);
        assert_eq!(two["date"]["written"], "Rostov, 7 August 1925");
        assert_eq!(two["date"]["written_edtf"], "1925-08-07");
        assert_eq!(two["senders"], json!([]));
        assert_eq!(two["place"], "Azov");
        // The list (read from the relational columns) and the text view.
        let list = ok(&fond(a, &["list"]));
        assert!(
            list.lines()
                .any(|l| l.starts_with("letters-to-petrov/1 ") && l.contains("15 July 1925")),
            "{list}"
        );
        let shown = ok(&fond(a, &["show", "letters-to-petrov/1"]));
        assert!(shown.contains("place:       Taganrog"), "{shown}");
        assert!(shown.contains("corrected:   date, place"), "{shown}");
        // Search follows the stored edition.
        let hits = ok(&fond(a, &["search", "year:1925 kind:memorandum", "--json"]));
        let hits: Value = serde_json::from_str(&hits).expect("search json");
        assert_eq!(hits["total"], 1, "{hits}");
        assert_eq!(hits["hits"][0]["id"], "letters-to-petrov/2");
    };
    check(&a);
    // Re-ingesting the same source changes nothing: every correction holds
    // and the file is not rewritten.
    let before = common::db_bytes(&a);
    ok(&fond(
        &a,
        &[
            "ingest",
            fixture("mini-edition.md").to_str().unwrap_or_default(),
        ],
    ));
    assert_eq!(common::db_bytes(&a), before);
    check(&a);
    let all = rows(&a);
    assert_eq!(all.len(), 10);
    assert!(all.iter().all(|r| r["state"] == "applied"), "{all:?}");
    assert!(all.iter().all(|r| r["by"] == "T. Ester"));

    // The exports carry the corrected values.
    let out = tmp.path().join("csv");
    ok(&fond(
        &a,
        &[
            "export",
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap_or_default(),
        ],
    ));
    let docs = std::fs::read_to_string(out.join("documents.csv")).expect("documents.csv");
    assert!(docs.contains("Taganrog"), "{docs}");
    // TEI: the corrected values, and a change per correction in the
    // header, valid against tei_all.rng.
    let tei = tmp.path().join("tei");
    ok(&fond(
        &a,
        &[
            "export",
            "--format",
            "tei",
            "--out",
            tei.to_str().unwrap_or_default(),
        ],
    ));
    let one = std::fs::read_to_string(tei.join("letters-to-petrov.1.xml")).expect("letter 1");
    assert!(one.contains("<placeName>Taganrog</placeName>"), "{one}");
    assert!(one.contains("<revisionDesc>"), "{one}");
    assert_eq!(one.matches(" who=\"#t-ester\" when=\"").count(), 5, "{one}");
    assert!(
        one.contains(
            "corrected place: \"Taganrog\" (recovered as \"Rostov\"). read again in print"
        ),
        "{one}"
    );
    let schema = fond_test_support::shared().join("schemas/tei/tei_all.rng");
    if fond_test_support::path_available(&schema)
        && fond_test_support::program_available("jing", "-h")
    {
        let files: Vec<std::path::PathBuf> = std::fs::read_dir(&tei)
            .expect("tei")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        let v = std::process::Command::new("jing")
            .arg(&schema)
            .args(&files)
            .output()
            .expect("jing");
        assert!(
            v.status.success(),
            "jing rejects the export:\n{}",
            String::from_utf8_lossy(&v.stdout)
        );
    }
}

#[test]
fn a_changed_source_turns_a_correction_into_a_conflict_that_check_lists() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = small_archive(tmp.path());
    correct(&a, "1", "date", "1925-07-15");
    correct(&a, "1", "place", "Taganrog");
    correct(&a, "2", "note:1:text", "Rewritten by the editors.");
    // The same edition with another editorial date for letter 1 and letter
    // 2 gone (renumbered): the date no longer is what the correction
    // replaced; the note's document no longer exists.
    let text = std::fs::read_to_string(fixture("mini-edition.md")).expect("fixture");
    assert!(text.contains("[12 July 1925]") && text.contains("**Letter 2**"));
    let changed = text
        .replace("[12 July 1925]", "[13 July 1925]")
        .replace("**Letter 2**", "**Letter 3**");
    let dir = tmp.path().join("changed");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("mini-edition.md"), changed).expect("write");
    let o = fond(&a, &["ingest", dir.to_str().unwrap_or_default()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("in conflict"), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("corrections: 3 (1 applied, 1 conflict, 1 missing-document)"),
        "{}",
        stdout(&o)
    );

    let one = show(&a, "letters-to-petrov/1");
    assert_eq!(one["date"]["edtf"], "1925-07-13", "the recovery stands");
    assert_eq!(one["place"], "Taganrog", "the other correction holds");
    assert_eq!(one["corrected"], json!(["place"]));
    let states: BTreeMap<String, String> = rows(&a)
        .iter()
        .map(|r| {
            (
                r["target"]["field"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                r["state"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(states["date"], "conflict");
    assert_eq!(states["place"], "applied");
    assert_eq!(states["note-text"], "missing-document");

    let check = ok(&fond(
        &a,
        &["check", "--kind", "correction-conflict", "--json"],
    ));
    let found: Vec<Value> = check
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(found.len(), 2, "{check}");
    let date = found
        .iter()
        .find(|f| f["document"] == "letters-to-petrov/1")
        .and_then(|f| f["message"].as_str())
        .unwrap_or_default();
    for part in ["date", "\"1925-07-12\"", "\"1925-07-13\"", "\"1925-07-15\""] {
        assert!(date.contains(part), "{part} in {date}");
    }
    assert!(check.contains("letters-to-petrov/2"), "{check}");
    // Settled by correcting again: the new correction records what the
    // engine recovers now, and applies.
    correct(&a, "1", "date", "1925-07-14");
    assert_eq!(
        show(&a, "letters-to-petrov/1")["date"]["edtf"],
        "1925-07-14"
    );
    let left = ok(&fond(&a, &["check", "--kind", "correction-conflict"]));
    assert!(left.contains("1 findings"), "{left}");
}

#[test]
fn revert_is_a_new_entry_and_the_history_says_who_did_what() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = small_archive(tmp.path());
    correct(&a, "1", "place", "Taganrog");
    correct(&a, "1", "place", "Novocherkassk");
    assert_eq!(show(&a, "letters-to-petrov/1")["place"], "Novocherkassk");
    let latest = rows(&a)[1]["id"].as_str().unwrap_or_default().to_string();
    let o = fond(
        &a,
        &[
            "corrections",
            "revert",
            &latest,
            "--why",
            "misread the envelope",
            "--by",
            "R. Viewer",
        ],
    );
    assert!(
        ok(&o).contains("the edition now gives \"Taganrog\""),
        "{}",
        stdout(&o)
    );
    // Reverting the first as well brings back the engine's value.
    let first = rows(&a)[0]["id"].as_str().unwrap_or_default().to_string();
    ok(&fond(
        &a,
        &[
            "corrections",
            "revert",
            &first,
            "--why",
            "printed as Rostov",
        ],
    ));
    assert_eq!(show(&a, "letters-to-petrov/1")["place"], "Rostov");
    assert_eq!(show(&a, "letters-to-petrov/1")["corrected"], json!([]));
    // Nothing was deleted: four entries, newest first in the history.
    let h = ok(&fond(&a, &["history", "1"]));
    assert!(
        h.starts_with("letters-to-petrov/1: 4 entries, newest first"),
        "{h}"
    );
    let order: Vec<usize> = [
        "printed as Rostov",
        "misread the envelope",
        "Novocherkassk",
        "Taganrog",
    ]
    .iter()
    .map(|w| h.find(w).unwrap_or(usize::MAX))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{h}");
    assert!(h.contains("R. Viewer"));
    let hj: Vec<Value> = ok(&fond(&a, &["history", "1", "--json"]))
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(hj[0]["action"], "revert");
    assert_eq!(hj[3]["status"], "reverted");
    // A second revert of the same correction, or of a revert, is refused.
    let again = fond(&a, &["corrections", "revert", &first, "--why", "again"]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already reverted"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn what_cannot_be_a_correction_is_refused_with_the_reason() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = small_archive(tmp.path());
    for (args, says) in [
        (vec!["1", "weather", "fine"], "unknown field \"weather\""),
        (vec!["1", "date", "12 July 1925"], "is not a date"),
        (
            vec!["1", "date", "1925-02-30"],
            "there is no day 1925-02-30",
        ),
        (vec!["1", "kind", "telegram"], "is not a kind of document"),
        (vec!["1", "number", "twelve"], "is not a document number"),
        (
            vec!["1", "note:9:text", "x"],
            "has no note 9; its notes are: 1, 2",
        ),
        (
            vec!["1", "note:1:author", "Somebody"],
            "write ROLE or ROLE:NAME",
        ),
        (vec!["99", "place", "x"], "no document \"99\""),
        (vec!["1", "place", "Rostov"], "already"),
    ] {
        let mut all = vec!["correct"];
        all.extend(args.iter().copied());
        all.extend(["--why", "because"]);
        let o = fond(&a, &all);
        assert!(!o.status.success(), "{args:?} was taken");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
    let o = fond(&a, &["correct", "1", "place", "Taganrog", "--why", "  "]);
    assert!(stderr(&o).contains("--why is empty"), "{}", stderr(&o));
    assert!(rows(&a).is_empty());
}

#[test]
fn corrections_travel_as_json_lines_and_a_bad_line_stores_nothing() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = small_archive(tmp.path());
    correct(&a, "1", "place", "Taganrog");
    correct(&a, "1", "note:2:author", "editor:Lars T. Lih");
    let file = tmp.path().join("corrections.jsonl");
    ok(&fond(
        &a,
        &[
            "corrections",
            "export",
            "--out",
            file.to_str().unwrap_or_default(),
        ],
    ));
    let exported = std::fs::read_to_string(&file).expect("export");
    assert_eq!(exported.lines().count(), 2);
    assert_eq!(ok(&fond(&a, &["corrections", "export"])), exported);

    // Into another archive of the same sources: the same edition.
    let b = small_archive(&tmp.path().join("b"));
    let said = ok(&fond(
        &b,
        &["corrections", "import", file.to_str().unwrap_or_default()],
    ));
    assert!(
        said.contains("2 added, 0 already held; 2 applied"),
        "{said}"
    );
    assert_eq!(show(&b, "1")["place"], "Taganrog");
    assert_eq!(show(&b, "1")["notes"][1]["by"], "Lars T. Lih");
    // Twice: nothing new.
    let said = ok(&fond(
        &b,
        &["corrections", "import", file.to_str().unwrap_or_default()],
    ));
    assert!(said.contains("0 added, 2 already held"), "{said}");

    // A file with a malformed line and a line without a reason: both
    // reported with file and line; nothing of the file is stored.
    let mut lines: Vec<String> = exported.lines().map(String::from).collect();
    let mut fresh: Value = serde_json::from_str(&lines[0]).expect("json");
    fresh["id"] = json!("c-new");
    fresh["value"] = json!("Azov");
    let mut reasonless = fresh.clone();
    reasonless["id"] = json!("c-why");
    reasonless["why"] = json!("");
    let mut timeless = fresh.clone();
    timeless["id"] = json!("c-when");
    timeless["at"] = json!("yesterday");
    lines = vec![
        fresh.to_string(),
        "{not json".into(),
        reasonless.to_string(),
        timeless.to_string(),
    ];
    let bad = tmp.path().join("bad.jsonl");
    std::fs::write(&bad, lines.join("\n")).expect("write");
    let o = fond(
        &b,
        &["corrections", "import", bad.to_str().unwrap_or_default()],
    );
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("bad.jsonl:2: not a correction"), "{e}");
    assert!(
        e.contains("bad.jsonl:3: correction c-why: no reason"),
        "{e}"
    );
    assert!(
        e.contains("bad.jsonl:4: correction c-when: \"yesterday\" is not a time"),
        "{e}"
    );
    assert!(e.contains("nothing of"), "{e}");
    assert_eq!(rows(&b).len(), 2);
    assert_eq!(show(&b, "1")["place"], "Taganrog");
}

#[test]
fn emendations_decisions_and_joins_as_an_editor_types_them() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = small_archive(tmp.path());
    let said = correct(&a, "1", "text", "Regards→Greetings");
    assert!(
        said.contains("text: \"Regards\" → \"Greetings\" (applied)"),
        "{said}"
    );
    // "good" stands twice: refused until the editor says which.
    let o = fond(
        &a,
        &["correct", "1", "text", "good→fine", "--why", "misprint"],
    );
    assert!(
        stderr(&o)
            .contains("\"good\" stands 2 times in letters-to-petrov/1; say which with --before"),
        "{}",
        stderr(&o)
    );
    let o = fond(
        &a,
        &[
            "correct", "1", "text", "good", "fine", "--after", " [1.8", "--why", "misprint",
        ],
    );
    ok(&o);
    let o = fond(
        &a,
        &["correct", "1", "text", "bad→worse", "--why", "misprint"],
    );
    assert!(stderr(&o).contains("is not in letters-to-petrov/1 as printed"));
    // A name decided: Sidorov is no one here; a name the linker missed
    // given to a person.
    correct(&a, "1", "mention", "Sidorov→none");
    ok(&fond(
        &a,
        &[
            "correct",
            "1",
            "mention",
            "Rostov",
            "person:petrov-v-p",
            "--why",
            "a test",
        ],
    ));
    let o = fond(
        &a,
        &["correct", "1", "mention", "Sidorov→Petrov", "--why", "x"],
    );
    assert!(
        stderr(&o).contains("an entity as kind:id"),
        "{}",
        stderr(&o)
    );
    // Note 2's call moved after "to Sidorov".
    correct(&a, "1", "note:2:call", "to Sidorov");
    // Letter 2 joined to letter 1 as its witness.
    correct(&a, "2", "witness-of", "letters-to-petrov/1");

    let check = |a: &Path| {
        let one = show(a, "letters-to-petrov/1");
        let body = one["body_text"].as_str().unwrap_or_default();
        assert!(body.contains("Greetings,"), "{body}");
        assert!(body.contains("good and very fine [1.8 tons]"), "{body}");
        let names: Vec<(String, String)> = one["mentions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|m| m["field"] == "body")
            .map(|m| {
                (
                    m["surface"].as_str().unwrap_or_default().to_string(),
                    m["entity"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        assert!(!names.iter().any(|(s, _)| s == "Sidorov"), "{names:?}");
        assert!(
            names.contains(&("Rostov".into(), "person:petrov-v-p".into())),
            "{names:?}"
        );
        assert_eq!(one["witnesses"].as_array().map(Vec::len), Some(2));
        assert!(!fond(a, &["show", "letters-to-petrov/2"]).status.success());
        let shown = ok(&fond(a, &["show", "1"]));
        assert!(shown.contains("Greetings [sic: Regards],"), "{shown}");
        assert!(shown.contains("Show this to Sidorov^2."), "{shown}");
        assert!(shown.contains("[1.8 tons]."), "{shown}");
        // Search finds the reading and the print.
        for word in ["Greetings", "Regards"] {
            let hits = ok(&fond(a, &["search", word, "--json"]));
            assert!(hits.contains("letters-to-petrov/1"), "{word}: {hits}");
        }
    };
    check(&a);
    ok(&fond(
        &a,
        &[
            "ingest",
            fixture("mini-edition.md").to_str().unwrap_or_default(),
        ],
    ));
    check(&a);
    let all = rows(&a);
    assert_eq!(all.len(), 6);
    assert!(all.iter().all(|r| r["state"] == "applied"), "{all:?}");

    // TEI: the print beside the reading, `@resp` at the change; valid.
    let tei = tmp.path().join("tei");
    ok(&fond(
        &a,
        &[
            "export",
            "--format",
            "tei",
            "--out",
            tei.to_str().unwrap_or_default(),
        ],
    ));
    let one = std::fs::read_to_string(tei.join("letters-to-petrov.1.xml")).expect("letter 1");
    let first = all[0]["id"].as_str().unwrap_or_default();
    assert!(
        one.contains(&format!(
            "<choice><sic>Regards</sic><corr resp=\"#change-{first}\">Greetings</corr></choice>"
        )),
        "{one}"
    );
    assert!(
        one.contains(&format!("<change xml:id=\"change-{first}\"")),
        "{one}"
    );
    let schema = fond_test_support::shared().join("schemas/tei/tei_all.rng");
    if fond_test_support::path_available(&schema)
        && fond_test_support::program_available("jing", "-h")
    {
        let v = std::process::Command::new("jing")
            .arg(&schema)
            .arg(tei.join("letters-to-petrov.1.xml"))
            .output()
            .expect("jing");
        assert!(
            v.status.success(),
            "jing rejects the export:\n{}",
            String::from_utf8_lossy(&v.stdout)
        );
    }
}

#[test]
fn a_corrected_note_points_at_its_change() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = small_archive(tmp.path());
    correct(
        &a,
        "1",
        "note:1:text",
        "A notation by Petrov, upper corner.",
    );
    let id = rows(&a)[0]["id"].as_str().unwrap_or_default().to_string();
    let tei = tmp.path().join("tei");
    ok(&fond(
        &a,
        &[
            "export",
            "--format",
            "tei",
            "--out",
            tei.to_str().unwrap_or_default(),
        ],
    ));
    let one = std::fs::read_to_string(tei.join("letters-to-petrov.1.xml")).expect("letter 1");
    assert!(
        one.contains(&format!("n=\"1\" resp=\"#russian-editors #change-{id}\""))
            || one.contains(&format!(" #change-{id}\" place=\"foot\"")),
        "{one}"
    );
    // The export read back: the note's author is still the first pointer.
    let b = tmp.path().join("b");
    ok(&fond(
        &b,
        &[
            "ingest",
            tei.join("letters-to-petrov.1.xml")
                .to_str()
                .unwrap_or_default(),
        ],
    ));
    let back = show(&b, "letters-to-petrov/1");
    assert!(!back["notes"][0]["by"]
        .as_str()
        .unwrap_or_default()
        .contains("change-"));
}

// ---------------------------------------------------------------------------
// The whole corpus

/// The engine's value of a field in `fond show --json`, in the shape a
/// correction records it.
fn recovered(doc: &Value, field: &str) -> Value {
    match field {
        "date" => doc["date"]["edtf"].clone(),
        "dateline" => doc["date"]["written"].clone(),
        "place" | "senders" | "addressees" | "kind" | "number" => doc[field].clone(),
        "note:1:text" => doc["notes"][0]["text"].clone(),
        "note:1:author" => {
            let role = doc["notes"][0]["by_role"].clone();
            let by = doc["notes"][0]["by"].as_str().unwrap_or_default();
            // `by` is the name, else the role's label.
            let name = if Some(by) == role.as_str() { "" } else { by };
            json!({"role": role, "name": name})
        }
        _ => Value::Null,
    }
}

/// The corrected value as `fond show --json` gives it, to compare with
/// what the correction says.
fn shown(doc: &Value, field: &str) -> Value {
    match field {
        "note:1:author" => {
            json!(format!(
                "{}:{}",
                doc["notes"][0]["by_role"].as_str().unwrap_or_default(),
                doc["notes"][0]["by"].as_str().unwrap_or_default()
            ))
        }
        "number" => doc["number"].clone(),
        "senders" | "addressees" => doc[field].clone(),
        _ => recovered(doc, field),
    }
}

const FIELDS: [&str; 9] = [
    "date",
    "dateline",
    "place",
    "senders",
    "addressees",
    "kind",
    "number",
    "note:1:text",
    "note:1:author",
];

/// The new value for the `i`-th correction of a field, as typed and as it
/// will show (chosen for the test, not read from any output).
fn new_value(field: &str, i: usize, doc: &Value) -> (String, Value) {
    let places = [
        "Sochi",
        "Tiflis",
        "Kislovodsk",
        "Leningrad",
        "Kharkov",
        "Nalchik",
    ];
    match field {
        "date" => {
            let v = format!("1933-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
            (v.clone(), json!(v))
        }
        "dateline" => {
            let v = format!("Sochi, {} August 1933", 1 + i % 28);
            (v.clone(), json!(v))
        }
        "place" => {
            let p = places
                .iter()
                .cycle()
                .skip(i)
                .find(|p| doc["place"] != json!(p))
                .copied()
                .unwrap_or("Sochi");
            (p.to_string(), json!(p))
        }
        "senders" => (
            "Kaganovich; Kuibyshev".into(),
            json!(["Kaganovich", "Kuibyshev"]),
        ),
        "addressees" => ("Ordzhonikidze".into(), json!(["Ordzhonikidze"])),
        "kind" => {
            let k = if doc["kind"] == "memorandum" {
                "note"
            } else {
                "memorandum"
            };
            (k.into(), json!(k))
        }
        "number" => {
            let n = 900 + i;
            (n.to_string(), json!(n))
        }
        "note:1:text" => {
            let v = format!(
                "The editors read this note again ({i}): the reference is to the July plenum."
            );
            (v.clone(), json!(v))
        }
        "note:1:author" => {
            let v = format!("translator:Translator {i}");
            (v.clone(), json!(v))
        }
        _ => (String::new(), Value::Null),
    }
}

#[test]
fn corrections_over_the_whole_corpus_hold_or_wait_none_is_lost() {
    let Some(corpus) = corpus() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    // A copy of the corpus, to be changed later as a new edition of a
    // source (or an improved reader) would change it.
    let copy = tmp.path().join("corpus");
    std::fs::create_dir_all(&copy).expect("dir");
    let mut names = Vec::new();
    for e in std::fs::read_dir(&corpus).expect("corpus") {
        let p = e.expect("entry").path();
        if p.is_file() {
            let name = p.file_name().expect("name").to_os_string();
            std::fs::copy(&p, copy.join(&name)).expect("copy");
            names.push(name);
        }
    }
    let a = tmp.path().join("archive");
    ok(&fond(&a, &["ingest", copy.to_str().unwrap_or_default()]));
    let docs: Vec<Value> = ok(&fond(&a, &["list", "--json"]))
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    // Numbered letters of the book with at least one note: every field
    // kind can be corrected on them.
    let targets: Vec<String> = docs
        .iter()
        .filter(|d| d["number"].is_u64() && d["note_count"].as_u64().unwrap_or(0) > 0)
        .filter_map(|d| d["id"].as_str().map(String::from))
        .take(54)
        .collect();
    assert_eq!(
        targets.len(),
        54,
        "the corpus has 54 numbered letters with notes"
    );

    // 54 corrections, six of each field kind, one per document. The first
    // of each kind through `fond correct`, the rest as one import (with
    // the values the engine recovers, as `fond correct` records them).
    let mut expected: Vec<(String, &str, Value)> = Vec::new();
    let mut lines = Vec::new();
    for (i, id) in targets.iter().enumerate() {
        let field = FIELDS[i % FIELDS.len()];
        let doc = show(&a, id);
        let (typed, value) = new_value(field, i, &doc);
        if i < FIELDS.len() {
            correct(&a, id, field, &typed);
        } else {
            let (kind, note) = match field.strip_prefix("note:1:") {
                Some("text") => ("note-text", Some(1)),
                Some(_) => ("note-author", Some(1)),
                None => (field, None),
            };
            let mut target = json!({"document": id, "field": kind});
            if let Some(n) = note {
                target["note"] = json!(n);
            }
            let stored_value = match field {
                "note:1:author" => json!({"role": "translator", "name": format!("Translator {i}")}),
                _ => value.clone(),
            };
            lines.push(
                json!({
                    "id": format!("c-corpus-{i}"),
                    "action": "set",
                    "target": target,
                    "recovered": recovered(&doc, field),
                    "value": stored_value,
                    "by": "T. Ester",
                    "at": "2026-12-06T07:00:00Z",
                    "why": "the whole-corpus test",
                    "status": "active",
                })
                .to_string(),
            );
        }
        expected.push((id.clone(), field, value));
    }
    let file = tmp.path().join("corrections.jsonl");
    std::fs::write(&file, lines.join("\n")).expect("write");
    ok(&fond(
        &a,
        &["corrections", "import", file.to_str().unwrap_or_default()],
    ));

    let holds = |a: &Path| -> Vec<String> {
        expected
            .iter()
            .filter(|(id, field, value)| shown(&show(a, id), field) == *value)
            .map(|(id, field, _)| format!("{id} {field}"))
            .collect()
    };
    assert_eq!(holds(&a).len(), 54, "every correction shows");
    let states = |a: &Path| -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for r in rows(a) {
            *m.entry(r["state"].as_str().unwrap_or("none").to_string())
                .or_default() += 1;
        }
        m
    };
    assert_eq!(states(&a), BTreeMap::from([("applied".to_string(), 54)]));

    // Re-ingest the same sources: all 54 hold.
    ok(&fond(&a, &["ingest", copy.to_str().unwrap_or_default()]));
    assert_eq!(holds(&a).len(), 54);
    assert_eq!(states(&a), BTreeMap::from([("applied".to_string(), 54)]));

    // A changed source: the editors' date of the letter whose date was
    // corrected first, and the text of the note corrected first, now read
    // otherwise (an improved reader would do the same).
    let book = copy.join("letters-to-molotov-1925-1936.book.md");
    let text = std::fs::read_to_string(&book).expect("book");
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let dated = show(&a, &targets[0]);
    // The date as the source prints it is no longer what the archive shows
    // (it is corrected): take the span of the letter's witness and change
    // the first bracketed date in it.
    let w = &dated["witnesses"][0];
    let (first, last) = (
        w["first_line"].as_u64().unwrap_or(0) as usize,
        w["last_line"].as_u64().unwrap_or(0) as usize,
    );
    let re = regex::Regex::new(r"^\[(\d{1,2}) ([A-Z][a-z]+) (\d{4})\]$").expect("regex");
    let at = (first..=last)
        .find(|&n| re.is_match(lines[n - 1].trim()))
        .expect("a bracketed editorial date in the letter");
    let caps = re.captures(lines[at - 1].trim()).expect("captures");
    let day: u32 = caps[1].parse().expect("day");
    let moved = format!(
        "[{} {} {}]",
        if day == 1 { 2 } else { day - 1 },
        &caps[2],
        &caps[3]
    );
    lines[at - 1] = moved;
    let noted = show(&a, &targets[7]);
    let note_line = noted["notes"][0]["line"].as_u64().unwrap_or(0) as usize;
    assert!(note_line > 0);
    lines[note_line - 1] = format!("{} Revised in the second printing.", lines[note_line - 1]);
    std::fs::write(&book, lines.join("\n") + "\n").expect("write");
    ok(&fond(&a, &["ingest", copy.to_str().unwrap_or_default()]));

    let all = rows(&a);
    assert_eq!(all.len(), 54, "no correction is lost");
    let conflicts: Vec<Value> = ok(&fond(
        &a,
        &["check", "--kind", "correction-conflict", "--json"],
    ))
    .lines()
    .map(|l| serde_json::from_str(l).expect("json"))
    .collect();
    let held = holds(&a);
    let mut waiting = 0;
    for r in &all {
        let id = r["id"].as_str().unwrap_or_default();
        let state = r["state"].as_str().unwrap_or_default();
        match state {
            "applied" | "agrees" => {}
            "conflict" | "missing-document" | "missing-note" => {
                waiting += 1;
                assert!(
                    conflicts.iter().any(|f| f["message"]
                        .as_str()
                        .is_some_and(|m| m.contains(&format!("correction {id} ")))),
                    "{id} is in conflict but fond check does not list it"
                );
            }
            other => panic!("{id}: unexpected state {other}"),
        }
    }
    assert_eq!(held.len() + waiting, 54, "held {held:?}, {waiting} waiting");
    assert_eq!(conflicts.len(), waiting);
    let state_of = |doc: &str| {
        all.iter()
            .find(|r| r["target"]["document"] == doc)
            .and_then(|r| r["state"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(state_of(&targets[0]), "conflict", "the date moved under it");
    assert_eq!(
        state_of(&targets[7]),
        "conflict",
        "the note's text moved under it"
    );
    assert_eq!(waiting, 2, "only those two");
}

/// What a re-derivation writes, read with SQL: every document's model,
/// the findings, the mentions in their order, each correction's derived
/// state, and the edition's and the links' fingerprints.
fn derived_rows(a: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(a.join("fond.sqlite")).expect("db");
    let mut out = Vec::new();
    for sql in [
        "SELECT id || ' ' || ord || ' ' || kind || ' ' || coalesce(date_edtf, '') || ' ' || coalesce(place, '') || ' ' || senders || ' ' || model FROM documents ORDER BY id",
        "SELECT seq || ' ' || kind || ' ' || source || ':' || line || ' ' || coalesce(document, '') || ' ' || message FROM findings ORDER BY seq",
        "SELECT doc_id || ' ' || count(*) FROM notes GROUP BY doc_id ORDER BY doc_id",
        "SELECT seq || ' ' || doc_id || ' ' || field || ' ' || entity_kind || ':' || entity_id || ' ' || start || '-' || end || ' ' || resolved FROM mentions ORDER BY seq",
        "SELECT id || ' ' || coalesce(state, '') || ' ' || coalesce(now, '') FROM corrections ORDER BY seq",
        "SELECT key || ' ' || value FROM meta WHERE key IN ('fingerprint', 'links_fingerprint') ORDER BY key",
    ] {
        let mut st = conn.prepare(sql).expect("sql");
        let rows = st
            .query_map([], |r| r.get::<_, String>(0))
            .expect("query");
        for r in rows {
            out.push(r.expect("row"));
        }
    }
    out
}

/// The segment files of the search index.
fn segments(a: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(a.join("search"))
        .expect("search dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".idx"))
        .collect();
    v.sort();
    v
}

#[test]
fn a_correction_in_place_is_searchable_at_once_and_equals_a_full_re_derivation() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = small_archive(tmp.path());
    let before = segments(&a);
    let said = correct(&a, "1", "note:1:text", "A notation by Petrov, zqxinplace.");
    assert!(said.contains("(applied)"), "{said}");
    assert!(
        said.contains("changed in place") && said.contains("search index updated (1 document)"),
        "{said}"
    );
    // Visible in search at once, and the index was updated, not rebuilt:
    // a segment of the first build is still there.
    let hits: Value =
        serde_json::from_str(&ok(&fond(&a, &["search", "zqxinplace", "--json"]))).expect("json");
    assert_eq!(hits["total"], 1, "{hits}");
    assert_eq!(hits["hits"][0]["id"], "letters-to-petrov/1");
    let after = segments(&a);
    assert!(
        before.iter().any(|s| after.contains(s)),
        "{before:?} {after:?}"
    );
    // More kinds, each in place: a conflict-free supersession, parties (the
    // mentions change), a dateline, a kind and a number.
    correct(&a, "1", "date", "1925-07-15");
    correct(&a, "1", "date", "1925-07-16");
    correct(&a, "letters-to-petrov/1", "addressees", "Petrov; Sidorov");
    correct(&a, "2", "senders", "");
    correct(&a, "2", "dateline", "Rostov, 7 August 1925");
    correct(&a, "2", "kind", "memorandum");
    let said = correct(&a, "2", "number", "12");
    assert!(said.contains("changed in place"), "{said}");
    let hits: Value = serde_json::from_str(&ok(&fond(
        &a,
        &["search", "kind:memorandum year:1925", "--json"],
    )))
    .expect("json");
    assert_eq!(hits["hits"][0]["id"], "letters-to-petrov/2", "{hits}");
    let check = ok(&fond(&a, &["check"]));
    let rows_a = derived_rows(&a);

    // The same corrections imported into an archive of the same sources
    // (in place too), then the whole edition re-derived (a source added
    // and removed again): the same stored edition, links and fingerprints
    // each time.
    let exported = tmp.path().join("corrections.jsonl");
    ok(&fond(
        &a,
        &[
            "corrections",
            "export",
            "--out",
            exported.to_str().unwrap_or_default(),
        ],
    ));
    let b = tmp.path().join("full");
    let extra = fixture("letters-of-anna-example.txt");
    ok(&fond(
        &b,
        &[
            "ingest",
            fixture("mini-edition.md").to_str().unwrap_or_default(),
        ],
    ));
    let said = ok(&fond(
        &b,
        &[
            "corrections",
            "import",
            exported.to_str().unwrap_or_default(),
        ],
    ));
    assert!(
        said.contains("8 added") && said.contains("changed in place"),
        "{said}"
    );
    let same = |b: &Path| {
        let rows_b = derived_rows(b);
        assert_eq!(rows_a.len(), rows_b.len());
        for (x, y) in rows_a.iter().zip(&rows_b) {
            assert_eq!(x, y);
        }
        assert_eq!(check, ok(&fond(b, &["check"])));
    };
    same(&b);
    ok(&fond(&b, &["ingest", extra.to_str().unwrap_or_default()]));
    let said = ok(&fond(&b, &["remove", "letters-of-anna-example.txt"]));
    assert!(said.contains("updated"), "{said}");
    same(&b);
    // And the search index in place answers as the rebuilt one does.
    for q in ["zqxinplace", "from:Ivanov", "to:Sidorov", "year:1925"] {
        let one: Value =
            serde_json::from_str(&ok(&fond(&a, &["search", q, "--json"]))).expect("json");
        let two: Value =
            serde_json::from_str(&ok(&fond(&b, &["search", q, "--json"]))).expect("json");
        assert_eq!(one["total"], two["total"], "{q}");
        assert_eq!(one["facets"], two["facets"], "{q}");
    }
}

#[test]
fn a_conflict_imported_and_reverted_in_place_equals_a_full_re_derivation() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = small_archive(tmp.path());
    // A correction recorded against a value the engine does not recover:
    // a conflict, made in place.
    let file = tmp.path().join("one.jsonl");
    let c = json!({
        "id": "c-stale", "action": "set",
        "target": {"document": "letters-to-petrov/1", "field": "place"},
        "recovered": "Rostow", "value": "Moscow",
        "by": "T. Ester", "at": "2026-12-06T09:00:00Z", "why": "read in print",
        "status": "active"
    });
    std::fs::write(&file, format!("{c}\n")).expect("write");
    let said = ok(&fond(
        &a,
        &["corrections", "import", file.to_str().unwrap_or_default()],
    ));
    assert!(
        said.contains("1 conflict") && said.contains("changed in place"),
        "{said}"
    );
    let listed = ok(&fond(&a, &["check", "--kind", "correction-conflict"]));
    assert!(listed.contains("c-stale"), "{listed}");
    // Taken back: nothing of the edition changes, in place.
    let said = ok(&fond(
        &a,
        &[
            "corrections",
            "revert",
            "c-stale",
            "--why",
            "a misreading",
            "--by",
            "T. Ester",
        ],
    ));
    assert!(said.contains("changed in place"), "{said}");
    let listed = ok(&fond(&a, &["check", "--kind", "correction-conflict"]));
    assert!(!listed.contains("c-stale"), "{listed}");
    let rows_a = derived_rows(&a);
    // The whole edition re-derived: the same.
    let extra = fixture("letters-of-anna-example.txt");
    ok(&fond(&a, &["ingest", extra.to_str().unwrap_or_default()]));
    ok(&fond(&a, &["remove", "letters-of-anna-example.txt"]));
    assert_eq!(rows_a, derived_rows(&a));
}

#[test]
fn an_applied_correction_reverted_in_place_equals_a_full_re_derivation() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = small_archive(tmp.path());
    let id_of = |said: &str| said.split(':').next().unwrap_or_default().to_string();
    let correct = |field: &str, value: &str| {
        ok(&fond(
            &a,
            &[
                "correct",
                "letters-to-petrov/1",
                field,
                value,
                "--why",
                "read in the facsimile",
                "--by",
                "T. Ester",
            ],
        ))
    };
    let place = id_of(&correct("place", "Moscow"));
    let note = id_of(&correct("note:1:text", "A notation in Petrov's hand."));
    let date = id_of(&correct("date", "1925-07-13"));
    let revert = |id: &str| {
        ok(&fond(
            &a,
            &["corrections", "revert", id, "--why", "a misreading"],
        ))
    };
    // A place and a note's text get their recovered values back in place.
    for id in [&place, &note] {
        let said = revert(id);
        assert!(said.contains("changed in place"), "{said}");
    }
    let shown = ok(&fond(&a, &["show", "letters-to-petrov/1", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&shown).expect("json");
    assert_eq!(v["place"], "Rostov", "{shown}");
    assert_eq!(v["corrected"], json!(["date"]), "{shown}");
    // The whole edition re-derived gives the same.
    let rows_a = derived_rows(&a);
    let extra = fixture("letters-of-anna-example.txt");
    ok(&fond(&a, &["ingest", extra.to_str().unwrap_or_default()]));
    ok(&fond(&a, &["remove", "letters-of-anna-example.txt"]));
    assert_eq!(rows_a, derived_rows(&a));
    // A date's printed text cannot be rebuilt from the EDTF it recorded:
    // the whole edition is derived again.
    let said = revert(&date);
    assert!(said.contains("re-derived"), "{said}");
    // A decision on a name among the corrected addressees was judged on
    // them: taking the addressees back goes the full way, which judges
    // the decision again.
    let parties = id_of(&correct("addressees", "Petrov; Sidorov"));
    ok(&fond(
        &a,
        &[
            "correct",
            "letters-to-petrov/1",
            "mention",
            "Sidorov",
            "none",
            "--in",
            "addressee",
            "--why",
            "another Sidorov",
        ],
    ));
    let said = revert(&parties);
    assert!(said.contains("re-derived"), "{said}");
}

// ---------------------------------------------------------------------------
// The anchored kinds over the whole corpus

/// A word of a document's reading text that an emendation can anchor on:
/// letters only, seven or more, standing once in the text (so the test
/// can change it in the source later), with its context as `fond correct`
/// records it.
fn emendable(body: &str, mut skip: usize) -> Option<(String, String, String)> {
    use fond_text::quote::{context, find, Found, CONTEXT_CHARS};
    let mut at = 0;
    for word in body.split(|c: char| !c.is_alphabetic()) {
        let start = body[at..].find(word).map(|k| at + k)?;
        at = start + word.len();
        // A lowercase word: never part of a name, so the emendation
        // leaves the links as they are.
        if word.chars().count() < 7 || !word.chars().all(char::is_lowercase) {
            continue;
        }
        if find(body, word, "", "") != Found::At(start..at) {
            continue;
        }
        if skip > 0 {
            skip -= 1;
            continue;
        }
        let (prefix, suffix) = context(body, start..at, CONTEXT_CHARS);
        return Some((word.to_string(), prefix, suffix));
    }
    None
}

/// A resolved name in a document's body that a decision can anchor on,
/// with its context: `(surface, prefix, suffix, entity)`.
fn decidable(doc: &Value) -> Option<(String, String, String, String)> {
    use fond_text::quote::{context, find, Found, CONTEXT_CHARS};
    let body = doc["body_text"].as_str()?;
    doc["mentions"].as_array()?.iter().find_map(|m| {
        if m["field"] != "body" || m["resolved"] != true {
            return None;
        }
        let (s, e) = (m["start"].as_u64()? as usize, m["end"].as_u64()? as usize);
        let surface = body.get(s..e)?;
        let (prefix, suffix) = context(body, s..e, CONTEXT_CHARS);
        (find(body, surface, &prefix, &suffix) == Found::At(s..e)).then(|| {
            (
                surface.to_string(),
                prefix,
                suffix,
                m["entity"].as_str().unwrap_or_default().to_string(),
            )
        })
    })
}

/// Whether a document shows an emendation: the reading where the quote
/// was, with the same context.
fn emended(doc: &Value, prefix: &str, reading: &str, suffix: &str) -> bool {
    let body = fond_text::quote::fold_space(doc["body_text"].as_str().unwrap_or_default());
    body.contains(&format!("{prefix}{reading}{suffix}"))
}

/// A document's body as printed (emended runs as their print, from the
/// JSON's blocks) and, for each emended run, where it ends in the print
/// and how much longer the reading is: what maps a place in the print to
/// the reading text the links count in.
/// The print, the emended runs' (end, shift), the note calls' (n, at).
type Printed = (String, Vec<(usize, i64)>, Vec<(u64, usize)>);

fn printed(doc: &Value) -> Printed {
    let mut out = String::new();
    let mut shifts = Vec::new();
    let mut calls = Vec::new();
    for (bi, b) in doc["body"].as_array().into_iter().flatten().enumerate() {
        if bi > 0 {
            out.push_str("\n\n");
        }
        for i in b["inlines"].as_array().into_iter().flatten() {
            let text = i["text"].as_str().unwrap_or_default();
            match i["t"].as_str().unwrap_or_default() {
                "text" | "emph" => out.push_str(text),
                "supplied" => out.push_str(&format!("[{text}]")),
                "line-break" => out.push('\n'),
                "emended" => {
                    let sic = i["sic"].as_str().unwrap_or_default();
                    out.push_str(sic);
                    shifts.push((out.len(), text.len() as i64 - sic.len() as i64));
                }
                "note-call" => calls.push((i["n"].as_u64().unwrap_or(0), out.len())),
                _ => {}
            }
        }
    }
    (out, shifts, calls)
}

/// The text a note's first call follows, as printed (what a call
/// correction records as recovered), or `None` when no call stands.
fn call_context(doc: &Value, n: u64) -> Option<String> {
    let (body, _, calls) = printed(doc);
    let at = calls.iter().find(|(k, _)| *k == n)?.1;
    Some(fond_text::quote::context(&body[..at], at..at, fond_text::quote::CONTEXT_CHARS).0)
}

/// The entity a document's body links at `surface` with its context (over
/// the print), if any.
fn linked_at(doc: &Value, surface: &str, prefix: &str, suffix: &str) -> Option<String> {
    use fond_text::quote::{find, Found};
    let (body, shifts, _) = printed(doc);
    let Found::At(r) = find(&body, surface, prefix, suffix) else {
        return None;
    };
    let shift: i64 = shifts
        .iter()
        .filter(|(end, _)| *end <= r.start)
        .map(|(_, d)| d)
        .sum();
    let start = (r.start as i64 + shift) as u64;
    let end = (r.end as i64 + shift) as u64;
    doc["mentions"].as_array()?.iter().find_map(|m| {
        (m["field"] == "body"
            && m["start"].as_u64() == Some(start)
            && m["end"].as_u64() == Some(end))
        .then(|| m["entity"].as_str().unwrap_or_default().to_string())
    })
}

struct Anchored {
    doc: String,
    kind: &'static str,
    exact: String,
    prefix: String,
    suffix: String,
    /// The reading, the entity decided ("" for none), the document joined,
    /// the document split off.
    value: String,
    /// The note whose call moves.
    note: u64,
}

impl Anchored {
    fn holds(&self, a: &Path) -> bool {
        match self.kind {
            "text" => emended(&show(a, &self.doc), &self.prefix, &self.value, &self.suffix),
            "call" => call_context(&show(a, &self.doc), self.note)
                .is_some_and(|c| c.ends_with(&self.exact)),
            "split" => {
                let left = show(a, &self.doc);
                fond(a, &["show", &self.value]).status.success()
                    && !left["witnesses"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|w| w["source"] == self.exact.as_str())
            }
            "mention" => {
                let now = linked_at(&show(a, &self.doc), &self.exact, &self.prefix, &self.suffix);
                now.unwrap_or_default() == self.value
            }
            _ => {
                !fond(a, &["show", &self.doc]).status.success()
                    && show(a, &self.value)["witnesses"]
                        .as_array()
                        .is_some_and(|ws| ws.len() > 1)
            }
        }
    }
}

// Long: one scenario told in order (make, re-ingest, change, account).
#[test]
fn emendations_and_mention_decisions_over_the_whole_corpus_hold_or_wait() {
    let Some(corpus) = corpus() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let copy = tmp.path().join("corpus");
    std::fs::create_dir_all(&copy).expect("dir");
    for e in std::fs::read_dir(&corpus).expect("corpus") {
        let p = e.expect("entry").path();
        if p.is_file() {
            std::fs::copy(&p, copy.join(p.file_name().expect("name"))).expect("copy");
        }
    }
    let a = tmp.path().join("archive");
    ok(&fond(&a, &["ingest", copy.to_str().unwrap_or_default()]));
    let ids: Vec<String> = ok(&fond(&a, &["list", "--json"]))
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|d| d["id"].as_str().map(String::from))
        .collect();

    // 50 emendations on real words, 50 decisions on real names (every
    // other one unlinks the name, the others give it to another person),
    // one of each per document; then documents joined as witnesses of
    // others, among those neither touches.
    let mut made: Vec<Anchored> = Vec::new();
    let mut lines = Vec::new();
    let mut spare: Vec<String> = Vec::new();
    let line = |i: usize, doc: &str, field: Value, recovered: Value, value: Value| {
        let mut target = field;
        target["document"] = json!(doc);
        json!({
            "id": format!("c-anchored-{i}"), "action": "set", "target": target,
            "recovered": recovered, "value": value, "by": "T. Ester",
            "at": "2026-12-06T08:00:00Z", "why": "the whole-corpus test", "status": "active",
        })
        .to_string()
    };
    let (mut texts, mut names) = (0, 0);
    for id in &ids {
        let doc = show(&a, id);
        let body = doc["body_text"].as_str().unwrap_or_default();
        let mut used = false;
        if texts < 50 {
            if let Some((word, prefix, suffix)) = emendable(body, 0) {
                let reading = format!("{word}·");
                let field =
                    json!({"field": "text", "exact": word, "prefix": prefix, "suffix": suffix});
                lines.push(line(made.len(), id, field, json!(word), json!(reading)));
                made.push(Anchored {
                    doc: id.clone(),
                    kind: "text",
                    exact: word,
                    prefix,
                    suffix,
                    value: reading,
                    note: 0,
                });
                texts += 1;
                used = true;
            }
        }
        if names < 50 {
            if let Some((surface, prefix, suffix, entity)) = decidable(&doc) {
                let other = if entity == "person:stalin-j" {
                    "person:molotov-v-m"
                } else {
                    "person:stalin-j"
                };
                let decided = if names % 2 == 0 { "" } else { other };
                let value = if decided.is_empty() {
                    Value::Null
                } else {
                    json!(decided)
                };
                let field = json!({"field": "mention", "place": "body", "exact": surface, "prefix": prefix, "suffix": suffix});
                lines.push(line(made.len(), id, field, json!(entity), value));
                made.push(Anchored {
                    doc: id.clone(),
                    kind: "mention",
                    exact: surface,
                    prefix,
                    suffix,
                    value: decided.to_string(),
                    note: 0,
                });
                names += 1;
                used = true;
            }
        }
        if !used {
            spare.push(id.clone());
        }
    }
    assert_eq!((texts, names), (50, 50), "the corpus has 50 of each");
    // Joins: pairs of documents neither kind touched.
    for pair in spare.chunks(2).filter(|p| p.len() == 2).take(5) {
        let field = json!({"field": "witness-of"});
        lines.push(line(
            made.len(),
            &pair[0],
            field,
            Value::Null,
            json!(pair[1]),
        ));
        made.push(Anchored {
            doc: pair[0].clone(),
            kind: "witness-of",
            exact: String::new(),
            prefix: String::new(),
            suffix: String::new(),
            value: pair[1].clone(),
            note: 0,
        });
    }
    // Witnesses split off: every document read from two sources that no
    // join touched; note calls moved: after the second word an emendation
    // could take, in every document with a note.
    let joined: Vec<String> = made
        .iter()
        .filter(|m| m.kind == "witness-of")
        .flat_map(|m| [m.doc.clone(), m.value.clone()])
        .collect();
    for id in ids.iter().filter(|id| !joined.contains(id)) {
        let doc = show(&a, id);
        let sources: Vec<String> = doc["witnesses"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|w| w["source"].as_str().map(String::from))
            .collect();
        let last = sources.last().cloned().unwrap_or_default();
        if sources.len() > 1 && sources.iter().filter(|s| **s == last).count() == 1 {
            let source = last;
            let field = json!({"field": "split", "source": source});
            lines.push(line(made.len(), id, field, Value::Null, json!(source)));
            made.push(Anchored {
                doc: id.clone(),
                kind: "split",
                value: format!("{id}/{}", fond_text::slug_ascii(&source)),
                exact: source,
                prefix: String::new(),
                suffix: String::new(),
                note: 0,
            });
        }
        let note = doc["notes"][0]["n"].as_u64();
        let body = doc["body_text"].as_str().unwrap_or_default();
        if let (Some(n), Some((word, prefix, suffix))) = (note, emendable(body, 1)) {
            let recovered = call_context(&doc, n).map_or(Value::Null, |c| json!(c));
            let field = json!({"field": "note-call", "note": n, "exact": word, "prefix": prefix, "suffix": suffix});
            lines.push(line(made.len(), id, field, recovered, json!(word)));
            made.push(Anchored {
                doc: id.clone(),
                kind: "call",
                exact: word,
                prefix,
                suffix,
                value: String::new(),
                note: n,
            });
        }
    }
    let count = |kind: &str| made.iter().filter(|m| m.kind == kind).count();
    eprintln!(
        "anchored corrections: {} text, {} mention, {} call, {} witness-of, {} split",
        count("text"),
        count("mention"),
        count("call"),
        count("witness-of"),
        count("split")
    );
    assert!(
        count("split") >= 3 && count("call") >= 50,
        "splits and calls"
    );
    let joins = made.iter().filter(|m| m.kind == "witness-of").count();
    assert!(joins >= 3, "{joins} joins");
    let file = tmp.path().join("anchored.jsonl");
    std::fs::write(&file, lines.join("\n")).expect("write");
    ok(&fond(
        &a,
        &["corrections", "import", file.to_str().unwrap_or_default()],
    ));
    let total = made.len();
    let states = |a: &Path| -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for r in rows(a) {
            *m.entry(r["state"].as_str().unwrap_or("none").to_string())
                .or_default() += 1;
        }
        m
    };
    let held = |a: &Path| made.iter().filter(|m| m.holds(a)).count();
    let odd = |a: &Path| -> Vec<String> {
        rows(a)
            .iter()
            .filter(|r| r["state"] != "applied")
            .map(|r| r.to_string())
            .collect()
    };
    assert!(odd(&a).is_empty(), "{:#?}", odd(&a));
    assert_eq!(states(&a), BTreeMap::from([("applied".to_string(), total)]));
    let not_held: Vec<String> = made
        .iter()
        .filter(|m| !m.holds(&a))
        .map(|m| format!("{} {} {:?} {}", m.doc, m.kind, m.exact, m.note))
        .collect();
    assert!(not_held.is_empty(), "every correction shows: {not_held:?}");

    // Re-ingest the same sources: all hold.
    ok(&fond(&a, &["ingest", copy.to_str().unwrap_or_default()]));
    assert_eq!(states(&a), BTreeMap::from([("applied".to_string(), total)]));
    assert_eq!(held(&a), total);

    // A changed source: the first emended word and the first decided name
    // of the book are printed otherwise now (the stand-in for a reader
    // that reads them otherwise).
    let book = copy.join("letters-to-molotov-1925-1936.book.md");
    let mut text = std::fs::read_to_string(&book).expect("book");
    let in_book = |kind: &str, not_in: &str| {
        made.iter()
            .position(|m| {
                m.kind == kind && m.doc.starts_with("letters-to-molotov/") && m.doc != not_in
            })
            .expect("one in the book")
    };
    let t = in_book("text", "");
    let n = in_book("mention", &made[t].doc);
    for k in [t, n] {
        let m = &made[k];
        let w = &show(&a, &m.doc)["witnesses"][0];
        let (first, last) = (
            w["first_line"].as_u64().unwrap_or(0) as usize,
            w["last_line"].as_u64().unwrap_or(0) as usize,
        );
        let mut ls: Vec<String> = text.lines().map(String::from).collect();
        for l in &mut ls[first - 1..last] {
            *l = l.replace(&m.exact, &format!("{}x", m.exact));
        }
        text = ls.join("\n") + "\n";
    }
    std::fs::write(&book, text).expect("write");
    ok(&fond(&a, &["ingest", copy.to_str().unwrap_or_default()]));

    let all = rows(&a);
    assert_eq!(all.len(), total, "no correction is lost");
    let conflicts: Vec<Value> = ok(&fond(
        &a,
        &["check", "--kind", "correction-conflict", "--json"],
    ))
    .lines()
    .map(|l| serde_json::from_str(l).expect("json"))
    .collect();
    let mut waiting = Vec::new();
    for r in &all {
        let id = r["id"].as_str().unwrap_or_default();
        match r["state"].as_str().unwrap_or_default() {
            "applied" | "agrees" => {}
            "conflict" | "missing-document" | "missing-note" | "not-found" | "ambiguous" => {
                assert!(
                    conflicts.iter().any(|f| f["message"]
                        .as_str()
                        .is_some_and(|m| m.contains(&format!("correction {id} ")))),
                    "{id} waits but fond check does not list it"
                );
                waiting.push(id.to_string());
            }
            other => panic!("{id}: unexpected state {other}"),
        }
    }
    assert_eq!(
        held(&a) + waiting.len(),
        total,
        "held or waiting: {waiting:?}"
    );
    let mut changed = vec![format!("c-anchored-{t}"), format!("c-anchored-{n}")];
    changed.sort();
    waiting.sort();
    assert_eq!(waiting, changed, "exactly the two whose words changed");
    assert_eq!(conflicts.len(), 2);
}
