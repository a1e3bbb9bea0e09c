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
//! julian_before = "1918-02-14"     # dates before this day are Julian
//! century = 1800                   # two-digit years ('53) are 18xx
//! visibility = "embargoed"         # or "public", "restricted" (editors only)
//! embargo_until = "2040-01-01"     # the first day the collection is public
//!
//! [profile.note_authors]           # who the notes' signatures are
//! "U.S. editor" = "Lars T. Lih"    # a note signed "—U.S. Ed."
//! translator = "Catherine A. Fitzpatrick"
//! ```
//!
//! The readers say who wrote a note by its role (the edition's editors for
//! an unsigned note, an editor or the translator for a signed one) and the
//! signature as printed; `editors` and `note_authors` name them. A profile
//! is applied to what a reader recovered ([`apply`]), so it holds for every
//! reader alike.
//!
//! fond ships profiles for the editions it knows as files of the
//! repository's `profiles/` folder ([`BUILT_IN_FILES`]); one applies to the
//! source it names when no profile is given.
//!
//! `fond profile PATH` prints the profile fond infers for a source; the
//! editor adjusts it and ingests it beside the source (`--profile FILE`,
//! or any file of this shape among the inputs). A profile is stored in the
//! archive like a source, so changing it re-derives the edition. Files are
//! recognised by their content (the `[profile]` table with a `source`),
//! never by their name.

use crate::Parsed;
use fond_model::visibility::{Level, Setting, Target};
use fond_model::{Day, HistDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The files of the repository's `profiles/` folder, embedded at build time
/// (`build.rs`): `(file name, text)`.
pub const BUILT_IN_FILES: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/built_in_profiles.rs"));

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
    /// The first day of the Gregorian calendar for this edition's sources
    /// (`1918-02-14` in Soviet Russia): dates before it are Julian.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub julian_before: Option<String>,
    /// The century of two-digit years (`1800` reads `'53` as 1853).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub century: Option<i32>,
    /// Who may read the collection: `public`, `restricted` (editors only)
    /// or `embargoed` (public from `embargo_until` on). Applies to the
    /// profile's collection, or to its source's documents when it names no
    /// collection; an editor's `fond restrict`/`fond release` takes
    /// precedence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    /// The first day an embargoed collection is public (`YYYY-MM-DD`);
    /// alone, it makes the collection embargoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embargo_until: Option<String>,
    /// Names for the notes' authors as the readers label them (`editor`,
    /// `translator`, `U.S. editor`, an attribution as printed).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub note_authors: BTreeMap<String, String>,
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
            if let Some(d) = &f.profile.julian_before {
                if Day::parse_iso(d.trim()).is_none() {
                    return Err((
                        1,
                        format!("julian_before \"{d}\" is not a day; expected YYYY-MM-DD"),
                    ));
                }
            }
            visibility_of(&f.profile).map_err(|why| (1, why))?;
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

/// The level and embargo day a profile states, checked.
fn visibility_of(p: &Profile) -> Result<Option<(Level, Option<Day>)>, String> {
    let until =
        match p.embargo_until.as_deref() {
            None => None,
            Some(d) => Some(Day::parse_iso(d.trim()).ok_or_else(|| {
                format!("embargo_until \"{d}\" is not a day; expected YYYY-MM-DD")
            })?),
        };
    let level = match p.visibility.as_deref() {
        None if until.is_some() => Level::Embargoed,
        None => return Ok(None),
        Some(v) => Level::parse(v.trim()).ok_or_else(|| {
            format!(
                "unknown visibility \"{v}\"; expected \"public\", \"restricted\" or \"embargoed\""
            )
        })?,
    };
    match (level, until) {
        (Level::Embargoed, None) => {
            Err("visibility \"embargoed\" needs embargo_until = \"YYYY-MM-DD\"".into())
        }
        (Level::Public | Level::Restricted, Some(_)) => Err(format!(
            "embargo_until is for visibility \"embargoed\", not \"{}\"",
            level.as_str()
        )),
        _ => Ok(Some((level, until))),
    }
}

/// The visibility settings the stored profiles state (`(name, text)` of
/// each stored source of shape `profile`): one per profile that states
/// one, for its collection or, when it names none, for its source. Not
/// stored: read from the profiles whenever the archive is read, so they
/// always agree with the profiles the edition was derived from, and the
/// editors' stored settings take precedence
/// ([`fond_model::visibility::Rules::new`]). A profile that does not read
/// states nothing (ingest refused it with its line already).
pub fn visibility_settings<'a>(
    profiles: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<Setting> {
    let mut out = Vec::new();
    for (name, text) in profiles {
        let Ok(p) = parse(text) else { continue };
        let Ok(Some((level, until))) = visibility_of(&p) else {
            continue;
        };
        let target = match &p.collection {
            Some(c) => Target::Collection(c.clone()),
            None => Target::Source(p.source.clone()),
        };
        out.push(Setting {
            target,
            level,
            until,
            readers: Vec::new(),
            who: format!("profile {name}"),
            when: String::new(),
            why: "stated by the edition profile".into(),
            profile: Some(name.to_string()),
        });
    }
    out
}

/// The built-in profiles (`*.profile.toml`), read once. A file that does not
/// read is left out: a test reads them all.
static BUILT_IN: LazyLock<Vec<Profile>> = LazyLock::new(|| {
    BUILT_IN_FILES
        .iter()
        .filter(|(name, _)| name.ends_with(".profile.toml"))
        .filter_map(|(_, text)| parse(text).ok())
        .collect()
});

/// The built-in profile for a source of this name, if fond ships one.
pub fn built_in(source: &str) -> Option<&'static Profile> {
    BUILT_IN.iter().find(|p| p.source == source)
}

/// Applies what a profile knows to what a reader recovered: it names the
/// notes' authors and marks the dates its calendar rule makes Julian.
pub fn apply(p: &Profile, parsed: &mut Parsed) {
    let first_gregorian = p
        .julian_before
        .as_deref()
        .and_then(|d| Day::parse_iso(d.trim()));
    let all_julian = p.calendar.as_deref() == Some("julian") && first_gregorian.is_none();
    for doc in &mut parsed.documents {
        for note in &mut doc.notes {
            // A reader labels an author it cannot name by the role
            // ("editor") and one it can by the signature ("U.S. editor").
            let by = &mut note.by;
            if let Some(name) = p.note_authors.get(&by.label()) {
                by.name = name.clone();
            } else if by.is_unnamed_editors() {
                if let Some(name) = &p.editors {
                    by.name = name.clone();
                }
            }
        }
        let dates = [&mut doc.date.interval, &mut doc.date.written_interval];
        for d in dates.into_iter().flatten() {
            mark_calendar(d, all_julian, first_gregorian);
        }
    }
}

fn mark_calendar(d: &mut HistDate, all_julian: bool, first_gregorian: Option<Day>) {
    let julian = all_julian
        || match (first_gregorian, d.earliest.or(d.latest)) {
            (Some(switch), Some(day)) => day < switch,
            _ => false,
        };
    if julian {
        d.calendar = "julian".into();
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
    fn every_built_in_profile_reads() {
        let files: Vec<_> = BUILT_IN_FILES
            .iter()
            .filter(|(n, _)| n.ends_with(".profile.toml"))
            .collect();
        assert!(!files.is_empty(), "profiles/ holds no *.profile.toml");
        for (name, text) in files {
            let p = parse(text).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(built_in(&p.source), Some(&p), "{name}");
        }
    }

    #[test]
    fn a_profile_names_note_authors_and_marks_julian_dates() {
        use fond_model::{Document, Note, NoteAuthor, NoteRole};
        let text = "[profile]\nsource = \"a.txt\"\neditors = \"The editors\"\n\
                    julian_before = \"1918-02-14\"\n\
                    [profile.note_authors]\n\"U.S. editor\" = \"Lars T. Lih\"\n\
                    translator = \"C. F.\"\n";
        let p = parse(text).expect("profile");
        let note = |by: NoteAuthor| Note {
            n: 1,
            call: fond_model::CallForm::Lost,
            call_block: None,
            text: String::new(),
            by,
            archival_refs: vec![],
            cross_refs: vec![],
            special_file: false,
            relocated: false,
            line: 1,
        };
        let dated = |day: u8, month: u8, year: i32| {
            let d = Day::new(year, month, day);
            Document {
                date: fond_model::DocDate {
                    interval: Some(HistDate {
                        earliest: d,
                        latest: d,
                        calendar: "gregorian".into(),
                        ..HistDate::undetermined("")
                    }),
                    ..Default::default()
                },
                ..Document::new(format!("a/{day}"), "a", fond_model::DocKind::Letter)
            }
        };
        let mut first = dated(13, 2, 1918);
        first.notes = vec![
            note(NoteAuthor::editors()),
            note(NoteAuthor::new(NoteRole::Editor, "U.S. editor")),
            note(NoteAuthor::new(NoteRole::Translator, "")),
            note(NoteAuthor::other("A reader")),
        ];
        let mut parsed = Parsed {
            documents: vec![first, dated(14, 2, 1918)],
            ..Parsed::default()
        };
        apply(&p, &mut parsed);
        let names: Vec<_> = parsed.documents[0]
            .notes
            .iter()
            .map(|n| n.by.label())
            .collect();
        assert_eq!(names, ["The editors", "Lars T. Lih", "C. F.", "A reader"]);
        let cal = |i: usize| {
            parsed.documents[i]
                .date
                .interval
                .as_ref()
                .map(|d| d.calendar.clone())
        };
        assert_eq!(cal(0).as_deref(), Some("julian"));
        assert_eq!(cal(1).as_deref(), Some("gregorian"));
        assert!(parse("[profile]\nsource = \"a\"\njulian_before = \"soon\"\n").is_err());
    }

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

    #[test]
    fn a_profile_states_its_collections_visibility() {
        let embargo =
            "[profile]\nsource = \"a.txt\"\ncollection = \"c\"\nembargo_until = \"2040-01-01\"\n";
        let s = visibility_settings([("a.profile.toml", embargo)]);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].target, Target::Collection("c".into()));
        assert_eq!(s[0].level, Level::Embargoed);
        assert_eq!(s[0].until, Day::new(2040, 1, 1));
        assert_eq!(s[0].profile.as_deref(), Some("a.profile.toml"));
        let restricted = "[profile]\nsource = \"b.txt\"\nvisibility = \"restricted\"\n";
        let s = visibility_settings([("b.toml", restricted)]);
        assert_eq!(s[0].target, Target::Source("b.txt".into()));
        assert!(visibility_settings([("n.toml", "[profile]\nsource = \"n\"\n")]).is_empty());
        for bad in [
            "visibility = \"secret\"",
            "visibility = \"embargoed\"",
            "visibility = \"restricted\"\nembargo_until = \"2040-01-01\"",
            "embargo_until = \"soon\"",
        ] {
            let text = format!("[profile]\nsource = \"a\"\n{bad}\n");
            assert!(parse(&text).is_err(), "{bad}");
        }
    }
}
