//! The method matrix: every public method of the official `@nangohq/node` 0.71.10 `Nango` class
//! against ours in Node, Python and Rust.
//!
//! The official list is read from the package's own declarations (installed by `make setup` as a
//! development dependency of the Node binding). Each row below names the Rust method, and that
//! name is compiled (a missing method fails the build of this test); the Node column is checked
//! against `bindings-node/index.d.ts`; the Python column is checked by
//! `bindings-python/tests/test_method_matrix.py`. `docs/method-matrix.md` is generated from the
//! same rows and must match (`UPDATE_METHOD_MATRIX=1 cargo test --test method_matrix` rewrites
//! it).
#![cfg(all(feature = "client", not(target_arch = "wasm32")))]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use nango::Nango;

/// One official method: its Rust name (checked by the compiler), and an exception per binding
/// that deliberately lacks it, with the reason.
struct Row {
    official: &'static str,
    rust: &'static str,
    node_missing: Option<&'static str>,
    python_missing: Option<&'static str>,
}

/// An exception's reason, when the row gives one.
macro_rules! reason {
    () => {
        None
    };
    ($reason:literal) => {
        Some($reason)
    };
}

/// `official => rust_method` rows; `rust_method` may carry type arguments for a generic method.
/// `node: "reason"` / `python: "reason"` mark a deliberate exception.
macro_rules! matrix {
    ($( $official:literal => $rust:ident $(::<$($ty:ty),*>)? $(, node: $node:literal)? $(, python: $python:literal)? ;)*) => {{
        // Referenced, never called: the build fails if a method is missing.
        $( let _ = Nango::$rust $(::<$($ty),*>)?; )*
        vec![$(Row {
            official: $official,
            rust: stringify!($rust),
            node_missing: reason!($($node)?),
            python_missing: reason!($($python)?),
        }),*]
    }};
}

fn rows() -> Vec<Row> {
    matrix! {
        "listProviders" => list_providers;
        "getProvider" => get_provider;
        "getProviderTemplates" => get_provider_templates;
        "listIntegrations" => list_integrations;
        "getIntegration" => get_integration;
        "createIntegration" => create_integration;
        "createQuickstartIntegration" => create_quickstart_integration;
        "updateIntegration" => update_integration;
        "deleteIntegration" => delete_integration;
        "listFunctions" => list_functions;
        "getFunction" => get_function;
        "getFunctionCode" => get_function_code;
        "deleteFunction" => delete_function;
        "listConnections" => list_connections;
        "getConnection" => get_connection;
        "patchConnection" => patch_connection;
        "getToken" => get_token;
        "getRawTokenResponse" => get_raw_token_response;
        "getMetadata" => get_metadata;
        "setMetadata" => set_metadata;
        "updateMetadata" => update_metadata;
        "deleteConnection" => delete_connection;
        "getScriptsConfig" => get_scripts_config;
        "listRecords" => list_records::<serde_json::Value>;
        "pruneRecords" => prune_records;
        "triggerSync" => trigger_sync;
        "startSync" => start_sync;
        "pauseSync" => pause_sync;
        "syncStatus" => sync_status;
        "updateSyncConnectionFrequency" => update_sync_connection_frequency;
        "waitForConnection" => wait_for_connection;
        "createSyncVariant" => create_sync_variant;
        "deleteSyncVariant" => delete_sync_variant;
        "getEnvironmentVariables" => get_environment_variables;
        "triggerAction" => trigger_action::<serde_json::Value>;
        "triggerActionAsync" => trigger_action_async;
        "getAsyncActionResult" => get_async_action_result::<serde_json::Value>;
        "proxy" => proxy;
        "get" => get;
        "post" => post;
        "put" => put;
        "patch" => patch;
        "delete" => delete;
        "verifyWebhookSignature" => verify_webhook_signature;
        "verifyIncomingWebhookRequest" => verify_incoming_webhook_request::<[(&str, &str); 0]>;
        "createConnectSession" => create_connect_session;
        "createReconnectSession" => create_reconnect_session;
    }
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

fn read(path: &Path, hint: &str) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err} ({hint})", path.display()))
}

/// The names of the methods declared in the `{ … }` block that starts with `opening` (one level
/// deeper than the block's closing brace): `name(` or `name<…>(`, not `private`, not the
/// constructor, overloads once.
fn declared_methods(text: &str, opening: &str) -> BTreeSet<String> {
    let start = text
        .find(opening)
        .unwrap_or_else(|| panic!("no `{opening}` in the declarations"));
    let indent = text[..start].rsplit('\n').next().unwrap_or_default().len();
    let member_indent = indent + 2;
    let mut names = BTreeSet::new();
    for line in text[start..].lines().skip(1) {
        let depth = line.len() - line.trim_start().len();
        if line.trim() == "}" && depth == indent {
            break;
        }
        if depth != member_indent && depth != indent + 4 {
            continue;
        }
        let trimmed = line.trim_start();
        let name: String = trimmed
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let rest = &trimmed[name.len()..];
        if name.is_empty()
            || name == "constructor"
            || !(rest.starts_with('(') || rest.starts_with('<'))
        {
            continue;
        }
        names.insert(name);
    }
    names
}

fn official_methods() -> BTreeSet<String> {
    let path = repo().join("bindings-node/node_modules/@nangohq/node/dist/index.d.ts");
    let text = read(
        &path,
        "run `make setup`: the official package is a dev dependency",
    );
    // The official class is indented by 4 inside `export declare class Nango {` at column 0.
    let start = text
        .find("export declare class Nango {")
        .expect("the official Nango class");
    let body = &text[start..];
    let end = body.find("\n}").expect("the end of the official class");
    let mut names = BTreeSet::new();
    for line in body[..end].lines().skip(1) {
        let Some(member) = line.strip_prefix("    ") else {
            continue;
        };
        if member.starts_with(' ') || member.starts_with("private ") {
            continue;
        }
        let name: String = member
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let rest = &member[name.len()..];
        if !name.is_empty()
            && name != "constructor"
            && (rest.starts_with('(') || rest.starts_with('<'))
        {
            names.insert(name);
        }
    }
    names
}

fn ours_in_node() -> BTreeSet<String> {
    let text = read(
        &repo().join("bindings-node/index.d.ts"),
        "generated by `make node-build`",
    );
    let mut names = declared_methods(&text, "export interface Nango {");
    names.extend(declared_methods(&text, "export declare class Nango {"));
    names
}

/// `listProviders` → `list_providers` (the Python and Rust spelling).
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn render(rows: &[Row]) -> String {
    let mut out = String::from(
        "# Method matrix\n\n\
         Every public method of the official `@nangohq/node` 0.71.10 `Nango` class, and its name in\n\
         each of our clients: the Node package, Python's `Nango` and `AsyncNango` (the same\n\
         methods), and Rust's `nango::Nango`. A dash is a deliberate exception, explained below.\n\n\
         Generated by `core/tests/method_matrix.rs`, which reads the official declarations and\n\
         fails when a method is missing or this file is stale\n\
         (`UPDATE_METHOD_MATRIX=1 cargo test -p nango --test method_matrix` rewrites it);\n\
         `bindings-python/tests/test_method_matrix.py` checks the Python column against both\n\
         classes.\n\n\
         | Official | Node | Python | Rust |\n|---|---|---|---|\n",
    );
    let cell = |name: &str, missing: Option<&str>| match missing {
        Some(_) => "—".to_owned(),
        None => format!("`{name}`"),
    };
    let (mut node, mut python, mut rust) = (0, 0, 0);
    for row in rows {
        node += usize::from(row.node_missing.is_none());
        python += usize::from(row.python_missing.is_none());
        rust += 1;
        out.push_str(&format!(
            "| `{}` | {} | {} | `{}` |\n",
            row.official,
            cell(row.official, row.node_missing),
            cell(&snake_case(row.official), row.python_missing),
            row.rust,
        ));
    }
    out.push_str(&format!(
        "| **{} methods** | **{node}** | **{python}** | **{rust}** |\n",
        rows.len()
    ));
    let exceptions: Vec<String> = rows
        .iter()
        .flat_map(|row| {
            [("Node", row.node_missing), ("Python", row.python_missing)]
                .into_iter()
                .filter_map(move |(binding, reason)| {
                    reason.map(|reason| format!("- {binding}, `{}`: {reason}.\n", row.official))
                })
        })
        .collect();
    out.push_str("\n## Exceptions\n\n");
    if exceptions.is_empty() {
        out.push_str("None.\n");
    } else {
        out.push_str(&exceptions.concat());
    }
    out
}

#[test]
fn every_official_method_has_a_row() {
    let official = official_methods();
    assert_eq!(
        official.len(),
        47,
        "the official class changed: {official:?}"
    );
    let rows = rows();
    let listed: BTreeSet<String> = rows.iter().map(|r| r.official.to_owned()).collect();
    let missing: Vec<&String> = official.difference(&listed).collect();
    let extra: Vec<&String> = listed.difference(&official).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "official methods without a row (add them to core and the bindings): {missing:?}; rows \
         for methods the official class does not have: {extra:?}"
    );
    assert_eq!(rows.len(), listed.len(), "a method has two rows");
}

#[test]
fn rust_names_are_the_official_ones_in_snake_case() {
    for row in rows() {
        assert_eq!(row.rust, snake_case(row.official), "{}", row.official);
    }
}

#[test]
fn node_has_every_official_method_but_the_exceptions() {
    let ours = ours_in_node();
    let missing: Vec<&str> = rows()
        .iter()
        .filter(|row| row.node_missing.is_none() && !ours.contains(row.official))
        .map(|row| row.official)
        .collect();
    assert!(missing.is_empty(), "missing in Node: {missing:?}");
    let stale: Vec<&str> = rows()
        .iter()
        .filter(|row| row.node_missing.is_some() && ours.contains(row.official))
        .map(|row| row.official)
        .collect();
    assert!(
        stale.is_empty(),
        "Node has these now; remove their exception: {stale:?}"
    );
}

#[test]
fn the_document_is_generated_from_the_rows() {
    let path = repo().join("docs/method-matrix.md");
    let expected = render(&rows());
    if std::env::var_os("UPDATE_METHOD_MATRIX").is_some() {
        std::fs::write(&path, &expected).expect("write docs/method-matrix.md");
    }
    let actual = read(&path, "run with UPDATE_METHOD_MATRIX=1 to create it");
    assert!(
        actual == expected,
        "docs/method-matrix.md is stale: rerun with UPDATE_METHOD_MATRIX=1"
    );
}

#[test]
fn snake_case_is_what_python_and_rust_use() {
    assert_eq!(snake_case("listProviders"), "list_providers");
    assert_eq!(snake_case("get"), "get");
    assert_eq!(
        snake_case("updateSyncConnectionFrequency"),
        "update_sync_connection_frequency"
    );
}
