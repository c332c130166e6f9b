"""Exceptions raised by the nango client.

Every error carries ``code`` (a stable snake_case string to branch on, never the message),
``status`` (HTTP status when the server answered), ``payload`` (the server's error details, if any)
and ``retry_after`` (seconds, when the server sent ``Retry-After``); API errors also keep the server's
own ``server_code`` and validation ``errors``. The native module picks the
subclass from the code in one place (``src/errors.rs``).
"""

from __future__ import annotations

import builtins
from typing import Any, Dict, List, Optional

__all__ = [
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


class NangoError(Exception):
    """Base class of every error raised by this package."""

    code: str
    status: Optional[int]
    payload: Any
    retry_after: Optional[float]
    server_code: Optional[str]
    errors: List[Dict[str, Any]]

    def __init__(
        self,
        message: str,
        code: str = "internal",
        status: Optional[int] = None,
        payload: Any = None,
        retry_after: Optional[float] = None,
        server_code: Optional[str] = None,
        errors: Optional[List[Dict[str, Any]]] = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.payload = payload
        self.retry_after = retry_after
        self.server_code = server_code
        self.errors = errors if errors is not None else []

    def __reduce__(self) -> Any:
        # Keep the fields when an error crosses a process boundary (multiprocessing, Celery).
        return (
            type(self),
            (
                str(self),
                self.code,
                self.status,
                self.payload,
                self.retry_after,
                self.server_code,
                self.errors,
            ),
        )


class ApiError(NangoError):
    """The server answered with an error status (``status``); the base of the classes below."""


class AuthenticationError(ApiError):
    """The key was missing, malformed or unknown (401), or lacks the scope (403)."""


class RateLimitError(ApiError):
    """HTTP 429 after the client's retries; ``retry_after`` says how long to wait."""


class NotFoundError(ApiError):
    """The connection, integration, action result or resource does not exist."""


class ConflictError(ApiError):
    """HTTP 409: the resource already exists or changed meanwhile."""


class ServerError(ApiError):
    """HTTP 5xx after the client's retries."""


class ValidationError(NangoError, ValueError):
    """An argument was rejected, by this client before sending or by the server (400)."""


class WebhookVerificationError(NangoError):
    """A webhook's signature did not match, or it could not be checked."""


class TransportError(NangoError):
    """The request did not complete: connection refused or reset, body cut short.

    ``code == "tls"``: the server's TLS certificate was refused (never retried); the message
    says how to add a CA."""


class DecodeError(NangoError):
    """The answer could not be decoded (not JSON, cut short, or not the expected shape)."""


class TimeoutError(NangoError, builtins.TimeoutError):
    """The request (or the overall deadline) timed out."""


class CancelledError(NangoError):
    """The operation was cancelled (code ``cancelled``); not asyncio's ``CancelledError``."""


class EventLoopBlockedWarning(RuntimeWarning):
    """A ``Nango`` (sync) call was made inside a running asyncio event loop, which it blocks until
    it returns. Use ``AsyncNango`` there. Given once per process."""
