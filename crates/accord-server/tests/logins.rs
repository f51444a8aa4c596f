//! Logins under attack (issue 11, item 6): failures are limited per account
//! and client address, per address and per account, with a back-off; a
//! stranger on other addresses can never lock an account's owner out; and a
//! login the store cannot record is the server's trouble (503), not the
//! person's (401). In process, with the client's address set as the listener
//! sets it (`ConnectInfo`) and a clock the test moves.

mod common;

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use accord_core::negotiation::{Action, Actor, ProcessInfo};
use accord_server::{app, Workspace};
use accord_store::Sqlite;
use accord_workspace::accounts::create_account;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery staple";

struct Fixture {
    app: axum::Router,
    now: Arc<AtomicI64>,
    dir: tempfile::TempDir,
}

fn store_path(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().join("accord.sqlite3")
}

fn open(dir: &tempfile::TempDir, now: &Arc<AtomicI64>) -> Arc<Workspace> {
    let store = Sqlite::open(&store_path(dir)).unwrap();
    let now = now.clone();
    Workspace::open_with_clock(Box::new(store), Box::new(move || now.load(Ordering::Relaxed))).unwrap()
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let now = Arc::new(AtomicI64::new(1_775_000_000_000));
    let ws = open(&dir, &now);
    let sec = Actor::Secretariat { name: "Ana".into() };
    let info = ProcessInfo { title: "Ocean data".into(), public: true, ..Default::default() };
    ws.execute("ocean", sec.clone(), Action::CreateProcess { info }, None).await.unwrap();
    create_account(&ws, "ana", PASSWORD, &sec, Some("ocean".into())).await.unwrap();
    Fixture { app: app(ws), now, dir }
}

fn at(last: u8) -> SocketAddr {
    SocketAddr::new(IpAddr::from([192, 0, 2, last]), 40_000)
}

struct Answer {
    status: StatusCode,
    retry_after: Option<u64>,
    body: String,
}

/// One login through the form from `from`: the form's page first (for its
/// CSRF cookie and token), then the POST.
async fn login(app: &axum::Router, from: SocketAddr, user: &str, password: &str) -> Answer {
    let page = app
        .clone()
        .oneshot(Request::get("/login").extension(ConnectInfo(from)).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let cookie = page
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.split(';').next().filter(|kv| kv.starts_with("accord_csrf=")))
        .unwrap()
        .to_string();
    let html =
        String::from_utf8(axum::body::to_bytes(page.into_body(), 1 << 20).await.unwrap().to_vec()).unwrap();
    let csrf = html.split("name=\"csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap();
    let form = format!("csrf={csrf}&username={user}&password={}&next=/", password.replace(' ', "+"));
    let req = Request::post("/login")
        .extension(ConnectInfo(from))
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let retry_after = res.headers().get(header::RETRY_AFTER).and_then(|v| v.to_str().ok()?.parse().ok());
    let body =
        String::from_utf8_lossy(&axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap()).into_owned();
    Answer { status, retry_after, body }
}

#[tokio::test]
async fn mistyping_slows_the_address_only_and_the_wait_is_said() {
    let f = fixture().await;
    for _ in 0..5 {
        assert_eq!(login(&f.app, at(1), "ana", "wrong password").await.status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password waits now, from that address...
    let a = login(&f.app, at(1), "ana", PASSWORD).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.body);
    assert_eq!(a.retry_after, Some(1));
    assert!(a.body.contains("try again in 1 seconds"), "{}", a.body);
    // ...but not from another one.
    assert_eq!(login(&f.app, at(2), "ana", PASSWORD).await.status, StatusCode::SEE_OTHER);
    // After the wait, the first address may try again; a success clears it.
    f.now.fetch_add(1_000, Ordering::Relaxed);
    assert_eq!(login(&f.app, at(1), "ana", PASSWORD).await.status, StatusCode::SEE_OTHER);
    assert_eq!(login(&f.app, at(1), "ana", "wrong password").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn guessing_from_many_addresses_cannot_lock_the_owner_out() {
    let f = fixture().await;
    // Ana has logged in from her laptop before.
    assert_eq!(login(&f.app, at(1), "ana", PASSWORD).await.status, StatusCode::SEE_OTHER);
    // A guesser tries her account from 20 addresses, once each (the
    // per-address allowance is never reached).
    for i in 0..20 {
        let from = SocketAddr::new(IpAddr::from([198, 51, 100, i]), 50_000);
        assert_eq!(login(&f.app, from, "ana", "guess").await.status, StatusCode::UNAUTHORIZED);
    }
    // A new address now waits for this account...
    let from = SocketAddr::new(IpAddr::from([203, 0, 113, 9]), 50_000);
    let a = login(&f.app, from, "ana", "guess").await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.body);
    assert!(a.retry_after.is_some_and(|s| s >= 1));
    // ...and Ana, from her known address, logs in.
    assert_eq!(login(&f.app, at(1), "ana", PASSWORD).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn spraying_many_names_from_one_address_is_slowed() {
    let f = fixture().await;
    let sprayer = at(66);
    for i in 0..50 {
        let a = login(&f.app, sprayer, &format!("user{i}"), "Winter2026!").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let a = login(&f.app, sprayer, "user50", "Winter2026!").await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    // The rest of the venue is not slowed.
    assert_eq!(login(&f.app, at(67), "ana", PASSWORD).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_login_the_store_cannot_record_is_a_503() {
    let f = fixture().await;
    let db = store_path(&f.dir);
    let Some(_guard) = common::immutable(&db) else { return };
    let app = app(open(&f.dir, &f.now));
    let a = login(&app, at(1), "ana", PASSWORD).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE, "{}", a.body);
    assert!(a.body.contains("cannot record the session"), "{}", a.body);
    // A wrong password that cannot be counted is not answered either: an
    // uncounted guess would be a free one (and 401 against 503 would tell a
    // guesser which password is right).
    assert_eq!(login(&app, at(1), "ana", "wrong password").await.status, StatusCode::SERVICE_UNAVAILABLE);
}
