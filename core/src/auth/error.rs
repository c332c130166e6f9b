//! Why an auth flow ended without a connection (docs/protocol.md §4.5).

/// An auth flow that ended without a connection.
///
/// The message comes from this crate or from the server (`error_desc`, `error.message`); it
/// never contains the connect session token, public key or credentials.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct AuthError {
    /// What kind of failure.
    pub kind: AuthErrorKind,
    /// Human-readable description.
    pub message: String,
}

impl AuthError {
    /// An error of `kind` with `message`.
    pub fn new(kind: AuthErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// An error from a server code (`error_type` of a WebSocket message, `errorType` of the
    /// callback page, `error.code` of a credential route): known codes become their named kind,
    /// others pass through as [`AuthErrorKind::Server`].
    pub fn from_server(code: &str, message: impl Into<String>) -> Self {
        Self::new(AuthErrorKind::from_type(code), message)
    }
}

/// Kinds of auth failure: the official frontend's `AuthError.type` set, a few of our own, and
/// any server code passed through.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthErrorKind {
    /// `missing_auth_token`: neither a connect session token nor a public key was given.
    MissingAuthToken,
    /// `blocked_by_browser`: the popup could not be opened.
    BlockedByBrowser,
    /// `invalid_host_url`: the host is not an `http(s)://` URL.
    InvalidHostUrl,
    /// `missing_credentials`: credentials were given but match no credential route.
    MissingCredentials,
    /// `window_closed`: the popup was closed before the flow completed.
    WindowClosed,
    /// `connection_test_failed`: the server could not verify the credentials.
    ConnectionTestFailed,
    /// `missing_connect_session_token`: reconnecting needs a connect session token.
    MissingConnectSessionToken,
    /// `connection_validation_failed`.
    ConnectionValidationFailed,
    /// `resource_capped`: the plan's connection limit is reached.
    ResourceCapped,
    /// `unknown_error`: the server answered something we could not interpret.
    UnknownError,
    /// `timeout` (ours): the caller's overall timeout passed.
    Timeout,
    /// `socket_closed` (ours): the WebSocket failed or closed before the flow completed and no
    /// other completion channel delivered a result in time.
    SocketClosed,
    /// `cancelled` (ours): the caller cancelled the flow (a new flow replaced it, an abort).
    Cancelled,
    /// Any other code from the server, verbatim (e.g. `invalid_credentials`, `state_err`).
    Server(String),
}

impl AuthErrorKind {
    /// The string the JS `AuthError.type` carries: the official names, our own
    /// (`timeout`, `socket_closed`, `cancelled`), or the server's code verbatim.
    pub fn official_type(&self) -> &str {
        match self {
            Self::MissingAuthToken => "missing_auth_token",
            Self::BlockedByBrowser => "blocked_by_browser",
            Self::InvalidHostUrl => "invalid_host_url",
            Self::MissingCredentials => "missing_credentials",
            Self::WindowClosed => "window_closed",
            Self::ConnectionTestFailed => "connection_test_failed",
            Self::MissingConnectSessionToken => "missing_connect_session_token",
            Self::ConnectionValidationFailed => "connection_validation_failed",
            Self::ResourceCapped => "resource_capped",
            Self::UnknownError => "unknown_error",
            Self::Timeout => "timeout",
            Self::SocketClosed => "socket_closed",
            Self::Cancelled => "cancelled",
            Self::Server(code) => code,
        }
    }

    /// Our stable code, used by [`crate::Error::code`].
    ///
    /// Equal to [`official_type`](Self::official_type) except for
    /// [`BlockedByBrowser`](Self::BlockedByBrowser), which is `popup_blocked` as in the crate's
    /// shared code list. Server codes pass through verbatim: they are already stable snake_case
    /// and callers branch on them (`invalid_credentials`, `integration_not_allowed`, …).
    pub fn code(&self) -> &str {
        match self {
            Self::BlockedByBrowser => "popup_blocked",
            other => other.official_type(),
        }
    }

    /// The kind for an official type or server code; the inverse of
    /// [`official_type`](Self::official_type).
    pub fn from_type(code: &str) -> Self {
        match code {
            "missing_auth_token" => Self::MissingAuthToken,
            "blocked_by_browser" => Self::BlockedByBrowser,
            "invalid_host_url" => Self::InvalidHostUrl,
            "missing_credentials" => Self::MissingCredentials,
            "window_closed" => Self::WindowClosed,
            "connection_test_failed" => Self::ConnectionTestFailed,
            "missing_connect_session_token" => Self::MissingConnectSessionToken,
            "connection_validation_failed" => Self::ConnectionValidationFailed,
            "resource_capped" => Self::ResourceCapped,
            "unknown_error" | "" => Self::UnknownError,
            "timeout" => Self::Timeout,
            "socket_closed" => Self::SocketClosed,
            "cancelled" => Self::Cancelled,
            other => Self::Server(other.to_owned()),
        }
    }
}

impl std::fmt::Display for AuthErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.official_type())
    }
}
