//! Webhooks from Nango: signature verification and typed payloads (docs/protocol.md §3).
//!
//! Verify first, on the raw body bytes, then parse:
//!
//! ```
//! use nango::webhooks::{self, WebhookPayload};
//!
//! let key = "11111111-2222-4333-8444-555555555555";
//! let body = br#"{"type":"forward","from":"github","providerConfigKey":"gh","connectionId":"c1","payload":{}}"#;
//! let signature = webhooks::sign_hmac_sha256(key, body);
//! let headers = [("x-nango-hmac-sha256", signature.as_str())];
//!
//! assert!(webhooks::verify_incoming_webhook_request(key, body, &headers));
//! let payload = webhooks::parse_verified(key, body, &headers)?;
//! assert_eq!(payload.kind(), "forward");
//! # Ok::<(), nango::Error>(())
//! ```

#[cfg(feature = "axum")]
pub mod axum;
mod payload;
mod signature;

pub use payload::{
    AsyncActionRef, AsyncActionWebhook, AuthOperation, AuthWebhook, ForwardWebhook, SyncResults,
    SyncWebhook, WebhookEndUser, WebhookErrorDetail, WebhookPayload,
};
pub use signature::{
    HMAC_HEADER, HeaderEntry, LEGACY_HEADER, VerifyError, WebhookSignatures, sign,
    sign_hmac_sha256, sign_legacy, verify, verify_incoming_webhook_request, verify_legacy,
    verify_legacy_signature,
};

/// Verifies [`HMAC_HEADER`] over `raw_body`, then parses it.
///
/// A failed check is [`crate::Error::InvalidSignature`] (code `invalid_signature`); a body that
/// verifies but is not JSON is [`crate::Error::InvalidArgument`] on `raw_body`.
pub fn parse_verified<I>(
    signing_key: &str,
    raw_body: &[u8],
    headers: I,
) -> Result<WebhookPayload, crate::Error>
where
    I: IntoIterator,
    I::Item: HeaderEntry,
{
    verify(signing_key, raw_body, headers).map_err(crate::Error::InvalidSignature)?;
    WebhookPayload::from_slice(raw_body)
        .map_err(|err| crate::Error::invalid_argument("raw_body", format!("not JSON: {err}")))
}
