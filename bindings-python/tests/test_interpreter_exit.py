"""Exiting the interpreter while the runtime's threads still deliver asyncio results.

A result is delivered by a runtime thread that attaches to Python and wakes the event loop; the
main thread can finish and start finalizing before that thread has let go of Python, and
CPython then kills the thread mid-call (SIGSEGV, SIGABRT, "PyGILState_Release: thread state
... must be current"). Before the exit gate (src/exit_gate.rs) the `gather` and `walk` scripts
below died in roughly a quarter of the runs on the 2-core dev machine, so each runs many times
in fresh interpreters; a run that crashes, hangs or prints a fatal error fails the test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

from conftest import Emulator

SCRIPT = r'''
import asyncio, os, sys
import nango

mode = sys.argv[1]
key, host = os.environ["NANGO_SECRET_KEY"], os.environ["NANGO_HOST"]

async def one(client):
    return await client.list_records("zendesk", "conn-1", "Ticket", limit=5)

async def main():
    client = nango.AsyncNango(key, host=host)
    if mode == "gather":
        # Many results delivered at once; the script exits right after the last one.
        await asyncio.gather(*(one(client) for _ in range(40)))
    elif mode == "walk":
        # The end of an `async for`, then exit; plus a page left in flight.
        async for _ in client.records("zendesk", "conn-1", "Ticket", limit=10):
            pass
        it = client.records("zendesk", "conn-1", "Ticket", limit=1)
        await it.__anext__()
        asyncio.ensure_future(it.__anext__())
    elif mode == "cancel":
        # asyncio.run cancels these on return; each cancellation is answered from the runtime.
        for _ in range(40):
            asyncio.ensure_future(one(client))
        await asyncio.sleep(0.001)

asyncio.run(main())
if mode == "sync":
    # A sync walk abandoned mid-way with a page being read ahead.
    it = nango.Nango(key, host=host).records("zendesk", "conn-1", "Ticket", limit=1)
    next(it)
print("clean exit")
sys.exit(0)
'''

#: Runs per mode: enough that the old crash rate (about 1 in 4) cannot slip through.
RUNS: Dict[str, int] = {"gather": 16, "walk": 16, "cancel": 6, "sync": 6}
#: Interpreters started at once: the crash needs the main thread to race a runtime thread,
#: which a little CPU contention makes more likely.
BATCH = 3


def run_batch(script: Path, mode: str, count: int, env: Dict[str, str]) -> List[str]:
    """Starts `count` interpreters, waits for all, returns a description of each bad exit."""
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), mode],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(count)
    ]
    bad = []
    for proc in procs:
        try:
            out, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            bad.append(f"{mode}: hung at exit; stderr: {err[-500:]}")
            continue
        if proc.returncode != 0 or "clean exit" not in out or "Fatal Python error" in err:
            bad.append(f"{mode}: exit status {proc.returncode}; stderr: {err[-500:]}")
    return bad


@pytest.mark.parametrize("mode", sorted(RUNS))
def test_exit_with_runtime_threads_delivering(emulator: Emulator, tmp_path: Path, mode: str) -> None:
    script = tmp_path / "exit_script.py"
    script.write_text(SCRIPT)
    env = dict(os.environ, NANGO_SECRET_KEY=emulator.secret_key, NANGO_HOST=emulator.url)
    bad: List[str] = []
    left = RUNS[mode]
    while left > 0:
        count = min(BATCH, left)
        bad += run_batch(script, mode, count, env)
        left -= count
    assert not bad, "\n".join(bad)


def test_asyncio_call_after_the_exit_hook_fails_instead_of_hanging(
    emulator: Emulator, tmp_path: Path
) -> None:
    # An atexit hook registered before `import nango` runs after nango's own hook (atexit is
    # last-in, first-out), when results can no longer be delivered: the call must raise.
    script = tmp_path / "late_hook.py"
    script.write_text(
        r'''
import asyncio, atexit, os

def late():
    import nango
    client = nango.AsyncNango(os.environ["NANGO_SECRET_KEY"], host=os.environ["NANGO_HOST"])
    async def call():
        return await client.list_records("zendesk", "conn-1", "Ticket", limit=1)
    try:
        asyncio.run(call())
    except RuntimeError as err:
        print("refused:", err)

atexit.register(late)
import nango  # registers nango's hook after `late`, so it runs first
'''
    )
    env = dict(os.environ, NANGO_SECRET_KEY=emulator.secret_key, NANGO_HOST=emulator.url)
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "refused: the interpreter is shutting down" in result.stdout
