//! `nango._nango`: the native half of the `nango-rs` Python package, a thin wrapper over the
//! `nango` crate. No protocol logic lives here: inputs are converted, core is called, outputs are
//! converted, errors are mapped (`errors.rs`).

mod convert;
mod errors;
mod runtime;

use pyo3::prelude::*;

#[pymodule]
fn _nango(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
