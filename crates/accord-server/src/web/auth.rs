//! Accounts, logins and browser sessions.
//!
//! Passwords are hashed with argon2id (off the async threads). A login gives
//! an HttpOnly, SameSite=Lax cookie (Secure when the request came over TLS,
//! as a proxy's `X-Forwarded-Proto: https` says) whose SHA-256 the store
//! keeps, with a per-session CSRF token that every form carries. Logged-out
//! forms (login, invitation) use a double-submit CSRF cookie. Failed logins
//! are limited per username.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use accord_core::negotiation::Actor;
use accord_store::WebSessionRecord;
use accord_workspace::accounts::{account_of, authenticate};
use accord_workspace::secrets::{new_token_secret, token_hash};
use accord_workspace::Workspace;
use axum::http::{header, HeaderMap, HeaderValue};

pub use accord_workspace::accounts::{
    check_password, check_username, create_account, create_invitation, hash_password, Account,
    MIN_PASSWORD_CHARS,
};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "accord_session";
/// The logged-out CSRF cookie's name.
pub const CSRF_COOKIE: &str = "accord_csrf";
/// How long a login lasts.
pub const SESSION_MS: i64 = 12 * 3600 * 1000;
/// Failed logins allowed per username before a pause.
pub const MAX_FAILURES: u32 = 5;
/// The pause, after the last failure.
pub const LOCKOUT_MS: i64 = 60 * 1000;
/// Who is looking at a page.
#[derive(Clone, Default)]
pub struct Viewer {
    /// The account, when logged in.
    pub account: Option<Account>,
    /// The CSRF token forms must carry.
    pub csrf: String,
    /// The session cookie's hash (to log out).
    pub session: Option<String>,
    /// A CSRF cookie to set (logged-out pages that carry a form).
    pub set_csrf_cookie: Option<String>,
    /// Whether the request came over TLS.
    pub secure: bool,
}

impl Viewer {
    /// The actor this viewer is in `process` (the public when the account
    /// belongs to another process).
    pub fn actor_in(&self, process: &str) -> Option<Actor> {
        let a = self.account.as_ref()?;
        match &a.process {
            Some(p) if p != process => None,
            _ => Some(a.actor.clone()),
        }
    }
}

/// What the web layer keeps besides the workspace.
pub struct WebState {
    /// The workspace.
    pub ws: Arc<Workspace>,
    sessions: RwLock<HashMap<String, (WebSessionRecord, Account)>>,
    failures: Mutex<HashMap<String, (u32, i64)>>,
    /// Drafts' article HTML by (process, draft): drafts never change.
    articles: Mutex<HashMap<(String, String), Arc<str>>>,
    /// Texts live viewers were shown, for those who reconnect.
    pub live: super::live::History,
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value with Accord's flags.
pub fn set_cookie(name: &str, value: &str, max_age_s: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_s}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

impl WebState {
    /// Wraps the workspace.
    pub fn new(ws: Arc<Workspace>) -> Arc<WebState> {
        Arc::new(WebState {
            ws,
            sessions: RwLock::new(HashMap::new()),
            failures: Mutex::new(HashMap::new()),
            articles: Mutex::new(HashMap::new()),
            live: super::live::History::default(),
        })
    }

    /// The article HTML of a draft, made once.
    pub fn draft_article(&self, process: &str, draft: &str, document: &accord_core::Draft) -> Arc<str> {
        let key = (process.to_string(), draft.to_string());
        if let Some(a) = self.articles.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return a;
        }
        let a: Arc<str> = super::draft_article(document).into();
        if let Ok(mut m) = self.articles.lock() {
            m.insert(key, a.clone());
        }
        a
    }

    /// Who is asking, from the request's cookies.
    pub async fn viewer(&self, headers: &HeaderMap) -> Viewer {
        let secure = headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes() == b"https");
        if let Some(secret) = cookie(headers, SESSION_COOKIE) {
            let hash = token_hash(secret);
            let now = self.ws.now_ms();
            let cached = self.sessions.read().ok().and_then(|m| m.get(&hash).cloned());
            let found = match cached {
                Some((s, a)) if s.expires_at_ms > now => Some((s, a)),
                _ => {
                    let h = hash.clone();
                    let record = self
                        .ws
                        .with_store(move |st| {
                            let s = st.web_session(&h, now).ok().flatten()?;
                            let a = st.account(&s.username).ok().flatten()?;
                            Some((s, a))
                        })
                        .await
                        .ok()
                        .flatten();
                    record.and_then(|(s, a)| {
                        let account = account_of(&a)?;
                        if let Ok(mut m) = self.sessions.write() {
                            m.insert(hash.clone(), (s.clone(), account.clone()));
                        }
                        Some((s, account))
                    })
                }
            };
            if let Some((s, account)) = found {
                return Viewer {
                    account: Some(account),
                    csrf: s.csrf,
                    session: Some(hash),
                    set_csrf_cookie: None,
                    secure,
                };
            }
        }
        // Logged out: the double-submit CSRF cookie, if the browser has one.
        // Only pages with a form for the logged out make one
        // ([`WebState::viewer_with_form`]): the others stay cacheable and cheap.
        match cookie(headers, CSRF_COOKIE) {
            Some(c) if c.len() >= 32 => Viewer { csrf: c.to_string(), secure, ..Default::default() },
            _ => Viewer { secure, ..Default::default() },
        }
    }

    /// As [`WebState::viewer`], for a page that carries a form to the logged
    /// out (login, invitation): makes the CSRF cookie when missing.
    pub async fn viewer_with_form(&self, headers: &HeaderMap) -> Viewer {
        let mut v = self.viewer(headers).await;
        if v.csrf.is_empty() {
            let c = new_token_secret().unwrap_or_default();
            v.csrf = c.clone();
            v.set_csrf_cookie = Some(c);
        }
        v
    }

    /// Logs in; returns the session cookie's secret. Errors are for the person.
    pub async fn login(&self, username: &str, password: &str) -> Result<String, String> {
        let now = self.ws.now_ms();
        if let Ok(f) = self.failures.lock() {
            if let Some((n, last)) = f.get(username) {
                if *n >= MAX_FAILURES && now - last < LOCKOUT_MS {
                    return Err(format!(
                        "too many failed attempts; try again in {} seconds",
                        (LOCKOUT_MS - (now - last)) / 1000 + 1
                    ));
                }
            }
        }
        let account = authenticate(&self.ws, username, password).await.map_err(|e| e.to_string())?;
        let Some(account) = account else {
            if let Ok(mut f) = self.failures.lock() {
                let e = f.entry(username.to_string()).or_insert((0, now));
                e.0 += 1;
                e.1 = now;
            }
            return Err("unknown username or wrong password".into());
        };
        if let Ok(mut f) = self.failures.lock() {
            f.remove(username);
        }
        self.start_session(account).await
    }

    /// Starts a session for `account`; returns the cookie's secret.
    pub async fn start_session(&self, account: Account) -> Result<String, String> {
        let secret = new_token_secret()?;
        let record = WebSessionRecord {
            hash: token_hash(&secret),
            username: account.username.clone(),
            csrf: new_token_secret()?,
            expires_at_ms: self.ws.now_ms() + SESSION_MS,
        };
        let r = record.clone();
        self.ws
            .with_store(move |st| st.add_web_session(&r))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?;
        if let Ok(mut m) = self.sessions.write() {
            m.insert(record.hash.clone(), (record, account));
        }
        Ok(secret)
    }

    /// Ends a session.
    pub async fn logout(&self, hash: &str) {
        if let Ok(mut m) = self.sessions.write() {
            m.remove(hash);
        }
        let h = hash.to_string();
        let _ = self.ws.with_store(move |st| st.end_web_session(&h)).await;
    }
}
