//! What fond's tests share, so that no test carries its own copy.
//!
//! **Where the collections are.** The whole-collection tests read
//! `../shared` beside the repository ([`shared`], [`corpus`],
//! [`external`]); `FOND_SHARED` (or `FOND_CORPUS` for the corpus alone)
//! points elsewhere.
//!
//! **A test that cannot check must not pass.** A whole-collection test, or
//! one that needs a browser or a validator, cannot check anything where
//! that is missing. On a developer's machine it skips, saying what is
//! missing; where `FOND_REQUIRE_CORPUS=1` (set by `.ci/run`) it fails.
//! [`available`] is that rule in one place: call it first and return when
//! it says `false`.
//!
//! This crate depends on no fond crate, so every crate's tests may use it.

use std::fmt::Display;
use std::path::{Path, PathBuf};

/// The repository's root (this crate lives in `crates/fond-test-support`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The shared collections: `FOND_SHARED`, else `../shared` beside the
/// repository.
pub fn shared() -> PathBuf {
    match std::env::var_os("FOND_SHARED") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => repo_root().join("../shared"),
    }
}

/// The reference corpus (`FOND_CORPUS`, else `shared/corpus`), or a file
/// in it.
pub fn corpus(file: &str) -> PathBuf {
    let dir = match std::env::var_os("FOND_CORPUS") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => shared().join("corpus"),
    };
    if file.is_empty() {
        dir
    } else {
        dir.join(file)
    }
}

/// A collection under `shared/external` (`external("humboldt-letters")`).
pub fn external(path: &str) -> PathBuf {
    shared().join("external").join(path)
}

/// Whether missing collections, browsers and validators fail the tests
/// (`FOND_REQUIRE_CORPUS=1`, as CI sets it).
pub fn required() -> bool {
    std::env::var("FOND_REQUIRE_CORPUS").is_ok_and(|v| v == "1")
}

/// Whether `what`, needed by the test, is there. When it is not: a skip
/// with a message on a developer's machine (returns `false`), a failure
/// where [`required`].
#[track_caller]
pub fn available(what: impl Display, present: bool) -> bool {
    if present {
        return true;
    }
    assert!(
        !required(),
        "FOND_REQUIRE_CORPUS=1 but {what} is missing: this test cannot check anything without it"
    );
    eprintln!("SKIP: {what} is missing (FOND_REQUIRE_CORPUS=1 makes this a failure)");
    false
}

/// [`available`] for a path: a file or folder the test reads.
#[track_caller]
pub fn path_available(path: &Path) -> bool {
    available(path.display(), path.exists())
}

/// Whether a program runs (`jing`, `node`, `prlimit`), by [`available`]'s
/// rule.
#[track_caller]
pub fn program_available(program: &str, version_arg: &str) -> bool {
    let runs = std::process::Command::new(program)
        .arg(version_arg)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok();
    available(format!("the program `{program}`"), runs)
}

/// The text of a corpus file, or `None` (after [`available`]'s skip or
/// failure) when it cannot be read.
#[track_caller]
pub fn read_corpus(file: &str) -> Option<String> {
    let path = corpus(file);
    match std::fs::read_to_string(&path) {
        Ok(t) => Some(t),
        Err(e) => {
            available(format!("{} ({e})", path.display()), false);
            None
        }
    }
}

/// Every source of the reference corpus, by name, with its bytes: the
/// files of [`corpus`] in name order, its `README` left out (folder
/// documentation, as `fond ingest` skips it). `None` (after
/// [`available`]'s skip or failure) when the folder cannot be read. What
/// each crate's whole-corpus tests read and ingest.
#[track_caller]
pub fn corpus_files() -> Option<Vec<(String, Vec<u8>)>> {
    let dir = corpus("");
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) => {
            available(format!("{} ({e})", dir.display()), false);
            return None;
        }
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("README"))
        .collect();
    names.sort();
    let mut out = Vec::new();
    for n in names {
        match std::fs::read(dir.join(&n)) {
            Ok(b) => out.push((n, b)),
            Err(e) => {
                available(format!("{} ({e})", dir.join(&n).display()), false);
                return None;
            }
        }
    }
    if out.is_empty() {
        available(format!("the corpus's sources in {}", dir.display()), false);
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_there_is_available() {
        assert!(available("this crate", true));
        assert!(path_available(&repo_root().join("Cargo.toml")));
    }

    #[test]
    fn the_corpus_lives_under_shared() {
        assert!(corpus("a.md").ends_with("corpus/a.md"));
        assert!(external("x").ends_with("external/x"));
    }
}
