//! Alignments derived by hand, whole-crate invariants, and the JSON shape.

use super::*;
use VariantKind::*;

/// The columns as (reading of each witness, column variant).
type Cols = Vec<(Vec<String>, Option<VariantKind>)>;

fn collate_with(texts: &[&str], options: &Options) -> (Alignment, Cols) {
    let toks: Vec<Vec<Token>> = texts.iter().map(|t| tokenize(t)).collect();
    let refs: Vec<&[Token]> = toks.iter().map(Vec::as_slice).collect();
    let al = align_with(&refs, options).unwrap();
    check_invariants(&al, &toks);
    let cols = al
        .columns
        .iter()
        .map(|c| {
            let readings = c
                .cells
                .iter()
                .zip(&toks)
                .map(|(cell, t)| join(&t[cell.tokens.range()]))
                .collect();
            (readings, c.variant)
        })
        .collect();
    (al, cols)
}

fn collate(texts: &[&str]) -> Cols {
    let (_, cols) = collate_with(texts, &Options::default());
    // The anchor path (no exact solver at all) must agree on these small
    // cases, where anchors are plentiful.
    let anchors_only = Options {
        dp_cells: 0,
        ..Options::default()
    };
    let (_, other) = collate_with(texts, &anchors_only);
    assert_eq!(cols, other, "exact and anchored alignments differ");
    cols
}

fn col(readings: &[&str], variant: Option<VariantKind>) -> (Vec<String>, Option<VariantKind>) {
    (readings.iter().map(|s| s.to_string()).collect(), variant)
}

/// Every witness's cells tile it in order; agreement columns agree; the
/// column variant is the worst cell variant; moves point at their cells.
fn check_invariants(al: &Alignment, toks: &[Vec<Token>]) {
    assert_eq!(
        al.witness_lens,
        toks.iter().map(Vec::len).collect::<Vec<_>>()
    );
    for (w, t) in toks.iter().enumerate() {
        let mut pos = 0;
        for c in &al.columns {
            let cell = c.cells[w];
            assert_eq!(cell.tokens.start, pos, "witness {w} not contiguous");
            pos = cell.tokens.end;
        }
        assert_eq!(pos, t.len(), "witness {w} not covered");
    }
    for c in &al.columns {
        assert_eq!(c.cells.len(), toks.len());
        assert_eq!(c.cells[0].variant, None);
        assert_eq!(c.variant, c.cells.iter().filter_map(|x| x.variant).max());
        if c.variant.is_none() {
            let base = join(&toks[0][c.cells[0].tokens.range()]);
            for (cell, t) in c.cells.iter().zip(toks) {
                assert_eq!(join(&t[cell.tokens.range()]), base);
            }
        }
        for cell in &c.cells {
            if let Some(m) = cell.moved {
                assert!(m < al.moves.len());
                assert_eq!(cell.variant, Some(Moved));
            }
        }
    }
}

#[test]
fn identical_witnesses_are_one_agreement_column() {
    let text = "Dear Viacheslav, I had a look (very quickly) at the transcript.";
    assert_eq!(collate(&[text, text]), vec![col(&[text, text], None)]);
    let (al, _) = collate_with(&[text, text, text], &Options::default());
    assert_eq!(al.columns.len(), 1);
    assert_eq!(al.stats().agreeing, al.witness_lens);
}

#[test]
fn word_order_swap_is_a_move() {
    // "he came" is the longest common chain; "quickly" is the only token
    // left on each side, a whole gap two matches away: a transposition.
    assert_eq!(
        collate(&["he came quickly", "quickly he came"]),
        vec![
            col(&["", "quickly"], Some(Moved)),
            col(&["he came", "he came"], None),
            col(&["quickly", ""], Some(Moved)),
        ]
    );
}

#[test]
fn transposed_block_is_moved_not_added_and_omitted() {
    let a = "Stalin wrote to Molotov from Sochi in the summer of 1927 about the opposition";
    let b = "from Sochi in the summer of 1927 Stalin wrote to Molotov about the opposition";
    // The seven-word block outweighs the four-word one, so the latter moves.
    assert_eq!(
        collate(&[a, b]),
        vec![
            col(&["Stalin wrote to Molotov", ""], Some(Moved)),
            col(
                &[
                    "from Sochi in the summer of 1927",
                    "from Sochi in the summer of 1927"
                ],
                None
            ),
            col(&["", "Stalin wrote to Molotov"], Some(Moved)),
            col(&["about the opposition", "about the opposition"], None),
        ]
    );
    let (al, _) = collate_with(&[a, b], &Options::default());
    assert_eq!(
        al.moves,
        vec![Move {
            witness: 1,
            base: Span::new(0, 4),
            tokens: Span::new(7, 11),
        }]
    );
    assert_eq!(al.columns[0].cells[1].moved, Some(0));
    assert_eq!(al.columns[2].cells[1].moved, Some(0));
}

#[test]
fn repeated_words() {
    // The common prefix "I saw the" is matched first, so it is the second
    // "the" that one witness lacks.
    assert_eq!(
        collate(&["I saw the the cat", "I saw the cat"]),
        vec![
            col(&["I saw the", "I saw the"], None),
            col(&["the", ""], Some(Omitted)),
            col(&["cat", "cat"], None),
        ]
    );
    assert_eq!(
        collate(&["I saw the cat", "I saw the the cat"]),
        vec![
            col(&["I saw the", "I saw the"], None),
            col(&["", "the"], Some(Added)),
            col(&["cat", "cat"], None),
        ]
    );
    // A repeated phrase in both: matched copy for copy.
    let t = "the party, the party and the party";
    assert_eq!(collate(&[t, t]), vec![col(&[t, t], None)]);
}

#[test]
fn omissions_at_the_start_and_the_end() {
    let a = "Dear Comrade Molotov, greetings. I received your letter. Regards, Stalin";
    let b = "I received your letter.";
    assert_eq!(
        collate(&[a, b]),
        vec![
            col(&["Dear Comrade Molotov, greetings.", ""], Some(Omitted)),
            col(
                &["I received your letter.", "I received your letter."],
                None
            ),
            col(&["Regards, Stalin", ""], Some(Omitted)),
        ]
    );
    assert_eq!(
        collate(&[b, a]),
        vec![
            col(&["", "Dear Comrade Molotov, greetings."], Some(Added)),
            col(
                &["I received your letter.", "I received your letter."],
                None
            ),
            col(&["", "Regards, Stalin"], Some(Added)),
        ]
    );
}

#[test]
fn empty_witnesses() {
    assert_eq!(
        collate(&["one two", ""]),
        vec![col(&["one two", ""], Some(Omitted))]
    );
    assert_eq!(
        collate(&["", "one two"]),
        vec![col(&["", "one two"], Some(Added))]
    );
    assert_eq!(collate(&["", ""]), vec![]);
    assert_eq!(
        collate(&["one two", "", "one two"]),
        vec![col(&["one two", "", "one two"], Some(Omitted))]
    );
}

#[test]
fn too_few_witnesses_is_an_error() {
    let a = tokenize("a");
    assert_eq!(align(&[&a]), Err(CollateError::TooFewWitnesses(1)));
    assert_eq!(align(&[]), Err(CollateError::TooFewWitnesses(0)));
}

#[test]
fn glued_words_are_spacing() {
    assert_eq!(
        collate(&[
            "the transcript of the CentralControl Commission session",
            "the transcript of the Central Control Commission session",
        ]),
        vec![
            col(&["the transcript of the", "the transcript of the"], None),
            col(&["CentralControl", "Central Control"], Some(Spacing)),
            col(&["Commission session", "Commission session"], None),
        ]
    );
    // A glued function word beside a real change stays its own column.
    assert_eq!(
        collate(&[
            "under the text of theletter, although",
            "under the text of the missive, although"
        ]),
        vec![
            col(&["under the text of", "under the text of"], None),
            col(&["theletter", "the missive"], Some(Changed)),
            col(&[", although", ", although"], None),
        ]
    );
    assert_eq!(
        collate(&["text of theletter quite", "text of the letter entirely"]),
        vec![
            col(&["text of", "text of"], None),
            col(&["theletter", "the letter"], Some(Spacing)),
            col(&["quite", "entirely"], Some(Changed)),
        ]
    );
}

#[test]
fn hyphenation() {
    // Broken at a line end: one token, matched, differing in its hyphen.
    assert_eq!(
        collate(&["it was espe-\ncially hard", "it was especially hard"]),
        vec![
            col(&["it was", "it was"], None),
            col(&["espe-cially", "especially"], Some(Hyphenation)),
            col(&["hard", "hard"], None),
        ]
    );
    // Broken with a space (line breaks lost): three tokens against one.
    assert_eq!(
        collate(&["it was espe- cially hard", "it was especially hard"]),
        vec![
            col(&["it was", "it was"], None),
            col(&["espe- cially", "especially"], Some(Hyphenation)),
            col(&["hard", "hard"], None),
        ]
    );
}

#[test]
fn punctuation_only_differences() {
    assert_eq!(
        collate(&[
            "Where's Sergo? Where has he gone",
            "Where's Sergo! Where has he gone"
        ]),
        vec![
            col(&["Where's Sergo", "Where's Sergo"], None),
            col(&["?", "!"], Some(Punctuation)),
            col(&["Where has he gone", "Where has he gone"], None),
        ]
    );
    // Quote styles match (so the words between them align) and are
    // reported as punctuation.
    assert_eq!(
        collate(&["the “case” against", "the \"case\" against"]),
        vec![
            col(&["the", "the"], None),
            col(&["“", "\""], Some(Punctuation)),
            col(&["case", "case"], None),
            col(&["”", "\""], Some(Punctuation)),
            col(&["against", "against"], None),
        ]
    );
    assert_eq!(
        collate(&["a comma, here", "a comma here"]),
        vec![
            col(&["a comma", "a comma"], None),
            col(&[",", ""], Some(Punctuation)),
            col(&["here", "here"], None)
        ]
    );
}

#[test]
fn three_witnesses() {
    // B omits "to" and adds "1927"; C changes "June".
    assert_eq!(
        collate(&[
            "Stalin wrote to Molotov in June",
            "Stalin wrote Molotov in June 1927",
            "Stalin wrote to Molotov in July",
        ]),
        vec![
            col(&["Stalin wrote", "Stalin wrote", "Stalin wrote"], None),
            col(&["to", "", "to"], Some(Omitted)),
            col(&["Molotov in", "Molotov in", "Molotov in"], None),
            col(&["June", "June", "July"], Some(Changed)),
            col(&["", "1927", ""], Some(Added)),
        ]
    );
    // Overlapping variants: B changes "in Sochi", C "Sochi today"; the
    // column spans both.
    let (al, cols) = collate_with(
        &[
            "we met in Sochi today",
            "we met at Gagra today",
            "we met in Moscow yesterday",
        ],
        &Options::default(),
    );
    assert_eq!(
        cols,
        vec![
            col(&["we met", "we met", "we met"], None),
            col(
                &["in Sochi today", "at Gagra today", "in Moscow yesterday"],
                Some(Changed)
            ),
        ]
    );
    assert_eq!(al.columns[1].cells[1].variant, Some(Changed));
    assert_eq!(al.columns[1].cells[2].variant, Some(Changed));
}

#[test]
fn trivial_and_substantive_cells_are_counted() {
    let (al, _) = collate_with(
        &[
            "the CentralControl Commission met on Monday",
            "the Central Control Commission met Tuesday",
        ],
        &Options::default(),
    );
    let stats = al.stats();
    assert_eq!(stats.tokens, vec![6, 6]);
    assert_eq!(stats.variants.get(&Spacing), Some(&1));
    assert_eq!(stats.variants.get(&Changed), Some(&1));
    assert_eq!(stats.trivial(), 1);
    assert_eq!(stats.substantive(), 1);
    // "on Monday" / "Tuesday" is the only disagreement.
    assert_eq!(stats.agreeing, vec![4, 5]);
}

#[test]
fn table_serialises_readings_with_text() {
    let a = tokenize("in Trud.");
    let b = tokenize("in Labor.");
    let al = align(&[&a, &b]).unwrap();
    let table = al
        .table(&[Witness::new("A", &a), Witness::new("B", &b)])
        .unwrap();
    let json = serde_json::to_value(&table).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "witnesses": ["A", "B"],
            "columns": [
                {"variant": null, "substantive": false, "readings": [
                    {"text": "in", "tokens": {"start": 0, "end": 1}, "variant": null, "moved": null},
                    {"text": "in", "tokens": {"start": 0, "end": 1}, "variant": null, "moved": null}]},
                {"variant": "changed", "substantive": true, "readings": [
                    {"text": "Trud", "tokens": {"start": 1, "end": 2}, "variant": null, "moved": null},
                    {"text": "Labor", "tokens": {"start": 1, "end": 2}, "variant": "changed", "moved": null}]},
                {"variant": null, "substantive": false, "readings": [
                    {"text": ".", "tokens": {"start": 2, "end": 3}, "variant": null, "moved": null},
                    {"text": ".", "tokens": {"start": 2, "end": 3}, "variant": null, "moved": null}]}
            ],
            "moves": []
        })
    );
    // The alignment itself round-trips.
    let back: Alignment = serde_json::from_str(&serde_json::to_string(&al).unwrap()).unwrap();
    assert_eq!(back, al);
    assert_eq!(
        al.table(&[Witness::new("A", &a), Witness::new("A", &b)]),
        Err(CollateError::DuplicateSiglum("A".into()))
    );
}

/// Pseudo-random witnesses over a small vocabulary (so tokens repeat and
/// the repeat-anchor and split fallbacks run), with every solver setting:
/// the invariants hold and the matches are never worse than nothing.
#[test]
fn invariants_hold_on_repetitive_random_text() {
    let mut seed: u64 = 7;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let vocab = [
        "the", "party", "of", ",", "Trotsky", "and", ".", "Zinoviev", "CC", "the",
    ];
    for round in 0..60 {
        let len_a = next() % 300;
        let a: Vec<&str> = (0..len_a).map(|_| vocab[next() % vocab.len()]).collect();
        let mut b: Vec<&str> = Vec::new();
        for &w in &a {
            match next() % 10 {
                0 => {}
                1 => {
                    b.push(vocab[next() % vocab.len()]);
                    b.push(w);
                }
                2 => b.push(vocab[next() % vocab.len()]),
                _ => b.push(w),
            }
        }
        let (ta, tb) = (a.join(" "), b.join(" "));
        for options in [
            Options::default(),
            Options {
                dp_cells: 0,
                ..Options::default()
            },
            Options {
                dp_cells: 0,
                max_repeat_anchor: 0,
                ..Options::default()
            },
            Options {
                dp_cells: 16,
                max_repeat_anchor: 2,
                min_move: 1,
                ..Options::default()
            },
        ] {
            let (al, _) = collate_with(&[&ta, &tb, &ta], &options);
            let stats = al.stats();
            assert_eq!(
                stats.agreeing[2], stats.tokens[2],
                "round {round}: a witness identical to the base"
            );
        }
    }
}
