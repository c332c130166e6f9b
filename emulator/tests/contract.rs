//! The response contract (`tests/vectors/responses/`): every operation of Nango's API the emulator
//! serves is driven here (a success and an error at least) and each answer is validated against the
//! operation's JSON Schema. The route table is read from the source, so a route added without a
//! schema (or without a line in the index's `outside_the_contract`) fails this test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Ctx;
use nango_emulator::Emulator;
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

const BASE: &str = "https://contract.nango-rs.invalid/responses/";

fn responses_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/responses")
}

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Serves the schema files under [`BASE`], so that `common.json#/…` resolves between files.
struct Files;

impl jsonschema::Retrieve for Files {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri
            .as_str()
            .strip_prefix(BASE)
            .ok_or_else(|| format!("not a contract file: {uri}"))?;
        let text = std::fs::read_to_string(responses_dir().join(name))?;
        Ok(serde_json::from_str(&text)?)
    }
}

/// `METHOD /path` with every `{param}` written `{}`, no trailing slash, and no catch-all tail
/// (`/proxy`, `/proxy/` and `/proxy/{*rest}` are one operation).
fn normalize(op: &str) -> String {
    let (method, path) = op.split_once(' ').expect("METHOD /path");
    let path = match path.find("/{*") {
        Some(at) => &path[..at],
        None => path,
    };
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    if out.len() > 1 && out.ends_with('/') {
        out.pop();
    }
    format!("{method} {out}")
}

/// The routes of the route table: each `.route("path", get(..).post(..))` of `src/routes/*.rs`.
fn served_routes() -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/routes");
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let src = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let mut rest = src.as_str();
        while let Some(at) = rest.find(".route(") {
            rest = &rest[at + ".route(".len()..];
            // The call's arguments, up to the matching parenthesis.
            let mut depth = 1;
            let end = rest
                .char_indices()
                .find(|(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map(|(i, _)| i)
                .expect("balanced .route(");
            let args = rest[..end].trim_start();
            // `.route(&ws_path, …)` (the configurable WebSocket path) has no literal.
            let Some(lit) = args.strip_prefix('"') else {
                continue;
            };
            let path = &lit[..lit.find('"').unwrap()];
            let handlers = &lit[lit.find('"').unwrap() + 1..];
            for method in ["get", "post", "put", "patch", "delete", "any"] {
                let calls = handlers.match_indices(&format!("{method}(")).any(|(i, _)| {
                    i == 0
                        || !handlers[..i]
                            .ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':')
                });
                if calls {
                    out.insert(normalize(&format!("{} {path}", method.to_uppercase())));
                }
            }
        }
    }
    out
}

struct Contract {
    /// Normalized operation → (status key → schema reference).
    operations: BTreeMap<String, BTreeMap<String, String>>,
    outside: BTreeSet<String>,
    validators: HashMap<String, jsonschema::Validator>,
    /// Normalized operation → which kinds of answer were checked ("success" / "error").
    seen: BTreeMap<String, BTreeSet<&'static str>>,
}

impl Contract {
    fn load() -> Self {
        let index = load(&responses_dir().join("index.json"));
        let operations: BTreeMap<String, BTreeMap<String, String>> = index["operations"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(op, statuses)| {
                let statuses = statuses
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                    .collect();
                (normalize(op), statuses)
            })
            .collect();
        let outside = index["outside_the_contract"]
            .as_object()
            .unwrap()
            .keys()
            .map(|k| normalize(k))
            .collect();
        Self {
            operations,
            outside,
            validators: HashMap::new(),
            seen: BTreeMap::new(),
        }
    }

    fn validator(&mut self, reference: &str) -> &jsonschema::Validator {
        self.validators
            .entry(reference.to_owned())
            .or_insert_with(|| {
                jsonschema::options()
                    .should_validate_formats(true)
                    .with_retriever(Files)
                    .build(&json!({"$ref": format!("{BASE}{reference}")}))
                    .unwrap_or_else(|e| panic!("schema {reference}: {e}"))
            })
    }

    /// Validates one answer of `op` against the schema its status maps to.
    fn check(&mut self, op: &str, status: u16, body: &Value) {
        let key = normalize(op);
        let statuses = self
            .operations
            .get(&key)
            .unwrap_or_else(|| panic!("{op}: not in tests/vectors/responses/index.json"));
        let reference = if status >= 400 {
            statuses.get("error")
        } else {
            statuses
                .get(&status.to_string())
                .or_else(|| statuses.get(&format!("{}xx", status / 100)))
        }
        .unwrap_or_else(|| panic!("{op}: status {status} is not in the contract: {body}"))
        .clone();
        let validator = self.validator(&reference);
        let errors: Vec<String> = validator
            .iter_errors(body)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{op} → {status} does not match {reference}:\n  {}\nbody: {body}",
            errors.join("\n  ")
        );
        let kind = if status >= 400 { "error" } else { "success" };
        self.seen.entry(key).or_default().insert(kind);
    }
}

/// One request of the drive, with what the test expects of its status.
struct Call<'a> {
    ctx: &'a Ctx,
    op: &'static str,
    method: Method,
    path: String,
    headers: Vec<(&'static str, String)>,
    body: Option<Value>,
    bearer: Option<String>,
}

impl<'a> Call<'a> {
    fn new(ctx: &'a Ctx, op: &'static str, path: impl Into<String>) -> Self {
        let method =
            Method::from_bytes(op.split(' ').next().unwrap().as_bytes()).unwrap_or(Method::GET);
        Self {
            ctx,
            op,
            method,
            path: path.into(),
            headers: Vec::new(),
            body: None,
            bearer: Some(ctx.emu.secret_key().to_owned()),
        }
    }

    fn method(mut self, m: Method) -> Self {
        self.method = m;
        self
    }

    fn header(mut self, k: &'static str, v: &str) -> Self {
        self.headers.push((k, v.to_owned()));
        self
    }

    fn conn(self, conn: &str) -> Self {
        self.header("Connection-Id", conn)
            .header("Provider-Config-Key", "zendesk")
    }

    fn json(mut self, v: Value) -> Self {
        self.body = Some(v);
        self
    }

    fn bearer(mut self, token: &str) -> Self {
        self.bearer = Some(token.to_owned());
        self
    }

    /// Sends the request, checks the status, validates the answer; returns the body.
    async fn expect(self, contract: &mut Contract, status: u16) -> Value {
        let mut req = self
            .ctx
            .http
            .request(self.method.clone(), self.ctx.url(&self.path));
        if let Some(b) = &self.bearer {
            req = req.header("Authorization", format!("Bearer {b}"));
        }
        for (k, v) in &self.headers {
            req = req.header(*k, v);
        }
        if let Some(b) = &self.body {
            req = req.json(b);
        }
        let resp = req.send().await.unwrap();
        let got = resp.status().as_u16();
        let bytes = resp.bytes().await.unwrap();
        let body: Value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                panic!("{} {}: not JSON ({e}): {:?}", self.method, self.path, bytes)
            })
        };
        assert_eq!(got, status, "{} {}: {body}", self.method, self.path);
        contract.check(self.op, got, &body);
        body
    }
}

#[test]
fn every_served_route_is_in_the_contract() {
    let contract = Contract::load();
    let served = served_routes();
    assert!(
        served.len() > 30,
        "the route table was not read: {served:?}"
    );
    let missing: Vec<&String> = served
        .iter()
        .filter(|r| !contract.operations.contains_key(*r) && !contract.outside.contains(*r))
        .collect();
    assert!(
        missing.is_empty(),
        "served with no schema in tests/vectors/responses/index.json: {missing:?}"
    );
    let stale: Vec<&String> = contract
        .operations
        .keys()
        .chain(contract.outside.iter())
        .filter(|op| !served.contains(*op))
        .collect();
    assert!(stale.is_empty(), "in the index but not served: {stale:?}");
}

#[test]
fn schemas_reject_what_nango_does_not_send() {
    let mut contract = Contract::load();
    let integration = json!({"unique_key": "k", "display_name": "K", "provider": "p",
        "created_at": "2026-01-01T00:00:00.000Z", "updated_at": "2026-01-01T00:00:00.000Z"});
    assert!(
        contract
            .validator("integrations.json#/$defs/list")
            .is_valid(&json!({"data": [integration]}))
    );
    let mut with_mode = integration.clone();
    with_mode["auth_mode"] = json!("OAUTH2");
    assert!(
        !contract
            .validator("integrations.json#/$defs/list")
            .is_valid(&json!({"data": [with_mode]}))
    );
    let error = contract.validator("common.json#/$defs/error");
    assert!(error.is_valid(&json!({"error": {"code": "not_found", "message": "m"}})));
    assert!(!error.is_valid(&json!({"error": {"message": "no code"}})));
    assert!(!error.is_valid(&json!({"message": "legacy shape"})));
    assert!(!error.is_valid(&Value::Null));
    let page = contract.validator("records.json#/$defs/page");
    assert!(!page.is_valid(&json!({"records": [{"id": "1"}], "next_cursor": null})));
}

#[tokio::test]
async fn every_operation_answers_as_its_schema_says() {
    let mut c = Contract::load();
    let ctx = Ctx::start(
        Emulator::builder()
            .connection("zendesk", "conn-1")
            .connection("zendesk", "conn-2"),
    )
    .await;
    let k = &mut c;

    // Records.
    let page = Call::new(&ctx, "GET /records", "/records?model=Ticket&limit=2")
        .conn("conn-1")
        .expect(k, 200)
        .await;
    for (conn, path, status) in [
        ("conn-1", "/records/?model=Ticket&filter=added", 200),
        ("conn-1", "/records?model=ticket", 400),
        ("ghost", "/records?model=Ticket", 400),
    ] {
        Call::new(&ctx, "GET /records", path)
            .conn(conn)
            .expect(k, status)
            .await;
    }
    Call::new(&ctx, "GET /records", "/records?model=Ticket")
        .conn("conn-1")
        .bearer("not-a-key")
        .expect(k, 401)
        .await;
    let cursor = page["records"][0]["_nango_metadata"]["cursor"].clone();
    for (limit, status) in [(1, 200), (0, 400)] {
        Call::new(&ctx, "PATCH /records/prune", "/records/prune")
            .conn("conn-1")
            .json(json!({"model": "Ticket", "until_cursor": cursor, "limit": limit}))
            .expect(k, status)
            .await;
    }

    // Actions.
    let act = |name: &str| json!({"action_name": name, "input": {"n": 1}});
    let queued = Call::new(&ctx, "POST /action/trigger", "/action/trigger")
        .conn("conn-1")
        .header("X-Async", "true")
        .json(act("echo"))
        .expect(k, 202)
        .await;
    for (conn, name, status) in [
        ("conn-1", "echo", 200),
        ("conn-1", "nope", 404),
        ("conn-1", "fail", 500),
        ("ghost", "echo", 400),
    ] {
        Call::new(&ctx, "POST /action/trigger", "/action/trigger")
            .conn(conn)
            .json(act(name))
            .expect(k, status)
            .await;
    }
    let status_url = queued["statusUrl"].as_str().unwrap().to_owned();
    let mut done = false;
    for _ in 0..200 {
        let r = ctx.get(&status_url).send().await.unwrap();
        if r.status() == 200 {
            done = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(done, "the queued action never finished");
    Call::new(&ctx, "GET /action/{actionId}", status_url)
        .expect(k, 200)
        .await;
    Call::new(&ctx, "GET /action/{actionId}", "/action/not-an-id")
        .expect(k, 404)
        .await;

    // Connections, plural and legacy singular.
    for (list, one) in [
        ("/connections", "/connections"),
        ("/connection", "/connection"),
    ] {
        let (op_list, op_one) = if list == "/connections" {
            ("GET /connections", "GET /connections/{connectionId}")
        } else {
            ("GET /connection", "GET /connection/{connectionId}")
        };
        Call::new(&ctx, op_list, format!("{list}?limit=5"))
            .expect(k, 200)
            .await;
        Call::new(&ctx, op_list, format!("{list}?bogus=1"))
            .expect(k, 400)
            .await;
        Call::new(
            &ctx,
            op_one,
            format!("{one}/conn-1?provider_config_key=zendesk&refresh_token=true"),
        )
        .expect(k, 200)
        .await;
        Call::new(
            &ctx,
            op_one,
            format!("{one}/ghost?provider_config_key=zendesk"),
        )
        .expect(k, 404)
        .await;
    }
    Call::new(&ctx, "POST /connections", "/connections")
        .json(
            json!({"provider_config_key": "demo-api-key", "connection_id": "imp-1",
            "credentials": {"type": "API_KEY", "apiKey": "sk-x"}}),
        )
        .expect(k, 201)
        .await;
    Call::new(&ctx, "POST /connections", "/connections")
        .json(json!({"provider_config_key": "demo-basic", "connection_id": "imp-2",
            "credentials": {"type": "BASIC", "username": "u", "password": "p"}, "tags": {"team": "a"}}))
        .expect(k, 201)
        .await;
    Call::new(&ctx, "POST /connections", "/connections")
        .json(json!({"provider_config_key": "zendesk"}))
        .expect(k, 400)
        .await;
    Call::new(
        &ctx,
        "PATCH /connections/{connectionId}",
        "/connections/conn-2?provider_config_key=zendesk",
    )
    .json(json!({"tags": {"env": "test"}}))
    .expect(k, 200)
    .await;
    Call::new(
        &ctx,
        "PATCH /connections/{connectionId}",
        "/connections/ghost?provider_config_key=zendesk",
    )
    .json(json!({"tags": {}}))
    .expect(k, 404)
    .await;
    for (base, set, update) in [
        (
            "/connections/metadata",
            "POST /connections/metadata",
            "PATCH /connections/metadata",
        ),
        (
            "/connection/metadata",
            "POST /connection/metadata",
            "PATCH /connection/metadata",
        ),
    ] {
        let body = |id: Value| json!({"connection_id": id, "provider_config_key": "zendesk", "metadata": {"a": 1}});
        Call::new(&ctx, set, base)
            .json(body(json!(["conn-1", "conn-2"])))
            .expect(k, 201)
            .await;
        Call::new(&ctx, set, base)
            .json(body(json!("ghost")))
            .expect(k, 404)
            .await;
        Call::new(&ctx, update, base)
            .json(body(json!("conn-1")))
            .expect(k, 200)
            .await;
        Call::new(&ctx, update, base)
            .json(json!({"connection_id": "conn-1"}))
            .expect(k, 400)
            .await;
    }
    for (op, status) in [
        ("POST /connection/{connectionId}/metadata", 201),
        ("PATCH /connection/{connectionId}/metadata", 200),
    ] {
        Call::new(&ctx, op, "/connection/conn-1/metadata")
            .header("Provider-Config-Key", "zendesk")
            .json(json!({"b": 2}))
            .expect(k, status)
            .await;
        Call::new(
            &ctx,
            op,
            "/connection/ghost/metadata?provider_config_key=zendesk",
        )
        .json(json!({"b": 2}))
        .expect(k, 400)
        .await;
    }

    // Syncs.
    let sync_body =
        json!({"syncs": ["tickets"], "provider_config_key": "zendesk", "connection_id": "conn-1"});
    for op in ["POST /sync/trigger", "POST /sync/pause", "POST /sync/start"] {
        let path = op.split(' ').nth(1).unwrap();
        Call::new(&ctx, op, path)
            .json(sync_body.clone())
            .expect(k, 200)
            .await;
        Call::new(&ctx, op, path)
            .json(json!({"syncs": ["nope"], "provider_config_key": "zendesk", "connection_id": "conn-1"}))
            .expect(k, 400)
            .await;
    }
    Call::new(
        &ctx,
        "GET /sync/status",
        "/sync/status?syncs=*&provider_config_key=zendesk",
    )
    .expect(k, 200)
    .await;
    Call::new(
        &ctx,
        "GET /sync/status",
        "/sync/status?syncs=tickets&provider_config_key=zendesk&connection_id=conn-1",
    )
    .expect(k, 200)
    .await;
    Call::new(
        &ctx,
        "GET /sync/status",
        "/sync/status?provider_config_key=zendesk",
    )
    .expect(k, 400)
    .await;
    let freq = |f: Value| json!({"sync_name": "tickets", "provider_config_key": "zendesk", "connection_id": "conn-1", "frequency": f});
    for f in [json!("every hour"), Value::Null] {
        Call::new(
            &ctx,
            "PUT /sync/update-connection-frequency",
            "/sync/update-connection-frequency",
        )
        .json(freq(f))
        .expect(k, 200)
        .await;
    }
    Call::new(&ctx, "PUT /sync/update-connection-frequency", "/sync/update-connection-frequency")
        .json(json!({"sync_name": "tickets", "provider_config_key": "zendesk", "connection_id": "conn-1"}))
        .expect(k, 400)
        .await;
    let variant_body = json!({"provider_config_key": "zendesk", "connection_id": "conn-1"});
    let create = "POST /sync/{name}/variant/{variant}";
    let delete = "DELETE /sync/{name}/variant/{variant}";
    for (op, path, status) in [
        (create, "/sync/tickets/variant/eu", 200),
        (create, "/sync/tickets/variant/eu", 400),
        (create, "/sync/nope/variant/eu", 400),
        (delete, "/sync/tickets/variant/eu", 200),
        (delete, "/sync/tickets/variant/eu", 404),
        (delete, "/sync/tickets/variant/base", 400),
    ] {
        Call::new(&ctx, op, path)
            .json(variant_body.clone())
            .expect(k, status)
            .await;
    }

    // Connect sessions.
    let session = Call::new(&ctx, "POST /connect/sessions", "/connect/sessions")
        .json(json!({"end_user": {"id": "u1", "email": "u@example.com"}, "allowed_integrations": ["zendesk"]}))
        .expect(k, 201)
        .await;
    for (op, body, status) in [
        (
            "POST /connect/sessions",
            json!({"end_user": {"id": "u1"}, "bogus": true}),
            400,
        ),
        (
            "POST /connect/sessions/reconnect",
            json!({"connection_id": "conn-1", "integration_id": "zendesk"}),
            201,
        ),
        (
            "POST /connect/sessions/reconnect",
            json!({"connection_id": "ghost", "integration_id": "zendesk"}),
            400,
        ),
    ] {
        let path = op.split(' ').nth(1).unwrap();
        Call::new(&ctx, op, path).json(body).expect(k, status).await;
    }
    let token = session["data"]["token"].as_str().unwrap().to_owned();
    // What the session token may do, then its deletion (after which it is unknown: 401).
    for (op, path, status) in [
        ("GET /connect/session", "/connect/session", 200),
        ("GET /integrations", "/integrations", 200),
        ("DELETE /connect/session", "/connect/session", 204),
        ("DELETE /connect/session", "/connect/session", 401),
        ("GET /connect/session", "/connect/session", 401),
    ] {
        Call::new(&ctx, op, path)
            .bearer(&token)
            .expect(k, status)
            .await;
    }

    // Integrations, providers, environment, scripts: plain GETs with the secret key.
    let integration = "GET /integrations/{uniqueKey}";
    for (op, path, status) in [
        ("GET /integrations", "/integrations", 200),
        ("GET /integrations", "/integrations?x=1", 400),
        (integration, "/integrations/zendesk", 200),
        (integration, "/integrations/zendesk?include=webhook", 200),
        (
            integration,
            "/integrations/zendesk?include=credentials&include=webhook",
            200,
        ),
        (
            integration,
            "/integrations/demo-api-key?include=credentials",
            200,
        ),
        (integration, "/integrations/zendesk?include=secrets", 400),
        (integration, "/integrations/nope", 404),
        ("GET /providers", "/providers", 200),
        ("GET /providers", "/providers?bogus=1", 400),
        ("GET /providers/{provider}", "/providers/openai", 200),
        ("GET /providers/{provider}", "/providers/nope", 404),
        ("GET /environment-variables", "/environment-variables", 200),
        (
            "GET /environment-variables",
            "/environment-variables?x=1",
            400,
        ),
        ("GET /scripts/config", "/scripts/config", 200),
        ("GET /scripts/config", "/scripts/config?format=nango", 200),
        ("GET /scripts/config", "/scripts/config?format=openai", 200),
        ("GET /scripts/config", "/scripts/config?format=yaml", 400),
    ] {
        Call::new(&ctx, op, path).expect(k, status).await;
    }
    // Integration administration and deployed functions.
    let app = json!({"type": "OAUTH2", "client_id": "id", "client_secret": "s"});
    let create = json!({"provider": "zendesk", "unique_key": "zd-contract", "credentials": app});
    for status in [200, 400] {
        Call::new(&ctx, "POST /integrations", "/integrations")
            .json(create.clone())
            .expect(k, status)
            .await;
    }
    for (provider, status) in [("zendesk", 200), ("no-such-provider", 400)] {
        Call::new(
            &ctx,
            "POST /integrations/quickstart",
            "/integrations/quickstart",
        )
        .json(json!({"provider": provider, "unique_key": "zd-quick-contract"}))
        .expect(k, status)
        .await;
    }
    for (key, status) in [("zd-contract", 200), ("nope", 404)] {
        Call::new(
            &ctx,
            "PATCH /integrations/{uniqueKey}",
            format!("/integrations/{key}"),
        )
        .json(json!({"display_name": "Contract"}))
        .expect(k, status)
        .await;
    }
    for (key, status) in [("zd-contract", 200), ("zd-contract", 404)] {
        Call::new(
            &ctx,
            "DELETE /integrations/{uniqueKey}",
            format!("/integrations/{key}"),
        )
        .expect(k, status)
        .await;
    }
    let functions = "/integrations/zendesk/functions";
    for (op, path, status) in [
        (
            "GET /providers/{provider}/templates",
            "/providers/zendesk/templates".to_owned(),
            200,
        ),
        (
            "GET /providers/{provider}/templates",
            "/providers/not%20a%20name/templates".to_owned(),
            400,
        ),
        (
            "GET /integrations/{uniqueKey}/functions",
            functions.to_owned(),
            200,
        ),
        (
            "GET /integrations/{uniqueKey}/functions",
            "/integrations/nope/functions".to_owned(),
            404,
        ),
        (
            "GET /integrations/{uniqueKey}/functions/{name}",
            format!("{functions}/tickets"),
            200,
        ),
        (
            "GET /integrations/{uniqueKey}/functions/{name}",
            format!("{functions}/nope"),
            404,
        ),
        (
            "GET /integrations/{uniqueKey}/functions/{name}/code",
            format!("{functions}/tickets/code"),
            200,
        ),
        (
            "GET /integrations/{uniqueKey}/functions/{name}/code",
            format!("{functions}/nope/code"),
            404,
        ),
        (
            "DELETE /integrations/{uniqueKey}/functions/{name}",
            format!("{functions}/tickets?type=sync"),
            200,
        ),
        (
            "DELETE /integrations/{uniqueKey}/functions/{name}",
            format!("{functions}/tickets"),
            400,
        ),
    ] {
        Call::new(&ctx, op, path).expect(k, status).await;
    }
    // Proxy: any method; the provider's answer passes through.
    Call::new(&ctx, "ANY /proxy/{*anyPath}", "/proxy/echo")
        .conn("conn-1")
        .expect(k, 200)
        .await;
    Call::new(&ctx, "ANY /proxy/{*anyPath}", "/proxy/echo")
        .method(Method::POST)
        .conn("conn-1")
        .json(json!({"x": 1}))
        .expect(k, 200)
        .await;
    Call::new(&ctx, "ANY /proxy/{*anyPath}", "/proxy/echo")
        .header("Provider-Config-Key", "zendesk")
        .expect(k, 400)
        .await;

    // Deletes last.
    for op in [
        "DELETE /connections/{connectionId}",
        "DELETE /connection/{connectionId}",
    ] {
        let base = if op.contains("/connections/") {
            "/connections"
        } else {
            "/connection"
        };
        let id = if base == "/connections" {
            "imp-1"
        } else {
            "imp-2"
        };
        let pck = if base == "/connections" {
            "demo-api-key"
        } else {
            "demo-basic"
        };
        Call::new(&ctx, op, format!("{base}/{id}?provider_config_key={pck}"))
            .expect(k, 200)
            .await;
        Call::new(&ctx, op, format!("{base}/{id}?provider_config_key={pck}"))
            .expect(k, 400)
            .await;
    }

    // Every operation of the contract was driven to a success and to an error.
    let incomplete: Vec<String> = c
        .operations
        .keys()
        .filter(|op| {
            c.seen
                .get(*op)
                .is_none_or(|kinds| !kinds.contains("success") || !kinds.contains("error"))
        })
        .cloned()
        .collect();
    assert!(
        incomplete.is_empty(),
        "not driven to both a success and an error: {incomplete:?}"
    );
}
