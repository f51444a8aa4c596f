//! What an operator's tools ask a node (issue 17, item 2): `/healthz`,
//! `/readyz` (503 on a read-only store) and `/metrics` in Prometheus's text
//! format, requests counted by route template, never by path.

mod common;

use axum::http::StatusCode;
use common::{fixture, open, send};
use serde_json::Value;

fn get(path: &str) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::builder().uri(path).body(axum::body::Body::empty()).unwrap()
}

async fn text(app: &axum::Router, path: &str) -> (StatusCode, String, String) {
    use tower::ServiceExt;
    let res = app.clone().oneshot(get(path)).await.unwrap();
    let status = res.status();
    let kind = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    (status, kind, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn health_readiness_and_metrics() {
    let f = fixture().await;
    assert_eq!(text(&f.app, "/healthz").await.0, StatusCode::OK);
    let (status, _, body) = text(&f.app, "/readyz").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ready\n"));
    for path in ["/api/processes/ocean", "/api/processes/ocean", "/api/processes/nowhere", "/no/such/page"] {
        f.json("GET", path, None, Value::Null).await;
    }
    let (status, kind, m) = text(&f.app, "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    assert!(
        m.contains(
            "accord_http_requests_total{method=\"GET\",route=\"/api/processes/{process}\",status=\"200\"} 2"
        ),
        "{m}"
    );
    assert!(
        m.contains(
            "accord_http_requests_total{method=\"GET\",route=\"/api/processes/{process}\",status=\"404\"} 1"
        ),
        "{m}"
    );
    assert!(m.contains("route=\"(no route)\",status=\"404\"} 1"), "{m}");
    assert!(!m.contains("nowhere") && !m.contains("/no/such"), "paths never become labels: {m}");
    assert!(m.contains("accord_processes 1\n"), "{m}");
    assert!(m.contains("accord_live_viewers 0\n"), "{m}");
    let events: u64 = m.lines().find_map(|l| l.strip_prefix("accord_events ")).unwrap().parse().unwrap();
    assert!(events >= 3, "{m}");
    // The histogram's buckets are cumulative and end at the count.
    let bucket = |le: &str| -> u64 {
        let key = format!("accord_http_request_duration_seconds_bucket{{le=\"{le}\"}} ");
        m.lines().find_map(|l| l.strip_prefix(key.as_str())).unwrap().parse().unwrap()
    };
    let count: u64 = m
        .lines()
        .find_map(|l| l.strip_prefix("accord_http_request_duration_seconds_count "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(bucket("0.001") <= bucket("0.1") && bucket("0.1") <= bucket("+Inf"));
    assert_eq!(bucket("+Inf"), count);
}

#[tokio::test]
async fn a_read_only_store_is_not_ready() {
    let f = fixture().await;
    let db = common::store_path(&f.dir);
    let Some(_guard) = common::immutable(&db) else { return };
    let app = accord_server::app(open(&f.dir));
    assert_eq!(send(&app, get("/healthz")).await.status, StatusCode::OK);
    let (status, _, body) = text(&app, "/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.starts_with("not ready: ") && body.contains("read-only"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_starting_lazily_serves_a_process_before_it_has_loaded_the_rest() {
    let f = fixture().await;
    drop(f.app);
    let store = accord_store::Sqlite::open(&common::store_path(&f.dir)).unwrap();
    let ws =
        accord_workspace::Workspace::open_lazily_with_clock(Box::new(store), common::fixed_clock()).unwrap();
    let app = accord_server::app(ws.clone());
    let (_, _, m) = text(&app, "/metrics").await;
    assert!(m.contains("accord_processes 0\n") && m.contains("accord_processes_to_load 1\n"), "{m}");
    // A request naming the process loads it and is answered, though the
    // background loading has not started.
    let (status, _, body) = text(&app, "/api/processes/ocean").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, _, m) = text(&app, "/metrics").await;
    assert!(m.contains("accord_processes 1\n") && m.contains("accord_processes_to_load 0\n"), "{m}");
    // A listing waits for the background loading and misses nothing.
    let store = accord_store::Sqlite::open(&common::store_path(&f.dir)).unwrap();
    let ws =
        accord_workspace::Workspace::open_lazily_with_clock(Box::new(store), common::fixed_clock()).unwrap();
    let app = accord_server::app(ws.clone());
    let listing = tokio::spawn({
        let app = app.clone();
        async move { text(&app, "/api/processes").await }
    });
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(!listing.is_finished(), "the listing waits while a process is still to load");
    assert_eq!(text(&app, "/readyz").await.0, StatusCode::OK, "probes do not wait");
    ws.load_in_background();
    let (status, _, body) = listing.await.unwrap();
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("\"ocean\""), "{body}");
}
