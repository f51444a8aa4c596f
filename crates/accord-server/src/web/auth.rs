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
use accord_store::{AccountRecord, WebSessionRecord};
use argon2::password_hash::{PasswordHash, SaltString};
use argon2::Argon2;
use axum::http::{header, HeaderMap, HeaderValue};

use crate::error::ApiError;
use crate::workspace::{new_token_secret, token_hash, Workspace};

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
/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// A logged-in person.
#[derive(Clone)]
pub struct Account {
    /// Login name.
    pub username: String,
    /// Who they act as.
    pub actor: Actor,
    /// Their process (`None`: the secretariat, every process).
    pub process: Option<String>,
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

/// Password hashing work: each argon2id computation takes 19 MiB and tens of
/// milliseconds, so it runs on a fixed pool of threads, never more at once
/// than the pool has threads: a burst of logins queues instead of taking
/// the server's memory, and the memory each thread's allocator keeps stays
/// bounded by the pool.
type HashJob = Box<dyn FnOnce() + Send>;

/// Threads hashing passwords.
const HASH_THREADS: usize = 2;

fn hash_pool() -> Option<&'static std::sync::Mutex<std::sync::mpsc::Sender<HashJob>>> {
    static POOL: std::sync::OnceLock<Option<std::sync::Mutex<std::sync::mpsc::Sender<HashJob>>>> =
        std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<HashJob>();
        let rx = Arc::new(Mutex::new(rx));
        for k in 0..HASH_THREADS {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("accord-hash-{k}"))
                .spawn(move || loop {
                    let job = match rx.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                })
                .ok()?;
        }
        Some(Mutex::new(tx))
    })
    .as_ref()
}

/// Runs `f` on the hashing pool.
async fn on_hash_pool<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: HashJob = Box::new(move || {
        let _ = tx.send(f());
    });
    hash_pool()
        .and_then(|p| p.lock().ok())
        .and_then(|p| p.send(job).ok())
        .ok_or_else(|| ApiError::unavailable("no password hashing threads"))?;
    rx.await.map_err(|_| ApiError::unavailable("password hashing stopped"))
}

thread_local! {
    /// Argon2's working memory (19 MiB), kept by each hashing thread and
    /// reused: allocating it anew for every login left the allocator
    /// holding hundreds of megabytes.
    static BLOCKS: std::cell::RefCell<Vec<argon2::Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The argon2 output for `password` and `salt`, computed in the thread's
/// reused working memory.
fn argon2_output(
    argon: &Argon2<'_>,
    password: &[u8],
    salt: &argon2::password_hash::Salt<'_>,
    len: usize,
) -> argon2::password_hash::Result<argon2::password_hash::Output> {
    let mut salt_buf = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_buf)?;
    BLOCKS.with(|blocks| {
        let mut blocks = blocks.borrow_mut();
        let need = argon.params().block_count();
        if blocks.len() < need {
            blocks.resize(need, argon2::Block::default());
        }
        argon2::password_hash::Output::init_with(len, |out| {
            Ok(argon.hash_password_into_with_memory(password, salt_bytes, out, &mut blocks[..need])?)
        })
    })
}

/// Hashes a password with argon2id (default parameters), as a PHC string.
pub async fn hash_password(password: String) -> Result<String, ApiError> {
    on_hash_pool(move || {
        let fail = |e: argon2::password_hash::Error| ApiError::unavailable(&e.to_string());
        let mut raw = [0u8; 16];
        getrandom::fill(&mut raw).map_err(|e| ApiError::unavailable(&e.to_string()))?;
        let salt = SaltString::encode_b64(&raw).map_err(fail)?;
        let argon = Argon2::default();
        let output =
            argon2_output(&argon, password.as_bytes(), &salt.as_salt(), argon2::Params::DEFAULT_OUTPUT_LEN)
                .map_err(fail)?;
        let phc = PasswordHash {
            algorithm: argon2::Algorithm::Argon2id.ident(),
            version: Some(argon2::Version::V0x13.into()),
            params: argon2::password_hash::ParamsString::try_from(argon.params()).map_err(fail)?,
            salt: Some(salt.as_salt()),
            hash: Some(output),
        };
        Ok(phc.to_string())
    })
    .await?
}

/// A real argon2id hash of nothing in particular, computed once: checked
/// against when there is no such account, so a login takes as long either way.
async fn dummy_hash() -> String {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return h.clone();
    }
    let h = hash_password("accord: no such account".into()).await.unwrap_or_default();
    DUMMY.get_or_init(|| h).clone()
}

async fn verify_password(password: String, hash: String) -> bool {
    on_hash_pool(move || {
        let check = || -> argon2::password_hash::Result<bool> {
            let h = PasswordHash::new(&hash)?;
            let argon = Argon2::new(
                argon2::Algorithm::try_from(h.algorithm)?,
                argon2::Version::try_from(h.version.unwrap_or(0x13))?,
                argon2::Params::try_from(&h)?,
            );
            let (Some(salt), Some(expected)) = (h.salt, h.hash) else { return Ok(false) };
            // Output's comparison is constant-time.
            Ok(argon2_output(&argon, password.as_bytes(), &salt, expected.len())? == expected)
        };
        check().unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// Checks a new password against the policy.
pub fn check_password(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!("a password needs at least {MIN_PASSWORD_CHARS} characters"));
    }
    Ok(())
}

/// Checks a new username.
pub fn check_username(name: &str) -> Result<(), String> {
    let ok = (3..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.' || b == b'@');
    if ok {
        Ok(())
    } else {
        Err("a username is 3–64 characters of letters, digits, `-`, `_`, `.` and `@`".into())
    }
}

fn account_of(record: &AccountRecord) -> Option<Account> {
    Some(Account {
        username: record.username.clone(),
        actor: Actor::from_label(&record.actor)?,
        process: record.process.clone(),
    })
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
        let name = username.to_string();
        let record = self.ws.with_store(move |st| st.account(&name)).await.map_err(|e| e.message)?;
        let record = record.map_err(|e| e.to_string())?;
        // Verify against a fixed hash when there is no such account, so the
        // time taken does not tell which usernames exist.
        let hash = match &record {
            Some(r) => r.password_hash.clone(),
            None => dummy_hash().await,
        };
        let ok = verify_password(password.to_string(), hash).await && record.is_some();
        let account = record.as_ref().and_then(account_of);
        let Some(account) = account.filter(|_| ok) else {
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
            .map_err(|e| e.message)?
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

/// Creates an account directly (CLI, demo).
pub async fn create_account(
    ws: &Workspace,
    username: &str,
    password: &str,
    actor: &Actor,
    process: Option<String>,
) -> Result<(), String> {
    check_username(username)?;
    check_password(password)?;
    let record = AccountRecord {
        username: username.to_string(),
        password_hash: hash_password(password.to_string()).await.map_err(|e| e.message)?,
        process,
        actor: actor.label(),
        created_at_ms: ws.now_ms(),
    };
    ws.with_store(move |st| st.add_account(&record)).await.map_err(|e| e.message)?.map_err(|e| e.to_string())
}

/// Creates an invitation link's secret, valid for `days`.
pub async fn create_invitation(
    ws: &Workspace,
    process: Option<String>,
    actor: &Actor,
    days: i64,
) -> Result<String, String> {
    let secret = new_token_secret()?;
    let record = accord_store::InvitationRecord {
        hash: token_hash(&secret),
        process,
        actor: actor.label(),
        expires_at_ms: ws.now_ms() + days * 86_400_000,
    };
    ws.with_store(move |st| st.add_invitation(&record))
        .await
        .map_err(|e| e.message)?
        .map_err(|e| e.to_string())?;
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    #[tokio::test]
    async fn hashes_are_standard_argon2id_and_verify_both_ways() {
        let ours = hash_password("correct horse battery".into()).await.unwrap();
        assert!(ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{ours}");
        assert!(verify_password("correct horse battery".into(), ours.clone()).await);
        assert!(!verify_password("wrong horse battery".into(), ours.clone()).await);
        // The standard verifier accepts ours, and ours accepts the standard hasher's.
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default().verify_password(b"correct horse battery", &parsed).is_ok());
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let standard = Argon2::default().hash_password(b"staple", &salt).unwrap().to_string();
        assert!(verify_password("staple".into(), standard.clone()).await);
        assert!(!verify_password("stapler".into(), standard).await);
        assert!(!verify_password("x".into(), "not a hash".into()).await);
    }
}
