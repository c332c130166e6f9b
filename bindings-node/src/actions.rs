//! Actions: `triggerAction`, `triggerActionAsync`, `getAsyncActionResult`.

use napi::Env;
use napi::bindgen_prelude::{PromiseRaw, Unknown};
use napi_derive::napi;

use crate::client::JsNango;
use crate::convert::{self, Cancel};

impl JsNango {
    fn trigger<'env>(
        &self,
        env: &'env Env,
        method: &str,
        args: ActionArgs,
        asynchronous: bool,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        let cancel = Cancel::from_options(env, method, args.options)?;
        let params = nango::TriggerActionParams {
            provider_config_key: convert::string(
                env,
                method,
                "providerConfigKey",
                args.provider_config_key,
            )?,
            connection_id: convert::string(env, method, "connectionId", args.connection_id)?,
            action_name: convert::string(env, method, "actionName", args.action_name)?,
            input: convert::opt_json(env, method, "input", args.input)?,
        };
        self.body(
            env,
            cancel,
            nango::actions::trigger_action_request(&params, asynchronous),
        )
    }
}

struct ActionArgs<'a> {
    provider_config_key: Option<Unknown<'a>>,
    connection_id: Option<Unknown<'a>>,
    action_name: Option<Unknown<'a>>,
    input: Option<Unknown<'a>>,
    options: Option<Unknown<'a>>,
}

#[napi]
impl JsNango {
    /// `POST /action/trigger`: runs an action and resolves with its output. Never retried after
    /// the request may have reached the server (core's rule), so an action never runs twice.
    #[napi(
        ts_generic_types = "T = any",
        ts_args_type = "providerConfigKey: string, connectionId: string, actionName: string, input?: unknown, options?: CallOptions",
        ts_return_type = "Promise<T>"
    )]
    pub fn trigger_action<'env>(
        &self,
        env: &'env Env,
        provider_config_key: Option<Unknown>,
        connection_id: Option<Unknown>,
        action_name: Option<Unknown>,
        input: Option<Unknown>,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        let args = ActionArgs {
            provider_config_key,
            connection_id,
            action_name,
            input,
            options,
        };
        self.trigger(env, "triggerAction", args, false)
    }

    /// `POST /action/trigger` with `X-Async: true` → `{ id, statusUrl }`.
    #[napi(
        ts_args_type = "providerConfigKey: string, connectionId: string, actionName: string, input?: unknown, options?: CallOptions",
        ts_return_type = "Promise<{ id: string; statusUrl: string }>"
    )]
    pub fn trigger_action_async<'env>(
        &self,
        env: &'env Env,
        provider_config_key: Option<Unknown>,
        connection_id: Option<Unknown>,
        action_name: Option<Unknown>,
        input: Option<Unknown>,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        let args = ActionArgs {
            provider_config_key,
            connection_id,
            action_name,
            input,
            options,
        };
        self.trigger(env, "triggerActionAsync", args, true)
    }

    /// `GET <statusUrl>` or `GET /action/:id`: the result of an async action.
    #[napi(
        ts_generic_types = "T = any",
        ts_args_type = "params: { id?: string; statusUrl?: string }, options?: CallOptions",
        ts_return_type = "Promise<T>"
    )]
    pub fn get_async_action_result<'env>(
        &self,
        env: &'env Env,
        params: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        const METHOD: &str = "getAsyncActionResult";
        let cancel = Cancel::from_options(env, METHOD, options)?;
        let target: nango::AsyncActionRef = convert::from_js(env, METHOD, "params", params)?;
        self.body(
            env,
            cancel,
            nango::actions::get_async_action_result_request(&target, self.core.host()),
        )
    }
}
