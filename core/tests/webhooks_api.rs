//! The webhook helpers against the header shapes real frameworks hand over, and the
//! verify-then-parse convenience.

// Tests may panic on broken fixtures: that is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashMap};

use nango::webhooks::{self, VerifyError, WebhookPayload};

const KEY: &str = "11111111-2222-4333-8444-555555555555";
const BODY: &str = r#"{"connectionId":"conn-1","from":"nango","model":"Issue","modifiedAfter":"2026-01-02T03:04:05.678Z","providerConfigKey":"github","queryTimeStamp":"2026-01-02T03:04:05.678Z","responseResults":{"added":2,"deleted":0,"updated":1},"success":true,"syncName":"issues","syncType":"INCREMENTAL","syncVariant":"base","type":"sync"}"#;
const HMAC: &str = "599949b552e2d9fcb2c2fa15ad43a9be7d35657893f898418c3dc053cb933bb3";
const LEGACY: &str = "875e7c7b9d588eefc29da9fba75b7579565788df0c6c5f1c40001f2870edce10";

#[test]
fn signs_the_protocol_vector() {
    let signatures = webhooks::sign(KEY, BODY.as_bytes());
    assert_eq!(signatures.hmac_sha256, HMAC);
    assert_eq!(signatures.legacy, LEGACY);
    assert_eq!(webhooks::sign_hmac_sha256(KEY, BODY.as_bytes()), HMAC);
    assert_eq!(webhooks::sign_legacy(KEY, BODY.as_bytes()), LEGACY);
    // The headers the emulator sends verify.
    assert!(webhooks::verify_incoming_webhook_request(
        KEY,
        BODY.as_bytes(),
        signatures.headers()
    ));
    assert!(webhooks::verify_legacy_signature(
        KEY,
        BODY.as_bytes(),
        signatures.headers()
    ));
}

#[test]
fn accepts_common_header_shapes() {
    let body = BODY.as_bytes();
    // A slice of string pairs, by reference and by value.
    let pairs = [("x-nango-hmac-sha256", HMAC)];
    assert!(webhooks::verify_incoming_webhook_request(KEY, body, &pairs));
    assert!(webhooks::verify_incoming_webhook_request(KEY, body, pairs));
    // Owned strings.
    let owned: Vec<(String, String)> = vec![("X-Nango-Hmac-Sha256".into(), HMAC.into())];
    assert!(webhooks::verify_incoming_webhook_request(KEY, body, &owned));
    assert!(webhooks::verify_incoming_webhook_request(
        KEY,
        body,
        owned.iter()
    ));
    // Maps.
    let map: HashMap<String, String> = owned.iter().cloned().collect();
    assert!(webhooks::verify_incoming_webhook_request(KEY, body, &map));
    let sorted: BTreeMap<&str, &str> = [("X-NANGO-HMAC-SHA256", HMAC)].into();
    assert!(webhooks::verify_incoming_webhook_request(
        KEY, body, &sorted
    ));
    // Raw byte values (as HTTP libraries store them).
    let bytes: Vec<(&str, Vec<u8>)> = vec![("x-nango-hmac-sha256", HMAC.as_bytes().to_vec())];
    assert!(webhooks::verify_incoming_webhook_request(KEY, body, &bytes));
    // A value that is not UTF-8 is malformed, not a panic.
    let garbage: Vec<(&str, &[u8])> = vec![("x-nango-hmac-sha256", &[0xff, 0xfe][..])];
    assert_eq!(
        webhooks::verify(KEY, body, &garbage),
        Err(VerifyError::MalformedSignature)
    );
}

#[cfg(feature = "client")]
#[test]
fn accepts_an_http_header_map() {
    use reqwest::header::{HeaderMap, HeaderValue};

    let mut headers = HeaderMap::new();
    headers.insert("x-nango-hmac-sha256", HeaderValue::from_static(HMAC));
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    assert!(webhooks::verify_incoming_webhook_request(
        KEY,
        BODY.as_bytes(),
        headers.iter()
    ));
    assert!(webhooks::verify_incoming_webhook_request(
        KEY,
        BODY.as_bytes(),
        &headers
    ));
    headers.append("x-nango-hmac-sha256", HeaderValue::from_static(LEGACY));
    assert_eq!(
        webhooks::verify(KEY, BODY.as_bytes(), &headers),
        Err(VerifyError::ConflictingSignatures)
    );
}

#[test]
fn the_legacy_header_never_satisfies_the_hmac_check() {
    let headers = [("X-Nango-Signature", LEGACY)];
    assert_eq!(
        webhooks::verify(KEY, BODY.as_bytes(), headers),
        Err(VerifyError::MissingSignature)
    );
    assert_eq!(
        webhooks::verify_legacy(KEY, BODY.as_bytes(), headers),
        Ok(())
    );
}

#[test]
fn every_single_bit_flip_of_the_body_is_rejected() {
    let headers = [("x-nango-hmac-sha256", HMAC)];
    let mut body = BODY.as_bytes().to_vec();
    for i in 0..body.len() {
        for bit in 0..8 {
            body[i] ^= 1 << bit;
            assert_eq!(
                webhooks::verify(KEY, &body, headers),
                Err(VerifyError::SignatureMismatch),
                "byte {i} bit {bit}"
            );
            body[i] ^= 1 << bit;
        }
    }
    assert_eq!(webhooks::verify(KEY, &body, headers), Ok(()));
}

#[test]
fn parse_verified_verifies_then_parses() {
    let good = [("x-nango-hmac-sha256", HMAC)];
    let payload = webhooks::parse_verified(KEY, BODY.as_bytes(), good).unwrap();
    let WebhookPayload::Sync(sync) = &payload else {
        panic!("expected a sync webhook, got {payload:?}");
    };
    assert_eq!(sync.sync_name, "issues");
    assert_eq!(sync.response_results.map(|r| r.added), Some(2));
    assert_eq!(payload.connection_id(), Some("conn-1"));
    assert_eq!(payload.provider_config_key(), Some("github"));

    let bad = [("x-nango-hmac-sha256", LEGACY)];
    let err = webhooks::parse_verified(KEY, BODY.as_bytes(), bad).unwrap_err();
    assert_eq!(err.code(), "invalid_signature");
    assert!(matches!(
        err,
        nango::Error::InvalidSignature(VerifyError::SignatureMismatch)
    ));

    // Signed garbage verifies but is not JSON.
    let body = b"not json";
    let signature = webhooks::sign_hmac_sha256(KEY, body);
    let err = webhooks::parse_verified(KEY, body, [("x-nango-hmac-sha256", signature.as_str())])
        .unwrap_err();
    assert_eq!(err.code(), "invalid_argument");
}

#[test]
fn secrets_stay_out_of_debug_and_errors() {
    let signatures = webhooks::sign(KEY, BODY.as_bytes());
    let debug = format!("{signatures:?}");
    assert!(!debug.contains(HMAC) && !debug.contains(LEGACY), "{debug}");
    for headers in [
        vec![("x-nango-hmac-sha256", "00")],
        vec![("x-nango-hmac-sha256", LEGACY)],
        vec![],
    ] {
        let err = webhooks::verify(KEY, BODY.as_bytes(), headers).unwrap_err();
        let shown = format!("{err} {err:?} {}", nango::Error::InvalidSignature(err));
        assert!(!shown.contains(KEY) && !shown.contains(HMAC) && !shown.contains(LEGACY));
    }
}

#[test]
fn typed_payloads_expose_fields_in_rust_names() {
    let body = br#"{"type":"auth","from":"nango","connectionId":"c1","providerConfigKey":"gh","authMode":"OAUTH2","provider":"github","environment":"dev","operation":"override","success":true,"endUser":{"endUserId":"u1"},"futureField":1}"#;
    let WebhookPayload::Auth(auth) = WebhookPayload::from_slice(body).unwrap() else {
        panic!("expected auth");
    };
    assert_eq!(auth.operation, webhooks::AuthOperation::Override);
    assert_eq!(auth.end_user.map(|u| u.end_user_id).as_deref(), Some("u1"));
    assert_eq!(auth.auth_mode, "OAUTH2");

    // A known type missing a required field is kept whole rather than half-parsed.
    let partial = br#"{"type":"auth","connectionId":"c1"}"#;
    let parsed = WebhookPayload::from_slice(partial).unwrap();
    assert_eq!(parsed.kind(), "unknown");
    assert_eq!(parsed.to_value()["connectionId"], "c1");

    assert!(WebhookPayload::from_slice(b"{").is_err());
}
