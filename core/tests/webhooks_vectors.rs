//! Runs the shared webhook vectors (`tests/vectors/webhooks.json`), which the Node, browser and
//! Python packages run too.

// Tests may panic on broken fixtures: that is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use nango::webhooks::{self, VerifyError, WebhookPayload};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Vectors {
    signatures: Vec<SignatureCase>,
    payloads: Vec<PayloadCase>,
}

#[derive(Deserialize)]
struct SignatureCase {
    name: String,
    key: String,
    body: String,
    headers: Vec<(String, String)>,
    hmac: Expected,
    legacy: Expected,
}

#[derive(Deserialize)]
struct Expected {
    valid: bool,
    reason: Option<String>,
}

#[derive(Deserialize)]
struct PayloadCase {
    name: String,
    body: Value,
    kind: String,
    fields: serde_json::Map<String, Value>,
}

fn vectors() -> Vectors {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/webhooks.json"
    );
    let text = std::fs::read_to_string(path).expect("read webhooks.json");
    serde_json::from_str(&text).expect("parse webhooks.json")
}

fn reason(result: Result<(), VerifyError>) -> Option<String> {
    result.err().map(|e| e.reason().to_owned())
}

#[test]
fn signature_vectors() {
    let vectors = vectors();
    assert!(vectors.signatures.len() >= 20);
    for case in &vectors.signatures {
        let body = case.body.as_bytes();
        let hmac = webhooks::verify(&case.key, body, &case.headers);
        assert_eq!(reason(hmac), case.hmac.reason, "hmac reason: {}", case.name);
        assert_eq!(
            webhooks::verify_incoming_webhook_request(&case.key, body, &case.headers),
            case.hmac.valid,
            "hmac: {}",
            case.name
        );
        let legacy = webhooks::verify_legacy(&case.key, body, &case.headers);
        assert_eq!(
            reason(legacy),
            case.legacy.reason,
            "legacy reason: {}",
            case.name
        );
        assert_eq!(
            webhooks::verify_legacy_signature(&case.key, body, &case.headers),
            case.legacy.valid,
            "legacy: {}",
            case.name
        );
    }
}

#[test]
fn signing_reproduces_the_valid_vectors() {
    // Every case whose headers verify under its own key was signed by an independent
    // implementation (Python hmac/hashlib); our signer must produce the same lowercase hex.
    for case in vectors()
        .signatures
        .iter()
        .filter(|c| c.hmac.valid && c.legacy.valid)
    {
        let signatures = webhooks::sign(&case.key, case.body.as_bytes());
        for (name, value) in &case.headers {
            let value = value.trim().to_ascii_lowercase();
            if name.eq_ignore_ascii_case(webhooks::HMAC_HEADER) {
                assert_eq!(signatures.hmac_sha256, value, "{}", case.name);
            } else if name.eq_ignore_ascii_case(webhooks::LEGACY_HEADER) {
                assert_eq!(signatures.legacy, value, "{}", case.name);
            }
        }
    }
}

/// Follows a dotted path (`a.b.0.c`) into a JSON value; absent → `Null`.
fn at<'a>(value: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(value, |v, key| match v {
        Value::Array(items) => key
            .parse::<usize>()
            .ok()
            .and_then(|i| items.get(i))
            .unwrap_or(&Value::Null),
        Value::Object(map) => map.get(key).unwrap_or(&Value::Null),
        _ => &Value::Null,
    })
}

#[test]
fn payload_vectors() {
    for case in vectors().payloads {
        let raw = serde_json::to_vec(&case.body).unwrap();
        let parsed = WebhookPayload::from_slice(&raw).unwrap();
        assert_eq!(parsed.kind(), case.kind, "kind: {}", case.name);
        let wire = parsed.to_value();
        assert_eq!(
            at(&wire, "type"),
            at(&case.body, "type"),
            "type: {}",
            case.name
        );
        for (path, expected) in &case.fields {
            assert_eq!(at(&wire, path), expected, "{}: field {path}", case.name);
        }
    }
}
