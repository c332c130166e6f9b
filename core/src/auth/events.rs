//! What the popup flow and its host tell each other: events in, effects out.

use std::fmt;

use super::credentials::redact_query;
use super::{AuthError, AuthSuccess, JsonValue};

/// The flow's timers; the host runs at most one of each at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimerId {
    /// The caller's overall timeout.
    Timeout,
    /// Grace after the popup was seen closed.
    WindowClosedGrace,
    /// Grace after a callback-page success, waiting for the WebSocket's ids.
    CallbackGrace,
    /// Grace after the socket dropped, waiting for the callback page.
    SocketLostGrace,
}

/// Something the host observed.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AuthEvent {
    /// `OpenPopup` gave a window.
    PopupOpened,
    /// `OpenPopup` gave nothing, or a window that is already closed.
    PopupBlocked,
    /// The WebSocket opened (informational).
    SocketOpen,
    /// A WebSocket text frame (the `json` feature parses it).
    #[cfg(feature = "json")]
    SocketMessage(String),
    /// A WebSocket text frame the host parsed as JSON ([`JsonValue::Null`] when it is not JSON).
    SocketValue(JsonValue),
    /// The WebSocket reported an error (browsers give no details).
    SocketError,
    /// The WebSocket closed.
    SocketClosed {
        /// The close code, when known.
        code: Option<u16>,
    },
    /// A `message` event on the opener window.
    WindowMessage {
        /// `event.origin`.
        origin: String,
        /// `event.data`; a string is parsed as JSON by the host first (see
        /// [`parse_window_value`](super::parse_window_value)).
        data: JsonValue,
    },
    /// A message on the `nango-oauth-callback` BroadcastChannel (a string parsed as for
    /// `WindowMessage`).
    BroadcastMessage(JsonValue),
    /// The result of a `popup.closed` check requested by [`AuthEffect::WatchPopup`].
    PopupClosedTick {
        /// `popup.closed`.
        closed: bool,
    },
    /// A timer started by [`AuthEffect::StartTimer`] fired.
    TimerFired(TimerId),
    /// The caller gave up (e.g. a new flow replaces this one, or an abort signal).
    Cancel,
}

/// Something the host must do, in the order given.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub enum AuthEffect {
    /// `window.open('', '_blank', features)`, synchronously, then feed
    /// [`AuthEvent::PopupOpened`] or [`AuthEvent::PopupBlocked`].
    OpenPopup {
        /// The features string.
        features: String,
    },
    /// Open a WebSocket to `url`; never send on it; feed its messages, errors and close.
    ConnectSocket {
        /// The WebSocket URL.
        url: String,
    },
    /// Point the popup at `url` (the `/oauth/connect` URL; it holds the token, do not log it).
    NavigatePopup {
        /// The URL.
        url: String,
    },
    /// Check `popup.closed` every `interval_ms` and feed [`AuthEvent::PopupClosedTick`].
    WatchPopup {
        /// Poll interval.
        interval_ms: u32,
    },
    /// Stop checking `popup.closed`.
    UnwatchPopup,
    /// Start (or restart) a one-shot timer; feed [`AuthEvent::TimerFired`] when it fires.
    StartTimer {
        /// Which timer.
        timer: TimerId,
        /// Delay.
        after_ms: u32,
    },
    /// Cancel a timer.
    CancelTimer {
        /// Which timer.
        timer: TimerId,
    },
    /// Close the popup after `after_ms`.
    ClosePopup {
        /// Delay.
        after_ms: u32,
    },
    /// Close the WebSocket.
    CloseSocket,
    /// A debug message (only with `debug` on; never contains secrets).
    Log(String),
    /// The flow succeeded; settle the caller's promise/future.
    Resolve(AuthSuccess),
    /// The flow failed; settle the caller's promise/future.
    Reject(AuthError),
}

impl fmt::Debug for AuthEffect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OpenPopup { features } => f
                .debug_struct("OpenPopup")
                .field("features", features)
                .finish(),
            Self::ConnectSocket { url } => {
                f.debug_struct("ConnectSocket").field("url", url).finish()
            }
            Self::NavigatePopup { url } => f
                .debug_struct("NavigatePopup")
                .field("url", &redact_query(url))
                .finish(),
            Self::WatchPopup { interval_ms } => f
                .debug_struct("WatchPopup")
                .field("interval_ms", interval_ms)
                .finish(),
            Self::UnwatchPopup => f.write_str("UnwatchPopup"),
            Self::StartTimer { timer, after_ms } => f
                .debug_struct("StartTimer")
                .field("timer", timer)
                .field("after_ms", after_ms)
                .finish(),
            Self::CancelTimer { timer } => {
                f.debug_struct("CancelTimer").field("timer", timer).finish()
            }
            Self::ClosePopup { after_ms } => f
                .debug_struct("ClosePopup")
                .field("after_ms", after_ms)
                .finish(),
            Self::CloseSocket => f.write_str("CloseSocket"),
            Self::Log(message) => f.debug_tuple("Log").field(message).finish(),
            Self::Resolve(success) => f.debug_tuple("Resolve").field(success).finish(),
            Self::Reject(error) => f.debug_tuple("Reject").field(error).finish(),
        }
    }
}
