"""One record walk for `make bench-wan` (bindings-node/bench/wan.mjs), in its own process.

    python wan_worker.py <variant> <url> <secret key> <limit|default>

variant: ``records`` (nango-rs ``records()``), ``list_records`` (nango-rs, the drop-in page loop)
or ``httpx+orjson`` (the loop a user writes by hand; httpx offers gzip like every peer). Prints
one JSON line for the second of two walks (the first warms connections and the server).
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any, Dict, Optional

PCK, CONN, MODEL = "zendesk", "conn-1", "Ticket"


def walk(variant: str, url: str, key: str, limit: Optional[int]) -> int:
    extra: Dict[str, Any] = {} if limit is None else {"limit": limit}
    if variant == "records":
        import nango

        return sum(1 for r in nango.Nango(key, host=url).records(PCK, CONN, MODEL, **extra) if r["id"])
    if variant == "list_records":
        import nango

        client = nango.Nango(key, host=url)
        count, cursor = 0, None
        while True:
            page = client.list_records(PCK, CONN, MODEL, cursor=cursor, **extra)
            count += sum(1 for r in page["records"] if r["id"])
            cursor = page["next_cursor"]
            if not cursor:
                return count
    if variant == "httpx+orjson":
        import httpx
        import orjson

        headers = {"Authorization": f"Bearer {key}", "Connection-Id": CONN, "Provider-Config-Key": PCK}
        count, cursor = 0, None
        with httpx.Client(timeout=120) as http:
            while True:
                params = {"model": MODEL, **{k: str(v) for k, v in extra.items()}}
                if cursor:
                    params["cursor"] = cursor
                response = http.get(url + "/records/", params=params, headers=headers)
                response.raise_for_status()
                body = orjson.loads(response.content)
                count += sum(1 for r in body["records"] if r["id"])
                cursor = body["next_cursor"]
                if not cursor:
                    return count
    raise SystemExit(f"unknown variant {variant}")


def main() -> None:
    variant, url, key, limit_arg = sys.argv[1:5]
    limit = None if limit_arg == "default" else int(limit_arg)
    for _ in range(2):
        started = time.perf_counter()
        count = walk(variant, url, key, limit)
        seconds = time.perf_counter() - started
    print(json.dumps({"count": count, "seconds": seconds, "recordsPerSecond": count / seconds}))


if __name__ == "__main__":
    main()
