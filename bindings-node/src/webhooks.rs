//! Webhooks: `verifyIncomingWebhookRequest` (as the official SDK), the legacy check behind the
//! deprecated `verifyWebhookSignature`, and `parseWebhook` (verified and typed). The raw body is
//! required: signatures are over the bytes Nango sent (the legacy check excepted).

use napi::bindgen_prelude::{Either, Uint8Array, Unknown};
use napi::{Env, JsValue};
use napi_derive::napi;
use serde_json::Value;

use crate::client::JsNango;
use crate::convert::{self, JsOut};
use crate::errors;

#[napi]
impl JsNango {
    /// True when `X-Nango-Hmac-Sha256` is HMAC-SHA256 of the raw body under the webhook signing
    /// key (or the secret key when none was given). Header names match in any case.
    #[napi(ts_args_type = "rawBody: string | Uint8Array, headers: IncomingHeaders")]
    pub fn verify_incoming_webhook_request(
        &self,
        env: Env,
        raw_body: Unknown,
        headers: Unknown,
    ) -> napi::Result<bool> {
        const METHOD: &str = "verifyIncomingWebhookRequest";
        let body = raw_bytes(&env, METHOD, raw_body)?;
        let headers = header_pairs(&env, METHOD, headers)?;
        let key = signing_key(&self.core);
        Ok(nango::webhooks::verify_incoming_webhook_request(
            &key, &body, &headers,
        ))
    }

    /// The deprecated `verifyWebhookSignature(signature, jsonPayload)` of the official SDK: the
    /// legacy `X-Nango-Signature` check (core's `verify_legacy_signature`) over the payload as
    /// `JSON.stringify` writes it, which `nango.js` passes in. Hidden: `nango.js` takes it off
    /// the class and defines the official method with it.
    #[napi(skip_typescript)]
    pub fn verify_legacy_signature(&self, signature: String, serialized: String) -> bool {
        let key = signing_key(&self.core);
        nango::webhooks::verify_legacy_signature(
            &key,
            serialized.as_bytes(),
            [(nango::webhooks::LEGACY_HEADER, signature.as_str())],
        )
    }

    /// Verifies like `verifyIncomingWebhookRequest`, then parses the payload; throws a
    /// `NangoError` with code `invalid_signature` when the check fails. The result has a `type`
    /// of `auth`, `sync`, `forward`, `async_action`, or anything newer (passed through).
    #[napi(
        ts_args_type = "rawBody: string | Uint8Array, headers: IncomingHeaders",
        ts_return_type = "NangoWebhook"
    )]
    pub fn parse_webhook<'env>(
        &self,
        env: &'env Env,
        raw_body: Unknown,
        headers: Unknown,
    ) -> napi::Result<Unknown<'env>> {
        const METHOD: &str = "parseWebhook";
        let body = raw_bytes(env, METHOD, raw_body)?;
        let headers = header_pairs(env, METHOD, headers)?;
        let key = signing_key(&self.core);
        match nango::webhooks::parse_verified(&key, &body, &headers) {
            Ok(payload) => convert::to_js(env, JsOut::Value(payload.to_value())),
            Err(err) => Err(errors::to_js_error(env, err)),
        }
    }
}

fn signing_key(core: &nango::Nango) -> String {
    core.signing_key().to_owned()
}

fn raw_bytes(env: &Env, method: &str, value: Unknown) -> napi::Result<Vec<u8>> {
    if value.is_typedarray()? {
        let array: Either<Uint8Array, String> =
            napi::bindgen_prelude::FromNapiValue::from_unknown(value)?;
        if let Either::A(array) = array {
            return Ok(array.to_vec());
        }
    }
    match convert::opt_string(env, method, "rawBody", Some(value)) {
        Ok(Some(text)) => Ok(text.into_bytes()),
        _ => Err(errors::type_error(
            env,
            format!(
                "{method}: rawBody must be the raw request body (a string or a Buffer), not a parsed object"
            ),
        )),
    }
}

fn header_pairs(env: &Env, method: &str, value: Unknown) -> napi::Result<Vec<(String, String)>> {
    let map = match convert::plain_json(env, method, "headers", value)? {
        Value::Object(map) => map,
        _ => {
            return Err(errors::type_error(
                env,
                format!("{method}: headers must be an object of header names to values"),
            ));
        }
    };
    let mut pairs = Vec::with_capacity(map.len());
    for (name, value) in map {
        match value {
            Value::String(text) => pairs.push((name, text)),
            // Node gives repeated headers as arrays; each value counts.
            Value::Array(items) => {
                for item in items {
                    if let Value::String(text) = item {
                        pairs.push((name.clone(), text));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(pairs)
}
