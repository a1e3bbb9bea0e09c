//! The header: title, ids and collection (from the edition's own
//! statements, never a URL host), who wrote the notes, witnesses, the
//! archival location, the licence.

use super::*;

pub(super) struct Header {
    pub(super) id: String,
    pub(super) collection: String,
    pub(super) title: String,
    pub(super) number: Option<u32>,
    /// `respStmt/@xml:id` → name, and the note role its `resp` names in
    /// fond's own dialect.
    pub(super) resp: BTreeMap<String, (String, Option<NoteRole>)>,
    pub(super) witnesses: Vec<Witness>,
    pub(super) attribution: String,
    pub(super) archival: Option<ArchivalRef>,
    pub(super) marginalia: Vec<Marginal>,
    /// Written by fond's own export.
    pub(super) fond: bool,
    /// The editors the title statement names (who wrote its notes).
    pub(super) editors: Vec<String>,
}

/// Persistent-identifier resolvers: their host names no edition.
pub(super) fn is_resolver(u: &str) -> bool {
    [
        "hdl.handle.net",
        "doi.org",
        "dx.doi.org",
        "n2t.net",
        "purl.org",
        "nbn-resolving.org",
        "nbn-resolving.de",
        "w3id.org",
    ]
    .iter()
    .any(|h| url_host(u) == Some(*h))
}

pub(super) fn url_host(u: &str) -> Option<&str> {
    let rest = u.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    Some(host.strip_prefix("www.").unwrap_or(host)).filter(|h| !h.is_empty())
}

/// The letter's own title: the main one, else the analytic one (an
/// edition's `level="a"`: "X an Y, date"), else the first that is not the
/// series' or the volume's; only then whatever comes first.
fn letter_title(title_stmt: Node<'_, '_>) -> String {
    let level = |x: &Node<'_, '_>, l: &str| x.attribute("level") == Some(l);
    children(title_stmt, "title")
        .find(|x| x.attribute("type") == Some("main"))
        .or_else(|| children(title_stmt, "title").find(|x| level(x, "a")))
        .or_else(|| children(title_stmt, "title").find(|x| !level(x, "s") && !level(x, "m")))
        .or_else(|| child(title_stmt, "title"))
        .map(reading_text)
        .unwrap_or_default()
}

pub(super) fn header(ctx: &ReadContext<'_>, root: Node<'_, '_>, h: Option<Node<'_, '_>>) -> Header {
    let file_desc = h.and_then(|h| child(h, "fileDesc"));
    let title_stmt = file_desc.and_then(|f| child(f, "titleStmt"));
    let title = title_stmt.map(letter_title).unwrap_or_default();
    let mut resp = BTreeMap::new();
    if let Some(t) = title_stmt {
        for r in children(t, "respStmt") {
            if let Some(id) = r.attribute(("http://www.w3.org/XML/1998/namespace", "id")) {
                let name = r
                    .children()
                    .find(|c| is(*c, "name") || is(*c, "persName") || is(*c, "orgName"))
                    .map(reading_text)
                    .unwrap_or_else(|| id.to_string());
                let role = children(r, "resp").find_map(|x| {
                    let what = reading_text(x);
                    NoteRole::ALL
                        .into_iter()
                        .find(|k| k.responsibility() == what)
                });
                resp.insert(id.to_string(), (name, role));
            }
        }
    }
    let pub_stmt = file_desc.and_then(|f| child(f, "publicationStmt"));
    let fond_id = pub_stmt
        .and_then(|p| children(p, "idno").find(|i| i.attribute("type") == Some("fond")))
        .map(reading_text)
        .filter(|s| !s.is_empty());
    let xml_id = root
        .attribute(("http://www.w3.org/XML/1998/namespace", "id"))
        .map(str::to_string)
        .unwrap_or_else(|| {
            ctx.name
                .rsplit_once('.')
                .map_or(ctx.name, |(s, _)| s)
                .to_string()
        });
    let (id, collection) = match &fond_id {
        Some(fid) => {
            let coll = fid.split('/').next().unwrap_or(fid).to_string();
            (fid.clone(), coll)
        }
        None => {
            // The edition names itself: the series title of the title
            // statement or the series statement. Failing that, the
            // publisher's site names the edition the letters come from
            // (a resolver such as a handle server names nothing).
            let series = file_desc
                .and_then(|f| child(f, "titleStmt"))
                .into_iter()
                .flat_map(|t| children(t, "title"))
                .find(|t| t.attribute("level") == Some("s"))
                .or_else(|| {
                    file_desc
                        .and_then(|f| child(f, "seriesStmt"))
                        .and_then(|s| child(s, "title"))
                })
                .map(reading_text)
                .filter(|t| !t.is_empty());
            let host = series.or_else(|| {
                pub_stmt
                    .into_iter()
                    .flat_map(|p| children(p, "idno"))
                    .filter_map(|n| n.text())
                    .filter(|u| !is_resolver(u))
                    .find_map(url_host)
                    .map(str::to_string)
            });
            let base = host
                .or_else(|| {
                    pub_stmt
                        .and_then(|p| child(p, "publisher"))
                        .map(reading_text)
                })
                .map(|s| fond_text::slug(&s))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "tei".into());
            let coll = ctx.collection_for(&base);
            (format!("{coll}/{xml_id}"), coll)
        }
    };
    let id = match (&fond_id, ctx.collection_suffix.is_empty()) {
        (Some(_), false) => id.replacen(&collection, &ctx.collection_for(&collection), 1),
        _ => id,
    };
    let collection = if fond_id.is_some() {
        ctx.collection_for(&collection)
    } else {
        collection
    };
    let source_desc = file_desc.and_then(|f| child(f, "sourceDesc"));
    let number = source_desc
        .into_iter()
        .flat_map(|s| s.descendants())
        .find(|n| is(*n, "biblScope") && n.attribute("unit") == Some("letter"))
        .and_then(|n| n.attribute("n"))
        .and_then(|n| n.parse().ok());
    // Witnesses fond wrote (`listWit` with the file and line span).
    let mut witnesses = Vec::new();
    let mut witness_ids: Vec<Option<String>> = Vec::new();
    // Other editions' `listWit` describe manuscripts, not spans of files
    // fond holds.
    if let Some(lw) = source_desc
        .and_then(|s| child(s, "listWit"))
        .filter(|_| fond_id.is_some())
    {
        for w in children(lw, "witness") {
            let bibl = child(w, "bibl");
            let file = bibl
                .and_then(|b| children(b, "idno").find(|i| i.attribute("type") == Some("file")))
                .map(reading_text);
            let scope = bibl.and_then(|b| {
                children(b, "biblScope").find(|s| s.attribute("unit") == Some("line"))
            });
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
            witness_ids.push(
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
    }
    // The witnesses' texts, from the collation fond wrote in `back`: each
    // is the text between the variants plus its own readings, so that the
    // witnesses can be read and collated again after an import.
    // A transcription fond wrote beside the collation is the witness as
    // it stood; failing that, the collation's readings give its words.
    let back = path(root, &["text", "back"]);
    for (w, id) in witnesses.iter_mut().zip(&witness_ids) {
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
    // The licence and how to cite: kept with every document, because the
    // licence (CC BY-SA for the Humboldt letters) requires attribution
    // wherever the text is shown.
    let mut attribution = Vec::new();
    if let Some(ed) = file_desc.and_then(|f| child(f, "editionStmt")) {
        let t = reading_text(ed);
        if !t.is_empty() {
            attribution.push(t);
        }
    }
    if let Some(av) = pub_stmt.and_then(|p| child(p, "availability")) {
        for l in av.children().filter(|c| c.is_element()) {
            let t = reading_text(l);
            let target = l.attribute("target").unwrap_or("");
            match (t.is_empty(), target.is_empty()) {
                (false, false) => attribution.push(format!("Licence: {t} ({target})")),
                (false, true) => attribution.push(t),
                (true, false) => attribution.push(format!("Licence: {target}")),
                (true, true) => {}
            }
        }
    }
    let archival = source_desc
        .and_then(|s| path(s, &["msDesc", "msIdentifier"]))
        .and_then(ms_identifier);
    // Readers' marks as fond writes them: `by[, place]: “text” (note N)`.
    let marginalia = source_desc
        .and_then(|s| path(s, &["msDesc", "physDesc", "additions"]))
        .into_iter()
        .flat_map(|a| children(a, "p"))
        .filter_map(|p| {
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
        })
        .collect();
    Header {
        id,
        collection,
        title,
        number,
        resp,
        witnesses,
        attribution: attribution.join(" "),
        archival,
        marginalia,
        fond: fond_id.is_some(),
        editors: title_stmt
            .into_iter()
            .flat_map(|t| children(t, "editor"))
            .flat_map(|e| {
                let names: Vec<String> = children(e, "name")
                    .chain(children(e, "persName"))
                    .map(reading_text)
                    .filter(|n| !n.is_empty())
                    .collect();
                if names.is_empty() {
                    vec![reading_text(e)]
                } else {
                    names
                }
            })
            .filter(|n| !n.is_empty())
            .collect(),
    }
}

/// `msIdentifier` as an archival reference: repository (or institution)
/// and the `idno`s, typed as fond writes them or one shelfmark.
pub(super) fn ms_identifier(ms: Node<'_, '_>) -> Option<ArchivalRef> {
    let archive = child(ms, "repository")
        .or_else(|| child(ms, "institution"))
        .map(reading_text)
        .unwrap_or_default();
    let typed = |t: &str| {
        ms.descendants()
            .find(|n| is(*n, "idno") && n.attribute("type") == Some(t))
            .map(reading_text)
    };
    let fond = typed("fond").or_else(|| typed("shelfmark")).or_else(|| {
        children(ms, "idno")
            .map(reading_text)
            .find(|s| !s.is_empty())
    })?;
    if archive.is_empty() && fond.is_empty() {
        return None;
    }
    let sheets = typed("sheets").map(|s| sheets(&s));
    let r = ArchivalRef {
        text: String::new(),
        archive,
        fond,
        opis: typed("opis"),
        delo: typed("delo"),
        sheets,
        ibid: false,
    };
    // As printed: fond's own reference, else the location's parts in
    // order (institution, repository, collection, shelfmark), which reads
    // better for a library than the Russian `f.` convention.
    let parts: Vec<String> = ms
        .descendants()
        .filter(|n| {
            ["institution", "repository", "collection"]
                .iter()
                .any(|k| is(*n, k))
                || (is(*n, "idno") && !n.children().any(|c| is(c, "idno")))
        })
        .map(reading_text)
        .filter(|t| !t.is_empty())
        .collect();
    let printed = typed("reference").unwrap_or_else(|| parts.join(", "));
    Some(ArchivalRef { text: printed, ..r })
}

/// Sheets as printed (`l. 5`, `ll. 8-23`, `ll. 11, 32`).
pub(super) fn sheets(s: &str) -> Sheets {
    let t = s
        .trim()
        .trim_start_matches("ll.")
        .trim_start_matches("l.")
        .trim();
    if let Some((a, b)) = t.split_once('-') {
        if !t.contains(',') {
            return Sheets::Range {
                from: a.trim().into(),
                to: b.trim().into(),
            };
        }
    }
    if t.contains(',') || s.trim().starts_with("ll.") {
        return Sheets::List {
            items: t.split(',').map(|x| x.trim().to_string()).collect(),
        };
    }
    Sheets::Single { sheet: t.into() }
}
