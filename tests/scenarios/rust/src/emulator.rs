//! The emulator process: started from its binary with `tests/scenarios/emulator.json`, read
//! through its one JSON ready line, driven through the admin API (`/_emulator/...`), stopped by
//! PID.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use serde_json::{Value, json};

/// Default binary location: the workspace's debug build (the runner builds it).
const DEFAULT_BIN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../target/x86_64-unknown-linux-gnu/debug/nango-emulator"
);
/// The one emulator configuration every language uses.
pub const CONFIG_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../emulator.json");

/// A running emulator process.
pub struct Emulator {
    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub url: String,
    /// Its TCP port (to find our sockets to it).
    pub port: u16,
    /// The environment secret key (the scenarios' "secret").
    pub secret_key: String,
    /// The webhook signing key.
    pub signing_key: String,
    child: Mutex<Option<Child>>,
    admin: reqwest::Client,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

fn field(ready: &Value, name: &str) -> Result<String, String> {
    ready
        .get(name)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("ready line lacks {name}"))
}

impl Emulator {
    /// Starts the binary (`NANGO_EMULATOR_BIN` or the default debug build) and waits for its
    /// ready line.
    pub async fn start() -> Result<Emulator, String> {
        // reqwest is built without a default TLS provider (workspace choice: ring).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let admin = reqwest::Client::builder()
            // Admin calls must not leave pooled sockets behind: the socket probes count ours.
            .pool_max_idle_per_host(0)
            .no_proxy()
            .build()
            .map_err(|e| e.to_string())?;
        let bin = std::env::var("NANGO_EMULATOR_BIN").unwrap_or_else(|_| DEFAULT_BIN.to_owned());
        let mut child = Command::new(&bin)
            .arg("--config")
            .arg(CONFIG_PATH)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                format!("cannot start {bin}: {e} (run `cargo build -p nango-emulator`)")
            })?;
        let Some(stdout) = child.stdout.take() else {
            let _ = child.kill();
            return Err("no stdout".into());
        };
        // The ready line arrives once 66k records are seeded: seconds in a debug build.
        let line = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            BufReader::new(stdout).read_line(&mut line).map(|_| line)
        })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string());
        let ready: Value =
            match line.and_then(|l| serde_json::from_str(&l).map_err(|e| e.to_string())) {
                Ok(v) => v,
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!("emulator did not print its ready line: {e}"));
                }
            };
        let mut emu = Emulator {
            url: String::new(),
            port: 0,
            secret_key: String::new(),
            signing_key: String::new(),
            child: Mutex::new(Some(child)),
            admin,
        };
        // From here on, returning an error drops `emu`, which stops the process.
        emu.url = field(&ready, "url")?;
        emu.port = emu
            .url
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .ok_or_else(|| format!("no port in {}", emu.url))?;
        emu.secret_key = field(&ready, "secret_key")?;
        emu.signing_key = field(&ready, "signing_key")?;
        Ok(emu)
    }

    /// Stops the process by PID (SIGTERM, then SIGKILL after 10 s).
    pub fn stop(&self) {
        let Ok(mut slot) = self.child.lock() else {
            return;
        };
        if let Some(mut child) = slot.take() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(child.id().to_string())
                .status();
            for _ in 0..100 {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// A client builder for this emulator with the scenario secret key.
    pub fn client(&self) -> nango::NangoBuilder {
        nango::Nango::builder(self.secret_key.clone())
            .host(self.url.clone())
            .webhook_signing_key(self.signing_key.clone())
    }

    /// Calls the admin API; returns the JSON answer.
    pub async fn admin(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let method = reqwest::Method::from_bytes(method.as_bytes()).map_err(|e| e.to_string())?;
        let mut req = self
            .admin
            .request(method, format!("{}/_emulator{path}", self.url))
            .bearer_auth(&self.secret_key);
        if let Some(body) = body {
            req = req
                .header("Content-Type", "application/json")
                .body(body.to_string());
        }
        let resp = req.send().await.map_err(|e| format!("admin {path}: {e}"))?;
        let status = resp.status();
        let text = resp.text().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("admin {path}: HTTP {status}: {text}"));
        }
        if text.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&text).map_err(|e| format!("admin {path}: {e}"))
    }

    /// Injects fault rules (consumed in order by matching requests).
    pub async fn add_faults(&self, faults: &[Value]) -> Result<(), String> {
        self.admin("POST", "/faults", Some(Value::Array(faults.to_vec())))
            .await
            .map(|_| ())
    }

    /// How many fault rules are still waiting for a request.
    pub async fn faults_left(&self) -> Result<usize, String> {
        let v = self.admin("GET", "/faults", None).await?;
        Ok(v["faults"].as_array().map_or(0, Vec::len))
    }

    /// Waits (up to `limit`) until every injected fault has been consumed.
    pub async fn wait_faults_consumed(&self, limit: Duration) -> Result<(), String> {
        let started = std::time::Instant::now();
        while self.faults_left().await? > 0 {
            if started.elapsed() > limit {
                return Err("injected faults were never reached".into());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(())
    }

    /// `GET /_emulator/counters`.
    pub async fn counters(&self) -> Result<Value, String> {
        self.admin("GET", "/counters", None).await
    }

    /// How often an action has run since the last counter reset.
    pub async fn action_count(&self, name: &str) -> Result<u64, String> {
        Ok(self.counters().await?["actions"][name]
            .as_u64()
            .unwrap_or(0))
    }

    /// Removes faults, the rate limit and the webhook URL: the state between scenarios.
    pub async fn reset_faults(&self) -> Result<(), String> {
        self.admin("DELETE", "/faults", None).await?;
        self.admin("DELETE", "/rate-limit", None).await?;
        self.admin("PUT", "/webhook-url", Some(json!({"url": null})))
            .await?;
        Ok(())
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop();
    }
}
