//! Archival references and cross-references cited by editorial notes.

use serde::{Deserialize, Serialize};

/// The sheets (*listy*) of a file that a reference cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "form")]
pub enum Sheets {
    /// `l. 5`, `l. 5ob.`
    Single { sheet: String },
    /// `ll. 1, 2` or a mix of singles and ranges `ll. 1–3, 7`.
    List { items: Vec<String> },
    /// `ll. 8–23`
    Range { from: String, to: String },
}

impl Sheets {
    fn render(&self) -> String {
        match self {
            Sheets::Single { sheet } => format!("l. {sheet}"),
            Sheets::List { items } => format!("ll. {}", items.join(", ")),
            Sheets::Range { from, to } => format!("ll. {from}-{to}"),
        }
    }
}

/// A reference to an archival unit: archive, fond, opis', delo, sheets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivalRef {
    /// The reference as printed (`Ibid., d. 615, ll. 1–2`).
    pub text: String,
    /// Archive acronym as printed (`RTsKhIDNI`, `TsGAOR`, `APRF`).
    pub archive: String,
    pub fond: String,
    pub opis: Option<String>,
    pub delo: Option<String>,
    pub sheets: Option<Sheets>,
    /// The printed text began with `Ibid.`: the missing parts were taken
    /// from the reference it repeats.
    pub ibid: bool,
}

impl ArchivalRef {
    /// The normalised form: `RTsKhIDNI f. 17, op. 3, d. 510, l. 5`.
    pub fn normalized(&self) -> String {
        let mut s = format!("{} f. {}", self.archive, self.fond);
        if let Some(o) = &self.opis {
            s.push_str(", op. ");
            s.push_str(o);
        }
        if let Some(d) = &self.delo {
            s.push_str(", d. ");
            s.push_str(d);
        }
        if let Some(sh) = &self.sheets {
            s.push_str(", ");
            s.push_str(&sh.render());
        }
        s
    }
}

/// A reference from a note to another letter or note of the edition
/// (`see letter 21, note 4`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrossRef {
    pub text: String,
    pub letter: Option<u32>,
    pub note: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalized_reference_reads_as_the_convention() {
        let r = ArchivalRef {
            text: "RTsKhIDNI f. 17, op. 3, d. 510, l. 5".into(),
            archive: "RTsKhIDNI".into(),
            fond: "17".into(),
            opis: Some("3".into()),
            delo: Some("510".into()),
            sheets: Some(Sheets::Single { sheet: "5".into() }),
            ibid: false,
        };
        assert_eq!(r.normalized(), "RTsKhIDNI f. 17, op. 3, d. 510, l. 5");
        let r2 = ArchivalRef {
            sheets: Some(Sheets::Range {
                from: "8".into(),
                to: "23".into(),
            }),
            ..r
        };
        assert_eq!(r2.normalized(), "RTsKhIDNI f. 17, op. 3, d. 510, ll. 8-23");
    }
}
