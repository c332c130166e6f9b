"""The shared vectors in tests/vectors/ (one copy for every language), run through the binding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

import nango
from nango import _nango

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors"
WEBHOOKS = json.loads((VECTORS / "webhooks.json").read_text())
ERRORS = json.loads((VECTORS / "errors.json").read_text())


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
    # One place maps codes to classes: check the family too.
    families = {
        "unauthorized": nango.AuthenticationError,
        "forbidden": nango.AuthenticationError,
        "rate_limited": nango.RateLimitError,
        "not_found": nango.NotFoundError,
        "unknown_connection": nango.NotFoundError,
        "unknown_integration": nango.NotFoundError,
        "validation": nango.ValidationError,
    }
    if err.code in families:
        assert isinstance(err, families[err.code])
