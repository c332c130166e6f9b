"""Each example backend as a newcomer runs it (``python server_*.py``), against the emulator binary
whose webhooks go to the backend: session, connection, verified webhook, pull, action, pull from
the checkpoint. Mirrors examples/node/test/flow.test.mjs."""

from __future__ import annotations

import re
import urllib.request
from typing import Iterator, Tuple

import pytest

from processes import Backend, Emulator, free_port

CONN = "example-conn"


@pytest.fixture(params=["server_sync.py", "server_async.py"])
def running(request: pytest.FixtureRequest) -> Iterator[Tuple[Emulator, Backend]]:
    port = free_port()
    emulator = Emulator(f"http://127.0.0.1:{port}/webhook")
    try:
        backend = Backend(str(request.param), emulator, port)
        try:
            yield emulator, backend
        finally:
            backend.stop()
    finally:
        emulator.stop()


def test_session_connect_webhook_pull_action_checkpoint(running: Tuple[Emulator, Backend]) -> None:
    emulator, backend = running

    # 1. The frontend asks the backend for a connect session token.
    status, session = backend.call("POST", "/session", {"userId": "user-42"})
    assert status == 200
    assert session["token"].startswith("nango_connect_session_")
    assert session["host"] == emulator.url

    # The user connects (the browser example clicks through the popup; here the emulator's admin
    # shortcut creates the connection, runs the initial sync and sends both webhooks).
    emulator.admin("POST", "/connections", {"provider_config_key": "zendesk", "connection_id": CONN})

    # 2 + 3. The backend verifies the webhooks and pulls the 50 seeded tickets since modifiedAfter.
    backend.wait_for_line(f"^webhook verified: auth {CONN}$")
    backend.wait_for_line(f"^webhook verified: sync {CONN}$")
    first = backend.wait_for_line(f"^pulled \\d+ Ticket for {CONN} from modifiedAfter")
    assert first.startswith("pulled 50 ")
    assert len(backend.call("GET", "/tickets")[1]["tickets"]) == 50

    # A forged webhook is refused.
    forged = urllib.request.Request(
        backend.url + "/webhook",
        data=b'{"type":"sync","connectionId":"example-conn"}',
        method="POST",
        headers={"Content-Type": "application/json", "X-Nango-Hmac-Sha256": "00" * 32},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(forged, timeout=10)
    assert refused.value.code == 401

    # 4. Write back; the backend triggers a sync and pulls only the new ticket from its checkpoint.
    status, created = backend.call("POST", "/tickets", {"connectionId": CONN, "title": "Printer on fire"})
    assert status == 201
    assert created["title"] == "Printer on fire"
    second = backend.wait_for_line(f"^pulled \\d+ Ticket for {CONN} from checkpoint")
    assert second == f"pulled 1 Ticket for {CONN} from checkpoint: {created['id']}"
    stored = backend.call("GET", "/tickets")[1]["tickets"]
    assert len(stored) == 51
    assert any(t["id"] == created["id"] and t["title"] == "Printer on fire" for t in stored)
    assert not any(re.search("failed", line) for line in backend.lines)
