"""The lists' streams: each list's position (``aliran``), the place of the last change event published
in it. An import takes its places while holding the list's row, so places follow commit order."""
from __future__ import annotations

from sqlalchemy import BigInteger, Column, String, Table, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from ..schema import metadata

aliran = Table(
    "aliran", metadata,
    Column("kind", String(40), primary_key=True),
    Column("urutan", BigInteger, nullable=False, server_default="0"),
)


class ReplikasiRepository:
    def __init__(self, session: Session):
        self.session = session

    def next_places(self, kind: str, count: int) -> list[int]:
        """The next ``count`` places of ``kind``'s stream, for the change events of this transaction.

        The list's row stays locked until the transaction ends, so a concurrent import of the same list
        (SKPD of another pemda) waits here and takes the places after these: the places are gap-free
        (a rolled-back transaction gives its places back) and follow the order of the commits."""
        if count <= 0:
            return []
        stmt = insert(aliran).values(kind=kind, urutan=count)
        last = self.session.execute(stmt.on_conflict_do_update(
            index_elements=[aliran.c.kind], set_={"urutan": aliran.c.urutan + count}).returning(aliran.c.urutan)
        ).scalar_one()
        return list(range(last - count + 1, last + 1))

    def position(self, kind: str) -> int:
        """The place of the last change event committed in ``kind``'s stream (0: none yet)."""
        return self.session.execute(select(aliran.c.urutan).where(aliran.c.kind == kind)).scalar() or 0
