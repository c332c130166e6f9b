//! Outgoing webhooks: body bytes serialised as Nango does (see `js_json`), both signature headers,
//! a per-attempt timeout and retries on network errors and 5xx only (3xx/4xx are final).

use crate::model::js_json::to_js_json;
use crate::model::state::{Shared, WebhookDelivery, lock};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// `X-Nango-Hmac-Sha256`: hex HMAC-SHA256 keyed with the signing key over the raw body.
pub fn hmac_signature(signing_key: &str, body: &[u8]) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(signing_key.as_bytes()) {
        Ok(m) => m,
        // HMAC accepts keys of any length; this branch cannot be taken.
        Err(_) => return String::new(),
    };
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Legacy `X-Nango-Signature`: hex SHA-256 of the signing key immediately followed by the body.
pub fn legacy_signature(signing_key: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(signing_key.as_bytes());
    h.update(body);
    hex::encode(h.finalize())
}

/// Where a webhook goes: the connection's override alone if set, else primary and secondary URLs.
pub(crate) fn targets(state: &Shared, override_url: Option<&str>) -> Vec<String> {
    if let Some(u) = override_url.filter(|u| !u.is_empty()) {
        return vec![u.to_owned()];
    }
    let primary = lock(&state.world).webhook_url.clone();
    primary
        .into_iter()
        .chain(state.cfg.webhooks.secondary_url.clone())
        .filter(|u| !u.is_empty())
        .collect()
}

/// Sends `payload` to every target in the background.
pub(crate) fn emit(state: &Shared, payload: &Value, override_url: Option<&str>) {
    let body = to_js_json(payload);
    for url in targets(state, override_url) {
        let state = state.clone();
        let body = body.clone();
        let rt = state.rt.clone();
        rt.spawn(async move { deliver(state, url, body).await });
    }
}

async fn deliver(state: Shared, url: String, body: String) {
    let key = state.cfg.signing_key.expose().to_owned();
    let hmac = hmac_signature(&key, body.as_bytes());
    let legacy = legacy_signature(&key, body.as_bytes());
    let backoff = state.cfg.webhooks.retry_backoff_ms.clone();
    let timeout = Duration::from_millis(state.cfg.webhooks.timeout_ms);
    let mut shutdown = state.shutdown.clone();
    let mut attempts = Vec::new();
    let mut delivered = false;
    for attempt in 0..=backoff.len() {
        if attempt > 0 {
            let wait = Duration::from_millis(backoff[attempt - 1]);
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                _ = shutdown.changed() => break,
            }
        }
        let res = state
            .http
            .post(&url)
            .timeout(timeout)
            .header("content-type", "application/json")
            .header(
                "user-agent",
                concat!(
                    "nango/0.71.10 (nango-emulator/",
                    env!("CARGO_PKG_VERSION"),
                    ")"
                ),
            )
            .header("X-Nango-Hmac-Sha256", &hmac)
            .header("X-Nango-Signature", &legacy)
            .body(body.clone())
            .send()
            .await;
        match res {
            Ok(resp) => {
                let status = resp.status();
                attempts.push(status.as_u16().to_string());
                if status.is_success() {
                    delivered = true;
                    break;
                }
                if !status.is_server_error() {
                    break;
                }
            }
            Err(e) => {
                let reason = if e.is_timeout() {
                    "timeout"
                } else {
                    "network error"
                };
                attempts.push(reason.to_owned());
            }
        }
    }
    lock(&state.world).webhook_deliveries.push(WebhookDelivery {
        url,
        body,
        attempts,
        delivered,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_vector_12_3() {
        let body = r#"{"connectionId":"conn-1","from":"nango","model":"Issue","modifiedAfter":"2026-01-02T03:04:05.678Z","providerConfigKey":"github","queryTimeStamp":"2026-01-02T03:04:05.678Z","responseResults":{"added":2,"deleted":0,"updated":1},"success":true,"syncName":"issues","syncType":"INCREMENTAL","syncVariant":"base","type":"sync"}"#;
        let key = "11111111-2222-4333-8444-555555555555";
        assert_eq!(
            hmac_signature(key, body.as_bytes()),
            "599949b552e2d9fcb2c2fa15ad43a9be7d35657893f898418c3dc053cb933bb3"
        );
        assert_eq!(
            legacy_signature(key, body.as_bytes()),
            "875e7c7b9d588eefc29da9fba75b7579565788df0c6c5f1c40001f2870edce10"
        );
        // The serializer reproduces those bytes from an unordered value.
        let v: Value = serde_json::json!({
            "type": "sync", "from": "nango", "syncVariant": "base", "syncType": "INCREMENTAL",
            "syncName": "issues", "success": true,
            "responseResults": {"updated": 1, "deleted": 0, "added": 2},
            "queryTimeStamp": "2026-01-02T03:04:05.678Z", "providerConfigKey": "github",
            "modifiedAfter": "2026-01-02T03:04:05.678Z", "model": "Issue", "connectionId": "conn-1"
        });
        assert_eq!(to_js_json(&v), body);
    }
}
