//! The native auth host against the emulator: consent, refusal, errors that must not hang.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use nango::GetConnectionParams;
use nango::auth::{AuthClient, AuthConfig, AuthErrorKind, AuthOptions};
use nango_examples::native_auth::{self, Browser, BrowserFuture, BrowserOutcome, ConsentAgent};
use serde_json::{Map, Value};

/// Every test must end well before this; a hang fails instead of blocking the suite.
const LIMIT: Duration = Duration::from_secs(30);

fn options(timeout_ms: u32) -> AuthOptions {
    AuthOptions::new().timeout_ms(timeout_ms)
}

#[tokio::test]
async fn allow_creates_a_connection_with_oauth2_credentials() {
    let setup = common::start().await;
    let client = setup.auth_client(&["zendesk"]).await;
    let success = tokio::time::timeout(
        LIMIT,
        native_auth::authorize(
            &client,
            "zendesk",
            None,
            &options(10_000),
            ConsentAgent::allow().unwrap(),
        ),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(success.provider_config_key, "zendesk");
    assert_eq!(success.is_pending, Some(false));
    let connection_id = success.connection_id.unwrap();

    let connection = setup
        .nango
        .get_connection(&GetConnectionParams::new("zendesk", &connection_id))
        .await
        .unwrap();
    assert_eq!(connection.connection_id, connection_id);
    let credentials = connection.credentials.unwrap();
    assert_eq!(credentials["type"], "OAUTH2");
    assert!(
        credentials["access_token"]
            .as_str()
            .unwrap()
            .starts_with("demo_at_")
    );
    setup.emulator.shutdown().await;
}

#[tokio::test]
async fn deny_is_rejected_with_the_servers_error_type_and_creates_nothing() {
    let setup = common::start().await;
    let client = setup.auth_client(&["zendesk"]).await;
    let error = tokio::time::timeout(
        LIMIT,
        native_auth::authorize(
            &client,
            "zendesk",
            None,
            &options(10_000),
            ConsentAgent::deny().unwrap(),
        ),
    )
    .await
    .unwrap()
    .unwrap_err();
    // The provider redirected with error=access_denied; Nango reports it as `callback_err`.
    assert_eq!(error.kind, AuthErrorKind::Server("callback_err".into()));
    assert!(error.message.contains("access_denied"), "{}", error.message);
    assert_eq!(setup.connection_count().await, 0);
    setup.emulator.shutdown().await;
}

#[tokio::test]
async fn unreachable_server_fails_fast_with_socket_closed() {
    // A port that was free a moment ago: nothing listens there.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = AuthClient::new(
        AuthConfig::new()
            .host(format!("http://127.0.0.1:{port}"))
            .connect_session_token(format!("nango_connect_session_{}", "0".repeat(64))),
    )
    .unwrap();
    // The flow's own timeout is far longer than the test's limit: the error must come from
    // the refused connection, not from a timer.
    let error = tokio::time::timeout(
        LIMIT,
        native_auth::authorize(
            &client,
            "zendesk",
            None,
            &options(600_000),
            ConsentAgent::allow().unwrap(),
        ),
    )
    .await
    .unwrap()
    .unwrap_err();
    assert_eq!(error.kind, AuthErrorKind::SocketClosed);
    assert!(
        error.message.contains("WebSocket connect failed"),
        "{}",
        error.message
    );
    assert!(
        !error.message.contains("nango_connect_session_"),
        "token leaked: {}",
        error.message
    );
}

#[tokio::test]
async fn server_refusing_the_popup_ends_with_its_code_not_a_hang() {
    let setup = common::start().await;
    // The session does not allow `zendesk`: /oauth/connect answers a JSON error and the
    // WebSocket never hears about it (the official SDK hangs here, docs/protocol.md §13 quirk 9).
    let client = setup.auth_client(&["demo-api-key"]).await;
    let error = tokio::time::timeout(
        LIMIT,
        native_auth::authorize(
            &client,
            "zendesk",
            None,
            &options(600_000),
            ConsentAgent::allow().unwrap(),
        ),
    )
    .await
    .unwrap()
    .unwrap_err();
    assert_eq!(
        error.kind,
        AuthErrorKind::Server("integration_not_allowed".into())
    );
    assert_eq!(setup.connection_count().await, 0);
    setup.emulator.shutdown().await;
}

/// A browser the user never finishes with (what `SystemBrowser` looks like to the host).
struct AbandonedBrowser;

impl Browser for AbandonedBrowser {
    fn open(&self, _url: String) -> BrowserFuture {
        Box::pin(async { BrowserOutcome::Launched })
    }
}

#[tokio::test]
async fn an_abandoned_flow_ends_with_timeout() {
    let setup = common::start().await;
    let client = setup.auth_client(&["zendesk"]).await;
    let error = tokio::time::timeout(
        LIMIT,
        native_auth::authorize(&client, "zendesk", None, &options(300), AbandonedBrowser),
    )
    .await
    .unwrap()
    .unwrap_err();
    assert_eq!(error.kind, AuthErrorKind::Timeout);
    setup.emulator.shutdown().await;
}

fn api_key(key: &str) -> AuthOptions {
    let mut credentials = Map::new();
    credentials.insert("apiKey".into(), Value::String(key.into()));
    AuthOptions::new()
        .credentials(credentials)
        .timeout_ms(10_000)
}

#[tokio::test]
async fn credential_routes_need_no_browser() {
    let setup = common::start().await;
    let client = setup.auth_client(&["demo-api-key"]).await;
    let success = native_auth::authorize(
        &client,
        "demo-api-key",
        None,
        &api_key(nango_emulator::DEFAULT_VALID_API_KEY),
        AbandonedBrowser,
    )
    .await
    .unwrap();
    assert_eq!(success.provider_config_key, "demo-api-key");
    assert!(success.connection_id.is_some());

    let client = setup.auth_client(&["demo-api-key"]).await;
    let error = native_auth::authorize(
        &client,
        "demo-api-key",
        None,
        &api_key("sk-wrong"),
        AbandonedBrowser,
    )
    .await
    .unwrap_err();
    assert_eq!(error.kind, AuthErrorKind::ConnectionTestFailed, "{error:?}");
    assert_eq!(setup.connection_count().await, 1);
    setup.emulator.shutdown().await;
}
