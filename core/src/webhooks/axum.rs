//! An axum extractor for Nango's webhooks (cargo feature `axum`).
//!
//! [`VerifiedWebhook`] takes the request body as raw bytes, verifies [`super::HMAC_HEADER`] with
//! the [`WebhookSigningKey`] of the router's state, and parses the typed payload. A failed check
//! is refused with `401`, a verified body that is not JSON with `400`, both with a JSON body
//! `{"error": code, "message": …}` that holds neither the key nor the signature.
//!
//! ```
//! use axum::{Router, routing::post};
//! use nango::webhooks::WebhookPayload;
//! use nango::webhooks::axum::{VerifiedWebhook, WebhookSigningKey};
//!
//! async fn on_webhook(VerifiedWebhook(webhook): VerifiedWebhook) {
//!     if let WebhookPayload::Sync(sync) = webhook {
//!         println!("{} synced {}", sync.connection_id, sync.model);
//!     }
//! }
//!
//! let app: Router = Router::new()
//!     .route("/webhooks", post(on_webhook))
//!     .with_state(WebhookSigningKey::new("the environment's webhook signing key"));
//! ```
//!
//! With a larger state, implement `FromRef<YourState>` for [`WebhookSigningKey`] (or derive
//! `FromRef`). The extractor reads the body, so it is the handler's last argument; axum does not
//! let a `Json` extractor read the body first, which is what breaks verification elsewhere.

use std::sync::Arc;

use ::axum::body::Bytes;
use ::axum::extract::rejection::BytesRejection;
use ::axum::extract::{FromRef, FromRequest, Request};
use ::axum::http::StatusCode;
use ::axum::response::{IntoResponse, Response};

use super::{VerifyError, WebhookPayload};

/// The webhook signing key the extractor verifies with, shared by the router's state.
#[derive(Clone)]
pub struct WebhookSigningKey(Arc<str>);

impl WebhookSigningKey {
    /// Wraps the environment's webhook signing key.
    pub fn new(key: impl Into<String>) -> Self {
        Self(Arc::from(key.into()))
    }
}

// The key is a secret: never in logs.
impl std::fmt::Debug for WebhookSigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSigningKey(..)")
    }
}

/// A webhook whose signature matched, parsed. See the [module docs](self).
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedWebhook(pub WebhookPayload);

/// Why [`VerifiedWebhook`] refused a request; its response is the answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookRejection {
    /// The signature is missing, malformed or does not match: `401`.
    #[error("webhook signature check failed: {0}")]
    InvalidSignature(VerifyError),
    /// The signature matched but the body is not JSON: `400`.
    #[error("the webhook body is not JSON: {0}")]
    NotAWebhook(String),
    /// The body could not be read (too large, connection cut): axum's own status.
    #[error(transparent)]
    Body(BytesRejection),
}

impl WebhookRejection {
    /// The HTTP status the rejection answers.
    pub fn status(&self) -> StatusCode {
        match self {
            WebhookRejection::InvalidSignature(_) => StatusCode::UNAUTHORIZED,
            WebhookRejection::NotAWebhook(_) => StatusCode::BAD_REQUEST,
            WebhookRejection::Body(rejection) => rejection.status(),
        }
    }

    /// The stable code in the response body: core's error code, or `body` for an unreadable body.
    pub fn code(&self) -> &'static str {
        match self {
            WebhookRejection::InvalidSignature(_) => {
                crate::error::ErrorCode::InvalidSignature.as_str()
            }
            WebhookRejection::NotAWebhook(_) => crate::error::ErrorCode::InvalidArgument.as_str(),
            WebhookRejection::Body(_) => "body",
        }
    }
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.code(), "message": self.to_string() });
        (
            self.status(),
            [(::axum::http::header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response()
    }
}

impl<S> FromRequest<S> for VerifiedWebhook
where
    WebhookSigningKey: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = WebhookRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let key = WebhookSigningKey::from_ref(state);
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state)
            .await
            .map_err(WebhookRejection::Body)?;
        super::parse_verified(&key.0, &body, headers.iter())
            .map(VerifiedWebhook)
            .map_err(|err| match err {
                crate::Error::InvalidSignature(reason) => {
                    WebhookRejection::InvalidSignature(reason)
                }
                other => WebhookRejection::NotAWebhook(other.to_string()),
            })
    }
}
