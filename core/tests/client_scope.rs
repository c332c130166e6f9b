//! The client-wide settings of the official Node SDK's constructor, as core applies them for
//! every binding: the default connection of connection-scoped calls, the script flags sent as
//! headers, the activity log of proxy calls, the application's `User-Agent` part, and body keys
//! core does not know, all checked on what a loopback server receives.

#![cfg(feature = "client")]
#![allow(clippy::unwrap_used)]

mod client_support;

use client_support::{KEY, Received, json, start};
use nango::*;
use serde_json::json;

fn answer(req: &Received) -> axum::response::Response {
    match (req.method.as_str(), req.path.as_str()) {
        ("POST", "/connect/sessions") => json(
            201,
            json!({"data": {"token": "nango_connect_session_1", "connect_link": "https://c/", "expires_at": "2026-01-01T00:30:00Z"}}),
        ),
        ("GET", path) if path.starts_with("/connections/") => json(
            200,
            json!({"id": 1, "connection_id": "c", "provider_config_key": "p", "metadata": {}}),
        ),
        _ => json(200, json!({"ok": true})),
    }
}

fn scoped(url: &str) -> NangoBuilder {
    Nango::builder(KEY)
        .host(url)
        .user_agent_suffix("test/1")
        .user_agent("my-app/2.0")
        .provider_config_key("pk-default")
        .connection_id("c-default")
        .is_sync(true)
        .is_script(true)
        .dry_run(true)
        .activity_log_id("log-7")
}

#[tokio::test]
async fn scope_fills_proxy_and_sends_the_script_headers() {
    let server = start(answer).await;
    let nango = scoped(&server.url).build().unwrap();
    nango
        .proxy(&ProxyConfig {
            endpoint: "/user".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let req = server.last();
    assert_eq!(req.header("connection-id").unwrap(), "c-default");
    assert_eq!(req.header("provider-config-key").unwrap(), "pk-default");
    assert_eq!(req.header("nango-activity-log-id").unwrap(), "log-7");
    for name in ["nango-is-sync", "nango-is-script", "nango-is-dry-run"] {
        assert_eq!(req.header(name).as_deref(), Some("true"), "{name}");
    }
    let agent = req.header("user-agent").unwrap();
    assert!(agent.ends_with("; rust); test/1; my-app/2.0"), "{agent}");

    // What the call gives wins over the defaults.
    nango
        .proxy(&ProxyConfig {
            endpoint: "/user".into(),
            connection_id: "mine".into(),
            provider_config_key: "their".into(),
            activity_log_id: Some("log-8".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let req = server.last();
    assert_eq!(req.header("connection-id").unwrap(), "mine");
    assert_eq!(req.header("provider-config-key").unwrap(), "their");
    assert_eq!(req.header("nango-activity-log-id").unwrap(), "log-8");
}

#[tokio::test]
async fn scope_fills_connection_scoped_operations_only() {
    let server = start(answer).await;
    let nango = scoped(&server.url).build().unwrap();
    nango.call("get_connection", json!({})).await.unwrap();
    let req = server.last();
    assert_eq!(req.path, "/connections/c-default");
    assert!(
        req.query.contains("provider_config_key=pk-default"),
        "{}",
        req.query
    );
    // The activity log is a proxy header only; the flags go everywhere.
    assert_eq!(req.header("nango-activity-log-id"), None);
    assert_eq!(req.header("nango-is-sync").as_deref(), Some("true"));

    // null and '' count as not given, as the official SDK's `||`; a given id wins.
    nango
        .call(
            "trigger_action",
            json!({"connectionId": null, "provider_config_key": "", "actionName": "a"}),
        )
        .await
        .unwrap();
    let req = server.last();
    assert_eq!(req.header("connection-id").unwrap(), "c-default");
    assert_eq!(req.header("provider-config-key").unwrap(), "pk-default");
    nango
        .call(
            "trigger_action",
            json!({"connectionId": "given", "providerConfigKey": "p", "actionName": "a"}),
        )
        .await
        .unwrap();
    assert_eq!(server.last().header("connection-id").unwrap(), "given");

    // A sync control without a connection means every connection: no default is put in.
    nango
        .call(
            "trigger_sync",
            json!({"providerConfigKey": "p", "syncs": ["s"]}),
        )
        .await
        .unwrap();
    let body = String::from_utf8(server.last().body).unwrap();
    assert!(!body.contains("c-default"), "{body}");

    // Every scoped operation builds with the defaults alone (plus its own arguments).
    for name in ops::CONNECTION_SCOPED {
        let op = ops::operation(name).unwrap();
        let args = json!({"model": "M", "untilCursor": "C", "actionName": "a", "metadata": {}, "body": {}});
        let request = nango.operation_request(op, args).unwrap();
        let text = format!("{} {:?} {:?}", request.path, request.query, request.headers)
            + &String::from_utf8_lossy(request.body.as_deref().unwrap_or_default());
        assert!(text.contains("c-default"), "{name}: {text}");
        assert!(text.contains("pk-default"), "{name}: {text}");
    }
}

#[tokio::test]
async fn without_scope_nothing_is_added() {
    let server = start(answer).await;
    let nango = Nango::builder(KEY).host(&server.url).build().unwrap();
    let err = nango
        .proxy(&ProxyConfig {
            endpoint: "/user".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.info().field.as_deref(), Some("provider_config_key"));
    nango
        .call("get_environment_variables", json!({}))
        .await
        .unwrap();
    let req = server.last();
    for name in [
        "nango-is-sync",
        "nango-is-script",
        "nango-is-dry-run",
        "nango-activity-log-id",
    ] {
        assert_eq!(req.header(name), None, "{name}");
    }
    // Empty values given to the builder are no defaults.
    let empty = Nango::builder(KEY)
        .host(&server.url)
        .connection_id("")
        .user_agent("")
        .build()
        .unwrap();
    assert_eq!(empty.config().scope, nango::client::Scope::default());
    assert!(empty.config().user_agent.ends_with("; rust)"));
}

#[test]
fn scope_values_must_fit_a_header() {
    for (builder, field) in [
        (
            Nango::builder(KEY).activity_log_id("a\nb"),
            "activity_log_id",
        ),
        (Nango::builder(KEY).user_agent("app\r\n"), "user_agent"),
    ] {
        let err = builder.build().unwrap_err();
        assert_eq!(err.info().field.as_deref(), Some(field));
    }
}

#[test]
fn unhonoured_options_name_what_to_use_instead() {
    assert_eq!(nango::client::unhonoured_option("userAgent"), None);
    let agent = nango::client::unhonoured_option("httpsAgent").unwrap();
    assert!(
        agent.contains("HTTPS_PROXY") && agent.contains("caCertificates"),
        "{agent}"
    );
    let interceptors = nango::client::unhonoured_option("interceptors").unwrap();
    assert!(interceptors.contains("interceptors"), "{interceptors}");
    let other = nango::client::unhonoured_option("maxRedirects").unwrap();
    assert!(
        other.contains("`maxRedirects`") && other.contains("timeoutMs"),
        "{other}"
    );
}

#[tokio::test]
async fn unknown_body_keys_pass_through() {
    let server = start(answer).await;
    let nango = Nango::builder(KEY).host(&server.url).build().unwrap();
    let args = json!({
        "end_user": {"id": "u1", "future_user_key": [1]},
        "organization": {"id": "o1", "future_org_key": {"a": true}},
        "allowed_integrations": ["github"],
        "future_key": "kept",
    });
    nango
        .call("create_connect_session", args.clone())
        .await
        .unwrap();
    assert_eq!(server.last().json(), args);

    // The typed parameters keep them too (Rust callers set `extra`).
    let mut params = CreateConnectSessionParams::default();
    params.extra.insert("future_key".into(), json!(1));
    nango.create_connect_session(&params).await.unwrap();
    assert_eq!(server.last().json(), json!({"future_key": 1}));
}
