"""no-secret-leak: see rust/src/scenarios/no_secret_leak.rs. In Python: str/repr/args of every
exception, the formatted traceback, repr of the clients and iterators, pickled errors, and
everything written to stderr/stdout or to the logging module at DEBUG while the calls run."""

import io
import logging
import pickle
import traceback
from contextlib import redirect_stderr, redirect_stdout
from typing import List

import nango
from support import CONNECTION, INTEGRATION, PARAMS, Emulator, Tally, ensure


class _EveryAttribute(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{record.getMessage()} {vars(record)!r}"


def test_no_secret_leak(emu: Emulator, tally: Tally, capfd) -> None:  # type: ignore[no-untyped-def]
    wrong_key = "0f0e0d0c-0b0a-4909-8807-060504030201"
    secrets = [emu.secret_key, wrong_key, emu.signing_key]
    texts: List[str] = []
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    # Every attribute of every record, the request fields in `extra` included.
    handler.setFormatter(_EveryAttribute())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    out, err = io.StringIO(), io.StringIO()
    errors: List[BaseException] = []
    model = PARAMS["paging"]["model"]
    try:
        with redirect_stdout(out), redirect_stderr(err):
            client = emu.client(timeout=0.3, max_retries=1, log_level="debug")
            wrong = nango.Nango(wrong_key, host=emu.url, log_level="debug")
            it = client.records(INTEGRATION, CONNECTION, model, limit=5)
            texts += [repr(client), str(client), repr(wrong), repr(it), repr(emu.async_client())]
            texts.append(repr(client.list_records(INTEGRATION, CONNECTION, model, limit=5)))
            it.close()

            def fail(fn) -> None:  # type: ignore[no-untyped-def]
                try:
                    fn()
                except BaseException as exc:  # noqa: BLE001 - every kind is inspected
                    errors.append(exc)

            fail(lambda: wrong.list_records(INTEGRATION, CONNECTION, model, limit=5))
            kinds = [
                {"kind": "status", "status": 429, "retry_after": 0},
                {"kind": "status", "status": 503},
                {"kind": "status", "status": 500, "body": {"error": {"code": "server_error", "message": "boom"}}},
                {"kind": "drop"},
                {"kind": "truncate"},
                {"kind": "delay", "ms": 2000},
            ]
            for kind in kinds:
                emu.add_faults([{"path": "/records", "count": 2, **kind}])
                fail(lambda: client.list_records(INTEGRATION, CONNECTION, model, limit=5))
                emu.admin("DELETE", "/faults")
            emu.add_faults([{"path": "/action/trigger", "count": 1, "kind": "truncate"}])
            fail(lambda: client.trigger_action(INTEGRATION, CONNECTION, "echo"))
            fail(lambda: client.list_records(INTEGRATION, CONNECTION, ""))
            fail(lambda: client.list_records(INTEGRATION, "c\n", model))
            fail(lambda: client.parse_webhook(b"{}", {"X-Nango-Hmac-Sha256": "00"}))
            fail(lambda: nango.Nango(emu.secret_key + "\n", host=emu.url))
            fail(lambda: nango.verify_webhook(emu.signing_key, b"{}", {"X-Nango-Hmac-Sha256": "00"}))
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    ensure(len(errors) >= 10, f"only {len(errors)} failures were provoked")
    codes = []
    for exc in errors:
        codes.append(getattr(exc, "code", type(exc).__name__))
        texts += [str(exc), repr(exc), repr(exc.args), "".join(traceback.format_exception(exc))]
        texts.append(repr(vars(exc)) if hasattr(exc, "__dict__") else "")
        try:
            texts.append(repr(pickle.loads(pickle.dumps(exc))))
        except Exception as pickling:  # noqa: BLE001 - not pickling is fine, leaking is not
            texts.append(repr(pickling))
    captured = capfd.readouterr()
    # The request records (logger "nango", DEBUG) were on: the fields a user reads are there.
    for field in [
        "'name': 'nango'",
        "GET /records/ -> 429",
        "GET /records/ -> 503",
        "'http.request.method': 'GET'",
        "'url.path': '/records/'",
        "'http.response.status_code': 429",
        "'nango.attempt': 2",
        "'nango.retry.delay_ms': ",
        "'nango.duration_ms': ",
    ]:
        ensure(field in log.getvalue(), f"the request log lacks {field}")
    texts += [log.getvalue(), out.getvalue(), err.getvalue(), captured.out, captured.err]
    tally.inputs = len(texts)
    tally.notes.append(f"codes {codes}")
    for secret in secrets:
        for variant in (secret, secret.upper(), secret.replace("-", "")):
            for i, text in enumerate(texts):
                ensure(variant not in text, f"a secret appears in text #{i}: {text.replace(variant, '<SECRET>')[:300]}")
