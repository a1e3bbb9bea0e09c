//! The editors' corrections at the terminal: `fond correct`, `fond
//! corrections list|export|import|revert`, `fond history`.
//!
//! Every command that changes the history re-derives the edition at once
//! (the recovery from the stored sources, then every correction applied:
//! `ingest::write_recovered`), and the links and the index follow through
//! their stamps, so a correction shows in `show`, `list`, search and the
//! exports as soon as the command returns.

use crate::ingest::{self, Written};
use crate::inplace::{Around, Done, Relinked, Request, Way};
use crate::search::IndexWay;
use anyhow::{Context, Result};
use fond_model::correction::{Action, Correction, Field, State, Status, Target, Value};
use fond_model::Document;
use fond_store::{Archive, CorrectionRow};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Who is correcting: `--by`, else the login name, else "editor".
pub fn editor(by: Option<String>) -> String {
    by.filter(|b| !b.trim().is_empty())
        .or_else(|| std::env::var("USER").ok().filter(|u| !u.trim().is_empty()))
        .unwrap_or_else(|| "editor".to_string())
}

/// Now, UTC, RFC 3339 to the second (the one clock's).
pub fn now_utc() -> String {
    fond_model::clock::now_utc().0
}

/// An id for a new entry: short enough to type, drawn from what the entry
/// says, who made it and when (to the nanosecond), so that two archives
/// never mint the same id for different entries and an export can be
/// merged into another archive.
fn mint_id(target: &Target, value: &Value, by: &str, at: &str, why: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let text = format!(
        "{}\n{}\n{}\n{by}\n{at}\n{why}\n{nanos}\n{}",
        target.document,
        target.field.name(),
        serde_json::to_string(value).unwrap_or_default(),
        std::process::id()
    );
    let hex = fond_ingest::sha256_hex(text.as_bytes());
    format!("c{}", &hex[..10])
}

/// A reason is required: it goes into the document's history.
fn reason(why: &str) -> Result<String> {
    let why = why.trim();
    if why.is_empty() {
        anyhow::bail!(
            "--why is empty: say why the value changes (it goes into the document's history)"
        );
    }
    Ok(why.to_string())
}

/// A document of the recovery by id, or by its number in the first
/// collection that has it.
fn find<'a>(docs: &'a [Document], id: &str) -> Option<&'a Document> {
    docs.iter().find(|d| d.id == id).or_else(|| {
        let n: u32 = id.parse().ok()?;
        docs.iter().find(|d| d.number == Some(n))
    })
}

/// Re-derives the edition from the stored sources with every stored
/// correction, writes it, and brings links and index up to date. The
/// caller holds the write lock.
fn rederive(
    archive_dir: &Path,
    archive: &mut Archive,
    derived_from: Option<&str>,
    recovered: Option<(Vec<fond_store::StoredSource>, fond_model::Edition)>,
) -> Result<(Written, Vec<String>)> {
    let (stored, edition) = match recovered {
        Some(r) => r,
        None => ingest::recover(archive.stored_sources()?, Vec::new(), "")?,
    };
    let w = ingest::write_recovered(archive, derived_from, &stored, edition, None)?;
    let derived = crate::writer::derive(archive_dir, archive);
    Ok((w, derived.problems))
}

fn state_words(s: State) -> &'static str {
    match s {
        State::Applied => "applied",
        State::Agrees => "the engine now recovers this value itself",
        State::Superseded => "superseded by a later correction of the field",
        State::Conflict => "CONFLICT: not applied (fond check lists it)",
        State::MissingDocument => "CONFLICT: the document is gone (fond check lists it)",
        State::MissingNote => "CONFLICT: the note is gone (fond check lists it)",
        State::NotFound => "CONFLICT: the words are no longer found (fond check lists it)",
        State::Ambiguous => "CONFLICT: the words fit several places (fond check lists it)",
        State::Reverted => "reverted",
        State::Revert => "revert",
    }
}

/// `fond correct ID FIELD VALUE --why … [--by NAME]`.
pub struct CorrectArgs {
    pub id: String,
    pub field: String,
    pub value: String,
    pub why: String,
    pub by: Option<String>,
    pub json: bool,
    /// `text`, `mention`: the second side when not written `A→B`.
    pub to: Option<String>,
    /// `text`, `mention`: words just before or after the quote, when it
    /// stands more than once.
    pub before: Option<String>,
    pub after: Option<String>,
    /// `mention`: where the name stands (`body`, `note:N`, `sender`,
    /// `addressee`).
    pub place: Option<String>,
}

/// The anchored kinds (`text`, `mention`): the field with its anchor
/// found in the document as recovered, and the value. The two sides are
/// `VALUE` split at `→` (or `->`), or `VALUE` and `TO`.
fn anchored(doc: &Document, a: &CorrectArgs) -> Result<(Field, Value)> {
    use fond_ingest::corrections::{anchor_mention, anchor_text, Miss};
    // `note:N:call WORDS`: the call moves after the words.
    let call = call_note(&a.field);
    let (left, right) = match &a.to {
        _ if call.is_some() => (a.value.as_str(), a.value.as_str()),
        Some(to) => (a.value.as_str(), to.as_str()),
        None => a
            .value
            .split_once('→')
            .or_else(|| a.value.split_once("->"))
            .with_context(|| {
                format!(
                    "write the {} as 'AS PRINTED→{}' (or give the second part as one more argument)",
                    a.field,
                    if a.field == "text" { "READING" } else { "person:ID or none" }
                )
            })?,
    };
    let before = a.before.as_deref().unwrap_or("");
    let after = a.after.as_deref().unwrap_or("");
    let found = if let Some(note) = call {
        if !doc.notes.iter().any(|n| n.n == note) {
            anyhow::bail!("{}", no_such_note(doc, &Field::NoteText { note }));
        }
        anchor_text(doc, left, before, after).map(|f| match f {
            Field::Text {
                exact,
                prefix,
                suffix,
            } => Field::NoteCall {
                note,
                exact,
                prefix,
                suffix,
            },
            f => f,
        })
    } else if a.field == "text" {
        anchor_text(doc, left, before, after)
    } else {
        let place = a.place.as_deref().unwrap_or("body");
        anchor_mention(doc, place, left, before, after)
    };
    let field = found.map_err(|m| match m {
        Miss::Ambiguous(n) => anyhow::anyhow!(
            "\"{left}\" stands {n} times in {}; say which with --before TEXT (words just before it) or --after TEXT",
            doc.id
        ),
        Miss::NoNote => anyhow::anyhow!("{}", no_such_note_of(doc, a.place.as_deref().unwrap_or(""))),
        Miss::NotFound => anyhow::anyhow!(
            "\"{left}\" is not in {} as printed (within one paragraph{}); `fond show {}` shows the text",
            doc.id,
            if before.is_empty() && after.is_empty() { "" } else { ", with the --before/--after given" },
            doc.id
        ),
    })?;
    let value = field
        .parse_value(right.trim())
        .with_context(|| format!("the value for {field}"))?;
    Ok((field, value))
}

/// The note of a `note:N:call` field name.
fn call_note(field: &str) -> Option<u32> {
    field
        .trim()
        .strip_prefix("note:")?
        .strip_suffix(":call")?
        .parse()
        .ok()
}

fn no_such_note_of(doc: &Document, place: &str) -> String {
    let n = place
        .strip_prefix("note:")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    no_such_note(doc, &Field::NoteText { note: n })
}

/// The document of the recovery an editor names: by its id as the
/// edition shows it (a corrected number finds its document), else as the
/// engine recovers it.
fn named<'r>(
    archive: &Archive,
    recovery: &'r fond_model::Edition,
    id: &str,
) -> Result<&'r Document> {
    let shown_id = if archive.document(id)?.is_some() {
        Some(id.to_string())
    } else {
        id.parse::<u32>().ok().and_then(|n| {
            archive
                .documents(&fond_store::DocFilter::default())
                .ok()?
                .into_iter()
                .find(|d| d.number == Some(n))
                .map(|d| d.id)
        })
    };
    shown_id
        .and_then(|sid| recovery.documents.iter().find(|d| d.id == sid))
        .or_else(|| find(&recovery.documents, id))
        .with_context(|| {
            format!(
                "no document \"{}\" in the archive; `fond list` shows the ids",
                crate::render::clean(id)
            )
        })
}

/// The document, field and value an editor's command names. A field of
/// a document's own (`date`, `note:N`, `split SOURCE`, …) is parsed as
/// written; an anchored one (`text`, `mention`, `note:N:call`) finds its
/// anchor in the document — a text as the engine recovers it (as
/// printed), a name in the edition as the linker reads it.
fn requested(archive_dir: &Path, a: &CorrectArgs) -> Result<(String, Field, Value)> {
    let archive = Archive::open_existing(archive_dir)?;
    let is_anchored = matches!(a.field.trim(), "text" | "mention") || call_note(&a.field).is_some();
    if !is_anchored {
        // `split SOURCE`: the source names the witness, so the field too.
        let name = match a.field.trim() {
            "split" => format!("split:{}", a.value.trim()),
            f => f.to_string(),
        };
        let field = Field::parse(&name)?;
        let value = field
            .parse_value(&a.value)
            .with_context(|| format!("the value for {field}"))?;
        let document = shown_id(&archive, &a.id)?.unwrap_or_else(|| a.id.clone());
        return Ok((document, field, value));
    }
    let (_, recovery) = ingest::recover(archive.stored_sources()?, Vec::new(), "")?;
    let doc = named(&archive, &recovery, &a.id)?;
    let shown = archive.document(&doc.id)?;
    let (field, value) = if a.field.trim() == "mention" {
        anchored(shown.as_ref().unwrap_or(doc), a)?
    } else {
        anchored(doc, a)?
    };
    Ok((doc.id.clone(), field, value))
}

/// Stores an editor's correction as `fond correct` takes it — the reason
/// checked, the field and value read, an anchor found in the document —
/// and brings the edition up to date ([`apply_one`]). The reading room's
/// desk calls it too.
pub fn submit(archive_dir: &Path, a: &CorrectArgs) -> Result<Done> {
    let why = reason(&a.why)?;
    let by = editor(a.by.clone());
    let (document, field, value) = requested(archive_dir, a)?;
    apply_one(
        archive_dir,
        Request {
            document,
            field,
            value,
            by,
            why,
        },
    )
}

/// What a stored correction did, in one line: the field, its value before
/// and after, and what became of it.
pub fn summary(done: &Done) -> String {
    let c = &done.correction;
    format!(
        "{}: {} {}: {} → {} ({})",
        c.id,
        c.target.document,
        c.target.field,
        done.before
            .as_ref()
            .map(Value::shown)
            .unwrap_or_else(|| "(none)".into()),
        c.value.shown(),
        done.state.map(state_words).unwrap_or("stored")
    )
}

pub fn correct(archive_dir: &Path, a: CorrectArgs, out: &mut impl Write) -> Result<ExitCode> {
    let done = submit(archive_dir, &a)?;
    for p in &done.problems {
        eprintln!("fond: {}", crate::render::clean(p));
    }
    let c = &done.correction;
    if a.json {
        let v = serde_json::json!({
            "correction": c,
            "state": done.state.map(State::as_str),
            "before": done.before,
            "way": done.way,
        });
        serde_json::to_writer_pretty(&mut *out, &v)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{}", summary(&done))?;
    if c.recovered != done.before.clone().unwrap_or(Value::None) {
        writeln!(out, "  the engine recovers {}", c.recovered.shown())?;
    }
    writeln!(out, "  by {} at {}: {}", c.by, c.at, c.why)?;
    writeln!(out, "  {}", way_words(&done.way))?;
    Ok(ExitCode::SUCCESS)
}

/// How the edition followed, in words.
fn way_words(way: &Way) -> String {
    match way {
        Way::Rederived => "the edition re-derived from the stored sources".into(),
        Way::InPlace { relinked, index } => format!(
            "changed in place: the document written, {}, {}",
            match relinked {
                Relinked::Document => "its links made again",
                Relinked::Whole => "the edition linked again",
            },
            match index {
                Some(IndexWay::Updated { documents }) => {
                    format!(
                        "the search index updated ({documents} document{})",
                        if *documents == 1 { "" } else { "s" }
                    )
                }
                Some(IndexWay::Rebuilt) => "the search index rebuilt".into(),
                None => "the search index left for the next command".into(),
            }
        ),
    }
}

/// The stored document an id names as the editor sees the edition: the
/// id itself, or a number (a corrected number finds its document).
/// `None`: the archive holds no such document (the recovery may).
fn shown_id(archive: &Archive, id: &str) -> Result<Option<String>> {
    if archive.document(id)?.is_some() {
        return Ok(Some(id.to_string()));
    }
    let Ok(n) = id.parse::<u32>() else {
        return Ok(None);
    };
    Ok(archive
        .documents(&fond_store::DocFilter::default())?
        .into_iter()
        .find(|d| d.number == Some(n))
        .map(|d| d.id))
}

/// Stores one correction and brings the edition, its links and its
/// search index up to date before it returns, in place when it can
/// (see [`crate::inplace`]), else the full way. Prints nothing: the
/// reading room's desk calls it as `fond correct` does. A document the
/// archive does not hold under `req.document` is looked up in the
/// engine's recovery (by id, then as a letter number).
pub fn apply_one(archive_dir: &Path, mut req: Request) -> Result<Done> {
    drop(Archive::open_existing(archive_dir)?);
    let _lock = crate::writer::lock(archive_dir)?;
    let mut archive = Archive::open_existing(archive_dir)?;
    let derived_from = archive.fingerprint()?;
    let mut done = match crate::inplace::try_in_place(
        archive_dir,
        &mut archive,
        derived_from.as_deref(),
        &req,
    )? {
        Some(done) => done,
        None => {
            if archive.document(&req.document)?.is_none() {
                let (_, recovery) = ingest::recover(archive.stored_sources()?, Vec::new(), "")?;
                if let Some(d) = find(&recovery.documents, &req.document) {
                    req.document = d.id.clone();
                }
            }
            crate::inplace::rederived(archive_dir, &mut archive, derived_from.as_deref(), &req)?
        }
    };
    done.around = Around::read(&archive, derived_from)?;
    Ok(done)
}

/// Refuses a correction that would change nothing the edition shows.
pub fn refuse_unchanged(
    doc: &str,
    field: &Field,
    before: Option<&Value>,
    value: &Value,
) -> Result<()> {
    if before == Some(value) {
        anyhow::bail!(
            "{doc} {field} is already {}; nothing was stored",
            value.shown()
        );
    }
    Ok(())
}

/// A new entry of the history for the request, minted now.
pub fn new_correction(target: Target, recovered: Value, req: &Request) -> Correction {
    let at = now_utc();
    let id = mint_id(&target, &req.value, &req.by, &at, &req.why);
    crate::inplace::entry(target, recovered, req, at, id)
}

/// Why a note's field cannot be corrected: the document has no such note
/// (and which notes it has).
pub fn no_such_note(doc: &fond_model::Document, field: &Field) -> String {
    let notes: Vec<String> = doc.notes.iter().map(|n| n.n.to_string()).collect();
    format!(
        "{} has no note {}; its notes are: {}",
        doc.id,
        match field {
            Field::NoteText { note } | Field::NoteAuthor { note } => note.to_string(),
            _ => String::new(),
        },
        if notes.is_empty() {
            "none".to_string()
        } else {
            notes.join(", ")
        }
    )
}

/// One entry as a line of the history or the list.
fn entry_line(r: &CorrectionRow) -> String {
    let c = &r.correction;
    let what = match c.action {
        Action::Set => format!(
            "{} {}: {} → {}",
            c.target.document,
            c.target.field,
            c.recovered.shown(),
            c.value.shown()
        ),
        Action::Revert => format!(
            "{} {}: reverts {} (back to {})",
            c.target.document,
            c.target.field,
            c.reverts.as_deref().unwrap_or("?"),
            c.value.shown()
        ),
    };
    let state = match (c.action, c.status, r.state) {
        (Action::Revert, _, _) => "revert".to_string(),
        (_, Status::Reverted, _) => "reverted".to_string(),
        (_, _, Some(s)) => s.as_str().to_string(),
        (_, _, None) => "not yet derived".to_string(),
    };
    let now = match (r.state, &r.now) {
        (Some(State::Conflict), Some(now)) => format!("; the engine now recovers {}", now.shown()),
        _ => String::new(),
    };
    format!(
        "{:<12} {:<16} {what}{now}\n             by {} at {}: {}",
        c.id, state, c.by, c.at, c.why
    )
}

fn row_json(r: &CorrectionRow) -> serde_json::Value {
    let mut v = serde_json::to_value(&r.correction).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert(
            "state".into(),
            serde_json::json!(r.state.map(State::as_str)),
        );
        o.insert("now".into(), serde_json::json!(r.now));
    }
    v
}

/// `fond corrections list [--json] [ID]`: the history in its order.
pub fn list(
    archive_dir: &Path,
    id: Option<&str>,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let archive = crate::writer::open_for_reading(archive_dir)?;
    let id = match id {
        Some(i) => Some(resolve_id(&archive, i)?),
        None => None,
    };
    let rows = archive.correction_rows(id.as_deref())?;
    if json {
        for r in &rows {
            serde_json::to_writer(&mut *out, &row_json(r))?;
            writeln!(out)?;
        }
    } else {
        for r in &rows {
            writeln!(out, "{}", entry_line(r))?;
        }
        let conflicts = rows
            .iter()
            .filter(|r| r.state.is_some_and(State::is_conflict))
            .count();
        writeln!(out, "{} corrections, {conflicts} in conflict", rows.len())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A document id as typed: an id the archive holds, a letter number, or
/// (for a document gone from the edition) the id its corrections name.
fn resolve_id(archive: &Archive, id: &str) -> Result<String> {
    if archive.document(id)?.is_some() {
        return Ok(id.to_string());
    }
    if let Ok(n) = id.parse::<u32>() {
        let docs = archive.documents(&fond_store::DocFilter::default())?;
        if let Some(d) = docs.into_iter().find(|d| d.number == Some(n)) {
            return Ok(d.id);
        }
    }
    if !archive.correction_rows(Some(id))?.is_empty() {
        return Ok(id.to_string());
    }
    anyhow::bail!(
        "no document \"{}\" in the archive and no correction names it; `fond list` shows the ids",
        crate::render::clean(id)
    )
}

/// `fond history ID`: the document's corrections, newest first.
pub fn history(archive_dir: &Path, id: &str, json: bool, out: &mut impl Write) -> Result<ExitCode> {
    let archive = crate::writer::open_for_reading(archive_dir)?;
    let id = resolve_id(&archive, id)?;
    let mut rows = archive.correction_rows(Some(&id))?;
    rows.reverse();
    if json {
        for r in &rows {
            serde_json::to_writer(&mut *out, &row_json(r))?;
            writeln!(out)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{id}: {} entries, newest first", rows.len())?;
    for r in &rows {
        writeln!(out, "{}", entry_line(r))?;
    }
    if rows.is_empty() {
        writeln!(
            out,
            "  (no correction: the edition gives what the engine recovered)"
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `fond corrections export [--out FILE]`: every entry of the history as
/// JSON Lines, in its order.
pub fn export(archive_dir: &Path, file: Option<&Path>, out: &mut impl Write) -> Result<ExitCode> {
    let archive = crate::writer::open_for_reading(archive_dir)?;
    let all = archive.corrections()?;
    let mut text = String::new();
    for c in &all {
        text.push_str(&serde_json::to_string(c)?);
        text.push('\n');
    }
    match file {
        Some(f) => {
            std::fs::write(f, text).with_context(|| format!("{}: cannot write", f.display()))?;
            eprintln!("fond: {} corrections written to {}", all.len(), f.display());
        }
        None => out.write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads a JSON Lines file of corrections: every line must be one; a line
/// that is not is reported with the file and its number, and nothing of
/// the file is taken.
pub fn read_jsonl(file: &Path) -> Result<Vec<Correction>> {
    let text = std::fs::read_to_string(file).with_context(|| {
        format!(
            "{}: cannot read (a JSON Lines file of corrections)",
            file.display()
        )
    })?;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = format!("{}:{}", file.display(), i + 1);
        match serde_json::from_str::<Correction>(line) {
            Ok(c) => match c.validate() {
                Ok(()) => out.push(c),
                Err(e) => problems.push(format!("{at}: {e}")),
            },
            Err(e) => problems.push(format!("{at}: not a correction: {e}")),
        }
    }
    if !problems.is_empty() {
        anyhow::bail!(
            "{}\nnothing of {} was stored",
            problems.join("\n"),
            file.display()
        );
    }
    Ok(out)
}

/// `fond corrections import FILE`.
pub fn import(archive_dir: &Path, file: &Path, out: &mut impl Write) -> Result<ExitCode> {
    let entries = read_jsonl(file)?;
    drop(Archive::open_existing(archive_dir)?);
    let _lock = crate::writer::lock(archive_dir)?;
    let mut archive = Archive::open_existing(archive_dir)?;
    let derived_from = archive.fingerprint()?;
    // In place when every entry is a new correction the fast path knows.
    let (added, outcomes, problems, way) = match crate::inplace::try_import(
        archive_dir,
        &mut archive,
        derived_from.as_deref(),
        &entries,
    )
    .with_context(|| format!("{}: not imported", file.display()))?
    {
        Some((outcomes, way, problems)) => (
            fond_store::Added {
                added: entries.len(),
                unchanged: 0,
            },
            outcomes,
            problems,
            way,
        ),
        None => {
            let added = archive
                .add_corrections(&entries)
                .with_context(|| format!("{}: not imported", file.display()))?;
            let (w, problems) = rederive(archive_dir, &mut archive, derived_from.as_deref(), None)?;
            (added, w.outcomes, problems, Way::Rederived)
        }
    };
    for p in &problems {
        eprintln!("fond: {}", crate::render::clean(p));
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let ids: std::collections::HashSet<&str> = entries.iter().map(|c| c.id.as_str()).collect();
    for o in outcomes.iter().filter(|o| ids.contains(o.id.as_str())) {
        *counts.entry(o.state.as_str()).or_default() += 1;
    }
    let mut counts: Vec<(&str, usize)> = counts.into_iter().collect();
    counts.sort();
    let counts: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
    writeln!(
        out,
        "{}: {} entries, {} added, {} already held; {}",
        file.display(),
        entries.len(),
        added.added,
        added.unchanged,
        if counts.is_empty() {
            "nothing to apply".to_string()
        } else {
            counts.join(", ")
        }
    )?;
    writeln!(out, "  {}", way_words(&way))?;
    Ok(ExitCode::SUCCESS)
}

/// What a revert did.
pub struct Reverted {
    /// The new entry that takes the correction back.
    pub entry: Correction,
    /// The correction taken back.
    pub original: Correction,
    pub way: Way,
    /// The documents written in place (empty: the whole edition).
    pub changed: Vec<String>,
    pub problems: Vec<String>,
    /// The archive's fingerprints around the write.
    pub around: Around,
}

/// Takes a correction back: a new entry of the history, the edition
/// brought up to date (in place when it changes no document). The
/// reading room's desk calls it too.
pub fn take_back(archive_dir: &Path, id: &str, why: &str, by: Option<String>) -> Result<Reverted> {
    let why = reason(why)?;
    let by = editor(by);
    drop(Archive::open_existing(archive_dir)?);
    let _lock = crate::writer::lock(archive_dir)?;
    let mut archive = Archive::open_existing(archive_dir)?;
    let derived_from = archive.fingerprint()?;
    let all = archive.corrections()?;
    let Some(c) = all.iter().find(|c| c.id == id) else {
        anyhow::bail!(
            "no correction \"{}\" in the archive; `fond corrections list` shows the ids",
            crate::render::clean(id)
        );
    };
    if c.action == Action::Revert {
        anyhow::bail!(
            "{id} is itself a revert; to restore the value, correct the field again (`fond correct`)"
        );
    }
    if c.status == Status::Reverted {
        anyhow::bail!(
            "{id} was already reverted; `fond history {}` shows what is in force",
            c.target.document
        );
    }
    let at = now_utc();
    let entry = Correction {
        id: mint_id(&c.target, &c.recovered, &by, &at, &why),
        action: Action::Revert,
        target: c.target.clone(),
        recovered: c.value.clone(),
        value: c.recovered.clone(),
        by,
        at,
        why,
        status: Status::Active,
        reverts: Some(c.id.clone()),
    };
    // In place when the pass can take it back alone: nothing else of its
    // field stands, and it was not applied or its field gets back the
    // value it recorded as recovered.
    let (way, changed, problems) = match crate::inplace::try_revert(
        archive_dir,
        &mut archive,
        derived_from.as_deref(),
        &entry,
    )? {
        Some((way, problems)) => (way, vec![c.target.document.clone()], problems),
        None => {
            archive.add_corrections(std::slice::from_ref(&entry))?;
            let problems = rederive(archive_dir, &mut archive, derived_from.as_deref(), None)?.1;
            (Way::Rederived, Vec::new(), problems)
        }
    };
    let around = Around::read(&archive, derived_from)?;
    Ok(Reverted {
        entry,
        original: c.clone(),
        way,
        changed,
        problems,
        around,
    })
}

/// `fond corrections revert CORRECTION_ID --why …`: a new entry that takes
/// the correction back; the field returns to what the engine recovers (or
/// to an earlier correction of it still in force).
pub fn revert(
    archive_dir: &Path,
    id: &str,
    why: &str,
    by: Option<String>,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let Reverted {
        entry,
        original: c,
        way,
        problems,
        ..
    } = take_back(archive_dir, id, why, by)?;
    for p in &problems {
        eprintln!("fond: {}", crate::render::clean(p));
    }
    let archive = Archive::open_existing(archive_dir)?;
    let now = archive
        .document(&c.target.document)?
        .and_then(|d| fond_ingest::corrections::current(&d, &c.target.field));
    writeln!(
        out,
        "{}: reverts {} ({} {}); the edition now gives {}",
        entry.id,
        c.id,
        c.target.document,
        c.target.field,
        now.map(|v| v.shown())
            .unwrap_or_else(|| "(the document is gone)".into())
    )?;
    writeln!(out, "  {}", way_words(&way))?;
    Ok(ExitCode::SUCCESS)
}
