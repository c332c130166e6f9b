//! The table of operations: every plain JSON endpoint as data, so that a binding needs one generic
//! dispatcher instead of one hand-written method per endpoint.
//!
//! Each [`Operation`] names its serde parameter type (through the builder it wraps), its request
//! builder, how its answer is read ([`ResponseMode`]) and its retry class. A binding hands
//! [`Nango::call`] (or, when it sends requests itself, [`Operation::request`] and
//! [`Operation::output`]) the operation's name and its arguments as one JSON object, and gets
//! JSON text back.
//!
//! Arguments are the parameter type's fields, in camelCase (the Node SDK's names) or snake_case
//! (Python's keyword names): top-level keys are normalised to the type's own case, and an error
//! names the field as the caller spelt it. A bad argument is [`Error::InvalidArgument`]
//! (`invalid_argument`), raised before anything is sent.
//!
//! Not in the table, because they are not one request and one JSON answer: the record walkers
//! and `list_records` (paging), the proxy (raw bodies of another API), webhooks (no I/O), the
//! auth popup (a state machine) and `wait_for_connection` (it polls): the bindings' dispatchers
//! take its name too, parse its arguments with [`wait_for_connection_params`] and run
//! [`Nango::wait_for_connection`].
//!
//! Adding an endpoint: a builder in its area module, one [`OPERATIONS`] entry, a case in
//! `tests/vectors/requests.json`, then one line per binding.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::actions::{AsyncActionRef, TriggerActionParams};
use crate::client::duration_from_secs_f64;
use crate::connect::{CreateConnectSessionParams, CreateReconnectSessionParams};
use crate::connection_wait::{WaitForConnectionParams, wait_for_connection_request};
use crate::connections::{
    self, ConnectionRef, GetConnectionParams, ListConnectionsParams, MetadataParams,
    PatchConnectionParams, Token,
};
use crate::error::{Error, Result};
use crate::functions::{self, FunctionRef, ListFunctionsParams};
use crate::integrations::{
    self, CreateIntegrationParams, GetIntegrationParams, IntegrationList, ListProvidersParams,
    QuickstartIntegrationParams,
};
use crate::ordered_map::OrderedMap;
use crate::records::PruneRecordsParams;
use crate::request::{Request, RetryClass};
use crate::response::{HeaderValue, RawResponse, decode_json, fold_headers};
use crate::syncs::{
    SyncControlParams, SyncStatusParams, SyncVariantParams, TriggerSyncParams,
    UpdateFrequencyParams,
};
use crate::{Nango, actions, connect, records, syncs};

/// How the answer of an operation is read.
#[derive(Debug, Clone, Copy)]
pub enum ResponseMode {
    /// A JSON body, checked (an empty body reads as `null`) and handed on as text.
    Json,
    /// A JSON body reshaped by core before it is handed on (e.g. `getToken` picks the token out
    /// of the connection).
    Reshaped(fn(Value) -> Result<Value>),
    /// The body is ignored; the result is `null`.
    Empty,
    /// The bytes as received, unchecked.
    Raw,
}

/// The case of a parameter type's field names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Camel,
    Snake,
}

/// One endpoint of the table.
#[derive(Debug)]
pub struct Operation {
    /// The operation's name (snake_case, as the Python method; the Node method is its camelCase).
    pub name: &'static str,
    /// How the answer is read.
    pub response: ResponseMode,
    /// Which automatic retries are safe (the request the builder makes carries the same class).
    pub retry: RetryClass,
    build: fn(Value, &str) -> Result<Request>,
}

/// The answer of an operation, for a binding to hand to its host.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// HTTP status.
    pub status: u16,
    /// Response headers, folded by core ([`fold_headers`]).
    pub headers: OrderedMap<HeaderValue>,
    /// The body.
    pub body: Body,
}

/// The body of an [`Output`].
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// Valid JSON text.
    Json(String),
    /// Raw bytes ([`ResponseMode::Raw`]).
    Raw(Vec<u8>),
}

impl Body {
    /// The body as JSON text (`null` stands for no body; raw bytes are not JSON).
    pub fn into_json(self) -> Result<String> {
        match self {
            Body::Json(text) => Ok(text),
            Body::Raw(_) => Err(Error::Internal("a raw body is not JSON".to_owned())),
        }
    }
}

/// One table entry: `op! { name, Params, case, response mode, retry class, |params, host| request }`.
macro_rules! op {
    ($name:literal, $params:ty, $case:ident, $response:ident $(($reshape:path))?, $retry:ident, $build:expr) => {
        Operation {
            name: $name,
            response: ResponseMode::$response $(($reshape))?,
            retry: RetryClass::$retry,
            build: |value, host| {
                let build: fn($params, &str) -> Result<Request> = $build;
                build(parse::<$params>(value, Case::$case)?, host)
            },
        }
    };
}

/// Every plain JSON endpoint. Order is irrelevant; names are unique (a test checks).
pub static OPERATIONS: &[Operation] = &[
    // records (the walkers and `list_records` page, so they are not here)
    op! { "prune_records", PruneRecordsParams, Camel, Json, Idempotent, |p, _| records::prune_records_request(&p) },
    // actions
    op! { "trigger_action", TriggerActionParams, Camel, Json, TriggerAction, |p, _| actions::trigger_action_request(&p, false) },
    op! { "trigger_action_async", TriggerActionParams, Camel, Json, TriggerAction, |p, _| actions::trigger_action_request(&p, true) },
    op! { "get_async_action_result", AsyncActionRef, Camel, Json, Idempotent, |p, host| actions::get_async_action_result_request(&p, host) },
    // connections
    op! { "list_connections", ListConnectionsParams, Camel, Json, Idempotent, |p, _| connections::list_connections_request(&p) },
    op! { "get_connection", GetConnectionParams, Camel, Json, Idempotent, |p, _| connections::get_connection_request(&p) },
    op! { "get_token", GetConnectionParams, Camel, Reshaped(token_of), Idempotent, |p, _| connections::get_token_request(&p) },
    op! { "get_metadata", ConnectionRef, Camel, Reshaped(metadata_of), Idempotent, |p, _| connections::get_connection_request(&GetConnectionParams::new(p.provider_config_key, p.connection_id)) },
    op! { "set_metadata", MetadataParams, Camel, Json, Idempotent, |p, _| connections::set_metadata_request(&p) },
    op! { "update_metadata", MetadataParams, Camel, Json, Idempotent, |p, _| connections::update_metadata_request(&p) },
    op! { "patch_connection", PatchConnectionParams, Camel, Json, Idempotent, |p, _| connections::patch_connection_request(&p) },
    op! { "delete_connection", ConnectionRef, Camel, Json, Idempotent, |p, _| connections::delete_connection_request(&p) },
    // connect sessions (snake_case bodies, as the Node SDK takes them)
    op! { "create_connect_session", CreateConnectSessionParams, Snake, Json, TriggerAction, |p, _| connect::create_connect_session_request(&p) },
    op! { "create_reconnect_session", CreateReconnectSessionParams, Snake, Json, TriggerAction, |p, _| connect::create_reconnect_session_request(&p) },
    // syncs
    op! { "trigger_sync", TriggerSyncParams, Camel, Json, TriggerAction, |p, _| syncs::trigger_sync_request(&p) },
    op! { "start_sync", SyncControlParams, Camel, Json, Idempotent, |p, _| syncs::start_sync_request(&p) },
    op! { "pause_sync", SyncControlParams, Camel, Json, Idempotent, |p, _| syncs::pause_sync_request(&p) },
    op! { "sync_status", SyncStatusParams, Camel, Json, Idempotent, |p, _| syncs::sync_status_request(&p) },
    op! { "update_sync_connection_frequency", UpdateFrequencyParams, Camel, Json, Idempotent, |p, _| syncs::update_sync_connection_frequency_request(&p) },
    op! { "create_sync_variant", SyncVariantParams, Snake, Json, TriggerAction, |p, _| syncs::create_sync_variant_request(&p) },
    op! { "delete_sync_variant", SyncVariantParams, Snake, Json, Idempotent, |p, _| syncs::delete_sync_variant_request(&p) },
    // integrations and environment
    op! { "list_integrations", NoParams, Camel, Reshaped(legacy_integrations), Idempotent, |_, _| Ok(integrations::list_integrations_request()) },
    op! { "get_integration", GetIntegrationParams, Camel, Json, Idempotent, |p, _| integrations::get_integration_request(&p) },
    op! { "list_providers", ListProvidersParams, Camel, Json, Idempotent, |p, _| Ok(integrations::list_providers_request(&p)) },
    op! { "get_provider", ProviderParams, Camel, Json, Idempotent, |p, _| integrations::get_provider_request(&p.provider) },
    op! { "get_environment_variables", NoParams, Camel, Json, Idempotent, |_, _| Ok(integrations::get_environment_variables_request()) },
    op! { "get_scripts_config", ScriptsConfigParams, Camel, Json, Idempotent, |p, _| Ok(integrations::get_scripts_config_request(p.format)) },
    op! { "get_provider_templates", ProviderParams, Camel, Json, Idempotent, |p, _| integrations::get_provider_templates_request(&p.provider) },
    // integration administration (snake_case bodies, as the Node SDK takes them)
    op! { "create_integration", CreateIntegrationParams, Snake, Json, TriggerAction, |p, _| integrations::create_integration_request(&p) },
    op! { "create_quickstart_integration", QuickstartIntegrationParams, Snake, Json, TriggerAction, |p, _| integrations::create_quickstart_integration_request(&p) },
    // TriggerAction is its class when it renames; without a rename the builder picks Idempotent.
    op! { "update_integration", UpdateIntegrationParams, Camel, Json, TriggerAction, |p, _| integrations::update_integration_request(&p.unique_key, &p.body) },
    op! { "delete_integration", IntegrationKeyParams, Camel, Json, Idempotent, |p, _| integrations::delete_integration_request(&p.provider_config_key) },
    // deployed functions
    op! { "list_functions", ListFunctionsParams, Camel, Json, Idempotent, |p, _| functions::list_functions_request(&p) },
    op! { "get_function", FunctionRef, Camel, Json, Idempotent, |p, _| functions::get_function_request(&p) },
    op! { "get_function_code", FunctionRef, Camel, Json, Idempotent, |p, _| functions::get_function_code_request(&p) },
    op! { "delete_function", FunctionRef, Camel, Json, Idempotent, |p, _| functions::delete_function_request(&p) },
    // the provider's own token answer, read from the connection as `get_token` reads it
    op! { "get_raw_token_response", GetConnectionParams, Camel, Reshaped(raw_token_of), Idempotent, |p, _| connections::get_token_request(&p) },
];

/// `update_integration`'s arguments: the integration and the changes.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct UpdateIntegrationParams {
    unique_key: String,
    body: integrations::IntegrationUpdate,
}

/// `delete_integration`'s argument: the integration id, `providerConfigKey` as the Node SDK
/// names it, or `uniqueKey` as the other integration calls do.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct IntegrationKeyParams {
    #[serde(alias = "uniqueKey")]
    provider_config_key: String,
}

/// An operation without arguments (any given are refused).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct NoParams {}

/// `get_provider`'s argument.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ProviderParams {
    provider: String,
}

/// `get_scripts_config`'s argument.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ScriptsConfigParams {
    format: integrations::ScriptsConfigFormat,
}

/// `get_token`: the token picked out of the connection, by credential type.
fn token_of(connection: Value) -> Result<Value> {
    let connection: connections::Connection = serde_json::from_value(connection)
        .map_err(|err| Error::Internal(format!("connection: {err}")))?;
    let credentials = connection
        .credentials
        .ok_or_else(|| Error::invalid_argument("credentials", "the connection has none"))?;
    let token: Token = Token::from_credentials(credentials)?;
    serde_json::to_value(&token).map_err(|err| Error::Internal(format!("token: {err}")))
}

/// `get_raw_token_response`: `credentials.raw` of the connection (`null` when there is none).
fn raw_token_of(connection: Value) -> Result<Value> {
    Ok(match connection {
        Value::Object(mut fields) => match fields.remove("credentials") {
            Some(Value::Object(mut credentials)) => {
                credentials.remove("raw").unwrap_or(Value::Null)
            }
            _ => Value::Null,
        },
        _ => Value::Null,
    })
}

/// `get_metadata`: the connection's metadata (`null` when it has none).
fn metadata_of(connection: Value) -> Result<Value> {
    Ok(match connection {
        Value::Object(mut fields) => fields.remove("metadata").unwrap_or(Value::Null),
        _ => Value::Null,
    })
}

/// `list_integrations`: the `{configs: [...]}` shape the Node SDK returns.
fn legacy_integrations(body: Value) -> Result<Value> {
    let list: IntegrationList = serde_json::from_value(body)
        .map_err(|err| Error::Internal(format!("integrations: {err}")))?;
    serde_json::to_value(list.into_legacy())
        .map_err(|err| Error::Internal(format!("integrations: {err}")))
}

/// `wait_for_connection`'s arguments, taken as the table's operations take theirs: the
/// integration (`integrationKey`), the end user (`userId`) and the overall limit (`deadline`, in
/// seconds; core's [`WAIT_DEADLINE`](crate::connection_wait::WAIT_DEADLINE) when absent). It is
/// not in the table because it polls: the bindings run [`Nango::wait_for_connection`] with these.
pub fn wait_for_connection_params(args: Value) -> Result<WaitForConnectionParams> {
    #[derive(Default, serde::Deserialize)]
    #[serde(rename_all = "camelCase", default)]
    struct WaitArgs {
        integration_key: String,
        user_id: String,
        deadline: Option<f64>,
    }
    let args: WaitArgs = parse(args, Case::Camel)?;
    let mut params = WaitForConnectionParams::new(args.integration_key, args.user_id);
    if let Some(seconds) = args.deadline {
        params = params.deadline(duration_from_secs_f64("deadline", seconds)?);
    }
    wait_for_connection_request(&params)?;
    Ok(params)
}

/// The operation of that name; an unknown name is an `invalid_argument` error.
pub fn operation(name: &str) -> Result<&'static Operation> {
    OPERATIONS
        .iter()
        .find(|op| op.name == name)
        .ok_or_else(|| Error::invalid_argument("operation", format!("no operation `{name}`")))
}

impl Operation {
    /// The request for `params` (a JSON object; `null` for none), to be sent to `host` (which
    /// `get_async_action_result` needs to check a status URL).
    pub fn request(&self, params: Value, host: &str) -> Result<Request> {
        (self.build)(params, host)
    }

    /// Reads a 2xx answer as [`Operation::response`] says.
    pub fn output(&self, response: RawResponse) -> Result<Output> {
        let headers = fold_headers(&response.headers);
        let status = response.status;
        let body = match self.response {
            ResponseMode::Raw => Body::Raw(response.body),
            ResponseMode::Empty => Body::Json("null".to_owned()),
            ResponseMode::Json => {
                decode_json::<serde::de::IgnoredAny>(&response)?;
                if response.body.iter().all(u8::is_ascii_whitespace) {
                    Body::Json("null".to_owned())
                } else {
                    Body::Json(String::from_utf8(response.body).map_err(|err| {
                        Error::Internal(format!("valid JSON that is not UTF-8: {err}"))
                    })?)
                }
            }
            ResponseMode::Reshaped(reshape) => {
                let value = reshape(decode_json::<Value>(&response)?)?;
                Body::Json(value.to_string())
            }
        };
        Ok(Output {
            status,
            headers,
            body,
        })
    }
}

/// The operations whose arguments name one connection, both ids required: when the call leaves
/// `providerConfigKey` / `connectionId` out (or empty), the client's defaults fill them in
/// ([`Scope::fill_json`](crate::client::Scope::fill_json)). Operations where a missing
/// connection means "every connection" (the sync controls) are not here.
pub const CONNECTION_SCOPED: &[&str] = &[
    "prune_records",
    "trigger_action",
    "trigger_action_async",
    "get_connection",
    "get_token",
    "get_raw_token_response",
    "get_metadata",
    "set_metadata",
    "update_metadata",
    "patch_connection",
    "delete_connection",
];

impl Nango {
    /// Runs the operation `name` with `params` (one JSON object of its arguments): builds the
    /// request, sends it with the request's retry class, and reads the answer. A non-2xx answer
    /// is the usual API error.
    pub async fn call(&self, name: &str, params: Value) -> Result<Output> {
        let op = operation(name)?;
        let request = self.operation_request(op, params)?;
        op.output(self.send(&request).await?)
    }

    /// [`Operation::request`] for this client: the client's default connection fills in a
    /// [`CONNECTION_SCOPED`] operation's missing ids first. What bindings call.
    pub fn operation_request(&self, op: &Operation, mut params: Value) -> Result<Request> {
        if CONNECTION_SCOPED.contains(&op.name) {
            self.config().scope.fill_json(&mut params);
        }
        op.request(params, self.host())
    }
}

/// The arguments as `P`: top-level keys normalised to `case`, `null` (or no arguments) as `{}`,
/// and an error path that names the field as the caller spelt it.
fn parse<P: DeserializeOwned>(params: Value, case: Case) -> Result<P> {
    let (object, spelt) = match params {
        Value::Null => (Map::new(), Vec::new()),
        Value::Object(fields) => {
            let mut object = Map::with_capacity(fields.len());
            let mut spelt = Vec::new();
            for (key, value) in fields {
                let normal = match case {
                    Case::Camel => camel_case(&key),
                    Case::Snake => snake_case(&key),
                };
                if normal != key {
                    spelt.push((normal.clone(), key));
                }
                object.insert(normal, value);
            }
            (object, spelt)
        }
        other => {
            return Err(Error::invalid_argument(
                "arguments",
                format!("must be an object, got {}", kind(&other)),
            ));
        }
    };
    serde_path_to_error::deserialize(Value::Object(object)).map_err(|err| {
        let path = err.path().to_string();
        let mut segments = path.splitn(2, '.');
        let first = segments.next().unwrap_or_default();
        let first = spelt
            .iter()
            .find(|(normal, _)| normal == first)
            .map_or(first, |(_, key)| key.as_str());
        let field = match segments.next() {
            Some(rest) => format!("{first}.{rest}"),
            None if first.is_empty() => "arguments".to_owned(),
            None => first.to_owned(),
        };
        Error::invalid_argument(field, err.into_inner().to_string())
    })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `provider_config_key` → `providerConfigKey` (camelCase keys are left as they are).
fn camel_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for ch in key.chars() {
        if ch == '_' && !out.is_empty() {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// `providerConfigKey` → `provider_config_key`.
fn snake_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for ch in key.chars() {
        if ch.is_ascii_uppercase() {
            out.push('_');
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_are_unique() {
        for (index, op) in OPERATIONS.iter().enumerate() {
            assert!(
                OPERATIONS[index + 1..]
                    .iter()
                    .all(|other| other.name != op.name),
                "{} twice",
                op.name
            );
        }
    }

    #[test]
    fn cases_convert_both_ways() {
        assert_eq!(camel_case("provider_config_key"), "providerConfigKey");
        assert_eq!(camel_case("providerConfigKey"), "providerConfigKey");
        assert_eq!(snake_case("providerConfigKey"), "provider_config_key");
        assert_eq!(snake_case("end_user"), "end_user");
    }

    #[test]
    fn either_case_builds_the_same_request() {
        let op = operation("get_connection").unwrap();
        let camel = op
            .request(
                json!({"providerConfigKey": "p", "connectionId": "c", "forceRefresh": true}),
                "h",
            )
            .unwrap();
        let snake = op
            .request(
                json!({"provider_config_key": "p", "connection_id": "c", "force_refresh": true}),
                "h",
            )
            .unwrap();
        assert_eq!(camel, snake);
        let op = operation("create_sync_variant").unwrap();
        let camel = op
            .request(
                json!({"providerConfigKey": "p", "connectionId": "c", "name": "n", "variant": "v"}),
                "h",
            )
            .unwrap();
        let snake = op
            .request(json!({"provider_config_key": "p", "connection_id": "c", "name": "n", "variant": "v"}), "h")
            .unwrap();
        assert_eq!(camel, snake);
    }

    #[test]
    fn a_bad_argument_names_the_field_as_spelt() {
        let op = operation("trigger_action").unwrap();
        for (key, expected) in [
            ("connection_id", "connection_id"),
            ("connectionId", "connectionId"),
        ] {
            let err = op
                .request(
                    json!({"providerConfigKey": "p", key: 42, "actionName": "a"}),
                    "h",
                )
                .unwrap_err();
            assert_eq!(err.code(), "invalid_argument");
            let Error::InvalidArgument { field, .. } = &err else {
                panic!("{err:?}")
            };
            assert_eq!(field, expected);
        }
        let err = op.request(json!("not an object"), "h").unwrap_err();
        assert_eq!(err.code(), "invalid_argument");
        let err = operation("no_such_op").unwrap_err();
        assert_eq!(err.code(), "invalid_argument");
    }

    #[test]
    fn answers_are_read_by_mode() {
        let response = |body: &str| RawResponse {
            status: 200,
            headers: vec![("X-A".into(), "1".into()), ("x-a".into(), "2".into())],
            body: body.as_bytes().to_vec(),
        };
        let output = operation("get_connection")
            .unwrap()
            .output(response(""))
            .unwrap();
        assert_eq!(output.body, Body::Json("null".into()));
        assert!(
            operation("get_connection")
                .unwrap()
                .output(response("<html>"))
                .is_err()
        );
        let output = operation("get_metadata")
            .unwrap()
            .output(response(r#"{"metadata": {"a": 1}}"#))
            .unwrap();
        assert_eq!(output.body, Body::Json(r#"{"a":1}"#.into()));
        assert_eq!(output.headers, fold_headers(&response("").headers));
        let output = operation("list_integrations")
            .unwrap()
            .output(response(r#"{"data": [{"unique_key": "k"}]}"#))
            .unwrap();
        assert_eq!(
            output.body.into_json().unwrap(),
            r#"{"configs":[{"unique_key":"k"}]}"#
        );
    }
}
