//! Bearer auth codes, content types, CORS, connect sessions and their expiry, integrations reads.
#![allow(clippy::unwrap_used)]

mod common;
use common::Fetch;

use common::{Ctx, error_code};
use nango_emulator::Emulator;
use serde_json::{Value, json};
use std::time::Duration;

#[tokio::test]
async fn auth_error_codes() {
    let ctx = Ctx::default_with_connection().await;
    let url = ctx.url("/connections");
    let cases: Vec<(Option<&str>, &str)> = vec![
        (None, "missing_auth_header"),
        (Some("Bearer "), "invalid_secret_key_format"),
        (Some("Bearer not-a-uuid"), "invalid_secret_key_format"),
        (
            Some("Bearer 11111111-2222-4333-8444-555555555555"),
            "unknown_account",
        ),
    ];
    for (header, code) in cases {
        let mut req = ctx.http.get(&url);
        if let Some(h) = header {
            req = req.header("Authorization", h);
        }
        let (status, got) = error_code(req.fetch().await).await;
        assert_eq!((status, got.as_str()), (401, code));
    }
    // The key without "Bearer " is taken raw, as Nango does.
    let r = ctx
        .http
        .get(&url)
        .header("Authorization", ctx.emu.secret_key())
        .fetch()
        .await;
    assert_eq!(r.status(), 200);
    // Session-token routes.
    let sess = |t: String| {
        ctx.http
            .get(ctx.url("/connect/session"))
            .header("Authorization", format!("Bearer {t}"))
    };
    let (s, c) = error_code(sess("nango_connect_session_XYZ".into()).fetch().await).await;
    assert_eq!(
        (s, c.as_str()),
        (401, "invalid_connect_session_token_format")
    );
    let (s, c) = error_code(
        sess(format!("nango_connect_session_{}", "0".repeat(64)))
            .fetch()
            .await,
    )
    .await;
    assert_eq!((s, c.as_str()), (401, "unknown_connect_session_token"));
}

#[tokio::test]
async fn content_type_json_and_strict_bodies() {
    let ctx = Ctx::default_with_connection().await;
    let r = ctx
        .http
        .post(ctx.url("/connect/sessions"))
        .header("Authorization", ctx.bearer())
        .header("Content-Type", "text/plain")
        .body("{}")
        .fetch()
        .await;
    assert_eq!(error_code(r).await, (415, "invalid_content_type".into()));
    let r = ctx
        .http
        .post(ctx.url("/connect/sessions"))
        .header("Authorization", ctx.bearer())
        .header("Content-Type", "application/json")
        .body("{not json")
        .fetch()
        .await;
    assert_eq!(error_code(r).await, (400, "invalid_json".into()));
    let r = ctx
        .post(
            "/connect/sessions",
            &json!({"end_user": {"id": "u"}, "bogus": 1}),
        )
        .fetch()
        .await;
    assert_eq!(error_code(r).await, (400, "invalid_body".into()));
    let r = ctx.post("/connect/sessions", &json!({})).fetch().await;
    assert_eq!(error_code(r).await, (400, "invalid_body".into()));
    let r = ctx
        .post(
            "/connect/sessions",
            &json!({"end_user": {"id": "u"}, "allowed_integrations": ["zendesk", "nope"]}),
        )
        .fetch()
        .await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["error"]["errors"][0]["path"],
        json!(["allowed_integrations", "1"])
    );
    // No query string allowed on this route.
    let r = ctx
        .post("/connect/sessions?x=1", &json!({"end_user": {"id": "u"}}))
        .fetch()
        .await;
    assert_eq!(error_code(r).await, (400, "invalid_query_params".into()));
}

#[tokio::test]
async fn cors_preflight_and_headers() {
    let ctx = Ctx::default_with_connection().await;
    let r = ctx
        .http
        .request(reqwest::Method::OPTIONS, ctx.url("/records"))
        .header("Origin", "http://localhost:5173")
        .header("Access-Control-Request-Method", "GET")
        .fetch()
        .await;
    assert_eq!(r.status(), 204);
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    let allowed = r.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(allowed.contains("Connection-Id") && allowed.contains("Provider-Config-Key"));
    let r = ctx.get("/integrations").fetch().await;
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn connect_session_lifecycle() {
    let ctx = Ctx::default_with_connection().await;
    let r = ctx
        .post(
            "/connect/sessions",
            &json!({"end_user": {"id": "u1", "email": "a@b.co", "display_name": "A"}, "allowed_integrations": ["zendesk"], "tags": {"team": "x"}}),
        )
        .fetch().await;
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    let token = v["data"]["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("nango_connect_session_") && token.len() == 22 + 64);
    assert!(
        v["data"]["connect_link"]
            .as_str()
            .unwrap()
            .ends_with(&format!("?session_token={token}"))
    );
    assert!(v["data"]["expires_at"].as_str().unwrap().ends_with('Z'));

    let auth = format!("Bearer {token}");
    let r = ctx
        .http
        .get(ctx.url("/connect/session"))
        .header("Authorization", &auth)
        .fetch()
        .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["data"]["allowed_integrations"], json!(["zendesk"]));
    assert_eq!(v["data"]["endUser"]["id"], "u1");
    // Session tokens may read integrations (only the allowed ones) …
    let r = ctx
        .http
        .get(ctx.url("/integrations"))
        .header("Authorization", &auth)
        .fetch()
        .await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["data"].as_array().unwrap().len(), 1);
    // … but not secret-key routes.
    let r = ctx
        .http
        .get(ctx.url("/connections"))
        .header("Authorization", &auth)
        .fetch()
        .await;
    assert_eq!(r.status(), 401);
    // Reconnect sessions need an existing connection.
    let r = ctx
        .post(
            "/connect/sessions/reconnect",
            &json!({"connection_id": "conn-1", "integration_id": "zendesk"}),
        )
        .fetch()
        .await;
    assert_eq!(r.status(), 201);
    let r = ctx
        .post(
            "/connect/sessions/reconnect",
            &json!({"connection_id": "nope", "integration_id": "zendesk"}),
        )
        .fetch()
        .await;
    assert_eq!(r.status(), 400);
    // DELETE → 204, then the token is unknown.
    let r = ctx
        .http
        .delete(ctx.url("/connect/session"))
        .header("Authorization", &auth)
        .fetch()
        .await;
    assert_eq!(r.status(), 204);
    let r = ctx
        .http
        .get(ctx.url("/connect/session"))
        .header("Authorization", &auth)
        .fetch()
        .await;
    assert_eq!(
        error_code(r).await,
        (401, "unknown_connect_session_token".into())
    );
}

#[tokio::test]
async fn connect_sessions_expire() {
    let ctx = Ctx::start(Emulator::builder().connect_session_ttl(Duration::from_secs(1))).await;
    let token = ctx.default_session().await;
    let auth = format!("Bearer {token}");
    let r = ctx
        .http
        .get(ctx.url("/connect/session"))
        .header("Authorization", &auth)
        .fetch()
        .await;
    assert_eq!(r.status(), 200);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let r = ctx
        .http
        .get(ctx.url("/connect/session"))
        .header("Authorization", &auth)
        .fetch()
        .await;
    assert_eq!(
        error_code(r).await,
        (401, "unknown_connect_session_token".into())
    );
}

#[tokio::test]
async fn integrations_and_providers() {
    let ctx = Ctx::default_with_connection().await;
    let v: Value = ctx.get("/integrations").fetch_json().await;
    let keys: Vec<&str> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["unique_key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        vec![
            "zendesk",
            "demo-api-key",
            "demo-basic",
            "demo-unauthenticated"
        ]
    );
    let v: Value = ctx.get("/integrations/zendesk").fetch_json().await;
    assert_eq!(v["data"]["provider"], "zendesk");
    let r = ctx.get("/integrations/nope").fetch().await;
    assert_eq!(error_code(r).await, (404, "not_found".into()));
    let v: Value = ctx.get("/providers?search=zen").fetch_json().await;
    assert_eq!(v["data"].as_array().unwrap().len(), 1);
    let v: Value = ctx.get("/environment-variables").fetch_json().await;
    assert_eq!(v, json!([]));
}

#[tokio::test]
async fn api_key_and_basic_credential_routes() {
    let ctx = Ctx::default_with_connection().await;
    let token = ctx.default_session().await;
    let post = |path: String, body: Value| ctx.http.post(ctx.url(&path)).json(&body).send();
    let r = post(
        format!("/api-auth/api-key/demo-api-key?connect_session_token={token}"),
        json!({"apiKey": "wrong"}),
    )
    .await
    .unwrap();
    assert_eq!(error_code(r).await, (400, "connection_test_failed".into()));
    let r = post(
        format!("/api-auth/api-key/demo-api-key?connect_session_token={token}"),
        json!({"apiKey": "sk-demo-valid"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["providerConfigKey"], "demo-api-key");
    let conn = v["connectionId"].as_str().unwrap().to_owned();
    let v: Value = ctx
        .get(&format!(
            "/connections/{conn}?provider_config_key=demo-api-key"
        ))
        .fetch_json()
        .await;
    assert_eq!(
        v["credentials"],
        json!({"type": "API_KEY", "apiKey": "sk-demo-valid"})
    );
    assert_eq!(v["end_user"]["id"], "user-1");
    // Wrong auth mode, unknown integration, missing token, connection_id with a session token.
    let r = post(
        format!("/api-auth/api-key/zendesk?connect_session_token={token}"),
        json!({"apiKey": "x"}),
    )
    .await
    .unwrap();
    assert_eq!(error_code(r).await, (400, "invalid_auth_mode".into()));
    let r = post(
        format!("/api-auth/api-key/nope?connect_session_token={token}"),
        json!({"apiKey": "x"}),
    )
    .await
    .unwrap();
    assert_eq!(error_code(r).await, (404, "unknown_provider_config".into()));
    let r = post(
        "/api-auth/api-key/demo-api-key".into(),
        json!({"apiKey": "x"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 401);
    let r = post(
        format!("/api-auth/api-key/demo-api-key?connect_session_token={token}&connection_id=x"),
        json!({"apiKey": "x"}),
    )
    .await
    .unwrap();
    assert_eq!(error_code(r).await, (400, "invalid_query_params".into()));
    // Basic.
    let r = post(
        format!("/api-auth/basic/demo-basic?connect_session_token={token}"),
        json!({"username": "demo", "password": "bad"}),
    )
    .await
    .unwrap();
    assert_eq!(error_code(r).await, (400, "connection_test_failed".into()));
    let r = post(
        format!("/api-auth/basic/demo-basic?connect_session_token={token}"),
        json!({"username": "demo", "password": "demo-password"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    // allowed_integrations is enforced.
    let limited = ctx
        .session_token(json!({"end_user": {"id": "u"}, "allowed_integrations": ["zendesk"]}))
        .await;
    let r = post(
        format!("/api-auth/api-key/demo-api-key?connect_session_token={limited}"),
        json!({"apiKey": "sk-demo-valid"}),
    )
    .await
    .unwrap();
    assert_eq!(error_code(r).await, (400, "integration_not_allowed".into()));
}

#[tokio::test]
async fn unauthenticated_route_creates_a_connection_without_credentials() {
    let ctx = Ctx::default_with_connection().await;
    let token = ctx.default_session().await;
    let post = |path: String| ctx.http.post(ctx.url(&path)).send();
    let r = post(format!(
        "/auth/unauthenticated/demo-unauthenticated?connect_session_token={token}"
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["providerConfigKey"], "demo-unauthenticated");
    let conn = v["connectionId"].as_str().unwrap().to_owned();
    let v: Value = ctx
        .get(&format!(
            "/connections/{conn}?provider_config_key=demo-unauthenticated"
        ))
        .fetch_json()
        .await;
    assert_eq!(v["credentials"], json!({}));
    assert_eq!(v["end_user"]["id"], "user-1");
    // Another auth mode, no session token, connection_id beside a session token.
    let r = post(format!(
        "/auth/unauthenticated/demo-api-key?connect_session_token={token}"
    ))
    .await
    .unwrap();
    assert_eq!(error_code(r).await, (400, "invalid_auth_mode".into()));
    let r = post("/auth/unauthenticated/demo-unauthenticated".into())
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = post(format!(
        "/auth/unauthenticated/demo-unauthenticated?connect_session_token={token}&connection_id=x"
    ))
    .await
    .unwrap();
    assert_eq!(error_code(r).await, (400, "invalid_query_params".into()));
}
