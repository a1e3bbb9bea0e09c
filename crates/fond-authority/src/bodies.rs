//! The authority file of bodies (institutions) and periodicals.
//!
//! The tables are data, not code: `profiles/soviet-institutions.bodies.toml`
//! (the reference corpus's institutions, with where each row comes from),
//! embedded at build time. Their shapes are [`Body`] and [`Periodical`].

pub use fond_model::authority::{Body, BodyId, BodyKind, Periodical, PeriodicalId};
use serde::Deserialize;
use std::sync::LazyLock;

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
