//! The popup flow's server side: `GET /oauth/connect/:key` (redirect to the demo provider with
//! `state` and PKCE) and `GET /oauth/callback` (code exchange, connection, WebSocket notification,
//! callback page). Errors travel the same channels as Nango's: WS `error` + a 400 callback page.

use crate::model::config::AuthMode;
use crate::model::state::{OAuthSession, Shared, lock};
use crate::model::timefmt::now_micros;
use crate::routes::error::ApiError;
use crate::routes::frontend_auth::{connection_config, frontend_session, new_connection};
use crate::routes::pages;
use crate::routes::provider::{CLIENT_SECRET, credentials_from_raw, pkce_challenge, random_hex};
use crate::routes::query::Query;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::{Value, json};
use uuid::Uuid;

fn notify_error(
    state: &Shared,
    ws: Option<Uuid>,
    pck: Option<&str>,
    error_type: &str,
    desc: &str,
) -> Response {
    if let Some(id) = ws {
        let mut m = json!({"message_type": "error", "error_type": error_type, "error_desc": desc});
        if let (Some(p), Value::Object(o)) = (pck, &mut m) {
            o.insert("provider_config_key".into(), json!(p));
        }
        state.ws_send(id, &m);
    }
    (
        StatusCode::BAD_REQUEST,
        Html(pages::callback_page(Some((error_type, desc)))),
    )
        .into_response()
}

/// `GET /oauth/connect/:providerConfigKey`
pub(crate) async fn connect(
    State(state): State<Shared>,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = Query::parse(raw.as_deref());
    let ws = q.get("ws_client_id").and_then(|s| Uuid::parse_str(s).ok());
    let caller = frontend_session(&state, &q, &key)?;
    let Some(integ) = state.integration(&key) else {
        return Ok(notify_error(
            &state,
            ws,
            Some(&key),
            "unknown_config_key",
            &format!("No integration found for the key {key}"),
        ));
    };
    if integ.auth_mode != AuthMode::OAuth2 {
        return Ok(notify_error(
            &state,
            ws,
            Some(&key),
            "auth_mode_err",
            &format!("Integration {key} does not use OAuth2"),
        ));
    }
    let new = new_connection(&caller.session, &key, None, connection_config(&q));
    let verifier = random_hex(24);
    let oauth_state = Uuid::now_v1(&[0x4e, 0x61, 0x6e, 0x67, 0x6f, 0x21]).to_string();
    let mut scopes = integ.scopes.clone();
    if let Some(extra) = q.get("user_scope") {
        scopes.extend(
            extra
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
        );
    }
    lock(&state.world).oauth_sessions.insert(
        oauth_state.clone(),
        OAuthSession {
            provider_config_key: key.clone(),
            connection_id: new.connection_id.clone(),
            code_verifier: verifier.clone(),
            ws_client_id: ws,
            connection_config: new.connection_config,
            end_user: new.end_user,
            tags: new.tags,
            webhook_url_override: new.webhook_url_override,
        },
    );
    let mut url = url::Url::parse(&format!("{}/_provider/oauth/authorize", state.url))
        .map_err(|_| ApiError::server_error("bad base URL"))?;
    {
        let mut p = url.query_pairs_mut();
        p.append_pair("response_type", "code")
            .append_pair("client_id", &key)
            .append_pair("redirect_uri", &format!("{}/oauth/callback", state.url))
            .append_pair("scope", &scopes.join(","))
            .append_pair("state", &oauth_state)
            .append_pair("code_challenge", &pkce_challenge(&verifier))
            .append_pair("code_challenge_method", "S256");
        for (k, v) in &q.pairs {
            if let Some(name) = k
                .strip_prefix("authorization_params[")
                .and_then(|k| k.strip_suffix(']'))
            {
                if v != "undefined" {
                    p.append_pair(name, v);
                }
            }
        }
    }
    let mut resp = Redirect::to(url.as_str()).into_response();
    *resp.status_mut() = StatusCode::FOUND;
    if let Ok(cookie) = HeaderValue::from_str(&format!(
        "oauth2-{oauth_state}=1; HttpOnly; Max-Age=3600; SameSite=Lax; Path=/"
    )) {
        resp.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(resp)
}

/// `GET /oauth/callback`
pub(crate) async fn callback(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let q = Query::parse(raw.as_deref());
    let session = q
        .get("state")
        .and_then(|s| lock(&state.world).oauth_sessions.remove(s));
    let Some(session) = session else {
        return notify_error(
            &state,
            None,
            None,
            "state_err",
            "Invalid state parameter passed in the callback",
        );
    };
    let ws = session.ws_client_id;
    let pck = session.provider_config_key.clone();
    if let Some(err) = q.get("error") {
        let desc = q.get("error_description").unwrap_or("");
        return notify_error(
            &state,
            ws,
            Some(&pck),
            "callback_err",
            format!("The provider returned an error: {err} {desc}").trim(),
        );
    }
    let Some(code) = q.get("code") else {
        return notify_error(
            &state,
            ws,
            Some(&pck),
            "callback_err",
            "Did not get an authorization code in the callback",
        );
    };
    let redirect_uri = format!("{}/oauth/callback", state.url);
    let form: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "authorization_code")
        .append_pair("code", code)
        .append_pair("redirect_uri", &redirect_uri)
        .append_pair("client_id", &pck)
        .append_pair("client_secret", CLIENT_SECRET)
        .append_pair("code_verifier", &session.code_verifier)
        .finish();
    let res = state
        .http
        .post(format!("{}/_provider/oauth/token", state.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(form)
        .send()
        .await;
    let raw_token: Option<Value> = match res {
        Ok(r) if r.status().is_success() => r.json().await.ok(),
        _ => None,
    };
    let Some(creds) = raw_token
        .as_ref()
        .and_then(|t| credentials_from_raw(t, now_micros()))
    else {
        return notify_error(
            &state,
            ws,
            Some(&pck),
            "token_err",
            "Error storing/retrieving token",
        );
    };
    let new = crate::routes::connections::NewConnection {
        provider_config_key: pck.clone(),
        connection_id: session.connection_id.clone(),
        credentials: Some(creds),
        connection_config: session.connection_config.clone(),
        // End user, tags and webhook override come from the connect session that started the flow.
        end_user: session.end_user.clone(),
        tags: session.tags.clone(),
        webhook_url_override: session.webhook_url_override.clone(),
        metadata: None,
    };
    match crate::routes::connections::upsert_blocking(&state, new).await {
        Ok((conn, _)) => {
            if let Some(id) = ws {
                state.ws_send(
                    id,
                    &json!({"message_type": "success", "provider_config_key": conn.provider_config_key, "connection_id": conn.connection_id, "is_pending": false}),
                );
            }
            Html(pages::callback_page(None)).into_response()
        }
        Err(e) => notify_error(
            &state,
            ws,
            Some(&pck),
            "unknown_err",
            &e.message.clone().unwrap_or_default(),
        ),
    }
}
