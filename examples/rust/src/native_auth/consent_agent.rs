//! A headless "browser" that follows the popup's redirects and presses a button on the
//! provider's consent page: what a user does in the popup, without the user. For demos, tests
//! and CI against the emulator's demo provider (or any provider whose consent page is a plain
//! form).

use std::time::Duration;

use nango::auth::{AuthError, AuthErrorKind, map_credential_response};
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION};
use reqwest::{Method, StatusCode};

use super::browser::{Browser, BrowserFuture, BrowserOutcome};
use super::cookies::CookieJar;
use super::html_form::{Form, parse_forms};

/// Redirects and form posts followed before giving up (a loop is a bug on the server side).
const MAX_HOPS: usize = 20;

/// Which consent button the agent presses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The button whose text is `Allow`.
    Allow,
    /// The button whose text is `Deny`.
    Deny,
}

impl Decision {
    /// The visible text of the button to press.
    pub fn button_text(self) -> &'static str {
        match self {
            Self::Allow => "Allow",
            Self::Deny => "Deny",
        }
    }
}

/// Follows redirects, keeps cookies, and presses [`Decision`]'s button once.
#[derive(Debug, Clone)]
pub struct ConsentAgent {
    http: reqwest::Client,
    decision: Decision,
}

impl ConsentAgent {
    /// An agent that presses `Allow`.
    pub fn allow() -> Result<Self, AuthError> {
        Self::new(Decision::Allow, Duration::from_secs(10))
    }

    /// An agent that presses `Deny`.
    pub fn deny() -> Result<Self, AuthError> {
        Self::new(Decision::Deny, Duration::from_secs(10))
    }

    /// An agent pressing `decision`, with a per-page timeout.
    pub fn new(decision: Decision, page_timeout: Duration) -> Result<Self, AuthError> {
        // reqwest is built without a default TLS provider in this workspace (no aws-lc).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            // Every hop is looked at: cookies, the consent page, where the flow ends.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(page_timeout)
            // The agent talks to the server the caller named; a proxy from the environment
            // would break loopback runs.
            .no_proxy()
            .build()
            .map_err(|err| {
                AuthError::new(
                    AuthErrorKind::UnknownError,
                    format!(
                        "could not build the agent's HTTP client: {}",
                        err.without_url()
                    ),
                )
            })?;
        Ok(Self { http, decision })
    }

    /// The button this agent presses.
    pub fn decision(&self) -> Decision {
        self.decision
    }
}

impl Browser for ConsentAgent {
    fn open(&self, url: String) -> BrowserFuture {
        let http = self.http.clone();
        let decision = self.decision;
        Box::pin(async move { drive(&http, decision, &url).await })
    }
}

/// One request of the walk: where, how, and the form body if any.
struct Hop {
    method: Method,
    url: url::Url,
    form_body: Option<String>,
}

async fn drive(http: &reqwest::Client, decision: Decision, start: &str) -> BrowserOutcome {
    let fail = |message: String| {
        BrowserOutcome::Failed(AuthError::new(AuthErrorKind::UnknownError, message))
    };
    let mut hop = match url::Url::parse(start) {
        Ok(url) => Hop {
            method: Method::GET,
            url,
            form_body: None,
        },
        Err(err) => return fail(format!("the popup URL is not a URL: {err}")),
    };
    let mut jar = CookieJar::default();
    let mut pressed = false;
    for _ in 0..MAX_HOPS {
        let path = hop.url.path().to_owned();
        let mut request = http.request(hop.method.clone(), hop.url.clone());
        if let Some(cookie) = jar.header_for(&hop.url) {
            request = request.header(COOKIE, cookie);
        }
        if let Some(body) = hop.form_body.take() {
            request = request
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(body);
        }
        let response = match request.send().await {
            Ok(response) => response,
            // `without_url`: the URLs of this flow carry the session token and the code.
            Err(err) => return fail(format!("could not load {path}: {}", err.without_url())),
        };
        jar.store(&hop.url, response.headers());
        let status = response.status();

        if status.is_redirection() {
            let location = response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|location| hop.url.join(location).ok());
            let Some(next) = location else {
                return fail(format!(
                    "{path} redirected (HTTP {status}) without a usable Location"
                ));
            };
            // 307/308 repeat the request as it was; the others turn into a GET (as browsers do).
            let keep = matches!(
                status,
                StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT
            );
            hop = Hop {
                method: if keep { hop.method } else { Method::GET },
                url: next,
                form_body: None,
            };
            continue;
        }

        let is_html = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().starts_with("text/html"));
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(err) => return fail(format!("could not read {path}: {}", err.without_url())),
        };
        if !is_html {
            // The server answered the popup with data instead of a page: its JSON error
            // envelope (e.g. `integration_not_allowed`), which never reaches the socket.
            return BrowserOutcome::Failed(
                match map_credential_response("", status.as_u16(), &body) {
                    Err(error) => error,
                    Ok(_) => AuthError::new(
                        AuthErrorKind::UnknownError,
                        format!("{path} answered HTTP {status} with a non-HTML body"),
                    ),
                },
            );
        }
        if !pressed {
            let html = String::from_utf8_lossy(&body);
            let forms = parse_forms(&html);
            if let Some(next) = press(&forms, decision, &hop.url) {
                pressed = true;
                hop = next;
                continue;
            }
        }
        // No redirect and nothing (more) to press: the pages ran to their end.
        return BrowserOutcome::Finished {
            last_path: path,
            status: status.as_u16(),
        };
    }
    fail(format!("gave up after {MAX_HOPS} redirects or form posts"))
}

/// The submission of the first form holding the decision's button, as a browser makes it.
fn press(forms: &[Form], decision: Decision, page: &url::Url) -> Option<Hop> {
    let (form, button) = forms
        .iter()
        .find_map(|f| f.button(decision.button_text()).map(|b| (f, b)))?;
    let mut target = match &form.action {
        Some(action) if !action.is_empty() => page.join(action).ok()?,
        _ => page.clone(),
    };
    let encoded = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form.submission(button))
        .finish();
    if form.method == "POST" {
        Some(Hop {
            method: Method::POST,
            url: target,
            form_body: Some(encoded),
        })
    } else {
        target.set_query(Some(&encoded));
        Some(Hop {
            method: Method::GET,
            url: target,
            form_body: None,
        })
    }
}
