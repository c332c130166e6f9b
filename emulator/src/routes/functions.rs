//! The functions deployed to an integration: `GET /integrations/:uniqueKey/functions`,
//! `GET`/`DELETE /integrations/:uniqueKey/functions/:name` and `GET …/:name/code`. They describe
//! the syncs and actions configured for the integration (`model::catalog`); a deleted one
//! disappears from these routes (the sync engine and actions do not consult them).

use crate::model::catalog::{DeployedFunction, FunctionKind};
use crate::model::state::{Shared, lock};
use crate::routes::auth::require_secret;
use crate::routes::error::{ApiError, Issue};
use crate::routes::integrations_admin::{function_json, integration_missing};
use crate::routes::query::{Query, is_name};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

type R = Result<Response, ApiError>;

/// What `type` selects: a kind the emulator runs, or `on-event` (which it has none of).
#[derive(Clone, Copy, PartialEq, Eq)]
enum TypeFilter {
    Kind(FunctionKind),
    OnEvent,
}

impl TypeFilter {
    fn matches(self, f: &DeployedFunction) -> bool {
        self == TypeFilter::Kind(f.kind)
    }
}

fn query_error(code: &'static str, message: &str, path: &str) -> ApiError {
    ApiError::validation(
        "invalid_query_params",
        vec![Issue::new(code, message, &[path])],
    )
}

fn type_param(q: &Query, deletable: bool) -> Result<Option<TypeFilter>, ApiError> {
    match q.get("type") {
        None => Ok(None),
        Some("sync") => Ok(Some(TypeFilter::Kind(FunctionKind::Sync))),
        Some("action") => Ok(Some(TypeFilter::Kind(FunctionKind::Action))),
        Some("on-event") if !deletable => Ok(Some(TypeFilter::OnEvent)),
        Some(_) => Err(query_error("invalid_value", "Invalid option", "type")),
    }
}

fn int_param(q: &Query, key: &str, min: u64, max: u64, default: u64) -> Result<u64, ApiError> {
    match q.get(key) {
        None => Ok(default),
        Some(text) => match text.parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(query_error(
                "invalid_type",
                &format!("Expected an integer from {min} to {max}"),
                key,
            )),
        },
    }
}

fn check_params(key: &str, name: Option<&str>) -> Result<(), ApiError> {
    let key_ok = !key.is_empty() && key.len() <= 255;
    let name_ok = name.is_none_or(|n| is_name(n) && n.len() <= 255);
    if key_ok && name_ok {
        return Ok(());
    }
    let path = if key_ok { "name" } else { "uniqueKey" };
    Err(ApiError::validation(
        "invalid_uri_params",
        vec![Issue::new("invalid_string", "Invalid", &[path])],
    ))
}

fn function_missing() -> ApiError {
    ApiError::not_found("not_found", "Function does not exist")
}

/// The functions of `key` named `name` (of kind `filter` when given).
fn matching(
    state: &Shared,
    key: &str,
    name: &str,
    filter: Option<TypeFilter>,
) -> Result<Vec<DeployedFunction>, ApiError> {
    let catalog = lock(&state.catalog);
    let entry = catalog.get(key).ok_or_else(integration_missing)?;
    Ok(entry
        .functions
        .iter()
        .filter(|f| f.name == name && filter.is_none_or(|t| t.matches(f)))
        .cloned()
        .collect())
}

/// The reads by name: checks the key, the `type` query and the path, then [`matching`].
fn named(
    state: &Shared,
    headers: &HeaderMap,
    raw: Option<&str>,
    key: &str,
    name: &str,
) -> Result<Vec<DeployedFunction>, ApiError> {
    require_secret(state, headers)?;
    let q = Query::parse(raw);
    q.only(&["type"])?;
    let filter = type_param(&q, false)?;
    check_params(key, Some(name))?;
    matching(state, key, name, filter)
}

/// `GET /integrations/:uniqueKey/functions[?type&search&page&limit]`
pub(crate) async fn list(
    State(state): State<Shared>,
    Path(key): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> R {
    require_secret(&state, &headers)?;
    let q = Query::parse(raw.as_deref());
    q.only(&["type", "search", "page", "limit"])?;
    let filter = type_param(&q, false)?;
    let search = match q.get("search") {
        Some(s) if s.is_empty() || s.chars().count() > 255 => {
            return Err(query_error(
                "too_small",
                "Must be 1 to 255 characters",
                "search",
            ));
        }
        other => other.map(str::to_lowercase),
    };
    let page = int_param(&q, "page", 0, u64::from(u32::MAX), 0)?;
    let limit = int_param(&q, "limit", 1, 100, 20)?;
    check_params(&key, None)?;
    let catalog = lock(&state.catalog);
    let entry = catalog.get(&key).ok_or_else(integration_missing)?;
    let all: Vec<&DeployedFunction> = entry
        .functions
        .iter()
        .filter(|f| filter.is_none_or(|t| t.matches(f)))
        .filter(|f| {
            search
                .as_ref()
                .is_none_or(|s| f.name.to_lowercase().contains(s))
        })
        .collect();
    let data: Vec<Value> = all
        .iter()
        .skip(usize::try_from(page.saturating_mul(limit)).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|f| function_json(f, true))
        .collect();
    Ok(axum::Json(json!({
        "data": data,
        "pagination": {"total": all.len(), "page": page, "limit": limit},
    }))
    .into_response())
}

/// `GET /integrations/:uniqueKey/functions/:name[?type]`
pub(crate) async fn get(
    State(state): State<Shared>,
    Path((key, name)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> R {
    let found = named(&state, &headers, raw.as_deref(), &key, &name)?;
    let f = found.first().ok_or_else(function_missing)?;
    Ok(axum::Json(json!({"data": function_json(f, true)})).into_response())
}

/// A short TypeScript module standing in for the function's source.
fn source_of(f: &DeployedFunction) -> String {
    let returns = f.returns.join(", ");
    match f.kind {
        FunctionKind::Sync => format!(
            "// {name}: a sync of the Nango emulator's demo provider ({runs}).\n\
             export default async function fetchData(nango: any): Promise<void> {{\n    \
             // Copies the provider's {returns} records into the cache.\n}}\n",
            name = f.name,
            runs = f.runs.as_deref().unwrap_or("on demand"),
        ),
        FunctionKind::Action => format!(
            "// {name}: an action of the Nango emulator's demo provider.\n\
             export default async function runAction(nango: any, input: unknown): Promise<unknown> {{\n    \
             // Returns {returns}.\n    return input;\n}}\n",
            name = f.name,
            returns = if returns.is_empty() {
                "its input"
            } else {
                &returns
            },
        ),
    }
}

/// `GET /integrations/:uniqueKey/functions/:name/code[?type]`: 409 `ambiguous_function` when a
/// sync and an action share the name and no type is given.
pub(crate) async fn code(
    State(state): State<Shared>,
    Path((key, name)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> R {
    let found = named(&state, &headers, raw.as_deref(), &key, &name)?;
    match found.as_slice() {
        [] => Err(function_missing()),
        [f] => {
            Ok(axum::Json(json!({"type": f.kind.as_str(), "code": source_of(f)})).into_response())
        }
        several => Err(ApiError::new(StatusCode::CONFLICT, "ambiguous_function")
            .msg("Several functions have this name; give a type")
            .payload(json!({"matches": several
                .iter()
                .map(|f| json!({"type": f.kind.as_str(), "name": f.name}))
                .collect::<Vec<_>>()}))),
    }
}

/// `DELETE /integrations/:uniqueKey/functions/:name?type=sync|action`
pub(crate) async fn delete(
    State(state): State<Shared>,
    Path((key, name)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> R {
    require_secret(&state, &headers)?;
    let q = Query::parse(raw.as_deref());
    q.only(&["type"])?;
    let Some(TypeFilter::Kind(kind)) = type_param(&q, true)? else {
        return Err(query_error("invalid_type", "Required", "type"));
    };
    check_params(&key, Some(&name))?;
    let mut catalog = lock(&state.catalog);
    let entry = catalog.get_mut(&key).ok_or_else(integration_missing)?;
    let before = entry.functions.len();
    entry
        .functions
        .retain(|f| !(f.name == name && f.kind == kind));
    if entry.functions.len() == before {
        return Err(function_missing());
    }
    entry.refresh(&state.cfg);
    Ok(axum::Json(json!({"data": {"success": true}})).into_response())
}
