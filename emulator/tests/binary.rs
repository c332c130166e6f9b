//! The `nango-emulator` binary: ready line, flags and environment, SIGTERM → exit 0.
#![allow(clippy::unwrap_used)]

mod common;
use common::Fetch;

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

fn spawn(args: &[&str], envs: &[(&str, &str)]) -> (Child, Value) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nango-emulator"));
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let ready: Value = serde_json::from_str(line.trim()).unwrap();
    (child, ready)
}

/// A GET of the emulator's API with the default secret key.
fn get(url: &str, path: &str) -> reqwest::RequestBuilder {
    common::client().get(format!("{url}{path}")).header(
        "Authorization",
        format!("Bearer {}", nango_emulator::DEFAULT_SECRET_KEY),
    )
}

/// `GET /records` of `model` for one connection.
fn records(url: &str, model: &str, connection: &str, integration: &str) -> reqwest::RequestBuilder {
    get(url, &format!("/records?model={model}"))
        .header("Connection-Id", connection)
        .header("Provider-Config-Key", integration)
}

fn terminate(mut child: Child) -> std::process::ExitStatus {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    child.wait().unwrap()
}

#[tokio::test]
async fn prints_ready_line_serves_and_exits_on_sigterm() {
    let (child, ready) = spawn(&["--port", "0"], &[]);
    assert_eq!(ready["ready"], true);
    let url = ready["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"));
    assert_eq!(ready["secret_key"], nango_emulator::DEFAULT_SECRET_KEY);
    assert_eq!(
        ready["integrations"],
        serde_json::json!([
            "zendesk",
            "demo-api-key",
            "demo-basic",
            "demo-unauthenticated"
        ])
    );
    let http = common::client();
    let r = http
        .get(format!("{url}/integrations"))
        .header(
            "Authorization",
            format!("Bearer {}", nango_emulator::DEFAULT_SECRET_KEY),
        )
        .fetch()
        .await;
    assert_eq!(r.status(), 200);
    assert!(terminate(child).success());
}

#[tokio::test]
async fn flags_and_environment() {
    let key = "0f0e0d0c-0b0a-4909-8807-060504030201";
    let (child, ready) = spawn(
        &["--secret-key", key, "--signing-key=sign-me"],
        &[
            ("NANGO_EMULATOR_PORT", "0"),
            ("NANGO_EMULATOR_WEBHOOK_URL", "http://127.0.0.1:9/hook"),
        ],
    );
    assert_eq!(ready["secret_key"], key);
    assert_eq!(ready["signing_key"], "sign-me");
    let url = ready["url"].as_str().unwrap().to_owned();
    let r = common::client()
        .get(format!("{url}/connections"))
        .header("Authorization", format!("Bearer {key}"))
        .fetch()
        .await;
    assert_eq!(r.status(), 200);
    assert!(terminate(child).success());
    // Config file.
    let dir = std::env::temp_dir().join(format!("nango-emu-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("config.json");
    std::fs::write(&file, r#"{"integrations":[{"unique_key":"gh","provider":"github","models":[{"name":"Issue","seed_count":3,"record_size":64}],"syncs":[{"name":"issues","models":["Issue"]}],"actions":[]}],"connections":[{"connection_id":"c1","provider_config_key":"gh"}]}"#).unwrap();
    let (child, ready) = spawn(&["--config", file.to_str().unwrap()], &[]);
    assert_eq!(ready["integrations"], serde_json::json!(["gh"]));
    let url = ready["url"].as_str().unwrap().to_owned();
    let v = records_of(&url, "Issue").await;
    assert_eq!(v["records"].as_array().unwrap().len(), 3);
    assert!(terminate(child).success());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_arguments_exit_with_usage() {
    let out = Command::new(env!("CARGO_BIN_EXE_nango-emulator"))
        .arg("--bogus")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: nango-emulator"));
    let out = Command::new(env!("CARGO_BIN_EXE_nango-emulator"))
        .args(["--secret-key", "not-a-uuid"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("not-a-uuid"));
}

/// Starts the emulator with one integration `gh` (model `Issue`) and connection `c1`.
fn spawn_with_issues(args: &[&str], envs: &[(&str, &str)], tag: &str) -> (Child, String) {
    let dir = std::env::temp_dir().join(format!("nango-emu-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("config.json");
    std::fs::write(&file, r#"{"integrations":[{"unique_key":"gh","provider":"github","models":[{"name":"Issue","seed_count":3,"record_size":64},{"name":"Comment","seed_count":0,"record_size":64}],"syncs":[{"name":"issues","models":["Issue","Comment"]}],"actions":[]}],"connections":[{"connection_id":"c1","provider_config_key":"gh"}]}"#).unwrap();
    let mut all = vec!["--port", "0", "--config", file.to_str().unwrap()];
    all.extend_from_slice(args);
    let (child, ready) = spawn(&all, envs);
    std::fs::remove_dir_all(&dir).unwrap();
    (child, ready["url"].as_str().unwrap().to_owned())
}

async fn records_of(url: &str, model: &str) -> Value {
    records(url, model, "c1", "gh").fetch_json().await
}

/// Everything the child wrote to stderr once it has exited.
fn stderr_after_exit(mut child: Child) -> String {
    let mut stderr = child.stderr.take().unwrap();
    assert!(terminate(child).success());
    let mut text = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut text).unwrap();
    text
}

#[tokio::test]
async fn an_unknown_model_is_answered_empty_with_a_warning_naming_the_known_ones() {
    let (child, url) = spawn_with_issues(&["--log", "warn"], &[], "warn");
    // As Nango does: a misspelt model is an empty page, not an error.
    let v = records_of(&url, "Issues").await;
    assert_eq!(v["records"], serde_json::json!([]));
    assert_eq!(v["next_cursor"], Value::Null);
    // A known model with records, or without any yet, is not warned about.
    assert_eq!(
        records_of(&url, "Issue").await["records"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    records_of(&url, "Comment").await;
    let logged = stderr_after_exit(child);
    let warnings: Vec<&str> = logged.lines().filter(|l| l.contains("WARN")).collect();
    assert_eq!(warnings.len(), 1, "{logged}");
    assert!(warnings[0].contains("\"Issues\""), "{logged}");
    assert!(
        warnings[0].contains("Known models: Issue, Comment"),
        "{logged}"
    );
    assert!(!logged.contains(nango_emulator::DEFAULT_SECRET_KEY));
}

#[tokio::test]
async fn the_log_level_comes_from_the_flag_or_the_environment() {
    // Off through the environment: nothing on stderr.
    let (child, url) = spawn_with_issues(&[], &[("NANGO_EMULATOR_LOG", "off")], "off");
    records_of(&url, "Issues").await;
    assert_eq!(stderr_after_exit(child), "");
    // The flag wins over the environment; warnings are on by default.
    let (child, url) = spawn_with_issues(&["--log=warn"], &[("NANGO_EMULATOR_LOG", "off")], "flag");
    records_of(&url, "Issues").await;
    assert!(stderr_after_exit(child).contains("Known models"));
    let (child, url) = spawn_with_issues(&[], &[], "default");
    records_of(&url, "Issues").await;
    assert!(stderr_after_exit(child).contains("Known models"));
    // A bad level is a usage error.
    let out = Command::new(env!("CARGO_BIN_EXE_nango-emulator"))
        .args(["--log", "loud"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid log level"));
}

#[tokio::test]
async fn compression_and_page_budget_from_flags_and_environment() {
    let config = std::env::temp_dir().join(format!("nango-emu-bin-{}.json", std::process::id()));
    std::fs::write(
        &config,
        r#"{"connections":[{"connection_id":"conn-1","provider_config_key":"zendesk"}]}"#,
    )
    .unwrap();
    let config = config.to_str().unwrap().to_owned();
    for (args, envs, compressed, budget) in [
        (vec![], vec![], true, false),
        (vec!["--no-compression"], vec![], false, false),
        (
            vec![],
            vec![("NANGO_EMULATOR_COMPRESSION", "off")],
            false,
            false,
        ),
        (
            vec!["--records-max-response-bytes", "1"],
            vec![("NANGO_EMULATOR_COMPRESSION", "on")],
            true,
            true,
        ),
        (
            vec![],
            vec![("NANGO_EMULATOR_RECORDS_MAX_RESPONSE_BYTES", "1")],
            true,
            true,
        ),
    ] {
        let mut all = vec!["--port", "0", "--config", &config];
        all.extend(&args);
        let (child, ready) = spawn(&all, &envs);
        let url = ready["url"].as_str().unwrap().to_owned();
        let r = records(&url, "Ticket", "conn-1", "zendesk")
            .header("Accept-Encoding", "gzip")
            .fetch()
            .await;
        assert_eq!(r.status(), 200, "{args:?} {envs:?}");
        assert_eq!(
            r.headers().get("content-encoding").is_some(),
            compressed,
            "{args:?} {envs:?}"
        );
        let counters = get(&url, "/_emulator/counters").fetch_json().await;
        let encoding = if compressed { "gzip" } else { "identity" };
        assert_eq!(counters["response_encodings"][encoding], 1);
        // Budgeted: a page of one record (read uncompressed to count them).
        let page: Value = records(&url, "Ticket", "conn-1", "zendesk")
            .fetch_json()
            .await;
        let expected = if budget { 1 } else { 50 };
        assert_eq!(page["records"].as_array().unwrap().len(), expected);
        assert!(terminate(child).success());
    }
    for (arg, env) in [
        ("--no-compression=yes", "on"),
        ("--port=0", "maybe"),
        ("--records-max-response-bytes=0", "on"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_nango-emulator"))
            .arg(arg)
            .env("NANGO_EMULATOR_COMPRESSION", env)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{arg} {env}");
    }
    let _ = std::fs::remove_file(&config);
}
