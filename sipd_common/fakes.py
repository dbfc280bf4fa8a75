"""An in-memory unit of work, for use-case tests that need neither PostgreSQL nor RabbitMQ.

A service's tests subclass it and hang fake repositories off it in ``attach``, as the real unit of
work does (*Architecture Patterns with Python*, ``FakeUnitOfWork``). It keeps what a use case did:
``events`` emitted and ``audited`` rows (what was committed), and how many times it committed. Like the
real one, what was not committed is discarded: ``rollback`` restores the fake repositories' attributes
as they were at the last commit.
"""
from __future__ import annotations

import copy
from types import SimpleNamespace
from .access import Scope
from .audit import audit_values, entry_out
from .events import Event


class FakeUnitOfWork:
    def __init__(self, source: str, actor: Scope | None = None):
        self.source = source
        self.actor = actor
        self.events: list[Event] = []
        self.audited: list[dict] = []
        self.commits = 0
        self._pending_events: list[Event] = []
        self._pending_audit: list[dict] = []
        self.calls = FakeIdempotentCalls()
        self.attach()
        self._saved = self._state()

    def attach(self) -> None:
        """Hang the fake repositories off this unit of work."""

    def repositories(self) -> dict[str, "FakeRepository"]:
        return {name: value for name, value in vars(self).items() if isinstance(value, FakeRepository)}

    def _state(self) -> dict:
        return copy.deepcopy({name: vars(repo) for name, repo in self.repositories().items()})

    # -- the unit of work's API --------------------------------------------------------------------
    def emit(self, event: Event) -> None:
        self.emit_many([event])

    def emit_many(self, events: list[Event]) -> None:
        for event in events:
            if event.source != self.source:
                raise ValueError(f"{self.source} cannot publish {event.event_type()} (it belongs to {event.source})")
        self._pending_events.extend(events)

    def audit(self, record_type: str, record_id: str, action, before: dict | None, after: dict | None, **where) -> None:
        self._pending_audit.append(audit_values(record_type, record_id, action, before, after, actor=self.actor,
                                                request_id=None, **where))

    def audit_many(self, entries: list[tuple]) -> None:
        for record_type, record_id, action, before, after, where in entries:
            self.audit(record_type, record_id, action, before, after, **where)

    def trail(self, record_type: str, record_id: str, offset: int, limit: int) -> dict:
        rows = [r for r in self.audited if r["record_type"] == record_type and r["record_id"] == str(record_id)]
        page = [SimpleNamespace(id=i + 1, occurred_at="2026-01-01T00:00:00+00:00", **r)
                for i, r in enumerate(rows)][offset:offset + limit]
        return {"items": [entry_out(row) for row in page], "total": len(rows)}

    def commit(self) -> None:
        self.events.extend(self._pending_events)
        self.audited.extend(self._pending_audit)
        self._pending_events, self._pending_audit = [], []
        self._saved = self._state()
        self.commits += 1

    def rollback(self) -> None:
        for name, state in copy.deepcopy(self._saved).items():
            vars(self.repositories()[name]).clear()
            vars(self.repositories()[name]).update(state)
        self._pending_events, self._pending_audit = [], []

    def __enter__(self) -> "FakeUnitOfWork":
        return self

    def __exit__(self, *exc) -> None:
        self.rollback()


class FakeRepository:
    """Base of a fake repository: its state lives in its attributes, restored on rollback."""


class FakeIdempotentCalls(FakeRepository):
    """``uow.calls`` in memory (``sipd_common.idempotency``)."""

    def __init__(self):
        self.calls: dict[str, dict] = {}

    def claim(self, key: str, operation: str, fingerprint: str) -> dict | None:
        if key in self.calls:
            return dict(self.calls[key])
        self.calls[key] = {"operation": operation, "fingerprint": fingerprint, "result": None}
        return None

    def complete(self, key: str, result: dict) -> None:
        self.calls[key]["result"] = result
