//! The popup state machine driven through a fake host with a virtual clock: every completion
//! channel, every failure, and the races between them.

// Tests may panic on broken fixtures: that is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use nango::auth::{
    AuthClient, AuthConfig, AuthEffect, AuthError, AuthErrorKind, AuthEvent, AuthHost, AuthOptions,
    AuthPlan, AuthSession, AuthSuccess, FlowState, PopupPlan, ScreenSize, TimerId,
};
use serde_json::{Value, json};

const HOST: &str = "http://127.0.0.1:3003";
const TOKEN: &str =
    "nango_connect_session_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const WS_ID: &str = "3f1c0a1e-1b2c-4d3e-8f90-a1b2c3d4e5f6";
const SCREEN: ScreenSize = ScreenSize {
    width: 1920,
    height: 1080,
};

/// Everything the flow asked the host to do, in order.
#[derive(Debug, Clone, PartialEq)]
enum Call {
    OpenPopup(String),
    Navigate(String),
    ClosePopup(u32),
    Watch(u32),
    Unwatch,
    Connect(String),
    CloseSocket,
    StartTimer(TimerId, u32),
    CancelTimer(TimerId),
    Settle(Result<AuthSuccess, AuthError>),
}

/// A host with a virtual clock: timers fire only when a test advances time.
#[derive(Default)]
struct FakeHost {
    block_popup: bool,
    calls: Vec<Call>,
    logs: Vec<String>,
    now: u64,
    timers: HashMap<TimerId, u64>,
}

impl AuthHost for FakeHost {
    fn open_popup(&mut self, features: &str) -> bool {
        self.calls.push(Call::OpenPopup(features.to_owned()));
        !self.block_popup
    }
    fn navigate_popup(&mut self, url: &str) {
        self.calls.push(Call::Navigate(url.to_owned()));
    }
    fn close_popup(&mut self, after_ms: u32) {
        self.calls.push(Call::ClosePopup(after_ms));
    }
    fn watch_popup(&mut self, interval_ms: u32) {
        self.calls.push(Call::Watch(interval_ms));
    }
    fn unwatch_popup(&mut self) {
        self.calls.push(Call::Unwatch);
    }
    fn connect_socket(&mut self, url: &str) {
        self.calls.push(Call::Connect(url.to_owned()));
    }
    fn close_socket(&mut self) {
        self.calls.push(Call::CloseSocket);
    }
    fn start_timer(&mut self, timer: TimerId, after_ms: u32) {
        self.calls.push(Call::StartTimer(timer, after_ms));
        self.timers.insert(timer, self.now + u64::from(after_ms));
    }
    fn cancel_timer(&mut self, timer: TimerId) {
        self.calls.push(Call::CancelTimer(timer));
        self.timers.remove(&timer);
    }
    fn settle(&mut self, outcome: Result<AuthSuccess, AuthError>) {
        self.calls.push(Call::Settle(outcome));
    }
    fn log(&mut self, message: &str) {
        self.logs.push(message.to_owned());
    }
}

impl FakeHost {
    fn settles(&self) -> Vec<&Result<AuthSuccess, AuthError>> {
        self.calls
            .iter()
            .filter_map(|c| match c {
                Call::Settle(outcome) => Some(outcome),
                _ => None,
            })
            .collect()
    }
}

fn client(debug: bool) -> AuthClient {
    AuthClient::new(
        AuthConfig::new()
            .host(HOST)
            .connect_session_token(TOKEN)
            .debug(debug),
    )
    .unwrap()
}

fn popup_plan(client: &AuthClient, connection_id: Option<&str>, options: AuthOptions) -> PopupPlan {
    match client.plan("github", connection_id, &options).unwrap() {
        AuthPlan::Popup(plan) => plan,
        other => panic!("expected the popup path, got {other:?}"),
    }
}

fn start(options: AuthOptions) -> AuthSession<FakeHost> {
    AuthSession::start(
        popup_plan(&client(false), None, options),
        SCREEN,
        FakeHost::default(),
    )
}

/// Fires, in deadline order, every timer due within `ms`.
fn advance(session: &mut AuthSession<FakeHost>, ms: u64) {
    let target = session.host().now + ms;
    loop {
        let due = session
            .host()
            .timers
            .iter()
            .filter(|(_, deadline)| **deadline <= target)
            .min_by_key(|(_, deadline)| **deadline)
            .map(|(timer, deadline)| (*timer, *deadline));
        let Some((timer, deadline)) = due else { break };
        let host = session.host_mut();
        host.now = deadline;
        host.timers.remove(&timer);
        session.handle(AuthEvent::TimerFired(timer));
    }
    session.host_mut().now = target;
}

fn ack() -> AuthEvent {
    socket_text(json!({"message_type": "connection_ack", "ws_client_id": WS_ID}).to_string())
}

fn ws_success() -> AuthEvent {
    socket_text(
        json!({"message_type": "success", "provider_config_key": "github", "connection_id": "conn-42", "is_pending": false})
            .to_string(),
    )
}

/// A WebSocket text frame as a host feeds it: as text with the `json` feature, else parsed by
/// the host (text that is not JSON as `null`). The flow behaves the same either way.
fn socket_text(text: String) -> AuthEvent {
    #[cfg(feature = "json")]
    return AuthEvent::SocketMessage(text);
    #[cfg(not(feature = "json"))]
    AuthEvent::SocketValue(
        serde_json::from_str::<Value>(&text)
            .map(nango::auth::JsonValue::from)
            .unwrap_or_default(),
    )
}

fn window_message(origin: &str, data: Value) -> AuthEvent {
    AuthEvent::WindowMessage {
        origin: origin.to_owned(),
        data: data.into(),
    }
}

fn broadcast(data: Value) -> AuthEvent {
    AuthEvent::BroadcastMessage(data.into())
}

fn callback_success() -> Value {
    json!({"type": "nango_oauth_callback_success"})
}

/// Opens the socket and acknowledges it: the popup is navigated.
fn authorizing(options: AuthOptions) -> AuthSession<FakeHost> {
    let mut session = start(options);
    session.handle(AuthEvent::SocketOpen);
    session.handle(ack());
    assert_eq!(session.flow().state(), FlowState::Authorizing);
    session
}

fn settled_error(session: &AuthSession<FakeHost>) -> AuthError {
    let settles = session.host().settles();
    assert_eq!(
        settles.len(),
        1,
        "settled exactly once: {:?}",
        session.host().calls
    );
    match settles[0] {
        Err(err) => err.clone(),
        Ok(success) => panic!("expected an error, got {success:?}"),
    }
}

fn settled_success(session: &AuthSession<FakeHost>) -> AuthSuccess {
    let settles = session.host().settles();
    assert_eq!(
        settles.len(),
        1,
        "settled exactly once: {:?}",
        session.host().calls
    );
    match settles[0] {
        Ok(success) => success.clone(),
        Err(err) => panic!("expected a success, got {err:?}"),
    }
}

#[test]
fn consent_success_via_websocket() {
    let mut session = start(AuthOptions::new().param("subdomain", "acme"));
    session.handle(AuthEvent::SocketOpen);
    session.handle(ack());
    session.handle(ws_success());

    let connect_url = format!(
        "{HOST}/oauth/connect/github?connect_session_token={TOKEN}&params[subdomain]=acme&ws_client_id={WS_ID}"
    );
    let expected = vec![
        Call::OpenPopup(
            "left=710,top=240,width=500,height=600,scrollbars=yes,resizable=yes,status=no,\
             toolbar=no,location=no,copyhistory=no,menubar=no,directories=no"
                .to_owned(),
        ),
        Call::Connect("ws://127.0.0.1:3003/".to_owned()),
        Call::Navigate(connect_url),
        Call::CloseSocket,
        Call::ClosePopup(500),
        Call::Settle(Ok(AuthSuccess {
            provider_config_key: "github".to_owned(),
            connection_id: Some("conn-42".to_owned()),
            is_pending: Some(false),
        })),
    ];
    assert_eq!(session.host().calls, expected);
    assert!(session.is_settled());
    assert!(session.host().timers.is_empty());
}

#[test]
fn the_popup_opens_synchronously_before_anything_else() {
    // Driving the flow by hand: the very first effect is OpenPopup, alone, so a host can call
    // window.open inside the click handler before any await.
    let plan = popup_plan(&client(false), None, AuthOptions::new().timeout_ms(1000));
    let (mut flow, effects) = plan.start(SCREEN);
    assert_eq!(effects.len(), 1);
    assert!(matches!(effects[0], AuthEffect::OpenPopup { .. }));
    assert_eq!(flow.state(), FlowState::OpeningPopup);
    // Nothing but the popup's result moves it on.
    assert!(flow.handle(ack()).is_empty());
    assert!(flow.handle(AuthEvent::SocketError).is_empty());
    let effects = flow.handle(AuthEvent::PopupOpened);
    assert_eq!(
        effects,
        vec![
            AuthEffect::ConnectSocket {
                url: "ws://127.0.0.1:3003/".to_owned()
            },
            AuthEffect::StartTimer {
                timer: TimerId::Timeout,
                after_ms: 1000
            },
        ]
    );
    assert_eq!(flow.state(), FlowState::WaitingForAck);
}

#[test]
fn websocket_error_message_rejects_with_the_server_type() {
    let mut session = authorizing(AuthOptions::new());
    session.handle(socket_text(
        json!({"message_type": "error", "provider_config_key": "github", "error_type": "token_err", "error_desc": "Token exchange failed"})
            .to_string(),
    ));
    let err = settled_error(&session);
    assert_eq!(err.kind, AuthErrorKind::Server("token_err".to_owned()));
    assert_eq!(err.kind.official_type(), "token_err");
    assert_eq!(err.message, "Token exchange failed");
    assert_eq!(nango::Error::Auth(err).code(), "token_err");
    let calls = &session.host().calls;
    assert!(calls.contains(&Call::CloseSocket) && calls.contains(&Call::ClosePopup(500)));
}

#[test]
fn popup_blocked() {
    let host = FakeHost {
        block_popup: true,
        ..FakeHost::default()
    };
    let plan = popup_plan(&client(false), None, AuthOptions::new().timeout_ms(5000));
    let session = AuthSession::start(plan, SCREEN, host);
    let err = settled_error(&session);
    assert_eq!(err.kind, AuthErrorKind::BlockedByBrowser);
    assert_eq!(err.kind.official_type(), "blocked_by_browser");
    assert_eq!(nango::Error::Auth(err).code(), "popup_blocked");
    // Nothing was connected, started or closed.
    let calls = &session.host().calls;
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(matches!(calls[0], Call::OpenPopup(_)));
}

#[test]
fn window_closed_after_the_grace_period() {
    let mut session = authorizing(AuthOptions::new().detect_closed_auth_window(true));
    assert!(session.host().calls.contains(&Call::Watch(500)));
    session.handle(AuthEvent::PopupClosedTick { closed: false });
    assert!(
        !session
            .host()
            .timers
            .contains_key(&TimerId::WindowClosedGrace)
    );
    session.handle(AuthEvent::PopupClosedTick { closed: true });
    // Further ticks do not restart the grace period.
    advance(&mut session, 1000);
    session.handle(AuthEvent::PopupClosedTick { closed: true });
    assert!(!session.is_settled());
    advance(&mut session, 499);
    assert!(!session.is_settled());
    advance(&mut session, 1);
    let err = settled_error(&session);
    assert_eq!(err.kind, AuthErrorKind::WindowClosed);
    assert_eq!(err.kind.official_type(), "window_closed");
    assert!(session.host().calls.contains(&Call::Unwatch));
}

#[test]
fn closed_window_is_ignored_without_detection() {
    // Off by default, as officially: COOP makes popup.closed lie.
    let mut session = authorizing(AuthOptions::new());
    assert!(
        !session
            .host()
            .calls
            .iter()
            .any(|c| matches!(c, Call::Watch(_)))
    );
    session.handle(AuthEvent::PopupClosedTick { closed: true });
    advance(&mut session, 60_000);
    assert!(!session.is_settled());
    session.handle(ws_success());
    assert_eq!(
        settled_success(&session).connection_id.as_deref(),
        Some("conn-42")
    );
}

#[test]
fn success_racing_the_window_close_wins() {
    let mut session = authorizing(AuthOptions::new().detect_closed_auth_window(true));
    session.handle(AuthEvent::PopupClosedTick { closed: true });
    advance(&mut session, 1200);
    session.handle(ws_success());
    let success = settled_success(&session);
    assert_eq!(success.connection_id.as_deref(), Some("conn-42"));
    assert!(
        session
            .host()
            .calls
            .contains(&Call::CancelTimer(TimerId::WindowClosedGrace))
    );
    // The cancelled grace timer can no longer fire.
    advance(&mut session, 10_000);
    assert_eq!(session.host().settles().len(), 1);
}

#[test]
fn callback_success_racing_the_window_close_wins() {
    let mut session = authorizing(AuthOptions::new().detect_closed_auth_window(true));
    session.handle(window_message(HOST, callback_success()));
    // The callback page closes itself after posting; that is not a failure.
    session.handle(AuthEvent::PopupClosedTick { closed: true });
    let success = settled_success(&session);
    assert_eq!(success.provider_config_key, "github");
}

#[test]
fn socket_dropped_before_the_ack_rejects_at_once() {
    let mut session = start(AuthOptions::new());
    session.handle(AuthEvent::SocketError);
    session.handle(AuthEvent::SocketClosed { code: Some(1006) });
    let err = settled_error(&session);
    assert_eq!(err.kind, AuthErrorKind::SocketClosed);
    assert_eq!(nango::Error::Auth(err).code(), "socket_closed");
    // The socket is already gone: it is not closed again; the popup is.
    assert!(!session.host().calls.contains(&Call::CloseSocket));
    assert!(session.host().calls.contains(&Call::ClosePopup(500)));
}

#[test]
fn socket_dropped_mid_flow_waits_for_the_callback_page() {
    let mut session = authorizing(AuthOptions::new());
    session.handle(AuthEvent::SocketClosed { code: Some(1001) });
    assert!(!session.is_settled());
    assert!(
        session
            .host()
            .timers
            .contains_key(&TimerId::SocketLostGrace)
    );
    advance(&mut session, 30_000);
    session.handle(window_message(HOST, callback_success()));
    // No socket left to carry the ids: resolve at once with what is known.
    let success = settled_success(&session);
    assert_eq!(success.provider_config_key, "github");
    assert_eq!(success.connection_id, None);
    assert!(!session.host().calls.contains(&Call::CloseSocket));
}

#[test]
fn socket_dropped_mid_flow_rejects_when_nothing_else_arrives() {
    let mut session = authorizing(AuthOptions::new());
    session.handle(AuthEvent::SocketError);
    session.handle(AuthEvent::SocketClosed { code: None });
    advance(&mut session, 119_999);
    assert!(!session.is_settled());
    advance(&mut session, 1);
    let err = settled_error(&session);
    assert_eq!(err.kind, AuthErrorKind::SocketClosed);
    // Only one grace timer was started for the error + close pair.
    let starts = session
        .host()
        .calls
        .iter()
        .filter(|c| matches!(c, Call::StartTimer(TimerId::SocketLostGrace, _)))
        .count();
    assert_eq!(starts, 1);
}

#[test]
fn overall_timeout() {
    let mut session = authorizing(AuthOptions::new().timeout_ms(30_000));
    advance(&mut session, 29_999);
    assert!(!session.is_settled());
    advance(&mut session, 1);
    let err = settled_error(&session);
    assert_eq!(err.kind, AuthErrorKind::Timeout);
    assert_eq!(nango::Error::Auth(err).code(), "timeout");
    let calls = &session.host().calls;
    assert!(calls.contains(&Call::CloseSocket) && calls.contains(&Call::ClosePopup(500)));
}

#[test]
fn timeout_also_covers_a_socket_that_never_acknowledges() {
    let mut session = start(AuthOptions::new().timeout_ms(5_000));
    advance(&mut session, 5_000);
    assert_eq!(settled_error(&session).kind, AuthErrorKind::Timeout);
    assert!(
        !session
            .host()
            .calls
            .iter()
            .any(|c| matches!(c, Call::Navigate(_)))
    );
}

#[test]
fn post_message_only_completion_resolves_after_the_grace_period() {
    let client = client(false);
    let plan = popup_plan(&client, Some("my-conn"), AuthOptions::new());
    let mut session = AuthSession::start(plan, SCREEN, FakeHost::default());
    session.handle(ack());
    session.handle(window_message(HOST, callback_success()));
    assert_eq!(session.flow().state(), FlowState::CallbackReceived);
    advance(&mut session, 999);
    assert!(!session.is_settled());
    advance(&mut session, 1);
    let success = settled_success(&session);
    // The callback page carries no ids: the key asked for, and the caller's connection id.
    assert_eq!(
        success,
        AuthSuccess {
            provider_config_key: "github".to_owned(),
            connection_id: Some("my-conn".to_owned()),
            is_pending: None,
        }
    );
}

#[test]
fn post_message_success_then_websocket_ids() {
    let mut session = authorizing(AuthOptions::new());
    session.handle(window_message(HOST, callback_success()));
    // The BroadcastChannel copy of the same message is a duplicate.
    session.handle(broadcast(callback_success()));
    advance(&mut session, 300);
    session.handle(ws_success());
    let success = settled_success(&session);
    assert_eq!(success.connection_id.as_deref(), Some("conn-42"));
    assert!(
        session
            .host()
            .calls
            .contains(&Call::CancelTimer(TimerId::CallbackGrace))
    );
}

#[test]
fn broadcast_error_rejects() {
    let mut session = authorizing(AuthOptions::new());
    session.handle(broadcast(json!({
        "type": "nango_oauth_callback_error",
        "payload": {"message": "access_denied: The user denied access", "errorType": "callback_err"}
    })));
    let err = settled_error(&session);
    assert_eq!(err.kind.official_type(), "callback_err");
    assert_eq!(err.message, "access_denied: The user denied access");
}

#[test]
fn foreign_origin_messages_are_ignored() {
    let mut session = authorizing(AuthOptions::new());
    let forged_error = json!({"type": "nango_oauth_callback_error", "payload": {"message": "x", "errorType": "state_err"}});
    for origin in [
        "https://evil.example",
        "http://127.0.0.1:3004",
        "http://localhost:3003",
        "null",
    ] {
        session.handle(window_message(origin, callback_success()));
        session.handle(window_message(origin, forged_error.clone()));
    }
    assert_eq!(session.flow().state(), FlowState::Authorizing);
    assert!(session.host().settles().is_empty());
    session.handle(ws_success());
    assert_eq!(
        settled_success(&session).connection_id.as_deref(),
        Some("conn-42")
    );
}

#[test]
fn callback_messages_before_navigation_are_stale() {
    let mut session = start(AuthOptions::new());
    session.handle(window_message(HOST, callback_success()));
    session.handle(broadcast(json!({"type": "nango_oauth_callback_error"})));
    assert_eq!(session.flow().state(), FlowState::WaitingForAck);
    session.handle(ack());
    session.handle(ws_success());
    assert!(settled_success(&session).connection_id.is_some());
}

#[test]
fn late_events_after_settle_are_ignored() {
    let mut session = authorizing(
        AuthOptions::new()
            .timeout_ms(10_000)
            .detect_closed_auth_window(true),
    );
    session.handle(ws_success());
    let calls_after_settle = session.host().calls.len();
    let late = [
        ws_success(),
        socket_text(
            json!({"message_type": "error", "error_type": "x", "error_desc": "y"}).to_string(),
        ),
        ack(),
        AuthEvent::SocketError,
        AuthEvent::SocketClosed { code: Some(1000) },
        window_message(HOST, callback_success()),
        broadcast(json!({"type": "nango_oauth_callback_error"})),
        AuthEvent::PopupClosedTick { closed: true },
        AuthEvent::TimerFired(TimerId::Timeout),
        AuthEvent::TimerFired(TimerId::CallbackGrace),
        AuthEvent::PopupOpened,
        AuthEvent::PopupBlocked,
        AuthEvent::Cancel,
    ];
    for event in late {
        session.handle(event);
    }
    assert_eq!(session.host().calls.len(), calls_after_settle);
    assert_eq!(session.host().settles().len(), 1);
    assert!(matches!(session.flow().outcome(), Some(Ok(_))));
    // Settling cancelled the timeout and stopped watching.
    let calls = &session.host().calls;
    assert!(calls.contains(&Call::CancelTimer(TimerId::Timeout)));
    assert!(calls.contains(&Call::Unwatch));
    assert!(session.host().timers.is_empty());
}

#[test]
fn unknown_and_malformed_socket_messages_are_ignored() {
    let mut session = start(AuthOptions::new());
    for text in [
        "not json",
        "[]",
        r#"{"message_type":"heartbeat"}"#,
        r#"{"message_type":"connection_ack"}"#,
    ] {
        session.handle(socket_text(text.to_owned()));
    }
    assert_eq!(session.flow().state(), FlowState::WaitingForAck);
    session.handle(ack());
    // A second ack does not navigate again.
    session.handle(ack());
    let navigations = session
        .host()
        .calls
        .iter()
        .filter(|c| matches!(c, Call::Navigate(_)))
        .count();
    assert_eq!(navigations, 1);
}

#[test]
fn success_without_a_key_gets_the_requested_key() {
    let mut session = authorizing(AuthOptions::new());
    session.handle(socket_text(
        json!({"message_type": "success", "connection_id": "c"}).to_string(),
    ));
    let success = settled_success(&session);
    assert_eq!(success.provider_config_key, "github");
    assert_eq!(success.connection_id.as_deref(), Some("c"));
}

#[test]
fn cancel_rejects_and_cleans_up() {
    let mut session = authorizing(AuthOptions::new().timeout_ms(1_000));
    session.handle(AuthEvent::Cancel);
    let err = settled_error(&session);
    assert_eq!(err.kind.official_type(), "cancelled");
    assert!(session.host().timers.is_empty());
    advance(&mut session, 5_000);
    assert_eq!(session.host().settles().len(), 1);
}

#[test]
fn debug_logs_and_debug_output_never_contain_the_token() {
    let client = client(true);
    let plan = popup_plan(&client, None, AuthOptions::new());
    let plan_debug = format!("{plan:?} {client:?}");
    let mut session = AuthSession::start(plan, SCREEN, FakeHost::default());
    session.handle(ack());
    session.handle(window_message("https://evil.example", callback_success()));
    session.handle(ws_success());
    let logs = session.host().logs.join("\n");
    assert!(!logs.is_empty(), "debug mode logs");
    assert!(!logs.contains(TOKEN), "{logs}");

    let (mut flow, _) = popup_plan(&client, None, AuthOptions::new()).start(SCREEN);
    flow.handle(AuthEvent::PopupOpened);
    let effects = flow.handle(ack());
    let shown = format!("{effects:?} {flow:?} {plan_debug}");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, AuthEffect::NavigatePopup { url } if url.contains(TOKEN)))
    );
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("<redacted>"));
}

#[test]
fn debug_off_emits_no_logs() {
    let mut session = authorizing(AuthOptions::new());
    session.handle(ws_success());
    assert!(session.host().logs.is_empty());
}
