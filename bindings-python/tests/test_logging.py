"""Request logs through the ``logging`` module (logger ``nango``): method, path, status, attempt,
retry delay and duration in ``extra``; silent by default; never a key or a connection id."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from typing import Any, Dict, Iterator, List

import pytest

import nango
from conftest import Emulator, start_emulator, stop_emulator

CONNECTION = "user-7f3a@example.com"


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    running = start_emulator(
        {"connections": [{"connection_id": CONNECTION, "provider_config_key": "zendesk"}]}
    )
    try:
        yield running
    finally:
        stop_emulator(running)


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: List[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def collected() -> Iterator[Collect]:
    logger = logging.getLogger("nango")
    handler = Collect()
    logger.addHandler(handler)
    old = logger.level
    logger.setLevel(logging.NOTSET)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)


def fields(record: logging.LogRecord) -> Dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k.startswith(("http.", "url.", "nango.", "error."))}


def assert_clean(text: str, emu: Emulator) -> None:
    for secret in (emu.secret_key, emu.signing_key, CONNECTION):
        for form in (secret, secret.upper(), secret.replace("-", "")):
            assert form not in text, text
    for word in ("Authorization", "Bearer", "Connection-Id"):
        assert word not in text, text


def test_debug_records_every_attempt_retry_delay_and_end(emu: Emulator, collected: Collect) -> None:
    client = emu.client(log_level="debug", read_ahead=False)
    emu.admin(
        "POST",
        "/faults",
        [
            {"path": "/records", "kind": "status", "status": 429, "retry_after": 1, "count": 1},
            {"path": "/records", "kind": "status", "status": 503, "count": 1},
        ],
    )
    client.list_records("zendesk", CONNECTION, "Ticket", limit=5)
    log = collected.records
    assert [r.levelname for r in log] == ["DEBUG", "INFO", "DEBUG", "INFO", "DEBUG", "INFO"]
    assert all(r.name == "nango" for r in log)
    for record in log:
        assert record.getMessage().startswith("GET /records/ -> ")
        assert fields(record)["http.request.method"] == "GET"
        assert fields(record)["url.path"] == "/records/"
    attempts = [
        (f["nango.attempt"], f["http.request.resend_count"], f["http.response.status_code"])
        for f in map(fields, log)
        if "http.request.resend_count" in f
    ]
    assert attempts == [(1, 0, 429), (2, 1, 503), (3, 2, 200)]
    assert fields(log[1])["nango.retry.delay_ms"] == 1000
    assert "retrying in 1000 ms" in log[1].getMessage()
    end = fields(log[-1])
    assert end["http.response.status_code"] == 200 and end["nango.attempts"] == 3
    assert end["nango.duration_ms"] >= 1000

    collected.records.clear()
    with pytest.raises(nango.NangoError):
        client.get_connection("zendesk", "nobody-like-this")
    last = collected.records[-1]
    assert last.levelno == logging.WARNING
    assert fields(last)["url.path"] == "/connections/{connection_id}"
    assert fields(last)["http.response.status_code"] == 404
    text = "\n".join(f"{r.getMessage()} {vars(r)!r}" for r in collected.records)
    assert "nobody-like-this" not in text
    assert_clean(text, emu)


def test_asyncio_client_logs_too(emu: Emulator, collected: Collect) -> None:
    async def main() -> None:
        await emu.async_client(log_level="info", read_ahead=False).list_records("zendesk", CONNECTION, "Ticket")

    asyncio.run(main())
    assert [r.levelname for r in collected.records] == ["INFO"]
    assert fields(collected.records[0])["nango.attempts"] == 1


def test_silent_by_default_and_logger_level_turns_it_on(emu: Emulator, collected: Collect) -> None:
    emu.client(read_ahead=False).list_records("zendesk", CONNECTION, "Ticket", limit=1)
    emu.client(log_level="off").list_records("zendesk", CONNECTION, "Ticket", limit=1)
    assert collected.records == []
    # A level set on the "nango" logger itself enables the client made afterwards.
    logging.getLogger("nango").setLevel(logging.INFO)
    emu.client(read_ahead=False).list_records("zendesk", CONNECTION, "Ticket", limit=1)
    assert [r.levelname for r in collected.records] == ["INFO"]


def test_nango_log_env_and_bad_levels(emu: Emulator) -> None:
    script = (
        "import logging, nango, sys\n"
        "logging.basicConfig(level=logging.DEBUG, stream=sys.stdout, format='%(name)s %(levelname)s %(message)s')\n"
        f"nango.Nango({emu.secret_key!r}, host={emu.url!r}).list_records('zendesk', {CONNECTION!r}, 'Ticket')\n"
    )
    env = {**os.environ, "NANGO_LOG": "debug"}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "nango DEBUG GET /records/ -> 200 in " in out.stdout
    assert "nango INFO GET /records/ -> 200 in " in out.stdout
    assert_clean(out.stdout + out.stderr, emu)
    with pytest.raises(nango.ValidationError) as err:
        emu.client(log_level="loud")
    assert err.value.code == "invalid_argument" and "log_level" in str(err.value)
    bad_env = subprocess.run(
        [sys.executable, "-c", f"import nango; nango.Nango('k', host={emu.url!r})"],
        env={**os.environ, "NANGO_LOG": "loud"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "NANGO_LOG" in bad_env.stderr


def test_a_failing_handler_does_not_fail_the_call(emu: Emulator) -> None:
    class Broken(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            raise RuntimeError("sink down")

    logger = logging.getLogger("nango")
    handler = Broken()
    logger.addHandler(handler)
    try:
        page = emu.client(log_level="debug").list_records("zendesk", CONNECTION, "Ticket", limit=1)
        assert page["records"]
    finally:
        logger.removeHandler(handler)
