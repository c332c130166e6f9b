//! `resume-from-checkpoint`: stop a walk mid-page, take the checkpoint, change the data (adds,
//! updates and deletes on both sides of the checkpoint), run the sync, resume from the
//! checkpoint. The resumed walk must deliver exactly: every record never delivered before the
//! checkpoint, plus every changed record — each once, with the right `last_action` — and none of
//! the unchanged records at or before the checkpoint.

use std::collections::{BTreeSet, HashMap};

use serde_json::json;

use crate::params::{connection, integration, num, seed, text};
use crate::rng::Mulberry32;
use crate::scenarios::walk::{cursor_key, walk};
use crate::{Check, Emulator, Tally, ensure};

/// Picks `n` distinct items from `pool` with the seeded generator.
pub fn pick(rng: &mut Mulberry32, pool: &[String], n: usize) -> Vec<String> {
    let mut pool = pool.to_vec();
    let mut out = Vec::new();
    while out.len() < n && !pool.is_empty() {
        let i = rng.below(pool.len() as u32) as usize;
        out.push(pool.swap_remove(i));
    }
    out
}

/// Runs the scenario.
pub async fn run(emu: &Emulator, tally: &mut Tally) -> Check {
    let p = |k: &str| num(&["resume", k]) as usize;
    let model = text(&["resume", "model"]);
    let nango = emu.client().build().map_err(|e| e.to_string())?;
    let params = nango::ListRecordsParams::new(integration(), connection(), model.clone())
        .limit(p("page_size") as u32);

    let first = walk(&nango, params.clone(), Some(p("stop_after"))).await?;
    ensure!(
        first.errors.is_empty(),
        "errors before the stop: {:?}",
        first.errors
    );
    let checkpoint = first
        .checkpoint
        .clone()
        .ok_or("no checkpoint after the first walk")?;
    let cp_key = cursor_key(&checkpoint)?;
    // Everything delivered at or before the checkpoint must not come again unless it changed.
    let mut covered = BTreeSet::new();
    for r in &first.records {
        if cursor_key(&r.cursor)? <= cp_key {
            covered.insert(r.id.clone());
        }
    }
    ensure!(
        !covered.is_empty(),
        "the checkpoint covers no delivered record"
    );
    tally.note(format!(
        "stopped after {} records, checkpoint covers {}",
        first.records.len(),
        covered.len()
    ));

    let all: BTreeSet<String> = (1..=p("records")).map(|n| n.to_string()).collect();
    let before: Vec<String> = covered.iter().cloned().collect();
    let after: Vec<String> = all.difference(&covered).cloned().collect();
    let mut rng = Mulberry32::new(seed().wrapping_add(1));
    let mut update_ids = pick(&mut rng, &before, p("update_before"));
    update_ids.extend(pick(&mut rng, &after, p("update_after")));
    let remaining_before: Vec<String> = before
        .iter()
        .filter(|i| !update_ids.contains(i))
        .cloned()
        .collect();
    let remaining_after: Vec<String> = after
        .iter()
        .filter(|i| !update_ids.contains(i))
        .cloned()
        .collect();
    let mut delete_ids = pick(&mut rng, &remaining_before, p("delete_before"));
    delete_ids.extend(pick(&mut rng, &remaining_after, p("delete_after")));

    let mutation = emu
        .admin(
            "POST",
            "/provider/mutate",
            Some(
                json!({"integration": integration(), "model": model, "add": p("add"),
                        "update_ids": update_ids, "delete_ids": delete_ids}),
            ),
        )
        .await?;
    let ids = |k: &str| -> BTreeSet<String> {
        mutation[k]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (added, updated, deleted) = (ids("added"), ids("updated"), ids("deleted"));
    ensure!(
        added.len() == p("add")
            && updated.len() == update_ids.len()
            && deleted.len() == delete_ids.len(),
        "the emulator applied a different mutation: {mutation}"
    );
    emu.admin(
        "POST",
        "/sync/run",
        Some(
            json!({"provider_config_key": integration(), "connection_id": connection(),
                    "sync": text(&["resume", "sync"])}),
        ),
    )
    .await?;

    let resumed = walk(&nango, params.cursor(checkpoint), None).await?;
    ensure!(
        resumed.errors.is_empty(),
        "errors while resuming: {:?}",
        resumed.errors
    );
    let mut got: HashMap<String, (u32, String)> = HashMap::new();
    for r in &resumed.records {
        let entry = got.entry(r.id.clone()).or_insert((0, String::new()));
        entry.0 += 1;
        entry.1 = r.action.clone();
    }
    tally.records = (first.records.len() + resumed.records.len()) as u64;
    tally.inputs = (added.len() + updated.len() + deleted.len()) as u64;

    let twice: Vec<&String> = got
        .iter()
        .filter(|(_, (n, _))| *n > 1)
        .map(|(k, _)| k)
        .collect();
    ensure!(
        twice.is_empty(),
        "delivered twice after resuming: {twice:?}"
    );
    let redelivered: Vec<&String> = covered
        .iter()
        .filter(|id| got.contains_key(*id) && !updated.contains(*id) && !deleted.contains(*id))
        .collect();
    ensure!(
        redelivered.is_empty(),
        "unchanged records before the checkpoint came again: {redelivered:?}"
    );
    let mut expected: BTreeSet<String> = all.difference(&covered).cloned().collect();
    expected.extend(added.iter().cloned());
    expected.extend(updated.iter().cloned());
    expected.extend(deleted.iter().cloned());
    let missing: Vec<&String> = expected
        .iter()
        .filter(|id| !got.contains_key(*id))
        .collect();
    ensure!(
        missing.is_empty(),
        "changes or unread records never delivered: {missing:?}"
    );
    let extra: Vec<&String> = got.keys().filter(|id| !expected.contains(*id)).collect();
    ensure!(extra.is_empty(), "unexpected records: {extra:?}");
    for (set, action) in [
        (&added, "ADDED"),
        (&updated, "UPDATED"),
        (&deleted, "DELETED"),
    ] {
        let wrong: Vec<&String> = set
            .iter()
            .filter(|id| got.get(*id).is_none_or(|(_, a)| a != action))
            .collect();
        ensure!(
            wrong.is_empty(),
            "records without last_action {action}: {wrong:?}"
        );
    }
    Ok(())
}
