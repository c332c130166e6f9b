//! `rate-limit-respected`: with the emulator's fixed-window limiter on (25 requests per second),
//! a 10,000-record walk finishes without surfacing an error, delivers every record once, and
//! is refused at most once per window: after a 429 the client waits out `Retry-After` instead
//! of hammering.

use std::collections::BTreeSet;
use std::time::Instant;

use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::params::{connection, integration, num, text};
use crate::{Check, Emulator, Tally, ensure};

/// Runs the scenario.
pub async fn run(emu: &Emulator, tally: &mut Tally) -> Check {
    let total = num(&["rate_limit", "records"]) as usize;
    let limit = num(&["rate_limit", "limit"]);
    let window = num(&["rate_limit", "window_secs"]);
    let nango = emu.client().build().map_err(|e| e.to_string())?;
    let params =
        nango::ListRecordsParams::new(integration(), connection(), text(&["rate_limit", "model"]))
            .limit(num(&["rate_limit", "page_size"]) as u32);

    emu.admin("DELETE", "/counters", None).await?;
    emu.admin(
        "PUT",
        "/rate-limit",
        Some(json!({"limit": limit, "window_secs": window})),
    )
    .await?;
    let started = Instant::now();
    let mut pages = nango.record_pages::<Value>(params);
    let mut ids = BTreeSet::new();
    let mut delivered = 0usize;
    let mut ok_pages = 0u64;
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| format!("the walk surfaced an error: {e} ({})", e.code()))?;
        ok_pages += 1;
        for r in &page.records {
            delivered += 1;
            ids.insert(r["id"].as_str().unwrap_or_default().to_owned());
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    emu.admin("DELETE", "/rate-limit", None).await?;
    let counters = emu.counters().await?;
    let sent = counters["requests"]["GET /records/"].as_u64().unwrap_or(0);
    let refused = sent.saturating_sub(ok_pages);
    // Windows the walk touched (fixed windows aligned to whole seconds).
    let windows = (elapsed / window.max(1) as f64).ceil() as u64 + 1;
    tally.records = delivered as u64;
    tally.faults = refused;
    tally.note(format!(
        "{ok_pages} pages, {refused} refused (429) over {windows} windows of {window}s at {limit}/window"
    ));
    ensure!(
        delivered == total && ids.len() == total,
        "delivered {delivered} ({} distinct) of {total}",
        ids.len()
    );
    ensure!(
        refused > 0,
        "the limiter never refused a request: the scenario proved nothing"
    );
    ensure!(
        refused <= windows,
        "{refused} refused requests in {windows} windows: the client retried before Retry-After"
    );
    Ok(())
}
