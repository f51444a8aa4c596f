//! The accept loop: what keeps slow or idle clients from taking the server.
//! A connection must send its request's headers within a time (which also
//! closes a keep-alive connection left idle), a request body must keep
//! arriving, and connections beyond a limit below the descriptor limit are
//! closed at once — so 20,000 clients that send half a request and stop
//! cannot exhaust the file descriptors, and `/api/health` keeps answering.
//! Responses are not timed: server-sent events stream as long as they last.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

use crate::proxies::TrustedProxies;

/// How long and how many connections are served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections served at once; more are closed as they come.
    pub max_connections: usize,
    /// Time to send a request's headers (and the longest idle keep-alive).
    pub header_timeout: Duration,
    /// Longest wait for the next piece of a request body.
    pub body_timeout: Duration,
}

impl Default for ConnectionLimits {
    /// 10 s for headers, 30 s between body pieces, and as many connections
    /// as the descriptor limit leaves room for (the store, logs and the
    /// listener need some; `ACCORD_MAX_CONNECTIONS` overrides).
    fn default() -> ConnectionLimits {
        let from_env = std::env::var("ACCORD_MAX_CONNECTIONS").ok().and_then(|v| v.parse().ok());
        let max_connections = from_env
            .filter(|&n: &usize| n > 0)
            .unwrap_or_else(|| open_files_limit().map_or(1000, |n| n.saturating_sub(128).clamp(64, 16_384)));
        ConnectionLimits {
            max_connections,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
        }
    }
}

/// The soft limit of open files, where the system says (Linux: `/proc`).
fn open_files_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// Serves `app` on `listener` within `limits` until `shutdown` completes;
/// then lets the connections in flight finish (at most 10 s).
pub async fn serve_on(
    listener: TcpListener,
    app: axum::Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    serve_behind(listener, app, limits, TrustedProxies::default(), shutdown).await
}

/// As [`serve_on`], behind the `trusted` proxies: a request through one of
/// them is from the client its `X-Forwarded-For` names.
pub async fn serve_behind(
    listener: TcpListener,
    app: axum::Router,
    limits: ConnectionLimits,
    trusted: TrustedProxies,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let trusted = Arc::new(trusted);
    let app = app.layer(tower_http::timeout::RequestBodyTimeoutLayer::new(limits.body_timeout));
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let (stop, stopping) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors or a connection reset before it was
                    // accepted: wait a moment rather than spin.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            tracing::warn!(limit = limits.max_connections, "too many connections; closing a new one");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        // The client's address, for the login limits (`ConnectInfo`).
        let app = app.clone();
        let trusted = trusted.clone();
        let service = TowerToHyperService::new(tower::service_fn(
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                let client =
                    std::net::SocketAddr::new(trusted.client(peer.ip(), request.headers()), peer.port());
                request.extensions_mut().insert(axum::extract::ConnectInfo(client));
                tower::ServiceExt::oneshot(app.clone(), request)
            },
        ));
        let mut stopping = stopping.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout).keep_alive(true);
            let conn = builder.serve_connection(TokioIo::new(stream), service).with_upgrades();
            let mut conn = std::pin::pin!(conn);
            let stopped = async move {
                let _ = stopping.wait_for(|s| *s).await.is_ok();
            };
            tokio::select! {
                _ = conn.as_mut() => {}
                () = stopped => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
            drop(permit);
        });
    }
    let _ = stop.send(true);
    // Every connection holds a permit until it ends.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(Duration::from_secs(10), permits.acquire_many(all)).await;
    Ok(())
}
