//! The archive as the reading room holds it: loaded once, read-only.

use fond_model::authority::{EntityKind, Mention, MentionField, Record};
use fond_model::Document;
use fond_store::{Archive, DocFilter};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// A person record as stored by the linking stage (its JSON kept whole).
#[derive(Debug, Clone)]
pub struct PersonPage {
    pub id: String,
    pub name: String,
    pub record: Record,
}

impl From<Record> for PersonPage {
    fn from(record: Record) -> PersonPage {
        PersonPage {
            id: record.entity().id().to_string(),
            name: record.name().to_string(),
            record,
        }
    }
}

/// The host names the reading room answers to (lower-case, no port).
#[derive(Debug, Clone)]
pub struct Hosts(pub Arc<Vec<String>>);

impl Default for Hosts {
    /// Loopback names only.
    fn default() -> Self {
        Hosts(Arc::new(
            ["localhost", "127.0.0.1", "::1"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        ))
    }
}

impl std::ops::Deref for Hosts {
    type Target = Vec<String>;
    fn deref(&self) -> &Vec<String> {
        &self.0
    }
}

/// Most collations kept rendered; the cache starts again when full.
const COLLATION_CACHE: usize = 256;

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
    mentions_by_doc: HashMap<String, Vec<Mention>>,
    /// Documents per person, with how often they name them.
    docs_by_person: HashMap<String, BTreeMap<String, usize>>,
    /// The archive's search index, when it has one.
    pub search: Option<fond_search::SearchIndex>,
    /// Host names answered to.
    pub(crate) allowed_hosts: Arc<Vec<String>>,
    /// Where the reading room is published (`https://host/prefix`), for
    /// permalinks; `None`: the request's (checked) host.
    pub(crate) public_url: Option<String>,
    /// Collations and searches: bounded, off the async workers.
    pub(crate) heavy: crate::pool::Pool,
    /// Rendered witness pages by (id, trivial hidden).
    collations: Mutex<HashMap<(String, bool), Arc<String>>>,
}

impl Site {
    /// Loads the archive in `dir`.
    pub fn load(dir: &std::path::Path) -> Result<Site, crate::WebError> {
        let archive = Archive::open_existing(dir)?;
        let documents = archive.documents(&DocFilter::default())?;
        let people: Vec<PersonPage> = archive
            .entities(Some(EntityKind::Person))?
            .into_iter()
            .map(PersonPage::from)
            .collect();
        let bodies: Vec<PersonPage> = archive
            .entities(Some(EntityKind::Body))?
            .into_iter()
            .chain(archive.entities(Some(EntityKind::Periodical))?)
            .map(PersonPage::from)
            .collect();
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
        mentions: Vec<Mention>,
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
        let mut mentions_by_doc: HashMap<String, Vec<Mention>> = HashMap::new();
        let mut docs_by_person: HashMap<String, BTreeMap<String, usize>> = HashMap::new();
        for m in mentions {
            if m.resolved {
                *docs_by_person
                    .entry(m.entity.id().to_string())
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
            allowed_hosts: Hosts::default().0,
            public_url: None,
            heavy: crate::pool::Pool::for_cores(),
            collations: Mutex::default(),
        }
    }

    /// The search index the search page and `/api/v1/search` use.
    pub fn with_search(mut self, index: fond_search::SearchIndex) -> Site {
        self.search = Some(index);
        self
    }

    /// Names where the reading room is published: permalinks use it, and
    /// its host is answered to besides the loopback names. Refused when it
    /// is not an `http(s)://host[:port][/path]` URL.
    pub fn with_public_url(mut self, url: &str) -> Result<Site, crate::WebError> {
        let bad = || crate::WebError::PublicUrl(url.to_string());
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(bad)?;
        let authority = rest.split('/').next().unwrap_or("");
        let host = crate::guard::host_name(authority);
        if host.is_empty()
            || !host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
        {
            return Err(bad());
        }
        let mut hosts = (*self.allowed_hosts).clone();
        hosts.push(host);
        self.allowed_hosts = Arc::new(hosts);
        self.public_url = Some(url.trim_end_matches('/').to_string());
        Ok(self)
    }

    /// Answers to the address it is bound to as well, when that is a
    /// specific address (not the unspecified `0.0.0.0`/`::`).
    pub(crate) fn allow_bound(&mut self, bound: std::net::SocketAddr) {
        let ip = bound.ip();
        if !ip.is_unspecified() && !ip.is_loopback() {
            let mut hosts = (*self.allowed_hosts).clone();
            hosts.push(ip.to_string());
            self.allowed_hosts = Arc::new(hosts);
        }
    }

    /// A rendered collation from the cache.
    pub(crate) fn cached_collation(&self, id: &str, hide_trivial: bool) -> Option<Arc<String>> {
        self.collations
            .lock()
            .ok()?
            .get(&(id.to_string(), hide_trivial))
            .cloned()
    }

    pub(crate) fn cache_collation(&self, id: &str, hide_trivial: bool, page: Arc<String>) {
        if let Ok(mut c) = self.collations.lock() {
            if c.len() >= COLLATION_CACHE {
                c.clear();
            }
            c.insert((id.to_string(), hide_trivial), page);
        }
    }

    /// The pool collations and searches run on.
    pub fn pool(&self) -> &crate::pool::Pool {
        &self.heavy
    }

    /// Replaces the pool (tests and benchmarks size it).
    pub fn with_pool(mut self, pool: crate::pool::Pool) -> Site {
        self.heavy = pool;
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

    pub fn mentions(&self, doc_id: &str) -> &[Mention] {
        self.mentions_by_doc
            .get(doc_id)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The person a party of a document was linked to.
    pub fn party(&self, doc_id: &str, field: MentionField, index: usize) -> Option<&PersonPage> {
        self.mentions(doc_id)
            .iter()
            .find(|m| m.field == field && m.start == index)
            .and_then(|m| self.person(m.entity.id()))
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
