//! The reading room: the edition served to a browser, and the JSON API.
//!
//! Pages are rendered on the server and read without JavaScript: note calls
//! open their note in place with CSS (`:hover`/`:focus`), underlining is
//! drawn with CSS, nothing is fetched from elsewhere. The whole archive is
//! loaded into memory at start (an edition is small; a million documents
//! would move this to on-demand reads from the store), so a page is a pure
//! function of memory and renders in microseconds.
//!
//! Safety: every text from the corpus goes through [`html::esc`] (the
//! corpus itself contains `<sup>` tags and markup-like text); documents are
//! found by id in a map, never by a path on disk; query strings are
//! bounded; the server binds to loopback unless told otherwise.

mod api;
mod html;
mod pages;
mod search;
mod site;
mod witnesses;

pub use site::Site;

use axum::routing::get;
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;

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
}

/// The routes of the reading room and the API.
pub fn router(site: Arc<Site>) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route("/browse", get(pages::browse))
        .route("/doc/{*id}", get(pages::document))
        .route("/person/{id}", get(pages::person))
        .route("/body/{id}", get(pages::body))
        .route("/search", get(search::page))
        .route("/witnesses/{*id}", get(witnesses::page))
        .route("/style.css", get(pages::style))
        .route("/api/v1/documents", get(api::documents))
        .route("/api/v1/documents/{*id}", get(api::document))
        .route("/api/v1/people", get(api::people))
        .route("/api/v1/people/{id}", get(api::person))
        .route("/api/v1/search", get(search::api))
        .route("/api/v1/openapi.json", get(api::openapi))
        .fallback(pages::not_found)
        .with_state(site)
}

/// Serves until the process is stopped. Blocks.
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
        .enable_io()
        .build()
        .map_err(WebError::Runtime)?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| WebError::Bind { addr, source })?;
        let bound = listener.local_addr().map_err(WebError::Serve)?;
        on_ready(bound);
        axum::serve(listener, router(Arc::new(site)))
            .await
            .map_err(WebError::Serve)
    })
}
