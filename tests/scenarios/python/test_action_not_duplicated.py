"""action-not-duplicated: see rust/src/scenarios/action_not_duplicated.rs."""

import time
from typing import Any, Dict, Optional

import nango
from support import CONNECTION, INTEGRATION, PARAMS, Emulator, Mulberry32, Tally, ensure

ACTION = "echo"


def rule(kind: str, ms: int) -> Optional[Dict[str, Any]]:
    base: Dict[str, Any] = {"method": "POST", "path": "/action/trigger", "count": 1}
    if kind == "429":
        return {**base, "kind": "status", "status": 429, "retry_after": 1}
    if kind in ("500", "502", "503", "504"):
        return {**base, "kind": "status", "status": int(kind)}
    if kind in ("drop", "truncate"):
        return {**base, "kind": kind}
    if kind == "slow":
        return {**base, "kind": "delay", "ms": ms}
    return None


def test_action_not_duplicated(emu: Emulator, tally: Tally) -> None:
    timeout_ms = PARAMS["timeouts"]["timeout_ms"]
    hang_ms = timeout_ms * 4
    client = emu.client(timeout=timeout_ms / 1000)
    cases = [(kind, is_async) for is_async in (False, True)
             for kind in ("none", "429", "500", "502", "503", "504", "drop", "truncate", "slow")]
    rng = Mulberry32(PARAMS["seed"] + 2)
    kinds = ["none", "429", "503", "drop", "truncate", "slow"]
    for _ in range(PARAMS["actions"]["random_calls"]):
        kind = kinds[rng.below(len(kinds))]
        cases.append((kind, rng.below(2) == 1))
    seen = []
    for n, (kind, is_async) in enumerate(cases):
        emu.admin("DELETE", "/counters")
        r = rule(kind, hang_ms)
        if r:
            emu.add_faults([r])
        ok, label = True, "ok"
        try:
            if is_async:
                client.trigger_action_async(INTEGRATION, CONNECTION, ACTION, {"n": n})
            else:
                client.trigger_action(INTEGRATION, CONNECTION, ACTION, {"n": n})
        except nango.NangoError as err:
            ok, label = False, err.code
        emu.wait_faults_consumed()
        if kind == "slow":
            time.sleep((hang_ms + 200) / 1000)
        if is_async:
            time.sleep(0.1)
        count = emu.action_count(ACTION)
        tally.inputs += 1
        if kind != "none":
            tally.faults += 1
        seen.append(f"{'async:' if is_async else ''}{kind}->{label}/{count}")
        ensure(count <= 1, f"{kind} (async={is_async}): the action ran {count} times")
        ensure(not ok or count == 1, f"{kind} (async={is_async}): succeeded but ran {count} times")
        if kind == "truncate" and not is_async:
            ensure(not ok and count == 1, f"truncate: expected one execution and an error, got ok={ok} count={count}")
        if kind in ("none", "429"):
            ensure(ok, f"{kind} (async={is_async}) should succeed, got {label}")
    tally.notes.append(" ".join(seen))
