//! TEI P5 parallel segmentation: the base text with an `<app>` at each
//! variant, one `<rdg wit="#A #C">` per distinct reading (TEI Guidelines
//! §12.2.3). Each `<app>` carries the variant's kind as `@type`, so that a
//! stylesheet (or [`TeiOptions::hide_trivial`]) can leave the trivial ones
//! out; the two places of a transposition share `@n` (`m0`, `m1`, …).

use crate::alignment::{check_siglum, Alignment};
use crate::token::join;
use crate::{CollateError, Witness};

/// What [`tei_parallel_segmentation`] writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TeiOptions {
    /// Write trivial variants as the base text instead of `<app>`s.
    pub hide_trivial: bool,
}

/// The collation as a TEI fragment, to sit inside a `<p>` or `<ab>`.
pub fn tei_parallel_segmentation(
    al: &Alignment,
    witnesses: &[Witness],
    opts: &TeiOptions,
) -> Result<String, CollateError> {
    al.check(witnesses)?;
    let Some(base) = witnesses.first() else {
        return Err(CollateError::TooFewWitnesses(0));
    };
    let mut out = String::new();
    for col in &al.columns {
        let app = col
            .variant
            .filter(|v| v.is_substantive() || !opts.hide_trivial);
        // The space before the column: as the first token shown had it.
        let first = col
            .cells
            .iter()
            .zip(witnesses)
            .find_map(|(c, w)| w.tokens[c.tokens.range()].first());
        if !out.is_empty() && first.is_some_and(|t| t.space_before) {
            out.push(' ');
        }
        let Some(kind) = app else {
            if let Some(cell) = col.cells.first() {
                fond_text::push_markup(&mut out, &join(&base.tokens[cell.tokens.range()]));
            }
            continue;
        };
        out.push_str("<app type=\"");
        out.push_str(kind.as_str());
        out.push('"');
        if let Some(m) = col.cells.iter().find_map(|c| c.moved) {
            out.push_str(&format!(" n=\"m{m}\""));
        }
        out.push('>');
        // Readings in witness order, witnesses with the same text together.
        let texts: Vec<String> = col
            .cells
            .iter()
            .zip(witnesses)
            .map(|(c, w)| join(&w.tokens[c.tokens.range()]))
            .collect();
        for (i, text) in texts.iter().enumerate() {
            if texts[..i].contains(text) {
                continue;
            }
            let wits: Vec<String> = texts
                .iter()
                .zip(witnesses)
                .filter(|(t, _)| *t == text)
                .map(|(_, w)| format!("#{}", w.siglum))
                .collect();
            out.push_str("<rdg wit=\"");
            out.push_str(&wits.join(" "));
            if text.is_empty() {
                out.push_str("\"/>");
            } else {
                out.push_str("\">");
                fond_text::push_markup(&mut out, text);
                out.push_str("</rdg>");
            }
        }
        out.push_str("</app>");
    }
    Ok(out)
}

/// The `<listWit>` declaring the witnesses: `(siglum, description)` pairs.
pub fn tei_list_wit(witnesses: &[(&str, &str)]) -> Result<String, CollateError> {
    let mut out = String::from("<listWit>\n");
    for (i, (siglum, description)) in witnesses.iter().enumerate() {
        check_siglum(siglum)?;
        if witnesses[..i].iter().any(|(s, _)| s == siglum) {
            return Err(CollateError::DuplicateSiglum(siglum.to_string()));
        }
        out.push_str("  <witness xml:id=\"");
        out.push_str(siglum);
        out.push_str("\">");
        fond_text::push_markup(&mut out, description);
        out.push_str("</witness>\n");
    }
    out.push_str("</listWit>");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{align, tokenize};

    fn tei(texts: &[&str], hide_trivial: bool) -> String {
        let toks: Vec<_> = texts.iter().map(|t| tokenize(t)).collect();
        let refs: Vec<&[_]> = toks.iter().map(Vec::as_slice).collect();
        let al = align(&refs).unwrap();
        let sigla = ["A", "B", "C"];
        let ws: Vec<Witness> = toks
            .iter()
            .zip(sigla)
            .map(|(t, s)| Witness::new(s, t))
            .collect();
        tei_parallel_segmentation(&al, &ws, &TeiOptions { hide_trivial }).unwrap()
    }

    #[test]
    fn apps_sit_inline_in_the_base_text() {
        assert_eq!(
            tei(&["a purge in Trud.", "a purge in Labor."], false),
            "a purge in <app type=\"changed\"><rdg wit=\"#A\">Trud</rdg><rdg wit=\"#B\">Labor</rdg></app>."
        );
    }

    #[test]
    fn identical_readings_share_a_rdg_and_empty_ones_are_empty_elements() {
        assert_eq!(
            tei(&["one two three", "one three", "one three"], false),
            "one <app type=\"omitted\"><rdg wit=\"#A\">two</rdg><rdg wit=\"#B #C\"/></app> three"
        );
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            tei(&["R. & \"Or.\" <V.>", "R. & 'Or.' <V.>"], false),
            "R. &amp; <app type=\"punctuation\"><rdg wit=\"#A\">&quot;</rdg><rdg wit=\"#B\">'</rdg></app>Or.<app type=\"punctuation\"><rdg wit=\"#A\">&quot;</rdg><rdg wit=\"#B\">'</rdg></app> &lt;V.&gt;"
        );
    }

    #[test]
    fn trivial_variants_can_be_left_out() {
        assert_eq!(
            tei(
                &[
                    "the CentralControl Commission",
                    "the Central Control Commission"
                ],
                true
            ),
            "the CentralControl Commission"
        );
        assert!(tei(
            &[
                "the CentralControl Commission",
                "the Central Control Commission"
            ],
            false
        )
        .contains("<app type=\"spacing\">"));
    }

    #[test]
    fn moves_share_n() {
        let out = tei(&["x y z one two three w", "one two three x y z w"], false);
        assert_eq!(
            out.matches("<app type=\"moved\" n=\"m0\">").count(),
            2,
            "{out}"
        );
    }

    #[test]
    fn list_wit_checks_sigla() {
        assert_eq!(
            tei_list_wit(&[("book", "Yale 1995"), ("web", "MIA & co")]).unwrap(),
            "<listWit>\n  <witness xml:id=\"book\">Yale 1995</witness>\n  <witness xml:id=\"web\">MIA &amp; co</witness>\n</listWit>"
        );
        assert_eq!(
            tei_list_wit(&[("1a", "")]),
            Err(CollateError::InvalidSiglum("1a".into()))
        );
        assert_eq!(
            tei_list_wit(&[("a b", "")]),
            Err(CollateError::InvalidSiglum("a b".into()))
        );
        assert_eq!(
            tei_list_wit(&[("A", ""), ("A", "")]),
            Err(CollateError::DuplicateSiglum("A".into()))
        );
    }
}
