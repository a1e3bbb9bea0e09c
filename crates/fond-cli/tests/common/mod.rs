//! What the CLI test files share: running the binary, the fixtures, the
//! corpus (skipped with a message when absent).
#![allow(dead_code)] // Each test file uses its own part.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fond(archive: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fond"))
        .arg("--archive")
        .arg(archive)
        .args(args)
        .env_remove("FOND_ARCHIVE")
        .env_remove("FOND_FAULT_ABORT_AFTER")
        .output()
        .expect("run fond")
}

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn corpus() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if p.join("letters-to-molotov-1925-1936.book.md").exists() {
        Some(p)
    } else {
        eprintln!(
            "SKIP: corpus not found at {} (needs ../shared/corpus)",
            p.display()
        );
        None
    }
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
