//! Tokens: the units witnesses are aligned by.
//!
//! A token is a word or a piece of punctuation, with its byte span in the
//! text it came from, the text as written, and a normalised form that the
//! aligner compares. Normalising is what lets two transcriptions agree where
//! they differ only in what an editor does not care about: case, quote and
//! dash styles, apostrophes and hyphens inside words. Differences the
//! normalised form hides are not lost: the classifier compares the written
//! forms of aligned tokens and reports them as trivial variants.

use serde::{Deserialize, Serialize};

/// Whether a token is a word (letters or digits) or punctuation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    Word,
    Punct,
}

/// One word or piece of punctuation of a witness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// The token as written, `text[start..end]` of the tokenized text. A
    /// word hyphenated across a line break keeps its line break here.
    pub text: String,
    /// The matching key: words lowercased with everything but letters and
    /// digits removed; punctuation with quote marks folded to `"`, dashes to
    /// `-` and `…` to `...`.
    pub norm: String,
    /// Byte offset of the first byte in the tokenized text.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    pub kind: TokenKind,
    /// Whether whitespace preceded the token, so that renderers can put the
    /// text back together (`word,` stays glued, `( word` does not).
    pub space_before: bool,
}

impl Token {
    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }

    /// The written form without the whitespace a line-end hyphenation
    /// leaves inside it (`espe-\ncially` shows as `espe-cially`).
    pub fn display(&self) -> std::borrow::Cow<'_, str> {
        if self.text.contains(char::is_whitespace) {
            self.text.chars().filter(|c| !c.is_whitespace()).collect()
        } else {
            std::borrow::Cow::Borrowed(&self.text)
        }
    }
}

/// The tokens' written forms, spaced as they were in their text (any run
/// of whitespace becomes one space).
pub fn join(tokens: &[Token]) -> String {
    let mut s = String::with_capacity(tokens.len() * 6);
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 && t.space_before {
            s.push(' ');
        }
        s.push_str(&t.display());
    }
    s
}

/// Splits `text` into words and punctuation.
///
/// A word is a run of letters, digits and combining marks; an apostrophe
/// between two letters (`It's`, `Il'in`) and a hyphen between two letters
/// (`Kai-shek`, `co-conspirators`) stay inside it, and so does a hyphen at a
/// line end followed by a letter on the next line (`espe-⏎cially`): such a
/// word is one token whose normalised form is the whole word. Every other
/// character that is not whitespace is punctuation; a run of the same
/// punctuation character (`...`, `--`, `''`) is one token.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut space_before = false;
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        if c.is_whitespace() {
            space_before = true;
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let (end, kind) = if is_word_char(c) {
            (scan_word(text, i), TokenKind::Word)
        } else {
            let mut end = i + c.len_utf8();
            while text[end..].starts_with(c) {
                end += c.len_utf8();
            }
            (end, TokenKind::Punct)
        };
        let written = &text[start..end];
        let norm = match kind {
            TokenKind::Word => normalize_word(written),
            TokenKind::Punct => normalize_punct(c, written),
        };
        out.push(Token {
            text: written.to_string(),
            norm,
            start,
            end,
            kind,
            space_before,
        });
        space_before = false;
        i = end;
    }
    out
}

/// Letters, digits and combining marks (a decomposed accent belongs to its
/// letter). Soft hyphens are invisible in print and belong to the word.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c) || c == SOFT_HYPHEN
}

const SOFT_HYPHEN: char = '\u{AD}';

/// The combining diacritical blocks; std has no general-category query.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// The end of the word starting at `start`.
fn scan_word(text: &str, start: usize) -> usize {
    let mut end = start;
    let mut prev: Option<char> = None;
    loop {
        let rest = &text[end..];
        let Some(c) = rest.chars().next() else {
            return end;
        };
        if is_word_char(c) {
            end += c.len_utf8();
            prev = Some(c);
            continue;
        }
        let after = &rest[c.len_utf8()..];
        let prev_letter = prev.is_some_and(char::is_alphabetic);
        let next_letter = after.chars().next().is_some_and(char::is_alphabetic);
        if prev_letter && next_letter && (is_apostrophe(c) || is_hyphen(c)) {
            end += c.len_utf8();
            prev = Some(c);
            continue;
        }
        // A hyphen closing a line before a word: a word broken by the
        // typesetter. Only a line break qualifies; `espe- cially` on one
        // line is left to the classifier, which sees through it by
        // comparing concatenations.
        if prev_letter && is_hyphen(c) {
            let gap = after.len() - after.trim_start().len();
            let ws = &after[..gap];
            if ws.contains('\n') && after[gap..].chars().next().is_some_and(char::is_alphabetic) {
                end += c.len_utf8() + gap;
                prev = Some(c);
                continue;
            }
        }
        return end;
    }
}

fn normalize_word(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Folds the styles transcriptions disagree on: straight and curly quotes
/// (single or double, so that `''` and `"` meet), dashes of every length,
/// the ellipsis character.
fn normalize_punct(c: char, run: &str) -> String {
    match c {
        '"' | '\'' | '`' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{201C}'
        | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' | '\u{2039}'
        | '\u{203A}' | '\u{02BC}' => "\"".to_string(),
        '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => "-".to_string(),
        '\u{2026}' => "...".to_string(),
        _ => run.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    fn norms(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.norm).collect()
    }

    #[test]
    fn words_and_punctuation_with_offsets() {
        let toks = tokenize("Dear Viacheslav,  1) I had");
        let got: Vec<(&str, usize, usize, bool)> = toks
            .iter()
            .map(|t| (t.text.as_str(), t.start, t.end, t.space_before))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Dear", 0, 4, false),
                ("Viacheslav", 5, 15, true),
                (",", 15, 16, false),
                ("1", 18, 19, true),
                (")", 19, 20, false),
                ("I", 21, 22, true),
                ("had", 23, 26, true),
            ]
        );
        assert_eq!(toks[1].kind, TokenKind::Word);
        assert_eq!(toks[2].kind, TokenKind::Punct);
    }

    #[test]
    fn offsets_are_bytes_in_non_ascii_text() {
        let s = "Молотов — «Правда»";
        for t in tokenize(s) {
            assert_eq!(&s[t.start..t.end], t.text);
        }
        assert_eq!(norms(s), vec!["молотов", "-", "\"", "правда", "\""]);
    }

    #[test]
    fn inner_apostrophes_and_hyphens_stay_in_the_word() {
        assert_eq!(
            texts("It's Kai-shek's co-conspirators"),
            vec!["It's", "Kai-shek's", "co-conspirators"]
        );
        assert_eq!(norms("It's Kai-shek"), vec!["its", "kaishek"]);
        // Not between letters: punctuation of its own.
        assert_eq!(
            texts("members' 'real' 1925-1936"),
            vec!["members", "'", "'", "real", "'", "1925", "-", "1936"]
        );
    }

    #[test]
    fn line_end_hyphenation_is_one_word() {
        let toks = tokenize("espe-\ncially but espe- cially");
        assert_eq!(toks[0].text, "espe-\ncially");
        assert_eq!(toks[0].norm, "especially");
        assert_eq!(toks[0].display(), "espe-cially");
        let rest: Vec<&str> = toks[1..].iter().map(|t| t.text.as_str()).collect();
        assert_eq!(rest, vec!["but", "espe", "-", "cially"]);
    }

    #[test]
    fn quotes_dashes_and_runs_fold() {
        assert_eq!(
            norms("“a” ''b\" ‘c’ — -- – …"),
            vec!["\"", "a", "\"", "\"", "b", "\"", "\"", "c", "\"", "-", "-", "-", "..."]
        );
        assert_eq!(texts("wait... no!!"), vec!["wait", "...", "no", "!!"]);
    }

    #[test]
    fn case_and_soft_hyphen_fold() {
        assert_eq!(
            norms("Central CONTROL espe\u{AD}cially"),
            vec!["central", "control", "especially"]
        );
    }

    #[test]
    fn join_restores_spacing() {
        assert_eq!(
            join(&tokenize(
                "  Where's Sergo?  Shame  on\n him! ( espe-\ncially )"
            )),
            "Where's Sergo? Shame on him! ( espe-cially )"
        );
        assert_eq!(join(&[]), "");
    }

    #[test]
    fn empty_and_blank_texts_have_no_tokens() {
        assert!(tokenize("").is_empty());
        assert!(tokenize(" \n\t ").is_empty());
    }
}
