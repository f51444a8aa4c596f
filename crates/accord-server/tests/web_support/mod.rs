//! What the browser-facing tests share: a process `ocean` on a fresh SQLite
//! store with accounts for every role, and a logged-in browser (session
//! cookie and CSRF token) that posts forms as a page would, in process.

#![allow(dead_code)]

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use accord_core::negotiation::{Action, Actor, Participant, ParticipantKind, ProcessInfo, Publication};
use accord_server::{app, Workspace};
use accord_store::Sqlite;
use accord_workspace::accounts::create_account;
use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery staple";
pub const ZERO: &str = "Draft outcome on ocean data\n\n\
    1. Recalling its resolution 70/1 of 25 September 2015,\n\n\
    2. Decides to convene [a high-level meeting] in 2027 to review progress;\n\n\
    3. Requests the Secretary-General to report on the implementation.\n";

/// The application on a temporary store.
pub struct Fixture {
    pub app: axum::Router,
    pub ws: Arc<Workspace>,
    _dir: tempfile::TempDir,
}

/// An answer: status, headers, body as text.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    pub bytes: Vec<u8>,
}

impl Answer {
    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

/// A logged-in browser.
pub struct Browser {
    pub cookie: String,
    pub csrf: String,
}

pub fn clock() -> Box<dyn Fn() -> i64 + Send + Sync> {
    let t = Arc::new(AtomicI64::new(1_775_000_000_000));
    Box::new(move || t.fetch_add(1000, Ordering::Relaxed))
}

pub async fn execute(ws: &Workspace, actor: &Actor, action: Action) {
    ws.execute("ocean", actor.clone(), action, None).await.unwrap_or_else(|e| panic!("{e}"));
}

pub fn delegation(id: &str) -> Actor {
    Actor::Delegation { delegation: id.into() }
}

/// Process `ocean` (public) co-facilitated by Norland; Norway, Valdoria and
/// Estoria, the Nordic group (Norway first: its focal point, then
/// Valdoria); a public zero draft. Accounts: `ana` (secretariat), `norland`
/// (co-facilitator), `norway1`, `valdoria1`, `estoria1`, `watcher`
/// (observer).
pub async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Sqlite::open(&dir.path().join("accord.sqlite3")).unwrap();
    let ws = Workspace::open_with_clock(Box::new(store), clock()).unwrap();
    let sec = Actor::Secretariat { name: "Ana".into() };
    let info = ProcessInfo {
        title: "Ocean data".into(),
        co_facilitators: vec!["Norland".into()],
        public: true,
        ..Default::default()
    };
    execute(&ws, &sec, Action::CreateProcess { info }).await;
    for (id, name, kind, members) in [
        ("norway", "Norway", ParticipantKind::MemberState, vec![]),
        ("valdoria", "Valdoria", ParticipantKind::MemberState, vec![]),
        ("estoria", "Estoria", ParticipantKind::MemberState, vec![]),
        (
            "nordic",
            "Nordic group",
            ParticipantKind::Group,
            vec!["norway".to_string(), "valdoria".to_string()],
        ),
    ] {
        let participant = Participant { id: id.into(), name: name.into(), kind, members };
        execute(&ws, &sec, Action::AddParticipant { participant }).await;
    }
    let canonical = accord_workspace::import::canonical_of(ZERO).unwrap();
    let action = Action::ImportDraft {
        label: "Zero draft".into(),
        canonical,
        publication: Publication::Public,
        lineage: None,
    };
    execute(&ws, &sec, action).await;
    for (user, actor) in [
        ("ana", sec.clone()),
        ("norland", Actor::CoFacilitator { name: "Norland".into() }),
        ("norway1", delegation("norway")),
        ("valdoria1", delegation("valdoria")),
        ("estoria1", delegation("estoria")),
        ("watcher", Actor::Observer { name: "Watcher".into() }),
    ] {
        create_account(&ws, user, PASSWORD, &actor, Some("ocean".into())).await.unwrap();
    }
    Fixture { app: app(ws.clone()), ws, _dir: dir }
}

fn set_cookie(headers: &HeaderMap, name: &str) -> String {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.split(';').next().filter(|kv| kv.starts_with(&format!("{name}="))))
        .unwrap_or_else(|| panic!("no {name} cookie"))
        .to_string()
}

/// The first CSRF token a page's forms carry.
pub fn csrf_in(html: &str) -> String {
    html.split("name=\"csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("").to_string()
}

/// `application/x-www-form-urlencoded` for `fields`.
pub fn encode(fields: &[(&str, &str)]) -> String {
    let esc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                b' ' => "+".to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    fields.iter().map(|(k, v)| format!("{}={}", esc(k), esc(v))).collect::<Vec<_>>().join("&")
}

/// The hidden fields of the form posting to `action` in `html` (name, value).
pub fn hidden_fields(html: &str, action: &str) -> Vec<(String, String)> {
    let form = html
        .split("<form")
        .find(|f| f.contains(&format!("action=\"{action}\"")))
        .unwrap_or_else(|| panic!("no form to {action} in {html}"));
    let form = form.split("</form>").next().unwrap_or("");
    form.split("<input type=\"hidden\" ")
        .skip(1)
        .filter_map(|i| {
            let attr = |a: &str| i.split(&format!("{a}=\"")).nth(1)?.split('"').next().map(unescape);
            Some((attr("name")?, attr("value")?))
        })
        .collect()
}

/// The entities askama writes (named or numeric), back to text.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';').filter(|e| *e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let c = match entity {
            "quot" => Some('"'),
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "apos" => Some('\''),
            e if e.starts_with("#x") || e.starts_with("#X") => {
                u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32)
            }
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

impl Fixture {
    pub async fn send(&self, req: Request<Body>) -> Answer {
        let res = self.app.clone().oneshot(req).await.unwrap();
        let (status, headers) = (res.status(), res.headers().clone());
        let body = axum::body::to_bytes(res.into_body(), 64 << 20).await.unwrap().to_vec();
        Answer { status, headers, text: String::from_utf8_lossy(&body).into_owned(), bytes: body }
    }

    pub async fn get(&self, path: &str, who: Option<&Browser>) -> Answer {
        let mut req = Request::get(path);
        if let Some(b) = who {
            req = req.header(header::COOKIE, &b.cookie);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    pub async fn login(&self, user: &str) -> Browser {
        let page = self.get("/login", None).await;
        let pre = set_cookie(&page.headers, "accord_csrf");
        let csrf = csrf_in(&page.text);
        let form = encode(&[("csrf", &csrf), ("username", user), ("password", PASSWORD), ("next", "/")]);
        let req = Request::post("/login")
            .header(header::COOKIE, &pre)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap();
        let done = self.send(req).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "login as {user}: {}", done.text);
        let cookie = set_cookie(&done.headers, "accord_session");
        let home = self.get("/p/ocean", Some(&Browser { cookie: cookie.clone(), csrf: String::new() })).await;
        Browser { cookie, csrf: csrf_in(&home.text) }
    }

    /// Posts a form as `who`, with their CSRF token.
    pub async fn post(&self, path: &str, who: &Browser, fields: &[(&str, &str)]) -> Answer {
        let mut all = vec![("csrf", who.csrf.as_str())];
        all.extend_from_slice(fields);
        let req = Request::post(path)
            .header(header::COOKIE, &who.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(encode(&all)))
            .unwrap();
        self.send(req).await
    }

    /// Posts a form that asks first: the first answer must be the
    /// confirmation page (nothing recorded), whose own form is then sent.
    /// Answers (the confirmation page, the second step's answer).
    pub async fn post_confirmed(
        &self,
        path: &str,
        who: &Browser,
        fields: &[(&str, &str)],
    ) -> (Answer, Answer) {
        let before = self.ws.process("ocean").map(|s| s.state.read().unwrap().seq);
        let ask = self.post(path, who, fields).await;
        assert_eq!(ask.status, StatusCode::OK, "{path}: {}", ask.text);
        let after = self.ws.process("ocean").map(|s| s.state.read().unwrap().seq);
        assert_eq!(before, after, "{path}: the first step recorded nothing");
        let carried = hidden_fields(&ask.text, path);
        assert!(carried.contains(&("confirm".into(), "yes".into())), "{path}: {}", ask.text);
        let fields: Vec<(&str, &str)> =
            carried.iter().filter(|(k, _)| k != "csrf").map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let done = self.post(path, who, &fields).await;
        (ask, done)
    }

    /// The number of events process `ocean` has recorded.
    pub async fn events(&self) -> usize {
        self.ws.process_events("ocean").await.unwrap().len()
    }

    /// The last event: who, what kind, and its whole payload.
    pub async fn last_event(&self) -> (String, String, serde_json::Value) {
        let events = self.ws.process_events("ocean").await.unwrap();
        let e = events.last().unwrap();
        (e.actor.clone(), e.action.clone(), serde_json::from_str(&e.payload).unwrap())
    }
}
