//! House rules checked over the source tree, in the spirit of
//! rust-analyzer's `tidy`.
//!
//! **General code knows no collection.** Non-test code must not name the
//! reference corpus (its people, institutions, archive or collection id):
//! what one edition knows belongs in its profile. The readers fitted to
//! that corpus and the authority tables still do; they are listed below
//! with how many times they name it today — a ratchet: a listed file may
//! name it exactly so often, and any other file not at all. When a count
//! falls, lower it here (the test says so).
//!
//! **A function reads in one sitting.** A function of non-test code over
//! 120 lines says why at its top (`// Long: …`: one match over a grammar,
//! one transaction in the order it runs); any other is split.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const NAMES: [&str; 9] = [
    "Molotov",
    "Stalin",
    "RTsKhIDNI",
    "Politburo",
    "letters-to-molotov",
    "Bukharin",
    "Yale",
    "Zinoviev",
    "Kaganovich",
];

/// Files that still carry the reference corpus's knowledge, with the count
/// of names above in their non-test code.
const ALLOWED: &[(&str, usize)] = include!("tidy_allowed.in");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Non-test code of a file: test modules (`#[cfg(test)]` to the end, as
/// this tree writes them) and test files are left out.
fn non_test_code(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy().to_string();
    // Tests, and the benchmarks (`fond-bench`, whose material is the
    // reference corpus by design), are not general code.
    let in_bench_crate = path.components().any(|c| c.as_os_str() == "fond-bench");
    if name.contains("tests") || name == "tests.rs" || name.starts_with("bench") || in_bench_crate {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    // An inline test module runs to the end of the file; a line that only
    // declares one (`#[cfg(test)] mod tests;`) cuts nothing.
    let inline = text.match_indices("#[cfg(test)]").find(|(k, m)| {
        let rest = text[k + m.len()..].trim_start();
        rest.lines()
            .next()
            .is_some_and(|l| l.contains("mod ") && l.trim_end().ends_with('{'))
    });
    Some(match inline {
        Some((k, _)) => text[..k].to_string(),
        None => text,
    })
}

fn counts() -> BTreeMap<String, usize> {
    let root = root();
    let mut files = Vec::new();
    let Ok(crates) = std::fs::read_dir(root.join("crates")) else {
        return BTreeMap::new();
    };
    for c in crates.filter_map(Result::ok) {
        rust_files(&c.path().join("src"), &mut files);
    }
    let mut out = BTreeMap::new();
    for f in files {
        let Some(code) = non_test_code(&f) else {
            continue;
        };
        let n: usize = NAMES.iter().map(|w| code.matches(w).count()).sum();
        if n > 0 {
            let rel = f
                .strip_prefix(&root)
                .unwrap_or(&f)
                .to_string_lossy()
                .replace('\\', "/");
            let rel = rel.trim_start_matches("crates/../").to_string();
            out.insert(rel, n);
        }
    }
    out
}

#[test]
fn general_code_names_no_collection() {
    let found = counts();
    assert!(
        !found.is_empty() || ALLOWED.is_empty(),
        "no source files found"
    );
    let allowed: BTreeMap<&str, usize> = ALLOWED.iter().copied().collect();
    let mut over = Vec::new();
    for (file, n) in &found {
        match allowed.get(file.as_str()) {
            None => over.push(format!(
                "{file}: names the reference corpus {n} times; general code must not (put it in the edition's profile)"
            )),
            Some(&max) if *n > max => over.push(format!(
                "{file}: names the reference corpus {n} times, more than the {max} allowed"
            )),
            // A stale allowance would let the names come back unseen.
            Some(&max) if *n < max => over.push(format!(
                "{file}: now names the reference corpus {n} times (allowed {max}): lower it in tidy_allowed.in"
            )),
            _ => {}
        }
    }
    for (file, _) in ALLOWED {
        if !found.contains_key(*file) {
            over.push(format!(
                "{file}: names the reference corpus no more: remove it from tidy_allowed.in"
            ));
        }
    }
    assert!(over.is_empty(), "{}", over.join("\n"));
}

#[test]
fn the_new_general_reader_is_clean() {
    // The general letter reader, the text reader, profiles and the joiner
    // are not on the list at all.
    for f in [
        "crates/fond-ingest/src/plain/mod.rs",
        "crates/fond-ingest/src/plain/cues.rs",
        "crates/fond-ingest/src/plain/datefind.rs",
        "crates/fond-ingest/src/plain_text.rs",
        "crates/fond-ingest/src/profile.rs",
        "crates/fond-ingest/src/witnesses.rs",
    ] {
        assert!(
            !ALLOWED.iter().any(|(a, _)| *a == f),
            "{f} must stay free of the reference corpus"
        );
        assert!(root().join(f).exists(), "{f} moved: update this test");
    }
}

/// Every `.rs` file under `crates/` (sources, tests, examples).
fn all_rust_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let Ok(crates) = std::fs::read_dir(root().join("crates")) {
        for c in crates.filter_map(Result::ok) {
            for sub in ["src", "tests", "examples", "benches"] {
                rust_files(&c.path().join(sub), &mut files);
            }
        }
    }
    files
}

/// **A test that cannot check must not pass.** Whether a test may skip
/// (a missing collection, browser or validator) is decided in one place,
/// `fond-test-support` (`available`): a skip on a developer's machine, a
/// failure under `FOND_REQUIRE_CORPUS=1`. So no other file prints its own
/// skip or builds its own path to `../shared`.
#[test]
fn tests_skip_only_through_the_support_crate() {
    let mut found = Vec::new();
    let files = all_rust_files();
    assert!(!files.is_empty(), "no source files found");
    for f in files {
        let rel = f
            .strip_prefix(root())
            .unwrap_or(&f)
            .to_string_lossy()
            .replace('\\', "/");
        let is_test = rel.contains("/tests/") || rel.ends_with("tests.rs");
        if !is_test || rel.contains("fond-test-support/") || rel.ends_with("tidy.rs") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if code.contains("\"SKIP")
                || code.contains("../shared/corpus\")")
                || code.contains("../../../shared")
            {
                found.push(format!("{rel}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "skip through fond_test_support::available and find collections with fond_test_support::{{corpus, external}}:\n{}",
        found.join("\n")
    );
}

/// Longest a function may be without saying why.
const LONG_FUNCTION: usize = 120;

/// Every function of non-test code longer than [`LONG_FUNCTION`] lines
/// without a `// Long: …` comment among the comments above it or the
/// first lines of its body: (file, name, lines). Functions are found as
/// rustfmt writes them: a line starting `fn`/`pub fn` (with its
/// qualifiers) and the first later line holding only `}` at the same
/// indentation.
fn long_functions() -> Vec<(String, String, usize)> {
    let fn_line = |l: &str| -> Option<(usize, String)> {
        let t = l.trim_start();
        let indent = l.len() - t.len();
        let mut rest = t;
        for q in [
            "pub(crate) ",
            "pub(super) ",
            "pub ",
            "const ",
            "async ",
            "unsafe ",
        ] {
            rest = rest.strip_prefix(q).unwrap_or(rest);
        }
        let name = rest.strip_prefix("fn ")?;
        let end = name.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
        Some((indent, name[..end].to_string()))
    };
    let mut files = Vec::new();
    let Ok(crates) = std::fs::read_dir(root().join("crates")) else {
        return Vec::new();
    };
    for c in crates.filter_map(Result::ok) {
        rust_files(&c.path().join("src"), &mut files);
    }
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let Some(code) = non_test_code(&f) else {
            continue;
        };
        let rel = f
            .strip_prefix(root())
            .unwrap_or(&f)
            .to_string_lossy()
            .replace('\\', "/")
            .trim_start_matches("crates/../")
            .to_string();
        let lines: Vec<&str> = code.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            let Some((indent, name)) = fn_line(lines[i]) else {
                i += 1;
                continue;
            };
            let close = format!("{}}}", " ".repeat(indent));
            let Some(len) = lines[i..].iter().position(|l| *l == close) else {
                i += 1;
                continue;
            };
            let above = lines[..i]
                .iter()
                .rev()
                .take_while(|l| {
                    let t = l.trim_start();
                    t.starts_with("//") || t.starts_with("#[")
                })
                .any(|l| l.trim_start().starts_with("// Long:"));
            let inside = lines[i..(i + 4).min(lines.len())]
                .iter()
                .any(|l| l.trim_start().starts_with("// Long:"));
            if len + 1 > LONG_FUNCTION && !above && !inside {
                out.push((rel.clone(), name, len + 1));
            }
            // Nested functions are inside: the walk goes on from the line
            // after the signature.
            i += 1;
        }
    }
    out
}

#[test]
fn long_functions_say_why() {
    let problems: Vec<String> = long_functions()
        .into_iter()
        .map(|(file, name, len)| {
            format!(
                "{file}: fn {name} is {len} lines: split it, or say why at its top (`// Long: …`)"
            )
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
