//! What an operator's tools ask a node: `/healthz` (the process answers),
//! `/readyz` (the store accepts changes: what a proxy's health check and an
//! orchestrator want), and `/metrics` in Prometheus's text format (requests by
//! route and status, their latency, processes and events held, live viewers).
//!
//! Routes are counted by their template (`/api/processes/{process}`), never
//! by the path itself, so the set of series is bounded and no secret in a
//! path (an invitation link) reaches a metrics store.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::Workspace;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 11] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// The node's counters.
pub(crate) struct Metrics {
    ws: Arc<Workspace>,
    /// Requests by (method, route template, status).
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    /// Requests at or under each bucket's bound (cumulative at rendering).
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Metrics {
    pub(crate) fn new(ws: Arc<Workspace>) -> Arc<Metrics> {
        Arc::new(Metrics {
            ws,
            requests: Mutex::default(),
            buckets: std::array::from_fn(|_| AtomicU64::new(0)),
            count: AtomicU64::new(0),
            sum_micros: AtomicU64::new(0),
        })
    }

    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        if let Ok(mut m) = self.requests.lock() {
            *m.entry((method.to_string(), route.to_string(), status)).or_insert(0) += 1;
        }
        if let Some(k) = BUCKETS.iter().position(|b| seconds <= *b) {
            self.buckets[k].fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    }

    /// The text exposition format, version 0.0.4.
    fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP accord_http_requests_total HTTP requests answered, by method, route template and status.\n");
        out.push_str("# TYPE accord_http_requests_total counter\n");
        if let Ok(m) = self.requests.lock() {
            for ((method, route, status), n) in m.iter() {
                let _ = writeln!(
                    out,
                    "accord_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}",
                    label(method),
                    label(route)
                );
            }
        }
        out.push_str(
            "# HELP accord_http_request_duration_seconds Time to answer a request (to its headers).\n",
        );
        out.push_str("# TYPE accord_http_request_duration_seconds histogram\n");
        let mut cumulative = 0;
        for (bound, n) in BUCKETS.iter().zip(&self.buckets) {
            cumulative += n.load(Ordering::Relaxed);
            let _ =
                writeln!(out, "accord_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}");
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "accord_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}");
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "accord_http_request_duration_seconds_sum {sum}");
        let _ = writeln!(out, "accord_http_request_duration_seconds_count {count}");
        let processes = self.ws.processes();
        let events: u64 = processes.iter().filter_map(|p| p.state.read().ok().map(|s| s.seq)).sum();
        out.push_str(
            "# HELP accord_processes Processes this node holds in memory.\n# TYPE accord_processes gauge\n",
        );
        let _ = writeln!(out, "accord_processes {}", processes.len());
        out.push_str(
            "# HELP accord_processes_to_load Processes of the log not loaded yet (a node starting).\n\
             # TYPE accord_processes_to_load gauge\n",
        );
        let _ = writeln!(out, "accord_processes_to_load {}", self.ws.loading.remaining());
        out.push_str(
            "# HELP accord_events Events of those processes, applied.\n# TYPE accord_events gauge\n",
        );
        let _ = writeln!(out, "accord_events {events}");
        out.push_str("# HELP accord_live_viewers Live screens following this node's changes.\n");
        out.push_str("# TYPE accord_live_viewers gauge\n");
        let _ = writeln!(out, "accord_live_viewers {}", self.ws.changes.receiver_count());
        out.push_str("# HELP accord_catch_up_lag_seconds Time from another node's event (its clock) to this node applying it.\n");
        out.push_str("# TYPE accord_catch_up_lag_seconds histogram\n");
        let (lag, lag_count, lag_sum_ms) = self.ws.lag.read();
        let mut cumulative = 0;
        for (bound, n) in accord_workspace::follow::LAG_BUCKETS_MS.iter().zip(lag) {
            cumulative += n;
            let _ = writeln!(
                out,
                "accord_catch_up_lag_seconds_bucket{{le=\"{}\"}} {cumulative}",
                *bound as f64 / 1000.0
            );
        }
        let _ = writeln!(out, "accord_catch_up_lag_seconds_bucket{{le=\"+Inf\"}} {lag_count}");
        let _ = writeln!(out, "accord_catch_up_lag_seconds_sum {}", lag_sum_ms as f64 / 1000.0);
        let _ = writeln!(out, "accord_catch_up_lag_seconds_count {lag_count}");
        out
    }
}

/// A label value as the format wants it: backslash, quote and newline escaped.
fn label(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Counts every request by its route template, status and time.
pub(crate) async fn count(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map_or("(no route)", |p| p.as_str()).to_string();
    let method = req.method().as_str().to_string();
    let started = Instant::now();
    let res = next.run(req).await;
    metrics.observe(&method, &route, res.status().as_u16(), started.elapsed().as_secs_f64());
    res
}

/// `/healthz`, `/readyz` and `/metrics`.
pub(crate) fn router(metrics: Arc<Metrics>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { plain(StatusCode::OK, "ok\n".into()) }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(render))
        .with_state(metrics)
}

async fn readyz(State(metrics): State<Arc<Metrics>>) -> Response {
    if let Some(e) = metrics.ws.loading.broken() {
        return plain(StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {e}\n"));
    }
    match metrics.ws.check_writable().await {
        Ok(()) if !metrics.ws.following.is_current() => plain(
            StatusCode::SERVICE_UNAVAILABLE,
            "not ready: catching up with the other nodes' events\n".into(),
        ),
        Ok(()) => plain(StatusCode::OK, "ready\n".into()),
        Err(e) => plain(StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {e}\n")),
    }
}

async fn render(State(metrics): State<Arc<Metrics>>) -> Response {
    let mut r = plain(StatusCode::OK, metrics.render());
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    r
}

fn plain(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}
