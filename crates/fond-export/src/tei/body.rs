//! The `text`: the document's blocks as TEI divisions, their inline runs,
//! the notes at their calls, and names where mentions are given.
//!
//! ## Order
//!
//! TEI lets a `div` open with `head`/`opener`, then hold paragraphs and
//! lists, then end with `closer`/`postscript`; nothing of the middle may
//! follow the end. Letters do not always oblige: Stalin signs, then adds a
//! paragraph (letter 8); signs, adds a postscript and signs again (letter
//! 10); readers comment after the signature and sign their comments
//! (letter 23). The blocks are therefore grouped by a small state machine
//! (top → middle → bottom):
//!
//! - text after the bottom has begun is a `postscript` (what follows the
//!   signature is, in a letter, a postscript whether or not it says
//!   "P.S."), and a signature or dateline after a postscript closes that
//!   postscript;
//! - other readers' comments are `note type="comment"`, which TEI allows
//!   anywhere; a closing, signature and dateline right after a comment are
//!   the commenter's, and then the note holds a `floatingText` (the only
//!   way TEI lets a note carry a `closer`);
//! - a division that reaches its closing with no text before it gets
//!   `<p><gap reason="no-text"/></p>` there, because TEI allows a `closer`
//!   only after text (the reader found a salutation and a signature but
//!   nothing between them);
//! - a heading after text starts a new `div` (editorial texts have
//!   sections).
//!
//! ## Names
//!
//! Mentions are byte spans of [`Document::body_text`]: the blocks' plain
//! texts joined by blank lines, where an editorial insertion keeps its
//! brackets and a note call is nothing. Each block's inline runs are laid
//! out on that text; a run a name starts or ends inside is split there
//! (`<persName><hi>Com. Molotov</hi></persName>` or
//! `<hi>Com. </hi><persName><hi>Molotov</hi>…`), which keeps the XML
//! nested without changing a character. A mention whose end does not fall
//! on a character of the text (it would cut a bracket), that overlaps
//! another, or crosses blocks is left out.

use super::header::{name_element, Resp};
use super::notes;
use super::TeiContext;
use crate::xml::XmlWriter;
use crate::{EntityKind, Field, Mention};
use fond_model::{Block, BlockKind, DocKind, Document, Inline};

/// A structural unit of a division; block indices into `doc.body`.
#[derive(Debug, PartialEq, Eq)]
enum Node {
    Head(usize),
    Opener(Vec<usize>),
    Para(usize),
    List(Vec<usize>),
    Comment {
        blocks: Vec<usize>,
        closer: Vec<usize>,
    },
    Closer(Vec<usize>),
    Postscript {
        content: Vec<Node>,
        closer: Vec<usize>,
    },
    /// No text where text must be.
    NoText,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Top,
    Middle,
    Bottom,
}

/// Groups blocks into divisions of nodes in an order TEI accepts.
fn structure(blocks: &[Block]) -> Vec<Vec<Node>> {
    let mut divs = Vec::new();
    let mut cur: Vec<Node> = Vec::new();
    let mut phase = Phase::Top;
    for (i, b) in blocks.iter().enumerate() {
        match &b.kind {
            BlockKind::Heading => {
                if phase != Phase::Top {
                    divs.push(std::mem::take(&mut cur));
                    phase = Phase::Top;
                }
                cur.push(Node::Head(i));
            }
            BlockKind::Comment { by } => {
                // Consecutive comments of one reader are one note.
                if let Some(Node::Comment { blocks: bs, closer }) = cur.last_mut() {
                    let same =
                        matches!(&blocks[bs[0]].kind, BlockKind::Comment { by: b2 } if b2 == by);
                    if closer.is_empty() && same {
                        bs.push(i);
                        continue;
                    }
                }
                cur.push(Node::Comment {
                    blocks: vec![i],
                    closer: Vec::new(),
                });
            }
            BlockKind::Closing | BlockKind::Signature | BlockKind::Dateline
                if matches!(cur.last(), Some(Node::Comment { .. })) =>
            {
                if let Some(Node::Comment { closer, .. }) = cur.last_mut() {
                    closer.push(i);
                }
            }
            BlockKind::Dateline | BlockKind::Address | BlockKind::Salutation
                if phase == Phase::Top =>
            {
                match cur.last_mut() {
                    Some(Node::Opener(v)) => v.push(i),
                    _ => cur.push(Node::Opener(vec![i])),
                }
            }
            BlockKind::Dateline
            | BlockKind::Address
            | BlockKind::Salutation
            | BlockKind::Closing
            | BlockKind::Signature => {
                enter_bottom(&mut cur, &mut phase);
                match cur.last_mut() {
                    Some(Node::Postscript { closer, .. }) | Some(Node::Closer(closer)) => {
                        closer.push(i)
                    }
                    _ => cur.push(Node::Closer(vec![i])),
                }
            }
            BlockKind::Postscript => {
                enter_bottom(&mut cur, &mut phase);
                cur.push(Node::Postscript {
                    content: vec![Node::Para(i)],
                    closer: Vec::new(),
                });
            }
            BlockKind::Paragraph | BlockKind::Point { .. } | BlockKind::Addition => {
                let point = matches!(b.kind, BlockKind::Point { .. });
                if phase == Phase::Bottom {
                    match cur.last_mut() {
                        Some(Node::Postscript { content, closer }) if closer.is_empty() => {
                            push_text(content, i, point)
                        }
                        _ => {
                            let mut content = Vec::new();
                            push_text(&mut content, i, point);
                            cur.push(Node::Postscript {
                                content,
                                closer: Vec::new(),
                            });
                        }
                    }
                } else {
                    phase = Phase::Middle;
                    push_text(&mut cur, i, point);
                }
            }
        }
    }
    if !cur.is_empty() || divs.is_empty() {
        divs.push(cur);
    }
    divs
}

/// Starts the bottom of a division, after text: TEI allows a `closer` or
/// `postscript` only there.
fn enter_bottom(cur: &mut Vec<Node>, phase: &mut Phase) {
    if *phase != Phase::Bottom
        && !cur
            .iter()
            .any(|n| matches!(n, Node::Para(_) | Node::List(_)))
    {
        cur.push(Node::NoText);
    }
    *phase = Phase::Bottom;
}

/// Adds a paragraph, or a point to the list it continues.
fn push_text(nodes: &mut Vec<Node>, i: usize, point: bool) {
    if point {
        if let Some(Node::List(items)) = nodes.last_mut() {
            items.push(i);
            return;
        }
        nodes.push(Node::List(vec![i]));
    } else {
        nodes.push(Node::Para(i));
    }
}

/// `@n` of a numbered point: its label without brackets and dots
/// (`1)` → `1`, `(a)` → `a`).
fn point_n(label: &str) -> &str {
    let n = label.trim().trim_matches(|c| matches!(c, '(' | ')' | '.'));
    if n.is_empty() {
        label
    } else {
        n
    }
}

/// Writes `<text>`.
pub(crate) fn write(w: &mut XmlWriter, doc: &Document, ctx: &TeiContext, resp: &Resp) {
    let mut r = Renderer::new(doc, ctx, resp);
    let div_type = match doc.kind {
        DocKind::EditorialText => "editorial",
        k => k.as_str(),
    };
    w.block("text", &[]);
    w.block("body", &[]);
    let divs = structure(&doc.body);
    let last = divs.len().saturating_sub(1);
    for (k, nodes) in divs.iter().enumerate() {
        w.block("div", &[("type", div_type)]);
        if nodes.is_empty() {
            // A document with no text (only notes, or nothing): TEI wants
            // something in the body.
            w.empty_block("gap", &[("reason", "no-text")]);
        }
        for node in nodes {
            r.node(w, node);
        }
        if k == last {
            r.unanchored_notes(w);
        }
        w.close();
    }
    w.close();
    super::collation::write(w, doc);
    w.close();
}

/// A piece of a block's inline runs, laid on the body text.
#[derive(Debug, Clone, Copy)]
struct Piece<'a> {
    start: usize,
    end: usize,
    kind: PieceKind<'a>,
}

#[derive(Debug, Clone, Copy)]
enum PieceKind<'a> {
    Text(&'a str),
    Emph(u8, &'a str),
    Supplied(&'a str),
    Call(u32),
    Break,
    /// An emendation: printed, read, and the correction that made it.
    Emended(&'a str, &'a str, &'a str),
}

struct Renderer<'a> {
    doc: &'a Document,
    ctx: &'a TeiContext,
    resp: &'a Resp,
    /// Byte offset of each block in the body text.
    offsets: Vec<usize>,
    /// Body mentions, sorted by start.
    mentions: Vec<&'a Mention>,
    note_ids: Vec<String>,
    /// Which notes have been written.
    written: Vec<bool>,
}

impl<'a> Renderer<'a> {
    fn new(doc: &'a Document, ctx: &'a TeiContext, resp: &'a Resp) -> Renderer<'a> {
        let mut offsets = Vec::with_capacity(doc.body.len());
        let mut pos = 0;
        for b in &doc.body {
            offsets.push(pos);
            pos += b.plain_len() + 2;
        }
        let mentions = ctx
            .mentions_of(doc)
            .iter()
            .filter(|m| m.field == Field::Body && m.start < m.end)
            .collect();
        Renderer {
            doc,
            ctx,
            resp,
            offsets,
            mentions,
            note_ids: notes::note_ids(doc),
            written: vec![false; doc.notes.len()],
        }
    }

    fn node(&mut self, w: &mut XmlWriter, node: &Node) {
        match node {
            Node::Head(i) => self.block(w, "head", &[], *i),
            Node::Opener(bs) => {
                w.block("opener", &[]);
                self.parts(w, bs);
                w.close();
            }
            Node::Para(i) => self.para(w, *i),
            Node::NoText => {
                w.block("p", &[]);
                w.empty("gap", &[("reason", "no-text")]);
                w.close();
            }
            Node::List(items) => {
                w.block("list", &[]);
                for &i in items {
                    let label = match &self.doc.body[i].kind {
                        BlockKind::Point { label } => point_n(label),
                        _ => "",
                    };
                    self.block(w, "item", &[("n", label)], i);
                }
                w.close();
            }
            Node::Comment { blocks, closer } => {
                let by = match &self.doc.body[blocks[0]].kind {
                    BlockKind::Comment { by: Some(by) } => self.resp.commenter(by),
                    _ => None,
                };
                let mut attrs = vec![("type", "comment")];
                if let Some(r) = &by {
                    attrs.push(("resp", r));
                }
                w.block("note", &attrs);
                if closer.is_empty() {
                    for &i in blocks {
                        self.block(w, "p", &[], i);
                    }
                } else {
                    w.block("floatingText", &[("type", "comment")]);
                    w.block("body", &[]);
                    w.block("div", &[]);
                    for &i in blocks {
                        self.block(w, "p", &[], i);
                    }
                    w.block("closer", &[]);
                    self.parts(w, closer);
                    w.close();
                    w.close();
                    w.close();
                    w.close();
                }
                w.close();
            }
            Node::Closer(bs) => {
                w.block("closer", &[]);
                self.parts(w, bs);
                w.close();
            }
            Node::Postscript { content, closer } => {
                w.block("postscript", &[]);
                for n in content {
                    self.node(w, n);
                }
                if !closer.is_empty() {
                    w.block("closer", &[]);
                    self.parts(w, closer);
                    w.close();
                }
                w.close();
            }
        }
    }

    /// A paragraph; an addition by the author is marked as such.
    fn para(&mut self, w: &mut XmlWriter, i: usize) {
        w.block("p", &[]);
        if self.doc.body[i].kind == BlockKind::Addition {
            w.open("add", &[]);
            self.inlines(w, i);
            w.close();
        } else {
            self.inlines(w, i);
        }
        w.close();
    }

    /// The parts of an opener or closer; consecutive address lines form
    /// one `address`.
    fn parts(&mut self, w: &mut XmlWriter, bs: &[usize]) {
        let mut k = 0;
        while k < bs.len() {
            let i = bs[k];
            let name = match self.doc.body[i].kind {
                BlockKind::Dateline => "dateline",
                BlockKind::Signature => "signed",
                BlockKind::Address => {
                    w.block("address", &[]);
                    while k < bs.len() && self.doc.body[bs[k]].kind == BlockKind::Address {
                        self.block(w, "addrLine", &[], bs[k]);
                        k += 1;
                    }
                    w.close();
                    continue;
                }
                // Salutations and closings ("Regards,") are both salutes.
                _ => "salute",
            };
            self.block(w, name, &[], i);
            k += 1;
        }
    }

    fn block(&mut self, w: &mut XmlWriter, name: &'static str, attrs: &[(&str, &str)], i: usize) {
        w.block(name, attrs);
        self.inlines(w, i);
        w.close();
    }

    /// Writes a block's inline runs with the names inside it.
    ///
    /// A name wholly inside one underlined run or insertion is written
    /// inside that element (`<supplied>that is, <persName>Stalin</persName>
    /// —R.T.</supplied>`); a name across runs is written around them,
    /// splitting a run it starts or ends inside.
    fn inlines(&mut self, w: &mut XmlWriter, i: usize) {
        let block = &self.doc.body[i];
        let start = self.offsets[i];
        let end = start + block.plain_len();
        let atoms = atoms(block, start);
        let mentions: Vec<&Mention> = accepted(
            self.mentions
                .iter()
                .copied()
                .filter(|m| m.start >= start && m.end <= end),
            &atoms,
        );
        let (inner, outer): (Vec<&Mention>, Vec<&Mention>) = mentions
            .into_iter()
            .partition(|m| atoms.iter().any(|a| inside(a, m)));
        let cuts: Vec<usize> = outer.iter().flat_map(|m| [m.start, m.end]).collect();
        let mut open: Option<&Mention> = None;
        let mut next = 0;
        for atom in &atoms {
            for piece in split(atom, &cuts) {
                if let Some(m) = open {
                    if m.end <= piece.start {
                        w.close();
                        open = None;
                    }
                }
                // A name opens on text, never on a note call at its start.
                let zero_width = piece.start == piece.end;
                if open.is_none() && !zero_width {
                    if let Some(&m) = outer.get(next) {
                        if m.start <= piece.start {
                            self.open_name(w, m);
                            open = Some(m);
                            next += 1;
                        }
                    }
                }
                let names: Vec<&Mention> = inner
                    .iter()
                    .copied()
                    .filter(|m| m.start >= piece.start && m.end <= piece.end)
                    .collect();
                self.piece(w, &piece, &names);
            }
        }
        if open.is_some() {
            w.close();
        }
    }

    fn open_name(&self, w: &mut XmlWriter, m: &Mention) {
        let r = self.ctx.entity_ref(m.entity.kind(), m.entity.id());
        let mut attrs = vec![("ref", r.as_str())];
        if m.entity.kind() == EntityKind::Periodical {
            attrs.insert(0, ("level", "j"));
        }
        if !m.resolved {
            attrs.push(("cert", "low"));
        }
        w.open(name_element(m.entity.kind()), &attrs);
    }

    /// Writes a piece; `names` lie inside it.
    fn piece(&mut self, w: &mut XmlWriter, p: &Piece<'_>, names: &[&Mention]) {
        match p.kind {
            PieceKind::Text(t) => self.text_with_names(w, t, p.start, names),
            PieceKind::Emph(_, "") | PieceKind::Supplied("") => {}
            PieceKind::Emph(level, t) => {
                let rend = if level >= 2 {
                    "double-underline"
                } else {
                    "underline"
                };
                w.open("hi", &[("rend", rend)]);
                self.text_with_names(w, t, p.start, names);
                w.close();
            }
            PieceKind::Supplied(t) => {
                match &self.resp.brackets {
                    Some(r) => w.open("supplied", &[("resp", r)]),
                    None => w.open("supplied", &[]),
                }
                // The text of an insertion starts after its `[`, unless
                // this piece is a later part of a split insertion.
                let text_start = p.end - p.start - t.len();
                let first = if text_start > 0 { p.start + 1 } else { p.start };
                self.text_with_names(w, t, first, names);
                w.close();
            }
            PieceKind::Break => w.empty("lb", &[]),
            PieceKind::Call(n) => self.call(w, n),
            // `choice` keeps the print beside the reading; `@resp` points
            // at the `revisionDesc/change` that made the emendation.
            PieceKind::Emended(sic, text, by) => {
                w.open("choice", &[]);
                w.inline_leaf("sic", &[], sic);
                let resp = format!("#{}", super::change_id(by));
                if by.is_empty() {
                    w.open("corr", &[]);
                } else {
                    w.open("corr", &[("resp", &resp)]);
                }
                self.text_with_names(w, text, p.start, names);
                w.close();
                w.close();
            }
        }
    }

    /// Text starting at body offset `at`, with `names` (sorted, inside it)
    /// as elements.
    fn text_with_names(&self, w: &mut XmlWriter, t: &str, at: usize, names: &[&Mention]) {
        let mut pos = 0;
        for m in names {
            let (a, b) = (m.start - at, m.end - at);
            let (Some(before), Some(name)) = (t.get(pos..a), t.get(a..b)) else {
                continue;
            };
            w.text(before);
            self.open_name(w, m);
            w.text(name);
            w.close();
            pos = b;
        }
        w.text(t.get(pos..).unwrap_or_default());
    }

    /// The note called here: written at its first call; a later call of
    /// the same number points to it; a call whose note the source lost is
    /// a gap.
    fn call(&mut self, w: &mut XmlWriter, n: u32) {
        let doc = self.doc;
        let unwritten = doc
            .notes
            .iter()
            .enumerate()
            .find(|(k, note)| note.n == n && !self.written[*k]);
        match unwritten {
            Some((k, note)) => {
                self.written[k] = true;
                notes::write(w, doc, note, &self.note_ids[k], self.ctx, self.resp, false);
            }
            None if doc.notes.iter().any(|note| note.n == n) => {
                let target = format!("#{}", notes::note_id(n));
                w.empty("ptr", &[("type", "noteCall"), ("target", &target)]);
            }
            None => {
                let n = n.to_string();
                w.empty("gap", &[("reason", "note-lost"), ("n", &n)]);
            }
        }
    }

    /// Notes no call placed (the source lost the call, or the number is
    /// printed twice), at the end of the text.
    fn unanchored_notes(&mut self, w: &mut XmlWriter) {
        let doc = self.doc;
        for (k, note) in doc.notes.iter().enumerate() {
            if !self.written[k] {
                self.written[k] = true;
                notes::write(w, doc, note, &self.note_ids[k], self.ctx, self.resp, true);
            }
        }
    }
}

/// A block's inline runs as pieces on the body text, unsplit.
fn atoms(b: &Block, start: usize) -> Vec<Piece<'_>> {
    let mut pos = start;
    let mut out = Vec::with_capacity(b.inlines.len());
    for i in &b.inlines {
        let (len, kind) = match i {
            Inline::Text { text } => (text.len(), PieceKind::Text(text)),
            Inline::Emph { level, text } => (text.len(), PieceKind::Emph(*level, text)),
            Inline::Supplied { text } => (text.len() + 2, PieceKind::Supplied(text)),
            Inline::NoteCall { n } => (0, PieceKind::Call(*n)),
            Inline::LineBreak => (1, PieceKind::Break),
            Inline::Emended { sic, text, resp } => {
                (text.len(), PieceKind::Emended(sic, text, resp))
            }
        };
        out.push(Piece {
            start: pos,
            end: pos + len,
            kind,
        });
        pos += len;
    }
    out
}

/// Can a name begin or end at `pos`? At a run's edge always; inside text
/// or emphasis at a character boundary; inside an insertion between its
/// brackets; never inside a line break.
fn can_cut(atoms: &[Piece<'_>], pos: usize) -> bool {
    atoms.iter().any(|a| {
        if pos == a.start || pos == a.end {
            return true;
        }
        if pos < a.start || pos > a.end {
            return false;
        }
        match a.kind {
            PieceKind::Text(t) | PieceKind::Emph(_, t) => t.is_char_boundary(pos - a.start),
            PieceKind::Supplied(t) => {
                pos > a.start && pos < a.end && t.is_char_boundary(pos - a.start - 1)
            }
            PieceKind::Call(_) | PieceKind::Break | PieceKind::Emended(..) => false,
        }
    })
}

/// The mentions that can be written: cut where the text allows, not
/// overlapping an earlier (longer first) one.
fn accepted<'m>(
    candidates: impl Iterator<Item = &'m Mention>,
    atoms: &[Piece<'_>],
) -> Vec<&'m Mention> {
    let mut out: Vec<&Mention> = Vec::new();
    for m in candidates {
        // A match rather than `is_none_or`, which is newer than the
        // workspace's declared minimum Rust (1.80).
        let after_last = match out.last() {
            Some(l) => m.start >= l.end,
            None => true,
        };
        if after_last && can_cut(atoms, m.start) && can_cut(atoms, m.end) {
            out.push(m);
        }
    }
    out
}

/// Is the name wholly inside an underlined run or between an insertion's
/// brackets?
fn inside(a: &Piece<'_>, m: &Mention) -> bool {
    match a.kind {
        PieceKind::Emph(..) | PieceKind::Emended(..) => m.start >= a.start && m.end <= a.end,
        PieceKind::Supplied(_) => m.start > a.start && m.end < a.end,
        _ => false,
    }
}

/// Splits a run at the cuts that fall inside it.
fn split<'a>(atom: &Piece<'a>, cuts: &[usize]) -> Vec<Piece<'a>> {
    let mut points: Vec<usize> = cuts
        .iter()
        .copied()
        .filter(|&c| c > atom.start && c < atom.end)
        .collect();
    if points.is_empty() {
        return vec![*atom];
    }
    points.sort_unstable();
    points.dedup();
    let mut bounds = Vec::with_capacity(points.len() + 2);
    bounds.push(atom.start);
    bounds.extend(points);
    bounds.push(atom.end);
    bounds
        .windows(2)
        .map(|ab| {
            let (a, b) = (ab[0], ab[1]);
            let kind = match atom.kind {
                // Cuts were checked by `can_cut`, so these are character
                // boundaries; `get` keeps a bug from becoming a panic.
                PieceKind::Text(t) => {
                    PieceKind::Text(t.get(a - atom.start..b - atom.start).unwrap_or_default())
                }
                PieceKind::Emph(l, t) => {
                    PieceKind::Emph(l, t.get(a - atom.start..b - atom.start).unwrap_or_default())
                }
                PieceKind::Supplied(t) => {
                    // Plain positions include the brackets: `[` at start,
                    // `]` at end.
                    let inner = |p: usize| (p.saturating_sub(atom.start + 1)).min(t.len());
                    PieceKind::Supplied(t.get(inner(a)..inner(b)).unwrap_or_default())
                }
                k => k,
            };
            Piece {
                start: a,
                end: b,
                kind,
            }
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::Mention;
    use fond_model::{CallForm, DocDate, Note, NoteAuthor};

    fn b(kind: BlockKind, inlines: Vec<Inline>) -> Block {
        Block {
            kind,
            inlines,
            line: 1,
        }
    }

    fn text(s: &str) -> Inline {
        Inline::Text { text: s.into() }
    }

    /// Blocks from a compact form: `S` salutation, `p` paragraph, `n`
    /// point, `C` closing, `G` signature, `D` dateline, `P` postscript,
    /// `+` addition, `c` comment, `H` heading, `A` address.
    fn blocks(shape: &str) -> Vec<Block> {
        shape
            .chars()
            .map(|c| {
                let kind = match c {
                    'S' => BlockKind::Salutation,
                    'p' => BlockKind::Paragraph,
                    'n' => BlockKind::Point { label: "1)".into() },
                    'C' => BlockKind::Closing,
                    'G' => BlockKind::Signature,
                    'D' => BlockKind::Dateline,
                    'P' => BlockKind::Postscript,
                    '+' => BlockKind::Addition,
                    'c' => BlockKind::Comment {
                        by: Some("Molotov".into()),
                    },
                    'H' => BlockKind::Heading,
                    _ => BlockKind::Address,
                };
                b(kind, vec![text("x")])
            })
            .collect()
    }

    /// The division's nodes in the same compact form.
    fn shape(nodes: &[Node]) -> String {
        nodes
            .iter()
            .map(|n| match n {
                Node::Head(_) => "H".to_string(),
                Node::Opener(v) => format!("O{}", v.len()),
                Node::Para(_) => "p".into(),
                Node::List(v) => format!("L{}", v.len()),
                Node::Comment { blocks, closer } => format!("c{}/{}", blocks.len(), closer.len()),
                Node::Closer(v) => format!("K{}", v.len()),
                Node::Postscript { content, closer } => {
                    format!("P({})/{}", shape(content), closer.len())
                }
                Node::NoText => "∅".into(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn divs(s: &str) -> Vec<String> {
        structure(&blocks(s)).iter().map(|d| shape(d)).collect()
    }

    #[test]
    fn blocks_fall_into_the_order_tei_requires() {
        // Letter 1: dateline, salutation, points, closing, postscript.
        assert_eq!(divs("DSpnnCGP"), ["O2 p L2 K2 P(p)/0"]);
        // Letter 8: text after the signature is a postscript.
        assert_eq!(divs("DSppnnCGp"), ["O2 p p L2 K2 P(p)/0"]);
        // Letter 10: a postscript signed again.
        assert_eq!(divs("SpnCGPG"), ["O1 p L1 K2 P(p)/1"]);
        // Letter 23: comments signed and dated by their readers.
        assert_eq!(divs("SnCGDccGDcGD"), ["O1 L1 K3 c2/2 c1/2"]);
        // Letter 30 as the reader gives it: only comments, then the
        // closing, which is the commenter's.
        assert_eq!(divs("SccCGD"), ["O1 c2/3"]);
        // Letter 27: additions after the signature, signed.
        assert_eq!(divs("SpCGD++GD"), ["O1 p K3 P(p p)/2"]);
        // A salutation and a signature with nothing between.
        assert_eq!(divs("SG"), ["O1 ∅ K1"]);
        // An editorial text with sections.
        assert_eq!(divs("HppHp"), ["H p p", "H p"]);
        // Nothing at all.
        assert_eq!(divs(""), [""]);
    }

    pub(crate) fn document(body: Vec<Block>, notes: Vec<Note>) -> Document {
        Document {
            id: "test/1".into(),
            kind: DocKind::Letter,
            collection: "test".into(),
            number: Some(1),
            chapter: None,
            title: "Letter 1".into(),
            date: DocDate::default(),
            place: None,
            senders: vec!["Stalin".into()],
            addressees: vec!["Molotov".into()],
            body,
            notes,
            witnesses: vec![],
            marginalia: vec![],
            order: 0,
            ..Document::new("", "", fond_model::DocKind::Letter)
        }
    }

    pub(crate) fn note(n: u32, text: &str) -> Note {
        Note {
            n,
            call: CallForm::Superscript,
            call_block: Some(0),
            text: text.into(),
            by: NoteAuthor::new(fond_model::NoteRole::Editors, "Russian editors"),
            archival_refs: vec![],
            cross_refs: vec![],
            special_file: false,
            relocated: false,
            line: 1,
        }
    }

    fn mention(start: usize, end: usize, id: &str) -> Mention {
        Mention {
            doc_id: "test/1".into(),
            field: Field::Body,
            entity: fond_model::authority::Entity::new(EntityKind::Person, id),
            start,
            end,
            surface: String::new(),
            confidence: 1.0,
            resolved: true,
            how: "test".into(),
            candidates: vec![],
        }
    }

    /// The `<body>` of a document rendered with these mentions.
    fn body_of(doc: &Document, mentions: Vec<Mention>) -> String {
        let ctx = TeiContext::for_sources(&[]).with_mentions(mentions);
        let x = crate::tei::document(doc, &ctx);
        let a = x.find("<body>").unwrap_or(0);
        let b = x.rfind("</body>").unwrap_or(x.len());
        x[a..b].to_string()
    }

    #[test]
    fn names_nest_inside_runs_or_split_them_without_changing_the_text() {
        // Body text: "Com. Molotov and [Sergo] Ordzhonikidze"
        let doc = document(
            vec![b(
                BlockKind::Paragraph,
                vec![
                    Inline::Emph {
                        level: 1,
                        text: "Com. Molotov".into(),
                    },
                    text(" and "),
                    Inline::Supplied {
                        text: "Sergo".into(),
                    },
                    text(" Ordzhonikidze"),
                ],
            )],
            vec![],
        );
        assert_eq!(doc.body_text(), "Com. Molotov and [Sergo] Ordzhonikidze");
        // Inside the emphasis; around the whole insertion and beyond.
        let x = body_of(
            &doc,
            vec![mention(5, 12, "molotov"), mention(17, 38, "ordzhonikidze")],
        );
        assert!(x.contains(r#"<p><hi rend="underline">Com. <persName ref="persons.xml#molotov">Molotov</persName></hi> and <persName ref="persons.xml#ordzhonikidze"><supplied>Sergo</supplied> Ordzhonikidze</persName></p>"#), "{x}");
        // Inside the brackets.
        let x = body_of(&doc, vec![mention(18, 23, "ordzhonikidze")]);
        assert!(
            x.contains(
                r#"<supplied><persName ref="persons.xml#ordzhonikidze">Sergo</persName></supplied>"#
            ),
            "{x}"
        );
        // Across the end of the emphasis: the run is split.
        let x = body_of(&doc, vec![mention(5, 16, "x")]);
        assert!(x.contains(r#"<hi rend="underline">Com. </hi><persName ref="persons.xml#x"><hi rend="underline">Molotov</hi> and</persName> <supplied>"#), "{x}");
        // From inside the brackets to outside: the insertion is split.
        let x = body_of(&doc, vec![mention(18, 38, "x")]);
        assert!(!x.contains(r#"<supplied></supplied>"#), "{x}");
        assert!(x.contains(r#"<persName ref="persons.xml#x"><supplied>Sergo</supplied> Ordzhonikidze</persName>"#), "{x}");
    }

    #[test]
    fn spans_that_cannot_be_written_are_left_out() {
        let doc = document(
            vec![b(BlockKind::Paragraph, vec![text("Бухарин и Рыков")])],
            vec![],
        );
        // Inside a two-byte character; overlapping; past the end; empty.
        let x = body_of(
            &doc,
            vec![
                mention(1, 4, "bad"),
                mention(0, 14, "bukharin"),
                mention(10, 20, "overlap"),
                mention(17, 99, "past"),
                mention(3, 3, "empty"),
            ],
        );
        assert!(
            x.contains(r#"<p><persName ref="persons.xml#bukharin">Бухарин</persName> и Рыков</p>"#),
            "{x}"
        );
        assert_eq!(x.matches("persName").count(), 2, "{x}");
    }

    #[test]
    fn calls_place_notes_point_back_or_mark_a_gap() {
        let doc = document(
            vec![b(
                BlockKind::Paragraph,
                vec![
                    text("a"),
                    Inline::NoteCall { n: 1 },
                    text(" b"),
                    Inline::NoteCall { n: 1 },
                    text(" c"),
                    Inline::NoteCall { n: 9 },
                ],
            )],
            vec![note(1, "One."), note(2, "Lost call.")],
        );
        let x = body_of(&doc, vec![]);
        assert!(x.contains(r##"a<note xml:id="note-1" n="1" resp="#russian-editors" place="foot"><p>One.</p></note> b<ptr type="noteCall" target="#note-1"/> c<gap reason="note-lost" n="9"/></p>"##), "{x}");
        assert!(x.contains(r##"<note xml:id="note-2" n="2" type="unanchored" resp="#russian-editors" place="foot"><p>Lost call.</p></note>"##), "{x}");
    }

    #[test]
    fn hostile_text_is_escaped_not_obeyed() {
        let evil = "</p><script>&amp; \u{1}\u{FFFF}]]> <!ENTITY x \"y\">";
        let mut doc = document(
            vec![b(
                BlockKind::Comment {
                    by: Some("\"><x y=\"".into()),
                },
                vec![text(evil), Inline::NoteCall { n: 1 }],
            )],
            vec![note(1, evil)],
        );
        doc.title = evil.into();
        doc.id = "../../etc/passwd".into();
        doc.place = Some(evil.into());
        let x = crate::tei::document(&doc, &TeiContext::for_sources(&[]));
        assert!(!x.contains("<script>") && !x.contains("<x ") && !x.contains("<!ENTITY"));
        assert!(
            x.contains("&lt;/p&gt;&lt;script&gt;&amp;amp; \u{FFFD}\u{FFFD}]]&gt;"),
            "{x}"
        );
        assert!(!x.contains('\u{1}'));
        assert!(
            x.contains(r#"<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="id-......etc.passwd""#),
            "{x}"
        );
    }
}
