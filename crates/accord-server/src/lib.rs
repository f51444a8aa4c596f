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
pub mod render;
pub mod web;

/// The application layer, re-exported at its old paths.
pub use accord_workspace::{demo, workspace};

use std::net::SocketAddr;
use std::sync::Arc;

pub use accord_workspace::Workspace;
pub use api::router;

/// The whole application: the JSON API and the web pages, each request in
/// a `request` span (method and route template — never the path's own
/// segments or the query, which may carry an invitation's secret).
pub fn app(ws: Arc<Workspace>) -> axum::Router {
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
    router(ws.clone()).merge(web::router(ws)).layer(trace)
}

/// Serves `ws` on `addr` until the process is stopped. `ready` is called with
/// the bound address once the server accepts connections.
pub async fn serve(
    ws: Arc<Workspace>,
    addr: SocketAddr,
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
    axum::serve(listener, app(ws))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
