//! A local webhook endpoint: what your backend's `POST /webhook` route does, on 127.0.0.1.
//!
//! Every delivery is verified on its raw body bytes with
//! [`nango::webhooks::verify_incoming_webhook_request`] (HMAC-SHA256 of the body, keyed with the
//! environment's webhook signing key). A bad signature gets `401` and is counted, never
//! delivered; a good one gets `200` and is parsed into a typed [`WebhookPayload`].

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use nango::Secret;
use nango::webhooks::{HMAC_HEADER, WebhookPayload, verify_incoming_webhook_request};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// One verified delivery.
#[derive(Debug, Clone)]
pub struct ReceivedWebhook {
    /// The typed body.
    pub payload: WebhookPayload,
    /// The exact bytes that were signed.
    pub raw_body: Vec<u8>,
    /// The `X-Nango-Hmac-Sha256` header that verified.
    pub signature: String,
}

/// Why [`WebhookReceiver::wait_for`] returned without a webhook.
#[derive(Debug, thiserror::Error)]
pub enum ReceiverError {
    /// Nothing matching arrived in time.
    #[error(
        "no {what} webhook within {after:?} ({other} other verified, {rejected} rejected for a bad signature)"
    )]
    Timeout {
        /// What was awaited.
        what: String,
        /// How long.
        after: Duration,
        /// Verified deliveries that did not match.
        other: usize,
        /// Deliveries refused for a bad signature.
        rejected: usize,
    },
    /// The server task is gone.
    #[error("the webhook receiver stopped")]
    Stopped,
    /// Binding the port failed.
    #[error("could not start the webhook receiver: {0}")]
    Bind(#[from] std::io::Error),
}

#[derive(Default)]
struct Counters {
    verified: AtomicUsize,
    rejected: AtomicUsize,
}

struct Shared {
    signing_key: Secret,
    deliveries: mpsc::UnboundedSender<ReceivedWebhook>,
    counters: Counters,
}

/// A running receiver. Stop it with [`WebhookReceiver::shutdown`] (dropping it stops it too).
pub struct WebhookReceiver {
    url: String,
    shared: Arc<Shared>,
    inbox: mpsc::UnboundedReceiver<ReceivedWebhook>,
    /// Verified deliveries that no `wait_for` has taken yet.
    backlog: Vec<ReceivedWebhook>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for WebhookReceiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookReceiver")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl WebhookReceiver {
    /// Serves `POST /webhook` on 127.0.0.1 (a free port), verifying with `signing_key`.
    pub async fn start(signing_key: impl Into<String>) -> Result<Self, ReceiverError> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let url = format!("http://{}/webhook", listener.local_addr()?);
        let (deliveries, inbox) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            signing_key: Secret::new(signing_key),
            deliveries,
            counters: Counters::default(),
        });
        let app = Router::new()
            .route("/webhook", post(receive))
            .with_state(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = stopped.await;
            });
            // An accept loop failing is reported by the waits timing out.
            let _ = serve.await;
        });
        Ok(Self {
            url,
            shared,
            inbox,
            backlog: Vec::new(),
            stop: Some(stop),
            server: Some(server),
        })
    }

    /// `http://127.0.0.1:<port>/webhook`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Deliveries that verified.
    pub fn verified(&self) -> usize {
        self.shared.counters.verified.load(Ordering::SeqCst)
    }

    /// Deliveries refused for a bad or missing signature.
    pub fn rejected(&self) -> usize {
        self.shared.counters.rejected.load(Ordering::SeqCst)
    }

    /// The first verified webhook for which `matches` is true, waiting up to `timeout`. Others
    /// are kept for later waits, so the order in which Nango sends them does not matter.
    pub async fn wait_for<F>(
        &mut self,
        what: &str,
        timeout: Duration,
        mut matches: F,
    ) -> Result<ReceivedWebhook, ReceiverError>
    where
        F: FnMut(&WebhookPayload) -> bool,
    {
        if let Some(index) = self.backlog.iter().position(|w| matches(&w.payload)) {
            return Ok(self.backlog.remove(index));
        }
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            match tokio::time::timeout_at(deadline, self.inbox.recv()).await {
                Ok(Some(webhook)) if matches(&webhook.payload) => return Ok(webhook),
                Ok(Some(other)) => self.backlog.push(other),
                Ok(None) => return Err(ReceiverError::Stopped),
                Err(_) => {
                    return Err(ReceiverError::Timeout {
                        what: what.to_owned(),
                        after: timeout,
                        other: self.backlog.len(),
                        rejected: self.rejected(),
                    });
                }
            }
        }
    }

    /// Stops the server and waits for it.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// `POST /webhook`: verify the raw bytes first, then parse.
async fn receive(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    if !verify_incoming_webhook_request(shared.signing_key.expose(), &body, headers.iter()) {
        shared.counters.rejected.fetch_add(1, Ordering::SeqCst);
        return StatusCode::UNAUTHORIZED;
    }
    let Ok(payload) = WebhookPayload::from_slice(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    let signature = headers
        .get(HMAC_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    shared.counters.verified.fetch_add(1, Ordering::SeqCst);
    let _ = shared.deliveries.send(ReceivedWebhook {
        payload,
        raw_body: body.to_vec(),
        signature,
    });
    StatusCode::OK
}
