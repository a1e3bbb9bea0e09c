//! Keyword in context: every occurrence of a term in the documents a query
//! selects, with its left and right context, sortable, as CSV.

use crate::analysis::ScriptStemmer;
use crate::error::SearchError;
use crate::index::SearchIndex;
use crate::matcher::{word_forms, Matcher};
use crate::query::Scope;
use serde::Serialize;
use std::io::Write;
use tantivy::collector::TopDocs;
use tantivy::schema::Value;
use tantivy::TantivyDocument;

/// Most documents a concordance reads.
pub const MAX_KWIC_DOCS: usize = 10_000;
/// Most lines a concordance returns.
pub const MAX_KWIC_LINES: usize = 100_000;

/// How concordance lines are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KwicSort {
    /// By the words before the keyword, nearest first (the classic
    /// left-sorted concordance).
    Left,
    /// By the keyword and the words after it.
    Right,
    /// In edition order, then by place in the document.
    Doc,
}

/// One concordance line.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct KwicLine {
    pub id: String,
    /// `body` or `notes`.
    pub field: String,
    pub left: String,
    pub keyword: String,
    pub right: String,
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl SearchIndex {
    /// The concordance of `term`: a query in the query language whose words
    /// are the keywords (`grain`, `"grain procurements"`, `Bukh*`,
    /// `Бухарин`), and whose fields select the documents (`grain
    /// year:1929`). `width` is the context on each side, in characters.
    pub fn kwic(
        &self,
        term: &str,
        sort: KwicSort,
        width: usize,
    ) -> Result<Vec<KwicLine>, SearchError> {
        let (parsed, q) = self.compile(term)?;
        let matcher = Matcher::new(&parsed, self.variants());
        let searcher = self.searcher();
        let top = searcher.search(&q, &TopDocs::with_limit(MAX_KWIC_DOCS).order_by_score())?;
        let f = *self.fields();
        let fields = match parsed.scope {
            Scope::Notes => vec![(f.notes, "notes")],
            Scope::Body => vec![(f.body, "body")],
            _ => vec![(f.body, "body"), (f.notes, "notes")],
        };
        let stemmer = ScriptStemmer::default();
        // (edition order, field rank, offset) for the document sort.
        let mut lines: Vec<((u64, usize, usize), KwicLine)> = Vec::new();
        'docs: for (_, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let id = self.stored_id(&doc);
            let order = doc
                .get_first(f.order)
                .and_then(|v| v.as_u64())
                .unwrap_or(u64::MAX);
            for (rank, (field, name)) in fields.iter().enumerate() {
                let text = self.stored_text(&doc, *field);
                let words = word_forms(&text, &stemmer);
                for (a, b) in matcher.find(&words) {
                    let (from, to) = (words[a].from, words[b - 1].to);
                    let left: String = {
                        let l: Vec<char> = text[..from].chars().collect();
                        l[l.len().saturating_sub(width)..].iter().collect()
                    };
                    let right: String = text[to..].chars().take(width).collect();
                    lines.push((
                        (order, rank, from),
                        KwicLine {
                            id: id.clone(),
                            field: (*name).to_string(),
                            left: one_line(&left),
                            keyword: one_line(&text[from..to]),
                            right: one_line(&right),
                        },
                    ));
                    if lines.len() >= MAX_KWIC_LINES {
                        break 'docs;
                    }
                }
            }
        }
        match sort {
            KwicSort::Doc => lines.sort_by_key(|l| l.0),
            KwicSort::Left => lines.sort_by_cached_key(|(k, l)| {
                let rev: String = l.left.to_lowercase().chars().rev().collect();
                (rev, l.keyword.to_lowercase(), *k)
            }),
            KwicSort::Right => lines.sort_by_cached_key(|(k, l)| {
                (l.keyword.to_lowercase(), l.right.to_lowercase(), *k)
            }),
        }
        Ok(lines.into_iter().map(|(_, l)| l).collect())
    }
}

/// Writes concordance lines as CSV (RFC 4180, the `csv` crate): a header,
/// then one row per line: `id,field,left,keyword,right`. The contexts are
/// made one line each with single spaces and nothing at either end, so
/// quoting by the crate's rule (a comma, a quote or a line break) loses
/// nothing.
pub fn write_kwic_csv(lines: &[KwicLine], out: &mut dyn Write) -> Result<(), SearchError> {
    let io = |e: csv::Error| SearchError::Output(std::io::Error::other(e));
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["id", "field", "left", "keyword", "right"])
        .map_err(io)?;
    for l in lines {
        w.write_record([&l.id, &l.field, &l.left, &l.keyword, &l.right])
            .map_err(io)?;
    }
    w.flush().map_err(SearchError::Output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_it() {
        let lines = vec![KwicLine {
            id: "letters-to-molotov/57".into(),
            field: "body".into(),
            left: "said, \"the".into(),
            keyword: "grain".into(),
            right: "question".into(),
        }];
        let mut out = Vec::new();
        write_kwic_csv(&lines, &mut out).unwrap_or_else(|e| panic!("{e}"));
        let s = String::from_utf8_lossy(&out);
        assert_eq!(
            s,
            "id,field,left,keyword,right\nletters-to-molotov/57,body,\"said, \"\"the\",grain,question\n"
        );
    }
}
