//! The three completion channels of the popup flow, parsed and validated (docs/protocol.md §4.3, §5.4):
//! WebSocket messages, the callback page's `postMessage` to the opener, and its
//! `BroadcastChannel("nango-oauth-callback")` message.

use super::urls::origin_matches;
use super::{AuthError, AuthErrorKind, AuthSuccess, JsonValue};

/// The BroadcastChannel the callback page posts on.
pub const BROADCAST_CHANNEL: &str = "nango-oauth-callback";

/// A WebSocket message from the server.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SocketMessage {
    /// `connection_ack`: the server's id for this socket.
    Ack {
        /// The `ws_client_id` to put in the `/oauth/connect` query.
        ws_client_id: String,
    },
    /// `success`.
    Success(AuthSuccess),
    /// `error`, with the server's `error_type` as the error's type.
    Error(AuthError),
    /// A well-formed message of another `message_type`; ignored by the flow, as officially.
    Unknown(String),
    /// Not JSON, not an object, no `message_type`, or an `connection_ack` without an id.
    /// Ignored by the flow (the official SDK's parse error is swallowed by the socket's event
    /// loop); hosts in debug mode may log it.
    Malformed,
}

/// Parses one WebSocket text frame (the `json` feature; hosts with their own JSON parser use
/// [`parse_socket_value`]).
///
/// A `success` without `provider_config_key` is still a success (the flow fills in the key it
/// asked for); a `success` without `connection_id` has `connection_id: None`.
#[cfg(feature = "json")]
pub fn parse_socket_message(text: &str) -> SocketMessage {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) => parse_socket_value(&JsonValue::from(value)),
        Err(_) => SocketMessage::Malformed,
    }
}

/// Validates one WebSocket message that the host parsed as JSON (text that is not JSON: pass
/// [`JsonValue::Null`]). Same rules as `parse_socket_message`.
pub fn parse_socket_value(message: &JsonValue) -> SocketMessage {
    if message.as_object().is_none() {
        return SocketMessage::Malformed;
    }
    let field = |key: &str| message.get(key).and_then(JsonValue::as_str);
    match field("message_type") {
        Some("connection_ack") => match field("ws_client_id") {
            Some(id) if !id.is_empty() => SocketMessage::Ack {
                ws_client_id: id.to_owned(),
            },
            _ => SocketMessage::Malformed,
        },
        Some("success") => SocketMessage::Success(AuthSuccess {
            provider_config_key: field("provider_config_key").unwrap_or_default().to_owned(),
            connection_id: field("connection_id").map(str::to_owned),
            is_pending: message.get("is_pending").and_then(JsonValue::as_bool),
        }),
        Some("error") => SocketMessage::Error(AuthError::from_server(
            field("error_type").unwrap_or("unknown_error"),
            field("error_desc").unwrap_or("The authorization failed."),
        )),
        Some(other) => SocketMessage::Unknown(other.to_owned()),
        None => SocketMessage::Malformed,
    }
}

/// A message from the OAuth callback page.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallbackMessage {
    /// `nango_oauth_callback_success`: no ids are carried.
    Success,
    /// `nango_oauth_callback_error` with `payload: {message, errorType}`.
    Error(AuthError),
}

/// Validates a `message` event received by the opener window (the `json` feature; see
/// [`parse_window_value`]).
///
/// Accepted only when `origin` is the host's origin (normalised on both sides); everything else
/// (foreign origins, other `type`s such as Connect UI's `nango_oauth_callback_ack`, non-objects)
/// is `None` and must be ignored. `data` may also be a JSON string holding such an object.
#[cfg(feature = "json")]
pub fn parse_window_message(
    host: &str,
    origin: &str,
    data: &serde_json::Value,
) -> Option<CallbackMessage> {
    parse_window_value(host, origin, &callback_data(data)?)
}

/// Validates a message received on the [`BROADCAST_CHANNEL`] (the `json` feature; see
/// [`parse_broadcast_value`]). `data` may also be a JSON string holding the object.
#[cfg(feature = "json")]
pub fn parse_broadcast_message(data: &serde_json::Value) -> Option<CallbackMessage> {
    parse_broadcast_value(&callback_data(data)?)
}

/// The callback page's data as a value: a JSON string is parsed (older callback pages post
/// `JSON.stringify`'d objects).
#[cfg(feature = "json")]
fn callback_data(data: &serde_json::Value) -> Option<JsonValue> {
    match data {
        serde_json::Value::String(text) => serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .map(JsonValue::from),
        other => Some(JsonValue::from(other)),
    }
}

/// Validates the data of a `message` event received by the opener window, as the host parsed it.
///
/// Accepted only when `origin` is the host's origin (normalised on both sides); everything else
/// (foreign origins, other `type`s such as Connect UI's `nango_oauth_callback_ack`, non-objects)
/// is `None` and must be ignored. A host whose `data` is a string must parse it as JSON first
/// (older callback pages post `JSON.stringify`'d objects); a string left as is is ignored.
pub fn parse_window_value(host: &str, origin: &str, data: &JsonValue) -> Option<CallbackMessage> {
    if !origin_matches(host, origin) {
        return None;
    }
    parse_callback_value(data)
}

/// Validates a message received on the [`BROADCAST_CHANNEL`], as the host parsed it (strings:
/// as for [`parse_window_value`]). The browser only delivers same-origin broadcasts, so there is
/// no origin to check.
pub fn parse_broadcast_value(data: &JsonValue) -> Option<CallbackMessage> {
    parse_callback_value(data)
}

fn parse_callback_value(data: &JsonValue) -> Option<CallbackMessage> {
    match data.get("type").and_then(JsonValue::as_str)? {
        "nango_oauth_callback_success" => Some(CallbackMessage::Success),
        "nango_oauth_callback_error" => {
            let payload = data.get("payload");
            let field = |key: &str| payload.and_then(|p| p.get(key)).and_then(JsonValue::as_str);
            let message = field("message").unwrap_or("The authorization failed.");
            Some(CallbackMessage::Error(match field("errorType") {
                Some(code) => AuthError::from_server(code, message),
                None => AuthError::new(AuthErrorKind::UnknownError, message),
            }))
        }
        _ => None,
    }
}
