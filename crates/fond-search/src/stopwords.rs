//! English function words, left out of "similar documents": they occur in
//! every letter and say nothing about what it is about.

const ENGLISH: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "before", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has",
    "have", "he", "her", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "me",
    "more", "my", "no", "not", "now", "of", "on", "one", "or", "other", "our", "out", "over",
    "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "to", "up", "us", "very", "was", "we", "were", "what",
    "when", "which", "who", "will", "with", "would", "you", "your",
];

/// The stop words as the text analyzer indexes them (stemmed).
pub fn english() -> Vec<String> {
    let stemmer = crate::analysis::ScriptStemmer::default();
    let mut out: Vec<String> = ENGLISH.iter().map(|w| stemmer.stem(w)).collect();
    out.sort();
    out.dedup();
    out
}
