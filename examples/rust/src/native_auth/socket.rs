//! The popup flow's WebSocket on tokio-tungstenite: connect, never send, feed every frame, error
//! and close to the flow as [`AuthEvent`]s.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use nango::auth::AuthEvent;
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message;

use super::host::HostEvent;

/// The handshake gets this long; the flow's own timeout covers everything after.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Runs the socket until it closes, fails, or `close` fires. `last_error` receives the reason of
/// a failure, which the flow's event cannot carry (browsers give none).
pub(crate) async fn run(
    url: String,
    events: mpsc::UnboundedSender<HostEvent>,
    mut close: oneshot::Receiver<()>,
    last_error: Arc<Mutex<Option<String>>>,
) {
    let feed = |event: AuthEvent| {
        // The receiver is gone only when the flow is over: nothing left to tell.
        let _ = events.send(HostEvent::Flow(event));
    };
    let fail = |reason: String| {
        if let Ok(mut slot) = last_error.lock() {
            *slot = Some(reason);
        }
        feed(AuthEvent::SocketError);
    };
    let connect = tokio::time::timeout(CONNECT_TIMEOUT, tokio_tungstenite::connect_async(url));
    let mut socket = tokio::select! {
        result = connect => match result {
            Ok(Ok((socket, _response))) => socket,
            // The URL has no secrets (the token goes on the popup URL only).
            Ok(Err(err)) => return fail(format!("WebSocket connect failed: {err}")),
            Err(_) => return fail(format!("WebSocket connect timed out after {CONNECT_TIMEOUT:?}")),
        },
        _ = &mut close => return,
    };
    feed(AuthEvent::SocketOpen);
    loop {
        tokio::select! {
            frame = socket.next() => match frame {
                Some(Ok(Message::Text(text))) => feed(AuthEvent::SocketMessage(text.to_string())),
                Some(Ok(Message::Close(frame))) => {
                    feed(AuthEvent::SocketClosed { code: frame.map(|f| u16::from(f.code)) });
                    return;
                }
                // Pings are answered by tungstenite; binary frames are not part of the protocol.
                Some(Ok(_)) => {}
                Some(Err(err)) => return fail(format!("WebSocket failed: {err}")),
                None => {
                    feed(AuthEvent::SocketClosed { code: None });
                    return;
                }
            },
            _ = &mut close => {
                // A polite close; the server forgets the client either way.
                let _ = socket.close(None).await;
                let _ = socket.flush().await;
                return;
            }
        }
    }
}
