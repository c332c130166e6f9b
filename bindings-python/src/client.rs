//! `Nango` (sync) and `AsyncNango` (asyncio): the two exposed client classes.
//!
//! Both share one method list (the `client_methods!` macro below), so their signatures cannot
//! drift apart. Each method turns its arguments into a [`Call`] — a future on the shared runtime
//! that ends with a [`Finish`] closure — and the class decides how to wait for it: the sync class
//! blocks with the GIL released, the async class returns an awaitable. Every plain JSON method is
//! one line on [`dispatch`] (core's table of operations); the methods that are not one request
//! and one JSON answer live in `records.rs`, `proxy.rs` and `webhooks.rs`.

use std::future::Future;
use std::pin::Pin;

use pyo3::prelude::*;

use crate::convert;
use crate::errors::{self, IntoPyResult};
use crate::runtime;
use crate::{args, json, proxy, records, webhooks};

/// Builds the Python result once the request is done, with the GIL held.
pub(crate) type Finish = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;
/// A request in flight: runs on the shared runtime without the GIL.
pub(crate) type Call = Pin<Box<dyn Future<Output = Finish> + Send>>;

/// Pairs a core future with the conversion of its output. Errors are mapped when the result is
/// built (with the GIL), in `errors.rs`.
pub(crate) fn call<T, F, C>(fut: F, convert: C) -> Call
where
    F: Future<Output = nango::Result<T>> + Send + 'static,
    T: Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    Box::pin(async move {
        let result = fut.await;
        Box::new(move |py: Python<'_>| match result {
            Ok(value) => convert(py, value),
            Err(err) => Err(errors::to_py_err(err)),
        }) as Finish
    })
}

/// Every plain JSON method: the operation `op` of core's table with `params` (the method's
/// keyword arguments, see [`args!`]). The request is built now, so a bad argument raises at the
/// call (core's `invalid_argument`: `ValidationError`); the answer's JSON text becomes Python
/// objects through the binding's decoder.
pub(crate) fn dispatch(
    nango: &nango::Nango,
    op: &str,
    params: serde_json::Value,
) -> PyResult<Call> {
    if op == "wait_for_connection" {
        // Not one request: core polls until the connection exists or the deadline passes.
        let params = nango::ops::wait_for_connection_params(params).py_err()?;
        let nango = nango.clone();
        return Ok(call(
            async move {
                let found = nango.wait_for_connection(&params).await?;
                serde_json::to_string(&found)
                    .map_err(|err| nango::Error::Internal(format!("connection: {err}")))
            },
            |py, text| Ok(json::loads(py, &text)?.unbind()),
        ));
    }
    let op = nango::ops::operation(op).py_err()?;
    let request = nango.operation_request(op, params).py_err()?;
    let nango = nango.clone();
    Ok(call(
        async move { op.output(nango.send(&request).await?)?.body.into_json() },
        |py, text| Ok(json::loads(py, &text)?.unbind()),
    ))
}

/// The result of an async call, converted on the event loop's side with the GIL.
struct Deferred(Finish);

impl<'py> IntoPyObject<'py> for Deferred {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        (self.0)(py).map(|obj| obj.into_bound(py))
    }
}

/// Settings shared by both classes, validated by core (`NangoBuilder::options` converts and
/// checks them, `build()` bounds them, and it reads `NANGO_SECRET_KEY` and `NANGO_HOST` for what
/// is not given).
fn build_core(
    options: nango::client::ClientOptions,
    ca_certificates: Vec<convert::CaCertificate>,
    log_sink: std::sync::Arc<dyn nango::LogSink>,
) -> PyResult<nango::Nango> {
    // reqwest registers its connection pool with the current runtime: build inside ours.
    let rt = runtime::runtime()?;
    let _entered = rt.enter();
    let mut builder = nango::NangoBuilder::new()
        .user_agent_suffix(format!("python/{}", python_version()))
        .ecosystem(nango::tls::Ecosystem::Python)
        .log_sink(log_sink);
    for ca in ca_certificates {
        builder = match ca {
            convert::CaCertificate::Pem(pem) => builder.add_root_certificate(pem),
            convert::CaCertificate::Text(text) => builder.add_root_certificate_pem_or_path(text),
            convert::CaCertificate::Path(path) => builder.add_root_certificate_file(path),
        };
    }
    builder.options(options).and_then(|b| b.build()).py_err()
}

pub(crate) fn python_version() -> String {
    Python::attach(|py| {
        let info = py.version_info();
        format!("{}.{}.{}", info.major, info.minor, info.patch)
    })
}

fn repr(class: &str, client: &nango::Nango) -> String {
    // Only the host: the keys never appear in a repr.
    format!("{class}(host={:?})", client.host())
}

/// The synchronous client. Safe to share between threads; each call releases the GIL while it
/// waits, and Ctrl-C interrupts it.
#[pyclass(name = "Nango", module = "nango._nango", frozen)]
pub(crate) struct PyNango {
    pub(crate) inner: nango::Nango,
}

/// The asyncio client: the same methods as `Nango`, each returning an awaitable.
#[pyclass(name = "AsyncNango", module = "nango._nango", frozen)]
pub(crate) struct PyAsyncNango {
    pub(crate) inner: nango::Nango,
}

impl PyNango {
    fn run(py: Python<'_>, call: Call) -> PyResult<Py<PyAny>> {
        let finish = runtime::block_on(py, call)?;
        finish(py)
    }
}

impl PyAsyncNango {
    fn run(py: Python<'_>, call: Call) -> PyResult<Py<PyAny>> {
        let awaitable = runtime::awaitable(py, async move { Ok(Deferred(call.await)) })?;
        Ok(awaitable.unbind())
    }
}

/// The method list of both classes. `$records` is the class that `records()` returns.
///
/// Methods that differ only in name, operation and docstring are written once and listed in the
/// first arm: `proxy` and its method shortcuts (`proxy` with a fixed method and no `method`
/// argument), and the two token readers.
macro_rules! client_methods {
    ($class:ident, $name:literal, $records:ident) => {
        client_methods!(@methods $class, $name, $records,
            proxy_methods: [
                proxy [method] (method) "Sends a request to the provider's API through Nango, with the connection's credentials: ``/proxy/{endpoint}``.

``endpoint``: the provider path; ``provider_config_key``, ``connection_id``: whose credentials;
``method``: the HTTP method (default ``GET``); ``headers``: extra headers for the provider;
``params``: query string or mapping; ``data``: the body (bytes/str sent as is, anything else as
JSON); ``retries``, ``retry_on``: retries Nango itself performs towards the provider;
``decompress``, ``forward_headers_on_redirect``: passed on to Nango; ``base_url_override``:
call another base URL of the provider.

Returns ``{\"status\", \"headers\", \"data\"}`` with the provider's answer (header names
lower-case). ``data`` follows the answer's ``Content-Type``: ``application/json`` and ``+json``
types are parsed; UTF-8 text (``text/*``, XML, or a UTF-8 charset) is a ``str``; anything else
is ``bytes``; no body (``HEAD``, 204) is ``None``. ``raw=True``: ``data`` is always the body's
``bytes``, untouched. A body labelled JSON that is not raises ``DecodeError`` (``raw=True``
reads it). A provider's error status raises the matching ``ApiError`` subclass. This client
retries a ``GET`` on transient failures; other methods only when the request was never sent
or on 429.
Also raises the errors any call can raise (see the class docstring).",
                get [] (Some("GET".to_owned())) "``GET /proxy/{endpoint}``: ``proxy`` with ``method=\"GET\"`` (the official SDK's ``get``).

The other arguments, the result and the errors are ``proxy``'s.",
                post [] (Some("POST".to_owned())) "``POST /proxy/{endpoint}``: ``proxy`` with ``method=\"POST\"`` (the official SDK's ``post``).

The other arguments, the result and the errors are ``proxy``'s.",
                put [] (Some("PUT".to_owned())) "``PUT /proxy/{endpoint}``: ``proxy`` with ``method=\"PUT\"`` (the official SDK's ``put``).

The other arguments, the result and the errors are ``proxy``'s.",
                patch [] (Some("PATCH".to_owned())) "``PATCH /proxy/{endpoint}``: ``proxy`` with ``method=\"PATCH\"`` (the official SDK's ``patch``).

The other arguments, the result and the errors are ``proxy``'s.",
                delete [] (Some("DELETE".to_owned())) "``DELETE /proxy/{endpoint}``: ``proxy`` with ``method=\"DELETE\"`` (the official SDK's ``delete``).

The other arguments, the result and the errors are ``proxy``'s."
            ],
            token_readers: [
                get_token "Fetches only the credentials' token of a connection: ``GET /connections/{connection_id}``.

Arguments as in ``get_connection``. Returns the access token ``str`` for OAuth 2,
``{\"oAuthToken\", \"oAuthTokenSecret\"}`` for OAuth 1, or the whole credentials ``dict`` for other
auth modes. Raises ``NotFoundError``, ``ValidationError``.
Also raises the errors any call can raise (see the class docstring).",
                get_raw_token_response "Returns the provider's own token answer as Nango stored it: ``GET /connections/{connection_id}``.

Arguments as in ``get_token``; the request is the same. Returns ``credentials.raw`` of the
connection (a ``dict``), or ``None`` when its credentials have none (API keys, basic auth...).
Raises ``NotFoundError``, ``ValidationError``.
Also raises the errors any call can raise (see the class docstring)."
            ]
        );
    };
    (@methods $class:ident, $name:literal, $records:ident,
        proxy_methods: [$($proxy_fn:ident [$($method_arg:ident)?] ($method:expr) $proxy_doc:literal),*],
        token_readers: [$($token_fn:ident $token_doc:literal),*]
    ) => {
        #[pymethods]
        impl $class {
            #[new]
            #[allow(clippy::too_many_arguments)]
            #[pyo3(signature = (secret_key = None, *, host = None, webhook_signing_key = None, timeout = None, deadline = None, max_retries = None, ca_certificates = None, read_ahead = true, max_in_flight = None, user_agent = None, provider_config_key = None, connection_id = None, is_sync = false, is_script = false, dry_run = false, activity_log_id = None, log_level = None))]
            fn new(
                py: Python<'_>,
                secret_key: Option<String>,
                host: Option<String>,
                webhook_signing_key: Option<String>,
                timeout: Option<f64>,
                deadline: Option<f64>,
                // A float so that any int reaches core's bounds check (no OverflowError).
                max_retries: Option<f64>,
                ca_certificates: Option<&Bound<'_, PyAny>>,
                read_ahead: bool,
                max_in_flight: Option<f64>,
                user_agent: Option<String>,
                provider_config_key: Option<String>,
                connection_id: Option<String>,
                is_sync: bool,
                is_script: bool,
                dry_run: bool,
                activity_log_id: Option<String>,
                log_level: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Self> {
                let options = nango::client::ClientOptions {
                    host,
                    secret_key,
                    webhook_signing_key,
                    timeout,
                    deadline,
                    max_retries,
                    read_ahead: Some(read_ahead),
                    max_in_flight,
                    log_level: crate::log::level(log_level)?,
                    user_agent,
                    provider_config_key,
                    connection_id,
                    activity_log_id,
                    is_sync,
                    is_script,
                    dry_run,
                };
                let ca_certificates = convert::ca_certificates(ca_certificates)?;
                Ok(Self {
                    inner: build_core(options, ca_certificates, crate::log::sink(py)?)?,
                })
            }

            fn __repr__(&self) -> String {
                repr($name, &self.inner)
            }

            /// The host requests go to (no trailing slash).
            #[getter]
            fn host(&self) -> &str {
                self.inner.host()
            }

            /// The per-attempt timeout in effect, in seconds (``timeout`` or the default).
            #[getter]
            fn timeout(&self) -> f64 {
                self.inner.config().timeout.as_secs_f64()
            }

            /// The overall deadline of a call in effect, in seconds (``deadline`` or the default).
            #[getter]
            fn deadline(&self) -> f64 {
                self.inner.config().deadline.as_secs_f64()
            }

            // ---- records ----

            #[doc = "Fetches one page of a model's records: ``GET /records/``.

``provider_config_key``: the integration's key; ``connection_id``: the connection; ``model``:
the model name (case-sensitive; an unknown model gives an empty page, not an error).
``variant``: the sync variant. ``modified_after``: an ISO 8601 timestamp, only records changed
after it. ``limit``: page size. ``filter``: ``added``, ``updated``, ``deleted`` or several
joined with ``,``. ``cursor``: continue after this record cursor. ``ids``: only these record ids.

Returns ``{\"records\": [...], \"next_cursor\": str | None}``; ``next_cursor`` is ``None`` on the
last page. Raises ``ValidationError`` (bad argument or rejected query), ``NotFoundError``
(unknown connection).
Also raises the errors any call can raise (see the class docstring).

``model`` may also be a record class written by ``python -m nango models`` (its
``__nango_model__`` names the model): the records are then typed as that class, and a
pydantic class validates each one (``model_validate``)."]
            #[pyo3(signature = (provider_config_key, connection_id, model, *, variant = None, modified_after = None, limit = None, filter = None, cursor = None, ids = None))]
            #[allow(clippy::too_many_arguments)]
            fn list_records(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                connection_id: String,
                model: records::ModelArg,
                variant: Option<String>,
                modified_after: Option<String>,
                limit: Option<u32>,
                filter: Option<String>,
                cursor: Option<String>,
                ids: Option<Vec<String>>,
            ) -> PyResult<Py<PyAny>> {
                let params = records::params(
                    provider_config_key, connection_id, model.name, variant, modified_after, limit,
                    filter, cursor, ids,
                );
                Self::run(py, records::list_records(&self.inner, params, model.validate))
            }

            #[doc = "Walks every record of a model to the end, page after page: ``GET /records/`` repeatedly.

Takes the arguments of ``list_records``; ``limit`` is then the page size of each request
(1000 when not given) and ``cursor`` the checkpoint to resume from. The first page is
requested at once, in the background. Returns a record iterator whose ``checkpoint``
property says where to resume. The errors of ``list_records`` are raised while iterating,
not by this call.

``model`` may also be a record class written by ``python -m nango models`` (its
``__nango_model__`` names the model): the records are then typed as that class, and a
pydantic class validates each one (``model_validate``)."]
            #[pyo3(signature = (provider_config_key, connection_id, model, *, variant = None, modified_after = None, limit = None, filter = None, cursor = None, ids = None))]
            #[allow(clippy::too_many_arguments)]
            fn records(
                &self,
                provider_config_key: String,
                connection_id: String,
                model: records::ModelArg,
                variant: Option<String>,
                modified_after: Option<String>,
                limit: Option<u32>,
                filter: Option<String>,
                cursor: Option<String>,
                ids: Option<Vec<String>>,
            ) -> PyResult<records::$records> {
                let params = records::params(
                    provider_config_key, connection_id, model.name, variant, modified_after, limit,
                    filter, cursor, ids,
                );
                records::$records::start(&self.inner, params, model.validate)
            }

            #[doc = "Deletes the stored payloads of records up to a cursor: ``PATCH /records/prune``.

``provider_config_key``, ``connection_id``, ``model``, ``variant``: as in ``list_records``.
``until_cursor``: prune records up to and including this cursor (a checkpoint from
``records``). ``limit``: at most this many records per call.

Returns ``{\"count\": int, \"has_more\": bool}``: how many were pruned, and whether more remain.
Raises ``ValidationError``, ``NotFoundError``.
Also raises the errors any call can raise (see the class docstring)."]
            #[pyo3(signature = (provider_config_key, connection_id, model, until_cursor, *, variant = None, limit = None))]
            #[allow(clippy::too_many_arguments)]
            fn prune_records(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                connection_id: String,
                model: String,
                until_cursor: String,
                variant: Option<String>,
                limit: Option<u32>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "prune_records", args!(provider_config_key, connection_id, model, until_cursor, variant, limit))?)
            }

            // ---- actions ----

            #[doc = "Runs an action and waits for its output: ``POST /action/trigger``.

``provider_config_key``, ``connection_id``: where to run it; ``action_name``: the action;
``input``: any JSON-serialisable value passed to the action.

Returns the action's output, decoded from JSON. It is never retried once the action may have
run (only when the request was not sent, or on 429). Raises ``ValidationError`` (input
rejected), ``NotFoundError``, an ``ApiError`` subclass (the action failed).
Also raises the errors any call can raise (see the class docstring)."]
            #[pyo3(signature = (provider_config_key, connection_id, action_name, input = None))]
            fn trigger_action(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                connection_id: String,
                action_name: String,
                input: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "trigger_action", args!(provider_config_key, connection_id, action_name, input))?)
            }

            #[doc = "Queues an action without waiting for it: ``POST /action/trigger`` with ``X-Async: true``.

Arguments as in ``trigger_action``. Returns ``{\"id\": ..., \"statusUrl\": ...}``; pass either to
``get_async_action_result``. Raises as ``trigger_action``."]
            #[pyo3(signature = (provider_config_key, connection_id, action_name, input = None))]
            fn trigger_action_async(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                connection_id: String,
                action_name: String,
                input: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "trigger_action_async", args!(provider_config_key, connection_id, action_name, input))?)
            }

            #[doc = "Fetches the result of a queued action: ``GET /action/{id}``.

Give ``id`` or ``status_url`` (both from ``trigger_action_async``; ``status_url`` wins and
is then fetched as is, ``GET {status_url}``). A ``status_url`` must be a path or a URL on
``host``, so the secret key never goes to another server. Returns the action's output.
Raises ``ValidationError`` (neither given, or a ``status_url`` on another host),
``NotFoundError`` (unknown id).
Also raises the errors any call can raise (see the class docstring)."]
            #[pyo3(signature = (id = None, *, status_url = None))]
            fn get_async_action_result(
                &self,
                py: Python<'_>,
                id: Option<String>,
                status_url: Option<String>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "get_async_action_result", args!(id, status_url))?)
            }

            // ---- connections ----

            #[doc = "Fetches a connection with its credentials: ``GET /connections/{connection_id}``.

``provider_config_key``: the integration; ``connection_id``: the connection. ``force_refresh``:
refresh the access token even when it is still valid. ``refresh_token``: include the refresh
token in the answer. ``refresh_github_app_jwt_token``: refresh a GitHub App JWT token.

Returns the connection ``dict`` (``credentials``, ``metadata``, timestamps...). Raises
``NotFoundError`` (unknown connection), ``ValidationError``.
Also raises the errors any call can raise (see the class docstring)."]
            #[pyo3(signature = (provider_config_key, connection_id, *, force_refresh = false, refresh_token = false, refresh_github_app_jwt_token = false))]
            fn get_connection(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                connection_id: String,
                force_refresh: bool,
                refresh_token: bool,
                refresh_github_app_jwt_token: bool,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "get_connection", args!(provider_config_key, connection_id, force_refresh, refresh_token, refresh_github_app_jwt_token))?)
            }

            #[doc = "Lists connections, optionally filtered: ``GET /connections``.

``connection_id``, ``search``, ``user_id``, ``end_user_organization_id``: filters;
``integration_id``: one key or several; ``tags``: only connections with these tags;
``limit``, ``page``: pagination.

Returns ``{\"connections\": [...]}`` (summaries without credentials).
Also raises the errors any call can raise (see the class docstring)."]
            #[pyo3(signature = (*, connection_id = None, search = None, user_id = None, end_user_organization_id = None, integration_id = None, tags = None, limit = None, page = None))]
            #[allow(clippy::too_many_arguments)]
            fn list_connections(
                &self,
                py: Python<'_>,
                connection_id: Option<String>,
                search: Option<String>,
                user_id: Option<String>,
                end_user_organization_id: Option<String>,
                integration_id: Option<convert::OneOrMany>,
                tags: Option<&Bound<'_, PyAny>>,
                limit: Option<u32>,
                page: Option<u32>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "list_connections", args!(connection_id, search, user_id, end_user_organization_id, integration_id, tags, limit, page))?)
            }

            $(
                #[doc = $token_doc]
                #[pyo3(signature = (provider_config_key, connection_id, *, force_refresh = false, refresh_github_app_jwt_token = false))]
                fn $token_fn(
                    &self,
                    py: Python<'_>,
                    provider_config_key: String,
                    connection_id: String,
                    force_refresh: bool,
                    refresh_github_app_jwt_token: bool,
                ) -> PyResult<Py<PyAny>> {
                    Self::run(py, dispatch(&self.inner, stringify!($token_fn), args!(provider_config_key, connection_id, force_refresh, refresh_github_app_jwt_token))?)
                }
            )*

            #[doc = "Returns a connection's metadata ``dict`` (``None`` when it has none): ``GET /connections/{connection_id}``.

Raises ``NotFoundError`` (unknown connection), ``ValidationError``.
Also raises the errors any call can raise (see the class docstring)."]
            fn get_metadata(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                connection_id: String,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "get_metadata", args!(provider_config_key, connection_id))?)
            }

            #[doc = "Replaces the metadata of one or several connections: ``POST /connections/metadata``.

``connection_id``: one id or a list; ``metadata``: a JSON object (a mapping). Returns the
server's answer. Raises ``ValidationError`` (empty id, metadata not an object),
``NotFoundError``.
Also raises the errors any call can raise (see the class docstring)."]
            fn set_metadata(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                connection_id: convert::OneOrMany,
                metadata: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "set_metadata", args!(provider_config_key, connection_id, metadata))?)
            }

            #[doc = "Merges keys into the metadata of one or several connections: ``PATCH /connections/metadata``.

Arguments and exceptions as in ``set_metadata``; keys not given are kept."]
            fn update_metadata(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                connection_id: convert::OneOrMany,
                metadata: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "update_metadata", args!(provider_config_key, connection_id, metadata))?)
            }

            #[doc = "Updates fields of a connection (such as its tags or end user): ``PATCH /connections/{connection_id}``.

``body``: the fields to change, as a JSON object. Returns the server's answer. Raises
``ValidationError``, ``NotFoundError``.
Also raises the errors any call can raise (see the class docstring)."]
            fn patch_connection(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                connection_id: String,
                body: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "patch_connection", args!(provider_config_key, connection_id, body))?)
            }

            #[doc = "Deletes a connection: ``DELETE /connections/{connection_id}``.

Returns the server's answer. Raises ``NotFoundError`` (unknown connection).
Also raises the errors any call can raise (see the class docstring)."]
            fn delete_connection(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                connection_id: String,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "delete_connection", args!(provider_config_key, connection_id))?)
            }

            #[doc = "Creates a connect session for the frontend: ``POST /connect/sessions``.

``end_user``: who connects (``id`` required by Nango); ``organization``: their organisation;
``allowed_integrations``: the integrations offered; ``integrations_config_defaults``,
``overrides``: per-integration settings; ``webhook_url_override``: where this connection's
webhooks go; ``tags``: tags put on the created connection.

Returns ``{\"data\": {\"token\": ..., \"expires_at\": ...}}``; hand the token to the frontend.
Not retried once sent. Raises ``ValidationError``.
Also raises the errors any call can raise (see the class docstring)."]
            #[pyo3(signature = (*, end_user = None, organization = None, allowed_integrations = None, integrations_config_defaults = None, overrides = None, webhook_url_override = None, tags = None, **extra))]
            #[allow(clippy::too_many_arguments)]
            fn create_connect_session(
                &self,
                py: Python<'_>,
                end_user: Option<&Bound<'_, PyAny>>,
                organization: Option<&Bound<'_, PyAny>>,
                allowed_integrations: Option<Vec<String>>,
                integrations_config_defaults: Option<&Bound<'_, PyAny>>,
                overrides: Option<&Bound<'_, PyAny>>,
                webhook_url_override: Option<String>,
                tags: Option<&Bound<'_, PyAny>>,
                extra: Option<&Bound<'_, pyo3::types::PyDict>>,
            ) -> PyResult<Py<PyAny>> {
                let args = convert::with_extra(args!(end_user, organization, allowed_integrations, integrations_config_defaults, overrides, webhook_url_override, tags), extra)?;
                Self::run(py, dispatch(&self.inner, "create_connect_session", args)?)
            }

            #[doc = "Creates a session to re-authorise an existing connection: ``POST /connect/sessions/reconnect``.

``connection_id``, ``integration_id``: the connection to reconnect; the other arguments as in
``create_connect_session``. Returns the session like ``create_connect_session``. Raises
``ValidationError``, ``NotFoundError``.
Also raises the errors any call can raise (see the class docstring)."]
            #[pyo3(signature = (connection_id, integration_id, *, end_user = None, organization = None, integrations_config_defaults = None, overrides = None, webhook_url_override = None, tags = None, **extra))]
            #[allow(clippy::too_many_arguments)]
            fn create_reconnect_session(
                &self,
                py: Python<'_>,
                connection_id: String,
                integration_id: String,
                end_user: Option<&Bound<'_, PyAny>>,
                organization: Option<&Bound<'_, PyAny>>,
                integrations_config_defaults: Option<&Bound<'_, PyAny>>,
                overrides: Option<&Bound<'_, PyAny>>,
                webhook_url_override: Option<String>,
                tags: Option<&Bound<'_, PyAny>>,
                extra: Option<&Bound<'_, pyo3::types::PyDict>>,
            ) -> PyResult<Py<PyAny>> {
                let args = convert::with_extra(args!(connection_id, integration_id, end_user, organization, integrations_config_defaults, overrides, webhook_url_override, tags), extra)?;
                Self::run(py, dispatch(&self.inner, "create_reconnect_session", args)?)
            }

            // ---- syncs ----

            #[doc = "Runs syncs now: ``POST /sync/trigger``.

``provider_config_key``: the integration; ``syncs``: a sync name, ``{\"name\", \"variant\"}``, or a
list of them (``None``: all); ``connection_id``: one connection (``None``: all). ``reset``
(deprecated by Nango) or ``sync_mode`` (``\"incremental\"``, ``\"full_refresh\"``,
``\"full_refresh_and_clear_cache\"``, or a ``bool`` for the legacy full resync);
``empty_cache``: clear the stored records first.

Returns the server's answer. Not retried once sent. Raises ``ValidationError``,
``NotFoundError``.
Also raises the errors any call can raise (see the class docstring)."]
            #[pyo3(signature = (provider_config_key, syncs = None, connection_id = None, *, reset = None, empty_cache = None, sync_mode = None))]
            #[allow(clippy::too_many_arguments)]
            fn trigger_sync(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                syncs: Option<&Bound<'_, PyAny>>,
                connection_id: Option<String>,
                reset: Option<bool>,
                empty_cache: Option<bool>,
                sync_mode: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                let opts = args!(reset, empty_cache);
                let opts = (opts.as_object().is_some_and(|o| !o.is_empty())).then_some(opts);
                Self::run(py, dispatch(&self.inner, "trigger_sync", args!(provider_config_key, syncs, connection_id, opts, sync_mode))?)
            }

            #[doc = "Starts (un-pauses) syncs on their schedule: ``POST /sync/start``.

``syncs``: a name, ``{\"name\", \"variant\"}`` or a list (at least one); ``connection_id``: one
connection, or all when ``None``. Returns the server's answer. Raises ``ValidationError``,
``NotFoundError``.
Also raises the errors any call can raise (see the class docstring)."]
            #[pyo3(signature = (provider_config_key, syncs, connection_id = None))]
            fn start_sync(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                syncs: &Bound<'_, PyAny>,
                connection_id: Option<String>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "start_sync", args!(provider_config_key, syncs, connection_id))?)
            }

            #[doc = "Pauses syncs: ``POST /sync/pause``.

Arguments, result and exceptions as in ``start_sync``."]
            #[pyo3(signature = (provider_config_key, syncs, connection_id = None))]
            fn pause_sync(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                syncs: &Bound<'_, PyAny>,
                connection_id: Option<String>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "pause_sync", args!(provider_config_key, syncs, connection_id))?)
            }

            #[doc = "Reports the state of syncs: ``GET /sync/status``.

``syncs``: names (``None`` or ``\"*\"``: all); ``connection_id``: one connection, or all.
Returns ``{\"syncs\": [...]}`` with each sync's status, last run and next run. Raises
``ValidationError``, ``NotFoundError``.
Also raises the errors any call can raise (see the class docstring)."]
            #[pyo3(signature = (provider_config_key, syncs = None, connection_id = None))]
            fn sync_status(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                syncs: Option<&Bound<'_, PyAny>>,
                connection_id: Option<String>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "sync_status", args!(provider_config_key, syncs, connection_id))?)
            }

            #[doc = "Overrides how often a sync runs for one connection: ``PUT /sync/update-connection-frequency``.

``sync``: the sync name or ``{\"name\", \"variant\"}``; ``connection_id``: the connection;
``frequency``: such as ``\"every 30 minutes\"``, or ``None`` to go back to the integration's
default. Returns ``{\"frequency\": ...}``. Raises ``ValidationError``, ``NotFoundError``.
Also raises the errors any call can raise (see the class docstring)."]
            fn update_sync_connection_frequency(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                sync: &Bound<'_, PyAny>,
                connection_id: String,
                frequency: Option<String>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "update_sync_connection_frequency", args!(provider_config_key, sync, connection_id, frequency))?)
            }

            #[doc = "Creates a variant of a sync for one connection: ``POST /sync/{name}/variant/{variant}``.

``name``: the sync; ``variant``: the new variant's name (not ``base``). Returns the server's
answer (``{\"id\", \"name\", \"variant\"}``). Not retried once sent. Raises
``ValidationError`` (an unknown sync, a bad variant name), ``NotFoundError``.
Also raises the errors any call can raise (see the class docstring)."]
            fn create_sync_variant(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                connection_id: String,
                name: String,
                variant: String,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "create_sync_variant", args!(provider_config_key, connection_id, name, variant))?)
            }

            #[doc = "Deletes a variant of a sync: ``DELETE /sync/{name}/variant/{variant}``.

Arguments as in ``create_sync_variant``. Returns ``{\"success\": True}``. Raises
``NotFoundError`` (no such variant), ``ValidationError`` (``base``).
Also raises the errors any call can raise (see the class docstring)."]
            fn delete_sync_variant(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                connection_id: String,
                name: String,
                variant: String,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "delete_sync_variant", args!(provider_config_key, connection_id, name, variant))?)
            }

            // ---- proxy ----

            // `proxy` and its method shortcuts: one template, the shortcuts without `method`.
            $(
                #[doc = $proxy_doc]
                #[pyo3(signature = (*, endpoint, provider_config_key = None, connection_id = None, $($method_arg = None,)? headers = None, params = None, data = None, retries = None, retry_on = None, decompress = None, forward_headers_on_redirect = None, base_url_override = None, raw = false))]
                #[allow(clippy::too_many_arguments)]
                fn $proxy_fn(
                    &self,
                    py: Python<'_>,
                    endpoint: String,
                    provider_config_key: Option<String>,
                    connection_id: Option<String>,
                    $($method_arg: Option<String>,)?
                    headers: Option<&Bound<'_, PyAny>>,
                    params: Option<&Bound<'_, PyAny>>,
                    data: Option<&Bound<'_, PyAny>>,
                    retries: Option<u32>,
                    retry_on: Option<Vec<u16>>,
                    decompress: Option<bool>,
                    forward_headers_on_redirect: Option<bool>,
                    base_url_override: Option<String>,
                    raw: bool,
                ) -> PyResult<Py<PyAny>> {
                    // Absent ids stay absent: core puts the client's defaults in their place.
                    let config = nango::ProxyConfig {
                        method: $method,
                        endpoint,
                        provider_config_key,
                        connection_id,
                        headers: proxy::headers_arg(headers)?,
                        params: proxy::params_arg(params)?,
                        data: proxy::data_arg(data)?,
                        retries,
                        retry_on,
                        decompress,
                        forward_headers_on_redirect,
                        base_url_override,
                        activity_log_id: None,
                    };
                    Self::run(py, proxy::proxy(&self.inner, config, raw))
                }
            )*

            // ---- integrations ----

            #[doc = "Lists the environment's integrations: ``GET /integrations``.

Returns ``{\"configs\": [...]}``, one ``dict`` per integration.
Also raises the errors any call can raise (see the class docstring)."]
            fn list_integrations(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "list_integrations", args!())?)
            }

            #[doc = "Fetches one integration: ``GET /integrations/{unique_key}``.

``include``: extra parts to return, such as ``[\"webhook\", \"credentials\"]``. Returns the
integration ``dict``. Raises ``NotFoundError`` (unknown integration).
Also raises the errors any call can raise (see the class docstring)."]
            #[pyo3(signature = (unique_key, *, include = None))]
            fn get_integration(
                &self,
                py: Python<'_>,
                unique_key: String,
                include: Option<Vec<String>>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "get_integration", args!(unique_key, include))?)
            }

            #[doc = "Lists the providers Nango supports: ``GET /providers``.

``search``: only providers whose name matches. Returns ``{\"data\": [...]}``, one ``dict`` per
provider (``name``, ``display_name``, ``auth_mode``, ``categories``, ...).
Also raises the errors any call can raise (see the class docstring)."]
            #[pyo3(signature = (*, search = None))]
            fn list_providers(&self, py: Python<'_>, search: Option<String>) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "list_providers", args!(search))?)
            }

            #[doc = "Fetches one provider's definition: ``GET /providers/{provider}``.

Returns ``{\"data\": {...}}``. Raises ``NotFoundError`` (unknown provider), ``ValidationError``
(an empty name).
Also raises the errors any call can raise (see the class docstring)."]
            fn get_provider(&self, py: Python<'_>, provider: String) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "get_provider", args!(provider))?)
            }

            #[doc = "Returns the configuration of the deployed syncs and actions: ``GET /scripts/config``.

``format``: ``\"nango\"`` (the default: one ``dict`` per integration with its syncs and
actions) or ``\"openai\"`` (``{\"data\": [...]}``, function descriptions for OpenAI tools).
Raises ``ValidationError`` (another format).
Also raises the errors any call can raise (see the class docstring)."]
            #[pyo3(signature = (format = None))]
            fn get_scripts_config(&self, py: Python<'_>, format: Option<String>) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "get_scripts_config", args!(format))?)
            }

            #[doc = "Lists the environment's variables: ``GET /environment-variables``.

Returns a ``list`` of ``{\"name\", \"value\"}``.
Also raises the errors any call can raise (see the class docstring)."]
            fn get_environment_variables(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "get_environment_variables", args!())?)
            }

            // ---- integration administration, provider templates, deployed functions ----

            #[doc = "Lists the catalog's sync and action templates of a provider: ``GET /providers/{provider}/templates``.

Returns ``{\"data\": [...]}``, one ``dict`` per template (``name``, ``type``, ``models``, ...); an
unknown provider has none. Raises ``ValidationError`` (an empty or malformed name).
Also raises the errors any call can raise (see the class docstring)."]
            fn get_provider_templates(
                &self,
                py: Python<'_>,
                provider: String,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "get_provider_templates", args!(provider))?)
            }

            #[doc = "Creates an integration: ``POST /integrations``.

``provider``: the provider's name (such as ``\"github\"``); ``unique_key``: the new integration's
id; ``display_name``; ``credentials``: the developer app, a ``dict`` with ``type`` (``OAUTH1``,
``OAUTH2``, ``TBA``, ``APP`` or ``CUSTOM``) and its fields (``client_id``, ``client_secret``,
``scopes``...); ``forward_webhooks``; ``integration_config`` and ``custom``: ``str`` settings.
Returns ``{\"data\": {...}}`` with the integration. Not retried once it may have reached the
server. Raises ``ValidationError`` (a duplicate key, an unknown provider, credentials of the wrong
type).
Also raises the errors any call can raise (see the class docstring)."]
            #[pyo3(signature = (provider, unique_key, *, display_name = None, credentials = None, forward_webhooks = None, integration_config = None, custom = None))]
            #[allow(clippy::too_many_arguments)]
            fn create_integration(
                &self,
                py: Python<'_>,
                provider: String,
                unique_key: String,
                display_name: Option<String>,
                credentials: Option<&Bound<'_, PyAny>>,
                forward_webhooks: Option<bool>,
                integration_config: Option<&Bound<'_, PyAny>>,
                custom: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "create_integration", args!(provider, unique_key, display_name, credentials, forward_webhooks, integration_config, custom))?)
            }

            #[doc = "Creates an integration on Nango's own developer app: ``POST /integrations/quickstart``.

``provider``, ``unique_key``, ``display_name``, ``forward_webhooks`` as in
``create_integration`` (no credentials: Nango's app is used). Returns ``{\"data\": {...}}``.
Raises ``ValidationError`` (a provider without a quickstart app, a duplicate key).
Also raises the errors any call can raise (see the class docstring)."]
            #[pyo3(signature = (provider, unique_key, *, display_name = None, forward_webhooks = None))]
            fn create_quickstart_integration(
                &self,
                py: Python<'_>,
                provider: String,
                unique_key: String,
                display_name: Option<String>,
                forward_webhooks: Option<bool>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "create_quickstart_integration", args!(provider, unique_key, display_name, forward_webhooks))?)
            }

            #[doc = "Changes an integration: ``PATCH /integrations/{unique_key}``.

``body``: the fields to change, keys as in ``create_integration`` (a ``unique_key`` in it renames
the integration). Returns ``{\"data\": {...}}`` with the integration as it is now. Retried like a
read unless it renames. Raises ``NotFoundError``, ``ValidationError``.
Also raises the errors any call can raise (see the class docstring)."]
            fn update_integration(
                &self,
                py: Python<'_>,
                unique_key: String,
                body: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "update_integration", args!(unique_key, body))?)
            }

            #[doc = "Deletes an integration and its connections: ``DELETE /integrations/{unique_key}``.

Returns ``{\"success\": True}``. Raises ``NotFoundError`` (unknown integration).
Also raises the errors any call can raise (see the class docstring)."]
            fn delete_integration(
                &self,
                py: Python<'_>,
                unique_key: String,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "delete_integration", args!(unique_key))?)
            }

            #[doc = "Lists the deployed functions of an integration, one page: ``GET /integrations/{unique_key}/functions``.

``function_type``: ``\"sync\"``, ``\"action\"`` or ``\"on-event\"``; ``search``: part of the name
(case-insensitive); ``page`` (from 0) and ``limit`` (1 to 100). Returns ``{\"data\": [...],
\"pagination\": {\"total\", \"page\", \"limit\"}}``. Raises ``NotFoundError``, ``ValidationError``.
Also raises the errors any call can raise (see the class docstring)."]
            #[pyo3(signature = (unique_key, *, function_type = None, search = None, page = None, limit = None))]
            fn list_functions(
                &self,
                py: Python<'_>,
                unique_key: String,
                function_type: Option<String>,
                search: Option<String>,
                page: Option<u32>,
                limit: Option<u32>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "list_functions", args!(unique_key, function_type, search, page, limit))?)
            }

            #[doc = "Fetches one deployed function: ``GET /integrations/{unique_key}/functions/{name}``.

``function_type``: tells apart a sync and an action of the same name. Returns ``{\"data\": {...}}``.
Raises ``NotFoundError``, ``ValidationError``.
Also raises the errors any call can raise (see the class docstring)."]
            #[pyo3(signature = (unique_key, name, *, function_type = None))]
            fn get_function(
                &self,
                py: Python<'_>,
                unique_key: String,
                name: String,
                function_type: Option<String>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "get_function", args!(unique_key, name, function_type))?)
            }

            #[doc = "Fetches the source of a deployed function: ``GET /integrations/{unique_key}/functions/{name}/code``.

Arguments as in ``get_function``. Returns ``{\"type\", \"code\"}`` (TypeScript source). Raises
``NotFoundError``, ``ValidationError``.
Also raises the errors any call can raise (see the class docstring)."]
            #[pyo3(signature = (unique_key, name, *, function_type = None))]
            fn get_function_code(
                &self,
                py: Python<'_>,
                unique_key: String,
                name: String,
                function_type: Option<String>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "get_function_code", args!(unique_key, name, function_type))?)
            }

            #[doc = "Deletes a deployed sync or action: ``DELETE /integrations/{unique_key}/functions/{name}``.

``function_type``: ``\"sync\"`` or ``\"action\"`` (required; other kinds are refused before
sending). Returns ``{\"data\": {\"success\": True}}``. Raises ``NotFoundError``, ``ValidationError``.
Also raises the errors any call can raise (see the class docstring)."]
            fn delete_function(
                &self,
                py: Python<'_>,
                unique_key: String,
                name: String,
                function_type: String,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "delete_function", args!(unique_key, name, function_type))?)
            }

            #[doc = "Waits until an end user has a connection to an integration: polls ``GET /connections?endUserId=``.

``integration_key``: the integration; ``user_id``: the end user's id given to the connect
session. Polls at once, after 10 seconds, then every 2 seconds, until ``deadline`` seconds have
passed (default 68, the official SDK's 30 polls). Returns the connection ``dict`` (as
``list_connections`` lists it). Raises ``TimeoutError`` past the deadline, or a poll's own error.
Ctrl-C interrupts the sync client; cancelling the ``AsyncNango`` task stops polling.
Also raises the errors any call can raise (see the class docstring)."]
            #[pyo3(signature = (integration_key, user_id, *, deadline = None))]
            fn wait_for_connection(
                &self,
                py: Python<'_>,
                integration_key: String,
                user_id: String,
                deadline: Option<f64>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, dispatch(&self.inner, "wait_for_connection", args!(integration_key, user_id, deadline))?)
            }

            // ---- webhooks (local, no I/O: plain methods on both classes) ----

            #[doc = "Checks a webhook's signature locally (no request is sent).

``raw_body``: the body exactly as received (``bytes`` preferred; ``str`` is encoded as UTF-8);
``headers``: a mapping or ``(name, value)`` pairs. Compares ``X-Nango-Hmac-Sha256`` with the
HMAC-SHA256 of the body under ``webhook_signing_key`` (or the secret key when none was given).
Returns ``True`` when it matches, ``False`` otherwise; never raises for a bad signature."]
            fn verify_incoming_webhook_request(
                &self,
                raw_body: webhooks::RawBody,
                headers: &Bound<'_, PyAny>,
            ) -> PyResult<bool> {
                webhooks::verify(&self.inner, raw_body, headers)
            }

            #[doc = "The deprecated signature check of the official SDK's ``verifyWebhookSignature`` (no request is sent).

``signature_in_header``: the ``X-Nango-Signature`` header's value; ``raw_body``: the body exactly
as received (``bytes``, or a ``str`` encoded as UTF-8), not a parsed payload. Compares the
signature with SHA-256 of ``webhook_signing_key`` (or the secret key) followed by the body.
Returns ``True`` when it matches. Prefer ``verify_incoming_webhook_request`` (HMAC)."]
            fn verify_webhook_signature(
                &self,
                signature_in_header: &str,
                raw_body: webhooks::RawBody,
            ) -> bool {
                webhooks::verify_signature(&self.inner, signature_in_header, raw_body)
            }

            #[doc = "Verifies a webhook as ``verify_incoming_webhook_request`` does, then parses it (no request is sent).

Returns the payload ``dict``, discriminated by ``type`` (``auth``, ``sync``, ``forward``,
``async_action``, or ``unknown``). Raises ``WebhookVerificationError`` on a bad signature,
``ValidationError`` when the body is not JSON."]
            fn parse_webhook(
                &self,
                py: Python<'_>,
                raw_body: webhooks::RawBody,
                headers: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                webhooks::parse_verified(py, &self.inner, raw_body, headers)
            }
        }
    };
}

client_methods!(PyNango, "Nango", PyRecordIterator);
client_methods!(PyAsyncNango, "AsyncNango", PyAsyncRecordIterator);
