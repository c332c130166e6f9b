//! `tests/scenarios/params.json`: the seed, sizes and fault mix shared by every language.

use std::sync::OnceLock;

use serde_json::Value;

static PARAMS: OnceLock<Value> = OnceLock::new();

fn all() -> &'static Value {
    PARAMS.get_or_init(|| {
        serde_json::from_str(include_str!("../../params.json")).unwrap_or(Value::Null)
    })
}

/// A string parameter by path, e.g. `text(&["paging", "model"])`.
pub fn text(path: &[&str]) -> String {
    lookup(path).as_str().unwrap_or_default().to_owned()
}

/// A numeric parameter by path.
pub fn num(path: &[&str]) -> u64 {
    lookup(path).as_u64().unwrap_or_default()
}

/// A fractional parameter by path.
pub fn float(path: &[&str]) -> f64 {
    lookup(path).as_f64().unwrap_or_default()
}

fn lookup(path: &[&str]) -> &'static Value {
    path.iter().fold(all(), |v, key| &v[*key])
}

/// The seed of every random choice.
pub fn seed() -> u32 {
    u32::try_from(num(&["seed"])).unwrap_or(1)
}

/// The integration every scenario uses.
pub fn integration() -> String {
    text(&["integration"])
}

/// The connection every scenario uses.
pub fn connection() -> String {
    text(&["connection"])
}
