//! Edition profiles: what one collection knows that its text does not say,
//! as data rather than code.
//!
//! A profile is a small TOML file naming the source it is for:
//!
//! ```toml
//! # fond edition profile
//! [profile]
//! source = "keats-letters.gutenberg-35698.txt"
//! shape = "plain-letters"          # the reader to use (else the best fit)
//! collection = "keats-letters"     # the collection's id in the archive
//! title = "Letters of John Keats to His Family and Friends"
//! author = "John Keats"            # who wrote the letters, unless a heading says otherwise
//! recipient = "Fanny Brawne"       # who received them, unless a heading says otherwise
//! editors = "Sidney Colvin"        # who wrote the notes nobody signed
//! calendar = "gregorian"           # or "julian"
//! century = 1800                   # two-digit years ('53) are 18xx
//! ```
//!
//! `fond profile PATH` prints the profile fond infers for a source; the
//! editor adjusts it and ingests it beside the source (`--profile FILE`,
//! or any file of this shape among the inputs). A profile is stored in the
//! archive like a source, so changing it re-derives the edition. Files are
//! recognised by their content (the `[profile]` table with a `source`),
//! never by their name.

use serde::{Deserialize, Serialize};

/// One collection's profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The source file the profile is for, as the archive names it.
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// Who wrote the notes that carry no attribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editors: Option<String>,
    /// `gregorian` (the default) or `julian`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    /// The century of two-digit years (`1800` reads `'53` as 1853).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub century: Option<i32>,
}

#[derive(Debug, Serialize, Deserialize)]
struct File {
    profile: Profile,
}

/// Whether a text is a profile: a TOML document with a `[profile]` table.
pub fn detect(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .take(1)
        .any(|l| l == "[profile]")
}

/// Reads a profile; the error names the line and what is wrong.
pub fn parse(text: &str) -> Result<Profile, (u32, String)> {
    match toml::from_str::<File>(text) {
        Ok(f) => {
            if let Some(s) = &f.profile.shape {
                if fond_model::SourceShape::parse(s).is_none() {
                    return Err((
                        1,
                        format!("unknown shape \"{s}\"; expected one of {}", shapes()),
                    ));
                }
            }
            if let Some(c) = &f.profile.calendar {
                if c != "gregorian" && c != "julian" {
                    return Err((
                        1,
                        format!("unknown calendar \"{c}\"; expected \"gregorian\" or \"julian\""),
                    ));
                }
            }
            Ok(f.profile)
        }
        Err(e) => {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() as u32 + 1)
                .unwrap_or(1);
            Err((line, e.message().to_string()))
        }
    }
}

/// The names of the shapes a profile may choose.
pub fn shapes() -> String {
    fond_model::SourceShape::ALL
        .iter()
        .filter(|s| **s != fond_model::SourceShape::Profile)
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The profile as TOML, with a comment line on top.
pub fn to_toml(p: &Profile, comments: &[String]) -> String {
    let mut out = String::from("# fond edition profile\n");
    for c in comments {
        out.push_str("# ");
        out.push_str(c);
        out.push('\n');
    }
    let body = toml::to_string(&File { profile: p.clone() }).unwrap_or_default();
    out.push_str(&body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_reads_and_writes_back() {
        let p = Profile {
            source: "a.txt".into(),
            shape: Some("plain-letters".into()),
            century: Some(1800),
            ..Profile::default()
        };
        let t = to_toml(&p, &["inferred".into()]);
        assert!(detect(&t));
        assert_eq!(parse(&t), Ok(p));
    }

    #[test]
    fn mistakes_are_named_with_their_line() {
        let (line, why) = parse("[profile]\nsource = \"a\"\nshape = \"poem\"\n").unwrap_err();
        assert_eq!(line, 1);
        assert!(why.contains("unknown shape"));
        let (line, why) = parse("[profile]\nsource = \"a\"\ncentury = \"x\"\n").unwrap_err();
        assert_eq!(line, 3, "{why}");
        assert!(parse("[profile]\nsource = \"a\"\nspelling = 1\n").is_err());
        assert!(!detect("Letters of X\n[profile]\n"));
    }
}
