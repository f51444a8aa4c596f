//! Idempotency keys: a client's retried request is recorded once and
//! answered with the first outcome — but only the *same* request by the
//! *same* actor. A key is scoped to (process, actor, method and route, key);
//! the request it was first used for is fingerprinted, and the same key on
//! the same scope with another request is refused (the IETF
//! `Idempotency-Key` draft's 422), never answered with someone else's
//! outcome.
//!
//! The log keeps, for each keyed event, the scope's digest and the request's
//! fingerprint (`k2:SCOPE:FINGERPRINT`, never the client's key itself), so
//! keys survive a restart. Memory is bounded: the index keeps the most recent
//! [`KEY_CAPACITY`] keys; an older key's retry is refused by the store's
//! uniqueness (a 422 "duplicate request"), never recorded twice.

use std::collections::{HashMap, VecDeque};

use accord_core::negotiation::{Actor, Outcome};
use sha2::{Digest, Sha256};

use crate::error::WorkspaceError;

/// Longest accepted key, in bytes (declared in the OpenAPI document).
pub const MAX_KEY_LEN: usize = 200;

/// Most keys remembered at once, over all processes (a few hundred bytes each).
pub const KEY_CAPACITY: usize = 100_000;

/// The prefix of keys written in the scoped form.
const SCOPED: &str = "k2:";

/// A client's key for one request, with what it may be reused for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestKey {
    key: String,
    scope: String,
    fingerprint: String,
}

impl RequestKey {
    /// A key sent with a request. `scope` names the kind of request (for
    /// HTTP: the method and the route template); `request` is everything that
    /// makes this request what it is (the concrete path, the body): a reuse
    /// of the key with other bytes is a conflict.
    pub fn new(key: &str, scope: &str, request: &[&[u8]]) -> Result<RequestKey, WorkspaceError> {
        if key.is_empty() || key.len() > MAX_KEY_LEN || key.chars().any(char::is_control) {
            return Err(WorkspaceError::Invalid(format!(
                "an idempotency key is 1 to {MAX_KEY_LEN} bytes of text without control characters"
            )));
        }
        let mut h = Sha256::new();
        for part in request {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part);
        }
        Ok(RequestKey { key: key.to_string(), scope: scope.to_string(), fingerprint: hex(&h.finalize()) })
    }

    /// The key as the log keeps it for `actor` in `process`.
    pub(crate) fn stored(&self, process: &str, actor: &Actor) -> StoredKey {
        let mut h = Sha256::new();
        for part in [process, &actor.label(), &self.scope, &self.key] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        StoredKey { scope: hex(&h.finalize()), fingerprint: self.fingerprint.clone() }
    }
}

/// A key as recorded: the scope's digest and the request's fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredKey {
    pub scope: String,
    pub fingerprint: String,
}

impl StoredKey {
    /// The form written in the event's `idempotency_key`.
    pub fn to_log(&self) -> String {
        format!("{SCOPED}{}:{}", self.scope, self.fingerprint)
    }

    /// Reads a recorded key; `None` for keys of before scoping (they were
    /// the client's bare key, and no new request can match them).
    pub fn from_log(s: &str) -> Option<StoredKey> {
        let (scope, fingerprint) = s.strip_prefix(SCOPED)?.split_once(':')?;
        Some(StoredKey { scope: scope.to_string(), fingerprint: fingerprint.to_string() })
    }
}

fn hex(bytes: &[u8]) -> String {
    // 128 bits are plenty to tell requests apart, and halve the index.
    bytes.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// What a recorded key answers.
#[derive(Debug, Clone)]
pub(crate) struct KeyEntry {
    pub process: String,
    pub fingerprint: String,
    pub outcome: Outcome,
}

/// The remembered keys, oldest evicted first.
#[derive(Debug)]
pub(crate) struct KeyIndex {
    map: HashMap<String, KeyEntry>,
    order: VecDeque<String>,
    capacity: usize,
}

impl KeyIndex {
    pub fn new(capacity: usize) -> KeyIndex {
        KeyIndex { map: HashMap::new(), order: VecDeque::new(), capacity: capacity.max(1) }
    }

    pub fn get(&self, scope: &str) -> Option<&KeyEntry> {
        self.map.get(scope)
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn insert(&mut self, scope: String, entry: KeyEntry) {
        if self.map.insert(scope.clone(), entry).is_none() {
            self.order.push_back(scope);
        }
        while self.map.len() > self.capacity {
            let Some(oldest) = self.order.pop_front() else { break };
            self.map.remove(&oldest);
        }
    }

    /// Every entry, oldest first.
    pub fn into_entries(mut self) -> Vec<(String, KeyEntry)> {
        let map = &mut self.map;
        self.order.drain(..).filter_map(|k| map.remove(&k).map(|e| (k, e))).collect()
    }

    /// Forgets every key of `process`: the process is rebuilt from the log,
    /// and the log's keys are what is kept (a key of an event the store
    /// refused must not answer a retry, whatever its sequence number).
    pub fn forget_process(&mut self, process: &str) {
        self.map.retain(|_, e| e.process != process);
        let map = &self.map;
        self.order.retain(|k| map.contains_key(k));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: u64) -> KeyEntry {
        KeyEntry {
            process: "p".into(),
            fingerprint: "f".into(),
            outcome: Outcome {
                seq,
                proposal: None,
                draft: None,
                session: None,
                paragraph: None,
                revision: 0,
            },
        }
    }

    #[test]
    fn the_index_is_bounded_and_evicts_the_oldest() {
        let mut index = KeyIndex::new(3);
        for i in 0..10u64 {
            index.insert(format!("k{i}"), entry(i));
        }
        assert_eq!(index.len(), 3);
        assert!(index.get("k6").is_none());
        assert!(index.get("k7").is_some() && index.get("k9").is_some());
        assert_eq!(index.order.len(), 3);
    }

    #[test]
    fn keys_are_scoped_by_actor_and_fingerprinted_by_request() {
        let a = RequestKey::new("k", "POST /x", &[b"/x", b"{}"]).unwrap();
        let del = Actor::Delegation { delegation: "estoria".into() };
        let obs = Actor::Observer { name: "o".into() };
        assert_ne!(a.stored("p", &del).scope, a.stored("p", &obs).scope);
        assert_ne!(a.stored("p", &del).scope, a.stored("q", &del).scope);
        let other_route = RequestKey::new("k", "POST /y", &[b"/x", b"{}"]).unwrap();
        assert_ne!(a.stored("p", &del).scope, other_route.stored("p", &del).scope);
        let other_body = RequestKey::new("k", "POST /x", &[b"/x", b"{ }"]).unwrap();
        assert_eq!(a.stored("p", &del).scope, other_body.stored("p", &del).scope);
        assert_ne!(a.stored("p", &del).fingerprint, other_body.stored("p", &del).fingerprint);
        let stored = a.stored("p", &del);
        assert_eq!(StoredKey::from_log(&stored.to_log()), Some(stored));
        assert_eq!(StoredKey::from_log("a-bare-key-of-before"), None);
    }

    #[test]
    fn keys_too_long_or_empty_are_refused() {
        assert!(RequestKey::new("", "s", &[]).is_err());
        assert!(RequestKey::new(&"x".repeat(MAX_KEY_LEN + 1), "s", &[]).is_err());
        assert!(RequestKey::new(&"x".repeat(MAX_KEY_LEN), "s", &[]).is_ok());
    }
}
