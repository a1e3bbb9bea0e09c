//! What kind of difference separates two readings.
//!
//! The classes run from the most trivial to the most substantive; when a
//! reading differs in several ways, the most substantive one names it. The
//! trivial classes are the ones an editor usually hides: transcription and
//! typesetting accidents (glued words, line-end hyphens, punctuation, case)
//! and spelling (romanisation `-ii`/`-y`, OCR slips). The substantive ones
//! are differences of text.

use crate::token::Token;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The kind of a variant, ordered from the most trivial to the most
/// substantive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VariantKind {
    /// Only punctuation differs (including quote styles and apostrophes
    /// inside words).
    Punctuation,
    /// The same letters split into words differently: `CentralControl` /
    /// `Central Control`.
    Spacing,
    /// A hyphen inside or across words: `espe-cially` / `especially`.
    Hyphenation,
    /// Only letter case differs.
    Case,
    /// Words of the same length and shape a letter or two apart:
    /// `Shkiriatov` / `Shkiriakov`, `Zinovii` / `Zinovy`.
    Spelling,
    /// The witness has text the base lacks.
    Added,
    /// The witness lacks text the base has.
    Omitted,
    /// Different words.
    Changed,
    /// Text both have, in a different place.
    Moved,
}

impl VariantKind {
    /// All kinds, from the most trivial.
    pub const ALL: [VariantKind; 9] = [
        VariantKind::Punctuation,
        VariantKind::Spacing,
        VariantKind::Hyphenation,
        VariantKind::Case,
        VariantKind::Spelling,
        VariantKind::Added,
        VariantKind::Omitted,
        VariantKind::Changed,
        VariantKind::Moved,
    ];

    /// Whether the variant is a difference of text rather than of its
    /// writing down.
    pub fn is_substantive(self) -> bool {
        self >= VariantKind::Added
    }

    pub fn as_str(self) -> &'static str {
        match self {
            VariantKind::Punctuation => "punctuation",
            VariantKind::Spacing => "spacing",
            VariantKind::Hyphenation => "hyphenation",
            VariantKind::Case => "case",
            VariantKind::Spelling => "spelling",
            VariantKind::Added => "added",
            VariantKind::Omitted => "omitted",
            VariantKind::Changed => "changed",
            VariantKind::Moved => "moved",
        }
    }
}

impl fmt::Display for VariantKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The difference between a witness's reading and the base's reading at
/// the same place, `None` when they are written identically.
pub fn classify(base: &[Token], wit: &[Token]) -> Option<VariantKind> {
    if base.len() == wit.len()
        && base
            .iter()
            .zip(wit)
            .all(|(x, y)| x.display() == y.display())
    {
        return None;
    }
    let bw: Vec<&Token> = base.iter().filter(|t| t.is_word()).collect();
    let ww: Vec<&Token> = wit.iter().filter(|t| t.is_word()).collect();
    match (bw.is_empty(), ww.is_empty()) {
        (true, true) => return Some(VariantKind::Punctuation),
        (false, true) => return Some(VariantKind::Omitted),
        (true, false) => return Some(VariantKind::Added),
        (false, false) => {}
    }
    if bw.len() == ww.len() && bw.iter().zip(&ww).all(|(x, y)| x.display() == y.display()) {
        return Some(VariantKind::Punctuation);
    }
    let joined = |ws: &[&Token]| ws.iter().map(|t| t.norm.as_str()).collect::<String>();
    if joined(&bw) == joined(&ww) {
        if bw.len() != ww.len() {
            // Split differently. A hyphen anywhere in the place (inside a
            // word or as a token of its own) makes it a hyphenation; a
            // dash lost between glued words (`hegemony—it` / `hegemonyit`)
            // does not.
            let hyphen = base
                .iter()
                .chain(wit)
                .any(|t| t.text.contains(is_hyphen_char));
            return Some(if hyphen {
                VariantKind::Hyphenation
            } else {
                VariantKind::Spacing
            });
        }
        let worst = bw
            .iter()
            .zip(&ww)
            .filter_map(|(x, y)| same_letters_kind(x, y))
            .max();
        return Some(worst.unwrap_or(VariantKind::Punctuation));
    }
    if bw.len() == ww.len()
        && bw
            .iter()
            .zip(&ww)
            .all(|(x, y)| x.norm == y.norm || spelling_close(x, y))
    {
        return Some(VariantKind::Spelling);
    }
    if letters_close(&joined(&bw), &joined(&ww)) {
        return Some(VariantKind::Spelling);
    }
    Some(VariantKind::Changed)
}

fn is_hyphen_char(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{AD}')
}

/// Two words with the same normalised form: what tells them apart.
fn same_letters_kind(x: &Token, y: &Token) -> Option<VariantKind> {
    let (dx, dy) = (x.display(), y.display());
    if dx == dy {
        return None;
    }
    if dx.to_lowercase() == dy.to_lowercase() {
        return Some(VariantKind::Case);
    }
    let unhyphen = |s: &str| {
        s.chars()
            .filter(|&c| !is_hyphen_char(c))
            .collect::<String>()
            .to_lowercase()
    };
    if unhyphen(&dx) == unhyphen(&dy) {
        return Some(VariantKind::Hyphenation);
    }
    // Same letters and digits, so what is left is an apostrophe.
    Some(VariantKind::Punctuation)
}

/// Whether two different words are spellings of one: at least four
/// letters, neither an affix of the other (`agent` / `agents` is grammar,
/// not spelling), and one edit apart — two for capitalised words of five
/// letters or more, where transliteration varies most (`Zinovii` /
/// `Zinovy`).
fn spelling_close(x: &Token, y: &Token) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (x.norm.chars().collect(), y.norm.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if short.len() < 4 || long.starts_with(short) || long.ends_with(short) {
        return false;
    }
    let names = x.text.starts_with(char::is_uppercase) && y.text.starts_with(char::is_uppercase);
    let allowed = if names && short.len() >= 5 { 2 } else { 1 };
    long.len() - short.len() <= allowed && levenshtein(&a, &b) <= allowed
}

/// Whether two longer stretches of letters, split into words differently,
/// are a spelling apart: one edit per ten letters, at least eight letters
/// (`revolution—analogueous` / `revolutionanalogous`), neither an affix of
/// the other.
fn letters_close(x: &str, y: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (x.chars().collect(), y.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if short.len() < 8 || long.starts_with(short) || long.ends_with(short) {
        return false;
    }
    let allowed = long.len() / 10;
    long.len() - short.len() <= allowed && levenshtein(&a, &b) <= allowed
}

/// Edit distance over chars, two rows.
pub(crate) fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::tokenize;

    fn kind(a: &str, b: &str) -> Option<VariantKind> {
        classify(&tokenize(a), &tokenize(b))
    }

    #[test]
    fn identical_readings_are_no_variant() {
        assert_eq!(kind("the Central Control", "the  Central\nControl"), None);
        assert_eq!(kind("", ""), None);
    }

    #[test]
    fn trivial_classes() {
        assert_eq!(
            kind("CentralControl", "Central Control"),
            Some(VariantKind::Spacing)
        );
        assert_eq!(kind("theletter", "the letter"), Some(VariantKind::Spacing));
        assert_eq!(
            kind("hegemony—it", "hegemonyit"),
            Some(VariantKind::Spacing)
        );
        assert_eq!(
            kind("espe-\ncially", "especially"),
            Some(VariantKind::Hyphenation)
        );
        assert_eq!(
            kind("espe- cially", "especially"),
            Some(VariantKind::Hyphenation)
        );
        assert_eq!(
            kind("co-conspirators", "coconspirators"),
            Some(VariantKind::Hyphenation)
        );
        assert_eq!(kind("Trud,", "Trud."), Some(VariantKind::Punctuation));
        assert_eq!(kind("“case”", "\"case\""), Some(VariantKind::Punctuation));
        assert_eq!(kind(",", ""), Some(VariantKind::Punctuation));
        assert_eq!(kind("It's", "Its"), Some(VariantKind::Punctuation));
        assert_eq!(kind("CENTRAL", "Central"), Some(VariantKind::Case));
        assert_eq!(
            kind("Shkiriatov", "Shkiriakov"),
            Some(VariantKind::Spelling)
        );
        assert_eq!(kind("Zinovii", "Zinovy"), Some(VariantKind::Spelling));
        assert_eq!(kind("Trotskii", "Trotsky"), Some(VariantKind::Spelling));
        assert_eq!(
            kind("revolution—analogueous", "revolutionanalogous"),
            Some(VariantKind::Spelling)
        );
    }

    #[test]
    fn substantive_classes() {
        assert_eq!(kind("", "very"), Some(VariantKind::Added));
        assert_eq!(kind("very ,", ""), Some(VariantKind::Omitted));
        assert_eq!(kind("agent", "agents"), Some(VariantKind::Changed));
        assert_eq!(kind("their", "there"), Some(VariantKind::Changed));
        assert_eq!(kind("form", "from"), Some(VariantKind::Changed));
        assert_eq!(
            kind("abused by", "sullied by the scum"),
            Some(VariantKind::Changed)
        );
        // Lowercase words get one edit only.
        assert_eq!(kind("arrested", "arrests"), Some(VariantKind::Changed));
        // Long stretches are held to one edit per ten letters.
        assert_eq!(
            kind("the party line", "the parties line"),
            Some(VariantKind::Changed)
        );
        assert_eq!(
            kind("greatly expedited", "greatly expanded"),
            Some(VariantKind::Changed)
        );
    }

    #[test]
    fn order_puts_substance_last() {
        assert!(VariantKind::Spelling < VariantKind::Added);
        assert!(!VariantKind::Spelling.is_substantive());
        assert!(VariantKind::Moved.is_substantive());
        assert_eq!(
            VariantKind::ALL
                .iter()
                .filter(|k| k.is_substantive())
                .count(),
            4
        );
    }

    #[test]
    fn levenshtein_counts_edits() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(levenshtein(&c("kitten"), &c("sitting")), 3);
        assert_eq!(levenshtein(&c(""), &c("abc")), 3);
        assert_eq!(levenshtein(&c("Молотов"), &c("Молотову")), 1);
    }
}
