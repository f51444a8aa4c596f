//! Tabling a proposal from the compilation page, in process (issue 15, item
//! 3): the preview says what the paragraph will read before anything is
//! recorded; the form offers every kind of edit the API has ("remove the
//! brackets, keep the text", move a paragraph, agreed language cited); a
//! delegation sees its own stance, in whose name, and supports in a group's
//! name; readers see "Proposal 1", not the internal id.

mod web_support;

use axum::http::StatusCode;
use web_support::fixture;

/// The compilation's block of proposal `id`, up to the next proposal form.
fn proposal_block(html: &str, id: &str) -> String {
    let at = html.find(&format!("id=\"proposal-{id}\"")).unwrap_or_else(|| panic!("no {id} in {html}"));
    html[at..].split("<details class=\"table-proposal\"").next().unwrap().to_string()
}

#[tokio::test]
async fn a_preview_shows_the_paragraph_as_it_will_read_and_records_nothing() {
    let f = fixture().await;
    let valdoria = f.login("valdoria1").await;
    let before = f.events().await;
    let fields = [
        ("paragraph", "2"),
        ("kind", "replace"),
        ("find", "2027"),
        ("text", "2028"),
        ("rationale", "a later year"),
        ("step", "preview"),
    ];
    let preview = f.post("/p/ocean/proposals", &valdoria, &fields).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text);
    assert_eq!(f.events().await, before, "a preview records nothing");
    let shown = preview
        .text
        .split("id=\"proposal-preview\"")
        .nth(1)
        .expect("a preview")
        .split("</div>")
        .next()
        .unwrap();
    assert!(shown.contains("Paragraph 2 will read:"), "{shown}");
    assert!(shown.contains("<mark class=\"changed\">2028</mark>"), "{shown}");
    assert!(shown.contains("in <mark"), "{shown}");
    assert!(!shown.contains("in 2027"), "the old year is gone from the text: {shown}");
    assert!(shown.contains("Taken out: <del>2027</del>"), "{shown}");
    // What was typed is kept for the real thing.
    assert!(preview.text.contains(">2028</textarea>"), "{}", preview.text);
    assert!(preview.text.contains("value=\"a later year\""), "{}", preview.text);

    // A preview of what the rules refuse says so, and keeps what was typed.
    let wrong =
        [("paragraph", "2"), ("kind", "replace"), ("find", "2031"), ("text", "x"), ("step", "preview")];
    let refused = f.post("/p/ocean/proposals", &valdoria, &wrong).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text);
    assert!(refused.text.contains("Not tabled:"), "{}", refused.text);
    assert!(!refused.text.contains("id=\"proposal-preview\""), "{}", refused.text);
    assert_eq!(f.events().await, before);

    // Tabled for real: one event.
    let fields: Vec<(&str, &str)> = fields.iter().filter(|(k, _)| *k != "step").copied().collect();
    let done = f.post("/p/ocean/proposals", &valdoria, &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    assert_eq!(f.events().await, before + 1);
}

#[tokio::test]
async fn brackets_are_removed_keeping_the_text() {
    let f = fixture().await;
    let estoria = f.login("estoria1").await;
    let fields = [("paragraph", "2"), ("kind", "unbracket"), ("find", "high-level"), ("step", "preview")];
    let preview = f.post("/p/ocean/proposals", &estoria, &fields).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text);
    let shown = preview.text.split("id=\"proposal-preview\"").nth(1).unwrap().split("</div>").next().unwrap();
    assert!(!shown.contains("class=\"bracket"), "no bracket left: {shown}");
    assert!(shown.contains("high-level"), "{shown}");
    let fields = [("paragraph", "2"), ("kind", "unbracket"), ("find", "high-level")];
    let done = f.post("/p/ocean/proposals", &estoria, &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let (_, kind, payload) = f.last_event().await;
    assert_eq!(kind, "table-proposal");
    let edit = payload.to_string();
    assert!(edit.contains("\"replace\"") && edit.contains("\"a high-level meeting\""), "{payload}");

    // Words outside any bracket: refused in words, the form kept.
    let fields = [("paragraph", "3"), ("kind", "unbracket"), ("find", "Secretary-General")];
    let refused = f.post("/p/ocean/proposals", &estoria, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text);
    assert!(refused.text.contains("is not inside brackets"), "{}", refused.text);
    assert!(refused.text.contains("value=\"Secretary-General\""), "{}", refused.text);
}

#[tokio::test]
async fn a_paragraph_is_moved_and_agreed_language_cited() {
    let f = fixture().await;
    let norway = f.login("norway1").await;
    let fields = [
        ("paragraph", "1"),
        ("kind", "move-paragraph"),
        ("after", "3"),
        ("citation", "paragraph 2 of resolution 70/1"),
    ];
    let preview: Vec<(&str, &str)> = fields.iter().copied().chain([("step", "preview")]).collect();
    let shown = f.post("/p/ocean/proposals", &norway, &preview).await;
    assert!(shown.text.contains("Paragraph 1 moves after paragraph 3."), "{}", shown.text);
    let done = f.post("/p/ocean/proposals", &norway, &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let (_, _, payload) = f.last_event().await;
    let text = payload.to_string();
    assert!(text.contains("move-paragraph") && text.contains("\"after\":\"3\""), "{payload}");
    assert!(text.contains("paragraph 2 of resolution 70/1"), "{payload}");

    let fields = [("paragraph", "1"), ("kind", "move-paragraph"), ("after", "9")];
    let refused = f.post("/p/ocean/proposals", &norway, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text);
    assert!(refused.text.contains("there is no paragraph 9"), "{}", refused.text);
}

#[tokio::test]
async fn a_delegation_sees_its_stance_and_speaks_in_its_groups_name() {
    let f = fixture().await;
    let (norway, valdoria) = (f.login("norway1").await, f.login("valdoria1").await);
    let fields = [("paragraph", "2"), ("kind", "replace"), ("find", "2027"), ("text", "2028")];
    assert_eq!(f.post("/p/ocean/proposals", &norway, &fields).await.status, StatusCode::SEE_OTHER);

    // Valdoria's page offers support in its own name or the Nordic group's.
    let page = f.get("/p/ocean/compilation", Some(&valdoria)).await;
    let block = proposal_block(&page.text, "p1");
    assert!(block.contains("<strong>Proposal 1</strong>"), "{block}");
    assert!(!block.contains(">p1<") && !block.contains("Support p1"), "no internal id: {block}");
    assert!(block.contains("<option value=\"nordic\">Nordic group</option>"), "{block}");
    assert!(!block.contains("Your stance"), "{block}");

    let done = f.post("/p/ocean/proposals/p1/support", &valdoria, &[("on_behalf_of", "nordic")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let (actor, kind, payload) = f.last_event().await;
    assert_eq!((actor.as_str(), kind.as_str()), ("delegation:valdoria", "support"));
    assert!(payload.to_string().contains("\"nordic\""), "{payload}");
    let done = f.post("/p/ocean/proposals/p1/oppose", &valdoria, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);

    let page = f.get("/p/ocean/compilation", Some(&valdoria)).await;
    let block = proposal_block(&page.text, "p1");
    assert!(
        block.contains("<strong>Your stance:</strong> Valdoria opposes it; Nordic group supports it."),
        "{block}"
    );
    // Estoria, who took no stance, sees none of its own.
    let estoria = f.login("estoria1").await;
    let page = f.get("/p/ocean/compilation", Some(&estoria)).await;
    assert!(!proposal_block(&page.text, "p1").contains("Your stance"));

    // Changing it: Valdoria supports after all; the stance follows.
    assert_eq!(f.post("/p/ocean/proposals/p1/support", &valdoria, &[]).await.status, StatusCode::SEE_OTHER);
    let page = f.get("/p/ocean/compilation", Some(&valdoria)).await;
    let block = proposal_block(&page.text, "p1");
    assert!(block.contains("Valdoria supports it; Nordic group supports it."), "{block}");

    // Taking one back: a button per name, the take-back recorded in
    // Valdoria's act for the group, the page and the history saying so.
    assert!(block.contains("<button type=\"submit\">Take back Nordic group’s support</button>"), "{block}");
    assert!(block.contains("Take back Valdoria’s support"), "{block}");
    let done =
        f.post("/p/ocean/proposals/p1/withdraw-stance", &valdoria, &[("on_behalf_of", "nordic")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let (actor, kind, payload) = f.last_event().await;
    assert_eq!((actor.as_str(), kind.as_str()), ("delegation:valdoria", "withdraw-stance"));
    assert!(payload.to_string().contains("\"nordic\""), "{payload}");
    let page = f.get("/p/ocean/compilation", Some(&valdoria)).await;
    let block = proposal_block(&page.text, "p1");
    assert!(block.contains("<strong>Your stance:</strong> Valdoria supports it."), "{block}");
    assert!(
        !block.contains("Nordic group’s support") && !block.contains("Supported by Valdoria, Nordic"),
        "{block}"
    );
    let history = f.get("/p/ocean/proposals/p1", Some(&valdoria)).await;
    assert!(
        history.text.contains("Stance taken back by Valdoria in the name of Nordic group"),
        "{}",
        history.text
    );
    // Nothing left to take back in the group's name: refused, saying why.
    let again =
        f.post("/p/ocean/proposals/p1/withdraw-stance", &valdoria, &[("on_behalf_of", "nordic")]).await;
    assert!(again.text.contains("no stance to take back"), "{}", again.text);
    // Estoria cannot take back a stance in the group's name.
    let refused =
        f.post("/p/ocean/proposals/p1/withdraw-stance", &estoria, &[("on_behalf_of", "nordic")]).await;
    assert_ne!(refused.status, StatusCode::SEE_OTHER, "{}", refused.text);
}
