"""As a user gets it: build the abi3 wheel with maturin, install it into a fresh venv (no network),
and run the example from there against the emulator."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO, Emulator

CRATE = REPO / "bindings-python"


def test_wheel_installs_and_runs_the_example(emulator: Emulator, tmp_path: Path) -> None:
    maturin = shutil.which("maturin", path=str(Path(sys.executable).parent)) or "maturin"
    env = dict(os.environ, CARGO_BUILD_TARGET="x86_64-unknown-linux-gnu")
    # A debug wheel: the packaging is what is tested here (release builds are for the benchmark).
    subprocess.run(
        [maturin, "build", "-m", str(CRATE / "Cargo.toml"), "--out", str(tmp_path / "dist"), "-q"],
        check=True,
        env=env,
        cwd=REPO,
    )
    wheels = list((tmp_path / "dist").glob("*.whl"))
    assert len(wheels) == 1
    wheel = wheels[0]
    assert wheel.name.startswith("nango_rs-") and "-cp39-abi3-" in wheel.name
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ("nango/__init__.py", "nango/py.typed", "nango/_nango.pyi", "nango/types.py"):
        assert expected in names
    assert any(name.startswith("nango/_nango") and name.endswith(".so") for name in names)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-index", "--disable-pip-version-check", str(wheel)],
        check=True,
    )
    example = CRATE / "examples" / "quickstart.py"
    run_env = dict(os.environ, NANGO_SECRET_KEY=emulator.secret_key, NANGO_HOST=emulator.url)
    run_env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [str(python), str(example), "zendesk", "conn-1", "Ticket"],
        check=True,
        capture_output=True,
        text=True,
        env=run_env,
        cwd=tmp_path,  # not the source tree: the installed package must be the one imported
    )
    assert "50 records; checkpoint" in result.stdout
    assert "action answered {'hello': 'world'}" in result.stdout
    assert "rejected webhook: invalid_signature" in result.stdout
    assert "async walk saw 50 records" in result.stdout
    where = subprocess.run(
        [str(python), "-c", "import nango; print(nango.__file__)"],
        check=True, capture_output=True, text=True, cwd=tmp_path, env=run_env,
    ).stdout
    assert str(venv) in where
