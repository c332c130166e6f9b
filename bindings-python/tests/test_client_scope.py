"""The official SDK's constructor options, as core applies them: call defaults, the script
headers, the application's User-Agent part, and body keys core does not know. Checked on what
the emulator received (it records every request's headers)."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List

import pytest

import nango


def sent(emulator: Any) -> List[Dict[str, Any]]:
    requests = emulator.admin("GET", "/requests")["requests"]
    return [r for r in requests if not r["path"].startswith("/_")]


def test_defaults_headers_and_user_agent_arrive(emulator: Any) -> None:
    client = emulator.client(
        user_agent="my-app/3.1",
        provider_config_key="zendesk",
        connection_id="conn-1",
        is_sync=True,
        is_script=True,
        dry_run=True,
        activity_log_id="log-9",
    )
    emulator.admin("DELETE", "/requests")
    # proxy without ids, and a connection-scoped call given empty ones: the defaults fill in.
    answer = client.proxy(endpoint="/echo/scope")
    assert answer["status"] == 200
    connection = client.get_connection("", "")
    assert connection["connection_id"] == "conn-1"
    proxied, fetched = sent(emulator)
    assert proxied["headers"]["connection-id"] == "conn-1"
    assert proxied["headers"]["provider-config-key"] == "zendesk"
    assert proxied["headers"]["nango-activity-log-id"] == "log-9"
    for request in (proxied, fetched):
        for name in ("nango-is-sync", "nango-is-script", "nango-is-dry-run"):
            assert request["headers"][name] == "true", name
        assert request["headers"]["user-agent"].endswith("; my-app/3.1")
    assert fetched["path"] == "/connections/conn-1"
    assert "nango-activity-log-id" not in fetched["headers"]


def test_without_options_nothing_extra_is_sent(emulator: Any) -> None:
    client = emulator.client()
    emulator.admin("DELETE", "/requests")
    client.get_connection("zendesk", "conn-1")
    (request,) = sent(emulator)
    for name in ("nango-is-sync", "nango-is-script", "nango-is-dry-run", "nango-activity-log-id"):
        assert name not in request["headers"]
    with pytest.raises(nango.ValidationError) as failed:
        client.proxy(endpoint="/echo/x")
    assert failed.value.code == "invalid_argument"


def test_option_values_are_checked(emulator: Any) -> None:
    with pytest.raises(nango.ValidationError):
        emulator.client(activity_log_id="bad\nvalue")


def test_async_client_takes_the_same_options(emulator: Any) -> None:
    async def run() -> Dict[str, Any]:
        client = emulator.async_client(
            connection_id="conn-1", provider_config_key="zendesk", dry_run=True
        )
        answer: Dict[str, Any] = await client.proxy(endpoint="/echo/async")
        return answer

    emulator.admin("DELETE", "/requests")
    answer = asyncio.run(run())
    assert answer["status"] == 200
    (request,) = sent(emulator)
    assert request["headers"]["connection-id"] == "conn-1"
    assert request["headers"]["nango-is-dry-run"] == "true"


def test_create_connect_session_forwards_unknown_keys(emulator: Any) -> None:
    client = emulator.client()
    emulator.admin("DELETE", "/requests")
    # Whatever the server thinks of the keys (Nango's own validation is strict), they are sent.
    try:
        client.create_connect_session(
            end_user={"id": "u1", "future_user_key": "x"},
            allowed_integrations=["zendesk"],
            future_key={"nested": [1, 2]},
        )
    except nango.ValidationError as err:
        assert err.code == "validation"
    (request,) = [r for r in sent(emulator) if r["path"] == "/connect/sessions"]
    body = json.loads(request["body"])
    assert body["future_key"] == {"nested": [1, 2]}
    assert body["end_user"]["future_user_key"] == "x"
