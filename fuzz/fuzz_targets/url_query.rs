#![no_main]
//! cargo-fuzz target; the body is `nango_fuzz::url_query` (src/lib.rs).

libfuzzer_sys::fuzz_target!(|data: &[u8]| nango_fuzz::url_query(data));
