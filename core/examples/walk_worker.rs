//! One record walk for `make bench-wan` (bindings-node/bench/wan.mjs), in its own process:
//! the crate's `records()` stream, or the loop a user writes by hand with reqwest + serde_json.
//! Both offer the same compression (reqwest's features are shared by the build).
//!
//! Usage: `walk_worker <crate|reqwest> <url> <secret key> <limit|default>`; prints one JSON line
//! `{"count":…, "seconds":…, "recordsPerSecond":…}` for the second of two walks (the first warms
//! connections and the server's caches).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Instant;

use futures_util::StreamExt;
use serde_json::Value;

const PCK: &str = "zendesk";
const CONN: &str = "conn-1";
const MODEL: &str = "Ticket";

async fn walk_crate(nango: &nango::Nango, limit: Option<u32>) -> usize {
    let mut params = nango::ListRecordsParams::new(PCK, CONN, MODEL);
    params.limit = limit;
    let mut stream = nango.records::<Value>(params);
    let mut count = 0;
    while let Some(record) = stream.next().await {
        count += usize::from(record.expect("record")["id"].is_string());
    }
    count
}

async fn walk_reqwest(http: &reqwest::Client, url: &str, key: &str, limit: Option<u32>) -> usize {
    let mut cursor: Option<String> = None;
    let mut count = 0;
    loop {
        let mut query = vec![("model", MODEL.to_owned())];
        if let Some(limit) = limit {
            query.push(("limit", limit.to_string()));
        }
        if let Some(cursor) = &cursor {
            query.push(("cursor", cursor.clone()));
        }
        let address = url::Url::parse_with_params(&format!("{url}/records/"), &query).expect("url");
        let body = http
            .get(address)
            .bearer_auth(key)
            .header("Connection-Id", CONN)
            .header("Provider-Config-Key", PCK)
            .send()
            .await
            .expect("send")
            .error_for_status()
            .expect("status")
            .bytes()
            .await
            .expect("body");
        let page: Value = serde_json::from_slice(&body).expect("json");
        for record in page["records"].as_array().expect("records") {
            count += usize::from(record["id"].is_string());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return count,
        }
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, variant, url, key, limit] = args.as_slice() else {
        panic!("usage: walk_worker <crate|reqwest> <url> <secret key> <limit|default>");
    };
    let limit = (limit != "default").then(|| limit.parse::<u32>().expect("limit"));
    let nango = nango::Nango::builder(key.as_str())
        .host(url.as_str())
        .build()
        .expect("client");
    let http = reqwest::Client::new();
    let mut last = (0, 0.0);
    for _ in 0..2 {
        let started = Instant::now();
        let count = match variant.as_str() {
            "crate" => walk_crate(&nango, limit).await,
            "reqwest" => walk_reqwest(&http, url, key, limit).await,
            other => panic!("unknown variant {other}"),
        };
        last = (count, started.elapsed().as_secs_f64());
    }
    let (count, seconds) = last;
    println!(
        "{{\"count\":{count},\"seconds\":{seconds},\"recordsPerSecond\":{}}}",
        count as f64 / seconds
    );
}
