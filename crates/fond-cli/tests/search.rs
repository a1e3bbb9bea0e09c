//! Search from the command line: the index ingest keeps beside the
//! archive, `fond search --json` and its contract, errors, `fond kwic`,
//! `fond similar`, and names found through the people authority.

mod common;

use common::{corpus, fixture, fond, mini_archive, stderr, stdout};
use serde_json::Value;
use std::path::Path;

fn search_json(a: &Path, q: &str) -> Value {
    let o = fond(a, &["search", q, "--json", "--limit", "50"]);
    assert!(o.status.success(), "{q}: {}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("search --json is JSON")
}

fn hit_ids(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|h| h["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn ingest_builds_the_index_and_search_follows_the_contract() {
    let (_tmp, a) = mini_archive();
    assert!(
        a.join("search").is_dir(),
        "ingest leaves the index beside the archive"
    );
    let v = search_json(&a, "harvest");
    assert_eq!(v["total"], 1);
    let hit = &v["hits"][0];
    assert_eq!(hit["id"], "letters-to-petrov/1");
    assert!(hit["score"].as_f64().is_some_and(|s| s > 0.0));
    assert!(
        hit["snippet"]
            .as_str()
            .is_some_and(|s| s.contains("«harvest»")),
        "{hit}"
    );
    for facet in ["year", "kind", "from", "to", "people"] {
        assert!(v["facets"][facet].is_object(), "facets.{facet}: {v}");
    }
    assert_eq!(v["facets"]["year"]["1925"], 1);
    assert_eq!(v["facets"]["people"]["Sidorov, S. S."], 1);
}

#[test]
fn fields_dates_references_and_names() {
    let (_tmp, a) = mini_archive();
    // "[No earlier than 6 August 1925]" overlaps August 1925; letter 1 of
    // 12 July does not.
    assert_eq!(
        hit_ids(&search_json(&a, "date:1925-08")),
        ["letters-to-petrov/2"]
    );
    // Letter 2's note is "Ibid., l. 4." of letter 1's Special File reference.
    assert_eq!(
        hit_ids(&search_json(&a, "ref:\"f. 17, op. 162\"")),
        ["letters-to-petrov/1", "letters-to-petrov/2"]
    );
    assert_eq!(
        hit_ids(&search_json(&a, "in:notes Politburo")),
        ["letters-to-petrov/1"]
    );
    // The glossary's cross-reference: Kolia is Sidorov. Letter 1 names him
    // as Sidorov, letter 2 as Kolia.
    let kolia = hit_ids(&search_json(&a, "mentions:Kolia kind:letter"));
    assert_eq!(kolia.len(), 2, "{kolia:?}");
    assert_eq!(
        kolia,
        hit_ids(&search_json(&a, "mentions:Sidorov kind:letter"))
    );
    // A Cyrillic sender.
    assert_eq!(
        hit_ids(&search_json(&a, "from:Иванов")),
        ["letters-to-petrov/1", "letters-to-petrov/2"]
    );
}

#[test]
fn a_query_that_does_not_parse_is_pointed_at() {
    let (_tmp, a) = mini_archive();
    for (q, says) in [
        ("harvest AND (", "never closed"),
        ("date:1925-13", "date"),
        ("\"unclosed", "quote"),
    ] {
        let o = fond(&a, &["search", q]);
        assert_eq!(o.status.code(), Some(2), "{q}");
        let e = stderr(&o);
        assert!(e.contains("does not parse"), "{q}: {e}");
        assert!(e.to_lowercase().contains(says), "{q}: {e}");
        assert!(!e.contains("panicked"), "{q}: {e}");
    }
}

#[test]
fn the_index_is_rebuilt_only_when_it_must_be() {
    let (_tmp, a) = mini_archive();
    let again = fond(
        &a,
        &[
            "ingest",
            "--json",
            fixture("mini-edition.md").to_str().unwrap_or_default(),
        ],
    );
    let v: Value = serde_json::from_str(&stdout(&again)).expect("json");
    assert!(v["indexed"].is_null(), "unchanged archive, index kept: {v}");
    // The index is derived: deleted, the next search builds it again.
    std::fs::remove_dir_all(a.join("search")).expect("remove index");
    assert_eq!(search_json(&a, "harvest")["total"], 1);
    // `fond index` forces a rebuild and reports it.
    let o = fond(&a, &["index", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(r["documents"], 6);
    assert!(r["index_bytes"].as_u64().is_some_and(|b| b > 0));
}

#[test]
fn concordance_and_similar_documents() {
    let (_tmp, a) = mini_archive();
    let o = fond(&a, &["kwic", "good", "--csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = stdout(&o);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("id,field,left,keyword,right"));
    let rows: Vec<&str> = lines.collect();
    // "The harvest is *good* and **very** good": two occurrences, in order.
    assert_eq!(rows.len(), 2, "{csv}");
    assert!(rows[0].starts_with("letters-to-petrov/1,body,"), "{csv}");
    assert!(rows[0].contains(",good,"), "{csv}");

    let o = fond(&a, &["similar", "1", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for line in stdout(&o).lines() {
        let v: Value = serde_json::from_str(line).expect("json line");
        assert_ne!(v["id"], "letters-to-petrov/1", "not itself");
    }
    let o = fond(&a, &["similar", "no-such-document"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("no document"), "{}", stderr(&o));
}

/// Nicknames, first names and scripts through the people authority built
/// from the book's glossary: every spelling finds the same documents.
#[test]
fn names_through_the_authority_on_the_corpus() {
    let Some(corpus) = corpus() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let o = fond(&a, &["ingest", corpus.to_str().unwrap_or_default()]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", stderr(&o));
    let set = |q: &str| {
        let o = fond(&a, &["search", q, "--json", "--limit", "1000"]);
        assert!(o.status.success(), "{q}: {}", stderr(&o));
        let v: Value = serde_json::from_str(&stdout(&o)).expect("json");
        let mut ids = hit_ids(&v);
        ids.sort();
        ids
    };
    for group in [
        &[
            "mentions:Sergo",
            "mentions:Ordzhonikidze",
            "mentions:Орджоникидзе",
        ][..],
        &["mentions:Koba", "mentions:Stalin", "mentions:Сталин"][..],
        &[
            "mentions:Bukharin",
            "mentions:Бухарин",
            "mentions:\"Bukharin, N. I.\"",
        ][..],
        &["mentions:Zinoviev", "mentions:Зиновьев", "mentions:Grisha"][..],
    ] {
        let first = set(group[0]);
        assert!(!first.is_empty(), "{}", group[0]);
        for q in &group[1..] {
            assert_eq!(set(q), first, "{q} and {} differ", group[0]);
        }
    }
    // Letter 30 is signed "Koba"; letter 70 speaks of "Koba's letter".
    let koba = set("mentions:Koba kind:letter");
    for want in ["letters-to-molotov/30", "letters-to-molotov/70"] {
        assert!(koba.iter().any(|k| k == want), "{want} in {koba:?}");
    }
}

/// An ingest that changed few documents updates the index in place
/// (those documents' entries, compared by hash) rather than building it
/// anew; the answers are those of a full build.
#[test]
fn an_ingest_that_changes_one_letter_updates_the_index_in_place() {
    let tmp = tempfile::tempdir().expect("tmp");
    let book = tmp.path().join("mini-edition.md");
    let text = std::fs::read_to_string(fixture("mini-edition.md")).expect("fixture");
    std::fs::write(&book, &text).expect("copy");
    let a = tmp.path().join("archive");
    let ingest = |a: &Path| -> Value {
        let o = fond(a, &["ingest", "--json", book.to_str().unwrap_or_default()]);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_str(&stdout(&o)).expect("summary")
    };
    let first = ingest(&a);
    assert!(first["indexed"]["updated"].is_null(), "{first}");
    std::fs::write(
        &book,
        text.replace("Received your letter.", "Zqxletter arrived."),
    )
    .expect("write");
    let second = ingest(&a);
    let updated = second["indexed"]["updated"]
        .as_u64()
        .expect("updated in place");
    assert!((1..=2).contains(&updated), "{second}");
    assert_eq!(
        search_json(&a, "zqxletter")["hits"][0]["id"],
        "letters-to-petrov/2"
    );
    assert_eq!(search_json(&a, "received")["total"], 0);
    let queries = [
        "harvest",
        "year:1925",
        "from:Ivanov",
        "kind:letter",
        "zqxletter",
    ];
    let in_place: Vec<Value> = queries.iter().map(|q| search_json(&a, q)).collect();
    let o = fond(&a, &["index"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for (q, before) in queries.iter().zip(&in_place) {
        let built = search_json(&a, q);
        assert_eq!(before["total"], built["total"], "{q}");
        assert_eq!(before["facets"], built["facets"], "{q}");
    }
}
