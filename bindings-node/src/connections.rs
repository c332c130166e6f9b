//! Connections, their metadata and connect sessions.

use napi::bindgen_prelude::{PromiseRaw, Unknown};
use napi::{Env, ValueType};
use napi_derive::napi;
use serde_json::{Map, Value};

use crate::client::JsNango;
use crate::convert::{self, Cancel, JsOut};

#[napi]
impl JsNango {
    /// `GET /connections`. Object form `{ connectionId?, userId?, integrationId?, tags?, limit?,
    /// page? }`, or the legacy `(connectionId?, search?, { endUserId?, endUserOrganizationId? })`.
    #[napi(
        ts_args_type = "params?: ListConnectionsParams | string, search?: string, queries?: LegacyListConnectionsQueries, options?: CallOptions",
        ts_return_type = "Promise<{ connections: ConnectionSummary[] }>"
    )]
    pub fn list_connections<'env>(
        &self,
        env: &'env Env,
        params: Option<Unknown>,
        search: Option<Unknown>,
        queries: Option<Unknown>,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        const METHOD: &str = "listConnections";
        let cancel = Cancel::from_options(env, METHOD, options)?;
        let object_form = match &params {
            Some(value) => matches!(value.get_type()?, ValueType::Object),
            None => false,
        };
        let params: nango::ListConnectionsParams = match params {
            Some(value) if object_form => convert::from_js(env, METHOD, "params", value)?,
            legacy => {
                let mut object = match convert::opt_json(env, METHOD, "queries", queries)? {
                    Some(Value::Object(map)) => map,
                    None | Some(Value::Null) => Map::new(),
                    Some(_) => {
                        return Err(crate::errors::type_error(
                            env,
                            format!("{METHOD}: queries must be an object"),
                        ));
                    }
                };
                if let Some(id) = convert::opt_string(env, METHOD, "connectionId", legacy)? {
                    object.insert("connectionId".into(), Value::from(id));
                }
                if let Some(text) = convert::opt_string(env, METHOD, "search", search)? {
                    object.insert("search".into(), Value::from(text));
                }
                convert::from_value(env, METHOD, "queries", Value::Object(object))?
            }
        };
        self.body(
            env,
            cancel,
            nango::connections::list_connections_request(&params),
        )
    }

    /// `GET /connections/:id` with the credentials (refreshed when `forceRefresh`).
    #[napi(
        ts_args_type = "providerConfigKey: string, connectionId: string, forceRefresh?: boolean, refreshToken?: boolean, refreshGithubAppJwtToken?: boolean, options?: CallOptions",
        ts_return_type = "Promise<Connection>"
    )]
    #[allow(clippy::too_many_arguments)]
    pub fn get_connection<'env>(
        &self,
        env: &'env Env,
        provider_config_key: Option<Unknown>,
        connection_id: Option<Unknown>,
        force_refresh: Option<Unknown>,
        refresh_token: Option<Unknown>,
        refresh_github_app_jwt_token: Option<Unknown>,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        const METHOD: &str = "getConnection";
        let cancel = Cancel::from_options(env, METHOD, options)?;
        let params = nango::GetConnectionParams {
            provider_config_key: convert::string(
                env,
                METHOD,
                "providerConfigKey",
                provider_config_key,
            )?,
            connection_id: convert::string(env, METHOD, "connectionId", connection_id)?,
            force_refresh: convert::opt_bool(env, METHOD, "forceRefresh", force_refresh)?
                .unwrap_or(false),
            refresh_token: convert::opt_bool(env, METHOD, "refreshToken", refresh_token)?
                .unwrap_or(false),
            refresh_github_app_jwt_token: convert::opt_bool(
                env,
                METHOD,
                "refreshGithubAppJwtToken",
                refresh_github_app_jwt_token,
            )?
            .unwrap_or(false),
        };
        self.body(
            env,
            cancel,
            nango::connections::get_connection_request(&params),
        )
    }

    /// The connection's token: the access token string for OAuth2, `{ oAuthToken,
    /// oAuthTokenSecret }` for OAuth1, else the credentials object.
    #[napi(
        ts_args_type = "providerConfigKey: string, connectionId: string, forceRefresh?: boolean, refreshGithubAppJwtToken?: boolean, options?: CallOptions",
        ts_return_type = "Promise<string | { oAuthToken: string; oAuthTokenSecret: string } | Record<string, any>>"
    )]
    pub fn get_token<'env>(
        &self,
        env: &'env Env,
        provider_config_key: Option<Unknown>,
        connection_id: Option<Unknown>,
        force_refresh: Option<Unknown>,
        refresh_github_app_jwt_token: Option<Unknown>,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        const METHOD: &str = "getToken";
        let cancel = Cancel::from_options(env, METHOD, options)?;
        let mut params = nango::GetConnectionParams::new(
            convert::string(env, METHOD, "providerConfigKey", provider_config_key)?,
            convert::string(env, METHOD, "connectionId", connection_id)?,
        );
        params.force_refresh =
            convert::opt_bool(env, METHOD, "forceRefresh", force_refresh)?.unwrap_or(false);
        params.refresh_github_app_jwt_token = convert::opt_bool(
            env,
            METHOD,
            "refreshGithubAppJwtToken",
            refresh_github_app_jwt_token,
        )?
        .unwrap_or(false);
        let core = self.core.clone();
        convert::spawn(env, cancel, async move {
            let token = core.get_token(&params).await?;
            Ok(JsOut::Value(serde_json::to_value(&token).map_err(
                |err| nango::Error::Internal(format!("token is not serialisable: {err}")),
            )?))
        })
    }

    /// The connection's metadata.
    #[napi(
        ts_generic_types = "T = Record<string, any>",
        ts_args_type = "providerConfigKey: string, connectionId: string, options?: CallOptions",
        ts_return_type = "Promise<T>"
    )]
    pub fn get_metadata<'env>(
        &self,
        env: &'env Env,
        provider_config_key: Option<Unknown>,
        connection_id: Option<Unknown>,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        const METHOD: &str = "getMetadata";
        let cancel = Cancel::from_options(env, METHOD, options)?;
        let target = nango::ConnectionRef::new(
            convert::string(env, METHOD, "providerConfigKey", provider_config_key)?,
            convert::string(env, METHOD, "connectionId", connection_id)?,
        );
        let core = self.core.clone();
        convert::spawn(env, cancel, async move {
            Ok(JsOut::Value(core.get_metadata(&target).await?))
        })
    }

    /// `POST /connections/metadata`: replaces the metadata of one or more connections.
    #[napi(
        ts_args_type = "providerConfigKey: string, connectionId: string | string[], metadata: Record<string, any>, options?: CallOptions",
        ts_return_type = "Promise<NangoResponse>"
    )]
    pub fn set_metadata<'env>(
        &self,
        env: &'env Env,
        provider_config_key: Option<Unknown>,
        connection_id: Option<Unknown>,
        metadata: Option<Unknown>,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        let (cancel, params) = metadata_args(
            env,
            "setMetadata",
            provider_config_key,
            connection_id,
            metadata,
            options,
        )?;
        self.response(
            env,
            cancel,
            nango::connections::set_metadata_request(&params),
        )
    }

    /// `PATCH /connections/metadata`: merges into the metadata of one or more connections.
    #[napi(
        ts_args_type = "providerConfigKey: string, connectionId: string | string[], metadata: Record<string, any>, options?: CallOptions",
        ts_return_type = "Promise<NangoResponse>"
    )]
    pub fn update_metadata<'env>(
        &self,
        env: &'env Env,
        provider_config_key: Option<Unknown>,
        connection_id: Option<Unknown>,
        metadata: Option<Unknown>,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        let (cancel, params) = metadata_args(
            env,
            "updateMetadata",
            provider_config_key,
            connection_id,
            metadata,
            options,
        )?;
        self.response(
            env,
            cancel,
            nango::connections::update_metadata_request(&params),
        )
    }

    /// `PATCH /connections/:id`: `{ end_user?, tags?, webhook_url_override? }`.
    #[napi(
        ts_args_type = "target: { connectionId: string; provider_config_key: string }, body: Record<string, any>, options?: CallOptions",
        ts_return_type = "Promise<{ success: boolean }>"
    )]
    pub fn patch_connection<'env>(
        &self,
        env: &'env Env,
        target: Unknown,
        body: Option<Unknown>,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        const METHOD: &str = "patchConnection";
        let cancel = Cancel::from_options(env, METHOD, options)?;
        let target: nango::ConnectionRef = convert::from_js(env, METHOD, "target", target)?;
        let params = nango::PatchConnectionParams {
            provider_config_key: target.provider_config_key,
            connection_id: target.connection_id,
            body: convert::opt_json(env, METHOD, "body", body)?.unwrap_or(Value::Null),
        };
        self.body(
            env,
            cancel,
            nango::connections::patch_connection_request(&params),
        )
    }

    /// `DELETE /connections/:id`.
    #[napi(
        ts_args_type = "providerConfigKey: string, connectionId: string, options?: CallOptions",
        ts_return_type = "Promise<NangoResponse<{ success: boolean }>>"
    )]
    pub fn delete_connection<'env>(
        &self,
        env: &'env Env,
        provider_config_key: Option<Unknown>,
        connection_id: Option<Unknown>,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        const METHOD: &str = "deleteConnection";
        let cancel = Cancel::from_options(env, METHOD, options)?;
        let target = nango::ConnectionRef::new(
            convert::string(env, METHOD, "providerConfigKey", provider_config_key)?,
            convert::string(env, METHOD, "connectionId", connection_id)?,
        );
        self.response(
            env,
            cancel,
            nango::connections::delete_connection_request(&target),
        )
    }

    /// `POST /connect/sessions` → `{ data: { token, connect_link, expires_at } }`.
    #[napi(
        ts_args_type = "params: CreateConnectSessionParams, options?: CallOptions",
        ts_return_type = "Promise<{ data: { token: string; connect_link: string; expires_at: string } }>"
    )]
    pub fn create_connect_session<'env>(
        &self,
        env: &'env Env,
        params: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        const METHOD: &str = "createConnectSession";
        let cancel = Cancel::from_options(env, METHOD, options)?;
        let params: nango::CreateConnectSessionParams =
            convert::from_js(env, METHOD, "params", params)?;
        self.body(
            env,
            cancel,
            nango::connect::create_connect_session_request(&params),
        )
    }

    /// `POST /connect/sessions/reconnect`.
    #[napi(
        ts_args_type = "params: CreateReconnectSessionParams, options?: CallOptions",
        ts_return_type = "Promise<{ data: { token: string; connect_link: string; expires_at: string } }>"
    )]
    pub fn create_reconnect_session<'env>(
        &self,
        env: &'env Env,
        params: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        const METHOD: &str = "createReconnectSession";
        let cancel = Cancel::from_options(env, METHOD, options)?;
        let params: nango::CreateReconnectSessionParams =
            convert::from_js(env, METHOD, "params", params)?;
        self.body(
            env,
            cancel,
            nango::connect::create_reconnect_session_request(&params),
        )
    }
}

fn metadata_args(
    env: &Env,
    method: &str,
    provider_config_key: Option<Unknown>,
    connection_id: Option<Unknown>,
    metadata: Option<Unknown>,
    options: Option<Unknown>,
) -> napi::Result<(Cancel, nango::MetadataParams)> {
    let cancel = Cancel::from_options(env, method, options)?;
    let provider_config_key =
        convert::string(env, method, "providerConfigKey", provider_config_key)?;
    let connection_id = match convert::opt_json(env, method, "connectionId", connection_id)? {
        Some(value) => {
            convert::from_value::<nango::ConnectionIds>(env, method, "connectionId", value)?
        }
        None => {
            return Err(crate::errors::type_error(
                env,
                format!("{method}: connectionId is required (a string or an array of strings)"),
            ));
        }
    };
    let metadata = convert::opt_json(env, method, "metadata", metadata)?.unwrap_or(Value::Null);
    Ok((
        cancel,
        nango::MetadataParams {
            provider_config_key,
            connection_id,
            metadata,
        },
    ))
}
