//! The bodies of the fuzz targets, as plain functions of `&[u8]`: each calls core's public
//! parsers/builders on arbitrary input and asserts the invariants that must hold for ANY input
//! (no panic, verification of what we just signed succeeds, encodings round-trip, errors carry
//! stable codes). A failed assertion is a crash for libFuzzer. `tests/replay.rs` runs the
//! checked-in corpus through the same functions under plain `cargo test`.

use std::time::{Duration, UNIX_EPOCH};

use nango::request::{Method, QueryEncoding, Request, RetryClass, encode_path_segment};
use nango::response::RawResponse;
use nango::webhooks;
use serde_json::Value;

/// Splits the input at the first two NUL bytes: `(a, b, rest)`.
fn split3(data: &[u8]) -> (&[u8], &[u8], &[u8]) {
    let mut parts = data.splitn(3, |b| *b == 0);
    (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    )
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Webhook verification and payload parsing: `key \0 signature \0 body`.
pub fn webhook_verify(data: &[u8]) {
    let (key, sig, body) = split3(data);
    let key = text(key);
    let sig = text(sig);
    let headers = [("X-Nango-Hmac-Sha256", sig.as_str()), ("X-Nango-Signature", sig.as_str())];
    let verdict = webhooks::verify(&key, body, headers);
    let _ = webhooks::verify_legacy(&key, body, headers);
    if let Err(reason) = verdict {
        assert!(!reason.reason().is_empty());
    }
    match webhooks::parse_verified(&key, body, headers) {
        Ok(payload) => {
            assert!(verdict.is_ok());
            let _ = (payload.kind(), payload.connection_id(), payload.to_value());
        }
        Err(err) => assert!(matches!(err.code(), "invalid_signature" | "invalid_argument")),
    }
    if let Ok(payload) = webhooks::WebhookPayload::from_slice(body) {
        let _ = payload.provider_config_key();
    }
    // What we sign must verify, under any case of the header name, and nothing else may.
    if !key.is_empty() {
        let signed = webhooks::sign(&key, body);
        let good = [("x-NANGO-hmac-sha256", signed.hmac_sha256.as_str())];
        assert!(webhooks::verify_incoming_webhook_request(&key, body, good));
        assert!(webhooks::verify_legacy_signature(&key, body, [("x-nango-signature", signed.legacy.as_str())]));
        if sig.trim().to_ascii_lowercase() != signed.hmac_sha256 {
            assert!(verdict.is_err(), "accepted a signature that is not the HMAC");
        }
        let mut flipped = body.to_vec();
        flipped.push(b' ');
        assert!(!webhooks::verify_incoming_webhook_request(&key, &flipped, good));
    }
}

/// Records page and error parsing: first byte picks the status, the rest is the body.
pub fn records_page(data: &[u8]) {
    let (status, body) = match data.split_first() {
        Some((s, rest)) => (200 + u16::from(*s) * 2, rest),
        None => (200, data),
    };
    let response = RawResponse {
        status,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("retry-after".into(), text(body.get(..8).unwrap_or(body))),
        ],
        body: body.to_vec(),
    };
    if let Ok(page) = nango::response::parse_json::<nango::RecordsPage<nango::Record<Value>>>("GET /records/", &response) {
        for record in &page.records {
            let _ = nango::cursor::decode_cursor(&record.metadata.cursor);
            let _ = record.metadata.last_action.as_str();
        }
    }
    if let Ok(page) = nango::response::parse_json::<nango::RecordsPage<Value>>("GET /records/", &response) {
        for record in &page.records {
            use nango::RecordCursor;
            let _ = record.record_cursor();
        }
    }
    let err = nango::response::api_error_at("GET /records/", &response, UNIX_EPOCH + Duration::from_secs(1_800_000_000));
    assert!(!err.code().is_empty());
    // Any length is fine (the retry policy caps what it waits for); it must just not panic.
    let _ = nango::response::parse_retry_after(&text(body), UNIX_EPOCH);
    let cursor = text(body);
    if let Ok(decoded) = nango::cursor::decode_cursor(&cursor) {
        // Whatever decodes re-encodes to a cursor that decodes to the same thing.
        let again = nango::cursor::encode_cursor(&decoded.timestamp, &decoded.id);
        assert_eq!(nango::cursor::decode_cursor(&again).ok(), Some(decoded));
    }
}

/// Popup messages: `host \0 origin \0 data` (data as JSON text, and as a JSON string).
pub fn popup_message(data: &[u8]) {
    let (host, origin, payload) = split3(data);
    let (host, origin, payload) = (text(host), text(origin), text(payload));
    let _ = nango::auth::parse_socket_message(&payload);
    let value = serde_json::from_str::<Value>(&payload).unwrap_or(Value::String(payload.clone()));
    let from_window = nango::auth::parse_window_message(&host, &origin, &value);
    let _ = nango::auth::parse_broadcast_message(&value);
    if from_window.is_some() {
        assert!(nango::auth::origin_matches(&host, &origin), "accepted a message from a foreign origin");
    }
    let _ = nango::auth::origin_of(&host);
    let _ = nango::auth::websocket_url(&host, Some(&origin));
}

fn decode_form(text: &str) -> Vec<u8> {
    let spaced = text.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced).collect()
}

/// Query and path building: `name \0 value \0 path`.
pub fn url_query(data: &[u8]) {
    let (name, value, path) = split3(data);
    let (name, value, path) = (text(name), text(value), text(path));
    for encoding in [QueryEncoding::Form, QueryEncoding::Axios, QueryEncoding::Url, QueryEncoding::Verbatim] {
        let request = Request::new(Method::Get, "/records/", RetryClass::Idempotent)
            .query(&name, &value, encoding)
            .query("model", "Ticket", QueryEncoding::Form);
        let query = request.query_string();
        // Nothing may escape into the fragment or break the request line.
        assert!(!query.contains('#') && !query.contains(' ') && query.is_ascii(), "{encoding:?}: {query}");
        if encoding == QueryEncoding::Verbatim {
            continue;
        }
        // One `&` between our two pairs: a value can never add or split pairs.
        let pairs: Vec<&str> = query.split('&').collect();
        assert_eq!(pairs.len(), 2, "{encoding:?}: {query}");
        let (n, v) = pairs[0].split_once('=').unwrap_or((pairs[0], ""));
        let decode = |s: &str| match encoding {
            QueryEncoding::Url => percent_encoding::percent_decode_str(s).collect::<Vec<u8>>(),
            _ => decode_form(s),
        };
        assert_eq!(decode(n), name.as_bytes(), "{encoding:?} name");
        assert_eq!(decode(v), value.as_bytes(), "{encoding:?} value");
    }
    let segment = encode_path_segment(&path);
    assert!(!segment.contains(['/', '?', '#', ' ']) && segment.is_ascii());
    assert_eq!(percent_encoding::percent_decode_str(&segment).collect::<Vec<u8>>(), path.as_bytes());
    let _ = nango::client::normalise_host(&path);
    let _ = nango::auth::encode_uri_component(&value);
    let _ = nango::request::check_header_value(&name, &value);
}
