"""Access tokens revoked before they expire: a user deactivated, or its role or SKPD changed.

An access token is valid 15 minutes and every service verifies it on its own, so ending a session's
refresh tokens is not enough: the tokens already issued must stop working too. Each token carries the
version of its user's record when it was issued (claim ``ver``). When an administrator deactivates a
user or changes its role or SKPD, the gateway records, with the change, *the least version a token of
this user must carry* (``AccessRevoked``) and publishes it on the exchange ``gateway.events`` (routing
key ``user.revoked.v1``), which feeds one RabbitMQ stream, ``gateway.revocations``. Every process keeps
the revocations in memory (``REVOKED``) and refuses a token of an older version
(``sipd_common.auth.verify_access_token``):

- every service instance reads the stream from its start (``RevocationWatcher``): what was published
  before it started (the catch-up) and then each revocation as it comes. A stream is read, not
  consumed: every instance sees every message, and a new one reads the retained history (a day);
- every gateway worker reads the gateway's own table every second (``gateway/revocations.py``).

A version, not a time: the version is the record's own counter, so no two clocks need to agree and a
login that read the user just before the change gets a token the revocation refuses. A revocation is
kept until every token it refuses has expired (``until``: its time plus the tokens' lifetime and a
margin). The message is the access kernel's protocol, like the token itself, so it is defined here
beside ``sipd_common.auth`` rather than in ``contracts/``: the gateway publishes it, every process reads
it, and only the gateway's broker user may publish on ``gateway.events`` (``ops.broker``).
"""
from __future__ import annotations

import json
import logging
import socket
import threading
import time
from datetime import datetime

import kombu
from pydantic import BaseModel, ConfigDict, Field

log = logging.getLogger(__name__)

EXCHANGE = "gateway.events"
ROUTING_KEY = "user.revoked.v1"
STREAM = "gateway.revocations"
# Retention: a day of revocations (far beyond a token's lifetime), in small segments so that old ones
# are actually dropped (a stream drops whole segments only).
STREAM_ARGUMENTS = {"x-queue-type": "stream", "x-max-age": "1D", "x-stream-max-segment-size-bytes": 1_000_000}
# A revocation is kept this long after the tokens it refuses could have expired (a login that started
# before the change may issue its token a little after it).
MARGIN_SECONDS = 300


class AccessRevoked(BaseModel):
    """Every access token of ``user_id`` whose ``ver`` is below ``min_version`` is refused, until ``until``."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    user_id: str = Field(min_length=1, max_length=64)
    min_version: int = Field(ge=1, description="The user's record version after the change; older tokens are refused.")
    revoked_at: datetime
    until: datetime = Field(description="After this, every token the revocation refuses has expired.")


class Revocations:
    """user id → (least valid token version, until when it matters). Thread-safe; kept small by ``until``."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def add(self, revoked: AccessRevoked) -> None:
        until = revoked.until.timestamp()
        if until <= time.time():
            return
        with self._lock:
            version, held_until = self._entries.get(revoked.user_id, (0, 0.0))
            self._entries[revoked.user_id] = (max(version, revoked.min_version), max(held_until, until))
            if len(self._entries) % 1000 == 0:
                self._prune()

    def refuses(self, user_id: str, version: int) -> bool:
        entry = self._entries.get(user_id)
        return entry is not None and version < entry[0] and entry[1] > time.time()

    def _prune(self) -> None:
        now = time.time()
        for user_id in [u for u, (_, until) in self._entries.items() if until <= now]:
            del self._entries[user_id]

    def __len__(self) -> int:
        return len(self._entries)


# One per process: every container of a process (and the gateway worker) refuses the same tokens.
REVOKED = Revocations()


def read(body: bytes | str) -> AccessRevoked:
    return AccessRevoked.model_validate(json.loads(body))


class StreamReader:
    """Reads ``gateway.revocations`` from its first retained message into ``REVOKED``, for as long as it runs,
    reconnecting after a failure (and reading the history again: adding a revocation twice changes nothing).

    ``settled`` is set once the history is read (or found missing, or the broker unreachable): a service
    waits for it, briefly, before it serves. The stream is made by ``python -m ops.broker setup`` and by the
    gateway; a service's broker user may only read it (never declare, bind or delete it), so where it does not
    exist yet the reader tries again every few seconds.
    """

    IDLE_SECONDS = 0.3  # the history is read once the stream is quiet this long
    RETRY_SECONDS = (0.5, 1, 2, 5)

    def __init__(self, amqp_uri: str, revocations: Revocations = REVOKED, heartbeat: int = 30):
        self.amqp_uri = amqp_uri
        self.revocations = revocations
        self.heartbeat = heartbeat
        self.settled = threading.Event()
        self.attached = False
        self._running = True

    def stop(self) -> None:
        self._running = False

    def run(self) -> None:
        failures = 0
        while self._running:
            try:
                self._read()
                failures = 0
            except Exception as exc:  # broker away, the stream missing: try again, quietly after the first
                self.attached = False
                (log.warning if failures == 0 else log.debug)(
                    "revocations: cannot read the stream %s (%s: %s); retrying", STREAM, type(exc).__name__, exc)
                failures += 1
                self.settled.set()
                time.sleep(self.RETRY_SECONDS[min(failures, len(self.RETRY_SECONDS)) - 1])

    def _read(self) -> None:
        with kombu.Connection(self.amqp_uri, heartbeat=self.heartbeat, connect_timeout=5) as connection:
            channel = connection.channel()
            channel.basic_qos(0, 200, False)  # a stream is read only with a prefetch
            channel.queue_declare(STREAM, passive=True)
            queue = kombu.Queue(STREAM, no_declare=True, consumer_arguments={"x-stream-offset": "first"})
            with kombu.Consumer(channel, [queue], on_message=self._on_message, no_ack=False):
                self.attached = True
                while self._running:
                    try:
                        connection.drain_events(timeout=self.IDLE_SECONDS)
                    except socket.timeout:
                        self.settled.set()
                        connection.heartbeat_check()

    def _on_message(self, message) -> None:
        try:
            self.revocations.add(read(message.body))
        except Exception:  # only the gateway publishes here: a message it did not write is logged, not fatal
            log.exception("revocations: unreadable message on %s", STREAM)
        message.ack()

