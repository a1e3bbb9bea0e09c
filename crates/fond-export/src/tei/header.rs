//! The `teiHeader`: who is responsible for what, the publication and its
//! rights, the sources (print edition, archival location, witnesses), and
//! the correspondence metadata.

use super::dates::{editorial_cert, editors_dated, interval_attrs};
use super::{ordered_unique, PrintEdition, TeiContext};
use crate::records::sheets_text;
use crate::xml::{ncname, XmlWriter};
use crate::{EntityKind, Field};
use fond_model::{ArchivalRef, BlockKind, DocKind, Document, NoteAuthor, NoteRole};
use std::collections::BTreeMap;

/// The `respStmt`s of a document and the ids `@resp` points to.
#[derive(Debug, Default)]
pub(crate) struct Resp {
    stmts: Vec<RespStmt>,
    /// Note author label → xml:id.
    authors: BTreeMap<String, String>,
    /// Commenter as the text names them → xml:id.
    commenters: BTreeMap<String, String>,
    /// `@resp` of `supplied`, when the edition says who added brackets.
    pub(crate) brackets: Option<String>,
}

#[derive(Debug)]
struct RespStmt {
    id: String,
    resps: Vec<String>,
    name: String,
    /// Personography `@ref`, when the name resolves.
    reference: Option<(EntityKind, String)>,
}

impl Resp {
    /// Everyone a `@resp` of this document will name.
    pub(crate) fn of(doc: &Document, ctx: &TeiContext) -> Resp {
        let edition = ctx.edition_for(doc);
        let mut r = Resp::default();
        for by in ordered_unique(doc.notes.iter().map(|n| author_key(&n.by))) {
            let Some(note) = doc.notes.iter().find(|n| author_key(&n.by) == by) else {
                continue;
            };
            let (name, what) = author_label(&note.by);
            let id = r.add(&by, &name, what, None);
            r.authors.insert(by, id);
        }
        if let Some(author) = edition.and_then(|e| e.brackets_by.as_ref()) {
            let has_brackets = doc.body.iter().any(|b| {
                b.inlines
                    .iter()
                    .any(|i| matches!(i, fond_model::Inline::Supplied { .. }))
            });
            if has_brackets {
                let key = author_key(author);
                let (name, _) = author_label(author);
                let id = r.add(&key, &name, "bracketed insertions", None);
                r.brackets = Some(format!("#{id}"));
            }
        }
        for b in &doc.body {
            if let BlockKind::Comment { by: Some(by) } = &b.kind {
                if r.commenters.contains_key(by) {
                    continue;
                }
                let key = format!("resp-{}", fond_text::slug(by));
                let id = r.add(&key, by, "comment on the document", ctx.party(by).cloned());
                r.commenters.insert(by.clone(), id);
            }
        }
        r
    }

    /// Adds a responsibility to the statement with this key, creating it.
    fn add(
        &mut self,
        key: &str,
        name: &str,
        what: &str,
        reference: Option<(EntityKind, String)>,
    ) -> String {
        let id = ncname(key);
        if let Some(s) = self.stmts.iter_mut().find(|s| s.id == id) {
            if !s.resps.iter().any(|r| r == what) {
                s.resps.push(what.into());
            }
            return id;
        }
        self.stmts.push(RespStmt {
            id: id.clone(),
            resps: vec![what.into()],
            name: name.into(),
            reference,
        });
        id
    }

    /// `@resp` for a note by `by`.
    pub(crate) fn note(&self, by: &NoteAuthor) -> Option<String> {
        self.authors.get(&author_key(by)).map(|id| format!("#{id}"))
    }

    /// `@resp` for a comment by `by`.
    pub(crate) fn commenter(&self, by: &str) -> Option<String> {
        self.commenters.get(by).map(|id| format!("#{id}"))
    }
}

/// A stable key (and xml:id) per note author: the name as a slug, the
/// role where nothing names it; someone outside the edition's roles is
/// `resp-` and the name.
fn author_key(by: &NoteAuthor) -> String {
    match (by.role, by.name.is_empty()) {
        (NoteRole::Other, _) => format!("resp-{}", fond_text::slug(&by.name)),
        (role, true) => role.as_str().into(),
        (_, false) => fond_text::slug(&by.name),
    }
}

/// The name and the responsibility of a note author: the role in words,
/// which fond's TEI reader reads back.
fn author_label(by: &NoteAuthor) -> (String, &'static str) {
    (by.label(), by.role.responsibility())
}

pub(crate) fn write(w: &mut XmlWriter, doc: &Document, ctx: &TeiContext, resp: &Resp) {
    let edition = ctx.edition_for(doc);
    w.block("teiHeader", &[]);
    w.block("fileDesc", &[]);
    title_stmt(w, doc, ctx, resp);
    publication_stmt(w, doc, ctx, edition);
    source_desc(w, doc, ctx, edition);
    w.close();
    encoding_desc(w, edition);
    correspondence(w, doc, ctx);
    revisions(w, doc, ctx);
    w.close();
}

/// `revisionDesc`: one `change` per editor's correction applied to the
/// document, in the order of the history, `@who` pointing at the editor
/// by a slug of their name (their name is in the text), `@when` the UTC
/// time. Nothing for a document the editors did not correct, so an
/// uncorrected edition exports as before, byte for byte.
fn revisions(w: &mut XmlWriter, doc: &Document, ctx: &TeiContext) {
    let changes = ctx.changes_of(doc);
    if changes.is_empty() {
        return;
    }
    w.block("revisionDesc", &[]);
    for c in changes {
        let who = format!("#{}", fond_text::slug(&c.who));
        let id = super::change_id(&c.id);
        w.leaf(
            "change",
            &[
                ("xml:id", id.as_str()),
                ("who", who.as_str()),
                ("when", c.when.as_str()),
            ],
            &c.text,
        );
    }
    w.close();
}

/// "Stalin to Molotov, 12 July 1925".
fn subtitle(doc: &Document) -> Option<String> {
    if doc.kind == DocKind::EditorialText || (doc.senders.is_empty() && doc.addressees.is_empty()) {
        return None;
    }
    let mut s = String::new();
    s.push_str(&doc.senders.join(", "));
    if !doc.addressees.is_empty() {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str("to ");
        s.push_str(&doc.addressees.join(", "));
    }
    if let Some(d) = &doc.date.interval {
        if !d.text.is_empty() {
            s.push_str(", ");
            s.push_str(&d.text);
        }
    }
    Some(s)
}

fn title_stmt(w: &mut XmlWriter, doc: &Document, ctx: &TeiContext, resp: &Resp) {
    w.block("titleStmt", &[]);
    w.leaf("title", &[("type", "main")], &doc.title);
    if let Some(sub) = subtitle(doc) {
        w.leaf("title", &[("type", "sub")], &sub);
    }
    for s in &doc.senders {
        w.leaf("author", &[], s);
    }
    for s in &resp.stmts {
        w.block("respStmt", &[("xml:id", &s.id)]);
        for r in &s.resps {
            w.leaf("resp", &[], r);
        }
        match &s.reference {
            Some((kind, id)) => {
                let r = ctx.entity_ref(*kind, id);
                w.leaf(name_element(*kind), &[("ref", &r)], &s.name);
            }
            None => w.leaf("name", &[], &s.name),
        }
        w.close();
    }
    w.close();
}

fn publication_stmt(
    w: &mut XmlWriter,
    doc: &Document,
    ctx: &TeiContext,
    edition: Option<&PrintEdition>,
) {
    w.block("publicationStmt", &[]);
    w.leaf("publisher", &[], &ctx.publisher);
    w.leaf("idno", &[("type", "fond")], &doc.id);
    w.block("availability", &[]);
    w.leaf("licence", &[], &ctx.licence);
    if let Some(e) = edition {
        w.leaf("p", &[], &format!("{}: {}", e.title, e.rights));
    }
    // Web sources state their rights (or not) on their own pages; fond
    // does not record them, and says so rather than guess.
    let web: Vec<&str> = ordered_unique(
        doc.witnesses
            .iter()
            .filter_map(|wit| ctx.source(&wit.source))
            .filter(|s| s.shape != fond_model::SourceShape::EditionMarkdown)
            .map(|s| s.name.as_str()),
    );
    for name in web {
        let title = ctx.source(name).map(|s| s.title.as_str()).unwrap_or(name);
        w.leaf(
            "p",
            &[],
            &format!("{title} ({name}): rights as stated by the web source; not recorded by fond."),
        );
    }
    w.close();
    w.close();
}

/// Where the document is kept, and on whose word.
struct Location<'a> {
    archive: &'a str,
    fond: &'a str,
    opis: Option<&'a str>,
    delo: Option<&'a str>,
    sheets: Option<String>,
    normalized: String,
    /// `@source`: the note that cites it, or the edition's bibliography.
    source: String,
    /// The edition's own words, for a series-wide statement.
    statement: Option<&'a str>,
}

/// The document's own archival location.
///
/// Notes cite many references, and most are not the document's own: a
/// letter's notes cite the Politburo minutes it refers to. The location of
/// the document itself is taken only from a note called from its first
/// block that cites exactly one reference, when that block is the
/// document's heading (the editors attach the location to the heading of
/// the telegrams they print: letters 13–19) or the note is nothing but the
/// reference. Otherwise, a numbered document of the edition sent by the
/// party its series statement names (Stalin's letters: f. 558, op. 1,
/// d. 5388) is located there.
fn location<'a>(doc: &'a Document, edition: Option<&'a PrintEdition>) -> Option<Location<'a>> {
    let first_is_heading = doc
        .body
        .first()
        .is_some_and(|b| b.kind == BlockKind::Heading);
    for n in &doc.notes {
        if n.call_block != Some(0) || n.archival_refs.len() != 1 {
            continue;
        }
        let r = &n.archival_refs[0];
        let bare =
            n.text.trim().trim_end_matches('.').trim() == r.text.trim().trim_end_matches('.');
        if first_is_heading || bare {
            return Some(from_ref(r, format!("#{}", super::notes::note_id(n.n))));
        }
    }
    let e = edition?;
    let s = e.series_location.as_ref()?;
    if doc.number.is_none() || !doc.senders.iter().any(|x| x == &s.sender) {
        return None;
    }
    Some(Location {
        archive: &s.archive,
        fond: &s.fond,
        opis: Some(&s.opis),
        delo: Some(&s.delo),
        sheets: None,
        normalized: format!("{} f. {}, op. {}, d. {}", s.archive, s.fond, s.opis, s.delo),
        source: "#edition".into(),
        statement: Some(&s.statement),
    })
}

fn from_ref(r: &ArchivalRef, source: String) -> Location<'_> {
    Location {
        archive: &r.archive,
        fond: &r.fond,
        opis: r.opis.as_deref(),
        delo: r.delo.as_deref(),
        sheets: r.sheets.as_ref().map(sheets_text),
        normalized: r.normalized(),
        source,
        statement: None,
    }
}

/// Where the archives the references name are. Only archives the corpus
/// cites; all are Moscow archives (RTsKhIDNI is today's RGASPI).
fn settlement(archive: &str) -> Option<&'static str> {
    match archive {
        "RTsKhIDNI" | "RGASPI" | "TsKhSD" | "TsGAOR" | "GARF" | "APRF" | "RGAE" | "RGVA" => {
            Some("Moscow")
        }
        _ => None,
    }
}

fn source_desc(
    w: &mut XmlWriter,
    doc: &Document,
    ctx: &TeiContext,
    edition: Option<&PrintEdition>,
) {
    w.block("sourceDesc", &[]);
    if let Some(e) = edition {
        edition_bibl(w, doc, e);
    }
    let loc = location(doc, edition);
    if loc.is_some() || !doc.marginalia.is_empty() {
        ms_desc(w, doc, loc.as_ref());
    }
    if !doc.witnesses.is_empty() {
        w.block("listWit", &[]);
        for (i, wit) in doc.witnesses.iter().enumerate() {
            w.block("witness", &[("xml:id", &witness_id(doc, i))]);
            w.text(&wit.label);
            w.text(": ");
            w.open("bibl", &[]);
            let title = ctx
                .source(&wit.source)
                .map(|s| s.title.as_str())
                .unwrap_or(wit.source.as_str());
            w.inline_leaf("title", &[], title);
            w.text(", ");
            w.inline_leaf("idno", &[("type", "file")], &wit.source);
            w.text(", ");
            let (from, to) = (wit.first_line.to_string(), wit.last_line.to_string());
            w.inline_leaf(
                "biblScope",
                &[("unit", "line"), ("from", &from), ("to", &to)],
                &format!("lines {from}–{to}"),
            );
            w.close();
            w.close();
        }
        w.close();
    }
    if edition.is_none() && loc.is_none() && doc.witnesses.is_empty() && doc.marginalia.is_empty() {
        w.leaf("p", &[], "No source recorded.");
    }
    w.close();
}

/// The witness's `xml:id`: its source file, and its first line when one
/// file holds two witnesses of the document (two translations).
pub(crate) fn witness_id(doc: &Document, i: usize) -> String {
    let Some(wit) = doc.witnesses.get(i) else {
        return format!("wit-{i}");
    };
    let stem = wit.source.rsplit_once('.').map_or(&*wit.source, |(s, _)| s);
    let shared = doc
        .witnesses
        .iter()
        .filter(|x| x.source == wit.source)
        .count()
        > 1;
    if shared {
        ncname(&format!("wit-{stem}-{}", wit.first_line))
    } else {
        ncname(&format!("wit-{stem}"))
    }
}

fn edition_bibl(w: &mut XmlWriter, doc: &Document, e: &PrintEdition) {
    w.block("bibl", &[("xml:id", "edition"), ("type", "print-edition")]);
    w.inline_leaf("title", &[("level", "m")], &e.title);
    for ed in &e.editors {
        w.text(", ");
        w.inline_leaf("editor", &[], ed);
    }
    if let Some(t) = &e.translator {
        w.text(", ");
        w.open("respStmt", &[]);
        w.inline_leaf("resp", &[], "translated by");
        w.text(" ");
        w.inline_leaf("name", &[], t);
        w.close();
    }
    w.text(", ");
    w.inline_leaf("pubPlace", &[], &e.place);
    w.text(": ");
    w.inline_leaf("publisher", &[], &e.publisher);
    w.text(", ");
    let year = format!("{:04}", e.year);
    w.inline_leaf("date", &[("when", &year)], &year);
    if let Some(s) = &e.series {
        w.text(" (");
        w.open("series", &[]);
        w.inline_leaf("title", &[("level", "s")], s);
        w.close();
        w.text(")");
    }
    if let Some(n) = doc.number {
        let n = n.to_string();
        w.text(", ");
        w.inline_leaf(
            "biblScope",
            &[("unit", "letter"), ("n", &n)],
            &format!("letter {n}"),
        );
    }
    w.close();
}

fn ms_desc(w: &mut XmlWriter, doc: &Document, loc: Option<&Location<'_>>) {
    w.block("msDesc", &[]);
    match loc {
        Some(l) => {
            w.block("msIdentifier", &[("source", &l.source)]);
            if let Some(s) = settlement(l.archive) {
                w.leaf("settlement", &[], s);
            }
            w.leaf("repository", &[], l.archive);
            w.leaf("idno", &[("type", "fond")], l.fond);
            if let Some(o) = l.opis {
                w.leaf("idno", &[("type", "opis")], o);
            }
            if let Some(d) = l.delo {
                w.leaf("idno", &[("type", "delo")], d);
            }
            if let Some(s) = &l.sheets {
                w.leaf("idno", &[("type", "sheets")], s);
            }
            w.block("altIdentifier", &[]);
            w.leaf("idno", &[("type", "reference")], &l.normalized);
            w.close();
            w.close();
        }
        // Marks on a document whose location fond does not know.
        None => w.empty_block("msIdentifier", &[]),
    }
    if !doc.marginalia.is_empty() {
        w.block("physDesc", &[]);
        w.block("additions", &[]);
        for m in &doc.marginalia {
            w.block("p", &[]);
            w.text(&m.by);
            if let Some(place) = &m.place {
                w.text(", ");
                w.text(place);
            }
            w.text(": “");
            w.text(&m.text);
            w.text("” (");
            let target = format!("#{}", super::notes::note_id(m.note));
            w.inline_leaf("ref", &[("target", &target)], &format!("note {}", m.note));
            w.text(")");
            w.close();
        }
        w.close();
        w.close();
    }
    if let Some(statement) = loc.and_then(|l| l.statement) {
        w.block("additional", &[]);
        w.block("adminInfo", &[]);
        w.leaf("note", &[("type", "location")], statement);
        w.close();
        w.close();
    }
    w.close();
}

fn encoding_desc(w: &mut XmlWriter, edition: Option<&PrintEdition>) {
    w.block("encodingDesc", &[]);
    w.block("editorialDecl", &[]);
    w.leaf(
        "p",
        &[],
        "Encoded by fond from its edition model. Single underlining is encoded as hi \
         rend=\"underline\", double underlining as hi rend=\"double-underline\"; words the \
         editors inserted in brackets as supplied; other readers' comments as note \
         type=\"comment\"; editorial notes at their calls as note place=\"foot\", and notes \
         whose call was lost in the source at the end of the text as note type=\"unanchored\".",
    );
    if let Some(e) = edition {
        for c in &e.conventions {
            w.leaf("p", &[], c);
        }
    }
    w.close();
    w.close();
}

/// The TEI element for a name of this kind of entity.
pub(crate) fn name_element(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "persName",
        EntityKind::Body => "orgName",
        EntityKind::Periodical => "title",
    }
}

fn correspondence(w: &mut XmlWriter, doc: &Document, ctx: &TeiContext) {
    if doc.kind == DocKind::EditorialText || (doc.senders.is_empty() && doc.addressees.is_empty()) {
        return;
    }
    let mentions = ctx.mentions_of(doc);
    let party = |field: Field, i: usize| {
        mentions
            .iter()
            .find(|m| m.field == field && m.start == i)
            .map(|m| (m.entity.kind(), m.entity.id(), m.resolved))
    };
    w.block("profileDesc", &[]);
    w.block("correspDesc", &[]);
    let actions = [
        ("sent", Field::Sender, &doc.senders),
        ("received", Field::Addressee, &doc.addressees),
    ];
    for (kind, field, names) in actions {
        let sent = kind == "sent";
        let has_date = sent && doc.date.interval.is_some();
        if names.is_empty() && !(sent && (doc.place.is_some() || has_date)) {
            continue;
        }
        w.block("correspAction", &[("type", kind)]);
        for (i, name) in names.iter().enumerate() {
            match party(field, i) {
                // A body or periodical named as a party (`the seven`) is
                // an organisation.
                Some((kind, id, resolved)) => {
                    let r = ctx.entity_ref(kind, id);
                    let element = match kind {
                        EntityKind::Person => "persName",
                        _ => "orgName",
                    };
                    let mut attrs = vec![("ref", r.as_str())];
                    if !resolved {
                        attrs.push(("cert", "low"));
                    }
                    w.leaf(element, &attrs, name);
                }
                None => w.leaf("persName", &[], name),
            }
        }
        if sent {
            if let Some(p) = &doc.place {
                w.leaf("placeName", &[], p);
            }
            if let Some(d) = &doc.date.interval {
                let mut attrs = interval_attrs(d);
                if editors_dated(&doc.date) {
                    attrs.extend(editorial_cert(d).into_iter().flatten());
                }
                let attrs: Vec<(&str, &str)> =
                    attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
                w.leaf("date", &attrs, &d.text);
                // The author's own date, where it is not the editors'.
                if let (true, Some(wd), Some(text)) = (
                    editors_dated(&doc.date),
                    &doc.date.written_interval,
                    &doc.date.written,
                ) {
                    let mut attrs = interval_attrs(wd);
                    attrs.insert(0, ("type", "dateline".into()));
                    let attrs: Vec<(&str, &str)> =
                        attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    w.leaf("date", &attrs, text);
                }
            }
        }
        w.close();
    }
    w.close();
    w.close();
}
