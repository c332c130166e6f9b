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


def ids_of(records: List[Any]) -> List[str]:
    return [record["id"] for record in records]


@pytest.fixture(scope="module")
def serial_order(big: Emulator) -> List[str]:
    """The ids in the order one plain sequential walk returns them."""
    order = ids_of(list(big.client().records(PCK, CONN, "Ticket", limit=1000)))
    assert len(set(order)) == TOTAL
    return order


def test_overlapping_anext_calls_get_successive_records(
    big: Emulator, serial_order: List[str]
) -> None:
    """`gather(it.__anext__(), it.__anext__())` in a loop: every record once, in order, even when
    a call waits for a page while the other would find records buffered."""

    async def run() -> List[Any]:
        client = big.async_client()
        it = client.records(PCK, CONN, "Ticket", limit=10)
        seen: List[Any] = []
        while True:
            results = await asyncio.gather(
                it.__anext__(), it.__anext__(), it.__anext__(), return_exceptions=True
            )
            seen.extend(r for r in results if not isinstance(r, BaseException))
            ended = [r for r in results if isinstance(r, BaseException)]
            if ended:
                assert all(isinstance(r, StopAsyncIteration) for r in ended), ended
                # Once one call saw the end, the later ones of the same batch did too.
                assert results[len(results) - len(ended):] == ended
                return seen
            assert len(seen) <= TOTAL

    seen = asyncio.run(run())
    assert ids_of(seen) == serial_order


def test_anext_twice_without_awaiting_is_not_the_end(
    big: Emulator, serial_order: List[str]
) -> None:
    async def run() -> List[Any]:
        client = big.async_client()
        it = client.records(PCK, CONN, "Ticket", limit=7)
        first = it.__anext__()
        second = it.__anext__()  # must not raise StopAsyncIteration while the first waits
        return [await second, await first]

    second, first = asyncio.run(run())
    assert ids_of([first, second]) == serial_order[:2]


def test_overlapping_calls_checkpoint_never_passes_an_unseen_record(
    big: Emulator, serial_order: List[str]
) -> None:
    """After any batch of overlapping calls, resuming from `.cursor` yields exactly the records
    no call has returned yet."""

    async def run() -> None:
        client = big.async_client()
        it = client.records(PCK, CONN, "Ticket", limit=25)
        seen: List[Any] = []
        for _ in range(9):
            seen.extend(await asyncio.gather(*(it.__anext__() for _ in range(4))))
        cursor = it.cursor
        await it.aclose()
        rest = [r async for r in client.records(PCK, CONN, "Ticket", cursor=cursor, limit=1000)]
        assert ids_of(seen + rest) == serial_order

    asyncio.run(run())
