//! `test-ca DIR`: writes a freshly generated test CA set into DIR (see `nango_examples::test_ca`).

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: test-ca DIR");
        return ExitCode::from(2);
    };
    let written = nango_examples::test_ca::TestCa::generate()
        .map_err(|err| err.to_string())
        .and_then(|ca| {
            ca.write_to(std::path::Path::new(&dir))
                .map_err(|err| err.to_string())
        });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("test-ca: {err}");
            ExitCode::FAILURE
        }
    }
}
