//! Keeps the runtime's threads out of Python once the interpreter starts shutting down.
//!
//! An asyncio result is delivered by a runtime thread that attaches to Python and calls
//! `loop.call_soon_threadsafe`, which releases the GIL while it writes to the loop's wake-up
//! socket. By then the callback is queued, so the main thread can finish `asyncio.run`, return
//! from the script and start finalizing before that thread gets the GIL back. CPython then
//! `pthread_exit`s the thread from inside the GIL request; the forced unwind runs Rust drops
//! (`Py_DECREF`, `PyGILState_Release`) without the GIL: "thread state must be current when
//! releasing", SIGSEGV in the GC, or SIGABRT. The same happens to a thread that merely asks for
//! the GIL (to see that a cancelled awaitable is cancelled) once finalization has begun.
//!
//! So every entry of a runtime thread into Python takes a [`Pass`]. An `atexit` hook, which runs
//! before finalization starts, closes the gate (no new passes) and waits with the GIL released
//! until the passes already handed out are returned. From then on no runtime thread touches
//! Python again.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use pyo3::prelude::*;

/// How long the exit hook waits for threads already inside Python. They only need the GIL,
/// which the hook releases, and then a few microseconds; the bound only keeps a wedged thread
/// from hanging the process at exit.
const DRAIN_LIMIT: Duration = Duration::from_secs(10);

struct State {
    closed: bool,
    /// Passes handed out and not yet returned.
    inside: usize,
}

static STATE: Mutex<State> = Mutex::new(State {
    closed: false,
    inside: 0,
});
static RETURNED: Condvar = Condvar::new();

/// The state stays consistent even if a holder panicked: it is two plain fields.
fn state() -> MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Permission for a runtime thread to attach to Python; returned on drop.
pub(crate) struct Pass(());

impl Drop for Pass {
    fn drop(&mut self) {
        let mut state = state();
        state.inside = state.inside.saturating_sub(1);
        if state.inside == 0 {
            RETURNED.notify_all();
        }
    }
}

/// A pass, or `None` once the interpreter is shutting down (then do not attach).
pub(crate) fn enter() -> Option<Pass> {
    let mut state = state();
    if state.closed {
        return None;
    }
    state.inside += 1;
    Some(Pass(()))
}

/// Whether the gate has closed: the interpreter is shutting down.
pub(crate) fn is_closed() -> bool {
    state().closed
}

/// Closes the gate and waits for the passes out. Registered with `atexit`.
#[pyfunction]
fn _close_exit_gate(py: Python<'_>) {
    // Holders may be waiting for the GIL, so wait without it.
    py.detach(|| {
        let mut state = state();
        state.closed = true;
        let _ = RETURNED
            .wait_timeout_while(state, DRAIN_LIMIT, |state| state.inside > 0)
            .unwrap_or_else(PoisonError::into_inner);
    });
}

/// Registers the exit hook. `atexit` runs hooks in reverse order of registration, so this one
/// (registered at import) runs after the hooks of code that imported `nango`, which may still
/// await results.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let hook = wrap_pyfunction!(_close_exit_gate, module)?;
    module
        .py()
        .import("atexit")?
        .call_method1("register", (hook,))?;
    Ok(())
}
