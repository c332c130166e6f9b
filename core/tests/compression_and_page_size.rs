//! Compressed answers and page sizes, against loopback servers.
//!
//! - Every request offers `Accept-Encoding: gzip, br, zstd`, and a body the server encoded with
//!   any one of them comes out decoded (the server here compresses with tower-http, so the bytes
//!   on the wire really are gzip, br or zstd).
//! - The walkers ask for [`WALK_PAGE_LIMIT`] records a page when the caller sets no limit;
//!   `list_records` sends no limit (the server's default, as in the official SDK).
//! - Pages cut short by a server's byte budget (fewer records than `limit`, `next_cursor` set)
//!   are walked to the end without losing or repeating a record.

// The HTTP client is behind the default `client` feature.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used)]

mod client_support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use client_support::{KEY, Received, cursor_of, json, requested_page, serve, start};
use futures_util::StreamExt;
use nango::{ACCEPT_ENCODING, ListRecordsParams, Nango, RecordsPage, WALK_PAGE_LIMIT};
use serde_json::{Value, json};
use tower_http::compression::CompressionLayer;

fn client(url: &str) -> Nango {
    Nango::builder(KEY)
        .host(url)
        .max_retries(0)
        .build()
        .unwrap()
}

fn params() -> ListRecordsParams {
    ListRecordsParams::new("github", "conn-1", "Issue")
}

fn record(i: usize) -> Value {
    // Repetitive text, as real records are: it compresses well.
    json!({"id": i.to_string(), "title": format!("Issue number {i}"), "state": "open",
        "body": "steps to reproduce: open the page, click the button, wait. ".repeat(4),
        "_nango_metadata": {"last_action": "ADDED", "deleted_at": null, "cursor": cursor_of(i)}})
}

/// What one compressing server saw: the `Accept-Encoding` of each request, and the
/// `Content-Encoding` and size of each body it sent.
#[derive(Default)]
struct Seen {
    accept_encoding: Vec<Option<String>>,
    content_encoding: Vec<Option<String>>,
    wire_bytes: usize,
}

/// A records server (`total` records) that compresses with `encoding` only.
async fn compressing_server(
    encoding: &str,
    total: usize,
) -> (String, Arc<Mutex<Seen>>, tokio::sync::oneshot::Sender<()>) {
    let seen: Arc<Mutex<Seen>> = Arc::default();
    let layer = CompressionLayer::new();
    let layer = match encoding {
        "gzip" => layer.no_br().no_zstd().no_deflate(),
        "br" => layer.no_gzip().no_zstd().no_deflate(),
        "zstd" => layer.no_gzip().no_br().no_deflate(),
        other => panic!("unknown encoding {other}"),
    };
    let log = seen.clone();
    let handler = move |uri: Uri, headers: HeaderMap| {
        let log = log.clone();
        async move {
            log.lock().unwrap().accept_encoding.push(
                headers
                    .get("accept-encoding")
                    .map(|v| v.to_str().unwrap().to_owned()),
            );
            let received = Received {
                method: "GET".into(),
                path: uri.path().to_owned(),
                query: uri.query().unwrap_or("").to_owned(),
                headers,
                body: Vec::new(),
            };
            let (records, next) = requested_page(&received, total, record);
            json(200, json!({"records": records, "next_cursor": next}))
        }
    };
    let log = seen.clone();
    // Outside the compression layer: sees the encoded body as it goes on the wire.
    let wire = axum::middleware::map_response(move |response: Response| {
        let log = log.clone();
        async move {
            let (parts, body) = response.into_parts();
            let bytes: Bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
            let mut seen = log.lock().unwrap();
            seen.content_encoding.push(
                parts
                    .headers
                    .get("content-encoding")
                    .map(|v| v.to_str().unwrap().to_owned()),
            );
            seen.wire_bytes += bytes.len();
            Response::from_parts(parts, Body::from(bytes))
        }
    });
    let app = axum::Router::new()
        .fallback(handler)
        .layer(layer)
        .layer(wire);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    (url, seen, serve(listener, app))
}

#[tokio::test]
async fn every_encoding_is_offered_and_decoded() {
    assert_eq!(ACCEPT_ENCODING, "gzip, br, zstd");
    for encoding in ["gzip", "br", "zstd"] {
        let (url, seen, _stop) = compressing_server(encoding, 250).await;
        let nango = client(&url);

        // One page through each typed entry point.
        let page: RecordsPage<Value> = nango.list_records(&params().limit(250)).await.unwrap();
        assert_eq!(page.records.len(), 250, "{encoding}");
        assert_eq!(page.records[249], record(249), "{encoding}");
        let raw = nango.list_records_raw(&params().limit(250)).await.unwrap();
        assert_eq!(raw.len(), 250, "{encoding}");
        let text = nango.list_records_json(&params().limit(250)).await.unwrap();
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed["records"][0], record(0), "{encoding}");

        // And a walk over several pages.
        let walked: Vec<Value> = nango
            .records::<Value>(params().limit(100))
            .map(|r| r.unwrap())
            .collect()
            .await;
        assert_eq!(
            walked,
            (0..250).map(record).collect::<Vec<_>>(),
            "{encoding}"
        );

        let seen = seen.lock().unwrap();
        assert_eq!(seen.accept_encoding.len(), 6, "{encoding}");
        for offered in &seen.accept_encoding {
            assert_eq!(offered.as_deref(), Some(ACCEPT_ENCODING), "{encoding}");
        }
        // The bodies really were encoded, and much smaller than the JSON they decode to.
        for sent in &seen.content_encoding {
            assert_eq!(sent.as_deref(), Some(encoding));
        }
        // Four times the records (three single pages and one walk), as JSON.
        let plain = 4 * text.len();
        assert!(
            seen.wire_bytes * 4 < plain,
            "{encoding}: {} bytes on the wire for {plain} of JSON",
            seen.wire_bytes
        );
    }
}

#[tokio::test]
async fn a_body_that_does_not_decode_is_a_transport_error() {
    // Says gzip, is not: the decoder fails while the body is read.
    let server = start(|_| {
        Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            .body(Body::from(r#"{"records":[],"next_cursor":null}"#))
            .unwrap()
    })
    .await;
    let err = client(&server.url)
        .list_records::<Value>(&params())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "transport", "{err}");
}

/// Serves `total` records; a page stops early once its records' JSON passes `budget` bytes
/// (at least one record a page), as Nango's response-size budget does.
fn budget_page(req: &Received, total: usize, budget: usize) -> Response {
    let (records, next) = requested_page(req, total, record_of_varying_size);
    let mut kept = Vec::new();
    let mut bytes = 0;
    for record in &records {
        let size = record.to_string().len();
        if !kept.is_empty() && bytes + size > budget {
            break;
        }
        bytes += size;
        kept.push(record.clone());
    }
    let next = if kept.len() < records.len() {
        Some(cursor_of(
            kept.last().unwrap()["id"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap(),
        ))
    } else {
        next
    };
    json(200, json!({"records": kept, "next_cursor": next}))
}

/// Records of very different sizes (some larger than the whole budget), so short pages come in
/// every length.
fn record_of_varying_size(i: usize) -> Value {
    let size = if i % 97 == 0 {
        10_000
    } else {
        (i * 7919) % 3000
    };
    let padding = "x".repeat(size);
    json!({"id": i.to_string(), "padding": padding,
        "_nango_metadata": {"last_action": "ADDED", "deleted_at": null, "cursor": cursor_of(i)}})
}

#[tokio::test]
async fn walkers_ask_for_big_pages_and_list_records_keeps_the_server_default() {
    const TOTAL: usize = 2_500;
    let server = start(|req| {
        let (records, next) = requested_page(req, TOTAL, record);
        json(200, json!({"records": records, "next_cursor": next}))
    })
    .await;
    // Without read-ahead, so that the requests counted below are the walks' own
    // (records_read_ahead.rs tests the read-ahead).
    let nango = Nango::builder(KEY)
        .host(&server.url)
        .max_retries(0)
        .read_ahead(false)
        .build()
        .unwrap();
    let limit_of = |req: &Received| -> Option<String> {
        url::form_urlencoded::parse(req.query.as_bytes())
            .find(|(key, _)| key == "limit")
            .map(|(_, value)| value.into_owned())
    };

    nango.list_records::<Value>(&params()).await.unwrap();
    assert_eq!(
        limit_of(&server.last()),
        None,
        "list_records sends no limit"
    );

    let walked = nango
        .records::<Value>(params())
        .map(|r| r.unwrap())
        .collect::<Vec<_>>()
        .await;
    assert_eq!(walked.len(), TOTAL);
    let pages = nango
        .record_pages::<Value>(params())
        .map(|p| p.unwrap().records.len())
        .collect::<Vec<_>>()
        .await;
    assert_eq!(pages, vec![1000, 1000, 500]);
    let raw_pages = nango
        .raw_record_pages(params())
        .map(|p| p.unwrap().len())
        .collect::<Vec<_>>()
        .await;
    assert_eq!(raw_pages, vec![1000, 1000, 500]);
    let walk_requests = &server.requests()[1..];
    assert_eq!(walk_requests.len(), 9);
    for req in walk_requests {
        assert_eq!(limit_of(req), Some(WALK_PAGE_LIMIT.to_string()));
    }

    // A limit the caller gives is kept.
    let pages = nango
        .record_pages::<Value>(params().limit(700))
        .map(|p| p.unwrap().records.len())
        .collect::<Vec<_>>()
        .await;
    assert_eq!(pages, vec![700, 700, 700, 400]);
}

#[tokio::test]
async fn short_pages_with_a_next_cursor_lose_and_repeat_nothing() {
    const TOTAL: usize = 600;
    const BUDGET: usize = 8_000;
    let server = start(|req| budget_page(req, TOTAL, BUDGET)).await;
    let nango = client(&server.url);
    let expected: Vec<String> = (0..TOTAL).map(|i| i.to_string()).collect();
    let ids = |records: &[Value]| -> Vec<String> {
        records
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect()
    };

    let mut walk = nango.records::<Value>(params());
    let mut seen = Vec::new();
    while let Some(record) = walk.next_record().await {
        seen.push(record.unwrap());
    }
    assert_eq!(ids(&seen), expected);
    assert_eq!(walk.checkpoint(), Some(cursor_of(TOTAL - 1).as_str()));

    let mut sizes = Vec::new();
    let mut from_pages = Vec::new();
    let mut pages = nango.record_pages::<Value>(params());
    while let Some(page) = pages.next_page().await {
        let page = page.unwrap();
        sizes.push(page.records.len());
        from_pages.extend(page.records);
    }
    assert_eq!(ids(&from_pages), expected);
    // The budget, not the limit, cut the pages: many are short, and every one but the last had
    // a next cursor.
    assert!(sizes.len() > 100, "{} pages", sizes.len());
    assert!(sizes.iter().all(|&n| n < WALK_PAGE_LIMIT as usize));
    assert!(
        sizes.contains(&1),
        "a record larger than the budget came alone"
    );

    let mut raw_ids = Vec::new();
    let mut raw = nango.raw_record_pages(params());
    while let Some(page) = raw.next_page().await {
        let page = page.unwrap();
        for index in 0..page.len() {
            let record: Value = serde_json::from_str(page.record_json(index).unwrap()).unwrap();
            raw_ids.push(record["id"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(raw_ids, expected);

    // Every request was for a cursor not asked before (no page fetched twice).
    let mut cursors: HashMap<String, usize> = HashMap::new();
    for req in server.requests() {
        *cursors.entry(req.query.clone()).or_default() += 1;
    }
    assert!(cursors.values().all(|&n| n == 3), "each page once per walk");
}
