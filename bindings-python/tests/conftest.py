"""Fixtures: a real nango-emulator process on 127.0.0.1, started per test module and stopped by PID.

The binary comes from ``NANGO_EMULATOR_BIN`` (default: the workspace's debug build; build it with
``cargo build -p nango-emulator``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

import nango
import nango_emulator  # emulator/python: the start function users' suites run (pytest pythonpath)

REPO = Path(__file__).resolve().parents[2]
DEFAULT_BIN = REPO / "target" / "x86_64-unknown-linux-gnu" / "debug" / "nango-emulator"


class Emulator(nango_emulator.Emulator):
    """The package's emulator (``url``, keys, ``process``, ``admin()``), plus clients for it."""

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
    return Emulator.start(config, bin=binary)


def stop_emulator(emulator: Emulator) -> None:
    emulator.stop()


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
