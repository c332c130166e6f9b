"""The generated TypedDicts (nango.types, written from core's serde types by tools/typegen)
against what the client really returns: every key of a real answer is one the TypedDict names.
A key the server sends that the typings do not name would need the `.get()` escape in users' code.
"""

from __future__ import annotations

from typing import Any, Mapping, Set

import nango.types as types

from conftest import Emulator

PCK, CONN = "zendesk", "conn-1"


def keys_of(typed_dict: Any) -> Set[str]:
    return set(typed_dict.__required_keys__) | set(typed_dict.__optional_keys__)


def assert_named(answer: Mapping[str, Any], typed_dict: Any) -> None:
    unnamed = set(answer) - keys_of(typed_dict)
    assert not unnamed, f"{typed_dict.__name__} does not name {sorted(unnamed)}"


def test_answers_use_only_named_keys(emulator: Emulator) -> None:
    client = emulator.client()
    conn = client.get_connection(PCK, CONN)
    assert_named(conn, types.Connection)
    for key in ("created_at", "updated_at", "last_fetched_at", "errors", "tags"):
        assert key in conn, key
    for error in conn["errors"]:
        assert_named(error, types.ConnectionErrorEntry)
    listed = client.list_connections()
    assert_named(listed, types.ConnectionList)
    assert listed["connections"]
    for entry in listed["connections"]:
        assert_named(entry, types.ConnectionSummary)
    integrations = client.list_integrations()
    assert integrations["configs"]
    for integration in integrations["configs"]:
        assert_named(integration, types.Integration)
    statuses = client.sync_status(PCK, "*", CONN)
    assert statuses["syncs"]
    for status in statuses["syncs"]:
        assert_named(status, types.SyncStatus)


def test_typeddicts_are_total_false() -> None:
    # Open for reading: no key is required, so a server that leaves one out breaks no type.
    for name in ("Connection", "ConnectionSummary", "Integration", "SyncStatus", "NangoFunction"):
        assert not getattr(types, name).__required_keys__, name
    assert "created_at" in keys_of(types.Connection)
