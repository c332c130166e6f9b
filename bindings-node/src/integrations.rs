//! Integrations: `listIntegrations` (the SDK's legacy `{ configs }` shape) and `getIntegration`.

use napi::Env;
use napi::bindgen_prelude::{PromiseRaw, Unknown};
use napi_derive::napi;
use serde_json::Value;

use crate::client::JsNango;
use crate::convert::{self, Cancel, JsOut};

#[napi]
impl JsNango {
    /// `GET /integrations`, resolved as `{ configs: [...] }` like the official SDK.
    #[napi(
        ts_args_type = "options?: CallOptions",
        ts_return_type = "Promise<{ configs: Integration[] }>"
    )]
    pub fn list_integrations<'env>(
        &self,
        env: &'env Env,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        let cancel = Cancel::from_options(env, "listIntegrations", options)?;
        let core = self.core.clone();
        convert::spawn(env, cancel, async move {
            let legacy = core.list_integrations().await?.into_legacy();
            Ok(JsOut::Value(Value::Object(
                [("configs".to_owned(), Value::Array(legacy.configs))]
                    .into_iter()
                    .collect(),
            )))
        })
    }

    /// `GET /integrations/:uniqueKey` → `{ data }`.
    #[napi(
        ts_args_type = "params: { uniqueKey: string }, queries?: { include?: Array<'webhook' | 'credentials'> }, options?: CallOptions",
        ts_return_type = "Promise<{ data: Integration }>"
    )]
    pub fn get_integration<'env>(
        &self,
        env: &'env Env,
        params: Unknown,
        queries: Option<Unknown>,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        const METHOD: &str = "getIntegration";
        let cancel = Cancel::from_options(env, METHOD, options)?;
        let mut object = match convert::plain_json(env, METHOD, "params", params)? {
            Value::Object(map) => map,
            _ => {
                return Err(crate::errors::type_error(
                    env,
                    format!("{METHOD}: params must be an object like {{ uniqueKey }}"),
                ));
            }
        };
        if let Some(Value::Object(extra)) = convert::opt_json(env, METHOD, "queries", queries)? {
            if let Some(include) = extra.get("include") {
                object.insert("include".to_owned(), include.clone());
            }
        }
        let params: nango::GetIntegrationParams =
            convert::from_value(env, METHOD, "params", Value::Object(object))?;
        self.body(
            env,
            cancel,
            nango::integrations::get_integration_request(&params),
        )
    }
}

#[napi]
impl JsNango {
    /// `GET /providers[?search=]` → `{ data: Provider[] }`.
    #[napi(
        ts_args_type = "queries?: { search?: string }, options?: CallOptions",
        ts_return_type = "Promise<{ data: Array<Record<string, any>> }>"
    )]
    pub fn list_providers<'env>(
        &self,
        env: &'env Env,
        queries: Option<Unknown>,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        const METHOD: &str = "listProviders";
        let cancel = Cancel::from_options(env, METHOD, options)?;
        let params: nango::ListProvidersParams =
            match convert::opt_json(env, METHOD, "queries", queries)? {
                Some(value) => convert::from_value(env, METHOD, "queries", value)?,
                None => nango::ListProvidersParams::default(),
            };
        self.body(
            env,
            cancel,
            Ok(nango::integrations::list_providers_request(&params)),
        )
    }

    /// `GET /providers/:provider` → `{ data: Provider }`.
    #[napi(
        ts_args_type = "params: { provider: string }, options?: CallOptions",
        ts_return_type = "Promise<{ data: Record<string, any> }>"
    )]
    pub fn get_provider<'env>(
        &self,
        env: &'env Env,
        params: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        const METHOD: &str = "getProvider";
        let cancel = Cancel::from_options(env, METHOD, options)?;
        #[derive(serde::Deserialize)]
        struct Params {
            provider: String,
        }
        let params: Params = convert::from_js(env, METHOD, "params", params)?;
        self.body(
            env,
            cancel,
            nango::integrations::get_provider_request(&params.provider),
        )
    }

    /// `GET /environment-variables` → `[{ name, value }]`.
    #[napi(
        ts_args_type = "options?: CallOptions",
        ts_return_type = "Promise<Array<{ name: string; value: string }>>"
    )]
    pub fn get_environment_variables<'env>(
        &self,
        env: &'env Env,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        let cancel = Cancel::from_options(env, "getEnvironmentVariables", options)?;
        self.body(
            env,
            cancel,
            Ok(nango::integrations::get_environment_variables_request()),
        )
    }

    /// `GET /scripts/config?format=nango|openai`.
    #[napi(
        ts_args_type = "format?: 'nango' | 'openai', options?: CallOptions",
        ts_return_type = "Promise<any>"
    )]
    pub fn get_scripts_config<'env>(
        &self,
        env: &'env Env,
        format: Option<Unknown>,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        const METHOD: &str = "getScriptsConfig";
        let cancel = Cancel::from_options(env, METHOD, options)?;
        let format: nango::ScriptsConfigFormat =
            match convert::opt_json(env, METHOD, "format", format)? {
                Some(value) => convert::from_value(env, METHOD, "format", value)?,
                None => nango::ScriptsConfigFormat::default(),
            };
        self.body(
            env,
            cancel,
            Ok(nango::integrations::get_scripts_config_request(format)),
        )
    }
}
