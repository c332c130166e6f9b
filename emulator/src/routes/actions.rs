//! `POST /action/trigger` (sync and `X-Async`) and `GET /action/:id`, running the built-in actions.

use crate::model::config::ActionKind;
use crate::model::state::{AsyncAction, Shared, lock};
use crate::routes::auth::require_secret;
use crate::routes::error::ApiError;
use crate::routes::query::{Query, json_body, required_header};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TriggerBody {
    action_name: String,
    #[serde(default)]
    input: Value,
}

/// Executes an action; bumps its execution counter.
pub(crate) fn execute(
    state: &Shared,
    pck: &str,
    connection_id: &str,
    name: &str,
    input: &Value,
) -> Result<Value, ApiError> {
    let integ = state.known_integration(pck)?;
    let action = integ
        .actions
        .iter()
        .find(|a| a.name == name)
        .ok_or_else(|| unknown_action(name))?;
    let mut world = lock(&state.world);
    if !world
        .connections
        .contains_key(&(pck.to_owned(), connection_id.to_owned()))
    {
        return Err(unknown_connection());
    }
    *world.action_counts.entry(name.to_owned()).or_default() += 1;
    match action.kind {
        ActionKind::Echo => Ok(input.clone()),
        ActionKind::Fail => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "action_script_failure",
        )
        .msg(format!("Action {name} failed"))
        .payload(json!({"message": "The built-in `fail` action always fails", "input": input}))),
        ActionKind::CreateRecord => {
            let model = action.model.clone().unwrap_or_default();
            if !input.is_object() && !input.is_null() {
                return Err(ApiError::bad_request(
                    "invalid_action_input",
                    "input must be an object",
                ));
            }
            Ok(crate::model::provider_data::create_from_input(
                &mut world, pck, &model, input,
            ))
        }
    }
}

/// Nango's answer to an action the integration does not have.
fn unknown_action(name: &str) -> ApiError {
    ApiError::not_found("not_found", format!("Action {name} not found"))
}

/// Nango's answer to an action on a connection that does not exist.
fn unknown_connection() -> ApiError {
    ApiError::bad_request("unknown_connection", "Connection not found")
}

/// `X-Max-Retries`, when sent, is an integer from 0 to 5.
fn check_max_retries(headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(v) = headers.get("X-Max-Retries") else {
        return Ok(());
    };
    let ok = v
        .to_str()
        .ok()
        .and_then(|s| s.trim().parse::<u8>().ok())
        .is_some_and(|n| n <= 5);
    if ok {
        return Ok(());
    }
    Err(ApiError::validation(
        "invalid_headers",
        vec![crate::routes::error::Issue::new(
            "too_big",
            "X-Max-Retries must be an integer from 0 to 5",
            &["x-max-retries"],
        )],
    ))
}

/// `POST /action/trigger`
pub(crate) async fn trigger(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    let connection_id = required_header(&headers, "Connection-Id")?;
    let pck = required_header(&headers, "Provider-Config-Key")?;
    check_max_retries(&headers)?;
    Query::parse(raw.as_deref()).empty()?;
    let b: TriggerBody = json_body(&headers, &body)?;
    if !crate::routes::query::is_name(&b.action_name) {
        return Err(ApiError::validation(
            "invalid_body",
            vec![crate::routes::error::Issue::new(
                "invalid_string",
                "Invalid action name",
                &["action_name"],
            )],
        ));
    }
    let is_async = headers
        .get("X-Async")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if !is_async {
        let out = execute(&state, &pck, &connection_id, &b.action_name, &b.input)?;
        return Ok(axum::Json(out).into_response());
    }
    // Validate up front so that a bad request fails synchronously, as Nango does.
    {
        let integ = state.known_integration(&pck)?;
        if !integ.actions.iter().any(|a| a.name == b.action_name) {
            return Err(unknown_action(&b.action_name));
        }
        if !lock(&state.world)
            .connections
            .contains_key(&(pck.clone(), connection_id.clone()))
        {
            return Err(unknown_connection());
        }
    }
    let id = Uuid::new_v4();
    lock(&state.world)
        .async_actions
        .insert(id, AsyncAction { result: None });
    let status_url = format!("/action/{id}");
    {
        let state = state.clone();
        let status_url = status_url.clone();
        state.clone().rt.spawn(async move {
            // Yield once so the 202 is answered before the action runs, like a queued task.
            tokio::task::yield_now().await;
            let result = execute(&state, &pck, &connection_id, &b.action_name, &b.input);
            let override_url = {
                let mut world = lock(&state.world);
                world.async_actions.insert(
                    id,
                    AsyncAction {
                        result: Some(result),
                    },
                );
                world
                    .connections
                    .get(&(pck.clone(), connection_id.clone()))
                    .and_then(|c| c.webhook_url_override.clone())
            };
            let payload = json!({
                "from": "nango",
                "type": "async_action",
                "connectionId": connection_id,
                "providerConfigKey": pck,
                "payload": {"id": id.to_string(), "statusUrl": status_url},
            });
            crate::model::webhooks::emit(&state, &payload, override_url.as_deref());
        });
    }
    let mut resp = (
        StatusCode::ACCEPTED,
        axum::Json(json!({"id": id.to_string(), "statusUrl": status_url})),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&status_url) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

/// `GET /action/:id`: the result once done; 404 `not_found` while unknown or still running.
pub(crate) async fn result(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    Query::parse(raw.as_deref()).empty()?;
    let not_found = || ApiError::not_found("not_found", "Action result not found or not ready");
    let id = Uuid::parse_str(&id).map_err(|_| not_found())?;
    let entry = lock(&state.world)
        .async_actions
        .get(&id)
        .cloned()
        .ok_or_else(not_found)?;
    match entry.result {
        None => Err(not_found()),
        Some(Ok(v)) => Ok(axum::Json(v).into_response()),
        Some(Err(e)) => Err(e),
    }
}
