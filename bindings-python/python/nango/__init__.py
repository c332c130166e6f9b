"""nango-rs: the Nango integrations API for Python, on a Rust core.

``Nango`` is the synchronous client, ``AsyncNango`` the asyncio one; both have the same methods
(snake_case versions of the official Node SDK's). Records come back as plain ``dict``; other
results are ``dict`` too, described by the TypedDicts in ``nango.types``. Errors are
``NangoError`` subclasses carrying ``.code``, ``.status``, ``.payload`` and ``.retry_after``.
"""

from __future__ import annotations

from ._errors import (
    ApiError,
    AuthenticationError,
    CancelledError,
    ConflictError,
    DecodeError,
    EventLoopBlockedWarning,
    NangoError,
    NotFoundError,
    RateLimitError,
    ServerError,
    TimeoutError,
    TransportError,
    ValidationError,
    WebhookVerificationError,
)
from ._nango import (
    AsyncNango,
    AsyncRecordIterator,
    Nango,
    RecordIterator,
    __version__,
    parse_webhook_payload,
    verify_webhook,
)

__all__ = [
    "__version__",
    "Nango",
    "AsyncNango",
    "RecordIterator",
    "AsyncRecordIterator",
    "parse_webhook_payload",
    "verify_webhook",
    "NangoError",
    "ApiError",
    "AuthenticationError",
    "RateLimitError",
    "NotFoundError",
    "ConflictError",
    "ServerError",
    "ValidationError",
    "WebhookVerificationError",
    "TransportError",
    "DecodeError",
    "TimeoutError",
    "CancelledError",
    "EventLoopBlockedWarning",
]
