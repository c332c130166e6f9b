//! `no-secret-leak`: with tracing at TRACE captured process-wide, drive successes and every kind
//! of failure (401 with a wrong key, 429, 503, dropped and truncated answers, timeouts, bad
//! arguments, forged webhooks), then search every error's `Display` and `Debug`, the clients'
//! `Debug`, the captured log and the panic message of `unwrap()` on each error for the secret
//! key, the wrong key and the webhook signing key.

use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

use crate::params::{connection, integration, text};
use crate::{Check, Emulator, Tally, ensure};

static CAPTURE: AtomicBool = AtomicBool::new(false);
static LOG: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct LogWriter;

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if CAPTURE.load(Ordering::SeqCst)
            && let Ok(mut log) = LOG.lock()
        {
            log.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs the process-wide TRACE subscriber once (the other scenarios write nothing while
/// `CAPTURE` is off).
fn install() {
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(|| LogWriter)
        .with_ansi(false)
        .finish();
    // `try_init` also bridges the `log` facade (reqwest and hyper-util log through it).
    let _ = tracing_subscriber::util::SubscriberInitExt::try_init(subscriber);
}

fn fault(path: &str, kind: Value) -> Value {
    let mut rule = json!({"path": path, "count": 1});
    if let (Some(m), Value::Object(k)) = (rule.as_object_mut(), kind) {
        m.extend(k);
    }
    rule
}

/// Runs the scenario.
pub async fn run(emu: &Emulator, tally: &mut Tally) -> Check {
    install();
    if let Ok(mut log) = LOG.lock() {
        log.clear();
    }
    CAPTURE.store(true, Ordering::SeqCst);
    let result = exercise(emu, tally).await;
    CAPTURE.store(false, Ordering::SeqCst);
    result
}

async fn exercise(emu: &Emulator, tally: &mut Tally) -> Check {
    // A well-formed key the server does not know: also a secret, also must not leak.
    let wrong_key = "0f0e0d0c-0b0a-4909-8807-060504030201".to_owned();
    let secrets = [
        emu.secret_key.clone(),
        wrong_key.clone(),
        emu.signing_key.clone(),
    ];
    let mut texts: Vec<String> = Vec::new();

    let nango = emu
        .client()
        .timeout(Duration::from_millis(300))
        .max_retries(1)
        .log_level(nango::LogLevel::Trace)
        .build()
        .map_err(|e| e.to_string())?;
    let wrong = nango::Nango::builder(wrong_key.clone())
        .host(emu.url.clone())
        .build()
        .map_err(|e| e.to_string())?;
    texts.push(format!("{nango:?}"));
    texts.push(format!("{wrong:?}"));
    texts.push(format!("{:?}", nango.config()));
    texts.push(format!("{:?}", emu.client()));
    let records =
        nango::ListRecordsParams::new(integration(), connection(), text(&["paging", "model"]))
            .limit(5);

    let mut errors: Vec<nango::Error> = Vec::new();
    // Successes, traced.
    let page = nango
        .list_records::<Value>(&records)
        .await
        .map_err(|e| e.to_string())?;
    texts.push(format!("{page:?}"));
    let out = nango
        .trigger_action::<Value>(
            &nango::TriggerActionParams::new(integration(), connection(), "echo")
                .input(json!({"a": 1})),
        )
        .await
        .map_err(|e| e.to_string())?;
    texts.push(format!("{out:?}"));
    // Failures, each kind.
    if let Err(e) = wrong.list_records::<Value>(&records).await {
        errors.push(e);
    }
    let kinds = [
        json!({"kind": "status", "status": 429, "retry_after": 0}),
        json!({"kind": "status", "status": 503}),
        json!({"kind": "status", "status": 500, "body": {"error": {"code": "server_error", "message": "boom"}}}),
        json!({"kind": "drop"}),
        json!({"kind": "truncate"}),
        json!({"kind": "delay", "ms": 2000}),
    ];
    for kind in kinds {
        emu.add_faults(&[fault("/records", kind.clone()), fault("/records", kind)])
            .await?;
        if let Err(e) = nango.list_records::<Value>(&records).await {
            errors.push(e);
        }
        emu.admin("DELETE", "/faults", None).await?;
    }
    emu.add_faults(&[fault("/action/trigger", json!({"kind": "truncate"}))])
        .await?;
    if let Err(e) = nango
        .trigger_action::<Value>(&nango::TriggerActionParams::new(
            integration(),
            connection(),
            "echo",
        ))
        .await
    {
        errors.push(e);
    }
    for bad in [
        nango::ListRecordsParams::new("", "c", "M"),
        nango::ListRecordsParams::new("p", "c\n", "M"),
    ] {
        if let Err(e) = nango.list_records::<Value>(&bad).await {
            errors.push(e);
        }
    }
    if let Err(e) =
        nango::webhooks::parse_verified(&emu.signing_key, b"{}", [("X-Nango-Hmac-Sha256", "00")])
    {
        errors.push(e);
    }
    if let Err(e) = nango::Nango::builder(format!("{}\n", emu.secret_key)).build() {
        errors.push(e);
    }
    ensure!(
        errors.len() >= 10,
        "only {} failures were provoked",
        errors.len()
    );

    // What a user sees: Display, Debug, and the panic of `unwrap()`.
    let previous_hook = std::panic::take_hook();
    let panics: &'static Mutex<Vec<String>> = Box::leak(Box::new(Mutex::new(Vec::new())));
    std::panic::set_hook(Box::new(move |info| {
        if let Ok(mut p) = panics.lock() {
            p.push(info.to_string());
        }
    }));
    let mut codes = Vec::new();
    for e in errors {
        codes.push(e.code().to_owned());
        texts.push(e.to_string());
        texts.push(format!("{e:?}"));
        let result: Result<(), nango::Error> = Err(e);
        #[allow(clippy::unwrap_used, clippy::unnecessary_literal_unwrap)]
        // The point: what `unwrap()` prints on our errors.
        let _ = std::panic::catch_unwind(move || result.unwrap());
    }
    std::panic::set_hook(previous_hook);
    texts.extend(panics.lock().map(|p| p.clone()).unwrap_or_default());
    let log = LOG
        .lock()
        .map(|l| String::from_utf8_lossy(&l).into_owned())
        .unwrap_or_default();
    ensure!(
        log.contains("TRACE"),
        "nothing was logged at TRACE: the log check would prove nothing"
    );
    ensure!(
        log.contains("Authorization") || log.contains("sending"),
        "the transport's trace lines are missing"
    );
    // The request records (nango::log) were on: every field a user reads is there.
    for field in [
        "nango.request",
        "http.request.method=GET",
        "url.path=/records/",
        "http.response.status_code=429",
        "http.response.status_code=503",
        "nango.attempt=",
        "nango.retry.delay_ms=",
        "nango.duration_ms=",
    ] {
        ensure!(log.contains(field), "the request log lacks {field}");
    }
    texts.push(log.clone());

    tally.inputs = texts.len() as u64;
    tally.note(format!("codes {codes:?}; {} log bytes at TRACE", log.len()));
    for secret in &secrets {
        let variants = [
            secret.clone(),
            secret.to_uppercase(),
            secret.replace('-', ""),
        ];
        for (i, t) in texts.iter().enumerate() {
            for v in &variants {
                ensure!(
                    !t.contains(v.as_str()),
                    "a secret appears in text #{i}: {}",
                    t.replace(v.as_str(), "<SECRET>")
                        .chars()
                        .take(300)
                        .collect::<String>()
                );
            }
        }
    }
    Ok(())
}
