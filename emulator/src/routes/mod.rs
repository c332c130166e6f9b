//! The HTTP side of the emulator: the route table (here), one module per group of routes, and
//! the middleware every request passes (`front_door`, `auth`), with the error envelope and the
//! strict query parsing the handlers share.

pub(crate) mod actions;
pub(crate) mod admin;
pub(crate) mod auth;
pub(crate) mod connect;
pub(crate) mod connections;
pub(crate) mod error;
pub(crate) mod front_door;
pub(crate) mod frontend_auth;
pub(crate) mod functions;
pub(crate) mod integrations;
pub(crate) mod integrations_admin;
pub(crate) mod legacy;
pub(crate) mod oauth;
pub(crate) mod pages;
pub(crate) mod provider;
pub(crate) mod proxy;
pub(crate) mod query;
pub(crate) mod records;
pub(crate) mod syncs;
pub(crate) mod ws;

use crate::model::state::Shared;
use axum::Router;
use axum::response::Html;
use axum::routing::{any, get, patch, post, put};

pub(crate) fn router(state: Shared) -> Router {
    let ws_path = state.cfg.websockets_path.clone();
    let connect_ui = Html(pages::connect_ui(&ws_path));
    let connect_ui2 = connect_ui.clone();
    let mut r = Router::new()
        // Records (the node SDK calls `/records/`).
        .route("/records", get(records::list))
        .route("/records/", get(records::list))
        .route("/records/prune", patch(records::prune))
        // Actions
        .route("/action/trigger", post(actions::trigger))
        .route("/action/{id}", get(actions::result))
        // Connections
        .route(
            "/connections",
            get(connections::list).post(connections::create),
        )
        .route(
            "/connections/metadata",
            post(connections::set_metadata).patch(connections::update_metadata),
        )
        .route(
            "/connections/{connection_id}",
            get(connections::get)
                .patch(connections::patch)
                .delete(connections::delete),
        )
        // Syncs
        .route("/sync/trigger", post(syncs::trigger))
        .route("/sync/start", post(syncs::start))
        .route("/sync/pause", post(syncs::pause))
        .route("/sync/status", get(syncs::status))
        .route(
            "/sync/update-connection-frequency",
            put(syncs::update_frequency),
        )
        .route(
            "/sync/{name}/variant/{variant}",
            post(syncs::create_variant).delete(syncs::delete_variant),
        )
        // Connect sessions
        .route("/connect/sessions", post(connect::create))
        .route("/connect/sessions/reconnect", post(connect::reconnect))
        .route(
            "/connect/session",
            get(connect::get).delete(connect::delete),
        )
        .route("/connect/telemetry", post(connect::telemetry))
        // Integrations, providers, environment
        .route("/integrations", get(integrations::list))
        .route("/integrations/{key}", get(integrations::get))
        .route("/providers", get(integrations::providers))
        .route("/providers/{provider}", get(integrations::provider))
        .route(
            "/environment-variables",
            get(integrations::environment_variables),
        )
        .route("/scripts/config", get(integrations::scripts_config))
        // Proxy
        .route("/proxy", any(proxy::proxy))
        .route("/proxy/", any(proxy::proxy))
        .route("/proxy/{*endpoint}", any(proxy::proxy))
        // Frontend flows
        .route("/oauth/connect/{key}", get(oauth::connect))
        .route("/oauth/callback", get(oauth::callback))
        .route("/api-auth/api-key/{key}", post(frontend_auth::api_key))
        .route("/api-auth/basic/{key}", post(frontend_auth::basic))
        .route(
            "/auth/unauthenticated/{key}",
            post(frontend_auth::unauthenticated),
        )
        .route("/_connect", get(move || async move { connect_ui }))
        .route("/_connect/", get(move || async move { connect_ui2 }))
        // Demo provider
        .route(
            "/_provider/oauth/authorize",
            get(provider::authorize_page).post(provider::authorize_decision),
        )
        .route("/_provider/oauth/token", post(provider::token))
        .route("/_provider/{integration}/api/{*rest}", any(provider::api))
        // Admin
        .route("/_emulator/health", get(admin::health))
        .route(
            "/_emulator/faults",
            get(admin::list_faults)
                .post(admin::add_faults)
                .delete(admin::clear_faults),
        )
        .route(
            "/_emulator/rate-limit",
            put(admin::set_rate_limit).delete(admin::clear_rate_limit),
        )
        .route("/_emulator/provider/mutate", post(admin::provider_mutate))
        .route("/_emulator/sync/run", post(admin::sync_run))
        .route("/_emulator/connections", post(admin::create_connection))
        .route(
            "/_emulator/connections/expire-token",
            post(admin::expire_token),
        )
        .route("/_emulator/connections/revoke", post(admin::revoke))
        .route(
            "/_emulator/counters",
            get(admin::counters).delete(admin::reset_counters),
        )
        .route(
            "/_emulator/requests",
            get(admin::requests).delete(admin::clear_requests),
        )
        .route(
            "/_emulator/webhooks",
            get(admin::webhooks).delete(admin::clear_webhooks),
        )
        .route("/_emulator/webhook-url", put(admin::set_webhook_url));
    // Integration administration, provider templates and deployed functions (merged into the
    // method routers of the same paths above).
    r = r
        .route("/integrations", post(integrations_admin::create))
        .route(
            "/integrations/quickstart",
            post(integrations_admin::quickstart),
        )
        .route(
            "/integrations/{key}",
            patch(integrations_admin::update).delete(integrations_admin::delete),
        )
        .route(
            "/providers/{provider}/templates",
            get(integrations_admin::provider_templates_route),
        )
        .route("/integrations/{key}/functions", get(functions::list))
        .route(
            "/integrations/{key}/functions/{name}",
            get(functions::get).delete(functions::delete),
        )
        .route(
            "/integrations/{key}/functions/{name}/code",
            get(functions::code),
        );
    // The WebSocket lives at the configured path; `/` doubles as the landing document.
    r = r.route(&ws_path, get(ws::endpoint));
    if ws_path != "/" {
        r = r.route("/", get(ws::endpoint));
    }
    r = legacy::routes(r)
        .fallback(error::unknown_route)
        .method_not_allowed_fallback(error::unknown_route);
    // Inside the front door, so its faults (a truncated body) and its byte counter see the bytes
    // that go on the wire.
    if state.cfg.compression {
        r = r.layer(tower_http::compression::CompressionLayer::new());
    }
    r.layer(axum::middleware::from_fn_with_state(
        state.clone(),
        crate::routes::front_door::front_door,
    ))
    .with_state(state)
}
