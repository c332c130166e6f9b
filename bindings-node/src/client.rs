//! `Nango` (Rust `JsNango`): the constructor with the official SDK's rules, and what every
//! method shares — sending a core request and handing the answer to V8.
//!
//! Every plain JSON method goes through one entry point, `dispatch`, with the name of an
//! operation of core's table (`nango::ops`); `nango.js` defines the methods, one line each. The
//! methods that are not one request and one JSON answer are further `#[napi] impl JsNango`
//! blocks in `records.rs`, `proxy.rs` and `webhooks.rs`.

use napi::bindgen_prelude::{JsObjectValue, PromiseRaw, Unknown};
use napi::{Env, JsValue, ValueType};
use napi_derive::napi;
use serde::Deserialize;
use serde_json::Value;

use crate::convert::{self, Cancel, JsOut};
use crate::errors::{self, Failure};

/// The constructor's argument as the official SDK takes it (unknown keys are ignored).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Options {
    host: Option<String>,
    /// The official SDK's instance property, taken as a deprecated alias of `host`.
    server_url: Option<String>,
    secret_key: Option<String>,
    api_key: Option<String>,
    webhook_signing_key: Option<String>,
    timeout_ms: Option<f64>,
    deadline_ms: Option<f64>,
    max_retries: Option<f64>,
    read_ahead: Option<bool>,
    max_in_flight: Option<f64>,
    // ---- nodecompat: the official SDK's call defaults and script flags (core's `Scope`) ----
    connection_id: Option<String>,
    provider_config_key: Option<String>,
    is_sync: Option<bool>,
    is_script: Option<bool>,
    dry_run: Option<bool>,
    activity_log_id: Option<String>,
    /// The second constructor argument's `userAgent`.
    #[serde(skip)]
    user_agent: Option<String>,
    // ---- logging (`logger` itself is read apart: see log.rs) ----
    log_level: Option<String>,
}

/// The Nango backend client: the official `@nangohq/node` API on the Rust core.
#[napi(js_name = "Nango")]
pub struct JsNango {
    pub(crate) core: nango::Nango,
}

#[napi]
impl JsNango {
    /// `new Nango({ host?, secretKey | apiKey, webhookSigningKey?, timeoutMs?, deadlineMs?,
    /// maxRetries?, caCertificates? })`.
    ///
    /// At most one of `apiKey` / `secretKey` (its deprecated alias); without either, core reads
    /// `NANGO_SECRET_KEY`, and without `host`, `NANGO_HOST`. `host` must parse as an http(s)
    /// URL. `timeoutMs` limits each attempt and `deadlineMs` the whole call (core's defaults
    /// apply when absent); `maxRetries` (default 2) bounds retries of transient failures. Core
    /// checks the settings: a bad one throws its `NangoArgumentError` (`field` names it).
    /// `caCertificates` (PEM strings or Buffers) are trusted on top of the system's store and
    /// `NODE_EXTRA_CA_CERTS`. `logger` (any object with `debug`/`info`/`warn`/`error`, e.g.
    /// `console`) receives a record per call, retry and (at `logLevel: 'debug'`) attempt;
    /// without it, `NANGO_LOG` or `logLevel` log to `console`.
    ///
    /// The second argument is the official SDK's `{ userAgent, httpsAgent, interceptors }`:
    /// `userAgent` is appended to the `User-Agent`; any other option is ignored with a one-time
    /// process warning (code `NANGO_RS_UNHONOURED_OPTION`) naming what to use instead.
    #[napi(
        constructor,
        ts_args_type = "config?: NangoConfig, options?: NangoClientOptions"
    )]
    pub fn new(env: Env, config: Option<Unknown>, client: Option<Unknown>) -> napi::Result<Self> {
        const METHOD: &str = "new Nango";
        let mut ca_certificates = Vec::new();
        let log_sink = crate::log::sink(&env, config)?;
        let mut options: Options = match config {
            None => Options::default(),
            Some(config) if matches!(config.get_type()?, ValueType::Undefined) => {
                Options::default()
            }
            Some(config) if matches!(config.get_type()?, ValueType::Object) => {
                ca_certificates = convert::ca_certificates(&env, config)?;
                let config = crate::log::without_logger(&env, config)?;
                convert::from_js(&env, METHOD, "config", config)?
            }
            Some(_) => {
                return Err(errors::type_error(
                    &env,
                    format!("{METHOD}: the config must be an object ({{ apiKey, host }})"),
                ));
            }
        };
        options.user_agent = client_options(&env, client)?;
        if options.host.is_none() {
            options.host = options.server_url.take();
        }
        let key = match (options.api_key.take(), options.secret_key.take()) {
            (Some(_), Some(_)) => {
                return Err(errors::type_error(
                    &env,
                    format!("{METHOD}: give either apiKey or secretKey, not both"),
                ));
            }
            (key, None) | (None, key) => key,
        };
        // Core checks every setting (the bounds of timeoutMs, deadlineMs and maxRetries included)
        // and reads NANGO_SECRET_KEY / NANGO_HOST when they are not given.
        let core = core_client(&env, key, options, ca_certificates, log_sink)
            .map_err(|err| errors::to_js_error(&env, err))?;
        Ok(JsNango { core })
    }

    /// The host requests go to (no trailing slash).
    #[napi(getter)]
    pub fn host(&self) -> String {
        self.core.host().to_owned()
    }

    /// The official SDK's name of `host`.
    #[napi(getter)]
    pub fn server_url(&self) -> String {
        self.core.host().to_owned()
    }

    /// The `User-Agent` every request sends.
    #[napi(getter)]
    pub fn user_agent(&self) -> String {
        self.core.config().user_agent.clone()
    }

    /// The connection of calls that name none (`connectionId` of the constructor), or `''`.
    #[napi(getter)]
    pub fn connection_id(&self) -> String {
        self.core
            .config()
            .scope
            .connection_id
            .clone()
            .unwrap_or_default()
    }

    /// The integration of calls that name none (`providerConfigKey`), or `''`.
    #[napi(getter)]
    pub fn provider_config_key(&self) -> String {
        let scope = &self.core.config().scope;
        scope.provider_config_key.clone().unwrap_or_default()
    }

    /// The per-attempt timeout in effect, in milliseconds: `timeoutMs`, or core's default
    /// (a synchronous `triggerAction` waits longer by default: the action may run 15 minutes).
    #[napi(getter)]
    pub fn timeout_ms(&self) -> f64 {
        self.core.config().timeout.as_secs_f64() * 1000.0
    }

    /// The overall deadline of a call in effect, retries included, in milliseconds:
    /// `deadlineMs`, or core's default.
    #[napi(getter)]
    pub fn deadline_ms(&self) -> f64 {
        self.core.config().deadline.as_secs_f64() * 1000.0
    }
}

#[napi]
impl JsNango {
    /// The one entry point of the plain JSON methods (hidden: `nango.js` takes it off the class
    /// and defines each method with it). `op` names an operation of core's table, `args` is its
    /// argument object, `options` the call's `{ signal }`, `shape` what the promise resolves
    /// with: `'body'` (the JSON answer, parsed) or `'response'` (axios' `{ data, status,
    /// headers }`). Never throws: a bad argument is core's `invalid_argument` error, rejected.
    #[napi(skip_typescript)]
    pub fn dispatch<'env>(
        &self,
        env: &'env Env,
        op: Unknown,
        args: Unknown,
        options: Option<Unknown>,
        shape: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        let prepared = (|| -> nango::Result<_> {
            let name = convert::opt_string(env, "dispatch", "op", Some(op))
                .ok()
                .flatten()
                .unwrap_or_default();
            if name == WAIT_FOR_CONNECTION {
                return Ok(None);
            }
            let op = nango::ops::operation(&name)?;
            let whole = match convert::opt_string(env, op.name, "shape", shape) {
                Ok(shape) => shape.as_deref() == Some("response"),
                Err(err) => return Err(nango::Error::invalid_argument("shape", err.reason)),
            };
            let cancel = Cancel::from_options(env, op.name, options)
                .map_err(|err| nango::Error::invalid_argument("options", err.reason))?;
            let request = self
                .core
                .operation_request(op, convert::args_json(env, op.name, args)?)?;
            Ok(Some((op, whole, cancel, request)))
        })();
        let (op, whole, cancel, request) = match prepared {
            Ok(Some(prepared)) => prepared,
            Ok(None) => return wait_for_connection(env, &self.core, args, options),
            Err(err) => return convert::reject(env, err),
        };
        let core = self.core.clone();
        convert::spawn(env, cancel, async move {
            let response = send(&core, &request).await?;
            if whole {
                return Ok(convert::axios_like(response, convert::ResponseType::Json));
            }
            Ok(JsOut::Json(op.output(response)?.body.into_json()?))
        })
    }
}

/// The one method of `nango.js`'s table that is not an operation of core's table: it polls.
const WAIT_FOR_CONNECTION: &str = "wait_for_connection";

/// `waitForConnection(integrationKey, userId, { signal?, deadlineMs? })`: core's polling wait,
/// cancelled by the signal; `deadlineMs` replaces core's default limit.
fn wait_for_connection<'env>(
    env: &'env Env,
    core: &nango::Nango,
    args: Unknown,
    options: Option<Unknown>,
) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
    let prepared = (|| -> nango::Result<_> {
        let invalid = |err: napi::Error| nango::Error::invalid_argument("options", err.reason);
        let cancel = Cancel::from_options(env, WAIT_FOR_CONNECTION, options).map_err(invalid)?;
        let mut args = convert::args_json(env, WAIT_FOR_CONNECTION, args)?;
        let deadline: Option<Unknown> = match options {
            Some(options) if matches!(options.get_type().map_err(invalid)?, ValueType::Object) => {
                options
                    .coerce_to_object()
                    .and_then(|options| options.get_named_property("deadlineMs"))
                    .ok()
            }
            _ => None,
        };
        if let (Some(deadline), Value::Object(fields)) = (deadline, &mut args) {
            match deadline.get_type().map_err(invalid)? {
                ValueType::Undefined => {}
                ValueType::Number => {
                    let ms = deadline.coerce_to_number().and_then(|n| n.get_double());
                    let seconds = serde_json::Number::from_f64(ms.map_err(invalid)? / 1000.0)
                        .ok_or_else(|| {
                            nango::Error::invalid_argument("deadlineMs", "must be finite")
                        })?;
                    fields.insert("deadline".into(), seconds.into());
                }
                other => {
                    return Err(nango::Error::invalid_argument(
                        "deadlineMs",
                        format!("must be a number of milliseconds, got a {other}"),
                    ));
                }
            }
        }
        Ok((cancel, nango::ops::wait_for_connection_params(args)?))
    })();
    let (cancel, params) = match prepared {
        Ok(prepared) => prepared,
        Err(err) => return convert::reject(env, err),
    };
    let core = core.clone();
    convert::spawn(env, cancel, async move {
        let found = core.wait_for_connection(&params).await?;
        let text = serde_json::to_string(&found)
            .map_err(|err| nango::Error::Internal(format!("connection: {err}")))?;
        Ok(JsOut::Json(text))
    })
}

/// The options handed to core's builder; `build()` rejects what is out of bounds.
fn core_client(
    env: &Env,
    key: Option<String>,
    options: Options,
    ca_certificates: Vec<Vec<u8>>,
    log_sink: std::sync::Arc<dyn nango::LogSink>,
) -> nango::Result<nango::Nango> {
    // Under Node, core reads NODE_EXTRA_CA_CERTS (not SSL_CERT_FILE) and says so in its errors.
    let mut builder = nango::NangoBuilder::new()
        .user_agent_suffix(node_version(env))
        .ecosystem(nango::tls::Ecosystem::Node);
    for pem in ca_certificates {
        builder = builder.add_root_certificate(pem);
    }
    if let Some(key) = key {
        builder = builder.secret_key(key);
    }
    if let Some(host) = options.host {
        builder = builder.host(host);
    }
    if let Some(signing_key) = options.webhook_signing_key {
        builder = builder.webhook_signing_key(signing_key);
    }
    if let Some(ms) = options.timeout_ms {
        builder = builder.timeout(nango::client::duration_from_secs_f64(
            "timeout",
            ms / 1000.0,
        )?);
    }
    if let Some(ms) = options.deadline_ms {
        builder = builder.deadline(nango::client::duration_from_secs_f64(
            "deadline",
            ms / 1000.0,
        )?);
    }
    if let Some(retries) = options.max_retries {
        builder = builder.max_retries(nango::client::retries_from_f64("max_retries", retries)?);
    }
    if let Some(enabled) = options.read_ahead {
        builder = builder.read_ahead(enabled);
    }
    if let Some(max) = options.max_in_flight {
        builder = builder.max_in_flight(nango::client::count_from_f64("max_in_flight", max)?);
    }
    // ---- logging ----
    builder = builder.log_sink(log_sink);
    if let Some(level) = crate::log::level(options.log_level.as_deref())? {
        builder = builder.log_level(level);
    }
    if let Some(agent) = options.user_agent {
        builder = builder.user_agent(agent);
    }
    if let Some(id) = options.connection_id {
        builder = builder.connection_id(id);
    }
    if let Some(key) = options.provider_config_key {
        builder = builder.provider_config_key(key);
    }
    if let Some(id) = options.activity_log_id {
        builder = builder.activity_log_id(id);
    }
    builder
        .is_sync(options.is_sync.unwrap_or(false))
        .is_script(options.is_script.unwrap_or(false))
        .dry_run(options.dry_run.unwrap_or(false))
        .build()
}

/// The second constructor argument: its `userAgent`, after a one-time warning for every other
/// option that is set (core says what to use instead, `nango::client::unhonoured_option`).
fn client_options(env: &Env, client: Option<Unknown>) -> napi::Result<Option<String>> {
    let Some(client) = client else {
        return Ok(None);
    };
    if !matches!(client.get_type()?, ValueType::Object) {
        return Ok(None);
    }
    let client = client.coerce_to_object()?;
    let names = client.get_property_names()?;
    let mut user_agent = None;
    for index in 0..names.get_array_length()? {
        let name: String = names.get_element(index)?;
        let value: Unknown = client.get_named_property(&name)?;
        if matches!(value.get_type()?, ValueType::Undefined) {
            continue;
        }
        if name == "userAgent" {
            user_agent = convert::opt_string(env, "new Nango", "options.userAgent", Some(value))?;
        } else if let Some(message) = nango::client::unhonoured_option(&name) {
            warn_once(env, &name, &message)?;
        }
    }
    Ok(user_agent)
}

/// `process.emitWarning(message, { code })`, at most once per option name in this process.
fn warn_once(env: &Env, option: &str, message: &str) -> napi::Result<()> {
    static WARNED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    {
        let mut warned = WARNED
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if warned.iter().any(|name| name == option) {
            return Ok(());
        }
        warned.push(option.to_owned());
    }
    let process: napi::bindgen_prelude::Object = env.get_global()?.get_named_property("process")?;
    let emit: napi::bindgen_prelude::Function<
        '_,
        napi::bindgen_prelude::FnArgs<(String, napi::bindgen_prelude::Object)>,
        Unknown,
    > = process.get_named_property("emitWarning")?;
    let mut options = napi::bindgen_prelude::Object::new(env)?;
    options.set_named_property("code", UNHONOURED_OPTION_WARNING)?;
    emit.apply(
        process,
        (format!("@nango-rs/node: {message}"), options).into(),
    )?;
    Ok(())
}

/// The `code` of the warning for an option of the official SDK that is not honoured.
const UNHONOURED_OPTION_WARNING: &str = "NANGO_RS_UNHONOURED_OPTION";

/// What the official `getUserAgent(userAgent?)` returns, for this package: the `User-Agent`
/// core sends from Node, with `userAgent` appended. Hidden: `nango.js` exports it.
#[napi(skip_typescript)]
pub fn user_agent(env: Env, user_agent: Option<String>) -> String {
    let runtime = node_version(&env);
    nango::client::user_agent_with(&[runtime.as_str(), user_agent.as_deref().unwrap_or("")])
}

/// Core's default host (the official `prodHost`). Hidden: `nango.js` exports it.
#[napi(skip_typescript)]
pub fn default_host() -> String {
    nango::DEFAULT_HOST.to_owned()
}

/// `node.js/<version>`, appended to core's `User-Agent`.
fn node_version(env: &Env) -> String {
    let version = (|| -> napi::Result<String> {
        let process: napi::bindgen_prelude::Object =
            env.get_global()?.get_named_property("process")?;
        let version: Unknown = process.get_named_property("version")?;
        version.coerce_to_string()?.into_utf8()?.into_owned()
    })();
    match version {
        Ok(version) => format!("node.js/{}", version.trim_start_matches('v')),
        Err(_) => "node.js".to_owned(),
    }
}

impl JsNango {
    /// Sends a core request and resolves with `{data, status, headers}`, the shape of the axios
    /// response the official SDK returns for some methods, `data` decoded as `kind` says.
    pub(crate) fn response_as<'env>(
        &self,
        env: &'env Env,
        cancel: Cancel,
        request: nango::Result<nango::Request>,
        kind: convert::ResponseType,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        let request = match request {
            Ok(request) => request,
            Err(err) => return convert::reject(env, err),
        };
        let core = self.core.clone();
        convert::spawn(env, cancel, async move {
            let response = send(&core, &request).await?;
            Ok(convert::axios_like(response, kind))
        })
    }
}

/// `core.send`, keeping a final error answer whole for the error's axios-shaped `response`.
/// Same retries; core still builds the error (`api_error`), the binding only keeps the answer.
async fn send(
    core: &nango::Nango,
    request: &nango::Request,
) -> Result<nango::RawResponse, Failure> {
    let response = core.send_any_status(request).await?;
    if response.is_success() {
        Ok(response)
    } else {
        Err(Failure::answered(&request.label(), response))
    }
}
