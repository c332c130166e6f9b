//! Runs the shared popup vectors (`tests/vectors/popup_urls.json`,
//! `tests/vectors/popup_messages.json`), which the browser, Node and Python packages run too.

// Tests may panic on broken fixtures: that is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use nango::auth::{
    self, AuthClient, AuthConfig, AuthOptions, AuthPlan, CallbackMessage, JsonValue, ScreenSize,
    SocketMessage,
};
use serde::Deserialize;
use serde_json::Value;

fn read(name: &str) -> String {
    let path = format!("{}/../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Config {
    host: Option<String>,
    websockets_path: Option<String>,
    connect_session_token: Option<String>,
    public_key: Option<String>,
}

impl Config {
    fn client(&self) -> Result<AuthClient, auth::AuthError> {
        let mut config = AuthConfig::new();
        if let Some(host) = &self.host {
            config = config.host(host);
        }
        if let Some(path) = &self.websockets_path {
            config = config.websockets_path(path);
        }
        if let Some(token) = &self.connect_session_token {
            config = config.connect_session_token(token);
        }
        if let Some(key) = &self.public_key {
            config = config.public_key(key);
        }
        AuthClient::new(config)
    }
}

#[derive(Deserialize)]
struct UrlVectors {
    websocket: Vec<WebsocketCase>,
    auth: Vec<AuthCase>,
    create: Vec<AuthCase>,
    reconnect: Vec<AuthCase>,
    features: Vec<FeaturesCase>,
    credential_responses: Vec<ResponseCase>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WebsocketCase {
    name: String,
    host: Option<String>,
    websockets_path: Option<String>,
    expect: Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AuthCase {
    name: String,
    config: Config,
    provider_config_key: String,
    #[serde(default)]
    connection_id: Option<String>,
    // Deserialised straight from the file text, so map order is the file's order.
    options: AuthOptions,
    #[serde(default)]
    ws_client_id: String,
    expect: Value,
}

#[derive(Deserialize)]
struct FeaturesCase {
    width: u32,
    height: u32,
    screen: Screen,
    features: String,
}

#[derive(Deserialize)]
struct Screen {
    width: u32,
    height: u32,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResponseCase {
    name: String,
    provider_config_key: String,
    status: u16,
    body: String,
    expect: Value,
}

fn url_vectors() -> UrlVectors {
    serde_json::from_str(&read("popup_urls.json")).expect("parse popup_urls.json")
}

#[test]
fn websocket_url_vectors() {
    let vectors = url_vectors();
    assert!(vectors.websocket.len() >= 20);
    for case in vectors.websocket {
        let config = Config {
            host: case.host.clone(),
            websockets_path: case.websockets_path.clone(),
            connect_session_token: None,
            public_key: None,
        };
        match (config.client(), case.expect.get("error")) {
            (Ok(client), None) => {
                assert_eq!(
                    client.websocket_url(),
                    case.expect["websocketUrl"],
                    "{}",
                    case.name
                );
                assert_eq!(client.origin(), case.expect["origin"], "{}", case.name);
                assert_eq!(client.host(), case.expect["host"], "{}", case.name);
                // The free function agrees with the client.
                let host = case.host.as_deref().unwrap_or(auth::DEFAULT_HOST);
                let free = auth::websocket_url(host, case.websockets_path.as_deref()).unwrap();
                assert_eq!(free, client.websocket_url(), "{}", case.name);
            }
            (Err(err), Some(kind)) => {
                assert_eq!(err.kind.official_type(), kind, "{}", case.name);
            }
            (result, _) => panic!("{}: unexpected {result:?}", case.name),
        }
    }
}

/// Checks a plan against `{plan: popup, connectUrl}`, `{plan: request, route, url, body}` or
/// `{error}`.
fn check_plan(name: &str, result: Result<AuthPlan, auth::AuthError>, ws_id: &str, expect: &Value) {
    match (result, expect.get("error")) {
        (Ok(AuthPlan::Popup(plan)), None) => {
            assert_eq!(expect["plan"], "popup", "{name}");
            assert_eq!(plan.connect_url(ws_id), expect["connectUrl"], "{name}");
        }
        (Ok(AuthPlan::Request(request)), None) => {
            assert_eq!(expect["plan"], "request", "{name}");
            check_request(name, &request, expect);
        }
        (Err(err), Some(kind)) => assert_eq!(err.kind.official_type(), kind, "{name}"),
        (result, _) => panic!("{name}: unexpected {result:?}"),
    }
}

fn check_request(name: &str, request: &auth::CredentialRequest, expect: &Value) {
    assert_eq!(request.method(), "POST", "{name}");
    assert_eq!(request.route.path_prefix(), expect["route"], "{name}");
    assert_eq!(request.url, expect["url"], "{name}");
    let body = request.body.as_ref().map_or(Value::Null, Value::from);
    assert_eq!(body, expect["body"], "{name}");
    assert_eq!(request.content_type().is_some(), !body.is_null(), "{name}");
    if let Some(bytes) = request.body_bytes() {
        assert_eq!(
            serde_json::from_slice::<Value>(&bytes).unwrap(),
            body,
            "{name}"
        );
    }
}

#[test]
fn auth_dispatch_vectors() {
    let vectors = url_vectors();
    assert!(vectors.auth.len() >= 30);
    for case in vectors.auth {
        let client = case.config.client().unwrap();
        let plan = client.plan(
            &case.provider_config_key,
            case.connection_id.as_deref(),
            &case.options,
        );
        if let Ok(AuthPlan::Popup(_)) = &plan {
            // The client's own URL builder gives the same URL as the plan.
            let direct = client.connect_url(
                &case.provider_config_key,
                case.connection_id.as_deref(),
                &case.options,
                &case.ws_client_id,
            );
            assert_eq!(direct, case.expect["connectUrl"], "{}", case.name);
        }
        check_plan(&case.name, plan, &case.ws_client_id, &case.expect);
    }
}

#[test]
fn create_vectors() {
    for case in url_vectors().create {
        let client = case.config.client().unwrap();
        let result = client.create_request(
            &case.provider_config_key,
            case.connection_id.as_deref(),
            &case.options,
        );
        match (result, case.expect.get("error")) {
            (Ok(request), None) => check_request(&case.name, &request, &case.expect),
            (Err(err), Some(kind)) => assert_eq!(err.kind.official_type(), kind, "{}", case.name),
            (result, _) => panic!("{}: unexpected {result:?}", case.name),
        }
    }
}

#[test]
fn reconnect_vectors() {
    for case in url_vectors().reconnect {
        let client = case.config.client().unwrap();
        let plan = client.reconnect_plan(&case.provider_config_key, &case.options);
        check_plan(&case.name, plan, &case.ws_client_id, &case.expect);
    }
}

#[test]
fn popup_features_vectors() {
    for case in url_vectors().features {
        let screen = ScreenSize::new(case.screen.width, case.screen.height);
        assert_eq!(
            auth::popup_features(case.width, case.height, screen),
            case.features
        );
    }
}

#[test]
fn credential_response_vectors() {
    for case in url_vectors().credential_responses {
        // As the browser host does it: the platform parses, core maps.
        let parsed = serde_json::from_str::<Value>(&case.body)
            .ok()
            .map(JsonValue::from);
        let result =
            auth::map_credential_value(&case.provider_config_key, case.status, parsed.as_ref());
        #[cfg(feature = "json")]
        assert_eq!(
            auth::map_credential_response(
                &case.provider_config_key,
                case.status,
                case.body.as_bytes()
            ),
            result,
            "{}",
            case.name
        );
        match (result, case.expect.get("error")) {
            (Ok(success), None) => {
                assert_eq!(
                    serde_json::to_value(&success).unwrap()["providerConfigKey"],
                    case.expect["providerConfigKey"],
                    "{}",
                    case.name
                );
                assert_eq!(
                    success.connection_id.as_deref(),
                    case.expect["connectionId"].as_str(),
                    "{}",
                    case.name
                );
                assert_eq!(
                    success.is_pending,
                    case.expect["isPending"].as_bool(),
                    "{}",
                    case.name
                );
            }
            (Err(err), Some(kind)) => {
                assert_eq!(err.kind.official_type(), kind, "{}", case.name);
                if let Some(message) = case.expect.get("message") {
                    assert_eq!(err.message, *message, "{}", case.name);
                }
            }
            (result, _) => panic!("{}: unexpected {result:?}", case.name),
        }
    }
}

#[derive(Deserialize)]
struct MessageVectors {
    socket: Vec<SocketCase>,
    window: Vec<WindowCase>,
    broadcast: Vec<BroadcastCase>,
}

#[derive(Deserialize)]
struct SocketCase {
    name: String,
    text: String,
    expect: Value,
}

#[derive(Deserialize)]
struct WindowCase {
    name: String,
    host: String,
    origin: String,
    data: Value,
    expect: Value,
}

#[derive(Deserialize)]
struct BroadcastCase {
    name: String,
    data: Value,
    expect: Value,
}

fn message_vectors() -> MessageVectors {
    serde_json::from_str(&read("popup_messages.json")).expect("parse popup_messages.json")
}

fn check_error(name: &str, err: &auth::AuthError, expect: &Value) {
    assert_eq!(expect["outcome"], "error", "{name}");
    assert_eq!(err.kind.official_type(), expect["type"], "{name}");
    if let Some(message) = expect.get("message") {
        assert_eq!(err.message, *message, "{name}");
    }
}

#[test]
fn socket_message_vectors() {
    for case in message_vectors().socket {
        let name = &case.name;
        let expect = &case.expect;
        // As the browser host does it: the platform parses (text that is not JSON is `null`).
        let parsed = serde_json::from_str::<Value>(&case.text)
            .map(JsonValue::from)
            .unwrap_or_default();
        let message = auth::parse_socket_value(&parsed);
        #[cfg(feature = "json")]
        assert_eq!(auth::parse_socket_message(&case.text), message, "{name}");
        match message {
            SocketMessage::Ack { ws_client_id } => {
                assert_eq!(expect["outcome"], "ack", "{name}");
                assert_eq!(ws_client_id, expect["wsClientId"], "{name}");
            }
            SocketMessage::Success(success) => {
                assert_eq!(expect["outcome"], "success", "{name}");
                assert_eq!(
                    success.provider_config_key, expect["providerConfigKey"],
                    "{name}"
                );
                assert_eq!(
                    success.connection_id.as_deref(),
                    expect["connectionId"].as_str(),
                    "{name}"
                );
                assert_eq!(success.is_pending, expect["isPending"].as_bool(), "{name}");
            }
            SocketMessage::Error(err) => check_error(name, &err, expect),
            SocketMessage::Unknown(_) => assert_eq!(expect["outcome"], "unknown", "{name}"),
            SocketMessage::Malformed => assert_eq!(expect["outcome"], "malformed", "{name}"),
            other => panic!("{name}: unexpected {other:?}"),
        }
    }
}

/// The callback page's data as the browser host hands it to core: a string parsed as JSON first
/// (`None`: not JSON, ignored).
fn host_data(data: &Value) -> Option<JsonValue> {
    match data {
        Value::String(text) => serde_json::from_str::<Value>(text)
            .ok()
            .map(JsonValue::from),
        other => Some(JsonValue::from(other)),
    }
}

fn check_callback(name: &str, parsed: Option<CallbackMessage>, expect: &Value) {
    match parsed {
        None => assert_eq!(expect["outcome"], "ignored", "{name}"),
        Some(CallbackMessage::Success) => assert_eq!(expect["outcome"], "success", "{name}"),
        Some(CallbackMessage::Error(err)) => check_error(name, &err, expect),
        Some(other) => panic!("{name}: unexpected {other:?}"),
    }
}

#[test]
fn window_message_vectors() {
    let vectors = message_vectors();
    assert!(vectors.window.len() >= 20);
    for case in vectors.window {
        let parsed = host_data(&case.data)
            .and_then(|data| auth::parse_window_value(&case.host, &case.origin, &data));
        #[cfg(feature = "json")]
        assert_eq!(
            auth::parse_window_message(&case.host, &case.origin, &case.data),
            parsed,
            "{}",
            case.name
        );
        check_callback(&case.name, parsed, &case.expect);
    }
}

#[test]
fn broadcast_message_vectors() {
    for case in message_vectors().broadcast {
        let parsed = host_data(&case.data).and_then(|data| auth::parse_broadcast_value(&data));
        #[cfg(feature = "json")]
        assert_eq!(
            auth::parse_broadcast_message(&case.data),
            parsed,
            "{}",
            case.name
        );
        check_callback(&case.name, parsed, &case.expect);
    }
}
