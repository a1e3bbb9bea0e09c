//! Just enough name knowledge to name a letter's parties: the surnames and
//! cross-reference aliases of the book's Glossary of Names ("Nikolai. See
//! Bukharin"), and the forename the book pairs with its addressee
//! ("Viacheslav Molotov"). The full authority file is `fond-authority`'s
//! job; this only reads what the salutations need.

use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

static SEE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:See|Nickname (?:for|of)|Pseudonym (?:for|of))\s+(?:[A-Z]\.\s*)*([A-Z][\w'’-]+)",
    )
    .expect("static regex")
});

/// Words of address that are not names.
const NOT_NAMES: &[&str] = &[
    "Com",
    "Coms",
    "Comrade",
    "Comrades",
    "Dear",
    "Hello",
    "Hi",
    "Greetings",
    "To",
    "Mr",
    "Again",
    "And",
    "Other",
    "Friends",
    "For",
    "Our",
    "The",
    "Seven",
    "Regards",
    "Yours",
    "Decipher",
    "Immediately",
];

#[derive(Debug, Default, Clone)]
pub struct NameBook {
    /// Surnames known from the glossary.
    pub surnames: BTreeSet<String>,
    /// Alias (first name, nickname) → surname.
    pub aliases: BTreeMap<String, String>,
    /// The edition's addressee, for nicknames built on the surname.
    pub recipient: Option<String>,
}

impl NameBook {
    pub fn from_book(lines: &[&str], author: Option<&str>, recipient: Option<&str>) -> NameBook {
        let mut book = NameBook {
            recipient: recipient.map(str::to_string),
            ..NameBook::default()
        };
        if let Some(a) = author {
            book.surnames.insert(a.to_string());
        }
        let entries = fond_text::glossary::entries(lines, "Glossary of Names").unwrap_or_default();
        for entry in &entries {
            let Some((name, rest)) = entry.name_and_rest() else {
                continue;
            };
            if let Some(see) = SEE.captures(rest) {
                book.aliases
                    .insert(name.to_string(), see[1].trim_end_matches(',').to_string());
                continue;
            }
            let surname = name.split([',', '(']).next().unwrap_or("").trim();
            if !surname.is_empty() {
                book.surnames.insert(surname.to_string());
            }
        }
        if let Some(r) = recipient {
            book.surnames.insert(r.to_string());
            // The forename the text most often sets before the recipient's
            // surname ("Viacheslav Molotov").
            let pat = format!(r"\b([A-Z][a-z]{{3,}})\s+{}\b", regex::escape(r));
            if let Ok(re) = Regex::new(&pat) {
                let mut counts: BTreeMap<String, usize> = BTreeMap::new();
                for line in lines {
                    for c in re.captures_iter(line) {
                        let w = c[1].to_string();
                        if !NOT_NAMES.contains(&w.as_str()) && !book.surnames.contains(&w) {
                            *counts.entry(w).or_default() += 1;
                        }
                    }
                }
                if let Some((w, _)) = counts
                    .into_iter()
                    .max_by_key(|(w, n)| (*n, std::cmp::Reverse(w.clone())))
                {
                    book.aliases.entry(w).or_insert_with(|| r.to_string());
                }
            }
        }
        book
    }

    /// The surname a word of a salutation or signature stands for.
    pub fn resolve(&self, word: &str) -> Option<String> {
        let w = word.trim_matches(|c: char| !c.is_alphanumeric());
        let w = w.strip_suffix("'s").unwrap_or(w);
        if w.is_empty() || NOT_NAMES.contains(&w) {
            return None;
        }
        if self.surnames.contains(w) {
            return Some(w.to_string());
        }
        if let Some(s) = self.aliases.get(w) {
            return Some(s.clone());
        }
        // Nicknames built on the recipient's surname: Molotovich,
        // Molotshtein.
        if let Some(r) = &self.recipient {
            let stem: String = r.chars().take(5).collect();
            if w.len() > r.len().min(5) && w.starts_with(&stem) {
                return Some(r.clone());
            }
        }
        None
    }

    /// The names in a phrase like "Molotov and Bukharin"; words the book
    /// does not know are kept as printed (a telegram form names its
    /// parties plainly).
    pub fn names_or_words(&self, text: &str) -> Vec<String> {
        let known = self.names_in(text);
        if !known.is_empty() {
            return known;
        }
        text.split([',', ' '])
            .map(|w| w.trim())
            .filter(|w| {
                w.chars().next().is_some_and(|c| c.is_uppercase()) && !NOT_NAMES.contains(w)
            })
            .map(str::to_string)
            .collect()
    }

    /// The names a salutation or address line addresses, in order.
    pub fn names_in(&self, text: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for w in text.split(|c: char| {
            c.is_whitespace() || c == ',' || c == ':' || c == '!' || c == '(' || c == ')'
        }) {
            if !w.chars().next().is_some_and(|c| c.is_uppercase()) {
                continue;
            }
            if let Some(s) = self.resolve(w) {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glossary_aliases_forenames_and_nicknames() {
        let lines = vec![
            "In 1926 Viacheslav Molotov was promoted; Viacheslav Molotov again.",
            "## Glossary of Names",
            "**Bukharin, N. I.** (1888–1938). Politburo member.",
            "- Nikolai.** See Bukharin, N. I.",
            "**Sergo.** See Ordzhonikidze, G. K.",
            "- Koba.** Nickname for Stalin.",
            "- Ordzhonikidze, G. K.** (1886–1937).",
        ];
        let b = NameBook::from_book(&lines, Some("Stalin"), Some("Molotov"));
        assert_eq!(
            b.names_in("Dear Viacheslav and Nikolai,"),
            vec!["Molotov", "Bukharin"]
        );
        assert_eq!(
            b.names_in("Coms. Molotov and Ordzhonikidze,"),
            vec!["Molotov", "Ordzhonikidze"]
        );
        assert_eq!(b.names_in("Hello Molotshtein,"), vec!["Molotov"]);
        assert_eq!(b.names_in("Molotovich,"), vec!["Molotov"]);
        assert_eq!(b.resolve("Koba").as_deref(), Some("Stalin"));
        assert!(b.names_in("Hello again,").is_empty());
    }
}
