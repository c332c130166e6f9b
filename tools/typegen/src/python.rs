//! The Python module: one `TypedDict` (`total=False`) per object, an alias per string enum.

use crate::{Kind, Language, Model, Ty, TypeDef};

fn literal(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

fn ty(model: &Model, ty: &Ty) -> String {
    match ty {
        Ty::Any => "Any".into(),
        Ty::Null => "None".into(),
        Ty::String => "str".into(),
        Ty::Integer => "int".into(),
        Ty::Number => "float".into(),
        Ty::Boolean => "bool".into(),
        Ty::Literals(values) => format!(
            "Literal[{}]",
            values
                .iter()
                .map(|v| literal(v))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Ty::OpenLiterals(values) => format!(
            "Union[Literal[{}], str]",
            values
                .iter()
                .map(|v| literal(v))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        // Aliases are written inline: stubtest cannot compare a module-level `Literal` alias
        // with the runtime object.
        Ty::Ref(name) => match model.def(name).map(|def| &def.kind) {
            Some(Kind::Alias(alias)) => self::ty(model, alias),
            _ => model
                .name_in(name, Language::Python)
                .unwrap_or_else(|| name.clone()),
        },
        Ty::Array(inner) => format!("List[{}]", self::ty(model, inner)),
        Ty::Map(inner) => format!("Dict[str, {}]", self::ty(model, inner)),
        Ty::Union(members) => {
            let rest: Vec<&Ty> = members.iter().filter(|m| **m != Ty::Null).collect();
            let inner = if rest.len() == 1 {
                self::ty(model, rest[0])
            } else {
                format!(
                    "Union[{}]",
                    rest.iter()
                        .map(|member| self::ty(model, member))
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

fn is_identifier(name: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
        "try", "while", "with", "yield",
    ];
    name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
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

fn def(model: &Model, out: &mut String, def: &TypeDef) {
    let name = model
        .name_in(&def.name, Language::Python)
        .unwrap_or_else(|| def.name.clone());
    match &def.kind {
        Kind::Alias(alias) => {
            comment(out, "", "#:", def.doc.as_deref());
            out.push_str(&format!("{name} = {}\n", ty(model, alias)));
        }
        Kind::Object { fields, .. } if fields.iter().all(|f| is_identifier(&f.name)) => {
            out.push_str(&format!("class {name}(TypedDict, total=False):\n"));
            let doc = def.doc.as_deref().unwrap_or("");
            out.push_str(&format!(
                "    \"\"\"{}\"\"\"\n",
                doc.replace('\n', "\n    ")
            ));
            for field in fields {
                out.push('\n');
                comment(out, "    ", "#:", field.doc.as_deref());
                out.push_str(&format!("    {}: {}\n", field.name, ty(model, &field.ty)));
            }
        }
        Kind::Object { fields, .. } => {
            comment(out, "", "#", def.doc.as_deref());
            out.push_str(&format!("{name} = TypedDict(\n    \"{name}\",\n    {{\n"));
            for field in fields {
                out.push_str(&format!(
                    "        {}: {},\n",
                    literal(&field.name),
                    ty(model, &field.ty)
                ));
            }
            out.push_str("    },\n    total=False,\n)\n");
        }
    }
}

/// The whole of `_generated_types.py`.
pub fn python(model: &Model) -> String {
    let written: Vec<&TypeDef> = model
        .written(Language::Python)
        .into_iter()
        .filter(|def| !matches!(def.kind, Kind::Alias(_)))
        .collect();
    let names: Vec<String> = written
        .iter()
        .map(|d| {
            model
                .name_in(&d.name, Language::Python)
                .unwrap_or_else(|| d.name.clone())
        })
        .collect();
    let mut out = String::from(
        "# Generated by tools/typegen from the Rust core's serde types: do not edit.\n\
         # Regenerate with `make typegen`; `make lint` fails when this file is out of date.\n\
         \"\"\"The shapes of the client's answers, as ``TypedDict`` s (re-exported by ``nango.types``).\n\
         \n\
         Every one is ``total=False`` and open: the server may add keys, and the ``dict`` you get\n\
         holds them. A key named here reads as ``conn[\"created_at\"]``; a key this version does not\n\
         name reads as ``conn.get(\"new_key\")`` (typed ``object``: narrow it with ``isinstance``).\n\
         \"\"\"\n\nfrom __future__ import annotations\n\n\
         from typing import Any, Dict, List, Literal, Optional, TypedDict, Union\n\n__all__ = [\n",
    );
    let mut sorted = names.clone();
    sorted.sort();
    for name in &sorted {
        out.push_str(&format!("    \"{name}\",\n"));
    }
    out.push_str("]\n");
    for written in written {
        out.push_str("\n\n");
        def(model, &mut out, written);
    }
    out
}
