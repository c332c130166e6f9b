//! Connect UI (docs/protocol.md §4.6): runs the shared vectors of `tests/vectors/connect_ui.json`, and
//! checks that the two message entry points (`message_kind` for hosts without JSON data,
//! `parse_message` for hosts with it) agree.

// Tests may panic on broken fixtures: that is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use nango::auth::{
    ConnectUiConfig, ConnectUiEvent, ConnectUiMessageKind, DEFAULT_CONNECT_UI_API_URL,
    DEFAULT_CONNECT_UI_URL, SESSION_TOKEN_TARGET_ORIGIN, session_token_message,
    session_token_reply,
};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
struct Vectors {
    iframe_url: Vec<UrlCase>,
    messages: Vec<MessageCase>,
    reply: Vec<ReplyCase>,
}

#[derive(Deserialize)]
struct UrlCase {
    name: String,
    config: Props,
    expect: String,
}

/// `openConnectUI` props as JS passes them.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Props {
    #[serde(rename = "baseURL")]
    base_url: Option<String>,
    #[serde(rename = "apiURL")]
    api_url: Option<String>,
    #[serde(default)]
    detect_closed_auth_window: bool,
    lang: Option<String>,
    theme_override: Option<String>,
    session_token: Option<String>,
}

impl Props {
    fn config(&self) -> ConnectUiConfig {
        let mut config = ConnectUiConfig::new();
        config.base_url = self.base_url.clone();
        config.api_url = self.api_url.clone();
        config.detect_closed_auth_window = self.detect_closed_auth_window;
        config.lang = self.lang.clone();
        config.theme = self.theme_override.clone();
        config
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MessageCase {
    name: String,
    #[serde(rename = "baseURL")]
    base_url: Option<String>,
    origin: String,
    data: Value,
    expect: Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReplyCase {
    name: String,
    session_token: String,
    expect: Value,
}

fn vectors() -> Vectors {
    let path = format!(
        "{}/../tests/vectors/connect_ui.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// The vectors' shape of a parsed event.
fn outcome(event: Option<ConnectUiEvent>) -> Value {
    match event {
        None => json!({"outcome": "ignored"}),
        Some(ConnectUiEvent::Ready) => json!({"outcome": "ready"}),
        Some(ConnectUiEvent::Close) => json!({"outcome": "close"}),
        Some(ConnectUiEvent::Connect(success)) => json!({
            "outcome": "connect",
            "providerConfigKey": success.provider_config_key,
            "connectionId": success.connection_id,
            "isPending": success.is_pending,
        }),
        Some(ConnectUiEvent::Error {
            error_type,
            error_message,
        }) => json!({"outcome": "error", "errorType": error_type, "errorMessage": error_message}),
        Some(ConnectUiEvent::SettingsChanged(payload)) => {
            json!({"outcome": "settings_changed", "payload": payload})
        }
        Some(ConnectUiEvent::Other(message_type)) => {
            json!({"outcome": "other", "type": message_type})
        }
        Some(other) => panic!("no vector shape for {other:?}"),
    }
}

fn kind_name(kind: Option<ConnectUiMessageKind>) -> &'static str {
    match kind {
        None => "ignored",
        Some(ConnectUiMessageKind::Ready) => "ready",
        Some(ConnectUiMessageKind::Close) => "close",
        Some(ConnectUiMessageKind::Connect) => "connect",
        Some(ConnectUiMessageKind::Error) => "error",
        Some(ConnectUiMessageKind::SettingsChanged) => "settings_changed",
        Some(ConnectUiMessageKind::Other) => "other",
        Some(other) => panic!("no vector name for {other:?}"),
    }
}

#[test]
fn iframe_url_vectors() {
    let cases = vectors().iframe_url;
    assert!(cases.len() >= 8);
    for case in cases {
        let url = case.config.config().iframe_url().unwrap();
        assert_eq!(url, case.expect, "{}", case.name);
        if let Some(token) = &case.config.session_token {
            assert!(!url.contains(token.as_str()), "{}: token in URL", case.name);
        }
    }
}

#[test]
fn message_vectors() {
    let cases = vectors().messages;
    assert!(cases.len() >= 20);
    for case in cases {
        let mut config = ConnectUiConfig::new();
        config.base_url = case.base_url.clone();
        let parsed = outcome(config.parse_message(&case.origin, &case.data));
        assert_eq!(parsed, case.expect, "{}", case.name);

        // What a browser host sees: `data.type` only when `data` is an object.
        let message_type = case
            .data
            .as_object()
            .and_then(|o| o.get("type"))
            .and_then(Value::as_str);
        let kind = config.message_kind(&case.origin, message_type);
        assert_eq!(
            Some(kind_name(kind)),
            case.expect["outcome"].as_str(),
            "{} (message_kind)",
            case.name
        );
    }
}

#[test]
fn reply_vectors() {
    for case in vectors().reply {
        let message = session_token_message(&case.session_token);
        assert_eq!(message, case.expect["message"], "{}", case.name);
        assert_eq!(
            Some(SESSION_TOKEN_TARGET_ORIGIN),
            case.expect["targetOrigin"].as_str(),
            "{}",
            case.name
        );
        let pairs = session_token_reply(&case.session_token);
        let rebuilt: serde_json::Map<String, Value> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::from(*v)))
            .collect();
        assert_eq!(Value::Object(rebuilt), message, "{}", case.name);
    }
}

#[test]
fn defaults_and_accessors() {
    let mut config = ConnectUiConfig::new();
    assert_eq!(config.base_url(), DEFAULT_CONNECT_UI_URL);
    assert_eq!(config.api_url(), DEFAULT_CONNECT_UI_API_URL);
    assert_eq!(DEFAULT_CONNECT_UI_URL, "https://connect.nango.dev");
    assert_eq!(DEFAULT_CONNECT_UI_API_URL, "https://api.nango.dev");
    assert!(config.accepts_origin("https://connect.nango.dev"));
    assert!(!config.accepts_origin("https://api.nango.dev"));

    config.base_url = Some("http://127.0.0.1:5173/ui".into());
    config.api_url = Some("http://127.0.0.1:3003".into());
    assert_eq!(config.base_url(), "http://127.0.0.1:5173/ui");
    assert_eq!(config.api_url(), "http://127.0.0.1:3003");
    assert!(config.accepts_origin("http://127.0.0.1:5173"));
    assert!(!config.accepts_origin("https://connect.nango.dev"));
}

#[test]
fn message_kind_needs_a_type_and_the_origin() {
    let config = ConnectUiConfig::new();
    let origin = DEFAULT_CONNECT_UI_URL;
    assert_eq!(config.message_kind(origin, None), None);
    assert_eq!(
        config.message_kind("https://x.example", Some("close")),
        None
    );
    for (message_type, kind) in [
        ("ready", ConnectUiMessageKind::Ready),
        ("close", ConnectUiMessageKind::Close),
        ("connect", ConnectUiMessageKind::Connect),
        ("error", ConnectUiMessageKind::Error),
        ("settings_changed", ConnectUiMessageKind::SettingsChanged),
        ("READY", ConnectUiMessageKind::Other),
        ("", ConnectUiMessageKind::Other),
    ] {
        assert_eq!(ConnectUiMessageKind::from_type(message_type), kind);
        assert_eq!(config.message_kind(origin, Some(message_type)), Some(kind));
    }
}

#[test]
fn a_malformed_base_url_trusts_no_origin() {
    let mut config = ConnectUiConfig::new();
    config.base_url = Some("not a url".into());
    assert!(!config.accepts_origin("null"));
    assert!(!config.accepts_origin("https://connect.nango.dev"));
    assert_eq!(
        config.parse_message("https://connect.nango.dev", &json!({"type": "ready"})),
        None
    );
}

#[test]
fn only_http_base_and_api_urls_make_an_iframe() {
    // A `javascript:` (or `data:`) src would run in the embedding page's origin.
    for bad in [
        "javascript:parent.__pwned=1//",
        "JavaScript://x/%0aalert(1)",
        "data:text/html,<script>parent.x=1</script>",
        "ftp://ui.example.com",
        "//ui.example.com",
        "not a url",
    ] {
        let mut base = ConnectUiConfig::new();
        base.base_url = Some(bad.into());
        let error = base.iframe_url().unwrap_err();
        assert_eq!(error.kind.official_type(), "invalid_host_url", "{bad}");
        let mut api = ConnectUiConfig::new();
        api.api_url = Some(bad.into());
        assert!(api.iframe_url().is_err(), "{bad}");
    }
    let mut fine = ConnectUiConfig::new();
    fine.base_url = Some("HTTP://127.0.0.1:5173/x".into());
    fine.api_url = Some("https://api.example.com".into());
    assert!(fine.iframe_url().is_ok());
}
