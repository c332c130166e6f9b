//! `webhook-forgery`: real webhooks from the emulator (a sync webhook and an async-action
//! webhook, captured by a local receiver) verify; every forgery is rejected: each single-bit
//! flip and each truncation of the body, appended bytes, a re-serialised body, wrong keys,
//! a missing HMAC header (even with a valid legacy one), conflicting duplicate headers and
//! mangled signatures. Header names in any case and upper-case hex still verify.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::HeaderMap;
use serde_json::json;

use crate::params::{connection, integration, text};
use crate::{Check, Emulator, Tally, ensure};

type Captured = Arc<Mutex<Vec<(Vec<(String, String)>, Vec<u8>)>>>;

/// One delivery as received: headers in order, raw body.
#[derive(Clone)]
struct Delivery {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

async fn receiver(store: Captured) -> Result<(String, tokio::task::JoinHandle<()>), String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let store = store.clone();
            async move {
                let headers = headers
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.as_str().to_owned(),
                            String::from_utf8_lossy(v.as_bytes()).into_owned(),
                        )
                    })
                    .collect();
                if let Ok(mut s) = store.lock() {
                    s.push((headers, body.to_vec()));
                }
                "ok"
            }
        }),
    );
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((format!("http://{addr}/hook"), task))
}

fn with_header(
    headers: &[(String, String)],
    name: &str,
    f: impl Fn(&str) -> Option<Vec<(String, String)>>,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (k, v) in headers {
        if k.eq_ignore_ascii_case(name) {
            if let Some(replacement) = f(v) {
                out.extend(replacement);
            }
        } else {
            out.push((k.clone(), v.clone()));
        }
    }
    out
}

fn hmac_of(headers: &[(String, String)]) -> String {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("x-nango-hmac-sha256"))
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Runs the scenario.
pub async fn run(emu: &Emulator, tally: &mut Tally) -> Check {
    let store: Captured = Arc::default();
    let (url, server) = receiver(store.clone()).await?;
    emu.admin("PUT", "/webhook-url", Some(json!({"url": url})))
        .await?;
    emu.admin(
        "POST",
        "/provider/mutate",
        Some(
            json!({"integration": integration(), "model": text(&["webhooks", "model"]), "add": 1}),
        ),
    )
    .await?;
    emu.admin(
        "POST",
        "/sync/run",
        Some(json!({"provider_config_key": integration(),
        "connection_id": connection(), "sync": text(&["webhooks", "sync"])})),
    )
    .await?;
    let nango = emu.client().build().map_err(|e| e.to_string())?;
    nango
        .trigger_action_async(
            &nango::TriggerActionParams::new(integration(), connection(), "echo")
                .input(json!({"hook": true})),
        )
        .await
        .map_err(|e| e.to_string())?;
    let mut deliveries: Vec<Delivery> = Vec::new();
    for _ in 0..200 {
        deliveries = store
            .lock()
            .map(|s| {
                s.iter()
                    .map(|(h, b)| Delivery {
                        headers: h.clone(),
                        body: b.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        if deliveries.len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.abort();
    ensure!(
        deliveries.len() >= 2,
        "expected 2 webhooks, received {}",
        deliveries.len()
    );

    let mut kinds = Vec::new();
    let mut wrong: Vec<String> = Vec::new();
    let mut tried = 0u64;
    let mut expect = |label: String, got: bool, want: bool| {
        tried += 1;
        if got != want {
            wrong.push(label);
        }
    };
    let signing = emu.signing_key.clone();
    for (n, d) in deliveries.iter().enumerate() {
        let ok = |body: &[u8], headers: &[(String, String)]| {
            nango.verify_incoming_webhook_request(body, headers)
        };
        // The real thing.
        expect(format!("#{n} real"), ok(&d.body, &d.headers), true);
        let parsed = nango::webhooks::parse_verified(&signing, &d.body, &d.headers)
            .map_err(|e| e.to_string())?;
        kinds.push(parsed.kind());
        // Header name case and value case do not matter.
        for name in [
            "X-NANGO-HMAC-SHA256",
            "x-nango-hmac-sha256",
            "X-Nango-Hmac-Sha256",
            "x-NaNgO-hMaC-sHa256",
        ] {
            let h = with_header(&d.headers, "x-nango-hmac-sha256", |v| {
                Some(vec![(name.to_owned(), v.to_owned())])
            });
            expect(format!("#{n} name {name}"), ok(&d.body, &h), true);
        }
        let upper = with_header(&d.headers, "x-nango-hmac-sha256", |v| {
            Some(vec![("x-nango-hmac-sha256".into(), v.to_uppercase())])
        });
        expect(format!("#{n} upper-case hex"), ok(&d.body, &upper), true);
        let same_twice = with_header(&d.headers, "x-nango-hmac-sha256", |v| {
            Some(vec![
                ("x-nango-hmac-sha256".into(), v.to_owned()),
                ("X-Nango-Hmac-Sha256".into(), v.to_owned()),
            ])
        });
        expect(
            format!("#{n} identical duplicate"),
            ok(&d.body, &same_twice),
            true,
        );
        // Missing HMAC header, legacy still present: rejected.
        let legacy_only = with_header(&d.headers, "x-nango-hmac-sha256", |_| None);
        expect(
            format!("#{n} legacy only"),
            ok(&d.body, &legacy_only),
            false,
        );
        let none = with_header(&legacy_only, "x-nango-signature", |_| None);
        expect(format!("#{n} no signature"), ok(&d.body, &none), false);
        // The legacy header is right, and only the opt-in legacy check accepts it.
        expect(
            format!("#{n} legacy opt-in"),
            nango::webhooks::verify_legacy_signature(&signing, &d.body, &d.headers),
            true,
        );
        // Conflicting duplicates, in both orders.
        let sig = hmac_of(&d.headers);
        let mut forged_sig = sig.clone().into_bytes();
        if let Some(b) = forged_sig.first_mut() {
            *b = if *b == b'0' { b'1' } else { b'0' };
        }
        let forged_sig = String::from_utf8_lossy(&forged_sig).into_owned();
        for (a, b) in [(&sig, &forged_sig), (&forged_sig, &sig)] {
            let h = with_header(&d.headers, "x-nango-hmac-sha256", |_| {
                Some(vec![
                    ("x-nango-hmac-sha256".into(), a.clone()),
                    ("x-nango-hmac-sha256".into(), b.clone()),
                ])
            });
            expect(
                format!("#{n} conflicting duplicate"),
                ok(&d.body, &h),
                false,
            );
        }
        // Every hex digit changed, and malformed values.
        for i in 0..sig.len() {
            let mut s = sig.clone().into_bytes();
            s[i] = if s[i] == b'a' { b'b' } else { b'a' };
            let s = String::from_utf8_lossy(&s).into_owned();
            let h = with_header(&d.headers, "x-nango-hmac-sha256", |_| {
                Some(vec![("x-nango-hmac-sha256".into(), s.clone())])
            });
            expect(format!("#{n} sig digit {i}"), ok(&d.body, &h), false);
        }
        // Surrounding blanks are optional whitespace in HTTP (RFC 9110 §5.5): servers strip them.
        for padded in [format!(" {sig}"), format!("{sig} "), format!("\t{sig}")] {
            let h = with_header(&d.headers, "x-nango-hmac-sha256", |_| {
                Some(vec![("x-nango-hmac-sha256".into(), padded.clone())])
            });
            expect(format!("#{n} padded {padded:?}"), ok(&d.body, &h), true);
        }
        for bad in [
            String::new(),
            sig[..63].to_owned(),
            format!("{sig}0"),
            format!("sha256={sig}"),
            format!("{} {}", &sig[..32], &sig[32..]),
            "zz".repeat(32),
            sig[..32].to_owned(),
        ] {
            let h = with_header(&d.headers, "x-nango-hmac-sha256", |_| {
                Some(vec![("x-nango-hmac-sha256".into(), bad.clone())])
            });
            expect(format!("#{n} malformed {bad:?}"), ok(&d.body, &h), false);
        }
        // Every single-bit flip and every truncation of the body.
        for i in 0..d.body.len() {
            for bit in 0..8 {
                let mut b = d.body.clone();
                b[i] ^= 1 << bit;
                expect(format!("#{n} flip {i}.{bit}"), ok(&b, &d.headers), false);
            }
        }
        for len in 0..d.body.len() {
            expect(
                format!("#{n} prefix {len}"),
                ok(&d.body[..len], &d.headers),
                false,
            );
        }
        for suffix in [&b"\n"[..], b" ", b"{}", b"\0", b"\xff"] {
            let mut b = d.body.clone();
            b.extend_from_slice(suffix);
            expect(format!("#{n} suffix {suffix:?}"), ok(&b, &d.headers), false);
        }
        let reparsed: serde_json::Value =
            serde_json::from_slice(&d.body).map_err(|e| e.to_string())?;
        if let Ok(pretty) = serde_json::to_vec_pretty(&reparsed) {
            expect(
                format!("#{n} re-serialised"),
                ok(&pretty, &d.headers),
                false,
            );
        }
        // Wrong keys.
        let mut wrong_keys = vec![
            emu.secret_key.clone(),
            format!("{signing} "),
            signing.to_uppercase(),
            signing[1..].to_owned(),
        ];
        let mut last_changed = signing.clone().into_bytes();
        if let Some(b) = last_changed.last_mut() {
            *b ^= 1;
        }
        wrong_keys.push(String::from_utf8_lossy(&last_changed).into_owned());
        for key in wrong_keys {
            let other = emu
                .client()
                .webhook_signing_key(key)
                .build()
                .map_err(|e| e.to_string())?;
            expect(
                "wrong key".to_owned(),
                other.verify_incoming_webhook_request(&d.body, &d.headers),
                false,
            );
        }
        // No signing key: the secret key is the fallback, and it is not the signing key here.
        let fallback = nango::Nango::builder(emu.secret_key.clone())
            .host(emu.url.clone())
            .build()
            .map_err(|e| e.to_string())?;
        expect(
            "secret-key fallback".to_owned(),
            fallback.verify_incoming_webhook_request(&d.body, &d.headers),
            false,
        );
        expect(
            "empty key".to_owned(),
            nango::webhooks::verify_incoming_webhook_request("", &d.body, &d.headers),
            false,
        );
    }
    tally.inputs = tried;
    tally.note(format!(
        "{} real webhooks ({})",
        deliveries.len(),
        kinds.join(", ")
    ));
    ensure!(
        wrong.is_empty(),
        "{} of {tried} verdicts wrong, e.g. {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(5)]
    );
    ensure!(
        kinds.contains(&"sync") && kinds.contains(&"async_action"),
        "payload kinds {kinds:?}"
    );
    Ok(())
}
