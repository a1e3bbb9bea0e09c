//! `/review`: the review queue in the reading room. An editor sees the
//! findings `fond check` lists, filtered by kind and collection, with the
//! progress ("312 findings, 40 reviewed"), and accepts, dismisses (with a
//! reason) or reopens them through the [`crate::Desk`] — the same queue
//! and the same decision as `fond check` and `fond review`, so the rules
//! have one home, the binary's.
//!
//! Editors only: anyone else (the public, a reader, a reading room without
//! a desk) gets exactly the answer a missing page gets, so the page leaves
//! no trace for the public; the header links to it for editors only.

use crate::desk::{status_of, write_stopped};
use crate::html::{esc, url_id};
use crate::pages::not_found_page;
use crate::session::{csrf_field, csrf_ok, redirect, refusal};
use crate::{Scope, Site};
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use fond_store::{Decision, QueueFilter, QueueItem};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Longest filter value or key taken from a request (kinds, collection ids
/// and keys are short; anything longer is not one).
const MAX_FIELD: usize = 100;
/// Most findings listed on one page; the rest are reached by filtering.
const MAX_SHOWN: usize = 500;

/// The queue's filters as a query string gives them.
#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub collection: String,
    #[serde(default)]
    pub reviewed: String,
}

/// The filters of one view of the queue, checked.
#[derive(Debug, Clone, Default)]
struct View {
    kind: Option<String>,
    collection: Option<String>,
    /// The decided findings instead of the waiting ones.
    reviewed: bool,
}

impl View {
    fn new(kind: &str, collection: &str, reviewed: &str) -> Result<View, String> {
        let field = |name: &str, v: &str| -> Result<Option<String>, String> {
            let v = v.trim();
            if v.len() > MAX_FIELD {
                return Err(format!(
                    "the {name} is longer than {MAX_FIELD} bytes; no {name} is; clear the field"
                ));
            }
            Ok((!v.is_empty()).then(|| v.to_string()))
        };
        Ok(View {
            kind: field("kind", kind)?,
            collection: field("collection", collection)?,
            reviewed: matches!(reviewed.trim(), "1" | "true" | "yes"),
        })
    }

    /// This view with the decided findings or the waiting ones.
    fn with_reviewed(&self, reviewed: bool) -> View {
        View {
            reviewed,
            ..self.clone()
        }
    }

    /// The view's address: `/review` with its filters.
    fn href(&self) -> String {
        let mut q = Vec::new();
        if let Some(k) = &self.kind {
            q.push(format!("kind={}", url_id(k).replace('/', "%2F")));
        }
        if let Some(c) = &self.collection {
            q.push(format!("collection={}", url_id(c).replace('/', "%2F")));
        }
        if self.reviewed {
            q.push("reviewed=1".to_string());
        }
        if q.is_empty() {
            "/review".to_string()
        } else {
            format!("/review?{}", q.join("&"))
        }
    }

    /// The hidden fields that bring a decision back to this view.
    fn fields(&self) -> String {
        let hidden = |name: &str, v: &str| {
            format!(
                "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
                esc(v)
            )
        };
        let mut out = String::new();
        if let Some(k) = &self.kind {
            out.push_str(&hidden("kind", k));
        }
        if let Some(c) = &self.collection {
            out.push_str(&hidden("collection", c));
        }
        if self.reviewed {
            out.push_str(&hidden("reviewed", "1"));
        }
        out
    }
}

/// `GET /review`: the findings waiting (`?reviewed=1`: the decided ones).
pub async fn page(
    State(site): State<Arc<Site>>,
    scope: Scope,
    query: Result<Query<QueueQuery>, QueryRejection>,
) -> Response {
    let (Some(user), Some(desk)) = (scope.editor(), site.desk.clone()) else {
        return not_found_page(&site);
    };
    let Ok(Query(q)) = query else {
        return refusal(
            &site,
            StatusCode::BAD_REQUEST,
            "Not a filter",
            "The address's query is not one this page reads; open /review.",
        );
    };
    let view = match View::new(&q.kind, &q.collection, &q.reviewed) {
        Ok(v) => v,
        Err(why) => return refusal(&site, StatusCode::BAD_REQUEST, "Not a filter", &why),
    };
    let filter = QueueFilter {
        kind: view.kind.clone(),
        collection: view.collection.clone(),
        reviewed: None,
    };
    // The desk reads the archive (SQLite): off the async workers.
    let items = match tokio::task::spawn_blocking(move || desk.0.queue(&filter)).await {
        Ok(Ok(items)) => items,
        Ok(Err(e)) => {
            return refusal(
                &site,
                status_of(&e),
                "The queue cannot be read",
                &e.to_string(),
            )
        }
        Err(_) => {
            return refusal(
                &site,
                StatusCode::INTERNAL_SERVER_ERROR,
                "The queue cannot be read",
                "Reading the queue stopped unexpectedly; reload the page.",
            )
        }
    };
    let body = render(&site, &scope, &user.csrf, &view, &items);
    Html(crate::html::page_for(&scope, &site.title, "Review", &body)).into_response()
}

/// The queue page's body.
fn render(site: &Site, scope: &Scope, csrf: &str, view: &View, items: &[QueueItem]) -> String {
    let reviewed = items.iter().filter(|i| i.review.is_some()).count();
    let mut body = format!(
        "<h1>Review</h1><p class=\"progress\">{} findings, {reviewed} reviewed</p>",
        items.len()
    );
    body.push_str(&filter_form(site, scope, view, items));
    let shown: Vec<&QueueItem> = items
        .iter()
        .filter(|i| i.review.is_some() == view.reviewed)
        .collect();
    body.push_str(&format!(
        "<p class=\"views\"><a href=\"{}\">Waiting ({})</a> · <a href=\"{}\">Reviewed ({reviewed})</a></p>",
        esc(&view.with_reviewed(false).href()),
        items.len() - reviewed,
        esc(&view.with_reviewed(true).href()),
    ));
    if shown.is_empty() {
        body.push_str(if view.reviewed {
            "<p>No finding here is reviewed yet.</p>"
        } else {
            "<p>Nothing is waiting for an editor here.</p>"
        });
        return body;
    }
    if shown.len() > MAX_SHOWN {
        body.push_str(&format!(
            "<p>The first {MAX_SHOWN} of {} are shown; filter by kind or collection for the rest.</p>",
            shown.len()
        ));
    }
    body.push_str("<ol class=\"queue\">");
    for i in shown.iter().take(MAX_SHOWN) {
        body.push_str(&finding(site, scope, csrf, view, i));
    }
    body.push_str("</ol>");
    body
}

/// The filter form, with the kinds and collections to choose from.
fn filter_form(site: &Site, scope: &Scope, view: &View, items: &[QueueItem]) -> String {
    let kinds: BTreeSet<&str> = items.iter().map(|i| i.finding.kind.as_str()).collect();
    let collections: BTreeSet<&str> = site.visible(scope).map(|d| d.collection.as_str()).collect();
    let options = |set: &BTreeSet<&str>| -> String {
        set.iter()
            .map(|v| format!("<option value=\"{}\">", esc(v)))
            .collect()
    };
    format!(
        "<form class=\"filter\" method=\"get\" action=\"/review\">\
         <label>Kind <input name=\"kind\" list=\"kinds\" value=\"{}\" maxlength=\"{MAX_FIELD}\"></label> \
         <label>Collection <input name=\"collection\" list=\"collections\" value=\"{}\" maxlength=\"{MAX_FIELD}\"></label> \
         {}<button>Filter</button></form>\
         <datalist id=\"kinds\">{}</datalist><datalist id=\"collections\">{}</datalist>",
        esc(view.kind.as_deref().unwrap_or("")),
        esc(view.collection.as_deref().unwrap_or("")),
        if view.reviewed {
            "<input type=\"hidden\" name=\"reviewed\" value=\"1\">"
        } else {
            ""
        },
        options(&kinds),
        options(&collections),
    )
}

/// One finding: its kind, document, place and message, and its forms.
fn finding(site: &Site, scope: &Scope, csrf: &str, view: &View, i: &QueueItem) -> String {
    let f = &i.finding;
    let document = match &f.document {
        Some(id) if site.document(scope, id).is_some() => format!(
            " <a class=\"document\" href=\"/doc/{}\">{}</a>",
            url_id(id),
            esc(id)
        ),
        Some(id) => format!(" <span class=\"document\">{}</span>", esc(id)),
        None => String::new(),
    };
    let form = |decision: &str, button: &str, why: &str| {
        format!(
            "<form class=\"decide\" method=\"post\" action=\"/review/decide\">{}{}\
             <input type=\"hidden\" name=\"key\" value=\"{}\">\
             <input type=\"hidden\" name=\"decision\" value=\"{decision}\">\
             {why}<button>{button}</button></form>",
            csrf_field(csrf),
            view.fields(),
            esc(&i.key)
        )
    };
    // "Correct": the edit view of the finding's document, at its field.
    let correct = match &f.document {
        Some(id) if site.document(scope, id).is_some() && site.desk.is_some() => format!(
            " <a class=\"correct\" href=\"/doc/{}{}#correct\">Correct</a>",
            url_id(id),
            f.kind
                .corrected_field()
                .map(|field| format!("?correct={field}"))
                .unwrap_or_default()
        ),
        _ => String::new(),
    };
    let decided = match &i.review {
        None => format!(
            "{} {}",
            form(
                "accept",
                "Accept",
                "<input name=\"why\" placeholder=\"why (optional)\" size=\"20\"> "
            ),
            form(
                "dismiss",
                "Dismiss",
                "<input name=\"why\" placeholder=\"why (required)\" required size=\"20\"> "
            )
        ),
        Some(r) => format!(
            "<p class=\"decision\">{}ed by {}, {}{}</p>{}",
            r.decision.as_str().trim_end_matches('e'),
            esc(&r.who),
            esc(&r.at),
            if r.why.is_empty() {
                String::new()
            } else {
                format!(": “{}”", esc(&r.why))
            },
            form(
                "reopen",
                "Reopen",
                "<input name=\"why\" placeholder=\"why (optional)\" size=\"20\"> "
            )
        ),
    };
    format!(
        "<li class=\"finding\"><span class=\"kind\">{}</span>{document} \
         <span class=\"where\">{}:{}</span> <code class=\"key\">{}</code>\
         <p class=\"message\">{}</p>{decided}{correct}</li>",
        f.kind.as_str(),
        esc(&f.source),
        f.line,
        esc(&i.key),
        esc(&f.message),
    )
}

/// The decision form's fields.
#[derive(Debug, Default, Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub why: String,
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub collection: String,
    #[serde(default)]
    pub reviewed: String,
}

/// `POST /review/decide`: an editor accepts, dismisses or reopens a
/// finding; back to the queue with the same filters.
pub async fn decide(
    State(site): State<Arc<Site>>,
    scope: Scope,
    form: Result<Form<DecideForm>, FormRejection>,
) -> Response {
    let (Some(user), Some(desk)) = (scope.editor(), site.desk.clone()) else {
        return not_found_page(&site);
    };
    let form = match form {
        Ok(Form(f)) if csrf_ok(user, &f.csrf) => f,
        _ => {
            return refusal(
                &site,
                StatusCode::FORBIDDEN,
                "The form has expired",
                "The form was not this session's; load the review page again.",
            )
        }
    };
    let view = match View::new(&form.kind, &form.collection, &form.reviewed) {
        Ok(v) => v,
        Err(why) => return refusal(&site, StatusCode::BAD_REQUEST, "Not a filter", &why),
    };
    let Some(decision) = Decision::parse(form.decision.trim()) else {
        return refusal(
            &site,
            StatusCode::BAD_REQUEST,
            "Unknown decision",
            "Choose accept, dismiss or reopen.",
        );
    };
    if form.key.len() > MAX_FIELD {
        return refusal(
            &site,
            StatusCode::BAD_REQUEST,
            "Not a finding",
            "No finding has a key that long; load the review page again.",
        );
    }
    let by = user.name.clone();
    let (key, why) = (form.key, form.why);
    // The desk writes SQLite: off the async workers.
    match tokio::task::spawn_blocking(move || desk.0.decide(&by, &key, decision, &why)).await {
        Ok(Ok(())) => redirect(&view.href()),
        Ok(Err(e)) => refusal(&site, status_of(&e), "Not saved", &e.to_string()),
        Err(_) => write_stopped(&site),
    }
}
