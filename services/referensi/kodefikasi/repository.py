"""The codification's tables (versions, nomenklatur, rekening, sumber_dana, the crosswalk) and how
every versioned list of referensi is kept and read.

Every list is versioned the same way: a row is one state of a record, valid from the version that
introduced it (``valid_from``) until the version that changed or retired it (``valid_until``, empty
while current). A change closes the current row and opens a new one, so every past version can
still be answered. ``revisi`` grows with every change of any record (one sequence), which is how
consumers of the change events order them. A record added and retired in the same version keeps that
state, valid in no version (``valid_from`` = ``valid_until``): look-ups never see it, but the record's
latest state, as the snapshot pages it, says it was retired, as its change events did.

``versioned_table`` makes such a list, ``Pada`` says which of its rows a query sees, and ``Daftar``
reads one list; the regions, SKPD and standard prices are lists of the same kind (``wilayah/``,
``skpd/``, ``standar_harga/``).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger, Boolean, Column, Computed, Date, DateTime, ForeignKey, Index, Integer, Sequence, SmallInteger, String,
    Table, Text, and_, func, literal_column, or_, select, text, tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR, insert
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from ..schema import metadata
from . import domain as k

revisi_seq = Sequence("revisi_seq", metadata=metadata)
C = "C"  # codes sort and match by prefix byte-wise


def search_vector(*columns: str) -> Computed:
    """Words of the given columns for full text search: 'simple' (no stemming), punctuation as spaces
    so that ``Kabupaten/Kota`` is two words."""
    joined = " || ' ' || ".join(f"coalesce({c}, '')" for c in columns)
    return Computed(f"to_tsvector('simple'::regconfig, regexp_replace({joined}, '[^[:alnum:]]+', ' ', 'g'))",
                    persisted=True)


def validity() -> list[Column]:
    """The columns that make a row one state of a record: valid from one version until another."""
    return [
        Column("valid_from", String(60), ForeignKey("versi.kode"), primary_key=True),
        Column("valid_until", String(60), ForeignKey("versi.kode")),
        Column("revisi", BigInteger, server_default=text("nextval('revisi_seq')"), nullable=False),
    ]


def versioned_table(name: str, key: list[Column], columns: list[Column], search: tuple[str, ...],
                    tree: bool = False) -> Table:
    """A list whose rows are states of a record (``key``: the record), each valid from one version until another,
    with words to search (``search``) and, for a tree, its parent (``kode_induk``)."""
    key_names = [c.name for c in key]
    indexes = [
        # at most one current state per record; the current list is what most queries read
        Index(f"{name}_current", *key_names, unique=True, postgresql_where=text("valid_until IS NULL")),
        Index(f"{name}_cari", "cari", postgresql_using="gin"),
    ]
    if tree:
        indexes.append(Index(f"{name}_kode_induk", "kode_induk"))
    return Table(name, metadata, *key, *validity(), *columns, Column("cari", TSVECTOR, search_vector(*search)),
                 *indexes)


versi = Table(
    "versi", metadata,
    Column("kode", String(60), primary_key=True),
    Column("judul", Text, nullable=False),
    Column("tanggal", Date, nullable=False),
    Column("urutan", Integer, nullable=False, unique=True),
    Column("jenis", String(20), nullable=False, server_default="keputusan"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
# a code's record is ``umum`` (every pemda's) or, where the provincial lampiran gives the code other content than
# the regency/city one, the provinces' ``provinsi`` variant beside it (data/README.md)
nomenklatur = versioned_table("nomenklatur", [Column("kode", String(30, collation=C), primary_key=True),
                                              Column("varian", String(10), primary_key=True, server_default=k.UMUM)], [
    Column("tingkat", String(20), nullable=False),
    Column("nama", Text, nullable=False),
    Column("kode_induk", String(30, collation=C)),
    Column("kinerja", Text),
    Column("indikator", Text),
    Column("satuan", Text),
    Column("sumber", String(60)),
    Column("lingkup", ARRAY(String(20))),
    Column("spm", Boolean),
    Column("tag", ARRAY(Text)),
    Column("jenis", String(20)),
    Column("pelaksana", Text),
    Column("definisi_operasional", Text),
], ("nama", "kinerja", "indikator"), tree=True)
rekening = versioned_table("rekening", [Column("kode", String(30, collation=C), primary_key=True)], [
    Column("tingkat", String(20), nullable=False),
    Column("akun", String(20), nullable=False),
    Column("peruntukan", String(60), nullable=False),
    Column("nama", Text, nullable=False),
    Column("kode_induk", String(30, collation=C)),
    Column("sumber", String(60)),
    Column("keterangan", Text),
], ("nama",), tree=True)
sumber_dana = versioned_table("sumber_dana", [Column("kode", String(30, collation=C), primary_key=True)], [
    Column("tingkat", SmallInteger, nullable=False),
    Column("nama", Text, nullable=False),
    Column("kode_induk", String(30, collation=C)),
    Column("sumber", String(60)),
    Column("keterangan", Text),
    Column("set_input", Boolean),
], ("nama",), tree=True)
crosswalk = Table(
    "crosswalk", metadata,
    Column("kind", String(20), primary_key=True),
    Column("kode_pemda", String(10, collation=C), primary_key=True, server_default=""),
    Column("kode_lama", String(60, collation=C), primary_key=True),
    Column("kode_baru", String(60, collation=C), primary_key=True),
    Column("versi", String(60), ForeignKey("versi.kode"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("crosswalk_kode_baru", "kind", "kode_baru"),
)


@dataclass(frozen=True)
class Pada:
    """Which rows a query sees: the current ones (``versi`` None) or those of one version."""

    versi: str | None = None
    dari: tuple[str, ...] = ()
    sampai: tuple[str, ...] = ()

    @classmethod
    def of(cls, versions: list[k.Versi], kode_versi: str | None) -> "Pada":
        if kode_versi is None:
            return cls()
        dari, sampai = k.rentang(versions, kode_versi)
        return cls(kode_versi, tuple(dari), tuple(sampai))

    def where(self, t: Table):
        if self.versi is None:
            return t.c.valid_until.is_(None)
        return and_(t.c.valid_from.in_(self.dari),
                    or_(t.c.valid_until.is_(None), t.c.valid_until.in_(self.sampai) if self.sampai else False))


def tsquery(q: str) -> str | None:
    """Words as a prefix query: ``sekolah dasar`` → ``sekolah:* & dasar:*``; only letters and digits pass."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in q.lower()).split() if w]
    return " & ".join(f"{w}:*" for w in words[:10]) or None


def _was_valid(t: Table):
    """A state that was the record's in some version: not one that began and was retired in the same one
    (kept only so that the record's last state says it was retired; see ``impor.repository.apply``)."""
    return or_(t.c.valid_until.is_(None), t.c.valid_until != t.c.valid_from)


@functools.cache
def _shape(table: Table) -> tuple[list[Column], list[Column]]:
    """A list's record (its columns, the search words aside) and its key (the record, not one state of it)."""
    return ([c for c in table.columns if c.name != "cari"],
            [c for c in table.primary_key.columns if c.name != "valid_from"])


def _record(row: Row) -> dict:
    """A row as a record: its columns, without the search words and the count of a page.

    (Whole rows are selected: a statement of the table is built and cached more cheaply than one of
    its columns named one by one, and the look-ups are the hot path.)"""
    record = dict(row._mapping)
    record.pop("cari", None)
    record.pop("total_", None)
    return record


class Daftar:
    """One versioned list, read as of a version (``Pada``); its records as dicts, in their stored shape."""

    def __init__(self, session: Session, table: Table):
        self.session = session
        self.table = table
        self.kind = table.name
        self.stored, self.key = _shape(table)

    def _scope(self, scope: dict) -> list:
        return [self.table.c[name] == value for name, value in scope.items()]

    def _varian(self, lingkup: str | None) -> tuple[list, list]:
        """Of a list with variants (the nomenclature): the variants a pemda of level ``lingkup`` reads (its own
        first: ``varian`` orders ``provinsi`` before ``umum``), as a condition and an order; nothing otherwise."""
        t = self.table
        if "varian" not in t.c:
            return [], []
        return [t.c.varian.in_(k.varian_dibaca(lingkup))], [t.c.varian]

    def get(self, kode: str, pada: Pada, lingkup: str | None = None, **scope: Any) -> dict | None:
        """One record as of ``pada``; for the current codification, a retired record's last state
        when it is not current (so a caller learns it was retired rather than that it never was). Of the
        nomenclature, the variant a pemda of level ``lingkup`` reads."""
        t = self.table
        varian, first = self._varian(lingkup)
        where = [t.c.kode == kode, *varian, *self._scope(scope)]
        query = select(t).where(*where, pada.where(t))
        row = self.session.execute(query.order_by(*first).limit(1) if first else query).first()
        if row is None and pada.versi is None:
            row = self.session.execute(select(t).join(versi, versi.c.kode == t.c.valid_until)
                                       .where(*where, _was_valid(t))
                                       .order_by(versi.c.urutan.desc(), *first).limit(1)).first()
        return None if row is None else _record(row)

    def names(self, kodes: list[str], pada: Pada, lingkup: str | None = None) -> dict[str, str]:
        """Names by code as of ``pada``; for the current codification a retired code keeps its last name. Of the
        nomenclature, the names a pemda of level ``lingkup`` reads."""
        t = self.table
        varian, first = self._varian(lingkup)
        query = select(t.c.kode, t.c.nama).where(t.c.kode.in_(kodes), *varian)
        query = query.where(pada.where(t) if pada.versi is not None else _was_valid(t))
        query = query.distinct(t.c.kode).order_by(t.c.kode, t.c.valid_until.is_(None).desc(), *first,
                                                  t.c.revisi.desc())
        return dict(self.session.execute(query).all())

    def pengganti(self, kodes: list[str], kode_pemda: str = "") -> dict[str, list[str]]:
        """The crosswalk: old code → its new codes."""
        if not kodes:
            return {}
        rows = self.session.execute(select(crosswalk.c.kode_lama, func.array_agg(crosswalk.c.kode_baru))
                                    .where(crosswalk.c.kind == self.kind, crosswalk.c.kode_pemda == kode_pemda,
                                           crosswalk.c.kode_lama.in_(kodes))
                                    .group_by(crosswalk.c.kode_lama)).all()
        return {old: sorted(new) for old, new in rows}

    def search(self, pada: Pada, offset: int, limit: int, *, q: str | None = None, prefix: str | None = None,
               tingkat: Any = None, kode_induk: str | None = None, extra: tuple = (),
               scope: dict | None = None, lingkup: str | None = None) -> tuple[list[dict], int]:
        """A page of the records found, in key order, and how many are found in all: by words (``q``, all
        of them, as word prefixes), code prefix, level, parent, the list's own conditions (``extra``),
        within a pemda (and year) (``scope``); of the nomenclature, those a lampiran lists (``lingkup``: its
        own variants, and the ``umum`` records it lists)."""
        t = self.table
        where = [pada.where(t), *self._scope(scope or {}), *extra]
        if lingkup is not None:
            where.append(or_(t.c.varian == lingkup, and_(t.c.varian == k.UMUM, t.c.lingkup.contains([lingkup]))))
        if prefix:
            escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where.append(t.c.kode.like(escaped + "%"))
        if q:
            query = tsquery(q)
            if query is None:
                return [], 0
            where.append(t.c.cari.op("@@")(func.to_tsquery(literal_column("'simple'::regconfig"), query)))
        if tingkat is not None:
            where.append(t.c.tingkat == tingkat)
        if kode_induk is not None:
            where.append(t.c.kode_induk == kode_induk)
        # the page and the total in one scan
        matches = select(t, func.count().over().label("total_")).where(*where)
        if q:
            # words: find the matches by the word index first, then order them; ordered by the code
            # index instead, the planner would read the whole list to count the matches
            matches = matches.offset(0)
        m = matches.subquery()
        rows = self.session.execute(select(m).order_by(*[m.c[c.name] for c in self.key])
                                    .offset(offset).limit(limit)).all()
        if rows:
            return [_record(row) for row in rows], rows[0].total_
        total = (self.session.execute(select(func.count()).select_from(t).where(*where)).scalar_one()
                 if offset else 0)
        return [], total

    def latest(self, after: tuple | None, limit: int, tingkat: list | None = None,
               akun: list | None = None) -> list[dict]:
        """A page of every record in its latest state (current, or the last state of a retired one), in key
        order, after the record keyed ``after``; only those of the levels ``tingkat`` (of the accounts' roots
        ``akun``) when given."""
        t = self.table
        where = []
        if after is not None:
            where.append(tuple_(*self.key) > tuple_(*after))
        if tingkat is not None:
            where.append(t.c.tingkat.in_(tingkat))
        if akun is not None:
            where.append(t.c.akun.in_(akun))
        rows = self.session.execute(select(*self.stored).where(*where).distinct(*self.key)
                                    .order_by(*self.key, t.c.revisi.desc()).limit(limit))
        return [dict(row._mapping) for row in rows]


class KodefikasiRepository:
    """The versions, the national lists (``nomenklatur``, ``rekening``, ``sumber_dana``) and the crosswalk."""

    def __init__(self, session: Session):
        self.session = session
        self.nomenklatur = Daftar(session, nomenklatur)
        self.rekening = Daftar(session, rekening)
        self.sumber_dana = Daftar(session, sumber_dana)

    # -- versions ------------------------------------------------------------------------------
    def versions(self) -> list[k.Versi]:
        rows = self.session.execute(select(versi.c.kode, versi.c.judul, versi.c.tanggal, versi.c.urutan, versi.c.jenis)
                                    .order_by(versi.c.urutan)).all()
        return [k.Versi(*row) for row in rows]

    def add_version(self, v: k.Versi) -> None:
        self.session.execute(versi.insert().values(kode=v.kode, judul=v.judul, tanggal=v.tanggal, urutan=v.urutan,
                                                   jenis=v.jenis))

    def register_versions(self, shipped: list[k.Versi]) -> None:
        """The versions as shipped (the seed): added, or brought up to date (title, date, kind, place). A version
        shipped later may take its place among the older ones (by its date); versions added by an import keep
        their order after the shipped ones."""
        self.session.execute(text("UPDATE versi SET urutan = urutan + 1000000"))
        for v in shipped:
            stmt = insert(versi).values(kode=v.kode, judul=v.judul, tanggal=v.tanggal, urutan=v.urutan, jenis=v.jenis)
            self.session.execute(stmt.on_conflict_do_update(index_elements=["kode"], set_={
                c: stmt.excluded[c] for c in ("judul", "tanggal", "urutan", "jenis")}))
        others = self.session.execute(select(versi.c.kode).where(versi.c.urutan > 1000000)
                                      .order_by(versi.c.urutan)).scalars().all()
        for n, kode in enumerate(others, len(shipped) + 1):
            self.session.execute(versi.update().where(versi.c.kode == kode).values(urutan=n))

    def pada(self, kode_versi: str | None) -> Pada:
        """What a query "as of ``kode_versi``" sees (the current codification for None); VersiTidakSah
        for a version that does not exist."""
        return Pada() if kode_versi is None else Pada.of(self.versions(), kode_versi)

    # -- the crosswalk ---------------------------------------------------------------------------
    def list_crosswalk(self, kind: str | None, kode_lama: str | None, kode_baru: str | None, versi_: str | None,
                       offset: int, limit: int) -> tuple[list[dict], int]:
        where = [crosswalk.c.kode_pemda == ""]
        for column, value in (("kind", kind), ("kode_lama", kode_lama), ("kode_baru", kode_baru), ("versi", versi_)):
            if value is not None:
                where.append(crosswalk.c[column] == value)
        total = self.session.execute(select(func.count()).select_from(crosswalk).where(*where)).scalar_one()
        c = crosswalk.c
        rows = self.session.execute(select(c.kind, c.kode_lama, c.kode_baru, c.versi).where(*where)
                                    .order_by(c.kind, c.kode_lama, c.kode_baru).offset(offset).limit(limit))
        return [dict(row._mapping) for row in rows], total
