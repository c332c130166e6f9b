"""Shapes of the results: every result is a plain ``dict`` (or ``list``/``str``) at run time;
these TypedDicts describe them for type checkers. Keys are the server's own (wire) names.
"""

from __future__ import annotations

import sys
from typing import Any, Dict, List, Optional, Union

if sys.version_info >= (3, 11):
    from typing import Literal, NotRequired, TypedDict
else:  # pragma: no cover - older Pythons
    from typing_extensions import Literal, NotRequired, TypedDict

__all__ = [
    "Record",
    "NangoMetadata",
    "RecordsPage",
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
]

#: A record: the synced payload plus ``_nango_metadata``.
Record = Dict[str, Any]


class NangoMetadata(TypedDict):
    """Nango's bookkeeping of a record (``_nango_metadata``); ``cursor`` is where to resume after it."""

    first_seen_at: str
    last_modified_at: str
    last_action: str
    deleted_at: Optional[str]
    pruned_at: Optional[str]
    cursor: str


class RecordsPage(TypedDict):
    """One page of ``list_records``: the records and the cursor of the next page (``None`` at the end)."""

    records: List[Record]
    next_cursor: Optional[str]


class PruneResult(TypedDict):
    """What ``prune_records`` did: how many records it pruned, and whether more remain up to the cursor."""

    count: int
    has_more: bool


AsyncActionHandle = TypedDict("AsyncActionHandle", {"id": str, "statusUrl": str})


class SyncVariantRef(TypedDict):
    """A sync named with its variant, where a sync name alone would mean the base variant."""

    name: str
    variant: str


class Connection(TypedDict):
    """A connection as ``get_connection`` returns it, credentials included."""

    id: Any
    connection_id: str
    provider_config_key: str
    provider: Optional[str]
    connection_config: Optional[Dict[str, Any]]
    metadata: Optional[Dict[str, Any]]
    credentials: Optional[Dict[str, Any]]


class ConnectionSummary(TypedDict):
    """One connection in ``list_connections`` (no credentials)."""

    id: Any
    connection_id: str
    provider_config_key: str
    provider: Optional[str]
    created: Optional[str]
    metadata: Optional[Dict[str, Any]]
    errors: List[Dict[str, Any]]
    end_user: Optional[Dict[str, Any]]
    tags: Optional[Dict[str, str]]


class ConnectionList(TypedDict):
    """The answer of ``list_connections``."""

    connections: List[ConnectionSummary]


OAuth1Token = TypedDict("OAuth1Token", {"oAuthToken": str, "oAuthTokenSecret": str})


class ConnectSession(TypedDict):
    """A connect session: the token to hand to the frontend, and when it expires."""

    token: str
    connect_link: Optional[str]
    expires_at: str


class ConnectSessionResponse(TypedDict):
    """The answer of ``create_connect_session`` and ``create_reconnect_session``."""

    data: ConnectSession


class SyncStatusResponse(TypedDict):
    """The answer of ``sync_status``: one ``dict`` per sync and connection."""

    syncs: List[Dict[str, Any]]


class FrequencyResponse(TypedDict):
    """The answer of ``update_sync_connection_frequency``: the frequency now in effect."""

    frequency: Optional[str]


class IntegrationList(TypedDict):
    """The answer of ``list_integrations``."""

    configs: List[Dict[str, Any]]


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


class Organization(TypedDict, total=False):
    """The end user's organisation, for a connect session."""

    id: str
    display_name: str


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
