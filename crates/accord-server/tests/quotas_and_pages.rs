//! Quotas and pages (issue 11, item 2): one delegation's token tabled 1.3
//! million proposals in 30 s, all 201, and every list answered whole. Now
//! an actor's writes beyond a burst and a steady rate are 429 with
//! `Retry-After`, and every list (proposals, events, drafts, sessions) comes
//! a page at a time with the cursor of the next.

mod common;

use std::time::Instant;

use accord_server::{app_with, Limits};
use axum::http::{header, StatusCode};
use common::{fixture, send, Fixture};
use serde_json::{json, Value};

const PROPOSALS: &str = "/api/processes/ocean/proposals";

fn proposal(n: usize) -> Value {
    json!({"paragraph": if n.is_multiple_of(2) { "1" } else { "2" }, "edit": {"kind": "insert", "at": 0, "text": "Also, "}, "rationale": format!("r{n}")})
}

fn post(token: &str, path: &str, body: &Value) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::builder()
        .method("POST")
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn writes_beyond_an_actors_quota_are_429_with_retry_after() {
    let f = fixture().await;
    let app = app_with(f.ws.clone(), Limits { write_burst: 5, writes_per_second: 0.5 });
    for n in 0..5 {
        let a = send(&app, post(&f.delegation, PROPOSALS, &proposal(n))).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    }
    let a = send(&app, post(&f.delegation, PROPOSALS, &proposal(5))).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.body);
    assert_eq!(a.headers.get(header::RETRY_AFTER).map(|v| v.to_str().unwrap()), Some("2"));
    insta::assert_json_snapshot!("too_many_requests", a.body);
    // The quota is the actor's: a co-facilitator still works.
    let status = json!({"status": "agreed-ad-ref", "base_revision": 3});
    let a = send(&app, post(&f.cofac, "/api/processes/ocean/working/2/status", &status)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    // Nothing was recorded for the refused request.
    let list = f.json("GET", PROPOSALS, Some(&f.delegation), Value::Null).await;
    assert_eq!(list.body["proposals"].as_array().map(Vec::len), Some(5));
}

/// The flood of the issue, bounded: one delegation tables as fast as it can;
/// with the default quota only the burst and the steady rate are recorded.
#[tokio::test]
async fn a_flood_of_tablings_is_cut_to_the_default_quota() {
    let f = fixture().await;
    let limits = Limits::default();
    let app = app_with(f.ws.clone(), limits);
    let start = Instant::now();
    let (mut created, mut refused) = (0u64, 0u64);
    for n in 0..1500 {
        let a = send(&app, post(&f.delegation, PROPOSALS, &proposal(n))).await;
        match a.status {
            StatusCode::CREATED => created += 1,
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            other => panic!("{other} {}", a.body),
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let allowed = f64::from(limits.write_burst) + secs * limits.writes_per_second;
    eprintln!("flood: 1500 tablings in {secs:.2} s: {created} created, {refused} refused (429)");
    assert!(created as f64 <= allowed + 1.0, "{created} created, at most {allowed} allowed");
    assert!(created >= u64::from(limits.write_burst), "{created}");
    assert_eq!(created + refused, 1500);
}

async fn page(f: &Fixture, token: &str, path: &str) -> Value {
    let a = f.json("GET", path, Some(token), Value::Null).await;
    assert_eq!(a.status, StatusCode::OK, "{path}: {}", a.body);
    a.body
}

fn ids(v: &Value, list: &str) -> Vec<String> {
    v[list].as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap_or("").to_string()).collect()
}

#[tokio::test]
async fn every_list_comes_a_page_at_a_time() {
    let f = fixture().await;
    for n in 0..7 {
        let a = f.json("POST", PROPOSALS, Some(&f.delegation), proposal(n)).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    }
    // Without a limit: the whole short list, as before, and no next page.
    let all = page(&f, &f.delegation, PROPOSALS).await;
    assert_eq!(ids(&all, "proposals").len(), 7);
    assert_eq!(all["next"], Value::Null);

    let mut seen = Vec::new();
    let mut path = format!("{PROPOSALS}?limit=3");
    let mut pages = 0;
    loop {
        let p = page(&f, &f.delegation, &path).await;
        pages += 1;
        seen.extend(ids(&p, "proposals"));
        match p["next"].as_str() {
            Some(next) => path = format!("{PROPOSALS}?limit=3&after={next}"),
            None => break,
        }
    }
    assert_eq!((pages, seen), (3, ids(&all, "proposals")));

    // A filter and a page together.
    let p = page(&f, &f.delegation, &format!("{PROPOSALS}?paragraph=2&limit=2")).await;
    assert_eq!(ids(&p, "proposals"), vec!["p2", "p4"]);
    assert_eq!(p["next"], "p4");

    // Bad pages are refused in the documented form.
    for bad in ["limit=0", "limit=1001", "after=p99", "limit=many"] {
        let a = f.json("GET", &format!("{PROPOSALS}?{bad}"), Some(&f.delegation), Value::Null).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}: {}", a.body);
        assert!(a.body["error"]["message"].is_string(), "{bad}: {}", a.body);
    }

    // Events: `after` stays the sequence number.
    let events = "/api/processes/ocean/events";
    let first = page(&f, &f.cofac, &format!("{events}?limit=4")).await;
    assert_eq!(first["events"].as_array().map(Vec::len), Some(4));
    assert_eq!(first["next"], 4);
    let rest = page(&f, &f.cofac, &format!("{events}?after=4")).await;
    assert_eq!(rest["events"][0]["seq"], 5, "{rest}");
    assert_eq!(rest["next"], Value::Null);

    // Drafts and sessions too.
    let drafts = page(&f, &f.delegation, "/api/processes/ocean/drafts?limit=1").await;
    assert_eq!((ids(&drafts, "drafts").len(), &drafts["next"]), (1, &Value::Null));
    for day in ["2026-04-14", "2026-04-15"] {
        let s = json!({"date": day, "time": "10:00", "room": "CR 4"});
        let a = f.json("POST", "/api/processes/ocean/sessions", Some(&f.cofac), s).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    }
    let sessions = page(&f, &f.delegation, "/api/processes/ocean/sessions?limit=1").await;
    let next = sessions["next"].as_str().expect("a next page").to_string();
    let more = page(&f, &f.delegation, &format!("/api/processes/ocean/sessions?limit=1&after={next}")).await;
    assert_eq!(more["sessions"].as_array().map(Vec::len), Some(1));
    assert_eq!(more["next"], Value::Null);
}

/// Logs `user` in through the login form; returns the session cookie and
/// the CSRF token of its forms.
async fn web_login(app: &axum::Router, user: &str, password: &str) -> (String, String) {
    let get = |path: &str, cookie: &str| {
        axum::http::Request::builder()
            .uri(path)
            .header(header::COOKIE, cookie)
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let cookie_of = |a: &axum::http::Response<axum::body::Body>, name: &str| {
        a.headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.split(';').next().filter(|kv| kv.starts_with(&format!("{name}="))))
            .map(str::to_string)
    };
    let csrf_in = |html: &str| {
        html.split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("")
            .to_string()
    };
    use tower::ServiceExt;
    let page = app.clone().oneshot(get("/login", "")).await.unwrap();
    let pre = cookie_of(&page, "accord_csrf").unwrap();
    let html = axum::body::to_bytes(page.into_body(), 1 << 20).await.unwrap();
    let csrf = csrf_in(&String::from_utf8_lossy(&html));
    let form = format!("csrf={csrf}&username={user}&password={}&next=/", password.replace(' ', "+"));
    let req = axum::http::Request::post("/login")
        .header(header::COOKIE, pre)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(form))
        .unwrap();
    let done = app.clone().oneshot(req).await.unwrap();
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let session = cookie_of(&done, "accord_session").unwrap();
    let home = app.clone().oneshot(get("/p/ocean", &session)).await.unwrap();
    let html = axum::body::to_bytes(home.into_body(), 1 << 20).await.unwrap();
    (session, csrf_in(&String::from_utf8_lossy(&html)))
}

#[tokio::test]
async fn the_pages_forms_draw_on_the_same_quota_as_the_api() {
    let f = fixture().await;
    let app = app_with(f.ws.clone(), Limits { write_burst: 3, writes_per_second: 0.01 });
    let estoria = accord_core::negotiation::Actor::Delegation { delegation: "estoria".into() };
    let password = "correct horse battery staple";
    accord_workspace::accounts::create_account(&f.ws, "estoria1", password, &estoria, Some("ocean".into()))
        .await
        .unwrap();
    let (session, csrf) = web_login(&app, "estoria1", password).await;
    let table = |n: usize| {
        let form = format!("csrf={csrf}&paragraph=1&kind=insert&text=Also{n}&rationale=r{n}");
        axum::http::Request::post("/p/ocean/proposals")
            .header(header::COOKIE, &session)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(form))
            .unwrap()
    };
    // Two writes by the form, one by the API: the burst of three is spent.
    for n in 0..2 {
        let a = send(&app, table(n)).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "form write {n}: {}", a.body);
    }
    let a = send(&app, post(&f.delegation, PROPOSALS, &proposal(2))).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    // The next form write waits, and says for how long.
    let a = send(&app, table(3)).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.body);
    assert!(a.headers.get(header::RETRY_AFTER).is_some(), "{:?}", a.headers);
    // So does the API.
    let a = send(&app, post(&f.delegation, PROPOSALS, &proposal(4))).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
}
