#![cfg(target_arch = "wasm32")]
//! `@nango-rs/frontend`'s wasm half: the browser host of `nango::auth`.
//!
//! The package's entry is a small hand-written ES module (`index.js`) that opens the OAuth popup
//! inside the user's click and only then loads this module. Everything protocol-related (URLs,
//! queries, routes, message validation, the popup state machine) comes from `nango::auth`; this
//! crate only implements the host (window, WebSocket, `message` events, BroadcastChannel, timers,
//! `fetch`, the Connect UI iframe) and converts values between JS and Rust.
//!
//! Native builds of the workspace see an empty crate: every file is gated on wasm32 and every
//! dependency is a wasm32-only dependency.

// A free-list allocator (adjacent free blocks are merged) instead of std's dlmalloc: about 6 KB
// less wasm. The lock is a no-op cost on single-threaded wasm and keeps this free of `unsafe`.
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

mod auth;
mod client;
mod connect_ui;
mod convert;
mod errors;
mod fetch;

pub use client::WasmNango;
pub use connect_ui::WasmConnectUi;
pub use errors::set_auth_error_class;
pub use fetch::{map_credential_response, set_post};
