//! The auth flow's own small JSON value: what hosts hand over after parsing a message with their
//! platform's parser (the browser's `JSON.parse`), and what credential bodies are made of.
//!
//! Not `serde_json::Value` because the browser package must stay small: `serde_json`'s parser,
//! its insertion-ordered maps and its float formatting were most of the wasm. Numbers keep their
//! JSON text, so they are neither parsed nor formatted here; objects keep their key order (the
//! order of the caller's credentials in request bodies). Conversions from and to
//! `serde_json::Value` are there for native callers.

use serde_json::Value;

/// A JSON value. Numbers are held as their JSON text (e.g. `1`, `2.5`, `1e+21`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum JsonValue {
    /// `null`.
    #[default]
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, as its JSON text. Hosts must give valid JSON number text.
    Number(String),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<JsonValue>),
    /// An object.
    Object(JsonObject),
}

/// A JSON object: entries in their original order. A repeated key is looked up by its last
/// entry, as `JSON.parse` and `serde_json` keep the last one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonObject(Vec<(String, JsonValue)>);

impl JsonObject {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` (replacing its value in place if present, else appending).
    pub fn insert(&mut self, key: impl Into<String>, value: JsonValue) {
        let key = key.into();
        match self.0.iter_mut().rev().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&JsonValue> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The entries, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &JsonValue)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(String, JsonValue)> for JsonObject {
    fn from_iter<I: IntoIterator<Item = (String, JsonValue)>>(iter: I) -> Self {
        let mut object = Self::new();
        for (key, value) in iter {
            object.insert(key, value);
        }
        object
    }
}

impl JsonValue {
    /// The member `key` of an object; `None` for other values.
    pub fn get(&self, key: &str) -> Option<&JsonValue> {
        self.as_object()?.get(key)
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&JsonObject> {
        match self {
            Self::Object(o) => Some(o),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The value as compact JSON text (what `JSON.stringify` gives, key order kept).
    pub fn to_json_string(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Self::Null => out.push_str("null"),
            Self::Bool(true) => out.push_str("true"),
            Self::Bool(false) => out.push_str("false"),
            Self::Number(text) => out.push_str(text),
            Self::String(s) => write_json_string(s, out),
            Self::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            Self::Object(object) => {
                out.push('{');
                for (i, (key, value)) in object.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_json_string(key, out);
                    out.push(':');
                    value.write_json(out);
                }
                out.push('}');
            }
        }
    }
}

/// A JSON string literal with the escapes `JSON.stringify` uses (no `core::fmt`).
fn write_json_string(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let code = c as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX[code >> 4]));
                out.push(char::from(HEX[code & 0xf]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

impl From<&str> for JsonValue {
    fn from(s: &str) -> Self {
        Self::String(s.to_owned())
    }
}

impl From<String> for JsonValue {
    fn from(s: String) -> Self {
        Self::String(s)
    }
}

impl From<bool> for JsonValue {
    fn from(b: bool) -> Self {
        Self::Bool(b)
    }
}

impl From<&Value> for JsonValue {
    fn from(value: &Value) -> Self {
        match value {
            Value::Null => Self::Null,
            Value::Bool(b) => Self::Bool(*b),
            Value::Number(n) => Self::Number(n.to_string()),
            Value::String(s) => Self::String(s.clone()),
            Value::Array(items) => Self::Array(items.iter().map(Self::from).collect()),
            Value::Object(map) => Self::Object(JsonObject::from(map)),
        }
    }
}

impl From<Value> for JsonValue {
    fn from(value: Value) -> Self {
        Self::from(&value)
    }
}

impl From<&serde_json::Map<String, Value>> for JsonObject {
    fn from(map: &serde_json::Map<String, Value>) -> Self {
        map.iter()
            .map(|(k, v)| (k.clone(), JsonValue::from(v)))
            .collect()
    }
}

impl From<serde_json::Map<String, Value>> for JsonObject {
    fn from(map: serde_json::Map<String, Value>) -> Self {
        Self::from(&map)
    }
}

impl From<&JsonValue> for Value {
    fn from(value: &JsonValue) -> Self {
        match value {
            JsonValue::Null => Value::Null,
            JsonValue::Bool(b) => Value::Bool(*b),
            // Text that is not a JSON number (a host bug) becomes null, as JSON.stringify does
            // with NaN.
            JsonValue::Number(text) => {
                serde_json::from_str::<serde_json::Number>(text).map_or(Value::Null, Value::Number)
            }
            JsonValue::String(s) => Value::String(s.clone()),
            JsonValue::Array(items) => Value::Array(items.iter().map(Value::from).collect()),
            JsonValue::Object(object) => Value::Object(
                object
                    .iter()
                    .map(|(k, v)| (k.to_owned(), Value::from(v)))
                    .collect(),
            ),
        }
    }
}

impl serde::Serialize for JsonValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Value::from(self).serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for JsonObject {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        serde_json::Map::<String, Value>::deserialize(de).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_like_json_stringify() {
        let value = JsonValue::from(serde_json::json!({
            "b": "q\"\\\n\u{1}é", "a": [1, 2.5, null, true], "c": {}
        }));
        let text = value.to_json_string();
        assert_eq!(
            text,
            r#"{"b":"q\"\\\n\u0001é","a":[1,2.5,null,true],"c":{}}"#
        );
        assert_eq!(
            serde_json::from_str::<Value>(&text).unwrap(),
            Value::from(&value)
        );
    }

    #[test]
    fn last_duplicate_key_wins() {
        let mut object = JsonObject::new();
        object.insert("k", "1".into());
        object.insert("j", "2".into());
        object.insert("k", "3".into());
        assert_eq!(object.len(), 2);
        assert_eq!(object.get("k"), Some(&JsonValue::from("3")));
        assert_eq!(object.keys().collect::<Vec<_>>(), ["k", "j"]);
    }
}
