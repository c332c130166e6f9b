//! Records (docs/protocol.md §2.3, §7): one page with `list_records`, pruning, and the record types.
//! The walking pager is in `pager.rs`.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::client::Nango;
use crate::error::Result;
use crate::raw_page::RawRecordsPage;
use crate::request::{Method, QueryEncoding, Request, RetryClass, require};
use crate::response::{RawResponse, api_error, parse_json};

/// The label of `list_records` errors (as [`Request::label`] writes it).
const LIST_RECORDS: &str = "GET /records/";

/// Arguments of `listRecords` (names as the Node SDK takes them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ListRecordsParams {
    /// Integration id (`Provider-Config-Key` header).
    pub provider_config_key: String,
    /// Connection id (`Connection-Id` header).
    pub connection_id: String,
    /// Model name, e.g. `Issue`.
    pub model: String,
    /// Model variant; absent or `base` is the base model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Only records modified at or after this ISO-8601 UTC instant (`modified_after`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_after: Option<String>,
    /// Deprecated alias of `modified_after`; used only when that is unset (sent as
    /// `modified_after`, never `delta`, like the Node SDK).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delta: Option<String>,
    /// Page size, 1..=10 000 (server default 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Comma list of `added`, `updated`, `deleted`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// Resume after this cursor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Only these record ids (sent as repeated `ids=`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
}

impl ListRecordsParams {
    /// The three required arguments.
    pub fn new(
        provider_config_key: impl Into<String>,
        connection_id: impl Into<String>,
        model: impl Into<String>,
    ) -> Self {
        ListRecordsParams {
            provider_config_key: provider_config_key.into(),
            connection_id: connection_id.into(),
            model: model.into(),
            ..Default::default()
        }
    }

    /// Sets the cursor.
    pub fn cursor(mut self, cursor: impl Into<String>) -> Self {
        self.cursor = Some(cursor.into());
        self
    }

    /// Sets the page size.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }
}

/// `GET /records/` — note the trailing slash, as the Node SDK sends it.
pub fn list_records_request(params: &ListRecordsParams) -> Result<Request> {
    require("model", &params.model)?;
    require("provider_config_key", &params.provider_config_key)?;
    require("connection_id", &params.connection_id)?;
    let form = QueryEncoding::Form;
    let mut request = Request::new(Method::Get, "/records/", RetryClass::Idempotent).query(
        "model",
        &params.model,
        form,
    );
    if let Some(variant) = &params.variant {
        request = request.query("variant", variant, form);
    }
    if let Some(after) = params.modified_after.as_ref().or(params.delta.as_ref()) {
        request = request.query("modified_after", after, form);
    }
    if let Some(limit) = params.limit {
        request = request.query("limit", &limit.to_string(), form);
    }
    if let Some(filter) = &params.filter {
        request = request.query("filter", filter, form);
    }
    if let Some(cursor) = &params.cursor {
        request = request.query("cursor", cursor, form);
    }
    for id in &params.ids {
        request = request.query("ids", id, form);
    }
    request
        .header("Connection-Id", &params.connection_id)?
        .header("Provider-Config-Key", &params.provider_config_key)
}

/// One page of records: `{records, next_cursor}`. `next_cursor == None` means the end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecordsPage<T = Value> {
    /// The records, oldest modification first.
    pub records: Vec<T>,
    /// Cursor of the next page; `None` when this was the last one.
    #[serde(default)]
    pub next_cursor: Option<String>,
}

/// `_nango_metadata` of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NangoMetadata {
    /// When the record was first stored (Postgres rendering, e.g. `2023-09-18T15:20:35.941305+00:00`).
    #[serde(default)]
    pub first_seen_at: String,
    /// When it last changed.
    #[serde(default)]
    pub last_modified_at: String,
    /// What the last change was.
    pub last_action: LastAction,
    /// When it was deleted, if it was.
    #[serde(default)]
    pub deleted_at: Option<String>,
    /// When its payload was pruned, if it was.
    #[serde(default)]
    pub pruned_at: Option<String>,
    /// This record's position in the stream; persist the last one as a checkpoint.
    pub cursor: String,
}

impl NangoMetadata {
    /// `first_seen_at` parsed (RFC 3339 with offset), if it parses.
    pub fn first_seen_time(&self) -> Option<time::OffsetDateTime> {
        parse_time(&self.first_seen_at)
    }

    /// `last_modified_at` parsed, if it parses.
    pub fn last_modified_time(&self) -> Option<time::OffsetDateTime> {
        parse_time(&self.last_modified_at)
    }

    /// `deleted_at` parsed, if set and it parses.
    pub fn deleted_time(&self) -> Option<time::OffsetDateTime> {
        self.deleted_at.as_deref().and_then(parse_time)
    }

    /// `pruned_at` parsed, if set and it parses.
    pub fn pruned_time(&self) -> Option<time::OffsetDateTime> {
        self.pruned_at.as_deref().and_then(parse_time)
    }
}

fn parse_time(text: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
}

/// `_nango_metadata.last_action`. Unknown values are kept rather than rejected, so a server that
/// adds an action does not break old clients.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LastAction {
    /// `ADDED`
    Added,
    /// `UPDATED`
    Updated,
    /// `DELETED`
    Deleted,
    /// Anything else, as sent.
    Unknown(String),
}

impl LastAction {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            LastAction::Added => "ADDED",
            LastAction::Updated => "UPDATED",
            LastAction::Deleted => "DELETED",
            LastAction::Unknown(other) => other,
        }
    }
}

/// The schema of a string with known values that may take others: `anyOf [enum of E's names,
/// string]` (the TypeScript generator writes it `'A' | 'B' | (string & {})`).
#[cfg(feature = "schema")]
pub(crate) struct OpenEnum<E>(std::marker::PhantomData<E>);

#[cfg(feature = "schema")]
impl<E: schemars::JsonSchema> schemars::JsonSchema for OpenEnum<E> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("OpenEnum_{}", E::schema_name()).into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let known = E::json_schema(generator);
        schemars::json_schema!({ "anyOf": [known, { "type": "string" }] })
    }
}

/// The actions Nango names (for the schema; [`LastAction::Unknown`] keeps any other).
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[allow(dead_code, non_camel_case_types, clippy::upper_case_acronyms)]
enum LastActions {
    ADDED,
    UPDATED,
    DELETED,
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for LastAction {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "LastAction".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        OpenEnum::<LastActions>::json_schema(generator)
    }
}

impl Serialize for LastAction {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for LastAction {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(match text.to_ascii_uppercase().as_str() {
            "ADDED" => LastAction::Added,
            "UPDATED" => LastAction::Updated,
            "DELETED" => LastAction::Deleted,
            _ => LastAction::Unknown(text),
        })
    }
}

/// A record as your own type `T` plus its typed metadata.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Issue { id: String, title: String }
/// let record: nango::Record<Issue> = serde_json::from_str(r#"{"id":"17","title":"a",
///   "_nango_metadata":{"first_seen_at":"t","last_modified_at":"t","last_action":"ADDED",
///   "deleted_at":null,"pruned_at":null,"cursor":"C1"}}"#).unwrap();
/// assert_eq!(record.metadata.cursor, "C1");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record<T = Value> {
    /// The payload (every field but `_nango_metadata`).
    #[serde(flatten)]
    pub data: T,
    /// `_nango_metadata`.
    #[serde(rename = "_nango_metadata")]
    pub metadata: NangoMetadata,
}

/// Reads a record's `_nango_metadata.cursor`, which the pager needs for its checkpoint.
pub trait RecordCursor {
    /// The record's cursor, if it has one.
    fn record_cursor(&self) -> Option<String>;
}

impl RecordCursor for Value {
    fn record_cursor(&self) -> Option<String> {
        self.pointer("/_nango_metadata/cursor")
            .and_then(Value::as_str)
            .map(str::to_owned)
    }
}

impl<T> RecordCursor for Record<T> {
    fn record_cursor(&self) -> Option<String> {
        Some(self.metadata.cursor.clone())
    }
}

impl RecordCursor for Box<RawValue> {
    fn record_cursor(&self) -> Option<String> {
        cursor_of_record_json(self.get())
    }
}

/// `_nango_metadata.cursor` of one record's JSON text, if it has one.
pub(crate) fn cursor_of_record_json(text: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Meta {
        cursor: Option<String>,
    }
    #[derive(Deserialize)]
    struct Outer {
        #[serde(rename = "_nango_metadata")]
        metadata: Option<Meta>,
    }
    serde_json::from_str::<Outer>(text)
        .ok()
        .and_then(|outer| outer.metadata)
        .and_then(|meta| meta.cursor)
}

/// Arguments of `pruneRecords`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PruneRecordsParams {
    /// Integration id.
    pub provider_config_key: String,
    /// Connection id.
    pub connection_id: String,
    /// Model name.
    pub model: String,
    /// Model variant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Prune payloads of records up to and including this cursor.
    pub until_cursor: String,
    /// At most this many records per call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

#[derive(Serialize)]
struct PruneBody<'a> {
    model: &'a str,
    until_cursor: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    variant: Option<&'a str>,
}

/// `PATCH /records/prune`. Idempotent: pruning up to the same cursor twice changes nothing more.
pub fn prune_records_request(params: &PruneRecordsParams) -> Result<Request> {
    require("model", &params.model)?;
    require("until_cursor", &params.until_cursor)?;
    require("provider_config_key", &params.provider_config_key)?;
    require("connection_id", &params.connection_id)?;
    Request::new(Method::Patch, "/records/prune", RetryClass::Idempotent)
        .header("Connection-Id", &params.connection_id)?
        .header("Provider-Config-Key", &params.provider_config_key)?
        .json_body(&PruneBody {
            model: &params.model,
            until_cursor: &params.until_cursor,
            limit: params.limit,
            variant: params.variant.as_deref(),
        })
}

/// Answer of `pruneRecords`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PruneResult {
    /// Records pruned by this call.
    pub count: u64,
    /// More remain up to the cursor (optimistically true if the cursor no longer exists).
    pub has_more: bool,
}

impl Nango {
    /// One page of records (`GET /records/`), typed as `T`: `serde_json::Value`, a
    /// [`Record<YourType>`], or `Box<RawValue>` to keep each record's JSON text.
    ///
    /// The page after it is read ahead in the background unless the client was built with
    /// [`crate::NangoBuilder::read_ahead`]`(false)`; the rules are in [`crate::records_ahead`].
    pub async fn list_records<T: DeserializeOwned>(
        &self,
        params: &ListRecordsParams,
    ) -> Result<RecordsPage<T>> {
        parse_json(LIST_RECORDS, &self.list_records_page(params).await?)
    }

    /// One page of records as the server's JSON text, for bindings that hand it to their host
    /// unparsed (e.g. `JSON.parse` in V8). Read ahead as [`Nango::list_records`] is.
    pub async fn list_records_json(&self, params: &ListRecordsParams) -> Result<String> {
        let response = self.list_records_page(params).await?;
        Ok(response.text()?.to_owned())
    }

    /// One page of records as checked JSON text ([`RawRecordsPage`]): the records array is a
    /// span of the body, located without decoding each record. For bindings whose host parses
    /// JSON faster than records can be built across the boundary. Read ahead as
    /// [`Nango::list_records`] is.
    pub async fn list_records_raw(&self, params: &ListRecordsParams) -> Result<RawRecordsPage> {
        RawRecordsPage::from_response(self.list_records_page(params).await?)
    }

    /// The answer to `GET /records/` whatever its status, after retries (as
    /// [`Nango::send_any_status`]), read ahead as [`Nango::list_records`] is: for bindings that
    /// build their own error from the full answer.
    pub async fn list_records_response(&self, params: &ListRecordsParams) -> Result<RawResponse> {
        let inner = &self.inner;
        inner
            .records_ahead
            .fetch(self, params, inner.config.read_ahead)
            .await
    }

    /// [`Nango::list_records_response`], a non-2xx answer as [`crate::Error::Api`].
    async fn list_records_page(&self, params: &ListRecordsParams) -> Result<RawResponse> {
        let response = self.list_records_response(params).await?;
        if response.is_success() {
            Ok(response)
        } else {
            Err(api_error(LIST_RECORDS, &response))
        }
    }

    /// Empties the payloads of records up to a cursor (`PATCH /records/prune`).
    pub async fn prune_records(&self, params: &PruneRecordsParams) -> Result<PruneResult> {
        self.send_json(&prune_records_request(params)?).await
    }
}
