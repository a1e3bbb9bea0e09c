//! The archive as the reading room holds it: loaded once, read-only.

use crate::session::Accounts;
use fond_model::authority::{EntityKind, Mention, MentionField, Record};
use fond_model::visibility::{Rules, Setting, Viewer};
use fond_model::{Day, Document};
use fond_store::{Archive, DocFilter};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock};

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
    /// Who may read what (restricted and embargoed material): swapped
    /// whole when an editor changes a setting in the reading room.
    rules: RwLock<Arc<Rules>>,
    /// The viewer of a request without a session: the public for `fond
    /// serve`, an editor for `fond serve --editor` (loopback only).
    viewer: Viewer,
    /// A fixed "today" (tests); `None`: the clock, read once per request.
    today: Option<Day>,
    /// The documents hidden per kind of viewer (`None`: the public and
    /// every reader no setting names; `Some(name)`: a reader some setting
    /// names), for the day they were computed on (an embargo lapses at
    /// midnight, UTC). Emptied when the rules are swapped.
    hidden_on: Mutex<HiddenCache>,
    /// The accounts and sessions, when the reading room has logins.
    pub(crate) accounts: Option<Accounts>,
    /// Where the reading room's writes go (the binary's implementation).
    pub(crate) desk: Option<crate::desk::DeskHandle>,
}

/// The hidden documents by kind of viewer, with the day of each list.
type HiddenCache = HashMap<Option<String>, (Day, Arc<Hidden>)>;

/// The documents one viewer may not see on one day.
#[derive(Debug, Default)]
pub struct Hidden {
    ids: HashSet<String>,
    /// The same ids in edition order, for the search's exclusion clause.
    list: Vec<String>,
}

/// What one request may see: its viewer and the day, taken once when the
/// request arrives, with the documents hidden from it. Every page and
/// endpoint reads the archive through a `Scope`; none looks at the
/// documents without one.
///
/// The viewer is decided here and nowhere else: the extractor reads the
/// request's session cookie (`session.rs`) and maps the account's role to
/// a [`Viewer`]; a request without a live session gets the reading room's
/// anonymous viewer ([`Site::with_viewer`]), or, under `--private`, is
/// sent to the login page (pages) or answered 401 (the API).
#[derive(Debug, Clone)]
pub struct Scope {
    pub viewer: Viewer,
    pub today: Day,
    hidden: Arc<Hidden>,
    /// The logged-in account, with its session's CSRF secret.
    pub user: Option<Arc<fond_store::SessionUser>>,
    /// Whether the reading room has logins (the header offers one).
    pub logins: bool,
    /// Whether the reading room has a desk to write to (the header links
    /// editors to the review queue).
    pub desk: bool,
}

impl Scope {
    /// Whether the request may see the document.
    pub fn sees(&self, d: &Document) -> bool {
        !self.hidden.ids.contains(&d.id)
    }

    /// Whether the request may see the document of this id (true for an
    /// id the archive does not hold: the caller finds no document then).
    pub fn sees_id(&self, id: &str) -> bool {
        !self.hidden.ids.contains(id)
    }

    /// The ids hidden from this request, in edition order.
    pub fn hidden_ids(&self) -> &[String] {
        &self.hidden.list
    }
}

impl Scope {
    /// The account when it may write (an editor or an admin).
    pub fn editor(&self) -> Option<&fond_store::SessionUser> {
        self.user.as_deref().filter(|u| u.role.edits())
    }
}

impl axum::extract::FromRequestParts<Arc<Site>> for Scope {
    type Rejection = axum::response::Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        site: &Arc<Site>,
    ) -> Result<Scope, Self::Rejection> {
        crate::session::scope_of(site, parts).map_err(|r| *r)
    }
}

pub use fond_model::clock::today_utc;

impl Site {
    /// Loads the archive in `dir`, with its visibility settings and those
    /// its edition profiles state (`from_profiles`:
    /// `fond_ingest::profile::visibility_settings` of the stored profiles;
    /// the editors' stored settings take precedence).
    pub fn load(
        dir: &std::path::Path,
        from_profiles: Vec<Setting>,
    ) -> Result<Site, crate::WebError> {
        let archive = Archive::open_existing(dir)?;
        let rules = Rules::new(archive.visibility()?, from_profiles);
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
        site.rules = RwLock::new(Arc::new(rules));
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
            rules: RwLock::default(),
            viewer: Viewer::Public,
            today: None,
            hidden_on: Mutex::default(),
            accounts: None,
            desk: None,
        }
    }

    /// Who may read what.
    pub fn with_rules(self, rules: Rules) -> Site {
        self.reload_rules(rules);
        self
    }

    /// The rules in force now.
    pub fn rules(&self) -> Arc<Rules> {
        match self.rules.read() {
            Ok(r) => r.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Puts new rules in force at once (after an editor's write): the
    /// next request sees them; the hidden documents are computed again.
    pub fn reload_rules(&self, rules: Rules) {
        let mut cache = match self.hidden_on.lock() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        };
        match self.rules.write() {
            Ok(mut r) => *r = Arc::new(rules),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(rules),
        }
        cache.clear();
    }

    /// The viewer of requests without a session.
    pub fn with_viewer(mut self, viewer: Viewer) -> Site {
        self.viewer = viewer;
        self
    }

    /// Logins from the accounts of the archive in `dir`. `private`: every
    /// page and API call needs one; `secure`: the session cookie is sent
    /// over HTTPS only (the reading room is published behind HTTPS).
    pub fn with_accounts(
        mut self,
        dir: &std::path::Path,
        private: bool,
        secure: bool,
    ) -> Result<Site, crate::WebError> {
        self.accounts = Some(Accounts::open(dir, private, secure)?);
        Ok(self)
    }

    /// Where the reading room's writes go.
    pub fn with_desk(mut self, desk: Arc<dyn crate::Desk>) -> Site {
        self.desk = Some(crate::desk::DeskHandle(desk));
        self
    }

    /// A fixed day instead of the clock (tests of embargoes).
    pub fn with_today(mut self, today: Day) -> Site {
        self.today = Some(today);
        self
    }

    /// The viewer of requests without a session.
    pub fn viewer(&self) -> Viewer {
        self.viewer.clone()
    }

    /// What `viewer` may see today. "Today" is read once here, so one
    /// request never sees an embargo both in force and lapsed.
    pub fn scope(&self, viewer: Viewer) -> Scope {
        let today = self.today.unwrap_or_else(today_utc);
        let rules = self.rules();
        let hidden = if viewer.sees_restricted() || rules.is_empty() {
            Arc::new(Hidden::default())
        } else {
            self.hidden_for(&rules, &viewer, today)
        };
        Scope {
            viewer,
            today,
            hidden,
            user: None,
            logins: self.accounts.is_some(),
            desk: self.desk.is_some(),
        }
    }

    /// The documents hidden from `viewer` on `today`, computed once per
    /// day and kind of viewer: the public and every reader no setting
    /// names share one list; a reader a setting names has their own.
    fn hidden_for(&self, rules: &Arc<Rules>, viewer: &Viewer, today: Day) -> Arc<Hidden> {
        let key = match viewer {
            Viewer::Reader(name) if rules.names_reader(name) => Some(name.clone()),
            _ => None,
        };
        if let Ok(cache) = self.hidden_on.lock() {
            if let Some((day, h)) = cache.get(&key) {
                if *day == today {
                    return h.clone();
                }
            }
        }
        let as_viewer = match &key {
            Some(name) => Viewer::Reader(name.clone()),
            None => Viewer::Public,
        };
        let list: Vec<String> = self
            .documents
            .iter()
            .filter(|d| rules.hidden(d, &as_viewer, today))
            .map(|d| d.id.clone())
            .collect();
        let h = Arc::new(Hidden {
            ids: list.iter().cloned().collect(),
            list,
        });
        if let Ok(mut cache) = self.hidden_on.lock() {
            // The rules may have been swapped while this list was made:
            // keep it only if they are still the ones it was made from.
            if Arc::ptr_eq(&self.rules(), rules) {
                cache.insert(key, (today, h.clone()));
            }
        }
        h
    }

    /// The documents the scope sees, in edition order.
    pub fn visible<'a>(&'a self, scope: &'a Scope) -> impl Iterator<Item = &'a Document> + 'a {
        self.documents.iter().filter(move |d| scope.sees(d))
    }

    /// A document as the scope may read it: references to documents it may
    /// not see (which document quotes this one, which it quotes) taken
    /// out, since they would name them.
    pub fn shown<'a>(&self, scope: &Scope, d: &'a Document) -> Cow<'a, Document> {
        let hides = |id: &String| !scope.sees_id(id);
        if !d.quoted_in.iter().any(hides) && !d.quotes.iter().any(hides) {
            return Cow::Borrowed(d);
        }
        let mut d = d.clone();
        d.quoted_in = d.quoted_in.filter(|id| scope.sees_id(id));
        d.quotes.retain(|id| scope.sees_id(id));
        Cow::Owned(d)
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

    /// A document the scope may see; `None` for one it may not, exactly
    /// as for an id the archive does not hold.
    pub fn document(&self, scope: &Scope, id: &str) -> Option<&Document> {
        self.by_id
            .get(id)
            .map(|&i| &self.documents[i])
            .filter(|d| scope.sees(d))
    }

    /// The documents before and after in the edition's order, among those
    /// the scope sees.
    pub fn neighbours(&self, scope: &Scope, id: &str) -> (Option<&Document>, Option<&Document>) {
        match self.by_id.get(id) {
            Some(&i) => (
                self.documents[..i].iter().rev().find(|d| scope.sees(d)),
                self.documents
                    .get(i + 1..)
                    .and_then(|rest| rest.iter().find(|d| scope.sees(d))),
            ),
            None => (None, None),
        }
    }

    /// Whether an entity is known to the scope: one named only in
    /// documents it may not see is not (a person a restricted letter
    /// brought into the authority file would name its party). An entity
    /// no document names (a glossary entry) is.
    fn known(&self, scope: &Scope, id: &str) -> bool {
        match self.docs_by_person.get(id) {
            Some(docs) if !docs.is_empty() => docs.keys().any(|d| scope.sees_id(d)),
            _ => true,
        }
    }

    pub fn person(&self, scope: &Scope, id: &str) -> Option<&PersonPage> {
        self.person_by_id
            .get(id)
            .map(|&i| &self.people[i])
            .filter(|p| self.known(scope, &p.id))
    }

    /// The people the scope may know of, in the authority file's order.
    pub fn people_for<'a>(&'a self, scope: &'a Scope) -> impl Iterator<Item = &'a PersonPage> + 'a {
        self.people.iter().filter(move |p| self.known(scope, &p.id))
    }

    /// A body or periodical.
    pub fn entity(&self, scope: &Scope, id: &str) -> Option<&PersonPage> {
        self.entity_by_id
            .get(id)
            .map(|&i| &self.entities[i])
            .filter(|e| self.known(scope, &e.id))
    }

    pub fn mentions(&self, doc_id: &str) -> &[Mention] {
        self.mentions_by_doc
            .get(doc_id)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The person a party of a document was linked to.
    pub fn party(
        &self,
        scope: &Scope,
        doc_id: &str,
        field: MentionField,
        index: usize,
    ) -> Option<&PersonPage> {
        self.mentions(doc_id)
            .iter()
            .find(|m| m.field == field && m.start == index)
            .and_then(|m| self.person(scope, m.entity.id()))
    }

    /// The documents the scope sees that name an entity, with how often.
    pub fn documents_of(&self, scope: &Scope, person: &str) -> Vec<(&Document, usize)> {
        let mut out: Vec<(&Document, usize)> = self
            .docs_by_person
            .get(person)
            .map(|m| {
                m.iter()
                    .filter_map(|(d, n)| self.document(scope, d).map(|d| (d, *n)))
                    .collect()
            })
            .unwrap_or_default();
        out.sort_by_key(|(d, _)| d.order);
        out
    }
}
