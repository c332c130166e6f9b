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

pub mod auth;
pub mod error;
pub mod webhooks;

pub use error::{ApiError, Error, Result};
