//! Shared setup: an emulator on loopback, a backend client for it, connect sessions.

#![allow(dead_code, clippy::unwrap_used)]

use std::time::Duration;

use nango::auth::{AuthClient, AuthConfig};
use nango::{CreateConnectSessionParams, EndUser, Nango};
use nango_emulator::{Emulator, EmulatorHandle};

pub(crate) struct Setup {
    pub(crate) emulator: EmulatorHandle,
    pub(crate) nango: Nango,
}

pub(crate) async fn start() -> Setup {
    let emulator = Emulator::builder().start().await.unwrap();
    let nango = Nango::builder(emulator.secret_key())
        .host(emulator.url())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    Setup { emulator, nango }
}

impl Setup {
    /// A frontend client holding a fresh connect session token allowing `allowed`.
    pub(crate) async fn auth_client(&self, allowed: &[&str]) -> AuthClient {
        let session = self
            .nango
            .create_connect_session(&CreateConnectSessionParams {
                end_user: Some(EndUser {
                    id: "test-user".into(),
                    ..Default::default()
                }),
                allowed_integrations: Some(allowed.iter().map(|s| (*s).to_owned()).collect()),
                ..Default::default()
            })
            .await
            .unwrap();
        AuthClient::new(
            AuthConfig::new()
                .host(self.emulator.url())
                .connect_session_token(session.data.token),
        )
        .unwrap()
    }

    pub(crate) async fn connection_count(&self) -> usize {
        self.nango
            .list_connections(&Default::default())
            .await
            .unwrap()
            .connections
            .len()
    }
}
