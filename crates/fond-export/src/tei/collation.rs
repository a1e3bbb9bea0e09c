//! The collation of a document's witnesses in its TEI file: a
//! `back/div[@type='collation']` holding `fond-collate`'s parallel
//! segmentation (`app`/`rdg`), with the sigla being the `xml:id`s of the
//! header's `listWit`, so every `@wit` points at a declared witness.
//!
//! It stands in `back`, not in `body`, because it is the editors'
//! apparatus over all witnesses, not the text of the edition: the body
//! stays the edition's reading, unchanged.

use super::header::witness_id;
use crate::xml::XmlWriter;
use fond_collate::{align, tei_parallel_segmentation, tokenize, TeiOptions, Token, Witness};
use fond_model::Document;

/// Writes `<back>` with the collation when the document has two or more
/// witnesses and they can be collated; nothing otherwise.
pub(crate) fn write(w: &mut XmlWriter, doc: &Document) {
    let Some((sigla, fragment)) = parallel_segmentation(doc) else {
        return;
    };
    w.block("back", &[]);
    w.block("div", &[("type", "collation")]);
    w.leaf("head", &[], "Collation of the witnesses");
    let base = format!("#{}", sigla.first().map(String::as_str).unwrap_or(""));
    w.leaf(
        "p",
        &[],
        &format!(
            "The witnesses aligned token by token by fond; the text between variants is that \
             of the first witness ({base}). Each app is typed by its variant class (spacing, \
             hyphenation, punctuation, case and spelling are trivial; added, omitted, changed \
             and moved are substantive); the two places of a transposition share @n."
        ),
    );
    w.block("ab", &[("type", "collation")]);
    w.raw(&fragment);
    w.close();
    w.close();
    // Each witness's transcription as it stands (line breaks and all). The
    // apparatus joins tokens and so cannot give a witness back exactly;
    // with these, an import of this file collates to the same apparatus.
    for (i, id) in sigla.iter().enumerate() {
        let Some(wit) = doc.witnesses.get(i) else {
            continue;
        };
        let corresp = format!("#{id}");
        // The markup the transcription carries (Markdown of an OCR'd
        // edition), so that an import collates past it again.
        let mut attrs = vec![("type", "transcription"), ("corresp", corresp.as_str())];
        if wit.markup == fond_model::Markup::Markdown {
            attrs.push(("subtype", "markdown"));
        }
        w.block("div", &attrs);
        w.leaf("ab", &[], &wit.text);
        w.close();
    }
    w.close();
}

/// The sigla (listWit ids) and the `app`/`rdg` fragment, or `None` when
/// there is nothing to collate or the witnesses' ids cannot be sigla.
fn parallel_segmentation(doc: &Document) -> Option<(Vec<String>, String)> {
    if doc.witnesses.len() < 2 {
        return None;
    }
    let tokens: Vec<Vec<Token>> = doc
        .witnesses
        .iter()
        .map(|wit| tokenize(&fond_text::xml_safe(&wit.reading_text())))
        .collect();
    let refs: Vec<&[Token]> = tokens.iter().map(Vec::as_slice).collect();
    let al = align(&refs).ok()?;
    let sigla: Vec<String> = (0..doc.witnesses.len())
        .map(|i| witness_id(doc, i))
        .collect();
    let witnesses: Vec<Witness> = tokens
        .iter()
        .zip(&sigla)
        .map(|(t, s)| Witness::new(s, t))
        .collect();
    // The collator escapes markup but knows nothing of characters XML
    // forbids; `xml_safe` has replaced those before tokenising.
    let fragment = tei_parallel_segmentation(
        &al,
        &witnesses,
        &TeiOptions {
            hide_trivial: false,
        },
    )
    .ok()?;
    Some((sigla, fragment))
}
