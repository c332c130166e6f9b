//! The frontend auth flow, platform-free (docs/protocol.md §4–§6).
//!
//! * [`AuthClient`]: the constructor options of the official frontend (`host`,
//!   `websocketsPath`, `connectSessionToken` | `publicKey`, popup size, `debug`) and the pure
//!   URL rules: [`AuthClient::websocket_url`], [`AuthClient::connect_url`], the query of docs/protocol.md §4.2.
//! * [`AuthClient::plan`]: what `auth()` does — a [`CredentialRequest`] to a non-popup route
//!   (map its answer with [`map_credential_value`]), or a [`PopupPlan`].
//! * [`AuthFlow`]: the popup flow as a sans-I/O state machine of [`AuthEvent`]s in and
//!   [`AuthEffect`]s out; [`AuthHost`] and [`AuthSession`] connect it to a platform.
//! * [`parse_socket_value`], [`parse_window_value`], [`parse_broadcast_value`]: the validated
//!   completion channels, for messages the host parsed with its own JSON parser into a
//!   [`JsonValue`] (the browser's `JSON.parse`, so that the wasm carries no JSON parser). With the
//!   `json` feature (default), `parse_socket_message`, `parse_window_message`,
//!   `parse_broadcast_message` and `map_credential_response` take JSON text or
//!   `serde_json::Value`s.
//! * [`ConnectUiConfig`]: Connect UI's iframe URL, its origin-checked messages and the
//!   [`session_token_reply`] (docs/protocol.md §4.6).
//!
//! ```
//! use nango::auth::{AuthClient, AuthConfig, AuthEvent, AuthEffect, AuthOptions, AuthPlan, ScreenSize};
//!
//! let client = AuthClient::new(AuthConfig::new().host("http://127.0.0.1:3003").connect_session_token("nango_connect_session_x"))?;
//! let AuthPlan::Popup(plan) = client.plan("github", None, &AuthOptions::new())? else { unreachable!() };
//! let (mut flow, effects) = plan.start(ScreenSize::new(1920, 1080));
//! assert!(matches!(effects[0], AuthEffect::OpenPopup { .. }));
//! let effects = flow.handle(AuthEvent::PopupOpened);
//! assert_eq!(effects[0], AuthEffect::ConnectSocket { url: "ws://127.0.0.1:3003/".into() });
//! # Ok::<(), nango::auth::AuthError>(())
//! ```

mod client;
mod connect_ui;
mod credentials;
mod error;
mod events;
mod flow;
mod host;
mod messages;
mod options;
mod outcome;
mod popup;
mod text;
mod urls;
mod value;

pub use client::{AuthClient, AuthConfig, AuthPlan, DEFAULT_HOST};
pub use connect_ui::{
    ConnectUiConfig, ConnectUiEvent, ConnectUiMessageKind, DEFAULT_CONNECT_UI_API_URL,
    DEFAULT_CONNECT_UI_URL, SESSION_TOKEN_TARGET_ORIGIN, session_token_message,
    session_token_reply,
};
#[cfg(feature = "json")]
pub use credentials::map_credential_response;
pub use credentials::{CredentialRequest, CredentialRoute, map_credential_value};
pub use error::{AuthError, AuthErrorKind};
pub use events::{AuthEffect, AuthEvent, TimerId};
pub use flow::{AuthFlow, FlowState, FlowTimings, PopupPlan};
pub use host::{AuthHost, AuthSession, run_effects};
pub use messages::{
    BROADCAST_CHANNEL, CallbackMessage, SocketMessage, parse_broadcast_value, parse_socket_value,
    parse_window_value,
};
#[cfg(feature = "json")]
pub use messages::{parse_broadcast_message, parse_socket_message, parse_window_message};
pub use options::{AuthOptions, AuthToken, build_query};
pub use outcome::AuthSuccess;
pub use popup::{DEFAULT_POPUP_HEIGHT, DEFAULT_POPUP_WIDTH, ScreenSize, popup_features};
pub use urls::{encode_uri_component, origin_matches, origin_of, websocket_url};
pub use value::{JsonObject, JsonValue};
