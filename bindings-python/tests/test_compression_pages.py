"""Compressed pages, big default pages and short pages, against the emulator.

- ``records()`` walks a compressing emulator; its counters show the pages went out zstd-encoded
  and several times smaller than the records they carried.
- With no ``limit``, ``records()`` asks for core's large page size and ``list_records`` for none
  (the server's default, as in the official SDK).
- A byte budget per page makes the emulator answer fewer records than ``limit`` with a
  ``next_cursor``: the sync and async iterators and a ``list_records`` loop each see every record
  once, in order.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, Iterator, List, Optional, Tuple
from urllib.parse import parse_qs

import pytest

from conftest import Emulator, start_emulator, stop_emulator

PCK = "zendesk"
CONN = "conn-1"
TOTAL = 2_500
#: Room for a few ~700-byte records a page.
BUDGET = 3_000


def config(seed: int, record_size: int, **extra: Any) -> Dict[str, Any]:
    return {
        "connections": [{"connection_id": CONN, "provider_config_key": PCK}],
        "integrations": [
            {
                "unique_key": PCK,
                "provider": "zendesk",
                "models": [{"name": "Ticket", "seed_count": seed, "record_size": record_size}],
                "syncs": [
                    {"name": "tickets", "models": ["Ticket"], "frequency": "every 5 minutes", "auto_start": True}
                ],
                "actions": [],
            }
        ],
        **extra,
    }


@pytest.fixture(scope="module")
def compressing() -> Iterator[Emulator]:
    running = start_emulator(config(TOTAL, 512))
    try:
        yield running
    finally:
        stop_emulator(running)


@pytest.fixture(scope="module")
def budgeted() -> Iterator[Emulator]:
    running = start_emulator(config(300, 600, records_max_response_bytes=BUDGET))
    try:
        yield running
    finally:
        stop_emulator(running)


def records_requests(emulator: Emulator) -> List[Tuple[Optional[str], Optional[str]]]:
    """``(limit, accept-encoding)`` of each logged ``GET /records/``, in order."""
    out = []
    for request in emulator.admin("GET", "/requests")["requests"]:
        if request["path"] != "/records/":
            continue
        limit = parse_qs(request["query"] or "").get("limit", [None])[0]
        out.append((limit, request["headers"].get("accept-encoding")))
    return out


def test_records_reads_compressed_pages_of_1000_when_no_limit_is_given(compressing: Emulator) -> None:
    compressing.admin("DELETE", "/counters")
    compressing.admin("DELETE", "/requests")
    seen = set()
    json_bytes = 0
    for record in compressing.client().records(PCK, CONN, "Ticket"):
        assert record["id"] not in seen
        seen.add(record["id"])
        json_bytes += len(json.dumps(record, separators=(",", ":"), ensure_ascii=False).encode())
    assert len(seen) == TOTAL

    assert records_requests(compressing) == [("1000", "gzip, br, zstd")] * 3
    counters = compressing.admin("GET", "/counters")
    # Every page went out zstd-encoded (the emulator's choice among what we offered) ...
    assert counters["response_encodings"] == {"zstd": 3}
    # ... and the bytes on the wire were a fraction of the records' JSON.
    assert counters["response_bytes"] * 4 < json_bytes, (counters["response_bytes"], json_bytes)


def test_async_records_also_uses_big_compressed_pages(compressing: Emulator) -> None:
    compressing.admin("DELETE", "/counters")
    compressing.admin("DELETE", "/requests")

    async def walk() -> int:
        count = 0
        async for _ in compressing.async_client().records(PCK, CONN, "Ticket"):
            count += 1
        return count

    assert asyncio.run(walk()) == TOTAL
    assert records_requests(compressing) == [("1000", "gzip, br, zstd")] * 3
    assert compressing.admin("GET", "/counters")["response_encodings"] == {"zstd": 3}


def test_list_records_keeps_the_server_default_page_size(compressing: Emulator) -> None:
    compressing.admin("DELETE", "/requests")
    # Without read-ahead, so that the page asked for is the only GET (test_read_ahead.py).
    page = compressing.client(read_ahead=False).list_records(PCK, CONN, "Ticket")
    assert len(page["records"]) == 100
    assert isinstance(page["next_cursor"], str)
    assert records_requests(compressing) == [(None, "gzip, br, zstd")]


def list_records_loop(emulator: Emulator, limit: int) -> Tuple[List[str], List[int]]:
    client = emulator.client()
    ids: List[str] = []
    sizes: List[int] = []
    cursor: Optional[str] = None
    while True:
        page = client.list_records(PCK, CONN, "Ticket", limit=limit, cursor=cursor)
        ids.extend(record["id"] for record in page["records"])
        sizes.append(len(page["records"]))
        cursor = page["next_cursor"]
        if cursor is None:
            return ids, sizes


def test_short_pages_with_a_next_cursor_lose_and_repeat_nothing(budgeted: Emulator) -> None:
    expected, _ = list_records_loop(budgeted, 10_000)
    assert len(expected) == len(set(expected)) == 300

    # The budget, not the limit, cut these pages: a handful of records each, cursor set.
    _, sizes = list_records_loop(budgeted, 100)
    assert len(sizes) >= 300 // 5, sizes
    assert all(0 < n < 100 for n in sizes[:-1]), sizes

    iterator = budgeted.client().records(PCK, CONN, "Ticket")
    assert [record["id"] for record in iterator] == expected
    assert isinstance(iterator.cursor, str)

    async def walk() -> List[str]:
        return [record["id"] async for record in budgeted.async_client().records(PCK, CONN, "Ticket")]

    assert asyncio.run(walk()) == expected
