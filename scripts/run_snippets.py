#!/usr/bin/env python3
"""Docs tested as code: runs every fenced snippet marked runnable in the READMEs, as a user would,
in fresh projects outside the repository, against a freshly started emulator.

    python3 scripts/run_snippets.py            # `make test-docs` builds the packages first

A snippet is marked by an HTML comment on the line before its fence:

    <!-- snippet: KIND [file=NAME] [expect="TEXT"] [click="SELECTOR"] -->

KIND is one of:
  sh       the root README's "Try it in 60 seconds" block: run first, verbatim except that its port
           (3003) becomes a free one; it must start the emulator and export NANGO_HOST and
           NANGO_SECRET_KEY, which every other snippet then gets;
  cargo    the [dependencies] of a new cargo crate (`nango = ...` becomes a path dependency on core/);
  rust     that crate's src/main.rs, run with `cargo run` (the workspace's target dir is shared);
  node     a file of an npm project that installs bindings-node and bindings-wasm (file: links),
           run with `node FILE`;
  python   a file run by a fresh venv's python, with the wheel built from bindings-python installed;
  browser  a file of that npm project (`server.mjs`, `index.html`): the server is started, the page
           opened in headless Chromium, CLICK clicked, "Allow" pressed in the popup, and EXPECT
           awaited in the page. A README with only `index.html` uses the root README's server.mjs.
A snippet passes when it exits 0 and its output (the page's text for browser) contains EXPECT.
Fences in rust/js/python/html that are not marked fail the run: every code sample either runs or
is marked `<!-- snippet: fragment -->` (not a program; nothing to run).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional

REPO = Path(__file__).resolve().parents[1]
READMES = ["README.md", "core/README.md", "bindings-node/README.md", "bindings-python/README.md",
           "bindings-wasm/README.md"]
KINDS = {"sh", "cargo", "rust", "node", "python", "browser", "fragment"}
CODE_FENCES = {"rust", "js", "javascript", "mjs", "python", "py", "html", "ts", "typescript"}
SH_PORT = "3003"
TRIPLE = "x86_64-unknown-linux-gnu"
MARKER = re.compile(r"<!--\s*snippet:\s*(.*?)\s*-->\s*\n")
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)


class Snippet:
    def __init__(self, readme: str, line: int, kind: str, opts: Dict[str, str], code: str) -> None:
        self.readme, self.line, self.kind, self.opts, self.code = readme, line, kind, opts, code

    @property
    def where(self) -> str:
        return f"{self.readme}:{self.line}"


def parse(readme: str) -> tuple[List[Snippet], List[str]]:
    """The marked snippets of one README, and the problems (unmarked code fences, bad markers)."""
    text = (REPO / readme).read_text()
    snippets: List[Snippet] = []
    problems: List[str] = []
    for fence in FENCE.finditer(text):
        line = text.count("\n", 0, fence.start()) + 1
        before = text[: fence.start()]
        marker = None
        for m in MARKER.finditer(before):
            if m.end() == len(before):
                marker = m
        info = fence.group(1).lower()
        if marker is None:
            if info in CODE_FENCES:
                problems.append(f"{readme}:{line}: a ```{info} fence without a <!-- snippet: … --> marker")
            continue
        words = shlex.split(marker.group(1))
        kind, opts = words[0], dict(w.split("=", 1) for w in words[1:] if "=" in w)
        if kind not in KINDS:
            problems.append(f"{readme}:{line}: unknown snippet kind {kind!r}")
        elif kind != "fragment":
            snippets.append(Snippet(readme, line, kind, opts, fence.group(2)))
    return snippets, problems


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(cmd: List[str], cwd: Path, env: Dict[str, str], log: Path, timeout: float) -> tuple[int, str]:
    """Runs cmd, appends its output to log, returns (exit code, output)."""
    started = time.monotonic()
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=timeout)
        code, out = p.returncode, p.stdout
    except subprocess.TimeoutExpired as e:
        partial = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        code, out = -1, f"{partial}\n[timed out after {timeout:.0f} s]"
    with open(log, "a") as f:
        f.write(f"\n$ {' '.join(cmd)}  (in {cwd}; {time.monotonic() - started:.1f} s)\n{out}")
    return code, out


class Emulator:
    """The root README's sh block, run in its own process group (stopped by its id)."""

    def __init__(self, snippet: Snippet, work: Path, log: Path) -> None:
        port = str(free_port())
        envfile = work / "sh.env"
        script = ("set -euo pipefail\n" + snippet.code.replace(SH_PORT, port)
                  + f'\nprintf "%s\\n%s\\n" "$NANGO_HOST" "$NANGO_SECRET_KEY" > {shlex.quote(str(envfile))}\nwait\n')
        self.log = open(log, "a")
        self.proc = subprocess.Popen(["bash", "-c", script], cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + 300
        while not envfile.exists() or envfile.read_text().count("\n") < 2:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{snippet.where}: the sh block did not start the emulator (see {log})")
            time.sleep(0.2)
        host, key = envfile.read_text().splitlines()[:2]
        self.env = {"NANGO_HOST": host, "NANGO_SECRET_KEY": key}

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def check(s: Snippet, code: int, out: str, failures: List[str]) -> None:
    expect = s.opts.get("expect")
    ok = code == 0 and (expect is None or expect in out)
    print(f"  {'ok  ' if ok else 'FAIL'} {s.where} ({s.kind}{' ' + s.opts['file'] if 'file' in s.opts else ''})",
          flush=True)
    if not ok:
        why = f"exit {code}" if code != 0 else f"output lacks {expect!r}"
        failures.append(f"{s.where}: {why}\n" + "\n".join("      " + x for x in out.splitlines()[-25:]))


def rust_project(readme: str, snippets: List[Snippet], work: Path) -> Optional[Path]:
    cargo = [s for s in snippets if s.kind == "cargo"]
    if len(cargo) != 1:
        return None
    deps = re.sub(r"(?m)^nango\s*=.*$", f'nango = {{ path = "{REPO / "core"}" }}', cargo[0].code)
    name = re.sub(r"[^a-z0-9]+", "-", readme.lower()).strip("-") + "-snippet"
    proj = work / "rust" / name
    (proj / "src").mkdir(parents=True)
    (proj / "Cargo.toml").write_text(
        f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n{deps}\n[workspace]\n')
    # The workspace's lock file: the same versions as the repo, so the shared target dir is reused.
    shutil.copy(REPO / "Cargo.lock", proj / "Cargo.lock")
    return proj


def main() -> int:
    started = time.monotonic()
    snippets: List[Snippet] = []
    problems: List[str] = []
    for readme in READMES:
        if (REPO / readme).exists():
            found, bad = parse(readme)
            snippets += found
            problems += bad
    sh = [s for s in snippets if s.kind == "sh"]
    if len(sh) != 1:
        problems.append(f"expected exactly one sh snippet (the emulator start), found {len(sh)}")
    if problems:
        print("run_snippets: " + "\n  ".join(["marker problems:"] + problems), file=sys.stderr)
        return 1

    out_dir = REPO / "target" / "snippets"
    out_dir.mkdir(parents=True, exist_ok=True)
    log = out_dir / "run.log"
    log.write_text("")
    work = Path(tempfile.mkdtemp(prefix="nango-snippets-"))
    env = dict(os.environ)
    env.setdefault("CARGO_BUILD_TARGET", TRIPLE)
    env["PATH"] = f"{Path.home() / '.cargo' / 'bin'}:{env.get('PATH', '')}"
    # A user's shell, not the repo's: no venv or maturin settings leak into the fresh projects.
    for var in ("VIRTUAL_ENV", "PYTHONPATH", "NANGO_HOST", "NANGO_SECRET_KEY"):
        env.pop(var, None)
    failures: List[str] = []
    print(f"snippets: {len(snippets)} in {len(READMES)} READMEs; projects in {work}; log {log}", flush=True)
    emulator = None
    try:
        emulator = Emulator(sh[0], work, log)
        print(f"  ok   {sh[0].where} (sh: emulator at {emulator.env['NANGO_HOST']}, user-42 created)", flush=True)
        env.update(emulator.env)
        run_rust(snippets, work, env, log, failures)
        node_dir = node_project(snippets, work, env, log, failures)
        if node_dir is not None:
            run_node(snippets, node_dir, env, log, failures)
        run_python(snippets, work, env, log, failures)
        if node_dir is not None:
            run_browser(snippets, node_dir, env, log, failures)
    except RuntimeError as e:
        failures.append(str(e))
    finally:
        if emulator is not None:
            emulator.stop()
    took = time.monotonic() - started
    if failures:
        print(f"run_snippets: {len(failures)} failed ({took:.0f} s); projects kept in {work}", file=sys.stderr)
        for f in failures:
            print("  " + f, file=sys.stderr)
        return 1
    shutil.rmtree(work, ignore_errors=True)
    print(f"run_snippets: all {len(snippets)} snippets ran ({took:.0f} s)")
    return 0


def run_rust(snippets: List[Snippet], work: Path, env: Dict[str, str], log: Path, failures: List[str]) -> None:
    for readme in READMES:
        mine = [s for s in snippets if s.readme == readme]
        for s in [s for s in mine if s.kind == "rust"]:
            proj = rust_project(readme, mine, work)
            if proj is None:
                failures.append(f"{s.where}: a rust snippet needs exactly one cargo snippet in its README")
                continue
            (proj / "src" / "main.rs").write_text(s.code)
            e = dict(env, CARGO_TARGET_DIR=env.get("CARGO_TARGET_DIR") or str(REPO / "target"))
            code, out = run(["cargo", "run", "-q"], proj, e, log, timeout=600)
            check(s, code, out, failures)
            check(next(c for c in mine if c.kind == "cargo"), code, out, failures)


def node_project(snippets: List[Snippet], work: Path, env: Dict[str, str], log: Path,
                 failures: List[str]) -> Optional[Path]:
    if not any(s.kind in ("node", "browser") for s in snippets):
        return None
    proj = work / "node"
    proj.mkdir()
    code, out = run(["npm", "init", "-y"], proj, env, log, timeout=60)
    if code == 0:
        code, out = run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error",
                         str(REPO / "bindings-node"), str(REPO / "bindings-wasm")], proj, env, log, timeout=300)
    if code != 0:
        failures.append(f"npm project: install of bindings-node and bindings-wasm failed:\n{out[-2000:]}")
        return None
    return proj


def run_node(snippets: List[Snippet], proj: Path, env: Dict[str, str], log: Path, failures: List[str]) -> None:
    for s in [s for s in snippets if s.kind == "node"]:
        name = s.opts.get("file", "snippet.mjs")
        (proj / name).write_text(s.code)
        code, out = run(["node", name], proj, env, log, timeout=120)
        check(s, code, out, failures)


def run_python(snippets: List[Snippet], work: Path, env: Dict[str, str], log: Path, failures: List[str]) -> None:
    mine = [s for s in snippets if s.kind == "python"]
    if not mine:
        return
    wheels = work / "wheels"
    venv = work / "venv"
    maturin = REPO / ".venv" / "bin" / "maturin"
    code, out = run([str(maturin), "build", "-q", "-o", str(wheels), "-m", "bindings-python/Cargo.toml"],
                    REPO, env, log, timeout=600)
    if code == 0:
        code, out = run([sys.executable, "-m", "venv", str(venv)], work, env, log, timeout=120)
    if code == 0:
        wheel = [str(w) for w in wheels.glob("*.whl")]
        code, out = run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", *wheel], work, env, log, timeout=300)
    if code != 0:
        failures.append(f"python: wheel build or venv install failed:\n{out[-2000:]}")
        return
    for s in mine:
        name = s.opts.get("file", "snippet.py")
        (work / name).write_text(s.code)
        code, out = run([str(venv / "bin" / "python"), name], work, env, log, timeout=120)
        check(s, code, out, failures)


def run_browser(snippets: List[Snippet], proj: Path, env: Dict[str, str], log: Path, failures: List[str]) -> None:
    servers = {s.readme: s for s in snippets if s.kind == "browser" and s.opts.get("file") == "server.mjs"}
    for page in [s for s in snippets if s.kind == "browser" and s.opts.get("file") == "index.html"]:
        server = servers.get(page.readme) or servers.get("README.md")
        if server is None:
            failures.append(f"{page.where}: no server.mjs snippet to serve the page")
            continue
        site = proj / re.sub(r"[^a-z0-9]+", "-", page.readme.lower()).strip("-")
        site.mkdir()
        (site / "node_modules").symlink_to(proj / "node_modules")
        (site / "server.mjs").write_text(server.code)
        (site / "index.html").write_text(page.code)
        code, out = browse(site, page, env, log)
        check(page, code, out, failures)
        if server.readme == page.readme:
            check(server, code, out, failures)


def browse(site: Path, page: Snippet, env: Dict[str, str], log: Path) -> tuple[int, str]:
    """Starts `node server.mjs`, then the Chromium driver on the URL it prints."""
    srv = subprocess.Popen(["node", "server.mjs"], cwd=site, env=dict(env, PORT="0"), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        assert srv.stdout is not None
        first = srv.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:\d+", first)
        if not m:
            return 1, f"server.mjs printed no URL: {first}{srv.stdout.read() if srv.poll() is not None else ''}"
        driver = REPO / "scripts" / "snippet_browser.mjs"
        args = ["node", str(driver), m.group(0), page.opts.get("click", "button"), page.opts.get("expect", "")]
        return run(args, site, dict(env, NANGO_PLAYWRIGHT=str(REPO / "bindings-wasm" / "node_modules" /
                                                             "playwright-core" / "index.mjs")), log, timeout=120)
    finally:
        os.killpg(srv.pid, signal.SIGTERM)
        srv.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
