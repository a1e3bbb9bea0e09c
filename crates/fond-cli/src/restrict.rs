//! `fond restrict`, `fond release`, `fond restrictions`: who may read what.
//!
//! Settings are the editors' data, stored in the archive's own table
//! (`fond_store::Archive::set_visibility`), never derived from sources, so
//! re-ingest keeps them. Edition profiles may state a collection's
//! visibility too (`visibility`, `embargo_until`); an editor's setting for
//! the same target wins.

use anyhow::{Context, Result};
use fond_model::visibility::{Level, Rules, Setting, Target, Viewer};
use fond_model::{Day, SourceShape};
use fond_store::Archive;
use serde_json::json;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// What `fond restrict`/`fond release` was given.
pub struct Request {
    pub id: Option<String>,
    pub collection: Option<String>,
    pub source: Option<String>,
    pub until: Option<String>,
    /// Accounts that may read it all the same (readers named).
    pub readers: Vec<String>,
    pub why: String,
    pub by: Option<String>,
}

/// Now, UTC, as RFC 3339 (`2026-12-06T07:30:00Z`), and today. Read once
/// per command.
pub fn now() -> (String, Day) {
    fond_model::clock::now_utc()
}

/// The visibility settings the archive's stored edition profiles state.
pub fn profile_settings(archive: &Archive) -> Result<Vec<Setting>> {
    let stored = archive.stored_sources()?;
    Ok(fond_ingest::profile::visibility_settings(
        stored
            .iter()
            .filter(|s| s.source.shape == SourceShape::Profile)
            .map(|s| (s.source.name.as_str(), s.text.as_str())),
    ))
}

/// Every rule in force: the editors' settings over the profiles'.
pub fn rules(archive: &Archive) -> Result<Rules> {
    Ok(Rules::new(
        archive.visibility()?,
        profile_settings(archive)?,
    ))
}

/// Who sets it: `--by`, else `FOND_EDITOR`, else the login name.
fn who(by: Option<String>) -> String {
    by.or_else(|| std::env::var("FOND_EDITOR").ok())
        .or_else(|| std::env::var("USER").ok())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "editor".into())
}

/// The target named: exactly one of a document id (or a letter number),
/// `--collection`, `--source`.
fn target(archive: &Archive, r: &Request) -> Result<Target> {
    match (&r.id, &r.collection, &r.source) {
        (Some(id), None, None) => {
            // A letter number names the document `fond show N` shows; any
            // other id goes to the store, which refuses one it lacks.
            if archive.document(id)?.is_none() && id.parse::<u32>().is_ok() {
                if let Ok(d) = crate::find_document(archive, id) {
                    return Ok(Target::Document(d.id));
                }
            }
            Ok(Target::Document(id.clone()))
        }
        (None, Some(c), None) => Ok(Target::Collection(c.clone())),
        (None, None, Some(s)) => Ok(Target::Source(s.clone())),
        _ => anyhow::bail!("name one thing: a document id, or --collection C, or --source S"),
    }
}

/// `fond restrict` (`level` restricted, or embargoed with `--until`) and
/// `fond release` (`level` public).
pub fn set(dir: &Path, r: Request, release: bool, out: &mut impl Write) -> Result<ExitCode> {
    let _lock = crate::writer::lock(dir)?;
    let mut archive = Archive::open_existing(dir)?;
    let target = target(&archive, &r)?;
    let until = match &r.until {
        Some(u) if release => {
            anyhow::bail!("--until {u}: a release has no day; `fond restrict --until` embargoes")
        }
        Some(u) => Some(
            Day::parse_iso(u.trim())
                .with_context(|| format!("--until \"{u}\" is not a day; expected YYYY-MM-DD"))?,
        ),
        None => None,
    };
    let level = match (release, until) {
        (true, _) => Level::Public,
        (false, Some(_)) => Level::Embargoed,
        (false, None) => Level::Restricted,
    };
    if release && !r.readers.is_empty() {
        anyhow::bail!(
            "--reader names who may read a closed document; a release opens it to everyone"
        );
    }
    let (when, today) = now();
    let accounts: Vec<String> = archive.users(0)?.into_iter().map(|u| u.name).collect();
    for name in r.readers.iter().filter(|n| !accounts.contains(n)) {
        eprintln!(
            "fond: note: no account \"{}\" yet; the setting names them for when there is (`fond user add`)",
            crate::render::clean(name)
        );
    }
    let setting = Setting {
        target: target.clone(),
        level,
        until,
        readers: r.readers,
        who: who(r.by),
        when,
        why: r.why,
        profile: None,
    };
    archive.set_visibility(&setting)?;
    let rules = rules(&archive)?;
    let hidden = archive
        .documents(&fond_store::DocFilter::default())?
        .iter()
        .filter(|d| rules.hidden(d, &Viewer::Public, today))
        .count();
    let what = match (level, until) {
        (Level::Public, _) => "released (public)".to_string(),
        (Level::Embargoed, Some(u)) => format!("embargoed until {u} (public from that day)"),
        _ if setting.readers.is_empty() => "restricted (editors only)".to_string(),
        _ => format!("restricted (editors and {})", setting.readers.join(", ")),
    };
    writeln!(out, "{target}: {what}")?;
    writeln!(
        out,
        "{hidden} document(s) of the archive are now closed to the public"
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The reading room's writes, made as `fond restrict`/`release` makes
/// them: under the archive's write lock (refused at once, not waited for,
/// when another fond holds it: a browser is waiting), appended to the
/// archive's settings, answered with the rules in force after.
pub struct ArchiveDesk {
    dir: std::path::PathBuf,
    /// Corrections and reverts from this reading room one at a time: two
    /// editors saving at once wait for each other here rather than one
    /// being told the archive is busy (the write lock is not waited for,
    /// so that an ingest by another process still answers "busy").
    corrections: std::sync::Mutex<()>,
}

impl ArchiveDesk {
    pub fn new(dir: &Path) -> ArchiveDesk {
        ArchiveDesk {
            dir: dir.to_path_buf(),
            corrections: std::sync::Mutex::default(),
        }
    }

    fn one_at_a_time(&self) -> std::sync::MutexGuard<'_, ()> {
        match self.corrections.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn write(&self, setting: Setting) -> Result<Rules, fond_web::DeskError> {
        use fond_store::StoreError;
        use fond_web::DeskError;
        let failed = |e: StoreError| match e {
            StoreError::BadSetting(_) | StoreError::UnknownTarget { .. } => {
                DeskError::Refused(e.to_string())
            }
            StoreError::Busy { .. } | StoreError::Locked { .. } => DeskError::Busy,
            e => DeskError::Failed(e.to_string()),
        };
        let _lock = fond_store::WriteLock::acquire(&self.dir, fond_store::Wait::NoWait, || {})
            .map_err(failed)?;
        let mut archive = Archive::open_existing(&self.dir).map_err(failed)?;
        archive.set_visibility(&setting).map_err(failed)?;
        rules(&archive).map_err(|e| DeskError::Failed(format!("{e:#}")))
    }
}

impl fond_web::Desk for ArchiveDesk {
    fn restrict(
        &self,
        by: &str,
        document: &str,
        until: Option<Day>,
        readers: &[String],
        why: &str,
    ) -> Result<Rules, fond_web::DeskError> {
        self.write(Setting {
            target: Target::Document(document.to_string()),
            level: if until.is_some() {
                Level::Embargoed
            } else {
                Level::Restricted
            },
            until,
            readers: readers.to_vec(),
            who: by.to_string(),
            when: now().0,
            why: why.to_string(),
            profile: None,
        })
    }

    fn release(&self, by: &str, document: &str, why: &str) -> Result<Rules, fond_web::DeskError> {
        self.write(Setting {
            target: Target::Document(document.to_string()),
            level: Level::Public,
            until: None,
            readers: Vec::new(),
            who: by.to_string(),
            when: now().0,
            why: why.to_string(),
            profile: None,
        })
    }

    fn queue(
        &self,
        filter: &fond_store::QueueFilter,
    ) -> Result<Vec<fond_store::QueueItem>, fond_web::DeskError> {
        let failed = |e| desk_error(e, false);
        let archive = Archive::open_existing(&self.dir).map_err(|e| failed(e.into()))?;
        crate::review::queue(&archive, filter).map_err(failed)
    }

    fn decide(
        &self,
        by: &str,
        key: &str,
        decision: fond_store::Decision,
        why: &str,
    ) -> Result<(), fond_web::DeskError> {
        let mut archive =
            Archive::open_existing(&self.dir).map_err(|e| desk_error(e.into(), false))?;
        crate::review::decide(&mut archive, key, decision, why, by.to_string())
            .map(|_| ())
            .map_err(|e| desk_error(e, true))
    }

    fn correct(
        &self,
        by: &str,
        req: &fond_web::CorrectionRequest,
    ) -> Result<fond_web::Corrected, fond_web::DeskError> {
        let args = crate::correct::CorrectArgs {
            id: req.document.clone(),
            field: req.field.clone(),
            value: req.value.clone(),
            why: req.why.clone(),
            by: Some(by.to_string()),
            json: false,
            to: None,
            before: req.before.clone(),
            after: req.after.clone(),
            place: req.place.clone(),
        };
        let _turn = self.one_at_a_time();
        let held = self.history_len(&req.document);
        let done = crate::correct::submit(&self.dir, &args)
            .map_err(|e| self.write_error(e, &req.document, held))?;
        Ok(self.corrected(&done.way, done.changed, &done.around))
    }

    fn revert(
        &self,
        by: &str,
        correction: &str,
        why: &str,
    ) -> Result<fond_web::Corrected, fond_web::DeskError> {
        let _turn = self.one_at_a_time();
        let held = self.history_len("");
        let r = crate::correct::take_back(&self.dir, correction, why, Some(by.to_string()))
            .map_err(|e| self.write_error(e, "", held))?;
        Ok(self.corrected(&r.way, r.changed, &r.around))
    }

    fn profile_settings(&self) -> Result<Option<Vec<Setting>>, fond_web::DeskError> {
        let archive = Archive::open_existing(&self.dir).map_err(|e| desk_error(e.into(), false))?;
        profile_settings(&archive)
            .map(Some)
            .map_err(|e| desk_error(e, false))
    }

    fn reopen_search(&self) -> Option<fond_search::SearchIndex> {
        let archive = Archive::open_existing(&self.dir).ok()?;
        crate::search::open_index(&self.dir, &archive).ok()
    }

    fn history(
        &self,
        document: &str,
    ) -> Result<Vec<fond_store::CorrectionRow>, fond_web::DeskError> {
        let archive = Archive::open_existing(&self.dir).map_err(|e| desk_error(e.into(), false))?;
        archive
            .correction_rows(Some(document))
            .map_err(|e| desk_error(e.into(), false))
    }
}

impl ArchiveDesk {
    /// What a correction changed, for the site: the documents written in
    /// place with their own links, else the whole edition; and how its
    /// search follows.
    /// How many entries the history holds (of one document; of all with
    /// `""`), when it can be read.
    fn history_len(&self, document: &str) -> Option<usize> {
        let archive = Archive::open_existing(&self.dir).ok()?;
        let doc = (!document.is_empty()).then_some(document);
        archive.correction_rows(doc).ok().map(|r| r.len())
    }

    /// A correction's or revert's failure as the desk's answer. The entry
    /// is stored before the edition is written: when the history grew,
    /// the editor is told it is stored and waits to be applied, not that
    /// nothing was saved (a retry would store it twice).
    fn write_error(
        &self,
        e: anyhow::Error,
        document: &str,
        held: Option<usize>,
    ) -> fond_web::DeskError {
        let grew = held.is_some_and(|before| {
            self.history_len(document)
                .is_some_and(|after| after > before)
        });
        if grew {
            return fond_web::DeskError::StoredNotApplied(format!("{e:#}"));
        }
        desk_error(e, true)
    }

    pub(crate) fn corrected(
        &self,
        way: &crate::inplace::Way,
        changed: Vec<String>,
        around: &crate::inplace::Around,
    ) -> fond_web::Corrected {
        use crate::inplace::{Relinked, Way};
        use crate::search::IndexWay;
        let changed = match way {
            Way::InPlace {
                relinked: Relinked::Document,
                ..
            } if !changed.is_empty() => fond_web::Changed::Documents(changed),
            _ => fond_web::Changed::Whole,
        };
        // An index updated in place is read again by the handle the site
        // has (opening one builds the names' authority: tens of
        // milliseconds); one built anew is opened.
        let search = match way {
            Way::InPlace {
                index: Some(IndexWay::Updated { .. }) | None,
                ..
            } => fond_web::SearchChange::Reload,
            _ => match Archive::open_existing(&self.dir)
                .ok()
                .and_then(|a| crate::search::open_index(&self.dir, &a).ok())
            {
                Some(index) => fond_web::SearchChange::Replace(Box::new(index)),
                None => fond_web::SearchChange::Unavailable,
            },
        };
        fond_web::Corrected {
            changed,
            search,
            written: Some(fond_web::Written {
                before: around.before.clone(),
                after: around.after.clone(),
                links_after: around.links_after.clone(),
            }),
        }
    }
}

/// A failure of the review queue's code (shared with `fond check` and
/// `fond review`, so an `anyhow` error) as the desk's answer: the archive's
/// own refusals, and with `decision` the queue's (an unknown key, a
/// decision made twice), are the editor's to mend; a held lock is a wait;
/// the rest a failure.
fn desk_error(e: anyhow::Error, decision: bool) -> fond_web::DeskError {
    use fond_store::StoreError;
    use fond_web::DeskError;
    match e.downcast_ref::<StoreError>() {
        Some(StoreError::BadSetting(_) | StoreError::UnknownTarget { .. }) => {
            DeskError::Refused(e.to_string())
        }
        Some(StoreError::Busy { .. } | StoreError::Locked { .. }) => DeskError::Busy,
        None if decision => DeskError::Refused(format!("{e:#}")),
        _ => DeskError::Failed(format!("{e:#}")),
    }
}

/// `fond restrictions`: every setting in force, with the documents it
/// closes today.
pub fn list(dir: &Path, json: bool, out: &mut impl Write) -> Result<ExitCode> {
    let archive = crate::writer::open_for_reading(dir)?;
    let rules = rules(&archive)?;
    let (_, today) = now();
    let docs = archive.documents(&fond_store::DocFilter::default())?;
    let sources = archive.sources()?;
    for s in rules.settings() {
        let closes = docs
            .iter()
            .filter(|d| rules.deciding(d) == Some(s) && s.closed_on(today))
            .count();
        let held = match &s.target {
            Target::Document(id) => docs.iter().any(|d| &d.id == id),
            Target::Collection(c) => docs.iter().any(|d| &d.collection == c),
            Target::Source(n) => sources.iter().any(|x| &x.name == n),
        };
        if json {
            serde_json::to_writer(
                &mut *out,
                &json!({
                    "target": s.target.kind(), "id": s.target.id(),
                    "level": s.level.as_str(), "until": s.until.map(|d| d.to_string()),
                    "readers": s.readers, "who": s.who, "when": s.when, "why": s.why,
                    "profile": s.profile, "closes": closes, "held": held,
                }),
            )?;
            writeln!(out)?;
        } else {
            let mut level = match s.until {
                Some(u) => format!("{} until {u}", s.level.as_str()),
                None => s.level.as_str().to_string(),
            };
            if !s.readers.is_empty() {
                level.push_str(&format!(" +{}", s.readers.join(",")));
            }
            let by = match &s.profile {
                Some(p) => format!("profile {p}"),
                None => format!("{}, {}", s.who, s.when),
            };
            writeln!(
                out,
                "{:<40} {:<28} closes {closes:>5}  ({by}): {}{}",
                s.target.to_string(),
                level,
                s.why,
                if held {
                    ""
                } else {
                    " [not in the archive now]"
                }
            )?;
        }
    }
    if !json && rules.is_empty() {
        writeln!(out, "nothing is restricted: every document is public")?;
    }
    Ok(ExitCode::SUCCESS)
}
