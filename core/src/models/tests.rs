use serde_json::{Value, json};

use super::*;

/// A scripts config with the shapes the emitters must handle: names that are not identifiers,
/// reserved words, optional and nullable fields, arrays, nested objects, unions, references.
fn config() -> Value {
    json!([
        {
            "providerConfigKey": "zendesk",
            "provider": "zendesk",
            "syncs": [{
                "name": "tickets",
                "type": "sync",
                "returns": ["Ticket"],
                "json_schema": {"definitions": {
                    "Ticket": {
                        "type": "object",
                        "description": "A support ticket.",
                        "additionalProperties": false,
                        "required": ["id", "status", "type", "first-name", "tags", "assignee", "createdAt"],
                        "properties": {
                            "id": {"type": "string"},
                            "status": {"type": "string", "enum": ["open", "in-progress", "solved"]},
                            "priority": {"anyOf": [{"const": "low"}, {"const": "high"}]},
                            "type": {"type": "string"},
                            "class": {"type": "integer"},
                            "self": {"type": "boolean"},
                            "first-name": {"type": "string", "description": "Given name."},
                            "createdAt": {"type": "string", "format": "date-time"},
                            "tags": {"type": "array", "items": {"type": "string"}},
                            "score": {"anyOf": [{"type": "number"}, {"type": "null"}]},
                            "value": {"anyOf": [{"type": "string"}, {"type": "number"}]},
                            "assignee": {
                                "type": "object",
                                "required": ["id"],
                                "properties": {"id": {"type": "string"}, "email": {"type": "string"}}
                            },
                            "comments": {"type": "array", "items": {"$ref": "#/definitions/Comment"}},
                            "parent": {"anyOf": [{"$ref": "#/definitions/Ticket"}, {"type": "null"}]},
                            "extra": {"type": "object", "additionalProperties": {"type": "string"}}
                        }
                    },
                    "Comment": {
                        "type": "object",
                        "additionalProperties": {},
                        "required": ["body"],
                        "properties": {"body": {"type": "string"}}
                    }
                }}
            }],
            "actions": []
        },
        {
            "providerConfigKey": "legacy",
            "syncs": [{"name": "old", "returns": ["Old Thing"], "json_schema": null, "models": [{"name": "Old Thing", "fields": []}]}],
            "actions": []
        }
    ])
}

fn models() -> Models {
    Models::from_scripts_config(&config(), None).unwrap()
}

fn field<'a>(def: &'a TypeDef, name: &str) -> &'a Field {
    match &def.kind {
        Kind::Object { fields, .. } => fields.iter().find(|f| f.name == name).unwrap(),
        Kind::Alias(_) => panic!("{} is an alias", def.name),
    }
}

#[test]
fn reads_definitions_nested_objects_and_unions() {
    let models = models();
    let names: Vec<&str> = models.defs.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["Ticket", "TicketAssignee", "Comment", "Old Thing"]);
    assert_eq!(models.records, ["Ticket", "Old Thing"]);
    let ticket = models.def("Ticket").unwrap();
    assert_eq!(ticket.doc.as_deref(), Some("A support ticket."));
    assert_eq!(
        field(ticket, "status").ty,
        Ty::Literals(vec!["open".into(), "in-progress".into(), "solved".into()])
    );
    assert_eq!(
        field(ticket, "priority").ty,
        Ty::Literals(vec!["low".into(), "high".into()])
    );
    assert_eq!(
        field(ticket, "score").ty,
        Ty::Union(vec![Ty::Number, Ty::Null])
    );
    assert_eq!(
        field(ticket, "value").ty,
        Ty::Union(vec![Ty::String, Ty::Number])
    );
    assert_eq!(
        field(ticket, "assignee").ty,
        Ty::Ref("TicketAssignee".into())
    );
    assert_eq!(
        field(ticket, "comments").ty,
        Ty::Array(Box::new(Ty::Ref("Comment".into())))
    );
    assert_eq!(field(ticket, "extra").ty, Ty::Map(Box::new(Ty::String)));
    assert!(field(ticket, "id").required && !field(ticket, "class").required);
    // Every record carries its metadata, required.
    let metadata = field(ticket, METADATA_FIELD);
    assert!(metadata.required);
    assert_eq!(metadata.ty, Ty::Ref(METADATA.into()));
    assert!(matches!(
        models.def("Comment").unwrap().kind,
        Kind::Object { open: true, .. }
    ));
    assert!(matches!(ticket.kind, Kind::Object { open: false, .. }));
    // A model deployed without a schema: open, with only its metadata.
    let old = models.def("Old Thing").unwrap();
    assert!(matches!(&old.kind, Kind::Object { fields, open: true } if fields.len() == 1));
    // Comment is a definition but no sync returns it: no metadata.
    assert!(!models.is_record("Comment"));
}

#[test]
fn open_literal_sets_and_nullable() {
    let defs = read_definitions([(
        "X",
        &json!({"type": "object", "properties": {
            "a": {"anyOf": [{"enum": ["x", "y"]}, {"type": "string"}]},
            "b": {"type": ["string", "null"]},
            "c": {"type": "string", "nullable": true},
            "d": {"enum": ["x", 1, null]},
            "e": true
        }}),
    )]);
    let x = &defs[0];
    assert_eq!(
        field(x, "a").ty,
        Ty::OpenLiterals(vec!["x".into(), "y".into()])
    );
    assert_eq!(field(x, "b").ty, Ty::Union(vec![Ty::String, Ty::Null]));
    assert_eq!(field(x, "c").ty, Ty::Union(vec![Ty::String, Ty::Null]));
    assert_eq!(
        field(x, "d").ty,
        Ty::Union(vec![Ty::Literals(vec!["x".into()]), Ty::Integer, Ty::Null])
    );
    assert_eq!(field(x, "e").ty, Ty::Any);
}

#[test]
fn filters_by_integration_and_rejects_bad_input() {
    let only = Models::from_scripts_config(&config(), Some("legacy")).unwrap();
    assert_eq!(only.records, ["Old Thing"]);
    let err = Models::from_scripts_config(&config(), Some("github")).unwrap_err();
    assert_eq!(err.code(), "invalid_argument");
    assert!(err.to_string().contains("zendesk, legacy"), "{err}");
    let openai = json!({"data": []});
    let err = Models::from_scripts_config(&openai, None).unwrap_err();
    assert!(err.to_string().contains("format=nango"), "{err}");
    for bad in [
        json!("text"),
        json!([{"syncs": []}]),
        json!([{"providerConfigKey": "a", "syncs": 3}]),
    ] {
        let err = Models::from_scripts_config(&bad, None).unwrap_err();
        assert_eq!(err.code(), "invalid_argument", "{bad}");
    }
    // An empty environment: nothing to write, but no error.
    assert!(
        Models::from_scripts_config(&json!([]), None)
            .unwrap()
            .defs
            .is_empty()
    );
}

#[test]
fn typescript_output() {
    let text = generate(&config(), &Options::new(Lang::TypeScript)).unwrap();
    assert!(text.contains("import type { NangoRecordMetadata } from '@nango-rs/node'"));
    assert!(
        text.contains("/** A support ticket. */\nexport interface Ticket {\n"),
        "{text}"
    );
    assert!(text.contains("  status: 'open' | 'in-progress' | 'solved'\n"));
    assert!(text.contains("  'first-name': string\n"));
    assert!(text.contains("  class?: number\n"));
    assert!(text.contains("  score?: number | null\n"));
    assert!(text.contains("  tags: string[]\n"));
    assert!(text.contains("  assignee: TicketAssignee\n"));
    assert!(text.contains("  comments?: Comment[]\n"));
    assert!(text.contains("  parent?: Ticket | null\n"));
    assert!(text.contains("  extra?: Record<string, string>\n"));
    assert!(text.contains("  _nango_metadata: NangoRecordMetadata\n"));
    assert!(text.contains("export interface Old_Thing {\n"), "{text}");
    assert!(text.contains("  'Old Thing': Old_Thing\n"));
    // Reserved words cannot name a type.
    let reserved = json!([{"providerConfigKey": "k", "syncs": [{"returns": ["string"], "json_schema":
        {"definitions": {"string": {"type": "object", "properties": {"a": {"type": "string"}}}}}}]}]);
    let text = generate(&reserved, &Options::new(Lang::TypeScript)).unwrap();
    assert!(text.contains("export interface string_ {"), "{text}");
    assert!(text.contains("  string: string_\n"), "{text}");
}

#[test]
fn python_typed_dicts() {
    let text = generate(&config(), &Options::new(Lang::Python)).unwrap();
    // `first-name`, `class` and `self`... cannot be class attributes: the functional syntax,
    // types quoted so they may name later classes.
    assert!(
        text.contains("Ticket = TypedDict(\n    \"Ticket\",\n"),
        "{text}"
    );
    assert!(
        text.contains("        \"first-name\": \"str\",\n"),
        "{text}"
    );
    assert!(
        text.contains("        \"class\": \"NotRequired[int]\",\n"),
        "{text}"
    );
    assert!(
        text.contains("        \"score\": \"NotRequired[Optional[float]]\",\n"),
        "{text}"
    );
    assert!(
        text.contains("        \"assignee\": \"TicketAssignee\",\n"),
        "{text}"
    );
    assert!(
        text.contains("        \"_nango_metadata\": \"NangoMetadata\",\n"),
        "{text}"
    );
    assert!(text.contains(
        "        \"status\": \"Literal[\\\"open\\\", \\\"in-progress\\\", \\\"solved\\\"]\",\n"
    ));
    // Identifier keys: the class syntax, required keys plain.
    assert!(
        text.contains("class TicketAssignee(TypedDict):\n"),
        "{text}"
    );
    assert!(text.contains("    id: str\n"));
    assert!(text.contains("    email: NotRequired[str]\n"));
    assert!(text.contains("setattr(Ticket, \"__nango_model__\", \"Ticket\")\n"));
    assert!(text.contains("setattr(Old_Thing, \"__nango_model__\", \"Old Thing\")\n"));
    assert!(!text.contains("setattr(Comment"));
    // A model named like a keyword or a name the module imports.
    let reserved = json!([{"providerConfigKey": "k", "syncs": [{"returns": ["None", "str"], "json_schema": null}]}]);
    let text = generate(&reserved, &Options::new(Lang::Python)).unwrap();
    assert!(text.contains("class None_(TypedDict):"), "{text}");
    assert!(text.contains("class str_(TypedDict):"), "{text}");
}

#[test]
fn python_pydantic() {
    let options = Options {
        pydantic: true,
        ..Options::new(Lang::Python)
    };
    let text = generate(&config(), &options).unwrap();
    assert!(text.contains("class Ticket(BaseModel):\n"), "{text}");
    assert!(text.contains("    __nango_model__: ClassVar[str] = \"Ticket\"\n"));
    assert!(
        text.contains("    first_name: str = Field(alias=\"first-name\")\n"),
        "{text}"
    );
    assert!(text.contains("    class_: Optional[int] = Field(default=None, alias=\"class\")\n"));
    assert!(
        text.contains(
            "    nango_metadata: NangoRecordMetadata = Field(alias=\"_nango_metadata\")\n"
        )
    );
    assert!(text.contains("    score: Optional[float] = None\n"));
    assert!(text.contains("ConfigDict(extra=\"ignore\", populate_by_name=True)"));
    assert!(text.contains("class NangoRecordMetadata(BaseModel):\n"));
    assert!(text.contains("Ticket.model_rebuild()\n"));
    let err = generate(
        &config(),
        &Options {
            pydantic: true,
            ..Options::new(Lang::Rust)
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid_argument");
}

#[test]
fn rust_structs() {
    let text = generate(&config(), &Options::new(Lang::Rust)).unwrap();
    assert!(text.contains("/// A support ticket.\n#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]\npub struct Ticket {\n"), "{text}");
    assert!(text.contains("    pub status: TicketStatus,\n"), "{text}");
    assert!(text.contains("    #[serde(rename = \"in-progress\")]\n    InProgress,\n"));
    assert!(text.contains("    pub r#type: String,\n"), "{text}");
    assert!(text.contains("    #[serde(default, skip_serializing_if = \"Option::is_none\")]\n    pub class: Option<i64>,\n"), "{text}");
    assert!(text.contains("    pub self_: Option<bool>,\n"), "{text}");
    assert!(text.contains("    #[serde(rename = \"first-name\")]\n    pub first_name: String,\n"));
    assert!(text.contains("    #[serde(rename = \"createdAt\")]\n    pub created_at: String,\n"));
    assert!(text.contains("    pub tags: Vec<String>,\n"));
    assert!(text.contains("    pub assignee: TicketAssignee,\n"));
    assert!(
        text.contains("    pub parent: Option<Box<Ticket>>,\n"),
        "{text}"
    );
    assert!(
        text.contains("    pub value: serde_json::Value,\n"),
        "{text}"
    );
    assert!(
        text.contains("    pub extra: Option<std::collections::BTreeMap<String, String>>,\n"),
        "{text}"
    );
    assert!(text.contains("    #[serde(rename = \"_nango_metadata\")]\n    pub nango_metadata: nango::records::NangoMetadata,\n"));
    assert!(text.contains("impl nango::records::RecordCursor for Ticket {"));
    assert!(text.contains("    pub const MODEL: &str = \"Ticket\";"));
    // The open Comment keeps unknown keys.
    assert!(text.contains(
        "    #[serde(flatten)]\n    pub extra: serde_json::Map<String, serde_json::Value>,\n"
    ));
    assert!(!text.contains("impl nango::records::RecordCursor for Comment"));
    assert!(text.contains("pub struct OldThing {"), "{text}");
}

#[test]
fn rust_names() {
    assert_eq!(rust::snake("createdAt"), "created_at");
    assert_eq!(rust::snake("HTTPStatus"), "http_status");
    assert_eq!(rust::snake("first-name"), "first_name");
    assert_eq!(rust::field_name("type"), "r#type");
    assert_eq!(rust::field_name("self"), "self_");
    assert_eq!(rust::field_name("1st"), "_1st");
    assert_eq!(rust::pascal("in-progress"), "InProgress");
    assert_eq!(rust::pascal("2fa"), "V2fa");
    assert_eq!(rust::pascal(""), "Empty");
}

#[test]
fn command_line() {
    let command = parse_command([
        "--lang",
        "rust",
        "--integration=zendesk",
        "--out",
        "m.rs",
        "--secret-key",
        "sk-very-secret",
    ])
    .unwrap();
    assert_eq!(command.options.lang, Lang::Rust);
    assert_eq!(command.options.integration.as_deref(), Some("zendesk"));
    assert_eq!(command.out.as_deref(), Some("m.rs"));
    assert_eq!(command.secret_key.as_deref(), Some("sk-very-secret"));
    assert!(!format!("{command:?}").contains("sk-very-secret"));
    let pydantic = parse_command(["--pydantic"]).unwrap();
    assert_eq!(pydantic.options.lang, Lang::Python);
    assert!(pydantic.options.pydantic);
    let bads: [&[&str]; 3] = [&["--lang", "go"], &["--out"], &["--frobnicate"]];
    for bad in bads {
        let err = parse_command(bad.iter().copied()).unwrap_err();
        assert_eq!(err.code(), "invalid_argument", "{bad:?}");
    }
    assert!(parse_command(["-h"]).unwrap().help);
}
