//! `/proxy/*`: forwards to the demo provider's API (or `Base-Url-Override`) with the connection's
//! credentials, `Nango-Proxy-*` header unprefixing, and `Retries` / `Retry-On` handling.

use crate::model::state::{Credentials, Shared, lock};
use crate::model::timefmt::now_micros;
use crate::routes::auth::require_secret;
use crate::routes::error::ApiError;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use std::time::Duration;

const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "proxy-authenticate",
    "proxy-authorization",
    "content-length",
];

fn header_str<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .filter(|s| !s.is_empty())
}

/// Every method under `/proxy/`.
pub(crate) async fn proxy(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_secret(&state, &headers)?;
    let connection_id = header_str(&headers, "connection-id")
        .ok_or_else(|| {
            ApiError::bad_request("missing_connection_id", "Missing Connection-Id header")
        })?
        .to_owned();
    let pck = header_str(&headers, "provider-config-key")
        .ok_or_else(|| {
            ApiError::bad_request(
                "missing_provider_config_key",
                "Missing Provider-Config-Key header",
            )
        })?
        .to_owned();
    if state.integration(&pck).is_none() {
        return Err(ApiError::not_found(
            "unknown_provider_config",
            "Integration not found",
        ));
    }
    let key = (pck.clone(), connection_id);
    let credentials = {
        let mut world = lock(&state.world);
        let conn = world
            .connections
            .get(&key)
            .ok_or_else(|| ApiError::bad_request("unknown_connection", "Connection not found"))?;
        if let Credentials::OAuth2 { expires_at, .. } = &conn.credentials {
            if *expires_at - now_micros() < 15 * 60 * 1_000_000 {
                crate::routes::provider::refresh_connection(
                    &mut world,
                    state.cfg.access_token_ttl_secs,
                    &key,
                )
                .map_err(|e| {
                    ApiError::server_error(format!(
                        "Failed to refresh the token: {}",
                        e.message.clone().unwrap_or_default()
                    ))
                })?;
            }
        }
        world.connections.get(&key).map(|c| c.credentials.clone())
    }
    .ok_or_else(|| ApiError::bad_request("unknown_connection", "Connection not found"))?;

    let endpoint = uri.path().strip_prefix("/proxy").unwrap_or("/");
    let endpoint = if endpoint.starts_with('/') {
        endpoint.to_owned()
    } else {
        format!("/{endpoint}")
    };
    let base = match header_str(&headers, "base-url-override") {
        Some(b) => b.trim_end_matches('/').to_owned(),
        None => crate::routes::provider::api_base(&state, &pck),
    };
    let mut target = format!("{base}{endpoint}");
    if let Some(q) = uri.query() {
        target.push('?');
        target.push_str(q);
    }

    let mut out = HeaderMap::new();
    for (name, value) in &headers {
        if let Some(stripped) = name.as_str().strip_prefix("nango-proxy-") {
            if let Ok(n) = HeaderName::from_bytes(stripped.as_bytes()) {
                out.append(n, value.clone());
            }
        }
    }
    if let Some(ct) = headers.get(header::CONTENT_TYPE) {
        out.insert(header::CONTENT_TYPE, ct.clone());
    }
    let auth = match &credentials {
        Credentials::OAuth2 { access_token, .. } => Some(format!("Bearer {access_token}")),
        Credentials::ApiKey { api_key } => Some(format!("Bearer {api_key}")),
        Credentials::Basic { username, password } => Some(format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"))
        )),
        Credentials::None => None,
    };
    if let Some(auth) = auth
        && !out.contains_key(header::AUTHORIZATION)
        && let Ok(v) = HeaderValue::from_str(&auth)
    {
        out.insert(header::AUTHORIZATION, v);
    }

    let retries: u32 = header_str(&headers, "retries")
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
        .min(10);
    let retry_on: Vec<u16> = header_str(&headers, "retry-on")
        .map(|s| s.split(',').filter_map(|c| c.trim().parse().ok()).collect())
        .unwrap_or_default();
    let mut attempt = 0u32;
    loop {
        let res = state
            .http
            .request(method.clone(), &target)
            .headers(out.clone())
            .body(body.clone())
            .send()
            .await;
        let retryable = match &res {
            Err(_) => true,
            Ok(r) => {
                let s = r.status().as_u16();
                r.status().is_server_error() || s == 429 || retry_on.contains(&s)
            }
        };
        if retryable && attempt < retries {
            let retry_after = res
                .as_ref()
                .ok()
                .and_then(|r| r.headers().get(header::RETRY_AFTER))
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            let wait = match retry_after {
                Some(secs) => Duration::from_secs(secs.min(30)),
                None => Duration::from_millis(
                    state
                        .cfg
                        .proxy_retry_base_ms
                        .saturating_mul(1 << attempt.min(16)),
                ),
            };
            tokio::time::sleep(wait).await;
            attempt += 1;
            continue;
        }
        return match res {
            Err(e) => Err(ApiError::new(StatusCode::BAD_GATEWAY, "unknown_error")
                .msg(format!("The upstream request failed: {}", without_url(&e)))),
            Ok(r) => {
                let status = r.status();
                let mut h = HeaderMap::new();
                for (name, value) in r.headers() {
                    let n = name.as_str();
                    if HOP_BY_HOP.contains(&n) || n.starts_with("access-control-") {
                        continue;
                    }
                    h.append(name.clone(), value.clone());
                }
                let bytes = r.bytes().await.map_err(|e| {
                    ApiError::new(StatusCode::BAD_GATEWAY, "unknown_error").msg(without_url(&e))
                })?;
                let mut resp = (status, Body::from(bytes)).into_response();
                resp.headers_mut().extend(h);
                Ok(resp)
            }
        };
    }
}

/// reqwest errors print the URL; upstream URLs carry no secrets here, but keep errors terse anyway.
fn without_url(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timeout".into()
    } else if e.is_connect() {
        "connection refused".into()
    } else {
        "transport error".into()
    }
}
