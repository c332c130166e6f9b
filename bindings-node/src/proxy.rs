//! The proxy: `proxy(config)` and its `get/post/put/patch/delete` shorthands, resolving with
//! `{ data, status, headers }` of the upstream response as the official SDK's axios response.

use napi::bindgen_prelude::{JsObjectValue, Object, PromiseRaw, Uint8Array, Unknown};
use napi::{Env, JsValue, ValueType};
use napi_derive::napi;

use crate::client::JsNango;
use crate::convert::{self, Cancel};

impl JsNango {
    /// A proxy call; a bad argument rejects the promise.
    fn proxy_with<'env>(
        &self,
        env: &'env Env,
        method_name: &str,
        http_method: Option<&str>,
        config: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        let prepared = self.proxy_checked(env, method_name, http_method, config, options);
        convert::rejecting(env, prepared)
    }

    fn proxy_checked<'env>(
        &self,
        env: &'env Env,
        method_name: &str,
        http_method: Option<&str>,
        config: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        let cancel = Cancel::from_options(env, method_name, options)?;
        if !matches!(config.get_type()?, ValueType::Object) {
            return Err(crate::errors::type_error(
                env,
                format!(
                    "{method_name}: config must be an object like {{ endpoint, providerConfigKey, connectionId }}"
                ),
            ));
        }
        let object: Object = config.coerce_to_object()?;
        // Binary bodies (Buffer, Uint8Array) go as bytes; JSON.stringify would mangle them.
        let data: Option<Unknown> = object.get_named_property("data").ok();
        let bytes = match data {
            Some(data) if data.is_typedarray()? => {
                let array: Uint8Array = object.get_named_property("data")?;
                Some(array.to_vec())
            }
            _ => None,
        };
        // axios' `responseType`, which the official proxy config passes through: 'arraybuffer'
        // gives the bytes as a Buffer, 'text' never parses; anything else parses JSON bodies.
        let response_type = match object.get_named_property::<Unknown>("responseType").ok() {
            Some(value) => {
                convert::opt_string(env, method_name, "config.responseType", Some(value))?
            }
            None => None,
        };
        let kind = match response_type.as_deref() {
            Some("arraybuffer") => convert::ResponseType::Bytes,
            Some("text") => convert::ResponseType::Text,
            _ => convert::ResponseType::Json,
        };
        let mut params: nango::ProxyConfig = convert::from_js(env, method_name, "config", config)?;
        if let Some(bytes) = bytes {
            params.data = Some(nango::ProxyBody::Bytes(bytes));
        }
        if let Some(method) = http_method {
            params.method = Some(method.to_owned());
        }
        self.response_as(env, cancel, self.core.proxy_request(&params), kind)
    }
}

#[napi]
impl JsNango {
    /// `<method> /proxy/<endpoint>` → `{ data, status, headers }` of the upstream answer.
    #[napi(
        ts_generic_types = "T = any",
        ts_args_type = "config: ProxyConfiguration, options?: CallOptions",
        ts_return_type = "Promise<NangoResponse<T>>"
    )]
    pub fn proxy<'env>(
        &self,
        env: &'env Env,
        config: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        self.proxy_with(env, "proxy", None, config, options)
    }

    /// `proxy` with `GET`.
    #[napi(
        ts_generic_types = "T = any",
        ts_args_type = "config: ProxyConfiguration, options?: CallOptions",
        ts_return_type = "Promise<NangoResponse<T>>"
    )]
    pub fn get<'env>(
        &self,
        env: &'env Env,
        config: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        self.proxy_with(env, "get", Some("GET"), config, options)
    }

    /// `proxy` with `POST`.
    #[napi(
        ts_generic_types = "T = any",
        ts_args_type = "config: ProxyConfiguration, options?: CallOptions",
        ts_return_type = "Promise<NangoResponse<T>>"
    )]
    pub fn post<'env>(
        &self,
        env: &'env Env,
        config: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        self.proxy_with(env, "post", Some("POST"), config, options)
    }

    /// `proxy` with `PUT`.
    #[napi(
        ts_generic_types = "T = any",
        ts_args_type = "config: ProxyConfiguration, options?: CallOptions",
        ts_return_type = "Promise<NangoResponse<T>>"
    )]
    pub fn put<'env>(
        &self,
        env: &'env Env,
        config: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        self.proxy_with(env, "put", Some("PUT"), config, options)
    }

    /// `proxy` with `PATCH`.
    #[napi(
        ts_generic_types = "T = any",
        ts_args_type = "config: ProxyConfiguration, options?: CallOptions",
        ts_return_type = "Promise<NangoResponse<T>>"
    )]
    pub fn patch<'env>(
        &self,
        env: &'env Env,
        config: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        self.proxy_with(env, "patch", Some("PATCH"), config, options)
    }

    /// `proxy` with `DELETE`.
    #[napi(
        ts_generic_types = "T = any",
        ts_args_type = "config: ProxyConfiguration, options?: CallOptions",
        ts_return_type = "Promise<NangoResponse<T>>"
    )]
    pub fn delete<'env>(
        &self,
        env: &'env Env,
        config: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        self.proxy_with(env, "delete", Some("DELETE"), config, options)
    }
}
