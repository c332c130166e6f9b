//! The generated types against the response contract (`tests/vectors/responses/`): every
//! property a success schema names is a field of the type the bindings give that answer, down
//! through nested objects. The TypeScript and Python files are written from the same model, and
//! the second test keeps them equal to it, so this holds for both bindings' typings.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use nango_typegen::{Kind, Language, Model, Ty};
use serde_json::Value;

/// Success schemas and the core type that describes them.
const COVERED: &[(&str, &str)] = &[
    ("records.json#/$defs/page", "RecordsPage"),
    ("records.json#/$defs/recordMetadata", "NangoMetadata"),
    ("records.json#/$defs/pruned", "PruneResult"),
    ("actions.json#/$defs/queued", "AsyncActionHandle"),
    ("connections.json#/$defs/list", "ConnectionList"),
    ("connections.json#/$defs/full", "Connection"),
    ("common.json#/$defs/success", "Deletion"),
    ("syncs.json#/$defs/statuses", "SyncStatusResponse"),
    ("syncs.json#/$defs/frequency", "FrequencyResponse"),
    ("syncs.json#/$defs/variant", "SyncVariant"),
    ("connect.json#/$defs/created", "ConnectSessionResponse"),
    ("integrations.json#/$defs/list", "IntegrationList"),
    ("integrations.json#/$defs/one", "IntegrationResponse"),
    ("integrations.json#/$defs/created", "IntegrationResponse"),
    (
        "integrations.json#/$defs/quickstartCreated",
        "IntegrationResponse",
    ),
    ("integrations.json#/$defs/providers", "ProviderList"),
    ("integrations.json#/$defs/providerOne", "ProviderResponse"),
    (
        "integrations.json#/$defs/environmentVariables",
        "EnvironmentVariable",
    ),
    ("functions.json#/$defs/templates", "ProviderTemplates"),
    ("functions.json#/$defs/list", "FunctionList"),
    ("functions.json#/$defs/one", "FunctionResponse"),
    ("functions.json#/$defs/code", "FunctionCode"),
    ("functions.json#/$defs/deleted", "FunctionDeletion"),
];

/// Success schemas with no generated type, and why.
const NOT_TYPED: &[(&str, &str)] = &[
    (
        "actions.json#/$defs/output",
        "an action's output is the action's own (a type argument)",
    ),
    (
        "common.json#/$defs/anyJson",
        "the proxy returns the provider's answer",
    ),
    (
        "connections.json#/$defs/metadataEcho",
        "the metadata routes echo the request body",
    ),
    (
        "connections.json#/$defs/legacyMetadataEcho",
        "the legacy metadata routes echo the metadata",
    ),
    (
        "connect.json#/$defs/session",
        "read with a session token by the frontend, no backend method",
    ),
    ("connect.json#/$defs/deleted", "204, no body"),
    (
        "integrations.json#/$defs/scriptsConfig",
        "its shape depends on `format`; kept as JSON",
    ),
];

/// Covered types that no binding writes under their own name, and why.
const NOT_WRITTEN: &[(&str, &str)] = &[
    (
        "RecordsPage",
        "generic over the record type: written by hand in both bindings",
    ),
    (
        "IntegrationList",
        "both bindings answer `{configs}` (LegacyIntegrationList), written",
    ),
];

struct Schemas {
    files: BTreeMap<String, Value>,
}

impl Schemas {
    fn load() -> Schemas {
        let dir = nango_typegen::repo_root().join("tests/vectors/responses");
        let mut files = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            files.insert(name, serde_json::from_str(&text).unwrap());
        }
        Schemas { files }
    }

    /// The schema a reference names, and the file it is in.
    fn resolve(&self, reference: &str, file: &str) -> (Value, String) {
        let (target_file, pointer) = match reference.split_once('#') {
            Some(("", pointer)) => (file.to_owned(), pointer.to_owned()),
            Some((target, pointer)) => (target.to_owned(), pointer.to_owned()),
            None => (reference.to_owned(), String::new()),
        };
        let document = self
            .files
            .get(&target_file)
            .unwrap_or_else(|| panic!("no schema file {target_file}"));
        let schema = document
            .pointer(&pointer)
            .unwrap_or_else(|| panic!("{target_file}#{pointer} does not exist"))
            .clone();
        (schema, target_file)
    }

    /// The properties an object schema names, through `$ref`, `allOf`, `oneOf` and `anyOf`, each
    /// with its schema and file.
    fn properties(&self, schema: &Value, file: &str, out: &mut BTreeMap<String, (Value, String)>) {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let (target, target_file) = self.resolve(reference, file);
            self.properties(&target, &target_file, out);
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                out.entry(name.clone())
                    .or_insert_with(|| (property.clone(), file.to_owned()));
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            for member in schema
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                self.properties(member, file, out);
            }
        }
        if schema.get("type").and_then(Value::as_str) == Some("array") {
            if let Some(items) = schema.get("items") {
                self.properties(items, file, out);
            }
        }
    }
}

/// Checks that `core_type` has every property `schema` names, and recurses into nested objects.
/// Returns the missing ones as `Type.path`.
fn missing(
    model: &Model,
    schemas: &Schemas,
    core_type: &str,
    schema: &Value,
    file: &str,
    path: &str,
) -> Vec<String> {
    let def = model
        .def(core_type)
        .unwrap_or_else(|| panic!("no generated type {core_type}"));
    let Kind::Object { fields, .. } = &def.kind else {
        panic!("{core_type} is not an object")
    };
    let mut properties = BTreeMap::new();
    schemas.properties(schema, file, &mut properties);
    assert!(
        !properties.is_empty(),
        "{path}: the schema names no property"
    );
    let mut out = Vec::new();
    for (name, (property, property_file)) in properties {
        let Some(field) = fields.iter().find(|field| field.name == name) else {
            out.push(format!("{path}.{name} (type {core_type})"));
            continue;
        };
        if let Ty::Ref(nested) = field.ty.element() {
            if matches!(
                model.def(nested).map(|d| &d.kind),
                Some(Kind::Object { .. })
            ) {
                let mut nested_properties = BTreeMap::new();
                schemas.properties(&property, &property_file, &mut nested_properties);
                if !nested_properties.is_empty() {
                    out.extend(missing(
                        model,
                        schemas,
                        nested,
                        &property,
                        &property_file,
                        &format!("{path}.{name}"),
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn generated_types_cover_every_success_schema() {
    let model = Model::build();
    let schemas = Schemas::load();
    let index = &schemas.files["index.json"];
    let mut unlisted = Vec::new();
    let mut gaps = Vec::new();
    let mut checked = 0;
    for (operation, answers) in index["operations"].as_object().unwrap() {
        for (status, reference) in answers.as_object().unwrap() {
            if status == "error" {
                continue;
            }
            let reference = reference.as_str().unwrap();
            if NOT_TYPED.iter().any(|(r, _)| *r == reference) {
                continue;
            }
            let Some((_, core_type)) = COVERED.iter().find(|(r, _)| *r == reference) else {
                unlisted.push(format!("{operation} {status}: {reference}"));
                continue;
            };
            let (file, _) = reference.split_once('#').unwrap();
            let (schema, file) = schemas.resolve(reference, file);
            gaps.extend(missing(
                &model,
                &schemas,
                core_type,
                &schema,
                &file,
                &format!("{operation} {status}"),
            ));
            checked += 1;
        }
    }
    // The schemas only referenced from inside others, checked on their own too.
    for (reference, core_type) in COVERED {
        let (file, _) = reference.split_once('#').unwrap();
        let (schema, file) = schemas.resolve(reference, file);
        gaps.extend(missing(
            &model, &schemas, core_type, &schema, &file, reference,
        ));
    }
    assert!(
        unlisted.is_empty(),
        "success schemas with neither a generated type (COVERED) nor a reason (NOT_TYPED): {unlisted:#?}"
    );
    gaps.sort();
    gaps.dedup();
    assert!(
        gaps.is_empty(),
        "properties of the contract missing from the generated types: {gaps:#?}"
    );
    assert!(checked >= 30, "only {checked} answers checked");
}

#[test]
fn every_covered_type_is_written_for_python_and_its_nested_types_for_both() {
    let model = Model::build();
    let python: Vec<&str> = model
        .written(Language::Python)
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    for (_, core_type) in COVERED {
        assert!(
            python.contains(core_type) || NOT_WRITTEN.iter().any(|(t, _)| t == core_type),
            "{core_type} covers a success schema but is not written in Python"
        );
    }
    // The TypeScript names the hand-written method declarations use.
    let typescript: Vec<String> = model
        .written(Language::TypeScript)
        .iter()
        .filter_map(|d| model.name_in(&d.name, Language::TypeScript))
        .collect();
    for name in [
        "Connection",
        "ConnectionSummary",
        "Integration",
        "NangoFunction",
        "NangoFunctionType",
        "NangoRecordMetadata",
        "SyncStatus",
    ] {
        assert!(
            typescript.iter().any(|t| t == name),
            "{name} is not generated for TypeScript"
        );
    }
}

#[test]
fn the_committed_files_are_what_core_types_give() {
    for (path, expected) in nango_typegen::outputs().unwrap() {
        let current = std::fs::read_to_string(nango_typegen::repo_root().join(&path)).unwrap();
        assert!(
            current == expected,
            "{path} is out of date with core's types: run `make typegen`"
        );
    }
}

#[test]
fn a_missing_property_is_found() {
    // The check is not vacuous: a schema naming a field the type lacks is reported.
    let model = Model::build();
    let schemas = Schemas::load();
    let schema = serde_json::json!({
        "type": "object",
        "properties": {
            "connection_id": {"type": "string"},
            "brand_new": {"type": "string"},
            "errors": {"type": "array", "items": {"type": "object", "properties": {"log_id": {}, "oops": {}}}}
        }
    });
    let gaps = missing(
        &model,
        &schemas,
        "Connection",
        &schema,
        "connections.json",
        "test",
    );
    assert_eq!(
        gaps,
        vec![
            "test.brand_new (type Connection)".to_owned(),
            "test.errors.oops (type ConnectionErrorEntry)".to_owned()
        ]
    );
    let _ = model.core_name("Connection", Language::TypeScript).unwrap();
}
