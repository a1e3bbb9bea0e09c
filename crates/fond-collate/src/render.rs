//! The alignment as a terminal table.
//!
//! Text on which every witness agrees runs as wrapped prose; each variant
//! is a row with one column per witness and its kind at the right.
//! Substantive variants are marked `*` (red with colour), trivial ones `~`
//! (dim), so the eye goes to the real differences; with `hide_trivial`
//! trivial variants are not rows at all, their base reading joins the
//! prose.

use crate::alignment::{Alignment, Column};
use crate::token::join;
use crate::{CollateError, Witness};
use std::fmt::Write;

/// How [`render_terminal`] lays the table out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    /// Line width in characters.
    pub width: usize,
    /// Show trivial variants as base text instead of rows.
    pub hide_trivial: bool,
    /// ANSI colours.
    pub color: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            width: 100,
            hide_trivial: false,
            color: false,
        }
    }
}

const RED_BOLD: &str = "\x1b[1;31m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";
/// Room for "moved m12" and the like.
const LABEL_WIDTH: usize = 12;
/// Below this the cells are too narrow to read; the table grows instead.
const MIN_CELL: usize = 12;

/// Renders the alignment for a terminal.
pub fn render_terminal(
    al: &Alignment,
    witnesses: &[Witness],
    opts: &RenderOptions,
) -> Result<String, CollateError> {
    al.check(witnesses)?;
    let n = witnesses.len();
    // "* " marker, then per witness a cell and " │ ", then the label.
    let cell = (opts.width.saturating_sub(2 + LABEL_WIDTH) / n.max(1))
        .saturating_sub(3)
        .max(MIN_CELL);
    let mut out = String::new();
    let header: Vec<String> = witnesses.iter().map(|w| w.siglum.to_string()).collect();
    write_row(&mut out, "  ", &header, "", cell, None);
    let rule = "─".repeat(2 + n * (cell + 3) + LABEL_WIDTH);
    let _ = writeln!(out, "{rule}");

    let mut prose = String::new();
    for col in &al.columns {
        let kind = match col.variant {
            Some(v) if v.is_substantive() || !opts.hide_trivial => v,
            _ => {
                append_prose(&mut prose, col, witnesses);
                continue;
            }
        };
        flush_prose(&mut out, &mut prose, opts.width);
        let texts: Vec<String> = col
            .cells
            .iter()
            .zip(witnesses)
            .map(|(c, w)| join(&w.tokens[c.tokens.range()]))
            .collect();
        let moved = col.cells.iter().find_map(|c| c.moved);
        let label = match moved {
            Some(m) => format!("{kind} m{m}"),
            None => kind.to_string(),
        };
        let (marker, color) = if kind.is_substantive() {
            ("* ", opts.color.then_some(RED_BOLD))
        } else {
            ("~ ", opts.color.then_some(DIM))
        };
        write_row(&mut out, marker, &texts, &label, cell, color);
    }
    flush_prose(&mut out, &mut prose, opts.width);
    Ok(out)
}

/// Adds the base reading of a column to the running prose.
fn append_prose(prose: &mut String, col: &Column, witnesses: &[Witness]) {
    let (Some(cell), Some(base)) = (col.cells.first(), witnesses.first()) else {
        return;
    };
    let tokens = &base.tokens[cell.tokens.range()];
    if tokens.is_empty() {
        return;
    }
    if !prose.is_empty() && tokens[0].space_before {
        prose.push(' ');
    }
    prose.push_str(&join(tokens));
}

fn flush_prose(out: &mut String, prose: &mut String, width: usize) {
    if prose.is_empty() {
        return;
    }
    for line in wrap(prose, width.saturating_sub(2).max(MIN_CELL)) {
        let _ = writeln!(out, "  {line}");
    }
    prose.clear();
}

/// One row of cells, each wrapped to `cell` characters, lines side by side.
fn write_row(
    out: &mut String,
    marker: &str,
    texts: &[String],
    label: &str,
    cell: usize,
    color: Option<&str>,
) {
    let wrapped: Vec<Vec<String>> = texts.iter().map(|t| wrap(t, cell)).collect();
    let height = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
    for line in 0..height {
        let mut row = String::new();
        row.push_str(if line == 0 { marker } else { "  " });
        for w in &wrapped {
            let text = w.get(line).map(String::as_str).unwrap_or("");
            let pad = cell.saturating_sub(text.chars().count());
            let _ = write!(row, "{text}{} │ ", " ".repeat(pad));
        }
        if line == 0 {
            row.push_str(label);
        }
        let row = row.trim_end();
        match color {
            Some(c) => {
                let _ = writeln!(out, "{c}{row}{RESET}");
            }
            None => {
                let _ = writeln!(out, "{row}");
            }
        }
    }
}

/// Greedy word wrap; a word longer than the width is cut.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if len > 0 {
                lines.push(std::mem::take(&mut line));
                len = 0;
            }
            let rest = word.split_off(width);
            lines.push(word.into_iter().collect());
            word = rest;
        }
        if len > 0 && len + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        len += word.len();
        line.extend(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{align, tokenize};

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_long_words() {
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), vec![""]);
    }

    #[test]
    fn variants_are_rows_and_agreement_is_prose() {
        let a = tokenize("Where has he gone and why is he hiding? Shame on him!");
        let b = tokenize("Where has he gone and why is he hiding! Shame on them!");
        let al = align(&[&a, &b]).unwrap();
        let ws = [Witness::new("book", &a), Witness::new("web", &b)];
        let opts = RenderOptions {
            width: 60,
            ..RenderOptions::default()
        };
        let out = render_terminal(&al, &ws, &opts).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].starts_with("  book"), "{out}");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("  Where has he gone and why is he hiding")),
            "{out}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("~ ?") && l.ends_with("punctuation")),
            "{out}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("* him") && l.contains("them") && l.ends_with("changed")),
            "{out}"
        );

        let hidden = render_terminal(
            &al,
            &ws,
            &RenderOptions {
                hide_trivial: true,
                ..opts
            },
        )
        .unwrap();
        assert!(!hidden.contains("punctuation"), "{hidden}");
        assert!(hidden.contains("hiding? Shame on"), "{hidden}");
    }

    #[test]
    fn rejects_other_witnesses() {
        let a = tokenize("a b");
        let b = tokenize("a c");
        let al = align(&[&a, &b]).unwrap();
        let err = render_terminal(&al, &[Witness::new("A", &a)], &RenderOptions::default());
        assert_eq!(
            err,
            Err(CollateError::WitnessCount {
                expected: 2,
                found: 1
            })
        );
        let err = render_terminal(
            &al,
            &[Witness::new("A", &a), Witness::new("B", &a[..1])],
            &RenderOptions::default(),
        );
        assert_eq!(
            err,
            Err(CollateError::WitnessLength {
                index: 1,
                expected: 2,
                found: 1
            })
        );
    }
}
