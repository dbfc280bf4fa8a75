"""The broker as the project needs it: reachable, its management API on, a vhost of one's own, and a user
per service with permissions limited to its own queues and exchanges.

    python -m ops.broker wait     # until AMQP and the management API answer
    python -m ops.broker setup    # users and permissions (idempotent); prints the AMQP URI of each

**Users.** Each service, the gateway and the operators' tools connect as a user of their own
(``sipd-perencanaan``, …, ``sipd-gateway``, ``sipd-operator``; in a vhost other than ``/``, named after
it, ``<vhost>-perencanaan``, so that test runs side by side do not share users). What each may do, in
RabbitMQ's terms (``permissions``, and ``topic_permissions`` on the topic exchanges, which check the
routing key of a publish and the binding key of a queue.bind):

- its own queues only (``rpc-S``, ``rpc.reply-S-*``, ``evt-*--S.*``): declare, bind, consume;
- publish events only on its own exchange ``S.events``; bind only to the event exchanges of the
  services it consumes (found in its handlers: ``@handles``);
- read the stream of revocations ``gateway.revocations`` (only the gateway publishes there, on
  ``gateway.events``; ``sipd_common.revocation``);
- on ``nameko-rpc``: publish requests only to the services it calls (``ServiceRpc``; the gateway and
  the operator: every service) and replies; bind only its own request key (``S.*``) and reply keys.
  No one can bind ``#`` and read the calls (and access tokens) meant for another service.

Passwords: generated once into ``.run/broker.json`` (readable by its owner only), or, where the
deployment gives them (compose), ``SIPD_BROKER_PASSWORD_<NAME>`` in the environment. A password that is a
placeholder (``compose/.env.example``'s ``<name>-change-me``), shorter than 32 characters or of little entropy
(``sipd_common.settings.secret_problem``, as for the JWT secret) is refused and the set-up stops — the
administrator's (``SIPD_RABBIT_API_URI``'s) too — unless the broker and the gateway are this machine's alone
(their hosts loopback: the ``make run`` case, whose passwords are generated anyway).
"""
from __future__ import annotations

import base64
import importlib
import json
import os
import re
import secrets
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from sipd_common import revocation
from sipd_common.settings import loopback, secret_problem

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


def _q(name: str) -> str:
    return urllib.parse.quote(name, safe="")


def recreate_vhost(vhost: str, user: str = "guest") -> None:
    """A clean vhost: tests get queues and exchanges of their own."""
    quoted = urllib.parse.quote(vhost, safe="")
    _request("DELETE", f"/vhosts/{quoted}")
    _request("PUT", f"/vhosts/{quoted}", {})
    _request("PUT", f"/permissions/{quoted}/{urllib.parse.quote(user, safe='')}",
             {"configure": ".*", "write": ".*", "read": ".*"})


def amqp_uri_for(vhost: str, user: str | None = None, password: str | None = None) -> str:
    """The broker's AMQP URI (``SIPD_AMQP_URI``'s host) for ``vhost``, as ``user`` if given."""
    base = os.environ.get("SIPD_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
    parts = urllib.parse.urlsplit(base)
    netloc = parts.netloc
    if user is not None:
        netloc = f"{_q(user)}:{_q(password or '')}@{parts.hostname}:{parts.port or 5672}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, "/" + urllib.parse.quote(vhost, safe=""), "", ""))


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


# -- users and permissions ---------------------------------------------------------------------------

SERVICES = ("referensi", "perencanaan", "keuangan", "pemerintahan")
RPC_EXCHANGE = "nameko-rpc"
_UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
CREDENTIALS_FILE = Path(__file__).resolve().parent.parent / ".run" / "broker.json"


def user_name(component: str, vhost: str = "/") -> str:
    """The broker user of a service, ``gateway`` or ``operator`` in ``vhost``."""
    return f"sipd-{component}" if vhost == "/" else f"{vhost}-{component}"


def wiring() -> dict[str, dict[str, list[str]]]:
    """For each service: the services whose events it consumes and those it calls, read from its code."""
    from nameko.events import EventHandler
    from nameko.rpc import ServiceRpc

    from .stack import SERVICE_TARGETS

    found = {}
    for service, target in SERVICE_TARGETS.items():
        module, _, name = target.partition(":")
        cls = getattr(importlib.import_module(module), name)
        sources, calls = set(), set()
        for attr in dir(cls):
            value = getattr(cls, attr, None)
            if isinstance(value, ServiceRpc):
                calls.add(value.target_service)
            for entrypoint in getattr(value, "nameko_entrypoints", ()) or ():
                if isinstance(entrypoint, EventHandler):
                    sources.add(entrypoint.source_service)
        found[service] = {"consumes": sorted(sources), "calls": sorted(calls)}
    return found


def _alt(names) -> str:
    return "|".join(re.escape(n) for n in names)


def grants(component: str, wired: dict[str, dict[str, list[str]]]) -> tuple[dict, dict]:
    """(permissions, topic permissions per exchange) of one component, as RabbitMQ's regular expressions."""
    if component in ("gateway", "operator"):
        tag = "gateway" if component == "gateway" else "standalone_rpc_client"
        own = [f"rpc\\.reply-{tag}-[0-9a-f-]+"]
        reply_key = f"gateway-{_UUID}" if component == "gateway" else _UUID
        # what clears its reference cache (any change of the codification) and its portal's pages (an RKPD or
        # an APBD enacted; one pemda's realisation, APBD-P, regulations, EPPD result: gateway/portal/cache.py):
        # the binding keys it may use on each exchange
        reads_events = {"referensi": ".*", "perencanaan": "^rkpd\\.ditetapkan\\..*$",
                        "keuangan": "^(apbd\\.ditetapkan|apbd\\.perubahan\\.ditetapkan|realisasi\\.berubah)\\..*$",
                        "pemerintahan": "^(perda|eppd)\\..*$"} if component == "gateway" else {}
        if component == "gateway":
            own.append(f"gateway\\.events-{_UUID}")
        exchanges = [RPC_EXCHANGE] + [f"{s}.events" for s in reads_events]
        # the gateway alone publishes revocations, into the stream every process reads (sipd_common.revocation)
        revoking = [revocation.EXCHANGE, revocation.STREAM] if component == "gateway" else []
        permissions = {
            "configure": f"^({'|'.join(own)}|{_alt(exchanges + revoking)})$",
            "write": f"^({'|'.join(own)}|{_alt([RPC_EXCHANGE] + revoking)})$",
            "read": f"^({'|'.join(own)}|{_alt(exchanges + revoking)})$",
        }
        topics = {RPC_EXCHANGE: {"write": f"^({_alt(SERVICES)})\\.[a-z][a-z0-9_]*$", "read": f"^{reply_key}$"}}
        topics.update({f"{s}.events": {"write": "^$", "read": keys} for s, keys in reads_events.items()})
        if revoking:
            key = f"^{re.escape(revocation.ROUTING_KEY)}$"
            topics[revocation.EXCHANGE] = {"write": key, "read": key}
        return permissions, topics
    consumes, calls = wired[component]["consumes"], wired[component]["calls"]
    own = [f"rpc-{re.escape(component)}", f"rpc\\.reply-{re.escape(component)}-[0-9a-f-]+"]
    if consumes:
        own.append(f"evt-({_alt(consumes)})-[a-z0-9_.]+--{re.escape(component)}\\.[a-z0-9_]+")
    exchanges = [RPC_EXCHANGE, f"{component}.events"]
    sources = [f"{s}.events" for s in consumes]
    permissions = {
        "configure": f"^({'|'.join(own)}|{_alt(exchanges + sources)})$",
        "write": f"^({'|'.join(own)}|{_alt(exchanges)})$",
        # and the revocations of access tokens: read only (never declared, bound or deleted by a service)
        "read": f"^({'|'.join(own)}|{_alt([RPC_EXCHANGE] + sources + [revocation.STREAM])})$",
    }
    # requests to the services it calls, replies to any caller (a reply key is a caller's random uuid)
    requests = [f"({_alt(calls)})\\.[a-z][a-z0-9_]*"] if calls else []
    topics = {
        RPC_EXCHANGE: {"write": f"^({'|'.join(requests + [_UUID, f'gateway-{_UUID}'])})$",
                       "read": f"^({re.escape(component)}\\.\\*|{_UUID})$"},
        f"{component}.events": {"write": ".*", "read": "^$"},
    }
    topics.update({s: {"write": "^$", "read": ".*"} for s in sources})
    return permissions, topics


COMPONENTS = (*SERVICES, "gateway", "operator")
# where a deployment gives the passwords (compose/.env); written out, so that one can grep for them
PASSWORD_VARS = {"referensi": "SIPD_BROKER_PASSWORD_REFERENSI", "perencanaan": "SIPD_BROKER_PASSWORD_PERENCANAAN",
                 "keuangan": "SIPD_BROKER_PASSWORD_KEUANGAN", "pemerintahan": "SIPD_BROKER_PASSWORD_PEMERINTAHAN",
                 "gateway": "SIPD_BROKER_PASSWORD_GATEWAY", "operator": "SIPD_BROKER_PASSWORD_OPERATOR"}


def local() -> bool:
    """The ``make run`` case: the broker (its management API) and the gateway on this machine alone."""
    return loopback(urllib.parse.urlsplit(api_uri()).hostname or "") and loopback(
        os.environ.get("SIPD_GATEWAY_HOST", "127.0.0.1"))


def password_problems(passwords: dict[str, str], admin_password: str | None = None) -> list[str]:
    """What is wrong with each password that is not a real one (a placeholder, short, little entropy)."""
    problems = [f"{PASSWORD_VARS[c]} (sipd-{c}): {problem}" for c, password in passwords.items()
                if (problem := secret_problem(password))]
    if admin_password is not None and (problem := secret_problem(admin_password)):
        problems.append(f"the administrator's, in SIPD_RABBIT_API_URI (compose: RABBITMQ_PASSWORD): {problem}")
    return problems


def _refuse_weak(passwords: dict[str, str]) -> None:
    """Stop the set-up on a password anyone could guess, unless the broker is this machine's alone."""
    if local():
        return
    problems = password_problems(passwords, urllib.parse.unquote(urllib.parse.urlsplit(api_uri()).password or ""))
    if problems:
        raise SystemExit("broker passwords that are not real ones (a broker reachable beyond this machine needs "
                         "real ones; make each with `python -c 'import secrets; print(secrets.token_urlsafe(32))'`):"
                         "\n  " + "\n  ".join(problems))


def _passwords(vhost: str, credentials_file: Path | None) -> dict[str, str]:
    """Each component's password: from the environment where given, else kept in (or added to) the file; refused
    if it is not a real one (``_refuse_weak``)."""
    stored: dict = {}
    if credentials_file is not None and credentials_file.exists():
        stored = json.loads(credentials_file.read_text()).get(vhost, {})
    passwords = {}
    for component in COMPONENTS:
        passwords[component] = (os.environ.get(PASSWORD_VARS[component]) or stored.get(component)
                                or secrets.token_urlsafe(32))
    _refuse_weak(passwords)
    if credentials_file is not None:
        credentials_file.parent.mkdir(parents=True, exist_ok=True)
        everything = json.loads(credentials_file.read_text()) if credentials_file.exists() else {}
        everything[vhost] = passwords
        fd = os.open(credentials_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(everything, f, indent=2)
        os.chmod(credentials_file, 0o600)
    return passwords


def setup(vhost: str = "/", credentials_file: Path | None = CREDENTIALS_FILE) -> dict[str, str]:
    """Create (or update) every component's user and permissions in ``vhost``; the AMQP URI of each."""
    wired = wiring()
    passwords = _passwords(vhost, credentials_file)
    _request("PUT", f"/vhosts/{_q(vhost)}", {})
    uris = {}
    for component in COMPONENTS:
        user = user_name(component, vhost)
        _request("PUT", f"/users/{_q(user)}", {"password": passwords[component], "tags": ""})
        permissions, topics = grants(component, wired)
        _request("PUT", f"/permissions/{_q(vhost)}/{_q(user)}", permissions)
        _request("DELETE", f"/topic-permissions/{_q(vhost)}/{_q(user)}")
        for exchange, topic in topics.items():
            _request("PUT", f"/topic-permissions/{_q(vhost)}/{_q(user)}", {"exchange": exchange, **topic})
        uris[component] = amqp_uri_for(vhost, user, passwords[component])
    declare_revocations(vhost)
    return uris


def declare_revocations(vhost: str) -> None:
    """The stream of revocations and its exchange (``sipd_common.revocation``), so that a service reads it even
    before the gateway's first start (the gateway declares them too)."""
    _request("PUT", f"/exchanges/{_q(vhost)}/{_q(revocation.EXCHANGE)}", {"type": "topic", "durable": True})
    _request("PUT", f"/queues/{_q(vhost)}/{_q(revocation.STREAM)}",
             {"durable": True, "auto_delete": False, "arguments": revocation.STREAM_ARGUMENTS})
    _request("POST", f"/bindings/{_q(vhost)}/e/{_q(revocation.EXCHANGE)}/q/{_q(revocation.STREAM)}",
             {"routing_key": revocation.ROUTING_KEY})


def remove_users(vhost: str) -> None:
    """The users ``setup`` made for ``vhost`` (a test run's, at its end)."""
    for component in COMPONENTS:
        _request("DELETE", f"/users/{_q(user_name(component, vhost))}")


def uri_user(uri: str) -> str:
    """The user an AMQP URI connects as: what its messages' ``user_id`` must say (the broker checks it)."""
    return urllib.parse.unquote(urllib.parse.urlsplit(uri).username or "guest")


def operator_amqp_uri() -> str:
    """What the operators' tools connect with: ``SIPD_OPERATOR_AMQP_URI``, else the local set-up's operator."""
    if os.environ.get("SIPD_OPERATOR_AMQP_URI"):
        return os.environ["SIPD_OPERATOR_AMQP_URI"]
    vhost = urllib.parse.unquote(urllib.parse.urlsplit(
        os.environ.get("SIPD_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")).path[1:]) or "/"
    if CREDENTIALS_FILE.exists():
        password = json.loads(CREDENTIALS_FILE.read_text()).get(vhost, {}).get("operator")
        if password:
            return amqp_uri_for(vhost, user_name("operator", vhost), password)
    raise SystemExit("no operator credential: set SIPD_OPERATOR_AMQP_URI (or run `python -m ops.broker setup`)")


if __name__ == "__main__":
    if sys.argv[1:] == ["wait"]:
        wait()
        print("broker ready")
    elif sys.argv[1:2] == ["setup"]:
        vhost = sys.argv[2] if len(sys.argv) > 2 else "/"
        given = all(os.environ.get(v) for v in PASSWORD_VARS.values())  # compose: nothing to keep in a file
        for component, uri in setup(vhost, None if given else CREDENTIALS_FILE).items():
            print(f"{component}: {re.sub(r':[^:@/]+@', ':***@', uri)}")
    else:
        raise SystemExit(__doc__)
