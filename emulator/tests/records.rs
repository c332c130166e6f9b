//! `/records`: ordering, cursors, `limit+1` look-ahead, modified_after, filter, ids, deletes, prune,
//! strict validation and the invalid-cursor 500 quirk.
#![allow(clippy::unwrap_used)]

mod common;
use common::Fetch;

use base64::Engine;
use common::{Ctx, error_code};
use nango_emulator::Emulator;
use serde_json::{Value, json};
use std::collections::HashSet;

/// `conn-1` of `zendesk` with `count` `Ticket` records of about `size` bytes.
fn tickets(count: usize, size: usize) -> nango_emulator::EmulatorBuilder {
    Emulator::builder()
        .seed("zendesk", "Ticket", count, size)
        .connection("zendesk", "conn-1")
}

async fn page(ctx: &Ctx, query: &str) -> Value {
    let r = ctx.records("conn-1", query).fetch().await;
    assert_eq!(r.status(), 200, "{query}");
    r.json().await.unwrap()
}

async fn all_pages(ctx: &Ctx, base: &str, limit: usize) -> (Vec<Value>, usize) {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut q = format!("{base}&limit={limit}");
        if let Some(c) = &cursor {
            q.push_str(&format!("&cursor={}", urlencode(c)));
        }
        let v = page(ctx, &q).await;
        pages += 1;
        let recs = v["records"].as_array().unwrap().clone();
        assert!(recs.len() <= limit);
        out.extend(recs);
        match v["next_cursor"].as_str() {
            Some(c) => {
                assert_eq!(
                    Some(c),
                    out.last().unwrap()["_nango_metadata"]["cursor"].as_str()
                );
                cursor = Some(c.to_owned());
            }
            None => break,
        }
    }
    (out, pages)
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn pages_in_order_with_cursors() {
    let ctx = Ctx::start(tickets(25, 128)).await;
    let (recs, pages) = all_pages(&ctx, "model=Ticket", 10).await;
    assert_eq!(pages, 3);
    assert_eq!(recs.len(), 25);
    let ids: HashSet<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 25);
    // Exactly `limit` rows left → the look-ahead says there is no more.
    let (recs20, pages20) = all_pages(&ctx, "model=Ticket", 25).await;
    assert_eq!((recs20.len(), pages20), (25, 1));
    // Metadata shape and Postgres timestamps; cursor = base64(time||uuid).
    let m = &recs[0]["_nango_metadata"];
    assert_eq!(m["last_action"], "ADDED");
    assert!(m["deleted_at"].is_null() && m["pruned_at"].is_null());
    let ts = m["last_modified_at"].as_str().unwrap();
    assert!(
        ts.ends_with("+00:00") && ts.len() == "2026-01-02T03:04:05.123456+00:00".len(),
        "{ts}"
    );
    let raw = base64::engine::general_purpose::STANDARD
        .decode(m["cursor"].as_str().unwrap())
        .unwrap();
    let raw = String::from_utf8(raw).unwrap();
    let (t, id) = raw.split_once("||").unwrap();
    assert_eq!(t, ts);
    assert!(uuid::Uuid::parse_str(id).is_ok());
    // A cursor taken from the last record yields nothing until something changes.
    let last = recs.last().unwrap()["_nango_metadata"]["cursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let v = page(&ctx, &format!("model=Ticket&cursor={}", urlencode(&last))).await;
    assert_eq!(v["records"].as_array().unwrap().len(), 0);
    assert!(v["next_cursor"].is_null());
    // Ids are strings, even though the payload came from the provider.
    assert!(recs.iter().all(|r| r["id"].is_string()));
    // Trailing-slash-less path works too.
    let r = ctx
        .get("/records?model=Ticket&limit=1")
        .header("Connection-Id", "conn-1")
        .header("Provider-Config-Key", "zendesk")
        .fetch()
        .await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn incremental_changes_after_a_checkpoint() {
    let ctx = Ctx::start(tickets(30, 128)).await;
    let (recs, _) = all_pages(&ctx, "model=Ticket", 100).await;
    let checkpoint = recs.last().unwrap()["_nango_metadata"]["cursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let (added, updated, deleted) = ctx.emu.mutate_provider("zendesk", "Ticket", 3, 2, 4);
    let changes = ctx.emu.run_sync("zendesk", "conn-1", "tickets").unwrap();
    assert_eq!(
        changes[0].1,
        nango_emulator::SyncChanges {
            added: 3,
            updated: 2,
            deleted: 4
        }
    );
    let (since, _) = all_pages(
        &ctx,
        &format!("model=Ticket&cursor={}", urlencode(&checkpoint)),
        2,
    )
    .await;
    assert_eq!(since.len(), 9);
    let by_action = |a: &str| -> HashSet<String> {
        since
            .iter()
            .filter(|r| r["_nango_metadata"]["last_action"] == a)
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(by_action("ADDED"), added.into_iter().collect());
    assert_eq!(by_action("UPDATED"), updated.into_iter().collect());
    assert_eq!(by_action("DELETED"), deleted.iter().cloned().collect());
    // Deleted rows keep their last payload and get deleted_at.
    let d = since
        .iter()
        .find(|r| r["_nango_metadata"]["last_action"] == "DELETED")
        .unwrap();
    assert!(d["_nango_metadata"]["deleted_at"].is_string());
    assert!(d["title"].is_string());
    // filter= single values.
    for (f, n) in [
        ("added", 3 + 30 - 2 - 4),
        ("updated", 2),
        ("deleted", 4),
        ("DELETED", 4),
        ("added,updated", 33 - 4),
    ] {
        let (rows, _) = all_pages(&ctx, &format!("model=Ticket&filter={f}"), 1000).await;
        assert_eq!(rows.len(), n, "filter {f}");
    }
    // ids= restricts and still pages.
    let want: Vec<String> = deleted
        .iter()
        .take(2)
        .cloned()
        .chain(["1".to_owned()])
        .collect();
    let q: String = want.iter().map(|i| format!("&ids={i}")).collect();
    let (rows, pages) = all_pages(&ctx, &format!("model=Ticket{q}"), 2).await;
    assert_eq!(pages, 2);
    let got: HashSet<String> = rows
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(got, want.into_iter().collect());
}

#[tokio::test]
async fn modified_after_is_inclusive_and_validated() {
    let ctx = Ctx::start(tickets(5, 100)).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let before = time::OffsetDateTime::now_utc();
    ctx.emu.mutate_provider("zendesk", "Ticket", 0, 2, 0);
    ctx.emu.run_sync("zendesk", "conn-1", "tickets").unwrap();
    let iso = |t: time::OffsetDateTime| {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.millisecond()
        )
    };
    let v = page(
        &ctx,
        &format!("model=Ticket&modified_after={}", iso(before)),
    )
    .await;
    assert_eq!(v["records"].as_array().unwrap().len(), 2);
    // Inclusive: using a record's own millisecond-truncated timestamp still returns it.
    let v = page(&ctx, "model=Ticket").await;
    let all = v["records"].as_array().unwrap();
    let first_ts = all[0]["_nango_metadata"]["last_modified_at"]
        .as_str()
        .unwrap();
    let t = time::OffsetDateTime::parse(first_ts, &time::format_description::well_known::Rfc3339)
        .unwrap();
    let v = page(&ctx, &format!("model=Ticket&modified_after={}", iso(t))).await;
    assert_eq!(v["records"].as_array().unwrap().len(), 5);
    // Offsets other than Z, garbage, and dates older than a year are rejected.
    for bad in [
        "2026-01-01T00:00:00%2B02:00",
        "yesterday",
        "2001-01-01T00:00:00.000Z",
    ] {
        let r = ctx
            .records("conn-1", &format!("model=Ticket&modified_after={bad}"))
            .fetch()
            .await;
        assert_eq!(
            error_code(r).await,
            (400, "invalid_query_params".into()),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn validation_errors() {
    let ctx = Ctx::default_with_connection().await;
    let cases = [
        ("model=Ticket&unknown=1", 400, "invalid_query_params"),
        ("limit=5", 400, "invalid_query_params"),
        ("model=ticket", 400, "invalid_query_params"),
        ("model=Ticket&limit=0", 400, "invalid_query_params"),
        ("model=Ticket&limit=10001", 400, "invalid_query_params"),
        ("model=Ticket&filter=removed", 400, "invalid_query_params"),
        ("model=Ticket&cursor=not-base64!", 500, "server_error"),
        ("model=Ticket&cursor=bm9wZQ%3D%3D", 500, "server_error"),
    ];
    for (q, status, code) in cases {
        let r = ctx.records("conn-1", q).fetch().await;
        assert_eq!(error_code(r).await, (status, code.to_owned()), "{q}");
    }
    let too_many: String = (0..101).map(|i| format!("&ids={i}")).collect();
    let r = ctx
        .records("conn-1", &format!("model=Ticket{too_many}"))
        .fetch()
        .await;
    assert_eq!(error_code(r).await, (400, "invalid_query_params".into()));
    let r = ctx.records("nope", "model=Ticket").fetch().await;
    assert_eq!(error_code(r).await, (400, "unknown_connection".into()));
    let r = ctx.get("/records?model=Ticket").fetch().await;
    assert_eq!(error_code(r).await, (400, "invalid_headers".into()));
    // A model without data is simply empty.
    let v = page(&ctx, "model=Other").await;
    assert_eq!(v, json!({"next_cursor": null, "records": []}));
}

#[tokio::test]
async fn prune_until_cursor() {
    let ctx = Ctx::start(tickets(10, 200)).await;
    let v = page(&ctx, "model=Ticket&limit=4").await;
    let until = v["next_cursor"].as_str().unwrap().to_owned();
    let prune = |body: Value| {
        ctx.http
            .patch(ctx.url("/records/prune"))
            .header("Authorization", ctx.bearer())
            .header("Connection-Id", "conn-1")
            .header("Provider-Config-Key", "zendesk")
            .json(&body)
            .send()
    };
    let r = prune(json!({"model": "Ticket", "until_cursor": until, "limit": 3}))
        .await
        .unwrap();
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"count": 3, "has_more": true})
    );
    let r = prune(json!({"model": "Ticket", "until_cursor": until}))
        .await
        .unwrap();
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"count": 1, "has_more": false})
    );
    let v = page(&ctx, "model=Ticket").await;
    let recs = v["records"].as_array().unwrap();
    for (i, r) in recs.iter().enumerate() {
        let pruned = r["_nango_metadata"]["pruned_at"].is_string();
        assert_eq!(pruned, i < 4);
        assert_eq!(r.get("title").is_some(), i >= 4);
        assert!(r["id"].is_string());
    }
    let r = prune(json!({"model": "Ticket", "until_cursor": until, "extra": 1}))
        .await
        .unwrap();
    assert_eq!(error_code(r).await, (400, "invalid_body".into()));
}

#[tokio::test]
async fn variants_have_their_own_records() {
    let ctx = Ctx::start(tickets(7, 100)).await;
    let r = ctx
        .post(
            "/sync/tickets/variant/eu",
            &json!({"provider_config_key": "zendesk", "connection_id": "conn-1"}),
        )
        .fetch()
        .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["variant"], "eu");
    let v = page(&ctx, "model=Ticket&variant=eu").await;
    assert_eq!(v["records"].as_array().unwrap().len(), 7);
    let r = ctx
        .http
        .delete(ctx.url("/sync/tickets/variant/eu"))
        .header("Authorization", ctx.bearer())
        .json(&json!({"provider_config_key": "zendesk", "connection_id": "conn-1"}))
        .fetch()
        .await;
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"success": true}));
    let v = page(&ctx, "model=Ticket&variant=eu").await;
    assert_eq!(v["records"].as_array().unwrap().len(), 0);
}

/// A client that decodes gzip, br and zstd bodies.
fn decoding_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn counters(ctx: &Ctx) -> Value {
    ctx.get("/_emulator/counters").fetch_json().await
}

#[tokio::test]
async fn pages_are_compressed_when_asked_and_decode_to_the_same_json() {
    let ctx = Ctx::start(tickets(300, 512)).await;
    let query = "model=Ticket&limit=300";
    // No Accept-Encoding: the page as is.
    let plain = ctx.records("conn-1", query).fetch().await;
    assert!(plain.headers().get("content-encoding").is_none());
    let plain: Value = plain.json().await.unwrap();
    assert_eq!(plain["records"].as_array().unwrap().len(), 300);
    let plain_bytes = counters(&ctx).await["response_bytes"].as_u64().unwrap();
    assert_eq!(plain_bytes as usize, plain.to_string().len());

    let decoding = decoding_client();
    for encoding in ["gzip", "br", "zstd"] {
        ctx.http
            .delete(ctx.url("/_emulator/counters"))
            .header("Authorization", ctx.bearer())
            .fetch()
            .await;
        // What goes on the wire carries the encoding asked for ...
        let raw = ctx
            .records("conn-1", query)
            .header("Accept-Encoding", encoding)
            .fetch()
            .await;
        assert_eq!(raw.headers()["content-encoding"], encoding);
        let wire = raw.bytes().await.unwrap();
        assert!(
            wire.len() * 3 < plain_bytes as usize,
            "{encoding}: {} of {plain_bytes} bytes",
            wire.len()
        );
        // ... and decodes to the same page.
        let decoded: Value = decoding
            .get(ctx.url(&format!("/records/?{query}")))
            .header("Authorization", ctx.bearer())
            .header("Connection-Id", "conn-1")
            .header("Provider-Config-Key", "zendesk")
            .header("Accept-Encoding", encoding)
            .fetch_json()
            .await;
        assert_eq!(decoded, plain, "{encoding}");
        let seen = counters(&ctx).await;
        assert_eq!(
            seen["response_encodings"],
            json!({encoding: 2}),
            "{encoding}"
        );
        assert!(seen["response_bytes"].as_u64().unwrap() < plain_bytes);
    }
    // The preferred of several: zstd.
    let r = ctx
        .records("conn-1", query)
        .header("Accept-Encoding", "gzip, br, zstd")
        .fetch()
        .await;
    assert_eq!(r.headers()["content-encoding"], "zstd");
}

#[tokio::test]
async fn compression_can_be_turned_off() {
    let ctx = Ctx::start(tickets(100, 512).compression(false)).await;
    let r = ctx
        .records("conn-1", "model=Ticket")
        .header("Accept-Encoding", "gzip, br, zstd")
        .fetch()
        .await;
    assert!(r.headers().get("content-encoding").is_none());
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["records"].as_array().unwrap().len(), 100);
    assert_eq!(
        counters(&ctx).await["response_encodings"],
        json!({"identity": 1})
    );
}

#[tokio::test]
async fn a_byte_budget_gives_short_pages_that_still_walk_every_record() {
    const BUDGET: usize = 4_000;
    let ctx = Ctx::start(tickets(200, 600).records_max_response_bytes(BUDGET)).await;
    let (recs, pages) = all_pages(&ctx, "model=Ticket", 100).await;
    let ids: HashSet<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!((recs.len(), ids.len()), (200, 200));
    // ~700 bytes a record: 5 fit in 4,000, so 40 pages rather than the 2 of the limit.
    let first = page(&ctx, "model=Ticket&limit=100").await;
    let first_len = first["records"].as_array().unwrap().len();
    assert!((2..100).contains(&first_len), "{first_len} records");
    let first_bytes: usize = first["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.to_string().len() + 1)
        .sum();
    assert!(first_bytes <= BUDGET + 1, "{first_bytes}");
    assert!(first["next_cursor"].is_string());
    assert_eq!(pages, 200_usize.div_ceil(first_len));
    // A budget smaller than one record: one record a page, never an empty page.
    let tiny = Ctx::start(tickets(5, 600).records_max_response_bytes(10)).await;
    let (recs, pages) = all_pages(&tiny, "model=Ticket", 100).await;
    assert_eq!((recs.len(), pages), (5, 5));
}
