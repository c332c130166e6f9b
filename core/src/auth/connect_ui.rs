//! Connect UI, platform-free (docs/protocol.md §4.6): the iframe's URL, the origin-checked messages it
//! posts to the page, and the page's `session_token` reply.
//!
//! A host (the browser binding) owns the DOM: it puts an iframe at
//! [`ConnectUiConfig::iframe_url`], passes every `message` event through
//! [`ConnectUiConfig::message_kind`] (or [`ConnectUiConfig::parse_message`] when it holds the data
//! as JSON), answers [`ConnectUiMessageKind::Ready`] with [`session_token_reply`] posted to
//! [`SESSION_TOKEN_TARGET_ORIGIN`], and tears down on [`ConnectUiMessageKind::Close`].
//!
//! ```
//! use nango::auth::{ConnectUiConfig, ConnectUiMessageKind};
//!
//! let mut config = ConnectUiConfig::new();
//! config.lang = Some("fr".into());
//! assert_eq!(
//!     config.iframe_url().as_deref(),
//!     Ok("https://connect.nango.dev/?apiURL=https%3A%2F%2Fapi.nango.dev&lang=fr")
//! );
//! let kind = config.message_kind("https://connect.nango.dev", Some("ready"));
//! assert_eq!(kind, Some(ConnectUiMessageKind::Ready));
//! assert_eq!(config.message_kind("https://evil.example", Some("ready")), None);
//! // Only http(s): a `javascript:` iframe would run in the embedding page's origin.
//! config.base_url = Some("javascript:parent.x=1//".into());
//! assert!(config.iframe_url().is_err());
//! ```

use serde_json::{Map, Value};

use super::urls::{encode_uri_component, invalid_host, origin_matches, origin_of};
use super::{AuthError, AuthSuccess};

/// Where Connect UI is served when no `baseURL` is given.
pub const DEFAULT_CONNECT_UI_URL: &str = "https://connect.nango.dev";

/// The API Connect UI talks to when no `apiURL` is given.
pub const DEFAULT_CONNECT_UI_API_URL: &str = "https://api.nango.dev";

/// The target origin of the `session_token` reply. `*`, as officially: the iframe may have
/// navigated within Connect UI's origin, and the token is only ever posted to the iframe's own
/// window, never put in its URL.
pub const SESSION_TOKEN_TARGET_ORIGIN: &str = "*";

/// What `openConnectUI(props)` needs to know about Connect UI, besides the session token and the
/// event callback (which the host keeps: the token is a secret and never goes into the URL).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectUiConfig {
    /// `baseURL`; [`DEFAULT_CONNECT_UI_URL`] when `None`. Also the only trusted message origin.
    pub base_url: Option<String>,
    /// `apiURL`; [`DEFAULT_CONNECT_UI_API_URL`] when `None`.
    pub api_url: Option<String>,
    /// `detectClosedAuthWindow`: put in the URL only when `true`.
    pub detect_closed_auth_window: bool,
    /// `lang`.
    pub lang: Option<String>,
    /// `themeOverride` (`light`, `dark` or `system`), sent as the `theme` query key.
    pub theme: Option<String>,
}

impl ConnectUiConfig {
    /// All defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// `baseURL`, or the default.
    pub fn base_url(&self) -> &str {
        self.base_url.as_deref().unwrap_or(DEFAULT_CONNECT_UI_URL)
    }

    /// `apiURL`, or the default.
    pub fn api_url(&self) -> &str {
        self.api_url
            .as_deref()
            .unwrap_or(DEFAULT_CONNECT_UI_API_URL)
    }

    /// The iframe's `src`: the base URL without its query and fragment, its path forced to end
    /// with `/`, then `apiURL` and the optional `detectClosedAuthWindow=true`, `lang` and `theme`,
    /// each value encoded like `encodeURIComponent`.
    ///
    /// `invalid_host_url` unless the base and API URLs are absolute `http(s)` URLs: the iframe's
    /// `src` is the base URL, and a `javascript:` one would run script in the embedding page's
    /// origin (Connect UI would be sent the token by any other scheme's page, too).
    pub fn iframe_url(&self) -> Result<String, AuthError> {
        if origin_of(self.base_url()).is_none() || origin_of(self.api_url()).is_none() {
            return Err(invalid_host());
        }
        let base = self.base_url();
        // By bytes rather than `split_once(['?', '#'])`: smaller in the browser's wasm.
        let end = base
            .bytes()
            .position(|b| b == b'?' || b == b'#')
            .unwrap_or(base.len());
        let path = base.get(..end).unwrap_or(base);
        let mut url = String::from(path);
        if !url.ends_with('/') {
            url.push('/');
        }
        let mut separator = '?';
        let mut add = |key: &str, value: &str| {
            url.push(separator);
            separator = '&';
            url.push_str(key);
            url.push('=');
            url.push_str(&encode_uri_component(value));
        };
        add("apiURL", self.api_url());
        if self.detect_closed_auth_window {
            add("detectClosedAuthWindow", "true");
        }
        if let Some(lang) = &self.lang {
            add("lang", lang);
        }
        if let Some(theme) = &self.theme {
            add("theme", theme);
        }
        Ok(url)
    }

    /// Whether a `message` event's origin is Connect UI's (the base URL's origin, normalised on
    /// both sides; the opaque origin `null` never matches).
    pub fn accepts_origin(&self, origin: &str) -> bool {
        origin_matches(self.base_url(), origin)
    }

    /// Classifies a `message` event for hosts that do not hold its data as JSON: `message_type`
    /// is `data.type` when `data` is an object and `type` a string, else `None`. `None` back
    /// means "not from Connect UI, ignore it"; anything else is passed to `onEvent`.
    pub fn message_kind(
        &self,
        origin: &str,
        message_type: Option<&str>,
    ) -> Option<ConnectUiMessageKind> {
        let message_type = message_type?;
        self.accepts_origin(origin)
            .then(|| ConnectUiMessageKind::from_type(message_type))
    }

    /// Validates and parses a `message` event: `None` unless `origin` is Connect UI's and `data`
    /// is an object with a string `type`. Payload fields are read leniently (a missing field is
    /// `None`), as the event is forwarded either way.
    pub fn parse_message(&self, origin: &str, data: &Value) -> Option<ConnectUiEvent> {
        let message_type = data.as_object()?.get("type")?.as_str();
        let kind = self.message_kind(origin, message_type)?;
        let payload = data.get("payload");
        let text = |key: &str| {
            payload
                .and_then(|p| p.get(key))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        Some(match kind {
            ConnectUiMessageKind::Ready => ConnectUiEvent::Ready,
            ConnectUiMessageKind::Close => ConnectUiEvent::Close,
            ConnectUiMessageKind::Connect => ConnectUiEvent::Connect(AuthSuccess {
                provider_config_key: text("providerConfigKey").unwrap_or_default(),
                connection_id: text("connectionId"),
                is_pending: payload
                    .and_then(|p| p.get("isPending"))
                    .and_then(Value::as_bool),
            }),
            ConnectUiMessageKind::Error => ConnectUiEvent::Error {
                error_type: text("errorType"),
                error_message: text("errorMessage"),
            },
            ConnectUiMessageKind::SettingsChanged => {
                ConnectUiEvent::SettingsChanged(payload.cloned().unwrap_or(Value::Null))
            }
            ConnectUiMessageKind::Other => {
                ConnectUiEvent::Other(message_type.unwrap_or_default().to_owned())
            }
        })
    }
}

/// The `type` of an accepted Connect UI message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConnectUiMessageKind {
    /// `ready`: answer with [`session_token_reply`].
    Ready,
    /// `close`: remove the iframe and the listener, restore the page's scrolling.
    Close,
    /// `connect`: a connection was created; forwarded.
    Connect,
    /// `error`; forwarded.
    Error,
    /// `settings_changed`; forwarded.
    SettingsChanged,
    /// Any other type; forwarded too, as officially.
    Other,
}

impl ConnectUiMessageKind {
    /// The kind of a message `type`.
    pub fn from_type(message_type: &str) -> Self {
        match message_type {
            "ready" => Self::Ready,
            "close" => Self::Close,
            "connect" => Self::Connect,
            "error" => Self::Error,
            "settings_changed" => Self::SettingsChanged,
            _ => Self::Other,
        }
    }
}

/// An accepted Connect UI message, parsed.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ConnectUiEvent {
    /// `ready`.
    Ready,
    /// `close`.
    Close,
    /// `connect` with `payload: {providerConfigKey, connectionId, isPending?}` (a missing key is
    /// empty).
    Connect(AuthSuccess),
    /// `error` with `payload: {errorType, errorMessage}`.
    Error {
        /// `errorType`.
        error_type: Option<String>,
        /// `errorMessage`.
        error_message: Option<String>,
    },
    /// `settings_changed` with its `payload` (`ConnectUISettings`) as sent, `null` when absent.
    SettingsChanged(Value),
    /// Another type, named.
    Other(String),
}

/// The reply to `ready`, as key/value pairs for hosts that build the object themselves:
/// `{type: "session_token", sessionToken}`. Post it to [`SESSION_TOKEN_TARGET_ORIGIN`].
pub fn session_token_reply(session_token: &str) -> [(&'static str, &str); 2] {
    [("type", "session_token"), ("sessionToken", session_token)]
}

/// The reply to `ready` as a JSON object.
pub fn session_token_message(session_token: &str) -> Value {
    let object: Map<String, Value> = session_token_reply(session_token)
        .into_iter()
        .map(|(key, value)| (key.to_owned(), Value::from(value)))
        .collect();
    Value::Object(object)
}
