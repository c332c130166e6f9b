//! What a new user gets without configuring anything: default time limits on every call, the
//! `NANGO_HOST` / `NANGO_SECRET_KEY` environment defaults, and errors that say where and why.

// The HTTP client is behind the default `client` feature.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used)]

mod client_support;

use std::time::{Duration, Instant};

use nango::{ListRecordsParams, Nango, NangoBuilder, TimeLimit, TriggerActionParams};

const KEY: &str = "11111111-2222-4333-8444-555555555555";

/// A loopback server that accepts connections and never answers (nor closes them).
async fn silent_server() -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    (url, task)
}

fn records() -> ListRecordsParams {
    ListRecordsParams::new("zendesk", "conn-1", "Ticket")
}

#[test]
fn every_call_has_a_default_timeout_and_deadline() {
    let nango = Nango::builder(KEY)
        .host("http://127.0.0.1:9")
        .build()
        .unwrap();
    let config = nango.config();
    assert_eq!(config.timeout, nango::DEFAULT_TIMEOUT);
    assert_eq!(config.deadline, nango::DEFAULT_DEADLINE);
    assert_eq!(config.action_timeout, nango::DEFAULT_ACTION_TIMEOUT);
    assert_eq!(config.action_deadline, nango::DEFAULT_ACTION_DEADLINE);
    // Finite, and ordered as documented: an attempt fits in its call's deadline, and a
    // synchronous action may run for Nango's 15 minutes.
    assert!(config.timeout <= config.deadline && config.deadline <= Duration::from_secs(180));
    assert!(config.action_timeout > Duration::from_secs(15 * 60));
    assert!(config.action_timeout <= config.action_deadline);
    assert_eq!(
        config.limits(TimeLimit::Standard),
        (config.timeout, config.deadline)
    );

    // A synchronous action run gets the action limits; its async trigger does not wait for it.
    let action = TriggerActionParams::new("zendesk", "conn-1", "create-ticket");
    let sync = nango::actions::trigger_action_request(&action, false).unwrap();
    let not_waiting = nango::actions::trigger_action_request(&action, true).unwrap();
    assert_eq!(sync.time_limit, TimeLimit::ActionRun);
    assert_eq!(not_waiting.time_limit, TimeLimit::Standard);
    let page = nango::records::list_records_request(&records()).unwrap();
    assert_eq!(page.time_limit, TimeLimit::Standard);

    // Given values apply to every call.
    let tuned = Nango::builder(KEY)
        .timeout(Duration::from_secs(5))
        .deadline(Duration::from_secs(7))
        .build()
        .unwrap();
    let config = tuned.config();
    assert_eq!(
        config.limits(TimeLimit::ActionRun),
        (Duration::from_secs(5), Duration::from_secs(7))
    );
    assert_eq!(
        config.limits(TimeLimit::Standard),
        (Duration::from_secs(5), Duration::from_secs(7))
    );
}

#[tokio::test]
async fn a_silent_server_fails_the_call_with_a_timeout() {
    let (url, server) = silent_server().await;
    // The per-attempt limit, lowered to keep the test fast; the deadline stays the default.
    let nango = Nango::builder(KEY)
        .host(&url)
        .timeout(Duration::from_millis(150))
        .max_retries(0)
        .build()
        .unwrap();
    let started = Instant::now();
    let err = nango
        .list_records::<serde_json::Value>(&records())
        .await
        .unwrap_err();
    assert!(matches!(err, nango::Error::Timeout(_)), "{err:?}");
    assert_eq!(err.code(), "timeout");
    assert!(started.elapsed() < Duration::from_secs(5));

    // The overall deadline ends a call whose attempts are each within their own limit, retries
    // included; the synchronous action run obeys it too.
    let nango = Nango::builder(KEY)
        .host(&url)
        .deadline(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = nango
        .list_records::<serde_json::Value>(&records())
        .await
        .unwrap_err();
    assert!(
        matches!(err, nango::Error::Timeout(d) if d == Duration::from_millis(300)),
        "{err:?}"
    );
    let action = TriggerActionParams::new("zendesk", "conn-1", "create-ticket");
    let err = nango
        .trigger_action::<serde_json::Value>(&action)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "timeout");
    assert!(started.elapsed() < Duration::from_secs(5));
    server.abort();
}

#[tokio::test]
async fn a_transport_error_names_the_host_but_no_secret() {
    // A port nothing listens on: bind one, note it, close it.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let host = format!("http://user:hunter2@127.0.0.1:{port}/base");
    let nango = Nango::builder(KEY)
        .host(&host)
        .max_retries(0)
        .build()
        .unwrap();
    let err = nango
        .list_records::<serde_json::Value>(&records().cursor("s3cret-cursor"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "transport");
    let message = err.to_string();
    assert!(message.contains(&format!("127.0.0.1:{port}")), "{message}");
    for secret in [
        "hunter2",
        "user:",
        KEY,
        "s3cret-cursor",
        "/base",
        "/records",
    ] {
        assert!(!message.contains(secret), "{secret:?} in {message}");
    }
}

#[tokio::test]
async fn a_400_says_which_field_and_why() {
    let server = client_support::start(|_| {
        client_support::json(
            400,
            serde_json::json!({"error": {"code": "invalid_query_params", "errors": [
                {"code": "invalid_string", "message": "Invalid datetime", "path": ["modified_after"]},
                {"code": "too_big", "message": "Number must be at most 10000", "path": ["limit"]},
            ]}}),
        )
    })
    .await;
    let nango = Nango::builder(KEY).host(&server.url).build().unwrap();
    let err = nango
        .list_records::<serde_json::Value>(&records())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "validation");
    let message = err.to_string();
    assert!(
        message.contains("modified_after: Invalid datetime; limit: Number must be at most 10000"),
        "{message}"
    );
    assert!(message.contains("HTTP 400"), "{message}");
}

/// Runs this test binary again with `test` as the only test and `env` set: the environment of a
/// child process is the only one a test may change safely.
fn run_child(test: &str, env: &[(&str, &str)]) {
    let mut command = std::process::Command::new(std::env::current_exe().unwrap());
    command
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env("NANGO_DEFAULTS_CHILD", "1")
        .env_remove(nango::HOST_ENV)
        .env_remove(nango::SECRET_KEY_ENV);
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{test} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // The child really ran the test (and did not filter it out).
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("1 passed"),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

fn in_child() -> bool {
    std::env::var_os("NANGO_DEFAULTS_CHILD").is_some()
}

#[test]
fn the_environment_supplies_host_and_key_when_none_is_given() {
    run_child(
        "child_reads_the_environment",
        &[
            (nango::HOST_ENV, "http://127.0.0.1:3003/"),
            (nango::SECRET_KEY_ENV, KEY),
        ],
    );
    run_child("child_without_environment", &[]);
}

#[test]
fn child_reads_the_environment() {
    if !in_child() {
        return;
    }
    let from_env = Nango::from_env().unwrap();
    assert_eq!(from_env.host(), "http://127.0.0.1:3003");
    assert_eq!(from_env.signing_key(), KEY);
    // An explicit value wins over the environment.
    let explicit = NangoBuilder::new()
        .host("http://127.0.0.1:4004")
        .secret_key("22222222-2222-4333-8444-555555555555")
        .build()
        .unwrap();
    assert_eq!(explicit.host(), "http://127.0.0.1:4004");
    assert_eq!(
        explicit.signing_key(),
        "22222222-2222-4333-8444-555555555555"
    );
    // A key given with the host from the environment.
    assert_eq!(
        Nango::new("22222222-2222-4333-8444-555555555555")
            .unwrap()
            .host(),
        "http://127.0.0.1:3003"
    );
}

#[test]
fn child_without_environment() {
    if !in_child() {
        return;
    }
    let err = Nango::from_env().unwrap_err();
    assert_eq!(err.code(), "invalid_argument");
    assert!(err.to_string().contains("NANGO_SECRET_KEY"), "{err}");
    assert_eq!(Nango::new(KEY).unwrap().host(), nango::DEFAULT_HOST);
}
