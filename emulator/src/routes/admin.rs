//! The admin API under `/_emulator` (Bearer secret key): faults, rate limit, provider data
//! mutations, running syncs, counters, request log, webhook log, connections shortcuts.

use crate::model::config::RateLimitConfig;
use crate::model::faults::Fault;
use crate::model::provider_data::{Update, mutate};
use crate::model::state::{Credentials, Shared, lock};
use crate::routes::auth::require_secret;
use crate::routes::connections::{NewConnection, connection_json, upsert_blocking};
use crate::routes::error::ApiError;
use crate::routes::query::json_body_any_type;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

type R = Result<Response, ApiError>;

fn ok(v: Value) -> R {
    Ok(axum::Json(v).into_response())
}

/// `GET /_emulator/health` (no auth)
pub(crate) async fn health() -> Response {
    axum::Json(json!({"ok": true})).into_response()
}

/// `GET /_emulator/faults`
pub(crate) async fn list_faults(State(s): State<Shared>, h: HeaderMap) -> R {
    require_secret(&s, &h)?;
    let list: Vec<Value> = lock(&s.faults)
        .list()
        .into_iter()
        .map(|(id, f)| {
            let mut v = serde_json::to_value(f).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut v {
                m.insert("id".into(), json!(id));
            }
            v
        })
        .collect();
    ok(json!({"faults": list}))
}

#[derive(Deserialize)]
#[serde(untagged)]
enum FaultInput {
    One(Fault),
    Many(Vec<Fault>),
}

/// `POST /_emulator/faults` with one fault or an array.
pub(crate) async fn add_faults(State(s): State<Shared>, h: HeaderMap, body: Bytes) -> R {
    require_secret(&s, &h)?;
    let input: FaultInput = json_body_any_type(&body)?;
    let faults = match input {
        FaultInput::One(f) => vec![f],
        FaultInput::Many(v) => v,
    };
    let mut state = lock(&s.faults);
    let ids: Vec<u64> = faults.into_iter().map(|f| state.add(f)).collect();
    Ok((StatusCode::CREATED, axum::Json(json!({"ids": ids}))).into_response())
}

/// `DELETE /_emulator/faults`
pub(crate) async fn clear_faults(State(s): State<Shared>, h: HeaderMap) -> R {
    require_secret(&s, &h)?;
    lock(&s.faults).clear();
    ok(json!({"success": true}))
}

/// `PUT /_emulator/rate-limit` `{limit, window_secs}`; `DELETE` turns it off.
pub(crate) async fn set_rate_limit(State(s): State<Shared>, h: HeaderMap, body: Bytes) -> R {
    require_secret(&s, &h)?;
    let cfg: RateLimitConfig = json_body_any_type(&body)?;
    lock(&s.faults).set_rate_limit(Some(cfg));
    ok(json!({"rate_limit": cfg}))
}

pub(crate) async fn clear_rate_limit(State(s): State<Shared>, h: HeaderMap) -> R {
    require_secret(&s, &h)?;
    lock(&s.faults).set_rate_limit(None);
    ok(json!({"rate_limit": null}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MutateBody {
    integration: String,
    model: String,
    #[serde(default)]
    add: usize,
    #[serde(default)]
    update: usize,
    #[serde(default)]
    delete: usize,
    #[serde(default)]
    update_ids: Option<Vec<String>>,
    #[serde(default)]
    delete_ids: Option<Vec<String>>,
}

/// `POST /_emulator/provider/mutate`: changes the provider's data; the next sync reports it.
pub(crate) async fn provider_mutate(State(s): State<Shared>, h: HeaderMap, body: Bytes) -> R {
    require_secret(&s, &h)?;
    let b: MutateBody = json_body_any_type(&body)?;
    let integ = s
        .integration(&b.integration)
        .ok_or_else(|| ApiError::not_found("unknown_provider_config", "Integration not found"))?;
    if !integ.models.iter().any(|m| m.name == b.model) {
        return Err(ApiError::not_found("unknown_model", "Model not found"));
    }
    let update = b
        .update_ids
        .map(Update::Ids)
        .unwrap_or(Update::Count(b.update));
    let delete = b
        .delete_ids
        .map(Update::Ids)
        .unwrap_or(Update::Count(b.delete));
    let m = mutate(
        &mut lock(&s.world),
        &s.cfg,
        &b.integration,
        &b.model,
        b.add,
        update,
        delete,
    );
    ok(serde_json::to_value(m).unwrap_or(Value::Null))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SyncRunBody {
    provider_config_key: String,
    connection_id: String,
    #[serde(default)]
    sync: Option<String>,
    #[serde(default)]
    variant: Option<String>,
}

/// `POST /_emulator/sync/run`: runs a sync (or every active one) now; returns the change counts.
pub(crate) async fn sync_run(State(s): State<Shared>, h: HeaderMap, body: Bytes) -> R {
    require_secret(&s, &h)?;
    let b: SyncRunBody = json_body_any_type(&body)?;
    let key = (b.provider_config_key.clone(), b.connection_id.clone());
    let names: Vec<(String, String)> = match b.sync {
        Some(n) => vec![(n, b.variant.unwrap_or_else(|| "base".into()))],
        None => {
            let world = lock(&s.world);
            let id = world.connections.get(&key).map(|c| c.id).ok_or_else(|| {
                ApiError::bad_request("unknown_connection", "Connection not found")
            })?;
            world
                .syncs
                .keys()
                .filter(|(c, _, _)| *c == id)
                .map(|(_, n, v)| (n.clone(), v.clone()))
                .collect()
        }
    };
    let mut results = serde_json::Map::new();
    for (n, v) in names {
        let out = crate::model::sync_engine::run_blocking(&s, &key, &n, &v, false).await?;
        for (model, c) in out {
            results.insert(model, serde_json::to_value(c).unwrap_or(Value::Null));
        }
    }
    ok(json!({"results": results}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConnBody {
    provider_config_key: String,
    #[serde(default)]
    connection_id: Option<String>,
}

/// `POST /_emulator/connections`: creates a connection directly (credentials issued by the demo
/// provider), runs its auto-start syncs and sends the auth webhook.
pub(crate) async fn create_connection(State(s): State<Shared>, h: HeaderMap, body: Bytes) -> R {
    require_secret(&s, &h)?;
    let b: ConnBody = json_body_any_type(&body)?;
    let (conn, _) = upsert_blocking(
        &s,
        NewConnection {
            provider_config_key: b.provider_config_key,
            connection_id: b
                .connection_id
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
            ..Default::default()
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(connection_json(&conn, None)),
    )
        .into_response())
}

/// `POST /_emulator/connections/expire-token`: the access token expires now (next read refreshes).
pub(crate) async fn expire_token(State(s): State<Shared>, h: HeaderMap, body: Bytes) -> R {
    require_secret(&s, &h)?;
    let b: ConnBody = json_body_any_type(&body)?;
    let key = (b.provider_config_key, b.connection_id.unwrap_or_default());
    let mut world = lock(&s.world);
    let conn = world
        .connections
        .get_mut(&key)
        .ok_or_else(|| ApiError::bad_request("unknown_connection", "Connection not found"))?;
    let mut token = None;
    if let Credentials::OAuth2 {
        expires_at,
        access_token,
        ..
    } = &mut conn.credentials
    {
        *expires_at = crate::model::timefmt::now_micros() - 1_000_000;
        token = Some(access_token.clone());
    }
    if let Some(t) = token {
        if let Some(info) = world.access_tokens.get_mut(&t) {
            info.expires_at = crate::model::timefmt::now_micros() - 1_000_000;
        }
    }
    ok(json!({"success": true}))
}

/// `POST /_emulator/connections/revoke`: the provider forgets the connection's refresh token, so the
/// next refresh fails with `invalid_credentials`.
pub(crate) async fn revoke(State(s): State<Shared>, h: HeaderMap, body: Bytes) -> R {
    require_secret(&s, &h)?;
    let b: ConnBody = json_body_any_type(&body)?;
    let key = (b.provider_config_key, b.connection_id.unwrap_or_default());
    let mut world = lock(&s.world);
    let refresh = match world.connections.get(&key).map(|c| &c.credentials) {
        Some(Credentials::OAuth2 { refresh_token, .. }) => refresh_token.clone(),
        Some(_) => None,
        None => {
            return Err(ApiError::bad_request(
                "unknown_connection",
                "Connection not found",
            ));
        }
    };
    if let Some(r) = refresh {
        world.refresh_tokens.remove(&r);
    }
    ok(json!({"success": true}))
}

/// `GET /_emulator/counters`
pub(crate) async fn counters(State(s): State<Shared>, h: HeaderMap) -> R {
    require_secret(&s, &h)?;
    let (actions, sync_runs, webhooks) = {
        let w = lock(&s.world);
        (
            w.action_counts.clone(),
            w.sync_runs,
            w.webhook_deliveries.len(),
        )
    };
    let obs = lock(&s.observed);
    ok(json!({
        "requests_total": obs.total_requests,
        "requests": obs.request_counts,
        "response_bytes": obs.response_bytes,
        "response_encodings": obs.response_encodings,
        "actions": actions,
        "sync_runs": sync_runs,
        "webhook_deliveries": webhooks,
    }))
}

/// `DELETE /_emulator/counters`
pub(crate) async fn reset_counters(State(s): State<Shared>, h: HeaderMap) -> R {
    require_secret(&s, &h)?;
    {
        let mut w = lock(&s.world);
        w.action_counts.clear();
        w.sync_runs = 0;
    }
    let mut obs = lock(&s.observed);
    obs.total_requests = 0;
    obs.request_counts.clear();
    obs.response_bytes = 0;
    obs.response_encodings.clear();
    ok(json!({"success": true}))
}

/// `GET /_emulator/requests`
pub(crate) async fn requests(State(s): State<Shared>, h: HeaderMap) -> R {
    require_secret(&s, &h)?;
    let list: Vec<Value> = lock(&s.observed)
        .requests
        .iter()
        .map(|r| {
            let headers: serde_json::Map<String, Value> = r.headers.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
            json!({"method": r.method, "path": r.path, "query": r.query, "headers": headers, "body": r.body})
        })
        .collect();
    ok(json!({"requests": list}))
}

/// `DELETE /_emulator/requests`
pub(crate) async fn clear_requests(State(s): State<Shared>, h: HeaderMap) -> R {
    require_secret(&s, &h)?;
    lock(&s.observed).requests.clear();
    ok(json!({"success": true}))
}

/// `GET /_emulator/webhooks`: deliveries so far (url, exact body, attempt outcomes).
pub(crate) async fn webhooks(State(s): State<Shared>, h: HeaderMap) -> R {
    require_secret(&s, &h)?;
    let list = lock(&s.world).webhook_deliveries.clone();
    ok(json!({"deliveries": list}))
}

/// `DELETE /_emulator/webhooks`
pub(crate) async fn clear_webhooks(State(s): State<Shared>, h: HeaderMap) -> R {
    require_secret(&s, &h)?;
    lock(&s.world).webhook_deliveries.clear();
    ok(json!({"success": true}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WebhookUrlBody {
    url: Option<String>,
}

/// `PUT /_emulator/webhook-url` `{url}` (null disables webhooks).
pub(crate) async fn set_webhook_url(State(s): State<Shared>, h: HeaderMap, body: Bytes) -> R {
    require_secret(&s, &h)?;
    let b: WebhookUrlBody = json_body_any_type(&body)?;
    lock(&s.world).webhook_url = b.url.clone();
    ok(json!({"url": b.url}))
}
