//! The alignment table: columns of readings, one per witness, over the
//! base.

use crate::classify::{classify, VariantKind};
use crate::pairwise::{PairAlignment, Piece};
use crate::token::{join, Token};
use crate::{CollateError, Span, Witness};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The aligned witnesses: columns in base order, each holding one reading
/// per witness (witness 0 is the base). Readings are token ranges; the
/// renderers and [`Alignment::table`] take the tokens to show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alignment {
    /// How many tokens each witness had when aligned.
    pub witness_lens: Vec<usize>,
    pub columns: Vec<Column>,
    /// Transposed blocks, referred to by [`Cell::moved`].
    pub moves: Vec<Move>,
}

/// One place in the text and what each witness reads there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// One per witness, in witness order.
    pub cells: Vec<Cell>,
    /// The most substantive of the cells' variants; `None` where every
    /// witness reads as the base, letter for letter. Consecutive such
    /// columns are merged into one.
    pub variant: Option<VariantKind>,
}

/// What one witness reads in a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    /// The witness's tokens here (empty when it has nothing here).
    pub tokens: Span,
    /// How this reading differs from the base's; `None` for the base itself
    /// and for readings written as the base.
    pub variant: Option<VariantKind>,
    /// For a transposed block, the index of its [`Move`]: the same move
    /// marks the base's place (where this witness is empty) and the
    /// witness's place (where the base is empty).
    pub moved: Option<usize>,
}

/// A block of text a witness has at another place than the base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    pub witness: usize,
    /// Where the base has it.
    pub base: Span,
    /// Where the witness has it.
    pub tokens: Span,
}

/// Counts for a quick judgement of a collation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Tokens of each witness.
    pub tokens: Vec<usize>,
    /// Tokens of each witness that agree with the base up to trivial
    /// variants (for the base: with every witness).
    pub agreeing: Vec<usize>,
    /// Readings differing from the base, by kind.
    pub variants: BTreeMap<VariantKind, usize>,
}

impl Stats {
    pub fn substantive(&self) -> usize {
        self.variants
            .iter()
            .filter(|(k, _)| k.is_substantive())
            .map(|(_, n)| n)
            .sum()
    }

    pub fn trivial(&self) -> usize {
        self.variants
            .iter()
            .filter(|(k, _)| !k.is_substantive())
            .map(|(_, n)| n)
            .sum()
    }
}

/// The alignment with its text, ready to serialise (`fond collate --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub witnesses: Vec<String>,
    pub columns: Vec<TableColumn>,
    pub moves: Vec<Move>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableColumn {
    pub variant: Option<VariantKind>,
    pub substantive: bool,
    pub readings: Vec<Reading>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    pub text: String,
    pub tokens: Span,
    pub variant: Option<VariantKind>,
    pub moved: Option<usize>,
}

impl Alignment {
    /// The columns where some witness differs from the base.
    pub fn variants(&self) -> impl Iterator<Item = &Column> {
        self.columns.iter().filter(|c| c.variant.is_some())
    }

    /// The columns with a substantive variant.
    pub fn substantive(&self) -> impl Iterator<Item = &Column> {
        self.columns
            .iter()
            .filter(|c| c.variant.is_some_and(VariantKind::is_substantive))
    }

    pub fn stats(&self) -> Stats {
        let n = self.witness_lens.len();
        let mut agreeing = vec![0; n];
        let mut variants = BTreeMap::new();
        let trivial = |v: Option<VariantKind>| !v.is_some_and(VariantKind::is_substantive);
        for col in &self.columns {
            if trivial(col.variant) {
                if let Some(base) = col.cells.first() {
                    agreeing[0] += base.tokens.len();
                }
            }
            for (w, cell) in col.cells.iter().enumerate().skip(1) {
                if trivial(cell.variant) {
                    agreeing[w] += cell.tokens.len();
                }
                if let Some(v) = cell.variant {
                    *variants.entry(v).or_insert(0) += 1;
                }
            }
        }
        Stats {
            tokens: self.witness_lens.clone(),
            agreeing,
            variants,
        }
    }

    /// The table with each reading's text, for JSON.
    pub fn table(&self, witnesses: &[Witness]) -> Result<Table, CollateError> {
        self.check(witnesses)?;
        let columns = self
            .columns
            .iter()
            .map(|col| TableColumn {
                variant: col.variant,
                substantive: col.variant.is_some_and(VariantKind::is_substantive),
                readings: col
                    .cells
                    .iter()
                    .zip(witnesses)
                    .map(|(cell, w)| Reading {
                        text: join(&w.tokens[cell.tokens.range()]),
                        tokens: cell.tokens,
                        variant: cell.variant,
                        moved: cell.moved,
                    })
                    .collect(),
            })
            .collect();
        Ok(Table {
            witnesses: witnesses.iter().map(|w| w.siglum.to_string()).collect(),
            columns,
            moves: self.moves.clone(),
        })
    }

    /// That `witnesses` are the ones aligned, so that every cell's range
    /// indexes its tokens, and that their sigla can name them.
    pub(crate) fn check(&self, witnesses: &[Witness]) -> Result<(), CollateError> {
        if witnesses.len() != self.witness_lens.len() {
            return Err(CollateError::WitnessCount {
                expected: self.witness_lens.len(),
                found: witnesses.len(),
            });
        }
        for (index, (w, &expected)) in witnesses.iter().zip(&self.witness_lens).enumerate() {
            if w.tokens.len() != expected {
                return Err(CollateError::WitnessLength {
                    index,
                    expected,
                    found: w.tokens.len(),
                });
            }
            check_siglum(w.siglum)?;
            if witnesses[..index].iter().any(|o| o.siglum == w.siglum) {
                return Err(CollateError::DuplicateSiglum(w.siglum.to_string()));
            }
        }
        Ok(())
    }
}

/// Sigla become `xml:id`s in TEI, so they must be XML names; the rule here
/// is a safe subset (ASCII letters first, then letters, digits, `-_.`).
pub(crate) fn check_siglum(s: &str) -> Result<(), CollateError> {
    let mut chars = s.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(CollateError::InvalidSiglum(s.to_string()))
    }
}

/// Merges the pairwise alignments of witnesses 1.. against the base into
/// one table.
///
/// A boundary between two base tokens can end a column only if no witness
/// has a piece straddling it (a gap or a moved block covering several base
/// tokens). Between such boundaries lie units of base text; a witness's
/// reading of a unit is everything its pieces put there, including text it
/// inserts inside the unit. Text inserted exactly at a boundary gets
/// columns of its own, with an empty base reading.
pub(crate) fn merge(witnesses: &[&[Token]], pairs: &[PairAlignment]) -> Alignment {
    let base: &[Token] = witnesses.first().copied().unwrap_or(&[]);
    let n = base.len();
    let mut blocked = vec![false; n + 1];
    for pair in pairs {
        for piece in &pair.pieces {
            let s = piece.base_span();
            for b in blocked.iter_mut().take(s.end).skip(s.start + 1) {
                *b = true;
            }
        }
    }
    let mut moves = Vec::new();
    let mut move_offset = Vec::with_capacity(pairs.len());
    for (k, pair) in pairs.iter().enumerate() {
        move_offset.push(moves.len());
        moves.extend(pair.moves.iter().map(|&(base, tokens)| Move {
            witness: k + 1,
            base,
            tokens,
        }));
    }
    let moved_id = |k: usize, piece: &Piece| match *piece {
        Piece::MovedOut { mv, .. } | Piece::MovedIn { mv, .. } => Some(move_offset[k] + mv),
        _ => None,
    };
    let classify_cell = |k: usize, base_span: Span, tokens: Span, moved: Option<usize>| Cell {
        tokens,
        moved,
        variant: if moved.is_some() {
            Some(VariantKind::Moved)
        } else {
            classify(&base[base_span.range()], &witnesses[k + 1][tokens.range()])
        },
    };

    let mut cursor = vec![0usize; pairs.len()];
    let mut wpos = vec![0usize; pairs.len()];
    let mut columns: Vec<Column> = Vec::new();
    // Per witness, the insertions at the current boundary (reused).
    let mut inserted: Vec<Vec<(Span, Option<usize>)>> = vec![Vec::new(); pairs.len()];
    let mut p = 0;
    loop {
        for (k, pair) in pairs.iter().enumerate() {
            inserted[k].clear();
            while let Some(piece) = pair.pieces.get(cursor[k]) {
                let s = piece.base_span();
                if !(s.is_empty() && s.start == p) {
                    break;
                }
                let len = piece.wit_len();
                inserted[k].push((Span::new(wpos[k], wpos[k] + len), moved_id(k, piece)));
                wpos[k] += len;
                cursor[k] += 1;
            }
        }
        let depth = inserted.iter().map(Vec::len).max().unwrap_or(0);
        for d in 0..depth {
            let here = Span::new(p, p);
            let mut cells = vec![Cell {
                tokens: here,
                variant: None,
                moved: None,
            }];
            for (k, ins) in inserted.iter().enumerate() {
                let (tokens, moved) = ins
                    .get(d)
                    .copied()
                    .unwrap_or((Span::new(wpos[k], wpos[k]), None));
                cells.push(classify_cell(k, here, tokens, moved));
            }
            push_column(&mut columns, cells);
        }
        if p >= n {
            break;
        }
        let mut q = p + 1;
        while q < n && blocked[q] {
            q += 1;
        }
        let unit = Span::new(p, q);
        let mut cells = vec![Cell {
            tokens: unit,
            variant: None,
            moved: None,
        }];
        for (k, pair) in pairs.iter().enumerate() {
            let start = wpos[k];
            let mut consumed = 0;
            let mut moved = None;
            while let Some(piece) = pair.pieces.get(cursor[k]) {
                if piece.base_span().start >= q {
                    break;
                }
                wpos[k] += piece.wit_len();
                cursor[k] += 1;
                consumed += 1;
                moved = moved_id(k, piece);
            }
            // A cell is a moved block only if the block is all it holds;
            // mixed with other text, the move stays in `moves` and the
            // cell is classified by its content.
            let moved = if consumed == 1 { moved } else { None };
            cells.push(classify_cell(k, unit, Span::new(start, wpos[k]), moved));
        }
        push_column(&mut columns, cells);
        p = q;
    }
    Alignment {
        witness_lens: witnesses.iter().map(|w| w.len()).collect(),
        columns,
        moves,
    }
}

/// Appends a column, folding it into the previous one when both are
/// agreement (adjacent columns are contiguous in every witness).
fn push_column(columns: &mut Vec<Column>, cells: Vec<Cell>) {
    let variant = cells.iter().filter_map(|c| c.variant).max();
    if variant.is_none() {
        if let Some(last) = columns.last_mut().filter(|c| c.variant.is_none()) {
            for (l, c) in last.cells.iter_mut().zip(&cells) {
                l.tokens.end = c.tokens.end;
            }
            return;
        }
    }
    columns.push(Column { cells, variant });
}
