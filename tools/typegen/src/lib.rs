//! The bindings' data types, written from core's serde types.
//!
//! Core's response types derive `schemars::JsonSchema` behind its `schema` feature. This crate
//! asks schemars for their schemas as core *serialises* them (the JSON a binding hands to the
//! caller), reads them into core's small [`TypeDef`] model (`nango::models`, whose emitters also
//! write `nango-rs models`' typed records), and writes that model twice:
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
use serde_json::Value;

// The type model and its emitters are core's (`nango::models`), shared with `nango-rs models`.
pub use nango::models::{Field, Kind, Ty, TypeDef};

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
        let mut order: Vec<String> = root_names.iter().map(|(n, _, _)| n.clone()).collect();
        let mut rest: Vec<&String> = definitions.keys().filter(|k| !order.contains(k)).collect();
        rest.sort();
        order.extend(rest.into_iter().cloned());
        let mut defs = nango::models::read_definitions(order.iter().map(|name| {
            let schema = definitions
                .get(name)
                .unwrap_or_else(|| panic!("no definition {name}"));
            (name.as_str(), schema)
        }));
        for def in &mut defs {
            def.doc = def.doc.as_deref().and_then(clean_doc);
            if let Kind::Object { fields, .. } = &mut def.kind {
                for field in fields {
                    field.doc = field.doc.as_deref().and_then(clean_doc);
                }
            }
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

/// The model seen from one language: how [`nango::models`]' emitters name its types.
pub struct In<'a>(pub &'a Model, pub Language);

impl nango::models::Names for In<'_> {
    fn name(&self, name: &str) -> String {
        self.0
            .name_in(name, self.1)
            .unwrap_or_else(|| name.to_owned())
    }

    fn def(&self, name: &str) -> Option<&TypeDef> {
        self.0.def(name)
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

/// A description as the bindings show it.
fn clean_doc(text: &str) -> Option<String> {
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
