//! What a node does for being one of several on one database, or for
//! starting on a large log: a request naming a process that another node
//! created a moment ago, or that this node has not loaded yet
//! (`accord_workspace::loading`), finds it (the handlers look processes up
//! in memory, synchronously); a request naming none waits until every
//! process is loaded, so a listing never misses one.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::Workspace;

/// Before the handlers: a process the path names and this node does not
/// hold is read from the log (one indexed query; a process the log does not
/// have costs that query and nothing is kept).
pub(crate) async fn find_process(State(ws): State<Arc<Workspace>>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    match process_in_path(path) {
        Some(p) if ws.loading.contains(p) => {
            if let Err(e) = ws.ensure_loaded(p).await {
                tracing::warn!(process = p, error = %e, "cannot load a process");
            }
        }
        Some(p) if ws.following.is_on() && ws.process(p).is_none() => {
            if let Err(e) = ws.catch_up(p).await {
                tracing::warn!(process = p, error = %e, "cannot read a process another node created");
            }
        }
        Some(_) => {}
        None if !ws.loading.is_done() && needs_every_process(path) => ws.loading.wait().await,
        None => {}
    }
    next.run(req).await
}

/// Whether a path naming no process may need all of them (a listing, the
/// state, an account's page): everything but probes, metrics, static files
/// and the login form.
fn needs_every_process(path: &str) -> bool {
    !matches!(path, "/healthz" | "/readyz" | "/metrics" | "/api/health" | "/login" | "/favicon.ico")
        && !path.starts_with("/static/")
}

/// The process a path names: `/api/processes/{p}/…` or `/p/{p}/…`.
fn process_in_path(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("/api/processes/").or_else(|| path.strip_prefix("/p/"))?;
    let id = rest.split('/').next()?;
    // Ids are slugs; anything else is no process (and no query for it).
    (!id.is_empty()
        && id.len() <= 128
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_process_is_the_segment_after_the_prefix() {
        assert_eq!(process_in_path("/api/processes/ocean-data/proposals"), Some("ocean-data"));
        assert_eq!(process_in_path("/p/csw_70"), Some("csw_70"));
        assert_eq!(process_in_path("/api/processes"), None);
        assert_eq!(process_in_path("/api/processes/"), None);
        assert_eq!(process_in_path("/p/a%2Fb/x"), None);
        assert_eq!(process_in_path("/login"), None);
    }

    #[test]
    fn probes_and_static_files_never_wait_for_loading() {
        assert!(!needs_every_process("/readyz") && !needs_every_process("/static/accord.css"));
        assert!(needs_every_process("/") && needs_every_process("/api/processes"));
    }
}
