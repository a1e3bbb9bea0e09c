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
    let pub_stmt = file_desc.and_then(|f| child(f, "publicationStmt"));
    let source_desc = file_desc.and_then(|f| child(f, "sourceDesc"));
    let fond_id = dialect::fond_id(pub_stmt);
    let (id, collection) = identity(ctx, root, file_desc, fond_id.as_deref());
    let number = source_desc
        .into_iter()
        .flat_map(|s| s.descendants())
        .find(|n| is(*n, "biblScope") && n.attribute("unit") == Some("letter"))
        .and_then(|n| n.attribute("n"))
        .and_then(|n| n.parse().ok());
    // Other editions' `listWit` describe manuscripts, not spans of files
    // fond holds.
    let witnesses = match (fond_id.is_some(), source_desc) {
        (true, Some(sd)) => dialect::witnesses(ctx, root, sd),
        _ => Vec::new(),
    };
    Header {
        id,
        collection,
        title: title_stmt.map(letter_title).unwrap_or_default(),
        number,
        resp: title_stmt.map(responsibilities).unwrap_or_default(),
        witnesses,
        attribution: attribution(file_desc, pub_stmt),
        archival: source_desc
            .and_then(|s| path(s, &["msDesc", "msIdentifier"]))
            .and_then(ms_identifier),
        marginalia: source_desc.map(dialect::marginalia).unwrap_or_default(),
        fond: fond_id.is_some(),
        editors: title_stmt.map(editors).unwrap_or_default(),
    }
}

/// `respStmt/@xml:id` → the name it gives, and the note role its `resp`
/// names in fond's own dialect.
fn responsibilities(title_stmt: Node<'_, '_>) -> BTreeMap<String, (String, Option<NoteRole>)> {
    let mut resp = BTreeMap::new();
    for r in children(title_stmt, "respStmt") {
        let Some(id) = r.attribute(("http://www.w3.org/XML/1998/namespace", "id")) else {
            continue;
        };
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
    resp
}

/// The document's id and collection: fond's own idno when fond wrote the
/// file; otherwise the collection the edition names and the file's
/// `xml:id` (else its name) within it.
fn identity(
    ctx: &ReadContext<'_>,
    root: Node<'_, '_>,
    file_desc: Option<Node<'_, '_>>,
    fond_id: Option<&str>,
) -> (String, String) {
    if let Some(fid) = fond_id {
        let coll = fid.split('/').next().unwrap_or(fid);
        let collection = ctx.collection_for(coll);
        let id = if ctx.collection_suffix.is_empty() {
            fid.to_string()
        } else {
            fid.replacen(coll, &collection, 1)
        };
        return (id, collection);
    }
    let xml_id = root
        .attribute(("http://www.w3.org/XML/1998/namespace", "id"))
        .map(str::to_string)
        .unwrap_or_else(|| {
            ctx.name
                .rsplit_once('.')
                .map_or(ctx.name, |(s, _)| s)
                .to_string()
        });
    let coll = ctx.collection_for(&edition_name(file_desc));
    (format!("{coll}/{xml_id}"), coll)
}

/// The name the edition gives itself, as a slug: the series title of the
/// title statement or the series statement; failing that, the host of the
/// publisher's site (a resolver such as a handle server names nothing),
/// then the publisher; `tei` when nothing names it.
fn edition_name(file_desc: Option<Node<'_, '_>>) -> String {
    let pub_stmt = file_desc.and_then(|f| child(f, "publicationStmt"));
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
    host.or_else(|| {
        pub_stmt
            .and_then(|p| child(p, "publisher"))
            .map(reading_text)
    })
    .map(|s| fond_text::slug(&s))
    .filter(|s| !s.is_empty())
    .unwrap_or_else(|| "tei".into())
}

/// The licence and how to cite: kept with every document, because a
/// licence such as CC BY-SA requires attribution wherever the text is
/// shown.
fn attribution(file_desc: Option<Node<'_, '_>>, pub_stmt: Option<Node<'_, '_>>) -> String {
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
    attribution.join(" ")
}

/// The editors the title statement names: each `editor`'s names, else its
/// text.
fn editors(title_stmt: Node<'_, '_>) -> Vec<String> {
    children(title_stmt, "editor")
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
        .collect()
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
