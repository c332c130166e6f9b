//! # nango
//!
//! A client for the [Nango](https://nango.dev) integrations API and any server that speaks it
//! (such as the `nango-emulator` crate of this workspace).
//!
//! * [`Nango`]: the backend client — records (one page, or a read-ahead [`Stream`] to the end),
//!   actions, connections, metadata, syncs, connect sessions, proxy, integrations.
//! * [`webhooks`]: verification of Nango's signed webhooks and typed payloads.
//! * [`auth`]: the OAuth popup flow as a platform-free state machine behind a host trait,
//!   which the browser package and native hosts implement.
//!
//! The crate never creates an async runtime: the caller (or binding) owns it.
//!
//! [`Stream`]: futures_core::Stream

// Unit tests may unwrap; elsewhere `unwrap_used` is denied: no panic may cross into a host.
#![cfg_attr(test, allow(clippy::unwrap_used))]
// Without the `client` feature the crate docs still name the client it leaves out.
#![cfg_attr(not(feature = "client"), allow(rustdoc::broken_intra_doc_links))]

pub mod auth;
pub mod cursor;
pub mod error;
pub mod webhooks;

#[cfg(feature = "client")]
pub mod actions;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod connect;
#[cfg(feature = "client")]
pub mod connections;
#[cfg(feature = "client")]
pub mod integrations;
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
pub mod request;
#[cfg(feature = "client")]
pub mod response;
#[cfg(feature = "client")]
pub mod retry;
#[cfg(feature = "client")]
pub mod syncs;
#[cfg(feature = "client")]
mod transport;

pub use error::{ApiError, Error, ErrorCode, ErrorInfo, Result};

#[cfg(feature = "client")]
pub use crate::{
    actions::{AsyncActionHandle, AsyncActionRef, TriggerActionParams},
    client::{
        ACCEPT_ENCODING, Config, DEFAULT_ACTION_DEADLINE, DEFAULT_ACTION_TIMEOUT, DEFAULT_DEADLINE,
        DEFAULT_HOST, DEFAULT_TIMEOUT, HOST_ENV, Nango, NangoBuilder, SECRET_KEY_ENV, Secret,
    },
    connect::{
        ConnectSession, ConnectSessionResponse, CreateConnectSessionParams,
        CreateReconnectSessionParams, EndUser, Organization,
    },
    connections::{
        Connection, ConnectionIds, ConnectionList, ConnectionRef, GetConnectionParams,
        ListConnectionsParams, MetadataParams, PatchConnectionParams, Token,
    },
    integrations::{
        EnvironmentVariable, GetIntegrationParams, IntegrationList, LegacyIntegrationList,
        ListProvidersParams, ScriptsConfigFormat,
    },
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
