//! Slugs: ids made of the words of a text.
//!
//! Three rules, each the one a kind of id has always been made with.
//! Document, collection and person ids are stored in archives and cited
//! from outside (TEI `xml:id`s, CMIF, URLs of the reading room), so a rule
//! cannot change without changing them; they are kept apart here, named
//! for what they do, rather than merged into one that would move some ids.

use crate::translit::lc_ascii_russian;

/// Lower-case words joined by `-`, letters of every script kept:
/// `https://edition-humboldt.de` → `https-edition-humboldt-de`,
/// `Ю. Фельштинский` → `ю-фельштинский`.
///
/// For names that need not be ASCII: an XML NCName accepts letters of any
/// script, so the TEI export's `xml:id`s of note authors keep a name as
/// written, and the TEI reader's collection names from a publisher or a
/// host keep their letters too. Each character is lower-cased on its own
/// (no word-final sigma), then anything but a letter or digit separates
/// words; there is no `-` at either end.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    if out.ends_with('-') {
        out.pop();
    }
    out
}

/// Lower-case ASCII letters and digits joined by `-`, Russian Cyrillic read
/// by the Library of Congress scheme without diacritics, apostrophes
/// elided: `Lenin's Letters to Gorky` → `lenins-letters-to-gorky`,
/// `Письма Ленина` → `pisma-lenina`.
///
/// Document and collection ids: the readers make them of titles, file
/// names and parties, and they go into URLs and file names, so ASCII.
/// Only the Russian letters (modern and pre-reform) are romanised; any
/// other non-ASCII character, a Ukrainian letter or an accented Latin one
/// among them, separates words as punctuation does. That is how every id
/// so far was made; romanising more would change ids.
pub fn slug_ascii(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    let mut dash = false;
    let mut push = |c: char, s: &mut String| {
        if c.is_ascii_alphanumeric() {
            if dash && !s.is_empty() {
                s.push('-');
            }
            dash = false;
            s.push(c.to_ascii_lowercase());
        } else if c == '\'' || c == '’' {
            // "Lenin's" → "lenins"
        } else {
            dash = true;
        }
    };
    for c in text.chars() {
        match lc_ascii_russian(c) {
            Some(r) => r.chars().for_each(|r| push(r, &mut s)),
            None => push(c, &mut s),
        }
    }
    s
}

/// Lower-case ASCII words of all `parts` joined by `-`, every script read
/// through `deunicode` (`Feng Yü-hsiang` → `feng-yu-hsiang`), anything
/// that is not an ASCII letter or digit afterwards separating words, an
/// apostrophe included (`Ch'en` → `ch-en`).
///
/// Person ids of the authority file: names of every origin (Russian,
/// Chinese in Wade-Giles, German, Polish) from the glossary's surname and
/// forenames.
pub fn slug_any_script(parts: &[&str]) -> String {
    let mut out = String::new();
    for p in parts {
        let ascii = deunicode::deunicode(p).to_lowercase();
        for w in ascii.split(|c: char| !c.is_ascii_alphanumeric()) {
            if w.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push('-');
            }
            out.push_str(w);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The TEI reader's collection names and the TEI export's note-author
    /// ids.
    #[test]
    fn slugs_keep_letters() {
        assert_eq!(slug("edition-humboldt.de"), "edition-humboldt-de");
        assert_eq!(
            slug("https://edition-humboldt.de/v11/"),
            "https-edition-humboldt-de-v11"
        );
        assert_eq!(
            slug("  Arthur Schnitzler: Briefwechsel  "),
            "arthur-schnitzler-briefwechsel"
        );
        assert_eq!(slug("Ю. Фельштинский"), "ю-фельштинский");
        assert_eq!(slug("Lars W. Mortensen"), "lars-w-mortensen");
        assert_eq!(slug("Müller-Straße"), "müller-straße");
        assert_eq!(slug("--"), "");
        assert_eq!(slug(""), "");
    }

    /// Document and collection ids.
    #[test]
    fn ascii_slugs_are_plain() {
        assert_eq!(
            slug_ascii("Stalin's Letters to Molotov"),
            "stalins-letters-to-molotov"
        );
        assert_eq!(
            slug_ascii("Note on the Documents and the Narrative"),
            "note-on-the-documents-and-the-narrative"
        );
        assert_eq!(slug_ascii("Письма И. В. Сталина"), "pisma-i-v-stalina");
        assert_eq!(slug_ascii("Объявленіе Ѳеодора"), "obiavlenie-feodora");
        assert_eq!(slug_ascii("Молотову, 1925 г."), "molotovu-1925-g");
        assert_eq!(slug_ascii("Rykov’s note"), "rykovs-note");
        // Other non-ASCII letters separate words, as ids always had it.
        assert_eq!(slug_ascii("Müller"), "m-ller");
        assert_eq!(slug_ascii("Ґалич"), "alich");
        assert_eq!(slug_ascii("--a--b--"), "a-b");
    }

    /// Person ids.
    #[test]
    fn slugs_of_any_script() {
        assert_eq!(slug_any_script(&["Bukharin", "N. I."]), "bukharin-n-i");
        assert_eq!(slug_any_script(&["Feng Yü-hsiang"]), "feng-yu-hsiang");
        assert_eq!(slug_any_script(&["Ch'en Tu-hsiu"]), "ch-en-tu-hsiu");
        assert_eq!(slug_any_script(&["", "Zinoviev"]), "zinoviev");
    }
}
