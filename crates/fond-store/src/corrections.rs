//! The editors' corrections: kept, never derived, never deleted.
//!
//! The table is the history of every document: rows are only added (a
//! revert is a row too) and only the `status` of a correction taken back
//! and the derived `state`/`now` of the last re-derivation ever change.
//! Replacing the edition does not touch it.

use crate::error::{encode, Fail};
use crate::StoreError;
use fond_model::correction::{Action, Correction, Field, Outcome, State, Status, Target, Value};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};

/// A correction as the archive holds it, with what became of it at the
/// last re-derivation (`None` before the first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionRow {
    pub correction: Correction,
    pub state: Option<State>,
    /// The value the engine recovered at the last re-derivation, when the
    /// document (and note) was there.
    pub now: Option<Value>,
}

/// What [`add`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Added {
    /// New entries stored.
    pub added: usize,
    /// Entries already in the archive, exactly as given (an import of the
    /// same export twice): left as they are.
    pub unchanged: usize,
}

fn decode(json: &str, what: &str) -> Result<Correction, Fail> {
    serde_json::from_str(json).map_err(|e| Fail::Corrupt(format!("{what}: {e}")))
}

/// Every correction in the history's order; those of one document when
/// `doc` is given.
pub(crate) fn corrections(
    conn: &Connection,
    doc: Option<&str>,
) -> Result<Vec<CorrectionRow>, Fail> {
    let mut st = conn.prepare_cached(
        "SELECT seq, id, action, doc_id, field, recovered, value, by_name, at, why, status,
                reverts, state, now, record
         FROM corrections WHERE ?1 IS NULL OR doc_id = ?1 ORDER BY seq",
    )?;
    let mut rows = st.query([doc])?;
    let mut out = Vec::new();
    // From the columns, each read from the row's borrowed text: every
    // re-derivation reads the whole table.
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let what = || format!("correction row {seq}");
        let bad =
            |col: &str, e: &dyn std::fmt::Display| Fail::Corrupt(format!("{}: {col}: {e}", what()));
        let text = |i: usize, col: &str| -> Result<&str, Fail> {
            r.get_ref(i)?.as_str().map_err(|e| bad(col, &e))
        };
        let opt_text = |i: usize, col: &str| -> Result<Option<&str>, Fail> {
            r.get_ref(i)?.as_str_or_null().map_err(|e| bad(col, &e))
        };
        let value = |i: usize, col: &str| -> Result<Value, Fail> {
            serde_json::from_str(text(i, col)?).map_err(|e| bad(col, &e))
        };
        let action = match text(2, "action")? {
            "set" => Action::Set,
            "revert" => Action::Revert,
            a => return Err(bad("action", &a)),
        };
        // A text or mention correction's anchor is in its record only (the
        // column names the kind).
        let field = match Field::parse(text(4, "field")?) {
            Ok(f) => f,
            Err(e) => match serde_json::from_str::<Correction>(text(14, "record")?) {
                Ok(c) if c.target.field.is_anchored() => c.target.field,
                _ => return Err(bad("field", &e)),
            },
        };
        let status = match text(10, "status")? {
            "active" => Status::Active,
            "reverted" => Status::Reverted,
            s => return Err(bad("status", &s)),
        };
        let correction = Correction {
            id: text(1, "id")?.to_string(),
            action,
            target: Target {
                document: text(3, "doc_id")?.to_string(),
                field,
            },
            recovered: value(5, "recovered")?,
            value: value(6, "value")?,
            by: text(7, "by_name")?.to_string(),
            at: text(8, "at")?.to_string(),
            why: text(9, "why")?.to_string(),
            status,
            reverts: opt_text(11, "reverts")?.map(String::from),
        };
        let state = match opt_text(12, "state")? {
            None => None,
            Some(s) => Some(State::parse(s).ok_or_else(|| bad("state", &s))?),
        };
        let now = match opt_text(13, "now")? {
            None => None,
            Some(j) => Some(serde_json::from_str(j).map_err(|e| bad("now", &e))?),
        };
        out.push(CorrectionRow {
            correction,
            state,
            now,
        });
    }
    Ok(out)
}

fn stored(tx: &Transaction<'_>, id: &str) -> Result<Option<Correction>, Fail> {
    let json: Option<String> = tx
        .query_row("SELECT record FROM corrections WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    json.map(|j| decode(&j, &format!("correction {id}")))
        .transpose()
}

fn status_str(s: Status) -> &'static str {
    match s {
        Status::Active => "active",
        Status::Reverted => "reverted",
    }
}

fn action_str(a: Action) -> &'static str {
    match a {
        Action::Set => "set",
        Action::Revert => "revert",
    }
}

/// Stores new entries of the history, in one transaction: every entry is
/// checked first, and one that cannot be kept stores nothing of the batch.
/// A revert marks the correction it takes back `reverted`.
pub(crate) fn add(conn: &mut Connection, entries: &[Correction]) -> Result<Added, Fail> {
    validate(entries)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let added = add_in(&tx, entries)?;
    tx.commit()?;
    Ok(added)
}

/// Checks every entry before any is stored.
pub(crate) fn validate(entries: &[Correction]) -> Result<(), Fail> {
    for c in entries {
        c.validate().map_err(|e| StoreError::InvalidCorrection {
            id: c.id.clone(),
            why: e.to_string(),
        })?;
    }
    Ok(())
}

/// [`add`] inside the caller's transaction (entries validated).
pub(crate) fn add_in(tx: &Transaction<'_>, entries: &[Correction]) -> Result<Added, Fail> {
    let mut added = Added::default();
    for c in entries {
        match stored(tx, &c.id)? {
            Some(old) if old == *c => {
                added.unchanged += 1;
                continue;
            }
            // The same entry, taken back since (an export made before the
            // revert, imported after it): the archive knows more.
            Some(old)
                if Correction {
                    status: c.status,
                    ..old.clone()
                } == *c =>
            {
                added.unchanged += 1;
                continue;
            }
            Some(_) => return Err(StoreError::CorrectionIdTaken { id: c.id.clone() }.into()),
            None => {}
        }
        if c.action == Action::Revert {
            let of = c.reverts.clone().unwrap_or_default();
            let mut target =
                stored(tx, &of)?.ok_or_else(|| StoreError::NoSuchCorrection { id: of.clone() })?;
            if target.action == Action::Revert {
                return Err(StoreError::RevertOfRevert { id: of }.into());
            }
            if target.status != Status::Reverted {
                target.status = Status::Reverted;
                let record = serde_json::to_string(&target)
                    .map_err(|e| encode(format!("correction {of}"), e))?;
                tx.execute(
                    "UPDATE corrections SET status = 'reverted', record = ?2 WHERE id = ?1",
                    params![of, record],
                )?;
            }
        }
        let record =
            serde_json::to_string(c).map_err(|e| encode(format!("correction {}", c.id), e))?;
        let json = |v: &Value| {
            serde_json::to_string(v).map_err(|e| encode(format!("correction {}", c.id), e))
        };
        tx.execute(
            "INSERT INTO corrections (id, action, doc_id, field, recovered, value, by_name, at, why, status, reverts, record)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                c.id,
                action_str(c.action),
                c.target.document,
                c.target.field.name(),
                json(&c.recovered)?,
                json(&c.value)?,
                c.by,
                c.at,
                c.why,
                status_str(c.status),
                c.reverts,
                record
            ],
        )?;
        added.added += 1;
    }
    Ok(added)
}

/// Records what became of corrections at the re-derivation being written
/// (inside its transaction). The caller gives those whose outcome changed;
/// the others keep theirs.
pub(crate) fn write_outcomes(tx: &Transaction<'_>, outcomes: &[Outcome]) -> Result<(), Fail> {
    let mut up = tx.prepare_cached("UPDATE corrections SET state = ?2, now = ?3 WHERE id = ?1")?;
    for o in outcomes {
        let now = o
            .now
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| encode(format!("the recovered value under correction {}", o.id), e))?;
        up.execute(params![o.id, o.state.as_str(), now])?;
    }
    Ok(())
}
