"""The nango_emulator package as installed from its wheel: the binary, start(), and the fixture."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any, Dict

import pytest

import nango_emulator
from nango_emulator import Emulator


@pytest.fixture
def nango_emulator_config() -> Dict[str, Any]:
    return {"connections": [{"connection_id": "from-config", "provider_config_key": "zendesk"}]}


def get(emulator: Emulator, path: str) -> int:
    request = urllib.request.Request(
        emulator.url + path, headers={"Authorization": "Bearer " + emulator.secret_key}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as err:
        return err.code


def test_the_fixture_takes_the_overridden_config(nango_emulator: Emulator) -> None:
    assert nango_emulator.url.startswith("http://127.0.0.1:")
    assert get(nango_emulator, "/connections/from-config?provider_config_key=zendesk") == 200
    assert get(nango_emulator, "/connections/other?provider_config_key=zendesk") == 404
    assert nango_emulator.secret_key not in repr(nango_emulator)


def test_start_and_stop_by_pid() -> None:
    emulator = nango_emulator.start(secret_key="11111111-2222-4333-8444-555555555555")
    try:
        assert emulator.secret_key == "11111111-2222-4333-8444-555555555555"
        assert emulator.admin("GET", "/health") == {"ok": True}
        created = emulator.admin(
            "POST", "/connections", {"provider_config_key": "zendesk", "connection_id": "c-1"}
        )
        assert created["connection_id"] == "c-1"
    finally:
        emulator.stop()
    assert emulator.process.returncode == 0
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(emulator.url + "/_emulator/health", timeout=2)


def test_a_bad_argument_raises_instead_of_hanging() -> None:
    with pytest.raises(RuntimeError, match=r"exited \(2\) before its ready line"):
        nango_emulator.start(port=-1)


def test_the_wheel_installed_the_binary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NANGO_EMULATOR_BIN", raising=False)
    with nango_emulator.start(bin=nango_emulator.binary()) as emulator:
        assert json.dumps(emulator.admin("GET", "/health")) == '{"ok": true}'
