"""referensi's tables (schema ``referensi``) and the queries the service answers.

Every list of the codification is versioned the same way: a row is one state of a record,
valid from the version that introduced it (``valid_from``) until the version that changed or
retired it (``valid_until``, empty while current). A change closes the current row and opens a
new one, so every past version can still be answered. ``revisi`` grows with every change of any
record (one sequence), which is how consumers of the change events order them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger, Column, Computed, Date, DateTime, ForeignKey, Integer, MetaData, Numeric, Sequence,
    SmallInteger, String, Table, Text, and_, func, literal_column, or_, select, text,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.orm import Session

from sipd_common.audit import add_audit_table
from sipd_common.tables import add_messaging_tables

from .domain import impor as d
from .domain import versi as dv

metadata = MetaData()
add_messaging_tables(metadata)
add_audit_table(metadata)

revisi_seq = Sequence("revisi_seq", metadata=metadata)
C = "C"  # codes sort and match by prefix byte-wise


def search_vector(*columns: str) -> Computed:
    """Words of the given columns for full text search: 'simple' (no stemming), punctuation as spaces
    so that ``Kabupaten/Kota`` is two words."""
    joined = " || ' ' || ".join(f"coalesce({c}, '')" for c in columns)
    return Computed(f"to_tsvector('simple'::regconfig, regexp_replace({joined}, '[^[:alnum:]]+', ' ', 'g'))",
                    persisted=True)


def _validity() -> list[Column]:
    return [
        Column("valid_from", String(60), ForeignKey("versi.kode"), primary_key=True),
        Column("valid_until", String(60), ForeignKey("versi.kode")),
        Column("revisi", BigInteger, server_default=text("nextval('revisi_seq')"), nullable=False),
    ]


versi = Table(
    "versi", metadata,
    Column("kode", String(60), primary_key=True),
    Column("judul", Text, nullable=False),
    Column("tanggal", Date, nullable=False),
    Column("urutan", Integer, nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
nomenklatur = Table(
    "nomenklatur", metadata,
    Column("kode", String(30, collation=C), primary_key=True),
    *_validity(),
    Column("tingkat", String(20), nullable=False),
    Column("nama", Text, nullable=False),
    Column("kode_induk", String(30, collation=C)),
    Column("kinerja", Text),
    Column("indikator", Text),
    Column("satuan", Text),
    Column("cari", TSVECTOR, search_vector("nama", "kinerja", "indikator")),
)
rekening = Table(
    "rekening", metadata,
    Column("kode", String(30, collation=C), primary_key=True),
    *_validity(),
    Column("tingkat", String(20), nullable=False),
    Column("akun", String(20), nullable=False),
    Column("peruntukan", String(60), nullable=False),
    Column("nama", Text, nullable=False),
    Column("kode_induk", String(30, collation=C)),
    Column("cari", TSVECTOR, search_vector("nama")),
)
sumber_dana = Table(
    "sumber_dana", metadata,
    Column("kode", String(30, collation=C), primary_key=True),
    *_validity(),
    Column("tingkat", SmallInteger, nullable=False),
    Column("nama", Text, nullable=False),
    Column("kode_induk", String(30, collation=C)),
    Column("cari", TSVECTOR, search_vector("nama")),
)
wilayah = Table(
    "wilayah", metadata,
    Column("kode", String(20, collation=C), primary_key=True),
    *_validity(),
    Column("tingkat", SmallInteger, nullable=False),
    Column("nama", Text, nullable=False),
    Column("kode_induk", String(20, collation=C)),
    Column("cari", TSVECTOR, search_vector("nama")),
)
skpd = Table(
    "skpd", metadata,
    Column("kode_pemda", String(10, collation=C), primary_key=True),
    Column("kode", String(40, collation=C), primary_key=True),
    *_validity(),
    Column("nama", Text, nullable=False),
    Column("bidang_urusan", ARRAY(String(10)), nullable=False),
    Column("cari", TSVECTOR, search_vector("nama")),
)
standar_harga = Table(
    "standar_harga", metadata,
    Column("kode_pemda", String(10, collation=C), primary_key=True),
    Column("tahun", SmallInteger, primary_key=True),
    Column("kode", String(60, collation=C), primary_key=True),
    *_validity(),
    Column("jenis", String(4), nullable=False),
    Column("uraian", Text, nullable=False),
    Column("spesifikasi", Text),
    Column("satuan", Text, nullable=False),
    Column("harga", Numeric(17, 2), nullable=False),
    Column("kode_rekening", ARRAY(String(30)), nullable=False),
    Column("cari", TSVECTOR, search_vector("uraian", "spesifikasi")),
)
crosswalk = Table(
    "crosswalk", metadata,
    Column("kind", String(20), primary_key=True),
    Column("kode_pemda", String(10, collation=C), primary_key=True, server_default=""),
    Column("kode_lama", String(60, collation=C), primary_key=True),
    Column("kode_baru", String(60, collation=C), primary_key=True),
    Column("versi", String(60), ForeignKey("versi.kode"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
impor = Table(
    "impor", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("mode", String(4), nullable=False),
    Column("versi", String(60), ForeignKey("versi.kode"), nullable=False),
    Column("kode_pemda", String(10)),
    Column("tahun", SmallInteger),
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("added", Integer, nullable=False),
    Column("changed", Integer, nullable=False),
    Column("retired", Integer, nullable=False),
    Column("unchanged", Integer, nullable=False),
    Column("imported_by", Text, nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

TABLES: dict[str, Table] = {t.name: t for t in (nomenklatur, rekening, sumber_dana, wilayah, skpd, standar_harga)}
STORED = {name: [c.name for c in t.columns if c.name != "cari"] for name, t in TABLES.items()}


# -- versions ------------------------------------------------------------------------------------

def versions(session: Session) -> list[dv.Versi]:
    rows = session.execute(select(versi.c.kode, versi.c.judul, versi.c.tanggal, versi.c.urutan)
                           .order_by(versi.c.urutan)).all()
    return [dv.Versi(*row) for row in rows]


def add_version(session: Session, v: dv.Versi) -> None:
    session.execute(versi.insert().values(kode=v.kode, judul=v.judul, tanggal=v.tanggal, urutan=v.urutan))


@dataclass(frozen=True)
class Pada:
    """Which rows a query sees: the current ones (``versi`` None) or those of one version."""

    versi: str | None = None
    dari: tuple[str, ...] = ()
    sampai: tuple[str, ...] = ()

    @classmethod
    def of(cls, session: Session, kode_versi: str | None) -> "Pada":
        if kode_versi is None:
            return cls()
        dari, sampai = dv.rentang(versions(session), kode_versi)
        return cls(kode_versi, tuple(dari), tuple(sampai))

    def where(self, t: Table):
        if self.versi is None:
            return t.c.valid_until.is_(None)
        return and_(t.c.valid_from.in_(self.dari),
                    or_(t.c.valid_until.is_(None), t.c.valid_until.in_(self.sampai) if self.sampai else False))


# -- look-ups ------------------------------------------------------------------------------------

def _scope_where(t: Table, scope: dict) -> list:
    return [t.c[name] == value for name, value in scope.items()]


def get(session: Session, kind: str, kode: str, pada: Pada, **scope: Any):
    """One record as of ``pada``; for the current codification, a retired record's last state
    when it is not current (so a caller learns it was retired rather than that it never was)."""
    t = TABLES[kind]
    where = [t.c.kode == kode, *_scope_where(t, scope)]
    row = session.execute(select(t).where(*where, pada.where(t))).first()
    if row is None and pada.versi is None:
        row = session.execute(select(t).join(versi, versi.c.kode == t.c.valid_until).where(*where)
                              .order_by(versi.c.urutan.desc()).limit(1)).first()
    return row


def names(session: Session, kind: str, kodes: list[str], pada: Pada) -> dict[str, str]:
    """Names by code as of ``pada``; for the current codification a retired code keeps its last name."""
    t = TABLES[kind]
    query = select(t.c.kode, t.c.nama).where(t.c.kode.in_(kodes))
    if pada.versi is not None:
        query = query.where(pada.where(t))
    query = query.distinct(t.c.kode).order_by(t.c.kode, t.c.valid_until.is_(None).desc(), t.c.revisi.desc())
    return dict(session.execute(query).all())


def pengganti(session: Session, kind: str, kodes: list[str], kode_pemda: str = "") -> dict[str, list[str]]:
    """The crosswalk: old code → its new codes."""
    if not kodes:
        return {}
    rows = session.execute(select(crosswalk.c.kode_lama, func.array_agg(crosswalk.c.kode_baru))
                           .where(crosswalk.c.kind == kind, crosswalk.c.kode_pemda == kode_pemda,
                                  crosswalk.c.kode_lama.in_(kodes))
                           .group_by(crosswalk.c.kode_lama)).all()
    return {old: sorted(new) for old, new in rows}


@dataclass(frozen=True)
class Filter:
    """A list query: words, a code prefix, a level, the parent, the scope, as of a version."""

    q: str | None = None
    prefix: str | None = None
    tingkat: Any = None
    kode_induk: str | None = None
    extra: tuple = ()


def tsquery(q: str) -> str | None:
    """Words as a prefix query: ``sekolah dasar`` → ``sekolah:* & dasar:*``; only letters and digits pass."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in q.lower()).split() if w]
    return " & ".join(f"{w}:*" for w in words[:10]) or None


def search(session: Session, kind: str, f: Filter, pada: Pada, offset: int, limit: int, **scope: Any):
    t = TABLES[kind]
    where = [pada.where(t), *_scope_where(t, scope), *f.extra]
    if f.prefix:
        escaped = f.prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(t.c.kode.like(escaped + "%"))
    if f.q:
        query = tsquery(f.q)
        if query is None:
            return [], 0
        where.append(t.c.cari.op("@@")(func.to_tsquery(literal_column("'simple'::regconfig"), query)))
    if f.tingkat is not None:
        where.append(t.c.tingkat == f.tingkat)
    if f.kode_induk is not None:
        where.append(t.c.kode_induk == f.kode_induk)
    # the page and the total in one scan
    matches = select(t, func.count().over().label("total_")).where(*where)
    if f.q:
        # words: find the matches by the word index first, then order them; ordered by the code
        # index instead, the planner would read the whole list to count the matches
        matches = matches.offset(0)
    m = matches.subquery()
    rows = session.execute(select(m).order_by(*[m.c[c] for c in d.KINDS[kind].key])
                           .offset(offset).limit(limit)).all()
    if rows:
        return rows, rows[0].total_
    total = session.execute(select(func.count()).select_from(t).where(*where)).scalar_one() if offset else 0
    return rows, total


def list_crosswalk(session: Session, kind: str | None, kode_lama: str | None, kode_baru: str | None,
                   versi_: str | None, offset: int, limit: int):
    where = [crosswalk.c.kode_pemda == ""]
    for column, value in (("kind", kind), ("kode_lama", kode_lama), ("kode_baru", kode_baru), ("versi", versi_)):
        if value is not None:
            where.append(crosswalk.c[column] == value)
    total = session.execute(select(func.count()).select_from(crosswalk).where(*where)).scalar_one()
    rows = session.execute(select(crosswalk).where(*where).order_by(crosswalk.c.kind, crosswalk.c.kode_lama,
                                                                    crosswalk.c.kode_baru)
                           .offset(offset).limit(limit)).all()
    return rows, total


def list_versions(session: Session) -> list:
    return session.execute(select(versi).order_by(versi.c.urutan)).all()


# -- what an import reads ------------------------------------------------------------------------

def current_records(session: Session, kind: str, scope: dict) -> dict[tuple, dict]:
    t = TABLES[kind]
    key = d.KINDS[kind].key
    columns = [t.c[c] for c in STORED[kind]]
    result = session.execute(select(*columns).where(t.c.valid_until.is_(None), *_scope_where(t, scope)))
    names = list(result.keys())
    records = (dict(zip(names, row)) for row in result)
    return {tuple(r[c] for c in key): r for r in records}


def retired_keys(session: Session, kind: str, scope: dict, kodes: list[str]) -> set[tuple]:
    if not kodes:
        return set()
    t = TABLES[kind]
    key = d.KINDS[kind].key
    rows = session.execute(select(*[t.c[c] for c in key]).distinct()
                           .where(t.c.valid_until.is_not(None), t.c.kode.in_(kodes), *_scope_where(t, scope)))
    return {tuple(row) for row in rows}


def latest_version_used(session: Session, kind: str, scope: dict) -> str | None:
    """The latest version any record of the list starts or ends in."""
    t = TABLES[kind]
    used = select(t.c.valid_from.label("kode")).where(*_scope_where(t, scope)).union(
        select(t.c.valid_until).where(t.c.valid_until.is_not(None), *_scope_where(t, scope))).subquery()
    return session.execute(select(versi.c.kode).where(versi.c.kode.in_(select(used.c.kode)))
                           .order_by(versi.c.urutan.desc()).limit(1)).scalar()


def existing_crosswalk(session: Session, kind: str, kode_pemda: str, pairs: list[tuple[str, str]]) -> set:
    if not pairs:
        return set()
    olds = sorted({old for old, _ in pairs})
    rows = session.execute(select(crosswalk.c.kode_lama, crosswalk.c.kode_baru).where(
        crosswalk.c.kind == kind, crosswalk.c.kode_pemda == kode_pemda, crosswalk.c.kode_lama.in_(olds))).all()
    return {tuple(r) for r in rows}


def context(session: Session, kind: str) -> dict:
    """What records of ``kind`` refer to in other lists."""
    if kind == "skpd":
        rows = session.execute(select(nomenklatur.c.kode).where(nomenklatur.c.valid_until.is_(None),
                                                                nomenklatur.c.tingkat == "bidang_urusan"))
        return {"bidang_urusan": {r[0] for r in rows}}
    if kind == "standar_harga":
        rows = session.execute(select(rekening.c.kode).where(
            rekening.c.valid_until.is_(None), rekening.c.akun == "belanja", rekening.c.tingkat == "sub_rincian_objek"))
        return {"rekening_belanja": {r[0] for r in rows}}
    return {}


def lock_list(session: Session, kind: str, scope: dict) -> None:
    """One import of a list at a time: the lock is held until the transaction ends."""
    name = "referensi.impor." + kind + "".join(f".{v}" for v in scope.values())
    session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})


# -- what an import writes -----------------------------------------------------------------------

def apply(session: Session, kind: str, kode_versi: str, added: list[dict], changed: list[dict],
          retired: list[dict]) -> dict[tuple, int]:
    """Write one import's changes in version ``kode_versi``; the ``revisi`` of each changed record.

    The rows go to a staging table by COPY, then four statements do the rest, whatever the size:
    a state that began in this very version is replaced (it was never the state of any version);
    otherwise the current state is closed and the new one opened."""
    t = TABLES[kind]
    key = d.KINDS[kind].key
    columns = [c for c in STORED[kind] if c not in ("valid_from", "valid_until", "revisi")]
    names = ", ".join(columns)
    conn = session.connection()
    conn.execute(text("DROP TABLE IF EXISTS _impor"))
    conn.execute(text(f"CREATE TEMP TABLE _impor ON COMMIT DROP AS SELECT {names} FROM {t.name} WITH NO DATA"))
    conn.execute(text("ALTER TABLE _impor ADD COLUMN _aksi text NOT NULL"))
    raw = conn.connection.dbapi_connection
    with raw.cursor().copy(f"COPY _impor ({names}, _aksi) FROM STDIN") as copy:
        for aksi, records in ((d.ADDED, added), (d.CHANGED, changed), (d.RETIRED, retired)):
            for record in records:
                copy.write_row([record.get(c) for c in columns] + [aksi])
    match = " AND ".join(f"t.{c} = s.{c}" for c in key)
    returned = ", ".join(f"t.{c}" for c in key)
    params = {"v": kode_versi}
    revisi: dict[tuple, int] = {}
    for statement in (
        f"DELETE FROM {t.name} t USING _impor s WHERE {match} AND t.valid_until IS NULL AND t.valid_from = :v "
        f"AND s._aksi <> 'added' RETURNING {returned}, nextval('revisi_seq')",
        f"UPDATE {t.name} t SET valid_until = :v, revisi = nextval('revisi_seq') FROM _impor s "
        f"WHERE {match} AND t.valid_until IS NULL AND s._aksi <> 'added' RETURNING {returned}, t.revisi",
        f"INSERT INTO {t.name} ({names}, valid_from) SELECT {names}, :v FROM _impor "
        f"WHERE _aksi <> 'retired' RETURNING {', '.join(key)}, revisi",
    ):
        for row in conn.execute(text(statement), params):
            revisi[tuple(row[:-1])] = row[-1]
    return revisi


def add_crosswalk(session: Session, kind: str, kode_pemda: str, kode_versi: str, pairs: list[tuple[str, str]]) -> None:
    if pairs:
        from sqlalchemy.dialects.postgresql import insert

        session.execute(insert(crosswalk).values([
            {"kind": kind, "kode_pemda": kode_pemda, "kode_lama": old, "kode_baru": new, "versi": kode_versi}
            for old, new in pairs]).on_conflict_do_nothing())


def record_import(session: Session, values: dict) -> int:
    return session.execute(impor.insert().values(values).returning(impor.c.id)).scalar_one()


def analyze(session: Session, kind: str) -> None:
    """After a large import: the word index's pending entries merged and fresh planner statistics;
    without them a search reads the whole list."""
    session.execute(text("SELECT gin_clean_pending_list(:index ::regclass)"), {"index": f"{TABLES[kind].name}_cari"})
    session.execute(text(f"ANALYZE {TABLES[kind].name}"))
