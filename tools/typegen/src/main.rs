//! `cargo run -p nango-typegen` writes the generated types; `-- --check` only compares them with
//! the committed files and fails when they differ.

use std::process::ExitCode;

fn main() -> ExitCode {
    let check = std::env::args().any(|arg| arg == "--check");
    let outputs = match nango_typegen::outputs() {
        Ok(outputs) => outputs,
        Err(message) => {
            eprintln!("typegen: {message}");
            return ExitCode::FAILURE;
        }
    };
    let mut stale = Vec::new();
    for (path, expected) in outputs {
        let full = nango_typegen::repo_root().join(&path);
        let current = std::fs::read_to_string(&full).unwrap_or_default();
        if current == expected {
            continue;
        }
        if check {
            stale.push(path);
        } else if let Err(err) = std::fs::write(&full, expected) {
            eprintln!("typegen: writing {path}: {err}");
            return ExitCode::FAILURE;
        } else {
            println!("typegen: wrote {path}");
        }
    }
    if stale.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "typegen: out of date with core's types: {}. Run `make typegen` and commit the result.",
            stale.join(", ")
        );
        ExitCode::FAILURE
    }
}
