//! Typed webhook payloads (docs/protocol.md §3.4).
//!
//! Nango says new webhook types may appear at any time, and forwarded provider webhooks may be
//! delivered unwrapped, so parsing never fails on a JSON body: anything that is not a complete
//! known shape becomes [`WebhookPayload::Unknown`] with the whole value kept.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A webhook body from Nango.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WebhookPayload {
    /// `type: "auth"`: a connection was created, re-authorised, or failed to refresh.
    Auth(AuthWebhook),
    /// `type: "sync"`: a sync run finished (per model), successfully or not.
    Sync(SyncWebhook),
    /// `type: "forward"`: a provider webhook attributed to a connection.
    Forward(ForwardWebhook),
    /// `type: "async_action"`: an async action finished.
    AsyncAction(AsyncActionWebhook),
    /// An unknown `type`, a known `type` whose required fields are missing, or a raw provider
    /// payload forwarded unwrapped. The whole body is kept.
    Unknown(Value),
}

impl WebhookPayload {
    /// Parses a raw body. Fails only when the bytes are not JSON.
    pub fn from_slice(raw_body: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice::<Value>(raw_body).map(Self::from_value)
    }

    /// Classifies an already-parsed body. Never fails.
    pub fn from_value(value: Value) -> Self {
        let kind = value.get("type").and_then(Value::as_str);
        // A typed variant only when the whole required shape is there: a provider's own payload
        // forwarded unwrapped may well carry a `type` field of its own.
        let typed = match kind {
            Some("auth") => AuthWebhook::deserialize(&value).ok().map(Self::Auth),
            Some("sync") => SyncWebhook::deserialize(&value).ok().map(Self::Sync),
            Some("forward") => ForwardWebhook::deserialize(&value).ok().map(Self::Forward),
            Some("async_action") => AsyncActionWebhook::deserialize(&value)
                .ok()
                .map(Self::AsyncAction),
            _ => None,
        };
        typed.unwrap_or(Self::Unknown(value))
    }

    /// The wire form (camelCase, with `type`), e.g. for an emulator that sends webhooks.
    ///
    /// Key order is serde's, not Nango's sorted order: sign the bytes you actually send.
    pub fn to_value(&self) -> Value {
        let typed = match self {
            Self::Auth(w) => serde_json::to_value(w),
            Self::Sync(w) => serde_json::to_value(w),
            Self::Forward(w) => serde_json::to_value(w),
            Self::AsyncAction(w) => serde_json::to_value(w),
            Self::Unknown(value) => return value.clone(),
        };
        // These structs only hold strings, numbers, maps and values, which always serialise.
        let mut value = typed.unwrap_or(Value::Null);
        if let Value::Object(map) = &mut value {
            map.insert("type".to_owned(), Value::String(self.kind().to_owned()));
        }
        value
    }

    /// `"auth"`, `"sync"`, `"forward"`, `"async_action"` or `"unknown"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Auth(_) => "auth",
            Self::Sync(_) => "sync",
            Self::Forward(_) => "forward",
            Self::AsyncAction(_) => "async_action",
            Self::Unknown(_) => "unknown",
        }
    }

    /// The connection the webhook is about, when it names one.
    pub fn connection_id(&self) -> Option<&str> {
        match self {
            Self::Auth(w) => Some(&w.connection_id),
            Self::Sync(w) => Some(&w.connection_id),
            Self::Forward(w) => w.connection_id.as_deref(),
            Self::AsyncAction(w) => Some(&w.connection_id),
            Self::Unknown(_) => None,
        }
    }

    /// The integration (provider config key) the webhook is about, when it names one.
    pub fn provider_config_key(&self) -> Option<&str> {
        match self {
            Self::Auth(w) => Some(&w.provider_config_key),
            Self::Sync(w) => Some(&w.provider_config_key),
            Self::Forward(w) => Some(&w.provider_config_key),
            Self::AsyncAction(w) => Some(&w.provider_config_key),
            Self::Unknown(_) => None,
        }
    }
}

/// `type: "auth"`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AuthWebhook {
    /// Always `"nango"`.
    #[serde(default)]
    pub from: String,
    /// The connection.
    pub connection_id: String,
    /// The integration.
    pub provider_config_key: String,
    /// `OAUTH2`, `API_KEY`, `BASIC`, … or `"unknown"`; kept as a string because the set grows.
    #[serde(default)]
    pub auth_mode: String,
    /// The provider behind the integration.
    #[serde(default)]
    pub provider: String,
    /// The environment's name.
    #[serde(default)]
    pub environment: String,
    /// What happened to the connection.
    pub operation: AuthOperation,
    /// Whether it worked (false for refresh failures).
    pub success: bool,
    /// Connection tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<BTreeMap<String, String>>,
    /// The end user of the connect session, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_user: Option<WebhookEndUser>,
    /// Details of a failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<WebhookErrorDetail>,
}

/// The `operation` of an auth webhook.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(from = "String", into = "String")]
#[non_exhaustive]
pub enum AuthOperation {
    /// `"creation"`: a new connection.
    Creation,
    /// `"override"`: an existing connection was re-authorised.
    Override,
    /// `"refresh"`: refreshing the credentials failed.
    Refresh,
    /// `"deletion"`.
    Deletion,
    /// `"unknown"` (declared by Nango, never sent).
    Unknown,
    /// Any other value, kept verbatim.
    Other(String),
}

impl From<String> for AuthOperation {
    fn from(value: String) -> Self {
        match value.as_str() {
            "creation" => Self::Creation,
            "override" => Self::Override,
            "refresh" => Self::Refresh,
            "deletion" => Self::Deletion,
            "unknown" => Self::Unknown,
            _ => Self::Other(value),
        }
    }
}

impl From<AuthOperation> for String {
    fn from(value: AuthOperation) -> Self {
        value.as_str().to_owned()
    }
}

impl AuthOperation {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Creation => "creation",
            Self::Override => "override",
            Self::Refresh => "refresh",
            Self::Deletion => "deletion",
            Self::Unknown => "unknown",
            Self::Other(value) => value,
        }
    }
}

/// `endUser` of an auth webhook.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WebhookEndUser {
    /// The end user's id in the customer's system.
    #[serde(default)]
    pub end_user_id: String,
    /// The end user's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_user_email: Option<String>,
    /// The end user's organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// End-user tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<BTreeMap<String, String>>,
}

/// `error` of an auth or sync webhook.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct WebhookErrorDetail {
    /// Error type, e.g. `script_error`.
    #[serde(rename = "type", default)]
    pub error_type: String,
    /// Human-readable description.
    #[serde(default)]
    pub description: String,
    /// Extra data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<Value>,
    /// Extra properties (sync failures).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_properties: Option<Value>,
}

/// `type: "sync"`. Successful runs carry `modified_after`, `response_results` and
/// `query_time_stamp`; failed runs carry `error`, `started_at` and `failed_at`. The fields of
/// the other shape are `None`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SyncWebhook {
    /// Always `"nango"`.
    #[serde(default)]
    pub from: String,
    /// The connection.
    pub connection_id: String,
    /// The integration.
    pub provider_config_key: String,
    /// The sync's name.
    pub sync_name: String,
    /// The sync's variant (`"base"` for the base variant).
    #[serde(default = "base_variant")]
    pub sync_variant: String,
    /// The model this webhook reports on.
    pub model: String,
    /// `INCREMENTAL`, `INITIAL` or `WEBHOOK` (deprecated by Nango; a full run says `INITIAL`).
    #[serde(default)]
    pub sync_type: String,
    /// Whether the run succeeded.
    pub success: bool,
    /// Checkpoints `{from, to}` of a checkpointed sync (null or absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoints: Option<Value>,
    /// Success: the run's start; pass it as `modified_after` to fetch what changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_after: Option<String>,
    /// Success: how many records were added, updated and deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_results: Option<SyncResults>,
    /// Success: deprecated copy of `modified_after`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_time_stamp: Option<String>,
    /// Failure: what went wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<WebhookErrorDetail>,
    /// Failure: when the run started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    /// Failure: when the run failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_at: Option<String>,
}

fn base_variant() -> String {
    "base".to_owned()
}

/// `responseResults` of a successful sync webhook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SyncResults {
    /// Records added.
    #[serde(default)]
    pub added: u64,
    /// Records updated.
    #[serde(default)]
    pub updated: u64,
    /// Records deleted.
    #[serde(default)]
    pub deleted: u64,
}

/// `type: "forward"`: a provider's webhook, attributed to a connection.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ForwardWebhook {
    /// The provider's name (not `"nango"`).
    #[serde(default)]
    pub from: String,
    /// The integration.
    pub provider_config_key: String,
    /// The connection; Nango sends one delivery per attributed connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    /// The provider's body, untouched.
    #[serde(default)]
    pub payload: Value,
}

/// `type: "async_action"`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AsyncActionWebhook {
    /// Always `"nango"`.
    #[serde(default)]
    pub from: String,
    /// The connection.
    pub connection_id: String,
    /// The integration.
    pub provider_config_key: String,
    /// Where to fetch the result.
    pub payload: AsyncActionRef,
}

/// `payload` of an async-action webhook.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AsyncActionRef {
    /// The action run's id (for `GET /action/:id`).
    pub id: String,
    /// The status URL path.
    #[serde(default)]
    pub status_url: String,
}
