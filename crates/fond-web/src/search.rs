//! The search page and `/api/v1/search`: the archive's search index
//! (fond-search) behind a query box, facets to click, highlighted
//! snippets and paging, with the whole state in the URL
//! (`/search?q=grain+year:1929&page=2`) so a search can be bookmarked and
//! cited.

use crate::html::{self, esc, url_id};
use crate::pool::Refused;
use crate::{Scope, Site};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use fond_search::{Mark, SearchError, SearchOptions, SearchResults};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Longest query read; the parser has its own bounds on terms and nesting.
pub const MAX_QUERY: usize = 500;
/// Hits per page on the page, and the most the API gives per request.
const PAGE_SIZE: usize = 10;
const MAX_API_LIMIT: usize = 100;
/// Deepest result the reading room pages to: each search's top-hits heap
/// holds offset + limit entries, so this bounds a search's memory (with
/// the query's own bounds), and the pool bounds how many run at once.
const MAX_WEB_DEPTH: usize = 10_000;
/// A search stops here and answers with what it has, marked partial.
const TIMEOUT: Duration = Duration::from_secs(2);
/// Pages the pager offers around the current one.
const PAGER_SPAN: usize = 4;

#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    pub q: Option<String>,
    pub page: Option<String>,
    pub limit: Option<String>,
}

impl SearchParams {
    /// Whether the query given is longer than [`MAX_QUERY`] and was cut.
    fn cut(&self) -> bool {
        self.q
            .as_deref()
            .is_some_and(|q| q.trim().chars().count() > MAX_QUERY)
    }

    fn query(&self) -> String {
        self.q
            .as_deref()
            .unwrap_or("")
            .chars()
            .take(MAX_QUERY)
            .collect::<String>()
            .trim()
            .to_string()
    }
    fn page(&self) -> usize {
        self.page
            .as_deref()
            .and_then(|p| p.trim().parse::<usize>().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1)
    }
    fn limit(&self, default: usize, max: usize) -> usize {
        self.limit
            .as_deref()
            .and_then(|p| p.trim().parse::<usize>().ok())
            .unwrap_or(default)
            .clamp(1, max)
    }
}

/// Percent-encodes a query-string value.
pub fn url_param(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn search_url(q: &str, page: usize) -> String {
    if page <= 1 {
        format!("/search?q={}", url_param(q))
    } else {
        format!("/search?q={}&page={page}", url_param(q))
    }
}

/// A facet value as a query clause: what clicking it adds to the query.
fn facet_clause(facet: &str, value: &str) -> Option<String> {
    let quoted = format!("\"{}\"", value.replace('"', ""));
    match facet {
        "year" if value.chars().all(|c| c.is_ascii_digit()) => Some(format!("year:{value}")),
        "year" => None, // `undated` has no clause.
        "kind" => Some(format!("kind:{value}")),
        "from" => Some(format!("from:{quoted}")),
        "to" => Some(format!("to:{quoted}")),
        "people" => Some(format!("mentions:{quoted}")),
        _ => None,
    }
}

/// Runs a search on the bounded pool, off the async workers: a slow query
/// (up to its time limit) must not hold up the pages other readers are
/// waiting for. The time limit starts when the request arrives, so the
/// wait for a worker and the building of the query count against it; a
/// search whose time ran out in the queue answers empty, marked partial.
async fn run(
    site: &Arc<Site>,
    scope: &Scope,
    q: &str,
    offset: usize,
    limit: usize,
    mark: Mark,
) -> Result<SearchResults, SearchFailure> {
    let deadline = Instant::now() + TIMEOUT;
    let job = {
        let site = site.clone();
        let q = q.to_string();
        let exclude = scope.hidden_ids().to_vec();
        move || run_now(&site, &q, exclude, (offset, limit), mark, deadline)
    };
    match site.heavy.run(Some(deadline), job).await {
        Ok(r) => r,
        Err(Refused::Full) => Err(SearchFailure::Busy),
        Err(Refused::TimedOut) => Ok(SearchResults {
            total: 0,
            hits: Vec::new(),
            facets: Default::default(),
            partial: true,
        }),
        Err(Refused::Failed) => Err(SearchFailure::Engine("the search task failed".into())),
    }
}

/// `exclude`: the documents the request may not see, left out inside the
/// query so that the total and the facets never count them.
fn run_now(
    site: &Site,
    q: &str,
    exclude: Vec<String>,
    (offset, limit): (usize, usize),
    mark: Mark,
    deadline: Instant,
) -> Result<SearchResults, SearchFailure> {
    let Some(index) = site.search() else {
        return Err(SearchFailure::Unavailable);
    };
    let opts = SearchOptions {
        offset,
        limit,
        mark,
        timeout: TIMEOUT,
        deadline: Some(deadline),
        facets: true,
        facet_limit: 12,
        exclude_ids: exclude,
        ..SearchOptions::default()
    };
    index.search(q, &opts).map_err(|e| match e {
        SearchError::Query(e) => SearchFailure::Query(e.to_string()),
        other => SearchFailure::Engine(other.to_string()),
    })
}

enum SearchFailure {
    Unavailable,
    /// The pool is full.
    Busy,
    Query(String),
    Engine(String),
}

impl SearchFailure {
    fn status(&self) -> StatusCode {
        match self {
            SearchFailure::Unavailable | SearchFailure::Busy => StatusCode::SERVICE_UNAVAILABLE,
            SearchFailure::Query(_) => StatusCode::BAD_REQUEST,
            SearchFailure::Engine(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
    fn message(&self) -> String {
        match self {
            SearchFailure::Unavailable => {
                "this archive has no search index; run `fond index`".to_string()
            }
            SearchFailure::Busy => {
                "the reading room is answering many searches; try again in a moment".to_string()
            }
            SearchFailure::Query(m) => format!("the query does not parse: {m}"),
            SearchFailure::Engine(m) => format!("the search failed: {m}"),
        }
    }
}

const SYNTAX_HELP: &str = "<details class=\"syntax\"><summary>How to search</summary><table>\
<tr><td><code>grain Bukharin</code></td><td>both words, any form (<i>grains</i>, <i>Bukharin's</i>)</td></tr>\
<tr><td><code>grain OR bread</code>, <code>grain -Trotsky</code>, <code>(a OR b) c</code></td><td>either word; without a word; grouping (operators in capitals)</td></tr>\
<tr><td><code>\"grain procurements\"</code></td><td>a phrase, in any kind of quotes</td></tr>\
<tr><td><code>collectiv*</code>, <code>Lashevitch~</code></td><td>a prefix; a near spelling</td></tr>\
<tr><td><code>Бухарин</code>, <code>Yaroslavsky</code></td><td>a name in any romanisation or in Cyrillic</td></tr>\
<tr><td><code>from:Stalin</code>, <code>to:Molotov</code>, <code>mentions:Sergo</code></td><td>sender, addressee, a person or body named anywhere</td></tr>\
<tr><td><code>kind:telegram</code>, <code>year:1929</code>, <code>date:1929-06..1929-09</code></td><td>kind of document; dates overlapping the range (uncertain dates included)</td></tr>\
<tr><td><code>in:notes grain</code>, <code>in:body</code></td><td>only the editors' notes, or only the text</td></tr>\
<tr><td><code>ref:\"f. 17, op. 3\"</code></td><td>an archival reference</td></tr>\
</table></details>";

fn form(q: &str) -> String {
    format!(
        "<form class=\"search\" method=\"get\" action=\"/search\" role=\"search\">\
         <input type=\"search\" name=\"q\" value=\"{}\" size=\"50\" maxlength=\"{MAX_QUERY}\" \
         aria-label=\"Query\" placeholder=\"mentions:Bukharin grain year:1929\"> \
         <button>Search</button></form>{SYNTAX_HELP}",
        esc(q)
    )
}

fn facets_html(q: &str, r: &SearchResults) -> String {
    let mut out = String::from("<aside class=\"facets\"><h2>Refine</h2>");
    let groups: [(&str, &str, &BTreeMap<String, u64>); 5] = [
        ("year", "Year", &r.facets.year),
        ("kind", "Kind", &r.facets.kind),
        ("from", "From", &r.facets.from),
        ("to", "To", &r.facets.to),
        ("people", "People mentioned", &r.facets.people),
    ];
    for (facet, label, values) in groups {
        if values.is_empty() {
            continue;
        }
        let mut v: Vec<(&String, &u64)> = values.iter().collect();
        // Years in order; the rest by count.
        if facet != "year" {
            v.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        }
        out.push_str(&format!(
            "<section data-facet=\"{facet}\"><h3>{label}</h3><ul>"
        ));
        for (value, n) in v {
            match facet_clause(facet, value) {
                Some(clause) => out.push_str(&format!(
                    "<li><a href=\"{}\">{}</a> <span class=\"n\">{n}</span></li>",
                    esc(&search_url(&format!("{q} {clause}"), 1)),
                    esc(value)
                )),
                None => out.push_str(&format!(
                    "<li>{} <span class=\"n\">{n}</span></li>",
                    esc(value)
                )),
            }
        }
        out.push_str("</ul></section>");
    }
    out.push_str("</aside>");
    out
}

fn pager(q: &str, page: usize, total: u64) -> String {
    let pages = (total as usize).div_ceil(PAGE_SIZE).max(1);
    if pages <= 1 {
        return String::new();
    }
    let mut out = String::from("<nav class=\"pages\" aria-label=\"Result pages\">");
    if page > 1 {
        out.push_str(&format!(
            "<a rel=\"prev\" href=\"{}\">← Previous</a> ",
            esc(&search_url(q, page - 1))
        ));
    }
    let from = page.saturating_sub(PAGER_SPAN).max(1);
    let to = (page + PAGER_SPAN).min(pages);
    for p in from..=to {
        if p == page {
            out.push_str(&format!("<strong aria-current=\"page\">{p}</strong> "));
        } else {
            out.push_str(&format!("<a href=\"{}\">{p}</a> ", esc(&search_url(q, p))));
        }
    }
    if page < pages {
        out.push_str(&format!(
            "<a rel=\"next\" href=\"{}\">Next →</a>",
            esc(&search_url(q, page + 1))
        ));
    }
    out.push_str("</nav>");
    out
}

/// The search page.
pub async fn page(
    State(site): State<Arc<Site>>,
    scope: Scope,
    Query(p): Query<SearchParams>,
) -> Response {
    let q = p.query();
    let page = p.page();
    let title = if q.is_empty() {
        "Search".to_string()
    } else {
        format!("Search: {q}")
    };
    let mut body = format!("<h1>Search</h1>{}", form(&q));
    if q.is_empty() {
        return Html(html::page_for(&scope, &site.title, &title, &body)).into_response();
    }
    let offset = (page - 1).saturating_mul(PAGE_SIZE).min(MAX_WEB_DEPTH);
    let r = match run(&site, &scope, &q, offset, PAGE_SIZE, Mark::Html).await {
        Ok(r) => r,
        Err(SearchFailure::Busy) => return crate::pool::busy_page(&site.title),
        Err(f) => {
            body.push_str(&format!(
                "<pre class=\"error\" role=\"alert\">{}</pre>",
                esc(&f.message())
            ));
            return (
                f.status(),
                Html(html::page_for(&scope, &site.title, &title, &body)),
            )
                .into_response();
        }
    };
    if p.cut() {
        body.push_str(&format!(
            "<p class=\"notice\" role=\"status\">The query was longer than {MAX_QUERY} characters; \
             only its first {MAX_QUERY} were searched.</p>"
        ));
    }
    if r.total == 0 {
        body.push_str("<p class=\"count\">No documents match.</p>");
        return Html(html::page_for(&scope, &site.title, &title, &body)).into_response();
    }
    body.push_str(&format!(
        "<p class=\"count\">{} documents match{}; {}–{} shown.</p>",
        r.total,
        if r.partial {
            " (the search stopped at its time limit: counts are partial)"
        } else {
            ""
        },
        offset + 1,
        offset + r.hits.len()
    ));
    body.push_str("<div class=\"results\"><ol class=\"hits\" start=\"");
    body.push_str(&(offset + 1).to_string());
    body.push_str("\">");
    for h in &r.hits {
        let date = h.date.as_deref().unwrap_or("undated");
        // The snippet comes from fond-search already escaped, with
        // `<mark>` around the matched words (Mark::Html).
        body.push_str(&format!(
            "<li class=\"hit\"><a href=\"/doc/{}\">{}</a> <span class=\"meta\">{} · {}</span>\
             <p class=\"snippet\">{}</p></li>",
            url_id(&h.id),
            esc(&h.title),
            esc(&h.kind),
            esc(date),
            h.snippet
        ));
    }
    body.push_str("</ol>");
    body.push_str(&facets_html(&q, &r));
    body.push_str("</div>");
    body.push_str(&pager(&q, page, r.total));
    Html(html::page_for(&scope, &site.title, &title, &body)).into_response()
}

fn api_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({"error": {"status": status.as_u16(), "message": message}})),
    )
        .into_response()
}

/// `/api/v1/search?q=…&page=…&limit=…`: the same JSON as `fond search
/// --json` (`total`, `hits`, `facets`), plus the page asked for.
pub async fn api(
    State(site): State<Arc<Site>>,
    scope: Scope,
    Query(p): Query<SearchParams>,
) -> Response {
    let q = p.query();
    if q.is_empty() {
        return api_error(StatusCode::BAD_REQUEST, "give a query: ?q=…");
    }
    let limit = p.limit(PAGE_SIZE, MAX_API_LIMIT);
    let page = p.page();
    let offset = (page - 1).saturating_mul(limit).min(MAX_WEB_DEPTH);
    match run(&site, &scope, &q, offset, limit, Mark::Guillemets).await {
        Ok(r) => {
            // Never silently: the query searched is not the one given.
            let notice = p.cut().then(|| {
                format!(
                    "the query was longer than {MAX_QUERY} characters; only its first {MAX_QUERY} were searched"
                )
            });
            Json(crate::contract::SearchPage {
                results: &r,
                page,
                limit,
                query: &q,
                query_cut: p.cut().then_some(true),
                notice,
            })
            .into_response()
        }
        Err(f @ SearchFailure::Busy) => {
            let mut r = api_error(f.status(), &f.message());
            r.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static(crate::pool::RETRY_AFTER_SECONDS),
            );
            r
        }
        Err(f) => api_error(f.status(), &f.message()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(url_param("a b"), "a+b");
        assert_eq!(url_param("from:\"Stalin\""), "from%3A%22Stalin%22");
        assert_eq!(url_param("Бу"), "%D0%91%D1%83");
        assert_eq!(url_param("x&page=9"), "x%26page%3D9");
    }

    #[test]
    fn facets_become_clauses() {
        assert_eq!(facet_clause("year", "1929").as_deref(), Some("year:1929"));
        assert_eq!(facet_clause("year", "undated"), None);
        assert_eq!(
            facet_clause("people", "Bukharin, N. I.").as_deref(),
            Some("mentions:\"Bukharin, N. I.\"")
        );
        assert_eq!(
            facet_clause("to", "say \"hi\"").as_deref(),
            Some("to:\"say hi\"")
        );
    }

    #[test]
    fn pages_are_bounded() {
        let p = SearchParams {
            q: Some("x".repeat(10_000)),
            page: Some("0".into()),
            limit: Some("100000".into()),
        };
        assert_eq!(p.query().chars().count(), MAX_QUERY);
        assert_eq!(p.page(), 1);
        assert_eq!(p.limit(10, MAX_API_LIMIT), MAX_API_LIMIT);
        assert!(pager("q", 1, 5).is_empty());
        let nav = pager("q", 3, 95);
        assert!(nav.contains("page=2") && nav.contains("page=7") && !nav.contains("page=8"));
    }
}
