//! `Emulator::builder()…start().await` → [`EmulatorHandle`].

use crate::model::config::{
    Config, ConnectionSeed, IntegrationConfig, ModelConfig, RateLimitConfig,
};
use crate::model::faults::{Fault, FaultState};
use crate::model::secret::Secret;
use crate::model::state::{AppState, Observed, Shared, World, lock, read};
use crate::model::timefmt::Clock;
use crate::routes::error::EmulatorError;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Entry point.
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// A builder starting from the default demo configuration.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder {
            config: Config::default(),
            tls: None,
        }
    }
}

/// Configures an emulator before it starts.
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    config: Config,
    tls: Option<crate::tls::TlsPem>,
}

impl EmulatorBuilder {
    /// Replaces the whole configuration.
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Environment secret key (must be a UUID v4).
    pub fn secret_key(mut self, key: impl Into<String>) -> Self {
        self.config.secret_key = Secret::new(key);
        self
    }

    /// Webhook signing key.
    pub fn signing_key(mut self, key: impl Into<String>) -> Self {
        self.config.signing_key = Secret::new(key);
        self
    }

    /// Port on 127.0.0.1 (0 = any free port, the default).
    pub fn port(mut self, port: u16) -> Self {
        self.config.port = port;
        self
    }

    /// Primary webhook URL.
    pub fn webhook_url(mut self, url: impl Into<String>) -> Self {
        self.config.webhooks.url = Some(url.into());
        self
    }

    /// Waits between webhook retries (one entry per retry; default 3 s, 6 s).
    pub fn webhook_retry_backoff(mut self, waits: &[Duration]) -> Self {
        self.config.webhooks.retry_backoff_ms =
            waits.iter().map(|d| d.as_millis() as u64).collect();
        self
    }

    /// Send sync webhooks even for runs without changes.
    pub fn always_send_sync_webhooks(mut self, yes: bool) -> Self {
        self.config.webhooks.always_send_sync = yes;
        self
    }

    /// WebSocket path for the popup flow (default `/`).
    pub fn websockets_path(mut self, path: impl Into<String>) -> Self {
        self.config.websockets_path = path.into();
        self
    }

    /// Adds an integration, replacing one with the same unique key.
    pub fn integration(mut self, integration: IntegrationConfig) -> Self {
        self.config
            .integrations
            .retain(|i| i.unique_key != integration.unique_key);
        self.config.integrations.push(integration);
        self
    }

    /// Replaces all integrations.
    pub fn integrations(mut self, integrations: Vec<IntegrationConfig>) -> Self {
        self.config.integrations = integrations;
        self
    }

    /// Sets the seeded data set of a model (adding the model to the integration if needed).
    pub fn seed(
        mut self,
        integration: &str,
        model: &str,
        count: usize,
        record_size: usize,
    ) -> Self {
        if let Some(i) = self
            .config
            .integrations
            .iter_mut()
            .find(|i| i.unique_key == integration)
        {
            match i.models.iter_mut().find(|m| m.name == model) {
                Some(m) => {
                    m.seed_count = count;
                    m.record_size = record_size;
                }
                None => i.models.push(ModelConfig {
                    name: model.into(),
                    seed_count: count,
                    record_size,
                }),
            }
        }
        self
    }

    /// A connection that exists (and has synced) as soon as the emulator is up.
    pub fn connection(mut self, provider_config_key: &str, connection_id: &str) -> Self {
        self.config.connections.push(ConnectionSeed {
            connection_id: connection_id.into(),
            provider_config_key: provider_config_key.into(),
        });
        self
    }

    /// Turns on the rate limiter.
    pub fn rate_limit(mut self, limit: u64, window: Duration) -> Self {
        self.config.rate_limit = Some(RateLimitConfig {
            limit,
            window_secs: window.as_secs().max(1),
        });
        self
    }

    /// How many requests the request log keeps (0 turns it off; default 1000).
    pub fn request_log_capacity(mut self, n: usize) -> Self {
        self.config.request_log_capacity = n;
        self
    }

    /// Compress responses for clients that ask (default on).
    pub fn compression(mut self, on: bool) -> Self {
        self.config.compression = on;
        self
    }

    /// A byte budget per `/records` page (see [`Config::records_max_response_bytes`]).
    pub fn records_max_response_bytes(mut self, bytes: usize) -> Self {
        self.config.records_max_response_bytes = Some(bytes);
        self
    }

    /// Lifetime of connect-session tokens (default 30 minutes).
    pub fn connect_session_ttl(mut self, ttl: Duration) -> Self {
        self.config.connect_session_ttl_secs = ttl.as_secs();
        self
    }

    /// Runs all active syncs on this period.
    pub fn sync_interval(mut self, every: Duration) -> Self {
        self.config.sync_interval_ms = Some(every.as_millis() as u64);
        self
    }

    /// Lifetime of the demo provider's access tokens.
    pub fn access_token_ttl(mut self, ttl: Duration) -> Self {
        self.config.access_token_ttl_secs = ttl.as_secs();
        self
    }

    /// Serve HTTPS and WSS with this certificate chain (PEM, leaf first) and its PEM private key,
    /// instead of the files of [`Config::tls_cert`] / [`Config::tls_key`].
    pub fn tls_pem(mut self, cert_chain: impl Into<Vec<u8>>, key: impl Into<Vec<u8>>) -> Self {
        self.tls = Some(crate::tls::TlsPem {
            cert_chain: cert_chain.into(),
            key: key.into(),
        });
        self
    }

    /// Binds, seeds and serves. Returns once the socket is listening.
    pub async fn start(self) -> Result<EmulatorHandle, EmulatorError> {
        let cfg = self.config;
        cfg.validate()?;
        let tls = match (self.tls, &cfg.tls_cert, &cfg.tls_key) {
            (Some(pem), _, _) => Some(pem),
            (None, Some(cert), Some(key)) => Some(crate::tls::TlsPem::from_files(cert, key)?),
            _ => None,
        };
        let acceptor = tls.as_ref().map(crate::tls::TlsPem::acceptor).transpose()?;
        let listener = TcpListener::bind(("127.0.0.1", cfg.port))
            .await
            .map_err(|source| EmulatorError::Bind {
                port: cfg.port,
                source,
            })?;
        let addr = listener
            .local_addr()
            .map_err(|source| EmulatorError::Bind {
                port: cfg.port,
                source,
            })?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        let url = format!("{scheme}://127.0.0.1:{}", addr.port());
        // reqwest is built without a default TLS provider; webhooks/proxy may target https URLs.
        let _ = rustls::crypto::ring::default_provider().install_default();
        // Bodies pass through as they came: the proxy hands the upstream's bytes and
        // `Content-Encoding` on unchanged, whatever features another crate turned on in reqwest.
        // The emulator calls itself (the OAuth token exchange): over HTTPS it trusts its own chain.
        let own_chain = match &tls {
            Some(pem) => pem.certs()?,
            None => Vec::new(),
        };
        let own_chain = own_chain
            .iter()
            .map(|der| reqwest::Certificate::from_der(der))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| EmulatorError::HttpClient(e.to_string()))?;
        let http = reqwest::Client::builder()
            .tls_certs_merge(own_chain)
            .no_proxy()
            .no_gzip()
            .no_brotli()
            .no_zstd()
            .no_deflate()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| EmulatorError::HttpClient(e.to_string()))?;
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let mut faults = FaultState::default();
        faults.set_rate_limit(cfg.rate_limit);
        let mut world = World {
            webhook_url: cfg.webhooks.url.clone(),
            ..World::default()
        };
        crate::model::provider_data::seed(&mut world, &cfg);
        let cfg = Arc::new(cfg);
        let state: Shared = Arc::new(AppState {
            cfg: cfg.clone(),
            url: url.clone(),
            world: Mutex::new(world),
            catalog: Mutex::new(crate::model::catalog::Catalog::seeded(&cfg)),
            records: RwLock::new(Default::default()),
            clock: Clock::default(),
            ws_clients: Mutex::new(HashMap::new()),
            faults: Mutex::new(faults),
            observed: Mutex::new(Observed::default()),
            http,
            shutdown: shutdown_rx.clone(),
            rt: tokio::runtime::Handle::current(),
        });
        for seed in &cfg.connections {
            crate::routes::connections::upsert(
                &state,
                crate::routes::connections::NewConnection {
                    provider_config_key: seed.provider_config_key.clone(),
                    connection_id: seed.connection_id.clone(),
                    ..Default::default()
                },
            )
            .map_err(|e| {
                EmulatorError::Config(format!(
                    "seed connection {}: {}",
                    seed.connection_id, e.code
                ))
            })?;
        }
        let mut tasks = Vec::new();
        if let Some(ms) = cfg.sync_interval_ms.filter(|ms| *ms > 0) {
            let st = state.clone();
            let mut stop = shutdown_rx.clone();
            tasks.push(tokio::spawn(async move {
                let mut tick = tokio::time::interval(Duration::from_millis(ms));
                tick.tick().await;
                loop {
                    tokio::select! {
                        _ = tick.tick() => crate::model::sync_engine::run_all(&st),
                        _ = stop.changed() => break,
                    }
                }
            }));
        }
        let router = crate::routes::router(state.clone());
        let server = tokio::spawn(crate::server::serve(
            listener,
            acceptor,
            router,
            shutdown_rx,
        ));
        Ok(EmulatorHandle {
            url,
            state,
            shutdown_tx,
            server: Some(server),
            tasks,
        })
    }
}

/// Per-model change counts of a sync run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncChanges {
    /// Records added.
    pub added: u64,
    /// Records updated.
    pub updated: u64,
    /// Records deleted.
    pub deleted: u64,
}

/// One webhook delivery as the emulator saw it.
#[derive(Debug, Clone)]
pub struct WebhookDeliveryInfo {
    /// Target URL.
    pub url: String,
    /// The exact body bytes sent.
    pub body: String,
    /// One entry per attempt: the status code, or `network error` / `timeout`.
    pub attempts: Vec<String>,
    /// Whether an attempt got a 2xx.
    pub delivered: bool,
}

/// One request as the request log recorded it (secrets redacted; see the README).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: String,
    /// Path without the query.
    pub path: String,
    /// Raw query string (secret fields redacted).
    pub query: Option<String>,
    /// Headers in arrival order, lower-case names (secret values redacted).
    pub headers: Vec<(String, String)>,
    /// Body as text (secret fields redacted).
    pub body: String,
}

/// A running emulator. Dropping it stops the server too; [`EmulatorHandle::shutdown`] also waits.
pub struct EmulatorHandle {
    url: String,
    state: Shared,
    shutdown_tx: watch::Sender<bool>,
    server: Option<JoinHandle<()>>,
    tasks: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for EmulatorHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorHandle")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl EmulatorHandle {
    /// Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// WebSocket URL of the popup flow.
    pub fn ws_url(&self) -> String {
        format!(
            "{}{}",
            self.url
                .replacen("https://", "wss://", 1)
                .replacen("http://", "ws://", 1),
            self.state.cfg.websockets_path
        )
    }

    /// The secret key to send as `Authorization: Bearer …`.
    pub fn secret_key(&self) -> &str {
        self.state.cfg.secret_key.expose()
    }

    /// The webhook signing key.
    pub fn signing_key(&self) -> &str {
        self.state.cfg.signing_key.expose()
    }

    /// Unique keys of the configured integrations.
    pub fn integrations(&self) -> Vec<String> {
        self.state
            .cfg
            .integrations
            .iter()
            .map(|i| i.unique_key.clone())
            .collect()
    }

    /// The configuration in use.
    pub fn config(&self) -> &Config {
        &self.state.cfg
    }

    /// Injects a fault; returns its id.
    pub fn inject_fault(&self, fault: Fault) -> u64 {
        lock(&self.state.faults).add(fault)
    }

    /// Removes all faults.
    pub fn clear_faults(&self) {
        lock(&self.state.faults).clear();
    }

    /// Turns the rate limiter on (or off with `None`).
    pub fn set_rate_limit(&self, cfg: Option<RateLimitConfig>) {
        lock(&self.state.faults).set_rate_limit(cfg);
    }

    /// Sets (or clears) the primary webhook URL.
    pub fn set_webhook_url(&self, url: Option<String>) {
        lock(&self.state.world).webhook_url = url;
    }

    /// Changes the provider's data: `add` new items, update `update` and delete `delete` existing
    /// ones. Returns the ids touched (added, updated, deleted).
    pub fn mutate_provider(
        &self,
        integration: &str,
        model: &str,
        add: usize,
        update: usize,
        delete: usize,
    ) -> (Vec<String>, Vec<String>, Vec<String>) {
        let m = crate::model::provider_data::mutate(
            &mut lock(&self.state.world),
            &self.state.cfg,
            integration,
            model,
            add,
            crate::model::provider_data::Update::Count(update),
            crate::model::provider_data::Update::Count(delete),
        );
        (m.added, m.updated, m.deleted)
    }

    /// Creates a connection directly (tokens from the demo provider), syncing it like a new one.
    pub fn create_connection(
        &self,
        provider_config_key: &str,
        connection_id: &str,
    ) -> Result<(), EmulatorError> {
        crate::routes::connections::upsert(
            &self.state,
            crate::routes::connections::NewConnection {
                provider_config_key: provider_config_key.into(),
                connection_id: connection_id.into(),
                ..Default::default()
            },
        )
        .map(|_| ())
        .map_err(|e| {
            EmulatorError::Config(format!(
                "{}: {}",
                e.code,
                e.message.clone().unwrap_or_default()
            ))
        })
    }

    /// Runs one sync now; returns the changes per model.
    pub fn run_sync(
        &self,
        provider_config_key: &str,
        connection_id: &str,
        sync: &str,
    ) -> Result<Vec<(String, SyncChanges)>, EmulatorError> {
        let key = (provider_config_key.to_owned(), connection_id.to_owned());
        crate::model::sync_engine::run(&self.state, &key, sync, "base", false)
            .map(|v| {
                v.into_iter()
                    .map(|(m, c)| {
                        (
                            m,
                            SyncChanges {
                                added: c.added,
                                updated: c.updated,
                                deleted: c.deleted,
                            },
                        )
                    })
                    .collect()
            })
            .map_err(|e| {
                EmulatorError::Config(format!(
                    "{}: {}",
                    e.code,
                    e.message.clone().unwrap_or_default()
                ))
            })
    }

    /// How many times an action ran.
    pub fn action_count(&self, action: &str) -> u64 {
        lock(&self.state.world)
            .action_counts
            .get(action)
            .copied()
            .unwrap_or(0)
    }

    /// Total requests received (admin routes excluded).
    pub fn request_count(&self) -> u64 {
        lock(&self.state.observed).total_requests
    }

    /// The request log, oldest first (admin routes excluded).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.observed)
            .requests
            .iter()
            .map(|r| RecordedRequest {
                method: r.method.clone(),
                path: r.path.clone(),
                query: r.query.clone(),
                headers: r.headers.clone(),
                body: r.body.clone(),
            })
            .collect()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        lock(&self.state.observed).requests.clear();
    }

    /// Webhook deliveries completed so far (successful or given up).
    pub fn webhook_deliveries(&self) -> Vec<WebhookDeliveryInfo> {
        lock(&self.state.world)
            .webhook_deliveries
            .iter()
            .map(|d| WebhookDeliveryInfo {
                url: d.url.clone(),
                body: d.body.clone(),
                attempts: d.attempts.clone(),
                delivered: d.delivered,
            })
            .collect()
    }

    /// Number of records stored for a connection and model (deleted ones included).
    pub fn record_count(
        &self,
        provider_config_key: &str,
        connection_id: &str,
        model: &str,
    ) -> usize {
        let id = lock(&self.state.world)
            .connections
            .get(&(provider_config_key.to_owned(), connection_id.to_owned()))
            .map(|c| c.id);
        id.and_then(|id| {
            read(&self.state.records)
                .collection(id, model)
                .map(|c| c.len())
        })
        .unwrap_or(0)
    }

    fn write_snapshot(&self) {
        let Some(path) = &self.state.cfg.snapshot_path else {
            return;
        };
        let world = lock(&self.state.world);
        let records = read(&self.state.records);
        let connections: Vec<serde_json::Value> = world
            .connections
            .values()
            .map(|c| {
                let counts: serde_json::Map<String, serde_json::Value> = records
                    .collections
                    .iter()
                    .filter(|((id, _), _)| *id == c.id)
                    .map(|((_, m), coll)| (m.clone(), serde_json::json!(coll.len())))
                    .collect();
                serde_json::json!({
                    "connection": crate::routes::connections::connection_json(c, None),
                    "records": counts,
                })
            })
            .collect();
        let snapshot = serde_json::json!({"url": self.url, "connections": connections, "sync_runs": world.sync_runs});
        if let Ok(text) = serde_json::to_string_pretty(&snapshot) {
            // Best effort: a snapshot is a convenience, not a guarantee.
            let _ = std::fs::write(path, text);
        }
    }

    /// Stops accepting connections, closes open ones and waits for the server task.
    pub async fn shutdown(mut self) {
        self.write_snapshot();
        let _ = self.shutdown_tx.send(true);
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        for t in self.tasks.drain(..) {
            let _ = t.await;
        }
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        let _ = self.shutdown_tx.send(true);
    }
}
