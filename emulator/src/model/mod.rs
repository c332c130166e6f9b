//! What the emulator knows and does behind the routes: its configuration, the shared state, the
//! integration catalog (administered integrations and their deployed functions), the
//! records cache, the sync engine and the demo provider's data, injected faults, outgoing
//! webhooks, and the formats they share (Nango's JSON and timestamps, secrets, redaction).

pub(crate) mod catalog;
pub(crate) mod config;
pub(crate) mod faults;
pub(crate) mod js_json;
pub(crate) mod provider_data;
pub(crate) mod record_store;
pub(crate) mod redact;
pub(crate) mod secret;
pub(crate) mod state;
pub(crate) mod sync_engine;
pub(crate) mod timefmt;
pub(crate) mod webhooks;
