//! Every route of the OpenAPI document answers as documented: on the demo
//! process, in process (`tower::ServiceExt`), each GET is called as each
//! role and each POST with the document's own example, and every answer must
//! carry a status the document lists, with a body valid against that
//! status's schema. Schemathesis (`.ci/schemathesis.sh`) does the same with
//! generated requests against a running server; this test keeps the
//! document honest on every `cargo test`.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use accord_server::{app, Workspace};
use accord_store::Sqlite;
use axum::body::Body;
use axum::http::Request;
use serde_json::{json, Value};
use tower::ServiceExt;

/// A clock on 2026-04-01 that moves a second per reading.
fn fixed_clock() -> Box<dyn Fn() -> i64 + Send + Sync> {
    let t = Arc::new(AtomicI64::new(1_775_000_000_000));
    Box::new(move || t.fetch_add(1000, Ordering::Relaxed))
}

/// Checks `v` against `schema` (the subset of JSON Schema the document
/// uses), resolving `$ref` in `doc`; each violation is pushed with its place.
fn check(doc: &Value, schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/components/schemas/");
        let target = &doc["components"]["schemas"][name];
        assert!(!target.is_null(), "{at}: unknown schema {r}");
        return check(doc, target, v, at, errors);
    }
    if let Some(options) = schema.get("anyOf").or_else(|| schema.get("oneOf")).and_then(Value::as_array) {
        let fits = options
            .iter()
            .filter(|o| {
                let mut e = Vec::new();
                check(doc, o, v, at, &mut e);
                e.is_empty()
            })
            .count();
        let one = schema.get("oneOf").is_some();
        if fits == 0 || (one && fits > 1) {
            errors.push(format!("{at}: {fits} of the alternatives fit {}", short(v)));
        }
        return;
    }
    if let Some(c) = schema.get("const") {
        if c != v {
            errors.push(format!("{at}: {} is not {c}", short(v)));
        }
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        if !values.contains(v) {
            errors.push(format!("{at}: {} is not one of {values:?}", short(v)));
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let actual = match v {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        if !types.iter().any(|t| *t == actual || (*t == "number" && actual == "integer")) {
            errors.push(format!("{at}: {actual} where {types:?} is documented: {}", short(v)));
            return;
        }
    }
    if let (Some(min), Some(n)) = (schema.get("minimum").and_then(Value::as_f64), v.as_f64()) {
        if n < min {
            errors.push(format!("{at}: {n} < {min}"));
        }
    }
    match v {
        Value::Object(map) => {
            let props = schema.get("properties").and_then(Value::as_object);
            for name in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
                if !map.contains_key(name.as_str().unwrap_or_default()) {
                    errors.push(format!("{at}: `{name}` missing"));
                }
            }
            for (k, x) in map {
                match (props.and_then(|p| p.get(k)), schema.get("additionalProperties")) {
                    (Some(s), _) => check(doc, s, x, &format!("{at}.{k}"), errors),
                    (None, Some(Value::Bool(false))) => errors.push(format!("{at}: `{k}` is not documented")),
                    (None, Some(s @ Value::Object(_))) => check(doc, s, x, &format!("{at}.{k}"), errors),
                    _ => {}
                }
            }
        }
        Value::Array(items) => {
            let n = items.len() as u64;
            if schema.get("minItems").and_then(Value::as_u64).is_some_and(|m| n < m)
                || schema.get("maxItems").and_then(Value::as_u64).is_some_and(|m| n > m)
            {
                errors.push(format!("{at}: {n} items"));
            }
            if let Some(s) = schema.get("items") {
                for (i, x) in items.iter().enumerate() {
                    check(doc, s, x, &format!("{at}[{i}]"), errors);
                }
            }
        }
        _ => {}
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    s.chars().take(120).collect()
}

struct Demo {
    app: axum::Router,
    tokens: Vec<(String, String)>,
    _dir: tempfile::TempDir,
}

async fn demo() -> Demo {
    let dir = tempfile::tempdir().unwrap();
    let store = Sqlite::open(&dir.path().join("accord.sqlite3")).unwrap();
    let ws = Workspace::open_with_clock(Box::new(store), fixed_clock()).unwrap();
    let tokens = accord_workspace::demo::load(&ws).await.unwrap();
    Demo { app: app(ws), tokens, _dir: dir }
}

impl Demo {
    fn token(&self, who: &str) -> Option<&str> {
        self.tokens.iter().find(|(w, _)| w.starts_with(who)).map(|(_, t)| t.as_str())
    }

    async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (u16, String, Value) {
        self.send(Request::builder().method(method).uri(path), token, body).await
    }

    async fn call_keyed(
        &self,
        path: &str,
        token: Option<&str>,
        body: &Value,
        key: &str,
    ) -> (u16, String, Value) {
        let req = Request::builder().method("POST").uri(path).header("idempotency-key", key);
        self.send(req, token, Some(body)).await
    }

    async fn send(
        &self,
        mut req: axum::http::request::Builder,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (u16, String, Value) {
        let what = format!("{:?} {:?}", req.method_ref(), req.uri_ref());
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req.header("content-type", "application/json").body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .unwrap();
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status().as_u16();
        let media = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .to_string();
        let bytes = axum::body::to_bytes(res.into_body(), 256 << 20).await.unwrap();
        let value = if media == "application/json" {
            serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{what}: not JSON: {e}"))
        } else {
            Value::Null
        };
        (status, media, value)
    }
}

/// The document's path with the demo's ids.
fn concrete(path: &str) -> String {
    path.replace("{process}", "ocean-data")
        .replace("{draft}", "d1")
        .replace("{other}", "d2")
        .replace("{proposal}", "p1")
        .replace("{session}", "s1")
        .replace("{paragraph}", "1")
        .replace("{bracket}", "0")
}

/// Checks one answer against the operation's documented responses.
fn conforms(
    doc: &Value,
    op: &Value,
    what: &str,
    answer: (u16, String, Value),
    errors: &mut Vec<String>,
) -> u16 {
    let (status, media, body) = answer;
    let Some(response) = op["responses"].get(status.to_string()) else {
        errors.push(format!("{what}: status {status} is not documented ({})", short(&body)));
        return status;
    };
    let Some(content) = response["content"].get(&media).or_else(|| {
        response["content"]
            .as_object()
            .and_then(|c| c.iter().find(|(k, _)| k.starts_with(&media)).map(|(_, v)| v))
    }) else {
        errors.push(format!("{what}: {status} answered `{media}`, not documented"));
        return status;
    };
    if media == "application/json" {
        check(doc, &content["schema"], &body, what, errors);
    }
    status
}

#[tokio::test]
async fn every_documented_route_answers_as_documented_on_the_demo() {
    let d = demo().await;
    let (status, _, doc) = d.call("GET", "/api/openapi.json", None, None).await;
    assert_eq!(status, 200);
    let roles = [
        ("the public", None),
        ("a delegation", d.token("delegation:norland")),
        ("an observer", d.token("observer")),
        ("a co-facilitator", d.token("co-facilitator")),
        ("the secretariat", d.token("secretariat")),
    ];
    let mut errors = Vec::new();
    let mut answered_ok = 0;
    let paths = doc["paths"].as_object().unwrap();
    // Reads first (as every role), then each write with its example.
    for (path, ops) in paths {
        let Some(op) = ops.get("get") else { continue };
        for query in ["", "?format=docx", "?format=text", "?limit=1"] {
            if query == "?format=docx" && !path.ends_with("/export") {
                continue;
            }
            let uri = format!("{}{query}", concrete(path));
            for (who, token) in roles {
                let answer = d.call("GET", &uri, token, None).await;
                if conforms(&doc, op, &format!("GET {uri} as {who}"), answer, &mut errors) == 200 {
                    answered_ok += 1;
                }
            }
        }
    }
    let writer = |path: &str| {
        if path.contains("/proposals") || path.contains("/breaks") {
            d.token("delegation:norland")
        } else if path == "/api/processes" || path.ends_with("/participants") {
            d.token("secretariat")
        } else {
            d.token("co-facilitator")
        }
    };
    for (path, ops) in paths {
        let Some(op) = ops.get("post") else { continue };
        let example = &op["requestBody"]["content"]["application/json"]["example"];
        let mut body_errors = Vec::new();
        let request_schema = &op["requestBody"]["content"]["application/json"]["schema"];
        check(&doc, request_schema, example, &format!("example of POST {path}"), &mut body_errors);
        errors.extend(body_errors);
        let uri = concrete(path);
        let answer = d.call("POST", &uri, writer(path), Some(example)).await;
        conforms(&doc, op, &format!("POST {uri}"), answer, &mut errors);
        // Refusals are documented too: no token, and a body of the wrong shape.
        let answer = d.call("POST", &uri, None, Some(example)).await;
        conforms(&doc, op, &format!("POST {uri} without a token"), answer, &mut errors);
        let answer = d.call("POST", &uri, writer(path), Some(&json!({"not": "this"}))).await;
        let status = conforms(&doc, op, &format!("POST {uri} with a stray field"), answer, &mut errors);
        assert!((400..500).contains(&status), "POST {uri} with a stray field answered {status}");
        // A route that documents the Idempotency-Key honours its limits
        // (Schemathesis found focal points documenting one it ignored).
        let keyed = op["parameters"].as_array().unwrap().iter().any(|p| p["name"] == "Idempotency-Key");
        let too_long = "k".repeat(201);
        let answer = d.call_keyed(&uri, writer(path), example, &too_long).await;
        let status = conforms(&doc, op, &format!("POST {uri} with a key too long"), answer, &mut errors);
        if keyed {
            assert_eq!(status, 400, "POST {uri} documents an Idempotency-Key but took one of 201 bytes");
        }
    }
    assert!(errors.is_empty(), "{} answers differ from the document:\n{}", errors.len(), errors.join("\n"));
    assert!(
        answered_ok >= 40,
        "only {answered_ok} reads answered 200: the demo ids no longer fit the routes"
    );
}

#[test]
fn the_validator_refuses_what_the_schema_does_not_allow() {
    let doc = json!({"components": {"schemas": {"N": {"type": "integer", "minimum": 0}}}});
    let schema = json!({"type": "object", "required": ["a"], "additionalProperties": false,
        "properties": {"a": {"$ref": "#/components/schemas/N"}, "b": {"anyOf": [{"type": "string"}, {"type": "null"}]}}});
    let errors = |v: Value| {
        let mut e = Vec::new();
        check(&doc, &schema, &v, "$", &mut e);
        e.len()
    };
    assert_eq!(errors(json!({"a": 1, "b": null})), 0);
    assert_eq!(errors(json!({"a": -1})), 1);
    assert_eq!(errors(json!({"b": "x"})), 1);
    assert_eq!(errors(json!({"a": 1, "c": 2})), 1);
    assert_eq!(errors(json!({"a": 1, "b": 3})), 1);
    assert_eq!(errors(json!([])), 1);
}
