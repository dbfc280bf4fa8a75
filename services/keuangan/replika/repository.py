"""keuangan's copy of the lists of referensi it checks writes against, reached as ``uow.replika``.

One table per list, one row per record in its latest state (``replika/domain.py``); where each list
stands in referensi's stream is the kernel's ``replika_posisi`` (``sipd_common.replica``)."""
from __future__ import annotations

from typing import Any, Iterable

from sqlalchemy import (
    ARRAY, BigInteger, Boolean, Column, DateTime, Numeric, SmallInteger, String, Table, Text, func, select,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from sipd_common import replica

from ..schema import metadata
from .domain import KUNCI, kunci, record


def _berlaku() -> list[Column]:
    """The validity every replicated record carries, as referensi published it."""
    return [
        Column("valid_from", String(60), nullable=False),
        Column("valid_until", String(60)),
        Column("revisi", BigInteger, nullable=False),
        Column("kode_pengganti", ARRAY(String(60)), nullable=False, server_default="{}"),
        Column("berlaku", Boolean, nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    ]


replika_rekening = Table(
    "replika_rekening", metadata,
    Column("kode", String(30), primary_key=True),
    Column("tingkat", String(20), nullable=False),
    Column("akun", String(20), nullable=False),
    Column("peruntukan", String(60), nullable=False),
    Column("nama", Text, nullable=False),
    Column("kode_induk", String(30)),
    *_berlaku(),
)
replika_skpd = Table(
    "replika_skpd", metadata,
    Column("kode_pemda", String(10), primary_key=True),
    Column("kode", String(40), primary_key=True),
    Column("nama", Text, nullable=False),
    Column("bidang_urusan", ARRAY(String(10)), nullable=False),
    *_berlaku(),
)
replika_sub_kegiatan = Table(
    "replika_sub_kegiatan", metadata,
    Column("kode", String(30), primary_key=True),
    # the code's record (umum) or its provincial variant (provinsi), which a province reads before it
    Column("varian", String(10), primary_key=True, server_default="umum"),
    Column("nama", Text, nullable=False),
    Column("kode_bidang_urusan", String(10), nullable=False),
    # sub_kegiatan; urusan, bidang_urusan and program are kept for their names (the APBD's summaries)
    Column("tingkat", String(20), nullable=False, server_default="sub_kegiatan"),
    *_berlaku(),
)
replika_sumber_dana = Table(
    "replika_sumber_dana", metadata,
    Column("kode", String(30), primary_key=True),
    Column("tingkat", SmallInteger, nullable=False),
    Column("nama", Text, nullable=False),
    Column("kode_induk", String(30)),
    *_berlaku(),
)
replika_standar_harga = Table(
    "replika_standar_harga", metadata,
    Column("kode_pemda", String(10), primary_key=True),
    Column("tahun", SmallInteger, primary_key=True),
    Column("kode", String(60), primary_key=True),
    Column("jenis", String(4), nullable=False),
    Column("uraian", Text, nullable=False),
    Column("spesifikasi", Text),
    Column("satuan", Text, nullable=False),
    Column("harga", Numeric(17, 2), nullable=False),
    Column("kode_rekening", ARRAY(String(30)), nullable=False),
    *_berlaku(),
)

TABLES: dict[str, Table] = {"rekening": replika_rekening, "skpd": replika_skpd, "nomenklatur": replika_sub_kegiatan,
                            "sumber_dana": replika_sumber_dana, "standar_harga": replika_standar_harga}


class ReplikaRepository:
    def __init__(self, session: Session):
        self.session = session

    def simpan(self, kind: str, rows: list[dict[str, Any]]) -> None:
        """Keep each row unless the state held of its record is as new (``revisi``): one statement, compiled once
        and sent in batches (SQLAlchemy's "insertmanyvalues"; a statement with the rows as its VALUES is compiled
        anew for every batch, which costs more than the writing with the whole chart of accounts)."""
        if not rows:
            return
        t = TABLES[kind]
        stmt = insert(t)
        stmt = stmt.on_conflict_do_update(
            index_elements=[t.c[k] for k in KUNCI[kind]],
            set_={**{k: stmt.excluded[k] for k in rows[0] if k not in KUNCI[kind]}, "updated_at": func.now()},
            where=t.c.revisi < stmt.excluded.revisi,
        )
        self.session.execute(stmt, rows)

    def get(self, kind: str, *key: Any) -> Any:
        """The record of ``kind`` with that key (``replika/domain.py``), current or retired; None if not held."""
        t = TABLES[kind]
        row = self.session.execute(select(t).where(*(t.c[k] == v for k, v in zip(KUNCI[kind], key)))).first()
        return record(kind, row._asdict()) if row else None

    def get_many(self, kind: str, keys: Iterable[tuple]) -> dict[tuple, Any]:
        """The records of ``kind`` with these keys, by key; a key not held is absent. One query per leading part of
        the key (a standard price's pemda and year) and 10,000 codes: a statement takes at most 65,535 parameters,
        and PostgreSQL's parser gives up on thousands of (pemda, year, code) rows in one IN."""
        t = TABLES[kind]
        *leading, last = [t.c[k] for k in KUNCI[kind]]
        codes: dict[tuple, list] = {}
        for key in sorted(set(keys)):
            codes.setdefault(key[:-1], []).append(key[-1])
        found: dict[tuple, Any] = {}
        for prefix, values in codes.items():
            for start in range(0, len(values), 10_000):
                rows = self.session.execute(select(t).where(
                    *(c == v for c, v in zip(leading, prefix)), last.in_(values[start:start + 10_000])))
                for r in rows:
                    row = r._asdict()
                    found[kunci(kind, row)] = record(kind, row)
        return found

    def varian_provinsi(self, kodes: list[str]) -> set[str]:
        """Which of these nomenclature codes have a current provincial variant."""
        if not kodes:
            return set()
        t = replika_sub_kegiatan
        return set(self.session.execute(select(t.c.kode).where(
            t.c.kode.in_(kodes), t.c.varian == "provinsi", t.c.berlaku.is_(True))).scalars())

    # -- the kernel's bookkeeping of each list's stream position ---------------------------------------
    def catat(self, kind: str, urutan: int | None) -> None:
        """The event at ``urutan`` of ``kind``'s stream is applied (in this transaction)."""
        replica.catat(self.session, kind, urutan)

    def siap(self, kind: str) -> bool:
        """The list has been filled once: a code not in it does not exist (rather than not loaded yet)."""
        return replica.siap(self.session, kind)

    def perlu_diisi(self, kinds: Iterable[str]) -> list[str]:
        return replica.perlu_diisi(self.session, kinds)
