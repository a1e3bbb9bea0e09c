//! `correspDesc`: the parties with their URIs (as the model's name
//! references), the place and date of sending; the editions a CMIF file
//! cites; the sources an export of fond describes.

use super::*;

/// A party of a `correspAction`: the name as printed and its authority
/// URIs (`@ref`, space-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub name: String,
    pub refs: Vec<String>,
    pub element: NameElement,
    /// False when marked `cert="low"`.
    pub certain: bool,
}

pub(super) fn parties(action: Node<'_, '_>) -> Vec<Party> {
    action
        .children()
        .filter(|c| is(*c, "persName") || is(*c, "orgName") || is(*c, "name"))
        .map(|c| Party {
            name: reading_text(c),
            refs: c
                .attribute("ref")
                .map(|r| r.split_whitespace().map(str::to_string).collect())
                .unwrap_or_default(),
            element: name_element(c),
            certain: c.attribute("cert") != Some("low"),
        })
        .filter(|p| !p.name.is_empty())
        .collect()
}

/// The element that marks a name, as the model knows it.
pub(super) fn name_element(n: Node<'_, '_>) -> NameElement {
    match n.tag_name().name() {
        "persName" => NameElement::Person,
        "orgName" => NameElement::Org,
        "title" => NameElement::Title,
        _ => NameElement::Name,
    }
}

/// The URIs of a `@ref`, space-separated as TEI writes them.
pub(super) fn uris(target: &str) -> Vec<String> {
    target.split_whitespace().map(str::to_string).collect()
}

/// The parties of one side of a letter that carry authority URIs, as the
/// model's references: `start` = `end` = the party's index in its list,
/// counted from `base` (a CMIF letter may list a side in several
/// `correspAction`s).
pub(crate) fn party_refs(field: MentionField, parties: &[Party], base: usize) -> Vec<NameRef> {
    parties
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.refs.is_empty())
        .map(|(i, p)| NameRef {
            field,
            start: base + i,
            end: base + i,
            refs: p.refs.clone(),
            surface: p.name.clone(),
            certain: p.certain,
            element: p.element,
        })
        .collect()
}

/// What `correspDesc` says, read on its own (also used by the CLI's
/// linking stage for the parties' URIs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Correspondence {
    pub senders: Vec<Party>,
    pub addressees: Vec<Party>,
    pub place: Option<String>,
}

pub(super) fn correspondence<'a, 'i>(
    header: Option<Node<'a, 'i>>,
) -> (Correspondence, Option<Node<'a, 'i>>) {
    let mut c = Correspondence::default();
    let mut sent_date = None;
    let Some(cd) = header.and_then(|h| path(h, &["profileDesc", "correspDesc"])) else {
        return (c, None);
    };
    for action in children(cd, "correspAction") {
        match action.attribute("type") {
            Some("sent") => {
                c.senders.extend(parties(action));
                if c.place.is_none() {
                    c.place = child(action, "placeName")
                        .map(reading_text)
                        .filter(|p| !p.is_empty());
                }
                if sent_date.is_none() {
                    sent_date =
                        children(action, "date").find(|d| d.attribute("type") != Some("dateline"));
                }
            }
            Some("received") => c.addressees.extend(parties(action)),
            _ => {}
        }
    }
    (c, sent_date)
}

/// The editions a CMIF file cites (`sourceDesc/bibl` with an `xml:id`),
/// each as its id and its XML exactly as the file writes it: what a CMIF
/// export gives back beside the `correspDesc`s it imported verbatim. Empty
/// for a TEI file that is not CMIF.
fn cmif_bibls(doc: &roxmltree::Document<'_>, text: &str) -> Vec<(String, String)> {
    let root = doc.root_element();
    if !cmif::is_cmif(root) {
        return Vec::new();
    }
    path(root, &["teiHeader", "fileDesc", "sourceDesc"])
        .into_iter()
        .flat_map(|sd| children(sd, "bibl"))
        .filter_map(|b| {
            let id = b.attribute(("http://www.w3.org/XML/1998/namespace", "id"))?;
            Some((id.to_string(), text.get(b.range())?.to_string()))
        })
        .collect()
}

/// What an export needs from a stored TEI source, read in one parse: the
/// sources it describes but the archive does not hold
/// ([`described_sources`]) and the editions it cites when it is a CMIF
/// file ([`cmif_bibls`]).
#[derive(Debug, Default)]
pub struct ForExport {
    pub described: Vec<Source>,
    /// `(xml:id, the bibl's XML as written)`.
    pub cmif_bibls: Vec<(String, String)>,
}

/// [`ForExport`] of one TEI file. Errors are the reader's.
pub fn for_export(file: &str, text: &str) -> Result<ForExport, IngestError> {
    let doc = parse(file, text)?;
    Ok(ForExport {
        described: described_sources(&doc),
        cmif_bibls: cmif_bibls(&doc, text),
    })
}

/// Appends the reading text of `n` to `out`, noting the byte span of each
/// name with a `@ref` (fond's export: `persName`, `orgName`, `title`).
pub(super) fn collect_with_names(
    n: Node<'_, '_>,
    out: &mut String,
    names: &mut Vec<NameRef>,
    field: MentionField,
) {
    collect(n, out, &mut Some((names, field)));
}

/// `@ref` of a name element.
pub(super) fn name_ref<'a>(n: Node<'a, '_>) -> Option<&'a str> {
    if ["persName", "orgName", "title", "name"]
        .iter()
        .any(|k| is(n, k))
    {
        n.attribute("ref").filter(|r| !r.trim().is_empty())
    } else {
        None
    }
}

/// Byte length of a block's runs as `Block::plain_text` renders them.
pub(super) fn plain_len(v: &[Inline]) -> usize {
    v.iter().map(Inline::plain_len).sum()
}

/// The sources a file of fond's own export describes (its `listWit`: file
/// name and title; web sources are those its `availability` says state
/// their own rights). An archive that holds the export but not those
/// sources keeps their descriptions this way, so that exporting it again
/// describes them alike. Other files describe none. Size, bytes and hash
/// are unknown (zero, empty).
fn described_sources(doc: &roxmltree::Document<'_>) -> Vec<Source> {
    let root = doc.root_element();
    let Some(fd) = path(root, &["teiHeader", "fileDesc"]) else {
        return Vec::new();
    };
    let pub_stmt = child(fd, "publicationStmt");
    let fond = pub_stmt
        .into_iter()
        .flat_map(|p| children(p, "idno"))
        .any(|i| i.attribute("type") == Some("fond"));
    if !fond {
        return Vec::new();
    }
    let web_marker = ": rights as stated by the web source; not recorded by fond.";
    let web: Vec<String> = pub_stmt
        .and_then(|p| child(p, "availability"))
        .into_iter()
        .flat_map(|a| children(a, "p"))
        .map(raw_text)
        .filter_map(|t| {
            let head = t.strip_suffix(web_marker)?;
            let name = head.rsplit_once(" (")?.1.strip_suffix(')')?;
            Some(name.to_string())
        })
        .collect();
    let mut out = Vec::new();
    for w in path(fd, &["sourceDesc", "listWit"])
        .into_iter()
        .flat_map(|l| children(l, "witness"))
    {
        let Some(bibl) = child(w, "bibl") else {
            continue;
        };
        let Some(name) = children(bibl, "idno")
            .find(|i| i.attribute("type") == Some("file"))
            .map(raw_text)
        else {
            continue;
        };
        let title = child(bibl, "title").map(raw_text).unwrap_or_default();
        let shape = if web.contains(&name) {
            SourceShape::WebLetters
        } else {
            SourceShape::EditionMarkdown
        };
        if !out.iter().any(|s: &Source| s.name == name) {
            out.push(Source {
                name,
                sha256: String::new(),
                shape,
                title,
                bytes: 0,
                lines: 0,
            });
        }
    }
    out
}
