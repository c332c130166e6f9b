"""``list_records`` reads the next page ahead (core's ListRecordsReadAhead), against the emulator.

- A drop-in loop (sync and asyncio) sends one GET a page, and gets what a client without
  read-ahead gets.
- A page is as it was when read ahead; a record changed after that comes again, changed, later in
  the walk.
- A call with another model, connection, filter or limit never gets the page read ahead.
- A caller that stops after one page costs one extra GET; ``read_ahead=False`` costs none.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Dict, Iterator, List, Optional
from urllib.parse import parse_qs

import pytest

import nango
from conftest import Emulator, start_emulator, stop_emulator

PCK = "zendesk"
TOTAL = 250
ARGS: Dict[str, Any] = {"provider_config_key": PCK, "connection_id": "conn-1", "model": "Ticket", "limit": 100}


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    running = start_emulator(
        {
            "connections": [
                {"connection_id": "conn-1", "provider_config_key": PCK},
                {"connection_id": "conn-2", "provider_config_key": PCK},
            ],
            "integrations": [
                {
                    "unique_key": PCK,
                    "provider": "zendesk",
                    "models": [{"name": "Ticket", "seed_count": TOTAL, "record_size": 256}],
                    "syncs": [
                        {"name": "tickets", "models": ["Ticket"], "frequency": "every 5 minutes", "auto_start": True}
                    ],
                    "actions": [],
                }
            ],
        }
    )
    try:
        yield running
    finally:
        stop_emulator(running)


def gets(emu: Emulator) -> List[Optional[str]]:
    """The cursor of each logged ``GET /records/`` since the last reset (None: no cursor)."""
    requests = emu.admin("GET", "/requests")["requests"]
    return [
        parse_qs(r.get("query") or "").get("cursor", [None])[0] for r in requests if r["path"] == "/records/"
    ]


def wait_for_gets(emu: Emulator, n: int) -> None:
    for _ in range(200):
        if len(gets(emu)) >= n:
            return
        time.sleep(0.01)
    raise AssertionError(f"expected {n} GETs, saw {len(gets(emu))}")


def walk(client: nango.Nango, **args: Any) -> List[Dict[str, Any]]:
    records: List[Dict[str, Any]] = []
    cursor = args.pop("cursor", None)
    while True:
        page = client.list_records(**{**ARGS, **args}, cursor=cursor)
        records.extend(page["records"])
        cursor = page["next_cursor"]
        if cursor is None:
            return records


def test_a_drop_in_loop_sends_one_get_a_page(emu: Emulator) -> None:
    emu.admin("DELETE", "/requests")
    ours = walk(emu.client())
    time.sleep(0.2)
    sent = gets(emu)
    assert len(sent) == 3 and len(set(sent)) == 3, sent
    assert ours == walk(emu.client(read_ahead=False))


def test_the_async_loop_too(emu: Emulator) -> None:
    async def run() -> List[str]:
        client = emu.async_client()
        ids: List[str] = []
        cursor = None
        while True:
            page = await client.list_records(**ARGS, cursor=cursor)
            ids.extend(r["id"] for r in page["records"])
            cursor = page["next_cursor"]
            if cursor is None:
                return ids

    emu.admin("DELETE", "/requests")
    ids = asyncio.run(run())
    time.sleep(0.2)
    assert len(set(ids)) == TOTAL
    sent = gets(emu)
    assert len(sent) == 3 and len(set(sent)) == 3, sent


def test_a_page_is_as_it_was_when_read_ahead(emu: Emulator) -> None:
    client = emu.client()
    oracle = emu.client(read_ahead=False)
    emu.admin("DELETE", "/requests")
    first = client.list_records(**ARGS)
    wait_for_gets(emu, 2)
    as_fetched = oracle.list_records(**ARGS, cursor=first["next_cursor"])
    changed = [r["id"] for r in as_fetched["records"][:2]]
    emu.admin("POST", "/provider/mutate", {"integration": PCK, "model": "Ticket", "update_ids": changed})
    emu.admin("POST", "/sync/run", {"provider_config_key": PCK, "connection_id": "conn-1"})
    now = oracle.list_records(**ARGS, cursor=first["next_cursor"])
    assert [r["id"] for r in now["records"]] != [r["id"] for r in as_fetched["records"]]

    second = client.list_records(**ARGS, cursor=first["next_cursor"])
    assert second == as_fetched
    latest = {r["id"]: r for r in walk(client, cursor=second["next_cursor"])}
    for record_id in changed:
        assert latest[record_id]["_nango_metadata"]["last_action"] == "UPDATED"


@pytest.mark.parametrize(
    "change",
    [{"model": "Missing"}, {"connection_id": "conn-2"}, {"filter": "added"}, {"limit": 10}, {"cursor": "own"}],
)
def test_a_call_with_other_parameters_never_gets_the_page_read_ahead(emu: Emulator, change: Dict[str, Any]) -> None:
    client = emu.client()
    emu.admin("DELETE", "/requests")
    first = client.list_records(**ARGS)
    wait_for_gets(emu, 2)
    other = {**ARGS, "cursor": first["next_cursor"], **change}
    if change.get("cursor") == "own":
        other["cursor"] = first["records"][50]["_nango_metadata"]["cursor"]

    def outcome(c: nango.Nango) -> Any:
        try:
            return c.list_records(**other)
        except nango.NangoError as err:
            return ("failed", err.status)

    ours = outcome(client)
    assert gets(emu)[2] == other["cursor"], "its own GET"
    assert ours == outcome(emu.client(read_ahead=False))


def test_stopping_early_costs_one_get_and_off_costs_none(emu: Emulator) -> None:
    emu.admin("DELETE", "/requests")
    emu.client().list_records(**ARGS)
    time.sleep(0.3)
    assert len(gets(emu)) == 2

    emu.admin("DELETE", "/requests")
    walk(emu.client(read_ahead=False))
    time.sleep(0.2)
    assert len(gets(emu)) == 3


def test_max_in_flight_is_checked_by_core() -> None:
    for bad in (0, -1, 10_001):
        with pytest.raises(nango.NangoError) as caught:
            nango.Nango("k", max_in_flight=bad)
        assert caught.value.code == "invalid_argument"
    nango.Nango("k", max_in_flight=1, read_ahead=False)
