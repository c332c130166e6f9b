//! `bad-input`: a table of invalid arguments per method — empty ids, malformed names, limits out
//! of range, invalid dates, control characters in header-borne ids, foreign status URLs,
//! non-UTF-8 webhook bodies, bad hosts and keys. Each must end in a typed error with an expected
//! code (`invalid_argument` before sending, or the server's verdict mapped to a stable code),
//! never a panic and never a success.

use serde_json::{Value, json};

use crate::params::{connection, integration, text};
use crate::{Check, Emulator, Tally, ensure};

struct Table {
    tried: u64,
    wrong: Vec<String>,
    codes: std::collections::BTreeMap<String, u64>,
}

impl Table {
    fn check<T: std::fmt::Debug>(
        &mut self,
        label: &str,
        result: Result<T, nango::Error>,
        allowed: &[&str],
    ) {
        self.tried += 1;
        match result {
            Ok(v) => self.wrong.push(format!("{label}: succeeded with {v:?}")),
            Err(e) => {
                *self.codes.entry(e.code().to_owned()).or_default() += 1;
                if !allowed.contains(&e.code()) {
                    self.wrong.push(format!(
                        "{label}: code {} ({e}), expected one of {allowed:?}",
                        e.code()
                    ));
                }
            }
        }
    }
}

const ARG: &[&str] = &["invalid_argument"];
const SERVER_SAYS_INVALID: &[&str] = &["validation"];

/// Runs the scenario.
pub async fn run(emu: &Emulator, tally: &mut Tally) -> Check {
    let nango = emu
        .client()
        .max_retries(0)
        .build()
        .map_err(|e| e.to_string())?;
    let (pck, conn) = (integration(), connection());
    let model = text(&["paging", "model"]);
    let mut t = Table {
        tried: 0,
        wrong: Vec::new(),
        codes: Default::default(),
    };
    let lr = |f: &dyn Fn(&mut nango::ListRecordsParams)| {
        let mut p = nango::ListRecordsParams::new(pck.clone(), conn.clone(), model.clone());
        f(&mut p);
        p
    };

    // listRecords
    let cases: Vec<(&str, nango::ListRecordsParams, &[&str])> = vec![
        ("empty model", lr(&|p| p.model.clear()), ARG),
        ("empty connection", lr(&|p| p.connection_id.clear()), ARG),
        (
            "empty integration",
            lr(&|p| p.provider_config_key.clear()),
            ARG,
        ),
        (
            "newline in connection",
            lr(&|p| p.connection_id = "a\nb".into()),
            ARG,
        ),
        (
            "non-Latin-1 connection",
            lr(&|p| p.connection_id = "conn-\u{0100}".into()),
            ARG,
        ),
        (
            "NUL in integration",
            lr(&|p| p.provider_config_key = "zen\0desk".into()),
            ARG,
        ),
        (
            "lower-case model",
            lr(&|p| p.model = "ticket".into()),
            SERVER_SAYS_INVALID,
        ),
        (
            "model with space",
            lr(&|p| p.model = "Tic ket".into()),
            SERVER_SAYS_INVALID,
        ),
        ("limit 0", lr(&|p| p.limit = Some(0)), SERVER_SAYS_INVALID),
        (
            "limit 10001",
            lr(&|p| p.limit = Some(10_001)),
            SERVER_SAYS_INVALID,
        ),
        (
            "limit u32::MAX",
            lr(&|p| p.limit = Some(u32::MAX)),
            SERVER_SAYS_INVALID,
        ),
        (
            "date not a date",
            lr(&|p| p.modified_after = Some("not-a-date".into())),
            SERVER_SAYS_INVALID,
        ),
        (
            "date month 13",
            lr(&|p| p.modified_after = Some("2026-13-45T00:00:00Z".into())),
            SERVER_SAYS_INVALID,
        ),
        (
            "date too old",
            lr(&|p| p.modified_after = Some("2001-01-01T00:00:00Z".into())),
            SERVER_SAYS_INVALID,
        ),
        (
            "date empty",
            lr(&|p| p.modified_after = Some(String::new())),
            SERVER_SAYS_INVALID,
        ),
        (
            "delta garbage",
            lr(&|p| p.delta = Some("yesterday".into())),
            SERVER_SAYS_INVALID,
        ),
        (
            "filter bogus",
            lr(&|p| p.filter = Some("bogus".into())),
            SERVER_SAYS_INVALID,
        ),
        (
            "variant invalid",
            lr(&|p| p.variant = Some("bad variant!".into())),
            SERVER_SAYS_INVALID,
        ),
        (
            "101 ids",
            lr(&|p| p.ids = (0..101).map(|i| i.to_string()).collect()),
            SERVER_SAYS_INVALID,
        ),
        (
            "empty id",
            lr(&|p| p.ids = vec![String::new()]),
            SERVER_SAYS_INVALID,
        ),
        (
            "cursor not base64",
            lr(&|p| p.cursor = Some("%%%not-base64".into())),
            &["server_error", "validation"],
        ),
        (
            "cursor base64 garbage",
            lr(&|p| p.cursor = Some("bm9wZQ==".into())),
            &["server_error", "validation"],
        ),
        (
            "cursor too long",
            lr(&|p| p.cursor = Some("A".repeat(1001))),
            &["server_error", "validation"],
        ),
        (
            "unknown connection",
            lr(&|p| p.connection_id = "no-such-conn".into()),
            &["unknown_connection"],
        ),
        (
            "connection 300 chars",
            lr(&|p| p.connection_id = "c".repeat(300)),
            &["unknown_connection", "validation"],
        ),
        (
            "unknown integration",
            lr(&|p| p.provider_config_key = "nope".into()),
            &["unknown_connection", "unknown_integration"],
        ),
    ];
    for (label, params, allowed) in cases {
        t.check(
            &format!("listRecords {label}"),
            nango.list_records::<Value>(&params).await,
            allowed,
        );
    }

    // triggerAction
    let ta = |name: &str| nango::TriggerActionParams::new(pck.clone(), conn.clone(), name);
    t.check(
        "triggerAction empty name",
        nango.trigger_action::<Value>(&ta("")).await,
        ARG,
    );
    t.check(
        "triggerAction empty connection",
        nango
            .trigger_action::<Value>(&nango::TriggerActionParams::new(pck.clone(), "", "echo"))
            .await,
        ARG,
    );
    t.check(
        "triggerAction bad name",
        nango.trigger_action::<Value>(&ta("bad name!")).await,
        SERVER_SAYS_INVALID,
    );
    t.check(
        "triggerAction unknown",
        nango.trigger_action::<Value>(&ta("no-such-action")).await,
        &["not_found"],
    );
    t.check(
        "triggerAction non-object input",
        nango
            .trigger_action::<Value>(&ta("create-ticket").input(json!([1, 2])))
            .await,
        SERVER_SAYS_INVALID,
    );
    t.check(
        "triggerAction CR in connection",
        nango
            .trigger_action::<Value>(&nango::TriggerActionParams::new(
                pck.clone(),
                "x\r\nInjected: 1",
                "echo",
            ))
            .await,
        ARG,
    );

    // getConnection / async results
    t.check(
        "getConnection empty id",
        nango
            .get_connection(&nango::GetConnectionParams::new(pck.clone(), ""))
            .await,
        ARG,
    );
    t.check(
        "getConnection path tricks",
        nango
            .get_connection(&nango::GetConnectionParams::new(
                pck.clone(),
                "../../_emulator/counters",
            ))
            .await,
        &["not_found", "unknown_connection"],
    );
    t.check(
        "getConnection empty integration",
        nango
            .get_connection(&nango::GetConnectionParams::new("", conn.clone()))
            .await,
        ARG,
    );
    t.check(
        "asyncResult nothing",
        nango
            .get_async_action_result::<Value>(&nango::AsyncActionRef::default())
            .await,
        ARG,
    );
    t.check(
        "asyncResult foreign host",
        nango
            .get_async_action_result::<Value>(&nango::AsyncActionRef {
                status_url: Some("http://evil.example/action/1".into()),
                ..Default::default()
            })
            .await,
        ARG,
    );
    t.check(
        "asyncResult unknown id",
        nango
            .get_async_action_result::<Value>(&nango::AsyncActionRef {
                id: Some("not-a-uuid".into()),
                ..Default::default()
            })
            .await,
        &["not_found"],
    );

    // Client construction.
    for (label, host) in [
        ("empty host", ""),
        ("not a url", "not a url"),
        ("ftp host", "ftp://127.0.0.1"),
        ("host with query", "http://127.0.0.1/?a=b"),
    ] {
        t.check(
            &format!("new Nango {label}"),
            nango::Nango::builder(emu.secret_key.clone())
                .host(host)
                .build(),
            ARG,
        );
    }
    for (label, key) in [
        ("empty key", ""),
        ("blank key", "   "),
        ("key with newline", "abc\ndef"),
    ] {
        t.check(
            &format!("new Nango {label}"),
            nango::Nango::builder(key).host(emu.url.clone()).build(),
            ARG,
        );
    }
    t.check(
        "new Nango empty signing key",
        emu.client().webhook_signing_key("").build(),
        ARG,
    );

    // Webhooks: non-UTF-8 and non-JSON bodies, correctly signed, are typed errors.
    let key = emu.signing_key.clone();
    for (label, body) in [
        ("non-UTF-8 body", vec![0xff_u8, 0xfe, b'{', 0x80]),
        ("not JSON", b"hello".to_vec()),
        ("empty body", Vec::new()),
    ] {
        let sig = nango::webhooks::sign_hmac_sha256(&key, &body);
        let headers = [("X-Nango-Hmac-Sha256", sig.as_str())];
        t.check(
            &format!("parse_verified {label}"),
            nango::webhooks::parse_verified(&key, &body, headers),
            ARG,
        );
        t.tried += 1;
        if !nango.verify_incoming_webhook_request(&body, headers) {
            t.wrong.push(format!(
                "verify {label}: a correctly signed body must verify, whatever its bytes"
            ));
        }
    }
    t.check(
        "parse_verified unsigned non-UTF-8",
        nango::webhooks::parse_verified(&key, &[0xc3, 0x28], [("X-Nango-Hmac-Sha256", "00")]),
        &["invalid_signature"],
    );

    // Cursor decoding.
    for bad in ["", "%%%", "bm9wZQ==", "MjAyNnx8eA=="] {
        t.check(
            &format!("decode_cursor {bad:?}"),
            nango::cursor::decode_cursor(bad),
            &["invalid_argument"],
        );
    }

    tally.inputs = t.tried;
    tally.note(format!("codes {:?}", t.codes));
    ensure!(
        t.wrong.is_empty(),
        "{} of {} inputs handled wrongly: {:?}",
        t.wrong.len(),
        t.tried,
        t.wrong
    );
    Ok(())
}
