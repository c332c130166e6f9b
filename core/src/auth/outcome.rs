//! What a successful auth flow resolves with.

use serde::Serialize;

/// A connection was created (or re-authorised): `{providerConfigKey, connectionId, isPending}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthSuccess {
    /// The integration.
    pub provider_config_key: String,
    /// The connection. `None` only when the flow completed through the callback page's
    /// `postMessage`/BroadcastChannel, which carries no ids, and the caller did not pass a
    /// connection id (the usual case with connect sessions): the id then arrives with the
    /// `auth` webhook.
    pub connection_id: Option<String>,
    /// Whether the connection still awaits an asynchronous step on the provider's side.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_pending: Option<bool>,
}
