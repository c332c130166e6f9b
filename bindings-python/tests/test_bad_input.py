"""Bad arguments raise at once with a clear message; nothing crashes the interpreter; Ctrl-C
interrupts a blocking call."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from typing import Any, List

import pytest

import nango
from conftest import Emulator

KEY = "11111111-2222-4333-8444-555555555555"


def test_constructor_checks() -> None:
    with pytest.raises(nango.ValidationError, match="secret_key"):
        nango.Nango("")
    with pytest.raises(nango.ValidationError, match="host"):
        nango.Nango(KEY, host="not a url")
    with pytest.raises(nango.ValidationError, match="host"):
        nango.AsyncNango(KEY, host="ftp://example.com")
    with pytest.raises(nango.ValidationError, match="timeout"):
        nango.Nango(KEY, timeout=-1)
    with pytest.raises(nango.ValidationError, match="timeout"):
        nango.Nango(KEY, timeout=float("nan"))
    # Out-of-range counts are core's errors, never an OverflowError (tests/vectors/config.json).
    with pytest.raises(nango.ValidationError, match="max_retries"):
        nango.Nango(KEY, max_retries=-1)
    with pytest.raises(nango.ValidationError, match="max_retries"):
        nango.Nango(KEY, max_retries=4_000_000_000)
    with pytest.raises(nango.ValidationError, match="max_retries"):
        nango.Nango(KEY, max_retries=10**30)
    with pytest.raises(TypeError):
        nango.Nango(KEY, "positional-host")  # type: ignore[misc]
    with pytest.raises(TypeError):
        nango.Nango(secret_key=42)  # type: ignore[arg-type]
    # ValidationError is a ValueError too, for code that already catches that.
    with pytest.raises(ValueError):
        nango.Nango("")


def test_arguments_rejected_before_sending(emulator: Emulator) -> None:
    client = emulator.client()
    with pytest.raises(nango.ValidationError, match="model"):
        client.list_records("zendesk", "conn-1", "")
    with pytest.raises(nango.ValidationError, match="connection_id"):
        client.trigger_action("zendesk", "", "echo")
    with pytest.raises(nango.ValidationError, match="metadata"):
        client.set_metadata("zendesk", "conn-1", ["not", "an", "object"])  # type: ignore[arg-type]
    with pytest.raises(nango.ValidationError, match="status_url"):
        client.get_async_action_result(status_url="http://evil.example/action/1")
    with pytest.raises(TypeError, match="JSON"):
        client.trigger_action("zendesk", "conn-1", "echo", {"when": object()})
    with pytest.raises(nango.ValidationError, match="NaN"):
        client.trigger_action("zendesk", "conn-1", "echo", float("inf"))
    with pytest.raises(nango.ValidationError, match="64 bits"):
        client.trigger_action("zendesk", "conn-1", "echo", 2**70)
    with pytest.raises(nango.ValidationError, match="keys must be strings"):
        client.trigger_action("zendesk", "conn-1", "echo", {1: "x"})
    with pytest.raises(TypeError):
        client.list_records("zendesk", "conn-1", "Ticket", limit="ten")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        client.list_records("zendesk", "conn-1", "Ticket", ids="a")  # type: ignore[arg-type]
    with pytest.raises(nango.ValidationError, match="tags"):
        client.list_connections(tags={"a": 1})  # type: ignore[dict-item]
    with pytest.raises(nango.ValidationError, match="end_user"):
        client.create_connect_session(end_user={"id": 5})  # type: ignore[typeddict-item]
    with pytest.raises(TypeError, match="raw body"):
        client.verify_incoming_webhook_request({"parsed": "json"}, {})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="headers"):
        client.verify_incoming_webhook_request(b"{}", [1, 2])  # type: ignore[list-item]
    with pytest.raises(nango.ValidationError, match="raw_body"):
        nango.parse_webhook_payload(b"not json")


def test_self_referencing_input_does_not_crash(emulator: Emulator) -> None:
    client = emulator.client()
    loop: List[Any] = []
    loop.append(loop)
    with pytest.raises(nango.ValidationError, match="nested deeper"):
        client.trigger_action("zendesk", "conn-1", "echo", loop)


def test_ctrl_c_interrupts_a_blocking_call(emulator: Emulator) -> None:
    # A child process blocks on a slow request; SIGINT must end it with KeyboardInterrupt fast.
    emulator.admin("POST", "/faults", {"path": "/integrations", "kind": "delay", "ms": 30000})
    script = textwrap.dedent(
        f"""
        import signal, sys, time, nango
        # A shell without job control starts background jobs with SIGINT ignored, and Python
        # keeps an inherited SIG_IGN: install the handler an interactive Python has.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        client = nango.Nango({emulator.secret_key!r}, host={emulator.url!r})
        print("calling", flush=True)
        started = time.monotonic()
        try:
            client.list_integrations()
        except KeyboardInterrupt:
            print("interrupted", round(time.monotonic() - started, 1), flush=True)
            sys.exit(0)
        sys.exit(3)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "calling"
    import time

    time.sleep(0.5)
    os.kill(child.pid, signal.SIGINT)
    out, _ = child.communicate(timeout=10)
    assert child.returncode == 0
    assert out.startswith("interrupted")
    emulator.admin("DELETE", "/faults")
