//! `paging-under-faults`: 50,000 records walked while a seeded plan of 429s (with
//! `Retry-After`), 503 bursts, dropped connections, truncated bodies and slow pages hits
//! `GET /records`. Every id must arrive exactly once, cursors strictly increasing, the final
//! checkpoint must be the last record's cursor, and resuming from it must yield nothing.

use std::collections::HashMap;

use serde_json::Value;

use crate::params::{connection, integration, num, seed, text};
use crate::rng::fault_plan;
use crate::scenarios::walk::{error_summary, order_violations, walk};
use crate::{Check, Emulator, Tally, ensure};

/// Runs the scenario.
pub async fn run(emu: &Emulator, tally: &mut Tally) -> Check {
    let total = num(&["paging", "records"]) as usize;
    let slots = num(&["paging", "fault_slots"]) as usize;
    let plan = fault_plan(
        seed(),
        slots,
        "GET",
        "/records",
        num(&["paging", "slow_ms"]),
        num(&["paging", "retry_after_secs"]),
    );
    let rules: Vec<Value> = plan.iter().map(|s| s.rule.clone()).collect();
    emu.add_faults(&rules).await?;

    let nango = emu.client().build().map_err(|e| e.to_string())?;
    let params =
        nango::ListRecordsParams::new(integration(), connection(), text(&["paging", "model"]))
            .limit(num(&["paging", "page_size"]) as u32);
    let result = walk(&nango, params.clone(), None).await?;

    // Rules are consumed in plan order, so the consumed ones are a prefix of the plan.
    let left = emu.faults_left().await?;
    emu.admin("DELETE", "/faults", None).await?;
    let consumed = &plan[..slots.saturating_sub(left)];
    tally.faults = consumed.iter().filter(|s| s.is_fault()).count() as u64;
    let mut by_kind: std::collections::BTreeMap<&str, usize> = Default::default();
    for slot in consumed.iter().filter(|s| s.is_fault()) {
        *by_kind.entry(slot.label).or_default() += 1;
    }
    tally.note(format!("seed {} faults {:?}", seed(), by_kind));
    tally.note(format!(
        "errors surfaced: {}",
        error_summary(&result.errors)
    ));
    tally.records = result.records.len() as u64;

    let mut counts: HashMap<&str, u32> = HashMap::new();
    for r in &result.records {
        *counts.entry(r.id.as_str()).or_default() += 1;
    }
    let duplicates = counts.values().filter(|c| **c > 1).count();
    ensure!(duplicates == 0, "{duplicates} ids delivered more than once");
    let missing = (1..=total)
        .filter(|n| !counts.contains_key(n.to_string().as_str()))
        .count();
    ensure!(missing == 0, "{missing} of {total} ids never delivered");
    ensure!(
        result.records.len() == total,
        "delivered {} records, expected {total}",
        result.records.len()
    );
    let disorder = order_violations(&result.records)?;
    ensure!(disorder == 0, "{disorder} cursors not strictly increasing");
    let last = result.records.last().map(|r| r.cursor.clone());
    ensure!(
        result.checkpoint == last,
        "checkpoint {:?} is not the last record's cursor {last:?}",
        result.checkpoint
    );
    for kind in ["429", "503", "drop", "truncate", "slow"] {
        ensure!(
            by_kind.contains_key(kind),
            "no {kind} fault was reached: raise fault_slots or change the seed"
        );
    }

    let after = walk(&nango, params.cursor(last.unwrap_or_default()), None).await?;
    ensure!(
        after.records.is_empty() && after.errors.is_empty(),
        "resuming from the final checkpoint gave {} records, {} errors",
        after.records.len(),
        after.errors.len()
    );
    Ok(())
}
