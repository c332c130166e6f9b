//! `make demo`: the seed flow end to end against an in-process emulator, printing each step and
//! checking each result.
//!
//! 1. create a connect session and run the OAuth popup flow with the native host, an agent
//!    pressing `Allow` on the demo provider's consent page;
//! 2. receive the `auth` and `sync` webhooks on a local receiver, signatures verified;
//! 3. list the tickets changed since the webhook's `modifiedAfter`, page by page to the end,
//!    and save the checkpoint cursor;
//! 4. trigger `create-ticket`, trigger the sync, receive its webhook, and list from the
//!    checkpoint: exactly the one new ticket.
//!
//! [`run`] never hangs: every call has a timeout, every wait a deadline.

mod report;
mod steps;

use std::time::{Duration, Instant};

use nango::Nango;
use nango_emulator::{Emulator, EmulatorBuilder, EmulatorHandle};

use crate::webhook_receiver::WebhookReceiver;

pub use report::{Console, DemoFacts, DemoReport, STEP_COUNT, STEP_NAMES, StepReport};

/// The demo provider's integration, model, sync and action (the emulator's defaults).
pub const INTEGRATION: &str = "zendesk";
/// The model the `tickets` sync writes.
pub const MODEL: &str = "Ticket";
/// The sync.
pub const SYNC: &str = "tickets";
/// The write-back action.
pub const ACTION: &str = "create-ticket";

/// Knobs of a run.
#[derive(Debug, Clone)]
pub struct DemoConfig {
    /// Records per page in step 3 (small, so that paging shows).
    pub page_size: u32,
    /// Deadline of each webhook wait.
    pub webhook_wait: Duration,
    /// Overall limit of the OAuth flow.
    pub auth_timeout: Duration,
    /// Per-request timeout of the backend client.
    pub request_timeout: Duration,
    /// The emulator to start (default: the demo configuration, on a free port).
    pub emulator: EmulatorBuilder,
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self {
            page_size: 20,
            webhook_wait: Duration::from_secs(10),
            auth_timeout: Duration::from_secs(20),
            request_timeout: Duration::from_secs(10),
            emulator: Emulator::builder(),
        }
    }
}

/// The emulator, the receiver, and a backend client pointed at them.
pub(crate) struct Env {
    pub(crate) emulator: EmulatorHandle,
    pub(crate) receiver: WebhookReceiver,
    pub(crate) nango: Nango,
}

impl Env {
    async fn start(config: &DemoConfig) -> Result<Self, String> {
        let emulator = config
            .emulator
            .clone()
            .start()
            .await
            .map_err(|e| format!("starting the emulator: {e}"))?;
        let receiver = WebhookReceiver::start(emulator.signing_key())
            .await
            .map_err(|e| e.to_string())?;
        // The environment's webhook URL, as set in Nango's dashboard.
        emulator.set_webhook_url(Some(receiver.url().to_owned()));
        let nango = Nango::builder(emulator.secret_key())
            .host(emulator.url())
            .webhook_signing_key(emulator.signing_key())
            .timeout(config.request_timeout)
            .deadline(config.request_timeout * 3)
            .build()
            .map_err(|e| format!("building the client: {e}"))?;
        Ok(Self {
            emulator,
            receiver,
            nango,
        })
    }

    async fn shutdown(self) {
        self.receiver.shutdown().await;
        self.emulator.shutdown().await;
    }
}

/// Runs the four steps, stopping at the first that fails. Lines go to `console` as they happen.
pub async fn run(config: &DemoConfig, console: &mut Console) -> DemoReport {
    let started = Instant::now();
    let mut report = DemoReport::default();
    let mut env = match Env::start(config).await {
        Ok(env) => env,
        Err(error) => {
            console.say(format!("setup failed: {error}"));
            report.setup_error = Some(error);
            report.total = started.elapsed();
            return report;
        }
    };
    report.facts.emulator_url = env.emulator.url().to_owned();
    console.say("nango-rs demo: the seed flow against an in-process emulator");
    console.say(format!(
        "  emulator  {}  (integration {INTEGRATION}, model {MODEL}, sync {SYNC}, action {ACTION})",
        env.emulator.url()
    ));
    console.say(format!("  webhooks  {}", env.receiver.url()));

    for number in 1..=STEP_COUNT {
        let step_started = Instant::now();
        console.say("");
        console.say(format!(
            "[{number}/{STEP_COUNT}] {}",
            steps::TITLES[number - 1]
        ));
        let facts = &mut report.facts;
        let outcome = match number {
            1 => steps::connect(&env, config, facts, console).await,
            2 => steps::webhooks(&mut env, config, facts, console).await,
            3 => steps::records(&env, config, facts, console).await,
            _ => steps::write_back(&mut env, config, facts, console).await,
        };
        let elapsed = step_started.elapsed();
        match &outcome {
            Ok(_) => console.say(format!("      ✓ done in {} ms", elapsed.as_millis())),
            Err(error) => console.say(format!("      ✗ {error}")),
        }
        let failed = outcome.is_err();
        report.steps.push(StepReport {
            number,
            name: STEP_NAMES[number - 1],
            elapsed,
            outcome,
        });
        if failed {
            break;
        }
    }
    report.facts.webhooks_verified = env.receiver.verified();
    report.facts.webhooks_rejected = env.receiver.rejected();
    env.shutdown().await;
    report.total = started.elapsed();
    report
}
