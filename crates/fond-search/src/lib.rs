//! Full-text search over a fond archive: a tantivy index derived from the
//! documents (never the source of truth; rebuilt whenever the archive
//! changes), a query language historians can read, snippets, facets, a
//! concordance and similar documents.
//!
//! ```no_run
//! # fn main() -> Result<(), fond_search::SearchError> {
//! # let docs: Vec<fond_model::Document> = Vec::new();
//! use fond_search::{SearchIndex, SearchOptions};
//! let index = SearchIndex::build(std::path::Path::new("fond-archive/search"), &docs)?;
//! let r = index.search("mentions:Бухарин grain year:1929", &SearchOptions::default())?;
//! for hit in &r.hits {
//!     println!("{} {}", hit.id, hit.snippet);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # The query language
//!
//! | query | finds |
//! |---|---|
//! | `grain Bukharin` | both words (juxtaposition is AND), stemmed: *grains*, *Bukharin's* |
//! | `grain OR bread`, `grain -Trotsky`, `NOT Zinoviev`, `(a OR b) c` | Boolean logic; operators in capitals |
//! | `"grain procurements"`, `“Special File”`, `"grain crisis"~3` | a phrase in any kind of quotes; `~N` lets N words in between |
//! | `collectiv*` | a prefix (two letters at least) |
//! | `Lashevitch~`, `Zinovev~2` | within one (or two) edits |
//! | `Бухарин`, `Yaroslavsky`, `Ярославскому` | any romanisation or script of a name, Russian cases too |
//! | `from:Stalin`, `to:"Molotov"` | senders, addressees, by any spelling |
//! | `mentions:Зиновьев` | a person in the names, text or notes, by any spelling |
//! | `kind:letter`, `kind:telegram` | the document kind |
//! | `year:1929`, `date:1929-06..1929-09`, `date:1930-08`, `date:..1926` | date intervals that *overlap* the range: "no earlier than 6 August 1930" answers `date:1930-08` |
//! | `in:notes grain`, `in:body` | the words in the editors' notes only, or the text only |
//! | `ref:"f. 17, op. 3"` | archival references containing those parts |
//! | `collection:`, `number:57`, `id:` | the edition's own coordinates |
//!
//! A query that does not parse gets a [`QueryError`] with the position and
//! a caret under it; the parser never panics, and every query is bounded
//! (length, terms, nesting, fuzzy distance, prefix length, and a timeout
//! after which the results are returned marked partial).
//!
//! The modules, in pipeline order: [`analysis`] (how words become terms),
//! [`schema`] (the fields), [`query`] (the language), `compile` (query to
//! tantivy), [`index`] (build, search, snippets, facets, similar), [`kwic`]
//! (concordance). The benchmark against SQLite FTS5 is `fond-bench`'s.

pub mod analysis;
mod compile;
mod deadline;
mod error;
pub mod index;
pub mod kwic;
mod matcher;
pub mod names;
pub mod query;
mod refs;
pub mod schema;
mod snippet;
mod stopwords;

#[cfg(test)]
mod corpus_tests;

pub use error::SearchError;
pub use index::{
    BuildOptions, Facets, Hit, Mark, SearchIndex, SearchOptions, SearchResults, SimilarDoc, Updated,
};
pub use kwic::{write_kwic_csv, KwicLine, KwicSort};
pub use matcher::within;
pub use names::{NameVariants, RomanisationVariants};
pub use query::{parse, ParsedQuery, QueryError};
pub use refs::normalize_ref;
pub use schema::LinkedEntity;
