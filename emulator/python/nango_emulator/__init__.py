"""The nango-emulator binary as a Python test dependency.

``start()`` runs the binary on 127.0.0.1, waits for the JSON line it prints once listening, and
returns an :class:`Emulator` (its URL, keys, admin API and ``stop()``). The pytest plugin
(``nango_emulator.pytest_plugin``) wraps it in the ``nango_emulator`` fixture.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sysconfig
import tempfile
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Optional, Type, TypeVar

__all__ = ["Emulator", "binary", "start"]

_E = TypeVar("_E", bound="Emulator")

_EXE = "nango-emulator.exe" if os.name == "nt" else "nango-emulator"


def binary() -> str:
    """The binary to run: ``NANGO_EMULATOR_BIN``, else the one this wheel installed."""
    env = os.environ.get("NANGO_EMULATOR_BIN")
    if env:
        return env
    installed = Path(sysconfig.get_path("scripts")) / _EXE
    if installed.exists():
        return str(installed)
    found = shutil.which(_EXE)
    if found:
        return found
    raise RuntimeError(
        "nango-emulator binary not found: install the nango-emulator wheel, "
        "or set NANGO_EMULATOR_BIN (`cargo install nango-emulator` builds one)"
    )


class Emulator:
    """A running emulator process. Use it as a context manager, or call :meth:`stop`."""

    def __init__(self, ready: Dict[str, Any], process: subprocess.Popen[str]) -> None:
        self.url: str = ready["url"]
        self.secret_key: str = ready["secret_key"]
        self.signing_key: str = ready["signing_key"]
        self.integrations: List[str] = list(ready.get("integrations", []))
        self.process = process

    def __repr__(self) -> str:  # no keys in reprs
        return f"Emulator(url={self.url!r}, pid={self.process.pid})"

    def admin(self, method: str, path: str, body: Optional[Any] = None, *, timeout: float = 30) -> Any:
        """Calls the emulator's admin API (``/_emulator`` + ``path``) with the secret key; raises
        ``urllib.error.HTTPError`` on an error status."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + "/_emulator" + path,
            data=data,
            method=method,
            headers={
                "Authorization": "Bearer " + self.secret_key,
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read()
        return json.loads(text) if text else None

    def stop(self) -> None:
        """SIGTERM (the emulator exits 0), SIGKILL after 10 s; waits for the process."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> "Emulator":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @classmethod
    def start(
        cls: Type[_E],
            config: Optional[Dict[str, Any]] = None,
        *,
        port: int = 0,
        secret_key: Optional[str] = None,
        signing_key: Optional[str] = None,
        webhook_url: Optional[str] = None,
        bin: Optional[str] = None,
    ) -> _E:
        """Starts an emulator (a free port unless ``port``); ``config`` is its JSON config as a dict.

        A subclass's ``start`` returns that subclass (the repository's own suites add clients)."""
        args = [bin or binary(), "--port", str(port)]
        for flag, value in (
            ("--secret-key", secret_key),
            ("--signing-key", signing_key),
            ("--webhook-url", webhook_url),
        ):
            if value:
                args += [flag, value]
        path = None
        if config is not None:
            handle, path = tempfile.mkstemp(suffix=".json", prefix="nango-emulator-")
            with os.fdopen(handle, "w") as file:
                json.dump(config, file)
            args += ["--config", path]
        try:
            process = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            assert process.stdout is not None
            line = process.stdout.readline()
        finally:
            if path is not None:
                os.unlink(path)
        if not line:
            process.wait()
            process.stdout.close()
            raise RuntimeError(
                f"nango-emulator exited ({process.returncode}) before its ready line"
            )
        return cls(json.loads(line), process)


#: ``start(config, *, port=0, secret_key=None, signing_key=None, webhook_url=None, bin=None)``
start = Emulator.start
