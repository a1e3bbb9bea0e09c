//! The reading room: the edition served to a browser, and the JSON API.
//!
//! Pages are rendered on the server and read without JavaScript: note calls
//! open their note in place with CSS (`:hover`/`:focus`), underlining is
//! drawn with CSS, nothing is fetched from elsewhere. The whole archive is
//! loaded into memory at start as an immutable snapshot, swapped after an
//! editor's correction (an edition is small; a million documents
//! would move this to on-demand reads from the store), so a page is a pure
//! function of memory and renders in microseconds.
//!
//! Safety: every text from the corpus goes through [`html::esc`] (the
//! corpus itself contains `<sup>` tags and markup-like text); documents are
//! found by id in a map, never by a path on disk; query strings are
//! bounded; the server binds to loopback unless told otherwise, answers
//! only to the host names it knows (loopback, and the `--public-url`), and
//! sends security headers (no sniffing, a strict content security policy,
//! no framing, no referrer) with every response. Collations and searches
//! run on a bounded pool ([`pool`]); connections are limited and timed.

mod admin;
mod api;
pub mod contract;
mod desk;
mod edit;
mod guard;
mod html;
mod pages;
pub mod pool;
mod review;
mod search;
mod session;
mod site;
mod witnesses;

pub use desk::{Corrected, CorrectionRequest, Desk, DeskError, SearchChange, Written};
pub use session::{PRE_COOKIE, SESSION_COOKIE};
pub use site::{today_utc, Changed, Edition, Hidden, Hosts, PersonPage, Scope, Site};

use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Why the reading room could not start.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    Store(#[from] fond_store::StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    #[error("a record of the archive does not decode: {0}")]
    Decode(#[from] serde_json::Error),
    #[error("--public-url {0}: expected http://HOST[:PORT][/PATH] or https://…")]
    PublicUrl(String),
    #[error("the system's random source failed ({0}); sessions cannot be made safe")]
    Random(String),
    #[error("the search index could not be read again: {0}")]
    Search(String),
}

/// Most connections served at once. Past it, new connections wait in the
/// kernel's backlog until one closes (idle ones close after
/// [`HEADER_TIMEOUT`]), so a flood of idle sockets cannot take every file
/// descriptor.
pub const MAX_CONNECTIONS: usize = 4096;
/// A client must send a request's headers within this time, on a new
/// connection and between the requests of a kept-alive one; otherwise the
/// connection is closed. Half-sent requests cannot pin connections.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// No connection lives longer than this, however busy (a slow reader of a
/// large page included).
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(300);
/// How long to pause accepting after the process ran out of file
/// descriptors (or memory for a socket): connections close meanwhile.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// The routes of the reading room and the API, with the security headers
/// on every response and the `Host` check in front.
pub fn router(site: Arc<Site>) -> Router {
    let hosts = site.allowed_hosts.clone();
    Router::new()
        .route("/", get(pages::home))
        .route("/browse", get(pages::browse))
        .route("/doc/{*id}", get(pages::document))
        .route("/person/{id}", get(pages::person))
        .route("/body/{id}", get(pages::body))
        .route("/search", get(search::page))
        .route("/witnesses/{*id}", get(witnesses::page))
        .route("/style.css", get(pages::style))
        .route("/login", get(session::login_page).post(session::login))
        .route("/logout", post(session::logout))
        .route("/edit/visibility", post(desk::set_visibility))
        .route("/edit/correct", post(edit::correct))
        .route("/edit/revert", post(edit::revert))
        .route("/review", get(review::page))
        .route("/review/decide", post(review::decide))
        .route("/admin/users", get(admin::users).post(admin::change))
        .route("/api/v1/documents", get(api::documents))
        .route("/api/v1/documents/{*id}", get(api::document))
        .route("/api/v1/people", get(api::people))
        .route("/api/v1/people/{id}", get(api::person))
        .route("/api/v1/search", get(search::api))
        .route("/api/v1/openapi.json", get(api::openapi))
        .fallback(pages::not_found)
        .with_state(site)
        .layer(axum::middleware::from_fn(move |req, next| {
            guard::check_host(hosts.clone(), req, next)
        }))
        .layer(axum::middleware::map_response(guard::security_headers))
}

/// Serves until the process is stopped. Blocks.
///
/// The accept loop is fond's own rather than `axum::serve`'s: it limits
/// the connections ([`MAX_CONNECTIONS`]), gives each a header-read timeout
/// and a lifetime, and when `accept` fails for want of file descriptors it
/// pauses and goes on (the runtime has timers for that) instead of dying.
pub fn serve(
    site: Site,
    addr: SocketAddr,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<(), WebError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
        )
        .enable_all()
        .build()
        .map_err(WebError::Runtime)?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| WebError::Bind { addr, source })?;
        let bound = listener.local_addr().map_err(WebError::Serve)?;
        let mut site = site;
        site.allow_bound(bound);
        on_ready(bound);
        let app = router(Arc::new(site));
        let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
        loop {
            let Ok(slot) = slots.clone().acquire_owned().await else {
                return Ok(());
            };
            let (stream, peer) = match listener.accept().await {
                Ok(accepted) => accepted,
                Err(e) if guard::is_transient_accept_error(&e) => {
                    // Out of descriptors or buffers (EMFILE, ENFILE,
                    // ENOBUFS, ENOMEM), or a connection reset before it
                    // was accepted: wait for some to close.
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
                Err(e) => return Err(WebError::Serve(e)),
            };
            let _ = stream.set_nodelay(true);
            // The client's address goes with each request, for the login
            // rate limit.
            let with_peer = tower::util::MapRequest::new(
                app.clone(),
                move |mut req: axum::http::Request<hyper::body::Incoming>| {
                    req.extensions_mut()
                        .insert(axum::extract::ConnectInfo(peer));
                    req
                },
            );
            let service = hyper_util::service::TowerToHyperService::new(with_peer);
            tokio::spawn(async move {
                let conn = hyper::server::conn::http1::Builder::new()
                    .timer(hyper_util::rt::TokioTimer::new())
                    .header_read_timeout(HEADER_TIMEOUT)
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
                let _ = tokio::time::timeout(CONNECTION_LIFETIME, conn).await;
                drop(slot);
            });
        }
    })
}
