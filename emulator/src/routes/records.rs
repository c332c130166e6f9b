//! `GET /records` and `PATCH /records/prune`.

use crate::model::record_store::{Filter, PageQuery, RowKey, render_page};
use crate::model::state::{Shared, lock, read, write};
use crate::model::sync_engine::collection_model;
use crate::model::timefmt;
use crate::routes::auth::require_secret;
use crate::routes::error::ApiError;
use crate::routes::query::{Query, json_body, query_issue, required_header};
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

const MAX_LIMIT: usize = 10_000;

/// Resolves `Connection-Id` + `Provider-Config-Key` to the internal connection id.
fn connection_from_headers(state: &Shared, headers: &HeaderMap) -> Result<u64, ApiError> {
    let conn_id = required_header(headers, "Connection-Id")?;
    let pck = required_header(headers, "Provider-Config-Key")?;
    lock(&state.world)
        .connections
        .get(&(pck, conn_id))
        .map(|c| c.id)
        .ok_or_else(|| ApiError::bad_request("unknown_connection", "Connection not found"))
}

fn model_and_variant(model: Option<&str>, variant: Option<&str>) -> Result<String, ApiError> {
    let model = model.ok_or_else(|| query_issue("model", "Required"))?;
    if !crate::routes::query::is_model_name(model) {
        return Err(query_issue("model", "Invalid model name"));
    }
    let variant = variant.unwrap_or("base");
    if !crate::routes::query::is_name(variant) {
        return Err(query_issue("variant", "Invalid variant name"));
    }
    Ok(collection_model(model, variant))
}

fn parse_filter(s: &str) -> Result<Filter, ApiError> {
    let mut f = Filter::default();
    for part in s.split(',') {
        match part.trim().to_ascii_lowercase().as_str() {
            "added" => f.added = true,
            "updated" => f.updated = true,
            "deleted" => f.deleted = true,
            _ => {
                return Err(query_issue(
                    "filter",
                    "Invalid filter: expected a comma list of added, updated, deleted",
                ));
            }
        }
    }
    Ok(f)
}

/// `GET /records` (and `/records/`).
pub(crate) async fn list(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    let q = Query::parse(raw.as_deref());
    q.only(&[
        "model",
        "variant",
        "delta",
        "modified_after",
        "limit",
        "filter",
        "cursor",
        "ids",
    ])?;
    let model = model_and_variant(q.get("model"), q.get("variant"))?;
    let modified_after = match q.get("modified_after").or(q.get("delta")) {
        Some(s) => {
            let t = timefmt::parse_zod_datetime(s)
                .ok_or_else(|| query_issue("modified_after", "Invalid datetime"))?;
            if t < timefmt::now_micros() - 365 * 24 * 3600 * 1_000_000 {
                return Err(query_issue(
                    "modified_after",
                    "Date must be within the last 365 days",
                ));
            }
            Some(t)
        }
        None => None,
    };
    let limit = match q.get("limit") {
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|l| (1..=MAX_LIMIT).contains(l))
            .ok_or_else(|| query_issue("limit", "limit must be an integer between 1 and 10000"))?,
        None => 100,
    };
    let filter = q
        .get("filter")
        .map(parse_filter)
        .transpose()?
        .unwrap_or_default();
    let after = match q.get("cursor") {
        Some(c) if c.is_empty() || c.len() > 1000 => {
            return Err(query_issue("cursor", "cursor must be 1..1000 characters"));
        }
        // Nango answers an undecodable cursor with a 500 (docs/protocol.md §13, quirk 6).
        Some(c) => Some(
            RowKey::from_cursor(c)
                .ok_or_else(|| ApiError::server_error("Failed to fetch records"))?,
        ),
        None => None,
    };
    let ids = q.all("ids");
    let ids = if ids.is_empty() {
        None
    } else {
        if ids.len() > 100 || ids.iter().any(|i| i.is_empty() || i.len() > 256) {
            return Err(query_issue(
                "ids",
                "ids must be 1..100 values of 1..256 characters",
            ));
        }
        Some(ids.into_iter().map(str::to_owned).collect())
    };
    let conn = connection_from_headers(&state, &headers)?;
    let query = PageQuery {
        after,
        modified_after,
        limit,
        filter,
        ids,
        max_bytes: state.cfg.records_max_response_bytes,
    };
    let (rows, has_more) = {
        let records = read(&state.records);
        match records.collection(conn, &model) {
            Some(c) => c.page(&query),
            None => (Vec::new(), false),
        }
    };
    if rows.is_empty() {
        warn_if_unknown_model(&state, &headers, &model);
    }
    let body = render_page(&rows, has_more);
    let mut resp = Body::from(body).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    Ok(resp)
}

/// Nango answers a model no sync produces with an empty page, not an error; so does the
/// emulator, but it logs a warning that names the models it knows, so that a misspelt model
/// (`Tickets` for `Ticket`) does not pass for an empty one.
fn warn_if_unknown_model(state: &Shared, headers: &HeaderMap, model: &str) {
    let Ok(pck) = required_header(headers, "Provider-Config-Key") else {
        return;
    };
    let Some(integration) = state.integration(&pck) else {
        return;
    };
    let known = known_models(&integration);
    let base = model.split("::").next().unwrap_or(model);
    if !known.iter().any(|name| name == base) {
        let known = if known.is_empty() {
            "none".to_owned()
        } else {
            known.join(", ")
        };
        tracing::warn!(
            "GET /records for model {base:?}, which integration {pck:?} does not know: \
             answering with no records, as Nango does. Known models: {known}"
        );
    }
}

/// The models an integration's configuration declares, its syncs produce or its actions write.
fn known_models(integration: &crate::model::config::IntegrationConfig) -> Vec<String> {
    let mut known: Vec<String> = Vec::new();
    let declared = integration.models.iter().map(|m| m.name.as_str());
    let synced = integration
        .syncs
        .iter()
        .flat_map(|s| s.models.iter().map(String::as_str));
    let written = integration
        .actions
        .iter()
        .filter_map(|a| a.model.as_deref());
    for name in declared.chain(synced).chain(written) {
        if !known.iter().any(|k| k == name) {
            known.push(name.to_owned());
        }
    }
    known
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PruneBody {
    model: String,
    until_cursor: String,
    #[serde(default)]
    limit: Option<usize>,
    #[serde(default)]
    variant: Option<String>,
}

/// `PATCH /records/prune`
pub(crate) async fn prune(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    Query::parse(raw.as_deref()).empty()?;
    let b: PruneBody = json_body(&headers, &body)?;
    let model = model_and_variant(Some(&b.model), b.variant.as_deref()).map_err(|mut e| {
        e.code = "invalid_body".into();
        e
    })?;
    let limit = match b.limit {
        None => 1_000,
        Some(l) if (1..=MAX_LIMIT).contains(&l) => l,
        Some(_) => {
            return Err(ApiError::validation(
                "invalid_body",
                vec![crate::routes::error::Issue::new(
                    "custom",
                    "limit must be an integer between 1 and 10000",
                    &["limit"],
                )],
            ));
        }
    };
    let until = RowKey::from_cursor(&b.until_cursor)
        .ok_or_else(|| ApiError::server_error("Failed to prune records"))?;
    let conn = connection_from_headers(&state, &headers)?;
    let now = state.clock.tick();
    let (count, has_more) = write(&state.records)
        .collection_mut(conn, &model)
        .prune(until, limit, now);
    Ok(axum::Json(json!({"count": count, "has_more": has_more})).into_response())
}
