//! The TypeScript block: one `export interface` per object, `export type` per alias.

use crate::{Kind, Language, Model, Ty, TypeDef};

fn literal(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn ty(model: &Model, ty: &Ty) -> String {
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
        Ty::Ref(name) => model
            .name_in(name, Language::TypeScript)
            .unwrap_or_else(|| name.clone()),
        Ty::Array(inner) => match **inner {
            Ty::Union(_) | Ty::Literals(_) | Ty::OpenLiterals(_) => {
                format!("Array<{}>", self::ty(model, inner))
            }
            _ => format!("{}[]", self::ty(model, inner)),
        },
        Ty::Map(inner) => format!("Record<string, {}>", self::ty(model, inner)),
        Ty::Union(members) => members
            .iter()
            .map(|member| self::ty(model, member))
            .collect::<Vec<_>>()
            .join(" | "),
    }
}

fn doc(out: &mut String, indent: &str, text: Option<&str>) {
    let Some(text) = text else { return };
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

fn key(name: &str) -> String {
    if name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && !name.starts_with(|c: char| c.is_ascii_digit())
    {
        name.to_owned()
    } else {
        literal(name)
    }
}

fn def(model: &Model, out: &mut String, def: &TypeDef) {
    let name = model
        .name_in(&def.name, Language::TypeScript)
        .unwrap_or_else(|| def.name.clone());
    doc(out, "", def.doc.as_deref());
    match &def.kind {
        Kind::Alias(alias) => out.push_str(&format!("export type {name} = {}\n", ty(model, alias))),
        Kind::Object { fields, open } => {
            out.push_str(&format!("export interface {name} {{\n"));
            for field in fields {
                doc(out, "  ", field.doc.as_deref());
                let optional = if field.required { "" } else { "?" };
                out.push_str(&format!(
                    "  {}{optional}: {}\n",
                    key(&field.name),
                    ty(model, &field.ty)
                ));
            }
            if *open {
                out.push_str("  /** Keys this version does not name. */\n  [key: string]: any\n");
            }
            out.push_str("}\n");
        }
    }
}

/// The block between the markers of `header.d.ts`.
pub fn typescript(model: &Model) -> String {
    let mut out = String::new();
    for (i, written) in model.written(Language::TypeScript).into_iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        def(model, &mut out, written);
    }
    out
}
