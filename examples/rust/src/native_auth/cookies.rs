//! A minimal cookie jar for the consent agent: OAuth servers set a state cookie on
//! `/oauth/connect` and may check it on the callback, so the agent must send it back as a browser
//! would.
//!
//! Cookies are kept per host (ports are ignored, as RFC 6265 does) and path, `Secure` and expiry
//! dates are not enforced: the agent lives for one flow. `Max-Age=0` (or negative) deletes.
//! reqwest's own jar (`cookies` feature) would change reqwest's features for the whole workspace
//! and rebuild it for every other crate; this is 40 lines.

use std::collections::BTreeMap;

use reqwest::header::{HeaderMap, SET_COOKIE};

#[derive(Debug, Default)]
pub(crate) struct CookieJar {
    by_host: BTreeMap<String, BTreeMap<String, String>>,
}

impl CookieJar {
    /// Stores the `Set-Cookie` headers of a response from `url`.
    pub(crate) fn store(&mut self, url: &url::Url, headers: &HeaderMap) {
        let Some(host) = url.host_str() else {
            return;
        };
        for value in headers.get_all(SET_COOKIE) {
            let Ok(text) = value.to_str() else {
                continue;
            };
            let mut parts = text.split(';');
            let Some((name, value)) = parts.next().and_then(|p| p.split_once('=')) else {
                continue;
            };
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            let expired = parts.any(|attr| {
                attr.split_once('=').is_some_and(|(k, v)| {
                    k.trim().eq_ignore_ascii_case("max-age")
                        && v.trim().parse::<i64>().is_ok_and(|age| age <= 0)
                })
            });
            let jar = self.by_host.entry(host.to_owned()).or_default();
            if expired {
                jar.remove(name);
            } else {
                jar.insert(name.to_owned(), value.trim().to_owned());
            }
        }
    }

    /// The `Cookie` header value for a request to `url`, if any cookie applies.
    pub(crate) fn header_for(&self, url: &url::Url) -> Option<String> {
        let jar = self.by_host.get(url.host_str()?)?;
        if jar.is_empty() {
            return None;
        }
        let pairs: Vec<String> = jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
        Some(pairs.join("; "))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn stores_sends_and_expires_per_host() {
        let url = url::Url::parse("http://127.0.0.1:4000/oauth/connect/x").unwrap();
        let mut headers = HeaderMap::new();
        headers.append(
            SET_COOKIE,
            HeaderValue::from_static("oauth2-abc=1; HttpOnly; Max-Age=3600; Path=/"),
        );
        headers.append(SET_COOKIE, HeaderValue::from_static("b=2"));
        let mut jar = CookieJar::default();
        jar.store(&url, &headers);
        let other_port = url::Url::parse("http://127.0.0.1:5000/cb").unwrap();
        assert_eq!(jar.header_for(&other_port).unwrap(), "b=2; oauth2-abc=1");
        assert!(
            jar.header_for(&url::Url::parse("http://localhost/").unwrap())
                .is_none()
        );

        let mut expire = HeaderMap::new();
        expire.append(SET_COOKIE, HeaderValue::from_static("b=; Max-Age=0"));
        jar.store(&url, &expire);
        assert_eq!(jar.header_for(&url).unwrap(), "oauth2-abc=1");
    }
}
