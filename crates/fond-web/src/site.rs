//! The archive as the reading room holds it: an [`Edition`] snapshot in
//! memory, read by every request through its [`Scope`], and swapped whole
//! when an editor's correction changes documents ([`Site::refresh`]).

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

/// The edition as one request reads it: documents, people, bodies and
/// the links between them. Immutable once made: a correction makes a new
/// one ([`Site::refresh`]) and requests that began before keep reading
/// the one they captured, so no page mixes two states of the edition.
#[derive(Debug, Default)]
pub struct Edition {
    /// The documents in edition order.
    documents: Vec<Arc<Document>>,
    /// Each document's position. Shared by the editions a correction
    /// makes (it keeps every document in its place).
    by_id: Arc<HashMap<String, usize>>,
    people: Vec<PersonPage>,
    person_by_id: HashMap<String, usize>,
    /// Bodies and periodicals.
    entities: Vec<PersonPage>,
    entity_by_id: HashMap<String, usize>,
    /// Each document's mentions (parties included), by position.
    mentions: Vec<Arc<[Mention]>>,
    /// The documents (by position) naming each entity, with how often.
    /// Shared per entity, so a new edition copies only the lists of the
    /// entities its changed documents name (at 100,000 documents, copying
    /// them all took longer than the correction itself).
    docs_by_entity: HashMap<String, Arc<BTreeMap<usize, usize>>>,
}

impl Edition {
    /// The edition of these documents, people, bodies and mentions.
    pub fn new(
        documents: Vec<Document>,
        people: Vec<PersonPage>,
        bodies: Vec<PersonPage>,
        mentions: Vec<Mention>,
    ) -> Edition {
        let by_id = positions(documents.iter().map(|d| &d.id));
        let mut per_doc: Vec<Vec<Mention>> = vec![Vec::new(); documents.len()];
        for m in mentions {
            if let Some(&i) = by_id.get(&m.doc_id) {
                per_doc[i].push(m);
            }
        }
        let mut counts: HashMap<String, BTreeMap<usize, usize>> = HashMap::new();
        for (i, ms) in per_doc.iter().enumerate() {
            for m in ms.iter().filter(|m| m.resolved) {
                *counts
                    .entry(m.entity.id().to_string())
                    .or_default()
                    .entry(i)
                    .or_default() += 1;
            }
        }
        let mut e = Edition {
            documents: documents.into_iter().map(Arc::new).collect(),
            by_id: Arc::new(by_id),
            mentions: per_doc.into_iter().map(Arc::from).collect(),
            docs_by_entity: counts.into_iter().map(|(k, v)| (k, Arc::new(v))).collect(),
            ..Edition::default()
        };
        e.set_entities(people, bodies);
        e
    }

    /// Reads the whole edition from the archive.
    pub fn load(archive: &Archive) -> Result<Edition, crate::WebError> {
        let documents = archive.documents(&DocFilter::default())?;
        let (people, bodies) = entities_of(archive)?;
        let mentions = archive.all_mentions(false)?;
        Ok(Edition::new(documents, people, bodies, mentions))
    }

    /// This edition with the documents of `ids` read again from the
    /// archive, with their mentions, and the authority records read again
    /// (a decision on a name may have changed them). `None` when a
    /// document was added, removed or moved in the edition's order (a
    /// correction of a number, a join): the caller loads the whole.
    fn with_documents(
        &self,
        archive: &Archive,
        ids: &[String],
    ) -> Result<Option<Edition>, crate::WebError> {
        let mut documents = self.documents.clone();
        let mut mentions = self.mentions.clone();
        let mut docs_by_entity = self.docs_by_entity.clone();
        for id in ids {
            let (Some(&i), Some(d)) = (self.by_id.get(id), archive.document(id)?) else {
                return Ok(None);
            };
            if d.order != documents[i].order {
                return Ok(None);
            }
            documents[i] = Arc::new(d);
            // Its counts came from its own mentions alone.
            for m in mentions[i].iter() {
                if let Some(docs) = docs_by_entity.get_mut(m.entity.id()) {
                    if docs.contains_key(&i) {
                        Arc::make_mut(docs).remove(&i);
                    }
                }
            }
            let ms = archive.mentions_in(id)?;
            for m in ms.iter().filter(|m| m.resolved) {
                let docs = docs_by_entity.entry(m.entity.id().to_string()).or_default();
                *Arc::make_mut(docs).entry(i).or_default() += 1;
            }
            mentions[i] = ms.into();
        }
        let (people, bodies) = entities_of(archive)?;
        let mut e = Edition {
            documents,
            by_id: self.by_id.clone(),
            mentions,
            docs_by_entity,
            ..Edition::default()
        };
        e.set_entities(people, bodies);
        Ok(Some(e))
    }

    fn set_entities(&mut self, people: Vec<PersonPage>, bodies: Vec<PersonPage>) {
        self.person_by_id = positions(people.iter().map(|p| &p.id));
        self.entity_by_id = positions(bodies.iter().map(|p| &p.id));
        self.people = people;
        self.entities = bodies;
    }
}

/// Each id's position.
fn positions<'a>(ids: impl Iterator<Item = &'a String>) -> HashMap<String, usize> {
    ids.enumerate().map(|(i, id)| (id.clone(), i)).collect()
}

/// The archive's people, and its bodies and periodicals.
fn entities_of(archive: &Archive) -> Result<(Vec<PersonPage>, Vec<PersonPage>), crate::WebError> {
    let people = archive
        .entities(Some(EntityKind::Person))?
        .into_iter()
        .map(PersonPage::from)
        .collect();
    let bodies = archive
        .entities(Some(EntityKind::Body))?
        .into_iter()
        .chain(archive.entities(Some(EntityKind::Periodical))?)
        .map(PersonPage::from)
        .collect();
    Ok((people, bodies))
}

/// What an editor's write changed in the edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    /// These documents (and the links of their names).
    Documents(Vec<String>),
    /// Anything: the edition was derived again.
    Whole,
}

/// How often a request looks whether another fond wrote the archive.
pub const FOLLOW_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// What of the archive the site has read: the marks that move when
/// another process writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Marks {
    /// The edition's and the links' fingerprints.
    edition: (Option<String>, Option<String>),
    /// The visibility settings in force, as stored.
    settings: Vec<Setting>,
}

impl Marks {
    fn of(archive: &Archive) -> Result<Marks, fond_store::StoreError> {
        Ok(Marks {
            edition: edition_marks(archive)?,
            settings: archive.visibility()?,
        })
    }
}

/// The edition's and the links' fingerprints.
type EditionMarks = (Option<String>, Option<String>);

/// The archive's [`EditionMarks`].
fn edition_marks(archive: &Archive) -> Result<EditionMarks, fond_store::StoreError> {
    Ok((archive.fingerprint()?, archive.links_fingerprint()?))
}

/// The marks last read, and when the site last looked.
#[derive(Debug)]
struct Seen {
    marks: Option<Marks>,
    at: std::time::Instant,
}

impl Default for Seen {
    fn default() -> Seen {
        Seen {
            marks: None,
            at: std::time::Instant::now(),
        }
    }
}

/// Everything a page may show.
#[derive(Debug, Default)]
pub struct Site {
    pub title: String,
    /// The edition now; each request captures it in its scope.
    edition: RwLock<Arc<Edition>>,
    /// The archive the edition was loaded from ([`Site::load`]), read
    /// again after an editor's correction.
    dir: Option<std::path::PathBuf>,
    /// What of the archive the edition and the rules were read at, and
    /// when the site last looked (see [`Site::follow_archive`]).
    seen: Mutex<Seen>,
    /// A look (and perhaps a whole read of the edition) is under way.
    following: std::sync::atomic::AtomicBool,
    /// How many times the rules were swapped (a look's rules are put in
    /// force only over those it read after).
    rules_swapped: std::sync::atomic::AtomicU64,
    /// The settings the edition profiles state, kept to rebuild the rules
    /// when the archive's own change (and read again through the desk
    /// when the edition changed: an ingest may bring a profile).
    from_profiles: RwLock<Vec<Setting>>,
    /// Held while a new edition is made and swapped in: two corrections
    /// saved at once each build on the other's edition, so neither is
    /// lost from what the site shows.
    refreshing: Mutex<()>,
    /// The archive's search index, when it has one: swapped for a new
    /// handle after a correction.
    search: RwLock<Option<Arc<fond_search::SearchIndex>>>,
    /// Host names answered to.
    pub(crate) allowed_hosts: Arc<Vec<String>>,
    /// Where the reading room is published (`https://host/prefix`), for
    /// permalinks; `None`: the request's (checked) host.
    pub(crate) public_url: Option<String>,
    /// Collations and searches: bounded, off the async workers.
    pub(crate) heavy: crate::pool::Pool,
    /// Rendered witness pages by (id, trivial hidden); emptied when the
    /// edition changes.
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
    /// midnight, UTC). Emptied when the rules or the edition are swapped.
    hidden_on: Mutex<HiddenCache>,
    /// The accounts and sessions, when the reading room has logins.
    pub(crate) accounts: Option<Accounts>,
    /// Where the reading room's writes go (the binary's implementation).
    pub(crate) desk: Option<crate::desk::DeskHandle>,
}

/// The hidden documents by kind of viewer, with the day of each list.
type HiddenCache = HashMap<Option<String>, HiddenEntry>;

/// One hidden list, with what it was made from: a request that captured
/// another edition or other rules does not take it.
#[derive(Debug)]
struct HiddenEntry {
    day: Day,
    rules: Arc<Rules>,
    edition: Arc<Edition>,
    hidden: Arc<Hidden>,
}

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
    /// The edition as it was when the request arrived.
    edition: Arc<Edition>,
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
        site.follow_archive();
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
        let rules = Rules::new(archive.visibility()?, from_profiles.clone());
        let title = archive
            .sources()?
            .into_iter()
            .find(|s| s.shape == fond_model::SourceShape::EditionMarkdown)
            .map(|s| s.title)
            .unwrap_or_else(|| "fond".into());
        let marks = Marks::of(&archive)?;
        let mut site = Site::with_edition(title, Edition::load(&archive)?);
        site.dir = Some(dir.to_path_buf());
        site.rules = RwLock::new(Arc::new(rules));
        site.from_profiles = RwLock::new(from_profiles);
        site.seen = Mutex::new(Seen {
            marks: Some(marks),
            at: std::time::Instant::now(),
        });
        Ok(site)
    }

    /// A site of these documents, people and mentions (no bodies), not
    /// backed by an archive (tests).
    pub fn new(
        title: String,
        documents: Vec<Document>,
        people: Vec<PersonPage>,
        mentions: Vec<Mention>,
    ) -> Site {
        Site::with_edition(title, Edition::new(documents, people, vec![], mentions))
    }

    fn with_edition(title: String, edition: Edition) -> Site {
        Site {
            title,
            edition: RwLock::new(Arc::new(edition)),
            dir: None,
            seen: Mutex::default(),
            following: std::sync::atomic::AtomicBool::new(false),
            rules_swapped: std::sync::atomic::AtomicU64::new(0),
            from_profiles: RwLock::default(),
            refreshing: Mutex::default(),
            search: RwLock::default(),
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

    /// The edition now (a request reads the one its scope captured).
    pub fn edition(&self) -> Arc<Edition> {
        match self.edition.read() {
            Ok(e) => e.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Reads what an editor's write changed from the archive and puts it
    /// in force: the next request sees the new edition and searches the
    /// index as the write left it (`search`). Requests under way finish
    /// on the edition they began with. `written`: the archive's
    /// fingerprints around the write, read under its lock; the site then
    /// counts the archive as seen only when nothing but this write moved
    /// it since it last looked (another process's write is read at the
    /// next look). A site not loaded from an archive has nothing to read
    /// again.
    pub fn refresh(
        &self,
        changed: &Changed,
        search: crate::desk::SearchChange,
        written: Option<&crate::desk::Written>,
    ) -> Result<(), crate::WebError> {
        self.refresh_as(changed, search, written, None)
    }

    /// [`Site::refresh`]; `taken`: for a whole read, the marks to record
    /// as seen (those a look took before it read what goes with them,
    /// the profiles' settings), rather than the marks at the read.
    fn refresh_as(
        &self,
        changed: &Changed,
        search: crate::desk::SearchChange,
        written: Option<&crate::desk::Written>,
        taken: Option<EditionMarks>,
    ) -> Result<(), crate::WebError> {
        let Some(dir) = &self.dir else {
            return Ok(());
        };
        let _one_at_a_time = lock(&self.refreshing);
        let archive = Archive::open_existing(dir)?;
        let old = self.edition();
        // A whole read takes the marks first: a write that lands while
        // the edition is read is seen again at the next look.
        let whole =
            |archive: &Archive| -> Result<(Edition, Option<EditionMarks>), crate::WebError> {
                let marks = match &taken {
                    Some(m) => m.clone(),
                    None => edition_marks(archive)?,
                };
                Ok((Edition::load(archive)?, Some(marks)))
            };
        let (new, read_whole) = match changed {
            Changed::Documents(ids) => match old.with_documents(&archive, ids)? {
                Some(e) => (e, None),
                None => whole(&archive)?,
            },
            Changed::Whole => whole(&archive)?,
        };
        // The hidden lists and the rendered collations were made from the
        // old edition: emptied under the same lock that guards their
        // filling (see `hidden_for`).
        let mut cache = lock(&self.hidden_on);
        match self.edition.write() {
            Ok(mut e) => *e = Arc::new(new),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(new),
        }
        cache.clear();
        drop(cache);
        lock(&self.collations).clear();
        {
            let mut seen = lock(&self.seen);
            let seen_edition = seen.marks.as_ref().map(|m| m.edition.clone());
            let now = match (&taken, written) {
                // An editor's write: the archive counts as seen only when
                // this write alone moved it since the last look; another
                // process's write (an ingest bringing a profile) is left
                // for the next look, which reads what goes with it.
                (None, Some(w)) => (seen_edition.as_ref().map(|e| &e.0) == Some(&w.before))
                    .then(|| (w.after.clone(), w.links_after.clone())),
                // A look's whole read, or a caller with nothing else to
                // go by: the marks taken for the read.
                _ => read_whole,
            };
            if let (Some(edition), Some(marks)) = (now, seen.marks.as_mut()) {
                marks.edition = edition;
            }
        }
        // Whatever handle is in force reads the index as it is now: a
        // handle opened before another write's would miss it.
        if let crate::desk::SearchChange::Replace(index) = search {
            match self.search.write() {
                Ok(mut s) => *s = Some(Arc::new(*index)),
                Err(poisoned) => *poisoned.into_inner() = Some(Arc::new(*index)),
            }
        }
        if let Some(index) = self.search() {
            index
                .reload()
                .map_err(|e| crate::WebError::Search(e.to_string()))?;
        }
        Ok(())
    }

    /// Follows writes that other fond processes made to the archive while
    /// the reading room serves it (`fond ingest`, `fond correct`, `fond
    /// restrict` at the terminal): at most every [`FOLLOW_EVERY`], a
    /// request starts a look at the archive's marks (its edition's and
    /// links' fingerprints, its visibility settings) on a thread of its
    /// own, so that no request waits on the archive (an ingest holds it
    /// for seconds). When the settings moved, the rules are read again;
    /// when the edition moved, the whole edition is read and swapped in.
    /// Requests go on with the edition they have meanwhile. A site not
    /// loaded from an archive follows nothing.
    pub fn follow_archive(self: &Arc<Site>) {
        use std::sync::atomic::Ordering;
        if self.dir.is_none() {
            return;
        }
        {
            // Another request looking: nothing to do.
            let Ok(mut seen) = self.seen.try_lock() else {
                return;
            };
            if seen.at.elapsed() < FOLLOW_EVERY {
                return;
            }
            seen.at = std::time::Instant::now();
        }
        if self.following.swap(true, Ordering::AcqRel) {
            return;
        }
        let site = self.clone();
        std::thread::spawn(move || {
            site.look();
            site.following.store(false, Ordering::Release);
        });
    }

    /// One look of [`Site::follow_archive`]. An archive that cannot be
    /// read now is looked at again later.
    fn look(&self) {
        let Some(dir) = &self.dir else {
            return;
        };
        let generation = self.rules_generation();
        let Ok(archive) = Archive::open_existing(dir) else {
            return;
        };
        let (Ok(edition), Ok(settings)) = (edition_marks(&archive), archive.visibility()) else {
            return;
        };
        let seen = lock(&self.seen).marks.clone();
        let edition_moved = seen.as_ref().is_none_or(|m| m.edition != edition);
        // A changed edition may come with a changed profile. Profiles
        // that cannot be read now (the archive busy): the edition waits
        // for the next look, so it is never shown under old rules.
        let read = match (&self.desk, edition_moved) {
            (Some(desk), true) => match desk.0.profile_settings() {
                Ok(p) => p,
                Err(_) => return,
            },
            _ => None,
        };
        let profiles = read.filter(|p| *p != self.profile_settings());
        let profiles_moved = profiles.is_some();
        if let Some(p) = profiles {
            match self.from_profiles.write() {
                Ok(mut f) => *f = p,
                Err(poisoned) => *poisoned.into_inner() = p,
            }
        }
        if profiles_moved || seen.as_ref().is_none_or(|m| m.settings != settings) {
            let rules = Rules::new(settings.clone(), self.profile_settings());
            // Put in force only if no editor's write swapped newer rules
            // in since the settings were read; else the next look reads
            // them again.
            if self.reload_rules_if(rules, generation) {
                if let Some(m) = lock(&self.seen).marks.as_mut() {
                    m.settings = settings;
                }
            }
        }
        if !edition_moved {
            return;
        }
        let search = match self.desk.as_ref().and_then(|d| d.0.reopen_search()) {
            Some(index) => crate::desk::SearchChange::Replace(Box::new(index)),
            None => crate::desk::SearchChange::Reload,
        };
        // The marks taken before the profiles were read are the ones
        // recorded: a write after them (a new profile) is read at the
        // next look. A failure leaves the marks as they were.
        let _ = self.refresh_as(&Changed::Whole, search, None, Some(edition));
    }

    /// The search index, when the archive has one.
    pub fn search(&self) -> Option<Arc<fond_search::SearchIndex>> {
        match self.search.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
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
        let mut cache = lock(&self.hidden_on);
        self.put_rules(rules);
        cache.clear();
    }

    /// The settings the edition profiles state, as last read.
    fn profile_settings(&self) -> Vec<Setting> {
        match self.from_profiles.read() {
            Ok(p) => p.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// How many times the rules were swapped.
    fn rules_generation(&self) -> u64 {
        let _cache = lock(&self.hidden_on);
        self.rules_swapped
            .load(std::sync::atomic::Ordering::Acquire)
    }

    /// [`Site::reload_rules`] unless the rules were swapped since
    /// `generation`: whether they were put in force.
    fn reload_rules_if(&self, rules: Rules, generation: u64) -> bool {
        let mut cache = lock(&self.hidden_on);
        if self
            .rules_swapped
            .load(std::sync::atomic::Ordering::Acquire)
            != generation
        {
            return false;
        }
        self.put_rules(rules);
        cache.clear();
        true
    }

    /// Swaps the rules; the caller holds the hidden lists' lock.
    fn put_rules(&self, rules: Rules) {
        match self.rules.write() {
            Ok(mut r) => *r = Arc::new(rules),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(rules),
        }
        self.rules_swapped
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
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
        let edition = self.edition();
        let hidden = if viewer.sees_restricted() || rules.is_empty() {
            Arc::new(Hidden::default())
        } else {
            self.hidden_for(&edition, &rules, &viewer, today)
        };
        Scope {
            edition,
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
    fn hidden_for(
        &self,
        edition: &Arc<Edition>,
        rules: &Arc<Rules>,
        viewer: &Viewer,
        today: Day,
    ) -> Arc<Hidden> {
        let key = match viewer {
            Viewer::Reader(name) if rules.names_reader(name) => Some(name.clone()),
            _ => None,
        };
        if let Some(e) = lock(&self.hidden_on).get(&key) {
            if e.day == today && Arc::ptr_eq(&e.rules, rules) && Arc::ptr_eq(&e.edition, edition) {
                return e.hidden.clone();
            }
        }
        let as_viewer = match &key {
            Some(name) => Viewer::Reader(name.clone()),
            None => Viewer::Public,
        };
        let list: Vec<String> = edition
            .documents
            .iter()
            .filter(|d| rules.hidden(d, &as_viewer, today))
            .map(|d| d.id.clone())
            .collect();
        let h = Arc::new(Hidden {
            ids: list.iter().cloned().collect(),
            list,
        });
        let mut cache = lock(&self.hidden_on);
        // The rules or the edition may have been swapped while this list
        // was made: keep it only if they are still the ones in force.
        if Arc::ptr_eq(&self.rules(), rules) && Arc::ptr_eq(&self.edition(), edition) {
            cache.insert(
                key,
                HiddenEntry {
                    day: today,
                    rules: rules.clone(),
                    edition: edition.clone(),
                    hidden: h.clone(),
                },
            );
        }
        h
    }

    /// The documents the scope sees, in edition order.
    pub fn visible<'a>(&self, scope: &'a Scope) -> impl Iterator<Item = &'a Document> + 'a {
        scope
            .edition
            .documents
            .iter()
            .map(|d| &**d)
            .filter(move |d| scope.sees(d))
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
    pub fn with_search(self, index: fond_search::SearchIndex) -> Site {
        Site {
            search: RwLock::new(Some(Arc::new(index))),
            ..self
        }
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
        lock(&self.collations)
            .get(&(id.to_string(), hide_trivial))
            .cloned()
    }

    pub(crate) fn cache_collation(&self, id: &str, hide_trivial: bool, page: Arc<String>) {
        let mut c = lock(&self.collations);
        if c.len() >= COLLATION_CACHE {
            c.clear();
        }
        c.insert((id.to_string(), hide_trivial), page);
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
    pub fn document<'a>(&self, scope: &'a Scope, id: &str) -> Option<&'a Document> {
        let e = &scope.edition;
        e.by_id
            .get(id)
            .map(|&i| &*e.documents[i])
            .filter(|d| scope.sees(d))
    }

    /// The documents before and after in the edition's order, among those
    /// the scope sees.
    pub fn neighbours<'a>(
        &self,
        scope: &'a Scope,
        id: &str,
    ) -> (Option<&'a Document>, Option<&'a Document>) {
        let docs = &scope.edition.documents;
        match scope.edition.by_id.get(id) {
            Some(&i) => (
                docs[..i].iter().rev().map(|d| &**d).find(|d| scope.sees(d)),
                docs.get(i + 1..)
                    .and_then(|rest| rest.iter().map(|d| &**d).find(|d| scope.sees(d))),
            ),
            None => (None, None),
        }
    }

    /// Whether an entity is known to the scope: one named only in
    /// documents it may not see is not (a person a restricted letter
    /// brought into the authority file would name its party). An entity
    /// no document names (a glossary entry) is.
    fn known(scope: &Scope, id: &str) -> bool {
        let e = &scope.edition;
        match e.docs_by_entity.get(id) {
            Some(docs) if !docs.is_empty() => docs.keys().any(|&i| scope.sees(&e.documents[i])),
            _ => true,
        }
    }

    pub fn person<'a>(&self, scope: &'a Scope, id: &str) -> Option<&'a PersonPage> {
        let e = &scope.edition;
        e.person_by_id
            .get(id)
            .map(|&i| &e.people[i])
            .filter(|p| Site::known(scope, &p.id))
    }

    /// The people the scope may know of, in the authority file's order.
    pub fn people_for<'a>(&self, scope: &'a Scope) -> impl Iterator<Item = &'a PersonPage> + 'a {
        scope
            .edition
            .people
            .iter()
            .filter(move |p| Site::known(scope, &p.id))
    }

    /// A body or periodical.
    pub fn entity<'a>(&self, scope: &'a Scope, id: &str) -> Option<&'a PersonPage> {
        let e = &scope.edition;
        e.entity_by_id
            .get(id)
            .map(|&i| &e.entities[i])
            .filter(|e| Site::known(scope, &e.id))
    }

    /// The mentions of a document (its parties included).
    pub fn mentions<'a>(&self, scope: &'a Scope, doc_id: &str) -> &'a [Mention] {
        let e = &scope.edition;
        e.by_id
            .get(doc_id)
            .map(|&i| &e.mentions[i][..])
            .unwrap_or(&[])
    }

    /// The person a party of a document was linked to.
    pub fn party<'a>(
        &self,
        scope: &'a Scope,
        doc_id: &str,
        field: MentionField,
        index: usize,
    ) -> Option<&'a PersonPage> {
        self.mentions(scope, doc_id)
            .iter()
            .find(|m| m.field == field && m.start == index)
            .and_then(|m| self.person(scope, m.entity.id()))
    }

    /// The documents the scope sees that name an entity, with how often.
    pub fn documents_of<'a>(&self, scope: &'a Scope, person: &str) -> Vec<(&'a Document, usize)> {
        let e = &scope.edition;
        let mut out: Vec<(&Document, usize)> = e
            .docs_by_entity
            .get(person)
            .map(|m| {
                m.iter()
                    .map(|(&i, &n)| (&*e.documents[i], n))
                    .filter(|(d, _)| scope.sees(d))
                    .collect()
            })
            .unwrap_or_default();
        out.sort_by_key(|(d, _)| d.order);
        out
    }
}

/// A mutex's guard, poisoned or not: the data behind fond's mutexes are
/// caches and lists that a panicking holder leaves whole.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}
