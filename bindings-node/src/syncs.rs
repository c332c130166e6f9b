//! Syncs: trigger, start, pause, status and frequency.

use napi::bindgen_prelude::{PromiseRaw, Unknown};
use napi::{Env, ValueType};
use napi_derive::napi;

use crate::client::JsNango;
use crate::convert::{self, Cancel};

#[napi]
impl JsNango {
    /// `POST /sync/trigger`. The fourth argument is `{ reset?, emptyCache? }`, or the deprecated
    /// sync mode (`'incremental' | 'full_refresh' | 'full_refresh_and_clear_cache'` or a boolean).
    #[napi(
        ts_args_type = "providerConfigKey: string, syncs?: Array<string | { name: string; variant: string }>, connectionId?: string, opts?: { reset?: boolean; emptyCache?: boolean } | string | boolean, options?: CallOptions",
        ts_return_type = "Promise<NangoResponse<{ success: boolean }>>"
    )]
    pub fn trigger_sync<'env>(
        &self,
        env: &'env Env,
        provider_config_key: Option<Unknown>,
        syncs: Option<Unknown>,
        connection_id: Option<Unknown>,
        opts: Option<Unknown>,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        const METHOD: &str = "triggerSync";
        let cancel = Cancel::from_options(env, METHOD, options)?;
        let opts_is_object = match &opts {
            Some(value) => matches!(value.get_type()?, ValueType::Object),
            None => false,
        };
        let opts_name = if opts_is_object { "opts" } else { "syncMode" };
        let params: nango::TriggerSyncParams = convert::params_from(
            env,
            METHOD,
            vec![
                ("providerConfigKey", provider_config_key),
                ("syncs", syncs),
                ("connectionId", connection_id),
                (opts_name, opts),
            ],
        )?;
        self.response(env, cancel, nango::syncs::trigger_sync_request(&params))
    }

    /// `POST /sync/start`.
    #[napi(
        ts_args_type = "providerConfigKey: string, syncs: Array<string | { name: string; variant: string }>, connectionId?: string, options?: CallOptions",
        ts_return_type = "Promise<NangoResponse<{ success: boolean }>>"
    )]
    pub fn start_sync<'env>(
        &self,
        env: &'env Env,
        provider_config_key: Option<Unknown>,
        syncs: Option<Unknown>,
        connection_id: Option<Unknown>,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        let (cancel, params) = control_args(
            env,
            "startSync",
            provider_config_key,
            syncs,
            connection_id,
            options,
        )?;
        self.response(env, cancel, nango::syncs::start_sync_request(&params))
    }

    /// `POST /sync/pause`.
    #[napi(
        ts_args_type = "providerConfigKey: string, syncs: Array<string | { name: string; variant: string }>, connectionId?: string, options?: CallOptions",
        ts_return_type = "Promise<NangoResponse<{ success: boolean }>>"
    )]
    pub fn pause_sync<'env>(
        &self,
        env: &'env Env,
        provider_config_key: Option<Unknown>,
        syncs: Option<Unknown>,
        connection_id: Option<Unknown>,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        let (cancel, params) = control_args(
            env,
            "pauseSync",
            provider_config_key,
            syncs,
            connection_id,
            options,
        )?;
        self.response(env, cancel, nango::syncs::pause_sync_request(&params))
    }

    /// `GET /sync/status` for `'*'` or a list of syncs.
    #[napi(
        ts_args_type = "providerConfigKey: string, syncs: '*' | Array<string | { name: string; variant: string }>, connectionId?: string, options?: CallOptions",
        ts_return_type = "Promise<{ syncs: SyncStatus[] }>"
    )]
    pub fn sync_status<'env>(
        &self,
        env: &'env Env,
        provider_config_key: Option<Unknown>,
        syncs: Option<Unknown>,
        connection_id: Option<Unknown>,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        const METHOD: &str = "syncStatus";
        let cancel = Cancel::from_options(env, METHOD, options)?;
        let params: nango::SyncStatusParams = convert::params_from(
            env,
            METHOD,
            vec![
                ("providerConfigKey", provider_config_key),
                ("syncs", syncs),
                ("connectionId", connection_id),
            ],
        )?;
        self.body(env, cancel, nango::syncs::sync_status_request(&params))
    }

    /// `PUT /sync/update-connection-frequency`; `null` goes back to the default frequency.
    #[napi(
        ts_args_type = "providerConfigKey: string, sync: string | { name: string; variant: string }, connectionId: string, frequency: string | null, options?: CallOptions",
        ts_return_type = "Promise<{ frequency: string | null }>"
    )]
    pub fn update_sync_connection_frequency<'env>(
        &self,
        env: &'env Env,
        provider_config_key: Option<Unknown>,
        sync: Option<Unknown>,
        connection_id: Option<Unknown>,
        frequency: Option<Unknown>,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        const METHOD: &str = "updateSyncConnectionFrequency";
        let cancel = Cancel::from_options(env, METHOD, options)?;
        let params: nango::UpdateFrequencyParams = convert::params_from(
            env,
            METHOD,
            vec![
                ("providerConfigKey", provider_config_key),
                ("sync", sync),
                ("connectionId", connection_id),
                ("frequency", frequency),
            ],
        )?;
        self.body(
            env,
            cancel,
            nango::syncs::update_sync_connection_frequency_request(&params),
        )
    }
}

fn control_args(
    env: &Env,
    method: &str,
    provider_config_key: Option<Unknown>,
    syncs: Option<Unknown>,
    connection_id: Option<Unknown>,
    options: Option<Unknown>,
) -> napi::Result<(Cancel, nango::SyncControlParams)> {
    let cancel = Cancel::from_options(env, method, options)?;
    let params = convert::params_from(
        env,
        method,
        vec![
            ("providerConfigKey", provider_config_key),
            ("syncs", syncs),
            ("connectionId", connection_id),
        ],
    )?;
    Ok((cancel, params))
}

#[napi]
impl JsNango {
    /// `POST /sync/:name/variant/:variant` → `{ id, name, variant }`.
    #[napi(
        ts_args_type = "params: { provider_config_key: string; connection_id: string; name: string; variant: string }, options?: CallOptions",
        ts_return_type = "Promise<{ id: string; name: string; variant: string }>"
    )]
    pub fn create_sync_variant<'env>(
        &self,
        env: &'env Env,
        params: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        const METHOD: &str = "createSyncVariant";
        let cancel = Cancel::from_options(env, METHOD, options)?;
        let params: nango::SyncVariantParams = convert::from_js(env, METHOD, "params", params)?;
        self.body(
            env,
            cancel,
            nango::syncs::create_sync_variant_request(&params),
        )
    }

    /// `DELETE /sync/:name/variant/:variant` → `{ success }`.
    #[napi(
        ts_args_type = "params: { provider_config_key: string; connection_id: string; name: string; variant: string }, options?: CallOptions",
        ts_return_type = "Promise<{ success: boolean }>"
    )]
    pub fn delete_sync_variant<'env>(
        &self,
        env: &'env Env,
        params: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        const METHOD: &str = "deleteSyncVariant";
        let cancel = Cancel::from_options(env, METHOD, options)?;
        let params: nango::SyncVariantParams = convert::from_js(env, METHOD, "params", params)?;
        self.body(
            env,
            cancel,
            nango::syncs::delete_sync_variant_request(&params),
        )
    }
}
