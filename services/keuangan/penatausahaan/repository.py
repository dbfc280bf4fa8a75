"""The spending documents' tables (SPD, SPP, SPM, SP2D with their lines, the approvals an SPP needs, the UP
sizes) and the spending realisation, reached as ``uow.penatausahaan``.

Concurrency: a write that checks an amount against a sum takes a lock first, in its transaction — an SPP the
row of its SPD (``get_spd(lock=True)``: two SPPs on one SPD line wait for each other, the second sees the
first's lines), a GU/TU its approval's row, an SPD and a disbursement the SKPD's lock (``kunci``: a transaction
advisory lock), so no two writes both see the last rupiah free. The database keeps the rules a lock cannot
forget too: one UP per SKPD and year, one live SPM per SPP, one SP2D per SPM (unique indexes).
"""
from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal
from typing import Any, Iterable

from sqlalchemy import (
    Column, Date, DateTime, ForeignKey, Index, Integer, Numeric, SmallInteger, String, Table, Text, UniqueConstraint, func,
    select, text, update,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID, insert
from sqlalchemy.orm import Session

from ..schema import metadata
from .domain import Baris, Kunci, Langkah, Pengesahan, Sp2d, Spd, Spm, Spp

MONEY = Numeric(17, 2)


def _scope(name: str, *columns: Column) -> Table:
    """A document's table: its id, its pemda-year-SKPD, its columns, its version and when it was made."""
    return Table(
        name, metadata,
        Column("id", UUID(as_uuid=False), primary_key=True),
        Column("kode_pemda", String(10), nullable=False),
        Column("tahun", SmallInteger, nullable=False),
        Column("kode_skpd", String(40), nullable=False),
        *columns,
        Column("version", Integer, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Index(f"{name}_scope", "kode_pemda", "tahun", "kode_skpd"),
        # a number is the pemda's (an SKPD code repeats across pemda)
        *([UniqueConstraint("kode_pemda", "nomor", name=f"{name}_nomor")] if any(c.name == "nomor" for c in columns)
          else []),
    )


spd = _scope(
    "spd",
    Column("nomor", String(120), nullable=False),
    Column("bulan_mulai", SmallInteger, nullable=False),
    Column("bulan_sampai", SmallInteger, nullable=False),
    Column("status", String(20), nullable=False),
    Column("dibuat_oleh", String(100), nullable=False),
    Column("diotorisasi_oleh", String(100)),
)
spd_baris = Table(
    "spd_baris", metadata,
    Column("spd_id", UUID(as_uuid=False), ForeignKey("spd.id"), primary_key=True),
    Column("kode_sub_kegiatan", String(40), primary_key=True),
    Column("kode_rekening", String(30), primary_key=True),
    Column("nilai", MONEY, nullable=False),
    Column("versi_dpa", Integer),
)
pengesahan = _scope(
    "pengesahan",
    Column("jenis", String(10), nullable=False),  # spj | tu
    Column("nilai", MONEY, nullable=False),
    Column("uraian", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("dibuat_oleh", String(100), nullable=False),
    Column("disetujui_oleh", String(100)),
)
besaran_up = Table(
    "besaran_up", metadata,
    Column("kode_pemda", String(10), primary_key=True),
    Column("tahun", SmallInteger, primary_key=True),
    Column("kode_skpd", String(40), primary_key=True),
    Column("besaran", MONEY, nullable=False),
    Column("dasar", Text, nullable=False),
    Column("ditetapkan_oleh", String(100), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
spp = _scope(
    "spp",
    Column("nomor", String(120), nullable=False),
    Column("jenis", String(2), nullable=False),
    Column("jenis_ls", String(20)),
    Column("spd_id", UUID(as_uuid=False), ForeignKey("spd.id")),
    Column("pengesahan_id", UUID(as_uuid=False), ForeignKey("pengesahan.id")),
    Column("nilai", MONEY, nullable=False),
    Column("status", String(20), nullable=False),
    Column("alasan_tolak", Text),
    Column("kontrak", JSONB),
    Column("bast", JSONB),
    Column("dibuat_oleh", String(100), nullable=False),
    Column("diverifikasi_oleh", String(100)),
    Column("dikembalikan", MONEY, nullable=False, server_default="0"),
)
# one UP per SKPD and year, whatever the lock does
Index("spp_satu_up", spp.c.kode_pemda, spp.c.tahun, spp.c.kode_skpd, unique=True,
      postgresql_where=spp.c.jenis == "UP")
Index("spp_spd", spp.c.spd_id)
spp_baris = Table(
    "spp_baris", metadata,
    Column("spp_id", UUID(as_uuid=False), ForeignKey("spp.id"), primary_key=True),
    Column("kode_sub_kegiatan", String(40), primary_key=True),
    Column("kode_rekening", String(30), primary_key=True),
    Column("nilai", MONEY, nullable=False),
)
spm = _scope(
    "spm",
    Column("nomor", String(120), nullable=False),
    Column("spp_id", UUID(as_uuid=False), ForeignKey("spp.id"), nullable=False),
    Column("jenis", String(2), nullable=False),
    Column("nilai", MONEY, nullable=False),
    Column("status", String(20), nullable=False),
    Column("dibuat_oleh", String(100), nullable=False),
    Column("ditandatangani_oleh", String(100)),
    Column("diputus_oleh", String(100)),
    Column("alasan_tolak", Text),
)
# one live SPM per SPP (a rejected one may be redone)
Index("spm_satu_per_spp", spm.c.spp_id, unique=True, postgresql_where=spm.c.status != "ditolak")
sp2d = _scope(
    "sp2d",
    Column("nomor", String(120), nullable=False),
    Column("spm_id", UUID(as_uuid=False), ForeignKey("spm.id"), nullable=False, unique=True),
    Column("jenis", String(2), nullable=False),
    Column("nilai", MONEY, nullable=False),
    Column("status", String(20), nullable=False),
    Column("dibuat_oleh", String(100), nullable=False),
    Column("diterbitkan_oleh", String(100)),
    Column("dicairkan_oleh", String(100)),
    Column("tanggal_cair", Date),  # the realisation's date (the LRA's period)
)
# who took each step of a document (its officer's name and NIP as the caller carried them) and when: what the
# signature blocks print. The latest of a step counts (an SPP sent back and submitted again).
langkah_dokumen = Table(
    "langkah_dokumen", metadata,
    Column("jenis", String(10), primary_key=True),  # spd | spp | spm | sp2d
    Column("dokumen_id", UUID(as_uuid=False), primary_key=True),
    Column("langkah", String(20), primary_key=True),  # domain.DIBUAT, domain.DIOTORISASI …
    Column("pada", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("user_id", String(100), nullable=False),
    Column("nama", String(120)),
    Column("nip", String(18)),
)
realisasi_belanja = Table(
    "realisasi_belanja", metadata,
    Column("kode_pemda", String(10), primary_key=True),
    Column("tahun", SmallInteger, primary_key=True),
    Column("kode_skpd", String(40), primary_key=True),
    Column("kode_sub_kegiatan", String(40), primary_key=True),
    Column("kode_rekening", String(30), primary_key=True),
    Column("jumlah", MONEY, nullable=False),
    Column("version", Integer, nullable=False),
)

_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:kunci, 0))")


def _values(table: Table, obj: Any) -> dict[str, Any]:
    return {c.name: getattr(obj, c.name) for c in table.columns if hasattr(obj, c.name) and c.name != "created_at"}


def _obj(cls, row) -> Any:
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in row._asdict().items() if k in names})


class PenatausahaanRepository:
    def __init__(self, session: Session):
        self.session = session

    def kunci(self, *key: Any) -> None:
        """A lock held until this transaction ends (an SKPD's SPDs, its realisation)."""
        self.session.execute(_LOCK, {"kunci": ":".join(map(str, key))})

    # -- generic: one document row -----------------------------------------------------------------------
    def _add(self, table: Table, obj: Any) -> None:
        self.session.execute(table.insert().values(_values(table, obj)))

    def _save(self, table: Table, obj: Any) -> None:
        values = _values(table, obj)
        self.session.execute(update(table).where(table.c.id == obj.id).values(values))

    def _get(self, table: Table, cls, kode_pemda: str, tahun: int, id: str, lock: bool) -> Any:
        q = select(table).where(table.c.id == id, table.c.kode_pemda == kode_pemda, table.c.tahun == tahun)
        row = self.session.execute(q.with_for_update() if lock else q).first()
        return _obj(cls, row) if row else None

    def _page(self, table: Table, cls, kode_pemda: str, tahun: int, offset: int, limit: int,
              kode_skpd: str | None) -> tuple[list, int]:
        where = [table.c.kode_pemda == kode_pemda, table.c.tahun == tahun]
        if kode_skpd:
            where.append(table.c.kode_skpd == kode_skpd)
        total = self.session.execute(select(func.count()).select_from(table).where(*where)).scalar_one()
        rows = self.session.execute(select(table).where(*where).order_by(table.c.created_at, table.c.id)
                                    .offset(offset).limit(limit)).all()
        return [_obj(cls, r) for r in rows], total

    def _lines(self, table: Table, key: Column, ids: list[str]) -> dict[str, list[Baris]]:
        out: dict[str, list[Baris]] = {id: [] for id in ids}
        if ids:
            cols = [table.c.kode_sub_kegiatan, table.c.kode_rekening, table.c.nilai]
            if "versi_dpa" in table.c:
                cols.append(table.c.versi_dpa)
            for r in self.session.execute(select(key, *cols).where(key.in_(ids))
                                          .order_by(key, table.c.kode_sub_kegiatan, table.c.kode_rekening)):
                out[r[0]].append(Baris(*r[1:]))
        return out

    # -- SPD ------------------------------------------------------------------------------------------------
    def add_spd(self, s: Spd) -> None:
        self._add(spd, s)
        self.session.execute(spd_baris.insert(), [{"spd_id": s.id, **dataclasses.asdict(b)} for b in s.baris])

    def save_spd(self, s: Spd) -> None:
        self._save(spd, s)

    def _with_spd_lines(self, found: list[Spd]) -> list[Spd]:
        lines = self._lines(spd_baris, spd_baris.c.spd_id, [s.id for s in found])
        for s in found:
            s.baris = lines[s.id]
        return found

    def get_spd(self, kode_pemda: str, tahun: int, id: str, lock: bool = False) -> Spd | None:
        q = select(spd).where(spd.c.id == id, spd.c.kode_pemda == kode_pemda, spd.c.tahun == tahun)
        row = self.session.execute(q.with_for_update() if lock else q).first()
        return self._with_spd_lines([_spd(row)])[0] if row else None

    def spd_skpd(self, kode_pemda: str, tahun: int, kode_skpd: str) -> list[Spd]:
        rows = self.session.execute(select(spd).where(spd.c.kode_pemda == kode_pemda, spd.c.tahun == tahun,
                                                      spd.c.kode_skpd == kode_skpd).order_by(spd.c.created_at)).all()
        return self._with_spd_lines([_spd(r) for r in rows])

    def list_spd(self, kode_pemda: str, tahun: int, offset: int, limit: int,
                 kode_skpd: str | None = None) -> tuple[list[Spd], int]:
        where = [spd.c.kode_pemda == kode_pemda, spd.c.tahun == tahun]
        if kode_skpd:
            where.append(spd.c.kode_skpd == kode_skpd)
        total = self.session.execute(select(func.count()).select_from(spd).where(*where)).scalar_one()
        rows = self.session.execute(select(spd).where(*where).order_by(spd.c.created_at, spd.c.id)
                                    .offset(offset).limit(limit)).all()
        return self._with_spd_lines([_spd(r) for r in rows]), total

    # -- approvals (SPJ, TU request) and UP sizes -------------------------------------------------------------
    def add_pengesahan(self, p: Pengesahan) -> None:
        self._add(pengesahan, p)

    def save_pengesahan(self, p: Pengesahan) -> None:
        self._save(pengesahan, p)

    def get_pengesahan(self, kode_pemda: str, tahun: int, id: str, lock: bool = False) -> Pengesahan | None:
        return self._get(pengesahan, Pengesahan, kode_pemda, tahun, id, lock)

    def terpakai_pengesahan(self, pengesahan_id: str) -> Decimal:
        """Σ the SPPs drawn on an approval."""
        return self.session.execute(select(func.coalesce(func.sum(spp.c.nilai), 0))
                                    .where(spp.c.pengesahan_id == pengesahan_id)).scalar_one()

    def besaran_up(self, kode_pemda: str, tahun: int, kode_skpd: str) -> Decimal | None:
        return self.session.execute(select(besaran_up.c.besaran).where(
            besaran_up.c.kode_pemda == kode_pemda, besaran_up.c.tahun == tahun,
            besaran_up.c.kode_skpd == kode_skpd)).scalar_one_or_none()

    def set_besaran_up(self, kode_pemda: str, tahun: int, kode_skpd: str, besaran: Decimal, dasar: str,
                       by: str) -> None:
        stmt = insert(besaran_up).values(kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd, besaran=besaran,
                                         dasar=dasar, ditetapkan_oleh=by)
        self.session.execute(stmt.on_conflict_do_update(
            index_elements=list(besaran_up.primary_key.columns),
            set_={"besaran": besaran, "dasar": dasar, "ditetapkan_oleh": by, "updated_at": func.now()}))

    # -- SPP ------------------------------------------------------------------------------------------------
    def ada_up(self, kode_pemda: str, tahun: int, kode_skpd: str) -> bool:
        return self.session.execute(select(spp.c.id).where(
            spp.c.kode_pemda == kode_pemda, spp.c.tahun == tahun, spp.c.kode_skpd == kode_skpd,
            spp.c.jenis == "UP")).first() is not None

    def add_spp(self, s: Spp) -> None:
        self._add(spp, s)
        if s.baris:
            self.session.execute(spp_baris.insert(), [
                {"spp_id": s.id, "kode_sub_kegiatan": b.kode_sub_kegiatan, "kode_rekening": b.kode_rekening,
                 "nilai": b.nilai} for b in s.baris])

    def save_spp(self, s: Spp) -> None:
        self._save(spp, s)

    def get_spp(self, kode_pemda: str, tahun: int, id: str, lock: bool = False) -> Spp | None:
        s = self._get(spp, Spp, kode_pemda, tahun, id, lock)
        if s is not None:
            s.baris = self._lines(spp_baris, spp_baris.c.spp_id, [s.id])[s.id]
        return s

    def list_spp(self, kode_pemda: str, tahun: int, offset: int, limit: int,
                 kode_skpd: str | None = None) -> tuple[list[Spp], int]:
        found, total = self._page(spp, Spp, kode_pemda, tahun, offset, limit, kode_skpd)
        lines = self._lines(spp_baris, spp_baris.c.spp_id, [s.id for s in found])
        for s in found:
            s.baris = lines[s.id]
        return found, total

    def terpakai_spd(self, spd_id: str) -> dict[Kunci, Decimal]:
        """Σ the lines of every SPP drawn on the SPD, per sub kegiatan × account."""
        rows = self.session.execute(
            select(spp_baris.c.kode_sub_kegiatan, spp_baris.c.kode_rekening, func.sum(spp_baris.c.nilai))
            .join(spp, spp.c.id == spp_baris.c.spp_id).where(spp.c.spd_id == spd_id)
            .group_by(spp_baris.c.kode_sub_kegiatan, spp_baris.c.kode_rekening)).all()
        return {(r[0], r[1]): r[2] for r in rows}

    # -- SPM and SP2D ---------------------------------------------------------------------------------------
    def add_spm(self, s: Spm) -> None:
        self._add(spm, s)

    def save_spm(self, s: Spm) -> None:
        self._save(spm, s)

    def get_spm(self, kode_pemda: str, tahun: int, id: str, lock: bool = False) -> Spm | None:
        return self._get(spm, Spm, kode_pemda, tahun, id, lock)

    def spm_of_spp(self, spp_id: str) -> list[Spm]:
        return [_obj(Spm, r) for r in self.session.execute(select(spm).where(spm.c.spp_id == spp_id)).all()]

    def list_spm(self, kode_pemda: str, tahun: int, offset: int, limit: int,
                 kode_skpd: str | None = None) -> tuple[list[Spm], int]:
        return self._page(spm, Spm, kode_pemda, tahun, offset, limit, kode_skpd)

    def add_sp2d(self, s: Sp2d) -> None:
        self._add(sp2d, s)

    def save_sp2d(self, s: Sp2d) -> None:
        self._save(sp2d, s)

    def _with_sp2d_lines(self, found: list[Sp2d]) -> list[Sp2d]:
        """An SP2D's lines are its SPP's (through its SPM)."""
        ids = [s.spm_id for s in found]
        if not ids:
            return found
        spp_of = dict(self.session.execute(select(spm.c.id, spm.c.spp_id).where(spm.c.id.in_(ids))).all())
        lines = self._lines(spp_baris, spp_baris.c.spp_id, list(set(spp_of.values())))
        for s in found:
            s.baris = lines[spp_of[s.spm_id]]
        return found

    def get_sp2d(self, kode_pemda: str, tahun: int, id: str, lock: bool = False) -> Sp2d | None:
        s = self._get(sp2d, Sp2d, kode_pemda, tahun, id, lock)
        return self._with_sp2d_lines([s])[0] if s else None

    def sp2d_of_spm(self, spm_id: str) -> list[Sp2d]:
        return [_obj(Sp2d, r) for r in self.session.execute(select(sp2d).where(sp2d.c.spm_id == spm_id)).all()]

    def list_sp2d(self, kode_pemda: str, tahun: int, offset: int, limit: int,
                  kode_skpd: str | None = None) -> tuple[list[Sp2d], int]:
        found, total = self._page(sp2d, Sp2d, kode_pemda, tahun, offset, limit, kode_skpd)
        return self._with_sp2d_lines(found), total

    def dibuat_pada(self, jenis: str, id: str) -> datetime | None:
        """When a document (``spd``, ``spp``, ``spm``, ``sp2d``) was made: the date it prints."""
        table = {"spd": spd, "spp": spp, "spm": spm, "sp2d": sp2d}[jenis]
        return self.session.execute(select(table.c.created_at).where(table.c.id == id)).scalar_one_or_none()

    def catat_langkah(self, jenis: str, id: str, langkah: str, user_id: str, nama: str | None,
                      nip: str | None) -> None:
        """``langkah`` of document ``id`` taken now (this transaction's time) by the user; again: the latest counts."""
        values = {"user_id": user_id, "nama": nama, "nip": nip, "pada": func.now()}
        self.session.execute(insert(langkah_dokumen).values(jenis=jenis, dokumen_id=id, langkah=langkah, **values)
                             .on_conflict_do_update(index_elements=["jenis", "dokumen_id", "langkah"], set_=values))

    def langkah_of(self, jenis: str, id: str) -> dict[str, Langkah]:
        """The steps of a document kept so far (none for one made before they were kept), by step."""
        t = langkah_dokumen
        rows = self.session.execute(select(t).where(t.c.jenis == jenis, t.c.dokumen_id == id))
        return {r.langkah: Langkah(r.pada, r.user_id, r.nama, r.nip) for r in rows}

    # -- the spending realisation ---------------------------------------------------------------------------
    def realisasi(self, kode_pemda: str, tahun: int, kode_skpd: str, kuncis: Iterable[Kunci]) -> dict[Kunci, Decimal]:
        kuncis = list(kuncis)
        if not kuncis:
            return {}
        t = realisasi_belanja
        rows = self.session.execute(select(t.c.kode_sub_kegiatan, t.c.kode_rekening, t.c.jumlah).where(
            t.c.kode_pemda == kode_pemda, t.c.tahun == tahun, t.c.kode_skpd == kode_skpd,
            func.row(t.c.kode_sub_kegiatan, t.c.kode_rekening).in_([func.row(*k) for k in kuncis]))).all()
        return {(r[0], r[1]): r[2] for r in rows}

    def tambah_realisasi(self, kode_pemda: str, tahun: int, kode_skpd: str,
                         baris: list[Baris]) -> list[tuple[Kunci, Decimal, int]]:
        """Add each line to its realisation; the new totals and versions."""
        t, out = realisasi_belanja, []
        for b in baris:
            stmt = insert(t).values(kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd,
                                    kode_sub_kegiatan=b.kode_sub_kegiatan, kode_rekening=b.kode_rekening,
                                    jumlah=b.nilai, version=1)
            stmt = stmt.on_conflict_do_update(index_elements=list(t.primary_key.columns), set_={
                "jumlah": t.c.jumlah + b.nilai, "version": t.c.version + 1}).returning(t.c.jumlah, t.c.version)
            jumlah, version = self.session.execute(stmt).one()
            out.append((b.kunci, jumlah, version))
        return out

    def list_realisasi(self, kode_pemda: str, tahun: int, offset: int, limit: int,
                       kode_skpd: str | None = None) -> tuple[list[dict], int]:
        t = realisasi_belanja
        where = [t.c.kode_pemda == kode_pemda, t.c.tahun == tahun]
        if kode_skpd:
            where.append(t.c.kode_skpd == kode_skpd)
        total = self.session.execute(select(func.count()).select_from(t).where(*where)).scalar_one()
        rows = self.session.execute(
            select(t.c.kode_skpd, t.c.kode_sub_kegiatan, t.c.kode_rekening, t.c.jumlah, t.c.version).where(*where)
            .order_by(t.c.kode_skpd, t.c.kode_sub_kegiatan, t.c.kode_rekening).offset(offset).limit(limit)).all()
        return [r._asdict() for r in rows], total


def _spd(row) -> Spd:
    names = {f.name for f in dataclasses.fields(Spd)} - {"baris"}
    return Spd(baris=[], **{k: v for k, v in row._asdict().items() if k in names})
