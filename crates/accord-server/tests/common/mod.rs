//! What the hardening tests share: the application on a fresh SQLite store
//! with a fixed clock, driven in process through `tower::ServiceExt`, and a
//! public process with one delegation, an observer and a draft.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use accord_core::negotiation::Actor;
use accord_server::{app, Workspace};
use accord_store::Sqlite;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use serde_json::{json, Value};
use tower::ServiceExt;

/// A clock that starts on 2026-04-01 and moves a second per reading.
pub fn fixed_clock() -> Box<dyn Fn() -> i64 + Send + Sync> {
    let t = Arc::new(AtomicI64::new(1_775_000_000_000));
    Box::new(move || t.fetch_add(1000, Ordering::Relaxed))
}

/// An answer: status, headers, and the body (JSON when it parses, else text).
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

/// The application, its workspace and the tokens of the process `ocean`.
pub struct Fixture {
    pub app: axum::Router,
    pub ws: Arc<Workspace>,
    pub admin: String,
    pub delegation: String,
    pub observer: String,
    pub cofac: String,
    pub dir: tempfile::TempDir,
}

/// The store's file in a fixture's directory.
pub fn store_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("accord.sqlite3")
}

/// Opens the workspace on `dir`'s store (again, after a restart).
pub fn open(dir: &tempfile::TempDir) -> Arc<Workspace> {
    let store = Sqlite::open(&store_path(dir)).unwrap();
    Workspace::open_with_clock(Box::new(store), fixed_clock()).unwrap()
}

/// A fresh store with process `ocean` (public), delegation `estoria`, a
/// co-facilitator Norland, an observer and a public zero draft.
pub async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let ws = open(&dir);
    let admin = ws.create_token(None, &Actor::Secretariat { name: "Test".into() }, "test").await.unwrap();
    let p = Some("ocean".to_string());
    let delegation =
        ws.create_token(p.clone(), &Actor::Delegation { delegation: "estoria".into() }, "d").await.unwrap();
    let observer =
        ws.create_token(p.clone(), &Actor::Observer { name: "Watcher".into() }, "o").await.unwrap();
    let cofac = ws.create_token(p, &Actor::CoFacilitator { name: "Norland".into() }, "c").await.unwrap();
    let f = Fixture { app: app(ws.clone()), ws, admin, delegation, observer, cofac, dir };
    let admin = f.admin.clone();
    let body = json!({"id": "ocean", "title": "Ocean data", "co_facilitators": ["Norland"], "public": true});
    assert_eq!(f.json("POST", "/api/processes", Some(&admin), body).await.status, StatusCode::CREATED);
    let estoria = json!({"id": "estoria", "name": "Estoria", "kind": "member-state"});
    let a = f.json("POST", "/api/processes/ocean/participants", Some(&admin), estoria).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let draft = json!({"label": "Zero draft", "text": "Draft outcome\n\n1. We agree [to act] by 2030.\n\n2. We decide to review.\n", "publication": "public"});
    let a = f.json("POST", "/api/processes/ocean/drafts", Some(&admin), draft).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    f
}

impl Fixture {
    /// Sends a request built by the caller.
    pub async fn send(&self, req: Request<Body>) -> Answer {
        send(&self.app, req).await
    }

    /// A request with an optional token, extra headers and a raw body.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: impl Into<Body>,
    ) -> Answer {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req.body(body.into()).unwrap()).await
    }

    /// A JSON request (or a bodiless one for `Value::Null`).
    pub async fn json(&self, method: &str, path: &str, token: Option<&str>, body: Value) -> Answer {
        self.keyed(method, path, token, None, body).await
    }

    /// A JSON request with an `Idempotency-Key`.
    pub async fn keyed(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        key: Option<&str>,
        body: Value,
    ) -> Answer {
        let mut headers = vec![];
        if let Some(k) = key {
            headers.push(("idempotency-key", k));
        }
        if body.is_null() {
            self.raw(method, path, token, &headers, Body::empty()).await
        } else {
            headers.push(("content-type", "application/json"));
            self.raw(method, path, token, &headers, body.to_string()).await
        }
    }
}

/// Sends `req` to `app` and reads the whole answer.
pub async fn send(app: &axum::Router, req: Request<Body>) -> Answer {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), 64 << 20).await.unwrap();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    Answer { status, headers, body }
}

/// A file made immutable with `chattr +i` (read-only even to root, which the
/// tests may run as), made mutable again however the test ends.
pub struct Immutable(PathBuf);

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

/// Makes `path` immutable; `None` (after saying that the test skips) where
/// `chattr` cannot, which fails the test under `CI`.
pub fn immutable(path: &std::path::Path) -> Option<Immutable> {
    let made = std::process::Command::new("chattr").arg("+i").arg(path).status();
    if made.is_ok_and(|s| s.success()) {
        return Some(Immutable(path.to_path_buf()));
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but `chattr +i` cannot make {} read-only",
        path.display()
    );
    eprintln!(
        "skipping: `chattr +i` is not available here (needs e2fsprogs and a filesystem that supports it)"
    );
    None
}
