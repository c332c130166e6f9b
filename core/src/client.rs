//! The backend client: configuration, credentials and the entry points shared by every endpoint.
//!
//! Endpoint methods live next to their request builders (`records.rs`, `actions.rs`, …) as
//! further `impl Nango` blocks; this file holds what they share.

use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::request::{Request, check_header_value};
use crate::response::{RawResponse, parse_json};
use crate::retry::RetryPolicy;

/// Default API host (protocol §1).
pub const DEFAULT_HOST: &str = "https://api.nango.dev";

/// The `Accept-Encoding` every native request sends. A records page is JSON that shrinks 6–8×
/// compressed, which is most of the time a page takes on a real link; reqwest decodes the body
/// while reading it, on the runtime thread that awaits the response (never a JS thread, and
/// never with the GIL held). Not sent in the browser, where `fetch` negotiates it itself.
pub const ACCEPT_ENCODING: &str = "gzip, br, zstd";

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
    /// Per-attempt timeout (connect + response + body). `None`: no limit (like the Node SDK).
    pub timeout: Option<Duration>,
    /// Overall limit for one call including retries and their waits. `None`: no limit.
    pub deadline: Option<Duration>,
    /// Retry policy.
    pub retry: RetryPolicy,
    /// The full `User-Agent` value.
    pub user_agent: String,
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
#[derive(Debug, Clone)]
pub struct NangoBuilder {
    host: String,
    secret_key: Secret,
    signing_key: Option<Secret>,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    retry: RetryPolicy,
    user_agent_suffix: Option<String>,
}

impl Nango {
    /// A client for the default host with default settings.
    pub fn new(secret_key: impl Into<String>) -> Result<Nango> {
        Nango::builder(secret_key).build()
    }

    /// Starts a builder.
    pub fn builder(secret_key: impl Into<String>) -> NangoBuilder {
        NangoBuilder {
            host: DEFAULT_HOST.to_owned(),
            secret_key: Secret::new(secret_key),
            signing_key: None,
            timeout: None,
            deadline: None,
            retry: RetryPolicy::default(),
            user_agent_suffix: None,
        }
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

    /// Verifies a webhook from Nango with [`Nango::signing_key`] (protocol §3.3): the
    /// `X-Nango-Hmac-Sha256` header against HMAC-SHA256 of the exact raw body bytes.
    pub fn verify_incoming_webhook_request<I>(&self, raw_body: &[u8], headers: I) -> bool
    where
        I: IntoIterator,
        I::Item: crate::webhooks::HeaderEntry,
    {
        crate::webhooks::verify_incoming_webhook_request(self.signing_key(), raw_body, headers)
    }

    /// Every header that goes out with `request`, in order: `Authorization`, `User-Agent` and
    /// `Accept-Encoding` ([`ACCEPT_ENCODING`]; neither in the browser, which forbids both), then
    /// the request's own.
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
    /// API host, e.g. `http://127.0.0.1:3003`. One trailing slash is removed; must parse as an
    /// http(s) URL.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = host.into();
        self
    }

    /// Key for webhook verification when it differs from the secret key.
    pub fn webhook_signing_key(mut self, key: impl Into<String>) -> Self {
        self.signing_key = Some(Secret::new(key));
        self
    }

    /// Per-attempt timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Overall deadline for one call, retries included.
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

    /// Validates the settings and builds the client.
    pub fn build(self) -> Result<Nango> {
        let config = self.validate()?;
        let http = crate::transport::build_http_client(&config)?;
        Ok(Nango {
            inner: Arc::new(Inner { config, http }),
        })
    }

    fn validate(self) -> Result<Config> {
        if self.secret_key.expose().trim().is_empty() {
            return Err(Error::invalid_argument(
                "secret_key",
                "a secret key is required",
            ));
        }
        check_header_value("secret_key", self.secret_key.expose())
            .map_err(|_| Error::invalid_argument("secret_key", "contains invalid characters"))?;
        if let Some(key) = &self.signing_key
            && key.expose().is_empty()
        {
            return Err(Error::invalid_argument(
                "webhook_signing_key",
                "must not be empty when given",
            ));
        }
        let host = normalise_host(&self.host)?;
        let user_agent = user_agent(self.user_agent_suffix.as_deref());
        check_header_value("user_agent_suffix", &user_agent)?;
        Ok(Config {
            host,
            secret_key: self.secret_key,
            signing_key: self.signing_key,
            timeout: self.timeout,
            deadline: self.deadline,
            retry: self.retry,
            user_agent,
        })
    }
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
    let mut agent = format!(
        "nango-rs/{} ({}/{}; rust)",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    if let Some(suffix) = suffix.filter(|s| !s.is_empty()) {
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
