//! Typed records from the server's own schema: `GET /scripts/config` → source text.
//!
//! Nango describes every deployed sync's models in `GET /scripts/config`: each sync names the
//! models it fills (`returns`) and carries a JSON Schema of them (`json_schema.definitions`, one
//! definition per model, nested objects inline, references as `#/definitions/Name`). This module
//! reads that answer into a small type model ([`TypeDef`]) and writes it as
//! - TypeScript interfaces ([`typescript`]), `_nango_metadata` typed with the package's
//!   `NangoRecordMetadata`;
//! - Python `TypedDict`s, or pydantic models ([`python`]), `_nango_metadata` typed with
//!   `nango.types.NangoMetadata`;
//! - Rust structs with serde derives ([`rust`]), `_nango_metadata` as
//!   [`crate::records::NangoMetadata`], each implementing `RecordCursor` so that
//!   `Nango::records::<Ticket>()` walks them.
//!
//! Everything here is a pure function from JSON to text; [`generate`] is the whole of
//! `nango-rs models`, `npx @nango-rs/node models` and `python -m nango models` after the request.
//! The same emitters write the bindings' own answer types (`tools/typegen` feeds them core's
//! schemas), so there is one writer per language.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::error::{Error, Result};

mod command;
pub mod python;
pub mod rust;
pub mod typescript;

#[cfg(all(feature = "client", not(target_arch = "wasm32")))]
pub use command::run;
pub use command::{Command, Lang, Options, Report, USAGE, generate, parse_command, write};

/// A type of the model: an object with fields, or a name for another type (a string enum).
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The schema's name for it (a definition name, or `Parent` + field for a nested object).
    pub name: String,
    /// The description, if any.
    pub doc: Option<String>,
    /// What it is.
    pub kind: Kind,
}

/// The two kinds of [`TypeDef`].
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// An object. `open`: it keeps keys it does not name.
    Object {
        /// Its named keys.
        fields: Vec<Field>,
        /// Whether other keys may appear.
        open: bool,
    },
    /// Another name for a type (a string enum).
    Alias(Ty),
}

/// A field of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The wire name.
    pub name: String,
    /// The description.
    pub doc: Option<String>,
    /// The type.
    pub ty: Ty,
    /// Always present (else it may be left out).
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
    /// Another [`TypeDef`], by name.
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
            Ty::Union(_) => match self.without_null() {
                Some(only) => only.element(),
                None => self,
            },
            _ => self,
        }
    }

    /// For `T | null` (one member besides `null`), `T`.
    pub fn without_null(&self) -> Option<&Ty> {
        let Ty::Union(members) = self else {
            return None;
        };
        let mut rest = members.iter().filter(|member| **member != Ty::Null);
        match (rest.next(), rest.next()) {
            (Some(only), None) if members.contains(&Ty::Null) => Some(only),
            _ => None,
        }
    }

    /// Whether `null` is one of its values.
    pub fn is_nullable(&self) -> bool {
        match self {
            Ty::Null | Ty::Any => true,
            Ty::Union(members) => members.iter().any(Ty::is_nullable),
            _ => false,
        }
    }
}

/// How an emitter names the types a [`Ty::Ref`] points to, and finds their definitions.
pub trait Names {
    /// The name written for the type called `name` in the schema.
    fn name(&self, name: &str) -> String;
    /// The definition called `name`, if it is one of the written set.
    fn def(&self, name: &str) -> Option<&TypeDef>;
}

/// The reference name of a record's `_nango_metadata` type: each emitter writes the package's
/// own type for it (it is never defined by the schema).
pub const METADATA: &str = "NangoRecordMetadata";
/// The wire name of a record's metadata.
pub const METADATA_FIELD: &str = "_nango_metadata";

// ---------------------------------------------------------------- JSON Schema → TypeDef

fn pascal(text: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    out
}

/// Reads JSON Schema definitions into [`TypeDef`]s: the named definitions in their order, each
/// followed by the objects nested in it (named after their parent and field, e.g.
/// `TicketAssignee`). Total: a construct it does not know reads as [`Ty::Any`].
pub fn read_definitions<'a>(
    definitions: impl IntoIterator<Item = (&'a str, &'a Value)>,
) -> Vec<TypeDef> {
    let definitions: Vec<(&str, &Value)> = definitions.into_iter().collect();
    let mut reader = Reader {
        taken: definitions.iter().map(|(n, _)| (*n).to_owned()).collect(),
        out: Vec::new(),
    };
    for (name, schema) in definitions {
        reader.definition(name, schema);
    }
    reader.out
}

struct Reader {
    /// Every name given out, so a nested object never takes a definition's name.
    taken: BTreeSet<String>,
    out: Vec<TypeDef>,
}

impl Reader {
    fn definition(&mut self, name: &str, schema: &Value) {
        // Reserve the slot first so that the objects nested in it follow it.
        let slot = self.out.len();
        self.out.push(TypeDef {
            name: name.to_owned(),
            doc: description(schema),
            kind: Kind::Alias(Ty::Any),
        });
        // A named definition with `properties` is an object even when it names none.
        let kind = match schema.get("properties").and_then(Value::as_object) {
            Some(properties) => self.object(name, schema, properties),
            None => Kind::Alias(self.ty(schema, name)),
        };
        self.out[slot].kind = kind;
    }

    fn object(&mut self, name: &str, schema: &Value, properties: &Map<String, Value>) -> Kind {
        let required: BTreeSet<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let fields = properties
            .iter()
            .map(|(field, field_schema)| Field {
                name: field.clone(),
                doc: description(field_schema),
                ty: self.ty(field_schema, &format!("{name}{}", pascal(field))),
                required: required.contains(field.as_str()),
            })
            .collect();
        let open = matches!(schema.get("additionalProperties"), Some(Value::Bool(true)))
            || matches!(schema.get("additionalProperties"), Some(Value::Object(o)) if o.is_empty());
        Kind::Object { fields, open }
    }

    /// A nested object becomes a definition of its own, named from `hint`.
    fn nested(&mut self, hint: &str, schema: &Value, properties: &Map<String, Value>) -> Ty {
        let base = if hint.is_empty() { "Nested" } else { hint };
        let name = unique(base, "", &mut self.taken);
        let slot = self.out.len();
        self.out.push(TypeDef {
            name: name.clone(),
            doc: description(schema),
            kind: Kind::Object {
                fields: Vec::new(),
                open: false,
            },
        });
        let kind = self.object(&name, schema, properties);
        self.out[slot].kind = kind;
        Ty::Ref(name)
    }

    fn ty(&mut self, schema: &Value, hint: &str) -> Ty {
        let object = match schema {
            Value::Object(object) => object,
            // `true`, or anything that is not a schema.
            _ => return Ty::Any,
        };
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            let name = reference.rsplit('/').next().unwrap_or(reference);
            return with_nullable(object, Ty::Ref(name.to_owned()));
        }
        if let Some(values) = object.get("enum").and_then(Value::as_array) {
            return with_nullable(object, enum_ty(values));
        }
        if let Some(value) = object.get("const") {
            return enum_ty(std::slice::from_ref(value));
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(members) = object.get(key).and_then(Value::as_array) {
                let members: Vec<Ty> = members
                    .iter()
                    .enumerate()
                    .map(|(i, member)| {
                        let hint = if members.len() > 1 {
                            format!("{hint}{}", i + 1)
                        } else {
                            hint.to_owned()
                        };
                        self.ty(member, &hint)
                    })
                    .collect();
                return with_nullable(object, union(members));
            }
        }
        if let Some(members) = object.get("allOf").and_then(Value::as_array) {
            if let [only] = members.as_slice() {
                return self.ty(only, hint);
            }
            return Ty::Any;
        }
        let ty = match object.get("type") {
            Some(Value::String(name)) => self.typed(name, schema, hint),
            Some(Value::Array(names)) => {
                let members = names
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|name| self.typed(name, schema, hint))
                    .collect();
                union(members)
            }
            _ => match object_fields(schema) {
                Some(properties) => self.nested(hint, schema, properties),
                None => Ty::Any,
            },
        };
        with_nullable(object, ty)
    }

    fn typed(&mut self, name: &str, schema: &Value, hint: &str) -> Ty {
        match name {
            "string" => Ty::String,
            "integer" => Ty::Integer,
            "number" => Ty::Number,
            "boolean" => Ty::Boolean,
            "null" => Ty::Null,
            "array" => Ty::Array(Box::new(match schema.get("items") {
                Some(items) => self.ty(items, hint),
                None => Ty::Any,
            })),
            "object" => match object_fields(schema) {
                Some(properties) => self.nested(hint, schema, properties),
                None => Ty::Map(Box::new(match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) | Some(Value::Bool(true)) | None => Ty::Any,
                    Some(values) => self.ty(values, &format!("{hint}Value")),
                })),
            },
            _ => Ty::Any,
        }
    }
}

/// The `properties` of an object schema that names any (an object without properties is a map).
fn object_fields(schema: &Value) -> Option<&Map<String, Value>> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .filter(|properties| !properties.is_empty())
}

fn description(schema: &Value) -> Option<String> {
    let text = schema.get("description")?.as_str()?.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// OpenAPI's `nullable: true`.
fn with_nullable(object: &Map<String, Value>, ty: Ty) -> Ty {
    if object.get("nullable") == Some(&Value::Bool(true)) && !ty.is_nullable() {
        union(vec![ty, Ty::Null])
    } else {
        ty
    }
}

fn enum_ty(values: &[Value]) -> Ty {
    let mut strings = Vec::new();
    let mut others = Vec::new();
    for value in values {
        match value {
            Value::String(text) => strings.push(text.clone()),
            Value::Null => others.push(Ty::Null),
            Value::Bool(_) => others.push(Ty::Boolean),
            Value::Number(n) if n.is_i64() || n.is_u64() => others.push(Ty::Integer),
            Value::Number(_) => others.push(Ty::Number),
            _ => others.push(Ty::Any),
        }
    }
    let mut members = Vec::new();
    if !strings.is_empty() {
        members.push(Ty::Literals(strings));
    }
    members.extend(others);
    union(members)
}

/// One type from members: string-literal members merged, `[literals, string]` an open set,
/// duplicates dropped.
fn union(members: Vec<Ty>) -> Ty {
    let mut flat: Vec<Ty> = Vec::new();
    for member in members {
        match member {
            Ty::Union(inner) => flat.extend(inner),
            other => flat.push(other),
        }
    }
    // String literals together.
    let mut literals: Vec<String> = Vec::new();
    let mut rest: Vec<Ty> = Vec::new();
    let mut literal_at = None;
    for member in flat {
        match member {
            Ty::Literals(values) => {
                literal_at.get_or_insert(rest.len());
                for value in values {
                    if !literals.contains(&value) {
                        literals.push(value);
                    }
                }
            }
            other => {
                if !rest.contains(&other) {
                    rest.push(other);
                }
            }
        }
    }
    if let Some(at) = literal_at {
        if let Some(string) = rest.iter().position(|m| *m == Ty::String) {
            rest[string] = Ty::OpenLiterals(literals);
        } else {
            rest.insert(at.min(rest.len()), Ty::Literals(literals));
        }
    }
    match rest.len() {
        0 => Ty::Any,
        1 => rest.remove(0),
        _ => Ty::Union(rest),
    }
}

// ---------------------------------------------------------------- /scripts/config → models

/// The models of a `GET /scripts/config` answer: every definition its syncs carry (nested
/// objects included), and which of them are record models (a sync `returns` them).
#[derive(Debug, Clone, PartialEq)]
pub struct Models {
    /// Every type, record models first in the order the answer names them.
    pub defs: Vec<TypeDef>,
    /// The names of the record models (each has a `_nango_metadata` field of type [`METADATA`]).
    pub records: Vec<String>,
}

impl Models {
    /// Reads the answer of `GET /scripts/config` (`format=nango`). `integration`: only the syncs
    /// of this integration (its unique key). Errors (code `invalid_argument`, field `config` or
    /// `integration`) when the answer is not that shape or the integration is not in it.
    pub fn from_scripts_config(config: &Value, integration: Option<&str>) -> Result<Models> {
        let bad = |message: &str| Error::invalid_argument("config", message);
        let entries = match config {
            Value::Array(entries) => entries,
            Value::Object(object) if object.contains_key("data") => {
                return Err(bad(
                    "this is the `format=openai` answer; the models come with `format=nango`",
                ));
            }
            _ => {
                return Err(bad(
                    "expected the answer of GET /scripts/config: an array of integrations",
                ));
            }
        };
        let mut keys = Vec::new();
        let mut records: Vec<String> = Vec::new();
        let mut definitions: Vec<(String, Value)> = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            let key = entry
                .get("providerConfigKey")
                .and_then(Value::as_str)
                .ok_or_else(|| bad(&format!("entry {i} has no `providerConfigKey` string")))?;
            keys.push(key);
            if integration.is_some_and(|wanted| wanted != key) {
                continue;
            }
            let syncs = match entry.get("syncs") {
                None | Some(Value::Null) => continue,
                Some(Value::Array(syncs)) => syncs,
                Some(_) => return Err(bad(&format!("`syncs` of {key:?} is not an array"))),
            };
            for sync in syncs {
                let returns = sync.get("returns").and_then(Value::as_array);
                let schema_defs = sync
                    .get("json_schema")
                    .and_then(|schema| schema.get("definitions"))
                    .and_then(Value::as_object);
                for model in returns.into_iter().flatten().filter_map(Value::as_str) {
                    if !records.iter().any(|known| known == model) {
                        records.push(model.to_owned());
                    }
                }
                for (name, schema) in schema_defs.into_iter().flatten() {
                    if !definitions.iter().any(|(known, _)| known == name) {
                        definitions.push((name.clone(), schema.clone()));
                    }
                }
            }
        }
        if let Some(wanted) = integration
            && !keys.contains(&wanted)
        {
            let known = if keys.is_empty() {
                "none is configured".to_owned()
            } else {
                format!("the configured ones are {}", keys.join(", "))
            };
            return Err(Error::invalid_argument(
                "integration",
                format!("no integration {wanted:?} in the scripts config; {known}"),
            ));
        }
        // Record models first, in the order syncs name them, then the other definitions.
        definitions.sort_by_key(|(name, _)| {
            records
                .iter()
                .position(|record| record == name)
                .unwrap_or(usize::MAX)
        });
        let mut defs = read_definitions(definitions.iter().map(|(n, s)| (n.as_str(), s)));
        for record in &records {
            match defs.iter_mut().find(|def| &def.name == record) {
                Some(def) => add_metadata(def),
                // A model deployed without a schema (an older CLI): its keys are not known.
                None => {
                    let mut def = TypeDef {
                        name: record.clone(),
                        doc: Some("Deployed without a schema: its fields are not known.".into()),
                        kind: Kind::Object {
                            fields: Vec::new(),
                            open: true,
                        },
                    };
                    add_metadata(&mut def);
                    defs.push(def);
                }
            }
        }
        Ok(Models { defs, records })
    }

    /// The definition called `name`.
    pub fn def(&self, name: &str) -> Option<&TypeDef> {
        self.defs.iter().find(|def| def.name == name)
    }

    /// Whether `name` is a record model.
    pub fn is_record(&self, name: &str) -> bool {
        self.records.iter().any(|record| record == name)
    }
}

fn add_metadata(def: &mut TypeDef) {
    let field = Field {
        name: METADATA_FIELD.to_owned(),
        doc: Some("Nango's bookkeeping of this record: its cursor, last action, deletion.".into()),
        ty: Ty::Ref(METADATA.to_owned()),
        required: true,
    };
    match &mut def.kind {
        Kind::Object { fields, .. } => {
            fields.retain(|f| f.name != METADATA_FIELD);
            fields.push(field);
        }
        Kind::Alias(_) => {
            def.kind = Kind::Object {
                fields: vec![field],
                open: true,
            };
        }
    }
}

/// Names made safe for a language: each schema name mapped once to a unique identifier.
pub(crate) fn unique_names(
    defs: &[TypeDef],
    reserved: &[&str],
    make: impl Fn(&str) -> String,
) -> BTreeMap<String, String> {
    let mut used: BTreeSet<String> = reserved.iter().map(|r| (*r).to_owned()).collect();
    let mut names = BTreeMap::new();
    for def in defs {
        names.insert(def.name.clone(), unique(&make(&def.name), "", &mut used));
    }
    names
}

/// `base`, or `base` + `separator` + 2, 3, … if taken; the result is marked as used.
pub(crate) fn unique(base: &str, separator: &str, used: &mut BTreeSet<String>) -> String {
    let mut name = base.to_owned();
    let mut n = 2;
    while used.contains(&name) {
        name = format!("{base}{separator}{n}");
        n += 1;
    }
    used.insert(name.clone());
    name
}

/// An identifier from any text: ASCII letters, digits and `_` kept, anything else `_`, a
/// leading digit prefixed with `_`.
pub(crate) fn identifier(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

#[cfg(test)]
mod tests;
