//! The OAuth popup flow as a sans-I/O state machine (docs/protocol.md §4.2–§4.4, §13 quirk 9).
//!
//! The flow never touches a window, socket or clock. [`PopupPlan::start`] returns the first
//! effect, [`AuthEffect::OpenPopup`], which the host must perform synchronously (inside the
//! user's click, or browsers block the popup) and answer with [`AuthEvent::PopupOpened`] or
//! [`AuthEvent::PopupBlocked`]. From then on the host feeds every event it observes to
//! [`AuthFlow::handle`] and performs the effects it gets back, in order.
//!
//! ```text
//!  start ──► OpeningPopup ──PopupBlocked──► Reject(blocked_by_browser)
//!                │ PopupOpened: ConnectSocket, [WatchPopup], [StartTimer(Timeout)]
//!                ▼
//!          WaitingForAck ──socket error/close──► Reject(socket_closed)
//!                │ connection_ack: NavigatePopup(connect url + ws_client_id)
//!                ▼
//!          Authorizing ──WS success──────────────► Resolve(ids from the server)
//!           │  │  │  └──WS error / callback error──► Reject(server's type)
//!           │  │  └─socket lost: StartTimer(SocketLostGrace) … fires ──► Reject(socket_closed)
//!           │  └─callback success (postMessage/BroadcastChannel):
//!           │        socket lost ──► Resolve(known ids)
//!           │        else ──► CallbackReceived: StartTimer(CallbackGrace)
//!           │               WS success ──► Resolve(server ids)
//!           │               grace fires / socket lost / popup closed ──► Resolve(known ids)
//!           └─popup closed (if detected): StartTimer(WindowClosedGrace)
//!                    a completion first ──► as above;  fires ──► Reject(window_closed)
//!  any state: StartTimer(Timeout) fires ──► Reject(timeout); Cancel ──► Reject(cancelled)
//!  settle: CancelTimer…, [UnwatchPopup], [CloseSocket], ClosePopup(500 ms), Resolve|Reject;
//!          every later event is ignored.
//! ```

use std::fmt;

use super::client::append_ws_client_id;
use super::credentials::redact_query;
use super::events::{AuthEffect, AuthEvent, TimerId};
#[cfg(feature = "json")]
use super::messages::parse_socket_message;
use super::messages::{
    CallbackMessage, SocketMessage, parse_broadcast_value, parse_socket_value, parse_window_value,
};
use super::popup::{ScreenSize, popup_features};
use super::text::{concat, decimal};
use super::{AuthError, AuthErrorKind, AuthSuccess};

/// How long the flow waits in its grace periods, and how often it polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FlowTimings {
    /// How often the host checks `popup.closed` when asked to watch (official: 500 ms).
    pub closed_poll_interval_ms: u32,
    /// Delay before the popup is closed after the flow settles, so the callback page can post
    /// its message (official: 500 ms).
    pub popup_close_delay_ms: u32,
    /// After the popup is seen closed, how long a completion may still arrive before
    /// `window_closed` (a success racing the close wins; NangoHQ/nango#1305).
    pub window_closed_grace_ms: u32,
    /// After a callback-page success, how long to wait for the WebSocket's `success`, which
    /// carries the connection id.
    pub callback_grace_ms: u32,
    /// After the socket drops mid-authorization, how long the callback page may still
    /// complete the flow before `socket_closed`. Long, because the user may still be on the
    /// provider's consent screen (idle proxies often cut sockets after 60 s). `0` rejects at
    /// once.
    pub socket_lost_grace_ms: u32,
}

impl Default for FlowTimings {
    fn default() -> Self {
        Self {
            closed_poll_interval_ms: 500,
            popup_close_delay_ms: 500,
            window_closed_grace_ms: 1_500,
            callback_grace_ms: 1_000,
            socket_lost_grace_ms: 120_000,
        }
    }
}

/// Everything a popup flow needs, decided by [`AuthClient::plan`](super::AuthClient::plan).
#[derive(Clone)]
pub struct PopupPlan {
    pub(crate) provider_config_key: String,
    pub(crate) connection_id: Option<String>,
    pub(crate) connect_url_base: String,
    pub(crate) websocket_url: String,
    pub(crate) origin: String,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) detect_closed_window: bool,
    pub(crate) timeout_ms: Option<u32>,
    pub(crate) debug: bool,
}

impl fmt::Debug for PopupPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PopupPlan")
            .field("provider_config_key", &self.provider_config_key)
            .field("connection_id", &self.connection_id)
            .field("connect_url", &redact_query(&self.connect_url_base))
            .field("websocket_url", &self.websocket_url)
            .field("detect_closed_window", &self.detect_closed_window)
            .field("timeout_ms", &self.timeout_ms)
            .finish_non_exhaustive()
    }
}

impl PopupPlan {
    /// The integration being connected.
    pub fn provider_config_key(&self) -> &str {
        &self.provider_config_key
    }

    /// The WebSocket URL the flow will connect to.
    pub fn websocket_url(&self) -> &str {
        &self.websocket_url
    }

    /// The `/oauth/connect` URL for a given `ws_client_id` (holds the token: do not log it).
    pub fn connect_url(&self, ws_client_id: &str) -> String {
        append_ws_client_id(&self.connect_url_base, ws_client_id)
    }

    /// Starts the flow with the default [`FlowTimings`]. The returned effects begin with
    /// [`AuthEffect::OpenPopup`]; perform it before returning to the event loop.
    pub fn start(self, screen: ScreenSize) -> (AuthFlow, Vec<AuthEffect>) {
        self.start_with(screen, FlowTimings::default())
    }

    /// Starts the flow with explicit timings.
    pub fn start_with(
        self,
        screen: ScreenSize,
        timings: FlowTimings,
    ) -> (AuthFlow, Vec<AuthEffect>) {
        let features = popup_features(self.width, self.height, screen);
        let flow = AuthFlow {
            plan: self,
            timings,
            state: FlowState::OpeningPopup,
            socket: SocketState::NotConnected,
            popup_open: false,
            watching: false,
            timers: Vec::new(),
            outcome: None,
        };
        let mut effects = vec![AuthEffect::OpenPopup { features }];
        flow.log(&mut effects, || {
            concat(&[
                "auth: opening the popup for ",
                &flow.plan.provider_config_key,
            ])
        });
        (flow, effects)
    }
}

/// Where the flow stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FlowState {
    /// `OpenPopup` was requested; waiting for its result.
    OpeningPopup,
    /// The socket was requested; waiting for `connection_ack`.
    WaitingForAck,
    /// The popup was navigated to `/oauth/connect`; waiting for a completion.
    Authorizing,
    /// The callback page reported success; waiting briefly for the WebSocket's ids.
    CallbackReceived,
    /// Resolved or rejected; all further events are ignored.
    Settled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SocketState {
    NotConnected,
    Connecting,
    Open,
    Lost,
}

/// One popup flow. Create it with [`PopupPlan::start`].
pub struct AuthFlow {
    plan: PopupPlan,
    timings: FlowTimings,
    state: FlowState,
    socket: SocketState,
    popup_open: bool,
    watching: bool,
    timers: Vec<TimerId>,
    outcome: Option<Result<AuthSuccess, AuthError>>,
}

impl fmt::Debug for AuthFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthFlow")
            .field("plan", &self.plan)
            .field("state", &self.state)
            .field("socket", &self.socket)
            .field("timers", &self.timers)
            .field("outcome", &self.outcome)
            .finish_non_exhaustive()
    }
}

impl AuthFlow {
    /// The current state.
    pub fn state(&self) -> FlowState {
        self.state
    }

    /// Whether the flow has resolved or rejected.
    pub fn is_settled(&self) -> bool {
        self.state == FlowState::Settled
    }

    /// The result, once settled.
    pub fn outcome(&self) -> Option<&Result<AuthSuccess, AuthError>> {
        self.outcome.as_ref()
    }

    /// The timers currently running.
    pub fn active_timers(&self) -> &[TimerId] {
        &self.timers
    }

    /// Feeds one event; returns the effects to perform, in order.
    pub fn handle(&mut self, event: AuthEvent) -> Vec<AuthEffect> {
        let mut fx = Vec::new();
        if self.state == FlowState::Settled {
            return fx;
        }
        match event {
            AuthEvent::PopupOpened => self.on_popup_opened(&mut fx),
            AuthEvent::PopupBlocked => {
                if self.state == FlowState::OpeningPopup {
                    self.settle(
                        Err(AuthError::new(
                            AuthErrorKind::BlockedByBrowser,
                            "Authorization popup blocked by the browser.",
                        )),
                        &mut fx,
                    );
                }
            }
            AuthEvent::SocketOpen => {
                if self.socket == SocketState::Connecting {
                    self.socket = SocketState::Open;
                }
            }
            #[cfg(feature = "json")]
            AuthEvent::SocketMessage(text) => {
                self.on_socket_message(|| parse_socket_message(&text), &mut fx);
            }
            AuthEvent::SocketValue(value) => {
                self.on_socket_message(|| parse_socket_value(&value), &mut fx);
            }
            AuthEvent::SocketError => self.on_socket_lost(None, &mut fx),
            AuthEvent::SocketClosed { code } => self.on_socket_lost(code, &mut fx),
            AuthEvent::WindowMessage { origin, data } => {
                match parse_window_value(&self.plan.origin, &origin, &data) {
                    Some(message) => self.on_callback(message, &mut fx),
                    None => self.log(&mut fx, || {
                        concat(&["auth: ignored a window message from ", &origin])
                    }),
                }
            }
            AuthEvent::BroadcastMessage(data) => {
                if let Some(message) = parse_broadcast_value(&data) {
                    self.on_callback(message, &mut fx);
                }
            }
            AuthEvent::PopupClosedTick { closed } => self.on_popup_closed(closed, &mut fx),
            AuthEvent::TimerFired(timer) => self.on_timer(timer, &mut fx),
            AuthEvent::Cancel => self.settle(
                Err(AuthError::new(
                    AuthErrorKind::Cancelled,
                    "The authorization was cancelled.",
                )),
                &mut fx,
            ),
        }
        fx
    }

    fn on_popup_opened(&mut self, fx: &mut Vec<AuthEffect>) {
        if self.state != FlowState::OpeningPopup {
            return;
        }
        self.popup_open = true;
        self.state = FlowState::WaitingForAck;
        self.socket = SocketState::Connecting;
        fx.push(AuthEffect::ConnectSocket {
            url: self.plan.websocket_url.clone(),
        });
        if self.plan.detect_closed_window {
            self.watching = true;
            fx.push(AuthEffect::WatchPopup {
                interval_ms: self.timings.closed_poll_interval_ms,
            });
        }
        if let Some(timeout_ms) = self.plan.timeout_ms {
            self.start_timer(TimerId::Timeout, timeout_ms, fx);
        }
    }

    fn on_socket_message(
        &mut self,
        parse: impl FnOnce() -> SocketMessage,
        fx: &mut Vec<AuthEffect>,
    ) {
        let waiting = matches!(
            self.state,
            FlowState::WaitingForAck | FlowState::Authorizing | FlowState::CallbackReceived
        );
        if !waiting {
            return;
        }
        match parse() {
            SocketMessage::Ack { ws_client_id } => {
                if self.state == FlowState::WaitingForAck {
                    self.state = FlowState::Authorizing;
                    self.log(fx, || {
                        "auth: socket acknowledged, navigating the popup".to_owned()
                    });
                    fx.push(AuthEffect::NavigatePopup {
                        url: self.plan.connect_url(&ws_client_id),
                    });
                }
            }
            SocketMessage::Success(mut success) => {
                if success.provider_config_key.is_empty() {
                    success.provider_config_key = self.plan.provider_config_key.clone();
                }
                self.settle(Ok(success), fx);
            }
            SocketMessage::Error(error) => self.settle(Err(error), fx),
            SocketMessage::Unknown(kind) => {
                self.log(fx, || {
                    concat(&["auth: ignored a socket message of type ", &kind])
                });
            }
            SocketMessage::Malformed => {
                self.log(fx, || "auth: ignored a malformed socket message".to_owned());
            }
        }
    }

    fn on_socket_lost(&mut self, code: Option<u16>, fx: &mut Vec<AuthEffect>) {
        if !matches!(self.socket, SocketState::Connecting | SocketState::Open) {
            return;
        }
        self.socket = SocketState::Lost;
        let closed = |when: &str| {
            let code = code.map(|c| decimal(c.into()));
            let detail = match &code {
                Some(code) => concat(&[" (code ", code, ")"]),
                None => String::new(),
            };
            AuthError::new(
                AuthErrorKind::SocketClosed,
                concat(&["The connection to Nango closed ", when, &detail, "."]),
            )
        };
        match self.state {
            // Nothing else can complete the flow: the popup was never navigated.
            FlowState::WaitingForAck => {
                self.settle(Err(closed("before the authorization started")), fx);
            }
            // The callback page can still report the result through postMessage.
            FlowState::Authorizing => {
                if self.timings.socket_lost_grace_ms == 0 {
                    self.settle(Err(closed("during the authorization")), fx);
                } else {
                    self.log(fx, || {
                        "auth: socket lost, waiting for the callback page".to_owned()
                    });
                    self.start_timer(
                        TimerId::SocketLostGrace,
                        self.timings.socket_lost_grace_ms,
                        fx,
                    );
                }
            }
            // The ids can no longer arrive; the callback page already said it worked.
            FlowState::CallbackReceived => self.settle(Ok(self.known_success()), fx),
            FlowState::OpeningPopup | FlowState::Settled => {}
        }
    }

    fn on_callback(&mut self, message: CallbackMessage, fx: &mut Vec<AuthEffect>) {
        // Before navigation the popup cannot have reached the callback page: such a message
        // is stale (an earlier popup) and ignored; after a success, duplicates are ignored.
        if self.state != FlowState::Authorizing {
            return;
        }
        match message {
            CallbackMessage::Success if self.socket == SocketState::Lost => {
                self.settle(Ok(self.known_success()), fx);
            }
            CallbackMessage::Success => {
                self.state = FlowState::CallbackReceived;
                self.start_timer(TimerId::CallbackGrace, self.timings.callback_grace_ms, fx);
            }
            CallbackMessage::Error(error) => self.settle(Err(error), fx),
        }
    }

    fn on_popup_closed(&mut self, closed: bool, fx: &mut Vec<AuthEffect>) {
        if !closed || !self.plan.detect_closed_window {
            return;
        }
        match self.state {
            FlowState::WaitingForAck | FlowState::Authorizing => {
                if !self.timers.contains(&TimerId::WindowClosedGrace) {
                    let grace = self.timings.window_closed_grace_ms;
                    self.start_timer(TimerId::WindowClosedGrace, grace, fx);
                }
            }
            FlowState::CallbackReceived => self.settle(Ok(self.known_success()), fx),
            FlowState::OpeningPopup | FlowState::Settled => {}
        }
    }

    fn on_timer(&mut self, timer: TimerId, fx: &mut Vec<AuthEffect>) {
        // A timer the flow no longer runs (cancelled, or fired twice) is stale.
        let Some(index) = self.timers.iter().position(|t| *t == timer) else {
            return;
        };
        self.timers.remove(index);
        let outcome = match timer {
            TimerId::Timeout => Err(AuthError::new(
                AuthErrorKind::Timeout,
                concat(&[
                    "The authorization did not complete within ",
                    &decimal(self.plan.timeout_ms.unwrap_or_default()),
                    " ms.",
                ]),
            )),
            TimerId::WindowClosedGrace => Err(AuthError::new(
                AuthErrorKind::WindowClosed,
                "The authorization window was closed before the authorization flow was completed",
            )),
            TimerId::CallbackGrace => Ok(self.known_success()),
            TimerId::SocketLostGrace => Err(AuthError::new(
                AuthErrorKind::SocketClosed,
                "The connection to Nango closed during the authorization and no result arrived.",
            )),
        };
        self.settle(outcome, fx);
    }

    /// The success reported without ids (callback page): the key asked for, and the
    /// connection id only if the caller named one.
    fn known_success(&self) -> AuthSuccess {
        AuthSuccess {
            provider_config_key: self.plan.provider_config_key.clone(),
            connection_id: self.plan.connection_id.clone(),
            is_pending: None,
        }
    }

    fn start_timer(&mut self, timer: TimerId, after_ms: u32, fx: &mut Vec<AuthEffect>) {
        if !self.timers.contains(&timer) {
            self.timers.push(timer);
        }
        fx.push(AuthEffect::StartTimer { timer, after_ms });
    }

    fn settle(&mut self, outcome: Result<AuthSuccess, AuthError>, fx: &mut Vec<AuthEffect>) {
        for timer in self.timers.drain(..) {
            fx.push(AuthEffect::CancelTimer { timer });
        }
        if self.watching {
            self.watching = false;
            fx.push(AuthEffect::UnwatchPopup);
        }
        if matches!(self.socket, SocketState::Connecting | SocketState::Open) {
            self.socket = SocketState::Lost;
            fx.push(AuthEffect::CloseSocket);
        }
        if self.popup_open {
            self.popup_open = false;
            fx.push(AuthEffect::ClosePopup {
                after_ms: self.timings.popup_close_delay_ms,
            });
        }
        self.state = FlowState::Settled;
        self.log(fx, || match &outcome {
            Ok(_) => "auth: resolved".to_owned(),
            Err(error) => concat(&["auth: rejected (", error.kind.official_type(), ")"]),
        });
        fx.push(match &outcome {
            Ok(success) => AuthEffect::Resolve(success.clone()),
            Err(error) => AuthEffect::Reject(error.clone()),
        });
        self.outcome = Some(outcome);
    }

    fn log(&self, fx: &mut Vec<AuthEffect>, message: impl FnOnce() -> String) {
        if self.plan.debug {
            fx.push(AuthEffect::Log(message()));
        }
    }
}
