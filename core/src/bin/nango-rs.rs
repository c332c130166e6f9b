//! `nango-rs`: the crate's command line. One command for now, `nango-rs models` (typed records
//! from the server's own schema, [`nango::models`]). Build it with `--features cli`.

use std::io::Write;
use std::process::ExitCode;

fn usage() -> String {
    format!(
        "usage: nango-rs models [options]\n\n{}",
        nango::models::USAGE
    )
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("models") => {}
        Some("-h" | "--help") => {
            print!("{}", usage());
            return ExitCode::SUCCESS;
        }
        other => {
            eprint!(
                "nango-rs: {}\n{}",
                match other {
                    Some(command) => format!("unknown command {command:?}"),
                    None => "a command is needed".to_owned(),
                },
                usage()
            );
            return ExitCode::from(2);
        }
    }
    match nango::models::run(args, nango::NangoBuilder::new()).await {
        Ok(report) => {
            eprint!("{}", report.stderr);
            let mut stdout = std::io::stdout();
            if stdout.write_all(report.stdout.as_bytes()).is_err() || stdout.flush().is_err() {
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("nango-rs models: {err} (code {})", err.code());
            ExitCode::FAILURE
        }
    }
}
