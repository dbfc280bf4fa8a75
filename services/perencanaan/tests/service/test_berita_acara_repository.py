"""The berita acara on PostgreSQL: a draft comes back exact and changes; a signed one the database itself
refuses to change or delete, whoever asks; numbers are given per pemda and year without gaps or
duplicates when signings race, and a rolled back signing gives its number back."""
from __future__ import annotations

import threading
import uuid
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from services.perencanaan.pemetaan.domain import BeritaAcara, PasanganKode
from services.perencanaan.pemetaan.repository import PemetaanRepository

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
