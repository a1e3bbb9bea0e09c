//! The review queue at the terminal: `fond check` (the findings waiting
//! for an editor, and how many are reviewed), `fond review accept|dismiss|
//! reopen KEY`, `fond review list`.
//!
//! The queue is the archive's (`Archive::review_queue`): the stored
//! findings and the names the linker could not decide, each keyed by
//! what it is about, with the decision in force. A decision holds across
//! re-ingest while what the finding is about stays the same.

use anyhow::{Context, Result};
use clap::Subcommand;
use fond_store::{Archive, Decision, QueueFilter, QueueItem, Review};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ReviewCommand {
    /// Confirm the engine's guess: the finding leaves the queue and stays
    /// out across re-ingest while what it is about is unchanged.
    Accept {
        /// The finding's key, as `fond check` shows it.
        key: String,
        #[arg(long, default_value = "")]
        why: String,
        /// Who reviews (default: $USER, else "editor").
        #[arg(long)]
        by: Option<String>,
    },
    /// Not a problem, for the reason given (required).
    Dismiss {
        key: String,
        #[arg(long)]
        why: String,
        #[arg(long)]
        by: Option<String>,
    },
    /// Take a decision back: the finding is in the queue again.
    Reopen {
        key: String,
        #[arg(long)]
        why: String,
        #[arg(long)]
        by: Option<String>,
    },
    /// The decisions in force (`--history`: every decision ever made).
    List {
        #[arg(long)]
        json: bool,
        #[arg(long)]
        history: bool,
    },
}

/// The queue: the stored findings, the unresolved names, and the mention
/// decisions the linking stage could not apply.
pub(crate) fn queue(archive: &Archive, filter: &QueueFilter) -> Result<Vec<QueueItem>> {
    let mut extra = crate::people::unresolved_findings(archive)?;
    extra.extend(crate::people::decision_findings(archive)?);
    Ok(archive.review_queue(extra, filter)?)
}

/// `fond check [--kind K] [--collection C] [--all] [--json]`: the
/// findings waiting for an editor (all of them with `--all`, each with
/// its decision), and the count of those reviewed.
pub fn check(
    archive_dir: &Path,
    kind: Option<String>,
    collection: Option<String>,
    all: bool,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let archive = crate::writer::open_for_reading(archive_dir)?;
    let items = queue(
        &archive,
        &QueueFilter {
            kind,
            collection,
            reviewed: None,
        },
    )?;
    let reviewed = items.iter().filter(|i| i.review.is_some()).count();
    let shown: Vec<&QueueItem> = items.iter().filter(|i| all || i.review.is_none()).collect();
    if json {
        for i in &shown {
            let mut v = serde_json::to_value(&i.finding)?;
            if let Some(o) = v.as_object_mut() {
                o.insert("key".into(), serde_json::json!(i.key));
                if let Some(r) = &i.review {
                    o.insert("review".into(), serde_json::to_value(r)?);
                }
            }
            serde_json::to_writer(&mut *out, &v)?;
            writeln!(out)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    crate::render::check_text(&shown, out)?;
    writeln!(out, "{} findings, {reviewed} reviewed", items.len())?;
    if reviewed > 0 && !all {
        writeln!(
            out,
            "(the reviewed ones are not shown; `fond check --all` shows them with their decision)"
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `fond review accept|dismiss|reopen|list`.
pub fn run(archive_dir: &Path, cmd: ReviewCommand, out: &mut impl Write) -> Result<ExitCode> {
    let (key, decision, why, by) = match cmd {
        ReviewCommand::List { json, history } => return list(archive_dir, json, history, out),
        ReviewCommand::Accept { key, why, by } => (key, Decision::Accept, why, by),
        ReviewCommand::Dismiss { key, why, by } => (key, Decision::Dismiss, why, by),
        ReviewCommand::Reopen { key, why, by } => (key, Decision::Reopen, why, by),
    };
    let mut archive = crate::writer::open_for_reading(archive_dir)?;
    let review = decide(
        &mut archive,
        &key,
        decision,
        &why,
        crate::correct::editor(by),
    )?;
    writeln!(
        out,
        "{}: {} ({}{}): {}",
        review.key,
        decision.as_str(),
        review.kind,
        review
            .document
            .as_deref()
            .map(|d| format!(", {d}"))
            .unwrap_or_default(),
        review.message
    )?;
    writeln!(
        out,
        "  by {} at {}{}",
        review.who,
        review.at,
        if review.why.is_empty() {
            String::new()
        } else {
            format!(": {}", review.why)
        }
    )?;
    Ok(ExitCode::SUCCESS)
}

/// One decision on the finding of `key`, by `who`: the rule `fond review`
/// and the reading room's desk share (a key the queue does not hold, a
/// reopening of a finding in the queue, the same decision twice are
/// refused; the archive refuses a dismissal without a reason).
pub(crate) fn decide(
    archive: &mut Archive,
    key: &str,
    decision: Decision,
    why: &str,
    who: String,
) -> Result<Review> {
    let items = queue(archive, &QueueFilter::default())?;
    let key = key.trim();
    let item = items.iter().find(|i| i.key == key).with_context(|| {
        format!(
            "no finding with key \"{}\" in the archive; `fond check --all` shows the keys",
            crate::render::clean(key)
        )
    })?;
    match (decision, &item.review) {
        (Decision::Reopen, None) => {
            anyhow::bail!("{key} is not reviewed; it is in the queue already")
        }
        (Decision::Accept | Decision::Dismiss, Some(r)) if r.decision == decision => {
            anyhow::bail!(
                "{key} was already {}ed by {} at {}; nothing was stored",
                decision.as_str().trim_end_matches('e'),
                r.who,
                r.at
            )
        }
        _ => {}
    }
    let review = Review {
        key: item.key.clone(),
        kind: item.finding.kind.as_str().to_string(),
        document: item.finding.document.clone(),
        message: item.finding.message.clone(),
        decision,
        why: why.trim().to_string(),
        who,
        at: crate::correct::now_utc(),
    };
    archive.decide(&review)?;
    Ok(review)
}

fn list(archive_dir: &Path, json: bool, history: bool, out: &mut impl Write) -> Result<ExitCode> {
    let archive = crate::writer::open_for_reading(archive_dir)?;
    let reviews = if history {
        archive.review_history()?
    } else {
        archive.reviews()?
    };
    for r in &reviews {
        if json {
            serde_json::to_writer(&mut *out, r)?;
            writeln!(out)?;
            continue;
        }
        writeln!(
            out,
            "{} {:<8} {} [{}] {}\n    by {} at {}{}",
            r.key,
            r.decision.as_str(),
            r.kind,
            r.document.as_deref().unwrap_or("-"),
            r.message,
            r.who,
            r.at,
            if r.why.is_empty() {
                String::new()
            } else {
                format!(": {}", r.why)
            }
        )?;
    }
    if !json {
        writeln!(out, "{} decisions", reviews.len())?;
    }
    Ok(ExitCode::SUCCESS)
}
