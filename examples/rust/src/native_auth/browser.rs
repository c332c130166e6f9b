//! The "popup" of a native host: something that shows the `/oauth/connect` URL to a user, or
//! drives it itself. The demo and tests use [`ConsentAgent`](super::ConsentAgent); a CLI or
//! desktop app uses [`SystemBrowser`].

use std::future::Future;
use std::pin::Pin;

use nango::auth::{AuthError, AuthErrorKind};

/// How a [`Browser`] left the flow.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum BrowserOutcome {
    /// The URL was handed to something we cannot watch (the system browser): the result can
    /// only arrive through the WebSocket.
    Launched,
    /// The pages ran to their end (normally the callback page): the "window" is done and the
    /// WebSocket carries the result. The host reports this as a closed popup, so a flow whose
    /// server never answers on the socket still ends (`window_closed`), instead of hanging.
    Finished {
        /// Path of the last page (never the query: URLs of the flow hold tokens and codes).
        last_path: String,
        /// Its HTTP status.
        status: u16,
    },
    /// The flow could not go on: the server answered the popup with an error, or a page could
    /// not be loaded. Ends the flow with this error at once.
    Failed(AuthError),
}

/// A boxed future, `Send` so hosts can run it on a multi-threaded runtime.
pub type BrowserFuture = Pin<Box<dyn Future<Output = BrowserOutcome> + Send>>;

/// Shows or drives the popup's URL. `url` holds the connect session token: never log it.
pub trait Browser: Send + Sync + 'static {
    /// Opens `url`; the future ends when the browser is done with it (or at once if it cannot
    /// tell).
    fn open(&self, url: String) -> BrowserFuture;
}

/// Opens the URL in the user's default browser (`xdg-open`, `open`, or `start`), as `gh auth
/// login` does. Completion arrives through the WebSocket.
#[derive(Debug, Clone, Default)]
pub struct SystemBrowser {
    _private: (),
}

impl SystemBrowser {
    /// The platform's default browser.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Browser for SystemBrowser {
    fn open(&self, url: String) -> BrowserFuture {
        Box::pin(async move {
            // The launcher returns quickly, but it is still a blocking wait: keep it off the
            // async workers.
            let launched = tokio::task::spawn_blocking(move || launch(&url)).await;
            match launched {
                Ok(Ok(())) => BrowserOutcome::Launched,
                Ok(Err(reason)) => BrowserOutcome::Failed(AuthError::new(
                    AuthErrorKind::BlockedByBrowser,
                    format!("could not open the system browser: {reason}"),
                )),
                Err(join) => BrowserOutcome::Failed(AuthError::new(
                    AuthErrorKind::UnknownError,
                    format!("the browser launcher task failed: {join}"),
                )),
            }
        })
    }
}

fn launch(url: &str) -> Result<(), String> {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        // `start` treats its first quoted argument as a window title.
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let status = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|err| err.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the launcher exited with {status}"))
    }
}
