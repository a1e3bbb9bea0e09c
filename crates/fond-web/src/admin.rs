//! `/admin/users`: an admin lists the accounts, changes a role, removes an
//! account. Admins only: an editor or reader is answered 403, so no one
//! makes themselves admin from the reading room (new accounts and
//! passwords are `fond user add`/`passwd` at the archive's machine).

use crate::html::{self, esc};
use crate::session::{csrf_field, csrf_ok, now, redirect, refusal};
use crate::{Scope, Site};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use fond_model::visibility::Role;
use fond_store::SessionUser;
use serde::Deserialize;
use std::sync::Arc;

/// The admin of the request, or the answer for anyone else: to the login
/// page without a session, 403 with one.
fn admin<'a>(site: &Site, scope: &'a Scope) -> Result<&'a SessionUser, Box<Response>> {
    match scope.user.as_deref() {
        None => Err(Box::new(redirect("/login?next=/admin/users"))),
        Some(u) if u.role == Role::Admin => Ok(u),
        Some(_) => Err(Box::new(refusal(
            site,
            StatusCode::FORBIDDEN,
            "Admins only",
            "Only an admin manages the accounts.",
        ))),
    }
}

/// `GET /admin/users`.
pub async fn users(State(site): State<Arc<Site>>, scope: Scope) -> Response {
    let user = match admin(&site, &scope) {
        Ok(u) => u,
        Err(r) => return *r,
    };
    let Some(accounts) = &site.accounts else {
        return refusal(
            &site,
            StatusCode::NOT_FOUND,
            "No accounts",
            "This reading room has no accounts.",
        );
    };
    let list = match accounts.with(|a| a.users(now())) {
        Ok(l) => l,
        Err(e) => {
            return refusal(
                &site,
                StatusCode::INTERNAL_SERVER_ERROR,
                "Cannot list the accounts",
                &e.to_string(),
            )
        }
    };
    let mut body = String::from(
        "<h1>Accounts</h1><p>New accounts and passwords: <code>fond user add NAME --role ROLE</code>, \
         <code>fond user passwd NAME</code>.</p><table class=\"accounts\"><tr><th>Name</th><th>Role</th>\
         <th>Created</th><th>Sessions</th><th></th></tr>",
    );
    for u in &list {
        let options: String = Role::ALL
            .iter()
            .map(|r| {
                format!(
                    "<option{}>{}</option>",
                    if *r == u.role { " selected" } else { "" },
                    r.as_str()
                )
            })
            .collect();
        body.push_str(&format!(
            "<tr><td>{name}</td><td><form method=\"post\" action=\"/admin/users\">{csrf}\
             <input type=\"hidden\" name=\"name\" value=\"{name}\"><input type=\"hidden\" name=\"action\" value=\"role\">\
             <select name=\"role\">{options}</select> <button>Change</button></form></td>\
             <td>{by}, {at}</td><td>{n}</td><td><form method=\"post\" action=\"/admin/users\">{csrf}\
             <input type=\"hidden\" name=\"name\" value=\"{name}\"><input type=\"hidden\" name=\"action\" value=\"remove\">\
             <button>Remove</button></form></td></tr>",
            name = esc(&u.name),
            csrf = csrf_field(&user.csrf),
            by = esc(&u.created_by),
            at = esc(&u.created_at),
            n = u.sessions,
        ));
    }
    body.push_str("</table>");
    Html(html::page_for(&scope, &site.title, "Accounts", &body)).into_response()
}

#[derive(Debug, Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub csrf: String,
}

/// `POST /admin/users`: change a role, or remove an account (its sessions
/// end with it).
pub async fn change(
    State(site): State<Arc<Site>>,
    scope: Scope,
    Form(form): Form<AccountForm>,
) -> Response {
    let user = match admin(&site, &scope) {
        Ok(u) => u,
        Err(r) => return *r,
    };
    if !csrf_ok(user, &form.csrf) {
        return refusal(
            &site,
            StatusCode::FORBIDDEN,
            "The form has expired",
            "The form was not this session's; load the accounts page again.",
        );
    }
    let Some(accounts) = &site.accounts else {
        return refusal(
            &site,
            StatusCode::NOT_FOUND,
            "No accounts",
            "This reading room has no accounts.",
        );
    };
    let done = match form.action.as_str() {
        "role" => match Role::parse(&form.role) {
            Some(role) => accounts.with(|a| a.set_role(&form.name, role)),
            None => {
                return refusal(
                    &site,
                    StatusCode::BAD_REQUEST,
                    "Unknown role",
                    "A role is reader, editor or admin.",
                )
            }
        },
        "remove" => accounts.with(|a| a.remove_user(&form.name)),
        _ => {
            return refusal(
                &site,
                StatusCode::BAD_REQUEST,
                "Unknown action",
                "Change a role or remove an account.",
            )
        }
    };
    match done {
        Ok(()) => redirect("/admin/users"),
        Err(e) => refusal(&site, StatusCode::CONFLICT, "Not changed", &e.to_string()),
    }
}
