"""The records decoder alone: one 1,000-record page from the emulator, already in memory, decoded
record by record through one reader as the iterator does (`_decode_json_many`: jiter's pull
parser reading the text, our code building the objects; its time includes copying each `str` into
Rust, ~0.15 ms per 1,000 records here, which a walk does not do) against `orjson.loads`, `jiter.from_json` (jiter's own Python
package, built per Python version: its `python` feature needs `&str` extraction, which pyo3 only
offers under the limited API from Python 3.10, so it does not compile for our abi3-py39 wheel) and
`json.loads` on the same texts.
Best of many runs, in ms per 1,000 records.

Two data sets: the page with every string and number made distinct per record (where no cache of
repeated values can help: the case that decides), and the emulator's page as served (a synced
batch shares its timestamps).

    python bindings-python/bench/decoder.py

Use a release build (``maturin develop --release``). This is a benchmark, not a test.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Callable, List

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import jiter  # noqa: E402
import orjson  # noqa: E402

from bench import CONN, MODEL, PCK, emulator_config, print_table  # noqa: E402
from conftest import start_emulator, stop_emulator  # noqa: E402
from nango._nango import _decode_json_many  # noqa: E402


def fetch_page(url: str, key: str) -> List[Any]:
    request = urllib.request.Request(
        f"{url}/records/?model={MODEL}&limit=1000",
        headers={"Authorization": f"Bearer {key}", "Connection-Id": CONN, "Provider-Config-Key": PCK},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        records: List[Any] = json.loads(response.read())["records"]
    return records


def best_ms(run: Callable[[], Any], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def distinct(value: Any, salt: int) -> Any:
    """`value` with every string and number changed per record (same lengths and shapes)."""
    if isinstance(value, dict):
        return {key: distinct(item, salt) for key, item in value.items()}
    if isinstance(value, list):
        return [distinct(item, salt) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return value + salt
    tag = f"{salt:x}"
    return (tag + value[len(tag):]) if len(value) > len(tag) else value


def measure(label: str, texts: List[str]) -> None:
    raw = [text.encode() for text in texts]
    assert _decode_json_many(texts) == [json.loads(text) for text in texts]
    rows = {
        "nango-rs reader": best_ms(lambda: _decode_json_many(texts), 300),
        "orjson.loads": best_ms(lambda: [orjson.loads(text) for text in raw], 300),
        "jiter.from_json": best_ms(lambda: [jiter.from_json(text) for text in raw], 300),
        "json.loads": best_ms(lambda: [json.loads(text) for text in texts], 50),
    }
    print(f"\n{label}: {len(texts)} records of ~1 KB, best of many runs")
    print_table(["decoder", "ms per 1,000 records"], [[name, f"{ms:.3f}"] for name, ms in rows.items()])


def main() -> int:
    emulator = start_emulator(emulator_config(1000))
    try:
        records = fetch_page(emulator.url, emulator.secret_key)
    finally:
        stop_emulator(emulator)
    compact = (",", ":")
    changed = [distinct(record, i + 1) for i, record in enumerate(records)]
    measure("every value distinct", [json.dumps(record, separators=compact) for record in changed])
    measure("as served (a batch's timestamps repeat)", [json.dumps(record, separators=compact) for record in records])
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nload average (1/5/15 min) at the end: {load}, {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
