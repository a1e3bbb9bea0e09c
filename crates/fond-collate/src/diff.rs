//! Pairwise alignment: which tokens of two witnesses are the same.
//!
//! The result is a longest chain of matched token pairs, increasing in both
//! witnesses. A full dynamic-programming table would cost time and memory
//! proportional to the product of the lengths (10^10 cells for two
//! 100,000-token witnesses), so the chain is built the way patience diff
//! builds it, divide and conquer:
//!
//! 1. Tokens equal at the start and at the end of a range are matched
//!    outright.
//! 2. A range small enough (`dp_cells`) is solved exactly by a weighted LCS
//!    table, words weighing more than punctuation so that a stray comma
//!    never outbids a word.
//! 3. Otherwise the anchors of the range are the tokens that occur exactly
//!    once in each witness's part of it. Their longest increasing
//!    subsequence (by position in the second witness) is the backbone:
//!    anchors out of that order belong to transposed or repeated text, and
//!    are left to the gaps. Each gap between consecutive backbone anchors
//!    is a new, smaller range; tokens that were repeated in the whole are
//!    often unique in a gap, so the anchors get denser as ranges shrink.
//! 4. A range with no unique token at all (long repetitive text) pairs
//!    tokens that occur equally often on both sides, occurrence by
//!    occurrence, before giving up.
//! 5. As a last resort the range is cut in two proportionally. This loses
//!    optimality but keeps the work bounded; it takes a long repetitive
//!    range with no unique token and no equally frequent one, which natural
//!    text does not produce.
//!
//! Each step costs time linear in its range, and ranges are disjoint at each
//! depth, so on text the total is close to linear.

/// Tuning of the pairwise aligner.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DiffParams {
    /// Ranges whose product of lengths is at most this are solved exactly.
    pub dp_cells: usize,
    /// The most occurrences a token may have on each side to be paired
    /// occurrence by occurrence when a range has no unique token.
    pub max_repeat_anchor: u32,
}

/// How much a matched token is worth in the exact solver.
pub(crate) fn weight(is_word: bool) -> u32 {
    if is_word {
        2
    } else {
        1
    }
}

/// Aligns two witnesses given as interned token ids; `is_word[id]` tells
/// words from punctuation. Returns matched pairs `(i, j)`, strictly
/// increasing in both.
pub(crate) fn align_ids(
    a: &[u32],
    b: &[u32],
    is_word: &[bool],
    params: DiffParams,
) -> Vec<(usize, usize)> {
    let mut d = Differ::new(a, b, is_word, params);
    d.run();
    let mut m = d.matches;
    m.sort_unstable();
    m
}

struct Differ<'a> {
    a: &'a [u32],
    b: &'a [u32],
    is_word: &'a [bool],
    params: DiffParams,
    matches: Vec<(usize, usize)>,
    /// Scratch indexed by token id, all zero between uses.
    count_a: Vec<u32>,
    count_b: Vec<u32>,
    /// Last position seen, valid only where the count is non-zero.
    pos_a: Vec<usize>,
    pos_b: Vec<usize>,
    dp: Vec<u32>,
}

#[derive(Debug, Clone, Copy)]
struct Range {
    alo: usize,
    ahi: usize,
    blo: usize,
    bhi: usize,
}

impl<'a> Differ<'a> {
    fn new(a: &'a [u32], b: &'a [u32], is_word: &'a [bool], params: DiffParams) -> Self {
        let ids = is_word.len();
        Differ {
            a,
            b,
            is_word,
            params,
            matches: Vec::with_capacity(a.len().min(b.len())),
            count_a: vec![0; ids],
            count_b: vec![0; ids],
            pos_a: vec![0; ids],
            pos_b: vec![0; ids],
            dp: Vec::new(),
        }
    }

    fn run(&mut self) {
        // An explicit stack: on degenerate input the nesting of gaps can be
        // as deep as the text is long.
        let mut stack = vec![Range {
            alo: 0,
            ahi: self.a.len(),
            blo: 0,
            bhi: self.b.len(),
        }];
        while let Some(r) = stack.pop() {
            self.step(r, &mut stack);
        }
    }

    fn step(&mut self, mut r: Range, stack: &mut Vec<Range>) {
        while r.alo < r.ahi && r.blo < r.bhi && self.a[r.alo] == self.b[r.blo] {
            self.matches.push((r.alo, r.blo));
            r.alo += 1;
            r.blo += 1;
        }
        while r.alo < r.ahi && r.blo < r.bhi && self.a[r.ahi - 1] == self.b[r.bhi - 1] {
            r.ahi -= 1;
            r.bhi -= 1;
            self.matches.push((r.ahi, r.bhi));
        }
        let (n, m) = (r.ahi - r.alo, r.bhi - r.blo);
        if n == 0 || m == 0 {
            return;
        }
        // One token on a side makes the table a single row: linear, and
        // the split below could not shrink such a range.
        if n.saturating_mul(m) <= self.params.dp_cells || n.min(m) == 1 {
            self.exact(r);
            return;
        }
        let mut anchors = self.unique_anchors(r);
        if anchors.is_empty() {
            anchors = self.repeat_anchors(r);
        }
        if anchors.is_empty() {
            let (amid, bmid) = (r.alo + n / 2, r.blo + m / 2);
            stack.push(Range {
                ahi: amid,
                bhi: bmid,
                ..r
            });
            stack.push(Range {
                alo: amid,
                blo: bmid,
                ..r
            });
            return;
        }
        let chain = longest_increasing(&anchors);
        let (mut alo, mut blo) = (r.alo, r.blo);
        for &(i, j) in &chain {
            self.matches.push((i, j));
            stack.push(Range {
                alo,
                ahi: i,
                blo,
                bhi: j,
            });
            alo = i + 1;
            blo = j + 1;
        }
        stack.push(Range {
            alo,
            ahi: r.ahi,
            blo,
            bhi: r.bhi,
        });
    }

    /// Counts the ids of both sides of `r` into the scratch arrays.
    fn count(&mut self, r: Range) {
        for i in r.alo..r.ahi {
            let id = self.a[i] as usize;
            self.count_a[id] += 1;
            self.pos_a[id] = i;
        }
        for j in r.blo..r.bhi {
            let id = self.b[j] as usize;
            self.count_b[id] += 1;
            self.pos_b[id] = j;
        }
    }

    fn uncount(&mut self, r: Range) {
        for i in r.alo..r.ahi {
            self.count_a[self.a[i] as usize] = 0;
        }
        for j in r.blo..r.bhi {
            self.count_b[self.b[j] as usize] = 0;
        }
    }

    /// Pairs of positions of the tokens occurring exactly once on each
    /// side, in order of the first witness.
    fn unique_anchors(&mut self, r: Range) -> Vec<(usize, usize)> {
        self.count(r);
        let mut anchors = Vec::new();
        for i in r.alo..r.ahi {
            let id = self.a[i] as usize;
            if self.count_a[id] == 1 && self.count_b[id] == 1 {
                anchors.push((i, self.pos_b[id]));
            }
        }
        self.uncount(r);
        anchors
    }

    /// Pairs the k-th occurrence on one side with the k-th on the other,
    /// for tokens occurring equally often (and not too often) on both.
    fn repeat_anchors(&mut self, r: Range) -> Vec<(usize, usize)> {
        self.count(r);
        let limit = self.params.max_repeat_anchor;
        let (count_a, count_b) = (&self.count_a, &self.count_b);
        let qualifies = |id: usize| count_a[id] == count_b[id] && count_a[id] <= limit;
        // The second side's occurrences grouped by id, each group in text
        // order; pos_b[id] becomes where the group starts.
        let mut occ_b: Vec<(u32, usize)> = (r.blo..r.bhi)
            .filter(|&j| qualifies(self.b[j] as usize))
            .map(|j| (self.b[j], j))
            .collect();
        occ_b.sort_unstable();
        for (g, &(id, _)) in occ_b.iter().enumerate().rev() {
            self.pos_b[id as usize] = g;
        }
        // pos_a[id] becomes the number of occurrences of id numbered so far.
        for i in r.alo..r.ahi {
            self.pos_a[self.a[i] as usize] = 0;
        }
        let mut anchors = Vec::new();
        for i in r.alo..r.ahi {
            let id = self.a[i] as usize;
            if !qualifies(id) {
                continue;
            }
            if let Some(&(_, j)) = occ_b.get(self.pos_b[id] + self.pos_a[id]) {
                anchors.push((i, j));
            }
            self.pos_a[id] += 1;
        }
        self.uncount(r);
        anchors
    }

    /// Weighted LCS of a small range by a full table.
    fn exact(&mut self, r: Range) {
        let (n, m) = (r.ahi - r.alo, r.bhi - r.blo);
        let w = m + 1;
        self.dp.clear();
        self.dp.resize((n + 1) * w, 0);
        for i in 1..=n {
            let ai = self.a[r.alo + i - 1];
            let wt = weight(self.is_word[ai as usize]);
            for j in 1..=m {
                let diag = if ai == self.b[r.blo + j - 1] {
                    self.dp[(i - 1) * w + j - 1] + wt
                } else {
                    0
                };
                let best = self.dp[(i - 1) * w + j]
                    .max(self.dp[i * w + j - 1])
                    .max(diag);
                self.dp[i * w + j] = best;
            }
        }
        let (mut i, mut j) = (n, m);
        while i > 0 && j > 0 {
            let ai = self.a[r.alo + i - 1];
            let here = self.dp[i * w + j];
            if ai == self.b[r.blo + j - 1]
                && here == self.dp[(i - 1) * w + j - 1] + weight(self.is_word[ai as usize])
            {
                self.matches.push((r.alo + i - 1, r.blo + j - 1));
                i -= 1;
                j -= 1;
            } else if self.dp[(i - 1) * w + j] >= self.dp[i * w + j - 1] {
                i -= 1;
            } else {
                j -= 1;
            }
        }
    }
}

/// The longest subsequence of `pairs` (sorted by first element) whose
/// second elements increase, by patience sorting in O(k log k).
fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // tails[l] = index in `pairs` of the smallest tail of an increasing
    // run of length l + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; pairs.len()];
    for (k, &(_, j)) in pairs.iter().enumerate() {
        let l = tails.partition_point(|&t| pairs[t].1 < j);
        prev[k] = if l > 0 { Some(tails[l - 1]) } else { None };
        if l == tails.len() {
            tails.push(k);
        } else {
            tails[l] = k;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut cur = tails.last().copied();
    while let Some(k) = cur {
        out.push(pairs[k]);
        cur = prev[k];
    }
    out.reverse();
    out
}
