//! The body: blocks and inline runs as the edition prints them, notes at
//! their calls, names with their spans (fond's own export read exactly).

use super::*;

/// Line numbers of byte offsets, by binary search over the line starts
/// found once. `roxmltree`'s `text_pos_at` scans from the start of the
/// document on every call, so asking it for every note of a file made
/// reading quadratic in the notes (16,000 notes: 10 s).
pub(super) struct LineIndex {
    pub(super) starts: Vec<usize>,
}

impl LineIndex {
    pub(super) fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text).map(|i| i + 1));
        line_work::add(text.len() as u64);
        LineIndex { starts }
    }

    /// The 1-based line of byte offset `pos`.
    pub(super) fn line(&self, pos: usize) -> u32 {
        line_work::add(1);
        let i = self.starts.partition_point(|&s| s <= pos);
        u32::try_from(i.max(1)).unwrap_or(u32::MAX)
    }
}

pub(super) fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i)
}

/// A per-thread count of the work of finding line numbers (bytes indexed,
/// lookups): the linear-work test compares it across input sizes.
pub(crate) mod line_work {
    use std::cell::Cell;

    thread_local! {
        static WORK: Cell<u64> = const { Cell::new(0) };
    }

    pub(crate) fn add(n: u64) {
        WORK.with(|w| w.set(w.get().saturating_add(n)));
    }

    #[cfg(test)]
    pub(crate) fn count() -> u64 {
        WORK.with(|w| w.get())
    }
}

pub(super) struct BodyReader<'h> {
    pub(super) blocks: Vec<Block>,
    pub(super) notes: Vec<Note>,
    pub(super) resp: &'h BTreeMap<String, (String, Option<NoteRole>)>,
    pub(super) default_author: NoteAuthor,
    /// fond's own export writes inline text exactly as the model holds
    /// it (only the space between block elements is layout), so its files
    /// are read without squashing white space.
    pub(super) exact: bool,
    /// Line numbers of positions in the document's text.
    pub(super) lines: LineIndex,
    /// The numbers of the notes read so far, and the highest.
    pub(super) note_numbers: std::collections::HashSet<u32>,
    pub(super) max_note: u32,
    /// Names with `@ref` in blocks: (block, name) with the span inside
    /// the block's plain text (fond's own files only).
    pub(super) block_names: Vec<(u32, NameRef)>,
    /// Names with `@ref` in notes, spans in the note's text.
    pub(super) note_names: Vec<NameRef>,
    /// Inside a word that a line break (`lb break="no"`) splits: the
    /// white space up to its next letters is the file's layout.
    pub(super) joining: bool,
    /// The file marks breaks inside words (`break="no"`), so its other
    /// page and column breaks fall between words (`we<pb/>were`); a file
    /// that never marks them breaks pages inside words too
    /// (`Liebens<pb/>würdigkeit`).
    pub(super) breaks_separate: bool,
}

/// Where a block comes from: its role is decided by the element and the
/// container it is in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Container {
    Plain,
    Opener,
    Closer,
    Postscript,
}

impl<'h> BodyReader<'h> {
    pub(super) fn line(&self, n: Node<'_, '_>) -> u32 {
        self.lines.line(n.range().start)
    }

    fn author(&self, n: Node<'_, '_>) -> NoteAuthor {
        let Some(r) = n.attribute("resp").or_else(|| n.attribute("hand")) else {
            return self.default_author.clone();
        };
        // The first pointer names the author; fond's export adds the
        // editors' changes to a corrected note after it.
        let r = r.split_whitespace().next().unwrap_or(r);
        let key = r.trim().trim_start_matches('#');
        match self.resp.get(key) {
            // fond's own export says the role in the statement's `resp`.
            Some((name, Some(role))) if self.exact => NoteAuthor::new(*role, name.clone()),
            Some((name, _)) => NoteAuthor::other(name.clone()),
            // A hand or responsibility the header does not name: its last
            // path segment (`#author`, `…/addressee`) says whose it is.
            None => {
                let last = key.rsplit(['/', '#']).next().unwrap_or(key);
                NoteAuthor::other(if last.is_empty() { r.trim() } else { last })
            }
        }
    }

    /// Walks a container of blocks (body, div, opener, list, …).
    pub(super) fn container(&mut self, n: Node<'_, '_>, role: Container) {
        let mut loose: Vec<Inline> = Vec::new();
        let mut loose_line = self.line(n);
        let mut postscript_started = false;
        for c in n.children() {
            let block_role = if c.is_element() && c.tag_name().namespace() == Some(TEI_NS) {
                block_kind(c, role)
            } else {
                None
            };
            match block_role {
                Some(BlockRole::Block(kind)) => {
                    self.flush(&mut loose, loose_line, role);
                    // A postscript starts with its first paragraph; what
                    // follows in it is text of the postscript (fond writes
                    // a new `postscript` for each "P.S.").
                    let kind = if kind == BlockKind::Postscript && postscript_started {
                        BlockKind::Paragraph
                    } else {
                        kind
                    };
                    let before = self.blocks.len();
                    self.block(c, kind);
                    postscript_started |=
                        role == Container::Postscript && self.blocks.len() > before;
                }
                Some(BlockRole::Container(inner)) => {
                    self.flush(&mut loose, loose_line, role);
                    self.container(c, inner);
                }
                Some(BlockRole::Comment) => {
                    self.flush(&mut loose, loose_line, role);
                    let by = Some(self.author(c).label());
                    let start = self.blocks.len();
                    self.container(c, Container::Plain);
                    // The comment's own closer (signature, date) keeps its
                    // role; fond writes it as the comment's closer.
                    for b in &mut self.blocks[start..] {
                        if !matches!(
                            b.kind,
                            BlockKind::Closing | BlockKind::Signature | BlockKind::Dateline
                        ) {
                            b.kind = BlockKind::Comment { by: by.clone() };
                        }
                    }
                }
                Some(BlockRole::Skip) => {}
                None => {
                    if loose.is_empty() {
                        loose_line = self.line(c);
                    }
                    let at = self.blocks.len() as u32;
                    self.inline(c, &mut loose, 0, at);
                }
            }
        }
        self.flush(&mut loose, loose_line, role);
    }

    /// Text and inline elements met between blocks become a block of
    /// their own (unknown elements keep their text).
    fn flush(&mut self, loose: &mut Vec<Inline>, line: u32, role: Container) {
        let inlines = self.tidy(std::mem::take(loose));
        if inlines.is_empty() {
            return;
        }
        let kind = match role {
            Container::Postscript => BlockKind::Postscript,
            _ => BlockKind::Paragraph,
        };
        self.blocks.push(Block {
            kind,
            inlines,
            line,
        });
    }

    fn block(&mut self, n: Node<'_, '_>, kind: BlockKind) {
        let at = self.blocks.len() as u32;
        let mut inlines = Vec::new();
        // A paragraph that is wholly an addition (`<p><add>…</add></p>`)
        // is fond's encoding of the author's addition.
        let elements: Vec<Node<'_, '_>> = n.children().filter(|c| c.is_element()).collect();
        let only_add = elements.len() == 1
            && is(elements[0], "add")
            && n.children()
                .filter(|c| c.is_text())
                .all(|c| c.text().unwrap_or("").trim().is_empty());
        let kind = if only_add && matches!(kind, BlockKind::Paragraph | BlockKind::Postscript) {
            BlockKind::Addition
        } else {
            kind
        };
        for c in n.children() {
            self.inline(c, &mut inlines, 0, at);
        }
        let inlines = self.tidy(inlines);
        if inlines.is_empty() {
            return;
        }
        self.blocks.push(Block {
            kind,
            inlines,
            line: self.line(n),
        });
    }

    /// Inline content. `emph` is the emphasis level around it.
    // Long: one branch per TEI element the reading text honours (the
    // README lists them); the list is the rule.
    fn inline(&mut self, n: Node<'_, '_>, out: &mut Vec<Inline>, emph: u8, at: u32) {
        match n.node_type() {
            NodeType::Text => {
                let mut t = n.text().unwrap_or("");
                // After a line break inside a word, the markup's own line
                // end and indentation are not a space.
                if self.joining {
                    t = t.trim_start();
                    if !t.is_empty() {
                        self.joining = false;
                    }
                }
                if self.exact {
                    push_exact(out, t, emph);
                } else {
                    push_text(out, t, emph);
                }
                return;
            }
            NodeType::Element => {}
            _ => return,
        }
        let lost_call = is(n, "gap") && n.attribute("reason") == Some("note-lost");
        if (is(n, "pb") || is(n, "cb"))
            && self.breaks_separate
            && n.attribute("break") != Some("no")
            && !self.exact
            && !self.joining
        {
            if !ends_with_space(out) {
                push_text(out, " ", emph);
            }
            return;
        }
        // Another edition's gaps are shown; fond's own marks are read below.
        // (Blank pages are no gap in the text.)
        let shown_gap = is(n, "gap")
            && !self.exact
            && !matches!(n.attribute("reason"), Some("no-text" | "empty" | "blank"));
        if n.tag_name().namespace() != Some(TEI_NS) || (skipped(n) && !lost_call && !shown_gap) {
            return;
        }
        match n.tag_name().name() {
            // A line break inside a word (`break="no"`) joins it.
            "lb" if n.attribute("break") == Some("no") => self.joining = true,
            "lb" => out.push(Inline::LineBreak),
            // Space the edition encodes as an element.
            "space" => push_text(out, " ", emph),
            // Segments of a letterhead or address, and a signature or
            // salutation run into a paragraph, stand apart.
            "seg" | "signed" | "salute" | "dateline" | "addrLine" | "address" if !self.exact => {
                if !ends_with_space(out) {
                    push_text(out, " ", emph);
                }
                for c in n.children() {
                    self.inline(c, out, emph, at);
                }
                push_text(out, " ", emph);
            }
            // A pointer with no text of its own (a diary entry a note
            // cites) shows its type and target, never an empty place.
            "ref" if reading_text(n).is_empty() && n.attribute("target").is_some() => {
                let target = n.attribute("target").unwrap_or_default();
                let label = match n.attribute("type") {
                    Some(t) => format!("{t}: {target}"),
                    None => format!("→ {target}"),
                };
                push_text(out, &label, emph);
            }
            // A gap in the text is shown as one.
            "gap" if shown_gap && !lost_call => push_text(out, "[…]", emph),
            "note" => {
                if n.attribute("type") == Some("unanchored") {
                    // fond's notes whose call was lost in the source.
                    self.note(n, None);
                } else if n.attribute("type") == Some("comment") {
                    // A comment inside a paragraph: keep its text in place.
                    for c in n.children() {
                        self.inline(c, out, emph, at);
                    }
                } else {
                    let num = self.note(n, Some(at));
                    out.push(Inline::NoteCall { n: num });
                }
            }
            // An editors' emendation: the print kept beside the reading
            // (fond's own export writes its corrections' emendations so).
            "choice" if child(n, "sic").is_some() && child(n, "corr").is_some() => {
                let (sic, corr) = (child(n, "sic"), child(n, "corr"));
                let sic = sic.map(edged_text).unwrap_or_default();
                let mut text = String::new();
                if let Some(corr) = corr {
                    if self.exact {
                        // Names inside the reading keep their spans.
                        let base = plain_len(out);
                        let mut names = Vec::new();
                        collect_with_names(corr, &mut text, &mut names, MentionField::Body);
                        for mut name in names {
                            name.start += base;
                            name.end += base;
                            self.block_names.push((at, name));
                        }
                    } else {
                        text = edged_text(corr);
                        if ends_with_space(out) {
                            text = text.trim_start().to_string();
                        }
                    }
                }
                out.push(Inline::Emended {
                    sic,
                    text,
                    resp: String::new(),
                });
            }
            "choice" => {
                if let Some(pick) = choice_pick(n) {
                    for c in pick.children() {
                        self.inline(c, out, emph, at);
                    }
                }
            }
            "gap" if n.attribute("reason") == Some("note-lost") => {
                // fond's mark of a note call whose note the source lost.
                if let Some(num) = n.attribute("n").and_then(|v| v.parse().ok()) {
                    out.push(Inline::NoteCall { n: num });
                }
            }
            "supplied" => {
                let t = if self.exact {
                    // Names inside the brackets keep their spans: one past
                    // the opening bracket.
                    let base = plain_len(out) + 1;
                    let mut t = String::new();
                    let mut names = Vec::new();
                    collect_with_names(n, &mut t, &mut names, MentionField::Body);
                    for mut name in names {
                        name.start += base;
                        name.end += base;
                        self.block_names.push((at, name));
                    }
                    t
                } else {
                    reading_text(n)
                };
                if !t.is_empty() {
                    out.push(Inline::Supplied { text: t });
                }
            }
            "hi" => {
                let how = format!(
                    "{} {}",
                    n.attribute("rend").unwrap_or(""),
                    n.attribute("rendition").unwrap_or("")
                );
                let level = if how.contains("double-underline") || how.contains("#uu") {
                    2
                } else if how.contains("underline") || how.contains("#u") {
                    1
                } else {
                    emph
                };
                for c in n.children() {
                    self.inline(c, out, level.max(emph), at);
                }
            }
            _ => {
                // persName, placeName, orgName, add, unclear, foreign, ref,
                // bibl, … and unknown elements: their text, in place.
                let start = plain_len(out);
                for c in n.children() {
                    self.inline(c, out, emph, at);
                }
                if let (true, Some(target)) = (self.exact, name_ref(n)) {
                    self.block_names.push((
                        at,
                        NameRef {
                            field: MentionField::Body,
                            start,
                            end: plain_len(out),
                            refs: uris(target),
                            surface: String::new(),
                            certain: n.attribute("cert") != Some("low"),
                            element: name_element(n),
                        },
                    ));
                }
            }
        }
    }

    /// Tidies a block's runs: white space squashed for other editions'
    /// files; for fond's own, only layout between blocks is dropped.
    fn tidy(&self, v: Vec<Inline>) -> Vec<Inline> {
        if !self.exact {
            return tidy(v);
        }
        let layout = v.iter().all(|i| match i {
            Inline::Text { text } => text.trim().is_empty(),
            _ => false,
        });
        if layout {
            Vec::new()
        } else {
            v
        }
    }

    /// Reads a note, returns its number.
    pub(super) fn note(&mut self, n: Node<'_, '_>, call_block: Option<u32>) -> u32 {
        // The numbers taken and the highest are kept as notes are read:
        // looking them up in the notes read so far made a file of many
        // notes quadratic.
        let num = n
            .attribute("n")
            .and_then(|v| v.trim().parse().ok())
            .filter(|v| !self.note_numbers.contains(v))
            .unwrap_or(self.max_note + 1);
        self.note_numbers.insert(num);
        self.max_note = self.max_note.max(num);
        let ps: Vec<Node<'_, '_>> = children(n, "p").collect();
        let read = |x: Node<'_, '_>| {
            if self.exact {
                raw_text(x)
            } else {
                reading_text(x)
            }
        };
        let text = if self.exact {
            let field = MentionField::Note(num);
            let mut text = String::new();
            let parts: Vec<Node<'_, '_>> = if ps.is_empty() { vec![n] } else { ps.clone() };
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    text.push_str("\n\n");
                }
                collect_with_names(*p, &mut text, &mut self.note_names, field);
            }
            text
        } else if ps.is_empty() {
            read(n)
        } else {
            ps.iter().map(|p| read(*p)).collect::<Vec<_>>().join("\n\n")
        };
        let mut archival_refs = Vec::new();
        for b in n
            .descendants()
            .filter(|d| is(*d, "bibl") && d.attribute("type") == Some("archival"))
        {
            if let Some(r) = archival_bibl(b) {
                archival_refs.push(r);
            }
        }
        // fond's cross references: `ref` to another letter's file and
        // note (`edition.26.xml#note-2`) or to a note here.
        let cross_refs = n
            .descendants()
            .filter(|r| is(*r, "ref"))
            .filter_map(|r| {
                let target = r.attribute("target")?;
                let (file, frag) = match target.split_once('#') {
                    Some((f, x)) => (f, Some(x)),
                    None => (target, None),
                };
                let note = frag
                    .and_then(|x| x.strip_prefix("note-"))
                    .and_then(|x| x.parse().ok());
                let letter = file
                    .strip_suffix(".xml")
                    .and_then(|f| f.rsplit('.').next())
                    .and_then(|x| x.parse().ok());
                (note.is_some() || letter.is_some()).then(|| CrossRef {
                    text: read(r),
                    letter,
                    note,
                })
            })
            .collect();
        self.notes.push(Note {
            n: num,
            call: if call_block.is_some() {
                CallForm::Superscript
            } else {
                CallForm::Lost
            },
            call_block,
            text,
            by: self.author(n),
            archival_refs,
            cross_refs,
            special_file: false,
            relocated: false,
            line: self.line(n),
        });
        num
    }
}

/// `bibl type="archival"` as fond writes it: archive, fond, opis, delo,
/// sheets as typed `idno`s; an `Ibid.` as `choice` of the printed form and
/// the resolved one.
pub(super) fn archival_bibl(b: Node<'_, '_>) -> Option<ArchivalRef> {
    let choice = child(b, "choice");
    let (scope, printed, ibid) = match choice {
        Some(c) => (
            child(c, "reg").unwrap_or(c),
            child(c, "orig").map(reading_text),
            true,
        ),
        None => (b, None, false),
    };
    let typed = |t: &str| {
        scope
            .descendants()
            .find(|n| is(*n, "idno") && n.attribute("type") == Some(t))
            .map(reading_text)
    };
    let archive = scope
        .descendants()
        .find(|n| is(*n, "orgName") && n.attribute("type") == Some("archive"))
        .map(reading_text)?;
    Some(ArchivalRef {
        text: printed.unwrap_or_else(|| reading_text(b)),
        archive,
        fond: typed("fond")?,
        opis: typed("opis"),
        delo: typed("delo"),
        sheets: typed("sheets").map(|s| sheets(&s)),
        ibid,
    })
}

pub(super) enum BlockRole {
    Block(BlockKind),
    Container(Container),
    Comment,
    Skip,
}

/// How an element of a container reads: a block, a container of blocks,
/// something to leave out, or (`None`) inline content.
pub(super) fn block_kind(n: Node<'_, '_>, role: Container) -> Option<BlockRole> {
    let name = n.tag_name().name();
    Some(match name {
        "p" | "ab" | "l" | "quote" if role == Container::Postscript => {
            BlockRole::Block(BlockKind::Postscript)
        }
        "p" | "ab" | "l" => BlockRole::Block(BlockKind::Paragraph),
        "head" => BlockRole::Block(BlockKind::Heading),
        "item" => BlockRole::Block(BlockKind::Point {
            label: n.attribute("n").unwrap_or("").to_string(),
        }),
        "dateline" => BlockRole::Block(BlockKind::Dateline),
        "addrLine" => BlockRole::Block(BlockKind::Address),
        "salute" if role == Container::Closer => BlockRole::Block(BlockKind::Closing),
        "salute" => BlockRole::Block(BlockKind::Salutation),
        "signed" => BlockRole::Block(BlockKind::Signature),
        "opener" => BlockRole::Container(Container::Opener),
        "closer" => BlockRole::Container(Container::Closer),
        "postscript" => BlockRole::Container(Container::Postscript),
        "note" if n.attribute("type") == Some("comment") => BlockRole::Comment,
        "div" | "body" | "floatingText" | "list" | "lg" | "address" | "table" | "row" | "cell"
        | "listBibl" | "sp" | "epigraph" | "argument" | "byline" | "docAuthor" | "trailer"
        | "front" | "back" | "group" | "text" => BlockRole::Container(role),
        "fw" | "figure" | "pb" | "cb" | "milestone" | "gap" | "del" | "metamark" => BlockRole::Skip,
        _ => return None,
    })
}

/// Appends text with white space squashed, joining runs of one kind.
pub(super) fn push_text(out: &mut Vec<Inline>, t: &str, emph: u8) {
    if t.is_empty() {
        return;
    }
    let mut s = String::with_capacity(t.len());
    let mut space = false;
    for c in t.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                s.push(' ');
                space = false;
            }
            s.push(c);
        }
    }
    if space {
        s.push(' ');
    }
    match (out.last_mut(), emph) {
        (Some(Inline::Text { text }), 0) => push_squashed(text, &s),
        (Some(Inline::Emph { level, text }), l) if *level == l => push_squashed(text, &s),
        (_, 0) => out.push(Inline::Text { text: s }),
        (_, l) => out.push(Inline::Emph { level: l, text: s }),
    }
}

/// Appends text as it stands, joining runs of one kind.
pub(super) fn push_exact(out: &mut Vec<Inline>, t: &str, emph: u8) {
    if t.is_empty() {
        return;
    }
    match (out.last_mut(), emph) {
        (Some(Inline::Text { text }), 0) => text.push_str(t),
        (Some(Inline::Emph { level, text }), l) if *level == l => text.push_str(t),
        (_, 0) => out.push(Inline::Text { text: t.into() }),
        (_, l) => out.push(Inline::Emph {
            level: l,
            text: t.into(),
        }),
    }
}

/// Appends without doubling a space where the two runs meet (text on
/// both sides of a left-out deletion).
pub(super) fn push_squashed(text: &mut String, s: &str) {
    if text.ends_with(' ') {
        text.push_str(s.strip_prefix(' ').unwrap_or(s));
    } else {
        text.push_str(s);
    }
}

/// Squashes spaces across runs, trims the block's ends and drops empty
/// runs.
pub(super) fn tidy(v: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(v.len());
    let mut prev_space = true; // at the start, leading space is dropped
    for i in v {
        match i {
            Inline::Text { text } | Inline::Emph { text, level: 0 } => {
                let t = squash_edge(&text, &mut prev_space);
                if !t.is_empty() {
                    if let Some(Inline::Text { text }) = out.last_mut() {
                        text.push_str(&t);
                    } else {
                        out.push(Inline::Text { text: t });
                    }
                }
            }
            Inline::Emph { level, text } => {
                let t = squash_edge(&text, &mut prev_space);
                if !t.is_empty() {
                    out.push(Inline::Emph { level, text: t });
                }
            }
            Inline::LineBreak => {
                // Drop the space before a break: the break is the space.
                if let Some(Inline::Text { text } | Inline::Emph { text, .. }) = out.last_mut() {
                    if text.ends_with(' ') {
                        text.pop();
                    }
                }
                out.push(Inline::LineBreak);
                prev_space = true;
            }
            other => {
                prev_space = false;
                out.push(other);
            }
        }
    }
    // Trailing spaces and breaks at the end of the block.
    loop {
        match out.last_mut() {
            Some(Inline::LineBreak) => {
                out.pop();
            }
            Some(Inline::Text { text } | Inline::Emph { text, .. }) if text.ends_with(' ') => {
                let t = text.trim_end().to_string();
                if t.is_empty() {
                    out.pop();
                } else {
                    *text = t;
                    break;
                }
            }
            _ => break,
        }
    }
    if out.iter().all(|i| matches!(i, Inline::LineBreak)) {
        out.clear();
    }
    out
}

/// Drops a leading space when the previous run ended in one.
pub(super) fn squash_edge(t: &str, prev_space: &mut bool) -> String {
    let t = if *prev_space { t.trim_start() } else { t };
    if !t.is_empty() {
        *prev_space = t.ends_with(' ');
    }
    t.to_string()
}

/// An element's reading text with its white space squashed, keeping one
/// space at either edge where the element has some: an emendation that
/// reads `<sic>,</sic><corr> de</corr>` adds a word after the one before
/// it, where the print has a comma.
fn edged_text(n: roxmltree::Node<'_, '_>) -> String {
    let raw = raw_text(n);
    let mut out = squash(&raw);
    if out.is_empty() {
        return out;
    }
    if raw.starts_with(char::is_whitespace) {
        out.insert(0, ' ');
    }
    if raw.ends_with(char::is_whitespace) {
        out.push(' ');
    }
    out
}
