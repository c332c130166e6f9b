//! How `pyo3-async-runtimes` runs our futures: on the shared runtime, like its own tokio
//! binding, except that its completion callbacks (the only code that enters Python from a
//! runtime thread) go through the exit gate and are skipped once the interpreter is shutting
//! down (see `exit_gate.rs` for the crash this prevents).

use std::future::Future;
use std::pin::Pin;

use pyo3_async_runtimes::TaskLocals;
use pyo3_async_runtimes::generic::{ContextExt, JoinError, Runtime};

use crate::{exit_gate, runtime};

tokio::task_local! {
    /// The event loop and contextvars of the awaiting Python task, for nested conversions.
    static TASK_LOCALS: TaskLocals;
}

/// Marker type implementing the `pyo3-async-runtimes` runtime traits.
pub(crate) struct Bridge;

/// A spawned task's failure, as `pyo3-async-runtimes` inspects it (panics become `RustPanic`).
pub(crate) struct TaskFailed(tokio::task::JoinError);

impl JoinError for TaskFailed {
    fn is_panic(&self) -> bool {
        self.0.is_panic()
    }

    fn into_panic(self) -> Box<dyn std::any::Any + Send + 'static> {
        self.0.into_panic()
    }
}

/// A spawned task, awaited for its outcome.
pub(crate) struct Joined(tokio::task::JoinHandle<()>);

impl Future for Joined {
    type Output = Result<(), TaskFailed>;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        Pin::new(&mut self.0)
            .poll(cx)
            .map(|done| done.map_err(TaskFailed))
    }
}

impl Runtime for Bridge {
    type JoinError = TaskFailed;
    type JoinHandle = Joined;

    fn spawn<F>(fut: F) -> Joined
    where
        F: Future<Output = ()> + Send + 'static,
    {
        Joined(runtime::started().spawn(fut))
    }

    fn spawn_blocking<F>(f: F) -> Joined
    where
        F: FnOnce() + Send + 'static,
    {
        Joined(
            runtime::started().spawn_blocking(move || match exit_gate::enter() {
                Some(_pass) => f(),
                // Shutting down: nobody will read the result. Forgotten rather than dropped so that
                // nothing of it (Python references included) runs on this thread any more.
                None => std::mem::forget(f),
            }),
        )
    }
}

impl ContextExt for Bridge {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        Box::pin(TASK_LOCALS.scope(locals, fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        TASK_LOCALS.try_with(TaskLocals::clone).ok()
    }
}
