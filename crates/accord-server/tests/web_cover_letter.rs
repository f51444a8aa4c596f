//! The cover letter of a revision, edited before it is circulated (issue 15,
//! item 2), in process: the confirmation page offers the generated letter in
//! a text box — with the paragraphs to focus on and the next informal
//! sessions — and the revision goes out with the letter as edited, its text
//! still the working text's.

mod web_support;

use accord_core::negotiation::Action;
use axum::http::StatusCode;
use web_support::{execute, fixture, hidden_fields, unescape};

/// The text of the `<textarea name="letter">` of a page, unescaped.
fn letter_box(html: &str) -> String {
    let at = html.find("name=\"letter\"").unwrap_or_else(|| panic!("no letter box in {html}"));
    let from = at + html[at..].find('>').unwrap() + 1;
    unescape(&html[from..from + html[from..].find("</textarea>").unwrap()])
}

#[tokio::test]
async fn the_cover_letter_is_edited_before_the_revision_is_circulated() {
    let f = fixture().await;
    let cofac = accord_core::negotiation::Actor::CoFacilitator { name: "Norland".into() };
    let session = Action::ScheduleSession {
        date: "2026-12-09".into(),
        time: "10:00".into(),
        room: "Conference Room 4".into(),
        agenda: vec!["2".into()],
    };
    execute(&f.ws, &cofac, session).await;
    let norland = f.login("norland").await;
    let fields = [("label", "Rev.1"), ("date", "9 April 2026"), ("publication", "circulated")];
    let before = f.events().await;
    let ask = f.post("/p/ocean/revisions", &norland, &fields).await;
    assert_eq!(ask.status, StatusCode::OK, "{}", ask.text);
    assert_eq!(f.events().await, before, "the first step records nothing");
    let letter = letter_box(&ask.text);
    assert!(letter.starts_with("We have the honour to circulate Rev.1 of the Ocean data"), "{letter}");
    assert!(
        letter.contains("We invite delegations to focus on paragraph 2, where brackets remain."),
        "{letter}"
    );
    assert!(
        letter.contains(
            "The next informal session will be held on 9 December 2026, 10:00 in Conference Room 4."
        ),
        "{letter}"
    );
    assert!(letter.contains("\n\n"), "paragraphs are separated by an empty line: {letter}");

    // The co-facilitator rewrites it; the revision goes out with that letter.
    let edited = "We have the honour to circulate Rev.1, which reflects the informal of 2 April.\n\n\
                  Delegations are invited to send comments on paragraph 2\nby 20 April.";
    let carried = hidden_fields(&ask.text, "/p/ocean/revisions");
    let mut second: Vec<(&str, &str)> =
        carried.iter().filter(|(k, _)| k != "csrf").map(|(k, v)| (k.as_str(), v.as_str())).collect();
    second.push(("letter", edited));
    let done = f.post("/p/ocean/revisions", &norland, &second).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    assert_eq!(f.events().await, before + 1);
    let slot = f.ws.process("ocean").unwrap();
    let (rev, working) = {
        let s = slot.state.read().unwrap();
        (s.latest().unwrap().clone(), s.working.clone())
    };
    assert_eq!(rev.label, "Rev.1");
    let body = &rev.document.letters[0].body;
    assert_eq!(
        body,
        &vec![
            "We have the honour to circulate Rev.1, which reflects the informal of 2 April.".to_string(),
            "Delegations are invited to send comments on paragraph 2 by 20 April.".to_string(),
        ]
    );
    assert_eq!(rev.document.letters[0].sender, "Norland", "the rest of the letter is kept");
    // The text is the working text's, whatever the letter says.
    let texts: Vec<&str> = rev.document.paragraphs.iter().map(|p| p.text.as_str()).collect();
    let working: Vec<&str> = working.paragraphs.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(texts, working);
    let page = f.get("/p/ocean/drafts/d2", Some(&norland)).await;
    assert!(page.text.contains("Delegations are invited to send comments on paragraph 2 by 20 April."));
}

#[tokio::test]
async fn a_letter_too_long_or_with_control_characters_produces_nothing() {
    let f = fixture().await;
    let norland = f.login("norland").await;
    let before = f.events().await;
    let long = "x".repeat(20_001);
    for letter in [long.as_str(), "a bell \u{7} rings"] {
        let fields = [("label", "Rev.1"), ("confirm", "yes"), ("letter", letter)];
        let refused = f.post("/p/ocean/revisions", &norland, &fields).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.text);
        assert!(refused.text.contains("nothing was produced"), "{}", refused.text);
    }
    assert_eq!(f.events().await, before);
}
