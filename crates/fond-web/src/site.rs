//! The archive as the reading room holds it: loaded once, read-only.

use fond_model::Document;
use fond_store::{Archive, DocFilter, MentionRow};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// A person record as stored by the linking stage (its JSON kept whole).
#[derive(Debug, Clone)]
pub struct PersonPage {
    pub id: String,
    pub name: String,
    pub record: Value,
}

/// Everything a page may show.
#[derive(Debug, Default)]
pub struct Site {
    pub title: String,
    pub documents: Vec<Document>,
    by_id: HashMap<String, usize>,
    pub people: Vec<PersonPage>,
    person_by_id: HashMap<String, usize>,
    /// Bodies and periodicals.
    pub entities: Vec<PersonPage>,
    entity_by_id: HashMap<String, usize>,
    /// Mentions per document (parties included).
    mentions_by_doc: HashMap<String, Vec<MentionRow>>,
    /// Documents per person, with how often they name them.
    docs_by_person: HashMap<String, BTreeMap<String, usize>>,
    /// The archive's search index, when it has one.
    pub search: Option<fond_search::SearchIndex>,
}

impl Site {
    /// Loads the archive in `dir`.
    pub fn load(dir: &std::path::Path) -> Result<Site, crate::WebError> {
        let archive = Archive::open_existing(dir)?;
        let documents = archive.documents(&DocFilter::default())?;
        let people: Vec<PersonPage> = archive
            .entities(Some("person"))?
            .into_iter()
            .map(|e| {
                Ok(PersonPage {
                    id: e.id,
                    name: e.name,
                    record: serde_json::from_str(&e.record)?,
                })
            })
            .collect::<Result<_, serde_json::Error>>()?;
        let bodies: Vec<PersonPage> = archive
            .entities(Some("body"))?
            .into_iter()
            .chain(archive.entities(Some("periodical"))?)
            .map(|e| {
                Ok(PersonPage {
                    id: e.id,
                    name: e.name,
                    record: serde_json::from_str(&e.record)?,
                })
            })
            .collect::<Result<_, serde_json::Error>>()?;
        let mentions = archive.all_mentions(false)?;
        let title = archive
            .sources()?
            .into_iter()
            .find(|s| s.shape == fond_model::SourceShape::EditionMarkdown)
            .map(|s| s.title)
            .unwrap_or_else(|| "fond".into());
        let mut site = Site::new(title, documents, people, mentions);
        site.entity_by_id = bodies
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        site.entities = bodies;
        Ok(site)
    }

    pub fn new(
        title: String,
        documents: Vec<Document>,
        people: Vec<PersonPage>,
        mentions: Vec<MentionRow>,
    ) -> Site {
        let by_id = documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        let person_by_id = people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        let mut mentions_by_doc: HashMap<String, Vec<MentionRow>> = HashMap::new();
        let mut docs_by_person: HashMap<String, BTreeMap<String, usize>> = HashMap::new();
        for m in mentions {
            if m.resolved {
                *docs_by_person
                    .entry(m.entity_id.clone())
                    .or_default()
                    .entry(m.doc_id.clone())
                    .or_default() += 1;
            }
            mentions_by_doc.entry(m.doc_id.clone()).or_default().push(m);
        }
        Site {
            title,
            documents,
            by_id,
            people,
            person_by_id,
            entities: vec![],
            entity_by_id: HashMap::new(),
            mentions_by_doc,
            docs_by_person,
            search: None,
        }
    }

    /// The search index the search page and `/api/v1/search` use.
    pub fn with_search(mut self, index: fond_search::SearchIndex) -> Site {
        self.search = Some(index);
        self
    }

    pub fn document(&self, id: &str) -> Option<&Document> {
        self.by_id.get(id).map(|&i| &self.documents[i])
    }

    /// The documents before and after in the edition's order.
    pub fn neighbours(&self, id: &str) -> (Option<&Document>, Option<&Document>) {
        match self.by_id.get(id) {
            Some(&i) => (
                i.checked_sub(1).and_then(|j| self.documents.get(j)),
                self.documents.get(i + 1),
            ),
            None => (None, None),
        }
    }

    pub fn person(&self, id: &str) -> Option<&PersonPage> {
        self.person_by_id.get(id).map(|&i| &self.people[i])
    }

    /// A body or periodical.
    pub fn entity(&self, id: &str) -> Option<&PersonPage> {
        self.entity_by_id.get(id).map(|&i| &self.entities[i])
    }

    pub fn mentions(&self, doc_id: &str) -> &[MentionRow] {
        self.mentions_by_doc
            .get(doc_id)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The person a party of a document was linked to.
    pub fn party(&self, doc_id: &str, field: &str, index: usize) -> Option<&PersonPage> {
        self.mentions(doc_id)
            .iter()
            .find(|m| m.field == field && m.start as usize == index)
            .and_then(|m| self.person(&m.entity_id))
    }

    pub fn documents_of(&self, person: &str) -> Vec<(&Document, usize)> {
        let mut out: Vec<(&Document, usize)> = self
            .docs_by_person
            .get(person)
            .map(|m| {
                m.iter()
                    .filter_map(|(d, n)| self.document(d).map(|d| (d, *n)))
                    .collect()
            })
            .unwrap_or_default();
        out.sort_by_key(|(d, _)| d.order);
        out
    }
}
