//! The functions (syncs, actions, on-event scripts) deployed to an integration: list, get, source
//! code, delete (`/integrations/:uniqueKey/functions…`), and the function shape that provider
//! templates share.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::Nango;
use crate::error::{Error, Result};
use crate::integrations::Deletion;
use crate::request::{Method, QueryEncoding, Request, RetryClass, encode_path_segment, require};

/// The kind of a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum FunctionType {
    /// A sync: copies provider data into the records cache on a schedule.
    #[serde(rename = "sync")]
    Sync,
    /// An action: a one-off call.
    #[serde(rename = "action")]
    Action,
    /// A script run on a connection event.
    #[serde(rename = "on-event")]
    OnEvent,
    /// A kind this version does not know.
    #[serde(rename = "unknown", other)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    Unknown,
}

impl FunctionType {
    /// The wire name (`sync`, `action`, `on-event`; `unknown` for [`FunctionType::Unknown`]).
    pub fn as_str(self) -> &'static str {
        match self {
            FunctionType::Sync => "sync",
            FunctionType::Action => "action",
            FunctionType::OnEvent => "on-event",
            FunctionType::Unknown => "unknown",
        }
    }
}

/// A function: a provider template, or a deployed function with its deployment fields (`id`,
/// `enabled`, `last_deployed`, `source`). Fields that only one kind has are optional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NangoFunction {
    /// Name.
    pub name: String,
    /// Kind.
    #[serde(rename = "type")]
    pub function_type: FunctionType,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Scopes the function needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    /// Input model (syncs and actions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// Output models (syncs and actions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<Vec<String>>,
    /// JSON Schema of the models (syncs and actions; may be null).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json_schema: Option<Value>,
    /// Schedule, e.g. `every day` (syncs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs: Option<String>,
    /// Starts when a connection is created (syncs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_start: Option<bool>,
    /// Marks records missing from a full run as deleted (syncs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track_deletes: Option<bool>,
    /// The event that runs it (on-event functions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// Deployment id (deployed functions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// Whether it is enabled (deployed functions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Last deployment time, ISO 8601 (deployed functions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_deployed: Option<String>,
    /// Where it came from: `catalog`, `standalone` or `repo` (deployed functions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Fields this version does not type.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Arguments of `listFunctions`. The filters are sent in this order when set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ListFunctionsParams {
    /// Integration id.
    pub unique_key: String,
    /// Only functions of this kind.
    #[serde(
        rename = "type",
        alias = "functionType",
        skip_serializing_if = "Option::is_none"
    )]
    pub function_type: Option<FunctionType>,
    /// Case-insensitive filter on the name (1 to 255 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    /// Page number, from 0 (the server's default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Page size, 1 to 100 (the server's default is 20).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

impl ListFunctionsParams {
    /// Every function of an integration, first page.
    pub fn new(unique_key: impl Into<String>) -> Self {
        ListFunctionsParams {
            unique_key: unique_key.into(),
            ..Default::default()
        }
    }

    /// Only functions of this kind.
    pub fn function_type(mut self, function_type: FunctionType) -> Self {
        self.function_type = Some(function_type);
        self
    }

    /// Only functions whose name contains `search` (case-insensitive).
    pub fn search(mut self, search: impl Into<String>) -> Self {
        self.search = Some(search.into());
        self
    }

    /// Page number, from 0.
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// Page size.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }
}

/// Which function of an integration (`getFunction`, `getFunctionCode`, `deleteFunction`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FunctionRef {
    /// Integration id.
    pub unique_key: String,
    /// Function name.
    pub name: String,
    /// Kind: tells apart a sync and an action of the same name. Optional for reads, required
    /// for `deleteFunction` (`sync` or `action`). Also read as `functionType` (Python's
    /// `function_type` keyword, normalised).
    #[serde(
        rename = "type",
        alias = "functionType",
        skip_serializing_if = "Option::is_none"
    )]
    pub function_type: Option<FunctionType>,
}

impl FunctionRef {
    /// The function `name` of integration `unique_key`, any kind.
    pub fn new(unique_key: impl Into<String>, name: impl Into<String>) -> Self {
        FunctionRef {
            unique_key: unique_key.into(),
            name: name.into(),
            function_type: None,
        }
    }

    /// Only the function of this kind.
    pub fn function_type(mut self, function_type: FunctionType) -> Self {
        self.function_type = Some(function_type);
        self
    }
}

/// The answer of `listFunctions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FunctionList {
    /// One page of deployed functions.
    pub data: Vec<NangoFunction>,
    /// Where the page is.
    pub pagination: Pagination,
}

/// The position of a page of [`FunctionList`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Pagination {
    /// Functions matching the filters, on all pages.
    pub total: u64,
    /// This page's number, from 0.
    pub page: u64,
    /// Page size.
    pub limit: u64,
}

/// The answer of `getFunction`: `{data: {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FunctionResponse {
    /// The deployed function.
    pub data: NangoFunction,
}

/// The answer of `getFunctionCode`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FunctionCode {
    /// The function's kind.
    #[serde(rename = "type")]
    pub function_type: FunctionType,
    /// Its TypeScript source.
    pub code: String,
}

/// The answer of `deleteFunction`: `{data: {success}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FunctionDeletion {
    /// Whether the deletion was queued.
    pub data: Deletion,
}

fn functions_path(unique_key: &str) -> Result<String> {
    require("unique_key", unique_key)?;
    Ok(format!(
        "/integrations/{}/functions",
        encode_path_segment(unique_key)
    ))
}

fn function_path(target: &FunctionRef) -> Result<String> {
    require("name", &target.name)?;
    Ok(format!(
        "{}/{}",
        functions_path(&target.unique_key)?,
        encode_path_segment(&target.name)
    ))
}

fn with_type(request: Request, function_type: Option<FunctionType>) -> Result<Request> {
    Ok(match function_type {
        None => request,
        Some(FunctionType::Unknown) => {
            return Err(Error::invalid_argument(
                "type",
                "must be sync, action or on-event",
            ));
        }
        Some(kind) => request.query("type", kind.as_str(), QueryEncoding::Form),
    })
}

/// `GET /integrations/:uniqueKey/functions[?type=…&search=…&page=…&limit=…]`.
pub fn list_functions_request(params: &ListFunctionsParams) -> Result<Request> {
    let request = Request::new(
        Method::Get,
        functions_path(&params.unique_key)?,
        RetryClass::Idempotent,
    );
    let mut request = with_type(request, params.function_type)?;
    if let Some(search) = &params.search {
        request = request.query("search", search, QueryEncoding::Form);
    }
    if let Some(page) = params.page {
        request = request.query("page", &page.to_string(), QueryEncoding::Form);
    }
    if let Some(limit) = params.limit {
        request = request.query("limit", &limit.to_string(), QueryEncoding::Form);
    }
    Ok(request)
}

/// `GET /integrations/:uniqueKey/functions/:name[?type=…]`.
pub fn get_function_request(target: &FunctionRef) -> Result<Request> {
    let request = Request::new(Method::Get, function_path(target)?, RetryClass::Idempotent);
    with_type(request, target.function_type)
}

/// `GET /integrations/:uniqueKey/functions/:name/code[?type=…]`.
pub fn get_function_code_request(target: &FunctionRef) -> Result<Request> {
    let path = format!("{}/code", function_path(target)?);
    with_type(
        Request::new(Method::Get, path, RetryClass::Idempotent),
        target.function_type,
    )
}

/// `DELETE /integrations/:uniqueKey/functions/:name?type=sync|action`. The type is required:
/// the server deletes only syncs and actions, and needs it to tell them apart.
pub fn delete_function_request(target: &FunctionRef) -> Result<Request> {
    // The path first, so that an empty key or name is named before a missing type.
    let path = function_path(target)?;
    match target.function_type {
        Some(FunctionType::Sync | FunctionType::Action) => {}
        _ => {
            return Err(Error::invalid_argument(
                "type",
                "deleteFunction needs type sync or action",
            ));
        }
    }
    let request = Request::new(Method::Delete, path, RetryClass::Idempotent);
    with_type(request, target.function_type)
}

impl Nango {
    /// One page of the functions deployed to an integration (`listFunctions`).
    ///
    /// ```no_run
    /// # async fn demo(nango: &nango::Nango) -> nango::Result<()> {
    /// use nango::{FunctionType, ListFunctionsParams};
    /// let syncs = nango
    ///     .list_functions(&ListFunctionsParams::new("github").function_type(FunctionType::Sync))
    ///     .await?;
    /// for function in &syncs.data {
    ///     println!("{} runs {:?}", function.name, function.runs);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_functions(&self, params: &ListFunctionsParams) -> Result<FunctionList> {
        self.send_json(&list_functions_request(params)?).await
    }

    /// One deployed function (`getFunction`). Unknown integration or function: code
    /// `not_found`.
    pub async fn get_function(&self, target: &FunctionRef) -> Result<FunctionResponse> {
        self.send_json(&get_function_request(target)?).await
    }

    /// A deployed function's TypeScript source (`getFunctionCode`). When a sync and an action
    /// share the name and no type is given, the server answers 409 (code `conflict`, server code
    /// `ambiguous_function`, the candidates in the payload's `matches`).
    pub async fn get_function_code(&self, target: &FunctionRef) -> Result<FunctionCode> {
        self.send_json(&get_function_code_request(target)?).await
    }

    /// Deletes a deployed sync or action (`deleteFunction`); its teardown runs on the server
    /// afterwards. Functions deployed with `nango deploy` are refused (400,
    /// `function_managed_by_deploy`).
    pub async fn delete_function(&self, target: &FunctionRef) -> Result<FunctionDeletion> {
        self.send_json(&delete_function_request(target)?).await
    }
}
