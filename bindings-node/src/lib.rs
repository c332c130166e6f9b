//! `@nango-rs/node`: the napi-rs binding of the `nango` core crate.
//!
//! The binding only converts arguments, calls core, converts results and maps errors; every
//! protocol rule (URLs, headers, query encoding, retries, cursors) lives in core.

use napi_derive::napi;

// `client` first: it declares `JsNango` (exported as `Nango`), and napi-derive must have seen that
// name before it expands the `#[napi] impl JsNango` blocks of the other modules, or their methods
// land in index.d.ts under `JsNango`.
// (A blank line keeps rustfmt from sorting it back.)
pub mod client;

pub mod convert;
pub mod errors;
pub mod log;
pub mod models;
pub mod proxy;
pub mod records;
pub mod webhooks;

/// Rust allocations of this library (not Node's) go through mimalloc. Each records page is about a
/// megabyte, received and checked on a tokio worker and freed on the JS thread after `JSON.parse`;
/// glibc hands such freed memory back to the kernel right away (heap trimming), so every next page
/// paid ~320 zero-filling page faults, a third of the worker's time (measured with perf and
/// `minflt` per thread in bench/). mimalloc keeps the pages for reuse.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The version of this package (and of the core crate it was built with).
#[napi]
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
