//! Collation: aligning the witnesses of one text token by token and
//! saying what kind of difference each variant is.
//!
//! ```
//! use fond_collate::{align, tokenize, VariantKind};
//!
//! let a = tokenize("the transcript of the CentralControl Commission session");
//! let b = tokenize("the transcript of the Central Control Commission");
//! let al = align(&[&a, &b]).unwrap();
//! let kinds: Vec<_> = al.variants().map(|c| c.variant).collect();
//! assert_eq!(kinds, [Some(VariantKind::Spacing), Some(VariantKind::Omitted)]);
//! ```
//!
//! # How witnesses are aligned
//!
//! The first witness is the *base*. Every other witness is aligned against
//! it pairwise (module `diff` chains the matching tokens in near-linear
//! time by anchoring on tokens unique to both sides, a longest increasing
//! subsequence of the anchors, and an exact solver only for small gaps;
//! module `pairwise` finds transpositions among what is left unmatched). The
//! pairwise alignments are then merged into one table over the base: a
//! column ends wherever every witness has a boundary. Two witnesses that
//! both add text where the base has none share a column but are not
//! aligned with each other within it — the price of progressive alignment
//! against a base instead of a variant graph, and the natural view for an
//! edition, whose apparatus is read against a base text anyway.
//!
//! Tokens are compared by their normalised forms ([`Token::norm`]), so
//! case, quote styles and hyphens do not prevent a match; the differences
//! they hide are reported as trivial variants by [`classify`].

mod alignment;
mod classify;
mod diff;
mod intern;
mod pairwise;
mod render;
mod tei;
mod token;

pub use alignment::{Alignment, Cell, Column, Move, Reading, Stats, Table, TableColumn};
pub use classify::{classify, VariantKind};
pub use render::{render_terminal, RenderOptions};
pub use tei::{tei_list_wit, tei_parallel_segmentation, TeiOptions};
pub use token::{join, tokenize, Token, TokenKind};

use serde::{Deserialize, Serialize};

/// Why a collation could not be made or rendered.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CollateError {
    #[error("a collation needs at least two witnesses, got {0}")]
    TooFewWitnesses(usize),
    #[error("the alignment has {expected} witnesses but {found} were given to render it")]
    WitnessCount { expected: usize, found: usize },
    #[error("witness {index} has {found} tokens but was aligned with {expected}")]
    WitnessLength {
        index: usize,
        expected: usize,
        found: usize,
    },
    #[error("siglum {0:?} cannot name a witness: use letters, digits, '-', '_' or '.', starting with a letter")]
    InvalidSiglum(String),
    #[error("two witnesses share the siglum {0:?}")]
    DuplicateSiglum(String),
}

/// A half-open range of token positions in one witness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// A witness as the renderers take it: its siglum (`A`, `book`, `web`) and
/// its tokens, exactly those it was aligned with.
#[derive(Debug, Clone, Copy)]
pub struct Witness<'a> {
    pub siglum: &'a str,
    pub tokens: &'a [Token],
}

impl<'a> Witness<'a> {
    pub fn new(siglum: &'a str, tokens: &'a [Token]) -> Self {
        Witness { siglum, tokens }
    }
}

/// Tuning of the aligner. The defaults suit prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// A block of at least this many tokens found verbatim elsewhere in the
    /// other witness is a transposition (marked [`VariantKind::Moved`]).
    pub min_move: usize,
    /// A shorter run is a transposition only if it is a whole gap on both
    /// sides and the two places are at most this many matched tokens apart.
    pub short_move_window: usize,
    /// Gaps whose product of lengths is at most this are aligned exactly
    /// (a table of `u32` of this many cells, 1 MB by default).
    pub dp_cells: usize,
    /// When a long gap has no token unique on both sides, tokens occurring
    /// equally often on both, at most this often, anchor it instead.
    pub max_repeat_anchor: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_move: 3,
            short_move_window: 10,
            dp_cells: 1 << 18,
            max_repeat_anchor: 64,
        }
    }
}

impl Options {
    pub(crate) fn pair_params(&self) -> pairwise::PairParams {
        pairwise::PairParams {
            diff: diff::DiffParams {
                dp_cells: self.dp_cells,
                max_repeat_anchor: self.max_repeat_anchor,
            },
            min_move: self.min_move,
            short_move_window: self.short_move_window,
        }
    }
}

/// Aligns two or more witnesses with the default [`Options`]; the first is
/// the base.
pub fn align(witnesses: &[&[Token]]) -> Result<Alignment, CollateError> {
    align_with(witnesses, &Options::default())
}

/// Aligns two or more witnesses; the first is the base.
pub fn align_with(witnesses: &[&[Token]], options: &Options) -> Result<Alignment, CollateError> {
    let Some((base, others)) = witnesses.split_first() else {
        return Err(CollateError::TooFewWitnesses(0));
    };
    if others.is_empty() {
        return Err(CollateError::TooFewWitnesses(1));
    }
    let mut interner = intern::Interner::default();
    let base_ids = interner.ids(base);
    let other_ids: Vec<Vec<u32>> = others.iter().map(|w| interner.ids(w)).collect();
    let params = options.pair_params();
    let pairs: Vec<pairwise::PairAlignment> = others
        .iter()
        .zip(&other_ids)
        .map(|(w, ids)| pairwise::align_pair(base, w, &base_ids, ids, interner.is_word(), params))
        .collect();
    Ok(alignment::merge(witnesses, &pairs))
}

#[cfg(test)]
mod tests;
