//! `concurrent-consumers`: several consumers pull from ONE record iterator at the same time,
//! while a seeded plan of faults and slow pages hits `GET /records`. Each consumer takes a ticket
//! when it makes a call; sorted by ticket, the records must be exactly a sequential walk's, in
//! its order (successive records, exactly once, in call order), more than one consumer must have
//! received records, and resuming from the final checkpoint must yield nothing.
//!
//! In Rust the stream needs `&mut` to be polled, so sharing it takes a lock, held across each
//! `next()`: the type system serialises the calls, and this checks that the pattern the crate
//! documents holds under faults. In Node and Python the calls really overlap on one iterator.

use std::sync::atomic::{AtomicU64, Ordering};

use futures_util::StreamExt;
use serde_json::Value;
use tokio::sync::Mutex;

use crate::params::{connection, integration, num, seed, text};
use crate::rng::fault_plan;
use crate::scenarios::walk::{error_summary, walk};
use crate::{Check, Emulator, Tally, ensure};

/// What the consumers saw: `(ticket, id)` per record, records per consumer, error codes.
#[derive(Default)]
struct Seen {
    got: Vec<(u64, String)>,
    per_consumer: Vec<usize>,
    errors: Vec<String>,
}

/// Runs the scenario.
pub async fn run(emu: &Emulator, tally: &mut Tally) -> Check {
    let p = |k: &str| num(&["concurrent", k]);
    let nango = emu.client().build().map_err(|e| e.to_string())?;
    let params =
        nango::ListRecordsParams::new(integration(), connection(), text(&["concurrent", "model"]))
            .limit(p("page_size") as u32);
    let expected: Vec<String> = walk(&nango, params.clone(), None)
        .await?
        .records
        .into_iter()
        .map(|r| r.id)
        .collect();
    ensure!(
        expected.len() == p("records") as usize,
        "reference walk gave {} records",
        expected.len()
    );

    let slots = p("fault_slots") as usize;
    let plan = fault_plan(
        seed().wrapping_add(3),
        slots,
        "GET",
        "/records",
        p("slow_ms"),
        p("retry_after_secs"),
    );
    let rules: Vec<Value> = plan.iter().map(|s| s.rule.clone()).collect();
    emu.add_faults(&rules).await?;

    let stream = Mutex::new(nango.records::<Value>(params.clone()));
    let tickets = AtomicU64::new(0);
    let seen = std::sync::Mutex::new(Seen::default());
    let consume = || {
        let (stream, tickets, seen) = (&stream, &tickets, &seen);
        async move {
            let mut mine = 0;
            loop {
                let mut stream = stream.lock().await;
                let ticket = tickets.fetch_add(1, Ordering::SeqCst);
                let next = stream.next().await;
                drop(stream);
                // A block, so the guard is never held across an await (one thread runs them all).
                let ended = {
                    let mut seen = seen.lock().map_err(|_| "results lock poisoned")?;
                    match next {
                        None => {
                            seen.per_consumer.push(mine);
                            true
                        }
                        Some(Ok(record)) => {
                            let id = record["id"].as_str().ok_or("record without id")?;
                            seen.got.push((ticket, id.to_owned()));
                            mine += 1;
                            false
                        }
                        Some(Err(err)) => {
                            // A fault outlasted the retries; the stream re-requests the cursor.
                            seen.errors.push(err.code().to_owned());
                            let errors = seen.errors.len();
                            ensure!(errors <= 200, "walk stuck: {errors} errors");
                            false
                        }
                    }
                };
                if ended {
                    return Ok::<(), String>(());
                }
                // Let the other consumers take their turns.
                tokio::task::yield_now().await;
            }
        }
    };
    let consumers = p("consumers") as usize;
    for outcome in futures_util::future::join_all((0..consumers).map(|_| consume())).await {
        outcome?;
    }
    let checkpoint = stream.into_inner().checkpoint().map(str::to_owned);
    let left = emu.faults_left().await?;
    emu.admin("DELETE", "/faults", None).await?;
    let mut seen = seen.into_inner().map_err(|_| "results lock poisoned")?;
    tally.records = seen.got.len() as u64;
    tally.faults = plan[..slots.saturating_sub(left)]
        .iter()
        .filter(|s| s.is_fault())
        .count() as u64;
    tally.note(format!(
        "{consumers} consumers, shares {:?}",
        seen.per_consumer
    ));
    tally.note(format!("errors surfaced: {}", error_summary(&seen.errors)));

    seen.got.sort();
    let in_call_order: Vec<String> = seen.got.into_iter().map(|(_, id)| id).collect();
    ensure!(
        in_call_order.len() == expected.len(),
        "delivered {} of {} records",
        in_call_order.len(),
        expected.len()
    );
    let first_diff = in_call_order
        .iter()
        .zip(&expected)
        .position(|(a, b)| a != b);
    ensure!(
        first_diff.is_none(),
        "records in call order differ from a sequential walk's at #{first_diff:?}"
    );
    ensure!(
        seen.per_consumer.iter().filter(|n| **n > 0).count() > 1,
        "one consumer took everything"
    );
    let checkpoint = checkpoint.ok_or("no checkpoint after the walk")?;
    let rest = walk(&nango, params.cursor(checkpoint), None).await?;
    ensure!(
        rest.records.is_empty(),
        "resuming from the final checkpoint gave {} records",
        rest.records.len()
    );
    Ok(())
}
