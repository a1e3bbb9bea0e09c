//! TEI input through the real binary: hostile files refused while the
//! good ones go in, and the round trip export → ingest → export on the
//! real corpus.

mod common;

use common::{corpus, fixture, fond, stderr, stdout};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The `id` of every JSON line `fond … --json` printed.
fn json_ids(out: &str) -> Vec<String> {
    out.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|d| d["id"].as_str().map(str::to_string))
        .collect()
}

const LETTER: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="K1">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Humboldt an Kunth</title></titleStmt>
      <publicationStmt>
        <availability><licence target="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA 4.0</licence></availability>
        <idno type="URLWeb">https://edition-humboldt.de/v11/K1</idno>
      </publicationStmt>
      <sourceDesc><p>Manuscript.</p></sourceDesc>
    </fileDesc>
    <profileDesc><correspDesc>
      <correspAction type="sent"><persName ref="http://d-nb.info/gnd/118554700">Humboldt, Alexander von</persName><placeName>Berlin</placeName><date when="1848-05-26"/></correspAction>
      <correspAction type="received"><persName ref="http://d-nb.info/gnd/115674667">Kunth, Carl Sigismund</persName></correspAction>
    </correspDesc></profileDesc>
  </teiHeader>
  <text><body><div><p>Ich habe die grosse Freude Ihnen zu melden.</p></div></body></text>
</TEI>
"#;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write fixture");
    p
}

#[test]
fn hostile_tei_is_refused_and_harms_nothing() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let good = tmp.path().join("good");
    std::fs::create_dir_all(&good).expect("dir");
    write(&good, "K1.xml", LETTER.as_bytes());
    let o = fond(&a, &["ingest", good.to_str().unwrap_or_default()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = std::fs::read(a.join("fond.sqlite")).expect("archive");

    let bad = tmp.path().join("bad");
    std::fs::create_dir_all(&bad).expect("dir");
    write(
        &bad,
        "xxe.xml",
        b"<?xml version=\"1.0\"?>\n<!DOCTYPE TEI SYSTEM \"file:///etc/passwd\">\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body><p>&xxe;</p></body></text></TEI>",
    );
    let mut lol = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE TEI [\n<!ENTITY a \"lol\">\n");
    for i in 0..9 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("e{}", i - 1)
        };
        lol.push_str(&format!(
            "<!ENTITY e{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    lol.push_str("]>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body><p>&e8;</p></body></text></TEI>");
    write(&bad, "lol.xml", lol.as_bytes());
    let mut deep = String::from("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body>\n");
    deep.push_str(&"<hi>".repeat(100_000));
    deep.push_str(&"</hi>".repeat(100_000));
    deep.push_str("</body></text></TEI>");
    write(&bad, "deep.xml", deep.as_bytes());
    let mut attr =
        String::from("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body>\n<p rend=\"");
    attr.push_str(&"a".repeat(1024 * 1024));
    attr.push_str("\">x</p></body></text></TEI>");
    write(&bad, "attr.xml", attr.as_bytes());
    // A huge file is refused on its size before it is read: a sparse
    // file costs no disk.
    let huge = std::fs::File::create(bad.join("huge.xml")).expect("huge");
    huge.set_len(200 * 1024 * 1024).expect("sparse file");
    drop(huge);
    let o = fond(&a, &["ingest", bad.to_str().unwrap_or_default()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("xxe.xml:2: a DTD"), "{err}");
    assert!(err.contains("lol.xml:2: a DTD"), "{err}");
    assert!(err.contains("deep.xml:2: elements nested deeper"), "{err}");
    assert!(err.contains("attr.xml:2: attribute rend"), "{err}");
    assert!(
        err.contains("huge.xml:1: the file is 209715200 bytes"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(a.join("fond.sqlite")).expect("archive"),
        before,
        "refused files leave the archive byte for byte as it was"
    );

    // In one ingest with a good letter, the good one still goes in.
    write(&bad, "K2.xml", LETTER.replace("K1", "K2").as_bytes());
    let o = fond(&a, &["ingest", bad.to_str().unwrap_or_default()]);
    assert_eq!(o.status.code(), Some(1));
    let list = stdout(&fond(&a, &["list", "--json"]));
    let ids = json_ids(&list);
    assert_eq!(
        ids,
        vec!["edition-humboldt-de/K1", "edition-humboldt-de/K2"]
    );
    // The attribution is shown with the letter.
    let show = stdout(&fond(&a, &["show", "edition-humboldt-de/K2"]));
    assert!(show.contains("CC BY-SA 4.0"), "{show}");
    // Parties with URIs are people keyed by the URI, one per person.
    let people = stdout(&fond(&a, &["people", "--json"]));
    let ids = json_ids(&people);
    assert_eq!(
        ids,
        vec![
            "http://d-nb.info/gnd/118554700",
            "http://d-nb.info/gnd/115674667"
        ]
    );
}

fn export(archive: &Path, out: &Path) -> BTreeMap<String, String> {
    let o = fond(
        archive,
        &[
            "export",
            "--format",
            "tei",
            "--out",
            out.to_str().unwrap_or_default(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::read_dir(out)
        .expect("export dir")
        .filter_map(|e| e.ok())
        .map(|e| {
            (
                e.file_name().to_string_lossy().to_string(),
                std::fs::read_to_string(e.path()).expect("utf-8"),
            )
        })
        .collect()
}

/// Export → ingest into a fresh archive → export again, from the archive
/// made of `sources`; returns both exports.
fn round_trip(
    sources: &[&Path],
) -> (
    tempfile::TempDir,
    BTreeMap<String, String>,
    BTreeMap<String, String>,
) {
    let tmp = tempfile::tempdir().expect("tmp");
    let a1 = tmp.path().join("a1");
    let a2 = tmp.path().join("a2");
    let mut args = vec!["ingest"];
    args.extend(sources.iter().map(|p| p.to_str().unwrap_or_default()));
    let o = fond(&a1, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let dir_a = tmp.path().join("A");
    let dir_b = tmp.path().join("B");
    let a = export(&a1, &dir_a);
    let o = fond(&a2, &["ingest", dir_a.to_str().unwrap_or_default()]);
    assert!(o.status.success(), "ingest of the export: {}", stderr(&o));
    let b = export(&a2, &dir_b);
    (tmp, a, b)
}

/// Names of the files whose two versions differ (or that one side lacks).
fn differing(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> Vec<String> {
    a.keys()
        .chain(b.keys())
        .filter(|name| a.get(*name) != b.get(*name))
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn records(personography: &str) -> usize {
    ["<person ", "<org ", "<bibl "]
        .iter()
        .map(|t| personography.matches(t).count())
        .sum()
}

/// `fond export --format tei` → `fond ingest` into a fresh archive →
/// `fond export --format tei` again: every file is identical byte for
/// byte, `persons.xml` included. The second archive has no book and so no
/// glossary; its people, bodies and periodicals come from the first
/// export's `persons.xml`, read back as the authority file.
#[test]
fn tei_export_reads_back_and_exports_the_same() {
    let Some(c) = corpus() else { return };
    let (_tmp, a, b) = round_trip(&[&c]);
    let differ = differing(&a, &b);
    eprintln!(
        "TEI round trip: {} of {} files byte-identical; persons.xml: {} records first, {} after",
        a.len() - differ.len(),
        a.len(),
        records(&a["persons.xml"]),
        records(&b["persons.xml"]),
    );
    assert!(differ.is_empty(), "files that differ: {differ:?}");
    assert!(records(&a["persons.xml"]) > 300, "the glossary's records");
}

/// The same on a small book of this crate's fixtures, so that the round
/// trip is tested where the corpus is absent too.
#[test]
fn a_small_edition_makes_the_round_trip_personography_included() {
    let book = fixture("mini-edition.md");
    let (_tmp, a, b) = round_trip(&[&book]);
    assert!(a.len() > 2, "documents and persons.xml: {:?}", a.keys());
    assert!(records(&a["persons.xml"]) > 0, "{}", a["persons.xml"]);
    assert_eq!(differing(&a, &b), Vec::<String>::new());
}

/// Another edition's TEI makes the round trip too: the 440 Humboldt
/// letters, once in fond's shape, export → ingest → export identically
/// (their people keyed by the edition's URIs, their dates' certainty).
#[test]
fn the_humboldt_letters_make_the_round_trip() {
    let dir = fond_test_support::external("humboldt-letters");
    if !fond_test_support::path_available(&dir) {
        return;
    }
    // The letters of the data set (440 when this test was written; the
    // shared copy has grown since), each one file, and persons.xml.
    let letters = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "xml"))
                .count()
        })
        .unwrap_or(0);
    assert!(letters >= 440, "{letters}");
    let (_tmp, a, b) = round_trip(&[&dir]);
    assert_eq!(a.len(), letters + 1, "the letters and persons.xml");
    assert_eq!(differing(&a, &b), Vec::<String>::new());
}

/// Without the personography, the letters still read back: every name
/// keeps its link and gets a minimal record under the same id, so no
/// reference dangles.
#[test]
fn without_persons_xml_every_reference_still_has_a_record() {
    let book = fixture("mini-edition.md");
    let tmp = tempfile::tempdir().expect("tmp");
    let a1 = tmp.path().join("a1");
    let a2 = tmp.path().join("a2");
    let o = fond(&a1, &["ingest", book.to_str().unwrap_or_default()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dir_a = tmp.path().join("A");
    let a = export(&a1, &dir_a);
    std::fs::remove_file(dir_a.join("persons.xml")).expect("remove persons.xml");
    let o = fond(&a2, &["ingest", dir_a.to_str().unwrap_or_default()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let b = export(&a2, &tmp.path().join("B"));
    let refs = regex::Regex::new(r#"ref="persons\.xml#([^"]+)""#).unwrap();
    let ids = regex::Regex::new(r#"xml:id="([^"]+)""#).unwrap();
    let known: std::collections::BTreeSet<&str> = ids
        .captures_iter(&b["persons.xml"])
        .filter_map(|c| c.get(1).map(|m| m.as_str()))
        .collect();
    let linked: Vec<String> = b
        .values()
        .flat_map(|x| refs.captures_iter(x))
        .filter_map(|c| c.get(1).map(|m| m.as_str().to_string()))
        .collect();
    assert!(!linked.is_empty(), "the letters name people");
    let dangling: Vec<&String> = linked
        .iter()
        .filter(|r| !known.contains(r.as_str()))
        .collect();
    assert!(
        dangling.is_empty(),
        "references without a record: {dangling:?}"
    );
    assert!(
        records(&b["persons.xml"]) < records(&a["persons.xml"]),
        "only the names used have records"
    );
}

/// The merge rule with the book's glossary: a party whose name is exactly
/// a glossary person's is that person (even with a URI of its own); a
/// party not in the glossary is a person keyed by its URI; a bare surname
/// stays unlinked, though the glossary's surname rules would link it in
/// the book's own texts.
#[test]
fn tei_parties_merge_into_the_glossary_only_on_an_exact_name_or_reference() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("archive");
    let letter = LETTER
        .replace(
            r#"<persName ref="http://d-nb.info/gnd/118554700">Humboldt, Alexander von</persName>"#,
            r#"<persName ref="http://example.org/petrov">Petrov, V. P.</persName><persName>Ivanov</persName>"#,
        )
        .replace("K1", "P1");
    let f = write(tmp.path(), "P1.xml", letter.as_bytes());
    let book = fixture("mini-edition.md");
    let o = fond(
        &a,
        &[
            "ingest",
            book.to_str().unwrap_or_default(),
            f.to_str().unwrap_or_default(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let people = stdout(&fond(&a, &["people", "--json"]));
    let ids = json_ids(&people);
    assert!(ids.contains(&"petrov-v-p".to_string()), "{ids:?}");
    assert!(
        !ids.iter().any(|i| i == "http://example.org/petrov"),
        "the exact glossary name wins: {ids:?}"
    );
    assert!(
        ids.contains(&"http://d-nb.info/gnd/115674667".to_string()),
        "Kunth, not in the glossary, is keyed by his URI: {ids:?}"
    );
    let out = tmp.path().join("tei");
    let o = fond(
        &a,
        &[
            "export",
            "--format",
            "tei",
            "--out",
            out.to_str().unwrap_or_default(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let xml = std::fs::read_to_string(out.join("edition-humboldt-de.P1.xml")).expect("P1");
    assert!(
        xml.contains(r#"<persName ref="persons.xml#petrov-v-p">Petrov, V. P.</persName>"#),
        "{xml}"
    );
    assert!(
        xml.contains("<persName>Ivanov</persName>"),
        "a bare surname is not enough: {xml}"
    );
}
