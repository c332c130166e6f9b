# Stubs of the native module; checked against it with `python -m mypy.stubtest nango`.
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union, final

from typing_extensions import Self

from nango.types import (
    AsyncActionHandle,
    Connection,
    ConnectionList,
    ConnectSessionResponse,
    EndUser,
    FrequencyResponse,
    IntegrationList,
    OAuth1Token,
    Organization,
    ProxyResponse,
    PruneResult,
    Record,
    RecordsPage,
    SyncStatusResponse,
    SyncVariantRef,
    WebhookPayload,
)

__version__: str
__all__ = [
    "AsyncNango",
    "AsyncRecordIterator",
    "Nango",
    "RecordIterator",
    "__version__",
    "_decode_json",
    "_decode_json_many",
    "_error_for_code",
    "_error_from_response",
    "parse_webhook_payload",
    "verify_webhook",
]

_RawBody = Union[bytes, bytearray, str]
_Headers = Union[Mapping[str, str], Mapping[str, bytes], Sequence[Tuple[Union[str, bytes], Union[str, bytes]]]]
_Sync = Union[str, SyncVariantRef]
_Json = Any

@final
class RecordIterator:
    def __iter__(self) -> Self: ...
    def __next__(self) -> Record: ...
    @property
    def cursor(self) -> Optional[str]: ...
    def close(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, exc_type: Optional[object], exc: Optional[object], tb: Optional[object]) -> bool: ...

@final
class AsyncRecordIterator:
    def __aiter__(self) -> Self: ...
    async def __anext__(self) -> Record: ...
    @property
    def cursor(self) -> Optional[str]: ...
    async def aclose(self) -> None: ...
    def close(self) -> None: ...

@final
class Nango:
    def __new__(
        cls,
        secret_key: Optional[str] = None,
        *,
        host: Optional[str] = None,
        webhook_signing_key: Optional[str] = None,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Self:
        """A client for one Nango environment.

        ``secret_key``: the environment's secret key; when not given, the ``NANGO_SECRET_KEY``
        environment variable (then required). ``host``: the API's base URL; when not given,
        ``NANGO_HOST``, else ``https://api.nango.dev``. A value passed here always wins over the
        environment.

        ``timeout``: seconds one attempt may take (connect, wait for the answer, read it).
        Default 60, except a synchronous ``trigger_action``, which waits up to 16 minutes by
        default because Nango lets an action run for 15. ``deadline``: seconds a whole call may
        take, retries and their waits included. Default 120 (18 minutes for a synchronous
        ``trigger_action``). A value passed here applies to every call; either limit raises
        ``nango.TimeoutError``. ``max_retries``: retries of transient failures (default 2, 0
        disables).
        """
    @property
    def host(self) -> str:
        """The host requests go to (no trailing slash)."""
    @property
    def timeout(self) -> float:
        """The per-attempt timeout in effect, in seconds (``timeout`` or the default)."""
    @property
    def deadline(self) -> float:
        """The overall deadline of a call in effect, in seconds (``deadline`` or the default)."""
    def list_records(
        self,
        provider_config_key: str,
        connection_id: str,
        model: str,
        *,
        variant: Optional[str] = None,
        modified_after: Optional[str] = None,
        limit: Optional[int] = None,
        filter: Optional[str] = None,
        cursor: Optional[str] = None,
        ids: Optional[List[str]] = None,
    ) -> RecordsPage: ...
    def records(
        self,
        provider_config_key: str,
        connection_id: str,
        model: str,
        *,
        variant: Optional[str] = None,
        modified_after: Optional[str] = None,
        limit: Optional[int] = None,
        filter: Optional[str] = None,
        cursor: Optional[str] = None,
        ids: Optional[List[str]] = None,
    ) -> RecordIterator: ...
    def prune_records(
        self,
        provider_config_key: str,
        connection_id: str,
        model: str,
        until_cursor: str,
        *,
        variant: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> PruneResult: ...
    def trigger_action(
        self, provider_config_key: str, connection_id: str, action_name: str, input: _Json = None
    ) -> Any: ...
    def trigger_action_async(
        self, provider_config_key: str, connection_id: str, action_name: str, input: _Json = None
    ) -> AsyncActionHandle: ...
    def get_async_action_result(self, id: Optional[str] = None, *, status_url: Optional[str] = None) -> Any: ...
    def get_connection(
        self,
        provider_config_key: str,
        connection_id: str,
        *,
        force_refresh: bool = False,
        refresh_token: bool = False,
        refresh_github_app_jwt_token: bool = False,
    ) -> Connection: ...
    def list_connections(
        self,
        *,
        connection_id: Optional[str] = None,
        search: Optional[str] = None,
        user_id: Optional[str] = None,
        end_user_organization_id: Optional[str] = None,
        integration_id: Union[str, List[str], None] = None,
        tags: Optional[Mapping[str, str]] = None,
        limit: Optional[int] = None,
        page: Optional[int] = None,
    ) -> ConnectionList: ...
    def get_token(
        self,
        provider_config_key: str,
        connection_id: str,
        *,
        force_refresh: bool = False,
        refresh_github_app_jwt_token: bool = False,
    ) -> Union[str, OAuth1Token, Dict[str, Any]]: ...
    def get_metadata(self, provider_config_key: str, connection_id: str) -> Dict[str, Any]: ...
    def set_metadata(
        self, provider_config_key: str, connection_id: Union[str, List[str]], metadata: Mapping[str, Any]
    ) -> Dict[str, Any]: ...
    def update_metadata(
        self, provider_config_key: str, connection_id: Union[str, List[str]], metadata: Mapping[str, Any]
    ) -> Dict[str, Any]: ...
    def patch_connection(
        self, provider_config_key: str, connection_id: str, body: Mapping[str, Any]
    ) -> Dict[str, Any]: ...
    def delete_connection(self, provider_config_key: str, connection_id: str) -> Dict[str, Any]: ...
    def create_connect_session(
        self,
        *,
        end_user: Optional[EndUser] = None,
        organization: Optional[Organization] = None,
        allowed_integrations: Optional[List[str]] = None,
        integrations_config_defaults: Optional[Mapping[str, Any]] = None,
        overrides: Optional[Mapping[str, Any]] = None,
        webhook_url_override: Optional[str] = None,
        tags: Optional[Mapping[str, str]] = None,
    ) -> ConnectSessionResponse: ...
    def create_reconnect_session(
        self,
        connection_id: str,
        integration_id: str,
        *,
        end_user: Optional[EndUser] = None,
        organization: Optional[Organization] = None,
        integrations_config_defaults: Optional[Mapping[str, Any]] = None,
        overrides: Optional[Mapping[str, Any]] = None,
        webhook_url_override: Optional[str] = None,
        tags: Optional[Mapping[str, str]] = None,
    ) -> ConnectSessionResponse: ...
    def trigger_sync(
        self,
        provider_config_key: str,
        syncs: Union[_Sync, Sequence[_Sync], None] = None,
        connection_id: Optional[str] = None,
        *,
        reset: Optional[bool] = None,
        empty_cache: Optional[bool] = None,
        sync_mode: Union[str, bool, None] = None,
    ) -> Dict[str, Any]: ...
    def start_sync(
        self, provider_config_key: str, syncs: Union[_Sync, Sequence[_Sync]], connection_id: Optional[str] = None
    ) -> Dict[str, Any]: ...
    def pause_sync(
        self, provider_config_key: str, syncs: Union[_Sync, Sequence[_Sync]], connection_id: Optional[str] = None
    ) -> Dict[str, Any]: ...
    def sync_status(
        self,
        provider_config_key: str,
        syncs: Union[str, Sequence[_Sync], None] = None,
        connection_id: Optional[str] = None,
    ) -> SyncStatusResponse: ...
    def update_sync_connection_frequency(
        self, provider_config_key: str, sync: _Sync, connection_id: str, frequency: Optional[str]
    ) -> FrequencyResponse: ...
    def proxy(
        self,
        *,
        endpoint: str,
        provider_config_key: str,
        connection_id: str,
        method: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        params: Union[str, Mapping[str, Any], None] = None,
        data: Union[bytes, bytearray, str, _Json, None] = None,
        retries: Optional[int] = None,
        retry_on: Optional[List[int]] = None,
        decompress: Optional[bool] = None,
        forward_headers_on_redirect: Optional[bool] = None,
        base_url_override: Optional[str] = None,
    ) -> ProxyResponse: ...
    def list_integrations(self) -> IntegrationList: ...
    def get_integration(self, unique_key: str, *, include: Optional[List[str]] = None) -> Dict[str, Any]: ...
    def verify_incoming_webhook_request(self, raw_body: _RawBody, headers: _Headers) -> bool: ...
    def parse_webhook(self, raw_body: _RawBody, headers: _Headers) -> WebhookPayload: ...

@final
class AsyncNango:
    def __new__(
        cls,
        secret_key: Optional[str] = None,
        *,
        host: Optional[str] = None,
        webhook_signing_key: Optional[str] = None,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Self:
        """The asyncio client: the same arguments, defaults and environment variables as
        ``Nango`` (see ``Nango.__new__``); each method returns an awaitable."""
    @property
    def host(self) -> str:
        """The host requests go to (no trailing slash)."""
    @property
    def timeout(self) -> float:
        """The per-attempt timeout in effect, in seconds (``timeout`` or the default)."""
    @property
    def deadline(self) -> float:
        """The overall deadline of a call in effect, in seconds (``deadline`` or the default)."""
    async def list_records(
        self,
        provider_config_key: str,
        connection_id: str,
        model: str,
        *,
        variant: Optional[str] = None,
        modified_after: Optional[str] = None,
        limit: Optional[int] = None,
        filter: Optional[str] = None,
        cursor: Optional[str] = None,
        ids: Optional[List[str]] = None,
    ) -> RecordsPage: ...
    def records(
        self,
        provider_config_key: str,
        connection_id: str,
        model: str,
        *,
        variant: Optional[str] = None,
        modified_after: Optional[str] = None,
        limit: Optional[int] = None,
        filter: Optional[str] = None,
        cursor: Optional[str] = None,
        ids: Optional[List[str]] = None,
    ) -> AsyncRecordIterator: ...
    async def prune_records(
        self,
        provider_config_key: str,
        connection_id: str,
        model: str,
        until_cursor: str,
        *,
        variant: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> PruneResult: ...
    async def trigger_action(
        self, provider_config_key: str, connection_id: str, action_name: str, input: _Json = None
    ) -> Any: ...
    async def trigger_action_async(
        self, provider_config_key: str, connection_id: str, action_name: str, input: _Json = None
    ) -> AsyncActionHandle: ...
    async def get_async_action_result(self, id: Optional[str] = None, *, status_url: Optional[str] = None) -> Any: ...
    async def get_connection(
        self,
        provider_config_key: str,
        connection_id: str,
        *,
        force_refresh: bool = False,
        refresh_token: bool = False,
        refresh_github_app_jwt_token: bool = False,
    ) -> Connection: ...
    async def list_connections(
        self,
        *,
        connection_id: Optional[str] = None,
        search: Optional[str] = None,
        user_id: Optional[str] = None,
        end_user_organization_id: Optional[str] = None,
        integration_id: Union[str, List[str], None] = None,
        tags: Optional[Mapping[str, str]] = None,
        limit: Optional[int] = None,
        page: Optional[int] = None,
    ) -> ConnectionList: ...
    async def get_token(
        self,
        provider_config_key: str,
        connection_id: str,
        *,
        force_refresh: bool = False,
        refresh_github_app_jwt_token: bool = False,
    ) -> Union[str, OAuth1Token, Dict[str, Any]]: ...
    async def get_metadata(self, provider_config_key: str, connection_id: str) -> Dict[str, Any]: ...
    async def set_metadata(
        self, provider_config_key: str, connection_id: Union[str, List[str]], metadata: Mapping[str, Any]
    ) -> Dict[str, Any]: ...
    async def update_metadata(
        self, provider_config_key: str, connection_id: Union[str, List[str]], metadata: Mapping[str, Any]
    ) -> Dict[str, Any]: ...
    async def patch_connection(
        self, provider_config_key: str, connection_id: str, body: Mapping[str, Any]
    ) -> Dict[str, Any]: ...
    async def delete_connection(self, provider_config_key: str, connection_id: str) -> Dict[str, Any]: ...
    async def create_connect_session(
        self,
        *,
        end_user: Optional[EndUser] = None,
        organization: Optional[Organization] = None,
        allowed_integrations: Optional[List[str]] = None,
        integrations_config_defaults: Optional[Mapping[str, Any]] = None,
        overrides: Optional[Mapping[str, Any]] = None,
        webhook_url_override: Optional[str] = None,
        tags: Optional[Mapping[str, str]] = None,
    ) -> ConnectSessionResponse: ...
    async def create_reconnect_session(
        self,
        connection_id: str,
        integration_id: str,
        *,
        end_user: Optional[EndUser] = None,
        organization: Optional[Organization] = None,
        integrations_config_defaults: Optional[Mapping[str, Any]] = None,
        overrides: Optional[Mapping[str, Any]] = None,
        webhook_url_override: Optional[str] = None,
        tags: Optional[Mapping[str, str]] = None,
    ) -> ConnectSessionResponse: ...
    async def trigger_sync(
        self,
        provider_config_key: str,
        syncs: Union[_Sync, Sequence[_Sync], None] = None,
        connection_id: Optional[str] = None,
        *,
        reset: Optional[bool] = None,
        empty_cache: Optional[bool] = None,
        sync_mode: Union[str, bool, None] = None,
    ) -> Dict[str, Any]: ...
    async def start_sync(
        self, provider_config_key: str, syncs: Union[_Sync, Sequence[_Sync]], connection_id: Optional[str] = None
    ) -> Dict[str, Any]: ...
    async def pause_sync(
        self, provider_config_key: str, syncs: Union[_Sync, Sequence[_Sync]], connection_id: Optional[str] = None
    ) -> Dict[str, Any]: ...
    async def sync_status(
        self,
        provider_config_key: str,
        syncs: Union[str, Sequence[_Sync], None] = None,
        connection_id: Optional[str] = None,
    ) -> SyncStatusResponse: ...
    async def update_sync_connection_frequency(
        self, provider_config_key: str, sync: _Sync, connection_id: str, frequency: Optional[str]
    ) -> FrequencyResponse: ...
    async def proxy(
        self,
        *,
        endpoint: str,
        provider_config_key: str,
        connection_id: str,
        method: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        params: Union[str, Mapping[str, Any], None] = None,
        data: Union[bytes, bytearray, str, _Json, None] = None,
        retries: Optional[int] = None,
        retry_on: Optional[List[int]] = None,
        decompress: Optional[bool] = None,
        forward_headers_on_redirect: Optional[bool] = None,
        base_url_override: Optional[str] = None,
    ) -> ProxyResponse: ...
    async def list_integrations(self) -> IntegrationList: ...
    async def get_integration(self, unique_key: str, *, include: Optional[List[str]] = None) -> Dict[str, Any]: ...
    def verify_incoming_webhook_request(self, raw_body: _RawBody, headers: _Headers) -> bool: ...
    def parse_webhook(self, raw_body: _RawBody, headers: _Headers) -> WebhookPayload: ...

def parse_webhook_payload(raw_body: _RawBody) -> WebhookPayload: ...
def verify_webhook(signing_key: str, raw_body: _RawBody, headers: _Headers, *, legacy: bool = False) -> None: ...
def _decode_json(text: str) -> Any: ...
def _decode_json_many(texts: List[str]) -> List[Any]: ...
def _error_for_code(code: str) -> BaseException: ...
def _error_from_response(
    request: str, status: int, headers: List[Tuple[str, str]], body: bytes, now: str
) -> BaseException: ...
