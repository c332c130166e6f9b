//! Core's typed answers decode what the emulator sends. The emulator's answers are checked against
//! the response contract (tests/vectors/responses, by emulator/tests/contract.rs); this test closes
//! the loop on the client side, one typed call per operation whose answer core types.

#![allow(clippy::unwrap_used)]

use nango::records::ListRecordsParams;
use nango::syncs::{SyncRef, SyncSelection, SyncStatusParams, UpdateFrequencyParams};
use nango::{
    CreateConnectSessionParams, EndUser, GetConnectionParams, ListConnectionsParams, Nango,
    TriggerActionParams,
};
use nango_emulator::Emulator;
use serde_json::{Value, json};

#[tokio::test]
async fn core_types_decode_the_emulators_answers() {
    let emulator = Emulator::builder()
        .connection("zendesk", "conn-1")
        .start()
        .await
        .unwrap();
    let nango = Nango::builder(emulator.secret_key())
        .host(emulator.url())
        .build()
        .unwrap();

    let list = nango
        .list_connections(&ListConnectionsParams::default())
        .await
        .unwrap();
    assert_eq!(list.connections.len(), 1);
    let conn = nango
        .get_connection(&GetConnectionParams {
            provider_config_key: "zendesk".into(),
            connection_id: "conn-1".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(conn.connection_id, "conn-1");
    let integrations = nango.list_integrations().await.unwrap();
    assert!(!integrations.data.is_empty());
    assert!(nango.get_environment_variables().await.unwrap().is_empty());
    let session = nango
        .create_connect_session(&CreateConnectSessionParams {
            end_user: Some(EndUser {
                id: "u1".into(),
                ..Default::default()
            }),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(session.data.token.starts_with("nango_connect_session_"));

    let page = nango
        .list_records::<Value>(&ListRecordsParams {
            provider_config_key: "zendesk".into(),
            connection_id: "conn-1".into(),
            model: "Ticket".into(),
            limit: Some(2),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.records.len(), 2);
    assert!(page.next_cursor.is_some());

    let status = nango
        .sync_status(&SyncStatusParams {
            provider_config_key: "zendesk".into(),
            syncs: SyncSelection::All("*".into()),
            connection_id: Some("conn-1".into()),
        })
        .await
        .unwrap();
    assert_eq!(status.syncs.len(), 1);
    let freq = nango
        .update_sync_connection_frequency(&UpdateFrequencyParams {
            provider_config_key: "zendesk".into(),
            sync: Some(SyncRef::Name("tickets".into())),
            connection_id: "conn-1".into(),
            frequency: Some("every hour".into()),
        })
        .await
        .unwrap();
    assert_eq!(freq.frequency.as_deref(), Some("every hour"));

    let handle = nango
        .trigger_action_async(&TriggerActionParams {
            provider_config_key: "zendesk".into(),
            connection_id: "conn-1".into(),
            action_name: "echo".into(),
            input: Some(json!({"n": 1})),
        })
        .await
        .unwrap();
    assert!(handle.status_url.starts_with("/action/"));
}
