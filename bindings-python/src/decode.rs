//! JSON text straight to Python objects in one pass, for records (the hot path).
//!
//! Decoding a page into `serde_json::Value` off the GIL and then converting it under the GIL cost
//! two full passes and many short-lived allocations; on a 2-core machine that second thread's CPU
//! is taken from the emulator/server and from Python. Here the page is only checked off the GIL
//! (core's raw pager: the body's text, each record located in it), and each record's text becomes
//! a `dict` directly, like `json.loads` does. The result matches `json.loads`: key order as in
//! the text, duplicate keys keep the last value, integers of any size stay `int`, floats are
//! correctly rounded (Rust's `f64` parser), lone surrogates survive (`json.loads` itself decodes
//! that rare string).
//!
//! Records of one model share their keys, in the same order. Building each dict key by key makes
//! CPython grow it twice (8 slots, then 16) and hash every key into the new table; instead each
//! object's key sequence is remembered (a shape, per parent key) with a template dict holding
//! those keys, and an object with the same keys starts as a copy of the template (one `memcpy` of
//! the table) whose values are then replaced. A key that differs leaves the template path with
//! the dict still correct; key order and duplicate keys behave exactly as above. Those caches,
//! and the one for repeated short values, are in `decode_cache.rs`.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyList, PyString};

use crate::decode_cache::{
    KeyCache, ShapeCache, ValueCache, eight, leave_shape, make_shape, same_bytes,
};
use crate::errors;

/// Deeper nesting than this is refused (serde_json, which validated the page, stops at 128).
const MAX_DEPTH: usize = 200;

/// Reusable state across records: the key cache, the object shapes and the last short strings.
#[derive(Default)]
pub(crate) struct Decoder {
    keys: KeyCache,
    shapes: ShapeCache,
    values: ValueCache,
}

impl Decoder {
    /// One JSON document (a record's text) as Python objects.
    pub(crate) fn decode<'py>(
        &mut self,
        py: Python<'py>,
        text: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut parser = Parser {
            py,
            text,
            bytes: text.as_bytes(),
            pos: 0,
            keys: &mut self.keys,
            shapes: &mut self.shapes,
            values: &mut self.values,
        };
        let value = parser.value(0, ShapeCache::ROOT)?;
        parser.skip_ws();
        if parser.pos != parser.bytes.len() {
            return Err(parser.error("trailing characters"));
        }
        Ok(value)
    }
}

struct Parser<'a, 'py> {
    py: Python<'py>,
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    keys: &'a mut KeyCache,
    shapes: &'a mut ShapeCache,
    values: &'a mut ValueCache,
}

/// A string token: borrowed from the text when it has no escapes.
enum Str<'a> {
    Borrowed(&'a str),
    Owned(String),
    /// Contains a lone surrogate, which a Rust string cannot hold: `json.loads` decodes it.
    Surrogate(&'a str),
}

impl<'a, 'py> Parser<'a, 'py> {
    fn error(&self, what: &str) -> PyErr {
        errors::internal(format!(
            "could not decode a record: {what} at byte {}",
            self.pos
        ))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8, what: &str) -> PyResult<()> {
        self.skip_ws();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(what))
        }
    }

    /// A value; `slot` names the shapes of objects found here (see [`ShapeCache`]).
    fn value(&mut self, depth: usize, slot: usize) -> PyResult<Bound<'py, PyAny>> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.skip_ws();
        let py = self.py;
        match self.peek() {
            Some(b'{') => {
                self.pos += 1;
                Ok(self.object(depth, slot)?.into_any())
            }
            Some(b'[') => {
                self.pos += 1;
                self.array(depth, slot)
            }
            Some(b'"') => {
                self.pos += 1;
                match self.string()? {
                    Str::Borrowed(text) => Ok(self.values.string(py, slot, text).into_any()),
                    token => self.make_str(token),
                }
            }
            Some(b't') => self.literal("true", PyBool::new(py, true).to_owned().into_any()),
            Some(b'f') => self.literal("false", PyBool::new(py, false).to_owned().into_any()),
            Some(b'n') => self.literal("null", py.None().into_bound(py)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.error("expected a value")),
        }
    }

    fn literal(&mut self, word: &str, value: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("invalid literal"))
        }
    }

    fn object(&mut self, depth: usize, slot: usize) -> PyResult<Bound<'py, PyDict>> {
        let py = self.py;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(PyDict::new(py));
        }
        let (shape, learn) = self.shapes.take(slot);
        // On the template path while every key so far matched the shape's, in order.
        let mut on_shape = shape.as_deref();
        let dict = match on_shape {
            Some(shape) => shape.start(py)?,
            None => PyDict::new(py),
        };
        let mut matched = 0;
        // This object's keys, to become the slot's shape if it does not match the current one.
        let mut learned: Option<Vec<(&'a str, Bound<'py, PyString>, usize)>> = learn.then(Vec::new);
        loop {
            self.expect(b'"', "expected a key")?;
            let token = self.string()?;
            let borrowed = match token {
                Str::Borrowed(text) => Some(text),
                _ => None,
            };
            let expected = on_shape.and_then(|shape| shape.keys.get(matched));
            let (key, key_slot) = match (borrowed, expected) {
                (Some(text), Some(expected)) if same_bytes(&expected.bytes, text.as_bytes()) => {
                    matched += 1;
                    (expected.key.bind(py).clone(), expected.slot)
                }
                _ => {
                    if let Some(shape) = on_shape.take() {
                        leave_shape(&dict, shape, matched)?;
                    }
                    match token {
                        Str::Borrowed(key) => self.keys.key(py, key),
                        Str::Owned(ref key) => (PyString::new(py, key), ShapeCache::UNCACHED),
                        surrogate @ Str::Surrogate(_) => {
                            (self.make_str(surrogate)?.cast_into()?, ShapeCache::UNCACHED)
                        }
                    }
                }
            };
            learned = match (learned, borrowed) {
                (Some(mut keys), Some(text))
                    if key_slot < KeyCache::SLOTS && keys.len() < ShapeCache::MAX_KEYS =>
                {
                    keys.push((text, key.clone(), key_slot));
                    Some(keys)
                }
                _ => None,
            };
            self.expect(b':', "expected ':'")?;
            let value = self.value(depth + 1, key_slot)?;
            // Like json.loads: a repeated key keeps its first position and its last value.
            dict.set_item(key, value)?;
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.error("expected ',' or '}'")),
            }
        }
        if let Some(shape) = on_shape
            && matched < shape.keys.len()
        {
            leave_shape(&dict, shape, matched)?;
            on_shape = None;
        }
        let hit = on_shape.is_some();
        let learned = match learned {
            // Repeated keys would make a template with fewer keys than the text: not learned.
            Some(keys) if !hit && keys.len() == dict.len() => Some(make_shape(py, keys)?),
            _ => None,
        };
        self.shapes.put_back(slot, shape, hit, learned);
        Ok(dict)
    }

    fn array(&mut self, depth: usize, slot: usize) -> PyResult<Bound<'py, PyAny>> {
        let list = PyList::empty(self.py);
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(list.into_any());
        }
        loop {
            list.append(self.value(depth + 1, slot)?)?;
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(list.into_any());
                }
                _ => return Err(self.error("expected ',' or ']'")),
            }
        }
    }

    /// Index of the first byte at or after `from` that ends a plain run of string bytes: a quote,
    /// a backslash or a control character. Record strings are long: clean runs are skipped 32
    /// bytes at a time (a branch-free loop the compiler turns into SIMD compares), then the
    /// byte is found exactly within 8-byte words.
    fn plain_run_end(&self, from: usize) -> usize {
        let bytes = self.bytes;
        let mut pos = from;
        while let Some(chunk) = bytes.get(pos..pos + 32) {
            // Zero exactly for a quote, a backslash or a byte below 0x20: a minimum over the
            // chunk compiles to a few vector instructions per 16 bytes.
            let mut lowest = u8::MAX;
            for &byte in chunk {
                lowest = lowest
                    .min(byte ^ b'"')
                    .min(byte ^ b'\\')
                    .min(byte.saturating_sub(0x1F));
            }
            if lowest == 0 {
                break;
            }
            pos += 32;
        }
        while let Some(word) = bytes.get(pos..pos + 8) {
            let found = special_bytes(u64::from_le_bytes(eight(word, 0)));
            if found != 0 {
                return pos + (found.trailing_zeros() / 8) as usize;
            }
            pos += 8;
        }
        while let Some(&byte) = bytes.get(pos) {
            if byte == b'"' || byte == b'\\' || byte < 0x20 {
                break;
            }
            pos += 1;
        }
        pos
    }

    /// A string token; `pos` is just after the opening quote and ends just after the closing one.
    fn string(&mut self) -> PyResult<Str<'a>> {
        let start = self.pos;
        let end = self.plain_run_end(start);
        match self.bytes.get(end) {
            Some(b'"') => {
                self.pos = end + 1;
                // Quote and backslash are ASCII, so both ends are character boundaries.
                let text = self
                    .text
                    .get(start..end)
                    .ok_or_else(|| self.error("bad string"))?;
                Ok(Str::Borrowed(text))
            }
            Some(b'\\') => self.escaped_string(start, end),
            _ => {
                self.pos = end;
                Err(self.error("unterminated string or control character in string"))
            }
        }
    }

    fn escaped_string(&mut self, start: usize, first_escape: usize) -> PyResult<Str<'a>> {
        let mut out = String::with_capacity(first_escape - start + 16);
        let mut run_start = start;
        let mut pos = first_escape;
        let mut lone_surrogate = false;
        loop {
            out.push_str(
                self.text
                    .get(run_start..pos)
                    .ok_or_else(|| self.error("bad string"))?,
            );
            match self.bytes.get(pos) {
                Some(b'"') => {
                    self.pos = pos + 1;
                    if lone_surrogate {
                        let token = self
                            .text
                            .get(start - 1..=pos)
                            .ok_or_else(|| self.error("bad string"))?;
                        return Ok(Str::Surrogate(token));
                    }
                    return Ok(Str::Owned(out));
                }
                Some(b'\\') => {
                    self.pos = pos + 1;
                    let escape = self
                        .peek()
                        .ok_or_else(|| self.error("unterminated escape"))?;
                    self.pos += 1;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let unit = self.hex4()?;
                            match unit {
                                0xD800..=0xDBFF => {
                                    let low = if self.bytes[self.pos..].starts_with(b"\\u") {
                                        let save = self.pos;
                                        self.pos += 2;
                                        let low = self.hex4()?;
                                        if (0xDC00..=0xDFFF).contains(&low) {
                                            Some(low)
                                        } else {
                                            self.pos = save;
                                            None
                                        }
                                    } else {
                                        None
                                    };
                                    match low {
                                        Some(low) => {
                                            let code =
                                                0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                                            out.push(
                                                char::from_u32(code).ok_or_else(|| {
                                                    self.error("bad surrogate pair")
                                                })?,
                                            );
                                        }
                                        None => lone_surrogate = true,
                                    }
                                }
                                0xDC00..=0xDFFF => lone_surrogate = true,
                                _ => out.push(
                                    char::from_u32(unit).ok_or_else(|| self.error("bad escape"))?,
                                ),
                            }
                        }
                        _ => return Err(self.error("invalid escape")),
                    }
                    run_start = self.pos;
                    pos = self.plain_run_end(run_start);
                }
                _ => {
                    self.pos = pos;
                    return Err(self.error("unterminated string or control character in string"));
                }
            }
        }
    }

    fn hex4(&mut self) -> PyResult<u32> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.error("short \\u escape"))?;
        let mut unit = 0u32;
        for &digit in digits {
            let value = (digit as char)
                .to_digit(16)
                .ok_or_else(|| self.error("bad \\u escape"))?;
            unit = unit * 16 + value;
        }
        self.pos += 4;
        Ok(unit)
    }

    fn make_str(&self, token: Str<'_>) -> PyResult<Bound<'py, PyAny>> {
        Ok(match token {
            Str::Borrowed(text) => PyString::new(self.py, text).into_any(),
            Str::Owned(text) => PyString::new(self.py, &text).into_any(),
            Str::Surrogate(token) => json_loads(self.py)?.call1((token,))?,
        })
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    /// A JSON number: `int` (any size, like `json.loads`) or `float`.
    fn number(&mut self) -> PyResult<Bound<'py, PyAny>> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let int_digits = self.digits();
        if int_digits == 0 || (int_digits > 1 && self.bytes[int_start] == b'0') {
            return Err(self.error("invalid number"));
        }
        let mut is_float = false;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
            is_float = true;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
            is_float = true;
        }
        let text = self
            .text
            .get(start..self.pos)
            .ok_or_else(|| self.error("invalid number"))?;
        let py = self.py;
        if is_float {
            let value: f64 = text.parse().map_err(|_| self.error("invalid number"))?;
            return Ok(PyFloat::new(py, value).into_any());
        }
        if let Ok(value) = text.parse::<i64>() {
            return Ok(value.into_pyobject(py)?.into_any());
        }
        if let Ok(value) = text.parse::<u64>() {
            return Ok(value.into_pyobject(py)?.into_any());
        }
        // Beyond 64 bits: Python's own int parser (which also enforces its digit limit, as
        // json.loads does).
        static INT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        INT.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            Ok(py.import("builtins")?.getattr("int")?.unbind())
        })?
        .bind(py)
        .call1((text,))
    }
}

/// The high bit of each byte of `word` (little-endian) that is a quote, a backslash or a control
/// character. Above a match, bits may be set wrongly (borrows); the lowest set bit is exact.
#[inline(always)]
fn special_bytes(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    // A byte is zero (or below 0x20) when subtracting makes its high bit set; bytes >= 0x80 are
    // masked out by `!x`.
    ((quote.wrapping_sub(ONES) & !quote)
        | (backslash.wrapping_sub(ONES) & !backslash)
        | (word.wrapping_sub(ONES * 0x20) & !word))
        & HIGHS
}

fn json_loads(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    Ok(LOADS
        .get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            Ok(py.import("json")?.getattr("loads")?.unbind())
        })?
        .bind(py)
        .clone())
}

/// `_decode_json(text)`: the records decoder, exposed for tests that compare it with `json.loads`.
#[pyfunction]
pub(crate) fn _decode_json<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    Decoder::default().decode(py, text)
}

/// `_decode_json_many(texts)`: several documents through one decoder, as a record iterator
/// decodes a walk's records (shared key cache and shapes), for tests and the decoder bench.
#[pyfunction]
pub(crate) fn _decode_json_many<'py>(
    py: Python<'py>,
    texts: Vec<String>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let mut decoder = Decoder::default();
    texts.iter().map(|text| decoder.decode(py, text)).collect()
}
