//! Russian Cyrillic in Latin letters, from one table, and the folding of
//! romanisations into search keys.
//!
//! Three schemes are written out (the crates that exist either follow one
//! scheme only or their own): the Library of Congress scheme (ALA-LC, which
//! the reference edition follows, written without the ligature ties),
//! BGN/PCGN 1947 (the English-language press and maps) and ISO 9:1995 (one
//! letter for one letter, so it can be read back). Beside LC's own letters
//! the table gives LC in plain ASCII (no diacritics, no soft or hard signs),
//! which ids and search keys use. Each scheme is tested below against
//! published pairs.
//!
//! The *romanisation folding* ([`fold_romanisation`]) takes out the
//! differences between the schemes and the usual English spellings
//! (`-ii`/`-y`/`-iy` at the end, `ye`/`e`, `ya`/`ia`/`ja`, `yu`/`iu`,
//! `kh`/`h`, `tz`/`ts`, `x`/`ks`), so that every spelling of a name meets
//! one key. The authority's name keys and the search index's key analyzer
//! both fold with it, which is what lets a name from the authority find
//! the index's terms.

/// A transliteration scheme for Russian Cyrillic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// ALA-LC (Library of Congress), without the ligature ties: `Zinovʹev`,
    /// `Dzerzhinskiĭ`, `Iaroslavskiĭ`.
    LibraryOfCongress,
    /// BGN/PCGN 1947: `Zinov’yev`, `Dzerzhinskiy`, `Yaroslavskiy`.
    BgnPcgn,
    /// ISO 9:1995 (GOST 7.79 system A): `Zinovʹev`, `Dzeržinskij`,
    /// `Âroslavskij`.
    Iso9,
}

impl Scheme {
    pub const ALL: [Scheme; 3] = [Scheme::LibraryOfCongress, Scheme::BgnPcgn, Scheme::Iso9];
}

/// Which alphabet a letter of the table belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Alphabet {
    /// The 33 letters of modern Russian.
    Modern,
    /// Letters of Russian before the reform of 1918 (і, ѣ, ѳ, ѵ).
    PreReform,
    /// Ukrainian letters the sources may carry (є, ї, ґ).
    Ukrainian,
}

/// One lower-case Cyrillic letter and its romanisations.
struct Letter {
    cyr: char,
    /// Library of Congress, with its diacritics and sign letters.
    lc: &'static str,
    /// Library of Congress in plain ASCII: diacritics left off, soft and
    /// hard signs dropped, the pre-reform letters as their modern values.
    lc_ascii: &'static str,
    /// BGN/PCGN, plain position (after a vowel or a sign `е` is `ye`).
    bgn: &'static str,
    /// ISO 9.
    iso: &'static str,
    alphabet: Alphabet,
}

const fn l(
    cyr: char,
    lc: &'static str,
    lc_ascii: &'static str,
    bgn: &'static str,
    iso: &'static str,
    alphabet: Alphabet,
) -> Letter {
    Letter {
        cyr,
        lc,
        lc_ascii,
        bgn,
        iso,
        alphabet,
    }
}

use Alphabet::{Modern as M, PreReform as P, Ukrainian as U};

/// The table: the modern alphabet in its order first (the lookup relies on
/// it), then the pre-reform and Ukrainian letters. LC and ISO 9 give those
/// their own letters; BGN/PCGN's Russian table has none, so they get the
/// modern spelling's value.
const TABLE: &[Letter] = &[
    l('а', "a", "a", "a", "a", M),
    l('б', "b", "b", "b", "b", M),
    l('в', "v", "v", "v", "v", M),
    l('г', "g", "g", "g", "g", M),
    l('д', "d", "d", "d", "d", M),
    l('е', "e", "e", "e", "e", M),
    l('ё', "ë", "e", "ë", "ë", M),
    l('ж', "zh", "zh", "zh", "ž", M),
    l('з', "z", "z", "z", "z", M),
    l('и', "i", "i", "i", "i", M),
    l('й', "ĭ", "i", "y", "j", M),
    l('к', "k", "k", "k", "k", M),
    l('л', "l", "l", "l", "l", M),
    l('м', "m", "m", "m", "m", M),
    l('н', "n", "n", "n", "n", M),
    l('о', "o", "o", "o", "o", M),
    l('п', "p", "p", "p", "p", M),
    l('р', "r", "r", "r", "r", M),
    l('с', "s", "s", "s", "s", M),
    l('т', "t", "t", "t", "t", M),
    l('у', "u", "u", "u", "u", M),
    l('ф', "f", "f", "f", "f", M),
    l('х', "kh", "kh", "kh", "h", M),
    l('ц', "ts", "ts", "ts", "c", M),
    l('ч', "ch", "ch", "ch", "č", M),
    l('ш', "sh", "sh", "sh", "š", M),
    l('щ', "shch", "shch", "shch", "ŝ", M),
    l('ъ', "ʺ", "", "”", "ʺ", M),
    l('ы', "y", "y", "y", "y", M),
    l('ь', "ʹ", "", "’", "ʹ", M),
    l('э', "ė", "e", "e", "è", M),
    l('ю', "iu", "iu", "yu", "û", M),
    l('я', "ia", "ia", "ya", "â", M),
    l('і', "ī", "i", "i", "ì", P),
    l('ѣ', "ie", "e", "e", "ě", P),
    l('ѳ', "ḟ", "f", "f", "f̀", P),
    l('ѵ', "ẏ", "i", "i", "ỳ", P),
    l('є', "ie", "e", "ye", "ê", U),
    l('ї', "ï", "i", "yi", "ï", U),
    l('ґ', "g", "g", "g", "g̀", U),
];

/// The table's letter for `c` in either case.
fn letter(c: char) -> Option<&'static Letter> {
    let lower = c.to_lowercase().next().unwrap_or(c);
    // The modern alphabet is а..я in Unicode order with ё after е.
    let i = match lower {
        'а'..='е' => lower as usize - 'а' as usize,
        'ё' => 6,
        'ж'..='я' => lower as usize - 'а' as usize + 1,
        _ => return TABLE[33..].iter().find(|e| e.cyr == lower),
    };
    TABLE.get(i)
}

/// True for the Cyrillic block (and its supplement).
pub fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{052F}')
}

/// Vowels, й, ъ and ь: the letters after which BGN/PCGN writes `ye`/`yë`.
fn bgn_softening(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(p) => {
            let p = p.to_lowercase().next().unwrap_or(p);
            !p.is_alphabetic() || "аеёиоуыэюяйъьієї".contains(p)
        }
    }
}

/// Romanises Russian Cyrillic in `text`; anything else passes unchanged.
/// Capitals stay capitals (`Я` → `Ia` in LC, `Ya` in BGN/PCGN, `Â` in
/// ISO 9); a digraph in an all-capitals word is set all in capitals.
pub fn transliterate(text: &str, scheme: Scheme) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    for (i, &c) in chars.iter().enumerate() {
        let Some(e) = letter(c) else {
            out.push(c);
            continue;
        };
        let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let roman: &str = match scheme {
            Scheme::LibraryOfCongress => e.lc,
            Scheme::Iso9 => e.iso,
            Scheme::BgnPcgn => match e.cyr {
                'е' if bgn_softening(prev) => "ye",
                'ё' if bgn_softening(prev) => "yë",
                _ => e.bgn,
            },
        };
        if c.is_uppercase() {
            // All-capitals word (an abbreviation like ЦКК): capitals
            // throughout; otherwise only the first letter.
            let next_upper = chars.get(i + 1).is_some_and(|n| n.is_uppercase());
            let prev_upper = prev.is_some_and(|p| p.is_uppercase());
            if next_upper || (prev_upper && !chars.get(i + 1).is_some_and(|n| n.is_lowercase())) {
                out.extend(roman.chars().flat_map(char::to_uppercase));
            } else {
                let mut it = roman.chars();
                if let Some(f) = it.next() {
                    out.extend(f.to_uppercase());
                    out.extend(it);
                }
            }
        } else {
            out.push_str(roman);
        }
    }
    out
}

/// Reads an ISO 9 romanisation back into Cyrillic. ISO 9 is one letter
/// for one letter, so this is exact for its output; for other spellings it
/// gives a guess that only adds a search key. `None` when a Latin letter
/// has no ISO 9 reading (`q`, `w`, `x`).
pub fn iso9_to_cyrillic(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if !c.is_alphabetic() {
            out.push(c);
            continue;
        }
        let lower = c.to_lowercase().next().unwrap_or(c);
        let cyr = TABLE
            .iter()
            .filter(|e| e.alphabet == Alphabet::Modern)
            .find(|e| {
                let mut it = e.iso.chars();
                it.next() == Some(lower) && it.next().is_none()
            })
            .map(|e| e.cyr)?;
        if c.is_uppercase() {
            out.extend(cyr.to_uppercase());
        } else {
            out.push(cyr);
        }
    }
    Some(out)
}

/// The plain-ASCII Library of Congress romanisation of one Cyrillic letter
/// (either case), `None` for anything else. Soft and hard signs give `""`.
pub fn lc_ascii(c: char) -> Option<&'static str> {
    letter(c).map(|e| e.lc_ascii)
}

/// As [`lc_ascii`], for the Russian letters only (modern and pre-reform):
/// the set document ids have always been made with (see
/// [`crate::slug_ascii`]).
pub(crate) fn lc_ascii_russian(c: char) -> Option<&'static str> {
    letter(c)
        .filter(|e| e.alphabet != Alphabet::Ukrainian)
        .map(|e| e.lc_ascii)
}

/// Romanises Cyrillic by the Library of Congress scheme in plain ASCII
/// (see [`lc_ascii`]), everything lower-cased; other characters pass
/// through lower-cased. What search keys are made from.
pub fn transliterate_lc_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        for l in c.to_lowercase() {
            match lc_ascii(l) {
                Some(r) => out.push_str(r),
                None => out.push(l),
            }
        }
    }
    out
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// Folds one word of lower-case ASCII letters and digits (what
/// [`transliterate_lc_ascii`] or `deunicode` and a filter make of a word)
/// into its romanisation key, one pass of the rules, in order:
///
/// - `kh` → `h` (LC/BGN vs ISO 9 and German), `tz` → `ts`, `x` → `ks`,
///   `w` → `v` (Polish and German spellings);
/// - `y`/`j` as a glide before a vowel is LC's `i`: `ya`/`ja` → `ia`,
///   `yu`/`ju` → `iu`, `ye`/`je` → `e` (LC writes initial Е as `E`:
///   Yezhov/Ezhov), `yo` after a consonant → `e` (Khrushchyov), `yi`/`ji`
///   → `i` (Ilyich, Bednyi); any other `j` (ISO 9 and German й) and a `y`
///   after a vowel (BGN Kuybyshev) → `i`;
/// - `ie` → `e` (ь + е: Vasiliev, Vasilʹev);
/// - the endings `-yy`, `-yi`, `-iy`, `-y` → `-i` (-ий/-ый);
/// - doubled `i` anywhere → `i` (Mariia/Maria, Dzerzhinskii).
///
/// A word of digits only is returned as it is. One pass can leave a new
/// instance of a pattern (`iie` → `ie`); [`fold_romanisation_fully`] folds
/// to the fixed point.
pub fn fold_romanisation(w: &str) -> String {
    if w.is_empty() || w.bytes().all(|b| b.is_ascii_digit()) {
        return w.to_string();
    }
    let w = w
        .replace("kh", "h")
        .replace("tz", "ts")
        .replace('x', "ks")
        .replace('w', "v");
    let b = w.as_bytes();
    let mut out = String::with_capacity(w.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        let prev = i.checked_sub(1).map(|j| b[j]);
        if c == b'y' || c == b'j' {
            let glide = match next {
                Some(b'a') => Some("ia"),
                Some(b'u') => Some("iu"),
                Some(b'e') => Some("e"),
                Some(b'o') if prev.is_some_and(|p| !is_vowel(p)) => Some("e"),
                Some(b'i') => Some("i"),
                _ => None,
            };
            if let Some(g) = glide {
                out.push_str(g);
                i += 2;
                continue;
            }
            if c == b'j' || prev.is_some_and(is_vowel) {
                out.push('i');
                i += 1;
                continue;
            }
        }
        out.push(c as char);
        i += 1;
    }
    let mut w = out.replace("ie", "e");
    for (from, to) in [("yy", "i"), ("yi", "i"), ("iy", "i"), ("y", "i")] {
        if w.len() > from.len() + 1 && w.ends_with(from) {
            w.truncate(w.len() - from.len());
            w.push_str(to);
            break;
        }
    }
    while w.contains("ii") {
        w = w.replace("ii", "i");
    }
    w
}

/// [`fold_romanisation`] repeated until nothing changes (three more rounds
/// settle every word seen), so that a key folds to itself: the search
/// index folds keys handed in from elsewhere again, and needs that.
pub fn fold_romanisation_fully(w: &str) -> String {
    let mut key = fold_romanisation(w);
    for _ in 0..3 {
        let again = fold_romanisation(&key);
        if again == key {
            break;
        }
        key = again;
    }
    key
}

/// [`fold_romanisation`] of a word's ASCII letters and digits,
/// lower-cased; anything else in it is dropped first.
pub fn fold_ascii_word(word: &str) -> String {
    let w: String = word
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    fold_romanisation(&w)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Published pairs: the Library of Congress authority headings, the
    /// BGN/PCGN spellings of the English-language press and ISO 9 as the
    /// standard's table gives it.
    const PAIRS: &[(&str, &str, &str, &str)] = &[
        ("Зиновьев", "Zinovʹev", "Zinov’yev", "Zinovʹev"),
        ("Дзержинский", "Dzerzhinskiĭ", "Dzerzhinskiy", "Dzeržinskij"),
        ("Ярославский", "Iaroslavskiĭ", "Yaroslavskiy", "Âroslavskij"),
        ("Ежов", "Ezhov", "Yezhov", "Ežov"),
        ("Хрущёв", "Khrushchëv", "Khrushchëv", "Hruŝëv"),
        ("Куйбышев", "Kuĭbyshev", "Kuybyshev", "Kujbyšev"),
        ("Цюрупа", "Tsiurupa", "Tsyurupa", "Cûrupa"),
        (
            "Орджоникидзе",
            "Ordzhonikidze",
            "Ordzhonikidze",
            "Ordžonikidze",
        ),
        ("Андреев", "Andreev", "Andreyev", "Andreev"),
        ("Эйхе", "Ėĭkhe", "Eykhe", "Èjhe"),
        ("Пятаков", "Piatakov", "Pyatakov", "Pâtakov"),
        ("Ульянова", "Ulʹianova", "Ul’yanova", "Ulʹânova"),
    ];

    #[test]
    fn the_lookup_finds_every_letter_of_the_table() {
        for e in TABLE {
            assert_eq!(letter(e.cyr).map(|f| f.cyr), Some(e.cyr));
            let upper = e.cyr.to_uppercase().next().unwrap_or(e.cyr);
            assert_eq!(letter(upper).map(|f| f.cyr), Some(e.cyr));
        }
        assert_eq!(TABLE.iter().filter(|e| e.alphabet == M).count(), 33);
        assert!(letter('a').is_none() && letter('ѐ').is_none());
    }

    #[test]
    fn schemes_match_published_pairs() {
        for (cyr, lc, bgn, iso) in PAIRS {
            // LC capitalises the first letter of a digraph only; our
            // tieless output writes `Ts`, the tables above quote the
            // ligature form's first letters, so compare case-folded.
            assert_eq!(
                transliterate(cyr, Scheme::LibraryOfCongress).to_lowercase(),
                lc.to_lowercase(),
                "LC {cyr}"
            );
            assert_eq!(transliterate(cyr, Scheme::BgnPcgn), *bgn, "BGN {cyr}");
            assert_eq!(transliterate(cyr, Scheme::Iso9), *iso, "ISO 9 {cyr}");
        }
    }

    #[test]
    fn iso9_reads_back() {
        for (cyr, _, _, iso) in PAIRS {
            assert_eq!(iso9_to_cyrillic(iso).as_deref(), Some(*cyr));
        }
        assert_eq!(iso9_to_cyrillic("Wise"), None);
    }

    #[test]
    fn capitals_in_abbreviations() {
        assert_eq!(transliterate("ЦКК", Scheme::LibraryOfCongress), "TSKK");
        assert_eq!(transliterate("ВСНХ", Scheme::BgnPcgn), "VSNKH");
        assert_eq!(transliterate("Яков", Scheme::BgnPcgn), "Yakov");
    }

    #[test]
    fn lc_in_plain_ascii() {
        assert_eq!(transliterate_lc_ascii("Бухарин"), "bukharin");
        assert_eq!(transliterate_lc_ascii("Ярославский"), "iaroslavskii");
        assert_eq!(transliterate_lc_ascii("Щусев"), "shchusev");
        assert_eq!(transliterate_lc_ascii("Объём Ѳеодоръ"), "obem feodor");
        assert_eq!(transliterate_lc_ascii("Ґалєї Mix"), "galei mix");
        assert_eq!(lc_ascii('Ь'), Some(""));
        assert_eq!(lc_ascii_russian('ґ'), None);
        assert_eq!(lc_ascii_russian('ѣ'), Some("e"));
    }

    #[test]
    fn romanisations_fold_together() {
        for group in [
            &[
                "yaroslavskii",
                "yaroslavsky",
                "iaroslavskii",
                "jaroslavskij",
            ][..],
            &["zinoviev", "zinovev", "zinovyev"],
            &["yezhov", "ezhov"],
            &["khrushchev", "khrushchyov", "hrushchev"],
            &["kuibyshev", "kuybyshev", "kujbyshev"],
            &["trotsky", "trotskii", "trotzky"],
            &["mariia", "maria", "mariya"],
        ] {
            let keys: Vec<String> = group.iter().map(|w| fold_romanisation(w)).collect();
            assert!(keys.iter().all(|k| *k == keys[0]), "{group:?}: {keys:?}");
        }
        assert_eq!(fold_romanisation("iaroslavskii"), "iaroslavski");
        assert_eq!(fold_romanisation("1925"), "1925");
        assert_eq!(fold_romanisation(""), "");
        assert_eq!(fold_ascii_word("Zinov'yev"), "zinovev");
        // One pass can leave a pattern the fixed point takes out.
        assert_eq!(fold_romanisation("iie"), "ie");
        assert_eq!(fold_romanisation_fully("iie"), "e");
    }
}
