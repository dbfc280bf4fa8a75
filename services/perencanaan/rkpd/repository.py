"""The RKPD's table (``rkpd_sub_kegiatan``) and its repository, reached as ``uow.rkpd``."""
from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from sqlalchemy import (
    BigInteger, BindParameter, Boolean, Column, DateTime, Index, Integer, Numeric, SmallInteger, String, Table, Text,
    any_, bindparam, false, func, select, text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sipd_common.sql import fixed

from ..schema import metadata
from .domain import SubKegiatanRkpd

_LIVE = text("deleted_at IS NULL")

rkpd_sub_kegiatan = Table(
    "rkpd_sub_kegiatan", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("kode_skpd", String(40), nullable=False),
    Column("kode_sub_kegiatan", String(30), nullable=False),
    Column("nama_sub_kegiatan", Text, nullable=False),
    Column("kode_bidang_urusan", String(10), nullable=False),
    Column("nama_bidang_urusan", Text, nullable=False),
    Column("indikator", Text, nullable=False),
    Column("target", Numeric(16, 4), nullable=False),
    Column("satuan", Text, nullable=False),
    Column("pagu_indikatif", Numeric(17, 2), nullable=False),
    Column("version", Integer, nullable=False),
    Column("kinerja", Text),
    Column("pagu_indikatif_n1", Numeric(17, 2)),
    Column("lokasi", ARRAY(String(20)), nullable=False, server_default="{}"),
    Column("sumber_dana", JSONB, nullable=False, server_default="[]"),  # pagu as decimal text
    Column("bulan_mulai", SmallInteger, nullable=False, server_default="1"),
    Column("bulan_selesai", SmallInteger, nullable=False, server_default="12"),
    Column("label_prioritas", ARRAY(Text), nullable=False, server_default="{}"),
    Column("perlu_pemetaan", Boolean, nullable=False, server_default=false()),
    Column("pemetaan", JSONB, nullable=False, server_default="[]"),
    Column("revisi_sub_kegiatan", BigInteger, nullable=False, server_default="0"),
    Column("revisi_bidang_urusan", BigInteger, nullable=False, server_default="0"),
    Column("catatan", Text),
    # the sasaran of its SKPD's verified Renstra it serves (its ``kode`` there), required from the rancangan akhir on
    Column("kode_sasaran_renstra", String(30)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("deleted_at", DateTime(timezone=True)),
    Index("rkpd_sub_kegiatan_scope", "kode_pemda", "tahun", "kode_skpd", "kode_sub_kegiatan"),
    # one live plan item per SKPD, sub kegiatan and year
    Index("rkpd_sub_kegiatan_unique_live", "kode_pemda", "tahun", "kode_skpd", "kode_sub_kegiatan", unique=True,
          postgresql_where=_LIVE),
    # the codification's changes find the items by code, across pemda and years
    Index("rkpd_sub_kegiatan_kode", "kode_sub_kegiatan", postgresql_where=_LIVE),
    Index("rkpd_sub_kegiatan_bidang", "kode_bidang_urusan", postgresql_where=_LIVE),
    Index("rkpd_sub_kegiatan_skpd", "kode_pemda", "kode_skpd", postgresql_where=_LIVE),
)

_FIELDS = [c.name for c in rkpd_sub_kegiatan.columns if c.name not in ("created_at", "updated_at", "deleted_at")]
_UNIQUE_LIVE = ["kode_pemda", "tahun", "kode_skpd", "kode_sub_kegiatan"]


def _entity(row) -> SubKegiatanRkpd:
    values = {name: getattr(row, name) for name in _FIELDS}
    values["sumber_dana"] = [{**d, "pagu": Decimal(d["pagu"])} for d in values["sumber_dana"]]
    values["lokasi"], values["label_prioritas"] = list(values["lokasi"]), list(values["label_prioritas"])
    return SubKegiatanRkpd(**values)


def _array(values: list, of) -> BindParameter:
    """A list sent as one PostgreSQL array parameter (a statement compiled once, whatever its length)."""
    return bindparam(None, values, type_=ARRAY(of))


def _column(item: SubKegiatanRkpd, name: str):
    if name == "sumber_dana":
        return [{**d, "pagu": format(d["pagu"], "f")} for d in item.sumber_dana]
    return getattr(item, name)


def _values(item: SubKegiatanRkpd) -> dict:
    return {name: _column(item, name) for name in _FIELDS}


# a new item, unless its SKPD already plans that sub kegiatan in that year (built once: every create runs it)
_ADD = (insert(rkpd_sub_kegiatan)
        .on_conflict_do_nothing(index_elements=_UNIQUE_LIVE, index_where=rkpd_sub_kegiatan.c.deleted_at.is_(None))
        .returning(rkpd_sub_kegiatan.c.id))
# the same, one item, compiled once (SQLAlchemy compiles an ON CONFLICT anew on every execution); ``add_many``
# keeps ``_ADD``: a fixed statement that returns rows takes no list of them
_ADD_ONE = fixed(_ADD, _FIELDS)

# changed items, by id (built once: every change and every rename runs it)
_SAVE = rkpd_sub_kegiatan.update().where(rkpd_sub_kegiatan.c.id == bindparam("_id")).values(
    {**{name: bindparam(name) for name in _FIELDS if name != "id"}, "updated_at": func.now()})


# the same, and live again (``remap_many``)
_SAVE_LIVE = _SAVE.values(deleted_at=None)


class RkpdRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, kode_pemda: str, tahun: int, id: str, for_update: bool = False,
            include_deleted: bool = False) -> SubKegiatanRkpd | None:
        t = rkpd_sub_kegiatan
        query = select(t).where(t.c.id == id, t.c.kode_pemda == kode_pemda, t.c.tahun == tahun)
        if not include_deleted:
            query = query.where(t.c.deleted_at.is_(None))
        row = self.session.execute(query.with_for_update() if for_update else query).first()
        return _entity(row) if row else None

    def add(self, item: SubKegiatanRkpd) -> bool:
        """Store a new item; False (and nothing stored) when its SKPD already plans that sub kegiatan in
        that year (one statement: a concurrent create of the same item finds the other one)."""
        return self.session.execute(_ADD_ONE, _values(item)).first() is not None

    def add_many(self, items: list[SubKegiatanRkpd]) -> set[str]:
        """Store new items in one statement; the ids stored (an item whose SKPD already plans that sub kegiatan
        in that year is left out, as ``add`` leaves it)."""
        if not items:
            return set()
        # the statement every create runs, sent with every item's values (SQLAlchemy's "insertmanyvalues": a
        # few round trips, compiled once)
        return set(self.session.execute(_ADD, [_values(i) for i in items]).scalars())

    def save(self, item: SubKegiatanRkpd) -> None:
        self.save_many([item])

    def save_many(self, items: list[SubKegiatanRkpd]) -> None:
        """Several changed items, in one round trip."""
        if not items:
            return
        self.session.execute(_SAVE, [{"_id": i.id, **{n: _column(i, n) for n in _FIELDS if n != "id"}}
                                     for i in items])

    def remap_many(self, items: list[SubKegiatanRkpd]) -> bool:
        """Items a signed berita acara gives new codes, saved together; False when another item took one of their
        (SKPD, sub kegiatan) since they were checked (the items are then left out of the plan: roll back).

        PostgreSQL checks a unique index row by row, so two items exchanging codes (A→B while B→A) or a chain
        (A→B, B→C) would collide with each other half-way: the items are first taken out of the one-live-item
        index (``deleted_at`` set, seen by no other transaction), then saved live with their new codes."""
        if not items:
            return True
        t = rkpd_sub_kegiatan
        self.session.execute(t.update().where(t.c.id == any_(_array([i.id for i in items], UUID(as_uuid=False))))
                             .values(deleted_at=func.now()))
        try:
            with self.session.begin_nested():
                self.session.execute(_SAVE_LIVE, [{"_id": i.id, **{n: _column(i, n) for n in _FIELDS if n != "id"}}
                                                  for i in items])
        except IntegrityError:
            return False
        return True

    def mark_deleted(self, item: SubKegiatanRkpd, version: int) -> None:
        t = rkpd_sub_kegiatan
        self.session.execute(t.update().where(t.c.id == item.id).values(
            version=version, deleted_at=func.now(), updated_at=func.now()))

    # -- what the codification's changes reach ----------------------------------------------------------
    def using(self, column: str, kodes: Iterable[str]) -> list[SubKegiatanRkpd]:
        """The live items whose ``column`` holds one of ``kodes`` (any pemda, any year), locked for the change."""
        t = rkpd_sub_kegiatan
        kodes = sorted(set(kodes))
        if not kodes:
            return []
        rows = self.session.execute(select(t).where(t.c[column] == any_(_array(kodes, String)),
                                                    t.c.deleted_at.is_(None))
                                    .order_by(t.c.id).with_for_update()).all()
        return [_entity(r) for r in rows]

    def using_skpd(self, skpd: Iterable[tuple[str, str]]) -> list[SubKegiatanRkpd]:
        """The live items of these (kode_pemda, kode_skpd), locked for the change."""
        t = rkpd_sub_kegiatan
        skpd = sorted(set(skpd))
        if not skpd:
            return []
        given = func.unnest(_array([p for p, _ in skpd], String), _array([k for _, k in skpd], String)) \
            .table_valued("kode_pemda", "kode_skpd").render_derived("given")
        rows = self.session.execute(
            select(t).join(given, (t.c.kode_pemda == given.c.kode_pemda) & (t.c.kode_skpd == given.c.kode_skpd))
            .where(t.c.deleted_at.is_(None)).order_by(t.c.id).with_for_update(of=t)).all()
        return [_entity(r) for r in rows]

    def named_before(self, tingkat: str, revisi: dict[str, int]) -> list[SubKegiatanRkpd]:
        """The live items holding the name of one of these codes (``tingkat``: sub_kegiatan or
        bidang_urusan) from an older ``revisi`` than the one given, locked for the change."""
        if not revisi:
            return []
        t = rkpd_sub_kegiatan
        column_kode, _, column_revisi = SubKegiatanRkpd.NAMES[tingkat]
        kodes = sorted(revisi)
        given = func.unnest(_array(kodes, String), _array([revisi[k] for k in kodes], BigInteger)) \
            .table_valued("kode", "revisi").render_derived("given")
        rows = self.session.execute(
            select(t).join(given, t.c[column_kode] == given.c.kode)
            .where(t.c[column_revisi] < given.c.revisi, t.c.deleted_at.is_(None))
            .order_by(t.c.id).with_for_update(of=t)).all()
        return [_entity(r) for r in rows]

    def total_pagu(self, kode_pemda: str, tahun: int, kode_skpd: str, excluding: str | None = None) -> Decimal:
        """Σ pagu indikatif of an SKPD's live items in the year (but ``excluding``)."""
        t = rkpd_sub_kegiatan
        query = select(func.coalesce(func.sum(t.c.pagu_indikatif), 0)).where(
            t.c.kode_pemda == kode_pemda, t.c.tahun == tahun, t.c.kode_skpd == kode_skpd, t.c.deleted_at.is_(None))
        if excluding is not None:
            query = query.where(t.c.id != excluding)
        return Decimal(self.session.execute(query).scalar_one())

    def totals_by_skpd(self, kode_pemda: str, tahun: int) -> dict[str, Decimal]:
        t = rkpd_sub_kegiatan
        rows = self.session.execute(select(t.c.kode_skpd, func.sum(t.c.pagu_indikatif)).where(
            t.c.kode_pemda == kode_pemda, t.c.tahun == tahun, t.c.deleted_at.is_(None)).group_by(t.c.kode_skpd))
        return {kode: Decimal(total) for kode, total in rows}

    def flagged(self, kode_pemda: str, tahun: int, for_update: bool = False) -> list[SubKegiatanRkpd]:
        """The live items of a pemda's year needing mapping, in SKPD and sub kegiatan order (locked when
        ``for_update``: a berita acara is signing them)."""
        t = rkpd_sub_kegiatan
        query = select(t).where(t.c.kode_pemda == kode_pemda, t.c.tahun == tahun, t.c.perlu_pemetaan.is_(True),
                                t.c.deleted_at.is_(None)).order_by(t.c.kode_skpd, t.c.kode_sub_kegiatan, t.c.id)
        rows = self.session.execute(query.with_for_update() if for_update else query).all()
        return [_entity(r) for r in rows]

    # -- reading ----------------------------------------------------------------------------------------
    def planned_codes(self, kode_pemda: str, tahun: int, kode_skpd: str) -> set[str]:
        """The sub kegiatan an SKPD's live items plan in the year (one column, one statement: a Renja's import
        checks its rows against them)."""
        t = rkpd_sub_kegiatan
        return set(self.session.execute(select(t.c.kode_sub_kegiatan).where(
            t.c.kode_pemda == kode_pemda, t.c.tahun == tahun, t.c.kode_skpd == kode_skpd,
            t.c.deleted_at.is_(None))).scalars())

    def all_of(self, kode_pemda: str, tahun: int) -> list[SubKegiatanRkpd]:
        """Every live item of a pemda's year, in SKPD and sub kegiatan order (what a stage's snapshot keeps)."""
        t = rkpd_sub_kegiatan
        rows = self.session.execute(select(t).where(t.c.kode_pemda == kode_pemda, t.c.tahun == tahun,
                                                    t.c.deleted_at.is_(None))
                                    .order_by(t.c.kode_skpd, t.c.kode_sub_kegiatan, t.c.id)).all()
        return [_entity(r) for r in rows]

    def list_page(self, kode_pemda: str, tahun: int, offset: int, limit: int, kode_skpd: str | None = None,
                  perlu_pemetaan: bool | None = None) -> tuple[list[SubKegiatanRkpd], int]:
        t = rkpd_sub_kegiatan
        where = [t.c.kode_pemda == kode_pemda, t.c.tahun == tahun, t.c.deleted_at.is_(None)]
        if kode_skpd:
            where.append(t.c.kode_skpd == kode_skpd)
        if perlu_pemetaan is not None:
            where.append(t.c.perlu_pemetaan.is_(perlu_pemetaan))
        total = self.session.execute(select(func.count()).select_from(t).where(*where)).scalar_one()
        rows = self.session.execute(select(t).where(*where).order_by(t.c.kode_skpd, t.c.kode_sub_kegiatan, t.c.id)
                                    .offset(offset).limit(limit)).all()
        return [_entity(r) for r in rows], total
