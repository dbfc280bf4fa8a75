"""The entrypoints every SIPD service offers its operators, whatever its domain."""
from __future__ import annotations

from datetime import datetime

from nameko.extensions import DependencyProvider
from nameko.timer import timer

from .auth import Caller
from .db import Storage
from .errors import DomainError, Forbidden, Invalid
from .handlers import list_parked, replay_parked
from .outbox import RETENTION, replay, unroutable_events
from .logging import RequestContext
from .monitoring import MetricsServer
from . import retention
from .rpc import BROKER_USER_KEY, rpc
from .settings import get_settings


class BrokerUser(DependencyProvider):
    """The broker user a request was validated as (``sipd_common.rpc.Rpc``); None when the broker said none."""

    def get_dependency(self, worker_ctx):
        return worker_ctx.data.get(BROKER_USER_KEY)


class SipdService:
    """Base of the four services: storage with outbox relay, request context, caller, operations RPCs.

    ``health`` is for the gateway's health check; ``parked_events``, ``replay_parked_event``,
    ``unroutable_events`` and ``replay_events`` are for operators: they answer only a request published
    as the operators' broker user (``SIPD_OPERATOR_BROKER_USER``, its ``user_id`` validated by the broker;
    ``python -m ops.parked`` and ``ops.outbox`` send it). See README, "Access".
    """

    storage = Storage()
    request_id = RequestContext()
    caller = Caller()
    broker_user = BrokerUser()
    metrics = MetricsServer()  # GET /metrics on SIPD_METRICS_PORT (off when unset)

    def _operator_only(self) -> None:
        operator = get_settings().operator_broker_user
        if self.broker_user != operator:
            raise Forbidden(f"for operators only: publish as the broker user {operator!r} (python -m ops.parked)")

    @timer(interval=get_settings().prune_interval_seconds)
    def prune(self) -> dict:
        """What is past its retention in this service's schema, deleted (``sipd_common.retention``)."""
        return retention.prune(self.storage.engine, get_settings())

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

    @rpc(expected_exceptions=DomainError)
    def parked_events(self, include_replayed: bool = False) -> list[dict]:
        self._operator_only()
        return list_parked(self.storage, include_replayed)

    @rpc(expected_exceptions=DomainError)
    def replay_parked_event(self, parked_id: int) -> dict:
        self._operator_only()
        return replay_parked(self, parked_id)

    @rpc(expected_exceptions=DomainError)
    def unroutable_events(self, limit: int = 100) -> dict:
        """Events of this service's outbox that the broker returned (no queue bound) and that wait for one."""
        self._operator_only()
        return unroutable_events(self.storage.engine, limit)

    @rpc(expected_exceptions=DomainError)
    def replay_events(self, since: str, routing_key: str | None = None) -> dict:
        """Publish again what this service published since ``since`` (ISO 8601), for a consumer catching up."""
        self._operator_only()
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
