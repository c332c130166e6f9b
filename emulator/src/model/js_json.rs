//! Byte-exact reproduction of how Nango serialises webhook bodies (docs/protocol.md §3.1): compact JSON whose
//! object keys follow JavaScript property order at every level — array-index-like keys first in
//! ascending numeric order, then the rest by UTF-16 code units — with `JSON.stringify` escaping and
//! number formatting. Signatures are computed over these bytes, so they must match exactly.

use serde_json::Value;
use std::cmp::Ordering;

/// Serialises `value` the way `stableStringify` + `JSON.stringify` would in Node.
pub(crate) fn to_js_json(value: &Value) -> String {
    let mut out = String::with_capacity(256);
    write_value(value, &mut out);
    out
}

/// A key is "array-index-like" when it is the canonical decimal form of an integer below 2^32 - 1:
/// JavaScript objects enumerate those first, numerically.
fn array_index(key: &str) -> Option<u32> {
    if key.is_empty() || key.len() > 10 || (key.len() > 1 && key.starts_with('0')) {
        return None;
    }
    if !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = key.parse().ok()?;
    if n < u64::from(u32::MAX) {
        u32::try_from(n).ok()
    } else {
        None
    }
}

fn js_key_order(a: &str, b: &str) -> Ordering {
    match (array_index(a), array_index(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.encode_utf16().cmp(b.encode_utf16()),
    }
}

fn write_string(s: &str, out: &mut String) {
    // serde_json escapes exactly like JSON.stringify for well-formed strings: `"`, `\`, the short
    // escapes \b \f \n \r \t, other control characters as lowercase \u00xx, everything else raw.
    match serde_json::to_string(s) {
        Ok(escaped) => out.push_str(&escaped),
        Err(_) => out.push_str("\"\""),
    }
}

fn write_number(n: &serde_json::Number, out: &mut String) {
    if n.is_i64() || n.is_u64() {
        out.push_str(&n.to_string());
        return;
    }
    let f = n.as_f64().unwrap_or(0.0);
    if !f.is_finite() {
        out.push_str("null");
    } else if f == 0.0 {
        out.push('0');
    } else if f.fract() == 0.0 && f.abs() < 1e21 {
        out.push_str(&format!("{}", f as i128));
    } else if f.abs() >= 1e-6 && f.abs() < 1e21 {
        // Rust's Display is the shortest round-trip decimal, as is JavaScript's in this range.
        out.push_str(&format!("{f}"));
    } else {
        let s = format!("{f:e}");
        match s.split_once('e') {
            Some((mantissa, exp)) if !exp.starts_with('-') => {
                out.push_str(mantissa);
                out.push_str("e+");
                out.push_str(exp);
            }
            _ => out.push_str(&s),
        }
    }
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(n, out),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| js_key_order(a, b));
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                if let Some(v) = map.get(k.as_str()) {
                    write_value(v, out);
                }
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn integer_like_keys_first_then_utf16_order() {
        let v = json!({"b": 1, "a": 2, "10": 3, "9": 4, "01": 5, "-1": 6});
        assert_eq!(
            to_js_json(&v),
            r#"{"9":4,"10":3,"-1":6,"01":5,"a":2,"b":1}"#
        );
    }

    #[test]
    fn utf16_order_differs_from_utf8_for_astral_chars() {
        // U+FF5E (one UTF-16 unit 0xFF5E) sorts after U+1F600 (surrogates 0xD83D…) in UTF-16 order,
        // but before it in UTF-8/code-point order.
        let v = json!({"\u{FF5E}": 1, "\u{1F600}": 2});
        assert_eq!(to_js_json(&v), "{\"\u{1F600}\":2,\"\u{FF5E}\":1}");
    }

    #[test]
    fn escaping_and_numbers_like_json_stringify() {
        let v = json!({"s": "a\"b\\c\n\u{1}/é", "f": 1.5, "i": -3, "whole": 2.0, "big": 1e21, "tiny": 1e-7});
        assert_eq!(
            to_js_json(&v),
            r#"{"big":1e+21,"f":1.5,"i":-3,"s":"a\"b\\c\n\u0001/é","tiny":1e-7,"whole":2}"#
        );
    }

    #[test]
    fn nested_objects_and_arrays_are_sorted_too() {
        let v = json!({"z": [{"y": 1, "x": 2}], "a": {"d": null, "c": true}});
        assert_eq!(
            to_js_json(&v),
            r#"{"a":{"c":true,"d":null},"z":[{"x":2,"y":1}]}"#
        );
    }
}
