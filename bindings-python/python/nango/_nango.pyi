# Stubs of the native module; checked against it with `python -m mypy.stubtest nango`.
import os
from typing import Any, Callable, Dict, Generic, List, Mapping, Optional, Sequence, Tuple, Union, final, overload

from typing_extensions import Self, TypeVar

from nango.types import (
    AsyncActionHandle,
    Connection,
    ConnectionList,
    ConnectSessionResponse,
    EndUser,
    FrequencyResponse,
    IntegrationList,
    ModelRecordsPage,
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
    "_models_command",
    "parse_webhook_payload",
    "verify_webhook",
]

_RawBody = Union[bytes, bytearray, str]
_Headers = Union[Mapping[str, str], Mapping[str, bytes], Sequence[Tuple[Union[str, bytes], Union[str, bytes]]]]
_Sync = Union[str, SyncVariantRef]
_Json = Any
#: What the record iterators yield: a ``dict`` (``Record``), or the generated class given as ``model=``.
_R = TypeVar("_R", default=Record)
#: A record class written by ``python -m nango models`` (a ``TypedDict``, or a pydantic model).
_M = TypeVar("_M")

@final
class RecordIterator(Generic[_R]):
    """Iterates over every record of a model, one ``dict`` at a time, fetching pages as needed.

    Returned by ``Nango.records``. The next page is requested while you work through the current
    one. ``checkpoint`` says where to resume: save it and pass it as ``cursor=`` to a later
    ``records`` call to receive only what changed after that record. Use it as a context manager
    (or call ``close``) to stop the read-ahead early. Iteration raises the same exceptions as
    ``Nango.list_records``.
    """
    def __iter__(self) -> Self:
        """Returns the iterator itself."""
    def __next__(self) -> _R:
        """Returns the next record, fetching the next page (``GET /records/``) when needed.

        Raises ``StopIteration`` after the last record, or any error of ``Nango.list_records``;
        calling it again after an error retries the failed page, so no record is lost.
        """
    @property
    def checkpoint(self) -> Optional[str]:
        """The checkpoint: the cursor of the last record handed out, or the starting ``cursor=``
        before the first one (``None`` when none was given). Persist it and pass it back as
        ``cursor=`` to resume after that record: nothing skipped, nothing repeated.
        """
    @property
    def cursor(self) -> Optional[str]:
        """Another name for ``checkpoint`` (the same value)."""
    def close(self) -> None:
        """Stops the walk and cancels any page being fetched ahead; ``checkpoint`` stays readable."""
    def __enter__(self) -> Self:
        """Returns the iterator; leaving the ``with`` block calls ``close``."""
    def __exit__(self, exc_type: Optional[object], exc: Optional[object], tb: Optional[object]) -> bool:
        """Calls ``close``; returns ``False`` so an exception in the block propagates."""

@final
class AsyncRecordIterator(Generic[_R]):
    """The ``async for`` form of ``RecordIterator``, returned by ``AsyncNango.records``.

    Each ``await`` yields one record ``dict``; pages are fetched ahead in the background.
    ``checkpoint`` is where to resume from. Call ``aclose`` (or ``close``) to stop early.
    Iteration raises the same exceptions as ``AsyncNango.list_records``.
    """
    def __aiter__(self) -> Self:
        """Returns the iterator itself."""
    async def __anext__(self) -> _R:
        """Awaits the next record, fetching the next page (``GET /records/``) when needed.

        Raises ``StopAsyncIteration`` after the last record, or any error of
        ``AsyncNango.list_records``; awaiting it again after an error retries the failed page.
        """
    @property
    def checkpoint(self) -> Optional[str]:
        """The checkpoint: the cursor of the last record handed out, or the starting ``cursor=``
        before the first one (``None`` when none was given). Persist it and pass it back as
        ``cursor=`` to resume after that record: nothing skipped, nothing repeated.
        """
    @property
    def cursor(self) -> Optional[str]:
        """Another name for ``checkpoint`` (the same value)."""
    async def aclose(self) -> None:
        """Awaitable ``close``: stops the walk and cancels any page being fetched ahead."""
    def close(self) -> None:
        """Stops the walk and cancels any page being fetched ahead; ``checkpoint`` stays readable."""

@final
class Nango:
    """A blocking client for one Nango environment (or any server speaking its API, such as the emulator).

    Every method sends one call (with its retries) and waits for the answer; use ``AsyncNango``
    from asyncio code. Safe to share between threads.

    Errors every calling method can raise (all subclasses of ``nango.NangoError``; ``.code`` holds
    the stable code, see docs/errors.md):

    * ``ValidationError``: an argument was rejected before sending, or the server answered
      400/422 (the reason is in the message and ``.errors``);
    * ``AuthenticationError``: 401/403, the secret key is wrong or lacks access;
    * ``NotFoundError``: 404, an unknown connection or integration;
    * ``ConflictError``: 409; ``RateLimitError``: 429 after the retries; ``ServerError``: 5xx
      after the retries; ``ApiError``: any other non-2xx answer;
    * ``TransportError``: the request did not complete (the host is named in the message);
    * ``TimeoutError``: an attempt's ``timeout`` or the call's ``deadline`` passed;
    * ``DecodeError``: the answer was not the expected JSON.
    """
    def __new__(
        cls,
        secret_key: Optional[str] = None,
        *,
        host: Optional[str] = None,
        webhook_signing_key: Optional[str] = None,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        ca_certificates: Union[
            str, bytes, "os.PathLike[str]", Sequence[Union[str, bytes, "os.PathLike[str]"]], None
        ] = None,
        read_ahead: bool = True,
        max_in_flight: Optional[int] = None,
        user_agent: Optional[str] = None,
        provider_config_key: Optional[str] = None,
        connection_id: Optional[str] = None,
        is_sync: bool = False,
        is_script: bool = False,
        dry_run: bool = False,
        activity_log_id: Optional[str] = None,
        log_level: Union[str, int, None] = None,
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

        ``ca_certificates``: CA certificates to trust besides the system's: PEM text (``str`` or
        ``bytes``) or the path of a PEM file, or a list of them. ``SSL_CERT_FILE`` /
        ``SSL_CERT_DIR``, when set, replace the system's store. A certificate that cannot be read
        raises ``ValidationError``; a server certificate that is not trusted raises
        ``TransportError`` with ``code == "tls"``.

        ``read_ahead``: ``list_records`` fetches the page after the one it returns in the
        background and answers the call for that page from it (one page ahead; dropped after 5 s
        unused or when the next call asks for anything else; never for writes or actions).
        ``False`` turns it off. ``max_in_flight``: the most requests in flight at once, further
        calls wait for a slot; it also bounds the sockets the client opens (default 100, at most
        10,000).

        As the official Node SDK's constructor: ``user_agent`` is appended to the
        ``User-Agent``; ``provider_config_key`` / ``connection_id`` are used by the calls on one
        connection that are given an empty id (and by ``proxy`` when they are left out);
        ``is_sync``, ``is_script``, ``dry_run`` send ``Nango-Is-Sync``, ``Nango-Is-Script``,
        ``Nango-Is-Dry-Run: true`` on every request; ``activity_log_id`` is the
        ``Nango-Activity-Log-Id`` of proxy calls.
        ``log_level``: ``"debug"``, ``"info"``, ``"warn"``, ``"off"`` (or a ``logging`` level
        number); when not given, ``NANGO_LOG``, else the level set on the ``nango`` logger, else
        nothing is logged. Records go to ``logging.getLogger("nango")``: one per call (``INFO``,
        ``WARNING`` when it failed), one per retry with its delay (``INFO``) and one per attempt
        (``DEBUG``), with method, path, status, attempt and durations in ``extra`` (OpenTelemetry
        names such as ``http.response.status_code``). Never a key, token, header, body or query.
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
    @overload
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
    ) -> RecordsPage:
        """Fetches one page of a model's records: ``GET /records/``.

        ``provider_config_key``: the integration's key; ``connection_id``: the connection; ``model``:
        the model name (case-sensitive; an unknown model gives an empty page, not an error).
        ``variant``: the sync variant. ``modified_after``: an ISO 8601 timestamp, only records changed
        after it. ``limit``: page size. ``filter``: ``added``, ``updated``, ``deleted`` or several
        joined with ``,``. ``cursor``: continue after this record cursor. ``ids``: only these record ids.

        Returns ``{"records": [...], "next_cursor": str | None}``; ``next_cursor`` is ``None`` on the
        last page. Raises ``ValidationError`` (bad argument or rejected query), ``NotFoundError``
        (unknown connection).
        Also raises the errors any call can raise (see the class docstring).
        """
    @overload
    def list_records(
        self,
        provider_config_key: str,
        connection_id: str,
        model: Callable[..., _M],
        *,
        variant: Optional[str] = None,
        modified_after: Optional[str] = None,
        limit: Optional[int] = None,
        filter: Optional[str] = None,
        cursor: Optional[str] = None,
        ids: Optional[List[str]] = None,
    ) -> ModelRecordsPage[_M]:
        """Fetches one page of a model's records: ``GET /records/``.

        ``provider_config_key``: the integration's key; ``connection_id``: the connection; ``model``:
        the model name (case-sensitive; an unknown model gives an empty page, not an error).
        ``variant``: the sync variant. ``modified_after``: an ISO 8601 timestamp, only records changed
        after it. ``limit``: page size. ``filter``: ``added``, ``updated``, ``deleted`` or several
        joined with ``,``. ``cursor``: continue after this record cursor. ``ids``: only these record ids.

        Returns ``{"records": [...], "next_cursor": str | None}``; ``next_cursor`` is ``None`` on the
        last page. Raises ``ValidationError`` (bad argument or rejected query), ``NotFoundError``
        (unknown connection).
        Also raises the errors any call can raise (see the class docstring).

        ``model`` may also be a record class written by ``python -m nango models`` (its
        ``__nango_model__`` names the model): the records are then typed as that class, and a
        pydantic class validates each one (``model_validate``).
        """
    @overload
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
    ) -> RecordIterator[Record]:
        """Walks every record of a model to the end, page after page: ``GET /records/`` repeatedly.

        Takes the arguments of ``list_records``; ``limit`` is then the page size of each request
        (1000 when not given) and ``cursor`` the checkpoint to resume from. The first page is
        requested at once, in the background. Returns a record iterator whose ``checkpoint``
        property says where to resume. The errors of ``list_records`` are raised while iterating,
        not by this call.
        """
    @overload
    def records(
        self,
        provider_config_key: str,
        connection_id: str,
        model: Callable[..., _M],
        *,
        variant: Optional[str] = None,
        modified_after: Optional[str] = None,
        limit: Optional[int] = None,
        filter: Optional[str] = None,
        cursor: Optional[str] = None,
        ids: Optional[List[str]] = None,
    ) -> RecordIterator[_M]:
        """Walks every record of a model to the end, page after page: ``GET /records/`` repeatedly.

        Takes the arguments of ``list_records``; ``limit`` is then the page size of each request
        (1000 when not given) and ``cursor`` the checkpoint to resume from. The first page is
        requested at once, in the background. Returns a record iterator whose ``checkpoint``
        property says where to resume. The errors of ``list_records`` are raised while iterating,
        not by this call.

        ``model`` may also be a record class written by ``python -m nango models`` (its
        ``__nango_model__`` names the model): the records are then typed as that class, and a
        pydantic class validates each one (``model_validate``).
        """
    def prune_records(
        self,
        provider_config_key: str,
        connection_id: str,
        model: str,
        until_cursor: str,
        *,
        variant: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> PruneResult:
        """Deletes the stored payloads of records up to a cursor: ``PATCH /records/prune``.

        ``provider_config_key``, ``connection_id``, ``model``, ``variant``: as in ``list_records``.
        ``until_cursor``: prune records up to and including this cursor (a checkpoint from
        ``records``). ``limit``: at most this many records per call.

        Returns ``{"count": int, "has_more": bool}``: how many were pruned, and whether more remain.
        Raises ``ValidationError``, ``NotFoundError``.
        Also raises the errors any call can raise (see the class docstring).
        """
    def trigger_action(
        self, provider_config_key: str, connection_id: str, action_name: str, input: _Json = None
    ) -> Any:
        """Runs an action and waits for its output: ``POST /action/trigger``.

        ``provider_config_key``, ``connection_id``: where to run it; ``action_name``: the action;
        ``input``: any JSON-serialisable value passed to the action.

        Returns the action's output, decoded from JSON. It is never retried once the action may have
        run (only when the request was not sent, or on 429). Raises ``ValidationError`` (input
        rejected), ``NotFoundError``, an ``ApiError`` subclass (the action failed).
        Also raises the errors any call can raise (see the class docstring).
        """
    def trigger_action_async(
        self, provider_config_key: str, connection_id: str, action_name: str, input: _Json = None
    ) -> AsyncActionHandle:
        """Queues an action without waiting for it: ``POST /action/trigger`` with ``X-Async: true``.

        Arguments as in ``trigger_action``. Returns ``{"id": ..., "statusUrl": ...}``; pass either to
        ``get_async_action_result``. Raises as ``trigger_action``.
        """
    def get_async_action_result(self, id: Optional[str] = None, *, status_url: Optional[str] = None) -> Any:
        """Fetches the result of a queued action: ``GET /action/{id}``.

        Give ``id`` or ``status_url`` (both from ``trigger_action_async``; ``status_url`` wins and
        is then fetched as is, ``GET {status_url}``). A ``status_url`` must be a path or a URL on
        ``host``, so the secret key never goes to another server. Returns the action's output.
        Raises ``ValidationError`` (neither given, or a ``status_url`` on another host),
        ``NotFoundError`` (unknown id).
        Also raises the errors any call can raise (see the class docstring).
        """
    def get_connection(
        self,
        provider_config_key: str,
        connection_id: str,
        *,
        force_refresh: bool = False,
        refresh_token: bool = False,
        refresh_github_app_jwt_token: bool = False,
    ) -> Connection:
        """Fetches a connection with its credentials: ``GET /connections/{connection_id}``.

        ``provider_config_key``: the integration; ``connection_id``: the connection. ``force_refresh``:
        refresh the access token even when it is still valid. ``refresh_token``: include the refresh
        token in the answer. ``refresh_github_app_jwt_token``: refresh a GitHub App JWT token.

        Returns the connection ``dict`` (``credentials``, ``metadata``, timestamps...). Raises
        ``NotFoundError`` (unknown connection), ``ValidationError``.
        Also raises the errors any call can raise (see the class docstring).
        """
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
    ) -> ConnectionList:
        """Lists connections, optionally filtered: ``GET /connections``.

        ``connection_id``, ``search``, ``user_id``, ``end_user_organization_id``: filters;
        ``integration_id``: one key or several; ``tags``: only connections with these tags;
        ``limit``, ``page``: pagination.

        Returns ``{"connections": [...]}`` (summaries without credentials).
        Also raises the errors any call can raise (see the class docstring).
        """
    def get_token(
        self,
        provider_config_key: str,
        connection_id: str,
        *,
        force_refresh: bool = False,
        refresh_github_app_jwt_token: bool = False,
    ) -> Union[str, OAuth1Token, Dict[str, Any]]:
        """Fetches only the credentials' token of a connection: ``GET /connections/{connection_id}``.

        Arguments as in ``get_connection``. Returns the access token ``str`` for OAuth 2,
        ``{"oAuthToken", "oAuthTokenSecret"}`` for OAuth 1, or the whole credentials ``dict`` for other
        auth modes. Raises ``NotFoundError``, ``ValidationError``.
        Also raises the errors any call can raise (see the class docstring).
        """
    def get_metadata(self, provider_config_key: str, connection_id: str) -> Dict[str, Any]:
        """Returns a connection's metadata ``dict`` (``None`` when it has none): ``GET /connections/{connection_id}``.

        Raises ``NotFoundError`` (unknown connection), ``ValidationError``.
        Also raises the errors any call can raise (see the class docstring).
        """
    def set_metadata(
        self, provider_config_key: str, connection_id: Union[str, List[str]], metadata: Mapping[str, Any]
    ) -> Dict[str, Any]:
        """Replaces the metadata of one or several connections: ``POST /connections/metadata``.

        ``connection_id``: one id or a list; ``metadata``: a JSON object (a mapping). Returns the
        server's answer. Raises ``ValidationError`` (empty id, metadata not an object),
        ``NotFoundError``.
        Also raises the errors any call can raise (see the class docstring).
        """
    def update_metadata(
        self, provider_config_key: str, connection_id: Union[str, List[str]], metadata: Mapping[str, Any]
    ) -> Dict[str, Any]:
        """Merges keys into the metadata of one or several connections: ``PATCH /connections/metadata``.

        Arguments and exceptions as in ``set_metadata``; keys not given are kept.
        """
    def patch_connection(
        self, provider_config_key: str, connection_id: str, body: Mapping[str, Any]
    ) -> Dict[str, Any]:
        """Updates fields of a connection (such as its tags or end user): ``PATCH /connections/{connection_id}``.

        ``body``: the fields to change, as a JSON object. Returns the server's answer. Raises
        ``ValidationError``, ``NotFoundError``.
        Also raises the errors any call can raise (see the class docstring).
        """
    def delete_connection(self, provider_config_key: str, connection_id: str) -> Dict[str, Any]:
        """Deletes a connection: ``DELETE /connections/{connection_id}``.

        Returns the server's answer. Raises ``NotFoundError`` (unknown connection).
        Also raises the errors any call can raise (see the class docstring).
        """
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
        **extra: Any,
    ) -> ConnectSessionResponse:
        """Creates a connect session for the frontend: ``POST /connect/sessions``.

        ``end_user``: who connects (``id`` required by Nango); ``organization``: their organisation;
        ``allowed_integrations``: the integrations offered; ``integrations_config_defaults``,
        ``overrides``: per-integration settings; ``webhook_url_override``: where this connection's
        webhooks go; ``tags``: tags put on the created connection.

        Returns ``{"data": {"token": ..., "expires_at": ...}}``; hand the token to the frontend.
        Not retried once sent. Raises ``ValidationError``.
        Also raises the errors any call can raise (see the class docstring).
        """
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
        **extra: Any,
    ) -> ConnectSessionResponse:
        """Creates a session to re-authorise an existing connection: ``POST /connect/sessions/reconnect``.

        ``connection_id``, ``integration_id``: the connection to reconnect; the other arguments as in
        ``create_connect_session``. Returns the session like ``create_connect_session``. Raises
        ``ValidationError``, ``NotFoundError``.
        Also raises the errors any call can raise (see the class docstring).
        """
    def trigger_sync(
        self,
        provider_config_key: str,
        syncs: Union[_Sync, Sequence[_Sync], None] = None,
        connection_id: Optional[str] = None,
        *,
        reset: Optional[bool] = None,
        empty_cache: Optional[bool] = None,
        sync_mode: Union[str, bool, None] = None,
    ) -> Dict[str, Any]:
        """Runs syncs now: ``POST /sync/trigger``.

        ``provider_config_key``: the integration; ``syncs``: a sync name, ``{"name", "variant"}``, or a
        list of them (``None``: all); ``connection_id``: one connection (``None``: all). ``reset``
        (deprecated by Nango) or ``sync_mode`` (``"incremental"``, ``"full_refresh"``,
        ``"full_refresh_and_clear_cache"``, or a ``bool`` for the legacy full resync);
        ``empty_cache``: clear the stored records first.

        Returns the server's answer. Not retried once sent. Raises ``ValidationError``,
        ``NotFoundError``.
        Also raises the errors any call can raise (see the class docstring).
        """
    def start_sync(
        self, provider_config_key: str, syncs: Union[_Sync, Sequence[_Sync]], connection_id: Optional[str] = None
    ) -> Dict[str, Any]:
        """Starts (un-pauses) syncs on their schedule: ``POST /sync/start``.

        ``syncs``: a name, ``{"name", "variant"}`` or a list (at least one); ``connection_id``: one
        connection, or all when ``None``. Returns the server's answer. Raises ``ValidationError``,
        ``NotFoundError``.
        Also raises the errors any call can raise (see the class docstring).
        """
    def pause_sync(
        self, provider_config_key: str, syncs: Union[_Sync, Sequence[_Sync]], connection_id: Optional[str] = None
    ) -> Dict[str, Any]:
        """Pauses syncs: ``POST /sync/pause``.

        Arguments, result and exceptions as in ``start_sync``.
        """
    def sync_status(
        self,
        provider_config_key: str,
        syncs: Union[str, Sequence[_Sync], None] = None,
        connection_id: Optional[str] = None,
    ) -> SyncStatusResponse:
        """Reports the state of syncs: ``GET /sync/status``.

        ``syncs``: names (``None`` or ``"*"``: all); ``connection_id``: one connection, or all.
        Returns ``{"syncs": [...]}`` with each sync's status, last run and next run. Raises
        ``ValidationError``, ``NotFoundError``.
        Also raises the errors any call can raise (see the class docstring).
        """
    def update_sync_connection_frequency(
        self, provider_config_key: str, sync: _Sync, connection_id: str, frequency: Optional[str]
    ) -> FrequencyResponse:
        """Overrides how often a sync runs for one connection: ``PUT /sync/update-connection-frequency``.

        ``sync``: the sync name or ``{"name", "variant"}``; ``connection_id``: the connection;
        ``frequency``: such as ``"every 30 minutes"``, or ``None`` to go back to the integration's
        default. Returns ``{"frequency": ...}``. Raises ``ValidationError``, ``NotFoundError``.
        Also raises the errors any call can raise (see the class docstring).
        """
    def create_sync_variant(
        self, provider_config_key: str, connection_id: str, name: str, variant: str
    ) -> Dict[str, Any]:
        """Creates a variant of a sync for one connection: ``POST /sync/{name}/variant/{variant}``.

        ``name``: the sync; ``variant``: the new variant's name (not ``base``). Returns the server's
        answer (``{"id", "name", "variant"}``). Not retried once sent. Raises
        ``ValidationError`` (an unknown sync, a bad variant name), ``NotFoundError``.
        Also raises the errors any call can raise (see the class docstring).
        """
    def delete_sync_variant(
        self, provider_config_key: str, connection_id: str, name: str, variant: str
    ) -> Dict[str, Any]:
        """Deletes a variant of a sync: ``DELETE /sync/{name}/variant/{variant}``.

        Arguments as in ``create_sync_variant``. Returns ``{"success": True}``. Raises
        ``NotFoundError`` (no such variant), ``ValidationError`` (``base``).
        Also raises the errors any call can raise (see the class docstring).
        """
    def proxy(
        self,
        *,
        endpoint: str,
        provider_config_key: Optional[str] = None,
        connection_id: Optional[str] = None,
        method: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        params: Union[str, Mapping[str, Any], None] = None,
        data: Union[bytes, bytearray, str, _Json, None] = None,
        retries: Optional[int] = None,
        retry_on: Optional[List[int]] = None,
        decompress: Optional[bool] = None,
        forward_headers_on_redirect: Optional[bool] = None,
        base_url_override: Optional[str] = None,
        raw: bool = False,
    ) -> ProxyResponse:
        """Sends a request to the provider's API through Nango, with the connection's credentials: ``/proxy/{endpoint}``.

        ``endpoint``: the provider path; ``provider_config_key``, ``connection_id``: whose credentials;
        ``method``: the HTTP method (default ``GET``); ``headers``: extra headers for the provider;
        ``params``: query string or mapping; ``data``: the body (bytes/str sent as is, anything else as
        JSON); ``retries``, ``retry_on``: retries Nango itself performs towards the provider;
        ``decompress``, ``forward_headers_on_redirect``: passed on to Nango; ``base_url_override``:
        call another base URL of the provider.

        Returns ``{"status", "headers", "data"}`` with the provider's answer (header names
        lower-case). ``data`` follows the answer's ``Content-Type``: ``application/json`` and ``+json``
        types are parsed; UTF-8 text (``text/*``, XML, or a UTF-8 charset) is a ``str``; anything else
        is ``bytes``; no body (``HEAD``, 204) is ``None``. ``raw=True``: ``data`` is always the body's
        ``bytes``, untouched. A body labelled JSON that is not raises ``DecodeError`` (``raw=True``
        reads it). A provider's error status raises the matching ``ApiError`` subclass. This client
        retries a ``GET`` on transient failures; other methods only when the request was never sent
        or on 429.
        Also raises the errors any call can raise (see the class docstring).
        """
    def get(
        self,
        *,
        endpoint: str,
        provider_config_key: Optional[str] = None,
        connection_id: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        params: Union[str, Mapping[str, Any], None] = None,
        data: Union[bytes, bytearray, str, _Json, None] = None,
        retries: Optional[int] = None,
        retry_on: Optional[List[int]] = None,
        decompress: Optional[bool] = None,
        forward_headers_on_redirect: Optional[bool] = None,
        base_url_override: Optional[str] = None,
        raw: bool = False,
    ) -> ProxyResponse:
        """``GET /proxy/{endpoint}``: ``proxy`` with ``method="GET"`` (the official SDK's ``get``).

        The other arguments, the result and the errors are ``proxy``'s.
        """
    def post(
        self,
        *,
        endpoint: str,
        provider_config_key: Optional[str] = None,
        connection_id: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        params: Union[str, Mapping[str, Any], None] = None,
        data: Union[bytes, bytearray, str, _Json, None] = None,
        retries: Optional[int] = None,
        retry_on: Optional[List[int]] = None,
        decompress: Optional[bool] = None,
        forward_headers_on_redirect: Optional[bool] = None,
        base_url_override: Optional[str] = None,
        raw: bool = False,
    ) -> ProxyResponse:
        """``POST /proxy/{endpoint}``: ``proxy`` with ``method="POST"`` (the official SDK's ``post``).

        The other arguments, the result and the errors are ``proxy``'s.
        """
    def put(
        self,
        *,
        endpoint: str,
        provider_config_key: Optional[str] = None,
        connection_id: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        params: Union[str, Mapping[str, Any], None] = None,
        data: Union[bytes, bytearray, str, _Json, None] = None,
        retries: Optional[int] = None,
        retry_on: Optional[List[int]] = None,
        decompress: Optional[bool] = None,
        forward_headers_on_redirect: Optional[bool] = None,
        base_url_override: Optional[str] = None,
        raw: bool = False,
    ) -> ProxyResponse:
        """``PUT /proxy/{endpoint}``: ``proxy`` with ``method="PUT"`` (the official SDK's ``put``).

        The other arguments, the result and the errors are ``proxy``'s.
        """
    def patch(
        self,
        *,
        endpoint: str,
        provider_config_key: Optional[str] = None,
        connection_id: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        params: Union[str, Mapping[str, Any], None] = None,
        data: Union[bytes, bytearray, str, _Json, None] = None,
        retries: Optional[int] = None,
        retry_on: Optional[List[int]] = None,
        decompress: Optional[bool] = None,
        forward_headers_on_redirect: Optional[bool] = None,
        base_url_override: Optional[str] = None,
        raw: bool = False,
    ) -> ProxyResponse:
        """``PATCH /proxy/{endpoint}``: ``proxy`` with ``method="PATCH"`` (the official SDK's ``patch``).

        The other arguments, the result and the errors are ``proxy``'s.
        """
    def delete(
        self,
        *,
        endpoint: str,
        provider_config_key: Optional[str] = None,
        connection_id: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        params: Union[str, Mapping[str, Any], None] = None,
        data: Union[bytes, bytearray, str, _Json, None] = None,
        retries: Optional[int] = None,
        retry_on: Optional[List[int]] = None,
        decompress: Optional[bool] = None,
        forward_headers_on_redirect: Optional[bool] = None,
        base_url_override: Optional[str] = None,
        raw: bool = False,
    ) -> ProxyResponse:
        """``DELETE /proxy/{endpoint}``: ``proxy`` with ``method="DELETE"`` (the official SDK's ``delete``).

        The other arguments, the result and the errors are ``proxy``'s.
        """
    def list_integrations(self) -> IntegrationList:
        """Lists the environment's integrations: ``GET /integrations``.

        Returns ``{"configs": [...]}``, one ``dict`` per integration.
        Also raises the errors any call can raise (see the class docstring).
        """
    def get_integration(self, unique_key: str, *, include: Optional[List[str]] = None) -> Dict[str, Any]:
        """Fetches one integration: ``GET /integrations/{unique_key}``.

        ``include``: extra parts to return, such as ``["webhook", "credentials"]``. Returns the
        integration ``dict``. Raises ``NotFoundError`` (unknown integration).
        Also raises the errors any call can raise (see the class docstring).
        """
    def list_providers(self, *, search: Optional[str] = None) -> Dict[str, Any]:
        """Lists the providers Nango supports: ``GET /providers``.

        ``search``: only providers whose name matches. Returns ``{"data": [...]}``, one ``dict`` per
        provider (``name``, ``display_name``, ``auth_mode``, ``categories``, ...).
        Also raises the errors any call can raise (see the class docstring).
        """
    def get_provider(self, provider: str) -> Dict[str, Any]:
        """Fetches one provider's definition: ``GET /providers/{provider}``.

        Returns ``{"data": {...}}``. Raises ``NotFoundError`` (unknown provider), ``ValidationError``
        (an empty name).
        Also raises the errors any call can raise (see the class docstring).
        """
    def get_scripts_config(self, format: Optional[str] = None) -> Any:
        """Returns the configuration of the deployed syncs and actions: ``GET /scripts/config``.

        ``format``: ``"nango"`` (the default: one ``dict`` per integration with its syncs and
        actions) or ``"openai"`` (``{"data": [...]}``, function descriptions for OpenAI tools).
        Raises ``ValidationError`` (another format).
        Also raises the errors any call can raise (see the class docstring).
        """
    def get_environment_variables(self) -> List[Dict[str, Any]]:
        """Lists the environment's variables: ``GET /environment-variables``.

        Returns a ``list`` of ``{"name", "value"}``.
        Also raises the errors any call can raise (see the class docstring).
        """
    def get_provider_templates(self, provider: str) -> Dict[str, Any]:
        """Lists the catalog's sync and action templates of a provider: ``GET /providers/{provider}/templates``.

        Returns ``{"data": [...]}``, one ``dict`` per template (``name``, ``type``, ``models``, ...); an
        unknown provider has none. Raises ``ValidationError`` (an empty or malformed name).
        Also raises the errors any call can raise (see the class docstring).
        """
    def create_integration(self,
        provider: str,
        unique_key: str,
        *,
        display_name: Optional[str] = None,
        credentials: Optional[Mapping[str, Any]] = None,
        forward_webhooks: Optional[bool] = None,
        integration_config: Optional[Mapping[str, str]] = None,
        custom: Optional[Mapping[str, str]] = None,
) -> Dict[str, Any]:
        """Creates an integration: ``POST /integrations``.

        ``provider``: the provider's name (such as ``"github"``); ``unique_key``: the new integration's
        id; ``display_name``; ``credentials``: the developer app, a ``dict`` with ``type`` (``OAUTH1``,
        ``OAUTH2``, ``TBA``, ``APP`` or ``CUSTOM``) and its fields (``client_id``, ``client_secret``,
        ``scopes``...); ``forward_webhooks``; ``integration_config`` and ``custom``: ``str`` settings.
        Returns ``{"data": {...}}`` with the integration. Not retried once it may have reached the
        server. Raises ``ValidationError`` (a duplicate key, an unknown provider, credentials of the wrong
        type).
        Also raises the errors any call can raise (see the class docstring).
        """
    def create_quickstart_integration(self,
        provider: str,
        unique_key: str,
        *,
        display_name: Optional[str] = None,
        forward_webhooks: Optional[bool] = None,
) -> Dict[str, Any]:
        """Creates an integration on Nango's own developer app: ``POST /integrations/quickstart``.

        ``provider``, ``unique_key``, ``display_name``, ``forward_webhooks`` as in
        ``create_integration`` (no credentials: Nango's app is used). Returns ``{"data": {...}}``.
        Raises ``ValidationError`` (a provider without a quickstart app, a duplicate key).
        Also raises the errors any call can raise (see the class docstring).
        """
    def update_integration(self, unique_key: str, body: Mapping[str, Any]) -> Dict[str, Any]:
        """Changes an integration: ``PATCH /integrations/{unique_key}``.

        ``body``: the fields to change, keys as in ``create_integration`` (a ``unique_key`` in it renames
        the integration). Returns ``{"data": {...}}`` with the integration as it is now. Retried like a
        read unless it renames. Raises ``NotFoundError``, ``ValidationError``.
        Also raises the errors any call can raise (see the class docstring).
        """
    def delete_integration(self, unique_key: str) -> Dict[str, Any]:
        """Deletes an integration and its connections: ``DELETE /integrations/{unique_key}``.

        Returns ``{"success": True}``. Raises ``NotFoundError`` (unknown integration).
        Also raises the errors any call can raise (see the class docstring).
        """
    def list_functions(self,
        unique_key: str,
        *,
        function_type: Optional[str] = None,
        search: Optional[str] = None,
        page: Optional[int] = None,
        limit: Optional[int] = None,
) -> Dict[str, Any]:
        """Lists the deployed functions of an integration, one page: ``GET /integrations/{unique_key}/functions``.

        ``function_type``: ``"sync"``, ``"action"`` or ``"on-event"``; ``search``: part of the name
        (case-insensitive); ``page`` (from 0) and ``limit`` (1 to 100). Returns ``{"data": [...],
        "pagination": {"total", "page", "limit"}}``. Raises ``NotFoundError``, ``ValidationError``.
        Also raises the errors any call can raise (see the class docstring).
        """
    def get_function(self, unique_key: str, name: str, *, function_type: Optional[str] = None) -> Dict[str, Any]:
        """Fetches one deployed function: ``GET /integrations/{unique_key}/functions/{name}``.

        ``function_type``: tells apart a sync and an action of the same name. Returns ``{"data": {...}}``.
        Raises ``NotFoundError``, ``ValidationError``.
        Also raises the errors any call can raise (see the class docstring).
        """
    def get_function_code(self, unique_key: str, name: str, *, function_type: Optional[str] = None) -> Dict[str, Any]:
        """Fetches the source of a deployed function: ``GET /integrations/{unique_key}/functions/{name}/code``.

        Arguments as in ``get_function``. Returns ``{"type", "code"}`` (TypeScript source). Raises
        ``NotFoundError``, ``ValidationError``.
        Also raises the errors any call can raise (see the class docstring).
        """
    def delete_function(self, unique_key: str, name: str, function_type: str) -> Dict[str, Any]:
        """Deletes a deployed sync or action: ``DELETE /integrations/{unique_key}/functions/{name}``.

        ``function_type``: ``"sync"`` or ``"action"`` (required; other kinds are refused before
        sending). Returns ``{"data": {"success": True}}``. Raises ``NotFoundError``, ``ValidationError``.
        Also raises the errors any call can raise (see the class docstring).
        """
    def get_raw_token_response(self,
        provider_config_key: str,
        connection_id: str,
        *,
        force_refresh: bool = False,
        refresh_github_app_jwt_token: bool = False,
) -> Optional[Dict[str, Any]]:
        """Returns the provider's own token answer as Nango stored it: ``GET /connections/{connection_id}``.

        Arguments as in ``get_token``; the request is the same. Returns ``credentials.raw`` of the
        connection (a ``dict``), or ``None`` when its credentials have none (API keys, basic auth...).
        Raises ``NotFoundError``, ``ValidationError``.
        Also raises the errors any call can raise (see the class docstring).
        """
    def wait_for_connection(self, integration_key: str, user_id: str, *, deadline: Optional[float] = None) -> Dict[str, Any]:
        """Waits until an end user has a connection to an integration: polls ``GET /connections?endUserId=``.

        ``integration_key``: the integration; ``user_id``: the end user's id given to the connect
        session. Polls at once, after 10 seconds, then every 2 seconds, until ``deadline`` seconds have
        passed (default 68, the official SDK's 30 polls). Returns the connection ``dict`` (as
        ``list_connections`` lists it). Raises ``TimeoutError`` past the deadline, or a poll's own error.
        Ctrl-C interrupts the sync client; cancelling the ``AsyncNango`` task stops polling.
        Also raises the errors any call can raise (see the class docstring).
        """
    def verify_incoming_webhook_request(self, raw_body: _RawBody, headers: _Headers) -> bool:
        """Checks a webhook's signature locally (no request is sent).

        ``raw_body``: the body exactly as received (``bytes`` preferred; ``str`` is encoded as UTF-8);
        ``headers``: a mapping or ``(name, value)`` pairs. Compares ``X-Nango-Hmac-Sha256`` with the
        HMAC-SHA256 of the body under ``webhook_signing_key`` (or the secret key when none was given).
        Returns ``True`` when it matches, ``False`` otherwise; never raises for a bad signature.
        """
    def verify_webhook_signature(self, signature_in_header: str, raw_body: _RawBody) -> bool:
        """The deprecated signature check of the official SDK's ``verifyWebhookSignature`` (no request is sent).

        ``signature_in_header``: the ``X-Nango-Signature`` header's value; ``raw_body``: the body exactly
        as received (``bytes``, or a ``str`` encoded as UTF-8), not a parsed payload. Compares the
        signature with SHA-256 of ``webhook_signing_key`` (or the secret key) followed by the body.
        Returns ``True`` when it matches. Prefer ``verify_incoming_webhook_request`` (HMAC).
        """
    def parse_webhook(self, raw_body: _RawBody, headers: _Headers) -> WebhookPayload:
        """Verifies a webhook as ``verify_incoming_webhook_request`` does, then parses it (no request is sent).

        Returns the payload ``dict``, discriminated by ``type`` (``auth``, ``sync``, ``forward``,
        ``async_action``, or ``unknown``). Raises ``WebhookVerificationError`` on a bad signature,
        ``ValidationError`` when the body is not JSON.
        """

@final
class AsyncNango:
    """The asyncio client: the methods of ``Nango`` as coroutines (``records`` returns an async iterator).

    Same arguments, HTTP endpoints, results and exceptions as ``Nango``'s methods of the same name.
    Cancelling the awaiting task cancels the call.
    """
    def __new__(
        cls,
        secret_key: Optional[str] = None,
        *,
        host: Optional[str] = None,
        webhook_signing_key: Optional[str] = None,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        ca_certificates: Union[
            str, bytes, "os.PathLike[str]", Sequence[Union[str, bytes, "os.PathLike[str]"]], None
        ] = None,
        read_ahead: bool = True,
        max_in_flight: Optional[int] = None,
        user_agent: Optional[str] = None,
        provider_config_key: Optional[str] = None,
        connection_id: Optional[str] = None,
        is_sync: bool = False,
        is_script: bool = False,
        dry_run: bool = False,
        activity_log_id: Optional[str] = None,
        log_level: Union[str, int, None] = None,
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
    @overload
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
    ) -> RecordsPage:
        """Fetches one page of a model's records: ``GET /records/``.

        Awaited form of ``Nango.list_records``: same arguments, result and exceptions.
        """
    @overload
    async def list_records(
        self,
        provider_config_key: str,
        connection_id: str,
        model: Callable[..., _M],
        *,
        variant: Optional[str] = None,
        modified_after: Optional[str] = None,
        limit: Optional[int] = None,
        filter: Optional[str] = None,
        cursor: Optional[str] = None,
        ids: Optional[List[str]] = None,
    ) -> ModelRecordsPage[_M]:
        """Fetches one page of a model's records: ``GET /records/``.

        Awaited form of ``Nango.list_records``: same arguments, result and exceptions.

        ``model`` may also be a record class written by ``python -m nango models`` (its
        ``__nango_model__`` names the model): the records are then typed as that class, and a
        pydantic class validates each one (``model_validate``).
        """
    @overload
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
    ) -> AsyncRecordIterator[Record]:
        """Walks every record of a model to the end, page after page: ``GET /records/`` repeatedly.

        Like ``Nango.records``, but returns an ``AsyncRecordIterator`` for ``async for``;
        the errors of ``list_records`` are raised while iterating.
        """
    @overload
    def records(
        self,
        provider_config_key: str,
        connection_id: str,
        model: Callable[..., _M],
        *,
        variant: Optional[str] = None,
        modified_after: Optional[str] = None,
        limit: Optional[int] = None,
        filter: Optional[str] = None,
        cursor: Optional[str] = None,
        ids: Optional[List[str]] = None,
    ) -> AsyncRecordIterator[_M]:
        """Walks every record of a model to the end, page after page: ``GET /records/`` repeatedly.

        Like ``Nango.records``, but returns an ``AsyncRecordIterator`` for ``async for``;
        the errors of ``list_records`` are raised while iterating.

        ``model`` may also be a record class written by ``python -m nango models`` (its
        ``__nango_model__`` names the model): the records are then typed as that class, and a
        pydantic class validates each one (``model_validate``).
        """
    async def prune_records(
        self,
        provider_config_key: str,
        connection_id: str,
        model: str,
        until_cursor: str,
        *,
        variant: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> PruneResult:
        """Deletes the stored payloads of records up to a cursor: ``PATCH /records/prune``.

        Awaited form of ``Nango.prune_records``: same arguments, result and exceptions.
        """
    async def trigger_action(
        self, provider_config_key: str, connection_id: str, action_name: str, input: _Json = None
    ) -> Any:
        """Runs an action and waits for its output: ``POST /action/trigger``.

        Awaited form of ``Nango.trigger_action``: same arguments, result and exceptions.
        """
    async def trigger_action_async(
        self, provider_config_key: str, connection_id: str, action_name: str, input: _Json = None
    ) -> AsyncActionHandle:
        """Queues an action without waiting for it: ``POST /action/trigger`` with ``X-Async: true``.

        Awaited form of ``Nango.trigger_action_async``: same arguments, result and exceptions.
        """
    async def get_async_action_result(self, id: Optional[str] = None, *, status_url: Optional[str] = None) -> Any:
        """Fetches the result of a queued action: ``GET /action/{id}``.

        Awaited form of ``Nango.get_async_action_result``: same arguments, result and exceptions.
        """
    async def get_connection(
        self,
        provider_config_key: str,
        connection_id: str,
        *,
        force_refresh: bool = False,
        refresh_token: bool = False,
        refresh_github_app_jwt_token: bool = False,
    ) -> Connection:
        """Fetches a connection with its credentials: ``GET /connections/{connection_id}``.

        Awaited form of ``Nango.get_connection``: same arguments, result and exceptions.
        """
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
    ) -> ConnectionList:
        """Lists connections, optionally filtered: ``GET /connections``.

        Awaited form of ``Nango.list_connections``: same arguments, result and exceptions.
        """
    async def get_token(
        self,
        provider_config_key: str,
        connection_id: str,
        *,
        force_refresh: bool = False,
        refresh_github_app_jwt_token: bool = False,
    ) -> Union[str, OAuth1Token, Dict[str, Any]]:
        """Fetches only the credentials' token of a connection: ``GET /connections/{connection_id}``.

        Awaited form of ``Nango.get_token``: same arguments, result and exceptions.
        """
    async def get_metadata(self, provider_config_key: str, connection_id: str) -> Dict[str, Any]:
        """Returns a connection's metadata ``dict`` (``None`` when it has none): ``GET /connections/{connection_id}``.

        Awaited form of ``Nango.get_metadata``: same arguments, result and exceptions.
        """
    async def set_metadata(
        self, provider_config_key: str, connection_id: Union[str, List[str]], metadata: Mapping[str, Any]
    ) -> Dict[str, Any]:
        """Replaces the metadata of one or several connections: ``POST /connections/metadata``.

        Awaited form of ``Nango.set_metadata``: same arguments, result and exceptions.
        """
    async def update_metadata(
        self, provider_config_key: str, connection_id: Union[str, List[str]], metadata: Mapping[str, Any]
    ) -> Dict[str, Any]:
        """Merges keys into the metadata of one or several connections: ``PATCH /connections/metadata``.

        Awaited form of ``Nango.update_metadata``: same arguments, result and exceptions.
        """
    async def patch_connection(
        self, provider_config_key: str, connection_id: str, body: Mapping[str, Any]
    ) -> Dict[str, Any]:
        """Updates fields of a connection (such as its tags or end user): ``PATCH /connections/{connection_id}``.

        Awaited form of ``Nango.patch_connection``: same arguments, result and exceptions.
        """
    async def delete_connection(self, provider_config_key: str, connection_id: str) -> Dict[str, Any]:
        """Deletes a connection: ``DELETE /connections/{connection_id}``.

        Awaited form of ``Nango.delete_connection``: same arguments, result and exceptions.
        """
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
        **extra: Any,
    ) -> ConnectSessionResponse:
        """Creates a connect session for the frontend: ``POST /connect/sessions``.

        Awaited form of ``Nango.create_connect_session``: same arguments, result and exceptions.
        """
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
        **extra: Any,
    ) -> ConnectSessionResponse:
        """Creates a session to re-authorise an existing connection: ``POST /connect/sessions/reconnect``.

        Awaited form of ``Nango.create_reconnect_session``: same arguments, result and exceptions.
        """
    async def trigger_sync(
        self,
        provider_config_key: str,
        syncs: Union[_Sync, Sequence[_Sync], None] = None,
        connection_id: Optional[str] = None,
        *,
        reset: Optional[bool] = None,
        empty_cache: Optional[bool] = None,
        sync_mode: Union[str, bool, None] = None,
    ) -> Dict[str, Any]:
        """Runs syncs now: ``POST /sync/trigger``.

        Awaited form of ``Nango.trigger_sync``: same arguments, result and exceptions.
        """
    async def start_sync(
        self, provider_config_key: str, syncs: Union[_Sync, Sequence[_Sync]], connection_id: Optional[str] = None
    ) -> Dict[str, Any]:
        """Starts (un-pauses) syncs on their schedule: ``POST /sync/start``.

        Awaited form of ``Nango.start_sync``: same arguments, result and exceptions.
        """
    async def pause_sync(
        self, provider_config_key: str, syncs: Union[_Sync, Sequence[_Sync]], connection_id: Optional[str] = None
    ) -> Dict[str, Any]:
        """Pauses syncs: ``POST /sync/pause``.

        Awaited form of ``Nango.pause_sync``: same arguments, result and exceptions.
        """
    async def sync_status(
        self,
        provider_config_key: str,
        syncs: Union[str, Sequence[_Sync], None] = None,
        connection_id: Optional[str] = None,
    ) -> SyncStatusResponse:
        """Reports the state of syncs: ``GET /sync/status``.

        Awaited form of ``Nango.sync_status``: same arguments, result and exceptions.
        """
    async def update_sync_connection_frequency(
        self, provider_config_key: str, sync: _Sync, connection_id: str, frequency: Optional[str]
    ) -> FrequencyResponse:
        """Overrides how often a sync runs for one connection: ``PUT /sync/update-connection-frequency``.

        Awaited form of ``Nango.update_sync_connection_frequency``: same arguments, result and exceptions.
        """
    async def create_sync_variant(
        self, provider_config_key: str, connection_id: str, name: str, variant: str
    ) -> Dict[str, Any]:
        """Creates a variant of a sync for one connection: ``POST /sync/{name}/variant/{variant}``.

        Awaited form of ``Nango.create_sync_variant``: same arguments, result and exceptions.
        """
    async def delete_sync_variant(
        self, provider_config_key: str, connection_id: str, name: str, variant: str
    ) -> Dict[str, Any]:
        """Deletes a variant of a sync: ``DELETE /sync/{name}/variant/{variant}``.

        Awaited form of ``Nango.delete_sync_variant``: same arguments, result and exceptions.
        """
    async def proxy(
        self,
        *,
        endpoint: str,
        provider_config_key: Optional[str] = None,
        connection_id: Optional[str] = None,
        method: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        params: Union[str, Mapping[str, Any], None] = None,
        data: Union[bytes, bytearray, str, _Json, None] = None,
        retries: Optional[int] = None,
        retry_on: Optional[List[int]] = None,
        decompress: Optional[bool] = None,
        forward_headers_on_redirect: Optional[bool] = None,
        base_url_override: Optional[str] = None,
        raw: bool = False,
    ) -> ProxyResponse:
        """Sends a request to the provider's API through Nango, with the connection's credentials: ``/proxy/{endpoint}``.

        Awaited form of ``Nango.proxy``: same arguments, result and exceptions.
        """
    async def get(
        self,
        *,
        endpoint: str,
        provider_config_key: Optional[str] = None,
        connection_id: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        params: Union[str, Mapping[str, Any], None] = None,
        data: Union[bytes, bytearray, str, _Json, None] = None,
        retries: Optional[int] = None,
        retry_on: Optional[List[int]] = None,
        decompress: Optional[bool] = None,
        forward_headers_on_redirect: Optional[bool] = None,
        base_url_override: Optional[str] = None,
        raw: bool = False,
    ) -> ProxyResponse:
        """``GET /proxy/{endpoint}``: ``proxy`` with ``method="GET"`` (the official SDK's ``get``).

        Awaited form of ``Nango.get``: same arguments, result and exceptions.
        """
    async def post(
        self,
        *,
        endpoint: str,
        provider_config_key: Optional[str] = None,
        connection_id: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        params: Union[str, Mapping[str, Any], None] = None,
        data: Union[bytes, bytearray, str, _Json, None] = None,
        retries: Optional[int] = None,
        retry_on: Optional[List[int]] = None,
        decompress: Optional[bool] = None,
        forward_headers_on_redirect: Optional[bool] = None,
        base_url_override: Optional[str] = None,
        raw: bool = False,
    ) -> ProxyResponse:
        """``POST /proxy/{endpoint}``: ``proxy`` with ``method="POST"`` (the official SDK's ``post``).

        Awaited form of ``Nango.post``: same arguments, result and exceptions.
        """
    async def put(
        self,
        *,
        endpoint: str,
        provider_config_key: Optional[str] = None,
        connection_id: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        params: Union[str, Mapping[str, Any], None] = None,
        data: Union[bytes, bytearray, str, _Json, None] = None,
        retries: Optional[int] = None,
        retry_on: Optional[List[int]] = None,
        decompress: Optional[bool] = None,
        forward_headers_on_redirect: Optional[bool] = None,
        base_url_override: Optional[str] = None,
        raw: bool = False,
    ) -> ProxyResponse:
        """``PUT /proxy/{endpoint}``: ``proxy`` with ``method="PUT"`` (the official SDK's ``put``).

        Awaited form of ``Nango.put``: same arguments, result and exceptions.
        """
    async def patch(
        self,
        *,
        endpoint: str,
        provider_config_key: Optional[str] = None,
        connection_id: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        params: Union[str, Mapping[str, Any], None] = None,
        data: Union[bytes, bytearray, str, _Json, None] = None,
        retries: Optional[int] = None,
        retry_on: Optional[List[int]] = None,
        decompress: Optional[bool] = None,
        forward_headers_on_redirect: Optional[bool] = None,
        base_url_override: Optional[str] = None,
        raw: bool = False,
    ) -> ProxyResponse:
        """``PATCH /proxy/{endpoint}``: ``proxy`` with ``method="PATCH"`` (the official SDK's ``patch``).

        Awaited form of ``Nango.patch``: same arguments, result and exceptions.
        """
    async def delete(
        self,
        *,
        endpoint: str,
        provider_config_key: Optional[str] = None,
        connection_id: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        params: Union[str, Mapping[str, Any], None] = None,
        data: Union[bytes, bytearray, str, _Json, None] = None,
        retries: Optional[int] = None,
        retry_on: Optional[List[int]] = None,
        decompress: Optional[bool] = None,
        forward_headers_on_redirect: Optional[bool] = None,
        base_url_override: Optional[str] = None,
        raw: bool = False,
    ) -> ProxyResponse:
        """``DELETE /proxy/{endpoint}``: ``proxy`` with ``method="DELETE"`` (the official SDK's ``delete``).

        Awaited form of ``Nango.delete``: same arguments, result and exceptions.
        """
    async def list_integrations(self) -> IntegrationList:
        """Lists the environment's integrations: ``GET /integrations``.

        Awaited form of ``Nango.list_integrations``: same arguments, result and exceptions.
        """
    async def get_integration(self, unique_key: str, *, include: Optional[List[str]] = None) -> Dict[str, Any]:
        """Fetches one integration: ``GET /integrations/{unique_key}``.

        Awaited form of ``Nango.get_integration``: same arguments, result and exceptions.
        """
    async def list_providers(self, *, search: Optional[str] = None) -> Dict[str, Any]:
        """Lists the providers Nango supports: ``GET /providers``.

        Awaited form of ``Nango.list_providers``: same arguments, result and exceptions.
        """
    async def get_provider(self, provider: str) -> Dict[str, Any]:
        """Fetches one provider's definition: ``GET /providers/{provider}``.

        Awaited form of ``Nango.get_provider``: same arguments, result and exceptions.
        """
    async def get_scripts_config(self, format: Optional[str] = None) -> Any:
        """Returns the configuration of the deployed syncs and actions: ``GET /scripts/config``.

        Awaited form of ``Nango.get_scripts_config``: same arguments, result and exceptions.
        """
    async def get_environment_variables(self) -> List[Dict[str, Any]]:
        """Lists the environment's variables: ``GET /environment-variables``.

        Awaited form of ``Nango.get_environment_variables``: same arguments, result and exceptions.
        """
    async def get_provider_templates(self, provider: str) -> Dict[str, Any]:
        """Lists the catalog's sync and action templates of a provider: ``GET /providers/{provider}/templates``.

        Awaited form of ``Nango.get_provider_templates``: same arguments, result and exceptions.
        """
    async def create_integration(self,
        provider: str,
        unique_key: str,
        *,
        display_name: Optional[str] = None,
        credentials: Optional[Mapping[str, Any]] = None,
        forward_webhooks: Optional[bool] = None,
        integration_config: Optional[Mapping[str, str]] = None,
        custom: Optional[Mapping[str, str]] = None,
) -> Dict[str, Any]:
        """Creates an integration: ``POST /integrations``.

        Awaited form of ``Nango.create_integration``: same arguments, result and exceptions.
        """
    async def create_quickstart_integration(self,
        provider: str,
        unique_key: str,
        *,
        display_name: Optional[str] = None,
        forward_webhooks: Optional[bool] = None,
) -> Dict[str, Any]:
        """Creates an integration on Nango's own developer app: ``POST /integrations/quickstart``.

        Awaited form of ``Nango.create_quickstart_integration``: same arguments, result and exceptions.
        """
    async def update_integration(self, unique_key: str, body: Mapping[str, Any]) -> Dict[str, Any]:
        """Changes an integration: ``PATCH /integrations/{unique_key}``.

        Awaited form of ``Nango.update_integration``: same arguments, result and exceptions.
        """
    async def delete_integration(self, unique_key: str) -> Dict[str, Any]:
        """Deletes an integration and its connections: ``DELETE /integrations/{unique_key}``.

        Awaited form of ``Nango.delete_integration``: same arguments, result and exceptions.
        """
    async def list_functions(self,
        unique_key: str,
        *,
        function_type: Optional[str] = None,
        search: Optional[str] = None,
        page: Optional[int] = None,
        limit: Optional[int] = None,
) -> Dict[str, Any]:
        """Lists the deployed functions of an integration, one page: ``GET /integrations/{unique_key}/functions``.

        Awaited form of ``Nango.list_functions``: same arguments, result and exceptions.
        """
    async def get_function(self, unique_key: str, name: str, *, function_type: Optional[str] = None) -> Dict[str, Any]:
        """Fetches one deployed function: ``GET /integrations/{unique_key}/functions/{name}``.

        Awaited form of ``Nango.get_function``: same arguments, result and exceptions.
        """
    async def get_function_code(self, unique_key: str, name: str, *, function_type: Optional[str] = None) -> Dict[str, Any]:
        """Fetches the source of a deployed function: ``GET /integrations/{unique_key}/functions/{name}/code``.

        Awaited form of ``Nango.get_function_code``: same arguments, result and exceptions.
        """
    async def delete_function(self, unique_key: str, name: str, function_type: str) -> Dict[str, Any]:
        """Deletes a deployed sync or action: ``DELETE /integrations/{unique_key}/functions/{name}``.

        Awaited form of ``Nango.delete_function``: same arguments, result and exceptions.
        """
    async def get_raw_token_response(self,
        provider_config_key: str,
        connection_id: str,
        *,
        force_refresh: bool = False,
        refresh_github_app_jwt_token: bool = False,
) -> Optional[Dict[str, Any]]:
        """Returns the provider's own token answer as Nango stored it: ``GET /connections/{connection_id}``.

        Awaited form of ``Nango.get_raw_token_response``: same arguments, result and exceptions.
        """
    async def wait_for_connection(self, integration_key: str, user_id: str, *, deadline: Optional[float] = None) -> Dict[str, Any]:
        """Waits until an end user has a connection to an integration: polls ``GET /connections?endUserId=``.

        Awaited form of ``Nango.wait_for_connection``: same arguments, result and exceptions.
        """
    def verify_incoming_webhook_request(self, raw_body: _RawBody, headers: _Headers) -> bool:
        """Checks a webhook's signature locally; not a coroutine (no request is sent).

        Same as ``Nango.verify_incoming_webhook_request``: returns ``True`` when the signature matches.
        """
    def verify_webhook_signature(self, signature_in_header: str, raw_body: _RawBody) -> bool:
        """The deprecated signature check of ``verifyWebhookSignature``; not a coroutine (no request is sent).

        Same as ``Nango.verify_webhook_signature``: returns ``True`` when the signature matches.
        """
    def parse_webhook(self, raw_body: _RawBody, headers: _Headers) -> WebhookPayload:
        """Verifies, then parses a webhook; not a coroutine (no request is sent).

        Same as ``Nango.parse_webhook``: raises ``WebhookVerificationError`` on a bad signature.
        """

def parse_webhook_payload(raw_body: _RawBody) -> WebhookPayload:
    """Parses a webhook body already verified elsewhere (no signature check, no request).

    Returns the payload ``dict`` discriminated by ``type``, as ``Nango.parse_webhook``. Raises
    ``DecodeError`` when the body is not JSON.
    """
def verify_webhook(signing_key: str, raw_body: _RawBody, headers: _Headers, *, legacy: bool = False) -> None:
    """Checks a webhook's signature with ``signing_key``, without a client (no request is sent).

    ``raw_body``, ``headers``: as in ``Nango.verify_incoming_webhook_request``. ``legacy``: check the
    older ``X-Nango-Signature`` header instead of ``X-Nango-Hmac-Sha256``. Returns ``None`` when the
    signature matches; raises ``WebhookVerificationError`` (with the reason) otherwise.
    """
def _decode_json(text: str) -> Any:
    """Internal: decodes one JSON text the way the client decodes answers."""
def _decode_json_many(texts: List[str]) -> List[Any]:
    """Internal: decodes several JSON texts the way the client decodes answers."""
def _models_command(args: List[str]) -> Tuple[str, str]:
    """Internal: ``python -m nango models`` (``args`` after ``models``): ``(stdout, stderr)``."""
def _error_for_code(code: str) -> BaseException:
    """Internal: the exception the client raises for an error code."""
def _error_from_response(
    request: str, status: int, headers: List[Tuple[str, str]], body: bytes, now: str
) -> BaseException:
    """Internal: the exception the client raises for this HTTP answer."""
