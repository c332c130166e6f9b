//! Running syncs: "fetch" the demo provider's data for each model of a sync, reconcile it into the
//! records cache (added/updated/deleted), update the sync's status and emit one webhook per model.

use crate::model::config::IntegrationConfig;
use crate::model::record_store::Changes;
use crate::model::state::{Connection, Shared, SyncState, World, lock, write};
use crate::model::timefmt;
use crate::routes::error::ApiError;
use serde_json::{Map, Value, json};
use uuid::Uuid;

/// The records-collection name for a model under a variant.
pub(crate) fn collection_model(model: &str, variant: &str) -> String {
    if variant.is_empty() || variant == "base" {
        model.to_owned()
    } else {
        format!("{model}::{variant}")
    }
}

/// Creates the base-variant sync states of a new connection.
pub(crate) fn register(world: &mut World, integ: &IntegrationConfig, conn: &Connection) {
    for s in &integ.syncs {
        world
            .syncs
            .entry((conn.id, s.name.clone(), "base".into()))
            .or_insert_with(|| {
                new_state(
                    &s.name,
                    "base",
                    s.models.clone(),
                    &s.frequency,
                    !s.auto_start,
                )
            });
    }
}

pub(crate) fn new_state(
    name: &str,
    variant: &str,
    models: Vec<String>,
    frequency: &str,
    paused: bool,
) -> SyncState {
    SyncState {
        id: Uuid::new_v4(),
        name: name.to_owned(),
        variant: variant.to_owned(),
        models,
        paused,
        frequency: frequency.to_owned(),
        frequency_overridden: false,
        finished_at: None,
        runs: 0,
        latest_result: Map::new(),
        latest_status: "SUCCESS",
    }
}

/// Runs one sync of one connection now. `empty_cache` drops the cached records first.
pub(crate) fn run(
    state: &Shared,
    conn_key: &(String, String),
    sync_name: &str,
    variant: &str,
    empty_cache: bool,
) -> Result<Vec<(String, Changes)>, ApiError> {
    let mut webhooks = Vec::new();
    let results;
    {
        let mut world = lock(&state.world);
        let conn =
            world.connections.get(conn_key).cloned().ok_or_else(|| {
                ApiError::bad_request("unknown_connection", "Connection not found")
            })?;
        let skey = (conn.id, sync_name.to_owned(), variant.to_owned());
        let sync = world.syncs.get(&skey).cloned().ok_or_else(|| {
            ApiError::not_found(
                "unknown_sync",
                format!("Sync {sync_name} not found for this connection"),
            )
        })?;
        let snapshots: Vec<(String, Vec<_>)> = sync
            .models
            .iter()
            .map(|m| {
                (
                    m.clone(),
                    crate::model::provider_data::snapshot(&world, &conn.provider_config_key, m),
                )
            })
            .collect();
        let ts = state.clock.tick();
        let mut out = Vec::new();
        {
            let mut records = write(&state.records);
            for (model, items) in &snapshots {
                let coll = records.collection_mut(conn.id, &collection_model(model, variant));
                if empty_cache {
                    *coll = Default::default();
                }
                out.push((model.clone(), coll.apply_full_sync(items, ts)));
            }
        }
        let initial = sync.runs == 0 || empty_cache;
        world.sync_runs += 1;
        if let Some(s) = world.syncs.get_mut(&skey) {
            s.runs += 1;
            s.finished_at = Some(timefmt::now_micros());
            s.latest_status = "SUCCESS";
            s.latest_result = out
                .iter()
                .map(|(m, c)| {
                    (
                        m.clone(),
                        json!({"added": c.added, "updated": c.updated, "deleted": c.deleted}),
                    )
                })
                .collect();
        }
        for (model, c) in &out {
            if *c == Changes::default() && !state.cfg.webhooks.always_send_sync {
                continue;
            }
            let at = timefmt::iso(ts);
            webhooks.push(json!({
                "from": "nango",
                "type": "sync",
                "connectionId": conn.connection_id,
                "providerConfigKey": conn.provider_config_key,
                "syncName": sync_name,
                "syncVariant": variant,
                "model": model,
                "syncType": if initial { "INITIAL" } else { "INCREMENTAL" },
                "success": true,
                "modifiedAfter": at,
                "queryTimeStamp": at,
                "responseResults": {"added": c.added, "updated": c.updated, "deleted": c.deleted},
            }));
        }
        results = (out, conn.webhook_url_override.clone());
    }
    for w in &webhooks {
        crate::model::webhooks::emit(state, w, results.1.as_deref());
    }
    Ok(results.0)
}

/// [`run`] off the async workers (reconciling a large data set is CPU work).
pub(crate) async fn run_blocking(
    state: &Shared,
    conn_key: &(String, String),
    sync_name: &str,
    variant: &str,
    empty_cache: bool,
) -> Result<Vec<(String, Changes)>, ApiError> {
    let (st, key, name, var) = (
        state.clone(),
        conn_key.clone(),
        sync_name.to_owned(),
        variant.to_owned(),
    );
    tokio::task::spawn_blocking(move || run(&st, &key, &name, &var, empty_cache))
        .await
        .map_err(|_| ApiError::server_error("sync run was interrupted"))?
}

/// Runs every unpaused sync of a connection (on creation and on schedule).
pub(crate) fn run_active(state: &Shared, conn_key: &(String, String)) {
    let syncs: Vec<(String, String)> = {
        let world = lock(&state.world);
        let Some(conn) = world.connections.get(conn_key) else {
            return;
        };
        world
            .syncs
            .iter()
            .filter(|((c, _, _), s)| *c == conn.id && !s.paused)
            .map(|((_, n, v), _)| (n.clone(), v.clone()))
            .collect()
    };
    for (name, variant) in syncs {
        // A connection deleted meanwhile simply has nothing to run.
        let _ = run(state, conn_key, &name, &variant, false);
    }
}

/// Runs all active syncs of all connections (the optional schedule).
pub(crate) fn run_all(state: &Shared) {
    let keys: Vec<(String, String)> = lock(&state.world).connections.keys().cloned().collect();
    for k in keys {
        run_active(state, &k);
    }
}

/// Renders a sync for `GET /sync/status`.
pub(crate) fn status_json(
    s: &SyncState,
    connection_id: Option<&str>,
    record_count: Map<String, Value>,
) -> Value {
    let status = if s.paused { "PAUSED" } else { "SUCCESS" };
    let next = s
        .finished_at
        .map(|f| Value::String(timefmt::iso(f + 300_000_000)))
        .unwrap_or(Value::Null);
    let mut v = json!({
        "id": s.id.to_string(),
        "name": s.name,
        "variant": s.variant,
        "status": status,
        "type": if s.runs > 1 { "INCREMENTAL" } else { "INITIAL" },
        "finishedAt": s.finished_at.map(|f| Value::String(timefmt::iso(f))).unwrap_or(Value::Null),
        "nextScheduledSyncAt": if s.paused { Value::Null } else { next },
        "frequency": s.frequency,
        "latestResult": Value::Object(s.latest_result.clone()),
        "latestExecutionStatus": s.latest_status,
        "recordCount": Value::Object(record_count),
        "checkpoint": Value::Null,
    });
    if let (Some(c), Value::Object(m)) = (connection_id, &mut v) {
        m.insert("connection_id".into(), Value::String(c.to_owned()));
    }
    v
}
