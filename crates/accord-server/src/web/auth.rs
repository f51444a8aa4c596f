//! Accounts, logins and browser sessions.
//!
//! Passwords are hashed with argon2id (off the async threads). A login gives
//! an HttpOnly, SameSite=Lax cookie (Secure when the request came over TLS,
//! as a proxy's `X-Forwarded-Proto: https` says) whose SHA-256 the store
//! keeps, with a per-session CSRF token that every form carries. Logged-out
//! forms (login, invitation) use a double-submit CSRF cookie. Failed logins
//! are slowed per account and address, per address and per account
//! (`throttle`).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, RwLock};

use accord_core::negotiation::Actor;
use accord_store::WebSessionRecord;
use accord_workspace::accounts::{account_of, authenticate};
use accord_workspace::secrets::{new_token_secret, token_hash};
use accord_workspace::Workspace;
use axum::http::{header, HeaderMap, HeaderValue};

use super::throttle;

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
/// Most sessions kept in memory: a flood of logins cannot grow the server
/// without bound.
pub const MAX_TRACKED: usize = 10_000;

/// How long a cached session is trusted before the store is asked again: a
/// logout on another node (several nodes share the store) ends the session
/// here within this time.
pub const SESSION_RECHECK_MS: i64 = 5_000;

/// A cached session: the record, its account, and when the store was read.
type Cached = (WebSessionRecord, Account, i64);

/// Caches a session (the store keeps them all; this is only a cache). At the
/// bound, expired sessions go first, then all: they are read again from the store.
fn cache_session(
    sessions: &mut HashMap<String, Cached>,
    record: WebSessionRecord,
    account: Account,
    now: i64,
) {
    if sessions.len() >= MAX_TRACKED {
        sessions.retain(|_, (s, _, _)| s.expires_at_ms > now);
        if sessions.len() >= MAX_TRACKED {
            sessions.clear();
        }
    }
    sessions.insert(record.hash.clone(), (record, account, now));
}

/// Why a login did not give a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginError {
    /// Too many failed attempts: try again after this many seconds.
    Throttled {
        /// The wait.
        seconds: u64,
    },
    /// Unknown username or wrong password (which of the two is not said).
    Refused,
    /// The store could not be read or written (a full disk, a read-only
    /// database): the server's trouble, not the person's.
    Unavailable(String),
}

impl std::fmt::Display for LoginError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoginError::Throttled { seconds } => {
                write!(f, "too many failed attempts; try again in {seconds} seconds")
            }
            LoginError::Refused => f.write_str("unknown username or wrong password"),
            LoginError::Unavailable(_) => {
                f.write_str("logging in is not possible just now: the server cannot record the session; try again shortly")
            }
        }
    }
}

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
    sessions: RwLock<HashMap<String, Cached>>,
    /// The write quota, shared with the API.
    pub(crate) writes: Arc<crate::api::RateLimiter>,
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
    pub(crate) fn new(ws: Arc<Workspace>, writes: Arc<crate::api::RateLimiter>) -> Arc<WebState> {
        Arc::new(WebState {
            ws,
            sessions: RwLock::new(HashMap::new()),
            writes,
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
        let corpus = self.ws.corpus();
        let links = super::markup::Links::through(corpus.as_deref());
        let a: Arc<str> = super::draft_article(process, draft, document, links).into();
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
                Some((s, a, read_at)) if s.expires_at_ms > now && now - read_at < SESSION_RECHECK_MS => {
                    Some((s, a))
                }
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
                            cache_session(&mut m, s.clone(), account.clone(), now);
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

    /// Logs in `username` from the client at `address` (when known);
    /// returns the session cookie's secret.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        address: Option<IpAddr>,
    ) -> Result<String, LoginError> {
        let now = self.ws.now_ms();
        let name = username.to_string();
        self.ws
            .with_store(move |st| throttle::check(st, &name, address, now))
            .await
            .map_err(|e| LoginError::Unavailable(e.to_string()))?
            .map_err(|e| LoginError::Unavailable(e.to_string()))?
            .map_err(|seconds| LoginError::Throttled { seconds })?;
        let account = authenticate(&self.ws, username, password)
            .await
            .map_err(|e| LoginError::Unavailable(e.to_string()))?;
        let name = username.to_string();
        let Some(account) = account else {
            // Counted before answering: a guesser cannot outrun the count.
            self.ws
                .with_store(move |st| throttle::failed(st, &name, address, now))
                .await
                .map_err(|e| LoginError::Unavailable(e.to_string()))?
                .map_err(|e| LoginError::Unavailable(e.to_string()))?;
            return Err(LoginError::Refused);
        };
        let secret = self.start_session(account).await.map_err(LoginError::Unavailable)?;
        // A success not recorded only leaves the pair's count standing.
        if let Ok(Err(e)) = self.ws.with_store(move |st| throttle::succeeded(st, &name, address, now)).await {
            tracing::warn!(error = %e, "cannot record a successful login in the login counters");
        }
        Ok(secret)
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
            cache_session(&mut m, record, account, self.ws.now_ms());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_sessions_stay_bounded() {
        let mut sessions = HashMap::new();
        let account =
            Account { username: "a".into(), actor: Actor::Observer { name: "o".into() }, process: None };
        for i in 0..MAX_TRACKED + 10 {
            let record = WebSessionRecord {
                hash: format!("h{i}"),
                username: "a".into(),
                csrf: String::new(),
                expires_at_ms: 5_000,
            };
            cache_session(&mut sessions, record, account.clone(), 1_000);
        }
        assert!(sessions.len() <= MAX_TRACKED);
    }
}
