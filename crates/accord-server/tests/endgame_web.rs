//! The end game on the web, in process with a clock the test moves: the
//! process home shows the deadline with the time left, the silence and who
//! broke it on what, and what was circulated to whom; co-facilitators set
//! the deadline, start silence and adopt through forms with the CSRF token,
//! delegations break silence; and the Atom feed lists only public drafts.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use accord_core::negotiation::{Action, Actor, Participant, ParticipantKind, ProcessInfo, Publication};
use accord_server::{app, Workspace};
use accord_store::Sqlite;
use accord_workspace::accounts::create_account;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery staple";
/// 2026-12-01T12:00:00Z, 07:00 in New York.
const START: i64 = 1_796_126_400_000;
const CLEAN: &str = "Draft outcome\n\n1. Recalling its resolution 70/1,\n\n\
Operative\n\n2. Decides to act by 2030.\n\n3. Requests a report.\n\n4. Decides to remain seized of the matter.\n";

struct Fixture {
    app: axum::Router,
    ws: Arc<Workspace>,
    now: Arc<AtomicI64>,
    _dir: tempfile::TempDir,
}

struct Browser {
    cookie: String,
    csrf: String,
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    text: String,
}

fn set_cookie(a: &Answer, name: &str) -> String {
    a.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.split(';').next().filter(|kv| kv.starts_with(&format!("{name}="))))
        .unwrap_or_else(|| panic!("no {name} cookie"))
        .to_string()
}

fn csrf_in(html: &str) -> String {
    html.split("name=\"csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("").to_string()
}

fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            let v: String = v
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!("{k}={v}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

impl Fixture {
    /// Process `ocean` (public), co-facilitator Norland, delegations alpha
    /// and beta, the clean draft public; accounts `norland`, `alpha1`.
    async fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let now = Arc::new(AtomicI64::new(START));
        let clock = now.clone();
        let store = Sqlite::open(&dir.path().join("accord.sqlite3")).unwrap();
        let ws = Workspace::open_with_clock(Box::new(store), Box::new(move || clock.load(Ordering::SeqCst)))
            .unwrap();
        let sec = Actor::Secretariat { name: "Ana".into() };
        let info = ProcessInfo {
            title: "Ocean data".into(),
            co_facilitators: vec!["Norland".into()],
            public: true,
            ..Default::default()
        };
        ws.execute("ocean", sec.clone(), Action::CreateProcess { info }, None).await.unwrap();
        for id in ["alpha", "beta"] {
            let participant = Participant {
                id: id.into(),
                name: id.to_uppercase(),
                kind: ParticipantKind::MemberState,
                members: vec![],
            };
            ws.execute("ocean", sec.clone(), Action::AddParticipant { participant }, None).await.unwrap();
        }
        let alpha = Actor::Delegation { delegation: "alpha".into() };
        ws.set_focal_points("ocean", &sec, &alpha, vec![("Ana Alpha".into(), "ana@alpha.example".into())])
            .await
            .unwrap();
        let canonical = accord_workspace::import::canonical_of(CLEAN).unwrap();
        let action = Action::ImportDraft {
            label: "Rev.2".into(),
            canonical,
            publication: Publication::Public,
            lineage: None,
        };
        ws.execute("ocean", sec.clone(), action, None).await.unwrap();
        for (user, actor) in [("norland", Actor::CoFacilitator { name: "Norland".into() }), ("alpha1", alpha)]
        {
            create_account(&ws, user, PASSWORD, &actor, Some("ocean".into())).await.unwrap();
        }
        Fixture { app: app(ws.clone()), ws, now, _dir: dir }
    }

    async fn send(&self, req: Request<Body>) -> Answer {
        let res = self.app.clone().oneshot(req).await.unwrap();
        let (status, headers) = (res.status(), res.headers().clone());
        let body = axum::body::to_bytes(res.into_body(), 64 << 20).await.unwrap();
        Answer { status, headers, text: String::from_utf8_lossy(&body).into_owned() }
    }

    async fn get(&self, path: &str, who: Option<&Browser>) -> Answer {
        let mut req = Request::get(path);
        if let Some(b) = who {
            req = req.header(header::COOKIE, &b.cookie);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    async fn login(&self, user: &str) -> Browser {
        let page = self.get("/login", None).await;
        let pre = set_cookie(&page, "accord_csrf");
        let csrf = csrf_in(&page.text);
        let form = form_body(&[("csrf", &csrf), ("username", user), ("password", PASSWORD), ("next", "/")]);
        let req = Request::post("/login")
            .header(header::COOKIE, &pre)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap();
        let done = self.send(req).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "login as {user}: {}", done.text);
        let cookie = set_cookie(&done, "accord_session");
        let home = self.get("/p/ocean", Some(&Browser { cookie: cookie.clone(), csrf: String::new() })).await;
        Browser { cookie, csrf: csrf_in(&home.text) }
    }

    async fn post(&self, path: &str, who: &Browser, fields: &[(&str, &str)]) -> Answer {
        let mut all = vec![("csrf", who.csrf.as_str())];
        all.extend_from_slice(fields);
        let req = Request::post(path)
            .header(header::COOKIE, &who.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form_body(&all)))
            .unwrap();
        self.send(req).await
    }

    async fn home(&self, who: &Browser) -> String {
        let page = self.get("/p/ocean", Some(who)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        let start = page.text.find("<section aria-labelledby=\"endgame-h\"").unwrap_or(0);
        let end = page.text[start..].find("</section>").map_or(page.text.len(), |e| start + e);
        page.text[start..end].to_string()
    }
}

#[tokio::test]
async fn the_end_game_through_the_process_home() {
    let f = Fixture::new().await;
    let norland = f.login("norland").await;
    let alpha = f.login("alpha1").await;
    let home = f.home(&norland).await;
    assert!(home.contains("No deadline for textual proposals is set."), "{home}");
    assert!(home.contains("id=\"deadline-form\""), "{home}");
    assert!(home.contains(&format!("value=\"{}\"", norland.csrf)), "the forms carry the CSRF token: {home}");
    // What was circulated to whom: the co-facilitator sees the mail.
    assert!(home.contains("Ocean data: Rev.2"), "{home}");
    assert!(home.contains("Ana Alpha (delegation:alpha)") && home.contains("1 queued"), "{home}");
    // A delegation sees no co-facilitator's forms.
    let theirs = f.home(&alpha).await;
    assert!(!theirs.contains("deadline-form") && !theirs.contains("adopt-form"), "{theirs}");

    // A forged token is refused; the real one sets the deadline (New York time).
    let forged = Browser { cookie: norland.cookie.clone(), csrf: "forged".into() };
    let refused = f.post("/p/ocean/endgame/deadline", &forged, &[("until", "2026-12-01T09:00")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    let set = f.post("/p/ocean/endgame/deadline", &norland, &[("until", "2026-12-01T09:00")]).await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.text);
    let home = f.home(&norland).await;
    assert!(home.contains("Tuesday 1 December 2026, 09:00 EST"), "{home}");
    assert!(home.contains("2 hours 0 minutes left"), "{home}");

    // Silence until 10:00 New York time; the delegation may break it.
    let started = f.post("/p/ocean/endgame/silence", &norland, &[("until", "2026-12-01T10:00")]).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.text);
    let theirs = f.home(&alpha).await;
    assert!(
        theirs.contains("Draft under silence until") && theirs.contains("3 hours 0 minutes left"),
        "{theirs}"
    );
    assert!(theirs.contains("id=\"break-form\""), "{theirs}");
    f.now.store(START + 3_600_000, Ordering::SeqCst);
    let broke =
        f.post("/p/ocean/endgame/break", &alpha, &[("paragraphs", "2, 3"), ("reason", "Too early.")]).await;
    assert_eq!(broke.status, StatusCode::SEE_OTHER, "{}", broke.text);
    let home = f.home(&norland).await;
    assert!(home.contains("Silence broken"), "{home}");
    for cell in ["<td>2</td><td>ALPHA</td><td>Too early.</td>", "<td>3</td><td>ALPHA</td><td>Too early.</td>"]
    {
        assert!(home.contains(cell), "{cell} in {home}");
    }
    // The delegation's own mail only: it hears of the break, not of others' mail.
    let theirs = f.home(&alpha).await;
    assert!(theirs.contains("silence broken by ALPHA"), "{theirs}");
    // After the silence's end, adoption is refused naming the reopened paragraphs.
    f.now.store(START + 3 * 3_600_000, Ordering::SeqCst);
    let adopt = f.post("/p/ocean/endgame/adopt", &norland, &[("date", "")]).await;
    assert_eq!(adopt.status, StatusCode::CONFLICT, "{}", adopt.text);
    assert!(adopt.text.contains("2, 3"), "{}", adopt.text);
    // A delegation does not adopt.
    let no = f.post("/p/ocean/endgame/adopt", &alpha, &[("date", "")]).await;
    assert_eq!(no.status, StatusCode::FORBIDDEN, "{}", no.text);
}

#[tokio::test]
async fn the_atom_feed_lists_only_public_drafts() {
    let f = Fixture::new().await;
    let sec = Actor::Secretariat { name: "Ana".into() };
    for (label, publication) in
        [("Rev.3 (internal)", Publication::Internal), ("Rev.3", Publication::Circulated)]
    {
        let canonical = accord_workspace::import::canonical_of(CLEAN).unwrap();
        let action = Action::ImportDraft { label: label.into(), canonical, publication, lineage: None };
        f.ws.execute("ocean", sec.clone(), action, None).await.unwrap();
    }
    let feed = f.get("/p/ocean/feed.atom", None).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert_eq!(feed.headers[header::CONTENT_TYPE], "application/atom+xml; charset=utf-8");
    let doc =
        roxmltree::Document::parse(&feed.text).unwrap_or_else(|e| panic!("not XML: {e}\n{}", feed.text));
    let atom = "http://www.w3.org/2005/Atom";
    let root = doc.root_element();
    assert!(root.has_tag_name((atom, "feed")), "{}", feed.text);
    let child = |n: roxmltree::Node<'_, '_>, name: &str| -> Vec<String> {
        n.children()
            .filter(|c| c.has_tag_name((atom, name)))
            .map(|c| c.text().unwrap_or("").to_string())
            .collect()
    };
    // RFC 4287: a feed has exactly one id, title and updated, and an author.
    for name in ["id", "title", "updated"] {
        assert_eq!(child(root, name).len(), 1, "feed/{name}: {}", feed.text);
    }
    assert!(root.children().any(|c| c.has_tag_name((atom, "author"))), "{}", feed.text);
    let entries: Vec<_> = root.children().filter(|c| c.has_tag_name((atom, "entry"))).collect();
    let titles: Vec<String> = entries.iter().flat_map(|e| child(*e, "title")).collect();
    assert_eq!(titles, ["Rev.2"], "only the public draft: {}", feed.text);
    for e in &entries {
        for name in ["id", "title", "updated"] {
            assert_eq!(child(*e, name).len(), 1, "entry/{name}: {}", feed.text);
        }
        let updated = &child(*e, "updated")[0];
        assert!(updated.ends_with('Z') && updated.len() >= 20, "RFC 3339: {updated}");
    }
    // A process the public may not see has no feed.
    let info = ProcessInfo { title: "Closed".into(), public: false, ..Default::default() };
    f.ws.execute("closed", sec, Action::CreateProcess { info }, None).await.unwrap();
    assert_eq!(f.get("/p/closed/feed.atom", None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(f.get("/p/nowhere/feed.atom", None).await.status, StatusCode::NOT_FOUND);
}
