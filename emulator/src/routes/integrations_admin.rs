//! Integration administration: `POST /integrations`, `POST /integrations/quickstart`,
//! `PATCH`/`DELETE /integrations/:uniqueKey`, and the provider catalog's
//! `GET /providers/:provider/templates`. State lives in `model::catalog`.

use crate::model::catalog::{
    DeployedFunction, FunctionKind, IntegrationEntry, known_provider, provider_templates,
};
use crate::model::state::{Shared, lock, write};
use crate::model::timefmt::{iso, now_micros};
use crate::routes::auth::require_secret;
use crate::routes::error::{ApiError, Issue};
use crate::routes::query::{Query, json_body};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value, json};

type R = Result<Response, ApiError>;

/// An integration as the API shows it (Nango's `Integration` schema, which has no `auth_mode`:
/// the Connect UI page reads that from `GET /providers`).
pub(crate) fn integration_json(state: &Shared, e: &IntegrationEntry) -> Value {
    json!({
        "unique_key": e.unique_key,
        "display_name": e.display_name,
        "provider": e.provider,
        "logo": format!("{}/_provider/logo.svg", state.url),
        "forward_webhooks": e.forward_webhooks,
        "created_at": e.created_at,
        "updated_at": e.updated_at,
    })
}

/// A function as the API shows it: the template fields, plus the deployment fields when
/// `deployed` (Nango's `ProviderTemplateFunction` / `DeployedNangoFunction`).
pub(crate) fn function_json(f: &DeployedFunction, deployed: bool) -> Value {
    let mut out = json!({
        "name": f.name,
        "type": f.kind.as_str(),
        "description": format!("{} {} of the emulator's demo provider", f.name, f.kind.as_str()),
        "returns": f.returns,
        "json_schema": null,
    });
    if f.kind == FunctionKind::Sync {
        out["runs"] = json!(f.runs);
        out["auto_start"] = json!(f.auto_start);
        out["track_deletes"] = json!(false);
    }
    if deployed {
        out["id"] = json!(f.id);
        out["enabled"] = json!(true);
        out["last_deployed"] = json!(crate::model::catalog::SEEDED_AT);
        out["source"] = json!("catalog");
    }
    out
}

/// 404 `not_found` for an integration key the catalog does not have.
pub(crate) fn integration_missing() -> ApiError {
    ApiError::not_found("not_found", "Integration does not exist")
}

/// The secret key, and no query string (every route of this module takes none).
fn secret_without_query(
    state: &Shared,
    headers: &HeaderMap,
    raw: Option<&str>,
) -> Result<(), ApiError> {
    require_secret(state, headers)?;
    Query::parse(raw).empty()
}

fn body_issue(message: impl Into<String>, path: &[&str]) -> ApiError {
    ApiError::validation("invalid_body", vec![Issue::new("custom", message, path)])
}

/// `^[a-zA-Z0-9~:.@ _-]+$`, at most 255 characters (integration ids).
fn is_unique_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 255
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "~:.@ _-".contains(c))
}

fn check_unique_key(key: &str) -> Result<(), ApiError> {
    if is_unique_key(key) {
        Ok(())
    } else {
        Err(body_issue("Invalid unique key", &["unique_key"]))
    }
}

fn check_display_name(name: &Option<String>) -> Result<(), ApiError> {
    match name {
        Some(n) if n.is_empty() || n.chars().count() > 255 => Err(body_issue(
            "Display name must be 1 to 255 characters",
            &["display_name"],
        )),
        _ => Ok(()),
    }
}

/// The fields each credentials `type` requires (all non-empty strings).
fn required_credential_fields(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "OAUTH1" | "OAUTH2" | "TBA" => &["client_id", "client_secret"],
        "APP" => &["app_id", "app_link", "private_key"],
        "CUSTOM" => &[
            "client_id",
            "client_secret",
            "app_id",
            "app_link",
            "private_key",
        ],
        _ => return None,
    })
}

/// Validates the credentials' shape and that their type is the provider's auth mode.
fn check_credentials(credentials: &Value, provider_auth: &str) -> Result<(), ApiError> {
    let kind = credentials
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("");
    let fields = required_credential_fields(kind)
        .ok_or_else(|| body_issue("Invalid credentials type", &["credentials", "type"]))?;
    for field in fields {
        match credentials.get(*field).and_then(Value::as_str) {
            Some(v) if !v.is_empty() => {}
            _ => return Err(body_issue("Required", &["credentials", field])),
        }
    }
    if kind != provider_auth {
        return Err(ApiError::bad_request(
            "invalid_body",
            "incompatible credentials auth type and provider auth",
        ));
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    provider: String,
    unique_key: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    forward_webhooks: Option<bool>,
    #[serde(default)]
    credentials: Option<Value>,
    #[serde(default)]
    integration_config: Option<Map<String, Value>>,
    #[serde(default)]
    custom: Option<Map<String, Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuickstartBody {
    provider: String,
    unique_key: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    forward_webhooks: Option<bool>,
}

fn string_map(
    map: Option<Map<String, Value>>,
    field: &str,
) -> Result<Map<String, Value>, ApiError> {
    let map = map.unwrap_or_default();
    match map.iter().find(|(_, v)| !v.is_string()) {
        Some((key, _)) => Err(body_issue("Expected string", &[field, key])),
        None => Ok(map),
    }
}

/// Creates an entry for a known provider; `quickstart` uses the emulator's own developer app.
fn create_entry(state: &Shared, body: CreateBody, quickstart: bool) -> R {
    check_unique_key(&body.unique_key)?;
    check_display_name(&body.display_name)?;
    let provider = known_provider(&state.cfg, &body.provider).ok_or_else(|| {
        ApiError::validation(
            "invalid_body",
            vec![Issue::new(
                "invalid_string",
                "Invalid provider",
                &["provider"],
            )],
        )
    })?;
    if quickstart && !provider.needs_developer_app() {
        return Err(ApiError::bad_request(
            "invalid_body",
            "Quickstart is only available for providers that require a developer app",
        ));
    }
    let credentials = match (quickstart, body.credentials) {
        (true, _) => Some(json!({
            "type": provider.auth_mode().as_str(),
            "client_id": "nango-emulator-developer-app",
            "client_secret": "nango-emulator-developer-app-secret",
        })),
        (false, Some(c)) => {
            check_credentials(&c, provider.auth_mode().as_str())?;
            Some(c)
        }
        (false, None) => None,
    };
    let integration_config = string_map(body.integration_config, "integration_config")?;
    let custom = string_map(body.custom, "custom")?;
    let now = iso(now_micros());
    let mut entry = IntegrationEntry {
        unique_key: body.unique_key,
        provider: body.provider,
        display_name: body.display_name.unwrap_or_else(|| provider.display_name()),
        forward_webhooks: body.forward_webhooks.unwrap_or(true),
        created_at: now.clone(),
        updated_at: now,
        credentials,
        integration_config,
        custom,
        functions: Vec::new(),
        config: std::sync::Arc::new(provider.template.clone()),
    };
    entry.refresh(&state.cfg);
    let mut catalog = lock(&state.catalog);
    if catalog.get(&entry.unique_key).is_some() {
        return Err(ApiError::validation(
            "invalid_body",
            vec![Issue::new(
                "invalid_string",
                "Unique key already exists",
                &["uniqueKey"],
            )],
        ));
    }
    let out = integration_json(state, &entry);
    catalog.insert(entry);
    Ok(axum::Json(json!({"data": out})).into_response())
}

/// `POST /integrations`
pub(crate) async fn create(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> R {
    secret_without_query(&state, &headers, raw.as_deref())?;
    let body: CreateBody = json_body(&headers, &body)?;
    create_entry(&state, body, false)
}

/// `POST /integrations/quickstart`: an OAuth integration on the emulator's own developer app.
pub(crate) async fn quickstart(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> R {
    secret_without_query(&state, &headers, raw.as_deref())?;
    let b: QuickstartBody = json_body(&headers, &body)?;
    let body = CreateBody {
        provider: b.provider,
        unique_key: b.unique_key,
        display_name: b.display_name,
        forward_webhooks: b.forward_webhooks,
        credentials: None,
        integration_config: None,
        custom: None,
    };
    create_entry(&state, body, true)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatchBody {
    #[serde(default)]
    unique_key: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    credentials: Option<Value>,
    #[serde(default)]
    forward_webhooks: Option<bool>,
    #[serde(default)]
    integration_config: Option<Map<String, Value>>,
    #[serde(default)]
    custom: Option<Map<String, Value>>,
}

/// `PATCH /integrations/:uniqueKey`: changes only the fields given; `unique_key` renames.
pub(crate) async fn update(
    State(state): State<Shared>,
    Path(key): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> R {
    secret_without_query(&state, &headers, raw.as_deref())?;
    let b: PatchBody = json_body(&headers, &body)?;
    if let Some(new_key) = &b.unique_key {
        check_unique_key(new_key)?;
    }
    check_display_name(&b.display_name)?;
    let integration_config = string_map(b.integration_config, "integration_config")?;
    let custom = string_map(b.custom, "custom")?;
    let mut catalog = lock(&state.catalog);
    let provider = catalog
        .get(&key)
        .map(|e| e.provider.clone())
        .ok_or_else(integration_missing)?;
    if let Some(c) = &b.credentials {
        let auth = known_provider(&state.cfg, &provider)
            .map(|p| p.auth_mode().as_str())
            .unwrap_or("");
        check_credentials(c, auth)?;
    }
    if let Some(new_key) = &b.unique_key
        && *new_key != key
        && catalog.get(new_key).is_some()
    {
        return Err(ApiError::bad_request(
            "invalid_body",
            "uniqueKey is already used by another integration",
        ));
    }
    let entry = catalog.get_mut(&key).ok_or_else(integration_missing)?;
    if let Some(new_key) = b.unique_key {
        entry.unique_key = new_key;
        entry.refresh(&state.cfg);
    }
    if let Some(name) = b.display_name {
        entry.display_name = name;
    }
    if let Some(c) = b.credentials {
        entry.credentials = Some(c);
    }
    if let Some(forward) = b.forward_webhooks {
        entry.forward_webhooks = forward;
    }
    entry.integration_config.extend(integration_config);
    entry.custom.extend(custom);
    entry.updated_at = iso(now_micros());
    let out = integration_json(&state, entry);
    Ok(axum::Json(json!({"data": out})).into_response())
}

/// `DELETE /integrations/:uniqueKey`: the integration and its connections go.
pub(crate) async fn delete(
    State(state): State<Shared>,
    Path(key): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> R {
    secret_without_query(&state, &headers, raw.as_deref())?;
    if !lock(&state.catalog).remove(&key) {
        return Err(integration_missing());
    }
    let dropped: Vec<u64> = {
        let mut world = lock(&state.world);
        let ids: Vec<u64> = world
            .connections
            .iter()
            .filter(|((pck, _), _)| *pck == key)
            .map(|(_, c)| c.id)
            .collect();
        world.connections.retain(|(pck, _), _| *pck != key);
        world.syncs.retain(|(id, _, _), _| !ids.contains(id));
        ids
    };
    let mut records = write(&state.records);
    for id in dropped {
        records.drop_connection(id);
    }
    Ok(axum::Json(json!({"success": true})).into_response())
}

/// `GET /providers/:provider/templates`: the syncs and actions the emulator's integrations of
/// that provider offer; an unknown provider has none.
pub(crate) async fn provider_templates_route(
    State(state): State<Shared>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> R {
    secret_without_query(&state, &headers, raw.as_deref())?;
    if !crate::routes::query::is_name(&provider) || provider.len() > 255 {
        return Err(ApiError::validation(
            "invalid_uri_params",
            vec![Issue::new("invalid_string", "Invalid", &["provider"])],
        ));
    }
    let data: Vec<Value> = provider_templates(&state.cfg, &provider)
        .iter()
        .map(|f| function_json(f, false))
        .collect();
    Ok(axum::Json(json!({"data": data})).into_response())
}
