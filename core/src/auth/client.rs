//! The frontend's configuration (docs/protocol.md §4.1) and the synchronous dispatch of `auth()`,
//! `create()` and `reconnect()` (docs/protocol.md §4.2).

use std::fmt;

use super::credentials::{CredentialRequest, CredentialRoute, select_route};
use super::flow::PopupPlan;
use super::options::{AuthOptions, AuthToken, build_query};
use super::popup::{DEFAULT_POPUP_HEIGHT, DEFAULT_POPUP_WIDTH};
use super::text::concat;
use super::urls::{encode_uri_component, normalize_host, origin_of, websocket_url};
use super::{AuthError, AuthErrorKind};

/// The official default host.
pub const DEFAULT_HOST: &str = "https://api.nango.dev";

/// Constructor options of the frontend (`new Nango({...})`).
#[derive(Clone, Default)]
pub struct AuthConfig {
    host: Option<String>,
    websockets_path: Option<String>,
    token: Option<AuthToken>,
    width: Option<u32>,
    height: Option<u32>,
    debug: bool,
}

impl fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthConfig")
            .field("host", &self.host)
            .field("websockets_path", &self.websockets_path)
            .field("token", &self.token)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("debug", &self.debug)
            .finish()
    }
}

impl AuthConfig {
    /// All defaults: `https://api.nango.dev`, WebSocket at `/`, 500×600, no token.
    pub fn new() -> Self {
        Self::default()
    }

    /// The Nango host; trailing slashes are removed.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// The WebSocket path (self-hosted Nango with `NANGO_SERVER_WEBSOCKETS_PATH`).
    pub fn websockets_path(mut self, path: impl Into<String>) -> Self {
        self.websockets_path = Some(path.into());
        self
    }

    /// Authenticate with a connect session token (replaces a public key).
    pub fn connect_session_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(AuthToken::ConnectSession(token.into()));
        self
    }

    /// Authenticate with a legacy public key (replaces a connect session token).
    pub fn public_key(mut self, key: impl Into<String>) -> Self {
        self.token = Some(AuthToken::PublicKey(key.into()));
        self
    }

    /// Popup width in CSS pixels (default 500).
    pub fn width(mut self, width: u32) -> Self {
        self.width = Some(width);
        self
    }

    /// Popup height in CSS pixels (default 600).
    pub fn height(mut self, height: u32) -> Self {
        self.height = Some(height);
        self
    }

    /// Emit [`AuthEffect::Log`](super::AuthEffect::Log) effects (never with secrets).
    pub fn debug(mut self, debug: bool) -> Self {
        self.debug = debug;
        self
    }
}

/// A validated frontend configuration: the pure half of the official `Nango` frontend class.
#[derive(Clone)]
pub struct AuthClient {
    host: String,
    origin: String,
    websocket_url: String,
    token: Option<AuthToken>,
    width: u32,
    height: u32,
    debug: bool,
}

impl fmt::Debug for AuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthClient")
            .field("host", &self.host)
            .field("websocket_url", &self.websocket_url)
            .field("token", &self.token)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("debug", &self.debug)
            .finish()
    }
}

/// What `auth()` does, decided synchronously before any I/O.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum AuthPlan {
    /// Open the popup (now, inside the user gesture) and run the [`AuthFlow`](super::AuthFlow).
    Popup(PopupPlan),
    /// `POST` the credentials; map the answer with
    /// [`map_credential_value`](super::map_credential_value) (or `map_credential_response`).
    Request(CredentialRequest),
}

impl AuthClient {
    /// Validates the configuration: `invalid_host_url` unless the host is an `http(s)` URL.
    /// A missing token is only reported when a flow starts (`missing_auth_token`), as officially.
    pub fn new(config: AuthConfig) -> Result<Self, AuthError> {
        let host = normalize_host(config.host.as_deref().unwrap_or(DEFAULT_HOST))?;
        let origin = origin_of(&host).ok_or_else(|| {
            AuthError::new(
                AuthErrorKind::InvalidHostUrl,
                "Invalid URL provided for the Nango host.",
            )
        })?;
        let websocket_url = websocket_url(&host, config.websockets_path.as_deref())?;
        Ok(Self {
            host,
            origin,
            websocket_url,
            token: config.token,
            width: config.width.unwrap_or(DEFAULT_POPUP_WIDTH),
            height: config.height.unwrap_or(DEFAULT_POPUP_HEIGHT),
            debug: config.debug,
        })
    }

    /// The host without trailing slashes.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The host's origin, the only origin whose `postMessage` is trusted.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The WebSocket URL (docs/protocol.md §4.1).
    pub fn websocket_url(&self) -> &str {
        &self.websocket_url
    }

    /// Popup `(width, height)`.
    pub fn popup_size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// Whether debug logging is on.
    pub fn debug(&self) -> bool {
        self.debug
    }

    /// Whether the client authenticates with a connect session token.
    pub fn has_connect_session_token(&self) -> bool {
        matches!(&self.token, Some(AuthToken::ConnectSession(t)) if !t.is_empty())
    }

    /// Replaces the connect session token (e.g. a fresh one for the next attempt).
    pub fn set_connect_session_token(&mut self, token: impl Into<String>) {
        self.token = Some(AuthToken::ConnectSession(token.into()));
    }

    /// The query string of docs/protocol.md §4.2 for this client (see [`build_query`]).
    pub fn query(&self, connection_id: Option<&str>, options: &AuthOptions) -> String {
        build_query(self.token.as_ref(), connection_id, options)
    }

    /// `<host>/oauth/connect/<key><query>` without `ws_client_id`. The key is encoded as a path
    /// segment; the server decodes route parameters.
    pub fn connect_url_base(
        &self,
        provider_config_key: &str,
        connection_id: Option<&str>,
        options: &AuthOptions,
    ) -> String {
        concat(&[
            &self.host,
            "/oauth/connect/",
            &encode_uri_component(provider_config_key),
            &self.query(connection_id, options),
        ])
    }

    /// The URL the popup navigates to once the socket is acknowledged.
    pub fn connect_url(
        &self,
        provider_config_key: &str,
        connection_id: Option<&str>,
        options: &AuthOptions,
        ws_client_id: &str,
    ) -> String {
        append_ws_client_id(
            &self.connect_url_base(provider_config_key, connection_id, options),
            ws_client_id,
        )
    }

    /// `auth(providerConfigKey, connectionId?, options?)`: the credential route, or the popup.
    pub fn plan(
        &self,
        provider_config_key: &str,
        connection_id: Option<&str>,
        options: &AuthOptions,
    ) -> Result<AuthPlan, AuthError> {
        self.require_token()?;
        match select_route(options) {
            Some(route) => {
                let (route, body) = route?;
                Ok(AuthPlan::Request(self.request(
                    route,
                    body,
                    provider_config_key,
                    connection_id,
                    options,
                )))
            }
            None => Ok(AuthPlan::Popup(PopupPlan {
                provider_config_key: provider_config_key.to_owned(),
                connection_id: connection_id.map(str::to_owned),
                connect_url_base: self.connect_url_base(
                    provider_config_key,
                    connection_id,
                    options,
                ),
                websocket_url: self.websocket_url.clone(),
                origin: self.origin.clone(),
                width: self.width,
                height: self.height,
                detect_closed_window: options.detect_closed_auth_window.unwrap_or(false),
                timeout_ms: options.timeout_ms,
                debug: self.debug,
            })),
        }
    }

    /// `reconnect(providerConfigKey, options?)`: needs a connect session token (the reconnect
    /// session names the connection), then behaves like `auth()` without a connection id.
    pub fn reconnect_plan(
        &self,
        provider_config_key: &str,
        options: &AuthOptions,
    ) -> Result<AuthPlan, AuthError> {
        if !self.has_connect_session_token() {
            return Err(AuthError::new(
                AuthErrorKind::MissingConnectSessionToken,
                "Reconnecting requires a connect session token.",
            ));
        }
        self.plan(provider_config_key, None, options)
    }

    /// `create(providerConfigKey, connectionId?, options?)`: `POST /auth/unauthenticated/:key`
    /// with no body, for integrations without authentication.
    pub fn create_request(
        &self,
        provider_config_key: &str,
        connection_id: Option<&str>,
        options: &AuthOptions,
    ) -> Result<CredentialRequest, AuthError> {
        self.require_token()?;
        Ok(self.request(
            CredentialRoute::Unauthenticated,
            None,
            provider_config_key,
            connection_id,
            options,
        ))
    }

    fn request(
        &self,
        route: CredentialRoute,
        body: Option<super::JsonValue>,
        provider_config_key: &str,
        connection_id: Option<&str>,
        options: &AuthOptions,
    ) -> CredentialRequest {
        CredentialRequest {
            route,
            url: concat(&[
                &self.host,
                route.path_prefix(),
                "/",
                &encode_uri_component(provider_config_key),
                &self.query(connection_id, options),
            ]),
            body,
        }
    }

    fn require_token(&self) -> Result<(), AuthError> {
        // An empty string is "no token", as the official SDK's truthiness check has it.
        match &self.token {
            Some(AuthToken::ConnectSession(t) | AuthToken::PublicKey(t)) if !t.is_empty() => Ok(()),
            _ => Err(AuthError::new(
                AuthErrorKind::MissingAuthToken,
                "A connect session token or a public key is required.",
            )),
        }
    }
}

pub(crate) fn append_ws_client_id(connect_url_base: &str, ws_client_id: &str) -> String {
    let separator = if connect_url_base.contains('?') {
        "&"
    } else {
        "?"
    };
    concat(&[
        connect_url_base,
        separator,
        "ws_client_id=",
        &encode_uri_component(ws_client_id),
    ])
}
