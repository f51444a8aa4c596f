//! What bounds one client's share of the server: a per-actor rate of writes
//! (a token bucket: a burst, then a steady rate; beyond it 429 with
//! `Retry-After`), and pages on every list (`?limit=&after=`, a default and
//! a maximum size, the cursor of the next page in the answer), so neither a
//! flood of tablings nor a reader of a long list grows the server.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use crate::error::ApiError;

/// Items in a page when the client does not say.
pub const DEFAULT_PAGE: usize = 1000;
/// Most items in a page.
pub const MAX_PAGE: usize = 1000;

/// Most actors whose write rate is tracked at once (a bucket is a few dozen
/// bytes; full buckets are forgotten first).
const MAX_TRACKED: usize = 10_000;

/// The write quota of each actor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Writes an actor may make at once.
    pub write_burst: u32,
    /// Writes per second an actor may sustain after the burst.
    pub writes_per_second: f64,
}

impl Default for Limits {
    /// 300 at once, then 5 a second: far above a delegation's or a
    /// co-facilitator's pace in a room, far below a script's.
    fn default() -> Limits {
        Limits { write_burst: 300, writes_per_second: 5.0 }
    }
}

impl Limits {
    /// The defaults, or `ACCORD_WRITE_BURST` and `ACCORD_WRITE_RATE` (writes
    /// per second) when set to positive numbers.
    pub fn from_env() -> Limits {
        let d = Limits::default();
        let burst = std::env::var("ACCORD_WRITE_BURST").ok().and_then(|v| v.parse().ok()).filter(|&b| b > 0);
        let rate = std::env::var("ACCORD_WRITE_RATE")
            .ok()
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|r| r.is_finite() && *r > 0.0);
        Limits {
            write_burst: burst.unwrap_or(d.write_burst),
            writes_per_second: rate.unwrap_or(d.writes_per_second),
        }
    }
}

/// The token buckets of the actors who wrote lately, shared by the API and
/// the pages: one actor has one quota, whichever way it writes.
pub(crate) struct RateLimiter {
    limits: Limits,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    pub(crate) fn new(limits: Limits) -> RateLimiter {
        RateLimiter { limits, buckets: Mutex::default() }
    }

    /// Takes one write from `actor`'s bucket, or says in how many seconds
    /// one will be there.
    pub(crate) fn take(&self, actor: &str) -> Result<(), ApiError> {
        let now = Instant::now();
        let burst = f64::from(self.limits.write_burst.max(1));
        let rate = self.limits.writes_per_second;
        let Ok(mut buckets) = self.buckets.lock() else { return Ok(()) };
        let level =
            |(tokens, at): (f64, Instant)| (tokens + now.duration_since(at).as_secs_f64() * rate).min(burst);
        if buckets.len() >= MAX_TRACKED && !buckets.contains_key(actor) {
            // Full buckets carry no information: forget them first.
            buckets.retain(|_, b| level(*b) < burst);
            if buckets.len() >= MAX_TRACKED {
                buckets.clear();
            }
        }
        let bucket = buckets.entry(actor.to_string()).or_insert((burst, now));
        let tokens = level(*bucket);
        if tokens >= 1.0 {
            *bucket = (tokens - 1.0, now);
            return Ok(());
        }
        *bucket = (tokens, now);
        let wait = ((1.0 - tokens) / rate).ceil().max(1.0) as u64;
        Err(too_many(wait, &self.limits))
    }
}

fn too_many(retry_after: u64, limits: &Limits) -> ApiError {
    let mut e = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too-many-requests",
        format!(
            "too many changes from this actor: {} at once, then {} a second; try again in {retry_after} s",
            limits.write_burst, limits.writes_per_second
        ),
    );
    e.retry_after = Some(retry_after);
    e
}

/// Adds `Retry-After` to an answer that has one.
pub(crate) fn with_retry_after(mut res: Response, retry_after: Option<u64>) -> Response {
    if let Some(s) = retry_after.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
        res.headers_mut().insert(header::RETRY_AFTER, s);
    }
    res
}

/// A list's page request: `?limit=N&after=CURSOR`.
#[derive(Debug, Default, Deserialize)]
pub(super) struct PageQuery {
    pub limit: Option<usize>,
    pub after: Option<String>,
}

impl PageQuery {
    /// The page size asked for, within bounds.
    pub fn limit(&self) -> Result<usize, ApiError> {
        match self.limit {
            None => Ok(DEFAULT_PAGE),
            Some(n) if (1..=MAX_PAGE).contains(&n) => Ok(n),
            Some(n) => Err(ApiError::bad_request(format!("limit {n} is not between 1 and {MAX_PAGE}"))),
        }
    }

    /// The query is well formed (a limit in range, a cursor that is not
    /// empty), whether or not the reply is paged.
    pub fn check(&self) -> Result<(), ApiError> {
        self.limit()?;
        match self.after.as_deref() {
            Some("") => Err(ApiError::bad_request("`after` is empty; start without `after`")),
            _ => Ok(()),
        }
    }
}

/// One page of `items` (in their order): those after the cursor `after`
/// (the id of the last item of the previous page, which `visible` must
/// accept — a hidden item is no cursor, as an unknown one is not), that
/// `keep` keeps, at most `limit`; with the cursor of the next page.
pub(super) fn page<'a, T>(
    items: &'a [T],
    id: impl Fn(&T) -> &str,
    visible: impl Fn(&T) -> bool,
    keep: impl Fn(&T) -> bool,
    q: &PageQuery,
) -> Result<(Vec<&'a T>, Option<String>), ApiError> {
    let limit = q.limit()?;
    let start = match q.after.as_deref() {
        None => 0,
        Some(after) => {
            let at = items.iter().position(|x| id(x) == after).filter(|&i| visible(&items[i]));
            at.map(|i| i + 1).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "`{after}` is not a cursor of this list; start without `after`"
                ))
            })?
        }
    };
    let mut out: Vec<&T> = items[start..].iter().filter(|x| visible(x) && keep(x)).take(limit + 1).collect();
    let next = if out.len() > limit {
        out.truncate(limit);
        out.last().map(|x| id(x).to_string())
    } else {
        None
    };
    Ok((out, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_follow_their_cursor_and_skip_what_is_hidden() {
        let items: Vec<String> = (1..=7).map(|i| format!("p{i}")).collect();
        let q =
            |limit, after: Option<&str>| PageQuery { limit: Some(limit), after: after.map(str::to_string) };
        let odd = |x: &String| x.trim_start_matches('p').parse::<u32>().unwrap() % 2 == 1;
        let (first, next) = page(&items, |x| x, odd, |_| true, &q(2, None)).unwrap();
        assert_eq!((first, next.as_deref()), (vec![&items[0], &items[2]], Some("p3")));
        let (second, next) = page(&items, |x| x, odd, |_| true, &q(2, Some("p3"))).unwrap();
        assert_eq!((second, next.as_deref()), (vec![&items[4], &items[6]], None));
        // A hidden item is no cursor, as an unknown one is not.
        let hidden = page(&items, |x| x, odd, |_| true, &q(2, Some("p2"))).unwrap_err();
        let unknown = page(&items, |x| x, odd, |_| true, &q(2, Some("p9"))).unwrap_err();
        assert_eq!(hidden.status, unknown.status);
        assert!(page(&items, |x| x, odd, |_| true, &q(0, None)).is_err());
        assert!(page(&items, |x| x, odd, |_| true, &q(MAX_PAGE + 1, None)).is_err());
    }

    #[test]
    fn the_bucket_allows_its_burst_then_refuses_with_a_wait() {
        let limiter = RateLimiter::new(Limits { write_burst: 3, writes_per_second: 0.5 });
        for _ in 0..3 {
            assert!(limiter.take("delegation:estoria").is_ok());
        }
        let e = limiter.take("delegation:estoria").unwrap_err();
        assert_eq!(e.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(e.retry_after, Some(2));
        // Another actor has a bucket of its own.
        assert!(limiter.take("delegation:norland").is_ok());
    }
}
