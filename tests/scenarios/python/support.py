"""Shared by the Python scenarios: the emulator process, its admin API, the seeded generator and
fault plan (bit-identical to rust/src/rng.rs and node/support.mjs), /proc probes, result lines."""

from __future__ import annotations

import base64
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import nango
import nango_emulator  # emulator/python (pytest.ini's pythonpath)

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
PARAMS: Dict[str, Any] = json.loads((HERE.parent / "params.json").read_text())
CONFIG = HERE.parent / "emulator.json"
BIN = os.environ.get(
    "NANGO_EMULATOR_BIN", str(REPO / "target" / "x86_64-unknown-linux-gnu" / "debug" / "nango-emulator")
)
INTEGRATION: str = PARAMS["integration"]
CONNECTION: str = PARAMS["connection"]


class ScenarioFailure(AssertionError):
    """A scenario's check did not hold."""


def ensure(cond: bool, message: str) -> None:
    if not cond:
        raise ScenarioFailure(message)


@dataclass
class Tally:
    records: int = 0
    faults: int = 0
    inputs: int = 0
    notes: List[str] = field(default_factory=list)


class Emulator(nango_emulator.Emulator):
    """The emulator binary with tests/scenarios/emulator.json (started by the PyPI package's start
    function, stopped by PID), plus the scenarios' helpers."""

    @classmethod
    def launch(cls) -> "Emulator":
        return cls.start(json.loads(CONFIG.read_text()), bin=BIN)

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def client(self, **kwargs: Any) -> nango.Nango:
        kwargs.setdefault("webhook_signing_key", self.signing_key)
        return nango.Nango(self.secret_key, host=self.url, **kwargs)

    def async_client(self, **kwargs: Any) -> nango.AsyncNango:
        kwargs.setdefault("webhook_signing_key", self.signing_key)
        return nango.AsyncNango(self.secret_key, host=self.url, **kwargs)

    def add_faults(self, rules: List[Dict[str, Any]]) -> None:
        self.admin("POST", "/faults", rules)

    def faults_left(self) -> int:
        return len(self.admin("GET", "/faults")["faults"])

    def wait_faults_consumed(self, seconds: float = 10.0) -> None:
        until = time.monotonic() + seconds
        while self.faults_left() > 0:
            if time.monotonic() > until:
                raise ScenarioFailure("injected faults were never reached")
            time.sleep(0.02)

    def counters(self) -> Dict[str, Any]:
        return self.admin("GET", "/counters")

    def action_count(self, name: str) -> int:
        return int(self.counters()["actions"].get(name, 0))

    def reset(self) -> None:
        self.admin("DELETE", "/faults")
        self.admin("DELETE", "/rate-limit")
        self.admin("PUT", "/webhook-url", {"url": None})


M32 = 0xFFFFFFFF


class Mulberry32:
    """mulberry32, as in rust/src/rng.rs."""

    def __init__(self, seed: int) -> None:
        self.a = seed & M32

    def next_u32(self) -> int:
        self.a = (self.a + 0x6D2B79F5) & M32
        t = self.a
        t = ((t ^ (t >> 15)) * (t | 1)) & M32
        t = ((t + (((t ^ (t >> 7)) * (t | 61)) & M32)) & M32) ^ t
        return (t ^ (t >> 14)) & M32

    def below(self, n: int) -> int:
        return self.next_u32() % max(n, 1)


def fault_plan(seed: int, slots: int, method: str, path: str, slow_ms: int, retry_after: int) -> List[Dict[str, Any]]:
    """rust/src/rng.rs `fault_plan`, slot for slot: [{label, rule}]."""
    rng = Mulberry32(seed)

    def base(**kind: Any) -> Dict[str, Any]:
        return {"method": method, "path": path, "count": 1, **kind}

    plan: List[Dict[str, Any]] = []
    while len(plan) < slots:
        roll = rng.below(100)
        if roll < 4:
            plan.append({"label": "429", "rule": base(kind="status", status=429, retry_after=retry_after)})
        elif roll < 12:
            for _ in range(1 + rng.below(3)):
                plan.append({"label": "503", "rule": base(kind="status", status=503)})
        elif roll < 18:
            plan.append({"label": "drop", "rule": base(kind="drop")})
        elif roll < 24:
            plan.append({"label": "truncate", "rule": base(kind="truncate")})
        elif roll < 32:
            plan.append({"label": "slow", "rule": base(kind="delay", ms=slow_ms)})
        else:
            plan.append({"label": "pass", "rule": base(kind="delay", ms=0)})
    return plan[:slots]


def cursor_key(cursor: str) -> str:
    """base64 of `<fixed-width UTC time>||<uuid>`: the decoded text sorts like the server."""
    text = base64.b64decode(cursor, validate=True).decode()
    if len(text.split("||")) != 2:
        raise ScenarioFailure(f"bad cursor {cursor}")
    return text


@dataclass
class Walk:
    records: List[Dict[str, str]] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)
    checkpoint: Optional[str] = None


def walk(client: nango.Nango, stop_after: Optional[int] = None, **kwargs: Any) -> Walk:
    """Walks with the public iterator, going on after errors (the iterator retries the cursor)."""
    it = client.records(INTEGRATION, CONNECTION, **kwargs)
    out = Walk()
    while stop_after is None or len(out.records) < stop_after:
        try:
            r = next(it)
        except StopIteration:
            break
        except nango.NangoError as err:
            out.errors.append(err.code)
            ensure(len(out.errors) <= 200, f"walk stuck: {len(out.errors)} errors, last {err}")
            continue
        meta = r["_nango_metadata"]
        out.records.append({"id": r["id"], "cursor": meta["cursor"], "action": meta["last_action"]})
    out.checkpoint = it.cursor
    it.close()
    return out


def order_violations(records: List[Dict[str, str]]) -> int:
    bad = 0
    prev: Optional[str] = None
    for r in records:
        key = cursor_key(r["cursor"])
        if prev is not None and prev >= key:
            bad += 1
        prev = key
    return bad


def summary(codes: List[str]) -> str:
    counts: Dict[str, int] = {}
    for c in codes:
        counts[c] = counts.get(c, 0) + 1
    return " ".join(f"{k}x{v}" for k, v in sorted(counts.items()))


def _socket_inodes() -> set:
    out = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            m = re.match(r"socket:\[(\d+)\]$", os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            continue
        if m:
            out.add(m.group(1))
    return out


def sockets_to(port: int) -> int:
    """Our open TCP sockets to `port` in any state (established or half-closed by the server)."""
    ours = _socket_inodes()
    want = ":%04X" % port
    n = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            if len(cols) > 9 and cols[2].endswith(want) and cols[9] in ours:
                n += 1
    return n


def fd_count() -> int:
    return len(os.listdir("/proc/self/fd"))


def rss_kib() -> int:
    m = re.search(r"VmRSS:\s+(\d+)", Path("/proc/self/status").read_text())
    return int(m.group(1)) if m else 0


def settle_connections(port: int, limit: int, tries: int = 100) -> int:
    import gc

    now = sockets_to(port)
    for _ in range(tries):
        if now <= limit:
            break
        gc.collect()
        time.sleep(0.05)
        now = sockets_to(port)
    return now


def report(scenario: str, ok: bool, tally: Tally, error: str, seconds: float) -> None:
    line = json.dumps(
        {
            "language": "python",
            "scenario": scenario,
            "status": "pass" if ok else "fail",
            "records": tally.records,
            "faults": tally.faults,
            "inputs": tally.inputs,
            "notes": tally.notes,
            "error": error,
            "seconds": round(seconds, 1),
        }
    )
    target = os.environ.get("NANGO_SCENARIO_RESULTS")
    if target:
        with open(target, "a") as f:
            f.write(line + "\n")
    else:
        print(line)
