//! The aligner on the reference corpus: letters 31–38 in the book and the
//! web transcription, and the two translations of the telegram of 10
//! January 1939. Skipped, with a message, where the corpus is absent.

use fond_bench::collate::{line_offset, slice_letters, BOOK_AFTER_38};
use fond_collate::{
    align, join, render_terminal, tokenize, Alignment, RenderOptions, Token, Witness,
};
use std::path::PathBuf;

/// `../shared/corpus` beside the repository, as the README lays it out.
fn corpus_dir() -> PathBuf {
    fond_test_support::corpus("")
}

/// The named corpus files, or `None` (and a SKIP line) if any is missing.
fn corpus_files<const N: usize>(names: [&str; N]) -> Option<[String; N]> {
    let dir = corpus_dir();
    let mut texts = Vec::with_capacity(N);
    for name in names {
        let path = dir.join(name);
        match std::fs::read_to_string(&path) {
            Ok(text) => texts.push(text),
            Err(e) => {
                fond_test_support::available(format!("{} ({e})", path.display()), false);
                return None;
            }
        }
    }
    texts.try_into().ok()
}

/// The text from the first occurrence of `from` to the end of the first
/// occurrence of `to` after it (or to its start, with `inclusive` false).
fn between<'a>(text: &'a str, from: &str, to: &str, inclusive: bool) -> &'a str {
    let start = text
        .find(from)
        .unwrap_or_else(|| panic!("{from:?} not in the corpus"));
    let rel = text[start..]
        .find(to)
        .unwrap_or_else(|| panic!("{to:?} not after {from:?}"));
    let end = start + rel + if inclusive { to.len() } else { 0 };
    &text[start..end]
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

/// Prints the substantive variants as `base ] witness (kind)`, one a line.
fn print_substantive(al: &Alignment, a: &[Token], b: &[Token]) {
    for col in al.substantive() {
        let (ca, cb) = (col.cells[0], col.cells[1]);
        let kind = col.variant.map(|k| k.to_string()).unwrap_or_default();
        println!(
            "  {} ] {}  ({kind})",
            join(&a[ca.tokens.range()]),
            join(&b[cb.tokens.range()])
        );
    }
}

/// Book and web witnesses of letter `n`: from its marker to the next one
/// (the book's markup stripped, the editors' notes included on both sides,
/// as each source prints them).
fn letter(book: &str, web: &str, n: u32) -> (Vec<Token>, Vec<Token>) {
    let (b, w) = if n == 38 {
        // The last letter of both: the book goes on with the 1929 chapter,
        // the web text ends.
        let b = slice_letters(book, n, None)
            .map(|b| &b[..line_offset(b, BOOK_AFTER_38, 0).unwrap_or(b.len())]);
        (b, slice_letters(web, n, None))
    } else {
        (
            slice_letters(book, n, Some(n + 1)),
            slice_letters(web, n, Some(n + 1)),
        )
    };
    let b = b.unwrap_or_else(|| panic!("letter {n} not in the book"));
    let w = w.unwrap_or_else(|| panic!("letter {n} not in the web text"));
    (
        tokenize(&fond_model::Markup::Markdown.reading_text(b)),
        tokenize(w),
    )
}

#[test]
fn letter_31_book_against_web() {
    let Some([book, web]) = corpus_files([
        "letters-to-molotov-1925-1936.book.md",
        "letters-to-molotov-31-38.web.txt",
    ]) else {
        return;
    };
    let (a, b) = letter(&book, &web, 31);
    let al = align(&[&a, &b]).unwrap();
    let stats = al.stats();
    println!("letter 31: {stats:?}");
    let ws = [Witness::new("book", &a), Witness::new("web", &b)];
    let opts = RenderOptions {
        width: 110,
        ..RenderOptions::default()
    };
    println!("{}", render_terminal(&al, &ws, &opts).unwrap());
    assert!(
        share(stats.agreeing[0], stats.tokens[0]) > 0.95,
        "{stats:?}"
    );
    assert!(
        share(stats.agreeing[1], stats.tokens[1]) > 0.95,
        "{stats:?}"
    );
    assert!(stats.trivial() > stats.substantive(), "{stats:?}");
    // The damage the corpus README names, seen for what it is.
    let kinds = |needle: &str| {
        al.variants()
            .filter(|c| join(&b[c.cells[1].tokens.range()]).contains(needle))
            .filter_map(|c| c.variant)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        kinds("CentralControl"),
        [fond_collate::VariantKind::Spacing]
    );
    assert_eq!(kinds("theletter"), [fond_collate::VariantKind::Spacing]);
    assert_eq!(kinds("Shkiriatov"), [fond_collate::VariantKind::Spelling]);
}

#[test]
fn letters_31_to_38_book_against_web() {
    let Some([book, web]) = corpus_files([
        "letters-to-molotov-1925-1936.book.md",
        "letters-to-molotov-31-38.web.txt",
    ]) else {
        return;
    };
    for n in 31..=38 {
        let (a, b) = letter(&book, &web, n);
        let al = align(&[&a, &b]).unwrap();
        let stats = al.stats();
        let (sa, sb) = (
            share(stats.agreeing[0], stats.tokens[0]),
            share(stats.agreeing[1], stats.tokens[1]),
        );
        println!(
            "letter {n}: {} / {} tokens, agreeing {:.1}% / {:.1}%, {} trivial and {} substantive variants {:?}",
            stats.tokens[0],
            stats.tokens[1],
            sa * 100.0,
            sb * 100.0,
            stats.trivial(),
            stats.substantive(),
            stats.variants
        );
        print_substantive(&al, &a, &b);
        assert!(sa > 0.9 && sb > 0.9, "letter {n}: {stats:?}");
        assert!(
            stats.trivial() >= stats.substantive(),
            "letter {n}: {stats:?}"
        );
    }
}

#[test]
fn telegram_of_10_january_1939_two_translations() {
    let Some([text]) = corpus_files(["stalin-archive-1936-1939.web.txt"]) else {
        return;
    };
    let first = between(
        &text,
        "It has become known to the VKP CC",
        "10.1.1939",
        true,
    );
    let second = between(
        &text,
        "The CC [Central Committee] of the VKP",
        "Additionally printed",
        false,
    );
    let (a, b) = (tokenize(first), tokenize(second));
    let al = align(&[&a, &b]).unwrap();
    let stats = al.stats();
    println!("telegram: {stats:?}");
    println!("substantive variants (first translation ] Furr's):");
    print_substantive(&al, &a, &b);
    // Two translations of one text: the same skeleton (names, the CC, the
    // NKVD, physical pressure) in different words.
    assert!(share(stats.agreeing[0], stats.tokens[0]) > 0.3, "{stats:?}");
    assert!(stats.substantive() > 20, "{stats:?}");
    for shared in [
        "Zakovsky , Litvin , Uspensky",
        "physical pressure",
        "enemies of the people",
    ] {
        let found = al.columns.iter().filter(|c| c.variant.is_none()).any(|c| {
            join(&a[c.cells[0].tokens.range()]).contains(shared.replace(" ,", ",").as_str())
        });
        assert!(found, "{shared:?} should be aligned");
    }
}
