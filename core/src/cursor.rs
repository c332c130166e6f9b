//! Records cursors (docs/protocol.md §7, §12.1). Opaque to clients, but decoding them helps debugging,
//! checkpoint validation and test servers: base64 (standard, padded) of
//! `<last_modified_at>||<record uuid>`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::error::{Error, Result};

/// A decoded cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedCursor {
    /// The timestamp exactly as encoded (e.g. `2024-02-26T03:00:39.623388-05:00`).
    pub timestamp: String,
    /// The timestamp parsed.
    pub time: OffsetDateTime,
    /// The record's internal UUID (lower-case as encoded).
    pub id: String,
}

fn invalid(message: &str) -> Error {
    Error::invalid_argument("cursor", message)
}

/// Decodes a cursor; rejects anything the server would not accept.
pub fn decode_cursor(cursor: &str) -> Result<DecodedCursor> {
    let bytes = STANDARD
        .decode(cursor)
        .map_err(|_| invalid("not standard base64"))?;
    let text = String::from_utf8(bytes).map_err(|_| invalid("not UTF-8"))?;
    let mut parts = text.split("||");
    let (Some(timestamp), Some(id), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(invalid("expected `<time>||<uuid>`"));
    };
    let time = OffsetDateTime::parse(timestamp, &Rfc3339)
        .map_err(|_| invalid("the time is not an ISO-8601 instant with an offset"))?;
    if !is_uuid(id) {
        return Err(invalid("the id is not a UUID"));
    }
    Ok(DecodedCursor {
        timestamp: timestamp.to_owned(),
        time,
        id: id.to_owned(),
    })
}

/// Encodes a cursor the way the server does.
pub fn encode_cursor(timestamp: &str, id: &str) -> String {
    STANDARD.encode(format!("{timestamp}||{id}"))
}

fn is_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            8 | 13 | 18 | 23 => *byte == b'-',
            _ => byte.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_example_round_trips() {
        let cursor = "MjAyNC0wMi0yNlQwMzowMDozOS42MjMzODgtMDU6MDB8fGVlMDYwM2E1LTEwNDktNDA4Zi05YTEwLTJjNzVmNDkwODNjYQ==";
        let decoded = decode_cursor(cursor).unwrap();
        assert_eq!(decoded.timestamp, "2024-02-26T03:00:39.623388-05:00");
        assert_eq!(decoded.id, "ee0603a5-1049-408f-9a10-2c75f49083ca");
        assert_eq!(encode_cursor(&decoded.timestamp, &decoded.id), cursor);
    }
}
