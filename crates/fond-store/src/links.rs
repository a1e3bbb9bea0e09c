//! The linking stage's rows: authority records and mentions.
//!
//! The store does not know the authority's types (it depends on the model
//! only): records arrive as serde JSON with the columns one queries by, and
//! go back out the same way.

use crate::error::Fail;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

/// An authority record: a person, body or periodical.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityRow {
    /// `person`, `body` or `periodical`.
    pub kind: String,
    pub id: String,
    /// The name as printed.
    pub name: String,
    /// The full record as serde JSON.
    pub record: String,
}

/// A link from a span of a document's text to an entity.
#[derive(Debug, Clone, PartialEq)]
pub struct MentionRow {
    pub doc_id: String,
    /// `body`, `note:N`, `sender` or `addressee`.
    pub field: String,
    pub entity_kind: String,
    pub entity_id: String,
    /// Byte span in the field's text (for a party: its index in the list).
    pub start: u32,
    pub end: u32,
    pub surface: String,
    pub confidence: f64,
    pub resolved: bool,
    pub how: String,
    /// Every candidate when the name was ambiguous, as `kind:id`.
    pub candidates: Vec<String>,
}

pub(crate) fn replace_links(
    conn: &mut Connection,
    entities: &[EntityRow],
    mentions: &[MentionRow],
    fingerprint: &str,
    edition: Option<&str>,
) -> Result<(), Fail> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Links are derived from one edition: if another writer replaced it
    // meanwhile, these links would point into documents that are gone.
    if let Some(expected) = edition {
        if crate::read::fingerprint(&tx)?.as_deref() != Some(expected) {
            return Err(Fail::Changed);
        }
    }
    tx.execute_batch("DELETE FROM mentions; DELETE FROM entities;")?;
    {
        let mut ins = tx.prepare_cached(
            "INSERT INTO entities (kind, id, seq, name, record) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (i, e) in entities.iter().enumerate() {
            ins.execute(params![e.kind, e.id, i as i64 + 1, e.name, e.record])?;
        }
        let mut ins = tx.prepare_cached(
            "INSERT INTO mentions (doc_id, field, seq, entity_kind, entity_id, start, end, surface,
                                   confidence, resolved, how, candidates)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        for (i, m) in mentions.iter().enumerate() {
            let candidates = serde_json::to_string(&m.candidates).map_err(|e| {
                Fail::Corrupt(format!("candidates of a mention in \"{}\": {e}", m.doc_id))
            })?;
            ins.execute(params![
                m.doc_id,
                m.field,
                i as i64 + 1,
                m.entity_kind,
                m.entity_id,
                m.start,
                m.end,
                m.surface,
                m.confidence,
                m.resolved,
                m.how,
                candidates
            ])?;
        }
    }
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('links_fingerprint', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [fingerprint],
    )?;
    tx.commit()?;
    Ok(())
}

pub(crate) fn links_fingerprint(conn: &Connection) -> Result<Option<String>, Fail> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = 'links_fingerprint'")?
        .query_row([], |r| r.get(0))
        .optional()?)
}

pub(crate) fn entities(conn: &Connection, kind: Option<&str>) -> Result<Vec<EntityRow>, Fail> {
    let mut st = conn.prepare_cached(
        "SELECT kind, id, name, record FROM entities WHERE (?1 IS NULL OR kind = ?1) ORDER BY seq",
    )?;
    let rows = st.query_map([kind], |r| {
        Ok(EntityRow {
            kind: r.get(0)?,
            id: r.get(1)?,
            name: r.get(2)?,
            record: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn mention_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<(MentionRow, String)> {
    Ok((
        MentionRow {
            doc_id: r.get(0)?,
            field: r.get(1)?,
            entity_kind: r.get(2)?,
            entity_id: r.get(3)?,
            start: r.get(4)?,
            end: r.get(5)?,
            surface: r.get(6)?,
            confidence: r.get(7)?,
            resolved: r.get(8)?,
            how: r.get(9)?,
            candidates: vec![],
        },
        r.get(10)?,
    ))
}

/// Mentions matching a condition on `(entity_kind, entity_id)` or `doc_id`.
pub(crate) fn mentions(
    conn: &Connection,
    entity: Option<(&str, &str)>,
    doc_id: Option<&str>,
    unresolved_only: bool,
) -> Result<Vec<MentionRow>, Fail> {
    let mut st = conn.prepare_cached(
        "SELECT doc_id, field, entity_kind, entity_id, start, end, surface, confidence, resolved, how, candidates
         FROM mentions
         WHERE (?1 IS NULL OR (entity_kind = ?1 AND entity_id = ?2))
           AND (?3 IS NULL OR doc_id = ?3)
           AND (?4 = 0 OR resolved = 0)
         ORDER BY seq",
    )?;
    let (k, i) = match entity {
        Some((k, i)) => (Some(k), Some(i)),
        None => (None, None),
    };
    let rows = st.query_map(params![k, i, doc_id, unresolved_only], mention_from)?;
    let mut out = Vec::new();
    for r in rows {
        let (mut m, candidates) = r?;
        m.candidates = serde_json::from_str(&candidates).map_err(|e| {
            Fail::Corrupt(format!("candidates of a mention in \"{}\": {e}", m.doc_id))
        })?;
        out.push(m);
    }
    Ok(out)
}
