//! The negotiation workspace through its HTTP interface, against the real
//! `accord serve` binary and its SQLite store: the seed negotiated end to
//! end, replay of the log, a crash test with SIGKILL, and concurrent writers.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

mod common;
use common::*;

fn paragraph<'a>(draft: &'a Value, id: &str) -> &'a Value {
    draft["document"]["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no paragraph {id}"))
}

fn chars(s: &str) -> u32 {
    s.chars().count() as u32
}

fn bracket_count(draft: &Value) -> usize {
    draft["document"]["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["brackets"].as_array().unwrap().iter().filter(|b| b["opens_before"] != true).count())
        .sum()
}

#[test]
fn the_seed_negotiated_end_to_end_through_the_api() {
    let data = temp_dir("e2e");
    let admin = token(&data, None, "secretariat:Test");
    let cofac = token(&data, Some("wsis"), "co-facilitator:Kenya");
    let t: BTreeMap<&str, String> = ["alpha", "beta", "gamma", "delta"]
        .iter()
        .map(|d| (*d, token(&data, Some("wsis"), &format!("delegation:{d}"))))
        .collect();
    let observer = token(&data, Some("wsis"), "observer:Press");
    let server = Server::start(&data);
    let c = Client { addr: &server.addr, process: "wsis" };

    // Create the process and its participants.
    let (st, _) = http(&server.addr, "POST", "/api/processes", Some(&admin), None,
        Some(&json!({"id": "wsis", "title": "WSIS+20 outcome document", "mandate": "resolution 79/xxx", "co_facilitators": ["Kenya", "Albania"]}))).unwrap();
    assert_eq!(st, 201);
    for d in ["alpha", "beta", "gamma", "delta"] {
        c.ok("/participants", &admin, json!({"id": d, "name": d.to_uppercase(), "kind": "member-state"}));
    }
    c.ok(
        "/participants",
        &admin,
        json!({"id": "g77", "name": "Group of 77 and China", "kind": "group", "members": ["beta", "gamma"]}),
    );
    // A delegation cannot register participants.
    assert_eq!(
        c.post("/participants", &t["alpha"], json!({"id": "x", "name": "X", "kind": "member-state"})).0,
        403
    );

    // Import the seed, internal first: delegations cannot see it.
    let seed = std::fs::read_to_string(SEED).unwrap();
    let out =
        c.ok("/drafts", &cofac, json!({"label": "Zero draft", "text": seed, "publication": "internal"}));
    assert_eq!(out["draft"], "d1");
    assert_eq!(c.get("/drafts/d1", &t["alpha"]).0, 404);
    c.ok("/drafts/d1/publication", &cofac, json!({"publication": "circulated"}));
    assert_eq!(c.get("/drafts/d1", &observer).0, 404, "observers read only what is public");
    let (st, d1) = c.get("/drafts/d1", &t["alpha"]);
    assert_eq!(st, 200);
    let d1_paragraphs = d1["document"]["paragraphs"].as_array().unwrap().len();
    assert_eq!(d1_paragraphs, accord_core::parse(&seed).paragraphs.len());

    // Choose targets from the draft itself.
    let paras = d1["document"]["paragraphs"].as_array().unwrap();
    let with_bracket = paras
        .iter()
        .filter(|p| !["12", "20", "30", "31", "50"].contains(&p["id"].as_str().unwrap()))
        .find(|p| {
            p["brackets"]
                .as_array()
                .unwrap()
                .iter()
                .any(|b| b["opens_before"] != true && b["closes_after"] != true && b["depth"] == 1)
        })
        .unwrap();
    let a = with_bracket["id"].as_str().unwrap().to_string();
    let b0 = &with_bracket["brackets"][0];
    let (bs, be) = (b0["start"].as_u64().unwrap() as u32, b0["end"].as_u64().unwrap() as u32);
    let p12 = paragraph(&d1, "12")["text"].as_str().unwrap().to_string();
    let p20 = paragraph(&d1, "20")["text"].as_str().unwrap().to_string();
    let first_word = p20.split(' ').next().unwrap();
    let last_paragraph: u32 = paras.iter().filter_map(|p| p["number"].as_str()?.parse().ok()).max().unwrap();
    let doomed = (last_paragraph - 5).to_string();

    // Proposals from three delegations and a group.
    let p1 = c.ok("/proposals", &t["alpha"], json!({"paragraph": a, "edit": {"kind": "delete", "span": [bs, be]}, "rationale": "<script>alert(1)</script>"}));
    let p2 = c.ok("/proposals", &t["beta"], json!({"paragraph": "12", "on_behalf_of": "g77", "edit": {"kind": "insert", "at": chars(&p12) - 1, "text": " and inclusive"}}));
    let p3 = c.ok("/proposals", &t["gamma"], json!({"paragraph": "20", "edit": {"kind": "replace", "span": [0, chars(first_word)], "text": "Moreover"}}));
    let p4 = c.ok("/proposals", &t["delta"], json!({"paragraph": "30", "edit": {"kind": "add-paragraph", "text": "We agree to review progress every two years."}}));
    let p5 = c.ok(
        "/proposals",
        &t["gamma"],
        json!({"paragraph": doomed, "on_behalf_of": "g77", "edit": {"kind": "delete-paragraph"}}),
    );
    let p6 = c.ok(
        "/proposals",
        &t["delta"],
        json!({"paragraph": "50", "edit": {"kind": "bracket", "span": [0, 5]}}),
    );
    let ids: Vec<&str> =
        [&p1, &p2, &p3, &p4, &p5, &p6].iter().map(|o| o["proposal"].as_str().unwrap()).collect();
    assert_eq!(ids, ["p1", "p2", "p3", "p4", "p5", "p6"]);
    // Acting in another's name, or on a paragraph that is not there, or malformed: refused, nothing recorded.
    assert_eq!(
        c.post(
            "/proposals",
            &t["alpha"],
            json!({"paragraph": "12", "on_behalf_of": "g77", "edit": {"kind": "delete-paragraph"}})
        )
        .0,
        403
    );
    assert_eq!(
        c.post("/proposals", &t["alpha"], json!({"paragraph": "9999", "edit": {"kind": "delete-paragraph"}}))
            .0,
        404
    );
    let (st, err) = c.post(
        "/proposals",
        &t["alpha"],
        json!({"paragraph": "12", "edit": {"kind": "delete", "span": [5, 99999]}}),
    );
    assert_eq!(st, 422, "{err}");
    let (st, err) =
        http(&server.addr, "POST", "/api/processes/wsis/proposals", Some(&t["alpha"]), None, None).unwrap();
    assert_eq!(st, 400, "{err}");
    assert_eq!(err["error"]["code"], "bad-request");
    assert_eq!(
        c.post("/proposals", &cofac, json!({"paragraph": "12", "edit": {"kind": "delete-paragraph"}})).0,
        403
    );

    // Support and opposition.
    c.ok("/proposals/p1/support", &t["beta"], json!({}));
    c.ok("/proposals/p1/support", &t["gamma"], json!({"on_behalf_of": "g77"}));
    c.ok("/proposals/p3/oppose", &t["delta"], json!({}));
    c.ok("/proposals/p4/support", &t["alpha"], json!({}));
    assert_eq!(
        c.post("/proposals/p1/support", &t["alpha"], json!({})).0,
        422,
        "an author does not support itself"
    );

    // A session, and the decisions taken in it.
    let s = c.ok(
        "/sessions",
        &cofac,
        json!({"date": "2026-12-01", "time": "10:00", "room": "CR 4", "agenda": [a, "12", "20", "30"]}),
    );
    assert_eq!(s["session"], "s1");
    let revision = |pid: &str| c.get(&format!("/proposals/{pid}"), &cofac).1["revision"].as_u64().unwrap();
    for pid in ["p1", "p2", "p4", "p5"] {
        c.ok(
            &format!("/proposals/{pid}/decide"),
            &cofac,
            json!({"decision": "accept", "base_revision": revision(pid), "session": "s1"}),
        );
    }
    c.ok(
        "/proposals/p3/decide",
        &cofac,
        json!({"decision": "set-aside", "base_revision": revision("p3"), "session": "s1"}),
    );
    assert_eq!(
        c.post("/proposals/p3/decide", &t["alpha"], json!({"decision": "accept", "base_revision": 1})).0,
        403
    );
    let working = c.get("/working", &cofac).1;
    let rev12 = working["paragraphs"].as_array().unwrap().iter().find(|p| p["id"] == "12").unwrap()
        ["revision"]
        .as_u64()
        .unwrap();
    c.ok("/working/12/status", &cofac, json!({"status": "agreed", "base_revision": rev12, "session": "s1"}));
    // The same change from a stale revision is a conflict that carries the current paragraph.
    let (st, conflict) =
        c.post("/working/12/status", &cofac, json!({"status": "open", "base_revision": rev12}));
    assert_eq!(st, 409);
    assert_eq!(conflict["error"]["current"]["status"], "agreed");
    assert!(conflict["error"]["current"]["text"].as_str().unwrap().contains(" and inclusive"));
    c.ok(
        "/sessions/s1/decisions",
        &cofac,
        json!({"text": "Paragraph 20 to be discussed again.", "paragraphs": ["20"]}),
    );
    assert_eq!(c.get("/working", &t["alpha"]).0, 403);

    // The next revision.
    let out = c.ok(
        "/revisions",
        &cofac,
        json!({"label": "Rev.1", "date": "1 December 2026", "publication": "circulated"}),
    );
    assert_eq!(out["draft"], "d2");
    let d2 = c.get("/drafts/d2", &t["alpha"]).1;
    let d2_paras = d2["document"]["paragraphs"].as_array().unwrap();
    assert_eq!(d2_paras.len(), d1_paragraphs, "one paragraph added, one deleted");
    // Numbering: consecutive, restarting only where the zero draft restarted.
    let numbers: Vec<u32> = d2_paras
        .iter()
        .filter(|p| p["parent"].is_null())
        .filter_map(|p| p["number"].as_str()?.parse().ok())
        .collect();
    for w in numbers.windows(2) {
        assert!(w[1] == w[0] + 1 || w[1] == 1, "numbering {w:?}");
    }
    let text_of = |id: &str| paragraph(&d2, id)["text"].as_str().unwrap().to_string();
    assert!(!text_of(&a).contains(b0["text"].as_str().unwrap()), "p1 deleted the bracket");
    let last = p12.chars().last().unwrap();
    assert_eq!(text_of("12"), format!("{} and inclusive{last}", &p12[..p12.len() - last.len_utf8()]));
    assert_eq!(paragraph(&d2, "12")["status"], "agreed");
    assert_eq!(
        text_of("31"),
        "We agree to review progress every two years.",
        "p4 added after 30, numbered 31"
    );
    assert!(text_of("20").starts_with(first_word), "p3 was set aside");
    assert!(
        d2_paras.iter().all(|p| p["text"] != paragraph(&d1, &doomed)["text"]),
        "p5 deleted its paragraph"
    );
    let d1_bracket_count = bracket_count(&d1);
    let doomed_brackets = paragraph(&d1, &doomed)["brackets"].as_array().unwrap().len();
    assert_eq!(bracket_count(&d2), d1_bracket_count - 1 - doomed_brackets);
    let letter = &d2["document"]["letters"][0];
    assert_eq!(letter["sender"], "Kenya");
    let body = letter["body"].to_string();
    assert!(body.contains("Rev.1") && body.contains("proposal 4 (DELTA"), "{body}");

    // Lineage: every proposal knows where it stands.
    let proposals = c.get("/proposals", &t["alpha"]).1["proposals"].as_array().unwrap().clone();
    let by_id = |id: &str| proposals.iter().find(|p| p["id"] == id).unwrap().clone();
    for id in ["p1", "p2", "p4", "p5"] {
        assert_eq!(by_id(id)["state"], "accepted");
        assert_eq!(by_id(id)["incorporated_in"], "d2");
    }
    assert_eq!(by_id("p3")["state"], "set-aside");
    assert_eq!(by_id("p3")["current"], json!(["d2", "20"]));
    assert_eq!(by_id("p6")["state"], "live");
    assert_eq!(
        by_id("p6")["current"],
        json!(["d2", "51"]),
        "50 renumbered 51 after the paragraph added after 30"
    );
    assert_eq!(by_id("p5")["current"], Value::Null, "its paragraph is gone");
    // The compilation text shows the live proposal on its renumbered paragraph, attributed.
    let compilation = c.get("/compilation", &t["beta"]).1;
    let on51 =
        compilation["paragraphs"].as_array().unwrap().iter().find(|p| p["paragraph"]["id"] == "51").unwrap();
    assert_eq!(on51["proposals"][0]["id"], "p6");
    assert_eq!(on51["proposals"][0]["author_name"], "DELTA");

    // Readiness of the revision, and its burn-down.
    let r = c.get("/readiness", &cofac).1;
    assert_eq!(r["draft"], "d2");
    assert_eq!(r["readiness"]["ready"], false);
    assert_eq!(r["readiness"]["counts"]["brackets"].as_u64().unwrap() as usize, bracket_count(&d2));
    assert_eq!(r["readiness"]["counts"]["total"].as_u64().unwrap() as usize, d2_paras.len());
    let burn = r["burn_down"].as_array().unwrap();
    assert!(burn.len() >= 3);
    assert_eq!(burn[0]["brackets"].as_u64().unwrap() as usize, d1_bracket_count);
    assert_eq!(burn.last().unwrap()["brackets"].as_u64().unwrap() as usize, bracket_count(&d2));
    let sessions = c.get("/sessions", &t["alpha"]).1;
    assert_eq!(sessions["sessions"][0]["decisions"].as_array().unwrap().len(), 7);

    // History: replaying the log from empty rebuilds exactly the current state.
    let live = c.get("/state", &admin).1;
    let events: Vec<accord_core::negotiation::Event> =
        serde_json::from_value(c.get("/events", &cofac).1["events"].clone()).unwrap();
    // The log holds the produced revision's text itself, not a recipe for it.
    let produced = events
        .iter()
        .find_map(|e| match &e.action {
            accord_core::negotiation::Action::ProduceRevision { canonical, lineage, .. } => {
                Some((canonical, lineage))
            }
            _ => None,
        })
        .unwrap();
    assert!(produced.0.as_deref().is_some_and(accord_core::canonical::is_canonical));
    assert_eq!(produced.1.as_ref().unwrap().get("50"), Some(&Some("51".to_string())));
    let replayed = accord_core::negotiation::ProcessState::replay("wsis", &events).unwrap();
    assert_eq!(serde_json::to_value(&replayed).unwrap(), live);
    // And so does a restarted server, from its store.
    drop(server);
    let server = Server::start(&data);
    let again = http(&server.addr, "GET", "/api/processes/wsis/state", Some(&admin), None, None).unwrap().1;
    assert_eq!(again, live);
}

#[test]
fn acknowledged_proposals_survive_sigkill_and_none_is_recorded_twice() {
    let data = temp_dir("crash");
    let admin = token(&data, None, "secretariat:Test");
    let cofac = token(&data, Some("crash"), "co-facilitator:A");
    // Ten delegations take turns: a fast run acknowledges thousands of
    // proposals, more than one delegation may hold on a draft (2,000).
    let dels: Vec<String> =
        (0..10).map(|d| token(&data, Some("crash"), &format!("delegation:d{d}"))).collect();
    {
        let server = Server::start(&data);
        let c = Client { addr: &server.addr, process: "crash" };
        let (st, _) = http(
            &server.addr,
            "POST",
            "/api/processes",
            Some(&admin),
            None,
            Some(&json!({"id": "crash", "title": "Crash test", "co_facilitators": ["A"]})),
        )
        .unwrap();
        assert_eq!(st, 201);
        for d in 0..10 {
            c.ok(
                "/participants",
                &admin,
                json!({"id": format!("d{d}"), "name": format!("D{d}"), "kind": "member-state"}),
            );
        }
        c.ok("/drafts", &cofac, json!({"label": "Zero draft", "text": "1. We agree.\n\n2. We act [now].\n", "publication": "circulated"}));
    }
    let rounds: u64 = std::env::var("ACCORD_CRASH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(100);
    let mut acknowledged: HashSet<u64> = HashSet::new();
    let mut key = 0u64;
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..rounds {
        let mut server = Server::start(&data);
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let pid = server.child.id();
        let delay = Duration::from_millis(5 + rng % 120);
        let killer = std::thread::spawn(move || {
            std::thread::sleep(delay);
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        });
        loop {
            let body = json!({"paragraph": "2", "edit": {"kind": "insert", "at": 0, "text": "Also, "}, "rationale": format!("k{key}")});
            match http(
                &server.addr,
                "POST",
                "/api/processes/crash/proposals",
                // The same key always by the same delegation: a retry is one request.
                Some(&dels[(key % 10) as usize]),
                Some(&format!("k{key}")),
                Some(&body),
            ) {
                Ok((201, _)) => {
                    acknowledged.insert(key);
                    key += 1;
                }
                Ok((503, _)) => {}
                Ok((status, v)) => panic!("unexpected {status} {v}"),
                // The server died: retry the same key in the next round.
                Err(_) => break,
            }
        }
        killer.join().unwrap();
        server.kill();
    }
    let server = Server::start(&data);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    // The list comes a page at a time: follow `next` to the end.
    let mut path = "/api/processes/crash/proposals".to_string();
    loop {
        let list = http(&server.addr, "GET", &path, Some(&dels[0]), None, None).unwrap().1;
        for p in list["proposals"].as_array().unwrap() {
            *seen.entry(p["rationale"].as_str().unwrap().to_string()).or_default() += 1;
        }
        match list["next"].as_str() {
            Some(cursor) => path = format!("/api/processes/crash/proposals?after={cursor}"),
            None => break,
        }
    }
    assert!(acknowledged.len() as u64 >= rounds, "too few acknowledged proposals: {}", acknowledged.len());
    for k in &acknowledged {
        assert_eq!(seen.get(&format!("k{k}")), Some(&1), "acknowledged proposal k{k} lost or doubled");
    }
    assert!(seen.values().all(|&n| n == 1), "a proposal was recorded twice");
    eprintln!(
        "crash test: {rounds} SIGKILLs, {} proposals acknowledged, {} recorded",
        acknowledged.len(),
        seen.len()
    );
}

#[test]
fn concurrent_writers_lose_no_update_and_conflicts_are_reported() {
    let data = temp_dir("concurrency");
    let admin = token(&data, None, "secretariat:Test");
    let cofacs: Vec<String> = (0..8).map(|_| token(&data, Some("conc"), "co-facilitator:A")).collect();
    let del = token(&data, Some("conc"), "delegation:alpha");
    let server = Server::start(&data);
    let addr = server.addr.clone();
    let c = Client { addr: &addr, process: "conc" };
    http(
        &addr,
        "POST",
        "/api/processes",
        Some(&admin),
        None,
        Some(&json!({"id": "conc", "title": "Concurrency", "co_facilitators": ["A"]})),
    )
    .unwrap();
    c.ok("/participants", &admin, json!({"id": "alpha", "name": "Alpha", "kind": "member-state"}));
    c.ok(
        "/drafts",
        &cofacs[0],
        json!({"label": "Zero draft", "text": "1. Start.\n\n2. Other.\n", "publication": "circulated"}),
    );

    const EDITS: usize = 6;
    let threads: Vec<_> = cofacs
        .iter()
        .enumerate()
        .map(|(t, token)| {
            let (addr, token, del) = (addr.clone(), token.clone(), del.clone());
            std::thread::spawn(move || {
                let c = Client { addr: &addr, process: "conc" };
                let mut conflicts = 0;
                for i in 0..EDITS {
                    loop {
                        let working = c.get("/working", &token).1;
                        let p = &working["paragraphs"][0];
                        let (text, rev) = (p["text"].as_str().unwrap(), p["revision"].as_u64().unwrap());
                        let body = json!({"text": format!("{text} m{t}x{i}"), "base_revision": rev});
                        match c.post("/working/1/compromise", &token, body) {
                            (200, _) => break,
                            (409, v) => {
                                assert!(v["error"]["current"]["text"].is_string());
                                conflicts += 1;
                            }
                            (s, v) => panic!("{s} {v}"),
                        }
                    }
                    // Meanwhile delegations table proposals: none may be lost either.
                    c.ok("/proposals", &del, json!({"paragraph": "2", "edit": {"kind": "delete-paragraph"}}));
                }
                conflicts
            })
        })
        .collect();
    let conflicts: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    let working = c.get("/working", &cofacs[0]).1;
    let text = working["paragraphs"][0]["text"].as_str().unwrap();
    for t in 0..cofacs.len() {
        for i in 0..EDITS {
            assert!(text.contains(&format!("m{t}x{i}")), "edit m{t}x{i} lost: {text}");
        }
    }
    let proposals = c.get("/proposals", &del).1["proposals"].as_array().unwrap().len();
    assert_eq!(proposals, cofacs.len() * EDITS);
    eprintln!(
        "concurrency: {} edits by {} writers, {conflicts} conflicts reported and retried",
        cofacs.len() * EDITS,
        cofacs.len()
    );
}

#[test]
fn the_openapi_document_describes_the_routes() {
    let data = temp_dir("openapi");
    let server = Server::start(&data);
    let (st, doc) = http(&server.addr, "GET", "/api/openapi.json", None, None, None).unwrap();
    assert_eq!(st, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    for (path, method) in [
        ("/api/processes", "post"),
        ("/api/processes/{process}/proposals", "post"),
        ("/api/processes/{process}/proposals/{proposal}/decide", "post"),
        ("/api/processes/{process}/revisions", "post"),
        ("/api/processes/{process}/compilation", "get"),
        ("/api/processes/{process}/readiness", "get"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path} undocumented");
    }
    // An unknown route answers JSON too.
    let (st, v) = http(&server.addr, "GET", "/api/nowhere", None, None, None).unwrap();
    assert_eq!((st, v["error"]["code"].as_str()), (404, Some("not-found")));
}

#[test]
fn the_workspace_runs_on_postgresql_when_a_server_is_given() {
    let Ok(url) = std::env::var("ACCORD_TEST_POSTGRES_URL") else {
        // CI must run it: a missing server there is a failure, not a pass.
        if std::env::var_os("CI").is_some() {
            panic!("CI is set but ACCORD_TEST_POSTGRES_URL is not: the PostgreSQL workspace test cannot run");
        }
        eprintln!("skipping the PostgreSQL workspace test: ACCORD_TEST_POSTGRES_URL is not set (with CI set this fails)");
        return;
    };
    // A database of its own: other tests leave rows in theirs that are no
    // negotiation (the store's conformance test writes bare payloads).
    let url = fresh_database(&url, &format!("accord_workspace_pg_{}", std::process::id()));
    let data = temp_dir("pg");
    let process = format!(
        "pg-{}-{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()
    );
    let tok = |p: Option<&str>, actor: &str| {
        let mut cmd = accord();
        cmd.args(["token", "create", "--as", actor, "--database-url", &url]);
        if let Some(p) = p {
            cmd.args(["--process", p]);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let admin = tok(None, "secretariat:Test");
    let cofac = tok(Some(&process), "co-facilitator:A");
    let del = tok(Some(&process), "delegation:alpha");
    let start = || {
        let mut child = accord()
            .args(["serve", "--addr", "127.0.0.1:0", "--database-url", &url, "--data-dir"])
            .arg(&data)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let addr = loop {
            let line = lines.next().expect("server exited").unwrap();
            if let Some(rest) = line.split("http://").nth(1) {
                break rest.split('/').next().unwrap().to_string();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        Server { child, addr, stderr: Vec::new() }
    };
    let server = start();
    let c = Client { addr: &server.addr, process: &process };
    let (st, _) = http(
        &server.addr,
        "POST",
        "/api/processes",
        Some(&admin),
        None,
        Some(&json!({"id": process, "title": "On PostgreSQL", "co_facilitators": ["A"]})),
    )
    .unwrap();
    assert_eq!(st, 201);
    c.ok("/participants", &admin, json!({"id": "alpha", "name": "Alpha", "kind": "member-state"}));
    let seed = std::fs::read_to_string(SEED).unwrap();
    c.ok("/drafts", &cofac, json!({"label": "Zero draft", "text": seed, "publication": "circulated"}));
    c.ok("/proposals", &del, json!({"paragraph": "12", "edit": {"kind": "delete-paragraph"}}));
    let live = c.get("/state", &admin).1;
    drop(server);
    let server = start();
    let again =
        http(&server.addr, "GET", &format!("/api/processes/{process}/state"), Some(&admin), None, None)
            .unwrap()
            .1;
    assert_eq!(again, live);
    assert_eq!(again["proposals"][0]["paragraph"], "12");
}
