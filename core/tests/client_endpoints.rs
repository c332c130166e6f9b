//! Every endpoint against a real loopback server: what the server receives (method, path,
//! query, headers, body) and what the typed method returns.

// The HTTP client is behind the default `client` feature.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used)]

mod client_support;

use client_support::{KEY, Received, json, raw, start};
use nango::*;
use serde_json::{Value, json};

fn answer(req: &Received) -> axum::response::Response {
    match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/records/") => json(
            200,
            json!({"records": [{"id": "17", "title": "a", "_nango_metadata": {
                "first_seen_at": "2026-01-02T03:04:05.123456+00:00",
                "last_modified_at": "2026-01-02T03:04:05.123456+00:00",
                "last_action": "ADDED", "deleted_at": null, "pruned_at": null, "cursor": "C1"}}],
                "next_cursor": null}),
        ),
        ("PATCH", "/records/prune") => json(200, json!({"count": 3, "has_more": false})),
        ("POST", "/action/trigger") if req.header("x-async").is_some() => raw(
            202,
            &[
                ("location", "/action/run-1"),
                ("content-type", "application/json"),
            ],
            r#"{"id":"run-1","statusUrl":"/action/run-1"}"#,
        ),
        ("POST", "/action/trigger") => json(200, json!({"echo": req.json()["input"]})),
        ("GET", "/action/run-1") => json(200, json!({"done": true})),
        ("GET", "/connections") => json(
            200,
            json!({"connections": [{"id": 1, "connection_id": "c1", "provider_config_key": "github",
                "provider": "github", "created": "2026-01-01", "metadata": null, "errors": [],
                "end_user": null, "tags": {}}]}),
        ),
        ("GET", path) if path.starts_with("/connections/oauth1") => json(
            200,
            json!({"id": 2, "connection_id": "oauth1", "provider_config_key": "x",
                "credentials": {"type": "OAUTH1", "oauth_token": "t", "oauth_token_secret": "s"}}),
        ),
        ("GET", path) if path.starts_with("/connections/apikey") => json(
            200,
            json!({"id": 3, "connection_id": "apikey", "provider_config_key": "x",
                "credentials": {"type": "API_KEY", "apiKey": "k-123"}}),
        ),
        ("GET", path) if path.starts_with("/connections/") => json(
            200,
            json!({"id": 1, "connection_id": "c 1", "provider_config_key": "github",
                "provider": "github", "metadata": {"m": 1}, "created_at": "x",
                "credentials": {"type": "OAUTH2", "access_token": "at-secret", "raw": {}}}),
        ),
        ("DELETE", path) if path.starts_with("/connections/") => {
            json(200, json!({"success": true}))
        }
        ("PATCH", "/connections/metadata") => json(200, req.json()),
        ("POST", "/connections/metadata") => json(201, req.json()),
        ("PATCH", path) if path.starts_with("/connections/") => json(200, json!({"success": true})),
        ("POST", "/connect/sessions") | ("POST", "/connect/sessions/reconnect") => json(
            201,
            json!({"data": {"token": "nango_connect_session_0123", "connect_link": "https://connect/?session_token=nango_connect_session_0123", "expires_at": "2026-01-01T00:30:00Z"}}),
        ),
        ("POST", "/sync/trigger") | ("POST", "/sync/start") | ("POST", "/sync/pause") => {
            json(200, json!({"success": true}))
        }
        ("GET", "/sync/status") => json(
            200,
            json!({"syncs": [{"id": "s1", "name": "a", "status": "RUNNING"}]}),
        ),
        ("PUT", "/sync/update-connection-frequency") => json(200, json!({"frequency": "1h"})),
        ("POST", "/sync/s/variant/v") => json(200, json!({"id": "x", "name": "s", "variant": "v"})),
        ("DELETE", "/sync/s/variant/v") => json(200, json!({"success": true})),
        ("GET", "/integrations") => json(200, json!({"data": [{"unique_key": "github"}]})),
        ("GET", "/integrations/gh") => json(200, json!({"data": {"unique_key": "gh"}})),
        ("GET", "/providers") => json(200, json!({"data": [{"name": "github"}]})),
        ("GET", "/providers/github") => json(200, json!({"data": {"name": "github"}})),
        ("GET", "/environment-variables") => {
            json(200, json!([{"name": "A", "value": "secret-value"}]))
        }
        ("GET", "/scripts/config") => json(200, json!([{"providerConfigKey": "github"}])),
        (_, path) if path.starts_with("/proxy/") => {
            let status = if path == "/proxy/missing" { 404 } else { 200 };
            // Echo the body bytes back untouched, with an upstream header.
            raw(
                status,
                &[
                    ("x-upstream", "yes"),
                    ("content-type", "application/octet-stream"),
                ],
                req.body.clone(),
            )
        }
        _ => json(
            404,
            json!({"error": {"code": "not_found", "message": "no route"}}),
        ),
    }
}

async fn setup() -> (client_support::TestServer, Nango) {
    let server = start(answer).await;
    let nango = Nango::builder(KEY)
        .host(format!("{}/", server.url))
        .user_agent_suffix("test/1")
        .build()
        .unwrap();
    (server, nango)
}

fn assert_common(req: &Received) {
    assert_eq!(
        req.header("authorization").unwrap(),
        format!("Bearer {KEY}")
    );
    let agent = req.header("user-agent").unwrap();
    assert!(
        agent.starts_with("nango-rs/") && agent.ends_with("; rust); test/1"),
        "{agent}"
    );
    for name in ["nango-is-sync", "nango-is-script", "nango-is-dry-run"] {
        assert!(req.header(name).is_none());
    }
}

#[tokio::test]
async fn records_endpoints() {
    let (server, nango) = setup().await;
    let mut params = ListRecordsParams::new("github", "conn 1/é", "Issue");
    params.limit = Some(2);
    params.ids = vec!["a".into(), "b".into()];
    let page: RecordsPage<Record<Value>> = nango.list_records(&params).await.unwrap();
    assert_eq!(page.records[0].metadata.cursor, "C1");
    assert_eq!(page.records[0].metadata.last_action, LastAction::Added);
    assert_eq!(page.records[0].data["title"], "a");
    assert_eq!(page.next_cursor, None);
    let req = server.last();
    assert_common(&req);
    assert_eq!(
        (req.method.as_str(), req.path.as_str()),
        ("GET", "/records/")
    );
    assert_eq!(req.query, "model=Issue&limit=2&ids=a&ids=b");
    // Latin-1 on the wire, as Node sends it.
    assert_eq!(req.headers["connection-id"].as_bytes(), b"conn 1/\xE9");
    assert_eq!(req.header("provider-config-key").unwrap(), "github");

    let text = nango.list_records_json(&params).await.unwrap();
    let parsed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(parsed["records"][0]["id"], "17");

    let pruned = nango
        .prune_records(&PruneRecordsParams {
            provider_config_key: "github".into(),
            connection_id: "c1".into(),
            model: "Issue".into(),
            until_cursor: "C1".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        pruned,
        records::PruneResult {
            count: 3,
            has_more: false
        }
    );
    let req = server.last();
    assert_eq!(
        (req.method.as_str(), req.path.as_str()),
        ("PATCH", "/records/prune")
    );
    assert_eq!(req.json(), json!({"model": "Issue", "until_cursor": "C1"}));
    assert_eq!(req.header("connection-id").unwrap(), "c1");
    assert_eq!(req.header("content-type").unwrap(), "application/json");
}

#[tokio::test]
async fn action_endpoints() {
    let (server, nango) = setup().await;
    let params = TriggerActionParams::new("github", "c1", "do-it").input(json!({"a": 1}));
    let out: Value = nango.trigger_action(&params).await.unwrap();
    assert_eq!(out, json!({"echo": {"a": 1}}));
    let req = server.last();
    assert_common(&req);
    assert_eq!(req.body, br#"{"action_name":"do-it","input":{"a":1}}"#);
    assert!(req.header("x-async").is_none());

    let handle = nango.trigger_action_async(&params).await.unwrap();
    assert_eq!(handle.status_url, "/action/run-1");
    assert_eq!(server.last().header("x-async").unwrap(), "true");

    let by_url: Value = nango
        .get_async_action_result(&AsyncActionRef {
            status_url: Some(handle.status_url.clone()),
            id: None,
        })
        .await
        .unwrap();
    let by_id: Value = nango
        .get_async_action_result(&AsyncActionRef {
            id: Some(handle.id),
            status_url: None,
        })
        .await
        .unwrap();
    assert_eq!(by_url, json!({"done": true}));
    assert_eq!(by_id, by_url);
    assert_eq!(server.last().path, "/action/run-1");
}

#[tokio::test]
async fn connection_endpoints() {
    let (server, nango) = setup().await;
    let list = nango
        .list_connections(&ListConnectionsParams {
            user_id: Some("u1".into()),
            integration_id: vec!["a".into(), "b".into()],
            tags: [("displayName", "Jo".to_owned())].into_iter().collect(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(list.connections[0].connection_id, "c1");
    assert_eq!(
        server.last().query,
        "endUserId=u1&integrationId=a%2Cb&tags%5Bend_user_display_name%5D=Jo"
    );

    let mut get = GetConnectionParams::new("github", "c 1");
    get.force_refresh = true;
    let connection = nango.get_connection(&get).await.unwrap();
    assert_eq!(connection.connection_id, "c 1");
    let req = server.last();
    assert_eq!(req.path, "/connections/c%201");
    assert_eq!(
        req.query,
        "provider_config_key=github&force_refresh=true&refresh_token=false&refresh_github_app_jwt_token=false"
    );
    assert!(!format!("{connection:?}").contains("at-secret"));

    let token = nango.get_token(&get).await.unwrap();
    assert_eq!(token, Token::AccessToken("at-secret".into()));
    assert!(!format!("{token:?}").contains("at-secret"));
    let oauth1 = nango
        .get_token(&GetConnectionParams::new("x", "oauth1"))
        .await
        .unwrap();
    assert_eq!(
        serde_json::to_value(&oauth1).unwrap(),
        json!({"oAuthToken": "t", "oAuthTokenSecret": "s"})
    );
    let api_key = nango
        .get_token(&GetConnectionParams::new("x", "apikey"))
        .await
        .unwrap();
    assert_eq!(
        api_key,
        Token::Credentials(json!({"type": "API_KEY", "apiKey": "k-123"}))
    );

    let metadata = nango
        .get_metadata(&ConnectionRef::new("github", "c 1"))
        .await
        .unwrap();
    assert_eq!(metadata, json!({"m": 1}));
    assert!(server.last().query.contains("force_refresh=false"));

    let params = MetadataParams {
        provider_config_key: "github".into(),
        connection_id: ConnectionIds::Many(vec!["c1".into(), "c2".into()]),
        metadata: json!({"k": 1}),
    };
    let echo = nango.set_metadata(&params).await.unwrap();
    assert_eq!(echo["connection_id"], json!(["c1", "c2"]));
    assert_eq!(
        (server.last().method.as_str(), server.last().path.as_str()),
        ("POST", "/connections/metadata")
    );
    nango.update_metadata(&params).await.unwrap();
    assert_eq!(server.last().method, "PATCH");

    nango
        .patch_connection(&PatchConnectionParams {
            provider_config_key: "github".into(),
            connection_id: "c1".into(),
            body: json!({"tags": {"a": "b"}}),
        })
        .await
        .unwrap();
    let req = server.last();
    assert_eq!(
        (req.method.as_str(), req.path.as_str(), req.query.as_str()),
        ("PATCH", "/connections/c1", "provider_config_key=github")
    );
    assert_eq!(req.json(), json!({"tags": {"a": "b"}}));

    let deleted = nango
        .delete_connection(&ConnectionRef::new("github", "c1"))
        .await
        .unwrap();
    assert_eq!(deleted, json!({"success": true}));
    let req = server.last();
    assert_eq!(
        (req.method.as_str(), req.query.as_str()),
        ("DELETE", "provider_config_key=github")
    );
    assert!(req.header("content-type").is_none());
}

#[tokio::test]
async fn connect_session_endpoints() {
    let (server, nango) = setup().await;
    let session = nango
        .create_connect_session(&CreateConnectSessionParams {
            end_user: Some(EndUser {
                id: "u1".into(),
                ..Default::default()
            }),
            allowed_integrations: Some(vec!["github".into()]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(session.data.token.starts_with("nango_connect_session_"));
    assert!(!format!("{session:?}").contains("nango_connect_session_0123"));
    assert_eq!(
        server.last().json(),
        json!({"end_user": {"id": "u1"}, "allowed_integrations": ["github"]})
    );

    nango
        .create_reconnect_session(&CreateReconnectSessionParams {
            connection_id: "c1".into(),
            integration_id: "github".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let req = server.last();
    assert_eq!(req.path, "/connect/sessions/reconnect");
    assert_eq!(
        req.json(),
        json!({"connection_id": "c1", "integration_id": "github"})
    );
}

#[tokio::test]
async fn sync_endpoints() {
    let (server, nango) = setup().await;
    let syncs = vec![
        SyncRef::from("a"),
        SyncRef::Variant {
            name: "b".into(),
            variant: "v".into(),
        },
    ];
    nango
        .trigger_sync(&TriggerSyncParams {
            provider_config_key: "github".into(),
            syncs: syncs.clone(),
            connection_id: Some("c1".into()),
            opts: Some(TriggerSyncOpts {
                reset: Some(true),
                empty_cache: Some(false),
            }),
            sync_mode: None,
        })
        .await
        .unwrap();
    assert_eq!(
        server.last().json(),
        json!({"syncs": ["a", {"name": "b", "variant": "v"}], "provider_config_key": "github", "connection_id": "c1", "opts": {"reset": true, "emptyCache": false}})
    );
    let control = SyncControlParams {
        provider_config_key: "github".into(),
        syncs: syncs.clone(),
        connection_id: None,
    };
    nango.start_sync(&control).await.unwrap();
    assert_eq!(server.last().path, "/sync/start");
    nango.pause_sync(&control).await.unwrap();
    assert_eq!(server.last().path, "/sync/pause");
    assert_eq!(
        server.last().json(),
        json!({"syncs": ["a", {"name": "b", "variant": "v"}], "provider_config_key": "github"})
    );

    let status = nango
        .sync_status(&SyncStatusParams {
            provider_config_key: "github".into(),
            syncs: SyncSelection::List(syncs),
            connection_id: Some("c1".into()),
        })
        .await
        .unwrap();
    assert_eq!(status.syncs[0]["status"], "RUNNING");
    assert_eq!(
        server.last().query,
        "syncs=a,b::v&provider_config_key=github&connection_id=c1"
    );

    let frequency = nango
        .update_sync_connection_frequency(&UpdateFrequencyParams {
            provider_config_key: "github".into(),
            sync: Some(SyncRef::from("s")),
            connection_id: "c1".into(),
            frequency: Some("1h".into()),
        })
        .await
        .unwrap();
    assert_eq!(frequency.frequency.as_deref(), Some("1h"));
    assert_eq!(server.last().method, "PUT");

    let variant = SyncVariantParams {
        provider_config_key: "github".into(),
        connection_id: "c1".into(),
        name: "s".into(),
        variant: "v".into(),
    };
    nango.create_sync_variant(&variant).await.unwrap();
    assert_eq!(
        (server.last().method.as_str(), server.last().path.as_str()),
        ("POST", "/sync/s/variant/v")
    );
    nango.delete_sync_variant(&variant).await.unwrap();
    let req = server.last();
    assert_eq!(req.method, "DELETE");
    assert_eq!(
        req.json(),
        json!({"provider_config_key": "github", "connection_id": "c1"})
    );
}

#[tokio::test]
async fn proxy_is_binary_safe_with_any_method() {
    let (server, nango) = setup().await;
    let bytes: Vec<u8> = (0..=255u8).chain([0, 0xFF, 0x80]).collect();
    let response = nango
        .proxy(&ProxyConfig {
            method: Some("DELETE".into()),
            endpoint: "repos/x".into(),
            provider_config_key: Some("github".into()),
            connection_id: Some("c1".into()),
            headers: [
                ("Content-Type", "application/octet-stream".to_owned()),
                ("X-Foo", "bar".to_owned()),
            ]
            .into_iter()
            .collect(),
            params: Some(ProxyParams::Text("a=1&b=x y".into())),
            data: Some(ProxyBody::Bytes(bytes.clone())),
            retries: Some(0),
            decompress: Some(false),
            forward_headers_on_redirect: Some(false),
            retry_on: Some(vec![429, 503]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.body, bytes);
    assert_eq!(response.header("x-upstream"), Some("yes"));
    let req = server.last();
    assert_eq!(
        (req.method.as_str(), req.path.as_str(), req.query.as_str()),
        ("DELETE", "/proxy/repos/x", "a=1&b=x%20y")
    );
    assert_eq!(req.body, bytes);
    assert_eq!(req.header("nango-proxy-x-foo").unwrap(), "bar");
    assert_eq!(
        req.header("nango-proxy-content-type").unwrap(),
        "application/octet-stream"
    );
    assert_eq!(
        req.header("content-type").unwrap(),
        "application/octet-stream"
    );
    assert_eq!(req.header("retries").unwrap(), "0");
    assert_eq!(req.header("decompress").unwrap(), "false");
    assert_eq!(req.header("forward-headers-on-redirect").unwrap(), "false");
    assert_eq!(req.header("retry-on").unwrap(), "429,503");
    assert!(req.header("base-url-override").is_none());
    assert!(req.header("nango-activity-log-id").is_none());

    for method in ["GET", "POST", "PUT", "PATCH", "PROPFIND", "REPORT"] {
        nango
            .proxy(&ProxyConfig {
                method: Some(method.into()),
                endpoint: "/x".into(),
                provider_config_key: Some("p".into()),
                connection_id: Some("c".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(server.last().method, method);
    }

    let err = nango
        .proxy(&ProxyConfig {
            endpoint: "/missing".into(),
            provider_config_key: Some("p".into()),
            connection_id: Some("c".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_eq!(err.status(), Some(404));

    let missing = ProxyConfig {
        endpoint: "/missing".into(),
        provider_config_key: Some("p".into()),
        connection_id: Some("c".into()),
        data: Some(ProxyBody::Bytes(vec![0xFF, 0x00, 0xFE])),
        method: Some("POST".into()),
        ..Default::default()
    };
    let response = nango.proxy_any_status(&missing).await.unwrap();
    assert_eq!(response.status, 404);
    assert_eq!(response.body, vec![0xFF, 0x00, 0xFE]);
}

#[tokio::test]
async fn integration_provider_and_environment_endpoints() {
    let (server, nango) = setup().await;
    let list = nango.list_integrations().await.unwrap();
    assert_eq!(list.clone().into_legacy().configs, list.data);
    assert_eq!(server.last().path, "/integrations");

    nango
        .get_integration(&GetIntegrationParams {
            unique_key: "gh".into(),
            include: vec!["webhook".into(), "credentials".into()],
        })
        .await
        .unwrap();
    assert_eq!(server.last().query, "include=webhook&include=credentials");

    nango
        .list_providers(&ListProvidersParams {
            search: Some("git hub".into()),
        })
        .await
        .unwrap();
    assert_eq!(server.last().query, "search=git+hub");
    let provider = nango.get_provider("github").await.unwrap();
    assert_eq!(provider["data"]["name"], "github");

    let vars = nango.get_environment_variables().await.unwrap();
    assert_eq!(vars[0].name, "A");
    assert!(!format!("{vars:?}").contains("secret-value"));

    nango
        .get_scripts_config(integrations::ScriptsConfigFormat::Openai)
        .await
        .unwrap();
    assert_eq!(server.last().query, "format=openai");
    for req in server.requests() {
        assert_common(&req);
        assert_eq!(req.method, "GET");
        assert!(req.body.is_empty());
    }
}

#[tokio::test]
async fn webhook_verification_uses_the_signing_key() {
    // The docs/protocol.md §12.3 vector.
    let body = br#"{"connectionId":"conn-1","from":"nango","model":"Issue","modifiedAfter":"2026-01-02T03:04:05.678Z","providerConfigKey":"github","queryTimeStamp":"2026-01-02T03:04:05.678Z","responseResults":{"added":2,"deleted":0,"updated":1},"success":true,"syncName":"issues","syncType":"INCREMENTAL","syncVariant":"base","type":"sync"}"#;
    let headers = [(
        "X-Nango-Hmac-Sha256",
        "599949b552e2d9fcb2c2fa15ad43a9be7d35657893f898418c3dc053cb933bb3",
    )];
    let by_secret = Nango::new(KEY).unwrap();
    assert!(by_secret.verify_incoming_webhook_request(body, headers));
    let other = Nango::builder("22222222-2222-4333-8444-555555555555")
        .webhook_signing_key(KEY)
        .build()
        .unwrap();
    assert!(other.verify_incoming_webhook_request(body, headers));
    assert!(
        !Nango::new("22222222-2222-4333-8444-555555555555")
            .unwrap()
            .verify_incoming_webhook_request(body, headers)
    );
}

/// The table's generic entry point: the same requests as the typed methods, the answer as JSON
/// text (reshaped where the operation says), argument errors before anything is sent.
#[tokio::test]
async fn table_operations_through_call() {
    let (server, nango) = setup().await;
    let out = nango
        .call(
            "trigger_action",
            json!({"provider_config_key": "github", "connection_id": "c1", "action_name": "do-it", "input": {"a": 1}}),
        )
        .await
        .unwrap();
    assert_eq!(out.status, 200);
    let body: Value = serde_json::from_str(&out.body.into_json().unwrap()).unwrap();
    assert_eq!(body, json!({"echo": {"a": 1}}));
    let req = server.last();
    assert_common(&req);
    assert_eq!(req.body, br#"{"action_name":"do-it","input":{"a":1}}"#);

    let out = nango
        .call(
            "get_token",
            json!({"providerConfigKey": "github", "connectionId": "c 1"}),
        )
        .await
        .unwrap();
    assert_eq!(out.body.into_json().unwrap(), r#""at-secret""#);
    let out = nango
        .call(
            "get_metadata",
            json!({"providerConfigKey": "github", "connectionId": "c 1"}),
        )
        .await
        .unwrap();
    assert_eq!(out.body.into_json().unwrap(), r#"{"m":1}"#);

    let sent = server.requests().len();
    let err = nango
        .call(
            "get_connection",
            json!({"providerConfigKey": "github", "connection_id": 7}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid_argument");
    assert!(err.to_string().contains("connection_id"), "{err}");
    let err = nango
        .call("no_such_operation", json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid_argument");
    assert_eq!(
        server.requests().len(),
        sent,
        "nothing sent for a bad argument"
    );
}
