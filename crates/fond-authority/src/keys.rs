//! Name keys: what every spelling of a name folds to, Latin or Cyrillic.
//!
//! A *search key* is lower-case ASCII with the differences between the
//! romanisation schemes and the usual English spellings taken out (the
//! folding of [`fond_text::translit::fold_romanisation`], which the search
//! index's key analyzer uses too, so that the authority's keys and the
//! index's terms meet). Cyrillic is read through the Library of Congress
//! scheme before folding; a Latin spelling that uses ISO 9's letters (`ž`,
//! `č`, `ŝ`, `â`, `û`, `j`) is also read back to Cyrillic, so `Hruŝëv` meets
//! `Khrushchev`. The table and the folding live in `fond-text`; what is
//! here is how a name is cut into words and which keys it gets.

use fond_text::translit::{fold_ascii_word, is_cyrillic, iso9_to_cyrillic, transliterate, Scheme};

/// Folds one word of any script into its key: Cyrillic read through the
/// LC scheme, other letters through `deunicode`, then [`fold_ascii_word`].
/// A possessive `'s` is dropped.
pub fn fold_word(word: &str) -> String {
    let w = strip_possessive(word);
    let latin = if w.chars().any(is_cyrillic) {
        transliterate(w, Scheme::LibraryOfCongress)
    } else {
        w.to_string()
    };
    let ascii = if latin.is_ascii() {
        latin
    } else {
        deunicode::deunicode(&latin)
    };
    fold_ascii_word(&ascii)
}

/// `Sergo's` → `Sergo`, `Com. Rykov’s` → `Com. Rykov`.
pub fn strip_possessive(word: &str) -> &str {
    for suffix in ["'s", "’s", "'S", "’S"] {
        if let Some(s) = word.strip_suffix(suffix) {
            if !s.is_empty() {
                return s;
            }
        }
    }
    word
}

/// Splits a text into words: runs of letters and digits, an apostrophe or
/// soft sign inside a word kept with it. Returns byte spans.
pub fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_end = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let inner_mark = matches!(c, '\'' | '’' | 'ʹ' | 'ʺ')
            && start.is_some()
            && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric());
        if c.is_alphanumeric() || inner_mark || is_combining(c) && start.is_some() {
            if start.is_none() {
                start = Some(i);
            }
            last_end = i + c.len_utf8();
        } else if let Some(s) = start.take() {
            out.push((s, last_end));
        }
    }
    if let Some(s) = start {
        out.push((s, last_end));
    }
    out
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// The normalised keys a name is found under, Latin or Cyrillic: the words
/// folded and joined by single spaces, once as written and, when the
/// spelling can be read as ISO 9, once read back through Cyrillic. Empty for a
/// text without letters.
pub fn search_keys(name: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut push = |k: String| {
        if !k.is_empty() && !keys.contains(&k) {
            keys.push(k);
        }
    };
    push(key_of(name));
    // A Latin spelling may be ISO 9 (`Trockij`, `Syrcov` look like any
    // other spelling): read it back through Cyrillic as well. For other
    // schemes this adds a key no name has.
    if !name.chars().any(is_cyrillic) {
        if let Some(cyr) = iso9_to_cyrillic(name) {
            push(key_of(&cyr));
        }
    }
    keys
}

/// The one key of a text: its words folded, joined by spaces.
pub fn key_of(text: &str) -> String {
    let mut k = String::new();
    for (s, e) in words(text) {
        let f = fold_word(&text[s..e]);
        if f.is_empty() {
            continue;
        }
        if !k.is_empty() {
            k.push(' ');
        }
        k.push_str(&f);
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_name_folds_to_one_key() {
        let groups: &[&[&str]] = &[
            &[
                "Yaroslavskii",
                "Yaroslavsky",
                "Yaroslavskiy",
                "Jaroslavskij",
                "Iaroslavskiĭ",
                "Ярославский",
                "Âroslavskij",
            ],
            &[
                "Dzerzhinskii",
                "Dzerzhinsky",
                "Dzerzhinskiy",
                "Dzeržinskij",
                "Дзержинский",
            ],
            &["Zinoviev", "Zinovʹev", "Zinov'yev", "Zinovyev", "Зиновьев"],
            &["Yezhov", "Ezhov", "Ežov", "Ежов"],
            &[
                "Khrushchev",
                "Khrushchëv",
                "Hruŝëv",
                "Хрущёв",
                "Khrushchyov",
            ],
            &[
                "Kuibyshev",
                "Kuybyshev",
                "Kuĭbyshev",
                "Kujbyšev",
                "Куйбышев",
            ],
            &["Trotsky", "Trotskii", "Trotskiy", "Trotzky", "Троцкий"],
            &["Krupskaia", "Krupskaya", "Krupskaja", "Крупская"],
            &["Mariia", "Maria", "Mariya", "Мария"],
            &["Ilich", "Ilyich", "Il'ich", "Ильич"],
            &["Bednyi", "Bedny", "Bednyy", "Бедный"],
        ];
        for g in groups {
            let keys: Vec<Vec<String>> = g.iter().map(|n| search_keys(n)).collect();
            let first = &keys[0][0];
            for (n, k) in g.iter().zip(&keys) {
                assert!(k.contains(first), "{n}: {k:?} lacks {first}");
            }
        }
    }

    #[test]
    fn keys_of_phrases_and_possessives() {
        assert_eq!(key_of("Com. Rykov's"), "com rykov");
        assert_eq!(key_of("G. Ye. Zinoviev"), "g e zinovev");
        assert_eq!(key_of("Г. Е. Зиновьев"), "g e zinovev");
        assert_eq!(key_of("Ekonomicheskaia zhizn'"), "ekonomicheskaia zhizn");
        assert_eq!(key_of("Экономическая жизнь"), "ekonomicheskaia zhizn");
        assert!(search_keys("...").is_empty());
    }

    #[test]
    fn words_keep_inner_apostrophes() {
        let t = "Ch'en Tu-hsiu, Zinovʹev's";
        let w: Vec<&str> = words(t).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert_eq!(w, vec!["Ch'en", "Tu", "hsiu", "Zinovʹev's"]);
    }
}
