#![no_main]
//! cargo-fuzz target; the body is `nango_fuzz::records_page` (src/lib.rs).

libfuzzer_sys::fuzz_target!(|data: &[u8]| nango_fuzz::records_page(data));
