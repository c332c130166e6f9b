//! Answers where the emulator once guessed and Nango's published API says otherwise: each test
//! pins Nango's status and error code (or shape), and fails on the earlier guess.
#![allow(clippy::unwrap_used)]

mod common;
use common::Fetch;

use common::{Ctx, error_code};
use serde_json::{Value, json};

fn with_conn(r: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
    r.header("Connection-Id", "conn-1")
        .header("Provider-Config-Key", "zendesk")
}

#[tokio::test]
async fn integrations_carry_no_auth_mode() {
    let ctx = Ctx::default_with_connection().await;
    let list: Value = ctx.get("/integrations").fetch_json().await;
    let first = &list["data"][0];
    assert!(first.get("unique_key").is_some(), "{list}");
    assert!(first.get("auth_mode").is_none(), "{first}");
    let one: Value = ctx.get("/integrations/zendesk").fetch_json().await;
    assert!(one["data"].get("auth_mode").is_none(), "{one}");
    assert_eq!(one["data"]["unique_key"], "zendesk");
}

#[tokio::test]
async fn integration_include_is_webhook_or_credentials() {
    let ctx = Ctx::default_with_connection().await;
    let r = ctx
        .get("/integrations/zendesk?include=secrets")
        .fetch()
        .await;
    assert_eq!(error_code(r).await, (400, "invalid_query_params".into()));
    let r = ctx
        .get("/integrations/zendesk?include=webhook&include=secrets")
        .fetch()
        .await;
    assert_eq!(error_code(r).await.0, 400);
    let v: Value = ctx
        .get("/integrations/zendesk?include=webhook&include=credentials")
        .fetch_json()
        .await;
    assert!(v["data"]["webhook_url"].is_null(), "{v}");
    assert_eq!(v["data"]["credentials"]["type"], "OAUTH2");
    assert_eq!(v["data"]["credentials"]["client_id"], "zendesk");
    let v: Value = ctx.get("/integrations/zendesk").fetch_json().await;
    assert!(v["data"].get("credentials").is_none(), "{v}");
}

#[tokio::test]
async fn importing_a_connection_needs_credentials() {
    let ctx = Ctx::default_with_connection().await;
    let r = ctx
        .post(
            "/connections",
            &json!({"provider_config_key": "zendesk", "connection_id": "imp"}),
        )
        .fetch()
        .await;
    assert_eq!(error_code(r).await, (400, "invalid_body".into()));
    let r = ctx
        .post(
            "/connections",
            &json!({"provider_config_key": "nope", "credentials": {"type": "API_KEY", "apiKey": "k"}}),
        )
        .fetch()
        .await;
    assert_eq!(error_code(r).await, (404, "not_found".into()));
}

#[tokio::test]
async fn prune_limit_is_at_least_one() {
    let ctx = Ctx::default_with_connection().await;
    let page: Value = ctx
        .records("conn-1", "model=Ticket&limit=1")
        .fetch_json()
        .await;
    let cursor = page["records"][0]["_nango_metadata"]["cursor"].clone();
    let prune = |limit: Value| {
        with_conn(ctx.http.patch(ctx.url("/records/prune")))
            .header("Authorization", ctx.bearer())
            .json(&json!({"model": "Ticket", "until_cursor": cursor, "limit": limit}))
            .send()
    };
    for bad in [json!(0), json!(10_001)] {
        let r = prune(bad).await.unwrap();
        assert_eq!(error_code(r).await, (400, "invalid_body".into()));
    }
    let r = prune(json!(1)).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["count"], 1);
}

#[tokio::test]
async fn sync_trigger_needs_syncs() {
    let ctx = Ctx::default_with_connection().await;
    let r = ctx
        .post(
            "/sync/trigger",
            &json!({"provider_config_key": "zendesk", "connection_id": "conn-1"}),
        )
        .fetch()
        .await;
    assert_eq!(error_code(r).await, (400, "invalid_body".into()));
    // An empty list still means every sync of the connection.
    let r = ctx
        .post(
            "/sync/trigger",
            &json!({"syncs": [], "provider_config_key": "zendesk", "connection_id": "conn-1"}),
        )
        .fetch()
        .await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn frequency_must_be_present_but_may_be_null() {
    let ctx = Ctx::default_with_connection().await;
    let put = |body: Value| {
        ctx.http
            .put(ctx.url("/sync/update-connection-frequency"))
            .header("Authorization", ctx.bearer())
            .json(&body)
            .send()
    };
    let base = json!({"sync_name": "tickets", "provider_config_key": "zendesk", "connection_id": "conn-1"});
    let r = put(base.clone()).await.unwrap();
    assert_eq!(error_code(r).await, (400, "invalid_body".into()));
    let mut with_null = base;
    with_null["frequency"] = Value::Null;
    let r = put(with_null).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"frequency": "every 5 minutes"})
    );
}

#[tokio::test]
async fn sync_variant_errors() {
    let ctx = Ctx::default_with_connection().await;
    let body = json!({"provider_config_key": "zendesk", "connection_id": "conn-1"});
    let create = |path: &str| ctx.post(path, &body).send();
    let delete = |path: &str| {
        ctx.http
            .delete(ctx.url(path))
            .header("Authorization", ctx.bearer())
            .json(&body)
            .send()
    };
    let r = create("/sync/nope/variant/eu").await.unwrap();
    assert_eq!(error_code(r).await, (400, "unknown_sync".into()));
    for base in ["base", "BASE"] {
        let path = format!("/sync/tickets/variant/{base}");
        let r = create(&path).await.unwrap();
        assert_eq!(error_code(r).await, (400, "invalid_variant".into()));
        let r = delete(&path).await.unwrap();
        assert_eq!(error_code(r).await, (400, "invalid_variant".into()));
    }
    let r = delete("/sync/tickets/variant/missing").await.unwrap();
    assert_eq!(error_code(r).await, (404, "not_found".into()));
    assert_eq!(
        create("/sync/tickets/variant/eu").await.unwrap().status(),
        200
    );
    let r = delete("/sync/tickets/variant/eu").await.unwrap();
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"success": true}));
    let r = delete("/sync/tickets/variant/eu").await.unwrap();
    assert_eq!(error_code(r).await, (404, "not_found".into()));
}

#[tokio::test]
async fn action_errors() {
    let ctx = Ctx::default_with_connection().await;
    let trigger = |conn: &str, name: &str, retries: Option<&str>, is_async: bool| {
        let mut r = ctx
            .post(
                "/action/trigger",
                &json!({"action_name": name, "input": {}}),
            )
            .header("Connection-Id", conn)
            .header("Provider-Config-Key", "zendesk");
        if let Some(n) = retries {
            r = r.header("X-Max-Retries", n);
        }
        if is_async {
            r = r.header("X-Async", "true");
        }
        r.send()
    };
    for is_async in [false, true] {
        let r = trigger("ghost", "echo", None, is_async).await.unwrap();
        assert_eq!(error_code(r).await, (400, "unknown_connection".into()));
        let r = trigger("conn-1", "nope", None, is_async).await.unwrap();
        assert_eq!(error_code(r).await, (404, "not_found".into()));
    }
    for bad in ["9", "6", "-1", "many"] {
        let r = trigger("conn-1", "echo", Some(bad), false).await.unwrap();
        assert_eq!(
            error_code(r).await,
            (400, "invalid_headers".into()),
            "{bad}"
        );
    }
    for ok in ["0", "5"] {
        let r = trigger("conn-1", "echo", Some(ok), false).await.unwrap();
        assert_eq!(r.status(), 200, "{ok}");
    }
}

#[tokio::test]
async fn unknown_routes_answer_with_the_error_envelope() {
    let ctx = Ctx::default_with_connection().await;
    for r in [
        ctx.get("/no/such/route").fetch().await,
        ctx.post("/integrations/zendesk/nope", &json!({}))
            .fetch()
            .await,
        // A known path with a method it does not serve.
        ctx.http
            .put(ctx.url("/records"))
            .header("Authorization", ctx.bearer())
            .fetch()
            .await,
    ] {
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
        assert_eq!(error_code(r).await, (404, "not_found".into()));
    }
}

#[tokio::test]
async fn legacy_connection_routes() {
    let ctx = Ctx::start(
        nango_emulator::Emulator::builder()
            .connection("zendesk", "conn-1")
            .connection("zendesk", "conn-2"),
    )
    .await;
    let v: Value = ctx.get("/connection").fetch_json().await;
    assert_eq!(v["connections"].as_array().unwrap().len(), 2);
    let v: Value = ctx
        .get("/connection/conn-1?provider_config_key=zendesk&force_refresh=false&refresh_token=false")
        .fetch_json()
        .await;
    assert_eq!(v["connection_id"], "conn-1");
    assert_eq!(v["credentials"]["type"], "OAUTH2");
    // Metadata, the multi-connection form.
    let body = json!({"connection_id": ["conn-1", "conn-2"], "provider_config_key": "zendesk", "metadata": {"a": 1}});
    let r = ctx.post("/connection/metadata", &body).fetch().await;
    assert_eq!(r.status(), 201);
    let r = ctx
        .http
        .patch(ctx.url("/connection/metadata"))
        .header("Authorization", ctx.bearer())
        .json(&json!({"connection_id": "conn-2", "provider_config_key": "zendesk", "metadata": {"b": 2}}))
        .fetch()
        .await;
    assert_eq!(r.status(), 200);
    // Metadata, the per-connection form: the body is the metadata, the key a header or query.
    let r = ctx
        .post("/connection/conn-1/metadata", &json!({"c": 3}))
        .header("Provider-Config-Key", "zendesk")
        .fetch()
        .await;
    assert_eq!(r.status(), 201);
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"c": 3}));
    let r = ctx
        .http
        .patch(ctx.url("/connection/conn-1/metadata?provider_config_key=zendesk"))
        .header("Authorization", ctx.bearer())
        .json(&json!({"d": 4}))
        .fetch()
        .await;
    assert_eq!(r.status(), 200);
    let r = ctx
        .post("/connection/ghost/metadata", &json!({"c": 3}))
        .header("Provider-Config-Key", "zendesk")
        .fetch()
        .await;
    assert_eq!(error_code(r).await, (400, "unknown_connection".into()));
    let r = ctx
        .post("/connection/conn-1/metadata", &json!({}))
        .fetch()
        .await;
    assert_eq!(error_code(r).await, (400, "missing_provider_config".into()));
    let one: Value = ctx
        .get("/connections/conn-1?provider_config_key=zendesk")
        .fetch_json()
        .await;
    assert_eq!(one["metadata"], json!({"c": 3, "d": 4}));
    let two: Value = ctx
        .get("/connections/conn-2?provider_config_key=zendesk")
        .fetch_json()
        .await;
    assert_eq!(two["metadata"], json!({"a": 1, "b": 2}));
    // Delete.
    let del = || {
        ctx.http
            .delete(ctx.url("/connection/conn-2?provider_config_key=zendesk"))
            .header("Authorization", ctx.bearer())
            .send()
    };
    assert_eq!(
        del().await.unwrap().json::<Value>().await.unwrap(),
        json!({"success": true})
    );
    assert_eq!(
        error_code(del().await.unwrap()).await,
        (400, "unknown_connection".into())
    );
}
