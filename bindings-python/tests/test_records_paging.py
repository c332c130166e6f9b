"""Paging to the end: 10,000 records under injected 429/503/dropped connections, each seen exactly
once; checkpoints; cancellation of an `async for`; threads sharing one client."""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Dict, Iterator, List

import pytest

import nango
from conftest import Emulator, start_emulator, stop_emulator

PCK = "zendesk"
CONN = "conn-1"
TOTAL = 10_000

CONFIG: Dict[str, Any] = {
    "connections": [{"connection_id": CONN, "provider_config_key": PCK}],
    "integrations": [
        {
            "unique_key": PCK,
            "provider": "zendesk",
            "models": [{"name": "Ticket", "seed_count": TOTAL, "record_size": 200}],
            "syncs": [{"name": "tickets", "models": ["Ticket"], "frequency": "every 5 minutes", "auto_start": True}],
            "actions": [{"name": "echo", "kind": "echo"}],
        }
    ],
}


@pytest.fixture(scope="module")
def big() -> Iterator[Emulator]:
    running = start_emulator(CONFIG)
    try:
        yield running
    finally:
        stop_emulator(running)


#: Groups of two consecutive failures (the client's default is two retries): a 429 and a 503, a
#: dropped connection and a 429, a truncated body and a 503.
FAULT_GROUPS = [
    [
        {"path": "/records", "kind": "status", "status": 429, "retry_after": 0},
        {"path": "/records", "kind": "status", "status": 503},
    ],
    [
        {"path": "/records", "kind": "drop"},
        {"path": "/records", "kind": "status", "status": 429, "retry_after": 0},
    ],
    [
        {"path": "/records", "kind": "truncate"},
        {"path": "/records", "kind": "status", "status": 503},
    ],
]


def inject_faults(emulator: Emulator, group: int) -> None:
    emulator.admin("POST", "/faults", FAULT_GROUPS[group])


def faults_left(emulator: Emulator) -> int:
    return len(emulator.admin("GET", "/faults")["faults"])


def test_sync_iterator_sees_every_record_once_under_faults(big: Emulator) -> None:
    client = big.client()
    inject_faults(big, 0)
    seen: List[str] = []
    # 20 pages; the reader stays at most a few pages ahead, so the later faults still land.
    iterator = client.records(PCK, CONN, "Ticket", limit=500)
    for i, record in enumerate(iterator):
        seen.append(record["id"])
        # More faults mid-walk, while the next page is being read ahead.
        if i == 3_500:
            inject_faults(big, 1)
        if i == 6_500:
            inject_faults(big, 2)
    assert faults_left(big) == 0  # every injected fault was hit
    assert len(seen) == TOTAL
    assert len(set(seen)) == TOTAL
    assert iterator.cursor is not None
    # Resuming from the checkpoint yields nothing new.
    assert list(client.records(PCK, CONN, "Ticket", cursor=iterator.cursor)) == []


def test_async_iterator_sees_every_record_once_under_faults(big: Emulator) -> None:
    async def run() -> List[str]:
        client = big.async_client()
        inject_faults(big, 0)
        seen: List[str] = []
        async for record in client.records(PCK, CONN, "Ticket", limit=500):
            seen.append(record["id"])
            if len(seen) == 3_500:
                inject_faults(big, 1)
            if len(seen) == 6_500:
                inject_faults(big, 2)
        return seen

    seen = asyncio.run(run())
    assert faults_left(big) == 0
    assert len(seen) == TOTAL and len(set(seen)) == TOTAL


def test_checkpoint_resume_mid_page(big: Emulator) -> None:
    client = big.client()
    first = client.records(PCK, CONN, "Ticket", limit=300)
    head = [next(first)["id"] for _ in range(450)]
    checkpoint = first.cursor
    first.close()
    assert list(first) == []  # closed
    rest = [r["id"] for r in client.records(PCK, CONN, "Ticket", cursor=checkpoint, limit=1000)]
    assert len(head) + len(rest) == TOTAL
    assert set(head).isdisjoint(rest)


def test_error_mid_walk_is_raised_and_iteration_can_continue(big: Emulator) -> None:
    client = big.client(max_retries=0)
    iterator = client.records(PCK, CONN, "Ticket", limit=2000)
    seen = [next(iterator)["id"]]
    # Make the read-ahead of the NEXT page fail (it may already be in flight: fail several).
    big.admin("POST", "/faults", {"path": "/records", "kind": "status", "status": 503, "count": 3})
    failures = 0
    while True:
        try:
            record = next(iterator)
        except StopIteration:
            break
        except nango.NangoError as err:
            assert err.code == "server_error" and err.status == 503
            failures += 1
            assert failures <= 3
            continue
        seen.append(record["id"])
    assert failures >= 1
    assert len(seen) == TOTAL and len(set(seen)) == TOTAL


def test_cancelling_async_for(big: Emulator) -> None:
    async def run() -> None:
        client = big.async_client()
        iterator = client.records(PCK, CONN, "Ticket", limit=100)
        got: List[str] = []

        async def consume() -> None:
            async for record in iterator:
                got.append(record["id"])
                if len(got) == 150:
                    # Slow the next page down so the cancel lands while awaiting it.
                    big.admin("POST", "/faults", {"path": "/records", "kind": "delay", "ms": 3000})
                    await asyncio.sleep(0)

        task = asyncio.create_task(consume())
        while len(got) < 150:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The iterator stays usable after the cancelled await: the rest arrives exactly once.
        async for record in iterator:
            got.append(record["id"])
        assert len(got) == TOTAL and len(set(got)) == TOTAL
        await iterator.aclose()

    asyncio.run(asyncio.wait_for(run(), timeout=120))


def test_threads_share_one_client(big: Emulator) -> None:
    client = big.client()
    errors: List[BaseException] = []
    counts: Dict[int, int] = {}

    def work(n: int) -> None:
        try:
            for i in range(20):
                assert client.trigger_action(PCK, CONN, "echo", {"t": n, "i": i}) == {"t": n, "i": i}
            counts[n] = sum(1 for _ in client.records(PCK, CONN, "Ticket", limit=2500))
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert counts == {n: TOTAL for n in range(8)}


def test_one_iterator_shared_between_threads(big: Emulator) -> None:
    iterator = big.client().records(PCK, CONN, "Ticket", limit=500)
    seen: List[str] = []
    lock = threading.Lock()

    def drain() -> None:
        for record in iterator:
            with lock:
                seen.append(record["id"])

    threads = [threading.Thread(target=drain) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == TOTAL and len(set(seen)) == TOTAL
