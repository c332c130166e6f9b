//! `npx @nango-rs/node models`: the whole command is core's (`nango::models::run`); `cli.js`
//! prints what it returns.

use napi_derive::napi;

/// What `modelsCommand` printed: `stdout` (the generated source when no `--out` was given, or
/// the usage) and `stderr` (what was written where).
#[napi(object)]
pub struct ModelsReport {
    /// For standard output.
    pub stdout: String,
    /// For standard error.
    pub stderr: String,
}

/// The `models` command (`args`: what follows the word `models`, e.g. `['--lang', 'ts']`):
/// reads `GET /scripts/config` from `--host` (or `NANGO_HOST`) with `--secret-key` (or
/// `NANGO_SECRET_KEY`) and writes TypeScript, Python or Rust types of the records. Rejects with
/// an `Error` whose message ends with the error's code, and never holds the key.
#[napi]
pub async fn models_command(args: Vec<String>) -> napi::Result<ModelsReport> {
    let builder = nango::NangoBuilder::new().ecosystem(nango::tls::Ecosystem::Node);
    match nango::models::run(args, builder).await {
        Ok(report) => Ok(ModelsReport {
            stdout: report.stdout,
            stderr: report.stderr,
        }),
        Err(err) => Err(napi::Error::from_reason(format!(
            "{err} (code {})",
            err.code()
        ))),
    }
}
