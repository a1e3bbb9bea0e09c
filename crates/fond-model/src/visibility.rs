//! Who may read what: restricted and embargoed material.
//!
//! Visibility is data an editor sets (or an edition profile states for a
//! whole collection), never something derived from a source's text, so it
//! survives every re-ingest. A setting names a target (a document, a
//! collection or a source), a level (public, restricted, embargoed until a
//! day) and who set it, when and why. [`Rules`] decides a document's
//! visibility from all settings; [`Rules::hidden`] answers for one viewer on
//! one day, so an embargo lapses on its day without anything being
//! rewritten.

use crate::{Day, Document};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// How visible a target is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Anyone may read it.
    Public,
    /// Until a day ([`Setting::until`]), then public.
    Embargoed,
    /// Editors only, and the readers the setting names.
    Restricted,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Public => "public",
            Level::Embargoed => "embargoed",
            Level::Restricted => "restricted",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "public" => Some(Level::Public),
            "embargoed" => Some(Level::Embargoed),
            "restricted" => Some(Level::Restricted),
            _ => None,
        }
    }
}

/// What a setting is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum Target {
    /// One document, by id.
    Document(String),
    /// Every document of a collection.
    Collection(String),
    /// Every document with a witness in a source (by the name the archive
    /// gives it): a source's text must not reach the public through any
    /// document it witnesses.
    Source(String),
}

impl Target {
    /// `document`, `collection` or `source`.
    pub fn kind(&self) -> &'static str {
        match self {
            Target::Document(_) => "document",
            Target::Collection(_) => "collection",
            Target::Source(_) => "source",
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Target::Document(s) | Target::Collection(s) | Target::Source(s) => s,
        }
    }

    /// A target from its kind and id.
    pub fn from_parts(kind: &str, id: &str) -> Option<Target> {
        match kind {
            "document" => Some(Target::Document(id.to_string())),
            "collection" => Some(Target::Collection(id.to_string())),
            "source" => Some(Target::Source(id.to_string())),
            _ => None,
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind(), self.id())
    }
}

/// One visibility setting: the target, its level, and who set it when and
/// why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setting {
    pub target: Target,
    pub level: Level,
    /// The first day an embargoed target is public; `None` otherwise.
    pub until: Option<Day>,
    /// Readers allowed besides the editors (by account name): a closed
    /// target stays open to them.
    #[serde(default)]
    pub readers: Vec<String>,
    /// Who set it (an editor's name, or `profile NAME`).
    pub who: String,
    /// When, as RFC 3339 UTC (`2026-12-06T07:30:00Z`).
    pub when: String,
    pub why: String,
    /// The edition profile that states it (a source name), when it comes
    /// from one rather than from an editor. Editors' settings take
    /// precedence over a profile's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
}

impl Setting {
    /// Whether the target is closed to the public on `today`: restricted,
    /// or embargoed and the day not yet come (an embargo without a day
    /// never lapses on its own).
    pub fn closed_on(&self, today: Day) -> bool {
        match self.level {
            Level::Public => false,
            Level::Restricted => true,
            Level::Embargoed => self.until.is_none_or(|u| today < u),
        }
    }

    /// How much a setting withholds, for choosing between the settings of
    /// a document's collection and its sources: restricted over embargoed,
    /// a later embargo over an earlier one, both over public.
    fn weight(&self) -> (Level, Option<Day>) {
        (self.level, self.until)
    }
}

/// An account's role in the reading room: what its holder may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads public material, and what a setting names them in.
    Reader,
    /// Reads everything; corrects, reviews, sets visibility.
    Editor,
    /// An editor who also manages the accounts.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Reader, Role::Editor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether the role may write (corrections, visibility).
    pub fn edits(self) -> bool {
        matches!(self, Role::Editor | Role::Admin)
    }

    /// The viewer an account of this role and name reads as.
    pub fn viewer(self, name: &str) -> Viewer {
        match self {
            Role::Reader => Viewer::Reader(name.to_string()),
            Role::Editor | Role::Admin => Viewer::Editor,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who is reading: the public (no login), a reader with an account (by
/// name: the settings that name them open to them), or an editor. The
/// reading room decides it from the request's session in one place (its
/// `Scope` extractor); the CLI's reading commands are the editors'.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Viewer {
    /// Anyone: sees public material only.
    #[default]
    Public,
    /// A logged-in reader: public material, and closed material whose
    /// deciding setting names them among its readers.
    Reader(String),
    /// An editor: sees everything.
    Editor,
}

impl Viewer {
    /// Whether this viewer may read everything closed to the public.
    pub fn sees_restricted(&self) -> bool {
        matches!(self, Viewer::Editor)
    }

    /// Whether this viewer is named by a setting's readers.
    fn named_in(&self, s: &Setting) -> bool {
        match self {
            Viewer::Reader(name) => s.readers.iter().any(|r| r == name),
            _ => false,
        }
    }
}

/// Every setting in force, by target, ready to decide documents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rules {
    documents: BTreeMap<String, Setting>,
    collections: BTreeMap<String, Setting>,
    sources: BTreeMap<String, Setting>,
}

impl Rules {
    /// The rules from the editors' stored settings (the latest per target)
    /// and the profiles' settings; for the same target an editor's setting
    /// wins over a profile's.
    pub fn new(stored: Vec<Setting>, from_profiles: Vec<Setting>) -> Rules {
        let mut rules = Rules::default();
        for s in from_profiles.into_iter().chain(stored) {
            let map = match &s.target {
                Target::Document(_) => &mut rules.documents,
                Target::Collection(_) => &mut rules.collections,
                Target::Source(_) => &mut rules.sources,
            };
            map.insert(s.target.id().to_string(), s);
        }
        rules
    }

    /// Every setting, documents first, then collections, then sources.
    pub fn settings(&self) -> impl Iterator<Item = &Setting> {
        self.documents
            .values()
            .chain(self.collections.values())
            .chain(self.sources.values())
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty() && self.collections.is_empty() && self.sources.is_empty()
    }

    /// The setting that decides a document: its own when it has one (so an
    /// editor can release one letter of a restricted collection, or
    /// restrict one of a public one); otherwise the most withholding of its
    /// collection's and its witnesses' sources' settings; `None`: public.
    pub fn deciding(&self, d: &Document) -> Option<&Setting> {
        if let Some(s) = self.documents.get(&d.id) {
            return Some(s);
        }
        self.collections
            .get(&d.collection)
            .into_iter()
            .chain(
                d.witnesses
                    .iter()
                    .filter_map(|w| self.sources.get(&w.source)),
            )
            .max_by_key(|s| s.weight())
    }

    /// Whether `viewer` may not see `d` on `today`: the deciding setting
    /// closes it, and the viewer is neither an editor nor one of the
    /// readers that setting names.
    pub fn hidden(&self, d: &Document, viewer: &Viewer, today: Day) -> bool {
        !viewer.sees_restricted()
            && self
                .deciding(d)
                .is_some_and(|s| s.closed_on(today) && !viewer.named_in(s))
    }

    /// Whether any setting names this reader: when none does, a reader
    /// sees what the public sees.
    pub fn names_reader(&self, name: &str) -> bool {
        self.settings().any(|s| s.readers.iter().any(|r| r == name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DocKind, Witness};

    fn setting(target: Target, level: Level, until: Option<Day>) -> Setting {
        Setting {
            target,
            level,
            until,
            readers: Vec::new(),
            who: "ed".into(),
            when: "2026-01-01T00:00:00Z".into(),
            why: "test".into(),
            profile: None,
        }
    }

    fn day(s: &str) -> Day {
        Day::parse_iso(s).unwrap_or(Day {
            year: 1,
            month: 1,
            day: 1,
        })
    }

    #[test]
    fn an_embargo_lapses_on_its_day() {
        let s = setting(
            Target::Document("c/1".into()),
            Level::Embargoed,
            Some(day("2030-01-01")),
        );
        assert!(s.closed_on(day("2029-12-31")));
        assert!(!s.closed_on(day("2030-01-01")));
        let rules = Rules::new(vec![s], vec![]);
        let d = Document::new("c/1", "c", DocKind::Letter);
        assert!(rules.hidden(&d, &Viewer::Public, day("2029-12-31")));
        assert!(!rules.hidden(&d, &Viewer::Editor, day("2029-12-31")));
        assert!(!rules.hidden(&d, &Viewer::Public, day("2030-01-02")));
    }

    #[test]
    fn a_document_setting_wins_and_editors_win_over_profiles() {
        let mut d = Document::new("c/1", "c", DocKind::Letter);
        d.witnesses.push(Witness {
            source: "s.txt".into(),
            first_line: 1,
            last_line: 2,
            label: "s".into(),
            text: String::new(),
            markup: Default::default(),
        });
        let today = day("2026-06-01");
        let mut profile = setting(Target::Collection("c".into()), Level::Restricted, None);
        profile.profile = Some("c.profile.toml".into());
        let rules = Rules::new(vec![], vec![profile.clone()]);
        assert!(rules.hidden(&d, &Viewer::Public, today));
        // The editor releases the collection: the profile no longer holds.
        let released = setting(Target::Collection("c".into()), Level::Public, None);
        let rules = Rules::new(vec![released], vec![profile.clone()]);
        assert!(!rules.hidden(&d, &Viewer::Public, today));
        // A restricted source closes the documents it witnesses.
        let src = setting(Target::Source("s.txt".into()), Level::Restricted, None);
        let rules = Rules::new(vec![src.clone()], vec![]);
        assert!(rules.hidden(&d, &Viewer::Public, today));
        // Released one by one.
        let one = setting(Target::Document("c/1".into()), Level::Public, None);
        let rules = Rules::new(vec![src, one], vec![profile]);
        assert!(!rules.hidden(&d, &Viewer::Public, today));
    }

    #[test]
    fn a_named_reader_sees_what_the_setting_names_them_in() {
        let d = Document::new("c/1", "c", DocKind::Letter);
        let today = day("2026-06-01");
        let mut s = setting(Target::Document("c/1".into()), Level::Restricted, None);
        s.readers = vec!["ada".into()];
        let rules = Rules::new(vec![s], vec![]);
        assert!(!rules.hidden(&d, &Role::Reader.viewer("ada"), today));
        assert!(rules.hidden(&d, &Role::Reader.viewer("bob"), today));
        assert!(rules.hidden(&d, &Viewer::Public, today));
        assert!(!rules.hidden(&d, &Role::Editor.viewer("bob"), today));
        assert!(rules.names_reader("ada") && !rules.names_reader("bob"));
        assert_eq!(Role::parse("admin"), Some(Role::Admin));
        assert_eq!(Role::parse("root"), None);
    }
}
