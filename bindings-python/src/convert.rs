//! Every conversion between Python objects and the core's types, in one place (each shape changes once).
//!
//! JSON values cross as plain Python objects (`dict`, `list`, `str`, `int`, `float`, `bool`,
//! `None`); results are built straight from `serde_json::Value` so no JSON text is re-parsed.

use nango::OrderedMap;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
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

/// `str` or a list of `str` (connection ids, integration ids).
#[derive(FromPyObject)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// A `dict[str, str]` in the caller's order (tags and headers reach the wire in order).
pub(crate) fn string_map(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<OrderedMap<String>> {
    let dict = obj
        .cast::<PyDict>()
        .map_err(|_| errors::invalid_argument(what, "must be a dict of str to str"))?;
    let mut map = OrderedMap::new();
    for (key, value) in dict.iter() {
        let key: String = key
            .extract()
            .map_err(|_| errors::invalid_argument(what, "keys must be str"))?;
        let value: String = value
            .extract()
            .map_err(|_| errors::invalid_argument(what, "values must be str"))?;
        map.insert(key, value);
    }
    Ok(map)
}

/// A keyword argument on its way into an operation's argument object: `None` leaves it out (core's
/// default applies), anything else is its JSON value.
pub(crate) trait Arg {
    fn arg(&self, what: &str) -> PyResult<Option<Value>>;
}

impl Arg for Bound<'_, PyAny> {
    fn arg(&self, what: &str) -> PyResult<Option<Value>> {
        if self.is_none() {
            return Ok(None);
        }
        from_py(self, what).map(Some)
    }
}

impl Arg for &Bound<'_, PyAny> {
    fn arg(&self, what: &str) -> PyResult<Option<Value>> {
        (*self).arg(what)
    }
}

impl<T: Arg> Arg for Option<T> {
    fn arg(&self, what: &str) -> PyResult<Option<Value>> {
        match self {
            Some(value) => value.arg(what),
            None => Ok(None),
        }
    }
}

impl Arg for OneOrMany {
    fn arg(&self, _: &str) -> PyResult<Option<Value>> {
        Ok(Some(match self {
            OneOrMany::One(one) => Value::from(one.as_str()),
            OneOrMany::Many(many) => Value::from(many.clone()),
        }))
    }
}

macro_rules! plain_arg {
    ($($ty:ty),*) => {$(
        impl Arg for $ty {
            fn arg(&self, _: &str) -> PyResult<Option<Value>> {
                Ok(Some(Value::from(self.clone())))
            }
        }
    )*};
}
plain_arg!(String, bool, u32, Vec<String>, Value);

/// A float argument (such as a deadline in seconds): NaN and infinities are refused, not sent as
/// `null`.
impl Arg for f64 {
    fn arg(&self, name: &str) -> PyResult<Option<Value>> {
        match Number::from_f64(*self) {
            Some(number) => Ok(Some(Value::Number(number))),
            None => Err(errors::to_py_err(nango::Error::invalid_argument(
                name,
                "must be a finite number",
            ))),
        }
    }
}

/// The keyword arguments of a method as one JSON object, named as in Python (core takes
/// snake_case keys): `args!(provider_config_key, connection_id)`.
#[macro_export]
macro_rules! args {
    ($($name:ident),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut object = serde_json::Map::new();
        $(
            if let Some(value) = $crate::convert::Arg::arg(&$name, stringify!($name))? {
                object.insert(stringify!($name).to_owned(), value);
            }
        )*
        serde_json::Value::Object(object)
    }};
}

/// `args` plus the keyword arguments a method does not name (`**extra`), for bodies whose
/// unknown keys core forwards as given.
pub(crate) fn with_extra(args: Value, extra: Option<&Bound<'_, PyDict>>) -> PyResult<Value> {
    let (mut fields, extra) = match (args, extra) {
        (Value::Object(fields), Some(extra)) => (fields, extra),
        (args, _) => return Ok(args),
    };
    for (key, value) in extra.iter() {
        let key: String = key.extract()?;
        let value = from_py(&value, &key)?;
        fields.insert(key, value);
    }
    Ok(Value::Object(fields))
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
