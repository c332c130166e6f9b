"""paging-under-faults: see rust/src/scenarios/paging_under_faults.rs (same plan, same checks)."""

from support import PARAMS, Emulator, Tally, ensure, fault_plan, order_violations, summary, walk


def test_paging_under_faults(emu: Emulator, tally: Tally) -> None:
    p = PARAMS["paging"]
    plan = fault_plan(PARAMS["seed"], p["fault_slots"], "GET", "/records", p["slow_ms"], p["retry_after_secs"])
    emu.add_faults([s["rule"] for s in plan])
    client = emu.client()
    result = walk(client, model=p["model"], limit=p["page_size"])

    left = emu.faults_left()
    emu.admin("DELETE", "/faults")
    consumed = [s for s in plan[: p["fault_slots"] - left] if s["label"] != "pass"]
    tally.faults = len(consumed)
    by_kind: dict = {}
    for s in consumed:
        by_kind[s["label"]] = by_kind.get(s["label"], 0) + 1
    tally.notes.append(f"seed {PARAMS['seed']} faults {dict(sorted(by_kind.items()))}")
    tally.notes.append(f"errors surfaced: {summary(result.errors)}")
    tally.records = len(result.records)

    counts: dict = {}
    for r in result.records:
        counts[r["id"]] = counts.get(r["id"], 0) + 1
    dupes = sum(1 for c in counts.values() if c > 1)
    ensure(dupes == 0, f"{dupes} ids delivered more than once")
    missing = sum(1 for n in range(1, p["records"] + 1) if str(n) not in counts)
    ensure(missing == 0, f"{missing} of {p['records']} ids never delivered")
    ensure(len(result.records) == p["records"], f"delivered {len(result.records)}, expected {p['records']}")
    disorder = order_violations(result.records)
    ensure(disorder == 0, f"{disorder} cursors not strictly increasing")
    last = result.records[-1]["cursor"] if result.records else None
    ensure(result.checkpoint == last, f"checkpoint {result.checkpoint} is not the last record's cursor {last}")
    for kind in ("429", "503", "drop", "truncate", "slow"):
        ensure(kind in by_kind, f"no {kind} fault was reached: raise fault_slots or change the seed")
    resumed = walk(client, model=p["model"], limit=p["page_size"], cursor=last)
    ensure(
        not resumed.records and not resumed.errors,
        f"resuming from the final checkpoint gave {len(resumed.records)} records, {len(resumed.errors)} errors",
    )
