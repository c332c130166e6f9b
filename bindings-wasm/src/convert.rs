#![cfg(target_arch = "wasm32")]
//! All conversions between JS values and core types.

use js_sys::{Array, JSON, Object, Reflect};
use nango::auth::{AuthConfig, AuthOptions, AuthSuccess, FlowTimings, JsonObject, JsonValue};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

fn get(object: &JsValue, key: &str) -> JsValue {
    if !object.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn get_string(object: &JsValue, key: &str) -> Option<String> {
    get(object, key).as_string()
}

/// A non-negative integer option (`width`, `socketLostGraceMs`, …); anything else is absent.
fn get_u32(object: &JsValue, key: &str) -> Option<u32> {
    get(object, key)
        .as_f64()
        .filter(|n| n.is_finite() && *n >= 0.0 && *n <= f64::from(u32::MAX))
        .map(|n| n as u32)
}

/// `options.timeoutMs` as given when core accepts it (see [`get_u32`]), else `undefined`: the
/// loader's timer for a credential request. (Passed through rather than made from the `u32`: a
/// new JS number would cost the wasm a conversion import.)
pub(crate) fn timeout_js(options: &JsValue) -> JsValue {
    match get_u32(options, "timeoutMs") {
        Some(_) => get(options, "timeoutMs"),
        None => JsValue::UNDEFINED,
    }
}

/// `new Nango({host, websocketsPath, connectSessionToken | publicKey, width, height, debug})`.
pub(crate) fn config_from_js(config: &JsValue) -> AuthConfig {
    let mut out = AuthConfig::new();
    // `config.host || default`, as officially; a truthy non-string (`123`, `{}`) must not fall
    // back to the default host (the token would go there): it becomes a host core refuses.
    let host = get(config, "host");
    if host.is_truthy() {
        out = out.host(host.as_string().unwrap_or_else(|| "-".to_owned()));
    }
    if let Some(path) = get_string(config, "websocketsPath") {
        out = out.websockets_path(path);
    }
    // The official type forbids both; a public key given alongside a token is ignored, the token
    // being the current mechanism.
    if let Some(key) = get_string(config, "publicKey") {
        out = out.public_key(key);
    }
    if let Some(token) = get_string(config, "connectSessionToken") {
        out = out.connect_session_token(token);
    }
    if let Some(width) = get_u32(config, "width") {
        out = out.width(width);
    }
    if let Some(height) = get_u32(config, "height") {
        out = out.height(height);
    }
    out.debug(get(config, "debug").is_truthy())
}

/// The constructor's `connectSessionToken`, if any.
pub(crate) fn session_token_from_js(config: &JsValue) -> Option<String> {
    get_string(config, "connectSessionToken")
}

/// `openConnectUI(props)`: the props read as strings, booleans and the `onEvent` callback.
pub(crate) struct ConnectUiProps {
    pub(crate) session_token: Option<String>,
    pub(crate) base_url: Option<String>,
    pub(crate) api_url: Option<String>,
    pub(crate) detect_closed_auth_window: bool,
    pub(crate) lang: Option<String>,
    pub(crate) theme: Option<String>,
    pub(crate) on_event: Option<js_sys::Function>,
}

pub(crate) fn connect_ui_props_from_js(props: &JsValue) -> ConnectUiProps {
    ConnectUiProps {
        session_token: get_string(props, "sessionToken"),
        base_url: get_string(props, "baseURL"),
        api_url: get_string(props, "apiURL"),
        detect_closed_auth_window: get(props, "detectClosedAuthWindow").is_truthy(),
        lang: get_string(props, "lang"),
        theme: get_string(props, "themeOverride"),
        on_event: get(props, "onEvent").dyn_into().ok(),
    }
}

/// `auth(key, connectionId?, options?)` also accepts `auth(key, options)`, as officially.
pub(crate) fn connection_and_options(second: JsValue, third: JsValue) -> (Option<String>, JsValue) {
    match second.as_string() {
        Some(connection_id) => (Some(connection_id), third),
        None if second.is_object() => (None, second),
        None => (None, third),
    }
}

/// The options object as core's [`AuthOptions`], read field by field (official names) rather
/// than through serde's derive, whose error machinery (float formatting among it) would triple
/// the wasm's size. Same rules as core's deserialiser: keys keep the caller's order (the order
/// of the query string), `params` keeps string values only, and in `authorization_params`
/// `null`/`undefined` means "remove this template parameter"; values of the wrong type are
/// ignored.
pub(crate) fn options_from_js(options: &JsValue) -> AuthOptions {
    let mut out = AuthOptions::new();
    out.params = entries(&get(options, "params"))
        .filter_map(|(key, value)| Some((key, value.as_string()?)))
        .collect();
    out.hmac = get_string(options, "hmac");
    let scopes = get(options, "user_scope");
    if Array::is_array(&scopes) {
        out.user_scope = Some(
            Array::from(&scopes)
                .iter()
                .filter_map(|scope| scope.as_string())
                .collect(),
        );
    }
    out.authorization_params = entries(&get(options, "authorization_params"))
        .filter_map(|(key, value)| match value.as_string() {
            Some(value) => Some((key, Some(value))),
            None if value.is_null() || value.is_undefined() => Some((key, None)),
            None => None,
        })
        .collect();
    if let Some(JsonValue::Object(credentials)) = json_from_js(&get(options, "credentials")) {
        out.credentials = Some(credentials);
    }
    if let Some(JsonValue::Object(assertion)) = json_from_js(&get(options, "assertionOption")) {
        out.assertion_option = Some(assertion);
    }
    out.installation = get_string(options, "installation");
    out.detect_closed_auth_window = get(options, "detectClosedAuthWindow").as_bool();
    out.timeout_ms = get_u32(options, "timeoutMs");
    out
}

/// `Object.entries(value)` of an object; nothing for anything else.
fn entries(value: &JsValue) -> std::vec::IntoIter<(String, JsValue)> {
    let pairs = match value.dyn_ref::<Object>() {
        Some(object) if !Array::is_array(value) => Object::entries(object),
        _ => Array::new(),
    };
    let pairs: Vec<(String, JsValue)> = pairs
        .iter()
        .filter_map(|pair| {
            let pair = Array::from(&pair);
            Some((pair.get(0).as_string()?, pair.get(1)))
        })
        .collect();
    pairs.into_iter()
}

/// The flow's timings: core's defaults, with the socket-lost grace (how long the callback page
/// may still complete a flow whose WebSocket dropped) tunable per call as `socketLostGraceMs`.
pub(crate) fn timings_from_js(options: &JsValue) -> FlowTimings {
    let mut timings = FlowTimings::default();
    if let Some(grace) = get_u32(options, "socketLostGraceMs") {
        timings.socket_lost_grace_ms = grace;
    }
    timings
}

/// A JS value as core's [`JsonValue`], for its validators and credential bodies, converted
/// directly (no `JSON.stringify` and re-parse in Rust: the wasm carries no JSON parser). `None`
/// for values JSON cannot represent: `undefined`, functions, symbols, and structures nested
/// deeper than any message of the protocol (which also stops cycles). Inside objects, such
/// values are left out, as `JSON.stringify` does.
pub(crate) fn json_from_js(value: &JsValue) -> Option<JsonValue> {
    json_at_depth(value, 0)
}

/// JSON text parsed by the browser (`JSON.parse`) as a [`JsonValue`]; `None` if it is not JSON.
pub(crate) fn parse_json(text: &str) -> Option<JsonValue> {
    json_from_js(&JSON::parse(text).ok()?)
}

const MAX_DEPTH: usize = 32;

fn json_at_depth(value: &JsValue, depth: usize) -> Option<JsonValue> {
    if depth > MAX_DEPTH {
        return None;
    }
    if let Some(text) = value.as_string() {
        return Some(JsonValue::String(text));
    }
    if let Some(flag) = value.as_bool() {
        return Some(JsonValue::Bool(flag));
    }
    if value.as_f64().is_some() {
        // The browser writes the number's JSON text (`null` for NaN and infinities), so no float
        // formatting is needed here.
        let text = JSON::stringify(value).ok()?.as_string()?;
        return Some(if text == "null" {
            JsonValue::Null
        } else {
            JsonValue::Number(text)
        });
    }
    if value.is_null() {
        return Some(JsonValue::Null);
    }
    if Array::is_array(value) {
        let items = Array::from(value)
            .iter()
            .map(|item| json_at_depth(&item, depth + 1).unwrap_or(JsonValue::Null))
            .collect();
        return Some(JsonValue::Array(items));
    }
    if value.is_object() && !value.is_function() {
        let object: JsonObject = entries(value)
            .filter_map(|(key, item)| Some((key, json_at_depth(&item, depth + 1)?)))
            .collect();
        return Some(JsonValue::Object(object));
    }
    None
}

/// `{providerConfigKey, connectionId, isPending?}`; `connectionId` is `null` when the flow
/// completed through the callback page and no id was known (core's `AuthSuccess` docs).
pub(crate) fn success_to_js(success: &AuthSuccess) -> JsValue {
    let object = Object::new();
    let set = |key: &str, value: JsValue| {
        // Defining a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(key), &value);
    };
    set(
        "providerConfigKey",
        JsValue::from_str(&success.provider_config_key),
    );
    set(
        "connectionId",
        success
            .connection_id
            .as_deref()
            .map_or(JsValue::NULL, JsValue::from_str),
    );
    if let Some(pending) = success.is_pending {
        set("isPending", JsValue::from_bool(pending));
    }
    object.into()
}
