//! Every conversion between Python objects and the core's types, in one place (each shape changes once).
//!
//! JSON values cross as plain Python objects (`dict`, `list`, `str`, `int`, `float`, `bool`,
//! `None`); results are built straight from `serde_json::Value` so no JSON text is re-parsed.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

use crate::errors;

/// Deeper nesting than this is refused rather than risking the interpreter's stack
/// (a list that contains itself would otherwise recurse forever).
const MAX_DEPTH: usize = 200;

/// A JSON value as a Python object.
pub(crate) fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => number_to_py(py, n)?,
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => object_to_py(py, map)?.into_any(),
    })
}

/// A JSON object as a `dict`.
pub(crate) fn object_to_py<'py>(
    py: Python<'py>,
    map: &Map<String, Value>,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (key, item) in map {
        dict.set_item(PyString::new(py, key), to_py(py, item)?)?;
    }
    Ok(dict)
}

/// Any core result type as plain Python objects (the shape of its JSON).
pub(crate) fn serialize<T: Serialize>(py: Python<'_>, value: &T) -> PyResult<Py<PyAny>> {
    let value = serde_json::to_value(value)
        .map_err(|err| errors::internal(format!("could not convert a result: {err}")))?;
    Ok(to_py(py, &value)?.unbind())
}

/// A Python argument (dicts, lists, strings…) as a core argument type, through its JSON shape.
pub(crate) fn deserialize<T: DeserializeOwned>(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<T> {
    let value = from_py(obj, what)?;
    serde_json::from_value(value).map_err(|err| errors::invalid_argument(what, &err.to_string()))
}

fn number_to_py<'py>(py: Python<'py>, n: &Number) -> PyResult<Bound<'py, PyAny>> {
    if let Some(i) = n.as_i64() {
        Ok(i.into_pyobject(py)?.into_any())
    } else if let Some(u) = n.as_u64() {
        Ok(u.into_pyobject(py)?.into_any())
    } else {
        Ok(PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any())
    }
}

/// A Python object as a JSON value; `what` names the argument in error messages.
pub(crate) fn from_py(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Value> {
    from_py_depth(obj, what, 0)
}

fn from_py_depth(obj: &Bound<'_, PyAny>, what: &str, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(errors::invalid_argument(
            what,
            &format!("nested deeper than {MAX_DEPTH} levels (or contains itself)"),
        ));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    // bool before int: Python's bool is a subclass of int.
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Err(errors::invalid_argument(
            what,
            "an integer does not fit in 64 bits",
        ));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let f = f.value();
        return Number::from_f64(f).map(Value::Number).ok_or_else(|| {
            errors::invalid_argument(what, "NaN and infinity are not valid JSON numbers")
        });
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        let mut map = Map::with_capacity(dict.len());
        for (key, item) in dict.iter() {
            let key = key
                .cast::<PyString>()
                .map_err(|_| errors::invalid_argument(what, "dictionary keys must be strings"))?;
            map.insert(
                key.to_cow()?.into_owned(),
                from_py_depth(&item, what, depth + 1)?,
            );
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for item in obj.try_iter()? {
            items.push(from_py_depth(&item?, what, depth + 1)?);
        }
        return Ok(Value::Array(items));
    }
    Err(PyTypeError::new_err(format!(
        "{what}: {} is not JSON-serialisable (use dict, list, str, int, float, bool or None)",
        obj.get_type().name()?
    )))
}

/// One CA certificate of `ca_certificates`; core decides what a `str` is (PEM or a path).
pub(crate) enum CaCertificate {
    Pem(Vec<u8>),
    Text(String),
    Path(std::path::PathBuf),
}

/// `ca_certificates`: one `str` / `bytes` / `os.PathLike`, or a list or tuple of them.
pub(crate) fn ca_certificates(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<CaCertificate>> {
    let Some(obj) = obj.filter(|obj| !obj.is_none()) else {
        return Ok(Vec::new());
    };
    let one = |item: &Bound<'_, PyAny>| -> PyResult<CaCertificate> {
        if item.is_instance_of::<PyString>() {
            return Ok(CaCertificate::Text(item.extract()?));
        }
        if let Ok(bytes) = item.cast::<pyo3::types::PyBytes>() {
            return Ok(CaCertificate::Pem(bytes.as_bytes().to_vec()));
        }
        if item.hasattr("__fspath__")? {
            return Ok(CaCertificate::Path(item.extract()?));
        }
        Err(PyTypeError::new_err(
            "ca_certificates: each item must be PEM text (str or bytes) or a path",
        ))
    };
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        obj.try_iter()?.map(|item| one(&item?)).collect()
    } else {
        Ok(vec![one(obj)?])
    }
}
