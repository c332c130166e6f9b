//! The one place where errors become JS exceptions.
//!
//! Core errors become instances of the `NangoError` class family of `errors.js`: at load time
//! `nango.js` registers a factory (`registerErrorFactory`) that picks the subclass from `code`.
//! Rust only describes the error (code, status, payload, …); the class hierarchy lives in JS so
//! that `instanceof` works and subclassing `Error` stays native. Bad arguments become `TypeError`.

use std::cell::RefCell;

use napi::bindgen_prelude::{Function, FunctionRef, JsObjectValue, Object, ObjectRef, Unknown};
use napi::{Env, JsString, JsValue, Status, ValueType};
use napi_derive::napi;
use serde_json::{Map, Value, json};

thread_local! {
    // One per JS thread: a worker thread loads its own copy of the addon and registers again.
    static FACTORY: RefCell<Option<FunctionRef<String, Unknown<'static>>>> =
        const { RefCell::new(None) };
}

/// Called once by `nango.js`: `factory(info)` returns the `NangoError` to throw.
///
/// The factory receives the `NangoErrorInfo` as JSON text (one string across napi instead of an
/// object built field by field).
#[napi(ts_args_type = "factory: (infoJson: string) => Error")]
pub fn register_error_factory(factory: Function<String, Unknown<'static>>) -> napi::Result<()> {
    let reference = factory.create_ref()?;
    FACTORY.with(|slot| *slot.borrow_mut() = Some(reference));
    Ok(())
}

/// The JSON description of a core error (core's [`nango::ErrorInfo`] in the camelCase shape of
/// `NangoErrorInfo`); the factory turns it into a class instance.
pub(crate) fn describe(err: &nango::Error) -> Value {
    let info = err.info();
    let mut out = Map::new();
    // `err.code()`, not `info.code`: the same except for an auth flow's verbatim server code.
    out.insert("code".into(), Value::from(err.code()));
    out.insert("message".into(), Value::from(info.message));
    let optional = [
        ("status", info.status.map(Value::from)),
        (
            "retryAfter",
            info.retry_after.map(|d| Value::from(d.as_secs_f64())),
        ),
        ("serverCode", info.server_code.map(Value::from)),
        ("payload", info.payload),
        ("request", info.request.map(Value::from)),
        (
            "rateLimit",
            info.rate_limit.map(|limits| {
                json!({"limit": limits.limit, "remaining": limits.remaining, "reset": limits.reset})
            }),
        ),
        ("field", info.field.map(Value::from)),
        ("notSent", info.not_sent.map(Value::from)),
        // axios' view of the same failure: `errors.js` makes it `code` (ours is `nangoCode`).
        ("axiosCode", info.axios_code.map(Value::from)),
        ("statusText", info.status_text.map(Value::from)),
    ];
    for (name, value) in optional {
        if let Some(value) = value {
            out.insert(name.into(), value);
        }
    }
    if !info.errors.is_empty() {
        out.insert(
            "errors".into(),
            serde_json::to_value(&info.errors).unwrap_or(Value::Null),
        );
    }
    Value::Object(out)
}

/// A failed call: core's error and, when the server answered with an error status, that answer,
/// kept whole for the error's axios-shaped `response` (`{status, data, headers}`), which callers
/// of the official SDK read (`err.response.status`, `err.response.data`).
pub(crate) struct Failure {
    error: nango::Error,
    response: Option<nango::RawResponse>,
}

impl From<nango::Error> for Failure {
    fn from(error: nango::Error) -> Self {
        Failure {
            error,
            response: None,
        }
    }
}

impl Failure {
    /// A final non-2xx answer to `request` (its `METHOD /path` label): core builds the error.
    pub(crate) fn answered(request: &str, response: nango::RawResponse) -> Self {
        Failure {
            error: nango::response::api_error(request, &response),
            response: Some(response),
        }
    }
}

/// `{status, statusText, data, headers}` as axios gives it: `data` parsed when the body is JSON, else the
/// text (`''` when empty); `headers` folded by core (`nango::fold_headers`).
fn axios_response(response: &nango::RawResponse) -> Value {
    let data = serde_json::from_slice::<Value>(&response.body)
        .unwrap_or_else(|_| Value::from(String::from_utf8_lossy(&response.body)));
    let headers = serde_json::to_value(nango::fold_headers(&response.headers))
        .unwrap_or_else(|_| Value::Object(Map::new()));
    let status_text = nango::error::status_text(response.status);
    json!({"status": response.status, "statusText": status_text, "data": data, "headers": headers})
}

/// The answer rebuilt from a parsed API error, for calls whose core method does not hand the
/// answer back (e.g. `getToken`, `getMetadata`): the status, the `{error: {...}}` envelope (or
/// the non-enveloped body), no headers.
fn rebuilt_response(api: &nango::ApiError) -> Value {
    let data = if api.server_code.is_some() || api.message.is_some() {
        let mut envelope = Map::new();
        if let Some(code) = &api.server_code {
            envelope.insert("code".into(), Value::from(code.as_str()));
        }
        if let Some(message) = &api.message {
            envelope.insert("message".into(), Value::from(message.as_str()));
        }
        if !api.errors.is_empty() {
            envelope.insert(
                "errors".into(),
                serde_json::to_value(&api.errors).unwrap_or(Value::Null),
            );
        }
        if let Some(payload) = &api.payload {
            envelope.insert("payload".into(), payload.clone());
        }
        json!({ "error": envelope })
    } else {
        api.payload.clone().unwrap_or_else(|| Value::from(""))
    };
    let status_text = nango::error::status_text(api.status);
    json!({"status": api.status, "statusText": status_text, "data": data, "headers": {}})
}

/// A failed call as the `napi::Error` that rejects with the matching `NangoError` instance.
pub(crate) fn failure_to_js(env: &Env, failure: Failure) -> napi::Error {
    failure_to_js_at(env, failure, None)
}

/// [`failure_to_js`] for a call that was made at `site`: the error's stack shows the caller's
/// frames of that moment instead of this addon's callback.
pub(crate) fn failure_to_js_at(env: &Env, failure: Failure, site: Option<&Object>) -> napi::Error {
    let mut info = describe(&failure.error);
    let response = match (&failure.response, &failure.error) {
        (Some(response), _) => Some(axios_response(response)),
        (None, nango::Error::Api(api)) => Some(rebuilt_response(api)),
        _ => None,
    };
    if let (Some(response), Value::Object(fields)) = (response, &mut info) {
        fields.insert("response".into(), response);
    }
    from_info(env, &failure.error, &info, site)
}

/// The JS stack at the moment an async call was made (an object on which
/// `Error.captureStackTrace` ran), held until the call settles.
pub(crate) struct CallSite(ObjectRef<false>);

impl CallSite {
    /// Captures the current JS stack; `None` if the engine refuses (the error then keeps its own).
    pub(crate) fn capture(env: &Env) -> Option<CallSite> {
        let captured = (|| -> napi::Result<CallSite> {
            let error: Unknown = env.get_global()?.get_named_property("Error")?;
            let error = error.coerce_to_object()?;
            let capture: Function<Object, Unknown> =
                error.get_named_property("captureStackTrace")?;
            let site = Object::new(env)?;
            capture.call(site)?;
            Ok(CallSite(site.create_ref::<false>()?))
        })();
        captured.ok()
    }

    /// The captured object, releasing the reference (the value stays valid in this scope).
    pub(crate) fn release(self, env: &Env) -> Option<Object<'_>> {
        let value = self.0.get_value(env).ok();
        let _ = self.0.unref(env);
        value
    }
}

/// Replaces the frames of `error.stack` (the lines after its `Name: message` head) with those of
/// `site.stack`, so that the caller's own line appears.
fn move_stack(error: &Unknown, site: &Object) -> napi::Result<()> {
    const FRAME: &str = "\n    at ";
    let frames: Unknown = site.get_named_property("stack")?;
    if !matches!(frames.get_type()?, ValueType::String) {
        return Ok(());
    }
    let frames = frames.coerce_to_string()?.into_utf8()?.into_owned()?;
    let mut error = error.coerce_to_object()?;
    let own: Unknown = error.get_named_property("stack")?;
    if !matches!(own.get_type()?, ValueType::String) {
        return Ok(());
    }
    let own = own.coerce_to_string()?.into_utf8()?.into_owned()?;
    let (Some(head_end), Some(frames_start)) = (own.find(FRAME), frames.find(FRAME)) else {
        return Ok(());
    };
    error.set_named_property(
        "stack",
        format!("{}{}", &own[..head_end], &frames[frames_start..]),
    )
}

/// A core error as the `napi::Error` that rejects/throws the matching `NangoError` instance.
pub(crate) fn to_js_error(env: &Env, err: nango::Error) -> napi::Error {
    failure_to_js(env, err.into())
}

fn from_info(env: &Env, err: &nango::Error, info: &Value, site: Option<&Object>) -> napi::Error {
    match build(env, info) {
        Ok(Some(object)) => {
            if let Some(site) = site {
                // A stack that cannot be moved leaves the error as it was: still the right error.
                let _ = move_stack(&object, site);
            }
            napi::Error::from(object)
        }
        // No factory (the raw `index.js` was loaded without `nango.js`) or it failed: a plain
        // Error with the code as its napi status string still lets callers branch on `code`.
        _ => napi::Error::new(Status::GenericFailure, format!("[{}] {}", err.code(), err)),
    }
}

fn build(env: &Env, info: &Value) -> napi::Result<Option<Unknown<'static>>> {
    FACTORY.with(|slot| {
        let slot = slot.borrow();
        let Some(reference) = slot.as_ref() else {
            return Ok(None);
        };
        let factory = reference.borrow_back(env)?;
        factory.call(info.to_string()).map(Some)
    })
}

/// A `TypeError` for an argument of the wrong type or shape, thrown synchronously or used to
/// reject; the message names the method and the field.
pub(crate) fn type_error(env: &Env, message: String) -> napi::Error {
    let made = (|| -> napi::Result<Unknown> {
        let global = env.get_global()?;
        let constructor: Function<JsString, Unknown> = global.get_named_property("TypeError")?;
        constructor.new_instance(env.create_string(&message)?)
    })();
    match made {
        Ok(object) => napi::Error::from(object),
        Err(_) => napi::Error::new(Status::InvalidArg, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_keep_status_code_payload_and_retry_after() {
        let response = nango::RawResponse {
            status: 429,
            headers: vec![("retry-after".into(), "2".into())],
            body: br#"{"error":{"code":"too_many_request","payload":{"k":1}}}"#.to_vec(),
        };
        let err = nango::response::api_error("GET /records/", &response);
        let info = describe(&err);
        assert_eq!(info["code"], "rate_limited");
        assert_eq!(info["status"], 429);
        assert_eq!(info["serverCode"], "too_many_request");
        assert_eq!(info["payload"], json!({"k": 1}));
        assert_eq!(info["retryAfter"], 2.0);
        assert_eq!(info["request"], "GET /records/");
    }

    #[test]
    fn the_axios_response_keeps_the_answer() {
        let response = nango::RawResponse {
            status: 404,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("set-cookie".into(), "a=1".into()),
                ("set-cookie".into(), "b=2".into()),
                ("vary".into(), "x".into()),
                ("vary".into(), "y".into()),
            ],
            body: br#"{"error":{"code":"unknown_connection","message":"m","extra":1}}"#.to_vec(),
        };
        let shaped = axios_response(&response);
        assert_eq!(shaped["status"], 404);
        assert_eq!(
            shaped["data"],
            json!({"error": {"code": "unknown_connection", "message": "m", "extra": 1}})
        );
        assert_eq!(shaped["headers"]["set-cookie"], json!(["a=1", "b=2"]));
        assert_eq!(shaped["headers"]["vary"], "x, y");
        let text = nango::RawResponse {
            status: 502,
            headers: Vec::new(),
            body: b"<html>bad</html>".to_vec(),
        };
        assert_eq!(axios_response(&text)["data"], "<html>bad</html>");

        let nango::Error::Api(api) = nango::response::api_error("GET /x", &response) else {
            panic!("an API error")
        };
        let rebuilt = rebuilt_response(&api);
        assert_eq!(rebuilt["status"], 404);
        assert_eq!(rebuilt["data"]["error"]["code"], "unknown_connection");
        assert_eq!(rebuilt["data"]["error"]["message"], "m");
    }

    #[test]
    fn argument_and_transport_errors_say_which() {
        let info = describe(&nango::Error::invalid_argument(
            "model",
            "must not be empty",
        ));
        assert_eq!(info["code"], "invalid_argument");
        assert_eq!(info["field"], "model");
        let info = describe(&nango::Error::Transport {
            message: "refused".into(),
            not_sent: true,
        });
        assert_eq!(info["code"], "transport");
        assert_eq!(info["notSent"], true);
        assert!(info.get("status").is_none());
    }
}
