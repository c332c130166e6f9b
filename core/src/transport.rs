//! The one transport: executes a [`Request`] with reqwest (hyper + rustls natively, `fetch` in
//! the browser), applying timeouts, the overall deadline and the retry policy.
//!
//! The only platform-specific pieces are the clock, sleeping and the jitter source, kept at the
//! bottom of this file. No runtime is created here: natively the caller's tokio runtime drives
//! reqwest and the timers; in the browser the JS event loop does.

use std::future::Future;
use std::time::Duration;

use futures_util::future::{Either, select};

use crate::client::{Config, Nango};
use crate::error::{Error, Result};
use crate::log::{Ended, LogLevel, RequestLog};
use crate::request::{Request, header_value_bytes};
use crate::response::{RawResponse, api_error, header_text};
use crate::retry::{AttemptOutcome, next_delay};

/// Limit on opening a connection (TCP and TLS handshakes), within the attempt's own limit.
///
/// A handshake with a reachable server takes milliseconds; one still pending after 10 s is to a
/// host that drops packets, and the operating system would otherwise keep trying for about two
/// minutes. A connection that was never opened carried no request, so even an action trigger
/// is then retried safely.
#[cfg(not(target_arch = "wasm32"))]
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The trust decision of [`crate::tls::resolve`]; nothing in the browser, whose `fetch` checks
/// certificates itself.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) type Trust = crate::tls::Trust;
#[cfg(target_arch = "wasm32")]
pub(crate) type Trust = ();

/// Builds the reqwest client once per [`Nango`].
pub(crate) fn build_http_client(config: &Config, trust: Trust) -> Result<reqwest::Client> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        // reqwest is built with `rustls-no-provider`: pick ring once per process. A provider that
        // is already installed (by us or by the application) is kept, hence the ignored result.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let builder = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .pool_idle_timeout(Duration::from_secs(60))
            // A burst of concurrent calls (e.g. 2,000 actions) would otherwise leave every one of
            // its sockets idle in the pool for a minute; keep enough for steady concurrency.
            .pool_max_idle_per_host(config.max_in_flight.min(64));
        // Certificates are checked by rustls-platform-verifier (reqwest's default with rustls),
        // which uses the operating system's trust store, plus the extra roots; with
        // `SSL_CERT_FILE` / `SSL_CERT_DIR` set, by webpki against those roots alone. Proxies come
        // from HTTPS_PROXY / HTTP_PROXY / ALL_PROXY / NO_PROXY (reqwest's system proxy).
        let roots = trust
            .roots
            .into_iter()
            .map(|der| reqwest::Certificate::from_der(&der));
        let roots = roots
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|err| Error::Internal(format!("could not load a CA certificate: {err}")))?;
        let builder = if trust.replace_os_store {
            builder.tls_certs_only(roots)
        } else if roots.is_empty() {
            builder
        } else {
            builder.tls_certs_merge(roots)
        };
        builder
            .build()
            .map_err(|err| Error::Internal(format!("could not build the HTTP client: {err}")))
    }
    #[cfg(target_arch = "wasm32")]
    {
        let () = trust;
        let _ = config;
        reqwest::Client::builder()
            .build()
            .map_err(|err| Error::Internal(format!("could not build the HTTP client: {err}")))
    }
}

/// Runs `request` until it succeeds, fails for good, or time runs out. A final non-2xx answer
/// is an [`Error::Api`].
pub(crate) async fn execute(nango: &Nango, request: &Request) -> Result<RawResponse> {
    let response = execute_any_status(nango, request).await?;
    if response.is_success() {
        Ok(response)
    } else {
        Err(api_error(&request.label(), &response))
    }
}

/// Like [`execute`], but a final non-2xx answer (after retries) is returned as is, body intact.
///
/// Records the call as [`crate::log`] describes (span `nango.request`, events per attempt, retry
/// and end), at no cost beyond a few comparisons when logging is off.
pub(crate) async fn execute_any_status(nango: &Nango, request: &Request) -> Result<RawResponse> {
    use tracing::Instrument;
    let log = RequestLog::new(
        &nango.inner.config.log,
        request.method.as_str(),
        &request.path,
    );
    let span = log.span();
    let started = Clock::now();
    let mut attempts = 0u32;
    let result = attempts_until_done(nango, request, &log, &mut attempts)
        .instrument(span.clone())
        .await;
    // `Warn` is the least verbose level the end is recorded at (a failure).
    if log.on(LogLevel::Warn) {
        let (ended, error) = match &result {
            Ok(response) if response.is_success() => (Ended::Status(response.status), None),
            Ok(response) => (
                Ended::Status(response.status),
                Some(api_error(&request.label(), response).code().to_owned()),
            ),
            Err(err) => (Ended::Failed(err.code()), Some(err.code().to_owned())),
        };
        log.finished(&span, attempts, ended, error.as_deref(), started.elapsed());
    }
    result
}

/// The retry loop of [`execute_any_status`]; `attempts` counts the attempts made.
async fn attempts_until_done(
    nango: &Nango,
    request: &Request,
    log: &RequestLog<'_>,
    attempts: &mut u32,
) -> Result<RawResponse> {
    let config = &nango.inner.config;
    let (timeout, deadline) = config.limits(request.time_limit);
    let started = Clock::now();
    let label = request.label();
    let mut retry = 0u32;
    loop {
        // Waiting for a slot counts against the deadline, not the attempt: an attempt that timed
        // out waiting here was never sent.
        let slot = match with_timeout(deadline.saturating_sub(started.elapsed()), in_flight(nango))
            .await
        {
            Some(slot) => slot,
            None => return Err(Error::Timeout(deadline)),
        };
        let remaining = deadline.saturating_sub(started.elapsed());
        if remaining == Duration::ZERO {
            return Err(Error::Timeout(deadline));
        }
        let limit = timeout.min(remaining);
        let attempt = attempt(nango, request);
        *attempts = retry + 1;
        let attempt_started = log.on(LogLevel::Debug).then(Clock::now);
        let result = match with_timeout(limit, attempt).await {
            Some(result) => result,
            None => Err((Error::Timeout(limit), AttemptOutcome::Timeout)),
        };
        drop(slot);
        if let Some(attempt_started) = attempt_started {
            let ended = match &result {
                Ok(response) => Ended::Status(response.status),
                Err((error, _)) => Ended::Failed(error.code()),
            };
            log.attempt(retry, ended, attempt_started.elapsed());
        }
        let (error, outcome, response) = match result {
            Ok(response) if response.is_success() => return Ok(response),
            Ok(response) => (
                api_error(&label, &response),
                AttemptOutcome::Status(response.status),
                Some(response),
            ),
            Err((error, outcome)) => (error, outcome, None),
        };
        // An attempt cut short by the overall deadline reports the deadline, not the attempt.
        if matches!(error, Error::Timeout(_)) && started.elapsed() >= deadline {
            return Err(Error::Timeout(deadline));
        }
        let remaining = Some(deadline.saturating_sub(started.elapsed()));
        let Some(delay) = next_delay(
            &config.retry,
            request.retry_class,
            outcome,
            retry,
            error.retry_after(),
            remaining,
            jitter(),
        ) else {
            return response.ok_or(error);
        };
        let ended = match &response {
            Some(response) => Ended::Status(response.status),
            None => Ended::Failed(error.code()),
        };
        log.retrying(retry, ended, delay);
        sleep(delay).await;
        retry += 1;
    }
}

/// One of the client's [`crate::Config::max_in_flight`] slots, held for one attempt.
#[cfg(not(target_arch = "wasm32"))]
async fn in_flight(nango: &Nango) -> Option<tokio::sync::SemaphorePermit<'_>> {
    // The semaphore is never closed, so this waits for a permit rather than failing.
    nango.inner.in_flight.acquire().await.ok()
}

/// In the browser `fetch` limits connections per host itself.
#[cfg(target_arch = "wasm32")]
async fn in_flight(_nango: &Nango) -> Option<Unlimited> {
    Some(Unlimited)
}

/// The slot of a client without a cap.
#[cfg(target_arch = "wasm32")]
struct Unlimited;

type AttemptResult = std::result::Result<RawResponse, (Error, AttemptOutcome)>;

/// One attempt: send, then read the whole body.
async fn attempt(nango: &Nango, request: &Request) -> AttemptResult {
    let inner = &nango.inner;
    let url = format!("{}{}", inner.config.host, request.path_and_query());
    let method = reqwest::Method::from_bytes(request.method.as_str().as_bytes()).map_err(|_| {
        (
            Error::invalid_argument("method", "not a valid HTTP method"),
            AttemptOutcome::NotSent,
        )
    })?;
    let mut builder = inner.http.request(method, &url);
    for (name, value) in nango.outgoing_headers(request) {
        let header_name = reqwest::header::HeaderName::from_bytes(name.as_bytes());
        let header_value = reqwest::header::HeaderValue::from_bytes(&header_value_bytes(&value));
        let (Ok(header_name), Ok(mut header_value)) = (header_name, header_value) else {
            return Err((
                Error::invalid_argument(name, "not a valid header"),
                AttemptOutcome::NotSent,
            ));
        };
        if header_name == reqwest::header::AUTHORIZATION {
            header_value.set_sensitive(true);
        }
        builder = builder.header(header_name, header_value);
    }
    if let Some(body) = &request.body {
        builder = builder.body(body.clone());
    }
    tracing::trace!("sending");
    let failed = |err| transport_error(err, &inner.config);
    let response = builder.send().await.map_err(failed)?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str().to_owned(), header_text(value.as_bytes())))
        .collect();
    let body = response.bytes().await.map_err(failed)?;
    tracing::trace!(
        http.response.status_code = status,
        bytes = body.len(),
        "received"
    );
    Ok(RawResponse {
        status,
        headers,
        // Moves the buffer when reqwest holds it alone (a 1 MB page is not copied again).
        body: Vec::from(body),
    })
}

/// Maps a reqwest failure. The message names the server (`host[:port]` of the configured host,
/// without credentials, path or query) but never the request's URL (it may hold identifiers) nor
/// any header (the key travels in one).
fn transport_error(err: reqwest::Error, config: &Config) -> (Error, AttemptOutcome) {
    let host = &config.host;
    // A refused certificate fails the same way on every attempt: no retry, and a hint.
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(reason) = crate::tls::certificate_rejection(&err) {
        let message = format!(
            "the TLS certificate of {} was refused ({reason}); {}",
            server_name(host),
            config.ecosystem.add_ca_hint()
        );
        return (Error::Tls { message }, AttemptOutcome::Rejected);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let not_sent = err.is_connect();
    // `fetch` does not say whether the request left; assume it may have.
    #[cfg(target_arch = "wasm32")]
    let not_sent = false;
    let err = err.without_url();
    // Append the causes ("connection refused", "unexpected end of file", …) for diagnostics.
    let mut message = format!("request to {} failed: {err}", server_name(host));
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    let outcome = if not_sent {
        AttemptOutcome::NotSent
    } else {
        AttemptOutcome::Transport
    };
    (Error::Transport { message, not_sent }, outcome)
}

/// `host[:port]` of a base URL: what a transport error names. Credentials in the URL, its path
/// and its query are left out.
pub(crate) fn server_name(base_url: &str) -> String {
    match url::Url::parse(base_url) {
        Ok(url) => match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            (None, _) => "the server".to_owned(),
        },
        Err(_) => "the server".to_owned(),
    }
}

/// Races `future` against a timer; `None` when the timer wins.
pub(crate) async fn with_timeout<F: Future>(limit: Duration, future: F) -> Option<F::Output> {
    let future = std::pin::pin!(future);
    let timer = std::pin::pin!(sleep(limit));
    match select(future, timer).await {
        Either::Left((output, _)) => Some(output),
        Either::Right(((), _)) => None,
    }
}

// ---- platform pieces -------------------------------------------------------------------------

#[cfg(not(target_arch = "wasm32"))]
struct Clock(std::time::Instant);

#[cfg(not(target_arch = "wasm32"))]
impl Clock {
    fn now() -> Clock {
        Clock(std::time::Instant::now())
    }
    fn elapsed(&self) -> Duration {
        self.0.elapsed()
    }
}

/// `Instant` panics in the browser; `Date.now()` is the clock there.
#[cfg(target_arch = "wasm32")]
struct Clock(f64);

#[cfg(target_arch = "wasm32")]
impl Clock {
    fn now() -> Clock {
        Clock(js_sys::Date::now())
    }
    fn elapsed(&self) -> Duration {
        Duration::from_secs_f64(((js_sys::Date::now() - self.0) / 1000.0).max(0.0))
    }
}

/// Sleeps on the caller's tokio runtime.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) async fn sleep(duration: Duration) {
    tokio::time::sleep(duration).await;
}

/// Sleeps on a JS timer (`setTimeout` resolving a promise), so no Rust runtime is needed.
#[cfg(target_arch = "wasm32")]
pub(crate) async fn sleep(duration: Duration) {
    use wasm_bindgen::JsCast;
    let millis = duration.as_secs_f64() * 1000.0;
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let set_timeout = js_sys::Reflect::get(&js_sys::global(), &"setTimeout".into())
            .ok()
            .and_then(|value| value.dyn_into::<js_sys::Function>().ok());
        match set_timeout {
            Some(set_timeout) => {
                let _ = set_timeout.call2(
                    &wasm_bindgen::JsValue::NULL,
                    &resolve,
                    &wasm_bindgen::JsValue::from_f64(millis),
                );
            }
            // No timer at all (an odd host): do not wait rather than hang.
            None => {
                let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            }
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[cfg(not(target_arch = "wasm32"))]
fn jitter() -> f64 {
    rand::random::<f64>()
}

#[cfg(target_arch = "wasm32")]
fn jitter() -> f64 {
    js_sys::Math::random()
}

#[cfg(test)]
mod tests {
    use super::server_name;

    #[test]
    fn server_names_leave_out_credentials_path_and_query() {
        assert_eq!(server_name("https://api.nango.dev"), "api.nango.dev");
        assert_eq!(server_name("http://127.0.0.1:3003"), "127.0.0.1:3003");
        assert_eq!(
            server_name("https://user:hunter2@nango.example.com:8443/base?token=s3cret"),
            "nango.example.com:8443"
        );
        assert_eq!(server_name("not a url"), "the server");
    }
}
