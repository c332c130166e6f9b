//! Walking 10,000 records while the server misbehaves: 429 with Retry-After, 503 bursts,
//! dropped connections, bodies cut mid-stream, a well-framed but truncated JSON page. Every
//! record must come out exactly once, in order, and the checkpoint must be the last cursor.

// The HTTP client is behind the default `client` feature.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used)]

mod client_support;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use client_support::{
    KEY, Received, cursor_of, cut_body, drop_connection, json, quiet_drop_panics, raw,
    requested_page, start,
};
use futures_util::StreamExt;
use nango::{ListRecordsParams, Nango, Record, RetryPolicy};
use serde_json::{Value, json};

const TOTAL: usize = 10_000;

/// Serves the records `(updated_at, id)`-ordered with real cursors, like the store (docs/protocol.md §7).
fn page(req: &Received) -> Value {
    let (records, next) = requested_page(req, TOTAL, |i| {
        json!({"id": i.to_string(), "n": i, "_nango_metadata": {
            "first_seen_at": "2026-01-02T03:04:05.000000+00:00",
            "last_modified_at": "2026-01-02T03:04:05.000000+00:00",
            "last_action": if i % 7 == 0 { "UPDATED" } else { "ADDED" },
            "deleted_at": null, "pruned_at": null, "cursor": cursor_of(i)}})
    });
    json!({"records": records, "next_cursor": next})
}

#[derive(Clone, Copy, Debug)]
enum Fault {
    RateLimited(&'static str),
    Unavailable,
    BadGateway,
    Drop,
    CutBody,
    TruncatedJson,
}

fn schedule() -> HashMap<usize, Fault> {
    use Fault::*;
    // Request numbers (0-based) that fail; at most two in a row so that the default two
    // retries get through, except the truncated JSON, which the pager surfaces.
    HashMap::from([
        (1, RateLimited("1")),
        (3, Unavailable),
        (4, Unavailable),
        (7, Drop),
        (9, CutBody),
        (10, RateLimited("0")),
        (12, BadGateway),
        (13, Drop),
        (16, TruncatedJson),
        (19, CutBody),
        (20, Unavailable),
        (23, RateLimited("Thu, 01 Jan 1970 00:00:00 GMT")),
    ])
}

#[tokio::test]
async fn walk_survives_faults_and_yields_every_record_once() {
    let counter = Arc::new(AtomicUsize::new(0));
    let faults = schedule();
    let count = counter.clone();
    let server = start(move |req| {
        let n = count.fetch_add(1, Ordering::SeqCst);
        match faults.get(&n) {
            Some(Fault::RateLimited(after)) => raw(
                429,
                &[("retry-after", after), ("content-type", "application/json")],
                r#"{"error":{"code":"too_many_request"}}"#,
            ),
            Some(Fault::Unavailable) => json(503, json!({"error": {"code": "server_error"}})),
            Some(Fault::BadGateway) => raw(502, &[], "<html>bad gateway</html>"),
            Some(Fault::Drop) => drop_connection(),
            Some(Fault::CutBody) => cut_body(r#"{"records":[{"id":"#),
            Some(Fault::TruncatedJson) => {
                let full = page(req).to_string();
                raw(
                    200,
                    &[("content-type", "application/json")],
                    full[..full.len() / 2].to_owned(),
                )
            }
            None => json(200, page(req)),
        }
    })
    .await;
    quiet_drop_panics();

    let nango = Nango::builder(KEY)
        .host(&server.url)
        .retry_policy(RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            max_retry_after: Duration::from_secs(2),
        })
        .build()
        .unwrap();
    let mut params = ListRecordsParams::new("github", "conn-1", "Issue");
    params.limit = Some(500);
    let mut stream = nango.records::<Record<Value>>(params);
    let mut seen = Vec::with_capacity(TOTAL);
    let mut errors = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(record) => {
                assert_eq!(stream.checkpoint(), Some(record.metadata.cursor.as_str()));
                seen.push(record.data["n"].as_u64().unwrap() as usize);
            }
            // Continue after a surfaced error: the stream re-requests the same cursor.
            Err(err) => errors.push(err.code().to_owned()),
        }
        assert!(errors.len() < 5, "too many errors: {errors:?}");
    }
    assert_eq!(seen.len(), TOTAL, "errors: {errors:?}");
    assert!(
        seen.iter().enumerate().all(|(i, &n)| i == n),
        "records out of order or repeated"
    );
    assert_eq!(
        errors,
        vec!["decode"],
        "only the well-framed truncated page surfaces"
    );
    assert_eq!(stream.checkpoint(), Some(cursor_of(TOTAL - 1).as_str()));
    // 20 pages + 1 surfaced retry + every injected fault retried by the transport.
    let requests = server.requests();
    assert_eq!(requests.len(), 20 + schedule().len());
    // Every page request carried the headers, and no cursor was skipped.
    for req in &requests {
        assert_eq!(req.header("connection-id").unwrap(), "conn-1");
    }
}

#[tokio::test]
async fn page_stream_reads_at_most_one_page_ahead() {
    let server = start(|req| json(200, page(req))).await;
    let nango = Nango::builder(KEY).host(&server.url).build().unwrap();
    let mut params = ListRecordsParams::new("github", "conn-1", "Issue");
    params.limit = Some(1000);
    let mut pages = nango.record_pages::<Value>(params);
    let mut total = 0;
    let mut taken = 0;
    while let Some(page) = pages.next_page().await {
        let page = page.unwrap();
        taken += 1;
        total += page.records.len();
        // Requests issued so far never exceed pages taken + one read-ahead.
        assert!(
            server.count() <= taken + 1,
            "{} requests for {taken} pages",
            server.count()
        );
        tokio::task::yield_now().await;
    }
    assert_eq!(total, TOTAL);
    assert_eq!(server.count(), 10);
    assert!(pages.is_done());
    assert_eq!(pages.checkpoint(), Some(cursor_of(TOTAL - 1).as_str()));
}

#[tokio::test]
async fn resume_from_checkpoint_sends_the_cursor() {
    let server = start(|req| json(200, page(req))).await;
    let nango = Nango::builder(KEY).host(&server.url).build().unwrap();
    let params = ListRecordsParams::new("github", "c", "Issue").cursor(cursor_of(9_989));
    let stream = nango.records::<Value>(params);
    let rest: Vec<Value> = stream.map(|r| r.unwrap()).collect().await;
    assert_eq!(rest.len(), 10);
    assert_eq!(rest[0]["n"], 9_990);
    assert!(server.last().query.contains("cursor="));
}
