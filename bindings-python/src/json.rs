//! JSON text to Python objects: records and every method's answer.
//!
//! The text is read by jiter's pull parser (pydantic's maintained JSON reader); this file only
//! builds the objects, in one pass under the GIL. Fetching and checking a page stays off the GIL
//! (core's raw pager and the records read-ahead). The result matches `json.loads`: key order as
//! in the text, a repeated key keeps its first position and its last value, integers of any size
//! stay `int`, floats are correctly rounded (Rust's `f64` parser). `NaN` and `Infinity` are
//! refused, as core's own check of a page refuses them. jiter refuses a lone surrogate escape,
//! which `json.loads` accepts: such a (rare) text is handed to `json.loads`.
//!
//! What costs here is making Python objects, so a [`Reader`] kept across records (a walk's
//! records share their keys) remembers two things, each in a small fixed-size table that
//! ever-new keys cannot grow:
//! - each object key already made: a record's keys are then neither allocated nor hashed again
//!   (a `str` caches its hash). Not interned: early 3.12 releases never free an interned
//!   string, and records may have keys that never repeat (ids as keys);
//! - for each list of keys seen, a template dict holding those keys (values `None`): an object
//!   with the same keys starts as a copy of it (one copy of its table) instead of a dict grown
//!   key by key. Its values are then set in text order, so the result is what a new dict gives.
//!
//! Arrays and objects are read to the end before their list or dict is made, so a list is made
//! at its final size and an object's keys are known when its template is looked up.

use jiter::{Jiter, JiterError, Peek};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};

use crate::errors;

/// Deeper nesting is refused before the stack could run out (core's check of a page stops at
/// 128 levels).
const MAX_DEPTH: usize = 200;

/// Reads JSON texts, remembering keys and object templates from one text to the next.
#[derive(Default)]
pub(crate) struct Reader {
    keys: Keys,
    templates: Templates,
    /// Items of the arrays being read, innermost array's last (kept to save an allocation per
    /// text).
    items: Vec<Py<PyAny>>,
    /// Entries of the objects being read, innermost object's last.
    entries: Vec<(Py<PyString>, Py<PyAny>)>,
}

impl Reader {
    /// One JSON document as Python objects.
    pub(crate) fn read<'py>(&mut self, py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
        let mut build = Build {
            py,
            jiter: Jiter::new(text.as_bytes()),
            reader: self,
        };
        let read = build
            .jiter
            .peek()
            .map_err(Failure::from)
            .and_then(|peek| build.value(peek, 0))
            .and_then(|value| Ok(build.jiter.finish().map(|()| value)?));
        // Left over only after a failure.
        self.items.clear();
        self.entries.clear();
        match read {
            Ok(value) => Ok(value),
            Err(Failure::Py(err)) => Err(err),
            Err(Failure::Json(message)) => json_loads(py, text).map_err(|_| {
                errors::internal(format!("could not decode JSON from the server: {message}"))
            }),
        }
    }
}

/// One JSON document, read by a fresh [`Reader`].
pub(crate) fn loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    Reader::default().read(py, text)
}

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

/// Reading one document.
struct Build<'r, 'j, 'py> {
    py: Python<'py>,
    jiter: Jiter<'j>,
    reader: &'r mut Reader,
}

impl<'py> Build<'_, '_, 'py> {
    fn value(&mut self, peek: Peek, depth: usize) -> Read<Bound<'py, PyAny>> {
        let py = self.py;
        if depth > MAX_DEPTH {
            // Not for json.loads either: refused outright.
            return Err(Failure::Py(errors::internal(
                "could not decode JSON from the server: nested too deeply".into(),
            )));
        }
        Ok(match peek {
            Peek::Null => {
                self.jiter.known_null()?;
                py.None().into_bound(py)
            }
            Peek::True | Peek::False => PyBool::new(py, self.jiter.known_bool(peek)?)
                .to_owned()
                .into_any(),
            Peek::String => PyString::new(py, self.jiter.known_str()?).into_any(),
            Peek::Array => {
                let start = self.reader.items.len();
                let mut next = self.jiter.known_array()?;
                while let Some(peek) = next {
                    let item = self.value(peek, depth + 1)?;
                    self.reader.items.push(item.unbind());
                    next = self.jiter.array_step()?;
                }
                PyList::new(py, self.reader.items.drain(start..))?.into_any()
            }
            Peek::Object => {
                let start = self.reader.entries.len();
                // Whether every key came from the cache (only then is a template looked up).
                let mut cached = true;
                let mut next = self
                    .jiter
                    .known_object()?
                    .map(|key| self.reader.keys.get(py, key));
                while let Some((key, from_cache)) = next {
                    cached &= from_cache;
                    let peek = self.jiter.peek()?;
                    let value = self.value(peek, depth + 1)?;
                    self.reader.entries.push((key.unbind(), value.unbind()));
                    next = self
                        .jiter
                        .next_key()?
                        .map(|key| self.reader.keys.get(py, key));
                }
                let reader = &mut *self.reader;
                let dict = if cached {
                    let entries = reader.entries.get(start..).unwrap_or_default();
                    reader.templates.start(py, entries)?
                } else {
                    PyDict::new(py)
                };
                for (key, value) in reader.entries.drain(start..) {
                    dict.set_item(key.into_bound(py), value.into_bound(py))?;
                }
                dict.into_any()
            }
            _ => number(py, self.jiter.known_number_bytes(peek)?)?,
        })
    }
}

/// Object keys already made into Python strings, by their text.
#[derive(Default)]
struct Keys {
    cache: Cache<(Box<str>, Py<PyString>)>,
}

impl Keys {
    /// Longer keys are made each time.
    const MAX_LEN: usize = 64;

    /// The key as a Python string, and whether it is (now) the cache's.
    fn get<'py>(&mut self, py: Python<'py>, key: &str) -> (Bound<'py, PyString>, bool) {
        if key.len() > Self::MAX_LEN {
            return (PyString::new(py, key), false);
        }
        let hash = hash_bytes(key.as_bytes());
        if let Some((_, made)) = self.cache.get(hash, |(text, _)| **text == *key) {
            return (made.bind(py).clone(), true);
        }
        let made = PyString::new(py, key);
        self.cache.put(hash, (key.into(), made.clone().unbind()));
        (made, true)
    }
}

/// Template dicts by the list of their key strings (the same objects: a template's dict keeps
/// its keys alive, so no other string can have their addresses).
#[derive(Default)]
struct Templates {
    cache: Cache<(Box<[usize]>, Py<PyDict>)>,
}

impl Templates {
    /// A dict to set `entries` into: a copy of the template for their keys, made if new.
    fn start<'py>(
        &mut self,
        py: Python<'py>,
        entries: &[(Py<PyString>, Py<PyAny>)],
    ) -> PyResult<Bound<'py, PyDict>> {
        let keys = entries.iter().map(|(key, _)| key.as_ptr() as usize);
        let hash = keys.clone().fold(0, |hash, key| mix(hash, key as u64));
        if let Some((_, dict)) = self
            .cache
            .get(hash, |(known, _)| known.iter().copied().eq(keys.clone()))
        {
            return dict.bind(py).copy();
        }
        let dict = PyDict::new(py);
        for (key, _) in entries {
            dict.set_item(key.bind(py), py.None())?;
        }
        let made = dict.copy()?;
        self.cache.put(hash, (keys.collect(), dict.unbind()));
        Ok(made)
    }
}

/// A small fixed-size cache by 64-bit hash: 256 slots in buckets of four (a full bucket drops
/// its oldest entry), so entries that never repeat cannot grow it and a few that share a bucket
/// do not push each other out.
struct Cache<T> {
    slots: Vec<Option<(u64, T)>>,
}

impl<T> Default for Cache<T> {
    fn default() -> Self {
        Cache { slots: Vec::new() }
    }
}

impl<T> Cache<T> {
    const WAYS: usize = 4;
    /// 64 buckets, picked by the hash's top bits (its best mixed).
    const BUCKET_BITS: u32 = 6;

    fn bucket(&mut self, hash: u64) -> &mut [Option<(u64, T)>] {
        if self.slots.is_empty() {
            self.slots
                .resize_with(Self::WAYS << Self::BUCKET_BITS, || None);
        }
        let start = (hash >> (64 - Self::BUCKET_BITS)) as usize * Self::WAYS;
        &mut self.slots[start..start + Self::WAYS]
    }

    fn get(&mut self, hash: u64, matches: impl Fn(&T) -> bool) -> Option<&T> {
        self.bucket(hash)
            .iter()
            .flatten()
            .find_map(|(known, value)| (*known == hash && matches(value)).then_some(value))
    }

    fn put(&mut self, hash: u64, value: T) {
        let bucket = self.bucket(hash);
        bucket.rotate_right(1);
        bucket[0] = Some((hash, value));
    }
}

/// One step of FxHash (the Rust compiler's hash): fast, and good enough for a cache whose
/// entries are compared in full.
fn mix(hash: u64, word: u64) -> u64 {
    (hash.rotate_left(5) ^ word).wrapping_mul(0x517C_C1B7_2722_0A95)
}

/// A key's text hashed eight bytes at a time (the last few assembled byte by byte: copying
/// them into a word buffer would stall the load that follows).
fn hash_bytes(bytes: &[u8]) -> u64 {
    bytes.chunks(8).fold(bytes.len() as u64, |hash, chunk| {
        let word = match <[u8; 8]>::try_from(chunk) {
            Ok(eight) => u64::from_le_bytes(eight),
            Err(_) => chunk
                .iter()
                .rev()
                .fold(0, |word, &byte| word << 8 | u64::from(byte)),
        };
        mix(hash, word)
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
        return Ok(PyInt::new(py, value).into_any());
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
    kwargs.set_item("parse_constant", py.get_type::<PyInt>())?;
    loads.bind(py).call((text,), Some(&kwargs))
}

/// `_decode_json(text)`: the decoder, exposed for tests that compare it with `json.loads`.
#[pyfunction]
pub(crate) fn _decode_json<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    loads(py, text)
}

/// `_decode_json_many(texts)`: several documents through one [`Reader`], as a record iterator
/// reads a walk's records, for tests and the decoder bench.
#[pyfunction]
pub(crate) fn _decode_json_many<'py>(
    py: Python<'py>,
    texts: Vec<String>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let mut reader = Reader::default();
    texts.iter().map(|text| reader.read(py, text)).collect()
}
