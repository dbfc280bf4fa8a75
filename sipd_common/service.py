"""The entrypoints every SIPD service offers its operators, whatever its domain."""
from __future__ import annotations

from datetime import datetime

from .auth import Caller
from .db import Storage
from .errors import DomainError, Invalid
from .handlers import list_parked, replay_parked
from .outbox import RETENTION, replay, unroutable_events
from .logging import RequestContext
from .rpc import rpc


class SipdService:
    """Base of the four services: storage with outbox relay, request context, caller, operations RPCs.

    ``health``, ``parked_events``, ``replay_parked_event``, ``unroutable_events`` and ``replay_events``
    are for operators and the gateway's
    health check: they take no caller (the broker is the boundary; see README, "Access").
    """

    storage = Storage()
    request_id = RequestContext()
    caller = Caller()

    @rpc
    def health(self) -> dict:
        """``ok`` once the database answers and the service has what it needs to serve every request."""
        try:
            self.storage.ping()
            database = "ok"
            waiting = self.readiness()
        except Exception as exc:  # reported, not raised: health must answer
            database, waiting = f"error: {type(exc).__name__}", None
        return {"status": "ok" if database == "ok" and not waiting else "error", "database": database,
                "detail": waiting}

    def readiness(self) -> str | None:
        """What the service still waits for before it can serve every request (a replica never filled, say);
        None when nothing. Not an entrypoint: ``health`` asks it."""
        return None

    @rpc
    def parked_events(self, include_replayed: bool = False) -> list[dict]:
        return list_parked(self.storage, include_replayed)

    @rpc(expected_exceptions=DomainError)
    def replay_parked_event(self, parked_id: int) -> dict:
        return replay_parked(self, parked_id)

    @rpc
    def unroutable_events(self, limit: int = 100) -> dict:
        """Events of this service's outbox that the broker returned (no queue bound) and that wait for one."""
        return unroutable_events(self.storage.engine, limit)

    @rpc(expected_exceptions=DomainError)
    def replay_events(self, since: str, routing_key: str | None = None) -> dict:
        """Publish again what this service published since ``since`` (ISO 8601), for a consumer catching up."""
        try:
            moment = datetime.fromisoformat(since)
        except (TypeError, ValueError):
            raise Invalid.field("since", "an ISO 8601 date and time, e.g. 2026-01-31T00:00:00+07:00") from None
        if moment.tzinfo is None:
            raise Invalid.field("since", "give the time zone, e.g. 2026-01-31T00:00:00+07:00")
        count = replay(self.storage.engine, moment, routing_key)
        if count and self.storage.relay is not None:
            self.storage.relay.wake()
        return {"replayed": count, "since": moment.isoformat(), "routing_key": routing_key,
                "retention": RETENTION}
