//! The authority file of bodies (party, state and Comintern institutions)
//! and periodicals.
//!
//! The tables are written by hand. Where each row comes from:
//!
//! - **Names and hierarchy as the edition uses them**: the book's
//!   "Institutional Background to the Letters" (Central Executive
//!   Committee, Council of (People's) Commissars, Labor Defense Council,
//!   Supreme Economic Council, Gosplan "State Planning Agency", Central
//!   Committee, Politburo, Secretariat, OGPU/GPU "security police",
//!   Worker-Peasant Inspection "Rabkrin" amalgamated with the Central
//!   Control Commission, Comintern "headed by a Central Executive
//!   Committee") and the offices of its Glossary of Names (Orgburo,
//!   Revolutionary Military Council, the commissariats, Trade Union
//!   Council, Gosbank, Main Concession Committee, Cheka).
//! - **Abbreviations and Russian forms**: the standard Russian names and
//!   abbreviations of these institutions (Sovnarkom/СНК, STO/СТО,
//!   VSNKh/ВСНХ, TsKK/ЦКК, RKI/Рабкрин, IKKI/ИККИ, VTsSPS/ВЦСПС, the
//!   *Narkom-* short forms), as in the reference literature on the Soviet
//!   system (e.g. the glossaries of the Annals of Communism volumes and
//!   the Russian archival guides); English abbreviations as the
//!   translations of this period print them (CC, CCC, ECCI).
//! - **The "seven"** (*semerka*): the book's Introduction ("a shadow
//!   Politburo: the semerka (the seven)") and Index.
//! - **Periodicals**: the titles the edition's Index and Glossary name
//!   (*Pravda*, *Bolshevik*, *Izvestiia*, *Trud*, *Ekonomicheskaia
//!   zhizn'*, *Komsomolskaia pravda*, *Kommunisticheskii internatsional*,
//!   *Molodaia gvardiia*, *Za industrializatsiiu*, *Sunday Worker*,
//!   *L'Humanité*, *Na literaturnom postu*, *Novaia zhizn'*, *Leningradskaia
//!   pravda*, *Petrogradskaia pravda*), with the spellings the texts use.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Stable id of a body: a readable slug (`politburo`, `commissariat-finance`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BodyId(pub String);

impl fmt::Display for BodyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Stable id of a periodical (`pravda`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PeriodicalId(pub String);

impl fmt::Display for PeriodicalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which side of the system a body belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BodyKind {
    Party,
    State,
    /// Security police: a state body "even more thoroughly politicized
    /// than most" (Institutional Background).
    Security,
    Military,
    Comintern,
    TradeUnion,
    /// An informal group (the "seven").
    Informal,
}

/// An institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    pub id: BodyId,
    /// The name the edition uses.
    pub name: String,
    pub kind: BodyKind,
    pub parent: Option<BodyId>,
    /// Other English names (`Council of People's Commissars`).
    pub aliases: Vec<String>,
    /// Abbreviations, Latin and Cyrillic (`STO`, `СТО`).
    pub abbreviations: Vec<String>,
    /// Russian names in Cyrillic; their romanisations are search keys.
    pub russian: Vec<String>,
    /// Portfolio words that follow "commissar of" (commissariats only).
    pub portfolio: Vec<String>,
    /// Names matched only in the parser of glossary offices, never in
    /// running text (too ambiguous there).
    pub office_only: Vec<String>,
}

/// A newspaper or journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Periodical {
    pub id: PeriodicalId,
    /// Title as the edition prints it (italic in print).
    pub title: String,
    /// The English gloss the edition gives.
    pub translation: Option<String>,
    /// Other spellings.
    pub aliases: Vec<String>,
    pub russian: Vec<String>,
    /// The body that published it, where the book says so.
    pub publisher: Option<BodyId>,
}

type Row = (
    &'static str,            // id
    &'static str,            // name
    BodyKind,                // kind
    Option<&'static str>,    // parent
    &'static [&'static str], // aliases
    &'static [&'static str], // abbreviations
    &'static [&'static str], // Russian
);

use BodyKind::*;

const BODIES: &[Row] = &[
    (
        "party",
        "All-Union Communist Party (Bolshevik)",
        Party,
        None,
        &[
            "All-Union Communist Party",
            "Russian Communist Party",
            "Communist Party of the Soviet Union",
            "Soviet Communist Party",
        ],
        &["VKP(b)", "RKP(b)", "ВКП(б)", "РКП(б)"],
        &["Всесоюзная коммунистическая партия (большевиков)"],
    ),
    (
        "central-committee",
        "Central Committee",
        Party,
        Some("party"),
        &["Party Central Committee"],
        &["CC", "TsK", "ЦК"],
        &["Центральный комитет"],
    ),
    (
        "politburo",
        "Politburo",
        Party,
        Some("central-committee"),
        &["Political Bureau", "Politbureau"],
        &[],
        &["Политбюро"],
    ),
    (
        "orgburo",
        "Orgburo",
        Party,
        Some("central-committee"),
        &["Organizational Bureau", "Organization Bureau"],
        &[],
        &["Оргбюро"],
    ),
    (
        "secretariat",
        "Secretariat",
        Party,
        Some("central-committee"),
        &[
            "Central Committee Secretariat",
            "Secretariat of the Central Committee",
        ],
        &[],
        &["Секретариат"],
    ),
    (
        "semerka",
        "the seven",
        Informal,
        Some("politburo"),
        &["semerka", "the seven"],
        &[],
        &["семёрка", "семерка"],
    ),
    (
        "ccc",
        "Central Control Commission",
        Party,
        Some("party"),
        &["Party Central Control Commission"],
        &["CCC", "TsKK", "ЦКК"],
        &["Центральная контрольная комиссия"],
    ),
    (
        "moscow-party-committee",
        "Moscow Party Committee",
        Party,
        Some("party"),
        &[
            "Moscow Committee",
            "Moscow Regional Party Committee",
            "Moscow City Party Committee",
        ],
        &["MK", "МК"],
        &["Московский комитет"],
    ),
    (
        "cec",
        "Central Executive Committee",
        State,
        None,
        &[
            "USSR Central Executive Committee",
            "All-Union Central Executive Committee",
        ],
        &["TsIK", "ЦИК"],
        &["Центральный исполнительный комитет"],
    ),
    (
        "vtsik",
        "All-Russian Central Executive Committee",
        State,
        None,
        &["Russian Central Executive Committee"],
        &["VTsIK", "ВЦИК"],
        &["Всероссийский центральный исполнительный комитет"],
    ),
    (
        "sovnarkom",
        "Council of Commissars",
        State,
        Some("cec"),
        &[
            "Council of People's Commissars",
            "Sovnarkom",
            "Council of People’s Commissars",
        ],
        &["SNK", "СНК"],
        &["Совет народных комиссаров", "Совнарком"],
    ),
    (
        "sto",
        "Labor Defense Council",
        State,
        Some("sovnarkom"),
        &["Council of Labor and Defense", "Labor and Defense Council"],
        &["STO", "СТО"],
        &["Совет труда и обороны"],
    ),
    (
        "vsnkh",
        "Supreme Economic Council",
        State,
        Some("sovnarkom"),
        &["Supreme Council of the National Economy", "Vesenkha"],
        &["VSNKh", "VSNKH", "ВСНХ"],
        &["Высший совет народного хозяйства"],
    ),
    (
        "gosplan",
        "Gosplan",
        State,
        Some("sovnarkom"),
        &["State Planning Agency", "State Planning Commission"],
        &[],
        &["Госплан"],
    ),
    (
        "gosbank",
        "Gosbank",
        State,
        Some("sovnarkom"),
        &["State Bank"],
        &[],
        &["Госбанк"],
    ),
    (
        "ogpu",
        "OGPU",
        Security,
        Some("sovnarkom"),
        &["security police", "Unified State Political Administration"],
        &["GPU", "OGPU", "ОГПУ", "ГПУ"],
        &["Объединённое государственное политическое управление"],
    ),
    (
        "cheka",
        "Cheka",
        Security,
        Some("sovnarkom"),
        &["All-Russian Cheka", "Extraordinary Commission"],
        &["VChK", "ВЧК", "ЧК"],
        &["Чрезвычайная комиссия"],
    ),
    (
        "rabkrin",
        "Worker-Peasant Inspection",
        State,
        Some("sovnarkom"),
        &[
            "Rabkrin",
            "Workers' and Peasants' Inspection",
            "Workers’ and Peasants’ Inspection",
            "Commissariat of Worker-Peasant Inspection",
        ],
        &["RKI", "РКИ"],
        &["Рабоче-крестьянская инспекция", "Рабкрин"],
    ),
    (
        "commission-for-fulfillment",
        "Commission for Fulfillment",
        State,
        Some("sto"),
        &["Fulfillment Commission"],
        &[],
        &["Комиссия исполнения"],
    ),
    (
        "main-concession-committee",
        "Main Concession Committee",
        State,
        Some("sovnarkom"),
        &["Glavkontsesskom"],
        &[],
        &["Главконцесском"],
    ),
    (
        "central-statistical-administration",
        "Central Statistical Administration",
        State,
        Some("sovnarkom"),
        &["TsSU"],
        &[],
        &["Центральное статистическое управление"],
    ),
    (
        "revvoensovet",
        "Revolutionary Military Council",
        Military,
        Some("sovnarkom"),
        &["Revvoensovet"],
        &["RVS", "РВС"],
        &["Революционный военный совет"],
    ),
    (
        "red-army",
        "Red Army",
        Military,
        Some("commissariat-military"),
        &["Workers' and Peasants' Red Army"],
        &["RKKA", "РККА"],
        &["Красная армия"],
    ),
    (
        "trade-union-council",
        "Trade Union Council",
        TradeUnion,
        None,
        &[
            "Trade Union Central Council",
            "All-Union Central Council of Trade Unions",
            "Central Council of Trade Unions",
        ],
        &["VTsSPS", "ВЦСПС"],
        &["Всесоюзный центральный совет профессиональных союзов"],
    ),
    (
        "comintern",
        "Comintern",
        Comintern,
        None,
        &["Communist International"],
        &[],
        &["Коминтерн"],
    ),
    (
        "ecci",
        "Comintern Executive Committee",
        Comintern,
        Some("comintern"),
        &[
            "Executive Committee of the Comintern",
            "Executive Committee of the Communist International",
            "Comintern Executive",
        ],
        &["ECCI", "IKKI", "ИККИ"],
        &["Исполнительный комитет Коммунистического интернационала"],
    ),
    (
        "profintern",
        "Profintern",
        Comintern,
        Some("comintern"),
        &[
            "Red International of Trade Unions",
            "Trade Union International",
        ],
        &[],
        &["Профинтерн"],
    ),
];

/// Commissariats: id suffix, portfolio words as the glossary writes them
/// after "commissar of", short Russian form.
const COMMISSARIATS: &[(&str, &[&str], &[&str])] = &[
    ("finance", &["finance"], &["Наркомфин"]),
    (
        "foreign-affairs",
        &["foreign affairs"],
        &["Наркоминдел", "НКИД"],
    ),
    (
        "trade",
        &[
            "trade",
            "foreign and domestic trade",
            "domestic and foreign trade",
        ],
        &["Наркомторг"],
    ),
    ("foreign-trade", &["foreign trade"], &["Наркомвнешторг"]),
    ("agriculture", &["agriculture"], &["Наркомзем"]),
    (
        "transport",
        &["transport", "ways of communication"],
        &["НКПС"],
    ),
    (
        "communications",
        &[
            "communications",
            "postal and telegraph service",
            "posts and telegraphs",
        ],
        &["Наркомсвязь"],
    ),
    ("justice", &["justice"], &["Наркомюст"]),
    (
        "military",
        &["military and naval affairs", "war"],
        &["Наркомвоенмор"],
    ),
    ("labor", &["labor"], &["Наркомтруд"]),
    (
        "heavy-industry",
        &["heavy industry"],
        &["Наркомтяжпром", "НКТП"],
    ),
    ("internal-affairs", &["internal affairs"], &["НКВД"]),
    (
        "education",
        &["public education", "education"],
        &["Наркомпрос"],
    ),
    (
        "provisionment",
        &["provisionment", "food provisionment", "food supply"],
        &["Наркомснаб", "Наркомпрод"],
    ),
    ("food-industry", &["food industry"], &["Наркомпищепром"]),
    ("timber-industry", &["timber industry"], &["Наркомлес"]),
    (
        "municipal-services",
        &["municipal services"],
        &["Наркомхоз"],
    ),
];

/// English abbreviation a commissariat carries in translations.
const COMMISSARIAT_ABBREVIATIONS: &[(&str, &str)] = &[
    ("foreign-affairs", "NKID"),
    ("transport", "NKPS"),
    ("internal-affairs", "NKVD"),
    ("heavy-industry", "NKTP"),
];

/// Periodicals: id, title, gloss, other spellings, Russian, publisher.
type PeriodicalRow = (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static [&'static str],
    &'static [&'static str],
    Option<&'static str>,
);

const PERIODICALS: &[PeriodicalRow] = &[
    (
        "pravda",
        "Pravda",
        Some("Truth"),
        &[],
        &["Правда"],
        Some("central-committee"),
    ),
    (
        "bolshevik",
        "Bolshevik",
        None,
        &["Bol'shevik"],
        &["Большевик"],
        Some("central-committee"),
    ),
    (
        "izvestiia",
        "Izvestiia",
        Some("News"),
        &["Izvestia", "Izvestiya", "Izvestiia VTsIK", "Izvestiia TsIK"],
        &["Известия"],
        Some("cec"),
    ),
    (
        "trud",
        "Trud",
        Some("Labor"),
        &[],
        &["Труд"],
        Some("trade-union-council"),
    ),
    (
        "ekonomicheskaia-zhizn",
        "Ekonomicheskaia zhizn'",
        Some("Economic life"),
        &[
            "Ekonomicheskaya zhizn'",
            "Ekonomicheskaiia zhizn'",
            "Ekonomicheskaja zhizn'",
        ],
        &["Экономическая жизнь"],
        Some("sto"),
    ),
    (
        "komsomolskaia-pravda",
        "Komsomolskaia pravda",
        Some("Komsomol truth"),
        &["Komsomolskaya pravda", "Komsomol'skaia pravda"],
        &["Комсомольская правда"],
        None,
    ),
    (
        "leningradskaia-pravda",
        "Leningradskaia pravda",
        Some("Leningrad truth"),
        &["Leningradskaya pravda"],
        &["Ленинградская правда"],
        None,
    ),
    (
        "petrogradskaia-pravda",
        "Petrogradskaia pravda",
        Some("Petrograd truth"),
        &["Petrogradskaya pravda"],
        &["Петроградская правда"],
        None,
    ),
    (
        "kommunisticheskii-internatsional",
        "Kommunisticheskii internatsional",
        Some("Communist International"),
        &["Kommunisticheskiy internatsional"],
        &["Коммунистический интернационал"],
        Some("comintern"),
    ),
    (
        "molodaia-gvardiia",
        "Molodaia gvardiia",
        Some("Young guard"),
        &["Molodaya gvardiya"],
        &["Молодая гвардия"],
        None,
    ),
    (
        "za-industrializatsiiu",
        "Za industrializatsiiu",
        Some("For industrialization"),
        &["Za industrializatsiyu"],
        &["За индустриализацию"],
        Some("vsnkh"),
    ),
    ("sunday-worker", "Sunday Worker", None, &[], &[], None),
    (
        "humanite",
        "L'Humanité",
        None,
        &["L’Humanité", "Humanité", "L'Humanite"],
        &[],
        None,
    ),
    (
        "na-literaturnom-postu",
        "Na literaturnom postu",
        Some("On literary guard"),
        &[],
        &["На литературном посту"],
        None,
    ),
    (
        "novaia-zhizn",
        "Novaia zhizn'",
        Some("New life"),
        &["Novaya zhizn'"],
        &["Новая жизнь"],
        None,
    ),
    (
        "sotsialisticheskii-vestnik",
        "Sotsialisticheskii vestnik",
        Some("Socialist herald"),
        &[],
        &["Социалистический вестник"],
        None,
    ),
];

fn strings(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|s| s.to_string()).collect()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The built-in body table.
pub fn builtin_bodies() -> Vec<Body> {
    let mut out: Vec<Body> = BODIES
        .iter()
        .map(|(id, name, kind, parent, aliases, abbr, ru)| Body {
            id: BodyId(id.to_string()),
            name: name.to_string(),
            kind: *kind,
            parent: parent.map(|p| BodyId(p.to_string())),
            aliases: strings(aliases),
            abbreviations: strings(abbr),
            russian: strings(ru),
            portfolio: Vec::new(),
            office_only: Vec::new(),
        })
        .collect();
    for (suffix, portfolio, ru) in COMMISSARIATS {
        let id = format!("commissariat-{suffix}");
        let main = portfolio.first().copied().unwrap_or(suffix);
        let name = format!("Commissariat of {}", title_words(main));
        let mut aliases: Vec<String> = portfolio
            .iter()
            .skip(1)
            .map(|p| format!("Commissariat of {}", title_words(p)))
            .collect();
        aliases.push(format!("{} Commissariat", title_words(main)));
        let abbreviations = COMMISSARIAT_ABBREVIATIONS
            .iter()
            .filter(|(s, _)| s == suffix)
            .map(|(_, a)| a.to_string())
            .collect();
        out.push(Body {
            id: BodyId(id),
            name,
            kind: if *suffix == "military" {
                Military
            } else {
                State
            },
            parent: Some(BodyId("sovnarkom".into())),
            aliases,
            abbreviations,
            russian: strings(ru),
            portfolio: strings(portfolio),
            office_only: Vec::new(),
        });
    }
    out
}

/// "foreign and domestic trade" → "Foreign and Domestic Trade".
fn title_words(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            if w == "and" || w == "of" {
                w.to_string()
            } else {
                capitalise(w)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The built-in periodicals table.
pub fn builtin_periodicals() -> Vec<Periodical> {
    PERIODICALS
        .iter()
        .map(|(id, title, tr, aliases, ru, publisher)| Periodical {
            id: PeriodicalId(id.to_string()),
            title: title.to_string(),
            translation: tr.map(str::to_string),
            aliases: strings(aliases),
            russian: strings(ru),
            publisher: publisher.map(|p| BodyId(p.to_string())),
        })
        .collect()
}

impl Body {
    /// Every name the body goes by in running text.
    pub fn names(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.name)
            .chain(&self.aliases)
            .chain(&self.abbreviations)
            .chain(&self.russian)
    }
}

impl Periodical {
    pub fn names(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.title)
            .chain(&self.aliases)
            .chain(&self.russian)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parent_exists_and_ids_are_unique() {
        let bodies = builtin_bodies();
        let ids: Vec<&str> = bodies.iter().map(|b| b.id.0.as_str()).collect();
        for b in &bodies {
            if let Some(p) = &b.parent {
                assert!(ids.contains(&p.0.as_str()), "{}: parent {p}", b.id);
            }
            assert_eq!(ids.iter().filter(|i| **i == b.id.0).count(), 1, "{}", b.id);
        }
        for p in builtin_periodicals() {
            if let Some(b) = &p.publisher {
                assert!(ids.contains(&b.0.as_str()), "{}: publisher {b}", p.id);
            }
        }
    }

    #[test]
    fn commissariats_have_names_and_portfolios() {
        let bodies = builtin_bodies();
        let fin = bodies
            .iter()
            .find(|b| b.id.0 == "commissariat-finance")
            .map(|b| b.name.as_str());
        assert_eq!(fin, Some("Commissariat of Finance"));
        let trade = bodies.iter().find(|b| b.id.0 == "commissariat-trade");
        assert!(trade.is_some_and(|t| t
            .aliases
            .contains(&"Commissariat of Foreign and Domestic Trade".to_string())));
    }
}
