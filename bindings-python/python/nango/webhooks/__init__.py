"""Receiving Nango's webhooks: the one function the framework adapters share.

``verify_and_parse`` checks the signature over the raw body bytes with the client's webhook
signing key (core does the check) and parses the payload, and says which status a receiver
answers: 200 with the typed webhook, 401 on a failed check, 400 on a body that is not a webhook.
The adapters are optional imports, each needing its framework (the extras of the same name):
``nango.webhooks.starlette`` (FastAPI and Starlette), ``nango.webhooks.flask``,
``nango.webhooks.django``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence, Tuple, Union

from .._errors import NangoError
from .._nango import AsyncNango, Nango
from ..types import WebhookPayload

__all__ = [
    "WebhookBodyError",
    "WebhookResult",
    "verify_and_parse",
    "STATUS_MISCONFIGURED",
]

_Headers = Union[Mapping[str, str], Mapping[str, bytes], Sequence[Tuple[Union[str, bytes], Union[str, bytes]]]]

#: The status the adapters answer when the body was consumed before they could read it: the
#: receiver is set up wrong, not the sender.
STATUS_MISCONFIGURED = 500


class WebhookBodyError(NangoError):
    """The body was read or parsed before the receiver got its bytes (code ``body_already_parsed``).

    A parsed body cannot be verified: serialising it again does not give back the bytes Nango
    signed. The message says how to fix the route; the adapters answer it with status 500.
    """

    def __init__(self, message: str, code: str = "body_already_parsed", *rest: Any) -> None:
        super().__init__(message, code, *rest)


@dataclass(frozen=True)
class WebhookResult:
    """The outcome of ``verify_and_parse``.

    ``ok`` with ``status`` 200 and the ``webhook``; or not ``ok`` with ``status`` 401 (signature
    missing, malformed or not matching; ``code`` ``invalid_signature``) or 400 (not JSON; ``code``
    ``invalid_argument``) and a ``message`` that holds neither the key nor the signature.
    """

    ok: bool
    status: int
    webhook: Optional[WebhookPayload] = None
    code: Optional[str] = None
    message: Optional[str] = None

    def error_body(self) -> dict[str, Any]:
        """The JSON body of a refusal: ``{"error": code, "message": message}``."""
        return {"error": self.code, "message": self.message}


def verify_and_parse(nango: Union[Nango, AsyncNango], raw_body: Union[bytes, bytearray, str], headers: _Headers) -> WebhookResult:
    """Verifies ``raw_body`` (the bytes exactly as received) and parses it into a typed webhook.

    ``headers``: the request's headers in any mapping or list of pairs; names match in any case.
    A bad request never raises: the result carries the status to answer. Raises
    ``WebhookBodyError`` when ``raw_body`` is not ``bytes``/``str`` (a parsed body cannot be
    verified).
    """
    if not isinstance(raw_body, (bytes, bytearray, str)):
        raise WebhookBodyError(
            f"the webhook body must be the raw bytes (bytes or str), got {type(raw_body).__name__}: "
            "a parsed body cannot be verified"
        )
    try:
        return WebhookResult(ok=True, status=200, webhook=nango.parse_webhook(raw_body, headers))
    except NangoError as err:
        if err.code == "invalid_signature":
            return WebhookResult(ok=False, status=401, code=err.code, message=str(err))
        if err.code in ("invalid_argument", "decode"):
            return WebhookResult(ok=False, status=400, code=err.code, message=str(err))
        raise
