//! The authorization matrix: every API route and web page against every
//! role, on the demo process with one draft kept internal. Nothing is allowed
//! that should not be: observers and the public never see an unpublished
//! draft or the proposals on it, nor any proposal until the co-facilitators
//! publish the compilation, a delegation never acts in another's name,
//! and every refused change leaves the event log as it was.

use std::collections::BTreeMap;

use serde_json::{json, Value};

mod common;
use common::*;

const P: &str = "/api/processes/ocean-data";

/// Roles, in the order of the expectation columns.
const ROLES: [&str; 6] = ["public", "observer", "valdoria", "norland", "co-facilitator", "secretariat"];

fn tokens(server: &Server) -> BTreeMap<&'static str, Option<String>> {
    let find = |who: &str| {
        server
            .stderr
            .iter()
            .find(|l| l.trim_start().starts_with(who))
            .and_then(|l| l.split_whitespace().last())
            .map(str::to_string)
    };
    BTreeMap::from([
        ("public", None),
        ("observer", find("observer:Demo observer")),
        ("valdoria", find("delegation:valdoria")),
        ("norland", find("delegation:norland")),
        ("co-facilitator", find("co-facilitator:Norland")),
        ("secretariat", find("secretariat:Demo Secretariat")),
    ])
}

fn password(server: &Server) -> String {
    server
        .stderr
        .iter()
        .find_map(|l| l.split("password for all: ").nth(1))
        .map(|p| p.trim_end_matches("):").to_string())
        .expect("the demo printed its password")
}

fn seq(server: &Server, admin: &str) -> u64 {
    http(&server.addr, "GET", &format!("{P}/state"), Some(admin), None, None).unwrap().1["seq"]
        .as_u64()
        .unwrap()
}

#[test]
fn every_api_route_against_every_role() {
    let data = temp_dir("authz-api");
    let server = Server::start_with(&data, &["--demo"]);
    let t = tokens(&server);
    let admin = t["secretariat"].clone().unwrap();
    let cofac = t["co-facilitator"].clone().unwrap();

    // An unpublished draft with a proposal on it: circulated, a proposal
    // tabled, then taken back to internal.
    let zero = std::fs::read_to_string("../accord-workspace/demo/zero-draft.txt").unwrap();
    let c = Client { addr: &server.addr, process: "ocean-data" };
    assert_eq!(
        c.ok(
            "/drafts",
            &cofac,
            json!({"label": "Rev.2 (internal)", "text": zero, "publication": "circulated"})
        )["draft"],
        "d3"
    );
    let p = c.ok(
        "/proposals",
        t["valdoria"].as_ref().unwrap(),
        json!({"paragraph": "5", "edit": {"kind": "delete-paragraph"}}),
    );
    let secret_proposal = p["proposal"].as_str().unwrap().to_string();
    c.ok("/drafts/d3/publication", &cofac, json!({"publication": "internal"}));

    // GET routes: expected status per role (public, observer, valdoria, norland, co-facilitator, secretariat).
    let reads: &[(&str, [u16; 6])] = &[
        ("/api/processes", [200; 6]),
        (P, [200; 6]),
        (&format!("{P}/drafts/d2"), [200; 6]),
        (&format!("{P}/drafts/d3"), [404, 404, 404, 404, 200, 200]),
        (&format!("{P}/drafts/d2/compare/d3"), [404, 404, 404, 404, 200, 200]),
        (&format!("{P}/working"), [403, 403, 403, 403, 200, 200]),
        (&format!("{P}/compilation"), [404, 404, 404, 404, 200, 200]),
        (&format!("{P}/readiness"), [404, 404, 404, 404, 200, 200]),
        (&format!("{P}/sessions"), [403, 403, 200, 200, 200, 200]),
        (&format!("{P}/events"), [403, 403, 403, 403, 200, 200]),
        (&format!("{P}/state"), [403, 403, 403, 403, 403, 200]),
        (&format!("{P}/proposals/{secret_proposal}"), [404, 404, 404, 404, 200, 200]),
        // Proposals: participants only until the compilation is published (below).
        (&format!("{P}/proposals/p1"), [404, 404, 200, 200, 200, 200]),
    ];
    let mut failures = Vec::new();
    for (path, expected) in reads {
        for (role, want) in ROLES.iter().zip(expected) {
            let (got, body) = http(&server.addr, "GET", path, t[role].as_deref(), None, None).unwrap();
            if got != *want {
                failures.push(format!("GET {path} as {role}: {got}, expected {want}: {body}"));
            }
        }
    }
    // Lists never include what the reader may not see.
    for role in ["public", "observer", "valdoria", "norland"] {
        let list =
            http(&server.addr, "GET", &format!("{P}/proposals"), t[role].as_deref(), None, None).unwrap().1;
        let ids: Vec<&str> =
            list["proposals"].as_array().unwrap().iter().filter_map(|p| p["id"].as_str()).collect();
        if ids.contains(&secret_proposal.as_str()) {
            failures.push(format!("{role} sees {secret_proposal}, a proposal on an unpublished draft"));
        }
        let drafts =
            http(&server.addr, "GET", &format!("{P}/drafts"), t[role].as_deref(), None, None).unwrap().1;
        if drafts.to_string().contains("\"d3\"") {
            failures.push(format!("{role} sees the unpublished draft d3 listed"));
        }
    }

    // A proposal on a public draft stays visible, but not where it stands in
    // the unpublished one.
    let p1 = http(&server.addr, "GET", &format!("{P}/proposals/p1"), t["valdoria"].as_deref(), None, None)
        .unwrap()
        .1;
    assert!(!p1.to_string().contains("\"d3\""), "{p1}");
    let p1 = http(&server.addr, "GET", &format!("{P}/proposals/p1"), Some(&cofac), None, None).unwrap().1;
    assert_eq!(p1["current"][0], "d3");

    // Changes each role may not make: all refused, none recorded.
    let before = seq(&server, &admin);
    let writes: &[(&str, Value, [u16; 6])] = &[
        ("/api/processes", json!({"id": "rogue", "title": "Rogue"}), [401, 403, 403, 403, 403, 0]),
        (
            &format!("{P}/participants"),
            json!({"id": "x", "name": "X", "kind": "member-state"}),
            [401, 403, 403, 403, 403, 0],
        ),
        (&format!("{P}/drafts"), json!({"label": "X", "text": "1. X.\n"}), [401, 403, 403, 403, 0, 0]),
        (&format!("{P}/drafts/d3/publication"), json!({"publication": "public"}), [401, 403, 403, 403, 0, 0]),
        // Acting in another's name: valdoria is not in the EU, norland not in the G77.
        (
            &format!("{P}/proposals"),
            json!({"draft": "d2", "paragraph": "12", "on_behalf_of": "eu", "edit": {"kind": "delete-paragraph"}}),
            [401, 403, 403, 0, 403, 403],
        ),
        (
            &format!("{P}/proposals"),
            json!({"draft": "d2", "paragraph": "12", "on_behalf_of": "g77", "edit": {"kind": "delete-paragraph"}}),
            [401, 403, 0, 403, 403, 403],
        ),
        (&format!("{P}/proposals/p4/support"), json!({"on_behalf_of": "eu"}), [401, 403, 403, 0, 403, 403]),
        (&format!("{P}/proposals/p4/withdraw"), json!({}), [401, 403, 0, 403, 403, 403]),
        (
            &format!("{P}/proposals/p4/decide"),
            json!({"decision": "accept", "base_revision": 1}),
            [401, 403, 403, 403, 0, 403],
        ),
        (
            &format!("{P}/working/12/status"),
            json!({"status": "agreed", "base_revision": 1}),
            [401, 403, 403, 403, 0, 403],
        ),
        (
            &format!("{P}/working/12/compromise"),
            json!({"text": "X.", "base_revision": 1}),
            [401, 403, 403, 403, 0, 403],
        ),
        (&format!("{P}/revisions"), json!({"label": "Rev.9"}), [401, 403, 403, 403, 0, 403]),
        (&format!("{P}/sessions"), json!({"date": "2026-12-01"}), [401, 403, 403, 403, 0, 0]),
        (&format!("{P}/proposal-visibility"), json!({"visibility": "public"}), [401, 403, 403, 403, 0, 403]),
    ];
    for (path, body, expected) in writes {
        for (role, want) in ROLES.iter().zip(expected) {
            if *want == 0 {
                continue; // allowed for this role: not exercised here (the end-to-end test does)
            }
            let (got, answer) =
                http(&server.addr, "POST", path, t[role].as_deref(), None, Some(body)).unwrap();
            if got != *want {
                failures.push(format!("POST {path} as {role}: {got}, expected {want}: {answer}"));
            }
        }
    }
    assert_eq!(seq(&server, &admin), before, "a refused change was recorded");
    // The co-facilitators publish the compilation: every role reads p1 now
    // (not the proposal on the unpublished draft).
    c.ok("/proposal-visibility", &cofac, json!({"visibility": "public"}));
    for role in ROLES {
        let (got, _) =
            http(&server.addr, "GET", &format!("{P}/proposals/p1"), t[role].as_deref(), None, None).unwrap();
        let (hidden, _) = http(
            &server.addr,
            "GET",
            &format!("{P}/proposals/{secret_proposal}"),
            t[role].as_deref(),
            None,
            None,
        )
        .unwrap();
        let hidden_want = if matches!(role, "co-facilitator" | "secretariat") { 200 } else { 404 };
        if got != 200 || hidden != hidden_want {
            failures.push(format!("{role} after publication: p1 {got}, {secret_proposal} {hidden}"));
        }
    }
    // A token for one process does not open another.
    let (got, _) =
        http(&server.addr, "GET", "/api/processes/other", t["valdoria"].as_deref(), None, None).unwrap();
    assert_eq!(got, 403);
    // A made-up token is refused, not treated as the public.
    let (got, _) = http(&server.addr, "GET", P, Some("acc_made_up"), None, None).unwrap();
    assert_eq!(got, 401);
    assert!(failures.is_empty(), "{} authorization failures:\n{}", failures.len(), failures.join("\n"));
}

/// A raw request with cookies and a form body; returns (status, headers, body).
#[test]
fn every_page_against_every_role_and_forms_need_their_csrf_token() {
    let data = temp_dir("authz-web");
    let server = Server::start_with(&data, &["--demo"]);
    let t = tokens(&server);
    let c = Client { addr: &server.addr, process: "ocean-data" };
    // The live screen follows the unpublished working text: the room's, not the public's.
    let (status, _, _) = form(&server.addr, "GET", "/p/ocean-data/live/13/events", "", "");
    assert_eq!(status, 403, "the public follows the live screen");
    let zero = std::fs::read_to_string("../accord-workspace/demo/zero-draft.txt").unwrap();
    c.ok(
        "/drafts",
        t["co-facilitator"].as_ref().unwrap(),
        json!({"label": "Rev.2 (internal)", "text": zero, "publication": "internal"}),
    );
    let pw = password(&server);
    let cookies: BTreeMap<&str, String> = [
        ("public", String::new()),
        ("observer", log_in(&server.addr, "observer", &pw)),
        ("valdoria", log_in(&server.addr, "valdoria", &pw)),
        ("norland", log_in(&server.addr, "norland", &pw)),
        ("co-facilitator", log_in(&server.addr, "norland-cofac", &pw)),
        ("secretariat", log_in(&server.addr, "secretariat", &pw)),
    ]
    .into();
    let pages: &[(&str, [u16; 6])] = &[
        ("/", [200; 6]),
        ("/p/ocean-data", [200; 6]),
        ("/p/ocean-data/drafts/d2", [200; 6]),
        ("/p/ocean-data/drafts/d3", [404, 404, 404, 404, 200, 200]),
        ("/p/ocean-data/drafts/d3/export.html", [404, 404, 404, 404, 200, 200]),
        ("/p/ocean-data/compare?old=d2&new=d3", [404, 404, 404, 404, 200, 200]),
        ("/p/ocean-data/compilation", [404, 404, 404, 404, 200, 200]),
        ("/p/ocean-data/working", [403, 403, 403, 403, 200, 200]),
        ("/p/ocean-data/sessions", [403, 403, 200, 200, 200, 200]),
        ("/p/ocean-data/live/13", [404, 404, 404, 404, 200, 200]),
    ];
    let mut failures = Vec::new();
    for (path, expected) in pages {
        for (role, want) in ROLES.iter().zip(expected) {
            let (got, _, _) = form(&server.addr, "GET", path, &cookies[role], "");
            if got != *want {
                failures.push(format!("GET {path} as {role}: {got}, expected {want}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The compilation shows forms only to whom they are for.
    c.ok(
        "/drafts/d3/publication",
        t["co-facilitator"].as_ref().unwrap(),
        json!({"publication": "circulated"}),
    );
    let (_, _, html) = form(&server.addr, "GET", "/p/ocean-data/compilation", &cookies["valdoria"], "");
    assert!(html.contains("Propose a change") && !html.contains("Accept p"));
    let (_, _, html) = form(&server.addr, "GET", "/p/ocean-data/compilation", &cookies["co-facilitator"], "");
    assert!(!html.contains("Propose a change") && html.contains("Produce the revision"));

    // A form posted without its CSRF token, or with another session's, is refused; nothing recorded.
    let admin = t["secretariat"].clone().unwrap();
    let before = seq(&server, &admin);
    let (_, _, page) = form(&server.addr, "GET", "/p/ocean-data/compilation", &cookies["valdoria"], "");
    let own_csrf = csrf_in(&page);
    let (_, _, other) = form(&server.addr, "GET", "/p/ocean-data/compilation", &cookies["norland"], "");
    let other_csrf = csrf_in(&other);
    assert_ne!(own_csrf, other_csrf);
    let body = "paragraph=12&kind=delete-paragraph&on_behalf_of=valdoria";
    for csrf in [String::new(), format!("&csrf={other_csrf}")] {
        let (status, _, _) = form(
            &server.addr,
            "POST",
            "/p/ocean-data/proposals",
            &cookies["valdoria"],
            &format!("{body}{csrf}"),
        );
        assert_eq!(status, 403);
    }
    assert_eq!(seq(&server, &admin), before);
    // With it, the proposal is tabled; in another's name it is refused.
    let (status, _, _) = form(
        &server.addr,
        "POST",
        "/p/ocean-data/proposals",
        &cookies["valdoria"],
        &format!("{body}&csrf={own_csrf}"),
    );
    assert_eq!(status, 303);
    let (status, _, _) = form(
        &server.addr,
        "POST",
        "/p/ocean-data/proposals",
        &cookies["valdoria"],
        &format!("paragraph=12&kind=delete-paragraph&on_behalf_of=eu&csrf={own_csrf}"),
    );
    assert_eq!(status, 403);
    assert_eq!(seq(&server, &admin), before + 1);
    // Oversized bodies are refused.
    let big = format!("{body}&csrf={own_csrf}&rationale={}", "x".repeat(300 * 1024));
    let (status, _, _) = form(&server.addr, "POST", "/p/ocean-data/proposals", &cookies["valdoria"], &big);
    assert_eq!(status, 413);
    let huge = format!(
        "{{\"paragraph\":\"12\",\"edit\":{{\"kind\":\"delete-paragraph\"}},\"rationale\":\"{}\"}}",
        "x".repeat(17 * 1024 * 1024)
    );
    let (status, _) = http(
        &server.addr,
        "POST",
        &format!("{P}/proposals"),
        t["valdoria"].as_deref(),
        None,
        Some(&serde_json::from_str::<Value>(&huge).unwrap()),
    )
    .unwrap();
    assert_eq!(status, 413);
    assert_eq!(seq(&server, &admin), before + 1);
    // Logging out ends the session.
    let (_, _, page) = form(&server.addr, "GET", "/", &cookies["valdoria"], "");
    let (status, _, _) =
        form(&server.addr, "POST", "/logout", &cookies["valdoria"], &format!("csrf={}", csrf_in(&page)));
    assert_eq!(status, 303);
    let (status, _, _) = form(&server.addr, "GET", "/p/ocean-data/sessions", &cookies["valdoria"], "");
    assert_eq!(status, 403, "a logged-out session is the public");
}

#[test]
fn login_is_rate_limited_and_says_nothing_about_which_usernames_exist() {
    let data = temp_dir("authz-login");
    let server = Server::start_with(&data, &["--demo"]);
    let (_, head, html) = form(&server.addr, "GET", "/login", "", "");
    let pre = set_cookie(&head, "accord_csrf").unwrap();
    let csrf = csrf_in(&html);
    let attempt = |user: &str, pw: &str| {
        form(&server.addr, "POST", "/login", &pre, &format!("csrf={csrf}&username={user}&password={pw}"))
    };
    let (s1, _, b1) = attempt("valdoria", "wrong-password");
    let (s2, _, b2) = attempt("nobody-here", "wrong-password");
    assert_eq!((s1, s2), (401, 401));
    assert!(
        b1.contains("unknown username or wrong password")
            && b2.contains("unknown username or wrong password")
    );
    for _ in 0..4 {
        attempt("valdoria", "wrong-password");
    }
    // Locked now, even with the right password.
    let (s, _, b) = attempt("valdoria", &password(&server));
    assert_eq!(s, 429, "{b}");
    // A login form without its CSRF cookie is refused.
    let (s, _, _) = form(
        &server.addr,
        "POST",
        "/login",
        "",
        &format!("csrf={csrf}&username=kestrel&password={}", password(&server)),
    );
    assert_eq!(s, 403);
}
