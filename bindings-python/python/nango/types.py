"""Shapes of the results: every result is a plain ``dict`` (or ``list``/``str``) at run time;
these TypedDicts describe them for type checkers. Keys are the server's own (wire) names.

The answer types (``Connection``, ``Integration``, ``SyncStatus``, …) are generated from the Rust
core's types into ``nango._generated_types`` and re-exported here. They are ``total=False`` and
open: the server may send keys this version does not name, and the ``dict`` holds them. Read a
named key as usual (``conn["created_at"]``); read one this version does not name with
``conn.get("new_key")``, which type checkers accept and type ``object`` (narrow it with
``isinstance``), or through ``typing.cast(Dict[str, Any], conn)``. PEP 728's ``extra_items`` would
say this in the type itself, but mypy does not support it yet.
"""

from __future__ import annotations

import sys
from typing import Any, Dict, Generic, List, Optional, TypeVar, Union

if sys.version_info >= (3, 11):
    from typing import Literal, NotRequired, TypedDict
else:  # pragma: no cover - older Pythons
    from typing_extensions import Literal, NotRequired, TypedDict

from ._generated_types import (
    AsyncActionHandle,
    Connection,
    ConnectionEndUser,
    ConnectionErrorEntry,
    ConnectionList,
    ConnectionSummary,
    ConnectSession,
    ConnectSessionResponse,
    Deletion,
    EnvironmentVariable,
    FrequencyResponse,
    FunctionCode,
    FunctionDeletion,
    FunctionList,
    FunctionResponse,
    Integration,
    IntegrationList,
    IntegrationResponse,
    NangoFunction,
    NangoMetadata,
    Organization,
    Pagination,
    Provider,
    ProviderList,
    ProviderResponse,
    ProviderTemplates,
    PruneResult,
    SyncStatus,
    SyncStatusResponse,
    SyncVariant,
)

__all__ = [
    "Record",
    "NangoMetadata",
    "RecordsPage",
    "ModelRecordsPage",
    "PruneResult",
    "AsyncActionHandle",
    "SyncVariantRef",
    "Connection",
    "ConnectionSummary",
    "ConnectionList",
    "OAuth1Token",
    "ConnectSession",
    "ConnectSessionResponse",
    "SyncStatusResponse",
    "FrequencyResponse",
    "IntegrationList",
    "ProxyResponse",
    "EndUser",
    "Organization",
    "AuthWebhook",
    "SyncWebhook",
    "ForwardWebhook",
    "AsyncActionWebhook",
    "UnknownWebhook",
    "WebhookPayload",
    "ConnectionEndUser",
    "ConnectionErrorEntry",
    "Deletion",
    "EnvironmentVariable",
    "FunctionCode",
    "FunctionDeletion",
    "FunctionList",
    "FunctionResponse",
    "Integration",
    "IntegrationResponse",
    "NangoFunction",
    "Pagination",
    "Provider",
    "ProviderList",
    "ProviderResponse",
    "ProviderTemplates",
    "SyncStatus",
    "SyncVariant",
]

#: A record: the synced payload plus ``_nango_metadata``.
Record = Dict[str, Any]


class RecordsPage(TypedDict):
    """One page of ``list_records``: the records and the cursor of the next page (``None`` at the end)."""

    records: List[Record]
    next_cursor: Optional[str]


_M = TypeVar("_M")


class ModelRecordsPage(TypedDict, Generic[_M]):
    """One page of ``list_records(model=Ticket)``, ``Ticket`` a class ``python -m nango models`` wrote:
    its records are ``Ticket`` s, and ``next_cursor`` the cursor of the next page (``None`` at the end)."""

    records: List[_M]
    next_cursor: Optional[str]


class SyncVariantRef(TypedDict):
    """A sync named with its variant, where a sync name alone would mean the base variant."""

    name: str
    variant: str


OAuth1Token = TypedDict("OAuth1Token", {"oAuthToken": str, "oAuthTokenSecret": str})


class ProxyResponse(TypedDict):
    """The provider's answer to a ``proxy`` call: status, folded headers and the body."""

    status: int
    # Lower-case names in wire order; a repeated header's values joined with ", " (RFC 9110
    # section 5.3), except "set-cookie", which is never joined: always a List[str], even for one
    # cookie. Folded by the Rust core, the same in every binding.
    headers: Dict[str, Union[str, List[str]]]
    # Decoded by its Content-Type: parsed JSON, str (UTF-8 text), bytes (anything else, or
    # always with raw=True), None (no body).
    data: Any


class EndUser(TypedDict, total=False):
    """Who connects, for a connect session (``id`` is the one Nango requires)."""

    id: str
    email: str
    display_name: str
    tags: Dict[str, str]


AuthWebhook = TypedDict(
    "AuthWebhook",
    {
        "type": Literal["auth"],
        "from": str,
        "connectionId": str,
        "providerConfigKey": str,
        "authMode": str,
        "provider": str,
        "environment": str,
        "operation": str,
        "success": bool,
        "tags": NotRequired[Optional[Dict[str, str]]],
        "endUser": NotRequired[Optional[Dict[str, Any]]],
        "error": NotRequired[Optional[Dict[str, Any]]],
    },
)

SyncWebhook = TypedDict(
    "SyncWebhook",
    {
        "type": Literal["sync"],
        "from": str,
        "connectionId": str,
        "providerConfigKey": str,
        "syncName": str,
        "syncVariant": str,
        "model": str,
        "syncType": str,
        "success": bool,
        "checkpoints": NotRequired[Optional[Dict[str, Any]]],
        "modifiedAfter": NotRequired[Optional[str]],
        "responseResults": NotRequired[Optional[Dict[str, int]]],
        "queryTimeStamp": NotRequired[Optional[str]],
        "error": NotRequired[Optional[Dict[str, Any]]],
        "startedAt": NotRequired[Optional[str]],
        "failedAt": NotRequired[Optional[str]],
    },
)

ForwardWebhook = TypedDict(
    "ForwardWebhook",
    {
        "type": Literal["forward"],
        "from": str,
        "providerConfigKey": str,
        "connectionId": NotRequired[Optional[str]],
        "payload": Any,
    },
)

AsyncActionWebhook = TypedDict(
    "AsyncActionWebhook",
    {
        "type": Literal["async_action"],
        "from": str,
        "connectionId": str,
        "providerConfigKey": str,
        "payload": AsyncActionHandle,
    },
)


class UnknownWebhook(TypedDict):
    """A type this version does not know, or a provider payload forwarded unwrapped."""

    type: Literal["unknown"]
    body: Any


WebhookPayload = Union[AuthWebhook, SyncWebhook, ForwardWebhook, AsyncActionWebhook, UnknownWebhook]
