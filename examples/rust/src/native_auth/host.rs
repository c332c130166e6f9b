//! [`AuthHost`] on tokio: the popup is a [`Browser`], the socket a tokio-tungstenite task, timers
//! are sleeping tasks. Every observation comes back to the driver as a [`HostEvent`] on one
//! channel, so the flow itself is only ever touched by the driver's task.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use nango::auth::{AuthError, AuthEvent, AuthHost, AuthSuccess, TimerId};
use tokio::sync::{mpsc, oneshot};
use tokio::task::{AbortHandle, JoinHandle};

use super::browser::{Browser, BrowserOutcome};

/// What the host's tasks report to the driver.
#[derive(Debug)]
pub(crate) enum HostEvent {
    /// An event for the flow.
    Flow(AuthEvent),
    /// The browser could not go on; the flow ends with this error.
    BrowserFailed(AuthError),
}

/// Where the browser stopped, for a clearer `window_closed` message.
#[derive(Debug, Clone)]
pub(crate) struct LastPage {
    pub(crate) path: String,
    pub(crate) status: u16,
}

pub(crate) struct NativeHost {
    events: mpsc::UnboundedSender<HostEvent>,
    browser: Arc<dyn Browser>,
    browser_task: Option<AbortHandle>,
    socket_close: Option<oneshot::Sender<()>>,
    socket_task: Option<JoinHandle<()>>,
    timers: HashMap<TimerId, JoinHandle<()>>,
    outcome: Option<Result<AuthSuccess, AuthError>>,
    pub(crate) socket_error: Arc<Mutex<Option<String>>>,
    pub(crate) last_page: Arc<Mutex<Option<LastPage>>>,
}

impl NativeHost {
    pub(crate) fn new(events: mpsc::UnboundedSender<HostEvent>, browser: Arc<dyn Browser>) -> Self {
        Self {
            events,
            browser,
            browser_task: None,
            socket_close: None,
            socket_task: None,
            timers: HashMap::new(),
            outcome: None,
            socket_error: Arc::new(Mutex::new(None)),
            last_page: Arc::new(Mutex::new(None)),
        }
    }

    pub(crate) fn take_outcome(&mut self) -> Option<Result<AuthSuccess, AuthError>> {
        self.outcome.take()
    }
}

impl AuthHost for NativeHost {
    fn open_popup(&mut self, _features: &str) -> bool {
        // Nothing to open yet: the browser is handed the URL once the socket is acknowledged.
        // Native hosts are never blocked.
        true
    }

    fn navigate_popup(&mut self, url: &str) {
        if let Some(previous) = self.browser_task.take() {
            previous.abort();
        }
        let open = self.browser.open(url.to_owned());
        let events = self.events.clone();
        let last_page = self.last_page.clone();
        let task = tokio::spawn(async move {
            match open.await {
                BrowserOutcome::Launched => {}
                BrowserOutcome::Finished { last_path, status } => {
                    if let Ok(mut slot) = last_page.lock() {
                        *slot = Some(LastPage {
                            path: last_path,
                            status,
                        });
                    }
                    // The "window" is done; the flow waits a grace period for the socket.
                    let _ =
                        events.send(HostEvent::Flow(AuthEvent::PopupClosedTick { closed: true }));
                }
                BrowserOutcome::Failed(error) => {
                    let _ = events.send(HostEvent::BrowserFailed(error));
                }
            }
        });
        self.browser_task = Some(task.abort_handle());
    }

    fn close_popup(&mut self, after_ms: u32) {
        // The agent may still be reading the callback page; let it finish as a browser would.
        if let Some(task) = self.browser_task.take() {
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(u64::from(after_ms))).await;
                task.abort();
            });
        }
    }

    fn watch_popup(&mut self, _interval_ms: u32) {
        // No polling: the browser task reports the end of its pages itself (navigate_popup).
    }

    fn unwatch_popup(&mut self) {}

    fn connect_socket(&mut self, url: &str) {
        let (close, closed) = oneshot::channel();
        self.socket_close = Some(close);
        self.socket_task = Some(tokio::spawn(super::socket::run(
            url.to_owned(),
            self.events.clone(),
            closed,
            self.socket_error.clone(),
        )));
    }

    fn close_socket(&mut self) {
        if let Some(close) = self.socket_close.take() {
            let _ = close.send(());
        }
        // The task sends its close frame and ends by itself.
        self.socket_task = None;
    }

    fn start_timer(&mut self, timer: TimerId, after_ms: u32) {
        self.cancel_timer(timer);
        let events = self.events.clone();
        let task = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(u64::from(after_ms))).await;
            let _ = events.send(HostEvent::Flow(AuthEvent::TimerFired(timer)));
        });
        self.timers.insert(timer, task);
    }

    fn cancel_timer(&mut self, timer: TimerId) {
        if let Some(task) = self.timers.remove(&timer) {
            task.abort();
        }
    }

    fn settle(&mut self, outcome: Result<AuthSuccess, AuthError>) {
        self.outcome = Some(outcome);
    }

    fn log(&mut self, message: &str) {
        // Only with `AuthConfig::debug(true)`; the flow's messages never hold secrets.
        eprintln!("nango auth: {message}");
    }
}

impl Drop for NativeHost {
    fn drop(&mut self) {
        // A flow dropped half-way (the caller's future cancelled) leaves nothing running.
        for (_, task) in self.timers.drain() {
            task.abort();
        }
        if let Some(task) = self.browser_task.take() {
            task.abort();
        }
        if let Some(task) = self.socket_task.take() {
            task.abort();
        }
    }
}
