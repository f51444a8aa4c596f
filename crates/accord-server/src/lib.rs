//! # accord-server
//!
//! The negotiation workspace over HTTP: the JSON API under `/api/`, with its
//! OpenAPI document at `/api/openapi.json`.
//!
//! Every process's state, and the one path by which it changes, are the
//! application layer's (`accord_workspace`); the domain rules — who may do
//! what, what conflicts — live in `accord_core::negotiation`. This crate maps
//! HTTP to actions and answers, and the workspace's errors to statuses.

#![forbid(unsafe_code)]

pub mod api;
pub mod error;
pub mod listen;
pub mod mail;
mod nodes;
mod ops;
pub mod proxies;
pub mod render;
pub mod web;

/// The application layer, re-exported at its old paths.
pub use accord_workspace::{demo, workspace};

use std::net::SocketAddr;
use std::sync::Arc;

pub use accord_workspace::Workspace;
pub use api::{router, router_with, Limits};

/// The whole application: the JSON API and the web pages, each request in
/// a `request` span (method and route template — never the path's own
/// segments or the query, which may carry an invitation's secret).
pub fn app(ws: Arc<Workspace>) -> axum::Router {
    app_with(ws, Limits::default())
}

/// As [`app`], with the API's write quota given.
pub fn app_with(ws: Arc<Workspace>, limits: Limits) -> axum::Router {
    use axum::extract::MatchedPath;
    use tower_http::trace::{DefaultOnResponse, TraceLayer};
    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &axum::http::Request<_>| {
            let route = req.extensions().get::<MatchedPath>().map_or("(no route)", |p| p.as_str());
            tracing::info_span!("request", method = %req.method(), route)
        })
        .on_request(())
        .on_response(DefaultOnResponse::new().level(tracing::Level::DEBUG))
        .on_failure(());
    let writes = Arc::new(api::RateLimiter::new(limits));
    let metrics = ops::Metrics::new(ws.clone());
    api::router_sharing(ws.clone(), writes.clone())
        .merge(web::router(ws.clone(), writes))
        .merge(ops::router(metrics.clone()))
        .layer(axum::middleware::from_fn_with_state(ws, nodes::find_process))
        .layer(axum::middleware::from_fn_with_state(metrics, ops::count))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(trace)
}

/// The policy for pages: scripts and styles from the server only (no inline
/// script; inline styles are kept for the self-contained exports), nothing
/// framed, forms posted back here.
pub const PAGE_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The policy for everything else (JSON, text, CSS): nothing runs from it.
pub const DATA_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// Headers every answer carries: a content security policy (for pages, no
/// inline script), no MIME sniffing, no framing, no referrer (paths may hold
/// an invitation's secret), and `Cache-Control: no-store` on an answer to a
/// request that carried credentials (a token or a session cookie), so no
/// shared cache keeps what only its caller may read.
async fn security_headers(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    let credentials =
        req.headers().contains_key(header::AUTHORIZATION) || req.headers().contains_key(header::COOKIE);
    let mut res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("text/html"));
    let h = res.headers_mut();
    let csp = if html { PAGE_CSP } else { DATA_CSP };
    h.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(csp));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    if credentials {
        h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    }
    res
}

/// Serves `ws` on `addr` until the process is stopped. `ready` is called with
/// the bound address once the server accepts connections.
pub async fn serve(
    ws: Arc<Workspace>,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    serve_behind(ws, addr, proxies::TrustedProxies::default(), ready).await
}

/// As [`serve`], behind the `trusted` proxies (see [`proxies`]).
pub async fn serve_behind(
    ws: Arc<Workspace>,
    addr: SocketAddr,
    trusted: proxies::TrustedProxies,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    // A deep accept queue: a room of delegates reconnecting at once (or a
    // thousand connections opened together) must not be turned away.
    let socket =
        if addr.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    let listener = socket.listen(4096)?;
    let bound = listener.local_addr()?;
    tracing::info!(address = %bound, "serving");
    ready(bound);
    let app = app_with(ws, Limits::from_env());
    listen::serve_behind(listener, app, listen::ConnectionLimits::default(), trusted, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
