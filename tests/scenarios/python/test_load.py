"""load: see rust/src/scenarios/load.rs. One AsyncNango client, 200 concurrent `async for`
walks and 2,000 concurrent actions per round under asyncio.gather; gc before each sample."""

import asyncio
import gc

import nango
from support import CONNECTION, INTEGRATION, PARAMS, Emulator, Tally, ensure, sockets_to, fd_count, rss_kib


async def one_walk(client: nango.AsyncNango, model: str, limit: int) -> int:
    ids = set()
    n = 0
    async for r in client.records(INTEGRATION, CONNECTION, model, limit=limit):
        ids.add(r["id"])
        n += 1
    if len(ids) != n:
        raise AssertionError(f"walk delivered {n} records but {len(ids)} distinct")
    return n


async def one_action(client: nango.AsyncNango, round_no: int, i: int) -> None:
    out = await client.trigger_action(INTEGRATION, CONNECTION, "echo", {"round": round_no, "i": i})
    if out != {"round": round_no, "i": i}:
        raise AssertionError(f"action {i} echoed {out}")


def test_load(emu: Emulator, tally: Tally) -> None:
    p = PARAMS["load"]
    samples = []

    async def main() -> None:
        client = emu.async_client()
        for round_no in range(p["rounds"]):
            await asyncio.to_thread(emu.admin, "DELETE", "/counters")
            results = await asyncio.gather(
                *(one_walk(client, p["model"], p["page_size"]) for _ in range(p["walks"])),
                *(one_action(client, round_no, i) for i in range(p["actions"])),
                return_exceptions=True,
            )
            failures = [repr(r) for r in results if isinstance(r, BaseException)]
            ensure(not failures, f"round {round_no}: {len(failures)} failures, e.g. {failures[:3]}")
            short = [r for r in results[: p["walks"]] if r != p["records"]]
            ensure(not short, f"round {round_no}: {len(short)} walks delivered fewer than {p['records']}")
            ran = await asyncio.to_thread(emu.action_count, "echo")
            ensure(ran == p["actions"], f"round {round_no}: the emulator ran {ran} actions, expected {p['actions']}")
            tally.records += p["records"] * p["walks"]
            tally.inputs += p["actions"]
            gc.collect()
            samples.append((fd_count(), sockets_to(emu.port), rss_kib()))

    asyncio.run(main())
    first, last = samples[0], samples[-1]
    tally.notes.append(f"per round (fds, sockets to emulator, RSS KiB): {samples}")
    ensure(last[0] <= first[0] + p["fd_slack"], f"descriptors grew from {first[0]} to {last[0]} across rounds")
    ensure(last[1] <= first[1] + p["fd_slack"], f"connections to the emulator grew from {first[1]} to {last[1]} across rounds")
    limit = int(first[2] * (1 + p["rss_slack_ratio"])) + p["rss_slack_kib"]
    ensure(last[2] <= limit, f"RSS grew from {first[2]} KiB to {last[2]} KiB (limit {limit})")
