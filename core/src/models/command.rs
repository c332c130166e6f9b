//! The `models` command: its options, flag parser and run, shared by `nango-rs models`,
//! `npx @nango-rs/node models` and `python -m nango models`.

use serde_json::Value;

use super::{Models, python, rust, typescript};
use crate::error::{Error, Result};

/// The output language of [`generate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// TypeScript interfaces (`ts`).
    TypeScript,
    /// Python `TypedDict`s, or pydantic models (`python`).
    Python,
    /// Rust structs with serde (`rust`).
    Rust,
}

impl std::str::FromStr for Lang {
    type Err = Error;

    fn from_str(text: &str) -> Result<Lang> {
        match text {
            "ts" | "typescript" => Ok(Lang::TypeScript),
            "python" | "py" => Ok(Lang::Python),
            "rust" | "rs" => Ok(Lang::Rust),
            other => Err(Error::invalid_argument(
                "lang",
                format!("expected ts, python or rust, not {other:?}"),
            )),
        }
    }
}

/// What [`generate`] writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The language.
    pub lang: Lang,
    /// Python only: pydantic models instead of `TypedDict`s.
    pub pydantic: bool,
    /// Only this integration's models.
    pub integration: Option<String>,
}

impl Options {
    /// `lang`, no pydantic, every integration.
    pub fn new(lang: Lang) -> Options {
        Options {
            lang,
            pydantic: false,
            integration: None,
        }
    }
}

/// The source text of the models in a `GET /scripts/config` answer (see the module docs).
pub fn generate(config: &Value, options: &Options) -> Result<String> {
    let models = Models::from_scripts_config(config, options.integration.as_deref())?;
    write(&models, options)
}

/// The source text of `models` in the language of `options` (its `integration` is not read:
/// [`Models::from_scripts_config`] applies it).
pub fn write(models: &Models, options: &Options) -> Result<String> {
    if options.pydantic && options.lang != Lang::Python {
        return Err(Error::invalid_argument(
            "pydantic",
            "pydantic models are Python: use it with the python language",
        ));
    }
    Ok(match options.lang {
        Lang::TypeScript => typescript::models_file(models),
        Lang::Python if options.pydantic => python::pydantic_file(models),
        Lang::Python => python::typed_dict_file(models),
        Lang::Rust => rust::models_file(models),
    })
}

/// The usage text of the `models` command, the same for its three entry points.
pub const USAGE: &str = "\
models: writes typed records from the server's own schema (GET /scripts/config)

options:
  --lang ts|python|rust   the language (default ts)
  --pydantic              python: pydantic models instead of TypedDicts
  --integration KEY       only this integration's models
  --out FILE              write to FILE (default: standard output)
  --host URL              the Nango host (default NANGO_HOST, else https://api.nango.dev)
  --secret-key KEY        the secret key (default NANGO_SECRET_KEY; prefer the variable)
  -h, --help              this text
";

/// The parsed command line of `models` (what follows the word `models`). Its `Debug` does not
/// show the secret key.
#[derive(Clone, PartialEq, Eq)]
pub struct Command {
    /// What to write.
    pub options: Options,
    /// `--out`.
    pub out: Option<String>,
    /// `--host`.
    pub host: Option<String>,
    /// `--secret-key`.
    pub secret_key: Option<String>,
    /// `--help` was given.
    pub help: bool,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Command")
            .field("options", &self.options)
            .field("out", &self.out)
            .field("host", &self.host)
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "<redacted>"),
            )
            .field("help", &self.help)
            .finish()
    }
}

/// Parses the arguments after `models`. Errors (code `invalid_argument`) name the flag.
pub fn parse_command<I, S>(args: I) -> Result<Command>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut command = Command {
        options: Options::new(Lang::TypeScript),
        out: None,
        host: None,
        secret_key: None,
        help: false,
    };
    let mut args = args.into_iter().map(Into::into);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |flag: &str| -> Result<String> {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| Error::invalid_argument(flag, "needs a value"))
        };
        match flag.as_str() {
            "--lang" => command.options.lang = value("--lang")?.parse()?,
            "--pydantic" => command.options.pydantic = true,
            "--integration" => command.options.integration = Some(value("--integration")?),
            "--out" | "-o" => command.out = Some(value("--out")?),
            "--host" => command.host = Some(value("--host")?),
            "--secret-key" => command.secret_key = Some(value("--secret-key")?),
            "-h" | "--help" => command.help = true,
            other => {
                return Err(Error::invalid_argument(
                    other,
                    "unknown option (see --help)",
                ));
            }
        }
    }
    if command.options.pydantic {
        command.options.lang = Lang::Python;
    }
    Ok(command)
}

/// What a run of the `models` command printed: its standard output (the source text when no
/// `--out` was given, or the usage) and a line for standard error (what was written where).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// For standard output.
    pub stdout: String,
    /// For standard error.
    pub stderr: String,
}

/// The whole `models` command, after the word `models`: parses `args`, reads
/// `GET /scripts/config?format=nango` through a client made from `builder` (`--host` and
/// `--secret-key` win over its environment: `NANGO_HOST`, `NANGO_SECRET_KEY`), and writes the
/// source text to `--out` or returns it. The binaries of the three packages call it and print the
/// [`Report`], or the error (its message never holds the key) with a non-zero exit.
#[cfg(all(feature = "client", not(target_arch = "wasm32")))]
pub async fn run<I, S>(args: I, builder: crate::client::NangoBuilder) -> Result<Report>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let command = parse_command(args)?;
    if command.help {
        return Ok(Report {
            stdout: USAGE.to_owned(),
            stderr: String::new(),
        });
    }
    let mut builder = builder;
    if let Some(host) = &command.host {
        builder = builder.host(host);
    }
    if let Some(key) = &command.secret_key {
        builder = builder.secret_key(key);
    }
    let nango = builder.build()?;
    let config = nango
        .get_scripts_config(crate::integrations::ScriptsConfigFormat::Nango)
        .await?;
    let models = Models::from_scripts_config(&config, command.options.integration.as_deref())?;
    let text = write(&models, &command.options)?;
    let count = match models.records.len() {
        1 => "1 record model".to_owned(),
        n => format!("{n} record models"),
    };
    match &command.out {
        None => Ok(Report {
            stdout: text,
            stderr: format!("{count} from {}\n", nango.host()),
        }),
        Some(path) => {
            std::fs::write(path, text).map_err(|err| {
                Error::invalid_argument("--out", format!("cannot write {path}: {err}"))
            })?;
            Ok(Report {
                stdout: String::new(),
                stderr: format!("wrote {count} from {} to {path}\n", nango.host()),
            })
        }
    }
}
