//! The raw pager (`Nango::raw_record_pages`, pages as checked JSON text) under the same faults as
//! the typed one, plus pages that are well framed but garbled inside a record: every record comes
//! out exactly once, in order; a bad page is a `decode` error for the same cursor; the checkpoint
//! is the last record's cursor.

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
use nango::{ListRecordsParams, Nango, RetryPolicy};
use serde_json::{Value, json};

const TOTAL: usize = 5_000;

/// The page the query asks for, as the store serves it (docs/protocol.md §7).
fn page(req: &Received) -> String {
    let (records, next) = requested_page(req, TOTAL, |i| {
        json!({"id": i.to_string(), "n": i, "title": format!("quote \" and ] in {i}"),
            "_nango_metadata": {"last_action": "ADDED", "deleted_at": null,
            "cursor": cursor_of(i)}})
    });
    json!({"next_cursor": next, "records": records}).to_string()
}

#[derive(Clone, Copy, Debug)]
enum Fault {
    RateLimited,
    Unavailable,
    Drop,
    CutBody,
    /// Well framed, half the page.
    Truncated,
    /// Well framed, full length, a bad escape inside a record.
    BadEscape,
    /// Well framed, a control character inside a string.
    ControlChar,
    /// Well framed, not UTF-8.
    NotUtf8,
}

fn schedule() -> HashMap<usize, Fault> {
    use Fault::*;
    HashMap::from([
        (1, RateLimited),
        (2, Unavailable),
        (4, Drop),
        (6, CutBody),
        (8, Truncated),
        (11, BadEscape),
        (13, ControlChar),
        (15, NotUtf8),
    ])
}

/// The faults the pager surfaces (the transport retries the others).
const SURFACED: usize = 4;

#[tokio::test]
async fn raw_walk_survives_faults_and_yields_every_record_once() {
    let counter = Arc::new(AtomicUsize::new(0));
    let faults = schedule();
    let count = counter.clone();
    let server = start(move |req| {
        let n = count.fetch_add(1, Ordering::SeqCst);
        let body = page(req);
        let garble = |from: &str, to: &str| {
            let at = body.len() / 2 + body[body.len() / 2..].find(from).unwrap();
            format!("{}{to}{}", &body[..at], &body[at + from.len()..])
        };
        let ok = |text: Vec<u8>| raw(200, &[("content-type", "application/json")], text);
        match faults.get(&n) {
            Some(Fault::RateLimited) => raw(
                429,
                &[("retry-after", "0"), ("content-type", "application/json")],
                r#"{"error":{"code":"too_many_request"}}"#,
            ),
            Some(Fault::Unavailable) => json(503, json!({"error": {"code": "server_error"}})),
            Some(Fault::Drop) => drop_connection(),
            Some(Fault::CutBody) => cut_body(r#"{"records":[{"id":"#),
            Some(Fault::Truncated) => ok(body.as_bytes()[..body.len() / 2].to_vec()),
            Some(Fault::BadEscape) => ok(garble("quote \\\"", "quote \\q").into_bytes()),
            Some(Fault::ControlChar) => ok(garble("quote ", "quote\u{1}").into_bytes()),
            Some(Fault::NotUtf8) => {
                let at = body.len() / 2 + body[body.len() / 2..].find("quote ").unwrap();
                let mut bytes = body.into_bytes();
                bytes[at + 5] = 0xff;
                ok(bytes)
            }
            None => ok(body.into_bytes()),
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
    let mut pages = nango.raw_record_pages(params);
    let mut seen = Vec::with_capacity(TOTAL);
    let mut errors = Vec::new();
    while let Some(item) = pages.next_page().await {
        match item {
            Ok(page) => {
                let records: Vec<Value> = serde_json::from_str(page.records_json()).unwrap();
                assert_eq!(records.len(), page.len());
                let last = records.last().unwrap();
                assert_eq!(
                    page.last_cursor(),
                    last["_nango_metadata"]["cursor"].as_str()
                );
                assert_eq!(pages.checkpoint(), page.last_cursor());
                seen.extend(records.iter().map(|r| r["n"].as_u64().unwrap() as usize));
            }
            // Continue after a surfaced error: the pager re-requests the same cursor.
            Err(err) => errors.push(err.code().to_owned()),
        }
        assert!(errors.len() <= SURFACED, "too many errors: {errors:?}");
    }
    assert_eq!(seen.len(), TOTAL, "errors: {errors:?}");
    assert!(
        seen.iter().enumerate().all(|(i, &n)| i == n),
        "records out of order or repeated"
    );
    assert_eq!(errors, vec!["decode"; SURFACED]);
    assert!(pages.is_done());
    assert_eq!(pages.checkpoint(), Some(cursor_of(TOTAL - 1).as_str()));
    // 10 pages + every fault (surfaced ones re-requested by the walk, the rest by the transport).
    assert_eq!(server.requests().len(), 10 + schedule().len());
}

#[tokio::test]
async fn raw_pages_read_one_ahead_and_resume_from_a_checkpoint() {
    let server = start(|req| json(200, serde_json::from_str(&page(req)).unwrap())).await;
    let nango = Nango::builder(KEY).host(&server.url).build().unwrap();
    let mut params = ListRecordsParams::new("github", "conn-1", "Issue");
    params.limit = Some(1000);
    let mut pages = nango.raw_record_pages(params.clone());
    let (mut total, mut taken) = (0, 0);
    while let Some(page) = pages.next_page().await {
        total += page.unwrap().len();
        taken += 1;
        assert!(server.count() <= taken + 1, "more than one page ahead");
        tokio::task::yield_now().await;
    }
    assert_eq!((total, server.count()), (TOTAL, 5));

    let mut rest = nango.raw_record_pages(params.cursor(cursor_of(TOTAL - 11)));
    let page = rest.next_page().await.unwrap().unwrap();
    let records: Vec<Value> = serde_json::from_str(&page.into_records_json()).unwrap();
    assert_eq!(records.len(), 10);
    assert_eq!(records[0]["n"], TOTAL - 10);
    assert!(rest.next_page().await.is_none());
    assert_eq!(rest.checkpoint(), Some(cursor_of(TOTAL - 1).as_str()));
}

#[tokio::test]
async fn an_empty_page_keeps_the_starting_checkpoint() {
    let server = start(|_| json(200, json!({"records": [], "next_cursor": null}))).await;
    let nango = Nango::builder(KEY).host(&server.url).build().unwrap();
    let params = ListRecordsParams::new("github", "c", "Issue").cursor("START");
    let mut pages = nango.raw_record_pages(params);
    let page = pages.next_page().await.unwrap().unwrap();
    assert!(page.is_empty());
    assert_eq!(page.records_json(), "[]");
    assert!(pages.next_page().await.is_none());
    assert_eq!(pages.checkpoint(), Some("START"));
}
