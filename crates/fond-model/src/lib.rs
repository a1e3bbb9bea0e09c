//! The edition model of fond: what a scholarly edition of correspondence
//! knows about its documents, independent of where they were read from and
//! where they are stored.
//!
//! This crate has no I/O and no parsing: `fond-ingest` builds these values
//! from sources, `fond-store` saves and loads them, every interface reads
//! them. Keeping it small and dependency-free (serde only) keeps the
//! pipeline one-way: everything depends on the model, the model on nothing.

pub mod authority;
pub mod clock;
pub mod correction;
mod date;
mod refs;
pub mod visibility;

pub use date::{Day, EdtfError, HistDate, Precision, Qualifier};
pub use refs::{ArchivalRef, CrossRef, Sheets};

use serde::{Deserialize, Serialize};

/// One input file as fond received it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// File name (no directories: the same file ingested from another
    /// checkout is the same source).
    pub name: String,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    /// The shape detected from the content.
    pub shape: SourceShape,
    /// A human title, from the content where it has one.
    pub title: String,
    pub bytes: u64,
    pub lines: u32,
}

/// The shapes of source fond can read. Detected from the content, never
/// from the file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceShape {
    /// A whole printed edition converted to Markdown: chapters, numbered
    /// letters with bracketed editorial dates, footnotes per letter,
    /// front and back matter.
    EditionMarkdown,
    /// A web transcription of numbered letters of a printed edition.
    WebLetters,
    /// A web page reproducing one document with a source/publisher header.
    WebWorks,
    /// A web compilation of several unnumbered archival documents separated
    /// only by layout.
    WebCompilation,
    /// A TEI P5 file (root `TEI` in the TEI namespace), typically one
    /// letter with `correspDesc`, or fond's own TEI export.
    Tei,
    /// Letters of any edition in plain text or Markdown, found by the
    /// general structure recovery (numbered or headed letters, datelines,
    /// salutations, signatures, footnotes).
    PlainLetters,
    /// A text in which no letter was recognised: kept whole as one
    /// document, with a finding saying why.
    Text,
    /// An edition profile (TOML): what a collection knows that its text
    /// does not say. Stored with the sources, so a change re-derives the
    /// edition; it yields no document.
    Profile,
}

impl SourceShape {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceShape::EditionMarkdown => "edition-markdown",
            SourceShape::WebLetters => "web-letters",
            SourceShape::WebWorks => "web-works",
            SourceShape::WebCompilation => "web-compilation",
            SourceShape::Tei => "tei",
            SourceShape::PlainLetters => "plain-letters",
            SourceShape::Text => "text",
            SourceShape::Profile => "profile",
        }
    }

    pub const ALL: [SourceShape; 8] = [
        SourceShape::EditionMarkdown,
        SourceShape::WebLetters,
        SourceShape::WebWorks,
        SourceShape::WebCompilation,
        SourceShape::Tei,
        SourceShape::PlainLetters,
        SourceShape::Text,
        SourceShape::Profile,
    ];

    pub fn parse(s: &str) -> Option<SourceShape> {
        SourceShape::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One transcription of one document inside one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Witness {
    /// File name of the source.
    pub source: String,
    /// 1-based, inclusive line span in the source.
    pub first_line: u32,
    pub last_line: u32,
    /// What distinguishes this witness ("printed edition", "web
    /// transcription", "alternate translation by Grover Furr").
    pub label: String,
    /// The witness's text as it stands in the source (lines joined).
    pub text: String,
    /// How that text is marked up, said by the reader that knows its
    /// source, so that collation reads the words alone
    /// ([`Witness::reading_text`]).
    #[serde(default, skip_serializing_if = "Markup::is_plain")]
    pub markup: Markup,
}

/// The markup a witness's text carries in its source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Markup {
    /// The words as printed: nothing to take away.
    #[default]
    Plain,
    /// Markdown as an OCR'd edition writes it: `<sup>` note calls,
    /// emphasis asterisks, heading hashes, `---` rules.
    Markdown,
}

impl Markup {
    pub fn is_plain(&self) -> bool {
        *self == Markup::Plain
    }

    /// A text's words without this markup: what collation aligns. Markdown
    /// loses `<sup>` tags (the note number stays, set apart), emphasis
    /// asterisks, heading hashes and rules; plain text stays as it is.
    pub fn reading_text(self, text: &str) -> String {
        match self {
            Markup::Plain => text.to_string(),
            Markup::Markdown => {
                let mut out = String::with_capacity(text.len());
                for line in text.lines() {
                    let line = line.trim_start_matches('#').trim_start();
                    if line.trim() == "---" {
                        out.push('\n');
                        continue;
                    }
                    out.push_str(
                        &line
                            .replace("<sup>", " ")
                            .replace("</sup>", "")
                            .replace('*', ""),
                    );
                    out.push('\n');
                }
                out
            }
        }
    }
}

impl Witness {
    /// The witness's words without its source's markup.
    pub fn reading_text(&self) -> String {
        self.markup.reading_text(&self.text)
    }
}

/// What kind of document this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocKind {
    Letter,
    /// A note passed across the table during a meeting.
    Note,
    CodedTelegram,
    Memorandum,
    /// A directive or circular letter to party organisations.
    Circular,
    Speech,
    /// Editors' text: introductions, front and back matter, appendices.
    EditorialText,
    /// A text fond could not read as letters, kept whole so an editor can
    /// see it and act.
    Text,
}

impl DocKind {
    pub const ALL: [DocKind; 8] = [
        DocKind::Letter,
        DocKind::Note,
        DocKind::CodedTelegram,
        DocKind::Memorandum,
        DocKind::Circular,
        DocKind::Speech,
        DocKind::EditorialText,
        DocKind::Text,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Letter => "letter",
            DocKind::Note => "note",
            DocKind::CodedTelegram => "coded-telegram",
            DocKind::Memorandum => "memorandum",
            DocKind::Circular => "circular",
            DocKind::Speech => "speech",
            DocKind::EditorialText => "editorial-text",
            DocKind::Text => "text",
        }
    }
    pub fn parse(s: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The dates of a document: the author's and the editors', kept apart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocDate {
    /// The author's own dateline as printed (`Sochi 7/28/25`), if any.
    pub written: Option<String>,
    /// The editors' bracketed date as printed, without the brackets.
    pub editorial: Option<String>,
    /// The best normalised interval: the editorial date where there is one,
    /// else the author's.
    pub interval: Option<HistDate>,
    /// The author's dateline read as a date, where it can be.
    pub written_interval: Option<HistDate>,
    /// The author's and the editors' dates do not overlap (Stalin wrote 1926
    /// on several letters of 1927).
    pub disagreement: bool,
}

/// Who wrote an editorial note: a role, and the name the edition gives its
/// holder. The name is data (an edition profile or the notes' own
/// signatures supply it), so the model holds no edition's people.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NoteAuthor {
    pub role: NoteRole,
    /// As the edition names them ("Russian editors", "Lars T. Lih"); empty
    /// when nothing says (the editors of an edition without a profile).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
}

/// The part a note's author plays in the edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoteRole {
    /// The edition's editors as a body: the authors of every note that
    /// carries no attribution. (`russian-editors` is how archives written
    /// before roles had names stored them; they read as this role, unnamed,
    /// until the next ingest names them.)
    #[serde(alias = "russian-editors")]
    Editors,
    /// One editor who signs their notes (`—Ed.`, `— U.S. Ed.`, `A. d. H.`).
    #[serde(alias = "us-editor")]
    Editor,
    /// The translator (`—Trans.`).
    Translator,
    /// Anyone else: a compiler, the author of a web transcription, a reader.
    Other,
}

impl NoteRole {
    pub const ALL: [NoteRole; 4] = [
        NoteRole::Editors,
        NoteRole::Editor,
        NoteRole::Translator,
        NoteRole::Other,
    ];

    /// What the holder of the role did, in words: the `resp` of fond's TEI
    /// `respStmt`, from which its TEI reader gives the role back.
    pub fn responsibility(self) -> &'static str {
        match self {
            NoteRole::Editors => "notes without attribution",
            NoteRole::Editor => "signed notes",
            NoteRole::Translator => "translator's notes",
            NoteRole::Other => "notes",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NoteRole::Editors => "editors",
            NoteRole::Editor => "editor",
            NoteRole::Translator => "translator",
            NoteRole::Other => "other",
        }
    }
}

impl NoteAuthor {
    /// The editors who sign nothing, not yet named.
    pub fn editors() -> Self {
        NoteAuthor {
            role: NoteRole::Editors,
            name: String::new(),
        }
    }

    pub fn new(role: NoteRole, name: impl Into<String>) -> Self {
        NoteAuthor {
            role,
            name: name.into(),
        }
    }

    /// Someone named who is neither the edition's editors nor its
    /// translator.
    pub fn other(name: impl Into<String>) -> Self {
        NoteAuthor::new(NoteRole::Other, name)
    }

    /// The editors who sign nothing and whom nothing names yet: an edition
    /// profile (or the reader that knows better) may name them.
    pub fn is_unnamed_editors(&self) -> bool {
        self.role == NoteRole::Editors && self.name.is_empty()
    }

    /// The name as a reader sees it: the name, else the role.
    pub fn label(&self) -> String {
        if !self.name.is_empty() {
            return self.name.clone();
        }
        match self.role {
            NoteRole::Editors => "editors".into(),
            NoteRole::Editor => "editor".into(),
            NoteRole::Translator => "translator".into(),
            NoteRole::Other => "unknown".into(),
        }
    }
}

/// How a note call appears in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CallForm {
    /// `<sup>n</sup>`
    Superscript,
    /// Digits glued to a word or set after it (`Trud.2`, `Viacheslav, 1`).
    Glued,
    /// No call survives in the text.
    Lost,
}

/// An editorial note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub n: u32,
    pub call: CallForm,
    /// Index of the body block holding the call, when there is one.
    pub call_block: Option<u32>,
    /// Full text; paragraphs separated by a blank line.
    pub text: String,
    pub by: NoteAuthor,
    pub archival_refs: Vec<ArchivalRef>,
    pub cross_refs: Vec<CrossRef>,
    /// The note says the matter went to the Politburo's Special File
    /// (*Osobaia papka*), the highest secrecy.
    pub special_file: bool,
    /// The note was found away from its place (a page break dropped it into
    /// a body or another note) and was put back.
    pub relocated: bool,
    /// 1-based line in the source where the note starts.
    pub line: u32,
}

/// Text runs inside a block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "t")]
pub enum Inline {
    Text {
        text: String,
    },
    /// Underlined once (level 1, printed italic) or twice (level 2, bold).
    Emph {
        level: u8,
        text: String,
    },
    /// Words the editors inserted, printed in brackets.
    Supplied {
        text: String,
    },
    NoteCall {
        n: u32,
    },
    LineBreak,
    /// A reading the editors emended: the source prints `sic`, the
    /// edition reads `text` (TEI `choice/sic/corr`). The reading text
    /// ([`Block::plain_text`]) has `text`; the text as printed
    /// ([`Reading::Printed`]) has `sic`, which is what corrections are
    /// anchored on.
    Emended {
        sic: String,
        text: String,
        /// The correction that emended it (its id), when one did.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        resp: String,
    },
}

/// Which of an emended run's two readings a text gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// The edition's reading: emended runs give the emendation. What
    /// readers see, search indexes, and mentions are found in.
    Edition,
    /// The source as printed: emended runs give what was printed. What
    /// the editors' text corrections are anchored on, so that one
    /// emendation does not move the anchor of the next.
    Printed,
}

/// The role of a block of the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "role")]
pub enum BlockKind {
    /// A heading printed above the text (a telegram's form header).
    Heading,
    Dateline,
    Address,
    Salutation,
    Paragraph,
    /// A numbered point (`1)`, `a)`, `2.`) with its label.
    Point {
        label: String,
    },
    Closing,
    Signature,
    Postscript,
    /// An addition to the letter by its author.
    Addition,
    /// Another reader's comment or reply set after the text.
    Comment {
        by: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    #[serde(flatten)]
    pub kind: BlockKind,
    pub inlines: Vec<Inline>,
    /// 1-based source line where the block starts.
    pub line: u32,
}

impl Inline {
    /// Byte length of the run in [`Block::plain_text`].
    pub fn plain_len(&self) -> usize {
        self.len_as(Reading::Edition)
    }

    /// Byte length of the run in [`Block::text_as`] `reading`.
    pub fn len_as(&self, reading: Reading) -> usize {
        match self {
            Inline::Text { text } | Inline::Emph { text, .. } => text.len(),
            Inline::Supplied { text } => text.len() + 2,
            Inline::NoteCall { .. } => 0,
            Inline::LineBreak => 1,
            Inline::Emended { sic, text, .. } => match reading {
                Reading::Edition => text.len(),
                Reading::Printed => sic.len(),
            },
        }
    }
}

impl Block {
    /// Byte length of [`Block::plain_text`], without building it.
    pub fn plain_len(&self) -> usize {
        self.inlines.iter().map(Inline::plain_len).sum()
    }

    /// The plain text of the block: emphasis flattened, editorial insertions
    /// kept with their brackets, emendations as the edition reads them,
    /// note calls dropped. The one rule for the reading text: search,
    /// mentions and the pages' offsets count on it.
    pub fn plain_text(&self) -> String {
        self.text_as(Reading::Edition)
    }

    /// The plain text with emended runs read as `reading` says; otherwise
    /// as [`Block::plain_text`].
    pub fn text_as(&self, reading: Reading) -> String {
        let mut s = String::new();
        for i in &self.inlines {
            match i {
                Inline::Text { text } | Inline::Emph { text, .. } => s.push_str(text),
                Inline::Supplied { text } => {
                    s.push('[');
                    s.push_str(text);
                    s.push(']');
                }
                Inline::NoteCall { .. } => {}
                Inline::LineBreak => s.push('\n'),
                Inline::Emended { sic, text, .. } => s.push_str(match reading {
                    Reading::Edition => text,
                    Reading::Printed => sic,
                }),
            }
        }
        s
    }
}

/// A reader's mark on a document, reported by an editorial note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marginal {
    /// Who wrote it, as the note names them.
    pub by: String,
    /// What they wrote, as quoted.
    pub text: String,
    /// Where on the page ("upper right-hand corner", "on the back").
    pub place: Option<String>,
    /// The note that reports it.
    pub note: u32,
}

/// A document: the work itself, whatever its witnesses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Stable, readable id: collection plus number or slug.
    pub id: String,
    pub kind: DocKind,
    pub collection: String,
    /// The number the print edition gives it.
    pub number: Option<u32>,
    pub chapter: Option<String>,
    pub title: String,
    pub date: DocDate,
    pub place: Option<String>,
    pub senders: Vec<String>,
    pub addressees: Vec<String>,
    pub body: Vec<Block>,
    pub notes: Vec<Note>,
    pub witnesses: Vec<Witness>,
    /// The document whose text quotes this one in full.
    pub quoted_in: Option<String>,
    /// Documents quoted in full by this one.
    pub quotes: Vec<String>,
    /// What other readers wrote on the document, as the notes report it
    /// (Molotov's dating notations, Bukharin's "I agree").
    #[serde(default)]
    pub marginalia: Vec<Marginal>,
    /// Sort key giving the edition's order (source order).
    pub order: u32,
    /// Known by its metadata only (a CMIF entry: parties, places, dates,
    /// the edition that holds it), with no text in this archive.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub metadata_only: bool,
    /// Where the letter's full text can be read online (CMIF
    /// `correspDesc/@ref`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online: Option<String>,
    /// Names the source itself links to an authority record (TEI `@ref`),
    /// which the linking stage keys people by.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub name_refs: Vec<authority::NameRef>,
    /// The fields an editor's correction gave their value
    /// ([`correction::Field::name`]: `date`, `note:3:text`), in the order
    /// the corrections were applied; empty for the engine's recovery.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrected: Vec<String>,
}

impl Document {
    /// A document with an id, a collection and a kind, and nothing else yet
    /// (no date, parties, text, notes or witnesses): what a reader or a
    /// test fills in.
    pub fn new(id: impl Into<String>, collection: impl Into<String>, kind: DocKind) -> Document {
        Document {
            id: id.into(),
            kind,
            collection: collection.into(),
            number: None,
            chapter: None,
            title: String::new(),
            date: DocDate::default(),
            place: None,
            senders: Vec::new(),
            addressees: Vec::new(),
            body: Vec::new(),
            notes: Vec::new(),
            witnesses: Vec::new(),
            quoted_in: None,
            quotes: Vec::new(),
            marginalia: Vec::new(),
            order: 0,
            metadata_only: false,
            online: None,
            name_refs: Vec::new(),
            corrected: Vec::new(),
        }
    }

    /// The plain text of the body, blocks separated by blank lines. Never
    /// contains note text.
    pub fn body_text(&self) -> String {
        self.body_text_as(Reading::Edition)
    }

    /// The body's text with emended runs read as `reading` says, blocks
    /// separated by blank lines as in [`Document::body_text`].
    pub fn body_text_as(&self, reading: Reading) -> String {
        let parts: Vec<String> = self.body.iter().map(|b| b.text_as(reading)).collect();
        parts.join("\n\n")
    }

    /// What the source prints where the editors emended it, one reading
    /// per line (for a search that finds the printed words too).
    pub fn printed_readings(&self) -> String {
        let mut out = String::new();
        for b in &self.body {
            for i in &b.inlines {
                if let Inline::Emended { sic, .. } = i {
                    out.push_str(sic);
                    out.push('\n');
                }
            }
        }
        out
    }

    /// All archival references cited by the notes, normalised, without
    /// duplicates, in order of first citation.
    pub fn archival_refs(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for n in &self.notes {
            for r in &n.archival_refs {
                let s = r.normalized();
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
        out
    }
}

/// What kind of doubt a QA finding records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    NoDate,
    CallWithoutNote,
    NoteWithoutCall,
    UnresolvedIbid,
    RepairedPageBreak,
    UnplacedLine,
    DateDisagreement,
    UnparsedDate,
    WitnessNearMiss,
    /// A name several people share, which the linker could not decide.
    UnresolvedMention,
    /// A letter known by its metadata (a CMIF entry) joined with the same
    /// letter held in full, or fitting several and joined to none.
    CatalogueEntry,
    /// An editor's correction the current recovery does not meet: the
    /// engine now recovers another value than the one the correction
    /// replaced, or the document (or note) is gone. Kept, not applied.
    CorrectionConflict,
    Other,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::NoDate => "no-date",
            FindingKind::CallWithoutNote => "call-without-note",
            FindingKind::NoteWithoutCall => "note-without-call",
            FindingKind::UnresolvedIbid => "unresolved-ibid",
            FindingKind::RepairedPageBreak => "repaired-page-break",
            FindingKind::UnplacedLine => "unplaced-line",
            FindingKind::DateDisagreement => "date-disagreement",
            FindingKind::UnparsedDate => "unparsed-date",
            FindingKind::WitnessNearMiss => "witness-near-miss",
            FindingKind::UnresolvedMention => "unresolved-mention",
            FindingKind::CatalogueEntry => "catalogue-entry",
            FindingKind::CorrectionConflict => "correction-conflict",
            FindingKind::Other => "other",
        }
    }

    /// The field an editor corrects to settle a finding of this kind, in
    /// `fond correct`'s words (the edit view opens at it); `None` when the
    /// finding does not say which (a note's call names no note here).
    pub fn corrected_field(self) -> Option<&'static str> {
        match self {
            FindingKind::NoDate | FindingKind::DateDisagreement | FindingKind::UnparsedDate => {
                Some("date")
            }
            FindingKind::UnresolvedMention => Some("mention"),
            FindingKind::WitnessNearMiss | FindingKind::CatalogueEntry => Some("witness-of"),
            FindingKind::RepairedPageBreak | FindingKind::UnplacedLine => Some("text"),
            FindingKind::CallWithoutNote
            | FindingKind::NoteWithoutCall
            | FindingKind::UnresolvedIbid
            | FindingKind::CorrectionConflict
            | FindingKind::Other => None,
        }
    }
}

/// One place where the engine was not sure, for the editor's QA report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub source: String,
    pub line: u32,
    pub document: Option<String>,
    pub message: String,
}

/// Everything fond derived from a set of sources.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edition {
    pub sources: Vec<Source>,
    pub documents: Vec<Document>,
    pub findings: Vec<Finding>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_markup_goes_and_plain_text_stays() {
        let md = "## Letter 31\nin *Trud*.<sup>2</sup>\n---\n";
        assert_eq!(
            Markup::Markdown.reading_text(md),
            "Letter 31\nin Trud. 2\n\n"
        );
        // A TEI or web witness keeps its asterisks and hashes: they are
        // the text's own.
        assert_eq!(Markup::Plain.reading_text("# 1 * 2"), "# 1 * 2");
    }

    #[test]
    fn note_authors_label_by_name_else_role() {
        assert_eq!(NoteAuthor::editors().label(), "editors");
        assert_eq!(
            NoteAuthor::new(NoteRole::Translator, "C. F.").label(),
            "C. F."
        );
        let json = serde_json::to_string(&NoteAuthor::other("X")).unwrap_or_default();
        assert_eq!(json, r#"{"role":"other","name":"X"}"#);
        // An archive written before roles had names still reads.
        let old: NoteAuthor =
            serde_json::from_str(r#"{"role":"russian-editors"}"#).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(old, NoteAuthor::editors());
    }
}
