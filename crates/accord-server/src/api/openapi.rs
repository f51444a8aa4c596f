//! The OpenAPI 3.1 document served at `/api/openapi.json`, built from the
//! route table of [`super::router`] (so it cannot list a route the server
//! does not answer, nor miss one) and the schemas of [`super::schema`].

use serde_json::{json, Map, Value};

use super::schema::{components, idempotency_key, reference};

/// What a route answers on success.
pub(super) struct Reply {
    /// 200 or 201.
    pub status: u16,
    /// Media types and their schemas (JSON first).
    pub media: Vec<(&'static str, Value)>,
}

impl Reply {
    /// 200 with the JSON of the named schema.
    pub fn ok(schema: &str) -> Reply {
        Reply { status: 200, media: vec![("application/json", reference(schema))] }
    }

    /// 201 with the JSON of the named schema (a write that recorded an event).
    pub fn created(schema: &str) -> Reply {
        Reply { status: 201, media: vec![("application/json", reference(schema))] }
    }

    /// 200 with a file: Word, PDF or Akoma Ntoso XML, as asked.
    pub fn binary() -> Reply {
        let file = json!({"type": "string", "contentMediaType": "application/octet-stream"});
        Reply {
            status: 200,
            media: vec![
                ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", file.clone()),
                ("application/pdf", file),
                ("application/xml", json!({"type": "string"})),
            ],
        }
    }

    /// Also answers `media` (a file, plain text) when asked.
    pub fn or(mut self, media: &'static str, schema: Value) -> Reply {
        self.media.push((media, schema));
        self
    }
}

/// One documented route.
pub(super) struct Endpoint {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    pub who: &'static str,
    /// The request body's schema name and an example.
    pub request: Option<(&'static str, Value)>,
    /// Query parameters (lists: their page).
    pub query: Vec<Value>,
    pub reply: Reply,
    /// Whether a write takes an `Idempotency-Key` (one recorded as an event
    /// does; a replacement that is idempotent by itself does not).
    pub keyed: bool,
}

/// Error answers every route may give.
const ERRORS: &[(&str, &str)] = &[
    ("400", "Malformed: a body, query or path that is not what this route takes"),
    ("401", "The bearer token is missing where needed, or not known"),
    ("403", "The caller's role may not do this"),
    ("404", "No such process, draft, proposal or session, or one the caller may not see"),
    ("405", "Method not allowed on this route (see the Allow header)"),
    ("409", "Conflict: a stale `base_revision` (the current state in `current`), or the process's state refuses it"),
    ("413", "The request body is over the limit"),
    ("415", "A request body not declared JSON"),
    ("422", "Well formed, but not valid for the negotiation (the message says why)"),
    ("503", "The store cannot record changes now; nothing was recorded"),
];

/// The document for `endpoints`.
pub(super) fn document(endpoints: &[Endpoint]) -> Value {
    let mut paths = Map::new();
    for e in endpoints {
        let mut params: Vec<Value> = e
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| {
                // The demo's ids as examples, so that a generated run reaches real records.
                let (schema, example) = match name {
                    "bracket" => (json!({"type": "integer", "minimum": 0, "maximum": u32::MAX, "description": "The bracket's index in the paragraph"}), json!(0)),
                    "process" => (json!({"type": "string"}), json!("ocean-data")),
                    "draft" => (json!({"type": "string"}), json!("d1")),
                    "other" => (json!({"type": "string"}), json!("d2")),
                    "proposal" => (json!({"type": "string"}), json!("p1")),
                    "session" => (json!({"type": "string"}), json!("s1")),
                    _ => (json!({"type": "string"}), json!("1")),
                };
                json!({"name": name, "in": "path", "required": true, "schema": schema, "example": example})
            })
            .collect();
        params.extend(e.query.iter().cloned());
        let mut responses = Map::new();
        let content: Map<String, Value> = e
            .reply
            .media
            .iter()
            .map(|(media, schema)| (media.to_string(), json!({ "schema": schema })))
            .collect();
        let success = if e.reply.status == 201 { "Recorded" } else { "Success" };
        responses.insert(e.reply.status.to_string(), json!({"description": success, "content": content}));
        for (status, description) in ERRORS {
            responses.insert(status.to_string(), error_response(description));
        }
        let mut op = json!({
            "summary": e.summary,
            "description": format!("Who may call it: {}.", e.who),
            "operationId": operation_id(e.method, e.path),
            "security": [{"bearer": []}, {}],
        });
        if let Some((schema, example)) = &e.request {
            if e.keyed {
                params.push(idempotency_key());
            }
            responses.insert(
                "429".into(),
                json!({
                    "description": "Too many changes from this actor: retry after the given seconds",
                    "headers": {"Retry-After": {"schema": {"type": "integer", "minimum": 1}}},
                    "content": {"application/json": {"schema": reference("Error")}}
                }),
            );
            op["requestBody"] = json!({
                "required": true,
                "content": {"application/json": {"schema": reference(schema), "example": example}}
            });
        }
        op["parameters"] = Value::Array(params);
        op["responses"] = Value::Object(responses);
        paths.entry(e.path.to_string()).or_insert_with(|| json!({}))[e.method] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Accord negotiation workspace API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Processes, drafts, proposals, decisions and sessions of intergovernmental text negotiations. Authenticate with `Authorization: Bearer TOKEN` (tokens from `accord token create`); without a token you are the public. Every error is `{\"error\": {\"code\", \"message\"}}` (`Error`); every list is paged (`?limit=&after=`, the next page's cursor in `next`)."
        },
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": components(),
        }
    })
}

fn error_response(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": reference("Error")}}})
}

/// `get /api/processes/{process}/drafts` → `get-processes-process-drafts`.
fn operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_string();
    for part in path.trim_start_matches("/api").split('/').filter(|s| !s.is_empty()) {
        id.push('-');
        id.push_str(part.trim_start_matches('{').trim_end_matches('}'));
    }
    id
}
