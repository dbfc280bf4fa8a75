"""A lean HTTP/1.1 load generator on raw asyncio streams (keep-alive, one request in flight per connection).

Why not httpx: on a 2-core machine the load generator shares the CPU with the
system under test, and httpx spends several times more client CPU per request
than this (header objects, URL parsing, the transport layers). This client
writes a pre-built request and parses only the status line, Content-Length
(or chunked encoding) and the body: enough for a benchmark of our own API, not
a general HTTP client.
"""
from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass, field
from typing import Awaitable, Callable, Mapping, Optional

Request = tuple[str, str, Optional[bytes]]  # method, path, JSON body
Headers = Optional[Mapping[str, str]]       # sent with every request of a connection, e.g. Authorization


def encode_headers(headers: Headers) -> bytes:
    """Header lines, encoded once: a connection sends them with each request as they are."""
    if not headers:
        return b""
    lines = []
    for name, value in headers.items():
        if any(c in f"{name}{value}" for c in "\r\n") or ":" in name:
            raise ValueError(f"bad header {name!r}")
        lines.append(f"{name}: {value}\r\n")
    return "".join(lines).encode("latin-1")


class HttpError(Exception):
    pass


class Connection:
    """One keep-alive HTTP/1.1 connection; reconnects by itself after the server closed it.

    ``headers`` go with every request (after ``Host``), ``request(headers=...)`` adds more to one.
    """

    def __init__(self, host: str, port: int, headers: Headers = None):
        self.host = host
        self.port = port
        self._fixed_headers = f"Host: {host}:{port}\r\n".encode() + encode_headers(headers)
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port, limit=1 << 20)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: bytes | None = None,
                      headers: bytes = b"") -> tuple[int, bytes]:
        """``headers``: extra header lines for this request only, already encoded (``encode_headers``)."""
        if self.writer is None:
            await self.connect()
        head = f"{method} {path} HTTP/1.1\r\n".encode() + self._fixed_headers + headers
        if body is not None:
            head += b"Content-Type: application/json\r\nContent-Length: " + str(len(body)).encode() + b"\r\n"
        self.writer.write(head + b"\r\n" + (body or b""))
        try:
            return await self._response()
        except (asyncio.IncompleteReadError, ConnectionError, HttpError):
            self.close()
            raise

    async def _response(self) -> tuple[int, bytes]:
        reader = self.reader
        raw = await reader.readuntil(b"\r\n\r\n")
        lines = raw.split(b"\r\n")
        parts = lines[0].split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
            raise HttpError(f"bad status line {lines[0]!r}")
        status = int(parts[1])
        length = None
        chunked = close = False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
        if chunked:
            body = bytearray()
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await reader.readuntil(b"\r\n")  # no trailers from our servers
                    break
                body += await reader.readexactly(size + 2)
                del body[-2:]
            body = bytes(body)
        elif length is not None:
            body = await reader.readexactly(length) if length else b""
        elif status in (204, 304) or 100 <= status < 200:
            body = b""
        else:
            body = await reader.read()
            close = True
        if close:
            self.close()
        return status, body


class Pool:
    """Keep-alive connections handed out one request at a time (for the propagation pollers).

    ``headers`` go with every request of every connection (an ``Authorization`` header, say).
    """

    def __init__(self, host: str, port: int, headers: Headers = None):
        self.host = host
        self.port = port
        self.headers = dict(headers or {})
        self._free: list[Connection] = []
        self.opened = 0

    async def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        reused = bool(self._free)
        conn = self._free.pop() if reused else self._new()
        try:
            result = await conn.request(method, path, body)
        except (asyncio.IncompleteReadError, ConnectionResetError, BrokenPipeError) as exc:
            conn.close()
            # The server closes keep-alive connections idle for a while (uvicorn: 5 s); a request
            # that met such a close got no byte back and was not processed: send it once more.
            nothing_read = not isinstance(exc, asyncio.IncompleteReadError) or not exc.partial
            if not (reused and nothing_read):
                raise
            conn = self._new()
            try:
                result = await conn.request(method, path, body)
            except BaseException:
                conn.close()
                raise
        except BaseException:
            conn.close()
            raise
        self._free.append(conn)
        return result

    def _new(self) -> Connection:
        self.opened += 1
        return Connection(self.host, self.port, self.headers)

    def close(self) -> None:
        for conn in self._free:
            conn.close()
        self._free.clear()


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list (p in 0..100)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summarize_ms(latencies_s: list[float]) -> dict:
    values = sorted(latencies_s)
    if not values:
        return {"n": 0, "p50_ms": None, "p90_ms": None, "p99_ms": None, "max_ms": None, "mean_ms": None}
    return {
        "n": len(values),
        "p50_ms": round(percentile(values, 50) * 1000, 2),
        "p90_ms": round(percentile(values, 90) * 1000, 2),
        "p99_ms": round(percentile(values, 99) * 1000, 2),
        "max_ms": round(values[-1] * 1000, 2),
        "mean_ms": round(sum(values) / len(values) * 1000, 2),
    }


@dataclass
class LoadResult:
    name: str
    concurrency: int
    duration_s: float = 0.0
    requests: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    exhausted: bool = False

    def record(self, t0: float, t1: float, ok: bool, detail: str) -> None:
        """One request that started at ``t0`` (inside the measured window) and ended at ``t1``."""
        self.requests += 1
        self.latencies.append(t1 - t0)
        if not ok:
            self.errors += 1
            if len(self.error_samples) < 5:
                self.error_samples.append(detail)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "concurrency": self.concurrency,
            "duration_s": round(self.duration_s, 3),
            "requests": self.requests,
            "errors": self.errors,
            "error_samples": self.error_samples[:5],
            "req_per_s": round(self.requests / self.duration_s, 1) if self.duration_s else 0.0,
            "exhausted_items": self.exhausted,
            **summarize_ms(self.latencies),
        }


async def closed_loop(name: str, host: str, port: int, next_request: Callable[[], Optional[Request]],
                      expect: int | tuple[int, ...] = 200, concurrency: int = 32, warmup_s: float = 2.0,
                      duration_s: float = 10.0,
                      on_response: Callable[[int, bytes], Awaitable[None] | None] | None = None,
                      headers: Headers = None) -> LoadResult:
    """``concurrency`` clients, each sending its next request as soon as the last one answered.

    ``headers`` (an ``Authorization`` header, say) go with every request, encoded once per connection.

    Requests started during the warm-up are not counted. ``next_request`` returns None
    when it has nothing more to send (a finite set of distinct writes): the run then
    ends early and its duration is the time up to the last answer.
    """
    expected = (expect,) if isinstance(expect, int) else tuple(expect)
    result = LoadResult(name, concurrency)
    clock = time.perf_counter
    start = clock()
    measure_from = start + warmup_s
    measure_until = measure_from + duration_s
    last_end = measure_from

    async def client() -> None:
        nonlocal last_end
        conn = Connection(host, port, headers)
        try:
            while True:
                t0 = clock()
                if t0 >= measure_until:
                    return
                req = next_request()
                if req is None:
                    result.exhausted = True
                    return
                method, path, body = req
                try:
                    status, payload = await conn.request(method, path, body)
                    ok = status in expected
                    detail = "" if ok else f"{status} {payload[:200]!r}"
                except (OSError, asyncio.IncompleteReadError, HttpError) as exc:
                    ok, detail = False, f"{type(exc).__name__}: {exc}"
                    await asyncio.sleep(0.01)
                t1 = clock()
                if t0 >= measure_from:
                    result.record(t0, t1, ok, detail)
                    last_end = max(last_end, t1)
                if ok and on_response is not None:
                    maybe = on_response(status, payload)
                    if maybe is not None:
                        await maybe
        finally:
            conn.close()

    await asyncio.gather(*(client() for _ in range(concurrency)))
    result.duration_s = max(last_end, measure_until if not result.exhausted else last_end) - measure_from
    return result
