//! The edit view through the archive's desk, on a running `fond serve`:
//! an editor corrects a letter's date from its page and sees it at once
//! on the page, in search and in `fond history`; an emendation of the
//! text and a name unlinked (kinds that re-derive the whole edition)
//! show too; a revert from the page takes the date back; a value the
//! archive refuses is answered with the reason and nothing is stored;
//! while another fond holds the archive's write lock the answer is
//! "busy", at once. And the room follows what is written at the
//! terminal: a correction, a restriction, a profile that closes a
//! collection.

mod common;

use common::{add_editor, csrf, fond, http, log_in, mini_archive, serve, stdout};

const LETTER: &str = "/doc/letters-to-petrov/1";

/// A form's body, its values percent-encoded.
fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            let v: String = v
                .bytes()
                .map(|b| match b {
                    b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!("{k}={v}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The search API's answer for `q`.
fn search(addr: &str, q: &str) -> String {
    let (status, _, body) = http(addr, "GET", &format!("/api/v1/search?q={q}"), "", "");
    assert_eq!(status, 200, "{body}");
    body
}

#[test]
fn an_editor_corrects_a_letter_from_its_page() {
    let (_tmp, a) = mini_archive();
    add_editor(&a, "ed");
    let (_server, addr) = serve(&a);
    let ed = log_in(&addr, "ed");

    let (status, _, page) = http(&addr, "GET", LETTER, &ed, "");
    assert_eq!(status, 200);
    assert!(page.contains("12 July 1925"), "{page}");
    assert!(page.contains("No correction: the edition gives what the engine recovered"));
    assert!(!search(&addr, "harvest").contains("1925-07-13"));
    let token = csrf(&page);

    // A value the archive refuses: the reason, and nothing stored.
    let (status, _, refused) = http(
        &addr,
        "POST",
        "/edit/correct",
        &ed,
        &form(&[
            ("id", "letters-to-petrov/1"),
            ("field", "date"),
            ("value", "the thirteenth"),
            ("why", "the postmark"),
            ("csrf", &token),
        ]),
    );
    assert_eq!(status, 400, "{refused}");
    assert!(refused.contains("Not saved"), "{refused}");
    assert!(stdout(&fond(&a, &["history", "letters-to-petrov/1"])).contains("0 entries"));

    // While another fond writes the archive (an ingest), the reading room
    // answers at once that it is busy, and stores nothing.
    let date = form(&[
        ("id", "letters-to-petrov/1"),
        ("field", "date"),
        ("value", "1925-07-13"),
        ("why", "the postmark reads the 13th"),
        ("csrf", &token),
    ]);
    {
        let _ingest =
            fond_store::WriteLock::acquire(&a, fond_store::Wait::NoWait, || {}).expect("lock");
        let (status, _, busy) = http(&addr, "POST", "/edit/correct", &ed, &date);
        assert_eq!(status, 503, "{busy}");
        assert!(busy.contains("another fond is writing"), "{busy}");
    }
    assert!(stdout(&fond(&a, &["history", "letters-to-petrov/1"])).contains("0 entries"));

    let (status, headers, _) = http(&addr, "POST", "/edit/correct", &ed, &date);
    assert_eq!(status, 303);
    assert!(headers
        .iter()
        .any(|(k, v)| k == "location" && v == "/doc/letters-to-petrov/1#correct"));
    let (_, _, page) = http(&addr, "GET", LETTER, &ed, "");
    assert!(page.contains("13 July 1925"), "{page}");
    assert!(page.contains("the postmark reads the 13th"), "{page}");
    assert!(page.contains("(applied)"), "{page}");
    // The public sees it too, in search at once.
    let (_, _, public) = http(&addr, "GET", LETTER, "", "");
    assert!(public.contains("13 July 1925"), "{public}");
    assert!(
        !public.contains("the postmark reads"),
        "no history for the public"
    );
    assert!(search(&addr, "harvest").contains("1925-07-13"));
    let history = stdout(&fond(&a, &["history", "letters-to-petrov/1"]));
    assert!(history.contains("1 entries"), "{history}");
    assert!(history.contains("by ed"), "{history}");

    // An emendation of the text: the whole edition is derived again.
    let token = csrf(&page);
    let (status, _, body) = http(
        &addr,
        "POST",
        "/edit/correct",
        &ed,
        &form(&[
            ("id", "letters-to-petrov/1"),
            ("field", "text"),
            ("value", "harvest→crop"),
            ("why", "the manuscript reads crop"),
            ("csrf", &token),
        ]),
    );
    assert_eq!(status, 303, "{body}");
    let (_, _, page) = http(&addr, "GET", LETTER, &ed, "");
    assert!(page.contains("crop"), "{page}");
    assert!(page.contains("13 July 1925"), "the date holds: {page}");
    assert!(search(&addr, "crop").contains("letters-to-petrov/1"));

    // A name unlinked: the links are made again, and the page shows it.
    assert!(page.contains("href=\"/person/sidorov-s-s\""), "{page}");
    let (status, _, body) = http(
        &addr,
        "POST",
        "/edit/correct",
        &ed,
        &form(&[
            ("id", "letters-to-petrov/1"),
            ("field", "mention"),
            ("value", "Sidorov→none"),
            ("place", "body"),
            ("why", "not the Sidorov of the glossary"),
            ("csrf", &csrf(&page)),
        ]),
    );
    assert_eq!(status, 303, "{body}");
    let (_, _, page) = http(&addr, "GET", LETTER, &ed, "");
    assert!(!page.contains("href=\"/person/sidorov-s-s\""), "{page}");

    // Revert the date from the page.
    let id = regex::Regex::new(r#"name="id" value="(c[0-9a-f]+)""#)
        .expect("regex")
        .captures_iter(&page)
        .map(|c| c[1].to_string())
        .find(|id| history.contains(id.as_str()))
        .expect("the date correction's revert form");
    let (status, _, body) = http(
        &addr,
        "POST",
        "/edit/revert",
        &ed,
        &form(&[
            ("id", &id),
            ("document", "letters-to-petrov/1"),
            ("why", "the 12th after all"),
            ("csrf", &csrf(&page)),
        ]),
    );
    assert_eq!(status, 303, "{body}");
    let (_, _, page) = http(&addr, "GET", LETTER, &ed, "");
    assert!(page.contains("12 July 1925"), "{page}");
    assert!(page.contains("(reverted)"), "{page}");
    assert!(page.contains("crop"), "the emendation holds: {page}");
    assert!(!search(&addr, "harvest").contains("1925-07-13"));
}

/// Asks for `path` until `seen` holds of the page, for at most half a
/// minute (the reading room looks at the archive every two seconds and
/// reads a changed edition in the background).
fn eventually(addr: &str, path: &str, seen: impl Fn(u16, &str) -> bool) -> (u16, String) {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let (status, _, page) = http(addr, "GET", path, "", "");
        if seen(status, &page) || std::time::Instant::now() > until {
            return (status, page);
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
}

#[test]
fn the_reading_room_follows_writes_made_at_the_terminal() {
    let (_tmp, a) = mini_archive();
    add_editor(&a, "ed");
    let (_server, addr) = serve(&a);
    let (_, _, page) = http(&addr, "GET", LETTER, "", "");
    assert!(page.contains("12 July 1925"), "{page}");
    let o = fond(
        &a,
        &[
            "correct",
            "letters-to-petrov/1",
            "date",
            "1925-07-14",
            "--why",
            "corrected at the terminal",
        ],
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let (_, page) = eventually(&addr, LETTER, |_, p| p.contains("14 July 1925"));
    assert!(page.contains("14 July 1925"), "{page}");
    let (_, _, found) = http(&addr, "GET", "/api/v1/search?q=harvest", "", "");
    assert!(found.contains("1925-07-14"), "{found}");
    let o = fond(
        &a,
        &[
            "restrict",
            "letters-to-petrov/1",
            "--why",
            "closed at the terminal",
        ],
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let (status, _) = eventually(&addr, LETTER, |s, _| s == 404);
    assert_eq!(status, 404, "closed to the public");

    // A write at the terminal, then at once one from the reading room:
    // the room's own refresh reads only its document, and must not count
    // the terminal's write as seen.
    let o = fond(
        &a,
        &[
            "correct",
            "letters-to-petrov/2",
            "place",
            "Azov on the Don",
            "--why",
            "the terminal's write",
        ],
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let ed = log_in(&addr, "ed");
    let (_, _, page) = http(&addr, "GET", LETTER, &ed, "");
    let (status, _, body) = http(
        &addr,
        "POST",
        "/edit/correct",
        &ed,
        &form(&[
            ("id", "letters-to-petrov/1"),
            ("field", "place"),
            ("value", "Taganrog"),
            ("why", "the room's write"),
            ("csrf", &csrf(&page)),
        ]),
    );
    assert_eq!(status, 303, "{body}");
    let (_, page) = eventually(&addr, "/doc/letters-to-petrov/2", |_, p| {
        p.contains("Azov on the Don")
    });
    assert!(page.contains("Azov on the Don"), "{page}");

    // An edition profile ingested beside its source closes the whole
    // collection: the public loses letter 2 as well, without a restart.
    let profile = _tmp.path().join("petrov.profile.toml");
    std::fs::write(
        &profile,
        "[profile]\nsource = \"mini-edition.md\"\ncollection = \"letters-to-petrov\"\nvisibility = \"restricted\"\n",
    )
    .expect("write");
    let book = common::fixture("mini-edition.md");
    let o = fond(
        &a,
        &[
            "ingest",
            book.to_str().unwrap_or_default(),
            profile.to_str().unwrap_or_default(),
        ],
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let (status, _) = eventually(&addr, "/doc/letters-to-petrov/2", |s, _| s == 404);
    assert_eq!(status, 404, "the profile's collection closed to the public");
}
