//! The built-in demo OAuth2 provider (authorize page with Allow/Deny, token endpoint with PKCE S256
//! and refresh tokens) and its small REST API that the proxy forwards to. Served under `/_provider`.

use crate::model::config::AuthMode;
use crate::model::state::{AuthCode, Credentials, Shared, TokenInfo, World, lock};
use crate::model::timefmt::{self, now_micros};
use crate::routes::error::ApiError;
use crate::routes::pages;
use crate::routes::query::Query;
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use base64::Engine;
use rand::RngCore;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// Client secret the emulator uses at its own token endpoint (not a real secret: both ends are us).
pub(crate) const CLIENT_SECRET: &str = "emulator-demo-client-secret";

pub(crate) fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

pub(crate) fn pkce_challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Issues a fresh access/refresh token pair; returns the provider's raw token response.
pub(crate) fn issue_tokens(
    world: &mut World,
    ttl_secs: u64,
    integration: &str,
    scope: &str,
) -> Value {
    let access = format!("demo_at_{}", random_hex(16));
    let refresh = format!("demo_rt_{}", random_hex(16));
    world.access_tokens.insert(
        access.clone(),
        TokenInfo {
            integration: integration.to_owned(),
            expires_at: now_micros() + (ttl_secs as i64) * 1_000_000,
        },
    );
    world
        .refresh_tokens
        .insert(refresh.clone(), integration.to_owned());
    json!({
        "access_token": access,
        "refresh_token": refresh,
        "token_type": "bearer",
        "expires_in": ttl_secs,
        "scope": scope,
    })
}

/// Connection credentials from a token response received at time `now`.
pub(crate) fn credentials_from_raw(raw: &Value, now: i64) -> Option<Credentials> {
    let access_token = raw.get("access_token")?.as_str()?.to_owned();
    let refresh_token = raw
        .get("refresh_token")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let expires_in = raw
        .get("expires_in")
        .and_then(Value::as_i64)
        .unwrap_or(3_600);
    Some(Credentials::OAuth2 {
        access_token,
        refresh_token,
        expires_at: now + expires_in * 1_000_000,
        raw: raw.clone(),
    })
}

/// Refreshes an OAuth2 connection's access token with its refresh token (as Nango does before
/// handing out credentials). Fails with `invalid_credentials` when the refresh token is unknown.
pub(crate) fn refresh_connection(
    world: &mut World,
    ttl_secs: u64,
    key: &(String, String),
) -> Result<(), ApiError> {
    let Some(conn) = world.connections.get(key) else {
        return Err(ApiError::not_found("not_found", "Connection not found"));
    };
    let Credentials::OAuth2 {
        refresh_token, raw, ..
    } = &conn.credentials
    else {
        return Ok(());
    };
    let scope = raw
        .get("scope")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let valid = refresh_token
        .as_ref()
        .and_then(|r| world.refresh_tokens.get(r))
        .is_some_and(|i| *i == conn.provider_config_key);
    if !valid {
        return Err(ApiError::new(StatusCode::FAILED_DEPENDENCY, "invalid_credentials")
            .msg("The refresh token is invalid or was revoked by the provider")
            .payload(json!({"connection": {"connection_id": conn.connection_id, "provider_config_key": conn.provider_config_key}})));
    }
    let integration = conn.provider_config_key.clone();
    let old_refresh = refresh_token.clone();
    if let Some(r) = old_refresh {
        world.refresh_tokens.remove(&r);
    }
    let raw = issue_tokens(world, ttl_secs, &integration, &scope);
    let now = now_micros();
    if let (Some(conn), Some(creds)) = (
        world.connections.get_mut(key),
        credentials_from_raw(&raw, now),
    ) {
        conn.credentials = creds;
        conn.updated_at = now;
    }
    Ok(())
}

fn oauth_error(code: &str, desc: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({"error": code, "error_description": desc})),
    )
        .into_response()
}

fn redirect_with(base: &str, params: &[(&str, &str)]) -> Response {
    let mut url = match url::Url::parse(base) {
        Ok(u) => u,
        Err(_) => return oauth_error("invalid_request", "bad redirect_uri"),
    };
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in params {
            q.append_pair(k, v);
        }
    }
    Redirect::to(url.as_str()).into_response()
}

/// `GET /_provider/oauth/authorize`: the consent page.
pub(crate) async fn authorize_page(
    State(state): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Response {
    let q = Query::parse(raw.as_deref());
    let client_id = q.get("client_id").unwrap_or_default();
    let Some(integ) = state
        .integration(client_id)
        .filter(|i| i.auth_mode == AuthMode::OAuth2)
    else {
        return (
            StatusCode::BAD_REQUEST,
            Html(pages::simple_page("Demo provider", "Unknown client_id.")),
        )
            .into_response();
    };
    if q.get("response_type") != Some("code") || q.get("redirect_uri").is_none() {
        return (
            StatusCode::BAD_REQUEST,
            Html(pages::simple_page(
                "Demo provider",
                "Invalid authorization request.",
            )),
        )
            .into_response();
    }
    let hidden: Vec<(&str, &str)> = [
        "client_id",
        "redirect_uri",
        "state",
        "scope",
        "code_challenge",
        "code_challenge_method",
    ]
    .iter()
    .map(|k| (*k, q.get(k).unwrap_or_default()))
    .collect();
    let app = integ
        .display_name
        .clone()
        .unwrap_or_else(|| integ.unique_key.clone());
    Html(pages::consent_page(
        &app,
        q.get("scope").unwrap_or_default(),
        &hidden,
    ))
    .into_response()
}

/// `POST /_provider/oauth/authorize`: the Allow/Deny form submission.
pub(crate) async fn authorize_decision(State(state): State<Shared>, body: Bytes) -> Response {
    let form = Query::parse(std::str::from_utf8(&body).ok());
    let redirect_uri = form.get("redirect_uri").unwrap_or_default().to_owned();
    let st = form.get("state").unwrap_or_default().to_owned();
    let client_id = form.get("client_id").unwrap_or_default().to_owned();
    if state.integration(&client_id).is_none() || redirect_uri.is_empty() {
        return oauth_error("invalid_request", "unknown client or missing redirect_uri");
    }
    if form.get("decision") != Some("allow") {
        return redirect_with(
            &redirect_uri,
            &[
                ("error", "access_denied"),
                ("error_description", "The user denied access"),
                ("state", &st),
            ],
        );
    }
    let code = format!("demo_code_{}", random_hex(16));
    let challenge = form
        .get("code_challenge")
        .filter(|c| !c.is_empty())
        .map(str::to_owned);
    lock(&state.world).auth_codes.insert(
        code.clone(),
        AuthCode {
            integration: client_id,
            redirect_uri: redirect_uri.clone(),
            code_challenge: challenge,
            scope: form.get("scope").unwrap_or_default().to_owned(),
            expires_at: now_micros() + 600_000_000,
        },
    );
    redirect_with(&redirect_uri, &[("code", &code), ("state", &st)])
}

/// `POST /_provider/oauth/token`: authorization_code (with PKCE S256) and refresh_token grants.
pub(crate) async fn token(State(state): State<Shared>, body: Bytes) -> Response {
    let form = Query::parse(std::str::from_utf8(&body).ok());
    let ttl = state.cfg.access_token_ttl_secs;
    let client_id = form.get("client_id").unwrap_or_default().to_owned();
    if form
        .get("client_secret")
        .is_some_and(|s| s != CLIENT_SECRET)
    {
        return oauth_error("invalid_client", "bad client secret");
    }
    let mut world = lock(&state.world);
    match form.get("grant_type") {
        Some("authorization_code") => {
            let code = form.get("code").unwrap_or_default();
            let Some(entry) = world.auth_codes.remove(code) else {
                return oauth_error("invalid_grant", "unknown or used authorization code");
            };
            if entry.expires_at < now_micros() || entry.integration != client_id {
                return oauth_error("invalid_grant", "expired code or client mismatch");
            }
            if form.get("redirect_uri") != Some(entry.redirect_uri.as_str()) {
                return oauth_error("invalid_grant", "redirect_uri mismatch");
            }
            if let Some(ch) = &entry.code_challenge {
                let verifier = form.get("code_verifier").unwrap_or_default();
                if pkce_challenge(verifier) != *ch {
                    return oauth_error("invalid_grant", "PKCE verification failed");
                }
            }
            let raw = issue_tokens(&mut world, ttl, &entry.integration, &entry.scope);
            axum::Json(raw).into_response()
        }
        Some("refresh_token") => {
            let rt = form.get("refresh_token").unwrap_or_default();
            let Some(integ) = world.refresh_tokens.get(rt).cloned() else {
                return oauth_error("invalid_grant", "unknown refresh token");
            };
            world.refresh_tokens.remove(rt);
            let raw = issue_tokens(&mut world, ttl, &integ, "");
            axum::Json(raw).into_response()
        }
        _ => oauth_error(
            "unsupported_grant_type",
            "grant_type must be authorization_code or refresh_token",
        ),
    }
}

/// Who may call the provider API: a live access token of this integration, or (for API-key and
/// basic integrations) credentials the integration accepts; anyone for unauthenticated ones.
fn api_authorized(state: &Shared, integration: &str, headers: &HeaderMap) -> bool {
    let Some(integ) = state.integration(integration) else {
        return false;
    };
    if integ.auth_mode == AuthMode::None {
        return true;
    }
    let Some(auth) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    match integ.auth_mode {
        AuthMode::OAuth2 => {
            let token = auth.strip_prefix("Bearer ").unwrap_or_default();
            lock(&state.world)
                .access_tokens
                .get(token)
                .is_some_and(|t| t.integration == integration && t.expires_at > now_micros())
        }
        AuthMode::ApiKey => {
            let key = auth.strip_prefix("Bearer ").unwrap_or_default();
            crate::routes::frontend_auth::api_key_accepted(&integ, key)
        }
        AuthMode::Basic => auth
            .strip_prefix("Basic ")
            .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.split_once(':').map(|(u, p)| (u.to_owned(), p.to_owned())))
            .is_some_and(|(u, p)| crate::routes::frontend_auth::basic_accepted(&integ, &u, &p)),
        AuthMode::None => true,
    }
}

/// `/_provider/{integration}/api/{*rest}`: the provider's REST API.
///
/// * `GET records/{Model}` → `{"items":[…]}`; `POST records/{Model}` creates one; `GET records/{Model}/{id}`.
/// * `ANY echo/...` → what was received (method, path, query, headers, body).
/// * `ANY status/{code}` → that status with a small JSON body.
/// * `GET binary` → the 256 byte values, for binary-safety checks.
pub(crate) async fn api(
    State(state): State<Shared>,
    Path((integration, rest)): Path<(String, String)>,
    method: Method,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !api_authorized(&state, &integration, &headers) {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"error": "invalid_token"})),
        )
            .into_response();
    }
    let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    match (method.clone(), parts.as_slice()) {
        (_, ["echo", ..]) => {
            let hs: serde_json::Map<String, Value> = headers
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_owned(),
                        Value::String(v.to_str().unwrap_or("").to_owned()),
                    )
                })
                .collect();
            let mut resp = axum::Json(json!({
                "method": method.as_str(),
                "path": format!("/{rest}"),
                "query": raw,
                "headers": hs,
                "body": String::from_utf8_lossy(&body),
            }))
            .into_response();
            resp.headers_mut()
                .insert("x-demo-provider", header::HeaderValue::from_static("echo"));
            resp
        }
        (_, ["status", code]) => {
            let status = code
                .parse::<u16>()
                .ok()
                .and_then(|c| StatusCode::from_u16(c).ok())
                .unwrap_or(StatusCode::BAD_REQUEST);
            (status, axum::Json(json!({"status": status.as_u16()}))).into_response()
        }
        (Method::GET, ["binary"]) => {
            let bytes: Vec<u8> = (0..=255u8).collect();
            (
                [(header::CONTENT_TYPE, "application/octet-stream")],
                Body::from(bytes),
            )
                .into_response()
        }
        (Method::GET | Method::HEAD, ["typed"]) => {
            // `?content_type=…&body=…`: answers `body` under that content type (none when not
            // given), so a client's handling of each kind of body can be tested.
            let mut content_type = None;
            let mut text = String::new();
            for (key, value) in url::form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes())
            {
                match key.as_ref() {
                    "content_type" => content_type = Some(value.into_owned()),
                    "body" => text = value.into_owned(),
                    _ => {}
                }
            }
            let mut resp = Body::from(text).into_response();
            if let Some(value) = content_type.and_then(|v| header::HeaderValue::from_str(&v).ok()) {
                resp.headers_mut().insert(header::CONTENT_TYPE, value);
            }
            resp
        }
        (Method::GET, ["records", model]) => {
            let world = lock(&state.world);
            let items: Vec<Value> = world
                .provider
                .get(&integration)
                .and_then(|d| d.models.get(*model))
                .map(|m| m.values().map(|i| i.payload.as_ref().clone()).collect())
                .unwrap_or_default();
            axum::Json(json!({"items": items})).into_response()
        }
        (Method::GET, ["records", model, id]) => {
            let world = lock(&state.world);
            match world
                .provider
                .get(&integration)
                .and_then(|d| d.models.get(*model))
                .and_then(|m| m.get(*id))
            {
                Some(i) => axum::Json(i.payload.as_ref().clone()).into_response(),
                None => (
                    StatusCode::NOT_FOUND,
                    axum::Json(json!({"error": "not_found"})),
                )
                    .into_response(),
            }
        }
        (Method::POST, ["records", model]) => {
            let input: Value = serde_json::from_slice(&body).unwrap_or(json!({}));
            let mut world = lock(&state.world);
            let created = crate::model::provider_data::create_from_input(
                &mut world,
                &integration,
                model,
                &input,
            );
            (StatusCode::CREATED, axum::Json(created)).into_response()
        }
        _ => (
            StatusCode::NOT_FOUND,
            axum::Json(json!({"error": "not_found", "path": format!("/{rest}")})),
        )
            .into_response(),
    }
}

/// Base URL of an integration's provider API.
pub(crate) fn api_base(state: &Shared, integration: &str) -> String {
    format!("{}/_provider/{}/api", state.url, integration)
}

/// Renders an `expires_at` for credentials.
pub(crate) fn expires_iso(micros: i64) -> String {
    timefmt::iso(micros)
}
