"""Nango webhook receivers for Starlette and FastAPI (``pip install nango-rs[fastapi]``).

Two shapes, both reading ``await request.body()``:

- ``webhook_endpoint(nango, on_webhook)``: a whole endpoint, ``Request -> Response``, for
  Starlette's ``Route`` or FastAPI's ``app.add_api_route``;
- ``verified_webhook(nango)``: a FastAPI dependency giving the typed webhook to your endpoint and
  raising ``HTTPException`` (401/400, 500 when the body was consumed) otherwise.
"""

from __future__ import annotations

from typing import Awaitable, Callable, Optional, Union

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .._nango import AsyncNango, Nango
from ..types import WebhookPayload
from . import STATUS_MISCONFIGURED, WebhookBodyError, WebhookResult, verify_and_parse

__all__ = ["webhook_endpoint", "verified_webhook", "read_and_verify"]

_FIX = (
    "something on the route read request.stream() before the receiver; read the body with "
    "await request.body() (it is kept for later readers), or put the receiver first"
)

OnWebhook = Callable[[WebhookPayload, Request], Awaitable[Optional[Response]]]


async def read_and_verify(nango: Union[Nango, AsyncNango], request: Request) -> WebhookResult:
    """Reads the raw body of ``request`` and verifies and parses it (see ``verify_and_parse``).

    Raises ``WebhookBodyError`` when the request stream was consumed without keeping the body.
    """
    try:
        body = await request.body()
    except RuntimeError as err:
        raise WebhookBodyError(f"the webhook body was already consumed ({err}): {_FIX}") from None
    return verify_and_parse(nango, body, request.headers.items())


def webhook_endpoint(nango: Union[Nango, AsyncNango], on_webhook: OnWebhook) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint that verifies the webhook, awaits ``on_webhook(webhook, request)`` and answers 200.

    ``on_webhook`` may return a ``Response`` to answer instead. A bad signature gets 401 and a body
    that is not a webhook 400, each with ``{"error", "message"}``; a consumed body gets 500 with
    ``body_already_parsed`` and the fix.
    """

    async def endpoint(request: Request) -> Response:
        try:
            result = await read_and_verify(nango, request)
        except WebhookBodyError as err:
            return JSONResponse({"error": err.code, "message": str(err)}, status_code=STATUS_MISCONFIGURED)
        if not result.ok or result.webhook is None:
            return JSONResponse(result.error_body(), status_code=result.status)
        answer = await on_webhook(result.webhook, request)
        return answer if answer is not None else JSONResponse({"ok": True}, status_code=result.status)

    return endpoint


def verified_webhook(nango: Union[Nango, AsyncNango]) -> Callable[[Request], Awaitable[WebhookPayload]]:
    """A FastAPI dependency: ``webhook: WebhookPayload = Depends(verified_webhook(nango))``.

    Raises FastAPI's ``HTTPException`` with status 401 or 400 and ``detail`` ``{"error", "message"}``
    when the webhook is refused, 500 with ``body_already_parsed`` when the body was consumed.
    """
    from fastapi import HTTPException

    async def dependency(request: Request) -> WebhookPayload:
        try:
            result = await read_and_verify(nango, request)
        except WebhookBodyError as err:
            raise HTTPException(status_code=STATUS_MISCONFIGURED, detail={"error": err.code, "message": str(err)}) from None
        if not result.ok or result.webhook is None:
            raise HTTPException(status_code=result.status, detail=result.error_body())
        return result.webhook

    return dependency
