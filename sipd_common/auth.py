"""Access tokens, and the caller of each Nameko worker.

The gateway issues short-lived JWT access tokens (HS256, signed with ``SIPD_JWT_SECRET``) and
passes the caller's token on every RPC as Nameko context data (header ``nameko.auth_token``,
Nameko's standard ``auth_token`` key). Nameko hands it to the worker and on to the nested calls the
worker makes. Each service verifies the signature itself with the shared secret and derives the
caller's ``Scope``: it trusts no claim it has not checked, and no caller it cannot identify. A token
carries its user's record version (``ver``); one older than a revocation of its user (a deactivation, a
role or SKPD change: ``sipd_common.revocation``) is refused, within seconds of the change.

Event handlers have no caller: events carry no token (the outbox stores the request id and the call
chain only), and what a handler does is the system's, not a user's.
"""
from __future__ import annotations

import logging
import time
import uuid
from typing import Any

import jwt
from nameko.constants import AMQP_URI_CONFIG_KEY, AUTH_TOKEN_CONTEXT_KEY, HEARTBEAT_CONFIG_KEY
from nameko.extensions import DependencyProvider, SharedExtension

from .access import InvalidScope, Scope
from .revocation import REVOKED, STREAM, Revocations, StreamReader
from .settings import get_settings

log = logging.getLogger(__name__)

ALGORITHM = "HS256"
ISSUER = "sipd"
AUDIENCE = "sipd"
LEEWAY_SECONDS = 5  # clocks of the gateway and a service may differ a little


class InvalidToken(Exception):
    """The token is missing, malformed, expired, not ours, or describes no possible user."""


def issue_access_token(scope: Scope, secret: str, minutes: int, now: float | None = None,
                       version: int = 0) -> tuple[str, int]:
    """A signed access token for ``scope``, and how many seconds it is valid; ``version`` is the user record's."""
    now = int(now if now is not None else time.time())
    expires_in = minutes * 60
    claims = {**scope.claims(), "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + expires_in,
              "jti": uuid.uuid4().hex, "ver": version}
    return jwt.encode(claims, secret, algorithm=ALGORITHM), expires_in


def verify_access_token(token: str, secret: str, revoked: Revocations = REVOKED) -> Scope:
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
                            leeway=LEEWAY_SECONDS, options={"require": ["exp", "iat", "sub", "iss", "aud"]})
    except jwt.ExpiredSignatureError:
        raise InvalidToken("the access token has expired") from None
    except jwt.PyJWTError as exc:
        raise InvalidToken(f"the access token is not valid ({type(exc).__name__})") from None
    version = claims.get("ver", 0)
    if not isinstance(version, int) or revoked.refuses(str(claims["sub"]), version):
        raise InvalidToken("the access token was revoked (the account was deactivated or its role changed): "
                           "log in again")
    try:
        return Scope.from_claims(claims)
    except InvalidScope as exc:
        raise InvalidToken(f"the access token names no possible user: {exc}") from None


_UNRESOLVED = object()


def caller_of(worker_ctx: Any, secret: str) -> Scope | None:
    """The verified caller of a worker, ``None`` without a valid token; verified once per worker."""
    cached = getattr(worker_ctx, "_sipd_caller", _UNRESOLVED)
    if cached is not _UNRESOLVED:
        return cached
    token = worker_ctx.data.get(AUTH_TOKEN_CONTEXT_KEY)
    caller = None
    if token:
        try:
            caller = verify_access_token(str(token), secret)
        except InvalidToken as exc:
            log.warning("%s.%s: call refused its token: %s", worker_ctx.service_name,
                        worker_ctx.entrypoint.method_name, exc)
    worker_ctx._sipd_caller = caller
    return caller


REVOCATIONS_SETTLE_SECONDS = 5.0  # a service waits this long at most, at start, for the history of revocations


class RevocationWatcher(SharedExtension):
    """A service instance's reader of the revocations (``sipd_common.revocation``), started with the container:
    it serves once their history is read (or after ``REVOCATIONS_SETTLE_SECONDS``: a broker that cannot be read
    does not keep it down)."""

    def setup(self):
        config = self.container.config
        self.reader = StreamReader(config[AMQP_URI_CONFIG_KEY], heartbeat=int(config.get(HEARTBEAT_CONFIG_KEY, 30)))

    def start(self):
        self.container.spawn_managed_thread(self.reader.run, identifier="revocation_stream")
        if not self.reader.settled.wait(REVOCATIONS_SETTLE_SECONDS):
            log.warning("revocations: history of %s not read after %g s; serving meanwhile", STREAM,
                        REVOCATIONS_SETTLE_SECONDS)

    def stop(self):
        self.reader.stop()

    def kill(self):
        self.reader.stop()


class Caller(DependencyProvider):
    """``self.caller`` of a worker: the ``Scope`` of whoever called, or ``None`` (no or invalid token).

    The use cases decide what ``None`` means: ``sipd_common.access.require_*`` raise
    ``Unauthenticated`` for it, and public look-ups do not ask.
    """

    revocations = RevocationWatcher()  # fills REVOKED, which verify_access_token asks

    def setup(self):
        self.secret = get_settings().jwt_secret

    def get_dependency(self, worker_ctx):
        return caller_of(worker_ctx, self.secret)
