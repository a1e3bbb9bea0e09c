//! The reading room's pages.

use crate::html::{self, esc, url_id, url_segment};
use crate::{Scope, Site};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use fond_model::authority::{EntityKind, LifeYear, MentionField, Record};
use fond_model::{DocKind, Document};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Query parameters are bounded: nothing longer than this is read.
const MAX_PARAM: usize = 200;

fn bounded(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|v| v.chars().take(MAX_PARAM).collect::<String>())
        .filter(|v| !v.trim().is_empty())
}

fn date_label(d: &Document) -> String {
    d.date
        .editorial
        .clone()
        .or_else(|| d.date.written.clone())
        .unwrap_or_else(|| "undated".into())
}

fn doc_link(d: &Document) -> String {
    format!("<a href=\"/doc/{}\">{}</a>", url_id(&d.id), esc(&d.title))
}

pub async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        html::STYLE,
    )
        .into_response()
}

/// Home: the collections, a timeline of documents per month, the chapters
/// with their introductions.
pub async fn home(State(site): State<Arc<Site>>, scope: Scope) -> Html<String> {
    let docs: Vec<&Document> = site.visible(&scope).collect();
    let mut collections: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &docs {
        *collections.entry(d.collection.as_str()).or_default() += 1;
    }
    let mut body = format!("<h1>{}</h1>", esc(&site.title));
    body.push_str("<h2>Collections</h2><ul>");
    for (c, n) in &collections {
        body.push_str(&format!(
            "<li><a href=\"/browse?collection={}\">{}</a> — {n} documents</li>",
            esc(c),
            esc(c)
        ));
    }
    body.push_str("</ul><h2>Documents per month</h2>");
    body.push_str(&timeline(&docs));
    body.push_str("<h2>Chapters</h2><ul>");
    for d in docs.iter().filter(|d| d.kind == DocKind::EditorialText) {
        body.push_str(&format!("<li>{}</li>", doc_link(d)));
    }
    body.push_str("</ul>");
    Html(html::page_for(&scope, &site.title, "Home", &body))
}

/// An SVG bar chart of dated documents per month (a document counts in the
/// month its interval starts, when its interval is at most a month long).
fn timeline(docs: &[&Document]) -> String {
    let mut months: BTreeMap<(i32, u8), usize> = BTreeMap::new();
    for d in docs {
        let Some(iv) = &d.date.interval else { continue };
        if let (Some(a), Some(b)) = (iv.earliest, iv.latest) {
            if a.year == b.year && a.month == b.month {
                *months.entry((a.year, a.month)).or_default() += 1;
            }
        }
    }
    let (Some(first), Some(last)) = (months.keys().next().copied(), months.keys().last().copied())
    else {
        return "<p>No dated documents.</p>".into();
    };
    let span =
        ((last.0 - first.0) * 12 + i32::from(last.1) - i32::from(first.1) + 1).max(1) as usize;
    let max = months.values().copied().max().unwrap_or(1).max(1);
    let (w, h) = (720usize, 120usize);
    let bar = (w as f64 / span as f64).max(1.0);
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"documents per month\" viewBox=\"0 0 {w} {}\" width=\"100%\">",
        h + 20
    );
    for ((y, m), n) in &months {
        let k = ((y - first.0) * 12 + i32::from(*m) - i32::from(first.1)) as f64;
        let bh = (*n as f64 / max as f64) * h as f64;
        svg.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#7a5\"><title>{y}-{m:02}: {n}</title></rect>",
            k * bar,
            h as f64 - bh,
            (bar - 0.5).max(0.5),
            bh
        ));
    }
    for y in first.0..=last.0 {
        let k = ((y - first.0) * 12 + 1 - i32::from(first.1)) as f64;
        if k >= 0.0 {
            svg.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{}\">{y}</text>",
                k * bar,
                h + 14
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

#[derive(Debug, Deserialize, Default)]
pub struct BrowseQuery {
    pub year: Option<String>,
    pub kind: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub chapter: Option<String>,
    pub collection: Option<String>,
    /// `full`: letters whose text the archive holds; `metadata`: letters
    /// known by their metadata only (CMIF).
    pub held: Option<String>,
}

/// Whether a document passes the browse filters.
pub fn matches(d: &Document, q: &BrowseQuery) -> bool {
    let year = bounded(&q.year).and_then(|y| y.trim().parse::<i32>().ok());
    if let Some(y) = year {
        let ok = d.date.interval.as_ref().is_some_and(|iv| {
            iv.precision != fond_model::Precision::Undetermined
                && iv.earliest.is_none_or(|e| e.year <= y)
                && iv.latest.is_none_or(|l| l.year >= y)
        });
        if !ok {
            return false;
        }
    }
    if let Some(k) = bounded(&q.kind) {
        if d.kind.as_str() != k {
            return false;
        }
    }
    let has = |names: &[String], needle: &str| {
        let needle = needle.to_lowercase();
        names.iter().any(|n| n.to_lowercase().contains(&needle))
    };
    if let Some(f) = bounded(&q.from) {
        if !has(&d.senders, &f) {
            return false;
        }
    }
    if let Some(t) = bounded(&q.to) {
        if !has(&d.addressees, &t) {
            return false;
        }
    }
    if let Some(c) = bounded(&q.chapter) {
        if d.chapter.as_deref() != Some(c.as_str()) {
            return false;
        }
    }
    if let Some(c) = bounded(&q.collection) {
        if d.collection != c {
            return false;
        }
    }
    match bounded(&q.held).as_deref() {
        Some("full") if d.metadata_only => return false,
        Some("metadata") if !d.metadata_only => return false,
        _ => {}
    }
    true
}

/// Browse: by chapter, year, kind, correspondent.
pub async fn browse(
    State(site): State<Arc<Site>>,
    scope: Scope,
    Query(q): Query<BrowseQuery>,
) -> Html<String> {
    let docs: Vec<&Document> = site.visible(&scope).filter(|d| matches(d, &q)).collect();
    let mut body = String::from("<h1>Browse</h1><form method=\"get\" action=\"/browse\">");
    for (name, label, value) in [
        ("year", "Year", bounded(&q.year)),
        ("from", "From", bounded(&q.from)),
        ("to", "To", bounded(&q.to)),
    ] {
        body.push_str(&format!(
            "<label>{label} <input name=\"{name}\" value=\"{}\" size=\"10\"></label> ",
            esc(value.as_deref().unwrap_or(""))
        ));
    }
    body.push_str("<label>Kind <select name=\"kind\"><option value=\"\">any</option>");
    for k in DocKind::ALL {
        let sel = if bounded(&q.kind).as_deref() == Some(k.as_str()) {
            " selected"
        } else {
            ""
        };
        body.push_str(&format!("<option{sel}>{}</option>", k.as_str()));
    }
    body.push_str("</select></label> ");
    body.push_str("<label>Held <select name=\"held\"><option value=\"\">all</option>");
    for (v, label) in [("full", "in full"), ("metadata", "known by metadata")] {
        let sel = if bounded(&q.held).as_deref() == Some(v) {
            " selected"
        } else {
            ""
        };
        body.push_str(&format!("<option value=\"{v}\"{sel}>{label}</option>"));
    }
    body.push_str("</select></label> <button>Show</button></form>");
    body.push_str(&format!("<p>{} documents</p><table><tr><th>Document</th><th>Date</th><th>From → To</th><th>Kind</th></tr>", docs.len()));
    for d in docs {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td></tr>",
            doc_link(d),
            esc(&date_label(d)),
            esc(&d.senders.join(", ")),
            esc(&d.addressees.join(", ")),
            d.kind.as_str()
        ));
    }
    body.push_str("</table>");
    Html(html::page_for(&scope, &site.title, "Browse", &body))
}

fn parties(
    site: &Site,
    scope: &Scope,
    d: &Document,
    field: MentionField,
    names: &[String],
) -> String {
    names
        .iter()
        .enumerate()
        .map(|(i, n)| match site.party(scope, &d.id, field, i) {
            Some(p) => format!("<a href=\"/person/{}\">{}</a>", url_segment(&p.id), esc(n)),
            None => esc(n),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The citation box: permalink, Chicago style, BibTeX.
fn citation(site: &Site, d: &Document, permalink: &str) -> String {
    let who = format!(
        "{} to {}",
        d.senders.join(" and "),
        d.addressees.join(" and ")
    );
    let when = date_label(d);
    let number = d
        .number
        .map(|n| format!(", letter {n}"))
        .unwrap_or_default();
    let chicago = format!("{who}, {when}{number}, in {}, {permalink}.", site.title);
    let key = d.id.replace(['/', '~'], "-");
    let bibtex = format!(
        "@misc{{{key},\n  title = {{{}}},\n  author = {{{}}},\n  date = {{{}}},\n  howpublished = {{{}}},\n  url = {{{permalink}}}\n}}",
        d.title,
        d.senders.join(" and "),
        d.date.interval.as_ref().map(|i| i.edtf.clone()).unwrap_or_default(),
        site.title
    );
    format!(
        "<section class=\"citation\"><h2>Cite</h2><p>Permalink: <a href=\"{0}\">{0}</a></p>\
         <p class=\"cite\">{1}</p><pre class=\"cite\">{2}</pre></section>",
        esc(permalink),
        esc(&chicago),
        esc(&bibtex)
    )
}

/// Where the reading room is reached, for permalinks: the published URL
/// when the operator named one; otherwise the request's host, which the
/// host check has already limited to the names this reading room answers
/// to.
fn base_url(site: &Site, headers: &HeaderMap) -> String {
    match &site.public_url {
        Some(url) => url.clone(),
        None => format!(
            "http://{}",
            headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("127.0.0.1:7700")
                .chars()
                .take(100)
                .collect::<String>()
        ),
    }
}

/// The document page's query: the field the edit view opens at.
#[derive(Debug, Default, Deserialize)]
pub struct DocQuery {
    #[serde(default)]
    pub correct: Option<String>,
}

/// The document in the edition view.
pub async fn document(
    State(site): State<Arc<Site>>,
    scope: Scope,
    Path(id): Path<String>,
    query: Result<Query<DocQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
) -> Response {
    if site.document(&scope, &id).is_none() {
        return not_found_page(&site); // missing, or not for this request
    }
    let history = crate::edit::history(&site, &scope, &id).await;
    let Some(d) = site.document(&scope, &id) else {
        return not_found_page(&site);
    };
    let d: &Document = &site.shown(&scope, d);
    let permalink = format!("{}/doc/{}", base_url(&site, &headers), url_id(&d.id));
    let mut body = format!("<article><h1>{}</h1><dl class=\"head\">", esc(&d.title));
    let mut row = |k: &str, v: String| {
        if !v.is_empty() {
            body.push_str(&format!("<dt>{k}</dt><dd>{v}</dd>"));
        }
    };
    row(
        "Number",
        d.number.map(|n| n.to_string()).unwrap_or_default(),
    );
    row(
        "Editors' date",
        d.date
            .editorial
            .as_deref()
            .map(|e| format!("[{}]", esc(e)))
            .unwrap_or_default(),
    );
    row(
        "Author's date",
        d.date.written.as_deref().map(esc).unwrap_or_default(),
    );
    if d.date.disagreement {
        row("Note", "the author's date and the editors' disagree".into());
    }
    let who = |field, names| parties(&site, &scope, d, field, names);
    row("From", who(MentionField::Sender, &d.senders));
    row("To", who(MentionField::Addressee, &d.addressees));
    row("Place", d.place.as_deref().map(esc).unwrap_or_default());
    row("Kind", d.kind.as_str().into());
    // Which values are the editors' corrections rather than the engine's
    // reading (`fond history` gives who, when and why).
    row(
        "Corrected",
        d.corrected
            .iter()
            .map(|f| esc(f))
            .collect::<Vec<_>>()
            .join(", "),
    );
    body.push_str("</dl>");
    let links = span_links(&site, &scope, d);
    body.push_str(&html::text(d, &links));
    if !d.marginalia.is_empty() {
        body.push_str("<section class=\"marks\"><h2>Readers' marks</h2><ul>");
        for m in &d.marginalia {
            body.push_str(&format!(
                "<li>{}{}: “{}” (note {})</li>",
                esc(&m.by),
                m.place
                    .as_deref()
                    .map(|p| format!(", {}", esc(p)))
                    .unwrap_or_default(),
                esc(&m.text),
                m.note
            ));
        }
        body.push_str("</ul></section>");
    }
    body.push_str(&html::notes(d));
    body.push_str("<section class=\"witnesses\"><h2>Witnesses</h2><ul>");
    for w in &d.witnesses {
        body.push_str(&format!(
            "<li>{} — {}, lines {}–{}</li>",
            esc(&w.label),
            esc(&w.source),
            w.first_line,
            w.last_line
        ));
    }
    body.push_str("</ul>");
    if d.witnesses.len() > 1 {
        body.push_str(&format!(
            "<p><a href=\"/witnesses/{}\">Read the witnesses side by side</a>, their differences marked.</p>",
            url_id(&d.id)
        ));
    }
    body.push_str("</section>");
    let (prev, next) = site.neighbours(&scope, &d.id);
    body.push_str(&format!(
        "<nav class=\"pager\"><span>{}</span><span>{}</span></nav>",
        prev.map(|p| format!("← {}", doc_link(p)))
            .unwrap_or_default(),
        next.map(|n| format!("{} →", doc_link(n)))
            .unwrap_or_default()
    ));
    body.push_str(&citation(&site, d, &permalink));
    body.push_str(&crate::desk::visibility_form(&site, &scope, d));
    // `?correct=FIELD`: the review queue's "correct" link.
    let field = query.ok().and_then(|Query(q)| q.correct);
    body.push_str(&crate::edit::view(
        &site,
        &scope,
        d,
        field.as_deref(),
        &history,
    ));
    body.push_str("</article>");
    Html(html::page_for(&scope, &site.title, &d.title, &body)).into_response()
}

/// The names of a document's text linked to their person's or body's page.
fn span_links(site: &Site, scope: &Scope, d: &Document) -> Vec<html::SpanLink> {
    site.mentions(scope, &d.id)
        .iter()
        .filter(|m| m.field == MentionField::Body && m.resolved)
        .filter_map(|m| {
            let href = match m.entity.kind() {
                EntityKind::Person => site
                    .person(scope, m.entity.id())
                    .map(|p| format!("/person/{}", url_segment(&p.id))),
                EntityKind::Body | EntityKind::Periodical => site
                    .entity(scope, m.entity.id())
                    .map(|e| format!("/body/{}", url_segment(&e.id))),
            }?;
            Some(html::SpanLink {
                start: m.start,
                end: m.end,
                href,
            })
        })
        .collect()
}

/// A year of birth or death as printed, `?` when unknown.
fn life(y: &Option<LifeYear>) -> &str {
    y.as_ref().map_or("?", |y| y.printed.as_str())
}

/// A person: biography, offices, the documents that name them.
pub async fn person(
    State(site): State<Arc<Site>>,
    scope: Scope,
    Path(id): Path<String>,
) -> Response {
    let Some(p) = site.person(&scope, &id) else {
        return not_found_page(&site);
    };
    let mut body = format!("<h1>{}</h1>", esc(&p.name));
    if let Record::Person(r) = &p.record {
        body.push_str(&format!(
            "<p>{}–{}</p>",
            esc(life(&r.born)),
            esc(life(&r.died))
        ));
        if let Some(b) = &r.biography {
            body.push_str(&format!("<p class=\"bio\">{}</p>", esc(b)));
        }
        if !r.offices.is_empty() {
            body.push_str("<h2>Offices</h2><ul>");
            for o in &r.offices {
                body.push_str(&format!("<li>{}</li>", esc(&o.text)));
            }
            body.push_str("</ul>");
        }
    }
    let docs = site.documents_of(&scope, &p.id);
    body.push_str(&correspondence(&site, &scope, &p.id, &docs));
    body.push_str(&format!("<h2>Documents ({})</h2><ul>", docs.len()));
    for (d, n) in docs {
        body.push_str(&format!(
            "<li>{} — {} ({n}×)</li>",
            doc_link(d),
            esc(&date_label(d))
        ));
    }
    body.push_str("</ul>");
    Html(html::page_for(&scope, &site.title, &p.name, &body)).into_response()
}

/// A letter on a correspondent's page.
struct Letter<'a> {
    /// The year it was written in, where known.
    year: Option<i32>,
    doc: &'a Document,
    /// Sent by the person (else received).
    sent: bool,
    /// The other parties.
    others: Vec<String>,
}

/// A person's letters as sender or addressee — held in full and known by
/// metadata alike — as a timeline by year and by correspondent. Empty when
/// they are party to none.
fn correspondence(site: &Site, scope: &Scope, person: &str, docs: &[(&Document, usize)]) -> String {
    let mut letters: Vec<Letter<'_>> = Vec::new();
    for (d, _) in docs {
        let mentions = site.mentions(scope, &d.id);
        let party = |field: MentionField| {
            mentions
                .iter()
                .any(|m| m.field == field && m.entity.id() == person && m.resolved)
        };
        let (sent, received) = (party(MentionField::Sender), party(MentionField::Addressee));
        if !sent && !received {
            continue;
        }
        let others: Vec<String> = if sent {
            d.addressees.clone()
        } else {
            d.senders.clone()
        };
        let year = d
            .date
            .interval
            .as_ref()
            .and_then(|i| i.earliest.or(i.latest))
            .map(|x| x.year);
        letters.push(Letter {
            year,
            doc: d,
            sent,
            others,
        });
    }
    if letters.is_empty() {
        return String::new();
    }
    let metadata = letters.iter().filter(|l| l.doc.metadata_only).count();
    let mut out = format!(
        "<h2>Correspondence ({} letters: {} held in full, {} known by metadata)</h2>",
        letters.len(),
        letters.len() - metadata,
        metadata
    );
    let mut by_year: BTreeMap<Option<i32>, Vec<&Letter<'_>>> = BTreeMap::new();
    let mut by_other: BTreeMap<&str, (usize, Option<i32>, Option<i32>)> = BTreeMap::new();
    for l in &letters {
        by_year.entry(l.year).or_default().push(l);
        for o in &l.others {
            let e = by_other.entry(o.as_str()).or_insert((0, None, None));
            e.0 += 1;
            if let Some(y) = l.year {
                e.1 = Some(e.1.map_or(y, |a: i32| a.min(y)));
                e.2 = Some(e.2.map_or(y, |b: i32| b.max(y)));
            }
        }
    }
    out.push_str(
        "<h3>By year</h3><table class=\"timeline\"><tr><th>year</th><th>letters</th><th></th></tr>",
    );
    for (year, ls) in &by_year {
        let items: Vec<String> = ls
            .iter()
            .map(|l| {
                format!(
                    "{} {} {}{}",
                    if l.sent { "to" } else { "from" },
                    esc(&l.others.join(", ")),
                    doc_link(l.doc),
                    if l.doc.metadata_only {
                        " <span class=\"meta\">(metadata only)</span>"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            year.map_or_else(|| "undated".to_string(), |y| y.to_string()),
            ls.len(),
            items.join("<br>")
        ));
    }
    out.push_str("</table><h3>By correspondent</h3><table class=\"timeline\"><tr><th>correspondent</th><th>letters</th><th>years</th></tr>");
    let mut others: Vec<_> = by_other.into_iter().collect();
    others.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then_with(|| a.0.cmp(b.0)));
    for (name, (n, first, last)) in others {
        let years = match (first, last) {
            (Some(a), Some(b)) if a == b => a.to_string(),
            (Some(a), Some(b)) => format!("{a}–{b}"),
            _ => "undated".into(),
        };
        out.push_str(&format!(
            "<tr><td>{}</td><td>{n}</td><td>{years}</td></tr>",
            esc(name)
        ));
    }
    out.push_str("</table>");
    out
}

/// A body or periodical: its names and the documents that name it.
pub async fn body(State(site): State<Arc<Site>>, scope: Scope, Path(id): Path<String>) -> Response {
    let Some(e) = site.entity(&scope, &id) else {
        return not_found_page(&site);
    };
    let mut body = format!("<h1>{}</h1>", esc(&e.name));
    let names: [(&str, &[String]); 3] = match &e.record {
        Record::Body(b) => [
            ("aliases", &b.aliases),
            ("abbreviations", &b.abbreviations),
            ("russian", &b.russian),
        ],
        Record::Periodical(p) => [
            ("aliases", &p.aliases),
            ("abbreviations", &[]),
            ("russian", &p.russian),
        ],
        Record::Person(_) => [("aliases", &[]), ("abbreviations", &[]), ("russian", &[])],
    };
    for (key, list) in names.into_iter().filter(|(_, l)| !l.is_empty()) {
        let names: Vec<String> = list.iter().map(|n| esc(n)).collect();
        body.push_str(&format!("<p>{}: {}</p>", esc(key), names.join(", ")));
    }
    let docs = site.documents_of(&scope, &e.id);
    body.push_str(&format!("<h2>Documents ({})</h2><ul>", docs.len()));
    for (d, n) in docs {
        body.push_str(&format!(
            "<li>{} — {} ({n}×)</li>",
            doc_link(d),
            esc(&date_label(d))
        ));
    }
    body.push_str("</ul>");
    Html(html::page_for(&scope, &site.title, &e.name, &body)).into_response()
}

pub(crate) fn not_found_page(site: &Site) -> Response {
    (
        StatusCode::NOT_FOUND,
        Html(html::page(
            &site.title,
            "Not found",
            "<h1>Not found</h1><p>No such page in this archive.</p>",
        )),
    )
        .into_response()
}

pub async fn not_found(State(site): State<Arc<Site>>) -> Response {
    not_found_page(&site)
}
