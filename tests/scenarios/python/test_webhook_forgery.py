"""webhook-forgery: see rust/src/scenarios/webhook_forgery.rs. Headers are passed as a list of
(name, value) pairs, the shape WSGI/ASGI frameworks give, so duplicates survive."""

import http.server
import json
import threading
import time
from typing import List, Optional, Tuple

import nango
from support import CONNECTION, INTEGRATION, PARAMS, Emulator, Tally, ensure

HMAC = "x-nango-hmac-sha256"
Headers = List[Tuple[str, str]]


def with_header(headers: Headers, replace: Optional[List[Tuple[str, str]]]) -> Headers:
    out = [(k, v) for k, v in headers if k.lower() != HMAC]
    return out + (replace or [])


def test_webhook_forgery(emu: Emulator, tally: Tally) -> None:
    deliveries: List[Tuple[Headers, bytes]] = []

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            deliveries.append((list(self.headers.items()), body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        emu.admin("PUT", "/webhook-url", {"url": f"http://127.0.0.1:{server.server_address[1]}/hook"})
        emu.admin("POST", "/provider/mutate", {"integration": INTEGRATION, "model": PARAMS["webhooks"]["model"], "add": 1})
        emu.admin("POST", "/sync/run", {"provider_config_key": INTEGRATION, "connection_id": CONNECTION, "sync": PARAMS["webhooks"]["sync"]})
        emu.client().trigger_action_async(INTEGRATION, CONNECTION, "echo", {"hook": True})
        for _ in range(200):
            if len(deliveries) >= 2:
                break
            time.sleep(0.05)
    finally:
        server.shutdown()
        server.server_close()
    ensure(len(deliveries) >= 2, f"expected 2 webhooks, received {len(deliveries)}")

    client = emu.client()
    wrong: List[str] = []
    tried = 0
    kinds = []

    def expect(label: str, got: bool, want: bool) -> None:
        nonlocal tried
        tried += 1
        if got is not want:
            wrong.append(label)

    for n, (headers, body) in enumerate(deliveries):
        ok = client.verify_incoming_webhook_request
        sig = next(v for k, v in headers if k.lower() == HMAC)
        expect(f"#{n} real (bytes)", ok(body, headers), True)
        expect(f"#{n} real (str)", ok(body.decode(), headers), True)
        expect(f"#{n} real (dict)", ok(body, dict(headers)), True)
        expect(f"#{n} real (bytes headers)", ok(body, [(k.encode(), v.encode()) for k, v in headers]), True)
        kinds.append(client.parse_webhook(body, headers)["type"])
        for name in ("X-NANGO-HMAC-SHA256", "X-Nango-Hmac-Sha256", "x-NaNgO-hMaC-sHa256"):
            expect(f"#{n} name {name}", ok(body, with_header(headers, [(name, sig)])), True)
        expect(f"#{n} upper-case hex", ok(body, with_header(headers, [(HMAC, sig.upper())])), True)
        expect(f"#{n} identical duplicate", ok(body, with_header(headers, [(HMAC, sig), ("X-Nango-Hmac-Sha256", sig)])), True)
        for padded in (f" {sig}", f"{sig} ", f"\t{sig}"):
            expect(f"#{n} padded", ok(body, with_header(headers, [(HMAC, padded)])), True)
        legacy_only = with_header(headers, None)
        expect(f"#{n} legacy only", ok(body, legacy_only), False)
        expect(f"#{n} no signature", ok(body, [(k, v) for k, v in legacy_only if k.lower() != "x-nango-signature"]), False)
        forged = ("1" if sig[0] == "0" else "0") + sig[1:]
        for a, b in ((sig, forged), (forged, sig)):
            expect(f"#{n} conflicting duplicate", ok(body, with_header(headers, [(HMAC, a), (HMAC, b)])), False)
        for i in range(len(sig)):
            s = sig[:i] + ("b" if sig[i] == "a" else "a") + sig[i + 1:]
            expect(f"#{n} sig digit {i}", ok(body, with_header(headers, [(HMAC, s)])), False)
        for bad in ("", sig[:63], sig + "0", f"sha256={sig}", f"{sig[:32]} {sig[32:]}", "zz" * 32, sig[:32]):
            expect(f"#{n} malformed {bad!r}", ok(body, with_header(headers, [(HMAC, bad)])), False)
        for i in range(len(body)):
            for bit in range(8):
                b = bytearray(body)
                b[i] ^= 1 << bit
                expect(f"#{n} flip {i}.{bit}", ok(bytes(b), headers), False)
        for length in range(len(body)):
            expect(f"#{n} prefix {length}", ok(body[:length], headers), False)
        for suffix in (b"\n", b" ", b"{}", b"\0", b"\xff"):
            expect(f"#{n} suffix {suffix!r}", ok(body + suffix, headers), False)
        expect(f"#{n} re-serialised", ok(json.dumps(json.loads(body), indent=2), headers), False)
        tried += 1
        try:
            if ok(json.loads(body), headers) is True:  # type: ignore[arg-type]
                wrong.append("parsed dict verified")
        except TypeError:
            pass
        key = emu.signing_key
        for k in (emu.secret_key, key + " ", key.upper(), key[1:], key[:-1] + chr(ord(key[-1]) ^ 1)):
            expect("wrong key", emu.client(webhook_signing_key=k).verify_incoming_webhook_request(body, headers), False)
        fallback = nango.Nango(emu.secret_key, host=emu.url)
        expect("secret-key fallback", fallback.verify_incoming_webhook_request(body, headers), False)
    tally.inputs = tried
    tally.notes.append(f"{len(deliveries)} real webhooks ({', '.join(kinds)})")
    ensure(not wrong, f"{len(wrong)} of {tried} verdicts wrong, e.g. {wrong[:5]}")
    ensure("sync" in kinds and "async_action" in kinds, f"payload kinds {kinds}")
