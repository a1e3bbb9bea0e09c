//! Line cues: what a single line or short paragraph of a plain-text
//! edition may be — a letter's number, an editorial heading naming the
//! parties, a section title, a salutation, a closing, a signature, a
//! footnote block. Each function looks at one line or paragraph only; the
//! reader weighs them together over the whole file (`segment.rs`).

use regex::Regex;
use std::sync::LazyLock;

/// A numbered marker: `216.`, `272.[1]`, `XIV--TO FANNY KEATS.`,
/// `I.--TO CHARLES COWDEN CLARKE.`, `Letter 12`, `LETTER XII`, `No. 12.`,
/// `Brief 3`, `№ 5`, a number alone on a centred line.
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^
        (?:(?P<word>Letter|LETTER|Brief|BRIEF|Lettre|LETTRE|No\.?|NO\.?|Nr\.?|NR\.?|Nro\.?|Письмо|ПИСЬМО|№)\s*)?
        (?P<num>\d{1,4}|[IVXLCDM]{1,9})
        (?P<punct>\.|\)|:)?
        (?:\s*\[[0-9A-Za-z]{1,4}\])?
        (?:\s*(?P<sep>--|—|–|\.|:)?\s*(?P<rest>\S.*?))?
        \s*$",
    )
    .expect("static regex")
});

/// A numbered marker found on a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numbered {
    pub number: u32,
    pub roman: bool,
    /// The word before the number (`letter`, `no`, …), lowercased, or "".
    pub word: String,
    /// Heading text after the number on the same line.
    pub rest: Option<String>,
}

/// Strips Markdown heading marks and emphasis around a whole line.
pub fn bare(line: &str) -> &str {
    line.trim()
        .trim_start_matches('#')
        .trim()
        .trim_matches(|c| c == '*' || c == '_')
        .trim()
}

/// Reads a numbered marker. `alone` says the line stands between blank
/// lines (a bare number needs that, or it is a count in running text).
pub fn numbered(line: &str, alone: bool) -> Option<Numbered> {
    let t = bare(line);
    if t.chars().count() > 100 {
        return None;
    }
    let c = NUMBERED.captures(t)?;
    let word = c
        .name("word")
        .map(|m| m.as_str().trim_end_matches('.').to_lowercase())
        .unwrap_or_default();
    let raw = c.name("num")?.as_str();
    let roman = !raw.chars().next()?.is_ascii_digit();
    let number = if roman {
        roman_value(raw)?
    } else {
        raw.parse().ok()?
    };
    let rest = c
        .name("rest")
        .map(|m| m.as_str().trim().to_string())
        .filter(|s| !s.is_empty());
    let punct = c.name("punct").is_some() || c.name("sep").is_some();
    if word.is_empty() {
        // A bare number needs punctuation or a heading after it.
        if !punct {
            return None;
        }
        // Four-digit numbers are years (`1778.`), not letters.
        if !roman && raw.len() == 4 {
            return None;
        }
        match &rest {
            None if !alone => return None,
            // A heading after a bare number starts with a capital; prose
            // after "3." is a numbered point, not a letter.
            Some(r)
                if !r
                    .chars()
                    .next()
                    .is_some_and(|ch| ch.is_uppercase() || ch == '[') =>
            {
                return None
            }
            _ => {}
        }
        // A single Roman letter alone ("I.", "V.") is as often a section
        // number or an initial as a letter's number; it needs a heading.
        if roman && rest.is_none() && raw.len() == 1 {
            return None;
        }
    }
    if number == 0 {
        return None;
    }
    Some(Numbered {
        number,
        roman,
        word,
        rest,
    })
}

/// The value of a Roman numeral in its canonical form (`XIV`, `XCII`,
/// `CLXIV`); `None` for strings that are not one (`IC`, `VX`, `IIX`).
pub fn roman_value(s: &str) -> Option<u32> {
    let val = |c: char| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        'D' => Some(500),
        'M' => Some(1000),
        _ => None,
    };
    let digits: Vec<u32> = s.chars().map(val).collect::<Option<_>>()?;
    let mut total = 0u32;
    let mut i = 0;
    while i < digits.len() {
        let d = digits[i];
        match digits.get(i + 1) {
            Some(&next) if next > d => {
                total += next - d;
                i += 2;
            }
            _ => {
                total += d;
                i += 1;
            }
        }
    }
    (total > 0 && to_roman(total) == s).then_some(total)
}

fn to_roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// A heading naming the parties in capitals, as editions of collected
/// letters print them: `CHARLES DARWIN TO J.M. HERBERT. Saturday Evening
/// [September 14, 1828].`, `FROM A LETTER TO SIR C. LYELL [July, 1856].`,
/// `TO STEINER & CO.`, `GOETHE AN LAVATER.`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyHeading {
    pub from: Option<String>,
    pub to: String,
    /// What follows the parties on the heading (a dateline, usually).
    pub rest: String,
    /// The heading describes an extract or fragment ("FROM A LETTER TO").
    pub extract: bool,
}

static PAREN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\([^()]*\)").expect("static regex"));
/// The word between the parties, English first: a German `AN` or French
/// `À` only counts where no `TO` stands (`FROM AN OLD FRIEND TO …`).
static CAPS_TO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\s)TO\s+").expect("static regex"));
static CAPS_TO_OTHER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\s)(?:AN|À|К)\s+").expect("static regex"));
static EXTRACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:FROM|PART OF|EXTRACT FROM|EXTRACTS FROM|FRAGMENT OF)\s+)?(?:A|AN)?\s*(?:LETTER|LETTERS|EXTRACT|FRAGMENT|NOTE)\s*$")
        .expect("static regex")
});

/// Reads a heading in capitals from a paragraph's first lines joined.
pub fn caps_heading(head: &str) -> Option<PartyHeading> {
    let head = bare(head);
    if head.chars().count() > 400 {
        return None;
    }
    // Editorial remarks in parentheses may sit inside the heading.
    let cleaned = PAREN.replace_all(head, " ");
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    // The capitals run: up to the first lower-case letter.
    let caps_end = cleaned
        .char_indices()
        .find(|(_, c)| c.is_lowercase())
        .map_or(cleaned.len(), |(i, _)| i);
    let caps = &cleaned[..caps_end];
    let m = CAPS_TO.find(caps).or_else(|| CAPS_TO_OTHER.find(caps))?;
    let from_raw = caps[..m.start()].trim();
    let after = &caps[m.end()..];
    // The addressee runs to the first full stop that ends the name (not an
    // initial: "J.M. HERBERT." ends at the stop after a word of 2+
    // letters), or to a bracket.
    let mut to_end = after.len();
    let bytes: Vec<(usize, char)> = after.char_indices().collect();
    for (k, &(i, c)) in bytes.iter().enumerate() {
        if c == '[' {
            to_end = i;
            break;
        }
        if c == '.' || c == ',' {
            let word_len = bytes[..k]
                .iter()
                .rev()
                .take_while(|(_, ch)| ch.is_alphabetic())
                .count();
            let next_space = bytes.get(k + 1).is_none_or(|(_, ch)| ch.is_whitespace());
            let honorific = {
                let w: String = bytes[k - word_len..k].iter().map(|x| x.1).collect();
                matches!(
                    w.as_str(),
                    "MR" | "MRS"
                        | "DR"
                        | "ST"
                        | "REV"
                        | "CO"
                        | "MESSRS"
                        | "HR"
                        | "HRN"
                        | "FR"
                        | "PROF"
                        | "JR"
                        | "SEN"
                        | "JUN"
                )
            };
            if next_space && (word_len >= 2 || c == ',') && !honorific {
                to_end = i;
                break;
            }
        }
    }
    let to = after[..to_end].trim().trim_end_matches(['.', ',']).trim();
    if to.is_empty() || !to.chars().next().is_some_and(char::is_alphabetic) {
        return None;
    }
    // A name is short: at most eight words, no digits.
    if to.split_whitespace().count() > 8 || to.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    // There must be some capitals that are words, not a lone "A" or "I".
    if to.chars().filter(|c| c.is_uppercase()).count() < 2 {
        return None;
    }
    let extract = EXTRACT.is_match(from_raw);
    let from = if from_raw.is_empty() || extract {
        None
    } else {
        // The sender is a name: at most six words, no digits, no pronoun
        // or possessive (`FROM MY RETURN TO ENGLAND`, `REV. S. HAUGHTON'S
        // ADDRESS TO THE SOCIETY` are titles, not letters).
        let words: Vec<&str> = from_raw.split_whitespace().collect();
        if words.len() > 6
            || from_raw.chars().any(|c| c.is_ascii_digit())
            || words.iter().any(|w| {
                matches!(
                    *w,
                    "MY" | "OUR"
                        | "HIS"
                        | "HER"
                        | "ITS"
                        | "THEIR"
                        | "THE"
                        | "IN"
                        | "ON"
                        | "OF"
                        | "AND"
                        | "NEVER"
                        | "NOT"
                ) || w.ends_with("'S")
                    || w.ends_with("’S")
            })
        {
            return None;
        }
        Some(from_raw.to_string())
    };
    // What follows the addressee in the original heading (the dateline).
    let rest = {
        let consumed = m.end() + to_end;
        let mut r = cleaned.get(consumed..).unwrap_or("").trim();
        r = r.trim_start_matches(['.', ',']).trim();
        r.to_string()
    };
    Some(PartyHeading {
        from,
        to: to.to_string(),
        rest,
        extract,
    })
}

static COLON_TO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:to|an|à)\s+(?P<to>.+?):\s*$").expect("static regex"));
static DESCRIPTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:letter|letters|extract|fragment|brief|lettre|note)\b")
        .expect("static regex")
});
static FROM_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\bfrom\s+(?P<from>\p{Lu}[\p{L}.'’ ]*?)\s+)?\bto\s+(?P<to>[^:]+?)\s*:?\s*$")
        .expect("static regex")
});
static X_TO_Y: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<from>\p{Lu}[\p{L}.'’ ]{1,40}?)\s+(?:to|an|à)\s+(?P<to>\p{Lu}[^:]*?)\s*:?\s*$")
        .expect("static regex")
});
/// `Artemus Ward's letter to Mark Twain:`
static POSSESSIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<from>\p{Lu}[\p{L}.' ]{1,40}?)['’]s\s+(?:letter|note|reply|answer)\s+to\s+(?P<to>[^:]+?)\s*:\s*$")
        .expect("static regex")
});
/// The words a descriptive heading opens with.
static DESCRIPTIVE_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:fragment|fragments|part|portion|extract|extracts|letter|letters|a|an|from|last|first|copy|postscript|enclosure|auszug|brief|lettre|fragment)\b")
        .expect("static regex")
});

/// A name: capitalised words and initials, a few particles between.
fn name_like(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 8
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || matches!(
                    w.trim_matches(','),
                    "in" | "of"
                        | "and"
                        | "von"
                        | "van"
                        | "de"
                        | "du"
                        | "la"
                        | "le"
                        | "the"
                        | "at"
                        | "his"
                        | "her"
                        | "der"
                        | "zu"
                        | "&"
                        | "und"
                        | "et"
                )
        })
}

/// A heading that ends in a colon and names the addressee:
/// `To Mrs. Moffett, in St. Louis:`, `Artemus Ward to S. L. Clemens:`,
/// `Fragment of a letter from Sam L. Clemens to his sister Pamela Moffett,
/// in St. Louis, summer of 1853:`, `Extract from letter No. 4:`.
pub fn colon_heading(head: &str) -> Option<PartyHeading> {
    let head = bare(head);
    if !head.ends_with(':') || head.chars().count() > 240 {
        return None;
    }
    if let Some(c) = COLON_TO.captures(head) {
        let to = c["to"].to_string();
        return Some(PartyHeading {
            from: None,
            to,
            rest: String::new(),
            extract: false,
        });
    }
    if let Some(c) = POSSESSIVE.captures(head) {
        return Some(PartyHeading {
            from: Some(c["from"].to_string()),
            to: c["to"].to_string(),
            rest: String::new(),
            extract: false,
        });
    }
    if let Some(c) = X_TO_Y.captures(head) {
        // "Artemus Ward to S. L. Clemens:" — two names; never a sentence
        // ("Referring to Mr. Wallace's Essay, they wrote:").
        if !DESCRIPTIVE.is_match(&c["from"])
            && c["from"].split_whitespace().count() >= 2
            && name_like(&c["from"])
            && name_like(c["to"].split(',').next().unwrap_or(""))
        {
            return Some(PartyHeading {
                from: Some(c["from"].to_string()),
                to: c["to"].to_string(),
                rest: String::new(),
                extract: false,
            });
        }
    }
    if DESCRIPTIVE.is_match(head)
        && DESCRIPTIVE_OPENING.is_match(head)
        && head.chars().count() <= 110
    {
        let (from, to) = match FROM_TO.captures(head) {
            Some(c) => (
                c.name("from").map(|m| m.as_str().to_string()),
                c["to"].to_string(),
            ),
            None => (None, String::new()),
        };
        return Some(PartyHeading {
            from,
            to,
            rest: head.trim_end_matches(':').to_string(),
            extract: true,
        });
    }
    None
}

static EDITORIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<from>\p{Lu}[\p{L}.'’ -]{1,40}?)\s+(?:to|an|à|a|к)\s+(?P<to>\p{Lu}[\p{L}.'’ -]{0,60}?)(?:\s*[.,;]\s*(?P<rest>.+?))?\s*$")
        .expect("static regex")
});

/// An editors' heading in running case: `Goethe an Lavater, Weimar, 12.
/// März 1776.`, `Darwin to Hooker, 12 April 1871`, `Marx à Engels`. Both
/// parties must read as names; the caller confirms it by a date in the
/// rest or a dateline or salutation after it.
pub fn editorial_heading(line: &str) -> Option<PartyHeading> {
    let t = bare(line);
    if t.ends_with(':') || t.chars().count() > 160 {
        return None;
    }
    let c = EDITORIAL.captures(t)?;
    let from = c["from"].trim();
    let to = c["to"].trim();
    if from.split_whitespace().count() > 5
        || !name_like(from)
        || !name_like(to)
        || to.is_empty()
        || DESCRIPTIVE.is_match(from)
    {
        return None;
    }
    Some(PartyHeading {
        from: Some(from.to_string()),
        to: to.to_string(),
        rest: c
            .name("rest")
            .map(|m| m.as_str().to_string())
            .unwrap_or_default(),
        extract: false,
    })
}

static ADDRESS_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:To|TO|An|AN|À|A|К)\s+(?P<to>\p{Lu}[\p{L}\s.'’&,-]{1,80}?)\.?(?:\[\w{1,3}\])?$")
        .expect("static regex")
});

/// A short line naming only the addressee: `An Lavatern.`, `TO ZMESKALL.`,
/// `To the Archduke Rudolph.`
pub fn address_line(line: &str) -> Option<String> {
    let t = bare(line);
    let c = ADDRESS_LINE.captures(t)?;
    Some(c["to"].trim().to_string())
}

static SECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?x)^(?:
        (?i:chapter|kapitel|chapitre|глава|book|buch|livre)\b
      | (?:PART|Part|TEIL|Teil|PARTIE|Partie)\s+[IVXLC\d]
      | (?i:index|register|footnotes|endnotes|notes|anmerkungen|appendix|anhang|annexe|contents|table\ of\ contents|inhalt|inhaltsverzeichnis|the\ end|finis|nachwort|vorwort|preface|introduction|einleitung|afterword|bibliography|literatur|примечания|указатель|содержание|приложение|предисловие)\b
    )").expect("static regex")
});

/// A section title that ends a run of letters: `CHAPTER IV.`, `INDEX.`,
/// `FOOTNOTES:`, `THE END`, `_Anhang_ einiger Briefe …`, `Vorwort.`
/// Only short lines count, and only at the start of a paragraph.
pub fn section_title(line: &str) -> bool {
    let t = bare(line).replace('_', " ");
    let t = t.trim();
    t.chars().count() <= 90 && SECTION.is_match(t)
}

/// A Markdown heading line (`# …`).
pub fn markdown_heading(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('#') && t.trim_start_matches('#').starts_with(' ')
}

static FOOTNOTE_BLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\[(?i:footnote|fußnote|fussnote|note|anmerkung|anm\.?|sidenote|noter?)\s*(?P<n>[0-9A-Za-z]{1,4})?\s*[:.]\s*")
        .expect("static regex")
});

/// The opening of a footnote block: `[Footnote 3: …`, `[Fußnote 1: …`.
/// Returns the note's label and the byte length of the opening.
pub fn footnote_block(line: &str) -> Option<(String, usize)> {
    let t = line.trim_start();
    let c = FOOTNOTE_BLOCK.captures(t)?;
    let n = c
        .name("n")
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    Some((n, c.get(0)?.end() + (line.len() - t.len())))
}

static ENDNOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\[(?P<a>\d{1,4}|[A-Z])\]|(?P<b>\d{1,4})[.)])\s+\S").expect("static regex")
});

/// The opening of a note in a notes section: `[6] The early letters …`,
/// `12. See the letter …`.
pub fn endnote_label(line: &str) -> Option<String> {
    let c = ENDNOTE.captures(line)?;
    c.name("a").or(c.name("b")).map(|m| m.as_str().to_string())
}

static SALUTATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?x)^(?:
        (?i:my\s+)?(?i:dear|dearest|beloved|honoured|honored|respected|good)\b
      | (?i:sir|madam|madame|gentlemen|messieurs|monsieur|mademoiselle|cher|chère|mon\ cher|ma\ chère)\b
      | (?i:lieber|liebe|liebster|liebste|theuerster|teuerster|theure|hochverehrter|verehrter|verehrteste|geehrter|hochgeehrter|hochedelgebohrner|hochwohlgeborner|mein\ lieber|meine\ liebe|bester|werther|hochzuverehrender|l\.\s*br)\b
      | (?i:дорогой|дорогая|милый|милая|уважаемый|многоуважаемый|любезный)\b
    )").expect("static regex")
});

/// A salutation on its own (`My dear Fox,`, `DEAR Z.,--`, `Lieber Bruder,`,
/// `Theuerster Herr Reich,`).
pub fn salutation(para: &str) -> bool {
    let t = bare(para);
    let n = t.chars().count();
    // A run-in salutation (`DEAR B.,--The parcel came`) is not one alone.
    let run_in = t.find("--").or_else(|| t.find('—')).is_some_and(|k| {
        t[k..]
            .trim_start_matches(['-', '—'])
            .trim()
            .chars()
            .next()
            .is_some()
    });
    (3..=80).contains(&n)
        && !run_in
        && t.split_whitespace().count() <= 8
        && SALUTATION.is_match(t)
        && (t.ends_with(',')
            || t.ends_with("--")
            || t.ends_with('!')
            || t.ends_with(':')
            || t.ends_with('—')
            || t.ends_with('.'))
}

static RUN_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<sal>[^\n]{2,60}?(?:,\s*--|,—|--|—|,))\s*(?P<rest>[^\s\-—])")
        .expect("static regex")
});

/// A salutation run into the first line of the body (`MY DEAR SISTER,--I
/// have not written`, `My dear Reynolds--My Brothers are anxious`,
/// `Lieber Bruder, Louisens Portrait`). Returns the salutation's byte
/// length.
pub fn run_in_salutation(para: &str) -> Option<usize> {
    let t = para.trim_start();
    if !SALUTATION.is_match(t) {
        return None;
    }
    let c = RUN_IN.captures(t)?;
    let sal = c.name("sal")?;
    // A run-in salutation is a few words of address.
    if sal.as_str().split_whitespace().count() > 6 {
        return None;
    }
    Some(sal.end() + (para.len() - t.len()))
}

static CLOSING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?x)^(?:
        (?i:yours|your|yrs|ever\ yours|ever|truly|faithfully|sincerely|affectionately|believe\ me|i\ am|i\ remain|adieu|addio|farewell|good-?bye|god\ bless|in\ haste|with\ love|love|kind\ regards|best\ regards|regards|respectfully|obediently)\b
      | (?i:ihr|ihre|ihren|ihrem|dein|deine|deinen|euer|eure|euren|ganz\ der|ihr\ ergebenster|ergebenst|lebe\ wohl|leb\ wohl|ade|mit\ herzlichen|herzlich|gehorsamst)\b
      | (?i:votre|vôtre|tout\ à\ vous|à\ vous|je\ vous\ embrasse|amitiés)\b
      | (?i:ваш|ваша|твой|твоя|целую|обнимаю|с\ приветом|жму\ руку)\b
    )").expect("static regex")
});

/// A closing formula (`Yours sincerely`, `Your sincere Friend,`, `Ihr
/// ergebenster Diener`, `Votre dévoué`, `Ваш`).
pub fn closing(para: &str) -> bool {
    let t = bare(para);
    // A closing formula is one phrase: a semicolon joins two sentences
    // ("Ihr Brief hat mich gefreut; wir sehen uns …" opens with `Ihr` and
    // is no closing).
    t.chars().count() <= 90 && !t.contains(';') && CLOSING.is_match(t)
}

/// A signature: a short line that is a name or initials, as editions print
/// them — in capitals (`L. VAN BEETHOVEN.`, `JOHN KEATS.`, `SAM.`), as
/// initials (`J. K.`, `G.`), or emphasised (`_Goethe_.`) — or any short
/// line set far to the right.
pub fn signature(line: &str, indent: usize) -> bool {
    let t = bare(line.trim()).trim_end_matches(['.', ',']);
    let n = t.chars().count();
    if n == 0 || n > 45 {
        return false;
    }
    let t = t.trim_end_matches(|c: char| c == ']' || c.is_ascii_digit() || c == '[');
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 {
        return false;
    }
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.is_empty() {
        return false;
    }
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    let all_caps = upper * 10 >= letters.len() * 9;
    let initials = words.iter().all(|w| {
        w.trim_end_matches('.').chars().count() <= 2
            && w.chars().next().is_some_and(char::is_uppercase)
    });
    let emphasised = line.trim().starts_with('_') && words.len() <= 3;
    let right =
        indent >= 20 && words.len() <= 4 && words[0].chars().next().is_some_and(char::is_uppercase);
    all_caps || initials || emphasised || right
}

static SIGNED_CLOSING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[,.]\s*(?:[A-Z][A-Z.'’\-]*\s?){1,5}\.?$").expect("static regex"));

/// A closing and a signature on one line: `Yours, C. DARWIN.`,
/// `Believe me, my dear Herbert, Yours, most sincerely, CHARLES DARWIN.`
pub fn signed_closing(line: &str) -> bool {
    let t = bare(line.trim());
    t.chars().count() <= 140
        && closing(t)
        && SIGNED_CLOSING
            .find(t)
            .is_some_and(|m| m.as_str().chars().filter(|c| c.is_uppercase()).count() >= 2)
}

static ATTRIBUTION_DASH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s[—–]\s*(?P<who>\p{Lu}[\p{L}.' ]{1,48}?)\.?\s*$").expect("static regex")
});
static ATTRIBUTION_ABBR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\s)[(\[]?(?P<who>A\.\s?d\.\s?H\.|Anm\.\s?d\.\s?H(?:rsg)?\.|A\.\s?d\.\s?Ü\.|Anm\.\s?d\.\s?Ü\.|Ed\.|Eds\.|Editor|Tr\.|Transl\.|Translator|N\.\s?d\.\s?T\.|Прим\.\s?ред\.|Прим\.\s?пер\.)[)\]]?\s*$")
        .expect("static regex")
});

/// Who signed a note, where the edition says so at its end: `— Progress
/// Publishers`, `A. d. H.`, `Anm. d. H.`, `Ed.`, `Tr.`, `Прим. ред.`.
/// Returns the attribution as printed and the note's text without it.
pub fn note_attribution(text: &str) -> Option<(String, String)> {
    let t = text.trim_end();
    let m = ATTRIBUTION_ABBR
        .captures(t)
        .or_else(|| ATTRIBUTION_DASH.captures(t))?;
    let who = m.name("who")?;
    let whole = m.get(0)?;
    let rest = t[..whole.start()].trim_end().to_string();
    if rest.is_empty() {
        return None;
    }
    Some((who.as_str().trim().to_string(), rest))
}

/// A postscript's opening (`P.S.`, `P. S.`, `N.B.`, `PS`, `Nachschrift`).
pub fn postscript(para: &str) -> bool {
    static PS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:P\.\s?S\.|PS\b|P\.\s?P\.\s?S\.|N\.\s?B\.|Nachschrift|Post-?scriptum|Nachsatz)",
        )
        .expect("static regex")
    });
    PS.is_match(bare(para))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_markers_of_many_editions() {
        let n = numbered("216.", true).unwrap();
        assert_eq!((n.number, n.roman, n.rest), (216, false, None));
        assert_eq!(numbered("272.[1]", true).unwrap().number, 272);
        let k = numbered("XIV--TO FANNY KEATS.", true).unwrap();
        assert_eq!(
            (k.number, k.roman, k.rest.as_deref()),
            (14, true, Some("TO FANNY KEATS."))
        );
        assert_eq!(
            numbered("I.--TO CHARLES COWDEN CLARKE.", true)
                .unwrap()
                .number,
            1
        );
        assert_eq!(
            numbered("CXXI.--TO CHARLES WENTWORTH DILKE.", true)
                .unwrap()
                .number,
            121
        );
        assert_eq!(
            numbered("                                  1.", true)
                .unwrap()
                .number,
            1
        );
        assert_eq!(numbered("Letter 12", false).unwrap().number, 12);
        assert_eq!(numbered("LETTER XII", false).unwrap().number, 12);
        assert_eq!(numbered("No. 12.", false).unwrap().number, 12);
        assert_eq!(numbered("## Letter 3", false).unwrap().number, 3);
        assert!(numbered("1778.", true).is_none());
        assert!(numbered("3. and then he went", true).is_none());
        assert!(numbered("12", true).is_none());
        assert!(numbered("I.", true).is_none());
    }

    #[test]
    fn roman_numerals() {
        assert_eq!(roman_value("XIV"), Some(14));
        assert_eq!(roman_value("CLXIV"), Some(164));
        assert_eq!(roman_value("XCII"), Some(92));
        assert_eq!(roman_value("XLIX"), Some(49));
        assert_eq!(roman_value("MCMXC"), Some(1990));
        assert_eq!(roman_value("IC"), None);
    }

    #[test]
    fn headings_in_capitals() {
        let h =
            caps_heading("CHARLES DARWIN TO J.M. HERBERT. Saturday Evening [September 14, 1828].")
                .unwrap();
        assert_eq!(h.from.as_deref(), Some("CHARLES DARWIN"));
        assert_eq!(h.to, "J.M. HERBERT");
        assert!(h.rest.starts_with("Saturday Evening"));
        let h = caps_heading("FROM A LETTER TO SIR C. LYELL [July, 1856].").unwrap();
        assert_eq!(
            (h.from, h.to.as_str(), h.extract),
            (None, "SIR C. LYELL", true)
        );
        let h = caps_heading("GEORGE PEACOCK (Formerly Dean of Ely, and Lowndean Professor of Astronomy at Cambridge.) TO J.S. HENSLOW. 7 Suffolk Street").unwrap();
        assert_eq!(h.to, "J.S. HENSLOW");
        assert_eq!(caps_heading("TO STEINER & CO.").unwrap().to, "STEINER & CO");
        assert!(caps_heading("I went to see him").is_none());
    }

    #[test]
    fn colon_headings() {
        assert_eq!(
            colon_heading("To Mrs. Moffett, in St. Louis:").unwrap().to,
            "Mrs. Moffett, in St. Louis"
        );
        let h = colon_heading("Fragment of a letter from Sam L. Clemens to his sister Pamela Moffett, in St. Louis, summer of 1853:").unwrap();
        assert_eq!(h.from.as_deref(), Some("Sam L. Clemens"));
        assert!(h.to.starts_with("his sister Pamela Moffett"));
        let h = colon_heading("Artemus Ward to S. L. Clemens:").unwrap();
        assert_eq!(h.from.as_deref(), Some("Artemus Ward"));
        assert!(colon_heading("MRS. W. K. CUTLER:").is_none());
        assert!(colon_heading(
            "This paragraph is from the New York correspondence of the San Francisco Alta:"
        )
        .is_none());
    }

    #[test]
    fn letter_parts() {
        assert!(salutation("My dear Fox,"));
        assert!(salutation("DEAR Z.,--"));
        assert!(salutation("Theuerster Herr Reich,"));
        assert_eq!(
            run_in_salutation("MY DEAR SISTER,--I have not written"),
            Some(17)
        );
        assert!(closing("Yours sincerely"));
        assert!(closing("Ihren ergebensten Diener"));
        assert!(signature("L. VAN BEETHOVEN.", 0));
        assert!(signature("J. K.", 0));
        assert!(signature("_Goethe_.", 0));
        assert!(signature("G.", 60));
        assert!(!signature("I went home.", 0));
        assert!(section_title("INDEX."));
        assert!(section_title(
            "_Anhang_ einiger Briefe von _Goethe_ an den Buchhändler _Reich_."
        ));
        assert!(section_title("CHAPTER IV."));
        assert!(!section_title("Indexing the letters was slow"));
        assert_eq!(
            footnote_block("[Footnote 1: It was admitted").map(|x| x.0),
            Some("1".into())
        );
        assert_eq!(endnote_label("[6] The early letters"), Some("6".into()));
        assert_eq!(
            note_attribution("Spater von Lavater zurückgegeben. A. d. H."),
            Some((
                "A. d. H.".into(),
                "Spater von Lavater zurückgegeben.".into()
            ))
        );
        assert_eq!(
            note_attribution("The reference is to the plenum. — Progress Publishers").map(|x| x.0),
            Some("Progress Publishers".into())
        );
        assert_eq!(note_attribution("He went to London."), None);
        let h = editorial_heading("Goethe an Lavater, Weimar, 12. März 1776.").unwrap();
        assert_eq!(
            (h.from.as_deref(), h.to.as_str()),
            (Some("Goethe"), "Lavater")
        );
        assert!(h.rest.contains("1776"));
        assert!(editorial_heading("He went to London yesterday.").is_none());
    }
}
