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
//! next try. A counter is forgotten 30 minutes after its last failure. Every
//! map is bounded: a flood of made-up names or addresses cannot grow the server.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;

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
/// Most entries kept in each map.
pub const MAX_TRACKED: usize = 10_000;

/// Failed logins of one key: how many, and when the last was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Strikes {
    count: u32,
    last: i64,
}

impl Strikes {
    /// When the next attempt may be made, given the free allowance.
    fn next_allowed(&self, allowance: u32) -> i64 {
        if self.count < allowance {
            return i64::MIN;
        }
        let doublings = (self.count - allowance).min(20);
        self.last + (1000_i64 << doublings).min(MAX_WAIT_MS)
    }
}

/// A map with a bound: at the bound, stale entries go first, then the older
/// half, so the newest (an attack under way) are the ones kept.
#[derive(Debug)]
struct Bounded<K> {
    entries: HashMap<K, Strikes>,
    lifetime_ms: i64,
}

impl<K: Eq + Hash + Clone> Bounded<K> {
    fn new(lifetime_ms: i64) -> Self {
        Bounded { entries: HashMap::new(), lifetime_ms }
    }

    fn get(&self, key: &K, now: i64) -> Option<Strikes> {
        self.entries.get(key).copied().filter(|s| now - s.last < self.lifetime_ms)
    }

    fn make_room(&mut self, key: &K, now: i64) {
        if self.entries.len() < MAX_TRACKED || self.entries.contains_key(key) {
            return;
        }
        let lifetime = self.lifetime_ms;
        self.entries.retain(|_, s| now - s.last < lifetime);
        if self.entries.len() >= MAX_TRACKED {
            let mut times: Vec<i64> = self.entries.values().map(|s| s.last).collect();
            times.sort_unstable();
            let cut = times[times.len() / 2];
            self.entries.retain(|_, s| s.last > cut);
        }
    }

    fn strike(&mut self, key: &K, now: i64) {
        let fresh = self.get(key, now).is_none();
        self.make_room(key, now);
        let e = self.entries.entry(key.clone()).or_insert(Strikes { count: 0, last: now });
        if fresh {
            e.count = 0;
        }
        e.count = e.count.saturating_add(1);
        e.last = now;
    }

    /// Records a success (for the known-address map: `count` unused).
    fn touch(&mut self, key: &K, now: i64) {
        self.make_room(key, now);
        self.entries.insert(key.clone(), Strikes { count: 0, last: now });
    }

    fn remove(&mut self, key: &K) {
        self.entries.remove(key);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.len()
    }
}

/// The login counters of one server.
#[derive(Debug)]
pub struct LoginThrottle {
    pairs: Bounded<(String, Option<IpAddr>)>,
    addresses: Bounded<Option<IpAddr>>,
    accounts: Bounded<String>,
    known: Bounded<(String, Option<IpAddr>)>,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle {
            pairs: Bounded::new(FORGET_AFTER_MS),
            addresses: Bounded::new(FORGET_AFTER_MS),
            accounts: Bounded::new(FORGET_AFTER_MS),
            known: Bounded::new(KNOWN_FOR_MS),
        }
    }
}

impl LoginThrottle {
    /// `Err(seconds)` when `username` from `address` must wait before trying
    /// again. `address` is `None` when the connection's address is not known
    /// (all such attempts share one counter).
    pub fn check(&self, username: &str, address: Option<IpAddr>, now: i64) -> Result<(), u64> {
        let pair = (username.to_string(), address);
        let mut until = i64::MIN;
        if let Some(s) = self.pairs.get(&pair, now) {
            until = until.max(s.next_allowed(PAIR_ALLOWANCE));
        }
        if let Some(s) = self.addresses.get(&address, now) {
            until = until.max(s.next_allowed(ADDRESS_ALLOWANCE));
        }
        if self.known.get(&pair, now).is_none() {
            if let Some(s) = self.accounts.get(&pair.0, now) {
                until = until.max(s.next_allowed(ACCOUNT_ALLOWANCE));
            }
        }
        match until > now {
            true => Err(u64::try_from((until - now + 999) / 1000).unwrap_or(1)),
            false => Ok(()),
        }
    }

    /// Counts a failed login.
    pub fn failed(&mut self, username: &str, address: Option<IpAddr>, now: i64) {
        self.pairs.strike(&(username.to_string(), address), now);
        self.addresses.strike(&address, now);
        self.accounts.strike(&username.to_string(), now);
    }

    /// Records a successful login: the pair's counter is cleared and the
    /// address becomes known for the account. The address's and the
    /// account's counters stay: logging in to one's own account must not
    /// reset a spraying attacker's count.
    pub fn succeeded(&mut self, username: &str, address: Option<IpAddr>, now: i64) {
        let pair = (username.to_string(), address);
        self.pairs.remove(&pair);
        self.known.touch(&pair, now);
    }

    /// The number of entries kept, all maps together.
    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.pairs.len() + self.addresses.len() + self.accounts.len() + self.known.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> Option<IpAddr> {
        Some(IpAddr::from([192, 0, 2, last]))
    }

    #[test]
    fn a_person_mistyping_is_slowed_then_forgiven() {
        let mut t = LoginThrottle::default();
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
        let mut t = LoginThrottle::default();
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
        let mut t = LoginThrottle::default();
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
        let mut t = LoginThrottle::default();
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
        let mut t = LoginThrottle::default();
        for i in 0..ADDRESS_ALLOWANCE {
            t.failed(&format!("user{i}"), ip(9), 0);
        }
        t.succeeded("attacker", ip(9), 1);
        assert!(t.check("user-next", ip(9), 2).is_err());
    }

    #[test]
    fn the_maps_stay_bounded() {
        let mut t = LoginThrottle::default();
        for i in 0..(MAX_TRACKED as u32 + 5000) {
            let addr = Some(IpAddr::from(i.to_be_bytes()));
            t.failed(&format!("user{i}"), addr, i64::from(i));
            t.succeeded(&format!("user{i}"), addr, i64::from(i));
        }
        assert!(t.tracked() <= 4 * MAX_TRACKED, "{}", t.tracked());
    }
}
