#!/usr/bin/env python3
"""Installs the x64 artifacts of dist/ as a user would, and runs a smoke test against the emulator.

    python3 scripts/install_smoke.py [--dist dist] [--pythons 3.9,3.10,3.11,3.12,3.13]

Each install goes into an empty folder outside the repository, with no cargo/rustc on PATH (and no
NANGO_EMULATOR_BIN), so nothing can fall back to building from source or to the repo's binary:
  - node:   `npm install` of the @nango-rs/node and @nango-rs/emulator tarballs and their
            linux-x64-gnu tarballs, then a CommonJS script: require, startEmulator() (the binary
            must come from the installed @nango-rs/emulator-linux-x64-gnu), one records walk and
            one action against that emulator, stop();
  - python: for each Python (pyenv's; one that is missing is installed with `pyenv install`, or the
            run fails saying so), a fresh venv, `pip install` of the manylinux x86_64 abi3 wheel,
            then import, one records walk and one action.
The checks run in parallel (they mostly wait on npm, pip and venv creation). The Python ones use
the emulator NANGO_EMULATOR_BIN names (the Makefile's `emulator-bin`).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Callable, Dict, List, Tuple

REPO = Path(__file__).resolve().parents[1]
ECHO = {"smoke": "install", "n": 42}
RECORDS = 50  # the emulator's seeded zendesk Ticket records

NODE_SMOKE = """
const { Nango } = require('@nango-rs/node');
const fs = require('node:fs');
const path = require('node:path');
(async () => {
  // @nango-rs/emulator is an ES module: a CommonJS user loads it with import().
  const { startEmulator, emulatorBinary } = await import('@nango-rs/emulator');
  const emu = await startEmulator();
  const out = { emulator: fs.realpathSync(emulatorBinary()), emulatorPid: emu.pid };
  try {
    await emu.admin.createConnection({ provider_config_key: 'zendesk', connection_id: 'user-42' });
    Object.assign(out, await walk(new Nango({ host: emu.url, apiKey: emu.secretKey })));
  } finally {
    await emu.stop();
  }
  // stop() waited for the process: signal 0 to its PID must now fail.
  try { process.kill(out.emulatorPid, 0); out.emulatorAlive = true } catch { out.emulatorAlive = false }
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });

async function walk (nango) {
  let records = 0;
  for await (const t of nango.records({ providerConfigKey: 'zendesk', connectionId: 'user-42', model: 'Ticket' })) {
    if (typeof t.id !== 'string') throw new Error('a record without an id');
    records += 1;
  }
  const action = await nango.triggerAction('zendesk', 'user-42', 'echo', JSON.parse(process.argv[2]));
  const main = path.dirname(require.resolve('@nango-rs/node'));
  return {
    records, action,
    addon: require.resolve('@nango-rs/node-linux-x64-gnu'),
    addonsInMain: fs.readdirSync(main).filter((f) => f.endsWith('.node')),
  };
}
"""

PY_SMOKE = """
import json, os, sys
import nango
client = nango.Nango(secret_key=os.environ["NANGO_SECRET_KEY"], host=os.environ["NANGO_HOST"])
records = 0
for ticket in client.records("zendesk", "user-42", "Ticket"):
    assert isinstance(ticket["id"], str), ticket
    records += 1
action = client.trigger_action("zendesk", "user-42", "echo", json.loads(sys.argv[1]))
print(json.dumps({"records": records, "action": action, "addon": nango._nango.__file__,
                  "python": "%d.%d" % sys.version_info[:2]}))
"""


def clean_env(extra: Dict[str, str]) -> Dict[str, str]:
    """The caller's environment without cargo, rustc, rustup or a virtualenv."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CARGO", "RUSTUP", "RUSTC", "VIRTUAL_ENV", "PYTHON", "npm_", "NODE_", "NANGO_"))}
    keep = [d for d in env.get("PATH", "").split(os.pathsep)
            if d and not any(os.path.exists(os.path.join(d, tool)) for tool in ("cargo", "rustc", "maturin"))]
    env["PATH"] = os.pathsep.join(keep)
    env.update(extra)
    return env


def run(cmd: List[str], cwd: Path, env: Dict[str, str], timeout: float = 600) -> str:
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError(f"`{' '.join(cmd)}` exited {p.returncode} in {cwd}:\n{p.stdout[-3000:]}")
    return p.stdout


def check_output(what: str, out: str, addon_under: Path) -> None:
    line = [x for x in out.splitlines() if x.startswith("{")][-1]
    got = json.loads(line)
    problems = []
    if got["records"] != RECORDS:
        problems.append(f"walked {got['records']} records, expected {RECORDS}")
    if got["action"] != ECHO:
        problems.append(f"the echo action returned {got['action']!r}, expected {ECHO!r}")
    if not Path(got["addon"]).resolve().is_relative_to(addon_under.resolve()):
        problems.append(f"loaded {got['addon']}, not from the install in {addon_under}")
    if got.get("addonsInMain"):
        problems.append(f"@nango-rs/node itself ships {got['addonsInMain']}")
    if problems:
        raise RuntimeError(f"{what}: " + "; ".join(problems))


def start_emulator() -> tuple[subprocess.Popen[str], Dict[str, str]]:
    binary = os.environ.get("NANGO_EMULATOR_BIN")
    if not binary or not os.access(binary, os.X_OK):
        raise SystemExit("NANGO_EMULATOR_BIN is not an executable emulator (run `make emulator-bin`)")
    proc = subprocess.Popen([binary, "--port", "0"], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    ready = json.loads(proc.stdout.readline())
    host, key = ready["url"], ready["secret_key"]
    req = urllib.request.Request(f"{host}/_emulator/connections", method="POST",
                                 data=json.dumps({"provider_config_key": "zendesk",
                                                  "connection_id": "user-42"}).encode(),
                                 headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=30).read()
    return proc, {"NANGO_HOST": host, "NANGO_SECRET_KEY": key}


def only(dist: Path, pattern: str) -> Path:
    found = sorted(dist.glob(pattern))
    if len(found) != 1:
        raise SystemExit(f"expected one {pattern} in {dist}, found {[f.name for f in found]} (run scripts/package.sh)")
    return found[0]


def smoke_node(dist: Path, work: Path, env: Dict[str, str]) -> None:
    tarballs = [only(dist / "npm", p) for p in ("nango-rs-node-0*.tgz", "nango-rs-node-linux-x64-gnu-*.tgz",
                                                 "nango-rs-emulator-[0-9]*.tgz", "nango-rs-emulator-linux-x64-gnu-*.tgz")]
    folder = work / "node"
    folder.mkdir()
    (folder / "package.json").write_text('{"name": "install-smoke", "private": true}\n')
    # The other platforms' optionalDependencies are not on the registry yet: npm skips them as
    # failed optional dependencies; the linux-x64-gnu ones are the tarballs given here.
    run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", *map(str, tarballs)], folder, env)
    (folder / "smoke.cjs").write_text(NODE_SMOKE)
    node_env = {k: v for k, v in env.items() if k not in ("NANGO_HOST", "NANGO_SECRET_KEY")}
    out = run(["node", "smoke.cjs", json.dumps(ECHO)], folder, node_env, timeout=120)
    scope = folder / "node_modules" / "@nango-rs"
    check_output("node", out, scope / "node-linux-x64-gnu")
    got = json.loads([x for x in out.splitlines() if x.startswith("{")][-1])
    if Path(got["emulator"]) != (scope / "emulator-linux-x64-gnu" / "nango-emulator").resolve():
        raise RuntimeError(f"node: startEmulator ran {got['emulator']}, not the installed emulator-linux-x64-gnu binary")
    if got["emulatorAlive"]:
        raise RuntimeError(f"node: the emulator (PID {got['emulatorPid']}) still runs after stop()")


def interpreter(version: str) -> Path:
    """pyenv's newest VERSION.x; installs it with `pyenv install` when there is none."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))

    def find() -> List[Path]:
        found = [p / "bin" / "python3" for p in (root / "versions").glob(f"{version}.*") if (p / "bin" / "python3").exists()]
        return sorted(found, key=lambda p: [int(x) for x in p.parent.parent.name.split(".") if x.isdigit()])

    if not find():
        pyenv = shutil.which("pyenv") or str(root / "bin" / "pyenv")
        print(f"  Python {version} is not in {root}/versions: pyenv install {version}", flush=True)
        p = subprocess.run([pyenv, "install", "--skip-existing", version], capture_output=True, text=True)
        if p.returncode != 0 or not find():
            raise SystemExit(f"Python {version} is missing and `pyenv install {version}` failed "
                             f"(exit {p.returncode}): {(p.stdout + p.stderr)[-1500:]}")
    return find()[-1]


def smoke_python(version: str, wheel: Path, work: Path, env: Dict[str, str]) -> None:
    folder = work / f"py{version}"
    run([str(interpreter(version)), "-m", "venv", str(folder / "venv")], work, env)
    py = str(folder / "venv" / "bin" / "python")
    run([py, "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)], folder, env)
    (folder / "smoke.py").write_text(PY_SMOKE)
    out = run([py, "smoke.py", json.dumps(ECHO)], folder, env, timeout=120)
    check_output(f"python {version}", out, folder / "venv")
    if f'"python": "{version}"' not in out:
        raise RuntimeError(f"python {version}: ran under another interpreter: {out}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dist", type=Path, default=REPO / "dist")
    ap.add_argument("--pythons", default="3.9,3.10,3.11,3.12,3.13")
    args = ap.parse_args()
    # Each install runs in its own folder: the tarballs and the wheel are passed by absolute path.
    args.dist = args.dist.resolve()
    # `make package` tags it manylinux_2_17; the native build of `package.sh x64`, the host's glibc.
    wheel = only(args.dist / "python", "nango_rs-*-cp39-abi3-*manylinux_*_x86_64*.whl")
    pythons = args.pythons.split(",")
    emulator, emu_env = start_emulator()
    passed, failed = 0, 0
    try:
        with tempfile.TemporaryDirectory(prefix="nango-install-smoke-") as tmp:
            env = clean_env(emu_env)
            checks: List[Tuple[str, Callable[[], None]]] = [
                ("node (@nango-rs/node + @nango-rs/emulator, linux-x64-gnu tarballs)",
                 lambda: smoke_node(args.dist, Path(tmp), env))]
            checks += [(f"python {v} ({wheel.name})", functools.partial(smoke_python, v, wheel, Path(tmp), env))
                       for v in pythons]
            # A missing pyenv version is installed first, one at a time (pyenv builds from source).
            for v in pythons:
                interpreter(v)
            t_all = time.monotonic()

            def timed(check: Callable[[], None]) -> float:
                t0 = time.monotonic()
                check()
                return time.monotonic() - t0

            with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
                futures = {pool.submit(timed, check): name for name, check in checks}
                for future in concurrent.futures.as_completed(futures):
                    name = futures[future]
                    try:
                        took = future.result()
                        passed += 1
                        print(f"  ok   {name} ({took:.1f} s)", flush=True)
                    except (RuntimeError, subprocess.TimeoutExpired) as e:
                        failed += 1
                        print(f"  FAIL {name}: {e}", flush=True)
            print(f"  {len(checks)} checks in {time.monotonic() - t_all:.1f} s, 3 at a time", flush=True)
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)
    print(f"install smoke: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
