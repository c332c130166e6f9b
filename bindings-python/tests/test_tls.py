"""HTTPS as Python users configure it, against the emulator serving TLS with a certificate signed
by a CA generated for this run (the workspace's ``test-ca`` helper, rcgen): ``ca_certificates``,
``SSL_CERT_FILE`` / ``SSL_CERT_DIR``, the ``tls`` error on an untrusted certificate,
``HTTPS_PROXY`` (CONNECT) and ``NO_PROXY``. Cases that need environment variables run in a child
process."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import pytest

import nango

from conftest import REPO, Emulator, start_emulator, stop_emulator

TEST_CA_BIN = os.environ.get(
    "NANGO_TEST_CA_BIN", str(REPO / "target" / "x86_64-unknown-linux-gnu" / "debug" / "test-ca")
)
#: Variables of the machine that would change the child's trust or proxy decisions.
_NAMES = "SSL_CERT_FILE SSL_CERT_DIR NODE_EXTRA_CA_CERTS HTTPS_PROXY HTTP_PROXY ALL_PROXY NO_PROXY"
INHERITED = {case(name) for name in _NAMES.split() for case in (str.upper, str.lower)}
RECORDS = ("zendesk", "conn-1", "Ticket")


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run([TEST_CA_BIN, str(folder)], check=True)
    (folder / "certs").mkdir()
    (folder / "certs" / "ca.pem").write_bytes((folder / "ca.pem").read_bytes())
    (folder / "bad.pem").write_text("not a certificate")
    return folder


@pytest.fixture(scope="module")
def tls_emulator(certs: Path) -> Iterator[Emulator]:
    running = start_emulator(
        {
            "connections": [{"connection_id": "conn-1", "provider_config_key": "zendesk"}],
            "tls_cert": str(certs / "server.pem"),
            "tls_key": str(certs / "server-key.pem"),
        }
    )
    try:
        yield running
    finally:
        stop_emulator(running)


def test_the_emulator_serves_https(tls_emulator: Emulator) -> None:
    assert tls_emulator.url.startswith("https://127.0.0.1:")


def test_ca_certificates_as_str_bytes_path_or_list(tls_emulator: Emulator, certs: Path) -> None:
    ca = certs / "ca.pem"
    for value in [ca.read_text(), ca.read_bytes(), ca, str(ca), [certs / "other-ca.pem", ca]]:
        client = nango.Nango(tls_emulator.secret_key, host=tls_emulator.url, ca_certificates=value)
        assert client.list_records(*RECORDS)["records"] != []


def test_async_client_takes_ca_certificates(tls_emulator: Emulator, certs: Path) -> None:
    async def main() -> int:
        client = nango.AsyncNango(
            tls_emulator.secret_key, host=tls_emulator.url, ca_certificates=[certs / "ca.pem"]
        )
        page = await client.list_records(*RECORDS)
        return len(page["records"])

    assert asyncio.run(main()) > 0


def test_untrusted_certificate_fails_fast_with_code_tls(
    tls_emulator: Emulator, certs: Path
) -> None:
    for value in [None, certs / "other-ca.pem"]:
        client = nango.Nango(
            tls_emulator.secret_key, host=tls_emulator.url, ca_certificates=value, max_retries=5
        )
        started = time.monotonic()
        with pytest.raises(nango.TransportError) as raised:
            client.list_records(*RECORDS)
        # Five retries with backoff would take seconds: a refused certificate is not retried.
        assert time.monotonic() - started < 1.5
        assert raised.value.code == "tls"
        assert "ca_certificates" in str(raised.value)
        assert "SSL_CERT_FILE" in str(raised.value)


def test_bad_pem_is_a_validation_error_naming_the_option(
    tls_emulator: Emulator, certs: Path
) -> None:
    cases: List[Tuple[object, str]] = [
        ("not a certificate", "ca_certificates[0]"),
        (b"-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n", "ca_certificates[0]"),
        ([certs / "ca.pem", certs / "missing.pem"], "ca_certificates[1]"),
        ([certs / "bad.pem"], "ca_certificates[0]"),
    ]
    for value, field in cases:
        with pytest.raises(nango.ValidationError) as raised:
            nango.Nango(tls_emulator.secret_key, host=tls_emulator.url, ca_certificates=value)  # type: ignore[arg-type]
        assert raised.value.code == "invalid_argument"
        assert field in str(raised.value)
    with pytest.raises(TypeError):
        nango.Nango(tls_emulator.secret_key, host=tls_emulator.url, ca_certificates=[42])  # type: ignore[list-item]


def child(emulator: Emulator, extra: Dict[str, str]) -> str:
    """One ``list_records`` in a child interpreter configured by the environment alone."""
    script = (
        "import nango\n"
        "try:\n"
        "    page = nango.Nango(max_retries=0).list_records('zendesk', 'conn-1', 'Ticket')\n"
        "    print('ok', len(page['records']))\n"
        "except nango.NangoError as err:\n"
        "    print('error', err.code, str(err).split(':')[0])\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in INHERITED}
    env.update(NANGO_HOST=emulator.url, NANGO_SECRET_KEY=emulator.secret_key, **extra)
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_ssl_cert_file_and_dir(tls_emulator: Emulator, certs: Path) -> None:
    assert child(tls_emulator, {"SSL_CERT_FILE": str(certs / "ca.pem")}).startswith("ok ")
    assert child(tls_emulator, {"SSL_CERT_DIR": str(certs / "certs")}).startswith("ok ")
    # As in OpenSSL, SSL_CERT_FILE replaces the system's store.
    assert child(tls_emulator, {"SSL_CERT_FILE": str(certs / "other-ca.pem")}).startswith(
        "error tls"
    )
    # Node's variable is not Python's.
    assert child(tls_emulator, {"NODE_EXTRA_CA_CERTS": str(certs / "ca.pem")}).startswith(
        "error tls"
    )
    assert (
        child(tls_emulator, {"SSL_CERT_FILE": str(certs / "bad.pem")})
        == "error invalid_argument invalid argument `SSL_CERT_FILE`"
    )


class ConnectProxy:
    """A CONNECT proxy on 127.0.0.1 that counts its tunnels (one thread per direction)."""

    def __init__(self) -> None:
        self.tunnels = 0
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._tunnel, args=(client,), daemon=True).start()

    def _tunnel(self, client: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = client.recv(4096)
            if not chunk:
                client.close()
                return
            head += chunk
        method, target = head.split(b" ")[:2]
        if method != b"CONNECT":
            client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
            client.close()
            return
        host, port = target.decode().rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        self.tunnels += 1
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        rest = head.split(b"\r\n\r\n", 1)[1]
        if rest:
            upstream.sendall(rest)

        def pipe(source: socket.socket, sink: socket.socket) -> None:
            try:
                while data := source.recv(65536):
                    sink.sendall(data)
            except OSError:
                pass
            finally:
                sink.close()

        threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
        pipe(client, upstream)

    def close(self) -> None:
        self.server.close()


def test_https_proxy_connect_and_no_proxy(tls_emulator: Emulator, certs: Path) -> None:
    proxy = ConnectProxy()
    try:
        trust = {"SSL_CERT_FILE": str(certs / "ca.pem")}
        assert child(tls_emulator, {**trust, "HTTPS_PROXY": proxy.url}).startswith("ok ")
        assert proxy.tunnels == 1
        no_proxy = {**trust, "HTTPS_PROXY": proxy.url, "NO_PROXY": "127.0.0.1"}
        assert child(tls_emulator, no_proxy).startswith("ok ")
        assert proxy.tunnels == 1
    finally:
        proxy.close()
