//! Connections (docs/protocol.md §2.2, §2.4): list, get (and the token/metadata views of it), patch,
//! delete, and connection metadata.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::Nango;
use crate::error::{Error, Result};
use crate::ordered_map::OrderedMap;
use crate::request::{Method, QueryEncoding, Request, RetryClass, encode_path_segment, require};

/// Arguments of `listConnections`, both the object form and the legacy positional form
/// (`connectionId`, `search`, `endUserId`, `endUserOrganizationId`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ListConnectionsParams {
    /// Exact connection id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    /// Legacy free-text search.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    /// End-user id (sent as `endUserId`; the legacy form's `endUserId` is accepted too).
    #[serde(skip_serializing_if = "Option::is_none", alias = "endUserId")]
    pub user_id: Option<String>,
    /// Legacy end-user organisation filter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_user_organization_id: Option<String>,
    /// Integration ids, sent joined with `,`.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "one_or_many"
    )]
    pub integration_id: Vec<String>,
    /// Tag filters: `displayName` and `email` map to the end-user tags, other keys are
    /// lower-cased; each is sent as `tags[<key>]=<value>` in the given order.
    #[serde(skip_serializing_if = "OrderedMap::is_empty")]
    pub tags: OrderedMap<String>,
    /// Page size (1..=2000); 0 or unset is not sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Page number; 0 or unset is not sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

/// `GET /connections`.
pub fn list_connections_request(params: &ListConnectionsParams) -> Result<Request> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    // Empty strings are skipped like the Node SDK's truthiness checks do.
    let optional = [
        ("connectionId", &params.connection_id),
        ("search", &params.search),
        ("endUserId", &params.user_id),
        ("endUserOrganizationId", &params.end_user_organization_id),
    ];
    for (name, value) in optional {
        if let Some(value) = value.as_ref().filter(|v| !v.is_empty()) {
            pairs.push((name.to_owned(), value.clone()));
        }
    }
    if !params.integration_id.is_empty() {
        pairs.push(("integrationId".to_owned(), params.integration_id.join(",")));
    }
    for (key, value) in params.tags.iter() {
        let name = match key {
            "displayName" => "tags[end_user_display_name]".to_owned(),
            "email" => "tags[end_user_email]".to_owned(),
            other => format!("tags[{}]", other.to_lowercase()),
        };
        pairs.push((name, value.clone()));
    }
    if let Some(limit) = params.limit.filter(|&n| n > 0) {
        pairs.push(("limit".to_owned(), limit.to_string()));
    }
    if let Some(page) = params.page.filter(|&n| n > 0) {
        pairs.push(("page".to_owned(), page.to_string()));
    }
    Ok(pairs.iter().fold(
        Request::new(Method::Get, "/connections", RetryClass::Idempotent),
        |request, (name, value)| request.query(name, value, QueryEncoding::Form),
    ))
}

pub(crate) fn one_or_many<'de, D, T>(deserializer: D) -> std::result::Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany<T> {
        One(T),
        Many(Vec<T>),
    }
    Ok(match Option::<OneOrMany<T>>::deserialize(deserializer)? {
        None => Vec::new(),
        Some(OneOrMany::One(one)) => vec![one],
        Some(OneOrMany::Many(many)) => many,
    })
}

/// The answer of `GET /connections`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConnectionList {
    /// Connections (without credentials).
    pub connections: Vec<ConnectionSummary>,
}

/// One entry of [`ConnectionList`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConnectionSummary {
    /// Internal numeric id.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "u64"))]
    pub id: Value,
    /// Connection id.
    pub connection_id: String,
    /// Integration id.
    pub provider_config_key: String,
    /// Provider name.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub provider: Option<String>,
    /// Creation time (ISO 8601).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub created: Option<String>,
    /// Metadata.
    #[serde(default)]
    pub metadata: Option<Value>,
    /// Errors `[{type, log_id}]`.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<ConnectionErrorEntry>"))]
    pub errors: Vec<Value>,
    /// End user (deprecated by Nango in favour of tags).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<ConnectionEndUser>"))]
    pub end_user: Option<Value>,
    /// Tags.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Tags"))]
    pub tags: Option<Value>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, Value>,
}

/// `tags` of a connection: string keys to string values (may be empty).
#[cfg(feature = "schema")]
type Tags = std::collections::BTreeMap<String, String>;

/// One entry of a connection's `errors`: which kind of run failed and the log to read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct ConnectionErrorEntry {
    /// `auth` or `sync`.
    #[serde(rename = "type")]
    pub error_type: String,
    /// The id of the log entry that tells what failed.
    pub log_id: String,
}

/// `end_user` of a connection (the connect session's end user, as stored).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConnectionEndUser {
    /// Your id for the user.
    #[serde(default)]
    pub id: String,
    /// Email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<Tags>"))]
    pub tags: Option<Value>,
    /// The user's organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<crate::connect::Organization>,
    /// Fields this version does not type.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, Value>,
}

/// Arguments of `getConnection` (and `getToken`, `getMetadata`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GetConnectionParams {
    /// Integration id.
    pub provider_config_key: String,
    /// Connection id.
    pub connection_id: String,
    /// Refresh the access token even if it is still valid.
    #[serde(deserialize_with = "null_is_false")]
    pub force_refresh: bool,
    /// Include the refresh token.
    #[serde(deserialize_with = "null_is_false")]
    pub refresh_token: bool,
    /// Refresh a GitHub App JWT.
    #[serde(deserialize_with = "null_is_false")]
    pub refresh_github_app_jwt_token: bool,
}

/// A flag that may be given as `null` (the SDKs' "not given").
fn null_is_false<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(deserializer)?.unwrap_or(false))
}

impl GetConnectionParams {
    /// No refresh, no refresh token.
    pub fn new(provider_config_key: impl Into<String>, connection_id: impl Into<String>) -> Self {
        GetConnectionParams {
            provider_config_key: provider_config_key.into(),
            connection_id: connection_id.into(),
            ..Default::default()
        }
    }
}

fn bool_text(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

/// `GET /connections/:id` with all three booleans always sent as `true`/`false`.
pub fn get_connection_request(params: &GetConnectionParams) -> Result<Request> {
    require("provider_config_key", &params.provider_config_key)?;
    require("connection_id", &params.connection_id)?;
    let axios = QueryEncoding::Axios;
    let path = format!(
        "/connections/{}",
        encode_path_segment(&params.connection_id)
    );
    Ok(Request::new(Method::Get, path, RetryClass::Idempotent)
        .query("provider_config_key", &params.provider_config_key, axios)
        .query("force_refresh", bool_text(params.force_refresh), axios)
        .query("refresh_token", bool_text(params.refresh_token), axios)
        .query(
            "refresh_github_app_jwt_token",
            bool_text(params.refresh_github_app_jwt_token),
            axios,
        ))
}

/// `getToken`'s request: [`get_connection_request`] that never asks for the refresh token,
/// whatever `params.refresh_token` says (the Node SDK's `getToken` does not send it either, and
/// a token getter has no use for it). Every binding's `getToken` goes through here.
pub fn get_token_request(params: &GetConnectionParams) -> Result<Request> {
    get_connection_request(&GetConnectionParams {
        refresh_token: false,
        ..params.clone()
    })
}

/// A connection as `GET /connections/:id` returns it. `Debug` hides `credentials`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Connection {
    /// Internal numeric id.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "u64"))]
    pub id: Value,
    /// Connection id.
    pub connection_id: String,
    /// Integration id.
    pub provider_config_key: String,
    /// Provider name.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub provider: Option<String>,
    /// Provider-specific configuration.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "serde_json::Map<String, Value>"))]
    pub connection_config: Option<Value>,
    /// Metadata (free-form).
    #[serde(default)]
    pub metadata: Option<Value>,
    /// Credentials, discriminated by `type` (see [`Token::from_credentials`]).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "serde_json::Map<String, Value>"))]
    pub credentials: Option<Value>,
    /// Creation time (ISO 8601).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub created_at: Option<String>,
    /// Last change (ISO 8601).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub updated_at: Option<String>,
    /// When the credentials were last read (ISO 8601), or null.
    #[serde(default)]
    pub last_fetched_at: Option<String>,
    /// Errors of the last runs: `[{type, log_id}]`.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<ConnectionErrorEntry>"))]
    pub errors: Vec<Value>,
    /// End user (deprecated by Nango in favour of tags).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<ConnectionEndUser>"))]
    pub end_user: Option<Value>,
    /// Tags.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Tags"))]
    pub tags: Option<Value>,
    /// The webhook URL that replaces the environment's for this connection, or null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url_override: Option<String>,
    /// Fields this version does not type.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, Value>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("id", &self.id)
            .field("connection_id", &self.connection_id)
            .field("provider_config_key", &self.provider_config_key)
            .field("provider", &self.provider)
            .field(
                "credentials",
                &self.credentials.as_ref().map(|_| "<redacted>"),
            )
            .finish_non_exhaustive()
    }
}

/// What `getToken` returns, by credential type. `Debug` hides the secrets.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Token {
    /// OAUTH2: the access token.
    AccessToken(String),
    /// OAUTH1: token and secret (serialised as `{oAuthToken, oAuthTokenSecret}`).
    OAuth1 {
        /// `oauth_token`
        #[serde(rename = "oAuthToken")]
        oauth_token: String,
        /// `oauth_token_secret`
        #[serde(rename = "oAuthTokenSecret")]
        oauth_token_secret: String,
    },
    /// Any other type: the whole credentials object.
    Credentials(Value),
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Token::AccessToken(_) => "Token::AccessToken(<redacted>)",
            Token::OAuth1 { .. } => "Token::OAuth1(<redacted>)",
            Token::Credentials(_) => "Token::Credentials(<redacted>)",
        })
    }
}

impl Token {
    /// The Node SDK's mapping: OAUTH2 → `access_token`, OAUTH1 → token and secret, else the
    /// credentials object as is.
    pub fn from_credentials(credentials: Value) -> Result<Token> {
        let kind = credentials.get("type").and_then(Value::as_str);
        let text = |key: &str| {
            credentials
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        match kind {
            Some("OAUTH2") => text("access_token").map(Token::AccessToken).ok_or_else(|| {
                Error::invalid_argument("credentials", "OAUTH2 credentials without access_token")
            }),
            Some("OAUTH1") => match (text("oauth_token"), text("oauth_token_secret")) {
                (Some(oauth_token), Some(oauth_token_secret)) => Ok(Token::OAuth1 {
                    oauth_token,
                    oauth_token_secret,
                }),
                _ => Err(Error::invalid_argument(
                    "credentials",
                    "OAUTH1 credentials without oauth_token/oauth_token_secret",
                )),
            },
            _ => Ok(Token::Credentials(credentials)),
        }
    }
}

/// What `getRawTokenResponse` returns: the provider's own token answer (`credentials.raw`),
/// kept as JSON. `Debug` hides it (it holds the tokens).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RawTokenResponse(pub Value);

impl std::fmt::Debug for RawTokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RawTokenResponse(<redacted>)")
    }
}

/// Arguments of `deleteConnection` and the base of `patchConnection`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ConnectionRef {
    /// Integration id.
    #[serde(alias = "provider_config_key")]
    pub provider_config_key: String,
    /// Connection id.
    #[serde(alias = "connection_id")]
    pub connection_id: String,
}

impl ConnectionRef {
    /// Both ids.
    pub fn new(provider_config_key: impl Into<String>, connection_id: impl Into<String>) -> Self {
        ConnectionRef {
            provider_config_key: provider_config_key.into(),
            connection_id: connection_id.into(),
        }
    }
}

fn connection_url_request(method: Method, target: &ConnectionRef) -> Result<Request> {
    require("provider_config_key", &target.provider_config_key)?;
    require("connection_id", &target.connection_id)?;
    let path = format!(
        "/connections/{}",
        encode_path_segment(&target.connection_id)
    );
    Ok(Request::new(method, path, RetryClass::Idempotent).query(
        "provider_config_key",
        &target.provider_config_key,
        QueryEncoding::Url,
    ))
}

/// `DELETE /connections/:id?provider_config_key=…`. Idempotent in effect; a repeat after a lost
/// answer reports `unknown_connection`.
pub fn delete_connection_request(target: &ConnectionRef) -> Result<Request> {
    connection_url_request(Method::Delete, target)
}

/// Arguments of `patchConnection`: which connection, and the fields to change
/// (`end_user`, `tags`, `webhook_url_override`; passed through as given).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PatchConnectionParams {
    /// Integration id.
    #[serde(alias = "provider_config_key")]
    pub provider_config_key: String,
    /// Connection id.
    #[serde(alias = "connection_id")]
    pub connection_id: String,
    /// The PATCH body.
    pub body: Value,
}

/// `PATCH /connections/:id?provider_config_key=…`.
pub fn patch_connection_request(params: &PatchConnectionParams) -> Result<Request> {
    let target = ConnectionRef::new(&params.provider_config_key, &params.connection_id);
    let body = if params.body.is_null() {
        Value::Object(Default::default())
    } else {
        params.body.clone()
    };
    connection_url_request(Method::Patch, &target)?.json_body(&body)
}

/// One connection id or several (metadata calls accept both).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ConnectionIds {
    /// One id.
    One(String),
    /// Several ids.
    Many(Vec<String>),
}

impl Default for ConnectionIds {
    fn default() -> Self {
        ConnectionIds::One(String::new())
    }
}

impl From<&str> for ConnectionIds {
    fn from(value: &str) -> Self {
        ConnectionIds::One(value.to_owned())
    }
}

impl From<Vec<String>> for ConnectionIds {
    fn from(value: Vec<String>) -> Self {
        ConnectionIds::Many(value)
    }
}

/// Arguments of `setMetadata` / `updateMetadata`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MetadataParams {
    /// Integration id.
    pub provider_config_key: String,
    /// One connection id or several.
    pub connection_id: ConnectionIds,
    /// The metadata object.
    pub metadata: Value,
}

#[derive(Serialize)]
struct MetadataBody<'a> {
    metadata: &'a Value,
    connection_id: &'a ConnectionIds,
    provider_config_key: &'a str,
}

fn metadata_request(method: Method, params: &MetadataParams) -> Result<Request> {
    require("provider_config_key", &params.provider_config_key)?;
    match &params.connection_id {
        ConnectionIds::One(id) => require("connection_id", id)?,
        ConnectionIds::Many(ids) if ids.is_empty() => {
            return Err(Error::invalid_argument(
                "connection_id",
                "must not be empty",
            ));
        }
        ConnectionIds::Many(_) => {}
    }
    if !params.metadata.is_object() {
        return Err(Error::invalid_argument("metadata", "must be an object"));
    }
    // Replacing (POST) or merging (PATCH) the same metadata twice gives the same result.
    Request::new(method, "/connections/metadata", RetryClass::Idempotent).json_body(&MetadataBody {
        metadata: &params.metadata,
        connection_id: &params.connection_id,
        provider_config_key: &params.provider_config_key,
    })
}

/// `POST /connections/metadata` (replaces).
pub fn set_metadata_request(params: &MetadataParams) -> Result<Request> {
    metadata_request(Method::Post, params)
}

/// `PATCH /connections/metadata` (merges).
pub fn update_metadata_request(params: &MetadataParams) -> Result<Request> {
    metadata_request(Method::Patch, params)
}

impl Nango {
    /// Lists connections (`GET /connections`).
    pub async fn list_connections(&self, params: &ListConnectionsParams) -> Result<ConnectionList> {
        self.send_json(&list_connections_request(params)?).await
    }

    /// One connection with its credentials (`GET /connections/:id`).
    pub async fn get_connection(&self, params: &GetConnectionParams) -> Result<Connection> {
        self.send_json(&get_connection_request(params)?).await
    }

    /// The connection's token, mapped by credential type (see [`Token::from_credentials`]).
    /// `params.refresh_token` is ignored: see [`get_token_request`].
    pub async fn get_token(&self, params: &GetConnectionParams) -> Result<Token> {
        let connection: Connection = self.send_json(&get_token_request(params)?).await?;
        let credentials = connection
            .credentials
            .ok_or_else(|| Error::invalid_argument("credentials", "the connection has none"))?;
        Token::from_credentials(credentials)
    }

    /// The provider's raw token answer as Nango stored it (`getRawTokenResponse`):
    /// `credentials.raw` of the connection, `None` when the credentials have no `raw` (API keys,
    /// basic auth…). Sends the same request as [`Nango::get_token`], so `params.refresh_token` is
    /// ignored.
    pub async fn get_raw_token_response(
        &self,
        params: &GetConnectionParams,
    ) -> Result<Option<RawTokenResponse>> {
        let connection: Connection = self.send_json(&get_token_request(params)?).await?;
        Ok(connection
            .credentials
            .and_then(|mut credentials| credentials.get_mut("raw").map(Value::take))
            .map(RawTokenResponse))
    }

    /// The connection's metadata (`null` when it has none).
    pub async fn get_metadata(&self, target: &ConnectionRef) -> Result<Value> {
        let params = GetConnectionParams::new(&target.provider_config_key, &target.connection_id);
        let connection = self.get_connection(&params).await?;
        Ok(connection.metadata.unwrap_or(Value::Null))
    }

    /// Replaces metadata (`POST /connections/metadata`); returns the server's echo.
    pub async fn set_metadata(&self, params: &MetadataParams) -> Result<Value> {
        self.send_json(&set_metadata_request(params)?).await
    }

    /// Merges metadata (`PATCH /connections/metadata`); returns the server's echo.
    pub async fn update_metadata(&self, params: &MetadataParams) -> Result<Value> {
        self.send_json(&update_metadata_request(params)?).await
    }

    /// Changes end user, tags or webhook override (`PATCH /connections/:id`).
    pub async fn patch_connection(&self, params: &PatchConnectionParams) -> Result<Value> {
        self.send_json(&patch_connection_request(params)?).await
    }

    /// Deletes a connection (`DELETE /connections/:id`); returns the body (`{success}`).
    pub async fn delete_connection(&self, target: &ConnectionRef) -> Result<Value> {
        self.send_json(&delete_connection_request(target)?).await
    }
}
