//! Read-only `/integrations`, `/providers` and `/environment-variables` routes (the integrations
//! come from the catalog that `integrations_admin` changes).

use crate::model::catalog::IntegrationEntry;
use crate::model::config::IntegrationConfig;
use crate::model::state::{Shared, lock};
use crate::routes::auth::{Caller, require_secret, require_secret_or_session};
use crate::routes::error::ApiError;
use crate::routes::integrations_admin::{integration_json, integration_missing};
use crate::routes::query::Query;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

fn provider_json(i: &IntegrationConfig) -> Value {
    json!({
        "name": i.provider,
        "display_name": i.display_name.clone().unwrap_or_else(|| i.provider.clone()),
        "auth_mode": i.auth_mode.as_str(),
        "categories": ["demo"],
        "docs": "https://example.invalid/nango-emulator",
    })
}

/// `GET /integrations` (secret key or session token; sessions see only their allowed ones).
pub(crate) async fn list(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let caller = require_secret_or_session(&state, &headers)?;
    Query::parse(raw.as_deref()).empty()?;
    let allowed = match caller {
        Caller::Session(t) => state.session(&t).and_then(|s| s.allowed_integrations),
        Caller::SecretKey => None,
    };
    let data: Vec<Value> = lock(&state.catalog)
        .entries
        .iter()
        .filter(|i| allowed.as_ref().is_none_or(|a| a.contains(&i.unique_key)))
        .map(|i| integration_json(&state, i))
        .collect();
    Ok(axum::Json(json!({"data": data})).into_response())
}

/// `GET /integrations/:uniqueKey`
pub(crate) async fn get(
    State(state): State<Shared>,
    Path(key): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    let q = Query::parse(raw.as_deref());
    q.only(&["include", "include[]"])?;
    let mut include = q.all("include");
    include.extend(q.all("include[]"));
    if let Some(bad) = include
        .iter()
        .find(|v| !matches!(**v, "webhook" | "credentials"))
    {
        return Err(crate::routes::query::query_issue(
            "include",
            format!("include must be webhook or credentials, not {bad:?}"),
        ));
    }
    let catalog = lock(&state.catalog);
    let entry = catalog.get(&key).ok_or_else(integration_missing)?;
    let mut data = integration_json(&state, entry);
    if let Value::Object(m) = &mut data {
        if include.contains(&"webhook") {
            // The demo provider sends no webhooks of its own, so there is no URL to point it at.
            m.insert("webhook_url".into(), Value::Null);
        }
        if include.contains(&"credentials") {
            m.insert("credentials".into(), integration_credentials(entry));
        }
    }
    Ok(axum::Json(json!({"data": data})).into_response())
}

/// `include=credentials`: the developer app given when the integration was created, else (an
/// OAuth integration) the emulator's demo app, which its OAuth flow uses; `null` for the others,
/// which have none.
fn integration_credentials(entry: &IntegrationEntry) -> Value {
    if let Some(given) = &entry.credentials {
        return given.clone();
    }
    let i = &entry.config;
    if i.auth_mode != crate::model::config::AuthMode::OAuth2 {
        return Value::Null;
    }
    json!({
        "type": "OAUTH2",
        "client_id": i.unique_key,
        "client_secret": crate::routes::provider::CLIENT_SECRET,
        "scopes": if i.scopes.is_empty() { Value::Null } else { json!(i.scopes.join(",")) },
        "webhook_secret": null,
    })
}

/// `GET /providers`
pub(crate) async fn providers(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    require_secret_or_session(&state, &headers)?;
    let q = Query::parse(raw.as_deref());
    q.only(&["search"])?;
    let search = q.get("search").map(str::to_ascii_lowercase);
    let mut seen = std::collections::HashSet::new();
    let data: Vec<Value> = state
        .cfg
        .integrations
        .iter()
        .filter(|i| seen.insert(i.provider.clone()))
        .filter(|i| {
            search
                .as_ref()
                .is_none_or(|s| i.provider.to_ascii_lowercase().contains(s))
        })
        .map(provider_json)
        .collect();
    Ok(axum::Json(json!({"data": data})).into_response())
}

/// `GET /providers/:provider`
pub(crate) async fn provider(
    State(state): State<Shared>,
    Path(name): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    require_secret_or_session(&state, &headers)?;
    Query::parse(raw.as_deref()).empty()?;
    let i = state
        .cfg
        .integrations
        .iter()
        .find(|i| i.provider == name)
        .ok_or_else(|| ApiError::not_found("not_found", "Provider does not exist"))?;
    Ok(axum::Json(json!({"data": provider_json(i)})).into_response())
}

/// `GET /environment-variables` → `[]`
pub(crate) async fn environment_variables(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    Query::parse(raw.as_deref()).empty()?;
    Ok(axum::Json(json!([])).into_response())
}

/// `GET /scripts/config?format=nango|openai`: the configured syncs and actions per integration.
pub(crate) async fn scripts_config(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    let q = Query::parse(raw.as_deref());
    q.only(&["format"])?;
    match q.get("format") {
        None | Some("nango") => {}
        Some("openai") => {
            let fns: Vec<Value> = state
                .integrations()
                .iter()
                .flat_map(|i| i.actions.iter().map(move |a| json!({"name": a.name, "description": format!("{} action of {}", a.name, i.unique_key), "parameters": {"type": "object", "properties": {}}})))
                .collect();
            return Ok(axum::Json(json!({"data": fns})).into_response());
        }
        Some(_) => {
            return Err(crate::routes::query::query_issue(
                "format",
                "format must be nango or openai",
            ));
        }
    }
    let data: Vec<Value> = state
        .integrations()
        .iter()
        .map(|i| {
            json!({
                "providerConfigKey": i.unique_key,
                "provider": i.provider,
                "syncs": i.syncs.iter().map(|s| json!({
                    "name": s.name, "type": "sync", "runs": s.frequency, "auto_start": s.auto_start,
                    "returns": s.models, "models": s.models.iter().map(|m| json!({"name": m, "fields": []})).collect::<Vec<_>>(),
                    // The models' JSON Schema, one definition per model, as the CLI deploys it.
                    "json_schema": {"definitions": s.models.iter()
                        .map(|m| (m.clone(), crate::model::provider_data::model_schema(m)))
                        .collect::<serde_json::Map<_, _>>()},
                    "sync_type": "incremental", "version": "1.0.0", "enabled": true,
                })).collect::<Vec<_>>(),
                "actions": i.actions.iter().map(|a| json!({
                    "name": a.name, "type": "action", "returns": a.model.clone().map(|m| vec![m]).unwrap_or_default(),
                    "json_schema": a.model.as_ref().map(|m| json!({"definitions": {m.as_str(): crate::model::provider_data::model_schema(m)}})),
                    "version": "1.0.0", "enabled": true,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(axum::Json(Value::Array(data)).into_response())
}
