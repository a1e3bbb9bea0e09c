//! The words by which a note's signature names its author's role, in the
//! languages fond reads: one table for every reader. The book's reader
//! finds a signature after a dash at a note's end (`—Trans.`, `—U.S.
//! Ed.`, `refs::note_author`); the general reader classifies an
//! attribution it has already cut off (`A. d. H.`, `Übers.`,
//! `plain::signed_by`). Both build their patterns from these lists, so a
//! word added here is read by both.

use fond_model::NoteRole;

/// An editor's note: English, German (`Hrsg.`, `Hg.`), Russian (`ред.`,
/// romanised `red.`).
pub(crate) const EDITOR: &[&str] = &["editors", "editor", "eds", "ed", "hrsg", "hg", "ред", "red"];

/// A translator's note: English, German (`Übers.`), Russian (`пер.`).
pub(crate) const TRANSLATOR: &[&str] = &[
    "translators",
    "translator",
    "transl",
    "trans",
    "tr",
    "übers",
    "пер",
];

/// The words of `list` as a regular-expression alternation, longest first
/// so that `editors` is not read as `ed`.
pub(crate) fn alternation(list: &[&str]) -> String {
    let mut words: Vec<&str> = list.to_vec();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words.join("|")
}

/// The role a signature word names (`Ed.`, `übers`, `Translator`), if any.
pub(crate) fn role_of(word: &str) -> Option<NoteRole> {
    let w = word.trim().trim_end_matches('.').to_lowercase();
    if TRANSLATOR.contains(&w.as_str()) {
        Some(NoteRole::Translator)
    } else if EDITOR.contains(&w.as_str()) {
        Some(NoteRole::Editor)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_has_one_role() {
        for w in EDITOR {
            assert!(!TRANSLATOR.contains(w), "{w}");
            assert_eq!(role_of(w), Some(NoteRole::Editor), "{w}");
        }
        for w in TRANSLATOR {
            assert_eq!(role_of(w), Some(NoteRole::Translator), "{w}");
        }
        assert_eq!(role_of("Hrsg."), Some(NoteRole::Editor));
        assert_eq!(role_of("Übers."), Some(NoteRole::Translator));
        assert_eq!(role_of("Progress Publishers"), None);
        assert!(alternation(EDITOR).starts_with("editors|"));
    }
}
