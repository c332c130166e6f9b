//! The Node side of core's request logs (`nango::log`): a sink that hands each record to the
//! client's `logger` (`logger.info(message, fields)`, …) through a threadsafe function, so the
//! runtime thread that ran the request only queues it and never waits for JS. Core decides what
//! is recorded and at which level; this file only carries records over.

use std::cell::RefCell;
use std::sync::Arc;

use nango::log::{LogLevel, LogRecord, LogSink};
use napi::bindgen_prelude::{FnArgs, Function, FunctionRef, JsObjectValue, Unknown};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, JsValue, Status, ValueType};
use napi_derive::napi;

/// `(level, message, fieldsJson)`.
type Args = FnArgs<(String, String, String)>;

thread_local! {
    // One per JS thread, like the error factory (a worker registers its own).
    static FORWARDER: RefCell<Option<FunctionRef<Args, ()>>> = const { RefCell::new(None) };
}

/// Called once by `nango.js`: `forward` is called with the logger as `this` and
/// `(level, message, fieldsJson)`; it calls the logger's method of that level.
#[napi(ts_args_type = "forward: (level: string, message: string, fieldsJson: string) => void")]
pub fn register_log_forwarder(forward: Function<Args, ()>) -> napi::Result<()> {
    let reference = forward.create_ref()?;
    FORWARDER.with(|slot| *slot.borrow_mut() = Some(reference));
    Ok(())
}

/// Queues each record for the JS thread. Weak: it does not keep the process alive.
struct NodeLogger {
    forward: ThreadsafeFunction<Args, (), Args, Status, false, true>,
    /// `Info` for a `logger` given explicitly; none for the `console` fallback, which only
    /// `logLevel` or `NANGO_LOG` turns on.
    default_level: Option<LogLevel>,
}

impl LogSink for NodeLogger {
    fn log(&self, record: &LogRecord) {
        // The logger's method: `trace` records go to `debug` (console.trace prints a stack).
        let method = match record.level {
            LogLevel::Trace => LogLevel::Debug,
            level => level,
        };
        let args = (
            method.as_str().to_owned(),
            record.message.clone(),
            record.fields_json(),
        );
        // Non-blocking: the record is queued (or dropped once the environment is closing).
        let _ = self
            .forward
            .call(args.into(), ThreadsafeFunctionCallMode::NonBlocking);
    }

    fn default_level(&self) -> Option<LogLevel> {
        self.default_level
    }
}

/// The sink of a new client: `config.logger` when it is an object, else `console`.
pub(crate) fn sink(env: &Env, config: Option<Unknown>) -> napi::Result<Arc<dyn LogSink>> {
    let given: Option<Unknown> = match config {
        Some(config) if matches!(config.get_type()?, ValueType::Object) => {
            let logger: Unknown = config.coerce_to_object()?.get_named_property("logger")?;
            match logger.get_type()? {
                ValueType::Object => Some(logger),
                ValueType::Undefined | ValueType::Null => None,
                other => {
                    return Err(crate::errors::type_error(
                        env,
                        format!(
                            "new Nango: config.logger must be an object with debug/info/warn/error methods, got a {other}"
                        ),
                    ));
                }
            }
        }
        _ => None,
    };
    let explicit = given.is_some();
    let logger = match given {
        Some(logger) => logger,
        None => env.get_global()?.get_named_property("console")?,
    };
    let forward = FORWARDER.with(|slot| -> napi::Result<_> {
        let slot = slot.borrow();
        let Some(reference) = slot.as_ref() else {
            return Err(napi::Error::from_reason(
                "@nango-rs/node: the log forwarder is not registered",
            ));
        };
        let function = reference.borrow_back(env)?;
        function
            .bind(logger)?
            .build_threadsafe_function::<Args>()
            .callee_handled::<false>()
            .weak::<true>()
            .build()
    })?;
    Ok(Arc::new(NodeLogger {
        forward,
        default_level: explicit.then_some(LogLevel::Info),
    }))
}

/// `config.logLevel`: `'debug'`, `'info'`, `'warn'`, `'error'`, `'off'` (core parses it).
pub(crate) fn level(text: Option<&str>) -> nango::Result<Option<LogLevel>> {
    text.map(|text| LogLevel::parse_setting("logLevel", text))
        .transpose()
}

/// The config without its `logger` (a logger object may hold cycles or functions, which the
/// JSON conversion of the other options must not see): a shallow copy, or the config itself.
pub(crate) fn without_logger<'env>(
    env: &'env Env,
    config: Unknown<'env>,
) -> napi::Result<Unknown<'env>> {
    let object = config.coerce_to_object()?;
    if !object.has_named_property("logger")? {
        return Ok(config);
    }
    let mut copy = napi::bindgen_prelude::Object::new(env)?;
    for key in napi::bindgen_prelude::Object::keys(&object)? {
        if key != "logger" {
            let value: Unknown = object.get_named_property(&key)?;
            copy.set_named_property(&key, value)?;
        }
    }
    Ok(copy.to_unknown())
}
