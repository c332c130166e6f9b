//! One page of records kept as the server's JSON text (docs/protocol.md §2.3, §7): for bindings that hand
//! the records to their host's JSON parser (V8's `JSON.parse`) instead of building them in Rust.
//!
//! The page is still fully checked here. The body is parsed once, borrowing from it: each record
//! is only located (a `&RawValue` into the body: no allocation or copy per record), and only the
//! last one is decoded further, for its cursor (the checkpoint). So a truncated or garbled page
//! is a `decode` error for the same cursor, exactly as with typed pages, and `next_cursor` and
//! the checkpoint come from core, never from a binding.
//!
//! Compared with `RecordsPage<Box<RawValue>>` this saves one allocation and copy per record and
//! the join of the record texts back into one array: the records array is a span of the body.

use std::fmt;
use std::ops::Range;

use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::{Error, Result};
use crate::records::cursor_of_record_json;
use crate::response::{RawResponse, decode_error, snippet};

/// A checked page of records as JSON text: the records array, how many records it holds, the
/// cursor of the next page and the last record's cursor.
#[derive(Clone, PartialEq, Eq)]
pub struct RawRecordsPage {
    /// The body as received, or `[]` for a page without records.
    text: String,
    /// Where the records array (`[` … `]`) is in `text`.
    records: Range<usize>,
    /// Where each record is in `text`.
    elements: Vec<Range<usize>>,
    next_cursor: Option<String>,
    last_cursor: Option<String>,
}

impl fmt::Debug for RawRecordsPage {
    // The records themselves are left out: a page is a megabyte of text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawRecordsPage")
            .field("len", &self.elements.len())
            .field("bytes", &self.records.len())
            .field("next_cursor", &self.next_cursor)
            .field("last_cursor", &self.last_cursor)
            .finish()
    }
}

/// The page's shape. Unknown fields are skipped (still checked to be JSON); a repeated `records`
/// or `next_cursor` is an error, so the array located here is the one any other parser sees.
#[derive(serde::Deserialize)]
struct Shape<'a> {
    #[serde(borrow)]
    records: Located<'a>,
    #[serde(default)]
    next_cursor: Option<String>,
}

/// The records array, located: each element's text (borrowed from the body).
struct Located<'a> {
    elements: Vec<&'a RawValue>,
}

impl<'de: 'a, 'a> Deserialize<'de> for Located<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct Elements<'a>(std::marker::PhantomData<&'a ()>);

        impl<'de: 'a, 'a> Visitor<'de> for Elements<'a> {
            type Value = Located<'a>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of records")
            }

            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut elements = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(record) = seq.next_element::<&'de RawValue>()? {
                    elements.push(record);
                }
                Ok(Located { elements })
            }
        }

        deserializer.deserialize_seq(Elements(std::marker::PhantomData))
    }
}

impl RawRecordsPage {
    /// Checks a `/records` response body and locates its records. Anything but a JSON object with
    /// a `records` array (and an optional string-or-null `next_cursor`) is [`crate::Error::Decode`].
    pub fn from_response(mut response: RawResponse) -> Result<Self> {
        // UTF-8 is checked once, here, and the body becomes the page's text without a copy.
        let text = match String::from_utf8(std::mem::take(&mut response.body)) {
            Ok(text) => text,
            Err(err) => {
                let message = err.utf8_error().to_string();
                response.body = err.into_bytes();
                return Err(decode_error(&response, message));
            }
        };
        let fail = |message: String| Error::Decode {
            status: response.status,
            message,
            snippet: snippet(text.as_bytes()),
        };
        let shape: Shape<'_> = serde_json::from_str(&text).map_err(|err| fail(err.to_string()))?;
        let elements = &shape.records.elements;
        let last_cursor = elements
            .last()
            .and_then(|record| cursor_of_record_json(record.get()));
        let (Some(first), Some(last)) = (elements.first(), elements.last()) else {
            return Ok(RawRecordsPage {
                text: "[]".to_owned(),
                records: 0..2,
                elements: Vec::new(),
                next_cursor: shape.next_cursor,
                last_cursor: None,
            });
        };
        let not_found = || fail("records array not found".to_owned());
        let records = array_span(&text, first.get(), last.get()).ok_or_else(not_found)?;
        let elements = elements
            .iter()
            .map(|element| span_in(&text, element.get()))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(not_found)?;
        let next_cursor = shape.next_cursor;
        Ok(RawRecordsPage {
            text,
            records,
            elements,
            next_cursor,
            last_cursor,
        })
    }

    /// The records as one JSON array text, e.g. `[{"id":"1",…},…]`.
    pub fn records_json(&self) -> &str {
        self.text.get(self.records.clone()).unwrap_or("[]")
    }

    /// The records array text, owned: the body is cut down in place (no new allocation), for a
    /// binding that hands the buffer itself to its host.
    pub fn into_records_json(self) -> String {
        let mut text = self.text;
        text.truncate(self.records.end);
        text.drain(..self.records.start);
        text
    }

    /// The records as several JSON array texts of at most about `max_bytes` each, in order (a
    /// record longer than that gets an array of its own). For hosts where one big string costs
    /// more than a few small ones: V8 puts every string over 128 KiB on a fresh large-object page.
    pub fn records_json_chunks(&self, max_bytes: usize) -> Vec<String> {
        let mut chunks = Vec::new();
        let mut rest = self.elements.as_slice();
        while let Some(first) = rest.first() {
            // Elements are consecutive: a run of them, with the commas between, is one span.
            let taken = rest
                .iter()
                .position(|element| element.end - first.start + 2 > max_bytes)
                .unwrap_or(rest.len())
                .max(1);
            let end = rest[taken - 1].end;
            let mut chunk = String::with_capacity(end - first.start + 2);
            chunk.push('[');
            chunk.push_str(self.text.get(first.start..end).unwrap_or_default());
            chunk.push(']');
            chunks.push(chunk);
            rest = &rest[taken..];
        }
        chunks
    }

    /// The JSON text of the record at `index` (in page order), or `None` past the end.
    pub fn record_json(&self, index: usize) -> Option<&str> {
        let span = self.elements.get(index)?;
        self.text.get(span.clone())
    }

    /// `_nango_metadata.cursor` of the record at `index`, if it has one: the checkpoint after
    /// that record, for a binding that hands out a page's records one at a time.
    pub fn record_cursor(&self, index: usize) -> Option<String> {
        if index + 1 == self.elements.len() {
            return self.last_cursor.clone();
        }
        cursor_of_record_json(self.record_json(index)?)
    }

    /// How many records the page holds.
    pub fn len(&self) -> usize {
        self.elements.len()
    }

    /// True for a page without records.
    pub fn is_empty(&self) -> bool {
        self.elements.is_empty()
    }

    /// Cursor of the next page; `None` when this was the last one.
    pub fn next_cursor(&self) -> Option<&str> {
        self.next_cursor.as_deref()
    }

    /// `_nango_metadata.cursor` of the page's last record, if it has one.
    pub fn last_cursor(&self) -> Option<&str> {
        self.last_cursor.as_deref()
    }
}

/// Where `part` (a slice of `text`) is in `text`.
fn span_in(text: &str, part: &str) -> Option<Range<usize>> {
    let start = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let end = start.checked_add(part.len())?;
    (end <= text.len()).then_some(start..end)
}

/// The span of the array whose first and last elements are `first` and `last` (slices of
/// `text`): from the `[` before `first` to the `]` after `last`, across whitespace only.
fn array_span(text: &str, first: &str, last: &str) -> Option<Range<usize>> {
    let first_start = span_in(text, first)?.start;
    let last_end = span_in(text, last)?.end;
    let bytes = text.as_bytes();
    let open = bytes
        .get(..first_start)?
        .iter()
        .rposition(|byte| !byte.is_ascii_whitespace())?;
    let close = last_end
        + bytes
            .get(last_end..)?
            .iter()
            .position(|byte| !byte.is_ascii_whitespace())?;
    (bytes.get(open) == Some(&b'[') && bytes.get(close) == Some(&b']')).then_some(open..close + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> Result<RawRecordsPage> {
        RawRecordsPage::from_response(RawResponse {
            status: 200,
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
        })
    }

    const META: &str = r#""_nango_metadata":{"cursor":"#;

    #[test]
    fn locates_the_records_and_the_cursors() {
        let body = format!(
            r#"{{"next_cursor":"N","records":[ {{"id":"1",{META}"C1"}}}} ,{{"id":"2","x":"]","y":[1,{{"z":"["}}],{META}"C2"}}}}
            ]}}"#
        );
        let page = page(&body).unwrap();
        assert_eq!(page.len(), 2);
        assert_eq!(page.next_cursor(), Some("N"));
        assert_eq!(page.last_cursor(), Some("C2"));
        let records: Vec<serde_json::Value> = serde_json::from_str(page.records_json()).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[1]["x"], "]");
        assert!(page.records_json().starts_with('[') && page.records_json().ends_with(']'));
        assert_eq!(page.clone().into_records_json(), page.records_json());
    }

    #[test]
    fn hands_out_each_record_and_its_cursor() {
        let body = format!(
            r#"{{"records":[{{"id":"1",{META}"C1"}}}},{{"id":"2"}},{{"id":"3",{META}"C3"}}}}]}}"#
        );
        let page = page(&body).unwrap();
        assert_eq!(page.record_json(1), Some(r#"{"id":"2"}"#));
        assert_eq!(page.record_json(3), None);
        assert_eq!(page.record_cursor(0).as_deref(), Some("C1"));
        assert_eq!(page.record_cursor(1), None);
        assert_eq!(page.record_cursor(2).as_deref(), Some("C3"));
        assert_eq!(page.record_cursor(3), None);
    }

    #[test]
    fn chunks_split_between_records_and_keep_them_all() {
        let records: Vec<String> = (0..50)
            .map(|i| {
                format!(
                    r#"{{"id":"{i}","pad":"{}",{META}"C{i}"}}}}"#,
                    "x".repeat(i * 7)
                )
            })
            .collect();
        let body = format!(
            r#"{{"records":[ {} ],"next_cursor":null}}"#,
            records.join(" ,\n")
        );
        let page = page(&body).unwrap();
        let all: Vec<serde_json::Value> = serde_json::from_str(page.records_json()).unwrap();
        for max in [1, 64, 300, 1_000, 5_000, 1_000_000] {
            let chunks = page.records_json_chunks(max);
            let mut joined = Vec::new();
            for chunk in &chunks {
                let part: Vec<serde_json::Value> = serde_json::from_str(chunk).unwrap();
                assert!(!part.is_empty());
                assert!(
                    chunk.len() <= max || part.len() == 1,
                    "{max}: {}",
                    chunk.len()
                );
                joined.extend(part);
            }
            assert_eq!(joined, all, "max {max}");
        }
        assert_eq!(page.records_json_chunks(1).len(), 50);
        assert_eq!(page.records_json_chunks(1_000_000).len(), 1);
        assert!(
            RawRecordsPage::from_response(RawResponse {
                status: 200,
                headers: Vec::new(),
                body: br#"{"records":[]}"#.to_vec(),
            })
            .unwrap()
            .records_json_chunks(10)
            .is_empty()
        );
    }

    #[test]
    fn an_empty_page_is_an_empty_array() {
        let page = page(r#"{"records":[],"next_cursor":null}"#).unwrap();
        assert!(page.is_empty());
        assert_eq!(page.records_json(), "[]");
        assert_eq!(page.next_cursor(), None);
        assert_eq!(page.last_cursor(), None);
        assert_eq!(page.into_records_json(), "[]");
    }

    #[test]
    fn records_without_a_cursor_leave_the_checkpoint_unset() {
        let page = page(r#"{"records":[{"id":"1"},2,"x"]}"#).unwrap();
        assert_eq!(page.len(), 3);
        assert_eq!(page.last_cursor(), None);
        assert_eq!(page.records_json(), r#"[{"id":"1"},2,"x"]"#);
    }

    #[test]
    fn anything_not_a_whole_page_is_a_decode_error() {
        let whole = format!(r#"{{"records":[{{"id":"1",{META}"C1"}}}}],"next_cursor":"C1"}}"#);
        for cut in 1..whole.len() {
            let err = page(&whole[..cut]).unwrap_err();
            assert_eq!(err.code(), "decode", "cut at {cut}: {}", &whole[..cut]);
        }
        for bad in [
            "",
            "null",
            "[]",
            r#"{"next_cursor":"x"}"#,
            r#"{"records":{}}"#,
            r#"{"records":[1,]}"#,
            r#"{"records":[1] "next_cursor":null}"#,
            r#"{"records":[{"a":"\x"}]}"#,
            r#"{"records":[{"a":"tab	in string"}]}"#,
            r#"{"records":[1],"next_cursor":5}"#,
            r#"{"records":[1],"records":[2]}"#,
            r#"{"records":[1]} trailing"#,
            r#"{"records":[nul]}"#,
        ] {
            assert_eq!(page(bad).unwrap_err().code(), "decode", "{bad}");
        }
        let mut not_utf8 = br#"{"records":["#.to_vec();
        not_utf8.extend_from_slice(b"\"\xff\"]}");
        let err = RawRecordsPage::from_response(RawResponse {
            status: 200,
            headers: Vec::new(),
            body: not_utf8,
        })
        .unwrap_err();
        assert_eq!(err.code(), "decode");
    }

    #[test]
    fn agrees_with_the_typed_page() {
        let body = format!(
            r#"{{"records":[{{"id":"é","n":1.5e3,"t":true,{META}"C\u00e9"}}}},{{"id":"2",{META}"C\"2"}}}}],"next_cursor":"C\"2","extra":{{"k":[null]}}}}"#
        );
        let raw = page(&body).unwrap();
        let typed: crate::RecordsPage<serde_json::Value> = serde_json::from_str(&body).unwrap();
        let records: Vec<serde_json::Value> = serde_json::from_str(raw.records_json()).unwrap();
        assert_eq!(records, typed.records);
        assert_eq!(raw.next_cursor(), typed.next_cursor.as_deref());
        assert_eq!(raw.last_cursor(), Some("C\"2"));
    }
}
