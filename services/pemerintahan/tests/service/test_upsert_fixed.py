"""The summary's upsert compiled once (``sipd_common.sql.fixed``) answers as SQLAlchemy's own, and is cached."""
from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import Column, Integer, MetaData, Numeric, Table, func, select
from sqlalchemy.dialects.postgresql import JSONB, UUID, insert
from sqlalchemy.engine.default import CACHE_HIT

from services.pemerintahan.ringkasan import repository as ringkasan
from sipd_common.sql import fixed


def _row(scope, rkpd_id, version, **values):
    kode_pemda, tahun = scope
    return {name: None for name in ringkasan._COLUMNS["rencana"]} | dict(
        rkpd_id=rkpd_id, kode_pemda=kode_pemda, tahun=tahun, kode_bidang_urusan="1.01", kode_sub_kegiatan="1.01.01",
        pagu=Decimal("1500000.50"), dihapus=False, source_version=version) | values


def test_the_summary_upsert_answers_as_the_original_and_is_cached(engines, scope):
    original = ringkasan._upsert_if_newer(ringkasan.rencana)
    fixed_one = ringkasan._UPSERT["rencana"]
    t = ringkasan.rencana
    with engines("pemerintahan").connect() as conn:
        answers = {}
        for name, stmt in (("original", original), ("fixed", fixed_one)):
            rkpd_id = str(uuid.uuid4())

            def run(version, **values):
                return conn.execute(stmt, _row(scope, rkpd_id, version, **values)).first()

            def held():
                return conn.execute(select(t.c.nama_sub_kegiatan, t.c.target, t.c.pagu, t.c.dihapus,
                                           t.c.source_version).where(t.c.rkpd_id == rkpd_id)).one()

            first = run(2, nama_sub_kegiatan="Pembangunan Jalan", target=Decimal("12.5000"))
            older = run(1, nama_sub_kegiatan="lama")
            after_older = held()
            newer = run(3, pagu=Decimal("99.99"), dihapus=True)  # a deletion carries no name: the held one stays
            answers[name] = (first is not None and first.rkpd_id == rkpd_id, older, after_older, newer is not None,
                             held())
        conn.rollback()
    assert answers["fixed"] == answers["original"]
    assert answers["fixed"] == (True, None, ("Pembangunan Jalan", Decimal("12.5000"), Decimal("1500000.50"), False, 2),
                                True, ("Pembangunan Jalan", Decimal("12.5000"), Decimal("99.99"), True, 3))


def test_cached_the_second_time(engines, scope):
    engine = engines("pemerintahan")
    with engine.connect() as conn:
        hits = [conn.execute(ringkasan._UPSERT["rencana"], _row(scope, str(uuid.uuid4()), 1)).context.cache_hit
                for _ in range(2)]
        original = ringkasan._upsert_if_newer(ringkasan.rencana)
        original_hits = [conn.execute(original, _row(scope, str(uuid.uuid4()), 1)).context.cache_hit
                         for _ in range(2)]
        conn.rollback()
    assert hits[1] is CACHE_HIT
    assert CACHE_HIT not in original_hits  # what this is for: SQLAlchemy compiles the original every time


probe = Table(
    "fixed_probe", MetaData(),
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("isi", JSONB, nullable=False),
    Column("jumlah", Numeric(30, 6), nullable=False),
    Column("versi", Integer, nullable=False),
    prefixes=["TEMPORARY"],
)


def _probe_upsert():
    stmt = insert(probe)
    return stmt.on_conflict_do_update(
        index_elements=[probe.c.id],
        set_={"isi": stmt.excluded.isi, "jumlah": probe.c.jumlah + stmt.excluded.jumlah, "versi": stmt.excluded.versi},
        where=probe.c.versi < stmt.excluded.versi)


def test_jsonb_and_decimals_round_trip_and_a_list_of_rows(engines):
    keys = ["id", "isi", "jumlah", "versi"]
    returning = fixed(_probe_upsert().returning(probe.c.isi, probe.c.jumlah, func.now().label("kapan")), keys)
    many = fixed(_probe_upsert(), keys)
    with engines("pemerintahan").connect() as conn:
        probe.create(conn)
        a, b = str(uuid.uuid4()), str(uuid.uuid4())
        row = conn.execute(returning, {"id": a, "isi": {"pagu": "10.50", "kode": ["1", "2"]},
                                       "jumlah": Decimal("0.000001"), "versi": 1}).one()
        assert row.isi == {"pagu": "10.50", "kode": ["1", "2"]} and row.jumlah == Decimal("0.000001")
        # executemany (no RETURNING): both rows, the second of a inserted, then updated only when newer
        conn.execute(many, [{"id": b, "isi": [], "jumlah": Decimal("1"), "versi": 1},
                            {"id": a, "isi": {"x": None}, "jumlah": Decimal("2.5"), "versi": 2},
                            {"id": a, "isi": {"y": 1}, "jumlah": Decimal("100"), "versi": 2}])
        held = dict(conn.execute(select(probe.c.id, probe.c.jumlah)).all())
        assert held == {a: Decimal("2.500001"), b: Decimal("1")}
        assert conn.execute(select(probe.c.isi).where(probe.c.id == a)).scalar() == {"x": None}
        conn.rollback()


def test_an_idempotency_key_claimed_once(engines):
    """The claim every create with a key runs (``sipd_common.idempotency``), compiled once."""
    from sqlalchemy.orm import Session

    from sipd_common.idempotency import IdempotentCalls

    key = f"system/{uuid.uuid4()}"
    with Session(engines("pemerintahan")) as session:
        calls = IdempotentCalls(session)
        assert calls.claim(key, "create_x", "f" * 64) is None
        calls.complete(key, {"id": "1"})
        assert calls.claim(key, "create_x", "f" * 64) == {"operation": "create_x", "fingerprint": "f" * 64,
                                                          "result": {"id": "1"}}
        session.rollback()
