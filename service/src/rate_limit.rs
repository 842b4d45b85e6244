//! Rate limits kept in memory: a token bucket per client address. Enough for
//! one server process; a limit is a brake on scraping, not an account
//! record, so losing the buckets on a restart is harmless.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use wire::AppError;

/// Buckets kept before full ones (idle clients) are dropped.
const MAX_TRACKED: usize = 10_000;

/// Token buckets keyed by client address: `burst` requests at once, refilled
/// at `burst` per `period`.
pub struct RateLimiter {
    burst: f64,
    period: Duration,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    /// A limit of `burst` requests per `period` for each address.
    pub fn new(burst: u32, period: Duration) -> Self {
        Self {
            burst: f64::from(burst),
            period,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token of `key`'s bucket at `now`, or tells how long until
    /// the next one.
    pub fn take(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let rate = self.burst / self.period.as_secs_f64();
        let refill = |(tokens, at): (f64, Instant)| {
            (
                self.burst
                    .min(tokens + now.saturating_duration_since(at).as_secs_f64() * rate),
                now,
            )
        };
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= MAX_TRACKED && !buckets.contains_key(key) {
            // A full bucket is the same as none: forget those.
            buckets.retain(|_, b| refill(*b).0 < self.burst);
        }
        let bucket = buckets.entry(key.to_string()).or_insert((self.burst, now));
        let (tokens, _) = refill(*bucket);
        if tokens >= 1.0 {
            *bucket = (tokens - 1.0, now);
            Ok(())
        } else {
            *bucket = (tokens, now);
            Err(Duration::from_secs_f64((1.0 - tokens) / rate))
        }
    }

    /// [`Self::take`] now, as the error a server function answers with.
    pub fn check(&self, key: &str) -> Result<(), AppError> {
        self.take(key, Instant::now()).map_err(|wait| {
            tracing::warn!(address = key, "rate limit reached");
            AppError::Throttled(wait.as_secs().div_ceil(60).max(1) as i64)
        })
    }
}

/// Public household search without signing in: 30 a minute per address,
/// plenty for a village office whose computers share one address, far too
/// few to copy every household's card, name and balance.
pub static PUBLIC_SEARCH: LazyLock<RateLimiter> =
    LazyLock::new(|| RateLimiter::new(30, Duration::from_secs(60)));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_empties_and_refills() {
        let limit = RateLimiter::new(3, Duration::from_secs(60));
        let t = Instant::now();
        for _ in 0..3 {
            assert!(limit.take("a", t).is_ok());
        }
        let wait = limit.take("a", t).unwrap_err();
        assert!(
            wait > Duration::from_secs(19) && wait <= Duration::from_secs(21),
            "{wait:?}"
        );
        assert!(
            limit.take("b", t).is_ok(),
            "another address has its own bucket"
        );
        assert!(limit.take("a", t + Duration::from_secs(21)).is_ok());
        assert!(limit.take("a", t + Duration::from_secs(22)).is_err());
    }
}
