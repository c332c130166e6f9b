//! The one place where errors become Python exceptions (so a code always raises the same class).
//!
//! The exception classes live in `nango/_errors.py` (so `ValidationError` can also be a
//! `ValueError` and `TimeoutError` a builtin `TimeoutError`); this file picks the class from the
//! core's stable code and fills `.code`, `.status`, `.payload`, `.retry_after`.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

use nango::{ErrorCode, ErrorInfo};

use crate::convert;

static ERRORS_MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// The exception class for a core error code (`tests/vectors/errors.json` lists the same
/// table; `tests/test_vectors.py` checks it). The auth-flow codes (browser package only),
/// `internal` and codes newer than this binding get the base class.
fn class_for(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::Unauthorized | ErrorCode::Forbidden => "AuthenticationError",
        ErrorCode::RateLimited => "RateLimitError",
        ErrorCode::NotFound | ErrorCode::UnknownConnection | ErrorCode::UnknownIntegration => {
            "NotFoundError"
        }
        ErrorCode::Validation | ErrorCode::InvalidArgument => "ValidationError",
        ErrorCode::Conflict => "ConflictError",
        ErrorCode::ServerError => "ServerError",
        ErrorCode::ApiError => "ApiError",
        ErrorCode::Decode => "DecodeError",
        ErrorCode::Transport | ErrorCode::Tls => "TransportError",
        ErrorCode::Timeout => "TimeoutError",
        ErrorCode::Cancelled => "CancelledError",
        ErrorCode::InvalidSignature => "WebhookVerificationError",
        _ => "NangoError",
    }
}

/// Builds the exception from core's description of the error; if even that fails (the Python
/// half of the package is broken), the failure itself is raised rather than lost.
///
/// `code` is the text `.code` holds (`Error::code()`: `info.code` except for an auth flow's
/// verbatim server code).
fn from_info(code: &str, info: ErrorInfo) -> PyErr {
    Python::attach(|py| {
        let made = (|| -> PyResult<PyErr> {
            let module = ERRORS_MODULE
                .get_or_try_init(py, || Ok::<_, PyErr>(py.import("nango._errors")?.unbind()))?;
            let class = module.bind(py).getattr(class_for(info.code))?;
            let kwargs = PyDict::new(py);
            kwargs.set_item("code", code)?;
            kwargs.set_item("status", info.status)?;
            kwargs.set_item("retry_after", info.retry_after.map(|d| d.as_secs_f64()))?;
            kwargs.set_item("server_code", info.server_code.as_deref())?;
            if let Some(payload) = &info.payload {
                kwargs.set_item("payload", convert::to_py(py, payload)?)?;
            }
            if let Some(reason) = &info.reason {
                let payload = PyDict::new(py);
                payload.set_item("reason", reason)?;
                kwargs.set_item("payload", payload)?;
            }
            let issues = pyo3::types::PyList::empty(py);
            for issue in &info.errors {
                let item = PyDict::new(py);
                item.set_item("code", &issue.code)?;
                item.set_item("message", &issue.message)?;
                item.set_item("path", &issue.path)?;
                issues.append(item)?;
            }
            kwargs.set_item("errors", issues)?;
            let instance = class.call((info.message,), Some(&kwargs))?;
            Ok(PyErr::from_value(instance))
        })();
        made.unwrap_or_else(|err| err)
    })
}

/// A core error as the matching Python exception.
pub(crate) fn to_py_err(err: nango::Error) -> PyErr {
    from_info(err.code(), err.info())
}

/// An argument this binding rejected before calling core (code `invalid_argument`).
pub(crate) fn invalid_argument(field: &str, message: &str) -> PyErr {
    to_py_err(nango::Error::invalid_argument(field, message))
}

/// A bug: something that should not happen, reported instead of crashing (code `internal`).
pub(crate) fn internal(message: String) -> PyErr {
    to_py_err(nango::Error::Internal(message))
}

/// `_nango._error_for_code(code)`: the exception this binding raises for an error of `code`
/// (any of core's codes), for the shared vector of code-to-class mappings.
#[pyfunction]
pub(crate) fn _error_for_code(code: &str) -> PyResult<PyErr> {
    let known = ErrorCode::from_text(code)
        .ok_or_else(|| invalid_argument("code", "not one of core's error codes"))?;
    Ok(from_info(
        code,
        ErrorInfo::new(known, format!("an error of code {code}")),
    ))
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
