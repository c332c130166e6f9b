//! Runs the shared, language-neutral vectors in `tests/vectors/` (requests, errors, cursors).

// The HTTP client is behind the default `client` feature.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use nango::request::{Request, RetryClass};
use nango::response::{RawResponse, api_error_at, parse_json};
use nango::{Error, Nango};
use nango::{connection_wait, ops, proxy, records};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;

fn vectors_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

#[derive(Deserialize)]
struct RequestVectors {
    #[serde(rename = "secretKey")]
    secret_key: String,
    host: String,
    cases: Vec<RequestCase>,
    /// Same form; core runs them now, the bindings once they have the methods.
    #[serde(rename = "casesAwaitingBindings", default)]
    cases_awaiting_bindings: Vec<RequestCase>,
}

#[derive(Deserialize)]
struct RequestCase {
    name: String,
    call: String,
    // Raw, so that object key order (tags, headers, params) survives to the builders.
    args: Box<RawValue>,
    expect: Option<ExpectedRequest>,
    error: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExpectedRequest {
    method: String,
    path: String,
    query: String,
    #[serde(default)]
    headers: serde_json::Map<String, Value>,
    #[serde(default)]
    absent_headers: Vec<String>,
    body: Option<Value>,
    body_text: Option<String>,
}

fn args<T: DeserializeOwned>(raw: &RawValue) -> nango::Result<T> {
    serde_json::from_str(raw.get()).map_err(|err| Error::invalid_argument("args", err.to_string()))
}

/// The vector call names (Node SDK method names): the record pages and the proxy through their
/// builders, every other call through the table of operations, as the bindings dispatch them.
fn build(call: &str, raw: &RawValue, host: &str) -> nango::Result<Request> {
    let value: Value = serde_json::from_str(raw.get()).unwrap();
    match call {
        "listRecords" => records::list_records_request(&args(raw)?),
        "proxy" => proxy::proxy_request(&args(raw)?),
        // Not one request: the wait polls; each poll is this request.
        "waitForConnection" => {
            connection_wait::wait_for_connection_request(&ops::wait_for_connection_params(value)?)
        }
        other => {
            let snake: String = other
                .chars()
                .flat_map(|ch| {
                    let lower = ch.to_ascii_lowercase();
                    (ch.is_ascii_uppercase().then_some('_').into_iter()).chain([lower])
                })
                .collect();
            let op = ops::operation(&snake).unwrap_or_else(|_| panic!("no operation for {other}"));
            let request = op.request(serde_json::from_str(raw.get()).unwrap(), host)?;
            // The table names an operation's most cautious class; `update_integration` without
            // a rename may be retried more freely.
            let relaxed = other == "updateIntegration"
                && op.retry == RetryClass::TriggerAction
                && request.retry_class == RetryClass::Idempotent;
            assert!(
                request.retry_class == op.retry || relaxed,
                "{other}: retry class {:?} of the table, {:?} of the request",
                op.retry,
                request.retry_class
            );
            Ok(request)
        }
    }
}

/// Every operation of the table has a request vector (the recipe for an endpoint includes one).
#[test]
fn every_operation_has_a_request_vector() {
    let text = std::fs::read_to_string(vectors_dir().join("requests.json")).unwrap();
    let vectors: RequestVectors = serde_json::from_str(&text).unwrap();
    for op in ops::OPERATIONS {
        let camel: String = op
            .name
            .split('_')
            .enumerate()
            .map(|(index, word)| {
                let mut chars = word.chars();
                match chars.next() {
                    Some(first) if index > 0 => {
                        first.to_ascii_uppercase().to_string() + chars.as_str()
                    }
                    _ => word.to_owned(),
                }
            })
            .collect();
        assert!(
            vectors
                .cases
                .iter()
                .any(|case| case.call == camel && case.expect.is_some()),
            "{}: no request vector (call {camel})",
            op.name
        );
    }
}

#[test]
fn request_vectors() {
    let text = std::fs::read_to_string(vectors_dir().join("requests.json")).unwrap();
    let vectors: RequestVectors = serde_json::from_str(&text).unwrap();
    let nango = Nango::builder(&vectors.secret_key)
        .host(&vectors.host)
        .build()
        .unwrap();
    let mut checked = 0;
    let every_case = vectors.cases.iter().chain(&vectors.cases_awaiting_bindings);
    for case in every_case {
        let name = &case.name;
        let result = build(&case.call, &case.args, nango.host());
        if let Some(code) = &case.error {
            let err = result.expect_err(name);
            assert_eq!(err.code(), code, "{name}");
            checked += 1;
            continue;
        }
        let request = result.unwrap_or_else(|err| panic!("{name}: {err}"));
        let expect = case.expect.as_ref().unwrap();
        assert_eq!(request.method.as_str(), expect.method, "{name}: method");
        assert_eq!(request.path, expect.path, "{name}: path");
        assert_eq!(request.query_string(), expect.query, "{name}: query");
        let headers = nango.outgoing_headers(&request);
        let find = |wanted: &str| {
            headers
                .iter()
                .filter(|(key, _)| key.eq_ignore_ascii_case(wanted))
                .map(|(_, value)| value.as_str())
                .collect::<Vec<_>>()
        };
        for (key, value) in &expect.headers {
            assert_eq!(
                find(key),
                vec![value.as_str().unwrap()],
                "{name}: header {key}"
            );
        }
        for key in &expect.absent_headers {
            assert!(
                find(key).is_empty(),
                "{name}: header {key} must not be sent"
            );
        }
        match (&expect.body, &expect.body_text) {
            (Some(body), _) => {
                let sent: Value = serde_json::from_slice(request.body.as_deref().unwrap()).unwrap();
                assert_eq!(&sent, body, "{name}: body");
            }
            (None, Some(text)) => {
                assert_eq!(
                    std::str::from_utf8(request.body.as_deref().unwrap()).unwrap(),
                    text,
                    "{name}: body"
                );
            }
            (None, None) => {}
        }
        // The secret only ever travels in Authorization.
        for (key, value) in &headers {
            if !key.eq_ignore_ascii_case("authorization") {
                assert!(
                    !value.contains(&vectors.secret_key),
                    "{name}: key leaked into {key}"
                );
            }
        }
        checked += 1;
    }
    assert_eq!(
        checked,
        vectors.cases.len() + vectors.cases_awaiting_bindings.len()
    );
    assert!(checked >= 60, "only {checked} request vectors");
}

#[derive(Deserialize)]
struct ErrorVectors {
    now: String,
    cases: Vec<ErrorCase>,
}

#[derive(Deserialize)]
struct ErrorCase {
    name: String,
    request: String,
    status: u16,
    headers: serde_json::Map<String, Value>,
    body: String,
    expect: serde_json::Map<String, Value>,
}

#[test]
fn error_vectors() {
    let text = std::fs::read_to_string(vectors_dir().join("errors.json")).unwrap();
    let vectors: ErrorVectors = serde_json::from_str(&text).unwrap();
    let now = httpdate::parse_http_date(&vectors.now).unwrap();
    for case in &vectors.cases {
        let name = &case.name;
        let response = RawResponse {
            status: case.status,
            headers: case
                .headers
                .iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.as_str().unwrap().to_owned()))
                .collect(),
            body: case.body.as_bytes().to_vec(),
        };
        let error = if (200..300).contains(&case.status) {
            match parse_json::<Value>(&case.request, &response) {
                Ok(_) => {
                    assert_eq!(case.expect.get("ok"), Some(&Value::Bool(true)), "{name}");
                    continue;
                }
                Err(err) => err,
            }
        } else {
            api_error_at(&case.request, &response, now)
        };
        let expect = &case.expect;
        assert_eq!(Some(error.code()), expect["code"].as_str(), "{name}: code");
        let info = error.info();
        assert_eq!(
            info.axios_code,
            expect["axiosCode"].as_str(),
            "{name}: axiosCode"
        );
        assert_eq!(
            info.status_text,
            Some(nango::error::status_text(case.status)),
            "{name}: statusText"
        );
        if error.code() == "decode" {
            assert_eq!(error.status(), Some(case.status), "{name}");
            continue;
        }
        assert_eq!(error.status(), Some(case.status), "{name}: status");
        let Error::Api(api) = &error else {
            panic!("{name}: not an API error: {error:?}")
        };
        if let Some(server_code) = expect.get("serverCode") {
            assert_eq!(
                api.server_code.as_deref(),
                server_code.as_str(),
                "{name}: serverCode"
            );
        }
        if let Some(retry_after) = expect.get("retryAfterMs") {
            assert_eq!(
                api.retry_after,
                retry_after.as_u64().map(Duration::from_millis),
                "{name}: retryAfter"
            );
        }
        if let Some(limits) = expect.get("rateLimit") {
            let got = api.rate_limit.unwrap();
            assert_eq!(got.limit, limits["limit"].as_u64(), "{name}");
            assert_eq!(got.remaining, limits["remaining"].as_u64(), "{name}");
            assert_eq!(got.reset, limits["reset"].as_u64(), "{name}");
        }
        if let Some(paths) = expect.get("errorsPaths") {
            let got: Vec<Vec<String>> = api.errors.iter().map(|e| e.path.clone()).collect();
            let want: Vec<Vec<String>> = serde_json::from_value(paths.clone()).unwrap();
            assert_eq!(got, want, "{name}: errors");
        }
        if let Some(payload) = expect.get("payload") {
            assert_eq!(api.payload.as_ref(), Some(payload), "{name}: payload");
        }
    }
}

#[derive(Deserialize)]
struct CursorVectors {
    valid: Vec<ValidCursor>,
    invalid: Vec<InvalidCursor>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ValidCursor {
    name: String,
    cursor: String,
    timestamp: String,
    unix_nanos: String,
    id: String,
}

#[derive(Deserialize)]
struct InvalidCursor {
    name: String,
    cursor: String,
}

#[test]
fn cursor_vectors() {
    let text = std::fs::read_to_string(vectors_dir().join("cursors.json")).unwrap();
    let vectors: CursorVectors = serde_json::from_str(&text).unwrap();
    for case in &vectors.valid {
        let decoded = nango::cursor::decode_cursor(&case.cursor).unwrap();
        assert_eq!(decoded.timestamp, case.timestamp, "{}", case.name);
        assert_eq!(decoded.id, case.id, "{}", case.name);
        assert_eq!(
            decoded.time.unix_timestamp_nanos().to_string(),
            case.unix_nanos,
            "{}",
            case.name
        );
        assert_eq!(
            nango::cursor::encode_cursor(&decoded.timestamp, &decoded.id),
            case.cursor
        );
    }
    for case in &vectors.invalid {
        let err = nango::cursor::decode_cursor(&case.cursor).expect_err(&case.name);
        assert_eq!(err.code(), "invalid_argument", "{}", case.name);
    }
}

#[derive(Deserialize)]
struct HeaderCase {
    name: String,
    received: Vec<(String, String)>,
    // Ordered: the vector compares the order of names too (serde_json's Map would sort them).
    expect: nango::OrderedMap<Value>,
}

#[test]
fn header_vectors() {
    #[derive(Deserialize)]
    struct File {
        cases: Vec<HeaderCase>,
    }
    let text = std::fs::read_to_string(vectors_dir().join("headers.json")).unwrap();
    let file: File = serde_json::from_str(&text).unwrap();
    assert!(file.cases.len() >= 5);
    for case in &file.cases {
        let got: Vec<(String, Value)> = nango::fold_headers(&case.received)
            .iter()
            .map(|(key, value)| (key.to_owned(), serde_json::to_value(value).unwrap()))
            .collect();
        assert_eq!(got, case.expect.0, "{}", case.name);
    }
}

#[test]
fn config_vectors() {
    let text = std::fs::read_to_string(vectors_dir().join("config.json")).unwrap();
    let vectors: Value = serde_json::from_str(&text).unwrap();
    let cases = vectors["cases"].as_array().unwrap();
    assert!(cases.len() >= 10);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let settings = &case["settings"];
        // The path both bindings take: host numbers through core's converters, then build().
        let built = (|| {
            let mut builder = Nango::builder("11111111-2222-4333-8444-555555555555");
            if let Some(seconds) = settings.get("timeout").and_then(Value::as_f64) {
                builder =
                    builder.timeout(nango::client::duration_from_secs_f64("timeout", seconds)?);
            }
            if let Some(retries) = settings.get("maxRetries").and_then(Value::as_f64) {
                builder =
                    builder.max_retries(nango::client::retries_from_f64("max_retries", retries)?);
            }
            builder.build()
        })();
        if case["ok"] == true {
            built.unwrap_or_else(|err| panic!("{name}: {err}"));
            continue;
        }
        let err = built.expect_err(name);
        assert_eq!(err.code(), case["error"], "{name}");
        assert_eq!(
            err.info().field.as_deref(),
            case["field"].as_str(),
            "{name}"
        );
    }
}

#[test]
fn axios_codes_of_failures_without_an_answer() {
    let text = std::fs::read_to_string(vectors_dir().join("errors.json")).unwrap();
    let vectors: Value = serde_json::from_str(&text).unwrap();
    let rows = vectors["axiosCodes"].as_array().unwrap();
    assert!(rows.len() >= 8);
    for row in rows {
        let error = match row["code"].as_str().unwrap() {
            "timeout" => Error::Timeout(Duration::from_secs(1)),
            "cancelled" => Error::Cancelled,
            "transport" => Error::Transport {
                message: "refused".into(),
                not_sent: true,
            },
            "tls" => Error::Tls {
                message: "unknown CA".into(),
            },
            "invalid_argument" => Error::invalid_argument("limit", "too big"),
            "decode" => nango::response::decode_error(
                &RawResponse {
                    status: 200,
                    headers: Vec::new(),
                    body: b"<html>".to_vec(),
                },
                "not JSON".into(),
            ),
            "invalid_signature" => {
                Error::InvalidSignature(nango::webhooks::VerifyError::SignatureMismatch)
            }
            "internal" => Error::Internal("bug".into()),
            other => panic!("no error built for {other}"),
        };
        assert_eq!(error.code(), row["code"].as_str().unwrap());
        assert_eq!(error.info().axios_code, row["axiosCode"].as_str(), "{row}");
    }
    assert_eq!(nango::error::status_text(404), "Not Found");
    assert_eq!(nango::error::status_text(299), "");
}

#[test]
fn every_error_code_has_a_class_in_every_binding() {
    let text = std::fs::read_to_string(vectors_dir().join("errors.json")).unwrap();
    let vectors: Value = serde_json::from_str(&text).unwrap();
    let listed: Vec<&str> = vectors["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            for language in ["node", "python"] {
                let class = row[language].as_str().unwrap_or("");
                assert!(!class.is_empty(), "{row}: no {language} class");
            }
            row["code"].as_str().unwrap()
        })
        .collect();
    let all: Vec<&str> = nango::ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        listed, all,
        "errors.json `classes` must list every ErrorCode, in order"
    );
    for code in nango::ErrorCode::ALL {
        assert_eq!(nango::ErrorCode::from_text(code.as_str()), Some(*code));
    }
    // Every code an error case expects is one of them.
    for case in vectors["cases"].as_array().unwrap() {
        if let Some(code) = case["expect"]["code"].as_str() {
            assert!(listed.contains(&code), "{code}");
        }
    }
}
