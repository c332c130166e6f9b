//! The sans-I/O request value: what one API call puts on the wire, minus host and credentials.
//!
//! Every endpoint has a pure builder (in `records`, `actions`, `connections`, …) that returns a
//! [`Request`]. The shared vectors (`tests/vectors/requests.json`) compare these values byte for
//! byte with what `@nangohq/node` 0.71.10 sends, so the encodings below mirror the three ways the
//! official SDK happens to build query strings (see [`QueryEncoding`]).

use crate::error::{Error, Result};

/// HTTP method of a [`Request`]. Proxy calls may use any method, hence [`Method::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
    /// Any other token, upper-cased (e.g. `PROPFIND`, `REPORT`, `HEAD`).
    Other(String),
}

impl Method {
    /// Parses a method name case-insensitively; rejects anything that is not an HTTP token.
    pub fn parse(name: &str) -> Result<Method> {
        let upper = name.to_ascii_uppercase();
        let valid = !upper.is_empty()
            && upper
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !valid {
            return Err(Error::invalid_argument(
                "method",
                "not a valid HTTP method token",
            ));
        }
        Ok(match upper.as_str() {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            _ => Method::Other(upper),
        })
    }

    /// The method as sent on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Other(other) => other,
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which automatic retries are safe for a request (see `retry::should_retry`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryClass {
    /// Repeating the call cannot change the outcome (reads, deletes, replace/merge writes,
    /// prune-until-cursor, start/pause): retried on connection failures, timeouts, 429, 502,
    /// 503 and 504.
    Idempotent,
    /// Not idempotent (`POST /action/trigger`, and by our choice every other creating POST:
    /// connect sessions, sync trigger, sync variant creation, non-GET proxy calls). Retried only
    /// when the request provably never reached the server (connect failed) or on 429, which
    /// Nango's rate limiter answers before the handler runs. Never after a timeout or a 5xx:
    /// the action may have run.
    TriggerAction,
    /// No automatic retry at all.
    NeverRetry,
}

/// How long a request may legitimately take, which picks its default time limits
/// (`Config::limits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TimeLimit {
    /// Every call whose answer does not wait for work on the server.
    #[default]
    Standard,
    /// A synchronous action run: the answer comes when the action has finished.
    ActionRun,
}

/// How a query pair is percent-encoded. The official SDK builds query strings three different
/// ways depending on the endpoint; matching them keeps requests byte-identical for every valid
/// identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryEncoding {
    /// `URLSearchParams` (application/x-www-form-urlencoded): only `A-Za-z0-9*-._` stay literal,
    /// space becomes `+`. Used by `/records`, `/connections` (list), `/providers`, proxy object
    /// params.
    Form,
    /// axios' `params` serialiser: `encodeURIComponent`, then `:`, `$`, `,` are put back and
    /// space becomes `+`. Used by `GET /connections/:id`, `/sync/status`, `/integrations/:key`,
    /// `/scripts/config`.
    Axios,
    /// A value the official SDK pastes into the URL string (`DELETE`/`PATCH /connections/:id`).
    /// WHATWG's URL parser then encodes only space, quotes, `#`, `<`, `>` and non-ASCII; we encode
    /// those the same way and additionally `&`, `=`, `+`, `%` and `#` so that no value can change
    /// the query's structure (the official SDK breaks on them).
    Url,
    /// A caller-supplied query fragment (proxy `params` given as a string), passed through as-is
    /// except that bytes which are not valid in a URL query are percent-encoded like a browser
    /// would.
    Verbatim,
}

/// One query pair with its encoding. For [`QueryEncoding::Verbatim`] the whole fragment is in
/// `name` and `value` is empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryPair {
    /// Parameter name (unencoded).
    pub name: String,
    /// Parameter value (unencoded).
    pub value: String,
    /// How to encode both.
    pub encoding: QueryEncoding,
}

/// One API call as data: everything but the host, the `Authorization` header and the
/// `User-Agent`, which the client adds (see `Nango::outgoing_headers`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// HTTP method.
    pub method: Method,
    /// Path beginning with `/`, already percent-encoded (e.g. `/records/`).
    pub path: String,
    /// Query pairs in wire order.
    pub query: Vec<QueryPair>,
    /// Headers in wire order (names as sent; values are checked to be representable).
    pub headers: Vec<(String, String)>,
    /// Body bytes, if any.
    pub body: Option<Vec<u8>>,
    /// Which automatic retries are safe.
    pub retry_class: RetryClass,
    /// Which default time limits apply.
    pub time_limit: TimeLimit,
}

impl Request {
    /// A request without query, headers or body.
    pub fn new(method: Method, path: impl Into<String>, retry_class: RetryClass) -> Request {
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            retry_class,
            time_limit: TimeLimit::Standard,
        }
    }

    /// Sets which default time limits apply.
    pub fn time_limit(mut self, time_limit: TimeLimit) -> Request {
        self.time_limit = time_limit;
        self
    }

    /// Appends a query pair.
    pub fn query(mut self, name: &str, value: &str, encoding: QueryEncoding) -> Request {
        self.query.push(QueryPair {
            name: name.to_owned(),
            value: value.to_owned(),
            encoding,
        });
        self
    }

    /// Appends a header after checking that the value can be sent (see [`check_header_value`]).
    pub fn header(mut self, name: &str, value: &str) -> Result<Request> {
        check_header_value(name, value)?;
        self.headers.push((name.to_owned(), value.to_owned()));
        Ok(self)
    }

    /// Sets a JSON body and `Content-Type: application/json`.
    pub fn json_body<T: serde::Serialize + ?Sized>(mut self, body: &T) -> Result<Request> {
        let bytes = serde_json::to_vec(body)
            .map_err(|err| Error::Internal(format!("could not serialise the body: {err}")))?;
        self.headers
            .push(("Content-Type".to_owned(), "application/json".to_owned()));
        self.body = Some(bytes);
        Ok(self)
    }

    /// The encoded query string without the leading `?` (empty when there is no query).
    pub fn query_string(&self) -> String {
        let mut out = String::new();
        for pair in &self.query {
            if !out.is_empty() {
                out.push('&');
            }
            match pair.encoding {
                QueryEncoding::Verbatim => encode_verbatim(&pair.name, &mut out),
                encoding => {
                    encode_component(&pair.name, encoding, &mut out);
                    out.push('=');
                    encode_component(&pair.value, encoding, &mut out);
                }
            }
        }
        out
    }

    /// Path plus `?query` when there is one.
    pub fn path_and_query(&self) -> String {
        let query = self.query_string();
        if query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, query)
        }
    }

    /// First header value with this name (case-insensitive).
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// `METHOD /path` for logs and errors: no query (it may hold identifiers), no headers.
    pub fn label(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// Rejects header values that the official (Node) SDK could not send either.
///
/// Node writes header strings as Latin-1, so characters up to U+00FF go out as one byte each and
/// anything above is refused; control characters (except tab) are never allowed. We follow the
/// same rule so that a Node server (Nango) reads back exactly the string the caller gave.
pub fn check_header_value(name: &str, value: &str) -> Result<()> {
    for ch in value.chars() {
        let code = ch as u32;
        if code > 0xFF || (code < 0x20 && ch != '\t') || code == 0x7F {
            return Err(Error::invalid_argument(
                name,
                "header values may only hold Latin-1 characters without control characters",
            ));
        }
    }
    Ok(())
}

/// The bytes a header value goes out as (Latin-1, see [`check_header_value`]).
pub fn header_value_bytes(value: &str) -> Vec<u8> {
    // `check_header_value` ran when the header was added, so every char fits in a byte.
    value
        .chars()
        .map(|ch| (ch as u32).min(0xFF) as u8)
        .collect()
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

fn push_escaped(byte: u8, out: &mut String) {
    out.push('%');
    out.push(HEX[usize::from(byte >> 4)] as char);
    out.push(HEX[usize::from(byte & 0x0F)] as char);
}

fn keeps(byte: u8, encoding: QueryEncoding) -> bool {
    if byte.is_ascii_alphanumeric() {
        return true;
    }
    match encoding {
        QueryEncoding::Form => b"*-._".contains(&byte),
        QueryEncoding::Axios => b"-_.!~*'():$,".contains(&byte),
        QueryEncoding::Url | QueryEncoding::Verbatim => b"-_.!~*():$,;@/?[]|^`{}".contains(&byte),
    }
}

/// Percent-encodes one query name or value.
pub fn encode_component(value: &str, encoding: QueryEncoding, out: &mut String) {
    for &byte in value.as_bytes() {
        if keeps(byte, encoding) {
            out.push(byte as char);
        } else if byte == b' ' && matches!(encoding, QueryEncoding::Form | QueryEncoding::Axios) {
            out.push('+');
        } else {
            push_escaped(byte, out);
        }
    }
}

/// A caller's query fragment: kept as written, but bytes a URL may not contain are escaped
/// the way a WHATWG URL parser would (space as `%20`, non-ASCII as UTF-8). Existing `%XX`
/// escapes are kept. `#` is escaped rather than starting a fragment.
fn encode_verbatim(fragment: &str, out: &mut String) {
    for &byte in fragment.as_bytes() {
        if byte.is_ascii_graphic() && !matches!(byte, b'"' | b'#' | b'<' | b'>' | b'\'' | b'\\') {
            out.push(byte as char);
        } else {
            push_escaped(byte, out);
        }
    }
}

/// Percent-encodes one path segment (a connection id, provider key, sync name …).
///
/// Matches what the official SDK's URL ends up as for every identifier Nango accepts, but also
/// escapes `/`, `?`, `#` and `%`, which the official SDK leaves raw (so an id containing `/`
/// would address a different route there).
pub fn encode_path_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for &byte in value.as_bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'():$,;@&=+[]|".contains(&byte) {
            out.push(byte as char);
        } else {
            push_escaped(byte, &mut out);
        }
    }
    out
}

/// Checks that a required string argument is present and non-empty.
pub(crate) fn require(field: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid_argument(field, "must not be empty"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(value: &str, encoding: QueryEncoding) -> String {
        let mut out = String::new();
        encode_component(value, encoding, &mut out);
        out
    }

    // Expected strings were captured from @nangohq/node 0.71.10 against a loopback server.
    const SAMPLE: &str = "a b:c,d+e/é~*'()!$[]";

    #[test]
    fn form_matches_url_search_params() {
        assert_eq!(
            enc(SAMPLE, QueryEncoding::Form),
            "a+b%3Ac%2Cd%2Be%2F%C3%A9%7E*%27%28%29%21%24%5B%5D"
        );
    }

    #[test]
    fn axios_matches_axios_params() {
        assert_eq!(
            enc(SAMPLE, QueryEncoding::Axios),
            "a+b:c,d%2Be%2F%C3%A9~*'()!$%5B%5D"
        );
    }

    #[test]
    fn url_matches_whatwg_for_safe_chars_and_escapes_structure() {
        assert_eq!(
            enc("a b:c,d/é~*'()!$[]", QueryEncoding::Url),
            "a%20b:c,d/%C3%A9~*%27()!$[]"
        );
        assert_eq!(
            enc("a&b=c+d#e%", QueryEncoding::Url),
            "a%26b%3Dc%2Bd%23e%25"
        );
    }

    #[test]
    fn path_segment_escapes_slash_and_space() {
        assert_eq!(
            encode_path_segment("id:1,2~*'()!$[]é"),
            "id:1,2~*'()!$[]%C3%A9"
        );
        assert_eq!(encode_path_segment("conn/1 x?#%"), "conn%2F1%20x%3F%23%25");
    }

    #[test]
    fn verbatim_keeps_structure_and_escapes_invalid_bytes() {
        let req = Request::new(Method::Get, "/proxy/x", RetryClass::Idempotent).query(
            "q=a b&z=1",
            "",
            QueryEncoding::Verbatim,
        );
        assert_eq!(req.query_string(), "q=a%20b&z=1");
    }

    #[test]
    fn header_values_follow_node_latin1_rule() {
        assert!(check_header_value("Connection-Id", "conn 1/é").is_ok());
        assert_eq!(header_value_bytes("é"), vec![0xE9]);
        assert!(check_header_value("Connection-Id", "snow☃").is_err());
        assert!(check_header_value("Connection-Id", "a\r\nb").is_err());
    }

    #[test]
    fn method_parse() {
        assert_eq!(Method::parse("delete").ok(), Some(Method::Delete));
        assert_eq!(
            Method::parse("propfind").ok(),
            Some(Method::Other("PROPFIND".into()))
        );
        assert!(Method::parse("GE T").is_err());
    }
}
