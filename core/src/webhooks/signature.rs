//! Signature maths for Nango's webhooks (docs/protocol.md §3.2, §3.3).
//!
//! Every check works on the raw body bytes exactly as received: re-serialising a parsed body
//! does not reproduce Nango's key order or number formatting (docs/protocol.md §13, quirk 10), so a parsed object can
//! never be verified.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The header carrying `hex(HMAC-SHA256(signing key, raw body))`.
pub const HMAC_HEADER: &str = "X-Nango-Hmac-Sha256";

/// The legacy header carrying `hex(SHA-256(signing key ‖ raw body))`.
///
/// Plain SHA-256 over a concatenation is open to length extension; Nango keeps sending it for
/// backwards compatibility only. Prefer [`HMAC_HEADER`].
pub const LEGACY_HEADER: &str = "X-Nango-Signature";

/// Why a webhook failed verification. The variants never carry the key or the signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The signature header was absent.
    #[error("the signature header is missing")]
    MissingSignature,
    /// The header was present but is not 64 hex digits (odd length, non-hex, wrong size).
    #[error("the signature header is not a hex-encoded SHA-256 digest")]
    MalformedSignature,
    /// The header appeared more than once with different values.
    #[error("the signature header appears more than once with different values")]
    ConflictingSignatures,
    /// The signature does not match the body and key.
    #[error("the signature does not match the body")]
    SignatureMismatch,
    /// The signing key is empty, so nothing can be verified.
    #[error("no signing key is configured")]
    EmptyKey,
}

impl VerifyError {
    /// A stable snake_case reason, for logs and bindings that want more than a boolean.
    pub fn reason(&self) -> &'static str {
        match self {
            VerifyError::MissingSignature => "missing_signature",
            VerifyError::MalformedSignature => "malformed_signature",
            VerifyError::ConflictingSignatures => "conflicting_signatures",
            VerifyError::SignatureMismatch => "signature_mismatch",
            VerifyError::EmptyKey => "empty_key",
        }
    }
}

/// One header, whatever shape the caller's framework gives it.
///
/// Implemented for pairs `(K, V)` with `K: AsRef<str>` and `V: AsRef<[u8]>`, and for references
/// to anything that implements it. So all of these work as the `headers` argument:
/// `&[("x-nango-hmac-sha256", "…")]`, `Vec<(String, String)>`, `&HashMap<String, String>`,
/// and `http::HeaderMap::iter()` (which yields `(&HeaderName, &HeaderValue)`).
pub trait HeaderEntry {
    /// The header's name, in any case.
    fn header_name(&self) -> &str;
    /// The header's raw value.
    fn header_value(&self) -> &[u8];
}

impl<K: AsRef<str>, V: AsRef<[u8]>> HeaderEntry for (K, V) {
    fn header_name(&self) -> &str {
        self.0.as_ref()
    }
    fn header_value(&self) -> &[u8] {
        self.1.as_ref()
    }
}

impl<T: HeaderEntry + ?Sized> HeaderEntry for &T {
    fn header_name(&self) -> &str {
        (**self).header_name()
    }
    fn header_value(&self) -> &[u8] {
        (**self).header_value()
    }
}

/// `hex(HMAC-SHA256(key, body))`, lowercase: the value of [`HMAC_HEADER`].
pub fn sign_hmac_sha256(signing_key: &str, raw_body: &[u8]) -> String {
    hmac_digest(signing_key, raw_body)
        .map(hex::encode)
        .unwrap_or_default()
}

/// `hex(SHA-256(key ‖ body))`, lowercase: the value of [`LEGACY_HEADER`].
pub fn sign_legacy(signing_key: &str, raw_body: &[u8]) -> String {
    legacy_digest(signing_key, raw_body)
        .map(hex::encode)
        .unwrap_or_default()
}

/// Both signature headers Nango sends with a webhook, for tests and emulators.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSignatures {
    /// Value of [`HMAC_HEADER`].
    pub hmac_sha256: String,
    /// Value of [`LEGACY_HEADER`].
    pub legacy: String,
}

impl WebhookSignatures {
    /// The two headers as `(name, value)` pairs, in the case Nango uses.
    pub fn headers(&self) -> [(&'static str, &str); 2] {
        [
            (HMAC_HEADER, self.hmac_sha256.as_str()),
            (LEGACY_HEADER, self.legacy.as_str()),
        ]
    }
}

// Signatures are not secrets, but they are credentials-derived material that has no business in
// logs; the field names are enough to debug a test.
impl std::fmt::Debug for WebhookSignatures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookSignatures").finish_non_exhaustive()
    }
}

/// Computes both signature headers for `raw_body` under `signing_key`.
pub fn sign(signing_key: &str, raw_body: &[u8]) -> WebhookSignatures {
    WebhookSignatures {
        hmac_sha256: sign_hmac_sha256(signing_key, raw_body),
        legacy: sign_legacy(signing_key, raw_body),
    }
}

/// Checks [`HMAC_HEADER`] exactly as docs/protocol.md §3.3 describes, returning `false` on any failure.
///
/// The header name is matched case-insensitively, the HMAC is computed over the raw bytes, the
/// header is hex-decoded (either case, as Node's `Buffer.from(hex)` accepts) and compared in
/// constant time. The legacy header is never consulted. See [`verify`] for the reason of a
/// failure.
pub fn verify_incoming_webhook_request<I>(signing_key: &str, raw_body: &[u8], headers: I) -> bool
where
    I: IntoIterator,
    I::Item: HeaderEntry,
{
    verify(signing_key, raw_body, headers).is_ok()
}

/// Like [`verify_incoming_webhook_request`], with the reason of a failure.
pub fn verify<I>(signing_key: &str, raw_body: &[u8], headers: I) -> Result<(), VerifyError>
where
    I: IntoIterator,
    I::Item: HeaderEntry,
{
    check(signing_key, headers, HMAC_HEADER, |key| {
        hmac_digest(key, raw_body)
    })
}

/// Opt-in check of the legacy [`LEGACY_HEADER`]: `SHA-256(key ‖ raw body)`, compared in
/// constant time.
///
/// Unlike the deprecated `verifyWebhookSignature` of the Node SDK, this hashes the raw body
/// rather than a re-serialised object, which only Node could reproduce (docs/protocol.md §3.3).
pub fn verify_legacy<I>(signing_key: &str, raw_body: &[u8], headers: I) -> Result<(), VerifyError>
where
    I: IntoIterator,
    I::Item: HeaderEntry,
{
    check(signing_key, headers, LEGACY_HEADER, |key| {
        legacy_digest(key, raw_body)
    })
}

/// Boolean form of [`verify_legacy`].
pub fn verify_legacy_signature<I>(signing_key: &str, raw_body: &[u8], headers: I) -> bool
where
    I: IntoIterator,
    I::Item: HeaderEntry,
{
    verify_legacy(signing_key, raw_body, headers).is_ok()
}

/// Shared shape of both checks: find the one header value, decode it, compare in constant time.
fn check<I>(
    signing_key: &str,
    headers: I,
    header: &str,
    digest: impl FnOnce(&str) -> Option<[u8; 32]>,
) -> Result<(), VerifyError>
where
    I: IntoIterator,
    I::Item: HeaderEntry,
{
    if signing_key.is_empty() {
        return Err(VerifyError::EmptyKey);
    }
    let value = single_header(headers, header)?;
    let given = decode_digest(value)?;
    // A digest that could not be computed never matches (see `hmac_digest`).
    let matches = digest(signing_key).is_some_and(|expected| bool::from(expected.ct_eq(&given)));
    if matches {
        Ok(())
    } else {
        Err(VerifyError::SignatureMismatch)
    }
}

/// The value of `name` (any case). Repeats with the same value are tolerated because proxies
/// sometimes duplicate headers; repeats that disagree are refused rather than guessed between.
fn single_header<I>(headers: I, name: &str) -> Result<Vec<u8>, VerifyError>
where
    I: IntoIterator,
    I::Item: HeaderEntry,
{
    let mut found: Option<Vec<u8>> = None;
    for entry in headers {
        if !entry.header_name().trim().eq_ignore_ascii_case(name) {
            continue;
        }
        let value = entry.header_value().trim_ascii().to_vec();
        match &found {
            None => found = Some(value),
            Some(previous) if *previous == value => {}
            Some(_) => return Err(VerifyError::ConflictingSignatures),
        }
    }
    found.ok_or(VerifyError::MissingSignature)
}

fn decode_digest(value: Vec<u8>) -> Result<[u8; 32], VerifyError> {
    let mut out = [0u8; 32];
    // hex::decode_to_slice rejects odd lengths, non-hex digits and any length but 64.
    hex::decode_to_slice(&value, &mut out).map_err(|_| VerifyError::MalformedSignature)?;
    Ok(out)
}

fn hmac_digest(signing_key: &str, raw_body: &[u8]) -> Option<[u8; 32]> {
    // HMAC accepts keys of any length, so this never fails in practice; `None` keeps the
    // function total without an unwrap, and callers treat it as "no match".
    let mut mac = Hmac::<Sha256>::new_from_slice(signing_key.as_bytes()).ok()?;
    mac.update(raw_body);
    Some(mac.finalize().into_bytes().into())
}

fn legacy_digest(signing_key: &str, raw_body: &[u8]) -> Option<[u8; 32]> {
    let mut hasher = Sha256::new();
    hasher.update(signing_key.as_bytes());
    hasher.update(raw_body);
    Some(hasher.finalize().into())
}
