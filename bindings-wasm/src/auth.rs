#![cfg(target_arch = "wasm32")]
//! The browser host of core's popup flow (`nango::auth::AuthHost`): the popup window, the
//! WebSocket, `message` events, the `nango-oauth-callback` BroadcastChannel, timers and the
//! closed-popup poll. Every decision (what to open, where to navigate, which message counts,
//! when to give up) is core's; this file only performs effects and reports events.
//!
//! Event plumbing: browser callbacks hold a `Weak` to the running flow and push events through
//! [`dispatch`]. Events raised while the flow is busy (e.g. a WebSocket constructor failing
//! inside an effect) are queued and handled right after, in order.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use js_sys::{Function, Promise};
use nango::auth::{
    AuthError, AuthEvent, AuthHost, AuthSession, AuthSuccess, BROADCAST_CHANNEL, FlowTimings,
    JsonValue, PopupPlan, ScreenSize, TimerId,
};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, CloseEvent, MessageEvent, WebSocket, Window};

use crate::convert::{json_from_js, parse_json, success_to_js};
use crate::errors;

/// A callback page's `data` for core: a string is parsed as JSON first (older callback pages
/// post `JSON.stringify`'d objects), as core's `parse_window_value` asks of hosts.
fn callback_data(data: &JsValue) -> Option<JsonValue> {
    match data.as_string() {
        Some(text) => parse_json(&text),
        None => json_from_js(data),
    }
}

/// The popup the loader opened inside the click, before this module was loaded.
pub(crate) enum Preopened {
    /// The loader did not try (this module was already loaded, so the host opens it itself).
    NotTried,
    /// The loader tried and `window.open` returned `null`.
    Blocked,
    /// The loader's window.
    Window(Window),
}

impl Preopened {
    /// `undefined`: not tried; `null`: blocked; otherwise the window.
    pub(crate) fn from_js(value: JsValue) -> Self {
        if value.is_undefined() {
            Self::NotTried
        } else if value.is_object() {
            // Not `dyn_into`: another window's object fails `instanceof Window` in this realm.
            Self::Window(value.unchecked_into())
        } else {
            Self::Blocked
        }
    }

    /// Closes a window that turned out not to be needed (a credential route, an early error).
    pub(crate) fn discard(self) {
        if let Self::Window(window) = self {
            let _ = window.close();
        }
    }
}

struct Shared {
    session: RefCell<Option<AuthSession<WebHost>>>,
    pending: RefCell<Vec<AuthEvent>>,
    /// The flow keeps itself alive until it settles: the JS object that started it may be
    /// garbage-collected long before (`new Nango(…).auth(…)` keeps no reference), and the
    /// browser callbacks only hold `Weak`s.
    keep_alive: RefCell<Option<Rc<Shared>>>,
}

/// Feeds `event` to the flow behind `shared`, then any events queued meanwhile.
fn dispatch(shared: &Weak<Shared>, event: AuthEvent) {
    let Some(shared) = shared.upgrade() else {
        return;
    };
    shared.pending.borrow_mut().push(event);
    drain(&shared);
}

fn drain(shared: &Shared) {
    // Busy: the caller up the stack is handling an event and drains the queue when done.
    let Ok(mut session) = shared.session.try_borrow_mut() else {
        return;
    };
    let Some(session) = session.as_mut() else {
        return;
    };
    // In batches, in order: events raised while a batch is handled form the next one. (A Vec,
    // not a VecDeque: one collection type less in the wasm.)
    loop {
        let batch = std::mem::take(&mut *shared.pending.borrow_mut());
        if batch.is_empty() {
            break;
        }
        for event in batch {
            session.handle(event);
        }
    }
}

/// A running popup flow, kept by the client so that a new `auth()` can cancel it.
pub(crate) struct Running {
    shared: Rc<Shared>,
}

impl Running {
    /// Rejects the flow with `cancelled` (closing its popup and socket), unless it has settled.
    pub(crate) fn cancel(&self) {
        dispatch(&Rc::downgrade(&self.shared), AuthEvent::Cancel);
    }

    /// The flow's popup while the flow runs; `None` once it has settled or closed it.
    pub(crate) fn popup(&self) -> Option<Window> {
        let session = self.shared.session.try_borrow().ok()?;
        let session = session.as_ref().filter(|s| !s.is_settled())?;
        session.host().popup.clone()
    }
}

/// Starts `plan` now: the popup is opened (or the pre-opened one adopted) before this returns.
pub(crate) fn start(
    plan: PopupPlan,
    timings: FlowTimings,
    preopened: Preopened,
) -> (Promise, Running) {
    let mut settle: Option<(Function, Function)> = None;
    let promise = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
    let shared = Rc::new(Shared {
        session: RefCell::new(None),
        pending: RefCell::new(Vec::new()),
        keep_alive: RefCell::new(None),
    });
    *shared.keep_alive.borrow_mut() = Some(Rc::clone(&shared));
    let window = web_sys::window();
    let screen = window
        .as_ref()
        .and_then(|w| w.screen().ok())
        .map_or(ScreenSize::new(0, 0), |s| {
            let size = |v: Result<i32, JsValue>| u32::try_from(v.unwrap_or(0)).unwrap_or(0);
            ScreenSize::new(size(s.width()), size(s.height()))
        });
    let host = WebHost {
        shared: Rc::downgrade(&shared),
        window,
        preopened,
        popup: None,
        socket: None,
        watch: None,
        timers: Vec::new(),
        listeners: None,
        settle,
    };
    let session = AuthSession::start_with(plan, screen, timings, host);
    *shared.session.borrow_mut() = Some(session);
    drain(&shared);
    (promise, Running { shared })
}

/// A WebSocket and its handlers; dropping it detaches the handlers and closes the socket.
struct Socket {
    socket: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut()>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.socket.set_onopen(None);
        self.socket.set_onmessage(None);
        self.socket.set_onerror(None);
        self.socket.set_onclose(None);
        let _ = self.socket.close();
    }
}

/// A `setTimeout` or `setInterval`; dropping it clears it.
struct Timer {
    window: Window,
    handle: i32,
    interval: bool,
    _callback: Closure<dyn FnMut()>,
}

impl Drop for Timer {
    fn drop(&mut self) {
        if self.interval {
            self.window.clear_interval_with_handle(self.handle);
        } else {
            self.window.clear_timeout_with_handle(self.handle);
        }
    }
}

/// The opener's `message` listener and the BroadcastChannel; dropping them detaches both.
struct Listeners {
    window: Window,
    on_message: Closure<dyn FnMut(MessageEvent)>,
    channel: Option<BroadcastChannel>,
    _on_broadcast: Closure<dyn FnMut(MessageEvent)>,
}

impl Drop for Listeners {
    fn drop(&mut self) {
        let _ = self.window.remove_event_listener_with_callback(
            "message",
            self.on_message.as_ref().unchecked_ref(),
        );
        if let Some(channel) = &self.channel {
            channel.set_onmessage(None);
            channel.close();
        }
    }
}

struct WebHost {
    shared: Weak<Shared>,
    window: Option<Window>,
    preopened: Preopened,
    popup: Option<Window>,
    socket: Option<Socket>,
    watch: Option<Timer>,
    timers: Vec<(TimerId, Timer)>,
    listeners: Option<Listeners>,
    settle: Option<(Function, Function)>,
}

impl WebHost {
    /// A callback that feeds the event built by `event` to this flow.
    fn feeder<A: 'static>(
        &self,
        event: impl Fn(A) -> Option<AuthEvent> + 'static,
    ) -> impl FnMut(A) + 'static {
        let shared = self.shared.clone();
        move |arg| {
            if let Some(event) = event(arg) {
                dispatch(&shared, event);
            }
        }
    }

    fn schedule(&self, after_ms: u32, interval: bool, event: AuthEvent) -> Option<Timer> {
        let window = self.window.clone()?;
        let feed = self.feeder(move |()| Some(event.clone()));
        let mut feed = feed;
        let callback = Closure::<dyn FnMut()>::new(move || feed(()));
        let function: &Function = callback.as_ref().unchecked_ref();
        let delay = i32::try_from(after_ms).unwrap_or(i32::MAX);
        let handle = if interval {
            window.set_interval_with_callback_and_timeout_and_arguments_0(function, delay)
        } else {
            window.set_timeout_with_callback_and_timeout_and_arguments_0(function, delay)
        }
        .ok()?;
        Some(Timer {
            window,
            handle,
            interval,
            _callback: callback,
        })
    }

    /// Listens for the callback page: `postMessage` to this window (origin and data go to core,
    /// which checks the origin) and the BroadcastChannel (same-origin pages only).
    fn listen(&mut self) {
        let Some(window) = self.window.clone() else {
            return;
        };
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(self.feeder(|e: MessageEvent| {
            Some(AuthEvent::WindowMessage {
                origin: e.origin(),
                data: callback_data(&e.data())?,
            })
        }));
        let _ =
            window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
        let on_broadcast =
            Closure::<dyn FnMut(MessageEvent)>::new(self.feeder(|e: MessageEvent| {
                Some(AuthEvent::BroadcastMessage(callback_data(&e.data())?))
            }));
        // Older browsers lack BroadcastChannel; the other two channels still work.
        let channel = BroadcastChannel::new(BROADCAST_CHANNEL).ok();
        if let Some(channel) = &channel {
            channel.set_onmessage(Some(on_broadcast.as_ref().unchecked_ref()));
        }
        self.listeners = Some(Listeners {
            window,
            on_message,
            channel,
            _on_broadcast: on_broadcast,
        });
    }

    fn open_window(&self, features: &str) -> Option<Window> {
        self.window
            .as_ref()?
            .open_with_url_and_target_and_features("", "_blank", features)
            .ok()
            .flatten()
    }
}

impl AuthHost for WebHost {
    fn open_popup(&mut self, features: &str) -> bool {
        let popup = match std::mem::replace(&mut self.preopened, Preopened::NotTried) {
            Preopened::Window(window) => Some(window),
            Preopened::Blocked => None,
            Preopened::NotTried => self.open_window(features),
        };
        // A window that is closed already counts as blocked (some blockers do that).
        let popup = popup.filter(|w| !w.closed().unwrap_or(true));
        let opened = popup.is_some();
        self.popup = popup;
        if opened {
            self.listen();
        }
        opened
    }

    fn navigate_popup(&mut self, url: &str) {
        if let Some(popup) = &self.popup {
            // Fails only if the popup is gone; the closed-popup check or a timeout then decides.
            let _ = popup.location().set_href(url);
        }
    }

    fn close_popup(&mut self, after_ms: u32) {
        let Some(popup) = self.popup.take() else {
            return;
        };
        match (&self.window, after_ms) {
            (Some(window), delay) if delay > 0 => {
                // One-shot and independent of the flow, so it still runs after the flow is gone.
                let close = Closure::once_into_js(move || {
                    let _ = popup.close();
                });
                let delay = i32::try_from(delay).unwrap_or(i32::MAX);
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                    close.unchecked_ref(),
                    delay,
                );
            }
            _ => {
                let _ = popup.close();
            }
        }
    }

    fn watch_popup(&mut self, interval_ms: u32) {
        let popup = self.popup.clone();
        let shared = self.shared.clone();
        self.watch = None;
        let Some(window) = self.window.clone() else {
            return;
        };
        let callback = Closure::<dyn FnMut()>::new(move || {
            let closed = popup.as_ref().is_none_or(|p| p.closed().unwrap_or(true));
            dispatch(&shared, AuthEvent::PopupClosedTick { closed });
        });
        let delay = i32::try_from(interval_ms).unwrap_or(i32::MAX);
        if let Ok(handle) = window.set_interval_with_callback_and_timeout_and_arguments_0(
            callback.as_ref().unchecked_ref(),
            delay,
        ) {
            self.watch = Some(Timer {
                window,
                handle,
                interval: true,
                _callback: callback,
            });
        }
    }

    fn unwatch_popup(&mut self) {
        self.watch = None;
    }

    fn connect_socket(&mut self, url: &str) {
        self.socket = None;
        let socket = match WebSocket::new(url) {
            Ok(socket) => socket,
            Err(_) => {
                // Queued: handled as soon as the current effects are done.
                dispatch(&self.shared, AuthEvent::SocketError);
                return;
            }
        };
        let mut open = self.feeder(|()| Some(AuthEvent::SocketOpen));
        let on_open = Closure::<dyn FnMut()>::new(move || open(()));
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(self.feeder(|e: MessageEvent| {
            // Binary frames are not part of the protocol; text that is not JSON is `null`, which
            // core reports as malformed.
            let text = e.data().as_string()?;
            Some(AuthEvent::SocketValue(
                parse_json(&text).unwrap_or_default(),
            ))
        }));
        let mut error = self.feeder(|()| Some(AuthEvent::SocketError));
        let on_error = Closure::<dyn FnMut()>::new(move || error(()));
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(self.feeder(|e: CloseEvent| {
            Some(AuthEvent::SocketClosed {
                code: Some(e.code()),
            })
        }));
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        self.socket = Some(Socket {
            socket,
            _on_open: on_open,
            _on_message: on_message,
            _on_error: on_error,
            _on_close: on_close,
        });
    }

    fn close_socket(&mut self) {
        self.socket = None;
    }

    fn start_timer(&mut self, timer: TimerId, after_ms: u32) {
        self.timers.retain(|(id, _)| *id != timer);
        if let Some(handle) = self.schedule(after_ms, false, AuthEvent::TimerFired(timer)) {
            self.timers.push((timer, handle));
        }
    }

    fn cancel_timer(&mut self, timer: TimerId) {
        self.timers.retain(|(id, _)| *id != timer);
    }

    fn settle(&mut self, outcome: Result<AuthSuccess, AuthError>) {
        if let Some((resolve, reject)) = self.settle.take() {
            let _ = match &outcome {
                Ok(success) => resolve.call1(&JsValue::UNDEFINED, &success_to_js(success)),
                Err(error) => reject.call1(&JsValue::UNDEFINED, &errors::to_js(error)),
            };
        }
        // Released when the caller's `dispatch` (or `start`) lets go of its own reference.
        if let Some(shared) = self.shared.upgrade() {
            shared.keep_alive.borrow_mut().take();
        }
        // Nothing may reach the flow any more: detach everything still attached.
        self.listeners = None;
        self.socket = None;
        self.watch = None;
        self.timers.clear();
    }

    fn log(&mut self, message: &str) {
        web_sys::console::debug_1(&JsValue::from_str(message));
    }
}
