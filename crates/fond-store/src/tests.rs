//! Tests of the archive on small editions built in code. Nothing here
//! spawns a process: the interrupted-ingest test that kills a real process
//! inside the transaction lives with the CLI.

use super::*;
use fond_model::correction::Correction;
use fond_model::{
    ArchivalRef, Block, BlockKind, CallForm, CrossRef, Day, DocDate, FindingKind, HistDate, Inline,
    Note, NoteAuthor, Precision, Qualifier, Sheets, SourceShape, Witness,
};
use rusqlite::types::Value;
use std::panic::{catch_unwind, AssertUnwindSafe};

type Error = Box<dyn std::error::Error>;
type TestResult = Result<(), Error>;
/// Each table's name and rows.
type Dump = Vec<(String, Vec<Vec<Value>>)>;
/// `sqlite_master`'s type, name and SQL.
type SchemaDump = Vec<(String, String, Option<String>)>;

fn day(y: i32, m: u8, d: u8) -> Option<Day> {
    Day::new(y, m, d)
}

fn interval(text: &str, earliest: Option<Day>, latest: Option<Day>) -> HistDate {
    let edtf = format!(
        "{}/{}",
        earliest.map(|d| d.iso()).unwrap_or_else(|| "..".into()),
        latest.map(|d| d.iso()).unwrap_or_else(|| "..".into())
    );
    HistDate {
        text: text.into(),
        edtf,
        earliest,
        latest,
        precision: Precision::Range,
        qualifier: Qualifier::Exact,
        calendar: "gregorian".into(),
    }
}

fn reference(text: &str, delo: &str, sheets: Option<Sheets>, ibid: bool) -> ArchivalRef {
    ArchivalRef {
        text: text.into(),
        archive: "RTsKhIDNI".into(),
        fond: "558".into(),
        opis: Some("1".into()),
        delo: Some(delo.into()),
        sheets,
        ibid,
    }
}

/// A document exercising every part of the model that has a serde shape of
/// its own (tagged and flattened enums, options, nested lists).
fn letter(
    id: &str,
    order: u32,
    date: Option<HistDate>,
    senders: &[&str],
    addressees: &[&str],
) -> Document {
    Document {
        id: id.into(),
        kind: DocKind::Letter,
        collection: "letters-to-molotov".into(),
        number: Some(order + 1),
        chapter: Some("1925".into()),
        title: format!("Letter {}", order + 1),
        date: DocDate {
            written: Some("Sochi 7/28/25".into()),
            editorial: Some("28 July 1925".into()),
            written_interval: date.clone(),
            interval: date,
            disagreement: order % 2 == 1,
        },
        place: Some("Sochi".into()),
        senders: senders.iter().map(|s| s.to_string()).collect(),
        addressees: addressees.iter().map(|s| s.to_string()).collect(),
        body: vec![
            Block {
                kind: BlockKind::Heading,
                inlines: vec![Inline::Text {
                    text: "CODED".into(),
                }],
                line: 3,
            },
            Block {
                kind: BlockKind::Salutation,
                inlines: vec![Inline::Text {
                    text: "Hello,".into(),
                }],
                line: 4,
            },
            Block {
                kind: BlockKind::Paragraph,
                inlines: vec![
                    Inline::Text {
                        text: "The grain ".into(),
                    },
                    Inline::Emph {
                        level: 2,
                        text: "must".into(),
                    },
                    Inline::Supplied { text: "be".into() },
                    Inline::NoteCall { n: 1 },
                    Inline::LineBreak,
                    Inline::Text {
                        text: "shipped.".into(),
                    },
                ],
                line: 5,
            },
            Block {
                kind: BlockKind::Point { label: "1)".into() },
                inlines: vec![],
                line: 6,
            },
            Block {
                kind: BlockKind::Comment {
                    by: Some("Molotov".into()),
                },
                inlines: vec![],
                line: 7,
            },
            Block {
                kind: BlockKind::Comment { by: None },
                inlines: vec![],
                line: 8,
            },
            Block {
                kind: BlockKind::Signature,
                inlines: vec![Inline::Text {
                    text: "J. St.".into(),
                }],
                line: 9,
            },
        ],
        notes: vec![
            Note {
                n: 1,
                call: CallForm::Superscript,
                call_block: Some(2),
                text: "RTsKhIDNI f. 558, op. 1, d. 5388, l. 5.\n\nSee letter 21, note 4.".into(),
                by: NoteAuthor::new(fond_model::NoteRole::Editors, "Russian editors"),
                archival_refs: vec![
                    reference(
                        "RTsKhIDNI f. 558, op. 1, d. 5388, l. 5",
                        "5388",
                        Some(Sheets::Single { sheet: "5".into() }),
                        false,
                    ),
                    reference(
                        "Ibid., ll. 8–23",
                        "5388",
                        Some(Sheets::Range {
                            from: "8".into(),
                            to: "23".into(),
                        }),
                        true,
                    ),
                ],
                cross_refs: vec![CrossRef {
                    text: "See letter 21, note 4".into(),
                    letter: Some(21),
                    note: Some(4),
                }],
                special_file: true,
                relocated: false,
                line: 20,
            },
            Note {
                n: 2,
                call: CallForm::Lost,
                call_block: None,
                text: "A note by Grover Furr.".into(),
                by: NoteAuthor::other("Grover Furr"),
                archival_refs: vec![reference(
                    "d. 7, ll. 1, 2",
                    "7",
                    Some(Sheets::List {
                        items: vec!["1".into(), "2".into()],
                    }),
                    false,
                )],
                cross_refs: vec![],
                special_file: false,
                relocated: true,
                line: 22,
            },
        ],
        witnesses: vec![
            Witness {
                source: "book.md".into(),
                first_line: 3,
                last_line: 9,
                label: "printed edition".into(),
                text: format!("Text of {id}"),
                markup: fond_model::Markup::Plain,
            },
            Witness {
                source: "web.html".into(),
                first_line: 40,
                last_line: 52,
                label: "web transcription".into(),
                text: format!("Web text of {id}"),
                markup: fond_model::Markup::Plain,
            },
        ],
        quotes: vec!["other/1".into()],
        marginalia: vec![],
        order,
        ..Document::new("", "", DocKind::Letter)
    }
}

fn stored(name: &str, shape: SourceShape, text: &str) -> StoredSource {
    StoredSource {
        source: Source {
            name: name.into(),
            sha256: format!("sha-of-{name}"),
            shape,
            title: format!("Title of {name}"),
            bytes: text.len() as u64,
            lines: text.lines().count() as u32,
        },
        text: text.into(),
    }
}

/// Sources and an edition, documents in `order`-then-id order as
/// `build_edition` leaves them.
fn fixture() -> (Vec<StoredSource>, Edition) {
    let sources = vec![
        stored(
            "book.md",
            SourceShape::EditionMarkdown,
            "# Contents\nLetter 1\nДорогой товарищ\n",
        ),
        stored("web.html", SourceShape::WebLetters, "<p>Letter 1</p>\n"),
    ];
    let mut telegram = letter(
        "telegrams/1",
        3,
        Some(interval("1930", day(1930, 1, 1), day(1930, 12, 31))),
        &["Stalin"],
        &["Kaganovich", "Molotov"],
    );
    telegram.kind = DocKind::CodedTelegram;
    telegram.collection = "telegrams".into();
    telegram.witnesses.truncate(1);
    telegram.notes.clear();
    let mut intro = letter("letters-to-molotov/intro", 0, None, &[], &[]);
    intro.kind = DocKind::EditorialText;
    intro.number = None;
    intro.witnesses.truncate(1);
    let documents = vec![
        intro,
        letter(
            "letters-to-molotov/1",
            1,
            Some(interval("28 July 1925", day(1925, 7, 28), day(1925, 7, 28))),
            &["J. V. Stalin"],
            &["V. M. Molotov"],
        ),
        // Same order as the next: ids break the tie.
        letter(
            "letters-to-molotov/2",
            2,
            Some(interval(
                "no earlier than 6 August 1930",
                day(1930, 8, 6),
                None,
            )),
            &["Сталин"],
            &["Молотов", "Бухарин"],
        ),
        letter(
            "letters-to-molotov/3",
            2,
            Some(interval("before 1926", None, day(1925, 12, 31))),
            &["Stalin"],
            &["Molotov"],
        ),
        telegram,
        letter(
            "letters-to-molotov/5",
            4,
            Some(HistDate::undetermined("n.d.")),
            &["Stalin"],
            &["Voroshilov"],
        ),
    ];
    let findings = vec![
        Finding {
            kind: FindingKind::NoDate,
            source: "book.md".into(),
            line: 12,
            document: Some("letters-to-molotov/intro".into()),
            message: "no date".into(),
        },
        Finding {
            kind: FindingKind::WitnessNearMiss,
            source: "web.html".into(),
            line: 40,
            document: None,
            message: "near miss, \"quoted\"".into(),
        },
    ];
    let edition = Edition {
        sources: sources.iter().map(|s| s.source.clone()).collect(),
        documents,
        findings,
    };
    with_witness_texts(sources, edition)
}

/// A second, different edition (one source, one document).
fn fixture_b() -> (Vec<StoredSource>, Edition) {
    let sources = vec![stored(
        "other.md",
        SourceShape::WebWorks,
        "Source : Works\nText\n",
    )];
    let documents = vec![letter("works/1", 0, None, &["Lenin"], &["Gorky"])];
    let edition = Edition {
        sources: sources.iter().map(|s| s.source.clone()).collect(),
        documents,
        findings: vec![],
    };
    with_witness_texts(sources, edition)
}

fn save(
    a: &mut Archive,
    (sources, edition): &(Vec<StoredSource>, Edition),
    fp: &str,
) -> Result<(), StoreError> {
    a.replace_edition(sources, edition, fp, &mut |_| {})
}

/// Every row of every table (rowid included), for comparing archives.
fn dump(db: &Path) -> Result<Dump, Error> {
    let conn = Connection::open(db)?;
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    tables.retain(|t| !t.starts_with("sqlite_"));
    let mut out = Vec::new();
    for t in tables {
        let mut st = conn.prepare(&format!("SELECT rowid, * FROM \"{t}\" ORDER BY rowid"))?;
        let n = st.column_count();
        let rows: Vec<Vec<Value>> = st
            .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())?
            .collect::<Result<_, _>>()?;
        out.push((t, rows));
    }
    Ok(out)
}

#[test]
fn round_trip_returns_what_was_saved() -> TestResult {
    let dir = tempfile::tempdir()?;
    let fx = fixture();
    {
        let mut a = Archive::open(dir.path())?;
        assert_eq!(a.fingerprint()?, None);
        assert!(a.stored_sources()?.is_empty());
        assert!(a.documents(&DocFilter::default())?.is_empty());
        save(&mut a, &fx, "fp-1")?;
        assert_eq!(a.edition()?, fx.1);
    }
    // And from a fresh connection: nothing lived only in memory.
    let a = Archive::open_existing(dir.path())?;
    assert_eq!(a.edition()?, fx.1);
    assert_eq!(a.stored_sources()?, fx.0);
    assert_eq!(a.sources()?, fx.1.sources);
    assert_eq!(a.findings()?, fx.1.findings);
    assert_eq!(a.fingerprint()?.as_deref(), Some("fp-1"));
    assert_eq!(
        a.document("letters-to-molotov/2")?.as_ref(),
        fx.1.documents
            .iter()
            .find(|d| d.id == "letters-to-molotov/2")
    );
    assert_eq!(a.document("no/such")?, None);
    assert_eq!(a.schema_version()?, SCHEMA_VERSION);
    assert_eq!(a.db_path(), dir.path().join(DB_FILE));
    Ok(())
}

#[test]
fn counts_count_each_table() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut a = Archive::open(dir.path())?;
    assert_eq!(a.counts()?, Counts::default());
    let fx = fixture();
    save(&mut a, &fx, "fp")?;
    let c = a.counts()?;
    let docs = &fx.1.documents;
    assert_eq!(c.documents.get(&DocKind::Letter), Some(&4));
    assert_eq!(c.documents.get(&DocKind::CodedTelegram), Some(&1));
    assert_eq!(c.documents.get(&DocKind::EditorialText), Some(&1));
    assert_eq!(c.documents.get(&DocKind::Speech), None);
    assert_eq!(c.total_documents(), docs.len());
    assert_eq!(c.notes, docs.iter().map(|d| d.notes.len()).sum::<usize>());
    assert_eq!(
        c.archival_refs,
        docs.iter()
            .flat_map(|d| &d.notes)
            .map(|n| n.archival_refs.len())
            .sum::<usize>()
    );
    assert_eq!(
        c.witnesses,
        docs.iter().map(|d| d.witnesses.len()).sum::<usize>()
    );
    assert_eq!(
        c.multi_witness_documents,
        docs.iter().filter(|d| d.witnesses.len() > 1).count()
    );
    assert_eq!(c.findings, 2);
    assert_eq!(c.sources, 2);
    Ok(())
}

#[test]
fn filters_select_by_year_kind_names_and_collection() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut a = Archive::open(dir.path())?;
    save(&mut a, &fixture(), "fp")?;
    let list = |f: DocFilter| -> Result<Vec<String>, StoreError> {
        Ok(a.documents(&f)?.into_iter().map(|d| d.id).collect())
    };

    // Everything, in order then id (2 and 3 share order 2).
    assert_eq!(
        list(DocFilter::default())?,
        [
            "letters-to-molotov/intro",
            "letters-to-molotov/1",
            "letters-to-molotov/2",
            "letters-to-molotov/3",
            "telegrams/1",
            "letters-to-molotov/5"
        ]
    );
    // 1925: the exact day and the open start reaching back; not the
    // undetermined date (no evidence of any year), not the undated intro,
    // not 1930.
    assert_eq!(
        list(DocFilter {
            year: Some(1925),
            ..Default::default()
        })?,
        ["letters-to-molotov/1", "letters-to-molotov/3"]
    );
    // 1931: only the open end of "no earlier than 1930".
    assert_eq!(
        list(DocFilter {
            year: Some(1931),
            ..Default::default()
        })?,
        ["letters-to-molotov/2"]
    );
    assert_eq!(
        list(DocFilter {
            year: Some(1930),
            ..Default::default()
        })?,
        ["letters-to-molotov/2", "telegrams/1"]
    );
    // A year far outside four digits still gets an exact answer.
    assert_eq!(
        list(DocFilter {
            year: Some(12000),
            ..Default::default()
        })?,
        ["letters-to-molotov/2"]
    );
    assert_eq!(
        list(DocFilter {
            year: Some(-44),
            ..Default::default()
        })?,
        ["letters-to-molotov/3"]
    );

    assert_eq!(
        list(DocFilter {
            kind: Some(DocKind::CodedTelegram),
            ..Default::default()
        })?,
        ["telegrams/1"]
    );
    assert!(list(DocFilter {
        kind: Some(DocKind::Speech),
        ..Default::default()
    })?
    .is_empty());

    // Names: case-insensitive substrings, Cyrillic included.
    assert_eq!(
        list(DocFilter {
            from: Some("STALIN".into()),
            ..Default::default()
        })?,
        [
            "letters-to-molotov/1",
            "letters-to-molotov/3",
            "telegrams/1",
            "letters-to-molotov/5"
        ]
    );
    assert_eq!(
        list(DocFilter {
            from: Some("сТАЛ".into()),
            ..Default::default()
        })?,
        ["letters-to-molotov/2"]
    );
    assert_eq!(
        list(DocFilter {
            to: Some("бухарин".into()),
            ..Default::default()
        })?,
        ["letters-to-molotov/2"]
    );
    // `to` looks at addressees only, `from` at senders only.
    assert_eq!(
        list(DocFilter {
            to: Some("molotov".into()),
            ..Default::default()
        })?,
        [
            "letters-to-molotov/1",
            "letters-to-molotov/3",
            "telegrams/1"
        ]
    );
    assert!(list(DocFilter {
        from: Some("molotov".into()),
        ..Default::default()
    })?
    .is_empty());

    assert_eq!(
        list(DocFilter {
            collection: Some("telegrams".into()),
            ..Default::default()
        })?,
        ["telegrams/1"]
    );
    assert!(list(DocFilter {
        collection: Some("Telegrams".into()),
        ..Default::default()
    })?
    .is_empty());

    // Everything at once.
    assert_eq!(
        list(DocFilter {
            year: Some(1930),
            kind: Some(DocKind::CodedTelegram),
            from: Some("stal".into()),
            to: Some("kaganovich".into()),
            collection: Some("telegrams".into()),
        })?,
        ["telegrams/1"]
    );
    assert!(list(DocFilter {
        year: Some(1930),
        to: Some("voroshilov".into()),
        kind: Some(DocKind::CodedTelegram),
        ..Default::default()
    })?
    .is_empty());
    Ok(())
}

#[test]
fn year_filter_is_exact_for_years_of_any_width() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut a = Archive::open(dir.path())?;
    let (sources, mut edition) = fixture();
    // Intervals whose ISO days do not have four digits: the text comparison
    // in SQL would get these wrong, the exact test must not. (Negative
    // years are not tested: `Day::parse_iso` does not read them back.)
    edition.documents = vec![
        letter(
            "far/open-start",
            0,
            Some(interval("x", None, day(10000, 1, 1))),
            &[],
            &[],
        ),
        letter(
            "far/future",
            1,
            Some(interval("x", day(10000, 1, 1), day(10001, 1, 1))),
            &[],
            &[],
        ),
    ];
    a.replace_edition(&sources, &edition, "fp", &mut |_| {})?;
    let years = |y: i32| -> Result<Vec<String>, StoreError> {
        Ok(a.documents(&DocFilter {
            year: Some(y),
            ..Default::default()
        })?
        .into_iter()
        .map(|d| d.id)
        .collect())
    };
    assert_eq!(years(1930)?, ["far/open-start"]);
    assert_eq!(years(10000)?, ["far/open-start", "far/future"]);
    assert_eq!(years(10002)?, Vec::<String>::new());
    assert_eq!(years(-5)?, ["far/open-start"]);
    Ok(())
}

#[test]
fn open_existing_refuses_a_directory_without_archive() -> TestResult {
    let dir = tempfile::tempdir()?;
    match Archive::open_existing(dir.path()) {
        Err(e @ StoreError::NotFound { .. }) => {
            assert!(e.to_string().contains("fond ingest"), "{e}")
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    // Nothing was created by looking.
    assert!(!dir.path().join(DB_FILE).exists());
    let missing = dir.path().join("no-such-dir");
    assert!(matches!(
        Archive::open_existing(&missing),
        Err(StoreError::NotFound { .. })
    ));
    assert!(!missing.exists());
    Ok(())
}

#[test]
fn open_creates_nested_directories() -> TestResult {
    let dir = tempfile::tempdir()?;
    let nested = dir.path().join("a").join("b");
    let a = Archive::open(&nested)?;
    assert_eq!(a.schema_version()?, SCHEMA_VERSION);
    assert!(nested.join(DB_FILE).is_file());
    drop(a);
    Archive::open_existing(&nested)?;
    Ok(())
}

#[test]
fn open_reports_a_directory_it_cannot_create() -> TestResult {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "x")?;
    assert!(matches!(
        Archive::open(&file),
        Err(StoreError::CreateDir { .. })
    ));
    Ok(())
}

/// Sets the schema version as a user of `sqlite3` might.
fn set_version(db: &Path, meta: Option<&str>, user_version: Option<u32>) -> TestResult {
    let conn = Connection::open(db)?;
    if let Some(v) = meta {
        conn.execute(
            &format!("UPDATE meta SET value = {v} WHERE key = 'schema_version'"),
            [],
        )?;
    }
    if let Some(v) = user_version {
        conn.pragma_update(None, "user_version", v)?;
    }
    Ok(())
}

#[test]
fn newer_schema_is_refused_and_left_untouched() -> TestResult {
    // Each way a newer version can be recorded: both places, only the
    // table (as an integer or as text), only the header.
    let cases: [(Option<&str>, Option<u32>); 4] = [
        (Some("'99'"), Some(99)),
        (Some("99"), None),
        (Some("'99'"), None),
        (None, Some(99)),
    ];
    for (meta, user) in cases {
        let dir = tempfile::tempdir()?;
        {
            let mut a = Archive::open(dir.path())?;
            save(&mut a, &fixture(), "fp")?;
        }
        let db = dir.path().join(DB_FILE);
        set_version(&db, meta, user)?;
        let before = std::fs::read(&db)?;
        for result in [
            Archive::open(dir.path()),
            Archive::open_existing(dir.path()),
        ] {
            match result {
                Err(
                    e @ StoreError::NewerSchema {
                        found: 99,
                        supported: SCHEMA_VERSION,
                        ..
                    },
                ) => {
                    assert!(e.to_string().contains("upgrade fond"), "{e}");
                }
                other => panic!("{meta:?}/{user:?}: expected NewerSchema, got {other:?}"),
            }
        }
        assert_eq!(
            std::fs::read(&db)?,
            before,
            "a refused archive must not be written"
        );
    }
    Ok(())
}

#[test]
fn reopening_applies_nothing_and_writes_nothing() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join(DB_FILE);
    {
        let mut a = Archive::open(dir.path())?;
        save(&mut a, &fixture(), "fp")?;
    }
    let before = std::fs::read(&db)?;
    let schema_before = dump_schema(&db)?;
    for _ in 0..3 {
        let a = Archive::open(dir.path())?;
        assert_eq!(a.schema_version()?, SCHEMA_VERSION);
        let _ = a.documents(&DocFilter::default())?;
        drop(a);
        let a = Archive::open_existing(dir.path())?;
        let _ = a.counts()?;
    }
    assert_eq!(
        std::fs::read(&db)?,
        before,
        "opening and reading must leave the file byte for byte"
    );
    assert_eq!(dump_schema(&db)?, schema_before);
    // One version row, recorded in both places.
    let conn = Connection::open(&db)?;
    let rows: i64 = conn.query_row(
        "SELECT count(*) FROM meta WHERE key = 'schema_version'",
        [],
        |r| r.get(0),
    )?;
    assert_eq!(rows, 1);
    let user: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    assert_eq!(user, SCHEMA_VERSION);
    let app: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    assert_eq!(app, APPLICATION_ID);
    Ok(())
}

fn dump_schema(db: &Path) -> Result<SchemaDump, Error> {
    let conn = Connection::open(db)?;
    let rows = conn
        .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

#[test]
fn schema_has_the_documented_tables_and_indexes() -> TestResult {
    let dir = tempfile::tempdir()?;
    drop(Archive::open(dir.path())?);
    let names: Vec<String> = dump_schema(&dir.path().join(DB_FILE))?
        .into_iter()
        .map(|(_, n, _)| n)
        .collect();
    for expected in [
        "meta",
        "sources",
        "documents",
        "notes",
        "archival_refs",
        "witnesses",
        "findings",
        "visibility",
        "visibility_target",
        "documents_kind",
        "documents_date_earliest",
        "notes_doc",
        "archival_refs_normalized",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "missing {expected} in {names:?}"
        );
    }
    Ok(())
}

#[test]
fn other_files_are_not_taken_for_archives() -> TestResult {
    // Not SQLite at all.
    let dir = tempfile::tempdir()?;
    let db = dir.path().join(DB_FILE);
    std::fs::write(
        &db,
        b"this is a text file, not a database; it is long enough to have a header",
    )?;
    assert!(matches!(
        Archive::open(dir.path()),
        Err(StoreError::NotAnArchive { .. })
    ));
    assert!(matches!(
        Archive::open_existing(dir.path()),
        Err(StoreError::NotAnArchive { .. })
    ));

    // Another program's SQLite database: refused, and not "migrated".
    let dir = tempfile::tempdir()?;
    let db = dir.path().join(DB_FILE);
    Connection::open(&db)?.execute_batch(
        "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('borscht');",
    )?;
    let before = std::fs::read(&db)?;
    assert!(matches!(
        Archive::open(dir.path()),
        Err(StoreError::NotAnArchive { .. })
    ));
    assert_eq!(std::fs::read(&db)?, before);

    // An empty file (say, `touch fond.sqlite`) is a new archive.
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join(DB_FILE), b"")?;
    assert_eq!(
        Archive::open_existing(dir.path())?.schema_version()?,
        SCHEMA_VERSION
    );
    Ok(())
}

#[test]
fn a_panic_inside_the_transaction_leaves_the_previous_edition() -> TestResult {
    let dir = tempfile::tempdir()?;
    let first = fixture();
    let mut a = Archive::open(dir.path())?;
    save(&mut a, &first, "fp-1")?;
    let before = dump(&dir.path().join(DB_FILE))?;

    let second = fixture_b();
    let mut second_edition = second.1.clone();
    second_edition
        .documents
        .push(letter("works/2", 1, None, &[], &[]));
    let result = catch_unwind(AssertUnwindSafe(|| {
        a.replace_edition(&second.0, &second_edition, "fp-2", &mut |i| {
            if i == 2 {
                panic!("injected fault after document {i}");
            }
        })
    }));
    assert!(result.is_err(), "the injected panic must propagate");

    // The same handle still works and sees the first edition...
    assert_eq!(a.edition()?, first.1);
    assert_eq!(a.fingerprint()?.as_deref(), Some("fp-1"));
    drop(a);
    // ...and so does a fresh one, row for row.
    let a = Archive::open_existing(dir.path())?;
    assert_eq!(a.edition()?, first.1);
    assert_eq!(a.stored_sources()?, first.0);
    assert_eq!(dump(&dir.path().join(DB_FILE))?, before);
    Ok(())
}

#[test]
fn a_database_failure_mid_write_leaves_the_previous_edition() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join(DB_FILE);
    let first = fixture();
    let mut a = Archive::open(dir.path())?;
    save(&mut a, &first, "fp-1")?;
    // A trigger a historian might have added, failing on the second
    // document: a real SQLite error after rows have been written.
    Connection::open(&db)?.execute_batch(
        "CREATE TRIGGER refuse BEFORE INSERT ON documents WHEN NEW.id = 'works/2'
         BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END;",
    )?;
    let before = dump(&db)?;
    let (sources, mut edition) = fixture_b();
    edition.documents.push(letter("works/2", 1, None, &[], &[]));
    let mut seen = Vec::new();
    let err = a.replace_edition(&sources, &edition, "fp-2", &mut |i| seen.push(i));
    assert!(matches!(err, Err(StoreError::Database { .. })), "{err:?}");
    assert_eq!(
        seen,
        [1],
        "the first document was written before the failure"
    );
    assert_eq!(a.edition()?, first.1);
    assert_eq!(a.fingerprint()?.as_deref(), Some("fp-1"));
    assert_eq!(dump(&db)?, before);
    Ok(())
}

#[test]
fn invalid_editions_are_refused_before_writing() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join(DB_FILE);
    let first = fixture();
    let mut a = Archive::open(dir.path())?;
    save(&mut a, &first, "fp-1")?;
    let before = dump(&db)?;

    let (sources, edition) = fixture_b();
    let mut dup = edition.clone();
    dup.documents.push(dup.documents[0].clone());
    let mut no_text = edition.clone();
    no_text.sources.push(first.1.sources[0].clone());
    let mut changed = sources.clone();
    changed[0].source.sha256 = "another".into();
    let mut extra = sources.clone();
    extra.push(first.0[0].clone());
    let mut twice = sources.clone();
    twice.push(sources[0].clone());

    let attempts: [(&[StoredSource], &Edition); 5] = [
        (&sources, &dup),
        (&sources, &no_text),
        (&changed, &edition),
        (&extra, &edition),
        (&twice, &edition),
    ];
    for (i, (s, e)) in attempts.into_iter().enumerate() {
        let mut called = false;
        let err = a.replace_edition(s, e, "fp-2", &mut |_| called = true);
        match (i, &err) {
            (0, Err(StoreError::DuplicateDocument { id })) => assert_eq!(id, "works/1"),
            (1..=3, Err(StoreError::SourceMismatch { .. }))
            | (4, Err(StoreError::DuplicateSource { .. })) => {}
            _ => panic!("attempt {i}: unexpected {err:?}"),
        }
        assert!(!called, "attempt {i}: nothing may be written");
    }
    assert_eq!(dump(&db)?, before);
    Ok(())
}

#[test]
fn writes_are_deterministic() -> TestResult {
    let one = tempfile::tempdir()?;
    let two = tempfile::tempdir()?;
    let fx = fixture();
    let mut a = Archive::open(one.path())?;
    save(&mut a, &fx, "fp")?;
    let first = dump(&one.path().join(DB_FILE))?;
    // Same edition again, over itself.
    save(&mut a, &fx, "fp")?;
    assert_eq!(dump(&one.path().join(DB_FILE))?, first);
    // Over a different edition and back.
    save(&mut a, &fixture_b(), "fp-b")?;
    assert_ne!(dump(&one.path().join(DB_FILE))?, first);
    save(&mut a, &fx, "fp")?;
    assert_eq!(dump(&one.path().join(DB_FILE))?, first);
    // In another, fresh archive.
    let mut b = Archive::open(two.path())?;
    save(&mut b, &fx, "fp")?;
    assert_eq!(dump(&two.path().join(DB_FILE))?, first);
    Ok(())
}

#[test]
fn on_document_counts_every_document_in_order() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut a = Archive::open(dir.path())?;
    let (sources, edition) = fixture();
    let mut seen = Vec::new();
    a.replace_edition(&sources, &edition, "fp", &mut |i| seen.push(i))?;
    assert_eq!(seen, (1..=edition.documents.len()).collect::<Vec<_>>());
    Ok(())
}

#[test]
fn an_empty_edition_can_be_stored() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut a = Archive::open(dir.path())?;
    save(&mut a, &fixture(), "fp-1")?;
    a.replace_edition(&[], &Edition::default(), "fp-empty", &mut |_| {})?;
    assert_eq!(a.edition()?, Edition::default());
    assert_eq!(a.counts()?, Counts::default());
    assert_eq!(a.fingerprint()?.as_deref(), Some("fp-empty"));
    Ok(())
}

#[test]
fn relational_projections_answer_sql_questions() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join(DB_FILE);
    let mut a = Archive::open(dir.path())?;
    let fx = fixture();
    save(&mut a, &fx, "fp")?;
    let conn = Connection::open(&db)?;

    let doc: (String, String, Option<String>, Option<String>, String, i64, String) = conn.query_row(
        "SELECT kind, collection, date_earliest, date_latest, date_edtf, date_disagreement, addressees
         FROM documents WHERE id = 'letters-to-molotov/2'",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
    )?;
    assert_eq!(
        doc,
        (
            "letter".into(),
            "letters-to-molotov".into(),
            Some("1930-08-06".into()),
            None,
            "1930-08-06/..".into(),
            0,
            r#"["Молотов","Бухарин"]"#.into()
        )
    );
    let undated: Option<String> = conn.query_row(
        "SELECT date_edtf FROM documents WHERE id = 'letters-to-molotov/intro'",
        [],
        |r| r.get(0),
    )?;
    assert_eq!(undated, None);

    let notes: Vec<(i64, String, Option<String>, String, i64, i64)> = conn
        .prepare(
            "SELECT n, by_role, by_name, call_form, special_file, relocated FROM notes
             WHERE doc_id = 'letters-to-molotov/1' ORDER BY rowid",
        )?
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    assert_eq!(
        notes,
        [
            (
                1,
                "editors".into(),
                Some("Russian editors".into()),
                "superscript".into(),
                1,
                0
            ),
            (
                2,
                "other".into(),
                Some("Grover Furr".into()),
                "lost".into(),
                0,
                1
            )
        ]
    );

    let refs: Vec<(i64, i64, Option<String>, i64, String)> = conn
        .prepare(
            "SELECT note_n, seq, sheets, ibid, normalized FROM archival_refs
             WHERE doc_id = 'letters-to-molotov/1' ORDER BY rowid",
        )?
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<Result<_, _>>()?;
    assert_eq!(
        refs,
        [
            (
                1,
                1,
                Some("l. 5".into()),
                0,
                "RTsKhIDNI f. 558, op. 1, d. 5388, l. 5".into()
            ),
            (
                1,
                2,
                Some("ll. 8-23".into()),
                1,
                "RTsKhIDNI f. 558, op. 1, d. 5388, ll. 8-23".into()
            ),
            (
                2,
                1,
                Some("ll. 1, 2".into()),
                0,
                "RTsKhIDNI f. 558, op. 1, d. 7, ll. 1, 2".into()
            ),
        ]
    );
    // The sheets column agrees with the model's own rendering.
    for d in &fx.1.documents {
        for r in d.notes.iter().flat_map(|n| &n.archival_refs) {
            if let Some(s) = &r.sheets {
                assert!(r
                    .normalized()
                    .ends_with(&format!(", {}", write::render_sheets(s))));
            }
        }
    }

    // A historian's question: which archival files are cited most?
    let top: (String, i64) = conn.query_row(
        "SELECT normalized, count(*) AS c FROM archival_refs GROUP BY normalized ORDER BY c DESC, normalized LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    assert_eq!(top.1, 5, "{top:?}");

    let wit: (i64, String, i64, i64) = conn.query_row(
        "SELECT seq, source, first_line, last_line FROM witnesses WHERE doc_id = 'letters-to-molotov/1' AND seq = 2",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    assert_eq!(wit, (2, "web.html".into(), 40, 52));

    let kinds: Vec<String> = conn
        .prepare("SELECT kind FROM findings ORDER BY seq")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    assert_eq!(kinds, ["no-date", "witness-near-miss"]);
    let text: String =
        conn.query_row("SELECT text FROM sources WHERE name = 'book.md'", [], |r| {
            r.get(0)
        })?;
    assert_eq!(text, fx.0[0].text);
    Ok(())
}

#[test]
fn stored_names_agree_with_the_models_serde_names() -> TestResult {
    // The archive writes `as_str()` and reads back through serde: the two
    // must spell every value the same.
    for k in DocKind::ALL {
        assert_eq!(
            serde_json::to_value(k)?,
            serde_json::Value::String(k.as_str().into())
        );
    }
    for s in [
        SourceShape::EditionMarkdown,
        SourceShape::WebLetters,
        SourceShape::WebWorks,
        SourceShape::WebCompilation,
    ] {
        assert_eq!(
            serde_json::to_value(s)?,
            serde_json::Value::String(s.as_str().into())
        );
    }
    for k in [
        FindingKind::NoDate,
        FindingKind::CallWithoutNote,
        FindingKind::NoteWithoutCall,
        FindingKind::UnresolvedIbid,
        FindingKind::RepairedPageBreak,
        FindingKind::UnplacedLine,
        FindingKind::DateDisagreement,
        FindingKind::UnparsedDate,
        FindingKind::WitnessNearMiss,
        FindingKind::CatalogueEntry,
        FindingKind::Other,
    ] {
        assert_eq!(
            serde_json::to_value(k)?,
            serde_json::Value::String(k.as_str().into())
        );
    }
    Ok(())
}

#[test]
fn damaged_rows_are_reported_not_panicked_on() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join(DB_FILE);
    let mut a = Archive::open(dir.path())?;
    save(&mut a, &fixture(), "fp")?;
    let conn = Connection::open(&db)?;
    conn.execute(
        "UPDATE documents SET model = '{}' WHERE id = 'letters-to-molotov/1'",
        [],
    )?;
    conn.execute("UPDATE findings SET kind = 'mystery' WHERE seq = 1", [])?;
    conn.execute(
        "UPDATE sources SET shape = 'scroll' WHERE name = 'web.html'",
        [],
    )?;
    for err in [
        a.documents(&DocFilter::default()).map(|_| ()),
        a.document("letters-to-molotov/1").map(|_| ()),
        a.findings().map(|_| ()),
        a.sources().map(|_| ()),
        a.stored_sources().map(|_| ()),
    ] {
        match err {
            Err(e @ StoreError::Corrupt { .. }) => {
                assert!(e.to_string().contains("fond ingest"), "{e}")
            }
            other => panic!("expected Corrupt, got {other:?}"),
        }
    }
    // Undamaged documents still read.
    assert!(a.document("letters-to-molotov/2")?.is_some());
    Ok(())
}

#[test]
fn a_locked_archive_is_reported_as_locked() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join(DB_FILE);
    let mut a = Archive::open(dir.path())?;
    a.conn.busy_timeout(Duration::from_millis(50))?;
    let other = Connection::open(&db)?;
    other.execute_batch("BEGIN EXCLUSIVE")?;
    let err = save(&mut a, &fixture(), "fp");
    assert!(matches!(err, Err(StoreError::Locked { .. })), "{err:?}");
    other.execute_batch("ROLLBACK")?;
    save(&mut a, &fixture(), "fp")?;
    Ok(())
}

/// Witness texts as the archive gives them back: the line span of the
/// stored source (the texts are stored once, in `sources`).
fn with_witness_texts(
    sources: Vec<StoredSource>,
    mut edition: Edition,
) -> (Vec<StoredSource>, Edition) {
    for d in &mut edition.documents {
        for w in &mut d.witnesses {
            let text = sources
                .iter()
                .find(|s| s.source.name == w.source)
                .map(|s| s.text.as_str())
                .unwrap_or("");
            let take = (w.last_line as usize + 1).saturating_sub(w.first_line.max(1) as usize);
            w.text = text
                .lines()
                .skip(w.first_line.saturating_sub(1) as usize)
                .take(take)
                .collect::<Vec<_>>()
                .join("\n");
        }
    }
    (sources, edition)
}

/// Many synthetic documents with bodies of some length: the shape of a
/// larger archive, checked for correctness only (timings belong to
/// `fond bench`, never to tests).
fn synthetic(n: usize) -> (Vec<StoredSource>, Edition) {
    let (sources, mut edition) = fixture();
    let template = &edition.documents[1];
    let mut docs = Vec::with_capacity(n);
    for i in 0..n {
        let mut d = template.clone();
        d.id = format!("synthetic/{i:05}");
        d.order = i as u32;
        d.number = Some(i as u32);
        d.body[2].inlines.push(Inline::Text {
            text: "word ".repeat(400),
        });
        docs.push(d);
    }
    edition.documents = docs;
    (sources, edition)
}

#[test]
fn a_larger_edition_round_trips() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut a = Archive::open(dir.path())?;
    let fx = synthetic(500);
    save(&mut a, &fx, "fp")?;
    assert_eq!(a.counts()?.total_documents(), 500);
    assert_eq!(a.edition()?, fx.1);
    Ok(())
}

#[test]
fn links_round_trip_and_go_with_the_edition() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut a = Archive::open(dir.path())?;
    let fx = fixture();
    save(&mut a, &fx, "fp")?;
    let doc = fx.1.documents[1].id.clone();
    let person = fond_model::authority::Person::named(
        fond_model::authority::PersonId("bukharin-n-i".into()),
        "Bukharin, N. I.",
        "Bukharin".into(),
        Some("N. I.".into()),
        fond_model::authority::Origin::Glossary { line: 12 },
    );
    let mut person = person;
    person.pseudonyms.push("Bukharchik".into());
    person.offices.push(fond_model::authority::Office {
        body: Some(fond_model::authority::BodyId("politburo".into())),
        body_text: "Politburo".into(),
        jurisdiction: None,
        role: Some("member".into()),
        from: Some(fond_model::authority::Point {
            year: 1924,
            month: Some(6),
            day: None,
            approximate: false,
        }),
        to: None,
        assumed_only: true,
        date_shared: false,
        text: "member of the Politburo from June 1924".into(),
        source: fond_model::authority::OfficeSource::Glossary,
    });
    let entities = vec![Record::Person(person)];
    let bukharin = Entity::parse("person:bukharin-n-i").ok_or("entity")?;
    let mentions = vec![Mention {
        doc_id: doc.clone(),
        field: fond_model::authority::MentionField::Note(2),
        entity: bukharin.clone(),
        start: 4,
        end: 12,
        surface: "Bukharin".into(),
        confidence: 0.9,
        resolved: false,
        how: "surname".into(),
        candidates: vec![
            bukharin.clone(),
            Entity::parse("person:other").ok_or("entity")?,
        ],
    }];
    a.replace_links(&entities, &mentions, "links-fp")?;
    assert_eq!(a.links_fingerprint()?.as_deref(), Some("links-fp"));
    assert_eq!(a.entities(Some(EntityKind::Person))?, entities);
    assert!(a.entities(Some(EntityKind::Body))?.is_empty());
    assert_eq!(a.mentions_of(&bukharin)?, mentions);
    assert_eq!(a.mentions_in(&doc)?, mentions);
    assert_eq!(a.all_mentions(true)?.len(), 1);
    // Names and offices as tables of their own, for SQL.
    let conn = Connection::open(dir.path().join(DB_FILE))?;
    let names: Vec<(String, String)> = conn
        .prepare("SELECT name, variant FROM entity_names WHERE id = 'bukharin-n-i' ORDER BY seq")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    assert_eq!(
        names,
        [
            ("Bukharin, N. I.".to_string(), "printed".to_string()),
            ("Bukharchik".to_string(), "pseudonym".to_string())
        ]
    );
    let office: (String, String, String, i64) = conn.query_row(
        "SELECT body_id, role, date_from, assumed_only FROM offices WHERE person_id = 'bukharin-n-i'",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    assert_eq!(
        office,
        ("politburo".into(), "member".into(), "1924-06".into(), 1)
    );
    drop(conn);
    // A new edition clears the links: they pointed into the old one.
    save(&mut a, &fx, "fp2")?;
    assert!(a.entities(None)?.is_empty());
    assert!(a.all_mentions(false)?.is_empty());
    assert_eq!(a.links_fingerprint()?, None);
    let conn = Connection::open(dir.path().join(DB_FILE))?;
    let left: i64 = conn.query_row(
        "SELECT (SELECT count(*) FROM entity_names) + (SELECT count(*) FROM offices)",
        [],
        |r| r.get(0),
    )?;
    assert_eq!(left, 0);
    Ok(())
}

/// A witness whose source the archive does not hold (one an imported TEI
/// file describes) keeps the text it was given; the others are cut from
/// their stored source as before.
#[test]
fn a_witness_of_a_source_not_held_keeps_its_text() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (sources, mut edition) = fixture_b();
    let doc = edition
        .documents
        .first_mut()
        .ok_or("fixture has a document")?;
    doc.witnesses.push(Witness {
        source: "elsewhere.md".into(),
        first_line: 1,
        last_line: 2,
        label: "a transcription described by an import".into(),
        text: "Line one\nline two".into(),
        markup: fond_model::Markup::Plain,
    });
    let mut a = Archive::open(dir.path())?;
    save(&mut a, &(sources, edition.clone()), "fp")?;
    let back = a.document("works/1")?.ok_or("stored")?;
    assert_eq!(back.witnesses, edition.documents[0].witnesses);
    Ok(())
}

/// One source of `n` letters, each a witness of three lines of it: the
/// shape that made loading quadratic (each witness cut out by scanning
/// the source from its start).
fn one_source_of(n: usize) -> (Vec<StoredSource>, Edition) {
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!("Letter {i}\r\nDear comrade,\nyours {i}\n"));
    }
    let sources = vec![stored("big.md", SourceShape::EditionMarkdown, &text)];
    let documents = (0..n)
        .map(|i| {
            let mut d = letter(&format!("big/{i:06}"), i as u32, None, &["A"], &["B"]);
            d.witnesses = vec![Witness {
                source: "big.md".into(),
                first_line: 3 * i as u32 + 1,
                last_line: 3 * i as u32 + 3,
                label: "printed edition".into(),
                text: String::new(),
                markup: fond_model::Markup::Plain,
            }];
            d
        })
        .collect();
    let edition = Edition {
        sources: sources.iter().map(|s| s.source.clone()).collect(),
        documents,
        findings: vec![],
    };
    with_witness_texts(sources, edition)
}

#[test]
fn loading_is_linear_in_the_documents() -> TestResult {
    let mut counted = Vec::new();
    for n in [300, 3000] {
        let tmp = tempfile::tempdir()?;
        let mut a = Archive::open(tmp.path())?;
        let fx = one_source_of(n);
        save(&mut a, &fx, "fp")?;
        let before = crate::read::work::count();
        let docs = a.documents(&DocFilter::default())?;
        counted.push(crate::read::work::count() - before);
        // The texts are cut out exactly as `str::lines` would.
        assert_eq!(docs.len(), n);
        assert_eq!(docs, fx.1.documents);
    }
    let ratio = counted[1] as f64 / counted[0] as f64;
    assert!(
        ratio <= 10.5,
        "10× the documents cost {ratio:.1}× the work ({counted:?})"
    );
    Ok(())
}

#[test]
fn line_spans_match_str_lines() {
    for text in [
        "", "a", "a\n", "a\r\nb", "a\nb\r", "a\n\nb\n", "\n\n", "x\r\n",
    ] {
        let lined = crate::read::LinedText::new(text.to_string());
        for first in 0..5u32 {
            for last in 0..5u32 {
                let take = (last as usize + 1).saturating_sub(first.max(1) as usize);
                let expected = text
                    .lines()
                    .skip(first.saturating_sub(1) as usize)
                    .take(take)
                    .collect::<Vec<_>>()
                    .join("\n");
                assert_eq!(
                    lined.span(first, last),
                    expected,
                    "{text:?} {first}..={last}"
                );
            }
        }
    }
}

/// A write derived from a state that is no longer current is refused:
/// another writer committed in between, and writing would drop its
/// sources.
#[test]
fn a_write_from_an_outdated_state_is_refused() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let mut a = Archive::open(tmp.path())?;
    let fx = fixture();
    // Derived from an empty archive, written: fine.
    a.replace_edition_from(None, &fx.0, &fx.1, "fp-1", &mut |_| {})?;
    // A second writer read the same empty archive and writes later.
    let other = one_source_of(2);
    let r = a.replace_edition_from(None, &other.0, &other.1, "fp-2", &mut |_| {});
    assert!(matches!(r, Err(StoreError::Changed { .. })), "{r:?}");
    assert_eq!(a.fingerprint()?.as_deref(), Some("fp-1"), "nothing written");
    // From the current state it goes in.
    a.replace_edition_from(Some("fp-1"), &other.0, &other.1, "fp-2", &mut |_| {})?;
    // Links derived from an edition that was replaced are refused too.
    let r = a.replace_links_for("fp-1", &[], &[], "links");
    assert!(matches!(r, Err(StoreError::Changed { .. })), "{r:?}");
    a.replace_links_for("fp-2", &[], &[], "links")?;
    Ok(())
}

/// The list read from the columns gives what the decoded documents give,
/// under every filter.
#[test]
fn list_rows_match_the_documents() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let mut a = Archive::open(tmp.path())?;
    let fx = fixture();
    save(&mut a, &fx, "fp")?;
    for filter in [
        DocFilter::default(),
        DocFilter {
            kind: Some(DocKind::Letter),
            ..DocFilter::default()
        },
        DocFilter {
            from: Some("stal".into()),
            ..DocFilter::default()
        },
        DocFilter {
            to: Some("МОЛОТ".into()),
            ..DocFilter::default()
        },
        DocFilter {
            year: Some(1925),
            ..DocFilter::default()
        },
    ] {
        let rows = a.list(&filter)?;
        let docs: Vec<ListRow> = a
            .documents(&filter)?
            .iter()
            .map(crate::read::ListRow::of)
            .collect();
        assert_eq!(rows, docs, "{filter:?}");
    }
    Ok(())
}

fn correction(id: &str, doc: &str, value: &str) -> Correction {
    use fond_model::correction::{Action, Field, Status, Target, Value};
    Correction {
        id: id.into(),
        action: Action::Set,
        target: Target {
            document: doc.into(),
            field: Field::Place,
        },
        recovered: Value::None,
        value: Value::Text(value.into()),
        by: "editor".into(),
        at: "2026-12-06T06:00:00Z".into(),
        why: "the envelope says so".into(),
        status: Status::Active,
        reverts: None,
    }
}

#[test]
fn corrections_survive_every_replace_of_the_edition() -> TestResult {
    use fond_model::correction::{Outcome, State};
    let dir = tempfile::tempdir()?;
    let mut a = Archive::open(dir.path())?;
    save(&mut a, &fixture(), "fp-1")?;
    let c = correction("c1", "letters-to-molotov/2", "Sochi");
    assert_eq!(a.add_corrections(std::slice::from_ref(&c))?.added, 1);
    save(&mut a, &fixture_b(), "fp-2")?;
    save(&mut a, &(vec![], Edition::default()), "fp-3")?;
    assert_eq!(a.corrections()?, vec![c.clone()]);
    // The outcome of a re-derivation is recorded with its edition.
    let (sources, edition) = fixture();
    let outcomes = [Outcome {
        id: "c1".into(),
        state: State::Conflict,
        now: Some(fond_model::correction::Value::Text("Moscow".into())),
    }];
    a.replace_corrected_edition_from(
        Some("fp-3"),
        &sources,
        &edition,
        "fp-4",
        &outcomes,
        &mut |_| {},
    )?;
    let rows = a.correction_rows(Some("letters-to-molotov/2"))?;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].state, Some(State::Conflict));
    assert_eq!(rows[0].now, outcomes[0].now);
    assert!(a.correction_rows(Some("letters-to-molotov/1"))?.is_empty());
    // Adding the same entry again (an import twice) changes nothing.
    assert_eq!(a.add_corrections(&[c])?.unchanged, 1);
    Ok(())
}

#[test]
fn a_revert_is_a_new_entry_and_the_history_keeps_both() -> TestResult {
    use fond_model::correction::{Action, Status};
    let dir = tempfile::tempdir()?;
    let mut a = Archive::open(dir.path())?;
    let c = correction("c1", "x/1", "Sochi");
    a.add_corrections(std::slice::from_ref(&c))?;
    let revert = Correction {
        id: "c2".into(),
        action: Action::Revert,
        recovered: c.value.clone(),
        value: c.recovered.clone(),
        reverts: Some("c1".into()),
        why: "the envelope was another letter's".into(),
        at: "2026-12-06T07:00:00Z".into(),
        ..c.clone()
    };
    a.add_corrections(std::slice::from_ref(&revert))?;
    let all = a.corrections()?;
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].status, Status::Reverted);
    assert_eq!(all[1], revert);
    // A revert of a revert, of nothing, a clash of ids, an entry without
    // a reason: refused, and nothing of the batch is stored.
    let of_revert = Correction {
        id: "c3".into(),
        reverts: Some("c2".into()),
        ..revert.clone()
    };
    assert!(matches!(
        a.add_corrections(&[of_revert]),
        Err(StoreError::RevertOfRevert { .. })
    ));
    let of_nothing = Correction {
        id: "c4".into(),
        reverts: Some("c99".into()),
        ..revert.clone()
    };
    assert!(matches!(
        a.add_corrections(&[of_nothing]),
        Err(StoreError::NoSuchCorrection { .. })
    ));
    let fine = correction("c5", "x/2", "Tiflis");
    let clash = correction("c1", "x/1", "Baku");
    let e = a.add_corrections(&[fine, clash]);
    assert!(
        matches!(e, Err(StoreError::CorrectionIdTaken { .. })),
        "{e:?}"
    );
    let mut no_reason = correction("c6", "x/1", "Baku");
    no_reason.why = " ".into();
    let e = a.add_corrections(&[no_reason]).err().map(|e| e.to_string());
    assert!(
        e.as_deref().is_some_and(|e| e.contains("no reason")),
        "{e:?}"
    );
    assert_eq!(a.corrections()?.len(), 2);
    Ok(())
}

#[test]
fn a_version_2_archive_gains_the_corrections_table_and_keeps_its_edition() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join(DB_FILE);
    {
        let mut a = Archive::open(dir.path())?;
        save(&mut a, &fixture(), "fp-1")?;
    }
    // Back to version 2 as a fond of that version left it: no corrections
    // table, version 2 in both places.
    {
        let conn = Connection::open(&db)?;
        conn.execute_batch(
            "DROP TABLE corrections; DROP TABLE offices; DROP TABLE entity_names; DROP TABLE visibility;
             DROP TABLE sessions; DROP TABLE login_attempts; DROP TABLE users;
             DROP TABLE reviews; DROP INDEX documents_collection;",
        )?;
    }
    set_version(&db, Some("2"), Some(2))?;
    let before = dump(&db)?;
    let mut a = Archive::open(dir.path())?;
    assert_eq!(a.schema_version()?, SCHEMA_VERSION);
    assert_eq!(a.edition()?, fixture().1);
    assert_eq!(a.fingerprint()?.as_deref(), Some("fp-1"));
    assert!(a.corrections()?.is_empty());
    assert!(
        a.users(0)?.is_empty(),
        "the accounts' tables (V6) are there, empty"
    );
    a.add_corrections(&[correction("c1", "letters-to-molotov/2", "Sochi")])?;
    drop(a);
    // Every table of version 2 is as it was.
    let after = dump(&db)?;
    for (table, rows) in &before {
        if table == "meta" {
            continue;
        }
        let now = after.iter().find(|(t, _)| t == table).map(|(_, r)| r);
        assert_eq!(now, Some(rows), "{table}");
    }
    Ok(())
}

fn setting(
    target: fond_model::visibility::Target,
    level: fond_model::visibility::Level,
    until: Option<Day>,
    why: &str,
) -> fond_model::visibility::Setting {
    fond_model::visibility::Setting {
        target,
        level,
        until,
        readers: Vec::new(),
        who: "an editor".into(),
        when: "2026-12-06T07:00:00Z".into(),
        why: why.into(),
        profile: None,
    }
}

/// Visibility is the editors' data: it outlives re-ingest, keeps its
/// history, and refuses targets the archive does not hold.
#[test]
fn visibility_settings_survive_reingest_and_refuse_unknown_targets() -> TestResult {
    use fond_model::visibility::{Level, Target};
    let dir = tempfile::tempdir()?;
    let mut a = Archive::open(dir.path())?;
    let fx = fixture();
    save(&mut a, &fx, "fp1")?;
    let id = fx.1.documents[0].id.clone();
    let collection = fx.1.documents[0].collection.clone();
    a.set_visibility(&setting(
        Target::Document(id.clone()),
        Level::Restricted,
        None,
        "living person",
    ))?;
    a.set_visibility(&setting(
        Target::Collection(collection.clone()),
        Level::Embargoed,
        day(2030, 1, 1),
        "rights not cleared",
    ))?;
    a.set_visibility(&setting(
        Target::Source("book.md".into()),
        Level::Restricted,
        None,
        "special files",
    ))?;
    a.set_visibility(&setting(
        Target::Document(id.clone()),
        Level::Public,
        None,
        "cleared",
    ))?;
    // Re-ingest (another fingerprint): the settings stay.
    save(&mut a, &fixture_b(), "fp2")?;
    save(&mut a, &fx, "fp3")?;
    let now = a.visibility()?;
    assert_eq!(now.len(), 3, "{now:?}");
    let doc = a
        .visibility_of(&Target::Document(id.clone()))?
        .ok_or("the document's setting")?;
    assert_eq!(doc.level, Level::Public);
    assert_eq!(doc.why, "cleared");
    assert_eq!(a.visibility_history()?.len(), 4);
    let coll = a
        .visibility_of(&Target::Collection(collection))?
        .ok_or("the collection's setting")?;
    assert_eq!(
        (coll.level, coll.until),
        (Level::Embargoed, day(2030, 1, 1))
    );

    for (target, kind) in [
        (Target::Document("no/such".into()), "document"),
        (Target::Collection("nothing".into()), "collection"),
        (Target::Source("absent.txt".into()), "source"),
    ] {
        match a.set_visibility(&setting(target, Level::Restricted, None, "x")) {
            Err(e @ StoreError::UnknownTarget { .. }) => {
                assert!(e.to_string().contains(&format!("no {kind} ")), "{e}")
            }
            other => panic!("expected UnknownTarget, got {other:?}"),
        }
    }
    for bad in [
        setting(Target::Document(id.clone()), Level::Embargoed, None, "x"),
        setting(
            Target::Document(id.clone()),
            Level::Restricted,
            day(2030, 1, 1),
            "x",
        ),
        setting(Target::Document(id), Level::Restricted, None, "  "),
    ] {
        assert!(matches!(
            a.set_visibility(&bad),
            Err(StoreError::BadSetting(_))
        ));
    }
    assert_eq!(
        a.visibility_history()?.len(),
        4,
        "nothing refused was written"
    );
    Ok(())
}

fn mention(doc: &str, start: usize, id: &str) -> Mention {
    Mention {
        doc_id: doc.into(),
        field: fond_model::authority::MentionField::Body,
        entity: Entity::Person(fond_model::authority::PersonId(id.into())),
        start,
        end: start + 3,
        surface: id.into(),
        confidence: 1.0,
        resolved: true,
        how: "test".into(),
        candidates: Vec::new(),
    }
}

#[test]
fn documents_replaced_in_place_keep_everything_else() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut a = Archive::open(dir.path())?;
    let fx = fixture();
    save(&mut a, &fx, "fp1")?;
    let (l1, l2, l3) = (
        "letters-to-molotov/1",
        "letters-to-molotov/2",
        "letters-to-molotov/3",
    );
    let mentions = vec![
        mention(l1, 0, "a"),
        mention(l2, 0, "b"),
        mention(l2, 5, "c"),
        mention(l3, 0, "d"),
    ];
    a.replace_links(&[], &mentions, "links1")?;
    let mut changed = a.document(l2)?.ok_or("l2")?;
    changed.place = Some("Sochi".into());
    let conflict = Finding {
        kind: FindingKind::CorrectionConflict,
        source: "corrections".into(),
        line: 0,
        document: Some(l2.into()),
        message: "waiting".into(),
    };
    // Three mentions where there were two: the runs after move.
    let new_mentions = vec![
        mention(l2, 1, "x"),
        mention(l2, 2, "y"),
        mention(l2, 3, "z"),
    ];
    let update = DocumentsUpdate {
        documents: std::slice::from_ref(&changed),
        conflicts: std::slice::from_ref(&conflict),
        corrections: &[],
        outcomes: &[],
        fingerprint: "fp2",
        mentions: Some((&new_mentions, "links2")),
    };
    // Checked against lost updates.
    assert!(matches!(
        a.replace_documents_from(Some("fp-other"), &update),
        Err(StoreError::Changed { .. })
    ));
    assert!(a.replace_documents_from(Some("fp1"), &update)?);
    assert_eq!(a.fingerprint()?.as_deref(), Some("fp2"));
    assert_eq!(a.links_fingerprint()?.as_deref(), Some("links2"));
    let mut want = fx.1.clone();
    want.documents[2] = changed.clone();
    want.findings.push(conflict.clone());
    assert_eq!(a.edition()?, want);
    let order: Vec<String> = a
        .all_mentions(false)?
        .into_iter()
        .map(|m| m.surface)
        .collect();
    assert_eq!(order, ["a", "x", "y", "z", "d"]);
    // Again with one mention: the run shrinks, the order holds; the
    // conflict goes.
    let one = vec![mention(l2, 1, "w")];
    let again = DocumentsUpdate {
        conflicts: &[],
        fingerprint: "fp3",
        mentions: Some((&one, "links3")),
        ..update
    };
    assert!(a.replace_documents_from(Some("fp2"), &again)?);
    let order: Vec<String> = a
        .all_mentions(false)?
        .into_iter()
        .map(|m| m.surface)
        .collect();
    assert_eq!(order, ["a", "w", "d"]);
    assert_eq!(a.findings()?, fx.1.findings);
    // A document without mentions before cannot place new ones: the links
    // are left to a whole linking (their stamp cleared).
    let telegram = a.document("telegrams/1")?.ok_or("telegram")?;
    let lone = vec![mention("telegrams/1", 0, "t")];
    // The correction goes with the documents, in their transaction.
    let entry = correction("c1", "telegrams/1", "Sochi");
    let placed = a.replace_documents_from(
        Some("fp3"),
        &DocumentsUpdate {
            documents: std::slice::from_ref(&telegram),
            conflicts: &[],
            corrections: std::slice::from_ref(&entry),
            outcomes: &[],
            fingerprint: "fp4",
            mentions: Some((&lone, "links4")),
        },
    )?;
    assert!(!placed);
    assert_eq!(a.links_fingerprint()?, None);
    assert_eq!(a.corrections()?, vec![entry]);
    // A document the archive does not hold is refused, nothing written:
    // not the correction either.
    let mut ghost = changed.clone();
    ghost.id = "letters-to-molotov/99".into();
    let lost = correction("c2", "letters-to-molotov/99", "Tiflis");
    let r = a.replace_documents_from(
        Some("fp4"),
        &DocumentsUpdate {
            documents: std::slice::from_ref(&ghost),
            conflicts: &[],
            corrections: std::slice::from_ref(&lost),
            outcomes: &[],
            fingerprint: "fp5",
            mentions: None,
        },
    );
    assert!(r.is_err());
    assert_eq!(a.fingerprint()?.as_deref(), Some("fp4"));
    assert_eq!(
        a.corrections()?.len(),
        1,
        "the refused write stored no correction"
    );
    Ok(())
}

#[test]
fn a_finding_key_is_what_it_is_about_not_where() {
    let f = Finding {
        kind: FindingKind::NoDate,
        source: "book.md".into(),
        line: 12,
        document: Some("c/1".into()),
        message: "no date".into(),
    };
    let moved = Finding {
        line: 40,
        ..f.clone()
    };
    assert_eq!(
        finding_key(&f, "Letter 1 "),
        finding_key(&moved, " Letter 1")
    );
    assert_ne!(finding_key(&f, "Letter 1"), finding_key(&f, "Letter 2"));
    let other_doc = Finding {
        document: Some("c/2".into()),
        ..f.clone()
    };
    assert_ne!(finding_key(&f, "x"), finding_key(&other_doc, "x"));
    assert!(finding_key(&f, "x").starts_with('f'));
    assert_eq!(finding_key(&f, "x").len(), 13);
}

#[test]
fn reviews_hold_by_key_and_outlive_every_edition() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut a = Archive::open(dir.path())?;
    let fx = fixture();
    save(&mut a, &fx, "fp1")?;
    let all = a.review_queue(Vec::new(), &QueueFilter::default())?;
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|i| i.review.is_none()));
    let no_date = all
        .iter()
        .find(|i| i.finding.kind == FindingKind::NoDate)
        .ok_or("no-date")?;
    assert_eq!(no_date.collection.as_deref(), Some("letters-to-molotov"));
    let review = |decision: Decision, why: &str| Review {
        key: no_date.key.clone(),
        kind: "no-date".into(),
        document: no_date.finding.document.clone(),
        message: no_date.finding.message.clone(),
        decision,
        why: why.into(),
        who: "T. Ester".into(),
        at: "2026-12-06T09:00:00Z".into(),
    };
    assert!(matches!(
        a.decide(&review(Decision::Dismiss, " ")),
        Err(StoreError::BadSetting(_))
    ));
    a.decide(&review(Decision::Dismiss, "the book gives none"))?;
    // A new edition (the same findings) leaves the decision in force.
    save(&mut a, &fixture_b(), "fp2")?;
    save(&mut a, &fx, "fp3")?;
    let waiting = a.review_queue(
        Vec::new(),
        &QueueFilter {
            reviewed: Some(false),
            ..QueueFilter::default()
        },
    )?;
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].finding.kind, FindingKind::WitnessNearMiss);
    let decided = a.review_queue(
        Vec::new(),
        &QueueFilter {
            reviewed: Some(true),
            kind: Some("no-date".into()),
            collection: Some("letters-to-molotov".into()),
        },
    )?;
    assert_eq!(decided.len(), 1);
    assert_eq!(
        decided[0].review.as_ref().map(|r| r.decision),
        Some(Decision::Dismiss)
    );
    let elsewhere = a.review_queue(
        Vec::new(),
        &QueueFilter {
            collection: Some("telegrams".into()),
            ..QueueFilter::default()
        },
    )?;
    assert!(elsewhere.is_empty());
    // Findings derived elsewhere join the queue.
    let extra = Finding {
        kind: FindingKind::UnresolvedMention,
        source: "book.md".into(),
        line: 2,
        document: Some("telegrams/1".into()),
        message: "\"Letter\" could be any of: a, b".into(),
    };
    let with = a.review_queue(vec![extra], &QueueFilter::default())?;
    assert_eq!(with.len(), 3);
    // Reopened: waiting again; the history keeps both.
    a.decide(&review(Decision::Reopen, "look again"))?;
    assert!(a.reviews()?.is_empty());
    assert_eq!(a.review_history()?.len(), 2);
    Ok(())
}
