//! Rust: a struct with serde derives per object, an enum per closed set of strings.
//!
//! Record structs carry `_nango_metadata` as [`crate::records::NangoMetadata`] and implement
//! [`crate::records::RecordCursor`], so `Nango::records::<Ticket>()` and
//! `Nango::list_records::<Ticket>()` decode straight into them.

use std::collections::{BTreeMap, BTreeSet};

use super::{Kind, METADATA, Models, Names, Ty, TypeDef, unique, unique_names};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Names the generated code uses, which no type may take.
const TAKEN: &[&str] = &[
    "String",
    "Vec",
    "Option",
    "Box",
    "BTreeMap",
    "Value",
    "Map",
    "Serialize",
    "Deserialize",
    "NangoMetadata",
    METADATA,
    "Some",
    "None",
    "Ok",
    "Err",
    "Result",
];

/// `snake_case` of any text (`createdAt` → `created_at`, `first-name` → `first_name`).
pub fn snake(text: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1);
            let boundary = prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(|p| p.is_ascii_uppercase())
                    && next.is_some_and(|n| n.is_ascii_lowercase()));
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() || *c == '_' {
            out.push(*c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out
}

/// `PascalCase` of any text (`in-progress` → `InProgress`); `V` before a leading digit, `Empty`
/// for nothing.
pub fn pascal(text: &str) -> String {
    let mut out = super::pascal(text);
    if out.is_empty() {
        out = "Empty".into();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    if out == "Self" {
        out.push('_');
    }
    out
}

/// A field name: snake_case, a keyword raw (`r#type`) or, where it cannot be, suffixed (`self_`).
pub fn field_name(wire: &str) -> String {
    let mut name = snake(wire);
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if name.chars().all(|c| c == '_') {
        name.push_str("field");
    }
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

struct RustNames<'a> {
    models: &'a Models,
    names: BTreeMap<String, String>,
    /// Closed string sets written as enums: (type name, values).
    enums: BTreeMap<Vec<String>, String>,
}

impl Names for RustNames<'_> {
    fn name(&self, name: &str) -> String {
        match self.names.get(name) {
            Some(written) => written.clone(),
            None if name == METADATA => "nango::records::NangoMetadata".to_owned(),
            None => "serde_json::Value".to_owned(),
        }
    }

    fn def(&self, name: &str) -> Option<&TypeDef> {
        self.models.def(name)
    }
}

impl RustNames<'_> {
    /// The Rust of a type expression; `owner`: the struct it appears in (a field of its own
    /// type is boxed).
    fn ty(&self, ty: &Ty, owner: &str) -> String {
        match ty {
            Ty::Any | Ty::Null => "serde_json::Value".into(),
            Ty::String | Ty::OpenLiterals(_) => "String".into(),
            Ty::Integer => "i64".into(),
            Ty::Number => "f64".into(),
            Ty::Boolean => "bool".into(),
            Ty::Literals(values) => match self.enums.get(values) {
                Some(name) => name.clone(),
                None => "String".into(),
            },
            Ty::Ref(name) => match self.models.def(name).map(|def| &def.kind) {
                Some(Kind::Alias(alias)) => self.ty(alias, owner),
                _ if name == owner => format!("Box<{}>", self.name(name)),
                _ => self.name(name),
            },
            Ty::Array(inner) => format!("Vec<{}>", self.ty(inner, "")),
            Ty::Map(inner) => format!("std::collections::BTreeMap<String, {}>", self.ty(inner, "")),
            Ty::Union(_) => match ty.without_null() {
                Some(only) => format!("Option<{}>", self.ty(only, owner)),
                None => "serde_json::Value".into(),
            },
        }
    }
}

fn doc(out: &mut String, indent: &str, text: Option<&str>) {
    if let Some(text) = text {
        for line in text.lines() {
            out.push_str(format!("{indent}/// {line}").trim_end());
            out.push('\n');
        }
    }
}

fn rust_string(text: &str) -> String {
    format!("{text:?}")
}

/// Every closed string set that appears in a field, in order of appearance.
fn literal_sets(models: &Models) -> Vec<(String, Vec<String>)> {
    fn visit(ty: &Ty, hint: &str, out: &mut Vec<(String, Vec<String>)>) {
        match ty {
            Ty::Literals(values) if !out.iter().any(|(_, known)| known == values) => {
                out.push((hint.to_owned(), values.clone()));
            }
            Ty::Array(inner) | Ty::Map(inner) => visit(inner, hint, out),
            Ty::Union(_) => {
                if let Some(only) = ty.without_null() {
                    visit(only, hint, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for def in &models.defs {
        match &def.kind {
            Kind::Object { fields, .. } => {
                for field in fields {
                    visit(
                        &field.ty,
                        &format!("{}{}", def.name, pascal(&field.name)),
                        &mut out,
                    );
                }
            }
            Kind::Alias(ty) => visit(ty, &def.name, &mut out),
        }
    }
    out
}

fn names(models: &Models) -> RustNames<'_> {
    let names = unique_names(&models.defs, TAKEN, |name| {
        let id = pascal(name);
        if TAKEN.contains(&id.as_str()) {
            format!("{id}_")
        } else {
            id
        }
    });
    let mut used: BTreeSet<String> = names.values().cloned().collect();
    used.extend(TAKEN.iter().map(|t| (*t).to_owned()));
    let mut enums = BTreeMap::new();
    for (hint, values) in literal_sets(models) {
        enums.insert(values, unique(&pascal(&hint), "", &mut used));
    }
    RustNames {
        models,
        names,
        enums,
    }
}

fn write_enum(out: &mut String, name: &str, values: &[String]) {
    out.push_str("/// One of the values the schema lists.\n");
    out.push_str(
        "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]\n",
    );
    out.push_str(&format!("pub enum {name} {{\n"));
    let mut used = BTreeSet::new();
    for value in values {
        let variant = unique(&pascal(value), "", &mut used);
        out.push_str(&format!(
            "    /// `{}`\n    #[serde(rename = {})]\n    {variant},\n",
            value.replace('`', "'"),
            rust_string(value)
        ));
    }
    out.push_str("}\n");
}

fn write_struct(names: &RustNames<'_>, out: &mut String, def: &TypeDef) {
    let Kind::Object { fields, open } = &def.kind else {
        return;
    };
    let name = names.name(&def.name);
    doc(out, "", def.doc.as_deref());
    out.push_str("#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]\n");
    out.push_str(&format!("pub struct {name} {{\n"));
    // The metadata's and the open object's fields keep their names; others step aside.
    let mut used: BTreeSet<String> = BTreeSet::from(["nango_metadata".to_owned()]);
    if *open {
        used.insert("extra".to_owned());
    }
    for field in fields {
        doc(out, "    ", field.doc.as_deref());
        let rust = if field.name == super::METADATA_FIELD {
            "nango_metadata".to_owned()
        } else {
            unique(&field_name(&field.name), "_", &mut used)
        };
        let mut written = names.ty(&field.ty, &def.name);
        let mut attributes = Vec::new();
        if rust.trim_start_matches("r#") != field.name {
            attributes.push(format!("rename = {}", rust_string(&field.name)));
        }
        if !field.required {
            if !written.starts_with("Option<") && written != "serde_json::Value" {
                written = format!("Option<{written}>");
            }
            attributes.push("default".to_owned());
            if written.starts_with("Option<") {
                attributes.push("skip_serializing_if = \"Option::is_none\"".to_owned());
            }
        }
        if !attributes.is_empty() {
            out.push_str(&format!("    #[serde({})]\n", attributes.join(", ")));
        }
        out.push_str(&format!("    pub {rust}: {written},\n"));
    }
    if *open {
        out.push_str("    /// Keys the schema does not name.\n    #[serde(flatten)]\n");
        out.push_str("    pub extra: serde_json::Map<String, serde_json::Value>,\n");
    }
    out.push_str("}\n");
}

/// The file `nango-rs models --lang rust` writes (a module: `mod models;`). It needs `serde`
/// (with `derive`), `serde_json` and `nango` as dependencies.
pub fn models_file(models: &Models) -> String {
    let names = names(models);
    let mut out = String::from(
        "// Generated by `nango-rs models --lang rust` from GET /scripts/config: do not edit, run it again.\n\
         // Use with `nango.records::<Ticket>(ListRecordsParams::new(key, connection, Ticket::MODEL))`.\n",
    );
    for def in &models.defs {
        if !matches!(def.kind, Kind::Object { .. }) {
            continue;
        }
        out.push('\n');
        write_struct(&names, &mut out, def);
        if models.is_record(&def.name) {
            let name = names.name(&def.name);
            out.push_str(&format!(
                "\nimpl {name} {{\n    /// The model's name in Nango (the `model` argument of the records calls).\n    \
                 pub const MODEL: &str = {};\n}}\n",
                rust_string(&def.name)
            ));
            out.push_str(&format!(
                "\nimpl nango::records::RecordCursor for {name} {{\n    \
                 fn record_cursor(&self) -> Option<String> {{\n        \
                 Some(self.nango_metadata.cursor.clone())\n    }}\n}}\n"
            ));
        }
    }
    let mut enums: Vec<(&Vec<String>, &String)> = names.enums.iter().collect();
    enums.sort_by_key(|(_, name)| *name);
    for (values, name) in enums {
        out.push('\n');
        write_enum(&mut out, name, values);
    }
    out
}
