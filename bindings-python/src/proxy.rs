//! `proxy`: a request to the provider's API through Nango, answered byte for byte.

use nango::proxy::BodyKind;
use nango::{OrderedMap, ProxyBody, ProxyConfig, ProxyParams};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyString};
use serde_json::Value;

use crate::client::{Call, call};
use crate::convert;
use crate::errors::{self, IntoPyResult};
use crate::json;

/// `headers=`: a mapping of header names to values (none: no extra header).
pub(crate) fn headers_arg(headers: Option<&Bound<'_, PyAny>>) -> PyResult<OrderedMap<String>> {
    match headers {
        Some(headers) if !headers.is_none() => convert::string_map(headers, "headers"),
        _ => Ok(OrderedMap::new()),
    }
}

/// `params=`: a query string, or a mapping whose values core stringifies.
pub(crate) fn params_arg(params: Option<&Bound<'_, PyAny>>) -> PyResult<Option<ProxyParams>> {
    let Some(params) = params.filter(|p| !p.is_none()) else {
        return Ok(None);
    };
    if params.is_instance_of::<PyString>() {
        return Ok(Some(ProxyParams::Text(params.extract()?)));
    }
    let dict = params
        .cast::<PyDict>()
        .map_err(|_| errors::invalid_argument("params", "must be a str or a dict"))?;
    let mut map: OrderedMap<Value> = OrderedMap::new();
    for (key, value) in dict.iter() {
        let key: String = key
            .extract()
            .map_err(|_| errors::invalid_argument("params", "keys must be str"))?;
        map.insert(key, convert::from_py(&value, "params")?);
    }
    Ok(Some(ProxyParams::Object(map)))
}

/// `data=`: `bytes`/`bytearray` sent as they are, `str` as text, anything else as JSON.
pub(crate) fn data_arg(data: Option<&Bound<'_, PyAny>>) -> PyResult<Option<ProxyBody>> {
    Ok(match data.filter(|d| !d.is_none()) {
        None => None,
        Some(d) if d.is_instance_of::<PyBytes>() || d.is_instance_of::<PyByteArray>() => {
            Some(ProxyBody::Bytes(d.extract()?))
        }
        Some(d) if d.is_instance_of::<PyString>() => Some(ProxyBody::Text(d.extract()?)),
        Some(d) => Some(ProxyBody::Json(convert::from_py(d, "data")?)),
    })
}

/// Sends `config`. The answer's `data` is decoded as core's [`nango::proxy::body_kind`] says
/// (JSON parsed, UTF-8 text as `str`, anything else `bytes`, no body `None`), or is the body's
/// `bytes` untouched when `raw`.
pub(crate) fn proxy(nango: &nango::Nango, config: ProxyConfig, raw: bool) -> Call {
    let nango = nango.clone();
    call(
        async move { nango.proxy(&config).await },
        move |py, response| {
            let out = PyDict::new(py);
            out.set_item("status", response.status)?;
            // Folded by core: repeated headers joined, `set-cookie` a list.
            let headers = PyDict::new(py);
            for (name, value) in nango::fold_headers(&response.headers).0 {
                match value {
                    nango::HeaderValue::One(text) => headers.set_item(name, text)?,
                    nango::HeaderValue::List(values) => headers.set_item(name, values)?,
                }
            }
            out.set_item("headers", headers)?;
            out.set_item("data", data(py, &response, raw)?)?;
            Ok(out.into_any().unbind())
        },
    )
}

fn data<'py>(
    py: Python<'py>,
    response: &nango::ProxyResponse,
    raw: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let bytes = || PyBytes::new(py, &response.body).into_any();
    if raw {
        return Ok(bytes());
    }
    Ok(match response.body_kind() {
        BodyKind::Empty => py.None().into_bound(py),
        BodyKind::Json => json::loads(py, response.json_text().py_err()?)?,
        BodyKind::Text => match std::str::from_utf8(&response.body) {
            Ok(text) => PyString::new(py, text).into_any(),
            Err(_) => bytes(),
        },
        BodyKind::Binary => bytes(),
    })
}
