//! Benchmarks: decoding a records page, and walking records from a loopback server with the
//! read-ahead pager. Run with `cargo bench -p nango`.
#![allow(clippy::unwrap_used, missing_docs)]

use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures_util::StreamExt;
use nango::response::{RawResponse, parse_json};
use nango::{ListRecordsParams, Nango, RawRecordsPage, Record, RecordsPage};
use serde_json::Value;
use serde_json::value::RawValue;

const TOTAL: usize = 10_000;
const PAGE: usize = 1_000;

fn cursor(index: usize) -> String {
    nango::cursor::encode_cursor(
        "2026-01-02T03:04:05.123456+00:00",
        &format!("00000000-0000-4000-8000-{index:012}"),
    )
}

fn page_json(start: usize, len: usize) -> String {
    let records: Vec<Value> = (start..start + len)
        .map(|i| {
            serde_json::json!({
                "id": i.to_string(), "title": format!("Issue number {i}"), "state": "open",
                "labels": ["bug", "p2"], "assignee": {"login": "someone", "id": i},
                "_nango_metadata": {"first_seen_at": "2026-01-02T03:04:05.123456+00:00",
                    "last_modified_at": "2026-01-02T03:04:05.123456+00:00", "last_action": "ADDED",
                    "deleted_at": null, "pruned_at": null, "cursor": cursor(i)}})
        })
        .collect();
    let next = (start + len < TOTAL).then(|| cursor(start + len - 1));
    serde_json::json!({"records": records, "next_cursor": next}).to_string()
}

fn parsing(c: &mut Criterion) {
    let body = page_json(0, PAGE).into_bytes();
    let response = RawResponse {
        status: 200,
        headers: Vec::new(),
        body,
    };
    let mut group = c.benchmark_group("parse_page_1000");
    group.throughput(Throughput::Bytes(response.body.len() as u64));
    group.bench_function("value", |b| {
        b.iter(|| parse_json::<RecordsPage<Value>>("GET /records/", &response).unwrap())
    });
    group.bench_function("typed_record", |b| {
        b.iter(|| parse_json::<RecordsPage<Record<Value>>>("GET /records/", &response).unwrap())
    });
    group.bench_function("raw_value", |b| {
        b.iter(|| parse_json::<RecordsPage<Box<RawValue>>>("GET /records/", &response).unwrap())
    });
    // The page left as text: located and checked, one record decoded (the last, for its cursor).
    group.bench_function("raw_page", |b| {
        b.iter(|| RawRecordsPage::from_response(response.clone()).unwrap())
    });
    group.finish();
}

fn pager(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let pages: Arc<Vec<String>> = Arc::new(
        (0..TOTAL / PAGE)
            .map(|p| page_json(p * PAGE, PAGE))
            .collect(),
    );
    let url = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new().route(
            "/records/",
            axum::routing::get(move |uri: axum::http::Uri| {
                let pages = pages.clone();
                async move {
                    let index = uri
                        .query()
                        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("cursor=")))
                        .map(|c| {
                            let c = c
                                .replace("%3D", "=")
                                .replace("%2B", "+")
                                .replace("%2F", "/");
                            let decoded = nango::cursor::decode_cursor(&c).unwrap();
                            (decoded.id[24..].parse::<usize>().unwrap() + 1) / PAGE
                        })
                        .unwrap_or(0);
                    ([("content-type", "application/json")], pages[index].clone())
                }
            }),
        );
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        url
    });
    let nango = Nango::builder("11111111-2222-4333-8444-555555555555")
        .host(&url)
        .build()
        .unwrap();
    let params = ListRecordsParams::new("github", "conn-1", "Issue").limit(PAGE as u32);

    let mut group = c.benchmark_group("walk_10000_records_loopback");
    group.throughput(Throughput::Elements(TOTAL as u64));
    group.sample_size(20);
    group.bench_function("records_value", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let count = nango.records::<Value>(params.clone()).count().await;
                assert_eq!(count, TOTAL);
            })
        })
    });
    group.bench_function("pages_raw_value", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let mut pages = nango.record_pages::<Box<RawValue>>(params.clone());
                let mut count = 0;
                while let Some(page) = pages.next_page().await {
                    count += page.unwrap().records.len();
                }
                assert_eq!(count, TOTAL);
            })
        })
    });
    group.bench_function("raw_pages", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let mut pages = nango.raw_record_pages(params.clone());
                let mut count = 0;
                while let Some(page) = pages.next_page().await {
                    count += page.unwrap().len();
                }
                assert_eq!(count, TOTAL);
            })
        })
    });
    group.finish();
}

criterion_group!(benches, parsing, pager);
criterion_main!(benches);
