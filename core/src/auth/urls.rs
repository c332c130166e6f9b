//! URL handling for the popup flow without the `url` crate, which is heavy on wasm: host
//! normalisation, origins, the WebSocket URL (docs/protocol.md §4.1) and `encodeURIComponent`.
//!
//! Only what the flow needs: `http(s)` hosts and RFC 3986 reference resolution. WHATWG
//! refinements that do not occur in hosts and WebSocket paths (backslashes, `%2e` dot
//! segments, IDNA) are not reproduced.

//! No `[a..b]` string indexing here: its panic path alone pulls `char`'s `Debug` and Unicode
//! tables into the browser package; `split_at_checked` and `get` cannot panic.

use super::text::{concat, decimal};
use super::{AuthError, AuthErrorKind};

/// `encodeURIComponent(value)`: UTF-8 percent-encoding (uppercase hex) of everything but
/// `A-Z a-z 0-9 - _ . ! ~ * ' ( )`. Written out rather than with `percent-encoding`, whose
/// 768-byte table and `Display` plumbing would ship in the browser package.
pub fn encode_uri_component(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for &byte in value.as_bytes() {
        let unreserved = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')'
            );
        if unreserved {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
    }
    out
}

/// An absolute `http`, `https`, `ws` or `wss` URL split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
struct AbsoluteUrl {
    /// Lowercase scheme.
    scheme: String,
    /// `userinfo@` as given, or empty.
    userinfo: String,
    /// Lowercase host, IPv6 literals keep their brackets.
    host: String,
    /// The port when it is not the scheme's default.
    port: Option<u16>,
    /// Path starting with `/` (never empty).
    path: String,
    /// Query without `?`.
    query: Option<String>,
    /// Fragment without `#`.
    fragment: Option<String>,
}

impl AbsoluteUrl {
    fn parse(input: &str) -> Option<Self> {
        // Not `split_once("://")`: the substring searcher's panic path is large in wasm. The
        // scheme cannot hold a `:`, so the first `:` is the one.
        let (scheme, rest) = split_ascii(input, b':')?;
        let rest = rest.strip_prefix("//")?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" | "ws" => 80,
            "https" | "wss" => 443,
            _ => return None,
        };
        let authority_end = rest
            .bytes()
            .position(|b| matches!(b, b'/' | b'?' | b'#'))
            .unwrap_or(rest.len());
        let (authority, tail) = rest.split_at_checked(authority_end)?;
        let (userinfo, host_port) = match authority.bytes().rposition(|b| b == b'@') {
            Some(at) => authority.split_at_checked(at + 1)?,
            None => ("", authority),
        };
        let (host, port) = split_host_port(host_port)?;
        if host.is_empty() {
            return None;
        }
        let port = port.filter(|p| *p != default_port);
        let (path, query, fragment) = split_path_query_fragment(tail);
        Some(Self {
            scheme,
            userinfo: userinfo.to_owned(),
            host: host.to_ascii_lowercase(),
            port,
            path: if path.is_empty() {
                "/".to_owned()
            } else {
                remove_dot_segments(path)
            },
            query: query.map(str::to_owned),
            fragment: fragment.map(str::to_owned),
        })
    }

    /// `host` or `host:port`.
    fn host_port(&self) -> String {
        match self.port {
            Some(port) => concat(&[&self.host, ":", &decimal(port.into())]),
            None => self.host.clone(),
        }
    }

    fn origin(&self) -> String {
        concat(&[&self.scheme, "://", &self.host_port()])
    }

    fn serialize(&self) -> String {
        let mut out = concat(&[
            &self.scheme,
            "://",
            &self.userinfo,
            &self.host_port(),
            &self.path,
        ]);
        if let Some(query) = &self.query {
            out.push('?');
            out.push_str(query);
        }
        if let Some(fragment) = &self.fragment {
            out.push('#');
            out.push_str(fragment);
        }
        out
    }

    /// RFC 3986 §5.2 resolution of `reference` against `self`.
    fn resolve(&self, reference: &str) -> Option<Self> {
        if has_scheme(reference) {
            return Self::parse(reference);
        }
        if let Some(rest) = reference.strip_prefix("//") {
            return Self::parse(&concat(&[&self.scheme, "://", rest]));
        }
        let (path, query, fragment) = split_path_query_fragment(reference);
        let mut out = self.clone();
        out.fragment = fragment.map(str::to_owned);
        if path.is_empty() {
            if query.is_some() {
                out.query = query.map(str::to_owned);
            }
            return Some(out);
        }
        out.query = query.map(str::to_owned);
        out.path = if path.starts_with('/') {
            remove_dot_segments(path)
        } else {
            // Merge: replace everything after the base path's last `/`.
            // The base path always starts with `/`, so the directory part is never empty.
            let dir_end = self
                .path
                .bytes()
                .rposition(|b| b == b'/')
                .map_or(0, |i| i + 1);
            remove_dot_segments(&concat(&[self.path.get(..dir_end)?, path]))
        };
        Some(out)
    }
}

/// `s.split_once(c)` for an ASCII `c`, by bytes: smaller in wasm than the `char` searchers, and
/// a byte equal to an ASCII character is always a character boundary in UTF-8.
fn split_ascii(s: &str, c: u8) -> Option<(&str, &str)> {
    let at = s.bytes().position(|b| b == c)?;
    Some((s.get(..at)?, s.get(at + 1..)?))
}

fn has_scheme(reference: &str) -> bool {
    let Some((scheme, _)) = split_ascii(reference, b':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn split_host_port(host_port: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if host_port.starts_with('[') {
        let close = host_port.bytes().position(|b| b == b']')?;
        let (host, rest) = host_port.split_at_checked(close + 1)?;
        let port = match rest.strip_prefix(':') {
            Some(port) => Some(port),
            None if rest.is_empty() => None,
            None => return None,
        };
        (host, port)
    } else {
        match split_ascii(host_port, b':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    let port = match port {
        None | Some("") => None,
        Some(digits) if digits.bytes().all(|b| b.is_ascii_digit()) => Some(digits.parse().ok()?),
        Some(_) => return None,
    };
    Some((host, port))
}

fn split_path_query_fragment(input: &str) -> (&str, Option<&str>, Option<&str>) {
    let (before_fragment, fragment) = match split_ascii(input, b'#') {
        Some((a, b)) => (a, Some(b)),
        None => (input, None),
    };
    let (path, query) = match split_ascii(before_fragment, b'?') {
        Some((a, b)) => (a, Some(b)),
        None => (before_fragment, None),
    };
    (path, query, fragment)
}

/// RFC 3986 §5.2.4 for absolute paths; `..` never climbs above the root.
fn remove_dot_segments(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').collect();
    // The first segment is the empty one before the leading `/`.
    let segments = segments.get(1..).unwrap_or_default();
    let mut out: Vec<&str> = Vec::with_capacity(segments.len());
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if last {
                    out.push("");
                }
            }
            other => out.push(other),
        }
    }
    let mut joined = String::with_capacity(path.len());
    for segment in out {
        joined.push('/');
        joined.push_str(segment);
    }
    if joined.is_empty() {
        joined.push('/');
    }
    joined
}

/// The host with all trailing slashes removed, checked to be an `http(s)` URL.
///
/// The returned string is otherwise kept as given, because the official SDK concatenates the
/// host as typed when it builds `/oauth/connect` and credential-route URLs.
pub(crate) fn normalize_host(host: &str) -> Result<String, AuthError> {
    let trimmed = host.trim().trim_end_matches('/');
    // `config.host || default` in the official SDK: an empty host means the default one.
    if trimmed.is_empty() {
        return Ok(super::DEFAULT_HOST.to_owned());
    }
    match AbsoluteUrl::parse(trimmed) {
        Some(url) if url.scheme == "http" || url.scheme == "https" => Ok(trimmed.to_owned()),
        _ => Err(invalid_host()),
    }
}

pub(crate) fn invalid_host() -> AuthError {
    AuthError::new(
        AuthErrorKind::InvalidHostUrl,
        "Invalid URL provided for the Nango host.",
    )
}

/// The origin of an `http(s)` URL as browsers serialise it (`event.origin`): lowercase scheme
/// and host, no default port, no path. `None` when `url` is not an absolute `http(s)` URL.
pub fn origin_of(url: &str) -> Option<String> {
    AbsoluteUrl::parse(url.trim())
        .filter(|u| u.scheme == "http" || u.scheme == "https")
        .map(|u| u.origin())
}

/// Whether a message's `origin` is the origin of `host`. Both sides are normalised, so
/// `https://API.nango.dev:443` matches `https://api.nango.dev`; the opaque origin `null` never
/// matches.
pub fn origin_matches(host: &str, origin: &str) -> bool {
    match (origin_of(host), origin_of(origin)) {
        (Some(expected), Some(actual)) => expected == actual,
        _ => false,
    }
}

/// The WebSocket URL of docs/protocol.md §4.1: `websockets_path` (default `/`) resolved against the host
/// like `new URL(path, host)`, then `https:` → `wss:` and `http:` → `ws:`.
///
/// As with the official SDK, an absolute `websockets_path` replaces any path in the host
/// (`https://x/nango` + `/ws` → `wss://x/ws`), while a relative one is resolved against it
/// (`https://x/nango/` + `ws` → `wss://x/nango/ws`; note that the host's trailing slashes are
/// stripped first, so `https://x/nango` + `ws` → `wss://x/ws`).
pub fn websocket_url(host: &str, websockets_path: Option<&str>) -> Result<String, AuthError> {
    let base = AbsoluteUrl::parse(&normalize_host(host)?).ok_or_else(invalid_host)?;
    let reference = match websockets_path {
        Some(path) if !path.is_empty() => path,
        _ => "/",
    };
    let mut resolved = base.resolve(reference).ok_or_else(invalid_host)?;
    resolved.scheme = match resolved.scheme.as_str() {
        "https" => "wss".to_owned(),
        "http" => "ws".to_owned(),
        other => other.to_owned(),
    };
    Ok(resolved.serialize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_encode_uri_component() {
        assert_eq!(
            encode_uri_component("a b&c=d/é?*'()!~-_."),
            "a%20b%26c%3Dd%2F%C3%A9%3F*'()!~-_."
        );
    }

    #[test]
    fn dot_segments() {
        assert_eq!(remove_dot_segments("/a/b/../c"), "/a/c");
        assert_eq!(remove_dot_segments("/a/.."), "/");
        assert_eq!(remove_dot_segments("/../x"), "/x");
        assert_eq!(remove_dot_segments("/a/./b/"), "/a/b/");
    }

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("HTTPS://Api.Nango.dev:443/x?y").as_deref(),
            Some("https://api.nango.dev")
        );
        assert_eq!(
            origin_of("http://[::1]:3003/").as_deref(),
            Some("http://[::1]:3003")
        );
        assert_eq!(origin_of("null"), None);
        assert_eq!(origin_of("ftp://x"), None);
    }
}
