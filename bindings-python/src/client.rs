//! `Nango` (sync) and `AsyncNango` (asyncio): the two exposed client classes.
//!
//! Both share one method list (the `client_methods!` macro below), so their signatures cannot
//! drift apart. Each method turns its arguments into a [`Call`] — a future on the shared runtime
//! that ends with a [`Finish`] closure — and the class decides how to wait for it: the sync class
//! blocks with the GIL released, the async class returns an awaitable. The per-endpoint argument
//! handling lives in `records.rs`, `actions.rs`, `connections.rs`, `syncs.rs`, `proxy.rs`,
//! `integrations.rs` and `webhooks.rs`, mirroring core.

use std::future::Future;
use std::pin::Pin;

use pyo3::prelude::*;

use crate::errors::{self, IntoPyResult};
use crate::runtime;
use crate::{actions, connections, integrations, proxy, records, syncs, webhooks};

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

/// Settings shared by both classes, validated by core: the numbers go through its converters,
/// `build()` bounds them, and it reads `NANGO_SECRET_KEY` and `NANGO_HOST` for what is not given.
fn build_core(
    secret_key: Option<&str>,
    host: Option<&str>,
    webhook_signing_key: Option<&str>,
    timeout: Option<f64>,
    deadline: Option<f64>,
    max_retries: Option<f64>,
) -> PyResult<nango::Nango> {
    // reqwest registers its connection pool with the current runtime: build inside ours.
    let rt = runtime::runtime()?;
    let _entered = rt.enter();
    let built = (|| {
        let mut builder =
            nango::NangoBuilder::new().user_agent_suffix(format!("python/{}", python_version()));
        if let Some(key) = secret_key {
            builder = builder.secret_key(key);
        }
        if let Some(host) = host {
            builder = builder.host(host);
        }
        if let Some(key) = webhook_signing_key {
            builder = builder.webhook_signing_key(key);
        }
        if let Some(seconds) = timeout {
            builder = builder.timeout(nango::client::duration_from_secs_f64("timeout", seconds)?);
        }
        if let Some(seconds) = deadline {
            builder = builder.deadline(nango::client::duration_from_secs_f64("deadline", seconds)?);
        }
        if let Some(retries) = max_retries {
            builder = builder.max_retries(nango::client::retries_from_f64("max_retries", retries)?);
        }
        builder.build()
    })();
    built.py_err()
}

fn python_version() -> String {
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
macro_rules! client_methods {
    ($class:ident, $name:literal, $records:ident) => {
        #[pymethods]
        impl $class {
            #[new]
            #[pyo3(signature = (secret_key = None, *, host = None, webhook_signing_key = None, timeout = None, deadline = None, max_retries = None))]
            fn new(
                secret_key: Option<&str>,
                host: Option<&str>,
                webhook_signing_key: Option<&str>,
                timeout: Option<f64>,
                deadline: Option<f64>,
                // A float so that any int reaches core's bounds check (no OverflowError).
                max_retries: Option<f64>,
            ) -> PyResult<Self> {
                Ok(Self {
                    inner: build_core(
                        secret_key, host, webhook_signing_key, timeout, deadline, max_retries,
                    )?,
                })
            }

            fn __repr__(&self) -> String {
                repr($name, &self.inner)
            }

            /// The host requests go to.
            #[getter]
            fn host(&self) -> &str {
                self.inner.host()
            }

            /// The per-attempt timeout in effect, in seconds.
            #[getter]
            fn timeout(&self) -> f64 {
                self.inner.config().timeout.as_secs_f64()
            }

            /// The overall deadline of a call in effect, retries included, in seconds.
            #[getter]
            fn deadline(&self) -> f64 {
                self.inner.config().deadline.as_secs_f64()
            }

            // ---- records ----

            #[pyo3(signature = (provider_config_key, connection_id, model, *, variant = None, modified_after = None, limit = None, filter = None, cursor = None, ids = None))]
            #[allow(clippy::too_many_arguments)]
            fn list_records(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                connection_id: String,
                model: String,
                variant: Option<String>,
                modified_after: Option<String>,
                limit: Option<u32>,
                filter: Option<String>,
                cursor: Option<String>,
                ids: Option<Vec<String>>,
            ) -> PyResult<Py<PyAny>> {
                let params = records::params(
                    provider_config_key, connection_id, model, variant, modified_after, limit,
                    filter, cursor, ids,
                );
                Self::run(py, records::list_records(&self.inner, params))
            }

            #[pyo3(signature = (provider_config_key, connection_id, model, *, variant = None, modified_after = None, limit = None, filter = None, cursor = None, ids = None))]
            #[allow(clippy::too_many_arguments)]
            fn records(
                &self,
                provider_config_key: String,
                connection_id: String,
                model: String,
                variant: Option<String>,
                modified_after: Option<String>,
                limit: Option<u32>,
                filter: Option<String>,
                cursor: Option<String>,
                ids: Option<Vec<String>>,
            ) -> PyResult<records::$records> {
                let params = records::params(
                    provider_config_key, connection_id, model, variant, modified_after, limit,
                    filter, cursor, ids,
                );
                records::$records::start(&self.inner, params)
            }

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
                let params = records::prune_params(
                    provider_config_key, connection_id, model, until_cursor, variant, limit,
                );
                Self::run(py, records::prune_records(&self.inner, params))
            }

            // ---- actions ----

            #[pyo3(signature = (provider_config_key, connection_id, action_name, input = None))]
            fn trigger_action(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                connection_id: String,
                action_name: String,
                input: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                let params = actions::params(provider_config_key, connection_id, action_name, input)?;
                Self::run(py, actions::trigger_action(&self.inner, params))
            }

            #[pyo3(signature = (provider_config_key, connection_id, action_name, input = None))]
            fn trigger_action_async(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                connection_id: String,
                action_name: String,
                input: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                let params = actions::params(provider_config_key, connection_id, action_name, input)?;
                Self::run(py, actions::trigger_action_async(&self.inner, params))
            }

            #[pyo3(signature = (id = None, *, status_url = None))]
            fn get_async_action_result(
                &self,
                py: Python<'_>,
                id: Option<String>,
                status_url: Option<String>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, actions::get_async_action_result(&self.inner, id, status_url)?)
            }

            // ---- connections ----

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
                let params = connections::get_params(
                    provider_config_key, connection_id, force_refresh, refresh_token,
                    refresh_github_app_jwt_token,
                );
                Self::run(py, connections::get_connection(&self.inner, params))
            }

            #[pyo3(signature = (*, connection_id = None, search = None, user_id = None, end_user_organization_id = None, integration_id = None, tags = None, limit = None, page = None))]
            #[allow(clippy::too_many_arguments)]
            fn list_connections(
                &self,
                py: Python<'_>,
                connection_id: Option<String>,
                search: Option<String>,
                user_id: Option<String>,
                end_user_organization_id: Option<String>,
                integration_id: Option<connections::OneOrMany>,
                tags: Option<&Bound<'_, PyAny>>,
                limit: Option<u32>,
                page: Option<u32>,
            ) -> PyResult<Py<PyAny>> {
                let params = connections::list_params(
                    connection_id, search, user_id, end_user_organization_id, integration_id,
                    tags, limit, page,
                )?;
                Self::run(py, connections::list_connections(&self.inner, params))
            }

            #[pyo3(signature = (provider_config_key, connection_id, *, force_refresh = false, refresh_github_app_jwt_token = false))]
            fn get_token(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                connection_id: String,
                force_refresh: bool,
                refresh_github_app_jwt_token: bool,
            ) -> PyResult<Py<PyAny>> {
                let params = connections::token_params(
                    provider_config_key, connection_id, force_refresh, refresh_github_app_jwt_token,
                );
                Self::run(py, connections::get_token(&self.inner, params))
            }

            fn get_metadata(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                connection_id: String,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, connections::get_metadata(&self.inner, provider_config_key, connection_id))
            }

            fn set_metadata(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                connection_id: connections::OneOrMany,
                metadata: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                let params = connections::metadata_params(provider_config_key, connection_id, metadata)?;
                Self::run(py, connections::set_metadata(&self.inner, params))
            }

            fn update_metadata(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                connection_id: connections::OneOrMany,
                metadata: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                let params = connections::metadata_params(provider_config_key, connection_id, metadata)?;
                Self::run(py, connections::update_metadata(&self.inner, params))
            }

            fn patch_connection(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                connection_id: String,
                body: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                let params = connections::patch_params(provider_config_key, connection_id, body)?;
                Self::run(py, connections::patch_connection(&self.inner, params))
            }

            fn delete_connection(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                connection_id: String,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, connections::delete_connection(&self.inner, provider_config_key, connection_id))
            }

            #[pyo3(signature = (*, end_user = None, organization = None, allowed_integrations = None, integrations_config_defaults = None, overrides = None, webhook_url_override = None, tags = None))]
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
            ) -> PyResult<Py<PyAny>> {
                let params = connections::connect_session_params(
                    end_user, organization, allowed_integrations, integrations_config_defaults,
                    overrides, webhook_url_override, tags,
                )?;
                Self::run(py, connections::create_connect_session(&self.inner, params))
            }

            #[pyo3(signature = (connection_id, integration_id, *, end_user = None, organization = None, integrations_config_defaults = None, overrides = None, webhook_url_override = None, tags = None))]
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
            ) -> PyResult<Py<PyAny>> {
                let params = connections::reconnect_session_params(
                    connection_id, integration_id, end_user, organization,
                    integrations_config_defaults, overrides, webhook_url_override, tags,
                )?;
                Self::run(py, connections::create_reconnect_session(&self.inner, params))
            }

            // ---- syncs ----

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
                let params = syncs::trigger_params(
                    provider_config_key, syncs, connection_id, reset, empty_cache, sync_mode,
                )?;
                Self::run(py, syncs::trigger_sync(&self.inner, params))
            }

            #[pyo3(signature = (provider_config_key, syncs, connection_id = None))]
            fn start_sync(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                syncs: &Bound<'_, PyAny>,
                connection_id: Option<String>,
            ) -> PyResult<Py<PyAny>> {
                let params = syncs::control_params(provider_config_key, syncs, connection_id)?;
                Self::run(py, syncs::start_sync(&self.inner, params))
            }

            #[pyo3(signature = (provider_config_key, syncs, connection_id = None))]
            fn pause_sync(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                syncs: &Bound<'_, PyAny>,
                connection_id: Option<String>,
            ) -> PyResult<Py<PyAny>> {
                let params = syncs::control_params(provider_config_key, syncs, connection_id)?;
                Self::run(py, syncs::pause_sync(&self.inner, params))
            }

            #[pyo3(signature = (provider_config_key, syncs = None, connection_id = None))]
            fn sync_status(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                syncs: Option<&Bound<'_, PyAny>>,
                connection_id: Option<String>,
            ) -> PyResult<Py<PyAny>> {
                let params = syncs::status_params(provider_config_key, syncs, connection_id)?;
                Self::run(py, syncs::sync_status(&self.inner, params))
            }

            fn update_sync_connection_frequency(
                &self,
                py: Python<'_>,
                provider_config_key: String,
                sync: &Bound<'_, PyAny>,
                connection_id: String,
                frequency: Option<String>,
            ) -> PyResult<Py<PyAny>> {
                let params = syncs::frequency_params(provider_config_key, sync, connection_id, frequency)?;
                Self::run(py, syncs::update_sync_connection_frequency(&self.inner, params))
            }

            // ---- proxy ----

            #[pyo3(signature = (*, endpoint, provider_config_key, connection_id, method = None, headers = None, params = None, data = None, retries = None, retry_on = None, decompress = None, forward_headers_on_redirect = None, base_url_override = None))]
            #[allow(clippy::too_many_arguments)]
            fn proxy(
                &self,
                py: Python<'_>,
                endpoint: String,
                provider_config_key: String,
                connection_id: String,
                method: Option<String>,
                headers: Option<&Bound<'_, PyAny>>,
                params: Option<&Bound<'_, PyAny>>,
                data: Option<&Bound<'_, PyAny>>,
                retries: Option<u32>,
                retry_on: Option<Vec<u16>>,
                decompress: Option<bool>,
                forward_headers_on_redirect: Option<bool>,
                base_url_override: Option<String>,
            ) -> PyResult<Py<PyAny>> {
                let config = proxy::config(
                    endpoint, provider_config_key, connection_id, method, headers, params, data,
                    retries, retry_on, decompress, forward_headers_on_redirect, base_url_override,
                )?;
                Self::run(py, proxy::proxy(&self.inner, config))
            }

            // ---- integrations ----

            fn list_integrations(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                Self::run(py, integrations::list_integrations(&self.inner))
            }

            #[pyo3(signature = (unique_key, *, include = None))]
            fn get_integration(
                &self,
                py: Python<'_>,
                unique_key: String,
                include: Option<Vec<String>>,
            ) -> PyResult<Py<PyAny>> {
                Self::run(py, integrations::get_integration(&self.inner, unique_key, include))
            }

            // ---- webhooks (local, no I/O: plain methods on both classes) ----

            fn verify_incoming_webhook_request(
                &self,
                raw_body: webhooks::RawBody,
                headers: &Bound<'_, PyAny>,
            ) -> PyResult<bool> {
                webhooks::verify(&self.inner, raw_body, headers)
            }

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
