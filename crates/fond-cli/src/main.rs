//! `fond`: build a scholarly edition from transcriptions of correspondence,
//! and read it.

mod bench;
mod bench_correct;
mod bench_serve;
mod bench_sessions;
mod collate;
mod correct;
mod export;
mod ingest;
mod inplace;
mod people;
mod render;
mod restrict;
mod review;
mod search;
mod user;
mod writer;

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
    /// When another fond is writing the archive, fail at once instead of
    /// waiting for it.
    #[arg(long, global = true)]
    no_wait: bool,
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
        /// Read the given files with this reader instead of the best fit
        /// (plain-letters, text, edition-markdown, web-letters, web-works,
        /// web-compilation, tei). Kept in the archive as a profile.
        #[arg(long)]
        shape: Option<String>,
        /// An edition profile (TOML, as `fond profile` prints it) to store
        /// with the sources.
        #[arg(long)]
        profile: Vec<PathBuf>,
    },
    /// Print the edition profile fond infers for a source (TOML): the
    /// readers' fits, the shape chosen, title, collection, writer,
    /// recipient, the century of two-digit years. Adjust it and ingest it
    /// beside the source (`--profile FILE`).
    Profile {
        /// A source file.
        path: PathBuf,
    },
    /// Remove sources from the archive: the edition is re-derived without
    /// them (names as `fond ingest` lists them).
    Remove {
        #[arg(required = true)]
        sources: Vec<String>,
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
        /// `full`: letters whose text the archive holds; `metadata`:
        /// letters known by their metadata only (CMIF).
        #[arg(long)]
        held: Option<String>,
    },
    /// Show one document as the edition prints it.
    Show {
        /// Document id (`letters-to-molotov/31`), or a letter number.
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// The editor's QA report: every place the engine was not sure.
    /// Findings an editor has accepted or dismissed (`fond review`) are
    /// left out unless `--all` is given; each line starts with the key
    /// `fond review` takes.
    Check {
        #[arg(long)]
        json: bool,
        /// Only findings of this kind (e.g. no-date, note-without-call).
        #[arg(long)]
        kind: Option<String>,
        /// Only findings about documents of this collection.
        #[arg(long)]
        collection: Option<String>,
        /// The reviewed findings too, with their decision.
        #[arg(long)]
        all: bool,
    },
    /// The review queue: accept or dismiss a finding of `fond check`
    /// (it stays reviewed across re-ingest until what it is about
    /// changes), reopen it, list the decisions.
    Review {
        #[command(subcommand)]
        what: review::ReviewCommand,
    },
    /// Correct a field of a document: the edition becomes the engine's
    /// recovery plus the corrections; the document, its links and the search
    /// index follow at once (in place when they can). FIELD: date
    /// (EDTF: 1929-08-21, 1929-08/1929-09), dateline, place, senders and
    /// addressees (names separated by `;`), kind, number, note:N:text,
    /// note:N:author (ROLE or ROLE:NAME). An empty VALUE clears a field
    /// that may be empty.
    ///
    /// Anchored kinds: `text 'AS PRINTED→READING'` emends a span of the
    /// text (the print is kept beside the reading); `mention 'NAME'
    /// person:ID` (or `none`) decides which person a name as written is,
    /// `--in note:3`, `sender` or `addressee` for a name outside the body;
    /// `--before`/`--after` give words next to the quote when it stands
    /// more than once. `witness-of OTHER-ID` joins the document to
    /// another as its witness; `split SOURCE` makes its witness from
    /// SOURCE a document of its own. `note:N:call 'WORDS'` moves note N's
    /// call after the words.
    Correct {
        /// Document id, or a letter number.
        id: String,
        field: String,
        #[arg(allow_hyphen_values = true)]
        value: String,
        /// text, mention: the second side, when VALUE is not written
        /// `A→B` (`mention Sasha person:ivanov-a-p`).
        #[arg(allow_hyphen_values = true)]
        to: Option<String>,
        /// text, mention: words just before the quote.
        #[arg(long, allow_hyphen_values = true)]
        before: Option<String>,
        /// text, mention: words just after the quote.
        #[arg(long, allow_hyphen_values = true)]
        after: Option<String>,
        /// mention: where the name stands: body (default), note:N, sender,
        /// addressee.
        #[arg(long = "in")]
        place: Option<String>,
        /// Why (required: it goes into the document's history).
        #[arg(long)]
        why: String,
        /// Who corrects (default: $USER, else "editor").
        #[arg(long)]
        by: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The editors' corrections: list, export, import, revert.
    Corrections {
        #[command(subcommand)]
        what: CorrectionsCommand,
    },
    /// A document's history: its corrections, newest first.
    History {
        /// Document id, or a letter number.
        id: String,
        /// JSON Lines, one entry per line.
        #[arg(long)]
        json: bool,
    },
    /// The reading room: ingests the given sources if needed, then serves
    /// the edition and its JSON API (`/api/v1/`) on loopback.
    Serve {
        /// Sources to ingest first (skipped when unchanged).
        paths: Vec<PathBuf>,
        /// Address to listen on; loopback unless told otherwise.
        #[arg(long, default_value = "127.0.0.1:7700")]
        addr: std::net::SocketAddr,
        /// Where the reading room is published (`https://archive.example.org`):
        /// its host is answered to besides the loopback names (any other
        /// `Host` is refused), and permalinks use it.
        #[arg(long)]
        public_url: Option<String>,
        /// Serve the editors' view without a login: restricted and
        /// embargoed documents included. Only on a loopback address (the
        /// developer's shortcut; others log in).
        #[arg(long)]
        editor: bool,
        /// Every page and API call needs a login (`fond user add`).
        #[arg(long, conflicts_with = "editor")]
        private: bool,
    },
    /// The reading room's accounts: add, passwd, remove, list.
    User {
        #[command(subcommand)]
        command: user::UserCommand,
    },
    /// Close a document, a collection or a source to the public: restricted
    /// (editors only) or, with --until, embargoed until that day.
    Restrict {
        /// A document id (or a letter number).
        #[arg(required_unless_present_any = ["collection", "source"])]
        id: Option<String>,
        /// Every document of this collection.
        #[arg(long, conflicts_with_all = ["id", "source"])]
        collection: Option<String>,
        /// Every document with a witness in this source (by the name `fond
        /// ingest` lists).
        #[arg(long, conflicts_with_all = ["id", "collection"])]
        source: Option<String>,
        /// YYYY-MM-DD: embargoed, public from that day on.
        #[arg(long)]
        until: Option<String>,
        /// An account that may read it all the same (repeatable).
        #[arg(long = "reader")]
        readers: Vec<String>,
        /// Why (recorded with who and when).
        #[arg(long)]
        why: String,
        /// Who sets it (default: $FOND_EDITOR, else the login name).
        #[arg(long)]
        by: Option<String>,
    },
    /// Make a document, a collection or a source public again (overrides a
    /// wider restriction or a profile's for that target).
    Release {
        #[arg(required_unless_present_any = ["collection", "source"])]
        id: Option<String>,
        #[arg(long, conflicts_with_all = ["id", "source"])]
        collection: Option<String>,
        #[arg(long, conflicts_with_all = ["id", "collection"])]
        source: Option<String>,
        #[arg(long)]
        why: String,
        #[arg(long)]
        by: Option<String>,
    },
    /// Every restriction, embargo and release in force (the editors' and
    /// the edition profiles'), with the documents each closes today.
    Restrictions {
        #[arg(long)]
        json: bool,
    },
    /// Rebuild the search index (`ARCHIVE/search`). Ingest keeps it current
    /// on its own; this forces a rebuild and reports the figures.
    Index {
        #[arg(long)]
        json: bool,
    },
    /// Search the archive. The query language: words, "phrases", prefix*,
    /// fuzzy~, AND/OR/NOT/-, parentheses, and the fields from:, to:,
    /// mentions:, kind:, year:, date:1929-06..1929-09, in:notes, in:body,
    /// ref:"f. 17, op. 3" (see the README).
    Search {
        query: String,
        /// The JSON contract: {total, hits: [{id, score, snippet, ...}], facets}.
        #[arg(long)]
        json: bool,
        /// Hits per page.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Page number, from 1.
        #[arg(long, default_value_t = 1)]
        page: usize,
    },
    /// Keyword in context: every occurrence of a term (or of a query's
    /// words, in the documents its fields select), with its context.
    Kwic {
        term: String,
        /// Order by the words before the keyword, after it, or by document.
        #[arg(long, value_enum, default_value = "doc")]
        sort: search::KwicSortArg,
        /// Characters of context on each side.
        #[arg(long, default_value_t = 40)]
        width: usize,
        /// CSV: id, field, left, keyword, right.
        #[arg(long)]
        csv: bool,
    },
    /// The documents most like one document, by the words that
    /// characterise it.
    Similar {
        /// Document id, or a letter number.
        id: String,
        #[arg(long, short = 'n', default_value_t = 10)]
        n: usize,
        /// JSON Lines, one document per line.
        #[arg(long)]
        json: bool,
    },
    /// Export the archive: TEI P5 (one file per document and a
    /// personography), CSV / JSON Lines tables, or one CMIF file
    /// (correspondence metadata for correspSearch: letters and telegrams
    /// with a sender and an addressee).
    Export {
        #[arg(long, value_enum)]
        format: export::Format,
        /// The output folder (tei, csv, jsonl) or file (cmif).
        #[arg(long)]
        out: PathBuf,
        /// cmif: where the edition is published (e.g. the reading room,
        /// `https://example.org/fond`). Names get `@ref` to its person and
        /// body pages, letters to their pages, and the file's URL is
        /// `{base-url}/{file name}`. Without it names carry no `@ref` (fond
        /// has no VIAF/GND identifiers) and the URL is a `file:` URI.
        #[arg(long)]
        base_url: Option<String>,
        /// cmif: letters imported from CMIF files go back verbatim; with
        /// this, changed where `cmi-customization.rng` forbids what their
        /// publisher wrote (`@sameAs` left out, `@cert` other than `low`
        /// made `low` or, when `high`, left out), with a count of each.
        #[arg(long)]
        conform: bool,
        /// Export restricted and embargoed documents too (left out by
        /// default: an export is a publication).
        #[arg(long)]
        include_restricted: bool,
    },
    /// A document's witnesses aligned token by token, the substantive
    /// variants marked (`--format tei` for TEI parallel segmentation).
    Collate {
        id: String,
        #[arg(long, value_enum, default_value = "text")]
        format: collate::Format,
        /// Shorthand for `--format json`.
        #[arg(long)]
        json: bool,
        /// Hide spacing, hyphenation, punctuation, case and spelling variants.
        #[arg(long)]
        hide_trivial: bool,
    },
    /// Every person of the authority file (`--json`: one object per line).
    People {
        #[arg(long)]
        json: bool,
    },
    /// One person, found by any spelling (Latin or Cyrillic): biography,
    /// offices, the documents that mention them, who is named beside them.
    Person {
        query: String,
        #[arg(long)]
        json: bool,
    },
    /// One party, state or Comintern body, by any of its names.
    Body {
        query: String,
        #[arg(long)]
        json: bool,
    },
    /// The members of a body at a date.
    Who {
        #[arg(long)]
        body: String,
        /// YYYY-MM-DD (or a year).
        #[arg(long)]
        on: String,
        #[arg(long)]
        json: bool,
    },
    /// The correspondence graph or the co-mention graph, for Gephi.
    Network {
        #[arg(long, value_enum, default_value = "gexf")]
        format: people::NetworkFormat,
        #[arg(long, value_enum, default_value = "letters")]
        graph: people::Graph,
    },
    /// Benchmarks against a named peer, printed as ratios.
    Bench {
        #[command(subcommand)]
        what: bench::BenchCommand,
    },
}

#[derive(Subcommand)]
enum CorrectionsCommand {
    /// Every correction in the history's order, with its state at the last
    /// re-derivation (applied, agrees, superseded, conflict, reverted).
    List {
        /// Only this document's (id or letter number).
        id: Option<String>,
        /// JSON Lines: the correction with `state` and `now`.
        #[arg(long)]
        json: bool,
    },
    /// Every entry of the history as JSON Lines (stdout, or --out FILE).
    Export {
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Add the entries of a JSON Lines file (as `export` writes it); a
    /// malformed line stores nothing of the file.
    Import { file: PathBuf },
    /// Take a correction back: a new entry of the history, never a delete.
    Revert {
        /// The correction's id (`fond corrections list`, `fond history`).
        id: String,
        #[arg(long)]
        why: String,
        #[arg(long)]
        by: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // A reader that stops early (`fond kwic grain | head`) is not an
        // error.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("fond: error: {}", render::clean(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}

// Long: one arm per command, each only opening the archive as the command
// needs and calling the command's module; the list is the CLI.
fn run(cli: Cli) -> Result<ExitCode> {
    writer::set_no_wait(cli.no_wait);
    let stdout = std::io::stdout();
    // Everything printed goes through the terminal-safe writer.
    let mut out = render::CleanWriter::new(stdout.lock());
    match cli.command {
        Command::Ingest {
            mut paths,
            json,
            shape,
            profile,
        } => {
            let shape = match shape {
                Some(s) => Some(fond_model::SourceShape::parse(&s).with_context(|| {
                    format!(
                        "unknown shape \"{s}\"; expected one of: {}",
                        fond_ingest::profile::shapes()
                    )
                })?),
                None => None,
            };
            paths.extend(profile);
            ingest::run(&cli.archive, &paths, json, shape, &mut out)
        }
        Command::Profile { path } => {
            let bytes =
                std::fs::read(&path).with_context(|| format!("{}: cannot read", path.display()))?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_else(|| path.display().to_string());
            let text = fond_ingest::decode(&name, &bytes)?;
            write!(out, "{}", fond_ingest::infer_profile(&name, &text))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Remove { sources, json } => ingest::remove(&cli.archive, &sources, json, &mut out),
        Command::List {
            year,
            kind,
            from,
            to,
            json,
            held,
        } => {
            let held = match held.as_deref() {
                None => None,
                Some("full") => Some(false),
                Some("metadata") => Some(true),
                Some(h) => anyhow::bail!("unknown --held \"{h}\"; expected full or metadata"),
            };
            let archive = writer::open_for_reading(&cli.archive)?;
            let kind = match kind {
                Some(k) => Some(DocKind::parse(&k).with_context(|| {
                    format!(
                        "unknown kind \"{k}\"; expected one of: {}",
                        DocKind::ALL.map(|k| k.as_str()).join(", ")
                    )
                })?),
                None => None,
            };
            let filter = DocFilter {
                year,
                kind,
                from,
                to,
                collection: None,
            };
            if json || held.is_some() {
                let docs: Vec<_> = archive
                    .documents(&filter)?
                    .into_iter()
                    .filter(|d| held.is_none_or(|m| d.metadata_only == m))
                    .collect();
                if json {
                    for d in &docs {
                        serde_json::to_writer(
                            &mut out,
                            &fond_web::contract::DocumentSummary::of(d),
                        )?;
                        writeln!(out)?;
                    }
                } else {
                    let rows: Vec<_> = docs.iter().map(fond_store::ListRow::of).collect();
                    render::list_table(&rows, &mut out)?;
                }
            } else {
                render::list_table(&archive.list(&filter)?, &mut out)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { id, json } => {
            let archive = writer::open_for_reading(&cli.archive)?;
            let doc = find_document(&archive, &id)?;
            if json {
                let mentions = archive.mentions_in(&doc.id)?;
                let v = fond_web::contract::DocumentJson::with_links(&doc, &mentions);
                serde_json::to_writer_pretty(&mut out, &v)?;
                writeln!(out)?;
            } else {
                render::show_text(&doc, &mut out)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            paths,
            addr,
            public_url,
            editor,
            private,
        } => {
            if editor && !addr.ip().is_loopback() {
                anyhow::bail!(
                    "--editor serves restricted and embargoed documents to anyone without a \
                     login: it listens only on a loopback address (127.0.0.1 or ::1), not {addr}; \
                     elsewhere editors log in (`fond user add NAME --role editor`)"
                );
            }
            if !addr.ip().is_loopback() {
                eprintln!(
                    "fond: warning: listening on {addr}, which is not a loopback address: \
                     anyone who can reach this machine can read the archive. The reading \
                     room answers only to loopback names{}.",
                    match &public_url {
                        Some(u) => format!(" and {}", render::clean(u)),
                        None => " unless --public-url names the published host".to_string(),
                    }
                );
            }
            if !paths.is_empty() {
                let mut sink = std::io::stderr();
                let code = ingest::run(&cli.archive, &paths, false, None, &mut sink)?;
                if code != ExitCode::SUCCESS {
                    eprintln!(
                        "fond: some sources failed (see above); serving what the archive holds"
                    );
                }
            }
            let archive = writer::open_for_reading(&cli.archive).with_context(|| {
                format!(
                    "{}: no archive to serve; give the sources: `fond serve PATH`",
                    cli.archive.display()
                )
            })?;
            let viewer = if editor {
                fond_model::visibility::Viewer::Editor
            } else {
                fond_model::visibility::Viewer::Public
            };
            let site = fond_web::Site::load(&cli.archive, restrict::profile_settings(&archive)?)
                .with_context(|| {
                    format!(
                        "{}: no archive to serve; give the sources: `fond serve PATH`",
                        cli.archive.display()
                    )
                })?
                .with_viewer(viewer)
                .with_accounts(
                    &cli.archive,
                    private,
                    public_url
                        .as_deref()
                        .is_some_and(|u| u.starts_with("https://")),
                )?
                .with_desk(std::sync::Arc::new(restrict::ArchiveDesk::new(
                    &cli.archive,
                )));
            if private && archive.users(0)?.is_empty() {
                anyhow::bail!(
                    "--private: the archive has no accounts, so no one could log in; add one \
                     with `fond user add NAME --role editor`"
                );
            }
            let closed = site
                .scope(fond_model::visibility::Viewer::Public)
                .hidden_ids()
                .len();
            if closed > 0 && !editor {
                eprintln!(
                    "fond: the public view: {closed} restricted or embargoed documents leave no trace (`fond restrictions` lists them; `--editor` shows them)"
                );
            }
            let site = match search::open_index(&cli.archive, &archive) {
                Ok(index) => site.with_search(index),
                Err(e) => {
                    eprintln!(
                        "fond: search is unavailable: {}",
                        render::clean(&format!("{e:#}"))
                    );
                    site
                }
            };
            let site = match &public_url {
                Some(u) => site.with_public_url(u)?,
                None => site,
            };
            // The reading room's writes are answered at once: a browser is
            // waiting, so a held lock is "busy, try again", not a wait.
            writer::set_no_wait(true);
            fond_web::serve(site, addr, |bound| {
                eprintln!(
                    "fond: the reading room is open at http://{bound}/{}",
                    if editor {
                        " (the editors' view: restricted and embargoed documents shown)"
                    } else if private {
                        " (private: log in at /login)"
                    } else {
                        ""
                    }
                );
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Index { json } => search::index(&cli.archive, json, &mut out),
        Command::Search {
            query,
            json,
            limit,
            page,
        } => search::search(
            &cli.archive,
            &search::SearchArgs {
                query,
                json,
                limit,
                page,
            },
            &mut out,
        ),
        Command::Kwic {
            term,
            sort,
            width,
            csv,
        } => search::kwic(&cli.archive, &term, sort, width, csv, &mut out),
        Command::Similar { id, n, json } => search::similar(&cli.archive, &id, n, json, &mut out),
        Command::Export {
            format,
            out: dir,
            base_url,
            conform,
            include_restricted,
        } => {
            let archive = writer::open_for_reading(&cli.archive)?;
            let options = export::Options {
                base_url,
                conform,
                include_restricted,
            };
            export::run(&archive, format, &dir, &options, &mut out)
        }
        Command::Collate {
            id,
            format,
            json,
            hide_trivial,
        } => {
            let archive = writer::open_for_reading(&cli.archive)?;
            let doc = find_document(&archive, &id)?;
            let format = if json { collate::Format::Json } else { format };
            collate::collate(&archive, &doc, format, hide_trivial, &mut out)
        }
        Command::People { json } => {
            people::people(&writer::open_for_reading(&cli.archive)?, json, &mut out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Person { query, json } => {
            people::person(
                &writer::open_for_reading(&cli.archive)?,
                &query,
                json,
                &mut out,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Body { query, json } => {
            people::body(
                &writer::open_for_reading(&cli.archive)?,
                &query,
                json,
                &mut out,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Who { body, on, json } => {
            people::who(
                &writer::open_for_reading(&cli.archive)?,
                &body,
                &on,
                json,
                &mut out,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Network { format, graph } => {
            people::network(
                &writer::open_for_reading(&cli.archive)?,
                graph,
                format,
                &mut out,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            json,
            kind,
            collection,
            all,
        } => review::check(&cli.archive, kind, collection, all, json, &mut out),
        Command::Review { what } => review::run(&cli.archive, what, &mut out),
        Command::Correct {
            id,
            field,
            value,
            to,
            before,
            after,
            place,
            why,
            by,
            json,
        } => correct::correct(
            &cli.archive,
            correct::CorrectArgs {
                id,
                field,
                value,
                why,
                by,
                json,
                to,
                before,
                after,
                place,
            },
            &mut out,
        ),
        Command::Corrections { what } => match what {
            CorrectionsCommand::List { id, json } => {
                correct::list(&cli.archive, id.as_deref(), json, &mut out)
            }
            CorrectionsCommand::Export { out: file } => {
                correct::export(&cli.archive, file.as_deref(), &mut out)
            }
            CorrectionsCommand::Import { file } => correct::import(&cli.archive, &file, &mut out),
            CorrectionsCommand::Revert { id, why, by } => {
                correct::revert(&cli.archive, &id, &why, by, &mut out)
            }
        },
        Command::History { id, json } => correct::history(&cli.archive, &id, json, &mut out),
        Command::Bench { what } => bench::run(what, &cli.archive, &mut out),
        Command::Restrict {
            id,
            collection,
            source,
            until,
            readers,
            why,
            by,
        } => restrict::set(
            &cli.archive,
            restrict::Request {
                id,
                collection,
                source,
                until,
                readers,
                why,
                by,
            },
            false,
            &mut out,
        ),
        Command::Release {
            id,
            collection,
            source,
            why,
            by,
        } => restrict::set(
            &cli.archive,
            restrict::Request {
                id,
                collection,
                source,
                until: None,
                readers: Vec::new(),
                why,
                by,
            },
            true,
            &mut out,
        ),
        Command::Restrictions { json } => restrict::list(&cli.archive, json, &mut out),
        Command::User { command } => user::run(&cli.archive, command, &mut out),
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
