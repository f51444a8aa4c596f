//! Proposals with their history on the web pages, in process (issue 15,
//! "What to build" 3): who tabled a proposal and when, who supported or
//! opposed it and in whose name, its revisions and its fate; accepted,
//! set-aside and withdrawn proposals stay on the compilation, folded; the
//! history is read only by those who read the proposals.

mod web_support;

use accord_core::negotiation::{Action, Actor, Decision, Edit};
use axum::http::StatusCode;
use web_support::{delegation, execute, fixture, Fixture};

fn revision(f: &Fixture, id: &str) -> u64 {
    f.ws.process("ocean").unwrap().state.read().unwrap().proposal(id).unwrap().revision
}

/// Norway tables p1 (paragraph 2) in the Nordic group's name, Estoria
/// supports it, Valdoria opposes p2 (Estoria's); Norway revises p1; in the
/// session of 9 December the co-facilitator accepts p1 and sets p2 aside;
/// Estoria tables p3 and withdraws it.
async fn day(f: &Fixture) {
    let norland = Actor::CoFacilitator { name: "Norland".into() };
    let session = Action::ScheduleSession {
        date: "2026-12-09".into(),
        time: "10:00".into(),
        room: "Room 4".into(),
        agenda: vec!["2".into()],
    };
    execute(&f.ws, &norland, session).await;
    let table = |on_behalf_of: &str, edit: Edit, rationale: Option<&str>| Action::TableProposal {
        draft: "d1".into(),
        paragraph: "2".into(),
        on_behalf_of: on_behalf_of.into(),
        edit,
        rationale: rationale.map(String::from),
        citation: None,
    };
    let high_level = "a high-level meeting".chars().count() as u32;
    let at = "Decides to convene [".chars().count() as u32;
    let replace = Edit::Replace { span: [at, at + high_level], text: "a summit".into() };
    execute(&f.ws, &delegation("norway"), table("nordic", replace, Some("shorter"))).await;
    execute(
        &f.ws,
        &delegation("estoria"),
        Action::Support { proposal: "p1".into(), on_behalf_of: "estoria".into() },
    )
    .await;
    let insert = Edit::Insert { at: "Decides to convene".chars().count() as u32, text: " urgently".into() };
    execute(&f.ws, &delegation("estoria"), table("estoria", insert, None)).await;
    execute(
        &f.ws,
        &delegation("valdoria"),
        Action::Oppose { proposal: "p2".into(), on_behalf_of: "nordic".into() },
    )
    .await;
    let revised = Edit::Replace { span: [at, at + high_level], text: "a high-level summit".into() };
    let base_revision = revision(f, "p1");
    let revise = Action::Revise { proposal: "p1".into(), base_revision, edit: revised, rationale: None };
    execute(&f.ws, &delegation("norway"), revise).await;
    for (p, decision) in [("p1", Decision::Accept), ("p2", Decision::SetAside)] {
        let base_revision = revision(f, p);
        let decide =
            Action::Decide { proposal: p.into(), decision, base_revision, session: Some("s1".into()) };
        execute(&f.ws, &norland, decide).await;
    }
    let delete = Edit::Delete { span: [at - 1, at + high_level + 1] };
    execute(&f.ws, &delegation("estoria"), table("estoria", delete, None)).await;
    execute(&f.ws, &delegation("estoria"), Action::Withdraw { proposal: "p3".into() }).await;
}

#[tokio::test]
async fn decided_proposals_stay_on_the_compilation_folded_with_their_fate() {
    let f = fixture().await;
    day(&f).await;
    let estoria = f.login("estoria1").await;
    let page = f.get("/p/ocean/compilation", Some(&estoria)).await;
    assert_eq!(page.status, StatusCode::OK);
    let para = page.text.split("id=\"para-2\"").nth(1).unwrap().split("<section").next().unwrap();
    let folded = para
        .split("<details class=\"decided\">")
        .nth(1)
        .expect("a folded list of decided proposals")
        .split("</details>")
        .next()
        .unwrap();
    assert!(
        folded.contains("<summary>3 decided or withdrawn proposals on paragraph 2</summary>"),
        "{folded}"
    );
    assert!(
        folded.contains(
            "Accepted by the co-facilitators in the informal session of 9 December 2026, 10:00 · Room 4."
        ),
        "{folded}"
    );
    assert!(
        folded.contains("Set aside by the co-facilitators in the informal session of 9 December 2026"),
        "{folded}"
    );
    assert!(folded.contains("Withdrawn by Estoria."), "{folded}");
    assert!(
        folded.contains("<span class=\"author\">Nordic group</span> (tabled by Norway), revised by Norway"),
        "{folded}"
    );
    assert!(folded.contains("href=\"/p/ocean/proposals/p1\""), "{folded}");
    // Decided proposals offer no action: nothing to support, accept or withdraw.
    assert!(!folded.contains("<form"), "{folded}");
    // Nothing of them before the folded list: no live proposal is left.
    assert!(
        !para.split("<details class=\"decided\">").next().unwrap().contains("class=\"proposal"),
        "{para}"
    );
}

#[tokio::test]
async fn a_proposals_history_says_who_did_what_in_whose_name_and_when() {
    let f = fixture().await;
    day(&f).await;
    let valdoria = f.login("valdoria1").await;
    let page = f.get("/p/ocean/proposals/p1", Some(&valdoria)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let history = page.text.split("id=\"history\"").nth(1).unwrap().split("</ol>").next().unwrap();
    let steps: Vec<&str> = history.split("<li>").skip(1).collect();
    assert_eq!(steps.len(), 4, "{history}");
    for (step, words) in steps.iter().zip([
        "Tabled by Norway in the name of Nordic group, with the rationale “shorter”",
        "Supported by Estoria",
        "Revised by Norway: now “a high-level summit”",
        "Accepted by Norland (co-facilitator) in the informal session of 9 December 2026, 10:00 · Room 4",
    ]) {
        assert!(step.contains(words), "{words}: {step}");
        // Each step is dated in the process's time zone.
        assert!(step.contains("2026") && step.contains("(America/New_York)"), "{step}");
    }
    assert!(
        page.text.contains("id=\"fate\">Accepted by the co-facilitators in the informal session"),
        "{}",
        page.text
    );

    // An opposition in a group's name says whose.
    let p2 = f.get("/p/ocean/proposals/p2", Some(&valdoria)).await.text;
    assert!(p2.contains("Opposed by Valdoria in the name of Nordic group"), "{p2}");
    let p3 = f.get("/p/ocean/proposals/p3", Some(&valdoria)).await.text;
    assert!(p3.contains("Withdrawn by Estoria"), "{p3}");

    // The public of this public process does not read proposals until the
    // compilation is published; an unknown proposal is a 404 like a hidden one.
    let hidden = f.get("/p/ocean/proposals/p1", None).await;
    let unknown = f.get("/p/ocean/proposals/p99", Some(&valdoria)).await;
    assert_eq!((hidden.status, unknown.status), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert!(!hidden.text.contains("Norway"), "{}", hidden.text);
}

#[tokio::test]
async fn a_decision_on_the_compilation_is_recorded_in_the_session_under_way() {
    let f = fixture().await;
    let norland = Actor::CoFacilitator { name: "Norland".into() };
    // The fixture's clock reads 31 March 2026: the session of 30 March has begun, that of 9 December not.
    for date in ["2026-03-30", "2026-12-09"] {
        let session = Action::ScheduleSession {
            date: date.into(),
            time: "10:00".into(),
            room: String::new(),
            agenda: vec![],
        };
        execute(&f.ws, &norland, session).await;
    }
    let at = "Decides to convene ".chars().count() as u32;
    let edit = Edit::Bracket { span: [at, at + "[a high-level meeting]".chars().count() as u32] };
    let table = Action::TableProposal {
        draft: "d1".into(),
        paragraph: "2".into(),
        on_behalf_of: "estoria".into(),
        edit,
        rationale: None,
        citation: None,
    };
    execute(&f.ws, &delegation("estoria"), table).await;
    let cofac = f.login("norland").await;
    let page = f.get("/p/ocean/compilation", Some(&cofac)).await;
    let form = web_support::hidden_fields(&page.text, "/p/ocean/proposals/p1/decide");
    let select = page.text.split("id=\"in-session-p1\"").nth(1).unwrap().split("</select>").next().unwrap();
    assert!(
        select.contains("<option value=\"s1\" selected>Informal session of 30 March 2026, 10:00</option>"),
        "{select}"
    );
    assert!(
        select.contains("<option value=\"s2\">Informal session of 9 December 2026, 10:00</option>"),
        "{select}"
    );
    let base = form.iter().find(|(k, _)| k == "base_revision").unwrap().1.clone();
    let done = f
        .post(
            "/p/ocean/proposals/p1/decide",
            &cofac,
            &[("base_revision", base.as_str()), ("session", "s1"), ("decision", "set-aside")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let page = f.get("/p/ocean/compilation", Some(&cofac)).await;
    assert!(
        page.text.contains("<p class=\"fate\">Set aside by the co-facilitators in the informal session of 30 March 2026, 10:00.</p>"),
        "{}",
        page.text
    );
}

#[tokio::test]
async fn a_sessions_decisions_name_delegations_and_paragraph_numbers() {
    let f = fixture().await;
    day(&f).await;
    let valdoria = f.login("valdoria1").await;
    let page = f.get("/p/ocean/sessions", Some(&valdoria)).await;
    let decisions =
        page.text.split("<ol class=\"decisions\">").nth(1).unwrap().split("</ol>").next().unwrap();
    assert!(
        decisions.contains(
            "<li>Accepted proposal 1 of Nordic group: replace &#34;a high-level meeting&#34; with &#34;a high-level summit&#34; (paragraph 2)</li>"
        ),
        "{decisions}"
    );
    assert!(decisions.contains("<li>Set aside proposal 2 of Estoria: insert"), "{decisions}");
    // No log slug (`by nordic`) in front of readers.
    assert!(!decisions.contains("by nordic") && !decisions.contains("by estoria"), "{decisions}");
}

#[tokio::test]
async fn a_refused_proposal_keeps_what_was_typed_under_its_paragraph() {
    let f = fixture().await;
    let norway = f.login("norway1").await;
    let before = f.events().await;
    let fields = [
        ("paragraph", "2"),
        ("kind", "replace"),
        ("find", "words that are not there"),
        ("text", "a compromise typed once"),
        ("on_behalf_of", "nordic"),
        ("rationale", "<b>why</b>"),
    ];
    let r = f.post("/p/ocean/proposals", &norway, &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(f.events().await, before);
    let para = r.text.split("id=\"para-2\"").nth(1).unwrap().split("</section>").next().unwrap();
    assert!(para.contains("<details class=\"table-proposal\" open>"), "{para}");
    assert!(para.contains("Not tabled: “words that are not there” is not in the paragraph"), "{para}");
    assert!(para.contains("value=\"words that are not there\""), "{para}");
    assert!(para.contains(">a compromise typed once</textarea>"), "{para}");
    assert!(para.contains("<option value=\"nordic\" selected>"), "{para}");
    assert!(para.contains("<option value=\"replace\" selected>"), "{para}");
    // Escaped, as everything typed.
    assert!(
        para.contains("value=\"&#60;b&#62;why&#60;/b&#62;\"")
            || para.contains("value=\"&lt;b&gt;why&lt;/b&gt;\""),
        "{para}"
    );
    // The other paragraphs' forms are as usual: closed and empty.
    let other = r.text.split("id=\"para-3\"").nth(1).unwrap().split("</section>").next().unwrap();
    assert!(other.contains("<details class=\"table-proposal\"><summary>"), "{other}");
    // In a name it may not use: refused as before, with the form kept.
    let fields = [("paragraph", "2"), ("kind", "delete-paragraph"), ("on_behalf_of", "estoria")];
    let r = f.post("/p/ocean/proposals", &norway, &fields).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert_eq!(f.events().await, before);
}
