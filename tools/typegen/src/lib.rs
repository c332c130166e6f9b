//! The bindings' data types, written from core's serde types.
//!
//! Core's response types derive `schemars::JsonSchema` behind its `schema` feature. This crate
//! asks schemars for their schemas as core *serialises* them (the JSON a binding hands to the
//! caller), reads them into a small [`TypeDef`] model, and writes that model twice:
//! - TypeScript interfaces, into a delimited block of `bindings-node/types/header.d.ts` (napi
//!   copies that file into `index.d.ts`);
//! - Python `TypedDict`s (`total=False`), the whole of
//!   `bindings-python/python/nango/_generated_types.py` (re-exported by `nango.types`).
//!
//! `cargo run -p nango-typegen` rewrites both; `-- --check` fails when the committed files differ
//! (`make lint` runs it). The test `tests/contract_coverage.rs` checks the model against the
//! response schemas in `tests/vectors/responses/`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use schemars::generate::SchemaSettings;
use serde_json::{Map, Value};

/// A type of the model: an object with fields, or a name for a union of string literals.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The name in core (schemars' definition name).
    pub name: String,
    /// The doc comment, intra-doc links turned into plain code spans.
    pub doc: Option<String>,
    /// What it is.
    pub kind: Kind,
}

/// The two kinds of [`TypeDef`].
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// An object. `open`: it keeps keys it does not name (a `#[serde(flatten)]` map in core).
    Object { fields: Vec<Field>, open: bool },
    /// An alias of a type (a string enum).
    Alias(Ty),
}

/// A field of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The wire name.
    pub name: String,
    /// The doc comment.
    pub doc: Option<String>,
    /// The type.
    pub ty: Ty,
    /// Always present in core's JSON (else it may be left out).
    pub required: bool,
}

/// A type expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// Any JSON.
    Any,
    /// `null`.
    Null,
    /// A string.
    String,
    /// An integer.
    Integer,
    /// Any number.
    Number,
    /// `true` / `false`.
    Boolean,
    /// One of these strings.
    Literals(Vec<String>),
    /// A string, usually one of these (an open set).
    OpenLiterals(Vec<String>),
    /// Another [`TypeDef`], by core name.
    Ref(String),
    /// An array.
    Array(Box<Ty>),
    /// An object of string keys to values of one type.
    Map(Box<Ty>),
    /// One of these.
    Union(Vec<Ty>),
}

impl Ty {
    /// The type without `null` and arrays around it (what a nested object check looks into).
    pub fn element(&self) -> &Ty {
        match self {
            Ty::Array(inner) => inner.element(),
            Ty::Union(members) => {
                let mut rest = members.iter().filter(|member| **member != Ty::Null);
                match (rest.next(), rest.next()) {
                    (Some(only), None) => only.element(),
                    _ => self,
                }
            }
            _ => self,
        }
    }
}

/// A type written in a binding: core's type, and its name in TypeScript and in Python (`None`:
/// not written in that language, unless another written type uses it).
struct Root {
    schema: fn(&mut schemars::SchemaGenerator) -> schemars::Schema,
    ts: Option<&'static str>,
    py: Option<&'static str>,
}

macro_rules! root {
    ($ty:ty, $ts:expr, $py:expr) => {
        Root {
            schema: |generator| generator.subschema_for::<$ty>(),
            ts: $ts,
            py: $py,
        }
    };
}

/// What is written. TypeScript takes the data shapes its hand-written method declarations use
/// (the methods themselves stay in header.d.ts); Python takes every answer type.
fn roots() -> Vec<Root> {
    use nango::{connect, connections, functions, integrations, records, syncs};
    vec![
        root!(
            functions::FunctionType,
            Some("NangoFunctionType"),
            Some("FunctionType")
        ),
        root!(
            functions::NangoFunction,
            Some("NangoFunction"),
            Some("NangoFunction")
        ),
        root!(
            records::NangoMetadata,
            Some("NangoRecordMetadata"),
            Some("NangoMetadata")
        ),
        root!(records::RecordsPage, None, None),
        root!(records::PruneResult, None, Some("PruneResult")),
        root!(
            nango::actions::AsyncActionHandle,
            None,
            Some("AsyncActionHandle")
        ),
        root!(
            connections::ConnectionSummary,
            Some("ConnectionSummary"),
            Some("ConnectionSummary")
        ),
        root!(connections::ConnectionList, None, Some("ConnectionList")),
        root!(
            connections::Connection,
            Some("Connection"),
            Some("Connection")
        ),
        root!(
            connect::ConnectSessionResponse,
            None,
            Some("ConnectSessionResponse")
        ),
        root!(syncs::SyncStatus, Some("SyncStatus"), Some("SyncStatus")),
        root!(syncs::SyncStatusResponse, None, Some("SyncStatusResponse")),
        root!(syncs::FrequencyResponse, None, Some("FrequencyResponse")),
        root!(syncs::SyncVariant, None, Some("SyncVariant")),
        root!(
            integrations::Integration,
            Some("Integration"),
            Some("Integration")
        ),
        root!(integrations::IntegrationList, None, None),
        root!(
            integrations::LegacyIntegrationList,
            None,
            Some("IntegrationList")
        ),
        root!(
            integrations::IntegrationResponse,
            None,
            Some("IntegrationResponse")
        ),
        root!(integrations::Deletion, None, Some("Deletion")),
        root!(
            integrations::EnvironmentVariable,
            None,
            Some("EnvironmentVariable")
        ),
        root!(integrations::Provider, None, Some("Provider")),
        root!(integrations::ProviderList, None, Some("ProviderList")),
        root!(
            integrations::ProviderResponse,
            None,
            Some("ProviderResponse")
        ),
        root!(
            integrations::ProviderTemplates,
            None,
            Some("ProviderTemplates")
        ),
        root!(functions::FunctionList, None, Some("FunctionList")),
        root!(functions::FunctionResponse, None, Some("FunctionResponse")),
        root!(functions::FunctionCode, None, Some("FunctionCode")),
        root!(functions::FunctionDeletion, None, Some("FunctionDeletion")),
    ]
}

/// Names of core types used by a written type but not written under a name of their own.
fn nested_name(core: &str, language: Language) -> Option<&'static str> {
    match (core, language) {
        ("Organization", Language::TypeScript) => Some("EndUserOrganization"),
        ("Pagination", Language::Python) => Some("Pagination"),
        _ => None,
    }
}

/// The output languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// `header.d.ts`'s generated block.
    TypeScript,
    /// `_generated_types.py`.
    Python,
}

/// The model: every type the roots reach, in a stable order (roots first, in [`roots`] order,
/// then the types they use by name), and for each root its core name.
pub struct Model {
    /// Every type.
    pub defs: Vec<TypeDef>,
    roots: Vec<(String, Option<&'static str>, Option<&'static str>)>,
}

impl Model {
    /// Reads core's schemas.
    pub fn build() -> Model {
        let mut generator = SchemaSettings::draft2020_12()
            .for_serialize()
            .into_generator();
        let mut root_names = Vec::new();
        for root in roots() {
            let schema = (root.schema)(&mut generator);
            let name = schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|reference| reference.rsplit('/').next())
                .unwrap_or_else(|| panic!("a root type must be a named definition: {schema:?}"))
                .to_owned();
            root_names.push((name, root.ts, root.py));
        }
        let definitions = generator.take_definitions(true);
        let mut defs: Vec<TypeDef> = Vec::new();
        let mut order: Vec<String> = root_names.iter().map(|(n, _, _)| n.clone()).collect();
        let mut rest: Vec<&String> = definitions.keys().filter(|k| !order.contains(k)).collect();
        rest.sort();
        order.extend(rest.into_iter().cloned());
        for name in order {
            let schema = definitions
                .get(&name)
                .unwrap_or_else(|| panic!("no definition {name}"));
            defs.push(type_def(&name, schema));
        }
        Model {
            defs,
            roots: root_names,
        }
    }

    /// A type by core name.
    pub fn def(&self, core_name: &str) -> Option<&TypeDef> {
        self.defs.iter().find(|def| def.name == core_name)
    }

    /// The core name of the type written as `name` in `language`.
    pub fn core_name(&self, name: &str, language: Language) -> Option<&str> {
        self.defs
            .iter()
            .find(|def| self.name_in(&def.name, language).as_deref() == Some(name))
            .map(|def| def.name.as_str())
    }

    /// The name of core type `core` in `language`.
    pub fn name_in(&self, core: &str, language: Language) -> Option<String> {
        for (name, ts, py) in &self.roots {
            if name == core {
                let named = match language {
                    Language::TypeScript => *ts,
                    Language::Python => *py,
                };
                if let Some(named) = named {
                    return Some(named.to_owned());
                }
            }
        }
        Some(nested_name(core, language).unwrap_or(core).to_owned())
    }

    /// The core names written in `language`: its roots and every type they reach.
    pub fn written(&self, language: Language) -> Vec<&TypeDef> {
        let mut wanted: BTreeSet<String> = BTreeSet::new();
        let mut stack: Vec<String> = self
            .roots
            .iter()
            .filter(|(_, ts, py)| match language {
                Language::TypeScript => ts.is_some(),
                Language::Python => py.is_some(),
            })
            .map(|(name, _, _)| name.clone())
            .collect();
        while let Some(name) = stack.pop() {
            if !wanted.insert(name.clone()) {
                continue;
            }
            if let Some(def) = self.def(&name) {
                let mut refs = Vec::new();
                match &def.kind {
                    Kind::Object { fields, .. } => {
                        for field in fields {
                            collect_refs(&field.ty, &mut refs);
                        }
                    }
                    Kind::Alias(ty) => collect_refs(ty, &mut refs),
                }
                stack.extend(refs);
            }
        }
        self.defs
            .iter()
            .filter(|def| wanted.contains(&def.name))
            .collect()
    }
}

fn collect_refs(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Ref(name) => out.push(name.clone()),
        Ty::Array(inner) | Ty::Map(inner) => collect_refs(inner, out),
        Ty::Union(members) => members.iter().for_each(|m| collect_refs(m, out)),
        _ => {}
    }
}

fn doc_of(schema: &Value) -> Option<String> {
    let text = schema.get("description")?.as_str()?;
    // What `Debug` shows is a Rust matter: those sentences are left out.
    let mut kept = String::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for i in 0..=bytes.len() {
        let end_of_sentence =
            i == bytes.len() || (i > 0 && bytes[i - 1] == b'.' && bytes[i].is_ascii_whitespace());
        if end_of_sentence {
            let sentence = &text[start..i];
            if !sentence.contains("`Debug`") {
                kept.push_str(sentence);
            }
            start = i;
        }
    }
    let text = kept.trim();
    if text.is_empty() {
        return None;
    }
    // Rust intra-doc links ([`Type::item`], [`x`](path)) become plain code spans.
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("[`") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find("`]") {
            Some(end) => {
                out.push_str(&after[..end + 1]);
                rest = &after[end + 2..];
                if rest.starts_with('(') {
                    if let Some(close) = rest.find(')') {
                        rest = &rest[close + 1..];
                    }
                }
            }
            None => {
                out.push_str("[`");
                rest = after.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

fn type_def(name: &str, schema: &Value) -> TypeDef {
    let doc = doc_of(schema);
    let kind = match schema.get("properties").and_then(Value::as_object) {
        Some(properties) => {
            let required: BTreeSet<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|names| names.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let fields = properties
                .iter()
                .map(|(field, field_schema)| Field {
                    name: field.clone(),
                    doc: doc_of(field_schema),
                    ty: ty_of(field_schema),
                    required: required.contains(field.as_str()),
                })
                .collect();
            let open = matches!(schema.get("additionalProperties"), Some(Value::Bool(true)))
                || matches!(schema.get("additionalProperties"), Some(Value::Object(o)) if o.is_empty());
            Kind::Object { fields, open }
        }
        None => Kind::Alias(ty_of(schema)),
    };
    TypeDef {
        name: name.to_owned(),
        doc,
        kind,
    }
}

fn simple(name: &str) -> Ty {
    match name {
        "string" => Ty::String,
        "integer" => Ty::Integer,
        "number" => Ty::Number,
        "boolean" => Ty::Boolean,
        "null" => Ty::Null,
        "array" => Ty::Array(Box::new(Ty::Any)),
        "object" => Ty::Map(Box::new(Ty::Any)),
        other => panic!("unknown JSON Schema type {other}"),
    }
}

fn literals(values: &[Value]) -> Vec<String> {
    values
        .iter()
        .map(|value| {
            value
                .as_str()
                .unwrap_or_else(|| panic!("only string enums are written: {value}"))
                .to_owned()
        })
        .collect()
}

fn union(mut members: Vec<Ty>) -> Ty {
    members.dedup();
    if members.len() == 1 {
        members.remove(0)
    } else {
        Ty::Union(members)
    }
}

fn ty_of(schema: &Value) -> Ty {
    let object = match schema {
        Value::Bool(true) => return Ty::Any,
        Value::Object(object) => object,
        other => panic!("unexpected schema {other}"),
    };
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        return Ty::Ref(name.to_owned());
    }
    if let Some(values) = object.get("enum").and_then(Value::as_array) {
        return Ty::Literals(literals(values));
    }
    if let Some(value) = object.get("const") {
        return Ty::Literals(literals(std::slice::from_ref(value)));
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(members) = object.get(key).and_then(Value::as_array) {
            let members: Vec<Ty> = members.iter().map(ty_of).collect();
            // A unit enum with documented variants: one `const` per variant.
            if members
                .iter()
                .all(|member| matches!(member, Ty::Literals(_)))
            {
                let mut all = Vec::new();
                for member in members {
                    if let Ty::Literals(values) = member {
                        all.extend(values);
                    }
                }
                return Ty::Literals(all);
            }
            // `anyOf [enum, string]`: core's open enums.
            if let [Ty::Literals(known), Ty::String] = members.as_slice() {
                return Ty::OpenLiterals(known.clone());
            }
            return union(members);
        }
    }
    let item = |object: &Map<String, Value>| match object.get("items") {
        Some(items) => ty_of(items),
        None => Ty::Any,
    };
    let map = |object: &Map<String, Value>| match object.get("additionalProperties") {
        Some(Value::Bool(false)) | None => Ty::Any,
        Some(values) => ty_of(values),
    };
    let one = |name: &str| match name {
        "array" => Ty::Array(Box::new(item(object))),
        "object" => Ty::Map(Box::new(map(object))),
        other => simple(other),
    };
    match object.get("type") {
        Some(Value::String(name)) => one(name),
        Some(Value::Array(names)) => {
            union(names.iter().filter_map(Value::as_str).map(one).collect())
        }
        _ => Ty::Any,
    }
}

/// Where the repository is (this crate is `tools/typegen`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The file with the TypeScript block.
pub const TS_FILE: &str = "bindings-node/types/header.d.ts";
/// The Python module.
pub const PY_FILE: &str = "bindings-python/python/nango/_generated_types.py";
/// The line that opens the TypeScript block.
pub const TS_BEGIN: &str = "// ---- BEGIN GENERATED by tools/typegen from core's serde types: do not edit, run `make typegen` ----";
/// The line that closes it.
pub const TS_END: &str = "// ---- END GENERATED ----";

mod python;
mod typescript;

pub use python::python;
pub use typescript::typescript;

/// `text` with its generated block replaced by `block` (the markers kept).
pub fn replace_block(text: &str, block: &str) -> Result<String, String> {
    let begin = text
        .find(TS_BEGIN)
        .ok_or_else(|| format!("{TS_FILE} lacks the line {TS_BEGIN}"))?;
    let end = text
        .find(TS_END)
        .ok_or_else(|| format!("{TS_FILE} lacks the line {TS_END}"))?;
    if end < begin {
        return Err(format!("{TS_FILE}: the END marker comes before BEGIN"));
    }
    Ok(format!(
        "{}{TS_BEGIN}\n{block}{}",
        &text[..begin],
        &text[end..]
    ))
}

/// Every generated file: (path from the repository root, its expected content).
pub fn outputs() -> Result<Vec<(String, String)>, String> {
    let model = Model::build();
    let header_path = repo_root().join(TS_FILE);
    let header = std::fs::read_to_string(&header_path)
        .map_err(|err| format!("reading {}: {err}", header_path.display()))?;
    Ok(vec![
        (
            TS_FILE.to_owned(),
            replace_block(&header, &typescript(&model))?,
        ),
        (PY_FILE.to_owned(), python(&model)),
    ])
}
