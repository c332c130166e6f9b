//! The host capabilities the popup flow needs, as a trait the bindings implement (the browser
//! with `web-sys`, a native CLI with a browser launcher or an HTTP client, tests with fakes),
//! and a small driver that connects a host to an [`AuthFlow`].
//!
//! The trait is object-safe and synchronous: every method only *starts* something. Results
//! come back later as [`AuthEvent`]s through [`AuthSession::handle`], from whatever callbacks
//! or tasks the host owns, so the core never needs a runtime.

use super::events::{AuthEffect, AuthEvent, TimerId};
use super::flow::{AuthFlow, FlowTimings, PopupPlan};
use super::popup::ScreenSize;
use super::{AuthError, AuthSuccess};

/// What a platform must provide to run a popup flow.
pub trait AuthHost {
    /// Opens the popup with `features`, synchronously (inside the user gesture). Returns
    /// `false` when it was blocked (null window, or already closed).
    fn open_popup(&mut self, features: &str) -> bool;
    /// Points the popup at `url`. The URL holds the token: never log it.
    fn navigate_popup(&mut self, url: &str);
    /// Closes the popup after `after_ms` (0: now).
    fn close_popup(&mut self, after_ms: u32);
    /// Starts checking `popup.closed` every `interval_ms`, feeding
    /// [`AuthEvent::PopupClosedTick`]. Hosts that cannot observe the window may do nothing.
    fn watch_popup(&mut self, interval_ms: u32);
    /// Stops the checks started by [`watch_popup`](Self::watch_popup).
    fn unwatch_popup(&mut self);
    /// Opens a WebSocket to `url`, feeding its messages, errors and close.
    fn connect_socket(&mut self, url: &str);
    /// Closes the WebSocket.
    fn close_socket(&mut self);
    /// Starts (or restarts) a one-shot timer, feeding [`AuthEvent::TimerFired`].
    fn start_timer(&mut self, timer: TimerId, after_ms: u32);
    /// Cancels a timer.
    fn cancel_timer(&mut self, timer: TimerId);
    /// Delivers the flow's result, exactly once.
    fn settle(&mut self, outcome: Result<AuthSuccess, AuthError>);
    /// A debug message (only when the client's `debug` is on). Default: dropped.
    fn log(&mut self, message: &str) {
        let _ = message;
    }
}

/// Performs `effects` on `host`, feeding the synchronous answer to `OpenPopup` straight back
/// into `flow` (and performing what that yields) so the popup opens inside the caller's stack.
pub fn run_effects<H: AuthHost + ?Sized>(
    flow: &mut AuthFlow,
    host: &mut H,
    effects: Vec<AuthEffect>,
) {
    let mut queue: std::collections::VecDeque<AuthEffect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        match effect {
            AuthEffect::OpenPopup { features } => {
                let event = if host.open_popup(&features) {
                    AuthEvent::PopupOpened
                } else {
                    AuthEvent::PopupBlocked
                };
                queue.extend(flow.handle(event));
            }
            AuthEffect::ConnectSocket { url } => host.connect_socket(&url),
            AuthEffect::NavigatePopup { url } => host.navigate_popup(&url),
            AuthEffect::WatchPopup { interval_ms } => host.watch_popup(interval_ms),
            AuthEffect::UnwatchPopup => host.unwatch_popup(),
            AuthEffect::StartTimer { timer, after_ms } => host.start_timer(timer, after_ms),
            AuthEffect::CancelTimer { timer } => host.cancel_timer(timer),
            AuthEffect::ClosePopup { after_ms } => host.close_popup(after_ms),
            AuthEffect::CloseSocket => host.close_socket(),
            AuthEffect::Log(message) => host.log(&message),
            AuthEffect::Resolve(success) => host.settle(Ok(success)),
            AuthEffect::Reject(error) => host.settle(Err(error)),
        }
    }
}

/// A flow bound to its host: start it, then hand it every event the host observes.
#[derive(Debug)]
pub struct AuthSession<H: AuthHost> {
    flow: AuthFlow,
    host: H,
}

impl<H: AuthHost> AuthSession<H> {
    /// Starts `plan` on `host`: the popup is opened before this returns.
    pub fn start(plan: PopupPlan, screen: ScreenSize, host: H) -> Self {
        Self::start_with(plan, screen, FlowTimings::default(), host)
    }

    /// Like [`start`](Self::start) with explicit timings.
    pub fn start_with(
        plan: PopupPlan,
        screen: ScreenSize,
        timings: FlowTimings,
        mut host: H,
    ) -> Self {
        let (mut flow, effects) = plan.start_with(screen, timings);
        run_effects(&mut flow, &mut host, effects);
        Self { flow, host }
    }

    /// Feeds one event and performs the resulting effects.
    pub fn handle(&mut self, event: AuthEvent) {
        let effects = self.flow.handle(event);
        run_effects(&mut self.flow, &mut self.host, effects);
    }

    /// The flow.
    pub fn flow(&self) -> &AuthFlow {
        &self.flow
    }

    /// The host.
    pub fn host(&self) -> &H {
        &self.host
    }

    /// The host, mutably (e.g. to drain its queued events).
    pub fn host_mut(&mut self) -> &mut H {
        &mut self.host
    }

    /// Whether the flow has settled.
    pub fn is_settled(&self) -> bool {
        self.flow.is_settled()
    }

    /// Gives the host back.
    pub fn into_host(self) -> H {
        self.host
    }
}
