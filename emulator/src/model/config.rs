//! Emulator configuration: keys, integrations (with their models, syncs and actions), pre-created
//! connections, webhooks, rate limiting and timings. Loadable from JSON; every field has a default so
//! that an empty object (or no file at all) serves the README demo.

use crate::model::secret::Secret;
use serde::{Deserialize, Serialize};

/// The fixed demo secret key used when none is configured (a valid UUID v4, so SDKs accept it).
pub const DEFAULT_SECRET_KEY: &str = "e5a1c0de-0000-4000-8000-00000000e4a1";
/// The fixed demo webhook signing key used when none is configured.
pub const DEFAULT_SIGNING_KEY: &str = "emulator-webhook-signing-key-0001";
/// The API key the default `demo-api-key` integration accepts.
pub const DEFAULT_VALID_API_KEY: &str = "sk-demo-valid";

/// First path segments used by the emulator's routes (the WebSocket path must not collide with them).
const RESERVED_SEGMENTS: &[&str] = &[
    "records",
    "action",
    "connections",
    "sync",
    "connect",
    "integrations",
    "providers",
    "environment-variables",
    "scripts",
    "proxy",
    "oauth",
    "api-auth",
    "_connect",
    "_provider",
    "_emulator",
];

/// How an integration authenticates its connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuthMode {
    /// OAuth 2 authorisation-code flow against the built-in demo provider (popup flow).
    #[serde(rename = "OAUTH2")]
    OAuth2,
    /// An API key supplied by the end user (`/api-auth/api-key/:key`).
    #[serde(rename = "API_KEY")]
    ApiKey,
    /// Username and password (`/api-auth/basic/:key`).
    #[serde(rename = "BASIC")]
    Basic,
    /// No credentials at all (`/auth/unauthenticated/:key`, the frontend's `create()`).
    #[serde(rename = "NONE")]
    None,
}

impl AuthMode {
    /// The wire name (`OAUTH2`, `API_KEY`, `BASIC`, `NONE`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OAuth2 => "OAUTH2",
            Self::ApiKey => "API_KEY",
            Self::Basic => "BASIC",
            Self::None => "NONE",
        }
    }
}

/// A model served by the demo provider, seeded with synthetic records.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelConfig {
    /// Model name (must start with an uppercase letter, e.g. `Ticket`).
    pub name: String,
    /// How many records the provider holds at start.
    pub seed_count: usize,
    /// Approximate size in bytes of each record's JSON payload.
    pub record_size: usize,
}

impl Default for ModelConfig {
    fn default() -> Self {
        Self {
            name: "Ticket".into(),
            seed_count: 50,
            record_size: 256,
        }
    }
}

/// A sync: which models it fills, and how often it claims to run.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SyncConfig {
    /// Sync name, e.g. `tickets`.
    pub name: String,
    /// Models this sync writes.
    pub models: Vec<String>,
    /// Human frequency string reported by `/sync/status`.
    pub frequency: String,
    /// Whether the sync runs as soon as a connection is created.
    pub auto_start: bool,
}

impl Default for SyncConfig {
    fn default() -> Self {
        Self {
            name: "tickets".into(),
            models: vec!["Ticket".into()],
            frequency: "every 5 minutes".into(),
            auto_start: true,
        }
    }
}

/// What a built-in action does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Creates a record of `model` in the provider's data from the input object; returns it. The next
    /// sync reports it as added.
    CreateRecord,
    /// Returns the input unchanged.
    Echo,
    /// Always fails with `action_script_failure`.
    Fail,
}

/// A built-in action.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionConfig {
    /// Action name, e.g. `create-ticket`.
    pub name: String,
    /// Behaviour.
    pub kind: ActionKind,
    /// Target model for `create_record`.
    #[serde(default)]
    pub model: Option<String>,
}

/// Accepted credentials for a BASIC integration.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasicCredential {
    /// Username.
    pub username: String,
    /// Password.
    pub password: Secret,
}

impl std::fmt::Debug for BasicCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BasicCredential")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// One integration (a provider config key).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IntegrationConfig {
    /// Unique key (`provider_config_key`).
    pub unique_key: String,
    /// Provider name reported in connections and webhooks.
    pub provider: String,
    /// Display name.
    pub display_name: Option<String>,
    /// Auth mode.
    pub auth_mode: AuthMode,
    /// OAuth scopes requested from the demo provider.
    pub scopes: Vec<String>,
    /// Models with seeded data.
    pub models: Vec<ModelConfig>,
    /// Syncs.
    pub syncs: Vec<SyncConfig>,
    /// Actions.
    pub actions: Vec<ActionConfig>,
    /// API_KEY mode: keys that pass the connection test; empty = any non-empty key passes.
    pub valid_api_keys: Vec<Secret>,
    /// BASIC mode: credentials that pass; empty = any non-empty username passes.
    pub valid_basic: Vec<BasicCredential>,
}

impl Default for IntegrationConfig {
    fn default() -> Self {
        Self {
            unique_key: "zendesk".into(),
            provider: "zendesk".into(),
            display_name: None,
            auth_mode: AuthMode::OAuth2,
            scopes: vec!["read".into(), "write".into()],
            models: vec![ModelConfig::default()],
            syncs: vec![SyncConfig::default()],
            actions: vec![
                ActionConfig {
                    name: "create-ticket".into(),
                    kind: ActionKind::CreateRecord,
                    model: Some("Ticket".into()),
                },
                ActionConfig {
                    name: "echo".into(),
                    kind: ActionKind::Echo,
                    model: None,
                },
                ActionConfig {
                    name: "fail".into(),
                    kind: ActionKind::Fail,
                    model: None,
                },
            ],
            valid_api_keys: Vec::new(),
            valid_basic: Vec::new(),
        }
    }
}

/// A connection that exists from start-up (useful for tests and benchmarks that skip the OAuth dance).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionSeed {
    /// Connection id.
    pub connection_id: String,
    /// Integration unique key.
    pub provider_config_key: String,
}

/// Fixed-window rate limiter settings.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RateLimitConfig {
    /// Requests allowed per window.
    pub limit: u64,
    /// Window length in seconds.
    pub window_secs: u64,
}

/// Webhook delivery settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebhookConfig {
    /// Primary webhook URL (none = no webhooks sent).
    pub url: Option<String>,
    /// Secondary webhook URL.
    pub secondary_url: Option<String>,
    /// Waits before each retry (one entry per retry); Nango's code uses 3 s then 6 s.
    pub retry_backoff_ms: Vec<u64>,
    /// Per-attempt timeout.
    pub timeout_ms: u64,
    /// Send sync webhooks even when a run changed nothing.
    pub always_send_sync: bool,
    /// Send `auth` webhooks on connection creation.
    pub send_auth_creation: bool,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        Self {
            url: None,
            secondary_url: None,
            retry_backoff_ms: vec![3_000, 6_000],
            timeout_ms: 20_000,
            always_send_sync: false,
            send_auth_creation: true,
        }
    }
}

/// The whole configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Environment secret key (UUID v4) accepted as `Authorization: Bearer …`.
    pub secret_key: Secret,
    /// Webhook signing key.
    pub signing_key: Secret,
    /// Port on 127.0.0.1 (0 = any free port).
    pub port: u16,
    /// Environment name reported in auth webhooks.
    pub environment: String,
    /// Path of the WebSocket endpoint used by the frontend popup flow.
    pub websockets_path: String,
    /// Integrations.
    pub integrations: Vec<IntegrationConfig>,
    /// Connections created at start-up (and synced immediately).
    pub connections: Vec<ConnectionSeed>,
    /// Webhooks.
    pub webhooks: WebhookConfig,
    /// Optional rate limiter.
    pub rate_limit: Option<RateLimitConfig>,
    /// Run every active sync on this period (none = only on demand).
    pub sync_interval_ms: Option<u64>,
    /// Lifetime of access tokens issued by the demo provider.
    pub access_token_ttl_secs: u64,
    /// Lifetime of connect-session tokens (Nango: 30 minutes).
    pub connect_session_ttl_secs: u64,
    /// Base wait for proxy retries (`Retries` header); Nango waits 3 s·2^n, the default here is shorter
    /// so tests stay fast.
    pub proxy_retry_base_ms: u64,
    /// How many requests the request log keeps (oldest dropped first; 0 disables it).
    pub request_log_capacity: usize,
    /// Optional file the state snapshot (connections, records counts) is written to on shutdown.
    pub snapshot_path: Option<String>,
    /// Compress responses (zstd, br or gzip) for clients that send `Accept-Encoding`, as Nango's
    /// servers do. Off: every response goes out as is.
    pub compression: bool,
    /// A byte budget per `/records` page: a page stops before the record that would take its
    /// records' JSON past this many bytes (it always holds at least one), and its `next_cursor`
    /// points on even though fewer than `limit` records came back. Nango does this when its
    /// response-size budget is configured. None: only `limit` bounds a page.
    pub records_max_response_bytes: Option<usize>,
    /// Serve HTTPS (and WSS) with this PEM certificate chain (leaf first); needs `tls_key`.
    pub tls_cert: Option<String>,
    /// The PEM private key of `tls_cert`.
    pub tls_key: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            secret_key: Secret::new(DEFAULT_SECRET_KEY),
            signing_key: Secret::new(DEFAULT_SIGNING_KEY),
            port: 0,
            environment: "dev".into(),
            websockets_path: "/".into(),
            integrations: default_integrations(),
            connections: Vec::new(),
            webhooks: WebhookConfig::default(),
            rate_limit: None,
            sync_interval_ms: None,
            access_token_ttl_secs: 3_600,
            connect_session_ttl_secs: 1_800,
            proxy_retry_base_ms: 50,
            request_log_capacity: 1_000,
            snapshot_path: None,
            compression: true,
            records_max_response_bytes: None,
            tls_cert: None,
            tls_key: None,
        }
    }
}

/// The demo integrations: `zendesk` (OAuth2, `Ticket` model, `tickets` sync, `create-ticket` action),
/// `demo-api-key` (API key), `demo-basic` (basic auth) and `demo-unauthenticated` (no credentials).
pub fn default_integrations() -> Vec<IntegrationConfig> {
    vec![
        IntegrationConfig {
            display_name: Some("Zendesk (demo)".into()),
            ..IntegrationConfig::default()
        },
        IntegrationConfig {
            unique_key: "demo-api-key".into(),
            provider: "openai".into(),
            display_name: Some("API key demo".into()),
            auth_mode: AuthMode::ApiKey,
            scopes: Vec::new(),
            models: vec![ModelConfig {
                name: "Document".into(),
                seed_count: 10,
                record_size: 200,
            }],
            syncs: vec![SyncConfig {
                name: "documents".into(),
                models: vec!["Document".into()],
                frequency: "every hour".into(),
                auto_start: true,
            }],
            actions: vec![ActionConfig {
                name: "echo".into(),
                kind: ActionKind::Echo,
                model: None,
            }],
            valid_api_keys: vec![Secret::new(DEFAULT_VALID_API_KEY)],
            valid_basic: Vec::new(),
        },
        IntegrationConfig {
            unique_key: "demo-basic".into(),
            provider: "demo-basic".into(),
            display_name: Some("Basic auth demo".into()),
            auth_mode: AuthMode::Basic,
            scopes: Vec::new(),
            models: Vec::new(),
            syncs: Vec::new(),
            actions: Vec::new(),
            valid_api_keys: Vec::new(),
            valid_basic: vec![BasicCredential {
                username: "demo".into(),
                password: Secret::new("demo-password"),
            }],
        },
        IntegrationConfig {
            unique_key: "demo-unauthenticated".into(),
            provider: "unauthenticated".into(),
            display_name: Some("Unauthenticated demo".into()),
            auth_mode: AuthMode::None,
            scopes: Vec::new(),
            models: Vec::new(),
            syncs: Vec::new(),
            actions: Vec::new(),
            valid_api_keys: Vec::new(),
            valid_basic: Vec::new(),
        },
    ]
}

impl Config {
    /// Reads a JSON configuration file.
    pub fn from_file(path: &str) -> Result<Self, crate::EmulatorError> {
        let text = std::fs::read_to_string(path).map_err(|e| crate::EmulatorError::ConfigFile {
            path: path.into(),
            reason: e.to_string(),
        })?;
        serde_json::from_str(&text).map_err(|e| {
            // "invalid type/value" messages quote the offending value, which may be a key: keep only
            // where the problem is for those.
            let msg = e.to_string();
            let reason = if msg.starts_with("invalid type") || msg.starts_with("invalid value") {
                format!(
                    "a value has the wrong type or format at line {} column {}",
                    e.line(),
                    e.column()
                )
            } else {
                msg
            };
            crate::EmulatorError::ConfigFile {
                path: path.into(),
                reason,
            }
        })
    }

    /// Checks internal consistency.
    pub fn validate(&self) -> Result<(), crate::EmulatorError> {
        let err = |m: String| Err(crate::EmulatorError::Config(m));
        if !crate::routes::auth::is_uuid_v4(self.secret_key.expose()) {
            return err("secret_key must be a UUID v4".into());
        }
        if self.signing_key.expose().is_empty() {
            return err("signing_key must not be empty".into());
        }
        if self.tls_cert.is_some() != self.tls_key.is_some() {
            return err("tls_cert and tls_key go together".into());
        }
        if self.records_max_response_bytes == Some(0) {
            return err("records_max_response_bytes must be at least 1".into());
        }
        if !self.websockets_path.starts_with('/') {
            return err("websockets_path must start with '/'".into());
        }
        let first = self
            .websockets_path
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or_default();
        if RESERVED_SEGMENTS.contains(&first)
            || self.websockets_path.contains(['{', '}', '*', '?', '#'])
        {
            return err(format!(
                "websockets_path {:?} collides with an API route",
                self.websockets_path
            ));
        }
        let mut keys = std::collections::HashSet::new();
        for i in &self.integrations {
            if !keys.insert(i.unique_key.as_str()) {
                return err(format!("duplicate integration key {:?}", i.unique_key));
            }
            let model_names: Vec<&str> = i.models.iter().map(|m| m.name.as_str()).collect();
            for m in &i.models {
                if !crate::routes::query::is_model_name(&m.name) {
                    return err(format!(
                        "model name {:?} must match ^[A-Z][a-zA-Z0-9_-]+$",
                        m.name
                    ));
                }
            }
            for s in &i.syncs {
                for m in &s.models {
                    if !model_names.contains(&m.as_str()) {
                        return err(format!("sync {:?} names unknown model {m:?}", s.name));
                    }
                }
            }
            for a in &i.actions {
                if a.kind == ActionKind::CreateRecord {
                    match &a.model {
                        Some(m) if model_names.contains(&m.as_str()) => {}
                        _ => {
                            return err(format!(
                                "action {:?} needs a `model` among the integration's models",
                                a.name
                            ));
                        }
                    }
                }
            }
        }
        for c in &self.connections {
            if !keys.contains(c.provider_config_key.as_str()) {
                return err(format!(
                    "connection {:?} names unknown integration {:?}",
                    c.connection_id, c.provider_config_key
                ));
            }
        }
        Ok(())
    }

    pub(crate) fn integration(&self, key: &str) -> Option<&IntegrationConfig> {
        self.integrations.iter().find(|i| i.unique_key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_is_valid_and_empty_json_is_default() {
        Config::default().validate().unwrap();
        let c: Config = serde_json::from_str("{}").unwrap();
        assert_eq!(c.integrations.len(), 4);
        assert_eq!(c.secret_key.expose(), DEFAULT_SECRET_KEY);
    }

    #[test]
    fn websocket_path_must_not_collide() {
        for bad in ["records", "/records", "/proxy/ws", "/_emulator", "/a/{x}"] {
            let c = Config {
                websockets_path: bad.into(),
                ..Config::default()
            };
            assert!(c.validate().is_err(), "{bad}");
        }
        for good in ["/", "/ws", "/socket/x"] {
            let c = Config {
                websockets_path: good.into(),
                ..Config::default()
            };
            assert!(c.validate().is_ok(), "{good}");
        }
    }

    #[test]
    fn config_file_errors_do_not_quote_values() {
        let dir = std::env::temp_dir().join(format!("nango-emu-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("c.json");
        std::fs::write(&file, r#"{"port": "s3cr3t-value"}"#).unwrap();
        let err = Config::from_file(file.to_str().unwrap())
            .unwrap_err()
            .to_string();
        assert!(!err.contains("s3cr3t"), "{err}");
        std::fs::write(&file, r#"{"bogus": 1}"#).unwrap();
        let err = Config::from_file(file.to_str().unwrap())
            .unwrap_err()
            .to_string();
        assert!(err.contains("bogus"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn debug_hides_keys() {
        let s = format!("{:?}", Config::default());
        assert!(!s.contains(DEFAULT_SECRET_KEY));
        assert!(!s.contains(DEFAULT_SIGNING_KEY));
        assert!(!s.contains("demo-password"));
        assert!(!s.contains(DEFAULT_VALID_API_KEY));
    }
}
