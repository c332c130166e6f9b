//! `nango._nango`: the native half of the `nango-rs` Python package, a thin wrapper over the
//! `nango` crate. No protocol logic lives here: inputs are converted (`convert.rs`), core is
//! called, outputs are converted, errors are mapped (`errors.rs`).

mod asyncio_bridge;
mod client;
mod convert;
mod errors;
mod exit_gate;
mod json;
mod log;
mod models;
mod proxy;
mod records;
mod runtime;
mod webhooks;

use pyo3::prelude::*;

#[pymodule]
fn _nango(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    exit_gate::register(m)?;
    m.add_class::<client::PyNango>()?;
    m.add_class::<client::PyAsyncNango>()?;
    m.add_class::<records::PyRecordIterator>()?;
    m.add_class::<records::PyAsyncRecordIterator>()?;
    m.add_function(wrap_pyfunction!(webhooks::parse_webhook_payload, m)?)?;
    m.add_function(wrap_pyfunction!(webhooks::verify_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_error_from_response, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_error_for_code, m)?)?;
    m.add_function(wrap_pyfunction!(json::_decode_json, m)?)?;
    m.add_function(wrap_pyfunction!(json::_decode_json_many, m)?)?;
    m.add_function(wrap_pyfunction!(models::_models_command, m)?)?;
    Ok(())
}
