#![no_main]
//! cargo-fuzz target; the body is `nango_fuzz::webhook_verify` (src/lib.rs).

libfuzzer_sys::fuzz_target!(|data: &[u8]| nango_fuzz::webhook_verify(data));
