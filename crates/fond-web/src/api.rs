//! The JSON API under `/api/v1/`: what the pages show, for programs.
//! Errors are JSON too: `{"error": {"status": 404, "message": "…"}}`.

use crate::contract::{DocumentJson, DocumentSummary, PersonJson, PERSON_FIELDS, SUMMARY_FIELDS};
use crate::pages::{matches, BrowseQuery};
use crate::{Scope, Site};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use fond_model::authority::Record;
use serde_json::{json, Value};
use std::sync::Arc;

fn error(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({"error": {"status": status.as_u16(), "message": message}})),
    )
        .into_response()
}

pub async fn documents(
    State(site): State<Arc<Site>>,
    scope: Scope,
    Query(q): Query<BrowseQuery>,
) -> Response {
    // Each summary is made into JSON at once: a document shown with its
    // references to hidden documents taken out is a temporary copy.
    let docs: Vec<Value> = site
        .visible(&scope)
        .filter(|d| matches(d, &q))
        .map(|d| {
            serde_json::to_value(DocumentSummary::of(&site.shown(&scope, d))).unwrap_or(Value::Null)
        })
        .collect();
    Json(json!({"total": docs.len(), "documents": docs})).into_response()
}

pub async fn document(
    State(site): State<Arc<Site>>,
    scope: Scope,
    Path(id): Path<String>,
) -> Response {
    // A document the request may not see is answered exactly as a missing
    // one: same status, same body.
    let Some(d) = site.document(&scope, &id) else {
        return error(StatusCode::NOT_FOUND, "no such document");
    };
    let d = site.shown(&scope, d);
    let v = DocumentJson::with_links(&d, site.mentions(&scope, &d.id));
    Json(v).into_response()
}

pub async fn people(State(site): State<Arc<Site>>, scope: Scope) -> Response {
    let people: Vec<Value> = site
        .people_for(&scope)
        .map(|p| json!({"id": p.id, "name": p.name}))
        .collect();
    Json(json!({"total": people.len(), "people": people})).into_response()
}

pub async fn person(
    State(site): State<Arc<Site>>,
    scope: Scope,
    Path(id): Path<String>,
) -> Response {
    let Some(p) = site.person(&scope, &id) else {
        return error(StatusCode::NOT_FOUND, "no such person");
    };
    let documents = site.documents_of(&scope, &p.id);
    let docs: Vec<Value> = documents
        .iter()
        .map(|(d, n)| json!({"id": d.id, "title": d.title, "mentions": n}))
        .collect();
    // The person contract's fields, then the whole record and the
    // documents.
    let mut v = match &p.record {
        Record::Person(person) => {
            let named = documents
                .iter()
                .flat_map(|(d, _)| site.mentions(&scope, &d.id))
                .filter(|m| m.entity.id() == p.id && m.resolved && !m.field.is_party())
                .count();
            serde_json::to_value(PersonJson::of(person, named)).unwrap_or_else(|_| json!({}))
        }
        _ => json!({"id": p.id, "name": p.name}),
    };
    if let Some(o) = v.as_object_mut() {
        o.insert("record".into(), json!(p.record));
        o.insert("documents".into(), json!(docs));
    }
    Json(v).into_response()
}

/// The OpenAPI schema of a document summary: one property per field of
/// the contract ([`SUMMARY_FIELDS`]); a test checks they agree.
fn document_schema() -> Value {
    let string = json!({"type": "string"});
    let opt_string = json!({"type": ["string", "null"]});
    let strings = json!({"type": "array", "items": {"type": "string"}});
    let mut props = serde_json::Map::new();
    for f in SUMMARY_FIELDS {
        let schema = match f {
            "id" | "kind" | "collection" | "title" => string.clone(),
            "number" => json!({"type": ["integer", "null"]}),
            "chapter" | "place" | "quoted_in" | "online" => opt_string.clone(),
            "senders" | "addressees" | "archival_refs" | "quotes" => strings.clone(),
            "note_count" => json!({"type": "integer"}),
            "corrected" => {
                json!({"type": "array", "items": {"type": "string"}, "description": "the fields the editors corrected (date, place, note:3:text, ...)"})
            }
            "metadata_only" => {
                json!({"type": "boolean", "description": "known by its metadata only (a CMIF entry): no text is held"})
            }
            "date" => json!({"type": "object", "properties": {
                "written": opt_string, "editorial": opt_string, "edtf": opt_string,
                "earliest": opt_string, "latest": opt_string, "precision": opt_string,
                "qualifier": opt_string, "calendar": opt_string,
                "disagreement": {"type": "boolean"}, "written_edtf": opt_string}}),
            "witnesses" => json!({"type": "array", "items": {"type": "object", "properties": {
                "source": string, "first_line": {"type": "integer"}, "last_line": {"type": "integer"},
                "label": string}}}),
            _ => json!({}),
        };
        props.insert(f.to_string(), schema);
    }
    json!({"type": "object", "required": ["id", "kind", "title", "date"], "properties": props})
}

/// The OpenAPI schema of a person: one property per field of the contract
/// ([`PERSON_FIELDS`]); a test checks they agree.
fn person_schema() -> Value {
    let opt_string = json!({"type": ["string", "null"]});
    let opt_int = json!({"type": ["integer", "null"]});
    let mut props = serde_json::Map::new();
    for f in PERSON_FIELDS {
        let schema = match f {
            "id" | "name" | "surname" => json!({"type": "string"}),
            "born" | "died" => {
                json!({"type": ["string", "null"], "description": "as printed: 1888, 1937?, 1890/91, ?"})
            }
            "born_year" | "died_year" => opt_int.clone(),
            "forenames" | "real_name" => opt_string.clone(),
            "party_member_from" => {
                json!({"type": ["string", "null"], "description": "ISO 8601 at the precision the text gives"})
            }
            "mentions" => {
                json!({"type": "integer", "description": "names in texts and notes (parties not counted)"})
            }
            "repressed" => json!({"type": "boolean"}),
            "pseudonyms" => json!({"type": "array", "items": {"type": "string"}}),
            "fates" => json!({"type": "array", "items": {"type": "object", "properties": {
                "kind": {"type": "string"}, "year": opt_int}}}),
            "offices" => json!({"type": "array", "items": {"type": "object", "properties": {
                "body": {"type": "string"}, "role": opt_string, "from": opt_string, "to": opt_string}}}),
            "origin" => json!({"type": "object", "properties": {"kind": {"type": "string"}}}),
            _ => json!({}),
        };
        props.insert(f.to_string(), schema);
    }
    json!({"type": "object", "required": ["id", "name", "surname"], "properties": props})
}

/// The OpenAPI 3.1 description of this API.
/// Takes a `Scope` so that a private reading room asks for a login here too.
pub async fn openapi(_scope: Scope) -> Response {
    let doc_ref = json!({"$ref": "#/components/schemas/Document"});
    let err = json!({"description": "not found", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let filters: Vec<Value> = ["year", "kind", "from", "to", "chapter", "collection"]
        .iter()
        .map(|n| json!({"name": n, "in": "query", "required": false, "schema": {"type": "string", "maxLength": 200}}))
        .collect();
    Json(json!({
        "openapi": "3.1.0",
        "info": {"title": "fond reading room API", "version": "1"},
        "paths": {
            "/api/v1/documents": {"get": {
                "summary": "Documents, filtered as on the browse page",
                "parameters": filters,
                "responses": {"200": {"description": "documents", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"total": {"type": "integer"}, "documents": {"type": "array", "items": doc_ref}}}}}}}
            }},
            "/api/v1/documents/{id}": {"get": {
                "summary": "One document: the edition model, its plain text, notes and mentions",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "the document", "content": {"application/json": {"schema": doc_ref}}}, "404": err}
            }},
            "/api/v1/people": {"get": {"summary": "People of the authority file",
                "responses": {"200": {"description": "people", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
            "/api/v1/people/{id}": {"get": {"summary": "One person with the documents that name them",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "the person (the contract of `fond person --json`), the whole record, the documents", "content": {"application/json": {"schema": {"allOf": [
                    {"$ref": "#/components/schemas/Person"},
                    {"type": "object", "properties": {"record": {"type": "object"}, "documents": {"type": "array", "items": {"type": "object", "properties": {
                        "id": {"type": "string"}, "title": {"type": "string"}, "mentions": {"type": "integer"}}}}}}]}}}}, "404": err}}},
            "/api/v1/search": {"get": {
                "summary": "Search in the query language of `fond search` (the README documents it); the same JSON as `fond search --json`",
                "parameters": [
                    {"name": "q", "in": "query", "required": true, "schema": {"type": "string", "maxLength": 500}},
                    {"name": "page", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1}},
                    {"name": "limit", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": 100}}
                ],
                "responses": {
                    "200": {"description": "ranked hits, total and facets", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResults"}}}},
                    "400": {"description": "no query, or a query that does not parse (the message points at the place)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                    "503": {"description": "the archive has no search index", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                }
            }},
            "/api/v1/openapi.json": {"get": {"summary": "This document",
                "responses": {"200": {"description": "OpenAPI", "content": {"application/json": {"schema": {"type": "object"}}}}}}}
        },
        "components": {"schemas": {
            "Document": document_schema(),
            "Person": person_schema(),
            "SearchResults": {"type": "object", "required": ["total", "hits", "facets"], "properties": {
                "total": {"type": "integer"}, "page": {"type": "integer"}, "limit": {"type": "integer"},
                "partial": {"type": "boolean", "description": "present and true when the search stopped at its time limit"},
                "hits": {"type": "array", "items": {"type": "object", "required": ["id", "score", "snippet"], "properties": {
                    "id": {"type": "string"}, "score": {"type": "number"},
                    "snippet": {"type": "string", "description": "matched words between « and »"},
                    "title": {"type": "string"}, "kind": {"type": "string"}, "date": {"type": ["string", "null"]}}}},
                "facets": {"type": "object", "properties": {
                    "year": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "kind": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "from": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "to": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "people": {"type": "object", "additionalProperties": {"type": "integer"}}}}}},
            "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
                "status": {"type": "integer"}, "message": {"type": "string"}}}}}
        }}
    }))
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The person schema lists exactly the fields `PersonJson` writes.
    #[test]
    fn the_openapi_person_schema_is_the_contract() {
        use fond_model::authority::{Origin, Person, PersonId};
        let p = Person::named(
            PersonId("x".into()),
            "X, Y.",
            "X".into(),
            Some("Y.".into()),
            Origin::Tei { refs: Vec::new() },
        );
        let written = serde_json::to_value(PersonJson::of(&p, 0)).unwrap_or_default();
        let mut keys: Vec<&str> = written
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        keys.sort_unstable();
        let mut fields = PERSON_FIELDS.to_vec();
        fields.sort_unstable();
        assert_eq!(keys, fields);
        let schema = person_schema();
        let mut listed: Vec<&str> = schema["properties"]
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        listed.sort_unstable();
        assert_eq!(listed, fields);
    }

    /// The schema lists exactly the contract's fields, each with a type.
    #[test]
    fn the_openapi_document_schema_is_the_contract() {
        let schema = document_schema();
        let props = schema["properties"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let mut listed: Vec<&str> = props.keys().map(String::as_str).collect();
        listed.sort_unstable();
        let mut fields = SUMMARY_FIELDS.to_vec();
        fields.sort_unstable();
        assert_eq!(listed, fields);
        for (k, v) in &props {
            assert!(v.get("type").is_some(), "{k} has no type in the schema");
        }
    }
}
