"""What keuangan's service tests read back from its replica of the codification."""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ops.testing import wait_until
from services.keuangan.replika.domain import KINDS
from services.keuangan.replika.repository import TABLES
from sipd_common import replica


def posisi(db, kind: str) -> replica.Posisi | None:
    with Session(db) as session:
        return replica.baca(session, [kind]).get(kind)


def siap(db, *kinds: str) -> bool:
    with Session(db) as session:
        return all(replica.siap(session, kind) for kind in kinds or KINDS)


def wait_siap(db, *kinds: str, timeout: float = 240) -> None:
    wait_until(lambda: siap(db, *kinds), timeout=timeout, interval=0.2, message="replica filled")


def rows(db, kind: str) -> dict[tuple, dict]:
    """The replica of one list: key → the record's state (what referensi published of it)."""
    t = TABLES[kind]
    key = [c for c in t.primary_key.columns]
    with db.connect() as conn:
        return {tuple(getattr(r, c.name) for c in key): {k: v for k, v in r._asdict().items() if k != "updated_at"}
                for r in conn.execute(select(t))}


def held(db, kind: str, *key) -> dict | None:
    """One record of the replica, as ``rows`` gives it; None if keuangan holds none."""
    t = TABLES[kind]
    with db.connect() as conn:
        row = conn.execute(select(t).where(*(c == v for c, v in zip(t.primary_key.columns, key)))).first()
    return {k: v for k, v in row._asdict().items() if k != "updated_at"} if row else None


def empty(db, *kinds: str) -> None:
    """A schema as a first start finds it: no replicated record, no stream position."""
    kinds = kinds or KINDS
    with db.begin() as conn:
        for kind in kinds:
            conn.execute(delete(TABLES[kind]))
        conn.execute(delete(replica.posisi).where(replica.posisi.c.kind.in_(list(kinds))))
