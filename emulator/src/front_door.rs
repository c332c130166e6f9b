//! The middleware every request passes: CORS, request log and counters, injected faults, the rate
//! limiter. Admin routes (`/_emulator`) bypass faults, logging and rate limiting.

use crate::error::ApiError;
use crate::faults::FaultKind;
use crate::server::ConnKill;
use crate::state::{LoggedRequest, Shared, lock};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::{StreamExt, stream};
use http_body_util::BodyExt;
use serde_json::json;

const ALLOW_HEADERS: &str = "Authorization, Content-Type, Accept, Origin, X-Requested-With, Nango-Activity-Log-Id, Nango-Is-Dry-Run, Nango-Is-Sync, Provider-Config-Key, Connection-Id, Sentry-Trace, Baggage";
const EXPOSE_HEADERS: &str = "Authorization, Etag, Content-Type, Content-Length, X-Nango-Signature, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, Location";
const MAX_BODY: usize = 64 * 1024 * 1024;

fn add_cors(headers: &mut HeaderMap) {
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(EXPOSE_HEADERS),
    );
}

fn preflight() -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    let h = r.headers_mut();
    add_cors(h);
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static(ALLOW_HEADERS),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET,HEAD,PUT,PATCH,POST,DELETE"),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    r
}

async fn record(state: &Shared, req: Request) -> Result<Request, Response> {
    let key = format!("{} {}", req.method(), req.uri().path());
    let capacity = state.cfg.request_log_capacity;
    {
        let mut obs = lock(&state.observed);
        obs.total_requests += 1;
        *obs.request_counts.entry(key).or_default() += 1;
    }
    if capacity == 0 {
        return Ok(req);
    }
    let (parts, body) = req.into_parts();
    let bytes: Bytes = axum::body::to_bytes(body, MAX_BODY).await.map_err(|_| {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").into_response()
    })?;
    let entry = LoggedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(crate::redact::query),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    crate::redact::header(k.as_str(), &String::from_utf8_lossy(v.as_bytes())),
                )
            })
            .collect(),
        body: crate::redact::body(
            parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok()),
            &bytes,
        ),
    };
    {
        let mut obs = lock(&state.observed);
        if obs.requests.len() >= capacity {
            obs.requests.pop_front();
        }
        obs.requests.push_back(entry);
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

fn fault_status(
    status: u16,
    retry_after: Option<u64>,
    body: Option<serde_json::Value>,
) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let code = match status.as_u16() {
        429 => "too_many_request",
        s if s >= 500 => "server_error",
        _ => "injected_fault",
    };
    let body = body.unwrap_or_else(
        || json!({"error": {"code": code, "message": "Injected by the nango-emulator fault API"}}),
    );
    let mut r = (status, axum::Json(body)).into_response();
    // 429 always carries Retry-After (default 1 s); other statuses only when asked for.
    let retry_after = match (status == StatusCode::TOO_MANY_REQUESTS, retry_after) {
        (_, Some(secs)) => Some(secs),
        (true, None) => Some(1),
        (false, None) => None,
    };
    if let Some(v) = retry_after.and_then(|secs| HeaderValue::from_str(&secs.to_string()).ok()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// Sends the headers with the full `Content-Length` but only half of the body, then closes the TCP
/// connection (through the connection's kill switch, once hyper has flushed what it has).
async fn truncate(resp: Response, kill: Option<ConnKill>) -> Response {
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    if let Ok(v) = HeaderValue::from_str(&bytes.len().to_string()) {
        parts.headers.insert(header::CONTENT_LENGTH, v);
    }
    let head = stream::iter([Ok::<Bytes, std::io::Error>(half)]);
    let tail = stream::once(async move {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        if let Some(k) = kill {
            k.0.notify_one();
            std::future::pending::<()>().await;
        }
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "injected truncation",
        ))
    });
    Response::from_parts(parts, Body::from_stream(head.chain(tail)))
}

/// The middleware.
pub(crate) async fn front_door(State(state): State<Shared>, req: Request, next: Next) -> Response {
    if req.method() == Method::OPTIONS {
        return preflight();
    }
    let path = req.uri().path().to_owned();
    if path.starts_with("/_emulator") {
        let mut r = next.run(req).await;
        add_cors(r.headers_mut());
        return r;
    }
    let method = req.method().to_string();
    let req = match record(&state, req).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let fault = lock(&state.faults).take(&method, &path);
    let kill = req.extensions().get::<ConnKill>().cloned();
    let mut truncate_body = false;
    match fault {
        Some(FaultKind::Status {
            status,
            retry_after,
            body,
        }) => {
            let mut r = fault_status(status, retry_after, body);
            add_cors(r.headers_mut());
            return r;
        }
        Some(FaultKind::Delay { ms }) => {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await
        }
        Some(FaultKind::Drop) => {
            if let Some(kill) = req.extensions().get::<ConnKill>() {
                kill.0.notify_one();
                // The connection task drops this request's future (and the socket) right away.
                std::future::pending::<()>().await;
            }
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        Some(FaultKind::Truncate) => truncate_body = true,
        None => {}
    }
    let limited = !path.starts_with("/_provider") && !path.starts_with("/_connect");
    let verdict = if limited {
        lock(&state.faults).check_rate()
    } else {
        None
    };
    let mut resp = match verdict {
        Some(v) if v.exceeded => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            let mut e = ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_request");
            e.extra.insert("method".into(), json!(method));
            e.extra.insert("path".into(), json!(path));
            let mut r = e.into_response();
            if let Ok(h) =
                HeaderValue::from_str(&v.reset_unix.saturating_sub(now).max(1).to_string())
            {
                r.headers_mut().insert(header::RETRY_AFTER, h);
            }
            r
        }
        _ => next.run(req).await,
    };
    if let Some(v) = verdict {
        let h = resp.headers_mut();
        for (name, value) in [
            ("x-ratelimit-limit", v.limit),
            ("x-ratelimit-remaining", v.remaining),
            ("x-ratelimit-reset", v.reset_unix),
        ] {
            if let Ok(val) = HeaderValue::from_str(&value.to_string()) {
                h.insert(name, val);
            }
        }
    }
    add_cors(resp.headers_mut());
    if truncate_body {
        resp = truncate(resp, kill).await;
    }
    count_sent(&state, resp)
}

/// Counts the response under its `Content-Encoding`, and its body bytes as they leave (after
/// compression), for `/_emulator/counters`.
fn count_sent(state: &Shared, resp: Response) -> Response {
    let encoding = resp
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("identity")
        .to_owned();
    *lock(&state.observed)
        .response_encodings
        .entry(encoding)
        .or_default() += 1;
    let state = state.clone();
    resp.map(|body| {
        Body::new(body.map_frame(move |frame| {
            if let Some(data) = frame.data_ref() {
                lock(&state.observed).response_bytes += data.len() as u64;
            }
            frame
        }))
    })
}
