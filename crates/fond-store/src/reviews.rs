//! The review queue: the editors' decisions on the findings of `fond
//! check`, kept by what each finding is about.
//!
//! Findings are derived: every re-derivation makes them afresh, with line
//! numbers that move when a source changes elsewhere. A decision is the
//! editors' and outlives them, so it is keyed by what the finding is about
//! ([`finding_key`]): its kind, its document, its message, and the text of
//! the source line it points at. The same sources give the same keys (the
//! decision holds across re-ingest); a change of what the finding concerns
//! gives another key, and the finding is back in the queue.

use crate::error::Fail;
use crate::StoreError;
use fond_model::Finding;
use rusqlite::{params, Connection, TransactionBehavior};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// An editor's decision on a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// The engine's guess is confirmed.
    Accept,
    /// Not a problem, for the reason given.
    Dismiss,
    /// The decision taken back: the finding is in the queue again.
    Reopen,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Accept => "accept",
            Decision::Dismiss => "dismiss",
            Decision::Reopen => "reopen",
        }
    }

    pub fn parse(s: &str) -> Option<Decision> {
        [Decision::Accept, Decision::Dismiss, Decision::Reopen]
            .into_iter()
            .find(|d| d.as_str() == s)
    }
}

/// One decision as the archive keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    /// What the finding is about ([`finding_key`]).
    pub key: String,
    /// The finding's kind, document and message when it was decided.
    pub kind: String,
    pub document: Option<String>,
    pub message: String,
    pub decision: Decision,
    pub why: String,
    pub who: String,
    /// RFC 3339, UTC.
    pub at: String,
}

/// A finding of the queue, with its key and the decision in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueItem {
    pub key: String,
    pub finding: Finding,
    /// The document's collection, when the finding names a document the
    /// edition holds.
    pub collection: Option<String>,
    /// `None`: waiting for an editor.
    pub review: Option<Review>,
}

/// Which findings [`crate::Archive::review_queue`] lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    /// A finding kind as written (`no-date`).
    pub kind: Option<String>,
    /// The collection of the finding's document.
    pub collection: Option<String>,
    /// `Some(false)`: only findings waiting for a decision; `Some(true)`:
    /// only decided ones.
    pub reviewed: Option<bool>,
}

/// FNV-1a, 64 bits: a stable hash written here (a key needs no
/// cryptography, and the same text must give the same key in every build).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// What a finding is about, as a short key (`f` and 12 hex digits): its
/// kind, its document, its message and `line_text`, the text of the
/// source line it points at (trimmed). The line number is left out: an
/// edit above the line moves it without changing what the finding is
/// about.
pub fn finding_key(f: &Finding, line_text: &str) -> String {
    let h = fnv1a(&[
        f.kind.as_str(),
        f.document.as_deref().unwrap_or(""),
        &f.message,
        line_text.trim(),
    ]);
    format!("f{:012x}", h >> 16)
}

/// Each finding with its key, the source lines read from the stored
/// sources.
fn keyed(conn: &Connection, findings: Vec<Finding>) -> Result<Vec<(String, Finding)>, Fail> {
    let wanted: HashSet<&str> = findings.iter().map(|f| f.source.as_str()).collect();
    let mut texts: HashMap<String, String> = HashMap::new();
    {
        let mut st = conn.prepare_cached("SELECT name, text FROM sources")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let name: String = r.get(0)?;
            if wanted.contains(name.as_str()) {
                texts.insert(name, r.get(1)?);
            }
        }
    }
    // Lines are 1-based; each source's lines split once.
    let lines: HashMap<&str, Vec<&str>> = texts
        .iter()
        .map(|(n, t)| (n.as_str(), t.lines().collect()))
        .collect();
    Ok(findings
        .into_iter()
        .map(|f| {
            let line = lines
                .get(f.source.as_str())
                .and_then(|ls| (f.line as usize).checked_sub(1).and_then(|i| ls.get(i)))
                .copied()
                .unwrap_or("");
            (finding_key(&f, line), f)
        })
        .collect())
}

/// The decisions in force, by key (a reopened finding has none).
fn in_force(conn: &Connection) -> Result<HashMap<String, Review>, Fail> {
    let mut out = HashMap::new();
    for r in history(conn)? {
        if r.decision == Decision::Reopen {
            out.remove(&r.key);
        } else {
            out.insert(r.key.clone(), r);
        }
    }
    Ok(out)
}

/// Every decision ever recorded, oldest first.
pub(crate) fn history(conn: &Connection) -> Result<Vec<Review>, Fail> {
    let mut st = conn.prepare_cached(
        "SELECT key, kind, document, message, decision, why, who, at FROM reviews ORDER BY seq",
    )?;
    let mut rows = st.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let decision: String = r.get(4)?;
        let decision = Decision::parse(&decision)
            .ok_or_else(|| Fail::Corrupt(format!("reviews: decision \"{decision}\"")))?;
        out.push(Review {
            key: r.get(0)?,
            kind: r.get(1)?,
            document: r.get(2)?,
            message: r.get(3)?,
            decision,
            why: r.get(5)?,
            who: r.get(6)?,
            at: r.get(7)?,
        });
    }
    Ok(out)
}

/// The decisions in force, in the order they were made.
pub(crate) fn current(conn: &Connection) -> Result<Vec<Review>, Fail> {
    let force = in_force(conn)?;
    let mut out: Vec<Review> = force.into_values().collect();
    out.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.key.cmp(&b.key)));
    Ok(out)
}

/// The stored findings and `extra` ones (derived elsewhere, such as the
/// names the linker could not decide), filtered, each with its key,
/// collection and decision.
pub(crate) fn queue(
    conn: &Connection,
    mut findings: Vec<Finding>,
    extra: Vec<Finding>,
    filter: &QueueFilter,
) -> Result<Vec<QueueItem>, Fail> {
    findings.extend(extra);
    if let Some(k) = &filter.kind {
        findings.retain(|f| f.kind.as_str() == k);
    }
    let collections: HashMap<String, String> = conn
        .prepare_cached("SELECT id, collection FROM documents")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let force = in_force(conn)?;
    let mut out = Vec::new();
    for (key, finding) in keyed(conn, findings)? {
        let collection = finding
            .document
            .as_ref()
            .and_then(|d| collections.get(d))
            .cloned();
        if filter.collection.is_some() && collection != filter.collection {
            continue;
        }
        let review = force.get(&key).cloned();
        if filter.reviewed.is_some_and(|want| want != review.is_some()) {
            continue;
        }
        out.push(QueueItem {
            key,
            finding,
            collection,
            review,
        });
    }
    Ok(out)
}

/// Appends a decision. A dismissal needs a reason; every decision needs
/// who made it.
pub(crate) fn decide(conn: &mut Connection, r: &Review) -> Result<(), Fail> {
    let bad = |m: &str| Err(Fail::Store(StoreError::BadSetting(m.to_string())));
    if r.key.trim().is_empty() {
        return bad("a review names the finding's key (`fond check` shows it)");
    }
    if r.decision == Decision::Dismiss && r.why.trim().is_empty() {
        return bad(
            "say why the finding is dismissed (--why \"…\"): it goes into the review's record",
        );
    }
    if r.who.trim().is_empty() {
        return bad("say who reviews");
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT INTO reviews (key, kind, document, message, decision, why, who, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            r.key,
            r.kind,
            r.document,
            r.message,
            r.decision.as_str(),
            r.why,
            r.who,
            r.at
        ],
    )?;
    tx.commit()?;
    Ok(())
}
