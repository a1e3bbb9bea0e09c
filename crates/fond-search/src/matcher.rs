//! Finding a query's terms in a document's text, word by word, the way the
//! index matched them: by stem, by romanisation key, by prefix, within an
//! edit distance, as a phrase. Snippets and the concordance both use it,
//! so what they mark is what the search found.

use crate::analysis::{fold, pre_reform, roman_key, ScriptStemmer, WordTokenizer};
use crate::names::NameVariants;
use crate::query::{ParsedQuery, TextTerm};
use tantivy::tokenizer::{TokenStream, Tokenizer};

/// One word of a text in each of the forms the index knows it by.
#[derive(Debug, Clone)]
pub struct WordForm {
    /// Byte offsets into the text.
    pub from: usize,
    pub to: usize,
    /// Case, apostrophes, accents and pre-reform letters folded.
    pub folded: String,
    /// `folded` stemmed (what the text fields hold).
    pub stem: String,
    /// The romanisation key (what the key fields hold).
    pub key: String,
}

/// The words of `text` in all their forms, as the analyzers make them.
pub fn word_forms(text: &str, stemmer: &ScriptStemmer) -> Vec<WordForm> {
    let mut out = Vec::new();
    let mut tok = WordTokenizer::default();
    let mut stream = tok.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        let folded = pre_reform(&fold(&t.text));
        // The same drop rule as the `Fold` filter.
        if folded.is_empty() || folded.len() > 64 {
            continue;
        }
        let stem = stemmer.stem(&folded);
        let key = roman_key(&folded);
        out.push(WordForm {
            from: t.offset_from,
            to: t.offset_to,
            folded,
            stem,
            key,
        });
    }
    out
}

#[derive(Debug, Clone)]
enum Pattern {
    /// Consecutive stems (one for a word).
    Stems(Vec<String>, u32),
    /// Consecutive keys (one for a word).
    Keys(Vec<String>),
    Prefix {
        folded: String,
        stem: String,
        key: String,
    },
    Fuzzy {
        stem: String,
        key: String,
        distance: u8,
    },
}

/// The positive text terms of a query, ready to be found in texts.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    patterns: Vec<Pattern>,
}

impl Matcher {
    pub fn new(q: &ParsedQuery, variants: &dyn NameVariants) -> Matcher {
        let stemmer = ScriptStemmer::default();
        let forms = |s: &str| word_forms(s, &stemmer);
        let mut patterns = Vec::new();
        for t in q.positive_terms() {
            match t {
                TextTerm::Word(w) => {
                    let f = forms(&w);
                    if f.is_empty() {
                        continue;
                    }
                    patterns.push(Pattern::Stems(
                        f.iter().map(|x| x.stem.clone()).collect(),
                        0,
                    ));
                    patterns.push(Pattern::Keys(f.iter().map(|x| x.key.clone()).collect()));
                    for k in variants.keys(&w) {
                        let keys: Vec<String> = forms(&k).into_iter().map(|x| x.key).collect();
                        if !keys.is_empty() {
                            patterns.push(Pattern::Keys(keys));
                        }
                    }
                }
                TextTerm::Phrase { text, slop } => {
                    let f = forms(&text);
                    if f.is_empty() {
                        continue;
                    }
                    patterns.push(Pattern::Stems(
                        f.iter().map(|x| x.stem.clone()).collect(),
                        slop,
                    ));
                    patterns.push(Pattern::Keys(f.iter().map(|x| x.key.clone()).collect()));
                }
                TextTerm::Prefix(p) => {
                    let folded = pre_reform(&fold(&p));
                    let key = roman_key(&folded);
                    let stem = stemmer.stem(&folded);
                    patterns.push(Pattern::Prefix { folded, stem, key });
                }
                TextTerm::Fuzzy { word, distance } => {
                    if let Some(f) = forms(&word).into_iter().next() {
                        patterns.push(Pattern::Fuzzy {
                            stem: f.stem,
                            key: f.key,
                            distance,
                        });
                    }
                }
            }
        }
        for m in q.mentioned() {
            for k in variants.keys(&m) {
                let keys: Vec<String> = forms(&k).into_iter().map(|x| x.key).collect();
                if !keys.is_empty() {
                    patterns.push(Pattern::Keys(keys));
                }
            }
        }
        Matcher { patterns }
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The matches in `words` as inclusive-exclusive word index ranges,
    /// sorted and without overlaps.
    pub fn find(&self, words: &[WordForm]) -> Vec<(usize, usize)> {
        let mut hits: Vec<(usize, usize)> = Vec::new();
        for p in &self.patterns {
            match p {
                Pattern::Stems(seq, slop) => find_seq(words, seq, *slop, |w| &w.stem, &mut hits),
                Pattern::Keys(seq) => find_seq(words, seq, 0, |w| &w.key, &mut hits),
                Pattern::Prefix { folded, stem, key } => {
                    for (i, w) in words.iter().enumerate() {
                        if w.folded.starts_with(folded.as_str())
                            || w.stem.starts_with(stem.as_str())
                            || (!key.is_empty() && w.key.starts_with(key.as_str()))
                        {
                            hits.push((i, i + 1));
                        }
                    }
                }
                Pattern::Fuzzy {
                    stem,
                    key,
                    distance,
                } => {
                    for (i, w) in words.iter().enumerate() {
                        if within(&w.stem, stem, *distance) || within(&w.key, key, *distance) {
                            hits.push((i, i + 1));
                        }
                    }
                }
            }
        }
        hits.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (a, b) in hits {
            match merged.last_mut() {
                Some(last) if a < last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        merged
    }
}

/// Occurrences of `seq` (by the chosen form) in `words`; with a slop, the
/// words may stand up to `slop` words apart in total, in order.
fn find_seq(
    words: &[WordForm],
    seq: &[String],
    slop: u32,
    form: impl Fn(&WordForm) -> &String,
    hits: &mut Vec<(usize, usize)>,
) {
    let Some(first) = seq.first() else {
        return;
    };
    for i in 0..words.len() {
        if form(&words[i]) != first {
            continue;
        }
        let mut at = i;
        let mut budget = slop as usize;
        let mut ok = true;
        for want in &seq[1..] {
            let last = (at + 1 + budget).min(words.len().saturating_sub(1));
            let found = words
                .get(at + 1..=last)
                .and_then(|w| w.iter().position(|x| form(x) == want))
                .map(|k| at + 1 + k);
            match found {
                Some(j) => {
                    budget -= j - at - 1;
                    at = j;
                }
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            hits.push((i, at + 1));
        }
    }
}

/// Whether the edit distance (with transpositions) between `a` and `b` is
/// at most `d`. Words are short; a plain dynamic programme is enough.
pub fn within(a: &str, b: &str, d: u8) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let d = d as usize;
    if a.len().abs_diff(b.len()) > d {
        return false;
    }
    let n = b.len();
    let mut prev2 = vec![0usize; n + 1];
    let mut prev: Vec<usize> = (0..=n).collect();
    let mut cur = vec![0usize; n + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > d {
            return false;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[n] <= d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::RomanisationVariants;
    use crate::query::parse;

    fn marked(q: &str, text: &str) -> Vec<String> {
        let p = parse(q).unwrap_or_else(|e| panic!("{e}"));
        let m = Matcher::new(&p, &RomanisationVariants);
        let w = word_forms(text, &ScriptStemmer::default());
        m.find(&w)
            .into_iter()
            .map(|(a, b)| text[w[a].from..w[b - 1].to].to_string())
            .collect()
    }

    #[test]
    fn marks_stems_keys_phrases_prefixes_and_fuzzy() {
        assert_eq!(
            marked("grain", "Grains and the grain crisis"),
            vec!["Grains", "grain"]
        );
        assert_eq!(
            marked("Бухарин", "Tell Bukharin's people"),
            vec!["Bukharin's"]
        );
        assert_eq!(
            marked("\"grain crisis\"", "grain and the grain crisis"),
            vec!["grain crisis"]
        );
        assert_eq!(
            marked("collectiv*", "mass collectivization now"),
            vec!["collectivization"]
        );
        assert_eq!(marked("Zinovev~1", "Zinoviev spoke"), vec!["Zinoviev"]);
        assert_eq!(
            marked("mentions:Ярославский", "Yaroslavsky wrote"),
            vec!["Yaroslavsky"]
        );
        assert!(marked("-grain wheat", "grain").is_empty());
    }

    #[test]
    fn slop_allows_words_between() {
        assert_eq!(
            marked("\"grain crisis\"~2", "grain procurement crisis"),
            vec!["grain procurement crisis"]
        );
        assert!(marked("\"grain crisis\"~0", "grain procurement crisis")
            .iter()
            .all(|s| s != "grain procurement crisis"));
    }

    #[test]
    fn edit_distance() {
        assert!(within("bukharin", "bukharine", 1));
        assert!(within("zinovev", "zinoviev", 1));
        assert!(within("molotov", "mlootov", 1));
        assert!(!within("molotov", "stalin", 2));
        assert!(!within("", "a", 2));
    }
}
