//! Connect sessions (docs/protocol.md §6). Bodies are snake_case on the wire and in the Node SDK.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::Nango;
use crate::error::Result;
use crate::ordered_map::OrderedMap;
use crate::request::{Method, Request, RetryClass, require};

/// `end_user` of a connect session.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndUser {
    /// Your id for the user (required by the server).
    pub id: String,
    /// Email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<OrderedMap<String>>,
    /// Keys this version does not know, sent as given.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `organization` of a connect session.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct Organization {
    /// Your id for the organisation.
    pub id: String,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Keys this version does not know, sent as given.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Body of `POST /connect/sessions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateConnectSessionParams {
    /// The end user (required unless `tags` is given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_user: Option<EndUser>,
    /// Their organisation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<Organization>,
    /// Integrations the user may connect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_integrations: Option<Vec<String>>,
    /// Per-integration defaults (`user_scopes`, `authorization_params`, `connection_config`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integrations_config_defaults: Option<Value>,
    /// Per-integration overrides.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overrides: Option<Value>,
    /// Webhook URL for this connection's webhooks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_url_override: Option<String>,
    /// Tags stored on the connection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<OrderedMap<String>>,
    /// Keys this version does not know, sent as given (top-level ones in snake_case, as the
    /// body's own keys: the operations table normalises their case).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Body of `POST /connect/sessions/reconnect`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateReconnectSessionParams {
    /// Connection to re-authorise.
    pub connection_id: String,
    /// Its integration.
    pub integration_id: String,
    /// The end user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_user: Option<EndUser>,
    /// Their organisation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<Organization>,
    /// Per-integration defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integrations_config_defaults: Option<Value>,
    /// Per-integration overrides.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overrides: Option<Value>,
    /// Webhook URL override.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_url_override: Option<String>,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<OrderedMap<String>>,
    /// Keys this version does not know, sent as given (top-level ones in snake_case, as the
    /// body's own keys: the operations table normalises their case).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `POST /connect/sessions`. Each call mints a new token, so it is not repeated after a
/// timeout or 5xx (a duplicate would be harmless but is never needed): retried only when it was
/// never sent, or on 429.
pub fn create_connect_session_request(params: &CreateConnectSessionParams) -> Result<Request> {
    Request::new(Method::Post, "/connect/sessions", RetryClass::TriggerAction).json_body(params)
}

/// `POST /connect/sessions/reconnect` (same retry rule as a new session).
pub fn create_reconnect_session_request(params: &CreateReconnectSessionParams) -> Result<Request> {
    require("connection_id", &params.connection_id)?;
    require("integration_id", &params.integration_id)?;
    Request::new(
        Method::Post,
        "/connect/sessions/reconnect",
        RetryClass::TriggerAction,
    )
    .json_body(params)
}

/// `{data: {token, connect_link, expires_at}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConnectSessionResponse {
    /// The session.
    pub data: ConnectSession,
}

/// A connect session. `Debug` hides the token (and the link, which embeds it).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConnectSession {
    /// `nango_connect_session_<64 hex>`: hand it to the frontend.
    pub token: String,
    /// Connect UI URL carrying the token.
    #[serde(default)]
    pub connect_link: Option<String>,
    /// Expiry (ISO-8601).
    pub expires_at: String,
}

impl std::fmt::Debug for ConnectSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectSession")
            .field("token", &"<redacted>")
            .field(
                "connect_link",
                &self.connect_link.as_ref().map(|_| "<redacted>"),
            )
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl Nango {
    /// Creates a connect session for the frontend.
    pub async fn create_connect_session(
        &self,
        params: &CreateConnectSessionParams,
    ) -> Result<ConnectSessionResponse> {
        self.send_json(&create_connect_session_request(params)?)
            .await
    }

    /// Creates a session that re-authorises an existing connection.
    pub async fn create_reconnect_session(
        &self,
        params: &CreateReconnectSessionParams,
    ) -> Result<ConnectSessionResponse> {
        self.send_json(&create_reconnect_session_request(params)?)
            .await
    }
}
