"""concurrent-consumers: see rust/src/scenarios/concurrent_consumers.rs. Here the consumers are
asyncio tasks awaiting `__anext__` on ONE `AsyncNango.records()` iterator, so their calls overlap
for real (a call is made while another still waits for its page)."""

import asyncio
import itertools
from typing import Any, Dict, List, Tuple

import nango
from support import CONNECTION, INTEGRATION, PARAMS, Emulator, Tally, ensure, fault_plan, summary, walk


def test_concurrent_consumers(emu: Emulator, tally: Tally) -> None:
    p = PARAMS["concurrent"]
    expected = [r["id"] for r in walk(emu.client(), model=p["model"], limit=p["page_size"]).records]
    ensure(len(set(expected)) == p["records"], f"reference walk gave {len(expected)} records")

    plan = fault_plan(PARAMS["seed"] + 3, p["fault_slots"], "GET", "/records", p["slow_ms"], p["retry_after_secs"])
    emu.add_faults([s["rule"] for s in plan])
    # (ticket, id): the ticket is taken when the call is made, so sorting by it is call order.
    got: List[Tuple[int, str]] = []
    per_consumer: List[List[str]] = [[] for _ in range(p["consumers"])]
    errors: List[str] = []
    tickets = itertools.count()

    async def main() -> Any:
        client = emu.async_client()
        it = client.records(INTEGRATION, CONNECTION, p["model"], limit=p["page_size"])

        async def consume(index: int) -> None:
            while True:
                ticket = next(tickets)
                try:
                    record: Dict[str, Any] = await it.__anext__()
                except StopAsyncIteration:
                    return
                except nango.NangoError as err:  # a fault outlasted the retries; the walk goes on
                    errors.append(err.code)
                    ensure(len(errors) <= 200, f"walk stuck: {len(errors)} errors")
                    continue
                got.append((ticket, record["id"]))
                per_consumer[index].append(record["id"])

        await asyncio.gather(*(consume(i) for i in range(p["consumers"])))
        return it.cursor

    checkpoint = asyncio.run(main())
    emu.admin("DELETE", "/faults")
    tally.records = len(got)
    tally.faults = sum(1 for s in plan[: p["fault_slots"] - emu.faults_left()] if s["label"] != "pass")
    tally.notes.append(f"{p['consumers']} consumers, shares {[len(c) for c in per_consumer]}")
    tally.notes.append(f"errors surfaced: {summary(errors)}")

    in_call_order = [record_id for _, record_id in sorted(got)]
    ensure(len(set(in_call_order)) == len(in_call_order), "a record was delivered twice")
    ensure(len(in_call_order) == len(expected), f"delivered {len(in_call_order)} of {len(expected)} records")
    ensure(in_call_order == expected, "records in call order differ from a sequential walk's order")
    ensure(sum(1 for c in per_consumer if c) > 1, "the calls never overlapped: one consumer took everything")
    rest = walk(emu.client(), model=p["model"], limit=p["page_size"], cursor=checkpoint)
    ensure(not rest.records, f"resuming from the final checkpoint gave {len(rest.records)} records")
