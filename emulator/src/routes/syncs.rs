//! `/sync/*` routes: trigger, start, pause, status, frequency updates and variants.

use crate::model::state::{Shared, lock};
use crate::model::sync_engine;
use crate::routes::auth::require_secret;
use crate::routes::error::{ApiError, Issue};
use crate::routes::query::{Query, json_body};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
#[serde(untagged)]
enum SyncRef {
    Name(String),
    Variant { name: String, variant: String },
}

impl SyncRef {
    fn parts(&self) -> (String, String) {
        match self {
            Self::Name(n) => (n.clone(), "base".into()),
            Self::Variant { name, variant } => (name.clone(), variant.clone()),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct TriggerOpts {
    #[serde(default)]
    reset: Option<bool>,
    #[serde(default, rename = "emptyCache")]
    empty_cache: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TriggerBody {
    /// Required (an empty list means all of the connection's syncs).
    syncs: Vec<SyncRef>,
    provider_config_key: String,
    #[serde(default)]
    connection_id: Option<String>,
    #[serde(default)]
    opts: Option<TriggerOpts>,
    #[serde(default)]
    sync_mode: Option<String>,
    #[serde(default)]
    full_resync: Option<bool>,
}

/// The connections a sync command addresses: one, or all of the integration's.
fn target_connections(
    state: &Shared,
    pck: &str,
    connection_id: Option<&str>,
) -> Result<Vec<(String, String)>, ApiError> {
    state.known_integration(pck)?;
    let world = lock(&state.world);
    match connection_id {
        Some(c) => {
            let key = (pck.to_owned(), c.to_owned());
            if world.connections.contains_key(&key) {
                Ok(vec![key])
            } else {
                Err(ApiError::bad_request(
                    "unknown_connection",
                    "Connection not found",
                ))
            }
        }
        None => Ok(world
            .connections
            .keys()
            .filter(|(p, _)| p == pck)
            .cloned()
            .collect()),
    }
}

/// The (name, variant) pairs to act on: those named, or all the connection has.
fn selected(
    state: &Shared,
    conn: &(String, String),
    names: &[(String, String)],
) -> Result<Vec<(String, String)>, ApiError> {
    let world = lock(&state.world);
    let id = world
        .connections
        .get(conn)
        .map(|c| c.id)
        .unwrap_or_default();
    let existing: Vec<(String, String)> = world
        .syncs
        .keys()
        .filter(|(c, _, _)| *c == id)
        .map(|(_, n, v)| (n.clone(), v.clone()))
        .collect();
    if names.is_empty() {
        return Ok(existing);
    }
    for n in names {
        if !existing.contains(n) {
            return Err(ApiError::validation(
                "invalid_body",
                vec![Issue::new(
                    "custom",
                    format!(
                        "Unknown sync {}{}",
                        n.0,
                        if n.1 == "base" {
                            String::new()
                        } else {
                            format!("::{}", n.1)
                        }
                    ),
                    &["syncs"],
                )],
            ));
        }
    }
    Ok(names.to_vec())
}

/// `POST /sync/trigger`: runs the syncs now (before answering, so the records are there when the
/// caller reads them).
pub(crate) async fn trigger(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    Query::parse(raw.as_deref()).empty()?;
    let b: TriggerBody = json_body(&headers, &body)?;
    let opts = b.opts.unwrap_or_default();
    let empty_cache = opts.empty_cache.unwrap_or(false)
        || b.sync_mode.as_deref() == Some("full_refresh_and_clear_cache");
    let _full = opts.reset.unwrap_or(false)
        || b.full_resync.unwrap_or(false)
        || b.sync_mode.as_deref() == Some("full_refresh");
    let names: Vec<(String, String)> = b.syncs.iter().map(SyncRef::parts).collect();
    for conn in target_connections(&state, &b.provider_config_key, b.connection_id.as_deref())? {
        for (name, variant) in selected(&state, &conn, &names)? {
            sync_engine::run_blocking(&state, &conn, &name, &variant, empty_cache).await?;
        }
    }
    Ok(axum::Json(json!({"success": true})).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StartPauseBody {
    syncs: Vec<SyncRef>,
    provider_config_key: String,
    #[serde(default)]
    connection_id: Option<String>,
}

async fn set_paused(
    state: Shared,
    headers: HeaderMap,
    raw: Option<String>,
    body: Bytes,
    paused: bool,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    Query::parse(raw.as_deref()).empty()?;
    let b: StartPauseBody = json_body(&headers, &body)?;
    let names: Vec<(String, String)> = b.syncs.iter().map(SyncRef::parts).collect();
    for conn in target_connections(&state, &b.provider_config_key, b.connection_id.as_deref())? {
        let chosen = selected(&state, &conn, &names)?;
        let mut world = lock(&state.world);
        let id = world
            .connections
            .get(&conn)
            .map(|c| c.id)
            .unwrap_or_default();
        for (n, v) in chosen {
            if let Some(s) = world.syncs.get_mut(&(id, n, v)) {
                s.paused = paused;
            }
        }
    }
    Ok(axum::Json(json!({"success": true})).into_response())
}

/// `POST /sync/start`
pub(crate) async fn start(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    set_paused(state, headers, raw, body, false).await
}

/// `POST /sync/pause`
pub(crate) async fn pause(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    set_paused(state, headers, raw, body, true).await
}

/// `GET /sync/status?syncs=*|a,b::variant&provider_config_key=&connection_id=`
pub(crate) async fn status(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    let q = Query::parse(raw.as_deref());
    q.only(&["syncs", "provider_config_key", "connection_id"])?;
    let syncs = q
        .get("syncs")
        .ok_or_else(|| crate::routes::query::query_issue("syncs", "Required"))?;
    let pck = q
        .get("provider_config_key")
        .ok_or_else(|| crate::routes::query::query_issue("provider_config_key", "Required"))?;
    let names: Vec<(String, String)> = if syncs == "*" {
        Vec::new()
    } else {
        syncs
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| match s.split_once("::") {
                Some((n, v)) => (n.to_owned(), v.to_owned()),
                None => (s.to_owned(), "base".to_owned()),
            })
            .collect()
    };
    let mut out = Vec::new();
    let conn_param = q.get("connection_id");
    for conn in target_connections(&state, pck, conn_param)? {
        let chosen = selected(&state, &conn, &names)?;
        let (id, states): (u64, Vec<_>) = {
            let world = lock(&state.world);
            let id = world
                .connections
                .get(&conn)
                .map(|c| c.id)
                .unwrap_or_default();
            (
                id,
                chosen
                    .iter()
                    .filter_map(|(n, v)| world.syncs.get(&(id, n.clone(), v.clone())).cloned())
                    .collect(),
            )
        };
        for s in states {
            let counts =
                crate::routes::connections::record_counts(&state, id, &s.models, &s.variant);
            let cid = if conn_param.is_none() {
                Some(conn.1.as_str())
            } else {
                None
            };
            out.push(sync_engine::status_json(&s, cid, counts));
        }
    }
    Ok(axum::Json(json!({"syncs": out})).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrequencyBody {
    sync_name: String,
    #[serde(default)]
    sync_variant: Option<String>,
    provider_config_key: String,
    connection_id: String,
    /// Required; `null` restores the configured frequency, a missing field is an error.
    #[serde(deserialize_with = "present_or_null")]
    frequency: Option<String>,
}

/// Deserializes a field that must be present but may be `null` (serde treats a missing `Option`
/// field as `None` unless the field has a `deserialize_with`).
fn present_or_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(d)
}

/// `PUT /sync/update-connection-frequency` (`null` restores the configured frequency).
pub(crate) async fn update_frequency(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    Query::parse(raw.as_deref()).empty()?;
    let b: FrequencyBody = json_body(&headers, &body)?;
    let conn = target_connections(&state, &b.provider_config_key, Some(&b.connection_id))?
        .pop()
        .ok_or_else(|| ApiError::bad_request("unknown_connection", "Connection not found"))?;
    let variant = b.sync_variant.unwrap_or_else(|| "base".into());
    let default_freq = state.integration(&b.provider_config_key).and_then(|i| {
        let sync = i.syncs.iter().find(|s| s.name == b.sync_name)?;
        Some(sync.frequency.clone())
    });
    let mut world = lock(&state.world);
    let id = world
        .connections
        .get(&conn)
        .map(|c| c.id)
        .unwrap_or_default();
    let s = world
        .syncs
        .get_mut(&(id, b.sync_name.clone(), variant))
        .ok_or_else(|| {
            ApiError::not_found("unknown_sync", format!("Sync {} not found", b.sync_name))
        })?;
    match b.frequency {
        Some(f) => {
            s.frequency = f;
            s.frequency_overridden = true;
        }
        None => {
            s.frequency = default_freq.unwrap_or_else(|| s.frequency.clone());
            s.frequency_overridden = false;
        }
    }
    Ok(axum::Json(json!({"frequency": s.frequency})).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantBody {
    provider_config_key: String,
    connection_id: String,
}

/// `POST /sync/:name/variant/:variant`
pub(crate) async fn create_variant(
    State(state): State<Shared>,
    Path((name, variant)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    Query::parse(raw.as_deref()).empty()?;
    let b: VariantBody = json_body(&headers, &body)?;
    check_variant_param(&variant)?;
    let conn = target_connections(&state, &b.provider_config_key, Some(&b.connection_id))?
        .pop()
        .ok_or_else(|| ApiError::bad_request("unknown_connection", "Connection not found"))?;
    let sync_cfg = state
        .integration(&b.provider_config_key)
        .and_then(|i| i.syncs.iter().find(|s| s.name == name).cloned())
        .ok_or_else(|| ApiError::bad_request("unknown_sync", format!("Sync {name} not found")))?;
    let id = {
        let mut world = lock(&state.world);
        let cid = world
            .connections
            .get(&conn)
            .map(|c| c.id)
            .unwrap_or_default();
        let key = (cid, name.clone(), variant.clone());
        if world.syncs.contains_key(&key) {
            return Err(ApiError::bad_request(
                "sync_variant_already_exists",
                "Variant already exists",
            ));
        }
        let s = sync_engine::new_state(
            &name,
            &variant,
            sync_cfg.models.clone(),
            &sync_cfg.frequency,
            false,
        );
        let id = s.id;
        world.syncs.insert(key, s);
        id
    };
    sync_engine::run_blocking(&state, &conn, &name, &variant, false).await?;
    Ok(axum::Json(json!({"id": id.to_string(), "name": name, "variant": variant})).into_response())
}

/// `DELETE /sync/:name/variant/:variant`
pub(crate) async fn delete_variant(
    State(state): State<Shared>,
    Path((name, variant)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    Query::parse(raw.as_deref()).empty()?;
    let b: VariantBody = json_body(&headers, &body)?;
    check_variant_param(&variant)?;
    let conn = target_connections(&state, &b.provider_config_key, Some(&b.connection_id))?
        .pop()
        .ok_or_else(|| ApiError::bad_request("unknown_connection", "Connection not found"))?;
    let mut world = lock(&state.world);
    let cid = world
        .connections
        .get(&conn)
        .map(|c| c.id)
        .unwrap_or_default();
    let models = world
        .syncs
        .remove(&(cid, name.clone(), variant.clone()))
        .map(|s| s.models)
        .ok_or_else(|| {
            ApiError::not_found(
                "not_found",
                format!("Sync variant {name}::{variant} not found"),
            )
        })?;
    drop(world);
    {
        let mut records = crate::model::state::write(&state.records);
        for m in &models {
            records
                .collections
                .remove(&(cid, sync_engine::collection_model(m, &variant)));
        }
    }
    Ok(axum::Json(json!({"success": true})).into_response())
}

/// The `:variant` of the variant routes: a name, and not `base` (in any case), which is protected.
fn check_variant_param(variant: &str) -> Result<(), ApiError> {
    if !crate::routes::query::is_name(variant) {
        return Err(ApiError::validation(
            "invalid_uri_params",
            vec![Issue::new("custom", "Invalid variant", &["variant"])],
        ));
    }
    if variant.eq_ignore_ascii_case("base") {
        return Err(ApiError::bad_request(
            "invalid_variant",
            format!("The variant name {variant:?} is reserved"),
        ));
    }
    Ok(())
}
