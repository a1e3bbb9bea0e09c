//! What editorial notes cite: archival references (`RTsKhIDNI f. 17, op.
//! 3, d. 510, l. 5`), references to other letters and notes of the edition,
//! the Special File, and who wrote the note.
//!
//! Archival references follow the Russian convention: archive, *fond* (f.),
//! *opis'* (op.), *delo* (d.), *list* or *listy* (l., ll.). A reference is
//! read as a chain of those levels in that order; a chain may start at any
//! level when it continues the previous reference ("..., l. 6, and d. 514,
//! l. 2") or repeats it ("Ibid., d. 615, ll. 1–2"), and then takes the
//! levels above its first from the reference it continues.
//!
//! Reading is conservative: a chain that starts below *fond* with neither
//! `Ibid.` nor a reference just before it is not taken (a bare "d." or "l."
//! in prose is more likely something else), and an `Ibid.` followed by a
//! page number ("Ibid., 295.") repeats a book, not an archival file.

use std::sync::LazyLock;

use fond_model::{ArchivalRef, CrossRef, NoteAuthor, NoteRole, Sheets};
use regex::Regex;

/// Carries the last full reference so that `Ibid.` can be resolved. The
/// caller keeps one per document and passes notes in order. In the printed
/// edition the notes run on from letter to letter: letter 44's notes open
/// with `*ibid.*, d. 761, l. 51`, repeating letter 43's last reference, so a
/// context carried across the documents of a source resolves more than a
/// fresh one per document.
#[derive(Debug, Default, Clone)]
pub struct RefContext {
    pub last: Option<ArchivalRef>,
}

/// The archival references of one note.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RefScan {
    pub refs: Vec<ArchivalRef>,
    /// The printed text of each `Ibid.` that had nothing to repeat.
    pub unresolved_ibid: Vec<String>,
}

/// Every archival reference in a note's text, in order.
///
/// Forms read: full references with any archive acronym (`RTsKhIDNI`,
/// `GARF`, `TsGAOR`, `TsGANKh`, `APRF`, "Archive of the President of the
/// Russian Federation", OCR-glued `RTsKhIDNIf. 82`), a fond with no archive
/// (the archive is taken from the last reference, else left empty), `Ibid.`
/// in any case and with Markdown emphasis, continuations ("..., and d. 514,
/// l. 2", "; d. 7"), several references in one note, *vypusk* after the
/// delo (`d. 246, vyp. 4`, OCR `vvp.`), and sheets as single, range or list
/// (`l. 5ob.`, `ll. 8–23`, `ll. 43, 45–47`).
///
/// Each full or resolved reference becomes `ctx.last`.
pub fn scan_archival_refs(text: &str, ctx: &mut RefContext) -> RefScan {
    let mut scan = RefScan::default();
    let mut pos = 0;
    // Where the previous reference of this note ended: a chain starting
    // below fond right after it continues it.
    let mut prev_end: Option<usize> = None;
    while let Some(m) = START.find_at(text, pos) {
        let chain = match read_chain(text, m.start()) {
            Some(c) => c,
            None => {
                pos = m.end();
                continue;
            }
        };
        pos = chain.end.max(m.end());
        let printed = text[chain.start..chain.end].trim().to_string();
        match resolve(&chain, text, prev_end, ctx) {
            Resolution::Ref(r) => {
                let r = ArchivalRef { text: printed, ..r };
                ctx.last = Some(r.clone());
                scan.refs.push(r);
                prev_end = Some(chain.end);
            }
            Resolution::RefWithoutBase(r) => {
                let r = ArchivalRef {
                    text: printed.clone(),
                    ..r
                };
                ctx.last = Some(r.clone());
                scan.refs.push(r);
                scan.unresolved_ibid.push(printed);
                prev_end = Some(chain.end);
            }
            Resolution::Unresolved => scan.unresolved_ibid.push(printed),
            Resolution::NotArchival => {}
        }
    }
    scan
}

/// Cross references to the edition's letters and notes: "letter 21, note
/// 4", "see note 4 to letter 27" (also "for", "in", "of", and "document"
/// for "letter"), "letters 31 and 32", "letters 56, 57, 59, and 65",
/// "letters 1 through 10", "note 3" (a note of the same letter: `letter`
/// is `None`). Years are not letter numbers ("see the letters for 1927"),
/// nor is a day before a month ("dated the letter 8 July 1926"). Each
/// letter or note named gives one `CrossRef`, whose `text` is the whole
/// phrase as printed; results are in text order.
pub fn scan_cross_refs(text: &str) -> Vec<CrossRef> {
    let mut found: Vec<(usize, CrossRef)> = Vec::new();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for (re, shape) in [
        (&*NOTE_TO_LETTER, Shape::NotesOfLetter),
        (&*LETTER_NOTES, Shape::NotesOfLetter),
        (&*LETTERS, Shape::Letters),
        (&*NOTES, Shape::Notes),
    ] {
        for c in re.captures_iter(text) {
            let (Some(all), Some(list)) = (c.get(0), c.name("n")) else {
                continue;
            };
            if taken.iter().any(|&(s, e)| all.start() < e && s < all.end()) {
                continue;
            }
            let letter = match c.name("l") {
                Some(l) if !month_follows(text, l.end()) => l.as_str().parse::<u32>().ok(),
                Some(_) => continue,
                None => None,
            };
            let (numbers, list_end) = numbers_in(text, list.start(), list.end());
            if numbers.is_empty() {
                continue;
            }
            // "note 4 to letter 27" ends with its letter; the other shapes
            // end with the last number of the list that was kept.
            let end = match c.name("l") {
                Some(l) if l.start() > list.start() => all.end(),
                _ => list_end,
            };
            let phrase = text[all.start()..end].to_string();
            taken.push((all.start(), end));
            for (at, n) in numbers {
                let r = match shape {
                    Shape::NotesOfLetter => CrossRef {
                        text: phrase.clone(),
                        letter,
                        note: Some(n),
                    },
                    Shape::Letters => CrossRef {
                        text: phrase.clone(),
                        letter: Some(n),
                        note: None,
                    },
                    Shape::Notes => CrossRef {
                        text: phrase.clone(),
                        letter: None,
                        note: Some(n),
                    },
                };
                found.push((at, r));
            }
        }
    }
    found.sort_by_key(|(at, _)| *at);
    found.into_iter().map(|(_, r)| r).collect()
}

/// The note says the matter went to the Special File (*Osobaia papka*), in
/// English or transliterated, any case, across a line break.
pub fn mentions_special_file(text: &str) -> bool {
    SPECIAL_FILE.is_match(text)
}

/// Who wrote a note, from its signature at the end of its last paragraph:
/// "—Trans." (also "— Trans.", "-Trans.", "—Trans.]", "—Translator") is
/// the translator's; "—Ed.", "—Editor" an editor's, and with a qualifier
/// ("—U.S. Ed.", "—U. S. ed.", "U.S. Ed." glued to the last word where a
/// copy lost the dash) the editor that qualifier names ("U.S. editor");
/// anything else is the edition's editors', whose notes are unsigned.
/// Trailing whitespace, periods, brackets, parentheses and emphasis marks
/// are ignored. A bracketed remark signed at the end of the note makes the
/// whole note the signer's: the model has one author per note. Who the
/// roles are is the edition profile's to say (`[profile.note_authors]`).
pub fn note_author(text: &str) -> NoteAuthor {
    let last = PARAGRAPH_BREAK
        .split(text.trim())
        .filter(|p| !p.trim().is_empty())
        .last()
        .unwrap_or("");
    let end = last.trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '.' | ']' | ')' | '*' | '_' | ';' | ',' | '"' | '”' | '’' | '\'' | '…'
            )
    });
    if SIGNED_TRANSLATOR.is_match(end) {
        NoteAuthor::new(NoteRole::Translator, "")
    } else if let Some(c) = SIGNED_EDITOR.captures(end) {
        let qualifier: String = c
            .name("q")
            .or_else(|| c.name("q2"))
            .map(|q| q.as_str().split_whitespace().collect())
            .unwrap_or_default();
        let name = if qualifier.is_empty() {
            String::new()
        } else {
            format!("{qualifier} editor")
        };
        NoteAuthor::new(NoteRole::Editor, name)
    } else {
        NoteAuthor::editors()
    }
}

// ---------------------------------------------------------------------------
// Archival references

/// An archive acronym (two capitals at least, so that "Ibid" or a
/// sentence's first word is not one; lazy, so that an acronym glued to `f.`
/// by OCR stops before the `f`), or the President's archive spelled out.
const ARCH: &str = r"(?:Archive\s+of\s+the\s+President(?:\s+of\s+the\s+Russian\s+Federation)?|[A-Z][A-Za-z]*?[A-Z][A-Za-z]*?)";

/// A fond, opis' or delo number: digits, maybe a letter or two ("1a",
/// "1c") and a slashed part ("1/s").
const VAL: &str = r"\d+(?:[A-Za-zА-Яа-я]{1,2}\b)?(?:/[A-Za-zА-Яа-я0-9]+)?";

/// Where a chain can begin.
static START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?i:ibid)\b|\b{ARCH}\*{{0,2}}\s*,?\s*f\.\s*\d|\b(?:f|op|d|ll?)\.\s*\d"
    ))
    .expect("static regex")
});

static IBID_AT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\*{0,2}(?i:ibid)\b\.?\*{0,2}").expect("static regex"));
static SEP_AT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[,.]?\s*").expect("static regex"));
static FOND_AT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\*{{0,2}}(?:(?P<arch>{ARCH})\*{{0,2}}\s*,?\s*)?f\.\s*(?P<v>{VAL})"
    ))
    .expect("static regex")
});
static OPIS_AT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^op\.\s*(?P<v>{VAL})")).expect("static regex"));
/// A delo, with the *vypusk* (issue) some files are split into.
static DELO_AT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^d\.\s*(?P<v>{VAL})(?:\s*,?\s*v[yv]p\.\s*(?P<vyp>\d+))?"
    ))
    .expect("static regex")
});
static SHEETS_AT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ll?\.\s*").expect("static regex"));
/// One sheet or range of sheets: "5", "5ob.", "120b" (OCR of "12ob"),
/// "8–23", "1-2ob.".
static SHEET_ITEM_AT: LazyLock<Regex> = LazyLock::new(|| {
    let sheet = r"\d+(?:[A-Za-zА-Яа-я]{1,3}\.?)?";
    Regex::new(&format!(r"^{sheet}(?:\s*[-–—‒]\s*{sheet})?")).expect("static regex")
});
static SHEET_SEP_AT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\s*,\s*(?:and\s+)?|\s+and\s+)").expect("static regex"));
/// What may follow a further sheet of a list: the end, punctuation, "and",
/// a line break; not a word ("l. 6, 12 May 1926" has one sheet).
static SHEET_ITEM_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\s*$|\s*[^\p{L}\s]|\s+and\b|[ \t]*\n)").expect("static regex")
});
/// Text between two references that makes the second continue the first.
static CONTINUATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[,;]?\s*(?:and\s+)?$").expect("static regex"));
/// After a bare `Ibid.`: the citation ends here.
static ENDS_CITATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\s*]*(?:$|[);\]])").expect("static regex"));

/// The archives named in the corpus and their neighbours, spelled as the
/// editors spell them: an OCR'd case slip ("RTsKhIDNi") is put back.
const KNOWN_ARCHIVES: [&str; 13] = [
    "RTsKhIDNI",
    "TsKhSD",
    "GARF",
    "TsGAOR",
    "TsGANKh",
    "APRF",
    "RGASPI",
    "RGAE",
    "RGANI",
    "RGVA",
    "TsGASA",
    "RGVIA",
    "TsGIA",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Fond,
    Opis,
    Delo,
    Sheets,
}

/// One printed reference, before the levels it leaves out are filled in.
#[derive(Debug, Default)]
struct Chain {
    start: usize,
    end: usize,
    ibid: bool,
    /// End of the `Ibid.` token, where the citation may end.
    ibid_end: usize,
    archive: Option<String>,
    fond: Option<String>,
    opis: Option<String>,
    delo: Option<String>,
    sheets: Option<Sheets>,
}

impl Chain {
    fn first_level(&self) -> Option<Level> {
        if self.fond.is_some() {
            Some(Level::Fond)
        } else if self.opis.is_some() {
            Some(Level::Opis)
        } else if self.delo.is_some() {
            Some(Level::Delo)
        } else if self.sheets.is_some() {
            Some(Level::Sheets)
        } else {
            None
        }
    }
}

/// Reads the chain that begins at `at` (where START matched).
fn read_chain(text: &str, at: usize) -> Option<Chain> {
    // Emphasis around `*ibid.*` or `*RTsKhIDNI*` belongs to the printed
    // reference.
    let mut start = at;
    while start > 0 && text.as_bytes()[start - 1] == b'*' && at - start < 2 {
        start -= 1;
    }
    if !IBID_AT.is_match(&text[start..]) && !FOND_AT.is_match(&text[start..]) {
        start = at;
    }
    let mut chain = Chain {
        start,
        ..Chain::default()
    };
    let mut pos = start;
    if let Some(m) = IBID_AT.find(&text[pos..]) {
        chain.ibid = true;
        pos += m.end();
        chain.ibid_end = pos;
    }
    let mut stated = false;
    let step = |pos: usize, stated: bool, chain_ibid: bool| -> usize {
        if stated || chain_ibid {
            pos + SEP_AT.find(&text[pos..]).map_or(0, |m| m.end())
        } else {
            pos
        }
    };
    let at_fond = step(pos, stated, chain.ibid);
    if let Some(c) = FOND_AT.captures(&text[at_fond..]) {
        chain.archive = c.name("arch").map(|a| canonical_archive(a.as_str()));
        chain.fond = c.name("v").map(|v| v.as_str().to_string());
        pos = at_fond + c.get(0).map_or(0, |m| m.end());
        stated = true;
    }
    let at_opis = step(pos, stated, chain.ibid);
    if let Some(c) = OPIS_AT.captures(&text[at_opis..]) {
        chain.opis = c.name("v").map(|v| v.as_str().to_string());
        pos = at_opis + c.get(0).map_or(0, |m| m.end());
        stated = true;
    }
    let at_delo = step(pos, stated, chain.ibid);
    if let Some(c) = DELO_AT.captures(&text[at_delo..]) {
        chain.delo = c.name("v").map(|v| match c.name("vyp") {
            // The model has no vypusk field; kept with the delo it divides
            // so that the normalised reference still reads as printed.
            Some(n) => format!("{}, vyp. {}", v.as_str(), n.as_str()),
            None => v.as_str().to_string(),
        });
        pos = at_delo + c.get(0).map_or(0, |m| m.end());
        stated = true;
    }
    let at_sheets = step(pos, stated, chain.ibid);
    if let Some((sheets, end)) = read_sheets(text, at_sheets) {
        chain.sheets = Some(sheets);
        pos = end;
        stated = true;
    }
    if !stated && !chain.ibid {
        return None;
    }
    chain.end = pos;
    Some(chain)
}

/// Reads `l. 5`, `ll. 8–23`, `ll. 1, 2`, `ll. 43, 45–47` at `at`; returns
/// the sheets and where they end.
fn read_sheets(text: &str, at: usize) -> Option<(Sheets, usize)> {
    let kind_end = at + SHEETS_AT.find(&text[at..])?.end();
    let first = SHEET_ITEM_AT.find(&text[kind_end..])?;
    let mut items = vec![normalize_sheet(first.as_str())];
    let mut end = kind_end + first.end();
    while let Some(sep) = SHEET_SEP_AT.find(&text[end..]) {
        let item_at = end + sep.end();
        let Some(item) = SHEET_ITEM_AT.find(&text[item_at..]) else {
            break;
        };
        let item_end = item_at + item.end();
        if !SHEET_ITEM_END.is_match(&text[item_end..]) {
            break;
        }
        items.push(normalize_sheet(item.as_str()));
        end = item_end;
    }
    let sheets = if items.len() > 1 {
        Sheets::List { items }
    } else {
        let only = items.pop()?;
        match only.split_once('-') {
            Some((from, to)) => Sheets::Range {
                from: from.to_string(),
                to: to.to_string(),
            },
            None => Sheets::Single { sheet: only },
        }
    };
    Some((sheets, end))
}

/// Dashes of any kind become '-', without spaces around them.
fn normalize_sheet(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if matches!(c, '–' | '—' | '‒') {
                '-'
            } else {
                c
            }
        })
        .collect()
}

fn canonical_archive(printed: &str) -> String {
    if printed.starts_with("Archive") {
        return "APRF".into();
    }
    KNOWN_ARCHIVES
        .iter()
        .find(|k| k.eq_ignore_ascii_case(printed))
        .map_or_else(|| printed.to_string(), |k| (*k).to_string())
}

enum Resolution {
    Ref(ArchivalRef),
    /// An `Ibid.` that states its fond but has nothing to repeat: kept, with
    /// an empty archive, and reported.
    RefWithoutBase(ArchivalRef),
    Unresolved,
    NotArchival,
}

fn resolve(chain: &Chain, text: &str, prev_end: Option<usize>, ctx: &RefContext) -> Resolution {
    let first = chain.first_level();
    if chain.ibid {
        let Some(first) = first else {
            // A bare Ibid. repeats the last reference only where the
            // citation ends with it; "Ibid., 295." repeats a book.
            if !ENDS_CITATION.is_match(&text[chain.ibid_end..]) {
                return Resolution::NotArchival;
            }
            return match &ctx.last {
                Some(last) => Resolution::Ref(ArchivalRef {
                    ibid: true,
                    ..last.clone()
                }),
                None => Resolution::Unresolved,
            };
        };
        return match &ctx.last {
            Some(last) => Resolution::Ref(ArchivalRef {
                ibid: true,
                ..fill(chain, first, last)
            }),
            None if first == Level::Fond => Resolution::RefWithoutBase(ArchivalRef {
                ibid: true,
                ..own_levels(chain, String::new())
            }),
            None => Resolution::Unresolved,
        };
    }
    match first {
        Some(Level::Fond) => {
            let archive = match (&chain.archive, &ctx.last) {
                (Some(a), _) => a.clone(),
                // No archive printed: the note's archive is the last one
                // named; with none, it is left empty rather than guessed.
                (None, Some(last)) => last.archive.clone(),
                (None, None) => String::new(),
            };
            Resolution::Ref(own_levels(chain, archive))
        }
        Some(level) => {
            let continues = prev_end
                .and_then(|e| text.get(e..chain.start))
                .is_some_and(|between| CONTINUATION.is_match(between));
            match &ctx.last {
                Some(last) if continues => Resolution::Ref(fill(chain, level, last)),
                _ => Resolution::NotArchival,
            }
        }
        None => Resolution::NotArchival,
    }
}

/// The chain's own levels, nothing inherited.
fn own_levels(chain: &Chain, archive: String) -> ArchivalRef {
    ArchivalRef {
        text: String::new(),
        archive,
        fond: chain.fond.clone().unwrap_or_default(),
        opis: chain.opis.clone(),
        delo: chain.delo.clone(),
        sheets: chain.sheets.clone(),
        ibid: false,
    }
}

/// Every level above `first` from `last`, the rest as printed.
fn fill(chain: &Chain, first: Level, last: &ArchivalRef) -> ArchivalRef {
    let archive = chain
        .archive
        .clone()
        .unwrap_or_else(|| last.archive.clone());
    let pick = |level: Level, own: &Option<String>, inherited: &Option<String>| {
        if level < first {
            inherited.clone()
        } else {
            own.clone()
        }
    };
    ArchivalRef {
        text: String::new(),
        archive,
        fond: if first > Level::Fond {
            last.fond.clone()
        } else {
            chain.fond.clone().unwrap_or_default()
        },
        opis: pick(Level::Opis, &chain.opis, &last.opis),
        delo: pick(Level::Delo, &chain.delo, &last.delo),
        // Sheets are the lowest level: a chain always states its own.
        sheets: chain.sheets.clone(),
        ibid: false,
    }
}

// ---------------------------------------------------------------------------
// Cross references, Special File, signatures

#[derive(Clone, Copy)]
enum Shape {
    NotesOfLetter,
    Letters,
    Notes,
}

/// Numbers joined by commas, "and", dashes or "through": "31 and 32", "56,
/// 57, 59, and 65", "1 through 10". At most three digits, so years are not
/// taken.
const NUM_LIST: &str =
    r"\d{1,3}\b(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*[-–—]\s*|\s+(?:through|to)\s+)\d{1,3}\b)*";

static NOTE_TO_LETTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\bnotes?\s+(?P<n>{NUM_LIST})\s+(?:to|for|in|of)\s+(?:the\s+)?(?:letter|document|doc\.)\s+(?:no\.\s*)?(?P<l>\d{{1,3}})\b"
    ))
    .expect("static regex")
});
static LETTER_NOTES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:letter|document|doc\.)\s+(?:no\.\s*)?(?P<l>\d{{1,3}})\b\s*,\s*notes?\s+(?P<n>{NUM_LIST})"
    ))
    .expect("static regex")
});
static LETTERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:letters?|documents?)\s+(?:nos?\.\s*)?(?P<n>{NUM_LIST})"
    ))
    .expect("static regex")
});
static NOTES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)\bnotes?\s+(?P<n>{NUM_LIST})")).expect("static regex")
});
static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d{1,3}").expect("static regex"));
static RANGE_SEP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:[-–—]|through|to)\s*$").expect("static regex"));
static MONTH_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b")
        .expect("static regex")
});

/// The longest range expanded into single numbers; a longer one is
/// certainly not a list of letters.
const MAX_RANGE: u32 = 200;

fn month_follows(text: &str, at: usize) -> bool {
    MONTH_AFTER.is_match(&text[at..])
}

/// The numbers of a list in `text[start..end]` with their positions, ranges
/// expanded; stops before a number that is a day ("8 July"). Also returns
/// where the last number kept ends.
fn numbers_in(text: &str, start: usize, end: usize) -> (Vec<(usize, u32)>, usize) {
    let mut out: Vec<(usize, u32)> = Vec::new();
    let mut last_end = start;
    let mut prev: Option<(usize, u32)> = None;
    for m in NUMBER.find_iter(&text[start..end]) {
        let (s, e) = (start + m.start(), start + m.end());
        if month_follows(text, e) {
            break;
        }
        let Ok(n) = m.as_str().parse::<u32>() else {
            break;
        };
        match prev {
            Some((prev_end, p))
                if RANGE_SEP.is_match(&text[prev_end..s]) && n > p && n - p <= MAX_RANGE =>
            {
                out.extend((p + 1..=n).map(|k| (s, k)));
            }
            _ => out.push((s, n)),
        }
        prev = Some((e, n));
        last_end = e;
    }
    (out, last_end)
}

static SPECIAL_FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bspecial\s+files?\b|\bosob\p{L}*\s+papk\p{L}*").expect("static regex")
});

static PARAGRAPH_BREAK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\n[ \t]*\n").expect("static regex"));

/// "—Trans", "- Trans", "—Translator", "—Translator's note"; "Trans"
/// glued to the last word where a copy lost the dash.
static SIGNED_TRANSLATOR: LazyLock<Regex> = LazyLock::new(|| {
    let words = crate::attribution::alternation(crate::attribution::TRANSLATOR);
    Regex::new(&format!(
        r"(?:[-–—‒]\s*(?i:{words})(?i:'s\s+note)?|\p{{Ll}}Trans(?:lator)?)$"
    ))
    .expect("static regex")
});

/// "—Ed", "—Editor", "—Eds"; with a qualifier of capitals ("—U.S. Ed",
/// "—U. S. ed", "—US Ed"), also glued to the last word or a parenthesis
/// where a copy lost the dash ("TrotskyU.S. Ed", "(U.S. Ed"), but not
/// after a space ("prepared by the U.S. editor" is prose).
static SIGNED_EDITOR: LazyLock<Regex> = LazyLock::new(|| {
    let words = crate::attribution::alternation(crate::attribution::EDITOR);
    Regex::new(&format!(
        r"(?:(?:^|[-–—‒]\s*|[\p{{Ll}}(\[])(?P<q>(?:\p{{Lu}}\.\s?){{1,3}})\s*(?i:{words})|[-–—‒]\s*(?:(?P<q2>\p{{Lu}}{{2,3}})\s+)?(?i:{words}))$"
    ))
    .expect("static regex")
});

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> RefScan {
        scan_archival_refs(text, &mut RefContext::default())
    }

    fn one(text: &str, ctx: &mut RefContext) -> ArchivalRef {
        let s = scan_archival_refs(text, ctx);
        assert_eq!(s.refs.len(), 1, "{text:?} gave {:?}", s.refs);
        s.refs.into_iter().next().expect("one reference")
    }

    fn single(s: &str) -> Option<Sheets> {
        Some(Sheets::Single { sheet: s.into() })
    }

    fn range(a: &str, b: &str) -> Option<Sheets> {
        Some(Sheets::Range {
            from: a.into(),
            to: b.into(),
        })
    }

    fn list(items: &[&str]) -> Option<Sheets> {
        Some(Sheets::List {
            items: items.iter().map(|s| s.to_string()).collect(),
        })
    }

    #[test]
    fn full_reference() {
        let mut ctx = RefContext::default();
        let r = one("3. RTsKhIDNI f. 17, op. 3, d. 510, l. 5.", &mut ctx);
        assert_eq!(r.text, "RTsKhIDNI f. 17, op. 3, d. 510, l. 5");
        assert_eq!(r.archive, "RTsKhIDNI");
        assert_eq!(r.fond, "17");
        assert_eq!(r.opis.as_deref(), Some("3"));
        assert_eq!(r.delo.as_deref(), Some("510"));
        assert_eq!(r.sheets, single("5"));
        assert!(!r.ibid);
        assert_eq!(r.normalized(), "RTsKhIDNI f. 17, op. 3, d. 510, l. 5");
        assert_eq!(ctx.last, Some(r));
    }

    #[test]
    fn parenthesised_reference_without_sheets() {
        let r = one(
            "decided on 7 August 1925 (RTsKhIDNI f. 82, op. 1, d. 141).",
            &mut RefContext::default(),
        );
        assert_eq!(r.text, "RTsKhIDNI f. 82, op. 1, d. 141");
        assert_eq!(r.delo.as_deref(), Some("141"));
        assert_eq!(r.sheets, None);
        let r = one(
            "RTsKhIDNI f. 558, op. 1, d. 5297.",
            &mut RefContext::default(),
        );
        assert_eq!(r.delo.as_deref(), Some("5297"));
    }

    #[test]
    fn ocr_glued_archive() {
        let r = one(
            "Hand deliver to Com. Stalin\" (RTsKhIDNif. 82, op. 1, d. 144, l. 1).",
            &mut RefContext::default(),
        );
        assert_eq!(r.archive, "RTsKhIDNI");
        assert_eq!(r.text, "RTsKhIDNif. 82, op. 1, d. 144, l. 1");
        let r = one(
            "RTsKhIDNIf. 82, op. 1, d. 144, l. 1",
            &mut RefContext::default(),
        );
        assert_eq!(r.archive, "RTsKhIDNI");
        assert_eq!(r.fond, "82");
    }

    #[test]
    fn other_archives() {
        let r = one(
            "4. GARF f. 5446, op. 6, d. 656, ll. 1–3.",
            &mut RefContext::default(),
        );
        assert_eq!((r.archive.as_str(), r.fond.as_str()), ("GARF", "5446"));
        assert_eq!(r.sheets, range("1", "3"));
        let r = one("(TsGAOR f. 3316, op. 2, d. 12)", &mut RefContext::default());
        assert_eq!(r.archive, "TsGAOR");
        let r = one(
            "(TsGANKh, f. 3429, op. 1, d. 5)",
            &mut RefContext::default(),
        );
        assert_eq!(r.archive, "TsGANKh");
        let r = one(
            "(*RTsKhIDNI* f. 17, op. 3, d. 5)",
            &mut RefContext::default(),
        );
        assert_eq!(r.archive, "RTsKhIDNI");
        assert_eq!(r.text, "*RTsKhIDNI* f. 17, op. 3, d. 5");
        let r = one("APRF f. 3, op. 24, d. 1, l. 3", &mut RefContext::default());
        assert_eq!(r.archive, "APRF");
        let r = one(
            "Archive of the President of the Russian Federation, f. 45, op. 1, d. 769",
            &mut RefContext::default(),
        );
        assert_eq!(r.archive, "APRF");
        assert_eq!(r.fond, "45");
        assert!(r.text.starts_with("Archive of the President"));
    }

    #[test]
    fn opis_and_delo_with_letters_and_vypusk() {
        let r = one(
            "RTsKhIDNI f. 85, op. 1c, d. 173, ll. 3, 4",
            &mut RefContext::default(),
        );
        assert_eq!(r.opis.as_deref(), Some("1c"));
        let r = one(
            "4. RTsKhIDNI f. 85, op. 1/s. d. 110, ll. 1-2ob.",
            &mut RefContext::default(),
        );
        assert_eq!(r.opis.as_deref(), Some("1/s"));
        assert_eq!(r.delo.as_deref(), Some("110"));
        assert_eq!(r.sheets, range("1", "2ob."));
        let r = one(
            "1. RTsKhIDNI f. 17, op. 2, d. 246, vvp. 4, ll. 1-5.",
            &mut RefContext::default(),
        );
        assert_eq!(r.delo.as_deref(), Some("246, vyp. 4"));
        assert_eq!(r.sheets, range("1", "5"));
        assert_eq!(
            r.normalized(),
            "RTsKhIDNI f. 17, op. 2, d. 246, vyp. 4, ll. 1-5"
        );
        let r = one(
            "(RTsKhIDNI f. 17, op. 2, d. 441, vyp. 2, l. 144)",
            &mut RefContext::default(),
        );
        assert_eq!(r.delo.as_deref(), Some("441, vyp. 2"));
        assert_eq!(r.sheets, single("144"));
    }

    #[test]
    fn sheet_forms() {
        let mut ctx = RefContext::default();
        assert_eq!(
            one("RTsKhIDNI f. 17, op. 3, d. 507, ll. 8–23.", &mut ctx).sheets,
            range("8", "23")
        );
        assert_eq!(
            one("RTsKhIDNI f. 17, op. 3, d. 507, ll. 8-23.", &mut ctx).sheets,
            range("8", "23")
        );
        assert_eq!(
            one("RTsKhIDNI f. 17, op. 3, d. 607, l. 5ob.", &mut ctx).sheets,
            single("5ob.")
        );
        assert_eq!(
            one("RTsKhIDNI f. 85, op. 27, d. 397, l. 20b.", &mut ctx).sheets,
            single("20b.")
        );
        assert_eq!(
            one("RTsKhIDNI f. 17, op. 3, d. 579, ll. 13, 14).", &mut ctx).sheets,
            list(&["13", "14"])
        );
        assert_eq!(
            one("(RTsKhIDNI f. 17, op. 3, d. 772, ll. 11, 15-17).", &mut ctx).sheets,
            list(&["11", "15-17"])
        );
        assert_eq!(
            one(
                "(GARF f. 5446, op. 6, d. 725, ll. 43, 45–47, 13).",
                &mut ctx
            )
            .sheets,
            list(&["43", "45-47", "13"])
        );
        assert_eq!(
            one(
                "(RTsKhIDNI f. 613, op. 1, d. 49, ll. 124, 127ob., 137, 137ob.).",
                &mut ctx
            )
            .sheets,
            list(&["124", "127ob.", "137", "137ob."])
        );
        // A day and month after the sheet are not another sheet.
        assert_eq!(
            one(
                "(RTsKhIDNI f. 17, op. 3, d. 5, l. 6, 12 May 1926)",
                &mut ctx
            )
            .sheets,
            single("6")
        );
        assert_eq!(
            one("RTsKhIDNI f. 17, op. 3, d. 5, ll. 3 and 4.", &mut ctx).sheets,
            list(&["3", "4"])
        );
    }

    #[test]
    fn ibid_sequence_over_three_notes() {
        let mut ctx = RefContext::default();
        let a = one("5. RTsKhIDNI f. 17, op. 3, d. 604, l. 3.", &mut ctx);
        assert!(!a.ibid);
        let b = one("6. Ibid., d. 615, ll. 1–2.", &mut ctx);
        assert!(b.ibid);
        assert_eq!(b.text, "Ibid., d. 615, ll. 1–2");
        assert_eq!(b.normalized(), "RTsKhIDNI f. 17, op. 3, d. 615, ll. 1-2");
        let c = one("7. Ibid., ll. 1, 2.", &mut ctx);
        assert!(c.ibid);
        assert_eq!(c.normalized(), "RTsKhIDNI f. 17, op. 3, d. 615, ll. 1, 2");
        assert_eq!(c.sheets, list(&["1", "2"]));
        assert_eq!(ctx.last, Some(c));
    }

    #[test]
    fn ibid_with_fond_takes_only_the_archive() {
        let mut ctx = RefContext::default();
        one("12. RTsKhIDNI f. 17, op. 3, d. 507, ll. 8–23.", &mut ctx);
        let r = one("15. Ibid., f. 325, op. 1, d. 418, ll. 43-44.", &mut ctx);
        assert!(r.ibid);
        assert_eq!(r.normalized(), "RTsKhIDNI f. 325, op. 1, d. 418, ll. 43-44");
        let r = one("the meeting (ibid., f. 17, op. 3, d. 523, l. 4).", &mut ctx);
        assert_eq!(r.normalized(), "RTsKhIDNI f. 17, op. 3, d. 523, l. 4");
        assert_eq!(r.text, "ibid., f. 17, op. 3, d. 523, l. 4");
    }

    #[test]
    fn ibid_with_opis_takes_archive_and_fond() {
        let mut ctx = RefContext::default();
        one("(RTsKhIDNI f. 17, op. 3, d. 767, l. 8)", &mut ctx);
        let r = one("at Gosplan (ibid., op. 113, d. 768, l. 18).", &mut ctx);
        assert_eq!(r.normalized(), "RTsKhIDNI f. 17, op. 113, d. 768, l. 18");
    }

    #[test]
    fn ibid_with_sheets_only_and_emphasis() {
        let mut ctx = RefContext::default();
        one("(RTsKhIDNI f. 17, op. 3, d. 783, ll. 12, 13)", &mut ctx);
        let r = one("on this resolution (*ibid.*, l. 14).", &mut ctx);
        assert_eq!(r.text, "*ibid.*, l. 14");
        assert!(r.ibid);
        assert_eq!(r.normalized(), "RTsKhIDNI f. 17, op. 3, d. 783, l. 14");
        let r = one("Ibid., l. 14.", &mut ctx);
        assert_eq!(r.normalized(), "RTsKhIDNI f. 17, op. 3, d. 783, l. 14");
        let r = one("2. *Ibid.*, d. 695, ll. 10–35.", &mut ctx);
        assert_eq!(r.text, "*Ibid.*, d. 695, ll. 10–35");
    }

    #[test]
    fn several_references_and_continuations_in_one_note() {
        let mut ctx = RefContext::default();
        let s = scan_archival_refs(
            "on 27 July and 3 August 1925 (RTsKhIDNI f. 17, op. 3, d. 513, l. 6, and d. 514, l. 2).",
            &mut ctx,
        );
        assert_eq!(s.refs.len(), 2);
        assert_eq!(s.refs[1].text, "d. 514, l. 2");
        assert_eq!(
            s.refs[1].normalized(),
            "RTsKhIDNI f. 17, op. 3, d. 514, l. 2"
        );
        assert!(!s.refs[1].ibid);
        let s = scan_archival_refs("(*ibid.*, d. 48, l. 120b, and d. 63, l. 25).", &mut ctx);
        assert_eq!(s.refs.len(), 2);
        assert_eq!(s.refs[0].sheets, single("120b"));
        assert_eq!(
            s.refs[1].normalized(),
            "RTsKhIDNI f. 17, op. 3, d. 63, l. 25"
        );
        let s = scan_archival_refs(
            "RTsKhIDNI f. 17, op. 3, d. 513, l. 6; GARF f. 5446, op. 6, d. 656, ll. 1–3; ibid., d. 657.",
            &mut RefContext::default(),
        );
        let n: Vec<String> = s.refs.iter().map(ArchivalRef::normalized).collect();
        assert_eq!(
            n,
            [
                "RTsKhIDNI f. 17, op. 3, d. 513, l. 6",
                "GARF f. 5446, op. 6, d. 656, ll. 1-3",
                "GARF f. 5446, op. 6, d. 657"
            ]
        );
    }

    #[test]
    fn reference_without_archive() {
        let mut ctx = RefContext::default();
        let r = one("see f. 17, op. 2, d. 5.", &mut ctx);
        assert_eq!(r.archive, "");
        assert_eq!(r.fond, "17");
        one("GARF f. 5446, op. 6, d. 656", &mut ctx);
        let r = one("and f. 17, op. 2, d. 5.", &mut ctx);
        assert_eq!(r.archive, "GARF");
    }

    #[test]
    fn bare_ibid_repeats_only_at_the_end_of_a_citation() {
        let mut ctx = RefContext::default();
        one("RTsKhIDNI f. 558, op. 1, d. 3266, l. 3.", &mut ctx);
        let r = one("Ibid.", &mut ctx);
        assert!(r.ibid);
        assert_eq!(r.text, "Ibid.");
        assert_eq!(r.normalized(), "RTsKhIDNI f. 558, op. 1, d. 3266, l. 3");
        let r = one("The decree was confirmed (ibid.).", &mut ctx);
        assert_eq!(r.text, "ibid.");
        // A page number after Ibid. repeats a book, not a file.
        let s = scan_archival_refs("2. Ibid., 594-96, 601-2.", &mut ctx);
        assert!(s.refs.is_empty());
        assert!(s.unresolved_ibid.is_empty());
    }

    #[test]
    fn ibid_with_nothing_to_repeat_is_reported() {
        let s = scan("6. Ibid., d. 615, ll. 1–2.");
        assert!(s.refs.is_empty());
        assert_eq!(s.unresolved_ibid, ["Ibid., d. 615, ll. 1–2"]);
        let s = scan("Ibid.");
        assert_eq!(s.unresolved_ibid, ["Ibid."]);
        // With its own fond the reference is still read, archive unknown.
        let s = scan("15. Ibid., f. 325, op. 1, d. 418, ll. 43-44.");
        assert_eq!(s.refs.len(), 1);
        assert_eq!(s.refs[0].archive, "");
        assert!(s.refs[0].ibid);
        assert_eq!(
            s.unresolved_ibid,
            ["Ibid., f. 325, op. 1, d. 418, ll. 43-44"]
        );
    }

    #[test]
    fn prose_is_not_a_reference() {
        let mut ctx = RefContext::default();
        one("RTsKhIDNI f. 17, op. 3, d. 5.", &mut ctx);
        for s in [
            "Bukharin (b. 1888, d. 1938) was editor.",
            "See vol. 5, pp. 3-4, cf. 12.",
            "He wrote ibidem nothing.",
            "the 1st of ll. amendments",
        ] {
            let r = scan_archival_refs(s, &mut ctx);
            assert!(r.refs.is_empty(), "{s:?} gave {:?}", r.refs);
        }
    }

    #[test]
    fn measurement_on_the_corpus() {
        let Some(book) = fond_test_support::read_corpus("letters-to-molotov-1925-1936.book.md")
        else {
            return;
        };
        // Every printed fond: `f. N`, not the end of a word ("cf. 5"),
        // except an acronym glued to it by OCR.
        let fond =
            Regex::new(r"(?:\b|[A-Z][A-Za-z]*[A-Z][a-z]?)f\.\s*(\d+)").expect("static regex");
        let mut ctx = RefContext::default();
        let (mut printed, mut read) = (0usize, 0usize);
        let mut misses: Vec<String> = Vec::new();
        for line in book.lines() {
            let wanted: Vec<String> = fond.captures_iter(line).map(|c| c[1].to_string()).collect();
            if wanted.is_empty() {
                continue;
            }
            let scan = scan_archival_refs(line, &mut ctx);
            let got: Vec<&str> = scan
                .refs
                .iter()
                .filter(|r| fond.is_match(&r.text))
                .map(|r| r.fond.as_str())
                .collect();
            printed += wanted.len();
            let hits = wanted.iter().filter(|w| got.contains(&w.as_str())).count();
            read += hits;
            if hits < wanted.len() {
                misses.push(line.chars().take(160).collect());
            }
        }
        println!("archival references: {read} of {printed} printed fonds read");
        for m in &misses {
            println!("  missed in: {m}");
        }
        assert!(printed > 0);
        assert!(read * 100 >= printed * 98, "read {read} of {printed}");
    }

    #[test]
    fn cross_refs_letter_and_note() {
        let r =
            scan_cross_refs("For Krupskaya's speech at the XIV Congress, see letter 21, note 4.");
        assert_eq!(
            r,
            [CrossRef {
                text: "letter 21, note 4".into(),
                letter: Some(21),
                note: Some(4)
            }]
        );
        let r = scan_cross_refs("For information on Feng Yü-hsiang, see note 4 to letter 27.");
        assert_eq!(
            r,
            [CrossRef {
                text: "note 4 to letter 27".into(),
                letter: Some(27),
                note: Some(4)
            }]
        );
        let r = scan_cross_refs(
            "see note 14 for letter 42; note 2 in letter 26; note 2 for document 63.",
        );
        let got: Vec<(Option<u32>, Option<u32>)> = r.iter().map(|c| (c.letter, c.note)).collect();
        assert_eq!(
            got,
            [
                (Some(42), Some(14)),
                (Some(26), Some(2)),
                (Some(63), Some(2))
            ]
        );
        let r = scan_cross_refs("see notes 3 and 4 to letter 5");
        let got: Vec<(Option<u32>, Option<u32>)> = r.iter().map(|c| (c.letter, c.note)).collect();
        assert_eq!(got, [(Some(5), Some(3)), (Some(5), Some(4))]);
    }

    #[test]
    fn cross_refs_letter_lists() {
        let r = scan_cross_refs("(see letters 31 and 32)");
        let got: Vec<Option<u32>> = r.iter().map(|c| c.letter).collect();
        assert_eq!(got, [Some(31), Some(32)]);
        assert!(r
            .iter()
            .all(|c| c.text == "letters 31 and 32" && c.note.is_none()));
        let r = scan_cross_refs("letters 56, 57, 59, and 65");
        let got: Vec<Option<u32>> = r.iter().map(|c| c.letter).collect();
        assert_eq!(got, [Some(56), Some(57), Some(59), Some(65)]);
        let r = scan_cross_refs("The letters from 1925 (letters 1 through 10) can be found");
        assert_eq!(r.len(), 10);
        assert_eq!(r[9].letter, Some(10));
        let r = scan_cross_refs("see also letter 82, from 1935.");
        assert_eq!(
            r,
            [CrossRef {
                text: "letter 82".into(),
                letter: Some(82),
                note: None
            }]
        );
        let r = scan_cross_refs("in letters 57, 59, 60 (see also 67).");
        assert_eq!(r.len(), 3);
    }

    #[test]
    fn cross_refs_note_of_the_same_letter() {
        let r = scan_cross_refs("[For the \"Ukrainian mistakes,\" see note 3—U.S. Ed.]");
        assert_eq!(
            r,
            [CrossRef {
                text: "note 3".into(),
                letter: None,
                note: Some(3)
            }]
        );
    }

    #[test]
    fn cross_refs_ignore_years_and_dates() {
        assert!(scan_cross_refs("Regarding the Kuomintang, see the letters for 1927.").is_empty());
        assert!(scan_cross_refs("1. Stalin dated the letter 8 July 1926, although").is_empty());
        assert!(scan_cross_refs("There are no letters for 1928 and 1934.").is_empty());
        assert!(scan_cross_refs("a letter dated 19 May 1925").is_empty());
    }

    #[test]
    fn special_file() {
        assert!(mentions_special_file(
            "The decision was sent to the Special File (*ibid.*, d. 791, l. 10)."
        ));
        assert!(mentions_special_file(
            "the resolution should go into the special\nfile."
        ));
        assert!(mentions_special_file("recorded in the *Osobaia papka*"));
        assert!(mentions_special_file("osobaia papka"));
        assert!(!mentions_special_file("The file was special."));
    }

    #[test]
    fn note_authors_as_printed_in_the_corpus() {
        let tr = NoteAuthor::new(NoteRole::Translator, "");
        let us = NoteAuthor::new(NoteRole::Editor, "U.S. editor");
        let ed = NoteAuthor::new(NoteRole::Editor, "");
        let eds = NoteAuthor::editors();
        let cases = [
            ("2. A pood is 36 pounds avoirdupois—Trans.", &tr),
            ("Hereafter referred to as \"the party\"—Trans.", &tr),
            ("would be \"to take names and kick ass\"—Trans.", &tr),
            ("3. RTsKhIDNI f. 17, op. 2, d. 220, l. 110. [Archival references use Russian designations as follows: “f.” for *fond* (fond); “l.” for *list* (page)—Trans.]", &tr),
            ("One centner equals 100 kilograms — Trans.  ", &tr),
            ("One centner equals 100 kilograms -Trans.", &tr),
            ("A term of endearment—Translator", &tr),
            ("who was commissar of trade at this time—U.S. Ed.", &us),
            ("Trotsky—U.S. Ed.]", &us),
            ("south of Novosibirsk—U.S. Ed.].", &us),
            ("promises to provide industrial goods.—U.S. Ed.", &us),
            ("*Let History Judge* [New York, 1971], 48)—U.S. Ed.", &us),
            ("headed by Zinoviev and TrotskyU.S. Ed.", &us),
            ("the 'right' deviation—U.S. ed.", &us),
            ("—U. S. Editor", &us),
            ("as a representative of the left—Ed.", &ed),
            ("prepared by us—U.S. Editor", &us),
            ("The Politburo decided (RTsKhIDNI f. 17, op. 3, d. 510, l. 5).", &eds),
            ("(New York, 1973), ed.", &eds),
            ("Eastman's Account of Lenin's Testament (prepared by the U.S. editor)", &eds),
            ("a shock worker (U.S. Ed.)", &us),
        ];
        for (text, who) in cases {
            assert_eq!(&note_author(text), who, "{text:?}");
        }
    }

    #[test]
    fn note_author_reads_only_the_last_paragraph() {
        let t = "A pood is 36 pounds—Trans.\n\nOn 5 May the Politburo resolved (RTsKhIDNI f. 17, op. 3, d. 5).";
        assert_eq!(note_author(t), NoteAuthor::editors());
        let t = "On 5 May the Politburo resolved.\n\n[Stalin exaggerates here—U.S. Ed.]\n";
        assert_eq!(
            note_author(t),
            NoteAuthor::new(NoteRole::Editor, "U.S. editor")
        );
    }
}
