"""The same backend as server_sync.py on asyncio: ``nango.AsyncNango`` behind ``asyncio.start_server``
(a few lines of HTTP/1.1 instead of a framework; with one, keep only the handlers).

NANGO_SECRET_KEY, NANGO_WEBHOOK_SIGNING_KEY, NANGO_HOST (default Nango cloud), PORT (default 3000).
"""

from __future__ import annotations

import asyncio
import json
import os
from http import HTTPStatus
from typing import Any, Dict, Tuple

import nango

INTEGRATION = "zendesk"
HOST = os.environ.get("NANGO_HOST") or None
client = nango.AsyncNango(
    os.environ["NANGO_SECRET_KEY"],
    host=HOST,
    webhook_signing_key=os.environ["NANGO_WEBHOOK_SIGNING_KEY"],
)

# Your database, in memory here: the tickets, and where each connection x model stopped reading.
tickets: Dict[str, Dict[str, Any]] = {}
checkpoints: Dict[str, str] = {}
# One pull at a time, so a checkpoint only ever moves forward.
store_lock = asyncio.Lock()


def log(line: str) -> None:
    print(line, flush=True)


async def on_webhook(raw_body: bytes, headers: Dict[str, str]) -> int:
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
    async with store_lock:
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
        async for record in records:
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


async def route(method: str, path: str, body: bytes, headers: Dict[str, str]) -> Tuple[int, Any]:
    if (method, path) == ("POST", "/webhook"):
        return await on_webhook(body, headers), {"ok": True}
    data: Dict[str, Any] = json.loads(body) if body else {}
    if (method, path) == ("POST", "/session"):
        # In your app the end user is whoever is logged in.
        session = await client.create_connect_session(
            end_user={"id": data.get("userId", "demo-user")}, allowed_integrations=[INTEGRATION]
        )
        return 200, {"token": session["data"]["token"], "host": HOST}
    if (method, path) == ("POST", "/tickets"):
        connection_id = data["connectionId"]
        ticket = await client.trigger_action(INTEGRATION, connection_id, "create-ticket", {"title": data["title"]})
        # Nango syncs on its schedule; ask for a run now so the new ticket comes back by webhook soon.
        await client.trigger_sync(INTEGRATION, ["tickets"], connection_id)
        return 201, ticket
    if (method, path) == ("GET", "/tickets"):
        return 200, {"tickets": list(tickets.values())}
    return 404, {"error": "not found"}


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """One request per connection: request line, headers, a Content-Length body."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    method, target, _version = head[0].split(" ", 2)
    headers = {name.strip().lower(): value.strip() for name, _, value in (h.partition(":") for h in head[1:] if h)}
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    try:
        status, payload = await route(method, target.split("?")[0], body, headers)
    except nango.NangoError as err:
        # A 5xx on /webhook makes Nango retry the delivery later.
        log(f"{method} {target} failed: {err.code}")
        status, payload = 500, {"error": err.code}
    out = json.dumps(payload).encode()
    writer.write(
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(out)}\r\nConnection: close\r\n\r\n".encode()
        + out
    )
    await writer.drain()
    writer.close()


async def main() -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", int(os.environ.get("PORT", "3000")))
    log(f"listening on http://127.0.0.1:{server.sockets[0].getsockname()[1]}")
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
