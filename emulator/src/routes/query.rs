//! Strict request parsing shared by the handlers: query strings (unknown keys rejected, repeated keys
//! kept), JSON bodies (415 / `invalid_json` / `invalid_body`) and required headers (`invalid_headers`).

use crate::routes::error::{ApiError, Issue};
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decoded `key=value` pairs in request order.
#[derive(Debug, Default, Clone)]
pub(crate) struct Query {
    pub(crate) pairs: Vec<(String, String)>,
}

impl Query {
    pub(crate) fn parse(raw: Option<&str>) -> Self {
        let pairs = raw
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        Self { pairs }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn all(&self, key: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// zod `.strict()`: any key outside `allowed` is an `unrecognized_keys` issue.
    pub(crate) fn only(&self, allowed: &[&str]) -> Result<(), ApiError> {
        let mut unknown: Vec<&str> = Vec::new();
        for (k, _) in &self.pairs {
            if !allowed.contains(&k.as_str()) && !unknown.contains(&k.as_str()) {
                unknown.push(k);
            }
        }
        if unknown.is_empty() {
            return Ok(());
        }
        let list = unknown
            .iter()
            .map(|k| format!("'{k}'"))
            .collect::<Vec<_>>()
            .join(", ");
        Err(ApiError::validation(
            "invalid_query_params",
            vec![Issue::new(
                "unrecognized_keys",
                format!("Unrecognized key(s) in object: {list}"),
                &[],
            )],
        ))
    }

    /// `requireEmptyQuery`: the route takes no query string at all.
    pub(crate) fn empty(&self) -> Result<(), ApiError> {
        self.only(&[])
    }

    pub(crate) fn bool_param(&self, key: &str) -> Result<bool, ApiError> {
        match self.get(key) {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(_) => Err(ApiError::validation(
                "invalid_query_params",
                vec![Issue::new("invalid_type", "Expected boolean", &[key])],
            )),
        }
    }
}

/// Checks the content type of a JSON route: absent is fine, anything not `application/json…` is 415.
pub(crate) fn check_json_content_type(headers: &HeaderMap) -> Result<(), ApiError> {
    match headers.get(header::CONTENT_TYPE) {
        None => Ok(()),
        Some(v) => {
            let ok = v
                .to_str()
                .map(|s| {
                    s.trim()
                        .to_ascii_lowercase()
                        .starts_with("application/json")
                })
                .unwrap_or(false);
            if ok {
                Ok(())
            } else {
                Err(
                    ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "invalid_content_type")
                        .msg("Content-Type must be application/json"),
                )
            }
        }
    }
}

/// Parses a JSON body into `T` (which should `deny_unknown_fields` to be strict).
pub(crate) fn json_body<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, ApiError> {
    check_json_content_type(headers)?;
    let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(serde_json::Map::new())
    } else {
        serde_json::from_slice(body)
            .map_err(|_| ApiError::bad_request("invalid_json", "Invalid JSON body"))?
    };
    body_value(value)
}

/// Like [`json_body`] but ignores the content type (the admin API, so `curl -d` just works).
pub(crate) fn json_body_any_type<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    json_body(&HeaderMap::new(), body)
}

pub(crate) fn body_value<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    serde_json::from_value(value).map_err(|e| {
        ApiError::validation(
            "invalid_body",
            vec![Issue::new("custom", e.to_string(), &[])],
        )
    })
}

/// A required header such as `Connection-Id` (`invalid_headers` when absent or empty).
pub(crate) fn required_header(headers: &HeaderMap, name: &str) -> Result<String, ApiError> {
    match headers.get(name).and_then(|v| v.to_str().ok()) {
        Some(v) if !v.is_empty() => Ok(v.to_owned()),
        _ => Err(ApiError::validation(
            "invalid_headers",
            vec![Issue::new(
                "invalid_type",
                "Required",
                &[&name.to_ascii_lowercase()],
            )],
        )),
    }
}

/// `^[A-Z][a-zA-Z0-9_-]+$`
pub(crate) fn is_model_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase())
        && s.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// `[a-zA-Z0-9_-]+` (sync, action and variant names).
pub(crate) fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

pub(crate) fn query_issue(path: &str, message: impl Into<String>) -> ApiError {
    ApiError::validation(
        "invalid_query_params",
        vec![Issue::new("custom", message, &[path])],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_query_rejects_unknown_keys() {
        let q = Query::parse(Some("model=A&x=1&x=2&y"));
        let err = q.only(&["model"]).unwrap_err();
        assert_eq!(err.code, "invalid_query_params");
        let body = err.body_json().to_string();
        assert!(body.contains("'x', 'y'"), "{body}");
        assert_eq!(q.all("x"), vec!["1", "2"]);
    }

    #[test]
    fn names() {
        assert!(is_model_name("Ticket"));
        assert!(!is_model_name("ticket"));
        assert!(!is_model_name("T"));
        assert!(is_name("create-ticket"));
        assert!(!is_name("a b"));
    }

    #[test]
    fn content_type_rules() {
        let mut h = HeaderMap::new();
        assert!(check_json_content_type(&h).is_ok());
        h.insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
        assert_eq!(check_json_content_type(&h).unwrap_err().status, 415);
        h.insert(
            header::CONTENT_TYPE,
            "application/json; charset=utf-8".parse().unwrap(),
        );
        assert!(check_json_content_type(&h).is_ok());
    }
}
