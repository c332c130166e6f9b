//! `nango::webhooks::axum::VerifiedWebhook` in a real axum server, fed by the emulator: a genuine
//! webhook is accepted and handed over typed; one byte changed is refused with 401; a signed body
//! that is not JSON with 400.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRef, State};
use axum::http::HeaderMap;
use axum::routing::post;
use nango::webhooks::axum::{VerifiedWebhook, WebhookSigningKey};
use nango::webhooks::{HMAC_HEADER, WebhookPayload, sign_hmac_sha256};
use nango_emulator::Emulator;

#[derive(Clone)]
struct AppState {
    key: WebhookSigningKey,
    received: Arc<Mutex<Vec<WebhookPayload>>>,
    captured: Arc<Mutex<Vec<(Bytes, HeaderMap)>>>,
}

impl FromRef<AppState> for WebhookSigningKey {
    fn from_ref(state: &AppState) -> Self {
        state.key.clone()
    }
}

async fn on_webhook(State(state): State<AppState>, VerifiedWebhook(webhook): VerifiedWebhook) {
    state.received.lock().unwrap().push(webhook);
}

async fn capture(State(state): State<AppState>, headers: HeaderMap, body: Bytes) {
    state.captured.lock().unwrap().push((body, headers));
}

async fn wait_until<T>(what: &str, mut found: impl FnMut() -> Option<T>) -> T {
    for _ in 0..400 {
        if let Some(value) = found() {
            return value;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn replay(url: &str, body: &[u8], signature: &str) -> (u16, serde_json::Value) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let response = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .header(HMAC_HEADER, signature)
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (
        status,
        response.json().await.unwrap_or(serde_json::Value::Null),
    )
}

#[tokio::test]
async fn the_extractor_accepts_the_emulators_webhooks_and_refuses_tampered_ones() {
    let emu = Emulator::builder()
        .seed("zendesk", "Ticket", 3, 64)
        .connection("zendesk", "conn-1")
        .webhook_retry_backoff(&[Duration::from_millis(10)])
        .always_send_sync_webhooks(true)
        .start()
        .await
        .unwrap();
    let state = AppState {
        key: WebhookSigningKey::new(emu.signing_key()),
        received: Arc::default(),
        captured: Arc::default(),
    };
    let app = Router::new()
        .route("/webhooks", post(on_webhook))
        .route("/capture", post(capture))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    // A genuine delivery to the extractor: answered 200 on the first attempt, handed over typed.
    let url = format!("{base}/webhooks");
    emu.set_webhook_url(Some(url.clone()));
    emu.run_sync("zendesk", "conn-1", "tickets").unwrap();
    let delivery = wait_until("the delivery to the extractor", || {
        emu.webhook_deliveries().into_iter().find(|d| d.url == url)
    })
    .await;
    assert_eq!(delivery.attempts, ["200"]);
    assert!(delivery.delivered);
    let received = state.received.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    match &received[0] {
        WebhookPayload::Sync(sync) => {
            assert_eq!(sync.connection_id, "conn-1");
            assert_eq!(sync.model, "Ticket");
        }
        other => panic!("expected a sync webhook, got {other:?}"),
    }

    // The same kind of webhook captured raw, then replayed: accepted as is, refused with one byte changed.
    emu.set_webhook_url(Some(format!("{base}/capture")));
    emu.run_sync("zendesk", "conn-1", "tickets").unwrap();
    let (body, headers) = wait_until("the captured webhook", || {
        state.captured.lock().unwrap().first().cloned()
    })
    .await;
    let signature = headers
        .get(HMAC_HEADER)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let (status, _) = replay(&url, &body, &signature).await;
    assert_eq!(status, 200);
    assert_eq!(state.received.lock().unwrap().len(), 2);

    let mut tampered = body.to_vec();
    let at = tampered.len() / 2;
    tampered[at] = if tampered[at] == b'0' { b'1' } else { b'0' };
    let (status, answer) = replay(&url, &tampered, &signature).await;
    assert_eq!(status, 401);
    assert_eq!(answer["error"], "invalid_signature");
    assert!(!answer["message"].as_str().unwrap().contains(&signature));

    // Well signed, not JSON: 400.
    let not_json = b"not json at all";
    let (status, answer) = replay(
        &url,
        not_json,
        &sign_hmac_sha256(emu.signing_key(), not_json),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(answer["error"], "invalid_argument");
    assert_eq!(state.received.lock().unwrap().len(), 2);

    // The key never shows in Debug.
    assert!(!format!("{:?}", state.key).contains(emu.signing_key()));
    server.abort();
}
