#![cfg(target_arch = "wasm32")]
//! `openConnectUI(props)`: Connect UI in a full-viewport iframe, with the origin-checked
//! message protocol of docs/protocol.md §4.6.
//!
//! The protocol facts (default URLs, the iframe URL, message types and their origin check, the
//! `session_token` reply) come from core's [`ConnectUiConfig`]; this file only owns the DOM.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use js_sys::{Object, Reflect};
use nango::auth::{
    AuthError, ConnectUiConfig, ConnectUiMessageKind, SESSION_TOKEN_TARGET_ORIGIN,
    session_token_reply,
};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, HtmlIFrameElement, MessageEvent, Window};

use crate::convert::{ConnectUiProps, connect_ui_props_from_js, session_token_from_js};
use crate::errors;

/// Core's view of the props: everything but the session token and the callback.
fn ui_config(props: &ConnectUiProps) -> ConnectUiConfig {
    let mut config = ConnectUiConfig::new();
    config.base_url = props.base_url.clone();
    config.api_url = props.api_url.clone();
    config.detect_closed_auth_window = props.detect_closed_auth_window;
    config.lang = props.lang.clone();
    config.theme = props.theme.clone();
    config
}

/// The Connect UI iframe; `open()` is idempotent, `close()` tears it down.
#[wasm_bindgen(js_name = ConnectUICore)]
pub struct WasmConnectUi {
    state: Rc<RefCell<State>>,
}

struct State {
    props: ConnectUiProps,
    config: ConnectUiConfig,
    /// The iframe's `src`, checked by core (only `http(s)` base and API URLs).
    url: String,
    iframe: Option<HtmlIFrameElement>,
    listener: Option<Closure<dyn FnMut(MessageEvent)>>,
    ready: bool,
    body_overflow: Option<String>,
    /// While open, the iframe keeps its state alive: the JS object returned by
    /// `openConnectUI()` is often dropped at once, and the listener only holds a `Weak`.
    keep_alive: Option<Rc<RefCell<State>>>,
}

impl State {
    /// Posts core's `session_token` reply to the iframe, to core's target origin.
    fn send_token(&self) {
        let (Some(iframe), Some(token)) = (&self.iframe, &self.props.session_token) else {
            return;
        };
        let Some(target) = iframe.content_window() else {
            return;
        };
        let message = Object::new();
        for (key, value) in session_token_reply(token) {
            let _ = Reflect::set(&message, &key.into(), &value.into());
        }
        let _ = target.post_message(&message, SESSION_TOKEN_TARGET_ORIGIN);
    }

    fn teardown(&mut self) {
        if let (Some(window), Some(listener)) = (web_sys::window(), self.listener.take()) {
            let _ = window
                .remove_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
        }
        if let Some(iframe) = self.iframe.take() {
            iframe.remove();
        }
        if let (Some(overflow), Some(body)) = (self.body_overflow.take(), body()) {
            let _ = body.style().set_property("overflow", &overflow);
        }
        self.ready = false;
        // Dropped last by the caller's own reference, never while borrowed.
        self.keep_alive = None;
    }
}

fn body() -> Option<HtmlElement> {
    web_sys::window()?.document()?.body()
}

/// Handles one `message` event on the page; core decides what is Connect UI's (its origin, an
/// object with a string `type`). Every accepted event goes to `onEvent`, after the state is
/// updated, and with no borrow held, so that `onEvent` may call `close()` or `setSessionToken()`.
fn on_message(state: &Weak<RefCell<State>>, event: &MessageEvent) {
    let Some(state) = state.upgrade() else {
        return;
    };
    let data = event.data();
    let kind = Reflect::get(&data, &"type".into())
        .ok()
        .filter(|_| data.is_object())
        .and_then(|t| t.as_string());
    let on_event = {
        let Ok(mut s) = state.try_borrow_mut() else {
            return;
        };
        let Some(kind) = s.config.message_kind(&event.origin(), kind.as_deref()) else {
            return;
        };
        match kind {
            ConnectUiMessageKind::Ready => {
                s.ready = true;
                s.send_token();
            }
            ConnectUiMessageKind::Close => s.teardown(),
            _ => {}
        }
        s.props.on_event.clone()
    };
    if let Some(on_event) = on_event {
        let _ = on_event.call1(&JsValue::UNDEFINED, &data);
    }
}

impl WasmConnectUi {
    /// `invalid_host_url` for a base or API URL that is not `http(s)`, before anything is shown.
    fn build(props: &JsValue, nango_config: &JsValue) -> Result<Self, AuthError> {
        let mut props = connect_ui_props_from_js(props);
        if props.session_token.is_none() {
            props.session_token = session_token_from_js(nango_config);
        }
        let config = ui_config(&props);
        Ok(Self {
            state: Rc::new(RefCell::new(State {
                url: config.iframe_url()?,
                config,
                props,
                iframe: None,
                listener: None,
                ready: false,
                body_overflow: None,
                keep_alive: None,
            })),
        })
    }
}

#[wasm_bindgen(js_class = ConnectUICore)]
impl WasmConnectUi {
    /// `new ConnectUI(props)`; from `openConnectUI`, `nangoConfig` is the `Nango`'s options,
    /// whose `connectSessionToken` is the default `sessionToken`. Throws an `AuthError`
    /// (`invalid_host_url`) for a base or API URL that is not `http(s)`.
    #[wasm_bindgen(constructor)]
    pub fn new(props: JsValue, nango_config: JsValue) -> Result<WasmConnectUi, JsValue> {
        Self::build(&props, &nango_config).map_err(|e| errors::to_js(&e))
    }

    /// The iframe while open (`ConnectUI.iframe`).
    #[wasm_bindgen(getter)]
    pub fn iframe(&self) -> Option<HtmlIFrameElement> {
        self.state.try_borrow().ok()?.iframe.clone()
    }

    /// Adds the iframe and starts listening: a no-op while it is in the page; an iframe the page
    /// removed itself is torn down first, so that the UI opens again.
    pub fn open(&self) {
        let Ok(mut s) = self.state.try_borrow_mut() else {
            return;
        };
        match &s.iframe {
            Some(iframe) if iframe.is_connected() => return,
            Some(_) => s.teardown(),
            None => {}
        }
        let Some((window, body)) = web_sys::window().zip(body()) else {
            return;
        };
        let Some(iframe) = create_iframe(&window, &s.url) else {
            return;
        };
        let weak = Rc::downgrade(&self.state);
        let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            on_message(&weak, &e);
        });
        let _ =
            window.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
        let style = body.style();
        s.body_overflow = Some(style.get_property_value("overflow").unwrap_or_default());
        let _ = style.set_property("overflow", "hidden");
        let _ = body.append_child(&iframe);
        s.iframe = Some(iframe);
        s.listener = Some(listener);
        s.keep_alive = Some(Rc::clone(&self.state));
    }

    /// Removes the iframe and the listener and restores the page's scrolling.
    pub fn close(&self) {
        if let Ok(mut s) = self.state.try_borrow_mut() {
            s.teardown();
        }
    }

    /// Replaces the session token, re-sending it if Connect UI is ready.
    #[wasm_bindgen(js_name = setSessionToken)]
    pub fn set_session_token(&self, token: String) {
        if let Ok(mut s) = self.state.try_borrow_mut() {
            s.props.session_token = Some(token);
            if s.ready {
                s.send_token();
            }
        }
    }
}

fn create_iframe(window: &Window, src: &str) -> Option<HtmlIFrameElement> {
    let iframe: HtmlIFrameElement = window
        .document()?
        .create_element("iframe")
        .ok()?
        .dyn_into()
        .ok()?;
    iframe.set_id("connect-ui");
    iframe.set_src(src);
    let _ = iframe.set_attribute("allow", "clipboard-write");
    let _ = iframe.set_attribute(
        "style",
        "position:fixed;top:0;left:0;width:100%;height:100%;z-index:9999;border:none;\
         background-color:transparent",
    );
    Some(iframe)
}
