//! The request logs (`nango::log`) against the emulator with injected faults: the fields a user
//! reads (method, path, status, attempt, retry delay, duration) reach both a `tracing`
//! subscriber and a binding's sink, the levels gate them, and no key, token or connection id
//! ever appears.

// The HTTP client is behind the default `client` feature.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use nango::request::{Method, Request, RetryClass};
use nango::{
    GetConnectionParams, ListRecordsParams, LogLevel, LogRecord, LogSink, LogValue, Nango,
    RetryPolicy,
};
use nango_emulator::{Emulator, EmulatorHandle};
use serde_json::{Value, json};

const CONNECTION: &str = "user-7f3a@example.com";

#[derive(Default)]
struct Collect(Mutex<Vec<LogRecord>>);

impl LogSink for Collect {
    fn log(&self, record: &LogRecord) {
        self.0.lock().unwrap().push(record.clone());
    }
}

impl Collect {
    fn take(&self) -> Vec<LogRecord> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

fn field<'r>(record: &'r LogRecord, name: &str) -> Option<&'r LogValue> {
    record
        .fields
        .iter()
        .find(|(key, _)| *key == name)
        .map(|(_, v)| v)
}

fn number(record: &LogRecord, name: &str) -> Option<u64> {
    match field(record, name) {
        Some(LogValue::U64(n)) => Some(*n),
        _ => None,
    }
}

fn text<'r>(record: &'r LogRecord, name: &str) -> Option<&'r str> {
    match field(record, name) {
        Some(LogValue::Str(s)) => Some(s),
        _ => None,
    }
}

async fn emulator() -> EmulatorHandle {
    Emulator::builder()
        .connection("zendesk", CONNECTION)
        .start()
        .await
        .unwrap()
}

fn client(emulator: &EmulatorHandle) -> nango::NangoBuilder {
    Nango::builder(emulator.secret_key())
        .host(emulator.url())
        .webhook_signing_key(emulator.signing_key())
        // Each call is exactly one request (else the next page's request logs too).
        .read_ahead(false)
        .retry_policy(RetryPolicy {
            base_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(50),
            ..RetryPolicy::default()
        })
}

async fn add_faults(nango: &Nango, faults: Value) {
    let request = Request::new(Method::Post, "/_emulator/faults", RetryClass::Idempotent)
        .json_body(&faults)
        .unwrap();
    nango.send(&request).await.unwrap();
}

fn records() -> ListRecordsParams {
    ListRecordsParams::new("zendesk", CONNECTION, "Ticket").limit(5)
}

/// The secrets and identifiers that must not appear, as is, upper-cased or without dashes.
fn assert_clean(what: &str, text: &str, emulator: &EmulatorHandle) {
    for secret in [emulator.secret_key(), emulator.signing_key(), CONNECTION] {
        for form in [
            secret.to_owned(),
            secret.to_uppercase(),
            secret.replace('-', ""),
        ] {
            assert!(!text.contains(&form), "{what} holds {form:?}:\n{text}");
        }
    }
    for header in ["Authorization", "Bearer", "Connection-Id", "cursor="] {
        assert!(!text.contains(header), "{what} holds {header:?}:\n{text}");
    }
}

#[tokio::test]
async fn sink_gets_method_path_status_attempt_retry_delay_and_duration() {
    let emulator = emulator().await;
    let sink = Arc::new(Collect::default());
    let nango = client(&emulator)
        .log_level(LogLevel::Debug)
        .log_sink(sink.clone())
        .build()
        .unwrap();
    add_faults(
        &nango,
        json!([
            {"path": "/records", "kind": "status", "status": 429, "retry_after": 1},
            {"path": "/records", "kind": "status", "status": 503},
        ]),
    )
    .await;
    sink.take();
    nango.list_records::<Value>(&records()).await.unwrap();
    let log = sink.take();
    let messages: Vec<&str> = log.iter().map(|r| r.message.as_str()).collect();
    // attempt 429, retrying, attempt 503, retrying, attempt 200, end.
    assert_eq!(log.len(), 6, "{messages:#?}");
    for record in &log {
        assert_eq!(text(record, "http.request.method"), Some("GET"));
        assert_eq!(text(record, "url.path"), Some("/records/"));
    }
    let attempts: Vec<_> = log
        .iter()
        .filter(|r| r.level == LogLevel::Debug)
        .map(|r| {
            (
                number(r, "nango.attempt"),
                number(r, "http.request.resend_count"),
                number(r, "http.response.status_code"),
            )
        })
        .collect();
    assert_eq!(
        attempts,
        [
            (Some(1), Some(0), Some(429)),
            (Some(2), Some(1), Some(503)),
            (Some(3), Some(2), Some(200)),
        ]
    );
    let retries: Vec<_> = log
        .iter()
        .filter(|r| r.message.contains("retrying"))
        .collect();
    assert_eq!(retries.len(), 2);
    assert_eq!(retries[0].level, LogLevel::Info);
    // The 429's Retry-After of 1 s is the delay; the 503's comes from the policy (≤ 50 ms).
    assert_eq!(number(retries[0], "nango.retry.delay_ms"), Some(1000));
    assert!(number(retries[1], "nango.retry.delay_ms").unwrap() <= 50);
    assert!(
        retries[0].message.contains("retrying in 1000 ms"),
        "{messages:#?}"
    );
    let end = log.last().unwrap();
    assert_eq!(end.level, LogLevel::Info);
    assert_eq!(number(end, "http.response.status_code"), Some(200));
    assert_eq!(number(end, "nango.attempts"), Some(3));
    assert!(number(end, "nango.duration_ms").unwrap() >= 1000);
    assert!(
        end.message.starts_with("GET /records/ -> 200 in ")
            && end.message.ends_with("(3 attempts)"),
        "{}",
        end.message
    );

    // A failure for good: WARN with the error's code; the connection id stays out of the path.
    nango
        .get_connection(&GetConnectionParams::new("zendesk", "nobody-like-this"))
        .await
        .unwrap_err();
    let log = sink.take();
    let end = log.last().unwrap();
    assert_eq!(end.level, LogLevel::Warn);
    assert_eq!(text(end, "url.path"), Some("/connections/{connection_id}"));
    assert_eq!(number(end, "http.response.status_code"), Some(404));
    assert!(text(end, "error.type").is_some());
    let all: String = log
        .iter()
        .map(|r| format!("{} {}\n", r.message, r.fields_json()))
        .collect();
    assert!(!all.contains("nobody-like-this"), "{all}");
    assert_clean("the sink's records", &all, &emulator);
}

#[tokio::test]
async fn levels_gate_the_sink() {
    let emulator = emulator().await;
    // A sink without a level (option, NANGO_LOG, or its own default) receives nothing.
    let silent = Arc::new(Collect::default());
    let nango = client(&emulator).log_sink(silent.clone()).build().unwrap();
    nango.list_records::<Value>(&records()).await.unwrap();
    assert!(silent.take().is_empty());
    // INFO: the end of each call and retries, not the attempts.
    let info = Arc::new(Collect::default());
    let nango = client(&emulator)
        .log_level(LogLevel::Info)
        .log_sink(info.clone())
        .build()
        .unwrap();
    nango.list_records::<Value>(&records()).await.unwrap();
    let log = info.take();
    assert_eq!(log.len(), 1);
    assert_eq!(number(&log[0], "nango.attempts"), Some(1));
    // Off wins over everything.
    let off = Arc::new(Collect::default());
    let nango = client(&emulator)
        .log_level(LogLevel::Off)
        .log_sink(off.clone())
        .build()
        .unwrap();
    nango.list_records::<Value>(&records()).await.unwrap();
    assert!(off.take().is_empty());
}

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn tracing_gets_otel_fields_and_no_secret() {
    let emulator = emulator().await;
    let buffer = Buffer::default();
    let writer = buffer.clone();
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::{Layer, filter, fmt};
    // Only the client's records (the in-process emulator logs too, under `nango_emulator`).
    let ours = filter::filter_fn(|meta| meta.target().starts_with("nango::"));
    let subscriber = tracing_subscriber::registry().with(
        fmt::layer()
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .with_filter(ours),
    );
    // The test's runtime has one thread: everything below is polled under this subscriber.
    let _guard = tracing::subscriber::set_default(subscriber);
    // Other tests on other threads may have registered the callsites (with no subscriber) at the
    // same moment: recompute their interest now that this one is in place.
    tracing::callsite::rebuild_interest_cache();
    // No level set: the subscriber (TRACE) decides.
    let nango = client(&emulator).build().unwrap();
    add_faults(
        &nango,
        json!([{"path": "/records", "kind": "status", "status": 503}]),
    )
    .await;
    nango.list_records::<Value>(&records()).await.unwrap();
    nango
        .get_connection(&GetConnectionParams::new("zendesk", CONNECTION))
        .await
        .unwrap();
    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    for expected in [
        "nango.request",
        "http.request.method=GET",
        "url.path=/records/",
        "http.response.status_code=503",
        "http.response.status_code=200",
        "nango.attempt=2",
        "http.request.resend_count=1",
        "nango.retry.delay_ms=",
        "nango.duration_ms=",
        "nango.attempts=2",
        "retrying",
        "url.path=/connections/{connection_id}",
    ] {
        assert!(log.contains(expected), "missing {expected:?} in:\n{log}");
    }
    assert_clean("the tracing output", &log, &emulator);

    // NangoBuilder::log_level caps what reaches the subscriber.
    buffer.0.lock().unwrap().clear();
    let quiet = client(&emulator).log_level(LogLevel::Off).build().unwrap();
    quiet.list_records::<Value>(&records()).await.unwrap();
    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(
        !log.contains("nango.request") && !log.contains("url.path"),
        "{log}"
    );
}
