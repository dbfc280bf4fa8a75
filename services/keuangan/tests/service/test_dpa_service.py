"""DPA-SKPD on keuangan's real unit of work and PostgreSQL: generated from the enacted APBD's lines (summed in the
database), authorised, read by ``pagu_baris``; the database itself keeps an authorised version as it was (its
triggers) and at most one authorised version per SKPD. Each test budgets in a pemda-year of its own."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from services.keuangan.dpa import usecases as dpa

from .test_apbd_service import enacted

def test_generated_from_the_enacted_lines_authorised_and_kept_by_the_database(db, scope):
    kode_pemda, tahun = scope
    uow, tapd, _, belanja = enacted(db, kode_pemda, tahun)

    made = dpa.generate_dpa(uow(), tapd, kode_pemda, tahun)
    assert len(made.dibuat) == 3 and sum(d.jumlah for d in made.dibuat) == sum(b.jumlah for b in belanja)
    skpd = made.dibuat[0].kode_skpd
    got = dpa.get_dpa(uow(), tapd, kode_pemda, tahun, skpd)
    expected: dict[tuple, Decimal] = {}
    for b in belanja:
        if b.kode_skpd == skpd:
            expected[(b.kode_sub_kegiatan, b.kode_rekening)] = expected.get((b.kode_sub_kegiatan, b.kode_rekening),
                                                                            Decimal(0)) + b.jumlah
    assert {(x.kode_sub_kegiatan, x.kode_rekening): x.jumlah for x in got.baris} == expected
    assert all(sum(x.kas) == x.jumlah for x in got.baris)

    first = got.baris[0]
    months = [Decimal(0)] * 11 + [first.jumlah]
    dpa.ubah_kas(uow(), tapd, kode_pemda, tahun, skpd, {"baris": [{
        "kode_sub_kegiatan": first.kode_sub_kegiatan, "kode_rekening": first.kode_rekening,
        "kas": [str(m) for m in months]}]})
    out = dpa.sahkan_dpa(uow(), tapd, kode_pemda, tahun, skpd, {"versi": 1})
    with uow() as u:
        pagu = u.dpa.pagu_baris(kode_pemda, tahun, skpd, first.kode_sub_kegiatan, first.kode_rekening)
        outbox = u.session.execute(text("SELECT count(*) FROM outbox WHERE routing_key = 'dpa.disahkan.v1' "
                                        "AND payload->>'aggregate_id' = :a"),
                                   {"a": f"{kode_pemda}:{tahun}:{skpd}"}).scalar_one()
    assert (pagu.jumlah, pagu.kas, pagu.versi) == (first.jumlah, tuple(months), 1) and outbox == 1

    # the database refuses to change an authorised version or its lines, and a second authorised version
    for statement in ("UPDATE dpa_baris SET kas = kas WHERE dpa_id = (SELECT id FROM dpa WHERE hash = :h)",
                      "DELETE FROM dpa_baris WHERE dpa_id = (SELECT id FROM dpa WHERE hash = :h)",
                      "INSERT INTO dpa_baris SELECT id, 'x', 'y', 'n', 0, array_fill(0::numeric, ARRAY[12]) FROM dpa "
                      "WHERE hash = :h",
                      "UPDATE dpa SET jumlah = 0 WHERE hash = :h", "DELETE FROM dpa WHERE hash = :h"):
        with pytest.raises(DBAPIError), db.begin() as conn:
            conn.execute(text(statement), {"h": out.hash})
    with pytest.raises(IntegrityError), db.begin() as conn:
        conn.execute(text("INSERT INTO dpa (id, kode_pemda, tahun, kode_skpd, versi, status, sebab, jumlah, "
                          "jumlah_baris, version) SELECT gen_random_uuid(), kode_pemda, tahun, kode_skpd, 2, "
                          "'disahkan', 'x', 0, 0, 1 FROM dpa WHERE hash = :h"), {"h": out.hash})
    assert dpa.get_dpa(uow(), tapd, kode_pemda, tahun, skpd).hash == out.hash
