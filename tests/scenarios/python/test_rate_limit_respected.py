"""rate-limit-respected: see rust/src/scenarios/rate_limit_respected.rs."""

import math
import time

from support import CONNECTION, INTEGRATION, PARAMS, Emulator, Tally, ensure


def test_rate_limit_respected(emu: Emulator, tally: Tally) -> None:
    p = PARAMS["rate_limit"]
    client = emu.client()
    emu.admin("DELETE", "/counters")
    emu.admin("PUT", "/rate-limit", {"limit": p["limit"], "window_secs": p["window_secs"]})
    started = time.monotonic()
    ids = set()
    delivered = 0
    pages = 0
    cursor = None
    # Page by page with list_records, so that pages are counted exactly.
    while True:
        page = client.list_records(INTEGRATION, CONNECTION, p["model"], limit=p["page_size"], cursor=cursor)
        pages += 1
        for r in page["records"]:
            delivered += 1
            ids.add(r["id"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    elapsed = time.monotonic() - started
    emu.admin("DELETE", "/rate-limit")
    sent = emu.counters()["requests"].get("GET /records/", 0)
    refused = sent - pages
    windows = math.ceil(elapsed / p["window_secs"]) + 1
    tally.records = delivered
    tally.faults = refused
    tally.notes.append(f"{pages} pages, {refused} refused (429) over {windows} windows of {p['window_secs']}s at {p['limit']}/window")
    ensure(delivered == p["records"] and len(ids) == p["records"], f"delivered {delivered} ({len(ids)} distinct) of {p['records']}")
    ensure(refused > 0, "the limiter never refused a request: the scenario proved nothing")
    ensure(refused <= windows, f"{refused} refused requests in {windows} windows: the client retried before Retry-After")
