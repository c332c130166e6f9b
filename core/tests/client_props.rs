//! Property tests: the response parser never panics, and query encodings round-trip.

// The HTTP client is behind the default `client` feature.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used)]

use nango::request::{Method, QueryEncoding, Request, RetryClass};
use nango::response::{RawResponse, api_error, parse_json};
use nango::{Record, RecordsPage};
use proptest::prelude::*;
use serde_json::Value;

proptest! {
    #[test]
    fn parser_never_panics(status in 100u16..600, body in proptest::collection::vec(any::<u8>(), 0..512),
                           retry_after in ".{0,40}") {
        let response = RawResponse {
            status,
            headers: vec![("retry-after".into(), retry_after), ("x-ratelimit-limit".into(), "x".into())],
            body,
        };
        let _ = parse_json::<RecordsPage<Record<Value>>>("GET /records/", &response);
        let err = api_error("GET /records/", &response);
        prop_assert_eq!(err.status(), Some(status));
    }

    #[test]
    fn form_and_axios_round_trip(name in "\\PC{0,20}", value in "\\PC{0,40}") {
        for encoding in [QueryEncoding::Form, QueryEncoding::Axios, QueryEncoding::Url] {
            let request = Request::new(Method::Get, "/x", RetryClass::Idempotent)
                .query(&name, &value, encoding)
                .query("next", "1", encoding);
            let query = request.query_string();
            // `+` means space in the form encodings; Url keeps spaces as %20 and escapes `+`.
            let pairs: Vec<(String, String)> =
                url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
            prop_assert_eq!(pairs, vec![(name.clone(), value.clone()), ("next".into(), "1".into())]);
        }
    }
}
