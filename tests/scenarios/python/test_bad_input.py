"""bad-input: see rust/src/scenarios/bad_input.rs, plus what only Python can pass: wrong types,
negative/huge/float numbers, unserialisable inputs (sets, objects, NaN), bytes where str is due.
Expected: a NangoError with the listed code, or TypeError/OverflowError/ValueError for values of
the wrong Python type; never a success, a crash, or another exception class."""

import hashlib
import hmac
from typing import Any, Callable, Dict, List, Sequence

import nango
from support import CONNECTION, INTEGRATION, PARAMS, Emulator, Tally, ensure

ARG = ["invalid_argument"]
INVALID = ["validation"]
PYTYPE = ["TypeError", "OverflowError", "ValueError"]


def test_bad_input(emu: Emulator, tally: Tally) -> None:
    client = emu.client(max_retries=0)
    model = PARAMS["paging"]["model"]
    wrong: List[str] = []
    codes: Dict[str, int] = {}
    tried = 0

    def check(label: str, fn: Callable[[], Any], allowed: Sequence[str]) -> None:
        nonlocal tried
        tried += 1
        try:
            value = fn()
        except nango.NangoError as err:
            code = err.code
        except (TypeError, OverflowError, ValueError) as err:
            code = type(err).__name__
        except BaseException as err:  # noqa: BLE001 - anything else is the finding
            wrong.append(f"{label}: untyped {type(err).__name__}: {err}")
            return
        else:
            wrong.append(f"{label}: succeeded with {str(value)[:80]}")
            return
        codes[code] = codes.get(code, 0) + 1
        if code not in allowed:
            wrong.append(f"{label}: {code}, expected {list(allowed)}")

    def lr(**kw: Any) -> Callable[[], Any]:
        args = {"provider_config_key": INTEGRATION, "connection_id": CONNECTION, "model": model}
        args.update({k: v for k, v in kw.items() if k in args})
        rest = {k: v for k, v in kw.items() if k not in args}
        return lambda: client.list_records(args["provider_config_key"], args["connection_id"], args["model"], **rest)

    table = [
        ("empty model", lr(model=""), ARG),
        ("empty connection", lr(connection_id=""), ARG),
        ("empty integration", lr(provider_config_key=""), ARG),
        ("newline in connection", lr(connection_id="a\nb"), ARG),
        ("non-Latin-1 connection", lr(connection_id="conn-\u0100"), ARG),
        ("lower-case model", lr(model="ticket"), INVALID),
        ("limit 0", lr(limit=0), INVALID),
        ("limit 10001", lr(limit=10001), INVALID),
        ("date not a date", lr(modified_after="not-a-date"), INVALID),
        ("date month 13", lr(modified_after="2026-13-45T00:00:00Z"), INVALID),
        ("date too old", lr(modified_after="2001-01-01T00:00:00Z"), INVALID),
        ("filter bogus", lr(filter="bogus"), INVALID),
        ("variant invalid", lr(variant="bad variant!"), INVALID),
        ("101 ids", lr(ids=[str(i) for i in range(101)]), INVALID),
        ("cursor not base64", lr(cursor="%%%not-base64"), ["server_error", "validation"]),
        ("unknown connection", lr(connection_id="no-such-conn"), ["unknown_connection"]),
        ("model int", lr(model=5), PYTYPE),
        ("model None", lr(model=None), PYTYPE),
        ("model bytes", lr(model=b"Ticket"), PYTYPE),
        ("limit str", lr(limit="ten"), PYTYPE),
        ("limit negative", lr(limit=-1), PYTYPE),
        ("limit float", lr(limit=1.5), PYTYPE),
        ("limit 2**70", lr(limit=2**70), PYTYPE),
        ("ids str", lr(ids="abc"), PYTYPE),
        ("ids ints", lr(ids=[1, 2]), PYTYPE),
        ("unknown keyword", lr(page=2), PYTYPE),
        ("date as datetime", lr(modified_after=object()), PYTYPE),
    ]
    for label, fn, allowed in table:
        check(f"list_records {label}", fn, allowed)
    check("records empty model", lambda: next(client.records(INTEGRATION, CONNECTION, "")), ARG)

    ta = client.trigger_action
    check("trigger_action empty name", lambda: ta(INTEGRATION, CONNECTION, ""), ARG)
    check("trigger_action bad name", lambda: ta(INTEGRATION, CONNECTION, "bad name!"), INVALID)
    check("trigger_action unknown", lambda: ta(INTEGRATION, CONNECTION, "no-such-action"), ["not_found"])
    check("trigger_action list input to create", lambda: ta(INTEGRATION, CONNECTION, "create-ticket", [1, 2]), INVALID)
    check("trigger_action set input", lambda: ta(INTEGRATION, CONNECTION, "echo", {1, 2}), PYTYPE + ARG)
    check("trigger_action object input", lambda: ta(INTEGRATION, CONNECTION, "echo", object()), PYTYPE + ARG)
    check("trigger_action NaN input", lambda: ta(INTEGRATION, CONNECTION, "echo", {"x": float("nan")}), PYTYPE + ARG)
    check("trigger_action int-keyed dict", lambda: ta(INTEGRATION, CONNECTION, "echo", {1: "a"}), PYTYPE + ARG)
    check("trigger_action huge int", lambda: ta(INTEGRATION, CONNECTION, "echo", {"n": 2**200}), PYTYPE + ARG)
    check("trigger_action CRLF connection", lambda: ta(INTEGRATION, "x\r\nInjected: 1", "echo"), ARG)
    check("get_connection empty id", lambda: client.get_connection(INTEGRATION, ""), ARG)
    check("get_connection path tricks", lambda: client.get_connection(INTEGRATION, "../../_emulator/counters"), ["not_found", "unknown_connection"])
    check("get_async_action_result nothing", lambda: client.get_async_action_result(), ARG)
    check("get_async_action_result foreign host", lambda: client.get_async_action_result(status_url="http://evil.example/action/1"), ARG)
    check("get_async_action_result unknown id", lambda: client.get_async_action_result("not-a-uuid"), ["not_found"])

    for label, make in (
        ("empty key", lambda: nango.Nango("", host=emu.url)),
        ("key None", lambda: nango.Nango(None, host=emu.url)),  # type: ignore[arg-type]
        ("key with newline", lambda: nango.Nango("abc\ndef", host=emu.url)),
        ("host not a url", lambda: nango.Nango(emu.secret_key, host="not a url")),
        ("ftp host", lambda: nango.Nango(emu.secret_key, host="ftp://127.0.0.1")),
        ("timeout negative", lambda: nango.Nango(emu.secret_key, timeout=-1)),
        ("timeout NaN", lambda: nango.Nango(emu.secret_key, timeout=float("nan"))),
        ("timeout inf", lambda: nango.Nango(emu.secret_key, timeout=float("inf"))),
        ("max_retries negative", lambda: nango.Nango(emu.secret_key, max_retries=-1)),
        ("empty signing key", lambda: nango.Nango(emu.secret_key, webhook_signing_key="")),
    ):
        check(f"Nango() {label}", make, PYTYPE + ARG)

    key = emu.signing_key
    for label, body in (("non-UTF-8 body", bytes([0xFF, 0xFE, 0x7B, 0x80])), ("not JSON", b"hello"), ("empty body", b"")):
        sig = hmac.new(key.encode(), body, hashlib.sha256).hexdigest()
        headers = {"X-Nango-Hmac-Sha256": sig}
        check(f"parse_webhook {label}", lambda body=body, headers=headers: client.parse_webhook(body, headers), ARG)
        tried += 1
        if client.verify_incoming_webhook_request(body, headers) is not True:
            wrong.append(f"verify {label}: a correctly signed body must verify")
    check("parse_webhook unsigned", lambda: client.parse_webhook(bytes([0xC3, 0x28]), {"X-Nango-Hmac-Sha256": "00"}), ["invalid_signature"])
    check("verify headers int", lambda: client.verify_incoming_webhook_request(b"{}", 5), PYTYPE)  # type: ignore[arg-type]
    check("verify body int", lambda: client.verify_incoming_webhook_request(42, {}), PYTYPE)  # type: ignore[arg-type]
    check("verify header value int", lambda: client.verify_incoming_webhook_request(b"{}", {"X-Nango-Hmac-Sha256": 5}), PYTYPE)

    tally.inputs = tried
    tally.notes.append(f"codes {dict(sorted(codes.items()))}")
    ensure(not wrong, f"{len(wrong)} of {tried} inputs handled wrongly: {wrong}")
