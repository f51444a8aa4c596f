//! The secretariat's and co-facilitators' day on the web pages, in process
//! (issue 15, "What to build" 1): a process created, delegations, groups and
//! observers registered with an invitation link each, a draft's circulation
//! changed, sessions scheduled by paragraph numbers and decisions recorded.
//! Every action is two steps: the first says what it will do and records
//! nothing; the role rules refuse it at the first step already.

mod web_support;

use accord_core::negotiation::Actor;
use accord_workspace::accounts::create_account;
use axum::http::StatusCode;
use web_support::{fixture, Fixture, PASSWORD};

/// A secretariat account not tied to one process (who creates processes).
async fn chief(f: &Fixture) -> web_support::Browser {
    let sec = Actor::Secretariat { name: "Chief".into() };
    create_account(&f.ws, "chief", PASSWORD, &sec, None).await.unwrap();
    f.login("chief").await
}

#[tokio::test]
async fn the_secretariat_creates_a_process_after_reading_what_it_will_be() {
    let f = fixture().await;
    let chief = chief(&f).await;
    let home = f.get("/", Some(&chief)).await;
    assert!(home.text.contains("action=\"/processes\""), "{}", home.text);
    let fields = [
        ("title", "Ocean data, second round"),
        ("id", ""),
        ("mandate", "resolution 80/12"),
        ("opening", "2026-12-01"),
        ("deadline", "2027-03-15"),
        ("adoption", ""),
        ("co_facilitators", "Norland\r\nEstoria\r\n"),
        ("public", "yes"),
    ];
    let (ask, done) = f.post_confirmed("/processes", &chief, &fields).await;
    for words in [
        "Create the process “Ocean data, second round”, at the address /p/ocean-data-second-round",
        "mandated by resolution 80/12",
        "It opens on 1 December 2026.",
        "The text closes on 15 March 2027.",
        "Co-facilitators: Norland, Estoria.",
        "The public sees the process",
    ] {
        assert!(ask.text.contains(words), "{words}: {}", ask.text);
    }
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    assert_eq!(done.location(), "/p/ocean-data-second-round#participants-h");
    let s = f.ws.process("ocean-data-second-round").unwrap();
    let info = s.state.read().unwrap().info.clone();
    assert_eq!(info.co_facilitators, ["Norland", "Estoria"]);
    assert_eq!(
        (info.opening.as_deref(), info.deadline.as_deref(), info.adoption),
        (Some("2026-12-01"), Some("2027-03-15"), None)
    );
    assert!(info.public);
    let (actor, _, _) = {
        let events = f.ws.process_events("ocean-data-second-round").await.unwrap();
        let e = events.last().unwrap().clone();
        (e.actor, e.action, e.payload)
    };
    assert_eq!(actor, "secretariat:Chief");
    let page = f.get("/p/ocean-data-second-round", Some(&chief)).await;
    assert!(page.text.contains("opens 1 December 2026 · text closes 15 March 2027"), "{}", page.text);
    assert!(page.text.contains("No delegation is registered yet."), "{}", page.text);

    // The same again: refused at the first step, in words.
    let again = f.post("/processes", &chief, &fields).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", again.text);
    assert!(again.text.contains("already exists"), "{}", again.text);

    // A bad short name: refused at the first step, no process made of it.
    let bad = f.post("/processes", &chief, &[("title", "X"), ("id", "Not An Id")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert!(bad.text.contains("must be 1–64 characters"), "{}", bad.text);
    assert!(f.ws.process("Not An Id").is_none());
    let nothing = f.post("/processes", &chief, &[("title", "  ")]).await;
    assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", nothing.text);
}

#[tokio::test]
async fn only_the_secretariat_without_a_process_creates_one_and_tokens_are_checked() {
    let f = fixture().await;
    let fields = [("title", "Another"), ("id", "another")];
    // A co-facilitator, a delegation, the process's own secretariat: refused.
    for user in ["norland", "norway1", "ana"] {
        let b = f.login(user).await;
        assert!(!f.get("/", Some(&b)).await.text.contains("action=\"/processes\""), "{user}");
        for step in [&fields[..], &[("title", "Another"), ("id", "another"), ("confirm", "yes")][..]] {
            let r = f.post("/processes", &b, step).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}: {}", r.text);
        }
    }
    let chief = chief(&f).await;
    let forged = web_support::Browser { cookie: chief.cookie.clone(), csrf: "forged".into() };
    for step in [&fields[..], &[("title", "Another"), ("id", "another"), ("confirm", "yes")][..]] {
        assert_eq!(f.post("/processes", &forged, step).await.status, StatusCode::FORBIDDEN);
    }
    assert!(f.ws.process("another").is_none());
}

#[tokio::test]
async fn delegations_and_groups_are_registered_each_delegation_with_an_invitation() {
    let f = fixture().await;
    let ana = f.login("ana").await;
    let page = f.get("/p/ocean", Some(&ana)).await;
    assert!(page.text.contains("action=\"/p/ocean/participants\""), "{}", page.text);
    assert!(page
        .text
        .contains("<td>Nordic group</td><td>group of delegations</td><td>Norway, Valdoria</td>"));

    let (ask, done) = f
        .post_confirmed(
            "/p/ocean/participants",
            &ana,
            &[("name", "Côte d'Ivoire"), ("kind", "member-state"), ("id", "")],
        )
        .await;
    assert!(
        ask.text.contains("Register Côte d&#39;Ivoire as a Member State delegation of “Ocean data”"),
        "{}",
        ask.text
    );
    assert!(ask.text.contains("invitation link"), "{}", ask.text);
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert!(done.text.contains("id=\"invitation-link\""), "{}", done.text);
    assert!(done.text.contains("for Côte d&#39;Ivoire&#39;s delegation"), "{}", done.text);
    let link = done.text.split("<code>").nth(1).unwrap().split("</code>").next().unwrap().to_string();
    assert!(link.starts_with("/invite/"), "{link}");
    let invite = f.get(&link, None).await;
    assert_eq!(invite.status, StatusCode::OK, "{}", invite.text);
    assert!(invite.text.contains("delegation:cote-d-ivoire"), "{}", invite.text);
    let (actor, kind, payload) = f.last_event().await;
    assert_eq!((actor.as_str(), kind.as_str()), ("secretariat:Ana", "add-participant"));
    assert_eq!(payload["action"]["participant"]["id"], "cote-d-ivoire");

    // A group of two delegations, ticked.
    let fields = [
        ("name", "Coastal group"),
        ("kind", "group"),
        ("member-estoria", "yes"),
        ("member-cote-d-ivoire", "yes"),
    ];
    let (ask, done) = f.post_confirmed("/p/ocean/participants", &ana, &fields).await;
    assert!(ask.text.contains("speaking for Estoria, Côte d&#39;Ivoire"), "{}", ask.text);
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let s = f.ws.process("ocean").unwrap();
    let g = s.state.read().unwrap().participant("coastal-group").cloned().unwrap();
    assert_eq!(g.members, ["estoria", "cote-d-ivoire"]);

    // A group without members, and a delegation registering: refused, nothing recorded.
    let before = f.events().await;
    let r = f.post("/p/ocean/participants", &ana, &[("name", "Empty group"), ("kind", "group")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let norway = f.login("norway1").await;
    for step in [&[("name", "Eastasia")][..], &[("name", "Eastasia"), ("confirm", "yes")][..]] {
        let r = f.post("/p/ocean/participants", &norway, step).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
        assert!(r.text.contains("only the secretariat may add participant"), "{}", r.text);
    }
    assert_eq!(f.events().await, before);
}

#[tokio::test]
async fn an_observer_gets_an_invitation_link_from_the_secretariat_only() {
    let f = fixture().await;
    let ana = f.login("ana").await;
    let r = f.post("/p/ocean/observers", &ana, &[("name", "Ocean Watch")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains("for observer Ocean Watch"), "{}", r.text);
    let link = r.text.split("<code>").nth(1).unwrap().split("</code>").next().unwrap().to_string();
    assert!(f.get(&link, None).await.text.contains("observer:Ocean Watch"));
    let norland = f.login("norland").await;
    assert_eq!(f.post("/p/ocean/observers", &norland, &[("name", "X")]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(f.post("/p/ocean/observers", &ana, &[("name", " ")]).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_drafts_circulation_changes_after_saying_who_will_read_it() {
    let f = fixture().await;
    assert_eq!(f.get("/p/ocean/drafts/d1", None).await.status, StatusCode::OK, "public at first");
    let norland = f.login("norland").await;
    let page = f.get("/p/ocean", Some(&norland)).await;
    assert!(page.text.contains("action=\"/p/ocean/drafts/d1/publication\""), "{}", page.text);
    let (ask, done) =
        f.post_confirmed("/p/ocean/drafts/d1/publication", &norland, &[("publication", "circulated")]).await;
    assert!(
        ask.text.contains("Zero draft is public now; after this every delegation of the process reads it."),
        "{}",
        ask.text
    );
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    assert_ne!(
        f.get("/p/ocean/drafts/d1", None).await.status,
        StatusCode::OK,
        "the public no longer reads it"
    );
    let norway = f.login("norway1").await;
    assert_eq!(f.get("/p/ocean/drafts/d1", Some(&norway)).await.status, StatusCode::OK);
    // Delegations may not; an unknown circulation is refused.
    let r = f.post("/p/ocean/drafts/d1/publication", &norway, &[("publication", "public")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = f.post("/p/ocean/drafts/d1/publication", &norland, &[("publication", "everyone")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
}

#[tokio::test]
async fn sessions_take_paragraph_numbers_and_decisions_are_recorded_in_them() {
    let f = fixture().await;
    let norland = f.login("norland").await;
    // A number the working text does not have: said, nothing recorded.
    let before = f.events().await;
    let fields = [("date", "2026-12-09"), ("time", "10:00"), ("room", "Room 4"), ("agenda", "2, 9")];
    let r = f.post("/p/ocean/sessions", &norland, &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("the working text has no paragraph 9"), "{}", r.text);
    assert_eq!(f.events().await, before);

    let fields =
        [("date", "2026-12-09"), ("time", "10:00"), ("room", "Room 4"), ("agenda", "2, paragraph 3")];
    let (ask, done) = f.post_confirmed("/p/ocean/sessions", &norland, &fields).await;
    assert!(
        ask.text.contains("Informal session of 9 December 2026, 10:00 · Room 4 — agenda: paragraphs 2, 3"),
        "{}",
        ask.text
    );
    assert_eq!(done.location(), "/p/ocean/sessions#session-s1");
    let page = f.get("/p/ocean/sessions", Some(&norland)).await;
    assert!(
        page.text.contains("compilation#para-2\">2</a>, <a href=\"/p/ocean/compilation#para-3\">3</a>"),
        "{}",
        page.text
    );

    let decision = [("text", "paragraph 3 to a small group"), ("paragraphs", "3")];
    let (ask, done) = f.post_confirmed("/p/ocean/sessions/s1/decisions", &norland, &decision).await;
    assert!(ask.text.contains("Record in the informal session of 9 December 2026, 10:00 · Room 4: “paragraph 3 to a small group” (on paragraph 3)"), "{}", ask.text);
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let (actor, kind, payload) = f.last_event().await;
    assert_eq!((actor.as_str(), kind.as_str()), ("co-facilitator:Norland", "record-decision"));
    assert_eq!(payload["action"]["paragraphs"], serde_json::json!(["3"]));
    let page = f.get("/p/ocean/sessions", Some(&norland)).await;
    assert!(page.text.contains("paragraph 3 to a small group"), "{}", page.text);
    // The process home lists it by date, not `s1`.
    let norway = f.login("norway1").await;
    let home = f.get("/p/ocean", Some(&norway)).await;
    assert!(
        home.text.contains(
            "<li>Informal session of 9 December 2026, 10:00 · Room 4 — agenda: paragraphs 2, 3</li>"
        ),
        "{}",
        home.text
    );
    // A delegation may not schedule.
    let r = f.post("/p/ocean/sessions", &norway, &[("date", "2026-12-10")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
}

#[tokio::test]
async fn the_secretariat_changes_a_process_description_after_reading_the_changes() {
    let f = fixture().await;
    let ana = f.login("ana").await;
    let page = f.get("/p/ocean", Some(&ana)).await;
    assert!(
        page.text.contains("id=\"st-title\" name=\"title\" required maxlength=\"500\" value=\"Ocean data\""),
        "{}",
        page.text
    );
    let fields = [
        ("title", "Ocean data (revised)"),
        ("mandate", ""),
        ("deadline", "2027-01-31"),
        ("co_facilitators", "Norland\r\nEstoria"),
        ("id", "ocean"),
    ];
    let (ask, done) = f.post_confirmed("/p/ocean/settings", &ana, &fields).await;
    for words in [
        "the title from “Ocean data” to “Ocean data (revised)”",
        "the text-closing date from none to 31 January 2027",
        "the co-facilitators from Norland to Norland, Estoria",
        "makes the process private: the public no longer sees it",
    ] {
        assert!(ask.text.contains(words), "{words}: {}", ask.text);
    }
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let info = f.ws.process("ocean").unwrap().state.read().unwrap().info.clone();
    assert_eq!(info.title, "Ocean data (revised)");
    assert_eq!(info.co_facilitators, ["Norland", "Estoria"]);
    assert!(!info.public);
    let norland = f.login("norland").await;
    let r = f.post("/p/ocean/settings", &norland, &[("title", "Mine")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
}
