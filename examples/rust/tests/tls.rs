//! HTTPS end to end: the emulator serves TLS with a certificate signed by a CA generated here;
//! the crate trusts it through `add_root_certificate`, `SSL_CERT_FILE` or `SSL_CERT_DIR`, refuses
//! it fast with the `tls` code otherwise, and goes through an `HTTPS_PROXY` (CONNECT) unless
//! `NO_PROXY` names the host. The admin API and the popup WebSocket (wss) work over TLS too.
//!
//! No harness: the cases that need environment variables re-run this binary with them set
//! (`NANGO_TLS_TEST_CHILD`), so the test never changes its own environment.

#![allow(clippy::unwrap_used)]

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use nango_examples::test_ca::TestCa;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const CHILD: &str = "NANGO_TLS_TEST_CHILD";

/// Every variable that could change the child's trust or proxy decisions (removed in both
/// cases before the case's own are set).
const INHERITED: [&str; 7] = [
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "NODE_EXTRA_CA_CERTS",
    "HTTPS_PROXY",
    "HTTP_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
];

fn main() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    if std::env::var_os(CHILD).is_some() {
        runtime.block_on(child());
        return ExitCode::SUCCESS;
    }
    runtime.block_on(parent());
    println!("tls: all cases passed");
    ExitCode::SUCCESS
}

/// One call with a client configured by the environment alone; prints `ok`, or the error's
/// code and field/message.
async fn child() {
    // `Nango::from_env()` without retries (a refused certificate must fail on the first try).
    let nango = match nango::NangoBuilder::new().max_retries(0).build() {
        Ok(nango) => nango,
        Err(err) => {
            let field = err.info().field.unwrap_or_default();
            println!("build-error {} {field}", err.code());
            return;
        }
    };
    match nango.list_integrations().await {
        Ok(_) => println!("ok"),
        Err(err) => println!("error {} {err}", err.code()),
    }
}

struct Env {
    dir: std::path::PathBuf,
    ca: TestCa,
    url: String,
    secret_key: String,
}

impl Env {
    fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }

    /// Runs the child with these variables; returns its first output line.
    async fn run_child(&self, vars: &[(&str, String)]) -> String {
        let mut command = std::process::Command::new(std::env::current_exe().unwrap());
        for name in INHERITED {
            command.env_remove(name).env_remove(name.to_lowercase());
        }
        command
            .env(CHILD, "1")
            .env("NANGO_HOST", &self.url)
            .env("NANGO_SECRET_KEY", &self.secret_key);
        for (name, value) in vars {
            command.env(name, value);
        }
        let output = tokio::task::spawn_blocking(move || command.output().unwrap())
            .await
            .unwrap();
        assert!(output.status.success(), "child failed: {output:?}");
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned()
    }
}

async fn parent() {
    let ca = TestCa::generate().unwrap();
    let dir = std::env::temp_dir().join(format!("nango-tls-test-{}", std::process::id()));
    ca.write_to(&dir).unwrap();
    std::fs::create_dir_all(dir.join("certs")).unwrap();
    std::fs::write(dir.join("certs").join("ca.pem"), &ca.ca_cert).unwrap();
    std::fs::write(dir.join("bad.pem"), "not a certificate").unwrap();
    let emulator = nango_emulator::Emulator::builder()
        .tls_pem(ca.server_cert.clone(), ca.server_key.clone())
        .connection("zendesk", "conn-1")
        .start()
        .await
        .unwrap();
    assert!(emulator.url().starts_with("https://127.0.0.1:"));
    let env = Env {
        dir: dir.clone(),
        ca,
        url: emulator.url().to_owned(),
        secret_key: emulator.secret_key().to_owned(),
    };

    explicit_option(&env).await;
    untrusted_fails_fast(&env, &emulator).await;
    bad_pem_is_a_configuration_error(&env);
    admin_api_and_websocket(&env).await;
    environment_variables(&env).await;
    proxy_and_no_proxy(&env).await;

    emulator.shutdown().await;
    let _ = std::fs::remove_dir_all(dir);
}

fn builder(env: &Env) -> nango::NangoBuilder {
    nango::Nango::builder(&env.secret_key).host(&env.url)
}

async fn explicit_option(env: &Env) {
    let nango = builder(env)
        .add_root_certificate(env.ca.ca_cert.clone())
        .build()
        .unwrap();
    let integrations = nango.list_integrations().await.unwrap();
    assert!(!integrations.data.is_empty());
    // The same CA given as a path (the Python form).
    let nango = builder(env)
        .add_root_certificate_pem_or_path(env.path("ca.pem"))
        .build()
        .unwrap();
    nango.list_integrations().await.unwrap();
    println!("tls: explicit CA (PEM and path) ok");
}

async fn untrusted_fails_fast(env: &Env, emulator: &nango_emulator::EmulatorHandle) {
    let served = emulator.request_count();
    // Retries would wait 3 s each: a refused certificate must not be retried.
    let slow_retries = nango::retry::RetryPolicy {
        max_retries: 2,
        base_delay: Duration::from_secs(3),
        max_delay: Duration::from_secs(3),
        ..nango::retry::RetryPolicy::default()
    };
    for nango in [
        builder(env).retry_policy(slow_retries).build().unwrap(),
        builder(env)
            .retry_policy(slow_retries)
            .add_root_certificate(env.ca.other_ca_cert.clone())
            .build()
            .unwrap(),
    ] {
        let started = Instant::now();
        let err = nango.list_integrations().await.unwrap_err();
        assert_eq!(err.code(), "tls", "{err}");
        assert_eq!(err.error_code(), nango::ErrorCode::Tls);
        assert_eq!(err.info().not_sent, Some(true));
        let message = err.to_string();
        assert!(message.contains("add_root_certificate"), "{message}");
        assert!(message.contains("SSL_CERT_FILE"), "{message}");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
    }
    assert_eq!(emulator.request_count(), served, "no request got through");
    println!("tls: untrusted certificate refused fast with code tls");
}

fn bad_pem_is_a_configuration_error(env: &Env) {
    for (builder, field) in [
        (
            builder(env).add_root_certificate("garbage"),
            "ca_certificates[0]",
        ),
        (
            builder(env)
                .add_root_certificate(env.ca.ca_cert.clone())
                .add_root_certificate_file(env.path("bad.pem")),
            "ca_certificates[1]",
        ),
        (
            builder(env).add_root_certificate_pem_or_path(env.path("missing.pem")),
            "ca_certificates[0]",
        ),
    ] {
        let err = builder.build().unwrap_err();
        assert_eq!(err.code(), "invalid_argument");
        assert_eq!(err.info().field.as_deref(), Some(field), "{err}");
    }
    println!("tls: bad PEM rejected at build, naming the option");
}

async fn admin_api_and_websocket(env: &Env) {
    let ca = reqwest::Certificate::from_pem(env.ca.ca_cert.as_bytes()).unwrap();
    let http = reqwest::Client::builder()
        .tls_certs_only([ca])
        .no_proxy()
        .build()
        .unwrap();
    let health: serde_json::Value = http
        .get(format!("{}/_emulator/health", env.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["ok"], true);
    let counters = http
        .get(format!("{}/_emulator/counters", env.url))
        .bearer_auth(&env.secret_key)
        .send()
        .await
        .unwrap();
    assert_eq!(counters.status(), 200);

    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from_pem_slice(env.ca.ca_cert.as_bytes()).unwrap())
        .unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let ws_url = env.url.replacen("https://", "wss://", 1) + "/";
    let (mut socket, _) = tokio_tungstenite::connect_async_tls_with_config(
        ws_url,
        None,
        false,
        Some(tokio_tungstenite::Connector::Rustls(Arc::new(config))),
    )
    .await
    .unwrap();
    let first = tokio::time::timeout(Duration::from_secs(5), socket.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(
        first.to_text().unwrap().contains("connection_ack"),
        "{first:?}"
    );
    println!("tls: admin API and wss ok");
}

use rustls::pki_types::pem::PemObject;

async fn environment_variables(env: &Env) {
    let ok = |vars: Vec<(&'static str, String)>| async move {
        let line = env.run_child(&vars).await;
        assert_eq!(line, "ok", "{vars:?}");
    };
    ok(vec![("SSL_CERT_FILE", env.path("ca.pem"))]).await;
    ok(vec![("SSL_CERT_DIR", env.path("certs"))]).await;
    // SSL_CERT_FILE replaces the store: a bundle without the CA is refused.
    let line = env
        .run_child(&[("SSL_CERT_FILE", env.path("other-ca.pem"))])
        .await;
    assert!(line.starts_with("error tls "), "{line}");
    // Node's variable is not the crate's.
    let line = env
        .run_child(&[("NODE_EXTRA_CA_CERTS", env.path("ca.pem"))])
        .await;
    assert!(line.starts_with("error tls "), "{line}");
    let line = env
        .run_child(&[("SSL_CERT_FILE", env.path("bad.pem"))])
        .await;
    assert_eq!(line, "build-error invalid_argument SSL_CERT_FILE");
    println!("tls: SSL_CERT_FILE / SSL_CERT_DIR ok");
}

/// A CONNECT proxy on 127.0.0.1 that counts the tunnels it opened.
async fn connect_proxy() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let tunnels = Arc::new(AtomicUsize::new(0));
    let count = tunnels.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let count = count.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if client.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head);
                let mut words = head.split_whitespace();
                let (Some("CONNECT"), Some(target)) = (words.next(), words.next()) else {
                    let _ = client
                        .write_all(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
                        .await;
                    return;
                };
                let Ok(mut upstream) = TcpStream::connect(target).await else {
                    let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
                    return;
                };
                count.fetch_add(1, Ordering::SeqCst);
                let _ = client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await;
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            });
        }
    });
    (url, tunnels)
}

async fn proxy_and_no_proxy(env: &Env) {
    let (proxy, tunnels) = connect_proxy().await;
    let ca = ("SSL_CERT_FILE", env.path("ca.pem"));
    let line = env
        .run_child(&[ca.clone(), ("HTTPS_PROXY", proxy.clone())])
        .await;
    assert_eq!(line, "ok");
    assert_eq!(tunnels.load(Ordering::SeqCst), 1, "one CONNECT tunnel");
    let line = env
        .run_child(&[
            ca,
            ("HTTPS_PROXY", proxy),
            ("NO_PROXY", "127.0.0.1".to_owned()),
        ])
        .await;
    assert_eq!(line, "ok");
    assert_eq!(
        tunnels.load(Ordering::SeqCst),
        1,
        "NO_PROXY bypassed the proxy"
    );
    println!("tls: HTTPS_PROXY (CONNECT) and NO_PROXY ok");
}
