"""One emulator for the whole Python scenario suite; `scenario` reports each test's result line
(pass/fail and counts) and resets faults afterwards."""

from __future__ import annotations

import time
from typing import Iterator

import pytest

from support import Emulator, Tally, report


@pytest.fixture(scope="session")
def emu() -> Iterator[Emulator]:
    running = Emulator.launch()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def tally(request: pytest.FixtureRequest, emu: Emulator) -> Iterator[Tally]:
    name = request.node.module.__name__.removeprefix("test_").replace("_", "-")
    counts = Tally()
    started = time.monotonic()
    yield counts
    failed = getattr(request.node, "scenario_failed", None)
    error = ""
    try:
        emu.reset()
    except Exception as exc:  # noqa: BLE001 - reported as the scenario's failure
        error = f"reset: {exc}"
    if failed is not None:
        error = failed
    report(name, not error, counts, error, time.monotonic() - started)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    rep = yield
    if rep.when == "call" and rep.failed:
        item.scenario_failed = str(call.excinfo.value) if call.excinfo else "failed"  # type: ignore[attr-defined]
    return rep
