//! The accept loop. We drive hyper ourselves (instead of `axum::serve`) so that a request can ask
//! for its own connection to be dropped without a response — the "dropped connection" fault.

use axum::Router;
use axum::extract::Request;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

/// How long a TLS client may take to finish its handshake.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Request extension: notify it to close the request's TCP connection immediately.
#[derive(Clone, Debug)]
pub(crate) struct ConnKill(pub(crate) Arc<Notify>);

pub(crate) async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of file descriptors or similar: back off briefly instead of spinning.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let (router, shutdown) = (router.clone(), shutdown.clone());
                match tls.clone() {
                    None => conns.spawn(serve_connection(stream, router, shutdown)),
                    Some(tls) => conns.spawn(async move {
                        // A client that never finishes its handshake holds nothing for long.
                        let handshake = tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, tls.accept(stream));
                        if let Ok(Ok(stream)) = handshake.await {
                            serve_connection(stream, router, shutdown).await;
                        }
                    }),
                };
            }
            _ = shutdown.changed() => break,
        }
        while conns.try_join_next().is_some() {}
    }
    drop(listener);
    let drained = tokio::time::timeout(Duration::from_secs(2), async {
        while conns.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        conns.abort_all();
    }
}

async fn serve_connection<S>(stream: S, router: Router, mut shutdown: watch::Receiver<bool>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let kill = Arc::new(Notify::new());
    let ext = ConnKill(kill.clone());
    let svc = tower::ServiceBuilder::new()
        .map_request(move |mut req: Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(ext.clone());
            req
        })
        .service(router);
    let builder = auto::Builder::new(TokioExecutor::new());
    let conn =
        builder.serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(svc));
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        () = kill.notified() => {}
        _ = shutdown.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(Duration::from_secs(1), conn.as_mut()).await;
        }
    }
}
