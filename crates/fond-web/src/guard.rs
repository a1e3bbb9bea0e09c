//! What every request passes: the `Host` check and the security headers.

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The content security policy of every response: the pages use no
/// script, no inline style, nothing from elsewhere; forms submit to the
/// reading room only; no page may be framed.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                   base-uri 'none'; frame-ancestors 'none'";

pub async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

/// The host part of a `Host` header, lower-cased, without the port
/// (`[::1]:7700` → `::1`).
pub fn host_name(value: &str) -> String {
    let v = value.trim();
    let host = if let Some(rest) = v.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        v.rsplit_once(':')
            .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
            .map_or(v, |(h, _)| h)
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// Refuses a request whose `Host` the reading room does not answer to
/// (DNS rebinding: a page elsewhere pointing a name of its own at this
/// machine's loopback). A request without `Host` (HTTP/1.0, in-process
/// tests) passes.
pub async fn check_host(allowed: Arc<Vec<String>>, req: Request<Body>, next: Next) -> Response {
    if let Some(v) = req.headers().get(header::HOST) {
        let ok = v
            .to_str()
            .ok()
            .map(host_name)
            .is_some_and(|h| allowed.contains(&h));
        if !ok {
            return (
                StatusCode::MISDIRECTED_REQUEST,
                "this reading room does not answer to that host name; \
                 its operator can name it with `fond serve --public-url`\n",
            )
                .into_response();
        }
    }
    next.run(req).await
}

/// `accept` errors that pass: the process or the system is out of file
/// descriptors or socket memory for a moment, or the peer gave up before
/// the connection was accepted.
pub fn is_transient_accept_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    if matches!(
        e.kind(),
        ConnectionAborted | ConnectionReset | Interrupted | WouldBlock | OutOfMemory
    ) {
        return true;
    }
    // EMFILE 24, ENFILE 23, ENOBUFS 105, ENOMEM 12 (Linux numbers; the
    // kinds above cover the rest where std maps them).
    matches!(e.raw_os_error(), Some(12 | 23 | 24 | 105))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_lose_their_port() {
        assert_eq!(host_name("127.0.0.1:7700"), "127.0.0.1");
        assert_eq!(host_name("LocalHost"), "localhost");
        assert_eq!(host_name("[::1]:80"), "::1");
        assert_eq!(host_name("archive.example.org."), "archive.example.org");
        assert_eq!(host_name("evil.example:7700"), "evil.example");
    }

    #[test]
    fn running_out_of_descriptors_is_transient() {
        assert!(is_transient_accept_error(
            &std::io::Error::from_raw_os_error(24)
        ));
        assert!(!is_transient_accept_error(
            &std::io::Error::from_raw_os_error(9)
        ));
    }
}
