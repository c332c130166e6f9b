"""Every client method, sync and asyncio, against the emulator on loopback."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import nango
from conftest import Emulator

PCK = "zendesk"
CONN = "conn-1"


def test_repr_hides_the_keys(emulator: Emulator) -> None:
    for client in (emulator.client(), emulator.async_client()):
        text = repr(client)
        assert emulator.url in text
        assert emulator.secret_key not in text
        assert emulator.signing_key not in text
        assert client.host == emulator.url


def test_records_page_and_prune(client: nango.Nango) -> None:
    page = client.list_records(PCK, CONN, "Ticket", limit=3)
    assert len(page["records"]) == 3
    assert isinstance(page["records"][0], dict)
    assert page["records"][0]["_nango_metadata"]["last_action"] == "ADDED"
    assert page["next_cursor"] is not None
    rest = client.list_records(PCK, CONN, "Ticket", cursor=page["next_cursor"], limit=1000)
    assert rest["next_cursor"] is None
    ids = {r["id"] for r in page["records"]} | {r["id"] for r in rest["records"]}
    assert len(ids) == 50
    picked = client.list_records(PCK, CONN, "Ticket", ids=[page["records"][0]["id"]])
    assert [r["id"] for r in picked["records"]] == [page["records"][0]["id"]]
    cursor = page["records"][-1]["_nango_metadata"]["cursor"]
    pruned = client.prune_records(PCK, CONN, "Ticket", cursor)
    assert pruned["count"] == 3 and pruned["has_more"] is False
    again = client.list_records(PCK, CONN, "Ticket", limit=3)
    assert all(r["_nango_metadata"]["pruned_at"] is not None for r in again["records"])


def test_actions(client: nango.Nango) -> None:
    assert client.trigger_action(PCK, CONN, "echo", {"a": [1, 2.5, None, True]}) == {
        "a": [1, 2.5, None, True]
    }
    handle = client.trigger_action_async(PCK, CONN, "echo", {"b": "ü"})
    assert set(handle) == {"id", "statusUrl"}
    # The async run completes in the background; poll like a real caller would.
    for _ in range(100):
        try:
            assert client.get_async_action_result(handle["id"]) == {"b": "ü"}
            break
        except nango.NotFoundError:
            import time

            time.sleep(0.05)
    assert client.get_async_action_result(status_url=handle["statusUrl"]) == {"b": "ü"}
    with pytest.raises(nango.NangoError) as failed:
        client.trigger_action(PCK, CONN, "fail")
    assert failed.value.status is not None and failed.value.status >= 400
    with pytest.raises(nango.NotFoundError) as missing:
        client.get_async_action_result("00000000-0000-4000-8000-000000000000")
    assert missing.value.code == "not_found"


def test_connections_and_metadata(emulator: Emulator, client: nango.Nango) -> None:
    connection = client.get_connection(PCK, CONN)
    assert connection["connection_id"] == CONN
    assert connection["provider_config_key"] == PCK
    assert connection["credentials"] is not None
    token = client.get_token(PCK, CONN)
    assert isinstance(token, str) and token == connection["credentials"]["access_token"]
    listed = client.list_connections(integration_id=PCK)
    assert CONN in [c["connection_id"] for c in listed["connections"]]
    assert client.list_connections(connection_id="nobody")["connections"] == []
    client.set_metadata(PCK, CONN, {"x": 1})
    client.update_metadata(PCK, [CONN], {"y": {"z": 2}})
    assert client.get_metadata(PCK, CONN) == {"x": 1, "y": {"z": 2}}
    client.set_metadata(PCK, CONN, {"only": True})
    assert client.get_metadata(PCK, CONN) == {"only": True}
    assert client.patch_connection(PCK, CONN, {"tags": {"team": "a"}}) == {"success": True}
    assert client.get_connection(PCK, CONN)["tags"] == {"team": "a"}  # type: ignore[typeddict-item]
    emulator.admin("POST", "/connections", {"provider_config_key": PCK, "connection_id": "doomed"})
    assert client.delete_connection(PCK, "doomed") == {"success": True}
    with pytest.raises(nango.NotFoundError) as gone:
        client.get_connection(PCK, "doomed")
    assert gone.value.code in ("not_found", "unknown_connection")


def test_connect_sessions(client: nango.Nango) -> None:
    session = client.create_connect_session(
        end_user={"id": "u1", "email": "u1@example.com", "display_name": "U One"},
        allowed_integrations=[PCK],
        tags={"org": "acme"},
    )
    token = session["data"]["token"]
    assert token.startswith("nango_connect_session_")
    assert session["data"]["expires_at"]
    again = client.create_reconnect_session(CONN, PCK)
    assert again["data"]["token"] != token
    with pytest.raises(nango.ValidationError) as bad:
        client.create_connect_session(allowed_integrations=["no-such-integration"], end_user={"id": "u"})
    assert bad.value.status == 400


def test_syncs(client: nango.Nango) -> None:
    assert client.trigger_sync(PCK, "tickets", CONN) == {"success": True}
    assert client.trigger_sync(PCK, ["tickets"], CONN, reset=True) == {"success": True}
    assert client.pause_sync(PCK, "tickets", CONN) == {"success": True}
    status = client.sync_status(PCK, "*", CONN)
    assert status["syncs"][0]["name"] == "tickets"
    assert status["syncs"][0]["status"] == "PAUSED"
    assert client.start_sync(PCK, [{"name": "tickets", "variant": "base"}], CONN) == {"success": True}
    assert client.sync_status(PCK, ["tickets"], CONN)["syncs"][0]["status"] != "PAUSED"
    assert client.update_sync_connection_frequency(PCK, "tickets", CONN, "every 2h") == {
        "frequency": "every 2h"
    }


def test_proxy(client: nango.Nango) -> None:
    response = client.proxy(
        method="POST",
        endpoint="/echo/x",
        provider_config_key=PCK,
        connection_id=CONN,
        headers={"X-Custom": "yes"},
        params={"q": "a b"},
        data={"k": "v"},
    )
    assert response["status"] == 200
    import json

    # application/json: parsed.
    echoed = response["data"]
    assert echoed["method"] == "POST"
    assert echoed["path"] == "/echo/x"
    assert json.loads(echoed["body"]) == {"k": "v"}
    assert echoed["headers"]["x-custom"] == "yes"
    binary = client.proxy(endpoint="/binary", provider_config_key=PCK, connection_id=CONN)
    assert isinstance(binary["data"], bytes) and len(binary["data"]) > 0


def test_integrations(client: nango.Nango) -> None:
    configs = client.list_integrations()["configs"]
    assert PCK in [c["unique_key"] for c in configs]
    integration = client.get_integration(PCK)
    assert integration["data"]["unique_key"] == PCK
    with pytest.raises(nango.NotFoundError) as missing:
        client.get_integration("nope")
    assert missing.value.code in ("not_found", "unknown_integration")


def test_async_client_every_method(emulator: Emulator) -> None:
    async def run() -> None:
        client = emulator.async_client()
        page = await client.list_records(PCK, CONN, "Ticket", limit=2)
        assert len(page["records"]) == 2
        cursor = page["records"][-1]["_nango_metadata"]["cursor"]
        assert (await client.prune_records(PCK, CONN, "Ticket", cursor))["count"] >= 0
        assert await client.trigger_action(PCK, CONN, "echo", [1, 2]) == [1, 2]
        handle = await client.trigger_action_async(PCK, CONN, "echo", {"q": 1})
        for _ in range(100):
            try:
                assert await client.get_async_action_result(status_url=handle["statusUrl"]) == {"q": 1}
                break
            except nango.NotFoundError:
                await asyncio.sleep(0.05)
        assert (await client.get_connection(PCK, CONN))["connection_id"] == CONN
        assert isinstance(await client.get_token(PCK, CONN), str)
        assert (await client.list_connections())["connections"]
        await client.set_metadata(PCK, CONN, {"a": 1})
        await client.update_metadata(PCK, CONN, {"b": 2})
        assert await client.get_metadata(PCK, CONN) == {"a": 1, "b": 2}
        assert await client.patch_connection(PCK, CONN, {"tags": {"t": "1"}}) == {"success": True}
        session = await client.create_connect_session(end_user={"id": "u2"})
        assert session["data"]["token"].startswith("nango_connect_session_")
        assert (await client.create_reconnect_session(CONN, PCK))["data"]["token"]
        assert await client.trigger_sync(PCK, "tickets", CONN) == {"success": True}
        assert await client.pause_sync(PCK, "tickets", CONN) == {"success": True}
        assert await client.start_sync(PCK, "tickets", CONN) == {"success": True}
        assert (await client.sync_status(PCK, None, CONN))["syncs"]
        assert (await client.update_sync_connection_frequency(PCK, "tickets", CONN, None))[
            "frequency"
        ] is None or True
        response = await client.proxy(endpoint="/echo", provider_config_key=PCK, connection_id=CONN)
        assert response["status"] == 200
        assert (await client.list_integrations())["configs"]
        assert (await client.get_integration(PCK))["data"]["unique_key"] == PCK
        emulator.admin("POST", "/connections", {"provider_config_key": PCK, "connection_id": "tmp-a"})
        assert await client.delete_connection(PCK, "tmp-a") == {"success": True}
        with pytest.raises(nango.NotFoundError):
            await client.get_connection(PCK, "tmp-a")
        # Many calls at once on one client.
        results = await asyncio.gather(
            *[client.trigger_action(PCK, CONN, "echo", {"i": i}) for i in range(50)]
        )
        assert results == [{"i": i} for i in range(50)]

    asyncio.run(run())


def test_errors_carry_code_status_payload(emulator: Emulator) -> None:
    bad_key = nango.Nango("00000000-0000-4000-8000-000000000000", host=emulator.url, max_retries=0)
    with pytest.raises(nango.AuthenticationError) as unauthorized:
        bad_key.list_integrations()
    err = unauthorized.value
    assert err.code == "unauthorized" and err.status == 401
    assert err.server_code == "unknown_account"
    assert "00000000-0000-4000-8000-000000000000" not in str(err)
    emulator.admin("POST", "/faults", {"path": "/integrations", "kind": "status", "status": 429, "retry_after": 7})
    no_retry = emulator.client(max_retries=0)
    with pytest.raises(nango.RateLimitError) as limited:
        no_retry.list_integrations()
    assert limited.value.code == "rate_limited"
    assert limited.value.retry_after == 7.0
    with pytest.raises(nango.ValidationError) as invalid:
        emulator.client().list_records(PCK, CONN, "lowercase-model")
    assert invalid.value.code == "validation" and invalid.value.errors


def test_transport_and_timeout_errors(emulator: Emulator) -> None:
    dead = nango.Nango(emulator.secret_key, host="http://127.0.0.1:1", max_retries=0)
    with pytest.raises(nango.TransportError) as refused:
        dead.list_integrations()
    assert refused.value.code == "transport" and refused.value.status is None
    emulator.admin("POST", "/faults", {"path": "/integrations", "kind": "delay", "ms": 2000})
    slow = emulator.client(timeout=0.2, max_retries=0)
    with pytest.raises(nango.TimeoutError) as timed_out:
        slow.list_integrations()
    assert isinstance(timed_out.value, TimeoutError)  # the builtin, too
    assert timed_out.value.code == "timeout"


def test_errors_survive_pickling() -> None:
    import pickle

    err = nango.RateLimitError("slow down", code="rate_limited", status=429, retry_after=2.0)
    back: Any = pickle.loads(pickle.dumps(err))
    assert type(back) is nango.RateLimitError
    assert (back.code, back.status, back.retry_after) == ("rate_limited", 429, 2.0)
