//! The one place where errors become Python exceptions (so a code always raises the same class).
//!
//! The exception classes live in `nango/_errors.py` (so `ValidationError` can also be a
//! `ValueError` and `TimeoutError` a builtin `TimeoutError`); this file picks the class from the
//! core's stable code and fills `.code`, `.status`, `.payload`, `.retry_after`.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

use crate::convert;

static ERRORS_MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// The exception class for a core error code.
fn class_for(code: &str) -> &'static str {
    match code {
        "unauthorized" | "forbidden" => "AuthenticationError",
        "rate_limited" => "RateLimitError",
        "not_found" | "unknown_connection" | "unknown_integration" => "NotFoundError",
        "validation" | "invalid_argument" => "ValidationError",
        "invalid_signature" => "WebhookVerificationError",
        "transport" => "TransportError",
        "timeout" => "TimeoutError",
        _ => "NangoError",
    }
}

/// Builds the exception; if even that fails (the Python half of the package is broken),
/// the failure itself is raised rather than lost.
fn build(
    code: &str,
    message: String,
    status: Option<u16>,
    extra: impl FnOnce(Python<'_>, &Bound<'_, PyDict>) -> PyResult<()>,
) -> PyErr {
    Python::attach(|py| {
        let made = (|| -> PyResult<PyErr> {
            let module = ERRORS_MODULE
                .get_or_try_init(py, || Ok::<_, PyErr>(py.import("nango._errors")?.unbind()))?;
            let class = module.bind(py).getattr(class_for(code))?;
            let kwargs = PyDict::new(py);
            kwargs.set_item("code", code)?;
            kwargs.set_item("status", status)?;
            extra(py, &kwargs)?;
            let instance = class.call((message,), Some(&kwargs))?;
            Ok(PyErr::from_value(instance))
        })();
        made.unwrap_or_else(|err| err)
    })
}

/// A core error as the matching Python exception.
pub(crate) fn to_py_err(err: nango::Error) -> PyErr {
    let code = err.code().to_owned();
    let status = err.status();
    let retry_after = err.retry_after().map(|d| d.as_secs_f64());
    let message = err.to_string();
    build(&code, message, status, |py, kwargs| {
        kwargs.set_item("retry_after", retry_after)?;
        if let nango::Error::Api(api) = &err {
            if let Some(payload) = &api.payload {
                kwargs.set_item("payload", convert::to_py(py, payload)?)?;
            }
            kwargs.set_item("server_code", api.server_code.as_deref())?;
            let issues = pyo3::types::PyList::empty(py);
            for issue in &api.errors {
                let item = PyDict::new(py);
                item.set_item("code", &issue.code)?;
                item.set_item("message", &issue.message)?;
                item.set_item("path", &issue.path)?;
                issues.append(item)?;
            }
            kwargs.set_item("errors", issues)?;
        }
        if let nango::Error::InvalidSignature(reason) = &err {
            let payload = PyDict::new(py);
            payload.set_item("reason", reason.reason())?;
            kwargs.set_item("payload", payload)?;
        }
        Ok(())
    })
}

/// An argument this binding rejected before calling core (code `invalid_argument`).
pub(crate) fn invalid_argument(field: &str, message: &str) -> PyErr {
    build(
        "invalid_argument",
        format!("invalid argument `{field}`: {message}"),
        None,
        |_, _| Ok(()),
    )
}

/// A bug: something that should not happen, reported instead of crashing (code `internal`).
pub(crate) fn internal(message: String) -> PyErr {
    build(
        "internal",
        format!("internal error: {message}"),
        None,
        |_, _| Ok(()),
    )
}

/// Extension to turn core results into Python results at the call site.
pub(crate) trait IntoPyResult<T> {
    fn py_err(self) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for nango::Result<T> {
    fn py_err(self) -> PyResult<T> {
        self.map_err(to_py_err)
    }
}

/// `_nango._error_from_response(request, status, headers, body, now)`: core's response-to-error
/// parsing followed by this file's mapping, for the shared error vectors. `now` is an HTTP date.
#[pyfunction]
pub(crate) fn _error_from_response(
    request: &str,
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    now: &str,
) -> PyResult<PyErr> {
    let now = httpdate_now(now)?;
    let response = nango::response::RawResponse {
        status,
        headers: headers
            .into_iter()
            .map(|(name, value)| (name.to_ascii_lowercase(), value))
            .collect(),
        body,
    };
    Ok(to_py_err(nango::response::api_error_at(
        request, &response, now,
    )))
}

fn httpdate_now(now: &str) -> PyResult<std::time::SystemTime> {
    let never = std::time::Duration::from_secs(0);
    // Core parses HTTP dates for Retry-After; reuse it: "now" is where a zero delay lands.
    let probe = nango::response::parse_retry_after(now, std::time::UNIX_EPOCH)
        .ok_or_else(|| invalid_argument("now", "not an HTTP date"))?;
    Ok(std::time::UNIX_EPOCH + probe.max(never))
}
