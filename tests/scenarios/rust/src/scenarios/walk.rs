//! The record walk every paging scenario shares: pull records one by one, keep going after an
//! error (the pager re-requests the same cursor), remember ids, cursors and actions in order.

use futures_util::StreamExt;
use serde_json::Value;

/// One delivered record.
#[derive(Debug, Clone)]
pub struct Seen {
    /// `id`.
    pub id: String,
    /// `_nango_metadata.cursor`.
    pub cursor: String,
    /// `_nango_metadata.last_action`.
    pub action: String,
}

/// What a walk delivered.
#[derive(Debug, Default)]
pub struct Walk {
    /// Records in delivery order.
    pub records: Vec<Seen>,
    /// Codes of the errors the stream yielded (the walk went on after each).
    pub errors: Vec<String>,
    /// The stream's checkpoint when the walk stopped.
    pub checkpoint: Option<String>,
}

/// At most this many errors in one walk: more means the pager is stuck, not the network.
const MAX_ERRORS: usize = 200;

/// Walks from `params.cursor` to the end, or until `stop_after` records were delivered.
pub async fn walk(
    nango: &nango::Nango,
    params: nango::ListRecordsParams,
    stop_after: Option<usize>,
) -> Result<Walk, String> {
    let mut stream = nango.records::<Value>(params);
    let mut out = Walk::default();
    while stop_after.is_none_or(|n| out.records.len() < n) {
        match stream.next().await {
            None => break,
            Some(Ok(record)) => out.records.push(seen(&record)?),
            Some(Err(err)) => {
                out.errors.push(err.code().to_owned());
                if out.errors.len() > MAX_ERRORS {
                    return Err(format!(
                        "walk stuck: {} errors, last {err}",
                        out.errors.len()
                    ));
                }
            }
        }
    }
    out.checkpoint = stream.checkpoint().map(str::to_owned);
    Ok(out)
}

fn seen(record: &Value) -> Result<Seen, String> {
    let text = |pointer: &str| {
        record
            .pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("record lacks {pointer}: {record}"))
    };
    Ok(Seen {
        id: text("/id")?,
        cursor: text("/_nango_metadata/cursor")?,
        action: text("/_nango_metadata/last_action")?,
    })
}

/// Decodes a cursor into a sortable key (time, record uuid).
pub fn cursor_key(cursor: &str) -> Result<(String, String), String> {
    let decoded =
        nango::cursor::decode_cursor(cursor).map_err(|e| format!("bad cursor {cursor:?}: {e}"))?;
    // Sorting by the parsed instant, then the uuid, is the server's `(updated_at, id)` order.
    let nanos = decoded.time.unix_timestamp_nanos();
    Ok((format!("{nanos:040}"), decoded.id))
}

/// Counts positions where a cursor is not strictly greater than the one before.
pub fn order_violations(records: &[Seen]) -> Result<usize, String> {
    let mut bad = 0;
    let mut previous: Option<(String, String)> = None;
    for record in records {
        let key = cursor_key(&record.cursor)?;
        if previous.as_ref().is_some_and(|p| *p >= key) {
            bad += 1;
        }
        previous = Some(key);
    }
    Ok(bad)
}

/// Errors by code, e.g. `transport×3 server_error×1`.
pub fn error_summary(errors: &[String]) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for e in errors {
        *counts.entry(e.as_str()).or_default() += 1;
    }
    counts
        .iter()
        .map(|(k, v)| format!("{k}x{v}"))
        .collect::<Vec<_>>()
        .join(" ")
}
