//! `list_records` read-ahead and the in-flight cap, against loopback servers that count requests.
//!
//! - The page after the one returned is requested once, in the background, with the same
//!   parameters; the call for it is answered without a request of its own.
//! - A page is as the server had it when the read-ahead was answered (a record changed after
//!   that comes on a later page, changed); a call with other parameters never gets it.
//! - A caller that stops early costs one extra request at most; `read_ahead(false)` none.
//! - A failed read-ahead is reported once, by the matching call; the next call retries afresh.
//! - At most `max_in_flight` requests run at once.

// The HTTP client is behind the default `client` feature.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used)]

mod client_support;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use client_support::{KEY, Received, TestServer, json, requested_page, start};
use nango::records_ahead::READ_AHEAD_IDLE;
use nango::{ListRecordsParams, Nango, RecordsPage};
use serde_json::{Value, json};

const TOTAL: usize = 250;

fn client(url: &str, read_ahead: bool) -> Nango {
    Nango::builder(KEY)
        .host(url)
        .max_retries(0)
        .read_ahead(read_ahead)
        .build()
        .unwrap()
}

fn params() -> ListRecordsParams {
    ListRecordsParams::new("github", "conn-1", "Issue").limit(100)
}

fn query(req: &Received) -> HashMap<String, String> {
    url::form_urlencoded::parse(req.query.as_bytes())
        .into_owned()
        .collect()
}

/// A store of [`TOTAL`] records whose `version` is the server's current version: each record
/// says which request parameters it was served for, so foreign data would show.
fn store(
    version: Arc<AtomicUsize>,
    fail_once: Option<Arc<AtomicBool>>,
) -> impl Fn(&Received) -> Response {
    move |req: &Received| {
        let q = query(req);
        if let Some(fail) = &fail_once
            && q.contains_key("cursor")
            && fail.swap(false, Ordering::SeqCst)
        {
            return json(
                500,
                json!({"error": {"code": "server_error", "message": "boom"}}),
            );
        }
        let v = version.load(Ordering::SeqCst);
        let (records, next) = requested_page(req, TOTAL, |i| {
            json!({"id": i.to_string(), "version": v, "model": q.get("model"),
                "connection": req.header("connection-id"), "filter": q.get("filter"),
                "_nango_metadata": {"cursor": client_support::cursor_of(i)}})
        });
        json(200, json!({"records": records, "next_cursor": next}))
    }
}

type Response = axum::response::Response;

/// A change to the parameters of a call.
type Change = fn(&mut ListRecordsParams);

/// Waits until the server has received `n` requests (fails after 5 s).
async fn wait_for(server: &TestServer, n: usize) {
    for _ in 0..500 {
        if server.count() >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{} requests, expected {n}", server.count());
}

async fn page(nango: &Nango, params: &ListRecordsParams) -> RecordsPage<Value> {
    nango.list_records(params).await.unwrap()
}

#[tokio::test]
async fn the_next_page_is_read_ahead_once_and_answers_the_next_call() {
    let version = Arc::new(AtomicUsize::new(0));
    let server = start(store(version.clone(), None)).await;
    let nango = client(&server.url, true);

    let first = page(&nango, &params()).await;
    let next = first.next_cursor.clone().unwrap();
    wait_for(&server, 2).await;
    let ahead = server.requests()[1].clone();
    assert_eq!(query(&ahead).get("cursor"), Some(&next));
    assert_eq!(query(&ahead).get("limit").map(String::as_str), Some("100"));
    assert_eq!(ahead.header("connection-id").as_deref(), Some("conn-1"));

    // Changed after the read-ahead was answered: the next page is as it was fetched, and the
    // page after it (fetched once that one is handed out) has the change.
    version.store(1, Ordering::SeqCst);
    let second = page(&nango, &params().cursor(next)).await;
    assert_eq!(second.records[0]["id"], "100");
    assert!(second.records.iter().all(|r| r["version"] == 0));
    wait_for(&server, 3).await;
    let third = page(&nango, &params().cursor(second.next_cursor.unwrap())).await;
    assert!(third.records.iter().all(|r| r["version"] == 1));
    assert_eq!(third.records.len(), 50);
    assert_eq!(third.next_cursor, None);
    // Three pages, three requests: the last page has no next cursor to read ahead.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn a_call_with_other_parameters_never_gets_the_page_read_ahead() {
    let changes: [(&str, Change); 6] = [
        ("model", |p| p.model = "Other".into()),
        ("connection", |p| p.connection_id = "conn-2".into()),
        ("filter", |p| p.filter = Some("added".into())),
        ("limit", |p| p.limit = Some(10)),
        ("variant", |p| p.variant = Some("v2".into())),
        ("cursor", |p| {
            p.cursor = Some(client_support::cursor_of(149))
        }),
    ];
    for (what, change) in changes {
        let server = start(store(Arc::default(), None)).await;
        let nango = client(&server.url, true);
        let before = 0;
        let first = page(&nango, &params()).await;
        wait_for(&server, before + 2).await;
        let mut other = params().cursor(first.next_cursor.unwrap());
        change(&mut other);
        let got = page(&nango, &other).await;
        // Its own request, and its own answer.
        assert_eq!(server.count(), before + 3, "{what}");
        let sent = &server.requests()[before + 2];
        assert_eq!(query(sent).get("cursor"), other.cursor.as_ref(), "{what}");
        let limit = other.limit.unwrap() as usize;
        assert_eq!(got.records.len(), limit, "{what}");
        assert_eq!(
            got.records[0]["model"],
            Value::from(other.model.clone()),
            "{what}"
        );
        assert_eq!(
            got.records[0]["connection"],
            Value::from(other.connection_id.clone()),
            "{what}"
        );
        assert_eq!(got.records[0]["filter"], json!(other.filter), "{what}");
        if what == "cursor" {
            assert_eq!(got.records[0]["id"], "150");
        }
    }
}

#[tokio::test]
async fn stopping_early_costs_one_request_and_off_costs_none() {
    let server = start(store(Arc::default(), None)).await;
    page(&client(&server.url, true), &params()).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.count(), 2, "one page asked for, one read ahead");

    let server = start(store(Arc::default(), None)).await;
    let nango = client(&server.url, false);
    let mut cursor = None;
    loop {
        let mut p = params();
        p.cursor = cursor;
        let got = page(&nango, &p).await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        match got.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(server.count(), 3, "read_ahead(false): one request a page");
}

#[tokio::test]
async fn the_walkers_read_ahead_on_their_own_only() {
    use futures_util::StreamExt;
    let server = start(store(Arc::default(), None)).await;
    let nango = client(&server.url, true);
    let walked = nango.records::<Value>(params()).collect::<Vec<_>>().await;
    assert_eq!(walked.len(), TOTAL);
    let raw = nango.raw_record_pages(params()).collect::<Vec<_>>().await;
    assert_eq!(raw.len(), 3);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(server.count(), 6, "one request a page, none twice");
}

#[tokio::test]
async fn an_unclaimed_read_ahead_is_dropped_after_the_idle_time() {
    let version = Arc::new(AtomicUsize::new(0));
    let server = start(store(version.clone(), None)).await;
    let nango = client(&server.url, true);
    let first = page(&nango, &params()).await;
    wait_for(&server, 2).await;
    version.store(1, Ordering::SeqCst);
    tokio::time::sleep(READ_AHEAD_IDLE + Duration::from_millis(200)).await;
    let second = page(&nango, &params().cursor(first.next_cursor.unwrap())).await;
    assert_eq!(server.count(), 3, "asked for again");
    assert!(second.records.iter().all(|r| r["version"] == 1));
}

#[tokio::test]
async fn a_failed_read_ahead_is_reported_once_then_retried_afresh() {
    let fail = Arc::new(AtomicBool::new(true));
    let server = start(store(Arc::default(), Some(fail.clone()))).await;
    let nango = client(&server.url, true);
    let first = page(&nango, &params()).await;
    wait_for(&server, 2).await;
    assert!(!fail.load(Ordering::SeqCst), "the read-ahead got the 500");
    let second = params().cursor(first.next_cursor.unwrap());
    let err = nango.list_records::<Value>(&second).await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(
        server.count(),
        2,
        "reported from the read-ahead, no request of its own"
    );
    let again = page(&nango, &second).await;
    assert_eq!(again.records[0]["id"], "100");
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn no_more_than_max_in_flight_requests_run_at_once() {
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (r, m) = (running.clone(), most.clone());
    let app = axum::Router::new().fallback(move || {
        let (running, most) = (r.clone(), m.clone());
        async move {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(50)).await;
            running.fetch_sub(1, Ordering::SeqCst);
            json(200, json!({"records": [], "next_cursor": null}))
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let _stop = client_support::serve(listener, app);
    let nango = Nango::builder(KEY)
        .host(&url)
        .max_in_flight(3)
        .build()
        .unwrap();
    let calls = (0..12).map(|_| {
        let nango = nango.clone();
        tokio::spawn(async move { nango.list_records::<Value>(&params()).await })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.unwrap().unwrap();
    }
    assert_eq!(most.load(Ordering::SeqCst), 3);
    assert_eq!(nango.config().max_in_flight, 3);
    assert_eq!(
        Nango::new(KEY).unwrap().config().max_in_flight,
        nango::DEFAULT_MAX_IN_FLIGHT
    );
    for bad in [0, nango::MAX_IN_FLIGHT + 1] {
        let err = Nango::builder(KEY).max_in_flight(bad).build().unwrap_err();
        assert_eq!(err.info().field.as_deref(), Some("max_in_flight"));
    }
}
