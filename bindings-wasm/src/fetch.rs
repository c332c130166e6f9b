#![cfg(target_arch = "wasm32")]
//! The non-popup credential routes over the browser's own `fetch` (no HTTP client in the wasm):
//! core builds the request and maps the answer; this file only moves values.
//!
//! The `fetch` itself is a one-line function the loader registers (`setPost`), which hands the
//! status and body text back to [`map_credential_response`]. Awaiting `fetch` in Rust instead
//! needs wasm-bindgen-futures' executor, which was about 3 KB of the gzipped package.

use std::cell::RefCell;

use js_sys::{Array, Function, Promise};
use nango::auth::{AuthError, CredentialRequest, map_credential_value};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::convert::{parse_json, success_to_js};
use crate::errors;

thread_local! {
    static POST: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Registers the loader's `post(url, method, contentType, body, key, timeoutMs)`: it `fetch`es
/// and settles with `mapCredentialResponse(key, status, text)`, or `mapCredentialResponse(key, 0,
/// undefined, error)` when the request could not be made; it aborts the request after
/// `timeoutMs` (the caller's, when core accepts it: see `timeout_js`) or on `clear()`, rejecting with
/// `timeout` or `cancelled`, as the popup flow does.
#[wasm_bindgen(js_name = setPost)]
pub fn set_post(post: Function) {
    // `try_with`: see `set_auth_error_class`.
    let _ = POST.try_with(|slot| *slot.borrow_mut() = Some(post));
}

/// Sends `request`; the promise settles with the connection or an `AuthError`.
pub(crate) fn send(
    request: CredentialRequest,
    provider_config_key: String,
    timeout_ms: JsValue,
) -> Promise {
    let post = POST.try_with(|slot| slot.borrow().clone()).ok().flatten();
    let args = Array::new();
    args.push(&JsValue::from_str(&request.url));
    args.push(&JsValue::from_str(request.method()));
    args.push(
        &request
            .content_type()
            .map_or(JsValue::UNDEFINED, JsValue::from_str),
    );
    args.push(
        &request
            .body
            .as_ref()
            .map_or(JsValue::UNDEFINED, |body| body.to_json_string().into()),
    );
    args.push(&JsValue::from_str(&provider_config_key));
    args.push(&timeout_ms);
    let promise = post
        .ok_or(JsValue::UNDEFINED)
        .and_then(|post| post.apply(&JsValue::NULL, &args))
        .and_then(|value| value.dyn_into::<Promise>().map_err(|_| JsValue::UNDEFINED));
    match promise {
        Ok(promise) => promise,
        Err(error) => Promise::reject(&errors::to_js(&request_failed(&error))),
    }
}

/// The answer of a credential route: core maps the status and the body (parsed by the browser)
/// to the connection, or to an `AuthError` (thrown). `status` 0: `error` is why the request
/// could not be made.
#[wasm_bindgen(js_name = mapCredentialResponse)]
pub fn map_credential_response(
    provider_config_key: String,
    status: u16,
    text: Option<String>,
    error: JsValue,
) -> Result<JsValue, JsValue> {
    let outcome = if status == 0 {
        Err(request_failed(&error))
    } else {
        let json = text.as_deref().and_then(parse_json);
        map_credential_value(&provider_config_key, status, json.as_ref())
    };
    outcome
        .map(|success| success_to_js(&success))
        .map_err(|error| errors::to_js(&error))
}

/// `unknown_error` with the browser's message (`fetch`'s `TypeError`s hold no URLs or tokens).
fn request_failed(error: &JsValue) -> AuthError {
    errors::from_js("The request to Nango failed", error)
}
