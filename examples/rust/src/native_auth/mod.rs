//! A native host for `nango::auth`: `auth()` of the official frontend SDK, for a CLI, a desktop
//! app, a test or a demo, on tokio.
//!
//! The core owns the protocol (URLs, query, messages, the popup state machine); this module only
//! performs the effects: a WebSocket (tokio-tungstenite), timers (tokio), and a pluggable
//! [`Browser`] in place of the popup window:
//!
//! * [`SystemBrowser`] opens the `/oauth/connect` URL in the user's browser (`xdg-open`/`open`),
//!   and the WebSocket tells us when they are done: what a CLI does;
//! * [`ConsentAgent`] follows the redirects itself and presses `Allow` (or `Deny`) on the
//!   provider's consent page: what the demo and the tests do.
//!
//! ```no_run
//! # async fn run(token: String) -> Result<(), nango::auth::AuthError> {
//! use nango::auth::{AuthClient, AuthConfig, AuthOptions};
//! use nango_examples::native_auth::{self, SystemBrowser};
//!
//! let client = AuthClient::new(AuthConfig::new().host("https://api.nango.dev").connect_session_token(token))?;
//! let done = native_auth::authorize(&client, "zendesk", None, &AuthOptions::new(), SystemBrowser::new()).await?;
//! println!("connected: {:?}", done.connection_id);
//! # Ok(()) }
//! ```

mod browser;
mod consent_agent;
mod cookies;
mod host;
pub mod html_form;
mod socket;

use std::sync::Arc;
use std::time::Duration;

use nango::auth::{
    AuthClient, AuthError, AuthErrorKind, AuthEvent, AuthOptions, AuthPlan, AuthSession,
    AuthSuccess, CredentialRequest, FlowTimings, PopupPlan, ScreenSize, map_credential_response,
};
use tokio::sync::mpsc;

pub use browser::{Browser, BrowserFuture, BrowserOutcome, SystemBrowser};
pub use consent_agent::{ConsentAgent, Decision};

use host::{HostEvent, NativeHost};

/// The overall limit when the caller sets none (`AuthOptions::timeout_ms`): a person at a
/// browser gets five minutes. The official SDK has no limit and can hang forever (docs/protocol.md §13, quirk 9).
pub const DEFAULT_TIMEOUT_MS: u32 = 5 * 60 * 1000;

/// Runs `auth(providerConfigKey, connectionId?, options?)` natively: the popup flow through
/// `browser`, or a credential route (API key, basic, …) with a plain `POST`.
///
/// Never waits forever: without `options.timeout_ms` the flow gives up after
/// [`DEFAULT_TIMEOUT_MS`]. Errors are core's [`AuthError`]s: branch on `error.kind` (e.g. the
/// server's `callback_err` when the user pressed Deny, `socket_closed` when Nango is
/// unreachable, `timeout`).
pub async fn authorize(
    client: &AuthClient,
    provider_config_key: &str,
    connection_id: Option<&str>,
    options: &AuthOptions,
    browser: impl Browser,
) -> Result<AuthSuccess, AuthError> {
    let mut options = options.clone();
    let timeout_ms = *options.timeout_ms.get_or_insert(DEFAULT_TIMEOUT_MS);
    // A browser that reports the end of its pages lets a silent server end in `window_closed`
    // instead of the full timeout; a system browser never reports, so this costs nothing there.
    options.detect_closed_auth_window.get_or_insert(true);
    match client.plan(provider_config_key, connection_id, &options)? {
        AuthPlan::Popup(plan) => run_popup(plan, Arc::new(browser)).await,
        AuthPlan::Request(request) => {
            post_credentials(provider_config_key, &request, timeout_ms).await
        }
        // `AuthPlan` may grow; an unknown plan is not something this host can perform.
        #[allow(unreachable_patterns)]
        _ => Err(AuthError::new(
            AuthErrorKind::UnknownError,
            "this version of the native host cannot perform the planned flow",
        )),
    }
}

async fn run_popup(plan: PopupPlan, browser: Arc<dyn Browser>) -> Result<AuthSuccess, AuthError> {
    let (events, mut inbox) = mpsc::unbounded_channel();
    let host = NativeHost::new(events, browser);
    let socket_error = host.socket_error.clone();
    let last_page = host.last_page.clone();
    let mut timings = FlowTimings::default();
    // A browser's callback page could still post the result after the socket drops; a native
    // host has no such second channel, so waiting would only delay the error.
    timings.socket_lost_grace_ms = 0;
    // After the agent's last page, the socket's answer is normally already there; the grace
    // only matters when the server stays silent, so it can be generous on a loaded machine.
    timings.window_closed_grace_ms = 5_000;
    // Zero-sized screen: a native host has no window geometry to clamp to.
    let mut session = AuthSession::start_with(plan, ScreenSize::new(0, 0), timings, host);
    while !session.is_settled() {
        match inbox.recv().await {
            Some(HostEvent::Flow(event)) => session.handle(event),
            Some(HostEvent::BrowserFailed(error)) => {
                // Cancel so the flow closes its socket and timers, then report the real cause.
                session.handle(AuthEvent::Cancel);
                return Err(error);
            }
            // The host holds a sender for as long as the session lives.
            None => break,
        }
    }
    let outcome = session.host_mut().take_outcome().unwrap_or_else(|| {
        Err(AuthError::new(
            AuthErrorKind::UnknownError,
            "the auth flow ended without a result",
        ))
    });
    outcome.map_err(|mut error| {
        // The flow's events carry no details; the host saw them.
        let detail = match error.kind {
            AuthErrorKind::SocketClosed => socket_error.lock().ok().and_then(|s| s.clone()),
            AuthErrorKind::WindowClosed => last_page.lock().ok().and_then(|p| {
                p.as_ref().map(|p| {
                    format!(
                        "the browser stopped at {} (HTTP {}) and the server sent no result",
                        p.path, p.status
                    )
                })
            }),
            _ => None,
        };
        if let Some(detail) = detail {
            error.message = format!("{} ({detail})", error.message);
        }
        error
    })
}

async fn post_credentials(
    provider_config_key: &str,
    request: &CredentialRequest,
    timeout_ms: u32,
) -> Result<AuthSuccess, AuthError> {
    let unknown = |message: String| AuthError::new(AuthErrorKind::UnknownError, message);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_millis(u64::from(timeout_ms)))
        .build()
        .map_err(|err| unknown(format!("HTTP client: {}", err.without_url())))?;
    let mut post = http.post(&request.url);
    if let Some(body) = &request.body {
        post = post.json(body);
    }
    // `without_url`: the URL carries the connect session token.
    let response = post.send().await.map_err(|err| {
        let kind = if err.is_timeout() {
            AuthErrorKind::Timeout
        } else {
            AuthErrorKind::UnknownError
        };
        AuthError::new(
            kind,
            format!("credential request failed: {}", err.without_url()),
        )
    })?;
    let status = response.status().as_u16();
    let body = response
        .bytes()
        .await
        .map_err(|err| unknown(format!("credential response: {}", err.without_url())))?;
    map_credential_response(provider_config_key, status, &body)
}
