"""A Nango webhook receiver for Flask (``pip install nango-rs[flask]``): a view decorator.

    @app.post("/webhooks")
    @nango_webhook(nango)
    def on_webhook(webhook: WebhookPayload) -> None: ...
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Union

from flask import Response, jsonify, request

from .._nango import AsyncNango, Nango
from ..types import WebhookPayload
from . import STATUS_MISCONFIGURED, WebhookBodyError, verify_and_parse

__all__ = ["nango_webhook", "read_raw_body"]

_FIX = (
    "something read request.stream (or wsgi.input) before the view; leave the stream alone on the "
    "webhook route, or read it with request.get_data(), which keeps the bytes for later readers"
)


def read_raw_body() -> bytes:
    """The current request's raw body (``request.get_data()``).

    Raises ``WebhookBodyError`` when the request announced a body (``Content-Length``) that was
    already read from the stream without being kept.
    """
    body = request.get_data(cache=True)
    if not body and (request.content_length or 0) > 0:
        raise WebhookBodyError(f"the webhook body was already consumed (Content-Length {request.content_length}, 0 bytes left): {_FIX}")
    return body


def nango_webhook(nango: Union[Nango, AsyncNango]) -> Callable[[Callable[[WebhookPayload], Any]], Callable[..., Any]]:
    """Decorates a view taking the verified ``webhook``; the wrapped view reads the request itself.

    The view's return value is the answer when it is not ``None``; else 200 ``{"ok": true}``. A bad
    signature gets 401 and a body that is not a webhook 400, each with ``{"error", "message"}``; a
    consumed body gets 500 with ``body_already_parsed`` and the fix.
    """

    def decorate(view: Callable[[WebhookPayload], Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(*_args: Any, **_kwargs: Any) -> Any:
            try:
                body = read_raw_body()
            except WebhookBodyError as err:
                return _json({"error": err.code, "message": str(err)}, STATUS_MISCONFIGURED)
            result = verify_and_parse(nango, body, list(request.headers.items()))
            if not result.ok or result.webhook is None:
                return _json(result.error_body(), result.status)
            answer = view(result.webhook)
            return answer if answer is not None else _json({"ok": True}, result.status)

        return wrapped

    return decorate


def _json(body: Any, status: int) -> Response:
    response = jsonify(body)
    response.status_code = status
    return response
