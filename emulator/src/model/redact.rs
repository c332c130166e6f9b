//! Redaction for the request log: secrets (keys, tokens, passwords, OAuth codes) in headers, query
//! strings and bodies are replaced by a short SHA-256 fingerprint, so two SDKs that send the same
//! secret still log equal values while the secret itself never lands in the log.

use serde_json::Value;
use sha2::{Digest, Sha256};

const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "cookie",
    "set-cookie",
    "nango-proxy-authorization",
    "x-api-key",
    "nango-proxy-x-api-key",
];

const SECRET_FIELDS: &[&str] = &[
    "connect_session_token",
    "public_key",
    "hmac",
    "token",
    "sessiontoken",
    "token_secret",
    "code",
    "code_verifier",
    "client_secret",
    "refresh_token",
    "access_token",
    "apikey",
    "api_key",
    "password",
    "privatekey",
    "credentials[oauth_client_secret_override]",
    "credentials[oauth_refresh_token_override]",
];

fn is_secret_field(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_FIELDS.contains(&lower.as_str())
}

pub(crate) fn fingerprint(value: &str) -> String {
    format!(
        "[redacted:{}]",
        hex::encode(&Sha256::digest(value.as_bytes())[..6])
    )
}

pub(crate) fn header(name: &str, value: &str) -> String {
    if !SECRET_HEADERS.contains(&name) {
        return value.to_owned();
    }
    match value.split_once(' ') {
        Some((scheme, _)) if name.ends_with("authorization") => {
            format!("{scheme} {}", fingerprint(value))
        }
        _ => fingerprint(value),
    }
}

/// Redacts `key=value` pairs of a query string or form body, keeping everything else byte for byte.
pub(crate) fn query(raw: &str) -> String {
    raw.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => {
                let key: String = url::form_urlencoded::parse(format!("{k}=").as_bytes())
                    .next()
                    .map(|(k, _)| k.into_owned())
                    .unwrap_or_default();
                if is_secret_field(&key) {
                    format!("{k}={}", fingerprint(v))
                } else {
                    pair.to_owned()
                }
            }
            None => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn redact_json(v: &mut Value) -> bool {
    match v {
        Value::Object(m) => {
            let mut changed = false;
            for (k, val) in m.iter_mut() {
                if is_secret_field(k) {
                    if let Value::String(s) = val {
                        *s = fingerprint(s);
                        changed = true;
                        continue;
                    }
                }
                changed |= redact_json(val);
            }
            changed
        }
        Value::Array(items) => {
            // Every element must be visited (no short-circuit), hence the explicit loop.
            let mut changed = false;
            for item in items {
                changed |= redact_json(item);
            }
            changed
        }
        _ => false,
    }
}

/// Redacts a body: JSON (re-serialised only if something was redacted), form bodies, else as is.
pub(crate) fn body(content_type: Option<&str>, bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let ct = content_type.unwrap_or_default().to_ascii_lowercase();
    if ct.starts_with("application/x-www-form-urlencoded") {
        return query(&text);
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(mut v) => {
            if redact_json(&mut v) {
                v.to_string()
            } else {
                text
            }
        }
        Err(_) => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_queries_and_bodies() {
        let h = header("authorization", "Bearer secret-key");
        assert!(h.starts_with("Bearer [redacted:") && !h.contains("secret-key"));
        assert_eq!(h, header("authorization", "Bearer secret-key"));
        assert_eq!(header("connection-id", "c1"), "c1");
        let q = query("model=A&connect_session_token=tok123&params%5Bx%5D=1&code=abc");
        assert!(
            q.starts_with("model=A&connect_session_token=[redacted:")
                && q.contains("&params%5Bx%5D=1&code=[redacted:")
        );
        assert!(!q.contains("tok123") && !q.contains("abc"));
        let b = body(
            Some("application/json"),
            br#"{"apiKey":"sk-1","nested":{"password":"p"},"keep":"k"}"#,
        );
        assert!(!b.contains("sk-1") && !b.contains("\"p\"") && b.contains("\"keep\":\"k\""));
        let raw = r#"{ "model": "A" }"#;
        assert_eq!(body(Some("application/json"), raw.as_bytes()), raw);
        let f = body(
            Some("application/x-www-form-urlencoded"),
            b"grant_type=refresh_token&refresh_token=rt1",
        );
        assert!(f.starts_with("grant_type=refresh_token&refresh_token=[redacted:"));
    }
}
