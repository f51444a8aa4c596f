//! The HTTP API in process: `app()` driven with `tower::ServiceExt::oneshot`
//! on a temporary SQLite store and a fixed clock — no binary, no socket —
//! with the answers snapshot-tested (`insta`, times redacted). What needs a
//! process of its own (SIGKILL durability, the log on stderr) stays in the
//! CLI's spawned-binary tests.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use accord_core::negotiation::Actor;
use accord_server::{app, Workspace};
use accord_store::Sqlite;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{json, Value};
use tower::ServiceExt;

/// A clock that starts on 2026-04-01 and moves a second per reading.
fn fixed_clock() -> Box<dyn Fn() -> i64 + Send + Sync> {
    let t = Arc::new(AtomicI64::new(1_775_000_000_000));
    Box::new(move || t.fetch_add(1000, Ordering::Relaxed))
}

/// The application on a fresh store, and a secretariat's token.
struct Fixture {
    app: axum::Router,
    ws: Arc<Workspace>,
    admin: String,
    _dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Sqlite::open(&dir.path().join("accord.sqlite3")).unwrap();
    let ws = Workspace::open_with_clock(Box::new(store), fixed_clock()).unwrap();
    let admin = ws.create_token(None, &Actor::Secretariat { name: "Test".into() }, "test").await.unwrap();
    Fixture { app: app(ws.clone()), ws, admin, _dir: dir }
}

impl Fixture {
    async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req.header("content-type", "application/json").body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .unwrap();
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), 64 << 20).await.unwrap();
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
        (status, value)
    }
}

/// Times replaced by a placeholder, wherever they are: snapshots hold what
/// does not depend on when the test ran.
fn redacted(mut v: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (k, x) in map.iter_mut() {
                    if k == "at" || k.ends_with("_at") || k.ends_with("_at_ms") {
                        *x = Value::String("[time]".into());
                    } else {
                        walk(x);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut v);
    v
}

#[tokio::test]
async fn a_process_is_created_read_and_refused_in_process() {
    let f = fixture().await;
    let (st, health) = f.call("GET", "/api/health", None, None).await;
    assert_eq!(st, StatusCode::OK);
    insta::assert_json_snapshot!("health", health);

    let body = json!({"id": "ocean", "title": "Ocean data", "co_facilitators": ["Norland"], "public": true});
    let (st, created) = f.call("POST", "/api/processes", Some(&f.admin), Some(body)).await;
    assert_eq!(st, StatusCode::CREATED, "{created}");
    insta::assert_json_snapshot!("process_created", redacted(created));

    let participant = json!({"id": "norland", "name": "Norland", "kind": "member-state"});
    let (st, _) =
        f.call("POST", "/api/processes/ocean/participants", Some(&f.admin), Some(participant)).await;
    assert_eq!(st, StatusCode::CREATED);
    let draft = json!({"label": "Zero draft", "text": "Draft outcome\n\n1. We agree [to act].\n\n2. We decide to review.\n", "publication": "public"});
    let (st, imported) = f.call("POST", "/api/processes/ocean/drafts", Some(&f.admin), Some(draft)).await;
    assert_eq!(st, StatusCode::CREATED, "{imported}");

    let (st, process) = f.call("GET", "/api/processes/ocean", None, None).await;
    assert_eq!(st, StatusCode::OK);
    insta::assert_json_snapshot!("process_read_by_the_public", redacted(process));

    // Refusals, each in the documented error form.
    let (st, e) = f.call("GET", "/api/processes/nowhere", Some(&f.admin), None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    insta::assert_json_snapshot!("unknown_process", e);
    let (st, e) = f.call("GET", "/api/processes", Some("acc_not_a_token"), None).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    insta::assert_json_snapshot!("unknown_token", e);
    let again = json!({"id": "ocean", "title": "Again"});
    let (st, e) = f.call("POST", "/api/processes", Some(&f.admin), Some(again)).await;
    assert!(st.is_client_error(), "{st} {e}");
    insta::assert_json_snapshot!("process_exists", e);
    let (st, e) = f.call("GET", "/api/no-such-route", None, None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    insta::assert_json_snapshot!("unknown_route", e);
}

#[tokio::test]
async fn the_openapi_document_is_stable() {
    let f = fixture().await;
    let (st, doc) = f.call("GET", "/api/openapi.json", None, None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(doc["openapi"].as_str().map(|v| &v[..2]), Some("3."), "{doc}");
    insta::assert_json_snapshot!("openapi", doc);
}

/// Schemathesis found it: a bodyless `PUT` on a GET route was refused 415
/// (no JSON body) instead of 405 — the media-type check ran before routing.
#[tokio::test]
async fn a_method_a_route_does_not_answer_is_a_405_whatever_its_body() {
    let f = fixture().await;
    for (path, body) in [("/api/health", None), ("/api/processes", None), ("/api/processes", Some("text"))] {
        let mut req = Request::builder().method("PUT").uri(path);
        if body.is_some() {
            req = req.header("content-type", "text/plain");
        }
        let req = req.body(body.map_or_else(Body::empty, Body::from)).unwrap();
        let res = f.app.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED, "PUT {path}");
        assert!(res.headers().contains_key("allow"), "PUT {path}: no Allow header");
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
        let e: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(e["error"]["code"], "method-not-allowed");
    }
    // A POST route still refuses a body that is not JSON.
    let req = Request::builder()
        .method("POST")
        .uri("/api/processes")
        .header("authorization", format!("Bearer {}", f.admin))
        .header("content-type", "text/plain")
        .body(Body::from("id=ocean"))
        .unwrap();
    assert_eq!(f.app.clone().oneshot(req).await.unwrap().status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

/// The compilation is paged like every list: a default and a maximum page,
/// the next page's cursor (a paragraph id) in `next`.
#[tokio::test]
async fn the_compilation_is_paged_by_paragraph() {
    let f = fixture().await;
    let body = json!({"id": "ocean", "title": "Ocean data", "public": true});
    assert_eq!(f.call("POST", "/api/processes", Some(&f.admin), Some(body)).await.0, StatusCode::CREATED);
    let text =
        "Draft outcome\n\n1. We agree [to act].\n\n2. We decide to review.\n\n3. We invite all States.\n";
    let draft = json!({"label": "Zero draft", "text": text, "publication": "public"});
    let (st, e) = f.call("POST", "/api/processes/ocean/drafts", Some(&f.admin), Some(draft)).await;
    assert_eq!(st, StatusCode::CREATED, "{e}");

    let (st, whole) = f.call("GET", "/api/processes/ocean/compilation", Some(&f.admin), None).await;
    assert_eq!(st, StatusCode::OK, "{whole}");
    assert_eq!(whole["paragraphs"].as_array().map(Vec::len), Some(3));
    assert_eq!(whole["next"], Value::Null);

    let mut seen = Vec::new();
    let mut uri = "/api/processes/ocean/compilation?limit=2".to_string();
    loop {
        let (st, page) = f.call("GET", &uri, Some(&f.admin), None).await;
        assert_eq!(st, StatusCode::OK, "{page}");
        let ids: Vec<String> = page["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["paragraph"]["id"].as_str().unwrap().to_string())
            .collect();
        assert!(ids.len() <= 2);
        seen.extend(ids);
        match page["next"].as_str() {
            Some(next) => uri = format!("/api/processes/ocean/compilation?limit=2&after={next}"),
            None => break,
        }
    }
    let all: Vec<&str> = whole["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["paragraph"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(seen, all, "the pages together are the whole compilation, in order, once");

    // A limit out of range or an empty cursor is refused with the text too
    // (Schemathesis found `?format=text&limit=7404` and `?format=text&after=`
    // answered whole); the text itself is whole.
    let bad_queries = [
        "?limit=0",
        "?limit=1001",
        "?after=no-such-paragraph",
        "?after=",
        "?format=text&limit=7404",
        "?format=text&after=",
    ];
    for bad in bad_queries {
        let (st, e) =
            f.call("GET", &format!("/api/processes/ocean/compilation{bad}"), Some(&f.admin), None).await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{bad}: {e}");
        assert_eq!(e["error"]["code"], "bad-request");
    }
}

/// Schemathesis found them: a body that is an array was read as a struct
/// (`[null, null]` set a deadline), and `7.0` — an integer to JSON Schema —
/// was refused where an integer is taken.
#[tokio::test]
async fn bodies_are_objects_and_integral_numbers_are_integers() {
    let f = fixture().await;
    let body = json!({"id": "ocean", "title": "Ocean data", "co_facilitators": ["Norland"], "public": true});
    assert_eq!(f.call("POST", "/api/processes", Some(&f.admin), Some(body)).await.0, StatusCode::CREATED);
    let (st, e) =
        f.call("POST", "/api/processes/ocean/deadline", Some(&f.admin), Some(json!([null, null]))).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("JSON object"), "{e}");

    let draft = json!({"label": "Zero draft", "text": "Draft outcome\n\n1. We agree [to act].\n", "publication": "public"});
    assert_eq!(
        f.call("POST", "/api/processes/ocean/drafts", Some(&f.admin), Some(draft)).await.0,
        StatusCode::CREATED
    );
    let cofac = {
        let ws_token = f.call("GET", "/api/processes/ocean/working", Some(&f.admin), None).await;
        assert_eq!(ws_token.0, StatusCode::OK);
        ws_token.1["paragraphs"][0]["revision"].as_u64().unwrap()
    };
    // The same revision written as a float is the same request.
    let status = json!({"status": "agreed", "base_revision": cofac as f64});
    assert!(status.to_string().contains(".0"), "{status}");
    let (st, e) = f.call("POST", "/api/processes/ocean/working/1/status", Some(&f.admin), Some(status)).await;
    assert_ne!(st, StatusCode::BAD_REQUEST, "{e}");
    // A fraction is still no revision.
    let status = json!({"status": "agreed", "base_revision": 1.5});
    let (st, e) = f.call("POST", "/api/processes/ocean/working/1/status", Some(&f.admin), Some(status)).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("line 1"), "{e}");
    // A write that takes no fields refuses one.
    let (st, e) = f
        .call("POST", "/api/processes/ocean/proposals/p1/withdraw", Some(&f.admin), Some(json!({"x": 1})))
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
}

/// Schemathesis found it: `?state=null` (no state) answered an empty list.
#[tokio::test]
async fn an_unknown_proposal_state_filter_is_refused() {
    let f = fixture().await;
    let body = json!({"id": "ocean", "title": "Ocean data", "public": true});
    assert_eq!(f.call("POST", "/api/processes", Some(&f.admin), Some(body)).await.0, StatusCode::CREATED);
    let (st, e) = f.call("GET", "/api/processes/ocean/proposals?state=null", Some(&f.admin), None).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["error"]["code"], "bad-request");
    let (st, e) = f.call("GET", "/api/processes/ocean/proposals?state=set-aside", Some(&f.admin), None).await;
    assert_eq!(st, StatusCode::OK, "{e}");
}

/// The outbox is paged like every list (`?limit=&after=ID`, `next`).
#[tokio::test]
async fn the_outbox_is_paged() {
    let f = fixture().await;
    let body = json!({"id": "ocean", "title": "Ocean data", "co_facilitators": ["Norland"], "public": true});
    assert_eq!(f.call("POST", "/api/processes", Some(&f.admin), Some(body)).await.0, StatusCode::CREATED);
    for d in ["norland", "estoria"] {
        let participant = json!({"id": d, "name": d, "kind": "member-state"});
        let (st, e) =
            f.call("POST", "/api/processes/ocean/participants", Some(&f.admin), Some(participant)).await;
        assert_eq!(st, StatusCode::CREATED, "{e}");
        let points = json!({"participant": format!("delegation:{d}"), "focal_points": [
            {"name": "One", "email": format!("one@{d}.example")}, {"name": "Two", "email": format!("two@{d}.example")}]});
        let (st, e) = f.call("POST", "/api/processes/ocean/focal-points", Some(&f.admin), Some(points)).await;
        assert_eq!(st, StatusCode::OK, "{e}");
    }
    let draft = json!({"label": "Zero draft", "text": "Draft outcome\n\n1. We agree.\n", "publication": "circulated"});
    assert_eq!(
        f.call("POST", "/api/processes/ocean/drafts", Some(&f.admin), Some(draft)).await.0,
        StatusCode::CREATED
    );

    let (st, whole) = f.call("GET", "/api/processes/ocean/outbox", Some(&f.admin), None).await;
    assert_eq!(st, StatusCode::OK, "{whole}");
    let all: Vec<Value> = whole["messages"].as_array().unwrap().iter().map(|m| m["id"].clone()).collect();
    assert!(all.len() >= 4, "{whole}");
    assert_eq!(whole["next"], Value::Null);
    let mut seen = Vec::new();
    let mut uri = "/api/processes/ocean/outbox?limit=3".to_string();
    loop {
        let (st, page) = f.call("GET", &uri, Some(&f.admin), None).await;
        assert_eq!(st, StatusCode::OK, "{page}");
        let ids = page["messages"].as_array().unwrap();
        assert!(ids.len() <= 3);
        seen.extend(ids.iter().map(|m| m["id"].clone()));
        match page["next"].as_i64() {
            Some(next) => uri = format!("/api/processes/ocean/outbox?limit=3&after={next}"),
            None => break,
        }
    }
    assert_eq!(seen, all);
    let (st, _) = f.call("GET", "/api/processes/ocean/outbox?limit=0", Some(&f.admin), None).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
}

/// A proposal's edit refuses unknown fields like every request body (a
/// misspelt field used to be ignored, the edit recorded without it).
#[tokio::test]
async fn an_edit_with_an_unknown_field_is_refused() {
    let f = fixture().await;
    let body = json!({"id": "ocean", "title": "Ocean data", "public": true});
    assert_eq!(f.call("POST", "/api/processes", Some(&f.admin), Some(body)).await.0, StatusCode::CREATED);
    let table = json!({"paragraph": "1", "edit": {"kind": "delete", "span": [0, 2], "spam": [3, 4]}});
    let (st, e) = f.call("POST", "/api/processes/ocean/proposals", Some(&f.admin), Some(table)).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("spam"), "{e}");
}

/// Issue 15: a stance is taken back through the API, in one's own name or a
/// group's; where there is none to take back the answer says so (422).
#[tokio::test]
async fn a_stance_is_taken_back_over_http() {
    let f = fixture().await;
    let body = json!({"id": "ocean", "title": "Ocean data", "co_facilitators": ["Norland"], "public": true});
    assert_eq!(f.call("POST", "/api/processes", Some(&f.admin), Some(body)).await.0, StatusCode::CREATED);
    for (id, kind, members) in [
        ("norland", "member-state", json!([])),
        ("estoria", "member-state", json!([])),
        ("eu", "group", json!(["estoria"])),
    ] {
        let participant = json!({"id": id, "name": id.to_uppercase(), "kind": kind, "members": members});
        let (st, e) =
            f.call("POST", "/api/processes/ocean/participants", Some(&f.admin), Some(participant)).await;
        assert_eq!(st, StatusCode::CREATED, "{e}");
    }
    let draft = json!({"label": "Zero draft", "text": "Draft outcome\n\n1. We agree to act.\n", "publication": "circulated"});
    assert_eq!(
        f.call("POST", "/api/processes/ocean/drafts", Some(&f.admin), Some(draft)).await.0,
        StatusCode::CREATED
    );
    let token = |d: &str| {
        let actor = Actor::Delegation { delegation: d.into() };
        let ws = f.ws.clone();
        async move { ws.create_token(Some("ocean".to_string()), &actor, "test").await.unwrap() }
    };
    let (norland, estoria) = (token("norland").await, token("estoria").await);
    let table = json!({"paragraph": "1", "edit": {"kind": "replace", "span": [13, 16], "text": "work"}});
    let (st, e) = f.call("POST", "/api/processes/ocean/proposals", Some(&norland), Some(table)).await;
    assert_eq!(st, StatusCode::CREATED, "{e}");
    let p = e["proposal"].as_str().unwrap().to_string();
    let url = |verb: &str| format!("/api/processes/ocean/proposals/{p}/{verb}");
    for who in [json!({}), json!({"on_behalf_of": "eu"})] {
        let (st, e) = f.call("POST", &url("support"), Some(&estoria), Some(who)).await;
        assert_eq!(st, StatusCode::OK, "{e}");
    }
    let (st, e) =
        f.call("POST", &url("withdraw-stance"), Some(&estoria), Some(json!({"on_behalf_of": "eu"}))).await;
    assert_eq!(st, StatusCode::OK, "{e}");
    let (_, q) = f.call("GET", &format!("/api/processes/ocean/proposals/{p}"), Some(&estoria), None).await;
    assert_eq!(q["supporters"], json!(["estoria"]), "{q}");
    let (st, e) =
        f.call("POST", &url("withdraw-stance"), Some(&estoria), Some(json!({"on_behalf_of": "eu"}))).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("no stance to take back"), "{e}");
    let (st, e) = f
        .call("POST", &url("withdraw-stance"), Some(&norland), Some(json!({"on_behalf_of": "estoria"})))
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{e}");
    let (st, e) = f.call("POST", &url("withdraw-stance"), Some(&estoria), None).await;
    assert_eq!(st, StatusCode::OK, "{e}");
    let (_, q) = f.call("GET", &format!("/api/processes/ocean/proposals/{p}"), Some(&estoria), None).await;
    assert_eq!(q["supporters"], json!([]), "{q}");
}
