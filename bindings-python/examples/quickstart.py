"""Quickstart: read every record of a model, keep the checkpoint, call an action, and verify a
webhook. Run against a Nango host (or the local emulator):

    NANGO_SECRET_KEY=... NANGO_HOST=http://127.0.0.1:3003 python quickstart.py zendesk conn-1 Ticket
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Optional

import nango
from nango.types import WebhookPayload


def sync_walk(client: nango.Nango, integration: str, connection: str, model: str) -> Optional[str]:
    count = 0
    records = client.records(integration, connection, model, limit=1000)
    for record in records:
        count += 1
        _ = record["id"]
    print(f"{count} records; checkpoint {records.cursor!r}")
    return records.cursor


async def async_walk(client: nango.AsyncNango, integration: str, connection: str, model: str) -> int:
    count = 0
    async for _record in client.records(integration, connection, model, limit=1000):
        count += 1
    return count


def handle_webhook(client: nango.Nango, raw_body: bytes, headers: dict[str, str]) -> None:
    try:
        payload: WebhookPayload = client.parse_webhook(raw_body, headers)
    except nango.WebhookVerificationError as err:
        print("rejected webhook:", err.code)
        return
    if payload["type"] == "sync":
        print("sync finished for", payload["connectionId"], payload.get("responseResults"))
    elif payload["type"] == "unknown":
        print("ignoring an unknown webhook")


def main() -> int:
    integration, connection, model = (sys.argv[1:4] + ["zendesk", "conn-1", "Ticket"][len(sys.argv[1:4]) :])
    key = os.environ["NANGO_SECRET_KEY"]
    host = os.environ.get("NANGO_HOST", "https://api.nango.dev")
    client = nango.Nango(key, host=host, timeout=30, max_retries=3)
    checkpoint = sync_walk(client, integration, connection, model)
    try:
        client.list_records(integration, connection, model, cursor=checkpoint)
    except nango.RateLimitError as err:
        print("rate limited; retry after", err.retry_after)
    except nango.NangoError as err:
        print("failed:", err.code, err.status)
        return 1
    echoed = client.trigger_action(integration, connection, "echo", {"hello": "world"})
    print("action answered", echoed)
    handle_webhook(client, b'{"type":"sync"}', {"X-Nango-Hmac-Sha256": "00"})
    total = asyncio.run(async_walk(nango.AsyncNango(key, host=host), integration, connection, model))
    print(f"async walk saw {total} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
