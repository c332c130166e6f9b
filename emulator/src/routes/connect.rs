//! Connect sessions: `POST /connect/sessions`, `POST /connect/sessions/reconnect`,
//! `GET /connect/session`, `DELETE /connect/session`. Tokens live 30 minutes.

use crate::model::state::{ConnectSession, Shared, lock};
use crate::model::timefmt::{self, now_micros};
use crate::routes::auth::{SESSION_PREFIX, require_secret, require_session};
use crate::routes::error::{ApiError, Issue};
use crate::routes::query::{Query, json_body};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value, json};

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct EndUser {
    id: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    tags: Option<Map<String, Value>>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct Organization {
    id: String,
    #[serde(default)]
    display_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionBody {
    #[serde(default)]
    end_user: Option<EndUser>,
    #[serde(default)]
    organization: Option<Organization>,
    #[serde(default)]
    allowed_integrations: Option<Vec<String>>,
    #[serde(default)]
    integrations_config_defaults: Option<Map<String, Value>>,
    #[serde(default)]
    overrides: Option<Map<String, Value>>,
    #[serde(default)]
    webhook_url_override: Option<String>,
    #[serde(default)]
    tags: Option<Map<String, Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReconnectBody {
    connection_id: String,
    integration_id: String,
    #[serde(default)]
    end_user: Option<EndUser>,
    #[serde(default)]
    organization: Option<Organization>,
    #[serde(default)]
    integrations_config_defaults: Option<Map<String, Value>>,
    #[serde(default)]
    overrides: Option<Map<String, Value>>,
    #[serde(default)]
    webhook_url_override: Option<String>,
    #[serde(default)]
    tags: Option<Map<String, Value>>,
}

fn ttl(state: &Shared) -> i64 {
    state.cfg.connect_session_ttl_secs as i64 * 1_000_000
}

fn invalid(path: &[&str], message: &str) -> ApiError {
    ApiError::validation("invalid_body", vec![Issue::new("custom", message, path)])
}

fn validate_end_user(eu: &EndUser) -> Result<(), ApiError> {
    if eu.id.is_empty() || eu.id.len() > 255 {
        return Err(invalid(
            &["end_user", "id"],
            "String must contain between 1 and 255 characters",
        ));
    }
    if let Some(e) = &eu.email {
        if e.len() < 5 || !e.contains('@') {
            return Err(invalid(&["end_user", "email"], "Invalid email"));
        }
    }
    Ok(())
}

fn end_user_json(eu: Option<&EndUser>, org: Option<&Organization>) -> Option<Value> {
    eu.map(|e| {
        json!({
            "id": e.id,
            "email": e.email,
            "display_name": e.display_name,
            "tags": e.tags.clone().unwrap_or_default(),
            "organization": org.map(|o| json!({"id": o.id, "display_name": o.display_name})),
        })
    })
}

fn issue(state: &Shared, session: ConnectSession) -> Response {
    let token = format!(
        "{SESSION_PREFIX}{}",
        crate::routes::provider::random_hex(32)
    );
    let expires_at = session.expires_at;
    lock(&state.world).sessions.insert(token.clone(), session);
    let body = json!({"data": {
        "token": token,
        "connect_link": format!("{}/_connect/?session_token={}", state.url, token),
        "expires_at": timefmt::iso(expires_at),
    }});
    (StatusCode::CREATED, axum::Json(body)).into_response()
}

/// `POST /connect/sessions`
pub(crate) async fn create(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    Query::parse(raw.as_deref()).empty()?;
    let b: SessionBody = json_body(&headers, &body)?;
    match &b.end_user {
        Some(eu) => validate_end_user(eu)?,
        None if b.tags.is_none() => return Err(invalid(&["end_user"], "Required")),
        None => {}
    }
    if let Some(list) = &b.allowed_integrations {
        for (i, k) in list.iter().enumerate() {
            if state.integration(k).is_none() {
                let idx = i.to_string();
                return Err(invalid(
                    &["allowed_integrations", &idx],
                    "Integration does not exist",
                ));
            }
        }
    }
    Ok(issue(
        &state,
        ConnectSession {
            end_user: end_user_json(b.end_user.as_ref(), b.organization.as_ref()),
            organization: b
                .organization
                .as_ref()
                .map(|o| json!({"id": o.id, "display_name": o.display_name})),
            allowed_integrations: b.allowed_integrations,
            integrations_config_defaults: b.integrations_config_defaults.map(Value::Object),
            overrides: b.overrides.map(Value::Object),
            webhook_url_override: b.webhook_url_override,
            tags: b.tags,
            expires_at: now_micros() + ttl(&state),
            reconnect_connection_id: None,
        },
    ))
}

/// `POST /connect/sessions/reconnect`
pub(crate) async fn reconnect(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    Query::parse(raw.as_deref()).empty()?;
    let b: ReconnectBody = json_body(&headers, &body)?;
    if let Some(eu) = &b.end_user {
        validate_end_user(eu)?;
    }
    let existing = lock(&state.world)
        .connections
        .get(&(b.integration_id.clone(), b.connection_id.clone()))
        .cloned()
        .ok_or_else(|| ApiError::bad_request("invalid_body", "Connection does not exist"))?;
    Ok(issue(
        &state,
        ConnectSession {
            end_user: end_user_json(b.end_user.as_ref(), b.organization.as_ref())
                .or(existing.end_user),
            organization: b
                .organization
                .as_ref()
                .map(|o| json!({"id": o.id, "display_name": o.display_name})),
            allowed_integrations: Some(vec![b.integration_id]),
            integrations_config_defaults: b.integrations_config_defaults.map(Value::Object),
            overrides: b.overrides.map(Value::Object),
            webhook_url_override: b.webhook_url_override,
            tags: b.tags,
            expires_at: now_micros() + ttl(&state),
            reconnect_connection_id: Some(b.connection_id),
        },
    ))
}

/// `GET /connect/session` (Bearer = session token)
pub(crate) async fn get(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let token = require_session(&state, &headers)?;
    Query::parse(raw.as_deref()).empty()?;
    let s = state.session(&token).ok_or_else(|| {
        ApiError::unauthorized("unknown_connect_session_token", "Unknown session")
    })?;
    let body = json!({"data": {
        "endUser": s.end_user,
        "organization": s.organization,
        "allowed_integrations": s.allowed_integrations,
        "integrations_config_defaults": s.integrations_config_defaults,
        "overrides": s.overrides,
        "tags": s.tags,
        "isReconnecting": s.reconnect_connection_id.is_some(),
        "connectUISettings": {"showWatermark": false, "theme": {"light": {"primary": "#00B2E3"}, "dark": {"primary": "#00B2E3"}}},
        "websocketsPath": state.cfg.websockets_path,
        "expires_at": timefmt::iso(s.expires_at),
    }});
    Ok(axum::Json(body).into_response())
}

/// `DELETE /connect/session` → 204
pub(crate) async fn delete(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let token = require_session(&state, &headers)?;
    Query::parse(raw.as_deref()).empty()?;
    lock(&state.world).sessions.remove(&token);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /connect/telemetry` (Connect UI only): accepted and ignored.
pub(crate) async fn telemetry(RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    Query::parse(raw.as_deref()).empty()?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
