#!/usr/bin/env python3
"""`nango-rs models --lang rust` against the emulator, end to end (`make test-rust` runs it).

Starts the emulator binary on loopback, builds the crate's `nango-rs` binary (feature `cli`),
writes the emulator's models as Rust into a scratch crate under the target folder, then:
- `cargo run`s tests/models/rust/main.rs there, which walks the tickets as the generated struct
  with `records::<Ticket>()` and `list_records::<Ticket>()` and checks them;
- `cargo check`s tests/models/rust/wrong.rs, which misuses the struct and must be refused;
- runs the command with a wrong key and an unreachable host: exit 1, a clear message, no panic,
  never the key.
The scratch crate shares the workspace's target folder and Cargo.lock, so only it is compiled.
Standard library only.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TICKETS = 20


def fail(message: str) -> None:
    sys.exit(f"check_rust: {message}")


def main() -> None:
    target = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target").resolve()
    triple = os.environ.get("CARGO_BUILD_TARGET", "")
    out = target / triple / "debug" if triple else target / "debug"
    emulator_bin = Path(os.environ.get("NANGO_EMULATOR_BIN") or out / "nango-emulator")
    if not emulator_bin.exists():
        fail(f"no emulator at {emulator_bin}: run `make emulator-bin`")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NANGO_")}
    env["CARGO_TARGET_DIR"] = str(target)

    subprocess.run(
        ["cargo", "build", "-q", "-p", "nango", "--features", "cli", "--bin", "nango-rs"],
        cwd=REPO,
        env=env,
        check=True,
    )
    nango_rs = out / "nango-rs"

    scratch = Path(tempfile.mkdtemp(prefix="nango-models-check-"))
    config = {
        "integrations": [
            {
                "unique_key": "zendesk",
                "provider": "zendesk",
                "auth_mode": "OAUTH2",
                "models": [{"name": "Ticket", "seed_count": TICKETS, "record_size": 256}],
                "syncs": [{"name": "tickets", "models": ["Ticket"], "frequency": "every hour", "auto_start": True}],
                "actions": [],
            }
        ],
        "connections": [{"connection_id": "conn-1", "provider_config_key": "zendesk"}],
    }
    (scratch / "config.json").write_text(json.dumps(config))
    emulator = subprocess.Popen(
        [str(emulator_bin), "--port", "0", "--config", str(scratch / "config.json")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert emulator.stdout is not None
        ready = json.loads(emulator.stdout.readline())
        url, key = ready["url"], ready["secret_key"]

        crate = target / "models-check"
        (crate / "src").mkdir(parents=True, exist_ok=True)
        generated = subprocess.run(
            [str(nango_rs), "models", "--lang", "rust", "--out", str(crate / "src" / "models.rs")],
            env={**env, "NANGO_HOST": url, "NANGO_SECRET_KEY": key},
            capture_output=True,
            text=True,
        )
        if generated.returncode != 0:
            fail(f"nango-rs models failed: {generated.stderr}")
        if key in generated.stderr + generated.stdout:
            fail("the secret key was printed")
        text = (crate / "src" / "models.rs").read_text()
        for expected in ("pub struct Ticket {", "impl nango::records::RecordCursor for Ticket"):
            if expected not in text:
                fail(f"the generated file lacks {expected!r}")

        shutil.copy(REPO / "tests" / "models" / "rust" / "main.rs", crate / "src" / "main.rs")
        shutil.copy(REPO / "tests" / "models" / "rust" / "wrong.rs", crate / "wrong.rs")
        shutil.copy(REPO / "Cargo.lock", crate / "Cargo.lock")
        core = (REPO / "core").as_posix()
        (crate / "Cargo.toml").write_text(
            f"""[package]
name = "models-check"
version = "0.0.0"
edition = "2024"
publish = false

# Not a member of the repository's workspace.
[workspace]

[[bin]]
name = "models-check"
path = "src/main.rs"

[[bin]]
name = "wrong"
path = "wrong.rs"

[dependencies]
nango = {{ path = "{core}" }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
tokio = {{ version = "1", features = ["rt-multi-thread", "macros", "net", "time", "sync", "signal", "io-util"] }}
futures-util = {{ version = "0.3", default-features = false, features = ["std", "async-await", "sink"] }}
"""
        )
        manifest = ["--manifest-path", str(crate / "Cargo.toml")]
        walked = subprocess.run(
            ["cargo", "run", "-q", *manifest, "--bin", "models-check"],
            env={**env, "NANGO_HOST": url, "NANGO_SECRET_KEY": key, "MODELS_CHECK_TICKETS": str(TICKETS)},
            capture_output=True,
            text=True,
        )
        if walked.returncode != 0:
            fail(f"the typed walk failed:\n{walked.stdout}{walked.stderr}")
        print(walked.stdout.strip())

        wrong = subprocess.run(
            ["cargo", "check", "-q", *manifest, "--bin", "wrong"], env=env, capture_output=True, text=True
        )
        if wrong.returncode == 0 or "E0308" not in wrong.stderr:
            fail(f"cargo check accepted the wrong use (or failed otherwise):\n{wrong.stderr}")
        print("models-check: cargo check refuses the wrong use (E0308)")

        bad_key = "sk-models-test-not-a-key-0123456789"
        for host, expected in ((url, "unauthorized"), ("http://127.0.0.1:9", "transport")):
            done = subprocess.run(
                [str(nango_rs), "models", "--host", host, "--secret-key", bad_key],
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode != 1 or expected not in done.stderr:
                fail(f"{host}: expected exit 1 with {expected!r}, got {done.returncode}: {done.stderr}")
            if bad_key in done.stderr + done.stdout or "panicked" in done.stderr:
                fail(f"{host}: the key or a panic in the output: {done.stderr}")
        print("models-check: a wrong key and an unreachable host exit 1 with their code")
    finally:
        emulator.terminate()
        emulator.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
