//! Python: a `TypedDict` per object (or a pydantic model, [`pydantic_file`]), an alias per string
//! enum.

use std::collections::{BTreeMap, BTreeSet};

use super::{Kind, METADATA, Models, Names, Ty, TypeDef, identifier, unique, unique_names};

/// The class attribute naming a generated record class's model (its name in Nango, which the
/// class name may differ from). `records(model=Ticket)` reads it.
pub const MODEL_ATTRIBUTE: &str = "__nango_model__";

/// A string literal in double quotes.
pub fn literal(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

fn literals(values: &[String]) -> String {
    values
        .iter()
        .map(|v| literal(v))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The Python of a type expression. Aliases are written inline: stubtest cannot compare a
/// module-level `Literal` alias with the runtime object.
pub fn ty(names: &dyn Names, ty: &Ty) -> String {
    match ty {
        Ty::Any => "Any".into(),
        Ty::Null => "None".into(),
        Ty::String => "str".into(),
        Ty::Integer => "int".into(),
        Ty::Number => "float".into(),
        Ty::Boolean => "bool".into(),
        Ty::Literals(values) => format!("Literal[{}]", literals(values)),
        Ty::OpenLiterals(values) => format!("Union[Literal[{}], str]", literals(values)),
        Ty::Ref(name) => match names.def(name).map(|def| &def.kind) {
            Some(Kind::Alias(alias)) => self::ty(names, alias),
            _ => names.name(name),
        },
        Ty::Array(inner) => format!("List[{}]", self::ty(names, inner)),
        Ty::Map(inner) => format!("Dict[str, {}]", self::ty(names, inner)),
        Ty::Union(members) => {
            let rest: Vec<&Ty> = members.iter().filter(|m| **m != Ty::Null).collect();
            let inner = if rest.len() == 1 {
                self::ty(names, rest[0])
            } else {
                format!(
                    "Union[{}]",
                    rest.iter()
                        .map(|member| self::ty(names, member))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            if rest.len() < members.len() {
                format!("Optional[{inner}]")
            } else {
                inner
            }
        }
    }
}

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Whether `name` can be a class attribute as written (an identifier, not a keyword).
pub fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && !KEYWORDS.contains(&name)
}

fn comment(out: &mut String, indent: &str, prefix: &str, text: Option<&str>) {
    if let Some(text) = text {
        for line in text.lines() {
            out.push_str(format!("{indent}{prefix} {line}").trim_end());
            out.push('\n');
        }
    }
}

fn docstring(out: &mut String, doc: &str) {
    let doc = doc.replace("\"\"\"", "\\\"\\\"\\\"");
    let doc = if doc.ends_with('"') {
        format!("{doc} ")
    } else {
        doc
    };
    out.push_str(&format!(
        "    \"\"\"{}\"\"\"\n",
        doc.replace('\n', "\n    ")
    ));
}

/// How [`declaration`] writes keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Totality {
    /// `total=False`: every key may be missing (the bindings' open answer types).
    AllOptional,
    /// Required keys required, the others `NotRequired[...]` (records).
    AsSchema,
}

/// One `TypedDict` (or, for an alias, `Name = type`). Class syntax when every key is an
/// identifier, else the functional syntax (its types quoted with [`Totality::AsSchema`], so
/// that they may name classes written further down).
pub fn declaration(names: &dyn Names, out: &mut String, def: &TypeDef, totality: Totality) {
    let name = names.name(&def.name);
    let key_ty = |field: &super::Field| {
        let written = ty(names, &field.ty);
        match totality {
            Totality::AsSchema if !field.required => format!("NotRequired[{written}]"),
            _ => written,
        }
    };
    let total = match totality {
        Totality::AllOptional => ", total=False",
        Totality::AsSchema => "",
    };
    match &def.kind {
        Kind::Alias(alias) => {
            comment(out, "", "#:", def.doc.as_deref());
            out.push_str(&format!("{name} = {}\n", ty(names, alias)));
        }
        Kind::Object { fields, .. } if fields.iter().all(|f| is_identifier(&f.name)) => {
            out.push_str(&format!("class {name}(TypedDict{total}):\n"));
            docstring(out, def.doc.as_deref().unwrap_or(""));
            for field in fields {
                out.push('\n');
                comment(out, "    ", "#:", field.doc.as_deref());
                out.push_str(&format!("    {}: {}\n", field.name, key_ty(field)));
            }
        }
        Kind::Object { fields, .. } => {
            comment(out, "", "#", def.doc.as_deref());
            out.push_str(&format!("{name} = TypedDict(\n    \"{name}\",\n    {{\n"));
            for field in fields {
                let written = key_ty(field);
                let written = match totality {
                    Totality::AsSchema => literal(&written),
                    Totality::AllOptional => written,
                };
                out.push_str(&format!("        {}: {written},\n", literal(&field.name)));
            }
            let total = match totality {
                Totality::AllOptional => "    total=False,\n",
                Totality::AsSchema => "",
            };
            out.push_str(&format!("    }},\n{total})\n"));
        }
    }
}

/// Names the generated modules use, which no class may shadow.
const TAKEN: &[&str] = &[
    "Any",
    "ClassVar",
    "ConfigDict",
    "Dict",
    "Field",
    "List",
    "Literal",
    "NotRequired",
    "Optional",
    "TypedDict",
    "Union",
    "BaseModel",
    "NangoMetadata",
    METADATA,
    "annotations",
    "bool",
    "dict",
    "float",
    "int",
    "list",
    "str",
    "sys",
    "setattr",
];

struct ModelNames<'a> {
    models: &'a Models,
    names: BTreeMap<String, String>,
    metadata: &'static str,
}

impl Names for ModelNames<'_> {
    fn name(&self, name: &str) -> String {
        match self.names.get(name) {
            Some(written) => written.clone(),
            None if name == METADATA => self.metadata.to_owned(),
            None => "Any".to_owned(),
        }
    }

    fn def(&self, name: &str) -> Option<&TypeDef> {
        self.models.def(name)
    }
}

fn names<'a>(models: &'a Models, metadata: &'static str) -> ModelNames<'a> {
    let names = unique_names(&models.defs, TAKEN, |name| {
        let id = identifier(name);
        if KEYWORDS.contains(&id.as_str()) || TAKEN.contains(&id.as_str()) {
            format!("{id}_")
        } else {
            id
        }
    });
    ModelNames {
        models,
        names,
        metadata,
    }
}

/// The definitions written as classes (aliases are written inline), and their class names.
fn classes<'a>(models: &'a Models, names: &ModelNames<'_>) -> (Vec<&'a TypeDef>, Vec<String>) {
    let written: Vec<&TypeDef> = models
        .defs
        .iter()
        .filter(|def| !matches!(def.kind, Kind::Alias(_)))
        .collect();
    let exported = written.iter().map(|def| names.name(&def.name)).collect();
    (written, exported)
}

fn all(out: &mut String, names: &[String]) {
    let mut sorted = names.to_vec();
    sorted.sort();
    out.push_str("__all__ = [\n");
    for name in sorted {
        out.push_str(&format!("    \"{name}\",\n"));
    }
    out.push_str("]\n");
}

/// The file `nango-rs models --lang python` writes: `TypedDict`s, record keys required as the
/// schema says, `_nango_metadata` typed `nango.types.NangoMetadata`, and each record class
/// carrying its model name in [`MODEL_ATTRIBUTE`] for `records(model=Ticket)`.
pub fn typed_dict_file(models: &Models) -> String {
    let names = names(models, "NangoMetadata");
    let mut out = String::from(
        "# Generated by `nango-rs models` from GET /scripts/config: do not edit, run it again.\n\
         \"\"\"Typed records: pass a class as ``model=`` to ``Nango.records`` or ``list_records``.\"\"\"\n\
         \n\
         from __future__ import annotations\n\
         \n\
         import sys\n\
         from typing import Any, Dict, List, Optional, Union\n\
         \n\
         if sys.version_info >= (3, 11):\n    from typing import Literal, NotRequired, TypedDict\n\
         else:\n    from typing_extensions import Literal, NotRequired, TypedDict\n\
         \n\
         from nango.types import NangoMetadata\n\n",
    );
    let (written, exported) = classes(models, &names);
    all(&mut out, &exported);
    for def in written {
        out.push_str("\n\n");
        declaration(&names, &mut out, def, Totality::AsSchema);
    }
    let records: Vec<&String> = models
        .records
        .iter()
        .filter(|record| models.def(record).is_some())
        .collect();
    if !records.is_empty() {
        out.push_str("\n\n# The model name `records(model=...)` sends for each record class.\n");
        for record in records {
            out.push_str(&format!(
                "setattr({}, {}, {})\n",
                names.name(record),
                literal(MODEL_ATTRIBUTE),
                literal(record)
            ));
        }
    }
    out
}

/// Pydantic's `BaseModel` attributes a field must not be called.
const BASE_MODEL: &[&str] = &[
    "model_config",
    "model_fields",
    "model_computed_fields",
    "model_extra",
    "model_fields_set",
    "copy",
    "dict",
    "json",
    "schema",
    "schema_json",
    "construct",
    "validate",
    "fields",
    "parse_obj",
    "parse_raw",
    "parse_file",
    "from_orm",
    "update_forward_refs",
];

fn attribute(name: &str, used: &mut BTreeSet<String>) -> String {
    let mut attribute = identifier(name).trim_start_matches('_').to_owned();
    if attribute.is_empty() || attribute.starts_with(|c: char| c.is_ascii_digit()) {
        attribute.insert(0, 'f');
    }
    if KEYWORDS.contains(&attribute.as_str()) || BASE_MODEL.contains(&attribute.as_str()) {
        attribute.push('_');
    }
    unique(&attribute, "_", used)
}

fn pydantic_class(names: &dyn Names, out: &mut String, def: &TypeDef, model: Option<&str>) {
    let name = names.name(&def.name);
    let Kind::Object { fields, open } = &def.kind else {
        return;
    };
    out.push_str(&format!("class {name}(BaseModel):\n"));
    docstring(out, def.doc.as_deref().unwrap_or(""));
    let extra = if *open { "allow" } else { "ignore" };
    out.push_str(&format!(
        "\n    model_config = ConfigDict(extra=\"{extra}\", populate_by_name=True)\n"
    ));
    if let Some(model) = model {
        out.push_str(&format!(
            "    {MODEL_ATTRIBUTE}: ClassVar[str] = {}\n",
            literal(model)
        ));
    }
    let mut used = BTreeSet::new();
    for field in fields {
        out.push('\n');
        comment(out, "    ", "#:", field.doc.as_deref());
        let attribute = attribute(&field.name, &mut used);
        let mut written = ty(names, &field.ty);
        let optional = !field.required;
        if optional && !field.ty.is_nullable() {
            written = format!("Optional[{written}]");
        }
        let default = match (attribute == field.name, optional) {
            (true, false) => String::new(),
            (true, true) => " = None".to_owned(),
            (false, false) => format!(" = Field(alias={})", literal(&field.name)),
            (false, true) => format!(" = Field(default=None, alias={})", literal(&field.name)),
        };
        out.push_str(&format!("    {attribute}: {written}{default}\n"));
    }
}

/// `_nango_metadata` as a pydantic model (pydantic cannot check a `typing.TypedDict` on every
/// Python version, so the package's `NangoMetadata` is not reused here).
fn metadata_model() -> TypeDef {
    let field = |name: &str, ty: Ty, required: bool| super::Field {
        name: name.to_owned(),
        doc: None,
        ty,
        required,
    };
    let nullable = || Ty::Union(vec![Ty::String, Ty::Null]);
    TypeDef {
        name: METADATA.to_owned(),
        doc: Some(
            "A record's ``_nango_metadata``: when it was first seen and last changed, how, and its cursor."
                .into(),
        ),
        kind: Kind::Object {
            fields: vec![
                field("first_seen_at", Ty::String, true),
                field("last_modified_at", Ty::String, true),
                field(
                    "last_action",
                    Ty::OpenLiterals(vec!["ADDED".into(), "UPDATED".into(), "DELETED".into()]),
                    true,
                ),
                field("deleted_at", nullable(), false),
                field("pruned_at", nullable(), false),
                field("cursor", Ty::String, true),
            ],
            open: true,
        },
    }
}

/// The file `nango-rs models --lang python --pydantic` writes: a pydantic v2 `BaseModel` per
/// object, each record model with its model name in [`MODEL_ATTRIBUTE`] (a `ClassVar`).
pub fn pydantic_file(models: &Models) -> String {
    let names = names(models, METADATA);
    let mut out = String::from(
        "# Generated by `nango-rs models --pydantic` from GET /scripts/config: do not edit, run it again.\n\
         \"\"\"Typed records as pydantic models: pass a class as ``model=`` to ``Nango.records``.\"\"\"\n\
         \n\
         from __future__ import annotations\n\
         \n\
         from typing import Any, ClassVar, Dict, List, Literal, Optional, Union\n\
         \n\
         from pydantic import BaseModel, ConfigDict, Field\n\n",
    );
    let (written, mut exported) = classes(models, &names);
    exported.push(METADATA.to_owned());
    all(&mut out, &exported);
    let metadata = metadata_model();
    out.push_str("\n\n");
    pydantic_class(&names, &mut out, &metadata, None);
    for def in &written {
        out.push_str("\n\n");
        let model = models.is_record(&def.name).then_some(def.name.as_str());
        pydantic_class(&names, &mut out, def, model);
    }
    out.push_str("\n\n# Resolve the references between the classes above.\n");
    for name in &exported {
        out.push_str(&format!("{name}.model_rebuild()\n"));
    }
    out
}
