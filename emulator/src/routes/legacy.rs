//! The singular `/connection…` routes that official SDK versions before the move to `/connections`
//! call. Nango still serves them; so does the emulator, with the same handlers as the plural routes,
//! except the per-connection metadata routes, which take the metadata object itself as the body.

use crate::model::state::Shared;
use crate::routes::auth::require_secret;
use crate::routes::connections;
use crate::routes::error::ApiError;
use crate::routes::query::{Query, check_json_content_type};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value};

/// Adds the legacy routes to the route table.
pub(crate) fn routes(r: Router<Shared>) -> Router<Shared> {
    r.route("/connection", get(connections::list))
        .route(
            "/connection/metadata",
            post(connections::set_metadata).patch(connections::update_metadata),
        )
        .route(
            "/connection/{connection_id}",
            get(connections::get).delete(connections::delete),
        )
        .route(
            "/connection/{connection_id}/metadata",
            post(set_one).patch(update_one),
        )
}

/// `POST /connection/:connectionId/metadata` (replace; 201 with the body echoed).
async fn set_one(
    State(state): State<Shared>,
    Path(connection_id): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    one(state, connection_id, headers, raw, body, false)
}

/// `PATCH /connection/:connectionId/metadata` (merge; 200 with the body echoed).
async fn update_one(
    State(state): State<Shared>,
    Path(connection_id): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    one(state, connection_id, headers, raw, body, true)
}

/// The integration comes from `?provider_config_key=` or the `Provider-Config-Key` header (older
/// SDKs send both).
fn one(
    state: Shared,
    connection_id: String,
    headers: HeaderMap,
    raw: Option<String>,
    body: Bytes,
    merge: bool,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    let q = Query::parse(raw.as_deref());
    let pck = q
        .get("provider_config_key")
        .map(str::to_owned)
        .or_else(|| {
            headers
                .get("Provider-Config-Key")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .filter(|p| !p.is_empty())
        .ok_or_else(|| {
            ApiError::bad_request(
                "missing_provider_config",
                "Missing provider_config_key (query) or Provider-Config-Key (header)",
            )
        })?;
    check_json_content_type(&headers)?;
    let metadata: Map<String, Value> = serde_json::from_slice(&body).map_err(|_| {
        ApiError::bad_request("invalid_body", "The body must be a JSON object of metadata")
    })?;
    connections::apply_metadata(&state, &pck, &[connection_id], &metadata, merge).map_err(
        |id| ApiError::bad_request("unknown_connection", format!("Connection {id} not found")),
    )?;
    Ok((
        connections::metadata_status(merge),
        axum::Json(Value::Object(metadata)),
    )
        .into_response())
}
