//! The non-popup credential routes (docs/protocol.md §4.2 step 1, §12.4): which route and body a set of
//! credentials selects, and how the answer maps to a success or an [`AuthError`].

use std::fmt;

use super::options::AuthOptions;
use super::text::{concat, decimal};
use super::{AuthError, AuthErrorKind, AuthSuccess, JsonObject, JsonValue};

/// A credential route of the auth API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CredentialRoute {
    /// `/auth/two-step/:key` (`type: "TWO_STEP"`).
    TwoStep,
    /// `/auth/signature/:key` (`type: "SIGNATURE"` with username and password).
    Signature,
    /// `/auth/aws-sigv4/:key` (`type: "AWS_SIGV4"` with `role_arn`).
    AwsSigV4,
    /// `/auth/bill/:key` (username, password, organization_id, dev_key).
    Bill,
    /// `/api-auth/api-key/:key` (`apiKey`).
    ApiKey,
    /// `/api-auth/basic/:key` (username and/or password).
    Basic,
    /// `/auth/jwt/:key` (`privateKey` or `type: "JWT"`).
    Jwt,
    /// `/auth/tba/:key` (`token_id` and `token_secret`).
    Tba,
    /// `/oauth2/auth/:key` (OAuth2 client credentials: `client_id` + secret or private key).
    OAuth2ClientCredentials,
    /// `/auth/oauth-outbound/:key` (`installation: "outbound"`).
    OAuthOutbound,
    /// `/auth/unauthenticated/:key` (`create()`).
    Unauthenticated,
}

impl CredentialRoute {
    /// The route's path without the trailing `/:key`.
    pub fn path_prefix(&self) -> &'static str {
        match self {
            Self::TwoStep => "/auth/two-step",
            Self::Signature => "/auth/signature",
            Self::AwsSigV4 => "/auth/aws-sigv4",
            Self::Bill => "/auth/bill",
            Self::ApiKey => "/api-auth/api-key",
            Self::Basic => "/api-auth/basic",
            Self::Jwt => "/auth/jwt",
            Self::Tba => "/auth/tba",
            Self::OAuth2ClientCredentials => "/oauth2/auth",
            Self::OAuthOutbound => "/auth/oauth-outbound",
            Self::Unauthenticated => "/auth/unauthenticated",
        }
    }
}

/// A `POST` to a credential route. No `Authorization` header: the token travels in the query.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct CredentialRequest {
    /// Which route.
    pub route: CredentialRoute,
    /// The full URL, query included (it holds the connect session token or public key).
    pub url: String,
    /// The JSON body (sent with `Content-Type: application/json`), or none.
    pub body: Option<JsonValue>,
}

impl CredentialRequest {
    /// Always `POST`.
    pub fn method(&self) -> &'static str {
        "POST"
    }

    /// `application/json` when there is a body.
    pub fn content_type(&self) -> Option<&'static str> {
        self.body.as_ref().map(|_| "application/json")
    }

    /// The body serialised as sent.
    pub fn body_bytes(&self) -> Option<Vec<u8>> {
        self.body.as_ref().map(|b| b.to_json_string().into_bytes())
    }
}

impl fmt::Debug for CredentialRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The query holds the token and the body the credentials.
        f.debug_struct("CredentialRequest")
            .field("route", &self.route)
            .field("url", &redact_query(&self.url))
            .field("body", &self.body.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// `url` with its query replaced by `<redacted>`, for `Debug` output.
pub(crate) fn redact_query(url: &str) -> String {
    match url.split_once('?') {
        Some((base, _)) => {
            let mut out = base.to_owned();
            out.push_str("?<redacted>");
            out
        }
        None => url.to_owned(),
    }
}

/// Which credential route `options` select, or `None` for the popup path.
///
/// Non-popup when `installation` is `"outbound"` or the credentials are non-empty and not a
/// pure OAuth client override (both `oauth_client_id_override` and
/// `oauth_client_secret_override`, and not both `token_id` and `token_secret`). Routes are tried
/// in the official order; credentials that match none are `missing_credentials`.
pub(crate) fn select_route(
    options: &AuthOptions,
) -> Option<Result<(CredentialRoute, Option<JsonValue>), AuthError>> {
    let outbound = options.installation.as_deref() == Some("outbound");
    let credentials = options.credentials.as_ref().filter(|c| !c.is_empty());
    let Some(credentials) = credentials else {
        return outbound.then_some(Ok((CredentialRoute::OAuthOutbound, None)));
    };
    let has = |key: &str| credentials.get(key).is_some_and(|v| !v.is_null());
    let pure_override = has("oauth_client_id_override")
        && has("oauth_client_secret_override")
        && !(has("token_id") && has("token_secret"));
    if pure_override && !outbound {
        return None;
    }
    let kind = credentials.get("type").and_then(JsonValue::as_str);
    let verbatim = || Some(JsonValue::Object(credentials.clone()));
    let only = |keys: &[&str]| {
        let picked: JsonObject = keys
            .iter()
            .filter_map(|k| credentials.get(k).map(|v| ((*k).to_owned(), v.clone())))
            .collect();
        Some(JsonValue::Object(picked))
    };

    let selected = if kind == Some("TWO_STEP") {
        let mut body = credentials.clone();
        if let Some(assertion) = options.assertion_option.as_ref().filter(|a| !a.is_empty()) {
            body.insert("assertionOption", JsonValue::Object(assertion.clone()));
        }
        (CredentialRoute::TwoStep, Some(JsonValue::Object(body)))
    } else if kind == Some("SIGNATURE") && has("username") && has("password") {
        (CredentialRoute::Signature, verbatim())
    } else if kind == Some("AWS_SIGV4") && has("role_arn") {
        (CredentialRoute::AwsSigV4, only(&["role_arn", "region"]))
    } else if has("username") && has("password") && has("organization_id") && has("dev_key") {
        (CredentialRoute::Bill, verbatim())
    } else if has("apiKey") {
        (CredentialRoute::ApiKey, only(&["apiKey"]))
    } else if has("username") || has("password") {
        (CredentialRoute::Basic, only(&["username", "password"]))
    } else if has("privateKey") || kind == Some("JWT") {
        (CredentialRoute::Jwt, verbatim())
    } else if has("token_id") && has("token_secret") {
        (CredentialRoute::Tba, verbatim())
    } else if has("client_id") && (has("client_secret") || has("client_private_key")) {
        (CredentialRoute::OAuth2ClientCredentials, verbatim())
    } else if outbound {
        (CredentialRoute::OAuthOutbound, None)
    } else {
        return Some(Err(AuthError::new(
            AuthErrorKind::MissingCredentials,
            "The credentials match no authentication method.",
        )));
    };
    Some(Ok(selected))
}

/// Maps a credential route's answer to the flow's outcome, parsing `body` as JSON (the `json`
/// feature), with the rules of [`map_credential_value`], which hosts with their own JSON parser
/// call directly.
#[cfg(feature = "json")]
pub fn map_credential_response(
    provider_config_key: &str,
    status: u16,
    body: &[u8],
) -> Result<AuthSuccess, AuthError> {
    let json = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .map(JsonValue::from);
    map_credential_value(provider_config_key, status, json.as_ref())
}

/// Maps a credential route's answer to the flow's outcome, its body as the host parsed it
/// (`None` when it is not JSON):
///
/// * 2xx with `{connectionId, providerConfigKey, isPending?}` → success (`providerConfigKey`
///   defaults to the requested key);
/// * the error envelope `{error: {code, message}}` → [`AuthError`] with the server code as its
///   type (known codes become named kinds, e.g. `connection_test_failed`);
/// * anything else → `unknown_error`.
pub fn map_credential_value(
    provider_config_key: &str,
    status: u16,
    json: Option<&JsonValue>,
) -> Result<AuthSuccess, AuthError> {
    let field = |key: &str| json.and_then(|j| j.get(key));
    if (200..300).contains(&status) {
        let text = |key: &str| field(key).and_then(JsonValue::as_str);
        return match text("connectionId") {
            Some(connection_id) => Ok(AuthSuccess {
                provider_config_key: text("providerConfigKey")
                    .unwrap_or(provider_config_key)
                    .to_owned(),
                connection_id: Some(connection_id.to_owned()),
                is_pending: field("isPending").and_then(JsonValue::as_bool),
            }),
            None => Err(AuthError::new(
                AuthErrorKind::UnknownError,
                concat(&[
                    "HTTP ",
                    &decimal(status.into()),
                    ": the response has no connectionId",
                ]),
            )),
        };
    }
    let (code, message) = match field("error") {
        Some(JsonValue::Object(e)) => (
            e.get("code").and_then(JsonValue::as_str),
            e.get("message").and_then(JsonValue::as_str),
        ),
        // Older routes answer `{error: "<message>", type: "<code>"}`.
        Some(JsonValue::String(message)) => (
            field("type").and_then(JsonValue::as_str),
            Some(message.as_str()),
        ),
        _ => (None, None),
    };
    let message = message.map_or_else(
        || concat(&["HTTP ", &decimal(status.into())]),
        str::to_owned,
    );
    Err(match code {
        Some(code) => AuthError::from_server(code, message),
        None => AuthError::new(AuthErrorKind::UnknownError, message),
    })
}
