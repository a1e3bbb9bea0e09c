//! The edit view: an editor corrects a document from its page, sees its
//! history and takes a correction back. The forms post to the [`Desk`],
//! which stores the correction as `fond correct` does (the same words:
//! a field name, a value, the anchor's context for a span of text or a
//! name) and brings the edition, its links and its search index up to
//! date before it answers; the site then swaps in the changed documents
//! ([`Site::refresh`]) and a fresh index handle, so the next request (the
//! redirect to the page) shows the correction, in search too.
//!
//! Editors only, and only when the reading room has a desk: anyone else
//! sees no form, and a post from them is refused like the other writes.

use crate::desk::{status_of, Corrected, CorrectionRequest, Desk, DeskError};
use crate::html::{esc, url_id};
use crate::session::{csrf_field, csrf_ok, redirect, refusal};
use crate::{Scope, Site};
use axum::extract::rejection::FormRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use fond_model::correction::State as Outcome;
use fond_model::Document;
use fond_store::CorrectionRow;
use serde::Deserialize;
use std::sync::Arc;

/// Longest value taken from the form: a note's text is the longest thing
/// an editor retypes; a value past this is a mistake (or an attack).
const MAX_VALUE: usize = 20_000;
/// Longest id, field name, context or reason taken from the form.
const MAX_SHORT: usize = 2_000;

/// The fields the form offers, with what their value is. The names are
/// `fond correct`'s (`fond_model::correction::Field::parse`); a note's
/// fields take its number (`note:3:text`).
const FIELDS: &[(&str, &str)] = &[
    (
        "date",
        "the editors' date, EDTF: 1925-08-21, 1925-08/1925-09",
    ),
    ("dateline", "the dateline as written (empty: none)"),
    ("place", "where it was written (empty: none)"),
    ("senders", "names separated by ;"),
    ("addressees", "names separated by ;"),
    ("kind", "letter, telegram, note, …"),
    ("number", "the document's number (empty: none)"),
    (
        "text",
        "AS PRINTED→READING; context before/after when the words stand more than once",
    ),
    (
        "mention",
        "NAME AS PRINTED→person:ID or none; context when it stands more than once",
    ),
    (
        "witness-of",
        "the id of the document this one is a witness of",
    ),
];

/// The edit view of a document: the correction form (a field preselected
/// when `field` names one, as the review queue's "correct" link does) and
/// the document's history with a revert button on each correction in
/// force. Empty for anyone but an editor, and without a desk.
pub(crate) fn view(
    site: &Site,
    scope: &Scope,
    d: &Document,
    field: Option<&str>,
    history: &Result<Vec<CorrectionRow>, String>,
) -> String {
    let (Some(user), Some(_)) = (scope.editor(), &site.desk) else {
        return String::new();
    };
    let mut names: Vec<(String, String)> = FIELDS
        .iter()
        .map(|(n, what)| (n.to_string(), what.to_string()))
        .collect();
    for n in &d.notes {
        names.push((format!("note:{}:text", n.n), format!("note {}'s text", n.n)));
        names.push((
            format!("note:{}:author", n.n),
            format!("note {}'s author: ROLE or ROLE:NAME", n.n),
        ));
        names.push((
            format!("note:{}:call", n.n),
            format!("note {}'s call: the words it follows", n.n),
        ));
    }
    let options: String = names
        .iter()
        .map(|(n, what)| {
            format!(
                "<option value=\"{}\"{}>{} — {}</option>",
                esc(n),
                if Some(n.as_str()) == field {
                    " selected"
                } else {
                    ""
                },
                esc(n),
                esc(what)
            )
        })
        .collect();
    format!(
        "<section class=\"desk\" id=\"correct\"><h2>Correct</h2>\
         <form class=\"correct\" method=\"post\" action=\"/edit/correct\">{}\
         <input type=\"hidden\" name=\"id\" value=\"{}\">\
         <label>Field <select name=\"field\">{options}</select></label> \
         <label>Value <input name=\"value\" size=\"40\" maxlength=\"{MAX_VALUE}\"></label> \
         <label>Context before <input name=\"before\" size=\"15\" maxlength=\"{MAX_SHORT}\"></label> \
         <label>after <input name=\"after\" size=\"15\" maxlength=\"{MAX_SHORT}\"></label> \
         <label>Name in <input name=\"place\" size=\"10\" maxlength=\"{MAX_SHORT}\" \
         placeholder=\"body, note:N, sender, addressee\"></label> \
         <label>Why <input name=\"why\" required size=\"30\" maxlength=\"{MAX_SHORT}\"></label> \
         <button>Save</button></form>{}</section>",
        csrf_field(&user.csrf),
        esc(&d.id),
        match history {
            Ok(rows) => history_list(&user.csrf, rows),
            Err(why) => format!(
                "<p class=\"history\">The history could not be read ({}); reload the page.</p>",
                esc(why)
            ),
        },
    )
}

/// The document's history, newest first, each correction still in force
/// with its revert form.
fn history_list(csrf: &str, rows: &[CorrectionRow]) -> String {
    if rows.is_empty() {
        return "<p class=\"history\">No correction: the edition gives what the engine recovered.</p>"
            .to_string();
    }
    let mut out = String::from("<h3>History</h3><ol class=\"history\">");
    for r in rows.iter().rev() {
        let c = &r.correction;
        let state = match (c.action, c.status, r.state) {
            (fond_model::correction::Action::Revert, _, _) => "revert".to_string(),
            (_, fond_model::correction::Status::Reverted, _) => "reverted".to_string(),
            (_, _, Some(s)) => s.as_str().to_string(),
            (_, _, None) => "not yet derived".to_string(),
        };
        let what = match &c.reverts {
            Some(id) => format!("takes back {}", esc(id)),
            None => format!("{} → {}", esc(&c.recovered.shown()), esc(&c.value.shown())),
        };
        let revert = if c.action == fond_model::correction::Action::Set
            && c.status == fond_model::correction::Status::Active
        {
            format!(
                "<form class=\"revert\" method=\"post\" action=\"/edit/revert\">{}\
                 <input type=\"hidden\" name=\"id\" value=\"{}\">\
                 <input type=\"hidden\" name=\"document\" value=\"{}\">\
                 <input name=\"why\" placeholder=\"why (required)\" required size=\"20\" maxlength=\"{MAX_SHORT}\"> \
                 <button>Revert</button></form>",
                csrf_field(csrf),
                esc(&c.id),
                esc(&c.target.document)
            )
        } else {
            String::new()
        };
        let conflict = if r.state.is_some_and(Outcome::is_conflict) {
            " conflict"
        } else {
            ""
        };
        out.push_str(&format!(
            "<li class=\"entry{conflict}\"><code>{}</code> <span class=\"field\">{}</span>: {what} \
             <span class=\"state\">({state})</span><br>by {}, {}: “{}”{revert}</li>",
            esc(&c.id),
            esc(&c.target.field.to_string()),
            esc(&c.by),
            esc(&c.at),
            esc(&c.why),
        ));
    }
    out.push_str("</ol>");
    out
}

/// A document's history for the edit view: empty for anyone but an
/// editor; why not, when the desk cannot read it (the form still shows).
pub(crate) async fn history(
    site: &Site,
    scope: &Scope,
    id: &str,
) -> Result<Vec<CorrectionRow>, String> {
    let (Some(_), Some(desk)) = (scope.editor(), site.desk.clone()) else {
        return Ok(Vec::new());
    };
    let id = id.to_string();
    match tokio::task::spawn_blocking(move || desk.0.history(&id)).await {
        Ok(Ok(rows)) => Ok(rows),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("reading it stopped unexpectedly".into()),
    }
}

/// The correction form's fields.
#[derive(Debug, Default, Deserialize)]
pub struct CorrectForm {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub before: String,
    #[serde(default)]
    pub after: String,
    /// Where a name stands (`mention` only): empty for the text.
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub why: String,
    #[serde(default)]
    pub csrf: String,
}

/// The revert form's fields.
#[derive(Debug, Default, Deserialize)]
pub struct RevertForm {
    /// The correction taken back.
    #[serde(default)]
    pub id: String,
    /// Its document, to go back to.
    #[serde(default)]
    pub document: String,
    #[serde(default)]
    pub why: String,
    #[serde(default)]
    pub csrf: String,
}

/// The editor and the desk of a write, or the refusal: the missing page
/// for anyone who is not an editor (the edit view leaves no trace), 403
/// for a form not of this session.
fn editor_and_desk(
    site: &Site,
    scope: &Scope,
    csrf: Option<&str>,
) -> Result<(String, crate::desk::DeskHandle), Box<Response>> {
    let (Some(user), Some(desk)) = (scope.editor(), site.desk.clone()) else {
        return Err(Box::new(crate::pages::not_found_page(site)));
    };
    match csrf {
        Some(token) if csrf_ok(user, token) => Ok((user.name.clone(), desk)),
        _ => Err(Box::new(refusal(
            site,
            StatusCode::FORBIDDEN,
            "The form has expired",
            "The form was not this session's; load the document's page again.",
        ))),
    }
}

/// `POST /edit/correct`: stores an editor's correction; back to the
/// document's page, where it shows.
pub async fn correct(
    State(site): State<Arc<Site>>,
    scope: Scope,
    form: Result<Form<CorrectForm>, FormRejection>,
) -> Response {
    let form = form.ok().map(|Form(f)| f);
    let (by, desk) = match editor_and_desk(&site, &scope, form.as_ref().map(|f| f.csrf.as_str())) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let Some(form) = form else {
        return crate::pages::not_found_page(&site);
    };
    if site.document(&scope, &form.id).is_none() {
        return refusal(
            &site,
            StatusCode::NOT_FOUND,
            "Not found",
            "No such document in this archive.",
        );
    }
    if form.value.len() > MAX_VALUE
        || [
            &form.id,
            &form.field,
            &form.before,
            &form.after,
            &form.place,
            &form.why,
        ]
        .iter()
        .any(|s| s.len() > MAX_SHORT)
    {
        return refusal(
            &site,
            StatusCode::BAD_REQUEST,
            "Too long",
            &format!(
                "A value is at most {MAX_VALUE} bytes, a field, context or reason {MAX_SHORT}."
            ),
        );
    }
    let back = format!("/doc/{}#correct", url_id(&form.id));
    let req = CorrectionRequest {
        document: form.id,
        field: form.field,
        value: form.value,
        before: Some(form.before).filter(|s| !s.trim().is_empty()),
        after: Some(form.after).filter(|s| !s.trim().is_empty()),
        place: Some(form.place).filter(|s| !s.trim().is_empty()),
        why: form.why,
    };
    written(
        &site,
        move |desk: &dyn Desk| desk.correct(&by, &req),
        desk,
        &back,
    )
    .await
}

/// `POST /edit/revert`: takes a correction back; back to its document.
pub async fn revert(
    State(site): State<Arc<Site>>,
    scope: Scope,
    form: Result<Form<RevertForm>, FormRejection>,
) -> Response {
    let form = form.ok().map(|Form(f)| f);
    let (by, desk) = match editor_and_desk(&site, &scope, form.as_ref().map(|f| f.csrf.as_str())) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let Some(form) = form else {
        return crate::pages::not_found_page(&site);
    };
    if [&form.id, &form.document, &form.why]
        .iter()
        .any(|s| s.len() > MAX_SHORT)
    {
        return refusal(
            &site,
            StatusCode::BAD_REQUEST,
            "Too long",
            "No correction id or reason is that long; load the document's page again.",
        );
    }
    let back = format!("/doc/{}#correct", url_id(&form.document));
    let (id, why) = (form.id, form.why);
    written(
        &site,
        move |desk: &dyn Desk| desk.revert(&by, &id, &why),
        desk,
        &back,
    )
    .await
}

/// Runs a desk's write off the async workers, puts what it changed in
/// force, and redirects to `back`; or says why nothing was saved.
async fn written(
    site: &Arc<Site>,
    write: impl FnOnce(&dyn Desk) -> Result<Corrected, DeskError> + Send + 'static,
    desk: crate::desk::DeskHandle,
    back: &str,
) -> Response {
    // The desk takes the archive's write lock, writes SQLite and the
    // index; the site reads the changed documents back.
    let site2 = site.clone();
    let done = tokio::task::spawn_blocking(move || {
        let done = write(&*desk.0)?;
        Ok::<_, DeskError>(site2.refresh(&done.changed, done.search, done.written.as_ref()))
    })
    .await;
    match done {
        Ok(Ok(Ok(()))) => redirect(back),
        Ok(Ok(Err(crate::WebError::Search(e)))) => refusal(
            site,
            StatusCode::INTERNAL_SERVER_ERROR,
            "Saved, not yet searchable",
            &format!(
                "The correction is stored and shown on the document's page, but search could not read the index again ({e}); restart the reading room to search it."
            ),
        ),
        Ok(Ok(Err(e))) => refusal(
            site,
            StatusCode::INTERNAL_SERVER_ERROR,
            "Saved, not yet shown",
            &format!(
                "The correction is stored, but the edition could not be read back ({e}); restart the reading room to show it."
            ),
        ),
        Ok(Err(e @ DeskError::StoredNotApplied(_))) => refusal(
            site,
            status_of(&e),
            "Stored, not yet applied",
            &e.to_string(),
        ),
        Ok(Err(e)) => refusal(site, status_of(&e), "Not saved", &e.to_string()),
        Err(_) => refusal(
            site,
            StatusCode::INTERNAL_SERVER_ERROR,
            "Perhaps not saved",
            "The write stopped unexpectedly; it may or may not have been stored: reload the document's page and look at its history.",
        ),
    }
}
