//! Accounts and invitations: people who log in to the web pages, their
//! passwords (argon2id on a small fixed pool of threads) and the invitation
//! links through which a co-facilitator brings a delegation in.
//!
//! Sessions, cookies and login limits are the web server's; what an account
//! is, how its password is checked and how one is made are here, so the CLI
//! and the demo make accounts without the server.

use std::sync::{Arc, Mutex};

use accord_core::negotiation::{Actor, DomainError};
use accord_store::{AccountRecord, InvitationRecord, StoreError};
use argon2::password_hash::{PasswordHash, SaltString};
use argon2::Argon2;

use crate::error::WorkspaceError;
use crate::secrets::{new_token_secret, token_hash};
use crate::workspace::Workspace;

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// A person who logs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Login name.
    pub username: String,
    /// Who they act as.
    pub actor: Actor,
    /// Their process (`None`: the secretariat, every process).
    pub process: Option<String>,
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
async fn on_hash_pool<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, WorkspaceError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: HashJob = Box::new(move || {
        let _ = tx.send(f());
    });
    hash_pool()
        .and_then(|p| p.lock().ok())
        .and_then(|p| p.send(job).ok())
        .ok_or_else(|| WorkspaceError::Unavailable("no password hashing threads".into()))?;
    rx.await.map_err(|_| WorkspaceError::Unavailable("password hashing stopped".into()))
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
pub async fn hash_password(password: String) -> Result<String, WorkspaceError> {
    on_hash_pool(move || {
        let fail = |e: argon2::password_hash::Error| WorkspaceError::Unavailable(e.to_string());
        let mut raw = [0u8; 16];
        getrandom::fill(&mut raw).map_err(|e| WorkspaceError::Unavailable(e.to_string()))?;
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
pub async fn dummy_hash() -> String {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return h.clone();
    }
    let h = hash_password("accord: no such account".into()).await.unwrap_or_default();
    DUMMY.get_or_init(|| h).clone()
}

pub async fn verify_password(password: String, hash: String) -> bool {
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

/// The account a stored record describes (`None` for an unknown role).
pub fn account_of(record: &AccountRecord) -> Option<Account> {
    Some(Account {
        username: record.username.clone(),
        actor: Actor::from_label(&record.actor)?,
        process: record.process.clone(),
    })
}

/// Creates an account directly (CLI, demo).
pub async fn create_account(
    ws: &Workspace,
    username: &str,
    password: &str,
    actor: &Actor,
    process: Option<String>,
) -> Result<(), WorkspaceError> {
    check_username(username).map_err(WorkspaceError::Invalid)?;
    check_password(password).map_err(WorkspaceError::Invalid)?;
    let record = AccountRecord {
        username: username.to_string(),
        password_hash: hash_password(password.to_string()).await?,
        process,
        actor: actor.label(),
        created_at_ms: ws.now_ms(),
    };
    Ok(ws.with_store(move |st| st.add_account(&record)).await??)
}

/// Gives account `username` a new password (CLI). Safe beside a running
/// server: logins read the account from the store each time.
pub async fn reset_password(ws: &Workspace, username: &str, password: &str) -> Result<(), WorkspaceError> {
    check_password(password).map_err(WorkspaceError::Invalid)?;
    let hash = hash_password(password.to_string()).await?;
    let name = username.to_string();
    if ws.with_store(move |st| st.set_account_password(&name, &hash)).await?? {
        Ok(())
    } else {
        Err(WorkspaceError::Invalid(format!("there is no account `{username}`")))
    }
}

/// The account `username` if `password` is theirs. The time taken does not
/// tell whether the username exists.
pub async fn authenticate(
    ws: &Workspace,
    username: &str,
    password: &str,
) -> Result<Option<Account>, WorkspaceError> {
    let name = username.to_string();
    let record = ws.with_store(move |st| st.account(&name)).await??;
    // Verify against a fixed hash when there is no such account.
    let hash = match &record {
        Some(r) => r.password_hash.clone(),
        None => dummy_hash().await,
    };
    let ok = verify_password(password.to_string(), hash).await && record.is_some();
    Ok(record.as_ref().and_then(account_of).filter(|_| ok))
}

/// Creates an invitation link's secret, valid for `days`.
pub async fn create_invitation(
    ws: &Workspace,
    process: Option<String>,
    actor: &Actor,
    days: i64,
) -> Result<String, WorkspaceError> {
    let secret = new_token_secret().map_err(WorkspaceError::Unavailable)?;
    let record = InvitationRecord {
        hash: token_hash(&secret),
        process,
        actor: actor.label(),
        expires_at_ms: ws.now_ms() + days * 86_400_000,
    };
    ws.with_store(move |st| st.add_invitation(&record)).await??;
    Ok(secret)
}

/// The invitation behind a link's secret, if it is unused and unexpired.
pub async fn invitation(ws: &Workspace, secret: &str) -> Option<InvitationRecord> {
    let hash = token_hash(secret);
    let now = ws.now_ms();
    ws.with_store(move |st| st.invitation(&hash, now)).await.ok()?.ok()?
}

/// Accepts an invitation: makes the account `username` with `password` in
/// the invitation's role, once. A weak password or a taken name is
/// [`WorkspaceError::Invalid`] (the person may try again); a used or expired
/// link is not found.
pub async fn accept_invitation(
    ws: &Workspace,
    secret: &str,
    username: &str,
    password: &str,
) -> Result<Account, WorkspaceError> {
    let gone = || DomainError::NotFound("this invitation link was just used or has expired".into());
    let inv = invitation(ws, secret).await.ok_or_else(gone)?;
    check_username(username).and_then(|()| check_password(password)).map_err(WorkspaceError::Invalid)?;
    let record = AccountRecord {
        username: username.to_string(),
        password_hash: hash_password(password.to_string()).await?,
        process: inv.process.clone(),
        actor: inv.actor.clone(),
        created_at_ms: ws.now_ms(),
    };
    let (h, now) = (token_hash(secret), ws.now_ms());
    let r2 = record.clone();
    match ws.with_store(move |st| st.accept_invitation(&h, &r2, now)).await? {
        Ok(true) => {}
        Ok(false) => return Err(gone().into()),
        Err(StoreError::Duplicate(m)) => return Err(WorkspaceError::Invalid(m)),
        Err(e) => return Err(e.into()),
    }
    account_of(&record).ok_or_else(|| WorkspaceError::Invalid(format!("unknown role `{}`", record.actor)))
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
