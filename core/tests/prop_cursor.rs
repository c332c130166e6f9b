//! Property tests for cursor handling (tests/scenarios README, "Fuzzing and properties"):
//! cursors round-trip and order like the server's `(updated_at, id)`, garbage never panics, and
//! the pager walks ANY split of a data set into pages — with transient failures in between —
//! delivering each record exactly once, in order, with the last cursor as its checkpoint.

// The HTTP client is behind the default `client` feature.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use nango::cursor::{decode_cursor, encode_cursor};
use nango::{ListRecordsParams, Nango, RetryPolicy};
use proptest::prelude::*;
use serde_json::{Value, json};

const KEY: &str = "11111111-2222-4333-8444-555555555555";

/// Postgres' fixed-width UTC rendering of a microsecond instant (as the emulator renders it).
fn render(micros: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1000).unwrap();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}+00:00",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}

fn uuid_of(n: u128) -> String {
    let h = format!("{n:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

proptest! {
    #[test]
    fn cursors_round_trip(micros in 0i64..4_102_444_800_000_000, id in any::<u128>(),
                          offset_min in -720i32..=840) {
        let sign = if offset_min < 0 { '-' } else { '+' };
        let ts = format!("{}{}{:02}:{:02}", &render(micros)[..26], sign, offset_min.abs() / 60, offset_min.abs() % 60);
        let uuid = uuid_of(id);
        let cursor = encode_cursor(&ts, &uuid);
        let decoded = decode_cursor(&cursor).unwrap();
        prop_assert_eq!(&decoded.timestamp, &ts);
        prop_assert_eq!(&decoded.id, &uuid);
        prop_assert_eq!(encode_cursor(&decoded.timestamp, &decoded.id), cursor);
    }

    #[test]
    fn decoded_order_is_server_order(a in (0i64..4_102_444_800_000_000, any::<u128>()),
                                     b in (0i64..4_102_444_800_000_000, any::<u128>())) {
        let key = |(m, id): (i64, u128)| {
            let d = decode_cursor(&encode_cursor(&render(m), &uuid_of(id))).unwrap();
            (d.time, d.id)
        };
        prop_assert_eq!(key(a).cmp(&key(b)), (a.0, uuid_of(a.1)).cmp(&(b.0, uuid_of(b.1))));
    }

    #[test]
    fn garbage_never_panics_and_canonical_if_accepted(text in "\\PC{0,120}", bytes in proptest::collection::vec(any::<u8>(), 0..90)) {
        use base64::Engine;
        for candidate in [text.clone(), base64::engine::general_purpose::STANDARD.encode(&bytes)] {
            if let Ok(d) = decode_cursor(&candidate) {
                prop_assert_eq!(encode_cursor(&d.timestamp, &d.id), candidate);
            } else {
                let err = decode_cursor(&candidate).unwrap_err();
                prop_assert_eq!(err.code(), "invalid_argument");
            }
        }
    }
}

/// The loopback server of the pager property: `records` served in pages of `page` (the client's
/// `limit` is ignored, as a size-budgeted server may), failing the requests listed in `fail`.
#[derive(Clone)]
struct World {
    records: Arc<Vec<Value>>,
    page: usize,
    fail: Arc<Vec<u16>>,
    served: Arc<Mutex<usize>>,
}

async fn records(State(w): State<World>, Query(q): Query<HashMap<String, String>>) -> Response {
    let n = {
        let mut served = w.served.lock().unwrap();
        *served += 1;
        *served - 1
    };
    if let Some(status) = w.fail.get(n).copied().filter(|s| *s != 0) {
        return (
            StatusCode::from_u16(status).unwrap(),
            axum::Json(json!({"error": {"code": "server_error"}})),
        )
            .into_response();
    }
    let start = match q.get("cursor") {
        None => 0,
        Some(c) => w
            .records
            .iter()
            .position(|r| r["_nango_metadata"]["cursor"] == c.as_str())
            .map_or(usize::MAX, |i| i + 1),
    };
    if start == usize::MAX {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            axum::Json(json!({"error": {"code": "server_error"}})),
        )
            .into_response();
    }
    let end = (start + w.page).min(w.records.len());
    let slice = &w.records[start..end];
    let next = if end < w.records.len() {
        slice.last().map(|r| r["_nango_metadata"]["cursor"].clone())
    } else {
        None
    };
    axum::Json(json!({"records": slice, "next_cursor": next})).into_response()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn pager_delivers_every_split_exactly_once(
        total in 0usize..250,
        page in 1usize..40,
        fail in proptest::collection::vec(prop_oneof![Just(0u16), Just(0u16), Just(503u16), Just(429u16)], 0..12),
        start_at in proptest::option::of(0usize..250),
    ) {
        let rows: Vec<Value> = (0..total).map(|i| json!({
            "id": i.to_string(),
            "_nango_metadata": {"cursor": encode_cursor(&render(1_700_000_000_000_000 + i as i64), &uuid_of(i as u128)),
                                "last_action": "ADDED", "first_seen_at": "", "last_modified_at": ""},
        })).collect();
        let start_at = start_at.filter(|s| *s < total);
        let world = World { records: Arc::new(rows.clone()), page, fail: Arc::new(fail), served: Arc::default() };
        let start_cursor = start_at.map(|s| rows[s]["_nango_metadata"]["cursor"].as_str().unwrap().to_owned());
        let (ids, checkpoint, errors) = runtime().block_on(async move {
            let app = axum::Router::new().route("/records/", axum::routing::get(records)).with_state(world);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let server = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
            let nango = Nango::builder(KEY)
                .host(format!("http://{addr}"))
                .retry_policy(RetryPolicy { max_retries: 1, base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(2), max_retry_after: Duration::from_secs(1) })
                .build()
                .unwrap();
            let mut params = ListRecordsParams::new("p", "c", "Model").limit(page as u32);
            if let Some(cursor) = start_cursor {
                params = params.cursor(cursor);
            }
            let mut stream = nango.records::<Value>(params);
            let (mut ids, mut errors) = (Vec::new(), 0);
            while let Some(item) = stream.next().await {
                match item {
                    Ok(r) => ids.push(r["id"].as_str().unwrap().parse::<usize>().unwrap()),
                    Err(_) => errors += 1,
                }
                assert!(errors < 50, "stuck");
            }
            let checkpoint = stream.checkpoint().map(str::to_owned);
            server.abort();
            (ids, checkpoint, errors)
        });
        let first = start_at.map_or(0, |s| s + 1);
        prop_assert_eq!(ids, (first..total).collect::<Vec<_>>(), "errors surfaced: {}", errors);
        let expected_checkpoint = if total > first {
            Some(rows[total - 1]["_nango_metadata"]["cursor"].as_str().unwrap().to_owned())
        } else {
            start_at.map(|s| rows[s]["_nango_metadata"]["cursor"].as_str().unwrap().to_owned())
        };
        prop_assert_eq!(checkpoint, expected_checkpoint);
    }
}
