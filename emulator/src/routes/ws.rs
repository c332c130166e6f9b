//! The WebSocket endpoint of the popup flow: sends `connection_ack` with a fresh `ws_client_id`, then
//! relays the `success`/`error` message the OAuth callback addresses to that client.

use crate::model::state::{Shared, lock};
use crate::routes::pages;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tokio::sync::mpsc;
use uuid::Uuid;

fn is_upgrade(req: &Request) -> bool {
    req.headers()
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// Serves the WebSocket at the configured path; a plain GET there (when the path is `/`) gets the
/// landing document instead.
pub(crate) async fn endpoint(State(state): State<Shared>, req: Request) -> Response {
    if !is_upgrade(&req) {
        let keys: Vec<String> = state
            .integrations()
            .iter()
            .map(|i| i.unique_key.clone())
            .collect();
        return axum::Json(pages::landing(&state.url, &keys)).into_response();
    }
    let (mut parts, _body) = req.into_parts();
    match WebSocketUpgrade::from_request_parts(&mut parts, &state).await {
        Ok(upgrade) => upgrade.on_upgrade(move |socket| client(state, socket)),
        Err(rejection) => rejection.into_response(),
    }
}

async fn client(state: Shared, mut socket: WebSocket) {
    let id = Uuid::new_v4();
    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    lock(&state.ws_clients).insert(id, tx);
    let ack = json!({"message_type": "connection_ack", "ws_client_id": id.to_string()}).to_string();
    let mut shutdown = state.shutdown.clone();
    if socket.send(Message::Text(ack.into())).await.is_ok() {
        loop {
            tokio::select! {
                out = rx.recv() => match out {
                    Some(text) => if socket.send(Message::Text(text.into())).await.is_err() { break },
                    None => break,
                },
                incoming = socket.recv() => match incoming {
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                    Some(Ok(_)) => {}
                },
                _ = shutdown.changed() => break,
            }
        }
    }
    lock(&state.ws_clients).remove(&id);
}
