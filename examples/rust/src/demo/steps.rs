//! The four steps. Each returns the one-line detail for the summary table, or why it failed.

use std::fmt::Display;

use nango::auth::{AuthClient, AuthConfig, AuthOptions};
use nango::webhooks::{HMAC_HEADER, SyncWebhook, WebhookPayload, verify_incoming_webhook_request};
use nango::{
    CreateConnectSessionParams, EndUser, GetConnectionParams, ListRecordsParams, Record,
    TriggerActionParams, TriggerSyncParams,
};
use serde_json::{Value, json};

use super::{ACTION, Console, DemoConfig, DemoFacts, Env, INTEGRATION, MODEL, SYNC};
use crate::native_auth::{self, ConsentAgent};
use crate::ticket::Ticket;

pub(super) const TITLES: [&str; 4] = [
    "Connect a user: connect session, then the OAuth popup flow (native host, agent presses Allow)",
    "Receive the signed webhooks on the local receiver",
    "Pull the tickets changed since the webhook's modifiedAfter, paging to the end",
    "Write back with create-ticket, sync, and pull only the new ticket from the checkpoint",
];

type StepResult = Result<String, String>;

/// `?` with a word on what was being done.
trait Context<T> {
    fn context(self, doing: &str) -> Result<T, String>;
}

impl<T, E: Display> Context<T> for Result<T, E> {
    fn context(self, doing: &str) -> Result<T, String> {
        self.map_err(|e| format!("{doing}: {e}"))
    }
}

fn check(ok: bool, failure: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(failure()) }
}

fn connection_of(facts: &DemoFacts) -> Result<String, String> {
    facts
        .connection_id
        .clone()
        .ok_or_else(|| "no connection from step 1".to_owned())
}

fn sync_for<'a>(payload: &'a WebhookPayload, connection_id: &str) -> Option<&'a SyncWebhook> {
    match payload {
        WebhookPayload::Sync(sync)
            if sync.connection_id == connection_id && sync.model == MODEL =>
        {
            Some(sync)
        }
        _ => None,
    }
}

/// Step 1: connect session + OAuth popup flow.
pub(super) async fn connect(
    env: &Env,
    config: &DemoConfig,
    facts: &mut DemoFacts,
    console: &mut Console,
) -> StepResult {
    // Backend: a short-lived token that lets one end user connect one integration.
    let session = env
        .nango
        .create_connect_session(&CreateConnectSessionParams {
            end_user: Some(EndUser {
                id: "demo-user-1".into(),
                email: Some("ada@example.com".into()),
                display_name: Some("Ada Lovelace".into()),
                ..Default::default()
            }),
            allowed_integrations: Some(vec![INTEGRATION.into()]),
            ..Default::default()
        })
        .await
        .context("creating the connect session")?;
    console.say(format!(
        "      connect session created (token redacted), expires {}",
        session.data.expires_at
    ));

    // Frontend: what `nango.auth('zendesk')` does in a browser, with the native host.
    let client = AuthClient::new(
        AuthConfig::new()
            .host(env.emulator.url())
            .connect_session_token(session.data.token.clone()),
    )
    .context("configuring the auth client")?;
    let agent = ConsentAgent::allow().context("starting the consent agent")?;
    let timeout_ms = u32::try_from(config.auth_timeout.as_millis()).unwrap_or(u32::MAX);
    let options = AuthOptions::new().timeout_ms(timeout_ms);
    console.say(format!(
        "      WebSocket {} ; agent follows /oauth/connect/{INTEGRATION} and presses Allow",
        client.websocket_url()
    ));
    let success = native_auth::authorize(&client, INTEGRATION, None, &options, agent)
        .await
        .map_err(|e| format!("OAuth flow failed [{}]: {e}", e.kind))?;
    let connection_id = success
        .connection_id
        .ok_or("the flow succeeded without a connection id")?;
    console.say(format!(
        "      WebSocket said success: connection {connection_id} on {}",
        success.provider_config_key
    ));

    // Backend again: the connection exists and holds OAuth2 credentials.
    let connection = env
        .nango
        .get_connection(&GetConnectionParams::new(INTEGRATION, &connection_id))
        .await
        .context("reading the new connection")?;
    let credential_type = connection
        .credentials
        .as_ref()
        .and_then(|c| c.get("type"))
        .and_then(Value::as_str)
        .unwrap_or("none")
        .to_owned();
    check(credential_type == "OAUTH2", || {
        format!("expected OAUTH2 credentials, got {credential_type}")
    })?;
    console.say(format!(
        "      GET /connections/{connection_id}: provider {}, {credential_type} credentials",
        connection.provider.as_deref().unwrap_or("?")
    ));
    facts.connection_id = Some(connection_id.clone());
    Ok(format!("connection {connection_id}"))
}

/// Step 2: the `auth` and first `sync` webhooks, verified.
pub(super) async fn webhooks(
    env: &mut Env,
    config: &DemoConfig,
    facts: &mut DemoFacts,
    console: &mut Console,
) -> StepResult {
    let connection_id = connection_of(facts)?;
    let auth = env
        .receiver
        .wait_for(
            "auth",
            config.webhook_wait,
            |p| matches!(p, WebhookPayload::Auth(a) if a.connection_id == connection_id),
        )
        .await
        .context("waiting for the auth webhook")?;
    let WebhookPayload::Auth(auth_payload) = &auth.payload else {
        return Err("the auth webhook changed type".into());
    };
    check(auth_payload.success, || {
        "the auth webhook reports a failure".into()
    })?;
    console.say(format!(
        "      auth webhook: operation {}, success, authMode {}  [HMAC-SHA256 verified]",
        auth_payload.operation.as_str(),
        auth_payload.auth_mode
    ));

    let sync = env
        .receiver
        .wait_for("sync", config.webhook_wait, |p| {
            sync_for(p, &connection_id).is_some()
        })
        .await
        .context("waiting for the sync webhook")?;
    let Some(sync_payload) = sync_for(&sync.payload, &connection_id) else {
        return Err("the sync webhook changed type".into());
    };
    check(sync_payload.success, || {
        "the sync webhook reports a failure".into()
    })?;
    let results = sync_payload
        .response_results
        .ok_or("the sync webhook has no responseResults")?;
    let modified_after = sync_payload
        .modified_after
        .clone()
        .ok_or("the sync webhook has no modifiedAfter")?;
    console.say(format!(
        "      sync webhook: {}/{} {} +{} ~{} -{}, modifiedAfter {modified_after}  [verified]",
        sync_payload.sync_name,
        sync_payload.model,
        sync_payload.sync_type,
        results.added,
        results.updated,
        results.deleted
    ));

    // The check is real: one flipped byte and the same signature no longer verifies.
    let mut tampered = sync.raw_body.clone();
    if let Some(last) = tampered.last_mut() {
        *last ^= 0x01;
    }
    let headers = [(HMAC_HEADER, sync.signature.as_str())];
    check(
        verify_incoming_webhook_request(env.emulator.signing_key(), &sync.raw_body, headers)
            && !verify_incoming_webhook_request(env.emulator.signing_key(), &tampered, headers),
        || "the signature check does not tell a tampered body apart".into(),
    )?;
    console.say("      a copy with one byte flipped fails verification, as it must");
    facts.initial_added = results.added;
    check(results.added > 0, || "the first sync added nothing".into())?;
    // Step 3 lists from here.
    facts.modified_after = Some(modified_after);
    Ok(format!(
        "auth + sync (+{} tickets), {} verified",
        results.added,
        env.receiver.verified()
    ))
}

/// Step 3: every ticket changed since `modifiedAfter`, page by page, then the checkpoint.
pub(super) async fn records(
    env: &Env,
    config: &DemoConfig,
    facts: &mut DemoFacts,
    console: &mut Console,
) -> StepResult {
    let connection_id = connection_of(facts)?;
    let modified_after = facts
        .modified_after
        .clone()
        .ok_or("no modifiedAfter from step 2")?;
    let mut params =
        ListRecordsParams::new(INTEGRATION, &connection_id, MODEL).limit(config.page_size);
    params.modified_after = Some(modified_after);
    // Core's pager: a Stream of pages that fetches the next one while we read this one.
    let mut pages = env.nango.record_pages::<Record<Ticket>>(params);
    let mut tickets: Vec<Ticket> = Vec::new();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next_page().await {
        let page = page.context("listing records")?;
        sizes.push(page.records.len().to_string());
        tickets.extend(page.records.into_iter().map(|r| r.data));
    }
    let checkpoint = pages
        .checkpoint()
        .map(str::to_owned)
        .ok_or("no checkpoint after listing")?;
    console.say(format!(
        "      {} pages of up to {}: [{}] tickets",
        sizes.len(),
        config.page_size,
        sizes.join(", ")
    ));
    let expected = usize::try_from(facts.initial_added).unwrap_or(usize::MAX);
    check(tickets.len() == expected, || {
        format!(
            "listed {} tickets, the webhook announced {expected}",
            tickets.len()
        )
    })?;
    let mut ids: Vec<&str> = tickets.iter().map(|t| t.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    check(ids.len() == tickets.len(), || {
        "a ticket was listed twice".into()
    })?;
    if let Some(first) = tickets.first() {
        console.say(format!(
            "      e.g. #{} \"{}\" ({}), decoded into the caller's own Ticket type",
            first.id, first.title, first.status
        ));
    }
    console.say(format!(
        "      checkpoint saved: {}…",
        checkpoint.chars().take(24).collect::<String>()
    ));
    facts.initial_records = tickets.len();
    facts.initial_pages = sizes.len();
    facts.checkpoint = Some(checkpoint);
    Ok(format!(
        "{} tickets in {} pages, checkpoint saved",
        tickets.len(),
        sizes.len()
    ))
}

/// Step 4: `create-ticket`, a new sync and its webhook, then only the new ticket.
pub(super) async fn write_back(
    env: &mut Env,
    config: &DemoConfig,
    facts: &mut DemoFacts,
    console: &mut Console,
) -> StepResult {
    let connection_id = connection_of(facts)?;
    let checkpoint = facts
        .checkpoint
        .clone()
        .ok_or("no checkpoint from step 3")?;
    let created: Ticket = env
        .nango
        .trigger_action(
            &TriggerActionParams::new(INTEGRATION, &connection_id, ACTION)
                .input(json!({"title": "Printer on fire", "priority": "high"})),
        )
        .await
        .context("triggering create-ticket")?;
    console.say(format!(
        "      {ACTION} -> ticket #{} \"{}\" ({})",
        created.id, created.title, created.status
    ));
    check(created.title == "Printer on fire", || {
        format!("the action returned {:?}", created.title)
    })?;

    env.nango
        .trigger_sync(&TriggerSyncParams {
            provider_config_key: INTEGRATION.into(),
            syncs: vec![SYNC.into()],
            connection_id: Some(connection_id.clone()),
            ..Default::default()
        })
        .await
        .context("triggering the sync")?;
    let webhook = env
        .receiver
        .wait_for("second sync", config.webhook_wait, |p| {
            sync_for(p, &connection_id).is_some()
        })
        .await
        .context("waiting for the second sync webhook")?;
    let added = sync_for(&webhook.payload, &connection_id)
        .and_then(|s| s.response_results.as_ref())
        .map(|r| (r.added, r.updated, r.deleted));
    console.say(format!(
        "      sync triggered; webhook: +{} ~{} -{}  [verified]",
        added.map_or(0, |a| a.0),
        added.map_or(0, |a| a.1),
        added.map_or(0, |a| a.2)
    ));
    check(added == Some((1, 0, 0)), || {
        format!("expected exactly one added ticket, the webhook says {added:?}")
    })?;

    // From the checkpoint: only what changed since step 3. A Stream of records this time.
    let params = ListRecordsParams::new(INTEGRATION, &connection_id, MODEL).cursor(checkpoint);
    let mut stream = env.nango.records::<Record<Ticket>>(params);
    let mut new_tickets = Vec::new();
    while let Some(record) = stream.next_record().await {
        let record = record.context("listing from the checkpoint")?;
        console.say(format!(
            "      from the checkpoint: #{} \"{}\" ({})",
            record.data.id,
            record.data.title,
            record.metadata.last_action.as_str()
        ));
        new_tickets.push(record.data);
    }
    let next_checkpoint = stream.checkpoint().map(str::to_owned);
    check(
        new_tickets.len() == 1 && new_tickets[0].id == created.id,
        || {
            format!(
                "expected exactly ticket #{} from the checkpoint, got {:?}",
                created.id,
                new_tickets.iter().map(|t| &t.id).collect::<Vec<_>>()
            )
        },
    )?;
    console.say("      exactly the created ticket, nothing else; checkpoint advanced");
    facts.checkpoint = next_checkpoint;
    let detail = format!(
        "ticket #{} created, synced, 1 record from checkpoint",
        created.id
    );
    facts.created_ticket = Some(created);
    facts.new_records = new_tickets;
    Ok(detail)
}
