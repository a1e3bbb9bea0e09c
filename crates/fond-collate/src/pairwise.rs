//! One witness against the base: matches, transpositions, and the pieces
//! the table is built from.
//!
//! After [`crate::diff`] has chained the matches, the unmatched tokens sit
//! in gaps: at each slot between two consecutive matches, a run of base
//! tokens the witness lacks there and a run of witness tokens the base
//! lacks there. Text that was transposed shows up as a run in a gap of the
//! base and the same run in a gap of the witness at another slot. Such
//! pairs become moves:
//!
//! - a block of at least `min_move` tokens, with a word of four letters or
//!   more among them, that recurs verbatim in a gap on the other side, at
//!   another slot (`of the ,` recurring is a coincidence of language, not
//!   a transposition);
//! - a shorter run only when it is a whole gap on both sides, holds a word
//!   of four letters or more, and the two slots are at most
//!   `short_move_window` matches apart: "he came quickly" / "quickly he
//!   came" is a transposition, while a "the" missing in one paragraph and
//!   an extra "the" in another are not, and neither is a "the" that two
//!   translations place differently in one phrase.
//!
//! Blocks are found through an index of the witness gaps' `min_move`-grams,
//! so the search is linear in the unmatched text.

use crate::diff::{align_ids, DiffParams};
use crate::token::Token;
use crate::Span;
use std::collections::HashMap;

/// A stretch of the alignment of one witness against the base, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Base token `a` and witness token `b` have the same normalised form.
    Match { a: usize, b: usize },
    /// Base and witness text at the same place that did not match (either
    /// side may be empty).
    Gap { a: Span, b: Span },
    /// Base text the witness has elsewhere (move `mv` of this pair).
    MovedOut { a: Span, mv: usize },
    /// Witness text the base has elsewhere; sits before base token `at`.
    MovedIn { at: usize, b: Span, mv: usize },
}

impl Piece {
    /// The base tokens this piece covers (empty for an insertion, placed
    /// at the boundary it sits at).
    pub(crate) fn base_span(&self) -> Span {
        match *self {
            Piece::Match { a, .. } => Span::new(a, a + 1),
            Piece::Gap { a, .. } | Piece::MovedOut { a, .. } => a,
            Piece::MovedIn { at, .. } => Span::new(at, at),
        }
    }

    /// How many witness tokens the piece covers.
    pub(crate) fn wit_len(&self) -> usize {
        match *self {
            Piece::Match { .. } => 1,
            Piece::Gap { b, .. } | Piece::MovedIn { b, .. } => b.len(),
            Piece::MovedOut { .. } => 0,
        }
    }
}

/// Tuning of the pairwise stage.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PairParams {
    pub diff: DiffParams,
    pub min_move: usize,
    pub short_move_window: usize,
}

/// The alignment of one witness against the base.
#[derive(Debug, Clone, Default)]
pub(crate) struct PairAlignment {
    pub pieces: Vec<Piece>,
    /// Moved blocks: (base span, witness span), indexed by `mv`.
    pub moves: Vec<(Span, Span)>,
}

/// Aligns `wit` against `base`; `ids` are the tokens' interned normalised
/// forms and `is_word[id]` tells words from punctuation.
pub(crate) fn align_pair(
    base: &[Token],
    wit: &[Token],
    base_ids: &[u32],
    wit_ids: &[u32],
    is_word: &[bool],
    params: PairParams,
) -> PairAlignment {
    let matches = align_ids(base_ids, wit_ids, is_word, params.diff);
    let gaps = Gaps::new(&matches, base_ids.len(), wit_ids.len());
    let moves = find_moves(&gaps, base, base_ids, wit_ids, params);
    let pieces = build_pieces(&matches, &gaps, &moves, base, wit);
    PairAlignment { pieces, moves }
}

/// The unmatched runs of both sides, by slot (slot `s` lies before match
/// `s`; the last slot after the last match). At most one run per side and
/// slot.
struct Gaps {
    a: Vec<Span>,
    b: Vec<Span>,
}

impl Gaps {
    fn new(matches: &[(usize, usize)], a_len: usize, b_len: usize) -> Self {
        let mut a = Vec::with_capacity(matches.len() + 1);
        let mut b = Vec::with_capacity(matches.len() + 1);
        let (mut pa, mut pb) = (0, 0);
        for &(i, j) in matches {
            a.push(Span::new(pa, i));
            b.push(Span::new(pb, j));
            pa = i + 1;
            pb = j + 1;
        }
        a.push(Span::new(pa, a_len));
        b.push(Span::new(pb, b_len));
        Gaps { a, b }
    }
}

fn find_moves(
    gaps: &Gaps,
    base: &[Token],
    a: &[u32],
    b: &[u32],
    params: PairParams,
) -> Vec<(Span, Span)> {
    let k = params.min_move.max(1);
    let is_long_word = |t: &Token| t.is_word() && t.norm.chars().nth(3).is_some();
    let mut moves = Vec::new();
    // Which gap (slot) each witness position belongs to, and whether it
    // has been claimed by a move already.
    let mut slot_of_b = vec![usize::MAX; b.len()];
    for (s, g) in gaps.b.iter().enumerate() {
        slot_of_b[g.range()].fill(s);
    }
    let mut used_b = vec![false; b.len()];
    let mut used_a = vec![false; a.len()];

    // Long blocks: index every k-gram lying inside one witness gap.
    let mut grams: HashMap<&[u32], Vec<usize>> = HashMap::new();
    for g in &gaps.b {
        if g.len() >= k {
            for j in g.start..=g.end - k {
                grams.entry(&b[j..j + k]).or_default().push(j);
            }
        }
    }
    // Bound on the candidates tried per position: a k-gram frequent enough
    // to exceed it is boilerplate, not a moved block worth the time.
    const MAX_CANDIDATES: usize = 32;
    if !grams.is_empty() {
        for (sa, g) in gaps.a.iter().enumerate() {
            let mut i = g.start;
            while i + k <= g.end {
                let mut best: Option<(usize, usize)> = None;
                if let Some(cands) = grams.get(&a[i..i + k]) {
                    for &j in cands.iter().take(MAX_CANDIDATES) {
                        let sb = slot_of_b[j];
                        if sb == sa || used_b[j] {
                            continue;
                        }
                        let b_end = gaps.b[sb].end;
                        let mut l = 0;
                        while i + l < g.end
                            && j + l < b_end
                            && !used_b[j + l]
                            && a[i + l] == b[j + l]
                        {
                            l += 1;
                        }
                        match best {
                            Some((_, bl)) if bl >= l => {}
                            _ => best = Some((j, l)),
                        }
                    }
                }
                match best {
                    Some((j, l)) if l >= k && base[i..i + l].iter().any(is_long_word) => {
                        moves.push((Span::new(i, i + l), Span::new(j, j + l)));
                        used_a[i..i + l].fill(true);
                        used_b[j..j + l].fill(true);
                        i += l;
                    }
                    _ => i += 1,
                }
            }
        }
    }

    // Short transpositions: whole gaps, equal on both sides, near.
    let mut short: HashMap<&[u32], Vec<usize>> = HashMap::new();
    for (s, g) in gaps.b.iter().enumerate() {
        if !g.is_empty() && g.len() < k && !used_b[g.start..g.end].iter().any(|&u| u) {
            short.entry(&b[g.start..g.end]).or_default().push(s);
        }
    }
    if !short.is_empty() {
        for (sa, g) in gaps.a.iter().enumerate() {
            let ids = &a[g.start..g.end];
            if g.is_empty()
                || g.len() >= k
                || !base[g.range()].iter().any(is_long_word)
                || used_a[g.range()].iter().any(|&u| u)
            {
                continue;
            }
            let Some(slots) = short.get(ids) else {
                continue;
            };
            let nearest = slots
                .iter()
                .copied()
                .filter(|&sb| sb != sa && sa.abs_diff(sb) <= params.short_move_window)
                .filter(|&sb| !used_b[gaps.b[sb].start])
                .min_by_key(|&sb| sa.abs_diff(sb));
            if let Some(sb) = nearest {
                let gb = gaps.b[sb];
                moves.push((*g, gb));
                used_a[g.start..g.end].fill(true);
                used_b[gb.start..gb.end].fill(true);
            }
        }
    }
    moves.sort_unstable_by_key(|(sa, _)| sa.start);
    moves
}

/// The pieces in order of both witnesses.
fn build_pieces(
    matches: &[(usize, usize)],
    gaps: &Gaps,
    moves: &[(Span, Span)],
    base: &[Token],
    wit: &[Token],
) -> Vec<Piece> {
    // Moves by where they start, on each side.
    let mut out_at: HashMap<usize, usize> = HashMap::with_capacity(moves.len());
    let mut in_at: HashMap<usize, usize> = HashMap::with_capacity(moves.len());
    for (mv, (sa, sb)) in moves.iter().enumerate() {
        out_at.insert(sa.start, mv);
        in_at.insert(sb.start, mv);
    }
    let mut pieces = Vec::with_capacity(base.len().max(wit.len()) + 1);
    for s in 0..gaps.a.len() {
        let (ga, gb) = (gaps.a[s], gaps.b[s]);
        if !ga.is_empty() || !gb.is_empty() {
            slot_pieces(ga, gb, &out_at, &in_at, moves, base, wit, &mut pieces);
        }
        if let Some(&(a, b)) = matches.get(s) {
            pieces.push(Piece::Match { a, b });
        }
    }
    pieces
}

/// A stretch of one side of a gap: unmoved text or a moved block.
#[derive(Debug, Clone, Copy)]
enum Seg {
    Plain(Span),
    Moved(Span, usize),
}

fn segments(
    g: Span,
    starts: &HashMap<usize, usize>,
    moves: &[(Span, Span)],
    side_a: bool,
) -> Vec<Seg> {
    let mut segs = Vec::new();
    let mut plain = g.start;
    let mut i = g.start;
    while i < g.end {
        match starts.get(&i) {
            Some(&mv) => {
                let sp = if side_a { moves[mv].0 } else { moves[mv].1 };
                if plain < i {
                    segs.push(Seg::Plain(Span::new(plain, i)));
                }
                segs.push(Seg::Moved(sp, mv));
                i = sp.end;
                plain = i;
            }
            None => i += 1,
        }
    }
    if plain < g.end {
        segs.push(Seg::Plain(Span::new(plain, g.end)));
    }
    segs
}

/// The pieces of one slot. Moved blocks stand alone; the unmoved stretches
/// of the two sides are paired in order (the k-th with the k-th), keeping
/// both sides in text order.
#[allow(clippy::too_many_arguments)]
fn slot_pieces(
    ga: Span,
    gb: Span,
    out_at: &HashMap<usize, usize>,
    in_at: &HashMap<usize, usize>,
    moves: &[(Span, Span)],
    base: &[Token],
    wit: &[Token],
    pieces: &mut Vec<Piece>,
) {
    let sa = segments(ga, out_at, moves, true);
    let sb = segments(gb, in_at, moves, false);
    let mut bi = 0;
    // Emits the witness side up to (not including) its next plain stretch;
    // returns that stretch, if any.
    let mut advance_b = |pieces: &mut Vec<Piece>, at: usize| -> Option<Span> {
        while let Some(seg) = sb.get(bi) {
            bi += 1;
            match *seg {
                Seg::Moved(b, mv) => pieces.push(Piece::MovedIn { at, b, mv }),
                Seg::Plain(b) => return Some(b),
            }
        }
        None
    };
    for seg in &sa {
        match *seg {
            Seg::Moved(a, mv) => pieces.push(Piece::MovedOut { a, mv }),
            Seg::Plain(a) => {
                let b = advance_b(pieces, a.start).unwrap_or(Span::new(gb.end, gb.end));
                split_trivial(a, b, base, wit, pieces);
            }
        }
    }
    while let Some(b) = advance_b(pieces, ga.end) {
        split_trivial(Span::new(ga.end, ga.end), b, base, wit, pieces);
    }
}

/// Emits the gap `a`/`b`, first cutting off at either end any stretch
/// whose words spell the same letters on both sides in different pieces
/// (`theletter` / `the letter`, `espe - cially` / `especially`), so that
/// such a spacing variant is not swallowed by a substantive one beside it.
fn split_trivial(a: Span, b: Span, base: &[Token], wit: &[Token], pieces: &mut Vec<Piece>) {
    let (mut a0, mut a1, mut b0, mut b1) = (a.start, a.end, b.start, b.end);
    while let Some((ia, ib)) = same_letters(&base[a0..a1], &wit[b0..b1], true) {
        pieces.push(Piece::Gap {
            a: Span::new(a0, a0 + ia),
            b: Span::new(b0, b0 + ib),
        });
        a0 += ia;
        b0 += ib;
    }
    let mut tail = Vec::new();
    while let Some((ia, ib)) = same_letters(&base[a0..a1], &wit[b0..b1], false) {
        tail.push(Piece::Gap {
            a: Span::new(a1 - ia, a1),
            b: Span::new(b1 - ib, b1),
        });
        a1 -= ia;
        b1 -= ib;
    }
    if a0 < a1 || b0 < b1 {
        pieces.push(Piece::Gap {
            a: Span::new(a0, a1),
            b: Span::new(b0, b1),
        });
    }
    pieces.extend(tail.into_iter().rev());
}

/// The shortest prefix (or suffix) lengths of `x` and `y` that start (end)
/// with a word on both sides and spell the same letters. Hyphen tokens in
/// between are taken along.
fn same_letters(x: &[Token], y: &[Token], forward: bool) -> Option<(usize, usize)> {
    let (first_x, first_y) = (nth(x, 0, forward)?, nth(y, 0, forward)?);
    if !first_x.is_word() || !first_y.is_word() {
        return None;
    }
    let (mut sx, mut sy) = (first_x.norm.clone(), first_y.norm.clone());
    let (mut nx, mut ny) = (1, 1);
    // Appends (or prepends) the next word of one side, skipping hyphens.
    let grow = |s: &[Token], n: &mut usize, acc: &mut String| -> bool {
        while let Some(t) = nth(s, *n, forward) {
            *n += 1;
            if t.is_word() {
                if forward {
                    acc.push_str(&t.norm);
                } else {
                    acc.insert_str(0, &t.norm);
                }
                return true;
            }
            if t.norm != "-" {
                return false;
            }
        }
        false
    };
    loop {
        if sx == sy {
            return Some((nx, ny));
        }
        let x_short = if forward {
            sy.starts_with(sx.as_str())
        } else {
            sy.ends_with(sx.as_str())
        };
        let y_short = if forward {
            sx.starts_with(sy.as_str())
        } else {
            sx.ends_with(sy.as_str())
        };
        let grown = if sx.len() < sy.len() && x_short {
            grow(x, &mut nx, &mut sx)
        } else if sy.len() < sx.len() && y_short {
            grow(y, &mut ny, &mut sy)
        } else {
            false
        };
        if !grown {
            return None;
        }
    }
}

/// The k-th token from the start, or from the end.
fn nth(s: &[Token], k: usize, forward: bool) -> Option<&Token> {
    if forward {
        s.get(k)
    } else {
        s.len().checked_sub(k + 1).and_then(|i| s.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intern::Interner;
    use crate::token::tokenize;

    fn pair(a: &str, b: &str) -> (Vec<Token>, Vec<Token>, PairAlignment) {
        let (ta, tb) = (tokenize(a), tokenize(b));
        let mut int = Interner::default();
        let (ia, ib) = (int.ids(&ta), int.ids(&tb));
        let params = crate::Options::default().pair_params();
        let al = align_pair(&ta, &tb, &ia, &ib, int.is_word(), params);
        (ta, tb, al)
    }

    #[test]
    fn identical_texts_are_all_matches() {
        let (_, _, al) = pair("a b c", "a b c");
        assert_eq!(
            al.pieces,
            vec![
                Piece::Match { a: 0, b: 0 },
                Piece::Match { a: 1, b: 1 },
                Piece::Match { a: 2, b: 2 }
            ]
        );
        assert!(al.moves.is_empty());
    }

    #[test]
    fn long_block_moves() {
        let (_, _, al) = pair("x y z one two three w", "one two three x y z w");
        // x y z matched (first in the chain), one two three moved.
        assert_eq!(al.moves, vec![(Span::new(3, 6), Span::new(0, 3))]);
        assert!(matches!(al.pieces[0], Piece::MovedIn { at: 0, .. }));
        assert!(matches!(al.pieces[4], Piece::MovedOut { .. }));
    }

    #[test]
    fn distant_single_words_do_not_move() {
        let a = "the a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14 a15";
        let b = "a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14 a15 the";
        let (_, _, al) = pair(a, b);
        assert!(al.moves.is_empty());
        let (_, _, al) = pair("he came quickly", "quickly he came");
        assert_eq!(al.moves.len(), 1);
    }

    #[test]
    fn glued_words_are_cut_off_a_larger_gap() {
        let (_, _, al) = pair("of theletter quite", "of the letter entirely");
        assert_eq!(
            al.pieces[1..],
            [
                Piece::Gap {
                    a: Span::new(1, 2),
                    b: Span::new(1, 3)
                },
                Piece::Gap {
                    a: Span::new(2, 3),
                    b: Span::new(3, 4)
                },
            ]
        );
        let (_, _, al) = pair("x espe - cially", "x especially");
        assert_eq!(
            al.pieces[1..],
            [Piece::Gap {
                a: Span::new(1, 4),
                b: Span::new(1, 2)
            }]
        );
        let (_, _, al) = pair("fond CentralControl", "gone Central Control");
        assert_eq!(
            al.pieces,
            [
                Piece::Gap {
                    a: Span::new(0, 1),
                    b: Span::new(0, 1)
                },
                Piece::Gap {
                    a: Span::new(1, 2),
                    b: Span::new(1, 3)
                },
            ]
        );
    }

    #[test]
    fn pieces_cover_both_sides_in_order() {
        let (ta, tb, al) = pair(
            "one two three four five six seven eight , nine ten",
            "zero six seven eight one two three four ; nine ten eleven",
        );
        let (mut pa, mut pb) = (0, 0);
        for p in &al.pieces {
            let s = p.base_span();
            assert_eq!(s.start, pa, "{p:?}");
            pa = s.end;
            let bs = match *p {
                Piece::Match { b, .. } => b,
                Piece::Gap { b, .. } | Piece::MovedIn { b, .. } => b.start,
                Piece::MovedOut { .. } => pb,
            };
            assert_eq!(bs, pb, "{p:?}");
            pb += p.wit_len();
        }
        assert_eq!((pa, pb), (ta.len(), tb.len()));
        assert_eq!(al.moves.len(), 1);
    }
}
