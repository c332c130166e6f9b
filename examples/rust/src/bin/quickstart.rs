//! Quickstart: the four steps of an integration with the `nango` crate, as you would write them
//! in your app. Copy what you need.
//!
//! ```text
//! cargo run -p nango-examples --bin quickstart            # against a built-in emulator
//! NANGO_HOST=https://api.nango.dev NANGO_SECRET_KEY=… NANGO_WEBHOOK_SIGNING_KEY=… \
//! NANGO_PUBLIC_WEBHOOK_URL=https://<your tunnel>/webhook cargo run -p nango-examples --bin quickstart
//! ```
//!
//! Against a real Nango, the consent page opens in your browser, and Nango must be able to
//! reach the webhook receiver (port `NANGO_WEBHOOK_PORT`) at `NANGO_PUBLIC_WEBHOOK_URL`.

use std::error::Error;
use std::time::Duration;

use futures_util::TryStreamExt;
use nango::auth::{AuthClient, AuthConfig, AuthOptions};
use nango::webhooks::WebhookPayload;
use nango::{
    CreateConnectSessionParams, EndUser, ListRecordsParams, Nango, Record, TriggerActionParams,
    TriggerSyncParams,
};
use nango_examples::native_auth::{self, ConsentAgent, SystemBrowser};
use nango_examples::webhook_receiver::WebhookReceiver;
use serde::Deserialize;
use serde_json::json;

/// Your own type for the records of the `Ticket` model: only the fields you need.
#[derive(Debug, Deserialize)]
struct Ticket {
    id: String,
    title: String,
    status: String,
}

const INTEGRATION: &str = "zendesk";
const WAIT: Duration = Duration::from_secs(15);

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    // 0. A Nango to talk to: yours (NANGO_HOST), or an emulator in this process.
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let mut emulator = None;
    let (host, secret_key, signing_key) = match env("NANGO_HOST") {
        Some(host) => (
            host,
            env("NANGO_SECRET_KEY").ok_or("set NANGO_SECRET_KEY")?,
            env("NANGO_WEBHOOK_SIGNING_KEY").ok_or("set NANGO_WEBHOOK_SIGNING_KEY")?,
        ),
        None => {
            let emu = nango_emulator::Emulator::builder().start().await?;
            let keys = (
                emu.url().to_owned(),
                emu.secret_key().to_owned(),
                emu.signing_key().to_owned(),
            );
            emulator = Some(emu);
            keys
        }
    };
    let nango = Nango::builder(secret_key)
        .host(&host)
        .webhook_signing_key(&signing_key)
        .timeout(Duration::from_secs(30))
        .build()?;

    // Your backend's webhook endpoint (here: a local one that verifies every signature).
    let mut webhooks = WebhookReceiver::start(signing_key).await?;
    let webhook_url = env("NANGO_PUBLIC_WEBHOOK_URL").unwrap_or_else(|| webhooks.url().to_owned());

    // 1. Connect a user: a connect session (backend), then the OAuth flow (frontend side).
    let session = nango
        .create_connect_session(&CreateConnectSessionParams {
            end_user: Some(EndUser {
                id: "user-42".into(),
                ..Default::default()
            }),
            allowed_integrations: Some(vec![INTEGRATION.into()]),
            // Webhooks of this connection go to our receiver.
            webhook_url_override: Some(webhook_url),
            ..Default::default()
        })
        .await?;
    let auth = AuthClient::new(
        AuthConfig::new()
            .host(&host)
            .connect_session_token(session.data.token),
    )?;
    let options = AuthOptions::new().timeout_ms(120_000);
    let connected = if emulator.is_some() {
        // The emulator's demo provider: an agent presses "Allow" for you.
        native_auth::authorize(&auth, INTEGRATION, None, &options, ConsentAgent::allow()?).await?
    } else {
        println!("Finish the authorization in your browser…");
        native_auth::authorize(&auth, INTEGRATION, None, &options, SystemBrowser::new()).await?
    };
    let connection_id = connected.connection_id.ok_or("no connection id")?;
    println!("1. connected: {connection_id}");

    // 2. Nango tells us when the sync has new data (signature verified by the receiver).
    let is_our_sync = |p: &WebhookPayload| matches!(p, WebhookPayload::Sync(s) if s.connection_id == connection_id);
    let webhook = webhooks.wait_for("sync", WAIT, is_our_sync).await?;
    let WebhookPayload::Sync(sync) = webhook.payload else {
        return Err("not a sync webhook".into());
    };
    println!(
        "2. sync webhook: {} {:?}",
        sync.model, sync.response_results
    );

    // 3. Pull what changed since `modifiedAfter`: a Stream of records into your own type.
    let mut params = ListRecordsParams::new(INTEGRATION, &connection_id, sync.model.as_str());
    params.modified_after = sync.modified_after;
    let mut records = nango.records::<Record<Ticket>>(params.clone());
    let mut count = 0;
    while let Some(record) = records.try_next().await? {
        count += 1;
        if count == 1 {
            let Ticket { id, title, status } = &record.data;
            println!("   first: #{id} {title} ({status})");
        }
    }
    // Save this per connection and model; the next pull starts here.
    let checkpoint = records.checkpoint().ok_or("no records")?.to_owned();
    println!("3. pulled {count} tickets; checkpoint saved");

    // 4. Write back through an action, sync again, and pull only the change.
    let created: Ticket = nango
        .trigger_action(
            &TriggerActionParams::new(INTEGRATION, &connection_id, "create-ticket")
                .input(json!({"title": "Printer on fire"})),
        )
        .await?;
    nango
        .trigger_sync(&TriggerSyncParams {
            provider_config_key: INTEGRATION.into(),
            syncs: vec!["tickets".into()],
            connection_id: Some(connection_id.clone()),
            ..Default::default()
        })
        .await?;
    webhooks.wait_for("second sync", WAIT, is_our_sync).await?;
    params.modified_after = None;
    let changed: Vec<Record<Ticket>> = nango
        .records(params.cursor(checkpoint))
        .try_collect()
        .await?;
    println!(
        "4. created #{}; changed since the checkpoint: {:?}",
        created.id,
        changed
            .iter()
            .map(|r| r.data.id.as_str())
            .collect::<Vec<_>>()
    );
    if changed.len() != 1 || changed[0].data.id != created.id {
        return Err("expected exactly the created ticket after the checkpoint".into());
    }

    webhooks.shutdown().await;
    if let Some(emu) = emulator {
        emu.shutdown().await;
    }
    Ok(())
}
