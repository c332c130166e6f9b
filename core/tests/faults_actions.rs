//! Retry safety of `POST /action/trigger` and of idempotent calls, timeouts and deadlines, and
//! that the secret key never shows up in Debug output or errors.

// The HTTP client is behind the default `client` feature.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used)]

mod client_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use client_support::{KEY, drop_connection, json, quiet_drop_panics, raw, slow, start, start_on};
use nango::{Error, GetConnectionParams, Nango, RetryPolicy, TriggerActionParams};
use serde_json::{Value, json};

fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(10),
        max_retry_after: Duration::from_secs(2),
    }
}

fn client(url: &str) -> Nango {
    Nango::builder(KEY)
        .host(url)
        .retry_policy(fast_retries(2))
        .build()
        .unwrap()
}

fn action() -> TriggerActionParams {
    TriggerActionParams::new("github", "c1", "do-it").input(json!({"a": 1}))
}

/// A server that answers with `first` for the first `n` requests, then 200.
async fn failing_first(
    n: usize,
    first: fn() -> axum::response::Response,
) -> client_support::TestServer {
    let count = Arc::new(AtomicUsize::new(0));
    start(move |_| {
        if count.fetch_add(1, Ordering::SeqCst) < n {
            first()
        } else {
            json(200, json!({"ok": true}))
        }
    })
    .await
}

#[tokio::test]
async fn trigger_action_is_not_retried_after_a_5xx() {
    for status in [500u16, 502, 503, 504] {
        let server = start(move |_| json(status, json!({"error": {"code": "server_error"}}))).await;
        let err = client(&server.url)
            .trigger_action::<Value>(&action())
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.code(), "server_error");
        assert_eq!(server.count(), 1, "status {status} was retried");
    }
}

#[tokio::test]
async fn trigger_action_is_retried_after_429() {
    let server = failing_first(1, || {
        raw(
            429,
            &[("retry-after", "0")],
            r#"{"error":{"code":"too_many_request"}}"#,
        )
    })
    .await;
    let out: Value = client(&server.url).trigger_action(&action()).await.unwrap();
    assert_eq!(out, json!({"ok": true}));
    assert_eq!(server.count(), 2);
    let requests = server.requests();
    assert_eq!(requests[0].body, requests[1].body);
}

#[tokio::test]
async fn trigger_action_is_not_retried_after_a_timeout() {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    let server = start(move |_| {
        seen.fetch_add(1, Ordering::SeqCst);
        slow(Duration::from_millis(600), json!({}))
    })
    .await;
    let nango = Nango::builder(KEY)
        .host(&server.url)
        .timeout(Duration::from_millis(100))
        .retry_policy(fast_retries(3))
        .build()
        .unwrap();
    let err = nango.trigger_action::<Value>(&action()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(err.code(), "timeout");
    // Give a (wrong) retry every chance to arrive before counting.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn trigger_action_is_not_retried_after_a_dropped_connection() {
    let server = start(|_| drop_connection()).await;
    quiet_drop_panics();
    let err = client(&server.url)
        .trigger_action::<Value>(&action())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                not_sent: false,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn trigger_action_is_retried_when_the_connection_was_refused() {
    // Reserve a port, free it, and start the server there only after the client has begun:
    // the first attempt is refused, a later one succeeds.
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = probe.local_addr().unwrap();
    drop(probe);
    let nango = Nango::builder(KEY)
        .host(format!("http://{addr}"))
        .retry_policy(RetryPolicy {
            max_retries: nango::client::MAX_RETRIES,
            // Full jitter: 20 waits of up to 60 ms average 600 ms, far past the 150 ms outage.
            base_delay: Duration::from_millis(60),
            max_delay: Duration::from_millis(60),
            max_retry_after: Duration::from_secs(1),
        })
        .build()
        .unwrap();
    let call = tokio::spawn(async move { nango.trigger_action::<Value>(&action()).await });
    tokio::time::sleep(Duration::from_millis(150)).await;
    let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
    let server = start_on(listener, |_| json(200, json!({"ran": true}))).await;
    let out = call.await.unwrap().unwrap();
    assert_eq!(out, json!({"ran": true}));
    assert_eq!(server.count(), 1, "the action must run exactly once");
}

#[tokio::test]
async fn refused_connection_is_marked_not_sent() {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = probe.local_addr().unwrap();
    drop(probe);
    let nango = Nango::builder(KEY)
        .host(format!("http://{addr}"))
        .retry_policy(fast_retries(1))
        .build()
        .unwrap();
    let err = nango.trigger_action::<Value>(&action()).await.unwrap_err();
    assert!(
        matches!(err, Error::Transport { not_sent: true, .. }),
        "{err:?}"
    );
    assert!(!format!("{err} {err:?}").contains(KEY));
}

#[tokio::test]
async fn idempotent_calls_retry_5xx_and_timeouts() {
    let server = failing_first(2, || json(503, json!({"error": {"code": "server_error"}}))).await;
    let nango = client(&server.url);
    let params = GetConnectionParams::new("github", "c1");
    // 503, 503, then the answer (not a connection: decoding fails, which proves it arrived).
    let err = nango.get_connection(&params).await.unwrap_err();
    assert_eq!(err.code(), "decode");
    assert_eq!(server.count(), 3);

    // Out of retries: the last error is returned.
    let server = failing_first(10, || json(502, json!({}))).await;
    let err = client(&server.url)
        .get_connection(&params)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert_eq!(server.count(), 3);

    // 0 disables retrying.
    let server = failing_first(10, || json(503, json!({}))).await;
    let nango = Nango::builder(KEY)
        .host(&server.url)
        .max_retries(0)
        .build()
        .unwrap();
    nango.get_connection(&params).await.unwrap_err();
    assert_eq!(server.count(), 1);

    // 4xx other than 429 is final.
    let server = failing_first(10, || {
        json(400, json!({"error": {"code": "unknown_connection"}}))
    })
    .await;
    let err = client(&server.url)
        .get_connection(&params)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "unknown_connection");
    assert_eq!(server.count(), 1);

    // Timeouts are retried for idempotent calls.
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    let server = start(move |_| {
        seen.fetch_add(1, Ordering::SeqCst);
        slow(Duration::from_millis(300), json!({}))
    })
    .await;
    let nango = Nango::builder(KEY)
        .host(&server.url)
        .timeout(Duration::from_millis(50))
        .retry_policy(fast_retries(1))
        .build()
        .unwrap();
    let err = nango.get_connection(&params).await.unwrap_err();
    assert_eq!(err.code(), "timeout");
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn retry_after_beyond_the_cap_is_returned_to_the_caller() {
    let server = failing_first(10, || raw(429, &[("retry-after", "3600")], "{}")).await;
    let err = client(&server.url)
        .get_connection(&GetConnectionParams::new("g", "c"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "rate_limited");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn overall_deadline_stops_retries() {
    let server = failing_first(100, || json(503, json!({}))).await;
    let nango = Nango::builder(KEY)
        .host(&server.url)
        .deadline(Duration::from_millis(300))
        .retry_policy(RetryPolicy {
            max_retries: nango::client::MAX_RETRIES,
            // Full jitter: 20 waits of up to 40 ms average 400 ms, past the 300 ms deadline.
            base_delay: Duration::from_millis(40),
            max_delay: Duration::from_millis(40),
            max_retry_after: Duration::from_secs(1),
        })
        .build()
        .unwrap();
    let err = nango
        .get_connection(&GetConnectionParams::new("g", "c"))
        .await
        .unwrap_err();
    // Either the last 503 (a wait would overrun) or the deadline itself.
    assert!(matches!(err.code(), "server_error" | "timeout"), "{err:?}");
    assert!(server.count() <= 21, "at most 1 + MAX_RETRIES attempts");

    let server = start(|_| slow(Duration::from_millis(500), json!({}))).await;
    let nango = Nango::builder(KEY)
        .host(&server.url)
        .deadline(Duration::from_millis(100))
        .build()
        .unwrap();
    let err = nango
        .get_connection(&GetConnectionParams::new("g", "c"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout(d) if d == Duration::from_millis(100)),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_key_never_appears_in_debug_or_errors() {
    let signing = "whsec-signing-key-value";
    let nango = Nango::builder(KEY)
        .webhook_signing_key(signing)
        .build()
        .unwrap();
    let debug = format!("{nango:?} {:?}", nango.config());
    assert!(!debug.contains(KEY) && !debug.contains(signing), "{debug}");

    let server = start(|_| {
        json(
            401,
            json!({"error": {"code": "unknown_account", "message": "bad key"}}),
        )
    })
    .await;
    let nango = client(&server.url);
    for err in [
        nango.trigger_action::<Value>(&action()).await.unwrap_err(),
        nango
            .get_connection(&GetConnectionParams::new("g", "c"))
            .await
            .unwrap_err(),
    ] {
        assert_eq!(err.code(), "unauthorized");
        let text = format!("{err} {err:?}");
        assert!(!text.contains(KEY), "{text}");
    }
    // The key did go out, in Authorization only.
    assert_eq!(
        server.last().header("authorization").unwrap(),
        format!("Bearer {KEY}")
    );

    let err = Nango::builder(KEY).host("nonsense").build().unwrap_err();
    assert!(!format!("{err} {err:?}").contains(KEY));
}
