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

#[allow(clippy::too_many_arguments)]
pub(crate) fn config(
    endpoint: String,
    provider_config_key: String,
    connection_id: String,
    method: Option<String>,
    headers: Option<&Bound<'_, PyAny>>,
    params: Option<&Bound<'_, PyAny>>,
    data: Option<&Bound<'_, PyAny>>,
    retries: Option<u32>,
    retry_on: Option<Vec<u16>>,
    decompress: Option<bool>,
    forward_headers_on_redirect: Option<bool>,
    base_url_override: Option<String>,
) -> PyResult<ProxyConfig> {
    let headers = match headers {
        Some(headers) if !headers.is_none() => convert::string_map(headers, "headers")?,
        _ => OrderedMap::new(),
    };
    let params = match params {
        Some(p) if p.is_none() => None,
        Some(p) if p.is_instance_of::<PyString>() => Some(ProxyParams::Text(p.extract()?)),
        Some(p) => {
            let dict = p
                .cast::<PyDict>()
                .map_err(|_| errors::invalid_argument("params", "must be a str or a dict"))?;
            let mut map: OrderedMap<Value> = OrderedMap::new();
            for (key, value) in dict.iter() {
                let key: String = key
                    .extract()
                    .map_err(|_| errors::invalid_argument("params", "keys must be str"))?;
                map.insert(key, convert::from_py(&value, "params")?);
            }
            Some(ProxyParams::Object(map))
        }
        None => None,
    };
    let data = match data {
        Some(d) if d.is_none() => None,
        Some(d) if d.is_instance_of::<PyBytes>() || d.is_instance_of::<PyByteArray>() => {
            Some(ProxyBody::Bytes(d.extract()?))
        }
        Some(d) if d.is_instance_of::<PyString>() => Some(ProxyBody::Text(d.extract()?)),
        Some(d) => Some(ProxyBody::Json(convert::from_py(d, "data")?)),
        None => None,
    };
    Ok(ProxyConfig {
        method,
        endpoint,
        provider_config_key,
        connection_id,
        headers,
        params,
        data,
        retries,
        retry_on,
        decompress,
        forward_headers_on_redirect,
        base_url_override,
        activity_log_id: None,
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
