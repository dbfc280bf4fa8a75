"""Replicas of another service's lists, kept by events and repaired from a paged snapshot.

A service that checks its writes against another's data (perencanaan and keuangan against
referensi's codification) keeps the part it needs as its own read model, so that a write makes no
RPC. What a replica holds is the consumer's own business (its ``replika`` package); how it stays
complete is this module, the same for every list:

- Each change event has its place in its list's stream (``urutan``: 1, 2, 3, … without gaps, in the
  publisher's commit order). In the handler's transaction, ``catat`` records the place in
  ``replika_posisi``: ``urutan`` is the highest place up to which every event is applied,
  ``tertunda`` the places applied above it. Competing consumers may apply events out of order, so a
  hole is only a gap once it has stayed open for a while (``celah_sejak``).
- Records carry the publisher's ``revisi``: a replica keeps per record the state with the highest one,
  so events and snapshot pages can be applied in any order, and twice, and end in the same state.
- ``isi_ulang`` (re)fills one list from the publisher's paged snapshot: on first start (no position
  yet), or when a gap has stayed open longer than the grace period. The snapshot's first page says
  the stream position it covers; once every page is applied, the position moves up to it.
- A list is ``siap`` (ready) once one fill has completed. Until then a write that finds its code in
  the replica goes ahead; one that does not is answered "try again shortly" rather than refused,
  and writes that need other lists are not held up.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from sqlalchemy import (
    ARRAY, BigInteger, Boolean, Column, DateTime, MetaData, String, Table, func, select, text, update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from .errors import Unavailable
from .sql import fixed

log = logging.getLogger(__name__)

GRACE_SECONDS = 5.0  # a hole open longer than this is a gap: an event was lost, not just overtaken


def add_replica_table(metadata: MetaData) -> Table:
    return Table(
        "replika_posisi", metadata,
        Column("kind", String(40), primary_key=True),
        Column("urutan", BigInteger, nullable=False, server_default="0"),
        Column("tertunda", ARRAY(BigInteger), nullable=False, server_default="{}"),
        Column("celah_sejak", DateTime(timezone=True)),
        Column("siap", Boolean, nullable=False, server_default="false"),
        Column("diisi_at", DateTime(timezone=True)),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


replica_metadata = MetaData()
posisi = add_replica_table(replica_metadata)
# the list's row, made if none yet: compiled once (SQLAlchemy compiles an ON CONFLICT anew on every execution,
# and every replicated event runs it)
_ENSURE = fixed(insert(posisi).on_conflict_do_nothing(), ["kind"])


@dataclass(frozen=True)
class Posisi:
    kind: str
    urutan: int = 0
    tertunda: tuple[int, ...] = ()
    siap: bool = False
    celah: bool = False

    def setelah(self, urutan: int) -> "Posisi":
        """The position once the event at ``urutan`` is applied."""
        return self._maju(self.urutan, {*self.tertunda, urutan})

    def sampai(self, urutan: int) -> "Posisi":
        """The position once everything up to ``urutan`` is applied (a completed snapshot)."""
        return self._maju(max(self.urutan, urutan), set(self.tertunda))

    def _maju(self, urutan: int, tertunda: set[int]) -> "Posisi":
        while urutan + 1 in tertunda:
            urutan += 1
        rest = tuple(sorted(u for u in tertunda if u > urutan))
        return Posisi(self.kind, urutan, rest, self.siap, bool(rest))


def _lock(session: Session, kind: str) -> Posisi:
    session.execute(_ENSURE, {"kind": kind})
    row = session.execute(select(posisi).where(posisi.c.kind == kind).with_for_update()).one()
    return Posisi(kind, row.urutan, tuple(row.tertunda), row.siap, bool(row.tertunda))


def _save(session: Session, before: Posisi, after: Posisi, **extra: Any) -> None:
    values: dict[str, Any] = {"urutan": after.urutan, "tertunda": list(after.tertunda), "updated_at": func.now(),
                              **extra}
    if after.celah and not before.celah:
        values["celah_sejak"] = func.now()
    elif not after.celah:
        values["celah_sejak"] = None
    session.execute(update(posisi).where(posisi.c.kind == before.kind).values(values))


def catat(session: Session, kind: str, urutan: int | None) -> None:
    """In the transaction that applies it: the event at ``urutan`` of ``kind``'s stream is applied.

    Events of one list are applied one at a time (the position row is locked until commit)."""
    if urutan is None:  # a publisher that does not number its events: nothing to track
        return
    before = _lock(session, kind)
    if urutan <= before.urutan or urutan in before.tertunda:
        return
    _save(session, before, before.setelah(urutan))


def baca(session: Session, kinds: Iterable[str]) -> dict[str, Posisi]:
    rows = session.execute(select(posisi).where(posisi.c.kind.in_(list(kinds)))).all()
    return {r.kind: Posisi(r.kind, r.urutan, tuple(r.tertunda), r.siap, bool(r.tertunda)) for r in rows}


def siap(session: Session, kind: str) -> bool:
    return bool(session.execute(select(posisi.c.siap).where(posisi.c.kind == kind)).scalar())


def belum_siap(session: Session, kinds: Iterable[str]) -> list[str]:
    """The lists never filled yet (a write needing one of them may be answered "try again")."""
    held = baca(session, kinds)
    return [k for k in kinds if k not in held or not held[k].siap]


def readiness(engine: Engine, kinds: Iterable[str]) -> str | None:
    """For a service's ``health``: which replicas are still being filled, or None."""
    kinds = list(kinds)
    with Session(engine) as session:
        waiting = belum_siap(session, kinds)
    return f"replica being filled: {', '.join(waiting)}" if waiting else None


def perlu_diisi(session: Session, kinds: Iterable[str], grace_seconds: float = GRACE_SECONDS) -> list[str]:
    """The lists to (re)fill: never filled, or with a gap older than the grace period."""
    kinds = list(kinds)
    rows = {r.kind: r for r in session.execute(select(
        posisi.c.kind, posisi.c.siap,
        (posisi.c.celah_sejak < func.now() - func.make_interval(0, 0, 0, 0, 0, 0, grace_seconds)).label("celah"),
    ).where(posisi.c.kind.in_(kinds)))}
    return [k for k in kinds if k not in rows or not rows[k].siap or rows[k].celah]


Page = Any  # what ``fetch`` answers: ``.urutan``, ``.items``, ``.next`` (contracts' SnapshotPage)

SNAPSHOT_TIMEOUT = 60.0  # seconds for one page of a publisher's snapshot


def snapshot_rpc(proxy: Any, publisher: str) -> Callable[[dict], dict]:
    """A publisher's ``snapshot`` RPC (the worker's ``sipd_common.rpc.ServiceRpc`` proxy, with its timeout:
    ``SNAPSHOT_TIMEOUT``) as a function of the request; ``Unavailable`` while the publisher is not there
    to answer (the timer tries again)."""
    def call(request: dict) -> dict:
        return proxy.snapshot(request)

    return call


def isi_ulang(engine: Engine, kind: str, fetch: Callable[[Any], Page], apply: Callable[[list], None]) -> int | None:
    """Fill or repair the replica of ``kind``: every snapshot page applied (``apply(items)`` commits each in
    a unit of work of the consumer's own, as it applies the events), then the position moved up to what
    the snapshot covers. One instance at a time (an advisory lock): an instance that finds another
    filling returns None. The number of records applied, otherwise."""
    # the lock is the service's own (its schema's): advisory locks are database-wide, and two services
    # sharing a database each fill their own replica of the same list
    with engine.connect() as guard:
        got = guard.execute(text("SELECT pg_try_advisory_lock(hashtext(current_schema() || :n))"),
                            {"n": f".replika.{kind}"}).scalar()
        guard.commit()
        if not got:
            return None
        try:
            page = fetch(None)
            covered, count = page.urutan, 0
            while True:
                apply(page.items)
                count += len(page.items)
                if page.next is None:
                    break
                page = fetch(page.next)
            with Session(engine) as session:
                before = _lock(session, kind)
                after = before.sampai(covered)
                # holes left above what the snapshot covers are events newer than it, still on their way:
                # they get the grace period from now, not from the gap that this fill has repaired
                fresh = {"celah_sejak": func.now()} if after.celah else {}
                _save(session, before, after, siap=True, diisi_at=func.now(), **fresh)
                session.commit()
            log.info("replica of %s filled: %d records, stream position %d", kind, count, covered)
            return count
        finally:
            guard.execute(text("SELECT pg_advisory_unlock(hashtext(current_schema() || :n))"),
                          {"n": f".replika.{kind}"})
            guard.commit()
