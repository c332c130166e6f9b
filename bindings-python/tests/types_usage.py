"""Type-checked, not run: `mypy --strict` (make test-python) reads this file to show how the
generated TypedDicts of ``nango.types`` are used. They are ``total=False`` and open: a key they
name reads with ``[]``; a key they do not name (the server added it after this version) reads
with ``.get()``, typed ``object``, or through a cast to ``Dict[str, Any]``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, cast

import nango
from nango.types import Connection, ConnectionSummary, Integration, SyncStatus


def connection_fields(client: nango.Nango) -> List[Optional[str]]:
    conn: Connection = client.get_connection("github", "conn-1")
    created: str = conn["created_at"]
    updated: str = conn["updated_at"]
    fetched: Optional[str] = conn["last_fetched_at"]
    log_ids = [error["log_id"] for error in conn["errors"]]
    end_user = conn.get("end_user")
    email = end_user.get("email") if end_user is not None else None
    tags: Dict[str, str] = conn["tags"]
    return [created, updated, fetched, email, *log_ids, *tags.values()]


def unknown_key(conn: Connection) -> str:
    # The documented escape: a key this version does not name.
    value: object = conn.get("a_key_added_later")
    text = value if isinstance(value, str) else ""
    # Or read it as plain JSON.
    raw: Any = cast(Dict[str, Any], conn)["another_key"]
    return text + str(raw)


async def summaries(client: nango.AsyncNango) -> List[str]:
    listed = await client.list_connections()
    entries: List[ConnectionSummary] = listed["connections"]
    return [entry["created"] for entry in entries]


def integration_and_syncs(client: nango.Nango) -> List[str]:
    integrations: List[Integration] = client.list_integrations()["configs"]
    statuses: List[SyncStatus] = client.sync_status("github", "*", "conn-1")["syncs"]
    counts = [sum(status["recordCount"].values()) for status in statuses]
    return [i["unique_key"] for i in integrations] + [s["status"] for s in statuses] + [str(c) for c in counts]
