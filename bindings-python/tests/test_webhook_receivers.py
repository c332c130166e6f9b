"""The webhook receivers (``nango.webhooks.*``) in the real frameworks, fed by the emulator.

For Starlette (an endpoint), FastAPI (a dependency), Flask and Django (view decorators): a genuine
webhook from the emulator is accepted and reaches the view typed; one byte changed gets 401; a
signed body that is not JSON gets 400; a body something read first gets 500 with
``body_already_parsed`` and the fix, not a silent 401.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.request
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest
import uvicorn
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse
from django.urls import clear_url_caches, path
from fastapi import Depends, FastAPI
from flask import Flask
from flask import request as flask_request
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from werkzeug.serving import make_server

import nango
from nango.types import WebhookPayload
from nango.webhooks import WebhookBodyError, verify_and_parse
from nango.webhooks import django as django_receiver
from nango.webhooks import flask as flask_receiver
from nango.webhooks import starlette as starlette_receiver

from conftest import Emulator, start_emulator, stop_emulator

Captured = Tuple[bytes, Dict[str, str]]


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    running = start_emulator(
        {
            "connections": [{"connection_id": "conn-1", "provider_config_key": "zendesk"}],
            "webhooks": {"retry_backoff_ms": [10, 20], "always_send_sync": True},
        }
    )
    try:
        yield running
    finally:
        stop_emulator(running)


def wait_for(found: Callable[[], Any], what: str) -> Any:
    for _ in range(400):
        value = found()
        if value:
            return value
        time.sleep(0.025)
    raise AssertionError(f"timed out waiting for {what}")


def deliver_sync_webhook(emu: Emulator, url: str) -> Dict[str, Any]:
    """Points the webhooks at ``url``, runs the sync, returns the settled delivery to ``url``."""
    emu.admin("DELETE", "/webhooks")
    emu.admin("PUT", "/webhook-url", {"url": url})
    emu.admin("POST", "/sync/run", {"provider_config_key": "zendesk", "connection_id": "conn-1"})

    def settled() -> Any:
        for d in emu.admin("GET", "/webhooks")["deliveries"]:
            if d["url"] == url and (d["delivered"] or len(d["attempts"]) >= 3):
                return d
        return None

    delivery: Dict[str, Any] = wait_for(settled, f"a webhook delivery to {url}")
    return delivery


def post(url: str, body: bytes, headers: Dict[str, str]) -> Tuple[int, Any]:
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as res:
            status, text = res.status, res.read()
    except urllib.error.HTTPError as err:
        status, text = err.code, err.read()
    return status, json.loads(text) if text else None


def one_byte_changed(body: bytes) -> bytes:
    changed = bytearray(body)
    at = len(changed) // 2
    changed[at] = ord("1") if changed[at] == ord("0") else ord("0")
    return bytes(changed)


class WsgiServer:
    def __init__(self, app: Any) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.thread.join()


class AsgiServer:
    def __init__(self, app: Any) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        wait_for(lambda: self.server.started, "uvicorn to start")
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join()


@pytest.fixture(scope="module")
def genuine(emu: Emulator) -> Captured:
    """A webhook exactly as the emulator sent it: body bytes and its signature headers."""
    seen: List[Captured] = []
    app = Flask("capture")

    @app.post("/capture")
    def capture() -> str:
        headers = {k.lower(): v for k, v in flask_request.headers.items()}
        seen.append((flask_request.get_data(), headers))
        return "ok"

    server = WsgiServer(app)
    try:
        deliver_sync_webhook(emu, f"{server.url}/capture")
    finally:
        server.close()
    body, headers = seen[0]
    keep = {k: v for k, v in headers.items() if k == "content-type" or k.startswith("x-nango-")}
    return body, keep


# --- The apps: each serves POST /webhooks (the receiver) and POST /parsed (the body read first). ---


def starlette_app(client: nango.Nango, received: List[WebhookPayload]) -> Any:
    async def on_webhook(webhook: WebhookPayload, _request: Request) -> None:
        received.append(webhook)

    endpoint = starlette_receiver.webhook_endpoint(client, on_webhook)

    async def parsed(request: Request) -> Response:
        async for _chunk in request.stream():
            pass
        return await endpoint(request)

    return Starlette(routes=[Route("/webhooks", endpoint, methods=["POST"]), Route("/parsed", parsed, methods=["POST"])])


def fastapi_app(client: nango.Nango, received: List[WebhookPayload]) -> Any:
    app = FastAPI()
    verified = starlette_receiver.verified_webhook(client)

    @app.post("/webhooks")
    async def webhooks(webhook: WebhookPayload = Depends(verified)) -> Dict[str, bool]:
        received.append(webhook)
        return {"ok": True}

    async def drain(request: Request) -> None:
        async for _chunk in request.stream():
            pass

    @app.post("/parsed", dependencies=[Depends(drain)])
    async def parsed(webhook: WebhookPayload = Depends(verified)) -> Dict[str, bool]:
        received.append(webhook)
        return {"ok": True}

    return app


def flask_app(client: nango.Nango, received: List[WebhookPayload]) -> Any:
    app = Flask("receiver")

    @app.post("/webhooks", endpoint="webhooks")
    @flask_receiver.nango_webhook(client)
    def webhooks(webhook: WebhookPayload) -> None:
        received.append(webhook)

    @app.before_request
    def read_stream_on_parsed() -> None:
        if flask_request.path == "/parsed":
            json.loads(flask_request.stream.read())

    @app.post("/parsed", endpoint="parsed")
    @flask_receiver.nango_webhook(client)
    def parsed(webhook: WebhookPayload) -> None:
        received.append(webhook)

    return app


#: The Django URL conf (this module is ROOT_URLCONF); django_app() fills it.
urlpatterns: List[Any] = []


def json_body_middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Parses JSON bodies from the stream on /parsed, as some JSON middlewares do."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.path == "/parsed":
            request.json = json.load(request)  # type: ignore[attr-defined]
        return get_response(request)

    return middleware


def django_app(client: nango.Nango, received: List[WebhookPayload]) -> Any:
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="receiver-tests-only",
            ALLOWED_HOSTS=["127.0.0.1"],
            ROOT_URLCONF=__name__,
            # CSRF on: the decorator must exempt the webhook view.
            MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware", f"{__name__}.json_body_middleware"],
            INSTALLED_APPS=[],
        )
        import django

        django.setup()

    @django_receiver.nango_webhook(client)
    def webhooks(_request: HttpRequest, webhook: WebhookPayload) -> None:
        received.append(webhook)

    global urlpatterns
    urlpatterns = [path("webhooks", webhooks), path("parsed", webhooks)]
    clear_url_caches()
    return WSGIHandler()


FRAMEWORKS: Dict[str, Tuple[Callable[[nango.Nango, List[WebhookPayload]], Any], str, str]] = {
    "starlette": (starlette_app, "asgi", "request.body()"),
    "fastapi": (fastapi_app, "asgi", "request.body()"),
    "flask": (flask_app, "wsgi", "request.get_data()"),
    "django": (django_app, "wsgi", "request.body"),
}


def error_of(answer: Any) -> Any:
    # FastAPI puts an HTTPException's detail under "detail".
    return answer["detail"] if isinstance(answer, dict) and "detail" in answer else answer


@pytest.mark.parametrize("name", list(FRAMEWORKS))
def test_receiver(name: str, emu: Emulator, genuine: Captured) -> None:
    make_app, kind, fix = FRAMEWORKS[name]
    received: List[WebhookPayload] = []
    app = make_app(emu.client(), received)
    server: Any = AsgiServer(app) if kind == "asgi" else WsgiServer(app)
    try:
        # The emulator delivers: 200 on the first attempt, the view gets the typed webhook.
        delivery = deliver_sync_webhook(emu, f"{server.url}/webhooks")
        assert delivery["attempts"] == ["200"]
        assert delivery["delivered"] is True
        assert len(received) == 1
        first = received[0]
        assert first["type"] == "sync"
        assert first["connectionId"] == "conn-1"
        assert first["model"] == "Ticket"

        body, headers = genuine
        status, _ = post(f"{server.url}/webhooks", body, headers)
        assert status == 200
        assert len(received) == 2

        status, answer = post(f"{server.url}/webhooks", one_byte_changed(body), headers)
        assert status == 401
        assert error_of(answer)["error"] == "invalid_signature"
        status, _ = post(f"{server.url}/webhooks", body, {"content-type": "application/json"})
        assert status == 401

        not_json = b"not json at all"
        signature = hmac.new(emu.signing_key.encode(), not_json, hashlib.sha256).hexdigest()
        status, answer = post(
            f"{server.url}/webhooks", not_json, {"content-type": "application/json", "x-nango-hmac-sha256": signature}
        )
        assert status == 400
        assert error_of(answer)["error"] == "invalid_argument"
        assert len(received) == 2

        status, answer = post(f"{server.url}/parsed", body, headers)
        assert status == 500, answer
        assert error_of(answer)["error"] == "body_already_parsed"
        assert fix in error_of(answer)["message"], answer
        assert len(received) == 2
    finally:
        server.close()


def test_verify_and_parse(emu: Emulator, genuine: Captured) -> None:
    body, headers = genuine
    ok = verify_and_parse(emu.client(), body, headers)
    assert (ok.ok, ok.status) == (True, 200)
    assert ok.webhook is not None and ok.webhook["type"] == "sync"
    assert verify_and_parse(emu.async_client(), body.decode(), list(headers.items())).status == 200
    bad = verify_and_parse(emu.client(), one_byte_changed(body), headers)
    assert (bad.ok, bad.status, bad.code) == (False, 401, "invalid_signature")
    assert bad.message is not None and headers["x-nango-hmac-sha256"] not in bad.message
    other = nango.Nango(emu.secret_key, host=emu.url, webhook_signing_key="another-key")
    assert verify_and_parse(other, body, headers).status == 401
    with pytest.raises(WebhookBodyError) as err:
        verify_and_parse(emu.client(), json.loads(body), headers)  # type: ignore[arg-type]
    assert err.value.code == "body_already_parsed"
