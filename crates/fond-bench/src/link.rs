//! Linking speed against a naive baseline: one regular expression per name
//! variant, each run over every text. Measured in the same run, so the
//! ratio holds on any machine; not a test (no timing assertions), called
//! by `examples/bench_link.rs`.

use fond_authority::{person_variants, Authority};
use regex::Regex;
use std::time::{Duration, Instant};

/// Every surface form the naive baseline searches for: the name variants
/// of people as written (no folding: the baseline knows no
/// romanisations), the bodies' and periodicals' names.
pub fn naive_variants(authority: &Authority) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in authority.people() {
        out.extend(person_variants(p).into_iter().map(|v| v.form));
    }
    for b in authority.bodies() {
        out.extend(b.names().cloned());
    }
    for p in authority.periodicals() {
        out.extend(p.names().cloned());
    }
    out.sort();
    out.dedup();
    out
}

/// Times [`Authority::link`] over `texts` against the naive baseline (one
/// `\bvariant\b` regular expression per variant, compiled before the clock
/// starts, each run over every text). Returns (fond, naive). The baseline
/// only finds spans; it neither folds spellings nor resolves anything, so
/// the ratio understates what the linker does per byte.
pub fn bench_link(authority: &Authority, texts: &[&str]) -> (Duration, Duration) {
    let t = Instant::now();
    let mut found = 0usize;
    for (i, text) in texts.iter().enumerate() {
        found += authority
            .link(
                &i.to_string(),
                fond_model::authority::MentionField::Body,
                text,
                None,
            )
            .len();
    }
    let fond = t.elapsed();
    let regexes: Vec<Regex> = naive_variants(authority)
        .iter()
        .filter_map(|v| Regex::new(&format!(r"\b{}\b", regex::escape(v))).ok())
        .collect();
    let t = Instant::now();
    let mut naive_found = 0usize;
    for text in texts {
        for r in &regexes {
            naive_found += r.find_iter(text).count();
        }
    }
    let naive = t.elapsed();
    // Keep the counts alive so neither loop is optimised away.
    std::hint::black_box((found, naive_found));
    (fond, naive)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_sides_run_on_a_small_book() {
        let book = "## Glossary of Names\n\n**Bukharin, N. I.** (1888–1938). Politburo member, 1924–29.\n\n# Index\n\n- Bukharin, N. I., 7\n";
        let Ok(a) = Authority::from_book(book) else {
            panic!("small book")
        };
        assert!(naive_variants(&a).contains(&"N. I. Bukharin".to_string()));
        let (f, n) = bench_link(&a, &["Com. Bukharin and the Politburo."]);
        assert!(f > Duration::ZERO && n > Duration::ZERO);
    }
}
