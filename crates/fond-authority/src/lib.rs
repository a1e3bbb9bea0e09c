//! The authority file of fond: people, bodies (party, state and Comintern
//! institutions) and periodicals, their name variants in every
//! romanisation and in Cyrillic, and the linking of their mentions in
//! documents.
//!
//! [`Authority::from_book`] reads an edition's Glossary of Names (every
//! entry a [`Person`], with life dates, offices, party membership, fates),
//! its back-of-book Index (people the glossary lacks, index spellings,
//! cross-references) and its Institutional Background (who sat on the
//! Politburo in 1925 and 1930), and joins them with the built-in tables of
//! [`bodies`]. Then:
//!
//! - [`search_keys`] folds a name, Latin or Cyrillic, into the keys every
//!   spelling of it shares; [`Authority::lookup`] finds people by any of
//!   them.
//! - [`Authority::link`] finds every mention of a person, body or
//!   periodical in a text (Aho-Corasick over all variants; ambiguous
//!   surnames resolved or marked).
//! - [`Authority::who`] answers who sat on a body on a day.
//!
//! No I/O: the caller hands in the book's text.

mod authority;
mod background;

pub mod bodies;
mod glossary;
mod index;
pub mod keys;
mod link;
mod offices;
mod person;

pub use authority::{person_variants, Authority, IndexPerson, Roster, Variant, VariantKind};
pub use bodies::{Body, BodyId, BodyKind, Periodical, PeriodicalId};
pub use fond_model::authority::{EntityKind, Record};
pub use fond_text::translit::{transliterate, Scheme};
pub use glossary::{raw_entries, RawEntry};
pub use index::{headings as index_headings, is_person_name, Heading, HeadingKind};
pub use keys::search_keys;
pub use link::{document_years, Entity, Mention, MentionField};
pub use person::{
    Alias, AliasKind, Fate, LifeYear, Office, OfficeSource, Origin, Person, PersonId, Point,
};

/// Why an authority file could not be built from a book.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthorityError {
    #[error("the book has no \"{section}\" section; expected a heading with that title")]
    MissingSection { section: &'static str },
    #[error("the book's \"{section}\" section has no entries")]
    EmptySection { section: &'static str },
    #[error("the name automaton could not be built: {reason}")]
    Automaton { reason: String },
}
