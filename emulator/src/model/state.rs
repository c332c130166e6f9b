//! Shared in-memory state. `World` (connections, sessions, provider data, syncs…) sits behind one
//! mutex; the records cache has its own `RwLock` so that paging readers never wait on anything but
//! sync writes. Locks are never held across an `.await`; when both are needed, `world` is taken first.

use crate::model::catalog::Catalog;
use crate::model::config::{AuthMode, Config, IntegrationConfig};
use crate::model::faults::FaultState;
use crate::model::record_store::RecordStore;
use crate::model::timefmt::{Clock, Micros, now_micros};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use tokio::sync::{mpsc, watch};
use uuid::Uuid;

pub(crate) type Shared = Arc<AppState>;

/// Locks a mutex, recovering from poisoning (a panicked handler must not take the server down).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

pub(crate) fn read<T>(m: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    m.read().unwrap_or_else(std::sync::PoisonError::into_inner)
}

pub(crate) fn write<T>(m: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    m.write().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Stored credentials of a connection.
#[derive(Clone)]
pub(crate) enum Credentials {
    OAuth2 {
        access_token: String,
        refresh_token: Option<String>,
        expires_at: Micros,
        raw: Value,
    },
    ApiKey {
        api_key: String,
    },
    Basic {
        username: String,
        password: String,
    },
    /// An unauthenticated integration's connection: nothing to store.
    None,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::OAuth2 { .. } => f.write_str("Credentials::OAuth2(***)"),
            Self::ApiKey { .. } => f.write_str("Credentials::ApiKey(***)"),
            Self::Basic { .. } => f.write_str("Credentials::Basic(***)"),
            Self::None => f.write_str("Credentials::None"),
        }
    }
}

/// A connection (one end user's account at one integration).
#[derive(Debug, Clone)]
pub(crate) struct Connection {
    pub(crate) id: u64,
    pub(crate) connection_id: String,
    pub(crate) provider_config_key: String,
    pub(crate) provider: String,
    pub(crate) auth_mode: AuthMode,
    pub(crate) credentials: Credentials,
    pub(crate) connection_config: Map<String, Value>,
    pub(crate) metadata: Option<Map<String, Value>>,
    pub(crate) tags: Map<String, Value>,
    pub(crate) end_user: Option<Value>,
    pub(crate) webhook_url_override: Option<String>,
    pub(crate) created_at: Micros,
    pub(crate) updated_at: Micros,
    pub(crate) last_fetched_at: Micros,
}

/// A connect session created by `POST /connect/sessions[/reconnect]`.
#[derive(Debug, Clone)]
pub(crate) struct ConnectSession {
    pub(crate) end_user: Option<Value>,
    pub(crate) organization: Option<Value>,
    pub(crate) allowed_integrations: Option<Vec<String>>,
    pub(crate) integrations_config_defaults: Option<Value>,
    pub(crate) overrides: Option<Value>,
    pub(crate) webhook_url_override: Option<String>,
    pub(crate) tags: Option<Map<String, Value>>,
    pub(crate) expires_at: Micros,
    /// Reconnect sessions pin the connection id.
    pub(crate) reconnect_connection_id: Option<String>,
}

/// An OAuth flow in progress (keyed by `state`).
#[derive(Debug, Clone)]
pub(crate) struct OAuthSession {
    pub(crate) provider_config_key: String,
    pub(crate) connection_id: String,
    pub(crate) code_verifier: String,
    pub(crate) ws_client_id: Option<Uuid>,
    pub(crate) connection_config: Map<String, Value>,
    pub(crate) end_user: Option<Value>,
    pub(crate) tags: Option<Map<String, Value>>,
    pub(crate) webhook_url_override: Option<String>,
}

/// One item of the demo provider's data.
#[derive(Debug, Clone)]
pub(crate) struct ProviderItem {
    pub(crate) version: u64,
    pub(crate) payload: Arc<Value>,
}

/// The demo provider's data for one integration.
#[derive(Debug, Default)]
pub(crate) struct ProviderData {
    /// model → (id → item), ids ordered for stable listings.
    pub(crate) models: HashMap<String, BTreeMap<String, ProviderItem>>,
    pub(crate) next_id: u64,
    pub(crate) next_version: u64,
}

/// An authorisation code issued by the demo provider.
#[derive(Debug, Clone)]
pub(crate) struct AuthCode {
    pub(crate) integration: String,
    pub(crate) redirect_uri: String,
    pub(crate) code_challenge: Option<String>,
    pub(crate) scope: String,
    pub(crate) expires_at: Micros,
}

/// An access token issued by the demo provider.
#[derive(Debug, Clone)]
pub(crate) struct TokenInfo {
    pub(crate) integration: String,
    pub(crate) expires_at: Micros,
}

/// Sync state of one (connection, sync, variant).
#[derive(Debug, Clone)]
pub(crate) struct SyncState {
    pub(crate) id: Uuid,
    pub(crate) name: String,
    pub(crate) variant: String,
    pub(crate) models: Vec<String>,
    pub(crate) paused: bool,
    pub(crate) frequency: String,
    pub(crate) frequency_overridden: bool,
    pub(crate) finished_at: Option<Micros>,
    pub(crate) runs: u64,
    pub(crate) latest_result: Map<String, Value>,
    pub(crate) latest_status: &'static str,
}

/// An async action execution.
#[derive(Debug, Clone)]
pub(crate) struct AsyncAction {
    pub(crate) result: Option<Result<Value, crate::routes::error::ApiError>>,
}

/// One delivered (or attempted) webhook, for the admin API.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct WebhookDelivery {
    pub(crate) url: String,
    pub(crate) body: String,
    pub(crate) attempts: Vec<String>,
    pub(crate) delivered: bool,
}

/// One logged request, for the admin API.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct LoggedRequest {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

/// Everything mutable except records.
#[derive(Debug, Default)]
pub(crate) struct World {
    pub(crate) connections: BTreeMap<(String, String), Connection>,
    pub(crate) next_connection_id: u64,
    pub(crate) sessions: HashMap<String, ConnectSession>,
    pub(crate) oauth_sessions: HashMap<String, OAuthSession>,
    pub(crate) provider: HashMap<String, ProviderData>,
    pub(crate) auth_codes: HashMap<String, AuthCode>,
    pub(crate) access_tokens: HashMap<String, TokenInfo>,
    pub(crate) refresh_tokens: HashMap<String, String>,
    /// (connection internal id, sync name, variant) → state
    pub(crate) syncs: BTreeMap<(u64, String, String), SyncState>,
    pub(crate) async_actions: HashMap<Uuid, AsyncAction>,
    pub(crate) webhook_url: Option<String>,
    pub(crate) webhook_deliveries: Vec<WebhookDelivery>,
    pub(crate) action_counts: BTreeMap<String, u64>,
    pub(crate) sync_runs: u64,
}

/// Request log and counters, kept apart from `World` so logging never contends with handlers.
#[derive(Debug, Default)]
pub(crate) struct Observed {
    pub(crate) requests: VecDeque<LoggedRequest>,
    pub(crate) request_counts: BTreeMap<String, u64>,
    pub(crate) total_requests: u64,
    /// Body bytes of API responses as sent (after compression).
    pub(crate) response_bytes: u64,
    /// API responses per `Content-Encoding` (`identity` when none).
    pub(crate) response_encodings: BTreeMap<String, u64>,
}

/// The state every handler shares.
#[derive(Debug)]
pub(crate) struct AppState {
    pub(crate) cfg: Arc<Config>,
    pub(crate) url: String,
    pub(crate) world: Mutex<World>,
    /// Integrations as administered through the API, and their functions. Taken after `world`
    /// when both are needed.
    pub(crate) catalog: Mutex<Catalog>,
    pub(crate) records: RwLock<RecordStore>,
    pub(crate) clock: Clock,
    pub(crate) ws_clients: Mutex<HashMap<Uuid, mpsc::UnboundedSender<String>>>,
    pub(crate) faults: Mutex<FaultState>,
    pub(crate) observed: Mutex<Observed>,
    pub(crate) http: reqwest::Client,
    pub(crate) shutdown: watch::Receiver<bool>,
    /// The runtime the emulator started on: background work (webhooks, async actions) is spawned
    /// there, so the handle's synchronous methods also work from threads outside any runtime.
    pub(crate) rt: tokio::runtime::Handle,
}

impl AppState {
    /// The integration of that key as the catalog has it now (configured, or created through
    /// the API), for the routes that run connections, OAuth, connect sessions, syncs and actions.
    pub(crate) fn integration(&self, key: &str) -> Option<Arc<IntegrationConfig>> {
        lock(&self.catalog).get(key).map(|e| Arc::clone(&e.config))
    }

    /// [`Self::integration`], or 400 `unknown_provider_config`, as most routes answer a key
    /// they do not know.
    pub(crate) fn known_integration(
        &self,
        key: &str,
    ) -> Result<Arc<IntegrationConfig>, crate::routes::error::ApiError> {
        self.integration(key).ok_or_else(|| {
            crate::routes::error::ApiError::bad_request(
                "unknown_provider_config",
                "Integration not found",
            )
        })
    }

    /// Every integration of the catalog, in its order.
    pub(crate) fn integrations(&self) -> Vec<Arc<IntegrationConfig>> {
        let catalog = lock(&self.catalog);
        catalog
            .entries
            .iter()
            .map(|e| Arc::clone(&e.config))
            .collect()
    }

    pub(crate) fn session_alive(&self, token: &str) -> bool {
        let now = now_micros();
        lock(&self.world)
            .sessions
            .get(token)
            .is_some_and(|s| s.expires_at > now)
    }

    pub(crate) fn session(&self, token: &str) -> Option<ConnectSession> {
        let now = now_micros();
        lock(&self.world)
            .sessions
            .get(token)
            .filter(|s| s.expires_at > now)
            .cloned()
    }

    pub(crate) fn ws_send(&self, client: Uuid, message: &Value) -> bool {
        let clients = lock(&self.ws_clients);
        match clients.get(&client) {
            Some(tx) => tx.send(message.to_string()).is_ok(),
            None => false,
        }
    }
}
