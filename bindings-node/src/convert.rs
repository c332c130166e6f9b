//! Every conversion between JS values and Rust values of this binding, in one place.
//!
//! * Arguments: JS objects are deserialized straight into core's serde parameter types (they use
//!   the Node SDK's camelCase names), with the failing field's path in the `TypeError`.
//! * Results: JSON bodies are handed to V8 as text and parsed by `JSON.parse`, which is much
//!   faster than building the object field by field across napi (see `bench/` and the report).
//! * Cancellation: an `AbortSignal` becomes a watch channel that core futures race against.

use std::future::Future;

use napi::bindgen_prelude::{
    FnArgs, Function, JsObjectValue, Null, Object, PromiseRaw, ToNapiValue, Unknown,
};
use napi::{Env, JsString, JsValue, ValueType};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::sync::watch;

use crate::errors::{self, Failure};

/// A successful result, converted to a JS value on the JS thread.
pub(crate) enum JsOut {
    /// JSON text, parsed by V8.
    Json(String),
    /// An already structured value (small; converted field by field).
    Value(Value),
    /// `{data, status, headers}` like the axios response the official SDK resolves with.
    Response {
        status: u16,
        /// Folded by core (`nango::fold_headers`).
        headers: nango::OrderedMap<nango::HeaderValue>,
        /// The body: JSON text to parse, or text kept as a string (as axios does when a body
        /// is not JSON).
        body: Body,
    },
    /// A page of the record walker: `{ records, checkpoint }`, the records as consecutive JSON
    /// array texts.
    Page {
        records_json: Vec<String>,
        checkpoint: Option<String>,
    },
    /// `null`.
    Null,
}

/// A response body on its way to JS.
pub(crate) enum Body {
    /// Valid JSON text.
    Json(String),
    /// Anything else, as (lossily decoded) text.
    Text(String),
    /// The bytes as received (a `Buffer`), for `responseType: 'arraybuffer'`.
    Bytes(Vec<u8>),
}

/// How `data` of a `{data, status, headers}` result is decoded, as axios' `responseType` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResponseType {
    /// Parsed when it is JSON, else text (axios' default).
    Json,
    /// Always text.
    Text,
    /// The raw bytes as a `Buffer`: binary-safe.
    Bytes,
}

/// The body of a 2xx response as checked JSON text: a body that is not JSON becomes core's
/// `decode` error instead of a `SyntaxError` from V8.
pub(crate) fn json_text(response: nango::RawResponse) -> nango::Result<String> {
    nango::response::decode_json::<serde::de::IgnoredAny>(&response)?;
    match String::from_utf8(response.body) {
        Ok(text) => Ok(text),
        Err(err) => Err(nango::Error::Internal(format!(
            "valid JSON that is not UTF-8: {err}"
        ))),
    }
}

/// `{data, status, headers}` from a response, `data` parsed when it is JSON.
pub(crate) fn axios_like(response: nango::RawResponse, kind: ResponseType) -> JsOut {
    let body = match kind {
        ResponseType::Bytes => Body::Bytes(response.body),
        ResponseType::Json | ResponseType::Text => {
            let is_json = kind == ResponseType::Json
                && serde_json::from_slice::<serde::de::IgnoredAny>(&response.body).is_ok();
            let text = match String::from_utf8(response.body) {
                Ok(text) => text,
                Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
            };
            if is_json {
                Body::Json(text)
            } else {
                Body::Text(text)
            }
        }
    };
    JsOut::Response {
        status: response.status,
        headers: nango::fold_headers(&response.headers),
        body,
    }
}

/// Runs `fut` on napi's tokio runtime and settles a promise with its JS-converted outcome.
///
/// Errors become `NangoError` instances (see `errors.rs`); an abort of `cancel` wins the race
/// and drops the core future, which cancels its HTTP request.
pub(crate) fn spawn<'env, F>(
    env: &'env Env,
    cancel: Cancel,
    fut: F,
) -> napi::Result<PromiseRaw<'env, Unknown<'env>>>
where
    F: Future<Output = Result<JsOut, Failure>> + Send + 'static,
{
    let guarded = async move { Ok(cancel.run(fut).await) };
    // The caller's stack, taken now: by the time the call fails, only this addon's callback is
    // on the stack, and the error would show no line of the caller's code.
    let site = errors::CallSite::capture(env);
    env.spawn_future_with_callback(guarded, move |env, outcome| {
        let site = site.and_then(|site| site.release(env));
        match outcome {
            Ok(out) => to_js(env, out),
            Err(failure) => Err(errors::failure_to_js_at(env, failure, site.as_ref())),
        }
    })
}

/// Like [`spawn`] for a call whose arguments were already rejected: the promise rejects (the
/// official SDK's methods are `async`, so callers expect a rejection, not a synchronous throw).
pub(crate) fn reject<'env>(
    env: &'env Env,
    err: nango::Error,
) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
    spawn(env, Cancel::none(), async move { Err(err.into()) })
}

/// A promise for a call whose argument conversion may have failed: the failure rejects the
/// promise instead of throwing (the official SDK's methods are `async`).
pub(crate) fn rejecting<'env>(
    env: &'env Env,
    result: napi::Result<PromiseRaw<'env, Unknown<'env>>>,
) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
    match result {
        Ok(promise) => Ok(promise),
        Err(err) => {
            env.spawn_future_with_callback(async { Ok(()) }, move |_, ()| Err::<Unknown, _>(err))
        }
    }
}

/// The argument object of a table operation as JSON: each defined member of `args` (an object)
/// through `JSON.stringify`, in the caller's key order. What JSON cannot hold (a function, a
/// symbol, a bigint, a non-finite number) is core's argument error naming the member, not a
/// silent `null`. Anything but an object goes as its JSON, for core to refuse.
pub(crate) fn args_json(env: &Env, op: &str, args: Unknown) -> nango::Result<Value> {
    let invalid = |what: &str, err: napi::Error| nango::Error::invalid_argument(what, err.reason);
    let kind = args.get_type().map_err(|err| invalid("arguments", err))?;
    let text = if matches!(kind, ValueType::Object)
        && !args.is_array().map_err(|err| invalid("arguments", err))?
    {
        let object = args
            .coerce_to_object()
            .map_err(|err| invalid("arguments", err))?;
        let keys = Object::keys(&object).map_err(|err| invalid("arguments", err))?;
        let mut members = Vec::with_capacity(keys.len());
        for key in &keys {
            let member: Unknown = object
                .get_named_property(key)
                .map_err(|err| invalid(key, err))?;
            members.push((key.as_str(), Some(member)));
        }
        members_text(env, op, members).map_err(|(key, err)| invalid(&key, err))?
    } else {
        json_text_of(env, op, "arguments", args).map_err(|err| invalid("arguments", err))?
    };
    serde_json::from_str(&text)
        .map_err(|err| nango::Error::invalid_argument("arguments", err.to_string()))
}

pub(crate) fn to_js<'env>(env: &'env Env, out: JsOut) -> napi::Result<Unknown<'env>> {
    match out {
        JsOut::Json(text) => json_parse(env, &text),
        JsOut::Value(value) => json_parse(env, &value.to_string()),
        JsOut::Null => Null.into_unknown(env),
        JsOut::Page {
            records_json,
            checkpoint,
        } => {
            let mut object = Object::new(env)?;
            object.set_named_property("records", json_parse_arrays(env, &records_json)?)?;
            match checkpoint {
                Some(cursor) => object.set_named_property("checkpoint", cursor)?,
                None => object.set_named_property("checkpoint", Null)?,
            }
            Ok(object.to_unknown())
        }
        JsOut::Response {
            status,
            headers,
            body,
        } => {
            let mut object = Object::new(env)?;
            let data = match body {
                Body::Json(text) => json_parse(env, &text)?,
                Body::Text(text) => js_string(env, &text)?.to_unknown(),
                Body::Bytes(bytes) => {
                    napi::bindgen_prelude::Buffer::from(bytes).into_unknown(env)?
                }
            };
            object.set_named_property("data", data)?;
            object.set_named_property("status", status)?;
            // axios' `statusText`: the status's reason phrase (core's table).
            object.set_named_property("statusText", nango::error::status_text(status))?;
            let mut header_object = Object::new(env)?;
            for (name, value) in headers.0 {
                match value {
                    nango::HeaderValue::One(text) => {
                        header_object.set_named_property(&name, text)?
                    }
                    nango::HeaderValue::List(values) => {
                        header_object.set_named_property(&name, values)?
                    }
                }
            }
            object.set_named_property("headers", header_object)?;
            Ok(object.to_unknown())
        }
    }
}

/// `JSON.parse(text)` in V8: one napi call for a whole page instead of one per field.
pub(crate) fn json_parse<'env>(env: &'env Env, text: &str) -> napi::Result<Unknown<'env>> {
    let json: Object = env.get_global()?.get_named_property("JSON")?;
    let parse: Function<JsString, Unknown> = json.get_named_property("parse")?;
    parse.apply(json, js_string(env, text)?)
}

/// Several JSON array texts parsed by V8 and joined into one array:
/// `Reflect.apply(Array.prototype.concat, first, rest)` (concat copies elements in bulk; `flat()`
/// cost ~5% of the JS thread).
fn json_parse_arrays<'env>(env: &'env Env, texts: &[String]) -> napi::Result<Unknown<'env>> {
    let Some((first, rest)) = texts.split_first() else {
        return Ok(env.create_array(0)?.to_unknown());
    };
    let first = json_parse(env, first)?;
    if rest.is_empty() {
        return Ok(first);
    }
    let global = env.get_global()?;
    let json: Object = global.get_named_property("JSON")?;
    let parse: Function<JsString, Unknown> = json.get_named_property("parse")?;
    let mut parts = env.create_array(0)?;
    for (index, text) in rest.iter().enumerate() {
        let index =
            u32::try_from(index).map_err(|err| napi::Error::from_reason(err.to_string()))?;
        parts.set(index, parse.apply(json, js_string(env, text)?)?)?;
    }
    let first_object = first.coerce_to_object()?;
    let concat: Unknown = first_object.get_named_property("concat")?;
    let reflect: Object = global.get_named_property("Reflect")?;
    let apply: Function<FnArgs<(Unknown, Unknown, Unknown)>, Unknown> =
        reflect.get_named_property("apply")?;
    apply.apply(reflect, FnArgs::from((concat, first, parts.to_unknown())))
}

/// A JS string from Rust text. ASCII text (the usual JSON page) goes through
/// `napi_create_string_latin1`, a plain copy into a one-byte string; V8's UTF-8 decoder is several
/// times slower on megabyte pages (measured in `bench/`: about 5 ms for 1.3 MB).
fn js_string<'env>(env: &'env Env, text: &str) -> napi::Result<JsString<'env>> {
    if text.is_ascii() {
        env.create_string_latin1(text.as_bytes())
    } else {
        env.create_string(text)
    }
}

/// A JS object argument as a core parameter type. The error names the method and the field path
/// (e.g. `listRecords: config.limit: invalid type: string "x", expected u32`).
///
/// The JSON text is deserialized directly (not through `serde_json::Value`, whose map sorts keys)
/// so that the caller's key order survives where it reaches the wire, e.g. `tags[...]` and proxy
/// `params`.
pub(crate) fn from_js<T: DeserializeOwned>(
    env: &Env,
    method: &str,
    what: &str,
    value: Unknown,
) -> napi::Result<T> {
    reject_non_finite(env, method, what, &value)?;
    let text = json_text_of(env, method, what, value)?;
    from_text(env, method, what, &text)
}

/// `NaN` and `±Infinity` (in the value or its top-level members): `JSON.stringify` would turn
/// them into `null`, silently dropping e.g. `limit: NaN`, so they are refused up front.
fn reject_non_finite(env: &Env, method: &str, what: &str, value: &Unknown) -> napi::Result<()> {
    let bad = |name: &str| {
        Err(errors::type_error(
            env,
            format!("{method}: {name} must be a finite number"),
        ))
    };
    match value.get_type()? {
        ValueType::Number if !value.coerce_to_number()?.get_double()?.is_finite() => {
            return bad(what);
        }
        ValueType::Object if !value.is_array()? && !value.is_typedarray()? => {
            let object = value.coerce_to_object()?;
            for key in Object::keys(&object)? {
                let member: Unknown = object.get_named_property(&key)?;
                if matches!(member.get_type()?, ValueType::Number)
                    && !member.coerce_to_number()?.get_double()?.is_finite()
                {
                    return bad(&format!("{what}.{key}"));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn from_text<T: DeserializeOwned>(
    env: &Env,
    method: &str,
    what: &str,
    text: &str,
) -> napi::Result<T> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let at = if path == "." {
            what.to_owned()
        } else {
            format!("{what}.{path}")
        };
        errors::type_error(env, format!("{method}: {at}: {}", err.inner()))
    })
}

/// A JS value as JSON, through `JSON.stringify` so that what core sees is exactly what the
/// official SDK would have put on the wire (undefined members dropped, `toJSON` honoured).
pub(crate) fn plain_json(
    env: &Env,
    method: &str,
    what: &str,
    value: Unknown,
) -> napi::Result<Value> {
    let text = json_text_of(env, method, what, value)?;
    serde_json::from_str(&text).map_err(|err| {
        errors::type_error(env, format!("{method}: {what} is not valid JSON: {err}"))
    })
}

/// `JSON.stringify(value)` (`null` for `undefined`), with a `TypeError` for what JSON cannot hold.
pub(crate) fn json_text_of(
    env: &Env,
    method: &str,
    what: &str,
    value: Unknown,
) -> napi::Result<String> {
    let kind = value.get_type()?;
    if matches!(kind, ValueType::Undefined) {
        return Ok("null".to_owned());
    }
    if matches!(
        kind,
        ValueType::Function | ValueType::Symbol | ValueType::BigInt
    ) {
        return Err(errors::type_error(
            env,
            format!("{method}: {what} must be JSON-serialisable, got a {kind}"),
        ));
    }
    let json: Object = env.get_global()?.get_named_property("JSON")?;
    let stringify: Function<Unknown, Unknown> = json.get_named_property("stringify")?;
    let text = stringify.apply(json, value).map_err(|err| {
        errors::type_error(
            env,
            format!("{method}: {what} is not JSON-serialisable: {}", err.reason),
        )
    })?;
    if !matches!(text.get_type()?, ValueType::String) {
        return Ok("null".to_owned());
    }
    text.coerce_to_string()?.into_utf8()?.into_owned()
}

/// Named values as one JSON object text, members whose value is `undefined` (or absent) left
/// out so that core's defaults apply. On failure, the member's name and the `TypeError`.
fn members_text(
    env: &Env,
    method: &str,
    members: Vec<(&str, Option<Unknown>)>,
) -> Result<String, (String, napi::Error)> {
    let mut text = String::from("{");
    for (name, value) in members {
        let Some(value) = value else { continue };
        let failed = |err| (name.to_owned(), err);
        if matches!(value.get_type().map_err(failed)?, ValueType::Undefined) {
            continue;
        }
        reject_non_finite(env, method, name, &value).map_err(failed)?;
        if text.len() > 1 {
            text.push(',');
        }
        text.push_str(&Value::from(name).to_string());
        text.push(':');
        text.push_str(&json_text_of(env, method, name, value).map_err(failed)?);
    }
    text.push('}');
    Ok(text)
}

/// An optional string argument (`undefined`/`null` → `None`), with a `TypeError` otherwise.
pub(crate) fn opt_string(
    env: &Env,
    method: &str,
    what: &str,
    value: Option<Unknown>,
) -> napi::Result<Option<String>> {
    match value {
        None => Ok(None),
        Some(value) => match value.get_type()? {
            ValueType::Undefined | ValueType::Null => Ok(None),
            ValueType::String => Ok(Some(value.coerce_to_string()?.into_utf8()?.into_owned()?)),
            other => Err(errors::type_error(
                env,
                format!("{method}: {what} must be a string, got a {other}"),
            )),
        },
    }
}

/// Cancellation of one call: fed by an `AbortSignal`'s `abort` event.
pub(crate) struct Cancel(Option<watch::Receiver<bool>>);

impl Cancel {
    /// No signal: the call runs to completion.
    pub(crate) fn none() -> Cancel {
        Cancel(None)
    }

    /// Reads `options.signal` (an `AbortSignal`) of a trailing `{ signal }` argument.
    pub(crate) fn from_options(
        env: &Env,
        method: &str,
        options: Option<Unknown>,
    ) -> napi::Result<Cancel> {
        let Some(options) = options else {
            return Ok(Cancel::none());
        };
        match options.get_type()? {
            ValueType::Undefined | ValueType::Null => return Ok(Cancel::none()),
            ValueType::Object => {}
            other => {
                return Err(errors::type_error(
                    env,
                    format!("{method}: options must be an object like {{ signal }}, got a {other}"),
                ));
            }
        }
        let options = options.coerce_to_object()?;
        let signal: Option<Unknown> = options.get_named_property("signal").ok();
        Cancel::from_signal(env, method, signal)
    }

    /// Wires an `AbortSignal` (or `undefined`).
    pub(crate) fn from_signal(
        env: &Env,
        method: &str,
        signal: Option<Unknown>,
    ) -> napi::Result<Cancel> {
        let Some(signal) = signal else {
            return Ok(Cancel::none());
        };
        match signal.get_type()? {
            ValueType::Undefined | ValueType::Null => return Ok(Cancel::none()),
            ValueType::Object => {}
            other => {
                return Err(errors::type_error(
                    env,
                    format!("{method}: signal must be an AbortSignal, got a {other}"),
                ));
            }
        }
        let signal = signal.coerce_to_object()?;
        let add: Function<FnArgs<(JsString, Unknown, Object)>, Unknown> =
            signal.get_named_property("addEventListener").map_err(|_| {
                errors::type_error(env, format!("{method}: signal must be an AbortSignal"))
            })?;
        let (sender, receiver) = watch::channel(false);
        let aborted: bool = signal.get_named_property("aborted").unwrap_or(false);
        if aborted {
            let _ = sender.send(true);
            return Ok(Cancel(Some(receiver)));
        }
        let on_abort = env.create_function_from_closure::<(), (), _>("onAbort", move |_ctx| {
            // The receiver is gone when the call finished first; nothing to do then.
            let _ = sender.send(true);
            Ok(())
        })?;
        let mut once = Object::new(env)?;
        once.set_named_property("once", true)?;
        add.apply(
            signal,
            FnArgs::from((env.create_string("abort")?, on_abort.to_unknown(), once)),
        )?;
        Ok(Cancel(Some(receiver)))
    }

    /// Races `fut` against the signal.
    pub(crate) async fn run<T, E: From<nango::Error>>(
        self,
        fut: impl Future<Output = Result<T, E>>,
    ) -> Result<T, E> {
        match self.0 {
            None => fut.await,
            Some(mut receiver) => {
                if *receiver.borrow() {
                    return Err(nango::Error::Cancelled.into());
                }
                tokio::select! {
                    result = fut => result,
                    _ = receiver.wait_for(|aborted| *aborted) => Err(nango::Error::Cancelled.into()),
                }
            }
        }
    }

    /// True when the signal already fired.
    pub(crate) fn is_aborted(&self) -> bool {
        self.0.as_ref().is_some_and(|receiver| *receiver.borrow())
    }

    /// Another handle on the same signal (for the pager's calls).
    pub(crate) fn clone_receiver(&self) -> Cancel {
        Cancel(self.0.clone())
    }
}

/// The alternative to [`json_parse`]: builds the JS value field by field through napi, one call
/// per value. Kept only so `bench/` can measure the choice (see `decodeJsonForBench`).
#[cfg(feature = "bench")]
fn value_to_js<'env>(env: &'env Env, value: &Value) -> napi::Result<Unknown<'env>> {
    match value {
        Value::Null => Null.into_unknown(env),
        Value::Bool(flag) => flag.into_unknown(env),
        Value::Number(number) => number.as_f64().unwrap_or(f64::NAN).into_unknown(env),
        Value::String(text) => text.as_str().into_unknown(env),
        Value::Array(items) => {
            let mut array = env.create_array(u32::try_from(items.len()).unwrap_or(u32::MAX))?;
            for (index, item) in items.iter().enumerate() {
                array.set(
                    u32::try_from(index).unwrap_or(u32::MAX),
                    value_to_js(env, item)?,
                )?;
            }
            array.into_unknown(env)
        }
        Value::Object(map) => {
            let mut object = Object::new(env)?;
            for (key, item) in map {
                object.set_named_property(key, value_to_js(env, item)?)?;
            }
            Ok(object.to_unknown())
        }
    }
}

/// For `bench/` only (the `bench` cargo feature, off in the package): decodes a page's JSON text
/// the way the binding does (`JSON.parse` in V8 on the text) or field by field (serde in Rust,
/// then one napi call per value).
#[cfg(feature = "bench")]
#[napi_derive::napi]
pub fn decode_json_for_bench<'env>(
    env: &'env Env,
    text: napi::bindgen_prelude::Buffer,
    field_by_field: bool,
) -> napi::Result<Unknown<'env>> {
    // A Buffer, not a string: the text must start on the Rust side, as a fetched page does,
    // without timing a JS → Rust string conversion.
    let text = std::str::from_utf8(&text)
        .map_err(|err| errors::type_error(env, format!("decodeJsonForBench: {err}")))?;
    if field_by_field {
        let value: Value = serde_json::from_str(text)
            .map_err(|err| errors::type_error(env, format!("decodeJsonForBench: {err}")))?;
        value_to_js(env, &value)
    } else {
        json_parse(env, text)
    }
}

/// For `bench/` only (the `bench` cargo feature): a records page checked and split as
/// `records()` does on its worker, kept on the Rust side so that `parse()` times only the JS
/// thread's part (copies, `JSON.parse`, `concat`).
#[cfg(feature = "bench")]
#[napi_derive::napi]
pub struct BenchRecordsPage {
    chunks: Vec<String>,
}

#[cfg(feature = "bench")]
#[napi_derive::napi]
impl BenchRecordsPage {
    /// Checks and splits a `/records` body (a Buffer, as received).
    #[napi(factory)]
    pub fn prepare(env: Env, body: napi::bindgen_prelude::Buffer) -> napi::Result<Self> {
        let page = nango::RawRecordsPage::from_response(nango::RawResponse {
            status: 200,
            headers: Vec::new(),
            body: body.to_vec(),
        })
        .map_err(|err| errors::to_js_error(&env, err))?;
        Ok(BenchRecordsPage {
            chunks: page.records_json_chunks(crate::records::CHUNK_BYTES),
        })
    }

    /// The records as one JS array.
    #[napi]
    pub fn parse<'env>(&self, env: &'env Env) -> napi::Result<Unknown<'env>> {
        json_parse_arrays(env, &self.chunks)
    }
}

/// `config.caCertificates`: PEM text as strings or Buffers, one or an array; empty when absent.
/// Core parses them (and names `ca_certificates[i]` in its error when one is not PEM).
pub(crate) fn ca_certificates(env: &Env, config: Unknown) -> napi::Result<Vec<Vec<u8>>> {
    use napi::bindgen_prelude::{BufferSlice, FromNapiValue};
    const WHAT: &str = "new Nango: config.caCertificates";
    let value: Unknown = config
        .coerce_to_object()?
        .get_named_property("caCertificates")?;
    let one = |item: Unknown| -> napi::Result<Vec<u8>> {
        match item.get_type()? {
            ValueType::String => Ok(item.coerce_to_string()?.into_utf8()?.as_slice().to_vec()),
            ValueType::Object if item.is_buffer()? || item.is_typedarray()? => {
                Ok(BufferSlice::from_unknown(item)?.to_vec())
            }
            _ => Err(errors::type_error(
                env,
                format!("{WHAT} must hold PEM strings or Buffers"),
            )),
        }
    };
    match value.get_type()? {
        ValueType::Undefined | ValueType::Null => Ok(Vec::new()),
        ValueType::Object if value.is_array()? => {
            let array = value.coerce_to_object()?;
            (0..array.get_array_length()?)
                .map(|index| one(array.get_element(index)?))
                .collect()
        }
        _ => Ok(vec![one(value)?]),
    }
}
