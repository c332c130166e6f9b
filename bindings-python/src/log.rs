//! The Python side of core's request logs (`nango::log`): a sink that hands each record to
//! `nango._logging._emit(level, message, fields)`, which gives it to the `logging` logger `nango`.
//! Core decides what is recorded and at which level; this file only converts the record.

use std::sync::Arc;

use nango::log::{LogLevel, LogRecord, LogSink, LogValue};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::errors::IntoPyResult;
use crate::exit_gate;

/// Forwards core's records to `logging.getLogger("nango")`. Core calls it only for records the
/// client's level enables, so with logging off the GIL is never taken here.
struct PythonLogging {
    /// `nango._logging._emit`.
    emit: Py<PyAny>,
    /// The level set on the `nango` logger itself when the client was made, if any.
    logger_level: Option<LogLevel>,
}

impl LogSink for PythonLogging {
    fn log(&self, record: &LogRecord) {
        // Never into Python once the interpreter is shutting down (see exit_gate).
        let Some(_pass) = exit_gate::enter() else {
            return;
        };
        Python::attach(|py| {
            let sent = (|| -> PyResult<()> {
                let extra = PyDict::new(py);
                for (name, value) in &record.fields {
                    match value {
                        LogValue::Str(text) => extra.set_item(*name, text)?,
                        LogValue::U64(number) => extra.set_item(*name, number)?,
                    }
                }
                self.emit.call1(
                    py,
                    (record.level.python_level(), record.message.as_str(), extra),
                )?;
                Ok(())
            })();
            // A failing handler must not fail the request; Python's logging prints its own
            // handler errors, and anything else is dropped like an unwritable log line.
            if let Err(err) = sent {
                err.print(py);
            }
        });
    }

    fn default_level(&self) -> Option<LogLevel> {
        self.logger_level
    }
}

/// The sink for a new client, and the level of its `log_level=` argument. A level set on the
/// `nango` logger (`logging.getLogger("nango").setLevel(logging.DEBUG)`) turns logging on too,
/// when neither `log_level=` nor `NANGO_LOG` is given.
pub(crate) fn sink(py: Python<'_>) -> PyResult<Arc<dyn LogSink>> {
    let module = py.import("nango._logging")?;
    let number: i64 = module.getattr("LOGGER")?.getattr("level")?.extract()?;
    Ok(Arc::new(PythonLogging {
        emit: module.getattr("_emit")?.unbind(),
        logger_level: LogLevel::from_python_level(number),
    }))
}

/// `log_level=`: a name (`"debug"`, `"info"`, `"off"`, …) or a `logging` level number.
pub(crate) fn level(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<LogLevel>> {
    let Some(value) = value.filter(|value| !value.is_none()) else {
        return Ok(None);
    };
    if let Ok(number) = value.extract::<i64>() {
        return Ok(Some(
            LogLevel::from_python_level(number).unwrap_or(LogLevel::Trace),
        ));
    }
    let text: String = value.extract()?;
    LogLevel::parse_setting("log_level", &text)
        .map(Some)
        .py_err()
}
