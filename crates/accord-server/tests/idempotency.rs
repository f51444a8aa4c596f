//! Idempotency keys (issue 11, item 1): a key answers with the first outcome
//! only the same request by the same actor on the same route, after the
//! actor's authorization; a reuse with another body is a 422 naming the
//! conflict; keys survive a restart; their length limit is in the OpenAPI
//! document.

mod common;

use axum::http::StatusCode;
use common::{fixture, open};
use serde_json::json;

const PROPOSALS: &str = "/api/processes/ocean/proposals";

fn table(text: &str) -> serde_json::Value {
    json!({"paragraph": "1", "edit": {"kind": "replace", "span": [21, 25], "text": text}})
}

#[tokio::test]
async fn an_observer_reusing_a_delegations_key_gets_its_own_403() {
    let f = fixture().await;
    let first = f.keyed("POST", PROPOSALS, Some(&f.delegation), Some("k-1"), table("2035")).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);

    // Before: the cached 201 of the delegation, before any authorization.
    let observer = f.keyed("POST", PROPOSALS, Some(&f.observer), Some("k-1"), table("2035")).await;
    assert_eq!(observer.status, StatusCode::FORBIDDEN, "{}", observer.body);
    assert_eq!(observer.body["error"]["code"], "forbidden");
    // The public, with the same key: refused as the public is.
    let public = f.keyed("POST", PROPOSALS, None, Some("k-1"), table("2035")).await;
    assert_eq!(public.status, StatusCode::UNAUTHORIZED, "{}", public.body);

    // The delegation's exact retry: the first outcome, recorded once.
    let retry = f.keyed("POST", PROPOSALS, Some(&f.delegation), Some("k-1"), table("2035")).await;
    assert_eq!(retry.status, StatusCode::CREATED);
    assert_eq!(retry.body, first.body);
    let list = f.json("GET", PROPOSALS, Some(&f.delegation), serde_json::Value::Null).await;
    assert_eq!(list.body["proposals"].as_array().map(Vec::len), Some(1), "{}", list.body);
}

#[tokio::test]
async fn a_key_reused_with_another_body_is_a_422_naming_the_conflict() {
    let f = fixture().await;
    let first = f.keyed("POST", PROPOSALS, Some(&f.delegation), Some("k-2"), table("2035")).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let other = f.keyed("POST", PROPOSALS, Some(&f.delegation), Some("k-2"), table("2040")).await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", other.body);
    insta::assert_json_snapshot!("key_reused_with_another_body", other.body);
    // Nothing was recorded for the refused request.
    let list = f.json("GET", PROPOSALS, Some(&f.delegation), serde_json::Value::Null).await;
    assert_eq!(list.body["proposals"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn the_same_key_on_another_route_is_another_request() {
    let f = fixture().await;
    let first = f.keyed("POST", PROPOSALS, Some(&f.delegation), Some("k-3"), table("2035")).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let id = first.body["proposal"].as_str().unwrap().to_string();
    // Before: the tabling's 201 again, and the revision silently dropped.
    let revise = format!("{PROPOSALS}/{id}/revise");
    let body = json!({"base_revision": first.body["revision"], "edit": {"kind": "replace", "span": [21, 25], "text": "2032"}});
    let r = f.keyed("POST", &revise, Some(&f.delegation), Some("k-3"), body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_ne!(r.body["seq"], first.body["seq"]);
    let p = f.json("GET", &format!("{PROPOSALS}/{id}"), Some(&f.delegation), serde_json::Value::Null).await;
    assert_eq!(p.body["edit"]["text"], "2032", "{}", p.body);
}

#[tokio::test]
async fn keys_survive_a_restart() {
    let f = fixture().await;
    let first = f.keyed("POST", PROPOSALS, Some(&f.delegation), Some("k-4"), table("2035")).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let again = accord_server::app(open(&f.dir));
    let req = |body: serde_json::Value| {
        axum::http::Request::builder()
            .method("POST")
            .uri(PROPOSALS)
            .header("authorization", format!("Bearer {}", f.delegation))
            .header("idempotency-key", "k-4")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body.to_string()))
            .unwrap()
    };
    let retry = common::send(&again, req(table("2035"))).await;
    assert_eq!(retry.status, StatusCode::CREATED, "{}", retry.body);
    assert_eq!(retry.body, first.body);
    let other = common::send(&again, req(table("2040"))).await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", other.body);
}

#[tokio::test]
async fn the_key_length_limit_is_enforced_and_documented() {
    let f = fixture().await;
    let long = "k".repeat(201);
    let a = f.keyed("POST", PROPOSALS, Some(&f.delegation), Some(&long), table("2035")).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
    let doc = f.json("GET", "/api/openapi.json", None, serde_json::Value::Null).await.body;
    let params = doc["paths"]["/api/processes/{process}/proposals"]["post"]["parameters"].as_array().unwrap();
    let key = params.iter().find(|p| p["name"] == "Idempotency-Key").expect("the key is documented");
    assert_eq!(key["schema"]["maxLength"], 200);
    assert_eq!(key["schema"]["minLength"], 1);
}

/// Two servers on one store (what the data-directory lock now prevents for
/// SQLite, and what PostgreSQL still allows): a request recorded through one
/// and retried through the other, stale, server is answered with its first
/// outcome — before, the stale server answered 409 or 422.
#[tokio::test]
async fn a_retry_through_another_server_answers_the_first_outcome() {
    let f = fixture().await;
    let stale = accord_server::app(open(&f.dir));
    let first = f.keyed("POST", PROPOSALS, Some(&f.delegation), Some("k-5"), table("2035")).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let req = |body: serde_json::Value| {
        axum::http::Request::builder()
            .method("POST")
            .uri(PROPOSALS)
            .header("authorization", format!("Bearer {}", f.delegation))
            .header("idempotency-key", "k-5")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body.to_string()))
            .unwrap()
    };
    let retry = common::send(&stale, req(table("2035"))).await;
    assert_eq!(retry.status, StatusCode::CREATED, "{}", retry.body);
    assert_eq!(retry.body, first.body);
    let other = common::send(&stale, req(table("2040"))).await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", other.body);
    let list = f.json("GET", PROPOSALS, Some(&f.delegation), serde_json::Value::Null).await;
    assert_eq!(list.body["proposals"].as_array().map(Vec::len), Some(1));
}
