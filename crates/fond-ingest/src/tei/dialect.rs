//! fond's own export dialect, read back: what fond's TEI export writes
//! beyond what any TEI edition says, so that an exported edition imports
//! as it was — the `fond` idno (the document's id and collection), the
//! witnesses it holds as spans of its sources (`listWit`, each with its
//! file and lines) with their texts (the transcriptions and the collation
//! in `back`), and the readers' marks in `additions` as fond phrases them.
//! The generic reader (`header`, `body`, `parties`, `dates`) calls these
//! and reads other editions without them. The dialect's smaller marks —
//! `div/@type` as the document's kind, `bibl type="archival"` inside a
//! note, `date type="dateline"`, the `respStmt` roles — are read where the
//! generic reader reads those elements, as one attribute more.

use super::*;

/// The id fond gave the document (`publicationStmt/idno[@type="fond"]`).
pub(super) fn fond_id(pub_stmt: Option<Node<'_, '_>>) -> Option<String> {
    pub_stmt
        .and_then(|p| children(p, "idno").find(|i| i.attribute("type") == Some("fond")))
        .map(reading_text)
        .filter(|s| !s.is_empty())
}

/// The witnesses fond wrote (`listWit`, each with the file and line span
/// it was read from) with their texts.
pub(super) fn witnesses(
    ctx: &ReadContext<'_>,
    root: Node<'_, '_>,
    source_desc: Node<'_, '_>,
) -> Vec<Witness> {
    let Some(lw) = child(source_desc, "listWit") else {
        return Vec::new();
    };
    let mut witnesses = Vec::new();
    let mut ids: Vec<Option<String>> = Vec::new();
    for w in children(lw, "witness") {
        let bibl = child(w, "bibl");
        let file = bibl
            .and_then(|b| children(b, "idno").find(|i| i.attribute("type") == Some("file")))
            .map(reading_text);
        let scope = bibl
            .and_then(|b| children(b, "biblScope").find(|s| s.attribute("unit") == Some("line")));
        let label: String = w
            .children()
            .filter(|c| c.is_text())
            .filter_map(|c| c.text())
            .collect::<String>();
        let label = squash(&label).trim_end_matches(':').trim().to_string();
        let line = |k: &str| {
            scope
                .and_then(|s| s.attribute(k))
                .and_then(|v| v.parse().ok())
        };
        ids.push(
            w.attribute(("http://www.w3.org/XML/1998/namespace", "id"))
                .map(str::to_string),
        );
        witnesses.push(Witness {
            source: file.unwrap_or_else(|| ctx.name.to_string()),
            first_line: line("from").unwrap_or(1),
            last_line: line("to").unwrap_or(1),
            label: if label.is_empty() {
                reading_text(w)
            } else {
                label
            },
            text: String::new(),
            markup: fond_model::Markup::Plain,
        });
    }
    witness_texts(root, &mut witnesses, &ids);
    witnesses
}

/// The witnesses' texts, from `back`: a transcription fond wrote beside
/// the collation is the witness as it stood; failing that, the collation's
/// readings give its words (the text between the variants plus its own
/// readings), so the witnesses can be read and collated again.
fn witness_texts(root: Node<'_, '_>, witnesses: &mut [Witness], ids: &[Option<String>]) {
    let back = path(root, &["text", "back"]);
    for (w, id) in witnesses.iter_mut().zip(ids) {
        let Some(id) = id else { continue };
        let corresp = format!("#{id}");
        let transcription = back.and_then(|b| {
            children(b, "div").find(|d| {
                d.attribute("type") == Some("transcription")
                    && d.attribute("corresp") == Some(corresp.as_str())
            })
        });
        if let Some(ab) = transcription.and_then(|d| child(d, "ab")) {
            w.text = ab.text().unwrap_or("").to_string();
            if transcription.and_then(|d| d.attribute("subtype")) == Some("markdown") {
                w.markup = fond_model::Markup::Markdown;
            }
        } else if let Some(ab) = collation_ab(root) {
            w.text = witness_reading(ab, id);
        }
    }
}

/// Readers' marks as fond writes them in `msDesc/physDesc/additions`:
/// `by[, place]: “text” (note N)`, one `p` each.
pub(super) fn marginalia(source_desc: Node<'_, '_>) -> Vec<Marginal> {
    path(source_desc, &["msDesc", "physDesc", "additions"])
        .into_iter()
        .flat_map(|a| children(a, "p"))
        .filter_map(marginal)
        .collect()
}

fn marginal(p: Node<'_, '_>) -> Option<Marginal> {
    let note = p
        .descendants()
        .find(|r| is(*r, "ref"))
        .and_then(|r| r.attribute("target"))
        .and_then(|t| t.strip_prefix("#note-"))
        .and_then(|n| n.parse().ok())?;
    let t: String = p
        .children()
        .filter(|c| !is(*c, "ref"))
        .map(|c| {
            if c.is_text() {
                c.text().unwrap_or("").to_string()
            } else {
                reading_text(c)
            }
        })
        .collect();
    let t = t.trim().strip_suffix("()").unwrap_or(t.trim()).trim_end();
    let (head, quoted) = t.split_once(": “")?;
    let text = quoted.strip_suffix('”').unwrap_or(quoted);
    let (by, place) = match head.split_once(", ") {
        Some((b, p)) => (b.to_string(), Some(p.to_string())),
        None => (head.to_string(), None),
    };
    Some(Marginal {
        by,
        text: text.to_string(),
        place,
        note,
    })
}
