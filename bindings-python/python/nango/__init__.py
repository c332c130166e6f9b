"""nango-rs: the Nango integrations API for Python, on a Rust core."""

from __future__ import annotations

from ._errors import (
    AuthenticationError,
    NangoError,
    NotFoundError,
    RateLimitError,
    TimeoutError,
    TransportError,
    ValidationError,
    WebhookVerificationError,
)
from ._nango import __version__

__all__ = [
    "__version__",
    "NangoError",
    "AuthenticationError",
    "RateLimitError",
    "NotFoundError",
    "ValidationError",
    "WebhookVerificationError",
    "TransportError",
    "TimeoutError",
]
