//! The witnesses of a document side by side (`/witnesses/{id}`): the
//! collation (fond-collate) cut into aligned rows, one column per witness,
//! each difference marked with its kind and a number it carries in every
//! column, so the eye can go across. Read without scripts; `?trivial=hide`
//! leaves spacing, punctuation, case and spelling unmarked.

use crate::html::{self, esc, url_id};
use crate::{Scope, Site};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use fond_collate::{align, tokenize, Table, Token, Witness};
use serde::Deserialize;
use std::sync::Arc;

/// At most this many witnesses are set side by side.
const MAX_WITNESSES: usize = 4;
const SIGLA: [&str; MAX_WITNESSES] = ["A", "B", "C", "D"];
/// A row closes after this many characters of the first witness, at the
/// next place where the witnesses agree.
const ROW_CHARS: usize = 400;

#[derive(Debug, Default, Deserialize)]
pub struct WitnessParams {
    pub trivial: Option<String>,
}

/// The aligned rows: for each row, each witness's text as HTML.
pub fn rows(table: &Table, hide_trivial: bool) -> Vec<Vec<String>> {
    let n = table.witnesses.len();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row: Vec<String> = vec![String::new(); n];
    let mut length = 0usize;
    let mut number = 0usize;
    for col in &table.columns {
        let marked = col.variant.is_some() && (col.substantive || !hide_trivial);
        if marked {
            number += 1;
        }
        for (w, reading) in col.readings.iter().enumerate().take(n) {
            let text = esc(&reading.text);
            let cell = &mut row[w];
            if !cell.is_empty() && !reading.text.is_empty() {
                cell.push(' ');
            }
            if marked {
                let kind = col.variant.map(|v| v.as_str()).unwrap_or("variant");
                let class = if col.substantive { "sub" } else { "triv" };
                let shown = if reading.text.is_empty() {
                    "∅".to_string()
                } else {
                    text
                };
                cell.push_str(&format!(
                    "<span class=\"var {class}\" title=\"{kind}\"><sup>{number}</sup>{shown}</span>"
                ));
            } else {
                cell.push_str(&text);
            }
        }
        if let Some(first) = col.readings.first() {
            length += first.text.chars().count();
        }
        if col.variant.is_none() && length >= ROW_CHARS {
            rows.push(std::mem::replace(&mut row, vec![String::new(); n]));
            length = 0;
        }
    }
    if row.iter().any(|c| !c.is_empty()) {
        rows.push(row);
    }
    rows
}

/// The witnesses page. The alignment is the expensive part of the reading
/// room: it runs on the bounded pool, never on the async workers, and the
/// page it gives is cached, so a document read often is aligned once.
pub async fn page(
    State(site): State<Arc<Site>>,
    scope: Scope,
    Path(id): Path<String>,
    Query(p): Query<WitnessParams>,
) -> Response {
    let hide_trivial = p.trivial.as_deref() == Some("hide");
    // A document the request may not see answers as a missing one; the
    // check comes before the cache, which holds every viewer's pages.
    if site.document(&scope, &id).is_none() {
        return (
            StatusCode::NOT_FOUND,
            Html(html::page(
                &site.title,
                "Not found",
                "<h1>Not found</h1><p>No such document in this archive.</p>",
            )),
        )
            .into_response();
    }
    if let Some(page) = site.cached_collation(&id, hide_trivial) {
        return Html(page.as_str().to_string()).into_response();
    }
    let job = {
        let (site, id) = (site.clone(), id.clone());
        move || render(&site, &scope, &id, hide_trivial)
    };
    match site.heavy.run(None, job).await {
        Ok((status, page)) => {
            let page = Arc::new(page);
            if status == StatusCode::OK {
                site.cache_collation(&id, hide_trivial, page.clone());
            }
            (status, Html(page.as_str().to_string())).into_response()
        }
        Err(crate::pool::Refused::Failed) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        Err(_) => crate::pool::busy_page(&site.title),
    }
}

/// The page of a document's witnesses aligned (blocking work).
fn render(site: &Site, scope: &Scope, id: &str, hide_trivial: bool) -> (StatusCode, String) {
    let Some(d) = site.document(scope, id) else {
        return (
            StatusCode::NOT_FOUND,
            html::page(
                &site.title,
                "Not found",
                "<h1>Not found</h1><p>No such document in this archive.</p>",
            ),
        );
    };
    let mut body = format!(
        "<h1>{}: the witnesses</h1><p><a href=\"/doc/{}\">← the edition text</a></p>",
        esc(&d.title),
        url_id(&d.id)
    );
    if d.witnesses.len() < 2 {
        body.push_str("<p>This document has one witness only.</p>");
        return (StatusCode::OK, html::page(&site.title, &d.title, &body));
    }
    let witnesses = &d.witnesses[..d.witnesses.len().min(MAX_WITNESSES)];
    let tokens: Vec<Vec<Token>> = witnesses
        .iter()
        .map(|w| tokenize(&w.reading_text()))
        .collect();
    let refs: Vec<&[Token]> = tokens.iter().map(Vec::as_slice).collect();
    let sigla: Vec<Witness> = tokens
        .iter()
        .zip(SIGLA)
        .map(|(t, s)| Witness::new(s, t))
        .collect();
    let table = match align(&refs).and_then(|al| al.table(&sigla)) {
        Ok(t) => t,
        Err(e) => {
            body.push_str(&format!(
                "<p class=\"error\">The witnesses could not be aligned: {}</p>",
                esc(&e.to_string())
            ));
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                html::page(&site.title, &d.title, &body),
            );
        }
    };
    let substantive = table.columns.iter().filter(|c| c.substantive).count();
    let trivial = table
        .columns
        .iter()
        .filter(|c| c.variant.is_some() && !c.substantive)
        .count();
    let base = format!("/witnesses/{}", url_id(&d.id));
    body.push_str(&format!(
        "<p>{substantive} differences of text (marked <span class=\"var sub\">so</span>) and \
         {trivial} of spelling, case, spacing or punctuation (<span class=\"var triv\">so</span>). {}</p>",
        if hide_trivial {
            format!("<a href=\"{base}\">Mark them all</a>.")
        } else {
            format!("<a href=\"{base}?trivial=hide\">Mark differences of text only</a>.")
        }
    ));
    body.push_str("<table class=\"sbs\"><thead><tr>");
    for (w, s) in witnesses.iter().zip(SIGLA) {
        body.push_str(&format!(
            "<th>{s}: {} <span class=\"meta\">{}, lines {}–{}</span></th>",
            esc(&w.label),
            esc(&w.source),
            w.first_line,
            w.last_line
        ));
    }
    body.push_str("</tr></thead><tbody>");
    for row in rows(&table, hide_trivial) {
        body.push_str("<tr>");
        for cell in row {
            body.push_str(&format!("<td>{cell}</td>"));
        }
        body.push_str("</tr>");
    }
    body.push_str("</tbody></table>");
    (
        StatusCode::OK,
        html::page(&site.title, &format!("{}: witnesses", d.title), &body),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(a: &str, b: &str) -> Table {
        let ta = tokenize(a);
        let tb = tokenize(b);
        let al = align(&[&ta, &tb]).expect("aligns");
        al.table(&[Witness::new("A", &ta), Witness::new("B", &tb)])
            .expect("table")
    }

    #[test]
    fn differences_carry_one_number_across_the_columns() {
        let t = table(
            "They have been given due punishment, said Com. Stalin.",
            "They have been duly punished, said Comrade Stalin.",
        );
        let r = rows(&t, false);
        assert_eq!(r.len(), 1);
        let (a, b) = (&r[0][0], &r[0][1]);
        assert!(a.contains("<sup>1</sup>"), "{a}");
        assert!(b.contains("<sup>1</sup>"), "{b}");
        assert!(a.contains("class=\"var sub\""), "{a}");
        assert!(a.starts_with("They have been"), "{a}");
    }

    #[test]
    fn trivial_differences_can_be_left_unmarked_and_text_is_escaped() {
        let t = table(
            "<b>grain</b> Shkiriatov said",
            "<b>grain</b> Shkiriakov said",
        );
        let all = rows(&t, false);
        assert!(all[0][0].contains("class=\"var triv\""), "{:?}", all);
        assert!(all[0][0].contains("&lt;b&gt;"), "{:?}", all);
        let text_only = rows(&t, true);
        assert!(!text_only[0][0].contains("class=\"var"), "{:?}", text_only);
    }
}
