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
    // In a session, paragraph 3 is agreed ad ref: a decision the comparison links too.
    let session = Action::ScheduleSession {
        date: "2026-04-08".into(),
        time: "10:00".into(),
        room: "Room 4".into(),
        agenda: vec!["3".into()],
    };
    execute(&f.ws, &cofac, session).await;
    let base_revision = f.ws.process("ocean").unwrap().state.read().unwrap().paragraph_revision("3");
    let status = Action::SetStatus {
        paragraph: "3".into(),
        status: accord_core::Status::AgreedAdRef,
        note: None,
        base_revision,
        session: Some("s1".into()),
    };
    execute(&f.ws, &cofac, status).await;
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

    // The comparison links the change to the proposal that caused it, for
    // those who read the proposals; the public sees the change, not who.
    let compare = f.get("/p/ocean/compare?old=d1&new=d2", Some(&norway)).await;
    assert!(
        compare.text.contains("<p class=\"causes\">From <a href=\"/p/ocean/proposals/p1\">Proposal 1 (Norway): replace &#34;2027&#34; with &#34;2028&#34;</a></p>"),
        "{}",
        compare.text
    );
    // The status change names the session decision that made it.
    let statuses = compare.text.split("<h2>Status changes</h2>").nth(1).expect("status changes");
    let three = statuses.split("<li>").find(|l| l.starts_with("Paragraph 3")).expect("paragraph 3");
    assert!(
        three.contains("<span class=\"causes\"> — from <a href=\"/p/ocean/sessions#session-s1\">Informal session of 8 April 2026, 10:00"),
        "{three}"
    );
    let public_compare = f.get("/p/ocean/compare?old=d1&new=d2", None).await;
    assert_eq!(public_compare.status, StatusCode::OK);
    assert!(!public_compare.text.contains("class=\"causes\""), "{}", public_compare.text);

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

/// With a corpus of adopted texts (`accord serve --corpus`), a citation in
/// the text leads to the passage it cites on the corpus's page, a
/// resolution's symbol to its copy there; the origin page says what the
/// check of each citation found and which passages the paragraph reuses.
#[tokio::test]
async fn citations_lead_to_the_passages_they_cite() {
    use accord_core::trace::{CorpusDocument, CorpusIndex, CorpusUnit};
    let f = fixture().await;
    let unit = |number: &str, text: &str| CorpusUnit { number: number.into(), text: text.into() };
    let agenda =
        "On behalf of the peoples we serve, we have adopted a historic decision on a comprehensive, \
                  far-reaching and people-centred set of universal and transformative Goals and targets.";
    f.ws.set_corpus(CorpusIndex::build(vec![
        CorpusDocument {
            symbol: "A/RES/70/1".into(),
            name: "Transforming our world: the 2030 Agenda for Sustainable Development".into(),
            aliases: vec!["Agenda 2030".into()],
            date: Some("25 September 2015".into()),
            language: Some("en".into()),
            units: vec![unit("1", "We, the Heads of State and Government, meeting in New York."), unit("2", agenda)],
        },
        CorpusDocument {
            symbol: "WSIS-05/TUNIS/DOC/6(Rev.1)".into(),
            name: "Tunis Agenda for the Information Society".into(),
            aliases: vec![],
            date: None,
            language: None,
            units: vec![unit("111", "We request the General Assembly to make an overall review of the implementation of WSIS outcomes in 2015.")],
        },
    ]));
    let text = format!(
        "Draft outcome on ocean data\n\n\
         1. Recalling its resolution 70/1 of 25 September 2015,\n\n\
         2. Recalling the request in paragraph 111 of the Tunis Agenda for the Information Society to the General Assembly,\n\n\
         3. Reaffirming that {} (Paragraph 2 of Agenda 2030)\n\n\
         4. Recalling paragraph 9 of the Tunis Agenda for the Information Society,\n",
        agenda.replacen("On", "on", 1)
    );
    let sec = Actor::Secretariat { name: "Ana".into() };
    let canonical = accord_workspace::import::canonical_of(&text).unwrap();
    let import = Action::ImportDraft {
        label: "Rev.1".into(),
        canonical,
        publication: Publication::Public,
        lineage: None,
    };
    execute(&f.ws, &sec, import).await;

    let draft = f.get("/p/ocean/drafts/d2", None).await;
    assert_eq!(draft.status, StatusCode::OK, "{}", draft.text);
    for link in [
        "resolution <a class=\"ref\" href=\"/corpus/A/RES/70/1\">70/1</a> of 25 September",
        "href=\"/corpus/WSIS-05/TUNIS/DOC/6%28Rev.1%29#u-111\"",
        "href=\"/corpus/A/RES/70/1#u-2\"",
        // A paragraph the copy lacks: the document's page, which says what it holds.
        "href=\"/corpus/WSIS-05/TUNIS/DOC/6%28Rev.1%29\"",
    ] {
        assert!(draft.text.contains(link), "{link} in {}", draft.text);
    }

    // The corpus's pages: the list, and the document with an anchor per unit.
    let list = f.get("/corpus", None).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    assert!(list.text.contains("<a href=\"/corpus/A/RES/70/1\">Transforming our world"), "{}", list.text);
    let doc = f.get("/corpus/WSIS-05/TUNIS/DOC/6%28Rev.1%29", None).await;
    assert_eq!(doc.status, StatusCode::OK, "{}", doc.text);
    assert!(
        doc.text.contains("<p id=\"u-111\" dir=\"auto\"><span class=\"num\">111</span> We request"),
        "{}",
        doc.text
    );
    assert_eq!(f.get("/corpus/A/RES/99/1", None).await.status, StatusCode::NOT_FOUND);

    // The origin page: each citation's check, and the passage reused.
    let three = f.get("/p/ocean/drafts/d2/origin/3", None).await;
    assert!(three.text.contains("Checked: paragraph 2 of A/RES/70/1 holds this text."), "{}", three.text);
    let sources =
        three.text.split("id=\"origin-sources\"").nth(1).expect("a source").split("</ul>").next().unwrap();
    assert!(
        sources.contains("<a href=\"/corpus/A/RES/70/1#u-2\">paragraph 2 of A/RES/70/1</a>"),
        "{sources}"
    );
    let four = f.get("/p/ocean/drafts/d2/origin/4", None).await;
    assert!(
        four.text
            .contains("Not in the corpus: paragraph 9 of WSIS-05/TUNIS/DOC/6(Rev.1) could not be checked"),
        "{}",
        four.text
    );
    assert!(
        four.text.contains("No passage of the adopted texts in the corpus is found in it."),
        "{}",
        four.text
    );
    let two = f.get("/p/ocean/drafts/d2/origin/2", None).await;
    assert!(
        two.text.contains("Does not match: paragraph 111 of WSIS-05/TUNIS/DOC/6(Rev.1) reads otherwise."),
        "{}",
        two.text
    );
    assert!(
        two.text.contains("<blockquote dir=\"auto\" class=\"cited-text\">We request the General Assembly"),
        "{}",
        two.text
    );
}
