//! Fault injection (the next N requests matching a route fail in a chosen way) and the optional
//! fixed-window rate limiter.

use crate::model::config::RateLimitConfig;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::time::{SystemTime, UNIX_EPOCH};

/// What an injected fault does to a matching request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer with this status instead of running the handler. 429 gets `Retry-After`
    /// (`retry_after` seconds, default 1) and the `too_many_request` code.
    Status {
        /// HTTP status.
        status: u16,
        /// `Retry-After` seconds.
        #[serde(default)]
        retry_after: Option<u64>,
        /// Replacement JSON body (default: a Nango error envelope).
        #[serde(default)]
        body: Option<Value>,
    },
    /// Wait this long, then handle the request normally.
    Delay {
        /// Milliseconds.
        ms: u64,
    },
    /// Close the TCP connection without sending any response.
    Drop,
    /// Send the headers (with the full `Content-Length`) and half the body, then close.
    Truncate,
}

/// A fault rule: applies to the next `count` requests whose method matches (`None`/`*` = any) and
/// whose path starts with `path`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    /// HTTP method, or `None`/`"*"` for any.
    #[serde(default)]
    pub method: Option<String>,
    /// Path prefix, e.g. `/records`.
    pub path: String,
    /// How many matching requests are affected.
    #[serde(default = "one")]
    pub count: u32,
    /// The failure.
    #[serde(flatten)]
    pub kind: FaultKind,
}

fn one() -> u32 {
    1
}

impl Fault {
    /// A fault answering `status` for requests under `path`.
    pub fn status(path: impl Into<String>, status: u16) -> Self {
        Self {
            method: None,
            path: path.into(),
            count: 1,
            kind: FaultKind::Status {
                status,
                retry_after: None,
                body: None,
            },
        }
    }

    /// A 429 with `Retry-After: secs`.
    pub fn rate_limited(path: impl Into<String>, retry_after_secs: u64) -> Self {
        Self {
            method: None,
            path: path.into(),
            count: 1,
            kind: FaultKind::Status {
                status: 429,
                retry_after: Some(retry_after_secs),
                body: None,
            },
        }
    }

    /// A delay before normal handling.
    pub fn delay(path: impl Into<String>, ms: u64) -> Self {
        Self {
            method: None,
            path: path.into(),
            count: 1,
            kind: FaultKind::Delay { ms },
        }
    }

    /// A dropped connection.
    pub fn drop_connection(path: impl Into<String>) -> Self {
        Self {
            method: None,
            path: path.into(),
            count: 1,
            kind: FaultKind::Drop,
        }
    }

    /// A truncated body.
    pub fn truncate(path: impl Into<String>) -> Self {
        Self {
            method: None,
            path: path.into(),
            count: 1,
            kind: FaultKind::Truncate,
        }
    }

    /// Applies to the next `n` matching requests.
    pub fn times(mut self, n: u32) -> Self {
        self.count = n;
        self
    }

    /// Only for this method.
    pub fn method(mut self, m: impl Into<String>) -> Self {
        self.method = Some(m.into());
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.count > 0
            && self
                .method
                .as_deref()
                .is_none_or(|m| m == "*" || m.eq_ignore_ascii_case(method))
            && path.starts_with(&self.path)
    }
}

/// Rate-limit verdict for one request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RateVerdict {
    pub(crate) limit: u64,
    pub(crate) remaining: u64,
    pub(crate) reset_unix: u64,
    pub(crate) exceeded: bool,
}

#[derive(Debug)]
struct Window {
    cfg: RateLimitConfig,
    start: u64,
    used: u64,
}

/// Active fault rules and the rate limiter.
#[derive(Debug, Default)]
pub(crate) struct FaultState {
    rules: Vec<(u64, Fault)>,
    next_id: u64,
    window: Option<Window>,
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl FaultState {
    pub(crate) fn add(&mut self, f: Fault) -> u64 {
        self.next_id += 1;
        self.rules.push((self.next_id, f));
        self.next_id
    }

    pub(crate) fn clear(&mut self) {
        self.rules.clear();
    }

    pub(crate) fn list(&self) -> Vec<(u64, Fault)> {
        self.rules.clone()
    }

    /// Consumes one use of the first matching rule.
    pub(crate) fn take(&mut self, method: &str, path: &str) -> Option<FaultKind> {
        let idx = self
            .rules
            .iter()
            .position(|(_, r)| r.matches(method, path))?;
        let rule = &mut self.rules[idx].1;
        rule.count -= 1;
        let kind = rule.kind.clone();
        if rule.count == 0 {
            self.rules.remove(idx);
        }
        Some(kind)
    }

    pub(crate) fn set_rate_limit(&mut self, cfg: Option<RateLimitConfig>) {
        self.window = cfg.map(|cfg| Window {
            cfg,
            start: unix_now(),
            used: 0,
        });
    }

    /// Counts one request against the fixed window.
    pub(crate) fn check_rate(&mut self) -> Option<RateVerdict> {
        let w = self.window.as_mut()?;
        let now = unix_now();
        let len = w.cfg.window_secs.max(1);
        if now >= w.start + len {
            w.start = now - (now - w.start) % len;
            w.used = 0;
        }
        let reset_unix = w.start + len;
        if w.used >= w.cfg.limit {
            return Some(RateVerdict {
                limit: w.cfg.limit,
                remaining: 0,
                reset_unix,
                exceeded: true,
            });
        }
        w.used += 1;
        Some(RateVerdict {
            limit: w.cfg.limit,
            remaining: w.cfg.limit - w.used,
            reset_unix,
            exceeded: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_consumed_in_order() {
        let mut s = FaultState::default();
        s.add(Fault::status("/records", 503).times(2).method("GET"));
        assert!(s.take("POST", "/records").is_none());
        assert!(s.take("GET", "/connections").is_none());
        assert!(matches!(
            s.take("GET", "/records/"),
            Some(FaultKind::Status { status: 503, .. })
        ));
        assert!(s.take("GET", "/records").is_some());
        assert!(s.take("GET", "/records").is_none());
    }

    #[test]
    fn fault_json_shape() {
        let f: Fault = serde_json::from_str(
            r#"{"path":"/records","count":3,"kind":"status","status":429,"retry_after":2}"#,
        )
        .unwrap();
        assert_eq!(f, Fault::rate_limited("/records", 2).times(3));
        let d: Fault =
            serde_json::from_str(r#"{"method":"GET","path":"/x","kind":"drop"}"#).unwrap();
        assert_eq!(d.kind, FaultKind::Drop);
    }

    #[test]
    fn rate_window() {
        let mut s = FaultState::default();
        assert!(s.check_rate().is_none());
        s.set_rate_limit(Some(RateLimitConfig {
            limit: 2,
            window_secs: 60,
        }));
        assert_eq!(
            s.check_rate().map(|v| (v.remaining, v.exceeded)),
            Some((1, false))
        );
        assert_eq!(
            s.check_rate().map(|v| (v.remaining, v.exceeded)),
            Some((0, false))
        );
        assert!(s.check_rate().is_some_and(|v| v.exceeded));
    }
}
