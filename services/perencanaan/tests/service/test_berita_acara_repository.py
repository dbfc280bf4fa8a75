"""The berita acara on PostgreSQL: a draft comes back exact and changes; a signed one the database itself
refuses to change or delete, whoever asks; numbers are given per pemda and year without gaps or
duplicates when signings race, and a rolled back signing gives its number back."""
from __future__ import annotations

import threading
import uuid
from dataclasses import replace as changed
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from services.perencanaan.pemetaan.domain import BeritaAcara, PasanganKode
from services.perencanaan.pemetaan.repository import PemetaanRepository
from services.perencanaan.rkpd.domain import SubKegiatanRkpd
from services.perencanaan.rkpd.repository import RkpdRepository

KODE_PEMDA = "32.73"


@pytest.fixture
def db(engines):
    return engines("perencanaan")


def draft(tahun: int) -> BeritaAcara:
    pair = PasanganKode(rkpd_id=str(uuid.uuid4()), kode_skpd="1.01.0.00.0.00.01.0000",
                        kode_sub_kegiatan="1.01.02.2.01.0002", nama_sub_kegiatan="Lama",
                        kode_skpd_baru="1.01.0.00.0.00.01.0000", kode_sub_kegiatan_baru="1.01.02.2.01.0026",
                        nama_sub_kegiatan_baru="Baru", usulan_sub_kegiatan=("1.01.02.2.01.0026",))
    return BeritaAcara(id=str(uuid.uuid4()), kode_pemda=KODE_PEMDA, tahun=tahun, pasangan=(pair,), dibuat_oleh="b")


def test_a_signed_berita_acara_the_database_refuses_to_change_or_delete(db):
    tahun = 2091
    ba = draft(tahun)
    with Session(db) as session, session.begin():
        repo = PemetaanRepository(session)
        repo.add(ba)
        repo.save(ba.ubah(list(ba.pasangan), "perihal"))  # a draft changes
    with Session(db) as session, session.begin():
        repo = PemetaanRepository(session)
        assert repo.get(KODE_PEMDA, ba.id) == ba.ubah(list(ba.pasangan), "perihal")  # back exact
        signed = repo.get(KODE_PEMDA, ba.id, for_update=True).tandatangani(
            repo.nomor_berikutnya(KODE_PEMDA, tahun), date(2091, 1, 2), [{"nama": "S", "jabatan": "K"}], "b",
            datetime(2091, 1, 2, tzinfo=timezone.utc))
        repo.save(signed)
    for statement in (f"UPDATE berita_acara SET perihal = 'x' WHERE id = '{ba.id}'",
                      f"UPDATE berita_acara SET status = 'draft' WHERE id = '{ba.id}'",
                      f"DELETE FROM berita_acara WHERE id = '{ba.id}'"):
        with Session(db) as session, pytest.raises(DBAPIError, match="a signed berita acara never changes"):
            session.execute(text(statement))
    with Session(db) as session:
        assert PemetaanRepository(session).get(KODE_PEMDA, ba.id) == signed


def test_numbers_are_gap_free_when_signings_race_and_a_rollback_gives_its_number_back(db):
    tahun = 2092
    with Session(db) as session, session.begin():
        assert PemetaanRepository(session).nomor_berikutnya(KODE_PEMDA, tahun) == 1
    with Session(db) as session:
        with session.begin():
            assert PemetaanRepository(session).nomor_berikutnya(KODE_PEMDA, tahun) == 2
            session.rollback()
    got, barrier = [], threading.Barrier(6)

    def sign():
        barrier.wait()
        with Session(db) as session, session.begin():
            got.append(PemetaanRepository(session).nomor_berikutnya(KODE_PEMDA, tahun))

    threads = [threading.Thread(target=sign) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == [2, 3, 4, 5, 6, 7]
    with Session(db) as session, session.begin():
        assert PemetaanRepository(session).nomor_berikutnya(KODE_PEMDA, tahun + 1) == 1  # each year its own


# -- the items a signed berita acara maps: saved together, so they may exchange codes ----------------------------

def _item(scope, kode_sub_kegiatan: str, kode_skpd: str = "1.01.0.00.0.00.01.0000"):
    kode_pemda, tahun = scope
    return SubKegiatanRkpd(
        id=str(uuid.uuid4()), kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd,
        kode_sub_kegiatan=kode_sub_kegiatan, nama_sub_kegiatan="n", kode_bidang_urusan="1.01",
        nama_bidang_urusan="b", indikator="i", target=Decimal("1"), satuan="Unit", pagu_indikatif=Decimal("1000"),
        perlu_pemetaan=True)


def _codes(db, *ids: str) -> list[tuple[str, bool]]:
    with db.connect() as conn:
        rows = {r.id: (r.kode_sub_kegiatan, r.perlu_pemetaan) for r in conn.execute(
            text("SELECT id::text, kode_sub_kegiatan, perlu_pemetaan FROM rkpd_sub_kegiatan WHERE id = ANY(:ids)"),
            {"ids": list(ids)})}
    return [rows[i] for i in ids]


A, B, C = "1.01.02.2.01.0001", "1.01.02.2.01.0002", "1.01.02.2.01.0003"


@pytest.mark.parametrize("new_codes", [(B, A), (B, C)], ids=["swap", "chain"])
def test_items_exchanging_codes_are_saved_together_where_one_by_one_the_unique_index_refused(db, scope, new_codes):
    """PostgreSQL checks the one-live-item index row by row: saved one by one, A→B collides with B still at B
    (the 500 a swap in a berita acara answered); ``remap_many`` saves them together."""
    a, b = _item(scope, A), _item(scope, B)
    with Session(db) as session, session.begin():
        assert RkpdRepository(session).add_many([a, b]) == {a.id, b.id}
    mapped = [changed(a, kode_sub_kegiatan=new_codes[0], perlu_pemetaan=False, version=2),
              changed(b, kode_sub_kegiatan=new_codes[1], perlu_pemetaan=False, version=2)]
    with Session(db) as session, pytest.raises(DBAPIError, match="rkpd_sub_kegiatan_unique_live"):
        RkpdRepository(session).save_many(mapped)
    with Session(db) as session, session.begin():
        assert RkpdRepository(session).remap_many(mapped) is True
    assert _codes(db, a.id, b.id) == [(new_codes[0], False), (new_codes[1], False)]


def test_an_item_planned_meanwhile_under_a_new_code_makes_the_mapping_false_and_nothing_is_saved(db, scope):
    a, b, c = _item(scope, A), _item(scope, B), _item(scope, C)
    with Session(db) as session, session.begin():
        RkpdRepository(session).add_many([a, b, c])
    with Session(db) as session:  # closed without commit: rolled back, as the unit of work does on the 409
        repo = RkpdRepository(session)
        assert repo.remap_many([changed(a, kode_sub_kegiatan=B), changed(b, kode_sub_kegiatan=C)]) is False
    assert _codes(db, a.id, b.id, c.id) == [(A, True), (B, True), (C, True)]
