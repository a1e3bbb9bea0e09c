//! Reading the archive back.
//!
//! Documents are read from the `model` column (the full serde JSON), never
//! reassembled from the relational projections: that way what fond shows is
//! exactly what it derived, and the projections can evolve for SQL users
//! without risk to the edition. SQL does the coarse selection (kind,
//! collection, year via indexed columns); the exact tests that SQLite cannot
//! do faithfully (Unicode case-insensitive name matching, dates outside
//! four-digit years) are done here in Rust.

use crate::error::Fail;
use crate::{Counts, DocFilter, StoredSource};
use fond_model::{Day, DocKind, Document, Finding, FindingKind, HistDate, Source, SourceShape};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection, OptionalExtension, Row};
use std::collections::HashMap;

/// A `sources` row as SQLite gives it, before its shape and size are
/// checked (which a row-mapping closure cannot report as a [`Fail`]).
struct RawSource {
    name: String,
    sha256: String,
    shape: String,
    title: String,
    bytes: i64,
    lines: u32,
}

fn raw_source(r: &Row<'_>) -> Result<RawSource, rusqlite::Error> {
    Ok(RawSource {
        name: r.get(0)?,
        sha256: r.get(1)?,
        shape: r.get(2)?,
        title: r.get(3)?,
        bytes: r.get(4)?,
        lines: r.get(5)?,
    })
}

impl RawSource {
    fn into_source(self) -> Result<Source, Fail> {
        let shape: SourceShape = serde_json::from_value(serde_json::Value::String(
            self.shape.clone(),
        ))
        .map_err(|_| {
            Fail::Corrupt(format!(
                "source \"{}\" has unknown shape \"{}\"",
                self.name, self.shape
            ))
        })?;
        let bytes = u64::try_from(self.bytes).map_err(|_| {
            Fail::Corrupt(format!("source \"{}\" has size {}", self.name, self.bytes))
        })?;
        Ok(Source {
            name: self.name,
            sha256: self.sha256,
            shape,
            title: self.title,
            bytes,
            lines: self.lines,
        })
    }
}

pub(crate) fn sources(conn: &Connection) -> Result<Vec<Source>, Fail> {
    let mut st = conn.prepare_cached(
        "SELECT name, sha256, shape, title, bytes, lines FROM sources ORDER BY seq, name",
    )?;
    let rows = st.query_map([], raw_source)?;
    let mut out = Vec::new();
    for r in rows {
        out.push(r?.into_source()?);
    }
    Ok(out)
}

pub(crate) fn stored_sources(conn: &Connection) -> Result<Vec<StoredSource>, Fail> {
    let mut st = conn.prepare_cached(
        "SELECT name, sha256, shape, title, bytes, lines, text FROM sources ORDER BY seq, name",
    )?;
    let rows = st.query_map([], |r| Ok((raw_source(r)?, r.get::<_, String>(6)?)))?;
    let mut out = Vec::new();
    for r in rows {
        let (raw, text) = r?;
        out.push(StoredSource {
            source: raw.into_source()?,
            text,
        });
    }
    Ok(out)
}

pub(crate) fn fingerprint(conn: &Connection) -> Result<Option<String>, Fail> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = 'fingerprint'")?
        .query_row([], |r| r.get(0))
        .optional()?)
}

/// A stored source's text with the byte offset of each line's start, so
/// that cutting out a witness costs the witness's length, not the
/// source's: an archive of one source with tens of thousands of letters
/// decodes in linear time.
pub(crate) struct LinedText {
    text: String,
    starts: Vec<usize>,
}

impl LinedText {
    pub(crate) fn new(text: String) -> LinedText {
        // Line starts as `str::lines` sees them: a final newline does not
        // begin another line.
        let mut starts = Vec::new();
        if !text.is_empty() {
            starts.push(0);
        }
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' && i + 1 < text.len() {
                starts.push(i + 1);
            }
        }
        work::add(text.len() as u64);
        LinedText { text, starts }
    }

    /// Line `i` (0-based) without its terminator (`\n` or `\r\n`).
    fn line(&self, i: usize) -> &str {
        let start = self.starts[i];
        // The line's `\n`, if it has one (only the last may not).
        let newline = match self.starts.get(i + 1) {
            Some(&next) => Some(next - 1),
            None => self.text.ends_with('\n').then(|| self.text.len() - 1),
        };
        match newline {
            Some(nl) => {
                let line = &self.text[start..nl];
                line.strip_suffix('\r').unwrap_or(line)
            }
            None => &self.text[start..],
        }
    }

    /// Lines `first..=last` (1-based) joined by `\n`: what
    /// `text.lines().skip(first - 1).take(..)` gives.
    pub(crate) fn span(&self, first: u32, last: u32) -> String {
        let from = first.saturating_sub(1) as usize;
        let to = (last as usize).min(self.starts.len());
        let mut out = String::new();
        for i in from..to.max(from) {
            if i > from {
                out.push('\n');
            }
            let l = self.line(i);
            work::add(l.len() as u64 + 1);
            out.push_str(l);
        }
        out
    }
}

/// A per-thread count of the bytes decoding went through: the linear-work
/// tests compare it across input sizes (a count, not a clock).
pub(crate) mod work {
    use std::cell::Cell;

    thread_local! {
        static BYTES: Cell<u64> = const { Cell::new(0) };
    }

    pub(crate) fn add(n: u64) {
        BYTES.with(|b| b.set(b.get().saturating_add(n)));
    }

    /// The count so far on this thread.
    #[cfg(test)]
    pub fn count() -> u64 {
        BYTES.with(|b| b.get())
    }
}

fn decode_document(
    conn: &Connection,
    id: &str,
    model: &str,
    sources: &mut HashMap<String, Option<LinedText>>,
) -> Result<Document, Fail> {
    work::add(model.len() as u64);
    let mut d: Document = serde_json::from_str(model)
        .map_err(|e| Fail::Corrupt(format!("document \"{id}\" does not decode: {e}")))?;
    if d.id != id {
        return Err(Fail::Corrupt(format!(
            "row \"{id}\" holds document \"{}\"",
            d.id
        )));
    }
    // A witness's text is its line span of the stored source: kept once,
    // in `sources`, and cut out again here.
    for w in &mut d.witnesses {
        if !sources.contains_key(&w.source) {
            let text: Option<String> = conn
                .prepare_cached("SELECT text FROM sources WHERE name = ?1")?
                .query_row([&w.source], |r| r.get(0))
                .optional()?;
            sources.insert(w.source.clone(), text.map(LinedText::new));
        }
        if let Some(Some(text)) = sources.get(&w.source) {
            w.text = text.span(w.first_line, w.last_line);
        }
    }
    Ok(d)
}

pub(crate) fn document(conn: &Connection, id: &str) -> Result<Option<Document>, Fail> {
    let model: Option<String> = conn
        .prepare_cached("SELECT model FROM documents WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    model
        .map(|m| decode_document(conn, id, &m, &mut HashMap::new()))
        .transpose()
}

/// Case-insensitive substring test on names. `to_lowercase` is Unicode
/// aware (Cyrillic names match whatever their case), which SQLite's
/// `lower()` is not.
fn any_name_contains(names_json: &str, needle_lower: &str, id: &str) -> Result<bool, Fail> {
    let names: Vec<String> = serde_json::from_str(names_json)
        .map_err(|e| Fail::Corrupt(format!("names of document \"{id}\" do not decode: {e}")))?;
    Ok(names
        .iter()
        .any(|n| n.to_lowercase().contains(needle_lower)))
}

/// The whole calendar year as an interval.
fn year_interval(year: i32) -> HistDate {
    HistDate {
        earliest: Some(Day::first_of_month(year, 1)),
        latest: Some(Day::last_of_month(year, 12)),
        ..HistDate::undetermined("")
    }
}

pub(crate) fn documents(conn: &Connection, filter: &DocFilter) -> Result<Vec<Document>, Fail> {
    let mut conds: Vec<&str> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    if let Some(k) = filter.kind {
        conds.push("kind = ?");
        args.push(Value::Text(k.as_str().to_string()));
    }
    if let Some(c) = &filter.collection {
        conds.push("collection = ?");
        args.push(Value::Text(c.clone()));
    }
    if let Some(y) = filter.year {
        // A document with no interval at all does not match a year; an
        // interval with open ends reaches as far as it is open.
        conds.push("date_edtf IS NOT NULL");
        // ISO days compare as text only while years have four digits
        // (including `-001`-style negative years, which still sort first).
        // Rows of any other width pass this coarse test and are decided
        // exactly below, so nothing is lost.
        if (0..=9999).contains(&y) {
            conds.push(
                "(date_earliest IS NULL OR length(date_earliest) <> 10 OR date_earliest <= ?)",
            );
            args.push(Value::Text(format!("{y:04}-12-31")));
            conds.push("(date_latest IS NULL OR length(date_latest) <> 10 OR date_latest >= ?)");
            args.push(Value::Text(format!("{y:04}-01-01")));
        }
    }
    let mut sql = String::from("SELECT id, senders, addressees, model FROM documents");
    if !conds.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&conds.join(" AND "));
    }
    sql.push_str(" ORDER BY ord, id");

    let from = filter.from.as_ref().map(|s| s.to_lowercase());
    let to = filter.to.as_ref().map(|s| s.to_lowercase());
    let year = filter.year.map(year_interval);

    let mut sources: HashMap<String, Option<LinedText>> = HashMap::new();
    let mut st = conn.prepare_cached(&sql)?;
    let mut rows = st.query(params_from_iter(args))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        // Names are checked on their small JSON columns before the (much
        // larger) model is decoded.
        if let Some(needle) = &from {
            if !any_name_contains(&r.get::<_, String>(1)?, needle, &id)? {
                continue;
            }
        }
        if let Some(needle) = &to {
            if !any_name_contains(&r.get::<_, String>(2)?, needle, &id)? {
                continue;
            }
        }
        let d = decode_document(conn, &id, &r.get::<_, String>(3)?, &mut sources)?;
        if let Some(y) = &year {
            // An undetermined date is no evidence of any year: a historian
            // asking for 1926 does not want every undated document.
            match &d.date.interval {
                Some(h) if h.precision != fond_model::Precision::Undetermined && h.overlaps(y) => {}
                _ => continue,
            }
        }
        out.push(d);
    }
    Ok(out)
}

pub(crate) fn findings(conn: &Connection) -> Result<Vec<Finding>, Fail> {
    let mut st = conn.prepare_cached(
        "SELECT seq, kind, source, line, document, message FROM findings ORDER BY seq",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            Finding {
                kind: FindingKind::Other,
                source: r.get(2)?,
                line: r.get(3)?,
                document: r.get(4)?,
                message: r.get(5)?,
            },
        ))
    })?;
    let mut out = Vec::new();
    for r in rows {
        let (seq, kind, mut f) = r?;
        f.kind = serde_json::from_value(serde_json::Value::String(kind.clone()))
            .map_err(|_| Fail::Corrupt(format!("finding {seq} has unknown kind \"{kind}\"")))?;
        out.push(f);
    }
    Ok(out)
}

fn count(conn: &Connection, sql: &str) -> Result<usize, Fail> {
    let n: i64 = conn.prepare_cached(sql)?.query_row([], |r| r.get(0))?;
    usize::try_from(n).map_err(|_| Fail::Corrupt(format!("negative count from {sql}")))
}

pub(crate) fn counts(conn: &Connection) -> Result<Counts, Fail> {
    let mut c = Counts::default();
    {
        let mut st = conn.prepare_cached("SELECT kind, count(*) FROM documents GROUP BY kind")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for r in rows {
            let (kind, n) = r?;
            let k = DocKind::parse(&kind)
                .ok_or_else(|| Fail::Corrupt(format!("documents of unknown kind \"{kind}\"")))?;
            let n = usize::try_from(n)
                .map_err(|_| Fail::Corrupt(format!("count {n} of kind {kind}")))?;
            c.documents.insert(k, n);
        }
    }
    c.notes = count(conn, "SELECT count(*) FROM notes")?;
    c.archival_refs = count(conn, "SELECT count(*) FROM archival_refs")?;
    c.witnesses = count(conn, "SELECT count(*) FROM witnesses")?;
    c.multi_witness_documents = count(
        conn,
        "SELECT count(*) FROM (SELECT doc_id FROM witnesses GROUP BY doc_id HAVING count(*) > 1)",
    )?;
    c.findings = count(conn, "SELECT count(*) FROM findings")?;
    c.sources = count(conn, "SELECT count(*) FROM sources")?;
    Ok(c)
}

/// What `fond list` shows of a document, read from the relational columns
/// without decoding the document's model: listing a large archive costs
/// its rows, not its texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRow {
    pub id: String,
    pub kind: String,
    pub date_written: Option<String>,
    pub date_editorial: Option<String>,
    pub senders: Vec<String>,
    pub addressees: Vec<String>,
    pub notes: usize,
}

impl ListRow {
    /// The row of a document already loaded.
    pub fn of(d: &Document) -> ListRow {
        ListRow {
            id: d.id.clone(),
            kind: d.kind.as_str().to_string(),
            date_written: d.date.written.clone(),
            date_editorial: d.date.editorial.clone(),
            senders: d.senders.clone(),
            addressees: d.addressees.clone(),
            notes: d.notes.len(),
        }
    }
}

pub(crate) fn list(conn: &Connection, filter: &DocFilter) -> Result<Vec<ListRow>, Fail> {
    // A year is decided on the decoded date (its precision and any year
    // width); the documents of one year are few, so that path decodes.
    if filter.year.is_some() {
        return Ok(documents(conn, filter)?.iter().map(ListRow::of).collect());
    }
    let mut conds: Vec<&str> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    if let Some(k) = filter.kind {
        conds.push("kind = ?");
        args.push(Value::Text(k.as_str().to_string()));
    }
    if let Some(c) = &filter.collection {
        conds.push("collection = ?");
        args.push(Value::Text(c.clone()));
    }
    let mut sql = String::from(
        "SELECT id, kind, date_written, date_editorial, senders, addressees,
                (SELECT COUNT(*) FROM notes WHERE notes.doc_id = documents.id)
         FROM documents",
    );
    if !conds.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&conds.join(" AND "));
    }
    sql.push_str(" ORDER BY ord, id");
    let from = filter.from.as_ref().map(|s| s.to_lowercase());
    let to = filter.to.as_ref().map(|s| s.to_lowercase());
    let names = |json: &str, id: &str| -> Result<Vec<String>, Fail> {
        serde_json::from_str(json)
            .map_err(|e| Fail::Corrupt(format!("names of document \"{id}\" do not decode: {e}")))
    };
    let mut st = conn.prepare_cached(&sql)?;
    let mut rows = st.query(params_from_iter(args))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let senders = names(&r.get::<_, String>(4)?, &id)?;
        let addressees = names(&r.get::<_, String>(5)?, &id)?;
        let has = |list: &[String], needle: &Option<String>| {
            needle
                .as_ref()
                .is_none_or(|n| list.iter().any(|x| x.to_lowercase().contains(n.as_str())))
        };
        if !has(&senders, &from) || !has(&addressees, &to) {
            continue;
        }
        let notes: i64 = r.get(6)?;
        out.push(ListRow {
            kind: r.get(1)?,
            date_written: r.get(2)?,
            date_editorial: r.get(3)?,
            senders,
            addressees,
            notes: usize::try_from(notes).unwrap_or(0),
            id,
        });
    }
    Ok(out)
}

/// The kind and date ends of every document of a collection, from the
/// columns (no document decoded).
pub(crate) fn collection_dates(
    conn: &Connection,
    collection: &str,
) -> Result<Vec<crate::DateEnds>, Fail> {
    let mut st = conn.prepare_cached(
        "SELECT kind, date_earliest, date_latest FROM documents WHERE collection = ?1",
    )?;
    let mut rows = st.query([collection])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let kind: String = r.get(0)?;
        let kind = DocKind::parse(&kind)
            .ok_or_else(|| Fail::Corrupt(format!("documents.kind \"{kind}\"")))?;
        let day = |i: usize| -> Result<Option<Day>, Fail> {
            let s: Option<String> = r.get(i)?;
            s.map(|s| {
                Day::parse_iso(&s)
                    .ok_or_else(|| Fail::Corrupt(format!("documents: the day \"{s}\"")))
            })
            .transpose()
        };
        out.push((kind, day(1)?, day(2)?));
    }
    Ok(out)
}
