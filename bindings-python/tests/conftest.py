"""Fixtures: a real nango-emulator process on 127.0.0.1, started per test module and stopped by PID.

The binary comes from ``NANGO_EMULATOR_BIN`` (default: the workspace's debug build; build it with
``cargo build -p nango-emulator``).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

import pytest

import nango

REPO = Path(__file__).resolve().parents[2]
DEFAULT_BIN = REPO / "target" / "x86_64-unknown-linux-gnu" / "debug" / "nango-emulator"


@dataclass
class Emulator:
    url: str
    secret_key: str
    signing_key: str
    process: subprocess.Popen[str]

    def admin(self, method: str, path: str, body: Optional[Any] = None) -> Any:
        """Calls the emulator's admin API (`/_emulator/...`)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + "/_emulator" + path,
            data=data,
            method=method,
            headers={
                "Authorization": "Bearer " + self.secret_key,
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
        return json.loads(text) if text else None

    def client(self, **kwargs: Any) -> nango.Nango:
        return nango.Nango(
            self.secret_key, host=self.url, webhook_signing_key=self.signing_key, **kwargs
        )

    def async_client(self, **kwargs: Any) -> nango.AsyncNango:
        return nango.AsyncNango(
            self.secret_key, host=self.url, webhook_signing_key=self.signing_key, **kwargs
        )


def start_emulator(config: Dict[str, Any]) -> Emulator:
    binary = os.environ.get("NANGO_EMULATOR_BIN", str(DEFAULT_BIN))
    if not Path(binary).exists():
        raise RuntimeError(
            f"nango-emulator not found at {binary}: run `cargo build -p nango-emulator` "
            "or set NANGO_EMULATOR_BIN"
        )
    handle, path = tempfile.mkstemp(suffix=".json", prefix="nango-emulator-")
    with os.fdopen(handle, "w") as file:
        json.dump(config, file)
    process = subprocess.Popen(
        [binary, "--config", path],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    os.unlink(path)
    if not line:
        process.kill()
        process.wait()
        raise RuntimeError("nango-emulator exited before its ready line")
    ready = json.loads(line)
    assert ready["ready"] is True
    return Emulator(ready["url"], ready["secret_key"], ready["signing_key"], process)


def stop_emulator(emulator: Emulator) -> None:
    emulator.process.terminate()
    try:
        emulator.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        emulator.process.kill()
        emulator.process.wait()
    if emulator.process.stdout is not None:
        emulator.process.stdout.close()


#: Default world: the demo integrations plus one ready connection.
BASE_CONFIG: Dict[str, Any] = {
    "connections": [{"connection_id": "conn-1", "provider_config_key": "zendesk"}],
}


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    running = start_emulator(BASE_CONFIG)
    try:
        yield running
    finally:
        stop_emulator(running)


@pytest.fixture
def client(emulator: Emulator) -> nango.Nango:
    return emulator.client()
