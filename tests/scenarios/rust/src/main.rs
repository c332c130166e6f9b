//! `nango-scenarios [NAME…]`: runs the Rust scenarios against a fresh nango-emulator, printing one
//! JSON line per scenario; exits 1 if any failed. The emulator binary comes from
//! `NANGO_EMULATOR_BIN` (default: the workspace debug build).

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let only: Vec<String> = std::env::args().skip(1).collect();
    if let Some(unknown) = only
        .iter()
        .find(|name| !nango_scenarios::SCENARIOS.contains(&name.as_str()))
    {
        eprintln!(
            "unknown scenario {unknown}; known: {}",
            nango_scenarios::SCENARIOS.join(", ")
        );
        return ExitCode::from(2);
    }
    match nango_scenarios::run_suite(&only).await {
        Ok(outcomes) if outcomes.iter().all(|o| o.passed) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(err) => {
            eprintln!("nango-scenarios: {err}");
            ExitCode::from(1)
        }
    }
}
