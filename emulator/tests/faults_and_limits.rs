//! Fault injection (status, 429 + Retry-After, delay, dropped connection, truncated body), the rate
//! limiter, the request log and counters — through the admin API over HTTP.
#![allow(clippy::unwrap_used)]

mod common;
use common::Fetch;

use common::{Ctx, error_code};
use nango_emulator::Emulator;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

async fn add_fault(ctx: &Ctx, f: Value) {
    let r = ctx.post("/_emulator/faults", &f).fetch().await;
    assert_eq!(r.status(), 201);
}

#[tokio::test]
async fn injected_statuses_and_delays() {
    let ctx = Ctx::default_with_connection().await;
    add_fault(&ctx, json!({"method": "GET", "path": "/records", "count": 2, "kind": "status", "status": 429, "retry_after": 3})).await;
    for _ in 0..2 {
        let r = ctx.records("conn-1", "model=Ticket").fetch().await;
        assert_eq!(r.headers()["retry-after"], "3");
        assert_eq!(error_code(r).await, (429, "too_many_request".into()));
    }
    assert_eq!(
        ctx.records("conn-1", "model=Ticket").fetch().await.status(),
        200
    );
    add_fault(
        &ctx,
        json!({"path": "/connections", "kind": "status", "status": 502}),
    )
    .await;
    assert_eq!(
        error_code(ctx.get("/connections").fetch().await).await,
        (502, "server_error".into())
    );
    // Listing and clearing.
    add_fault(
        &ctx,
        json!([{"path": "/a", "kind": "drop"}, {"path": "/b", "kind": "truncate", "count": 4}]),
    )
    .await;
    let v: Value = ctx.get("/_emulator/faults").fetch_json().await;
    assert_eq!(v["faults"].as_array().unwrap().len(), 2);
    ctx.http
        .delete(ctx.url("/_emulator/faults"))
        .header("Authorization", ctx.bearer())
        .fetch()
        .await;
    let v: Value = ctx.get("/_emulator/faults").fetch_json().await;
    assert_eq!(v["faults"].as_array().unwrap().len(), 0);
    // Delay (the check is only that the request still succeeds afterwards, not its timing).
    add_fault(&ctx, json!({"path": "/records", "kind": "delay", "ms": 50})).await;
    let started = Instant::now();
    assert_eq!(
        ctx.records("conn-1", "model=Ticket").fetch().await.status(),
        200
    );
    assert!(started.elapsed() >= Duration::from_millis(50));
    // Admin routes need the secret key.
    let r = ctx.http.get(ctx.url("/_emulator/faults")).fetch().await;
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn dropped_connections_and_truncated_bodies() {
    let ctx = Ctx::default_with_connection().await;
    add_fault(&ctx, json!({"path": "/records", "kind": "drop"})).await;
    let err = ctx
        .records("conn-1", "model=Ticket")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_request() || err.is_connect(), "{err:?}");
    assert!(!err.is_status());
    // The next request works on a fresh connection.
    assert_eq!(
        ctx.records("conn-1", "model=Ticket").fetch().await.status(),
        200
    );
    add_fault(&ctx, json!({"path": "/records", "kind": "truncate"})).await;
    let r = ctx.records("conn-1", "model=Ticket").fetch().await;
    assert_eq!(r.status(), 200);
    let declared: usize = r.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(declared > 0);
    let body = r.bytes().await;
    assert!(body.is_err(), "a truncated body must fail to read");
}

#[tokio::test]
async fn rate_limiter_headers_and_429() {
    let ctx = Ctx::start(
        Emulator::builder()
            .connection("zendesk", "conn-1")
            .rate_limit(3, Duration::from_secs(60)),
    )
    .await;
    for remaining in [2, 1, 0] {
        let r = ctx.get("/connections").fetch().await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["x-ratelimit-limit"], "3");
        assert_eq!(
            r.headers()["x-ratelimit-remaining"],
            remaining.to_string().as_str()
        );
        assert!(r.headers().contains_key("x-ratelimit-reset"));
    }
    let r = ctx.get("/connections").fetch().await;
    assert_eq!(r.status(), 429);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry));
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["error"],
        json!({"code": "too_many_request", "method": "GET", "path": "/connections"})
    );
    // Admin routes are not limited; turning the limiter off lets requests through again.
    let r = ctx
        .http
        .delete(ctx.url("/_emulator/rate-limit"))
        .header("Authorization", ctx.bearer())
        .fetch()
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(ctx.get("/connections").fetch().await.status(), 200);
    let r = ctx
        .http
        .put(ctx.url("/_emulator/rate-limit"))
        .header("Authorization", ctx.bearer())
        .json(&json!({"limit": 1, "window_secs": 60}))
        .fetch()
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(ctx.get("/connections").fetch().await.status(), 200);
    assert_eq!(ctx.get("/connections").fetch().await.status(), 429);
}

#[tokio::test]
async fn request_log_counters_and_provider_mutation() {
    let ctx = Ctx::default_with_connection().await;
    ctx.records("conn-1", "model=Ticket&limit=3").fetch().await;
    let v: Value = ctx.get("/_emulator/requests").fetch_json().await;
    let reqs = v["requests"].as_array().unwrap();
    let last = reqs.last().unwrap();
    assert_eq!(last["method"], "GET");
    assert_eq!(last["path"], "/records/");
    assert_eq!(last["query"], "model=Ticket&limit=3");
    assert_eq!(last["headers"]["connection-id"], "conn-1");
    let auth = last["headers"]["authorization"].as_str().unwrap();
    assert!(auth.starts_with("Bearer [redacted:") && !auth.contains(ctx.emu.secret_key()));
    ctx.http
        .delete(ctx.url("/_emulator/requests"))
        .header("Authorization", ctx.bearer())
        .fetch()
        .await;
    let v: Value = ctx.get("/_emulator/requests").fetch_json().await;
    assert_eq!(v["requests"].as_array().unwrap().len(), 0);

    let r = ctx.post("/_emulator/provider/mutate", &json!({"integration": "zendesk", "model": "Ticket", "add": 2, "update_ids": ["1"], "delete": 1})).fetch().await;
    let m: Value = r.json().await.unwrap();
    assert_eq!(m["added"].as_array().unwrap().len(), 2);
    assert_eq!(m["updated"], json!(["1"]));
    let r = ctx
        .post(
            "/_emulator/sync/run",
            &json!({"provider_config_key": "zendesk", "connection_id": "conn-1"}),
        )
        .fetch()
        .await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["results"]["Ticket"],
        json!({"added": 2, "updated": 1, "deleted": 1})
    );
    ctx.post(
        "/action/trigger",
        &json!({"action_name": "echo", "input": {}}),
    )
    .header("Connection-Id", "conn-1")
    .header("Provider-Config-Key", "zendesk")
    .fetch()
    .await;
    let v: Value = ctx.get("/_emulator/counters").fetch_json().await;
    assert_eq!(v["actions"]["echo"], 1);
    assert!(v["requests"]["POST /action/trigger"].as_u64().unwrap() >= 1);
    assert!(v["sync_runs"].as_u64().unwrap() >= 2);
    // Admin connection creation.
    let r = ctx
        .post(
            "/_emulator/connections",
            &json!({"provider_config_key": "demo-api-key", "connection_id": "k1"}),
        )
        .fetch()
        .await;
    assert_eq!(r.status(), 201);
    let v: Value = ctx
        .get("/records?model=Document")
        .header("Connection-Id", "k1")
        .header("Provider-Config-Key", "demo-api-key")
        .fetch_json()
        .await;
    assert_eq!(v["records"].as_array().unwrap().len(), 10);
}
