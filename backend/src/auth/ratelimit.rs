//! Sign-in attempts are limited per account (or badge) and per client address, so passwords
//! and PINs cannot be guessed by brute force. Keyed GCRA limiters from `governor`.

use std::{num::NonZeroU32, time::Duration};

use governor::{DefaultKeyedRateLimiter, Quota, clock::Clock};

use crate::{config::LoginLimitConfig, error::AppError};

pub struct LoginLimiter {
    per_account: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<String>,
}

impl LoginLimiter {
    pub fn new(config: &LoginLimitConfig) -> LoginLimiter {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).expect("at least 1"));
        LoginLimiter {
            per_account: DefaultKeyedRateLimiter::keyed(quota(config.per_account_per_minute)),
            per_address: DefaultKeyedRateLimiter::keyed(quota(config.per_address_per_minute)),
        }
    }

    /// Counts one attempt; `RateLimited` (429, with Retry-After) when either budget is spent.
    pub fn check(&self, account: &str, address: Option<&str>) -> Result<(), AppError> {
        let clock = governor::clock::DefaultClock::default();
        let wait = |outcome: Result<(), governor::NotUntil<_>>| {
            outcome
                .err()
                .map(|not_until| not_until.wait_time_from(clock.now()))
        };
        let account_wait = wait(self.per_account.check_key(&account.to_lowercase()));
        let address_wait = address.and_then(|a| wait(self.per_address.check_key(&a.to_owned())));
        match account_wait.max(address_wait) {
            None => Ok(()),
            Some(d) => Err(AppError::RateLimited {
                retry_after_secs: d.max(Duration::from_secs(1)).as_secs_f64().ceil() as u64,
            }),
        }
    }

    /// Drops idle keys; called now and then so the maps do not grow without bound.
    pub fn forget_idle(&self) {
        self.per_account.retain_recent();
        self.per_address.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_budget_is_per_account() {
        let limiter = LoginLimiter::new(&LoginLimitConfig {
            per_account_per_minute: 3,
            per_address_per_minute: 100,
        });
        for _ in 0..3 {
            limiter.check("alice", Some("10.0.0.1")).unwrap();
        }
        assert!(matches!(
            limiter.check("Alice", Some("10.0.0.2")),
            Err(AppError::RateLimited { retry_after_secs }) if retry_after_secs >= 1
        ));
        limiter.check("bob", Some("10.0.0.1")).unwrap();
    }
}
