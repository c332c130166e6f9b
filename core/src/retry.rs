//! Retry and backoff decisions as pure functions, so they are tested without sleeping.
//!
//! The official Node SDK does not retry at all (docs/protocol.md §8). We retry only where it is safe:
//! see [`RetryClass`] for which calls, [`should_retry`] for which failures, [`next_delay`] for how
//! long to wait.

use std::time::Duration;

use crate::request::RetryClass;

/// How the client retries transient failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retrying. Default 2.
    pub max_retries: u32,
    /// First backoff ceiling; doubles per retry. Default 200 ms.
    pub base_delay: Duration,
    /// Largest backoff ceiling. Default 5 s.
    pub max_delay: Duration,
    /// Longest `Retry-After` we wait for; a longer one ends the call with the 429/503 error
    /// (its `retry_after()` tells the caller when to come back). Default 60 s.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }
}

/// How one attempt ended, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// The server answered with this status.
    Status(u16),
    /// The connection could not be established: the request never reached the server.
    NotSent,
    /// The connection failed after the request may have been sent (reset, body cut short).
    Transport,
    /// The per-request timeout passed.
    Timeout,
    /// The connection was refused for a reason that repeats on every attempt (the server's
    /// TLS certificate is not trusted): never retried.
    Rejected,
}

/// Statuses that say "try again later" without implying the request was processed.
pub fn is_transient_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// Whether a failed attempt of a request of this class may be repeated.
pub fn should_retry(class: RetryClass, outcome: AttemptOutcome) -> bool {
    match class {
        RetryClass::NeverRetry => false,
        RetryClass::Idempotent => match outcome {
            AttemptOutcome::Status(status) => is_transient_status(status),
            AttemptOutcome::NotSent | AttemptOutcome::Transport | AttemptOutcome::Timeout => true,
            AttemptOutcome::Rejected => false,
        },
        // 429 comes from the rate limiter, before the action runs; anything else may mean the
        // action ran (a 502 can come from a proxy after the action completed).
        RetryClass::TriggerAction => matches!(
            outcome,
            AttemptOutcome::NotSent | AttemptOutcome::Status(429)
        ),
    }
}

/// Exponential backoff with full jitter: a uniform draw in `[0, min(max_delay, base·2^retry)]`.
///
/// `retry` counts from 0 (the wait before the first retry); `jitter` is a uniform number in
/// `[0, 1)` supplied by the caller so that this stays deterministic under test.
pub fn backoff(policy: &RetryPolicy, retry: u32, jitter: f64) -> Duration {
    let factor = 2u32.checked_pow(retry.min(31)).unwrap_or(u32::MAX);
    let ceiling = policy
        .base_delay
        .checked_mul(factor)
        .unwrap_or(policy.max_delay)
        .min(policy.max_delay);
    ceiling.mul_f64(jitter.clamp(0.0, 1.0))
}

/// The wait before retry number `retry` (0-based), or `None` to stop and surface the error.
///
/// A server `Retry-After` is honoured exactly when it is at most `max_retry_after`; a longer one
/// stops retrying. `remaining` is what is left of the overall deadline, if one is set: a wait
/// that would overrun it stops retrying too, since the attempt after it could not finish.
pub fn next_delay(
    policy: &RetryPolicy,
    class: RetryClass,
    outcome: AttemptOutcome,
    retry: u32,
    retry_after: Option<Duration>,
    remaining: Option<Duration>,
    jitter: f64,
) -> Option<Duration> {
    if retry >= policy.max_retries || !should_retry(class, outcome) {
        return None;
    }
    let delay = match retry_after {
        Some(wait) if wait > policy.max_retry_after => return None,
        Some(wait) => wait,
        None => backoff(policy, retry, jitter),
    };
    match remaining {
        Some(left) if delay >= left => None,
        _ => Some(delay),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotent_retries_transient_only() {
        let c = RetryClass::Idempotent;
        for status in [429, 502, 503, 504] {
            assert!(should_retry(c, AttemptOutcome::Status(status)));
        }
        for status in [400, 401, 404, 500, 501] {
            assert!(!should_retry(c, AttemptOutcome::Status(status)));
        }
        assert!(should_retry(c, AttemptOutcome::Timeout));
        assert!(should_retry(c, AttemptOutcome::Transport));
    }

    #[test]
    fn trigger_action_never_after_timeout_or_5xx() {
        let c = RetryClass::TriggerAction;
        assert!(should_retry(c, AttemptOutcome::NotSent));
        assert!(should_retry(c, AttemptOutcome::Status(429)));
        for outcome in [
            AttemptOutcome::Timeout,
            AttemptOutcome::Transport,
            AttemptOutcome::Status(500),
            AttemptOutcome::Status(502),
            AttemptOutcome::Status(503),
            AttemptOutcome::Status(504),
        ] {
            assert!(!should_retry(c, outcome), "{outcome:?}");
        }
    }

    #[test]
    fn never_retry_is_never() {
        assert!(!should_retry(
            RetryClass::NeverRetry,
            AttemptOutcome::NotSent
        ));
    }

    #[test]
    fn backoff_is_capped_and_jittered() {
        let p = RetryPolicy::default();
        assert_eq!(backoff(&p, 0, 0.0), Duration::ZERO);
        assert_eq!(backoff(&p, 0, 1.0), Duration::from_millis(200));
        assert_eq!(backoff(&p, 3, 1.0), Duration::from_millis(1600));
        assert_eq!(backoff(&p, 40, 1.0), Duration::from_secs(5));
        assert_eq!(backoff(&p, 1, 0.5), Duration::from_millis(200));
    }

    #[test]
    fn next_delay_rules() {
        let p = RetryPolicy::default();
        let c = RetryClass::Idempotent;
        let s429 = AttemptOutcome::Status(429);
        let ra = Some(Duration::from_secs(1));
        assert_eq!(next_delay(&p, c, s429, 0, ra, None, 0.3), ra);
        // Over the cap: stop.
        assert_eq!(
            next_delay(&p, c, s429, 0, Some(Duration::from_secs(61)), None, 0.3),
            None
        );
        // Out of retries.
        assert_eq!(next_delay(&p, c, s429, 2, ra, None, 0.3), None);
        // Would overrun the deadline.
        assert_eq!(
            next_delay(&p, c, s429, 0, ra, Some(Duration::from_millis(500)), 0.3),
            None
        );
        // Disabled policy.
        assert_eq!(
            next_delay(&RetryPolicy::disabled(), c, s429, 0, ra, None, 0.3),
            None
        );
    }
}
