//! The authority file of bodies (institutions) and periodicals.
//!
//! The tables are data, not code: `profiles/soviet-institutions.bodies.toml`
//! (the reference corpus's institutions, with where each row comes from),
//! embedded at build time. Their shapes are [`Body`] and [`Periodical`].

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::LazyLock;

/// Stable id of a body: a readable slug (`politburo`, `commissariat-finance`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BodyId(pub String);

impl fmt::Display for BodyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Stable id of a periodical (`pravda`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PeriodicalId(pub String);

impl fmt::Display for PeriodicalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which side of the system a body belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BodyKind {
    Party,
    State,
    /// Security police: a state body "even more thoroughly politicized
    /// than most" (Institutional Background).
    Security,
    Military,
    Comintern,
    TradeUnion,
    /// An informal group (the "seven").
    Informal,
}

/// An institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    pub id: BodyId,
    /// The name the edition uses.
    pub name: String,
    pub kind: BodyKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<BodyId>,
    /// Other English names (`Council of People's Commissars`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Abbreviations, Latin and Cyrillic (`STO`, `СТО`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub abbreviations: Vec<String>,
    /// Russian names in Cyrillic; their romanisations are search keys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub russian: Vec<String>,
    /// Portfolio words that follow "commissar of" (commissariats only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub portfolio: Vec<String>,
    /// Names matched only in the parser of glossary offices, never in
    /// running text (too ambiguous there).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub office_only: Vec<String>,
}

/// A newspaper or journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Periodical {
    pub id: PeriodicalId,
    /// Title as the edition prints it (italic in print).
    pub title: String,
    /// The English gloss the edition gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation: Option<String>,
    /// Other spellings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub russian: Vec<String>,
    /// The body that published it, where the book says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<BodyId>,
}

/// The embedded table file.
const TABLES: &str = include_str!("../../../profiles/soviet-institutions.bodies.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Tables {
    #[serde(default)]
    body: Vec<Body>,
    #[serde(default)]
    periodical: Vec<Periodical>,
}

/// The tables, read once. A table that does not read leaves both empty; a
/// test reads it, so that cannot ship.
static BUILT_IN: LazyLock<Tables> = LazyLock::new(|| {
    toml::from_str(TABLES).unwrap_or(Tables {
        body: Vec::new(),
        periodical: Vec::new(),
    })
});

/// The built-in body table.
pub fn builtin_bodies() -> Vec<Body> {
    BUILT_IN.body.clone()
}

/// The built-in periodicals table.
pub fn builtin_periodicals() -> Vec<Periodical> {
    BUILT_IN.periodical.clone()
}

impl Body {
    /// Every name the body goes by in running text.
    pub fn names(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.name)
            .chain(&self.aliases)
            .chain(&self.abbreviations)
            .chain(&self.russian)
    }
}

impl Periodical {
    pub fn names(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.title)
            .chain(&self.aliases)
            .chain(&self.russian)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_file_reads() {
        if let Err(e) = toml::from_str::<Tables>(TABLES) {
            panic!("profiles/soviet-institutions.bodies.toml: {e}");
        }
        assert!(builtin_bodies().len() > 40);
        assert!(builtin_periodicals().len() > 10);
    }

    #[test]
    fn every_parent_exists_and_ids_are_unique() {
        let bodies = builtin_bodies();
        let ids: Vec<&str> = bodies.iter().map(|b| b.id.0.as_str()).collect();
        for b in &bodies {
            if let Some(p) = &b.parent {
                assert!(ids.contains(&p.0.as_str()), "{}: parent {p}", b.id);
            }
            assert_eq!(ids.iter().filter(|i| **i == b.id.0).count(), 1, "{}", b.id);
        }
        for p in builtin_periodicals() {
            if let Some(b) = &p.publisher {
                assert!(ids.contains(&b.0.as_str()), "{}: publisher {b}", p.id);
            }
        }
    }

    #[test]
    fn commissariats_have_names_and_portfolios() {
        let bodies = builtin_bodies();
        let fin = bodies
            .iter()
            .find(|b| b.id.0 == "commissariat-finance")
            .map(|b| b.name.as_str());
        assert_eq!(fin, Some("Commissariat of Finance"));
        let trade = bodies.iter().find(|b| b.id.0 == "commissariat-trade");
        assert!(trade.is_some_and(|t| t
            .aliases
            .contains(&"Commissariat of Foreign and Domestic Trade".to_string())));
    }
}
