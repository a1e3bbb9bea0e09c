//! A TEI personography (`standOff` with `listPerson`, `listOrg`,
//! `listBibl`): the authority records fond's export writes to
//! `persons.xml`, read back so that an archive made from an export has the
//! same people, bodies and periodicals as the one it was exported from,
//! and another edition's personography lends its records to the names its
//! letters point at.
//!
//! The records are this crate's own plain types, close to the XML: the
//! linking stage turns them into authority records. Ids are the `xml:id`s
//! as written; fond's export prefixes bodies with `org-` and periodicals
//! with `bibl-`, which the caller strips as it does for the `@ref`s that
//! point here.

use super::{child, children, is, parse, raw_text};
use crate::IngestError;
use roxmltree::Node;

/// The records of one personography file, in the file's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Personography {
    pub people: Vec<ListedPerson>,
    pub orgs: Vec<ListedOrg>,
    pub periodicals: Vec<ListedPeriodical>,
}

/// A `person`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedPerson {
    pub xml_id: String,
    /// `persName[@type='main']` (else the first `persName`), as written.
    pub name: String,
    /// Every other `persName`, in order.
    pub variants: Vec<String>,
    pub born: Option<ListedYear>,
    pub died: Option<ListedYear>,
    pub affiliations: Vec<Affiliation>,
    /// `note[@type='biography']`.
    pub biography: Option<String>,
}

/// `birth` or `death`: a year (`@when`), or a choice of years
/// (`@notBefore`/`@notAfter`), uncertain with `@cert="low"`, and the text
/// as printed (`1890/91`, `1937?`, `?`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedYear {
    pub when: Option<i32>,
    pub not_before: Option<i32>,
    pub not_after: Option<i32>,
    pub uncertain: bool,
    pub printed: String,
}

/// A date as precise as `@from`/`@to` give it (`1926`, `1926-07`,
/// `1926-07-23`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListedDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// An `affiliation`: an office held in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affiliation {
    pub role: Option<String>,
    pub from: Option<ListedDate>,
    pub to: Option<ListedDate>,
    /// `@cert` below high: the dates are approximate.
    pub approximate: bool,
    /// The `orgName`'s `@ref` without its `#`, when it points into the
    /// same file.
    pub org_id: Option<String>,
    /// The `orgName` as written.
    pub org_text: String,
}

/// An `org`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedOrg {
    pub xml_id: String,
    /// `@role` (fond writes its kind of body there).
    pub kind: Option<String>,
    pub name: String,
    pub variants: Vec<String>,
    /// The org a `note[@type='parent']/ptr` points at, without its `#`.
    pub parent: Option<String>,
}

/// A `bibl` of `listBibl` (a newspaper or journal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedPeriodical {
    pub xml_id: String,
    pub title: String,
    /// `title[@type='translated']`.
    pub translation: Option<String>,
    /// Every other `title`, in order.
    pub variants: Vec<String>,
}

/// The personography in a TEI file, or `None` when the file has no
/// `standOff` with lists of people, bodies or periodicals. Records without
/// an `xml:id` or a name are skipped: nothing could point at them or name
/// them. Errors are the reader's (limits, well-formedness).
pub fn personography(file: &str, text: &str) -> Result<Option<Personography>, IngestError> {
    let doc = parse(file, text)?;
    let root = doc.root_element();
    let lists: Vec<Node<'_, '_>> = children(root, "standOff")
        .flat_map(|s| s.children().filter(|c| c.is_element()))
        .collect();
    if !lists
        .iter()
        .any(|l| is(*l, "listPerson") || is(*l, "listOrg") || is(*l, "listBibl"))
    {
        return Ok(None);
    }
    let mut out = Personography::default();
    for list in lists {
        if is(list, "listPerson") {
            out.people
                .extend(children(list, "person").filter_map(person));
        } else if is(list, "listOrg") {
            out.orgs.extend(children(list, "org").filter_map(org));
        } else if is(list, "listBibl") {
            out.periodicals
                .extend(children(list, "bibl").filter_map(periodical));
        }
    }
    Ok(Some(out))
}

fn xml_id(n: Node<'_, '_>) -> Option<String> {
    n.attribute(("http://www.w3.org/XML/1998/namespace", "id"))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The element of `names` with `@type` `main` (else the first) and the
/// others in order, as written.
fn main_and_variants(names: &[Node<'_, '_>]) -> Option<(String, Vec<String>)> {
    let main = names
        .iter()
        .position(|n| n.attribute("type") == Some("main"))
        .or(if names.is_empty() { None } else { Some(0) })?;
    let name = raw_text(names[main]);
    if name.trim().is_empty() {
        return None;
    }
    let variants = names
        .iter()
        .enumerate()
        .filter(|(i, n)| *i != main && n.attribute("type") != Some("translated"))
        .map(|(_, n)| raw_text(*n))
        .collect();
    Some((name, variants))
}

fn person(p: Node<'_, '_>) -> Option<ListedPerson> {
    let xml_id = xml_id(p)?;
    let (name, variants) = main_and_variants(&children(p, "persName").collect::<Vec<_>>())?;
    Some(ListedPerson {
        xml_id,
        name,
        variants,
        born: child(p, "birth").map(year),
        died: child(p, "death").map(year),
        affiliations: children(p, "affiliation").map(affiliation).collect(),
        biography: children(p, "note")
            .find(|n| n.attribute("type") == Some("biography"))
            .map(raw_text),
    })
}

fn year(n: Node<'_, '_>) -> ListedYear {
    let y = |a: &str| n.attribute(a).and_then(|v| v.trim().parse::<i32>().ok());
    ListedYear {
        when: y("when"),
        not_before: y("notBefore"),
        not_after: y("notAfter"),
        uncertain: matches!(n.attribute("cert"), Some("low" | "unknown")),
        printed: raw_text(n),
    }
}

/// `1926`, `1926-07`, `1926-07-23`; anything else is no date.
fn date(v: &str) -> Option<ListedDate> {
    let mut parts = v.trim().splitn(3, '-');
    let year = parts.next()?.parse::<i32>().ok()?;
    let month = match parts.next() {
        Some(m) => Some(m.parse::<u8>().ok().filter(|m| (1..=12).contains(m))?),
        None => None,
    };
    let day = match parts.next() {
        Some(d) => Some(d.parse::<u8>().ok().filter(|d| (1..=31).contains(d))?),
        None => None,
    };
    Some(ListedDate { year, month, day })
}

fn affiliation(a: Node<'_, '_>) -> Affiliation {
    let org = child(a, "orgName");
    Affiliation {
        role: a.attribute("role").map(str::to_string),
        from: a.attribute("from").and_then(date),
        to: a.attribute("to").and_then(date),
        approximate: matches!(a.attribute("cert"), Some("medium" | "low" | "unknown")),
        org_id: org
            .and_then(|o| o.attribute("ref"))
            .and_then(|r| r.strip_prefix('#'))
            .map(str::to_string),
        org_text: org.map(raw_text).unwrap_or_else(|| raw_text(a)),
    }
}

fn org(o: Node<'_, '_>) -> Option<ListedOrg> {
    let xml_id = xml_id(o)?;
    let (name, variants) = main_and_variants(&children(o, "orgName").collect::<Vec<_>>())?;
    let parent = children(o, "note")
        .filter(|n| n.attribute("type") == Some("parent"))
        .find_map(|n| child(n, "ptr"))
        .and_then(|p| p.attribute("target"))
        .and_then(|t| t.strip_prefix('#'))
        .map(str::to_string);
    Some(ListedOrg {
        xml_id,
        kind: o.attribute("role").map(str::to_string),
        name,
        variants,
        parent,
    })
}

fn periodical(b: Node<'_, '_>) -> Option<ListedPeriodical> {
    let xml_id = xml_id(b)?;
    let titles: Vec<Node<'_, '_>> = children(b, "title").collect();
    let (title, variants) = main_and_variants(&titles)?;
    let translation = titles
        .iter()
        .find(|t| t.attribute("type") == Some("translated"))
        .map(|t| raw_text(*t));
    Some(ListedPeriodical {
        xml_id,
        title,
        translation,
        variants,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r##"<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="personography">
<teiHeader><fileDesc><titleStmt><title>People</title></titleStmt></fileDesc></teiHeader>
<standOff>
  <listPerson>
    <person xml:id="amas-a-s">
      <persName type="main">Amas, A. S.</persName>
      <persName type="variant">Amirbekov</persName>
      <birth when="1904">1904</birth>
      <death when="1937" cert="low">1937?</death>
      <affiliation role="head" from="1929-10" to="1930-07" cert="medium">head, <orgName ref="#org-cc">Central Committee</orgName></affiliation>
      <affiliation role="commissar">commissar, <orgName>Azerbaidzhan commissariat &amp; co.</orgName></affiliation>
      <note type="biography">Party member.</note>
    </person>
    <person xml:id="x"><birth notBefore="1890" notAfter="1891">1890/91</birth></person>
    <person><persName>No id</persName></person>
  </listPerson>
  <listOrg><org xml:id="org-cc" role="party"><orgName type="main">Central Committee</orgName><orgName type="variant">CC</orgName><note type="parent">Part of <ptr target="#org-party"/></note></org></listOrg>
  <listBibl><bibl xml:id="bibl-pravda" type="periodical"><title level="j" type="main">Pravda</title><title level="j" type="translated">Truth</title><title level="j" type="alt">Правда</title></bibl></listBibl>
</standOff>
</TEI>"##;

    #[test]
    fn reads_people_bodies_and_periodicals_as_written() {
        let p = personography("persons.xml", FILE).unwrap().unwrap();
        assert_eq!(p.people.len(), 1, "records without id or name are skipped");
        let a = &p.people[0];
        assert_eq!(a.xml_id, "amas-a-s");
        assert_eq!(a.name, "Amas, A. S.");
        assert_eq!(a.variants, vec!["Amirbekov"]);
        assert_eq!(a.born.as_ref().unwrap().when, Some(1904));
        let d = a.died.as_ref().unwrap();
        assert!(d.uncertain);
        assert_eq!(d.printed, "1937?");
        assert_eq!(a.affiliations.len(), 2);
        let f = &a.affiliations[0];
        assert_eq!(f.role.as_deref(), Some("head"));
        assert_eq!(
            f.from,
            Some(ListedDate {
                year: 1929,
                month: Some(10),
                day: None
            })
        );
        assert!(f.approximate);
        assert_eq!(f.org_id.as_deref(), Some("org-cc"));
        assert_eq!(
            a.affiliations[1].org_text,
            "Azerbaidzhan commissariat & co."
        );
        assert_eq!(a.affiliations[1].org_id, None);
        assert_eq!(a.biography.as_deref(), Some("Party member."));
        let o = &p.orgs[0];
        assert_eq!(
            (o.kind.as_deref(), o.name.as_str()),
            (Some("party"), "Central Committee")
        );
        assert_eq!(o.variants, vec!["CC"]);
        assert_eq!(o.parent.as_deref(), Some("org-party"));
        let b = &p.periodicals[0];
        assert_eq!(b.title, "Pravda");
        assert_eq!(b.translation.as_deref(), Some("Truth"));
        assert_eq!(b.variants, vec!["Правда"]);
    }

    #[test]
    fn a_letter_is_no_personography() {
        let letter =
            r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>x</p></body></text></TEI>"#;
        assert_eq!(personography("K1.xml", letter).unwrap(), None);
    }

    #[test]
    fn dates_out_of_range_are_no_dates() {
        assert_eq!(date("1926-13"), None);
        assert_eq!(date("1926-07-32"), None);
        assert_eq!(date("x"), None);
        assert_eq!(date("1926").map(|d| d.month), Some(None));
    }
}
