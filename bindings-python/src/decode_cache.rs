//! The decoder's memory across records (see `decode.rs`): keys already made into Python strings,
//! the key order of objects (with a template dict to copy), and the last short string value
//! under each key. Each is direct-mapped and fixed-size: records with ever-new keys or values
//! cannot grow them.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

/// Dict keys already made into (interned) Python strings. Records of one model repeat the same
/// keys on every row: reusing the object saves an allocation and the dict reuses its cached hash.
/// Direct-mapped and fixed-size, so records with ever-new keys cannot grow it.
pub(crate) struct KeyCache {
    slots: Vec<Option<CachedKey>>,
}

/// A key's UTF-8 bytes and its Python string.
type CachedKey = (Box<[u8]>, Py<PyString>);

impl KeyCache {
    pub(crate) const SLOTS: usize = 512;
    const MAX_KEY_LEN: usize = 64;

    fn slot(key: &[u8]) -> usize {
        // Keys are short and a record's keys differ early or late: the length and the first and
        // last eight bytes, mixed by one multiply, spread them well at a fraction of the cost of
        // hashing every byte.
        let head = u64::from_le_bytes(eight(key, 0));
        let tail = u64::from_le_bytes(eight(key, key.len().saturating_sub(8)));
        let mixed =
            (head ^ tail.rotate_left(29) ^ key.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (mixed >> 32) as usize % Self::SLOTS
    }

    /// The key as a Python string, and its slot (which also names the shapes of its values);
    /// a key too long to cache gets [`ShapeCache::UNCACHED`].
    pub(crate) fn key<'py>(&mut self, py: Python<'py>, key: &str) -> (Bound<'py, PyString>, usize) {
        if key.len() > Self::MAX_KEY_LEN {
            return (PyString::new(py, key), ShapeCache::UNCACHED);
        }
        let index = Self::slot(key.as_bytes());
        if let Some(Some((bytes, cached))) = self.slots.get(index)
            && **bytes == *key.as_bytes()
        {
            return (cached.bind(py).clone(), index);
        }
        let made = PyString::intern(py, key);
        if let Some(slot) = self.slots.get_mut(index) {
            *slot = Some((key.as_bytes().into(), made.clone().unbind()));
        }
        (made, index)
    }
}

impl Default for KeyCache {
    fn default() -> Self {
        KeyCache {
            slots: (0..Self::SLOTS).map(|_| None).collect(),
        }
    }
}

/// An object's keys in order, with a dict holding them (all values `None`) to copy from.
pub(crate) struct Shape {
    pub(crate) keys: Vec<ShapeKey>,
    template: Py<PyDict>,
}

impl Shape {
    /// A new dict holding the shape's keys, in order, each with `None`: one copy of the
    /// template's table.
    pub(crate) fn start<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.template.bind(py).copy()
    }
}

pub(crate) struct ShapeKey {
    pub(crate) bytes: Box<[u8]>,
    pub(crate) key: Py<PyString>,
    /// The key's [`KeyCache`] slot: where the shapes of its values live.
    pub(crate) slot: usize,
}

/// The last shape seen under each parent key (direct-mapped on the key's slot), plus one for
/// top-level objects and one for keys too long to cache.
pub(crate) struct ShapeCache {
    slots: Vec<ShapeSlot>,
}

#[derive(Default)]
struct ShapeSlot {
    /// Taken out while an object of this slot is read (an object nested under the same key
    /// finds the slot empty and learns its own), then put back.
    shape: Option<Box<Shape>>,
    /// The last object here did not match: the next one that does not either is learned.
    missed: bool,
}

impl ShapeCache {
    pub(crate) const ROOT: usize = KeyCache::SLOTS;
    pub(crate) const UNCACHED: usize = KeyCache::SLOTS + 1;
    /// Wider objects are built key by key: a template would cost more than it saves.
    pub(crate) const MAX_KEYS: usize = 64;

    /// The slot's shape, taken out, and whether this object's keys should be learned.
    pub(crate) fn take(&mut self, slot: usize) -> (Option<Box<Shape>>, bool) {
        match self.slots.get_mut(slot) {
            Some(entry) => {
                let shape = entry.shape.take();
                let learn = shape.is_none() || entry.missed;
                (shape, learn)
            }
            None => (None, false),
        }
    }

    /// Puts the slot's shape back after an object (or the one `learned` from it, if any).
    pub(crate) fn put_back(
        &mut self,
        slot: usize,
        taken: Option<Box<Shape>>,
        hit: bool,
        learned: Option<Shape>,
    ) {
        if let Some(entry) = self.slots.get_mut(slot) {
            entry.missed = !hit;
            if let Some(shape) = learned {
                entry.shape = Some(Box::new(shape));
                entry.missed = false;
            } else if entry.shape.is_none() {
                entry.shape = taken;
            }
        }
    }
}

impl Default for ShapeCache {
    fn default() -> Self {
        ShapeCache {
            slots: (0..KeyCache::SLOTS + 2)
                .map(|_| ShapeSlot::default())
                .collect(),
        }
    }
}

/// The last short string value seen under each key (by the key's slot). Fields such as a status,
/// a type or a sync batch's timestamps repeat from one record to the next: the string already made
/// is handed out again (strings are immutable) instead of allocating an equal one.
pub(crate) struct ValueCache {
    slots: Vec<Option<LastValue>>,
}

struct LastValue {
    bytes: Vec<u8>,
    value: Py<PyString>,
}

impl ValueCache {
    /// Longer values rarely repeat, and comparing them would cost more than it saves.
    const MAX_LEN: usize = 40;

    pub(crate) fn string<'py>(
        &mut self,
        py: Python<'py>,
        slot: usize,
        text: &str,
    ) -> Bound<'py, PyString> {
        let Some(entry) = self
            .slots
            .get_mut(slot)
            .filter(|_| text.len() <= Self::MAX_LEN)
        else {
            return PyString::new(py, text);
        };
        match entry {
            Some(last) if last.bytes == text.as_bytes() => last.value.bind(py).clone(),
            Some(last) => {
                let made = PyString::new(py, text);
                last.bytes.clear();
                last.bytes.extend_from_slice(text.as_bytes());
                last.value = made.clone().unbind();
                made
            }
            None => {
                let made = PyString::new(py, text);
                *entry = Some(LastValue {
                    bytes: text.as_bytes().to_vec(),
                    value: made.clone().unbind(),
                });
                made
            }
        }
    }
}

impl Default for ValueCache {
    fn default() -> Self {
        ValueCache {
            slots: (0..KeyCache::SLOTS).map(|_| None).collect(),
        }
    }
}

/// `a == b` for the short byte strings keys are, without a call to `memcmp`.
#[inline(always)]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let len = a.len();
    if len != b.len() {
        return false;
    }
    match (
        a.get(..8).zip(b.get(..8)),
        a.get(len.saturating_sub(8)..)
            .zip(b.get(len.saturating_sub(8)..)),
    ) {
        // 8 to 16 bytes: two (possibly overlapping) words.
        (Some((a_head, b_head)), Some((a_tail, b_tail))) if len <= 16 => {
            eight(a_head, 0) == eight(b_head, 0) && eight(a_tail, 0) == eight(b_tail, 0)
        }
        _ if len < 8 => a.iter().zip(b).all(|(x, y)| x == y),
        _ => a == b,
    }
}

/// Leaves the template path after `matched` keys: the template's other keys are taken out, so
/// the dict holds exactly the keys read so far, in text order, and later keys go after them.
pub(crate) fn leave_shape(dict: &Bound<'_, PyDict>, shape: &Shape, matched: usize) -> PyResult<()> {
    for rest in shape.keys.get(matched..).unwrap_or_default() {
        dict.del_item(rest.key.bind(dict.py()))?;
    }
    Ok(())
}

pub(crate) fn make_shape<'py>(
    py: Python<'py>,
    keys: Vec<(&str, Bound<'py, PyString>, usize)>,
) -> PyResult<Shape> {
    let template = PyDict::new(py);
    for (_, key, _) in &keys {
        template.set_item(key, py.None())?;
    }
    Ok(Shape {
        keys: keys
            .into_iter()
            .map(|(text, key, slot)| ShapeKey {
                bytes: text.as_bytes().into(),
                key: key.unbind(),
                slot,
            })
            .collect(),
        template: template.unbind(),
    })
}

/// Up to eight bytes of `key` from `at`, zero-padded.
pub(crate) fn eight(key: &[u8], at: usize) -> [u8; 8] {
    let mut out = [0u8; 8];
    let part = key.get(at..).unwrap_or_default();
    let n = part.len().min(8);
    out[..n].copy_from_slice(&part[..n]);
    out
}
