//! The real corpus, read and linked once per test binary, and the
//! conversion from `fond-authority`'s records to the export's (the same
//! the CLI needs).

#![allow(dead_code)]

use fond_export::{
    EntityKind, Field, LifeDate, Mention, OfficeEntry, OrgEntry, PartialDate, PeriodicalEntry,
    PersonEntry,
};
use fond_model::{DocKind, Document, Edition};
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
    let dir = corpus_dir();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (needs ../shared/corpus beside the repository, or FOND_CORPUS)",
                dir.display()
            )
        })
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "README.md")
        .collect();
    names.sort();
    let mut read = Vec::new();
    let mut book = None;
    for n in &names {
        let bytes = std::fs::read(dir.join(n)).expect("corpus file");
        let r = fond_ingest::read_source(n, &bytes, "").expect("corpus file reads");
        if r.source.shape == fond_model::SourceShape::EditionMarkdown {
            book = Some(r.text.clone());
        }
        read.push(r);
    }
    let edition = fond_ingest::build_edition(read);
    let auth = fond_authority::Authority::from_book(&book.expect("the book")).expect("authority");
    let people = auth.people().iter().map(person).collect();
    let orgs = auth.bodies().iter().map(org).collect();
    let periodicals = auth.periodicals().iter().map(periodical).collect();
    let mentions = link(&auth, &edition.documents);
    Corpus {
        edition,
        people,
        orgs,
        periodicals,
        mentions,
    }
}

/// The book's own sources of names are not texts that mention people
/// (as in the CLI's linking stage).
fn is_authority_source(d: &Document) -> bool {
    d.kind == DocKind::EditorialText && matches!(d.title.as_str(), "Glossary of Names" | "Index")
}

fn entity(e: &fond_authority::Entity) -> (EntityKind, String) {
    match e {
        fond_authority::Entity::Person(p) => (EntityKind::Person, p.0.clone()),
        fond_authority::Entity::Body(b) => (EntityKind::Body, b.0.clone()),
        fond_authority::Entity::Periodical(p) => (EntityKind::Periodical, p.0.clone()),
    }
}

pub fn link(auth: &fond_authority::Authority, docs: &[Document]) -> Vec<Mention> {
    let mut out = Vec::new();
    for d in docs.iter().filter(|d| !is_authority_source(d)) {
        let years = fond_authority::document_years(d);
        for (field, names) in [
            (Field::Sender, &d.senders),
            (Field::Addressee, &d.addressees),
        ] {
            for (i, name) in names.iter().enumerate() {
                if let Some(pid) = auth.resolve_party(name, years) {
                    out.push(Mention {
                        doc_id: d.id.clone(),
                        field,
                        entity_kind: EntityKind::Person,
                        entity_id: pid.0,
                        start: i,
                        end: i,
                        surface: name.clone(),
                        confidence: 1.0,
                        resolved: true,
                        how: "party".into(),
                        candidates: vec![],
                    });
                }
            }
        }
        for m in auth.link_document(d) {
            let field = match m.doc_id.split_once("#note-") {
                Some((_, n)) => Field::Note(n.parse().expect("note number")),
                None => Field::Body,
            };
            let (kind, id) = entity(&m.entity);
            out.push(Mention {
                doc_id: d.id.clone(),
                field,
                entity_kind: kind,
                entity_id: id,
                start: m.start,
                end: m.end,
                surface: m.surface.clone(),
                confidence: f64::from(m.confidence),
                resolved: m.resolved,
                how: m.how.to_string(),
                candidates: m.candidates.iter().map(|c| c.to_string()).collect(),
            });
        }
    }
    out
}

fn life(y: &fond_authority::LifeYear) -> LifeDate {
    LifeDate {
        year: y.year,
        alternatives: y.alternatives.clone(),
        uncertain: y.uncertain,
        printed: y.printed.clone(),
    }
}

fn point(p: &fond_authority::Point) -> PartialDate {
    PartialDate {
        year: p.year,
        month: p.month,
        day: p.day,
    }
}

pub fn person(p: &fond_authority::Person) -> PersonEntry {
    let mut variants: Vec<String> = Vec::new();
    let names = p
        .real_name
        .iter()
        .chain(&p.pseudonyms)
        .chain(&p.other_names)
        .chain(p.aliases.iter().map(|a| &a.name));
    for n in names {
        if !variants.contains(n) && n != &p.name {
            variants.push(n.clone());
        }
    }
    PersonEntry {
        id: p.id.0.clone(),
        name: p.name.clone(),
        surname: p.surname.clone(),
        forenames: p.forenames.clone(),
        variants,
        born: p.born.as_ref().map(life),
        died: p.died.as_ref().map(life),
        repressed: p.repressed(),
        offices: p
            .offices
            .iter()
            .map(|o| OfficeEntry {
                body: o.body.as_ref().map(|b| b.0.clone()),
                body_text: o.body_text.clone(),
                role: o.role.clone(),
                from: o.from.as_ref().map(point),
                to: o.to.as_ref().map(point),
                approximate: o.from.is_some_and(|p| p.approximate)
                    || o.to.is_some_and(|p| p.approximate),
            })
            .collect(),
        biography: p.biography.clone(),
    }
}

pub fn org(b: &fond_authority::Body) -> OrgEntry {
    let kind = serde_json::to_value(b.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    OrgEntry {
        id: b.id.0.clone(),
        name: b.name.clone(),
        kind,
        parent: b.parent.as_ref().map(|p| p.0.clone()),
        variants: b
            .aliases
            .iter()
            .chain(&b.abbreviations)
            .chain(&b.russian)
            .cloned()
            .collect(),
    }
}

pub fn periodical(p: &fond_authority::Periodical) -> PeriodicalEntry {
    PeriodicalEntry {
        id: p.id.0.clone(),
        title: p.title.clone(),
        translation: p.translation.clone(),
        variants: p.aliases.iter().chain(&p.russian).cloned().collect(),
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
