//! `nango-emulator [--port N] [--secret-key UUID] [--signing-key K] [--webhook-url URL] [--config FILE] [--log LEVEL]
//! [--no-compression] [--records-max-response-bytes N] [--tls-cert FILE --tls-key FILE]`
//!
//! Environment: `NANGO_EMULATOR_PORT`, `NANGO_EMULATOR_SECRET_KEY`, `NANGO_EMULATOR_SIGNING_KEY`,
//! `NANGO_EMULATOR_WEBHOOK_URL`, `NANGO_EMULATOR_CONFIG`, `NANGO_EMULATOR_LOG`,
//! `NANGO_EMULATOR_COMPRESSION` (`on`/`off`), `NANGO_EMULATOR_RECORDS_MAX_RESPONSE_BYTES`,
//! `NANGO_EMULATOR_TLS_CERT`, `NANGO_EMULATOR_TLS_KEY` (PEM files: serve HTTPS and WSS) (flags win
//! over the environment, which wins over the file). Prints one JSON line once listening on stdout,
//! logs to stderr (`off`, `error`, `warn` (default), `info`, `debug` or `trace`); exits 0 on
//! SIGTERM/SIGINT.

use nango_emulator::{Config, Emulator, Secret};
use std::process::ExitCode;

const USAGE: &str = "usage: nango-emulator [--port N] [--secret-key UUID] [--signing-key K] [--webhook-url URL] [--config FILE] [--log off|error|warn|info|debug|trace] [--no-compression] [--records-max-response-bytes N] [--tls-cert FILE --tls-key FILE]";

#[derive(Default)]
struct Args {
    port: Option<String>,
    secret_key: Option<String>,
    signing_key: Option<String>,
    webhook_url: Option<String>,
    config: Option<String>,
    log: Option<String>,
    no_compression: bool,
    records_max_response_bytes: Option<String>,
    tls_cert: Option<String>,
    tls_key: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args::default();
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
            None => (flag.clone(), None),
        };
        if name == "--help" || name == "-h" {
            return Err(USAGE.into());
        }
        if name == "--no-compression" {
            if inline.is_some() {
                return Err(format!("{name} takes no value\n{USAGE}"));
            }
            args.no_compression = true;
            continue;
        }
        let value = match inline {
            Some(v) => v,
            None => it
                .next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))?,
        };
        match name.as_str() {
            "--port" => args.port = Some(value),
            "--secret-key" => args.secret_key = Some(value),
            "--signing-key" => args.signing_key = Some(value),
            "--webhook-url" => args.webhook_url = Some(value),
            "--config" => args.config = Some(value),
            "--log" => args.log = Some(value),
            "--records-max-response-bytes" => args.records_max_response_bytes = Some(value),
            "--tls-cert" => args.tls_cert = Some(value),
            "--tls-key" => args.tls_key = Some(value),
            _ => return Err(format!("unknown argument {name}\n{USAGE}")),
        }
    }
    Ok(args)
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Sends the emulator's logs to stderr at `level` (`warn` when not given); stdout stays the ready
/// line's alone.
fn init_logging(level: Option<String>) -> Result<(), String> {
    use std::io::IsTerminal;
    let level = match level.or_else(|| env("NANGO_EMULATOR_LOG")) {
        Some(level) => level
            .parse::<tracing_subscriber::filter::LevelFilter>()
            .map_err(|_| format!("invalid log level {level:?}\n{USAGE}"))?,
        None => tracing_subscriber::filter::LevelFilter::WARN,
    };
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init()
        .map_err(|err| format!("could not start logging: {err}"))
}

fn build_config(args: Args) -> Result<Config, String> {
    let mut cfg = match args.config.or_else(|| env("NANGO_EMULATOR_CONFIG")) {
        Some(path) => Config::from_file(&path).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    if let Some(p) = args.port.or_else(|| env("NANGO_EMULATOR_PORT")) {
        cfg.port = p.parse().map_err(|_| format!("invalid port {p:?}"))?;
    }
    if let Some(k) = args.secret_key.or_else(|| env("NANGO_EMULATOR_SECRET_KEY")) {
        cfg.secret_key = Secret::new(k);
    }
    if let Some(k) = args
        .signing_key
        .or_else(|| env("NANGO_EMULATOR_SIGNING_KEY"))
    {
        cfg.signing_key = Secret::new(k);
    }
    if let Some(u) = args
        .webhook_url
        .or_else(|| env("NANGO_EMULATOR_WEBHOOK_URL"))
    {
        cfg.webhooks.url = Some(u);
    }
    if args.no_compression {
        cfg.compression = false;
    } else if let Some(v) = env("NANGO_EMULATOR_COMPRESSION") {
        cfg.compression = match v.to_ascii_lowercase().as_str() {
            "on" | "true" | "1" => true,
            "off" | "false" | "0" => false,
            _ => {
                return Err(format!(
                    "invalid NANGO_EMULATOR_COMPRESSION {v:?} (on or off)"
                ));
            }
        };
    }
    if let Some(n) = args
        .records_max_response_bytes
        .or_else(|| env("NANGO_EMULATOR_RECORDS_MAX_RESPONSE_BYTES"))
    {
        let bytes = n
            .parse::<usize>()
            .ok()
            .filter(|bytes| *bytes > 0)
            .ok_or_else(|| format!("invalid records max response bytes {n:?}"))?;
        cfg.records_max_response_bytes = Some(bytes);
    }
    if let Some(cert) = args.tls_cert.or_else(|| env("NANGO_EMULATOR_TLS_CERT")) {
        cfg.tls_cert = Some(cert);
    }
    if let Some(key) = args.tls_key.or_else(|| env("NANGO_EMULATOR_TLS_KEY")) {
        cfg.tls_key = Some(key);
    }
    Ok(cfg)
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(mut term), Ok(mut int)) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cfg = match parse_args().and_then(|mut args| {
        init_logging(args.log.take())?;
        build_config(args)
    }) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let handle = match Emulator::builder().config(cfg).start().await {
        Ok(h) => h,
        Err(e) => {
            eprintln!("nango-emulator: {e}");
            return ExitCode::from(1);
        }
    };
    // The one machine-readable line scripts wait for. The keys are printed on purpose: they are the
    // emulator's own local test keys, and callers need them to talk to it.
    // Field order as documented: ready, url, secret_key, signing_key, integrations.
    let js = |v: &str| serde_json::Value::String(v.to_owned()).to_string();
    let ready = format!(
        "{{\"ready\":true,\"url\":{},\"secret_key\":{},\"signing_key\":{},\"integrations\":{}}}",
        js(handle.url()),
        js(handle.secret_key()),
        js(handle.signing_key()),
        serde_json::Value::from(handle.integrations()),
    );
    println!("{ready}");
    wait_for_signal().await;
    handle.shutdown().await;
    ExitCode::SUCCESS
}
