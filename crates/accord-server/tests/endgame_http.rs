//! The end game through the HTTP API in process, with a clock the test
//! moves: the whole silence procedure unbroken (everything agreed, adoption
//! succeeds, the process read-only), broken on two paragraphs by two
//! delegations (reopened, adoption refused naming them, a break one second
//! late refused), the deadline for textual proposals, and a replay of the
//! log (the store reopened) reaching the same state.

mod common;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use accord_core::negotiation::Actor;
use accord_server::{app, Workspace};
use accord_store::Sqlite;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{send, store_path, Answer};
use serde_json::{json, Value};

/// 2026-12-01T12:00:00Z.
const START: i64 = 1_796_126_400_000;
const HOUR: i64 = 3_600_000;

/// A draft with a preamble and four operative paragraphs, no brackets.
const CLEAN: &str = "Preamble\n\n1. Recalling its resolution 70/1,\n\n2. Noting the report,\n\n\
Operative\n\n3. Decides to act by 2030.\n\n4. Requests a report in due course.\n\n\
5. Invites all States to contribute.\n\n6. Decides to remain seized of the matter.\n";

/// The application on a store, with the clock the test holds.
struct Endgame {
    app: axum::Router,
    ws: Arc<Workspace>,
    now: Arc<AtomicI64>,
    admin: String,
    cofac: String,
    alpha: String,
    beta: String,
    gamma: String,
    observer: String,
    dir: tempfile::TempDir,
}

fn open(dir: &tempfile::TempDir, now: &Arc<AtomicI64>) -> Arc<Workspace> {
    let store = Sqlite::open(&store_path(dir)).unwrap();
    let clock = now.clone();
    Workspace::open_with_clock(Box::new(store), Box::new(move || clock.load(Ordering::SeqCst))).unwrap()
}

impl Endgame {
    /// Process `p` with co-facilitator Norland, delegations alpha, beta and
    /// gamma, an observer, and the clean draft circulated.
    async fn new(p: &str) -> Endgame {
        let dir = tempfile::tempdir().unwrap();
        let now = Arc::new(AtomicI64::new(START));
        let ws = open(&dir, &now);
        let token = |a: Actor| {
            let ws = ws.clone();
            let p = p.to_string();
            async move { ws.create_token(Some(p), &a, "t").await.unwrap() }
        };
        let admin = ws.create_token(None, &Actor::Secretariat { name: "Test".into() }, "t").await.unwrap();
        let cofac = token(Actor::CoFacilitator { name: "Norland".into() }).await;
        let alpha = token(Actor::Delegation { delegation: "alpha".into() }).await;
        let beta = token(Actor::Delegation { delegation: "beta".into() }).await;
        let gamma = token(Actor::Delegation { delegation: "gamma".into() }).await;
        let observer = token(Actor::Observer { name: "Watcher".into() }).await;
        let e = Endgame { app: app(ws.clone()), ws, now, admin, cofac, alpha, beta, gamma, observer, dir };
        let admin = e.admin.clone();
        let body = json!({"id": p, "title": "Test", "co_facilitators": ["Norland"], "public": false});
        e.ok("POST", "/api/processes", &admin, body).await;
        for d in ["alpha", "beta", "gamma"] {
            let body = json!({"id": d, "name": d.to_uppercase(), "kind": "member-state"});
            e.ok("POST", &format!("/api/processes/{p}/participants"), &admin, body).await;
        }
        let draft = json!({"label": "Rev.2", "text": CLEAN, "publication": "circulated"});
        e.ok("POST", &format!("/api/processes/{p}/drafts"), &admin, draft).await;
        e
    }

    fn set_clock(&self, ms: i64) {
        self.now.store(ms, Ordering::SeqCst);
    }

    async fn call(&self, method: &str, path: &str, token: Option<&str>, body: Value) -> Answer {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let req = if body.is_null() {
            req.body(Body::empty())
        } else {
            req.header("content-type", "application/json").body(Body::from(body.to_string()))
        };
        send(&self.app, req.unwrap()).await
    }

    /// A request that must succeed.
    async fn ok(&self, method: &str, path: &str, token: &str, body: Value) -> Value {
        let a = self.call(method, path, Some(token), body).await;
        assert!(a.status.is_success(), "{method} {path}: {} {}", a.status, a.body);
        a.body
    }

    /// A request that must be refused with `status`; its error message.
    async fn refused(&self, method: &str, path: &str, token: &str, body: Value, status: StatusCode) -> Value {
        let a = self.call(method, path, Some(token), body).await;
        assert_eq!(a.status, status, "{method} {path}: {}", a.body);
        a.body["error"].clone()
    }
}

fn paragraph_statuses(working: &Value) -> Vec<(String, String)> {
    working["paragraphs"]
        .as_array()
        .expect("the working text has paragraphs")
        .iter()
        .map(|p| (p["id"].as_str().unwrap().to_string(), p["status"].as_str().unwrap_or("").to_string()))
        .collect()
}

#[tokio::test]
async fn silence_unbroken_agrees_everything_and_adoption_succeeds() {
    let e = Endgame::new("quiet").await;
    let cofac = e.cofac.clone();
    let fp = json!({"participant": "delegation:beta", "focal_points": [{"name": "Bo", "email": "bo@beta.example"}]});
    e.ok("POST", "/api/processes/quiet/focal-points", &e.beta, fp).await;
    // Nothing yet: no silence to report.
    let none =
        e.refused("GET", "/api/processes/quiet/silence", &cofac, Value::Null, StatusCode::NOT_FOUND).await;
    assert!(none["message"].as_str().unwrap().contains("never been under silence"), "{none}");
    // A delegation may not place the text under silence.
    let until = "2026-12-01T09:00:00-05:00"; // START + 2 hours
    e.refused(
        "POST",
        "/api/processes/quiet/silence",
        &e.alpha,
        json!({"until": until}),
        StatusCode::FORBIDDEN,
    )
    .await;
    e.ok("POST", "/api/processes/quiet/silence", &cofac, json!({"until": until})).await;
    let s = e.ok("GET", "/api/processes/quiet/silence", &e.observer, Value::Null).await;
    assert_eq!(s["state"], "running", "{s}");
    assert_eq!(s["until"], "2026-12-01T09:00:00-05:00", "{s}");
    assert!(s["until_local"].as_str().unwrap().contains("(America/New_York)"), "{s}");
    assert_eq!(s["breaks"], json!([]));
    // Under silence the text is frozen: adoption is refused, saying why.
    e.set_clock(START + HOUR);
    let early =
        e.refused("POST", "/api/processes/quiet/adopt", &cofac, json!({}), StatusCode::CONFLICT).await;
    assert!(early["message"].as_str().unwrap().contains("under silence"), "{early}");

    // The deadline passes: the reader sees it passed before any event.
    e.set_clock(START + 2 * HOUR);
    let s = e.ok("GET", "/api/processes/quiet/silence", &cofac, Value::Null).await;
    assert_eq!(s["state"], "passed", "{s}");
    let end = e.ok("GET", "/api/processes/quiet/endgame", &cofac, Value::Null).await;
    assert_eq!(end["silence"]["state"], "passed", "{end}");
    assert_eq!(end["time_zone"], "America/New_York");
    // Every paragraph is agreed, as readers see it before any later event.
    let working = e.ok("GET", "/api/processes/quiet/working", &cofac, Value::Null).await;
    let statuses = paragraph_statuses(&working);
    assert_eq!(statuses.len(), 6, "{working}");
    for (id, status) in statuses {
        assert_eq!(status, "agreed", "paragraph {id} after an unbroken silence: {working}");
    }
    let ready = e.ok("GET", "/api/processes/quiet/readiness", &cofac, Value::Null).await;
    assert_eq!(ready["working"]["ready"], true, "{ready}");
    let adopted =
        e.ok("POST", "/api/processes/quiet/adopt", &cofac, json!({"date": "16 December 2026"})).await;
    assert!(adopted.is_object(), "{adopted}");
    let end = e.ok("GET", "/api/processes/quiet/endgame", &cofac, Value::Null).await;
    assert_eq!(end["adoption"]["by"], "co-facilitator:Norland", "{end}");
    let draft = end["adoption"]["draft"].as_str().unwrap().to_string();
    let text = e.ok("GET", &format!("/api/processes/quiet/drafts/{draft}"), &cofac, Value::Null).await;
    assert!(text.to_string().contains("Text as adopted – 16 December 2026"), "{text}");
    // Beta's focal point was told of the silence and of the adoption, with the adopted draft.
    let out = e.ok("GET", "/api/processes/quiet/outbox", &cofac, Value::Null).await;
    let kinds: Vec<(&str, &str)> = out["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["kind"].as_str().unwrap(), m["draft"].as_str().unwrap()))
        .collect();
    assert_eq!(kinds, [("silence-started", "d1"), ("adopted", draft.as_str())], "{out}");
    // Read-only from now on, everywhere.
    let later = e
        .refused(
            "POST",
            "/api/processes/quiet/deadline",
            &cofac,
            json!({"until": "2030-01-01T00:00Z"}),
            StatusCode::CONFLICT,
        )
        .await;
    assert!(later["message"].as_str().unwrap().contains("read-only"), "{later}");
    replay_reaches_the_same_state(e, "quiet").await;
}

#[tokio::test]
async fn silence_broken_by_two_delegations_reopens_and_blocks_adoption() {
    let e = Endgame::new("loud").await;
    let cofac = e.cofac.clone();
    let until = START + 2 * HOUR;
    e.ok("POST", "/api/processes/loud/silence", &cofac, json!({"until": "2026-12-01T14:00:00Z"})).await;
    let breaks = "/api/processes/loud/silence/breaks";
    // A co-facilitator does not break silence; a delegation names paragraphs it has.
    e.refused("POST", breaks, &cofac, json!({"paragraphs": ["3"], "reason": "No."}), StatusCode::FORBIDDEN)
        .await;
    let unknown =
        e.call("POST", breaks, Some(&e.alpha), json!({"paragraphs": ["99"], "reason": "No such."})).await;
    assert!(unknown.status.is_client_error(), "{}", unknown.body);
    e.set_clock(START + HOUR);
    e.ok("POST", breaks, &e.alpha, json!({"paragraphs": ["3"], "reason": "Too early."})).await;
    // One second before the deadline still counts.
    e.set_clock(until - 1000);
    e.ok("POST", breaks, &e.beta, json!({"paragraphs": ["5"], "reason": "Voluntary."})).await;
    // At the deadline, and one second after it, a break is refused.
    e.set_clock(until);
    let at = e
        .refused(
            "POST",
            breaks,
            &e.gamma,
            json!({"paragraphs": ["6"], "reason": "Late."}),
            StatusCode::CONFLICT,
        )
        .await;
    assert!(at["message"].as_str().unwrap().contains("too late"), "{at}");
    e.set_clock(until + 1000);
    let late = e
        .refused(
            "POST",
            breaks,
            &e.gamma,
            json!({"paragraphs": ["6"], "reason": "Late."}),
            StatusCode::CONFLICT,
        )
        .await;
    assert!(late["message"].as_str().unwrap().contains("too late"), "{late}");

    let s = e.ok("GET", "/api/processes/loud/silence", &e.gamma, Value::Null).await;
    assert_eq!(s["state"], "broken", "{s}");
    let who: Vec<(&str, &str, &str)> = s["breaks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["paragraph"].as_str().unwrap(), b["by"].as_str().unwrap(), b["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(who, [("3", "alpha", "Too early."), ("5", "beta", "Voluntary.")]);
    assert_eq!(s["breaks"][0]["at"], "2026-12-01T08:00:00-05:00", "{s}");

    // Adoption refused, naming both paragraphs, in the message and the list.
    let no = e.refused("POST", "/api/processes/loud/adopt", &cofac, json!({}), StatusCode::CONFLICT).await;
    let message = no["message"].as_str().unwrap();
    assert!(message.contains("3, 5"), "{no}");
    let named: Vec<&str> = no["current"]["obstacles"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["paragraphs"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()))
        .collect();
    assert!(named.contains(&"3") && named.contains(&"5"), "{no}");
    assert!(!named.contains(&"4"), "paragraph 4 was not broken: {no}");
    // The broken paragraphs are reopened, the others agreed.
    let working = e.ok("GET", "/api/processes/loud/working", &cofac, Value::Null).await;
    for (id, status) in paragraph_statuses(&working) {
        let reopened = id == "3" || id == "5";
        assert_eq!(status != "agreed", reopened, "paragraph {id} is {status}: {working}");
    }
    replay_reaches_the_same_state(e, "loud").await;
}

#[tokio::test]
async fn the_deadline_and_time_zone_through_http() {
    let e = Endgame::new("dated").await;
    let cofac = e.cofac.clone();
    e.refused(
        "POST",
        "/api/processes/dated/time-zone",
        &e.alpha,
        json!({"zone": "Europe/Zurich"}),
        StatusCode::FORBIDDEN,
    )
    .await;
    let bad =
        e.call("POST", "/api/processes/dated/time-zone", Some(&cofac), json!({"zone": "Mars/Olympus"})).await;
    assert!(bad.status.is_client_error(), "{}", bad.body);
    e.ok("POST", "/api/processes/dated/time-zone", &cofac, json!({"zone": "Europe/Zurich"})).await;
    // A local time is read in the process's zone: 14:00 in Zurich is 13:00 UTC.
    e.ok("POST", "/api/processes/dated/deadline", &cofac, json!({"until": "2026-12-01T14:00"})).await;
    let end = e.ok("GET", "/api/processes/dated/endgame", &e.observer, Value::Null).await;
    assert_eq!(end["time_zone"], "Europe/Zurich");
    assert_eq!(end["deadline"]["until"], "2026-12-01T14:00:00+01:00", "{end}");
    assert_eq!(end["deadline"]["seconds_left"], 3600, "{end}");
    assert!(end["deadline"]["until_local"].as_str().unwrap().contains("(Europe/Zurich)"), "{end}");
    let table = json!({"paragraph": "3", "edit": {"kind": "replace", "span": [18, 22], "text": "2035"}});
    e.ok("POST", "/api/processes/dated/proposals", &e.alpha, table.clone()).await;
    e.set_clock(START + HOUR);
    let after = e
        .refused(
            "POST",
            "/api/processes/dated/proposals",
            &e.alpha,
            table.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(after["message"].as_str().unwrap().contains("deadline"), "{after}");
    // Lifted: tabling is open again.
    e.ok("POST", "/api/processes/dated/deadline", &cofac, json!({"until": null})).await;
    let end = e.ok("GET", "/api/processes/dated/endgame", &cofac, Value::Null).await;
    assert_eq!(end["deadline"], Value::Null, "{end}");
    e.ok("POST", "/api/processes/dated/proposals", &e.alpha, table).await;
    replay_reaches_the_same_state(e, "dated").await;
}

/// The store reopened (the log replayed) gives the same whole state.
async fn replay_reaches_the_same_state(e: Endgame, p: &str) {
    let path = format!("/api/processes/{p}/state");
    let before = e.ok("GET", &path, &e.admin.clone(), Value::Null).await;
    let silence = e.call("GET", &format!("/api/processes/{p}/silence"), Some(&e.admin), Value::Null).await;
    let Endgame { app, ws, now, admin, dir, .. } = e;
    drop(app);
    drop(ws);
    let ws = open(&dir, &now);
    let again = app_on(ws);
    let after = send(&again, get(&path, &admin)).await;
    assert_eq!(after.status, StatusCode::OK);
    assert_eq!(digest(&before), digest(&after.body), "the replayed state differs");
    assert_eq!(before, after.body);
    let silence_after = send(&again, get(&format!("/api/processes/{p}/silence"), &admin)).await;
    assert_eq!(silence.body, silence_after.body);
}

fn app_on(ws: Arc<Workspace>) -> axum::Router {
    app(ws)
}

fn get(path: &str, token: &str) -> Request<Body> {
    Request::builder()
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

/// A digest of the state's JSON (the "state hash" compared across a replay).
fn digest(v: &Value) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    v.to_string().hash(&mut h);
    h.finish()
}

#[tokio::test]
async fn every_end_game_route_is_documented_with_an_example() {
    let e = Endgame::new("doc").await;
    let doc = e.call("GET", "/api/openapi.json", None, Value::Null).await.body;
    for (path, method) in [
        ("/api/processes/{process}/endgame", "get"),
        ("/api/processes/{process}/silence", "get"),
        ("/api/processes/{process}/time-zone", "post"),
        ("/api/processes/{process}/deadline", "post"),
        ("/api/processes/{process}/silence", "post"),
        ("/api/processes/{process}/silence/breaks", "post"),
        ("/api/processes/{process}/adopt", "post"),
    ] {
        let op = &doc["paths"][path][method];
        assert!(op.is_object(), "{method} {path} undocumented");
        if method == "post" {
            assert!(
                op["requestBody"]["content"]["application/json"]["example"].is_object(),
                "{method} {path}: no example"
            );
        }
    }
}

#[tokio::test]
async fn the_end_game_is_told_to_every_focal_point_that_may_read_it() {
    let e = Endgame::new("told").await;
    let cofac = e.cofac.clone();
    let fp = "/api/processes/told/focal-points";
    let set = |who: &str, name: &str, email: &str| json!({"participant": who, "focal_points": [{"name": name, "email": email}]});
    // A delegation sets its own; not another's; a bad address is refused.
    e.ok("POST", fp, &e.alpha, set("delegation:alpha", "Ana", "ana@alpha.example")).await;
    e.refused("POST", fp, &e.alpha, set("delegation:beta", "Bo", "bo@beta.example"), StatusCode::FORBIDDEN)
        .await;
    e.refused(
        "POST",
        fp,
        &e.beta,
        set("delegation:beta", "Bo", "bo at beta"),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    e.ok("POST", fp, &e.admin, set("delegation:beta", "Bo", "bo@beta.example")).await;
    e.ok("POST", fp, &e.admin, set("observer:Watcher", "Wat", "wat@observer.example")).await;
    e.ok("POST", fp, &e.admin, set("co-facilitator:Norland", "Nora", "nora@norland.example")).await;
    let own = e.ok("GET", fp, &e.alpha, Value::Null).await;
    assert_eq!(
        own,
        json!({"focal_points": [{"participant": "delegation:alpha", "name": "Ana", "email": "ana@alpha.example"}]})
    );
    let all = e.ok("GET", fp, &cofac, Value::Null).await;
    assert_eq!(all["focal_points"].as_array().unwrap().len(), 4, "{all}");

    // A deadline set, then lifted: every reader of the draft is told both.
    e.ok("POST", "/api/processes/told/deadline", &cofac, json!({"until": "2026-12-04T18:00:00-05:00"})).await;
    e.ok("POST", "/api/processes/told/deadline", &cofac, json!({})).await;
    e.ok("POST", "/api/processes/told/silence", &cofac, json!({"until": "2026-12-01T14:00:00Z"})).await;
    e.set_clock(START + HOUR);
    let breaks = "/api/processes/told/silence/breaks";
    e.ok("POST", breaks, &e.alpha, json!({"paragraphs": ["3"], "reason": "Too early."})).await;
    e.refused("GET", "/api/processes/told/outbox", &e.alpha, Value::Null, StatusCode::FORBIDDEN).await;
    let out = e.ok("GET", "/api/processes/told/outbox", &cofac, Value::Null).await;
    let messages = out["messages"].as_array().unwrap();
    let of = |kind: &str| -> Vec<String> {
        let mut to: Vec<String> = messages
            .iter()
            .filter(|m| m["kind"] == kind)
            .map(|m| m["to"]["email"].as_str().unwrap().to_string())
            .collect();
        to.sort();
        to
    };
    // The draft is circulated, not public: the observer hears of none of it.
    let readers = ["ana@alpha.example", "bo@beta.example", "nora@norland.example"];
    assert_eq!(of("silence-started"), readers);
    assert_eq!(of("silence-broken"), readers);
    let deadlines: Vec<&Value> = messages.iter().filter(|m| m["kind"] == "deadline").collect();
    assert_eq!(deadlines.len(), 2 * readers.len(), "set and lifted, to each reader: {out}");
    assert_eq!(
        deadlines[0]["subject"],
        "Test: deadline for textual proposals, Friday 4 December 2026, 18:00 EST (America/New_York)",
        "{out}"
    );
    assert!(deadlines.iter().any(|m| m["subject"] == "Test: deadline for textual proposals lifted"), "{out}");
    let broken = messages.iter().find(|m| m["kind"] == "silence-broken").unwrap();
    assert_eq!(broken["subject"], "Test: silence broken by ALPHA", "{broken}");
    assert!(messages.iter().all(|m| m["state"] == "queued" && m["attempts"] == 0), "{out}");
    let ids: std::collections::BTreeSet<&str> =
        messages.iter().map(|m| m["message_id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), messages.len(), "Message-IDs are unique");
    // A replay keeps the outbox as it is (it is the store's, not derived).
    replay_reaches_the_same_state(e, "told").await;
}
