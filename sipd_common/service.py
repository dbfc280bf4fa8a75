"""The entrypoints every SIPD service offers its operators, whatever its domain."""
from __future__ import annotations

from .auth import Caller
from .db import Storage
from .errors import DomainError
from .handlers import list_parked, replay_parked
from .logging import RequestContext
from .rpc import rpc


class SipdService:
    """Base of the four services: storage with outbox relay, request context, caller, operations RPCs.

    ``health``, ``parked_events`` and ``replay_parked_event`` are for operators and the gateway's
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
