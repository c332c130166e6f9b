//! A recording HTTP server on 127.0.0.1 for the client's integration tests (axum). Each test
//! starts its own and the server stops when the returned guard is dropped.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;

/// What the server received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    /// Raw query string as sent (no `?`), empty when absent.
    pub query: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

type Handler = dyn Fn(&Received) -> Response + Send + Sync;

pub struct TestServer {
    pub url: String,
    pub received: Arc<Mutex<Vec<Received>>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestServer {
    pub fn requests(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }

    pub fn last(&self) -> Received {
        self.received.lock().unwrap().last().cloned().unwrap()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Starts a server on an ephemeral loopback port; `handler` answers every request.
pub async fn start<F>(handler: F) -> TestServer
where
    F: Fn(&Received) -> Response + Send + Sync + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    start_on(listener, handler).await
}

pub async fn start_on<F>(listener: tokio::net::TcpListener, handler: F) -> TestServer
where
    F: Fn(&Received) -> Response + Send + Sync + 'static,
{
    let url = format!("http://{}", listener.local_addr().unwrap());
    let received: Arc<Mutex<Vec<Received>>> = Arc::default();
    let handler: Arc<Handler> = Arc::new(handler);
    let log = received.clone();
    let app = axum::Router::new().fallback(
        move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let log = log.clone();
            let handler = handler.clone();
            async move {
                let received = Received {
                    method: method.to_string(),
                    path: uri.path().to_owned(),
                    query: uri.query().unwrap_or("").to_owned(),
                    headers,
                    body: body.to_vec(),
                };
                log.lock().unwrap().push(received.clone());
                handler(&received)
            }
        },
    );
    TestServer {
        url,
        received,
        shutdown: Some(serve(listener, app)),
    }
}

/// Serves `app` on `listener` until the returned sender is used or dropped.
pub fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
) -> tokio::sync::oneshot::Sender<()> {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
    });
    tx
}

pub fn json(status: u16, body: serde_json::Value) -> Response {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap())
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

pub fn raw(status: u16, headers: &[(&str, &str)], body: impl Into<Body>) -> Response {
    let mut builder = Response::builder().status(StatusCode::from_u16(status).unwrap());
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(body.into()).unwrap()
}

/// A 200 whose chunked body breaks off after `prefix`: the connection is cut mid-body.
pub fn cut_body(prefix: &'static str) -> Response {
    let stream = futures_util::stream::iter(vec![
        Ok::<_, std::io::Error>(Bytes::from_static(prefix.as_bytes())),
        Err(std::io::Error::other("cut")),
    ]);
    Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(Body::from_stream(stream))
        .unwrap()
}

pub const KEY: &str = "11111111-2222-4333-8444-555555555555";

/// A 200 JSON answer whose body arrives only after `delay` (headers go out at once), without
/// blocking the runtime.
pub fn slow(delay: std::time::Duration, body: serde_json::Value) -> Response {
    let stream = futures_util::stream::once(async move {
        tokio::time::sleep(delay).await;
        Ok::<_, std::io::Error>(Bytes::from(body.to_string()))
    });
    Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(Body::from_stream(stream))
        .unwrap()
}

/// A panicking handler makes hyper drop the connection without an answer: the "dropped
/// connection" fault. Call [`quiet_drop_panics`] once so these panics stay out of the output.
pub fn drop_connection() -> Response {
    std::panic::panic_any(DropConnection)
}

struct DropConnection;

/// Keeps the panics of [`drop_connection`] out of the test output (other panics still print).
pub fn quiet_drop_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if info.payload().downcast_ref::<DropConnection>().is_none() {
            previous(info);
        }
    }));
}

/// The fake record store of the paging tests: record `index` has this cursor, ordered like the
/// store's `(last_modified_at, id)` cursors (docs/protocol.md §7).
pub fn cursor_of(index: usize) -> String {
    nango::cursor::encode_cursor(
        &format!("2026-01-02T03:04:05.{:06}+00:00", index % 1_000_000),
        &format!("00000000-0000-4000-8000-{index:012}"),
    )
}

/// The index of the first record after `cursor` (one made by [`cursor_of`]).
pub fn index_after(cursor: &str) -> usize {
    let decoded = nango::cursor::decode_cursor(cursor).unwrap();
    decoded.id[24..].parse::<usize>().unwrap() + 1
}

/// The page `req` asks for from a store of `total` records (`limit`, default 100, after
/// `cursor`): the records `record(index)` makes, and the next cursor while more remain.
pub fn requested_page(
    req: &Received,
    total: usize,
    record: impl Fn(usize) -> serde_json::Value,
) -> (Vec<serde_json::Value>, Option<String>) {
    let query: std::collections::HashMap<String, String> =
        url::form_urlencoded::parse(req.query.as_bytes())
            .into_owned()
            .collect();
    let limit: usize = query.get("limit").map_or(100, |l| l.parse().unwrap());
    let start = query.get("cursor").map_or(0, |c| index_after(c));
    let end = (start + limit).min(total);
    let next = (end < total).then(|| cursor_of(end - 1));
    ((start..end).map(record).collect(), next)
}
