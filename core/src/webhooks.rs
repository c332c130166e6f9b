//! Webhooks from Nango: signature verification and typed payloads (protocol §3).

/// Why a webhook failed verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// No signature header was present.
    #[error("the signature header is missing")]
    MissingSignature,
}
