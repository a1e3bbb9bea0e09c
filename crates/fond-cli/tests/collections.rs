//! Bringing in a collection fond has never seen: the general letter
//! reader, `fond profile`, a profile adjusted by an editor and ingested
//! beside the source (stored with it, so a change re-derives the edition),
//! `--shape` to choose a reader, and a real collection through the CLI.

mod common;

use common::{fixture, fond, stderr, stdout};

fn letters(list: &str) -> Vec<serde_json::Value> {
    list.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["kind"] == "letter")
        .collect()
}

#[test]
fn a_new_collection_profile_adjusted_and_ingested_again() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let src = fixture("letters-of-anna-example.txt");
    let src_s = src.display().to_string();

    // What fond infers, before anything is ingested.
    let o = fond(&a, &["profile", &src_s]);
    assert!(o.status.success(), "{}", stderr(&o));
    let profile = stdout(&o);
    assert!(profile.contains("[profile]"), "{profile}");
    assert!(profile.contains("shape = \"plain-letters\""), "{profile}");
    assert!(profile.contains("author = \"Anna Example\""), "{profile}");
    assert!(profile.contains("recipient = \"Bertha\""), "{profile}");
    assert!(profile.contains("century = 1800"), "{profile}");

    let o = fond(&a, &["ingest", &src_s]);
    assert!(o.status.success(), "{}", stderr(&o));
    let list = stdout(&fond(&a, &["list", "--json"]));
    let l = letters(&list);
    assert_eq!(l.len(), 3, "{list}");
    assert_eq!(l[0]["senders"][0], "Anna Example");
    assert_eq!(l[1]["addressees"][0], "Bertha");
    // A two-digit year takes the collection's century.
    assert_eq!(l[1]["date"]["earliest"], "1851-04-12", "{}", l[1]);
    let show = stdout(&fond(&a, &["show", "1", "--json"]));
    let doc: serde_json::Value = serde_json::from_str(&show).expect("json");
    assert_eq!(doc["notes"][0]["by"], "Ed.", "{show}");

    // The editor names the recipient in full and the collection; the
    // profile goes in beside the source and re-derives the edition.
    let edited = profile
        .replace("recipient = \"Bertha\"", "recipient = \"Bertha Muster\"")
        .lines()
        .map(|l| {
            if l.starts_with("collection = ") {
                "collection = \"anna-example\"".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let pfile = tmp.path().join("anna.profile.toml");
    std::fs::write(&pfile, edited).expect("write profile");
    let o = fond(
        &a,
        &["ingest", &src_s, "--profile", &pfile.display().to_string()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let list = stdout(&fond(&a, &["list", "--json"]));
    let l = letters(&list);
    assert_eq!(l.len(), 3, "{list}");
    assert_eq!(l[0]["addressees"][0], "Bertha Muster", "{}", l[0]);
    assert_eq!(l[0]["id"], "anna-example/1", "{}", l[0]);
    // Stored: a later ingest of the source alone keeps the profile.
    let o = fond(&a, &["ingest", &src_s]);
    assert!(o.status.success(), "{}", stderr(&o));
    let list = stdout(&fond(&a, &["list", "--json"]));
    assert_eq!(letters(&list)[0]["id"], "anna-example/1");

    // A profile that does not read is named with its line.
    let bad = tmp.path().join("bad.profile.toml");
    std::fs::write(&bad, "[profile]\nsource = \"x\"\ncentury = \"soon\"\n").expect("write");
    let o = fond(&a, &["ingest", &bad.display().to_string()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("bad.profile.toml:3: edition profile"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_reader_chosen_by_hand_is_kept() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let src = fixture("letters-of-anna-example.txt").display().to_string();
    let o = fond(&a, &["ingest", "--shape", "text", &src]);
    assert!(o.status.success(), "{}", stderr(&o));
    let list = stdout(&fond(&a, &["list", "--json"]));
    assert_eq!(list.lines().count(), 1, "{list}");
    assert!(list.contains("\"kind\":\"text\""), "{list}");
    let o = fond(&a, &["ingest", "--shape", "sonnet", &src]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("unknown shape \"sonnet\""),
        "{}",
        stderr(&o)
    );
}

/// A real collection through the command line: Beethoven's letters, vol. II.
#[test]
fn beethovens_letters_come_in_whole() {
    let path = fond_test_support::external(
        "letters-dev/beethoven-letters-vol2/beethoven-letters-vol2.gutenberg-13272.txt",
    );
    if !fond_test_support::path_available(&path) {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let o = fond(&a, &["ingest", &path.display().to_string()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let list = stdout(&fond(&a, &["list", "--json"]));
    let l = letters(&list);
    assert_eq!(l.len(), 261);
    assert_eq!(l[0]["number"], 216);
    assert_eq!(l[260]["number"], 476);
    let o = fond(&a, &["search", "Ertmann", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("/220"), "{}", stdout(&o));
    let check = stdout(&fond(&a, &["check"]));
    assert!(check.contains("table of contents"), "{check}");
}

/// CMIF: every letter a catalogue describes goes in, marked as known by
/// its metadata only, and a party named by the same authority URI in two
/// files is one person.
#[test]
fn cmif_letters_go_in_and_their_people_are_keyed_by_uri() {
    let dir = fond_test_support::external("cmif-samples");
    let freud = dir.join("schnitzler-cmif_1955_Freud_an_Schnitzler.xml");
    let rilke = dir.join("schnitzler-cmif_1958_Rilke_Schnitzler.xml");
    if !fond_test_support::path_available(&freud) || !fond_test_support::path_available(&rilke) {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let o = fond(
        &a,
        &[
            "ingest",
            &freud.display().to_string(),
            &rilke.display().to_string(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let list = stdout(&fond(&a, &["list", "--json"]));
    let l = letters(&list);
    assert_eq!(l.len(), 25, "10 + 15 letters");
    assert!(l.iter().all(|d| d["metadata_only"] == true), "{list}");
    let full = stdout(&fond(&a, &["list", "--held", "full"]));
    assert!(
        full.contains("0 documents"),
        "no letter held in full: {full}"
    );
    let meta = stdout(&fond(&a, &["list", "--held", "metadata", "--json"]));
    assert_eq!(letters(&meta).len(), 25);
    let show = stdout(&fond(&a, &["show", l[0]["id"].as_str().unwrap_or("")]));
    assert!(show.contains("known by its metadata only"), "{show}");
    let people = stdout(&fond(&a, &["people", "--json"]));
    let schnitzler: Vec<&str> = people
        .lines()
        .filter(|p| p.contains("https://d-nb.info/gnd/118609807"))
        .collect();
    assert_eq!(
        schnitzler.len(),
        1,
        "one Schnitzler across both files: {people}"
    );
}

/// The CMIF round trip: the four real CMIF files in, `fond export --format
/// cmif` out, and every `correspDesc` of the files is in the export as the
/// file writes it, with the `bibl` it cites; the export read back gives
/// the same letters (ids, parties, dates, places, links online).
#[test]
fn cmif_letters_go_out_as_they_came_in() {
    let dir = fond_test_support::external("cmif-samples");
    if !fond_test_support::path_available(&dir) {
        return;
    }
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("cmif-samples")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "{files:?}");
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let mut args = vec!["ingest".to_string()];
    args.extend(files.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert!(fond(&a, &args).status.success());
    let out = tmp.path().join("cmif.xml");
    let o = fond(
        &a,
        &[
            "export",
            "--format",
            "cmif",
            "--out",
            out.to_str().unwrap_or(""),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let exported = std::fs::read_to_string(&out).expect("export");

    // Every correspDesc of every file, verbatim.
    let mut described = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).expect("utf-8");
        let mut rest = text.as_str();
        while let Some(start) = rest.find("<correspDesc") {
            let Some(len) = rest[start..].find("</correspDesc>") else {
                break;
            };
            let element = &rest[start..start + len + "</correspDesc>".len()];
            assert!(
                exported.contains(element),
                "{}: not given back:\n{element}",
                f.display()
            );
            described += 1;
            rest = &rest[start + len..];
        }
    }
    assert_eq!(described, exported.matches("<correspDesc").count());
    assert!(described >= 3000, "{described} letters");

    // Read back: the same letters. (Their numbers are not compared: a
    // number is the edition's key only where a file cites one edition, and
    // the export cites all four.)
    let o = fond(&b, &["ingest", out.to_str().unwrap_or("")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let key = |archive: &std::path::Path| -> std::collections::BTreeSet<String> {
        letters(&stdout(&fond(archive, &["list", "--json"])))
            .iter()
            .map(|d| {
                format!(
                    "{} | {} | {} | {} | {}",
                    d["senders"], d["addressees"], d["date"]["edtf"], d["place"], d["online"]
                )
            })
            .collect()
    };
    let (first, again) = (key(&a), key(&b));
    assert!(first.len() > 2900, "{} distinct letters", first.len());
    let lost: Vec<_> = first.difference(&again).take(5).collect();
    let gained: Vec<_> = again.difference(&first).take(5).collect();
    assert!(
        lost.is_empty() && gained.is_empty(),
        "the export read back differs: lost {lost:?}, gained {gained:?}"
    );

    // With --conform the same letters validate against the CMIF schema:
    // only what it forbids is changed, and the report counts it.
    let conformed = tmp.path().join("cmif-conform.xml");
    let o = fond(
        &a,
        &[
            "export",
            "--format",
            "cmif",
            "--conform",
            "--out",
            conformed.to_str().unwrap_or(""),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let report = stdout(&o);
    assert!(report.contains("@sameAs left out"), "{report}");
    let text = std::fs::read_to_string(&conformed).expect("export");
    assert_eq!(text.matches("<correspDesc").count(), described);
    assert!(!text.contains("sameAs="));
    let schema = fond_test_support::shared().join("schemas/cmif/cmi-customization.rng");
    match std::process::Command::new("jing")
        .arg(&schema)
        .arg(&conformed)
        .output()
    {
        Ok(v) => assert!(
            v.status.success(),
            "jing rejects the conformed export:\n{}",
            String::from_utf8_lossy(&v.stdout)
                .lines()
                .take(20)
                .collect::<Vec<_>>()
                .join("\n")
        ),
        Err(e) => {
            fond_test_support::available(format!("jing ({e})"), false);
        }
    }
}

/// A letter a CMIF file describes and the archive holds in full is one
/// document: the full text keeps its id and takes the entry as a witness,
/// the entry's own document goes, `fond check` lists the join, and the
/// CMIF export still gives the entry back as it came.
#[test]
fn a_catalogue_entry_joins_the_letter_held_in_full() {
    let cmif =
        fond_test_support::external("cmif-samples/schnitzler-cmif_1955_Freud_an_Schnitzler.xml");
    if !fond_test_support::path_available(&cmif) {
        return;
    }
    let text = std::fs::read_to_string(&cmif).expect("utf-8");
    let entries = text.matches("<correspDesc ").count();
    let tmp = tempfile::tempdir().expect("tmp");
    // The letter of the first entry (Freud to Schnitzler, 8 May 1906), in
    // full, with GND for one party and a bare name for the other.
    let letter = r#"<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="F1">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Freud an Schnitzler</title></titleStmt>
      <publicationStmt><publisher>Example</publisher></publicationStmt>
      <sourceDesc><p>test</p></sourceDesc>
    </fileDesc>
    <profileDesc>
      <correspDesc>
        <correspAction type="sent"><persName ref="https://d-nb.info/gnd/118535315">Sigmund Freud</persName><date when="1906-05-08"/></correspAction>
        <correspAction type="received"><persName>Arthur Schnitzler</persName></correspAction>
      </correspDesc>
    </profileDesc>
  </teiHeader>
  <text><body><p>Verehrter Herr Doktor, ich danke Ihnen.</p></body></text>
</TEI>
"#;
    let file = tmp.path().join("freud-1906.xml");
    std::fs::write(&file, letter).expect("write");
    let a = tmp.path().join("a");
    let o = fond(
        &a,
        &[
            "ingest",
            cmif.to_str().unwrap_or(""),
            file.to_str().unwrap_or(""),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));

    let list = stdout(&fond(&a, &["list", "--json"]));
    let docs: Vec<serde_json::Value> = list
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(docs.len(), entries, "the entry and the letter are one");
    let joined: Vec<&serde_json::Value> = docs
        .iter()
        .filter(|d| d["witnesses"].as_array().is_some_and(|w| w.len() == 2))
        .collect();
    assert_eq!(joined.len(), 1, "{list}");
    let held = joined[0];
    assert_eq!(held["metadata_only"], false);
    assert_eq!(held["date"]["earliest"], "1906-05-08");
    let id = held["id"].as_str().unwrap_or_default();
    let shown = stdout(&fond(&a, &["show", id]));
    assert!(shown.contains("ich danke Ihnen"), "{shown}");

    let check = stdout(&fond(&a, &["check", "--kind", "catalogue-entry"]));
    assert!(check.contains("same parties and day"), "{check}");

    // Schnitzler's letters by correspondent: one with Freud held in full,
    // the others known by metadata.
    let person: serde_json::Value = serde_json::from_str(&stdout(&fond(
        &a,
        &["person", "https://d-nb.info/gnd/118609807", "--json"],
    )))
    .expect("json");
    let by = &person["letters_by_correspondent"];
    assert_eq!(by.as_array().map(Vec::len), Some(1), "{by}");
    assert_eq!(by[0]["in_full"], 1);
    assert_eq!(by[0]["metadata_only"], entries - 1);
    assert!(by[0]["correspondent"]
        .as_str()
        .is_some_and(|c| c.contains("Freud")));

    // The correspondence network counts every letter once, those known by
    // metadata only included: one edge Freud → Schnitzler (both keyed by
    // GND, the letter's bare addressee by the entry's URI).
    let net = stdout(&fond(
        &a,
        &["network", "--format", "csv", "--graph", "letters"],
    ));
    assert_eq!(
        net.lines().nth(1).unwrap_or_default(),
        format!("https://d-nb.info/gnd/118535315,https://d-nb.info/gnd/118609807,{entries}"),
        "{net}"
    );

    // The export gives every entry back, the joined one included.
    let out = tmp.path().join("cmif.xml");
    let o = fond(
        &a,
        &[
            "export",
            "--format",
            "cmif",
            "--out",
            out.to_str().unwrap_or(""),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let exported = std::fs::read_to_string(&out).expect("export");
    let first = &text[text.find("<correspDesc ").unwrap_or(0)..];
    let first = &first[..first
        .find("</correspDesc>")
        .map_or(0, |e| e + "</correspDesc>".len())];
    assert!(!first.is_empty());
    assert!(
        exported.contains(first),
        "the joined entry goes out verbatim"
    );
    assert_eq!(exported.matches("<correspDesc").count(), entries);
}
