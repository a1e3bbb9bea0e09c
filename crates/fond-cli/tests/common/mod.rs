//! What the CLI test files share: running the binary, the fixtures, the
//! corpus (skipped with a message when absent).
#![allow(dead_code)] // Each test file uses its own part.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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
