//! Property tests for URL and query building beyond `client_props.rs`: the records request
//! round-trips every argument (repeated `ids`, any cursor text), no value can add or split query
//! pairs, path segments round-trip and never introduce `/`, `?` or `#`, verbatim fragments stay
//! inside the query, and header-borne ids follow exactly the Latin-1 rule.

// The HTTP client is behind the default `client` feature.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used)]

use nango::ListRecordsParams;
use nango::request::{
    Method, QueryEncoding, Request, RetryClass, check_header_value, encode_path_segment,
};
use proptest::prelude::*;

fn decode_pairs(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

proptest! {
    #[test]
    fn records_request_round_trips(model in "[A-Z][a-zA-Z0-9_-]{1,20}", cursor in "\\PC{1,60}",
                                   ids in proptest::collection::vec("\\PC{1,20}", 0..6),
                                   filter in "\\PC{0,20}", limit in any::<u32>(), variant in "\\PC{0,20}") {
        let mut params = ListRecordsParams::new("pck", "conn", model.clone()).cursor(cursor.clone()).limit(limit);
        params.ids = ids.clone();
        params.filter = Some(filter.clone());
        params.variant = Some(variant.clone());
        let request = nango::records::list_records_request(&params).unwrap();
        let pairs = decode_pairs(&request.query_string());
        let mut expected = vec![("model".to_owned(), model), ("variant".into(), variant), ("limit".into(), limit.to_string()),
                                ("filter".into(), filter), ("cursor".into(), cursor)];
        expected.extend(ids.into_iter().map(|id| ("ids".to_owned(), id)));
        prop_assert_eq!(pairs, expected);
        prop_assert!(request.path_and_query().starts_with("/records/?model="));
    }

    #[test]
    fn values_cannot_change_the_query_structure(values in proptest::collection::vec("\\PC{0,30}", 1..5)) {
        for encoding in [QueryEncoding::Form, QueryEncoding::Axios, QueryEncoding::Url] {
            let mut request = Request::new(Method::Get, "/x", RetryClass::Idempotent);
            for (i, v) in values.iter().enumerate() {
                request = request.query(&format!("k{i}"), v, encoding);
            }
            let query = request.query_string();
            prop_assert_eq!(query.matches('&').count(), values.len() - 1);
            prop_assert!(query.is_ascii() && !query.contains(['#', ' ']));
            if encoding != QueryEncoding::Url {
                let decoded: Vec<String> = decode_pairs(&query).into_iter().map(|(_, v)| v).collect();
                prop_assert_eq!(&decoded, &values);
            }
        }
    }

    #[test]
    fn url_encoding_round_trips_with_percent_decoding(value in "\\PC{0,40}") {
        let query = Request::new(Method::Get, "/x", RetryClass::Idempotent).query("k", &value, QueryEncoding::Url).query_string();
        let raw = query.strip_prefix("k=").unwrap();
        prop_assert_eq!(percent_encoding::percent_decode_str(raw).decode_utf8().unwrap(), value.as_str());
    }

    #[test]
    fn verbatim_fragments_stay_in_the_query(fragment in "\\PC{0,60}") {
        let request = Request::new(Method::Get, "/proxy/x", RetryClass::Idempotent).query(&fragment, "", QueryEncoding::Verbatim);
        let query = request.query_string();
        prop_assert!(query.is_ascii() && !query.contains(['#', ' ', '"', '<', '>']));
    }

    #[test]
    fn path_segments_round_trip(segment in "\\PC{0,60}") {
        let encoded = encode_path_segment(&segment);
        prop_assert!(encoded.is_ascii() && !encoded.contains(['/', '?', '#', ' ']));
        prop_assert_eq!(percent_encoding::percent_decode_str(&encoded).decode_utf8().unwrap(), segment.as_str());
    }

    #[test]
    fn header_values_follow_the_latin1_rule(value in "\\PC{0,30}|[\\x00-\\x1f\\x7f\\u{80}-\\u{17f}]{0,10}") {
        let allowed = value.chars().all(|c| (c as u32) <= 0xFF && ((c as u32) >= 0x20 || c == '\t') && c != '\u{7f}');
        prop_assert_eq!(check_header_value("h", &value).is_ok(), allowed);
        let built = nango::records::list_records_request(&ListRecordsParams::new("pck", value.clone(), "Model"));
        if value.is_empty() {
            prop_assert!(built.is_err());
        } else {
            prop_assert_eq!(built.is_ok(), allowed);
        }
    }
}
