"""``python -m nango models``: typed records from the emulator's own schema (``GET /scripts/config``),
checked with ``mypy --strict``, walked with ``records(model=Ticket)``, and its failures."""

from __future__ import annotations

import http.server
import importlib.util
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from types import ModuleType
from typing import Any, Dict, Iterator, List, Optional, get_origin, get_type_hints

import pytest
from typing_extensions import NotRequired

from conftest import Emulator

#: The demo world has one connection on `zendesk` whose `Ticket` model holds 50 records.
TICKETS = 50


def run(args: List[str], env: Optional[Dict[str, str]] = None) -> "subprocess.CompletedProcess[str]":
    """``python -m nango ARGS`` with no ``NANGO_*`` variable but those in ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NANGO_")}
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "nango", *args],
        capture_output=True,
        text=True,
        env=clean,
        timeout=120,
    )


def mypy(directory: Path, file: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", file],
        capture_output=True,
        text=True,
        cwd=directory,
        timeout=300,
    )


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def generate(emulator: Emulator, out: Path, *extra: str) -> str:
    done = run(
        ["models", "--lang", "python", "--out", str(out), *extra],
        {"NANGO_HOST": emulator.url, "NANGO_SECRET_KEY": emulator.secret_key},
    )
    assert done.returncode == 0, done.stderr
    assert f"to {out}" in done.stderr
    assert emulator.secret_key not in done.stderr + done.stdout
    return out.read_text()


USAGE = """
from __future__ import annotations

from typing import List

import nango
from nango_models import Ticket


def titles(client: nango.Nango) -> List[str]:
    out: List[str] = []
    for ticket in client.records("zendesk", "conn-1", model=Ticket):
        revision: int = ticket["revision"]
        cursor: str = ticket["_nango_metadata"]["cursor"]
        out.append(ticket["title"] + cursor + str(revision))
    page = client.list_records("zendesk", "conn-1", model=Ticket, limit=5)
    first: List[Ticket] = page["records"]
    return out + [t["id"] for t in first]


async def statuses(client: nango.AsyncNango) -> List[str]:
    out: List[str] = []
    async for ticket in client.records("zendesk", "conn-1", model=Ticket):
        out.append(ticket["status"])
    return out
"""

#: The same with a wrong type: mypy must reject it (the check can fail).
WRONG = """
from __future__ import annotations

import nango
from nango_models import Ticket


def wrong(client: nango.Nango) -> str:
    for ticket in client.records("zendesk", "conn-1", model=Ticket):
        revision: str = ticket["revision"]
        return revision
    return ""
"""


def test_typed_dicts_type_check_and_walk(emulator: Emulator, tmp_path: Path) -> None:
    text = generate(emulator, tmp_path / "nango_models.py")
    assert "class Ticket(TypedDict):" in text
    assert 'setattr(Ticket, "__nango_model__", "Ticket")' in text
    (tmp_path / "usage.py").write_text(textwrap.dedent(USAGE))
    checked = mypy(tmp_path, "usage.py")
    assert checked.returncode == 0, checked.stdout
    (tmp_path / "wrong.py").write_text(textwrap.dedent(WRONG))
    checked = mypy(tmp_path, "wrong.py")
    assert checked.returncode == 1, checked.stdout
    assert 'Incompatible types in assignment (expression has type "int"' in checked.stdout

    models = load(tmp_path / "nango_models.py")
    Ticket = models.Ticket
    # The keys the class requires, read from its annotations (``__required_keys__`` cannot see
    # ``NotRequired`` in the postponed annotations of Pythons before 3.14).
    hints = get_type_hints(Ticket, include_extras=True)
    required = {key for key, hint in hints.items() if get_origin(hint) is not NotRequired}
    assert {"id", "title", "status", "revision", "_nango_metadata"} <= required
    client = emulator.client()
    tickets = list(client.records("zendesk", "conn-1", model=Ticket))
    assert len(tickets) == TICKETS
    for ticket in tickets:
        assert required <= ticket.keys(), ticket.keys()
        assert isinstance(ticket["revision"], int)
        assert ticket["status"] in ("open", "pending", "solved")
        assert ticket["_nango_metadata"]["cursor"]
    # The class names the model; the name is what is sent.
    page = client.list_records("zendesk", "conn-1", model=Ticket, limit=5)
    assert [t["id"] for t in page["records"]] == [t["id"] for t in tickets[:5]]
    with pytest.raises(TypeError, match="record class"):
        client.records("zendesk", "conn-1", model=int)  # type: ignore[call-overload]


def test_pydantic_models_validate_each_record(emulator: Emulator, tmp_path: Path) -> None:
    text = generate(emulator, tmp_path / "nango_pyd_models.py", "--pydantic")
    assert "class Ticket(BaseModel):" in text
    usage = """
    from __future__ import annotations

    import nango
    from nango_pyd_models import Ticket


    def total(client: nango.Nango) -> int:
        return sum(t.revision + len(t.nango_metadata.cursor) for t in client.records("zendesk", "conn-1", model=Ticket))
    """
    (tmp_path / "usage_pyd.py").write_text(textwrap.dedent(usage))
    checked = mypy(tmp_path, "usage_pyd.py")
    assert checked.returncode == 0, checked.stdout
    models = load(tmp_path / "nango_pyd_models.py")
    tickets = list(emulator.client().records("zendesk", "conn-1", model=models.Ticket))
    assert len(tickets) == TICKETS
    assert all(isinstance(t, models.Ticket) for t in tickets)
    assert all(t.nango_metadata.cursor and t.revision > 0 for t in tickets)


@pytest.fixture
def junk_server() -> Iterator[str]:
    """A server whose ``/scripts/config`` is not Nango's answer."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            body = b'{"unexpected": true}'
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_failures_are_clear_and_keep_the_key(emulator: Emulator, junk_server: str) -> None:
    key = "sk-models-test-not-a-key-0123456789"
    cases = [
        (["models", "--host", emulator.url, "--secret-key", key], "unauthorized"),
        (["models", "--host", "http://127.0.0.1:9", "--secret-key", key], "transport"),
        (["models", "--host", junk_server, "--secret-key", key], "expected the answer of GET /scripts/config"),
        (["models", "--host", emulator.url, "--lang", "go", "--secret-key", key], "invalid_argument"),
        # The right key, an integration the server does not have.
        (["models", "--host", emulator.url, "--integration", "nope", "--secret-key", emulator.secret_key], "nope"),
    ]
    for args, expected in cases:
        done = run(args)
        assert done.returncode == 1, (args, done.stderr)
        assert expected in done.stderr, (args, done.stderr)
        assert key not in done.stderr + done.stdout
        assert emulator.secret_key not in done.stderr + done.stdout
        assert "Traceback" not in done.stderr and "panicked" not in done.stderr
    # No key at all.
    done = run(["models", "--host", emulator.url])
    assert done.returncode == 1 and "NANGO_SECRET_KEY" in done.stderr, done.stderr
    # Not a command.
    done = run(["frobnicate"])
    assert done.returncode == 2 and "--lang" in done.stderr
    done = run(["--help"])
    assert done.returncode == 0 and "--pydantic" in done.stdout
