//! The sans-I/O response side: a received response as data, and pure parsers that turn it into
//! a typed value or an [`Error`]. Never panics on any input.

use std::time::{Duration, SystemTime};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{ApiError, Error, RateLimit, Result, SNIPPET_LIMIT, ValidationIssue};
use crate::ordered_map::OrderedMap;

/// A response as received: status, headers (names lower-cased, in wire order) and body bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers, names lower-cased. Values that are not UTF-8 are read as Latin-1 (as Node does).
    pub headers: Vec<(String, String)>,
    /// Body bytes, exactly as received (after any transfer decoding).
    pub body: Vec<u8>,
}

impl RawResponse {
    /// First header value with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// True for 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as UTF-8 text, or [`Error::Decode`].
    pub fn text(&self) -> Result<&str> {
        std::str::from_utf8(&self.body).map_err(|err| decode_error(self, err.to_string()))
    }
}

/// One entry of a folded header map (see [`fold_headers`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum HeaderValue {
    /// The value, or the values of a repeated header joined with `", "`.
    One(String),
    /// Every `set-cookie` value, in order (always a list, even of one).
    List(Vec<String>),
}

/// Turns a response's header list into the map every binding returns as `headers`:
/// names lower-cased, in the order each name first appears; the values of a repeated header
/// joined with `", "` in wire order, as RFC 9110 §5.3 allows; except `set-cookie`, which that
/// section exempts (a cookie's `Expires` holds a comma), so it is never joined: its values stay
/// a list, as Node's `http` and axios give them.
pub fn fold_headers<'a, I>(headers: I) -> OrderedMap<HeaderValue>
where
    I: IntoIterator<Item = &'a (String, String)>,
{
    let mut folded: Vec<(String, HeaderValue)> = Vec::new();
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        match folded.iter_mut().find(|(key, _)| *key == name) {
            Some((_, HeaderValue::One(joined))) => {
                joined.push_str(", ");
                joined.push_str(value);
            }
            Some((_, HeaderValue::List(values))) => values.push(value.clone()),
            None if name == "set-cookie" => {
                folded.push((name, HeaderValue::List(vec![value.clone()])));
            }
            None => folded.push((name, HeaderValue::One(value.clone()))),
        }
    }
    OrderedMap(folded)
}

/// Decodes a header value: UTF-8 when valid, else Latin-1 (one byte per char), like Node.
pub fn header_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// Parses a 2xx JSON body into `T`; any other status becomes [`Error::Api`].
///
/// `request` is the `METHOD /path` label kept in errors.
pub fn parse_json<T: DeserializeOwned>(request: &str, response: &RawResponse) -> Result<T> {
    if !response.is_success() {
        return Err(api_error(request, response));
    }
    decode_json(response)
}

/// Decodes the body as JSON whatever the status.
pub fn decode_json<T: DeserializeOwned>(response: &RawResponse) -> Result<T> {
    // An empty 2xx body (e.g. 204) reads as JSON null, so `()`/`Option`/`Value` targets work.
    let body: &[u8] = if response.body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        &response.body
    };
    serde_json::from_slice(body).map_err(|err| decode_error(response, err.to_string()))
}

/// A [`Error::Decode`] carrying the status and a bounded snippet of the body.
pub fn decode_error(response: &RawResponse, message: String) -> Error {
    Error::Decode {
        status: response.status,
        message,
        snippet: snippet(&response.body),
    }
}

/// At most [`SNIPPET_LIMIT`] bytes of `body`, lossily decoded, cut on a char boundary.
pub fn snippet(body: &[u8]) -> String {
    let cut = &body[..body.len().min(SNIPPET_LIMIT)];
    let text = String::from_utf8_lossy(cut);
    // Cutting mid-character leaves one U+FFFD at the end; that is fine for a diagnostic.
    text.into_owned()
}

/// Builds the [`ApiError`] for a non-2xx response: the `{error:{…}}` envelope when present,
/// `Retry-After`, `X-RateLimit-*`. Bodies without the envelope keep their JSON (or text) as
/// `payload`, which is what proxy callers need.
pub fn api_error(request: &str, response: &RawResponse) -> Error {
    api_error_at(request, response, SystemTime::now())
}

/// [`api_error`] with an explicit clock, for HTTP-date `Retry-After` values in tests.
pub fn api_error_at(request: &str, response: &RawResponse, now: SystemTime) -> Error {
    let mut error = ApiError {
        status: response.status,
        server_code: None,
        message: None,
        errors: Vec::new(),
        payload: None,
        retry_after: response
            .header("retry-after")
            .and_then(|value| parse_retry_after(value, now)),
        rate_limit: rate_limit(response),
        request: request.to_owned(),
    };
    match serde_json::from_slice::<Value>(&response.body) {
        Ok(Value::Object(mut body)) => match body.remove("error") {
            Some(Value::Object(mut envelope)) => {
                error.server_code = take_string(&mut envelope, "code");
                error.message = take_string(&mut envelope, "message");
                if let Some(issues) = envelope.remove("errors") {
                    error.errors = parse_issues(issues);
                }
                error.payload = envelope.remove("payload");
            }
            // Some routes answer `{"error": "text"}`.
            Some(Value::String(message)) => error.message = Some(message),
            Some(other) => {
                body.insert("error".to_owned(), other);
                error.payload = Some(Value::Object(body));
            }
            None => error.payload = Some(Value::Object(body)),
        },
        Ok(other) => error.payload = Some(other),
        Err(_) if response.body.is_empty() => {}
        Err(_) => error.payload = Some(Value::String(snippet(&response.body))),
    }
    Error::from(error)
}

fn take_string(map: &mut serde_json::Map<String, Value>, key: &str) -> Option<String> {
    match map.remove(key) {
        Some(Value::String(text)) => Some(text),
        _ => None,
    }
}

fn parse_issues(value: Value) -> Vec<ValidationIssue> {
    let Value::Array(items) = value else {
        return Vec::new();
    };
    items
        .into_iter()
        .map(|item| {
            let text = |key: &str| {
                item.get(key)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            // zod paths hold numbers too; keep them as strings.
            let path = match item.get("path") {
                Some(Value::Array(parts)) => parts
                    .iter()
                    .map(|part| match part {
                        Value::String(text) => text.clone(),
                        other => other.to_string(),
                    })
                    .collect(),
                _ => Vec::new(),
            };
            ValidationIssue {
                code: text("code"),
                message: text("message"),
                path,
            }
        })
        .collect()
}

/// `Retry-After`: delay-seconds or an HTTP-date (relative to `now`; a past date means 0).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    // Fractional seconds are not in the RFC but cost nothing to accept.
    if let Ok(seconds) = value.parse::<f64>() {
        return Duration::try_from_secs_f64(seconds).ok();
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The `X-RateLimit-*` headers, when any is present.
pub fn rate_limit(response: &RawResponse) -> Option<RateLimit> {
    let number = |name: &str| response.header(name).and_then(|v| v.trim().parse().ok());
    let limit = RateLimit {
        limit: number("x-ratelimit-limit"),
        remaining: number("x-ratelimit-remaining"),
        reset: number("x-ratelimit-reset"),
    };
    (limit.limit.is_some() || limit.remaining.is_some() || limit.reset.is_some()).then_some(limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> RawResponse {
        RawResponse {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.to_vec(),
        }
    }

    #[test]
    fn envelope_is_parsed() {
        let raw = response(
            400,
            &[],
            br#"{"error":{"code":"invalid_query_params","message":"bad","errors":[{"code":"too_big","message":"x","path":["limit",0]}],"payload":{"a":1}}}"#,
        );
        let Error::Api(api) = api_error("GET /records/", &raw) else {
            panic!("not an API error");
        };
        assert_eq!(api.server_code.as_deref(), Some("invalid_query_params"));
        assert_eq!(api.errors[0].path, vec!["limit", "0"]);
        assert_eq!(api.payload, Some(serde_json::json!({"a":1})));
    }

    #[test]
    fn retry_after_forms() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:40 GMT", now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:30 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }

    #[test]
    fn truncated_body_is_decode_error_with_snippet() {
        let raw = response(200, &[], br#"{"records":[{"id":"1""#);
        let err = parse_json::<Value>("GET /records/", &raw).unwrap_err();
        assert_eq!(err.code(), "decode");
        assert_eq!(err.status(), Some(200));
    }

    #[test]
    fn snippet_is_bounded() {
        let body = vec![b'x'; 10_000];
        assert_eq!(snippet(&body).len(), SNIPPET_LIMIT);
    }
}
