#![cfg(target_arch = "wasm32")]
//! `NangoCore`: the wasm half of the package's `Nango` class. The loader constructs it on the
//! first call that needs it and forwards `auth`, `reconnect`, `create` and `clear`, and reads
//! the running flow's `popup` for `nango.win`.

use js_sys::Promise;
use nango::auth::{AuthClient, AuthError, AuthErrorKind, AuthPlan};
use wasm_bindgen::prelude::*;

use crate::auth::{self, Preopened, Running};
use crate::convert::{
    config_from_js, connection_and_options, options_from_js, timeout_js, timings_from_js,
};
use crate::{errors, fetch};

/// The frontend client: configuration checked by core, plus the flow in progress.
#[wasm_bindgen(js_name = NangoCore)]
pub struct WasmNango {
    /// A bad host is reported by the first call, not the constructor: the loader's constructor
    /// runs before this module is loaded.
    client: Result<AuthClient, AuthError>,
    current: Option<Running>,
}

fn rejected(error: &AuthError) -> Promise {
    Promise::reject(&errors::to_js(error))
}

#[wasm_bindgen(js_class = NangoCore)]
impl WasmNango {
    /// `config`: the options given to `new Nango(...)`.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> WasmNango {
        WasmNango {
            client: AuthClient::new(config_from_js(&config)),
            current: None,
        }
    }

    /// `auth(providerConfigKey, connectionId?, options?)`. `popup` is the window the loader
    /// opened in the click (`null` if blocked), or `undefined` to have one opened here.
    pub fn auth(
        &mut self,
        provider_config_key: String,
        second: JsValue,
        third: JsValue,
        popup: JsValue,
    ) -> Promise {
        let (connection_id, options) = connection_and_options(second, third);
        self.run(
            &provider_config_key,
            connection_id.as_deref(),
            &options,
            popup,
            false,
        )
    }

    /// `reconnect(providerConfigKey, options?)`: needs a connect session token.
    pub fn reconnect(
        &mut self,
        provider_config_key: String,
        options: JsValue,
        popup: JsValue,
    ) -> Promise {
        self.run(&provider_config_key, None, &options, popup, true)
    }

    /// `create(providerConfigKey, connectionId?, options?)` for integrations without auth.
    pub fn create(&self, provider_config_key: String, second: JsValue, third: JsValue) -> Promise {
        let (connection_id, options) = connection_and_options(second, third);
        let request = self
            .client
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|client| {
                let options = options_from_js(&options);
                client.create_request(&provider_config_key, connection_id.as_deref(), &options)
            });
        match request {
            Ok(request) => fetch::send(request, provider_config_key, timeout_js(&options)),
            Err(error) => rejected(&error),
        }
    }

    /// Stops the flow in progress (it rejects with `cancelled`), closing its popup and socket.
    pub fn clear(&mut self) {
        if let Some(running) = self.current.take() {
            running.cancel();
        }
    }

    /// The popup of the flow in progress (the loader's `nango.win.modal`); `undefined` when
    /// no flow runs or it has settled.
    #[wasm_bindgen(getter)]
    pub fn popup(&self) -> Option<web_sys::Window> {
        self.current.as_ref()?.popup()
    }

    fn run(
        &mut self,
        provider_config_key: &str,
        connection_id: Option<&str>,
        options: &JsValue,
        popup: JsValue,
        reconnect: bool,
    ) -> Promise {
        // As officially, a new flow replaces the one in progress.
        self.clear();
        let preopened = Preopened::from_js(popup);
        let plan = self
            .client
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|client| {
                let parsed = options_from_js(options);
                if reconnect {
                    client.reconnect_plan(provider_config_key, &parsed)
                } else {
                    client.plan(provider_config_key, connection_id, &parsed)
                }
            });
        match plan {
            Ok(AuthPlan::Popup(plan)) => {
                let (promise, running) = auth::start(plan, timings_from_js(options), preopened);
                self.current = Some(running);
                promise
            }
            Ok(AuthPlan::Request(request)) => {
                preopened.discard();
                fetch::send(request, provider_config_key.to_owned(), timeout_js(options))
            }
            Ok(_) => {
                preopened.discard();
                rejected(&AuthError::new(
                    AuthErrorKind::UnknownError,
                    "This kind of authorization is not supported by this version.",
                ))
            }
            Err(error) => {
                preopened.discard();
                rejected(&error)
            }
        }
    }
}
