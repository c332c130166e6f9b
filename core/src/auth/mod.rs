//! The OAuth popup flow, platform-free (protocol §4–§6).

/// An auth flow that ended without a connection.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct AuthError {
    /// What kind of failure.
    pub kind: AuthErrorKind,
    /// Human-readable description.
    pub message: String,
}

/// Kinds of auth failure.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthErrorKind {
    /// The popup could not be opened.
    BlockedByBrowser,
}

impl AuthErrorKind {
    /// Stable code.
    pub fn code(&self) -> &str {
        match self {
            AuthErrorKind::BlockedByBrowser => "popup_blocked",
        }
    }
}
