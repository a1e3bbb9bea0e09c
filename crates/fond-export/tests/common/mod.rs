//! The real corpus, read and linked once per test binary by the linking
//! stage the CLI runs (`fond_link::link`).

#![allow(dead_code)]

use fond_export::{Mention, OrgEntry, PeriodicalEntry, PersonEntry};
use fond_model::authority::Record;
use fond_model::Edition;
use std::path::PathBuf;
use std::sync::OnceLock;

pub struct Corpus {
    pub edition: Edition,
    pub people: Vec<PersonEntry>,
    pub orgs: Vec<OrgEntry>,
    pub periodicals: Vec<PeriodicalEntry>,
    pub mentions: Vec<Mention>,
}

/// `../shared/corpus` beside the repository (`FOND_CORPUS` overrides).
pub fn corpus_dir() -> PathBuf {
    fond_test_support::corpus("")
}

/// A schema of `../shared/schemas` (`FOND_SCHEMAS` overrides the
/// directory).
pub fn schema(rel: &str) -> PathBuf {
    let dir = match std::env::var_os("FOND_SCHEMAS") {
        Some(d) => PathBuf::from(d),
        None => fond_test_support::shared().join("schemas"),
    };
    dir.join(rel)
}

/// Whether the corpus is there; says so when it is not, so that the
/// whole-corpus tests skip rather than fail.
pub fn present() -> bool {
    fond_test_support::path_available(&corpus_dir().join("letters-to-molotov-1925-1936.book.md"))
}

pub fn corpus() -> &'static Corpus {
    static C: OnceLock<Corpus> = OnceLock::new();
    C.get_or_init(load)
}

fn load() -> Corpus {
    let files = fond_test_support::corpus_files()
        .unwrap_or_else(|| panic!("needs ../shared/corpus beside the repository, or FOND_CORPUS"));
    let read: Vec<_> = files
        .iter()
        .map(|(n, bytes)| fond_ingest::read_source(n, bytes, "").expect("corpus file reads"))
        .collect();
    let texts: Vec<(String, fond_model::SourceShape, String)> = read
        .iter()
        .map(|r| (r.source.name.clone(), r.source.shape, r.text.clone()))
        .collect();
    let sources: Vec<fond_link::SourceText<'_>> = texts
        .iter()
        .map(|(name, shape, text)| fond_link::SourceText {
            name,
            shape: *shape,
            text,
        })
        .collect();
    let edition = fond_ingest::build_edition(read);
    // The linking stage the CLI runs, on the same edition.
    let linked = fond_link::link(&edition.documents, &sources).expect("the corpus links");
    let mut people = Vec::new();
    let mut orgs = Vec::new();
    let mut periodicals = Vec::new();
    for r in &linked.records {
        match r {
            Record::Person(p) => people.push(PersonEntry::from(p)),
            Record::Body(b) => orgs.push(OrgEntry::from(b)),
            Record::Periodical(p) => periodicals.push(PeriodicalEntry::from(p)),
        }
    }
    Corpus {
        edition,
        people,
        orgs,
        periodicals,
        mentions: linked.mentions,
    }
}

/// Is `jing` on PATH?
/// Whether jing runs: a skip on a developer's machine, a failure under
/// `FOND_REQUIRE_CORPUS=1` (CI installs it).
#[track_caller]
pub fn jing_available() -> bool {
    fond_test_support::program_available("jing", "-h")
}

/// Validates `files` against the RELAX NG `schema` in one jing run (the
/// JVM and the schema load once) and fails with the first 40 errors.
pub fn assert_jing_accepts(schema: &std::path::Path, files: &[PathBuf]) {
    let out = std::process::Command::new("jing")
        .arg(schema)
        .args(files)
        .output()
        .expect("run jing");
    let errors: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .chain(String::from_utf8_lossy(&out.stderr).lines())
        .filter(|l| l.contains("error"))
        .map(str::to_string)
        .collect();
    assert!(
        out.status.success() && errors.is_empty(),
        "jing rejected {} places in {} files:\n{}",
        errors.len(),
        files.len(),
        errors
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// A fresh directory under the target dir for a test's files.
pub fn scratch(name: &str) -> PathBuf {
    let base = option_env!("CARGO_TARGET_TMPDIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let dir = base.join(format!("fond-export-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// The reference corpus's printed edition, read from its profile in the
/// repository (`profiles/letters-to-molotov.edition.toml`), as the CLI
/// ships it.
pub fn reference_edition() -> fond_export::tei::PrintEdition {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../profiles/letters-to-molotov.edition.toml");
    let text = std::fs::read_to_string(&path).expect("the edition profile in the repository");
    fond_export::tei::PrintEdition::from_toml(&text).expect("the edition profile reads")
}
