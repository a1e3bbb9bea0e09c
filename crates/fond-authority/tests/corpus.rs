//! Whole-corpus tests and measurements against `../shared/corpus`: the
//! glossary count, `who` against the Institutional Background, lookup by
//! every romanisation, the parties of every letter, and the Index recall
//! and precision sample (figures printed; run with `--nocapture`).

use fond_authority::{Authority, Entity, Mention, MentionField, PersonId};
use fond_model::{DocKind, Document, Edition};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::OnceLock;

const BOOK: &str = "letters-to-molotov-1925-1936.book.md";

struct Corpus {
    book: String,
    edition: Edition,
    authority: Authority,
}

/// The corpus read and its authority built, once; `None` (a skip, or a
/// failure under `FOND_REQUIRE_CORPUS=1`) when the corpus is not there.
fn corpus() -> Option<&'static Corpus> {
    static C: OnceLock<Option<Corpus>> = OnceLock::new();
    C.get_or_init(|| {
        let files = fond_test_support::corpus_files()?;
        let read = files
            .iter()
            .map(|(n, b)| fond_ingest::read_source(n, b, "").unwrap_or_else(|e| panic!("{e}")))
            .collect();
        let book = files
            .iter()
            .find(|(n, _)| n == BOOK)
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_else(|| panic!("{BOOK} is not in the corpus"));
        let edition = fond_ingest::build_edition(read);
        let authority = Authority::from_book(&book).unwrap_or_else(|e| panic!("{e}"));
        Some(Corpus {
            book,
            edition,
            authority,
        })
    })
    .as_ref()
}

fn years(d: &Document) -> Option<(i32, i32)> {
    fond_authority::document_years(d)
}

/// The documents whose text is measured: all but the glossary and the
/// index, which are the authority's sources and the judgment.
fn measured(e: &Edition) -> impl Iterator<Item = &Document> {
    e.documents
        .iter()
        .filter(|d| !d.id.ends_with("/glossary-of-names") && !d.id.ends_with("/index"))
}

/// Every text of every measured document (body, then each note) linked,
/// with the text each span points into.
fn all_links(c: &Corpus) -> Vec<(String, String, Mention)> {
    let mut out = Vec::new();
    for d in measured(&c.edition) {
        // `link_document` is `link` over the same texts.
        debug_assert_eq!(
            c.authority.link_document(d).len(),
            c.authority
                .link(&d.id, MentionField::Body, &d.body_text(), years(d))
                .len()
                + d.notes
                    .iter()
                    .map(|n| c
                        .authority
                        .link("", MentionField::Note(n.n), &n.text, years(d))
                        .len())
                    .sum::<usize>()
        );
        let body = d.body_text();
        for m in c.authority.link(&d.id, MentionField::Body, &body, years(d)) {
            out.push((d.id.clone(), body.clone(), m));
        }
        for n in &d.notes {
            let id = format!("{}#note-{}", d.id, n.n);
            for m in c
                .authority
                .link(&d.id, MentionField::Note(n.n), &n.text, years(d))
            {
                out.push((id.clone(), n.text.clone(), m));
            }
        }
    }
    out
}

#[test]
fn every_glossary_entry_is_a_record() {
    let Some(c) = corpus() else {
        return;
    };
    // Counted independently: inside the glossary section every entry line
    // carries the `**` that closes its bold name; the preamble, the
    // continuation lines after page breaks and blank lines never do.
    let lines: Vec<&str> = c.book.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim() == "## Glossary of Names")
        .expect("glossary heading");
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.starts_with("# "))
        .map(|e| start + 1 + e)
        .expect("index heading");
    let entries = lines[start + 1..end]
        .iter()
        .filter(|l| l.contains("**"))
        .count();
    let records = c
        .authority
        .people()
        .iter()
        .filter(|p| p.in_glossary())
        .count();
    let aliases: usize = c
        .authority
        .people()
        .iter()
        .flat_map(|p| &p.aliases)
        .filter(|a| a.source.starts_with("Glossary of Names"))
        .count();
    println!(
        "glossary entry lines {entries}: {records} person records + {aliases} cross-references"
    );
    assert_eq!(records + aliases, entries);
    let with_offices = c
        .authority
        .people()
        .iter()
        .filter(|p| p.in_glossary() && !p.offices.is_empty())
        .count();
    let offices: usize = c.authority.people().iter().map(|p| p.offices.len()).sum();
    let not_in_glossary = c
        .authority
        .people()
        .iter()
        .filter(|p| !p.in_glossary())
        .count();
    println!("{with_offices} glossary records with parsed offices ({offices} offices); {not_in_glossary} records from outside the glossary");
}

fn ids(v: &[&str]) -> Vec<PersonId> {
    v.iter().map(|s| PersonId(s.to_string())).collect()
}

fn surnames(c: &Corpus, ids: &[PersonId]) -> BTreeSet<String> {
    ids.iter()
        .filter_map(|i| c.authority.person(i))
        .map(|p| p.surname.clone())
        .collect()
}

#[test]
fn who_agrees_with_the_institutional_background() {
    let Some(c) = corpus() else {
        return;
    };
    // "In 1925 full members of the Politburo were Joseph Stalin, Lev
    // Kamenev, Lev Trotsky, Grigorii Zinoviev, Aleksei Rykov, Mikhail
    // Tomskii, and Nikolai Bukharin".
    let got = c.authority.who("Politburo", (1925, 7, 1));
    let want: BTreeSet<String> = [
        "Stalin", "Kamenev", "Trotsky", "Zinoviev", "Rykov", "Tomskii", "Bukharin",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(surnames(c, &got), want);
    assert!(got.contains(&PersonId("kamenev-l-b".into())));
    // "In 1930 the Politburo consisted of Stalin, Voroshilov, Lazar
    // Kaganovich, Mikhail Kalinin, Sergei Kirov, Stanislav Kosior, Valerian
    // Kuibyshev, Molotov, Jan Rudzutak, and Rykov."
    let got = c.authority.who("Politburo", (1930, 9, 1));
    let want: BTreeSet<String> = [
        "Stalin",
        "Voroshilov",
        "Kaganovich",
        "Kalinin",
        "Kirov",
        "Kosior",
        "Kuibyshev",
        "Molotov",
        "Rudzutak",
        "Rykov",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(surnames(c, &got), want);
    assert!(
        got.contains(&PersonId("kosior-s-v".into()))
            && got.contains(&PersonId("kaganovich-l-m".into()))
    );
    // Between the two: Molotov and Voroshilov joined in January 1926,
    // Kamenev was demoted then.
    let mid = surnames(c, &c.authority.who("politburo", (1926, 7, 1)));
    assert!(mid.contains("Molotov") && mid.contains("Voroshilov") && !mid.contains("Kamenev"));
    // The glossary's offices alone never name anyone the Background's
    // 1925 roster leaves out; for 1930 they cannot tell that Tomskii left
    // (his "Politburo member, 1922–30" ends some time in 1930).
    let g1925 = c.authority.who_from_glossary("Politburo", (1925, 7, 1));
    assert!(surnames(c, &g1925).is_subset(
        &["Stalin", "Kamenev", "Trotsky", "Zinoviev", "Rykov", "Tomskii", "Bukharin"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    ));
    let g1930 = c.authority.who_from_glossary("Politburo", (1930, 9, 1));
    println!("glossary alone, 1925: {:?}", surnames(c, &g1925));
    println!("glossary alone, 1930: {:?}", surnames(c, &g1930));
    // Unknown body: nobody.
    assert!(c.authority.who("Sanhedrin", (1925, 1, 1)).is_empty());
    let _ = ids(&[]);
}

#[test]
fn every_romanisation_and_the_cyrillic_form_find_the_same_record() {
    let Some(c) = corpus() else {
        return;
    };
    // (record, spellings): the edition's, other romanisations (LC with
    // diacritics, BGN/PCGN, ISO 9, English press) and Cyrillic.
    let cases: &[(&str, &[&str])] = &[
        (
            "zinoviev-g-ye",
            &[
                "Zinoviev",
                "Zinovʹev",
                "Zinov’yev",
                "Zinovyev",
                "Зиновьев",
                "G. Ye. Zinoviev",
                "Г. Е. Зиновьев",
                "Grisha",
            ],
        ),
        (
            "yaroslavskii-ye-m",
            &[
                "Yaroslavskii",
                "Yaroslavsky",
                "Iaroslavskiĭ",
                "Yaroslavskiy",
                "Âroslavskij",
                "Jaroslavskij",
                "Ярославский",
            ],
        ),
        (
            "dzerzhinsky-f-ye",
            &[
                "Dzerzhinsky",
                "Dzerzhinskii",
                "Dzerzhinskiĭ",
                "Dzeržinskij",
                "Дзержинский",
            ],
        ),
        (
            "bukharin-n-i",
            &[
                "Bukharin",
                "Buharin",
                "Бухарин",
                "Nikolai Bukharin",
                "N. I. Bukharin",
            ],
        ),
        (
            "kuibyshev-v-v",
            &[
                "Kuibyshev",
                "Kuybyshev",
                "Kuĭbyshev",
                "Kujbyšev",
                "Куйбышев",
            ],
        ),
        (
            "trotsky-l-d",
            &[
                "Trotsky",
                "Trotskii",
                "Trotskiy",
                "Trotzky",
                "Trockij",
                "Троцкий",
            ],
        ),
        (
            "ordzhonikidze-g-k",
            &[
                "Ordzhonikidze",
                "Ordžonikidze",
                "Орджоникидзе",
                "Sergo",
                "Серго",
            ],
        ),
        (
            "molotov-v-m",
            &[
                "Molotov",
                "Молотов",
                "Viacheslav Molotov",
                "Vyacheslav Molotov",
                "Вячеслав Молотов",
            ],
        ),
        (
            "stalin-j",
            &[
                "Stalin",
                "Сталин",
                "Koba",
                "Коба",
                "Joseph Stalin",
                "Iosif Stalin",
            ],
        ),
        (
            "voroshilov-k-ye",
            &[
                "Voroshilov",
                "Ворошилов",
                "Klim",
                "Клим",
                "Kliment Voroshilov",
            ],
        ),
        (
            "piatakov-g-l",
            &["Piatakov", "Pyatakov", "Pâtakov", "Пятаков"],
        ),
        ("mikoian-a-i", &["Mikoian", "Mikoyan", "Mikojan", "Микоян"]),
        (
            "kalinin-m-i",
            &["Kalinin", "Калинин", "Mikhail Kalinin", "Михаил Калинин"],
        ),
        (
            "ulianova-m-i",
            &[
                "Ulianova",
                "Ulyanova",
                "Ul’yanova",
                "Ulʹânova",
                "Ульянова",
                "Mariia Ilinichna",
                "Maria Ilyinichna",
            ],
        ),
        (
            "yagoda-g-g",
            &["Yagoda", "Iagoda", "Jagoda", "Âgoda", "Ягода"],
        ),
        ("riutin-m-n", &["Riutin", "Ryutin", "Rûtin", "Рютин"]),
        (
            "tsiurupa-a-d",
            &["Tsiurupa", "Tsyurupa", "Cûrupa", "Цюрупа"],
        ),
        (
            "krupskaia-n-k",
            &[
                "Krupskaia",
                "Krupskaya",
                "Krupskaja",
                "Krupskaâ",
                "Крупская",
            ],
        ),
        (
            "kondratiev-n-d",
            &[
                "Kondratiev",
                "Kondratʹev",
                "Kondrat’yev",
                "Kondratyev",
                "Кондратьев",
            ],
        ),
        ("syrtsov-s-i", &["Syrtsov", "Syrcov", "Сырцов"]),
        (
            "menzhinskii-v-r",
            &["Menzhinskii", "Menzhinsky", "Menžinskij", "Менжинский"],
        ),
        ("khinchuk-l-m", &["Khinchuk", "Hinchuk", "Hinčuk", "Хинчук"]),
        ("chicherin-g-v", &["Chicherin", "Čičerin", "Чичерин"]),
        (
            "lenin-v",
            &[
                "Lenin",
                "Ленин",
                "Vladimir Ilich",
                "Владимир Ильич",
                "Vladimir Ulianov",
            ],
        ),
        (
            "shvernik-n-m",
            &["Shvernik", "Švernik", "Шверник", "Shvernii"],
        ),
    ];
    assert!(cases.len() >= 20);
    let mut failures = Vec::new();
    for (id, spellings) in cases {
        for s in *spellings {
            let hits = c.authority.lookup(s);
            let top = hits.first().map(|h| h.0 .0.as_str());
            if top != Some(*id) {
                failures.push(format!("{s} → {hits:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // Two Kamenevs: the surname finds both, initials one.
    let k = c.authority.lookup("Kamenev");
    assert_eq!(k.len(), 2);
    assert_eq!(
        c.authority
            .lookup("S. S. Kamenev")
            .first()
            .map(|h| h.0 .0.as_str()),
        Some("kamenev-s-s")
    );
    assert_eq!(
        c.authority
            .lookup("Каменев Л. Б.")
            .first()
            .map(|h| h.0 .0.as_str()),
        Some("kamenev-l-b")
    );
}

#[test]
fn every_letter_names_its_parties() {
    let Some(c) = corpus() else {
        return;
    };
    let mut unresolved = Vec::new();
    let mut groups = Vec::new();
    let mut n = 0;
    for d in &c.edition.documents {
        if !matches!(
            d.kind,
            DocKind::Letter | DocKind::CodedTelegram | DocKind::Note
        ) {
            continue;
        }
        for party in d.senders.iter().chain(&d.addressees) {
            // A description of a group of officials (`the heads of NKVD
            // directorates`) names nobody.
            if party.starts_with("the ") && party != "the seven" {
                groups.push(party.clone());
                continue;
            }
            n += 1;
            let person = c.authority.resolve_party(party, years(d));
            let body = c.authority.find_body(party);
            if person.is_none() && body.is_none() {
                unresolved.push(format!("{}: {party}", d.id));
            }
        }
    }
    println!("{n} named senders and addressees of letters, telegrams and notes; unresolved: {unresolved:?}; groups of officials: {groups:?}");
    assert!(unresolved.is_empty(), "{unresolved:#?}");
}

/// A fixed-seed generator (SplitMix64) for the precision sample.
struct SplitMix(u64);
impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn context(text: &str, start: usize, end: usize) -> String {
    let mut a = start.saturating_sub(70);
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (end + 70).min(text.len());
    while !text.is_char_boundary(b) {
        b += 1;
    }
    format!(
        "{}[[{}]]{}",
        &text[a..start],
        &text[start..end],
        &text[end..b]
    )
    .replace(['\n', '\t'], " ")
}

#[test]
fn index_recall_and_precision_sample() {
    let Some(c) = corpus() else {
        return;
    };
    let links = all_links(c);
    let mut resolved: BTreeSet<&PersonId> = BTreeSet::new();
    let mut any: BTreeSet<&PersonId> = BTreeSet::new();
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, _, m) in &links {
        *kinds
            .entry(match m.entity {
                Entity::Person(_) => "person",
                Entity::Body(_) => "body",
                Entity::Periodical(_) => "periodical",
            })
            .or_default() += 1;
        if let Entity::Person(p) = &m.entity {
            any.insert(p);
            if m.resolved {
                resolved.insert(p);
            }
        }
    }
    let unresolved = links.iter().filter(|l| !l.2.resolved).count();
    println!(
        "links: {} ({kinds:?}); unresolved {unresolved}",
        links.len()
    );
    let index = c.authority.index_people();
    let mut misses = Vec::new();
    let mut found = 0;
    for h in index {
        if resolved.contains(&h.person) {
            found += 1;
        } else {
            let also = if any.contains(&h.person) {
                " (linked, unresolved only)"
            } else {
                ""
            };
            misses.push(format!("{} → {}{also}", h.heading, h.person));
        }
    }
    let recall = found as f64 / index.len() as f64;
    let from_glossary: Vec<_> = index
        .iter()
        .filter(|h| {
            c.authority
                .person(&h.person)
                .is_some_and(|p| p.in_glossary())
        })
        .collect();
    let found_glossary = from_glossary
        .iter()
        .filter(|h| resolved.contains(&h.person))
        .count();
    println!(
        "Index person headings: {} ; linked at least once (resolved): {found} = {:.1}% ; of those matched to glossary records: {}/{} ; misses: {misses:#?}",
        index.len(),
        recall * 100.0,
        found_glossary,
        from_glossary.len()
    );
    assert!(recall >= 0.9, "recall {recall:.3}");

    // 100 links drawn with a fixed seed, with their context, for reading.
    let mut rng = SplitMix(0x5EED_F0DD);
    let mut drawn: BTreeSet<usize> = BTreeSet::new();
    while drawn.len() < 100.min(links.len()) {
        drawn.insert((rng.next() % links.len() as u64) as usize);
    }
    let mut tsv =
        String::from("n\tdocument\tentity\tsurface\tconfidence\tresolved\thow\tcontext\n");
    for (n, &i) in drawn.iter().enumerate() {
        let (doc, text, m) = &links[i];
        tsv.push_str(&format!(
            "{}\t{doc}\t{}\t{}\t{:.2}\t{}\t{}\t{}\n",
            n + 1,
            m.entity,
            m.surface.replace(['\n', '\t'], " "),
            m.confidence,
            m.resolved,
            m.how,
            context(text, m.start, m.end)
        ));
    }
    let path = std::env::var("FOND_SAMPLE")
        .map(PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir().join("fond-authority-sample.tsv"));
    std::fs::write(&path, tsv).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    println!("sample of 100 links written to {}", path.display());
}
