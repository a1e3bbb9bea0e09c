//! Snippets: the window of a text with the most matched words, cut at word
//! boundaries, the matches marked.
//!
//! The matcher already knows where the query's words are in the text (by
//! stem, romanisation key, prefix or edit distance), so the window is
//! chosen from those spans directly; running tantivy's snippet generator
//! as well would tokenize and stem the whole text a second time, which is
//! most of the cost of a search over long editorial texts. The word forms
//! of a text are cached (bounded), because the same documents come back
//! page after page and query after query.

use crate::index::Mark;
use crate::matcher::WordForm;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Most words the cache of word forms holds (about 100 bytes each); past
/// it the cache starts again empty.
const CACHE_WORDS: usize = 1_000_000;

/// Word forms of stored texts, by document id and field.
#[derive(Default)]
pub(crate) struct FormsCache {
    inner: Mutex<CacheInner>,
}

#[derive(Default)]
struct CacheInner {
    map: HashMap<(String, u32), Arc<Vec<WordForm>>>,
    words: usize,
}

impl FormsCache {
    pub(crate) fn get_or_make(
        &self,
        key: (String, u32),
        make: impl FnOnce() -> Vec<WordForm>,
    ) -> Arc<Vec<WordForm>> {
        if let Ok(inner) = self.inner.lock() {
            if let Some(f) = inner.map.get(&key) {
                return f.clone();
            }
        }
        // Made outside the lock: two threads may both make the same forms,
        // which is cheaper than one waiting for the other.
        let forms = Arc::new(make());
        if let Ok(mut inner) = self.inner.lock() {
            if inner.words + forms.len() > CACHE_WORDS {
                inner.map.clear();
                inner.words = 0;
            }
            inner.words += forms.len();
            inner.map.insert(key, forms.clone());
        }
        forms
    }

    /// Forgets every document's forms (their texts changed in place).
    pub(crate) fn clear(&self) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.map.clear();
            inner.words = 0;
        }
    }
}

fn escape(s: &str, mark: Mark) -> String {
    match mark {
        Mark::Guillemets => s.to_string(),
        Mark::Html => fond_text::escape_markup(s),
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The snippet of `text` around the matched word spans (`spans` are word
/// index ranges into `words`, sorted): the window of about `chars`
/// characters holding the most matches, with how many it holds.
pub(crate) fn cut(
    text: &str,
    words: &[WordForm],
    spans: &[(usize, usize)],
    chars: usize,
    mark: Mark,
) -> (usize, String) {
    let bytes: Vec<(usize, usize)> = spans
        .iter()
        .filter_map(|&(a, b)| {
            let first = words.get(a)?;
            let last = words.get(b.checked_sub(1)?)?;
            Some((first.from, last.to))
        })
        .collect();
    if bytes.is_empty() {
        return (0, String::new());
    }
    // A window measured in bytes: at most 4 per character, and most of the
    // texts are one byte per character; the cut below is by characters.
    let width = chars.max(20);
    let mut best = (0usize, 0usize); // (matches, first span)
    for i in 0..bytes.len() {
        let start = bytes[i].0;
        let n = bytes[i..]
            .iter()
            .take_while(|(_, e)| text[start..floor_boundary(text, *e)].chars().count() <= width)
            .count();
        if n > best.0 {
            best = (n, i);
        }
    }
    let (count, first) = best;
    let last = first + count.max(1) - 1;
    let covered = text[bytes[first].0..bytes[last].1].chars().count();
    // Left context: a third of what the matches leave free.
    let lead = width.saturating_sub(covered) / 3;
    let mut start = bytes[first].0;
    for (n, (i, _)) in text[..start].char_indices().rev().enumerate() {
        start = i;
        if n + 1 >= lead {
            break;
        }
    }
    // Start and end at word boundaries.
    if start > 0 {
        if let Some(ws) = text[start..bytes[first].0].find(char::is_whitespace) {
            start += ws;
        }
    }
    let mut end = text[start..]
        .char_indices()
        .nth(width)
        .map_or(text.len(), |(i, _)| start + i);
    if end < text.len() {
        if let Some(ws) = text[..end].rfind(char::is_whitespace) {
            if ws > bytes[last].1 {
                end = ws;
            }
        }
        end = end.max(bytes[last].1.min(text.len()));
    }
    let (open, close) = match mark {
        Mark::Guillemets => ("«", "»"),
        Mark::Html => ("<mark>", "</mark>"),
    };
    // Marks inside the window; words of one phrase that only whitespace
    // separates read as one mark.
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for &(a, b) in &bytes {
        if a < start || b > end {
            continue;
        }
        match ranges.last_mut() {
            Some(prev) if a >= prev.1 && text[prev.1..a].chars().all(char::is_whitespace) => {
                prev.1 = b;
            }
            Some(prev) if a < prev.1 => prev.1 = prev.1.max(b),
            _ => ranges.push((a, b)),
        }
    }
    let mut out = String::new();
    let mut at = start;
    for (a, b) in &ranges {
        out.push_str(&escape(&text[at..*a], mark));
        out.push_str(open);
        out.push_str(&escape(&text[*a..*b], mark));
        out.push_str(close);
        at = *b;
    }
    out.push_str(&escape(&text[at..end], mark));
    let mut line = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if !text[..start].trim().is_empty() {
        line.insert(0, '…');
    }
    if !text[end..].trim().is_empty() {
        line.push('…');
    }
    (ranges.len(), line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::ScriptStemmer;
    use crate::matcher::word_forms;

    fn spans_of(words: &[WordForm], stems: &[&str]) -> Vec<(usize, usize)> {
        words
            .iter()
            .enumerate()
            .filter(|(_, w)| stems.contains(&w.stem.as_str()))
            .map(|(i, _)| (i, i + 1))
            .collect()
    }

    #[test]
    fn the_window_with_most_matches_is_cut_at_words() {
        let text = "Grain at the start. ".to_string()
            + &"filler words here ".repeat(40)
            + "the grain procurements and more grain for export, said Molotov. "
            + &"tail words ".repeat(40);
        let words = word_forms(&text, &ScriptStemmer::default());
        let spans = spans_of(&words, &["grain"]);
        assert_eq!(spans.len(), 3);
        let (n, s) = cut(&text, &words, &spans, 80, Mark::Guillemets);
        assert_eq!(n, 2, "{s}");
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(
            s.contains("the «grain» procurements and more «grain»"),
            "{s}"
        );
        assert!(s.chars().count() <= 80 + 2 + 20, "{s}");
    }

    #[test]
    fn phrases_are_one_mark_and_html_is_escaped() {
        let text = "a <b> & the Special File, then";
        let words = word_forms(text, &ScriptStemmer::default());
        let spans = spans_of(&words, &["special", "file"]);
        let (n, s) = cut(text, &words, &spans, 200, Mark::Html);
        assert_eq!(n, 1);
        assert_eq!(s, "a &lt;b&gt; &amp; the <mark>Special File</mark>, then");
    }

    #[test]
    fn multibyte_texts_cut_on_characters() {
        let text =
            "Дорогой Молотов! ".repeat(30) + "Хлебозаготовки идут. " + &"Привет. ".repeat(30);
        let words = word_forms(&text, &ScriptStemmer::default());
        let spans: Vec<(usize, usize)> = words
            .iter()
            .enumerate()
            .filter(|(_, w)| w.folded.starts_with("хлеб"))
            .map(|(i, _)| (i, i + 1))
            .collect();
        let (n, s) = cut(&text, &words, &spans, 60, Mark::Guillemets);
        assert_eq!(n, 1);
        assert!(s.contains("«Хлебозаготовки»"), "{s}");
    }
}
