//! The reader of last resort: a UTF-8 text in which no letter was
//! recognised goes in whole, as one document of kind `text`, with a
//! finding that says why — so an editor sees it, and can choose a reader
//! (`fond ingest --shape`) or write a profile. Nothing in text is refused.

use crate::text;
use crate::{Parsed, ReadContext};
use fond_model::{DocDate, DocKind, Document, Finding, FindingKind, Witness};

pub fn read(ctx: &ReadContext<'_>, why: &str) -> Parsed {
    let lines: Vec<&str> = ctx.text.lines().collect();
    let paras = text::paragraphs(&lines, 0, lines.len());
    let stem = ctx
        .name
        .rsplit('/')
        .next()
        .unwrap_or(ctx.name)
        .split('.')
        .next()
        .unwrap_or(ctx.name);
    let collection = ctx.collection_for(&fond_text::slug_ascii(stem));
    let title = paras
        .first()
        .map(|p| {
            p.head()
                .trim_start_matches('#')
                .trim()
                .chars()
                .take(80)
                .collect::<String>()
        })
        .unwrap_or_default();
    let body = text::paragraph_blocks(&paras);
    let doc = Document {
        id: format!("{collection}/text"),
        kind: DocKind::Text,
        collection,
        number: None,
        chapter: None,
        title: if title.is_empty() {
            ctx.name.to_string()
        } else {
            title
        },
        date: DocDate::default(),
        place: None,
        senders: Vec::new(),
        addressees: Vec::new(),
        body,
        notes: Vec::new(),
        witnesses: vec![Witness {
            source: ctx.name.to_string(),
            first_line: 1,
            last_line: lines.len().max(1) as u32,
            label: "transcription".into(),
            text: lines.join("\n"),
            markup: fond_model::Markup::Plain,
        }],
        marginalia: Vec::new(),
        order: 0,
        ..Document::new("", "", DocKind::Letter)
    };
    let finding = Finding {
        kind: FindingKind::Other,
        source: ctx.name.to_string(),
        line: 1,
        document: Some(doc.id.clone()),
        message: format!("kept whole as one text: {why}; `fond ingest --shape NAME` chooses a reader, and `fond profile` shows what fond inferred"),
    };
    Parsed {
        title: doc.title.clone(),
        documents: vec![doc],
        findings: vec![finding],
        collection_unnamed: false,
    }
}
