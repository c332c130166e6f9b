//! `nango-emulator`: a local Nango-compatible server for examples, tests and benchmarks.
//!
//! It speaks the wire protocol of `docs/protocol.md` on 127.0.0.1: bearer auth, connect
//! sessions, the OAuth popup flow (WebSocket + a built-in demo OAuth2 provider with Allow/Deny
//! buttons), credential routes, connections and metadata, syncs feeding a records cache with
//! `(last_modified_at, id)` cursors, actions (sync and async), the proxy, signed webhooks, and an
//! admin API under `/_emulator` for faults, rate limiting and data mutations.
//!
//! ```no_run
//! # async fn demo() -> Result<(), nango_emulator::EmulatorError> {
//! let emu = nango_emulator::Emulator::builder().seed("zendesk", "Ticket", 1_000, 256).start().await?;
//! println!("{} {}", emu.url(), emu.secret_key());
//! emu.shutdown().await;
//! # Ok(()) }
//! ```

#![cfg_attr(test, allow(clippy::unwrap_used))]

mod handle;
/// What the emulator knows: configuration, state, the records cache, syncs, the demo provider's
/// data, faults, outgoing webhooks and the formats they share.
mod model;
/// The HTTP side: the route table, the handlers, and the middleware every request passes.
mod routes;
mod server;
mod tls;

pub use handle::{
    Emulator, EmulatorBuilder, EmulatorHandle, RecordedRequest, SyncChanges, WebhookDeliveryInfo,
};
pub use model::config::{
    ActionConfig, ActionKind, AuthMode, BasicCredential, Config, ConnectionSeed,
    DEFAULT_SECRET_KEY, DEFAULT_SIGNING_KEY, DEFAULT_VALID_API_KEY, IntegrationConfig, ModelConfig,
    RateLimitConfig, SyncConfig, WebhookConfig, default_integrations,
};
pub use model::faults::{Fault, FaultKind};
pub use model::secret::Secret;
pub use model::webhooks::{hmac_signature, legacy_signature};
pub use routes::error::EmulatorError;

/// Serialises a JSON value exactly as Nango serialises webhook bodies (JS key order, compact).
pub fn webhook_body_bytes(value: &serde_json::Value) -> String {
    model::js_json::to_js_json(value)
}
