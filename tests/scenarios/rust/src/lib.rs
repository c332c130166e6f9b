//! The named reliability scenarios of `tests/scenarios/README.md`, implemented on the Rust core
//! and run against the `nango-emulator` binary on loopback.
//!
//! Each scenario lives in its own file under `scenarios/`, named like its Node and Python
//! siblings. [`run_suite`] starts one emulator, runs the scenarios in order (they share the
//! emulator, so each one clears the faults and the rate limit it set) and returns one
//! [`Outcome`] per scenario; `main.rs` prints them as JSON lines for `tests/scenarios/run.py`.

pub mod emulator;
pub mod params;
pub mod probe;
pub mod rng;
pub mod scenarios;

use std::time::Instant;

pub use emulator::Emulator;

/// Language tag written into every result line.
pub const LANGUAGE: &str = "rust";

/// Counts a scenario reports next to pass/fail.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    /// Records whose delivery was checked.
    pub records: u64,
    /// Faults the emulator actually injected.
    pub faults: u64,
    /// Inputs tried (bad arguments, forged webhooks, leak probes …).
    pub inputs: u64,
    /// Free-form facts worth printing (error counts, socket counts, RSS).
    pub notes: Vec<String>,
}

impl Tally {
    /// Adds a fact to the result line.
    pub fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
    }
}

/// What a scenario returns on failure: why, in words.
pub type Check = Result<(), String>;

/// Fails the scenario with a message unless `cond` holds.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err(format!($($fmt)+));
        }
    };
}

/// One scenario's result.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Scenario name as in the README (`paging-under-faults`).
    pub scenario: &'static str,
    /// Whether every assertion held.
    pub passed: bool,
    /// The counts.
    pub tally: Tally,
    /// Failure reason (empty on success).
    pub error: String,
    /// Wall time, informational only.
    pub seconds: f64,
}

impl Outcome {
    /// The machine-readable line the runner reads.
    pub fn json_line(&self) -> String {
        serde_json::json!({
            "language": LANGUAGE,
            "scenario": self.scenario,
            "status": if self.passed { "pass" } else { "fail" },
            "records": self.tally.records,
            "faults": self.tally.faults,
            "inputs": self.tally.inputs,
            "notes": self.tally.notes,
            "error": self.error,
            "seconds": (self.seconds * 10.0).round() / 10.0,
        })
        .to_string()
    }
}

/// Every scenario, in run order.
pub const SCENARIOS: [&str; 10] = [
    "paging-under-faults",
    "resume-from-checkpoint",
    "rate-limit-respected",
    "action-not-duplicated",
    "timeouts-and-cancel",
    "webhook-forgery",
    "bad-input",
    "no-secret-leak",
    "load",
    "concurrent-consumers",
];

/// Runs one scenario by name, then clears whatever faults/rate limit it left behind.
pub async fn run_one(emu: &Emulator, name: &'static str) -> Outcome {
    let started = Instant::now();
    let mut tally = Tally::default();
    let result = match name {
        "paging-under-faults" => scenarios::paging_under_faults::run(emu, &mut tally).await,
        "resume-from-checkpoint" => scenarios::resume_from_checkpoint::run(emu, &mut tally).await,
        "rate-limit-respected" => scenarios::rate_limit_respected::run(emu, &mut tally).await,
        "action-not-duplicated" => scenarios::action_not_duplicated::run(emu, &mut tally).await,
        "timeouts-and-cancel" => scenarios::timeouts_and_cancel::run(emu, &mut tally).await,
        "webhook-forgery" => scenarios::webhook_forgery::run(emu, &mut tally).await,
        "bad-input" => scenarios::bad_input::run(emu, &mut tally).await,
        "no-secret-leak" => scenarios::no_secret_leak::run(emu, &mut tally).await,
        "load" => scenarios::load::run(emu, &mut tally).await,
        "concurrent-consumers" => scenarios::concurrent_consumers::run(emu, &mut tally).await,
        other => Err(format!("unknown scenario {other}")),
    };
    let cleanup = emu.reset_faults().await;
    let result = result.and(cleanup);
    Outcome {
        scenario: name,
        passed: result.is_ok(),
        error: result.err().unwrap_or_default(),
        tally,
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// Prints a result line, and appends it to `$NANGO_SCENARIO_RESULTS` when set (the runner's file).
fn emit(line: &str) {
    println!("{line}");
    if let Ok(path) = std::env::var("NANGO_SCENARIO_RESULTS") {
        use std::io::Write;
        if let Ok(mut file) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = writeln!(file, "{line}");
        }
    }
}

/// Starts the emulator, runs the chosen scenarios (all when `only` is empty), stops it.
pub async fn run_suite(only: &[String]) -> Result<Vec<Outcome>, String> {
    let emu = Emulator::start().await?;
    let mut outcomes = Vec::new();
    for name in SCENARIOS {
        if only.is_empty() || only.iter().any(|o| o == name) {
            let outcome = run_one(&emu, name).await;
            emit(&outcome.json_line());
            outcomes.push(outcome);
        }
    }
    emu.stop();
    Ok(outcomes)
}
