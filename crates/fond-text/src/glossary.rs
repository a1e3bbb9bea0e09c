//! A printed edition's glossary of names in Markdown: which lines open an
//! entry and which continue one. The book reader (for the names its
//! salutations use) and the authority (for the records) read the same
//! entries through this one rule.
//!
//! Entries come in two markups: `**Name** (dates). text` and `- Name**
//! (dates). text` (a conversion that lost the opening asterisks and made a
//! list item). A page break splits an entry: its continuation is a line of
//! its own, often with a list marker, but it never carries the `**` that
//! closes an entry's name — that tells entries from continuations.

/// One line of the glossary that starts an entry, with its continuation
/// lines joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEntry {
    /// 1-based line in the book.
    pub line: u32,
    /// The entry's text without the list marker and the opening `**`.
    pub text: String,
}

impl RawEntry {
    /// The entry's name (before the `**` that closes it, without a final
    /// dot) and the rest of its text.
    pub fn name_and_rest(&self) -> Option<(&str, &str)> {
        let (name, rest) = self.text.split_once("**")?;
        Some((name.trim().trim_end_matches('.'), rest.trim()))
    }
}

/// Where a section starts: the line whose text, without `#` marks, is
/// `title`. Returns the 0-based index of the line after it.
pub fn section_start(lines: &[&str], title: &str) -> Option<usize> {
    lines
        .iter()
        .position(|l| l.starts_with('#') && l.trim_start_matches('#').trim() == title)
        .map(|i| i + 1)
}

/// Does this line open an entry? It carries the `**` that closes the bold
/// name, after an opening `**` or a list marker.
pub fn is_entry_line(line: &str) -> bool {
    let t = line.trim_start();
    let body = if let Some(b) = t.strip_prefix("**") {
        b
    } else if let Some(b) = t.strip_prefix("- ") {
        b
    } else {
        return false;
    };
    body.contains("**")
}

/// The entries of the section titled `title`, up to the next top-level
/// heading, continuation lines joined to the entry they continue; `None`
/// when the book has no such section. Lines before the first entry are
/// the section's preamble and left out.
pub fn entries(lines: &[&str], title: &str) -> Option<Vec<RawEntry>> {
    let start = section_start(lines, title)?;
    let mut out: Vec<RawEntry> = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(start) {
        if line.starts_with("# ") {
            break;
        }
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if is_entry_line(line) {
            let body = t
                .strip_prefix("**")
                .or_else(|| t.strip_prefix("- "))
                .unwrap_or(t);
            out.push(RawEntry {
                line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                text: body.to_string(),
            });
        } else if let Some(last) = out.last_mut() {
            let cont = t.strip_prefix("- ").unwrap_or(t);
            join_continuation(&mut last.text, cont);
        }
    }
    Some(out)
}

/// Joins a continuation line, undoing an end-of-line hyphenation
/// (`Revolu-` + `tionary`).
fn join_continuation(text: &mut String, cont: &str) {
    let hyphenated = text.ends_with('-')
        && text[..text.len() - 1]
            .chars()
            .next_back()
            .is_some_and(char::is_alphabetic)
        && cont.chars().next().is_some_and(char::is_lowercase);
    if hyphenated {
        text.pop();
    } else {
        text.push(' ');
    }
    text.push_str(cont);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_markups_and_a_continuation() {
        let book = "# Glossary of Names\n\nThe preamble.\n\n**Abel, A. A.** (1880–1940). Revolu-\n- tionary.\n- Nikolai.** See Abel, A. A.\n\n# Index\n- Later.** not read";
        let lines: Vec<&str> = book.lines().collect();
        let e = entries(&lines, "Glossary of Names").unwrap_or_default();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].line, 5);
        assert_eq!(e[0].text, "Abel, A. A.** (1880–1940). Revolutionary.");
        assert_eq!(e[1].name_and_rest(), Some(("Nikolai", "See Abel, A. A.")));
        assert!(entries(&lines, "Chronology").is_none());
    }
}
