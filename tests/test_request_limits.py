"""Request bodies are bounded per route and refused before they are read: a write without a valid token is 401,
a body larger than its route accepts 413 (problem details), whether its length is declared or not.

The requests are written on a raw socket: a client that declares 300 MB and sends a few bytes shows that the
gateway answers without waiting for (or holding) the rest.
"""
from __future__ import annotations

import json
import socket

import pytest

from tests.conftest import tahun_lama
from tests.support import rkpd_url

LARGE = 300 * 1024 * 1024


def _raw(stack, method: str, path: str, headers: dict, body: bytes = b"", timeout: float = 10) -> tuple[int, dict, dict]:
    """Send a request head (and ``body``, whatever the head declares); the status, headers and JSON body answered."""
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    with socket.create_connection(("127.0.0.1", stack.gateway_port), timeout=timeout) as sock:
        sock.sendall(head.encode() + body)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except (ConnectionResetError, TimeoutError):
            pass
    status_line, _, rest = received.partition(b"\r\n")
    raw_headers, _, payload = rest.partition(b"\r\n\r\n")
    answered = dict(line.decode().split(": ", 1) for line in raw_headers.split(b"\r\n") if b": " in line)
    answered = {k.lower(): v for k, v in answered.items()}
    if answered.get("transfer-encoding") == "chunked":
        payload = _dechunk(payload)
    return int(status_line.split()[1]), answered, json.loads(payload or b"{}")


def _dechunk(data: bytes) -> bytes:
    out = b""
    while data:
        size, _, data = data.partition(b"\r\n")
        n = int(size, 16)
        if n == 0:
            break
        out, data = out + data[:n], data[n + 2:]
    return out


def test_an_anonymous_write_is_401_before_its_body_is_read(stack):
    status, headers, body = _raw(stack, "POST", rkpd_url(2030), {"Content-Type": "application/json",
                                                                 "Content-Length": str(LARGE)}, b'{"kode_skpd": ')
    assert status == 401, body
    assert headers["content-type"] == "application/problem+json" and headers["www-authenticate"].startswith("Bearer")
    assert body["type"] == "urn:sipd:problem:unauthenticated"
    # a forged token is no better
    status, _, body = _raw(stack, "POST", rkpd_url(2030), {"Authorization": "Bearer not-a-jwt",
                                                           "Content-Type": "application/json",
                                                           "Content-Length": str(LARGE)}, b"{")
    assert status == 401 and body["error"] == "invalid_token"


@pytest.fixture(scope="module")
def tahun() -> int:
    """One year of its own for the module, before the schedules: its tests are refused, read, or write one item."""
    return tahun_lama()


@pytest.mark.parametrize("path", ["rkpd", "/api/v1/users", "/api/v1/auth/token", "/api/v1/referensi/impor"])
def test_a_declared_body_over_the_route_s_limit_is_413_unread(stack, pusat_admin, path, tahun):
    path = rkpd_url(tahun) if path == "rkpd" else path
    status, headers, body = _raw(stack, "POST", path, {**pusat_admin.headers, "Content-Type": "application/json",
                                                       "Content-Length": str(LARGE)}, b'{"a": ')
    assert status == 413, body
    assert headers["content-type"] == "application/problem+json"
    assert body["type"] == "urn:sipd:problem:too-large" and body["errors"][0]["field"] == "body"


def test_an_undeclared_body_is_cut_at_the_limit(stack, pusat_admin, tahun):
    """Chunked: read up to the limit (64 KiB for JSON) and refused at the first byte beyond it."""
    chunk = b"x" * 16384
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(8))  # 128 KiB, no terminating chunk
    status, _, body = _raw(stack, "POST", rkpd_url(tahun), {**pusat_admin.headers, "Content-Type": "application/json",
                                                            "Transfer-Encoding": "chunked"}, chunks)
    assert status == 413 and body["type"] == "urn:sipd:problem:too-large"


def test_bodies_within_the_limits_still_work(api, tahun):
    """A small body of unknown length (chunked) reaches its route as before."""
    item = json.dumps({"kode_skpd": "1.01.0.00.0.00.01.0000", "kode_sub_kegiatan": "1.01.02.2.01.0001",
                       "indikator": "Jumlah Unit Sekolah Baru", "target": "2", "satuan": "Unit",
                       "pagu_indikatif": "1000000000.00"}).encode()
    resp = api.post(rkpd_url(tahun), content=iter([item[:10], item[10:]]), headers={"Content-Type": "application/json"})
    assert resp.status_code == 201, resp.text
    # the anonymous public reads and a wrong route are answered as they were
    assert api.post("/api/v1/health").status_code == 405
