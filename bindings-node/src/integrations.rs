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
