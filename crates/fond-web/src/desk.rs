//! The reading room's writes: the [`Desk`] the binary implements, and the
//! editors' forms that post to it (the review queue's are in `review.rs`).
//!
//! fond-web reads the archive but does not derive anything: a write that
//! changes what the edition shows (a visibility setting, a correction, a
//! decision on a finding) goes through the `Desk`, which the `fond` binary implements with
//! the same code paths as its commands, under the archive's write lock.
//! So the web does not depend on fond-ingest, and a write from the reading
//! room is the write `fond restrict` makes. The desk answers with the
//! rules in force after the write, or with what a correction changed,
//! which the site swaps in at once: the next request sees them, without a
//! restart. The edit view's forms are in `edit.rs`.

use crate::html::{esc, url_id};
use crate::session::{csrf_field, csrf_ok, redirect, refusal};
use crate::{Scope, Site};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use fond_model::visibility::{Level, Rules};
use fond_model::{Day, Document};
use fond_store::{Decision, QueueFilter, QueueItem};
use serde::Deserialize;
use std::sync::Arc;

/// Why the desk did not write.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// The write cannot be made as asked; the message says why and what to
    /// do instead.
    #[error("{0}")]
    Refused(String),
    /// Another fond holds the archive's write lock.
    #[error("another fond is writing the archive (an ingest?); nothing was changed; try again when it has finished")]
    Busy,
    /// The archive could not be written or read back.
    #[error("the archive could not be written ({0}); nothing was changed")]
    Failed(String),
    /// The correction was stored, but the edition could not be brought
    /// up to date with it; the next command that writes the archive (an
    /// ingest) applies it.
    #[error("the correction is stored, but the edition could not be brought up to date ({0}); the next `fond ingest` applies it")]
    StoredNotApplied(String),
}

/// The reading room's writes, implemented by the binary. Each returns the
/// visibility rules in force after the write (the editors' settings over
/// the edition profiles'), which the site puts in force at once.
pub trait Desk: Send + Sync {
    /// Closes a document to the public: restricted, or embargoed until a
    /// day (`until`), with the `readers` (account names) who may read it
    /// all the same. `by` is the account, `why` the reason recorded.
    fn restrict(
        &self,
        by: &str,
        document: &str,
        until: Option<Day>,
        readers: &[String],
        why: &str,
    ) -> Result<Rules, DeskError>;

    /// Makes a document public again (over a wider setting too).
    fn release(&self, by: &str, document: &str, why: &str) -> Result<Rules, DeskError>;

    /// The review queue as `fond check` computes it (the stored findings
    /// with the names the linker could not decide), filtered, each with
    /// its key and the decision in force.
    fn queue(&self, filter: &QueueFilter) -> Result<Vec<QueueItem>, DeskError>;

    /// An editor's decision on the finding of `key`, as `fond review`
    /// makes it: a dismissal without a reason, an unknown key or the same
    /// decision twice is [`DeskError::Refused`] with the reason.
    fn decide(&self, by: &str, key: &str, decision: Decision, why: &str) -> Result<(), DeskError>;

    /// Stores an editor's correction, as `fond correct` does, and brings
    /// the edition, its links and its search index up to date before it
    /// returns. A request the archive cannot take (an unknown field, a
    /// value that does not parse, words not found, the value already in
    /// force) is [`DeskError::Refused`] with the reason.
    fn correct(&self, by: &str, req: &CorrectionRequest) -> Result<Corrected, DeskError>;

    /// Takes a correction back (`fond corrections revert`).
    fn revert(&self, by: &str, correction: &str, why: &str) -> Result<Corrected, DeskError>;

    /// A document's history: its corrections in the history's order, with
    /// what became of each.
    fn history(&self, document: &str) -> Result<Vec<fond_store::CorrectionRow>, DeskError>;

    /// The archive's search index opened anew, as the reading room opens
    /// it at start (after another fond rebuilt it). `None`: the handle the
    /// site has reads the index again.
    fn reopen_search(&self) -> Option<fond_search::SearchIndex> {
        None
    }

    /// The visibility settings the archive's edition profiles state now
    /// (an ingest may have brought a profile that closes a collection).
    /// `Ok(None)`: this desk does not read profiles, the site keeps those
    /// it was loaded with; an error: they cannot be read now, the site
    /// waits before it shows a changed edition.
    fn profile_settings(&self) -> Result<Option<Vec<fond_model::visibility::Setting>>, DeskError> {
        Ok(None)
    }
}

/// An editor's correction in `fond correct`'s words.
#[derive(Debug, Clone, Default)]
pub struct CorrectionRequest {
    pub document: String,
    /// A field name as `fond correct` takes it (`date`, `note:3:text`,
    /// `text`, `mention`, …).
    pub field: String,
    /// The value; for `text` and `mention`, `AS PRINTED→NEW`.
    pub value: String,
    /// Words just before or after the quoted ones, when they stand more
    /// than once.
    pub before: Option<String>,
    pub after: Option<String>,
    /// For a name: where it stands (`body`, `note:N`, `sender`,
    /// `addressee`); `None`: the text.
    pub place: Option<String>,
    pub why: String,
}

/// What a correction (or its revert) changed, for the site to put in
/// force.
pub struct Corrected {
    /// The documents written, or the whole edition.
    pub changed: crate::Changed,
    /// What the site does with its search handle.
    pub search: SearchChange,
    /// The archive's fingerprints around the write.
    pub written: Option<Written>,
}

/// The archive's fingerprints around one write, read under its write
/// lock: the edition's before; the edition's and the links' after.
#[derive(Debug, Clone, Default)]
pub struct Written {
    pub before: Option<String>,
    pub after: Option<String>,
    pub links_after: Option<String>,
}

/// How the site's search follows a correction.
pub enum SearchChange {
    /// The index was updated in place: the handle it has reads it again
    /// ([`fond_search::SearchIndex::reload`]).
    Reload,
    /// The index was built anew beside the old one (or the edition
    /// derived again): a handle opened after the write replaces it.
    Replace(Box<fond_search::SearchIndex>),
    /// The index could not be opened after the write: the site keeps the
    /// handle it has, which reads the index again.
    Unavailable,
}

impl std::fmt::Debug for Corrected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Corrected")
            .field("changed", &self.changed)
            .field(
                "search",
                &match self.search {
                    SearchChange::Reload => "reload",
                    SearchChange::Replace(_) => "replace",
                    SearchChange::Unavailable => "unavailable",
                },
            )
            .finish()
    }
}

/// Longest list of readers the visibility form takes (a few dozen names).
const MAX_READERS: usize = 1_000;

/// The site's desk (a newtype for `Debug`).
#[derive(Clone)]
pub(crate) struct DeskHandle(pub(crate) Arc<dyn Desk>);

impl std::fmt::Debug for DeskHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Desk")
    }
}

/// The document page's visibility form, for an editor logged in (and only
/// when the reading room has a desk to write to).
pub(crate) fn visibility_form(site: &Site, scope: &Scope, d: &Document) -> String {
    let (Some(user), Some(_)) = (scope.editor(), &site.desk) else {
        return String::new();
    };
    let rules = site.rules();
    let now = match rules.deciding(d) {
        None => "public".to_string(),
        Some(s) => {
            let level = match (s.level, s.until) {
                (Level::Embargoed, Some(u)) => format!("embargoed until {u}"),
                (l, _) => l.as_str().to_string(),
            };
            let on = if s.target.id() == d.id {
                String::new()
            } else {
                format!(" (by its {})", s.target.kind())
            };
            format!(
                "{level}{on} — {}, {}: “{}”",
                esc(&s.who),
                esc(&s.when),
                esc(&s.why)
            )
        }
    };
    format!(
        "<section class=\"desk\"><h2>Visibility</h2><p class=\"visibility\">Now: {now}</p>\
         <form class=\"visibility\" method=\"post\" action=\"/edit/visibility\">{}\
         <input type=\"hidden\" name=\"id\" value=\"{}\">\
         <label>Action <select name=\"action\"><option value=\"restrict\">restrict</option>\
         <option value=\"release\">release (public)</option></select></label> \
         <label>Until <input name=\"until\" type=\"date\"></label> \
         <label>Readers <input name=\"readers\" size=\"20\" maxlength=\"{MAX_READERS}\" \
         placeholder=\"accounts, separated by commas\"></label> \
         <label>Why <input name=\"why\" required size=\"30\"></label> \
         <button>Save</button></form></section>",
        csrf_field(&user.csrf),
        esc(&d.id)
    )
}

#[derive(Debug, Deserialize)]
pub struct VisibilityForm {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub until: String,
    /// Accounts that may read the closed document, separated by commas.
    #[serde(default)]
    pub readers: String,
    #[serde(default)]
    pub why: String,
    #[serde(default)]
    pub csrf: String,
}

/// `POST /edit/visibility`: an editor restricts or releases a document.
pub async fn set_visibility(
    State(site): State<Arc<Site>>,
    scope: Scope,
    Form(form): Form<VisibilityForm>,
) -> Response {
    let Some(user) = scope.editor() else {
        return refusal(
            &site,
            StatusCode::FORBIDDEN,
            "Editors only",
            "Log in as an editor to change who may read a document.",
        );
    };
    if !csrf_ok(user, &form.csrf) {
        return refusal(
            &site,
            StatusCode::FORBIDDEN,
            "The form has expired",
            "The form was not this session's; load the document's page again.",
        );
    }
    let Some(desk) = site.desk.clone() else {
        return refusal(
            &site,
            StatusCode::NOT_FOUND,
            "No writes here",
            "This reading room cannot write to its archive.",
        );
    };
    if site.document(&scope, &form.id).is_none() {
        return refusal(
            &site,
            StatusCode::NOT_FOUND,
            "Not found",
            "No such document in this archive.",
        );
    }
    let (until, readers, release) = match asked(&form) {
        Ok(x) => x,
        Err((title, why)) => return refusal(&site, StatusCode::BAD_REQUEST, title, &why),
    };
    let (by, id, why) = (user.name.clone(), form.id.clone(), form.why.clone());
    // The desk takes the archive's write lock and writes SQLite: off the
    // async workers.
    let done = tokio::task::spawn_blocking(move || {
        if release {
            desk.0.release(&by, &id, &why)
        } else {
            desk.0.restrict(&by, &id, until, &readers, &why)
        }
    })
    .await;
    match done {
        Ok(Ok(rules)) => {
            site.reload_rules(rules);
            redirect(&format!("/doc/{}", url_id(&form.id)))
        }
        Ok(Err(e)) => refusal(&site, status_of(&e), "Not saved", &e.to_string()),
        Err(_) => write_stopped(&site),
    }
}

/// What the visibility form asks: the day of an embargo, the readers
/// named, and whether it is a release.
type Asked = (Option<Day>, Vec<String>, bool);

/// What the visibility form asks, or why it cannot be done (a title and
/// the reason).
fn asked(form: &VisibilityForm) -> Result<Asked, (&'static str, String)> {
    let until = match form.until.trim() {
        "" => None,
        u => Some(Day::parse_iso(u).ok_or_else(|| {
            (
                "Not a day",
                format!("“{u}” is not a day; give YYYY-MM-DD, or leave it empty to restrict."),
            )
        })?),
    };
    if form.readers.len() > MAX_READERS {
        return Err((
            "Too many readers",
            format!(
                "Name at most {MAX_READERS} bytes of readers; `fond restrict --reader` takes more."
            ),
        ));
    }
    let readers: Vec<String> = form
        .readers
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(String::from)
        .collect();
    let release = match form.action.as_str() {
        "restrict" => false,
        "release" if until.is_some() => {
            return Err((
                "A release has no day",
                "Leave “until” empty to release; give it with “restrict” to embargo.".into(),
            ))
        }
        "release" if !readers.is_empty() => {
            return Err((
                "A release names no readers",
                "Readers are named for a closed document; a release opens it to everyone. Leave “readers” empty.".into(),
            ))
        }
        "release" => true,
        _ => return Err(("Unknown action", "Choose restrict or release.".into())),
    };
    Ok((until, readers, release))
}

/// The answer when a desk's write stopped (its task panicked): whether it
/// was made is not known.
pub(crate) fn write_stopped(site: &Site) -> Response {
    refusal(
        site,
        StatusCode::INTERNAL_SERVER_ERROR,
        "Not saved",
        "The write stopped unexpectedly; nothing may have changed; reload the page.",
    )
}

/// The answer's status for a desk that did not write.
pub(crate) fn status_of(e: &DeskError) -> StatusCode {
    match e {
        DeskError::Refused(_) => StatusCode::BAD_REQUEST,
        DeskError::Busy => StatusCode::SERVICE_UNAVAILABLE,
        DeskError::Failed(_) | DeskError::StoredNotApplied(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}
