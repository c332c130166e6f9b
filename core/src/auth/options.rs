//! Options of `auth()` / `create()` and the query string they become (docs/protocol.md §4.2).

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::text::concat;
use super::urls::encode_uri_component;
use super::{JsonObject, JsonValue};

/// How the frontend authenticates itself to the auth routes.
#[derive(Clone, PartialEq, Eq)]
pub enum AuthToken {
    /// A connect session token (`nango_connect_session_…`), sent as `connect_session_token`.
    ConnectSession(String),
    /// A legacy public key (UUID), sent as `public_key`.
    PublicKey(String),
}

impl AuthToken {
    fn query_pair(&self) -> (&'static str, &str) {
        match self {
            Self::ConnectSession(token) => ("connect_session_token", token),
            Self::PublicKey(key) => ("public_key", key),
        }
    }
}

impl fmt::Debug for AuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ConnectSession(_) => f.write_str("ConnectSession(<redacted>)"),
            Self::PublicKey(_) => f.write_str("PublicKey(<redacted>)"),
        }
    }
}

/// The options of `auth(providerConfigKey, connectionId?, options?)`, with the official
/// (JavaScript) option names when deserialised.
///
/// Maps keep the caller's key order, because that order is the order of the query string;
/// deserialising from JSON text (or a JS object through `serde-wasm-bindgen`) preserves it.
#[derive(Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct AuthOptions {
    /// Connection configuration, sent as `params[key]=value`. Only string values are sent,
    /// as in the official SDK; others are dropped when deserialising.
    #[serde(deserialize_with = "string_pairs")]
    pub params: Vec<(String, String)>,
    /// HMAC of the integration (and connection id), for public-key auth with HMAC enabled.
    pub hmac: Option<String>,
    /// User-level OAuth scopes, sent comma-joined as `user_scope`.
    pub user_scope: Option<Vec<String>>,
    /// Extra authorization parameters, sent as `authorization_params[key]=value`. `None`
    /// (JSON `null`) sends the literal `undefined`, which tells the server to drop a template
    /// parameter.
    #[serde(deserialize_with = "optional_string_pairs")]
    pub authorization_params: Vec<(String, Option<String>)>,
    /// Credentials: either an OAuth client override (stays on the popup path) or credentials
    /// for a non-popup route (API key, basic, JWT, …).
    pub credentials: Option<JsonObject>,
    /// `"outbound"` selects the OAuth outbound installation route.
    pub installation: Option<String>,
    /// TWO_STEP only: options of the signed assertion, sent as `assertionOption` in the
    /// credential route's body when not empty (as the official SDK does); not part of any query.
    #[serde(rename = "assertionOption", alias = "assertion_option")]
    pub assertion_option: Option<JsonObject>,
    /// Reject with `window_closed` when the popup is closed early. Off by default because
    /// `popup.closed` is unreliable behind COOP headers (NangoHQ/nango#571, #4028).
    #[serde(rename = "detectClosedAuthWindow", alias = "detect_closed_auth_window")]
    pub detect_closed_auth_window: Option<bool>,
    /// Overall timeout of the popup flow in milliseconds (ours; the official SDK has none).
    #[serde(rename = "timeoutMs", alias = "timeout_ms")]
    pub timeout_ms: Option<u32>,
}

impl fmt::Debug for AuthOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Credentials, HMACs and parameters may all hold secrets: show only their shape.
        let credential_keys: Vec<&str> = self.credentials.iter().flat_map(|c| c.keys()).collect();
        f.debug_struct("AuthOptions")
            .field("params", &self.params.len())
            .field("hmac", &self.hmac.as_ref().map(|_| "<redacted>"))
            .field("user_scope", &self.user_scope)
            .field("authorization_params", &self.authorization_params.len())
            .field("credential_keys", &credential_keys)
            .field("installation", &self.installation)
            .field(
                "assertion_option_keys",
                &self
                    .assertion_option
                    .iter()
                    .flat_map(|a| a.keys())
                    .collect::<Vec<_>>(),
            )
            .field("detect_closed_auth_window", &self.detect_closed_auth_window)
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

impl AuthOptions {
    /// No options.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a connection-configuration parameter.
    pub fn param(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((key.into(), value.into()));
        self
    }

    /// Sets the credentials (a [`JsonObject`], or a `serde_json::Map`).
    pub fn credentials(mut self, credentials: impl Into<JsonObject>) -> Self {
        self.credentials = Some(credentials.into());
        self
    }

    /// Sets the overall timeout in milliseconds.
    pub fn timeout_ms(mut self, timeout_ms: u32) -> Self {
        self.timeout_ms = Some(timeout_ms);
        self
    }

    /// Turns closed-window detection on or off.
    pub fn detect_closed_auth_window(mut self, detect: bool) -> Self {
        self.detect_closed_auth_window = Some(detect);
        self
    }

    pub(crate) fn credential_str(&self, key: &str) -> Option<&str> {
        self.credentials
            .as_ref()
            .and_then(|c| c.get(key))
            .and_then(JsonValue::as_str)
    }
}

/// The query string (with its leading `?`, or empty) for `/oauth/connect/:key` and the
/// credential routes, keys in the official order:
/// `connection_id`, `public_key` | `connect_session_token`, `params[…]`, `hmac`, `user_scope`,
/// `credentials[oauth_client_id_override]`, `credentials[oauth_client_secret_override]`,
/// `credentials[oauth_refresh_token_override]`, `token_id`, `token_secret`,
/// `authorization_params[…]`.
///
/// Unlike the official SDK every value (and every bracketed key) is encoded with
/// `encodeURIComponent` semantics (docs/protocol.md §13, quirk 8): the server decodes with `qs`, so this is
/// compatible, and values holding `&` or `=` no longer break the query.
pub fn build_query(
    token: Option<&AuthToken>,
    connection_id: Option<&str>,
    options: &AuthOptions,
) -> String {
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut push = |key: String, value: &str| pairs.push((key, encode_uri_component(value)));

    if let Some(connection_id) = connection_id {
        push("connection_id".to_owned(), connection_id);
    }
    if let Some(token) = token {
        let (key, value) = token.query_pair();
        push(key.to_owned(), value);
    }
    for (key, value) in &options.params {
        push(concat(&["params[", &encode_uri_component(key), "]"]), value);
    }
    if let Some(hmac) = &options.hmac {
        push("hmac".to_owned(), hmac);
    }
    if let Some(scopes) = &options.user_scope {
        push("user_scope".to_owned(), &scopes.join(","));
    }
    for key in [
        "oauth_client_id_override",
        "oauth_client_secret_override",
        "oauth_refresh_token_override",
    ] {
        if let Some(value) = options.credential_str(key) {
            push(concat(&["credentials[", key, "]"]), value);
        }
    }
    for key in ["token_id", "token_secret"] {
        if let Some(value) = options.credential_str(key) {
            push(key.to_owned(), value);
        }
    }
    for (key, value) in &options.authorization_params {
        let key = concat(&["authorization_params[", &encode_uri_component(key), "]"]);
        push(key, value.as_deref().unwrap_or("undefined"));
    }

    if pairs.is_empty() {
        return String::new();
    }
    let mut query = String::new();
    for (key, value) in pairs {
        query.push(if query.is_empty() { '?' } else { '&' });
        query.push_str(&key);
        query.push('=');
        query.push_str(&value);
    }
    query
}

/// A JSON object read in document order, keeping only string values.
fn string_pairs<'de, D: Deserializer<'de>>(de: D) -> Result<Vec<(String, String)>, D::Error> {
    let pairs = optional_string_pairs(de)?;
    Ok(pairs
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect())
}

/// A JSON object read in document order: strings kept, `null` as `None`, other values dropped.
fn optional_string_pairs<'de, D: Deserializer<'de>>(
    de: D,
) -> Result<Vec<(String, Option<String>)>, D::Error> {
    struct Pairs;

    impl<'de> Visitor<'de> for Pairs {
        type Value = Vec<(String, Option<String>)>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object of strings")
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }

        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }

        fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
            de.deserialize_any(self)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some((key, value)) = map.next_entry::<String, Value>()? {
                match value {
                    Value::String(s) => out.push((key, Some(s))),
                    Value::Null => out.push((key, None)),
                    _ => {}
                }
            }
            Ok(out)
        }
    }

    de.deserialize_any(Pairs)
}
