//! The one error type of the crate, with stable machine-readable codes.
//!
//! Callers (and the bindings) branch on [`Error::code`], never on messages. Each binding maps
//! these codes to its own exception classes in exactly one place.

use std::time::Duration;

use serde_json::Value;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How many bytes of an undecodable body are kept for diagnostics.
pub const SNIPPET_LIMIT: usize = 256;

/// Everything that can go wrong when talking to Nango or running the auth flow.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An argument was rejected before anything was sent.
    #[error("invalid argument `{field}`: {message}")]
    InvalidArgument {
        /// The argument's name as the caller spelled it (snake_case in core).
        field: String,
        /// What is wrong with it.
        message: String,
    },

    /// The server answered with a non-2xx status.
    #[error("{0}")]
    Api(Box<ApiError>),

    /// The response could not be decoded (non-JSON, truncated, wrong shape).
    #[error(
        "could not decode the response (HTTP {status}): {message}; body starts with {snippet:?}"
    )]
    Decode {
        /// HTTP status of the response.
        status: u16,
        /// The decoder's message.
        message: String,
        /// At most [`SNIPPET_LIMIT`] bytes of the body, lossily decoded.
        snippet: String,
    },

    /// The request did not complete: connection refused or reset, DNS, TLS, a body cut short.
    #[error("transport error: {message}")]
    Transport {
        /// What failed, without secrets.
        message: String,
        /// True when the request provably never reached the server (connect failed),
        /// which makes even a non-idempotent call safe to retry.
        not_sent: bool,
    },

    /// A per-request timeout or the overall deadline passed.
    #[error("timed out after {0:?}")]
    Timeout(Duration),

    /// The operation was cancelled by the caller.
    #[error("cancelled")]
    Cancelled,

    /// A webhook failed verification.
    #[error("webhook verification failed: {0}")]
    InvalidSignature(crate::webhooks::VerifyError),

    /// The OAuth popup flow ended without a connection.
    #[error("{0}")]
    Auth(crate::auth::AuthError),

    /// A bug in this crate; please report it.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// The stable snake_case code of this error. Bindings expose it as `.code`.
    ///
    /// For [`Error::Api`] it is derived from the HTTP status and the server's own code
    /// (see [`code_for_status`]); the server's code stays available as
    /// [`ApiError::server_code`].
    pub fn code(&self) -> &str {
        match self {
            Error::InvalidArgument { .. } => "invalid_argument",
            Error::Api(api) => code_for_status(api.status, api.server_code.as_deref()),
            Error::Decode { .. } => "decode",
            Error::Transport { .. } => "transport",
            Error::Timeout(_) => "timeout",
            Error::Cancelled => "cancelled",
            Error::InvalidSignature(_) => "invalid_signature",
            Error::Auth(err) => err.kind.code(),
            Error::Internal(_) => "internal",
        }
    }

    /// HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The server's `Retry-After`, when it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(api) => api.retry_after,
            _ => None,
        }
    }

    /// Shorthand for [`Error::InvalidArgument`].
    pub fn invalid_argument(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidArgument {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Maps an HTTP status (and the server's `error.code`, when present) to our stable code.
///
/// The server's code wins where it is more precise than the status: Nango answers an unknown
/// connection with 400 on `/records` but 404 on metadata routes (quirk 7), so callers must be able
/// to branch on `unknown_connection` whatever the status.
pub fn code_for_status(status: u16, server_code: Option<&str>) -> &'static str {
    match server_code {
        Some("unknown_connection") | Some("connection_not_found") => return "unknown_connection",
        Some("unknown_provider_config") => return "unknown_integration",
        Some("invalid_query_params")
        | Some("invalid_body")
        | Some("invalid_headers")
        | Some("invalid_uri_params")
        | Some("invalid_json")
        | Some("invalid_content_type") => {
            return "validation";
        }
        _ => {}
    }
    match status {
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        409 => "conflict",
        400 | 422 => "validation",
        429 => "rate_limited",
        500..=599 => "server_error",
        _ => "api_error",
    }
}

/// A non-2xx answer from the server, with everything it told us.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// `error.code` from the `{error:{…}}` envelope, when present.
    pub server_code: Option<String>,
    /// `error.message`, when present.
    pub message: Option<String>,
    /// `error.errors`: validation issues.
    pub errors: Vec<ValidationIssue>,
    /// `error.payload`, or the whole body when it is JSON without the envelope (e.g. proxy).
    pub payload: Option<Value>,
    /// Parsed `Retry-After` (seconds or HTTP-date), when sent.
    pub retry_after: Option<Duration>,
    /// `X-RateLimit-*` headers, when sent.
    pub rate_limit: Option<RateLimit>,
    /// `METHOD /path` of the request (no query, no secrets).
    pub request: String,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} failed with HTTP {}", self.request, self.status)?;
        if let Some(code) = &self.server_code {
            write!(f, " ({code})")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        // The reasons of a validation failure (`modified_after: Invalid datetime`): the part of
        // the answer a reader of the message needs most.
        for (index, issue) in self.errors.iter().take(ISSUES_IN_MESSAGE).enumerate() {
            f.write_str(if index == 0 { ": " } else { "; " })?;
            if !issue.path.is_empty() {
                write!(f, "{}: ", issue.path.join("."))?;
            }
            f.write_str(if issue.message.is_empty() {
                &issue.code
            } else {
                &issue.message
            })?;
        }
        if self.errors.len() > ISSUES_IN_MESSAGE {
            write!(f, " (and {} more)", self.errors.len() - ISSUES_IN_MESSAGE)?;
        }
        Ok(())
    }
}

/// How many validation issues [`ApiError`]'s message spells out (all stay in `errors`).
const ISSUES_IN_MESSAGE: usize = 5;

impl From<ApiError> for Error {
    fn from(value: ApiError) -> Self {
        Error::Api(Box::new(value))
    }
}

/// One validation issue of a 400 `invalid_*` answer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct ValidationIssue {
    /// Issue code (zod's).
    #[serde(default)]
    pub code: String,
    /// Human-readable message.
    #[serde(default)]
    pub message: String,
    /// Path of the offending field.
    #[serde(default)]
    pub path: Vec<String>,
}

/// The `X-RateLimit-*` headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// `X-RateLimit-Limit`.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Reset` (unix seconds).
    pub reset: Option<u64>,
}
