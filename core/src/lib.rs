//! # nango
//!
//! A client for the [Nango](https://nango.dev) integrations API and any server that speaks it
//! (such as the `nango-emulator` crate of this workspace).
//!
//! * [`Nango`]: the backend client — records (one page, or a read-ahead [`Stream`] to the end),
//!   actions, connections (and waiting for one), metadata, syncs, connect sessions, proxy,
//!   integrations (read and administer), provider templates, deployed functions.
//! * [`webhooks`]: verification of Nango's signed webhooks and typed payloads.
//! * [`auth`]: the OAuth popup flow as a platform-free state machine behind a host trait,
//!   which the browser package and native hosts implement.
//!
//! The crate never creates an async runtime: the caller (or binding) owns it.
//!
//! # Getting started
//!
//! Add `nango`, an async runtime (here tokio with `macros` and `rt-multi-thread`) and
//! `futures-util` (for [`TryStreamExt`]) to your `Cargo.toml`. [`Nango::from_env`] reads the
//! secret key from `NANGO_SECRET_KEY` and the host from `NANGO_HOST` (default
//! [`DEFAULT_HOST`]); [`Nango::builder`] sets them, and the timeouts and retries, in code. To try
//! it without a Nango account, run the `nango-emulator` of this workspace and point `NANGO_HOST`
//! at it (the repository's README shows how, and how to create the `user-42` connection the
//! examples below read).
//!
//! ```no_run
//! use nango::{ListRecordsParams, Nango};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let nango = Nango::from_env()?;
//!     // One page of records, as JSON values: `GET /records/`.
//!     let page = nango
//!         .list_records::<serde_json::Value>(&ListRecordsParams::new("zendesk", "user-42", "Ticket"))
//!         .await?;
//!     println!("{} records, next cursor {:?}", page.records.len(), page.next_cursor);
//!     Ok(())
//! }
//! ```
//!
//! Every call returns [`Result`]: one [`Error`] type whose [`Error::code`] is a stable
//! snake_case code ([`ErrorCode`] as an enum). Calls that are safe to repeat are retried on
//! connect failures, 429 and 502/503/504, within a per-attempt timeout and an overall deadline
//! ([`DEFAULT_TIMEOUT`], [`DEFAULT_DEADLINE`]).
//!
//! # Logs and traces
//!
//! Each request is a `tracing` span `nango.request` (target `nango::log`) with events for every
//! attempt, retry (and its delay) and the call's end, with OpenTelemetry field names
//! (`http.request.method`, `url.path`, `http.response.status_code`, …). No header, body, query
//! string, key or token is ever recorded. Install any subscriber to see them:
//!
//! ```no_run
//! // tracing-subscriber with its `env-filter` feature
//! tracing_subscriber::fmt().with_env_filter("nango=debug").init();
//! ```
//!
//! `NANGO_LOG=debug|info|off` ([`LOG_ENV`]) or [`NangoBuilder::log_level`] caps what a client
//! emits; the [`log`] module lists every field and what is redacted.
//!
//! # Records: the stream, the checkpoint, resuming
//!
//! [`Nango::records`] walks a model to its end as a [`Stream`] of records, reading the next page
//! while you work on the current one (pages of [`WALK_PAGE_LIMIT`] records unless
//! [`ListRecordsParams::limit`] says otherwise). Decode them into your own type with [`Record<T>`] (the
//! payload in `data`, Nango's `_nango_metadata` in `metadata`), or keep `serde_json::Value`.
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! use nango::{ListRecordsParams, Nango, Record};
//! use serde::Deserialize;
//!
//! #[derive(Deserialize)]
//! struct Ticket {
//!     id: String,
//!     title: String,
//! }
//!
//! async fn print_tickets(nango: &Nango) -> nango::Result<()> {
//!     let params = ListRecordsParams::new("zendesk", "user-42", "Ticket").limit(100);
//!     let mut tickets = nango.records::<Record<Ticket>>(params);
//!     while let Some(ticket) = tickets.try_next().await? {
//!         println!("{} {} ({:?})", ticket.data.id, ticket.data.title, ticket.metadata.last_action);
//!     }
//!     Ok(())
//! }
//! ```
//!
//! The **checkpoint** ([`RecordStream::checkpoint`]) is the cursor of the last record the stream
//! handed out (before the first one: the cursor it started from). Store it after you have
//! processed a record; later, pass it to [`ListRecordsParams::cursor`] and the walk resumes
//! after that record, returning only what was added, updated or deleted since. Stopping half-way
//! is safe: a checkpoint taken after the 5th record resumes at the 6th.
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! use nango::{ListRecordsParams, Nango};
//! use serde_json::Value;
//!
//! /// Processes what changed since `saved` and returns the checkpoint to save for next time.
//! async fn sync_changes(nango: &Nango, saved: Option<String>) -> nango::Result<Option<String>> {
//!     let mut params = ListRecordsParams::new("zendesk", "user-42", "Ticket");
//!     if let Some(cursor) = saved {
//!         params = params.cursor(cursor);
//!     }
//!     let mut records = nango.records::<Value>(params);
//!     while let Some(record) = records.try_next().await? {
//!         println!("changed: {}", record["id"]);
//!         // Saving `records.checkpoint()` here makes a crash lose at most this record.
//!     }
//!     Ok(records.checkpoint().map(str::to_owned))
//! }
//! ```
//!
//! [`Nango::record_pages`] yields whole pages instead of records (its checkpoint moves a page at
//! a time). When a stream fails, its checkpoint is still the last record handed out, so resuming
//! from it loses nothing.
//! Once the records up to a checkpoint are stored on your side, [`Nango::prune_records`] can
//! empty their payloads on the server.
//!
//! More: the `examples` folder of the repository, and `docs/errors.md` for every error code.
//!
//! [`Stream`]: futures_core::Stream
//! [`TryStreamExt`]: https://docs.rs/futures-util/0.3/futures_util/stream/trait.TryStreamExt.html

// Unit tests may unwrap; elsewhere `unwrap_used` is denied: no panic may cross into a host.
#![cfg_attr(test, allow(clippy::unwrap_used))]
// Without the `client` feature the crate docs still name the client it leaves out.
#![cfg_attr(not(feature = "client"), allow(rustdoc::broken_intra_doc_links))]

pub mod auth;
pub mod cursor;
pub mod error;
pub mod models;
pub mod webhooks;

#[cfg(feature = "client")]
pub mod actions;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod connect;
#[cfg(feature = "client")]
pub mod connection_wait;
#[cfg(feature = "client")]
pub mod connections;
#[cfg(feature = "client")]
pub mod functions;
#[cfg(feature = "client")]
pub mod integrations;
#[cfg(feature = "client")]
pub mod log;
#[cfg(feature = "client")]
pub mod ops;
#[cfg(feature = "client")]
pub mod ordered_map;
#[cfg(feature = "client")]
pub mod pager;
#[cfg(feature = "client")]
pub mod proxy;
#[cfg(feature = "client")]
pub mod raw_page;
#[cfg(feature = "client")]
pub mod records;
#[cfg(feature = "client")]
pub mod records_ahead;
#[cfg(feature = "client")]
pub mod request;
#[cfg(feature = "client")]
pub mod response;
#[cfg(feature = "client")]
pub mod retry;
#[cfg(feature = "client")]
pub mod syncs;
#[cfg(all(feature = "client", not(target_arch = "wasm32")))]
pub mod tls;
#[cfg(feature = "client")]
mod transport;

pub use error::{ApiError, Error, ErrorCode, ErrorInfo, Result};

#[cfg(feature = "client")]
pub use crate::{
    actions::{AsyncActionHandle, AsyncActionRef, TriggerActionParams},
    client::{
        ACCEPT_ENCODING, Config, DEFAULT_ACTION_DEADLINE, DEFAULT_ACTION_TIMEOUT, DEFAULT_DEADLINE,
        DEFAULT_HOST, DEFAULT_MAX_IN_FLIGHT, DEFAULT_TIMEOUT, HOST_ENV, MAX_IN_FLIGHT, Nango,
        NangoBuilder, SECRET_KEY_ENV, Secret,
    },
    connect::{
        ConnectSession, ConnectSessionResponse, CreateConnectSessionParams,
        CreateReconnectSessionParams, EndUser, Organization,
    },
    connection_wait::{WAIT_DEADLINE, WAIT_FIRST_DELAY, WAIT_INTERVAL, WaitForConnectionParams},
    connections::{
        Connection, ConnectionIds, ConnectionList, ConnectionRef, ConnectionSummary,
        GetConnectionParams, ListConnectionsParams, MetadataParams, PatchConnectionParams,
        RawTokenResponse, Token,
    },
    functions::{
        FunctionCode, FunctionDeletion, FunctionList, FunctionRef, FunctionResponse, FunctionType,
        ListFunctionsParams, NangoFunction, Pagination,
    },
    integrations::{
        AppCredentials, ClientCredentials, CreateIntegrationParams, CustomCredentials, Deletion,
        EnvironmentVariable, GetIntegrationParams, Integration, IntegrationCredentials,
        IntegrationList, IntegrationResponse, IntegrationUpdate, LegacyIntegrationList,
        ListProvidersParams, ProviderTemplates, QuickstartIntegrationParams, ScriptsConfigFormat,
    },
    log::{LOG_ENV, LogLevel, LogRecord, LogSink, LogValue},
    ordered_map::OrderedMap,
    pager::{
        PageItem, PageStream, PageWalk, RawPageStream, RecordStream, WALK_PAGE_LIMIT, WalkPage,
    },
    proxy::{ProxyBody, ProxyConfig, ProxyParams, ProxyResponse},
    raw_page::RawRecordsPage,
    records::{
        LastAction, ListRecordsParams, NangoMetadata, PruneRecordsParams, PruneResult, Record,
        RecordCursor, RecordsPage,
    },
    request::{Method, Request, RetryClass, TimeLimit},
    response::{HeaderValue, RawResponse, fold_headers},
    retry::RetryPolicy,
    syncs::{
        FrequencyResponse, SyncControlParams, SyncMode, SyncRef, SyncSelection, SyncStatusParams,
        SyncStatusResponse, SyncVariantParams, TriggerSyncOpts, TriggerSyncParams,
        UpdateFrequencyParams,
    },
};
