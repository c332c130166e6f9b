//! Load: 50 concurrent clients page through the same 100,000 records; each sees every record
//! exactly once. Bounded by the record count, not by time (about a minute in a debug build on two
//! cores, most of it the clients parsing 2 GB of JSON). `NANGO_EMULATOR_LOAD_RECORDS`,
//! `NANGO_EMULATOR_LOAD_CLIENTS` and `NANGO_EMULATOR_LOAD_LIMIT` override the defaults for quick runs.
#![allow(clippy::unwrap_used)]

mod common;
use common::Fetch;

use nango_emulator::Emulator;
use serde::Deserialize;
use std::time::Instant;

#[derive(Deserialize)]
struct Page {
    next_cursor: Option<String>,
    records: Vec<Rec>,
}

#[derive(Deserialize)]
struct Rec {
    id: String,
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_clients_each_see_every_record_once() {
    let n = env_usize("NANGO_EMULATOR_LOAD_RECORDS", 100_000);
    let clients = env_usize("NANGO_EMULATOR_LOAD_CLIENTS", 50);
    let limit = env_usize("NANGO_EMULATOR_LOAD_LIMIT", 1_000);
    let t0 = Instant::now();
    let emu = Emulator::builder()
        .seed("zendesk", "Ticket", n, 100)
        .connection("zendesk", "load")
        .start()
        .await
        .unwrap();
    let seeded = t0.elapsed();
    let url = format!("{}/records/", emu.url());
    let auth = format!("Bearer {}", emu.secret_key());
    let t1 = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (url, auth) = (url.clone(), auth.clone());
        tasks.push(tokio::spawn(async move {
            let http = common::client();
            let mut seen = vec![false; n + 1];
            let mut count = 0usize;
            let mut bytes = 0usize;
            let mut cursor: Option<String> = None;
            loop {
                let mut q = format!("{url}?model=Ticket&limit={limit}");
                if let Some(c) = &cursor {
                    q.push_str("&cursor=");
                    q.extend(url::form_urlencoded::byte_serialize(c.as_bytes()));
                }
                let req = http
                    .get(&q)
                    .header("Authorization", &auth)
                    .header("Connection-Id", "load")
                    .header("Provider-Config-Key", "zendesk");
                let body = req.fetch().await.bytes().await.unwrap();
                bytes += body.len();
                let page: Page = serde_json::from_slice(&body).unwrap();
                for r in page.records {
                    let id: usize = r.id.parse().unwrap();
                    assert!(!seen[id], "record {id} seen twice");
                    seen[id] = true;
                    count += 1;
                }
                match page.next_cursor {
                    Some(c) => cursor = Some(c),
                    None => break,
                }
            }
            assert_eq!(count, n);
            assert!(seen[1..].iter().all(|s| *s));
            bytes
        }));
    }
    let mut total_bytes = 0;
    for t in tasks {
        total_bytes += t.await.unwrap();
    }
    let paged = t1.elapsed();
    eprintln!(
        "load: {clients} clients x {n} records (limit {limit}): seed+initial sync {:.2?}, paging {:.2?}, {:.0} records/s, {:.1} MB",
        seeded,
        paged,
        (clients * n) as f64 / paged.as_secs_f64(),
        total_bytes as f64 / 1e6
    );
    emu.shutdown().await;
}
