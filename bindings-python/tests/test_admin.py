"""Integration administration, provider templates, deployed functions, ``get_raw_token_response``
and ``wait_for_connection`` against the emulator: one success and one error each, on the sync
client, and the asyncio client for the wait (cancelling its task ends it at once)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import urllib.request
from typing import Any, Dict

import pytest

import nango
from conftest import Emulator

APP: Dict[str, Any] = {"type": "OAUTH2", "client_id": "id", "client_secret": "secret", "scopes": "read"}


def import_connection(emulator: Emulator, connection_id: str, user_id: str) -> None:
    """``POST /connections`` (an import with credentials and an end user), sent without the SDK."""
    body = {
        "provider_config_key": "zendesk",
        "connection_id": connection_id,
        "credentials": {"type": "OAUTH2", "access_token": f"at-{connection_id}", "refresh_token": "rt"},
        "end_user": {"id": user_id},
    }
    request = urllib.request.Request(
        f"{emulator.url}/connections",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {emulator.secret_key}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        assert response.status < 300


def test_create_integration_and_a_duplicate(client: nango.Nango) -> None:
    created = client.create_integration(
        "zendesk", "zd-created", display_name="Created", credentials=APP, forward_webhooks=False
    )
    assert created["data"]["unique_key"] == "zd-created"
    assert created["data"]["display_name"] == "Created"
    assert created["data"]["forward_webhooks"] is False
    assert any(c["unique_key"] == "zd-created" for c in client.list_integrations()["configs"])
    with pytest.raises(nango.ValidationError) as raised:
        client.create_integration("zendesk", "zd-created", credentials=APP)
    assert raised.value.status == 400


def test_create_quickstart_integration_and_an_unknown_provider(client: nango.Nango) -> None:
    created = client.create_quickstart_integration("zendesk", "zd-quick", display_name="Q")
    assert created["data"]["unique_key"] == "zd-quick"
    assert created["data"]["provider"] == "zendesk"
    with pytest.raises(nango.ValidationError):
        client.create_quickstart_integration("no-such-provider", "q2")


def test_update_integration_renames_and_an_unknown_key(client: nango.Nango) -> None:
    client.create_integration("zendesk", "zd-update", credentials=APP)
    updated = client.update_integration("zd-update", {"display_name": "Renamed", "unique_key": "zd-renamed"})
    assert updated["data"]["unique_key"] == "zd-renamed"
    assert updated["data"]["display_name"] == "Renamed"
    with pytest.raises(nango.NotFoundError):
        client.update_integration("zd-update", {"display_name": "x"})


def test_delete_integration_then_not_found(client: nango.Nango) -> None:
    client.create_integration("zendesk", "zd-delete", credentials=APP)
    assert client.delete_integration("zd-delete") == {"success": True}
    with pytest.raises(nango.NotFoundError) as raised:
        client.delete_integration("zd-delete")
    assert raised.value.code == "not_found"


def test_provider_templates_and_an_empty_provider(client: nango.Nango) -> None:
    templates = client.get_provider_templates("zendesk")["data"]
    assert templates
    assert all(t["type"] in ("sync", "action", "on-event") for t in templates)
    with pytest.raises(nango.ValidationError) as raised:
        client.get_provider_templates("")
    assert raised.value.code == "invalid_argument"


def test_list_get_and_code_of_functions(client: nango.Nango) -> None:
    listed = client.list_functions("zendesk")
    assert any(f["name"] == "tickets" and f["type"] == "sync" for f in listed["data"])
    assert listed["pagination"]["total"] == len(listed["data"])
    syncs = client.list_functions("zendesk", function_type="sync")["data"]
    assert syncs and all(f["type"] == "sync" for f in syncs)
    with pytest.raises(nango.ValidationError):
        client.list_functions("zendesk", limit=0)

    one = client.get_function("zendesk", "tickets")
    assert (one["data"]["name"], one["data"]["type"]) == ("tickets", "sync")
    with pytest.raises(nango.NotFoundError):
        client.get_function("zendesk", "tickets", function_type="action")

    code = client.get_function_code("zendesk", "tickets")
    assert code["type"] == "sync" and isinstance(code["code"], str)
    with pytest.raises(nango.NotFoundError):
        client.get_function_code("zendesk", "no-such-function")


def test_delete_function_needs_sync_or_action(emulator: Emulator) -> None:
    client = emulator.client()
    actions = client.list_functions("zendesk", function_type="action")["data"]
    assert actions
    name = actions[0]["name"]
    assert client.delete_function("zendesk", name, "action") == {"data": {"success": True}}
    left = client.list_functions("zendesk", function_type="action")["data"]
    assert all(f["name"] != name for f in left)
    emulator.admin("DELETE", "/requests")
    with pytest.raises(nango.ValidationError) as raised:
        client.delete_function("zendesk", "tickets", "on-event")
    assert raised.value.code == "invalid_argument"
    assert all("/functions" not in r["path"] for r in emulator.admin("GET", "/requests")["requests"])


def test_raw_token_response_and_an_unknown_connection(emulator: Emulator) -> None:
    client = emulator.client()
    import_connection(emulator, "raw-1", "user-raw")
    raw = client.get_raw_token_response("zendesk", "raw-1")
    assert raw is not None and raw["access_token"] == "at-raw-1"
    with pytest.raises(nango.NotFoundError):
        client.get_raw_token_response("zendesk", "nope")


def test_wait_for_connection_returns_the_connection(emulator: Emulator) -> None:
    import_connection(emulator, "waited-for", "user-wait")
    found = emulator.client().wait_for_connection("zendesk", "user-wait", deadline=5)
    assert (found["connection_id"], found["provider_config_key"]) == ("waited-for", "zendesk")


def test_wait_for_connection_deadline_and_bad_deadline(emulator: Emulator) -> None:
    client = emulator.client()
    started = time.monotonic()
    with pytest.raises(nango.TimeoutError) as raised:
        client.wait_for_connection("zendesk", "nobody", deadline=0.3)
    assert raised.value.code == "timeout"
    assert time.monotonic() - started < 5
    for bad in (-1.0, float("nan")):
        with pytest.raises(nango.ValidationError) as invalid:
            client.wait_for_connection("zendesk", "u", deadline=bad)
        assert invalid.value.code == "invalid_argument"


def test_cancelling_the_async_wait_stops_polling(emulator: Emulator) -> None:
    async def run() -> None:
        client = emulator.async_client()
        task = asyncio.ensure_future(client.wait_for_connection("zendesk", "nobody-async"))
        await asyncio.sleep(0.3)
        assert not task.done()
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # Without the cancel it would wait 68 s (core's default deadline).
        assert time.monotonic() - started < 2

        import_connection(emulator, "async-waited", "user-async")
        found = await client.wait_for_connection("zendesk", "user-async", deadline=5)
        assert found["connection_id"] == "async-waited"

    asyncio.run(run())


def test_ctrl_c_interrupts_the_sync_wait(emulator: Emulator) -> None:
    # A child process waits for a connection that never comes; SIGINT must end it fast.
    script = textwrap.dedent(
        f"""
        import signal, sys, time, nango
        # A shell without job control starts background jobs with SIGINT ignored: restore the
        # handler an interactive Python has.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        client = nango.Nango({emulator.secret_key!r}, host={emulator.url!r})
        print("waiting", flush=True)
        started = time.monotonic()
        try:
            client.wait_for_connection("zendesk", "never-connects")
        except KeyboardInterrupt:
            print("interrupted", round(time.monotonic() - started, 1), flush=True)
            sys.exit(0)
        sys.exit(3)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "waiting"
    time.sleep(0.5)
    os.kill(child.pid, signal.SIGINT)
    out, _ = child.communicate(timeout=10)
    assert child.returncode == 0
    assert out.startswith("interrupted")
    assert float(out.split()[1]) < 5, out
