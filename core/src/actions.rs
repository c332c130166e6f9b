//! Actions (docs/protocol.md §2.2, §8): synchronous and asynchronous triggers, async results.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::Nango;
use crate::error::{Error, Result};
use crate::request::{
    Method, QueryEncoding, Request, RetryClass, TimeLimit, encode_path_segment, require,
};

/// Arguments of `triggerAction` / `triggerActionAsync`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TriggerActionParams {
    /// Integration id.
    pub provider_config_key: String,
    /// Connection id.
    pub connection_id: String,
    /// Action name.
    pub action_name: String,
    /// Input; omitted from the body when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
}

impl TriggerActionParams {
    /// An action call without input.
    pub fn new(
        provider_config_key: impl Into<String>,
        connection_id: impl Into<String>,
        action_name: impl Into<String>,
    ) -> Self {
        TriggerActionParams {
            provider_config_key: provider_config_key.into(),
            connection_id: connection_id.into(),
            action_name: action_name.into(),
            input: None,
        }
    }

    /// Sets the input.
    pub fn input(mut self, input: Value) -> Self {
        self.input = Some(input);
        self
    }
}

#[derive(Serialize)]
struct TriggerBody<'a> {
    action_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    input: Option<&'a Value>,
}

/// `POST /action/trigger`; with `asynchronous`, adds `X-Async: true` (answer 202 `{id, statusUrl}`).
///
/// Retry class [`RetryClass::TriggerAction`]: never repeated after a timeout or a 5xx.
pub fn trigger_action_request(params: &TriggerActionParams, asynchronous: bool) -> Result<Request> {
    require("provider_config_key", &params.provider_config_key)?;
    require("connection_id", &params.connection_id)?;
    require("action_name", &params.action_name)?;
    let mut request = Request::new(Method::Post, "/action/trigger", RetryClass::TriggerAction)
        .header("Connection-Id", &params.connection_id)?
        .header("Provider-Config-Key", &params.provider_config_key)?;
    if asynchronous {
        request = request.header("X-Async", "true")?;
    } else {
        // The answer waits for the action to finish.
        request = request.time_limit(TimeLimit::ActionRun);
    }
    request.json_body(&TriggerBody {
        action_name: &params.action_name,
        input: params.input.as_ref(),
    })
}

/// What an async trigger returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AsyncActionHandle {
    /// Action run id.
    pub id: String,
    /// Where to poll for the result (`/action/<id>`).
    #[serde(rename = "statusUrl")]
    pub status_url: String,
}

/// Which async result to fetch: by `id`, or by the `statusUrl` the trigger returned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AsyncActionRef {
    /// Action run id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Status URL (path, or absolute URL on the client's host).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_url: Option<String>,
}

/// `GET <statusUrl>` or `GET /action/:id`.
///
/// A status URL must be a path or an absolute URL on `host`: anything else would send the
/// secret key to another server, so it is refused.
pub fn get_async_action_result_request(target: &AsyncActionRef, host: &str) -> Result<Request> {
    if let Some(url) = target.status_url.as_deref().filter(|u| !u.is_empty()) {
        let relative = if url.starts_with('/') {
            url
        } else if let Some(rest) = url.strip_prefix(host).filter(|r| r.starts_with('/')) {
            rest
        } else {
            return Err(Error::invalid_argument(
                "status_url",
                "must be a path or a URL on the client's host",
            ));
        };
        let (path, query) = match relative.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (relative, None),
        };
        let mut request = Request::new(Method::Get, encode_path(path), RetryClass::Idempotent);
        if let Some(query) = query.filter(|q| !q.is_empty()) {
            request = request.query(query, "", QueryEncoding::Verbatim);
        }
        return Ok(request);
    }
    match target.id.as_deref() {
        Some(id) if !id.is_empty() => Ok(Request::new(
            Method::Get,
            format!("/action/{}", encode_path_segment(id)),
            RetryClass::Idempotent,
        )),
        _ => Err(Error::invalid_argument(
            "id",
            "either id or status_url is required",
        )),
    }
}

/// Encodes a caller-given path: `/` separates segments and stays; existing `%XX` are kept.
pub(crate) fn encode_path(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            let mut out = String::new();
            for (index, part) in segment.split('%').enumerate() {
                if index > 0 {
                    // Keep a valid escape as is; a stray `%` becomes `%25`.
                    let bytes = part.as_bytes();
                    if bytes.len() >= 2
                        && bytes[0].is_ascii_hexdigit()
                        && bytes[1].is_ascii_hexdigit()
                    {
                        out.push('%');
                    } else {
                        out.push_str("%25");
                    }
                }
                out.push_str(&encode_path_segment(part));
            }
            out
        })
        .collect::<Vec<_>>()
        .join("/")
}

impl Nango {
    /// Runs an action and returns its output (`POST /action/trigger`).
    pub async fn trigger_action<T: DeserializeOwned>(
        &self,
        params: &TriggerActionParams,
    ) -> Result<T> {
        self.send_json(&trigger_action_request(params, false)?)
            .await
    }

    /// Queues an action (`X-Async: true`) and returns where to fetch its result.
    pub async fn trigger_action_async(
        &self,
        params: &TriggerActionParams,
    ) -> Result<AsyncActionHandle> {
        self.send_json(&trigger_action_request(params, true)?).await
    }

    /// The result of an async action.
    pub async fn get_async_action_result<T: DeserializeOwned>(
        &self,
        target: &AsyncActionRef,
    ) -> Result<T> {
        self.send_json(&get_async_action_result_request(target, self.host())?)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_url_forms() {
        let host = "http://127.0.0.1:1";
        let by_path = AsyncActionRef {
            status_url: Some("/action/x y".into()),
            ..Default::default()
        };
        assert_eq!(
            get_async_action_result_request(&by_path, host)
                .unwrap()
                .path,
            "/action/x%20y"
        );
        let absolute = AsyncActionRef {
            status_url: Some("http://127.0.0.1:1/action/abc?z=1".into()),
            ..Default::default()
        };
        let req = get_async_action_result_request(&absolute, host).unwrap();
        assert_eq!(req.path_and_query(), "/action/abc?z=1");
        let elsewhere = AsyncActionRef {
            status_url: Some("https://evil.example/action/abc".into()),
            ..Default::default()
        };
        assert!(get_async_action_result_request(&elsewhere, host).is_err());
        assert!(get_async_action_result_request(&AsyncActionRef::default(), host).is_err());
    }
}
