//! `fond export`: TEI P5 (one file per document plus a personography),
//! CSV and JSON Lines tables, from the archive.
//!
//! The archive's authority records are the model's; `fond-export` reduces
//! them to what its files carry (`PersonEntry::from` and kin).

use anyhow::{Context, Result};
use clap::ValueEnum;
use fond_export::{tabular, tei, Mention, OrgEntry, PeriodicalEntry, PersonEntry};
use fond_model::authority::Record;
use fond_store::{Archive, DocFilter};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    Tei,
    Csv,
    Jsonl,
    /// One CMIF file (`--out` is a file).
    Cmif,
}

/// The archive's authority records of one kind, as the export writes
/// them.
fn entries<'a, T: From<&'a R>, R: 'a>(
    records: &'a [Record],
    pick: impl Fn(&'a Record) -> Option<&'a R>,
) -> Vec<T> {
    records.iter().filter_map(pick).map(T::from).collect()
}

/// What `fond export` was asked for besides the format and the place.
#[derive(Debug, Default)]
pub struct Options {
    /// cmif: where the edition is published.
    pub base_url: Option<String>,
    /// cmif: letters written back verbatim are made to conform to the CMIF
    /// schema (`fond_export::cmif::conform`).
    pub conform: bool,
    /// Restricted and embargoed documents go out too.
    pub include_restricted: bool,
}

/// What an export publishes: the documents the public may read today
/// (all of them with `--include-restricted`), the mentions in those, and
/// the authority records not known only through documents left out (a
/// person a restricted letter brought in would name its party). Public
/// documents' references to documents left out are taken out. Says how
/// many documents it left out.
fn publishable(
    archive: &Archive,
    options: &Options,
    report: &mut impl Write,
) -> Result<(Vec<fond_model::Document>, Vec<Record>, Vec<Mention>)> {
    let mut docs = archive.documents(&DocFilter::default())?;
    let mut records = archive.entities(None)?;
    let mut mentions = archive.all_mentions(false)?;
    if options.include_restricted {
        return Ok((docs, records, mentions));
    }
    let rules = crate::restrict::rules(archive)?;
    let (_, today) = crate::restrict::now();
    let left_out: std::collections::HashSet<String> = docs
        .iter()
        .filter(|d| rules.hidden(d, &fond_model::visibility::Viewer::Public, today))
        .map(|d| d.id.clone())
        .collect();
    if left_out.is_empty() {
        return Ok((docs, records, mentions));
    }
    docs.retain(|d| !left_out.contains(&d.id));
    for d in docs.iter_mut() {
        d.quoted_in = d.quoted_in.take().filter(|id| !left_out.contains(id));
        d.quotes.retain(|id| !left_out.contains(id));
    }
    let named: std::collections::HashSet<_> = mentions.iter().map(|m| m.entity.clone()).collect();
    mentions.retain(|m| !left_out.contains(&m.doc_id));
    let still: std::collections::HashSet<_> = mentions.iter().map(|m| m.entity.clone()).collect();
    records.retain(|r| {
        let e = r.entity();
        !named.contains(&e) || still.contains(&e)
    });
    writeln!(
        report,
        "left out {} restricted or embargoed documents (--include-restricted exports them)",
        left_out.len()
    )?;
    Ok((docs, records, mentions))
}

pub fn run(
    archive: &Archive,
    format: Format,
    out: &Path,
    options: &Options,
    report: &mut impl Write,
) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let (docs, records, mentions) = publishable(archive, options, report)?;
    let mut sources = archive.sources()?;
    let source_bibls = read_stored_tei(archive, matches!(format, Format::Cmif), &mut sources)?;
    let people: Vec<PersonEntry> = entries(&records, |r| match r {
        Record::Person(p) => Some(p),
        _ => None,
    });
    let orgs: Vec<OrgEntry> = entries(&records, |r| match r {
        Record::Body(b) => Some(b),
        _ => None,
    });
    let periodicals: Vec<PeriodicalEntry> = entries(&records, |r| match r {
        Record::Periodical(p) => Some(p),
        _ => None,
    });
    let editions = built_in_editions()?;
    let has_book = sources
        .iter()
        .any(|s| s.shape == fond_model::SourceShape::EditionMarkdown);
    if let Format::Cmif = format {
        let mut ctx = tei::TeiContext::for_sources(&sources);
        // A printed edition's bibliography goes with the book it describes.
        if has_book {
            for e in &editions {
                ctx = ctx.with_edition(e.clone());
            }
        }
        return write_cmif(
            &docs,
            &sources,
            source_bibls,
            ctx.editions(),
            &mentions,
            out,
            options,
            started,
            report,
        );
    }
    std::fs::create_dir_all(out).with_context(|| format!("{}: cannot create", out.display()))?;
    let written = match format {
        Format::Tei => {
            let mut ctx = tei::TeiContext::for_sources(&sources)
                .with_mentions(mentions.iter().cloned())
                .with_changes(changes(archive)?);
            // Documents of a printed edition keep its bibliography, with the
            // book or without it (read back from fond's own TEI export).
            for e in &editions {
                if has_book || docs.iter().any(|d| d.collection == e.collection) {
                    ctx = ctx.with_edition(e.clone());
                }
            }
            let files = tei::edition_files(&docs, &ctx, &people, &orgs, &periodicals)?;
            tei::write_files(out, &files)?;
            files.len()
        }
        Format::Csv | Format::Jsonl => {
            let csv = matches!(format, Format::Csv);
            let ext = if csv { "csv" } else { "jsonl" };
            let file = |name: &str| -> Result<std::io::BufWriter<std::fs::File>> {
                let p = out.join(format!("{name}.{ext}"));
                Ok(std::io::BufWriter::new(
                    std::fs::File::create(&p)
                        .with_context(|| format!("{}: cannot write", p.display()))?,
                ))
            };
            if csv {
                tabular::documents_csv(file("documents")?, &docs)?;
                tabular::notes_csv(file("notes")?, &docs)?;
                tabular::archival_refs_csv(file("archival_refs")?, &docs)?;
                tabular::people_csv(file("people")?, &people, &mentions)?;
                tabular::mentions_csv(file("mentions")?, &mentions)?;
            } else {
                tabular::documents_jsonl(file("documents")?, &docs)?;
                tabular::notes_jsonl(file("notes")?, &docs)?;
                tabular::archival_refs_jsonl(file("archival_refs")?, &docs)?;
                tabular::people_jsonl(file("people")?, &people, &mentions)?;
                tabular::mentions_jsonl(file("mentions")?, &mentions)?;
            }
            5
        }
        Format::Cmif => 0,
    };
    writeln!(
        report,
        "exported {written} files to {} in {:.3} s",
        out.display(),
        started.elapsed().as_secs_f64()
    )?;
    Ok(ExitCode::SUCCESS)
}

/// What the archive's TEI sources tell an export: the sources an ingested
/// export of fond describes but the archive does not hold (the book behind
/// a re-imported TEI export), added to `sources` so the export describes
/// them as the first one did; and, for CMIF, the editions CMIF files cite,
/// so that their letters go out as they came in.
fn read_stored_tei(
    archive: &Archive,
    cmif: bool,
    sources: &mut Vec<fond_model::Source>,
) -> Result<Vec<fond_export::cmif::SourceBibl>> {
    let mut source_bibls: Vec<fond_export::cmif::SourceBibl> = Vec::new();
    for stored in archive.stored_sources()? {
        if stored.source.shape != fond_model::SourceShape::Tei {
            continue;
        }
        let read =
            fond_ingest::tei::for_export(&stored.source.name, &stored.text).map_err(|e| {
                anyhow::anyhow!("{}: stored source no longer reads: {e}", stored.source.name)
            })?;
        if cmif {
            source_bibls.extend(read.cmif_bibls.into_iter().map(|(id, xml)| {
                fond_export::cmif::SourceBibl {
                    file: stored.source.name.clone(),
                    id,
                    xml,
                }
            }));
        }
        for d in read.described {
            if !sources.iter().any(|s| s.name == d.name) {
                sources.push(d);
            }
        }
    }
    Ok(source_bibls)
}

/// `--format cmif`: one file, what was left out and why, and the export's
/// throughput (the benchmark figure).
#[allow(clippy::too_many_arguments)]
fn write_cmif(
    docs: &[fond_model::Document],
    sources: &[fond_model::Source],
    source_bibls: Vec<fond_export::cmif::SourceBibl>,
    editions: &[tei::PrintEdition],
    mentions: &[Mention],
    out: &Path,
    options: &Options,
    started: std::time::Instant,
    report: &mut impl Write,
) -> Result<ExitCode> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "cmif.xml".into());
    let base = options
        .base_url
        .as_deref()
        .map(|b| b.trim_end_matches('/').to_string());
    let url = match &base {
        Some(b) => format!("{b}/{name}"),
        None => {
            let abs = std::path::absolute(out)
                .with_context(|| format!("{}: cannot resolve", out.display()))?;
            format!("file://{}", abs.display()).replace(' ', "%20")
        }
    };
    let mut meta = fond_export::cmif::CmifMeta::new(&url, &fond_model::clock::today_utc().iso());
    meta.base_url = base;
    meta.source_bibls = source_bibls;
    meta.conform = options.conform;
    // Time the conversion itself, apart from loading the archive.
    let t = std::time::Instant::now();
    let cmif = fond_export::cmif::cmif(docs, sources, editions, mentions, &meta);
    let built = t.elapsed();
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("{}: cannot create", parent.display()))?;
    }
    std::fs::write(out, &cmif.xml).with_context(|| format!("{}: cannot write", out.display()))?;
    writeln!(
        report,
        "exported {} letters and telegrams as CMIF to {} ({} without a known date: no date element)",
        cmif.described,
        out.display(),
        cmif.undated
    )?;
    for (reason, n) in cmif.skipped_by_reason() {
        writeln!(report, "left out {n} documents: {}", reason.as_str())?;
    }
    if options.conform {
        let c = cmif.conformed;
        writeln!(
            report,
            "conform: in the letters given back, {} @sameAs left out, {} @cert made low, {} @cert=\"high\" left out",
            c.same_as, c.cert_low, c.cert_high
        )?;
    }
    let mb = cmif.xml.len() as f64 / 1e6;
    let secs = built.as_secs_f64();
    writeln!(
        report,
        "cmif: {:.3} MB built in {:.2} ms ({:.0} MB/s); whole export {:.3} s",
        mb,
        secs * 1e3,
        if secs > 0.0 { mb / secs } else { 0.0 },
        started.elapsed().as_secs_f64()
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The printed editions fond ships as data: the files of the
/// repository's `profiles/` folder (`*.edition.toml`), embedded at build
/// time with the other built-in profiles.
pub fn built_in_editions() -> Result<Vec<tei::PrintEdition>> {
    fond_ingest::profile::BUILT_IN_FILES
        .iter()
        .filter(|(name, _)| name.ends_with(".edition.toml"))
        .map(|(name, text)| {
            tei::PrintEdition::from_toml(text)
                .map_err(|e| anyhow::anyhow!("built-in edition profile {name}: {e}"))
        })
        .collect()
}

/// The corrections applied to the edition as it stands, for the TEI
/// headers' `revisionDesc`.
fn changes(archive: &Archive) -> Result<Vec<tei::Change>> {
    use fond_model::correction::{Action, State};
    Ok(archive
        .correction_rows(None)?
        .into_iter()
        .filter(|r| r.correction.action == Action::Set && r.state == Some(State::Applied))
        .map(|r| {
            let c = r.correction;
            use fond_model::correction::{Field, Value};
            // A joined witness is recorded on the document it joined.
            let doc_id = match (&c.target.field, &c.value) {
                (Field::WitnessOf, Value::Text(other)) => other.clone(),
                _ => c.target.document.clone(),
            };
            let what = match c.target.field.anchor() {
                Some((exact, _, _)) => format!("{} \"{exact}\"", c.target.field),
                None if c.target.field == Field::WitnessOf => {
                    format!("witnesses (joined {})", c.target.document)
                }
                None => c.target.field.name(),
            };
            tei::Change {
                doc_id,
                id: c.id.clone(),
                field: c.target.field.name(),
                text: format!(
                    "{} corrected {what}: {} (recovered as {}). {}",
                    c.by,
                    c.value.shown(),
                    c.recovered.shown(),
                    c.why
                ),
                who: c.by,
                when: c.at,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_built_in_edition_profiles_read() {
        let editions = super::built_in_editions().expect("built-in profiles read");
        assert!(!editions.is_empty());
        assert!(editions
            .iter()
            .all(|e| !e.collection.is_empty() && !e.title.is_empty()));
    }
}
