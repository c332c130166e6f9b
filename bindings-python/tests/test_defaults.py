"""What a new user gets without configuring anything: core's default time limits, the
NANGO_HOST / NANGO_SECRET_KEY defaults, errors that say where and why, and a warning when the
sync client blocks an asyncio event loop."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from typing import Iterator, List, Tuple

import pytest

import nango
from conftest import Emulator

KEY = "11111111-2222-4333-8444-555555555555"
PCK, CONN, MODEL = "zendesk", "conn-1", "Ticket"


@pytest.fixture
def silent_url() -> Iterator[str]:
    """A loopback server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: List[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield "http://127.0.0.1:%d" % listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()


def test_every_call_has_a_default_timeout_and_deadline() -> None:
    for cls in (nango.Nango, nango.AsyncNango):
        client = cls(KEY)
        assert client.timeout == 60.0
        assert client.deadline == 120.0
        tuned = cls(KEY, timeout=1.5, deadline=4)
        assert (tuned.timeout, tuned.deadline) == (1.5, 4.0)
        for bad in (-1.0, 0.0, float("nan")):
            with pytest.raises(nango.ValidationError, match="deadline"):
                cls(KEY, deadline=bad)


def test_a_silent_server_fails_the_call_with_a_timeout(silent_url: str) -> None:
    # The per-attempt limit, lowered to keep the test fast.
    per_attempt = nango.Nango(KEY, host=silent_url, timeout=0.15, max_retries=0)
    started = time.monotonic()
    with pytest.raises(nango.TimeoutError) as timed_out:
        per_attempt.list_records(PCK, CONN, MODEL)
    assert timed_out.value.code == "timeout"
    assert time.monotonic() - started < 5

    # The overall deadline, retries included; a synchronous action obeys it too.
    overall = nango.Nango(KEY, host=silent_url, deadline=0.3)
    started = time.monotonic()
    with pytest.raises(nango.TimeoutError):
        overall.list_records(PCK, CONN, MODEL)
    with pytest.raises(nango.TimeoutError):
        overall.trigger_action(PCK, CONN, "echo", {"a": 1})

    async def run() -> None:
        client = nango.AsyncNango(KEY, host=silent_url, deadline=0.3)
        with pytest.raises(nango.TimeoutError):
            await client.list_records(PCK, CONN, MODEL)

    asyncio.run(run())
    assert time.monotonic() - started < 5


def test_environment_defaults(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NANGO_HOST", emulator.url + "/")
    monkeypatch.setenv("NANGO_SECRET_KEY", emulator.secret_key)
    from_env = nango.Nango()
    assert from_env.host == emulator.url
    assert from_env.list_records(PCK, CONN, MODEL)["records"] is not None
    assert nango.AsyncNango().host == emulator.url
    # An explicit value wins.
    assert nango.Nango(host="http://127.0.0.1:4004").host == "http://127.0.0.1:4004"
    with pytest.raises(nango.AuthenticationError):
        nango.Nango(KEY).list_records(PCK, CONN, MODEL)

    monkeypatch.delenv("NANGO_HOST")
    monkeypatch.delenv("NANGO_SECRET_KEY")
    with pytest.raises(nango.ValidationError, match="NANGO_SECRET_KEY"):
        nango.Nango()
    assert nango.Nango(KEY).host == "https://api.nango.dev"


def test_a_transport_error_names_the_host_but_no_secret() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = nango.Nango(KEY, host="http://user:hunter2@127.0.0.1:%d" % port, max_retries=0)
    with pytest.raises(nango.TransportError) as failed:
        client.list_records(PCK, CONN, MODEL, cursor="secret-cursor")
    message = str(failed.value)
    assert "127.0.0.1:%d" % port in message
    for secret in (KEY, "hunter2", "secret-cursor"):
        assert secret not in message


def test_a_400_reason_is_in_the_message(client: nango.Nango) -> None:
    with pytest.raises(nango.ValidationError) as invalid:
        client.list_records(PCK, CONN, MODEL, modified_after="yesterday")
    assert "modified_after: Invalid datetime" in str(invalid.value)
    assert [issue["path"] for issue in invalid.value.errors] == [["modified_after"]]


def test_the_sync_client_warns_once_inside_an_event_loop() -> None:
    # A child process: the warning is given once per process.
    script = textwrap.dedent(
        """
        import asyncio, warnings, nango

        warnings.simplefilter("always")
        client = nango.Nango("%s", host="http://127.0.0.1:1", max_retries=0)

        def call():
            try:
                client.list_records("p", "c", "M")
            except nango.TransportError:
                pass

        with warnings.catch_warnings(record=True) as outside:
            call()  # no loop: no warning
        assert outside == [], outside

        async def main():
            with warnings.catch_warnings(record=True) as seen:
                warnings.simplefilter("always")
                call()
                call()
            return seen

        seen = asyncio.run(main())
        assert len(seen) == 1, [str(w.message) for w in seen]
        warning = seen[0]
        assert issubclass(warning.category, nango.EventLoopBlockedWarning)
        assert issubclass(warning.category, RuntimeWarning)
        assert "AsyncNango" in str(warning.message)
        print("warned at", warning.filename.endswith("<string>"), warning.lineno)
        """
        % KEY
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    # Pointed at the caller's line (`client.list_records(...)` in `call`), not at nango's code.
    assert result.stdout.strip() == "warned at True 9", result.stdout


def test_the_async_client_does_not_warn() -> None:
    async def main() -> None:
        client = nango.AsyncNango(KEY, host="http://127.0.0.1:1", max_retries=0)
        with pytest.raises(nango.TransportError):
            await client.list_records(PCK, CONN, MODEL)

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        asyncio.run(main())
    caught: List[Tuple[type, str]] = [(w.category, str(w.message)) for w in seen]
    assert not [c for c in caught if issubclass(c[0], nango.EventLoopBlockedWarning)], caught
