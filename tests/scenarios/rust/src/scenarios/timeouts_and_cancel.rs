//! `timeouts-and-cancel`: a hung server (an emulator route that stalls for 30 s, and a bare TCP
//! listener that never answers) never holds the caller past its timeout or deadline, and
//! cancelling a walk — while a page is awaited, or while the read-ahead page is in flight —
//! closes the connection it was using.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::params::{connection, integration, num, text};
use crate::probe::{settle_connections, sockets_to};
use crate::{Check, Emulator, Tally, ensure};

fn hang(path: &str, ms: u64, count: u32) -> Value {
    json!({"method": "GET", "path": path, "count": count, "kind": "delay", "ms": ms})
}

/// Runs the scenario.
pub async fn run(emu: &Emulator, tally: &mut Tally) -> Check {
    let timeout = Duration::from_millis(num(&["timeouts", "timeout_ms"]));
    let hang_ms = num(&["timeouts", "hang_ms"]);
    let hang_for = Duration::from_millis(hang_ms);
    let params =
        nango::ListRecordsParams::new(integration(), connection(), text(&["timeouts", "model"]))
            .limit(1000);

    // 1. Per-attempt timeout with retries: every attempt hangs; the call must end with `timeout`
    // long before the server would answer.
    let nango = emu
        .client()
        .timeout(timeout)
        .max_retries(2)
        .build()
        .map_err(|e| e.to_string())?;
    emu.add_faults(&[hang("/records", hang_ms, 3)]).await?;
    let started = Instant::now();
    let err = nango
        .list_records::<Value>(&params)
        .await
        .err()
        .ok_or("a hung call succeeded")?;
    let took = started.elapsed();
    tally.inputs += 1;
    tally.faults += 3;
    ensure!(
        err.code() == "timeout",
        "hung call ended with {} ({err})",
        err.code()
    );
    ensure!(
        took < hang_for,
        "the call waited for the hung server ({took:?})"
    );
    tally.note(format!(
        "timeout+retries: {} in {:.1}s",
        err.code(),
        took.as_secs_f64()
    ));
    emu.admin("DELETE", "/faults", None).await?;

    // 2. Overall deadline without a per-attempt timeout.
    let nango = emu
        .client()
        .deadline(Duration::from_millis(num(&["timeouts", "timeout_ms"]) * 3))
        .build()
        .map_err(|e| e.to_string())?;
    emu.add_faults(&[hang("/records", hang_ms, 1)]).await?;
    let started = Instant::now();
    let err = nango
        .list_records::<Value>(&params)
        .await
        .err()
        .ok_or("a hung call succeeded")?;
    let took = started.elapsed();
    tally.inputs += 1;
    tally.faults += 1;
    ensure!(
        err.code() == "timeout",
        "deadline call ended with {} ({err})",
        err.code()
    );
    ensure!(
        took < hang_for,
        "the call waited for the hung server ({took:?})"
    );
    emu.admin("DELETE", "/faults", None).await?;

    // 3. A listener that accepts and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let acceptor = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let mute = nango::Nango::builder(emu.secret_key.clone())
        .host(format!("http://{addr}"))
        .timeout(timeout)
        .max_retries(1)
        .build()
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let err = mute
        .list_records::<Value>(&params)
        .await
        .err()
        .ok_or("a mute server answered")?;
    acceptor.abort();
    tally.inputs += 1;
    ensure!(
        err.code() == "timeout",
        "mute server: {} ({err})",
        err.code()
    );
    ensure!(
        started.elapsed() < hang_for,
        "the call hung on a mute server"
    );

    // 4. Cancel while a page is awaited: the task is aborted, its connection must close.
    let port = emu.port;
    let baseline = sockets_to(port);
    let nango = emu.client().build().map_err(|e| e.to_string())?;
    emu.add_faults(&[hang("/records", hang_ms, 1)]).await?;
    let walker = {
        let nango = nango.clone();
        let params = params.clone();
        tokio::spawn(async move {
            let mut stream = nango.records::<Value>(params);
            stream.next().await.map(|r| r.is_ok())
        })
    };
    emu.wait_faults_consumed(Duration::from_secs(10)).await?;
    let during = sockets_to(port);
    walker.abort();
    let _ = walker.await;
    let after = settle_connections(port, baseline, 100).await;
    tally.inputs += 1;
    tally.faults += 1;
    tally.note(format!(
        "cancel while awaiting: sockets {baseline}->{during}->{after}"
    ));
    ensure!(
        during > baseline,
        "no connection was open during the hung page ({during})"
    );
    ensure!(
        after <= baseline,
        "the cancelled walk still holds {after} connections (baseline {baseline})"
    );

    // 5. Stop early while the read-ahead page hangs: dropping the stream must close it too.
    // The client goes too (its idle pool would blur the count); an in-flight request that
    // outlived the stream would keep its socket open regardless.
    drop(nango);
    let baseline = settle_connections(port, 0, 40).await;
    emu.add_faults(&[
        json!({"method": "GET", "path": "/records", "count": 1, "kind": "delay", "ms": 0}),
        hang("/records", hang_ms, 1),
    ])
    .await?;
    {
        let nango = emu.client().build().map_err(|e| e.to_string())?;
        let mut stream = nango.records::<Value>(params.clone());
        let first = stream.next().await;
        ensure!(
            matches!(first, Some(Ok(_))),
            "first record failed: {first:?}"
        );
        // Keep consuming buffered records of page one so the read-ahead request is sent.
        for _ in 0..10 {
            let _ = stream.next().await;
        }
        emu.wait_faults_consumed(Duration::from_secs(10)).await?;
    }
    let after = settle_connections(port, baseline, 100).await;
    tally.inputs += 1;
    tally.faults += 1;
    tally.note(format!(
        "drop during read-ahead: sockets {baseline}->{after}"
    ));
    ensure!(
        after <= baseline,
        "the dropped walk still holds {after} connections (baseline {baseline})"
    );
    Ok(())
}
