//! The quickstart binary runs in CI: it must finish, succeed, and print its four steps.

#![allow(clippy::unwrap_used)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn quickstart_runs_against_the_embedded_emulator() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_quickstart"))
        // Never a real Nango from the environment in CI.
        .env_remove("NANGO_HOST")
        .env_remove("NANGO_PUBLIC_WEBHOOK_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("the quickstart did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(status.success(), "stdout:\n{stdout}\nstderr:\n{stderr}");
    for step in [
        "1. connected: ",
        "2. sync webhook: Ticket",
        "3. pulled 50 tickets",
        "4. created #51; changed since the checkpoint: [\"51\"]",
    ] {
        assert!(stdout.contains(step), "missing {step:?} in:\n{stdout}");
    }
}
