//! Webhooks from Nango: signature verification and typed parsing, on the raw body bytes.
//!
//! Nothing here touches the network; both client classes expose these as plain methods.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};

use crate::convert;
use crate::errors::{self, IntoPyResult};

/// The request body exactly as received: `bytes` (preferred), `bytearray`, or `str` (encoded as
/// UTF-8). A parsed `dict` is refused: signatures are over the bytes, which re-serialising
/// would not reproduce (docs/protocol.md §13, quirk 10).
pub(crate) struct RawBody(Vec<u8>);

impl<'py> FromPyObject<'_, 'py> for RawBody {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(bytes) = obj.cast::<PyBytes>() {
            return Ok(RawBody(bytes.as_bytes().to_vec()));
        }
        if let Ok(array) = obj.cast::<PyByteArray>() {
            return Ok(RawBody(array.to_vec()));
        }
        if let Ok(text) = obj.cast::<PyString>() {
            return Ok(RawBody(text.to_cow()?.as_bytes().to_vec()));
        }
        Err(PyTypeError::new_err(format!(
            "raw_body must be the request body as bytes (or str), not {}; pass the raw body, \
             not parsed JSON",
            obj.get_type().name()?
        )))
    }
}

/// Header name and value; values may be `str` or `bytes` (ASGI headers are bytes).
fn header_part(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(bytes) = obj.cast::<PyBytes>() {
        return Ok(bytes.as_bytes().to_vec());
    }
    if let Ok(text) = obj.cast::<PyString>() {
        return Ok(text.to_cow()?.as_bytes().to_vec());
    }
    Err(PyTypeError::new_err(
        "header names and values must be str or bytes",
    ))
}

/// Reads headers from a mapping (`dict`, Starlette/Django/Werkzeug headers: anything with
/// `.items()`, so repeated headers are seen) or from an iterable of `(name, value)` pairs.
fn collect_headers(headers: &Bound<'_, PyAny>) -> PyResult<Vec<(String, Vec<u8>)>> {
    let pairs = if headers.hasattr("items")? {
        headers.call_method0("items")?
    } else {
        headers.clone()
    };
    let mut out = Vec::new();
    for pair in pairs.try_iter()? {
        let pair = pair?;
        let (name, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = pair.extract().map_err(|_| {
            PyTypeError::new_err("headers must be a mapping or an iterable of (name, value) pairs")
        })?;
        let name = String::from_utf8_lossy(&header_part(&name)?).into_owned();
        out.push((name, header_part(&value)?));
    }
    Ok(out)
}

fn signing_key(nango: &nango::Nango) -> PyResult<&str> {
    Ok(nango.signing_key())
}

pub(crate) fn verify(
    nango: &nango::Nango,
    raw_body: RawBody,
    headers: &Bound<'_, PyAny>,
) -> PyResult<bool> {
    let headers = collect_headers(headers)?;
    Ok(nango::webhooks::verify_incoming_webhook_request(
        signing_key(nango)?,
        &raw_body.0,
        &headers,
    ))
}

/// The deprecated `verifyWebhookSignature`: core's check of `X-Nango-Signature` over the raw body.
pub(crate) fn verify_signature(
    nango: &nango::Nango,
    signature_in_header: &str,
    raw_body: RawBody,
) -> bool {
    nango.verify_webhook_signature(signature_in_header, &raw_body.0)
}

/// Verifies, then parses into the wire-shaped `dict` (a `WebhookPayload` TypedDict).
/// A bad signature raises `WebhookVerificationError`.
pub(crate) fn parse_verified(
    py: Python<'_>,
    nango: &nango::Nango,
    raw_body: RawBody,
    headers: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let headers = collect_headers(headers)?;
    let payload =
        nango::webhooks::parse_verified(signing_key(nango)?, &raw_body.0, &headers).py_err()?;
    payload_to_py(py, &payload)
}

/// The parsed payload as a dict discriminated by `type`: `auth`, `sync`, `forward`,
/// `async_action`, or `unknown` with the whole body under `body` (an unknown type, or a provider's
/// own payload forwarded unwrapped, which may carry a `type` of its own).
fn payload_to_py(py: Python<'_>, payload: &nango::webhooks::WebhookPayload) -> PyResult<Py<PyAny>> {
    match payload {
        nango::webhooks::WebhookPayload::Unknown(body) => {
            let out = pyo3::types::PyDict::new(py);
            out.set_item("type", "unknown")?;
            out.set_item("body", convert::to_py(py, body)?)?;
            Ok(out.into_any().unbind())
        }
        typed => Ok(convert::to_py(py, &typed.to_value())?.unbind()),
    }
}

/// `nango.verify_webhook(signing_key, raw_body, headers, *, legacy=False)`: raises
/// `WebhookVerificationError` (with `payload["reason"]`) unless the signature matches. `legacy`
/// checks the old `X-Nango-Signature` header instead of `X-Nango-Hmac-Sha256`.
#[pyfunction]
#[pyo3(signature = (signing_key, raw_body, headers, *, legacy = false))]
pub(crate) fn verify_webhook(
    signing_key: &str,
    raw_body: RawBody,
    headers: &Bound<'_, PyAny>,
    legacy: bool,
) -> PyResult<()> {
    let headers = collect_headers(headers)?;
    let checked = if legacy {
        nango::webhooks::verify_legacy(signing_key, &raw_body.0, &headers)
    } else {
        nango::webhooks::verify(signing_key, &raw_body.0, &headers)
    };
    checked.map_err(|err| errors::to_py_err(nango::Error::InvalidSignature(err)))
}

/// `nango.parse_webhook_payload(raw_body)`: parsing only, for bodies already verified elsewhere.
#[pyfunction]
pub(crate) fn parse_webhook_payload(py: Python<'_>, raw_body: RawBody) -> PyResult<Py<PyAny>> {
    let payload = nango::webhooks::WebhookPayload::from_slice(&raw_body.0)
        .map_err(|err| errors::invalid_argument("raw_body", &format!("not JSON: {err}")))?;
    payload_to_py(py, &payload)
}
