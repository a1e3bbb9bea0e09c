//! The JSON API under `/api/v1/`: what the pages show, for programs.
//! Errors are JSON too: `{"error": {"status": 404, "message": "…"}}`.

use crate::pages::{matches, BrowseQuery};
use crate::Site;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use fond_model::Document;
use serde_json::{json, Value};
use std::sync::Arc;

fn error(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({"error": {"status": status.as_u16(), "message": message}})),
    )
        .into_response()
}

/// The summary of a document, as `fond list --json` gives it.
pub fn summary(d: &Document) -> Value {
    let iv = d.date.interval.as_ref();
    json!({
        "id": d.id,
        "kind": d.kind.as_str(),
        "collection": d.collection,
        "number": d.number,
        "title": d.title,
        "chapter": d.chapter,
        "date": {
            "written": d.date.written,
            "editorial": d.date.editorial,
            "edtf": iv.map(|i| i.edtf.clone()),
            "earliest": iv.and_then(|i| i.earliest).map(|x| x.iso()),
            "latest": iv.and_then(|i| i.latest).map(|x| x.iso()),
            "disagreement": d.date.disagreement,
        },
        "place": d.place,
        "senders": d.senders,
        "addressees": d.addressees,
        "note_count": d.notes.len(),
        "archival_refs": d.archival_refs(),
        "witnesses": d.witnesses.iter().map(|w| json!({
            "source": w.source, "first_line": w.first_line, "last_line": w.last_line, "label": w.label,
        })).collect::<Vec<_>>(),
        "metadata_only": d.metadata_only,
        "online": d.online,
    })
}

pub async fn documents(State(site): State<Arc<Site>>, Query(q): Query<BrowseQuery>) -> Response {
    let docs: Vec<Value> = site
        .documents
        .iter()
        .filter(|d| matches(d, &q))
        .map(summary)
        .collect();
    Json(json!({"total": docs.len(), "documents": docs})).into_response()
}

pub async fn document(State(site): State<Arc<Site>>, Path(id): Path<String>) -> Response {
    let Some(d) = site.document(&id) else {
        return error(StatusCode::NOT_FOUND, "no such document");
    };
    let mut v = summary(d);
    if let Some(o) = v.as_object_mut() {
        o.insert("body_text".into(), json!(d.body_text()));
        o.insert("body".into(), json!(d.body));
        o.insert("notes".into(), json!(d.notes));
        o.insert("marginalia".into(), json!(d.marginalia));
        let mentions: Vec<Value> = site
            .mentions(&d.id)
            .iter()
            .map(|m| {
                json!({"field": m.field, "start": m.start, "end": m.end, "surface": m.surface,
                       "entity": format!("{}:{}", m.entity_kind, m.entity_id), "confidence": m.confidence,
                       "resolved": m.resolved})
            })
            .collect();
        o.insert("mentions".into(), json!(mentions));
    }
    Json(v).into_response()
}

pub async fn people(State(site): State<Arc<Site>>) -> Response {
    let people: Vec<Value> = site
        .people
        .iter()
        .map(|p| json!({"id": p.id, "name": p.name}))
        .collect();
    Json(json!({"total": people.len(), "people": people})).into_response()
}

pub async fn person(State(site): State<Arc<Site>>, Path(id): Path<String>) -> Response {
    let Some(p) = site.person(&id) else {
        return error(StatusCode::NOT_FOUND, "no such person");
    };
    let docs: Vec<Value> = site
        .documents_of(&p.id)
        .iter()
        .map(|(d, n)| json!({"id": d.id, "title": d.title, "mentions": n}))
        .collect();
    Json(json!({"id": p.id, "name": p.name, "record": p.record, "documents": docs})).into_response()
}

/// The OpenAPI 3.1 description of this API.
pub async fn openapi() -> Response {
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
                "responses": {"200": {"description": "the person", "content": {"application/json": {"schema": {"type": "object"}}}}, "404": err}}},
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
            "Document": {"type": "object", "required": ["id", "kind", "title", "date"], "properties": {
                "id": {"type": "string"}, "kind": {"type": "string"}, "collection": {"type": "string"},
                "number": {"type": ["integer", "null"]}, "title": {"type": "string"},
                "date": {"type": "object"}, "senders": {"type": "array", "items": {"type": "string"}},
                "addressees": {"type": "array", "items": {"type": "string"}}, "note_count": {"type": "integer"}}},
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
