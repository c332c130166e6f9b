"""A backend for a Nango integration with ``nango.Nango`` and the standard library's http.server.

    POST /session   -> a connect session token for your frontend (the "Connect Zendesk" button)
    POST /webhook   -> Nango's signed webhook: verify it, then pull what changed
    POST /tickets   -> write back through the ``create-ticket`` action, then ask Nango to sync
    GET  /tickets   -> your copy of the synced tickets

NANGO_SECRET_KEY, NANGO_WEBHOOK_SIGNING_KEY, NANGO_HOST (default Nango cloud), PORT (default 3000).
"""

from __future__ import annotations

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Tuple

import nango

INTEGRATION = "zendesk"
HOST = os.environ.get("NANGO_HOST") or None
client = nango.Nango(
    os.environ["NANGO_SECRET_KEY"],
    host=HOST,
    webhook_signing_key=os.environ["NANGO_WEBHOOK_SIGNING_KEY"],
)

# Your database, in memory here: the tickets, and where each connection x model stopped reading.
tickets: Dict[str, Dict[str, Any]] = {}
checkpoints: Dict[str, str] = {}
# One pull at a time, so a checkpoint only ever moves forward.
store_lock = threading.Lock()


def log(line: str) -> None:
    print(line + "\n", end="", flush=True)  # one write per line: handler threads don't interleave


def on_webhook(raw_body: bytes, headers: Dict[str, str]) -> int:
    # Verify the raw bytes: a re-serialised JSON body would not match the signature.
    if not client.verify_incoming_webhook_request(raw_body, headers):
        return 401
    hook = client.parse_webhook(raw_body, headers)
    if hook["type"] == "unknown" or hook["type"] == "forward":
        log(f"webhook verified: {hook['type']}")
        return 200
    log(f"webhook verified: {hook['type']} {hook['connectionId']}")
    if hook["type"] != "sync" or not hook["success"]:
        return 200
    key = f"{hook['connectionId']}/{hook['model']}"
    with store_lock:
        saved = checkpoints.get(key)
        # First time: everything the sync changed; afterwards: only what is newer than our checkpoint.
        records = client.records(
            hook["providerConfigKey"],
            hook["connectionId"],
            hook["model"],
            cursor=saved,
            modified_after=None if saved else hook.get("modifiedAfter"),
        )
        ids = []
        for record in records:
            if record["_nango_metadata"]["last_action"] == "DELETED":
                tickets.pop(record["id"], None)
            else:
                tickets[record["id"]] = record
            ids.append(record["id"])
        if records.cursor:
            checkpoints[key] = records.cursor
    source = "checkpoint" if saved else "modifiedAfter"
    log(f"pulled {len(ids)} {hook['model']} for {hook['connectionId']} from {source}: {','.join(ids)}")
    return 200


def route(method: str, path: str, body: bytes, headers: Dict[str, str]) -> Tuple[int, Any]:
    if (method, path) == ("POST", "/webhook"):
        return on_webhook(body, headers), {"ok": True}
    data: Dict[str, Any] = json.loads(body) if body else {}
    if (method, path) == ("POST", "/session"):
        # In your app the end user is whoever is logged in.
        session = client.create_connect_session(
            end_user={"id": data.get("userId", "demo-user")}, allowed_integrations=[INTEGRATION]
        )
        return 200, {"token": session["data"]["token"], "host": HOST}
    if (method, path) == ("POST", "/tickets"):
        connection_id = data["connectionId"]
        ticket = client.trigger_action(INTEGRATION, connection_id, "create-ticket", {"title": data["title"]})
        # Nango syncs on its schedule; ask for a run now so the new ticket comes back by webhook soon.
        client.trigger_sync(INTEGRATION, ["tickets"], connection_id)
        return 201, ticket
    if (method, path) == ("GET", "/tickets"):
        with store_lock:
            return 200, {"tickets": list(tickets.values())}
    return 404, {"error": "not found"}


class Handler(BaseHTTPRequestHandler):
    def handle_any(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            status, payload = route(self.command, self.path.split("?")[0], body, dict(self.headers))
        except nango.NangoError as err:
            # A 5xx on /webhook makes Nango retry the delivery later.
            log(f"{self.command} {self.path} failed: {err.code}")
            status, payload = 500, {"error": err.code}
        out = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_POST = handle_any

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep stdout for the lines above


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("PORT", "3000"))), Handler)
    log(f"listening on http://127.0.0.1:{server.server_address[1]}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
