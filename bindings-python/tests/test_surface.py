"""The methods that complete the official surface in Python (providers, scripts config,
environment variables, sync variants, the proxy's method shortcuts, the deprecated signature
check) and the proxy's decoding by content type, against the emulator, on the sync and the
asyncio client."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any, Dict
from urllib.parse import urlencode

import pytest

import nango
from conftest import Emulator

PCK = "zendesk"
CONN = "conn-1"


def typed(content_type: str | None, body: str) -> str:
    """A path of the emulator's demo provider that answers ``body`` under ``content_type``."""
    query: Dict[str, str] = {"body": body}
    if content_type is not None:
        query["content_type"] = content_type
    return "/typed?" + urlencode(query)


def test_providers(client: nango.Nango) -> None:
    providers = client.list_providers()["data"]
    assert "zendesk" in [p["name"] for p in providers]
    assert [p["name"] for p in client.list_providers(search="zEnd")["data"]] == ["zendesk"]
    assert client.list_providers(search="no-such-provider")["data"] == []
    assert client.get_provider("zendesk")["data"]["name"] == "zendesk"
    with pytest.raises(nango.NotFoundError) as missing:
        client.get_provider("no-such-provider")
    assert missing.value.status == 404


def test_scripts_config(client: nango.Nango) -> None:
    config = client.get_scripts_config()
    assert isinstance(config, list)
    zendesk = next(entry for entry in config if entry["providerConfigKey"] == PCK)
    assert "tickets" in [sync["name"] for sync in zendesk["syncs"]]
    assert client.get_scripts_config("nango") == config
    openai = client.get_scripts_config("openai")
    assert isinstance(openai["data"], list)
    with pytest.raises(nango.ValidationError):
        client.get_scripts_config("yaml")


def test_environment_variables(emulator: Emulator) -> None:
    assert emulator.client().get_environment_variables() == []
    stranger = nango.Nango("11111111-2222-4333-8444-000000000000", host=emulator.url, max_retries=0)
    with pytest.raises(nango.AuthenticationError):
        stranger.get_environment_variables()


def test_sync_variants(client: nango.Nango) -> None:
    created = client.create_sync_variant(PCK, CONN, "tickets", "eu")
    assert (created["name"], created["variant"]) == ("tickets", "eu")
    status = client.sync_status(PCK, [{"name": "tickets", "variant": "eu"}], CONN)
    assert status["syncs"][0]["variant"] == "eu"
    with pytest.raises(nango.ValidationError) as again:
        client.create_sync_variant(PCK, CONN, "tickets", "eu")
    assert again.value.status == 400
    with pytest.raises(nango.ValidationError):
        client.create_sync_variant(PCK, CONN, "no-such-sync", "eu")
    assert client.delete_sync_variant(PCK, CONN, "tickets", "eu") == {"success": True}
    with pytest.raises(nango.NotFoundError):
        client.delete_sync_variant(PCK, CONN, "tickets", "eu")
    with pytest.raises(nango.ValidationError):
        client.delete_sync_variant(PCK, CONN, "tickets", "base")


@pytest.mark.parametrize("verb", ["get", "post", "put", "patch", "delete"])
def test_proxy_method_shortcuts(client: nango.Nango, verb: str) -> None:
    response = getattr(client, verb)(
        endpoint="/echo/shortcut", provider_config_key=PCK, connection_id=CONN, data={"k": verb}
    )
    assert response["status"] == 200
    assert response["data"]["method"] == verb.upper()
    assert response["data"]["path"] == "/echo/shortcut"
    raw = getattr(client, verb)(
        endpoint="/echo/shortcut", provider_config_key=PCK, connection_id=CONN, raw=True
    )
    assert isinstance(raw["data"], bytes) and b'"method":"%s"' % verb.upper().encode() in raw["data"]


DECODED = [
    ("application/json", '{"a": [1, 2]}', {"a": [1, 2]}),
    ("application/json; charset=utf-8", '"text"', "text"),
    ("application/vnd.api+json", '{"data": null}', {"data": None}),
    ("text/plain; charset=utf-8", "héllo", "héllo"),
    ("text/csv", "a,b\n1,2\n", "a,b\n1,2\n"),
    ("application/xml", "<a/>", "<a/>"),
    # Not JSON by its label: the text is left alone, even when it parses.
    ("text/plain", '{"a": 1}', '{"a": 1}'),
    ("application/octet-stream", "bytes", b"bytes"),
    ("text/plain; charset=iso-8859-1", "abc", b"abc"),
    (None, "abc", b"abc"),
    # No body: None, whatever the label.
    ("application/json", "", None),
    ("text/plain", "", None),
]


@pytest.mark.parametrize(("content_type", "body", "expected"), DECODED)
def test_proxy_decodes_by_content_type(
    client: nango.Nango, content_type: str | None, body: str, expected: Any
) -> None:
    response = client.proxy(endpoint=typed(content_type, body), provider_config_key=PCK, connection_id=CONN)
    assert response["status"] == 200
    assert response["data"] == expected
    assert type(response["data"]) is type(expected)
    raw = client.proxy(
        endpoint=typed(content_type, body), provider_config_key=PCK, connection_id=CONN, raw=True
    )
    assert raw["data"] == body.encode()


def test_proxy_binary_and_head(client: nango.Nango) -> None:
    binary = client.get(endpoint="/binary", provider_config_key=PCK, connection_id=CONN)
    assert binary["data"] == bytes(range(256))
    head = client.proxy(
        method="HEAD", endpoint=typed("application/json", '{"a": 1}'), provider_config_key=PCK, connection_id=CONN
    )
    assert head["status"] == 200
    assert head["headers"]["content-type"] == "application/json"
    assert head["data"] is None
    octets = typed("application/octet-stream", "abc")
    raw_head = client.proxy(method="HEAD", endpoint=octets, provider_config_key=PCK, connection_id=CONN, raw=True)
    assert raw_head["data"] == b""


def test_proxy_json_label_on_a_body_that_is_not_json(client: nango.Nango) -> None:
    endpoint = typed("application/json", "<html>oops</html>")
    with pytest.raises(nango.DecodeError) as raised:
        client.proxy(endpoint=endpoint, provider_config_key=PCK, connection_id=CONN)
    assert raised.value.code == "decode"
    assert raised.value.status == 200
    assert client.proxy(endpoint=endpoint, provider_config_key=PCK, connection_id=CONN, raw=True)[
        "data"
    ] == b"<html>oops</html>"


def test_verify_webhook_signature(emulator: Emulator) -> None:
    client = emulator.client()
    body = b'{"type":"sync","connectionId":"c1"}'
    good = hashlib.sha256(emulator.signing_key.encode() + body).hexdigest()
    assert client.verify_webhook_signature(good, body) is True
    assert client.verify_webhook_signature(good, body.decode()) is True
    assert client.verify_webhook_signature(good, body + b" ") is False
    assert client.verify_webhook_signature(good.upper()[:-1] + "0", body) is False
    assert client.verify_webhook_signature("", body) is False
    assert emulator.async_client().verify_webhook_signature(good, body) is True
    with pytest.raises(TypeError):
        client.verify_webhook_signature(good, {"type": "sync"})  # type: ignore[arg-type]


def test_the_async_client(emulator: Emulator) -> None:
    async def run() -> None:
        client = emulator.async_client()
        assert "zendesk" in [p["name"] for p in (await client.list_providers(search="zen"))["data"]]
        assert (await client.get_provider("zendesk"))["data"]["name"] == "zendesk"
        with pytest.raises(nango.NotFoundError):
            await client.get_provider("no-such-provider")
        assert isinstance(await client.get_scripts_config(), list)
        assert isinstance((await client.get_scripts_config("openai"))["data"], list)
        assert await client.get_environment_variables() == []
        created = await client.create_sync_variant(PCK, CONN, "tickets", "us")
        assert created["variant"] == "us"
        assert await client.delete_sync_variant(PCK, CONN, "tickets", "us") == {"success": True}
        with pytest.raises(nango.NotFoundError):
            await client.delete_sync_variant(PCK, CONN, "tickets", "us")
        for verb in ("get", "post", "put", "patch", "delete"):
            response = await getattr(client, verb)(endpoint="/echo/a", provider_config_key=PCK, connection_id=CONN)
            assert response["data"]["method"] == verb.upper()
        for content_type, body, expected in DECODED:
            endpoint = typed(content_type, body)
            response = await client.proxy(endpoint=endpoint, provider_config_key=PCK, connection_id=CONN)
            assert response["data"] == expected and type(response["data"]) is type(expected)
            raw = await client.proxy(endpoint=endpoint, provider_config_key=PCK, connection_id=CONN, raw=True)
            assert raw["data"] == body.encode()
        head = await client.proxy(method="HEAD", endpoint=typed("application/json", "{}"), provider_config_key=PCK, connection_id=CONN)
        assert head["data"] is None
        with pytest.raises(nango.DecodeError):
            await client.proxy(endpoint=typed("application/json", "nope"), provider_config_key=PCK, connection_id=CONN)

    asyncio.run(run())
