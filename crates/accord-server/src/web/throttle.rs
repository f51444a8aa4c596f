//! Slowing down password guessing without letting a stranger lock anyone out.
//!
//! Three counters of failed logins, each with a free allowance and then an
//! exponential back-off (1 s, 2 s, 4 s, … capped at 15 minutes):
//! - per account *and* client address: the person mistyping is slowed, and
//!   nobody on another address can slow them;
//! - per client address, whatever the account: password spraying across many
//!   names from one address. The allowance is generous because a conference
//!   venue puts a whole room of delegates behind one address;
//! - per account, whatever the address: guessing one account from many
//!   addresses. It does not apply to an address that has logged in to that
//!   account before, so a distributed attack cannot lock its owner out.
//!
//! A refused (throttled) attempt is not counted: waiting is enough to get the
//! next try. A counter is forgotten 30 minutes after its last failure.
//!
//! The counters live in the store (`accord_store::LoginCounter`), not in
//! this node's memory: behind a proxy every node counts the same failures,
//! so a guesser does not get one allowance per node. The store bounds their
//! number, so a flood of made-up names or addresses cannot grow it. Keys are
//! hashed: the store keeps no username or address in the clear here.

use std::net::IpAddr;

use accord_store::{LoginCounter, LoginCounterChange, Store, StoreError};
use accord_workspace::secrets::token_hash;

/// Failures allowed per account and address before the back-off starts.
pub const PAIR_ALLOWANCE: u32 = 5;
/// Failures allowed per client address (all accounts) before the back-off.
pub const ADDRESS_ALLOWANCE: u32 = 50;
/// Failures allowed per account (all addresses) before unknown addresses wait.
pub const ACCOUNT_ALLOWANCE: u32 = 20;
/// The longest wait.
pub const MAX_WAIT_MS: i64 = 15 * 60 * 1000;
/// How long a counter lives after its last failure: longer than the longest
/// wait, so a patient guesser keeps waiting the longest wait.
pub const FORGET_AFTER_MS: i64 = 2 * MAX_WAIT_MS;
/// How long a successful login makes its address known for the account.
pub const KNOWN_FOR_MS: i64 = 30 * 24 * 3600 * 1000;
/// When the next attempt may be made after `c`, given the free allowance.
fn next_allowed(c: &LoginCounter, allowance: u32) -> i64 {
    if c.count < allowance {
        return i64::MIN;
    }
    let doublings = (c.count - allowance).min(20);
    c.last_ms + (1000_i64 << doublings).min(MAX_WAIT_MS)
}

/// The four counters of one attempt: the account and address together, the
/// address, the account, and the mark of an address known to the account.
struct Keys {
    pair: String,
    address: String,
    account: String,
    known: String,
}

impl Keys {
    fn of(username: &str, address: Option<IpAddr>) -> Keys {
        let address = address.map_or_else(|| "-".to_string(), |a| a.to_string());
        // The address has no space: "address username" is unambiguous.
        let pair = token_hash(&format!("{address} {username}"));
        Keys {
            known: format!("known {pair}"),
            pair: format!("pair {pair}"),
            address: format!("address {}", token_hash(&address)),
            account: format!("account {}", token_hash(username)),
        }
    }
}

/// `Ok(Err(seconds))` when `username` from `address` must wait before
/// trying again. `address` is `None` when the connection's address is not
/// known (all such attempts share one counter).
pub fn check(
    store: &mut dyn Store,
    username: &str,
    address: Option<IpAddr>,
    now: i64,
) -> Result<Result<(), u64>, StoreError> {
    let k = Keys::of(username, address);
    let found = store.login_counters(&[k.pair, k.address, k.account, k.known], now)?;
    let [pair, address, account, known] = found[..] else {
        return Err(StoreError::Unavailable("the store answered for the wrong login counters".into()));
    };
    let mut until = i64::MIN;
    if let Some(c) = pair {
        until = until.max(next_allowed(&c, PAIR_ALLOWANCE));
    }
    if let Some(c) = address {
        until = until.max(next_allowed(&c, ADDRESS_ALLOWANCE));
    }
    if known.is_none() {
        if let Some(c) = account {
            until = until.max(next_allowed(&c, ACCOUNT_ALLOWANCE));
        }
    }
    Ok(match until > now {
        true => Err(u64::try_from((until - now + 999) / 1000).unwrap_or(1)),
        false => Ok(()),
    })
}

/// Counts a failed login.
pub fn failed(
    store: &mut dyn Store,
    username: &str,
    address: Option<IpAddr>,
    now: i64,
) -> Result<(), StoreError> {
    let k = Keys::of(username, address);
    let strike = |key: String| LoginCounterChange::Strike { key, lifetime_ms: FORGET_AFTER_MS };
    store.change_login_counters(&[strike(k.pair), strike(k.address), strike(k.account)], now)
}

/// Records a successful login: the pair's counter is cleared and the
/// address becomes known for the account. The address's and the account's
/// counters stay: logging in to one's own account must not reset a spraying
/// attacker's count.
pub fn succeeded(
    store: &mut dyn Store,
    username: &str,
    address: Option<IpAddr>,
    now: i64,
) -> Result<(), StoreError> {
    let k = Keys::of(username, address);
    store.change_login_counters(
        &[
            LoginCounterChange::Remove { key: k.pair },
            LoginCounterChange::Mark { key: k.known, lifetime_ms: KNOWN_FOR_MS },
        ],
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The throttle on a store of its own, with the old call shapes.
    struct T {
        store: accord_store::Sqlite,
        _dir: tempfile::TempDir,
    }

    impl T {
        fn default() -> T {
            let dir = tempfile::tempdir().unwrap();
            T { store: accord_store::Sqlite::open(&dir.path().join("t.sqlite3")).unwrap(), _dir: dir }
        }
        fn check(&mut self, u: &str, a: Option<IpAddr>, now: i64) -> Result<(), u64> {
            check(&mut self.store, u, a, now).unwrap()
        }
        fn failed(&mut self, u: &str, a: Option<IpAddr>, now: i64) {
            failed(&mut self.store, u, a, now).unwrap();
        }
        fn succeeded(&mut self, u: &str, a: Option<IpAddr>, now: i64) {
            succeeded(&mut self.store, u, a, now).unwrap();
        }
    }

    fn ip(last: u8) -> Option<IpAddr> {
        Some(IpAddr::from([192, 0, 2, last]))
    }

    #[test]
    fn a_person_mistyping_is_slowed_then_forgiven() {
        let mut t = T::default();
        for i in 0..PAIR_ALLOWANCE {
            assert_eq!(t.check("ana", ip(1), i64::from(i)), Ok(()));
            t.failed("ana", ip(1), i64::from(i));
        }
        let last = i64::from(PAIR_ALLOWANCE - 1);
        assert_eq!(t.check("ana", ip(1), last + 1), Err(1));
        assert_eq!(t.check("ana", ip(1), last + 1000), Ok(()));
        t.failed("ana", ip(1), last + 1000);
        assert_eq!(t.check("ana", ip(1), last + 1001), Err(2));
        // Another address is not slowed by ana's typing.
        assert_eq!(t.check("ana", ip(2), last + 1001), Ok(()));
        // Long after the last failure, the counter is gone.
        t.failed("ana", ip(1), last + 3000);
        assert!(t.check("ana", ip(1), last + 3000 + 4000 - 1).is_err());
        assert_eq!(t.check("ana", ip(1), last + 3000 + FORGET_AFTER_MS), Ok(()));
        t.failed("ana", ip(1), last + 3000 + FORGET_AFTER_MS);
        assert_eq!(t.check("ana", ip(1), last + 3001 + FORGET_AFTER_MS), Ok(()), "counting afresh");
    }

    #[test]
    fn the_back_off_doubles_up_to_fifteen_minutes() {
        let mut t = T::default();
        let mut now = 0;
        let mut waits = Vec::new();
        for _ in 0..PAIR_ALLOWANCE + 14 {
            if let Err(s) = t.check("ana", ip(1), now) {
                waits.push(s);
                now += i64::try_from(s).unwrap() * 1000;
            }
            t.failed("ana", ip(1), now);
        }
        assert_eq!(&waits[..5], &[1, 2, 4, 8, 16]);
        // A patient guesser keeps waiting the longest wait.
        assert_eq!(&waits[waits.len() - 4..], &[900, 900, 900, 900]);
    }

    #[test]
    fn spraying_many_names_from_one_address_is_slowed() {
        let mut t = T::default();
        for i in 0..ADDRESS_ALLOWANCE {
            assert_eq!(t.check(&format!("user{i}"), ip(9), 0), Ok(()));
            t.failed(&format!("user{i}"), ip(9), 0);
        }
        assert!(t.check("someone-new", ip(9), 0).is_err());
        // Another address in the same venue is not slowed.
        assert_eq!(t.check("someone-new", ip(10), 0), Ok(()));
    }

    #[test]
    fn a_stranger_guessing_from_many_addresses_cannot_lock_the_owner_out() {
        let mut t = T::default();
        t.succeeded("ana", ip(1), 0);
        for i in 0..200u8 {
            t.failed("ana", Some(IpAddr::from([198, 51, 100, i])), 10);
        }
        // Unknown addresses wait for ana's account...
        assert!(t.check("ana", Some(IpAddr::from([203, 0, 113, 7])), 11).is_err());
        // ...her own address does not.
        assert_eq!(t.check("ana", ip(1), 11), Ok(()));
    }

    #[test]
    fn success_does_not_reset_the_address_counter() {
        let mut t = T::default();
        for i in 0..ADDRESS_ALLOWANCE {
            t.failed(&format!("user{i}"), ip(9), 0);
        }
        t.succeeded("attacker", ip(9), 1);
        assert!(t.check("user-next", ip(9), 2).is_err());
    }
}
