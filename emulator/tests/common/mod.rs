//! Helpers shared by the integration tests: a started emulator and an HTTP client over loopback.
#![allow(dead_code, unreachable_pub, async_fn_in_trait, clippy::unwrap_used)]

use nango_emulator::{Emulator, EmulatorBuilder, EmulatorHandle};
use serde_json::{Value, json};

/// A client that sends no `Accept-Encoding` and decodes nothing: tests see the bytes the emulator
/// sends, whichever crates of the build turned on reqwest's decoders.
pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .no_gzip()
        .no_brotli()
        .no_zstd()
        .no_deflate()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// `.send().await.unwrap()` (and `.json()` after it), which nearly every test step needs.
pub trait Fetch {
    async fn fetch(self) -> reqwest::Response;
    async fn fetch_json(self) -> Value;
}

impl Fetch for reqwest::RequestBuilder {
    async fn fetch(self) -> reqwest::Response {
        self.send().await.unwrap()
    }

    async fn fetch_json(self) -> Value {
        self.fetch().await.json().await.unwrap()
    }
}

pub struct Ctx {
    pub emu: EmulatorHandle,
    pub http: reqwest::Client,
}

impl Ctx {
    pub async fn start(builder: EmulatorBuilder) -> Self {
        let emu = builder.start().await.unwrap();
        Self {
            emu,
            http: client(),
        }
    }

    pub async fn default_with_connection() -> Self {
        Self::start(Emulator::builder().connection("zendesk", "conn-1")).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.emu.url(), path)
    }

    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.emu.secret_key())
    }

    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.http
            .get(self.url(path))
            .header("Authorization", self.bearer())
    }

    pub fn delete(&self, path: &str) -> reqwest::RequestBuilder {
        self.http
            .delete(self.url(path))
            .header("Authorization", self.bearer())
    }

    pub fn post(&self, path: &str, body: &Value) -> reqwest::RequestBuilder {
        self.http
            .post(self.url(path))
            .header("Authorization", self.bearer())
            .json(body)
    }

    pub fn records(&self, conn: &str, query: &str) -> reqwest::RequestBuilder {
        self.get(&format!("/records/?{query}"))
            .header("Connection-Id", conn)
            .header("Provider-Config-Key", "zendesk")
    }

    pub async fn session_token(&self, body: Value) -> String {
        let r = self.post("/connect/sessions", &body).fetch().await;
        assert_eq!(r.status(), 201);
        let v: Value = r.json().await.unwrap();
        v["data"]["token"].as_str().unwrap().to_owned()
    }

    pub async fn default_session(&self) -> String {
        self.session_token(json!({"end_user": {"id": "user-1", "email": "u@example.com"}}))
            .await
    }
}

pub async fn error_code(resp: reqwest::Response) -> (u16, String) {
    let status = resp.status().as_u16();
    let v: Value = resp.json().await.unwrap();
    (
        status,
        v["error"]["code"].as_str().unwrap_or_default().to_owned(),
    )
}
