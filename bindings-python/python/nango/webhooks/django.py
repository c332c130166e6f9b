"""A Nango webhook receiver for Django (``pip install nango-rs[django]``): a view decorator.

    @nango_webhook(nango)
    def on_webhook(request: HttpRequest, webhook: WebhookPayload) -> None: ...

The decorated view is CSRF-exempt: the signature, not a CSRF token, authenticates the sender.
"""

from __future__ import annotations

import functools
import json
from typing import Any, Callable, Union

from .._nango import AsyncNango, Nango
from ..types import WebhookPayload
from . import STATUS_MISCONFIGURED, WebhookBodyError, verify_and_parse

__all__ = ["nango_webhook", "read_raw_body"]

_FIX = (
    "a middleware or decorator read the request stream (request.read(), json.load(request), or "
    "request.POST on a form body) before the view; read request.body there instead (Django keeps it "
    "for later readers), or skip that code on the webhook URL"
)


def read_raw_body(request: Any) -> bytes:
    """``request.body``; raises ``WebhookBodyError`` with the fix when the stream was already read."""
    from django.http.request import RawPostDataException  # type: ignore[import-untyped]

    try:
        body: bytes = request.body
    except RawPostDataException:
        raise WebhookBodyError(f"the webhook body was already consumed, so its signature cannot be checked: {_FIX}") from None
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not body and length.isdigit() and int(length) > 0:
        raise WebhookBodyError(f"the webhook body was already consumed (Content-Length {length}, 0 bytes left): {_FIX}")
    return body


def nango_webhook(nango: Union[Nango, AsyncNango]) -> Callable[[Callable[[Any, WebhookPayload], Any]], Callable[..., Any]]:
    """Decorates a view ``(request, webhook, *args, **kwargs)`` taking the verified webhook.

    The view's ``HttpResponse`` is the answer when it returns one; else 200 ``{"ok": true}``. A bad
    signature gets 401 and a body that is not a webhook 400, each with ``{"error", "message"}``; a
    consumed body gets 500 with ``body_already_parsed`` and the fix.
    """
    from django.views.decorators.csrf import csrf_exempt  # type: ignore[import-untyped]

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                body = read_raw_body(request)
            except WebhookBodyError as err:
                return _json({"error": err.code, "message": str(err)}, STATUS_MISCONFIGURED)
            result = verify_and_parse(nango, body, list(request.headers.items()))
            if not result.ok or result.webhook is None:
                return _json(result.error_body(), result.status)
            answer = view(request, result.webhook, *args, **kwargs)
            return answer if answer is not None else _json({"ok": True}, result.status)

        exempt: Callable[..., Any] = csrf_exempt(wrapped)
        return exempt

    return decorate


def _json(body: Any, status: int) -> Any:
    from django.http import HttpResponse  # type: ignore[import-untyped]

    return HttpResponse(json.dumps(body), status=status, content_type="application/json")
