//! Integration administration, provider templates, deployed functions, `get_raw_token_response`
//! and `wait_for_connection`, against the emulator on loopback: one success and a typical error
//! per method.

// The HTTP client is behind the default `client` feature.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use nango::request::{Method, Request, RetryClass};
use nango::*;
use nango_emulator::{
    ActionConfig, ActionKind, Emulator, EmulatorHandle, IntegrationConfig, SyncConfig,
    default_integrations,
};
use serde_json::json;

async fn start() -> (EmulatorHandle, Nango) {
    start_with(default_integrations()).await
}

async fn start_with(integrations: Vec<IntegrationConfig>) -> (EmulatorHandle, Nango) {
    let emulator = Emulator::builder()
        .integrations(integrations)
        .start()
        .await
        .unwrap();
    let nango = Nango::builder(emulator.secret_key())
        .host(emulator.url())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    (emulator, nango)
}

/// Code and server code of a failed call.
fn codes<T: std::fmt::Debug>(result: nango::Result<T>) -> (String, Option<String>) {
    let err = result.expect_err("the call must fail");
    (err.code().to_owned(), err.info().server_code)
}

async fn integration_keys(nango: &Nango) -> Vec<String> {
    let list = nango.list_integrations().await.unwrap();
    list.data
        .iter()
        .map(|i| i["unique_key"].as_str().unwrap().to_owned())
        .collect()
}

fn oauth_app() -> IntegrationCredentials {
    IntegrationCredentials::OAuth2(ClientCredentials {
        client_id: "id-1".into(),
        client_secret: "secret-1".into(),
        scopes: Some("read,write".into()),
        webhook_secret: None,
    })
}

#[tokio::test]
async fn create_integration_appears_in_the_list_and_refuses_duplicates_and_unknown_providers() {
    let (_emulator, nango) = start().await;
    let params = CreateIntegrationParams::new("zendesk", "zendesk-prod")
        .display_name("Zendesk prod")
        .credentials(oauth_app())
        .forward_webhooks(false);
    let created = nango.create_integration(&params).await.unwrap();
    assert_eq!(created.data.unique_key, "zendesk-prod");
    assert_eq!(created.data.provider, "zendesk");
    assert_eq!(created.data.display_name, "Zendesk prod");
    assert_eq!(created.data.forward_webhooks, Some(false));
    assert!(!created.data.created_at.is_empty());
    assert!(
        integration_keys(&nango)
            .await
            .contains(&"zendesk-prod".to_owned())
    );
    let one = nango
        .get_integration(&GetIntegrationParams {
            unique_key: "zendesk-prod".into(),
            include: Vec::new(),
        })
        .await
        .unwrap();
    assert_eq!(one["data"]["display_name"], "Zendesk prod");

    let again = nango.create_integration(&params).await;
    assert_eq!(
        codes(again),
        ("validation".into(), Some("invalid_body".into()))
    );
    let unknown = CreateIntegrationParams::new("no-such-provider", "x");
    assert_eq!(
        codes(nango.create_integration(&unknown).await),
        ("validation".into(), Some("invalid_body".into()))
    );
    // Credentials of another type than the provider's auth mode.
    let wrong = CreateIntegrationParams::new("openai", "openai-2").credentials(oauth_app());
    assert_eq!(
        codes(nango.create_integration(&wrong).await),
        ("validation".into(), Some("invalid_body".into()))
    );
}

#[tokio::test]
async fn quickstart_integration_is_created_for_oauth_providers_only() {
    let (_emulator, nango) = start().await;
    let created = nango
        .create_quickstart_integration(&QuickstartIntegrationParams::new("zendesk", "zd-quick"))
        .await
        .unwrap();
    assert_eq!(created.data.unique_key, "zd-quick");
    // Without a display name the provider's is used; webhooks are forwarded by default.
    assert_eq!(created.data.display_name, "Zendesk (demo)");
    assert_eq!(created.data.forward_webhooks, Some(true));
    assert!(
        integration_keys(&nango)
            .await
            .contains(&"zd-quick".to_owned())
    );

    let api_key = QuickstartIntegrationParams::new("openai", "openai-quick");
    assert_eq!(
        codes(nango.create_quickstart_integration(&api_key).await),
        ("validation".into(), Some("invalid_body".into()))
    );
    assert!(
        !integration_keys(&nango)
            .await
            .contains(&"openai-quick".to_owned())
    );
}

#[tokio::test]
async fn update_integration_changes_fields_and_renames() {
    let (_emulator, nango) = start().await;
    let changed = nango
        .update_integration(
            "demo-basic",
            &IntegrationUpdate::default()
                .display_name("Basic!")
                .forward_webhooks(true),
        )
        .await
        .unwrap();
    assert_eq!(changed.data.display_name, "Basic!");
    assert_eq!(changed.data.forward_webhooks, Some(true));
    assert_ne!(changed.data.updated_at, changed.data.created_at);

    let renamed = nango
        .update_integration(
            "demo-basic",
            &IntegrationUpdate::default().unique_key("basic-2"),
        )
        .await
        .unwrap();
    assert_eq!(renamed.data.unique_key, "basic-2");
    assert_eq!(renamed.data.display_name, "Basic!");
    let keys = integration_keys(&nango).await;
    assert!(keys.contains(&"basic-2".to_owned()) && !keys.contains(&"demo-basic".to_owned()));

    let missing = nango
        .update_integration(
            "demo-basic",
            &IntegrationUpdate::default().display_name("x"),
        )
        .await;
    assert_eq!(
        codes(missing),
        ("not_found".into(), Some("not_found".into()))
    );
    // Renaming onto an existing key is refused.
    let clash = nango
        .update_integration(
            "basic-2",
            &IntegrationUpdate::default().unique_key("zendesk"),
        )
        .await;
    assert_eq!(
        codes(clash),
        ("validation".into(), Some("invalid_body".into()))
    );
}

#[tokio::test]
async fn delete_integration_removes_it_and_its_connections() {
    let (emulator, nango) = start().await;
    emulator.create_connection("zendesk", "conn-1").unwrap();
    let deleted = nango.delete_integration("zendesk").await.unwrap();
    assert_eq!(deleted, Deletion { success: true });
    assert!(
        !integration_keys(&nango)
            .await
            .contains(&"zendesk".to_owned())
    );
    let left = nango
        .list_connections(&ListConnectionsParams::default())
        .await
        .unwrap();
    assert!(
        left.connections
            .iter()
            .all(|c| c.provider_config_key != "zendesk")
    );

    let again = nango.delete_integration("zendesk").await;
    assert_eq!(codes(again), ("not_found".into(), Some("not_found".into())));
}

#[tokio::test]
async fn provider_templates_list_the_providers_functions() {
    let (_emulator, nango) = start().await;
    let templates = nango.get_provider_templates("zendesk").await.unwrap();
    let kinds: Vec<(FunctionType, &str)> = templates
        .data
        .iter()
        .map(|f| (f.function_type, f.name.as_str()))
        .collect();
    assert!(kinds.contains(&(FunctionType::Action, "create-ticket")));
    assert_eq!(kinds.last(), Some(&(FunctionType::Sync, "tickets")));
    let sync = templates.data.last().unwrap();
    assert_eq!(sync.returns.as_deref(), Some(&["Ticket".to_owned()][..]));
    assert_eq!(sync.auto_start, Some(true));
    // Templates carry no deployment fields.
    assert!(
        templates
            .data
            .iter()
            .all(|f| f.id.is_none() && f.source.is_none())
    );

    let unknown = nango
        .get_provider_templates("no-such-provider")
        .await
        .unwrap();
    assert!(unknown.data.is_empty());
    assert_eq!(
        codes(nango.get_provider_templates("not a name").await),
        ("validation".into(), Some("invalid_uri_params".into()))
    );
}

#[tokio::test]
async fn list_functions_filters_and_pages() {
    let (_emulator, nango) = start().await;
    let all = nango
        .list_functions(&ListFunctionsParams::new("zendesk"))
        .await
        .unwrap();
    assert_eq!(
        all.pagination,
        Pagination {
            total: 4,
            page: 0,
            limit: 20
        }
    );
    assert!(
        all.data
            .iter()
            .all(|f| f.id.is_some() && f.enabled == Some(true))
    );

    let syncs = nango
        .list_functions(&ListFunctionsParams::new("zendesk").function_type(FunctionType::Sync))
        .await
        .unwrap();
    assert_eq!(syncs.data.len(), 1);
    assert_eq!(syncs.data[0].name, "tickets");
    let search = nango
        .list_functions(&ListFunctionsParams::new("zendesk").search("TICK"))
        .await
        .unwrap();
    let names: Vec<&str> = search.data.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["tickets", "create-ticket"]);
    let second = nango
        .list_functions(&ListFunctionsParams::new("zendesk").limit(1).page(1))
        .await
        .unwrap();
    assert_eq!(second.data.len(), 1);
    assert_eq!(second.data[0].name, all.data[1].name);
    assert_eq!(second.pagination.total, 4);

    assert_eq!(
        codes(
            nango
                .list_functions(&ListFunctionsParams::new("nope"))
                .await
        ),
        ("not_found".into(), Some("not_found".into()))
    );
    assert_eq!(
        codes(
            nango
                .list_functions(&ListFunctionsParams::new("zendesk").limit(0))
                .await
        ),
        ("validation".into(), Some("invalid_query_params".into()))
    );
}

#[tokio::test]
async fn get_function_returns_the_deployed_function() {
    let (_emulator, nango) = start().await;
    let got = nango
        .get_function(&FunctionRef::new("zendesk", "tickets"))
        .await
        .unwrap();
    assert_eq!(got.data.function_type, FunctionType::Sync);
    assert!(got.data.runs.is_some());
    assert_eq!(got.data.source.as_deref(), Some("catalog"));
    let wrong_type = nango
        .get_function(&FunctionRef::new("zendesk", "tickets").function_type(FunctionType::Action))
        .await;
    assert_eq!(
        codes(wrong_type),
        ("not_found".into(), Some("not_found".into()))
    );
}

fn shared_name_integration() -> IntegrationConfig {
    IntegrationConfig {
        unique_key: "twins".into(),
        provider: "twins".into(),
        syncs: vec![SyncConfig {
            name: "both".into(),
            ..SyncConfig::default()
        }],
        actions: vec![ActionConfig {
            name: "both".into(),
            kind: ActionKind::Echo,
            model: None,
        }],
        ..IntegrationConfig::default()
    }
}

#[tokio::test]
async fn get_function_code_returns_the_source_or_names_the_ambiguity() {
    let (_emulator, nango) = start_with(vec![shared_name_integration()]).await;
    let code = nango
        .get_function_code(&FunctionRef::new("twins", "both").function_type(FunctionType::Action))
        .await
        .unwrap();
    assert_eq!(code.function_type, FunctionType::Action);
    assert!(code.code.contains("both"), "{}", code.code);

    let err = nango
        .get_function_code(&FunctionRef::new("twins", "both"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert_eq!(err.status(), Some(409));
    let info = err.info();
    assert_eq!(info.server_code.as_deref(), Some("ambiguous_function"));
    let matches = &info.payload.unwrap()["matches"];
    assert_eq!(
        matches,
        &json!([{"type": "sync", "name": "both"}, {"type": "action", "name": "both"}])
    );
}

#[tokio::test]
async fn delete_function_removes_it_and_needs_a_type() {
    let (emulator, nango) = start().await;
    let target = FunctionRef::new("zendesk", "tickets").function_type(FunctionType::Sync);
    let deleted = nango.delete_function(&target).await.unwrap();
    assert!(deleted.data.success);
    let left = nango
        .list_functions(&ListFunctionsParams::new("zendesk"))
        .await
        .unwrap();
    assert!(left.data.iter().all(|f| f.name != "tickets"));
    assert_eq!(
        codes(nango.delete_function(&target).await),
        ("not_found".into(), Some("not_found".into()))
    );
    // Without a type nothing is sent.
    emulator.clear_requests();
    assert_eq!(
        codes(
            nango
                .delete_function(&FunctionRef::new("zendesk", "echo"))
                .await
        ),
        ("invalid_argument".into(), None)
    );
    assert!(
        emulator
            .requests()
            .iter()
            .all(|r| !r.path.contains("/functions"))
    );
}

/// Imports a connection with OAuth 2 credentials (and an end user) through `POST /connections`.
async fn import_connection(nango: &Nango, id: &str, user: &str) {
    let body = json!({
        "provider_config_key": "zendesk",
        "connection_id": id,
        "credentials": {"type": "OAUTH2", "access_token": "at-raw-1", "refresh_token": "rt-raw-1"},
        "end_user": {"id": user},
    });
    let request = Request::new(Method::Post, "/connections", RetryClass::NeverRetry)
        .json_body(&body)
        .unwrap();
    nango.send(&request).await.unwrap();
}

#[tokio::test]
async fn raw_token_response_is_the_stored_provider_answer() {
    let (_emulator, nango) = start().await;
    import_connection(&nango, "raw-1", "user-raw").await;
    let raw = nango
        .get_raw_token_response(&GetConnectionParams::new("zendesk", "raw-1"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(raw.0["access_token"], "at-raw-1");
    assert!(!format!("{raw:?}").contains("at-raw-1"));

    let missing = nango
        .get_raw_token_response(&GetConnectionParams::new("zendesk", "nope"))
        .await
        .unwrap_err();
    assert_eq!(missing.status(), Some(404));
    assert!(
        ["not_found", "unknown_connection"].contains(&missing.code()),
        "{missing}"
    );
}

fn quick_wait(user: &str) -> WaitForConnectionParams {
    WaitForConnectionParams::new("zendesk", user)
        .first_delay(Duration::from_millis(50))
        .interval(Duration::from_millis(50))
        .deadline(Duration::from_secs(5))
}

fn connection_polls(emulator: &EmulatorHandle) -> usize {
    emulator
        .requests()
        .iter()
        .filter(|r| r.path == "/connections" && r.method == "GET")
        .count()
}

#[tokio::test]
async fn wait_for_connection_returns_once_the_user_connects() {
    let (emulator, nango) = start().await;
    // Another user's connection, and this user's connection to another integration, do not count.
    import_connection(&nango, "someone-else", "user-other").await;
    let creator = nango.clone();
    let later = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        import_connection(&creator, "waited-for", "user-wait").await;
    });
    emulator.clear_requests();
    let found = nango
        .wait_for_connection(&quick_wait("user-wait"))
        .await
        .unwrap();
    later.await.unwrap();
    assert_eq!(found.connection_id, "waited-for");
    assert_eq!(found.provider_config_key, "zendesk");
    assert!(
        connection_polls(&emulator) >= 2,
        "it polled until the connection existed"
    );
}

#[tokio::test]
async fn wait_for_connection_times_out_with_a_typed_error() {
    let (_emulator, nango) = start().await;
    let started = Instant::now();
    let params = quick_wait("nobody").deadline(Duration::from_millis(300));
    let err = nango.wait_for_connection(&params).await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout(d) if d == Duration::from_millis(300)),
        "{err:?}"
    );
    assert_eq!(err.code(), "timeout");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn wait_for_connection_stops_polling_when_dropped() {
    let (emulator, nango) = start().await;
    emulator.clear_requests();
    let params = quick_wait("nobody");
    let waiting = nango.wait_for_connection(&params);
    assert!(
        tokio::time::timeout(Duration::from_millis(300), waiting)
            .await
            .is_err()
    );
    let polls = connection_polls(&emulator);
    assert!(polls >= 2, "{polls}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(connection_polls(&emulator), polls, "no poll after the drop");
}

#[tokio::test]
async fn wait_for_connection_ends_at_a_polls_error() {
    let (emulator, _nango) = start().await;
    let wrong = Nango::builder("11111111-2222-4333-8444-555555555555")
        .host(emulator.url())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = wrong
        .wait_for_connection(&quick_wait("u"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "unauthorized");
    assert!(started.elapsed() < Duration::from_secs(2));
}
