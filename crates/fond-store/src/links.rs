//! The linking stage's rows: authority records and mentions.
//!
//! Records and mentions are the model's types (`fond_model::authority`).
//! The tables keep the columns one queries by (kind, id, name; a mention's
//! document, field, entity and span) beside each record's full JSON, so the
//! record can grow without a migration per field. A mention's field is
//! written `body`, `note:N`, `sender` or `addressee`, its candidates as a
//! JSON list of `kind:id`.

use crate::error::Fail;
use fond_model::authority::{
    AliasKind, Entity, EntityKind, Mention, MentionField, OfficeSource, Record,
};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

pub(crate) fn replace_links(
    conn: &mut Connection,
    records: &[Record],
    mentions: &[Mention],
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
    tx.execute_batch(
        "DELETE FROM mentions; DELETE FROM offices; DELETE FROM entity_names; DELETE FROM entities;",
    )?;
    {
        let mut ins = tx.prepare_cached(
            "INSERT INTO entities (kind, id, seq, name, record) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut name_row = tx.prepare_cached(
            "INSERT INTO entity_names (kind, id, seq, name, variant) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut office_row = tx.prepare_cached(
            "INSERT INTO offices (person_id, seq, body_id, body_text, jurisdiction, role, date_from,
                                  date_to, approximate, assumed_only, source, text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        for r in records {
            let entity = r.entity();
            for (k, (name, variant)) in names_of(r).into_iter().enumerate() {
                name_row.execute(params![
                    entity.kind().as_str(),
                    entity.id(),
                    k as i64 + 1,
                    name,
                    variant
                ])?;
            }
            if let Record::Person(p) = r {
                for (k, o) in p.offices.iter().enumerate() {
                    let approximate = o.from.is_some_and(|d| d.approximate)
                        || o.to.is_some_and(|d| d.approximate);
                    let source = match o.source {
                        OfficeSource::Glossary => "glossary",
                        OfficeSource::InstitutionalBackground => "institutional-background",
                    };
                    office_row.execute(params![
                        p.id.0,
                        k as i64 + 1,
                        o.body.as_ref().map(|b| b.0.as_str()),
                        o.body_text,
                        o.jurisdiction,
                        o.role,
                        o.from.map(|d| d.to_string()),
                        o.to.map(|d| d.to_string()),
                        approximate,
                        o.assumed_only,
                        source,
                        o.text
                    ])?;
                }
            }
        }
        for (i, r) in records.iter().enumerate() {
            let entity = r.entity();
            let json = record_json(r).map_err(|e| {
                Fail::Corrupt(format!("authority record {entity} does not serialise: {e}"))
            })?;
            ins.execute(params![
                entity.kind().as_str(),
                entity.id(),
                i as i64 + 1,
                r.name(),
                json
            ])?;
        }
        let mut ins = tx.prepare_cached(INSERT_MENTION)?;
        for (i, m) in mentions.iter().enumerate() {
            insert_mention(&mut ins, m, i as i64 + 1)?;
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

const INSERT_MENTION: &str =
    "INSERT INTO mentions (doc_id, field, seq, entity_kind, entity_id, start, end, surface,
                           confidence, resolved, how, candidates)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

fn insert_mention(
    ins: &mut rusqlite::CachedStatement<'_>,
    m: &Mention,
    seq: i64,
) -> Result<(), Fail> {
    let candidates: Vec<String> = m.candidates.iter().map(Entity::to_string).collect();
    let candidates = serde_json::to_string(&candidates)
        .map_err(|e| Fail::Corrupt(format!("candidates of a mention in \"{}\": {e}", m.doc_id)))?;
    ins.execute(params![
        m.doc_id,
        m.field.to_string(),
        seq,
        m.entity.kind().as_str(),
        m.entity.id(),
        m.start as i64,
        m.end as i64,
        m.surface,
        m.confidence,
        m.resolved,
        m.how,
        candidates
    ])?;
    Ok(())
}

/// Replaces the mentions of some documents inside the caller's
/// transaction, each document's in the place its old ones held (a
/// document's mentions are one run of `seq` in the linker's order; the
/// runs after it move when the count changes), and records the links'
/// fingerprint. `false`, with nothing decided, when a document had no
/// mention before but has some now (where its run goes is the linker's
/// knowledge, not the store's) or its run is not one: the caller then
/// links everything again.
pub(crate) fn replace_mentions_of(
    tx: &rusqlite::Transaction<'_>,
    documents: &[fond_model::Document],
    mentions: &[Mention],
    fingerprint: &str,
) -> Result<bool, Fail> {
    for d in documents {
        let (first, last, count): (Option<i64>, Option<i64>, i64) = tx
            .prepare_cached("SELECT min(seq), max(seq), count(*) FROM mentions WHERE doc_id = ?1")?
            .query_row([&d.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        let new: Vec<&Mention> = mentions.iter().filter(|m| m.doc_id == d.id).collect();
        let (Some(first), Some(last)) = (first, last) else {
            if new.is_empty() {
                continue;
            }
            return Ok(false);
        };
        if last - first + 1 != count {
            return Ok(false);
        }
        tx.prepare_cached("DELETE FROM mentions WHERE doc_id = ?1")?
            .execute([&d.id])?;
        let delta = new.len() as i64 - count;
        if delta != 0 {
            tx.prepare_cached("UPDATE mentions SET seq = seq + ?1 WHERE seq > ?2")?
                .execute(params![delta, last])?;
        }
        let mut ins = tx.prepare_cached(INSERT_MENTION)?;
        for (k, m) in new.into_iter().enumerate() {
            insert_mention(&mut ins, m, first + k as i64)?;
        }
    }
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('links_fingerprint', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [fingerprint],
    )?;
    Ok(true)
}

pub(crate) fn links_fingerprint(conn: &Connection) -> Result<Option<String>, Fail> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = 'links_fingerprint'")?
        .query_row([], |r| r.get(0))
        .optional()?)
}

/// Every name a record goes by, each once, with what kind of name it is:
/// the name as printed first.
fn names_of(r: &Record) -> Vec<(&str, &'static str)> {
    let mut out: Vec<(&str, &'static str)> = vec![(r.name(), "printed")];
    match r {
        Record::Person(p) => {
            out.extend(p.real_name.iter().map(|n| (n.as_str(), "real-name")));
            out.extend(p.pseudonyms.iter().map(|n| (n.as_str(), "pseudonym")));
            out.extend(p.other_names.iter().map(|n| (n.as_str(), "other-name")));
            out.extend(p.aliases.iter().map(|a| {
                let kind = match a.kind {
                    AliasKind::CrossReference => "cross-reference",
                    AliasKind::IndexSpelling => "index-spelling",
                    AliasKind::Forename => "forename",
                };
                (a.name.as_str(), kind)
            }));
        }
        Record::Body(b) => {
            out.extend(b.aliases.iter().map(|n| (n.as_str(), "alias")));
            out.extend(b.abbreviations.iter().map(|n| (n.as_str(), "abbreviation")));
            out.extend(b.russian.iter().map(|n| (n.as_str(), "russian")));
        }
        Record::Periodical(p) => {
            out.extend(p.translation.iter().map(|n| (n.as_str(), "translation")));
            out.extend(p.aliases.iter().map(|n| (n.as_str(), "alias")));
            out.extend(p.russian.iter().map(|n| (n.as_str(), "russian")));
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|(n, _)| seen.insert(*n));
    out
}

fn record_json(r: &Record) -> serde_json::Result<String> {
    match r {
        Record::Person(p) => serde_json::to_string(p),
        Record::Body(b) => serde_json::to_string(b),
        Record::Periodical(p) => serde_json::to_string(p),
    }
}

fn record_from(kind: &str, id: &str, json: &str) -> Result<Record, Fail> {
    let bad = |e: String| Fail::Corrupt(format!("authority record {kind}:{id}: {e}"));
    let kind = EntityKind::parse(kind).ok_or_else(|| bad("unknown kind".into()))?;
    let e = |e: serde_json::Error| bad(e.to_string());
    Ok(match kind {
        EntityKind::Person => Record::Person(serde_json::from_str(json).map_err(e)?),
        EntityKind::Body => Record::Body(serde_json::from_str(json).map_err(e)?),
        EntityKind::Periodical => Record::Periodical(serde_json::from_str(json).map_err(e)?),
    })
}

pub(crate) fn entities(conn: &Connection, kind: Option<EntityKind>) -> Result<Vec<Record>, Fail> {
    let mut st = conn.prepare_cached(
        "SELECT kind, id, record FROM entities WHERE (?1 IS NULL OR kind = ?1) ORDER BY seq",
    )?;
    let rows = st.query_map([kind.map(EntityKind::as_str)], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, id, json) = row?;
        out.push(record_from(&kind, &id, &json)?);
    }
    Ok(out)
}

/// A mention's columns as read, before they are checked.
type MentionColumns = (
    String,
    String,
    String,
    String,
    i64,
    i64,
    String,
    f64,
    bool,
    String,
    String,
);

fn mention_from(c: MentionColumns) -> Result<Mention, Fail> {
    let (doc_id, field, kind, id, start, end, surface, confidence, resolved, how, candidates) = c;
    let bad = |what: String| Fail::Corrupt(format!("a mention in \"{doc_id}\": {what}"));
    let field = MentionField::parse(&field).ok_or_else(|| bad(format!("field {field:?}")))?;
    let kind = EntityKind::parse(&kind).ok_or_else(|| bad(format!("entity kind {kind:?}")))?;
    let candidates: Vec<String> =
        serde_json::from_str(&candidates).map_err(|e| bad(format!("candidates: {e}")))?;
    let candidates = candidates
        .iter()
        .map(|c| Entity::parse(c).ok_or_else(|| bad(format!("candidate {c:?}"))))
        .collect::<Result<_, _>>()?;
    let span = |v: i64| usize::try_from(v).map_err(|_| bad(format!("span {v}")));
    Ok(Mention {
        field,
        entity: Entity::new(kind, id),
        start: span(start)?,
        end: span(end)?,
        surface,
        confidence,
        resolved,
        how,
        candidates,
        doc_id,
    })
}

/// The statement [`mentions`] runs: one per question, each with a plain
/// equality SQLite answers from its index. A `?1 IS NULL OR …` condition
/// makes it read every mention, which at 100,000 documents is millions of
/// rows for one document's handful.
fn mentions_sql(by_entity: bool, by_document: bool) -> &'static str {
    match (by_entity, by_document) {
        (true, _) => {
            "SELECT doc_id, field, entity_kind, entity_id, start, end, surface, confidence, resolved, how, candidates
             FROM mentions
             WHERE entity_kind = ?1 AND entity_id = ?2
               AND (?3 IS NULL OR doc_id = ?3)
               AND (?4 = 0 OR resolved = 0)
             ORDER BY seq"
        }
        (false, true) => {
            "SELECT doc_id, field, entity_kind, entity_id, start, end, surface, confidence, resolved, how, candidates
             FROM mentions
             WHERE ?1 IS NULL AND ?2 IS NULL AND doc_id = ?3
               AND (?4 = 0 OR resolved = 0)
             ORDER BY seq"
        }
        (false, false) => {
            "SELECT doc_id, field, entity_kind, entity_id, start, end, surface, confidence, resolved, how, candidates
             FROM mentions
             WHERE ?1 IS NULL AND ?2 IS NULL AND ?3 IS NULL
               AND (?4 = 0 OR resolved = 0)
             ORDER BY seq"
        }
    }
}

/// Mentions of one entity, or in one document, or all.
pub(crate) fn mentions(
    conn: &Connection,
    entity: Option<&Entity>,
    doc_id: Option<&str>,
    unresolved_only: bool,
) -> Result<Vec<Mention>, Fail> {
    let sql = mentions_sql(entity.is_some(), doc_id.is_some());
    let mut st = conn.prepare_cached(sql)?;
    let (k, i) = match entity {
        Some(e) => (Some(e.kind().as_str()), Some(e.id())),
        None => (None, None),
    };
    let rows = st.query_map(params![k, i, doc_id, unresolved_only], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
            r.get(8)?,
            r.get(9)?,
            r.get(10)?,
        ))
    })?;
    let mut out = Vec::new();
    for r in rows {
        out.push(mention_from(r?)?);
    }
    Ok(out)
}

/// The stored names of some records (those the archive lacks are left
/// out).
pub(crate) fn names(
    conn: &Connection,
    entities: &[Entity],
) -> Result<std::collections::HashMap<Entity, String>, Fail> {
    let mut st = conn.prepare_cached("SELECT name FROM entities WHERE kind = ?1 AND id = ?2")?;
    let mut out = std::collections::HashMap::new();
    for e in entities {
        let name: Option<String> = st
            .query_row(params![e.kind().as_str(), e.id()], |r| r.get(0))
            .optional()?;
        if let Some(n) = name {
            out.insert(e.clone(), n);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::mentions_sql;

    /// The plan SQLite makes for a statement, its lines joined.
    fn plan(conn: &rusqlite::Connection, sql: &str, params: impl rusqlite::Params) -> String {
        let mut st = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("plan");
        let rows = st
            .query_map(params, |r| r.get::<_, String>(3))
            .expect("rows");
        rows.map(|r| r.expect("row")).collect::<Vec<_>>().join("; ")
    }

    #[test]
    fn a_documents_or_an_entitys_mentions_are_read_through_an_index() {
        let tmp = tempfile::tempdir().expect("tmp");
        let a = crate::Archive::open(tmp.path()).expect("archive");
        let none: Option<&str> = None;
        let by_doc = plan(
            &a.conn,
            mentions_sql(false, true),
            rusqlite::params![none, none, "c/1", false],
        );
        assert!(by_doc.contains("INDEX mentions_doc"), "{by_doc}");
        let by_entity = plan(
            &a.conn,
            mentions_sql(true, false),
            rusqlite::params!["person", "p1", none, false],
        );
        assert!(by_entity.contains("INDEX mentions_entity"), "{by_entity}");
    }
}
