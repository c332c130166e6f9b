"""Every plain JSON method goes through the one dispatcher on core's table of operations: a bad
argument is core's ``invalid_argument`` error (``ValidationError``, naming the keyword as spelt in
Python), raised at the call, before anything is sent, on the sync and the asyncio client alike."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, Dict, List

import pytest

import nango
from conftest import Emulator

# Not one request and one JSON answer: pages, the record walker, the proxy and its method
# shortcuts, local webhook checks.
SPECIAL = {
    "list_records",
    "records",
    "proxy",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "verify_incoming_webhook_request",
    "verify_webhook_signature",
    "parse_webhook",
}


def table_methods() -> List[str]:
    names = [
        name
        for name, member in inspect.getmembers(nango.Nango)
        if not name.startswith("_") and callable(member) and name not in SPECIAL
    ]
    assert len(names) >= 20, names
    return names


def bad_arguments(name: str) -> Dict[str, Any]:
    """Every required parameter as an empty string (which core refuses), keyword-style."""
    signature = inspect.signature(getattr(nango.Nango, name))
    return {
        parameter.name: ""
        for parameter in signature.parameters.values()
        if parameter.name != "self"
        and parameter.default is inspect.Parameter.empty
        # `**extra` (body keys core forwards as given) is not a required parameter.
        and parameter.kind is not inspect.Parameter.VAR_KEYWORD
    }


def test_the_methods_are_the_async_client_s() -> None:
    assert table_methods() == [
        name
        for name, member in inspect.getmembers(nango.AsyncNango)
        if not name.startswith("_") and callable(member) and name not in SPECIAL
    ]


@pytest.mark.parametrize("name", [n for n in table_methods() if bad_arguments(n)])
def test_a_bad_argument_is_core_s_validation_error(emulator: Emulator, name: str) -> None:
    emulator.admin("DELETE", "/requests")
    kwargs = bad_arguments(name)
    with pytest.raises(nango.ValidationError) as raised:
        getattr(emulator.client(), name)(**kwargs)
    assert raised.value.code == "invalid_argument"
    # The field is named as the caller spelt it (snake_case), not as core's camelCase.
    assert any(key in str(raised.value) for key in kwargs), str(raised.value)

    async def run() -> None:
        with pytest.raises(nango.ValidationError):
            # Raised at the call, before any awaitable exists.
            getattr(emulator.async_client(), name)(**kwargs)

    asyncio.run(run())
    sent = [r for r in emulator.admin("GET", "/requests")["requests"] if not r["path"].startswith("/_emulator")]
    assert sent == []


def test_a_wrongly_typed_json_argument_names_its_field(emulator: Emulator) -> None:
    client = emulator.client()
    with pytest.raises(nango.ValidationError, match="syncs"):
        client.start_sync("zendesk", 42)  # type: ignore[arg-type]
    with pytest.raises(nango.ValidationError, match="sync_mode"):
        client.trigger_sync("zendesk", sync_mode={"not": "a mode"})  # type: ignore[arg-type]
    with pytest.raises(nango.ValidationError, match="end_user"):
        client.create_connect_session(end_user="me")  # type: ignore[arg-type]
