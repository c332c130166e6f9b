"""The shared vectors in tests/vectors/ (one copy for every language), run through the binding."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import nango
from nango import _nango

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors"
WEBHOOKS = json.loads((VECTORS / "webhooks.json").read_text())
ERRORS = json.loads((VECTORS / "errors.json").read_text())
HEADERS = json.loads((VECTORS / "headers.json").read_text())
CONFIG = json.loads((VECTORS / "config.json").read_text())
REQUESTS = json.loads((VECTORS / "requests.json").read_text())
CLASS_OF = {row["code"]: row["python"] for row in ERRORS["classes"]}
KEY = "11111111-2222-4333-8444-555555555555"


def lookup(value: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if isinstance(value, list):
            value = value[int(part)]
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            return None
        if value is None:
            return None
    return value


@pytest.mark.parametrize("case", WEBHOOKS["signatures"], ids=lambda c: c["name"])
def test_webhook_signatures(case: Dict[str, Any]) -> None:
    body = case["body"].encode()
    headers = [tuple(pair) for pair in case["headers"]]
    for legacy, expect in ((False, case["hmac"]), (True, case["legacy"])):
        if expect["valid"]:
            nango.verify_webhook(case["key"], body, headers, legacy=legacy)
        else:
            with pytest.raises(nango.WebhookVerificationError) as failed:
                nango.verify_webhook(case["key"], body, headers, legacy=legacy)
            assert failed.value.code == "invalid_signature"
            assert failed.value.payload == {"reason": expect["reason"]}
    if case["key"]:
        client = nango.Nango("11111111-2222-4333-8444-000000000000", webhook_signing_key=case["key"])
        assert client.verify_incoming_webhook_request(body, headers) is case["hmac"]["valid"]


@pytest.mark.parametrize("case", WEBHOOKS["payloads"], ids=lambda c: c["name"])
def test_webhook_payloads(case: Dict[str, Any]) -> None:
    body = case["body"] if isinstance(case["body"], str) else json.dumps(case["body"])
    parsed: Any = nango.parse_webhook_payload(body.encode())
    assert parsed["type"] == case["kind"]
    wire = parsed["body"] if case["kind"] == "unknown" else parsed
    for path, expected in case["fields"].items():
        assert lookup(wire, path) == expected, path


ERROR_CASES: List[Dict[str, Any]] = [c for c in ERRORS["cases"] if c["status"] >= 300]


@pytest.mark.parametrize("case", ERROR_CASES, ids=lambda c: c["name"])
def test_error_mapping(case: Dict[str, Any]) -> None:
    err: Any = _nango._error_from_response(
        case["request"],
        case["status"],
        list(case.get("headers", {}).items()),
        case["body"].encode(),
        ERRORS["now"],
    )
    expect = case["expect"]
    assert isinstance(err, nango.NangoError)
    assert err.code == expect["code"]
    assert err.status == case["status"]
    if "serverCode" in expect:
        assert err.server_code == expect["serverCode"]
    if "retryAfterMs" in expect:
        expected = None if expect["retryAfterMs"] is None else expect["retryAfterMs"] / 1000
        assert err.retry_after == expected
    if "errorsPaths" in expect:
        assert [issue["path"] for issue in err.errors] == expect["errorsPaths"]
    if "payload" in expect:
        assert err.payload == expect["payload"]
    # The class the shared table names for this code.
    assert type(err) is getattr(nango, CLASS_OF[err.code])


@pytest.mark.parametrize("row", ERRORS["classes"], ids=lambda r: r["code"])
def test_every_code_maps_to_its_class(row: Dict[str, Any]) -> None:
    name = row["python"]
    assert name in nango.__all__, f"{name} is exported"
    cls = getattr(nango, name)
    assert isinstance(cls, type) and issubclass(cls, nango.NangoError)
    err: Any = _nango._error_for_code(row["code"])
    assert type(err) is cls, f"{row['code']} -> {name}, got {type(err).__name__}"
    assert err.code == row["code"]


def test_error_classes_cover_every_code() -> None:
    assert len(CLASS_OF) == len(ERRORS["classes"]) >= 25
    with pytest.raises(nango.ValidationError):
        _nango._error_for_code("not_a_code")


Answer = Tuple[List[List[str]], bytes]


class Loopback:
    """A loopback server: records each request's path and query, answers with the next of
    `answers` (header pairs in wire order, body)."""

    def __init__(self) -> None:
        self.answers: List[Answer] = []
        self.received: List[str] = []
        loopback = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                loopback.received.append(self.path)
                pairs, body = loopback.answers.pop(0)
                self.send_response(200)
                for name, value in pairs:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def loopback() -> Iterator[Loopback]:
    server = Loopback()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()


@pytest.mark.parametrize("case", HEADERS["cases"], ids=lambda c: c["name"])
def test_header_folding(case: Dict[str, Any], loopback: Loopback) -> None:
    loopback.answers.append((case["received"], b"{}"))
    client = nango.Nango(KEY, host=loopback.url, max_retries=0)
    response = client.proxy(endpoint="/h", provider_config_key="p", connection_id="c")
    expect: Dict[str, Any] = case["expect"]
    # Only the vector's names (http.server adds Server, Date, Content-Length), in order.
    got = [(name, value) for name, value in response["headers"].items() if name in expect]
    assert got == list(expect.items())


TOKEN_CASES = [c for c in REQUESTS["cases"] if c["call"] == "getToken"]


@pytest.mark.parametrize("case", TOKEN_CASES, ids=lambda c: c["name"])
def test_get_token_request(case: Dict[str, Any], loopback: Loopback) -> None:
    # Python's get_token has no refresh_token argument; core decides what is sent.
    args = case["args"]
    connection = {"connection_id": "c", "provider_config_key": "p", "credentials": {"type": "OAUTH2", "access_token": "t"}}
    loopback.answers.append(([["content-type", "application/json"]], json.dumps(connection).encode()))
    loopback.received.clear()
    client = nango.Nango(KEY, host=loopback.url, max_retries=0)
    token = client.get_token(
        args["providerConfigKey"],
        args["connectionId"],
        force_refresh=args.get("forceRefresh", False),
        refresh_github_app_jwt_token=args.get("refreshGithubAppJwtToken", False),
    )
    assert token == "t"
    expect = case["expect"]
    assert loopback.received == [f"{expect['path']}?{expect['query']}"]


@pytest.mark.parametrize("case", CONFIG["cases"], ids=lambda c: c["name"])
def test_config_bounds(case: Dict[str, Any]) -> None:
    kwargs: Dict[str, Any] = {}
    settings = case["settings"]
    if "timeout" in settings:
        kwargs["timeout"] = settings["timeout"]
    if "maxRetries" in settings:
        retries = settings["maxRetries"]
        # Whole numbers are ints, as a Python caller writes them (4_000_000_000 included).
        kwargs["max_retries"] = int(retries) if float(retries).is_integer() else retries
    for cls in (nango.Nango, nango.AsyncNango):
        if case.get("ok"):
            cls(KEY, **kwargs)
            continue
        with pytest.raises(nango.ValidationError) as rejected:
            cls(KEY, **kwargs)
        assert rejected.value.code == case["error"]
        assert case["field"] in str(rejected.value)
