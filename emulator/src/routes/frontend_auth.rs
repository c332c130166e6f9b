//! Credential routes the frontend SDK calls without a popup (`/api-auth/api-key/:key`,
//! `/api-auth/basic/:key`, `/auth/unauthenticated/:key`), and the connect-session checks shared
//! with `/oauth/connect`.

use crate::model::config::{AuthMode, IntegrationConfig};
use crate::model::state::{ConnectSession, Credentials, Shared};
use crate::routes::auth::check_session_token;
use crate::routes::connections::{NewConnection, upsert_blocking};
use crate::routes::error::ApiError;
use crate::routes::query::{Query, json_body};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::sync::Arc;

pub(crate) fn api_key_accepted(integ: &IntegrationConfig, key: &str) -> bool {
    if key.is_empty() {
        return false;
    }
    integ.valid_api_keys.is_empty() || integ.valid_api_keys.iter().any(|k| k.expose() == key)
}

pub(crate) fn basic_accepted(integ: &IntegrationConfig, username: &str, password: &str) -> bool {
    if username.is_empty() {
        return false;
    }
    integ.valid_basic.is_empty()
        || integ
            .valid_basic
            .iter()
            .any(|b| b.username == username && b.password.expose() == password)
}

/// A frontend request authorised by a connect session (query `connect_session_token`).
pub(crate) struct FrontendCaller {
    pub(crate) session: ConnectSession,
}

/// Checks `connect_session_token` (or rejects the legacy `public_key`), `connection_id` and
/// `allowed_integrations`, as Nango's frontend routes do.
pub(crate) fn frontend_session(
    state: &Shared,
    q: &Query,
    integration: &str,
) -> Result<FrontendCaller, ApiError> {
    let token = match (q.get("connect_session_token"), q.get("public_key")) {
        (Some(t), _) => t.to_owned(),
        (None, Some(_)) => {
            return Err(ApiError::unauthorized(
                "invalid_public_key",
                "Public keys are not supported by the emulator; use a connect session token",
            ));
        }
        (None, None) => {
            return Err(ApiError::unauthorized(
                "missing_public_key",
                "Missing connect_session_token or public_key",
            ));
        }
    };
    check_session_token(state, &token)?;
    let session = state.session(&token).ok_or_else(|| {
        ApiError::unauthorized("unknown_connect_session_token", "Unknown connect session")
    })?;
    if q.get("connection_id").is_some() {
        return Err(crate::routes::query::query_issue(
            "connection_id",
            "connection_id is not allowed with a connect session token",
        ));
    }
    if let Some(allowed) = &session.allowed_integrations {
        if !allowed.iter().any(|a| a == integration) {
            return Err(ApiError::bad_request(
                "integration_not_allowed",
                "Integration not allowed by this token",
            ));
        }
    }
    Ok(FrontendCaller { session })
}

/// `params[key]=value` pairs → connection config.
pub(crate) fn connection_config(q: &Query) -> Map<String, Value> {
    q.pairs
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("params[")
                .and_then(|k| k.strip_suffix(']'))
                .map(|k| (k.to_owned(), Value::String(v.clone())))
        })
        .collect()
}

/// The connection a session creates: the reconnect target, or a fresh id.
pub(crate) fn new_connection(
    session: &ConnectSession,
    pck: &str,
    credentials: Option<Credentials>,
    config: Map<String, Value>,
) -> NewConnection {
    NewConnection {
        provider_config_key: pck.to_owned(),
        connection_id: session
            .reconnect_connection_id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
        credentials,
        connection_config: config,
        end_user: session.end_user.clone(),
        tags: session.tags.clone(),
        webhook_url_override: session.webhook_url_override.clone(),
        metadata: None,
    }
}

fn integration_for(
    state: &Shared,
    key: &str,
    mode: AuthMode,
) -> Result<Arc<IntegrationConfig>, ApiError> {
    let integ = state.integration(key).ok_or_else(|| {
        ApiError::not_found(
            "unknown_provider_config",
            format!("Integration {key} does not exist"),
        )
    })?;
    if integ.auth_mode != mode {
        return Err(ApiError::bad_request(
            "invalid_auth_mode",
            format!("Integration {key} does not use {}", mode.as_str()),
        ));
    }
    Ok(integ)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApiKeyBody {
    #[serde(rename = "apiKey")]
    api_key: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BasicBody {
    username: String,
    #[serde(default)]
    password: String,
}

fn connected(conn: &crate::model::state::Connection) -> Response {
    (StatusCode::OK, axum::Json(json!({"connectionId": conn.connection_id, "providerConfigKey": conn.provider_config_key}))).into_response()
}

/// `POST /api-auth/api-key/:providerConfigKey`
pub(crate) async fn api_key(
    State(state): State<Shared>,
    Path(key): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let q = Query::parse(raw.as_deref());
    let caller = frontend_session(&state, &q, &key)?;
    let integ = integration_for(&state, &key, AuthMode::ApiKey)?;
    let b: ApiKeyBody = json_body(&headers, &body)?;
    if !api_key_accepted(&integ, &b.api_key) {
        return Err(ApiError::bad_request(
            "connection_test_failed",
            format!("The provider rejected the API key for {key}"),
        ));
    }
    let new = new_connection(
        &caller.session,
        &key,
        Some(Credentials::ApiKey { api_key: b.api_key }),
        connection_config(&q),
    );
    let (conn, _) = upsert_blocking(&state, new).await?;
    Ok(connected(&conn))
}

/// `POST /api-auth/basic/:providerConfigKey`
pub(crate) async fn basic(
    State(state): State<Shared>,
    Path(key): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let q = Query::parse(raw.as_deref());
    let caller = frontend_session(&state, &q, &key)?;
    let integ = integration_for(&state, &key, AuthMode::Basic)?;
    let b: BasicBody = json_body(&headers, &body)?;
    if !basic_accepted(&integ, &b.username, &b.password) {
        return Err(ApiError::bad_request(
            "connection_test_failed",
            format!("The provider rejected the credentials for {key}"),
        ));
    }
    let new = new_connection(
        &caller.session,
        &key,
        Some(Credentials::Basic {
            username: b.username,
            password: b.password,
        }),
        connection_config(&q),
    );
    let (conn, _) = upsert_blocking(&state, new).await?;
    Ok(connected(&conn))
}

/// `POST /auth/unauthenticated/:providerConfigKey` (no body): the frontend's `create()`.
pub(crate) async fn unauthenticated(
    State(state): State<Shared>,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = Query::parse(raw.as_deref());
    let caller = frontend_session(&state, &q, &key)?;
    integration_for(&state, &key, AuthMode::None)?;
    let new = new_connection(
        &caller.session,
        &key,
        Some(Credentials::None),
        connection_config(&q),
    );
    let (conn, _) = upsert_blocking(&state, new).await?;
    Ok(connected(&conn))
}
