//! `Nango` (Rust `JsNango`): the constructor with the official SDK's rules, and what every
//! method shares — sending a core request and handing the answer to V8.
//!
//! The endpoint methods are further `#[napi] impl JsNango` blocks in `records.rs`,
//! `actions.rs`, `connections.rs`, `syncs.rs`, `proxy.rs`, `integrations.rs` and `webhooks.rs`.

use napi::bindgen_prelude::{JsObjectValue, PromiseRaw, Unknown};
use napi::{Env, JsValue, ValueType};
use napi_derive::napi;
use serde::Deserialize;

use crate::convert::{self, Cancel, JsOut};
use crate::errors::{self, Failure};

/// The constructor's argument as the official SDK takes it (extra official keys such as
/// `connectionId`/`isSync` are accepted and ignored).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Options {
    host: Option<String>,
    secret_key: Option<String>,
    api_key: Option<String>,
    webhook_signing_key: Option<String>,
    timeout_ms: Option<f64>,
    max_retries: Option<f64>,
}

/// The Nango backend client: the official `@nangohq/node` API on the Rust core.
#[napi(js_name = "Nango")]
pub struct JsNango {
    pub(crate) core: nango::Nango,
}

#[napi]
impl JsNango {
    /// `new Nango({ host?, secretKey | apiKey, webhookSigningKey?, timeoutMs?, maxRetries? })`.
    ///
    /// Exactly one of `apiKey` / `secretKey` (its deprecated alias); `host` must parse as an
    /// http(s) URL. `timeoutMs` limits each attempt (at most a day); `maxRetries` (default 2, at
    /// most 20) bounds retries of transient failures. Core checks the settings: a bad one throws
    /// its `NangoArgumentError` (`field` names it).
    #[napi(constructor, ts_args_type = "config: NangoConfig")]
    pub fn new(env: Env, config: Unknown) -> napi::Result<Self> {
        const METHOD: &str = "new Nango";
        if !matches!(config.get_type()?, ValueType::Object) {
            return Err(errors::type_error(
                &env,
                format!(
                    "{METHOD}: the config object is required ({{ secretKey }} or {{ apiKey }})"
                ),
            ));
        }
        let mut options: Options = convert::from_js(&env, METHOD, "config", config)?;
        let key = match (options.api_key.take(), options.secret_key.take()) {
            (Some(_), Some(_)) => {
                return Err(errors::type_error(
                    &env,
                    format!("{METHOD}: give either apiKey or secretKey, not both"),
                ));
            }
            (Some(key), None) | (None, Some(key)) => key,
            (None, None) => {
                return Err(errors::type_error(
                    &env,
                    format!("{METHOD}: apiKey (or its deprecated alias secretKey) is required"),
                ));
            }
        };
        // Core checks every setting (the bounds of timeoutMs and maxRetries included).
        let core = core_client(&env, key, options).map_err(|err| errors::to_js_error(&env, err))?;
        Ok(JsNango { core })
    }

    /// The host requests go to (no trailing slash).
    #[napi(getter)]
    pub fn host(&self) -> String {
        self.core.host().to_owned()
    }
}

/// The options handed to core's builder; `build()` rejects what is out of bounds.
fn core_client(env: &Env, key: String, options: Options) -> nango::Result<nango::Nango> {
    let mut builder = nango::Nango::builder(key).user_agent_suffix(node_version(env));
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
    if let Some(retries) = options.max_retries {
        builder = builder.max_retries(nango::client::retries_from_f64("max_retries", retries)?);
    }
    builder.build()
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
    /// Sends a core request and resolves with its JSON body (checked, then parsed by V8).
    pub(crate) fn body<'env>(
        &self,
        env: &'env Env,
        cancel: Cancel,
        request: nango::Result<nango::Request>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        let request = match request {
            Ok(request) => request,
            Err(err) => return convert::reject(env, err),
        };
        let core = self.core.clone();
        convert::spawn(env, cancel, async move {
            let response = send(&core, &request).await?;
            Ok(JsOut::Json(convert::json_text(response)?))
        })
    }

    /// Sends a core request and resolves with `{data, status, headers}`, the shape of the axios
    /// response the official SDK returns for some methods.
    pub(crate) fn response<'env>(
        &self,
        env: &'env Env,
        cancel: Cancel,
        request: nango::Result<nango::Request>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        self.response_as(env, cancel, request, convert::ResponseType::Json)
    }

    /// [`JsNango::response`] with `data` decoded as `kind` says.
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
