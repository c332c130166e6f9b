//! `make demo`: the whole seed flow against an in-process emulator, each step printed and
//! checked, then a summary table. Exits 0 only if every step checked out.

use std::process::ExitCode;
use std::time::Duration;

use nango_examples::demo::{self, Console, DemoConfig};

/// Far above the few seconds a run takes; only a wedged run gets here.
const OVERALL_LIMIT: Duration = Duration::from_secs(60);

#[tokio::main]
async fn main() -> ExitCode {
    let mut console = Console::new(true);
    let config = DemoConfig::default();
    let Ok(report) = tokio::time::timeout(OVERALL_LIMIT, demo::run(&config, &mut console)).await
    else {
        eprintln!("demo: FAILED: no result within {OVERALL_LIMIT:?}");
        return ExitCode::FAILURE;
    };
    println!();
    println!("Summary");
    println!("{}", report.table());
    if report.passed() {
        ExitCode::SUCCESS
    } else {
        eprintln!("demo: FAILED (see the step marked FAILED above)");
        ExitCode::FAILURE
    }
}
