//! The proxy (docs/protocol.md §2.5): any method to `/proxy/<endpoint>`, binary-safe both ways.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::actions::encode_path;
use crate::client::Nango;
use crate::error::{Error, Result};
use crate::ordered_map::OrderedMap;
use crate::request::{Method, QueryEncoding, Request, RetryClass, require};
use crate::response::{RawResponse, decode_json};

/// Query parameters of a proxy call: a ready query string, or an object whose values are
/// stringified (arrays comma-joined, like the Node SDK — docs/protocol.md §13, quirk 5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ProxyParams {
    /// `a=1&b=2`, appended as written.
    Text(String),
    /// Ordered key/value pairs.
    Object(OrderedMap<Value>),
}

/// A proxy request body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ProxyBody {
    /// Raw bytes, sent as they are.
    Bytes(Vec<u8>),
    /// Text, sent as UTF-8.
    Text(String),
    /// JSON; `Content-Type: application/json` is added unless a content type is set.
    Json(Value),
}

impl<'de> Deserialize<'de> for ProxyBody {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        // From JSON (vectors, bindings): a string is text, anything else JSON, as axios does.
        Ok(match Value::deserialize(deserializer)? {
            Value::String(text) => ProxyBody::Text(text),
            other => ProxyBody::Json(other),
        })
    }
}

/// Arguments of `proxy` (names as the Node SDK takes them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProxyConfig {
    /// HTTP method (default GET); any token, e.g. `PROPFIND`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Upstream path (a leading `/` is added when missing); may carry a query.
    pub endpoint: String,
    /// Integration id.
    pub provider_config_key: String,
    /// Connection id.
    pub connection_id: String,
    /// Headers for the upstream: each goes out as `Nango-Proxy-<name>`.
    #[serde(skip_serializing_if = "OrderedMap::is_empty")]
    pub headers: OrderedMap<String>,
    /// Query parameters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<ProxyParams>,
    /// Body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<ProxyBody>,
    /// Server-side retries (`Retries`), sent whenever set, 0 included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retries: Option<u32>,
    /// Upstream statuses the server retries on (`Retry-On`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_on: Option<Vec<u16>>,
    /// `Decompress`, sent whenever set, `false` included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decompress: Option<bool>,
    /// `Forward-Headers-On-Redirect`, sent whenever set, `false` included (docs/protocol.md §13, quirk 3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forward_headers_on_redirect: Option<bool>,
    /// `Base-Url-Override`, only when set (docs/protocol.md §13, quirk 2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url_override: Option<String>,
    /// `Nango-Activity-Log-Id`, only when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_log_id: Option<String>,
}

fn param_text(value: &Value) -> String {
    // JS `String(value)`: arrays comma-joined (recursively), null as "null".
    match value {
        Value::String(text) => text.clone(),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::Null => String::new(),
                other => param_text(other),
            })
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) => "[object Object]".to_owned(),
        other => other.to_string(),
    }
}

/// `<METHOD> /proxy/<endpoint>`.
///
/// Retry class: GET is idempotent; any other method only retries when never sent or on 429
/// (the upstream API's idempotency is unknown). Ask the server to retry with `retries` instead.
pub fn proxy_request(config: &ProxyConfig) -> Result<Request> {
    require("provider_config_key", &config.provider_config_key)?;
    require("connection_id", &config.connection_id)?;
    let method = Method::parse(config.method.as_deref().unwrap_or("GET"))?;
    let class = if method == Method::Get {
        RetryClass::Idempotent
    } else {
        RetryClass::TriggerAction
    };
    let (endpoint, endpoint_query) = match config.endpoint.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (config.endpoint.as_str(), None),
    };
    let separator = if endpoint.starts_with('/') { "" } else { "/" };
    let path = format!("/proxy{separator}{}", encode_path(endpoint));
    let mut request = Request::new(method, path, class);
    if let Some(query) = endpoint_query.filter(|q| !q.is_empty()) {
        request = request.query(query, "", QueryEncoding::Verbatim);
    }
    match &config.params {
        None => {}
        Some(ProxyParams::Text(text)) => {
            if endpoint_query.is_some() {
                return Err(Error::invalid_argument(
                    "params",
                    "the endpoint already has a query string",
                ));
            }
            let text = text.strip_prefix('?').unwrap_or(text);
            if !text.is_empty() {
                request = request.query(text, "", QueryEncoding::Verbatim);
            }
        }
        Some(ProxyParams::Object(pairs)) => {
            for (key, value) in pairs.iter() {
                request = request.query(key, &param_text(value), QueryEncoding::Form);
            }
        }
    }
    request = request
        .header("Connection-Id", &config.connection_id)?
        .header("Provider-Config-Key", &config.provider_config_key)?;
    if let Some(base) = config
        .base_url_override
        .as_deref()
        .filter(|b| !b.is_empty())
    {
        request = request.header("Base-Url-Override", base)?;
    }
    if let Some(id) = config.activity_log_id.as_deref().filter(|b| !b.is_empty()) {
        request = request.header(crate::client::ACTIVITY_LOG_ID_HEADER, id)?;
    }
    let mut content_type = None;
    for (name, value) in config.headers.iter() {
        request = request.header(&format!("Nango-Proxy-{name}"), value)?;
        if name.eq_ignore_ascii_case("content-type") {
            content_type = Some(value.clone());
        }
    }
    let body = match &config.data {
        None => None,
        Some(ProxyBody::Bytes(bytes)) => Some(bytes.clone()),
        Some(ProxyBody::Text(text)) => Some(text.as_bytes().to_vec()),
        Some(ProxyBody::Json(value)) => {
            if content_type.is_none() {
                content_type = Some("application/json".to_owned());
            }
            Some(serde_json::to_vec(value).map_err(|err| Error::Internal(err.to_string()))?)
        }
    };
    // The server reads the body by this header, so the caller's content type also goes
    // unprefixed.
    if let Some(content_type) = &content_type {
        request = request.header("Content-Type", content_type)?;
    }
    if let Some(retries) = config.retries {
        request = request.header("Retries", &retries.to_string())?;
    }
    if let Some(decompress) = config.decompress {
        request = request.header("Decompress", if decompress { "true" } else { "false" })?;
    }
    if let Some(codes) = config.retry_on.as_ref().filter(|c| !c.is_empty()) {
        let list = codes
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(",");
        request = request.header("Retry-On", &list)?;
    }
    if let Some(forward) = config.forward_headers_on_redirect {
        request = request.header(
            "Forward-Headers-On-Redirect",
            if forward { "true" } else { "false" },
        )?;
    }
    request.body = body;
    Ok(request)
}

/// The upstream's answer, passed through: status, headers, body bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyResponse {
    /// Status.
    pub status: u16,
    /// Headers (names lower-cased).
    pub headers: Vec<(String, String)>,
    /// Body bytes, untouched.
    pub body: Vec<u8>,
}

impl ProxyResponse {
    /// First header value with this name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body as JSON.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        decode_json(&RawResponse {
            status: self.status,
            headers: Vec::new(),
            body: self.body.clone(),
        })
    }
}

/// What a proxied answer's body holds, judged from its `Content-Type` (see [`body_kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// No body at all (a `HEAD`, a 204, an empty 200).
    Empty,
    /// JSON: `application/json` or any `…+json` type.
    Json,
    /// UTF-8 text: `text/*`, XML, JavaScript, form data, or any type with a UTF-8 or ASCII charset.
    Text,
    /// Anything else, and text in another charset: bytes for the caller to interpret.
    Binary,
}

/// Whether a `Content-Type` value names JSON: `application/json` or a `+json` suffix type such
/// as `application/vnd.api+json` (parameters and case ignored).
pub fn is_json_content_type(content_type: &str) -> bool {
    let essence = media_type(content_type);
    essence == "application/json" || essence.ends_with("+json")
}

/// The media type of a `Content-Type` value, lower-cased, without parameters.
fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// How a proxied answer's body should be handed to the caller: an empty body is [`BodyKind::Empty`]
/// whatever its type; otherwise the `Content-Type` decides. Text is only text in UTF-8 (or ASCII,
/// or no charset given); other charsets are [`BodyKind::Binary`], so nothing is mis-decoded.
pub fn body_kind(content_type: Option<&str>, body: &[u8]) -> BodyKind {
    if body.is_empty() {
        return BodyKind::Empty;
    }
    let Some(content_type) = content_type else {
        return BodyKind::Binary;
    };
    let charset = content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_ascii_lowercase())
    });
    let utf8 = match charset.as_deref() {
        None => true,
        Some(charset) => matches!(charset, "utf-8" | "utf8" | "us-ascii" | "ascii"),
    };
    if is_json_content_type(content_type) {
        // JSON is UTF-8 by definition (RFC 8259); a charset parameter does not change that.
        return BodyKind::Json;
    }
    let essence = media_type(content_type);
    let textual = essence.starts_with("text/")
        || essence.ends_with("+xml")
        || matches!(
            essence.as_str(),
            "application/xml" | "application/javascript" | "application/x-www-form-urlencoded"
        )
        || charset.is_some();
    if textual && utf8 {
        BodyKind::Text
    } else {
        BodyKind::Binary
    }
}

impl ProxyResponse {
    /// [`body_kind`] of this answer (its `Content-Type` and body).
    pub fn body_kind(&self) -> BodyKind {
        body_kind(self.header("content-type"), &self.body)
    }

    /// The body as checked JSON text, for a binding's own decoder: a body labelled JSON that is
    /// not (or not UTF-8) is [`Error::Decode`] with the status and the start of the body.
    pub fn json_text(&self) -> Result<&str> {
        let fail = |message: String| {
            crate::response::decode_error(
                &RawResponse {
                    status: self.status,
                    headers: Vec::new(),
                    body: self.body.clone(),
                },
                message,
            )
        };
        let text = std::str::from_utf8(&self.body)
            .map_err(|err| fail(format!("a JSON answer that is not UTF-8: {err}")))?;
        serde_json::from_str::<serde::de::IgnoredAny>(text)
            .map_err(|err| fail(format!("an answer labelled JSON that is not: {err}")))?;
        Ok(text)
    }
}

impl From<RawResponse> for ProxyResponse {
    fn from(raw: RawResponse) -> Self {
        ProxyResponse {
            status: raw.status,
            headers: raw.headers,
            body: raw.body,
        }
    }
}

impl Nango {
    /// Calls the upstream API through Nango. A non-2xx answer is an [`Error::Api`] whose
    /// `payload` holds the upstream body (JSON, or text), like the Node SDK's axios error.
    pub async fn proxy(&self, config: &ProxyConfig) -> Result<ProxyResponse> {
        Ok(self.send(&self.proxy_request(config)?).await?.into())
    }

    /// [`proxy_request`] with this client's [`Scope`](crate::client::Scope): an empty
    /// `provider_config_key` / `connection_id` / `activity_log_id` takes the client's default.
    pub fn proxy_request(&self, config: &ProxyConfig) -> Result<Request> {
        let scope = &self.config().scope;
        let needs = |value: &str, default: &Option<String>| value.is_empty() && default.is_some();
        let activity = config.activity_log_id.as_deref().unwrap_or("");
        if !needs(&config.provider_config_key, &scope.provider_config_key)
            && !needs(&config.connection_id, &scope.connection_id)
            && !needs(activity, &scope.activity_log_id)
        {
            return proxy_request(config);
        }
        let mut filled = config.clone();
        scope.fill(&mut filled.provider_config_key, &mut filled.connection_id);
        if activity.is_empty() {
            filled.activity_log_id.clone_from(&scope.activity_log_id);
        }
        proxy_request(&filled)
    }

    /// [`Nango::proxy`] with `GET` (the official SDK's `get`): `config.method` is ignored.
    pub async fn get(&self, config: &ProxyConfig) -> Result<ProxyResponse> {
        self.proxy_with_method(config, "GET").await
    }

    /// [`Nango::proxy`] with `POST`.
    pub async fn post(&self, config: &ProxyConfig) -> Result<ProxyResponse> {
        self.proxy_with_method(config, "POST").await
    }

    /// [`Nango::proxy`] with `PUT`.
    pub async fn put(&self, config: &ProxyConfig) -> Result<ProxyResponse> {
        self.proxy_with_method(config, "PUT").await
    }

    /// [`Nango::proxy`] with `PATCH`.
    pub async fn patch(&self, config: &ProxyConfig) -> Result<ProxyResponse> {
        self.proxy_with_method(config, "PATCH").await
    }

    /// [`Nango::proxy`] with `DELETE`.
    pub async fn delete(&self, config: &ProxyConfig) -> Result<ProxyResponse> {
        self.proxy_with_method(config, "DELETE").await
    }

    async fn proxy_with_method(&self, config: &ProxyConfig, method: &str) -> Result<ProxyResponse> {
        let config = ProxyConfig {
            method: Some(method.to_owned()),
            ..config.clone()
        };
        self.proxy(&config).await
    }

    /// Like [`Nango::proxy`], but any final status is returned as a [`ProxyResponse`] with the
    /// upstream body untouched (binary-safe error bodies too).
    pub async fn proxy_any_status(&self, config: &ProxyConfig) -> Result<ProxyResponse> {
        Ok(self
            .send_any_status(&self.proxy_request(config)?)
            .await?
            .into())
    }
}

#[cfg(test)]
mod tests {
    use super::{BodyKind, body_kind, is_json_content_type};

    #[test]
    fn json_is_application_json_or_a_json_suffix() {
        assert!(is_json_content_type("application/json"));
        assert!(is_json_content_type("Application/JSON; charset=utf-8"));
        assert!(is_json_content_type("application/vnd.api+json"));
        assert!(is_json_content_type(
            "application/problem+json;charset=UTF-8"
        ));
        assert!(!is_json_content_type("text/json-ish"));
        assert!(!is_json_content_type("application/jsonl"));
        assert!(!is_json_content_type("text/plain; note=application/json"));
    }

    #[test]
    fn the_content_type_decides_the_body_kind() {
        let body = b"x".as_slice();
        assert_eq!(body_kind(Some("application/json"), b""), BodyKind::Empty);
        assert_eq!(body_kind(None, b""), BodyKind::Empty);
        assert_eq!(
            body_kind(Some("application/hal+json"), body),
            BodyKind::Json
        );
        assert_eq!(body_kind(Some("text/plain"), body), BodyKind::Text);
        assert_eq!(
            body_kind(Some("text/csv; charset=UTF-8"), body),
            BodyKind::Text
        );
        assert_eq!(
            body_kind(Some("application/atom+xml"), body),
            BodyKind::Text
        );
        assert_eq!(
            body_kind(Some("text/plain; charset=iso-8859-1"), body),
            BodyKind::Binary
        );
        assert_eq!(body_kind(Some("image/png"), body), BodyKind::Binary);
        assert_eq!(
            body_kind(Some("application/octet-stream"), body),
            BodyKind::Binary
        );
        assert_eq!(body_kind(None, body), BodyKind::Binary);
    }
}
