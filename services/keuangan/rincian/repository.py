"""The budget lines (table ``rincian``), reached as ``uow.rincian``; each read with its ceiling's state."""
from __future__ import annotations

from typing import Any

from psycopg.types.json import Jsonb
from sqlalchemy import (
    BigInteger, Boolean, Column, DateTime, ForeignKey, Index, Numeric, SmallInteger, String, Table, Text, bindparam,
    false, func, select, update,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Session

from ..plafon.repository import plafon
from ..replika.domain import NamaRekening
from ..schema import metadata

rincian = Table(
    "rincian", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("rkpd_id", UUID(as_uuid=False), ForeignKey("plafon.rkpd_id"), nullable=False),
    Column("kode_rekening", String(30), nullable=False),
    Column("nama_rekening", Text, nullable=False),
    Column("uraian", Text, nullable=False),
    Column("volume", Numeric(16, 4), nullable=False),
    Column("satuan", Text, nullable=False),
    Column("harga_satuan", Numeric(17, 2), nullable=False),
    Column("jumlah", Numeric(30, 6), nullable=False),
    Column("perlu_pemetaan", Boolean, nullable=False, server_default=false()),
    Column("pemetaan", JSONB, nullable=False, server_default="[]"),
    Column("revisi_rekening", BigInteger, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # the RKA-SKPD line (issue 13); a line made through the legacy path keeps the defaults
    Column("kelompok", Text, nullable=False, server_default=""),
    Column("keterangan", Text, nullable=False, server_default=""),
    Column("kode_standar_harga", String(60)),
    Column("spesifikasi", Text),
    Column("koefisien", JSONB, nullable=False, server_default="[]"),
    Column("koefisien_teks", Text, nullable=False, server_default=""),
    Column("pajak", Numeric(5, 2), nullable=False, server_default="0"),
    Column("kode_sumber_dana", String(30)),
    Column("penerima", JSONB),
    Column("lokasi", JSONB),  # where a land purchase lies (a flag of its account asks for it)
    Index("rincian_scope", "kode_pemda", "tahun", "rkpd_id"),
    # the codification's events find the lines by account, across pemda and years
    Index("rincian_kode_rekening", "kode_rekening"),
)

_JSON = {c.name for c in rincian.columns if isinstance(c.type, JSONB)}

# a line with its ceiling's state and SKPD (a line belongs to its RKPD item's SKPD)
_WITH_PLAFON = (select(rincian, plafon.c.pagu, plafon.c.total_rincian, plafon.c.rencana_dihapus, plafon.c.kode_skpd)
                .join(plafon, plafon.c.rkpd_id == rincian.c.rkpd_id))


class RincianRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, values: dict[str, Any]) -> None:
        self.session.execute(rincian.insert().values(values))

    def update(self, id: str, values: dict[str, Any]) -> None:
        self.session.execute(update(rincian).where(rincian.c.id == id).values(values))

    def delete(self, id: str) -> None:
        self.session.execute(rincian.delete().where(rincian.c.id == id))

    def add_many(self, rows: list[dict[str, Any]]) -> None:
        """Many lines (an import's, each with the same fields) in one COPY stream: an INSERT of 750 lines spent
        more on binding each line's parameters, one by one, than PostgreSQL on storing them."""
        if not rows:
            return
        columns = [rincian.c[k].name for k in rows[0]]  # a field that is no column is refused, as by an INSERT
        raw = self.session.connection().connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(f"COPY rincian ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([Jsonb(row[c]) if c in _JSON and row[c] is not None else row[c] for c in columns])

    def of_sub_kegiatan(self, kode_pemda: str, tahun: int, rkpd_id: str) -> list[dict[str, Any]]:
        """Every line under one RKPD item, grouped as SIPD groups them (kelompok, keterangan, then as made)."""
        rows = self.session.execute(_WITH_PLAFON.where(
            rincian.c.kode_pemda == kode_pemda, rincian.c.tahun == tahun, rincian.c.rkpd_id == rkpd_id)
            .order_by(rincian.c.kelompok, rincian.c.keterangan, rincian.c.created_at, rincian.c.id)).all()
        return [r._asdict() for r in rows]

    def of_skpd(self, kode_pemda: str, tahun: int, kode_skpd: str) -> list[dict[str, Any]]:
        """Every line of an SKPD's sub kegiatan (with ``kode_sub_kegiatan``), in the order the RKA-SKPD prints them:
        sub kegiatan, account, kelompok, keterangan, then as made."""
        rows = self.session.execute(select(rincian, plafon.c.kode_sub_kegiatan)
                                    .join(plafon, plafon.c.rkpd_id == rincian.c.rkpd_id).where(
            rincian.c.kode_pemda == kode_pemda, rincian.c.tahun == tahun, plafon.c.kode_skpd == kode_skpd)
            .order_by(plafon.c.kode_sub_kegiatan, rincian.c.kode_rekening, rincian.c.kelompok, rincian.c.keterangan,
                      rincian.c.created_at, rincian.c.id)).all()
        return [r._asdict() for r in rows]

    def delete_under(self, kode_pemda: str, tahun: int, rkpd_ids: list[str]) -> list[dict[str, Any]]:
        """Remove the lines under these RKPD items (an import replaces them); each removed line's amount and source."""
        rows = self.session.execute(rincian.delete().where(
            rincian.c.kode_pemda == kode_pemda, rincian.c.tahun == tahun, rincian.c.rkpd_id.in_(rkpd_ids))
            .returning(rincian.c.rkpd_id, rincian.c.jumlah, rincian.c.kode_sumber_dana)).all()
        return [r._asdict() for r in rows]

    def get(self, kode_pemda: str, tahun: int, id: str) -> dict[str, Any] | None:
        """One line of that pemda and year, with its ceiling's pagu, total_rincian, rencana_dihapus, kode_skpd."""
        row = self.session.execute(_WITH_PLAFON.where(
            rincian.c.id == id, rincian.c.kode_pemda == kode_pemda, rincian.c.tahun == tahun)).first()
        return row._asdict() if row else None

    def list_page(self, kode_pemda: str, tahun: int, offset: int, limit: int, rkpd_id: str | None = None,
                  kode_skpd: str | None = None) -> tuple[list[dict[str, Any]], int]:
        """A page of lines in the order they were made, each as ``get`` gives it, and the total."""
        where = [rincian.c.kode_pemda == kode_pemda, rincian.c.tahun == tahun]
        if rkpd_id:
            where.append(rincian.c.rkpd_id == rkpd_id)
        if kode_skpd:
            where.append(plafon.c.kode_skpd == kode_skpd)
        total = self.session.execute(select(func.count()).select_from(
            rincian.join(plafon, plafon.c.rkpd_id == rincian.c.rkpd_id)).where(*where)).scalar_one()
        rows = self.session.execute(_WITH_PLAFON.where(*where).order_by(rincian.c.created_at, rincian.c.id)
                                    .offset(offset).limit(limit)).all()
        return [r._asdict() for r in rows], total

    # -- what the codification's events change ---------------------------------------------------------
    def using_rekening(self, kodes: list[str]) -> list[dict[str, Any]]:
        """The lines on these accounts (``id``, ``kode_rekening``, ``pemetaan``), locked for the change."""
        rows = self.session.execute(
            select(rincian.c.id, rincian.c.kode_rekening, rincian.c.pemetaan)
            .where(rincian.c.kode_rekening.in_(kodes)).order_by(rincian.c.id).with_for_update()).all()
        return [r._asdict() for r in rows]

    def flag(self, flagged: list[tuple[str, list[dict]]]) -> None:
        """Lines (by id) that use a retired code, with the retired codes each uses."""
        if flagged:
            self.session.execute(
                update(rincian).where(rincian.c.id == bindparam("_id"))
                .values(perlu_pemetaan=True, pemetaan=bindparam("_pemetaan")),
                [{"_id": id, "_pemetaan": pemetaan} for id, pemetaan in flagged])

    def rename_rekening(self, names: list[NamaRekening]) -> None:
        """The accounts' names on their lines, unless a line holds a name as new or newer (events may arrive
        late, and a snapshot may carry a name an event brought already)."""
        if not names:
            return
        # the names as three arrays: one statement, compiled once, whatever their number (a page of the chart of
        # accounts' snapshot has thousands)
        v = func.unnest(bindparam("kode", type_=ARRAY(String)), bindparam("nama", type_=ARRAY(Text)),
                        bindparam("revisi", type_=ARRAY(BigInteger))).table_valued("kode", "nama", "revisi").render_derived(name="v")
        self.session.execute(update(rincian).where(rincian.c.kode_rekening == v.c.kode,
                                                   rincian.c.revisi_rekening < v.c.revisi)
                             .values(nama_rekening=v.c.nama, revisi_rekening=v.c.revisi),
                             {"kode": [n.kode for n in names], "nama": [n.nama for n in names],
                              "revisi": [n.revisi for n in names]})

    # -- what the APBD's summary reads (apbd/) --------------------------------------------------------------
    def jumlah_per(self, kode_pemda: str, tahun: int, keys: tuple[str, ...],
                   kode_skpd: str | None = None) -> list[dict[str, Any]]:
        """Σ jumlah of the pemda-year's lines per ``keys`` (of ``JUMLAH_PER``: the line's account or its kelompok,
        its ceiling's SKPD, sub kegiatan, program, bidang urusan), summed in the database: each summary asks only
        the keys it shows, so 30,000 lines come back as a few hundred sums. ``kode_skpd``: that SKPD's lines only."""
        columns = [JUMLAH_PER[k] for k in keys]
        where = [rincian.c.kode_pemda == kode_pemda, rincian.c.tahun == tahun]
        if kode_skpd is not None:
            where.append(plafon.c.kode_skpd == kode_skpd)
        rows = self.session.execute(
            select(*(c.label(k) for k, c in zip(keys, columns)), func.sum(rincian.c.jumlah).label("jumlah"))
            .select_from(rincian.join(plafon, plafon.c.rkpd_id == rincian.c.rkpd_id))
            .where(*where).group_by(*columns)).all()
        return [r._asdict() for r in rows]


def _awal(code, parts: int):
    """The first ``parts`` parts of a dotted code (split_part: several times faster here than a regex)."""
    expr = func.split_part(code, ".", 1)
    for i in range(2, parts + 1):
        expr = expr + "." + func.split_part(code, ".", i)
    return expr


# what a line's amount can be summed per (a line belongs to its ceiling's SKPD, sub kegiatan and bidang urusan)
JUMLAH_PER = {
    "kode_rekening": rincian.c.kode_rekening,
    "kelompok_rekening": _awal(rincian.c.kode_rekening, 2),  # 5.1.02.01.01.0024 → 5.1
    "kode_skpd": plafon.c.kode_skpd,
    "rkpd_id": rincian.c.rkpd_id,  # the position of the APBD-P (perubahan/): SKPD × sub kegiatan × account
    "kode_sub_kegiatan": plafon.c.kode_sub_kegiatan,
    "kode_program": _awal(plafon.c.kode_sub_kegiatan, 3),  # 1.01.02.2.01.0001 → 1.01.02
    "kode_bidang_urusan": plafon.c.kode_bidang_urusan,
}
