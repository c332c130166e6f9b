//! Integrations, providers, environment variables and the scripts config: read-only endpoints
//! whose shapes are open, so answers are JSON values.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::Nango;
use crate::error::{Error, Result};
use crate::request::{Method, QueryEncoding, Request, RetryClass, encode_path_segment, require};

/// `GET /integrations`.
pub fn list_integrations_request() -> Request {
    Request::new(Method::Get, "/integrations", RetryClass::Idempotent)
}

/// The server's answer to `GET /integrations`: `{data: [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntegrationList {
    /// Integrations.
    pub data: Vec<Value>,
}

/// The Node SDK's re-wrapped shape `{configs: [...]}`, for drop-in bindings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegacyIntegrationList {
    /// Integrations.
    pub configs: Vec<Value>,
}

impl IntegrationList {
    /// The legacy `{configs}` shape the Node SDK returns.
    pub fn into_legacy(self) -> LegacyIntegrationList {
        LegacyIntegrationList { configs: self.data }
    }
}

/// Arguments of `getIntegration`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GetIntegrationParams {
    /// Integration id.
    pub unique_key: String,
    /// Extra sections: `webhook`, `credentials`. All are sent (the Node SDK sends only the
    /// last one — docs/protocol.md §13, quirk 4).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
}

/// `GET /integrations/:uniqueKey[?include=…&include=…]`.
pub fn get_integration_request(params: &GetIntegrationParams) -> Result<Request> {
    require("unique_key", &params.unique_key)?;
    let path = format!("/integrations/{}", encode_path_segment(&params.unique_key));
    Ok(params.include.iter().fold(
        Request::new(Method::Get, path, RetryClass::Idempotent),
        |request, include| request.query("include", include, QueryEncoding::Axios),
    ))
}

/// Arguments of `listProviders`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ListProvidersParams {
    /// Free-text search.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
}

/// `GET /providers[?search=…]`.
pub fn list_providers_request(params: &ListProvidersParams) -> Request {
    let request = Request::new(Method::Get, "/providers", RetryClass::Idempotent);
    match params.search.as_deref().filter(|s| !s.is_empty()) {
        Some(search) => request.query("search", search, QueryEncoding::Form),
        None => request,
    }
}

/// `GET /providers/:provider`.
pub fn get_provider_request(provider: &str) -> Result<Request> {
    require("provider", provider)?;
    Ok(Request::new(
        Method::Get,
        format!("/providers/{}", encode_path_segment(provider)),
        RetryClass::Idempotent,
    ))
}

/// `GET /environment-variables`.
pub fn get_environment_variables_request() -> Request {
    Request::new(
        Method::Get,
        "/environment-variables",
        RetryClass::Idempotent,
    )
}

/// One environment variable. `Debug` hides the value (they usually hold secrets).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvironmentVariable {
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
}

impl std::fmt::Debug for EnvironmentVariable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnvironmentVariable")
            .field("name", &self.name)
            .field("value", &"<redacted>")
            .finish()
    }
}

/// `format` of `getScriptsConfig`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScriptsConfigFormat {
    /// Nango's own format (default).
    #[default]
    Nango,
    /// OpenAI tool definitions.
    Openai,
}

/// `GET /scripts/config?format=nango|openai`.
pub fn get_scripts_config_request(format: ScriptsConfigFormat) -> Request {
    let format = match format {
        ScriptsConfigFormat::Nango => "nango",
        ScriptsConfigFormat::Openai => "openai",
    };
    Request::new(Method::Get, "/scripts/config", RetryClass::Idempotent).query(
        "format",
        format,
        QueryEncoding::Axios,
    )
}

impl Nango {
    /// Integrations in the server's shape `{data}`; see [`IntegrationList::into_legacy`].
    pub async fn list_integrations(&self) -> Result<IntegrationList> {
        self.send_json(&list_integrations_request()).await
    }

    /// One integration: the whole body (`{data: {...}}`).
    pub async fn get_integration(&self, params: &GetIntegrationParams) -> Result<Value> {
        self.send_json(&get_integration_request(params)?).await
    }

    /// Providers (`{data: [...]}`).
    pub async fn list_providers(&self, params: &ListProvidersParams) -> Result<Value> {
        self.send_json(&list_providers_request(params)).await
    }

    /// One provider (`{data: {...}}`).
    pub async fn get_provider(&self, provider: &str) -> Result<Value> {
        self.send_json(&get_provider_request(provider)?).await
    }

    /// Environment variables (`[]` when there are none).
    pub async fn get_environment_variables(&self) -> Result<Vec<EnvironmentVariable>> {
        let value: Value = self.send_json(&get_environment_variables_request()).await?;
        match value {
            Value::Null => Ok(Vec::new()),
            other => serde_json::from_value(other).map_err(|err| Error::Decode {
                status: 200,
                message: err.to_string(),
                snippet: String::new(),
            }),
        }
    }

    /// The deployed scripts' configuration.
    pub async fn get_scripts_config(&self, format: ScriptsConfigFormat) -> Result<Value> {
        self.send_json(&get_scripts_config_request(format)).await
    }
}
