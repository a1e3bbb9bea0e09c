//! Logins, sessions and the reading room's first write, driven through
//! the router: CSRF on every form, session fixation, roles (an editor
//! cannot make themselves admin), the login rate limit, a logged-out
//! session that cannot write, named readers, `--private`.

mod common;

use axum::http::StatusCode;
use common::*;
use fond_model::visibility::Role;
use fond_store::Archive;
use fond_web::Site;
use std::sync::Arc;

#[tokio::test]
async fn the_session_cookie_is_strict_and_the_header_shows_who() {
    let r = room(false);
    let a = try_login(&r.site, "ed", PASSWORD, "").await;
    let set = a
        .cookies
        .iter()
        .find(|c| c.starts_with("fond_session="))
        .expect("session cookie");
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set.contains(attr), "{set}");
    }
    assert!(!set.contains("Secure"), "plain HTTP on loopback: {set}");
    let cookie = login(&r.site, "ed").await;
    let home = send(&r.site, "GET", "/", &cookie, "").await;
    assert!(home.body.contains("ed (editor)"), "{}", home.body);
    assert!(home.body.contains("action=\"/logout\""));
    let anon = send(&r.site, "GET", "/", "", "").await;
    assert!(anon.body.contains("href=\"/login\"") && !anon.body.contains("/logout"));
    // Behind HTTPS the cookie is Secure.
    let secure = Site::new("T".into(), vec![], vec![], vec![])
        .with_accounts(&r.dir, false, true)
        .expect("accounts");
    let a = try_login(&Arc::new(secure), "ed", PASSWORD, "").await;
    assert!(a
        .cookies
        .iter()
        .any(|c| c.starts_with("fond_session=") && c.contains("; Secure")));
}

#[tokio::test]
async fn a_form_post_without_its_csrf_token_fails() {
    let r = room(false);
    let cookie = login(&r.site, "ed").await;
    let token = csrf(&r.site, &cookie).await;
    let post = "id=c%2F1&action=restrict&until=&why=living+person";
    for form in [
        post.to_string(),
        format!("{post}&csrf=0123"),
        format!("{post}&csrf="),
    ] {
        let a = send(&r.site, "POST", "/edit/visibility", &cookie, &form).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{form}");
    }
    assert_eq!(r.desk.writes(), 0, "nothing was written");
    // The login form without its token, or with one not signed for the
    // pre-session cookie sent.
    let a = send(
        &r.site,
        "POST",
        "/login",
        "",
        &format!("name=ed&password={PASSWORD}"),
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = send(
        &r.site,
        "POST",
        "/login",
        "fond_pre=abcd",
        &format!("name=ed&password=x&csrf={token}"),
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    // Log out needs it too: without, the session lives on.
    let a = send(&r.site, "POST", "/logout", &cookie, "").await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(send(&r.site, "GET", "/", &cookie, "")
        .await
        .body
        .contains("ed (editor)"));
    // With the token the write is made and shown at once, without a
    // restart: the public no longer finds the document.
    assert_eq!(
        send(&r.site, "GET", "/doc/c/1", "", "").await.status,
        StatusCode::OK
    );
    let a = send(
        &r.site,
        "POST",
        "/edit/visibility",
        &cookie,
        &format!("{post}&csrf={token}"),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(a.location, "/doc/c/1");
    assert_eq!(r.desk.writes(), 1);
    assert_eq!(
        send(&r.site, "GET", "/doc/c/1", "", "").await.status,
        StatusCode::NOT_FOUND
    );
    let page = send(&r.site, "GET", "/doc/c/1", &cookie, "").await;
    assert!(page.body.contains("Now: restricted"), "{}", page.body);
    let a = send(
        &r.site,
        "POST",
        "/edit/visibility",
        &cookie,
        &format!("id=c%2F1&action=release&until=&why=cleared&csrf={token}"),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(
        send(&r.site, "GET", "/doc/c/1", "", "").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_token_planted_before_the_login_is_never_the_session_after_it() {
    let r = room(false);
    let planted = "fond_session=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    let a = try_login(&r.site, "ed", PASSWORD, planted).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let token = a.cookie(fond_web::SESSION_COOKIE).expect("a new session");
    assert!(!planted.ends_with(&token), "the planted token was kept");
    let home = send(&r.site, "GET", "/", planted, "").await;
    assert!(
        !home.body.contains("ed (editor)"),
        "the planted token opens nothing"
    );
    // A real session presented at the next login ends with it.
    let first = format!("fond_session={token}");
    let again = try_login(&r.site, "ed", PASSWORD, &first).await;
    let second = again.cookie(fond_web::SESSION_COOKIE).expect("session");
    assert_ne!(second, token, "a new token at every login");
    assert!(!send(&r.site, "GET", "/", &first, "")
        .await
        .body
        .contains("ed (editor)"));
    assert!(
        send(&r.site, "GET", "/", &format!("fond_session={second}"), "")
            .await
            .body
            .contains("ed (editor)")
    );
}

#[tokio::test]
async fn an_editor_cannot_make_themselves_admin() {
    let r = room(false);
    let ed = login(&r.site, "ed").await;
    let token = csrf(&r.site, &ed).await;
    assert_eq!(
        send(&r.site, "GET", "/admin/users", &ed, "").await.status,
        StatusCode::FORBIDDEN
    );
    let a = send(
        &r.site,
        "POST",
        "/admin/users",
        &ed,
        &format!("name=ed&action=role&role=admin&csrf={token}"),
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let rita = login(&r.site, "rita").await;
    let t = csrf(&r.site, &rita).await;
    let a = send(
        &r.site,
        "POST",
        "/admin/users",
        &rita,
        &format!("name=rita&action=role&role=admin&csrf={t}"),
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    // Nor may a reader write.
    let a = send(
        &r.site,
        "POST",
        "/edit/visibility",
        &rita,
        &format!("id=c%2F1&action=restrict&why=x&csrf={t}"),
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let anon = send(&r.site, "GET", "/admin/users", "", "").await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
    let roles = || {
        Archive::open_existing(&r.dir)
            .expect("archive")
            .users(0)
            .expect("users")
            .into_iter()
            .map(|u| (u.name, u.role))
            .collect::<Vec<_>>()
    };
    assert!(roles().contains(&("ed".into(), Role::Editor)));
    // An admin may; and an admin's page lists the accounts.
    let ada = login(&r.site, "ada").await;
    let page = send(&r.site, "GET", "/admin/users", &ada, "").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("rob") && page.body.contains("Accounts"));
    let t = page.csrf();
    let a = send(
        &r.site,
        "POST",
        "/admin/users",
        &ada,
        &format!("name=ed&action=role&role=admin&csrf={t}"),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(roles().contains(&("ed".into(), Role::Admin)));
    // Removing an account ends its sessions.
    assert!(send(&r.site, "GET", "/", &rita, "")
        .await
        .body
        .contains("rita (reader)"));
    let a = send(
        &r.site,
        "POST",
        "/admin/users",
        &ada,
        &format!("name=rita&action=remove&csrf={t}"),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(!send(&r.site, "GET", "/", &rita, "")
        .await
        .body
        .contains("rita (reader)"));
}

#[tokio::test]
async fn brute_force_logins_are_refused_even_with_the_right_password() {
    let r = room(false);
    for i in 1..=5 {
        let a = try_login(&r.site, "ed", "wrong password here", "").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "attempt {i}");
        assert!(a.body.contains("Wrong name or password"));
    }
    let a = try_login(&r.site, "ed", PASSWORD, "").await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.body);
    assert!(a.cookie(fond_web::SESSION_COOKIE).is_none(), "no session");
    assert!(a.body.contains("Try again in 1 minute"), "{}", a.body);
    let wait: i64 = a
        .retry_after
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&wait), "{wait}");
    // Another account is not held up by ed's failures.
    assert_eq!(
        try_login(&r.site, "rob", PASSWORD, "").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_logged_out_sessions_cookie_cannot_write() {
    let r = room(false);
    let cookie = login(&r.site, "ed").await;
    let token = csrf(&r.site, &cookie).await;
    let a = send(
        &r.site,
        "POST",
        "/logout",
        &cookie,
        &format!("csrf={token}"),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(a
        .cookies
        .iter()
        .any(|c| c.starts_with("fond_session=;") && c.contains("Max-Age=0")));
    let a = send(
        &r.site,
        "POST",
        "/edit/visibility",
        &cookie,
        &format!("id=c%2F1&action=restrict&why=x&csrf={token}"),
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(r.desk.writes(), 0);
    assert!(!send(&r.site, "GET", "/", &cookie, "")
        .await
        .body
        .contains("ed (editor)"));
}

#[tokio::test]
async fn a_reader_named_in_a_setting_sees_the_document_and_another_does_not() {
    let r = room(false);
    let (missing_status, missing) = {
        let a = send(&r.site, "GET", "/doc/c/9", "", "").await;
        (a.status, a.body)
    };
    let rita = login(&r.site, "rita").await;
    let rob = login(&r.site, "rob").await;
    let ed = login(&r.site, "ed").await;
    assert_eq!(
        send(&r.site, "GET", "/doc/c/2", &rita, "").await.status,
        StatusCode::OK
    );
    assert_eq!(
        send(&r.site, "GET", "/doc/c/2", &ed, "").await.status,
        StatusCode::OK
    );
    let api = send(&r.site, "GET", "/api/v1/documents", &rita, "").await;
    assert!(api.body.contains("c/2"));
    for cookie in [rob.as_str(), ""] {
        let a = send(&r.site, "GET", "/doc/c/2", cookie, "").await;
        assert_eq!(
            (a.status, a.body.replace("rob (reader)", "")),
            (missing_status, missing.replace("rob (reader)", ""))
        );
        let api = send(&r.site, "GET", "/api/v1/documents", cookie, "").await;
        assert!(!api.body.contains("c/2"), "{}", api.body);
        assert!(!send(&r.site, "GET", "/browse", cookie, "")
            .await
            .body
            .contains("c/2"));
    }
    // No editor's form for a reader.
    assert!(!send(&r.site, "GET", "/doc/c/2", &rita, "")
        .await
        .body
        .contains("/edit/visibility"));
}

#[tokio::test]
async fn a_private_reading_room_needs_a_login_for_everything() {
    let r = room(true);
    let a = send(&r.site, "GET", "/", "", "").await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.location, "/login?next=/");
    let a = send(&r.site, "GET", "/doc/c/1", "", "").await;
    assert_eq!(a.location, "/login?next=/doc/c/1");
    for uri in [
        "/api/v1/documents",
        "/api/v1/documents/c/1",
        "/api/v1/search?q=x",
        "/api/v1/openapi.json",
    ] {
        let a = send(&r.site, "GET", uri, "", "").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{uri}");
    }
    assert_eq!(
        send(&r.site, "GET", "/login", "", "").await.status,
        StatusCode::OK
    );
    let rob = login(&r.site, "rob").await;
    assert_eq!(
        send(&r.site, "GET", "/doc/c/1", &rob, "").await.status,
        StatusCode::OK
    );
    assert_eq!(
        send(&r.site, "GET", "/api/v1/documents", &rob, "")
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_visibility_form_names_readers_who_may_read_the_closed_document() {
    let r = room(false);
    let ed = login(&r.site, "ed").await;
    let token = csrf(&r.site, &ed).await;
    let page = send(&r.site, "GET", "/doc/c/3", &ed, "").await;
    assert!(page.body.contains("name=\"readers\""), "{}", page.body);
    let a = send(
        &r.site,
        "POST",
        "/edit/visibility",
        &ed,
        &format!("id=c%2F3&action=restrict&until=&readers=rob%2C+nobody&why=rights&csrf={token}"),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let rob = login(&r.site, "rob").await;
    let rita = login(&r.site, "rita").await;
    assert_eq!(
        send(&r.site, "GET", "/doc/c/3", &rob, "").await.status,
        StatusCode::OK,
        "the reader named"
    );
    assert_eq!(
        send(&r.site, "GET", "/doc/c/3", &rita, "").await.status,
        StatusCode::NOT_FOUND,
        "a reader not named"
    );
    assert_eq!(
        send(&r.site, "GET", "/doc/c/3", "", "").await.status,
        StatusCode::NOT_FOUND
    );
    // Readers go with a closed document only.
    let a = send(
        &r.site,
        "POST",
        "/edit/visibility",
        &ed,
        &format!("id=c%2F3&action=release&until=&readers=rob&why=x&csrf={token}"),
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.desk.writes(), 1);
}
