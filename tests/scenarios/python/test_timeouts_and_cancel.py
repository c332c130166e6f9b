"""timeouts-and-cancel: see rust/src/scenarios/timeouts_and_cancel.rs. Python's overall limit is
`asyncio.wait_for` around an AsyncNango call; cancelling the consuming task and `aclose()` (or
`close()` on the sync iterator) must free the walk's connection."""

import asyncio
import socket
import threading
import time
from typing import Any, Dict

import nango
from support import CONNECTION, INTEGRATION, PARAMS, Emulator, Tally, ensure, sockets_to, settle_connections


def hang(ms: int, count: int) -> Dict[str, Any]:
    return {"method": "GET", "path": "/records", "count": count, "kind": "delay", "ms": ms}


def test_timeouts_and_cancel(emu: Emulator, tally: Tally) -> None:
    t = PARAMS["timeouts"]
    hang_s = t["hang_ms"] / 1000
    kwargs = {"model": t["model"], "limit": 1000}

    # 1. Per-attempt timeout with retries.
    client = emu.client(timeout=t["timeout_ms"] / 1000, max_retries=2)
    emu.add_faults([hang(t["hang_ms"], 3)])
    started = time.monotonic()
    try:
        client.list_records(INTEGRATION, CONNECTION, **kwargs)
        raise AssertionError("a hung call succeeded")
    except nango.NangoError as err:
        took = time.monotonic() - started
        ensure(err.code == "timeout", f"hung call ended with {err.code} ({err})")
    ensure(took < hang_s, f"the call waited for the hung server ({took:.1f}s)")
    tally.inputs += 1
    tally.faults += 3
    tally.notes.append(f"timeout+retries: timeout in {took:.1f}s")
    emu.admin("DELETE", "/faults")

    # 2. An overall limit: asyncio.wait_for on the async client.
    async def limited() -> float:
        aclient = emu.async_client()
        emu.add_faults([hang(t["hang_ms"], 1)])
        began = time.monotonic()
        try:
            await asyncio.wait_for(aclient.list_records(INTEGRATION, CONNECTION, **kwargs), t["timeout_ms"] * 3 / 1000)
            raise AssertionError("a hung call succeeded")
        except asyncio.TimeoutError:
            pass
        return time.monotonic() - began

    took = asyncio.run(limited())
    ensure(took < hang_s, f"wait_for did not cancel the hung call ({took:.1f}s)")
    tally.inputs += 1
    tally.faults += 1
    emu.admin("DELETE", "/faults")

    # 3. A listener that accepts and never answers.
    mute = socket.socket()
    mute.bind(("127.0.0.1", 0))
    mute.listen()
    held = []
    stop = threading.Event()

    def accept() -> None:
        mute.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(mute.accept()[0])
            except OSError:
                continue

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    mute_client = nango.Nango(emu.secret_key, host=f"http://127.0.0.1:{mute.getsockname()[1]}", timeout=t["timeout_ms"] / 1000, max_retries=1)
    started = time.monotonic()
    try:
        mute_client.list_records(INTEGRATION, CONNECTION, **kwargs)
        raise AssertionError("a mute server answered")
    except nango.NangoError as err:
        ensure(err.code == "timeout", f"mute server: {err.code} ({err})")
    ensure(time.monotonic() - started < hang_s, "the call hung on a mute server")
    stop.set()
    acceptor.join()
    for s in held:
        s.close()
    mute.close()
    tally.inputs += 1

    # 4. Cancel the task awaiting a page, then aclose() the iterator.
    port = emu.port
    del client, mute_client
    baseline = settle_connections(port, 0, 40)

    async def cancel_walk() -> int:
        aclient = emu.async_client()
        emu.add_faults([hang(t["hang_ms"], 1)])
        it = aclient.records(INTEGRATION, CONNECTION, **kwargs)
        task = asyncio.ensure_future(it.__anext__())
        await asyncio.to_thread(emu.wait_faults_consumed)
        during = sockets_to(port)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        await it.aclose()
        return during

    during = asyncio.run(cancel_walk())
    after = settle_connections(port, baseline)
    tally.inputs += 1
    tally.faults += 1
    tally.notes.append(f"cancel while awaiting: sockets {baseline}->{during}->{after}")
    ensure(during > baseline, f"no connection was open during the hung page ({during})")
    ensure(after <= baseline, f"the cancelled walk still holds {after} connections (baseline {baseline})")

    # 5. Stop early while the read-ahead page hangs: close() the sync iterator.
    baseline = settle_connections(port, 0, 40)
    emu.add_faults([{"method": "GET", "path": "/records", "count": 1, "kind": "delay", "ms": 0}, hang(t["hang_ms"], 1)])
    sync_client = emu.client()
    it = sync_client.records(INTEGRATION, CONNECTION, **kwargs)
    for n, record in enumerate(it):
        ensure("id" in record, "a record without id")
        if n == 9:
            emu.wait_faults_consumed()
            break
    it.close()
    del it, sync_client
    after = settle_connections(port, baseline)
    tally.inputs += 1
    tally.faults += 1
    tally.notes.append(f"close during read-ahead: sockets {baseline}->{after}")
    ensure(after <= baseline, f"the closed walk still holds {after} connections (baseline {baseline})")
