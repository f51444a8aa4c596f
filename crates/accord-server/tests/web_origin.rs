//! "Where does this come from?" for a paragraph (issue 15, item 6), in
//! process: the paragraph in each earlier draft with the changed words
//! marked, the proposals tabled on it with their fate, the texts it cites
//! linked; linked from every paragraph of the draft page; only what the
//! reader may read.

mod web_support;

use accord_core::negotiation::{Action, Actor, Decision, Publication};
use axum::http::StatusCode;
use web_support::{execute, fixture};

#[tokio::test]
async fn a_paragraph_says_where_it_comes_from() {
    let f = fixture().await;
    let norway = f.login("norway1").await;
    let fields = [("paragraph", "2"), ("kind", "replace"), ("find", "2027"), ("text", "2028")];
    assert_eq!(f.post("/p/ocean/proposals", &norway, &fields).await.status, StatusCode::SEE_OTHER);
    let cofac = Actor::CoFacilitator { name: "Norland".into() };
    let base_revision = f.ws.process("ocean").unwrap().state.read().unwrap().proposal("p1").unwrap().revision;
    let decide =
        Action::Decide { proposal: "p1".into(), decision: Decision::Accept, base_revision, session: None };
    execute(&f.ws, &cofac, decide).await;
    let revise = Action::ProduceRevision {
        label: "Rev.1".into(),
        date: Some("9 April 2026".into()),
        publication: Publication::Public,
        canonical: None,
        lineage: None,
    };
    execute(&f.ws, &cofac, revise).await;

    // The draft page links each paragraph to its origin.
    let draft = f.get("/p/ocean/drafts/d2", Some(&norway)).await;
    assert!(
        draft.text.contains("<a href=\"/p/ocean/drafts/d2/origin/2\">Where does paragraph 2 come from?</a>"),
        "{}",
        draft.text
    );

    let page = f.get("/p/ocean/drafts/d2/origin/2", Some(&norway)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let drafts = page.text.split("id=\"origin-drafts\"").nth(1).unwrap().split("</ol>").next().unwrap();
    let steps: Vec<&str> = drafts.split("<li>").skip(1).collect();
    assert_eq!(steps.len(), 2, "{drafts}");
    assert!(steps[0].contains("Rev.1 · 9 April 2026, paragraph 2</a> — changed"), "{}", steps[0]);
    assert!(steps[0].contains("<mark class=\"changed\">2028</mark>"), "{}", steps[0]);
    assert!(steps[1].contains("Zero draft, paragraph 2</a> — first appears"), "{}", steps[1]);
    assert!(steps[1].contains("2027") && !steps[1].contains("<mark"), "{}", steps[1]);
    let proposals = page.text.split("id=\"origin-proposals\"").nth(1).unwrap().split("</ul>").next().unwrap();
    assert!(
        proposals
            .contains(">Proposal 1</a>: <span dir=\"auto\">Norway, on paragraph 2 of Zero draft: replace"),
        "{proposals}"
    );
    assert!(proposals.contains("Accepted by the co-facilitators; taken into Rev.1."), "{proposals}");

    // Paragraph 1 cites resolution 70/1: linked to its source.
    let one = f.get("/p/ocean/drafts/d2/origin/1", Some(&norway)).await;
    assert!(one.text.contains("id=\"origin-cites\""), "{}", one.text);
    assert!(one.text.contains("href=\"https://undocs.org/"), "{}", one.text);
    assert!(
        one.text.contains("Zero draft, paragraph 1</a> — unchanged") || one.text.contains("— first appears")
    );

    // The public reads the drafts, not who proposed what.
    let public = f.get("/p/ocean/drafts/d2/origin/2", None).await;
    assert_eq!(public.status, StatusCode::OK, "{}", public.text);
    assert!(!public.text.contains("Norway"), "{}", public.text);
    assert!(public.text.contains("The proposals are shown to the participants"), "{}", public.text);
    // An unknown paragraph or draft is not found.
    assert_eq!(f.get("/p/ocean/drafts/d2/origin/99", Some(&norway)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(f.get("/p/ocean/drafts/d9/origin/2", Some(&norway)).await.status, StatusCode::NOT_FOUND);
}
