//! Integrations, providers, environment variables and the scripts config. The read-only
//! endpoints answer JSON values (their shapes are open); integration administration (create,
//! quickstart, update, delete) and provider templates have typed answers.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::client::Nango;
use crate::error::{Error, Result};
use crate::functions::NangoFunction;
use crate::ordered_map::OrderedMap;
use crate::request::{Method, QueryEncoding, Request, RetryClass, encode_path_segment, require};

/// `GET /integrations`.
pub fn list_integrations_request() -> Request {
    Request::new(Method::Get, "/integrations", RetryClass::Idempotent)
}

/// The server's answer to `GET /integrations`: `{data: [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IntegrationList {
    /// Integrations.
    #[cfg_attr(feature = "schema", schemars(with = "Vec<Integration>"))]
    pub data: Vec<Value>,
}

/// The Node SDK's re-wrapped shape `{configs: [...]}`, for drop-in bindings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LegacyIntegrationList {
    /// Integrations.
    #[cfg_attr(feature = "schema", schemars(with = "Vec<Integration>"))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

/// A provider of Nango's catalog, as `listProviders` / `getProvider` answer it (`data`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Provider {
    /// Provider name (e.g. `github`).
    pub name: String,
    /// Display name.
    #[serde(default)]
    pub display_name: String,
    /// How connections authenticate: `OAUTH2`, `API_KEY`, `BASIC`, … (open set).
    #[serde(default)]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::records::OpenEnum<AuthModes>")
    )]
    pub auth_mode: String,
    /// Catalog categories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<String>>,
    /// Documentation URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// Fields this version does not type.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The auth modes Nango's catalog names (for the schema; [`Provider::auth_mode`] stays open).
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[allow(dead_code, non_camel_case_types, clippy::upper_case_acronyms)]
enum AuthModes {
    OAUTH1,
    OAUTH2,
    OAUTH2_CC,
    BASIC,
    API_KEY,
    APP_STORE,
    CUSTOM,
    APP,
    NONE,
    TBA,
    JWT,
    BILL,
    TWO_STEP,
    SIGNATURE,
    INSTALL_PLUGIN,
}

/// The answer of `listProviders`: `{data: [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProviderList {
    /// Providers.
    pub data: Vec<Provider>,
}

/// The answer of `getProvider`: `{data: {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProviderResponse {
    /// The provider.
    pub data: Provider,
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

// ---- integration administration and provider templates ---------------------------------------

/// An integration as the administration endpoints describe it (`data` of their answers).
/// `Debug` lists the names of [`Integration::extra`] but not their values.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Integration {
    /// Integration id (provider config key).
    pub unique_key: String,
    /// Display name.
    #[serde(default)]
    pub display_name: String,
    /// Provider name (e.g. `github`).
    pub provider: String,
    /// URL of the logo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// Creation time (ISO 8601).
    #[serde(default)]
    pub created_at: String,
    /// Last change (ISO 8601).
    #[serde(default)]
    pub updated_at: String,
    /// Whether webhooks from the provider are forwarded to the app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_webhooks: Option<bool>,
    /// Where the provider sends its webhooks (with `include=webhook`), or null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    /// The developer app's credentials (with `include=credentials`), discriminated by `type`.
    /// Kept as JSON; `Debug` hides it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<Map<String, Value>>"))]
    pub credentials: Option<Value>,
    /// Fields this version does not type.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl std::fmt::Debug for Integration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Integration")
            .field("unique_key", &self.unique_key)
            .field("display_name", &self.display_name)
            .field("provider", &self.provider)
            .field("logo", &self.logo)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .field("forward_webhooks", &self.forward_webhooks)
            .field("webhook_url", &self.webhook_url)
            .field(
                "credentials",
                &self.credentials.as_ref().map(|_| "<redacted>"),
            )
            .field("extra", &self.extra.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The answer of `createIntegration`, `createQuickstartIntegration` and `updateIntegration`:
/// `{data: {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IntegrationResponse {
    /// The integration. A one-element array is read as its element too (Nango's published
    /// schema of the quickstart answer says array; the server sends an object).
    #[serde(deserialize_with = "object_or_single")]
    pub data: Integration,
}

fn object_or_single<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Integration, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrList {
        One(Box<Integration>),
        List(Vec<Integration>),
    }
    match OneOrList::deserialize(deserializer)? {
        OneOrList::One(one) => Ok(*one),
        OneOrList::List(list) if list.len() == 1 => list
            .into_iter()
            .next()
            .ok_or_else(|| serde::de::Error::custom("expected one integration, got an empty list")),
        OneOrList::List(list) => Err(serde::de::Error::custom(format!(
            "expected one integration, got {}",
            list.len()
        ))),
    }
}

/// `{success}`: the answer of `deleteIntegration`, and `data` of `deleteFunction`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Deletion {
    /// Whether the server deleted (or queued the deletion of) the object.
    pub success: bool,
}

/// Client id and secret of an OAuth 1, OAuth 2 or TBA developer app.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientCredentials {
    /// Client id.
    pub client_id: String,
    /// Client secret.
    pub client_secret: String,
    /// Comma-separated scopes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<String>,
    /// Secret the provider signs its webhooks with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_secret: Option<String>,
}

/// A GitHub-style app: id, installation link and private key (PEM).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppCredentials {
    /// App id.
    pub app_id: String,
    /// App installation link.
    pub app_link: String,
    /// Private key (PEM).
    pub private_key: String,
}

/// An app with both OAuth client credentials and app credentials.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomCredentials {
    /// Client id.
    pub client_id: String,
    /// Client secret.
    pub client_secret: String,
    /// App id.
    pub app_id: String,
    /// App installation link.
    pub app_link: String,
    /// Private key (PEM).
    pub private_key: String,
}

/// The developer app of an integration, discriminated by `type` on the wire. `Debug` shows the
/// type only.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum IntegrationCredentials {
    /// `OAUTH1`
    #[serde(rename = "OAUTH1")]
    OAuth1(ClientCredentials),
    /// `OAUTH2`
    #[serde(rename = "OAUTH2")]
    OAuth2(ClientCredentials),
    /// `TBA`
    #[serde(rename = "TBA")]
    Tba(ClientCredentials),
    /// `APP`
    #[serde(rename = "APP")]
    App(AppCredentials),
    /// `CUSTOM`
    #[serde(rename = "CUSTOM")]
    Custom(CustomCredentials),
}

impl IntegrationCredentials {
    /// The wire `type`.
    pub fn kind(&self) -> &'static str {
        match self {
            IntegrationCredentials::OAuth1(_) => "OAUTH1",
            IntegrationCredentials::OAuth2(_) => "OAUTH2",
            IntegrationCredentials::Tba(_) => "TBA",
            IntegrationCredentials::App(_) => "APP",
            IntegrationCredentials::Custom(_) => "CUSTOM",
        }
    }
}

impl std::fmt::Debug for IntegrationCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IntegrationCredentials::{}(<redacted>)", self.kind())
    }
}

/// The body of `createIntegration` (`POST /integrations`). Keys this version does not know go in
/// [`CreateIntegrationParams::extra`] and are sent as given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateIntegrationParams {
    /// Provider name (e.g. `github`).
    pub provider: String,
    /// The new integration's id.
    pub unique_key: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The developer app's credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<IntegrationCredentials>,
    /// Forward the provider's webhooks (the server's default is true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_webhooks: Option<bool>,
    /// Provider-specific settings, for providers that declare them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration_config: Option<OrderedMap<String>>,
    /// Custom settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<OrderedMap<String>>,
    /// Other keys, passed through.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CreateIntegrationParams {
    /// An integration `unique_key` of `provider`, with the server's defaults for the rest.
    pub fn new(provider: impl Into<String>, unique_key: impl Into<String>) -> Self {
        CreateIntegrationParams {
            provider: provider.into(),
            unique_key: unique_key.into(),
            ..Default::default()
        }
    }

    /// Sets the display name.
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Sets the developer app's credentials.
    pub fn credentials(mut self, credentials: IntegrationCredentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Sets whether the provider's webhooks are forwarded.
    pub fn forward_webhooks(mut self, forward: bool) -> Self {
        self.forward_webhooks = Some(forward);
        self
    }

    /// Adds one provider-specific setting.
    pub fn integration_config(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.integration_config
            .get_or_insert_with(OrderedMap::new)
            .insert(key, value.into());
        self
    }

    /// Adds one custom setting.
    pub fn custom(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.custom
            .get_or_insert_with(OrderedMap::new)
            .insert(key, value.into());
        self
    }
}

/// The body of `createQuickstartIntegration` (`POST /integrations/quickstart`): an integration
/// that uses Nango's own developer app, so it takes no credentials.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickstartIntegrationParams {
    /// Provider name.
    pub provider: String,
    /// The new integration's id.
    pub unique_key: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Forward the provider's webhooks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_webhooks: Option<bool>,
    /// Other keys, passed through.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl QuickstartIntegrationParams {
    /// An integration `unique_key` of `provider`.
    pub fn new(provider: impl Into<String>, unique_key: impl Into<String>) -> Self {
        QuickstartIntegrationParams {
            provider: provider.into(),
            unique_key: unique_key.into(),
            ..Default::default()
        }
    }

    /// Sets the display name.
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Sets whether the provider's webhooks are forwarded.
    pub fn forward_webhooks(mut self, forward: bool) -> Self {
        self.forward_webhooks = Some(forward);
        self
    }
}

/// The body of `updateIntegration` (`PATCH /integrations/:uniqueKey`): only the fields set are
/// changed. Setting [`IntegrationUpdate::unique_key`] renames the integration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IntegrationUpdate {
    /// A new id for the integration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique_key: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The developer app's credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<IntegrationCredentials>,
    /// Forward the provider's webhooks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_webhooks: Option<bool>,
    /// Provider-specific settings (only the keys given change).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration_config: Option<OrderedMap<String>>,
    /// Custom settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<OrderedMap<String>>,
    /// Other keys, passed through.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl IntegrationUpdate {
    /// Renames the integration.
    pub fn unique_key(mut self, key: impl Into<String>) -> Self {
        self.unique_key = Some(key.into());
        self
    }

    /// Sets the display name.
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Replaces the developer app's credentials.
    pub fn credentials(mut self, credentials: IntegrationCredentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Sets whether the provider's webhooks are forwarded.
    pub fn forward_webhooks(mut self, forward: bool) -> Self {
        self.forward_webhooks = Some(forward);
        self
    }
}

/// `POST /integrations`. Not retried after the request may have reached the server: a repeat
/// of a create that succeeded would fail with "unique key already exists".
pub fn create_integration_request(params: &CreateIntegrationParams) -> Result<Request> {
    require("provider", &params.provider)?;
    require("unique_key", &params.unique_key)?;
    Request::new(Method::Post, "/integrations", RetryClass::TriggerAction).json_body(params)
}

/// `POST /integrations/quickstart` (retried like [`create_integration_request`]).
pub fn create_quickstart_integration_request(
    params: &QuickstartIntegrationParams,
) -> Result<Request> {
    require("provider", &params.provider)?;
    require("unique_key", &params.unique_key)?;
    Request::new(
        Method::Post,
        "/integrations/quickstart",
        RetryClass::TriggerAction,
    )
    .json_body(params)
}

/// `PATCH /integrations/:uniqueKey`. Idempotent unless it renames the integration (a repeat of a
/// rename that succeeded would address a key that no longer exists).
pub fn update_integration_request(
    unique_key: &str,
    changes: &IntegrationUpdate,
) -> Result<Request> {
    require("unique_key", unique_key)?;
    let retry = if changes.unique_key.is_some() {
        RetryClass::TriggerAction
    } else {
        RetryClass::Idempotent
    };
    let path = format!("/integrations/{}", encode_path_segment(unique_key));
    Request::new(Method::Patch, path, retry).json_body(changes)
}

/// `DELETE /integrations/:uniqueKey`.
pub fn delete_integration_request(unique_key: &str) -> Result<Request> {
    require("unique_key", unique_key)?;
    Ok(Request::new(
        Method::Delete,
        format!("/integrations/{}", encode_path_segment(unique_key)),
        RetryClass::Idempotent,
    ))
}

/// `GET /providers/:provider/templates`.
pub fn get_provider_templates_request(provider: &str) -> Result<Request> {
    require("provider", provider)?;
    Ok(Request::new(
        Method::Get,
        format!("/providers/{}/templates", encode_path_segment(provider)),
        RetryClass::Idempotent,
    ))
}

/// The answer of `getProviderTemplates`: the catalog's sync and action templates of a provider
/// (without deployment fields). An unknown provider has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProviderTemplates {
    /// Templates.
    pub data: Vec<NangoFunction>,
}

impl Nango {
    /// Creates an integration (`createIntegration`, `POST /integrations`).
    ///
    /// ```no_run
    /// # async fn demo(nango: &nango::Nango) -> nango::Result<()> {
    /// use nango::{ClientCredentials, CreateIntegrationParams, IntegrationCredentials};
    /// let app = ClientCredentials {
    ///     client_id: "id".into(),
    ///     client_secret: "secret".into(),
    ///     scopes: Some("repo,user".into()),
    ///     webhook_secret: None,
    /// };
    /// let created = nango
    ///     .create_integration(
    ///         &CreateIntegrationParams::new("github", "github-prod")
    ///             .display_name("GitHub")
    ///             .credentials(IntegrationCredentials::OAuth2(app)),
    ///     )
    ///     .await?;
    /// println!("{}", created.data.unique_key);
    /// # Ok(()) }
    /// ```
    pub async fn create_integration(
        &self,
        params: &CreateIntegrationParams,
    ) -> Result<IntegrationResponse> {
        self.send_json(&create_integration_request(params)?).await
    }

    /// Creates an integration on Nango's own developer app (`createQuickstartIntegration`,
    /// `POST /integrations/quickstart`); only for providers that need a developer app.
    pub async fn create_quickstart_integration(
        &self,
        params: &QuickstartIntegrationParams,
    ) -> Result<IntegrationResponse> {
        self.send_json(&create_quickstart_integration_request(params)?)
            .await
    }

    /// Changes an integration (`updateIntegration`, `PATCH /integrations/:uniqueKey`); returns
    /// it as it is now.
    pub async fn update_integration(
        &self,
        unique_key: &str,
        changes: &IntegrationUpdate,
    ) -> Result<IntegrationResponse> {
        self.send_json(&update_integration_request(unique_key, changes)?)
            .await
    }

    /// Deletes an integration and its connections (`deleteIntegration`,
    /// `DELETE /integrations/:uniqueKey`). An unknown key fails with code `not_found`.
    ///
    /// The official Node SDK returns the whole HTTP response here; a binding that mirrors it
    /// sends [`delete_integration_request`] with [`Nango::send`] instead.
    pub async fn delete_integration(&self, unique_key: &str) -> Result<Deletion> {
        self.send_json(&delete_integration_request(unique_key)?)
            .await
    }

    /// The sync and action templates the catalog offers for a provider (`getProviderTemplates`,
    /// `GET /providers/:provider/templates`).
    pub async fn get_provider_templates(&self, provider: &str) -> Result<ProviderTemplates> {
        self.send_json(&get_provider_templates_request(provider)?)
            .await
    }
}
