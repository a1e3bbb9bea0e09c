//! The personography: the people, bodies and periodicals of the authority
//! file as `listPerson`, `listOrg` and `listBibl`, with the `xml:id`s the
//! documents' `@ref`s point to (see [`super::entity_xml_id`]).

use super::{entity_xml_id, TEI_NS};
use crate::records::{LifeDate, OrgEntry, PeriodicalEntry, PersonEntry};
use crate::xml::XmlWriter;
use crate::EntityKind;
use crate::ExportError;
use std::collections::BTreeMap;

/// The personography file. Fails only when two records would share an
/// `xml:id` (the documents' pointers would then be ambiguous).
pub fn personography(
    people: &[PersonEntry],
    orgs: &[OrgEntry],
    periodicals: &[PeriodicalEntry],
) -> Result<String, ExportError> {
    check_ids(people, orgs, periodicals)?;
    let mut w = XmlWriter::with_capacity(512 + people.len() * 1024 + orgs.len() * 256);
    w.block(
        "TEI",
        &[
            ("xmlns", TEI_NS),
            ("xml:id", "personography"),
            ("xml:lang", "en"),
        ],
    );
    w.block("teiHeader", &[]);
    w.block("fileDesc", &[]);
    w.block("titleStmt", &[]);
    w.leaf("title", &[], "People, bodies and periodicals");
    w.close();
    w.block("publicationStmt", &[]);
    w.leaf("publisher", &[], "fond");
    w.close();
    w.block("sourceDesc", &[]);
    w.leaf(
        "p",
        &[],
        "The authority file fond builds from the edition: its Glossary of Names, Index and \
         Institutional Background, and fond's tables of bodies and periodicals.",
    );
    w.close();
    w.close();
    w.close();
    if people.is_empty() && orgs.is_empty() && periodicals.is_empty() {
        // TEI wants a text or a standOff with something in it.
        w.block("text", &[]);
        w.block("body", &[]);
        w.leaf("p", &[], "No records.");
        w.close_to(1);
        return Ok(w.finish());
    }
    w.block("standOff", &[]);
    if !people.is_empty() {
        w.block("listPerson", &[]);
        for p in people {
            person(&mut w, p);
        }
        w.close();
    }
    if !orgs.is_empty() {
        w.block("listOrg", &[]);
        for o in orgs {
            org(&mut w, o);
        }
        w.close();
    }
    if !periodicals.is_empty() {
        w.block("listBibl", &[]);
        for p in periodicals {
            let id = entity_xml_id(EntityKind::Periodical, &p.id);
            w.block("bibl", &[("xml:id", &id), ("type", "periodical")]);
            w.leaf("title", &[("level", "j"), ("type", "main")], &p.title);
            if let Some(t) = &p.translation {
                w.leaf("title", &[("level", "j"), ("type", "translated")], t);
            }
            for v in &p.variants {
                w.leaf("title", &[("level", "j"), ("type", "alt")], v);
            }
            w.close();
        }
        w.close();
    }
    Ok(w.finish())
}

fn check_ids(
    people: &[PersonEntry],
    orgs: &[OrgEntry],
    periodicals: &[PeriodicalEntry],
) -> Result<(), ExportError> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let all = people
        .iter()
        .map(|p| (EntityKind::Person, &p.id))
        .chain(orgs.iter().map(|o| (EntityKind::Body, &o.id)))
        .chain(periodicals.iter().map(|p| (EntityKind::Periodical, &p.id)));
    for (kind, id) in all {
        let xml_id = entity_xml_id(kind, id);
        let this = format!("{}:{id}", kind.as_str());
        if let Some(first) = seen.insert(xml_id.clone(), this.clone()) {
            return Err(ExportError::DuplicateId {
                id: xml_id,
                first,
                second: this,
            });
        }
    }
    Ok(())
}

fn person(w: &mut XmlWriter, p: &PersonEntry) {
    let id = entity_xml_id(EntityKind::Person, &p.id);
    w.block("person", &[("xml:id", &id)]);
    w.block("persName", &[("type", "main")]);
    w.text(&p.name);
    w.close();
    for v in &p.variants {
        w.leaf("persName", &[("type", "variant")], v);
    }
    for (element, date) in [("birth", &p.born), ("death", &p.died)] {
        if let Some(d) = date {
            life_date(w, element, d);
        }
    }
    for o in &p.offices {
        let mut attrs: Vec<(&str, String)> = Vec::new();
        if let Some(r) = &o.role {
            attrs.push(("role", r.clone()));
        }
        if let Some(f) = &o.from {
            attrs.push(("from", f.to_string()));
        }
        if let Some(t) = &o.to {
            attrs.push(("to", t.to_string()));
        }
        if o.approximate {
            attrs.push(("cert", "medium".into()));
        }
        let attrs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        w.block("affiliation", &attrs);
        if let Some(r) = &o.role {
            w.text(r);
            w.text(", ");
        }
        match &o.body {
            Some(b) => {
                let target = format!("#{}", entity_xml_id(EntityKind::Body, b));
                w.inline_leaf("orgName", &[("ref", &target)], &o.body_text);
            }
            None => w.inline_leaf("orgName", &[], &o.body_text),
        }
        w.close();
    }
    if let Some(b) = &p.biography {
        w.leaf("note", &[("type", "biography")], b);
    }
    w.close();
}

/// `<birth when="1888">1888</birth>`; `1890/91` as an interval; `1937?`
/// with `@cert="low"`; `?` with no date.
fn life_date(w: &mut XmlWriter, element: &'static str, d: &LifeDate) {
    let mut attrs: Vec<(&str, String)> = Vec::new();
    if let Some(y) = d.year {
        if d.alternatives.is_empty() {
            attrs.push(("when", format!("{y:04}")));
        } else {
            let lo = d.alternatives.iter().copied().chain([y]).min().unwrap_or(y);
            let hi = d.alternatives.iter().copied().chain([y]).max().unwrap_or(y);
            attrs.push(("notBefore", format!("{lo:04}")));
            attrs.push(("notAfter", format!("{hi:04}")));
        }
        if d.uncertain {
            attrs.push(("cert", "low".into()));
        }
    }
    let attrs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    w.leaf(element, &attrs, &d.printed);
}

fn org(w: &mut XmlWriter, o: &OrgEntry) {
    let id = entity_xml_id(EntityKind::Body, &o.id);
    w.block("org", &[("xml:id", &id), ("role", &o.kind)]);
    w.leaf("orgName", &[("type", "main")], &o.name);
    for v in &o.variants {
        w.leaf("orgName", &[("type", "variant")], v);
    }
    if let Some(parent) = &o.parent {
        let target = format!("#{}", entity_xml_id(EntityKind::Body, parent));
        w.block("note", &[("type", "parent")]);
        w.text("Part of ");
        w.empty("ptr", &[("target", &target)]);
        w.close();
    }
    w.close();
}
