//! Each surface of the reading room, on a small edition built in code, as
//! the public and as an editor: a restricted letter leaves no trace for
//! the public. (The whole crawl, search included, is
//! `fond-cli/tests/restricted.rs`.)

use axum::body::Body;
use axum::http::{Request, StatusCode};
use fond_model::authority::{
    Entity, EntityKind, Mention, MentionField, Origin, Person, PersonId, Record,
};
use fond_model::visibility::{Level, Rules, Setting, Target, Viewer};
use fond_model::{Day, DocKind, Document, HistDate};
use fond_web::{PersonPage, Site};
use std::sync::Arc;
use tower::ServiceExt;

fn letter(n: u32, from: &str, year: i32) -> Document {
    let mut d = Document::new(format!("c/{n}"), "c", DocKind::Letter);
    d.number = Some(n);
    d.order = n;
    d.title = format!("Letter {n} from {from}");
    d.senders = vec![from.into()];
    d.addressees = vec!["Kunth".into()];
    let day = Day::new(year, 5, 1);
    d.date.interval = Some(HistDate {
        text: format!("{year}"),
        edtf: format!("{year}-05-01"),
        earliest: day,
        latest: day,
        precision: fond_model::Precision::Day,
        qualifier: fond_model::Qualifier::Exact,
        calendar: "gregorian".into(),
    });
    d
}

fn party(doc: &str, field: MentionField, who: &str) -> Mention {
    Mention {
        doc_id: doc.into(),
        field,
        entity: Entity::new(EntityKind::Person, who),
        start: 0,
        end: 0,
        surface: who.into(),
        confidence: 1.0,
        resolved: true,
        how: "party".into(),
        candidates: vec![],
    }
}

fn person(id: &str) -> PersonPage {
    PersonPage::from(Record::Person(Person::named(
        PersonId(id.into()),
        id,
        id.into(),
        None,
        Origin::Tei { refs: Vec::new() },
    )))
}

/// Letters 1–3; letter 2 is from Secretus, restricted, and quotes letter
/// 1 (so letter 1 names it as `quoted_in`).
fn site(viewer: Viewer) -> Arc<Site> {
    let mut docs = vec![
        letter(1, "Humboldt", 1848),
        letter(2, "Secretus", 1611),
        letter(3, "Humboldt", 1849),
    ];
    docs[0].quoted_in = Some("c/2".into());
    docs[1].quotes = vec!["c/1".into()];
    let mut mentions = Vec::new();
    for d in &docs {
        let from = if d.id == "c/2" {
            "secretus"
        } else {
            "humboldt"
        };
        mentions.push(party(&d.id, MentionField::Sender, from));
        mentions.push(party(&d.id, MentionField::Addressee, "kunth"));
    }
    let people = vec![person("humboldt"), person("secretus"), person("kunth")];
    let rules = Rules::new(
        vec![Setting {
            target: Target::Document("c/2".into()),
            level: Level::Restricted,
            until: None,
            readers: vec![],
            who: "ed".into(),
            when: "2026-01-01T00:00:00Z".into(),
            why: "test".into(),
            profile: None,
        }],
        vec![],
    );
    Arc::new(
        Site::new("T".into(), docs, people, mentions)
            .with_rules(rules)
            .with_viewer(viewer),
    )
}

async fn get(site: &Arc<Site>, uri: &str) -> (StatusCode, String) {
    let res = fond_web::router(site.clone())
        .oneshot(
            Request::builder()
                .uri(uri)
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .expect("body");
    (status, String::from_utf8_lossy(&bytes).to_string())
}

fn clean(body: &str) {
    for trace in ["c/2", "Letter 2", "Secretus", "secretus", "1611"] {
        assert!(!body.contains(trace), "{trace:?} in {body}");
    }
}

#[tokio::test]
async fn home_and_browse_count_only_what_the_public_may_see() {
    let public = site(Viewer::Public);
    let (_, home) = get(&public, "/").await;
    clean(&home);
    assert!(home.contains("— 2 documents"), "{home}");
    let (_, browse) = get(&public, "/browse").await;
    clean(&browse);
    assert!(browse.contains("<p>2 documents</p>"));
    let (_, by_year) = get(&public, "/browse?year=1611").await;
    assert!(by_year.contains("<p>0 documents</p>"));
    let editor = site(Viewer::Editor);
    let (_, home) = get(&editor, "/").await;
    assert!(home.contains("— 3 documents"));
}

#[tokio::test]
async fn a_restricted_document_answers_like_a_missing_one() {
    let public = site(Viewer::Public);
    for base in ["/doc/", "/witnesses/", "/api/v1/documents/"] {
        let closed = get(&public, &format!("{base}c/2")).await;
        let missing = get(&public, &format!("{base}c/99")).await;
        assert_eq!(closed.0, StatusCode::NOT_FOUND, "{base}");
        assert_eq!(closed, missing, "{base}");
    }
    let (s, _) = get(&site(Viewer::Editor), "/doc/c/2").await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn neighbours_skip_what_the_public_may_not_see() {
    let public = site(Viewer::Public);
    let (_, one) = get(&public, "/doc/c/1").await;
    clean(&one);
    assert!(one.contains("/doc/c/3"), "next is letter 3: {one}");
    let (_, three) = get(&public, "/doc/c/3").await;
    clean(&three);
    assert!(three.contains("/doc/c/1"));
    let (_, one) = get(&site(Viewer::Editor), "/doc/c/1").await;
    assert!(one.contains("/doc/c/2"));
}

#[tokio::test]
async fn people_and_their_letters_leave_out_closed_ones() {
    let public = site(Viewer::Public);
    let (_, kunth) = get(&public, "/person/kunth").await;
    clean(&kunth);
    assert!(kunth.contains("Correspondence (2 letters"), "{kunth}");
    assert!(kunth.contains("Documents (2)"));
    let (s, _) = get(&public, "/person/secretus").await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "known only through a closed letter"
    );
    let (_, people) = get(&public, "/api/v1/people").await;
    clean(&people);
    assert!(people.contains("\"total\":2"));
    let (_, api_kunth) = get(&public, "/api/v1/people/kunth").await;
    clean(&api_kunth);
    let (_, editor_kunth) = get(&site(Viewer::Editor), "/person/kunth").await;
    assert!(editor_kunth.contains("Correspondence (3 letters"));
}

#[tokio::test]
async fn the_api_lists_and_shows_without_closed_documents_or_references_to_them() {
    let public = site(Viewer::Public);
    let (_, list) = get(&public, "/api/v1/documents").await;
    clean(&list);
    assert!(list.contains("\"total\":2"));
    let (_, one) = get(&public, "/api/v1/documents/c/1").await;
    clean(&one);
    assert!(one.contains("\"quoted_in\":null"), "{one}");
    let (_, openapi) = get(&public, "/api/v1/openapi.json").await;
    clean(&openapi);
    let (_, one) = get(&site(Viewer::Editor), "/api/v1/documents/c/1").await;
    assert!(one.contains("\"quoted_in\":\"c/2\""));
}

#[tokio::test]
async fn an_embargo_lapses_on_its_day() {
    let docs = vec![letter(1, "Humboldt", 1848)];
    let rules = Rules::new(
        vec![Setting {
            target: Target::Collection("c".into()),
            level: Level::Embargoed,
            until: Day::new(2030, 1, 1),
            readers: vec![],
            who: "ed".into(),
            when: String::new(),
            why: "test".into(),
            profile: None,
        }],
        vec![],
    );
    let at = |day| {
        Arc::new(
            Site::new("T".into(), docs.clone(), vec![], vec![])
                .with_rules(rules.clone())
                .with_today(day),
        )
    };
    let before = at(Day::new(2029, 12, 31).expect("day"));
    assert_eq!(get(&before, "/doc/c/1").await.0, StatusCode::NOT_FOUND);
    let on = at(Day::new(2030, 1, 1).expect("day"));
    assert_eq!(get(&on, "/doc/c/1").await.0, StatusCode::OK);
}
