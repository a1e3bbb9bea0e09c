//! What the whole-collection test files share: damaged copies of a source
//! and the check that a reader never fails on them.
#![allow(dead_code)] // Each test file uses its own part.

use fond_ingest::{read_source, IngestError};

/// Three damaged copies of a text's lines: cut at `cut` (a fraction of the
/// lines), every (k+1)-th line dropped, every (k+2)-th line doubled.
pub fn damaged(lines: &[&str], k: usize, cut: f64) -> [String; 3] {
    let at = ((lines.len() as f64) * cut) as usize;
    let dropped: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| i % (k + 1) != 0)
        .map(|(_, l)| *l)
        .collect();
    let doubled: Vec<&str> = lines
        .iter()
        .enumerate()
        .flat_map(|(i, l)| {
            if i % (k + 2) == 0 {
                vec![*l, *l]
            } else {
                vec![*l]
            }
        })
        .collect();
    [
        lines[..at.min(lines.len())].join("\n"),
        dropped.join("\n"),
        doubled.join("\n"),
    ]
}

/// A reader's panic is caught and reported per file; here it must not
/// happen at all.
pub fn never_fails(name: &str, bytes: &[u8]) {
    if let Err(e @ IngestError::ReaderFailed { .. }) = read_source(name, bytes, "") {
        panic!("{e}");
    }
}
