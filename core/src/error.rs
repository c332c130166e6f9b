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

    /// The server's TLS certificate was refused (an unknown CA, a wrong name, expired): the
    /// message says how to add a CA. Never retried.
    #[error("TLS error: {message}")]
    Tls {
        /// What was refused and how to trust a private CA.
        message: String,
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
    /// [`ApiError::server_code`]. It equals `self.info().code.as_str()`, except for an auth flow
    /// that ended with a server code this version does not name: that code is returned verbatim
    /// (callers branch on it), while [`Error::info`] says [`ErrorCode::AuthFailed`].
    pub fn code(&self) -> &str {
        match self {
            Error::Auth(err) => err.kind.code(),
            other => other.error_code().as_str(),
        }
    }

    /// The [`ErrorCode`] of this error: what bindings pick their exception class from.
    pub fn error_code(&self) -> ErrorCode {
        match self {
            Error::InvalidArgument { .. } => ErrorCode::InvalidArgument,
            Error::Api(api) => code_for_status_enum(api.status, api.server_code.as_deref()),
            Error::Decode { .. } => ErrorCode::Decode,
            Error::Transport { .. } => ErrorCode::Transport,
            Error::Tls { .. } => ErrorCode::Tls,
            Error::Timeout(_) => ErrorCode::Timeout,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::InvalidSignature(_) => ErrorCode::InvalidSignature,
            Error::Auth(err) => ErrorCode::for_auth(&err.kind),
            Error::Internal(_) => ErrorCode::Internal,
        }
    }

    /// Everything a binding needs to build its exception, in one struct: the code, the message
    /// and the fields of the variant (see [`ErrorInfo`]). Bindings build their error classes
    /// from this instead of matching the variants themselves.
    pub fn info(&self) -> ErrorInfo {
        let mut info = ErrorInfo::new(self.error_code(), self.to_string());
        info.status = self.status();
        info.retry_after = self.retry_after();
        info.axios_code = axios_code(self);
        info.status_text = info.status.map(status_text);
        match self {
            Error::Api(api) => {
                info.server_code = api.server_code.clone();
                info.payload = api.payload.clone();
                info.errors = api.errors.clone();
                info.request = Some(api.request.clone());
                info.rate_limit = api.rate_limit;
            }
            Error::InvalidArgument { field, .. } => info.field = Some(field.clone()),
            Error::Transport { not_sent, .. } => info.not_sent = Some(*not_sent),
            // The handshake failed before the request could be written.
            Error::Tls { .. } => info.not_sent = Some(true),
            Error::InvalidSignature(reason) => info.reason = Some(reason.reason().to_owned()),
            Error::Auth(err) => {
                if let crate::auth::AuthErrorKind::Server(code) = &err.kind {
                    info.server_code = Some(code.clone());
                }
            }
            _ => {}
        }
        info
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
/// connection with 400 on `/records` but 404 on metadata routes (docs/protocol.md §13, quirk 7), so callers must be able
/// to branch on `unknown_connection` whatever the status.
pub fn code_for_status(status: u16, server_code: Option<&str>) -> &'static str {
    code_for_status_enum(status, server_code).as_str()
}

/// [`code_for_status`] as an [`ErrorCode`].
pub fn code_for_status_enum(status: u16, server_code: Option<&str>) -> ErrorCode {
    match server_code {
        Some("unknown_connection") | Some("connection_not_found") => {
            return ErrorCode::UnknownConnection;
        }
        Some("unknown_provider_config") => return ErrorCode::UnknownIntegration,
        Some("invalid_query_params")
        | Some("invalid_body")
        | Some("invalid_headers")
        | Some("invalid_uri_params")
        | Some("invalid_json")
        | Some("invalid_content_type") => {
            return ErrorCode::Validation;
        }
        _ => {}
    }
    match status {
        401 => ErrorCode::Unauthorized,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        409 => ErrorCode::Conflict,
        400 | 422 => ErrorCode::Validation,
        429 => ErrorCode::RateLimited,
        500..=599 => ErrorCode::ServerError,
        _ => ErrorCode::ApiError,
    }
}

/// Declares [`ErrorCode`] with its snake_case text and the list of every code, from one table.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident => $text:literal,)*) => {
        /// Every stable error code, as an enum: what bindings pick their exception class from.
        ///
        /// New codes may be added in a minor version, hence `#[non_exhaustive]`; a binding maps
        /// unknown ones to its base class. `tests/vectors/errors.json` lists every code with its
        /// class in each language, and each language's tests check it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The stable snake_case text (what `.code` holds in every binding).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $text,)*
                }
            }

            /// The code for its text, when it is one of ours.
            pub fn from_text(text: &str) -> Option<ErrorCode> {
                match text {
                    $($text => Some(ErrorCode::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

error_codes! {
    /// An argument or a client setting was rejected before anything was sent.
    InvalidArgument => "invalid_argument",
    /// HTTP 401: the key is missing, malformed or unknown.
    Unauthorized => "unauthorized",
    /// HTTP 403: the key lacks the scope.
    Forbidden => "forbidden",
    /// HTTP 404.
    NotFound => "not_found",
    /// The connection does not exist (whatever status the server used).
    UnknownConnection => "unknown_connection",
    /// The integration does not exist.
    UnknownIntegration => "unknown_integration",
    /// The server rejected the query, headers or body (400, 422, `invalid_*` codes).
    Validation => "validation",
    /// HTTP 409.
    Conflict => "conflict",
    /// HTTP 429 after the retries.
    RateLimited => "rate_limited",
    /// HTTP 5xx after the retries.
    ServerError => "server_error",
    /// Any other non-2xx status.
    ApiError => "api_error",
    /// The response could not be decoded.
    Decode => "decode",
    /// The request did not complete.
    Transport => "transport",
    /// The server's TLS certificate was refused (a kind of transport error, never retried).
    Tls => "tls",
    /// A timeout or the deadline passed (also an auth flow's overall timeout).
    Timeout => "timeout",
    /// The caller cancelled the operation (or the auth flow).
    Cancelled => "cancelled",
    /// A webhook failed verification.
    InvalidSignature => "invalid_signature",
    /// A bug in this crate.
    Internal => "internal",
    /// Auth flow: neither a connect session token nor a public key was given.
    MissingAuthToken => "missing_auth_token",
    /// Auth flow: the popup could not be opened.
    PopupBlocked => "popup_blocked",
    /// Auth flow: the host is not an http(s) URL.
    InvalidHostUrl => "invalid_host_url",
    /// Auth flow: the credentials match no credential route.
    MissingCredentials => "missing_credentials",
    /// Auth flow: the popup was closed before the flow completed.
    WindowClosed => "window_closed",
    /// Auth flow: the server could not verify the credentials.
    ConnectionTestFailed => "connection_test_failed",
    /// Auth flow: reconnecting needs a connect session token.
    MissingConnectSessionToken => "missing_connect_session_token",
    /// Auth flow: the connection failed validation.
    ConnectionValidationFailed => "connection_validation_failed",
    /// Auth flow: the plan's connection limit is reached.
    ResourceCapped => "resource_capped",
    /// Auth flow: the server answered something we could not interpret.
    UnknownError => "unknown_error",
    /// Auth flow: the WebSocket closed before the flow completed.
    SocketClosed => "socket_closed",
    /// Auth flow: the server ended it with a code this version does not name
    /// ([`ErrorInfo::server_code`] holds it; [`Error::code`] returns it verbatim).
    AuthFailed => "auth_failed",
}

impl ErrorCode {
    /// The code of an auth flow failure.
    pub fn for_auth(kind: &crate::auth::AuthErrorKind) -> ErrorCode {
        use crate::auth::AuthErrorKind as Kind;
        match kind {
            Kind::MissingAuthToken => ErrorCode::MissingAuthToken,
            Kind::BlockedByBrowser => ErrorCode::PopupBlocked,
            Kind::InvalidHostUrl => ErrorCode::InvalidHostUrl,
            Kind::MissingCredentials => ErrorCode::MissingCredentials,
            Kind::WindowClosed => ErrorCode::WindowClosed,
            Kind::ConnectionTestFailed => ErrorCode::ConnectionTestFailed,
            Kind::MissingConnectSessionToken => ErrorCode::MissingConnectSessionToken,
            Kind::ConnectionValidationFailed => ErrorCode::ConnectionValidationFailed,
            Kind::ResourceCapped => ErrorCode::ResourceCapped,
            Kind::UnknownError => ErrorCode::UnknownError,
            Kind::Timeout => ErrorCode::Timeout,
            Kind::SocketClosed => ErrorCode::SocketClosed,
            Kind::Cancelled => ErrorCode::Cancelled,
            Kind::Server(_) => ErrorCode::AuthFailed,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error described for a binding: the code to pick the class from, the message, and every
/// field a binding exposes on its exception (absent ones are `None`/empty).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ErrorInfo {
    /// The stable code.
    pub code: ErrorCode,
    /// The message (`Display` of the error; no secrets).
    pub message: String,
    /// HTTP status, when the server answered.
    pub status: Option<u16>,
    /// The server's `Retry-After`, when it sent one.
    pub retry_after: Option<Duration>,
    /// The server's own code: `error.code` of an API answer, or an auth flow's server code.
    pub server_code: Option<String>,
    /// `error.payload` of an API answer (or its whole non-enveloped JSON body).
    pub payload: Option<Value>,
    /// Validation issues of a 400 answer.
    pub errors: Vec<ValidationIssue>,
    /// `METHOD /path` of the failed request (API errors).
    pub request: Option<String>,
    /// `X-RateLimit-*` headers (API errors).
    pub rate_limit: Option<RateLimit>,
    /// The rejected argument or setting (`invalid_argument`).
    pub field: Option<String>,
    /// Whether the request provably never reached the server (`transport`).
    pub not_sent: Option<bool>,
    /// Why a webhook failed verification (`invalid_signature`).
    pub reason: Option<String>,
    /// The `code` axios gives the same failure, for bindings whose users branch on axios
    /// errors (the official Node SDK throws them); `None` for failures axios never raises
    /// (bad arguments, undecodable answers, webhook checks). See [`axios_code`].
    pub axios_code: Option<&'static str>,
    /// The status's reason phrase (`Not Found`), when the server answered: axios'
    /// `statusText`. See [`status_text`].
    pub status_text: Option<&'static str>,
}

impl ErrorInfo {
    /// An error of `code` with `message` and no other field: for errors a binding raises on its
    /// own, and for tests of a binding's code-to-class mapping.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorInfo {
            code,
            message: message.into(),
            status: None,
            retry_after: None,
            server_code: None,
            payload: None,
            errors: Vec::new(),
            request: None,
            rate_limit: None,
            field: None,
            not_sent: None,
            reason: None,
            axios_code: None,
            status_text: None,
        }
    }
}

/// axios' `code` for a non-2xx answer: `ERR_BAD_REQUEST` for 4xx, `ERR_BAD_RESPONSE` for 5xx,
/// none for other statuses (axios sets no code for them either).
pub const fn axios_code_for_status(status: u16) -> Option<&'static str> {
    match status {
        400..=499 => Some("ERR_BAD_REQUEST"),
        500..=599 => Some("ERR_BAD_RESPONSE"),
        _ => None,
    }
}

/// The registered reason phrase of an HTTP status (`404` → `Not Found`), what axios shows as
/// `statusText`; empty for a status without one. HTTP/2 sends no phrase and hyper does not keep
/// HTTP/1's, so this is the standard phrase rather than the server's own words.
pub fn status_text(status: u16) -> &'static str {
    const PHRASES: &[(u16, &str)] = &[
        (100, "Continue"),
        (101, "Switching Protocols"),
        (200, "OK"),
        (201, "Created"),
        (202, "Accepted"),
        (203, "Non-Authoritative Information"),
        (204, "No Content"),
        (205, "Reset Content"),
        (206, "Partial Content"),
        (207, "Multi-Status"),
        (300, "Multiple Choices"),
        (301, "Moved Permanently"),
        (302, "Found"),
        (303, "See Other"),
        (304, "Not Modified"),
        (307, "Temporary Redirect"),
        (308, "Permanent Redirect"),
        (400, "Bad Request"),
        (401, "Unauthorized"),
        (402, "Payment Required"),
        (403, "Forbidden"),
        (404, "Not Found"),
        (405, "Method Not Allowed"),
        (406, "Not Acceptable"),
        (407, "Proxy Authentication Required"),
        (408, "Request Timeout"),
        (409, "Conflict"),
        (410, "Gone"),
        (411, "Length Required"),
        (412, "Precondition Failed"),
        (413, "Content Too Large"),
        (414, "URI Too Long"),
        (415, "Unsupported Media Type"),
        (416, "Range Not Satisfiable"),
        (417, "Expectation Failed"),
        (418, "I'm a teapot"),
        (421, "Misdirected Request"),
        (422, "Unprocessable Content"),
        (423, "Locked"),
        (424, "Failed Dependency"),
        (425, "Too Early"),
        (426, "Upgrade Required"),
        (428, "Precondition Required"),
        (429, "Too Many Requests"),
        (431, "Request Header Fields Too Large"),
        (451, "Unavailable For Legal Reasons"),
        (500, "Internal Server Error"),
        (501, "Not Implemented"),
        (502, "Bad Gateway"),
        (503, "Service Unavailable"),
        (504, "Gateway Timeout"),
        (505, "HTTP Version Not Supported"),
        (507, "Insufficient Storage"),
        (508, "Loop Detected"),
        (511, "Network Authentication Required"),
    ];
    PHRASES
        .iter()
        .find(|(code, _)| *code == status)
        .map_or("", |(_, phrase)| phrase)
}

/// The `code` axios gives the failure `error` describes, when axios would raise it at all.
///
/// A non-2xx answer: [`axios_code_for_status`]. A timeout: `ECONNABORTED` (axios' default; it
/// says `ETIMEDOUT` only with `transitional.clarifyTimeoutError`). A cancellation:
/// `ERR_CANCELED`. A request that did not complete (TLS included): `ERR_NETWORK` (axios' Node
/// adapter passes the socket's errno through, which core does not keep). Anything else: none.
pub fn axios_code(error: &Error) -> Option<&'static str> {
    match error {
        Error::Api(api) => axios_code_for_status(api.status),
        Error::Timeout(_) => Some("ECONNABORTED"),
        Error::Cancelled => Some("ERR_CANCELED"),
        Error::Transport { .. } | Error::Tls { .. } => Some("ERR_NETWORK"),
        _ => None,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_carries_the_variant_fields() {
        let api = Error::from(ApiError {
            status: 409,
            server_code: Some("duplicate".into()),
            message: Some("exists".into()),
            errors: vec![ValidationIssue {
                code: "c".into(),
                message: "m".into(),
                path: vec!["a".into()],
            }],
            payload: Some(serde_json::json!({"k": 1})),
            retry_after: Some(Duration::from_secs(3)),
            rate_limit: None,
            request: "POST /x".into(),
        });
        let info = api.info();
        assert_eq!(info.code, ErrorCode::Conflict);
        assert_eq!(info.code.as_str(), api.code());
        assert_eq!(info.status, Some(409));
        assert_eq!(info.server_code.as_deref(), Some("duplicate"));
        assert_eq!(info.request.as_deref(), Some("POST /x"));
        assert_eq!(info.retry_after, Some(Duration::from_secs(3)));
        assert_eq!(info.errors.len(), 1);
        assert_eq!(info.message, api.to_string());

        let decode = Error::Decode {
            status: 200,
            message: "eof".into(),
            snippet: "{".into(),
        };
        assert_eq!(decode.info().code, ErrorCode::Decode);
        assert_eq!(decode.info().status, Some(200));
        let transport = Error::Transport {
            message: "refused".into(),
            not_sent: true,
        };
        assert_eq!(transport.info().not_sent, Some(true));
        let argument = Error::invalid_argument("model", "empty");
        assert_eq!(argument.info().field.as_deref(), Some("model"));
        assert_eq!(Error::Cancelled.info().code, ErrorCode::Cancelled);
    }

    #[test]
    fn auth_codes_keep_their_text_and_name_unknown_server_codes() {
        use crate::auth::{AuthError, AuthErrorKind};
        let blocked = Error::Auth(AuthError::new(AuthErrorKind::BlockedByBrowser, "x"));
        assert_eq!(blocked.code(), "popup_blocked");
        assert_eq!(blocked.info().code, ErrorCode::PopupBlocked);
        let server = Error::Auth(AuthError::from_server("invalid_credentials", "x"));
        assert_eq!(server.code(), "invalid_credentials");
        assert_eq!(server.info().code, ErrorCode::AuthFailed);
        assert_eq!(
            server.info().server_code.as_deref(),
            Some("invalid_credentials")
        );
    }

    #[test]
    fn codes_round_trip_through_their_text() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_text(code.as_str()), Some(*code));
        }
        assert_eq!(ErrorCode::from_text("nope"), None);
        assert_eq!(code_for_status(409, None), "conflict");
    }
}
