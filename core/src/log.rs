//! Logs of the client's requests: what is recorded, at which level, and where it goes.
//!
//! Every request a [`Nango`](crate::Nango) sends is recorded as a `tracing` span named
//! `nango.request` (target `nango::log`) with events inside it:
//!
//! | level | message | when |
//! | --- | --- | --- |
//! | `DEBUG` | `attempt` | after each attempt, with its status (or `error.type`) and duration |
//! | `INFO` | `retrying` | before each wait for a retry, with the delay |
//! | `INFO` / `WARN` | `request` | when the call ends: success (`INFO`) or failure (`WARN`) |
//! | `TRACE` | `sending`, `received` | around the wire (tracing only) |
//!
//! Fields use OpenTelemetry's semantic-convention names where one exists:
//! `http.request.method`, `url.path`, `http.response.status_code`, `http.request.resend_count`
//! (0 on the first attempt), `error.type` (the error's [`code`](crate::Error::code), or
//! `transport` / `timeout` for an attempt without an answer); and `nango.attempt` (1-based),
//! `nango.retry.delay_ms`, `nango.duration_ms` (of the attempt, or of the whole call with its
//! retries and waits).
//!
//! # What is never recorded
//!
//! No header (the secret key travels in `Authorization`; connection ids in `Connection-Id`), no
//! body (inputs, tokens, records), no query string (ids, cursors, filters) and no host
//! credentials. `url.path` is the path of the Nango API route without its query, with two
//! segments replaced because the caller chooses them and they may identify an end user or carry
//! anything: the connection id of `/connections/{connection_id}` and the upstream endpoint of
//! `/proxy/{endpoint}` (see [`log_path`]). Integration keys, action names and async action ids
//! are kept: they name configuration, not people or credentials.
//!
//! # Turning it on
//!
//! * **Rust**: install a `tracing` subscriber (e.g. `tracing_subscriber::fmt().with_env_filter(
//!   "nango=debug").init()`, or `tracing-opentelemetry` to export spans). With neither
//!   [`NangoBuilder::log_level`](crate::NangoBuilder::log_level) nor `NANGO_LOG` set, every
//!   event reaches the subscriber, which filters; with one of them, the client emits only
//!   events at or above that level (`off` emits none).
//! * **Bindings** attach a [`LogSink`] (Python's `logging`, a Node `logger`). A sink receives
//!   records only at or below the level from the client option, else `NANGO_LOG`
//!   ([`LOG_ENV`]), else the sink's own [`LogSink::default_level`]; with none of them, nothing.
//!
//! When nothing is enabled a request costs a few comparisons: no record is built, no string
//! formatted, no lock taken.

use std::borrow::Cow;
use std::sync::Arc;

use crate::error::{Error, Result};

/// The environment variable read for the log level when none is given to the builder:
/// `off`, `error`, `warn`, `info`, `debug` or `trace` (any case).
pub const LOG_ENV: &str = "NANGO_LOG";

/// How much the client logs. Ordered: `Off < Error < … < Trace`; a level enables itself and
/// everything before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum LogLevel {
    /// Nothing.
    #[default]
    Off,
    /// Failures only (none are emitted at this level today).
    Error,
    /// Calls that failed for good.
    Warn,
    /// One record per call, plus each retry and its delay.
    Info,
    /// Also each attempt.
    Debug,
    /// Also the wire events (tracing only).
    Trace,
}

impl LogLevel {
    /// Parses `off`, `error`, `warn` (or `warning`), `info`, `debug`, `trace`, in any case.
    pub fn parse(text: &str) -> Option<LogLevel> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "off" | "none" => LogLevel::Off,
            "error" => LogLevel::Error,
            "warn" | "warning" => LogLevel::Warn,
            "info" => LogLevel::Info,
            "debug" => LogLevel::Debug,
            "trace" => LogLevel::Trace,
            _ => return None,
        })
    }

    /// [`LogLevel::parse`], with an [`Error::InvalidArgument`] naming `field` when it fails.
    pub fn parse_setting(field: &str, text: &str) -> Result<LogLevel> {
        LogLevel::parse(text).ok_or_else(|| {
            Error::invalid_argument(field, "must be one of off, error, warn, info, debug, trace")
        })
    }

    /// The lower-case name, which is also the method a Node logger is called by (`trace`
    /// records go to `debug`, `off` to nothing).
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Off => "off",
            LogLevel::Error => "error",
            LogLevel::Warn => "warn",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
            LogLevel::Trace => "trace",
        }
    }

    /// A Python `logging` level number (`DEBUG` 10 … `ERROR` 40; `TRACE` maps to 5).
    pub fn python_level(self) -> u8 {
        match self {
            LogLevel::Off => 0,
            LogLevel::Error => 40,
            LogLevel::Warn => 30,
            LogLevel::Info => 20,
            LogLevel::Debug => 10,
            LogLevel::Trace => 5,
        }
    }

    /// The level a Python `logging` level number enables (`logger.setLevel(logging.DEBUG)` →
    /// `Debug`); `None` for `NOTSET` (0), which sets nothing.
    pub fn from_python_level(number: i64) -> Option<LogLevel> {
        Some(match number {
            ..=0 => return None,
            1..=9 => LogLevel::Trace,
            10..=19 => LogLevel::Debug,
            20..=29 => LogLevel::Info,
            30..=39 => LogLevel::Warn,
            40..=49 => LogLevel::Error,
            _ => LogLevel::Off,
        })
    }
}

/// A field's value.
#[derive(Debug, Clone, PartialEq)]
pub enum LogValue {
    /// Text.
    Str(String),
    /// A whole number.
    U64(u64),
}

/// One log record, as a [`LogSink`] receives it: a ready-made message (e.g. `GET /records/ ->
/// 200 in 12 ms (attempt 1)`) and the fields of the module docs.
#[derive(Debug, Clone, PartialEq)]
pub struct LogRecord {
    /// The record's level (never `Off`).
    pub level: LogLevel,
    /// One line for people.
    pub message: String,
    /// The fields, in a fixed order, with OpenTelemetry names.
    pub fields: Vec<(&'static str, LogValue)>,
}

impl LogRecord {
    /// The fields as a JSON object text.
    pub fn fields_json(&self) -> String {
        let object: serde_json::Map<String, serde_json::Value> = self
            .fields
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    LogValue::Str(text) => serde_json::Value::from(text.as_str()),
                    LogValue::U64(number) => serde_json::Value::from(*number),
                };
                ((*name).to_owned(), value)
            })
            .collect();
        serde_json::Value::Object(object).to_string()
    }
}

/// Where a binding's log records go (Python's `logging`, a Node logger). Called on the runtime
/// thread that runs the request: an implementation must not block (hand the record over and
/// return).
pub trait LogSink: Send + Sync {
    /// Receives one record the client's level enables.
    fn log(&self, record: &LogRecord);

    /// The level that applies when neither the client option nor `NANGO_LOG` gives one (e.g. a
    /// Node logger passed explicitly: `Info`). Default: none, so the sink stays silent.
    fn default_level(&self) -> Option<LogLevel> {
        None
    }
}

/// The client's logging settings after validation.
#[derive(Clone, Default)]
pub struct LogConfig {
    /// The level from the option or `NANGO_LOG`; `None`: neither was given.
    pub level: Option<LogLevel>,
    sink: Option<Arc<dyn LogSink>>,
    /// What the sink receives (`Off` without a sink).
    sink_level: LogLevel,
}

impl std::fmt::Debug for LogConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogConfig")
            .field("level", &self.level)
            .field("sink", &self.sink.as_ref().map(|_| "LogSink"))
            .field("sink_level", &self.sink_level)
            .finish()
    }
}

impl LogConfig {
    /// Resolves the level: `option`, else `env` (the text of `NANGO_LOG`, which must parse),
    /// else the sink's default.
    pub(crate) fn resolve(
        option: Option<LogLevel>,
        env: Option<String>,
        sink: Option<Arc<dyn LogSink>>,
    ) -> Result<LogConfig> {
        let level = match (option, env) {
            (Some(level), _) => Some(level),
            (None, Some(text)) => Some(LogLevel::parse_setting(LOG_ENV, &text)?),
            (None, None) => None,
        };
        let sink_level = match &sink {
            Some(sink) => level
                .or_else(|| sink.default_level())
                .unwrap_or(LogLevel::Off),
            None => LogLevel::Off,
        };
        Ok(LogConfig {
            level,
            sink,
            sink_level,
        })
    }

    /// Whether records at `level` go to `tracing` (the subscriber still filters).
    pub(crate) fn to_tracing(&self, level: LogLevel) -> bool {
        self.level.is_none_or(|max| level <= max)
    }

    /// Whether records at `level` go to the sink.
    pub(crate) fn to_sink(&self, level: LogLevel) -> bool {
        level <= self.sink_level
    }

    pub(crate) fn send(&self, record: LogRecord) {
        if let Some(sink) = &self.sink {
            sink.log(&record);
        }
    }
}

/// The records of one call, written by the transport. Each method checks the levels first, so a
/// call with logging off builds nothing.
pub(crate) struct RequestLog<'a> {
    config: &'a LogConfig,
    method: &'a str,
    path: Cow<'a, str>,
}

/// What an attempt ended with, as logged: a status, or the kind of failure.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ended<'e> {
    /// The server answered.
    Status(u16),
    /// No answer: the `error.type` (an error code).
    Failed(&'e str),
}

impl<'e> Ended<'e> {
    fn status(self) -> Option<u64> {
        match self {
            Ended::Status(status) => Some(u64::from(status)),
            Ended::Failed(_) => None,
        }
    }
    fn failure(self) -> Option<&'e str> {
        match self {
            Ended::Status(_) => None,
            Ended::Failed(code) => Some(code),
        }
    }
    fn describe(self) -> String {
        match self {
            Ended::Status(status) => status.to_string(),
            Ended::Failed(code) => code.to_owned(),
        }
    }
    fn push_fields(self, fields: &mut Vec<(&'static str, LogValue)>) {
        match self {
            Ended::Status(status) => fields.push((
                "http.response.status_code",
                LogValue::U64(u64::from(status)),
            )),
            Ended::Failed(code) => fields.push(("error.type", LogValue::Str(code.to_owned()))),
        }
    }
}

fn millis(duration: std::time::Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

impl<'a> RequestLog<'a> {
    pub(crate) fn new(config: &'a LogConfig, method: &'a str, path: &'a str) -> RequestLog<'a> {
        RequestLog {
            config,
            method,
            path: log_path(path),
        }
    }

    /// Whether anything at `level` is recorded.
    pub(crate) fn on(&self, level: LogLevel) -> bool {
        self.config.to_tracing(level) || self.config.to_sink(level)
    }

    /// The `nango.request` span (disabled unless tracing takes `INFO`).
    pub(crate) fn span(&self) -> tracing::Span {
        if !self.config.to_tracing(LogLevel::Info) {
            return tracing::Span::none();
        }
        tracing::info_span!(
                        "nango.request",
            http.request.method = %self.method,
            url.path = %self.path,
            http.response.status_code = tracing::field::Empty,
            error.type = tracing::field::Empty,
            nango.attempts = tracing::field::Empty,
        )
    }

    fn base_fields(&self, capacity: usize) -> Vec<(&'static str, LogValue)> {
        let mut fields = Vec::with_capacity(capacity);
        fields.push(("http.request.method", LogValue::Str(self.method.to_owned())));
        fields.push(("url.path", LogValue::Str(self.path.clone().into_owned())));
        fields
    }

    /// After attempt `retry + 1` (DEBUG).
    pub(crate) fn attempt(&self, retry: u32, ended: Ended<'_>, took: std::time::Duration) {
        let level = LogLevel::Debug;
        if !self.on(level) {
            return;
        }
        let attempt = u64::from(retry) + 1;
        let took = millis(took);
        if self.config.to_tracing(level) {
            let error_type = ended.failure();
            tracing::debug!(
                                http.request.method = %self.method,
                url.path = %self.path,
                http.response.status_code = ended.status(),
                error.type = error_type,
                http.request.resend_count = retry,
                nango.attempt = attempt,
                nango.duration_ms = took,
                "attempt"
            );
        }
        if self.config.to_sink(level) {
            let mut fields = self.base_fields(6);
            ended.push_fields(&mut fields);
            fields.push(("http.request.resend_count", LogValue::U64(u64::from(retry))));
            fields.push(("nango.attempt", LogValue::U64(attempt)));
            fields.push(("nango.duration_ms", LogValue::U64(took)));
            self.config.send(LogRecord {
                level,
                message: format!(
                    "{} {} -> {} in {took} ms (attempt {attempt})",
                    self.method,
                    self.path,
                    ended.describe()
                ),
                fields,
            });
        }
    }

    /// Before waiting `delay` for retry `retry + 1` (INFO).
    pub(crate) fn retrying(&self, retry: u32, ended: Ended<'_>, delay: std::time::Duration) {
        let level = LogLevel::Info;
        if !self.on(level) {
            return;
        }
        let attempt = u64::from(retry) + 1;
        let delay = millis(delay);
        if self.config.to_tracing(level) {
            let error_type = ended.failure();
            tracing::info!(
                                http.request.method = %self.method,
                url.path = %self.path,
                http.response.status_code = ended.status(),
                error.type = error_type,
                nango.attempt = attempt,
                nango.retry.delay_ms = delay,
                "retrying"
            );
        }
        if self.config.to_sink(level) {
            let mut fields = self.base_fields(5);
            ended.push_fields(&mut fields);
            fields.push(("nango.attempt", LogValue::U64(attempt)));
            fields.push(("nango.retry.delay_ms", LogValue::U64(delay)));
            self.config.send(LogRecord {
                level,
                message: format!(
                    "{} {} -> {} (attempt {attempt}); retrying in {delay} ms",
                    self.method,
                    self.path,
                    ended.describe()
                ),
                fields,
            });
        }
    }

    /// When the call ends after `attempts` attempts: INFO for a 2xx answer, WARN otherwise.
    /// `error` is the failure's code when the call failed (a non-2xx status included).
    pub(crate) fn finished(
        &self,
        span: &tracing::Span,
        attempts: u32,
        ended: Ended<'_>,
        error: Option<&str>,
        took: std::time::Duration,
    ) {
        let level = if error.is_some() {
            LogLevel::Warn
        } else {
            LogLevel::Info
        };
        if !self.on(level) {
            return;
        }
        let took = millis(took);
        if self.config.to_tracing(level) {
            if let Some(status) = ended.status() {
                span.record("http.response.status_code", status);
            }
            if let Some(error) = error {
                span.record("error.type", error);
            }
            span.record("nango.attempts", attempts);
            let status = ended.status();
            if error.is_some() {
                tracing::warn!(
                                        http.request.method = %self.method,
                    url.path = %self.path,
                    http.response.status_code = status,
                    error.type = error,
                    nango.attempts = attempts,
                    nango.duration_ms = took,
                    "request"
                );
            } else {
                tracing::info!(
                                        http.request.method = %self.method,
                    url.path = %self.path,
                    http.response.status_code = status,
                    nango.attempts = attempts,
                    nango.duration_ms = took,
                    "request"
                );
            }
        }
        if self.config.to_sink(level) {
            let mut fields = self.base_fields(6);
            if let Some(status) = ended.status() {
                fields.push(("http.response.status_code", LogValue::U64(status)));
            }
            if let Some(error) = error {
                fields.push(("error.type", LogValue::Str(error.to_owned())));
            }
            fields.push(("nango.attempts", LogValue::U64(u64::from(attempts))));
            fields.push(("nango.duration_ms", LogValue::U64(took)));
            let plural = if attempts == 1 { "" } else { "s" };
            self.config.send(LogRecord {
                level,
                message: format!(
                    "{} {} -> {} in {took} ms ({attempts} attempt{plural})",
                    self.method,
                    self.path,
                    error
                        .filter(|_| ended.status().is_none())
                        .map_or_else(|| ended.describe(), str::to_owned)
                ),
                fields,
            });
        }
    }
}

/// The path as logs show it (`url.path`): the route's path, without the query (never given
/// here), with the caller-chosen segments replaced: `/connections/<id>` →
/// `/connections/{connection_id}` (`/connections/metadata` is kept), and everything after
/// `/proxy` → `/proxy/{endpoint}`.
pub fn log_path(path: &str) -> Cow<'_, str> {
    if path == "/proxy" || path.starts_with("/proxy/") {
        return Cow::Borrowed("/proxy/{endpoint}");
    }
    if let Some(rest) = path.strip_prefix("/connections/") {
        let (id, tail) = rest
            .split_once('/')
            .map_or((rest, ""), |(id, tail)| (id, tail));
        if !id.is_empty() && id != "metadata" {
            let mut out = String::from("/connections/{connection_id}");
            if !tail.is_empty() {
                out.push('/');
                out.push_str(tail);
            }
            return Cow::Owned(out);
        }
    }
    Cow::Borrowed(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_parse_and_order() {
        assert_eq!(LogLevel::parse(" DEBUG "), Some(LogLevel::Debug));
        assert_eq!(LogLevel::parse("warning"), Some(LogLevel::Warn));
        assert_eq!(LogLevel::parse("verbose"), None);
        assert!(LogLevel::Info < LogLevel::Debug && LogLevel::Off < LogLevel::Error);
        let err = LogLevel::parse_setting(LOG_ENV, "loud").unwrap_err();
        assert_eq!(err.info().field.as_deref(), Some(LOG_ENV));
        assert_eq!(LogLevel::from_python_level(10), Some(LogLevel::Debug));
        assert_eq!(LogLevel::from_python_level(0), None);
        assert_eq!(LogLevel::from_python_level(50), Some(LogLevel::Off));
    }

    struct Quiet(Option<LogLevel>);
    impl LogSink for Quiet {
        fn log(&self, _: &LogRecord) {}
        fn default_level(&self) -> Option<LogLevel> {
            self.0
        }
    }

    #[test]
    fn option_then_env_then_sink_default() {
        let sink = |level| Some(Arc::new(Quiet(level)) as Arc<dyn LogSink>);
        let resolved = |option, env: Option<&str>, sink| {
            LogConfig::resolve(option, env.map(str::to_owned), sink).unwrap()
        };
        // Nothing set: tracing gets everything (the subscriber filters), a sink nothing.
        let none = resolved(None, None, sink(None));
        assert!(none.to_tracing(LogLevel::Trace) && !none.to_sink(LogLevel::Warn));
        let env = resolved(None, Some("info"), sink(Some(LogLevel::Debug)));
        assert!(env.to_sink(LogLevel::Info) && !env.to_sink(LogLevel::Debug));
        assert!(!env.to_tracing(LogLevel::Debug));
        let option = resolved(Some(LogLevel::Debug), Some("off"), sink(None));
        assert!(option.to_sink(LogLevel::Debug));
        let default = resolved(None, None, sink(Some(LogLevel::Info)));
        assert!(default.to_sink(LogLevel::Info) && !default.to_sink(LogLevel::Debug));
        let off = resolved(None, Some("OFF"), None);
        assert!(!off.to_tracing(LogLevel::Error) && !off.to_sink(LogLevel::Error));
        assert!(LogConfig::resolve(None, Some("loud".into()), None).is_err());
    }

    #[test]
    fn paths_hide_connection_ids_and_proxied_endpoints() {
        assert_eq!(log_path("/records/"), "/records/");
        assert_eq!(
            log_path("/connections/user%40example.com"),
            "/connections/{connection_id}"
        );
        assert_eq!(log_path("/connections/metadata"), "/connections/metadata");
        assert_eq!(log_path("/connections"), "/connections");
        assert_eq!(log_path("/proxy/bot123:abc/getMe"), "/proxy/{endpoint}");
        assert_eq!(log_path("/proxy"), "/proxy/{endpoint}");
        assert_eq!(log_path("/integrations/github"), "/integrations/github");
    }

    #[test]
    fn fields_become_json() {
        let record = LogRecord {
            level: LogLevel::Info,
            message: "m".into(),
            fields: vec![
                ("http.request.method", LogValue::Str("GET".into())),
                ("http.response.status_code", LogValue::U64(200)),
            ],
        };
        assert_eq!(
            record.fields_json(),
            r#"{"http.request.method":"GET","http.response.status_code":200}"#
        );
    }
}
