"""tests/vectors/checkpoints.json: the records iterators' checkpoint after each number of records
handed out, against the vector's pages on a loopback server (the cases Rust and Node run too)."""

from __future__ import annotations

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, List
from urllib.parse import parse_qs, urlparse

import pytest

import nango

VECTORS = json.loads((Path(__file__).resolve().parents[2] / "tests" / "vectors" / "checkpoints.json").read_text())


def serve(pages: List[List[str]]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            cursor = parse_qs(urlparse(self.path).query).get("cursor", [""])[0]
            index = int(cursor.removeprefix("page-")) if cursor else 0
            records = [{"id": i, "_nango_metadata": {"cursor": f"cur-{i}"}} for i in pages[index]]
            next_cursor = f"page-{index + 1}" if index + 1 < len(pages) else None
            body = json.dumps({"records": records, "next_cursor": next_cursor}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(params=VECTORS["cases"], ids=lambda case: case["name"])
def case(request: pytest.FixtureRequest) -> Iterator[Dict[str, Any]]:
    server = serve(request.param["pages"])
    try:
        yield {**request.param, "url": f"http://127.0.0.1:{server.server_address[1]}"}
    finally:
        server.shutdown()
        server.server_close()


def start(case: Dict[str, Any]) -> Dict[str, Any]:
    return {} if case["start"] is None else {"cursor": case["start"]}


def test_sync_iterator(case: Dict[str, Any]) -> None:
    it = nango.Nango("key", host=case["url"]).records("p", "c", "Ticket", **start(case))
    for _ in range(case["take"]):
        next(it)
    assert it.checkpoint == case["checkpoint"]
    assert it.cursor == it.checkpoint
    it.close()


def test_async_iterator(case: Dict[str, Any]) -> None:
    async def run() -> None:
        it = nango.AsyncNango("key", host=case["url"]).records("p", "c", "Ticket", **start(case))
        for _ in range(case["take"]):
            await it.__anext__()
        assert it.checkpoint == case["checkpoint"]
        assert it.cursor == it.checkpoint
        await it.aclose()

    asyncio.run(run())
