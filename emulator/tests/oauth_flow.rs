//! The popup OAuth flow end to end over real HTTP and a real WebSocket: connect → demo provider
//! consent page → Allow/Deny form → callback → WS message → callback page; plus token refresh.
#![allow(clippy::unwrap_used)]

mod common;
use common::Fetch;

use common::{Ctx, error_code};
use futures_util::StreamExt;
use nango_emulator::Emulator;
use serde_json::{Value, json};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn ws_connect(ctx: &Ctx) -> (Ws, String) {
    let (mut ws, _) = tokio_tungstenite::connect_async(ctx.emu.ws_url())
        .await
        .unwrap();
    let ack = next_json(&mut ws).await;
    assert_eq!(ack["message_type"], "connection_ack");
    let id = ack["ws_client_id"].as_str().unwrap().to_owned();
    (ws, id)
}

async fn next_json(ws: &mut Ws) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        if let Message::Text(t) = msg {
            return serde_json::from_str(t.as_str()).unwrap();
        }
    }
}

/// reqwest is built without its `form` feature here; encode by hand.
trait Form {
    fn form_pairs<K: AsRef<str>, V: AsRef<str>>(self, pairs: &[(K, V)]) -> Self;
}

impl Form for reqwest::RequestBuilder {
    fn form_pairs<K: AsRef<str>, V: AsRef<str>>(self, pairs: &[(K, V)]) -> Self {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            ser.append_pair(k.as_ref(), v.as_ref());
        }
        self.header("content-type", "application/x-www-form-urlencoded")
            .body(ser.finish())
    }
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

/// Reads the hidden fields of the consent form.
fn form_fields(html: &str) -> Vec<(String, String)> {
    html.split("<input type=\"hidden\" ")
        .skip(1)
        .map(|chunk| {
            let attr = |name: &str| {
                let start = chunk.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                let end = start + chunk[start..].find('"').unwrap();
                chunk[start..end]
                    .replace("&amp;", "&")
                    .replace("&quot;", "\"")
            };
            (attr("name"), attr("value"))
        })
        .collect()
}

/// Runs the browser's part of the flow; returns the callback response.
async fn run_popup(
    ctx: &Ctx,
    key: &str,
    token: &str,
    ws_id: &str,
    decision: &str,
) -> reqwest::Response {
    let r = ctx
        .http
        .get(ctx.url(&format!("/oauth/connect/{key}?connect_session_token={token}&params[subdomain]=acme&ws_client_id={ws_id}")))
        .fetch().await;
    assert_eq!(r.status(), 302);
    assert!(
        r.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("oauth2-")
    );
    let authorize = location(&r);
    let u = url::Url::parse(&authorize).unwrap();
    let q: std::collections::HashMap<_, _> = u.query_pairs().into_owned().collect();
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(q["redirect_uri"], ctx.url("/oauth/callback"));
    assert!(!q["state"].is_empty() && !q["code_challenge"].is_empty());
    let page = ctx.http.get(&authorize).fetch().await.text().await.unwrap();
    assert!(page.contains(">Allow</button>") && page.contains(">Deny</button>"));
    let mut form = form_fields(&page);
    form.push(("decision".into(), decision.into()));
    let r = ctx
        .http
        .post(ctx.url("/_provider/oauth/authorize"))
        .form_pairs(&form)
        .fetch()
        .await;
    assert!(r.status().is_redirection());
    let callback = location(&r);
    assert!(callback.starts_with(&ctx.url("/oauth/callback?")));
    ctx.http.get(&callback).fetch().await
}

#[tokio::test]
async fn allow_creates_a_connection_and_notifies_the_socket() {
    let ctx = Ctx::start(Emulator::builder()).await;
    let token = ctx
        .session_token(
            json!({"end_user": {"id": "u-9", "email": "u9@example.com"}, "tags": {"plan": "pro"}}),
        )
        .await;
    let (mut ws, ws_id) = ws_connect(&ctx).await;
    let cb = run_popup(&ctx, "zendesk", &token, &ws_id, "allow").await;
    assert_eq!(cb.status(), 200);
    let html = cb.text().await.unwrap();
    assert!(html.contains("nango_oauth_callback_success") && html.contains("nango-oauth-callback"));
    let msg = next_json(&mut ws).await;
    assert_eq!(msg["message_type"], "success");
    assert_eq!(msg["provider_config_key"], "zendesk");
    assert_eq!(msg["is_pending"], false);
    let conn = msg["connection_id"].as_str().unwrap();
    // The connection exists, with OAuth2 credentials, end user, tags and connection config.
    let v: Value = ctx
        .get(&format!(
            "/connections/{conn}?provider_config_key=zendesk&refresh_token=true"
        ))
        .fetch_json()
        .await;
    assert_eq!(v["credentials"]["type"], "OAUTH2");
    assert!(
        v["credentials"]["access_token"]
            .as_str()
            .unwrap()
            .starts_with("demo_at_")
    );
    assert!(v["credentials"]["refresh_token"].is_string());
    assert_eq!(v["end_user"]["id"], "u-9");
    assert_eq!(v["tags"]["plan"], "pro");
    assert_eq!(v["connection_config"]["subdomain"], "acme");
    // Without refresh_token=true the refresh token is stripped.
    let v: Value = ctx
        .get(&format!("/connections/{conn}?provider_config_key=zendesk"))
        .fetch_json()
        .await;
    assert!(v["credentials"].get("refresh_token").is_none());
    assert!(v["credentials"]["raw"].get("refresh_token").is_none());
    // The initial sync ran.
    let r: Value = ctx
        .records(conn, "model=Ticket&limit=100")
        .fetch_json()
        .await;
    assert_eq!(r["records"].as_array().unwrap().len(), 50);
    // The state is single-use: replaying the callback is a state error.
}

#[tokio::test]
async fn deny_sends_a_ws_error_and_an_error_page() {
    let ctx = Ctx::start(Emulator::builder()).await;
    let token = ctx.default_session().await;
    let (mut ws, ws_id) = ws_connect(&ctx).await;
    let cb = run_popup(&ctx, "zendesk", &token, &ws_id, "deny").await;
    assert_eq!(cb.status(), 400);
    let html = cb.text().await.unwrap();
    assert!(html.contains("nango_oauth_callback_error") && html.contains("access_denied"));
    let msg = next_json(&mut ws).await;
    assert_eq!(msg["message_type"], "error");
    assert_eq!(msg["error_type"], "callback_err");
    assert!(
        msg["error_desc"]
            .as_str()
            .unwrap()
            .contains("access_denied")
    );
    let v: Value = ctx.get("/connections").fetch_json().await;
    assert_eq!(v["connections"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn errors_travel_the_same_channels() {
    let ctx = Ctx::start(Emulator::builder()).await;
    let token = ctx.default_session().await;
    // Unknown integration: WS error + error page.
    let (mut ws, ws_id) = ws_connect(&ctx).await;
    let r = ctx
        .http
        .get(ctx.url(&format!(
            "/oauth/connect/nope?connect_session_token={token}&ws_client_id={ws_id}"
        )))
        .fetch()
        .await;
    assert_eq!(r.status(), 400);
    let msg = next_json(&mut ws).await;
    assert_eq!(
        (msg["message_type"].as_str(), msg["error_type"].as_str()),
        (Some("error"), Some("unknown_config_key"))
    );
    // Bad state: error page.
    let r = ctx
        .http
        .get(ctx.url("/oauth/callback?code=x&state=bogus"))
        .fetch()
        .await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("state_err"));
    // Session restrictions answer with JSON, like Nango.
    let limited = ctx
        .session_token(json!({"end_user": {"id": "u"}, "allowed_integrations": ["demo-api-key"]}))
        .await;
    let r = ctx
        .http
        .get(ctx.url(&format!(
            "/oauth/connect/zendesk?connect_session_token={limited}"
        )))
        .fetch()
        .await;
    assert_eq!(error_code(r).await, (400, "integration_not_allowed".into()));
    let r = ctx
        .http
        .get(ctx.url(&format!(
            "/oauth/connect/zendesk?connect_session_token={token}&connection_id=x"
        )))
        .fetch()
        .await;
    assert_eq!(error_code(r).await, (400, "invalid_query_params".into()));
}

#[tokio::test]
async fn token_endpoint_checks_pkce_and_refreshes() {
    let ctx = Ctx::start(Emulator::builder()).await;
    let token = ctx.default_session().await;
    let r = ctx
        .http
        .get(ctx.url(&format!(
            "/oauth/connect/zendesk?connect_session_token={token}"
        )))
        .fetch()
        .await;
    let authorize = location(&r);
    let page = ctx.http.get(&authorize).fetch().await.text().await.unwrap();
    let mut form = form_fields(&page);
    form.push(("decision".into(), "allow".into()));
    let r = ctx
        .http
        .post(ctx.url("/_provider/oauth/authorize"))
        .form_pairs(&form)
        .fetch()
        .await;
    let cb = url::Url::parse(&location(&r)).unwrap();
    let code = cb
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    // A wrong verifier fails PKCE.
    let r = ctx
        .http
        .post(ctx.url("/_provider/oauth/token"))
        .form_pairs(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", "zendesk"),
            ("redirect_uri", &ctx.url("/oauth/callback")),
            ("code_verifier", "wrong"),
        ])
        .fetch()
        .await;
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "invalid_grant");
}

#[tokio::test]
async fn expiring_tokens_are_refreshed_and_revoked_ones_fail() {
    let ctx = Ctx::start(Emulator::builder().connection("zendesk", "conn-1")).await;
    let get = |q: &str| {
        ctx.get(&format!(
            "/connections/conn-1?provider_config_key=zendesk{q}"
        ))
        .send()
    };
    let v: Value = get("").await.unwrap().json().await.unwrap();
    let first = v["credentials"]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let v: Value = get("").await.unwrap().json().await.unwrap();
    assert_eq!(v["credentials"]["access_token"], first.as_str());
    let v: Value = get("&force_refresh=true")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let second = v["credentials"]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(first, second);
    // An expired token is refreshed on read.
    let admin = |path: &str| {
        ctx.post(
            path,
            &json!({"provider_config_key": "zendesk", "connection_id": "conn-1"}),
        )
        .send()
    };
    assert_eq!(
        admin("/_emulator/connections/expire-token")
            .await
            .unwrap()
            .status(),
        200
    );
    let v: Value = get("").await.unwrap().json().await.unwrap();
    assert_ne!(v["credentials"]["access_token"], second.as_str());
    // A revoked refresh token makes the next refresh fail with invalid_credentials (424).
    assert_eq!(
        admin("/_emulator/connections/revoke")
            .await
            .unwrap()
            .status(),
        200
    );
    let r = get("&force_refresh=true").await.unwrap();
    assert_eq!(r.status(), 424);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "invalid_credentials");
    assert_eq!(
        v["error"]["payload"]["connection"]["connection_id"],
        "conn-1"
    );
    assert!(
        v["error"]["payload"]["connection"]
            .get("credentials")
            .is_none()
    );
}

#[tokio::test]
async fn reconnect_sessions_override_the_same_connection() {
    let ctx = Ctx::start(Emulator::builder().connection("zendesk", "conn-1")).await;
    let before: Value = ctx
        .get("/connections/conn-1?provider_config_key=zendesk")
        .fetch_json()
        .await;
    let r = ctx
        .post(
            "/connect/sessions/reconnect",
            &json!({"connection_id": "conn-1", "integration_id": "zendesk"}),
        )
        .fetch()
        .await;
    let token = r.json::<Value>().await.unwrap()["data"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let auth = format!("Bearer {token}");
    let v: Value = ctx
        .http
        .get(ctx.url("/connect/session"))
        .header("Authorization", &auth)
        .fetch_json()
        .await;
    assert_eq!(v["data"]["isReconnecting"], true);
    let (mut ws, ws_id) = ws_connect(&ctx).await;
    let cb = run_popup(&ctx, "zendesk", &token, &ws_id, "allow").await;
    assert_eq!(cb.status(), 200);
    let msg = next_json(&mut ws).await;
    assert_eq!(msg["connection_id"], "conn-1");
    let after: Value = ctx
        .get("/connections/conn-1?provider_config_key=zendesk")
        .fetch_json()
        .await;
    assert_eq!(after["id"], before["id"]);
    assert_ne!(
        after["credentials"]["access_token"],
        before["credentials"]["access_token"]
    );
    let list: Value = ctx.get("/connections").fetch_json().await;
    assert_eq!(list["connections"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn custom_websocket_path_and_pages() {
    let ctx = Ctx::start(Emulator::builder().websockets_path("/ws")).await;
    assert!(ctx.emu.ws_url().ends_with("/ws"));
    let (_ws, id) = ws_connect(&ctx).await;
    assert!(uuid::Uuid::parse_str(&id).is_ok());
    // `/` is then only the landing document.
    let v: Value = ctx.http.get(ctx.url("/")).fetch_json().await;
    assert_eq!(v["name"], "nango-emulator");
    // The minimal Connect UI is served where connect_link points.
    let v: Value = ctx
        .post("/connect/sessions", &json!({"end_user": {"id": "x"}}))
        .fetch_json()
        .await;
    let link = v["data"]["connect_link"].as_str().unwrap().to_owned();
    assert!(link.starts_with(&ctx.url("/_connect/?session_token=")));
    let html = ctx.http.get(&link).fetch().await.text().await.unwrap();
    assert!(
        html.contains("type:'ready'") && html.contains("session_token") && html.contains("\"/ws\"")
    );
}

/// `POST /connections` (the backend's `createConnection`) of connection `backend-1`.
async fn create_connection(ctx: &Ctx, key: &str, credentials: Value) -> reqwest::Response {
    let body = json!({"provider_config_key": key, "connection_id": "backend-1", "credentials": credentials});
    ctx.post("/connections", &body).fetch().await
}

/// Integrations created through the administration API are seen by every route, not only by
/// `/integrations…`: OAuth and its callback, the credential routes, connect sessions,
/// connections and syncs; and once deleted, by none.
#[tokio::test]
async fn integrations_created_through_the_api_serve_auth_connections_and_sessions() {
    let ctx = Ctx::start(Emulator::builder()).await;
    let unknown = ctx
        .post(
            "/connect/sessions",
            &json!({"end_user": {"id": "u"}, "allowed_integrations": ["zd-new"]}),
        )
        .fetch()
        .await;
    assert_eq!(error_code(unknown).await.0, 400);
    let r = ctx
        .post(
            "/integrations/quickstart",
            &json!({"provider": "zendesk", "unique_key": "zd-new"}),
        )
        .fetch()
        .await;
    assert_eq!(r.status(), 200);
    let r = ctx
        .post(
            "/integrations",
            &json!({"provider": "openai", "unique_key": "keys-new"}),
        )
        .fetch()
        .await;
    assert_eq!(r.status(), 200);

    // OAuth through the popup routes, with a session limited to the new integration.
    let token = ctx
        .session_token(
            json!({"end_user": {"id": "u"}, "allowed_integrations": ["zd-new", "keys-new"]}),
        )
        .await;
    let (mut ws, ws_id) = ws_connect(&ctx).await;
    let cb = run_popup(&ctx, "zd-new", &token, &ws_id, "allow").await;
    assert_eq!(cb.status(), 200);
    let msg = next_json(&mut ws).await;
    assert_eq!(msg["message_type"], "success", "{msg}");
    assert_eq!(msg["provider_config_key"], "zd-new");
    let conn = msg["connection_id"].as_str().unwrap().to_owned();
    let v: Value = ctx
        .get(&format!("/connections/{conn}?provider_config_key=zd-new"))
        .fetch_json()
        .await;
    assert_eq!(v["provider"], "zendesk");
    assert_eq!(v["credentials"]["type"], "OAUTH2");
    // A created integration has no functions deployed, so no syncs run for it.
    let s: Value = ctx
        .get(&format!(
            "/sync/status?provider_config_key=zd-new&syncs=*&connection_id={conn}"
        ))
        .fetch_json()
        .await;
    assert_eq!(s["syncs"], json!([]), "{s}");

    // The API-key credential route, then a connection made by the backend.
    let r = ctx
        .http
        .post(ctx.url(&format!(
            "/api-auth/api-key/keys-new?connect_session_token={token}"
        )))
        .json(&json!({"apiKey": "sk-demo-valid"}))
        .fetch()
        .await;
    assert_eq!(r.status(), 200);
    let made: Value = r.json().await.unwrap();
    assert_eq!(made["providerConfigKey"], "keys-new");
    let r = create_connection(
        &ctx,
        "keys-new",
        json!({"type": "API_KEY", "apiKey": "sk-1"}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let list: Value = ctx.get("/connections").fetch_json().await;
    let keys: Vec<&str> = list["connections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["provider_config_key"].as_str().unwrap())
        .collect();
    assert_eq!(keys.len(), 3, "{list}");
    assert!(keys.contains(&"zd-new") && keys.contains(&"keys-new"));

    // Deleted: the routes no longer know it.
    let r = ctx.delete("/integrations/keys-new").fetch().await;
    assert_eq!(r.status(), 200);
    let r = create_connection(
        &ctx,
        "keys-new",
        json!({"type": "API_KEY", "apiKey": "sk-1"}),
    )
    .await;
    assert_eq!(error_code(r).await, (404, "not_found".to_owned()));
}

/// A function deleted from an integration no longer runs for its new connections.
#[tokio::test]
async fn a_deleted_sync_is_not_started_for_new_connections() {
    let ctx = Ctx::start(Emulator::builder()).await;
    let r = ctx
        .delete("/integrations/zendesk/functions/tickets?type=sync")
        .fetch()
        .await;
    assert_eq!(r.status(), 200);
    let r = create_connection(
        &ctx,
        "zendesk",
        json!({"type": "OAUTH2", "access_token": "t"}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let s: Value = ctx
        .get("/sync/status?provider_config_key=zendesk&syncs=*&connection_id=backend-1")
        .fetch_json()
        .await;
    assert_eq!(s["syncs"], json!([]), "{s}");
}
