//! Collates text files, first file as the base, until `fond collate ID`
//! exists:
//!
//! ```sh
//! cargo run -p fond-collate --example collate_files -- [--json | --tei] [--hide-trivial] A.txt B.txt [C.txt ...]
//! ```
//!
//! The witnesses are called A, B, C… in the order given.

use fond_collate::{
    align, render_terminal, tei_parallel_segmentation, tokenize, RenderOptions, TeiOptions, Token,
    Witness,
};

const SIGLA: [&str; 26] = [
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S",
    "T", "U", "V", "W", "X", "Y", "Z",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |f: &str| args.iter().any(|a| a == f);
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if paths.len() < 2 || paths.len() > SIGLA.len() {
        return Err(
            "usage: collate_files [--json | --tei] [--hide-trivial] A.txt B.txt [C.txt ...]".into(),
        );
    }
    let tokens: Vec<Vec<Token>> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).map(|t| tokenize(&t)))
        .collect::<Result<_, _>>()?;
    let refs: Vec<&[Token]> = tokens.iter().map(Vec::as_slice).collect();
    let al = align(&refs)?;
    let witnesses: Vec<Witness> = tokens
        .iter()
        .zip(SIGLA)
        .map(|(t, s)| Witness::new(s, t))
        .collect();
    let hide_trivial = flag("--hide-trivial");
    if flag("--json") {
        println!("{}", serde_json::to_string_pretty(&al.table(&witnesses)?)?);
    } else if flag("--tei") {
        println!(
            "{}",
            tei_parallel_segmentation(&al, &witnesses, &TeiOptions { hide_trivial })?
        );
    } else {
        let opts = RenderOptions {
            width: 120,
            hide_trivial,
            color: false,
        };
        print!("{}", render_terminal(&al, &witnesses, &opts)?);
        let stats = al.stats();
        println!(
            "{} trivial and {} substantive variants: {:?}",
            stats.trivial(),
            stats.substantive(),
            stats.variants
        );
    }
    Ok(())
}
