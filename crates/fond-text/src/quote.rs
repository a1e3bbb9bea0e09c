//! Finding a quoted span of a text again by its quote and context, as the
//! W3C Web Annotation `TextQuoteSelector` does: the exact words, a few
//! dozen characters before them and a few dozen after.
//!
//! Whitespace is compared as one space wherever it runs (a line break, a
//! blank line between blocks, several spaces), so a span survives a reader
//! that re-flows lines or splits and joins blocks; everything else must be
//! as recorded. A span that is no longer there, or whose quote and context
//! fit more than one place, is not guessed at: the caller is told.

use std::ops::Range;

/// How many characters of context [`context`] records on each side.
pub const CONTEXT_CHARS: usize = 32;

/// Where a quote was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// Exactly one place: the byte range of the quote in the text given
    /// (from its first character to its last, whitespace around it left
    /// out).
    At(Range<usize>),
    /// The quote with its context is nowhere in the text.
    Missing,
    /// The quote with its context fits this many places.
    Ambiguous(usize),
}

/// A text with its whitespace runs as single spaces, and for each byte of
/// it the byte of the original it came from.
struct Folded {
    text: String,
    from: Vec<usize>,
}

fn fold(s: &str) -> Folded {
    let mut text = String::with_capacity(s.len());
    let mut from = Vec::with_capacity(s.len());
    let mut in_space = false;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            if !in_space {
                text.push(' ');
                from.push(i);
            }
            in_space = true;
            continue;
        }
        in_space = false;
        let at = text.len();
        text.push(c);
        from.extend((0..text.len() - at).map(|k| i + k));
    }
    Folded { text, from }
}

/// Whitespace as one space: how quotes and contexts are compared.
pub fn fold_space(s: &str) -> String {
    fold(s).text
}

/// Finds `exact` in `text` where it is preceded by `prefix` and followed by
/// `suffix` (either may be empty: nothing is required on that side).
/// Linear in the text for each place the quote occurs.
pub fn find(text: &str, exact: &str, prefix: &str, suffix: &str) -> Found {
    let exact = fold_space(exact.trim());
    if exact.is_empty() {
        return Found::Missing;
    }
    let prefix = fold_space(prefix);
    let suffix = fold_space(suffix);
    let folded = fold(text);
    let t = folded.text.as_str();
    let mut hits = Vec::new();
    let mut from = 0;
    while let Some(k) = t.get(from..).and_then(|rest| rest.find(&exact)) {
        let start = from + k;
        let end = start + exact.len();
        if t[..start].ends_with(&prefix) && t[end..].starts_with(&suffix) {
            hits.push(start..end);
        }
        // Step one character on, so overlapping occurrences count too.
        from = start + t[start..].chars().next().map_or(1, char::len_utf8);
    }
    match hits.as_slice() {
        [] => Found::Missing,
        [one] => {
            let a = folded.from[one.start];
            let b = folded.from[one.end - 1] + 1;
            Found::At(a..b)
        }
        more => Found::Ambiguous(more.len()),
    }
}

/// The context of a span of `text` as [`find`] wants it: up to `chars`
/// characters before and after, whitespace folded (so the context of a
/// span recorded over a text reads back over the text re-flowed).
pub fn context(text: &str, span: Range<usize>, chars: usize) -> (String, String) {
    let before = text.get(..span.start).unwrap_or_default();
    let after = text.get(span.end..).unwrap_or_default();
    let before = fold_space(before);
    let after = fold_space(after);
    let skip = before.chars().count().saturating_sub(chars);
    let prefix: String = before.chars().skip(skip).collect();
    let suffix: String = after.chars().take(chars).collect();
    (prefix, suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "Dear Comrade Molotov,\nthe plenum in Moskow went well.\n\nIn Moskow again, the plenum.";

    #[test]
    fn a_quote_is_found_by_its_context() {
        let first = TEXT.find("Moskow").unwrap_or(0);
        let (p, s) = context(TEXT, first..first + 6, 12);
        assert_eq!(p, "e plenum in ");
        assert_eq!(s, " went well. ");
        assert_eq!(find(TEXT, "Moskow", &p, &s), Found::At(first..first + 6));
        // Without context the quote fits two places.
        assert_eq!(find(TEXT, "Moskow", "", ""), Found::Ambiguous(2));
        assert_eq!(find(TEXT, "Moscow", &p, &s), Found::Missing);
        assert_eq!(find(TEXT, "Moskow", "the war in ", ""), Found::Missing);
    }

    #[test]
    fn a_reflowed_text_still_holds_the_quote() {
        let at = TEXT.find("plenum in").unwrap_or(0);
        let (p, s) = context(TEXT, at..at + 16, 20);
        let reflowed = "Dear Comrade\nMolotov, the plenum\nin   Moskow went\nwell. In Moskow again, the plenum.";
        let Found::At(r) = find(reflowed, "plenum in Moskow", &p, &s) else {
            panic!("not found in the re-flowed text");
        };
        assert_eq!(&reflowed[r], "plenum\nin   Moskow");
    }

    #[test]
    fn any_script_and_the_text_edges() {
        let t = "Пленум в Москве. Пленум.";
        let (p, s) = context(t, 0..12, 10);
        assert_eq!(p, "");
        assert_eq!(find(t, "Пленум", &p, &s), Found::At(0..12));
        assert_eq!(find(t, "", "", ""), Found::Missing);
        assert_eq!(find(t, "Пленум", "", ""), Found::Ambiguous(2));
    }
}
