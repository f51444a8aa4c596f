//! Every error of the API in the documented JSON form, and the security
//! headers on every answer (issue 11, item 9): the framework's own refusals
//! (405, 413, malformed query strings) were plain text or empty, a body
//! without a JSON content type was read as JSON, and no answer carried a
//! content security policy or framing, sniffing and referrer rules.

mod common;

use axum::http::{header, StatusCode};
use common::{fixture, Answer};
use serde_json::{json, Value};

/// The answer's error, checked to be in the documented form.
fn error_of(a: &Answer) -> Value {
    assert_eq!(
        a.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()),
        Some("application/json"),
        "{} {}",
        a.status,
        a.body
    );
    let e = &a.body["error"];
    assert!(e["code"].is_string() && e["message"].as_str().is_some_and(|m| !m.is_empty()), "{}", a.body);
    json!({"status": a.status.as_u16(), "error": e})
}

fn assert_security_headers(a: &Answer) {
    let h = |name: header::HeaderName| a.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    assert_eq!(h(header::X_CONTENT_TYPE_OPTIONS).as_deref(), Some("nosniff"));
    assert_eq!(h(header::X_FRAME_OPTIONS).as_deref(), Some("DENY"));
    assert_eq!(h(header::REFERRER_POLICY).as_deref(), Some("no-referrer"));
    let csp = h(header::CONTENT_SECURITY_POLICY).expect("a content security policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
}

#[tokio::test]
async fn the_frameworks_refusals_are_json() {
    let f = fixture().await;
    let mut errors = Vec::new();

    let a = f.raw("DELETE", "/api/processes", Some(&f.admin), &[], "").await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(a.headers.contains_key(header::ALLOW), "the 405 keeps its Allow header");
    errors.push(error_of(&a));

    let big = format!("{{\"label\": \"L\", \"text\": \"{}\"}}", "x".repeat(17 << 20));
    let a = f
        .raw(
            "POST",
            "/api/processes/ocean/drafts",
            Some(&f.admin),
            &[("content-type", "application/json")],
            big,
        )
        .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    errors.push(error_of(&a));

    let a = f.raw("GET", "/api/processes/ocean/events?after=yesterday", Some(&f.cofac), &[], "").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    errors.push(error_of(&a));

    let a = f.raw("GET", "/api/no-such-route", None, &[], "").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    errors.push(error_of(&a));

    let a = f
        .raw("POST", "/api/processes", Some(&f.admin), &[("content-type", "application/json")], "{\"id\": ")
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    errors.push(error_of(&a));
    insta::assert_json_snapshot!("framework_refusals", errors);
}

#[tokio::test]
async fn a_body_without_a_json_content_type_is_refused() {
    let f = fixture().await;
    let body = json!({"id": "sneaky", "title": "Posted as a form"}).to_string();
    for headers in [vec![("content-type", "text/plain")], vec![]] {
        let a = f.raw("POST", "/api/processes", Some(&f.admin), &headers, body.clone()).await;
        assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{headers:?}: {}", a.body);
        assert_eq!(error_of(&a)["error"]["code"], "unsupported-media-type");
    }
    let a = f.json("GET", "/api/processes/sneaky", Some(&f.admin), Value::Null).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "nothing was created");
    // A bodiless action needs no content type.
    let tabled = f
        .json(
            "POST",
            "/api/processes/ocean/proposals",
            Some(&f.delegation),
            json!({"paragraph": "2", "edit": {"kind": "insert", "at": 0, "text": "Also, "}}),
        )
        .await;
    assert_eq!(tabled.status, StatusCode::CREATED, "{}", tabled.body);
    let id = tabled.body["proposal"].as_str().unwrap();
    let path = format!("/api/processes/ocean/proposals/{id}/withdraw");
    let a = f.raw("POST", &path, Some(&f.delegation), &[], "").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let f = fixture().await;
    let page = f.raw("GET", "/", None, &[], "").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_security_headers(&page);
    let csp = page.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    let script = csp.split(';').find(|d| d.trim().starts_with("script-src")).expect("script-src");
    assert!(!script.contains("unsafe-inline") && script.contains("'self'"), "{csp}");
    assert!(page.headers.get(header::CACHE_CONTROL).is_none(), "a public page may be cached");

    let login = f.raw("GET", "/login", None, &[], "").await;
    assert_security_headers(&login);
    let missing = f.raw("GET", "/api/processes/nowhere", None, &[], "").await;
    assert_security_headers(&missing);
    let css = f.raw("GET", "/static/accord.css", None, &[], "").await;
    assert_security_headers(&css);

    // What a token reads is never kept by a cache.
    for path in ["/api/processes", "/api/processes/ocean", "/api/no-such-route"] {
        let a = f.raw("GET", path, Some(&f.delegation), &[], "").await;
        assert_security_headers(&a);
        assert_eq!(
            a.headers.get(header::CACHE_CONTROL).map(|v| v.to_str().unwrap()),
            Some("no-store"),
            "{path}"
        );
    }
    let a = f.raw("GET", "/", None, &[("cookie", "accord_session=whatever")], "").await;
    assert_eq!(a.headers.get(header::CACHE_CONTROL).map(|v| v.to_str().unwrap()), Some("no-store"));
}
