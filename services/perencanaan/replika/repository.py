"""The replica's tables and its repository, reached as ``uow.replika``; its position in referensi's
event streams is ``sipd_common.replica``'s (table ``replika_posisi``)."""
from __future__ import annotations

from sqlalchemy import (
    ARRAY, BigInteger, Boolean, Column, DateTime, String, Table, Text, and_, any_, bindparam, column, func, literal,
    select, table, text, true,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from sipd_common import replica
from sipd_common.varian import PROVINSI, UMUM, varian_dibaca

from ..schema import metadata
from .domain import KEYS, terbaru


def _berlaku() -> list[Column]:
    return [
        Column("valid_from", String(60), nullable=False),
        Column("valid_until", String(60)),
        Column("revisi", BigInteger, nullable=False),
        Column("kode_pengganti", ARRAY(String(60)), nullable=False, server_default="{}"),
        Column("berlaku", Boolean, nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    ]


replika_nomenklatur = Table(
    "replika_nomenklatur", metadata,
    Column("kode", String(30), primary_key=True),
    # the code's record (umum) or its provincial variant (provinsi), which a province reads before it
    Column("varian", String(10), primary_key=True, server_default=UMUM),
    Column("tingkat", String(20), nullable=False),
    Column("nama", Text, nullable=False),
    Column("kode_induk", String(30)),
    Column("kinerja", Text),
    Column("indikator", Text),
    Column("satuan", Text),
    Column("lingkup", ARRAY(String(20))),  # the lampiran that list it: the level of a kegiatan digit 3 to 8
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
replika_pemda = Table(
    "replika_pemda", metadata,
    Column("kode", String(10), primary_key=True),
    Column("nama", Text, nullable=False),
    Column("provinsi", Boolean, nullable=False),
    *_berlaku(),
)

# the districts (kecamatan) and villages (desa/kelurahan): where a plan item or a proposal is located
replika_wilayah_bawah = Table(
    "replika_wilayah_bawah", metadata,
    Column("kode", String(30), primary_key=True),
    Column("tingkat", String(20), nullable=False),
    Column("nama", Text, nullable=False),
    Column("kode_induk", String(30)),
    *_berlaku(),
)

# where a fill's districts and villages are staged (a temporary table, dropped at commit)
_MASUK = table("_wilayah_bawah_masuk", *[column(c.name) for c in replika_wilayah_bawah.columns])

TABLES = {"nomenklatur": replika_nomenklatur, "skpd": replika_skpd, "wilayah": replika_pemda,
          "wilayah_bawah": replika_wilayah_bawah}


def _dibaca(t, varian):
    """The records of a code a pemda reads (``varian``: the pemda's own variant, ``umum`` for a regency/city), its
    own first: ``provinsi`` sorts before ``umum``."""
    return t.c.varian.in_([varian, UMUM]), t.c.varian


def _codes_query():
    """The pemda, its SKPD, the sub kegiatan and its bidang urusan a plan item names (of the nomenclature, the
    variant the pemda reads), in one round trip; built once (every write asks it)."""
    p, k, n = replika_pemda, replika_skpd, replika_nomenklatur

    def one_of(tingkat: str, kode: str, name: str):
        where, first = _dibaca(n, bindparam("varian"))
        return (select(n).where(n.c.kode == bindparam(kode), n.c.tingkat == tingkat, where)
                .order_by(first).limit(1).lateral(name))

    s, b = one_of("sub_kegiatan", "kode_sub_kegiatan", "s"), one_of("bidang_urusan", "kode_bidang_urusan", "b")
    one = select(literal(1).label("one")).subquery("one")
    parts = (("p", p), ("k", k), ("s", s), ("b", b))
    query = (select(*[c.label(f"{prefix}_{c.name}") for prefix, t in parts for c in t.columns])
             .select_from(one
                          .outerjoin(p, p.c.kode == bindparam("kode_pemda"))
                          .outerjoin(k, and_(k.c.kode_pemda == bindparam("kode_pemda"),
                                             k.c.kode == bindparam("kode_skpd")))
                          .outerjoin(s, true())
                          .outerjoin(b, true())))
    return query, parts


_CODES, _CODES_PARTS = _codes_query()


def _row(table: Table, row, prefix: str) -> dict | None:
    """The columns of ``table`` read back from a joined row (labelled ``<prefix>_<column>``); None if absent."""
    values = {c.name: getattr(row, f"{prefix}_{c.name}") for c in table.columns if c.name != "updated_at"}
    return None if values["revisi"] is None else values


class ReplikaRepository:
    def __init__(self, session: Session):
        self.session = session

    def simpan(self, kind: str, rows: list[dict]) -> set[tuple]:
        """Keep each record's state unless the one held is as new (``revisi``); the keys of the rows stored.

        One statement, compiled once and sent in batches (SQLAlchemy's "insertmanyvalues"), in key order
        (two writers lock the rows in the same order)."""
        rows = terbaru(kind, rows)
        if not rows:
            return set()
        table, key = TABLES[kind], KEYS[kind]
        stmt = insert(table)
        stmt = stmt.on_conflict_do_update(
            index_elements=list(key),
            set_={**{c: stmt.excluded[c] for c in rows[0] if c not in key}, "updated_at": func.now()},
            where=table.c.revisi < stmt.excluded.revisi,
        ).returning(*[table.c[k] for k in key])
        return {tuple(r) for r in self.session.execute(stmt, rows)}

    def codes(self, kode_pemda: str, kode_skpd: str, kode_sub_kegiatan: str,
              kode_bidang_urusan: str | None) -> tuple[dict | None, dict | None, dict | None, dict | None]:
        """The pemda, its SKPD, the sub kegiatan and its bidang urusan a plan item names (None where the
        replica has none), in one round trip."""
        row = self.session.execute(_CODES, {
            "kode_pemda": kode_pemda, "kode_skpd": kode_skpd, "kode_sub_kegiatan": kode_sub_kegiatan,
            "kode_bidang_urusan": kode_bidang_urusan or "", "varian": varian_dibaca(kode_pemda)[0]}).one()
        return tuple(_row(t, row, prefix) for prefix, t in _CODES_PARTS)  # type: ignore[return-value]

    def names(self, kode_pemda: str, nomenklatur: list[str], skpd: list[str]) -> dict[str, dict[str, str]]:
        """The names of these nomenklatur codes and of these SKPD of the pemda (for printed documents):
        ``{"nomenklatur": {kode: nama}, "skpd": {kode: nama}, "pemda": {kode: nama}}``."""
        n, k, p = replika_nomenklatur, replika_skpd, replika_pemda
        where, first = _dibaca(n, varian_dibaca(kode_pemda)[0])
        return {
            "nomenklatur": dict(self.session.execute(select(n.c.kode, n.c.nama).where(
                n.c.kode.in_(sorted(set(nomenklatur))), where).distinct(n.c.kode).order_by(n.c.kode, first)).all())
            if nomenklatur else {},
            "skpd": dict(self.session.execute(select(k.c.kode, k.c.nama).where(
                k.c.kode_pemda == kode_pemda, k.c.kode.in_(sorted(set(skpd))))).all()) if skpd else {},
            "pemda": dict(self.session.execute(select(p.c.kode, p.c.nama).where(p.c.kode == kode_pemda)).all()),
        }

    def rows(self, kind: str) -> list[dict]:
        """Every record of one list, in key order (to compare replicas)."""
        table = TABLES[kind]
        columns = [c for c in table.columns if c.name != "updated_at"]
        result = self.session.execute(select(*columns).order_by(*[table.c[k] for k in KEYS[kind]]))
        return [dict(r._mapping) for r in result]

    # -- the position in referensi's streams (sipd_common.replica) ---------------------------------------
    def catat(self, kind: str, urutan: int | None) -> None:
        replica.catat(self.session, kind, urutan)

    def siap(self, kind: str) -> bool:
        return replica.siap(self.session, kind)

    def perlu_diisi(self, kinds) -> list[str]:
        return replica.perlu_diisi(self.session, kinds)

    # -- what a five-year plan (RPJMD, Renstra) names: many codes at once -------------------------------
    def pemda(self, kode: str) -> dict | None:
        return self._one(replika_pemda, replika_pemda.c.kode == kode)

    def skpd_many(self, kode_pemda: str, kodes: list[str]) -> dict[str, dict]:
        t = replika_skpd
        return {r["kode"]: r for r in self._many(t, t.c.kode_pemda == kode_pemda, t.c.kode == any_(_array(kodes)))}

    def nomenklatur_many(self, kode_pemda: str, kodes: list[str]) -> dict[str, dict]:
        """These codes' records as the pemda reads them (a province: a code's provincial variant where it has one)."""
        t = replika_nomenklatur
        where, first = _dibaca(t, varian_dibaca(kode_pemda)[0])
        rows = self.session.execute(select(*self._columns(t)).where(t.c.kode == any_(_array(kodes)), where)
                                    .distinct(t.c.kode).order_by(t.c.kode, first))
        return {r.kode: dict(r._mapping) for r in rows}

    def varian_provinsi(self, kodes: list[str]) -> set[str]:
        """Which of these codes have a current provincial variant."""
        t = replika_nomenklatur
        rows = self.session.execute(select(t.c.kode).where(
            t.c.kode == any_(_array(kodes)), t.c.varian == PROVINSI, t.c.berlaku.is_(True))) if kodes else []
        return {r[0] for r in rows}

    def kegiatan_levels(self, programs: list[str]) -> dict[str, set[str]]:
        """Per program, the level digits (``1`` province, ``2`` regency/city) of its current kegiatan."""
        t = replika_nomenklatur
        rows = self.session.execute(select(t.c.kode_induk, t.c.kode).where(
            t.c.tingkat == "kegiatan", t.c.berlaku.is_(True), t.c.kode_induk == any_(_array(programs)))).all()
        levels: dict[str, set[str]] = {}
        for induk, kode in rows:
            parts = kode.split(".")
            if len(parts) >= 4:
                levels.setdefault(induk, set()).add(parts[3])
        return levels

    # -- where a plan item or a proposal is located: many region codes at once ----------------------------
    def wilayah_berlaku(self, kodes: list[str]) -> dict[str, bool]:
        """Of these region codes, those the replica holds (a pemda, a district or a village), each with whether
        it is current; one round trip."""
        if not kodes:
            return {}
        p, b = replika_pemda, replika_wilayah_bawah
        query = select(p.c.kode, p.c.berlaku).where(p.c.kode == any_(_array(kodes))).union_all(
            select(b.c.kode, b.c.berlaku).where(b.c.kode == any_(_array(kodes))))
        return dict(self.session.execute(query).all())

    def simpan_wilayah_bawah(self, rows: list[dict]) -> None:
        """As ``simpan`` for the districts and villages, which come by the tens of thousands (a snapshot of some
        91,000): the rows by COPY into a staging table, then one upsert from it keeping the newer ``revisi`` (a
        multi-row INSERT spent most of a fill binding each row's parameters)."""
        rows = terbaru("wilayah_bawah", rows)
        if not rows:
            return
        t, columns = replika_wilayah_bawah, list(rows[0])
        conn = self.session.connection()
        conn.execute(text(f"CREATE TEMP TABLE IF NOT EXISTS {_MASUK.name} (LIKE {t.name} INCLUDING DEFAULTS) "
                          "ON COMMIT DROP"))
        conn.execute(text(f"TRUNCATE {_MASUK.name}"))  # one of this transaction's earlier pages
        raw = conn.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {_MASUK.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
        stmt = insert(t).from_select(columns, select(*[_MASUK.c[c] for c in columns]))
        conn.execute(stmt.on_conflict_do_update(
            index_elements=["kode"], set_={**{c: stmt.excluded[c] for c in columns if c != "kode"},
                                           "updated_at": func.now()},
            where=t.c.revisi < stmt.excluded.revisi))

    def _columns(self, table: Table) -> list:
        return [c for c in table.columns if c.name != "updated_at"]

    def _one(self, table: Table, *where) -> dict | None:
        row = self.session.execute(select(*self._columns(table)).where(*where)).first()
        return dict(row._mapping) if row else None

    def _many(self, table: Table, *where) -> list[dict]:
        return [dict(r._mapping) for r in self.session.execute(select(*self._columns(table)).where(*where))]


def _array(values: list[str]):
    return bindparam(None, sorted(set(values)), type_=ARRAY(String))
