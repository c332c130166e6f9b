//! What the demo prints as it goes, and the summary table at the end.

use std::fmt::Write as _;
use std::time::Duration;

use crate::ticket::Ticket;

/// Where the demo's lines go: stdout (the `demo` binary) and/or a buffer (tests).
#[derive(Debug, Default)]
pub struct Console {
    echo: bool,
    lines: Vec<String>,
}

impl Console {
    /// `echo`: also print each line to stdout as it comes.
    pub fn new(echo: bool) -> Self {
        Self {
            echo,
            lines: Vec::new(),
        }
    }

    /// One line of output.
    pub fn say(&mut self, line: impl Into<String>) {
        let line = line.into();
        if self.echo {
            println!("{line}");
        }
        self.lines.push(line);
    }

    /// Everything said so far.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }
}

/// The result of one step.
#[derive(Debug, Clone)]
pub struct StepReport {
    /// 1 to 4.
    pub number: usize,
    /// Short name for the table.
    pub name: &'static str,
    /// How long it took.
    pub elapsed: Duration,
    /// What was checked, or why it failed.
    pub outcome: Result<String, String>,
}

/// What the flow produced, for callers (and tests) that check more than the verdict.
#[derive(Debug, Clone, Default)]
pub struct DemoFacts {
    /// The emulator's base URL.
    pub emulator_url: String,
    /// The connection the OAuth flow created.
    pub connection_id: Option<String>,
    /// `modifiedAfter` of the first sync webhook.
    pub modified_after: Option<String>,
    /// `responseResults.added` of the first sync webhook.
    pub initial_added: u64,
    /// Tickets listed in step 3.
    pub initial_records: usize,
    /// Pages step 3 took.
    pub initial_pages: usize,
    /// The checkpoint cursor saved in step 3.
    pub checkpoint: Option<String>,
    /// The ticket `create-ticket` returned.
    pub created_ticket: Option<Ticket>,
    /// The tickets listed from the checkpoint in step 4.
    pub new_records: Vec<Ticket>,
    /// Webhooks that verified.
    pub webhooks_verified: usize,
    /// Webhooks refused for a bad signature.
    pub webhooks_rejected: usize,
}

/// The demo's verdict.
#[derive(Debug, Clone, Default)]
pub struct DemoReport {
    /// Why the emulator or the receiver could not start, if so (no step ran).
    pub setup_error: Option<String>,
    /// The steps that ran, in order; a failed step is the last one.
    pub steps: Vec<StepReport>,
    /// What the flow produced.
    pub facts: DemoFacts,
    /// Wall time of the whole run.
    pub total: Duration,
}

/// The four steps.
pub const STEP_COUNT: usize = 4;

impl DemoReport {
    /// True only if every step ran and checked out.
    pub fn passed(&self) -> bool {
        self.setup_error.is_none()
            && self.steps.len() == STEP_COUNT
            && self.steps.iter().all(|s| s.outcome.is_ok())
    }

    /// The summary table.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "  {:<3} {:<22} {:<7} {:>8}  detail",
            "#", "step", "result", "time"
        );
        let _ = writeln!(out, "  {}", "-".repeat(78));
        for n in 1..=STEP_COUNT {
            let name = STEP_NAMES[n - 1];
            let row = match self.steps.iter().find(|s| s.number == n) {
                Some(step) => {
                    let (result, detail) = match &step.outcome {
                        Ok(detail) => ("ok", detail.as_str()),
                        Err(error) => ("FAILED", error.as_str()),
                    };
                    format!(
                        "  {n:<3} {name:<22} {result:<7} {:>6.0}ms  {detail}",
                        step.elapsed.as_secs_f64() * 1000.0
                    )
                }
                None => format!("  {n:<3} {name:<22} {:<7} {:>8}  -", "skipped", "-"),
            };
            let _ = writeln!(out, "{row}");
        }
        let verdict = match (&self.setup_error, self.passed()) {
            (Some(error), _) => format!("setup failed: {error}"),
            (None, true) => format!("all {STEP_COUNT} steps passed"),
            (None, false) => "FAILED".to_owned(),
        };
        let _ = write!(
            out,
            "  {verdict} in {:.2} s; webhooks: {} verified, {} rejected",
            self.total.as_secs_f64(),
            self.facts.webhooks_verified,
            self.facts.webhooks_rejected
        );
        out
    }
}

/// Names of the steps, for the table.
pub const STEP_NAMES: [&str; STEP_COUNT] = [
    "connect (OAuth)",
    "signed webhooks",
    "records since webhook",
    "write back + delta",
];
