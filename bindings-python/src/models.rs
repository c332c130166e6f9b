//! `python -m nango models`: the whole command is core's (`nango::models::run`);
//! `nango/__main__.py` prints what it returns.

use pyo3::prelude::*;

use crate::{errors, runtime};

/// Runs the `models` command (`args`: what follows the word `models`) on the module's runtime
/// with the GIL released. Returns `(stdout, stderr)`; raises the `NangoError` subclass of the
/// failure (whose message never holds the key).
#[pyfunction]
pub(crate) fn _models_command(py: Python<'_>, args: Vec<String>) -> PyResult<(String, String)> {
    let rt = runtime::runtime()?;
    let builder = nango::NangoBuilder::new()
        .user_agent_suffix(format!("python/{}", crate::client::python_version()))
        .ecosystem(nango::tls::Ecosystem::Python);
    // On a runtime worker: the HTTP client registers its connection pool with the runtime it is
    // built in.
    let task = rt.spawn(nango::models::run(args, builder));
    match runtime::block_on(py, task)? {
        Ok(Ok(report)) => Ok((report.stdout, report.stderr)),
        Ok(Err(err)) => Err(errors::to_py_err(err)),
        Err(join) => Err(errors::internal(format!(
            "the models command stopped: {join}"
        ))),
    }
}
