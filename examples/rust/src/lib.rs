//! `nango-examples`: the seed flow of nango-rs end to end, in Rust.
//!
//! * [`native_auth`]: a native host for `nango::auth` (the OAuth popup flow outside a browser):
//!   a WebSocket, timers, and a pluggable [`Browser`](native_auth::Browser) — the system
//!   browser for a CLI, or an agent that presses `Allow` for demos and tests.
//! * [`webhook_receiver`]: a local, signature-verifying webhook endpoint.
//! * [`demo`]: the four steps `make demo` runs against an in-process emulator, with checks.
//! * [`ticket`]: the caller's own record type the records stream decodes into.
//! * [`test_ca`]: a CA and a server certificate generated at test time (the HTTPS tests).
//!
//! The binaries: `demo` (`make demo`), `quickstart` (the same four steps as a newcomer would
//! write them) and `test-ca` (writes [`test_ca`]'s PEM files for the Node and Python tests).

// Tests may unwrap; elsewhere `unwrap_used` is denied: failures are errors, never panics.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod demo;
pub mod native_auth;
pub mod test_ca;
pub mod ticket;
pub mod webhook_receiver;
