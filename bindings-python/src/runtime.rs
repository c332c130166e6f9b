//! The one process-wide tokio runtime of the module, and the two ways Python waits on it.
//!
//! The core never creates a runtime (hosts bring their own): this module owns it. Sync calls block the
//! calling thread with the GIL released; asyncio calls hand the future to `pyo3-async-runtimes`.

use std::future::Future;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use tokio::runtime::Runtime;

use crate::asyncio_bridge::Bridge;
use crate::exit_gate;

/// How often a blocked sync call wakes up to let Python run its signal handlers (Ctrl-C).
/// Short enough to feel instant, long enough to cost nothing measurable.
const SIGNAL_POLL: Duration = Duration::from_millis(50);

static RUNTIME: OnceLock<Runtime> = OnceLock::new();

/// The shared runtime, created on first use. One worker: I/O and page checking run there while
/// Python threads do their own work. A second worker cost more than it gave: a response's
/// connection task and the task reading it landed on different threads and woke each other for
/// every chunk of the body (a record walk took ~25% more CPU off the GIL, and was slower).
pub(crate) fn runtime() -> PyResult<&'static Runtime> {
    if let Some(rt) = RUNTIME.get() {
        return Ok(rt);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("nango-io")
        .enable_all()
        .build()
        .map_err(|err| {
            pyo3::exceptions::PyRuntimeError::new_err(format!(
                "could not start the nango I/O runtime: {err}"
            ))
        })?;
    // Another thread may have won the race; its runtime is used and ours is dropped.
    let _ = RUNTIME.set(rt);
    RUNTIME
        .get()
        .ok_or_else(|| pyo3::exceptions::PyRuntimeError::new_err("nango I/O runtime missing"))
}

/// The runtime, for code that only runs once [`runtime`] has succeeded: the asyncio bridge,
/// whose every task starts from [`awaitable`], which starts the runtime first.
pub(crate) fn started() -> &'static Runtime {
    match RUNTIME.get() {
        Some(rt) => rt,
        None => panic!("the nango I/O runtime was used before it was started"),
    }
}

/// Drives `fut` to completion on the calling thread with the GIL released.
///
/// The future runs right here (no hand-off to a worker, which keeps per-call latency low), while
/// the runtime's workers run the I/O driver and the connection tasks. Every [`SIGNAL_POLL`] the
/// thread takes the GIL back to run Python's signal handlers, so Ctrl-C raises
/// `KeyboardInterrupt` promptly; the future is then dropped, which cancels the request.
pub(crate) fn block_on<F>(py: Python<'_>, fut: F) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    let rt = runtime()?;
    warn_if_in_event_loop(py)?;
    if tokio::runtime::Handle::try_current().is_ok() {
        // Blocking a runtime thread on its own runtime would deadlock (tokio panics instead).
        return Err(crate::errors::internal(
            "the sync client was called from inside the nango runtime; use AsyncNango there"
                .to_owned(),
        ));
    }
    let mut fut = std::pin::pin!(fut);
    loop {
        // The timer must be created inside the runtime's context, hence the async block.
        let waited = py.detach(|| {
            rt.block_on(async { tokio::time::timeout(SIGNAL_POLL, fut.as_mut()).await })
        });
        match waited {
            Ok(value) => return Ok(value),
            Err(_elapsed) => py.check_signals()?,
        }
    }
}

/// Set once the event-loop warning has been given: it is given once per process.
static WARNED_IN_EVENT_LOOP: AtomicBool = AtomicBool::new(false);

/// Warns (once) when a sync call is made on a thread running an asyncio event loop: the call
/// blocks the loop, and every other task of it, until it returns. A warning, not an error: a
/// short call from a script that happens to run a loop is harmless. The warning is raised as an
/// exception when the caller's filters say so (`-W error`).
fn warn_if_in_event_loop(py: Python<'_>) -> PyResult<()> {
    static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    if WARNED_IN_EVENT_LOOP.load(Ordering::Relaxed) {
        return Ok(());
    }
    let get_running_loop = GET_RUNNING_LOOP.get_or_try_init(py, || {
        Ok::<_, PyErr>(py.import("asyncio")?.getattr("_get_running_loop")?.unbind())
    })?;
    if get_running_loop.bind(py).call0()?.is_none() {
        return Ok(());
    }
    if WARNED_IN_EVENT_LOOP.swap(true, Ordering::Relaxed) {
        return Ok(());
    }
    let category = py
        .import("nango._errors")?
        .getattr("EventLoopBlockedWarning")?;
    let message = c"a nango.Nango (sync) call was made inside a running asyncio event loop: it \
        blocks the loop until it returns. Use nango.AsyncNango and await its methods there.";
    PyErr::warn(py, &category, message, 1)
}

/// Wraps `fut` as an asyncio awaitable on the shared runtime. Cancelling the awaitable drops `fut`.
/// The result is delivered through the exit gate (`asyncio_bridge.rs`).
pub(crate) fn awaitable<'py, F, T>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    runtime()?;
    if exit_gate::is_closed() {
        // Its result could never be delivered (see `exit_gate.rs`): fail instead of hanging.
        return Err(pyo3::exceptions::PyRuntimeError::new_err(
            "the interpreter is shutting down: no new nango asyncio calls",
        ));
    }
    pyo3_async_runtimes::generic::future_into_py::<Bridge, _, _>(py, fut)
}
