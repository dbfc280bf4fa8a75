"""``sipd_common.sql.fixed``: an upsert compiled once, sent as the very SQL SQLAlchemy would have sent."""
from __future__ import annotations

import pytest
from sqlalchemy import (
    Column, Integer, MetaData, Numeric, String, Table, bindparam, func, literal_column, update,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID, insert, psycopg

from sipd_common.sql import fixed

t = Table(
    "probe", MetaData(),
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("nama", String(50)),
    Column("isi", JSONB, nullable=False),
    Column("jumlah", Numeric(17, 2), nullable=False),
    Column("versi", Integer, nullable=False),
)
KEYS = ["id", "nama", "isi", "jumlah", "versi"]
DRIVER = psycopg.dialect()


def upsert():
    stmt = insert(t)
    return stmt.on_conflict_do_update(
        index_elements=[t.c.id],
        set_={"nama": func.coalesce(stmt.excluded.nama, t.c.nama), "isi": stmt.excluded.isi,
              "jumlah": stmt.excluded.jumlah, "versi": stmt.excluded.versi},
        where=t.c.versi < stmt.excluded.versi,
    ).returning(t.c.id, t.c.jumlah)


def test_the_original_is_not_cached_the_fixed_one_is():
    assert upsert()._generate_cache_key() is None
    assert fixed(upsert(), KEYS)._generate_cache_key() is not None


def test_the_driver_is_sent_the_same_sql():
    assert str(fixed(upsert(), KEYS).compile(dialect=DRIVER)) == str(upsert().compile(dialect=DRIVER, column_keys=KEYS))


def test_binds_keep_their_types_and_returning_its_columns():
    stmt = fixed(upsert(), KEYS)
    binds = stmt.element._bindparams
    assert set(binds) == set(KEYS)
    assert isinstance(binds["isi"].type, JSONB) and isinstance(binds["id"].type, UUID)
    assert binds["jumlah"].type.scale == 2
    assert all(b.required for b in binds.values())
    assert [c.name for c in stmt.selected_columns] == ["id", "jumlah"]
    assert isinstance(stmt.selected_columns.jumlah.type, Numeric)


def test_only_the_keys_given_are_inserted():
    sql = str(fixed(upsert(), ["id", "isi", "jumlah", "versi"]).compile(dialect=DRIVER))
    assert sql.startswith("INSERT INTO probe (id, isi, jumlah, versi) VALUES")


def test_a_literal_stays_a_constant_a_named_bind_is_a_parameter():
    stmt = insert(t).values(id=bindparam("id"), isi=bindparam("isi"), jumlah=0, versi=0)
    f = fixed(stmt.on_conflict_do_update(index_elements=[t.c.id], set_={"id": stmt.excluded.id}).returning(*t.c))
    binds = f.element._bindparams
    assert binds["id"].required and binds["isi"].required
    assert not binds["jumlah"].required and binds["jumlah"].value == 0
    assert [c.name for c in f.selected_columns] == [c.name for c in t.c]


def test_without_returning_a_plain_text():
    stmt = insert(t).on_conflict_do_nothing()
    f = fixed(stmt, KEYS)
    assert not hasattr(f, "selected_columns")
    assert str(f.compile(dialect=DRIVER)) == str(stmt.compile(dialect=DRIVER, column_keys=KEYS))


def test_percent_and_colon_kept_as_written():
    stmt = insert(t)
    stmt = stmt.on_conflict_do_update(
        index_elements=[t.c.id],
        set_={"nama": literal_column("'50% of :nama'"), "isi": literal_column("'{}'::jsonb"),
              "versi": stmt.excluded.versi % 7})
    f = fixed(stmt, KEYS)
    assert set(f._bindparams) == {*KEYS, "versi_1"}  # ":nama" in the literal is no parameter; 7 a constant
    sql = str(f.compile(dialect=DRIVER))
    assert "'50%% of :nama'" in sql and "'{}'::jsonb" in sql and "excluded.versi %% %(" in sql
    assert sql == str(stmt.compile(dialect=DRIVER, column_keys=KEYS))


@pytest.mark.parametrize("stmt, keys, refused", [
    # a bind nobody can name
    (update(t).values(nama=bindparam(None)), [], "anonymous"),
    # an IN list expanded per execution
    (update(t).where(t.c.id.in_(bindparam("ids", expanding=True))).values(versi=1), [], "expanded"),
    # a key the statement has no column for
    (insert(t).values(id=bindparam("id"), isi=bindparam("isi"), jumlah=0, versi=0), ["nama"], "no bind"),
    # text() reads a backslash as an escape
    (insert(t).values(id=bindparam("id"), isi=literal_column("'a\\:b'"), jumlah=0, versi=0), [], "backslash"),
])
def test_refused(stmt, keys, refused):
    if refused == "no bind":
        keys = ["tidak_ada"]
    with pytest.raises(ValueError, match=refused):
        fixed(stmt, keys)


def test_a_python_side_default_refused():
    d = Table("d", MetaData(), Column("id", Integer, primary_key=True), Column("n", Integer, default=5))
    with pytest.raises(ValueError, match="Python-side default"):
        fixed(insert(d).on_conflict_do_nothing(), ["id"])


def test_every_write_and_every_event_runs_cached_statements():
    """What each create, each plan and budget event, each replicated reference event runs: all cached."""
    from services.keuangan.plafon import repository as plafon
    from services.pemerintahan.realisasi import repository as realisasi
    from services.pemerintahan.ringkasan import repository as ringkasan
    from services.perencanaan.rkpd import repository as rkpd
    from sipd_common import db, handlers, idempotency, replica

    hot = [*ringkasan._UPSERT.values(), realisasi._UPSERT, plafon._LOCK_OR_CREATE, plafon._SAVE, rkpd._ADD_ONE,
           rkpd._SAVE, idempotency._claim(idempotency.idempotent_call_table), replica._ENSURE, handlers.CLAIM,
           handlers.FORGET, db._OUTBOX, db._AUDIT]
    assert [s for s in hot if s._generate_cache_key() is None] == []
