//! Syncs (docs/protocol.md §2.2): trigger, start, pause, status, frequency, variants.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::Nango;
use crate::error::{Error, Result};
use crate::request::{Method, QueryEncoding, Request, RetryClass, encode_path_segment, require};

/// A sync by name, or by name and variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SyncRef {
    /// The base variant.
    Name(String),
    /// A named variant.
    Variant {
        /// Sync name.
        name: String,
        /// Variant name.
        variant: String,
    },
}

impl SyncRef {
    fn status_token(&self) -> String {
        match self {
            SyncRef::Name(name) => name.clone(),
            SyncRef::Variant { name, variant } => format!("{name}::{variant}"),
        }
    }
}

impl From<&str> for SyncRef {
    fn from(value: &str) -> Self {
        SyncRef::Name(value.to_owned())
    }
}

/// `opts` of `triggerSync`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TriggerSyncOpts {
    /// Restart from scratch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reset: Option<bool>,
    /// Also empty the records cache.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub empty_cache: Option<bool>,
}

/// The deprecated 4th argument of `triggerSync`: a mode string, or a boolean
/// (`true` → `full_refresh`, `false` → `incremental`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SyncMode {
    /// `incremental`, `full_refresh` or `full_refresh_and_clear_cache`.
    Mode(String),
    /// Legacy boolean.
    FullRefresh(bool),
}

/// A sync selection: `"*"` or a name, one `{name, variant}`, or a list (`null`: every sync).
fn sync_selection<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<SyncSelection, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Given {
        All(String),
        One(SyncRef),
        Many(Vec<SyncRef>),
    }
    Ok(match Option::<Given>::deserialize(deserializer)? {
        None => SyncSelection::default(),
        Some(Given::All(text)) => SyncSelection::All(text),
        Some(Given::One(one)) => SyncSelection::List(vec![one]),
        Some(Given::Many(many)) => SyncSelection::List(many),
    })
}

/// Arguments of `triggerSync`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TriggerSyncParams {
    /// Integration id.
    pub provider_config_key: String,
    /// Syncs to trigger.
    #[serde(deserialize_with = "crate::connections::one_or_many")]
    pub syncs: Vec<SyncRef>,
    /// Connection id; all connections when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    /// Options (current form).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opts: Option<TriggerSyncOpts>,
    /// Legacy mode (sent as `sync_mode`); exclusive with `opts`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_mode: Option<SyncMode>,
}

#[derive(Serialize)]
struct TriggerBody<'a> {
    syncs: &'a [SyncRef],
    provider_config_key: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    connection_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    opts: Option<&'a TriggerSyncOpts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sync_mode: Option<&'a str>,
}

/// `POST /sync/trigger`. Not idempotent (each call queues a run): retried only when it was never
/// sent or on 429.
pub fn trigger_sync_request(params: &TriggerSyncParams) -> Result<Request> {
    require("provider_config_key", &params.provider_config_key)?;
    if params.opts.is_some() && params.sync_mode.is_some() {
        return Err(Error::invalid_argument(
            "sync_mode",
            "give either opts or the legacy sync_mode, not both",
        ));
    }
    let sync_mode = params.sync_mode.as_ref().map(|mode| match mode {
        SyncMode::Mode(mode) => mode.as_str(),
        SyncMode::FullRefresh(true) => "full_refresh",
        SyncMode::FullRefresh(false) => "incremental",
    });
    Request::new(Method::Post, "/sync/trigger", RetryClass::TriggerAction).json_body(&TriggerBody {
        syncs: &params.syncs,
        provider_config_key: &params.provider_config_key,
        connection_id: params.connection_id.as_deref().filter(|c| !c.is_empty()),
        opts: params.opts.as_ref(),
        sync_mode,
    })
}

/// Arguments of `startSync` / `pauseSync`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SyncControlParams {
    /// Integration id.
    pub provider_config_key: String,
    /// Syncs.
    #[serde(deserialize_with = "crate::connections::one_or_many")]
    pub syncs: Vec<SyncRef>,
    /// Connection id; all connections when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
}

#[derive(Serialize)]
struct ControlBody<'a> {
    syncs: &'a [SyncRef],
    provider_config_key: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    connection_id: Option<&'a str>,
}

fn control_request(path: &str, params: &SyncControlParams) -> Result<Request> {
    require("provider_config_key", &params.provider_config_key)?;
    // Starting a started sync or pausing a paused one is a no-op: safe to repeat.
    Request::new(Method::Post, path, RetryClass::Idempotent).json_body(&ControlBody {
        syncs: &params.syncs,
        provider_config_key: &params.provider_config_key,
        connection_id: params.connection_id.as_deref().filter(|c| !c.is_empty()),
    })
}

/// `POST /sync/start`.
pub fn start_sync_request(params: &SyncControlParams) -> Result<Request> {
    control_request("/sync/start", params)
}

/// `POST /sync/pause`.
pub fn pause_sync_request(params: &SyncControlParams) -> Result<Request> {
    control_request("/sync/pause", params)
}

/// `syncs` of `syncStatus`: `"*"` for all, or a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SyncSelection {
    /// `"*"` (or a ready-made comma list).
    All(String),
    /// These syncs (variants as `name::variant`).
    List(Vec<SyncRef>),
}

impl Default for SyncSelection {
    fn default() -> Self {
        SyncSelection::All("*".to_owned())
    }
}

/// Arguments of `syncStatus`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SyncStatusParams {
    /// Integration id.
    pub provider_config_key: String,
    /// Which syncs.
    #[serde(deserialize_with = "sync_selection")]
    pub syncs: SyncSelection,
    /// Connection id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
}

/// `GET /sync/status?syncs=…&provider_config_key=…[&connection_id=…]`.
pub fn sync_status_request(params: &SyncStatusParams) -> Result<Request> {
    require("provider_config_key", &params.provider_config_key)?;
    let syncs = match &params.syncs {
        SyncSelection::All(text) => text.clone(),
        SyncSelection::List(list) => list
            .iter()
            .map(SyncRef::status_token)
            .collect::<Vec<_>>()
            .join(","),
    };
    require("syncs", &syncs)?;
    let axios = QueryEncoding::Axios;
    let mut request = Request::new(Method::Get, "/sync/status", RetryClass::Idempotent)
        .query("syncs", &syncs, axios)
        .query("provider_config_key", &params.provider_config_key, axios);
    if let Some(connection_id) = params.connection_id.as_deref().filter(|c| !c.is_empty()) {
        request = request.query("connection_id", connection_id, axios);
    }
    Ok(request)
}

/// The answer of `syncStatus`: `{syncs: [...]}` (entries kept as JSON; their shape varies
/// between server versions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SyncStatusResponse {
    /// One entry per sync × connection.
    #[cfg_attr(feature = "schema", schemars(with = "Vec<SyncStatus>"))]
    pub syncs: Vec<Value>,
}

/// One entry of [`SyncStatusResponse`]: a sync (variant) on a connection. Its keys are
/// camelCase on the wire, except `connection_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    /// Sync id.
    pub id: String,
    /// Connection id (when asked for several connections).
    #[serde(
        default,
        rename = "connection_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub connection_id: Option<String>,
    /// Sync name.
    pub name: String,
    /// Variant (`base` for the default one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// `RUNNING`, `PAUSED`, `STOPPED`, `SUCCESS`, `ERROR` (open set).
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::records::OpenEnum<SyncStates>")
    )]
    pub status: String,
    /// `INCREMENTAL` or `INITIAL` (open set).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::records::OpenEnum<SyncRunTypes>>")
    )]
    pub sync_type: Option<String>,
    /// When the last run finished (ISO 8601), or null.
    #[serde(default)]
    pub finished_at: Option<String>,
    /// When the next run is due (ISO 8601), or null.
    #[serde(default)]
    pub next_scheduled_sync_at: Option<String>,
    /// Schedule, e.g. `every hour`.
    #[serde(default)]
    pub frequency: Option<String>,
    /// Counts of the last run (`added`, `updated`, `deleted`, …), per model.
    #[serde(default)]
    pub latest_result: Option<Value>,
    /// Records stored, per model.
    #[serde(default)]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "std::collections::BTreeMap<String, u64>")
    )]
    pub record_count: Option<Value>,
    /// How the last run ended (e.g. `SUCCESS`, `FAILURE`, `RUNNING`), when the server says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_execution_status: Option<String>,
    /// The sync's checkpoint, or null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<Value>,
    /// Fields this version does not type.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, Value>,
}

/// The sync states Nango names (for the schema; [`SyncStatus::status`] stays open).
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[allow(dead_code, non_camel_case_types, clippy::upper_case_acronyms)]
enum SyncStates {
    RUNNING,
    PAUSED,
    STOPPED,
    SUCCESS,
    ERROR,
}

/// The run types Nango names (for the schema; [`SyncStatus::sync_type`] stays open).
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[allow(dead_code, non_camel_case_types, clippy::upper_case_acronyms)]
enum SyncRunTypes {
    INCREMENTAL,
    INITIAL,
}

/// The answer of `createSyncVariant`: the new variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SyncVariant {
    /// Sync id.
    pub id: String,
    /// Sync name.
    pub name: String,
    /// Variant name.
    pub variant: String,
}

/// Arguments of `updateSyncConnectionFrequency`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UpdateFrequencyParams {
    /// Integration id.
    pub provider_config_key: String,
    /// The sync (and variant).
    pub sync: Option<SyncRef>,
    /// Connection id.
    pub connection_id: String,
    /// New frequency (e.g. `"1h"`), or `None` to go back to the default.
    pub frequency: Option<String>,
}

#[derive(Serialize)]
struct FrequencyBody<'a> {
    sync_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sync_variant: Option<&'a str>,
    provider_config_key: &'a str,
    connection_id: &'a str,
    frequency: Option<&'a str>,
}

/// `PUT /sync/update-connection-frequency`.
pub fn update_sync_connection_frequency_request(params: &UpdateFrequencyParams) -> Result<Request> {
    require("provider_config_key", &params.provider_config_key)?;
    require("connection_id", &params.connection_id)?;
    let (sync_name, sync_variant) = match &params.sync {
        Some(SyncRef::Name(name)) => (name.as_str(), None),
        Some(SyncRef::Variant { name, variant }) => (name.as_str(), Some(variant.as_str())),
        None => ("", None),
    };
    require("sync", sync_name)?;
    Request::new(
        Method::Put,
        "/sync/update-connection-frequency",
        RetryClass::Idempotent,
    )
    .json_body(&FrequencyBody {
        sync_name,
        sync_variant,
        provider_config_key: &params.provider_config_key,
        connection_id: &params.connection_id,
        frequency: params.frequency.as_deref(),
    })
}

/// Answer of `updateSyncConnectionFrequency`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FrequencyResponse {
    /// The frequency now in force.
    pub frequency: Option<String>,
}

/// Arguments of `createSyncVariant` / `deleteSyncVariant` (snake_case as the Node SDK takes them;
/// camelCase accepted too).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SyncVariantParams {
    /// Integration id.
    #[serde(alias = "providerConfigKey")]
    pub provider_config_key: String,
    /// Connection id.
    #[serde(alias = "connectionId")]
    pub connection_id: String,
    /// Sync name.
    pub name: String,
    /// Variant name.
    pub variant: String,
}

#[derive(Serialize)]
struct VariantBody<'a> {
    provider_config_key: &'a str,
    connection_id: &'a str,
}

fn variant_request(
    method: Method,
    class: RetryClass,
    params: &SyncVariantParams,
) -> Result<Request> {
    require("provider_config_key", &params.provider_config_key)?;
    require("connection_id", &params.connection_id)?;
    require("name", &params.name)?;
    require("variant", &params.variant)?;
    let path = format!(
        "/sync/{}/variant/{}",
        encode_path_segment(&params.name),
        encode_path_segment(&params.variant)
    );
    Request::new(method, path, class).json_body(&VariantBody {
        provider_config_key: &params.provider_config_key,
        connection_id: &params.connection_id,
    })
}

/// `POST /sync/:name/variant/:variant` (creating twice conflicts: not retried after a 5xx).
pub fn create_sync_variant_request(params: &SyncVariantParams) -> Result<Request> {
    variant_request(Method::Post, RetryClass::TriggerAction, params)
}

/// `DELETE /sync/:name/variant/:variant`, with the JSON body on the DELETE.
pub fn delete_sync_variant_request(params: &SyncVariantParams) -> Result<Request> {
    variant_request(Method::Delete, RetryClass::Idempotent, params)
}

impl Nango {
    /// Triggers syncs (`POST /sync/trigger`); returns the body (`{success}`).
    pub async fn trigger_sync(&self, params: &TriggerSyncParams) -> Result<Value> {
        self.send_json(&trigger_sync_request(params)?).await
    }

    /// Starts (schedules) syncs.
    pub async fn start_sync(&self, params: &SyncControlParams) -> Result<Value> {
        self.send_json(&start_sync_request(params)?).await
    }

    /// Pauses syncs.
    pub async fn pause_sync(&self, params: &SyncControlParams) -> Result<Value> {
        self.send_json(&pause_sync_request(params)?).await
    }

    /// Status of syncs.
    pub async fn sync_status(&self, params: &SyncStatusParams) -> Result<SyncStatusResponse> {
        self.send_json(&sync_status_request(params)?).await
    }

    /// Overrides a sync's frequency for one connection.
    pub async fn update_sync_connection_frequency(
        &self,
        params: &UpdateFrequencyParams,
    ) -> Result<FrequencyResponse> {
        self.send_json(&update_sync_connection_frequency_request(params)?)
            .await
    }

    /// Creates a sync variant; returns `{id, name, variant}`.
    pub async fn create_sync_variant(&self, params: &SyncVariantParams) -> Result<Value> {
        self.send_json(&create_sync_variant_request(params)?).await
    }

    /// Deletes a sync variant; returns `{success}`.
    pub async fn delete_sync_variant(&self, params: &SyncVariantParams) -> Result<Value> {
        self.send_json(&delete_sync_variant_request(params)?).await
    }
}
