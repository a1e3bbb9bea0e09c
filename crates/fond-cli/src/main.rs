//! `fond`: build a scholarly edition from transcriptions of correspondence,
//! and read it.

mod bench;
mod ingest;
mod render;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use fond_model::DocKind;
use fond_store::{Archive, DocFilter};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "fond",
    version,
    about = "An archive engine for historical correspondence: ingest transcriptions, read them as a scholarly edition."
)]
struct Cli {
    /// The archive directory.
    #[arg(
        long,
        global = true,
        env = "FOND_ARCHIVE",
        default_value = "fond-archive"
    )]
    archive: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read sources (files or folders) into the archive, in one transaction.
    Ingest {
        /// Files or folders of transcriptions.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the documents.
    List {
        /// Documents whose date interval overlaps this year.
        #[arg(long)]
        year: Option<i32>,
        /// letter, note, coded-telegram, memorandum, circular, speech, editorial-text.
        #[arg(long)]
        kind: Option<String>,
        /// Sender (any part of the name).
        #[arg(long)]
        from: Option<String>,
        /// Addressee (any part of the name).
        #[arg(long)]
        to: Option<String>,
        /// JSON Lines, one document per line.
        #[arg(long)]
        json: bool,
    },
    /// Show one document as the edition prints it.
    Show {
        /// Document id (`letters-to-molotov/31`), or a letter number.
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// The editor's QA report: every place the engine was not sure.
    Check {
        #[arg(long)]
        json: bool,
        /// Only findings of this kind (e.g. no-date, note-without-call).
        #[arg(long)]
        kind: Option<String>,
    },
    /// Benchmarks against a named peer, printed as ratios.
    Bench {
        #[command(subcommand)]
        what: bench::BenchCommand,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("fond: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match cli.command {
        Command::Ingest { paths, json } => ingest::run(&cli.archive, &paths, json, &mut out),
        Command::List {
            year,
            kind,
            from,
            to,
            json,
        } => {
            let archive = Archive::open_existing(&cli.archive)?;
            let kind = match kind {
                Some(k) => Some(DocKind::parse(&k).with_context(|| {
                    format!(
                        "unknown kind \"{k}\"; expected one of: {}",
                        DocKind::ALL.map(|k| k.as_str()).join(", ")
                    )
                })?),
                None => None,
            };
            let docs = archive.documents(&DocFilter {
                year,
                kind,
                from,
                to,
                collection: None,
            })?;
            if json {
                for d in &docs {
                    serde_json::to_writer(&mut out, &render::list_json(d))?;
                    writeln!(out)?;
                }
            } else {
                render::list_table(&docs, &mut out)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { id, json } => {
            let archive = Archive::open_existing(&cli.archive)?;
            let doc = find_document(&archive, &id)?;
            if json {
                serde_json::to_writer_pretty(&mut out, &render::show_json(&doc))?;
                writeln!(out)?;
            } else {
                render::show_text(&doc, &mut out)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { json, kind } => {
            let archive = Archive::open_existing(&cli.archive)?;
            let mut findings = archive.findings()?;
            if let Some(k) = &kind {
                findings.retain(|f| f.kind.as_str() == k);
            }
            if json {
                for f in &findings {
                    serde_json::to_writer(&mut out, f)?;
                    writeln!(out)?;
                }
            } else {
                render::check_text(&findings, &mut out)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench { what } => bench::run(what, &mut out),
    }
}

/// A document by id, or by its number in the first collection that has it.
fn find_document(archive: &Archive, id: &str) -> Result<fond_model::Document> {
    if let Some(d) = archive.document(id)? {
        return Ok(d);
    }
    if let Ok(n) = id.parse::<u32>() {
        let docs = archive.documents(&DocFilter::default())?;
        if let Some(d) = docs.into_iter().find(|d| d.number == Some(n)) {
            return Ok(d);
        }
    }
    anyhow::bail!("no document \"{id}\" in the archive; `fond list` shows the ids")
}
