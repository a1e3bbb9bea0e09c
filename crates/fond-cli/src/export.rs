//! `fond export`: TEI P5 (one file per document plus a personography),
//! CSV and JSON Lines tables, from the archive.
//!
//! The archive stores authority records as `fond-authority`'s JSON; this
//! module turns them into the export crate's own records, which keeps
//! `fond-export` free of the authority crate.

use anyhow::{Context, Result};
use clap::ValueEnum;
use fond_export::{
    tabular, tei, EntityKind, Field, LifeDate, Mention, OfficeEntry, OrgEntry, PartialDate,
    PeriodicalEntry, PersonEntry,
};
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

fn life(y: &fond_authority::LifeYear) -> LifeDate {
    LifeDate {
        year: y.year,
        alternatives: y.alternatives.clone(),
        uncertain: y.uncertain,
        printed: y.printed.clone(),
    }
}

fn point(p: &fond_authority::Point) -> PartialDate {
    PartialDate {
        year: p.year,
        month: p.month,
        day: p.day,
    }
}

fn person(p: &fond_authority::Person) -> PersonEntry {
    let mut variants: Vec<String> = Vec::new();
    for n in p
        .real_name
        .iter()
        .chain(&p.pseudonyms)
        .chain(&p.other_names)
        .chain(p.aliases.iter().map(|a| &a.name))
    {
        if !variants.contains(n) && n != &p.name {
            variants.push(n.clone());
        }
    }
    PersonEntry {
        id: p.id.0.clone(),
        name: p.name.clone(),
        surname: p.surname.clone(),
        forenames: p.forenames.clone(),
        variants,
        born: p.born.as_ref().map(life),
        died: p.died.as_ref().map(life),
        repressed: p.repressed(),
        offices: p
            .offices
            .iter()
            .map(|o| OfficeEntry {
                body: o.body.as_ref().map(|b| b.0.clone()),
                body_text: o.body_text.clone(),
                role: o.role.clone(),
                from: o.from.as_ref().map(point),
                to: o.to.as_ref().map(point),
                approximate: o.from.is_some_and(|p| p.approximate)
                    || o.to.is_some_and(|p| p.approximate),
            })
            .collect(),
        biography: p.biography.clone(),
    }
}

fn org(b: &fond_authority::Body) -> OrgEntry {
    let kind = serde_json::to_value(b.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    OrgEntry {
        id: b.id.0.clone(),
        name: b.name.clone(),
        kind,
        parent: b.parent.as_ref().map(|p| p.0.clone()),
        variants: b
            .aliases
            .iter()
            .chain(&b.abbreviations)
            .chain(&b.russian)
            .cloned()
            .collect(),
    }
}

fn periodical(p: &fond_authority::Periodical) -> PeriodicalEntry {
    PeriodicalEntry {
        id: p.id.0.clone(),
        title: p.title.clone(),
        translation: p.translation.clone(),
        variants: p.aliases.iter().chain(&p.russian).cloned().collect(),
    }
}

fn records<T: serde::de::DeserializeOwned>(archive: &Archive, kind: &str) -> Result<Vec<T>> {
    archive
        .entities(Some(kind))?
        .iter()
        .map(|e| serde_json::from_str(&e.record).with_context(|| format!("{kind} record {}", e.id)))
        .collect()
}

pub fn run(
    archive: &Archive,
    format: Format,
    out: &Path,
    base_url: Option<&str>,
    report: &mut impl Write,
) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let docs = archive.documents(&DocFilter::default())?;
    let mut sources = archive.sources()?;
    // The editions CMIF files cite, so that their letters go out as they
    // came in.
    let mut source_bibls: Vec<fond_export::cmif::SourceBibl> = Vec::new();
    // Sources an ingested export of fond describes but the archive does
    // not hold (the book behind a re-imported TEI export): their titles
    // and kinds, so the export describes them as the first one did.
    for stored in archive.stored_sources()? {
        if stored.source.shape != fond_model::SourceShape::Tei {
            continue;
        }
        if matches!(format, Format::Cmif) {
            let bibls = fond_ingest::tei::cmif_bibls(&stored.source.name, &stored.text)
                .map_err(|e| anyhow::anyhow!("stored source no longer reads: {e}"))?;
            source_bibls.extend(
                bibls
                    .into_iter()
                    .map(|(id, xml)| fond_export::cmif::SourceBibl {
                        file: stored.source.name.clone(),
                        id,
                        xml,
                    }),
            );
        }
        let described = fond_ingest::tei::described_sources(&stored.source.name, &stored.text)
            .map_err(|e| anyhow::anyhow!("stored source no longer reads: {e}"))?;
        for d in described {
            if !sources.iter().any(|s| s.name == d.name) {
                sources.push(d);
            }
        }
    }
    let people: Vec<PersonEntry> = records::<fond_authority::Person>(archive, "person")?
        .iter()
        .map(person)
        .collect();
    let orgs: Vec<OrgEntry> = records::<fond_authority::Body>(archive, "body")?
        .iter()
        .map(org)
        .collect();
    let periodicals: Vec<PeriodicalEntry> =
        records::<fond_authority::Periodical>(archive, "periodical")?
            .iter()
            .map(periodical)
            .collect();
    let mut mentions = Vec::new();
    for m in archive.all_mentions(false)? {
        mentions.push(Mention {
            field: Field::parse(&m.field)?,
            entity_kind: EntityKind::parse(&m.entity_kind)?,
            doc_id: m.doc_id,
            entity_id: m.entity_id,
            start: m.start as usize,
            end: m.end as usize,
            surface: m.surface,
            confidence: m.confidence,
            resolved: m.resolved,
            how: m.how,
            candidates: m.candidates,
        });
    }
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
            base_url,
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
    base_url: Option<&str>,
    started: std::time::Instant,
    report: &mut impl Write,
) -> Result<ExitCode> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "cmif.xml".into());
    let base = base_url.map(|b| b.trim_end_matches('/').to_string());
    let url = match &base {
        Some(b) => format!("{b}/{name}"),
        None => {
            let abs = std::path::absolute(out)
                .with_context(|| format!("{}: cannot resolve", out.display()))?;
            format!("file://{}", abs.display()).replace(' ', "%20")
        }
    };
    let mut meta = fond_export::cmif::CmifMeta::new(&url, &today());
    meta.base_url = base;
    meta.source_bibls = source_bibls;
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

/// Today's date (UTC) as `YYYY-MM-DD`, for `publicationStmt/date`: CMIF
/// harvesters compare it to notice an updated file.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    fond_model::Day::from_days_since_epoch((secs / 86_400) as i64)
        .map(|d| d.iso())
        .unwrap_or_else(|| "1970-01-01".into())
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
            tei::Change {
                doc_id: c.target.document.clone(),
                text: format!(
                    "{} corrected {}: {} (recovered as {}). {}",
                    c.by,
                    c.target.field,
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
