//! TypeScript: one `export interface` per object, `export type` per alias.

use std::collections::BTreeMap;

use super::{Kind, METADATA, Models, Names, Ty, TypeDef, identifier, unique_names};

/// A string literal in single quotes.
pub fn literal(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The TypeScript of a type expression.
pub fn ty(names: &dyn Names, ty: &Ty) -> String {
    match ty {
        Ty::Any => "any".into(),
        Ty::Null => "null".into(),
        Ty::String => "string".into(),
        Ty::Integer | Ty::Number => "number".into(),
        Ty::Boolean => "boolean".into(),
        Ty::Literals(values) => values
            .iter()
            .map(|v| literal(v))
            .collect::<Vec<_>>()
            .join(" | "),
        // `(string & {})` keeps the known values in editors' completion.
        Ty::OpenLiterals(values) => {
            let mut parts: Vec<String> = values.iter().map(|v| literal(v)).collect();
            parts.push("(string & {})".into());
            parts.join(" | ")
        }
        Ty::Ref(name) => names.name(name),
        Ty::Array(inner) => match **inner {
            Ty::Union(_) | Ty::Literals(_) | Ty::OpenLiterals(_) => {
                format!("Array<{}>", self::ty(names, inner))
            }
            _ => format!("{}[]", self::ty(names, inner)),
        },
        Ty::Map(inner) => format!("Record<string, {}>", self::ty(names, inner)),
        Ty::Union(members) => members
            .iter()
            .map(|member| self::ty(names, member))
            .collect::<Vec<_>>()
            .join(" | "),
    }
}

fn doc(out: &mut String, indent: &str, text: Option<&str>) {
    let Some(text) = text else { return };
    // A `*/` in a description would end the comment.
    let text = text.replace("*/", "*\\/");
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() == 1 {
        out.push_str(&format!("{indent}/** {} */\n", lines[0]));
    } else {
        out.push_str(&format!("{indent}/**\n"));
        for line in lines {
            out.push_str(&format!("{indent} * {line}\n").replace(" * \n", " *\n"));
        }
        out.push_str(&format!("{indent} */\n"));
    }
}

/// A property key: bare when it is an identifier, else quoted.
pub fn key(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && !name.starts_with(|c: char| c.is_ascii_digit())
    {
        name.to_owned()
    } else {
        literal(name)
    }
}

/// One declaration (with its doc comment).
pub fn declaration(names: &dyn Names, out: &mut String, def: &TypeDef) {
    let name = names.name(&def.name);
    doc(out, "", def.doc.as_deref());
    match &def.kind {
        Kind::Alias(alias) => out.push_str(&format!("export type {name} = {}\n", ty(names, alias))),
        Kind::Object { fields, open } => {
            out.push_str(&format!("export interface {name} {{\n"));
            for field in fields {
                doc(out, "  ", field.doc.as_deref());
                let optional = if field.required { "" } else { "?" };
                out.push_str(&format!(
                    "  {}{optional}: {}\n",
                    key(&field.name),
                    ty(names, &field.ty)
                ));
            }
            if *open {
                out.push_str("  /** Keys this version does not name. */\n  [key: string]: any\n");
            }
            out.push_str("}\n");
        }
    }
}

/// Declarations one after the other, a blank line between them.
pub fn declarations<'a>(names: &dyn Names, defs: impl IntoIterator<Item = &'a TypeDef>) -> String {
    let mut out = String::new();
    for (i, def) in defs.into_iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        declaration(names, &mut out, def);
    }
    out
}

/// Words that cannot name a type (TypeScript's reserved words and its built-in type names).
const RESERVED: &[&str] = &[
    "any",
    "bigint",
    "boolean",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "implements",
    "import",
    "in",
    "instanceof",
    "interface",
    "let",
    "never",
    "new",
    "null",
    "number",
    "object",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "static",
    "string",
    "super",
    "switch",
    "symbol",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "undefined",
    "unknown",
    "var",
    "void",
    "while",
    "with",
    "yield",
    "Array",
    "Record",
    "Promise",
    "NangoModels",
    METADATA,
];

struct ModelNames<'a> {
    models: &'a Models,
    names: BTreeMap<String, String>,
}

impl Names for ModelNames<'_> {
    fn name(&self, name: &str) -> String {
        match self.names.get(name) {
            Some(written) => written.clone(),
            None if name == METADATA => METADATA.to_owned(),
            // A reference to a definition the answer does not carry.
            None => "any".to_owned(),
        }
    }

    fn def(&self, name: &str) -> Option<&TypeDef> {
        self.models.def(name)
    }
}

/// The type names of the models in TypeScript.
fn names(models: &Models) -> ModelNames<'_> {
    let names = unique_names(&models.defs, RESERVED, |name| {
        let id = identifier(name);
        if RESERVED.contains(&id.as_str()) {
            format!("{id}_")
        } else {
            id
        }
    });
    ModelNames { models, names }
}

/// The file `nango-rs models --lang ts` writes.
pub fn models_file(models: &Models) -> String {
    let names = names(models);
    let mut out = String::from(
        "// Generated by `nango-rs models` from GET /scripts/config: do not edit, run it again.\n\
         // Use with `nango.records<Ticket>({ ..., model: 'Ticket' })` or `listRecords<Ticket>(...)`.\n",
    );
    out.push_str("import type { NangoRecordMetadata } from '@nango-rs/node'\n\n");
    out.push_str(&declarations(&names, &models.defs));
    out.push_str("\n/** Every record model by its name in Nango (the `model` argument). */\n");
    out.push_str("export interface NangoModels {\n");
    for record in &models.records {
        out.push_str(&format!("  {}: {}\n", key(record), names.name(record)));
    }
    out.push_str("}\n");
    out
}
