//! `nango::models::run` (the `models` command of the three packages) against the emulator on
//! loopback: the emulator's `json_schema` becomes each language's types; a wrong key, an
//! unreachable host and a bad flag fail with their code and without the key.

// The HTTP client is behind the default `client` feature.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used)]

use nango::NangoBuilder;
use nango::models::{Models, run};
use nango_emulator::{Emulator, EmulatorHandle};

async fn start() -> EmulatorHandle {
    Emulator::builder().start().await.unwrap()
}

fn builder(emulator: &EmulatorHandle) -> NangoBuilder {
    NangoBuilder::new()
        .host(emulator.url())
        .secret_key(emulator.secret_key())
}

#[tokio::test]
async fn the_emulator_describes_its_models_with_a_json_schema() {
    let emulator = start().await;
    let nango = builder(&emulator).build().unwrap();
    let config = nango
        .get_scripts_config(nango::ScriptsConfigFormat::Nango)
        .await
        .unwrap();
    let models = Models::from_scripts_config(&config, None).unwrap();
    // The default world: zendesk's Ticket and demo-api-key's Document.
    assert_eq!(models.records, ["Ticket", "Document"]);
    let zendesk = Models::from_scripts_config(&config, Some("zendesk")).unwrap();
    assert_eq!(zendesk.records, ["Ticket"]);
    let ticket = zendesk.def("Ticket").unwrap();
    let nango::models::Kind::Object { fields, open } = &ticket.kind else {
        panic!("Ticket is an object");
    };
    assert!(*open, "records an action made carry its input too");
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(
        required,
        ["id", "title", "status", "revision", "_nango_metadata"]
    );
}

#[tokio::test]
async fn writes_each_language() {
    let emulator = start().await;
    for (lang, expected) in [
        ("ts", "export interface Ticket {"),
        ("python", "class Ticket(TypedDict):"),
        ("rust", "pub struct Ticket {"),
    ] {
        let report = run(["--lang", lang], builder(&emulator)).await.unwrap();
        assert!(
            report.stdout.contains(expected),
            "{lang}: {}",
            report.stdout
        );
        assert!(
            report.stderr.starts_with("2 record models from "),
            "{}",
            report.stderr
        );
    }
    let report = run(
        ["--pydantic", "--integration", "demo-api-key"],
        builder(&emulator),
    )
    .await
    .unwrap();
    assert!(report.stdout.contains("class Document(BaseModel):"));
    assert!(!report.stdout.contains("class Ticket("));
    let help = run(["--help"], NangoBuilder::new()).await.unwrap();
    assert!(help.stdout.contains("--pydantic"));
}

#[tokio::test]
async fn writes_the_file_given_with_out() {
    let emulator = start().await;
    let dir = std::env::temp_dir().join(format!("nango-models-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("models.ts");
    let out = path.to_str().unwrap().to_owned();
    let report = run(["--out", out.as_str()], builder(&emulator))
        .await
        .unwrap();
    assert!(report.stdout.is_empty());
    assert!(report.stderr.contains(&out));
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("export interface Document {")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn failures_carry_their_code_and_never_the_key() {
    let emulator = start().await;
    let key = "sk-models-test-not-a-key-0123456789";
    let wrong_key = run(
        ["--host", emulator.url(), "--secret-key", key],
        NangoBuilder::new().max_retries(0),
    )
    .await
    .unwrap_err();
    assert_eq!(wrong_key.code(), "unauthorized");
    let unreachable = run(
        ["--host", "http://127.0.0.1:9", "--secret-key", key],
        NangoBuilder::new().max_retries(0),
    )
    .await
    .unwrap_err();
    assert_eq!(unreachable.code(), "transport");
    let bad_flag = run(["--lang", "go"], builder(&emulator)).await.unwrap_err();
    assert_eq!(bad_flag.code(), "invalid_argument");
    let unknown = run(["--integration", "nope"], builder(&emulator))
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), "invalid_argument");
    for err in [wrong_key, unreachable, bad_flag, unknown] {
        assert!(!err.to_string().contains(key), "{err}");
        assert!(!format!("{err:?}").contains(key));
    }
}
