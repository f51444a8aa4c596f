//! Each role's forms on the web pages, in process (issue 15's defects): the
//! working text's status control shows the status a paragraph has, taking an
//! agreed paragraph back is a confirmed second step (without JavaScript) and
//! recorded with its note, and the compromise and note forms exist and work.

mod web_support;

use axum::http::StatusCode;
use web_support::{fixture, hidden_fields};

/// The `<select>` of paragraph `id`'s status control, as served.
fn status_select(html: &str, id: &str) -> String {
    let at =
        html.find(&format!("id=\"status-{id}\"")).unwrap_or_else(|| panic!("no status control for {id}"));
    html[at..].split("</select>").next().unwrap().to_string()
}

#[tokio::test]
async fn the_status_control_shows_the_status_and_reopening_asks_first() {
    let f = fixture().await;
    let norland = f.login("norland").await;
    let page = f.get("/p/ocean/working", Some(&norland)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(status_select(&page.text, "1").contains("<option value=\"open\" selected>"), "{}", page.text);

    // Agreed ad ref with a note: no confirmation needed to close.
    let base = hidden_fields(&page.text, "/p/ocean/working/1/status");
    let base_revision = base.iter().find(|(k, _)| k == "base_revision").unwrap().1.clone();
    let fields = [
        ("base_revision", base_revision.as_str()),
        ("status", "agreed-ad-ref"),
        ("note", "given new figures"),
    ];
    let done = f.post("/p/ocean/working/1/status", &norland, &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let page = f.get("/p/ocean/working", Some(&norland)).await;
    let select = status_select(&page.text, "1");
    assert!(select.contains("<option value=\"agreed-ad-ref\" selected>"), "{select}");
    assert!(!select.contains("<option value=\"open\" selected>"), "{select}");
    assert!(page.text.contains("value=\"given new figures\""), "the note is shown");

    // The same "Set status" click on Open: a confirmation page, nothing recorded.
    let before = f.events().await;
    let base = hidden_fields(&page.text, "/p/ocean/working/1/status");
    let base_revision = base.iter().find(|(k, _)| k == "base_revision").unwrap().1.clone();
    let fields = [("base_revision", base_revision.as_str()), ("status", "open"), ("note", "")];
    let ask = f.post("/p/ocean/working/1/status", &norland, &fields).await;
    assert_eq!(ask.status, StatusCode::OK, "{}", ask.text);
    assert!(ask.text.contains("Reopen paragraph 1?"), "{}", ask.text);
    assert!(ask.text.contains("agreed ad referendum"), "{}", ask.text);
    assert_eq!(f.events().await, before, "a first click recorded nothing");
    let page = f.get("/p/ocean/working", Some(&norland)).await;
    assert!(status_select(&page.text, "1").contains("value=\"agreed-ad-ref\" selected"));

    // The confirmation page's own form, with a reason: recorded, by Norland.
    let carried = hidden_fields(&ask.text, "/p/ocean/working/1/status");
    assert!(carried.contains(&("confirm".into(), "yes".into())), "{carried:?}");
    assert!(carried.contains(&("status".into(), "open".into())), "{carried:?}");
    let mut fields: Vec<(&str, &str)> =
        carried.iter().filter(|(k, _)| k != "csrf").map(|(k, v)| (k.as_str(), v.as_str())).collect();
    fields.push(("note", "a delegation asked to reopen it"));
    let done = f.post("/p/ocean/working/1/status", &norland, &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    assert_eq!(f.events().await, before + 1);
    let (actor, kind, payload) = f.last_event().await;
    assert_eq!((actor.as_str(), kind.as_str()), ("co-facilitator:Norland", "set-status"));
    assert!(payload.to_string().contains("a delegation asked to reopen it"), "{payload}");
    let page = f.get("/p/ocean/working", Some(&norland)).await;
    assert!(status_select(&page.text, "1").contains("<option value=\"open\" selected>"));
}

#[tokio::test]
async fn a_compromise_text_is_written_from_its_form() {
    let f = fixture().await;
    let norland = f.login("norland").await;
    let page = f.get("/p/ocean/working", Some(&norland)).await;
    // The form starts from the text as it stands.
    assert!(page.text.contains("action=\"/p/ocean/working/2/compromise\""), "{}", page.text);
    assert!(page.text.contains("Decides to convene [a high-level meeting] in 2027"));
    let base = hidden_fields(&page.text, "/p/ocean/working/2/compromise");
    let base_revision = base.iter().find(|(k, _)| k == "base_revision").unwrap().1.clone();
    let text = "Decides to convene a high-level meeting in 2028 to review progress;";
    let done = f
        .post("/p/ocean/working/2/compromise", &norland, &[("base_revision", &base_revision), ("text", text)])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let page = f.get("/p/ocean/working", Some(&norland)).await;
    assert!(page.text.contains("in 2028 to review progress"), "{}", page.text);
    let (_, kind, _) = f.last_event().await;
    assert_eq!(kind, "write-compromise");
}

/// The `<div>` of proposal `id` on the compilation page.
fn proposal_block(html: &str, id: &str) -> String {
    let at = html.find(&format!("id=\"proposal-{id}\"")).unwrap_or_else(|| panic!("no {id} in {html}"));
    html[at..].split("<details class=\"table-proposal\"").next().unwrap().to_string()
}

#[tokio::test]
async fn a_group_proposal_is_changed_only_by_its_tabler_or_the_focal_point_after_a_confirmation() {
    let f = fixture().await;
    let (norway, valdoria) = (f.login("norway1").await, f.login("valdoria1").await);
    // Valdoria tables in the Nordic group's name (Norway is its focal point).
    let fields = [
        ("paragraph", "2"),
        ("kind", "replace"),
        ("find", "2027"),
        ("text", "2028"),
        ("on_behalf_of", "nordic"),
        ("rationale", ""),
    ];
    let done = f.post("/p/ocean/proposals", &valdoria, &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let p = f.last_event().await;
    assert_eq!((p.0.as_str(), p.1.as_str()), ("delegation:valdoria", "table-proposal"));

    // Norway tables another in the group's name: Valdoria may not take it back.
    let fields = [
        ("paragraph", "3"),
        ("kind", "delete"),
        ("find", "on the implementation"),
        ("on_behalf_of", "nordic"),
    ];
    assert_eq!(f.post("/p/ocean/proposals", &norway, &fields).await.status, StatusCode::SEE_OTHER);
    let page = f.get("/p/ocean/compilation", Some(&valdoria)).await;
    let p2 = proposal_block(&page.text, "p2");
    assert!(!p2.contains("/withdraw\""), "{p2}");
    assert!(p2.contains("Only Norway (who tabled it) may revise or withdraw proposal 2."), "{p2}");
    let before = f.events().await;
    // The first step already refuses: no confirmation that would then fail.
    let ask = f.post("/p/ocean/proposals/p2/withdraw", &valdoria, &[]).await;
    assert_eq!(ask.status, StatusCode::FORBIDDEN, "{}", ask.text);
    assert!(!ask.text.contains("Withdraw proposal 2?"), "{}", ask.text);
    let refused = f.post("/p/ocean/proposals/p2/withdraw", &valdoria, &[("confirm", "yes")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    assert!(refused.text.contains("Norway (who tabled it)"), "{}", refused.text);
    assert_eq!(f.events().await, before, "nothing recorded");

    // The focal point may revise Valdoria's p1; the page says who did.
    let page = f.get("/p/ocean/compilation", Some(&norway)).await;
    let p1 = proposal_block(&page.text, "p1");
    assert!(p1.contains("/p/ocean/proposals/p1/withdraw"), "{p1}");
    let base = web_support::hidden_fields(&page.text, "/p/ocean/proposals/p1/revise");
    let rev = base.iter().find(|(k, _)| k == "base_revision").unwrap().1.clone();
    let done =
        f.post("/p/ocean/proposals/p1/revise", &norway, &[("base_revision", &rev), ("text", "2029")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let estoria = f.login("estoria1").await;
    let page = f.get("/p/ocean/compilation", Some(&estoria)).await;
    let p1 = proposal_block(&page.text, "p1");
    assert!(p1.contains("(tabled by Valdoria), revised by Norway"), "{p1}");

    // Withdrawal: the first click asks, saying what it does; the second records it as Norway's.
    let before = f.events().await;
    let ask = f.post("/p/ocean/proposals/p1/withdraw", &norway, &[]).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(ask.text.contains("Withdraw proposal 1?") && ask.text.contains("Nordic group"), "{}", ask.text);
    assert_eq!(f.events().await, before);
    let carried = web_support::hidden_fields(&ask.text, "/p/ocean/proposals/p1/withdraw");
    assert!(carried.contains(&("confirm".into(), "yes".into())), "{carried:?}");
    let done = f.post("/p/ocean/proposals/p1/withdraw", &norway, &[("confirm", "yes")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let (actor, kind, _) = f.last_event().await;
    assert_eq!((actor.as_str(), kind.as_str()), ("delegation:norway", "withdraw"));
    let page = f.get("/p/ocean/compilation", Some(&norway)).await;
    // Withdrawn proposals leave the live ones and stay on record, folded.
    assert!(
        page.text.contains("<div class=\"proposal decided-proposal\" id=\"proposal-p1\">")
            && page.text.contains("Withdrawn by Norway."),
        "{}",
        page.text
    );
}

/// The text of a Word file's body (its `word/document.xml`).
fn docx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a Word package");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    xml
}

/// A JSON API request with an optional bearer token.
async fn api(f: &web_support::Fixture, path: &str, token: Option<&str>) -> (StatusCode, serde_json::Value) {
    let mut req = axum::http::Request::get(path);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let a = f.send(req.body(axum::body::Body::empty()).unwrap()).await;
    (a.status, serde_json::from_str(&a.text).unwrap_or(serde_json::Value::Null))
}

#[tokio::test]
async fn proposals_are_shown_to_participants_until_the_co_facilitators_publish_the_compilation() {
    let f = fixture().await;
    let (valdoria, estoria, watcher, norland) = (
        f.login("valdoria1").await,
        f.login("estoria1").await,
        f.login("watcher").await,
        f.login("norland").await,
    );
    let secret_rationale = "Our capital cannot accept 2027";
    let fields = [
        ("paragraph", "2"),
        ("kind", "replace"),
        ("find", "2027"),
        ("text", "2029"),
        ("on_behalf_of", "valdoria"),
        ("rationale", secret_rationale),
    ];
    assert_eq!(f.post("/p/ocean/proposals", &valdoria, &fields).await.status, StatusCode::SEE_OTHER);
    let observer =
        f.ws.create_token(
            Some("ocean".into()),
            &accord_core::negotiation::Actor::Observer { name: "W".into() },
            "o",
        )
        .await
        .unwrap();

    // The public and observers: the paragraphs, no proposal, no name, no rationale — on the page,
    // its exports and the API.
    let hidden =
        |body: &str| !body.contains(secret_rationale) && !body.contains("Valdoria") && !body.contains("p1");
    for who in [None, Some(&watcher)] {
        let page = f.get("/p/ocean/compilation", who).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("Decides to convene"), "the text is public");
        assert!(page.text.contains("id=\"proposals-hidden\""), "{}", page.text);
        assert!(hidden(&page.text), "{}", page.text);
        let html = f.get("/p/ocean/compilation/export.html", who).await;
        assert!(
            html.text.contains("until the co-facilitators publish") && hidden(&html.text),
            "{}",
            html.text
        );
        let docx = f.get("/p/ocean/compilation/export.docx", who).await;
        assert_eq!(docx.status, StatusCode::OK);
        let xml = docx_text(&docx.bytes);
        assert!(xml.contains("Decides to convene") && hidden(&xml), "{xml}");
    }
    for token in [None, Some(observer.as_str())] {
        let (st, c) = api(&f, "/api/processes/ocean/compilation", token).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(c["proposals_visible"], false, "{c}");
        assert!(hidden(&c.to_string()), "{c}");
        let (_, text) = api(&f, "/api/processes/ocean/compilation?format=text", token).await;
        assert!(hidden(&text.to_string()));
        let (st, list) = api(&f, "/api/processes/ocean/proposals", token).await;
        assert_eq!((st, list["proposals"].as_array().map(Vec::len)), (StatusCode::OK, Some(0)), "{list}");
        assert_eq!(api(&f, "/api/processes/ocean/proposals/p1", token).await.0, StatusCode::NOT_FOUND);
    }
    // A delegation that is not the author reads it (a participant).
    let page = f.get("/p/ocean/compilation", Some(&estoria)).await;
    assert!(page.text.contains(secret_rationale) && page.text.contains("id=\"proposal-p1\""));

    // Only a co-facilitator publishes.
    let refused = f.post("/p/ocean/compilation/visibility", &estoria, &[("visibility", "public")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    let page = f.get("/p/ocean/compilation", Some(&norland)).await;
    assert!(page.text.contains("Publish the compilation"), "{}", page.text);
    let done = f.post("/p/ocean/compilation/visibility", &norland, &[("visibility", "public")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let (actor, kind, _) = f.last_event().await;
    assert_eq!((actor.as_str(), kind.as_str()), ("co-facilitator:Norland", "set-proposal-visibility"));

    // Now public: everyone reads them, everywhere.
    let page = f.get("/p/ocean/compilation", None).await;
    assert!(page.text.contains(secret_rationale) && page.text.contains("Valdoria"), "{}", page.text);
    let html = f.get("/p/ocean/compilation/export.html", None).await;
    assert!(html.text.contains("p1") && html.text.contains("Valdoria"));
    let docx = f.get("/p/ocean/compilation/export.docx", None).await;
    assert!(docx_text(&docx.bytes).contains("Valdoria"), "the Word compilation attributes it now");
    let (_, c) = api(&f, "/api/processes/ocean/compilation", Some(&observer)).await;
    assert_eq!(c["proposals_visible"], true);
    assert!(c.to_string().contains(secret_rationale));
    assert_eq!(api(&f, "/api/processes/ocean/proposals/p1", None).await.0, StatusCode::OK);
}

#[tokio::test]
async fn readers_see_words_not_internal_ids_and_every_paragraph_has_its_badge() {
    let f = fixture().await;
    let home = f.get("/", None).await;
    assert!(home.text.contains("1 draft<") && !home.text.contains("1 drafts"), "{}", home.text);
    // Open paragraphs carry a badge in the margin too.
    let draft = f.get("/p/ocean/drafts/d1", None).await;
    assert_eq!(draft.status, StatusCode::OK);
    assert!(draft.text.contains("<span class=\"badge open\">Open</span>"), "{}", draft.text);
    // A session is named by its date, time and room, not `s1`.
    let norland = f.login("norland").await;
    let fields =
        [("date", "2026-04-14"), ("time", "10:00–13:00"), ("room", "Conference Room 4"), ("agenda", "2")];
    let (ask, done) = f.post_confirmed("/p/ocean/sessions", &norland, &fields).await;
    assert!(ask.text.contains("agenda: paragraph 2"), "{}", ask.text);
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let page = f.get("/p/ocean/sessions", Some(&norland)).await;
    assert!(
        page.text.contains(">Informal session of 14 April 2026, 10:00–13:00 · Conference Room 4</h2>"),
        "{}",
        page.text
    );
    assert!(!page.text.contains(">s1<") && !page.text.contains("s1 ·"), "{}", page.text);
}

#[tokio::test]
async fn the_letters_of_the_seed_and_a_revision_s_cover_letter_are_shown_with_the_draft() {
    let f = fixture().await;
    let seed = std::fs::read_to_string("../../../shared/seeds/000_a85ec3b89659f1a1.txt").unwrap();
    let canonical = accord_workspace::import::canonical_of(&seed).unwrap();
    let sec = accord_core::negotiation::Actor::Secretariat { name: "Ana".into() };
    let action = accord_core::negotiation::Action::ImportDraft {
        label: "Zero draft (WSIS)".into(),
        canonical,
        publication: accord_core::negotiation::Publication::Public,
        lineage: None,
    };
    web_support::execute(&f.ws, &sec, action).await;
    let page = f.get("/p/ocean/drafts/d2", None).await;
    assert_eq!(page.status, StatusCode::OK);
    // Both letters, folded above the text, in words and escaped.
    assert!(
        page.text
            .contains("<details class=\"letters\"><summary><strong>The 2 letters with this draft</strong>"),
        "{}",
        &page.text[..4000.min(page.text.len())]
    );
    assert!(
        page.text.contains("from The President of the General Assembly, 7 December, 2015"),
        "sender in words"
    );
    assert!(page.text.contains("Please accept, Excellency, the assurances of my highest consideration."));
    assert!(page.text.contains("final meetings on 9 and 10 December"), "the co-facilitators' letter");
    assert!(
        page.text.find("class=\"letters\"") < page.text.find("id=\"toc-h\""),
        "letters come before the text"
    );
    // The print view has them open.
    let print = f.get("/p/ocean/drafts/d2/export.html", None).await;
    assert!(print.text.contains("<details class=\"letters\" open>"), "the print view opens the letters");
    // A revision's cover letter, produced from the working text, is shown with it.
    let norland = f.login("norland").await;
    let (ask, done) = f
        .post_confirmed(
            "/p/ocean/revisions",
            &norland,
            &[("label", "Rev.1"), ("date", "9 April 2026"), ("publication", "public")],
        )
        .await;
    // The first step said what the revision will be, its cover letter included.
    assert!(ask.text.contains("Produce “Rev.1” from the working text of"), "{}", ask.text);
    assert!(ask.text.contains("Its cover letter, from"), "{}", ask.text);
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let page = f.get("/p/ocean/drafts/d3", None).await;
    assert!(page.text.contains("The letter with this draft"), "{}", &page.text[..3000.min(page.text.len())]);
    assert!(page.text.contains("id=\"letter-1\""));
    // A draft without letters shows no empty box.
    let zero = f.get("/p/ocean/drafts/d1", None).await;
    assert!(!zero.text.contains("class=\"letters\""));
}
