//! Visibility settings: appended, never updated; the latest per target is
//! in force.

use crate::error::{encode, Fail};
use crate::StoreError;
use fond_model::visibility::{Level, Setting, Target};
use fond_model::Day;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

/// Checks a setting that does not depend on the archive.
fn check(s: &Setting) -> Result<(), Fail> {
    let bad = |m: &str| Err(Fail::Store(StoreError::BadSetting(m.to_string())));
    if s.why.trim().is_empty() {
        return bad(
            "say why (--why \"…\"): every restriction and release is recorded with its reason",
        );
    }
    if s.who.trim().is_empty() {
        return bad("say who sets it");
    }
    match (s.level, s.until) {
        (Level::Embargoed, None) => bad("an embargo needs the day it ends"),
        (Level::Public | Level::Restricted, Some(_)) => bad("only an embargo has a day it ends"),
        _ => Ok(()),
    }
}

/// Whether the archive holds the target.
fn exists(tx: &Connection, target: &Target) -> Result<bool, Fail> {
    let sql = match target {
        Target::Document(_) => "SELECT EXISTS (SELECT 1 FROM documents WHERE id = ?1)",
        Target::Collection(_) => "SELECT EXISTS (SELECT 1 FROM documents WHERE collection = ?1)",
        Target::Source(_) => "SELECT EXISTS (SELECT 1 FROM sources WHERE name = ?1)",
    };
    Ok(tx.query_row(sql, [target.id()], |r| r.get(0))?)
}

/// Appends a setting, after checking, in the same transaction, that its
/// target exists.
pub(crate) fn set(conn: &mut Connection, s: &Setting) -> Result<(), Fail> {
    check(s)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if !exists(&tx, &s.target)? {
        let hint = match s.target {
            Target::Document(_) => "`fond list` shows the ids",
            Target::Collection(_) => "`fond list --json` shows each document's collection",
            Target::Source(_) => "`fond ingest` lists the sources by these names",
        };
        return Err(StoreError::UnknownTarget {
            kind: s.target.kind(),
            id: s.target.id().to_string(),
            hint,
        }
        .into());
    }
    let readers = serde_json::to_string(&s.readers)
        .map_err(|e| encode(format!("the readers of {}", s.target), e))?;
    tx.execute(
        "INSERT INTO visibility (target_kind, target, level, until, readers, who, at, why)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            s.target.kind(),
            s.target.id(),
            s.level.as_str(),
            s.until.map(|d| d.to_string()),
            readers,
            s.who,
            s.when,
            s.why
        ],
    )?;
    tx.commit()?;
    Ok(())
}

fn row(r: &rusqlite::Row<'_>) -> Result<Result<Setting, String>, rusqlite::Error> {
    let kind: String = r.get(0)?;
    let id: String = r.get(1)?;
    let level: String = r.get(2)?;
    let until: Option<String> = r.get(3)?;
    let readers: String = r.get(4)?;
    let (who, when, why): (String, String, String) = (r.get(5)?, r.get(6)?, r.get(7)?);
    // Decoded outside rusqlite's error type, so a bad row is `Corrupt`
    // with what is wrong, never a setting read as something else.
    Ok((|| {
        let target = Target::from_parts(&kind, &id)
            .ok_or_else(|| format!("visibility target kind \"{kind}\""))?;
        let level = Level::parse(&level).ok_or_else(|| format!("visibility level \"{level}\""))?;
        let until = match until {
            None => None,
            Some(u) => Some(Day::parse_iso(&u).ok_or_else(|| format!("visibility day \"{u}\""))?),
        };
        let readers: Vec<String> = serde_json::from_str(&readers)
            .map_err(|e| format!("visibility readers of {target}: {e}"))?;
        Ok(Setting {
            target,
            level,
            until,
            readers,
            who,
            when,
            why,
            profile: None,
        })
    })())
}

fn read(conn: &Connection, sql: &str) -> Result<Vec<Setting>, Fail> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([], row)?;
    let mut out = Vec::new();
    for r in rows {
        out.push(r?.map_err(Fail::Corrupt)?);
    }
    Ok(out)
}

/// The settings in force: the latest row per target, by target.
pub(crate) fn current(conn: &Connection) -> Result<Vec<Setting>, Fail> {
    read(
        conn,
        "SELECT target_kind, target, level, until, readers, who, at, why FROM visibility v
         WHERE seq = (SELECT MAX(seq) FROM visibility w
                      WHERE w.target_kind = v.target_kind AND w.target = v.target)
         ORDER BY target_kind, target",
    )
}

/// Every setting ever made, oldest first.
pub(crate) fn history(conn: &Connection) -> Result<Vec<Setting>, Fail> {
    read(
        conn,
        "SELECT target_kind, target, level, until, readers, who, at, why FROM visibility
         ORDER BY seq",
    )
}

/// The setting in force for one target.
pub(crate) fn of(conn: &Connection, target: &Target) -> Result<Option<Setting>, Fail> {
    let mut stmt = conn.prepare_cached(
        "SELECT target_kind, target, level, until, readers, who, at, why FROM visibility
         WHERE target_kind = ?1 AND target = ?2 ORDER BY seq DESC LIMIT 1",
    )?;
    match stmt
        .query_row([target.kind(), target.id()], row)
        .optional()?
    {
        None => Ok(None),
        Some(r) => Ok(Some(r.map_err(Fail::Corrupt)?)),
    }
}
