//! Bearer authentication: environment secret keys (UUID v4) and connect-session tokens, with Nango's
//! 401 codes.

use crate::model::state::AppState;
use crate::routes::error::ApiError;
use axum::http::{HeaderMap, header};

/// Prefix of connect-session tokens; 64 lowercase hex characters follow.
pub(crate) const SESSION_PREFIX: &str = "nango_connect_session_";

/// Who made an authenticated request.
#[derive(Debug, Clone)]
pub(crate) enum Caller {
    SecretKey,
    /// A connect session, by token.
    Session(String),
}

pub(crate) fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 36 {
        return false;
    }
    for (i, c) in b.iter().enumerate() {
        let ok = match i {
            8 | 13 | 18 | 23 => *c == b'-',
            14 => *c == b'4',
            19 => matches!(c.to_ascii_lowercase(), b'8' | b'9' | b'a' | b'b'),
            _ => c.is_ascii_hexdigit(),
        };
        if !ok {
            return false;
        }
    }
    true
}

pub(crate) fn is_session_token_format(s: &str) -> bool {
    s.strip_prefix(SESSION_PREFIX).is_some_and(|hex| {
        hex.len() == 64 && hex.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
    })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Extracts the bearer value: everything after the literal `Bearer ` (a header without it is taken as
/// the raw key, as Nango does).
fn bearer(headers: &HeaderMap) -> Result<String, ApiError> {
    let raw = headers.get(header::AUTHORIZATION).ok_or_else(|| {
        ApiError::unauthorized(
            "missing_auth_header",
            "Authentication failed. The request is missing the Authorization header.",
        )
    })?;
    let raw = raw.to_str().map_err(|_| {
        ApiError::unauthorized(
            "malformed_auth_header",
            "Authentication failed. The provided Authorization header is malformed.",
        )
    })?;
    let key = match raw.split_once("Bearer ") {
        Some((_, rest)) => rest,
        None => raw,
    }
    .trim();
    if key.is_empty() {
        return Err(ApiError::unauthorized(
            "malformed_auth_header",
            "Authentication failed. The provided Authorization header is malformed.",
        ));
    }
    Ok(key.to_owned())
}

/// Checks a secret key value against the configured key.
pub(crate) fn check_secret_key(state: &AppState, key: &str) -> Result<(), ApiError> {
    if !is_uuid_v4(key) {
        return Err(ApiError::unauthorized(
            "invalid_secret_key_format",
            "Authentication failed. The provided secret key is not a UUID v4.",
        ));
    }
    let expected = state.cfg.secret_key.expose().to_ascii_lowercase();
    if !constant_time_eq(key.to_ascii_lowercase().as_bytes(), expected.as_bytes()) {
        return Err(ApiError::unauthorized(
            "unknown_account",
            "Authentication failed. The provided secret key is not associated with an account.",
        ));
    }
    Ok(())
}

/// Checks a connect-session token (format, existence, expiry).
pub(crate) fn check_session_token(state: &AppState, token: &str) -> Result<(), ApiError> {
    if !is_session_token_format(token) {
        return Err(ApiError::unauthorized(
            "invalid_connect_session_token_format",
            "Authentication failed. The provided connect session token is not following correct format: nango_connect_session_ + 64 hex characters.",
        ));
    }
    if state.session_alive(token) {
        Ok(())
    } else {
        Err(ApiError::unauthorized(
            "unknown_connect_session_token",
            "Authentication failed. The provided connect session token does not match any account.",
        ))
    }
}

/// Requires the environment secret key.
pub(crate) fn require_secret(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let key = bearer(headers)?;
    check_secret_key(state, &key)
}

/// Accepts the secret key or a live connect-session token.
pub(crate) fn require_secret_or_session(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Caller, ApiError> {
    let key = bearer(headers)?;
    if key.starts_with(SESSION_PREFIX) {
        check_session_token(state, &key)?;
        return Ok(Caller::Session(key));
    }
    check_secret_key(state, &key)?;
    Ok(Caller::SecretKey)
}

/// Requires a live connect-session token.
pub(crate) fn require_session(state: &AppState, headers: &HeaderMap) -> Result<String, ApiError> {
    let key = bearer(headers)?;
    check_session_token(state, &key)?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(is_uuid_v4("11111111-2222-4333-8444-555555555555"));
        assert!(is_uuid_v4("11111111-2222-4333-B444-555555555555"));
        assert!(!is_uuid_v4("11111111-2222-1333-8444-555555555555"));
        assert!(!is_uuid_v4("not-a-key"));
        let tok = format!("{SESSION_PREFIX}{}", "a".repeat(64));
        assert!(is_session_token_format(&tok));
        assert!(!is_session_token_format(&format!(
            "{SESSION_PREFIX}{}",
            "A".repeat(64)
        )));
    }
}
