//! The text rules the crates of fond share, kept in one place so that they
//! cannot drift apart: an id minted by the reader, the export and the
//! authority is made by the same code, every XML or HTML writer escapes by
//! the same rule, and the search index and the authority romanise Cyrillic
//! from the same table.
//!
//! - [`slug`], [`slug_ascii`], [`slug_any_script`]: ids from text. Three
//!   rules, because three kinds of id have been minted with them and ids
//!   must not change (see each function for why it exists).
//! - [`escape_text`], [`escape_attr`], [`escape_markup`], [`escape_html`]
//!   (and their `push_*` forms): escaping for XML and HTML, characters XML
//!   1.0 forbids replaced by U+FFFD; [`xml_safe`] does only that.
//! - [`translit`]: Russian Cyrillic in the Library of Congress, BGN/PCGN
//!   and ISO 9 schemes from one table, and the folding of romanisations
//!   into search keys.
//! - [`glossary`]: a printed edition's glossary of names in Markdown, its
//!   entry lines with their continuations (the book reader and the
//!   authority read the same entries).
//! - [`date_words`]: the words prose dates are written in (months in four
//!   languages and their abbreviations, weekdays, parts of a month,
//!   seasons, approximation words, ordinal days, short years), read the same
//!   way by the three prose-date grammars.
//! - [`quote`]: a span of a text found again by its quote and context
//!   (the Web Annotation `TextQuoteSelector`), whitespace folded, so it
//!   survives re-flowed lines.
//!
//! No I/O, no errors, and no dependency on any other crate of fond: it sits
//! at the bottom, beside `fond-model`.

pub mod date_words;
mod escape;
pub mod glossary;
pub mod quote;
mod slug;
pub mod translit;

pub use date_words::{english_month, ENGLISH_MONTHS};
pub use escape::{
    escape_attr, escape_html, escape_markup, escape_text, is_xml_char, push_attr, push_html,
    push_markup, push_text, xml_safe,
};
pub use slug::{slug, slug_any_script, slug_ascii};
pub use translit::{transliterate, Scheme};
