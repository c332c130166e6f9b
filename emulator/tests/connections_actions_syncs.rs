//! Connections (list/get/patch/delete, metadata), actions (sync and async), syncs (trigger, start,
//! pause, status, frequency).
#![allow(clippy::unwrap_used)]

mod common;
use common::Fetch;

use common::{Ctx, error_code};
use nango_emulator::Emulator;
use serde_json::{Value, json};
use std::time::Duration;

#[tokio::test]
async fn connections_and_metadata() {
    let ctx = Ctx::start(
        Emulator::builder()
            .connection("zendesk", "conn-1")
            .connection("zendesk", "conn-2"),
    )
    .await;
    let v: Value = ctx.get("/connections").fetch_json().await;
    assert_eq!(v["connections"].as_array().unwrap().len(), 2);
    let item = &v["connections"][0];
    for k in [
        "id",
        "connection_id",
        "provider_config_key",
        "provider",
        "created",
        "metadata",
        "errors",
        "end_user",
        "tags",
    ] {
        assert!(item.get(k).is_some(), "missing {k}");
    }
    let v: Value = ctx
        .get("/connections?connectionId=conn-2&limit=5&page=0")
        .fetch_json()
        .await;
    assert_eq!(v["connections"].as_array().unwrap().len(), 1);
    let r = ctx.get("/connections?bogus=1").fetch().await;
    assert_eq!(error_code(r).await, (400, "invalid_query_params".into()));
    // GET needs provider_config_key; unknown ones and unknown connections have their own codes.
    assert_eq!(
        error_code(ctx.get("/connections/conn-1").fetch().await)
            .await
            .0,
        400
    );
    assert_eq!(
        error_code(
            ctx.get("/connections/conn-1?provider_config_key=nope")
                .fetch()
                .await
        )
        .await,
        (400, "unknown_provider_config".into())
    );
    assert_eq!(
        error_code(
            ctx.get("/connections/zz?provider_config_key=zendesk")
                .fetch()
                .await
        )
        .await,
        (404, "not_found".into())
    );

    // Metadata: POST replaces (201, echo), PATCH merges (200, echo).
    let body = json!({"connection_id": "conn-1", "provider_config_key": "zendesk", "metadata": {"a": 1, "b": 2}});
    let r = ctx.post("/connections/metadata", &body).fetch().await;
    assert_eq!(r.status(), 201);
    assert_eq!(r.json::<Value>().await.unwrap(), body);
    let patch = json!({"connection_id": ["conn-1", "conn-2"], "provider_config_key": "zendesk", "metadata": {"b": 3, "c": 4}});
    let r = ctx
        .http
        .patch(ctx.url("/connections/metadata"))
        .header("Authorization", ctx.bearer())
        .json(&patch)
        .fetch()
        .await;
    assert_eq!(r.status(), 200);
    let v: Value = ctx
        .get("/connections/conn-1?provider_config_key=zendesk")
        .fetch_json()
        .await;
    assert_eq!(v["metadata"], json!({"a": 1, "b": 3, "c": 4}));
    let v: Value = ctx
        .get("/connections/conn-2?provider_config_key=zendesk")
        .fetch_json()
        .await;
    assert_eq!(v["metadata"], json!({"b": 3, "c": 4}));
    let r = ctx
        .post(
            "/connections/metadata",
            &json!({"connection_id": "nope", "provider_config_key": "zendesk", "metadata": {}}),
        )
        .fetch()
        .await;
    assert_eq!(error_code(r).await, (404, "unknown_connection".into()));

    // PATCH connection, then DELETE (and 400 unknown_connection the second time).
    let r = ctx
        .http
        .patch(ctx.url("/connections/conn-2?provider_config_key=zendesk"))
        .header("Authorization", ctx.bearer())
        .json(&json!({"tags": {"env": "test"}}))
        .fetch()
        .await;
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"success": true}));
    let v: Value = ctx.get("/connections?tags[ENV]=test").fetch_json().await;
    assert_eq!(v["connections"].as_array().unwrap().len(), 1);
    let del = || {
        ctx.http
            .delete(ctx.url("/connections/conn-2?provider_config_key=zendesk"))
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
    // POST /connections imports one.
    let r = ctx
        .post("/connections", &json!({"provider_config_key": "demo-api-key", "connection_id": "imp", "credentials": {"type": "API_KEY", "apiKey": "sk-x"}}))
        .fetch().await;
    assert_eq!(r.status(), 201);
}

#[tokio::test]
async fn actions_sync_and_async() {
    let ctx = Ctx::default_with_connection().await;
    let trigger = |name: &str, input: Value, is_async: bool| {
        let mut r = ctx
            .post(
                "/action/trigger",
                &json!({"action_name": name, "input": input}),
            )
            .header("Connection-Id", "conn-1")
            .header("Provider-Config-Key", "zendesk");
        if is_async {
            r = r.header("X-Async", "true");
        }
        r.send()
    };
    let r = trigger("echo", json!({"x": [1, 2]}), false).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"x": [1, 2]}));
    // create-ticket makes a record that the next sync reports as added.
    let created: Value = trigger("create-ticket", json!({"title": "Printer on fire"}), false)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(created["title"], "Printer on fire");
    assert_eq!(ctx.emu.action_count("create-ticket"), 1);
    let r = ctx.post("/sync/trigger", &json!({"syncs": ["tickets"], "provider_config_key": "zendesk", "connection_id": "conn-1"})).fetch().await;
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"success": true}));
    let v: Value = ctx
        .records("conn-1", "model=Ticket&filter=added&limit=1000")
        .fetch_json()
        .await;
    let found = v["records"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == created["id"] && r["title"] == "Printer on fire");
    assert!(found);
    // Failures and unknown actions.
    assert_eq!(
        error_code(trigger("fail", json!({}), false).await.unwrap()).await,
        (500, "action_script_failure".into())
    );
    assert_eq!(
        error_code(trigger("nope", json!({}), false).await.unwrap()).await,
        (404, "not_found".into())
    );
    // Async: 202 + Location, then GET /action/:id.
    let r = trigger("echo", json!({"n": 7}), true).await.unwrap();
    assert_eq!(r.status(), 202);
    let loc = r.headers()["location"].to_str().unwrap().to_owned();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["statusUrl"], loc.as_str());
    assert_eq!(loc, format!("/action/{}", v["id"].as_str().unwrap()));
    let mut result = None;
    for _ in 0..100 {
        let r = ctx.get(&loc).fetch().await;
        if r.status() == 200 {
            result = Some(r.json::<Value>().await.unwrap());
            break;
        }
        assert_eq!(r.status(), 404);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(result, Some(json!({"n": 7})));
    assert_eq!(
        error_code(
            ctx.get(&format!("/action/{}", uuid::Uuid::new_v4()))
                .fetch()
                .await
        )
        .await,
        (404, "not_found".into())
    );
    // Async failures surface at the status URL.
    let v: Value = trigger("fail", json!({}), true)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = v["statusUrl"].as_str().unwrap().to_owned();
    let mut code = None;
    for _ in 0..100 {
        let (s, c) = error_code(ctx.get(&url).fetch().await).await;
        if s == 500 {
            code = Some(c);
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(code.as_deref(), Some("action_script_failure"));
}

#[tokio::test]
async fn sync_controls_and_status() {
    let ctx = Ctx::default_with_connection().await;
    let status = || async {
        let v: Value = ctx
            .get("/sync/status?syncs=*&provider_config_key=zendesk&connection_id=conn-1")
            .fetch_json()
            .await;
        v["syncs"][0].clone()
    };
    let s = status().await;
    assert_eq!(s["name"], "tickets");
    assert_eq!(s["status"], "SUCCESS");
    assert_eq!(s["latestResult"]["Ticket"]["added"], 50);
    assert_eq!(s["recordCount"]["Ticket"], 50);
    assert!(s["finishedAt"].is_string());
    let body =
        json!({"syncs": ["tickets"], "provider_config_key": "zendesk", "connection_id": "conn-1"});
    assert_eq!(ctx.post("/sync/pause", &body).fetch().await.status(), 200);
    assert_eq!(status().await["status"], "PAUSED");
    assert_eq!(ctx.post("/sync/start", &body).fetch().await.status(), 200);
    assert_eq!(status().await["status"], "SUCCESS");
    // Trigger after provider changes.
    ctx.emu.mutate_provider("zendesk", "Ticket", 1, 1, 1);
    ctx.post("/sync/trigger", &json!({"syncs": [{"name": "tickets", "variant": "base"}], "provider_config_key": "zendesk", "connection_id": "conn-1", "opts": {"reset": false}}))
        .fetch().await;
    let s = status().await;
    assert_eq!(
        s["latestResult"]["Ticket"],
        json!({"added": 1, "updated": 1, "deleted": 1})
    );
    // emptyCache: everything comes back as added.
    ctx.post("/sync/trigger", &json!({"syncs": ["tickets"], "provider_config_key": "zendesk", "connection_id": "conn-1", "opts": {"emptyCache": true}}))
        .fetch().await;
    assert_eq!(status().await["latestResult"]["Ticket"]["added"], 50);
    // Frequency updates.
    let put = |f: Value| {
        ctx.http
            .put(ctx.url("/sync/update-connection-frequency"))
            .header("Authorization", ctx.bearer())
            .json(&json!({"sync_name": "tickets", "provider_config_key": "zendesk", "connection_id": "conn-1", "frequency": f}))
            .send()
    };
    assert_eq!(
        put(json!("every 2 hours"))
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap(),
        json!({"frequency": "every 2 hours"})
    );
    assert_eq!(status().await["frequency"], "every 2 hours");
    assert_eq!(
        put(Value::Null)
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap(),
        json!({"frequency": "every 5 minutes"})
    );
    // Validation.
    let r = ctx.post("/sync/trigger", &json!({"syncs": ["nope"], "provider_config_key": "zendesk", "connection_id": "conn-1"})).fetch().await;
    assert_eq!(error_code(r).await.0, 400);
    let r = ctx
        .get("/sync/status?syncs=*&provider_config_key=zendesk&x=1")
        .fetch()
        .await;
    assert_eq!(error_code(r).await, (400, "invalid_query_params".into()));
}

#[tokio::test]
async fn scheduled_syncs_pick_up_changes() {
    let ctx = Ctx::start(
        Emulator::builder()
            .connection("zendesk", "conn-1")
            .sync_interval(Duration::from_millis(50)),
    )
    .await;
    ctx.emu.mutate_provider("zendesk", "Ticket", 5, 0, 0);
    let mut seen = 0;
    for _ in 0..200 {
        seen = ctx.emu.record_count("zendesk", "conn-1", "Ticket");
        if seen == 55 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(seen, 55);
}

#[tokio::test]
async fn snapshot_written_on_shutdown() {
    let path = std::env::temp_dir().join(format!("nango-emu-snapshot-{}.json", std::process::id()));
    let cfg = nango_emulator::Config {
        snapshot_path: Some(path.to_string_lossy().into_owned()),
        connections: vec![nango_emulator::ConnectionSeed {
            connection_id: "s1".into(),
            provider_config_key: "zendesk".into(),
        }],
        ..Default::default()
    };
    let emu = Emulator::builder().config(cfg).start().await.unwrap();
    emu.shutdown().await;
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(v["connections"][0]["connection"]["connection_id"], "s1");
    assert_eq!(v["connections"][0]["records"]["Ticket"], 50);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("demo_at_"), "no credentials in snapshots");
    std::fs::remove_file(&path).unwrap();
}

#[tokio::test]
async fn session_settings_flow_into_the_connection() {
    let ctx = Ctx::default_with_connection().await;
    let token = ctx
        .session_token(json!({
            "end_user": {"id": "eu", "email": "eu@example.com", "tags": {"k": "v"}},
            "organization": {"id": "org-1"},
            "webhook_url_override": "http://127.0.0.1:9/override"
        }))
        .await;
    let r = ctx
        .http
        .post(ctx.url(&format!(
            "/api-auth/api-key/demo-api-key?connect_session_token={token}"
        )))
        .json(&json!({"apiKey": "sk-demo-valid"}))
        .fetch()
        .await;
    let conn = r.json::<Value>().await.unwrap()["connectionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let v: Value = ctx
        .get(&format!(
            "/connections/{conn}?provider_config_key=demo-api-key"
        ))
        .fetch_json()
        .await;
    assert_eq!(v["end_user"]["organization"]["id"], "org-1");
    assert_eq!(v["webhook_url_override"], "http://127.0.0.1:9/override");
    let v: Value = ctx
        .get("/connections?endUserId=eu&endUserOrganizationId=org-1")
        .fetch_json()
        .await;
    assert_eq!(v["connections"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handle_methods_work_from_threads_outside_the_runtime() {
    let ctx = Ctx::start(
        Emulator::builder()
            .webhook_url("http://127.0.0.1:9/unreachable")
            .webhook_retry_backoff(&[]),
    )
    .await;
    let emu = &ctx.emu;
    std::thread::scope(|s| {
        s.spawn(|| {
            emu.create_connection("zendesk", "t1").unwrap();
            emu.mutate_provider("zendesk", "Ticket", 1, 0, 0);
            emu.run_sync("zendesk", "t1", "tickets").unwrap();
        });
    });
    assert_eq!(ctx.emu.record_count("zendesk", "t1", "Ticket"), 51);
}
