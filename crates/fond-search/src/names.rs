//! Name variants: the spellings a `from:`, `to:` or `mentions:` name is
//! looked for under.
//!
//! The default folds romanisation variants and scripts only. The people
//! authority (`fond-authority`) knows more — nicknames (`Sergo`), real
//! names, pseudonyms — and plugs in through [`NameVariants`] without this
//! crate depending on it.

use crate::analysis::{is_cyrillic, roman_key, russian_surname_forms};

/// The spellings or keys a name may appear under in the documents.
///
/// Whatever an implementation returns is folded again by the index's own
/// romanisation key ([`crate::analysis::roman_key`], applied word by word),
/// so it may return spellings in any script (`Орджоникидзе`, `Sergo`) or
/// keys already folded; multi-word entries must match as consecutive words
/// in the names fields and all together in the text.
pub trait NameVariants: Send + Sync {
    fn keys(&self, name: &str) -> Vec<String>;
    /// The linked entities (`person:bukharin-n-i`, see
    /// [`crate::schema::LinkedEntity`]) a name stands for: `mentions:` finds
    /// the documents the linking stage tied to them, however the text
    /// spells the name (`Koba`, `Sergo`, an initial and a surname).
    fn entities(&self, _name: &str) -> Vec<String> {
        Vec::new()
    }
}

/// The default: the name as given, in the romanisation-key space, plus
/// for a Cyrillic name the nominative forms of an oblique case
/// (`Молотову` → `Молотов`).
#[derive(Debug, Clone, Copy, Default)]
pub struct RomanisationVariants;

impl NameVariants for RomanisationVariants {
    fn keys(&self, name: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut push = |s: String| {
            if !s.is_empty() && !out.contains(&s) {
                out.push(s);
            }
        };
        if name.chars().any(is_cyrillic) {
            // Each word may be in an oblique case; only the last word of a
            // name (the surname) is declined in the forms we handle, so
            // vary that one.
            let words: Vec<&str> = name.split_whitespace().collect();
            if let Some((last, rest)) = words.split_last() {
                for form in russian_surname_forms(last) {
                    let mut k: Vec<String> = rest.iter().map(|w| roman_key(w)).collect();
                    k.push(roman_key(&form));
                    push(k.join(" "));
                }
            }
        } else {
            let k: Vec<String> = name
                .split(|c: char| c.is_whitespace() || c == '-' || c == '.' || c == ',')
                .map(roman_key)
                .filter(|w| !w.is_empty())
                .collect();
            push(k.join(" "));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_and_scripts_give_one_key() {
        let v = RomanisationVariants;
        assert_eq!(v.keys("Yaroslavsky"), v.keys("Ярославский"));
        assert_eq!(v.keys("Dzerzhinskii"), v.keys("Дзержинский"));
        assert!(v.keys("Молотову").contains(&"molotov".to_string()));
        assert!(v.keys("Дзержинского").contains(&"dzerzhinski".to_string()));
        // `j` is folded as ISO 9's й: J. V. and I. V. Stalin are one key.
        assert_eq!(v.keys("J. V. Stalin"), v.keys("I. V. Stalin"));
        assert!(v.keys("...").is_empty());
    }
}
