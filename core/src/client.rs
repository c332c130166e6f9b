//! The backend client: configuration, credentials and the entry points shared by every endpoint.
//!
//! Endpoint methods live next to their request builders (`records.rs`, `actions.rs`, …) as
//! further `impl Nango` blocks; this file holds what they share.

use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::request::{Request, TimeLimit, check_header_value};
use crate::response::{RawResponse, parse_json};
use crate::retry::RetryPolicy;

/// Default API host (docs/protocol.md §1).
pub const DEFAULT_HOST: &str = "https://api.nango.dev";

/// The `Accept-Encoding` every native request sends. A records page is JSON that shrinks 6–8×
/// compressed, which is most of the time a page takes on a real link; reqwest decodes the body
/// while reading it, on the runtime thread that awaits the response (never a JS thread, and
/// never with the GIL held). Not sent in the browser, where `fetch` negotiates it itself.
pub const ACCEPT_ENCODING: &str = "gzip, br, zstd";

/// The longest `timeout`, `deadline` or retry delay [`NangoBuilder::build`] accepts: a day.
/// Longer values are almost certainly unit mistakes (milliseconds given as seconds).
pub const MAX_DURATION: Duration = Duration::from_secs(24 * 60 * 60);

/// Default cap on the requests one client has in flight at once: 100, as httpx's default pool
/// (`max_connections`). Plenty for a service's steady traffic, and a burst of thousands of
/// concurrent calls queues instead of opening thousands of sockets.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 100;

/// The largest [`NangoBuilder::max_in_flight`] that [`NangoBuilder::build`] accepts: each
/// request in flight may hold a socket, and a process rarely has more than 65,536 file
/// descriptors.
pub const MAX_IN_FLIGHT: usize = 10_000;

/// The most retries [`NangoBuilder::build`] accepts.
pub const MAX_RETRIES: u32 = 20;

/// Sent as `true` on every request of a client built with [`NangoBuilder::is_sync`]: the call
/// is made from a sync script (Nango attributes it, e.g. in its logs).
pub const IS_SYNC_HEADER: &str = "Nango-Is-Sync";

/// Sent as `true` on every request of a client built with [`NangoBuilder::is_script`]: the
/// call is made from a script (sync or action) run by Nango.
pub const IS_SCRIPT_HEADER: &str = "Nango-Is-Script";

/// Sent as `true` on every request of a client built with [`NangoBuilder::dry_run`]: the call
/// is part of a dry run (`nango dryrun`).
pub const DRY_RUN_HEADER: &str = "Nango-Is-Dry-Run";

/// The activity log a proxy call is written to ([`NangoBuilder::activity_log_id`], or the call's
/// own `activity_log_id`). Sent on proxy calls only, as the official Node SDK does.
pub const ACTIVITY_LOG_ID_HEADER: &str = "Nango-Activity-Log-Id";

/// The options of the official Node SDK's second constructor argument (`{ userAgent,
/// httpsAgent, interceptors }`) that no binding can honour, with what to use instead: a binding
/// warns once per option (see [`unhonoured_option`]).
pub const UNHONOURED_OPTIONS: &[(&str, &str)] = &[
    (
        "httpsAgent",
        "a proxy is taken from HTTPS_PROXY / NO_PROXY, and extra CAs from the caCertificates \
         option (or NODE_EXTRA_CA_CERTS); connection limits from maxInFlight",
    ),
    (
        "httpAgent",
        "a proxy is taken from HTTP_PROXY / NO_PROXY; connection limits from maxInFlight",
    ),
    (
        "interceptors",
        "there are no axios interceptors: wrap the calls, or read the package's logs \
         (and timeoutMs / maxRetries for the retry behaviour)",
    ),
];

/// The warning for an option of the official SDK's second constructor argument that is not
/// honoured: `Some(text)` naming what to use instead (any option other than `userAgent` that
/// [`UNHONOURED_OPTIONS`] does not name gets a generic one, as an axios setting); `None` for
/// `userAgent`, which is honoured ([`NangoBuilder::user_agent`]).
pub fn unhonoured_option(name: &str) -> Option<String> {
    if name == "userAgent" {
        return None;
    }
    let instead = UNHONOURED_OPTIONS
        .iter()
        .find(|(option, _)| *option == name)
        .map(|(_, instead)| *instead)
        .unwrap_or(
            "the client does not use axios; its settings are the constructor's first argument \
             (host, timeoutMs, deadlineMs, maxRetries, caCertificates, maxInFlight)",
        );
    Some(format!("the option `{name}` is ignored: {instead}"))
}

/// The environment variable read for the host when none is given to the builder.
pub const HOST_ENV: &str = "NANGO_HOST";

/// The environment variable read for the secret key when none is given to the builder.
pub const SECRET_KEY_ENV: &str = "NANGO_SECRET_KEY";

/// Default per-attempt limit (connect, wait for the answer, read the body) of every call except
/// a synchronous action run: 60 s.
///
/// The slowest legitimate call of this kind is the largest answer Nango serves: a records page at
/// its maximum `limit` of 10,000, or a connection list of 10,000, a few MB that arrive in seconds
/// even on a slow link (10 MB at 10 Mbit/s is 8 s). A server that has not finished in 60 s has
/// hung or lost the request, and an idempotent call is better retried than waited on. This is
/// also the order of magnitude other API clients pick (Stripe's Node SDK: 80 s).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Default overall limit of one call, retries and their waits included: 120 s.
///
/// Long enough for one attempt that uses its whole [`DEFAULT_TIMEOUT`] followed by a second
/// attempt, or for a `Retry-After` of up to a minute (the longest [`RetryPolicy`] honours by
/// default); short enough that a silent server fails every call within two minutes rather than
/// the three a full third attempt would take.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(120);

/// Default per-attempt limit of a synchronous action run (`trigger_action`): 16 minutes.
///
/// The answer only comes once the action has finished, and Nango lets an action run for up to
/// 15 minutes before failing it itself; the extra minute covers the wait for a runner and the
/// answer's transfer. Cutting in earlier would abandon actions the server still completes (a
/// synchronous action is never retried after a timeout, as it may have run). Callers that
/// cannot wait that long use `trigger_action_async`, whose trigger returns at once.
pub const DEFAULT_ACTION_TIMEOUT: Duration = Duration::from_secs(16 * 60);

/// Default overall limit of a synchronous action run: 18 minutes, i.e.
/// [`DEFAULT_ACTION_TIMEOUT`] plus room for the retries an action trigger may take before it
/// runs (a refused connection, a 429 with a `Retry-After` of up to a minute).
pub const DEFAULT_ACTION_DEADLINE: Duration = Duration::from_secs(18 * 60);

/// A secret string that never shows up in `Debug`/`Display` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself. Call only where it is put on the wire or into a MAC.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// The client's settings after validation.
#[derive(Debug, Clone)]
pub struct Config {
    /// Base URL without trailing slash, e.g. `https://api.nango.dev`.
    pub host: String,
    secret_key: Secret,
    signing_key: Option<Secret>,
    /// Per-attempt limit (connect + response + body) of every call except a synchronous action
    /// run. Default [`DEFAULT_TIMEOUT`]; a timeout given to the builder applies to every call.
    pub timeout: Duration,
    /// Overall limit for one call, retries and their waits included. Default
    /// [`DEFAULT_DEADLINE`]; a deadline given to the builder applies to every call.
    pub deadline: Duration,
    /// Per-attempt limit of a synchronous action run: [`DEFAULT_ACTION_TIMEOUT`], or the
    /// builder's timeout when one was given.
    pub action_timeout: Duration,
    /// Overall limit of a synchronous action run: [`DEFAULT_ACTION_DEADLINE`], or the builder's
    /// deadline when one was given.
    pub action_deadline: Duration,
    /// Retry policy.
    pub retry: RetryPolicy,
    /// The full `User-Agent` value.
    pub user_agent: String,
    /// The language the client is used from (which CA variables applied; the TLS error's hint).
    #[cfg(not(target_arch = "wasm32"))]
    pub ecosystem: crate::tls::Ecosystem,
    /// Whether `list_records` reads the next page ahead (see [`crate::records_ahead`]).
    /// Default true.
    pub read_ahead: bool,
    /// The most requests of this client in flight at once ([`DEFAULT_MAX_IN_FLIGHT`]); more
    /// wait for a slot. It also bounds the connections the client opens (see
    /// [`NangoBuilder::max_in_flight`]).
    pub max_in_flight: usize,
    /// The client-wide defaults of connection-scoped calls and the script headers
    /// ([`Scope`]).
    pub scope: Scope,
    // ---- logging (see crate::log) ----
    /// The log level and the binding's sink: [`NangoBuilder::log_level`], `NANGO_LOG`.
    pub log: crate::log::LogConfig,
}

/// What a client says about the calls it makes, as the official Node SDK's constructor takes
/// it: the connection used when a call names none, and the script flags sent as headers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Scope {
    /// The integration a call uses when it names none ([`NangoBuilder::provider_config_key`]).
    pub provider_config_key: Option<String>,
    /// The connection a call uses when it names none ([`NangoBuilder::connection_id`]).
    pub connection_id: Option<String>,
    /// [`IS_SYNC_HEADER`] is sent.
    pub is_sync: bool,
    /// [`IS_SCRIPT_HEADER`] is sent.
    pub is_script: bool,
    /// [`DRY_RUN_HEADER`] is sent.
    pub dry_run: bool,
    /// [`ACTIVITY_LOG_ID_HEADER`] of proxy calls that give none.
    pub activity_log_id: Option<String>,
}

impl Scope {
    /// The headers every request carries: each flag that is set, as `true`.
    pub fn headers(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        [
            (IS_SYNC_HEADER, self.is_sync),
            (IS_SCRIPT_HEADER, self.is_script),
            (DRY_RUN_HEADER, self.dry_run),
        ]
        .into_iter()
        .filter(|(_, set)| *set)
        .map(|(name, _)| (name, "true"))
    }

    /// Fills an empty integration or connection id with the client's default, as the official
    /// SDK's `proxy` does (an id given to the call always wins).
    pub fn fill(&self, provider_config_key: &mut String, connection_id: &mut String) {
        for (value, default) in [
            (provider_config_key, &self.provider_config_key),
            (connection_id, &self.connection_id),
        ] {
            if let (true, Some(default)) = (value.is_empty(), default) {
                default.clone_into(value);
            }
        }
    }

    /// [`Scope::fill`] for an argument object (keys in camelCase or snake_case): a missing,
    /// `null` or empty `providerConfigKey` / `connectionId` becomes the default.
    pub fn fill_json(&self, args: &mut serde_json::Value) {
        if self.provider_config_key.is_none() && self.connection_id.is_none() {
            return;
        }
        if args.is_null() {
            *args = serde_json::Value::Object(serde_json::Map::new());
        }
        let serde_json::Value::Object(fields) = args else {
            return;
        };
        for (camel, snake, default) in [
            (
                "providerConfigKey",
                "provider_config_key",
                &self.provider_config_key,
            ),
            ("connectionId", "connection_id", &self.connection_id),
        ] {
            let Some(default) = default else { continue };
            let given = |value: Option<&serde_json::Value>| {
                !matches!(value, None | Some(serde_json::Value::Null))
                    && value.and_then(|v| v.as_str()) != Some("")
            };
            if !given(fields.get(camel)) && !given(fields.get(snake)) {
                fields.remove(camel);
                fields.insert(snake.to_owned(), default.clone().into());
            }
        }
    }
}

impl Config {
    /// The per-attempt timeout and the overall deadline that apply to a request.
    pub fn limits(&self, time_limit: TimeLimit) -> (Duration, Duration) {
        match time_limit {
            TimeLimit::Standard => (self.timeout, self.deadline),
            TimeLimit::ActionRun => (self.action_timeout, self.action_deadline),
        }
    }
}

/// The Nango backend client. Cheap to clone (one `Arc`), `Send + Sync`.
///
/// ```no_run
/// # async fn demo() -> nango::Result<()> {
/// let nango = nango::Nango::builder("11111111-2222-4333-8444-555555555555")
///     .host("http://127.0.0.1:3003")
///     .build()?;
/// let page = nango
///     .list_records::<serde_json::Value>(&nango::ListRecordsParams::new("github", "conn-1", "Issue"))
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Nango {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) config: Config,
    pub(crate) http: reqwest::Client,
    pub(crate) records_ahead: crate::records_ahead::ListRecordsReadAhead,
    /// One permit per request in flight ([`Config::max_in_flight`]).
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) in_flight: tokio::sync::Semaphore,
}

impl std::fmt::Debug for Nango {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `Config`'s Debug already redacts both keys.
        f.debug_struct("Nango")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

/// Builder for [`Nango`].
///
/// Settings not given fall back to the environment, then to defaults: the host to
/// `NANGO_HOST` ([`HOST_ENV`]) then [`DEFAULT_HOST`]; the secret key to `NANGO_SECRET_KEY`
/// ([`SECRET_KEY_ENV`]), which is required when no key is given. A value given to the builder
/// always wins over the environment; an empty environment variable counts as unset.
#[derive(Debug, Clone, Default)]
pub struct NangoBuilder {
    host: Option<String>,
    secret_key: Option<Secret>,
    signing_key: Option<Secret>,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    retry: RetryPolicy,
    user_agent_suffix: Option<String>,
    #[cfg(not(target_arch = "wasm32"))]
    ca_sources: Vec<crate::tls::CaSource>,
    #[cfg(not(target_arch = "wasm32"))]
    ecosystem: crate::tls::Ecosystem,
    read_ahead: Option<bool>,
    max_in_flight: Option<usize>,
    app_user_agent: Option<String>,
    scope: Scope,
    // ---- logging (see crate::log) ----
    log_level: Option<crate::log::LogLevel>,
    log_sink: Option<LogSinkSlot>,
}

/// A binding's [`crate::log::LogSink`] in the builder (which is `Debug`).
#[derive(Clone)]
struct LogSinkSlot(Arc<dyn crate::log::LogSink>);

impl std::fmt::Debug for LogSinkSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LogSink")
    }
}

impl Nango {
    /// A client with this key and default settings; the host is `NANGO_HOST` when set, else
    /// [`DEFAULT_HOST`].
    pub fn new(secret_key: impl Into<String>) -> Result<Nango> {
        Nango::builder(secret_key).build()
    }

    /// A client configured by the environment alone: `NANGO_SECRET_KEY` (required) and
    /// `NANGO_HOST` (optional, else [`DEFAULT_HOST`]).
    pub fn from_env() -> Result<Nango> {
        NangoBuilder::new().build()
    }

    /// Starts a builder with this secret key.
    pub fn builder(secret_key: impl Into<String>) -> NangoBuilder {
        NangoBuilder::new().secret_key(secret_key)
    }

    /// The validated configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The host requests go to (no trailing slash).
    pub fn host(&self) -> &str {
        &self.inner.config.host
    }

    /// The key webhook signatures are checked with: the webhook signing key when one was set,
    /// else the secret key (as the official SDK does).
    pub fn signing_key(&self) -> &str {
        let config = &self.inner.config;
        config
            .signing_key
            .as_ref()
            .unwrap_or(&config.secret_key)
            .expose()
    }

    /// Verifies a webhook from Nango with [`Nango::signing_key`] (docs/protocol.md §3.3): the
    /// `X-Nango-Hmac-Sha256` header against HMAC-SHA256 of the exact raw body bytes.
    pub fn verify_incoming_webhook_request<I>(&self, raw_body: &[u8], headers: I) -> bool
    where
        I: IntoIterator,
        I::Item: crate::webhooks::HeaderEntry,
    {
        crate::webhooks::verify_incoming_webhook_request(self.signing_key(), raw_body, headers)
    }

    /// The deprecated check of the official SDK's `verifyWebhookSignature`: `signature_in_header`
    /// (the `X-Nango-Signature` value) against SHA-256 of [`Nango::signing_key`] followed by the
    /// raw body, compared in constant time. Pass the body exactly as received: the official SDK
    /// re-serialises a parsed payload, which only matches where the serialisation is Node's.
    pub fn verify_webhook_signature(&self, signature_in_header: &str, raw_body: &[u8]) -> bool {
        crate::webhooks::verify_legacy_signature(
            self.signing_key(),
            raw_body,
            [(crate::webhooks::LEGACY_HEADER, signature_in_header)],
        )
    }

    /// Every header that goes out with `request`, in order: `Authorization`, `User-Agent` and
    /// `Accept-Encoding` ([`ACCEPT_ENCODING`]; neither in the browser, which forbids both), the
    /// script flags of [`Config::scope`] that are set, then the request's own.
    ///
    /// The result holds the secret key: never log it.
    pub fn outgoing_headers(&self, request: &Request) -> Vec<(String, String)> {
        let config = &self.inner.config;
        let mut headers = Vec::with_capacity(request.headers.len() + 3);
        headers.push((
            "Authorization".to_owned(),
            format!("Bearer {}", config.secret_key.expose()),
        ));
        if cfg!(not(target_arch = "wasm32")) {
            headers.push(("User-Agent".to_owned(), config.user_agent.clone()));
            headers.push(("Accept-Encoding".to_owned(), ACCEPT_ENCODING.to_owned()));
        }
        for (name, value) in config.scope.headers() {
            headers.push((name.to_owned(), value.to_owned()));
        }
        headers.extend(request.headers.iter().cloned());
        headers
    }

    /// Sends a request with retries and returns the 2xx response; any other status becomes
    /// [`Error::Api`]. This is the raw path the bindings use to hand JSON text to their host.
    pub async fn send(&self, request: &Request) -> Result<RawResponse> {
        crate::transport::execute(self, request).await
    }

    /// Like [`Nango::send`] (same retries), but the final answer is returned whatever its
    /// status, body intact: for callers that build their own error from the full response
    /// (e.g. a drop-in of axios' `err.response`).
    pub async fn send_any_status(&self, request: &Request) -> Result<RawResponse> {
        crate::transport::execute_any_status(self, request).await
    }

    /// [`Nango::send`] and parse the JSON body as `T`.
    pub async fn send_json<T: DeserializeOwned>(&self, request: &Request) -> Result<T> {
        let response = self.send(request).await?;
        parse_json(&request.label(), &response)
    }
}

impl NangoBuilder {
    /// A builder with nothing set: every setting comes from the environment or its default.
    pub fn new() -> Self {
        NangoBuilder::default()
    }

    /// The secret key (wins over `NANGO_SECRET_KEY`).
    pub fn secret_key(mut self, secret_key: impl Into<String>) -> Self {
        self.secret_key = Some(Secret::new(secret_key));
        self
    }

    /// API host, e.g. `http://127.0.0.1:3003` (wins over `NANGO_HOST`). One trailing slash is
    /// removed; must parse as an http(s) URL.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// Key for webhook verification when it differs from the secret key.
    pub fn webhook_signing_key(mut self, key: impl Into<String>) -> Self {
        self.signing_key = Some(Secret::new(key));
        self
    }

    /// Per-attempt timeout of every call, synchronous action runs included (defaults:
    /// [`DEFAULT_TIMEOUT`], [`DEFAULT_ACTION_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Overall deadline for one call, retries included, for every call (defaults:
    /// [`DEFAULT_DEADLINE`], [`DEFAULT_ACTION_DEADLINE`]).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Replaces the retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Shorthand to set only the number of retries (0 disables).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.retry.max_retries = max_retries;
        self
    }

    /// Appended to the `User-Agent` after `; ` (bindings pass e.g. `node.js/20.20.2`).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// The application's own part of the `User-Agent`, appended after `; ` at its end (after a
    /// binding's suffix), as the official Node SDK's `userAgent` option. Empty: none.
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.app_user_agent = Some(agent.into());
        self
    }

    /// The integration of connection-scoped calls that give none (`proxy`, `trigger_action`,
    /// `get_connection`, …; see [`Scope::fill`]). Empty: none.
    pub fn provider_config_key(mut self, key: impl Into<String>) -> Self {
        self.scope.provider_config_key = Some(key.into()).filter(|k| !k.is_empty());
        self
    }

    /// The connection of connection-scoped calls that give none. Empty: none.
    pub fn connection_id(mut self, id: impl Into<String>) -> Self {
        self.scope.connection_id = Some(id.into()).filter(|id| !id.is_empty());
        self
    }

    /// Sends [`IS_SYNC_HEADER`] (`true`) on every request.
    pub fn is_sync(mut self, enabled: bool) -> Self {
        self.scope.is_sync = enabled;
        self
    }

    /// Sends [`IS_SCRIPT_HEADER`] (`true`) on every request.
    pub fn is_script(mut self, enabled: bool) -> Self {
        self.scope.is_script = enabled;
        self
    }

    /// Sends [`DRY_RUN_HEADER`] (`true`) on every request.
    pub fn dry_run(mut self, enabled: bool) -> Self {
        self.scope.dry_run = enabled;
        self
    }

    /// The [`ACTIVITY_LOG_ID_HEADER`] of proxy calls that give none. Empty: none.
    pub fn activity_log_id(mut self, id: impl Into<String>) -> Self {
        self.scope.activity_log_id = Some(id.into()).filter(|id| !id.is_empty());
        self
    }

    /// Trusts the CA certificate(s) of this PEM text too, on top of the operating system's
    /// store (or of `SSL_CERT_FILE` / `SSL_CERT_DIR`, see [`crate::tls`]). May be called more
    /// than once. [`NangoBuilder::build`] rejects text without a well-formed certificate with an
    /// [`Error::InvalidArgument`] whose field is `ca_certificates[i]` (`i` counts the calls).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn add_root_certificate(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_sources.push(crate::tls::CaSource::Pem(pem.into()));
        self
    }

    /// [`NangoBuilder::add_root_certificate`] with the PEM read from a file when the client is
    /// built.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn add_root_certificate_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.ca_sources
            .push(crate::tls::CaSource::File(path.into()));
        self
    }

    /// A CA given as text that is either PEM (it holds `-----BEGIN`) or the path of a PEM file:
    /// the form the Python package accepts.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn add_root_certificate_pem_or_path(self, text: impl Into<String>) -> Self {
        let text = text.into();
        if text.contains("-----BEGIN") {
            self.add_root_certificate(text)
        } else {
            self.add_root_certificate_file(text)
        }
    }

    /// The language the client is used from (default [`crate::tls::Ecosystem::Rust`]): it
    /// decides which CA environment variables apply (`SSL_CERT_FILE` / `SSL_CERT_DIR`, or
    /// `NODE_EXTRA_CA_CERTS` under Node) and how errors say to add a CA. Bindings set it.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn ecosystem(mut self, ecosystem: crate::tls::Ecosystem) -> Self {
        self.ecosystem = ecosystem;
        self
    }

    /// Whether `list_records` reads the next page ahead while the caller works on this one
    /// (default true; the rules are in [`crate::records_ahead`]). `false`: each call sends
    /// exactly one request and nothing runs in the background.
    pub fn read_ahead(mut self, enabled: bool) -> Self {
        self.read_ahead = Some(enabled);
        self
    }

    /// The most requests this client has in flight at once, 1..=[`MAX_IN_FLIGHT`] (default
    /// [`DEFAULT_MAX_IN_FLIGHT`]); further calls wait for a slot, within their deadline (the
    /// wait does not count against the per-attempt timeout, so a queued action trigger is never
    /// taken for one that may have run).
    ///
    /// This is also what bounds connections per host. reqwest (hyper's pool) can cap only the
    /// *idle* connections it keeps per host (here at most 64, and at most this cap) and how
    /// long they idle (60 s); it opens a new connection for every request that finds no idle
    /// one, without limit, and its connector hook sees a connection only while it is being
    /// opened, so open connections cannot be counted there. With HTTP/1.1 a connection carries
    /// one request at a time, so the connections in use are at most this cap; a connection
    /// hyper opened for a request that then got a freed one instead joins the idle pool (or is
    /// closed when that is full). Open connections thus stay within this cap plus the idle cap,
    /// give or take connections still being opened (the Node load scenario checks it). Not
    /// enforced in the browser, where `fetch` has its own per-host limit.
    pub fn max_in_flight(mut self, max_in_flight: usize) -> Self {
        self.max_in_flight = Some(max_in_flight);
        self
    }

    // ---- logging (see crate::log) ----

    /// The most detailed log records this client emits (wins over `NANGO_LOG`,
    /// [`crate::log::LOG_ENV`]); [`crate::log::LogLevel::Off`] emits none. Without either, every
    /// record goes to `tracing` and the installed subscriber filters. Records never hold a key,
    /// token, header, body or query string (the rules: [`crate::log`]).
    pub fn log_level(mut self, level: crate::log::LogLevel) -> Self {
        self.log_level = Some(level);
        self
    }

    /// Where a binding's records go, on top of `tracing` (Python's `logging`, a Node logger). The
    /// sink receives the records the level enables: [`NangoBuilder::log_level`], else
    /// `NANGO_LOG`, else the sink's [`crate::log::LogSink::default_level`].
    pub fn log_sink(mut self, sink: Arc<dyn crate::log::LogSink>) -> Self {
        self.log_sink = Some(LogSinkSlot(sink));
        self
    }

    /// Validates the settings and builds the client.
    pub fn build(self) -> Result<Nango> {
        #[cfg(not(target_arch = "wasm32"))]
        let trust = crate::tls::resolve(self.ecosystem, &self.ca_sources, |name| {
            std::env::var(name).ok()
        })?;
        #[cfg(target_arch = "wasm32")]
        let trust = ();
        let config = self.validate()?;
        let http = crate::transport::build_http_client(&config, trust)?;
        Ok(Nango {
            inner: Arc::new(Inner {
                #[cfg(not(target_arch = "wasm32"))]
                in_flight: tokio::sync::Semaphore::new(config.max_in_flight),
                config,
                http,
                records_ahead: Default::default(),
            }),
        })
    }

    fn validate(self) -> Result<Config> {
        check_bounds(self.timeout, self.deadline, &self.retry)?;
        if let Some(max) = self.max_in_flight
            && !(1..=MAX_IN_FLIGHT).contains(&max)
        {
            return Err(Error::invalid_argument(
                "max_in_flight",
                format!("must be a whole number from 1 to {MAX_IN_FLIGHT}"),
            ));
        }
        self.validate_with_env(|name| std::env::var(name).ok())
    }

    /// [`NangoBuilder::validate`] with `env` as the environment (tests pass a map).
    fn validate_with_env(self, env: impl Fn(&str) -> Option<String>) -> Result<Config> {
        let env = |name: &str| env(name).filter(|value| !value.is_empty());
        let Some(secret_key) = self
            .secret_key
            .or_else(|| env(SECRET_KEY_ENV).map(Secret::new))
        else {
            return Err(Error::invalid_argument(
                "secret_key",
                format!("a secret key is required: pass one, or set {SECRET_KEY_ENV}"),
            ));
        };
        if secret_key.expose().trim().is_empty() {
            return Err(Error::invalid_argument(
                "secret_key",
                "a secret key is required",
            ));
        }
        check_header_value("secret_key", secret_key.expose())
            .map_err(|_| Error::invalid_argument("secret_key", "contains invalid characters"))?;
        if let Some(key) = &self.signing_key
            && key.expose().is_empty()
        {
            return Err(Error::invalid_argument(
                "webhook_signing_key",
                "must not be empty when given",
            ));
        }
        let host = match (self.host, env(HOST_ENV)) {
            (Some(host), _) => normalise_host(&host)?,
            (None, Some(host)) => normalise_host(&host).map_err(|err| match err {
                Error::InvalidArgument { message, .. } => {
                    Error::invalid_argument(HOST_ENV, message)
                }
                other => other,
            })?,
            (None, None) => DEFAULT_HOST.to_owned(),
        };
        let mut user_agent = user_agent(self.user_agent_suffix.as_deref());
        check_header_value("user_agent_suffix", &user_agent)?;
        if let Some(agent) = self.app_user_agent.filter(|agent| !agent.is_empty()) {
            check_header_value("user_agent", &agent)?;
            user_agent.push_str("; ");
            user_agent.push_str(&agent);
        }
        if let Some(id) = &self.scope.activity_log_id {
            check_header_value("activity_log_id", id)?;
        }
        let log = crate::log::LogConfig::resolve(
            self.log_level,
            env(crate::log::LOG_ENV),
            self.log_sink.map(|slot| slot.0),
        )?;
        Ok(Config {
            host,
            secret_key,
            signing_key: self.signing_key,
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            deadline: self.deadline.unwrap_or(DEFAULT_DEADLINE),
            action_timeout: self.timeout.unwrap_or(DEFAULT_ACTION_TIMEOUT),
            action_deadline: self.deadline.unwrap_or(DEFAULT_ACTION_DEADLINE),
            retry: self.retry,
            user_agent,
            #[cfg(not(target_arch = "wasm32"))]
            ecosystem: self.ecosystem,
            read_ahead: self.read_ahead.unwrap_or(true),
            max_in_flight: self.max_in_flight.unwrap_or(DEFAULT_MAX_IN_FLIGHT),
            scope: self.scope,
            log,
        })
    }
}

/// The numeric settings' bounds, checked by [`NangoBuilder::build`]: durations in
/// `(0, MAX_DURATION]` (retry delays may be zero), at most [`MAX_RETRIES`] retries.
fn check_bounds(
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    retry: &RetryPolicy,
) -> Result<()> {
    for (field, value) in [("timeout", timeout), ("deadline", deadline)] {
        if let Some(value) = value
            && (value.is_zero() || value > MAX_DURATION)
        {
            return Err(duration_error(field));
        }
    }
    for (field, value) in [
        ("retry_policy.base_delay", retry.base_delay),
        ("retry_policy.max_delay", retry.max_delay),
        ("retry_policy.max_retry_after", retry.max_retry_after),
    ] {
        if value > MAX_DURATION {
            return Err(Error::invalid_argument(
                field,
                format!("must be at most {} s", MAX_DURATION.as_secs()),
            ));
        }
    }
    if retry.base_delay > retry.max_delay {
        return Err(Error::invalid_argument(
            "retry_policy.base_delay",
            "must not exceed retry_policy.max_delay",
        ));
    }
    if retry.max_retries > MAX_RETRIES {
        return Err(retries_error("max_retries"));
    }
    Ok(())
}

fn duration_error(field: &str) -> Error {
    Error::invalid_argument(
        field,
        format!(
            "must be more than 0 and at most {} seconds",
            MAX_DURATION.as_secs()
        ),
    )
}

fn retries_error(field: &str) -> Error {
    Error::invalid_argument(
        field,
        format!("must be a whole number from 0 to {MAX_RETRIES}"),
    )
}

/// A binding's number of seconds (a JS or Python float) as a `Duration` for the builder.
///
/// NaN and negative numbers are rejected here (no `Duration` holds them); too large ones
/// saturate, so that [`NangoBuilder::build`] rejects them with its bounds. `field` names the
/// setting in the error.
pub fn duration_from_secs_f64(field: &str, seconds: f64) -> Result<Duration> {
    if seconds.is_nan() || seconds < 0.0 {
        return Err(duration_error(field));
    }
    Ok(Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX))
}

/// A binding's retry count (a JS number, or a Python int of any size read as a float) for
/// [`NangoBuilder::max_retries`]: NaN, negative and fractional numbers are rejected here; too
/// large ones saturate, so that [`NangoBuilder::build`] rejects them with its bound.
pub fn retries_from_f64(field: &str, value: f64) -> Result<u32> {
    if value.is_nan() || value < 0.0 || value.fract() != 0.0 {
        return Err(retries_error(field));
    }
    // Whole and non-negative, checked above; `as` saturates at u32::MAX (and maps +inf there).
    Ok(value as u32)
}

/// A binding's whole number (a JS number, or a Python int read as a float) for a count setting
/// such as [`NangoBuilder::max_in_flight`]: NaN, negative and fractional numbers are rejected
/// here; too large ones saturate, so that [`NangoBuilder::build`] rejects them with its bound.
pub fn count_from_f64(field: &str, value: f64) -> Result<usize> {
    if value.is_nan() || value < 0.0 || value.fract() != 0.0 {
        return Err(Error::invalid_argument(field, "must be a whole number"));
    }
    // Whole and non-negative, checked above; `as` saturates (and maps +inf to usize::MAX).
    Ok(value as usize)
}

/// Strips one trailing slash (like the Node SDK) and checks that the host is an http(s) URL.
pub fn normalise_host(host: &str) -> Result<String> {
    let trimmed = host.strip_suffix('/').unwrap_or(host);
    let parsed = url::Url::parse(trimmed)
        .map_err(|err| Error::invalid_argument("host", format!("not a valid URL: {err}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::invalid_argument(
            "host",
            "must be an http or https URL",
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::invalid_argument(
            "host",
            "must not have a query or fragment",
        ));
    }
    Ok(trimmed.to_owned())
}

/// `nango-rs/<version> (<os>/<arch>; rust)[; <suffix>]`.
pub fn user_agent(suffix: Option<&str>) -> String {
    user_agent_with(suffix.as_slice())
}

/// [`user_agent`] with several suffixes (the runtime, then the caller's own), each after `; `;
/// empty ones are left out.
pub fn user_agent_with(suffixes: &[&str]) -> String {
    let mut agent = format!(
        "nango-rs/{} ({}/{}; rust)",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    for suffix in suffixes.iter().filter(|s| !s.is_empty()) {
        agent.push_str("; ");
        agent.push_str(suffix);
    }
    agent
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_rules() {
        assert_eq!(
            normalise_host("http://127.0.0.1:3003/").unwrap(),
            "http://127.0.0.1:3003"
        );
        assert_eq!(
            normalise_host("https://x.io/base//").unwrap(),
            "https://x.io/base/"
        );
        assert!(normalise_host("not a url").is_err());
        assert!(normalise_host("ftp://x.io").is_err());
    }

    #[test]
    fn user_agent_format() {
        let agent = user_agent(Some("node.js/20.20.2"));
        assert!(agent.starts_with(&format!("nango-rs/{} (", env!("CARGO_PKG_VERSION"))));
        assert!(agent.ends_with("; rust); node.js/20.20.2"));
        assert!(user_agent(None).ends_with("; rust)"));
        assert!(
            user_agent_with(&["node.js/20", "", "app/1"]).ends_with("; rust); node.js/20; app/1")
        );
    }

    fn field_of(builder: NangoBuilder) -> Option<String> {
        let err = builder.build().expect_err("rejected");
        assert_eq!(err.code(), "invalid_argument");
        err.info().field
    }

    #[test]
    fn numeric_settings_are_bounded() {
        let base = || Nango::builder("key");
        let day = MAX_DURATION;
        let field = |name: &str| Some(name.to_owned());
        assert_eq!(field_of(base().timeout(Duration::ZERO)), field("timeout"));
        assert_eq!(field_of(base().timeout(day * 2)), field("timeout"));
        assert_eq!(field_of(base().deadline(Duration::ZERO)), field("deadline"));
        assert_eq!(
            field_of(base().deadline(day + Duration::from_millis(1))),
            field("deadline")
        );
        assert_eq!(
            field_of(base().max_retries(MAX_RETRIES + 1)),
            field("max_retries")
        );
        let policy = |change: fn(&mut RetryPolicy)| {
            let mut policy = RetryPolicy::default();
            change(&mut policy);
            base().retry_policy(policy)
        };
        assert_eq!(
            field_of(policy(|p| p.max_retries = u32::MAX)),
            field("max_retries")
        );
        assert_eq!(
            field_of(policy(|p| p.max_retry_after = Duration::MAX)),
            field("retry_policy.max_retry_after")
        );
        assert_eq!(
            field_of(policy(|p| p.base_delay = p.max_delay * 2)),
            field("retry_policy.base_delay")
        );
        assert_eq!(
            field_of(policy(|p| {
                p.base_delay = MAX_DURATION * 2;
                p.max_delay = MAX_DURATION * 2;
            })),
            field("retry_policy.base_delay")
        );
        // The edges are accepted; zero delays too (tests retry without sleeping).
        base()
            .timeout(day)
            .deadline(day)
            .max_retries(MAX_RETRIES)
            .retry_policy(RetryPolicy {
                max_retries: MAX_RETRIES,
                base_delay: Duration::ZERO,
                max_delay: Duration::ZERO,
                max_retry_after: day,
            })
            .build()
            .unwrap();
    }

    #[test]
    fn host_numbers_convert_or_are_rejected() {
        let secs = |value: f64| duration_from_secs_f64("timeout", value);
        assert_eq!(secs(1.5).unwrap(), Duration::from_millis(1500));
        assert_eq!(secs(0.0).unwrap(), Duration::ZERO);
        assert_eq!(secs(1e300).unwrap(), Duration::MAX);
        assert_eq!(secs(f64::INFINITY).unwrap(), Duration::MAX);
        for bad in [f64::NAN, -1.0, -0.001, f64::NEG_INFINITY] {
            assert_eq!(
                secs(bad).unwrap_err().info().field.as_deref(),
                Some("timeout")
            );
        }
        let retries = |value: f64| retries_from_f64("max_retries", value);
        assert_eq!(retries(3.0).unwrap(), 3);
        assert_eq!(retries(4e9).unwrap(), 4_000_000_000);
        assert_eq!(retries(5e12).unwrap(), u32::MAX);
        for bad in [f64::NAN, -1.0, 1.5, f64::INFINITY] {
            assert_eq!(retries(bad).unwrap_err().code(), "invalid_argument");
        }
    }

    #[test]
    fn empty_key_is_rejected() {
        assert_eq!(Nango::new("").unwrap_err().code(), "invalid_argument");
        assert_eq!(Nango::new("  ").unwrap_err().code(), "invalid_argument");
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod send_tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>(_: &T) {}
    fn assert_send<T: Send>(_: T) {}

    // Bindings (napi's tokio, pyo3 runtimes) need the client and its futures to be Send.
    #[test]
    fn client_and_futures_are_send() {
        let nango = Nango::new("key").unwrap();
        assert_send_sync(&nango);
        let params = crate::ListRecordsParams::new("p", "c", "M");
        assert_send(nango.list_records::<serde_json::Value>(&params));
        assert_send(nango.records::<serde_json::Value>(params.clone()));
        assert_send(nango.record_pages::<serde_json::Value>(params));
        let action = crate::TriggerActionParams::new("p", "c", "a");
        assert_send(nango.trigger_action::<serde_json::Value>(&action));
        let proxy = crate::ProxyConfig::default();
        assert_send(nango.proxy(&proxy));
    }
}
