//! `action-not-duplicated`: faults around `POST /action/trigger` (5xx, 429, dropped connection,
//! truncated answer, a server slower than the client's timeout), each case alone and then a
//! seeded random sequence, sync and async triggers. The emulator counts executions: after every
//! call the count may rise by at most one, and by exactly one when the call succeeded.

use std::time::Duration;

use serde_json::{Value, json};

use crate::params::{connection, integration, num, seed};
use crate::rng::Mulberry32;
use crate::{Check, Emulator, Tally, ensure};

const ACTION: &str = "echo";

fn rule(kind: &str, ms: u64) -> Option<Value> {
    let base = json!({"method": "POST", "path": "/action/trigger", "count": 1});
    let extra = match kind {
        "none" => return None,
        "429" => json!({"kind": "status", "status": 429, "retry_after": 1}),
        "500" | "502" | "503" | "504" => {
            json!({"kind": "status", "status": kind.parse::<u16>().unwrap_or(500)})
        }
        "drop" => json!({"kind": "drop"}),
        "truncate" => json!({"kind": "truncate"}),
        "slow" => json!({"kind": "delay", "ms": ms}),
        _ => return None,
    };
    let mut v = base;
    if let (Some(m), Value::Object(e)) = (v.as_object_mut(), extra) {
        m.extend(e);
    }
    Some(v)
}

/// One call under one fault; returns (succeeded, executions counted).
async fn one(
    emu: &Emulator,
    nango: &nango::Nango,
    kind: &str,
    asynchronous: bool,
    hang_ms: u64,
    n: usize,
) -> Result<(bool, u64, String), String> {
    emu.admin("DELETE", "/counters", None).await?;
    if let Some(r) = rule(kind, hang_ms) {
        emu.add_faults(&[r]).await?;
    }
    let params =
        nango::TriggerActionParams::new(integration(), connection(), ACTION).input(json!({"n": n}));
    let outcome = if asynchronous {
        nango.trigger_action_async(&params).await.map(|_| ())
    } else {
        nango.trigger_action::<Value>(&params).await.map(|_| ())
    };
    // Let a delayed or queued execution finish before counting (the emulator may still run it).
    emu.wait_faults_consumed(Duration::from_secs(10)).await?;
    if kind == "slow" {
        tokio::time::sleep(Duration::from_millis(hang_ms + 200)).await;
    }
    if asynchronous {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let count = emu.action_count(ACTION).await?;
    let label = match &outcome {
        Ok(()) => "ok".to_owned(),
        Err(e) => e.code().to_owned(),
    };
    Ok((outcome.is_ok(), count, label))
}

/// Runs the scenario.
pub async fn run(emu: &Emulator, tally: &mut Tally) -> Check {
    // A short per-attempt timeout so the `slow` case times out on the client.
    let timeout_ms = num(&["timeouts", "timeout_ms"]);
    let hang_ms = timeout_ms * 4;
    let nango = emu
        .client()
        .timeout(Duration::from_millis(timeout_ms))
        .build()
        .map_err(|e| e.to_string())?;
    let table = [
        "none", "429", "500", "502", "503", "504", "drop", "truncate", "slow",
    ];
    let mut cases: Vec<(&str, bool)> = Vec::new();
    for asynchronous in [false, true] {
        for kind in table {
            cases.push((kind, asynchronous));
        }
    }
    let mut rng = Mulberry32::new(seed().wrapping_add(2));
    let random_kinds = ["none", "429", "503", "drop", "truncate", "slow"];
    for _ in 0..num(&["actions", "random_calls"]) {
        let kind = random_kinds[rng.below(random_kinds.len() as u32) as usize];
        cases.push((kind, rng.below(2) == 1));
    }
    let mut seen = Vec::new();
    for (n, (kind, asynchronous)) in cases.iter().enumerate() {
        let (ok, count, label) = one(emu, &nango, kind, *asynchronous, hang_ms, n).await?;
        tally.inputs += 1;
        if *kind != "none" {
            tally.faults += 1;
        }
        seen.push(format!(
            "{}{kind}->{label}/{count}",
            if *asynchronous { "async:" } else { "" }
        ));
        ensure!(
            count <= 1,
            "{kind} (async={asynchronous}): the action ran {count} times"
        );
        ensure!(
            !ok || count == 1,
            "{kind} (async={asynchronous}): succeeded but ran {count} times"
        );
        // The truncated answer is sent after the action ran: it must not be retried.
        if *kind == "truncate" && !*asynchronous {
            ensure!(
                !ok && count == 1,
                "truncate: expected one execution and an error, got ok={ok} count={count}"
            );
        }
        if *kind == "none" || *kind == "429" {
            ensure!(
                ok,
                "{kind} (async={asynchronous}) should succeed, got {label}"
            );
        }
    }
    tally.note(seen.join(" "));
    Ok(())
}
