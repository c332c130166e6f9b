//! Proxy forwarding and signed webhooks delivered to a local receiver (with retries on 5xx).
#![allow(clippy::unwrap_used)]

mod common;
use common::Fetch;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use common::{Ctx, error_code};
use nango_emulator::{Emulator, Fault, hmac_signature, legacy_signature};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[tokio::test]
async fn proxy_forwards_with_credentials_and_headers() {
    let ctx = Ctx::default_with_connection().await;
    let proxy = |method: reqwest::Method, path: &str| {
        ctx.http
            .request(method, ctx.url(&format!("/proxy{path}")))
            .header("Authorization", ctx.bearer())
            .header("Connection-Id", "conn-1")
            .header("Provider-Config-Key", "zendesk")
            .header("Base-Url-Override", "")
            .header("Nango-Activity-Log-Id", "")
    };
    let r = proxy(reqwest::Method::POST, "/echo/things?a=1&b=2")
        .header("Nango-Proxy-X-Custom", "hello")
        .header("Content-Type", "application/json")
        .body(r#"{"k":"v"}"#)
        .fetch()
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-demo-provider"], "echo");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["method"], "POST");
    assert_eq!(v["path"], "/echo/things");
    assert_eq!(v["query"], "a=1&b=2");
    assert_eq!(v["headers"]["x-custom"], "hello");
    assert_eq!(v["headers"]["content-type"], "application/json");
    assert!(
        v["headers"]["authorization"]
            .as_str()
            .unwrap()
            .starts_with("Bearer demo_at_")
    );
    assert!(v["headers"].get("connection-id").is_none());
    assert_eq!(v["body"], r#"{"k":"v"}"#);
    // Upstream status and binary bodies pass through.
    let r = proxy(reqwest::Method::GET, "/status/418").fetch().await;
    assert_eq!(r.status(), 418);
    let r = proxy(reqwest::Method::GET, "/binary").fetch().await;
    assert_eq!(
        r.bytes().await.unwrap().to_vec(),
        (0..=255u8).collect::<Vec<_>>()
    );
    // Data written through the proxy is seen by the next sync.
    let r = proxy(reqwest::Method::POST, "/records/Ticket")
        .header("Content-Type", "application/json")
        .body(r#"{"title":"via proxy"}"#)
        .fetch()
        .await;
    assert_eq!(r.status(), 201);
    let changes = ctx.emu.run_sync("zendesk", "conn-1", "tickets").unwrap();
    assert_eq!(changes[0].1.added, 1);
    // Retries: two injected 503s on the provider, Retries: 2 → success.
    ctx.emu
        .inject_fault(Fault::status("/_provider/zendesk/api/records", 503).times(2));
    let r = proxy(reqwest::Method::GET, "/records/Ticket/1")
        .header("Retries", "2")
        .fetch()
        .await;
    assert_eq!(r.status(), 200);
    ctx.emu
        .inject_fault(Fault::status("/_provider/zendesk/api/records", 503).times(1));
    let r = proxy(reqwest::Method::GET, "/records/Ticket/1")
        .fetch()
        .await;
    assert_eq!(r.status(), 503);
    // Retry-On adds codes.
    ctx.emu
        .inject_fault(Fault::status("/_provider/zendesk/api/records", 409).times(1));
    let r = proxy(reqwest::Method::GET, "/records/Ticket/1")
        .header("Retries", "1")
        .header("Retry-On", "409")
        .fetch()
        .await;
    assert_eq!(r.status(), 200);
    // Errors.
    let r = ctx
        .http
        .get(ctx.url("/proxy/echo"))
        .header("Authorization", ctx.bearer())
        .header("Provider-Config-Key", "zendesk")
        .fetch()
        .await;
    assert_eq!(error_code(r).await, (400, "missing_connection_id".into()));
    let r = ctx
        .http
        .get(ctx.url("/proxy/echo"))
        .header("Authorization", ctx.bearer())
        .header("Connection-Id", "conn-1")
        .header("Provider-Config-Key", "nope")
        .fetch()
        .await;
    assert_eq!(error_code(r).await, (404, "unknown_provider_config".into()));
}

#[derive(Clone, Default)]
struct Received {
    hits: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
    fail_first: Arc<Mutex<u32>>,
}

async fn receiver(rec: Received) -> (String, tokio::task::JoinHandle<()>) {
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let rec = rec.clone();
            async move {
                rec.hits.lock().unwrap().push((headers, body));
                let mut f = rec.fail_first.lock().unwrap();
                if *f > 0 {
                    *f -= 1;
                    return StatusCode::SERVICE_UNAVAILABLE;
                }
                StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (url, task)
}

async fn wait_for(rec: &Received, n: usize) -> Vec<(HeaderMap, Bytes)> {
    for _ in 0..300 {
        if rec.hits.lock().unwrap().len() >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    rec.hits.lock().unwrap().clone()
}

#[tokio::test]
async fn webhooks_are_signed_and_retried_on_5xx() {
    let rec = Received::default();
    *rec.fail_first.lock().unwrap() = 1;
    let (url, task) = receiver(rec.clone()).await;
    let ctx = Ctx::start(
        Emulator::builder()
            .signing_key("11111111-2222-4333-8444-555555555555")
            .webhook_url(url.clone())
            .webhook_retry_backoff(&[Duration::from_millis(20), Duration::from_millis(40)])
            .connection("zendesk", "conn-1"),
    )
    .await;
    // Creation sends an auth webhook and the initial sync webhook; one of them is answered 503 first.
    let hits = wait_for(&rec, 3).await;
    assert_eq!(hits.len(), 3);
    let key = ctx.emu.signing_key().to_owned();
    let mut types = Vec::new();
    for (headers, body) in &hits {
        assert_eq!(
            headers["x-nango-hmac-sha256"],
            hmac_signature(&key, body).as_str()
        );
        assert_eq!(
            headers["x-nango-signature"],
            legacy_signature(&key, body).as_str()
        );
        assert_eq!(headers["content-type"], "application/json");
        let v: Value = serde_json::from_slice(body).unwrap();
        // Bytes are exactly the JS-ordered serialisation of the payload.
        assert_eq!(
            nango_emulator::webhook_body_bytes(&v).as_bytes(),
            body.as_ref()
        );
        types.push(v["type"].as_str().unwrap().to_owned());
    }
    types.sort();
    types.dedup();
    assert_eq!(types, vec!["auth", "sync"]);
    let sync: Value = hits
        .iter()
        .map(|(_, b)| serde_json::from_slice::<Value>(b).unwrap())
        .find(|v| v["type"] == "sync")
        .unwrap();
    assert_eq!(sync["syncType"], "INITIAL");
    assert_eq!(
        sync["responseResults"],
        json!({"added": 50, "updated": 0, "deleted": 0})
    );
    assert_eq!(sync["model"], "Ticket");
    assert_eq!(sync["from"], "nango");
    // An incremental run after changes.
    rec.hits.lock().unwrap().clear();
    ctx.emu.mutate_provider("zendesk", "Ticket", 2, 1, 0);
    ctx.emu.run_sync("zendesk", "conn-1", "tickets").unwrap();
    let hits = wait_for(&rec, 1).await;
    let v: Value = serde_json::from_slice(&hits[0].1).unwrap();
    assert_eq!(v["syncType"], "INCREMENTAL");
    assert_eq!(
        v["responseResults"],
        json!({"added": 2, "updated": 1, "deleted": 0})
    );
    // The emulator's own log shows the retried delivery.
    for _ in 0..100 {
        if ctx.emu.webhook_deliveries().len() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let deliveries = ctx.emu.webhook_deliveries();
    assert!(
        deliveries
            .iter()
            .any(|d| d.attempts == vec!["503".to_owned(), "200".to_owned()] && d.delivered)
    );
    task.abort();
}

#[tokio::test]
async fn webhooks_give_up_after_retries_and_do_not_retry_4xx() {
    let ctx = Ctx::start(
        Emulator::builder()
            .webhook_retry_backoff(&[Duration::from_millis(10), Duration::from_millis(10)]),
    )
    .await;
    // Nobody listens on this port: network errors are retried twice, then given up.
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead_url = format!("http://{}/x", dead.local_addr().unwrap());
    drop(dead);
    ctx.emu.set_webhook_url(Some(dead_url));
    ctx.emu.create_connection("zendesk", "c").unwrap();
    let mut deliveries = Vec::new();
    for _ in 0..300 {
        deliveries = ctx.emu.webhook_deliveries();
        if deliveries.len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        deliveries
            .iter()
            .all(|d| !d.delivered && d.attempts.len() == 3),
        "{deliveries:?}"
    );
    // A 4xx is final.
    let rec = Received::default();
    let app_url = {
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(|| async { StatusCode::BAD_REQUEST }),
        );
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let u = format!("http://{}/hook", l.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
        u
    };
    let _ = rec;
    ctx.emu.set_webhook_url(Some(app_url.clone()));
    ctx.emu.create_connection("zendesk", "d").unwrap();
    let mut four = Vec::new();
    for _ in 0..300 {
        four = ctx
            .emu
            .webhook_deliveries()
            .into_iter()
            .filter(|d| d.url == app_url)
            .collect();
        if four.len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        four.iter().all(|d| d.attempts == vec!["400".to_owned()]),
        "{four:?}"
    );
}
