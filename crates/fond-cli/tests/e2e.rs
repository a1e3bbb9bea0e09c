//! The end-to-end suite of the reading room (`e2e/`, Node's test runner
//! driving Debian's Chromium through playwright-core), run as part of
//! `cargo test` so that one command runs every test. It skips, saying why,
//! when Chromium or the suite's npm packages are not installed, and fails
//! instead under `FOND_REQUIRE_CORPUS=1` (`.ci/run` installs both and sets
//! it).

use std::path::PathBuf;
use std::process::Command;

#[test]
fn the_reading_room_in_a_real_browser() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let e2e = root.join("e2e");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let corpus = fond_test_support::corpus("");
    for (what, path) in [
        ("Chromium", PathBuf::from(&chromium)),
        (
            "playwright-core (npm ci in e2e/)",
            e2e.join("node_modules/playwright-core"),
        ),
        ("the corpus", corpus),
    ] {
        if !fond_test_support::available(format!("{what} ({})", path.display()), path.exists()) {
            return;
        }
    }
    let out = Command::new("node")
        .arg("--test")
        .current_dir(&e2e)
        .env("FOND_BIN", env!("CARGO_BIN_EXE_fond"))
        .env("CHROMIUM", &chromium)
        .output();
    let out = match out {
        Ok(o) => o,
        Err(e) => {
            fond_test_support::available(format!("node ({e})"), false);
            return;
        }
    };
    let text = String::from_utf8_lossy(&out.stdout);
    println!("{text}");
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the end-to-end suite failed");
    assert!(text.contains("# fail 0"), "{text}");
}
