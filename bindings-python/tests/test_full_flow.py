"""The full seed flow: a plain `http.server` webhook receiver that verifies every signature, a
connection created, its sync webhook, the new records read from the checkpoint, an action."""

from __future__ import annotations

import http.server
import json
import queue
import threading
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import nango
from conftest import Emulator


class Receiver:
    """A webhook endpoint the way a backend would write one, verifying with the client."""

    def __init__(self, client: nango.Nango) -> None:
        self.events: "queue.Queue[Dict[str, Any]]" = queue.Queue()
        self.rejected = 0
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if not client.verify_incoming_webhook_request(raw, self.headers):
                    receiver.rejected += 1
                    self.send_response(401)
                    self.end_headers()
                    return
                receiver.events.put(dict(client.parse_webhook(raw, list(self.headers.items()))))
                self.send_response(200)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def next(self, kind: str) -> Dict[str, Any]:
        while True:
            event = self.events.get(timeout=20)
            if event["type"] == kind:
                return event

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def receiver(emulator: Emulator) -> Iterator[Receiver]:
    running = Receiver(emulator.client())
    emulator.admin("PUT", "/webhook-url", {"url": running.url})
    try:
        yield running
    finally:
        emulator.admin("PUT", "/webhook-url", {"url": None})
        running.stop()


def test_seed_flow(emulator: Emulator, receiver: Receiver) -> None:
    client = emulator.client()
    session = client.create_connect_session(end_user={"id": "user-7"}, allowed_integrations=["zendesk"])
    assert session["data"]["token"].startswith("nango_connect_session_")

    # The end user connects (the emulator's admin shortcut for the OAuth popup).
    emulator.admin("POST", "/connections", {"provider_config_key": "zendesk", "connection_id": "flow-1"})
    auth = receiver.next("auth")
    assert auth["connectionId"] == "flow-1" and auth["success"] is True
    assert auth["operation"] == "creation"

    # Initial sync: everything, then a checkpoint.
    walked = client.records("zendesk", "flow-1", "Ticket")
    first: List[Dict[str, Any]] = list(walked)
    assert len(first) == 50
    checkpoint = walked.cursor
    assert checkpoint == first[-1]["_nango_metadata"]["cursor"]

    # The provider changes; the next sync run sends a signed webhook with the counts.
    emulator.admin("POST", "/provider/mutate", {"integration": "zendesk", "model": "Ticket", "add": 3, "update": 2, "delete": 1})
    emulator.admin("POST", "/sync/run", {"provider_config_key": "zendesk", "connection_id": "flow-1"})
    sync = receiver.next("sync")
    # The initial run may report its own webhook first (50 added); ours is the one after it.
    while sync["responseResults"] == {"added": 50, "updated": 0, "deleted": 0}:
        sync = receiver.next("sync")
    assert sync["connectionId"] == "flow-1" and sync["model"] == "Ticket"
    assert sync["responseResults"] == {"added": 3, "updated": 2, "deleted": 1}

    # Only the changes come after the checkpoint.
    changes = list(client.records("zendesk", "flow-1", "Ticket", cursor=checkpoint))
    actions = sorted(r["_nango_metadata"]["last_action"] for r in changes)
    assert actions == ["ADDED"] * 3 + ["DELETED"] + ["UPDATED"] * 2

    created = client.trigger_action("zendesk", "flow-1", "create-ticket", {"title": "from python"})
    assert created["title"] == "from python"
    assert receiver.rejected == 0


def test_receiver_rejects_forged_webhooks(emulator: Emulator) -> None:
    client = emulator.client()
    body = b'{"type":"sync","from":"nango"}'
    assert client.verify_incoming_webhook_request(body, {"X-Nango-Hmac-Sha256": "0" * 64}) is False
    assert client.verify_incoming_webhook_request(body, {}) is False
    with pytest.raises(nango.WebhookVerificationError) as forged:
        client.parse_webhook(body, [("x-nango-hmac-sha256", "0" * 64)])
    assert forged.value.code == "invalid_signature"
    assert forged.value.payload == {"reason": "signature_mismatch"}
