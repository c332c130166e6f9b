//! tests/vectors/checkpoints.json: the checkpoint of `Nango::records` after each number of
//! records handed out, against the vector's pages on a loopback server.
#![cfg(feature = "client")]
#![allow(missing_docs, clippy::unwrap_used)]

mod client_support;

use client_support::{json, start};
use futures_util::StreamExt;
use nango::{ListRecordsParams, Nango};
use serde_json::{Value, json};

/// The vector's page for a request: no cursor is page 0, `page-N` is page N.
fn page(pages: &[Vec<String>], query: &str) -> Value {
    let index = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("cursor=page-"))
        .map_or(0, |n| n.parse::<usize>().unwrap());
    let records: Vec<Value> = pages[index]
        .iter()
        .map(|id| json!({"id": id, "_nango_metadata": {"cursor": format!("cur-{id}")}}))
        .collect();
    let next = (index + 1 < pages.len()).then(|| format!("page-{}", index + 1));
    json!({"records": records, "next_cursor": next})
}

#[tokio::test]
async fn checkpoint_vectors() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/checkpoints.json"
    ))
    .unwrap();
    let vectors: Value = serde_json::from_str(&text).unwrap();
    for case in vectors["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let pages: Vec<Vec<String>> = serde_json::from_value(case["pages"].clone()).unwrap();
        let server = start(move |req| json(200, page(&pages, &req.query))).await;
        let nango = Nango::builder("key").host(&server.url).build().unwrap();
        let mut params = ListRecordsParams::new("p", "c", "Ticket");
        params.cursor = case["start"].as_str().map(str::to_owned);
        let mut stream = nango.records::<Value>(params);
        for _ in 0..case["take"].as_u64().unwrap() {
            stream.next().await.unwrap().unwrap();
        }
        assert_eq!(
            stream.checkpoint(),
            case["checkpoint"].as_str(),
            "case {name:?}"
        );
    }
}
