//! `load`: through ONE client, 200 concurrent record walks and 2,000 concurrent actions, three
//! rounds. No call may fail, every walk must deliver every record once, the emulator must count
//! exactly 2,000 executions per round, and across rounds neither the descriptors, nor our
//! connections to the emulator, nor the resident memory may keep growing (the first round
//! warms pools and allocators; later rounds are compared with it).

use std::collections::HashSet;

use futures_util::StreamExt;
use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::params::{connection, float, integration, num, text};
use crate::probe::{fd_count, rss_kib, sockets_to};
use crate::{Check, Emulator, Tally, ensure};

async fn one_walk(nango: nango::Nango, params: nango::ListRecordsParams) -> Result<usize, String> {
    let mut stream = nango.records::<Value>(params);
    let mut ids = HashSet::new();
    let mut n = 0;
    while let Some(r) = stream.next().await {
        let r = r.map_err(|e| format!("walk: {e}"))?;
        ids.insert(r["id"].as_str().unwrap_or_default().to_owned());
        n += 1;
    }
    if ids.len() != n {
        return Err(format!(
            "walk delivered {n} records but {} distinct",
            ids.len()
        ));
    }
    Ok(n)
}

/// Runs the scenario.
pub async fn run(emu: &Emulator, tally: &mut Tally) -> Check {
    let p = |k: &str| num(&["load", k]);
    let records = p("records") as usize;
    let nango = emu.client().build().map_err(|e| e.to_string())?;
    let params =
        nango::ListRecordsParams::new(integration(), connection(), text(&["load", "model"]))
            .limit(p("page_size") as u32);
    let mut samples = Vec::new();
    for round in 0..p("rounds") {
        emu.admin("DELETE", "/counters", None).await?;
        let walks = join_all((0..p("walks")).map(|_| {
            let nango = nango.clone();
            let params = params.clone();
            tokio::spawn(one_walk(nango, params))
        }));
        let actions = join_all((0..p("actions")).map(|i| {
            let nango = nango.clone();
            tokio::spawn(async move {
                let params = nango::TriggerActionParams::new(integration(), connection(), "echo")
                    .input(json!({"round": round, "i": i}));
                let out: Value = nango
                    .trigger_action(&params)
                    .await
                    .map_err(|e| format!("action: {e}"))?;
                if out != json!({"round": round, "i": i}) {
                    return Err(format!("action {i} echoed {out}"));
                }
                Ok::<(), String>(())
            })
        }));
        let (walks, actions) = tokio::join!(walks, actions);
        let mut failures = Vec::new();
        for w in walks {
            match w {
                Ok(Ok(n)) if n == records => {}
                Ok(Ok(n)) => failures.push(format!("a walk delivered {n} of {records}")),
                Ok(Err(e)) => failures.push(e),
                Err(e) => failures.push(format!("walk task: {e}")),
            }
        }
        for a in actions {
            match a {
                Ok(Ok(())) => {}
                Ok(Err(e)) => failures.push(e),
                Err(e) => failures.push(format!("action task: {e}")),
            }
        }
        ensure!(
            failures.is_empty(),
            "round {round}: {} failures, e.g. {:?}",
            failures.len(),
            &failures[..failures.len().min(3)]
        );
        let ran = emu.action_count("echo").await?;
        ensure!(
            ran == p("actions"),
            "round {round}: the emulator ran {ran} actions, expected {}",
            p("actions")
        );
        tally.records += (records as u64) * p("walks");
        tally.inputs += p("actions");
        samples.push((fd_count(), sockets_to(emu.port), rss_kib()));
    }
    let first = samples.first().copied().unwrap_or_default();
    let last = samples.last().copied().unwrap_or_default();
    tally.note(format!(
        "per round (fds, sockets to emulator, RSS KiB): {samples:?}"
    ));
    let fd_slack = p("fd_slack") as usize;
    ensure!(
        last.0 <= first.0 + fd_slack,
        "descriptors grew from {} to {} across rounds",
        first.0,
        last.0
    );
    ensure!(
        last.1 <= first.1 + fd_slack,
        "connections to the emulator grew from {} to {} across rounds",
        first.1,
        last.1
    );
    let limit =
        (first.2 as f64 * (1.0 + float(&["load", "rss_slack_ratio"]))) as u64 + p("rss_slack_kib");
    ensure!(
        last.2 <= limit,
        "RSS grew from {} KiB to {} KiB (limit {limit})",
        first.2,
        last.2
    );
    Ok(())
}
