"""Test support: runs the emulator binary and an example backend as real processes on 127.0.0.1, reads their
stdout lines, and stops them by PID (mirrors examples/node/test/processes.mjs)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
EMULATOR_BIN = os.environ.get(
    "NANGO_EMULATOR_BIN", str(REPO / "target" / "x86_64-unknown-linux-gnu" / "debug" / "nango-emulator")
)


def free_port() -> int:
    """A port that was free a moment ago (the emulator needs the backend's URL before it starts)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def call(method: str, url: str, body: Optional[Any] = None, token: Optional[str] = None) -> Tuple[int, Any]:
    """A JSON request; answers (status, decoded body) for any status."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


class Process:
    """A child process whose stdout lines are collected by a reader thread."""

    def __init__(self, args: List[str], env: Dict[str, str]) -> None:
        self.popen = subprocess.Popen(
            args, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, env={**os.environ, **env}
        )
        self.lines: List[str] = []
        self._changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for_line(self, pattern: str, timeout: float = 20) -> str:
        regex = re.compile(pattern)

        def found() -> Optional[str]:
            return next((line for line in self.lines if regex.search(line)), None)

        with self._changed:
            if not self._changed.wait_for(lambda: found() is not None or self.popen.poll() is not None, timeout):
                raise AssertionError(f"no line matching {pattern!r}; got: {self.lines}")
            line = found()
        if line is None:
            raise AssertionError(f"process exited ({self.popen.returncode}) before {pattern!r}: {self.lines}")
        return line

    def stop(self) -> None:
        self.popen.terminate()
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        if self.popen.stdout is not None:
            self.popen.stdout.close()


class Emulator(Process):
    def __init__(self, webhook_url: str) -> None:
        if not Path(EMULATOR_BIN).exists():
            raise RuntimeError(f"no emulator at {EMULATOR_BIN}: run `make emulator-bin`")
        super().__init__([EMULATOR_BIN, "--port", "0", "--webhook-url", webhook_url], {})
        ready = json.loads(self.wait_for_line('"ready":true'))
        self.url: str = ready["url"]
        self.secret_key: str = ready["secret_key"]
        self.signing_key: str = ready["signing_key"]

    def admin(self, method: str, path: str, body: Optional[Any] = None) -> Any:
        status, answer = call(method, f"{self.url}/_emulator{path}", body, token=self.secret_key)
        assert status < 300, f"admin {method} {path} -> {status} {answer}"
        return answer


class Backend(Process):
    """An example backend (``server_sync.py`` or ``server_async.py``) talking to ``emulator``."""

    def __init__(self, script: str, emulator: Emulator, port: int) -> None:
        env = {
            "NANGO_HOST": emulator.url,
            "NANGO_SECRET_KEY": emulator.secret_key,
            "NANGO_WEBHOOK_SIGNING_KEY": emulator.signing_key,
            "PORT": str(port),
        }
        super().__init__([sys.executable, str(HERE.parent / script)], env)
        self.wait_for_line("^listening on ")
        self.url = f"http://127.0.0.1:{port}"

    def call(self, method: str, path: str, body: Optional[Any] = None) -> Tuple[int, Any]:
        return call(method, self.url + path, body)
