//! The linking stage on small editions written here.

use super::*;
use fond_model::authority::NameRef;
use fond_model::Witness;

fn tei_letter(id: &str, file: &str, parties: &[(MentionField, &str, &[&str])]) -> Document {
    let mut d = Document::new(id, "edition", DocKind::Letter);
    d.witnesses.push(Witness {
        source: file.into(),
        first_line: 1,
        last_line: 1,
        label: String::new(),
        text: String::new(),
        markup: fond_model::Markup::Plain,
    });
    for (field, name, refs) in parties {
        let list = match field {
            MentionField::Sender => &mut d.senders,
            _ => &mut d.addressees,
        };
        list.push(name.to_string());
        d.name_refs.push(NameRef {
            field: *field,
            start: list.len() - 1,
            end: list.len() - 1,
            refs: refs.iter().map(|r| r.to_string()).collect(),
            surface: name.to_string(),
            certain: true,
            element: NameElement::Person,
        });
    }
    d
}

fn tei(name: &str) -> SourceText<'_> {
    SourceText {
        name,
        shape: SourceShape::Tei,
        text: "",
    }
}

const GND_A: &str = "https://d-nb.info/gnd/1";
const REG_A: &str = "https://example.org/register/a";
const GND_B: &str = "https://d-nb.info/gnd/2";

#[test]
fn parties_sharing_any_uri_are_one_person() {
    let docs = [
        tei_letter(
            "edition/1",
            "1.xml",
            &[
                (MentionField::Sender, "Arndt, Anna", &[REG_A]),
                (MentionField::Addressee, "Berg, Bruno", &[GND_B]),
            ],
        ),
        tei_letter(
            "edition/2",
            "2.xml",
            &[
                (MentionField::Sender, "Berg, Bruno", &[GND_B]),
                // The second letter gives Anna's register id and GND.
                (MentionField::Addressee, "Anna Arndt", &[GND_A, REG_A]),
            ],
        ),
    ];
    let linked = link(&docs, &[tei("1.xml"), tei("2.xml")]).expect("links");
    let people: Vec<&Person> = linked
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Person(p) => Some(p),
            _ => None,
        })
        .collect();
    assert_eq!(people.len(), 2, "{people:#?}");
    let anna = people.iter().find(|p| p.id.0 == REG_A).expect("Anna");
    assert_eq!(anna.other_names, ["Anna Arndt"]);
    assert_eq!(
        anna.origin,
        Origin::Tei {
            refs: vec![REG_A.into(), GND_A.into()]
        }
    );
    assert_eq!(linked.mentions.len(), 4);
    let m = &linked.mentions[3];
    assert_eq!(
        (m.doc_id.as_str(), m.field, m.start, m.how.as_str()),
        ("edition/2", MentionField::Addressee, 0, "tei-uri")
    );
    assert_eq!(m.entity, Entity::Person(PersonId(REG_A.into())));
}

#[test]
fn a_party_without_a_uri_is_left_unlinked() {
    let docs = [tei_letter(
        "edition/1",
        "1.xml",
        &[(MentionField::Sender, "Someone", &[])],
    )];
    let linked = link(&docs, &[tei("1.xml")]).expect("links");
    assert!(linked.records.is_empty() && linked.mentions.is_empty());
}

#[test]
fn a_reference_into_fonds_personography_keeps_its_id() {
    let mut d = tei_letter("edition/1", "exported/1.xml", &[]);
    for (i, (r, element)) in [
        ("persons.xml#kamenev-l-b", NameElement::Person),
        ("persons.xml#org-politburo", NameElement::Org),
        ("persons.xml#bibl-pravda", NameElement::Title),
    ]
    .into_iter()
    .enumerate()
    {
        d.name_refs.push(NameRef {
            field: MentionField::Note(1),
            start: i * 10,
            end: i * 10 + 5,
            refs: vec![r.into()],
            surface: format!("name {i}"),
            certain: i != 0,
            element,
        });
    }
    // The export's witness source is not held: still a TEI document.
    let linked = link(&[d], &[]).expect("links");
    let entities: Vec<String> = linked
        .records
        .iter()
        .map(|r| r.entity().to_string())
        .collect();
    assert_eq!(
        entities,
        ["person:kamenev-l-b", "body:politburo", "periodical:pravda"]
    );
    assert_eq!(linked.mentions.len(), 3);
    assert!(!linked.mentions[0].resolved, "cert=low stays unresolved");
    assert!(linked
        .mentions
        .iter()
        .all(|m| m.field == MentionField::Note(1)));
}

#[test]
fn a_document_of_a_held_text_source_is_not_linked_by_references() {
    let mut d = tei_letter(
        "edition/1",
        "letters.txt",
        &[(MentionField::Sender, "Arndt, Anna", &[GND_A])],
    );
    d.witnesses[0].source = "letters.txt".into();
    let plain = SourceText {
        name: "letters.txt",
        shape: SourceShape::PlainLetters,
        text: "",
    };
    let linked = link(&[d], &[plain]).expect("links");
    assert!(linked.mentions.is_empty(), "{:?}", linked.mentions);
}

#[test]
fn a_book_without_a_glossary_gives_a_note_not_an_error() {
    let book = SourceText {
        name: "notes.md",
        shape: SourceShape::EditionMarkdown,
        text: "# Notes\n\nNo glossary here.\n",
    };
    let linked = link(&[], &[book]).expect("links");
    assert!(linked.records.is_empty());
    assert_eq!(linked.notes.len(), 1);
    assert!(
        linked.notes[0].starts_with("notes.md: no authority"),
        "{:?}",
        linked.notes
    );
}

#[test]
fn a_tei_letter_is_not_relinked_alone() {
    let d = tei_letter(
        "edition/1",
        "1.xml",
        &[(MentionField::Sender, "Arndt, Anna", &[GND_A])],
    );
    // Its people are merged with the other TEI letters': only a whole
    // linking can say.
    assert_eq!(relink(std::slice::from_ref(&d), &[tei("1.xml")]), None);
    // A letter of a held text source, with no book to link it by: no
    // mention, as `link` gives it.
    let mut plain_doc = d.clone();
    plain_doc.witnesses[0].source = "letters.txt".into();
    let plain = SourceText {
        name: "letters.txt",
        shape: SourceShape::PlainLetters,
        text: "",
    };
    assert_eq!(relink(&[plain_doc], &[plain]), Some(Vec::new()));
}
