#!/usr/bin/env python3
"""Runs the named scenarios (README.md) in every language and prints ONE table:
scenario x language -> pass/fail with counts. Exits 1 on any failure or missing result.

    python3 tests/scenarios/run.py                      # build what is needed, run everything
    python3 tests/scenarios/run.py --no-build           # artifacts already built
    python3 tests/scenarios/run.py --languages rust,node --scenarios paging-under-faults,load

Stdlib only. Each language writes one JSON line per scenario to $NANGO_SCENARIO_RESULTS; its full
output goes to target/scenarios/<language>.log. The browser column runs the built wasm package
(bindings-wasm/pkg) in headless Chromium; a scenario that does not apply to a browser SDK comes
back with status "na" (its reason in the notes, the missing API checked) and prints n/a.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
TRIPLE = "x86_64-unknown-linux-gnu"
# Cargo's output folder: CARGO_TARGET_DIR when set, as the Makefile takes it.
CARGO_OUT = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target").resolve()
OUT = REPO / "target" / "scenarios"
VENV_PY = REPO / ".venv" / "bin" / "python"
SCENARIOS = [
    "paging-under-faults",
    "resume-from-checkpoint",
    "rate-limit-respected",
    "action-not-duplicated",
    "timeouts-and-cancel",
    "webhook-forgery",
    "bad-input",
    "no-secret-leak",
    "load",
    "concurrent-consumers",
]
LANGUAGES = ["rust", "node", "python", "browser"]
WASM_PKG = REPO / "bindings-wasm" / "pkg"
PLAYWRIGHT = REPO / "bindings-wasm" / "node_modules" / "playwright-core"


def env() -> Dict[str, str]:
    e = dict(os.environ)
    e.setdefault("CARGO_BUILD_TARGET", TRIPLE)
    e["PATH"] = f"{Path.home() / '.cargo' / 'bin'}:{REPO / 'node_modules' / '.bin'}:{e.get('PATH', '')}"
    e.setdefault("NANGO_EMULATOR_BIN", str(CARGO_OUT / TRIPLE / "debug" / "nango-emulator"))
    return e


def step(title: str, cmd: List[str], log: Path, extra: Optional[Dict[str, str]] = None, cwd: Path = REPO) -> bool:
    started = time.monotonic()
    e = env()
    e.update(extra or {})
    with open(log, "a") as f:
        f.write(f"\n$ {' '.join(cmd)}\n")
        f.flush()
        rc = subprocess.run(cmd, cwd=cwd, env=e, stdout=f, stderr=subprocess.STDOUT).returncode
    print(f"  {title}: {'ok' if rc == 0 else f'exit {rc}'} ({time.monotonic() - started:.0f}s)", flush=True)
    return rc == 0


def build(languages: List[str]) -> Dict[str, str]:
    """Builds the emulator and each language's artifact; returns language -> build error."""
    errors: Dict[str, str] = {}
    log = OUT / "build.log"
    print("building:", flush=True)
    pkgs = ["-p", "nango-emulator"] + (["-p", "nango-scenarios"] if "rust" in languages else [])
    if not step("cargo build (emulator, rust scenarios)", ["cargo", "build", *pkgs], log):
        return {lang: "cargo build failed (see target/scenarios/build.log)" for lang in languages}
    if "node" in languages and not step(
        "bindings-node (napi build, debug)", ["npm", "run", "--silent", "build"], log, cwd=REPO / "bindings-node"
    ):
        errors["node"] = "bindings-node build failed (see target/scenarios/build.log)"
    if "python" in languages:
        maturin = REPO / ".venv" / "bin" / "maturin"
        ok = step(
            "bindings-python (maturin develop, debug)",
            [str(maturin), "develop", "-q", "-m", "bindings-python/Cargo.toml"],
            log,
            extra={"VIRTUAL_ENV": str(REPO / ".venv")},
        )
        if not ok:
            errors["python"] = "bindings-python build failed (see target/scenarios/build.log)"
    if "browser" in languages and not step(
        "bindings-wasm (wasm-release, wasm-bindgen, wasm-opt)", ["bash", "bindings-wasm/scripts/build.sh"], log
    ):
        errors["browser"] = "bindings-wasm build failed (see target/scenarios/build.log)"
    return errors


def missing_artifacts(languages: List[str]) -> Dict[str, str]:
    """With --no-build: what a language needs and does not have (so its column says why)."""
    errors: Dict[str, str] = {}
    if "browser" in languages:
        wanted = [WASM_PKG / "nango_wasm.js", WASM_PKG / "nango_wasm_bg.wasm", PLAYWRIGHT / "package.json"]
        absent = [str(p.relative_to(REPO)) for p in wanted if not p.exists()]
        if absent:
            errors["browser"] = f"not built ({', '.join(absent)} missing): run bash bindings-wasm/scripts/build.sh"
    return errors


def run_language(lang: str, scenarios: List[str]) -> Path:
    results = OUT / f"{lang}.jsonl"
    results.unlink(missing_ok=True)
    log = OUT / f"{lang}.log"
    log.unlink(missing_ok=True)
    extra = {"NANGO_SCENARIO_RESULTS": str(results), "NANGO_SCENARIOS": ",".join(scenarios)}
    if lang == "rust":
        cmd = [str(CARGO_OUT / TRIPLE / "debug" / "nango-scenarios"), *scenarios]
    elif lang == "node":
        cmd = ["node", "--expose-gc", "--test", "--test-reporter=spec", "tests/scenarios/node/"]
    elif lang == "browser":
        cmd = ["node", "--test", "--test-concurrency=1", "--test-reporter=spec", "tests/scenarios/browser/"]
    else:
        names = " or ".join("test_" + s.replace("-", "_") for s in scenarios)
        cmd = [str(VENV_PY), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", "tests/scenarios/python/pytest.ini",
               "--rootdir", "tests/scenarios/python", "tests/scenarios/python", "-k", names]
    step(f"{lang} scenarios", cmd, log, extra)
    return results


def cell(r: Optional[dict]) -> str:
    if r is None:
        return "MISSING"
    if r["status"] == "na":
        return "n/a"
    counts = []
    if r.get("records"):
        counts.append(f"{r['records']} rec")
    if r.get("faults"):
        counts.append(f"{r['faults']} faults")
    if r.get("inputs"):
        counts.append(f"{r['inputs']} inputs")
    return ("PASS" if r["status"] == "pass" else "FAIL") + (" " + ", ".join(counts) if counts else "")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--languages", default=",".join(LANGUAGES))
    ap.add_argument("--scenarios", default=",".join(SCENARIOS))
    ap.add_argument("--no-build", action="store_true", help="use the artifacts already built")
    args = ap.parse_args()
    languages = [lang for lang in args.languages.split(",") if lang]
    scenarios = [s for s in args.scenarios.split(",") if s]
    unknown = [x for x in languages if x not in LANGUAGES] + [s for s in scenarios if s not in SCENARIOS]
    if unknown:
        print(f"unknown language/scenario: {unknown}", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    params = json.loads((HERE / "params.json").read_text())
    print(f"nango-rs scenarios, seed {params['seed']}")
    build_errors: Dict[str, str] = missing_artifacts(languages) if args.no_build else build(languages)
    results: Dict[str, Dict[str, dict]] = {lang: {} for lang in languages}
    print("running:", flush=True)
    for lang in languages:
        if lang in build_errors:
            print(f"  {lang}: skipped, {build_errors[lang]}")
            continue
        path = run_language(lang, scenarios)
        if path.exists():
            for line in path.read_text().splitlines():
                r = json.loads(line)
                results[lang][r["scenario"]] = r

    columns = languages
    width = max(len(c) for c in (cell(r) for lang in languages for r in results[lang].values())) if any(results.values()) else 10
    width = max(width, 22)
    header = f"| {'scenario':<24} | " + " | ".join(f"{c:<{width}}" for c in columns) + " |"
    print()
    print(header)
    print("|" + "-" * 26 + "|" + "|".join("-" * (width + 2) for _ in columns) + "|")
    failed = False
    for s in scenarios:
        cells = []
        for lang in languages:
            r = results[lang].get(s)
            failed |= r is None or r["status"] not in ("pass", "na")
            cells.append(cell(r))
        print(f"| {s:<24} | " + " | ".join(f"{c:<{width}}" for c in cells) + " |")
    print()
    for lang in languages:
        for s in scenarios:
            r = results[lang].get(s)
            if r is None:
                why = build_errors.get(lang, f"no result line (see target/scenarios/{lang}.log)")
                print(f"FAIL {lang}/{s}: {why}")
            elif r["status"] == "na":
                print(f"n/a  {lang}/{s}: {r['notes'][0] if r.get('notes') else 'does not apply'}")
            elif r["status"] != "pass":
                print(f"FAIL {lang}/{s}: {r['error']}")
    (OUT / "table.json").write_text(json.dumps(results, indent=1))
    print("notes per scenario: target/scenarios/table.json; logs: target/scenarios/*.log")
    cells = [results[lang].get(s) for lang in languages for s in scenarios]
    passed = sum(1 for r in cells if r is not None and r["status"] == "pass")
    na = sum(1 for r in cells if r is not None and r["status"] == "na")
    print(f"scenarios: {passed} passed, {len(cells) - passed - na} failed, {na} not applicable")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
