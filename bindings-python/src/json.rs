//! JSON text to Python objects: records and every method's answer.
//!
//! The text is read by jiter's pull parser (pydantic's maintained JSON reader); this file only
//! builds the objects, in one pass under the GIL. Fetching and checking a page stays off the GIL
//! (core's raw pager and the records read-ahead). The result matches `json.loads`: key order as
//! in the text, a repeated key keeps its first position and its last value, integers of any size
//! stay `int`, floats are correctly rounded (Rust's `f64` parser). `NaN` and `Infinity` are
//! refused, as core's own check of a page refuses them. jiter refuses a lone surrogate escape,
//! which `json.loads` accepts: such a (rare) text is handed to `json.loads`.

use jiter::{Jiter, JiterError, Peek};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyList, PyString};

use crate::errors;

/// Deeper nesting is refused before the stack could run out (core's check of a page stops at
/// 128 levels).
const MAX_DEPTH: usize = 200;

/// Why a text could not be read: jiter refused the JSON (its message), or the error to raise.
enum Failure {
    Json(String),
    Py(PyErr),
}

impl From<JiterError> for Failure {
    fn from(err: JiterError) -> Self {
        Failure::Json(err.to_string())
    }
}

impl From<PyErr> for Failure {
    fn from(err: PyErr) -> Self {
        Failure::Py(err)
    }
}

type Read<T> = Result<T, Failure>;

/// One JSON document as Python objects.
pub(crate) fn loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let mut jiter = Jiter::new(text.as_bytes());
    let read = jiter
        .peek()
        .map_err(Failure::from)
        .and_then(|peek| value(py, &mut jiter, peek, 0))
        .and_then(|value| Ok(jiter.finish().map(|()| value)?));
    match read {
        Ok(value) => Ok(value),
        Err(Failure::Py(err)) => Err(err),
        Err(Failure::Json(message)) => json_loads(py, text).map_err(|_| {
            errors::internal(format!("could not decode JSON from the server: {message}"))
        }),
    }
}

fn value<'py>(
    py: Python<'py>,
    jiter: &mut Jiter<'_>,
    peek: Peek,
    depth: usize,
) -> Read<Bound<'py, PyAny>> {
    if depth > MAX_DEPTH {
        // Not for json.loads either: refused outright.
        return Err(Failure::Py(errors::internal(
            "could not decode JSON from the server: nested too deeply".into(),
        )));
    }
    Ok(match peek {
        Peek::Null => {
            jiter.known_null()?;
            py.None().into_bound(py)
        }
        Peek::True | Peek::False => PyBool::new(py, jiter.known_bool(peek)?)
            .to_owned()
            .into_any(),
        Peek::String => PyString::new(py, jiter.known_str()?).into_any(),
        Peek::Array => {
            let list = PyList::empty(py);
            let mut next = jiter.known_array()?;
            while let Some(peek) = next {
                list.append(value(py, jiter, peek, depth + 1)?)?;
                next = jiter.array_step()?;
            }
            list.into_any()
        }
        Peek::Object => {
            let dict = PyDict::new(py);
            let mut key = jiter.known_object()?.map(|key| PyString::new(py, key));
            while let Some(name) = key {
                let peek = jiter.peek()?;
                dict.set_item(name, value(py, jiter, peek, depth + 1)?)?;
                key = jiter.next_key()?.map(|key| PyString::new(py, key));
            }
            dict.into_any()
        }
        _ => number(py, jiter.known_number_bytes(peek)?)?,
    })
}

/// A number's text (checked by jiter) as `int` (any size, like `json.loads`) or `float`.
fn number<'py>(py: Python<'py>, bytes: &[u8]) -> Read<Bound<'py, PyAny>> {
    let text = std::str::from_utf8(bytes).map_err(|err| Failure::Json(err.to_string()))?;
    if bytes.iter().any(|b| matches!(b, b'.' | b'e' | b'E')) {
        let value: f64 = text
            .parse()
            .map_err(|_| Failure::Json(format!("invalid number {text}")))?;
        return Ok(PyFloat::new(py, value).into_any());
    }
    if let Ok(value) = text.parse::<i64>() {
        return Ok(pyo3::types::PyInt::new(py, value).into_any());
    }
    // Beyond 64 bits: Python's own int parser (which also enforces its digit limit, as
    // json.loads does).
    static INT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let int = INT.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import("builtins")?.getattr("int")?.unbind())
    })?;
    Ok(int.bind(py).call1((text,))?)
}

/// `json.loads(text, parse_constant=int)`: `int("NaN")` raises, so the JSON extensions `NaN`
/// and `Infinity` stay refused.
fn json_loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let loads = LOADS.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import("json")?.getattr("loads")?.unbind())
    })?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("parse_constant", py.get_type::<pyo3::types::PyInt>())?;
    loads.bind(py).call((text,), Some(&kwargs))
}

/// `_decode_json(text)`: the decoder, exposed for tests that compare it with `json.loads`.
#[pyfunction]
pub(crate) fn _decode_json<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    loads(py, text)
}

/// `_decode_json_many(texts)`: several documents, as a record iterator decodes a walk's records,
/// for tests and the decoder bench.
#[pyfunction]
pub(crate) fn _decode_json_many<'py>(
    py: Python<'py>,
    texts: Vec<String>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    texts.iter().map(|text| loads(py, text)).collect()
}
