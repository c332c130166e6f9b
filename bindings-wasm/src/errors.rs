#![cfg(target_arch = "wasm32")]
//! The one place where Rust errors become JS values.
//!
//! Every rejection is an instance of the loader's `AuthError` class (registered once by the
//! loader), carrying core's `official_type()` as `.type` so that callers branch on the same
//! strings as with the official package.

use std::cell::RefCell;

use js_sys::{Array, Function, Reflect};
use nango::auth::{AuthError, AuthErrorKind};
use wasm_bindgen::prelude::*;

thread_local! {
    static AUTH_ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Registers the loader's `AuthError` class (`new AuthError(message, type)`).
#[wasm_bindgen(js_name = setAuthErrorClass)]
pub fn set_auth_error_class(class: Function) {
    // `try_with`: these slots are never destroyed on wasm, and `with`'s panic path would pull
    // in `AccessError`'s `Debug`.
    let _ = AUTH_ERROR_CLASS.try_with(|slot| *slot.borrow_mut() = Some(class));
}

/// `error` as an `AuthError` instance (a plain `Error` with `.type` if no class is registered).
pub(crate) fn to_js(error: &AuthError) -> JsValue {
    let message = JsValue::from_str(&error.message);
    let kind = JsValue::from_str(error.kind.official_type());
    let class = AUTH_ERROR_CLASS
        .try_with(|slot| slot.borrow().clone())
        .ok()
        .flatten();
    if let Some(class) = class {
        if let Ok(instance) = Reflect::construct(&class, &Array::of2(&message, &kind)) {
            return instance;
        }
    }
    let fallback = js_sys::Error::new(&error.message);
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&fallback, &JsValue::from_str("type"), &kind);
    fallback.into()
}

/// A browser API failed where the protocol has no error of its own (e.g. `fetch` could not reach
/// the host): `unknown_error`, with the browser's message, which holds no secrets (URLs with
/// tokens are never part of `fetch`'s `TypeError` messages).
pub(crate) fn from_js(context: &str, value: &JsValue) -> AuthError {
    let detail = value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_default();
    let message = if detail.is_empty() {
        context.to_owned()
    } else {
        let mut message = String::with_capacity(context.len() + detail.len() + 2);
        message.push_str(context);
        message.push_str(": ");
        message.push_str(&detail);
        message
    };
    AuthError::new(AuthErrorKind::UnknownError, message)
}
