"""The broker as the project needs it: reachable, its management API on, and a vhost of one's own.

    python -m ops.broker wait     # until AMQP and the management API answer
"""
from __future__ import annotations

import base64
import json
import os
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

DEFAULT_API = "http://guest:guest@127.0.0.1:15672"


def api_uri() -> str:
    return os.environ.get("SIPD_RABBIT_API_URI", DEFAULT_API)


def _request(method: str, path: str, body: dict | None = None) -> int:
    uri = urllib.parse.urlsplit(api_uri())
    url = f"{uri.scheme}://{uri.hostname}:{uri.port or 15672}/api{path}"
    req = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None)
    token = base64.b64encode(f"{uri.username or 'guest'}:{uri.password or 'guest'}".encode()).decode()
    req.add_header("Authorization", f"Basic {token}")
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        if exc.code == 404 and method == "DELETE":
            return 404
        raise


def recreate_vhost(vhost: str, user: str = "guest") -> None:
    """A clean vhost: tests get queues and exchanges of their own."""
    quoted = urllib.parse.quote(vhost, safe="")
    _request("DELETE", f"/vhosts/{quoted}")
    _request("PUT", f"/vhosts/{quoted}", {})
    _request("PUT", f"/permissions/{quoted}/{urllib.parse.quote(user, safe='')}",
             {"configure": ".*", "write": ".*", "read": ".*"})


def amqp_uri_for(vhost: str) -> str:
    base = os.environ.get("SIPD_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + urllib.parse.quote(vhost, safe=""), "", ""))


def wait(timeout: float = 60) -> None:
    amqp = urllib.parse.urlsplit(os.environ.get("SIPD_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/"))
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            socket.create_connection((amqp.hostname, amqp.port or 5672), timeout=2).close()
            _request("GET", "/overview")
            return
        except (OSError, urllib.error.URLError) as exc:
            last = exc
            time.sleep(0.5)
    raise SystemExit(f"broker not ready after {timeout} s: {last}")


if __name__ == "__main__":
    if sys.argv[1:] == ["wait"]:
        wait()
        print("broker ready")
    else:
        raise SystemExit(__doc__)
