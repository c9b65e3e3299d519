//! Per-tenant rate limits: a token bucket per tenant (`governor`, GCRA).
//!
//! Limits live in the policy snapshot; the buckets live here, across
//! snapshots, so an admin change elsewhere does not refill them. A bucket is
//! rebuilt only when its tenant's limit changes.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota};
use parking_lot::RwLock;

use crate::config::RateLimit;
use crate::error::{Error, Result};

#[derive(Default)]
pub struct RateLimiter {
    buckets: RwLock<HashMap<String, (RateLimit, Arc<DefaultDirectRateLimiter>)>>,
}

fn bucket(limit: RateLimit) -> Arc<DefaultDirectRateLimiter> {
    let per_second = NonZeroU32::new(limit.per_second).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(limit.burst).unwrap_or(NonZeroU32::MIN);
    Arc::new(governor::RateLimiter::direct(
        Quota::per_second(per_second).allow_burst(burst),
    ))
}

impl RateLimiter {
    /// Takes one request from `tenant`'s bucket, or refuses with how long to wait.
    pub fn check(&self, tenant: &str, limit: Option<RateLimit>) -> Result<()> {
        let Some(limit) = limit else {
            return Ok(());
        };
        let current = self
            .buckets
            .read()
            .get(tenant)
            .filter(|(l, _)| *l == limit)
            .map(|(_, b)| b.clone());
        let bucket = match current {
            Some(b) => b,
            None => self
                .buckets
                .write()
                .entry(tenant.to_owned())
                .and_modify(|entry| {
                    if entry.0 != limit {
                        *entry = (limit, bucket(limit));
                    }
                })
                .or_insert_with(|| (limit, bucket(limit)))
                .1
                .clone(),
        };
        bucket.check().map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            Error::RateLimited {
                tenant: tenant.to_owned(),
                retry_after_secs: wait.as_secs_f64().ceil().max(1.0) as u64,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refusal_per_tenant() {
        let limiter = RateLimiter::default();
        let limit = Some(RateLimit {
            per_second: 1,
            burst: 3,
        });
        for _ in 0..3 {
            limiter.check("a", limit).unwrap();
        }
        let err = limiter.check("a", limit).unwrap_err();
        assert!(
            matches!(
                err,
                Error::RateLimited {
                    retry_after_secs: 1,
                    ..
                }
            ),
            "{err:?}"
        );
        // Another tenant has its own bucket; no limit means no bucket.
        limiter.check("b", limit).unwrap();
        for _ in 0..100 {
            limiter.check("c", None).unwrap();
        }
    }
}
