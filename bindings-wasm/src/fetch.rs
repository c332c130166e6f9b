#![cfg(target_arch = "wasm32")]
//! The non-popup credential routes over the browser's own `fetch` (no HTTP client in the wasm):
//! core builds the request and maps the answer; this file only moves bytes.

use js_sys::Promise;
use nango::auth::{AuthError, AuthSuccess, CredentialRequest, map_credential_value};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise};
use web_sys::{Headers, Request, RequestInit, Response};

use crate::convert::{parse_json, success_to_js};
use crate::errors;

/// Sends `request` and settles with the connection or an `AuthError`.
pub(crate) fn send(request: CredentialRequest, provider_config_key: String) -> Promise {
    future_to_promise(async move {
        match run(&request, &provider_config_key).await {
            Ok(success) => Ok(success_to_js(&success)),
            Err(error) => Err(errors::to_js(&error)),
        }
    })
}

async fn run(
    request: &CredentialRequest,
    provider_config_key: &str,
) -> Result<AuthSuccess, AuthError> {
    let failed = |e: JsValue| errors::from_js("The request to Nango failed", &e);
    let window = web_sys::window().ok_or_else(|| failed(JsValue::from_str("no window")))?;
    let init = RequestInit::new();
    init.set_method(request.method());
    if let (Some(content_type), Some(body)) = (request.content_type(), &request.body) {
        let headers = Headers::new().map_err(failed)?;
        headers.set("Content-Type", content_type).map_err(failed)?;
        init.set_headers(&headers);
        init.set_body(&JsValue::from_str(&body.to_json_string()));
    }
    let request = Request::new_with_str_and_init(&request.url, &init).map_err(failed)?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .and_then(JsCast::dyn_into)
        .map_err(failed)?;
    // The browser parses the answer; core reads the fields and maps the status.
    let text = JsFuture::from(response.text().map_err(failed)?)
        .await
        .map_err(failed)?
        .as_string()
        .unwrap_or_default();
    let json = parse_json(&text);
    map_credential_value(provider_config_key, response.status(), json.as_ref())
}
