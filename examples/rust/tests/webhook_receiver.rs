//! The receiver verifies before it delivers: good signatures in, everything else refused.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use nango::webhooks::{HMAC_HEADER, WebhookPayload, sign_hmac_sha256};
use nango_examples::webhook_receiver::{ReceiverError, WebhookReceiver};

const KEY: &str = "receiver-test-signing-key";
const BODY: &str = r#"{"connectionId":"c1","from":"nango","model":"Ticket","modifiedAfter":"2026-01-02T03:04:05.678Z","providerConfigKey":"zendesk","responseResults":{"added":2,"deleted":0,"updated":1},"success":true,"syncName":"tickets","syncType":"INCREMENTAL","syncVariant":"base","type":"sync"}"#;

async fn post(url: &str, body: &str, signature: Option<&str>) -> u16 {
    // reqwest is built with `rustls-no-provider` in this workspace: every test that builds a
    // client itself must install the provider, whatever order the tests run in.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut request = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(signature) = signature {
        request = request.header(HMAC_HEADER, signature);
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn verified_webhooks_are_delivered_typed_and_others_refused() {
    let mut receiver = WebhookReceiver::start(KEY).await.unwrap();
    let url = receiver.url().to_owned();
    let good = sign_hmac_sha256(KEY, BODY.as_bytes());

    assert_eq!(post(&url, BODY, None).await, 401);
    assert_eq!(
        post(
            &url,
            BODY,
            Some(&sign_hmac_sha256("other-key", BODY.as_bytes()))
        )
        .await,
        401
    );
    let tampered = BODY.replace("\"added\":2", "\"added\":3");
    assert_eq!(post(&url, &tampered, Some(&good)).await, 401);
    assert_eq!(post(&url, BODY, Some(&good)).await, 200);
    assert_eq!(receiver.rejected(), 3);
    assert_eq!(receiver.verified(), 1);

    let webhook = receiver
        .wait_for("sync", Duration::from_secs(5), |p| {
            matches!(p, WebhookPayload::Sync(_))
        })
        .await
        .unwrap();
    assert_eq!(webhook.raw_body, BODY.as_bytes());
    assert_eq!(webhook.signature, good);
    let WebhookPayload::Sync(sync) = webhook.payload else {
        panic!("not typed as a sync webhook")
    };
    assert_eq!(sync.response_results.unwrap().added, 2);

    // Nothing else arrived: a wait ends with a timeout that says what it saw.
    let error = receiver
        .wait_for("auth", Duration::from_millis(50), |_| true)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            ReceiverError::Timeout {
                rejected: 3,
                other: 0,
                ..
            }
        ),
        "{error}"
    );
    receiver.shutdown().await;
}

#[tokio::test]
async fn unmatched_webhooks_wait_for_a_later_wait() {
    let mut receiver = WebhookReceiver::start(KEY).await.unwrap();
    let url = receiver.url().to_owned();
    let auth = r#"{"type":"auth","from":"nango","connectionId":"c1","providerConfigKey":"zendesk","authMode":"OAUTH2","provider":"zendesk","environment":"dev","operation":"creation","success":true}"#;
    assert_eq!(
        post(&url, BODY, Some(&sign_hmac_sha256(KEY, BODY.as_bytes()))).await,
        200
    );
    assert_eq!(
        post(&url, auth, Some(&sign_hmac_sha256(KEY, auth.as_bytes()))).await,
        200
    );
    // Ask for the second one first; the first is kept, not lost.
    let first = receiver
        .wait_for("auth", Duration::from_secs(5), |p| {
            matches!(p, WebhookPayload::Auth(_))
        })
        .await
        .unwrap();
    assert!(matches!(first.payload, WebhookPayload::Auth(_)));
    let second = receiver
        .wait_for("sync", Duration::from_secs(5), |p| {
            matches!(p, WebhookPayload::Sync(_))
        })
        .await
        .unwrap();
    assert!(matches!(second.payload, WebhookPayload::Sync(_)));
    receiver.shutdown().await;
}
