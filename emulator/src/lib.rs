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

mod actions;
mod admin;
mod app;
mod auth;
mod config;
mod connect;
mod connections;
mod error;
mod faults;
mod front_door;
mod frontend_auth;
mod handle;
mod integrations;
mod js_json;
mod oauth;
mod pages;
mod provider;
mod provider_data;
mod proxy;
mod query;
mod record_store;
mod records;
mod redact;
mod secret;
mod server;
mod state;
mod sync_engine;
mod syncs;
mod timefmt;
mod webhooks;
mod ws;

pub use config::{
    ActionConfig, ActionKind, AuthMode, BasicCredential, Config, ConnectionSeed,
    DEFAULT_SECRET_KEY, DEFAULT_SIGNING_KEY, DEFAULT_VALID_API_KEY, IntegrationConfig, ModelConfig,
    RateLimitConfig, SyncConfig, WebhookConfig, default_integrations,
};
pub use error::EmulatorError;
pub use faults::{Fault, FaultKind};
pub use handle::{
    Emulator, EmulatorBuilder, EmulatorHandle, RecordedRequest, SyncChanges, WebhookDeliveryInfo,
};
pub use secret::Secret;
pub use webhooks::{hmac_signature, legacy_signature};

/// Serialises a JSON value exactly as Nango serialises webhook bodies (JS key order, compact).
pub fn webhook_body_bytes(value: &serde_json::Value) -> String {
    js_json::to_js_json(value)
}
