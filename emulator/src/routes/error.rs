//! The Nango error envelope `{"error": {code, message?, errors?, payload?}}` as an axum response, plus
//! the library's own start-up error type.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// An HTTP error answered with Nango's JSON envelope. Boxed so `Result<_, ApiError>` stays small.
#[derive(Debug, Clone)]
pub(crate) struct ApiError(Box<ApiErrorInner>);

#[derive(Debug, Clone)]
pub(crate) struct ApiErrorInner {
    pub(crate) status: StatusCode,
    pub(crate) code: String,
    pub(crate) message: Option<String>,
    pub(crate) errors: Option<Vec<Value>>,
    pub(crate) payload: Option<Value>,
    /// Extra members placed next to `code` (the rate limiter puts `method`/`path` there).
    pub(crate) extra: Map<String, Value>,
    pub(crate) headers: Vec<(header::HeaderName, HeaderValue)>,
}

impl std::ops::Deref for ApiError {
    type Target = ApiErrorInner;
    fn deref(&self) -> &ApiErrorInner {
        &self.0
    }
}

impl std::ops::DerefMut for ApiError {
    fn deref_mut(&mut self) -> &mut ApiErrorInner {
        &mut self.0
    }
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &str) -> Self {
        Self(Box::new(ApiErrorInner {
            status,
            code: code.to_owned(),
            message: None,
            errors: None,
            payload: None,
            extra: Map::new(),
            headers: Vec::new(),
        }))
    }

    pub(crate) fn msg(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    pub(crate) fn payload(mut self, payload: Value) -> Self {
        self.payload = Some(payload);
        self
    }

    pub(crate) fn unauthorized(code: &str, message: &str) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code).msg(message)
    }

    pub(crate) fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code).msg(message)
    }

    pub(crate) fn not_found(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code).msg(message)
    }

    pub(crate) fn server_error(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "server_error").msg(message)
    }

    /// A validation failure in zod's shape: `errors = [{code, message, path}]`.
    pub(crate) fn validation(code: &str, issues: Vec<Issue>) -> Self {
        let mut e = Self::new(StatusCode::BAD_REQUEST, code);
        e.errors = Some(
            issues
                .into_iter()
                .map(|i| json!({"code": i.code, "message": i.message, "path": i.path}))
                .collect(),
        );
        e
    }

    pub(crate) fn body_json(&self) -> Value {
        let mut inner = Map::new();
        inner.insert("code".into(), Value::String(self.code.clone()));
        if let Some(m) = &self.message {
            inner.insert("message".into(), Value::String(m.clone()));
        }
        if let Some(errors) = &self.errors {
            inner.insert("errors".into(), Value::Array(errors.clone()));
        }
        if let Some(p) = &self.payload {
            inner.insert("payload".into(), p.clone());
        }
        for (k, v) in &self.extra {
            inner.insert(k.clone(), v.clone());
        }
        json!({ "error": inner })
    }
}

/// Any path (or method) the emulator does not serve: Nango's JSON 404 rather than an empty body.
pub(crate) async fn unknown_route(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError::not_found("not_found", format!("No endpoint {method} {}", uri.path()))
}

/// One zod-style validation issue.
#[derive(Debug, Clone)]
pub(crate) struct Issue {
    pub(crate) code: &'static str,
    pub(crate) message: String,
    pub(crate) path: Vec<String>,
}

impl Issue {
    pub(crate) fn new(code: &'static str, message: impl Into<String>, path: &[&str]) -> Self {
        Self {
            code,
            message: message.into(),
            path: path.iter().map(|p| (*p).to_owned()).collect(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = self.body_json();
        let mut resp = (self.status, axum::Json(body)).into_response();
        for (name, value) in self.0.headers {
            resp.headers_mut().insert(name, value);
        }
        resp
    }
}

/// Errors from starting the emulator.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    /// The listening socket could not be bound.
    #[error("cannot bind 127.0.0.1:{port}: {source}")]
    Bind {
        /// The requested port.
        port: u16,
        /// The OS error.
        source: std::io::Error,
    },
    /// The configuration is inconsistent.
    #[error("invalid emulator configuration: {0}")]
    Config(String),
    /// A configuration file could not be read or parsed.
    #[error("cannot load configuration file {path}: {reason}")]
    ConfigFile {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// The HTTP client used for webhooks and the proxy could not be built.
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(String),
}
