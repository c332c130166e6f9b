//! Connections: creation (shared by the OAuth callback, the credential routes, the admin API and
//! `POST /connections`), and the `/connections` routes including metadata and credential refresh.

use crate::model::config::AuthMode;
use crate::model::state::{Connection, Credentials, Shared, lock, read, write};
use crate::model::timefmt::{self, now_micros};
use crate::routes::auth::require_secret;
use crate::routes::error::{ApiError, Issue};
use crate::routes::query::{Query, json_body};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// What a new (or re-authorised) connection is made of.
#[derive(Debug, Default)]
pub(crate) struct NewConnection {
    pub(crate) provider_config_key: String,
    pub(crate) connection_id: String,
    pub(crate) credentials: Option<Credentials>,
    pub(crate) connection_config: Map<String, Value>,
    pub(crate) end_user: Option<Value>,
    pub(crate) tags: Option<Map<String, Value>>,
    pub(crate) webhook_url_override: Option<String>,
    pub(crate) metadata: Option<Map<String, Value>>,
}

/// Creates or overrides a connection, registers its syncs, runs the auto-start ones and emits the
/// `auth` webhook. Returns the connection and whether it is new.
pub(crate) fn upsert(state: &Shared, new: NewConnection) -> Result<(Connection, bool), ApiError> {
    let integ = state.known_integration(&new.provider_config_key)?;
    let key = (new.provider_config_key.clone(), new.connection_id.clone());
    let now = now_micros();
    let (conn, created) = {
        let mut world = lock(&state.world);
        let credentials = match new.credentials {
            Some(c) => c,
            None => match integ.auth_mode {
                AuthMode::OAuth2 => {
                    let raw = crate::routes::provider::issue_tokens(
                        &mut world,
                        state.cfg.access_token_ttl_secs,
                        &integ.unique_key,
                        &integ.scopes.join(","),
                    );
                    crate::routes::provider::credentials_from_raw(&raw, now)
                        .ok_or_else(|| ApiError::server_error("token issue failed"))?
                }
                AuthMode::ApiKey => Credentials::ApiKey {
                    api_key: integ
                        .valid_api_keys
                        .first()
                        .map(|k| k.expose().to_owned())
                        .unwrap_or_else(|| "sk-emulator".into()),
                },
                AuthMode::Basic => Credentials::Basic {
                    username: integ
                        .valid_basic
                        .first()
                        .map(|b| b.username.clone())
                        .unwrap_or_else(|| "demo".into()),
                    password: integ
                        .valid_basic
                        .first()
                        .map(|b| b.password.expose().to_owned())
                        .unwrap_or_default(),
                },
                AuthMode::None => Credentials::None,
            },
        };
        let created = !world.connections.contains_key(&key);
        let conn = if let Some(existing) = world.connections.get_mut(&key) {
            existing.credentials = credentials;
            existing.updated_at = now;
            if !new.connection_config.is_empty() {
                existing.connection_config = new.connection_config;
            }
            existing.clone()
        } else {
            world.next_connection_id += 1;
            let conn = Connection {
                id: world.next_connection_id,
                connection_id: new.connection_id.clone(),
                provider_config_key: new.provider_config_key.clone(),
                provider: integ.provider.clone(),
                auth_mode: integ.auth_mode,
                credentials,
                connection_config: new.connection_config,
                metadata: new.metadata,
                tags: new.tags.unwrap_or_default(),
                end_user: new.end_user,
                webhook_url_override: new.webhook_url_override.filter(|u| !u.is_empty()),
                created_at: now,
                updated_at: now,
                last_fetched_at: now,
            };
            world.connections.insert(key.clone(), conn.clone());
            conn
        };
        crate::model::sync_engine::register(&mut world, &integ, &conn);
        (conn, created)
    };
    // Auth webhook first, then the initial sync (and its webhooks), as Nango orders them.
    if state.cfg.webhooks.send_auth_creation {
        crate::model::webhooks::emit(
            state,
            &auth_webhook(state, &conn, if created { "creation" } else { "override" }),
            conn.webhook_url_override.as_deref(),
        );
    }
    if created {
        crate::model::sync_engine::run_active(state, &key);
    }
    Ok((conn, created))
}

/// [`upsert`] off the async workers: the initial sync of a large data set is CPU work that must not
/// stall other connections.
pub(crate) async fn upsert_blocking(
    state: &Shared,
    new: NewConnection,
) -> Result<(Connection, bool), ApiError> {
    let st = state.clone();
    tokio::task::spawn_blocking(move || upsert(&st, new))
        .await
        .map_err(|_| ApiError::server_error("connection creation was interrupted"))?
}

fn auth_webhook(state: &Shared, conn: &Connection, operation: &str) -> Value {
    let mut v = json!({
        "from": "nango",
        "type": "auth",
        "connectionId": conn.connection_id,
        "providerConfigKey": conn.provider_config_key,
        "authMode": conn.auth_mode.as_str(),
        "provider": conn.provider,
        "environment": state.cfg.environment,
        "operation": operation,
        "success": true,
    });
    if let Value::Object(m) = &mut v {
        if !conn.tags.is_empty() {
            m.insert("tags".into(), Value::Object(conn.tags.clone()));
        }
        if let Some(eu) = &conn.end_user {
            let mut e = Map::new();
            if let Some(id) = eu.get("id") {
                e.insert("endUserId".into(), id.clone());
            }
            if let Some(email) = eu.get("email").filter(|x| !x.is_null()) {
                e.insert("endUserEmail".into(), email.clone());
            }
            if let Some(org) = eu.get("organization").and_then(|o| o.get("id")) {
                e.insert("organizationId".into(), org.clone());
            }
            e.insert("tags".into(), eu.get("tags").cloned().unwrap_or(json!({})));
            m.insert("endUser".into(), Value::Object(e));
        }
    }
    v
}

fn credentials_json(c: &Credentials, with_refresh: bool) -> Value {
    match c {
        Credentials::OAuth2 {
            access_token,
            refresh_token,
            expires_at,
            raw,
        } => {
            let mut raw = raw.clone();
            let mut v = json!({
                "type": "OAUTH2",
                "access_token": access_token,
                "expires_at": crate::routes::provider::expires_iso(*expires_at),
            });
            if !with_refresh {
                if let Value::Object(r) = &mut raw {
                    r.remove("refresh_token");
                }
            }
            if let Value::Object(m) = &mut v {
                if with_refresh {
                    if let Some(r) = refresh_token {
                        m.insert("refresh_token".into(), json!(r));
                    }
                }
                m.insert("raw".into(), raw);
            }
            v
        }
        Credentials::ApiKey { api_key } => json!({"type": "API_KEY", "apiKey": api_key}),
        Credentials::Basic { username, password } => {
            json!({"type": "BASIC", "username": username, "password": password})
        }
        // Nango's credentials of an unauthenticated connection are an empty object.
        Credentials::None => json!({}),
    }
}

/// The full connection object of `GET /connections/:id`.
pub(crate) fn connection_json(c: &Connection, credentials: Option<bool>) -> Value {
    let mut v = json!({
        "id": c.id,
        "connection_id": c.connection_id,
        "provider_config_key": c.provider_config_key,
        "provider": c.provider,
        "connection_config": c.connection_config,
        "webhook_url_override": c.webhook_url_override,
        "created_at": timefmt::iso(c.created_at),
        "updated_at": timefmt::iso(c.updated_at),
        "last_fetched_at": timefmt::iso(c.last_fetched_at),
        "metadata": c.metadata,
        "errors": [],
        "end_user": c.end_user,
        "tags": c.tags,
    });
    if let (Some(with_refresh), Value::Object(m)) = (credentials, &mut v) {
        m.insert(
            "credentials".into(),
            credentials_json(&c.credentials, with_refresh),
        );
    }
    v
}

fn list_item(c: &Connection) -> Value {
    json!({
        "id": c.id,
        "connection_id": c.connection_id,
        "provider_config_key": c.provider_config_key,
        "provider": c.provider,
        "created": timefmt::iso(c.created_at),
        "metadata": c.metadata,
        "errors": [],
        "end_user": c.end_user,
        "tags": c.tags,
    })
}

/// `GET /connections`
pub(crate) async fn list(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    let q = Query::parse(raw.as_deref());
    for (k, _) in &q.pairs {
        let known = [
            "connectionId",
            "search",
            "endUserId",
            "endUserOrganizationId",
            "integrationId",
            "limit",
            "page",
        ];
        let is_tag = k.starts_with("tags[") && k.ends_with(']');
        if !is_tag && !known.contains(&k.as_str()) {
            q.only(&known)?;
        }
    }
    let limit = match q.get("limit") {
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|l| (1..=2000).contains(l))
            .ok_or_else(|| {
                crate::routes::query::query_issue("limit", "limit must be an integer 1..2000")
            })?,
        None => 10_000,
    };
    let page = match q.get("page") {
        Some(p) => p.parse::<usize>().map_err(|_| {
            crate::routes::query::query_issue("page", "page must be an integer ≥ 0")
        })?,
        None => 0,
    };
    let integrations: Option<Vec<&str>> = q.get("integrationId").map(|s| s.split(',').collect());
    let tag_filters: Vec<(String, &str)> = q
        .pairs
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("tags[")
                .and_then(|k| k.strip_suffix(']'))
                .map(|k| (k.to_ascii_lowercase(), v.as_str()))
        })
        .collect();
    let world = lock(&state.world);
    let items: Vec<Value> = world
        .connections
        .values()
        .filter(|c| q.get("connectionId").is_none_or(|id| c.connection_id == id))
        .filter(|c| q.get("search").is_none_or(|s| c.connection_id.contains(s)))
        .filter(|c| {
            integrations
                .as_ref()
                .is_none_or(|l| l.contains(&c.provider_config_key.as_str()))
        })
        .filter(|c| {
            q.get("endUserId").is_none_or(|u| {
                c.end_user
                    .as_ref()
                    .and_then(|e| e.get("id"))
                    .and_then(Value::as_str)
                    == Some(u)
            })
        })
        .filter(|c| {
            q.get("endUserOrganizationId").is_none_or(|o| {
                c.end_user
                    .as_ref()
                    .and_then(|e| e.get("organization"))
                    .and_then(|o| o.get("id"))
                    .and_then(Value::as_str)
                    == Some(o)
            })
        })
        .filter(|c| {
            tag_filters
                .iter()
                .all(|(k, v)| c.tags.get(k).and_then(Value::as_str) == Some(*v))
        })
        .skip(page.saturating_mul(limit))
        .take(limit)
        .map(list_item)
        .collect();
    Ok(axum::Json(json!({"connections": items})).into_response())
}

fn pck_param(q: &Query) -> Result<String, ApiError> {
    q.get("provider_config_key")
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| {
            ApiError::validation(
                "invalid_query_params",
                vec![Issue::new(
                    "invalid_type",
                    "Required",
                    &["provider_config_key"],
                )],
            )
        })
}

/// `GET /connections/:connectionId`
pub(crate) async fn get(
    State(state): State<Shared>,
    Path(connection_id): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    let q = Query::parse(raw.as_deref());
    q.only(&[
        "provider_config_key",
        "force_refresh",
        "refresh_token",
        "refresh_github_app_jwt_token",
    ])?;
    let pck = pck_param(&q)?;
    let force = q.bool_param("force_refresh")?;
    let with_refresh = q.bool_param("refresh_token")?;
    q.bool_param("refresh_github_app_jwt_token")?;
    if state.integration(&pck).is_none() {
        return Err(ApiError::bad_request(
            "unknown_provider_config",
            "Provider config not found",
        ));
    }
    let key = (pck, connection_id);
    let mut world = lock(&state.world);
    let conn = world
        .connections
        .get(&key)
        .ok_or_else(|| ApiError::not_found("not_found", "Connection not found"))?;
    // Nango refreshes OAuth2 tokens expiring within 15 minutes, or on demand.
    let needs_refresh = match &conn.credentials {
        Credentials::OAuth2 { expires_at, .. } => {
            force || *expires_at - now_micros() < 15 * 60 * 1_000_000
        }
        _ => false,
    };
    if needs_refresh {
        if let Err(mut e) = crate::routes::provider::refresh_connection(
            &mut world,
            state.cfg.access_token_ttl_secs,
            &key,
        ) {
            if let Some(c) = world.connections.get(&key) {
                e.payload = Some(json!({"connection": connection_json(c, None)}));
            }
            return Err(e);
        }
    }
    let now = now_micros();
    let conn = world
        .connections
        .get_mut(&key)
        .ok_or_else(|| ApiError::not_found("not_found", "Connection not found"))?;
    conn.last_fetched_at = now;
    Ok(axum::Json(connection_json(conn, Some(with_refresh))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatchBody {
    #[serde(default)]
    end_user: Option<Value>,
    #[serde(default)]
    tags: Option<Map<String, Value>>,
    #[serde(default)]
    webhook_url_override: Option<String>,
}

/// `PATCH /connections/:connectionId?provider_config_key=`
pub(crate) async fn patch(
    State(state): State<Shared>,
    Path(connection_id): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    let q = Query::parse(raw.as_deref());
    q.only(&["provider_config_key"])?;
    let pck = pck_param(&q)?;
    let b: PatchBody = json_body(&headers, &body)?;
    let mut world = lock(&state.world);
    let conn = world
        .connections
        .get_mut(&(pck, connection_id))
        .ok_or_else(|| ApiError::not_found("unknown_connection", "Connection not found"))?;
    if let Some(eu) = b.end_user {
        conn.end_user = Some(eu);
    }
    if let Some(t) = b.tags {
        conn.tags = t;
    }
    if let Some(w) = b.webhook_url_override {
        conn.webhook_url_override = Some(w).filter(|u| !u.is_empty());
    }
    conn.updated_at = now_micros();
    Ok(axum::Json(json!({"success": true})).into_response())
}

/// `DELETE /connections/:connectionId?provider_config_key=`
pub(crate) async fn delete(
    State(state): State<Shared>,
    Path(connection_id): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    let q = Query::parse(raw.as_deref());
    q.only(&["provider_config_key"])?;
    let pck = pck_param(&q)?;
    let removed = {
        let mut world = lock(&state.world);
        let removed = world.connections.remove(&(pck, connection_id));
        if let Some(c) = &removed {
            world.syncs.retain(|(id, _, _), _| *id != c.id);
        }
        removed
    };
    let Some(conn) = removed else {
        return Err(ApiError::bad_request(
            "unknown_connection",
            "Connection not found",
        ));
    };
    write(&state.records).drop_connection(conn.id);
    Ok(axum::Json(json!({"success": true})).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MetadataBody {
    connection_id: Value,
    provider_config_key: String,
    metadata: Map<String, Value>,
}

async fn metadata(
    state: Shared,
    headers: HeaderMap,
    raw: Option<String>,
    body: Bytes,
    merge: bool,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    Query::parse(raw.as_deref()).empty()?;
    let original: Value = {
        crate::routes::query::check_json_content_type(&headers)?;
        serde_json::from_slice(&body)
            .map_err(|_| ApiError::bad_request("invalid_json", "Invalid JSON body"))?
    };
    let b: MetadataBody = crate::routes::query::body_value(original.clone())?;
    let ids: Vec<String> = match &b.connection_id {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => {
            return Err(ApiError::validation(
                "invalid_body",
                vec![Issue::new(
                    "invalid_type",
                    "Expected string or array of strings",
                    &["connection_id"],
                )],
            ));
        }
    };
    apply_metadata(&state, &b.provider_config_key, &ids, &b.metadata, merge).map_err(|id| {
        ApiError::not_found("unknown_connection", format!("Connection {id} not found"))
    })?;
    Ok((metadata_status(merge), axum::Json(original)).into_response())
}

/// Metadata answers: 201 when replaced (POST), 200 when merged (PATCH).
pub(crate) fn metadata_status(merge: bool) -> StatusCode {
    if merge {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    }
}

/// Replaces (or merges into) the metadata of the connections `ids` of `pck`, all or none: the
/// first id that does not exist is returned as the error.
pub(crate) fn apply_metadata(
    state: &Shared,
    pck: &str,
    ids: &[String],
    metadata: &Map<String, Value>,
    merge: bool,
) -> Result<(), String> {
    let mut world = lock(&state.world);
    if let Some(missing) = ids.iter().find(|id| {
        !world
            .connections
            .contains_key(&(pck.to_owned(), (*id).clone()))
    }) {
        return Err(missing.clone());
    }
    let now = now_micros();
    for id in ids {
        if let Some(c) = world.connections.get_mut(&(pck.to_owned(), id.clone())) {
            if merge {
                let mut m = c.metadata.clone().unwrap_or_default();
                for (k, v) in metadata {
                    m.insert(k.clone(), v.clone());
                }
                c.metadata = Some(m);
            } else {
                c.metadata = Some(metadata.clone());
            }
            c.updated_at = now;
        }
    }
    Ok(())
}

/// `POST /connections/metadata` (replace)
pub(crate) async fn set_metadata(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    metadata(state, headers, raw, body, false).await
}

/// `PATCH /connections/metadata` (merge)
pub(crate) async fn update_metadata(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    metadata(state, headers, raw, body, true).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    provider_config_key: String,
    #[serde(default)]
    connection_id: Option<String>,
    /// Required, as in Nango: an import states the credentials it brings.
    credentials: Value,
    #[serde(default)]
    metadata: Option<Map<String, Value>>,
    #[serde(default)]
    connection_config: Option<Map<String, Value>>,
    #[serde(default)]
    end_user: Option<Value>,
    #[serde(default)]
    tags: Option<Map<String, Value>>,
}

fn parse_credentials(v: &Value) -> Result<Credentials, ApiError> {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let bad = |m: &str| {
        ApiError::validation(
            "invalid_body",
            vec![Issue::new("custom", m, &["credentials"])],
        )
    };
    match s("type").as_deref() {
        Some("OAUTH2") => {
            let access_token = s("access_token").ok_or_else(|| bad("access_token required"))?;
            let expires_at = s("expires_at")
                .and_then(|e| timefmt::parse_rfc3339(&e))
                .unwrap_or(now_micros() + 3_600_000_000);
            Ok(Credentials::OAuth2 {
                raw: json!({"access_token": access_token, "refresh_token": s("refresh_token")}),
                access_token,
                refresh_token: s("refresh_token"),
                expires_at,
            })
        }
        Some("API_KEY") => Ok(Credentials::ApiKey {
            api_key: s("apiKey")
                .or_else(|| s("api_key"))
                .ok_or_else(|| bad("apiKey required"))?,
        }),
        Some("BASIC") => Ok(Credentials::Basic {
            username: s("username").ok_or_else(|| bad("username required"))?,
            password: s("password").unwrap_or_default(),
        }),
        _ => Err(bad("credentials.type must be OAUTH2, API_KEY or BASIC")),
    }
}

/// `POST /connections`: imports a connection with the credentials it is given.
pub(crate) async fn create(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    Query::parse(raw.as_deref()).empty()?;
    let b: CreateBody = json_body(&headers, &body)?;
    let credentials = Some(parse_credentials(&b.credentials)?);
    if state.integration(&b.provider_config_key).is_none() {
        return Err(ApiError::not_found(
            "not_found",
            "Integration does not exist",
        ));
    }
    let (conn, _) = upsert_blocking(
        &state,
        NewConnection {
            provider_config_key: b.provider_config_key,
            connection_id: b
                .connection_id
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
            credentials,
            connection_config: b.connection_config.unwrap_or_default(),
            end_user: b.end_user,
            tags: b.tags,
            webhook_url_override: None,
            metadata: b.metadata,
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(connection_json(&conn, Some(false))),
    )
        .into_response())
}

/// Number of records per model for a connection (for `/sync/status`).
pub(crate) fn record_counts(
    state: &Shared,
    conn_id: u64,
    models: &[String],
    variant: &str,
) -> Map<String, Value> {
    let records = read(&state.records);
    models
        .iter()
        .map(|m| {
            let n = records
                .collection(
                    conn_id,
                    &crate::model::sync_engine::collection_model(m, variant),
                )
                .map_or(0, |c| c.live_count());
            (m.clone(), json!(n))
        })
        .collect()
}
