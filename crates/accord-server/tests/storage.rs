//! Storage trouble said plainly (issue 11, item 8): a read-only database
//! started without a word and answered every write 503. Now the start-up
//! warns (in the log) and `GET /api/ready` answers 503 naming the reason,
//! while `/api/health` (liveness) stays 200. The database is made read-only
//! with `chattr +i` (immutable even to root, which the tests may run as).

mod common;

use axum::http::StatusCode;
use common::{fixture, open, send};
use serde_json::{json, Value};

fn get(path: &str) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::builder().uri(path).body(axum::body::Body::empty()).unwrap()
}

#[tokio::test]
async fn a_read_only_database_is_not_ready_and_says_why() {
    let f = fixture().await;
    let ready = f.json("GET", "/api/ready", None, Value::Null).await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    assert_eq!(ready.body, json!({"status": "ready"}));

    let db = common::store_path(&f.dir);
    let Some(_guard) = common::immutable(&db) else { return };
    // A server started on it: alive, not ready, and says why.
    let app = accord_server::app(open(&f.dir));
    let health = send(&app, get("/api/health")).await;
    assert_eq!(health.status, StatusCode::OK);
    let ready = send(&app, get("/api/ready")).await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE, "{}", ready.body);
    assert_eq!(ready.body["error"]["code"], "unavailable");
    let message = ready.body["error"]["message"].as_str().unwrap();
    assert!(message.contains("read-only"), "{message}");
}
