//! Data-driven reader tests, as rust-analyzer writes them: every source in
//! `test_data/readers/` is read by content (as `fond ingest` reads it) and
//! what came out — documents with their dates, parties, text, notes and
//! witnesses, and the findings — is written in a compact form and compared
//! with its snapshot (`tests/snapshots/readers__NAME.snap`).
//!
//! A new case is a new file; `INSTA_UPDATE=always cargo test -p
//! fond-ingest --test readers` writes its snapshot, to be read before it
//! is committed. CI fails on any difference.

use fond_model::{Document, Inline};
use std::fmt::Write;
use std::path::PathBuf;

fn cases() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data/readers");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    files
}

/// A block's runs with emphasis shown as `*…*` (level 1) or `**…**`.
fn runs(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for i in inlines {
        match i {
            Inline::Text { text } => out.push_str(text),
            Inline::Emph { text, level } => {
                let mark = "*".repeat(usize::from(*level).max(1));
                let _ = write!(out, "{mark}{text}{mark}");
            }
            Inline::Supplied { text } => {
                let _ = write!(out, "[{text}]");
            }
            Inline::NoteCall { n } => {
                let _ = write!(out, "^{n}");
            }
            Inline::LineBreak => out.push_str(" / "),
            Inline::Emended { sic, text, .. } => {
                let _ = write!(out, "{{{sic}→{text}}}");
            }
        }
    }
    out
}

fn document(out: &mut String, d: &Document) {
    let _ = writeln!(out, "== {} [{}] in {}", d.id, d.kind.as_str(), d.collection);
    let _ = writeln!(out, "title: {}", d.title);
    if let Some(n) = d.number {
        let _ = writeln!(out, "number: {n}");
    }
    let date = &d.date;
    let _ = writeln!(
        out,
        "date: written {:?}, editorial {:?}, interval {}",
        date.written,
        date.editorial,
        date.interval
            .as_ref()
            .map_or("none".to_string(), |i| format!(
                "{} ({:?}, {:?}, {})",
                i.edtf, i.precision, i.qualifier, i.calendar
            ))
    );
    let _ = writeln!(
        out,
        "from {:?} to {:?}, place {:?}",
        d.senders, d.addressees, d.place
    );
    if d.metadata_only {
        let _ = writeln!(out, "metadata only; online {:?}", d.online);
    }
    for r in &d.name_refs {
        let _ = writeln!(
            out,
            "name {} {}..{} {:?} -> {} ({:?}{})",
            r.field,
            r.start,
            r.end,
            r.surface,
            r.refs.join(" "),
            r.element,
            if r.certain { "" } else { ", uncertain" }
        );
    }
    for b in &d.body {
        let _ = writeln!(out, "  {:?}: {}", b.kind, runs(&b.inlines));
    }
    for n in &d.notes {
        let _ = writeln!(
            out,
            "  note {} ({:?}, {}): {}",
            n.n,
            n.call,
            n.by.label(),
            n.text
        );
    }
    for w in &d.witnesses {
        let _ = writeln!(
            out,
            "  witness {}:{}-{} {:?}: {}",
            w.source, w.first_line, w.last_line, w.markup, w.label
        );
    }
}

#[test]
fn every_reader_case_reads_as_its_snapshot() {
    let files = cases();
    assert!(files.len() >= 5, "{files:?}");
    for f in files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = std::fs::read(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let mut out = String::new();
        match fond_ingest::read_source(&name, &bytes, "") {
            Err(e) => {
                let _ = writeln!(out, "refused: {e}");
            }
            Ok(r) => {
                let edition = fond_ingest::build_edition(vec![r]);
                let shapes: Vec<String> = edition
                    .sources
                    .iter()
                    .map(|s| format!("{:?}", s.shape))
                    .collect();
                let _ = writeln!(out, "shape: {}", shapes.join(", "));
                for d in &edition.documents {
                    document(&mut out, d);
                }
                for x in &edition.findings {
                    let _ = writeln!(
                        out,
                        "finding {} at {}:{} ({}): {}",
                        x.kind.as_str(),
                        x.source,
                        x.line,
                        x.document.as_deref().unwrap_or("-"),
                        x.message
                    );
                }
            }
        }
        insta::assert_snapshot!(name.replace('.', "_"), out);
    }
}
