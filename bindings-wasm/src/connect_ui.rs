#![cfg(target_arch = "wasm32")]
//! `openConnectUI(props)`: Connect UI in a full-viewport iframe, with the origin-checked
//! message protocol of protocol §4.6.
//!
//! Core has no Connect UI module yet, so the three protocol facts this needs live here, marked
//! as such, and should move to `nango::auth`: the default URLs, the iframe URL's query keys, and
//! the message types. The origin check and the encoding already come from core.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use js_sys::{Object, Reflect};
use nango::auth::{encode_uri_component, origin_matches};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, HtmlIFrameElement, MessageEvent, Window};

use crate::convert::{ConnectUiProps, connect_ui_props_from_js};

// Protocol facts (§4.6) that belong in core.
const DEFAULT_BASE_URL: &str = "https://connect.nango.dev";
const DEFAULT_API_URL: &str = "https://api.nango.dev";

/// The iframe's URL: the base with its path ending in `/`, then `apiURL` and the optional
/// `detectClosedAuthWindow`, `lang` and `theme`. The session token is never put in the URL.
fn iframe_url(props: &ConnectUiProps) -> String {
    let base = props.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL);
    let (path, _) = base.split_once(['?', '#']).unwrap_or((base, ""));
    let mut url = String::from(path);
    if !url.ends_with('/') {
        url.push('/');
    }
    let mut add = |key: &str, value: &str| {
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(key);
        url.push('=');
        url.push_str(&encode_uri_component(value));
    };
    add(
        "apiURL",
        props.api_url.as_deref().unwrap_or(DEFAULT_API_URL),
    );
    if props.detect_closed_auth_window {
        add("detectClosedAuthWindow", "true");
    }
    if let Some(lang) = &props.lang {
        add("lang", lang);
    }
    if let Some(theme) = &props.theme {
        add("theme", theme);
    }
    url
}

/// The Connect UI iframe; `open()` is idempotent, `close()` tears it down.
#[wasm_bindgen(js_name = ConnectUICore)]
pub struct WasmConnectUi {
    state: Rc<RefCell<State>>,
}

struct State {
    props: ConnectUiProps,
    iframe: Option<HtmlIFrameElement>,
    listener: Option<Closure<dyn FnMut(MessageEvent)>>,
    ready: bool,
    body_overflow: Option<String>,
    /// While open, the iframe keeps its state alive: the JS object returned by
    /// `openConnectUI()` is often dropped at once, and the listener only holds a `Weak`.
    keep_alive: Option<Rc<RefCell<State>>>,
}

impl State {
    /// Posts `{type: "session_token", sessionToken}` to the iframe (target `*`, as officially:
    /// the iframe may have navigated within the Connect UI origin).
    fn send_token(&self) {
        let (Some(iframe), Some(token)) = (&self.iframe, &self.props.session_token) else {
            return;
        };
        let Some(target) = iframe.content_window() else {
            return;
        };
        let message = Object::new();
        let _ = Reflect::set(&message, &"type".into(), &"session_token".into());
        let _ = Reflect::set(&message, &"sessionToken".into(), &JsValue::from_str(token));
        let _ = target.post_message(&message, "*");
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

/// Handles one `message` event on the page: only from Connect UI's origin, only objects with a
/// string `type`. Every accepted event goes to `onEvent`, after the state is updated, and with no
/// borrow held, so that `onEvent` may call `close()` or `setSessionToken()`.
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
        let base = s.props.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL);
        let Some(kind) = kind.filter(|_| origin_matches(base, &event.origin())) else {
            return;
        };
        match kind.as_str() {
            "ready" => {
                s.ready = true;
                s.send_token();
            }
            "close" => s.teardown(),
            _ => {}
        }
        s.props.on_event.clone()
    };
    if let Some(on_event) = on_event {
        let _ = on_event.call1(&JsValue::UNDEFINED, &data);
    }
}

impl WasmConnectUi {
    pub(crate) fn new(props: &JsValue, default_session_token: Option<String>) -> Self {
        let mut props = connect_ui_props_from_js(props);
        if props.session_token.is_none() {
            props.session_token = default_session_token;
        }
        Self {
            state: Rc::new(RefCell::new(State {
                props,
                iframe: None,
                listener: None,
                ready: false,
                body_overflow: None,
                keep_alive: None,
            })),
        }
    }
}

#[wasm_bindgen(js_class = ConnectUICore)]
impl WasmConnectUi {
    /// Adds the iframe and starts listening (no-op when open).
    pub fn open(&self) {
        let Ok(mut s) = self.state.try_borrow_mut() else {
            return;
        };
        if s.iframe.is_some() {
            return;
        }
        let Some((window, body)) = web_sys::window().zip(body()) else {
            return;
        };
        let Some(iframe) = create_iframe(&window, &iframe_url(&s.props)) else {
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
