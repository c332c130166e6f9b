//! `make demo` as a test: the same four steps, the same checks, plus a look at what they
//! produced.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use nango_examples::demo::{self, Console, DemoConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_flow_runs_end_to_end() {
    let mut console = Console::new(false);
    let report = tokio::time::timeout(
        Duration::from_secs(60),
        demo::run(&DemoConfig::default(), &mut console),
    )
    .await
    .unwrap();
    let transcript = console.lines().join("\n");
    assert!(report.passed(), "{transcript}\n{}", report.table());

    let facts = &report.facts;
    assert!(facts.connection_id.is_some());
    // The emulator seeds 50 tickets; pages of 20 make 3 pages.
    assert_eq!(facts.initial_added, 50);
    assert_eq!(facts.initial_records, 50);
    assert_eq!(facts.initial_pages, 3);
    let created = facts.created_ticket.as_ref().unwrap();
    assert_eq!(created.title, "Printer on fire");
    assert_eq!(facts.new_records.len(), 1);
    assert_eq!(facts.new_records[0].id, created.id);
    assert_eq!(facts.new_records[0].priority.as_deref(), Some("high"));
    // auth + two syncs, all verified, none refused.
    assert!(facts.webhooks_verified >= 3, "{}", facts.webhooks_verified);
    assert_eq!(facts.webhooks_rejected, 0);

    // What `make demo` prints: every step and the table.
    for n in 1..=4 {
        assert!(transcript.contains(&format!("[{n}/4]")), "{transcript}");
    }
    let table = report.table();
    assert!(table.contains("all 4 steps passed"), "{table}");
    assert_eq!(table.matches(" ok ").count(), 4, "{table}");
}

#[tokio::test]
async fn a_step_that_cannot_check_out_fails_the_run() {
    // An environment that does not send auth webhooks: step 2 must fail (after its wait, not
    // hang) and stop the run.
    let mut emulator = nango_emulator::Config::default();
    emulator.webhooks.send_auth_creation = false;
    let config = DemoConfig {
        webhook_wait: Duration::from_millis(300),
        emulator: nango_emulator::Emulator::builder().config(emulator),
        ..DemoConfig::default()
    };
    let mut console = Console::new(false);
    let report = demo::run(&config, &mut console).await;
    assert!(!report.passed());
    assert_eq!(report.steps.len(), 2, "the run stops at the failed step");
    assert!(report.steps[0].outcome.is_ok());
    let error = report.steps[1].outcome.as_ref().unwrap_err();
    assert!(error.contains("no auth webhook within 300ms"), "{error}");
    let table = report.table();
    assert!(
        table.contains("FAILED") && table.contains("skipped"),
        "{table}"
    );
}
